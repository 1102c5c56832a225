/* Tests of the execution-graph core shared by the schedulers
 * (sim/sched/execution.h), driven directly: slots, deployment and restore
 * timing, cancellation with the cancel RPC's retries, a lost TaskManager,
 * peer failure by connectivity, the checkpoint gate. Every instant is
 * derived from the default costs and asserted exactly. */
#include "test-model-fixture.h"

#include "sched/execution.h"

typedef struct {
  int failed;
  int last_failed;
  char *cause;
  RsimTime failed_at;
  int cancelled;
  int restored;
  int n_running, n_missing;
  RsimTime restored_at;
  RsimEngine *engine;
} Heard;

static void
on_failed (gpointer user, int e, const char *cause)
{
  Heard *h = user;
  h->failed++;
  h->last_failed = e;
  g_free (h->cause);
  h->cause = g_strdup (cause);
  h->failed_at = rsim_engine_now (h->engine);
}

static void
on_cancelled (gpointer user, int e)
{
  ((Heard *) user)->cancelled++;
}

static void
on_restored (gpointer user, int tag, int running, int missing)
{
  Heard *h = user;
  h->restored++;
  h->n_running = running;
  h->n_missing = missing;
  h->restored_at = rsim_engine_now (h->engine);
}

static RsimExecGraph *
core_new (World *f, Heard *h)
{
  memset (h, 0, sizeof *h);
  h->engine = f->w.engine;
  const RsimExecListener l = { on_failed, on_cancelled, on_restored };
  RsimExecGraph *eg = rsim_exec_graph_new (&f->w, &l, h, TRUE);
  rsim_exec_graph_build (eg);
  return eg;
}

static void
core_free (RsimExecGraph *eg, Heard *h)
{
  rsim_exec_graph_free (eg);
  g_free (h->cause);
}

static void
reserve_all (RsimExecGraph *eg)
{
  for (int k = 0; k < eg->n_shared; k++)
    cr_assert (rsim_exec_graph_ensure_slot (eg, k));
}

static const RsimSnapshot empty = { .layout = G_MAXUINT };

/* A keyed job of 2 x 2 tasks (2 shared slots, both on TaskManager 0, the
 * lowest id): deployment takes deploy_fixed + 4 x deploy_per_task, the
 * restore of empty state restore_fixed: RUNNING at 50 ms + 3.44 ms + 20 ms.
 * The gate opens then and not before. */
Test (execution, deploy_and_restore_take_the_derived_time)
{
  World f;
  Heard h;
  world_init (&f, "1.20", RSIM_SHIP_HASH, 2, 2);
  RsimExecGraph *eg = core_new (&f, &h);
  cr_assert_eq (eg->n_ex, 4);
  cr_assert_eq (eg->n_shared, 2);
  reserve_all (eg);
  cr_expect_eq (rsim_slot_pool_used (f.w.slots), 2);
  cr_expect_not (rsim_slot_pool_tm_idle (f.w.slots, 0));
  cr_expect (rsim_slot_pool_tm_idle (f.w.slots, 1));
  cr_expect_not (f.w.checkpoints->all_running (f.w.checkpoints->gate_user));
  RsimDeployInfo d = rsim_exec_graph_deploy (eg, -1, &empty, 7);
  cr_expect_eq (d.n_tasks, 4);
  cr_expect_eq (d.n_failing, 0);
  cr_expect_eq (d.deploy, 50000 + 3440);
  cr_expect_eq (d.restore, 20000);
  cr_expect_eq (rsim_exec_graph_count (eg, RSIM_EXEC_INITIALIZING), 4);
  run_to (&f, RSIM_SEC);
  cr_expect_eq (h.restored, 1);
  cr_expect_eq (h.restored_at, 73440);
  cr_expect_eq (h.n_running, 4);
  cr_expect_eq (rsim_exec_graph_count (eg, RSIM_EXEC_RUNNING), 4);
  cr_expect (rsim_exec_graph_all_running (eg));
  cr_expect (f.w.checkpoints->all_running (f.w.checkpoints->gate_user));
  core_free (eg, &h);
  world_clear (&f);
}

/* Before 1.14 the gate asks only for the sources (FLINK-22379). */
Test (execution, gate_before_1_14_asks_only_for_the_sources)
{
  const char *versions[] = { "1.13", "1.14" };
  for (int i = 0; i < 2; i++) {
    World f;
    Heard h;
    world_init (&f, versions[i], RSIM_SHIP_HASH, 2, 2);
    RsimExecGraph *eg = core_new (&f, &h);
    for (int e = 0; e < eg->n_ex; e++)
      rsim_exec_graph_set_state (eg, e, eg->ex[e].vertex == 0
                                 ? RSIM_EXEC_RUNNING : RSIM_EXEC_INITIALIZING);
    gboolean open = f.w.checkpoints->all_running (f.w.checkpoints->gate_user);
    cr_expect_eq (open, i == 0, "%s", versions[i]);
    core_free (eg, &h);
    world_clear (&f);
  }
}

