/* "rescalesim check": the regression gate. Compares the report.json of
 * each RESULT_DIR with a baseline file and prints every metric that
 * differs, with the verdict; "--write-baseline FILE" makes the baseline
 * from the RESULT_DIRs instead (with the default tolerances).
 *
 * Exit codes: 0 when every result is within its tolerances, 1 on any
 * regression or missing result, 2 for a usage error, 3 when the baseline or
 * a report cannot be read or is invalid, 4 when the baseline cannot be
 * written. */
#include "cli/cli.h"

#include <stdio.h>

#include <rescalesim/harness.h>

typedef struct {
  char *baseline;
  char *write_baseline;
  char *junit;
  gboolean json;
  gboolean help;
} CheckOptions;

static void
check_options_clear (CheckOptions *o)
{
  g_free (o->baseline);
  g_free (o->write_baseline);
  g_free (o->junit);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CheckOptions, check_options_clear)

static GOptionContext *
check_context_new (CheckOptions *o)
{
  const GOptionEntry entries[] = {
    { "baseline", 'b', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME,
      &o->baseline, "The baseline to compare with", "FILE" },
    { "write-baseline", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME,
      &o->write_baseline,
      "Write a baseline made from the RESULT_DIRs instead", "FILE" },
    { "json", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &o->json,
      "Print the comparison as JSON instead of the table", NULL },
    { "junit", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &o->junit,
      "Also write the comparison as JUnit XML to FILE (for CI servers)",
      "FILE" },
    G_OPTION_ENTRY_NULL
  };
  return rsim__cli_context_new (
    "check", "RESULT_DIR...",
    "Compares the report.json of each RESULT_DIR (matched by scenario name,\n"
    "scheduler and seed) with a baseline and prints every metric that\n"
    "differs: baseline, new value, delta, tolerance, PASS or FAIL. A value\n"
    "passes when |new - baseline| <= max(abs, rel * |baseline|); metrics\n"
    "without a tolerance, final_state and final_parallelism must be equal.\n"
    "A baseline result without a RESULT_DIR, or the reverse, fails.",
    "Exit status 1 means a regression. With --write-baseline FILE, writes\n"
    "the baseline (schema rescalesim/baseline/1, default tolerances) from\n"
    "the RESULT_DIRs and exits 0. --junit FILE writes one test case per\n"
    "result and metric, failures carrying the baseline, the new value and\n"
    "the tolerance; it is written whatever the verdict (exit 4 when it\n"
    "cannot be).",
    entries, &o->help);
}

static char *
check_help (void)
{
  CheckOptions o = { 0 };
  return rsim__cli_help_text (check_context_new (&o));
}

static int
write_baseline (const char *path, const char *const *dirs, guint n)
{
  g_autoptr (GError) error = NULL;
  if (!rsim_check_write_baseline (path, dirs, n, &error)) {
    rsim__cli_error ("%s", error->message);
    return rsim__cli_exit_for_error (error);
  }
  fprintf (stderr, "rescalesim: wrote %s (%u result%s)\n", path, n,
           n == 1 ? "" : "s");
  return RSIM_EXIT_OK;
}

static int
check_main (int argc, char **argv)
{
  g_auto (CheckOptions) o = { 0 };
  int rc = rsim__cli_parse (check_context_new (&o), "check",
                           &o.help, &argc, &argv);
  if (rc >= 0)
    return rc;

  if ((o.baseline == NULL) == (o.write_baseline == NULL))
    return rsim__cli_usage_error ("check", "check: expected one of "
                                  "--baseline FILE and --write-baseline FILE");
  if (argc < 2)
    return rsim__cli_usage_error ("check", "check: missing RESULT_DIR");
  if (o.junit != NULL && o.write_baseline != NULL)
    return rsim__cli_usage_error ("check", "check: --junit goes with "
                                  "--baseline, not --write-baseline");
  if (o.junit != NULL && *o.junit == '\0')
    return rsim__cli_usage_error ("check", "check: --junit needs a file name");
  const char *const *dirs = (const char *const *) argv + 1;
  guint n = (guint) argc - 1;
  if (o.write_baseline != NULL)
    return write_baseline (o.write_baseline, dirs, n);

  g_autoptr (GError) error = NULL;
  g_autoptr (RsimCheck) check = rsim_check_run (o.baseline, dirs, n, &error);
  if (check == NULL) {
    rsim__cli_error ("%s", error->message);
    return rsim__cli_exit_for_error (error);
  }
  if (o.junit != NULL && !rsim_check_write_junit (check, o.junit, &error)) {
    rsim__cli_error ("%s", error->message);
    return rsim__cli_exit_for_error (error);
  }
  if (o.json) {
    g_autofree char *text = rsim_check_build_json (check);
    rsim__cli_print (text);
  } else {
    rsim_check_print (stdout, check);
  }
  return rsim_check_passed (check) ? RSIM_EXIT_OK : RSIM_EXIT_FAILURE;
}

const RsimCliCommand rsim__cli_cmd_check = {
  .name = "check",
  .summary = "Compare results with a baseline (the regression gate)",
  .run = check_main,
  .help = check_help,
};
