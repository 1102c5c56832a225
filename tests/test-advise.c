/* Tests of the advisor (include/rescalesim/advise.h): a scenario whose
 * optimum is known by construction, the Young/Daly check of the checkpoint
 * interval, racing against an exhaustive search on several seed bases,
 * sharded advice merged against unsharded advice byte for byte, the
 * statistics' intervals against figures worked out by hand, and the
 * bad-input errors (messages, exit codes, nothing written).
 *
 * Scenario files are read from RSIM_SOURCE_ROOT (tests/data/advise/ and
 * scenarios/); the command tests run RSIM_BINARY. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>
#include <rescalesim/advise.h>

#include "harness/advise-private.h"

/* ---------------------------------------------------------------- helpers */

static char *
source_path (const char *rel)
{
  const char *root = g_getenv ("RSIM_SOURCE_ROOT");
  return g_build_filename (root ? root : ".", rel, NULL);
}

static char *
read_source (const char *rel)
{
  g_autofree char *path = source_path (rel);
  char *text = NULL;
  cr_assert (g_file_get_contents (path, &text, NULL, NULL), "cannot read %s",
             path);
  return text;
}

/* text with the first `from` replaced by `to` (which must occur). */
static char *
replace_once (const char *text, const char *from, const char *to)
{
  const char *at = strstr (text, from);
  cr_assert_not_null (at, "\"%s\" not in the scenario", from);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, to,
                          at + strlen (from));
}

static RsimAdvisor *
load_text (const char *text, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = source_path (name);   /* relative files resolve */
  RsimAdvisor *a = rsim_advisor_load_data (text, strlen (text), path, &error);
  cr_assert_not_null (a, "%s", error ? error->message : "");
  return a;
}

static RsimAdvice *
advise (RsimAdvisor *a, guint jobs)
{
  RsimAdviseOptions o = { .jobs = jobs };
  g_autoptr (GError) error = NULL;
  RsimAdvice *adv = rsim_advise (a, &o, &error);
  cr_assert_not_null (adv, "%s", error ? error->message : "");
  return adv;
}

/* Loading text must fail with a message containing each of want[]. */
static void
assert_load_error (const char *text, const char *const *want)
{
  g_autoptr (GError) error = NULL;
  RsimAdvisor *a = rsim_advisor_load_data (text, strlen (text), "bad.json",
                                           &error);
  cr_assert_null (a);
  cr_assert_not_null (error);
  cr_assert_eq (error->domain, RSIM_SCENARIO_ERROR);
  for (const char *const *w = want; *w; w++)
    cr_assert_not_null (strstr (error->message, *w),
                        "message \"%s\" lacks \"%s\"", error->message, *w);
}

/* ------------------------------------------------------------ statistics */

/* The median of 20 values 1..20: the distribution-free 95 % interval is
 * X(6)..X(15), since P(B <= 5) = P(B >= 15) = 0.0207 <= 0.025 for
 * B ~ Binomial(20, 0.5) while P(B <= 6) = 0.0577 is not. */
Test (statistics, quantile_interval)
{
  double x[20];
  for (int i = 0; i < 20; i++)
    x[i] = 20 - i;                    /* unsorted on purpose */
  RsimEstimate e;
  rsim__advise_estimate (x, 20, RSIM_STAT_QUANTILE, 0.5, 0.95, &e);
  cr_assert_eq (e.n, 20);
  cr_assert_float_eq (e.estimate, 10.5, 1e-12);
  cr_assert_eq (e.low, 6.0);
  cr_assert_eq (e.high, 15.0);
  /* p95 of 10 values: no order statistic bounds it above at 95 %
   * (P(B >= 10) = 0.95^10 = 0.599), so the interval is open above; below,
   * P(B <= 7) = 0.0115 <= 0.025 while P(B <= 8) = 0.0861 is not: X(8). */
  rsim__advise_estimate (x, 10, RSIM_STAT_QUANTILE, 0.95, 0.95, &e);
  cr_assert (isinf (e.high) && e.high > 0);
  cr_assert_eq (e.low, 18.0);         /* x[0..9] = 20..11: X(8) = 18 */
}

/* The mean of 1, 2, 3, 4: sd = sqrt(5/3), t(0.975, 3) = 3.182446305,
 * half width = 3.182446305 x sqrt(5/3) / 2 = 2.054241. */
