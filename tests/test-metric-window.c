/* Tests of the autoscaler's metric window (include/rescalesim/autoscaler.h):
 * its running sums against the formula they replace (re-summing every kept
 * sample at every decision), the decisions taken from either, and the run
 * that was quadratic before (issue 13: 2 h at a 30 ms reconcile interval
 * took 45 s). */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include <rescalesim/autoscaler.h>
#include <rescalesim/scenario.h>

#define N_VERTICES 3

/* The old formula: the mean of every kept input rate, and of every finite
 * true processing rate of a vertex, summed oldest first. */
static double
resum_input (const RsimMetricWindow *w)
{
  double sum = 0.0;
  guint n = rsim_metric_window_len (w);
  for (guint i = 0; i < n; i++)
    sum += rsim_metric_window_input (w, i);
  return sum / n;
}

static double
resum_tpr (const RsimMetricWindow *w, guint v, guint *k)
{
  double sum = 0.0;
  *k = 0;
  for (guint i = 0; i < rsim_metric_window_len (w); i++) {
    double x = rsim_metric_window_tpr (w, i, v);
    if (isfinite (x)) {
      sum += x;
      (*k)++;
    }
  }
  return *k > 0 ? sum / *k : NAN;
}

/* The parallelism evaluate() derives from a mean true processing rate. */
static int
decide (double tpr, double target_capacity, int p)
{
  double factor = MIN (MAX (target_capacity / tpr, 0.4), 100001.0);
  return rsim_autoscaler_scale (RSIM_ALIGN_KEEP_DIRECTION, p, factor, 1, 200,
                                128, 128, TRUE);
}

static gboolean
close_enough (double a, double b)
{
  return fabs (a - b) <= 1e-12 * MAX (fabs (a), fabs (b));
}

Test (metric_window, running_sums_match_resumming_and_decide_alike)
{
  /* A day of 30 ms samples of a noisy daily cycle through a 15 min window
   * (30000 samples), with drops of the whole history (restarts), samples
   * aged out, NAN rates (no busy time) and a capacity the ring wraps. */
  const guint cap = 30000 + 2;
  RsimMetricWindow *w = rsim_metric_window_new (cap, N_VERTICES);
  GRand *rand = g_rand_new_with_seed (13);
  const RsimTime step = 30 * RSIM_MSEC, window = 15 * RSIM_MIN;
  guint decisions = 0, checks = 0;
  for (RsimTime t = step; t <= 24 * RSIM_HOUR; t += step) {
    double day = sin (2 * G_PI * (double) t / (24.0 * RSIM_HOUR));
    double input = 5000.0 + 4000.0 * day + g_rand_double_range (rand, -50, 50);
    double tpr[N_VERTICES];
    for (guint v = 0; v < N_VERTICES; v++)
      tpr[v] = g_rand_int_range (rand, 0, 50) == 0 ? NAN
        : 1000.0 * (v + 1) + g_rand_double_range (rand, -1, 1);
    if (g_rand_int_range (rand, 0, 200000) == 0)
      rsim_metric_window_clear (w);
    rsim_metric_window_push (w, t, input, 1e6 * day, tpr);
    while (rsim_metric_window_time (w, 0) <= t - window)
      rsim_metric_window_drop_oldest (w);
    if (t % (10 * RSIM_SEC) != 0)
      continue;
    checks++;
    cr_assert (close_enough (rsim_metric_window_mean_input (w),
                             resum_input (w)),
               "input at %" G_GINT64_FORMAT ": %.17g vs %.17g", t,
               rsim_metric_window_mean_input (w), resum_input (w));
    for (guint v = 0; v < N_VERTICES; v++) {
      guint k_run, k_old;
      double run = rsim_metric_window_mean_tpr (w, v, &k_run);
      double old = resum_tpr (w, v, &k_old);
      cr_assert_eq (k_run, k_old);
      if (k_old == 0)
        continue;
      cr_assert (close_enough (run, old), "tpr %u: %.17g vs %.17g", v, run,
                 old);
      /* Decisions from both means are identical. */
      double target = 2.5 * resum_input (w) / (v + 1);
      cr_assert_eq (decide (run, target, 4 + (int) v),
                    decide (old, target, 4 + (int) v));
      decisions++;
    }
  }
  cr_assert_eq (rsim_metric_window_len (w) <= cap, TRUE);
  cr_assert_gt (checks, 2800);
  cr_assert_gt (decisions, 8000);
  g_rand_free (rand);
  rsim_metric_window_free (w);
}

