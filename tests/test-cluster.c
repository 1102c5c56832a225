/* Tests of the cluster's failure detection (sim/model/cluster.c), driven
 * directly, under both heartbeat models (exact: one event per request;
 * analytic: none for a healthy TaskManager). TaskManagers registered at 0
 * are asked for a heartbeat by the JobManager's one loop, which ticks at
 * phase + k * heartbeat.interval with the phase drawn per seed in
 * (0, interval]. With I = interval (10 s), T = timeout (50 s), a death at K
 * and L the last tick before K (or the registration, 0, if none):
 *   - nothing answers (killed, hung): lost at L + T;
 *   - the host refuses connections, 1.14+: the ticks at and after K fail at
 *     once and the threshold-th (2, FLINK-23209) declares it lost, at
 *     F + (threshold - 1) * I with F the first tick at or after K; before
 *     1.14 the timeout decides: L + T;
 *   - a graceful stop, 1.15+: the TaskManager disconnects at once
 *     (FLINK-25277): K; before, its host refuses connections;
 *   - a pause of D: lost at L + T if no tick falls in [K + D, L + T),
 *     else it answers again and nothing happens.
 * Every expected instant is computed here from the drawn phase with that
 * formula, and asserted to the microsecond. */
#include "test-model-fixture.h"

#include <math.h>

typedef struct {
  RsimEngine *engine;
  int lost;
  RsimTime lost_at;
  char *reason;
  int died;
} Seen;

static void
on_lost (gpointer user, RsimTaskManager *tm, const char *reason)
{
  Seen *s = user;
  s->lost++;
  s->lost_at = rsim_engine_now (s->engine);
  g_free (s->reason);
  s->reason = g_strdup (reason);
}

static void
on_died (gpointer user, RsimTaskManager *tm)
{
  ((Seen *) user)->died++;
}

typedef enum { KILL_SILENT, KILL_REFUSED, HANG, STOP, PAUSE } How;

typedef struct {
  RsimCluster *cl;
  How how;
  int tm;
  RsimTime pause;
} Act;

static void
act_cb (RsimEngine *engine, gpointer data)
{
  Act *a = data;
  RsimTaskManager *tm = rsim_cluster_get (a->cl, a->tm);
  switch (a->how) {
  case KILL_SILENT:
    rsim_cluster_kill (a->cl, tm, RSIM_KILL_RPC_TIMEOUT);
    break;
  case KILL_REFUSED:
    rsim_cluster_kill (a->cl, tm, RSIM_KILL_RPC_REFUSED);
    break;
  case HANG:
    rsim_cluster_hang (a->cl, tm);
    break;
  case STOP:
    rsim_cluster_stop (a->cl, tm);
    break;
  case PAUSE:
    rsim_cluster_pause (a->cl, tm, a->pause);
    break;
  }
}

/* The fixture's world, with a chosen seed and heartbeat model: n
 * TaskManagers of 2 slots registered at 0. */
static void
cluster_world (World *f, const char *version, guint64 seed, gboolean exact,
               int n_tms)
{
  world_init (f, version, RSIM_SHIP_HASH, 1, 0);
  RsimFlinkVersion v = f->w.version;
  rsim_world_clear (&f->w);
  const RsimWorldSpec spec = {
    .seed = seed, .version = v, .conf = &f->conf,
    .costs = &f->costs, .job = &f->job, .rate = &f->rate,
    .rm_mode = RSIM_RM_STANDALONE, .exact_heartbeats = exact,
  };
  rsim_world_init (&f->w, &spec);
  rsim_cluster_start_taskmanagers (f->w.cluster, n_tms, 0, "test");
}

/* ---------------------------------------------------------------- formula */

/* The last tick strictly before t, or 0 (the registration) if none. */
static RsimTime
last_tick_before (RsimTime phase, RsimTime interval, RsimTime t)
{
  if (t <= phase)
    return 0;
  return phase + (t - 1 - phase) / interval * interval;
}

/* The first tick at or after t. */
static RsimTime
first_tick_from (RsimTime phase, RsimTime interval, RsimTime t)
{
  if (t <= phase)
    return phase;
  return phase + (t - phase + interval - 1) / interval * interval;
}

/* The instant Flink drops a TaskManager registered at 0 that dies at k
 * (-1: never, for a pause it survives). */
