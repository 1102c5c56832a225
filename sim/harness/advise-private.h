/* Internals of the advisor shared by its files: the advise block as read
 * (advise-spec.c), the candidates and their runs (advise.c), the files and
 * the summary (advise-output.c). include/rescalesim/advise.h has the rules
 * of the search; cJSON appears here and never in the public header. */
#pragma once

#include <cjson/cJSON.h>
#include <rescalesim/advise.h>
#include <rescalesim/metrics.h>
#include <rescalesim/sweep.h>

G_BEGIN_DECLS

/* Bounds of the block, each enforced with a message when read. */
#define RSIM_ADVISE_MAX_STEPS 1000
#define RSIM_ADVISE_MAX_LIST 1000
#define RSIM_ADVISE_MAX_KNOBS 8
#define RSIM_ADVISE_MAX_GRID 10000
#define RSIM_ADVISE_MAX_SEEDS 10000
#define RSIM_ADVISE_MAX_OBJECTIVES 16
#define RSIM_ADVISE_MAX_REFINE 8
#define RSIM_ADVISE_MAX_TERMS 32
/* Runs of the grid (candidates x seeds). */
#define RSIM_ADVISE_MAX_GRID_RUNS 1000000u

/* ------------------------------------------------------------- the block */

typedef enum {
  RSIM_KNOB_LIST,             /* values as written, in order */
  RSIM_KNOB_RANGE,            /* numbers or durations from .. to */
} RsimKnobKind;

typedef struct {
  char *axis;                 /* the place, as a sweep axis */
  RsimKnobKind kind;
  /* LIST: the values (array, owned copy). */
  cJSON *list;
  /* RANGE: from .. to in steps points, linear or geometric. Durations are
   * seconds here, written as whole seconds (whole milliseconds when the
   * range starts below 1 s); integral numbers stay whole numbers. */
  double from, to;
  guint steps;
  gboolean log_scale;
  gboolean duration;
  gboolean integral;
} RsimKnob;

typedef enum {
  RSIM_STAT_MEAN,
  RSIM_STAT_QUANTILE,         /* median is the quantile 0.5 */
  RSIM_STAT_MIN,
  RSIM_STAT_MAX,
} RsimStatKind;

typedef struct {
  char *text;                 /* as written, for the outputs */
  RsimMetricId metric;
  RsimStatKind stat;
  double q;                   /* QUANTILE: 0 < q < 1 */
  char *stat_name;            /* "mean", "p95", ... */
  gboolean at_most;           /* <= (else >=) */
  double bound;
  double per_seconds;         /* "per day": 86400, "per hour": 3600; 0:
                               * the metric as it is */
} RsimObjective;

typedef enum {
  RSIM_COST_SLOT_SECONDS,     /* slot_seconds_used + slot_seconds_idle */
  RSIM_COST_CHECKPOINT_BYTES, /* completed checkpoints x the job's state */
  RSIM_COST_WEIGHTED,         /* sum of weight x metric */
} RsimCostKind;

/* A weighted term: a metric of the list, or one of the two pseudo-metrics
 * slot_seconds and checkpoint_bytes (metric = -1, -2). */
typedef struct {
  int metric;
  double weight;
} RsimCostTerm;

#define RSIM_COST_TERM_SLOT_SECONDS (-1)
#define RSIM_COST_TERM_CHECKPOINT_BYTES (-2)

typedef struct {
  RsimCostKind kind;
  char *name;                 /* "slot_seconds", "slot_cost", the user's */
  char *unit;                 /* "slot-s", "bytes", the user's or "" */
  double price_per_slot_hour; /* SLOT_SECONDS: 0 = not priced */
  RsimCostTerm *terms;
  guint n_terms;
} RsimCostSpec;

typedef struct {
  char *file;                 /* display name */
  RsimKnob *knobs;
  guint n_knobs;
  RsimObjective *objectives;
  guint n_objectives;
  RsimCostSpec cost;
  guint64 seed_base;
  guint seeds;
  guint race_start;           /* seeds of the first racing round */
  gboolean racing;
  double confidence;          /* of every interval, 0.5 .. 0.999 */
  guint refine;               /* refinement rounds */
  guint refine_best;          /* candidates refined around per round */
  char *canonical;            /* the block as compact JSON, for the hash */
} RsimAdviseSpec;

