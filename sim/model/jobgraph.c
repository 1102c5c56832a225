/* The job graph at its current parallelism: slot-sharing groups, pipelined
 * regions, region capacities and restore sizes.
 *
 * Regions follow Flink's pipelined regions
 * (flink-runtime/.../scheduler/strategy/SchedulingPipelinedRegionComputeUtil
 * .java): in a streaming job every edge is pipelined, so subtasks joined by
 * any edge share a region. An all-to-all edge (hash, rebalance, broadcast)
 * joins every producer subtask with every consumer subtask, so a job with one
 * such edge is one region; forward and rescale edges are pointwise
 * (flink-runtime/.../executiongraph/EdgeManagerBuildUtil.java connects
 * subtasks by index ranges), so a forward-only pipeline has one region per
 * subtask.
 *
 * Capacity: a vertex's subtask processes `capacity` records/s. Behind a hash
 * edge, records spread over key groups evenly, and subtask i holds the key
 * groups of KeyGroupRangeAssignment's range i; the subtask with the most key
 * groups saturates first, so the vertex's limit is
 * capacity * maxParallelism / (largest key-group count). Every record passes
 * every vertex (selectivity 1); a region's capacity is the smallest limit of
 * its vertices' subtasks in the region, scaled to the region's input share. */
#include "model/model.h"

#include <string.h>

