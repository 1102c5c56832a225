/* rescalesim: the harness, what runs scenarios (docs/architecture.md;
 * README.md "Sweeps, shards and merging").
 *
 *   - rsim_harness_run_one(): one scenario under one configuration: the run
 *     writer, the simulation streaming into it, report.json, the commit of
 *     the files; on any failure nothing of the run is left behind. `run`,
 *     `compare` and `sweep` all go through it.
 *   - compare: one scenario under several schedulers and seeds, each run in
 *     OUT/SCHEDULER/seed-N/, then compare.json (schema rescalesim/compare/1)
 *     and a table of the metrics flagged RSIM_METRIC_IN_COMPARE.
 *   - check: the regression gate against a baseline.
 *   - interruption: SIGINT and SIGTERM remove the temporary files of the
 *     runs in progress and end the process with 128 + the signal number.
 * Sweeps are in sweep.h. */
#pragma once

#include <stdio.h>

#include <glib.h>
#include <rescalesim/metrics.h>
#include <rescalesim/report.h>
#include <rescalesim/scenario.h>
#include <rescalesim/simulation.h>

G_BEGIN_DECLS

/* Errors of the harness itself; a run also passes on the simulation's
 * RSIM_SIM_ERROR. */
#define RSIM_HARNESS_ERROR (rsim_harness_error_quark ())
typedef enum {
  RSIM_HARNESS_ERROR_OUTPUT,    /* an output file or directory cannot be
                                 * written */
  RSIM_HARNESS_ERROR_INVALID,   /* the request does not fit the scenario
                                 * (a scheduler its Flink version lacks) */
} RsimHarnessError;
GQuark rsim_harness_error_quark (void);

/* ---------------------------------------------------------------- one run */

typedef enum {
  RSIM_HARNESS_RUN_DEFAULT = 0,
  /* Keep the text of report.json in the outcome even without out_dir. */
  RSIM_HARNESS_RUN_REPORT = 1 << 0,
} RsimHarnessRunFlags;

/* What one run gave. */
typedef struct {
  RsimResult *result;          /* (transfer full) */
  char *report_json;           /* report.json's text, or NULL without
                                * out_dir and RSIM_HARNESS_RUN_REPORT */
  gint64 wall_us;              /* wall-clock time of the simulation, for
                                * --stats only: never written to a file */
} RsimHarnessRun;

void rsim_harness_run_clear (RsimHarnessRun *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RsimHarnessRun, rsim_harness_run_clear)

/* Runs scenario with config (its scheduler and seed as chosen for this
 * run). With out_dir, streams timeseries.csv and events.jsonl into it and
 * commits them with report.json; without, writes nothing. On failure
 * returns FALSE with error set (RSIM_SIM_ERROR from the simulation,
 * RSIM_HARNESS_ERROR_OUTPUT for the files) and leaves nothing of the run
 * in out_dir. */
gboolean rsim_harness_run_one (const RsimScenario *scenario,
                               const RsimSimConfig *config,
                               const char *out_dir, RsimHarnessRunFlags flags,
                               RsimHarnessRun *out, GError **error);

/* A scenario name as one safe path component: anything but letters,
 * digits, '.', '-' and '_' becomes '_'; "", "." and ".." become
 * "scenario". (transfer full) */
char *rsim_harness_path_component (const char *name);

/* ----------------------------------------------------------------- compare */

/* The outcome of a comparison. Opaque. */
typedef struct RsimCompare RsimCompare;

/* Runs scenario under each of the n_kinds schedulers for n_seeds seeds
 * (from the scenario's seed on), each run's files in
 * out_dir/SCHEDULER/seed-N/, then writes out_dir/compare.json. Every
 * scheduler is checked against the scenario's Flink version before
 * anything runs (RSIM_HARNESS_ERROR_INVALID). A failed run stops the
 * comparison; the runs before it keep their files, compare.json is not
 * written. (transfer full) */
RsimCompare *rsim_harness_compare (const RsimScenario *scenario,
                                   const RsimSchedulerKind *kinds,
                                   guint n_kinds, guint n_seeds,
                                   const char *out_dir, GError **error);

