/* Tests of the Kubernetes HorizontalPodAutoscaler (sim/control/hpa.c):
 * the replica calculator and the behaviour (stabilization windows,
 * policies) on cases worked out by hand from the Kubernetes documentation,
 * then the controller on a bundled scenario against a threshold
 * controller with the same band and windows. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include <rescalesim/hpa.h>
#include <rescalesim/scenario.h>
#include <rescalesim/simulation.h>

static RsimHpaSpec
cpu_spec (double target)
{
  RsimHpaSpec s;
  rsim_hpa_spec_init (&s);
  s.metric = RSIM_HPA_METRIC_CPU;
  s.target = target;
  s.max_replicas = 20;
  return s;
}

Test (hpa, replica_calculator_cases)
{
  RsimHpaSpec s = cpu_spec (0.6);
  struct {
    const char *what;
    int current, ready, unready;
    double util[4];
    int expect;
  } cases[] = {
    /* 0.9 / 0.6 = 1.5: ceil (1.5 x 4) = 6. */
    { "scale up", 4, 4, 0, { 0.9, 0.9, 0.9, 0.9 }, 6 },
    /* 0.65 / 0.6 = 1.083, within the 0.1 tolerance. */
    { "tolerance", 4, 4, 0, { 0.65, 0.65, 0.65, 0.65 }, 4 },
    /* 0.3 / 0.6 = 0.5: ceil (0.5 x 4) = 2. */
    { "scale down", 4, 4, 0, { 0.3, 0.3, 0.3, 0.3 }, 2 },
    /* Ratio 1.5 with 2 pods unready: they count as 0 %, 1.8 / 4 / 0.6 =
     * 0.75 reverses the direction: no change. */
    { "unready reverses", 4, 2, 2, { 0.9, 0.9 }, 4 },
    /* Ratio 2 with 1 pod unready: 2.4 / 3 / 0.6 = 1.333: ceil (4) = 4. */
    { "unready dampens", 3, 2, 1, { 1.2, 1.2 }, 4 },
    /* No pod has metrics yet: no change. */
    { "no metrics", 3, 0, 3, { 0 }, 3 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    RsimHpaObservation o = { cases[i].current, cases[i].ready,
                             cases[i].unready, cases[i].util, 0.0 };
    cr_expect_eq (rsim_hpa_metric_replicas (&s, &o), cases[i].expect, "%s",
                  cases[i].what);
  }
  /* External metric, AverageValue 100,000 records of lag per pod. */
  RsimHpaSpec lag = cpu_spec (100000.0);
  lag.metric = RSIM_HPA_METRIC_LAG;
  RsimHpaObservation o = { 3, 0, 0, NULL, 500000.0 };
  cr_expect_eq (rsim_hpa_metric_replicas (&lag, &o), 5);
  o.value = 310000.0;       /* 310,000 / 300,000 = 1.033: tolerance */
  cr_expect_eq (rsim_hpa_metric_replicas (&lag, &o), 3);
  o.value = 90000.0;        /* 0.3: ceil (0.9) = 1 */
  cr_expect_eq (rsim_hpa_metric_replicas (&lag, &o), 1);
}

/* The default scale-up rules (100 % or 4 pods per 15 s, Max): from 4 the
 * limit is 8; within the same 15 s the 4 pods just added count against it;
 * once the period has passed the limit starts from 8. */
Test (hpa, scale_up_policies_limit_the_change)
{
  RsimHpaSpec s = cpu_spec (0.6);
  RsimHpaHistory *h = rsim_hpa_history_new ();
  cr_expect_eq (rsim_hpa_normalize (&s, h, 0, 4, 10), 8);
  cr_expect_eq (rsim_hpa_normalize (&s, h, 5 * RSIM_SEC, 8, 20), 8);
  cr_expect_eq (rsim_hpa_normalize (&s, h, 15 * RSIM_SEC, 8, 20), 16);
  cr_expect_eq (rsim_hpa_normalize (&s, h, 30 * RSIM_SEC, 16, 30), 20,
                "max_replicas bounds it");
  rsim_hpa_history_free (h);
}

/* The 5-minute scale-down window: the highest recommendation of the last
 * 300 s holds the replicas; once it has left the window the HPA scales
 * down at once (100 % per 15 s allows it). */
Test (hpa, scale_down_waits_for_the_stabilization_window)
{
  RsimHpaSpec s = cpu_spec (0.6);
  RsimHpaHistory *h = rsim_hpa_history_new ();
  cr_expect_eq (rsim_hpa_normalize (&s, h, 0, 10, 10), 10);
  cr_expect_eq (rsim_hpa_normalize (&s, h, 100 * RSIM_SEC, 10, 3), 10);
  cr_expect_eq (rsim_hpa_normalize (&s, h, 299 * RSIM_SEC, 10, 4), 10);
  /* At 300 s the recommendation of 0 s is out of the window (strictly
   * older than now - 300 s is kept out; 0 is not after 0). */
  cr_expect_eq (rsim_hpa_normalize (&s, h, 300 * RSIM_SEC, 10, 3), 4,
                "the 4 of 299 s is still in the window");
  cr_expect_eq (rsim_hpa_normalize (&s, h, 600 * RSIM_SEC, 4, 3), 3);
  rsim_hpa_history_free (h);
}