static int
uf_find (int *parent, int x)
{
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

static void
uf_union (int *parent, int a, int b)
{
  a = uf_find (parent, a);
  b = uf_find (parent, b);
  if (a == b)
    return;
  /* Keep the smaller index as the root so region numbering is stable. */
  if (a < b)
    parent[b] = a;
  else
    parent[a] = b;
}

RsimJobGraph *
rsim_job_graph_new (const RsimJobSpec *spec, int pipeline_max_parallelism)
{
  RsimJobGraph *g = g_new0 (RsimJobGraph, 1);
  rsim_job_spec_copy (&g->spec, spec);
  g->n_vertices = spec->n_vertices;
  g->max_parallelism = g_new0 (int, g->n_vertices);
  g->parallelism = g_new0 (int, g->n_vertices);
  g->offset = g_new0 (int, g->n_vertices);
  g->ssg = g_new0 (int, g->n_vertices);
  g->is_source = g_new0 (gboolean, g->n_vertices);
  g->hash_input = g_new0 (gboolean, g->n_vertices);
  GPtrArray *names = g_ptr_array_new ();
  for (guint v = 0; v < g->n_vertices; v++) {
    const RsimVertexSpec *vs = &spec->vertices[v];
    g->parallelism[v] = vs->parallelism;
    /* Max parallelism: the vertex's own, else pipeline.max-parallelism,
     * else Flink's default rule from the parallelism at submission
     * (KeyGroupRangeAssignment.computeDefaultMaxParallelism), which then
     * stays fixed so key groups survive rescales (the adaptive scheduler
     * keeps the submission's values in its initialParallelismStore). */
    if (vs->max_parallelism > 0)
      g->max_parallelism[v] = vs->max_parallelism;
    else if (pipeline_max_parallelism > 0)
      g->max_parallelism[v] = pipeline_max_parallelism;
    else
      g->max_parallelism[v] = rsim_default_max_parallelism (vs->parallelism);
    const char *group = vs->slot_sharing_group ? vs->slot_sharing_group
                                               : "default";
    int found = -1;
    for (guint k = 0; k < names->len; k++)
      if (g_str_equal (names->pdata[k], group))
        found = (int) k;
    if (found < 0) {
      found = (int) names->len;
      g_ptr_array_add (names, g_strdup (group));
    }
    g->ssg[v] = found;
    g->is_source[v] = TRUE;
  }
  g->n_ssg = (int) names->len;
  g_ptr_array_add (names, NULL);
  g->ssg_names = (char **) g_ptr_array_free (names, FALSE);
  for (guint e = 0; e < spec->n_edges; e++) {
    g->is_source[spec->edges[e].to] = FALSE;
    if (spec->edges[e].ship == RSIM_SHIP_HASH)
      g->hash_input[spec->edges[e].to] = TRUE;
  }
  rsim_job_graph_set_parallelism (g, NULL);
  return g;
}

void
rsim_job_graph_free (RsimJobGraph *g)
{
  if (g == NULL)
    return;
  rsim_job_spec_clear (&g->spec);
  g_free (g->max_parallelism);
  g_free (g->parallelism);
  g_free (g->offset);
  g_free (g->ssg);
  g_strfreev (g->ssg_names);
  g_free (g->is_source);
  g_free (g->hash_input);
  g_free (g->region_of);
  g_free (g->region_share);
  g_free (g->region_capacity);
  g_free (g->region_size);
  g_free (g->region_start);
  g_free (g->region_members);
  g_free (g);
}

int
rsim_job_graph_execution (const RsimJobGraph *g, int vertex, int subtask)
{
  return g->offset[vertex] + subtask;
}

void
rsim_job_graph_execution_vertex (const RsimJobGraph *g, int execution,
                                 int *vertex, int *subtask)
{
  int v = (int) g->n_vertices - 1;
  while (v > 0 && g->offset[v] > execution)
    v--;
  *vertex = v;
  *subtask = execution - g->offset[v];
}

int
rsim_job_graph_slots_needed (const RsimJobGraph *g)
{
  return rsim_job_graph_slots_for (g, NULL);
}

int
rsim_job_graph_slots_for (const RsimJobGraph *g, const int *parallelism)
{
  int total = 0;
  for (int s = 0; s < g->n_ssg; s++) {
    int m = 0;
    for (guint v = 0; v < g->n_vertices; v++)
      if (g->ssg[v] == s)
        m = MAX (m, parallelism && parallelism[v] >= 1 ? parallelism[v]
                                                       : g->parallelism[v]);
    total += m;
  }
  return total;
}

double
rsim_job_graph_vertex_limit (const RsimJobGraph *g, int v)
{
  int p = g->parallelism[v];
  double cap = g->spec.vertices[v].capacity;
  if (!g->hash_input[v])
    return cap * p;
  int maxp = g->max_parallelism[v];
  int most = 0;
  for (int i = 0; i < p; i++) {
    int s, e;
    rsim_key_group_range (maxp, p, i, &s, &e);
    most = MAX (most, e - s + 1);
  }
  return most > 0 ? cap * (double) maxp / most : 0.0;
}

/* Pointwise connection of a forward or rescale edge: which producer subtasks
 * feed which consumer subtasks (rsim_pointwise_range, Flink's
 * computeVertexInputInfoForPointwise). */
static void
union_pointwise (const RsimJobGraph *g, int *parent, int from, int to)
{
  int pu = g->parallelism[from], pd = g->parallelism[to];
  if (pu >= pd) {
    for (int j = 0; j < pd; j++) {
      int start, end;
      rsim_pointwise_range (pu, pd, j, &start, &end);
      for (int i = start; i < end; i++)
        uf_union (parent, g->offset[from] + i, g->offset[to] + j);
    }
  } else {
    for (int i = 0; i < pu; i++) {
      int start, end;
      rsim_pointwise_range (pu, pd, i, &start, &end);
      for (int j = start; j < end; j++)
        uf_union (parent, g->offset[from] + i, g->offset[to] + j);
    }
  }
}

void
rsim_job_graph_set_parallelism (RsimJobGraph *g, const int *parallelism)
{
  int n = 0;
  for (guint v = 0; v < g->n_vertices; v++) {
    if (parallelism && parallelism[v] >= 1)
      g->parallelism[v] = parallelism[v];
    g->offset[v] = n;
    n += g->parallelism[v];
  }
  g->n_executions = n;

  int *parent = g_new (int, n);
  for (int i = 0; i < n; i++)
    parent[i] = i;
  for (guint e = 0; e < g->spec.n_edges; e++) {
    const RsimEdgeSpec *ed = &g->spec.edges[e];
    if (rsim_ship_is_all_to_all (ed->ship)) {
      int first = g->offset[ed->from];
      for (int i = 0; i < g->parallelism[ed->from]; i++)
        uf_union (parent, first, g->offset[ed->from] + i);
      for (int j = 0; j < g->parallelism[ed->to]; j++)
        uf_union (parent, first, g->offset[ed->to] + j);
    } else {
      union_pointwise (g, parent, ed->from, ed->to);
    }
  }
  /* Number regions in order of their smallest execution index. */
  g_free (g->region_of);
  g->region_of = g_new (int, n);
  int *root_region = g_new (int, n);
  for (int i = 0; i < n; i++)
    root_region[i] = -1;
  int nr = 0;
  for (int i = 0; i < n; i++) {
    int r = uf_find (parent, i);
    if (root_region[r] < 0)
      root_region[r] = nr++;
    g->region_of[i] = root_region[r];
  }
  g->n_regions = nr;
  g_free (root_region);
  g_free (parent);
  /* Each region's executions, so that a region is visited in its own
   * size (a counting sort by region). */
  g_free (g->region_start);
  g_free (g->region_members);
  g->region_start = g_new0 (int, nr + 1);
  g->region_members = g_new (int, MAX (n, 1));
  for (int i = 0; i < n; i++)
    g->region_start[g->region_of[i] + 1]++;
  for (int r = 0; r < nr; r++)
    g->region_start[r + 1] += g->region_start[r];
  int *fill = g_memdup2 (g->region_start, sizeof (int) * (gsize) (nr + 1));
  for (int i = 0; i < n; i++)
    g->region_members[fill[g->region_of[i]]++] = i;
  g_free (fill);

  g_free (g->region_share);
  g_free (g->region_capacity);
  g_free (g->region_size);
  g->region_share = g_new0 (double, nr);
  g->region_capacity = g_new0 (double, nr);
  g->region_size = g_new0 (int, nr);
  int n_sources = 0;
  for (guint v = 0; v < g->n_vertices; v++)
    if (g->is_source[v])
      n_sources++;
  /* Executions of each vertex per region. */
  int *count = g_new0 (int, (gsize) nr * g->n_vertices);
  for (guint v = 0; v < g->n_vertices; v++)
    for (int i = 0; i < g->parallelism[v]; i++) {
      int r = g->region_of[g->offset[v] + i];
      count[r * g->n_vertices + v]++;
      g->region_size[r]++;
    }
  for (int r = 0; r < nr; r++) {
    double share = 0.0;
    for (guint v = 0; v < g->n_vertices; v++)
      if (g->is_source[v])
        share += (double) count[r * g->n_vertices + v] / g->parallelism[v];
    g->region_share[r] = n_sources ? share / n_sources : 1.0 / nr;
    double cap = G_MAXDOUBLE;
    for (guint v = 0; v < g->n_vertices; v++) {
      int c = count[r * g->n_vertices + v];
      if (c == 0)
        continue;
      double limit;
      if (c == g->parallelism[v])
        limit = rsim_job_graph_vertex_limit (g, (int) v);
      else
        limit = g->spec.vertices[v].capacity * c;
      /* The region carries share of the input; limit is in records/s of the
       * vertex's own flow through this region, which is the region's. */
      cap = MIN (cap, limit);
    }
    g->region_capacity[r] = cap == G_MAXDOUBLE ? 0.0 : cap;
  }
  g_free (count);
}

/* Keyed state is spread evenly over key groups, so a range of n key groups
 * of a vertex holds state * n / maxParallelism bytes. */
static double
range_bytes (const RsimJobGraph *g, int v, int start, int end)
{
  return end < start ? 0.0
    : g->spec.vertices[v].state_bytes * (end - start + 1)
      / g->max_parallelism[v];
}

double
rsim_job_graph_largest_share (const RsimJobGraph *g, int v)
{
  double state = g->spec.vertices[v].state_bytes;
  int p = g->parallelism[v];
  if (state <= 0.0)
    return 0.0;
  if (!g->hash_input[v])
    return state / p;
  int maxp = g->max_parallelism[v];
  int most = (maxp + p - 1) / p;
  return state * most / maxp;
}

void
rsim_job_graph_restore_plan (const RsimJobGraph *g, int v, int subtask,
                             int old_parallelism, gboolean whole_handles,
                             RsimRestorePlan *plan)
{
  double state = g->spec.vertices[v].state_bytes;
  int p = g->parallelism[v];
  memset (plan, 0, sizeof *plan);
  if (state <= 0.0)
    return;
  /* Operator (non-keyed) list state is pooled and split round-robin
   * (RoundRobinOperatorStateRepartitioner): each subtask reads its share,
   * nothing to clip or merge. */
  if (old_parallelism <= 0 || !g->hash_input[v]) {
    plan->n_handles = 1;
    plan->own_bytes = plan->download_bytes = plan->largest_handle = state / p;
    return;
  }
  int maxp = g->max_parallelism[v];
  int s, e;
  rsim_key_group_range (maxp, p, subtask, &s, &e);
  plan->own_bytes = range_bytes (g, v, s, e);
  int base = -1, base_overlap = -1;
  double base_bytes = 0.0;
  /* The old subtasks holding key groups s and e
   * (KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup), so the loop
   * visits only the handles it reads. */
  int first = (int) ((long) s * old_parallelism / maxp);
  int last = (int) ((long) e * old_parallelism / maxp);
  for (int i = first; i <= last; i++) {
    int os, oe;
    rsim_key_group_range (maxp, old_parallelism, i, &os, &oe);
    int is = MAX (s, os), ie = MIN (e, oe);
    if (is > ie)
      continue;
    plan->n_handles++;
    double whole = range_bytes (g, v, os, oe);
    double part = range_bytes (g, v, is, ie);
    double fetched = whole_handles ? whole : part;
    plan->download_bytes += fetched;
    plan->largest_handle = MAX (plan->largest_handle, fetched);
    /* RocksDBIncrementalCheckpointUtils.chooseTheBestStateHandleForInitial:
     * the handle that overlaps the new range most becomes the base
     * database (the first one on a tie). */
    if (ie - is > base_overlap) {
      base_overlap = ie - is;
      base = i;
      base_bytes = whole;
    }
    if (os == s && oe == e)
      plan->unchanged = TRUE;
  }
  if (plan->unchanged)
    return;
  plan->covered = plan->n_handles == 1;
  double base_part = 0.0;
  {
    int os, oe;
    rsim_key_group_range (maxp, old_parallelism, base, &os, &oe);
    base_part = range_bytes (g, v, MAX (s, os), MIN (e, oe));
    plan->clip_sides = (os < s) + (oe > e);
  }
  plan->base_outside_bytes = base_bytes - base_part;
  plan->reinsert_bytes = plan->own_bytes - base_part;
  plan->reinsert_handles = plan->n_handles - 1;
}

double
rsim_job_graph_restore_bytes (const RsimJobGraph *g, int v, int subtask,
                              int old_parallelism)
{
  RsimRestorePlan plan;
  rsim_job_graph_restore_plan (g, v, subtask, old_parallelism, TRUE, &plan);
  return plan.download_bytes;
}