Test (statistics, mean_interval)
{
  const double x[] = { 4, 1, 3, 2, NAN };
  RsimEstimate e;
  rsim__advise_estimate (x, 5, RSIM_STAT_MEAN, 0, 0.95, &e);
  cr_assert_eq (e.n, 4);
  cr_assert_float_eq (e.estimate, 2.5, 1e-12);
  double half = 3.182446305284263 * sqrt (5.0 / 3.0) / 2.0;
  cr_assert_float_eq (e.low, 2.5 - half, 1e-9);
  cr_assert_float_eq (e.high, 2.5 + half, 1e-9);
  /* One value: no interval. max: the sample's max bounds the true one
   * from below only. */
  rsim__advise_estimate (x, 1, RSIM_STAT_MEAN, 0, 0.95, &e);
  cr_assert (isinf (e.low) && isinf (e.high));
  rsim__advise_estimate (x, 4, RSIM_STAT_MAX, 0, 0.95, &e);
  cr_assert_eq (e.estimate, 4.0);
  cr_assert_eq (e.low, 4.0);
  cr_assert (isinf (e.high));
}

/* Durations as the advisor writes and reads them. */
Test (statistics, durations)
{
  const struct { double s; const char *text; } cases[] = {
    { 600, "10 min" }, { 516, "516 s" }, { 12.5, "12500 ms" },
    { 7200, "2 h" }, { 86400, "1 d" }, { 0.001, "1 ms" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *t = rsim__advise_format_duration (cases[i].s);
    cr_assert_str_eq (t, cases[i].text);
    double back = -1;
    cr_assert (rsim__advise_parse_duration (t, &back));
    cr_assert_float_eq (back, cases[i].s, 1e-12);
  }
  double v;
  cr_assert (rsim__advise_parse_duration ("1.5 min", &v));
  cr_assert_float_eq (v, 90.0, 1e-12);
  cr_assert (rsim__advise_parse_duration ("250", &v));   /* milliseconds */
  cr_assert_float_eq (v, 0.25, 1e-12);
  cr_assert_not (rsim__advise_parse_duration ("10 parsecs", &v));
  cr_assert_not (rsim__advise_parse_duration ("-1 s", &v));
}

/* ------------------------------------------------ optimum by construction */

/* tests/data/advise/known-optimum.json: parallelism 4 on TaskManagers of
 * one slot, standalone (no replacement), one TaskManager killed at 5 min.
 * 1-3 TaskManagers never run the job (the final lag is the whole input),
 * 4 stay down from the kill on (downtime 15 min), 5 and more restart on
 * the spare: the cheapest feasible count is 5. */
Test (advise, known_optimum)
{
  g_autofree char *text = read_source ("tests/data/advise/known-optimum.json");
  g_autoptr (RsimAdvisor) a = load_text (text, "tests/data/advise/x.json");
  cr_assert_eq (rsim_advisor_n_grid (a), 8);
  g_autoptr (RsimAdvice) adv = advise (a, 2);
  guint rec = rsim_advice_recommended (adv);
  cr_assert_eq (rsim_advice_candidate_coordinate (adv, rec, 0), 5.0);
  cr_assert_str_eq (rsim_advice_candidate_values (adv, rec)[0], "5");
  cr_assert_eq (rsim_advice_candidate_seeds (adv, rec), 6);
  /* Slot-seconds rise with the TaskManager count on this grid. */
  for (guint i = 1; i < rsim_advice_n_candidates (adv); i++)
    cr_assert_gt (rsim_advice_candidate_cost (adv, i),
                  rsim_advice_candidate_cost (adv, i - 1));
  /* 4 TaskManagers violate the downtime objective; 6-8 are surely dearer
   * than 5 once two seeds agree exactly (the runs are deterministic), so
   * racing drops them after the first round of 3 seeds. */
  cr_assert (rsim_advice_candidate_dropped (adv, 3));
  for (guint i = 5; i < 8; i++) {
    cr_assert (rsim_advice_candidate_dropped (adv, i));
    cr_assert_eq (rsim_advice_candidate_seeds (adv, i), 3);
  }
  cr_assert_lt (rsim_advice_n_runs (adv), 8 * 6);
}

/* ------------------------------------------------------------- Young/Daly */

/* scenarios/advise-young-daly.json: one TaskManager with exponential
 * crashes of mean M = 3600 s, replaced; 1000 rec/s; cost = 0.001 s per
 * replayed record (lost work in seconds of input) + C = 25 s per completed
 * checkpoint. Young's first-order optimum is T* = sqrt (2 C M) = 424.26 s
 * and the expected waste per unit of time is W(T) = C/T + T/(2M), so
 * W(k T*) / W(T*) = (k + 1/k) / 2: the band of intervals within 10 % of
 * the optimum's waste is k in [1.1 - sqrt(0.21), 1.1 + sqrt(0.21)] =
 * [0.642, 1.558] x T*. The advisor's recommendation must fall in it, and
 * the grid's ends (1 min and 40 min) must cost more. */
Test (advise, young_daly_band)
{
  const double C = 25.0, M = 3600.0;
  const double t_star = sqrt (2.0 * C * M);
  const double k_low = 1.1 - sqrt (1.1 * 1.1 - 1.0);
  const double k_high = 1.1 + sqrt (1.1 * 1.1 - 1.0);
  g_autofree char *text = read_source ("scenarios/advise-young-daly.json");
  /* The scenario says what the test assumes. */
  cr_assert_not_null (strstr (text, "\"checkpoints_completed\": 25"));
  cr_assert_not_null (strstr (text, "\"reprocessed_records\": 0.001"));
  cr_assert_not_null (strstr (text, "\"rate\": \"1000 rec/s\""));
  cr_assert_not_null (strstr (text, "\"mean\": \"1 h\""));
  cr_assert_not_null (strstr (text, "\"taskmanagers\": 1,"));
  g_autoptr (RsimAdvisor) a = load_text (text, "scenarios/x.json");
  g_autoptr (RsimAdvice) adv = advise (a, 2);
  guint rec = rsim_advice_recommended (adv);
  double t = rsim_advice_candidate_coordinate (adv, rec, 0);
  cr_log_info ("recommended interval %.0f s, T* = %.1f s", t, t_star);
  cr_assert_geq (t, k_low * t_star, "%.0f s below the band", t);
  cr_assert_leq (t, k_high * t_star, "%.0f s above the band", t);
  cr_assert_eq (rsim_advice_candidate_coordinate (adv, 0, 0), 60.0);
  cr_assert_eq (rsim_advice_candidate_coordinate (adv, 6, 0), 2400.0);
  cr_assert_gt (rsim_advice_candidate_cost (adv, 0),
                rsim_advice_candidate_cost (adv, rec));
  cr_assert_gt (rsim_advice_candidate_cost (adv, 6),
                rsim_advice_candidate_cost (adv, rec));
}

/* ----------------------------------------------------------------- racing */

/* tests/data/advise/racing.json on five seed bases: racing must end on the
 * candidate an exhaustive search (every candidate at every seed, the same
 * seeds) recommends, never drop that candidate, and save runs. */
Test (advise, racing_keeps_the_best)
{
  g_autofree char *text = read_source ("tests/data/advise/racing.json");
  guint saved = 0;
  for (guint b = 1; b <= 41; b += 10) {
    g_autofree char *base = g_strdup_printf ("\"base\": %u,", b);
    g_autofree char *raced = replace_once (text, "\"base\": 1,", base);
    g_autofree char *full = replace_once (raced, "\"racing\": true",
                                          "\"racing\": false");
    g_autoptr (RsimAdvisor) ar = load_text (raced, "tests/data/advise/x.json");
    g_autoptr (RsimAdvisor) af = load_text (full, "tests/data/advise/x.json");
    g_autoptr (RsimAdvice) r = advise (ar, 2);
    g_autoptr (RsimAdvice) f = advise (af, 2);
    guint best = rsim_advice_recommended (f);
    cr_assert_eq (rsim_advice_recommended (r), best, "seed base %u", b);
    cr_assert_not (rsim_advice_candidate_dropped (r, best));
    cr_assert_eq (rsim_advice_n_runs (f), rsim_advice_n_candidates (f) * 8);
    cr_assert_leq (rsim_advice_n_runs (r), rsim_advice_n_runs (f));
    saved += rsim_advice_n_runs (f) - rsim_advice_n_runs (r);
  }
  cr_assert_gt (saved, 0);
}

/* ---------------------------------------------------------- shard + merge */

static char *
write_advice (const RsimAdvice *adv, const char *dir, const char *name)
{
  char *out = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  cr_assert (rsim_advice_write (adv, out, 0, &error), "%s",
             error ? error->message : "");
  return out;
}

static void
assert_same_file (const char *d1, const char *d2, const char *name)
{
  g_autofree char *p1 = g_build_filename (d1, name, NULL);
  g_autofree char *p2 = g_build_filename (d2, name, NULL);
  g_autofree char *t1 = NULL, *t2 = NULL;
  gsize l1 = 0, l2 = 0;
  cr_assert (g_file_get_contents (p1, &t1, &l1, NULL), "%s", p1);
  cr_assert (g_file_get_contents (p2, &t2, &l2, NULL), "%s", p2);
  cr_assert_eq (l1, l2, "%s differs in length", name);
  cr_assert (memcmp (t1, t2, l1) == 0, "%s differs", name);
}

Test (advise, sharded_merge_equals_unsharded)
{
  /* The Young/Daly scenario, shortened to a day and 3 seeds: refinement
   * runs exist that no shard holds, so the merge simulates them. */
  g_autofree char *text = read_source ("scenarios/advise-young-daly.json");
  g_autofree char *t1 = replace_once (text, "\"duration\": \"5 d\"",
                                      "\"duration\": \"1 d\"");
  g_autofree char *t2 = replace_once (t1, "\"seeds\": 4", "\"seeds\": 3");
  g_autofree char *tmp = g_dir_make_tmp ("advise-test-XXXXXX", NULL);
  cr_assert_not_null (tmp);

  g_autoptr (RsimAdvisor) a = load_text (t2, "scenarios/x.json");
  g_autoptr (RsimAdvice) whole = advise (a, 1);
  g_autofree char *whole_dir = write_advice (whole, tmp, "whole");

  const guint n = 3;
  char *dirs[4] = { NULL };
  for (guint k = 1; k <= n; k++) {
    RsimAdviseOptions o = { .jobs = 2, .shard = k, .shards = n };
    g_autoptr (GError) error = NULL;
    g_autoptr (RsimAdvice) s = rsim_advise (a, &o, &error);
    cr_assert_not_null (s, "%s", error ? error->message : "");
    cr_assert (rsim_advice_is_shard (s));
    g_autofree char *name = g_strdup_printf ("shard-%u", k);
    dirs[k - 1] = write_advice (s, tmp, name);
  }
  RsimAdviseOptions mo = { .jobs = 2, .merge_dirs = (const char *const *) dirs,
                           .n_merge_dirs = n };
  g_autoptr (GError) error = NULL;
  g_autoptr (RsimAdvice) merged = rsim_advise (a, &mo, &error);
  cr_assert_not_null (merged, "%s", error ? error->message : "");
  g_autofree char *merged_dir = write_advice (merged, tmp, "merged");
  const char *files[] = { RSIM_ADVICE_JSON, RSIM_ADVICE_CANDIDATES_CSV,
                          RSIM_ADVICE_PARETO_CSV, RSIM_ADVICE_FLINK_YAML,
                          RSIM_ADVICE_SCENARIO_PATCH };
  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    assert_same_file (whole_dir, merged_dir, files[i]);

  /* A shard missing, and a shard given twice, are refused. */
  RsimAdviseOptions missing = mo;
  missing.n_merge_dirs = n - 1;
  g_autoptr (GError) e1 = NULL;
  cr_assert_null (rsim_advise (a, &missing, &e1));
  cr_assert (g_error_matches (e1, RSIM_ADVISE_ERROR, RSIM_ADVISE_ERROR_MISMATCH));
  cr_assert_not_null (strstr (e1->message, "is in no shard"), "%s", e1->message);
  const char *twice_dirs[] = { dirs[0], dirs[0], dirs[1], dirs[2] };
  RsimAdviseOptions twice = { .merge_dirs = twice_dirs, .n_merge_dirs = 4 };
  g_autoptr (GError) e2 = NULL;
  cr_assert_null (rsim_advise (a, &twice, &e2));
  cr_assert_not_null (strstr (e2->message, "is given twice"), "%s", e2->message);
  /* Shards of another search (another confidence level changes the
   * block, so the hash) are refused. */
  g_autofree char *t3 = replace_once (t2, "\"refine\": 2",
                                      "\"refine\": 2, \"confidence\": 0.9");
  g_autoptr (RsimAdvisor) other = load_text (t3, "scenarios/x.json");
  g_autoptr (GError) e3 = NULL;
  cr_assert_null (rsim_advise (other, &mo, &e3));
  cr_assert_not_null (strstr (e3->message, "a shard of another search"), "%s",
                      e3->message);
  for (guint k = 0; k < n; k++)
    g_free (dirs[k]);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp);
  cr_assert_eq (system (cmd), 0);
}