/* A Pods policy for scale-down: at most 2 pods per 60 s; Disabled keeps
 * the replicas. */
Test (hpa, scale_down_pods_policy_and_disabled)
{
  RsimHpaSpec s = cpu_spec (0.6);
  s.scale_down.stabilization = 0;
  s.scale_down.n_policies = 1;
  s.scale_down.policies[0] = (RsimHpaPolicy) { RSIM_HPA_POLICY_PODS, 2,
                                               60 * RSIM_SEC };
  RsimHpaHistory *h = rsim_hpa_history_new ();
  cr_expect_eq (rsim_hpa_normalize (&s, h, 0, 10, 3), 8);
  cr_expect_eq (rsim_hpa_normalize (&s, h, 30 * RSIM_SEC, 8, 3), 8);
  cr_expect_eq (rsim_hpa_normalize (&s, h, 61 * RSIM_SEC, 8, 3), 6);
  rsim_hpa_history_free (h);
  s.scale_down.select = RSIM_HPA_SELECT_DISABLED;
  h = rsim_hpa_history_new ();
  cr_expect_eq (rsim_hpa_normalize (&s, h, 0, 10, 3), 10);
  rsim_hpa_history_free (h);
}

static int
count (const char *log, const char *needle)
{
  int n = 0;
  for (const char *p = log; (p = strstr (p, needle)) != NULL; p++)
    n++;
  return n;
}

static void
capture (gpointer user, RsimTime t, const char *component, const char *event,
         const char *detail)
{
  g_string_append_printf (user, "%s %s\n", component, event);
}

static int most_taskmanagers;

static void
capture_sample (gpointer user, const RsimSample *s)
{
  most_taskmanagers = MAX (most_taskmanagers, s->taskmanagers_alive);
}

/* The bundled reactive + HPA scenario under a cosine load (three 2-hour
 * cycles): the HPA acts at most 20 times a cycle, fewer times than a
 * threshold controller that moves one TaskManager at a time with the same
 * band (target 0.6 +/- the 10 % tolerance) and windows, and it never needs
 * its maximum of 16 pods. */
Test (hpa, follows_a_cosine_load_with_few_changes)
{
  g_autofree char *path = g_build_filename (g_getenv ("RSIM_SOURCE_ROOT"),
                                            "scenarios", "reactive-hpa-cpu.json",
                                            NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsimScenario) sc = rsim_scenario_load_file (path, &error);
  cr_assert_not_null (sc, "%s", error ? error->message : "");
  RsimSimConfig *c = &sc->config;
  c->scheduler = RSIM_SCHEDULER_REACTIVE;
  GString *log = g_string_new (NULL);
  RsimSinks sinks = { log, capture_sample, capture };
  most_taskmanagers = 0;
  RsimResult *r = rsim_simulation_run (c, &sinks, &error);
  cr_assert_not_null (r, "%s", error ? error->message : "");
  int hpa = count (log->str, "hpa scale_");
  cr_expect_lt (most_taskmanagers, 16, "%d TaskManagers at most",
                most_taskmanagers);
  cr_expect_gt (most_taskmanagers, 2, "it scaled up for the peaks");
  rsim_result_free (r);

  g_string_truncate (log, 0);
  c->controllers.hpa.enabled = FALSE;
  RsimReplicaSpec *t = &c->controllers.replicas;
  t->enabled = TRUE;
  t->metric = RSIM_REPLICA_METRIC_UTILIZATION;
  t->scale_up_above = 0.66;
  t->scale_down_below = 0.54;
  t->interval = 15 * RSIM_SEC;
  t->scale_up_stabilization = 2 * RSIM_MIN;
  t->scale_down_stabilization = 5 * RSIM_MIN;
  t->min_taskmanagers = 1;
  t->max_taskmanagers = 16;
  t->step = 1;
  t->removal = RSIM_REPLICA_REMOVAL_STOP;
  r = rsim_simulation_run (c, &sinks, &error);
  cr_assert_not_null (r, "%s", error ? error->message : "");
  int threshold = count (log->str, "replicas scale_");
  rsim_result_free (r);
  g_string_free (log, TRUE);
  cr_expect_gt (hpa, 0);
  cr_expect_leq (hpa, 3 * 20, "HPA %d actions in 3 cycles", hpa);
  cr_expect_lt (hpa, threshold, "HPA %d actions, threshold %d", hpa,
                threshold);
}