void rsim__advise_spec_clear (RsimAdviseSpec *spec);
/* Reads root's "advise" block (root is a parsed, valid scenario). Errors
 * are RSIM_SCENARIO_ERROR_INVALID "FILE: advise.PATH: ...". */
gboolean rsim__advise_spec_read (const cJSON *root, const char *file,
                                 RsimAdviseSpec *spec, GError **error);

/* A duration as the project writes it ("10 min", "12500 ms"), from
 * seconds rounded to whole milliseconds. (transfer full) */
char *rsim__advise_format_duration (double seconds);
/* Parses a duration in Flink's syntax with an optional fraction ("2.5 s";
 * no unit: milliseconds) into seconds. */
gboolean rsim__advise_parse_duration (const char *text, double *seconds);

/* ------------------------------------------------- statistics of a sample */

typedef struct {
  guint n;
  double estimate;            /* NAN with n = 0 */
  double low, high;           /* the interval; +-INFINITY when unbounded */
} RsimEstimate;

/* The statistic of values[0..n) with its interval at the confidence level:
 * mean with Student's t (unbounded when n < 2); a quantile by linear
 * interpolation (type 7) with the distribution-free interval between order
 * statistics (binomial); min and max with the one-sided bound the sample
 * gives (the true max is at least the sample's). */
void rsim__advise_estimate (const double *values, guint n, RsimStatKind stat,
                            double q, double confidence, RsimEstimate *out);

/* ------------------------------------------------- advisor and advice */

/* A candidate's definition: its knob values and its scenario. */
typedef struct {
  double *coord;                /* per knob: the value (range; durations in
                                 * seconds) or the index (list) */
  cJSON *values;                /* array: the value written per knob */
  char *key;                    /* labels joined, to find duplicates */
  RsimSweep *sweep;             /* one point: the candidate's scenario */
} CandDef;

struct RsimAdvisor {
  char *file;
  char *name;
  cJSON *base;                  /* the scenario without advise and sweep */
  RsimAdviseSpec spec;
  GPtrArray *grid;              /* CandDef* */
  double **lattice;             /* per range knob: the grid's values */
  guint *lattice_len;
  GPtrArray *warnings;
  char *hash;                   /* of the block and the grid */
};

/* A candidate in a search: its definition and its runs. */
typedef struct {
  guint id;                     /* index in the advice's list, from 0 */
  const CandDef *def;
  guint stage;                  /* 0: grid; r: refinement round r */
  guint n;                      /* seeds run (base .. base + n - 1) */
  double *metrics;              /* n x RSIM_N_METRICS */
  double *cost;                 /* n */
  gboolean dropped;
  char *why;                    /* why racing dropped it */
  guint dropped_round;
  RsimEstimate cost_est;        /* the mean cost */
  RsimEstimate *obj;            /* per objective */
} Cand;

struct RsimAdvice {
  const RsimAdvisor *advisor;   /* (transfer none): outlives the advice */
  gboolean shard;
  guint shard_k, shards;
  GPtrArray *cands;             /* Cand* */
  GPtrArray *extra_defs;        /* CandDef* of refinement, owned */
  GHashTable *cache;            /* merge: "HASH:SEED" -> double[N] */
  guint n_runs;                 /* runs the search asked for */
  guint rounds;                 /* racing rounds run */
  int recommended;              /* index, -1 in a shard */
  GArray *runners_up;           /* guint */
  GString *shard_csv;           /* a shard's runs.csv */
};

/* Whether a candidate's estimates meet objective j (surely: the interval
 * on the right side of the bound). */
gboolean rsim__advise_meets (const RsimAdviseSpec *spec, const Cand *c,
                             guint j, gboolean surely);

/* Merge: reads every shard directory's runs into advice->cache, checking
 * they come from this search (the advisor's hash) and cover every run of
 * the grid exactly once (advise-output.c). */
gboolean rsim__advise_load_shards (RsimAdvice *advice,
                                   const char *const *dirs, guint n_dirs,
                                   GError **error);

G_END_DECLS
