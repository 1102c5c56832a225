/* rescalesim: the outputs of one run (README.md "Using it";
 * docs/architecture.md "One run").
 *
 * A run writes three files into its output directory:
 *   report.json     the versioned report (schema "rescalesim/report/1"):
 *                   scenario, run, summary, incidents, the resolved
 *                   configuration and the scenario's warnings;
 *   timeseries.csv  one row per sample (RsimSample), streamed while the
 *                   simulation runs;
 *   events.jsonl    one JSON object per line per logged event, simulated
 *                   time first, streamed too.
 * RsimRunWriter streams the two series into temporary files
 * (".rescalesim-tmp-PID-NAME") and only renames all three into place on
 * commit, at once, so a failed or refused run leaves no partial output
 * behind; an interrupted one neither (harness.h); the temporary files of a
 * crashed process are removed by the next writer into the directory.
 *
 * Numbers are written the same way everywhere (CSV, JSON lines, report):
 *   - simulated times (RsimTime) are seconds with exactly six decimals,
 *     printed from the integer microseconds ("12.345678", "0.000001"); no
 *     floating point is involved;
 *   - every other double is printed with 12 significant digits, C locale,
 *     "%.12g" (so "6000", "0.25", "1234.56789", "1.5e+15"); -0 prints as
 *     "0". Twelve digits keep counts exact below 10^12 while hiding the
 *     last-bit noise of accumulated sums, which keeps outputs identical
 *     across compilers. Non-finite values are "nan", "inf" and "-inf" in
 *     the CSV and null in JSON;
 *   - integers (counters, parallelism, the seed) are printed as integers.
 * Nothing in these files depends on the wall clock, the locale or the path
 * the scenario was loaded from: the same scenario and seed give
 * byte-identical files. */
#pragma once

#include <stdio.h>

#include <glib.h>
#include <rescalesim/engine.h>
#include <rescalesim/metrics.h>
#include <rescalesim/scenario.h>
#include <rescalesim/simulation.h>

G_BEGIN_DECLS

/* The value of the report's "schema" key. */
#define RSIM_REPORT_SCHEMA "rescalesim/report/1"

/* File names inside a run's output directory. */
#define RSIM_REPORT_FILE "report.json"
#define RSIM_TIMESERIES_FILE "timeseries.csv"
#define RSIM_EVENTS_FILE "events.jsonl"

/* The first columns of timeseries.csv's header; `phase` and one
 * `parallelism.VERTEX` column per vertex follow (writer.c). */
#define RSIM_TIMESERIES_HEADER                                             \
  "t_s,input_rate,processed_rate,lag_records,capacity,parallelism,"       \
  "taskmanagers,slots,job_state"

/* Size of a buffer that holds any number formatted by the functions below,
 * with its terminating NUL. */
#define RSIM_REPORT_NUMBER_SIZE 40

/* Formats t (microseconds) as seconds with exactly six decimals, e.g.
 * 59999999 -> "59.999999", -1 -> "-0.000001". Works for the whole gint64
 * range. Returns buf. */
const char *rsim_report_format_time (char *buf, RsimTime t);

/* Formats v with the report's double format ("%.12g", C locale, -0 as "0";
 * "nan", "inf", "-inf" when not finite). Returns buf. */
const char *rsim_report_format_double (char *buf, double v);

/* The text of report.json for one run: pretty-printed with two-space
 * indentation, keys in a fixed order, ending with a newline. config is the
 * configuration the run used (scheduler and seed as chosen for the run).
 * (transfer full) */
char *rsim_report_build_json (const RsimScenario *scenario,
                              const RsimSimConfig *config,
                              const RsimResult *result);

/* Prints a table for people: the run's identity, the key metrics with their
 * units, and the incidents with the scheduler's decisions indented below
 * each. */
void rsim_report_print_summary (FILE *out, const RsimScenario *scenario,
                                const RsimSimConfig *config,
                                const RsimResult *result);

/* The output files of one run. Opaque. */
typedef struct RsimRunWriter RsimRunWriter;

/* Creates out_dir (with its parents) when it does not exist, removes the
 * temporary files dead processes left in it, and opens the temporary files
 * of the streamed series inside it. Errors are in the
 * G_FILE_ERROR domain, with the path in the message. (transfer full) */
RsimRunWriter *rsim_run_writer_new (const char *out_dir, GError **error);

