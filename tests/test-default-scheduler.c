/* Tests of the default scheduler, the cluster's failure detection, the
 * checkpoint-driven reprocessing and the rescale paths, on configurations
 * built in code (independent of the scenario loader). Simulated time is
 * deterministic, so the tests assert on simulated seconds and counts. */
#include "fixture.h"

Test (default_scheduler, killed_taskmanager_waits_for_heartbeat_timeout)
{
  RsimSimConfig c;
  config_init (&c, "1.20", RSIM_SHIP_HASH, 6);
  kill_tm0 (&c, 10 * RSIM_MIN);
  RsimResult *r = run (&c, NULL);
  /* Killed at 600 s; the last heartbeat answer was at 590 s, so the
   * JobManager drops it at 640 s and the job runs again just after. */
  cr_assert_gt (r->downtime_s, 35.0, "downtime %.3f", r->downtime_s);
  cr_assert_lt (r->downtime_s, 50.0, "downtime %.3f", r->downtime_s);
  cr_assert_geq (r->failed_deployments, 1);
  cr_assert_geq (r->failure_restarts, 2, "a peer failure, then the redeploy");
  cr_assert_str_eq (r->final_state, "RUNNING");
  cr_assert_eq (r->final_parallelism[1], 6);
  cr_assert_eq (r->incidents->len, 1);
  RsimIncident *inc = r->incidents->pdata[0];
  cr_assert_str_eq (inc->cause, "taskmanager 0 killed");
  cr_assert_eq (inc->start, 10 * RSIM_MIN);
  rsim_result_free (r);

  /* heartbeat.timeout 8 s (interval 2 s): the stall shrinks to seconds. */
  c.flink.heartbeat_interval = 2 * RSIM_SEC;
  c.flink.heartbeat_timeout = 8 * RSIM_SEC;
  r = run (&c, NULL);
  cr_assert_lt (r->downtime_s, 12.0, "downtime %.3f", r->downtime_s);
  cr_assert_gt (r->downtime_s, 5.0, "downtime %.3f", r->downtime_s);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

Test (default_scheduler, refused_connections_are_detected_by_rpc_threshold)
{
  RsimSimConfig c;
  config_init (&c, "1.20", RSIM_SHIP_HASH, 6);
  kill_tm0 (&c, 10 * RSIM_MIN);
  c.timeline[0].kill_rpc = RSIM_KILL_RPC_REFUSED;
  RsimResult *r = run (&c, NULL);
  /* Two failed heartbeat RPCs, 10 s apart: lost at 610 s. Until then every
   * redeploy to the dead TaskManager fails at once and the exponential
   * backoff grows (1, 1.5, 2.25, 3.4 s ...), so the outage outlasts the
   * detection (docs/flink-versions.md, "Detecting a lost TaskManager"). */
  cr_assert_lt (r->downtime_s, 20.0, "downtime %.3f", r->downtime_s);
  cr_assert_gt (r->downtime_s, 10.0, "downtime %.3f", r->downtime_s);
  cr_assert_geq (r->failed_deployments, 3);
  cr_assert_geq (r->failure_restarts, 4);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);

  /* Before 1.14 there is no rpc-failure-threshold (FLINK-23209) and RPCs do
   * not fail fast (FLINK-23202): only heartbeat.timeout finds the loss. */
  config_init (&c, "1.13", RSIM_SHIP_HASH, 6);
  kill_tm0 (&c, 10 * RSIM_MIN);
  c.timeline[0].kill_rpc = RSIM_KILL_RPC_REFUSED;
  r = run (&c, NULL);
  cr_assert_gt (r->downtime_s, 35.0, "downtime %.3f", r->downtime_s);
  cr_assert_lt (r->downtime_s, 50.0, "downtime %.3f", r->downtime_s);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

Test (default_scheduler, graceful_stop_is_noticed_at_once)
{
  RsimSimConfig c;
  config_init (&c, "1.20", RSIM_SHIP_HASH, 6);
  RsimAction *a = add_action (&c, 10 * RSIM_MIN, RSIM_ACTION_STOP_TASKMANAGERS);
  a->taskmanager_ids = g_new0 (int, 1);
  a->n_taskmanager_ids = 1;
  RsimResult *r = run (&c, NULL);
  /* Lost at once (FLINK-25277): ~1 s backoff, deploy and restore. */
  cr_assert_lt (r->downtime_s, 2.0, "downtime %.3f", r->downtime_s);
  cr_assert_gt (r->downtime_s, 0.9, "downtime %.3f", r->downtime_s);
  cr_assert_eq (r->failed_deployments, 0);
  cr_assert_eq (r->failure_restarts, 1);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);

  /* Before 1.15 the JobManager is not told: only heartbeats find out. */
  config_init (&c, "1.13", RSIM_SHIP_HASH, 6);
  a = add_action (&c, 10 * RSIM_MIN, RSIM_ACTION_STOP_TASKMANAGERS);
  a->taskmanager_ids = g_new0 (int, 1);
  a->n_taskmanager_ids = 1;
  r = run (&c, NULL);
  cr_assert_gt (r->downtime_s, 30.0, "downtime %.3f", r->downtime_s);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

/* Downtime of each incident, in order. */
static double
incident_downtime (const RsimResult *r, guint i)
{
  cr_assert_lt (i, r->incidents->len);
  return ((RsimIncident *) r->incidents->pdata[i])->downtime_s;
}

Test (default_scheduler, exponential_delay_backoff_grows)
{
  RsimSimConfig c;
  config_init (&c, "2.3", RSIM_SHIP_HASH, 2);
  c.flink.checkpoint_interval = 2 * RSIM_SEC;
  RsimAction *a = add_action (&c, 60 * RSIM_SEC, RSIM_ACTION_FAIL_TASK);
  a->vertex = 1;
  a = add_action (&c, 70 * RSIM_SEC, RSIM_ACTION_FAIL_TASK);
  a->vertex = 1;
  RsimResult *r = run (&c, NULL);
  cr_assert_eq (r->incidents->len, 2);
  /* Backoff 1 s then 1.5 s, each +-10 % jitter, plus ~0.1 s to deploy and
   * restore a stateless job (one measured run of a tiny job on a Flink 2.3
   * MiniCluster, the README's cost table: 1.06 s then 1.52 s). */
  double d1 = incident_downtime (r, 0), d2 = incident_downtime (r, 1);
  cr_assert (d1 > 0.9 && d1 < 1.25, "first outage %.3f s", d1);
  cr_assert (d2 > 1.35 && d2 < 1.8, "second outage %.3f s", d2);
  cr_assert_eq (r->failure_restarts, 2);
  /* A keyed job is one region: all 4 tasks restart each time. */
  cr_assert_eq (r->task_attempts, 8);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

Test (default_scheduler, forward_job_restarts_only_the_failed_region)
{
  RsimSimConfig c;
  config_init (&c, "2.3", RSIM_SHIP_FORWARD, 2);
  c.flink.checkpoint_interval = 2 * RSIM_SEC;
  RsimAction *a = add_action (&c, 60 * RSIM_SEC, RSIM_ACTION_FAIL_TASK);
  a->vertex = 1;
  RsimResult *r = run (&c, NULL);
  /* Only subtask 0's pipeline (2 tasks) restarts; the other region runs on. */
  cr_assert_eq (r->task_attempts, 2);
  cr_assert_float_eq (r->downtime_s, 0.0, 1e-9);
  cr_assert_gt (r->capacity_loss_s, 0.45);
  cr_assert_lt (r->capacity_loss_s, 0.65);
  cr_assert_eq (r->failure_restarts, 1);
  rsim_result_free (r);

  /* jobmanager.execution.failover-strategy: full restarts everything. */
  c.flink.failover_strategy = RSIM_FAILOVER_FULL;
  r = run (&c, NULL);
  cr_assert_eq (r->task_attempts, 4);
  cr_assert_gt (r->downtime_s, 0.9);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

/* The barrier time of the last checkpoint completed before `before` (µs),
 * read from the event log. */
static RsimTime
last_barrier_before (const char *log, RsimTime before)
{
  RsimTime best = -1;
  g_auto (GStrv) lines = g_strsplit (log, "\n", -1);
  for (int i = 0; lines[i]; i++) {
    gint64 t;
    char comp[64], ev[64];
    if (sscanf (lines[i], "%" G_GINT64_FORMAT " %63s %63s", &t, comp, ev) != 3)
      continue;
    if (t > before || strcmp (ev, "checkpoint_completed") != 0)
      continue;
    const char *at = strstr (lines[i], "barrier at ");
    cr_assert_not_null (at);
    best = (RsimTime) llround (g_ascii_strtod (at + 11, NULL) * 1e6);
  }
  return best;
}

Test (default_scheduler, reprocessed_records_go_back_to_the_checkpoint)
{
  RsimSimConfig c;
  config_init (&c, "1.20", RSIM_SHIP_HASH, 4);
  c.job.vertices[1].state_bytes = 1e9;
  RsimTime fail_at = 5 * RSIM_MIN + 7 * RSIM_SEC;
  RsimAction *a = add_action (&c, fail_at, RSIM_ACTION_FAIL_TASK);
  a->vertex = 0;
  Capture cap = { g_string_new (NULL) };
  RsimResult *r = run (&c, &cap);
  RsimTime barrier = last_barrier_before (cap.log->str, fail_at);
  cr_assert_gt (barrier, 0);
  /* No lag before the failure, so the sources had consumed exactly what was
   * produced: rate x (stop time - barrier). */
  double expect = c.workload.rate.value * RSIM_TIME_TO_SEC (fail_at - barrier);
  cr_assert_float_eq (r->reprocessed_records, expect, 1e-6 * expect + 1e-6,
                      "reprocessed %.6f, expected %.6f", r->reprocessed_records,
                      expect);
  cr_assert_gt (expect, 0.0);
  g_string_free (cap.log, TRUE);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

Test (default_scheduler, stop_with_savepoint_reprocesses_nothing)
{
  RsimSimConfig c;
  config_init (&c, "1.20", RSIM_SHIP_HASH, 4);
  c.job.vertices[1].state_bytes = 4e9;
  RsimAction *a = add_action (&c, 10 * RSIM_MIN, RSIM_ACTION_STOP_WITH_SAVEPOINT);
  a->parallelism = all_parallelism (2, 8);
  a->n_parallelism = 2;
  RsimResult *r = run (&c, NULL);
  cr_assert_float_eq (r->reprocessed_records, 0.0, 1e-9);
  cr_assert_eq (r->rescales, 1);
  cr_assert_eq (r->restarts, 0, "a resubmission is a new job, not a restart");
  cr_assert_eq (r->final_parallelism[0], 8);
  cr_assert_eq (r->final_parallelism[1], 8);
  cr_assert_str_eq (r->final_state, "RUNNING");
  cr_assert_eq (r->savepoints_completed, 1);
  /* Savepoint upload (1 GB per subtask at 80 MB/s: 13 s) + submission (1 s)
   * + restore: 4 -> 8 cuts every old key-group range in two, and each new
   * heap subtask reads only its own key groups of the old handle
   * (KeyGroupsStateHandle.getIntersection): 0.5 GB at 20 MB/s (25 s). */
  cr_assert_gt (r->downtime_s, 38.0, "downtime %.3f", r->downtime_s);
  cr_assert_lt (r->downtime_s, 41.0, "downtime %.3f", r->downtime_s);
  rsim_result_free (r);

  /* Stop for good: the job FINISHES and that is not downtime. */
  g_clear_pointer (&c.timeline[0].parallelism, g_free);
  c.timeline[0].n_parallelism = 0;
  r = run (&c, NULL);
  cr_assert_str_eq (r->final_state, "FINISHED");
  cr_assert_lt (r->downtime_s, 15.0);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

Test (default_scheduler, flink_modify_on_1_7)
{
  RsimSimConfig c;
  config_init (&c, "1.7", RSIM_SHIP_HASH, 4);
  c.flink.failover_strategy = RSIM_FAILOVER_FULL;
  c.job.vertices[1].state_bytes = 1e9;
  RsimAction *a = add_action (&c, 10 * RSIM_MIN, RSIM_ACTION_FLINK_MODIFY);
  a->parallelism = all_parallelism (2, 8);
  a->n_parallelism = 2;
  RsimResult *r = run (&c, NULL);
  cr_assert_eq (r->rescales, 1);
  cr_assert_eq (r->final_parallelism[1], 8);
  /* Records processed while the savepoint was taken are read again. */
  cr_assert_gt (r->reprocessed_records, 0.0);
  cr_assert_gt (r->downtime_s, 0.0);
  rsim_result_free (r);

  /* The savepoint fails: the rescale is aborted, nothing stops. */
  RsimAction *f = add_action (&c, 9 * RSIM_MIN, RSIM_ACTION_FAIL_CHECKPOINTS);
  f->checkpoint_target = RSIM_CHECKPOINT_TARGET_SAVEPOINT;
  r = run (&c, NULL);
  cr_assert_eq (r->rescales, 0);
  cr_assert_eq (r->final_parallelism[1], 4);
  cr_assert_float_eq (r->downtime_s, 0.0, 1e-9);
  cr_assert_eq (r->savepoints_failed, 1);
  cr_assert_str_eq (r->final_state, "RUNNING");
  rsim_result_free (r);
  rsim_sim_config_clear (&c);

  /* 1.9+ refuses the call (FLINK-12312). */
  config_init (&c, "1.9", RSIM_SHIP_HASH, 4);
  a = add_action (&c, 10 * RSIM_MIN, RSIM_ACTION_FLINK_MODIFY);
  a->parallelism = all_parallelism (2, 8);
  a->n_parallelism = 2;
  Capture cap = { g_string_new (NULL) };
  r = run (&c, &cap);
  cr_assert_eq (r->rescales, 0);
  cr_assert_eq (r->final_parallelism[1], 4);
  cr_assert_not_null (strstr (cap.log->str, "FLINK-12312"));
  g_string_free (cap.log, TRUE);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

Test (default_scheduler, no_checkpointing_means_no_restart)
{
  RsimSimConfig c;
  config_init (&c, "1.20", RSIM_SHIP_HASH, 4);
  c.flink.checkpoint_interval = 0;
  c.flink.restart_strategy = RSIM_RESTART_NONE;
  RsimAction *a = add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_FAIL_TASK);
  a->vertex = 1;
  RsimResult *r = run (&c, NULL);
  cr_assert_str_eq (r->final_state, "FAILED");
  cr_assert_eq (r->restarts, 0);
  /* A failed job is down until the end of the run. */
  cr_assert_float_eq (r->downtime_s, 15.0 * 60.0, 1e-6);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

Test (default_scheduler, fixed_delay_attempts_run_out)
{
  RsimSimConfig c;
  config_init (&c, "1.18", RSIM_SHIP_HASH, 4);
  c.flink.fixed_delay_attempts = 1;
  RsimAction *a = add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_FAIL_TASK);
  a->vertex = 1;
  a = add_action (&c, 6 * RSIM_MIN, RSIM_ACTION_FAIL_TASK);
  a->vertex = 1;
  RsimResult *r = run (&c, NULL);
  /* attempts=1: the second failure fails the job
   * (FixedDelayRestartBackoffTimeStrategy counts every failure). */
  cr_assert_eq (r->failure_restarts, 1);
  cr_assert_str_eq (r->final_state, "FAILED");
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

Test (default_scheduler, checkpoint_failure_fails_over_with_zero_tolerance)
{
  RsimSimConfig c;
  config_init (&c, "1.20", RSIM_SHIP_HASH, 4);
  RsimAction *a = add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_FAIL_CHECKPOINTS);
  a->checkpoint_target = RSIM_CHECKPOINT_TARGET_CHECKPOINT;
  RsimResult *r = run (&c, NULL);
  cr_assert_eq (r->checkpoints_failed, 1);
  cr_assert_eq (r->failure_restarts, 1);
  rsim_result_free (r);
  c.flink.tolerable_failed_checkpoints = 1;
  r = run (&c, NULL);
  cr_assert_eq (r->checkpoints_failed, 1);
  cr_assert_eq (r->failure_restarts, 0);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

Test (default_scheduler, active_rm_replaces_a_lost_taskmanager)
{
  RsimSimConfig c;
  config_init (&c, "1.20", RSIM_SHIP_HASH, 8);
  c.cluster.rm_mode = RSIM_RM_ACTIVE;
  RsimAction *a = add_action (&c, 10 * RSIM_MIN, RSIM_ACTION_STOP_TASKMANAGERS);
  a->taskmanager_ids = g_new0 (int, 1);
  a->n_taskmanager_ids = 1;
  RsimResult *r = run (&c, NULL);
  /* All 8 slots were in use: the job waits for a new TaskManager (15 s). */
  cr_assert_gt (r->downtime_s, 14.0, "downtime %.3f", r->downtime_s);
  cr_assert_lt (r->downtime_s, 20.0, "downtime %.3f", r->downtime_s);
  cr_assert_str_eq (r->final_state, "RUNNING");
  cr_assert_eq (r->final_parallelism[1], 8);
  rsim_result_free (r);

  /* Standalone: nobody replaces it, the slot request times out (5 min) and
   * the job keeps retrying without slots. */
  c.cluster.rm_mode = RSIM_RM_STANDALONE;
  r = run (&c, NULL);
  cr_assert_gt (r->downtime_s, 9.0 * 60.0);
  cr_assert_geq (r->failure_restarts, 2);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

Test (default_scheduler, same_seed_same_outputs)
{
  RsimSimConfig c;
  config_init (&c, "1.20", RSIM_SHIP_HASH, 6);
  kill_tm0 (&c, 10 * RSIM_MIN);
  RsimAction *a = add_action (&c, 15 * RSIM_MIN, RSIM_ACTION_SCALE);
  a->parallelism = all_parallelism (2, 4);
  a->n_parallelism = 2;
  Capture a1 = { g_string_new (NULL) }, a2 = { g_string_new (NULL) };
  RsimResult *r1 = run (&c, &a1);
  RsimResult *r2 = run (&c, &a2);
  cr_assert_str_eq (a1.log->str, a2.log->str);
  cr_assert_eq (r1->events_processed, r2->events_processed);
  cr_assert_float_eq (r1->downtime_s, r2->downtime_s, 0.0);
  g_string_free (a1.log, TRUE);
  g_string_free (a2.log, TRUE);
  rsim_result_free (r1);
  rsim_result_free (r2);
  rsim_sim_config_clear (&c);
}

Test (default_scheduler, hung_taskmanager_is_found_only_by_the_timeout)
{
  RsimSimConfig c;
  config_init (&c, "1.20", RSIM_SHIP_HASH, 6);
  RsimAction *a = add_action (&c, 10 * RSIM_MIN, RSIM_ACTION_HANG_TASKMANAGERS);
  a->taskmanager_ids = g_new0 (int, 1);
  a->n_taskmanager_ids = 1;
  Capture cap = { g_string_new (NULL) };
  RsimResult *r = run (&c, &cap);
  /* Connections stay open, so no peer fails: processing stops at 600 s and
   * the job only restarts once the timeout drops the TaskManager (640 s). */
  cr_assert_null (strstr (cap.log->str, "a peer task failed"));
  cr_assert_not_null (strstr (cap.log->str, "heartbeat timeout"));
  cr_assert_gt (r->downtime_s, 40.0, "downtime %.3f", r->downtime_s);
  cr_assert_lt (r->downtime_s, 45.0, "downtime %.3f", r->downtime_s);
  cr_assert_eq (r->failure_restarts, 1);
  g_string_free (cap.log, TRUE);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

Test (default_scheduler, local_recovery_skips_the_download)
{
  RsimSimConfig c;
  config_init (&c, "1.20", RSIM_SHIP_HASH, 4);
  c.job.vertices[1].state_bytes = 2e9;          /* 500 MB per subtask */
  RsimAction *a = add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_FAIL_TASK);
  a->vertex = 1;
  RsimResult *r = run (&c, NULL);
  /* 500 MB at 20 MB/s: 25 s of download. */
  cr_assert_gt (r->downtime_s, 25.0, "%.3f", r->downtime_s);
  rsim_result_free (r);
  c.flink.local_recovery = 1;
  r = run (&c, NULL);
  /* Same slots (sticky), same parallelism: local state, ~1 s backoff. */
  cr_assert_lt (r->downtime_s, 1.5, "%.3f", r->downtime_s);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

/* ------------------------------------------------------ state backends */

typedef struct {
  RsimTime barrier;
  RsimTime duration;
} Checkpoint;

/* Completed checkpoints before `before`, in order: barrier (its trigger)
 * and duration, from the event log. */
static GArray *
completed_checkpoints (const char *log, RsimTime before)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Checkpoint));
  g_auto (GStrv) lines = g_strsplit (log, "\n", -1);
  for (int i = 0; lines[i]; i++) {
    gint64 t;
    char comp[64], ev[64];
    if (sscanf (lines[i], "%" G_GINT64_FORMAT " %63s %63s", &t, comp, ev) != 3
        || t > before || strcmp (ev, "checkpoint_completed") != 0)
      continue;
    const char *at = strstr (lines[i], "barrier at ");
    Checkpoint cp;
    cp.barrier = (RsimTime) llround (g_ascii_strtod (at + 11, NULL) * 1e6);
    cp.duration = t - cp.barrier;
    g_array_append_val (out, cp);
  }
  return out;
}

/* The restore time the scheduler logged for the deployment at or after
 * `after` (µs). */
static RsimTime
restore_after (const char *log, RsimTime after)
{
  g_auto (GStrv) lines = g_strsplit (log, "\n", -1);
  for (int i = 0; lines[i]; i++) {
    gint64 t;
    char comp[64], ev[64];
    if (sscanf (lines[i], "%" G_GINT64_FORMAT " %63s %63s", &t, comp, ev) != 3
        || t < after || strcmp (ev, "deploy") != 0)
      continue;
    const char *at = strstr (lines[i], "restoring a checkpoint (");
    if (at != NULL)
      return (RsimTime) llround (g_ascii_strtod (at + 24, NULL) * 1e6);
  }
  return -1;
}

/* A keyed job of 4 subtasks whose window holds 20 GB (5 GB per subtask)
 * and writes 20 MB/s, checkpointing every 10 s, failing at 5 min 7 s. */
static void
stateful_config (RsimSimConfig *c, RsimStateBackend backend,
                 gboolean incremental)
{
  config_init (c, "1.20", RSIM_SHIP_HASH, 4);
  c->job.vertices[1].state_bytes = 20e9;
  c->job.vertices[1].state_change_rate = 20e6;
  c->flink.state_backend = backend;
  c->flink.incremental_checkpoints = incremental;
  RsimAction *a = add_action (c, 5 * RSIM_MIN + 7 * RSIM_SEC,
                              RSIM_ACTION_FAIL_TASK);
  a->vertex = 0;
}

/* A hashmap job uploads its 5 GB per subtask at every checkpoint (62.6 s,
 * so they complete about a minute apart); an incremental RocksDB job
 * uploads 5 GB once, then 20 MB/s x the time since the previous barrier,
 * a quarter of it per subtask. The restore after the failure goes back to
 * the last completed barrier, so the hashmap job reprocesses more. */
Test (default_scheduler, incremental_rocksdb_uploads_its_change_per_checkpoint)
{
  RsimTime fail_at = 5 * RSIM_MIN + 7 * RSIM_SEC;
  double reprocessed[2];
  for (int k = 0; k < 2; k++) {
    RsimSimConfig c;
    stateful_config (&c, k ? RSIM_STATE_BACKEND_ROCKSDB
                           : RSIM_STATE_BACKEND_HASHMAP, k == 1);
    Capture cap = { g_string_new (NULL) };
    RsimResult *r = run (&c, &cap);
    g_autoptr (GArray) cps = completed_checkpoints (cap.log->str, fail_at);
    cr_assert_geq (cps->len, k ? 10 : 3);
    double fixed = c.costs.checkpoint_fixed.a;
    double bw = c.costs.checkpoint_upload_bandwidth.a;
    double share = 20e9 / 4;
    for (guint i = 0; i < cps->len; i++) {
      const Checkpoint *cp = &g_array_index (cps, Checkpoint, i);
      double upload = share;
      if (k == 1 && i > 0) {
        RsimTime prev = g_array_index (cps, Checkpoint, i - 1).barrier;
        upload = MIN (share, 20e6 * RSIM_TIME_TO_SEC (cp->barrier - prev) / 4);
      }
      cr_expect_eq (cp->duration, (RsimTime) (fixed + upload / bw * 1e6 + 0.5),
                    "%s checkpoint %u", k ? "rocksdb" : "hashmap", i);
    }
    RsimTime barrier = last_barrier_before (cap.log->str, fail_at);
    double expect = c.workload.rate.value * RSIM_TIME_TO_SEC (fail_at - barrier);
    cr_expect_float_eq (r->reprocessed_records, expect, 1e-6 * expect);
    reprocessed[k] = r->reprocessed_records;
    g_string_free (cap.log, TRUE);
    rsim_result_free (r);
    rsim_sim_config_clear (&c);
  }
  cr_expect_gt (reprocessed[0], reprocessed[1]);
}

/* The changelog backend on the same incremental RocksDB job: every
 * checkpoint costs only checkpoint_fixed, and the recovery is longer than
 * without it (the changelog since the last materialization is downloaded
 * and replayed on top of the same state download). */
Test (default_scheduler, changelog_shortens_checkpoints_and_lengthens_recovery)
{
  RsimTime fail_at = 5 * RSIM_MIN + 7 * RSIM_SEC;
  RsimTime restore[2];
  for (int k = 0; k < 2; k++) {
    RsimSimConfig c;
    stateful_config (&c, RSIM_STATE_BACKEND_ROCKSDB, TRUE);
    c.flink.changelog_enabled = k;
    c.flink.changelog_materialize_interval = 10 * RSIM_MIN;
    Capture cap = { g_string_new (NULL) };
    RsimResult *r = run (&c, &cap);
    g_autoptr (GArray) cps = completed_checkpoints (cap.log->str, fail_at);
    for (guint i = 0; k == 1 && i < cps->len; i++)
      cr_expect_eq (g_array_index (cps, Checkpoint, i).duration,
                    (RsimTime) c.costs.checkpoint_fixed.a);
    restore[k] = restore_after (cap.log->str, fail_at);
    cr_assert_gt (restore[k], 0);
    if (k == 0) {
      /* Without it: each subtask downloads its own 5 GB handle. */
      cr_expect_eq (restore[k], (RsimTime) c.costs.restore_fixed.a
                    + (RsimTime) (5e9 / c.costs.state_download_bandwidth.a * 1e6
                                  + 0.5));
    }
    g_string_free (cap.log, TRUE);
    rsim_result_free (r);
    rsim_sim_config_clear (&c);
  }
  cr_expect_gt (restore[1], restore[0]);
}

/* Flink chains a forward edge between equal parallelisms: a failure
 * restarts the one chained task of its region; with
 * pipeline.operator-chaining.enabled false, the source and the map are two
 * tasks of that region and both restart. */
Test (default_scheduler, chained_forward_job_restarts_one_task)
{
  static const char *const tmpl =
    "{\"name\": \"x\", \"duration\": \"10 min\","
    " \"flink\": {\"version\": \"1.20\", \"config\": {"
    "   \"taskmanager.numberOfTaskSlots\": 2,"
    "   \"execution.checkpointing.interval\": \"10 s\","
    "   \"pipeline.operator-chaining.enabled\": %s}},"
    " \"cluster\": {\"taskmanagers\": 2},"
    " \"job\": {\"vertices\": ["
    "   {\"name\": \"source\", \"parallelism\": 2, \"capacity\": \"5000 rec/s\"},"
    "   {\"name\": \"map\", \"parallelism\": 2, \"capacity\": \"5000 rec/s\"}],"
    "  \"edges\": [{\"from\": \"source\", \"to\": \"map\"}]},"
    " \"workload\": {\"rate\": \"1000 rec/s\"},"
    " \"timeline\": [{\"at\": \"2 min\", \"action\": \"fail_task\","
    "                 \"vertex\": \"map\", \"subtask\": 0}]}";
  const char *chaining[] = { "true", "false" };
  for (int k = 0; k < 2; k++) {
    g_autofree char *text = g_strdup_printf (tmpl, chaining[k]);
    GError *error = NULL;
    g_autoptr (RsimScenario) sc = rsim_scenario_load_data (text, strlen (text),
                                                            "x.json", &error);
    cr_assert_not_null (sc, "%s", error ? error->message : "");
    cr_assert_eq (sc->config.job.n_vertices, k == 0 ? 1 : 2);
    RsimResult *r = run (&sc->config, NULL);
    cr_expect_eq (r->task_attempts, k == 0 ? 1 : 2, "chaining %s", chaining[k]);
    cr_expect_eq (r->failure_restarts, 1);
    rsim_result_free (r);
  }
}

/* job_stops counts the intervals without processing, whatever caused them:
 * two stop-and-resubmit rescales are two stops (Flink's numRestarts stays 0,
 * each resubmission starts a new job); a failover of one region of a
 * forward job is a restart but no stop (the other pipeline processes); a
 * failure of a keyed job (one region) is both. */
Test (default_scheduler, job_stops_count_resubmissions_and_whole_job_restarts)
{
  RsimSimConfig c;
  config_init (&c, "1.20", RSIM_SHIP_HASH, 4);
  c.job.vertices[1].state_bytes = 1e9;
  RsimAction *a = add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_STOP_WITH_SAVEPOINT);
  a->parallelism = all_parallelism (2, 8);
  a->n_parallelism = 2;
  a = add_action (&c, 12 * RSIM_MIN, RSIM_ACTION_STOP_WITH_SAVEPOINT);
  a->parallelism = all_parallelism (2, 4);
  a->n_parallelism = 2;
  RsimResult *r = run (&c, NULL);
  cr_assert_eq (r->restarts, 0);
  cr_assert_eq (r->rescales, 2);
  cr_assert_eq (r->job_stops, 2);
  cr_assert_eq (r->incidents->len, 2);
  double down = 0.0;
  for (guint i = 0; i < r->incidents->len; i++) {
    const RsimIncident *inc = g_ptr_array_index (r->incidents, i);
    cr_assert_eq (inc->job_stops, 1, "incident %u", i);
    cr_assert_gt (inc->downtime_s, 0.0);
    down += inc->downtime_s;
  }
  cr_assert_float_eq (down, r->downtime_s, 1e-9);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);

  config_init (&c, "1.20", RSIM_SHIP_FORWARD, 4);
  a = add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_FAIL_TASK);
  a->vertex = 1;
  r = run (&c, NULL);
  cr_assert_eq (r->restarts, 1);
  cr_assert_eq (r->job_stops, 0, "one pipeline of four restarted");
  cr_assert_float_eq (r->downtime_s, 0.0, 1e-12);
  cr_assert_gt (r->capacity_loss_s, 0.0);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);

  config_init (&c, "1.20", RSIM_SHIP_HASH, 4);
  a = add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_FAIL_TASK);
  a->vertex = 1;
  r = run (&c, NULL);
  cr_assert_eq (r->restarts, 1);
  cr_assert_eq (r->job_stops, 1);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

/* A job that never gets its slots on a standalone cluster fails when
 * slot.request.timeout expires (no checkpointing: restart strategy none).
 * It should have run all along: its whole wait and the time after the
 * failure are downtime, in one incident from the submission on. */
Test (default_scheduler, never_started_job_counts_its_wait_as_downtime)
{
  RsimSimConfig c;
  config_init (&c, "1.20", RSIM_SHIP_HASH, 16);
  c.flink.checkpoint_interval = 0;
  c.flink.restart_strategy = RSIM_RESTART_NONE;
  Capture cap = { g_string_new (NULL) };
  RsimResult *r = run (&c, &cap);
  cr_assert_str_eq (r->final_state, "FAILED");
  /* 16 shared slots (one per subtask index), 8 registered. */
  const char *wait = strstr (cap.log->str, " scheduler waiting_for_slots region 0 "
                             "waits for slots: 8 shared slot(s) missing "
                             "(slot.request.timeout 300 s)\n");
  cr_assert_not_null (wait, "%s", cap.log->str);
  const char *line = wait;
  while (line > cap.log->str && line[-1] != '\n')
    line--;
  RsimTime waiting_at = g_ascii_strtoll (line, NULL, 10);
  g_autofree char *failed = g_strdup_printf (
    "\n%" G_GINT64_FORMAT " scheduler task_failed NoResourceAvailableException",
    waiting_at + c.flink.slot_request_timeout);
  cr_assert_not_null (strstr (cap.log->str, failed), "%s", cap.log->str);

  cr_assert_float_eq (r->downtime_s, RSIM_TIME_TO_SEC (c.duration), 1e-9);
  cr_assert_float_eq (r->capacity_loss_s, RSIM_TIME_TO_SEC (c.duration), 1e-9);
  cr_assert_eq (r->job_stops, 1);
  cr_assert_lt (r->startup_s, 0.0, "never started: start-up unknown");
  cr_assert_eq (r->incidents->len, 1);
  const RsimIncident *inc = g_ptr_array_index (r->incidents, 0);
  cr_assert_eq (inc->start, 0);
  cr_assert_eq (inc->end, RSIM_TIME_NEVER);
  cr_assert_eq (inc->job_stops, 1);
  cr_assert_float_eq (inc->downtime_s, RSIM_TIME_TO_SEC (c.duration), 1e-9);
  g_autofree char *decision = g_strdup_printf (
    "%.3f s: the job failed without ever running: %.3f s since its "
    "submission count as downtime",
    RSIM_TIME_TO_SEC (waiting_at + c.flink.slot_request_timeout),
    RSIM_TIME_TO_SEC (waiting_at + c.flink.slot_request_timeout));
  gboolean found = FALSE;
  for (guint i = 0; i < inc->decisions->len; i++)
    found = found || g_str_equal (g_ptr_array_index (inc->decisions, i), decision);
  cr_assert (found, "no decision \"%s\"", decision);
  g_string_free (cap.log, TRUE);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

/* The time series' phase and per-vertex parallelism: a stop-and-resubmit
 * that rescales only the window from 4 to 8. Between the resubmitted job's
 * deployment and its restore the job is RUNNING (Flink's JobStatus) and the
 * phase says RUNNING/RESTORING; the per-vertex columns show 4 and 8 where
 * the old maximum column only said 8. */
typedef struct {
  GString *log;
  GArray *t;                   /* RsimTime */
  GPtrArray *phase;            /* char* */
  GArray *par;                 /* int pairs */
} SeriesCapture;

static void
series_sample (gpointer user, const RsimSample *s)
{
  SeriesCapture *cap = user;
  g_array_append_val (cap->t, s->t);
  g_ptr_array_add (cap->phase, g_strdup (s->phase));
  cr_assert_eq (s->n_vertices, 2);
  cr_assert_str_eq (s->vertex_names[0], "source");
  cr_assert_str_eq (s->vertex_names[1], "window");
  g_array_append_vals (cap->par, s->vertex_parallelism, 2);
  cr_assert_eq (s->parallelism, MAX (s->vertex_parallelism[0],
                                     s->vertex_parallelism[1]));
}

static void
series_event (gpointer user, RsimTime t, const char *component,
              const char *event, const char *detail)
{
  SeriesCapture *cap = user;
  g_string_append_printf (cap->log, "%" G_GINT64_FORMAT " %s %s %s\n", t,
                          component, event, detail);
}

static RsimTime
event_time (const GString *log, const char *needle, RsimTime after)
{
  const char *p = log->str;
  while ((p = strstr (p, needle)) != NULL) {
    const char *line = p;
    while (line > log->str && line[-1] != '\n')
      line--;
    RsimTime t = g_ascii_strtoll (line, NULL, 10);
    if (t > after)
      return t;
    p++;
  }
  cr_assert_fail ("no \"%s\" after %" G_GINT64_FORMAT, needle, after);
  return -1;
}

Test (default_scheduler, series_phase_and_vertex_parallelism)
{
  RsimSimConfig c;
  config_init (&c, "1.20", RSIM_SHIP_HASH, 4);
  c.job.vertices[1].state_bytes = 4e9;
  RsimAction *a = add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_STOP_WITH_SAVEPOINT);
  a->parallelism = g_new (int, 2);
  a->parallelism[0] = -1;
  a->parallelism[1] = 8;
  a->n_parallelism = 2;
  SeriesCapture cap = { g_string_new (NULL), g_array_new (FALSE, FALSE, sizeof (RsimTime)),
                        g_ptr_array_new_with_free_func (g_free),
                        g_array_new (FALSE, FALSE, sizeof (int)) };
  RsimSinks sinks = { &cap, series_sample, series_event };
  GError *error = NULL;
  RsimResult *r = rsim_simulation_run (&c, &sinks, &error);
  cr_assert_not_null (r, "%s", error ? error->message : "?");
  RsimTime resubmitted = event_time (cap.log, " scheduler resubmit ", 0);
  RsimTime deployed = event_time (cap.log, " scheduler deploy ", resubmitted);
  RsimTime restored = event_time (cap.log, " scheduler region_running ",
                                  deployed);
  cr_assert_gt (restored - deployed, 10 * RSIM_SEC, "the restore is long");
  guint restoring = 0;
  for (guint i = 0; i < cap.t->len; i++) {
    RsimTime t = g_array_index (cap.t, RsimTime, i);
    const char *phase = g_ptr_array_index (cap.phase, i);
    int p0 = g_array_index (cap.par, int, 2 * i);
    int p1 = g_array_index (cap.par, int, 2 * i + 1);
    if (t >= RSIM_SEC && t < 5 * RSIM_MIN) {
      cr_assert_str_eq (phase, "RUNNING", "t %" G_GINT64_FORMAT, t);
      cr_assert (p0 == 4 && p1 == 4);
    } else if (t > deployed + RSIM_SEC && t < restored) {
      cr_assert_str_eq (phase, "RUNNING/RESTORING", "t %" G_GINT64_FORMAT, t);
      cr_assert (p0 == 4 && p1 == 8);
      restoring++;
    } else if (t >= restored) {
      cr_assert_str_eq (phase, "RUNNING", "t %" G_GINT64_FORMAT, t);
      cr_assert (p0 == 4 && p1 == 8);
    }
  }
  /* Every whole second strictly inside (deployed + 1 s, restored). */
  RsimTime first = (deployed + RSIM_SEC) / RSIM_SEC * RSIM_SEC + RSIM_SEC;
  RsimTime last = (restored - 1) / RSIM_SEC * RSIM_SEC;
  cr_assert_eq (restoring, (guint) ((last - first) / RSIM_SEC + 1));
  g_string_free (cap.log, TRUE);
  g_array_free (cap.t, TRUE);
  g_ptr_array_free (cap.phase, TRUE);
  g_array_free (cap.par, TRUE);
  rsim_result_free (r);
}

/* ------------------------------------------- idle release (active RM) */

/* An active resource manager with 4 TaskManagers of 2 slots and a job at
 * parallelism 4 (2 TaskManagers' worth). The 2 TaskManagers the job never
 * used are released at the first check, 30 s in (idle since their
 * registration at 0). At 5 min the job is rescaled to 2 by
 * stop-with-savepoint: one more TaskManager falls idle when the old job's
 * slots are released (T); the JobManager gives its slots back after
 * slot.idle.timeout (50 s) and the resource manager releases it at the
 * first check (every 30 s from 0) at least 30 s after that. A standalone
 * cluster keeps them (the platform sets its size). */
Test (default_scheduler, active_resource_manager_releases_idle_taskmanagers)
{
  RsimSimConfig c;
  config_init (&c, "1.20", RSIM_SHIP_HASH, 4);
  c.cluster.rm_mode = RSIM_RM_ACTIVE;
  RsimAction *a = add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_STOP_WITH_SAVEPOINT);
  a->parallelism = g_new (int, 2);
  a->n_parallelism = 2;
  a->parallelism[0] = a->parallelism[1] = 2;
  Capture cap = { g_string_new (NULL) };
  RsimResult *r = run (&c, &cap);
  const char *log = cap.log->str;
  cr_expect_eq (event_at (log, 0, "releases idle taskmanager 3"),
                30 * RSIM_SEC, "%s", log);
  cr_expect_eq (event_at (log, 0, "releases idle taskmanager 2"),
                30 * RSIM_SEC);
  RsimTime freed = event_at (log, 0, "job resubmitted");
  cr_assert_gt (freed, 5 * RSIM_MIN);
  RsimTime idle = event_at (log, 0, "job FINISHED");
  cr_assert_gt (idle, 0);
  RsimTime due = idle + 50 * RSIM_SEC + 30 * RSIM_SEC;
  RsimTime tick = (due + 30 * RSIM_SEC - 1) / (30 * RSIM_SEC) * (30 * RSIM_SEC);
  cr_expect_eq (event_at (log, 0, "releases idle taskmanager 1"), tick,
                "finished at %" G_GINT64_FORMAT, idle);
  cr_expect_eq (event_at (log, 0, "releases idle taskmanager 0"), -1);
  cr_expect_str_eq (r->final_state, "RUNNING");
  rsim_result_free (r);
  g_string_free (cap.log, TRUE);
  rsim_sim_config_clear (&c);

  config_init (&c, "1.20", RSIM_SHIP_HASH, 4);
  cap.log = g_string_new (NULL);
  r = run (&c, &cap);
  cr_expect_eq (event_at (cap.log->str, 0, "releases idle"), -1);
  rsim_result_free (r);
  g_string_free (cap.log, TRUE);
  rsim_sim_config_clear (&c);
}
