/* Tests of the scenario layer: value syntaxes, Flink defaults per version,
 * warnings, the valid and invalid scenario corpora (tests/data/valid,
 * tests/data/invalid with one NAME.err per NAME.json holding a substring of
 * the expected message), the bundled scenarios, the resolved JSON, and that
 * scenarios/README.md documents every key the code knows. */
#include <criterion/criterion.h>
#include <string.h>

#include <rescalesim/scenario.h>
#include <rescalesim/sweep.h>
#include "scenario/scenario-private.h"

/* ---------------------------------------------------------------- helpers */

/* The source tree: $RSIM_SOURCE_ROOT (set by meson test), else the first of
 * ., .. and ../.. that holds scenarios/. */
static char *
source_path (const char *rel)
{
  const char *root = g_getenv ("RSIM_SOURCE_ROOT");
  if (root != NULL)
    return g_build_filename (root, rel, NULL);
  static const char *const guesses[] = { ".", "..", "../.." };
  for (guint i = 0; i < G_N_ELEMENTS (guesses); i++) {
    g_autofree char *probe = g_build_filename (guesses[i], "scenarios", NULL);
    if (g_file_test (probe, G_FILE_TEST_IS_DIR))
      return g_build_filename (guesses[i], rel, NULL);
  }
  return g_strdup (rel);
}