/* Sinks that stream samples to timeseries.csv and events to events.jsonl.
 * Valid until the writer is freed. A write error is remembered and reported
 * by rsim_run_writer_commit(). (transfer none) */
const RsimSinks *rsim_run_writer_sinks (RsimRunWriter *writer);

/* The output directory, as given to rsim_run_writer_new(). (transfer none) */
const char *rsim_run_writer_dir (const RsimRunWriter *writer);

/* Closes the series, writes report_json to report.json and renames the
 * three files into place (replacing those of an earlier run). On failure
 * nothing of this run is left in place. At most once per writer. */
gboolean rsim_run_writer_commit (RsimRunWriter *writer, const char *report_json,
                                 GError **error);

/* Closes the writer. Without a successful commit, removes the temporary
 * files and every directory rsim_run_writer_new() created that is still
 * empty. */
void rsim_run_writer_free (RsimRunWriter *writer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsimRunWriter, rsim_run_writer_free)

/* ------------------------------------------------------------------ plots
 *
 * Figures of a run or of a comparison drawn by gnuplot from the templates
 * in plots/ (README.md "Plots and the regression gate"):
 *   - a run directory (report.json, timeseries.csv, events.jsonl) gives
 *     timeline.png/.svg: rates, lag, parallelism and TaskManagers over
 *     time, outages shaded, restarts and rescales marked;
 *   - a comparison directory (compare.json, schema "rescalesim/compare/1",
 *     with each run's files in its "dir") gives compare-summary.png/.svg
 *     (downtime, reprocessed records and restarts per scheduler, mean over
 *     seeds with min/max) and compare-lag.png/.svg (lag of each scheduler's
 *     first seed). */

/* The value of compare.json's "schema" key, and its file name. */
#define RSIM_COMPARE_SCHEMA "rescalesim/compare/1"
#define RSIM_COMPARE_FILE "compare.json"

/* The files a sweep writes (rescalesim/sweep-run.h) and their schemas. */
#define RSIM_SWEEP_FILE "sweep.csv"
#define RSIM_SWEEP_SUMMARY_CSV "summary.csv"
#define RSIM_SWEEP_SUMMARY_JSON "summary.json"
#define RSIM_SWEEP_SHARD_FILE "shard.json"
#define RSIM_SWEEP_SUMMARY_SCHEMA "rescalesim/sweep-summary/1"
#define RSIM_SWEEP_SHARD_SCHEMA "rescalesim/sweep-shard/1"

/* Errors of rsim_plot_result_dir(). */
#define RSIM_PLOT_ERROR (rsim_plot_error_quark ())
typedef enum {
  RSIM_PLOT_ERROR_INPUT,    /* the result directory is missing or invalid */
  RSIM_PLOT_ERROR_GNUPLOT,  /* gnuplot cannot be run, or it failed */
  RSIM_PLOT_ERROR_OUTPUT,   /* the output directory cannot be written */
} RsimPlotError;
GQuark rsim_plot_error_quark (void);

/* Which files to write (a bit set). */
typedef enum {
  RSIM_PLOT_PNG = 1 << 0,
  RSIM_PLOT_SVG = 1 << 1,
  RSIM_PLOT_BOTH = RSIM_PLOT_PNG | RSIM_PLOT_SVG,
} RsimPlotFormats;

/* The directory of the gnuplot templates: $RSIM_PLOTS_DIR when set, else
 * PREFIX/share/rescalesim/plots of the installed program (found from the
 * program's own location, then the configured prefix), else, for a program
 * run from the build directory, the source tree's plots/. (transfer none) */
const char *rsim_plot_templates_dir (void);

/* Draws the plots of result_dir (a run or a comparison directory, told
 * apart by compare.json) into out_dir, or into result_dir when out_dir is
 * NULL (created with its parents when missing). templates_dir may be NULL
 * (rsim_plot_templates_dir()). gnuplot is looked up in PATH, or taken from
 * $RSIM_GNUPLOT. Each file is written under a temporary name and renamed
 * when gnuplot succeeded. Returns the paths written, in order, or NULL with
 * error set (RSIM_PLOT_ERROR; a gnuplot failure carries its stderr).
 * (transfer full) */
GPtrArray *rsim_plot_result_dir (const char *result_dir,
                                 RsimPlotFormats formats,
                                 const char *out_dir,
                                 const char *templates_dir, GError **error);

G_END_DECLS
