/* rescalesim: running a sweep (README.md "Sweeps, shards and merging"):
 * the statistics of a sweep's runs, and the runner, sharding and merge.
 * The expansion of a scenario's "sweep" block is rescalesim/sweep.h.
 *
 * The runner runs a sweep's runs on a thread pool and writes, into an
 * output directory:
 *   sweep.csv     one row per run: run, point, the axis columns, scheduler,
 *                 seed, then every metric the list flags
 *                 RSIM_METRIC_IN_SWEEP (metrics.h)
 *                 and final_state. The axis columns are every axis but
 *                 "scheduler" (the scheduler column holds it) with its
 *                 values as written, each followed by its numeric twin in
 *                 base units when it holds quantities (rsim_sweep_axis_unit);
 *                 Flink versions are always quoted;
 *   summary.csv   one row per (point, metric): n, mean, sd, median, p95,
 *                 min, max and the 95 % confidence interval of the mean;
 *   summary.json  the same (schema "rescalesim/sweep-summary/1"), with
 *                 "axis_columns" naming the axis columns and their types
 *                 (text, number, version), as shard.json does.
 * A shard (--shard K/N: the runs whose index % N == K-1) writes sweep.csv
 * with its rows and shard.json instead of the summaries; merging every
 * shard writes files byte-identical to an unsharded sweep's. Numbers use
 * the report's formats (rsim_report_format_double); the files are written
 * under temporary names and renamed together once all are written. Each
 * run goes through rsim_harness_run_one() (harness.h). Outputs never depend
 * on the number of threads. */
#pragma once

#include <glib.h>
#include <rescalesim/report.h>
#include <rescalesim/sweep.h>

G_BEGIN_DECLS

/* ------------------------------------------------------------ statistics */

/* The figures of one sample. Quantiles use linear interpolation between
 * order statistics (Hyndman & Fan type 7, as R's and numpy's default and
 * gsl_stats_quantile_from_sorted_data): on the sorted values x[0..n-1],
 * q(p) = x[i] + (h - i) (x[i+1] - x[i]) with h = (n - 1) p, i = floor (h).
 * sd is the sample standard deviation (n - 1 in the denominator). The
 * confidence interval is mean -/+ t * sd / sqrt (n) with t the 0.975
 * quantile of Student's t with n - 1 degrees of freedom. Missing figures
 * are NAN: all of them when n = 0; sd and the interval when n = 1. */
typedef struct {
  guint n;
  double mean;
  double sd;
  double median;
  double p95;
  double min;
  double max;
  double ci95_low;
  double ci95_high;
} RsimStats;

/* Summarises values[0..n) (NAN entries are skipped and not counted). */
void rsim_stats_compute (const double *values, guint n, RsimStats *out);

/* ----------------------------------------------------------------- runner */


/* Errors of the runner and of merge. */
#define RSIM_SWEEP_ERROR (rsim_sweep_error_quark ())
typedef enum {
  RSIM_SWEEP_ERROR_RUN,       /* a run failed */
  RSIM_SWEEP_ERROR_INPUT,     /* merge: a shard is unreadable or invalid */
  RSIM_SWEEP_ERROR_MISMATCH,  /* merge: shards of different sweeps, a shard
                               * missing or given twice */
  RSIM_SWEEP_ERROR_OUTPUT,    /* the output directory cannot be written */
} RsimSweepError;
GQuark rsim_sweep_error_quark (void);

/* Progress of a sweep, called in the thread that called rsim_sweep_execute
 * after each run (done of total). */
typedef void (*RsimSweepProgressFunc) (gpointer user, guint done, guint total);

typedef struct {
  guint jobs;                 /* worker threads; 0: one per core */
  guint shard;                /* K (1-based) of shards; shards 0: every run */
  guint shards;               /* N */
  const char *runs_dir;       /* each run's files in runs_dir/run-NNNNNN, or
                               * NULL for none */
  RsimSweepProgressFunc progress;   /* may be NULL */
  gpointer progress_user;
} RsimSweepOptions;

/* The rows of a sweep (or of a shard) and what identifies the sweep.
 * Opaque. */
typedef struct RsimSweepTable RsimSweepTable;

/* Runs the sweep's runs (the shard's when options->shards > 1).
 * (transfer full) */
RsimSweepTable *rsim_sweep_execute (const RsimSweep *sweep,
                                    const RsimSweepOptions *options,
                                    GError **error);
/* Joins shard directories (each with shard.json and sweep.csv) into the
 * complete table; refuses shards of different sweeps and a run missing or
 * present twice. (transfer full) */
RsimSweepTable *rsim_sweep_merge (const char *const *dirs, guint n_dirs,
                                  GError **error);
/* Rows in the table, and whether it holds every run of its sweep. */
guint rsim_sweep_table_n_rows (const RsimSweepTable *table);
/* The scenario's name. (transfer none) */
const char *rsim_sweep_table_name (const RsimSweepTable *table);
gboolean rsim_sweep_table_is_shard (const RsimSweepTable *table);
/* Writes the table into out_dir (created with its parents): a complete
 * table as sweep.csv, summary.csv and summary.json; a shard as sweep.csv
 * and shard.json. */
gboolean rsim_sweep_table_write (const RsimSweepTable *table,
                                 const char *out_dir, GError **error);
void rsim_sweep_table_free (RsimSweepTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsimSweepTable, rsim_sweep_table_free)

G_END_DECLS
