/* Tests of the execution-graph core shared by the schedulers
 * (sim/sched/execution.h), driven directly: slots, deployment and restore
 * timing, cancellation with the cancel RPC's retries, a lost TaskManager,
 * peer failure by connectivity, the checkpoint gate, and each state
 * backend's restore of one subtask (download, clip or rebuild, changelog
 * replay) on both sides of every version change. Every instant is derived
 * from the default costs and asserted exactly. */
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

/* ------------------------------------------------------ state restores */

/* Microseconds to move `bytes` at `rate` bytes/s, rounded as the core does. */
static RsimTime
us_at (double bytes, double rate)
{
  return (RsimTime) (bytes / rate * 1e6 + 0.5);
}

/* A keyed job at parallelism 3 whose window holds `state` bytes, rescaled
 * to 4, on RocksDB with incremental checkpoints; `snap` is a checkpoint
 * taken at parallelism 3. */
static void
rescale_world (World *f, const char *version, double state, RsimSnapshot *snap,
               int *old_p)
{
  world_init (f, version, RSIM_SHIP_HASH, 3, 2);
  f->conf.state_backend = RSIM_STATE_BACKEND_ROCKSDB;
  f->conf.incremental_checkpoints = 1;
  f->w.graph->spec.vertices[1].state_bytes = state;
  int p[2] = { 4, 4 };
  rsim_job_graph_set_parallelism (f->w.graph, p);
  old_p[0] = old_p[1] = 3;
  *snap = (RsimSnapshot) { .valid = TRUE, .barrier = 0, .layout = G_MAXUINT,
                           .parallelism = old_p, .n_vertices = 2 };
}

/* A 3 -> 4 rescale over 128 key groups (old handles 0..42, 43..85,
 * 86..127; new ranges 0..31, 32..63, 64..95, 96..127). Subtask 0 lies
 * inside handle 0: it downloads that handle and clips 11 key groups;
 * subtask 1 straddles handles 0 and 1: it downloads both, clips the base
 * (handle 1, 22 key groups off) and re-inserts handle 0's 11 key groups.
 * 1.15 clips key by key (the bytes at the WAL-on rebuild rate, like
 * re-inserting them) and downloads the handles one after the other; 1.16
 * clips with deleteRange; 1.18 downloads both handles at once and
 * re-inserts with the WAL off. */
Test (execution, rescale_restore_clips_or_rebuilds_per_version)
{
  const double state = 16e9, kg = state / 128;
  /* 1.15 | 1.16, 1.17 | 1.18: both sides of 1.16's and 1.18's rules. */
  const char *versions[] = { "1.15", "1.16", "1.17", "1.18" };
  const int era[] = { 0, 1, 1, 2 };
  for (int k = 0; k < 4; k++) {
    World f;
    RsimSnapshot snap;
    int old_p[2];
    rescale_world (&f, versions[k], state, &snap, old_p);
    const RsimCosts *c = &f.costs;
    double bw = c->state_download_bandwidth.a;
    double wal = c->state_rebuild_rate_wal.a, nowal = c->state_rebuild_rate.a;
    RsimTime clip = (RsimTime) c->state_clip.a;
    RsimRestoreSplit s0 = rsim_exec_restore_split (&f.w, 1, 0, &snap, FALSE);
    RsimRestoreSplit s1 = rsim_exec_restore_split (&f.w, 1, 1, &snap, FALSE);
    cr_expect_eq (s0.fixed, (RsimTime) c->restore_fixed.a);
    cr_expect_eq (s0.handles, 1);
    cr_expect_eq (s1.handles, 2);
    cr_expect_eq (s0.download, us_at (43 * kg, bw), "%s", versions[k]);
    cr_expect_eq (s0.replay, 0);
    switch (era[k]) {
    case 0:
      /* Clipping 11 key groups costs what re-inserting 11 key groups
       * does. */
      cr_expect_eq (s0.rebuild, us_at (11 * kg, wal));
      cr_expect_eq (s1.download, us_at (86 * kg, bw));
      cr_expect_eq (s1.rebuild, us_at (22 * kg, wal) + us_at (11 * kg, wal));
      break;
    case 1:
      cr_expect_eq (s0.rebuild, clip);
      cr_expect_eq (s1.download, us_at (86 * kg, bw));
      cr_expect_eq (s1.rebuild, clip + us_at (11 * kg, wal));
      break;
    default:
      cr_expect_eq (s0.rebuild, clip);
      cr_expect_eq (s1.download, us_at (43 * kg, bw));
      cr_expect_eq (s1.rebuild, clip + us_at (11 * kg, nowal));
      break;
    }
    world_clear (&f);
  }
}

/* The job's restore is its slowest subtask's; the deployment names it and
 * keeps its split in the result. */
Test (execution, the_job_restore_is_the_slowest_subtask)
{
  World f;
  RsimSnapshot snap;
  int old_p[2];
  rescale_world (&f, "1.15", 16e9, &snap, old_p);
  Heard h;
  RsimExecGraph *eg = core_new (&f, &h);
  reserve_all (eg);
  RsimDeployInfo d = rsim_exec_graph_deploy (eg, -1, &snap, 0);
  cr_assert_eq (d.slowest_vertex, 1);
  cr_assert_eq (d.slowest_subtask, 1);
  RsimTime slowest = d.slowest.fixed + d.slowest.download + d.slowest.rebuild
                     + d.slowest.replay;
  cr_expect_eq (d.restore, slowest);
  /* Every other subtask takes less (drawn the same way: constants). */
  for (int i = 0; i < 4; i++) {
    RsimRestoreSplit s = rsim_exec_restore_split (&f.w, 1, i, &snap, FALSE);
    cr_expect_leq (s.fixed + s.download + s.rebuild + s.replay, slowest, "%d", i);
  }
  const RsimVertexRestore *vr = &f.w.recorder->result->vertex_restore[1];
  cr_expect_eq (vr->subtask, 1);
  cr_expect_eq (vr->restores, 1);
  cr_expect_eq (vr->handles, 2);
  cr_expect_float_eq (vr->download_s, RSIM_TIME_TO_SEC (d.slowest.download), 1e-9);
  cr_expect_float_eq (vr->rebuild_s, RSIM_TIME_TO_SEC (d.slowest.rebuild), 1e-9);
  core_free (eg, &h);
  world_clear (&f);
}

