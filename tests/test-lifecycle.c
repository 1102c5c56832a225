/* Tests of the process lifecycle and the operations people run around a
 * job (issue 15): stop-with-savepoint without resubmission, a later
 * `submit` from a savepoint, a checkpoint or empty state, into the running
 * cluster or a fresh one (the JobManager's and the TaskManagers' start-up
 * costs where Flink pays them), under both kinds of scheduler. Instants
 * are derived from the default costs and asserted exactly. */
#include "fixture.h"

static RsimAction *
submit_at (RsimSimConfig *c, RsimTime at, RsimSubmitFrom from,
           gboolean new_cluster)
{
  RsimAction *a = add_action (c, at, RSIM_ACTION_SUBMIT);
  a->submit_from = from;
  a->new_cluster = new_cluster;
  a->count = 0;
  return a;
}

static RsimIncident *
incident (const RsimResult *r, guint i)
{
  cr_assert_lt (i, r->incidents->len, "only %u incidents", r->incidents->len);
  return r->incidents->pdata[i];
}

/* Stopped with a savepoint at 5 min and not resubmitted: FINISHED, nothing
 * processed and no downtime until the submit at 10 min. The submit into a
 * fresh cluster stops the old TaskManagers, starts a JobManager
 * (jobmanager_startup 10 s), then 4 TaskManagers (taskmanager_startup
 * 15 s): the job submitted at 610 s waits for their slots until 625 s,
 * deploys 4 tasks (50 ms + 4 x 0.86 ms) and restores the savepoint of empty
 * state (20 ms): processing at 625.07344 s, 15.07344 s of downtime counted
 * from the submission, nothing reprocessed. */
Test (lifecycle, stop_then_submit_into_a_new_cluster)
{
  const RsimSchedulerKind kinds[] = { RSIM_SCHEDULER_DEFAULT,
                                      RSIM_SCHEDULER_ADAPTIVE };
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++) {
    RsimSimConfig c;
    config_init (&c, "1.20", RSIM_SHIP_HASH, 2);
    c.scheduler = kinds[k];
    add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_STOP_WITH_SAVEPOINT);
    submit_at (&c, 10 * RSIM_MIN, RSIM_SUBMIT_FROM_LATEST_SAVEPOINT, TRUE);
    Capture cap = { g_string_new (NULL) };
    RsimResult *r = run (&c, &cap);
    const char *name = rsim_scheduler_kind_name (kinds[k]);
    cr_expect_str_eq (r->final_state, "RUNNING", "%s", name);
    cr_expect_float_eq (r->reprocessed_records, 0.0, 1e-9, "%s", name);
    cr_expect_not_null (strstr (cap.log->str, " FINISHED\n"), "%s", name);
    /* Between the stop and the submission: FINISHED, nothing processed. */
    cr_expect_not_null (strstr (cap.log->str, "S 540000000 1000 0 "), "%s: %s",
                        name, cap.log->str);
    /* Incident 0 is the stop's savepoint (500 ms with the sources stopped
     * while the job should still run). */
    cr_expect_eq (incident (r, 0)->end, 300500000, "%s", name);
    RsimIncident *inc = incident (r, 1);
    cr_expect_str_eq (inc->cause, "job submitted from latest_savepoint");
    /* The first new TaskManager registers 625 s + its registration delay
     * (0-20 ms, drawn); its 2 slots are all the job needs. */
    RsimTime reg = event_at (cap.log->str, 610 * RSIM_SEC, " registered with 2 slots");
    cr_expect_geq (reg, 625 * RSIM_SEC, "%s", name);
    cr_expect_leq (reg, 625 * RSIM_SEC + 20 * RSIM_MSEC, "%s", name);
    cr_expect_eq (inc->start, 610 * RSIM_SEC, "%s", name);
    if (kinds[k] == RSIM_SCHEDULER_DEFAULT) {
      cr_expect_eq (inc->end, reg + 73440, "%s", name);
    } else {
      /* The adaptive scheduler also builds the execution graph (4 x
       * 31.5 us) once the slots are there. */
      cr_expect_eq (inc->end, reg + 73566, "%s", name);
    }
    cr_expect_not_null (strstr (cap.log->str, "cluster cluster_starting a new "
                                "cluster: 4 TaskManager(s) of the old one "
                                "stopped"), "%s", name);
    rsim_result_free (r);
    g_string_free (cap.log, TRUE);
    rsim_sim_config_clear (&c);
  }
}

