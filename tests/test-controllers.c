/* Tests of the controllers: the operator autoscaler's rules (target
 * capacity, alignment, scale-down.interval) on their own, and the three
 * controllers driving a simulated job: the autoscaler's gating after a
 * restart and its ways of applying a decision, Ververica Platform's
 * upgrade strategies, and the replica controller under reactive mode. */
#include "fixture.h"

#include <rescalesim/autoscaler.h>

/* ----------------------------------------------------------- the rules */

Test (autoscaler_rules, target_capacity_formula)
{
  /* AutoScalerUtils.getTargetProcessingCapacity on a worked example:
   * 10k rec/s, no lag, utilization 0.7, restart time 5 min, catch-up
   * 30 min: 10000 * 300 / 1800 + 10000 / 0.7. */
  cr_assert_float_eq (rsim_autoscaler_target_capacity (10000, 0, 0.7, 300,
                                                       1800, TRUE),
                      15952.0, 1e-9);
  /* Without the restart term: only rate / utilization. */
  cr_assert_float_eq (rsim_autoscaler_target_capacity (10000, 0, 0.7, 300,
                                                       1800, FALSE),
                      14286.0, 1e-9);
  /* A lag of 1.8 M records adds lag / catch-up = 1000 rec/s. */
  cr_assert_float_eq (rsim_autoscaler_target_capacity (10000, 1.8e6, 0.7,
                                                       300, 1800, TRUE),
                      16952.0, 1e-9);
  cr_assert (isnan (rsim_autoscaler_target_capacity (NAN, 0, 0.7, 300, 1800,
                                                     TRUE)));
}

Test (autoscaler_rules, parallelism_alignment)
{
  /* Not aligned: ceil(4 * 1.3) = 6, within the limits. */
  cr_assert_eq (rsim_autoscaler_scale (RSIM_ALIGN_KEEP_DIRECTION, 4, 1.3, 1, 200, 128, 128, FALSE), 6);
  /* Keyed, 128 key groups: 6 moves up to the divisor 8. */
  cr_assert_eq (rsim_autoscaler_scale (RSIM_ALIGN_KEEP_DIRECTION, 4, 1.3, 1, 200, 128, 128, TRUE), 8);
  /* Scale-down 8 -> ceil(5.6) = 6: no divisor of 128 in 6..7, and the
   * search stops at the current 8, which blocks the scale-down. */
  cr_assert_eq (rsim_autoscaler_scale (RSIM_ALIGN_KEEP_DIRECTION, 8, 0.7, 1, 200, 128, 128, TRUE), 8);
  /* 8 -> 4 is a divisor. */
  cr_assert_eq (rsim_autoscaler_scale (RSIM_ALIGN_KEEP_DIRECTION, 8, 0.45, 1, 200, 128, 128, TRUE), 4);
  /* A source with 12 partitions: 5 -> 6. */
  cr_assert_eq (rsim_autoscaler_scale (RSIM_ALIGN_KEEP_DIRECTION, 4, 1.2, 1, 200, 12, 12, TRUE), 6);
  /* Capped by vertex.max-parallelism and by the key groups. */
  cr_assert_eq (rsim_autoscaler_scale (RSIM_ALIGN_KEEP_DIRECTION, 10, 100, 1, 200, 128, 128, FALSE),
                128);
  cr_assert_eq (rsim_autoscaler_scale (RSIM_ALIGN_KEEP_DIRECTION, 10, 100, 1, 50, 128, 128, FALSE), 50);
}

/* The alignment per operator release (JobVertexScaler.scale at each
 * release branch), keyed with 128 key groups unless said otherwise. */
static int
align (int minor, int current, double factor, int n)
{
  return rsim_autoscaler_scale (rsim_operator_release (minor)->align, current,
                                factor, 1, 200, 128, n, TRUE);
}