/* compare.json's text (schema rescalesim/compare/1). (transfer none) */
const char *rsim_compare_json (const RsimCompare *compare);

/* Prints the table for people: one row per scheduler with the metrics
 * flagged RSIM_METRIC_IN_COMPARE (means over the seeds) and the first
 * seed's final parallelism. */
void rsim_compare_print (FILE *out, const RsimCompare *compare);

void rsim_compare_free (RsimCompare *compare);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsimCompare, rsim_compare_free)

/* ------------------------------------------------------------ interruption */

/* Makes SIGINT and SIGTERM end the process cleanly: a thread waits for
 * them (they are blocked in every thread, so call this before starting
 * any), removes every temporary file of the runs and writes in progress
 * and the directories they created that are still empty, and exits with
 * 128 + the signal number (130, 143). Final files already in place stay.
 * Once per process; later calls do nothing. */
void rsim_harness_catch_interruptions (void);

/* ------------------------------------------------------ regression check
 *
 * The regression gate (rescalesim check; README.md "Plots and the
 * regression gate"): results of
 * runs are compared with a baseline file (schema "rescalesim/baseline/1")
 * holding, per (scenario, scheduler, seed), the summary of report.json and
 * per-metric tolerances. A number passes when
 *   |new - base| <= max (abs, rel * |base|);
 * a metric without a tolerance entry must be equal (integer counters exact);
 * strings (final_state) and nulls must be equal; a baseline result with no
 * matching run, a run with no baseline result and a metric missing from a
 * run are failures. */

/* The value of the baseline's "schema" key. */
#define RSIM_BASELINE_SCHEMA "rescalesim/baseline/1"

/* Errors of the functions below: unreadable or invalid input (a baseline or
 * a report.json), or a baseline that cannot be written. */
#define RSIM_CHECK_ERROR (rsim_check_error_quark ())
typedef enum {
  RSIM_CHECK_ERROR_INPUT,
  RSIM_CHECK_ERROR_OUTPUT,    /* the baseline cannot be written */
} RsimCheckError;
GQuark rsim_check_error_quark (void);

/* The outcome of one check. Opaque. */
typedef struct RsimCheck RsimCheck;

/* Compares the report.json of each of the n_dirs result directories with
 * the baseline file. Returns NULL with error set only when an input cannot
 * be read or is not what it should be; regressions are in the result.
 * (transfer full) */
RsimCheck *rsim_check_run (const char *baseline_path,
                           const char *const *result_dirs, guint n_dirs,
                           GError **error);

/* TRUE when no metric is outside its tolerance and no result is missing. */
gboolean rsim_check_passed (const RsimCheck *check);

/* Prints a table for people: every metric that differs from the baseline
 * (metric, baseline, new, delta, tolerance, PASS/FAIL) under its result,
 * missing results, and a last line with the verdict. */
void rsim_check_print (FILE *out, const RsimCheck *check);

/* The comparison as JSON text ending with a newline. (transfer full) */
char *rsim_check_build_json (const RsimCheck *check);

/* The comparison as JUnit XML for CI servers: a <testsuite> per result
 * (scenario / scheduler / seed), a <testcase> per compared metric, a
 * <failure> with the baseline, the new value, the delta and the tolerance
 * for each regression; a missing or unexpected result is one failed case
 * named "result". (transfer full) */
char *rsim_check_build_junit (const RsimCheck *check);
/* rsim_check_build_junit() written to path through a temporary file
 * (RSIM_CHECK_ERROR_OUTPUT when it cannot be written). */
gboolean rsim_check_write_junit (const RsimCheck *check, const char *path,
                                 GError **error);

void rsim_check_free (RsimCheck *check);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsimCheck, rsim_check_free)

/* The text of a baseline file made from the report.json of each result
 * directory, with the default tolerances, results sorted by scenario,
 * scheduler and seed. Two directories with the same identity are an
 * error. (transfer full) */
char *rsim_check_build_baseline (const char *const *result_dirs,
                                 guint n_dirs, GError **error);

/* rsim_check_build_baseline() written to path (through a temporary file
 * renamed into place). */
gboolean rsim_check_write_baseline (const char *path,
                                    const char *const *result_dirs,
                                    guint n_dirs, GError **error);

G_END_DECLS