/* -------------------------------------------------------------- bad input */

#define KNOWN "tests/data/advise/known-optimum.json"

static char *
with_advise (const char *block)
{
  g_autofree char *text = read_source (KNOWN);
  const char *at = strstr (text, "\"advise\":");
  cr_assert_not_null (at);
  return g_strdup_printf ("%.*s\"advise\": %s }\n", (int) (at - text), text,
                          block);
}

Test (advise, bad_input)
{
  static const struct {
    const char *block;
    const char *want[3];
  } cases[] = {
    { "{ \"knobs\": { \"cluster.taskmanagers\": [4, 5] }, \"objectives\": "
      "[\"downtime_ss mean <= 1\"], \"cost\": \"slot_seconds\" }",
      { "bad.json: advise.objectives[0]: unknown metric \"downtime_ss\"; "
        "expected one of: downtime_s, job_stops, rescales, capacity_loss_s", NULL } },
    { "{ \"knobs\": { \"cluster.taskmanagers\": [4, 5] }, \"objectives\": "
      "[\"downtime_s p100 <= 1\"], \"cost\": \"slot_seconds\" }",
      { "advise.objectives[0]: unknown statistic \"p100\"", NULL } },
    { "{ \"knobs\": { \"cluster.taskmanagers\": [4, 5] }, \"objectives\": "
      "[\"downtime_s mean < 1\"], \"cost\": \"slot_seconds\" }",
      { "expected \"<=\" or \">=\" after the statistic, got \"<\"", NULL } },
    { "{ \"knobs\": { \"cluster.nodes\": [4, 5] }, \"objectives\": "
      "[\"downtime_s mean <= 1\"], \"cost\": \"slot_seconds\" }",
      { "advise candidate (cluster.nodes=4)", "cluster: unknown key \"nodes\"",
        NULL } },
    { "{ \"knobs\": { \"nowhere.x\": [4, 5] }, \"objectives\": "
      "[\"downtime_s mean <= 1\"], \"cost\": \"slot_seconds\" }",
      { "advise.knobs.\"nowhere.x\": not an axis", NULL } },
    { "{ \"knobs\": { \"cluster.taskmanagers\": { \"from\": 5, \"to\": 4 } }, "
      "\"objectives\": [\"downtime_s mean <= 1\"], \"cost\": \"slot_seconds\" }",
      { "advise.knobs.\"cluster.taskmanagers\".to: the range is empty", NULL } },
    { "{ \"knobs\": { \"cluster.taskmanagers\": [] }, \"objectives\": "
      "[\"downtime_s mean <= 1\"], \"cost\": \"slot_seconds\" }",
      { "advise.knobs.\"cluster.taskmanagers\": the list of values is empty",
        NULL } },
    { "{ \"knobs\": { \"cluster.taskmanagers\": [4] }, \"objectives\": "
      "[\"downtime_s mean <= 1\"], \"cost\": \"bytes\" }",
      { "advise.cost: expected \"slot_seconds\"", "got the string", NULL } },
    { "{ \"knobs\": { \"cluster.taskmanagers\": { \"from\": 1, \"to\": 10000,"
      " \"steps\": 1000 } }, \"objectives\": [\"downtime_s mean <= 1\"], "
      "\"cost\": \"slot_seconds\", \"seeds\": 10000 }",
      { "exceed 1000000 runs", NULL } },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *text = with_advise (cases[i].block);
    assert_load_error (text, cases[i].want);
  }
}