Test (metric_window, full_ring_drops_its_oldest_sample)
{
  RsimMetricWindow *w = rsim_metric_window_new (3, 1);
  double x[] = { 1.0 }, y[] = { NAN };
  rsim_metric_window_push (w, 1, 10.0, 0.0, x);
  rsim_metric_window_push (w, 2, 20.0, 0.0, y);
  rsim_metric_window_push (w, 3, 30.0, 0.0, x);
  rsim_metric_window_push (w, 4, 40.0, 0.0, x);
  cr_assert_eq (rsim_metric_window_len (w), 3);
  cr_assert_eq (rsim_metric_window_time (w, 0), 2);
  cr_assert_float_eq (rsim_metric_window_mean_input (w), 30.0, 1e-12);
  guint k;
  cr_assert_float_eq (rsim_metric_window_mean_tpr (w, 0, &k), 1.0, 1e-12);
  cr_assert_eq (k, 2);
  rsim_metric_window_drop_oldest (w);
  rsim_metric_window_drop_oldest (w);
  rsim_metric_window_drop_oldest (w);
  cr_assert_eq (rsim_metric_window_len (w), 0);
  cr_assert (isnan (rsim_metric_window_mean_input (w)));
  cr_assert (isnan (rsim_metric_window_mean_tpr (w, 0, &k)));
  cr_assert_eq (k, 0);
  rsim_metric_window_free (w);
}

/* The run of the issue: 2 h at a 30 ms reconcile interval, a 15 min window
 * (30000 samples). Re-summing made it about 2.4 x 10^5 loops x 3 x 10^4
 * samples; with running sums it takes well under a second. */
Test (metric_window, two_hours_at_thirty_ms_run_fast, .timeout = 60)
{
  const char *text =
    "{\"name\": \"fast\", \"duration\": \"2 h\","
    " \"flink\": {\"version\": \"1.18\"},"
    " \"cluster\": {\"taskmanagers\": 2},"
    " \"job\": {\"vertices\": [{\"name\": \"src\", \"parallelism\": 2,"
    "   \"capacity\": \"2000 rec/s\"}, {\"name\": \"win\", \"parallelism\": 2,"
    "   \"capacity\": \"1000 rec/s\"}],"
    "  \"edges\": [{\"from\": \"src\", \"to\": \"win\", \"ship\": \"hash\"}]},"
    " \"workload\": {\"rate\": {\"type\": \"sine\", \"mean\": \"2500 rec/s\","
    "   \"amplitude\": \"1500 rec/s\", \"period\": \"1 h\"}},"
    " \"controllers\": {\"autoscaler\": {\"config\": {"
    "   \"kubernetes.operator.reconcile.interval\": \"30 ms\","
    "   \"job.autoscaler.metrics.window\": \"15 min\","
    "   \"job.autoscaler.stabilization.interval\": \"1 min\"}}},"
    " \"schedulers\": [\"adaptive\"]}";
  GError *error = NULL;
  g_autoptr (RsimScenario) sc =
    rsim_scenario_load_data (text, strlen (text), "fast.json", &error);
  cr_assert_not_null (sc, "%s", error ? error->message : "");
  gint64 start = g_get_monotonic_time ();
  RsimResult *res = rsim_simulation_run (&sc->config, NULL, &error);
  double wall_s = (double) (g_get_monotonic_time () - start) / 1e6;
  cr_assert_not_null (res, "%s", error ? error->message : "");
  /* 240000 reconcile loops ran, and the autoscaler acted on them. */
  cr_expect_gt (res->events_processed, 240000);
  cr_expect_gt (res->controller_actions, 0);
  /* Generous for a shared machine: the quadratic loop took minutes. */
  cr_expect_lt (wall_s, 10.0, "took %.2f s", wall_s);
  rsim_result_free (res);
}
