/* "rescalesim calibrate": fits the cost model to a job's Flink statistics.
 *
 *   rescalesim calibrate FILE... [--out COSTS.json]
 *
 * Each FILE is a response of Flink's REST API (see calibrate.h for which).
 * The fitted values with their uncertainty and the residuals go to stdout;
 * the "costs" object goes to --out (written whole, or not at all), or to
 * stdout after the report without --out. */
#include "cli/cli.h"

#include <stdio.h>

#include <rescalesim/calibrate.h>

typedef struct {
  char *out;
  gboolean help;
} CalibrateOptions;

static GOptionContext *
calibrate_context_new (CalibrateOptions *o)
{
  const GOptionEntry entries[] = {
    { "out", 'o', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &o->out,
      "Write the fitted \"costs\" object to FILE [stdout]", "FILE" },
    G_OPTION_ENTRY_NULL
  };
  return rsim__cli_context_new (
    "calibrate", "FILE...",
    "Fits checkpoint_fixed and checkpoint_upload_bandwidth, restore_fixed and\n"
    "state_download_bandwidth, and deploy_fixed to a job's statistics, saved\n"
    "from Flink's REST API:\n"
    "  GET /jobs/:jobid/checkpoints/details/:id/subtasks/:vertexid  (1.5+)\n"
    "  GET /jobs/:jobid/checkpoints/details/:id\n"
    "  GET /jobs/:jobid/checkpoints            (which checkpoint was restored)\n"
    "  GET /jobs/:jobid/vertices/:vertexid/subtasktimes            (1.12+)",
    "Prints each fitted value with its standard error and every point's\n"
    "residual. Paste the costs object into a scenario's \"costs\".",
    entries, &o->help);
}

static char *
calibrate_help (void)
{
  CalibrateOptions o = { 0 };
  return rsim__cli_help_text (calibrate_context_new (&o));
}

static int
calibrate_main (int argc, char **argv)
{
  CalibrateOptions o = { 0 };
  GOptionContext *ctx = calibrate_context_new (&o);
  int rc = rsim__cli_parse (ctx, "calibrate", &o.help, &argc, &argv);
  g_autofree char *out = o.out;
  if (rc >= 0)
    return rc;
  if (argc < 2)
    return rsim__cli_usage_error ("calibrate", "calibrate: missing FILE");
  if (out != NULL && *out == '\0')
    return rsim__cli_usage_error ("calibrate", "--out needs a file name");

  g_autoptr (RsimCalibration) cal = rsim_calibration_new ();
  g_autoptr (GError) error = NULL;
  for (int i = 1; i < argc; i++) {
    g_autofree char *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents (argv[i], &data, &len, &error)) {
      rsim__cli_error ("%s: cannot read: %s", argv[i], error->message);
      return RSIM_EXIT_SCENARIO;
    }
    if (!rsim_calibration_add (cal, data, len, argv[i], &error)) {
      rsim__cli_error ("%s", error->message);
      return RSIM_EXIT_SCENARIO;
    }
  }
  if (!rsim_calibration_fit (cal, &error)) {
    rsim__cli_error ("%s", error->message);
    return RSIM_EXIT_SCENARIO;
  }
  g_autofree char *report = rsim_calibration_report (cal);
  g_autofree char *costs = rsim_calibration_costs_json (cal);
  if (out != NULL && !g_file_set_contents (out, costs, -1, &error)) {
    rsim__cli_error ("%s", error->message);
    return RSIM_EXIT_OUTPUT;
  }
  rsim__cli_print (report);
  if (out == NULL) {
    rsim__cli_print ("\n\"costs\": ");
    rsim__cli_print (costs);
  } else {
    printf ("\nWrote the costs object to %s\n", out);
  }
  return RSIM_EXIT_OK;
}

const RsimCliCommand rsim__cli_cmd_calibrate = {
  .name = "calibrate",
  .summary = "Fit cost parameters to a job's Flink checkpoint statistics",
  .run = calibrate_main,
  .help = calibrate_help,
};