/* No candidate meets the objectives: an error that says so and names the
 * closest candidates with their estimates. */
Test (advise, infeasible_names_the_closest)
{
  g_autofree char *text = with_advise (
    "{ \"knobs\": { \"cluster.taskmanagers\": [3, 4, 5] }, \"objectives\": "
    "[\"downtime_s mean <= 5\", \"final_lag_records mean <= 1000\"], "
    "\"cost\": \"slot_seconds\", \"seeds\": 2 }");
  g_autoptr (RsimAdvisor) a = load_text (text, KNOWN);
  RsimAdviseOptions o = { .jobs = 2 };
  g_autoptr (GError) error = NULL;
  cr_assert_null (rsim_advise (a, &o, &error));
  cr_assert (g_error_matches (error, RSIM_ADVISE_ERROR,
                              RSIM_ADVISE_ERROR_INFEASIBLE));
  cr_assert_not_null (strstr (error->message, "no candidate meets every "
                              "objective"), "%s", error->message);
  /* Ranked by the sum of the relative excesses: 5 TaskManagers miss only
   * the downtime bound (about 13 s against 5 s); 4 miss both (15 min
   * down, the lag of 15 min of input left); 3 never start the job (no
   * downtime is counted before the first RUNNING) but leave the whole
   * input as lag. */
  const char *c2 = strstr (error->message, "candidate 2 (5)");
  const char *c1 = strstr (error->message, "candidate 1 (4)");
  const char *c0 = strstr (error->message, "candidate 0 (3)");
  cr_assert (c0 && c2 && c1 && c2 < c1 && c1 < c0, "%s", error->message);
  cr_assert_not_null (strstr (error->message, "\"downtime_s mean <= 5\": 0 (met)"));
}