/* A submit while the job runs is refused; a submit from the latest
 * checkpoint after a cancellation-free stop finds the retained checkpoint
 * and reprocesses the records after its barrier; one from empty state
 * starts at the sources' current position and notes the discarded state. */
Test (lifecycle, submit_sources_and_refusal)
{
  RsimSimConfig c;
  config_init (&c, "1.20", RSIM_SHIP_HASH, 2);
  c.job.vertices[1].state_bytes = 1e6;
  submit_at (&c, 2 * RSIM_MIN, RSIM_SUBMIT_FROM_EMPTY, FALSE);
  add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_STOP_WITH_SAVEPOINT);
  submit_at (&c, 10 * RSIM_MIN, RSIM_SUBMIT_FROM_EMPTY, FALSE);
  Capture cap = { g_string_new (NULL) };
  RsimResult *r = run (&c, &cap);
  cr_expect_not_null (strstr (cap.log->str, "submit refused: the job is RUNNING"));
  cr_expect_eq (r->state_discards, 1);
  cr_expect_float_eq (r->reprocessed_records, 0.0, 1e-9);
  cr_expect_str_eq (r->final_state, "RUNNING");
  /* Submitted 1 s (job_submit) after the action, into the running cluster
   * (incident 0 is the stop's savepoint). */
  RsimIncident *inc = incident (r, 1);
  cr_expect_eq (inc->start, 601 * RSIM_SEC);
  rsim_result_free (r);
  g_string_free (cap.log, TRUE);
  rsim_sim_config_clear (&c);
}

/* upgrade_flink from 1.18 to 2.0: a stop-with-savepoint, a new cluster on
 * 2.0 that restores it, and from then on 2.0's rules and defaults: the
 * default restart strategy with checkpointing is fixed-delay on 1.18 and
 * exponential-delay from 1.19 (FLINK-33735), as the failures before and
 * after the upgrade show. */
Test (lifecycle, upgrade_flink_applies_the_new_versions_defaults)
{
  const RsimSchedulerKind kinds[] = { RSIM_SCHEDULER_DEFAULT,
                                      RSIM_SCHEDULER_ADAPTIVE };
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++) {
    RsimSimConfig c;
    config_init (&c, "1.18", RSIM_SHIP_HASH, 2);
    c.scheduler = kinds[k];
    RsimAction *f = add_action (&c, 3 * RSIM_MIN, RSIM_ACTION_FAIL_TASK);
    f->vertex = 1;
    RsimAction *u = add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_UPGRADE_FLINK);
    u->count = 0;
    cr_assert (rsim_version_parse ("2.0", &u->upgrade_version));
    u->upgrade_flink = g_new0 (RsimFlinkConf, 1);
    const char *const pairs[] = { "taskmanager.numberOfTaskSlots", "2",
                                  "execution.checkpointing.interval", "10 s",
                                  NULL };
    cr_assert (rsim_flink_conf_resolve (u->upgrade_flink, u->upgrade_version,
                                        pairs, NULL));
    u->upgrade_costs = g_new0 (RsimCosts, 1);
    rsim_costs_init_defaults (u->upgrade_costs, u->upgrade_version);
    RsimAction *g = add_action (&c, 15 * RSIM_MIN, RSIM_ACTION_FAIL_TASK);
    g->vertex = 1;
    Capture cap = { g_string_new (NULL) };
    RsimResult *r = run (&c, &cap);
    const char *name = rsim_scheduler_kind_name (kinds[k]);
    const char *switch_line = strstr (cap.log->str, "Flink 1.18 -> 2.0: the old "
                                      "cluster is gone");
    cr_assert_not_null (switch_line, "%s", name);
    cr_expect_not_null (strstr (switch_line, "restart strategy now "
                                "exponential-delay"), "%s", name);
    /* Before the switch the restart strategy was fixed-delay. */
    g_autofree char *before = g_strndup (cap.log->str,
                                         switch_line - cap.log->str);
    cr_expect_not_null (strstr (before, "fixed-delay"), "%s", name);
    cr_expect_null (strstr (before, "exponential-delay"), "%s", name);
    cr_expect_not_null (strstr (switch_line, "exponential-delay (initial"),
                        "%s", name);
    cr_expect_str_eq (r->final_state, "RUNNING", "%s", name);
    cr_expect_eq (r->failure_restarts, 2, "%s", name);
    rsim_result_free (r);
    g_string_free (cap.log, TRUE);
    rsim_sim_config_clear (&c);
  }
}

