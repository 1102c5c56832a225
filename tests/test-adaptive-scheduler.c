/* Tests of the adaptive scheduler and reactive mode per Flink version
 * (FLIP-160, FLIP-159; docs/flink-versions.md), on configurations built in
 * code. */
#include "fixture.h"

static void
set_group (RsimSimConfig *c, int vertex, const char *group)
{
  g_free (c->job.vertices[vertex].slot_sharing_group);
  c->job.vertices[vertex].slot_sharing_group = g_strdup (group);
}

static RsimIncident *
incident (const RsimResult *r, guint i)
{
  cr_assert_lt (i, r->incidents->len, "only %u incidents", r->incidents->len);
  return r->incidents->pdata[i];
}

Test (adaptive, reactive_killed_taskmanager_stalls_for_the_heartbeat_timeout)
{
  RsimSimConfig c;
  config_init (&c, "1.20", RSIM_SHIP_HASH, 8);
  c.scheduler = RSIM_SCHEDULER_REACTIVE;
  kill_tm0 (&c, 10 * RSIM_MIN);
  RsimResult *r = run (&c, NULL);
  /* Reactive mode runs at every slot (8), then at 6 once the JobManager
   * drops the dead TaskManager (docs: "stuck for roughly 50 seconds"). */
  cr_assert_eq (r->final_parallelism[1], 6);
  cr_assert_gt (r->downtime_s, 38.0, "downtime %.3f", r->downtime_s);
  cr_assert_lt (r->downtime_s, 55.0, "downtime %.3f", r->downtime_s);
  rsim_result_free (r);

  c.flink.heartbeat_interval = 2 * RSIM_SEC;
  c.flink.heartbeat_timeout = 8 * RSIM_SEC;
  r = run (&c, NULL);
  cr_assert_eq (r->final_parallelism[1], 6);
  /* About 8 s plus the restart (heartbeat.timeout 8 s, as in the Flink blog
   * "Scaling Flink automatically with Reactive Mode", 2021). */
  cr_assert_gt (r->downtime_s, 6.0, "downtime %.3f", r->downtime_s);
  cr_assert_lt (r->downtime_s, 12.0, "downtime %.3f", r->downtime_s);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

/* One TaskManager at first, then three more joining 5 s apart. */
static RsimResult *
joining_one_by_one (const char *version)
{
  RsimSimConfig c;
  config_init (&c, version, RSIM_SHIP_HASH, 8);
  c.scheduler = RSIM_SCHEDULER_REACTIVE;
  c.cluster.taskmanagers = 1;
  for (int i = 0; i < 3; i++)
    add_action (&c, 5 * RSIM_MIN + i * 5 * RSIM_SEC,
                RSIM_ACTION_ADD_TASKMANAGERS);
  RsimResult *r = run (&c, NULL);
  cr_assert_eq (r->final_parallelism[1], 8, "%s", version);
  rsim_sim_config_clear (&c);
  return r;
}

Test (adaptive, reactive_restarts_once_per_joining_taskmanager_before_1_19)
{
  /* Stabilization 0 in reactive mode: every TaskManager that connects
   * triggers a restart (docs; ReactiveScaleUpController up to 1.17, the
   * per-vertex controller in 1.18). */
  const char *versions[] = { "1.15", "1.17", "1.18" };
  for (guint i = 0; i < G_N_ELEMENTS (versions); i++) {
    RsimResult *r = joining_one_by_one (versions[i]);
    cr_assert_eq (r->rescales, 3, "%s: %u rescales", versions[i], r->rescales);
    cr_assert_eq (r->restarts, 3, "%s: numRestarts counts rescales", versions[i]);
    cr_assert_eq (r->failure_restarts, 0);
    rsim_result_free (r);
  }
}

Test (adaptive, cooldown_from_1_19_merges_joining_taskmanagers)
{
  /* FLIP-322: the first TaskManager rescales at once; the new Executing
   * state evaluates again only 30 s after it was entered, so the second and
   * third TaskManager (5 and 10 s later) are taken in one rescale. */
  RsimResult *r = joining_one_by_one ("1.19");
  cr_assert_eq (r->rescales, 2, "%u rescales", r->rescales);
  rsim_result_free (r);
}

Test (adaptive, flink_2_3_timeline_of_calibration_section_5)
{
  RsimSimConfig c;
  config_init (&c, "2.3", RSIM_SHIP_HASH, 4);
  c.scheduler = RSIM_SCHEDULER_ADAPTIVE;
  c.cluster.taskmanagers = 1;
  c.flink.checkpoint_interval = 2 * RSIM_SEC;
  c.flink.as_cooldown = 5 * RSIM_SEC;
  c.flink.as_executing_stabilization = 3 * RSIM_SEC;
  add_action (&c, 60 * RSIM_SEC, RSIM_ACTION_ADD_TASKMANAGERS);
  RsimAction *a = add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_STOP_TASKMANAGERS);
  a->taskmanager_ids = g_new0 (int, 1);
  a->taskmanager_ids[0] = 1;
  a->n_taskmanager_ids = 1;
  Capture cap = { g_string_new (NULL) };
  RsimResult *r = run (&c, &cap);
  /* Submitted with 2 of 4 slots: 10 s of submission stabilization. */
  cr_assert_gt (r->startup_s, 10.0);
  cr_assert_lt (r->startup_s, 10.5);
  cr_assert_eq (r->incidents->len, 2);
  /* The second TaskManager registers at 75 s; the rescale fires at the next
   * completed checkpoint and restores it: almost nothing is reprocessed. */
  RsimIncident *rescale = incident (r, 0);
  cr_assert_str_eq (rescale->cause, "rescale");
  cr_assert_gt (rescale->start, 75 * RSIM_SEC);
  cr_assert_lt (rescale->start, 78 * RSIM_SEC);
  cr_assert_lt (rescale->reprocessed_records, 0.5 * c.workload.rate.value,
                "reprocessed %.1f", rescale->reprocessed_records);
  cr_assert_eq (rescale->restarts, 1);
  /* A TaskManager stops: 1 s backoff, 10 s in WaitingForResources, restart at
   * parallelism 2: about 11 s without processing. */
  RsimIncident *stop = incident (r, 1);
  cr_assert_gt (stop->downtime_s, 10.8, "%.3f", stop->downtime_s);
  cr_assert_lt (stop->downtime_s, 11.6, "%.3f", stop->downtime_s);
  cr_assert_eq (r->final_parallelism[1], 2);
  cr_assert_eq (r->rescales, 1);
  cr_assert_eq (r->restarts, 2);
  cr_assert_not_null (strstr (cap.log->str, "CreatingExecutionGraph"));
  g_string_free (cap.log, TRUE);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

Test (adaptive, slot_sharing_groups_before_and_after_1_17)
{
  RsimSimConfig c;
  config_init (&c, "1.16", RSIM_SHIP_HASH, 2);
  c.scheduler = RSIM_SCHEDULER_ADAPTIVE;
  c.job.vertices[1].parallelism = 6;
  set_group (&c, 0, "a");
  set_group (&c, 1, "b");
  RsimResult *r = run (&c, NULL);
  /* Pre-1.17: floor(8 slots / 2 groups) = 4 each; the source group needs
   * 2, so 2 slots stay unused ("unused slots" limitation). */
  cr_assert_eq (r->final_parallelism[0], 2);
  cr_assert_eq (r->final_parallelism[1], 4);
  cr_assert_gt (r->slot_seconds_idle, 0.2 * r->slot_seconds_used);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);

  config_init (&c, "1.17", RSIM_SHIP_HASH, 2);
  c.scheduler = RSIM_SCHEDULER_ADAPTIVE;
  c.job.vertices[1].parallelism = 6;
  set_group (&c, 0, "a");
  set_group (&c, 1, "b");
  r = run (&c, NULL);
  /* 1.17+ (FLINK-30895): the narrow group takes 2, the rest flows to b. */
  cr_assert_eq (r->final_parallelism[0], 2);
  cr_assert_eq (r->final_parallelism[1], 6);
  cr_assert_lt (r->slot_seconds_idle, 1.0);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

Test (adaptive, missing_resources_fail_adaptive_but_not_reactive)
{
  RsimSimConfig c;
  config_init (&c, "1.20", RSIM_SHIP_HASH, 4);
  c.scheduler = RSIM_SCHEDULER_ADAPTIVE;
  c.cluster.taskmanagers = 0;
  add_action (&c, 10 * RSIM_MIN, RSIM_ACTION_ADD_TASKMANAGERS);
  Capture cap = { g_string_new (NULL) };
  RsimResult *r = run (&c, &cap);
  /* resource-wait-timeout (5 min): CreatingExecutionGraph without the
   * minimum resources fails the job. */
  cr_assert_str_eq (r->final_state, "FAILED");
  cr_assert_not_null (strstr (cap.log->str, "resource-wait-timeout expired"));
  g_string_free (cap.log, TRUE);
  rsim_result_free (r);

  /* Reactive mode waits forever and runs once a TaskManager arrives. */
  c.scheduler = RSIM_SCHEDULER_REACTIVE;
  r = run (&c, NULL);
  cr_assert_str_eq (r->final_state, "RUNNING");
  cr_assert_gt (r->startup_s, 600.0);
  cr_assert_eq (r->final_parallelism[1], 2);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

Test (adaptive, partial_resources_wait_for_stabilization_in_1_x)
{
  RsimSimConfig c;
  config_init (&c, "1.18", RSIM_SHIP_HASH, 8);
  c.scheduler = RSIM_SCHEDULER_ADAPTIVE;
  RsimAction *a = add_action (&c, 10 * RSIM_MIN, RSIM_ACTION_STOP_TASKMANAGERS);
  a->taskmanager_ids = g_new0 (int, 1);
  a->n_taskmanager_ids = 1;
  RsimResult *r = run (&c, NULL);
  /* Graceful stop: backoff 1 s, then WaitingForResources waits the 10 s
   * stabilization because only sufficient (6 of 8) slots are left. */
  cr_assert_eq (r->final_parallelism[1], 6);
  cr_assert_gt (r->downtime_s, 11.0, "%.3f", r->downtime_s);
  cr_assert_lt (r->downtime_s, 11.5, "%.3f", r->downtime_s);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

Test (adaptive, scale_sets_requirements_and_starts_taskmanagers)
{
  RsimSimConfig c;
  config_init (&c, "1.18", RSIM_SHIP_HASH, 4);
  c.scheduler = RSIM_SCHEDULER_ADAPTIVE;
  c.cluster.taskmanagers = 2;
  RsimAction *a = add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_SCALE);
  a->parallelism = all_parallelism (2, 8);
  a->n_parallelism = 2;
  RsimResult *r = run (&c, NULL);
  /* Two more TaskManagers start (15 s) and the job rescales to 8. */
  cr_assert_eq (r->final_parallelism[1], 8);
  cr_assert_eq (r->rescales, 1);
  cr_assert_eq (r->restarts, 1);
  cr_assert_eq (r->savepoints_completed, 0, "no savepoint for an adaptive rescale");
  rsim_result_free (r);

  /* Reactive mode: the same intent only changes the TaskManagers. */
  c.scheduler = RSIM_SCHEDULER_REACTIVE;
  r = run (&c, NULL);
  cr_assert_eq (r->final_parallelism[1], 8);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

Test (adaptive, failures_restart_the_whole_job)
{
  RsimSimConfig c;
  config_init (&c, "1.20", RSIM_SHIP_FORWARD, 4);
  c.scheduler = RSIM_SCHEDULER_ADAPTIVE;
  RsimAction *a = add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_FAIL_TASK);
  a->vertex = 1;
  RsimResult *r = run (&c, NULL);
  /* No region failover under the adaptive scheduler: all 8 tasks restart
   * and the job is fully down. */
  cr_assert_eq (r->task_attempts, 8);
  cr_assert_gt (r->downtime_s, 1.0);
  cr_assert_eq (r->failure_restarts, 1);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

Test (adaptive, not_before_1_13)
{
  RsimSimConfig c;
  config_init (&c, "1.12", RSIM_SHIP_HASH, 4);
  c.scheduler = RSIM_SCHEDULER_REACTIVE;
  GError *error = NULL;
  RsimResult *r = rsim_simulation_run (&c, NULL, &error);
  cr_assert_null (r);
  cr_assert_not_null (strstr (error->message, "1.13"));
  g_error_free (error);
  rsim_sim_config_clear (&c);
}

static void
add_requirements (RsimSimConfig *c, RsimTime at, int lower, int upper)
{
  RsimAction *a = add_action (c, at, RSIM_ACTION_SET_RESOURCE_REQUIREMENTS);
  a->n_bounds = c->job.n_vertices;
  a->lower_bounds = g_new (int, a->n_bounds);
  a->upper_bounds = g_new (int, a->n_bounds);
  for (guint v = 0; v < a->n_bounds; v++) {
    a->lower_bounds[v] = lower;
    a->upper_bounds[v] = upper;
  }
}

Test (adaptive, resource_requirements_are_validated_as_flink_does)
{
  RsimSimConfig c;
  config_init (&c, "1.18", RSIM_SHIP_HASH, 8);
  c.scheduler = RSIM_SCHEDULER_ADAPTIVE;
  add_requirements (&c, 2 * RSIM_MIN, 4, 2);      /* lower > upper */
  add_requirements (&c, 3 * RSIM_MIN, 1, 200);    /* above max parallelism 128 */
  add_requirements (&c, 4 * RSIM_MIN, 1, 4);      /* valid: down to 4 */
  Capture cap = { g_string_new (NULL) };
  RsimResult *r = run (&c, &cap);
  cr_assert_not_null (strstr (cap.log->str, "the lower bound must not exceed "
                              "the upper bound"), "%s", cap.log->str);
  cr_assert_not_null (strstr (cap.log->str, "the upper bound must not exceed "
                              "the max parallelism"));
  /* Only the valid update rescales. */
  cr_assert_eq (r->rescales, 1);
  cr_assert_eq (r->final_parallelism[1], 4);
  g_string_free (cap.log, TRUE);
  rsim_result_free (r);

  /* A vertex left out is rejected too. */
  c.timeline[2].lower_bounds[0] = c.timeline[2].upper_bounds[0] = RSIM_BOUND_MISSING;
  cap.log = g_string_new (NULL);
  r = run (&c, &cap);
  cr_assert_not_null (strstr (cap.log->str, "every vertex of the job must be listed"));
  cr_assert_eq (r->rescales, 0);
  g_string_free (cap.log, TRUE);
  rsim_result_free (r);

  /* Reactive mode and the default scheduler reject updates. */
  RsimSchedulerKind others[] = { RSIM_SCHEDULER_REACTIVE, RSIM_SCHEDULER_DEFAULT };
  for (guint i = 0; i < G_N_ELEMENTS (others); i++) {
    c.scheduler = others[i];
    cap.log = g_string_new (NULL);
    r = run (&c, &cap);
    cr_assert_not_null (strstr (cap.log->str, "resource requirements update rejected"));
    cr_assert_eq (r->rescales, 0);
    g_string_free (cap.log, TRUE);
    rsim_result_free (r);
  }
  rsim_sim_config_clear (&c);

  /* Before 1.18 the endpoint does not exist. */
  config_init (&c, "1.17", RSIM_SHIP_HASH, 8);
  c.scheduler = RSIM_SCHEDULER_ADAPTIVE;
  add_requirements (&c, 4 * RSIM_MIN, 1, 4);
  cap.log = g_string_new (NULL);
  r = run (&c, &cap);
  cr_assert_not_null (strstr (cap.log->str, "HTTP 404"));
  cr_assert_eq (r->final_parallelism[1], 8);
  g_string_free (cap.log, TRUE);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

Test (adaptive, local_recovery_from_1_18)
{
  const char *versions[] = { "1.17", "1.18" };
  for (guint i = 0; i < 2; i++) {
    RsimSimConfig c;
    config_init (&c, versions[i], RSIM_SHIP_HASH, 8);
    c.scheduler = RSIM_SCHEDULER_ADAPTIVE;
    c.flink.local_recovery = 1;
    c.job.vertices[1].state_bytes = 4e9;        /* 500 MB per subtask */
    RsimAction *a = add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_FAIL_TASK);
    a->vertex = 1;
    RsimResult *r = run (&c, NULL);
    if (i == 0)   /* 1.17: "always download the entire state" */
      cr_assert_gt (r->downtime_s, 25.0, "%s %.3f", versions[i], r->downtime_s);
    else          /* 1.18: the same slots hold the state locally */
      cr_assert_lt (r->downtime_s, 3.0, "%s %.3f", versions[i], r->downtime_s);
    rsim_result_free (r);
    rsim_sim_config_clear (&c);
  }
}

/* FLINK-33960 (1.19): one slot-sharing group, source [1, 8] and window
 * [6, 8]. Two of four TaskManagers stop at 5 min, leaving 4 slots. 1.18
 * takes the group's smallest lower bound (1): 4 slots are sufficient and
 * the window runs at 4, below its lower bound. 1.19 takes the largest (6):
 * 4 slots are not enough, and after resource-wait-timeout (5 min) the job
 * fails. */
static RsimResult *
lower_bounds_run (const char *version, Capture *cap)
{
  RsimSimConfig c;
  config_init (&c, version, RSIM_SHIP_HASH, 8);
  c.scheduler = RSIM_SCHEDULER_ADAPTIVE;
  add_requirements (&c, 2 * RSIM_MIN, 1, 8);
  c.timeline[0].lower_bounds[1] = 6;
  RsimAction *a = add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_STOP_TASKMANAGERS);
  a->count = 2;
  RsimResult *r = run (&c, cap);
  rsim_sim_config_clear (&c);
  return r;
}

Test (adaptive, group_lower_bound_is_the_largest_from_1_19)
{
  RsimResult *r = lower_bounds_run ("1.18", NULL);
  cr_assert_str_eq (r->final_state, "RUNNING");
  cr_assert_eq (r->final_parallelism[0], 4);
  cr_assert_eq (r->final_parallelism[1], 4);
  rsim_result_free (r);

  Capture cap = { g_string_new (NULL) };
  r = lower_bounds_run ("1.19", &cap);
  cr_assert_str_eq (r->final_state, "FAILED");
  cr_assert_not_null (strstr (cap.log->str, "resource-wait-timeout expired"));
  g_string_free (cap.log, TRUE);
  rsim_result_free (r);
}

/* The instant (us) of the first line of `log` after `after` that contains
 * `needle`, or -1. */
static RsimTime
log_time (const char *log, RsimTime after, const char *needle)
{
  g_auto (GStrv) lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++) {
    gint64 t;
    if (lines[i][0] == 'S' || strstr (lines[i], needle) == NULL)
      continue;
    if (sscanf (lines[i], "%" G_GINT64_FORMAT, &t) == 1 && t > after)
      return t;
  }
  return -1;
}

/* WaitingForResources hears of new slots only (onNewResourcesAvailable):
 * bounds [6, 8] on 4 TaskManagers; one stops at 5 min (6 slots: sufficient,
 * the 10 s stabilization starts), a second at 5 min 3 s (4 slots: not
 * sufficient, but nothing tells WaitingForResources), and one added at
 * 4 min 54 s registers at 5 min 9 s (6 slots). The deadline set first
 * stands: the graph is created exactly 10 s after the first
 * "stabilizing", not 10 s after the registration. Same on 1.18 and 2.0. */
Test (adaptive, lost_taskmanager_does_not_rearm_stabilization)
{
  const char *versions[] = { "1.18", "2.0" };
  for (guint i = 0; i < G_N_ELEMENTS (versions); i++) {
    RsimSimConfig c;
    config_init (&c, versions[i], RSIM_SHIP_HASH, 8);
    c.scheduler = RSIM_SCHEDULER_ADAPTIVE;
    add_requirements (&c, 2 * RSIM_MIN, 6, 8);
    add_action (&c, 294 * RSIM_SEC, RSIM_ACTION_ADD_TASKMANAGERS);
    add_action (&c, 300 * RSIM_SEC, RSIM_ACTION_STOP_TASKMANAGERS);
    add_action (&c, 303 * RSIM_SEC, RSIM_ACTION_STOP_TASKMANAGERS);
    Capture cap = { g_string_new (NULL) };
    RsimResult *r = run (&c, &cap);
    RsimTime stab = log_time (cap.log->str, 300 * RSIM_SEC, "stabilizing");
    RsimTime ceg = log_time (cap.log->str, 300 * RSIM_SEC,
                             "WaitingForResources -> CreatingExecutionGraph");
    cr_assert_gt (stab, 300 * RSIM_SEC, "%s", versions[i]);
    cr_assert_lt (stab, 303 * RSIM_SEC, "%s", versions[i]);
    cr_assert_eq (ceg, stab + 10 * RSIM_SEC, "%s: stabilizing at %" G_GINT64_FORMAT
                  ", graph at %" G_GINT64_FORMAT, versions[i], stab, ceg);
    cr_assert_eq (r->final_parallelism[1], 6);
    g_string_free (cap.log, TRUE);
    rsim_result_free (r);
    rsim_sim_config_clear (&c);
  }
}

/* FLIP-461's failed-checkpoint countdown (Executing, 2.0+): armed by a
 * change event, disarmed by the next completed checkpoint. Upper bound 12
 * on 8 slots; a TaskManager added at 5 min registers at 5 min 15 s (10
 * slots: a sufficient change, Stabilizing); checkpoints complete until
 * 6 min, then every one fails. rescale-trigger.max-delay is 10 min. The
 * completed checkpoints disarmed the countdown, so the failures after 6 min
 * trigger nothing and the rescale waits for the stabilized trigger at
 * 10 min after the change. */
Test (adaptive, completed_checkpoint_disarms_the_failure_countdown)
{
  const char *versions[] = { "2.0", "2.3" };
  for (guint i = 0; i < G_N_ELEMENTS (versions); i++) {
    RsimSimConfig c;
    config_init (&c, versions[i], RSIM_SHIP_HASH, 12);
    c.scheduler = RSIM_SCHEDULER_ADAPTIVE;
    c.flink.as_max_trigger_delay = 10 * RSIM_MIN;
    add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_ADD_TASKMANAGERS);
    RsimAction *a = add_action (&c, 6 * RSIM_MIN, RSIM_ACTION_FAIL_CHECKPOINTS);
    a->checkpoint_target = RSIM_CHECKPOINT_TARGET_CHECKPOINT;
    a->count = 1000;
    c.flink.tolerable_failed_checkpoints = G_MAXINT;
    Capture cap = { g_string_new (NULL) };
    RsimResult *r = run (&c, &cap);
    RsimTime change = log_time (cap.log->str, 5 * RSIM_MIN, "resources changed");
    RsimTime rescale = log_time (cap.log->str, 5 * RSIM_MIN, "Executing -> Restarting");
    cr_assert_gt (change, 5 * RSIM_MIN, "%s", versions[i]);
    cr_assert_eq (rescale, change + 10 * RSIM_MIN, "%s: change at %" G_GINT64_FORMAT
                  ", rescale at %" G_GINT64_FORMAT, versions[i], change, rescale);
    cr_assert_eq (r->final_parallelism[1], 10);
    g_string_free (cap.log, TRUE);
    rsim_result_free (r);
    rsim_sim_config_clear (&c);
  }
}