/* The other backends and formats on the same 3 -> 4 rescale of subtask 1
 * (32 key groups of its own). */
Test (execution, restore_by_backend_and_format)
{
  const double state = 16e9, kg = state / 128;
  World f;
  RsimSnapshot snap;
  int old_p[2];
  /* Heap: only its own key groups, deserialized as they are read. */
  rescale_world (&f, "1.20", state, &snap, old_p);
  f.conf.state_backend = RSIM_STATE_BACKEND_HASHMAP;
  f.conf.incremental_checkpoints = 0;
  double bw = f.costs.state_download_bandwidth.a;
  double rate = f.costs.state_rebuild_rate.a;
  RsimTime clip = (RsimTime) f.costs.state_clip.a;
  RsimRestoreSplit s = rsim_exec_restore_split (&f.w, 1, 1, &snap, FALSE);
  cr_expect_eq (s.download, us_at (32 * kg, bw));
  cr_expect_eq (s.rebuild, 0);
  /* RocksDB full checkpoints: the same bytes, every key re-inserted. */
  f.conf.state_backend = RSIM_STATE_BACKEND_ROCKSDB;
  s = rsim_exec_restore_split (&f.w, 1, 1, &snap, FALSE);
  cr_expect_eq (s.download, us_at (32 * kg, bw));
  cr_expect_eq (s.rebuild, us_at (32 * kg, rate));
  /* A canonical savepoint of an incremental job: also key by key; a
   * native one restores from the files. */
  f.conf.incremental_checkpoints = 1;
  snap.savepoint = TRUE;
  s = rsim_exec_restore_split (&f.w, 1, 1, &snap, FALSE);
  cr_expect_eq (s.rebuild, us_at (32 * kg, rate));
  snap.native = TRUE;
  s = rsim_exec_restore_split (&f.w, 1, 1, &snap, FALSE);
  cr_expect_eq (s.download, us_at (43 * kg, bw));
  cr_expect_eq (s.rebuild, clip + us_at (11 * kg, rate));
  snap.savepoint = snap.native = FALSE;
  /* 1.20's ingest restore: the other handle is clipped and ingested. */
  f.conf.rocksdb_ingest_restore = 1;
  s = rsim_exec_restore_split (&f.w, 1, 1, &snap, FALSE);
  cr_expect_eq (s.rebuild, clip + clip);
  world_clear (&f);
  /* ForSt (2.0): nothing downloaded first. */
  rescale_world (&f, "2.0", state, &snap, old_p);
  f.conf.state_backend = RSIM_STATE_BACKEND_FORST;
  s = rsim_exec_restore_split (&f.w, 1, 1, &snap, FALSE);
  cr_expect_eq (s.download, 0);
  cr_expect_eq (s.bytes, 0.0);
  cr_expect_eq (s.rebuild, clip + us_at (11 * kg, f.costs.state_rebuild_rate.a));
  world_clear (&f);
}

/* The changelog backend: a restore downloads the materialized state and the
 * changelog of the handles it reads, then replays its own share; it
 * recovers locally only from 1.16 (FLINK-27692, FLINK-27693). */
Test (execution, changelog_restore_replays_and_recovers_locally_from_1_16)
{
  const double state = 12e9, rate = 4e6, since = 90.0;
  const char *versions[] = { "1.15", "1.16" };
  for (int k = 0; k < 2; k++) {
    World f;
    world_init (&f, versions[k], RSIM_SHIP_HASH, 3, 2);
    f.conf.state_backend = RSIM_STATE_BACKEND_ROCKSDB;
    f.conf.incremental_checkpoints = 1;
    f.conf.changelog_enabled = 1;
    RsimVertexSpec *vs = &f.w.graph->spec.vertices[1];
    vs->state_bytes = state;
    vs->state_change_rate = rate;
    int old_p[2] = { 3, 3 };
    RsimSnapshot snap = { .valid = TRUE, .layout = G_MAXUINT,
                          .parallelism = old_p, .n_vertices = 2,
                          .changelog_s = since };
    double own = state * 43 / 128;
    double bw = f.costs.state_download_bandwidth.a;
    RsimTime replay = us_at (rate * since * own / state,
                             f.costs.changelog_replay_rate.a);
    RsimRestoreSplit remote = rsim_exec_restore_split (&f.w, 1, 0, &snap, FALSE);
    cr_expect_eq (remote.download, us_at (own, bw) + us_at (rate * since / 3, bw));
    cr_expect_eq (remote.rebuild, 0);
    cr_expect_eq (remote.replay, replay);
    RsimRestoreSplit local = rsim_exec_restore_split (&f.w, 1, 0, &snap, TRUE);
    cr_expect_eq (local.local, k == 1, "%s", versions[k]);
    cr_expect_eq (local.download, k == 1 ? 0 : remote.download, "%s", versions[k]);
    cr_expect_eq (local.replay, replay);
    world_clear (&f);
  }
}
