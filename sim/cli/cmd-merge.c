/* "rescalesim merge": joins the shard directories of one sweep (each with
 * shard.json and sweep.csv, written by 'rescalesim sweep --shard K/N') into
 * the sweep.csv, summary.csv and summary.json an unsharded sweep writes,
 * byte for byte. Refuses shards of different sweeps (their sweep hashes or
 * shard counts differ), a shard given twice and a missing shard. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include <rescalesim/sweep-run.h>

typedef struct {
  char *out;
  gboolean quiet;
  gboolean help;
} MergeOptions;

static void
merge_options_clear (MergeOptions *o)
{
  g_free (o->out);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MergeOptions, merge_options_clear)

static GOptionContext *
merge_context_new (MergeOptions *o)
{
  const GOptionEntry entries[] = {
    { "out", 'o', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &o->out,
      "Output directory [out/NAME/sweep]", "DIR" },
    { "quiet", 'q', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &o->quiet,
      "Print nothing on stdout", NULL },
    G_OPTION_ENTRY_NULL
  };
  return rsim__cli_context_new (
    "merge", "DIR...",
    "Joins the shard directories DIR... of one sweep (written by\n"
    "'rescalesim sweep --shard K/N') and writes sweep.csv, summary.csv and\n"
    "summary.json, identical to those of the same sweep run unsharded.",
    "Every shard of the sweep must be given exactly once.", entries, &o->help);
}

static char *
merge_help (void)
{
  MergeOptions o = { 0 };
  return rsim__cli_help_text (merge_context_new (&o));
}

static int
merge_main (int argc, char **argv)
{
  g_auto (MergeOptions) o = { 0 };
  int rc = rsim__cli_parse (merge_context_new (&o), "merge",
                           &o.help, &argc, &argv);
  if (rc >= 0)
    return rc;
  if (argc < 2)
    return rsim__cli_usage_error ("merge", "merge: missing DIR");
  if (o.out != NULL && *o.out == '\0')
    return rsim__cli_usage_error ("merge", "--out needs a directory name");

  g_autoptr (GError) error = NULL;
  g_autoptr (RsimSweepTable) table =
    rsim_sweep_merge ((const char *const *) argv + 1, (guint) argc - 1, &error);
  if (table == NULL) {
    rsim__cli_error ("%s", error->message);
    return rsim__cli_exit_for_error (error);
  }
  /* By default, where an unsharded sweep of the scenario writes. */
  g_autofree char *out_dir = o.out != NULL
    ? g_strdup (o.out)
    : rsim__cli_default_out (rsim_sweep_table_name (table), "sweep", NULL);
  if (!rsim_sweep_table_write (table, out_dir, &error)) {
    rsim__cli_error ("%s", error->message);
    return rsim__cli_exit_for_error (error);
  }
  if (!o.quiet)
    printf ("%u run%s from %d shard%s; wrote %s, %s and %s in %s\n",
            rsim_sweep_table_n_rows (table),
            rsim_sweep_table_n_rows (table) == 1 ? "" : "s", argc - 1,
            argc - 1 == 1 ? "" : "s", RSIM_SWEEP_FILE,
            RSIM_SWEEP_SUMMARY_CSV, RSIM_SWEEP_SUMMARY_JSON, out_dir);
  return RSIM_EXIT_OK;
}

const RsimCliCommand rsim__cli_cmd_merge = {
  .name = "merge",
  .summary = "Join the shards of a sweep into its sweep and summary files",
  .run = merge_main,
  .help = merge_help,
};
