/* Shared fixture of the suites that drive one model or scheduler piece
 * directly (no whole run): a world built with rsim_world_init from a
 * version's defaults, a two-vertex job (hash or forward edge) and n
 * TaskManagers of 2 slots registered at time 0. Included by one test file
 * each (functions are static). */
#pragma once

#include <criterion/criterion.h>
#include <string.h>

#include <rescalesim/scenario.h>

#include "model/model.h"

typedef struct {
  RsimWorld w;
  RsimFlinkConf conf;
  RsimCosts costs;
  RsimJobSpec job;
  RsimRateSpec rate;
} World;

static void
world_init (World *f, const char *version, RsimShip ship, int p, int n_tms)
{
  memset (f, 0, sizeof *f);
  RsimFlinkVersion v;
  cr_assert (rsim_version_parse (version, &v));
  const char *const pairs[] = {
    "taskmanager.numberOfTaskSlots", "2",
    "execution.checkpointing.interval", "10 s",
    NULL };
  GError *error = NULL;
  cr_assert (rsim_flink_conf_resolve (&f->conf, v, pairs, &error), "%s",
             error ? error->message : "");
  rsim_costs_init_defaults (&f->costs, v);
  f->job.n_vertices = 2;
  f->job.vertices = g_new0 (RsimVertexSpec, 2);
  f->job.vertices[0] = (RsimVertexSpec) {
    .name = g_strdup ("source"),
    .parallelism = p,
    .max_parallelism = 0,
    .slot_sharing_group = g_strdup ("default"),
    .capacity = 2000.0,
    .state_bytes = 0.0,
  };
  f->job.vertices[1] = (RsimVertexSpec) {
    .name = g_strdup ("window"),
    .parallelism = p,
    .max_parallelism = 0,
    .slot_sharing_group = g_strdup ("default"),
    .capacity = 1500.0,
    .state_bytes = 0.0,
  };
  f->job.n_edges = 1;
  f->job.edges = g_new0 (RsimEdgeSpec, 1);
  f->job.edges[0] = (RsimEdgeSpec) { 0, 1, ship };
  f->rate.kind = RSIM_RATE_CONSTANT;
  f->rate.value = 1000.0;
  const RsimWorldSpec spec = {
    .seed = 5, .version = v, .conf = &f->conf, .costs = &f->costs,
    .job = &f->job, .rate = &f->rate, .rm_mode = RSIM_RM_STANDALONE,
  };
  rsim_world_init (&f->w, &spec);
  rsim_cluster_start_taskmanagers (f->w.cluster, n_tms, 0, "test");
}

static void
world_clear (World *f)
{
  rsim_world_clear (&f->w);
  rsim_job_spec_clear (&f->job);
}

/* Runs the engine up to and including time t. */
static G_GNUC_UNUSED void
run_to (World *f, RsimTime t)
{
  rsim_engine_run_until (f->w.engine, t);
}