static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Sorted *.json file names of a source directory. */
static GPtrArray *
json_files (const char *rel_dir)
{
  g_autofree char *dir = source_path (rel_dir);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  GDir *d = g_dir_open (dir, 0, NULL);
  cr_assert_not_null (d, "cannot open %s", dir);
  const char *n;
  while ((n = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (n, ".json"))
      g_ptr_array_add (names, g_build_filename (dir, n, NULL));
  g_dir_close (d);
  g_ptr_array_sort (names, compare_paths);
  return names;
}

static RsimScenario *
load_text (const char *text, GError **error)
{
  return rsim_scenario_load_data (text, strlen (text), "inline.json", error);
}

/* A one-vertex scenario on Flink `version` with `config` as the body of
 * flink.config. Fails the test if it does not load. */
static RsimScenario *
load_flink (const char *version, const char *config)
{
  g_autofree char *text = g_strdup_printf (
    "{\"name\": \"t\", \"duration\": \"10 min\","
    " \"flink\": {\"version\": \"%s\", \"config\": {%s}},"
    " \"cluster\": {\"taskmanagers\": 1},"
    " \"job\": {\"vertices\": [{\"name\": \"v\", \"capacity\": 100}]},"
    " \"workload\": {\"rate\": 10}}", version, config);
  GError *error = NULL;
  RsimScenario *sc = load_text (text, &error);
  cr_assert_not_null (sc, "%s", error ? error->message : "?");
  return sc;
}

static gboolean
has_warning (const RsimScenario *sc, const char *needle)
{
  for (guint i = 0; i < sc->warnings->len; i++)
    if (strstr (sc->warnings->pdata[i], needle) != NULL)
      return TRUE;
  return FALSE;
}

/* The message of loading text, which must fail. (transfer full) */
static char *
load_error (const char *text)
{
  GError *error = NULL;
  RsimScenario *sc = load_text (text, &error);
  cr_assert_null (sc, "loaded although it should not: %s", text);
  char *msg = g_strdup (error->message);
  g_error_free (error);
  return msg;
}

/* ------------------------------------------------------------------ units */

Test (units, flink_durations)
{
  static const struct { const char *text; RsimTime us; } ok[] = {
    { "10 s", 10 * RSIM_SEC }, { "10s", 10 * RSIM_SEC },
    { " 10  S ", 10 * RSIM_SEC }, { "500", 500 * RSIM_MSEC },
    { "1 min", RSIM_MIN }, { "1m", RSIM_MIN }, { "2 minutes", 2 * RSIM_MIN },
    { "2 h", 2 * RSIM_HOUR }, { "1 hour", RSIM_HOUR }, { "1 d", 24 * RSIM_HOUR },
    { "3 days", 72 * RSIM_HOUR }, { "5 secs", 5 * RSIM_SEC },
    { "1 second", RSIM_SEC }, { "250 ms", 250 * RSIM_MSEC },
    { "2 millis", 2 * RSIM_MSEC }, { "3 milliseconds", 3 * RSIM_MSEC },
    { "7 us", 7 }, { "7 \xc2\xb5s", 7 }, { "7 micros", 7 },
    { "1500 ns", 1 }, { "2 nanos", 0 }, { "0", 0 }, { "0 s", 0 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (ok); i++) {
    RsimTime us = -1;
    cr_expect (rsim__parse_flink_duration (ok[i].text, &us), "\"%s\"", ok[i].text);
    cr_expect_eq (us, ok[i].us, "\"%s\": %" G_GINT64_FORMAT, ok[i].text, us);
  }
  static const char *const bad[] = {
    "", "   ", "s", "-1 s", "1.5 s", "10 parsecs", "10 s s", "ten s",
    "99999999999999999999 s", "200000000 d", "+5 s",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    RsimTime us;
    cr_expect_not (rsim__parse_flink_duration (bad[i], &us), "\"%s\"", bad[i]);
  }
}

Test (units, project_durations)
{
  static const struct { const char *text; double us; } ok[] = {
    { "1.5 s", 1.5e6 }, { "0.5 min", 30e6 }, { "2.25 ms", 2250.0 },
    { "30 min", 1800e6 }, { "100", 100e3 }, { "0.0315 ms", 31.5 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (ok); i++) {
    double us = -1;
    cr_expect (rsim__parse_duration (ok[i].text, &us), "\"%s\"", ok[i].text);
    cr_expect_float_eq (us, ok[i].us, 1e-9, "\"%s\": %g", ok[i].text, us);
  }
  static const char *const bad[] = { ".5 s", "1. s", "1e3 s", "-2 s", "1,5 s",
                                     "5 fortnights" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    double us;
    cr_expect_not (rsim__parse_duration (bad[i], &us), "\"%s\"", bad[i]);
  }
}

Test (units, memory_sizes)
{
  static const struct { const char *text; double bytes; } ok[] = {
    { "1 kb", 1024.0 }, { "1k", 1024.0 }, { "4 GB", 4294967296.0 },
    { "512m", 536870912.0 }, { "100", 100.0 }, { "1 bytes", 1.0 },
    { "3 b", 3.0 }, { "0.5 GB", 536870912.0 }, { "2 MiB", 2097152.0 },
    { "1 t", 1099511627776.0 }, { "2 mebibytes", 2097152.0 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (ok); i++) {
    double b = -1;
    cr_expect (rsim__parse_memory_size (ok[i].text, &b), "\"%s\"", ok[i].text);
    cr_expect_float_eq (b, ok[i].bytes, 1e-6, "\"%s\": %g", ok[i].text, b);
  }
  static const char *const bad[] = { "5 XB", "-1 b", "GB", "1 GB/s", "" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    double b;
    cr_expect_not (rsim__parse_memory_size (bad[i], &b), "\"%s\"", bad[i]);
  }
}

Test (units, rates_and_bandwidths)
{
  static const struct { const char *text; double rps; } rates[] = {
    { "2000 rec/s", 2000 }, { "6k rec/s", 6000 }, { "1.5M rec/s", 1.5e6 },
    { "2000 records/s", 2000 }, { "2000/s", 2000 }, { "2000", 2000 },
    { "3 K/s", 3000 }, { "1 record/s", 1 }, { "2 G", 2e9 }, { "0", 0 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (rates); i++) {
    double r = -1;
    cr_expect (rsim__parse_rate (rates[i].text, &r), "\"%s\"", rates[i].text);
    cr_expect_float_eq (r, rates[i].rps, 1e-9, "\"%s\": %g", rates[i].text, r);
  }
  static const char *const bad_rates[] = { "fast", "2000 rec/min", "1.5m rec/s",
                                           "-5 rec/s", "rec/s", "6 kb/s" };
  for (guint i = 0; i < G_N_ELEMENTS (bad_rates); i++) {
    double r;
    cr_expect_not (rsim__parse_rate (bad_rates[i], &r), "\"%s\"", bad_rates[i]);
  }
  static const struct { const char *text; double bps; } bws[] = {
    { "20 MB/s", 20971520.0 }, { "1 gb/s", 1073741824.0 },
    { "100 kb/s", 102400.0 }, { "1000", 1000.0 }, { "0.5 GiB/s", 536870912.0 },
    { "8 b/s", 8.0 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bws); i++) {
    double b = -1;
    cr_expect (rsim__parse_bandwidth (bws[i].text, &b), "\"%s\"", bws[i].text);
    cr_expect_float_eq (b, bws[i].bps, 1e-6, "\"%s\": %g", bws[i].text, b);
  }
  static const char *const bad_bws[] = { "20 MB", "20 MB/min", "fast/s", "MB/s" };
  for (guint i = 0; i < G_N_ELEMENTS (bad_bws); i++) {
    double b;
    cr_expect_not (rsim__parse_bandwidth (bad_bws[i], &b), "\"%s\"", bad_bws[i]);
  }
}

Test (units, formatting)
{
  static const struct { double us; const char *text; } durations[] = {
    { 50e6, "50 s" }, { 60e6, "1 min" }, { 300e6, "5 min" }, { 0, "0 ms" },
    { 3600e6, "1 h" }, { 86400e6, "1 d" }, { 5.5e6, "5500 ms" },
    { 860, "860 us" }, { 31.5, "31500 ns" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (durations); i++) {
    g_autofree char *t = rsim__format_duration (durations[i].us);
    cr_expect_str_eq (t, durations[i].text);
  }
  g_autofree char *gb = rsim__format_size (4294967296.0);
  cr_expect_str_eq (gb, "4 gb");
  g_autofree char *dec = rsim__format_size (20e6);
  cr_expect_str_eq (dec, "20000000 b");
  g_autofree char *bw = rsim__format_bandwidth (20971520.0);
  cr_expect_str_eq (bw, "20 mb/s");
  g_autofree char *rate = rsim__format_rate (1500.5);
  cr_expect_str_eq (rate, "1500.5 rec/s");
  g_autofree char *tenth = rsim__format_double (0.1);
  cr_expect_str_eq (tenth, "0.1");
  /* Printed values read back unchanged. */
  static const double values[] = { 31.5, 860, 1.5e6, 123456789.125, 7 };
  for (guint i = 0; i < G_N_ELEMENTS (values); i++) {
    g_autofree char *t = rsim__format_duration (values[i]);
    double back = -1;
    cr_expect (rsim__parse_duration (t, &back), "%s", t);
    cr_expect_float_eq (back, values[i], 1e-9, "%s", t);
  }
}

/* ------------------------------------------------- defaults per version */

#define CKPT "\"execution.checkpointing.interval\": \"30 s\""

Test (defaults, restart_strategy_without_checkpointing)
{
  static const char *const versions[] = { "1.7", "1.15", "1.19", "2.3" };
  for (guint i = 0; i < G_N_ELEMENTS (versions); i++) {
    g_autoptr (RsimScenario) sc = load_flink (versions[i], "");
    cr_expect_eq (sc->config.flink.checkpoint_interval, 0);
    cr_expect_eq (sc->config.flink.restart_strategy, RSIM_RESTART_NONE,
                  "Flink %s", versions[i]);
  }
}

Test (defaults, restart_strategy_with_checkpointing)
{
  g_autoptr (RsimScenario) v17 = load_flink ("1.7", CKPT);
  cr_expect_eq (v17->config.flink.restart_strategy, RSIM_RESTART_FIXED_DELAY);
  cr_expect_eq (v17->config.flink.fixed_delay_attempts, G_MAXINT);
  cr_expect_eq (v17->config.flink.fixed_delay_delay, 0);

  g_autoptr (RsimScenario) v115 = load_flink ("1.15", CKPT);
  cr_expect_eq (v115->config.flink.restart_strategy, RSIM_RESTART_FIXED_DELAY);
  cr_expect_eq (v115->config.flink.fixed_delay_attempts, G_MAXINT);
  cr_expect_eq (v115->config.flink.fixed_delay_delay, RSIM_SEC);

  g_autoptr (RsimScenario) v119 = load_flink ("1.19", CKPT);
  const RsimFlinkConf *f = &v119->config.flink;
  cr_expect_eq (f->restart_strategy, RSIM_RESTART_EXPONENTIAL_DELAY);
  cr_expect_eq (f->exp_initial_backoff, RSIM_SEC);
  cr_expect_eq (f->exp_max_backoff, RSIM_MIN);
  cr_expect_float_eq (f->exp_multiplier, 1.5, 1e-12);
  cr_expect_float_eq (f->exp_jitter, 0.1, 1e-12);
  cr_expect_eq (f->exp_reset_threshold, RSIM_HOUR);
  cr_expect_eq (f->exp_attempts_before_reset, G_MAXINT);
  cr_expect_eq (f->checkpoint_interval, 30 * RSIM_SEC);
}

Test (defaults, explicit_fixed_delay)
{
  g_autoptr (RsimScenario) v17 = load_flink ("1.7", CKPT ", \"restart-strategy\": \"fixed-delay\"");
  cr_expect_eq (v17->config.flink.fixed_delay_attempts, 1);
  /* ConfigConstants RESTART_STRATEGY_FIXED_DELAY_DELAY "0 s" (1.5-1.9);
   * failure-rate's delay is akka.watch.heartbeat.interval (10 s). */
  cr_expect_eq (v17->config.flink.fixed_delay_delay, 0);
  cr_expect_eq (v17->config.flink.failure_rate_delay, 10 * RSIM_SEC);
  cr_expect_eq (v17->warnings->len, 0);
  g_autoptr (RsimScenario) v19 = load_flink ("1.9", "\"restart-strategy\": \"fixed-delay\"");
  cr_expect_eq (v19->config.flink.fixed_delay_delay, 0);
  g_autoptr (RsimScenario) v110 = load_flink ("1.10", "\"restart-strategy\": \"fixed-delay\"");
  cr_expect_eq (v110->config.flink.fixed_delay_delay, RSIM_SEC);

  g_autoptr (RsimScenario) v115 = load_flink ("1.15", "\"restart-strategy\": \"FixedDelay\"");
  cr_expect_eq (v115->config.flink.restart_strategy, RSIM_RESTART_FIXED_DELAY);
  cr_expect_eq (v115->config.flink.fixed_delay_attempts, 1);
  cr_expect_eq (v115->config.flink.fixed_delay_delay, RSIM_SEC);
  cr_expect_eq (v115->config.flink.failure_rate_delay, RSIM_SEC);
}

Test (defaults, restart_params_without_type_are_ignored)
{
  g_autoptr (RsimScenario) sc = load_flink ("1.15", CKPT ", \"restart-strategy.fixed-delay.attempts\": 3");
  cr_expect_eq (sc->config.flink.fixed_delay_attempts, G_MAXINT);
  cr_expect (has_warning (sc, "flink.config.\"restart-strategy.fixed-delay.attempts\": "
                          "has no effect: restart-strategy is not set"));
  g_autoptr (RsimScenario) typed = load_flink ("1.17", "\"restart-strategy.type\": \"fixed-delay\", "
                                               "\"restart-strategy.fixed-delay.attempts\": 3");
  cr_expect_eq (typed->config.flink.fixed_delay_attempts, 3);
  cr_expect_eq (typed->warnings->len, 0);
}

/* 1.5-1.9 (RestartStrategyFactory.createRestartStrategyFactory): a
 * positive restart-strategy.fixed-delay.attempts without restart-strategy
 * builds fixed-delay, delayed by fixed-delay.delay or else
 * akka.watch.heartbeat.pause (60 s), with or without checkpointing. */
Test (defaults, fixed_delay_attempts_alone_before_1_10)
{
  g_autoptr (RsimScenario) v19 = load_flink ("1.9", "\"restart-strategy.fixed-delay.attempts\": 3");
  cr_expect_eq (v19->config.flink.restart_strategy, RSIM_RESTART_FIXED_DELAY);
  cr_expect_eq (v19->config.flink.fixed_delay_attempts, 3);
  cr_expect_eq (v19->config.flink.fixed_delay_delay, 60 * RSIM_SEC);
  cr_expect_eq (v19->warnings->len, 0);
  g_autoptr (RsimScenario) delay = load_flink ("1.5", CKPT ", \"restart-strategy.fixed-delay.attempts\": 2, "
                                               "\"restart-strategy.fixed-delay.delay\": \"5 s\"");
  cr_expect_eq (delay->config.flink.restart_strategy, RSIM_RESTART_FIXED_DELAY);
  cr_expect_eq (delay->config.flink.fixed_delay_attempts, 2);
  cr_expect_eq (delay->config.flink.fixed_delay_delay, 5 * RSIM_SEC);
  /* 0 attempts: the default strategy (none without checkpointing). */
  g_autoptr (RsimScenario) zero = load_flink ("1.9", "\"restart-strategy.fixed-delay.attempts\": 0");
  cr_expect_eq (zero->config.flink.restart_strategy, RSIM_RESTART_NONE);
  /* 1.10: the loader ignores the key without restart-strategy. */
  g_autoptr (RsimScenario) v110 = load_flink ("1.10", "\"restart-strategy.fixed-delay.attempts\": 3");
  cr_expect_eq (v110->config.flink.restart_strategy, RSIM_RESTART_NONE);
  cr_expect (has_warning (v110, "flink.config.\"restart-strategy.fixed-delay.attempts\": "
                          "has no effect: restart-strategy is not set"));
}

Test (defaults, failover_strategy)
{
  g_autoptr (RsimScenario) v110 = load_flink ("1.10", "");
  g_autoptr (RsimScenario) v111 = load_flink ("1.11", "");
  cr_expect_eq (v110->config.flink.failover_strategy, RSIM_FAILOVER_FULL);
  cr_expect_eq (v111->config.flink.failover_strategy, RSIM_FAILOVER_REGION);
  g_autoptr (RsimScenario) set = load_flink ("1.20", "\"jobmanager.execution.failover-strategy\": \"full\"");
  cr_expect_eq (set->config.flink.failover_strategy, RSIM_FAILOVER_FULL);
}

Test (defaults, rpc_failure_threshold)
{
  g_autoptr (RsimScenario) v113 = load_flink ("1.13", "");
  g_autoptr (RsimScenario) v114 = load_flink ("1.14", "");
  cr_expect_eq (v113->config.flink.heartbeat_rpc_failure_threshold, -1);
  cr_expect_eq (v114->config.flink.heartbeat_rpc_failure_threshold, 2);
  /* Set on 1.13, where the key does not exist: an error naming both
   * versions (it would have no effect on that Flink). */
  g_autofree char *early = load_error (
    "{\"name\": \"t\", \"duration\": \"10 min\", \"flink\": {\"version\": \"1.13\","
    " \"config\": {\"heartbeat.rpc-failure-threshold\": 5}}, \"cluster\": {\"taskmanagers\": 1},"
    " \"job\": {\"vertices\": [{\"name\": \"v\", \"capacity\": 100}]}, \"workload\": {\"rate\": 10}}");
  cr_expect_str_eq (early, "inline.json: flink.config.\"heartbeat.rpc-failure-threshold\": "
                    "does not exist in Flink 1.13 (it was added in 1.14)");
  g_autoptr (RsimScenario) set = load_flink ("1.14", "\"heartbeat.rpc-failure-threshold\": 5");
  cr_expect_eq (set->config.flink.heartbeat_rpc_failure_threshold, 5);
}

Test (defaults, exponential_delay_per_version)
{
  g_autoptr (RsimScenario) v118 = load_flink ("1.18", CKPT ", \"restart-strategy.type\": \"exponential-delay\"");
  cr_expect_float_eq (v118->config.flink.exp_multiplier, 2.0, 1e-12);
  cr_expect_eq (v118->config.flink.exp_max_backoff, 5 * RSIM_MIN);
  g_autoptr (RsimScenario) v119 = load_flink ("1.19", CKPT ", \"restart-strategy.type\": \"exponential-delay\"");
  cr_expect_float_eq (v119->config.flink.exp_multiplier, 1.5, 1e-12);
  cr_expect_eq (v119->config.flink.exp_max_backoff, RSIM_MIN);
}

Test (defaults, other_keys)
{
  g_autoptr (RsimScenario) sc = load_flink ("1.20", "");
  const RsimFlinkConf *f = &sc->config.flink;
  cr_expect_eq (f->slots_per_taskmanager, 1);
  cr_expect_eq (f->default_parallelism, 1);
  cr_expect_eq (f->pipeline_max_parallelism, -1);
  cr_expect_eq (f->heartbeat_interval, 10 * RSIM_SEC);
  cr_expect_eq (f->heartbeat_timeout, 50 * RSIM_SEC);
  cr_expect_eq (f->ask_timeout, 10 * RSIM_SEC);
  cr_expect_eq (f->slot_request_timeout, 5 * RSIM_MIN);
  cr_expect_eq (f->checkpoint_min_pause, 0);
  cr_expect_eq (f->checkpoint_timeout, 10 * RSIM_MIN);
  cr_expect_eq (f->tolerable_failed_checkpoints, 0);
  cr_expect_eq (f->failure_rate_max_failures, 1);
  cr_expect_eq (f->failure_rate_interval, RSIM_MIN);
  g_autoptr (RsimScenario) v18 = load_flink ("1.8", "");
  cr_expect_eq (v18->config.flink.tolerable_failed_checkpoints, G_MAXINT);
}

Test (defaults, flink_value_syntax)
{
  g_autoptr (RsimScenario) sc = load_flink ("1.20",
    "\"taskmanager.numberOfTaskSlots\": \"4\", \"heartbeat.interval\": 2000,"
    " \"heartbeat.timeout\": \"8000\", \"slot.request.timeout\": \"2min\","
    " \"restart-strategy.type\": \"exponential-delay\","
    " \"restart-strategy.exponential-delay.backoff-multiplier\": \"3\","
    " \"restart-strategy.exponential-delay.jitter-factor\": 0");
  const RsimFlinkConf *f = &sc->config.flink;
  cr_expect_eq (f->slots_per_taskmanager, 4);
  cr_expect_eq (f->heartbeat_interval, 2 * RSIM_SEC);
  cr_expect_eq (f->heartbeat_timeout, 8 * RSIM_SEC);
  cr_expect_eq (f->slot_request_timeout, 2 * RSIM_MIN);
  cr_expect_float_eq (f->exp_multiplier, 3.0, 1e-12);
  cr_expect_float_eq (f->exp_jitter, 0.0, 1e-12);
}

Test (defaults, flink_value_errors)
{
  g_autofree char *mult = load_error (
    "{\"name\": \"t\", \"duration\": \"10 min\", \"flink\": {\"version\": \"1.20\","
    " \"config\": {\"restart-strategy.exponential-delay.backoff-multiplier\": 1}}}");
  cr_expect (strstr (mult, "inline.json: flink.config.\"restart-strategy.exponential-delay."
                     "backoff-multiplier\": expected a number greater than 1, got 1"),
             "%s", mult);
  g_autofree char *hb = load_error (
    "{\"name\": \"t\", \"duration\": \"10 min\", \"flink\": {\"version\": \"1.20\","
    " \"config\": {\"heartbeat.interval\": \"1 min\"}}}");
  cr_expect (strstr (hb, "flink.config.\"heartbeat.interval\": heartbeat.timeout must be "
                     "at least heartbeat.interval"), "%s", hb);
  g_autofree char *dur = load_error (
    "{\"name\": \"t\", \"duration\": \"10 min\", \"flink\": {\"version\": \"1.20\","
    " \"config\": {\"heartbeat.timeout\": \"1.5 s\"}}}");
  cr_expect (strstr (dur, "flink.config.\"heartbeat.timeout\": expected a duration"),
             "%s", dur);
}

/* --------------------------------------------------------------- warnings */

Test (warnings, deprecated_aliases)
{
  g_autoptr (RsimScenario) v117 = load_flink ("1.17", "\"restart-strategy\": \"none\"");
  cr_expect (has_warning (v117, "inline.json: flink.config.\"restart-strategy\": deprecated "
                          "since Flink 1.17; use \"restart-strategy.type\""));
  g_autoptr (RsimScenario) v116 = load_flink ("1.16", "\"restart-strategy\": \"none\"");
  cr_expect_eq (v116->warnings->len, 0);

  g_autoptr (RsimScenario) v118 = load_flink ("1.18", "\"akka.ask.timeout\": \"20 s\"");
  cr_expect (has_warning (v118, "flink.config.\"akka.ask.timeout\": deprecated since "
                          "Flink 1.18; use \"pekko.ask.timeout\""));
  cr_expect_eq (v118->config.flink.ask_timeout, 20 * RSIM_SEC);
  g_autoptr (RsimScenario) v117b = load_flink ("1.17", "\"akka.ask.timeout\": \"20 s\"");
  cr_expect_eq (v117b->warnings->len, 0);
  cr_expect_eq (v117b->config.flink.ask_timeout, 20 * RSIM_SEC);

  /* The new name before it existed: an error. */
  g_autofree char *early = load_error (
    "{\"name\": \"t\", \"duration\": \"10 min\", \"flink\": {\"version\": \"1.17\","
    " \"config\": {\"pekko.ask.timeout\": \"20 s\"}}, \"cluster\": {\"taskmanagers\": 1},"
    " \"job\": {\"vertices\": [{\"name\": \"v\", \"capacity\": 100}]}, \"workload\": {\"rate\": 10}}");
  cr_expect_str_eq (early, "inline.json: flink.config.\"pekko.ask.timeout\": does not exist in "
                    "Flink 1.17 (it was added in 1.18)");

  /* Both names: the current one wins whatever the order. */
  g_autoptr (RsimScenario) both = load_flink ("1.20", "\"restart-strategy.type\": \"none\","
                                              " \"restart-strategy\": \"fixed-delay\"");
  cr_expect_eq (both->config.flink.restart_strategy, RSIM_RESTART_NONE);
  cr_expect (has_warning (both, "\"restart-strategy.type\" is used"));
}

Test (warnings, unmodelled_and_scheduler_keys)
{
  g_autoptr (RsimScenario) sc = load_flink ("1.20", "\"state.backend.rocksdb.localdir\": \"/tmp\","
                                            " \"jobmanager.scheduler\": \"adaptive\","
                                            " \"scheduler-mode\": \"reactive\"");
  /* A real Flink key rescalesim does not model: one note listing it. The
   * scheduler keys select the scheduler (reactive mode), tested in
   * test-flinkconf-yaml.c. */
  cr_expect (has_warning (sc, "inline.json: flink.config: Flink 1.20 keys that rescalesim "
                          "does not model, ignored: state.backend.rocksdb.localdir"));
  cr_expect_eq (sc->warnings->len, 1);
  cr_expect_eq (sc->config.scheduler, RSIM_SCHEDULER_REACTIVE);
}

/* ----------------------------------------------------------------- loader */

Test (loader, job_defaults)
{
  const char *text =
    "{\"name\": \"j\", \"duration\": \"1 h\","
    " \"flink\": {\"version\": \"1.20\", \"config\": {\"parallelism.default\": 3,"
    "   \"pipeline.max-parallelism\": 64}},"
    " \"cluster\": {\"taskmanagers\": 2},"
    " \"job\": {\"vertices\": [{\"name\": \"a\", \"capacity\": \"1k rec/s\"},"
    "   {\"name\": \"b\", \"parallelism\": 6, \"capacity\": 500, \"state\": \"1 GB\"},"
    "   {\"name\": \"c\", \"parallelism\": 6, \"max_parallelism\": 12,"
    "    \"slot_sharing_group\": \"sink\", \"capacity\": 500}],"
    "  \"edges\": [{\"from\": \"a\", \"to\": \"b\"}, {\"from\": \"b\", \"to\": \"c\"}]},"
    " \"workload\": {\"rate\": \"1k rec/s\"}}";
  GError *error = NULL;
  g_autoptr (RsimScenario) sc = load_text (text, &error);
  cr_assert_not_null (sc, "%s", error ? error->message : "");
  const RsimJobSpec *job = &sc->config.job;
  cr_expect_eq (job->n_vertices, 3);
  cr_expect_eq (job->vertices[0].parallelism, 3);
  cr_expect_eq (job->vertices[0].max_parallelism, 64);
  cr_expect_str_eq (job->vertices[0].slot_sharing_group, "default");
  cr_expect_eq (job->vertices[2].max_parallelism, 12);
  cr_expect_str_eq (job->vertices[2].slot_sharing_group, "sink");
  cr_expect_float_eq (job->vertices[1].state_bytes, 1073741824.0, 1e-3);
  cr_expect_eq (job->edges[0].ship, RSIM_SHIP_REBALANCE);   /* 3 -> 6 */
  cr_expect_eq (job->edges[1].ship, RSIM_SHIP_FORWARD);     /* 6 -> 6 */
  cr_expect_eq (sc->config.seed, 1);
  /* No output.sample_interval: the lean time series. */
  cr_expect_eq (sc->config.sample_interval, 0);
  cr_expect_str_eq (sc->description, "");
  cr_expect_eq (sc->n_schedulers, 3);
  cr_expect_eq (sc->config.duration, RSIM_HOUR);
}

Test (loader, schedulers_default_per_version)
{
  g_autoptr (RsimScenario) old = load_flink ("1.12", "");
  cr_expect_eq (old->n_schedulers, 1);
  cr_expect_eq (old->schedulers[0], RSIM_SCHEDULER_DEFAULT);
  g_autoptr (RsimScenario) now = load_flink ("1.13", "");
  cr_expect_eq (now->n_schedulers, 3);
  cr_expect_eq (now->schedulers[2], RSIM_SCHEDULER_REACTIVE);
}

Test (loader, timeline_sorted_stably)
{
  g_autofree char *path = source_path ("tests/data/valid/all-actions.json");
  GError *error = NULL;
  g_autoptr (RsimScenario) sc = rsim_scenario_load_file (path, &error);
  cr_assert_not_null (sc, "%s", error ? error->message : "");
  const RsimSimConfig *c = &sc->config;
  for (guint i = 1; i < c->n_timeline; i++)
    cr_expect_leq (c->timeline[i - 1].at, c->timeline[i].at);
  /* Two actions at 1 min keep their document order. */
  cr_expect_eq (c->timeline[0].kind, RSIM_ACTION_ADD_TASKMANAGERS);
  cr_expect_eq (c->timeline[1].kind, RSIM_ACTION_SET_RATE);
  cr_expect_eq (c->scheduler, RSIM_SCHEDULER_ADAPTIVE);
  cr_expect_eq (c->seed, 7);
  cr_expect_eq (c->sample_interval, 500 * RSIM_MSEC);

  for (guint i = 0; i < c->n_timeline; i++) {
    const RsimAction *a = &c->timeline[i];
    switch (a->kind) {
    case RSIM_ACTION_KILL_TASKMANAGERS:
      cr_expect_eq (a->n_taskmanager_ids, 2);
      cr_expect_eq (a->taskmanager_ids[1], 2);
      cr_expect_eq (a->count, 2);
      cr_expect_eq (a->kill_rpc, RSIM_KILL_RPC_REFUSED);
      break;
    case RSIM_ACTION_FAIL_TASK:
      cr_expect_eq (a->vertex, 2);
      cr_expect_eq (a->subtask, 5);
      break;
    case RSIM_ACTION_FAIL_CHECKPOINTS:
      cr_expect_eq (a->count, 2);
      cr_expect_eq (a->checkpoint_target, RSIM_CHECKPOINT_TARGET_CHECKPOINT);
      break;
    case RSIM_ACTION_SCALE:
      cr_expect_eq (a->n_parallelism, 3);
      cr_expect_eq (a->parallelism[0], 8);
      cr_expect_eq (a->parallelism[2], 8);
      break;
    case RSIM_ACTION_FLINK_MODIFY:
      cr_expect_eq (a->parallelism[0], 2);
      cr_expect_eq (a->parallelism[2], -1);
      break;
    case RSIM_ACTION_STOP_WITH_SAVEPOINT:
      if (a->at == 10 * RSIM_MIN) {
        cr_expect_eq (a->parallelism[0], -1);
        cr_expect_eq (a->parallelism[2], 12);
      } else if (a->at == 20 * RSIM_MIN) {
        cr_expect_not_null (a->parallelism);   /* resubmit unchanged */
        cr_expect_eq (a->parallelism[1], -1);
      } else {
        cr_expect_null (a->parallelism);       /* stop for good */
      }
      break;
    case RSIM_ACTION_SET_RATE:
      if (a->rate.kind == RSIM_RATE_STEPS) {
        cr_expect_eq (a->rate.n_points, 2);
        cr_expect_eq (a->rate.points[1].at, 20 * RSIM_MIN);
      } else {
        cr_expect_float_eq (a->rate.value, 6500, 1e-9);
      }
      break;
    default:
      break;
    }
  }
}

Test (loader, rate_profiles)
{
  g_autofree char *trace = source_path ("tests/data/valid/rate-trace.json");
  g_autoptr (RsimScenario) t = rsim_scenario_load_file (trace, NULL);
  cr_assert_not_null (t);
  const RsimRateSpec *r = &t->config.workload.rate;
  cr_expect_eq (r->kind, RSIM_RATE_TRACE);
  cr_expect_eq (r->n_points, 4);
  cr_expect_eq (r->points[1].at, 300 * RSIM_SEC);
  cr_expect_float_eq (r->points[3].rate, 4200.5, 1e-9);

  g_autofree char *sine = source_path ("tests/data/valid/rate-sine.json");
  g_autoptr (RsimScenario) s = rsim_scenario_load_file (sine, NULL);
  cr_assert_not_null (s);
  r = &s->config.workload.rate;
  cr_expect_eq (r->kind, RSIM_RATE_SINE);
  cr_expect_float_eq (r->mean, 3000, 1e-9);
  cr_expect_float_eq (r->amplitude, 1500, 1e-9);
  cr_expect_eq (r->period, RSIM_HOUR);
  cr_expect_eq (r->phase, 15 * RSIM_MIN);
}

Test (loader, costs)
{
  g_autofree char *path = source_path ("tests/data/valid/costs-distributions.json");
  g_autoptr (RsimScenario) sc = rsim_scenario_load_file (path, NULL);
  cr_assert_not_null (sc);
  const RsimCosts *c = &sc->config.costs;
  cr_expect_eq (c->deploy_fixed.kind, RSIM_DIST_CONSTANT);
  cr_expect_float_eq (c->deploy_fixed.a, 40e3, 1e-9);
  cr_expect_float_eq (c->deploy_per_task.a, 1.2e3, 1e-9);     /* bare number: ms */
  cr_expect_float_eq (c->graph_build_per_task.a, 570.0, 1e-9); /* 1.13 default */
  cr_expect_eq (c->taskmanager_startup.kind, RSIM_DIST_UNIFORM);
  cr_expect_float_eq (c->taskmanager_startup.b, 30e6, 1e-9);
  cr_expect_eq (c->cancel_task.kind, RSIM_DIST_LOGNORMAL);
  cr_expect_float_eq (c->cancel_task.b, 0.5, 1e-12);
  cr_expect_float_eq (c->state_download_bandwidth.a, 50.0 * 1048576.0, 1e-6);
  cr_expect_float_eq (c->savepoint_upload_bandwidth.a, 512.0 * 1048576.0, 1e-6);

  /* Untouched costs keep the version's defaults. */
  g_autoptr (RsimScenario) v114 = load_flink ("1.14", "");
  RsimCosts defaults;
  rsim_costs_init_defaults (&defaults, (RsimFlinkVersion) { 1, 14, -1 });
  cr_expect_float_eq (v114->config.costs.deploy_per_task.a, defaults.deploy_per_task.a,
                      1e-12);
  cr_expect_float_eq (v114->config.costs.deploy_per_task.a, 860.0, 1e-9);
}

Test (loader, io_error)
{
  GError *error = NULL;
  RsimScenario *sc = rsim_scenario_load_file ("/nonexistent/x.json", &error);
  cr_assert_null (sc);
  cr_expect (g_error_matches (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_IO));
  cr_expect (strstr (error->message, "/nonexistent/x.json") != NULL);
  g_error_free (error);
}

/* ------------------------------------------------------------ controllers */

/* The one-vertex scenario of load_flink (Flink 1.20) with `controllers` as
 * the body of the controllers block and `timeline` (may be "") as the body
 * of the timeline. */
static char *
controllers_text (const char *controllers, const char *timeline)
{
  return g_strdup_printf (
    "{\"name\": \"t\", \"duration\": \"1 h\","
    " \"flink\": {\"version\": \"1.20\"},"
    " \"cluster\": {\"taskmanagers\": 1},"
    " \"job\": {\"vertices\": [{\"name\": \"v\", \"capacity\": 100}]},"
    " \"workload\": {\"rate\": 10},"
    " \"controllers\": {%s}, \"timeline\": [%s]}", controllers, timeline);
}

static RsimScenario *
load_controllers (const char *controllers, const char *timeline)
{
  g_autofree char *text = controllers_text (controllers, timeline);
  GError *error = NULL;
  RsimScenario *sc = load_text (text, &error);
  cr_assert_not_null (sc, "%s", error ? error->message : "?");
  return sc;
}

static char *
controllers_error (const char *controllers, const char *timeline)
{
  g_autofree char *text = controllers_text (controllers, timeline);
  return load_error (text);
}

Test (controllers, absent_block_all_off)
{
  g_autoptr (RsimScenario) sc = load_flink ("1.20", "");
  const RsimControllersSpec *c = &sc->config.controllers;
  cr_expect_not (c->autoscaler.enabled);
  cr_expect_not (c->replicas.enabled);
  cr_expect_not (c->ververica.enabled);
  g_autofree char *json = rsim_scenario_config_to_json (sc, NULL);
  cr_expect (strstr (json, "controllers") == NULL, "%s", json);
  /* An empty block turns nothing on either. */
  g_autoptr (RsimScenario) empty = load_controllers ("", "");
  cr_expect_not (empty->config.controllers.autoscaler.enabled);
}

Test (controllers, autoscaler_defaults_per_operator_version)
{
  g_autoptr (RsimScenario) v14 = load_controllers (
    "\"autoscaler\": {\"operator_version\": \"1.4\"}", "");
  const RsimAutoscalerSpec *a = &v14->config.controllers.autoscaler;
  cr_expect (a->enabled);
  cr_expect_eq (a->operator_minor, 4);
  cr_expect_eq (a->interval, 60 * RSIM_SEC);
  cr_expect_eq (a->stabilization, 5 * RSIM_MIN);
  cr_expect_eq (a->metrics_window, 5 * RSIM_MIN);
  cr_expect_eq (a->catch_up, 10 * RSIM_MIN);
  cr_expect_float_eq (a->utilization_boundary, 0.1, 1e-12);
  cr_expect_float_eq (a->utilization_min, 0.6, 1e-12);
  cr_expect_float_eq (a->utilization_max, 0.8, 1e-12);
  cr_expect_eq (a->scale_up_grace_period, 10 * RSIM_MIN);
  cr_expect_eq (a->scale_down_interval, 0);
  cr_expect_eq (a->vertex_max_parallelism, G_MAXINT);
  cr_expect_eq (a->inplace_scaling, 0);
  cr_expect_eq (a->upgrade_mode, RSIM_UPGRADE_MODE_SAVEPOINT);

  g_autoptr (RsimScenario) v110 = load_controllers (
    "\"autoscaler\": {\"operator_version\": \"1.10\"}", "");
  a = &v110->config.controllers.autoscaler;
  cr_expect_eq (a->operator_minor, 10);
  cr_expect_eq (a->metrics_window, 15 * RSIM_MIN);
  cr_expect_eq (a->catch_up, 30 * RSIM_MIN);
  cr_expect_float_eq (a->target_utilization, 0.7, 1e-12);
  cr_expect_float_eq (a->utilization_boundary, 0.3, 1e-12);
  cr_expect_float_eq (a->utilization_min, 0.4, 1e-12);
  cr_expect_float_eq (a->utilization_max, 1.0, 1e-12);
  cr_expect_eq (a->scale_down_interval, RSIM_HOUR);
  cr_expect_eq (a->scale_up_grace_period, 0);
  cr_expect_eq (a->vertex_min_parallelism, 1);
  cr_expect_eq (a->vertex_max_parallelism, 200);
  cr_expect_eq (a->restart_time, 5 * RSIM_MIN);
  cr_expect_eq (a->backlog_threshold, 5 * RSIM_MIN);
  cr_expect_float_eq (a->scale_up_max_factor, 100000.0, 1e-9);
  cr_expect_float_eq (a->scale_down_max_factor, 0.6, 1e-12);
  cr_expect_eq (a->inplace_scaling, 1);
  cr_expect_eq (a->source_partitions, 0);

  /* No version: the default release (1.10). */
  g_autoptr (RsimScenario) none = load_controllers ("\"autoscaler\": {}", "");
  cr_expect_eq (none->config.controllers.autoscaler.operator_minor,
                RSIM_OPERATOR_DEFAULT_MINOR);
  cr_expect_eq (none->config.controllers.autoscaler.metrics_window,
                15 * RSIM_MIN);
}

Test (controllers, autoscaler_explicit_values_override)
{
  g_autoptr (RsimScenario) sc = load_controllers (
    "\"autoscaler\": {\"operator_version\": \"1.5\", \"upgrade_mode\": "
    "\"stateless\", \"source_partitions\": 12, \"config\": {"
    "\"kubernetes.operator.reconcile.interval\": \"15 s\","
    " \"job.autoscaler.stabilization.interval\": 60000,"
    " \"job.autoscaler.metrics.window\": \"20 min\","
    " \"job.autoscaler.utilization.target\": \"0.5\","
    " \"job.autoscaler.target.utilization.boundary\": 0.2,"
    " \"job.autoscaler.catch-up.duration\": \"1 h\","
    " \"job.autoscaler.restart.time\": \"2min\","
    " \"job.autoscaler.backlog-processing.lag-threshold\": \"30 s\","
    " \"job.autoscaler.scale-up.max-factor\": 2,"
    " \"job.autoscaler.scale-down.max-factor\": 0.25,"
    " \"job.autoscaler.vertex.min-parallelism\": 2,"
    " \"job.autoscaler.vertex.max-parallelism\": \"64\","
    " \"job.autoscaler.scale-down.interval\": \"30 min\","
    " \"job.autoscaler.scale-up.grace-period\": \"0 s\","
    " \"kubernetes.operator.job.upgrade.inplace-scaling.enabled\": true}}", "");
  const RsimAutoscalerSpec *a = &sc->config.controllers.autoscaler;
  cr_expect_eq (a->operator_minor, 5);
  cr_expect_eq (a->upgrade_mode, RSIM_UPGRADE_MODE_STATELESS);
  cr_expect_eq (a->source_partitions, 12);
  cr_expect_eq (a->interval, 15 * RSIM_SEC);
  cr_expect_eq (a->stabilization, RSIM_MIN);
  cr_expect_eq (a->metrics_window, 20 * RSIM_MIN);
  cr_expect_float_eq (a->target_utilization, 0.5, 1e-12);
  cr_expect_float_eq (a->utilization_boundary, 0.2, 1e-12);
  cr_expect_float_eq (a->utilization_min, 0.3, 1e-12);
  cr_expect_float_eq (a->utilization_max, 0.7, 1e-12);
  cr_expect_eq (a->catch_up, RSIM_HOUR);
  cr_expect_eq (a->restart_time, 2 * RSIM_MIN);
  cr_expect_eq (a->backlog_threshold, 30 * RSIM_SEC);
  cr_expect_float_eq (a->scale_up_max_factor, 2.0, 1e-12);
  cr_expect_float_eq (a->scale_down_max_factor, 0.25, 1e-12);
  cr_expect_eq (a->vertex_min_parallelism, 2);
  cr_expect_eq (a->vertex_max_parallelism, 64);
  cr_expect_eq (a->scale_down_interval, 30 * RSIM_MIN);
  cr_expect_eq (a->scale_up_grace_period, 0);
  cr_expect_eq (a->inplace_scaling, 1);

  /* Explicit min and max replace target -/+ boundary. */
  g_autoptr (RsimScenario) band = load_controllers (
    "\"autoscaler\": {\"config\": {\"job.autoscaler.utilization.min\": 0.5,"
    " \"job.autoscaler.utilization.max\": \"0.9\"}}", "");
  a = &band->config.controllers.autoscaler;
  cr_expect_float_eq (a->utilization_min, 0.5, 1e-12);
  cr_expect_float_eq (a->utilization_max, 0.9, 1e-12);
}

Test (controllers, replicas_defaults)
{
  g_autoptr (RsimScenario) sc = load_controllers (
    "\"replicas\": {\"metric\": \"utilization\", \"scale_up_above\": 0.8,"
    " \"scale_down_below\": 0.3}", "");
  const RsimReplicaSpec *r = &sc->config.controllers.replicas;
  cr_expect (r->enabled);
  cr_expect_not (sc->config.controllers.autoscaler.enabled);
  cr_expect_eq (r->metric, RSIM_REPLICA_METRIC_UTILIZATION);
  cr_expect_float_eq (r->scale_up_above, 0.8, 1e-12);
  cr_expect_float_eq (r->scale_down_below, 0.3, 1e-12);
  cr_expect_eq (r->interval, 15 * RSIM_SEC);
  cr_expect_eq (r->scale_up_stabilization, 0);
  cr_expect_eq (r->scale_down_stabilization, 5 * RSIM_MIN);
  cr_expect_eq (r->min_taskmanagers, 1);
  cr_expect_eq (r->max_taskmanagers, 10);
  cr_expect_eq (r->step, 1);
  cr_expect_eq (r->removal, RSIM_REPLICA_REMOVAL_KILL);

  g_autoptr (RsimScenario) set = load_controllers (
    "\"replicas\": {\"metric\": \"latency\", \"scale_up_above\": 30,"
    " \"scale_down_below\": 2, \"interval\": \"1.5 s\", \"scale_up_stabilization\":"
    " \"1 min\", \"scale_down_stabilization\": 0, \"min_taskmanagers\": 2,"
    " \"max_taskmanagers\": 4, \"step\": 2, \"remove\": \"stop\"}", "");
  r = &set->config.controllers.replicas;
  cr_expect_eq (r->metric, RSIM_REPLICA_METRIC_LATENCY);
  cr_expect_eq (r->interval, 1500 * RSIM_MSEC);
  cr_expect_eq (r->scale_up_stabilization, RSIM_MIN);
  cr_expect_eq (r->scale_down_stabilization, 0);
  cr_expect_eq (r->min_taskmanagers, 2);
  cr_expect_eq (r->max_taskmanagers, 4);
  cr_expect_eq (r->step, 2);
  cr_expect_eq (r->removal, RSIM_REPLICA_REMOVAL_STOP);
}

Test (controllers, ververica_and_update_deployment)
{
  g_autoptr (RsimScenario) sc = load_controllers (
    "\"ververica\": {}",
    "{\"at\": \"10 min\", \"action\": \"update_deployment\", \"parallelism\": 3},"
    " {\"at\": \"20 min\", \"action\": \"update_deployment\","
    " \"parallelism\": {\"v\": 5}}");
  const RsimVervericaSpec *v = &sc->config.controllers.ververica;
  cr_expect (v->enabled);
  cr_expect_eq (v->upgrade, RSIM_VVP_UPGRADE_STATEFUL);
  cr_expect_eq (v->restore, RSIM_VVP_RESTORE_LATEST_STATE);
  cr_expect_eq (v->savepoint_retries, 2);
  cr_assert_eq (sc->config.n_timeline, 2);
  const RsimAction *a = &sc->config.timeline[0];
  cr_expect_eq (a->kind, RSIM_ACTION_UPDATE_DEPLOYMENT);
  cr_assert_eq (a->n_parallelism, 1);
  cr_expect_eq (a->parallelism[0], 3);
  cr_expect_eq (sc->config.timeline[1].parallelism[0], 5);

  g_autoptr (RsimScenario) set = load_controllers (
    "\"ververica\": {\"upgrade_strategy\": \"STATELESS\", \"restore_strategy\":"
    " \"NONE\", \"savepoint_retries\": 0}", "");
  v = &set->config.controllers.ververica;
  cr_expect_eq (v->upgrade, RSIM_VVP_UPGRADE_STATELESS);
  cr_expect_eq (v->restore, RSIM_VVP_RESTORE_NONE);
  cr_expect_eq (v->savepoint_retries, 0);

  /* The same checks as scale: at most the vertex's max parallelism. */
  g_autofree char *big = controllers_error (
    "\"ververica\": {}",
    "{\"at\": \"10 min\", \"action\": \"update_deployment\", \"parallelism\": 200}");
  cr_expect (strstr (big, "inline.json: timeline[0].parallelism: expected an "
                     "integer from 1 to 128") != NULL, "%s", big);
  g_autofree char *missing = controllers_error (
    "\"ververica\": {}", "{\"at\": \"10 min\", \"action\": \"update_deployment\"}");
  cr_expect (strstr (missing, "timeline[0].parallelism: expected") != NULL
             && strstr (missing, "got nothing") != NULL, "%s", missing);
  g_autofree char *without = controllers_error (
    "", "{\"at\": \"10 min\", \"action\": \"update_deployment\", \"parallelism\": 2}");
  cr_expect (strstr (without, "inline.json: timeline[0].action: "
                     "update_deployment needs a \"controllers.ververica\" "
                     "block") != NULL, "%s", without);
}

Test (controllers, value_errors)
{
  static const struct { const char *block; const char *want; } cases[] = {
    { "\"autoscaler\": {\"config\": {\"job.autoscaler.metrics.window\": \"1.5 min\"}}",
      "controllers.autoscaler.config.\"job.autoscaler.metrics.window\": "
      "expected a duration such as \"60 s\"" },
    { "\"autoscaler\": {\"config\": {\"job.autoscaler.metrics.window\": \"0 s\"}}",
      "controllers.autoscaler.config.\"job.autoscaler.metrics.window\": "
      "expected a duration greater than 0 ms, got \"0 s\"" },
    { "\"autoscaler\": {\"config\": {\"kubernetes.operator.reconcile.interval\": \"400 d\"}}",
      "expected a duration of at most 365 d, got \"400 d\"" },
    { "\"autoscaler\": {\"config\": {\"job.autoscaler.utilization.target\": 0}}",
      "\"job.autoscaler.utilization.target\": expected a number greater than 0 "
      "and at most 1, got 0" },
    { "\"autoscaler\": {\"config\": {\"job.autoscaler.scale-down.max-factor\": \"x\"}}",
      "expected a number from 0 to 1, got \"x\"" },
    { "\"autoscaler\": {\"config\": {\"job.autoscaler.vertex.max-parallelism\": 0}}",
      "\"job.autoscaler.vertex.max-parallelism\": expected a positive integer, got 0" },
    { "\"autoscaler\": {\"config\": {\"kubernetes.operator.job.upgrade.inplace-scaling.enabled\": 1}}",
      "expected true or false, got 1" },
    { "\"autoscaler\": {\"config\": {\"job.autoscaler.vertex.min-parallelism\": 10,"
      " \"job.autoscaler.vertex.max-parallelism\": 5}}",
      "inline.json: controllers.autoscaler: vertex.min-parallelism (10) is above "
      "vertex.max-parallelism (5)" },
    { "\"autoscaler\": {\"operator_version\": 1.1}",
      "controllers.autoscaler.operator_version: expected a Kubernetes operator "
      "version from 1.4 to 1.15" },
    { "\"autoscaler\": {\"operator_version\": \"1.16\"}", "got \"1.16\"" },
    { "\"autoscaler\": {\"source_partitions\": -1}",
      "controllers.autoscaler.source_partitions: expected a non-negative integer, got -1" },
    { "\"autoscaler\": {\"enabled\": true}",
      "controllers.autoscaler: unknown key \"enabled\"; expected one of: "
      "operator_version, upgrade_mode, source_partitions, config" },
    { "\"replicas\": {\"metric\": \"lag\", \"scale_up_above\": 10}",
      "controllers.replicas.scale_down_below: expected a number of at least 0, got nothing" },
    { "\"replicas\": {\"metric\": \"lag\", \"scale_up_above\": 10, \"scale_down_below\": -1}",
      "controllers.replicas.scale_down_below: expected a number of at least 0, got -1" },
    { "\"replicas\": {\"metric\": \"lag\", \"scale_up_above\": 10, \"scale_down_below\": 1,"
      " \"min_taskmanagers\": 5, \"max_taskmanagers\": 3}",
      "controllers.replicas: expected 1 <= min_taskmanagers <= max_taskmanagers, got 5 and 3" },
    { "\"replicas\": {\"metric\": \"lag\", \"scale_up_above\": 10, \"scale_down_below\": 1,"
      " \"step\": 0}",
      "controllers.replicas.step: expected an integer from 1 to 100000, got 0" },
    { "\"replicas\": {\"metric\": \"lag\", \"scale_up_above\": 10, \"scale_down_below\": 1,"
      " \"remove\": \"drain\"}",
      "controllers.replicas.remove: expected one of: kill, stop, got \"drain\"" },
    { "\"ververica\": {\"upgrade_strategy\": \"stateful\"}",
      "controllers.ververica.upgrade_strategy: expected one of: STATEFUL, "
      "STATELESS, NONE, got \"stateful\"" },
    { "\"ververica\": {\"savepoint_retries\": -1}",
      "controllers.ververica.savepoint_retries: expected an integer from 0 to 100000, got -1" },
    { "\"kubernetes\": {}",
      "inline.json: controllers: unknown key \"kubernetes\"; expected one of: "
      "autoscaler, replicas, hpa, ververica" },
    { "\"hpa\": {\"max_replicas\": 4}",
      "controllers.hpa.target: expected a number greater than 0, got nothing" },
    { "\"hpa\": {\"target\": 60, \"max_replicas\": 4}",
      "controllers.hpa.target: expected a CPU utilization such as 0.7, got 60" },
    { "\"hpa\": {\"target\": 0.6, \"max_replicas\": 4, \"behavior\": "
      "{\"scale_up\": {\"policies\": [{\"type\": \"pods\", \"value\": 1, "
      "\"period\": \"15 s\"}]}}}",
      "controllers.hpa.behavior.scale_up.policies[0].type: expected one of: "
      "Pods, Percent, got \"pods\"" },
    { "\"hpa\": {\"target\": 0.6, \"min_replicas\": 5, \"max_replicas\": 4}",
      "controllers.hpa: expected 1 <= min_replicas <= max_replicas, got 5 and 4" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *msg = controllers_error (cases[i].block, "");
    cr_expect (strstr (msg, cases[i].want) != NULL, "%s\n  got:  %s\n  want: %s",
               cases[i].block, msg, cases[i].want);
  }
  g_autofree char *notobj = load_error (
    "{\"name\": \"t\", \"duration\": \"1 h\", \"flink\": {\"version\": \"1.20\"},"
    " \"cluster\": {\"taskmanagers\": 1}, \"job\": {\"vertices\": [{\"name\":"
    " \"v\", \"capacity\": 100}]}, \"workload\": {\"rate\": 10},"
    " \"controllers\": [\"autoscaler\"]}");
  cr_expect (strstr (notobj, "inline.json: controllers: expected an object, got "
                     "an array") != NULL, "%s", notobj);
}

Test (controllers, resolved_json)
{
  g_autoptr (RsimScenario) as = load_controllers (
    "\"autoscaler\": {\"operator_version\": \"1.4\", \"config\": "
    "{\"job.autoscaler.restart.time\": \"90 s\"}}", "");
  g_autofree char *ja = rsim_scenario_config_to_json (as, NULL);
  static const char *const needles[] = {
    "\"controllers\":\t{", "\"autoscaler\":\t{", "\"operator_version\":\t\"1.4\"",
    "\"upgrade_mode\":\t\"savepoint\"", "\"source_partitions\":\t0",
    "\"kubernetes.operator.reconcile.interval\":\t\"1 min\"",
    "\"job.autoscaler.metrics.window\":\t\"5 min\"",
    "\"job.autoscaler.catch-up.duration\":\t\"10 min\"",
    "\"job.autoscaler.restart.time\":\t\"90 s\"",
    "\"job.autoscaler.target.utilization.boundary\":\t0.1",
    "\"job.autoscaler.scale-down.interval\":\t\"0 ms\"",
    "\"job.autoscaler.vertex.max-parallelism\":\t2147483647",
    "\"kubernetes.operator.job.upgrade.inplace-scaling.enabled\":\tfalse",
  };
  for (guint i = 0; i < G_N_ELEMENTS (needles); i++)
    cr_expect (strstr (ja, needles[i]) != NULL, "missing %s in\n%s", needles[i], ja);
  /* Every key of the table that operator 1.4 has, and only the enabled
   * controller. */
  for (guint i = 0; i < rsim__n_autoscaler_keys; i++) {
    const char *name = rsim__autoscaler_keys[i].name;
    g_autofree char *key = g_strdup_printf ("\"%s\":", name);
    gboolean absent = g_str_equal (name, "job.autoscaler.backlog-processing.lag-threshold")
      || g_str_equal (name, "job.autoscaler.scale-up.max-factor");
    cr_expect ((strstr (ja, key) == NULL) == absent, "%s %s", name,
               absent ? "not in operator 1.4" : "missing");
  }
  cr_expect (strstr (ja, "\"replicas\"") == NULL);
  cr_expect (strstr (ja, "\"ververica\"") == NULL);
  cJSON *parsed = cJSON_Parse (ja);
  cr_expect_not_null (parsed);
  cJSON_Delete (parsed);

  g_autoptr (RsimScenario) rs = load_controllers (
    "\"replicas\": {\"metric\": \"lag\", \"scale_up_above\": 50000,"
    " \"scale_down_below\": 5000}", "");
  g_autofree char *jr = rsim_scenario_config_to_json (rs, NULL);
  static const char *const rneedles[] = {
    "\"metric\":\t\"lag\"", "\"scale_up_above\":\t50000",
    "\"scale_down_below\":\t5000", "\"interval\":\t\"15 s\"",
    "\"scale_up_stabilization\":\t\"0 ms\"",
    "\"scale_down_stabilization\":\t\"5 min\"", "\"min_taskmanagers\":\t1",
    "\"max_taskmanagers\":\t10", "\"step\":\t1", "\"remove\":\t\"kill\"",
  };
  for (guint i = 0; i < G_N_ELEMENTS (rneedles); i++)
    cr_expect (strstr (jr, rneedles[i]) != NULL, "missing %s in\n%s", rneedles[i], jr);
  cr_expect (strstr (jr, "\"autoscaler\"") == NULL);

  g_autoptr (RsimScenario) vs = load_controllers (
    "\"ververica\": {\"restore_strategy\": \"LATEST_SAVEPOINT\"}",
    "{\"at\": \"10 min\", \"action\": \"update_deployment\", \"parallelism\": 2}");
  g_autofree char *jv = rsim_scenario_config_to_json (vs, NULL);
  static const char *const vneedles[] = {
    "\"upgrade_strategy\":\t\"STATEFUL\"",
    "\"restore_strategy\":\t\"LATEST_SAVEPOINT\"", "\"savepoint_retries\":\t2",
    "\"action\":\t\"update_deployment\"",
  };
  for (guint i = 0; i < G_N_ELEMENTS (vneedles); i++)
    cr_expect (strstr (jv, vneedles[i]) != NULL, "missing %s in\n%s", vneedles[i], jv);
  cr_expect (strstr (jv, "\"parallelism\":\t{\n\t\t\t\t\"v\":\t2") != NULL, "%s", jv);
}

/* ------------------------------------------------- hostile input (#13) */

/* A scenario with `extra` (may be "") spliced in as further top-level
 * members after the workload. */
static char *
scenario_with (const char *extra)
{
  return g_strdup_printf (
    "{\"name\": \"t\", \"duration\": \"30 min\","
    " \"flink\": {\"version\": \"1.20\"},"
    " \"cluster\": {\"taskmanagers\": 2},"
    " \"job\": {\"vertices\": [{\"name\": \"v\", \"capacity\": 100}]},"
    " \"workload\": {\"rate\": 10}%s%s}", *extra ? ", " : "", extra);
}

/* A string of n bytes: 'k' then 'x's (a valid key and vertex name). */
static char *
long_text (gsize n)
{
  char *t = g_malloc (n + 1);
  memset (t, 'x', n);
  t[0] = 'k';
  t[n] = '\0';
  return t;
}

Test (hostile, ten_megabyte_key_is_shortened_in_messages)
{
  const gsize n = 10 * 1024 * 1024;
  g_autofree char *key = long_text (n);
  /* Unknown keys at the top level, in a block, among Flink-free blocks with
   * their own "one of" lists, and as a quoted path element. */
  static const char *const shapes[] = {
    "\"%s\": 1",
    "\"output\": {\"%s\": 1}",
    "\"costs\": {\"%s\": 1}",
    "\"controllers\": {\"autoscaler\": {\"config\": {\"%s\": 1}}}",
    "\"limits\": {\"%s\": 1}",
  };
  g_autofree char *shown = g_strdup_printf ("%.64s... (%" G_GSIZE_FORMAT
                                            " bytes)", key, n);
  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++) {
    g_autofree char *member = g_strdup_printf (shapes[i], key);
    g_autofree char *text = scenario_with (member);
    g_autofree char *msg = load_error (text);
    cr_expect_lt (strlen (msg), 1024, "shape %u: %zu bytes", i, strlen (msg));
    cr_expect (strstr (msg, shown) != NULL, "shape %u: %s", i, msg);
  }
}

Test (hostile, ten_megabyte_vertex_name_is_shortened_in_messages)
{
  const gsize n = 10 * 1024 * 1024;
  g_autofree char *name = long_text (n);
  g_autofree char *shown = g_strdup_printf ("%.64s... (%" G_GSIZE_FORMAT
                                            " bytes)", name, n);
  /* The job has a vertex with that name; a scale action names an unknown
   * vertex, so the message lists the job's vertices. */
  g_autofree char *text = g_strdup_printf (
    "{\"name\": \"t\", \"duration\": \"30 min\","
    " \"flink\": {\"version\": \"1.20\"},"
    " \"cluster\": {\"taskmanagers\": 2},"
    " \"job\": {\"vertices\": [{\"name\": \"%s\", \"capacity\": 100}]},"
    " \"workload\": {\"rate\": 10},"
    " \"timeline\": [{\"at\": \"1 min\", \"action\": \"scale\","
    " \"parallelism\": {\"%s\": 2}}]}", name, "nope");
  g_autofree char *msg = load_error (text);
  cr_expect_lt (strlen (msg), 1024, "%zu bytes", strlen (msg));
  cr_expect (strstr (msg, shown) != NULL, "%s", msg);
  cr_expect (strstr (msg, "unknown vertex \"nope\"") != NULL, "%s", msg);
}

Test (hostile, sub_microsecond_durations_are_errors)
{
  /* Project durations: "500 ns" was rounded up to 1 us. */
  g_autofree char *a = scenario_with ("\"output\": {\"sample_interval\": "
                                      "\"500 ns\"}");
  g_autofree char *ma = load_error (a);
  cr_expect (strstr (ma, "output.sample_interval: expected a duration of "
                     "at least 1 us") != NULL, "%s", ma);
  /* 0.0005 ms as a bare number too. */
  g_autofree char *b = scenario_with ("\"timeline\": [{\"at\": 0.0005, "
                                      "\"action\": \"kill_taskmanagers\", "
                                      "\"count\": 1}]");
  g_autofree char *mb = load_error (b);
  cr_expect (strstr (mb, "timeline[0].at: expected 0 or a duration of at "
                     "least 1 us") != NULL, "%s", mb);
  /* Flink durations: "999 ns" was cut to 0. 1000 ns and 0 ns are fine. */
  g_autofree char *c = scenario_with ("\"controllers\": {\"autoscaler\": "
                                      "{\"config\": {\"job.autoscaler."
                                      "restart.time\": \"999 ns\"}}}");
  g_autofree char *mc = load_error (c);
  cr_expect (strstr (mc, "\"job.autoscaler.restart.time\": expected 0 or a "
                     "duration of at least 1 us") != NULL, "%s", mc);
  RsimScenario *ok = load_controllers (
    "\"autoscaler\": {\"config\": {\"job.autoscaler.restart.time\": "
    "\"1000 ns\", \"job.autoscaler.scale-down.interval\": \"0 ns\"}}", "");
  cr_expect_eq (ok->config.controllers.autoscaler.restart_time, 1);
  cr_expect_eq (ok->config.controllers.autoscaler.scale_down_interval, 0);
  rsim_scenario_free (ok);
}

Test (hostile, huge_json_numbers_are_range_checked_first)
{
  /* 1e19 ms converted to an integer before the check was undefined
   * behaviour (UBSan: float-cast-overflow); -1e19 and 1e308 likewise. */
  static const char *const values[] = { "1e19", "-1e19", "1e308", "9e12" };
  for (guint i = 0; i < G_N_ELEMENTS (values); i++) {
    g_autofree char *config = g_strdup_printf ("\"heartbeat.interval\": %s",
                                               values[i]);
    g_autofree char *text = g_strdup_printf (
      "{\"name\": \"t\", \"duration\": \"10 min\","
      " \"flink\": {\"version\": \"1.20\", \"config\": {%s}},"
      " \"cluster\": {\"taskmanagers\": 1},"
      " \"job\": {\"vertices\": [{\"name\": \"v\", \"capacity\": 100}]},"
      " \"workload\": {\"rate\": 10}}", config);
    g_autofree char *msg = load_error (text);
    cr_expect (strstr (msg, "flink.config.\"heartbeat.interval\": expected a "
                       "duration") != NULL, "%s: %s", values[i], msg);
  }
}

Test (hostile, output_rows_bound_and_its_key)
{
  /* 30 min at 1 ms is 1,800,001 rows: under the default cap of 10^7. */
  g_autofree char *a = scenario_with ("\"output\": {\"sample_interval\": "
                                      "\"1 ms\", \"max_rows\": 1800000}");
  g_autofree char *ma = load_error (a);
  cr_expect (strstr (ma, "gives 1800001 rows of time series, more than "
                     "output.max_rows (1800000)") != NULL, "%s", ma);
  g_autofree char *b = scenario_with ("\"output\": {\"sample_interval\": "
                                      "\"1 ms\", \"max_rows\": 1800001}");
  GError *error = NULL;
  RsimScenario *sc = load_text (b, &error);
  cr_expect_not_null (sc, "%s", error ? error->message : "");
  g_clear_error (&error);
  rsim_scenario_free (sc);
  /* 10 us over 30 min is 180,000,001 rows: over the default. */
  g_autofree char *c = scenario_with ("\"output\": {\"sample_interval\": "
                                      "\"10 us\"}");
  g_autofree char *mc = load_error (c);
  cr_expect (strstr (mc, "more than output.max_rows (10000000)") != NULL,
             "%s", mc);
}

Test (hostile, event_budget_stops_the_run_with_an_error)
{
  g_autofree char *text = scenario_with ("\"timeline\": [{\"at\": \"5 min\", "
                                         "\"action\": \"kill_taskmanagers\", "
                                         "\"count\": 1}]");
  GError *error = NULL;
  g_autoptr (RsimScenario) sc = load_text (text, &error);
  cr_assert_not_null (sc, "%s", error ? error->message : "");
  cr_assert_eq (sc->config.max_events, 1000000000u);   /* the default */
  RsimSimConfig cfg;
  rsim_sim_config_copy (&cfg, &sc->config);
  cfg.max_events = 0;
  RsimResult *full = rsim_simulation_run (&cfg, NULL, &error);
  cr_assert_not_null (full, "%s", error ? error->message : "");
  guint64 needed = full->events_processed;
  rsim_result_free (full);
  cr_assert_gt (needed, 100);
  /* Exactly enough events: the run completes. */
  cfg.max_events = needed;
  RsimResult *res = rsim_simulation_run (&cfg, NULL, &error);
  cr_expect_not_null (res, "%s", error ? error->message : "");
  cr_expect_eq (res ? res->events_processed : 0, needed);
  rsim_result_free (res);
  /* One fewer: no result, an error that names the key. */
  cfg.max_events = needed - 1;
  res = rsim_simulation_run (&cfg, NULL, &error);
  cr_expect_null (res);
  cr_assert (g_error_matches (error, RSIM_SIM_ERROR,
                              RSIM_SIM_ERROR_EVENT_LIMIT));
  g_autofree char *want = g_strdup_printf ("more than %" G_GUINT64_FORMAT
                                           " events (limits.max_events",
                                           needed - 1);
  cr_expect (strstr (error->message, want) != NULL, "%s", error->message);
  g_clear_error (&error);
  rsim_result_free (res);
  rsim_sim_config_clear (&cfg);
}

Test (hostile, autoscaler_window_ratio_is_bounded_at_load)
{
  /* 100000 samples per window is the most the ring keeps. */
  g_autofree char *ok = controllers_text (
    "\"autoscaler\": {\"config\": {\"kubernetes.operator.reconcile.interval\":"
    " \"9 ms\", \"job.autoscaler.metrics.window\": \"900 s\"}}", "");
  GError *error = NULL;
  RsimScenario *sc = load_text (ok, &error);
  cr_expect_not_null (sc, "%s", error ? error->message : "");
  g_clear_error (&error);
  rsim_scenario_free (sc);
  g_autofree char *over = controllers_text (
    "\"autoscaler\": {\"config\": {\"kubernetes.operator.reconcile.interval\":"
    " \"9 ms\", \"job.autoscaler.metrics.window\": \"900009 ms\"}}", "");
  g_autofree char *msg = load_error (over);
  cr_expect (strstr (msg, "controllers.autoscaler.config: job.autoscaler."
                     "metrics.window (900009 ms) / kubernetes.operator."
                     "reconcile.interval (9 ms) is 100001 samples per "
                     "window; at most 100000 are kept") != NULL, "%s", msg);
}

Test (hostile, list_sizes_are_bounded)
{
  /* 1001 vertices, 10001 timeline actions, and a 200000-key object (which
   * the duplicate check must not make quadratic). */
  GString *v = g_string_new ("{\"name\": \"t\", \"duration\": \"1 h\","
                             " \"flink\": {\"version\": \"1.20\"},"
                             " \"cluster\": {\"taskmanagers\": 1},"
                             " \"job\": {\"vertices\": [");
  for (int i = 0; i < 1001; i++)
    g_string_append_printf (v, "%s{\"name\": \"v%d\", \"capacity\": 1}",
                            i ? ", " : "", i);
  g_string_append (v, "]}, \"workload\": {\"rate\": 1}}");
  g_autofree char *mv = load_error (v->str);
  g_string_free (v, TRUE);
  cr_expect (strstr (mv, "job.vertices: expected at most 1000 vertices, got "
                     "1001") != NULL, "%s", mv);

  GString *a = g_string_new (NULL);
  for (int i = 0; i < 10001; i++)
    g_string_append_printf (a, "%s{\"at\": \"1 s\", \"action\": "
                            "\"add_taskmanagers\", \"count\": 1}",
                            i ? ", " : "");
  g_autofree char *member = g_strdup_printf ("\"timeline\": [%s]", a->str);
  g_string_free (a, TRUE);
  g_autofree char *ta = scenario_with (member);
  g_autofree char *ma = load_error (ta);
  cr_expect (strstr (ma, "timeline: expected at most 10000 actions, got "
                     "10001") != NULL, "%s", ma);

  GString *k = g_string_new ("\"flink\": {\"version\": \"1.20\", "
                             "\"config\": {");
  for (int i = 0; i < 200000; i++)
    g_string_append_printf (k, "%s\"k%d\": 1", i ? ", " : "", i);
  g_string_append (k, ", \"k199999\": 2}}");
  g_autofree char *tk = g_strdup_printf (
    "{\"name\": \"t\", \"duration\": \"1 h\", %s,"
    " \"cluster\": {\"taskmanagers\": 1},"
    " \"job\": {\"vertices\": [{\"name\": \"v\", \"capacity\": 1}]},"
    " \"workload\": {\"rate\": 1}}", k->str);
  g_string_free (k, TRUE);
  gint64 start = g_get_monotonic_time ();
  g_autofree char *mk = load_error (tk);
  cr_expect (strstr (mk, "flink.config: duplicate key \"k199999\"") != NULL,
             "%s", mk);
  cr_expect_lt (g_get_monotonic_time () - start, 5 * G_USEC_PER_SEC);
}

Test (hostile, trace_must_be_a_small_regular_file)
{
  g_autofree char *text = scenario_with ("\"output\": {}");
  /* Replace the workload: a trace that is a character device. */
  char *w = strstr (text, "\"workload\": {\"rate\": 10}");
  cr_assert_not_null (w);
  g_autofree char *head = g_strndup (text, (gsize) (w - text));
  g_autofree char *t = g_strdup_printf (
    "%s\"workload\": {\"rate\": {\"type\": \"trace\", \"file\": "
    "\"/dev/zero\"}}}", head);
  GError *error = NULL;
  RsimScenario *sc = load_text (t, &error);
  cr_assert_null (sc);
  cr_expect (strstr (error->message, "workload.rate.file: cannot read the "
                     "trace /dev/zero: not a regular file") != NULL, "%s",
             error->message);
  g_error_free (error);
}

Test (hostile, sweep_points_are_bounded)
{
  /* 5 axes of 7 values: 16807 points. */
  GString *axes = g_string_new (NULL);
  for (int i = 0; i < 5; i++)
    g_string_append_printf (axes, "%s\"costs.deploy_task_%d\": "
                            "[1, 2, 3, 4, 5, 6, 7]", i ? ", " : "", i);
  g_autofree char *member = g_strdup_printf ("\"sweep\": {\"axes\": {%s}}",
                                             axes->str);
  g_string_free (axes, TRUE);
  g_autofree char *text = scenario_with (member);
  GError *error = NULL;
  RsimSweep *sw = rsim_sweep_load_data (text, strlen (text), "s.json",
                                        &error);
  cr_assert_null (sw);
  cr_expect (strstr (error->message, "s.json: sweep.axes: more than 10000 "
                     "points") != NULL, "%s", error->message);
  g_error_free (error);
}

/* ---------------------------------------------------------------- corpora */

static void
expect_loads (const char *path)
{
  GError *error = NULL;
  RsimScenario *sc = rsim_scenario_load_file (path, &error);
  cr_expect_not_null (sc, "%s: %s", path, error ? error->message : "");
  g_clear_error (&error);
  rsim_scenario_free (sc);
}

Test (corpus, valid)
{
  g_autoptr (GPtrArray) files = json_files ("tests/data/valid");
  cr_assert_geq (files->len, 8);
  for (guint i = 0; i < files->len; i++)
    expect_loads (files->pdata[i]);
}

Test (corpus, bundled_scenarios)
{
  static const char *const expected[] = {
    "demo.json", "flink17-modify-savepoint-fails.json", "graceful-stop.json",
    "killed-taskmanager.json", "manual-rescale-savepoint.json",
    "task-failure-forward.json", "task-failure-keyed.json",
  };
  g_autoptr (GPtrArray) files = json_files ("scenarios");
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++) {
    gboolean found = FALSE;
    for (guint k = 0; k < files->len; k++)
      found = found || g_str_has_suffix (files->pdata[k], expected[i]);
    cr_expect (found, "scenarios/%s is missing", expected[i]);
  }
  for (guint i = 0; i < files->len; i++) {
    GError *error = NULL;
    g_autoptr (RsimScenario) sc = rsim_scenario_load_file (files->pdata[i], &error);
    cr_expect_not_null (sc, "%s", error ? error->message : "");
    g_clear_error (&error);
    if (sc == NULL)
      continue;
    /* Bundled scenarios explain themselves and load cleanly. */
    cr_expect_gt (strlen (sc->description), 40, "%s", (char *) files->pdata[i]);
    cr_expect_eq (sc->warnings->len, 0, "%s: %s", (char *) files->pdata[i],
                  sc->warnings->len ? (char *) sc->warnings->pdata[0] : "");
  }
}

Test (corpus, invalid)
{
  g_autoptr (GPtrArray) files = json_files ("tests/data/invalid");
  cr_assert_geq (files->len, 20);
  for (guint i = 0; i < files->len; i++) {
    const char *path = files->pdata[i];
    g_autofree char *stem = g_strndup (path, strlen (path) - strlen (".json"));
    g_autofree char *err_path = g_strconcat (stem, ".err", NULL);
    g_autofree char *want = NULL;
    cr_expect (g_file_get_contents (err_path, &want, NULL, NULL),
               "%s has no .err file", path);
    if (want == NULL)
      continue;
    g_strchomp (want);
    cr_expect (strchr (want, '\n') == NULL, "%s: one line expected", err_path);

    GError *error = NULL;
    RsimScenario *sc = rsim_scenario_load_file (path, &error);
    cr_expect_null (sc, "%s loaded", path);
    rsim_scenario_free (sc);
    if (error == NULL)
      continue;
    cr_expect (strstr (error->message, want) != NULL,
               "%s:\n  got:  %s\n  want: %s", path, error->message, want);
    g_autofree char *base = g_path_get_basename (path);
    RsimScenarioError code = g_str_has_prefix (base, "syntax-")
      ? RSIM_SCENARIO_ERROR_SYNTAX : RSIM_SCENARIO_ERROR_INVALID;
    cr_expect (g_error_matches (error, RSIM_SCENARIO_ERROR, code),
               "%s: error code %d", path, error->code);
    g_error_free (error);
  }
}

/* ---------------------------------------------------------- resolved JSON */

Test (resolved, deterministic_and_complete)
{
  g_autofree char *path = source_path ("scenarios/killed-taskmanager.json");
  g_autoptr (RsimScenario) a = rsim_scenario_load_file (path, NULL);
  g_autoptr (RsimScenario) b = rsim_scenario_load_file (path, NULL);
  cr_assert (a != NULL && b != NULL);
  g_autofree char *ja = rsim_scenario_config_to_json (a, &a->config);
  g_autofree char *jb = rsim_scenario_config_to_json (b, &b->config);
  cr_expect_str_eq (ja, jb);
  static const char *const needles[] = {
    "\"scheduler\":\t\"default\"", "\"seed\":\t1",
    "\"version\":\t\"1.20\"", "\"heartbeat.timeout\":\t\"50 s\"",
    "\"heartbeat.interval\":\t\"10 s\"", "\"pekko.ask.timeout\":\t\"10 s\"",
    "\"slot.request.timeout\":\t\"5 min\"",
    "\"execution.checkpointing.interval\":\t\"30 s\"",
    "\"restart-strategy.type\":\t\"exponential-delay\"",
    "\"restart-strategy.exponential-delay.backoff-multiplier\":\t1.5",
    "\"taskmanager.numberOfTaskSlots\":\t2",
    "\"jobmanager.execution.failover-strategy\":\t\"region\"",
    "\"max_parallelism\":\t128", "\"ship\":\t\"hash\"", "\"state\":\t\"4 gb\"",
    "\"rate\":\t\"6000 rec/s\"", "\"deploy_fixed\":\t\"50 ms\"",
    "\"action\":\t\"kill_taskmanagers\"", "\"rpc\":\t\"timeout\"",
    "\"duration\":\t\"30 min\"", "\"sample_interval\":\t\"auto\"",
    "\"resource_manager\":\t\"standalone\"",
  };
  for (guint i = 0; i < G_N_ELEMENTS (needles); i++)
    cr_expect (strstr (ja, needles[i]) != NULL, "missing %s", needles[i]);
  /* Valid JSON. */
  cJSON *parsed = cJSON_Parse (ja);
  cr_expect_not_null (parsed);
  cJSON_Delete (parsed);

  /* A run's copy with another scheduler and seed differs in those only. */
  RsimSimConfig run;
  rsim_sim_config_copy (&run, &a->config);
  run.scheduler = RSIM_SCHEDULER_REACTIVE;
  run.seed = G_GUINT64_CONSTANT (18446744073709551615);
  g_autofree char *jr = rsim_scenario_config_to_json (a, &run);
  cr_expect (strstr (jr, "\"scheduler\":\t\"reactive\"") != NULL);
  cr_expect (strstr (jr, "\"seed\":\t18446744073709551615") != NULL);
  /* Reactive mode changes only the defaults of the two submission timeouts
   * (ReactiveModeUtils.configureClusterForReactiveMode). */
  cr_expect (strstr (ja, "\"jobmanager.adaptive-scheduler.resource-wait-timeout\":\t\"5 min\"") != NULL);
  cr_expect (strstr (jr, "\"jobmanager.adaptive-scheduler.resource-wait-timeout\":\t-1") != NULL);
  cr_expect (strstr (jr, "\"jobmanager.adaptive-scheduler.resource-stabilization-timeout\":\t\"0 ms\"") != NULL
             || strstr (jr, "\"jobmanager.adaptive-scheduler.resource-stabilization-timeout\":\t\"0 s\"") != NULL,
             "%s", jr);
  g_autofree char *tail_a = g_strdup (strstr (ja, "\"cluster\""));
  cr_expect_str_eq (strstr (jr, "\"cluster\""), tail_a);
  rsim_sim_config_clear (&run);
}

Test (resolved, key_names_per_version)
{
  g_autoptr (RsimScenario) v116 = load_flink ("1.16", "");
  g_autofree char *j116 = rsim_scenario_config_to_json (v116, NULL);
  cr_expect (strstr (j116, "\"restart-strategy\":\t\"none\"") != NULL);
  cr_expect (strstr (j116, "\"akka.ask.timeout\":\t\"10 s\"") != NULL);
  cr_expect (strstr (j116, "\"execution.checkpointing.interval\":\tnull") != NULL);
  cr_expect (strstr (j116, "pekko") == NULL);
  cr_expect (strstr (j116, "attempts-before-reset-backoff") == NULL);

  g_autoptr (RsimScenario) v112 = load_flink ("1.12", "");
  g_autofree char *j112 = rsim_scenario_config_to_json (v112, NULL);
  cr_expect (strstr (j112, "heartbeat.rpc-failure-threshold") == NULL);
  cr_expect (strstr (j112, "exponential-delay") == NULL);
  cr_expect (strstr (j112, "\"jobmanager.execution.failover-strategy\":\t\"region\"") != NULL);
}

/* ----------------------------------------------------- README consistency */

Test (readme, documents_every_key)
{
  g_autofree char *path = source_path ("scenarios/README.md");
  g_autofree char *readme = NULL;
  cr_assert (g_file_get_contents (path, &readme, NULL, NULL), "no %s", path);

  for (guint i = 0; i < rsim__flink_key_count (); i++) {
    g_autofree char *name = g_strdup_printf ("`%s`", rsim__flink_key_name (i));
    cr_expect (strstr (readme, name) != NULL, "README lacks %s", name);
    const char *old = rsim__flink_key_old_name (i);
    if (old != NULL) {
      g_autofree char *o = g_strdup_printf ("`%s`", old);
      cr_expect (strstr (readme, o) != NULL, "README lacks %s", o);
    }
  }
  /* Each cost's row names its default as the code prints it. */
  RsimCosts latest;
  rsim_costs_init_defaults (&latest, (RsimFlinkVersion) { 2, 3, -1 });
  for (guint i = 0; i < rsim__n_cost_keys; i++) {
    const RsimCostKey *k = &rsim__cost_keys[i];
    g_autofree char *row_start = g_strdup_printf ("| `%s` |", k->key);
    const char *row = strstr (readme, row_start);
    cr_expect_not_null (row, "README lacks a row for cost %s", k->key);
    if (row == NULL)
      continue;
    /* | `key` | unit | default | source | */
    g_autofree char *line = g_strndup (row, strcspn (row, "\n"));
    g_auto (GStrv) cells = g_strsplit (line, "|", -1);
    cr_assert_geq (g_strv_length (cells), 5, "%s", line);
    const RsimDist *d = &G_STRUCT_MEMBER (RsimDist, &latest, k->offset);
    g_autofree char *def = k->unit == RSIM_COST_BANDWIDTH
      ? rsim__format_bandwidth (d->a) : rsim__format_duration (d->a);
    g_autofree char *quoted = g_strdup_printf ("`%s`", def);
    cr_expect (strstr (cells[3], quoted) != NULL,
               "README's default of %s is not %s: %s", k->key, quoted, line);
  }
  for (int a = RSIM_ACTION_ADD_TASKMANAGERS; a <= RSIM_ACTION_UPDATE_DEPLOYMENT;
       a++) {
    g_autofree char *name = g_strdup_printf ("`%s`", rsim_action_kind_name (a));
    cr_expect (strstr (readme, name) != NULL, "README lacks action %s", name);
  }
  static const char *const project_keys[] = {
    "name", "description", "duration", "seed", "flink", "version", "config",
    "cluster", "taskmanagers", "resource_manager", "job", "vertices", "edges",
    "parallelism", "max_parallelism", "slot_sharing_group", "capacity",
    "state", "state_change", "chain", "savepoint_format", "operators",
    "from", "to", "ship", "workload", "rate", "record_size", "costs",
    "timeline", "schedulers", "output", "sample_interval", "at", "action",
    "count", "rpc", "vertex", "subtask", "kind", "resubmit", "steps", "mean",
    "amplitude", "period", "phase", "file", "value", "min", "max", "stddev",
    "median", "sigma", "requirements",
    "failures", "taskmanager_mtbf", "checkpoint_failure_probability", "sweep",
    "controllers", "autoscaler", "operator_version", "upgrade_mode",
    "source_partitions", "replicas", "metric", "scale_up_above",
    "scale_down_below", "interval", "scale_up_stabilization",
    "scale_down_stabilization", "min_taskmanagers", "max_taskmanagers", "step",
    "remove", "ververica", "upgrade_strategy", "restore_strategy",
    "savepoint_retries",
  };
  for (guint i = 0; i < G_N_ELEMENTS (project_keys); i++) {
    g_autofree char *name = g_strdup_printf ("`%s`", project_keys[i]);
    cr_expect (strstr (readme, name) != NULL, "README lacks key %s", name);
  }
  /* Each controllers.autoscaler.config key has its row. */
  for (guint i = 0; i < rsim__n_autoscaler_keys; i++) {
    g_autofree char *row = g_strdup_printf ("| `%s` |",
                                            rsim__autoscaler_keys[i].name);
    cr_expect (strstr (readme, row) != NULL, "README lacks a row for %s",
               rsim__autoscaler_keys[i].name);
  }
  /* And every value of the controllers' enumerations. */
  for (int m = RSIM_UPGRADE_MODE_SAVEPOINT; m <= RSIM_UPGRADE_MODE_STATELESS; m++) {
    g_autofree char *name = g_strdup_printf ("`%s`", rsim_upgrade_mode_name (m));
    cr_expect (strstr (readme, name) != NULL, "README lacks %s", name);
  }
  for (int m = RSIM_REPLICA_METRIC_LAG; m <= RSIM_REPLICA_METRIC_LATENCY; m++) {
    g_autofree char *name = g_strdup_printf ("`%s`", rsim_replica_metric_name (m));
    cr_expect (strstr (readme, name) != NULL, "README lacks %s", name);
  }
  for (int m = RSIM_VVP_RESTORE_LATEST_STATE; m <= RSIM_VVP_RESTORE_NONE; m++) {
    g_autofree char *name = g_strdup_printf ("`%s`", rsim_vvp_restore_name (m));
    cr_expect (strstr (readme, name) != NULL, "README lacks %s", name);
  }
  for (int m = RSIM_VVP_UPGRADE_STATEFUL; m <= RSIM_VVP_UPGRADE_NONE; m++) {
    g_autofree char *name = g_strdup_printf ("`%s`", rsim_vvp_upgrade_name (m));
    cr_expect (strstr (readme, name) != NULL, "README lacks %s", name);
  }
}

/* ClusterEntrypoint refuses reactive mode unless the cluster is a
 * standalone application cluster: without a "schedulers" list, a scenario
 * with an active resource manager runs default and adaptive only. */
Test (refused, reactive_left_out_on_an_active_resource_manager)
{
  const char *text =
    "{\"name\": \"t\", \"duration\": \"10 min\","
    " \"flink\": {\"version\": \"1.20\"},"
    " \"cluster\": {\"taskmanagers\": 1, \"resource_manager\": \"%s\"},"
    " \"job\": {\"vertices\": [{\"name\": \"v\", \"capacity\": 100}]},"
    " \"workload\": {\"rate\": 10}}";
  g_autofree char *active = g_strdup_printf (text, "active");
  g_autofree char *standalone = g_strdup_printf (text, "standalone");
  GError *error = NULL;
  g_autoptr (RsimScenario) a = load_text (active, &error);
  cr_assert_not_null (a);
  cr_assert_eq (a->n_schedulers, 2);
  cr_expect_eq (a->schedulers[0], RSIM_SCHEDULER_DEFAULT);
  cr_expect_eq (a->schedulers[1], RSIM_SCHEDULER_ADAPTIVE);
  g_autoptr (RsimScenario) s = load_text (standalone, &error);
  cr_assert_not_null (s);
  cr_assert_eq (s->n_schedulers, 3);
  cr_expect_eq (s->schedulers[2], RSIM_SCHEDULER_REACTIVE);
}

/* AdaptiveScheduler.Settings.of (1.19-1.20): scaling-interval.max must
 * exceed scaling-interval.min; 2.0 reads the key nowhere: a warning. */
Test (refused, scaling_interval_max_by_version)
{
  g_autoptr (RsimScenario) ok = load_flink ("1.20", "\"jobmanager.adaptive-scheduler.scaling-interval.max\": \"31 s\"");
  cr_expect_eq (ok->config.flink.as_scaling_interval_max, 31 * RSIM_SEC);
  cr_expect_eq (ok->warnings->len, 0);
  g_autofree char *text = g_strdup (
    "{\"name\": \"t\", \"duration\": \"10 min\","
    " \"flink\": {\"version\": \"1.20\", \"config\": {"
    "  \"jobmanager.adaptive-scheduler.scaling-interval.min\": \"1 min\","
    "  \"jobmanager.adaptive-scheduler.scaling-interval.max\": \"1 min\"}},"
    " \"cluster\": {\"taskmanagers\": 1},"
    " \"job\": {\"vertices\": [{\"name\": \"v\", \"capacity\": 100}]},"
    " \"workload\": {\"rate\": 10}}");
  GError *error = NULL;
  cr_assert_null (load_text (text, &error));
  cr_expect_str_eq (error->message, "inline.json: flink.config.\"jobmanager.adaptive-scheduler."
                    "scaling-interval.max\": jobmanager.adaptive-scheduler.scaling-interval.max "
                    "(1 min) must be greater than jobmanager.adaptive-scheduler.scaling-interval.min "
                    "(1 min), as Flink's AdaptiveScheduler.Settings requires");
  g_clear_error (&error);
  g_autoptr (RsimScenario) v20 = load_flink ("2.0", "\"jobmanager.adaptive-scheduler.scaling-interval.max\": \"10 s\"");
  cr_expect (has_warning (v20, "flink.config.\"jobmanager.adaptive-scheduler.scaling-interval.max\": "
                          "Flink 2.0 no longer reads it"));
}

/* HeartbeatServices accepts a timeout equal to the interval: a warning. */
Test (refused, heartbeat_timeout_equal_to_interval_warns)
{
  g_autoptr (RsimScenario) sc = load_flink ("1.20", "\"heartbeat.interval\": \"10 s\", \"heartbeat.timeout\": \"10 s\"");
  cr_expect_eq (sc->config.flink.heartbeat_timeout, 10 * RSIM_SEC);
  cr_expect (has_warning (sc, "flink.config.\"heartbeat.timeout\": heartbeat.timeout equals "
                          "heartbeat.interval (10 s)"));
  g_autoptr (RsimScenario) longer = load_flink ("1.20", "\"heartbeat.timeout\": \"11 s\"");
  cr_expect_eq (longer->warnings->len, 0);
}

/* ------------------------------------------------------ state backends */

Test (state_keys, names_and_defaults_per_version)
{
  g_autoptr (RsimScenario) d = load_flink ("1.20", "");
  cr_expect_eq (d->config.flink.state_backend, RSIM_STATE_BACKEND_HASHMAP);
  cr_expect_eq (d->config.flink.incremental_checkpoints, 0);
  cr_expect_eq (d->config.flink.changelog_enabled, 0);
  cr_expect_eq (d->config.flink.changelog_materialize_interval, 10 * RSIM_MIN);
  cr_expect_eq (d->config.flink.rocksdb_ingest_restore, 0);
  cr_expect_eq (d->config.flink.operator_chaining, 1);
  /* 1.15 spells them state.backend and state.backend.incremental. */
  g_autoptr (RsimScenario) v115 = load_flink ("1.15", "\"state.backend\": \"RocksDB\", "
                                              "\"state.backend.incremental\": true, "
                                              "\"state.backend.changelog.enabled\": \"true\"");
  cr_expect_eq (v115->config.flink.state_backend, RSIM_STATE_BACKEND_ROCKSDB);
  cr_expect_eq (v115->config.flink.incremental_checkpoints, 1);
  cr_expect_eq (v115->config.flink.changelog_enabled, 1);
  cr_expect_eq (v115->warnings->len, 0);
  g_autoptr (RsimScenario) v20 = load_flink ("2.0", "\"state.backend.type\": \"forst\", "
                                             "\"execution.checkpointing.incremental\": true");
  cr_expect_eq (v20->config.flink.state_backend, RSIM_STATE_BACKEND_FORST);
  /* Before 1.13 the heap backend is filesystem or jobmanager, printed as
   * jobmanager. */
  g_autoptr (RsimScenario) v112 = load_flink ("1.12", "\"state.backend\": \"filesystem\"");
  cr_expect_eq (v112->config.flink.state_backend, RSIM_STATE_BACKEND_HASHMAP);
  g_autofree char *j112 = rsim_scenario_config_to_json (v112, NULL);
  cr_expect (strstr (j112, "\"state.backend\":\t\"jobmanager\"") != NULL, "%s", j112);
  g_autofree char *j20 = rsim_scenario_config_to_json (v20, NULL);
  cr_expect (strstr (j20, "\"state.backend.type\":\t\"forst\"") != NULL);
}

static char *
flink_error (const char *version, const char *config)
{
  g_autofree char *text = g_strdup_printf (
    "{\"name\": \"t\", \"duration\": \"10 min\","
    " \"flink\": {\"version\": \"%s\", \"config\": {%s}},"
    " \"cluster\": {\"taskmanagers\": 1},"
    " \"job\": {\"vertices\": [{\"name\": \"v\", \"capacity\": 100}]},"
    " \"workload\": {\"rate\": 10}}", version, config);
  return load_error (text);
}

Test (state_keys, keys_and_values_a_version_lacks)
{
  g_autofree char *a = flink_error ("1.14", "\"state.backend.changelog.enabled\": true");
  cr_expect (strstr (a, "flink.config.\"state.backend.changelog.enabled\": does not "
                     "exist in Flink 1.14 (it was added in 1.15)") != NULL, "%s", a);
  g_autofree char *b = flink_error ("1.20", "\"state.backend.type\": \"forst\"");
  cr_expect_str_eq (b, "inline.json: flink.config.\"state.backend.type\": Flink 1.20 "
                    "has no \"forst\" state backend (it came with 2.0, FLIP-427); "
                    "expected hashmap or rocksdb");
  g_autoptr (RsimScenario) v113 = load_flink ("1.13", "\"state.backend\": \"hashmap\"");
  cr_expect_eq (v113->config.flink.state_backend, RSIM_STATE_BACKEND_HASHMAP);
  g_autofree char *c = flink_error ("1.12", "\"state.backend\": \"hashmap\"");
  cr_expect (strstr (c, "Flink 1.12 has no \"hashmap\" state backend") != NULL, "%s", c);
  g_autofree char *d = flink_error ("1.19", "\"state.backend.rocksdb.use-ingest-db-restore-mode\": true");
  cr_expect (strstr (d, "does not exist in Flink 1.19 (it was added in 1.20)") != NULL, "%s", d);
  g_autoptr (RsimScenario) v20 = load_flink ("2.0", "\"state.backend.rocksdb.use-ingest-db-restore-mode\": true, "
                                             "\"state.backend.type\": \"rocksdb\"");
  cr_expect_eq (v20->config.flink.rocksdb_ingest_restore, 1);
  g_autofree char *e = flink_error ("1.20", "\"state.backend.type\": \"leveldb\"");
  cr_expect (strstr (e, "expected one of: hashmap, rocksdb, got \"leveldb\"") != NULL, "%s", e);
}

/* Flink ignores a RocksDB option under another backend: a warning naming
 * the key, the backend and the version. */
Test (state_keys, rocksdb_options_with_another_backend_warn)
{
  g_autoptr (RsimScenario) sc = load_flink ("1.20", "\"execution.checkpointing.incremental\": true, "
                                            "\"state.backend.rocksdb.use-ingest-db-restore-mode\": true");
  cr_expect_eq (sc->warnings->len, 2);
  cr_expect (has_warning (sc, "inline.json: flink.config.\"execution.checkpointing.incremental\": "
                          "has no effect in Flink 1.20: state.backend.type is hashmap, and "
                          "only the rocksdb state backend reads it"));
  cr_expect (has_warning (sc, "use-ingest-db-restore-mode\": has no effect"));
  g_autoptr (RsimScenario) ok = load_flink ("1.20", "\"state.backend.type\": \"rocksdb\", "
                                            "\"execution.checkpointing.incremental\": true");
  cr_expect_eq (ok->warnings->len, 0);
}

/* A job on 1.20 checkpointing every 30 s with a window of 3 GB. */
static char *
job_text (const char *version, const char *window_extra, const char *job_extra)
{
  return g_strdup_printf (
    "{\"name\": \"t\", \"duration\": \"10 min\","
    " \"flink\": {\"version\": \"%s\", \"config\": {"
    "   \"execution.checkpointing.interval\": \"30 s\"}},"
    " \"cluster\": {\"taskmanagers\": 2},"
    " \"job\": {\"vertices\": ["
    "   {\"name\": \"src\", \"parallelism\": 2, \"capacity\": 1000},"
    "   {\"name\": \"win\", \"parallelism\": 2, \"capacity\": 1000%s},"
    "   {\"name\": \"sink\", \"parallelism\": 2, \"capacity\": 1000}],"
    "  \"edges\": [{\"from\": \"src\", \"to\": \"win\", \"ship\": \"hash\"},"
    "             {\"from\": \"win\", \"to\": \"sink\"}]%s},"
    " \"workload\": {\"rate\": 10}}", version, window_extra, job_extra);
}

Test (state_keys, state_change_rate_or_fraction)
{
  g_autofree char *t1 = job_text ("1.20", ", \"state\": \"3 GB\", \"state_change\": \"10 MB/s\"", "");
  GError *error = NULL;
  g_autoptr (RsimScenario) a = load_text (t1, &error);
  cr_assert_not_null (a, "%s", error ? error->message : "");
  /* win and sink are chained: the chain holds win's state and change. */
  cr_expect_float_eq (a->config.job.vertices[1].state_change_rate, 10.0 * 1024 * 1024, 1e-6);
  g_autofree char *t2 = job_text ("1.20", ", \"state\": \"3 GB\", \"state_change\": \"5 %\"", "");
  g_autoptr (RsimScenario) b = load_text (t2, &error);
  cr_assert_not_null (b, "%s", error ? error->message : "");
  /* 5 % of 3 GB per 30 s interval. */
  cr_expect_float_eq (b->config.job.vertices[1].state_change_rate,
                      0.05 * 3.0 * 1024 * 1024 * 1024 / 30.0, 1e-3);
  g_autofree char *t3 = job_text ("1.20", ", \"state\": \"3 GB\", \"state_change\": 0.05", "");
  g_autoptr (RsimScenario) c = load_text (t3, &error);
  cr_assert_not_null (c, "%s", error ? error->message : "");
  cr_expect_float_eq (c->config.job.vertices[1].state_change_rate,
                      b->config.job.vertices[1].state_change_rate, 1e-6);
}

Test (state_keys, bad_state_change_chain_and_savepoint_format)
{
  /* 200 MB/s for 30 s is 5.9 GB, more than the 3 GB of state. */
  g_autofree char *t1 = job_text ("1.20", ", \"state\": \"3 GB\", \"state_change\": \"200 MB/s\"", "");
  g_autofree char *e1 = load_error (t1);
  cr_expect_str_eq (e1, "inline.json: job.vertices[1].state_change: expected a change "
                    "rate of at most the state (3 gb) per checkpoint interval (30 s); "
                    "this changes 6000 mb per interval, got \"200 MB/s\"");
  g_autofree char *t2 = job_text ("1.20", ", \"state_change\": \"1 MB/s\"", "");
  g_autofree char *e2 = load_error (t2);
  cr_expect_str_eq (e2, "inline.json: job.vertices[1].state_change: the vertex has no "
                    "\"state\" to change; give its state size first");
  g_autofree char *t3 = job_text ("1.20", ", \"state\": \"3 GB\", \"state_change\": 1.5", "");
  g_autofree char *e3 = load_error (t3);
  cr_expect (strstr (e3, "job.vertices[1].state_change: expected a rate such as") != NULL, "%s", e3);
  g_autofree char *t4 = job_text ("1.20", ", \"chain\": \"never\"", "");
  g_autofree char *e4 = load_error (t4);
  cr_expect (strstr (e4, "job.vertices[1].chain: expected one of: default, start_new, "
                     "disabled") != NULL, "%s", e4);
  g_autofree char *t5 = job_text ("1.14", "", ", \"savepoint_format\": \"native\"");
  g_autofree char *e5 = load_error (t5);
  cr_expect_str_eq (e5, "inline.json: job.savepoint_format: Flink 1.14 takes only "
                    "canonical savepoints (native-format savepoints came with 1.15, "
                    "FLIP-203); expected \"canonical\", got \"native\"");
  g_autofree char *t6 = job_text ("1.15", "", ", \"savepoint_format\": \"native\"");
  GError *error = NULL;
  g_autoptr (RsimScenario) ok = load_text (t6, &error);
  cr_assert_not_null (ok, "%s", error ? error->message : "");
  cr_expect (ok->config.job.native_savepoints);
}

/* Chains are job vertices in the resolved configuration, and timeline
 * actions may name any operator of a chain. */
Test (state_keys, chains_in_the_resolved_configuration)
{
  const char *plain =
    "{\"name\": \"t\", \"duration\": \"10 min\","
    " \"flink\": {\"version\": \"1.20\", \"config\": {}},"
    " \"cluster\": {\"taskmanagers\": 2},"
    " \"job\": {\"vertices\": ["
    "   {\"name\": \"src\", \"parallelism\": 2, \"capacity\": 1000},"
    "   {\"name\": \"win\", \"parallelism\": 2, \"capacity\": 1000},"
    "   {\"name\": \"sink\", \"parallelism\": 2, \"capacity\": 1000}],"
    "  \"edges\": [{\"from\": \"src\", \"to\": \"win\", \"ship\": \"hash\"},"
    "             {\"from\": \"win\", \"to\": \"sink\"}]},"
    " \"workload\": {\"rate\": 10},"
    " \"timeline\": [{\"at\": \"1 min\", \"action\": \"fail_task\","
    "                 \"vertex\": \"sink\", \"subtask\": 1}]}";
  GError *error = NULL;
  g_autoptr (RsimScenario) sc = load_text (plain, &error);
  cr_assert_not_null (sc, "%s", error ? error->message : "");
  cr_assert_eq (sc->config.job.n_vertices, 2);
  cr_expect_str_eq (sc->config.job.vertices[1].name, "win -> sink");
  cr_expect_eq (sc->config.timeline[0].vertex, 1);
  g_autofree char *json = rsim_scenario_config_to_json (sc, NULL);
  cr_expect (strstr (json, "\"name\":\t\"win -> sink\"") != NULL, "%s", json);
  cr_expect (strstr (json, "\"operators\":\t[\"win\", \"sink\"]") != NULL, "%s", json);
  cr_expect (strstr (json, "\"pipeline.operator-chaining.enabled\":\ttrue") != NULL);
}

/* resourcemanager.taskmanager-timeout was slotmanager.taskmanager-timeout up
 * to 1.5 (ResourceManagerOptions at release-1.5 and release-1.6); the old
 * name stays as a deprecated alias. slot.idle.timeout defaults to 50 s. */
Test (warnings, taskmanager_timeout_renamed_in_1_6)
{
  g_autoptr (RsimScenario) v15 = load_flink ("1.5", "\"slotmanager.taskmanager-timeout\": \"45 s\"");
  cr_expect_eq (v15->config.flink.rm_taskmanager_timeout, 45 * RSIM_SEC);
  cr_expect_eq (v15->warnings->len, 0);
  cr_expect_eq (v15->config.flink.slot_idle_timeout, 50 * RSIM_SEC);
  g_autoptr (RsimScenario) v16 = load_flink ("1.6", "\"slotmanager.taskmanager-timeout\": \"45 s\"");
  cr_expect_eq (v16->config.flink.rm_taskmanager_timeout, 45 * RSIM_SEC);
  cr_expect (has_warning (v16, "flink.config.\"slotmanager.taskmanager-timeout\": "
                          "deprecated since Flink 1.6; use "
                          "\"resourcemanager.taskmanager-timeout\""));
  g_autoptr (RsimScenario) v20 = load_flink ("2.0", "");
  cr_expect_eq (v20->config.flink.rm_taskmanager_timeout, 30 * RSIM_SEC);
  g_autofree char *early = load_error (
    "{\"name\": \"t\", \"duration\": \"10 min\", \"flink\": {\"version\": \"1.5\","
    " \"config\": {\"resourcemanager.taskmanager-timeout\": \"20 s\"}}, \"cluster\": {\"taskmanagers\": 1},"
    " \"job\": {\"vertices\": [{\"name\": \"v\", \"capacity\": 100}]}, \"workload\": {\"rate\": 10}}");
  cr_expect_str_eq (early, "inline.json: flink.config.\"resourcemanager.taskmanager-timeout\": "
                    "does not exist in Flink 1.5 (it was added in 1.6)");
}
