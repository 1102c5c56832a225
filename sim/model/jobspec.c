/* Job specifications: names of ship strategies, copying, Flink's max
 * parallelism rule and key-group ranges.
 *
 * Max parallelism: KeyGroupRangeAssignment.computeDefaultMaxParallelism
 * (flink-runtime/src/main/java/org/apache/flink/runtime/state/
 * KeyGroupRangeAssignment.java): min(max(roundUpToPowerOfTwo(p + p/2), 128),
 * 32768) with integer p/2. Key-group ranges: the same class's
 * computeKeyGroupRangeForOperatorIndex: subtask i of p over maxP groups holds
 * [ceil(i*maxP/p), floor(((i+1)*maxP - 1)/p)]. */
#include <rescalesim/jobgraph.h>

const char *
rsim_ship_name (RsimShip ship)
{
  static const char *const names[] = {
#define RSIM_X(id, name, all) name,
    RSIM_SHIP_LIST (RSIM_X)
#undef RSIM_X
  };
  g_return_val_if_fail ((guint) ship < G_N_ELEMENTS (names), "?");
  return names[ship];
}

gboolean
rsim_ship_is_all_to_all (RsimShip ship)
{
  static const gboolean all[] = {
#define RSIM_X(id, name, a) a,
    RSIM_SHIP_LIST (RSIM_X)
#undef RSIM_X
  };
  g_return_val_if_fail ((guint) ship < G_N_ELEMENTS (all), TRUE);
  return all[ship];
}

void
rsim_job_spec_clear (RsimJobSpec *spec)
{
  if (spec == NULL)
    return;
  for (guint i = 0; i < spec->n_vertices; i++) {
    g_free (spec->vertices[i].name);
    g_free (spec->vertices[i].slot_sharing_group);
  }
  g_free (spec->vertices);
  g_free (spec->edges);
  *spec = (RsimJobSpec) { 0 };
}

void
rsim_job_spec_copy (RsimJobSpec *dst, const RsimJobSpec *src)
{
  *dst = *src;
  dst->vertices = g_memdup2 (src->vertices,
                             sizeof (RsimVertexSpec) * src->n_vertices);
  for (guint i = 0; i < src->n_vertices; i++) {
    dst->vertices[i].name = g_strdup (src->vertices[i].name);
    dst->vertices[i].slot_sharing_group =
      g_strdup (src->vertices[i].slot_sharing_group);
  }
  dst->edges = g_memdup2 (src->edges, sizeof (RsimEdgeSpec) * src->n_edges);
}

int
rsim_default_max_parallelism (int parallelism)
{
  /* Upper bound 2^15: Transformation.UPPER_BOUND_MAX_PARALLELISM. */
  const int lower = 128, upper = 1 << 15;
  long want = (long) parallelism + parallelism / 2;
  long pow2 = 1;
  while (pow2 < want)
    pow2 <<= 1;
  long v = MAX (pow2, lower);
  return (int) MIN (v, upper);
}

void
rsim_key_group_range (int max_parallelism, int parallelism, int index,
                      int *start, int *end)
{
  g_return_if_fail (parallelism > 0 && index >= 0 && index < parallelism);
  long maxp = max_parallelism;
  *start = (int) ((index * maxp + parallelism - 1) / parallelism);
  *end = (int) (((index + 1) * maxp - 1) / parallelism);
}
