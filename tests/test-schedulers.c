/* Tests that hold for every scheduler because they share the execution
 * core (sim/sched/execution.c), and the fixes that came with it: the same
 * restore is charged for the same failure and snapshot, the checkpoint gate
 * during a restore, peer failure by connectivity, job statuses, incident
 * counts, and the adaptive scheduler's stop-with-savepoint and scale rules
 * per version. */
#include "fixture.h"

#include <rescalesim/controllers.h>

static const RsimSchedulerKind kinds[] = {
  RSIM_SCHEDULER_DEFAULT, RSIM_SCHEDULER_ADAPTIVE, RSIM_SCHEDULER_REACTIVE,
};

static RsimIncident *
incident (const RsimResult *r, guint i)
{
  cr_assert_lt (i, r->incidents->len, "only %u incidents", r->incidents->len);
  return r->incidents->pdata[i];
}

/* The restore times the "deploy" events of a run report, in order. */
static GArray *
restore_times (const char *log)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (double));
  g_auto (GStrv) lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i]; i++) {
    const char *r = strstr (lines[i], "scheduler deploy ");
    const char *m = r ? strstr (r, "restoring ") : NULL;
    const char *paren = m ? strchr (m, '(') : NULL;
    if (paren) {
      double v = g_ascii_strtod (paren + 1, NULL);
      g_array_append_val (out, v);
    }
  }
  return out;
}

/* Under a distribution of the restore cost, the default and the adaptive
 * scheduler charge the same restore for the same failure and snapshot:
 * the same seed gives the same draws, in the same order. */
Test (schedulers, same_restore_for_the_same_failure_under_a_cost_distribution)
{
  GArray *seen[2];
  for (int k = 0; k < 2; k++) {
    RsimSimConfig c;
    config_init (&c, "1.20", RSIM_SHIP_HASH, 4);
    c.scheduler = kinds[k];
    c.job.vertices[1].state_bytes = 4.0e9;
    c.costs.restore_fixed = (RsimDist) { .kind = RSIM_DIST_UNIFORM,
                                          .a = 10e3, .b = 2e6 };
    c.costs.state_download_bandwidth = (RsimDist) { .kind = RSIM_DIST_UNIFORM,
                                                    .a = 10e6, .b = 40e6 };
    RsimAction *a = add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_FAIL_TASK);
    a->vertex = 1;
    a->subtask = 0;
    Capture cap = { g_string_new (NULL) };
    RsimResult *r = run (&c, &cap);
    seen[k] = restore_times (cap.log->str);
    cr_assert_eq (seen[k]->len, 2, "%s", cap.log->str);
    rsim_result_free (r);
    g_string_free (cap.log, TRUE);
    rsim_sim_config_clear (&c);
  }
  for (guint i = 0; i < 2; i++)
    cr_expect_eq (g_array_index (seen[0], double, i),
                  g_array_index (seen[1], double, i), "deployment %u", i);
  /* The restore after the failure downloads 1 GB per subtask: more than
   * the empty start. */
  cr_expect_gt (g_array_index (seen[0], double, 1), 20.0);
  g_array_free (seen[0], TRUE);
  g_array_free (seen[1], TRUE);
}

/* While tasks restore their state no checkpoint is triggered, under every
 * scheduler (NOT_ALL_REQUIRED_TASKS_RUNNING); none completes between a
 * deployment and its tasks running. */
Test (schedulers, no_checkpoint_while_tasks_restore)
{
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++) {
    RsimSimConfig c;
    config_init (&c, "1.20", RSIM_SHIP_HASH, 4);
    c.scheduler = kinds[k];
    c.job.vertices[1].state_bytes = 8.0e9;    /* 2 GB per subtask: 100 s */
    RsimAction *a = add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_FAIL_TASK);
    a->vertex = 1;
    Capture cap = { g_string_new (NULL) };
    RsimResult *r = run (&c, &cap);
    g_auto (GStrv) lines = g_strsplit (cap.log->str, "\n", -1);
    gboolean restoring = FALSE;
    int skipped = 0;
    for (guint i = 0; lines[i]; i++) {
      if (strstr (lines[i], " scheduler deploy "))
        restoring = TRUE;
      else if (strstr (lines[i], " scheduler job_running all tasks running")
               || strstr (lines[i], " scheduler region_running "))
        restoring = FALSE;
      else if (restoring && strstr (lines[i], "checkpoint checkpoint_triggered"))
        cr_expect (FALSE, "%s: a checkpoint triggered during a restore: %s",
                   rsim_scheduler_kind_name (kinds[k]), lines[i]);
      if (restoring && strstr (lines[i], "checkpoint_skipped"))
        skipped++;
    }
    cr_expect_gt (skipped, 0, "%s", rsim_scheduler_kind_name (kinds[k]));
    cr_expect_eq (r->failure_restarts, 1);
    rsim_result_free (r);
    g_string_free (cap.log, TRUE);
    rsim_sim_config_clear (&c);
  }
}

