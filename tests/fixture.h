/* Shared fixture of the scheduler suites: a two-vertex job on 4
 * TaskManagers of 2 slots with a version's defaults, timeline helpers, and
 * a capture of the event log and time series. Included by one test file
 * each (functions are static). */
#pragma once

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <rescalesim/scenario.h>
#include <rescalesim/simulation.h>

/* A keyed (hash) or forward-only job of two vertices on 4 TaskManagers of 2
 * slots, with Flink 1.20 defaults. */
static void
config_init (RsimSimConfig *c, const char *version, RsimShip ship, int p)
{
  memset (c, 0, sizeof *c);
  cr_assert (rsim_version_parse (version, &c->version));
  c->duration = 20 * RSIM_MIN;
  c->seed = 7;
  c->scheduler = RSIM_SCHEDULER_DEFAULT;
  /* The version's defaults from the scenario layer's key table, with
   * checkpoints every 10 s and 2 slots per TaskManager. */
  const char *const pairs[] = {
    "taskmanager.numberOfTaskSlots", "2",
    "execution.checkpointing.interval", "10 s",
    NULL };
  g_autoptr (GError) error = NULL;
  cr_assert (rsim_flink_conf_resolve (&c->flink, c->version, pairs, &error),
             "%s", error ? error->message : "");
  c->cluster.taskmanagers = 4;
  c->cluster.rm_mode = RSIM_RM_STANDALONE;
  c->job.n_vertices = 2;
  c->job.vertices = g_new0 (RsimVertexSpec, 2);
  c->job.vertices[0] = (RsimVertexSpec) {
    .name = g_strdup ("source"),
    .parallelism = p,
    .max_parallelism = 0,
    .slot_sharing_group = g_strdup ("default"),
    .capacity = 2000.0,
    .state_bytes = 0.0,
  };
  c->job.vertices[1] = (RsimVertexSpec) {
    .name = g_strdup ("window"),
    .parallelism = p,
    .max_parallelism = 0,
    .slot_sharing_group = g_strdup ("default"),
    .capacity = 1500.0,
    .state_bytes = 0.0,
  };
  c->job.n_edges = 1;
  c->job.edges = g_new0 (RsimEdgeSpec, 1);
  c->job.edges[0] = (RsimEdgeSpec) { 0, 1, ship };
  c->workload.rate.kind = RSIM_RATE_CONSTANT;
  c->workload.rate.value = 1000.0 * p / 2;
  rsim_costs_init_defaults (&c->costs, c->version);
  c->sample_interval = RSIM_SEC;
}

static RsimAction *
add_action (RsimSimConfig *c, RsimTime at, RsimActionKind kind)
{
  c->timeline = g_renew (RsimAction, c->timeline, c->n_timeline + 1);
  RsimAction *a = &c->timeline[c->n_timeline++];
  memset (a, 0, sizeof *a);
  a->at = at;
  a->kind = kind;
  a->count = 1;
  return a;
}

static G_GNUC_UNUSED void
kill_tm0 (RsimSimConfig *c, RsimTime at)
{
  RsimAction *a = add_action (c, at, RSIM_ACTION_KILL_TASKMANAGERS);
  a->taskmanager_ids = g_new0 (int, 1);
  a->n_taskmanager_ids = 1;
  a->kill_rpc = RSIM_KILL_RPC_TIMEOUT;
}

static G_GNUC_UNUSED int *
all_parallelism (int n, int p)
{
  int *v = g_new (int, n);
  for (int i = 0; i < n; i++)
    v[i] = p;
  return v;
}

/* The event log, kept as text for assertions. */
typedef struct {
  GString *log;
} Capture;

static void
capture_event (gpointer user, RsimTime t, const char *component,
               const char *event, const char *detail)
{
  Capture *cap = user;
  g_string_append_printf (cap->log, "%" G_GINT64_FORMAT " %s %s %s\n", t,
                          component, event, detail);
}

static void
capture_sample (gpointer user, const RsimSample *s)
{
  Capture *cap = user;
  g_string_append_printf (cap->log, "S %" G_GINT64_FORMAT " %.9g %.9g %.9g %d %d %s\n",
                          s->t, s->input_rate, s->processed_rate, s->lag_records,
                          s->parallelism, s->taskmanagers_alive, s->job_state);
}

/* The instant (us) of the first event line of a captured log at or after
 * `after` whose text contains `needle`, or -1. */
static G_GNUC_UNUSED RsimTime
event_at (const char *log, RsimTime after, const char *needle)
{
  g_auto (GStrv) lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++) {
    gint64 t;
    if (lines[i][0] == 'S' || strstr (lines[i], needle) == NULL)
      continue;
    if (sscanf (lines[i], "%" G_GINT64_FORMAT, &t) == 1 && t >= after)
      return t;
  }
  return -1;
}

static RsimResult *
run (const RsimSimConfig *c, Capture *cap)
{
  RsimSinks sinks = { cap, cap ? capture_sample : NULL,
                      cap ? capture_event : NULL };
  GError *error = NULL;
  RsimResult *r = rsim_simulation_run (c, cap ? &sinks : NULL, &error);
  cr_assert_not_null (r, "run failed: %s", error ? error->message : "?");
  return r;
}

