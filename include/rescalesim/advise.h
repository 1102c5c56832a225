/* rescalesim: the advisor (rescalesim advise): the cheapest configuration
 * of a scenario that meets objectives on its metrics, found by simulation.
 *
 * A scenario's "advise" block names
 *   knobs       places in the scenario, written as sweep axes (sweep.h),
 *               each with a list of values or a range
 *               {"from", "to", "steps", "scale": "linear"|"log"} of
 *               numbers or durations;
 *   objectives  "METRIC STATISTIC OP BOUND [per day|per hour]" over the
 *               metrics of RSIM_METRIC_LIST (metrics.h), STATISTIC one of
 *               mean, median, pNN, min, max, OP <= or >=;
 *   cost        what to minimise: slot_seconds (optionally priced per
 *               slot-hour), checkpoint_bytes, or a named weighted sum of
 *               metrics;
 *   seeds and confidence: runs per candidate and the level of every
 *               confidence interval.
 * The search (advise.c): the coarse grid of the knobs' values; racing, which
 * runs the seeds in rounds and drops a candidate once its intervals show
 * that it violates an objective or that a candidate surely meeting every
 * objective is surely cheaper; then refinement rounds around the best
 * candidates with half the grid's spacing on range knobs. The outcome is a
 * deterministic function of the runs' metrics: the same scenario gives
 * byte-identical files whatever the number of threads, and shards of the
 * grid's runs merged give the files of an unsharded search.
 *
 * Errors reading the block are RSIM_SCENARIO_ERROR ("FILE: advise.PATH:
 * expected X, got Y"); the search's are RSIM_ADVISE_ERROR. */
#pragma once

#include <glib.h>
#include <rescalesim/report.h>

G_BEGIN_DECLS

#define RSIM_ADVISE_ERROR (rsim_advise_error_quark ())
typedef enum {
  RSIM_ADVISE_ERROR_RUN,        /* a run failed */
  RSIM_ADVISE_ERROR_INFEASIBLE, /* no candidate meets the objectives; the
                                 * message lists the closest ones */
  RSIM_ADVISE_ERROR_INPUT,      /* merge: a shard is unreadable or invalid */
  RSIM_ADVISE_ERROR_MISMATCH,   /* merge: shards of another search, a run
                                 * missing or given twice */
  RSIM_ADVISE_ERROR_OUTPUT,     /* the output directory cannot be written */
} RsimAdviseError;
GQuark rsim_advise_error_quark (void);

/* The files of an advice (RSIM_ADVICE_*) and of a shard. */
#define RSIM_ADVICE_JSON "advice.json"
#define RSIM_ADVICE_SCHEMA "rescalesim/advice/1"
#define RSIM_ADVICE_CANDIDATES_CSV "candidates.csv"
#define RSIM_ADVICE_PARETO_CSV "pareto.csv"
#define RSIM_ADVICE_FLINK_YAML "recommended-config.yaml"
#define RSIM_ADVICE_SCENARIO_PATCH "recommended-scenario-patch.json"
#define RSIM_ADVICE_PLOT "pareto"
#define RSIM_ADVICE_SHARD_RUNS "runs.csv"
#define RSIM_ADVICE_SHARD_FILE "advise-shard.json"
#define RSIM_ADVICE_SHARD_SCHEMA "rescalesim/advise-shard/1"

/* A scenario with its advise block read and its grid expanded and
 * validated. Opaque. */
typedef struct RsimAdvisor RsimAdvisor;

/* Loads SCENARIO: the file must be a valid scenario with an "advise"
 * block; every candidate of the grid is validated as a scenario of its
 * own. (transfer full) */
RsimAdvisor *rsim_advisor_load_file (const char *path, GError **error);
RsimAdvisor *rsim_advisor_load_data (const char *data, gsize length,
                                     const char *display_name, GError **error);
void rsim_advisor_free (RsimAdvisor *advisor);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsimAdvisor, rsim_advisor_free)

/* The scenario's name. (transfer none) */
const char *rsim_advisor_name (const RsimAdvisor *advisor);
/* Candidates of the coarse grid, and its runs (candidates x seeds): what
 * --shard splits. */
guint rsim_advisor_n_grid (const RsimAdvisor *advisor);
guint rsim_advisor_n_grid_runs (const RsimAdvisor *advisor);
/* Warnings of the scenario and of the candidates, each once.
 * (transfer none) */
GPtrArray *rsim_advisor_warnings (const RsimAdvisor *advisor);

/* One line of progress (no newline), called in the searching thread. */
typedef void (*RsimAdviseProgressFunc) (gpointer user, const char *line);

typedef struct {
  guint jobs;                  /* threads; 0: one per core */
  guint shard;                 /* K (1-based) of shards; 0: the search */
  guint shards;                /* N */
  /* Merge: the directories of every shard; their runs stand in for the
   * grid's runs, the rest (refinement) is run here. */
  const char *const *merge_dirs;
  guint n_merge_dirs;
  RsimAdviseProgressFunc progress;  /* may be NULL */
  gpointer progress_user;
} RsimAdviseOptions;

/* The outcome of a search, or a shard's runs. Opaque. */
typedef struct RsimAdvice RsimAdvice;

/* Runs the search (or, with options->shards > 1, the shard's slice of the
 * grid's runs, every seed, no racing). Fails with
 * RSIM_ADVISE_ERROR_INFEASIBLE when no candidate meets the objectives.
 * (transfer full) */
RsimAdvice *rsim_advise (RsimAdvisor *advisor,
                         const RsimAdviseOptions *options, GError **error);

gboolean rsim_advice_is_shard (const RsimAdvice *advice);
/* Writes the advice's files into out_dir (created with its parents), the
 * Pareto plot in the given formats (0: none) through gnuplot; all files are
 * renamed into place together. A shard writes runs.csv and
 * advise-shard.json. */
gboolean rsim_advice_write (const RsimAdvice *advice, const char *out_dir,
                            RsimPlotFormats plots, GError **error);
/* The summary for people: the recommendation with its metrics and
 * confidence intervals, the runners-up and the search's figures.
 * (transfer full) */
char *rsim_advice_summary (const RsimAdvice *advice);
/* advice.json's text. (transfer full) */
char *rsim_advice_json (const RsimAdvice *advice);

/* Runs the search asked for (cached runs of a merge count too). */
guint rsim_advice_n_runs (const RsimAdvice *advice);
/* Candidates evaluated, and the recommended one's index. */
guint rsim_advice_n_candidates (const RsimAdvice *advice);
guint rsim_advice_recommended (const RsimAdvice *advice);
/* A candidate's knob values as written into the scenario (labels as in
 * sweep.h), n_knobs entries. (transfer none) */
const char *const *rsim_advice_candidate_values (const RsimAdvice *advice,
                                                 guint candidate);
/* A candidate's position on a knob: the number (durations in seconds) for
 * range knobs, the index of the value for list knobs. */
double rsim_advice_candidate_coordinate (const RsimAdvice *advice,
                                         guint candidate, guint knob);
/* The seeds a candidate ran, and whether racing dropped it. */
guint rsim_advice_candidate_seeds (const RsimAdvice *advice, guint candidate);
gboolean rsim_advice_candidate_dropped (const RsimAdvice *advice,
                                        guint candidate);
/* A candidate's mean cost over its seeds. */
double rsim_advice_candidate_cost (const RsimAdvice *advice, guint candidate);

void rsim_advice_free (RsimAdvice *advice);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsimAdvice, rsim_advice_free)

G_END_DECLS
