/* "rescalesim run": one scenario under one scheduler.
 *
 * Order of work, cheapest checks first so that a mistake costs nothing and
 * leaves nothing behind: options (exit 2), the scenario (exit 3), then the
 * run itself through rsim_harness_run_one() (the output directory: exit 4;
 * the simulation: 1, 3 or 5; the files: 4). The output files appear only
 * when everything succeeded.
 *
 * The wall clock is read only for --stats and only printed to stderr, never
 * written to a file, so that reports stay byte-identical. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include <rescalesim/harness.h>
#include <rescalesim/report.h>
#include <rescalesim/scenario.h>
#include <rescalesim/simulation.h>

typedef struct {
  char *scheduler;
  char *seed;
  char *out;
  char *flink_conf;
  gboolean json;
  gboolean stats;
  gboolean quiet;
  gboolean exact_heartbeats;
  gboolean help;
} RunOptions;

static void
run_options_clear (RunOptions *o)
{
  g_free (o->scheduler);
  g_free (o->seed);
  g_free (o->out);
  g_free (o->flink_conf);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RunOptions, run_options_clear)

static GOptionContext *
run_context_new (RunOptions *o)
{
  const GOptionEntry entries[] = {
    { "scheduler", 's', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &o->scheduler,
      "default, adaptive or reactive [scenario's first]", "NAME" },
    { "seed", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &o->seed,
      "Random seed, 0 to 2^53-1 [scenario's seed]", "N" },
    { "out", 'o', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &o->out,
      "Output directory [out/NAME/SCHEDULER]", "DIR" },
    { "flink-conf", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &o->flink_conf,
      "Flink configuration file (config.yaml or flink-conf.yaml) read in "
      "place of the scenario's flink.config_file; flink.config still wins",
      "FILE" },
    { "json", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &o->json,
      "Print report.json on stdout instead of the table", NULL },
    { "stats", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &o->stats,
      "Print wall-clock time and events/s to stderr", NULL },
    { "quiet", 'q', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &o->quiet,
      "Print nothing on stdout but --json output", NULL },
    { "exact-heartbeats", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE,
      &o->exact_heartbeats,
      "Simulate every heartbeat request and answer as events (the reference "
      "model; same files, slower)", NULL },
    G_OPTION_ENTRY_NULL
  };
  return rsim__cli_context_new (
    "run", "SCENARIO",
    "Runs SCENARIO (a JSON scenario file) under one scheduler and writes\n"
    "report.json, timeseries.csv and events.jsonl into the output directory.\n"
    "The files appear only when the run succeeds; existing files of an\n"
    "earlier run in the same directory are replaced.",
    "Warnings and errors go to stderr. With --json, stdout carries only the\n"
    "report. The same scenario, scheduler and seed always give\n"
    "byte-identical files.",
    entries, &o->help);
}

static char *
run_help (void)
{
  RunOptions o = { 0 };
  return rsim__cli_help_text (run_context_new (&o));
}

static void
print_stats (gint64 wall_us, guint64 events)
{
  char secs[G_ASCII_DTOSTR_BUF_SIZE];
  char rate[G_ASCII_DTOSTR_BUF_SIZE];
  double s = (double) wall_us / 1e6;
  g_ascii_formatd (secs, sizeof secs, "%.3f", s);
  if (wall_us > 0)
    g_ascii_formatd (rate, sizeof rate, "%.0f", (double) events / s);
  else
    g_strlcpy (rate, "-", sizeof rate);
  fprintf (stderr,
           "rescalesim: stats: %s s wall clock, %" G_GUINT64_FORMAT
           " events, %s events/s\n", secs, events, rate);
}

static int
run_main (int argc, char **argv)
{
  g_auto (RunOptions) o = { 0 };
  int rc = rsim__cli_parse (run_context_new (&o), "run",
                           &o.help, &argc, &argv);
  if (rc >= 0)
    return rc;

  if (argc < 2)
    return rsim__cli_usage_error ("run", "run: missing SCENARIO");
  if (argc > 2)
    return rsim__cli_usage_error ("run", "run: unexpected argument '%s'",
                                  argv[2]);
  const char *path = argv[1];
  if (o.out != NULL && *o.out == '\0')
    return rsim__cli_usage_error ("run", "--out needs a directory name");

  RsimSchedulerKind scheduler = RSIM_SCHEDULER_DEFAULT;
  if (o.scheduler != NULL && !rsim_scheduler_kind_parse (o.scheduler,
                                                         &scheduler))
    return rsim__cli_usage_error ("run", "unknown scheduler '%s' (expected "
                                  "default, adaptive or reactive)",
                                  o.scheduler);
  guint64 seed = 0;
  if (o.seed != NULL) {
    g_autoptr (GError) error = NULL;
    if (!g_ascii_string_to_unsigned (o.seed, 10, 0, RSIM_SEED_MAX, &seed,
                                     &error))
      return rsim__cli_usage_error ("run", "invalid --seed '%s': expected an "
                                    "integer from 0 to %" G_GUINT64_FORMAT
                                    " (2^53-1)", o.seed, RSIM_SEED_MAX);
  }

  g_autoptr (RsimScenario) scenario =
    rsim__cli_load_scenario_with_conf (path, o.flink_conf, &rc);
  if (scenario == NULL)
    return rc;
  rsim__cli_print_warnings (scenario);

  RsimSimConfig config;
  rsim_sim_config_copy (&config, &scenario->config);
  if (o.scheduler == NULL)
    scheduler = scenario->n_schedulers > 0 ? scenario->schedulers[0]
                                           : scenario->config.scheduler;
  config.scheduler = scheduler;
  if (o.seed != NULL)
    config.seed = seed;
  config.exact_heartbeats = o.exact_heartbeats;

  g_autofree char *out_dir = o.out != NULL
    ? g_strdup (o.out)
    : rsim__cli_default_out (scenario->name,
                             rsim_scheduler_kind_name (scheduler), NULL);

  g_autoptr (GError) error = NULL;
  g_auto (RsimHarnessRun) run = { 0 };
  gboolean ok = rsim_harness_run_one (scenario, &config, out_dir,
                                      RSIM_HARNESS_RUN_DEFAULT, &run, &error);
  if (!ok) {
    rsim__cli_error ("%s", error->message);
    rsim_sim_config_clear (&config);
    return rsim__cli_exit_for_error (error);
  }
  if (o.stats)
    print_stats (run.wall_us, run.result->events_processed
                              + run.result->heartbeat_events);

  if (o.json) {
    rsim__cli_print (run.report_json);
    if (!o.quiet)
      fprintf (stderr, "rescalesim: wrote %s, %s and %s in %s\n",
               RSIM_REPORT_FILE, RSIM_TIMESERIES_FILE, RSIM_EVENTS_FILE,
               out_dir);
  } else if (!o.quiet) {
    rsim_report_print_summary (stdout, scenario, &config, run.result);
    printf ("\nFiles: %s, %s and %s in %s\n", RSIM_REPORT_FILE,
            RSIM_TIMESERIES_FILE, RSIM_EVENTS_FILE, out_dir);
  }
  rsim_sim_config_clear (&config);
  return RSIM_EXIT_OK;
}

const RsimCliCommand rsim__cli_cmd_run = {
  .name = "run",
  .summary = "Run one scenario under one scheduler and write its report",
  .run = run_main,
  .help = run_help,
};
