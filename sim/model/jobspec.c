/* Job specifications: names of ship strategies, copying, Flink's max
 * parallelism rule and key-group ranges.
 *
 * Max parallelism: KeyGroupRangeAssignment.computeDefaultMaxParallelism
 * (flink-runtime/src/main/java/org/apache/flink/runtime/state/
 * KeyGroupRangeAssignment.java): min(max(roundUpToPowerOfTwo(p + p/2), 128),
 * 32768) with integer p/2. Key-group ranges: the same class's
 * computeKeyGroupRangeForOperatorIndex: subtask i of p over maxP groups holds
 * [ceil(i*maxP/p), floor(((i+1)*maxP - 1)/p)].
 *
 * Operator chaining: flink-streaming-java/.../api/graph/
 * StreamingJobGraphGenerator.java (isChainable, createChain; the chained
 * task's name joins the operator names with " -> "). Pointwise edges:
 * flink-runtime/.../executiongraph/VertexInputInfoComputationUtils.java
 * computeVertexInputInfoForPointwise (1.18+; EdgeManagerBuildUtil
 * .connectPointwise before, same arithmetic): with fewer producers than
 * consumers, producer i feeds consumers [ceil(i*pd/pu), ceil((i+1)*pd/pu));
 * otherwise consumer j reads producers [floor(j*pu/pd), floor((j+1)*pu/pd)). */
#include <rescalesim/jobgraph.h>

#include <string.h>

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

const char *
rsim_chain_name (RsimChain chain)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_CHAIN_LIST (RSIM_X)
#undef RSIM_X
  };
  g_return_val_if_fail ((guint) chain < G_N_ELEMENTS (names), "?");
  return names[chain];
}