/* The job_state of the sample at time t, or NULL. (transfer full) */
static char *
sample_state (const char *log, RsimTime t)
{
  g_autofree char *prefix = g_strdup_printf ("S %" G_GINT64_FORMAT " ", t);
  g_auto (GStrv) lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strdup (strrchr (lines[i], ' ') + 1);
  return NULL;
}

/* FLINK-24824 (1.15): 3 of the 4 desired TaskManagers at start, so
 * WaitingForResources waits the 10 s stabilization; at 5 s the job is
 * INITIALIZING on 1.14 and CREATED on 1.15. */
Test (adaptive, waiting_for_resources_status_by_version)
{
  const char *versions[] = { "1.14", "1.15" };
  const char *want[] = { "INITIALIZING", "CREATED" };
  for (guint i = 0; i < G_N_ELEMENTS (versions); i++) {
    RsimSimConfig c;
    config_init (&c, versions[i], RSIM_SHIP_HASH, 8);
    c.scheduler = RSIM_SCHEDULER_ADAPTIVE;
    c.cluster.taskmanagers = 3;
    Capture cap = { g_string_new (NULL) };
    RsimResult *r = run (&c, &cap);
    g_autofree char *state = sample_state (cap.log->str, 5 * RSIM_SEC);
    cr_assert_str_eq (state, want[i], "%s", versions[i]);
    cr_assert_not_null (strstr (cap.log->str, "waiting 10.000 s for resource stabilization"));
    g_string_free (cap.log, TRUE);
    rsim_result_free (r);
    rsim_sim_config_clear (&c);
  }
}