static RsimTime
expected (const World *f, RsimTime phase, How how, RsimTime k, RsimTime pause,
          const char **reason)
{
  const RsimFlinkConf *c = &f->conf;
  RsimTime i = c->heartbeat_interval, t = c->heartbeat_timeout;
  RsimTime l = last_tick_before (phase, i, k);
  *reason = "heartbeat timeout";
  if (how == STOP && rsim_rules_has (&f->w.rules, RSIM_RULE_GRACEFUL_TM_DISCONNECT)) {
    *reason = "TaskManager disconnected on shutdown";
    return k;
  }
  if (how == PAUSE)
    return first_tick_from (phase, i, k + pause) >= l + t ? l + t : -1;
  if ((how == KILL_REFUSED || how == STOP)
      && rsim_rules_has (&f->w.rules, RSIM_RULE_RPC_FAST_FAILURE)
      && c->heartbeat_rpc_failure_threshold > 0) {
    RsimTime at = first_tick_from (phase, i, k)
      + (c->heartbeat_rpc_failure_threshold - 1) * i;
    if (at < l + t) {
      *reason = "2 consecutive heartbeat RPCs failed "
                "(heartbeat.rpc-failure-threshold)";
      return at;
    }
  }
  return l + t;
}

/* Runs one death of TaskManager 0 at k and checks the instant and reason
 * against the formula. Returns the detection delay. */
static RsimTime
check_detection (const char *version, guint64 seed, gboolean exact, How how,
                 RsimTime k, RsimTime pause)
{
  World f;
  cluster_world (&f, version, seed, exact, 2);
  Seen seen = { f.w.engine, 0, -1, NULL, 0 };
  const RsimClusterListener l = { .lost = on_lost, .died = on_died };
  rsim_cluster_subscribe (f.w.cluster, &l, &seen);
  Act a = { f.w.cluster, how, 0, pause };
  rsim_engine_schedule_at (f.w.engine, k, act_cb, &a, NULL);
  cr_assert_eq (rsim_slot_pool_registered (f.w.slots), 4);
  RsimTime phase = f.w.cluster->hb_phase;
  cr_assert (phase > 0 && phase <= f.conf.heartbeat_interval);
  const char *why = NULL;
  RsimTime want = expected (&f, phase, how, k, pause, &why);
  rsim_engine_run_until (f.w.engine, k + 10 * RSIM_MIN);
  if (want < 0) {
    cr_assert_eq (seen.lost, 0, "%s seed %" G_GUINT64_FORMAT " exact %d",
                  version, seed, exact);
    cr_assert (rsim_cluster_get (f.w.cluster, 0)->registered);
  } else {
    cr_assert_eq (seen.lost, 1, "%s seed %" G_GUINT64_FORMAT " exact %d how %d",
                  version, seed, exact, how);
    cr_assert_eq (seen.lost_at, want,
                  "%s seed %" G_GUINT64_FORMAT " exact %d how %d kill %"
                  G_GINT64_FORMAT " phase %" G_GINT64_FORMAT ": %" G_GINT64_FORMAT
                  " != %" G_GINT64_FORMAT, version, seed, exact, how, k, phase,
                  seen.lost_at, want);
    cr_assert_str_eq (seen.reason, why);
    /* A paused TaskManager registers anew when its pause ends; a dead one
     * stays gone. */
    gboolean back = how == PAUSE;
    cr_assert_eq (rsim_slot_pool_registered (f.w.slots), back ? 4 : 2, "%s seed %" G_GUINT64_FORMAT " exact %d how %d pause %" G_GINT64_FORMAT " got %d", version, seed, exact, how, pause, rsim_slot_pool_registered (f.w.slots));
    cr_assert_eq (rsim_cluster_get (f.w.cluster, 0)->registered, back);
  }
  /* The other TaskManager keeps answering whatever the model. */
  cr_assert (rsim_cluster_get (f.w.cluster, 1)->registered);
  g_free (seen.reason);
  world_clear (&f);
  return want - k;
}

/* --------------------------------------------------------------- instants */

/* The documented example of the README: seed 1, a kill at 123.4 s. */
Test (cluster, killed_taskmanager_is_lost_at_the_last_answer_plus_timeout)
{
  for (int exact = 0; exact <= 1; exact++) {
    check_detection ("1.20", 1, exact, KILL_SILENT, 123400000, 0);
    check_detection ("1.20", 1, exact, HANG, 123400000, 0);
  }
}

/* Kills, hangs, refusals, graceful stops and pauses at arbitrary instants
 * and phases (60 seeds each), on both sides of the 1.14 and 1.15 rules, in
 * both models. */