/* The instant a TaskManager registered at 0 and killed silently at k is
 * declared lost: the JobManager's heartbeat loop ticks at phase + n *
 * interval, the phase drawn from the run's stream "heartbeat.phase" in
 * (0, interval] (sim/model/cluster.c); the last tick before k plus the
 * timeout. */
static RsimTime
lost_after_kill (const RsimSimConfig *c, RsimTime k)
{
  RsimEngine *e = rsim_engine_new (c->seed);
  RsimTime i = c->flink.heartbeat_interval;
  RsimTime phase = 1 + (RsimTime) rsim_rng_uint (
    rsim_engine_rng (e, "heartbeat.phase"), (guint64) i);
  rsim_engine_free (e);
  RsimTime last = k <= phase ? 0 : phase + (k - 1 - phase) / i * i;
  return last + c->flink.heartbeat_timeout;
}

/* A forward-only job with one TaskManager killed: the pipelines on other
 * TaskManagers exchange no data with it and run on; the job notices only at
 * the heartbeat timeout (50 s after the last heartbeat). Under every
 * scheduler, capacity stays at half until then and no failure comes from a
 * peer. */
Test (schedulers, forward_pipeline_on_another_taskmanager_runs_on)
{
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++) {
    RsimSimConfig c;
    config_init (&c, "1.20", RSIM_SHIP_FORWARD, 4);
    c.scheduler = kinds[k];
    c.cluster.taskmanagers = 2;
    /* TaskManager 1 holds the pipelines of subtasks 2 and 3. */
    RsimAction *a = add_action (&c, 605 * RSIM_SEC, RSIM_ACTION_KILL_TASKMANAGERS);
    a->taskmanager_ids = g_new0 (int, 1);
    a->taskmanager_ids[0] = 1;
    a->n_taskmanager_ids = 1;
    a->kill_rpc = RSIM_KILL_RPC_TIMEOUT;
    Capture cap = { g_string_new (NULL) };
    RsimResult *r = run (&c, &cap);
    const char *name = rsim_scheduler_kind_name (kinds[k]);
    cr_expect_null (strstr (cap.log->str, "a peer task failed"), "%s", name);
    g_autofree char *lost = g_strdup_printf (
      "%" G_GINT64_FORMAT " cluster taskmanager_lost",
      lost_after_kill (&c, 605 * RSIM_SEC));
    cr_expect_not_null (strstr (cap.log->str, lost), "%s: %s", name, lost);
    RsimIncident *inc = incident (r, 0);
    cr_expect_eq (inc->start, 605 * RSIM_SEC, "%s", name);
    rsim_result_free (r);
    g_string_free (cap.log, TRUE);
    rsim_sim_config_clear (&c);
  }
}

/* An outage opened by a failed task carries the restart it caused (the
 * restart is counted once the outage has opened). */
Test (schedulers, outage_opened_by_fail_task_counts_its_restart)
{
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++) {
    RsimSimConfig c;
    config_init (&c, "1.20", RSIM_SHIP_HASH, 4);
    c.scheduler = kinds[k];
    RsimAction *a = add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_FAIL_TASK);
    a->vertex = 0;
    RsimResult *r = run (&c, NULL);
    cr_expect_eq (r->restarts, 1);
    RsimIncident *inc = incident (r, 0);
    cr_expect_eq (inc->restarts, 1, "%s", rsim_scheduler_kind_name (kinds[k]));
    cr_expect_eq (inc->start, 5 * RSIM_MIN);
    rsim_result_free (r);
    rsim_sim_config_clear (&c);
  }
}