/* The command: exit 3 for a bad block, exit 1 when nothing is feasible,
 * and no output directory in either case. */
static int
run_cli (const char *scenario, const char *out)
{
  const char *bin = g_getenv ("RSIM_BINARY");
  cr_assert_not_null (bin, "RSIM_BINARY is not set");
  const char *argv[] = { bin, "advise", scenario, "--out", out, "--quiet",
                         "--plot", "none", NULL };
  int status = 0;
  g_autofree char *err = NULL;
  cr_assert (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                           NULL, NULL, NULL, &err, &status, NULL));
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

Test (advise, command_exit_codes)
{
  g_autofree char *tmp = g_dir_make_tmp ("advise-cli-XXXXXX", NULL);
  g_autofree char *bad = g_build_filename (tmp, "bad.json", NULL);
  g_autofree char *infeasible = g_build_filename (tmp, "infeasible.json", NULL);
  g_autofree char *good = g_build_filename (tmp, "good.json", NULL);
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  g_autofree char *t1 = with_advise (
    "{ \"knobs\": { \"cluster.taskmanagers\": [4] }, \"objectives\": "
    "[\"downtime_s avg <= 5\"], \"cost\": \"slot_seconds\" }");
  g_autofree char *t2 = with_advise (
    "{ \"knobs\": { \"cluster.taskmanagers\": [4, 5] }, \"objectives\": "
    "[\"downtime_s mean <= 5\", \"final_lag_records max <= 1000\"], "
    "\"cost\": \"slot_seconds\", \"seeds\": 2 }");
  g_autofree char *t3 = with_advise (
    "{ \"knobs\": { \"cluster.taskmanagers\": [4, 5] }, \"objectives\": "
    "[\"downtime_s mean <= 60\"], \"cost\": { \"kind\": \"slot_seconds\", "
    "\"price_per_slot_hour\": 0.1 }, \"seeds\": 2 }");
  cr_assert (g_file_set_contents (bad, t1, -1, NULL));
  cr_assert (g_file_set_contents (infeasible, t2, -1, NULL));
  cr_assert (g_file_set_contents (good, t3, -1, NULL));
  cr_assert_eq (run_cli (bad, out), 3);
  cr_assert_not (g_file_test (out, G_FILE_TEST_EXISTS));
  cr_assert_eq (run_cli (infeasible, out), 1);
  cr_assert_not (g_file_test (out, G_FILE_TEST_EXISTS));
  cr_assert_eq (run_cli (good, out), 0);
  g_autofree char *yaml_path = g_build_filename (out, RSIM_ADVICE_FLINK_YAML,
                                                 NULL);
  g_autofree char *patch_path = g_build_filename (out, RSIM_ADVICE_SCENARIO_PATCH,
                                                  NULL);
  g_autofree char *yaml = NULL, *patch = NULL;
  cr_assert (g_file_get_contents (yaml_path, &yaml, NULL, NULL));
  cr_assert (g_file_get_contents (patch_path, &patch, NULL, NULL));
  cr_assert_not_null (strstr (yaml, "# cluster.taskmanagers = 5 (not a Flink "
                              "key"), "%s", yaml);
  cr_assert_str_eq (patch, "{\n  \"cluster\": {\n    \"taskmanagers\": 5\n  }\n}\n");
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp);
  cr_assert_eq (system (cmd), 0);
}
