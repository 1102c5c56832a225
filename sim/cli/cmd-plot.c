/* "rescalesim plot": draws the figures of a run, a comparison or a sweep with
 * gnuplot and prints the path of each file written, one per line.
 *
 * Exit codes: 2 for a bad option, 3 when RESULT_DIR is missing or is not a
 * result directory, 4 when gnuplot is missing or fails (its stderr is
 * shown) or the output directory cannot be written. */
#include "cli/cli.h"

#include <stdio.h>

#include <rescalesim/report.h>

typedef struct {
  char *format;
  char *out;
  gboolean help;
} PlotOptions;

static void
plot_options_clear (PlotOptions *o)
{
  g_free (o->format);
  g_free (o->out);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PlotOptions, plot_options_clear)

static GOptionContext *
plot_context_new (PlotOptions *o)
{
  const GOptionEntry entries[] = {
    { "format", 'f', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &o->format,
      "png, svg or both [both]", "FORMAT" },
    { "out", 'o', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &o->out,
      "Directory for the figures [RESULT_DIR]", "DIR" },
    G_OPTION_ENTRY_NULL
  };
  return rsim__cli_context_new (
    "plot", "RESULT_DIR",
    "Draws the figures of RESULT_DIR with gnuplot. A run directory (from\n"
    "'rescalesim run') gives timeline.png/.svg: input rate and throughput,\n"
    "lag, each vertex's parallelism and TaskManagers over time, outages\n"
    "shaded, restarts and rescales marked. A comparison directory (with\n"
    "compare.json) gives compare-summary (downtime, job stops, rescales\n"
    "and reprocessed records per scheduler) and compare-lag (lag of each\n"
    "scheduler's first seed). A sweep directory (with summary.json) gives\n"
    "sweep-AXIS for each swept axis but the scheduler: downtime, job\n"
    "stops, rescales, reprocessed records and peak lag against the axis,\n"
    "the mean over seeds with its 95 % confidence interval, one line per\n"
    "scheduler and value of the other axes.",
    "Prints the path of each file written. gnuplot comes from PATH (or\n"
    "$RSIM_GNUPLOT); the templates from $RSIM_PLOTS_DIR, else from\n"
    "PREFIX/share/rescalesim/plots of the installed program, else (a\n"
    "program run from its build directory) from the source tree's plots/.",
    entries, &o->help);
}

static char *
plot_help (void)
{
  PlotOptions o = { 0 };
  return rsim__cli_help_text (plot_context_new (&o));
}

static int
plot_main (int argc, char **argv)
{
  g_auto (PlotOptions) o = { 0 };
  int rc = rsim__cli_parse (plot_context_new (&o), "plot",
                           &o.help, &argc, &argv);
  if (rc >= 0)
    return rc;

  if (argc < 2)
    return rsim__cli_usage_error ("plot", "plot: missing RESULT_DIR");
  if (argc > 2)
    return rsim__cli_usage_error ("plot", "plot: unexpected argument '%s'",
                                  argv[2]);
  RsimPlotFormats formats = RSIM_PLOT_BOTH;
  if (o.format != NULL) {
    if (g_str_equal (o.format, "png"))
      formats = RSIM_PLOT_PNG;
    else if (g_str_equal (o.format, "svg"))
      formats = RSIM_PLOT_SVG;
    else if (!g_str_equal (o.format, "both"))
      return rsim__cli_usage_error ("plot", "unknown format '%s' (expected "
                                    "png, svg or both)", o.format);
  }
  if (o.out != NULL && *o.out == '\0')
    return rsim__cli_usage_error ("plot", "--out needs a directory name");

  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) written = rsim_plot_result_dir (argv[1], formats,
                                                        o.out, NULL, &error);
  if (written == NULL) {
    rsim__cli_error ("%s", error->message);
    return g_error_matches (error, RSIM_PLOT_ERROR, RSIM_PLOT_ERROR_INPUT)
      ? RSIM_EXIT_SCENARIO : RSIM_EXIT_OUTPUT;
  }
  for (guint i = 0; i < written->len; i++)
    printf ("%s\n", (const char *) written->pdata[i]);
  return RSIM_EXIT_OK;
}

const RsimCliCommand rsim__cli_cmd_plot = {
  .name = "plot",
  .summary = "Draw a run's timeline or a comparison with gnuplot",
  .run = plot_main,
  .help = plot_help,
};