/* The statuses a run ends in come from Flink's JobStatus: a stop without
 * resubmission FINISHED; the job that the default restart strategy gives up
 * on FAILED. */
Test (schedulers, final_status_is_flinks_job_status)
{
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++) {
    RsimSimConfig c;
    config_init (&c, "1.20", RSIM_SHIP_HASH, 4);
    c.scheduler = kinds[k];
    add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_STOP_WITH_SAVEPOINT);
    RsimResult *r = run (&c, NULL);
    cr_expect_str_eq (r->final_state, "FINISHED");
    rsim_result_free (r);
    rsim_sim_config_clear (&c);

    config_init (&c, "1.20", RSIM_SHIP_HASH, 4);
    c.scheduler = kinds[k];
    c.flink.restart_strategy = RSIM_RESTART_NONE;
    RsimAction *a = add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_FAIL_TASK);
    a->vertex = 1;
    r = run (&c, NULL);
    cr_expect_str_eq (r->final_state, "FAILED");
    rsim_result_free (r);
    rsim_sim_config_clear (&c);
  }
}

/* A failed stop-with-savepoint: on 1.14 the tasks go on (the adaptive
 * scheduler back in a new Executing state on the same graph: no redeploy,
 * nothing reprocessed, no restart); from 1.15 every task fails with
 * "Stop-with-savepoint failed." and the restart strategy decides: a restart
 * with the default one, FAILED with `none`. Both schedulers. */
Test (schedulers, failed_stop_with_savepoint_per_version)
{
  for (guint k = 0; k < 2; k++) {
    for (int v = 0; v < 3; v++) {
      RsimSimConfig c;
      config_init (&c, v == 0 ? "1.14" : "1.15", RSIM_SHIP_HASH, 4);
      c.scheduler = kinds[k];
      if (v == 2)
        c.flink.restart_strategy = RSIM_RESTART_NONE;
      RsimAction *f = add_action (&c, 5 * RSIM_MIN - RSIM_SEC,
                                  RSIM_ACTION_FAIL_CHECKPOINTS);
      f->checkpoint_target = RSIM_CHECKPOINT_TARGET_SAVEPOINT;
      add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_STOP_WITH_SAVEPOINT);
      Capture cap = { g_string_new (NULL) };
      RsimResult *r = run (&c, &cap);
      const char *name = rsim_scheduler_kind_name (kinds[k]);
      if (v == 0) {
        cr_expect_eq (r->restarts, 0, "%s", name);
        cr_expect_float_eq (r->reprocessed_records, 0.0, 1e-9, "%s", name);
        cr_expect_eq (r->task_attempts, 0, "%s", name);
        cr_expect_str_eq (r->final_state, "RUNNING");
        cr_expect_not_null (strstr (cap.log->str, "stop-with-savepoint failed"));
      } else if (v == 1) {
        cr_expect_eq (r->restarts, 1, "%s", name);
        cr_expect_eq (r->failure_restarts, 1, "%s", name);
        cr_expect_gt (r->reprocessed_records, 0.0, "%s", name);
        cr_expect_str_eq (r->final_state, "RUNNING");
        cr_expect_not_null (strstr (cap.log->str, "Stop-with-savepoint failed."));
      } else {
        cr_expect_str_eq (r->final_state, "FAILED", "%s", name);
      }
      rsim_result_free (r);
      g_string_free (cap.log, TRUE);
      rsim_sim_config_clear (&c);
    }
  }
}

/* The scale intent under the adaptive scheduler: before 1.18 no API raises
 * a running job's parallelism, so it is a stop-with-savepoint and a
 * resubmission (said in the decision log, nothing reprocessed, a rescale
 * that Flink's numRestarts does not count); from 1.18 new resource
 * requirements rescale in place (numRestarts counts it). */
