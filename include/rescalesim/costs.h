/* rescalesim: cost parameters (how long Flink's control-plane work takes).
 *
 * Every cost is a distribution (RsimDist); a plain value is a constant. The
 * defaults are calibrated from public measurements, listed with their
 * sources in README.md ("Cost defaults and where they come from") and in
 * scenarios/README.md (`costs`). Each cost is sampled from its
 * own named random stream ("cost.<name>"). */
#pragma once

#include <glib.h>
#include <rescalesim/engine.h>
#include <rescalesim/version.h>

G_BEGIN_DECLS

#define RSIM_DIST_KIND_LIST(X)    \
  X (CONSTANT, "constant")        \
  X (UNIFORM, "uniform")          \
  X (NORMAL, "normal")            \
  X (LOGNORMAL, "lognormal")      \
  X (EXPONENTIAL, "exponential")

typedef enum {
#define RSIM_X(id, name) RSIM_DIST_##id,
  RSIM_DIST_KIND_LIST (RSIM_X)
#undef RSIM_X
} RsimDistKind;

const char *rsim_dist_kind_name (RsimDistKind kind);

/* Parameters in the cost's base unit (microseconds for durations, bytes/s for
 * bandwidths):
 *   constant:    a = value
 *   uniform:     a = min, b = max
 *   normal:      a = mean, b = standard deviation (draws clamped at 0)
 *   lognormal:   a = median, b = sigma of the underlying normal
 *   exponential: a = mean */
typedef struct {
  RsimDistKind kind;
  double a;
  double b;
} RsimDist;

#define RSIM_DIST_CONST(v) ((RsimDist) { RSIM_DIST_CONSTANT, (v), 0.0 })

/* One draw (>= 0). Constant distributions never touch rng (may be NULL). */
double rsim_dist_sample (const RsimDist *dist, RsimRng *rng);
/* The distribution's mean. */
double rsim_dist_mean (const RsimDist *dist);

/* The cost table: X (field, json key, kind, default) where kind is DURATION
 * (default in microseconds) or BANDWIDTH (default in bytes/s). The scenario
 * layer, the report and the README are generated from / checked against it. */
#define RSIM_COST_LIST(X)                                                     \
  X (deploy_fixed, "deploy_fixed", DURATION, 50e3)                            \
  X (deploy_per_task, "deploy_per_task", DURATION, 0.86e3)                    \
  X (graph_build_per_task, "graph_build_per_task", DURATION, 31.5)            \
  X (cancel_task, "cancel_task", DURATION, 20e3)                              \
  X (restore_fixed, "restore_fixed", DURATION, 20e3)                          \
  X (state_download_bandwidth, "state_download_bandwidth", BANDWIDTH, 20e6)   \
  X (checkpoint_fixed, "checkpoint_fixed", DURATION, 100e3)                   \
  X (checkpoint_upload_bandwidth, "checkpoint_upload_bandwidth", BANDWIDTH, 80e6) \
  X (savepoint_fixed, "savepoint_fixed", DURATION, 500e3)                     \
  X (savepoint_upload_bandwidth, "savepoint_upload_bandwidth", BANDWIDTH, 80e6) \
  X (taskmanager_startup, "taskmanager_startup", DURATION, 15e6)              \
  X (jobmanager_startup, "jobmanager_startup", DURATION, 10e6)                \
  X (taskmanager_shutdown, "taskmanager_shutdown", DURATION, 0)              \
  X (job_submit, "job_submit", DURATION, 1e6)                                 \
  X (peer_failure_detection, "peer_failure_detection", DURATION, 1e6)       \
  X (state_rebuild_rate, "state_rebuild_rate", BANDWIDTH, 20e6)              \
  X (state_rebuild_rate_wal, "state_rebuild_rate_wal", BANDWIDTH, 17.5e6)    \
  X (state_clip, "state_clip", DURATION, 50e3)                                \
  X (changelog_replay_rate, "changelog_replay_rate", BANDWIDTH, 20e6)        \
  X (changelog_materialization, "changelog_materialization", DURATION, 5e6)

typedef enum { RSIM_COST_DURATION, RSIM_COST_BANDWIDTH } RsimCostUnit;

typedef struct {
#define RSIM_X(field, key, unit, def) RsimDist field;
  RSIM_COST_LIST (RSIM_X)
#undef RSIM_X
} RsimCosts;

/* Costs with every default applied for the given Flink version (the per-task
 * deployment and graph-build costs differ before and after 1.14). */
void rsim_costs_init_defaults (RsimCosts *costs, RsimFlinkVersion version);

G_END_DECLS