Test (autoscaler_rules, alignment_per_operator_release)
{
  /* A wished scale-down 12 -> ceil(10.8) = 11: no divisor of 128 in
   * 11..12. Up to 1.14 the search goes on upward to 16, a scale-up; 1.15
   * (FLINK-39299) stops at the current 12 and falls back to the smallest
   * parallelism with the load of 11: 11. */
  cr_assert_eq (align (9, 12, 0.9, 128), 16);
  cr_assert_eq (align (10, 12, 0.9, 128), 16);
  cr_assert_eq (align (14, 12, 0.9, 128), 16);
  cr_assert_eq (align (15, 12, 0.9, 128), 11);
  /* 15 partitions, 4 -> 6: no divisor in 6..7 (N/2). 1.4-1.9 keep 6; 1.10
   * searches only up to N/2 and falls back to the load of 6 (15 / 6 = 2
   * per subtask, as with 5): 5; 1.11+ search up to N: 15. */
  cr_assert_eq (align (4, 4, 1.5, 15), 6);
  cr_assert_eq (align (9, 4, 1.5, 15), 6);
  cr_assert_eq (align (10, 4, 1.5, 15), 5);
  cr_assert_eq (align (11, 4, 1.5, 15), 15);
  cr_assert_eq (align (15, 4, 1.5, 15), 15);
  /* No change wished (6 -> 6): before 1.15 the search still moves it to
   * the divisor 8; 1.15 keeps 6. */
  cr_assert_eq (align (9, 6, 1.0, 128), 8);
  cr_assert_eq (align (14, 6, 1.0, 128), 8);
  cr_assert_eq (align (15, 6, 1.0, 128), 6);
}

/* Defaults that changed between operator releases. */
Test (autoscaler_rules, defaults_per_operator_release)
{
  const struct { int minor; RsimTime restart; } want[] = {
    { 4, 5 * RSIM_MIN }, { 5, 3 * RSIM_MIN }, { 6, 3 * RSIM_MIN },
    { 7, 5 * RSIM_MIN }, { 15, 5 * RSIM_MIN },
  };
  for (guint i = 0; i < G_N_ELEMENTS (want); i++) {
    RsimControllersSpec spec;
    rsim_controllers_spec_init (&spec);
    spec.autoscaler.enabled = TRUE;
    spec.autoscaler.operator_minor = want[i].minor;
    g_autofree char *msg = NULL;
    cr_assert (rsim_controllers_spec_resolve (&spec, &msg), "%s", msg);
    cr_expect_eq (spec.autoscaler.restart_time, want[i].restart,
                  "operator 1.%d", want[i].minor);
  }
  /* Operator 1.4 has neither backlog-processing.lag-threshold nor
   * scale-up.max-factor: setting one is an error. */
  RsimControllersSpec spec;
  rsim_controllers_spec_init (&spec);
  spec.autoscaler.enabled = TRUE;
  spec.autoscaler.operator_minor = 4;
  spec.autoscaler.backlog_threshold = RSIM_MIN;
  g_autofree char *msg = NULL;
  cr_assert_not (rsim_controllers_spec_resolve (&spec, &msg));
  cr_assert_str_eq (msg, "controllers.autoscaler.config.\"job.autoscaler."
                    "backlog-processing.lag-threshold\": does not exist in "
                    "operator 1.4 (it was added in 1.5)");
  rsim_controllers_spec_init (&spec);
  spec.autoscaler.enabled = TRUE;
  spec.autoscaler.operator_minor = 5;
  spec.autoscaler.backlog_threshold = RSIM_MIN;
  spec.autoscaler.scale_up_max_factor = 2.0;
  cr_assert (rsim_controllers_spec_resolve (&spec, NULL));
}

/* Recommendations 100 -> 70 -> 50 -> 30, 15 minutes apart, then 30 again
 * every 15 minutes until 90 min (FLINK-36018). Returns
 * the scale-downs applied. */
static int
scale_downs (RsimTime interval, int *final)
{
  static const int rec[] = { 100, 70, 50, 30, 30, 30, 30 };
  RsimDelayedScaleDown *d = rsim_delayed_scale_down_new (1);
  int current = 100, n = 0;
  for (gsize i = 0; i < G_N_ELEMENTS (rec); i++) {
    RsimTime now = (RsimTime) i * 15 * RSIM_MIN;
    int want = rec[i];
    if (want >= current) {
      rsim_delayed_scale_down_clear_vertex (d, 0);
      continue;
    }
    int p = rsim_delayed_scale_down_trigger (d, 0, now, want, interval);
    if (p >= 0 && p < current) {
      current = p;
      n++;
      rsim_delayed_scale_down_clear_all (d);
    }
    cr_assert_leq (rsim_delayed_scale_down_held (d, 0), 7);
  }
  rsim_delayed_scale_down_free (d);
  *final = current;
  return n;
}