/* A deployment to a killed TaskManager (its address no longer answers)
 * fails after deploy_fixed + the ask timeout (10 s), and counts once, also
 * when the TaskManager is declared lost before. */
Test (execution, deploy_to_a_dead_taskmanager_fails_after_the_ask_timeout)
{
  World f;
  Heard h;
  world_init (&f, "1.20", RSIM_SHIP_HASH, 4, 2);
  RsimExecGraph *eg = core_new (&f, &h);
  reserve_all (eg);
  RsimTaskManager *tm1 = rsim_cluster_get (f.w.cluster, 1);
  rsim_cluster_kill (f.w.cluster, tm1, RSIM_KILL_RPC_TIMEOUT);
  RsimDeployInfo d = rsim_exec_graph_deploy (eg, -1, &empty, 0);
  cr_expect_eq (d.n_failing, 4);         /* subtasks 2 and 3 of each vertex */
  run_to (&f, 10 * RSIM_SEC + 50000 - 1);
  cr_expect_eq (h.failed, 0);
  run_to (&f, 10 * RSIM_SEC + 50000);
  cr_expect_eq (h.failed, 4);
  cr_expect_eq (h.failed_at, 10 * RSIM_SEC + 50000);
  cr_expect_str_eq (h.cause, "deployment to taskmanager 1 failed: the "
                    "TaskManager does not answer");
  cr_expect_eq (f.w.recorder->result->failed_deployments, 4);
  core_free (eg, &h);
  world_clear (&f);

  /* Declared lost first: counted there, once. */
  world_init (&f, "1.20", RSIM_SHIP_HASH, 4, 2);
  eg = core_new (&f, &h);
  reserve_all (eg);
  tm1 = rsim_cluster_get (f.w.cluster, 1);
  rsim_cluster_kill (f.w.cluster, tm1, RSIM_KILL_RPC_TIMEOUT);
  rsim_exec_graph_deploy (eg, -1, &empty, 0);
  rsim_exec_graph_tm_lost (eg, tm1, "test");
  cr_expect_eq (h.failed, 4);
  cr_expect_eq (f.w.recorder->result->failed_deployments, 4);
  run_to (&f, RSIM_MIN);
  cr_expect_eq (f.w.recorder->result->failed_deployments, 4);
  cr_expect_eq (h.failed, 4);
  core_free (eg, &h);
  world_clear (&f);
}

/* Cancelling a task on a TaskManager that no longer answers waits for three
 * cancel RPCs to time out (Execution.NUM_CANCEL_CALL_TRIES x 10 s); on
 * 1.14+ a host that refuses connections fails them at once (FLINK-23202);
 * a live TaskManager takes cancel_task (20 ms). */
Test (execution, cancel_waits_for_the_cancel_rpc_tries)
{
  struct { const char *v; RsimKillRpc rpc; RsimTime after; } cases[] = {
    { "1.20", RSIM_KILL_RPC_TIMEOUT, 30 * RSIM_SEC },
    { "1.20", RSIM_KILL_RPC_REFUSED, 0 },
    { "1.13", RSIM_KILL_RPC_REFUSED, 30 * RSIM_SEC },
  };
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++) {
    World f;
    Heard h;
    world_init (&f, cases[c].v, RSIM_SHIP_HASH, 4, 2);
    RsimExecGraph *eg = core_new (&f, &h);
    reserve_all (eg);
    rsim_exec_graph_deploy (eg, -1, &empty, 0);
    run_to (&f, RSIM_SEC);
    RsimTime t0 = RSIM_SEC;
    rsim_cluster_kill (f.w.cluster, rsim_cluster_get (f.w.cluster, 1),
                       cases[c].rpc);
    int pending = rsim_exec_graph_cancel_all (eg);
    cr_expect_eq (pending, 8);
    /* The 4 tasks on TaskManager 0 are cancelled after cancel_task; those
     * on the dead one after the RPC tries. */
    run_to (&f, t0);
    cr_expect_eq (h.cancelled, cases[c].after == 0 ? 4 : 0, "case %u", c);
    run_to (&f, t0 + 20000);
    cr_expect_eq (h.cancelled, cases[c].after == 0 ? 8 : 4, "case %u", c);
    if (cases[c].after > 20000) {
      run_to (&f, t0 + cases[c].after - 1);
      cr_expect_eq (h.cancelled, 4, "case %u", c);
      run_to (&f, t0 + cases[c].after);
    }
    cr_expect_eq (h.cancelled, 8, "case %u", c);
    cr_expect_eq (rsim_exec_graph_count (eg, RSIM_EXEC_CANCELED), 8);
    core_free (eg, &h);
    world_clear (&f);
  }
}