Test (schedulers, adaptive_scale_before_1_18_is_stop_and_resubmit)
{
  const char *versions[] = { "1.17", "1.18" };
  for (int i = 0; i < 2; i++) {
    RsimSimConfig c;
    config_init (&c, versions[i], RSIM_SHIP_HASH, 4);
    c.scheduler = RSIM_SCHEDULER_ADAPTIVE;
    RsimAction *a = add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_SCALE);
    a->parallelism = all_parallelism (2, 6);
    a->n_parallelism = 2;
    Capture cap = { g_string_new (NULL) };
    RsimResult *r = run (&c, &cap);
    cr_expect_eq (r->final_parallelism[1], 6, "%s", versions[i]);
    cr_expect_eq (r->rescales, 1, "%s", versions[i]);
    if (i == 0) {
      cr_expect_not_null (strstr (cap.log->str, "stop-with-savepoint, then "
                                  "resubmit at the new parallelism"));
      cr_expect_eq (r->restarts, 0);
      cr_expect_float_eq (r->reprocessed_records, 0.0, 1e-9);
      cr_expect_eq (r->savepoints_completed, 1);
    } else {
      cr_expect_null (strstr (cap.log->str, "stop-with-savepoint"));
      cr_expect_eq (r->restarts, 1);
    }
    rsim_result_free (r);
    g_string_free (cap.log, TRUE);
    rsim_sim_config_clear (&c);
  }
}

/* A job cancelled for a platform's stateless upgrade reports CANCELED (not
 * FINISHED) until the new job is submitted, under both schedulers. */
Test (schedulers, cancelled_job_reports_canceled)
{
  for (guint k = 0; k < 2; k++) {
    RsimSimConfig c;
    config_init (&c, "1.20", RSIM_SHIP_HASH, 4);
    c.scheduler = kinds[k];
    rsim_controllers_spec_init (&c.controllers);
    c.controllers.ververica.enabled = TRUE;
    c.controllers.ververica.upgrade = RSIM_VVP_UPGRADE_STATELESS;
    c.controllers.ververica.restore = RSIM_VVP_RESTORE_NONE;
    c.costs.job_submit = RSIM_DIST_CONST (5e6);
    g_autofree char *msg = NULL;
    cr_assert (rsim_controllers_spec_resolve (&c.controllers, &msg), "%s", msg);
    RsimAction *a = add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_UPDATE_DEPLOYMENT);
    a->parallelism = all_parallelism (2, 4);
    a->n_parallelism = 2;
    Capture cap = { g_string_new (NULL) };
    RsimResult *r = run (&c, &cap);
    /* The sample 2 s after the cancellation. */
    cr_expect_not_null (strstr (cap.log->str, "S 302000000 "), "%s", cap.log->str);
    const char *row = strstr (cap.log->str, "S 302000000 ");
    g_autofree char *line = g_strndup (row, strcspn (row, "\n"));
    cr_expect (g_str_has_suffix (line, " CANCELED"), "%s: %s",
               rsim_scheduler_kind_name (kinds[k]), line);
    cr_expect_str_eq (r->final_state, "RUNNING");
    rsim_result_free (r);
    g_string_free (cap.log, TRUE);
    rsim_sim_config_clear (&c);
  }
}

/* ------------------------------------------------------ stop-the-world pauses */

/* Every TaskManager pauses for 15 s every 4 min (failures.pause_interval
 * and pause_duration, constant), heartbeats every 2 s. With an 8 s timeout
 * each pause gets the paused TaskManagers declared lost between 246 s and
 * 248 s (the last answer before the pause, plus the timeout) and the job
 * restarts; at the pause's end (255 s) they register anew and the job runs
 * again. With 50 s nothing is noticed: no restart, no outage. Under every
 * scheduler. */