Test (autoscaler_rules, scale_down_interval)
{
  int final;
  cr_assert_eq (scale_downs (0, &final), 3);
  cr_assert_eq (final, 30);
  /* With 1 h the first wish (70 at 15 min) waits until 75 min and then
   * applies the largest recommendation of the last hour: 70. */
  cr_assert_eq (scale_downs (RSIM_HOUR, &final), 1);
  cr_assert_eq (final, 70);
}

/* ----------------------------------------------------- the autoscaler */

/* A keyed job at parallelism 2 on 4 TaskManagers of 2 slots, 3,500 rec/s
 * of input against a window capacity of 3,000 rec/s: the window is busy
 * all the time and its lag grows, beyond utilization.max (1.0), so the
 * autoscaler scales it up. */
static void
autoscaled_config (RsimSimConfig *c, const char *version,
                   RsimSchedulerKind scheduler)
{
  config_init (c, version, RSIM_SHIP_HASH, 2);
  c->scheduler = scheduler;
  c->duration = 90 * RSIM_MIN;
  c->workload.rate.value = 3500.0;
  c->job.vertices[1].state_bytes = 1e9;
  rsim_controllers_spec_init (&c->controllers);
  c->controllers.autoscaler.enabled = TRUE;
  g_autofree char *msg = NULL;
  cr_assert (rsim_controllers_spec_resolve (&c->controllers, &msg), "%s",
             msg);
}

/* Times (s) of the events "component event" in the captured log. */
static GArray *
event_times (const Capture *cap, const char *what)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (double));
  g_auto (GStrv) lines = g_strsplit (cap->log->str, "\n", -1);
  for (int i = 0; lines[i]; i++) {
    gint64 t;
    char comp[64], ev[64];
    if (sscanf (lines[i], "%" G_GINT64_FORMAT " %63s %63s", &t, comp, ev) != 3)
      continue;
    g_autofree char *key = g_strdup_printf ("%s %s", comp, ev);
    if (g_str_equal (key, what)) {
      double s = RSIM_TIME_TO_SEC (t);
      g_array_append_val (out, s);
    }
  }
  return out;
}