Test (cluster, detection_at_arbitrary_instants_matches_the_formula)
{
  static const char *const versions[] = { "1.13", "1.14", "1.15", "1.20" };
  GRand *r = g_rand_new_with_seed (20261202);
  for (guint v = 0; v < G_N_ELEMENTS (versions); v++)
    for (guint64 seed = 1; seed <= 60; seed++)
      for (How how = KILL_SILENT; how <= PAUSE; how++) {
        RsimTime k = g_rand_int_range (r, 1, 300 * 1000) * (RsimTime) 1000
          + g_rand_int_range (r, 0, 1000);
        RsimTime pause = g_rand_int_range (r, 1, 80 * 1000) * RSIM_MSEC + 7;
        for (int exact = 0; exact <= 1; exact++)
          check_detection (versions[v], seed, exact, how, k, pause);
      }
  g_rand_free (r);
}

Test (cluster, refused_connections_reach_the_rpc_threshold_from_1_14)
{
  for (int exact = 0; exact <= 1; exact++) {
    /* 1.14: at most threshold ticks after the kill, well before the
     * timeout; 1.13: the timeout. */
    RsimTime d14 = check_detection ("1.14", 3, exact, KILL_REFUSED, 123400000, 0);
    RsimTime d13 = check_detection ("1.13", 3, exact, KILL_REFUSED, 123400000, 0);
    cr_assert_leq (d14, 20 * RSIM_SEC);
    cr_assert_gt (d13, 40 * RSIM_SEC);
  }
}

Test (cluster, graceful_stop_is_noticed_at_once_from_1_15)
{
  for (int exact = 0; exact <= 1; exact++) {
    cr_assert_eq (check_detection ("1.15", 4, exact, STOP, 123400000, 0), 0);
    cr_assert_gt (check_detection ("1.14", 4, exact, STOP, 123400000, 0), 0);
  }
}

/* The loop's phase spreads detection over (T - I, T]: over 200 seeds a kill
 * at a round instant is detected after delays that span at least 90 % of
 * that interval, with a mean within 1 s of T - I/2. */
Test (cluster, heartbeat_phase_spreads_detection_over_the_interval)
{
  RsimTime lo = RSIM_TIME_NEVER, hi = 0;
  double sum = 0;
  const int n = 200;
  for (int seed = 1; seed <= n; seed++) {
    RsimTime d = check_detection ("1.20", (guint64) seed, FALSE, KILL_SILENT,
                                  120 * RSIM_SEC, 0);
    cr_assert (d > 40 * RSIM_SEC && d <= 50 * RSIM_SEC);
    lo = MIN (lo, d);
    hi = MAX (hi, d);
    sum += RSIM_TIME_TO_SEC (d);
  }
  cr_assert_geq (hi - lo, 9 * RSIM_SEC, "span %" G_GINT64_FORMAT, hi - lo);
  cr_assert_leq (fabs (sum / n - 45.0), 1.0, "mean %f", sum / n);
}

/* A pause longer than the timeout leaves: the TaskManager is lost, and when
 * it answers again the JobManager ignores it (it stays unregistered and its
 * slots stay gone). A short pause changes nothing, and a kill after it is
 * detected from the ticks it answered after the pause. */
Test (cluster, pause_longer_than_the_timeout_loses_the_taskmanager)
{
  for (int exact = 0; exact <= 1; exact++) {
    World f;
    cluster_world (&f, "1.20", 9, exact, 2);
    Seen seen = { f.w.engine, 0, -1, NULL, 0 };
    const RsimClusterListener l = { .lost = on_lost, .died = on_died };
    rsim_cluster_subscribe (f.w.cluster, &l, &seen);
    RsimTime phase = f.w.cluster->hb_phase;
    Act pause = { f.w.cluster, PAUSE, 0, 60 * RSIM_SEC };
    rsim_engine_schedule_at (f.w.engine, 100 * RSIM_SEC + 3, act_cb, &pause, NULL);
    rsim_engine_run_until (f.w.engine, 300 * RSIM_SEC);
    RsimTime l0 = last_tick_before (phase, 10 * RSIM_SEC, 100 * RSIM_SEC + 3);
    cr_assert_eq (seen.lost, 1);
    cr_assert_eq (seen.lost_at, l0 + 50 * RSIM_SEC);
    cr_assert_eq (seen.died, 0);
    /* Once the pause ends it registers anew (its own timeouts of the
     * JobManager and ResourceManager ran out meanwhile): a fresh
     * registration at the end of the pause, its slots back. */
    RsimTaskManager *tm = rsim_cluster_get (f.w.cluster, 0);
    cr_assert_eq (tm->process, RSIM_TM_RUNNING);
    cr_assert (tm->registered);
    cr_assert_eq (tm->started, 160 * RSIM_SEC + 3);
    cr_assert_eq (rsim_slot_pool_registered (f.w.slots), 4);
    cr_assert_eq (rsim_cluster_processes_up (f.w.cluster), 2);
    cr_assert_eq (rsim_cluster_alive_or_starting (f.w.cluster), 2);
    world_clear (&f);
    g_free (seen.reason);
  }
}