/* applyJobResourceRequirements: a PUT of the bounds in force ([1, 8])
 * changes nothing and notifies no state: no slots declared, no
 * evaluation (1.19: no cooldown deferral; 2.0: no transition manager
 * change). A PUT of [1, 6] is a change. */
Test (adaptive, unchanged_requirements_start_nothing)
{
  const char *versions[] = { "1.19", "2.0" };
  for (guint i = 0; i < G_N_ELEMENTS (versions); i++) {
    RsimSimConfig c;
    config_init (&c, versions[i], RSIM_SHIP_HASH, 8);
    c.scheduler = RSIM_SCHEDULER_ADAPTIVE;
    c.duration = 5 * RSIM_MIN;
    add_requirements (&c, 2 * RSIM_MIN, 1, 8);
    Capture cap = { g_string_new (NULL) };
    RsimResult *r = run (&c, &cap);
    cr_assert_eq (log_time (cap.log->str, 2 * RSIM_MIN - 1, "resource requirements unchanged"),
                  2 * RSIM_MIN, "%s", versions[i]);
    cr_assert_eq (log_time (cap.log->str, 2 * RSIM_MIN - 1, "slot(s) desired"), -1);
    cr_assert_eq (log_time (cap.log->str, 2 * RSIM_MIN - 1, "rescale evaluation deferred"), -1);
    cr_assert_eq (log_time (cap.log->str, 2 * RSIM_MIN - 1, "resources changed"), -1);
    cr_assert_eq (r->rescales, 0);
    g_string_free (cap.log, TRUE);
    rsim_result_free (r);

    c.timeline[0].upper_bounds[0] = c.timeline[0].upper_bounds[1] = 6;
    cap.log = g_string_new (NULL);
    r = run (&c, &cap);
    cr_assert_eq (log_time (cap.log->str, 2 * RSIM_MIN - 1, "6 slot(s) desired"), 2 * RSIM_MIN);
    cr_assert_eq (r->final_parallelism[1], 6, "%s", versions[i]);
    g_string_free (cap.log, TRUE);
    rsim_result_free (r);
    rsim_sim_config_clear (&c);
  }
}

