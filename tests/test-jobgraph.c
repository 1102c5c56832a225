/* Tests of the job graph: Flink's max parallelism rule, key-group ranges,
 * pipelined regions, key-group skew and restore sizes. */
#include <criterion/criterion.h>

#include "model/model.h"

Test (jobgraph, default_max_parallelism)
{
  /* KeyGroupRangeAssignment.computeDefaultMaxParallelism examples
   * (flink-behaviour.md §2.4). */
  cr_assert_eq (rsim_default_max_parallelism (1), 128);
  cr_assert_eq (rsim_default_max_parallelism (85), 128);
  cr_assert_eq (rsim_default_max_parallelism (86), 256);
  cr_assert_eq (rsim_default_max_parallelism (100), 256);
  cr_assert_eq (rsim_default_max_parallelism (1000), 2048);
  cr_assert_eq (rsim_default_max_parallelism (30000), 32768);
}

Test (jobgraph, key_group_ranges_cover_everything_once)
{
  for (int p = 1; p <= 128; p++) {
    int next = 0;
    for (int i = 0; i < p; i++) {
      int s, e;
      rsim_key_group_range (128, p, i, &s, &e);
      cr_assert_eq (s, next, "p=%d i=%d", p, i);
      cr_assert_geq (e, s, "p=%d i=%d", p, i);
      next = e + 1;
    }
    cr_assert_eq (next, 128, "p=%d", p);
  }
  int s, e;
  rsim_key_group_range (128, 3, 0, &s, &e);
  cr_assert (s == 0 && e == 42);
  rsim_key_group_range (128, 3, 1, &s, &e);
  cr_assert (s == 43 && e == 85);
  rsim_key_group_range (128, 3, 2, &s, &e);
  cr_assert (s == 86 && e == 127);
}

static RsimJobSpec
two_vertices (int p0, int p1, RsimShip ship)
{
  RsimJobSpec spec = { 0 };
  spec.n_vertices = 2;
  spec.vertices = g_new0 (RsimVertexSpec, 2);
  spec.vertices[0] = (RsimVertexSpec) {
    .name = g_strdup ("a"),
    .parallelism = p0,
    .max_parallelism = 0,
    .slot_sharing_group = NULL,
    .capacity = 100.0,
    .state_bytes = 0.0,
  };
  spec.vertices[1] = (RsimVertexSpec) {
    .name = g_strdup ("b"),
    .parallelism = p1,
    .max_parallelism = 0,
    .slot_sharing_group = NULL,
    .capacity = 100.0,
    .state_bytes = 8e9,
  };
  spec.n_edges = 1;
  spec.edges = g_new0 (RsimEdgeSpec, 1);
  spec.edges[0] = (RsimEdgeSpec) { 0, 1, ship };
  return spec;
}

Test (jobgraph, regions_follow_the_edges)
{
  RsimJobSpec spec = two_vertices (4, 4, RSIM_SHIP_FORWARD);
  RsimJobGraph *g = rsim_job_graph_new (&spec, -1);
  cr_assert_eq (g->n_regions, 4);
  cr_assert_float_eq (g->region_share[2], 0.25, 1e-12);
  cr_assert_float_eq (g->region_capacity[2], 100.0, 1e-9);
  cr_assert_eq (rsim_job_graph_slots_needed (g), 4);
  rsim_job_graph_free (g);
  rsim_job_spec_clear (&spec);

  spec = two_vertices (4, 4, RSIM_SHIP_HASH);
  g = rsim_job_graph_new (&spec, -1);
  cr_assert_eq (g->n_regions, 1);
  cr_assert_float_eq (g->region_share[0], 1.0, 1e-12);
  rsim_job_graph_free (g);
  rsim_job_spec_clear (&spec);

  /* rescale 4 -> 2: subtasks {0,1} feed 0 and {2,3} feed 1. */
  spec = two_vertices (4, 2, RSIM_SHIP_RESCALE);
  g = rsim_job_graph_new (&spec, -1);
  cr_assert_eq (g->n_regions, 2);
  cr_assert_eq (g->region_size[0], 3);
  rsim_job_graph_free (g);
  rsim_job_spec_clear (&spec);
}

Test (jobgraph, key_group_skew_limits_a_keyed_vertex)
{
  RsimJobSpec spec = two_vertices (3, 3, RSIM_SHIP_HASH);
  RsimJobGraph *g = rsim_job_graph_new (&spec, -1);
  /* 128 key groups over 3 subtasks: 43, 43, 42. The fullest subtask caps the
   * vertex at 100 * 128 / 43 records/s. */
  cr_assert_float_eq (rsim_job_graph_vertex_limit (g, 1), 100.0 * 128 / 43, 1e-9);
  cr_assert_float_eq (rsim_job_graph_vertex_limit (g, 0), 300.0, 1e-9);
  cr_assert_float_eq (g->region_capacity[0], 100.0 * 128 / 43, 1e-9);
  rsim_job_graph_free (g);
  rsim_job_spec_clear (&spec);
}

Test (jobgraph, restore_bytes_after_a_rescale)
{
  RsimJobSpec spec = two_vertices (4, 4, RSIM_SHIP_HASH);
  RsimJobGraph *g = rsim_job_graph_new (&spec, -1);
  /* Same parallelism: each subtask reads its own handle. */
  cr_assert_float_eq (rsim_job_graph_restore_bytes (g, 1, 0, 4), 2e9, 1.0);
  int p[2] = { 3, 3 };
  rsim_job_graph_set_parallelism (g, p);
  /* 4 -> 3: new subtask 0 holds key groups 0..42, which overlap old handles
   * 0 (0..31) and 1 (32..63): two whole handles of 2 GB. */
  cr_assert_float_eq (rsim_job_graph_restore_bytes (g, 1, 0, 4), 4e9, 1.0);
  /* 4 -> 2 would read exactly 2 handles per subtask. */
  int q[2] = { 2, 2 };
  rsim_job_graph_set_parallelism (g, q);
  cr_assert_float_eq (rsim_job_graph_restore_bytes (g, 1, 1, 4), 4e9, 1.0);
  /* The non-keyed vertex has no state here. */
  cr_assert_float_eq (rsim_job_graph_restore_bytes (g, 0, 0, 4), 0.0, 1e-9);
  rsim_job_graph_free (g);
  rsim_job_spec_clear (&spec);
}