Test (autoscaler, no_decision_before_stabilization_and_window_after_restart)
{
  RsimSimConfig c;
  autoscaled_config (&c, "1.18", RSIM_SCHEDULER_ADAPTIVE);
  /* A native deployment: in-place scaling (NativeFlinkService.scale). */
  c.cluster.rm_mode = RSIM_RM_ACTIVE;
  /* A task failure at 12 min restarts the job before the first window
   * (RUNNING + 5 + 15 min) is full. */
  add_action (&c, 12 * RSIM_MIN, RSIM_ACTION_FAIL_TASK)->vertex = 1;
  Capture cap = { g_string_new (NULL) };
  RsimResult *r = run (&c, &cap);
  g_autoptr (GArray) scaled = event_times (&cap, "autoscaler scale");
  g_autoptr (GArray) dropped = event_times (&cap, "autoscaler history_dropped");
  cr_assert_geq (scaled->len, 1, "no scaling:\n%s", cap.log->str);
  double first = g_array_index (scaled, double, 0);
  /* The restart at 12 min dropped the samples taken since 5 min. */
  cr_assert_geq (dropped->len, 1);
  cr_assert_float_eq (g_array_index (dropped, double, 0), 13 * 60.0, 61.0);
  /* The job ran again within seconds of 12 min: the first decision comes
   * a stabilization interval and a full window later, at the first loop
   * after 32 min. */
  cr_assert_geq (first, 12 * 60.0 + 20 * 60.0, "first decision at %.0f s",
                 first);
  cr_assert_leq (first, 12 * 60.0 + 20 * 60.0 + 2 * 60.0,
                 "first decision at %.0f s", first);
  /* Applied in place (1.18, adaptive): the job runs at a higher
   * parallelism, through a restart the scheduler counts as a rescale. */
  cr_assert_not_null (strstr (cap.log->str, "in place: PUT resource-"
                              "requirements"));
  cr_assert_gt (r->final_parallelism[1], 2);
  cr_assert_geq (r->rescales, 1);
  cr_assert_eq (r->controller_actions, scaled->len);
  /* After each scaling, no other decision for 20 minutes. */
  for (guint i = 1; i < scaled->len; i++)
    cr_assert_geq (g_array_index (scaled, double, i)
                   - g_array_index (scaled, double, i - 1), 20 * 60.0);
  g_string_free (cap.log, TRUE);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

/* StandaloneFlinkService.scale scales only a reactive job's TaskManager
 * replicas: a standalone deployment under the adaptive scheduler gets a
 * full upgrade where a native one is scaled in place. The first decision
 * comes at the same loop either way. */
Test (autoscaler, in_place_only_on_native_deployments)
{
  double first[2];
  for (int native = 0; native < 2; native++) {
    RsimSimConfig c;
    autoscaled_config (&c, "1.18", RSIM_SCHEDULER_ADAPTIVE);
    c.cluster.rm_mode = native ? RSIM_RM_ACTIVE : RSIM_RM_STANDALONE;
    Capture cap = { g_string_new (NULL) };
    RsimResult *r = run (&c, &cap);
    g_autoptr (GArray) applied = event_times (&cap, "autoscaler apply");
    cr_assert_geq (applied->len, 1);
    first[native] = g_array_index (applied, double, 0);
    if (native) {
      cr_assert_not_null (strstr (cap.log->str, "in place: PUT resource-requirements"));
    } else {
      cr_assert_null (strstr (cap.log->str, "in place: PUT"));
      cr_assert_not_null (strstr (cap.log->str, "full upgrade (upgradeMode savepoint): a "
                                  "standalone deployment scales in place only in "
                                  "reactive mode"));
      cr_assert_geq (r->savepoints_completed, 1);
    }
    cr_assert_gt (r->final_parallelism[1], 2);
    g_string_free (cap.log, TRUE);
    rsim_result_free (r);
    rsim_sim_config_clear (&c);
  }
  cr_assert_float_eq (first[0], first[1], 1e-9);
}

/* Operator 1.10 (FLINK-36018) keeps a scale-down within
 * scale-down.interval as an optional change that goes along with a
 * required one; 1.11 (FLINK-36535) holds it back. The source (8 subtasks,
 * 16,000 rec/s of capacity for 3,500 rec/s) wishes 8 -> 4 while the window
 * needs more than 2: on 1.10 the first scaling takes both, on 1.11 only
 * the window's. */
Test (autoscaler, scale_down_rides_along_on_operator_1_10)
{
  const int minors[] = { 10, 11 };
  const int want_source[] = { 4, 8 };
  for (guint i = 0; i < G_N_ELEMENTS (minors); i++) {
    RsimSimConfig c;
    autoscaled_config (&c, "1.18", RSIM_SCHEDULER_DEFAULT);
    c.duration = 40 * RSIM_MIN;
    c.job.vertices[0].parallelism = 8;
    rsim_controllers_spec_init (&c.controllers);
    c.controllers.autoscaler.enabled = TRUE;
    c.controllers.autoscaler.operator_minor = minors[i];
    g_autofree char *msg = NULL;
    cr_assert (rsim_controllers_spec_resolve (&c.controllers, &msg), "%s", msg);
    Capture cap = { g_string_new (NULL) };
    RsimResult *r = run (&c, &cap);
    g_autoptr (GArray) scaled = event_times (&cap, "autoscaler scale");
    cr_assert_eq (scaled->len, 1, "operator 1.%d:\n%s", minors[i], cap.log->str);
    cr_assert_eq (r->final_parallelism[0], want_source[i], "operator 1.%d", minors[i]);
    cr_assert_gt (r->final_parallelism[1], 2);
    g_string_free (cap.log, TRUE);
    rsim_result_free (r);
    rsim_sim_config_clear (&c);
  }
}

/* detectBlockScaling: a keyed window at 12 (128 key groups), far below
 * its utilization band, wishes 12 -> ceil(12 x 0.9) = 11 (scale-down.
 * max-factor 0.1). Operator 1.14 aligns that up to the divisor 16, a
 * required scale-up, applied at the first decision; 1.15 (FLINK-39299)
 * keeps 11, a scale-down that scale-down.interval (1 h) holds back for the
 * whole 40 min run. */
Test (autoscaler, alignment_turns_a_scale_down_into_a_scale_up_before_1_15)
{
  const int minors[] = { 14, 15 };
  const int want_window[] = { 16, 12 };
  for (guint i = 0; i < G_N_ELEMENTS (minors); i++) {
    RsimSimConfig c;
    config_init (&c, "1.18", RSIM_SHIP_HASH, 12);
    c.cluster.taskmanagers = 8;
    c.duration = 40 * RSIM_MIN;
    c.workload.rate.value = 3500.0;
    rsim_controllers_spec_init (&c.controllers);
    c.controllers.autoscaler.enabled = TRUE;
    c.controllers.autoscaler.operator_minor = minors[i];
    c.controllers.autoscaler.scale_down_max_factor = 0.1;
    g_autofree char *msg = NULL;
    cr_assert (rsim_controllers_spec_resolve (&c.controllers, &msg), "%s", msg);
    Capture cap = { g_string_new (NULL) };
    RsimResult *r = run (&c, &cap);
    cr_assert_eq (r->final_parallelism[1], want_window[i], "operator 1.%d:\n%s",
                  minors[i], cap.log->str);
    g_autoptr (GArray) scaled = event_times (&cap, "autoscaler scale");
    cr_assert_eq (scaled->len, i == 0 ? 1 : 0, "operator 1.%d", minors[i]);
    g_string_free (cap.log, TRUE);
    rsim_result_free (r);
    rsim_sim_config_clear (&c);
  }
}

Test (autoscaler, full_upgrade_per_upgrade_mode)
{
  static const RsimUpgradeMode modes[] = { RSIM_UPGRADE_MODE_SAVEPOINT,
                                           RSIM_UPGRADE_MODE_LAST_STATE,
                                           RSIM_UPGRADE_MODE_STATELESS };
  for (gsize i = 0; i < G_N_ELEMENTS (modes); i++) {
    RsimSimConfig c;
    autoscaled_config (&c, "1.20", RSIM_SCHEDULER_DEFAULT);
    c.controllers.autoscaler.upgrade_mode = modes[i];
    c.duration = 40 * RSIM_MIN;
    Capture cap = { g_string_new (NULL) };
    RsimResult *r = run (&c, &cap);
    const char *name = rsim_upgrade_mode_name (modes[i]);
    cr_assert_geq (r->controller_actions, 1, "%s", name);
    cr_assert_gt (r->final_parallelism[1], 2, "%s", name);
    cr_assert_not_null (strstr (cap.log->str, "full upgrade"), "%s", name);
    cr_assert_str_eq (r->final_state, "RUNNING", "%s", name);
    switch (modes[i]) {
    case RSIM_UPGRADE_MODE_SAVEPOINT:
      /* stop-with-savepoint: nothing is read twice. */
      cr_assert_geq (r->savepoints_completed, 1);
      cr_assert_float_eq (r->reprocessed_records, 0.0, 1e-6);
      cr_assert_eq (r->state_discards, 0);
      break;
    case RSIM_UPGRADE_MODE_LAST_STATE:
      /* The latest checkpoint: what came after it is read again. */
      cr_assert_gt (r->reprocessed_records, 0.0);
      cr_assert_eq (r->state_discards, 0);
      break;
    case RSIM_UPGRADE_MODE_STATELESS:
      cr_assert_eq (r->state_discards, 1);
      break;
    }
    g_string_free (cap.log, TRUE);
    rsim_result_free (r);
    rsim_sim_config_clear (&c);
  }
}

Test (autoscaler, reactive_mode_scales_through_taskmanager_replicas)
{
  RsimSimConfig c;
  autoscaled_config (&c, "1.20", RSIM_SCHEDULER_REACTIVE);
  /* Reactive mode runs at every slot: start on one TaskManager (2 slots),
   * overloaded. */
  c.cluster.taskmanagers = 1;
  c.duration = 40 * RSIM_MIN;
  Capture cap = { g_string_new (NULL) };
  RsimResult *r = run (&c, &cap);
  cr_assert_geq (r->controller_actions, 1);
  cr_assert_not_null (strstr (cap.log->str, "reactive mode: TaskManager "
                              "replicas set to"));
  /* More TaskManagers, so reactive mode runs at a higher parallelism. */
  cr_assert_gt (r->final_parallelism[1], 2);
  cr_assert_eq (r->savepoints_completed, 0);
  g_string_free (cap.log, TRUE);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

Test (autoscaler, grace_period_blocks_scale_down_after_scale_up)
{
  /* Operator 1.8: scale-up.grace-period (1 h) instead of
   * scale-down.interval. Load steps up, then down 30 min later: the
   * scale-down waits until an hour after the scale-up. */
  RsimSimConfig c;
  config_init (&c, "1.18", RSIM_SHIP_HASH, 2);
  c.scheduler = RSIM_SCHEDULER_ADAPTIVE;
  c.duration = 3 * RSIM_HOUR;
  c.workload.rate.kind = RSIM_RATE_STEPS;
  c.workload.rate.n_points = 2;
  c.workload.rate.points = g_new0 (RsimRatePoint, 2);
  c.workload.rate.points[0] = (RsimRatePoint) { 0, 3500.0 };
  c.workload.rate.points[1] = (RsimRatePoint) { 60 * RSIM_MIN, 500.0 };
  rsim_controllers_spec_init (&c.controllers);
  c.controllers.autoscaler.enabled = TRUE;
  c.controllers.autoscaler.operator_minor = 8;
  g_autofree char *msg = NULL;
  cr_assert (rsim_controllers_spec_resolve (&c.controllers, &msg), "%s", msg);
  cr_assert_eq (c.controllers.autoscaler.scale_up_grace_period, RSIM_HOUR);
  cr_assert_eq (c.controllers.autoscaler.scale_down_interval, 0);
  Capture cap = { g_string_new (NULL) };
  RsimResult *r = run (&c, &cap);
  g_autoptr (GArray) scaled = event_times (&cap, "autoscaler scale");
  cr_assert_geq (scaled->len, 2, "%s", cap.log->str);
  double up = g_array_index (scaled, double, 0);
  cr_assert_not_null (strstr (cap.log->str, "blocked by "
                              "scale-up.grace-period"));
  /* The scale-down of the window comes an hour or more after its
   * scale-up. */
  cr_assert_geq (g_array_index (scaled, double, scaled->len - 1) - up,
                 3600.0);
  g_string_free (cap.log, TRUE);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

/* --------------------------------------------------------- ververica */

static void
vvp_config (RsimSimConfig *c, RsimVvpUpgrade upgrade, RsimVvpRestore restore)
{
  config_init (c, "1.20", RSIM_SHIP_HASH, 4);
  c->job.vertices[1].state_bytes = 2e9;
  rsim_controllers_spec_init (&c->controllers);
  c->controllers.ververica.enabled = TRUE;
  c->controllers.ververica.upgrade = upgrade;
  c->controllers.ververica.restore = restore;
  g_autofree char *msg = NULL;
  cr_assert (rsim_controllers_spec_resolve (&c->controllers, &msg), "%s",
             msg);
  RsimAction *a = add_action (c, 10 * RSIM_MIN, RSIM_ACTION_UPDATE_DEPLOYMENT);
  a->parallelism = all_parallelism (2, 8);
  a->n_parallelism = 2;
}

Test (ververica, stateful_upgrade_with_failing_savepoint_keeps_the_job)
{
  RsimSimConfig c;
  vvp_config (&c, RSIM_VVP_UPGRADE_STATEFUL, RSIM_VVP_RESTORE_LATEST_STATE);
  /* The savepoint and its two retries fail. */
  RsimAction *f = add_action (&c, 9 * RSIM_MIN, RSIM_ACTION_FAIL_CHECKPOINTS);
  f->count = 3;
  f->checkpoint_target = RSIM_CHECKPOINT_TARGET_SAVEPOINT;
  Capture cap = { g_string_new (NULL) };
  RsimResult *r = run (&c, &cap);
  cr_assert_eq (r->savepoints_failed, 3);
  cr_assert_not_null (strstr (cap.log->str, "upgrade aborted"));
  cr_assert_eq (r->final_parallelism[0], 4);
  cr_assert_eq (r->final_parallelism[1], 4);
  cr_assert_str_eq (r->final_state, "RUNNING");
  cr_assert_float_eq (r->downtime_s, 0.0, 1e-9);
  cr_assert_eq (r->incidents->len, 0);
  cr_assert_eq (r->restarts + r->rescales, 0);
  g_string_free (cap.log, TRUE);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

Test (ververica, stateful_upgrade_restores_its_savepoint)
{
  RsimSimConfig c;
  vvp_config (&c, RSIM_VVP_UPGRADE_STATEFUL, RSIM_VVP_RESTORE_LATEST_STATE);
  RsimResult *r = run (&c, NULL);
  cr_assert_eq (r->savepoints_completed, 1);
  cr_assert_eq (r->final_parallelism[1], 8);
  cr_assert_gt (r->downtime_s, 0.0);
  cr_assert_eq (r->state_discards, 0);
  /* The job ran on while the savepoint was taken: those records are
   * read again after the restore. */
  cr_assert_gt (r->reprocessed_records, 0.0);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

Test (ververica, stateless_upgrade_without_restore_discards_state)
{
  RsimSimConfig c;
  vvp_config (&c, RSIM_VVP_UPGRADE_STATELESS, RSIM_VVP_RESTORE_NONE);
  RsimResult *r = run (&c, NULL);
  cr_assert_eq (r->final_parallelism[1], 8);
  cr_assert_eq (r->savepoints_completed, 0);
  cr_assert_eq (r->state_discards, 1);
  cr_assert_float_eq (r->state_bytes_discarded, 2e9, 1.0);
  cr_assert_eq (r->notes->len, 1);
  cr_assert_not_null (strstr (r->notes->pdata[0], "state discarded"));
  /* Empty state: the sources go on where they stopped. */
  cr_assert_float_eq (r->reprocessed_records, 0.0, 1e-6);
  rsim_result_free (r);

  /* With LATEST_STATE the same upgrade restores the latest checkpoint. */
  c.controllers.ververica.restore = RSIM_VVP_RESTORE_LATEST_STATE;
  r = run (&c, NULL);
  cr_assert_eq (r->state_discards, 0);
  cr_assert_gt (r->reprocessed_records, 0.0);
  cr_assert_eq (r->final_parallelism[1], 8);
  rsim_result_free (r);

  /* Upgrade strategy NONE leaves the job alone. */
  c.controllers.ververica.upgrade = RSIM_VVP_UPGRADE_NONE;
  r = run (&c, NULL);
  cr_assert_eq (r->final_parallelism[1], 4);
  cr_assert_float_eq (r->downtime_s, 0.0, 1e-9);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

Test (ververica, upgrades_under_the_adaptive_scheduler)
{
  RsimSimConfig c;
  vvp_config (&c, RSIM_VVP_UPGRADE_STATEFUL, RSIM_VVP_RESTORE_LATEST_STATE);
  c.scheduler = RSIM_SCHEDULER_ADAPTIVE;
  RsimResult *r = run (&c, NULL);
  cr_assert_eq (r->savepoints_completed, 1);
  cr_assert_eq (r->final_parallelism[1], 8);
  cr_assert_str_eq (r->final_state, "RUNNING");
  cr_assert_eq (r->state_discards, 0);
  rsim_result_free (r);

  /* The savepoint fails with its retries: the job runs on untouched. */
  RsimAction *f = add_action (&c, 9 * RSIM_MIN, RSIM_ACTION_FAIL_CHECKPOINTS);
  f->count = 3;
  f->checkpoint_target = RSIM_CHECKPOINT_TARGET_SAVEPOINT;
  r = run (&c, NULL);
  cr_assert_eq (r->savepoints_failed, 3);
  cr_assert_eq (r->final_parallelism[1], 4);
  cr_assert_float_eq (r->downtime_s, 0.0, 1e-9);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);

  vvp_config (&c, RSIM_VVP_UPGRADE_STATELESS, RSIM_VVP_RESTORE_NONE);
  c.scheduler = RSIM_SCHEDULER_ADAPTIVE;
  r = run (&c, NULL);
  cr_assert_eq (r->state_discards, 1);
  cr_assert_eq (r->final_parallelism[1], 8);
  cr_assert_str_eq (r->final_state, "RUNNING");
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}

/* ---------------------------------------------------------- replicas */

/* Reactive mode on 4 TaskManagers with little load: the replica
 * controller on consumer lag removes TaskManagers (pods deleted) down to
 * 2, one every 5 minutes. */
static RsimResult *
replicas_run (RsimTime heartbeat_timeout, RsimTime heartbeat_interval)
{
  RsimSimConfig c;
  config_init (&c, "1.20", RSIM_SHIP_HASH, 8);
  c.scheduler = RSIM_SCHEDULER_REACTIVE;
  c.duration = 30 * RSIM_MIN;
  c.workload.rate.value = 3000.0;
  c.flink.heartbeat_timeout = heartbeat_timeout;
  c.flink.heartbeat_interval = heartbeat_interval;
  rsim_controllers_spec_init (&c.controllers);
  RsimReplicaSpec *sp = &c.controllers.replicas;
  sp->enabled = TRUE;
  sp->metric = RSIM_REPLICA_METRIC_LAG;
  sp->scale_up_above = 1e9;
  sp->scale_down_below = 1000;
  sp->min_taskmanagers = 2;
  g_autofree char *msg = NULL;
  cr_assert (rsim_controllers_spec_resolve (&c.controllers, &msg), "%s", msg);
  RsimResult *r = run (&c, NULL);
  rsim_sim_config_clear (&c);
  return r;
}

Test (replicas, reactive_lag_spikes_grow_with_heartbeat_timeout)
{
  RsimResult *fast = replicas_run (8 * RSIM_SEC, 2 * RSIM_SEC);
  RsimResult *slow = replicas_run (50 * RSIM_SEC, 10 * RSIM_SEC);
  /* Two scale-downs each, to the minimum of 2 TaskManagers (4 slots). */
  cr_assert_eq (fast->controller_actions, 2);
  cr_assert_eq (slow->controller_actions, 2);
  cr_assert_eq (fast->final_parallelism[1], 4);
  cr_assert_eq (slow->final_parallelism[1], 4);
  /* Each removal stalls the job until the JobManager gives up the
   * TaskManager: the lag spike is about rate x heartbeat.timeout. */
  cr_assert_gt (slow->max_lag_records, 3.0 * fast->max_lag_records,
                "lag spike %.0f (50 s) vs %.0f (8 s)",
                slow->max_lag_records, fast->max_lag_records);
  cr_assert_gt (slow->downtime_s, 2 * 40.0, "%.1f", slow->downtime_s);
  cr_assert_lt (fast->downtime_s, 2 * 15.0, "%.1f", fast->downtime_s);
  rsim_result_free (fast);
  rsim_result_free (slow);
}

/* Chained operators are one job vertex: the autoscaler measures and scales
 * the chain, so the source and the window it is chained to change
 * together (they can no longer diverge as two vertices). */
Test (autoscaler, scales_a_chain_as_one_vertex)
{
  RsimSimConfig c;
  config_init (&c, "1.20", RSIM_SHIP_FORWARD, 2);
  c.scheduler = RSIM_SCHEDULER_ADAPTIVE;
  c.duration = 90 * RSIM_MIN;
  c.workload.rate.value = 2000.0;
  rsim_controllers_spec_init (&c.controllers);
  c.controllers.autoscaler.enabled = TRUE;
  g_autofree char *msg = NULL;
  cr_assert (rsim_controllers_spec_resolve (&c.controllers, &msg), "%s", msg);
  cr_assert_eq (rsim_job_spec_chain (&c.job, TRUE), 1);
  /* One thread runs both: 1 / (1/2000 + 1/1500) = 857 rec/s per subtask,
   * 1,714 rec/s at parallelism 2 against 2,000 rec/s: the chain is busy
   * all the time and its lag grows, so the chain is scaled up (each
   * operator alone could take the load). */
  cr_assert_float_eq (c.job.vertices[0].capacity, 6000.0 / 7.0, 1e-9);
  Capture cap = { g_string_new (NULL) };
  RsimResult *r = run (&c, &cap);
  cr_assert_eq (r->n_vertices, 1);
  cr_assert_str_eq (r->vertex_names[0], "source -> window");
  cr_assert_gt (r->final_parallelism[0], 2);
  cr_assert (strstr (cap.log->str, "source -> window") != NULL);
  g_string_free (cap.log, TRUE);
  rsim_result_free (r);
  rsim_sim_config_clear (&c);
}
