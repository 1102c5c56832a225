/* Tests of the job graph: Flink's max parallelism rule, key-group ranges,
 * pipelined regions (pointwise edges grouped as Flink does), key-group
 * skew, restore plans and operator chaining. */
#include <criterion/criterion.h>

#include "model/model.h"

Test (jobgraph, default_max_parallelism)
{
  /* KeyGroupRangeAssignment.computeDefaultMaxParallelism examples. */
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
   * 0 (0..31) and 1 (32..63): two whole handles of 2 GB (RocksDB files). */
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

/* ------------------------------------------------- pointwise edges */

/* computeVertexInputInfoForPointwise: with fewer producers than consumers,
 * producer i feeds consumers [ceil(i*pd/pu), ceil((i+1)*pd/pu)). */
Test (jobgraph, pointwise_fewer_producers_use_the_ceiling)
{
  int s, e;
  /* 2 -> 3: producer 0 feeds consumers 0 and 1, producer 1 feeds 2 (a
   * floor would give {0} and {1, 2}). */
  rsim_pointwise_range (2, 3, 0, &s, &e);
  cr_assert (s == 0 && e == 2, "[%d, %d)", s, e);
  rsim_pointwise_range (2, 3, 1, &s, &e);
  cr_assert (s == 2 && e == 3, "[%d, %d)", s, e);
  /* 3 -> 7: ceil(7/3) = 3, ceil(14/3) = 5, 7. */
  int want[4] = { 0, 3, 5, 7 };
  for (int i = 0; i < 3; i++) {
    rsim_pointwise_range (3, 7, i, &s, &e);
    cr_expect (s == want[i] && e == want[i + 1], "producer %d: [%d, %d)", i, s, e);
  }
  /* Every consumer is fed by exactly one producer, for every shape. */
  for (int pu = 1; pu <= 12; pu++)
    for (int pd = pu + 1; pd <= 30; pd++) {
      int next = 0;
      for (int i = 0; i < pu; i++) {
        rsim_pointwise_range (pu, pd, i, &s, &e);
        cr_assert_eq (s, next, "%d -> %d, producer %d", pu, pd, i);
        cr_assert_gt (e, s, "%d -> %d, producer %d", pu, pd, i);
        next = e;
      }
      cr_assert_eq (next, pd);
    }
}

Test (jobgraph, pointwise_more_producers_use_the_floor)
{
  int s, e;
  /* 5 -> 2: consumer 0 reads [0, 2), consumer 1 reads [2, 5). */
  rsim_pointwise_range (5, 2, 0, &s, &e);
  cr_assert (s == 0 && e == 2, "[%d, %d)", s, e);
  rsim_pointwise_range (5, 2, 1, &s, &e);
  cr_assert (s == 2 && e == 5, "[%d, %d)", s, e);
}

/* The grouping decides the regions: 2 -> 3 over a rescale edge makes the
 * regions {a0, b0, b1} and {a1, b2}. */
Test (jobgraph, pointwise_grouping_decides_the_regions)
{
  RsimJobSpec spec = two_vertices (2, 3, RSIM_SHIP_RESCALE);
  RsimJobGraph *g = rsim_job_graph_new (&spec, -1);
  cr_assert_eq (g->n_regions, 2);
  int a0 = rsim_job_graph_execution (g, 0, 0), a1 = rsim_job_graph_execution (g, 0, 1);
  int b[3];
  for (int j = 0; j < 3; j++)
    b[j] = rsim_job_graph_execution (g, 1, j);
  cr_assert_eq (g->region_of[b[0]], g->region_of[a0]);
  cr_assert_eq (g->region_of[b[1]], g->region_of[a0]);
  cr_assert_eq (g->region_of[b[2]], g->region_of[a1]);
  cr_assert_eq (g->region_size[g->region_of[a0]], 3);
  cr_assert_eq (g->region_size[g->region_of[a1]], 2);
  /* Each region carries its source subtask's half of the input. */
  cr_assert_float_eq (g->region_share[0], 0.5, 1e-12);
  rsim_job_graph_free (g);
  rsim_job_spec_clear (&spec);

  /* 3 -> 2: consumer 0 reads producer 0, consumer 1 reads producers 1, 2. */
  spec = two_vertices (3, 2, RSIM_SHIP_RESCALE);
  g = rsim_job_graph_new (&spec, -1);
  cr_assert_eq (g->n_regions, 2);
  cr_assert_eq (g->region_size[0], 2);
  cr_assert_eq (g->region_size[1], 3);
  cr_assert_eq (g->region_of[rsim_job_graph_execution (g, 0, 1)],
                g->region_of[rsim_job_graph_execution (g, 1, 1)]);
  rsim_job_graph_free (g);
  rsim_job_spec_clear (&spec);
}

/* ------------------------------------------------------- chaining */

static RsimJobSpec
pipeline (int n, const RsimShip *ships, const int *p)
{
  RsimJobSpec spec = { 0 };
  spec.n_vertices = n;
  spec.vertices = g_new0 (RsimVertexSpec, n);
  static const char *const names[] = { "src", "map", "win", "sink" };
  for (int i = 0; i < n; i++)
    spec.vertices[i] = (RsimVertexSpec) {
      .name = g_strdup (names[i]),
      .parallelism = p[i],
      .slot_sharing_group = g_strdup ("default"),
      .capacity = 1000.0 * (i + 1),
      .state_bytes = 1e9 * i,
      .state_change_rate = 1e6 * i,
    };
  spec.n_edges = n - 1;
  spec.edges = g_new0 (RsimEdgeSpec, n - 1);
  for (int i = 0; i + 1 < n; i++)
    spec.edges[i] = (RsimEdgeSpec) { i, i + 1, ships[i] };
  return spec;
}

Test (jobgraph, forward_edges_chain_into_one_job_vertex)
{
  RsimShip ships[3] = { RSIM_SHIP_FORWARD, RSIM_SHIP_HASH, RSIM_SHIP_FORWARD };
  int p[4] = { 4, 4, 4, 4 };
  RsimJobSpec spec = pipeline (4, ships, p);
  cr_assert_eq (rsim_job_spec_chain (&spec, TRUE), 2);
  cr_assert_eq (spec.n_vertices, 2);
  cr_assert_str_eq (spec.vertices[0].name, "src -> map");
  cr_assert_str_eq (spec.vertices[1].name, "win -> sink");
  cr_assert_str_eq (spec.vertices[1].operators[0], "win");
  cr_assert_str_eq (spec.vertices[1].operators[1], "sink");
  /* One thread runs both operators: 1 / (1/1000 + 1/2000). */
  cr_assert_float_eq (spec.vertices[0].capacity, 1.0 / (1.0 / 1000 + 1.0 / 2000), 1e-9);
  /* State and change rates add up. */
  cr_assert_float_eq (spec.vertices[1].state_bytes, 2e9 + 3e9, 1.0);
  cr_assert_float_eq (spec.vertices[1].state_change_rate, 2e6 + 3e6, 1e-6);
  cr_assert_eq (spec.n_edges, 1);
  cr_assert (spec.edges[0].from == 0 && spec.edges[0].to == 1
             && spec.edges[0].ship == RSIM_SHIP_HASH);
  /* Operators are found by their own names too. */
  cr_assert_eq (rsim_job_spec_find (&spec, "sink"), 1);
  cr_assert_eq (rsim_job_spec_find (&spec, "src -> map"), 0);
  cr_assert_eq (rsim_job_spec_find (&spec, "nope"), -1);
  /* A copy keeps the operators. */
  RsimJobSpec copy;
  rsim_job_spec_copy (&copy, &spec);
  cr_assert_str_eq (copy.vertices[0].operators[1], "map");
  rsim_job_spec_clear (&copy);
  rsim_job_spec_clear (&spec);
}

Test (jobgraph, what_keeps_operators_apart)
{
  RsimShip fwd[3] = { RSIM_SHIP_FORWARD, RSIM_SHIP_FORWARD, RSIM_SHIP_FORWARD };
  int p[4] = { 4, 4, 4, 4 };
  /* Chaining off: nothing changes. */
  RsimJobSpec spec = pipeline (4, fwd, p);
  cr_assert_eq (rsim_job_spec_chain (&spec, FALSE), 0);
  cr_assert_eq (spec.n_vertices, 4);
  rsim_job_spec_clear (&spec);
  /* All on: one chain of four. */
  spec = pipeline (4, fwd, p);
  cr_assert_eq (rsim_job_spec_chain (&spec, TRUE), 1);
  cr_assert_str_eq (spec.vertices[0].name, "src -> map -> win -> sink");
  rsim_job_spec_clear (&spec);
  /* start_new on win: src -> map, then win -> sink (its output chains). */
  spec = pipeline (4, fwd, p);
  spec.vertices[2].chain = RSIM_CHAIN_START_NEW;
  rsim_job_spec_chain (&spec, TRUE);
  cr_assert_eq (spec.n_vertices, 2);
  cr_assert_str_eq (spec.vertices[1].name, "win -> sink");
  cr_assert_eq (spec.edges[0].ship, RSIM_SHIP_FORWARD);
  rsim_job_spec_clear (&spec);
  /* disabled on map: src, map, win -> sink. */
  spec = pipeline (4, fwd, p);
  spec.vertices[1].chain = RSIM_CHAIN_DISABLED;
  rsim_job_spec_chain (&spec, TRUE);
  cr_assert_eq (spec.n_vertices, 3);
  cr_assert_str_eq (spec.vertices[2].name, "win -> sink");
  rsim_job_spec_clear (&spec);
  /* Different slot-sharing groups or parallelism, a rescale edge: no
   * chain. */
  spec = pipeline (2, fwd, p);
  g_free (spec.vertices[1].slot_sharing_group);
  spec.vertices[1].slot_sharing_group = g_strdup ("other");
  cr_assert_eq (rsim_job_spec_chain (&spec, TRUE), 0);
  rsim_job_spec_clear (&spec);
  int q[2] = { 4, 2 };
  RsimShip resc1[1] = { RSIM_SHIP_REBALANCE };
  spec = pipeline (2, resc1, q);
  cr_assert_eq (rsim_job_spec_chain (&spec, TRUE), 0);
  rsim_job_spec_clear (&spec);
  /* A different max parallelism chains (1.18's chain-operators-with-
   * different-max-parallelism defaults to true; never compared before): the
   * head's is the task's. */
  spec = pipeline (2, fwd, p);
  spec.vertices[0].max_parallelism = 512;
  spec.vertices[1].max_parallelism = 256;
  cr_assert_eq (rsim_job_spec_chain (&spec, TRUE), 1);
  cr_assert_eq (spec.vertices[0].max_parallelism, 512);
  rsim_job_spec_clear (&spec);
  /* The head comes first whatever order the vertices are written in. */
  spec = pipeline (2, fwd, p);
  RsimVertexSpec tmp = spec.vertices[0];
  spec.vertices[0] = spec.vertices[1];
  spec.vertices[1] = tmp;
  spec.edges[0] = (RsimEdgeSpec) { 1, 0, RSIM_SHIP_FORWARD };
  cr_assert_eq (rsim_job_spec_chain (&spec, TRUE), 1);
  cr_assert_str_eq (spec.vertices[0].name, "src -> map");
  rsim_job_spec_clear (&spec);
  RsimShip resc[1] = { RSIM_SHIP_RESCALE };
  spec = pipeline (2, resc, p);
  cr_assert_eq (rsim_job_spec_chain (&spec, TRUE), 0);
  rsim_job_spec_clear (&spec);
  /* A vertex with two inputs heads its own chain. */
  spec = pipeline (3, fwd, p);
  spec.edges = g_renew (RsimEdgeSpec, spec.edges, 3);
  spec.edges[1] = (RsimEdgeSpec) { 1, 2, RSIM_SHIP_FORWARD };
  spec.edges[2] = (RsimEdgeSpec) { 0, 2, RSIM_SHIP_HASH };
  spec.edges[0] = (RsimEdgeSpec) { 0, 1, RSIM_SHIP_FORWARD };
  spec.n_edges = 3;
  rsim_job_spec_chain (&spec, TRUE);
  cr_assert_eq (spec.n_vertices, 2);
  cr_assert_str_eq (spec.vertices[0].name, "src -> map");
  cr_assert_str_eq (spec.vertices[1].name, "win");
  /* Both edges into win become one, all-to-all. */
  cr_assert_eq (spec.n_edges, 1);
  cr_assert_eq (spec.edges[0].ship, RSIM_SHIP_HASH);
  rsim_job_spec_clear (&spec);
}

/* ------------------------------------------------ restore plans */

/* 3 -> 4 over 128 key groups: old handles hold 0..42, 43..85, 86..127; the
 * new subtasks 0..31, 32..63, 64..95, 96..127. */
Test (jobgraph, restore_plan_of_a_3_to_4_rescale)
{
  RsimJobSpec spec = two_vertices (3, 3, RSIM_SHIP_HASH);
  RsimJobGraph *g = rsim_job_graph_new (&spec, -1);
  const double state = 8e9, kg = state / 128;
  int p[2] = { 4, 4 };
  rsim_job_graph_set_parallelism (g, p);
  RsimRestorePlan plan;
  /* Subtask 0 lies inside old handle 0: download it whole and cut 11 key
   * groups off its end. */
  rsim_job_graph_restore_plan (g, 1, 0, 3, TRUE, &plan);
  cr_assert_eq (plan.n_handles, 1);
  cr_assert (plan.covered && !plan.unchanged);
  cr_assert_eq (plan.clip_sides, 1);
  cr_assert_float_eq (plan.download_bytes, 43 * kg, 1.0);
  cr_assert_float_eq (plan.base_outside_bytes, 11 * kg, 1.0);
  cr_assert_eq (plan.reinsert_handles, 0);
  cr_assert_float_eq (plan.reinsert_bytes, 0.0, 1.0);
  /* Subtask 1 (32..63) straddles handles 0 (11 key groups) and 1 (21):
   * handle 1 is the base, clipped on both sides, handle 0's 11 key groups
   * are re-inserted. */
  rsim_job_graph_restore_plan (g, 1, 1, 3, TRUE, &plan);
  cr_assert_eq (plan.n_handles, 2);
  cr_assert (!plan.covered);
  cr_assert_float_eq (plan.download_bytes, 86 * kg, 1.0);
  cr_assert_float_eq (plan.largest_handle, 43 * kg, 1.0);
  cr_assert_eq (plan.clip_sides, 1);
  cr_assert_float_eq (plan.base_outside_bytes, 22 * kg, 1.0);
  cr_assert_eq (plan.reinsert_handles, 1);
  cr_assert_float_eq (plan.reinsert_bytes, 11 * kg, 1.0);
  /* Subtask 3 (96..127) lies inside handle 2 (86..127). */
  rsim_job_graph_restore_plan (g, 1, 3, 3, TRUE, &plan);
  cr_assert (plan.covered);
  cr_assert_float_eq (plan.download_bytes, 42 * kg, 1.0);
  /* A key-group stream (heap, canonical) reads only its own key groups. */
  rsim_job_graph_restore_plan (g, 1, 1, 3, FALSE, &plan);
  cr_assert_float_eq (plan.download_bytes, 32 * kg, 1.0);
  /* Unchanged parallelism: one handle of exactly its range. */
  rsim_job_graph_restore_plan (g, 1, 2, 4, TRUE, &plan);
  cr_assert (plan.unchanged);
  cr_assert_float_eq (plan.download_bytes, 32 * kg, 1.0);
  rsim_job_graph_free (g);
  rsim_job_spec_clear (&spec);
}

/* The plan visits only the old subtasks computeOperatorIndexForKeyGroup
 * names for its first and last key group: the same handles as checking
 * every old range, for every pair of parallelisms up to 40. */
Test (jobgraph, restore_plan_reads_every_overlapping_handle)
{
  RsimJobSpec spec = two_vertices (1, 1, RSIM_SHIP_HASH);
  RsimJobGraph *g = rsim_job_graph_new (&spec, -1);
  for (int p = 1; p <= 40; p++) {
    int par[2] = { p, p };
    rsim_job_graph_set_parallelism (g, par);
    for (int old = 1; old <= 40; old++)
      for (int i = 0; i < p; i++) {
        int s, e, n = 0;
        rsim_key_group_range (128, p, i, &s, &e);
        for (int j = 0; j < old; j++) {
          int os, oe;
          rsim_key_group_range (128, old, j, &os, &oe);
          n += os <= e && s <= oe;
        }
        RsimRestorePlan plan;
        rsim_job_graph_restore_plan (g, 1, i, old, TRUE, &plan);
        cr_assert_eq (plan.n_handles, n, "%d -> %d, subtask %d", old, p, i);
      }
  }
  rsim_job_graph_free (g);
  rsim_job_spec_clear (&spec);
}
