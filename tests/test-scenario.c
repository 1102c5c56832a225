/* Tests of the scenario layer: value syntaxes, Flink defaults per version,
 * warnings, the valid and invalid scenario corpora (tests/data/valid,
 * tests/data/invalid with one NAME.err per NAME.json holding a substring of
 * the expected message), the bundled scenarios, the resolved JSON, and that
 * scenarios/README.md documents every key the code knows. */
#include <criterion/criterion.h>
#include <string.h>

#include <rescalesim/scenario.h>
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
  cr_expect_eq (v17->config.flink.fixed_delay_delay, 10 * RSIM_SEC);
  cr_expect_eq (v17->config.flink.failure_rate_delay, 10 * RSIM_SEC);
  cr_expect_eq (v17->warnings->len, 0);

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
  /* Set on 1.13, where the key does not exist: ignored with a warning. */
  g_autoptr (RsimScenario) early = load_flink ("1.13", "\"heartbeat.rpc-failure-threshold\": 5");
  cr_expect_eq (early->config.flink.heartbeat_rpc_failure_threshold, -1);
  cr_expect (has_warning (early, "flink.config.\"heartbeat.rpc-failure-threshold\": "
                          "does not exist in Flink 1.13; ignored"));
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

  /* The new name before it existed: ignored. */
  g_autoptr (RsimScenario) early = load_flink ("1.17", "\"pekko.ask.timeout\": \"20 s\"");
  cr_expect (has_warning (early, "flink.config.\"pekko.ask.timeout\": does not exist in "
                          "Flink 1.17; ignored"));
  cr_expect_eq (early->config.flink.ask_timeout, 10 * RSIM_SEC);

  /* Both names: the current one wins whatever the order. */
  g_autoptr (RsimScenario) both = load_flink ("1.20", "\"restart-strategy.type\": \"none\","
                                              " \"restart-strategy\": \"fixed-delay\"");
  cr_expect_eq (both->config.flink.restart_strategy, RSIM_RESTART_NONE);
  cr_expect (has_warning (both, "\"restart-strategy.type\" is used"));
}

Test (warnings, unmodelled_and_scheduler_keys)
{
  g_autoptr (RsimScenario) sc = load_flink ("1.20", "\"state.backend.type\": \"rocksdb\","
                                            " \"jobmanager.scheduler\": \"adaptive\","
                                            " \"scheduler-mode\": \"reactive\"");
  cr_expect (has_warning (sc, "flink.config.\"state.backend.type\": not modelled by "
                          "rescalesim; ignored"));
  cr_expect (has_warning (sc, "flink.config.\"jobmanager.scheduler\": accepted but not "
                          "used: rescalesim picks the scheduler per run"));
  cr_expect (has_warning (sc, "flink.config.\"scheduler-mode\": accepted but not used"));
  cr_expect_eq (sc->config.scheduler, RSIM_SCHEDULER_DEFAULT);
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
  cr_expect_eq (sc->config.sample_interval, RSIM_SEC);
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
  rsim_costs_init_defaults (&defaults, 1, 14);
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
    "\"duration\":\t\"30 min\"", "\"sample_interval\":\t\"1 s\"",
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
   * (flink-behaviour.md §1.3). */
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
  rsim_costs_init_defaults (&latest, 2, 3);
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
  for (int a = RSIM_ACTION_ADD_TASKMANAGERS; a <= RSIM_ACTION_SCALE; a++) {
    g_autofree char *name = g_strdup_printf ("`%s`", rsim_action_kind_name (a));
    cr_expect (strstr (readme, name) != NULL, "README lacks action %s", name);
  }
  static const char *const project_keys[] = {
    "name", "description", "duration", "seed", "flink", "version", "config",
    "cluster", "taskmanagers", "resource_manager", "job", "vertices", "edges",
    "parallelism", "max_parallelism", "slot_sharing_group", "capacity",
    "state", "from", "to", "ship", "workload", "rate", "record_size", "costs",
    "timeline", "schedulers", "output", "sample_interval", "at", "action",
    "count", "rpc", "vertex", "subtask", "kind", "resubmit", "steps", "mean",
    "amplitude", "period", "phase", "file", "value", "min", "max", "stddev",
    "median", "sigma",
  };
  for (guint i = 0; i < G_N_ELEMENTS (project_keys); i++) {
    g_autofree char *name = g_strdup_printf ("`%s`", project_keys[i]);
    cr_expect (strstr (readme, name) != NULL, "README lacks key %s", name);
  }
}