/* A stop-with-savepoint while the restarted tasks still restore their
 * state (500 MB per subtask, 25 s) is accepted by Executing and fails on
 * the JobManager: the savepoint is not triggered (not every task runs), no
 * task is touched, and a new Executing takes over at the same instant; the
 * job runs on. On both sides of FLINK-23532 (1.15), whose task failures
 * need a savepoint that reached the tasks. */
Test (adaptive, stop_with_savepoint_before_all_tasks_run_fails_on_the_jobmanager)
{
  const char *versions[] = { "1.14", "1.15" };
  for (guint i = 0; i < G_N_ELEMENTS (versions); i++) {
    RsimSimConfig c;
    config_init (&c, versions[i], RSIM_SHIP_HASH, 8);
    c.scheduler = RSIM_SCHEDULER_ADAPTIVE;
    c.job.vertices[1].state_bytes = 4e9;
    RsimAction *a = add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_FAIL_TASK);
    a->vertex = 1;
    add_action (&c, 5 * RSIM_MIN + 10 * RSIM_SEC, RSIM_ACTION_STOP_WITH_SAVEPOINT);
    Capture cap = { g_string_new (NULL) };
    RsimResult *r = run (&c, &cap);
    RsimTime at = 5 * RSIM_MIN + 10 * RSIM_SEC;
    cr_assert_eq (log_time (cap.log->str, at - 1, "Executing -> StopWithSavepoint"), at,
                  "%s", versions[i]);
    cr_assert_eq (log_time (cap.log->str, at - 1, "stop-with-savepoint failed on the "
                            "JobManager"), at);
    cr_assert_eq (log_time (cap.log->str, at - 1, "StopWithSavepoint -> Executing"), at);
    cr_assert_str_eq (r->final_state, "RUNNING");
    cr_assert_eq (r->savepoints_failed, 1);
    cr_assert_eq (r->savepoints_completed, 0);
    cr_assert_eq (r->restarts, 1);
    g_string_free (cap.log, TRUE);
    rsim_result_free (r);
    rsim_sim_config_clear (&c);
  }
}