Test (schedulers, pauses_restart_the_job_only_past_the_heartbeat_timeout)
{
  const RsimTime timeouts[] = { 8 * RSIM_SEC, 50 * RSIM_SEC };
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++) {
    for (guint t = 0; t < G_N_ELEMENTS (timeouts); t++) {
      RsimSimConfig c;
      config_init (&c, "1.20", RSIM_SHIP_HASH, 4);
      c.scheduler = kinds[k];
      c.duration = 10 * RSIM_MIN;
      c.flink.heartbeat_interval = 2 * RSIM_SEC;
      c.flink.heartbeat_timeout = timeouts[t];
      c.failures.pause_interval = (RsimMtbf) { RSIM_MTBF_CONSTANT,
                                               4.0 * 60e6, 0.0 };
      c.failures.pause_duration = (RsimMtbf) { RSIM_MTBF_CONSTANT, 15e6, 0.0 };
      Capture cap = { g_string_new (NULL) };
      RsimResult *r = run (&c, &cap);
      const char *log = cap.log->str;
      const char *name = rsim_scheduler_kind_name (kinds[k]);
      cr_expect_eq (event_at (log, 0, "taskmanager 0 paused for 15.000 s"),
                    240 * RSIM_SEC, "%s", name);
      cr_expect_eq (event_at (log, 0, "taskmanager 0 paused for 15.000 s "
                                "(failures"),
                    240 * RSIM_SEC, "%s", name);
      /* The second pause: 4 min after the first one ended. */
      cr_expect_eq (event_at (log, 241 * RSIM_SEC, "taskmanager 0 paused"),
                    495 * RSIM_SEC, "%s", name);
      cr_expect_str_eq (r->final_state, "RUNNING", "%s", name);
      if (t == 0) {
        RsimTime lost = event_at (log, 0, "taskmanager 0 removed by the "
                                    "JobManager: heartbeat timeout");
        cr_expect_gt (lost, 246 * RSIM_SEC, "%s", name);
        cr_expect_leq (lost, 248 * RSIM_SEC, "%s", name);
        cr_expect_eq (event_at (log, 0, "registers anew"), 255 * RSIM_SEC,
                      "%s", name);
        cr_expect_eq (event_at (log, 250 * RSIM_SEC,
                                  "taskmanager 0 registered"),
                      255 * RSIM_SEC, "%s", name);
        cr_expect_geq (r->failure_restarts, 2, "%s", name);
        cr_assert_geq (r->incidents->len, 1, "%s", name);
        cr_expect_str_eq (incident (r, 0)->cause, "taskmanager 0 paused for "
                          "15.000 s (failures.pause_duration)", "%s", name);
      } else {
        cr_expect_eq (event_at (log, 0, "removed by the JobManager"), -1,
                      "%s", name);
        cr_expect_eq (r->failure_restarts, 0, "%s", name);
        cr_expect_eq (r->incidents->len, 0, "%s", name);
      }
      rsim_result_free (r);
      g_string_free (cap.log, TRUE);
      rsim_sim_config_clear (&c);
    }
  }
}

/* The bundled sweep scenarios/sweep-heartbeat-timeout-gc.json, run here
 * over its axis and seeds: short timeouts restart the job for pauses of
 * healthy TaskManagers, long ones wait on crashed ones, so the mean
 * downtime over the 8 seeds is lowest inside the range (30 s or 50 s),
 * below both 15 s and 80 s, and highest at 5 s. */
Test (schedulers, heartbeat_timeout_sweep_has_its_minimum_inside)
{
  const char *root = g_getenv ("RSIM_SOURCE_ROOT");
  cr_assert_not_null (root, "RSIM_SOURCE_ROOT is not set");
  g_autofree char *path = g_build_filename (
    root, "scenarios", "sweep-heartbeat-timeout-gc.json", NULL);
  GError *error = NULL;
  g_autoptr (RsimScenario) sc = rsim_scenario_load_file (path, &error);
  cr_assert_not_null (sc, "%s", error ? error->message : "?");
  const int timeouts[] = { 5, 8, 15, 30, 50, 80 };
  double mean[G_N_ELEMENTS (timeouts)];
  for (guint t = 0; t < G_N_ELEMENTS (timeouts); t++) {
    mean[t] = 0;
    for (guint64 seed = 1; seed <= 8; seed++) {
      RsimSimConfig c;
      rsim_sim_config_copy (&c, &sc->config);
      c.flink.heartbeat_timeout = timeouts[t] * RSIM_SEC;
      c.seed = seed;
      RsimResult *r = run (&c, NULL);
      mean[t] += r->downtime_s / 8;
      rsim_result_free (r);
      rsim_sim_config_clear (&c);
    }
  }
  double inside = MIN (mean[3], mean[4]);
  cr_expect_lt (inside, mean[2], "30/50 s %.1f vs 15 s %.1f", inside, mean[2]);
  cr_expect_lt (inside, mean[5], "30/50 s %.1f vs 80 s %.1f", inside, mean[5]);
  for (guint t = 1; t < G_N_ELEMENTS (timeouts); t++)
    cr_expect_gt (mean[0], mean[t], "5 s against %d s", timeouts[t]);
}