/* A killed TaskManager: after peer_failure_detection (1 s) a task that
 * exchanges data with one on it fails. A keyed job is one region: one
 * failure. A forward-only job is one region per pipeline; the pipeline that
 * sits wholly on the dead TaskManager has no live peer, the other pipeline
 * is not connected to it: nothing fails until the TaskManager is declared
 * lost. */
Test (execution, peer_failure_follows_connectivity)
{
  World f;
  Heard h;
  world_init (&f, "1.20", RSIM_SHIP_HASH, 4, 2);
  RsimExecGraph *eg = core_new (&f, &h);
  reserve_all (eg);
  rsim_exec_graph_deploy (eg, -1, &empty, 0);
  run_to (&f, 10 * RSIM_SEC);
  RsimTaskManager *tm1 = rsim_cluster_get (f.w.cluster, 1);
  rsim_cluster_kill (f.w.cluster, tm1, RSIM_KILL_RPC_TIMEOUT);
  rsim_exec_graph_tm_died (eg, tm1);
  run_to (&f, 11 * RSIM_SEC - 1);
  cr_expect_eq (h.failed, 0);
  run_to (&f, 11 * RSIM_SEC);
  cr_expect_eq (h.failed, 1);
  cr_expect_eq (h.failed_at, 11 * RSIM_SEC);
  cr_expect_str_eq (h.cause, "connection to taskmanager 1 lost: a peer task "
                    "failed");
  cr_expect_neq (rsim_exec_graph_tm (eg, h.last_failed), tm1);
  core_free (eg, &h);
  world_clear (&f);

  world_init (&f, "1.20", RSIM_SHIP_FORWARD, 4, 2);
  eg = core_new (&f, &h);
  cr_assert_eq (f.w.graph->n_regions, 4);
  reserve_all (eg);
  rsim_exec_graph_deploy (eg, -1, &empty, 0);
  run_to (&f, 10 * RSIM_SEC);
  tm1 = rsim_cluster_get (f.w.cluster, 1);
  rsim_cluster_kill (f.w.cluster, tm1, RSIM_KILL_RPC_TIMEOUT);
  rsim_exec_graph_tm_died (eg, tm1);
  run_to (&f, 30 * RSIM_SEC);
  cr_expect_eq (h.failed, 0);
  cr_expect (rsim_exec_graph_region_running (eg, 0));
  cr_expect (rsim_exec_graph_region_running (eg, 1));
  cr_expect_not (rsim_exec_graph_region_running (eg, 2));
  cr_expect_not (rsim_exec_graph_region_running (eg, 3));
  rsim_exec_graph_tm_lost (eg, tm1, "heartbeat timeout");
  cr_expect_eq (h.failed, 4);
  cr_expect_str_eq (h.cause, "taskmanager 1 lost: heartbeat timeout");
  cr_expect_eq (rsim_exec_graph_held_slots (eg), 2);
  core_free (eg, &h);
  world_clear (&f);
}

/* Local recovery: back on the same TaskManager at the same parallelism
 * from a checkpoint, nothing is downloaded; after a rebuild at another
 * parallelism the locations are forgotten. */
Test (execution, local_recovery_needs_the_same_slot_and_parallelism)
{
  World f;
  Heard h;
  world_init (&f, "1.20", RSIM_SHIP_HASH, 2, 2);
  f.conf.local_recovery = 1;
  f.job.vertices[1].state_bytes = 2.0 * 20e6;  /* 20 MB per subtask */
  rsim_job_graph_free (f.w.graph);
  f.w.graph = rsim_job_graph_new (&f.job, -1);
  RsimExecGraph *eg = core_new (&f, &h);
  reserve_all (eg);
  int par[2] = { 2, 2 };
  RsimSnapshot snap = { .valid = TRUE, .id = 1, .layout = G_MAXUINT,
                        .n_vertices = 2, .parallelism = par };
  RsimDeployInfo d = rsim_exec_graph_deploy (eg, -1, &snap, 0);
  /* 20 MB at 20 MB/s = 1 s, plus restore_fixed. */
  cr_expect_eq (d.restore, RSIM_SEC + 20000);
  run_to (&f, 5 * RSIM_SEC);
  rsim_exec_graph_cancel_all (eg);
  run_to (&f, 6 * RSIM_SEC);
  d = rsim_exec_graph_deploy (eg, -1, &snap, 0);
  cr_expect_eq (d.restore, 20000, "local copy: nothing to download");
  core_free (eg, &h);
  world_clear (&f);
}