/* ClusterEntrypoint refuses reactive mode on any cluster but a standalone
 * application cluster: a run of reactive mode with an active resource
 * manager fails with Flink's message; adaptive runs. */
Test (adaptive, reactive_refused_on_an_active_resource_manager)
{
  RsimSimConfig c;
  config_init (&c, "1.20", RSIM_SHIP_HASH, 4);
  c.cluster.rm_mode = RSIM_RM_ACTIVE;
  c.scheduler = RSIM_SCHEDULER_REACTIVE;
  GError *error = NULL;
  cr_assert_null (rsim_simulation_run (&c, NULL, &error));
  cr_assert (g_error_matches (error, RSIM_SIM_ERROR, RSIM_SIM_ERROR_INVALID));
  cr_assert_str_eq (error->message, RSIM_REACTIVE_UNSUPPORTED_CLUSTER
                    " (cluster.resource_manager is \"active\")");
  g_clear_error (&error);
  c.scheduler = RSIM_SCHEDULER_ADAPTIVE;
  RsimResult *r = run (&c, NULL);
  cr_assert_str_eq (r->final_state, "RUNNING");
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

/* ------------------------------------------------------ state restores */

#include <rescalesim/report.h>

/* Reactive mode on 1.15 and 1.18: 3 TaskManagers of 1 slot, a fourth at
 * 5 min, so the job restores its latest incremental RocksDB checkpoint at
 * parallelism 4. Subtask 1 of the window straddles two old handles: it is
 * the slowest, and the outputs say so with the split; 1.15 pays key-by-key
 * clipping, sequential downloads and the WAL, 1.18 none of those. */
Test (adaptive, rescale_restore_names_the_slowest_subtask_and_splits_it)
{
  static const char *const tmpl =
    "{\"name\": \"r\", \"duration\": \"20 min\","
    " \"flink\": {\"version\": \"%s\", \"config\": {"
    "   \"taskmanager.numberOfTaskSlots\": 1, \"scheduler-mode\": \"reactive\","
    "   \"execution.checkpointing.interval\": \"30 s\","
    "   \"%s\": \"rocksdb\", \"%s\": true}},"
    " \"cluster\": {\"taskmanagers\": 3},"
    " \"job\": {\"vertices\": ["
    "   {\"name\": \"source\", \"parallelism\": 3, \"capacity\": \"4000 rec/s\"},"
    "   {\"name\": \"window\", \"parallelism\": 3, \"capacity\": \"3000 rec/s\","
    "    \"state\": \"6 GB\", \"state_change\": \"5 MB/s\"}],"
    "  \"edges\": [{\"from\": \"source\", \"to\": \"window\", \"ship\": \"hash\"}]},"
    " \"workload\": {\"rate\": \"3000 rec/s\"},"
    " \"timeline\": [{\"at\": \"5 min\", \"action\": \"add_taskmanagers\", \"count\": 1}]}";
  const double kg = 6.0 * 1024 * 1024 * 1024 / 128;
  double total[2];
  for (int k = 0; k < 2; k++) {
    g_autofree char *text = k == 0
      ? g_strdup_printf (tmpl, "1.15", "state.backend", "state.backend.incremental")
      : g_strdup_printf (tmpl, "1.18", "state.backend.type", "state.backend.incremental");
    GError *error = NULL;
    g_autoptr (RsimScenario) sc = rsim_scenario_load_data (text, strlen (text),
                                                            "r.json", &error);
    cr_assert_not_null (sc, "%s", error ? error->message : "");
    Capture cap = { g_string_new (NULL) };
    RsimResult *r = run (&sc->config, &cap);
    cr_assert_eq (r->final_parallelism[1], 4);
    const RsimVertexRestore *vr = &r->vertex_restore[1];
    const RsimCosts *c = &sc->config.costs;
    double bw = c->state_download_bandwidth.a;
    double rate = k == 0 ? c->state_rebuild_rate_wal.a : c->state_rebuild_rate.a;
    cr_expect_eq (vr->subtask, 1);
    cr_expect_eq (vr->handles, 2);
    cr_expect_float_eq (vr->bytes, 86 * kg, 1.0);
    /* Downloads: both handles one after the other (1.15) or at once. */
    double download = (k == 0 ? 86 : 43) * kg / bw;
    cr_expect_float_eq (vr->download_s, download, 1e-6);
    /* Rebuild: clip 22 key groups (key by key on 1.15) + re-insert 11. */
    double rebuild = k == 0 ? 22 * kg / rate + 11 * kg / rate
                            : c->state_clip.a / 1e6 + 11 * kg / rate;
    cr_expect_float_eq (vr->rebuild_s, rebuild, 2e-6);
    cr_expect_float_eq (vr->replay_s, 0.0, 1e-12);
    total[k] = vr->total_s;
    /* The event and the incident name it. */
    cr_expect (strstr (cap.log->str, "state restore slowest subtask window[1] of 4: ")
               != NULL, "%s", cap.log->str);
    gboolean in_incident = FALSE;
    for (guint i = 0; i < r->incidents->len; i++) {
      RsimIncident *inc = r->incidents->pdata[i];
      for (guint j = 0; j < inc->decisions->len; j++)
        in_incident |= strstr (inc->decisions->pdata[j], "slowest subtask window[1]") != NULL;
    }
    cr_expect (in_incident);
    /* report.json carries the per-vertex maximum. */
    g_autofree char *json = rsim_report_build_json (sc, &sc->config, r);
    cr_expect (strstr (json, "\"restores\": {\n    \"window\": {\n"
                       "      \"restores\": 1,\n      \"slowest_subtask\": 1,\n"
                       "      \"handles\": 2,") != NULL, "%s", json);
    g_string_free (cap.log, TRUE);
    rsim_result_free (r);
  }
  cr_expect_gt (total[0], total[1]);
}
/* No TaskManager at all: WaitingForResources gives up after
 * resource-wait-timeout and the job FAILS without ever running. Its whole
 * wait since the submission is downtime, in one incident from time 0, and
 * the time after the failure too (a FAILED job counts until the end). */
Test (adaptive_scheduler, never_started_job_counts_its_wait_as_downtime)
{
  RsimSimConfig c;
  config_init (&c, "1.20", RSIM_SHIP_HASH, 4);
  c.scheduler = RSIM_SCHEDULER_ADAPTIVE;
  c.cluster.taskmanagers = 0;
  RsimResult *r = run (&c, NULL);
  cr_assert_str_eq (r->final_state, "FAILED");
  cr_assert_float_eq (r->downtime_s, RSIM_TIME_TO_SEC (c.duration), 1e-9);
  cr_assert_eq (r->job_stops, 1);
  cr_assert_lt (r->startup_s, 0.0);
  cr_assert_eq (r->incidents->len, 1);
  const RsimIncident *inc = g_ptr_array_index (r->incidents, 0);
  cr_assert_eq (inc->start, 0);
  cr_assert_eq (inc->end, RSIM_TIME_NEVER);
  /* resource-wait-timeout's default: 5 min (the key is left unset here,
   * so the scheduler resolves the mode's default). */
  const RsimTime wait = 5 * RSIM_MIN;
  g_autofree char *decision = g_strdup_printf (
    "%.3f s: the job failed without ever running: %.3f s since its "
    "submission count as downtime", RSIM_TIME_TO_SEC (wait),
    RSIM_TIME_TO_SEC (wait));
  cr_assert_str_eq (g_ptr_array_index (inc->decisions, 0), decision);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}
