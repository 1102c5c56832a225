/* "rescalesim compare": one scenario under each of its schedulers (and
 * several seeds), side by side: the options and the scenario are checked
 * here, the runs, compare.json and the table are the harness's
 * (rsim_harness_compare(), harness.h), which checks every scheduler
 * against the scenario's Flink version before running anything, so a
 * mistake leaves nothing behind. */
#include "cli/cli.h"

#include <stdio.h>

#include <rescalesim/harness.h>

typedef struct {
  char *seeds;
  char *out;
  char *schedulers;
  gboolean json;
  gboolean quiet;
  gboolean help;
} CompareOptions;

static void
compare_options_clear (CompareOptions *o)
{
  g_free (o->seeds);
  g_free (o->out);
  g_free (o->schedulers);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CompareOptions, compare_options_clear)

static GOptionContext *
compare_context_new (CompareOptions *o)
{
  const GOptionEntry entries[] = {
    { "seeds", 'n', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &o->seeds,
      "Seeds per scheduler, from the scenario's seed on [1]", "N" },
    { "schedulers", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &o->schedulers,
      "Comma-separated schedulers [the scenario's list]", "LIST" },
    { "out", 'o', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &o->out,
      "Output directory [out/NAME/compare]", "DIR" },
    { "json", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &o->json,
      "Print compare.json on stdout instead of the table", NULL },
    { "quiet", 'q', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &o->quiet,
      "Print nothing on stdout but --json output", NULL },
    G_OPTION_ENTRY_NULL
  };
  return rsim__cli_context_new (
    "compare", "SCENARIO",
    "Runs SCENARIO under each scheduler it lists (default, adaptive,\n"
    "reactive) and each seed, writes every run's files into\n"
    "OUT/SCHEDULER/seed-N/ and a compare.json, and prints one table.",
    "The abstract \"scale\" action is realised by each scheduler its own\n"
    "way (stop-with-savepoint and resubmit; new resource requirements;\n"
    "TaskManagers only), which is what makes the comparison fair.",
    entries, &o->help);
}

static char *
compare_help (void)
{
  CompareOptions o = { 0 };
  return rsim__cli_help_text (compare_context_new (&o));
}

static int
compare_main (int argc, char **argv)
{
  g_auto (CompareOptions) o = { 0 };
  int rc = rsim__cli_parse (compare_context_new (&o), "compare",
                           &o.help, &argc, &argv);
  if (rc >= 0)
    return rc;
  if (argc != 2)
    return rsim__cli_usage_error ("compare", argc < 2
                                  ? "compare: missing SCENARIO"
                                  : "compare: unexpected argument");
  guint64 n_seeds = 1;
  if (o.seeds && !g_ascii_string_to_unsigned (o.seeds, 10, 1, 1000, &n_seeds,
                                              NULL))
    return rsim__cli_usage_error ("compare", "invalid --seeds '%s': expected "
                                  "an integer from 1 to 1000", o.seeds);
  if (o.out != NULL && *o.out == '\0')
    return rsim__cli_usage_error ("compare", "--out needs a directory name");

  g_autoptr (RsimScenario) scenario = rsim__cli_load_scenario (argv[1], &rc);
  if (scenario == NULL)
    return rc;
  rsim__cli_print_warnings (scenario);

  g_autoptr (GArray) kinds = g_array_new (FALSE, FALSE,
                                          sizeof (RsimSchedulerKind));
  if (o.schedulers) {
    g_auto (GStrv) names = g_strsplit (o.schedulers, ",", -1);
    for (int i = 0; names[i]; i++) {
      RsimSchedulerKind k;
      if (!rsim_scheduler_kind_parse (g_strstrip (names[i]), &k))
        return rsim__cli_usage_error ("compare", "unknown scheduler '%s' "
                                      "(expected default, adaptive or "
                                      "reactive)", names[i]);
      g_array_append_val (kinds, k);
    }
  } else {
    for (guint i = 0; i < scenario->n_schedulers; i++)
      g_array_append_val (kinds, scenario->schedulers[i]);
  }

  g_autofree char *out_dir = o.out != NULL
    ? g_strdup (o.out) : rsim__cli_default_out (scenario->name, "compare", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsimCompare) compare =
    rsim_harness_compare (scenario, (const RsimSchedulerKind *) kinds->data,
                          kinds->len, (guint) n_seeds, out_dir, &error);
  if (compare == NULL) {
    rsim__cli_error ("%s", error->message);
    return rsim__cli_exit_for_error (error);
  }
  if (o.json) {
    rsim__cli_print (rsim_compare_json (compare));
  } else if (!o.quiet) {
    rsim_compare_print (stdout, compare);
    printf ("\nFiles: %s/%s and one directory per run\n", out_dir,
            RSIM_COMPARE_FILE);
  }
  return RSIM_EXIT_OK;
}

const RsimCliCommand rsim__cli_cmd_compare = {
  .name = "compare",
  .summary = "Run one scenario under each scheduler and compare the costs",
  .run = compare_main,
  .help = compare_help,
};
