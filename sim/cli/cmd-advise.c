/* "rescalesim advise": the cheapest configuration that meets a scenario's
 * objectives (include/rescalesim/advise.h), or one shard of its grid's
 * runs, or the merge of the shards.
 *
 * Order of work: options (exit 2), the shard (exit 2), the scenario and its
 * advise block, every grid candidate validated before anything runs
 * (exit 3), the search (1 when a run fails or no candidate meets the
 * objectives, 3 for a shard that is not this search's), then the files
 * (4), renamed into place together. Progress goes to stderr, one line per
 * racing round, unless --quiet. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include <rescalesim/advise.h>

typedef struct {
  int jobs;
  char *out;
  char *shard;
  int shards;
  char **merge;
  char *plot;
  gboolean quiet;
  gboolean help;
} AdviseOptions;

static void
advise_options_clear (AdviseOptions *o)
{
  g_free (o->out);
  g_free (o->shard);
  g_strfreev (o->merge);
  g_free (o->plot);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AdviseOptions, advise_options_clear)

static GOptionContext *
advise_context_new (AdviseOptions *o)
{
  const GOptionEntry entries[] = {
    { "jobs", 'j', G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &o->jobs,
      "Runs at once [number of cores]", "N" },
    { "out", 'o', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &o->out,
      "Output directory [out/NAME/advise, a shard's "
      "out/NAME/advise/shard-K-of-N]", "DIR" },
    { "shard", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &o->shard,
      "Run only shard K of N of the grid's runs (index % N == K-1)", "K/N" },
    { "shards", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &o->shards,
      "Number of shards when the index comes from JOB_COMPLETION_INDEX", "N" },
    { "merge", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME_ARRAY, &o->merge,
      "A shard's directory (repeat for each): its runs stand in for the "
      "grid's", "DIR" },
    { "plot", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &o->plot,
      "Pareto plot: png, svg, both or none [both]", "FORMAT" },
    { "quiet", 'q', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &o->quiet,
      "No progress and no summary", NULL },
    G_OPTION_ENTRY_NULL
  };
  return rsim__cli_context_new (
    "advise", "SCENARIO",
    "Finds the cheapest values of the knobs of SCENARIO's \"advise\" block\n"
    "that meet its objectives: a grid of candidates, racing over seeds that\n"
    "drops candidates whose confidence intervals show them infeasible or\n"
    "dominated, then refinement around the best. Prints the recommendation\n"
    "with its confidence intervals and the runners-up, and writes\n"
    "advice.json, candidates.csv, pareto.csv, pareto.png/.svg,\n"
    "recommended-config.yaml (Flink keys) and\n"
    "recommended-scenario-patch.json (a JSON merge patch of the scenario).",
    "Every grid candidate is validated before anything runs. Outputs do not\n"
    "depend on --jobs.\n"
    "\n"
    "Sharding: --shard K/N runs one slice of the grid's runs (every seed, no\n"
    "racing) and writes runs.csv and advise-shard.json; then\n"
    "'rescalesim advise SCENARIO --merge DIR --merge DIR ...' runs the search\n"
    "with those runs, simulating only what they lack (refinement), and\n"
    "writes the same files as an unsharded search. Without --shard, a Slurm\n"
    "job array or a Kubernetes indexed Job gives the shard, as for sweep.\n"
    "Exit 1 also when no candidate meets the objectives (the closest are\n"
    "named).",
    entries, &o->help);
}

static char *
advise_help (void)
{
  AdviseOptions o = { 0 };
  return rsim__cli_help_text (advise_context_new (&o));
}

static void
print_progress (gpointer user, const char *line)
{
  fprintf (stderr, "rescalesim: advise: %s\n", line);
  fflush (stderr);
}

static int
exit_for (const GError *error)
{
  if (error->domain == RSIM_ADVISE_ERROR) {
    switch ((RsimAdviseError) error->code) {
    case RSIM_ADVISE_ERROR_INPUT:
    case RSIM_ADVISE_ERROR_MISMATCH:
      return RSIM_EXIT_SCENARIO;
    case RSIM_ADVISE_ERROR_OUTPUT:
      return RSIM_EXIT_OUTPUT;
    case RSIM_ADVISE_ERROR_RUN:
    case RSIM_ADVISE_ERROR_INFEASIBLE:
      return RSIM_EXIT_FAILURE;
    }
  }
  return rsim__cli_exit_for_error (error);
}

static int
advise_main (int argc, char **argv)
{
  g_auto (AdviseOptions) o = { 0 };
  int rc = rsim__cli_parse (advise_context_new (&o), "advise", &o.help, &argc,
                            &argv);
  if (rc >= 0)
    return rc;
  if (argc < 2)
    return rsim__cli_usage_error ("advise", "advise: missing SCENARIO");
  if (argc > 2)
    return rsim__cli_usage_error ("advise", "advise: unexpected argument '%s'",
                                  argv[2]);
  if (o.jobs < 0 || o.jobs > 4096)
    return rsim__cli_usage_error ("advise", "--jobs: expected 1 to 4096 (0 or "
                                  "absent: one per core)");
  if (o.shards < 0)
    return rsim__cli_usage_error ("advise", "--shards: expected at least 1");
  if (o.out != NULL && *o.out == '\0')
    return rsim__cli_usage_error ("advise", "--out needs a directory name");
  RsimPlotFormats plots = RSIM_PLOT_BOTH;
  if (o.plot != NULL) {
    if (strcmp (o.plot, "png") == 0)
      plots = RSIM_PLOT_PNG;
    else if (strcmp (o.plot, "svg") == 0)
      plots = RSIM_PLOT_SVG;
    else if (strcmp (o.plot, "none") == 0)
      plots = 0;
    else if (strcmp (o.plot, "both") != 0)
      return rsim__cli_usage_error ("advise", "--plot: expected png, svg, both "
                                    "or none, got '%s'", o.plot);
  }
  guint shard, shards;
  rc = rsim__cli_resolve_shard ("advise", o.shard, o.shards, o.merge == NULL,
                                &shard, &shards);
  if (rc >= 0)
    return rc;
  if (shards > 1 && o.merge != NULL)
    return rsim__cli_usage_error ("advise", "--merge and --shard exclude each "
                                  "other");

  g_autoptr (GError) error = NULL;
  g_autoptr (RsimAdvisor) advisor = rsim_advisor_load_file (argv[1], &error);
  if (advisor == NULL) {
    rsim__cli_error ("%s", error->message);
    return RSIM_EXIT_SCENARIO;
  }
  GPtrArray *warnings = rsim_advisor_warnings (advisor);
  for (guint i = 0; i < warnings->len; i++)
    rsim__cli_warning ("%s", (const char *) warnings->pdata[i]);

  g_autofree char *out_dir = NULL;
  if (o.out != NULL) {
    out_dir = g_strdup (o.out);
  } else {
    g_autofree char *sub = shards > 1
      ? g_strdup_printf ("shard-%u-of-%u", shard, shards) : NULL;
    out_dir = rsim__cli_default_out (rsim_advisor_name (advisor), "advise",
                                     sub);
  }
  RsimAdviseOptions options = {
    .jobs = (guint) o.jobs,
    .shard = shards > 1 ? shard : 0,
    .shards = shards > 1 ? shards : 0,
    .merge_dirs = (const char *const *) o.merge,
    .n_merge_dirs = o.merge ? g_strv_length (o.merge) : 0,
    .progress = o.quiet ? NULL : print_progress,
  };
  g_autoptr (RsimAdvice) advice = rsim_advise (advisor, &options, &error);
  if (advice == NULL
      || !rsim_advice_write (advice, out_dir, shards > 1 ? 0 : plots, &error)) {
    rsim__cli_error ("%s", error->message);
    return exit_for (error);
  }
  if (!o.quiet) {
    g_autofree char *summary = rsim_advice_summary (advice);
    rsim__cli_print (summary);
    g_autofree char *line = shards > 1
      ? g_strdup_printf ("Wrote %s and %s in %s\n", RSIM_ADVICE_SHARD_RUNS,
                         RSIM_ADVICE_SHARD_FILE, out_dir)
      : g_strdup_printf ("\nWrote %s, %s, %s, %s, %s%s in %s\n",
                         RSIM_ADVICE_JSON, RSIM_ADVICE_CANDIDATES_CSV,
                         RSIM_ADVICE_PARETO_CSV, RSIM_ADVICE_FLINK_YAML,
                         RSIM_ADVICE_SCENARIO_PATCH,
                         plots ? " and the Pareto plot" : "", out_dir);
    rsim__cli_print (line);
  }
  return RSIM_EXIT_OK;
}

const RsimCliCommand rsim__cli_cmd_advise = {
  .name = "advise",
  .summary = "Find the cheapest knob values that meet a scenario's objectives",
  .run = advise_main,
  .help = advise_help,
};