/* The number of TaskManager processes up in the sample at `t` (us). */
static int
sampled_taskmanagers (const char *log, RsimTime t)
{
  g_autofree char *key = g_strdup_printf ("S %" G_GINT64_FORMAT " ", t);
  const char *line = strstr (log, key);
  cr_assert_not_null (line, "no sample at %" G_GINT64_FORMAT, t);
  double in, out, lag;
  int p, tms;
  gint64 at;
  cr_assert_eq (sscanf (line, "S %" G_GINT64_FORMAT " %lg %lg %lg %d %d", &at,
                        &in, &out, &lag, &p, &tms), 6);
  return tms;
}

static RsimAction *
blue_green_at (RsimSimConfig *c, RsimTime at)
{
  RsimAction *a = add_action (c, at, RSIM_ACTION_BLUE_GREEN);
  a->count = 0;
  return a;
}

/* blue_green at 5 min on a job of 20 GB (10 GB per window subtask): the
 * green JobManager is up at 310 s (jobmanager_startup 10 s) and its one
 * TaskManager (the job's 2 slots) at 325 s (taskmanager_startup 15 s),
 * unknown to the blue JobManager. Only then does the blue job take its
 * savepoint (500 ms + 10 GB at 80 MB/s = 125.5 s, the job running all the
 * while) and get cancelled; at the instant it is CANCELED the blue
 * cluster's 4 TaskManagers go, the green one registers, and the job is
 * submitted from the savepoint 1 s (job_submit) later. Both clusters'
 * processes are counted while they overlap: 5 at 400 s, 1 after the
 * switch. The outage starts with the cancellation, not with the green
 * cluster's start. */
Test (lifecycle, blue_green_starts_green_before_the_switch)
{
  const RsimSchedulerKind kinds[] = { RSIM_SCHEDULER_DEFAULT,
                                      RSIM_SCHEDULER_ADAPTIVE };
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++) {
    RsimSimConfig c;
    config_init (&c, "1.20", RSIM_SHIP_HASH, 2);
    c.scheduler = kinds[k];
    c.job.vertices[1].state_bytes = 20e9;
    blue_green_at (&c, 5 * RSIM_MIN);
    Capture cap = { g_string_new (NULL) };
    RsimResult *r = run (&c, &cap);
    const char *name = rsim_scheduler_kind_name (kinds[k]);
    const char *log = cap.log->str;
    cr_expect_eq (event_at (log, 0, "the green cluster's JobManager is up"),
                  310 * RSIM_SEC, "%s", name);
    cr_expect_eq (event_at (log, 0, "is up in the other cluster"),
                  325 * RSIM_SEC, "%s", name);
    cr_expect_eq (event_at (log, 0, "the blue job takes a savepoint"),
                  325 * RSIM_SEC, "%s", name);
    RsimTime done = event_at (log, 0, "done: cancelling the job for the upgrade");
    cr_expect_eq (done, 325 * RSIM_SEC + 125500000, "%s", name);
    RsimTime sw = event_at (log, 0, "blue/green: the blue cluster is torn down "
                             "(4 TaskManager(s)); the green JobManager takes "
                             "over 1 TaskManager(s)");
    cr_expect_eq (sw, event_at (log, 0, "another cluster takes it over"), "%s",
                  name);
    cr_expect_eq (sw, done + (RsimTime) c.costs.cancel_task.a, "%s", name);
    cr_expect_eq (event_at (log, 0, "job resubmitted from savepoint"),
                  sw + RSIM_SEC, "%s", name);
    cr_expect_eq (sampled_taskmanagers (log, 320 * RSIM_SEC), 4, "%s", name);
    cr_expect_eq (sampled_taskmanagers (log, 400 * RSIM_SEC), 5, "%s", name);
    cr_expect_eq (sampled_taskmanagers (log, 10 * RSIM_MIN), 1, "%s", name);
    RsimIncident *inc = incident (r, 0);
    cr_expect_eq (inc->start, done, "%s", name);
    cr_expect_str_eq (r->final_state, "RUNNING", "%s", name);
    cr_expect_eq (r->failure_restarts, 0, "%s", name);
    cr_expect_eq (r->notes->len, 1, "%s", name);
    rsim_result_free (r);
    g_string_free (cap.log, TRUE);
    rsim_sim_config_clear (&c);
  }
}