void
rsim_job_spec_clear (RsimJobSpec *spec)
{
  if (spec == NULL)
    return;
  for (guint i = 0; i < spec->n_vertices; i++) {
    g_free (spec->vertices[i].name);
    g_free (spec->vertices[i].slot_sharing_group);
    g_strfreev (spec->vertices[i].operators);
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
    dst->vertices[i].operators = g_strdupv (src->vertices[i].operators);
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

void
rsim_pointwise_range (int pu, int pd, int i, int *start, int *end)
{
  g_return_if_fail (pu > 0 && pd > 0 && i >= 0);
  long u = pu, d = pd;
  if (pu >= pd) {
    *start = (int) (i * u / d);
    *end = (int) ((i + 1) * u / d);
  } else {
    *start = (int) ((i * d + u - 1) / u);
    *end = (int) (((i + 1) * d + u - 1) / u);
  }
}

static int
chain_root (int *parent, int x)
{
  while (parent[x] != x)
    x = parent[x] = parent[parent[x]];
  return x;
}

/* inputs: the number of input edges of each vertex. */
static gboolean
chainable (const RsimJobSpec *spec, const RsimEdgeSpec *e, const int *inputs)
{
  const RsimVertexSpec *up = &spec->vertices[e->from];
  const RsimVertexSpec *down = &spec->vertices[e->to];
  /* Max parallelism does not keep operators apart: isChainable never
   * compared it before 1.18, and 1.18's pipeline.operator-chaining.chain-
   * operators-with-different-max-parallelism defaults to true. */
  return e->ship == RSIM_SHIP_FORWARD && inputs[e->to] == 1
    && up->parallelism == down->parallelism
    && g_strcmp0 (up->slot_sharing_group, down->slot_sharing_group) == 0
    && down->chain == RSIM_CHAIN_DEFAULT && up->chain != RSIM_CHAIN_DISABLED;
}

guint
rsim_job_spec_chain (RsimJobSpec *spec, gboolean enabled)
{
  guint n = spec->n_vertices;
  spec->chained = TRUE;
  if (!enabled || spec->n_edges == 0)
    return 0;
  g_autofree int *parent = g_new (int, n);
  for (guint v = 0; v < n; v++)
    parent[v] = (int) v;
  g_autofree int *inputs = g_new0 (int, n);
  for (guint k = 0; k < spec->n_edges; k++)
    inputs[spec->edges[k].to]++;
  gboolean any = FALSE;
  for (guint k = 0; k < spec->n_edges; k++) {
    const RsimEdgeSpec *e = &spec->edges[k];
    if (!chainable (spec, e, inputs))
      continue;
    /* The target has one input, so it joins its producer's chain; the
     * chain's head is the operator with the smallest index. */
    int a = chain_root (parent, e->from), b = chain_root (parent, e->to);
    if (a != b) {
      parent[MAX (a, b)] = MIN (a, b);
      any = TRUE;
    }
  }
  if (!any)
    return 0;
  /* New vertices in the order of their first operator. */
  g_autofree int *index_of = g_new (int, n);
  guint m = 0;
  for (guint v = 0; v < n; v++)
    index_of[v] = chain_root (parent, (int) v) == (int) v ? (int) m++ : -1;
  g_autofree int *chain_of = g_new (int, n);
  for (guint v = 0; v < n; v++)
    chain_of[v] = index_of[chain_root (parent, (int) v)];
  /* Operators in data-flow order (Kahn's topological sort, ready vertices
   * in index order), so a chain lists its head first whatever order the
   * scenario wrote. The graph is acyclic (the loader checks). */
  g_autofree int *outs = g_new0 (int, n + 1);     /* CSR of out-edges */
  for (guint k = 0; k < spec->n_edges; k++)
    outs[spec->edges[k].from + 1]++;
  for (guint v = 0; v < n; v++)
    outs[v + 1] += outs[v];
  g_autofree int *fill = g_memdup2 (outs, sizeof (int) * n);
  g_autofree int *targets = g_new (int, MAX (spec->n_edges, 1));
  for (guint k = 0; k < spec->n_edges; k++)
    targets[fill[spec->edges[k].from]++] = spec->edges[k].to;
  g_autofree int *indegree = g_memdup2 (inputs, sizeof (int) * n);
  g_autofree int *order = g_new (int, n);
  guint head = 0, tail = 0;
  for (guint v = 0; v < n; v++)
    if (indegree[v] == 0)
      order[tail++] = (int) v;
  while (head < tail) {
    int v = order[head++];
    for (int j = outs[v]; j < outs[v + 1]; j++)
      if (--indegree[targets[j]] == 0)
        order[tail++] = targets[j];
  }
  g_assert (tail == n);
  RsimVertexSpec *out = g_new0 (RsimVertexSpec, m);
  g_autofree GPtrArray **ops = g_new0 (GPtrArray *, m);
  g_autofree double *inv = g_new0 (double, m);
  for (guint o = 0; o < n; o++) {
    const RsimVertexSpec *src = &spec->vertices[order[o]];
    int c = chain_of[order[o]];
    RsimVertexSpec *dst = &out[c];
    if (ops[c] == NULL) {
      /* The head's settings are the job vertex's (its max parallelism sets
       * the key groups of the whole task). */
      ops[c] = g_ptr_array_new ();
      dst->parallelism = src->parallelism;
      dst->max_parallelism = src->max_parallelism;
      dst->slot_sharing_group = g_strdup (src->slot_sharing_group);
      dst->chain = src->chain;
    }
    g_ptr_array_add (ops[c], g_strdup (src->name));
    inv[c] += src->capacity > 0.0 ? 1.0 / src->capacity : 0.0;
    dst->state_bytes += src->state_bytes;
    dst->state_change_rate += src->state_change_rate;
  }
  guint multi = 0;
  for (guint c = 0; c < m; c++) {
    RsimVertexSpec *dst = &out[c];
    dst->capacity = inv[c] > 0.0 ? 1.0 / inv[c] : 0.0;
    if (ops[c]->len > 1) {
      multi++;
      g_ptr_array_add (ops[c], NULL);
      dst->operators = (char **) g_ptr_array_free (ops[c], FALSE);
      dst->name = g_strjoinv (" -> ", dst->operators);
    } else {
      /* The array has no free function: this frees only its segment. */
      dst->name = g_ptr_array_index (ops[c], 0);
      g_ptr_array_free (ops[c], TRUE);
    }
  }
  /* Edges between chains; a pair of chains keeps one edge. */
  RsimEdgeSpec *edges = g_new0 (RsimEdgeSpec, MAX (spec->n_edges, 1));
  g_autofree gint64 *pair = g_new (gint64, MAX (spec->n_edges, 1));
  g_autoptr (GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  guint ne = 0;
  for (guint k = 0; k < spec->n_edges; k++) {
    int a = chain_of[spec->edges[k].from], b = chain_of[spec->edges[k].to];
    if (a == b)
      continue;
    pair[ne] = (gint64) a * m + b;
    gpointer found = NULL;
    guint j = g_hash_table_lookup_extended (seen, &pair[ne], NULL, &found)
      ? GPOINTER_TO_UINT (found) : ne;
    if (j == ne) {
      g_hash_table_insert (seen, &pair[ne], GUINT_TO_POINTER (ne));
      edges[ne++] = (RsimEdgeSpec) { a, b, spec->edges[k].ship };
    } else if (rsim_ship_is_all_to_all (spec->edges[k].ship)
               && !rsim_ship_is_all_to_all (edges[j].ship)) {
      edges[j].ship = spec->edges[k].ship;
    } else if (spec->edges[k].ship == RSIM_SHIP_HASH) {
      edges[j].ship = RSIM_SHIP_HASH;
    }
  }
  gboolean native = spec->native_savepoints;
  rsim_job_spec_clear (spec);
  spec->vertices = out;
  spec->n_vertices = m;
  spec->edges = edges;
  spec->n_edges = ne;
  spec->native_savepoints = native;
  spec->chained = TRUE;
  return multi;
}

int
rsim_job_spec_find (const RsimJobSpec *spec, const char *name)
{
  for (guint i = 0; i < spec->n_vertices; i++) {
    const RsimVertexSpec *v = &spec->vertices[i];
    if (v->name != NULL && strcmp (v->name, name) == 0)
      return (int) i;
    for (char **op = v->operators; op && *op; op++)
      if (strcmp (*op, name) == 0)
        return (int) i;
  }
  return -1;
}