Test (cluster, short_pause_then_kill_counts_from_the_answers_after_it)
{
  for (int exact = 0; exact <= 1; exact++) {
    World f;
    cluster_world (&f, "1.20", 11, exact, 2);
    Seen seen = { f.w.engine, 0, -1, NULL, 0 };
    const RsimClusterListener l = { .lost = on_lost, .died = on_died };
    rsim_cluster_subscribe (f.w.cluster, &l, &seen);
    RsimTime phase = f.w.cluster->hb_phase;
    Act pause = { f.w.cluster, PAUSE, 0, 25 * RSIM_SEC };
    Act kill = { f.w.cluster, KILL_SILENT, 0, 0 };
    rsim_engine_schedule_at (f.w.engine, 100 * RSIM_SEC + 3, act_cb, &pause, NULL);
    RsimTime k = 200 * RSIM_SEC + 5;
    rsim_engine_schedule_at (f.w.engine, k, act_cb, &kill, NULL);
    rsim_engine_run_until (f.w.engine, 160 * RSIM_SEC);
    RsimTaskManager *tm = rsim_cluster_get (f.w.cluster, 0);
    cr_assert (tm->registered);
    cr_assert_eq (tm->process, RSIM_TM_RUNNING);
    cr_assert_eq (rsim_cluster_alive_or_starting (f.w.cluster), 2);
    rsim_engine_run_until (f.w.engine, 600 * RSIM_SEC);
    cr_assert_eq (seen.lost, 1);
    cr_assert_eq (seen.lost_at,
                  last_tick_before (phase, 10 * RSIM_SEC, k) + 50 * RSIM_SEC);
    world_clear (&f);
    g_free (seen.reason);
  }
}

/* The counters the samples read follow every change of a process. */
Test (cluster, counters_follow_every_process_change)
{
  World f;
  cluster_world (&f, "1.20", 2, FALSE, 4);
  RsimCluster *cl = f.w.cluster;
  cr_assert_eq (rsim_cluster_processes_up (cl), 4);
  cr_assert_eq (rsim_cluster_alive_or_starting (cl), 4);
  rsim_cluster_start_taskmanagers (cl, 2, 5 * RSIM_SEC, "test");
  cr_assert_eq (rsim_cluster_starting_slots (cl), 4);
  cr_assert_eq (rsim_cluster_alive_or_starting (cl), 6);
  cr_assert_eq (rsim_cluster_processes_up (cl), 4);
  rsim_cluster_kill (cl, rsim_cluster_get (cl, 0), RSIM_KILL_RPC_TIMEOUT);
  rsim_cluster_hang (cl, rsim_cluster_get (cl, 1));
  rsim_cluster_pause (cl, rsim_cluster_get (cl, 2), RSIM_SEC);
  rsim_cluster_stop (cl, rsim_cluster_get (cl, 5));
  cr_assert_eq (rsim_cluster_processes_up (cl), 3);      /* 1 hung, 2, 3 */
  cr_assert_eq (rsim_cluster_alive_or_starting (cl), 3); /* 2 paused, 3, 4 */
  cr_assert_eq (rsim_cluster_starting_slots (cl), 2);
  rsim_engine_run_until (f.w.engine, 10 * RSIM_SEC);
  cr_assert_eq (rsim_cluster_processes_up (cl), 4);
  cr_assert_eq (rsim_cluster_alive_or_starting (cl), 3);
  cr_assert_eq (rsim_cluster_starting_slots (cl), 0);
  world_clear (&f);
}

/* Subscribers hear each event in the order they subscribed. */
static void
order_a (gpointer user, RsimTaskManager *tm)
{
  g_string_append_c ((GString *) user, 'a');
}

static void
order_b (gpointer user, RsimTaskManager *tm)
{
  g_string_append_c ((GString *) user, 'b');
}

Test (cluster, subscribers_hear_events_in_order)
{
  World f;
  world_init (&f, "1.20", RSIM_SHIP_HASH, 1, 0);
  GString *log = g_string_new (NULL);
  const RsimClusterListener a = { .registered = order_a };
  const RsimClusterListener b = { .registered = order_b };
  rsim_cluster_subscribe (f.w.cluster, &a, log);
  rsim_cluster_subscribe (f.w.cluster, &b, log);
  rsim_cluster_start_taskmanagers (f.w.cluster, 2, 0, "test");
  cr_expect_str_eq (log->str, "abab");
  g_string_free (log, TRUE);
  world_clear (&f);
}