/* A failing savepoint aborts the switch: the green cluster is torn down
 * and blue keeps running, untouched (no restart, no outage on 1.14, where
 * a failed savepoint does not fail the tasks). */
Test (lifecycle, blue_green_savepoint_failure_keeps_blue)
{
  RsimSimConfig c;
  config_init (&c, "1.14", RSIM_SHIP_HASH, 2);
  RsimAction *f = add_action (&c, 4 * RSIM_MIN, RSIM_ACTION_FAIL_CHECKPOINTS);
  f->checkpoint_target = RSIM_CHECKPOINT_TARGET_SAVEPOINT;
  f->count = 1;
  blue_green_at (&c, 5 * RSIM_MIN);
  Capture cap = { g_string_new (NULL) };
  RsimResult *r = run (&c, &cap);
  const char *log = cap.log->str;
  cr_expect_gt (event_at (log, 0, "blue_green aborted: the blue job's savepoint "
                           "failed; the green cluster (1 TaskManager(s)) is "
                           "torn down"), 325 * RSIM_SEC, "%s", log);
  cr_expect_eq (event_at (log, 0, "blue_green_switch"), -1);
  cr_expect_eq (sampled_taskmanagers (log, 10 * RSIM_MIN), 4);
  cr_expect_eq (r->incidents->len, 0);
  cr_expect_str_eq (r->final_state, "RUNNING");
  rsim_result_free (r);
  g_string_free (cap.log, TRUE);
  rsim_sim_config_clear (&c);
}

/* A graceful stop keeps the pod's resources for taskmanager_shutdown (5 s
 * here) while Flink sees the TaskManager gone at once (1.15+: it
 * disconnects); a deleted pod (a kill) and the default of 0 s leave at
 * once. Counted in the samples' TaskManagers. */
Test (lifecycle, graceful_stop_holds_the_pod_for_its_termination)
{
  const RsimActionKind kinds[] = { RSIM_ACTION_STOP_TASKMANAGERS,
                                   RSIM_ACTION_KILL_TASKMANAGERS };
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++) {
    for (int with_cost = 0; with_cost <= 1; with_cost++) {
      RsimSimConfig c;
      config_init (&c, "1.20", RSIM_SHIP_HASH, 2);
      c.duration = 10 * RSIM_MIN;
      if (with_cost)
        c.costs.taskmanager_shutdown = RSIM_DIST_CONST (5e6);
      RsimAction *a = add_action (&c, 5 * RSIM_MIN, kinds[k]);
      a->count = 1;
      Capture cap = { g_string_new (NULL) };
      RsimResult *r = run (&c, &cap);
      const char *log = cap.log->str;
      gboolean held = with_cost && kinds[k] == RSIM_ACTION_STOP_TASKMANAGERS;
      cr_expect_eq (sampled_taskmanagers (log, 301 * RSIM_SEC), held ? 4 : 3,
                    "action %u cost %d", k, with_cost);
      cr_expect_eq (sampled_taskmanagers (log, 306 * RSIM_SEC), 3,
                    "action %u cost %d", k, with_cost);
      cr_expect_eq (event_at (log, 0, "'s pod is gone"),
                    held ? 305 * RSIM_SEC : -1, "action %u cost %d", k,
                    with_cost);
      if (held)
        cr_expect_eq (event_at (log, 0, "removed by the JobManager: TaskManager "
                                 "disconnected on shutdown"),
                      300 * RSIM_SEC);
      rsim_result_free (r);
      g_string_free (cap.log, TRUE);
      rsim_sim_config_clear (&c);
    }
  }
}
