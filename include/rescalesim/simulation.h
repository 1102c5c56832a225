/* rescalesim: one simulation run, assembled from a resolved configuration.
 *
 * RsimSimConfig is everything a run needs, with every default applied; the
 * scenario layer builds it from a scenario file. rsim_simulation_run() builds
 * the engine, cluster, job, dataflow, checkpoint coordinator, the scheduler
 * and the timeline, runs until the configured duration, streams samples and
 * events to the sinks and returns the metrics. */
#pragma once

#include <glib.h>
#include <rescalesim/costs.h>
#include <rescalesim/cluster.h>
#include <rescalesim/controllers.h>
#include <rescalesim/engine.h>
#include <rescalesim/failures.h>
#include <rescalesim/flinkconf.h>
#include <rescalesim/jobgraph.h>
#include <rescalesim/metrics.h>
#include <rescalesim/timeline.h>
#include <rescalesim/rules.h>
#include <rescalesim/version.h>
#include <rescalesim/workload.h>

G_BEGIN_DECLS

#define RSIM_SCHEDULER_KIND_LIST(X) \
  X (DEFAULT, "default")            \
  X (ADAPTIVE, "adaptive")          \
  X (REACTIVE, "reactive")

typedef enum {
#define RSIM_X(id, name) RSIM_SCHEDULER_##id,
  RSIM_SCHEDULER_KIND_LIST (RSIM_X)
#undef RSIM_X
} RsimSchedulerKind;

const char *rsim_scheduler_kind_name (RsimSchedulerKind kind);
gboolean rsim_scheduler_kind_parse (const char *text, RsimSchedulerKind *out);

/* Flink refuses reactive mode on every cluster but a standalone application
 * cluster (ClusterEntrypoint: supportsReactiveMode); its message. An active
 * resource manager (native Kubernetes, YARN) is such a cluster. */
#define RSIM_REACTIVE_UNSUPPORTED_CLUSTER                                     \
  "Reactive mode is configured for an unsupported cluster type. At the "     \
  "moment, reactive mode is only supported by standalone application "       \
  "clusters (bin/standalone-job.sh)."

typedef struct {
  RsimTime duration;           /* simulated time to run */
  guint64 seed;
  RsimSchedulerKind scheduler;
  RsimFlinkVersion version;
  RsimFlinkConf flink;
  RsimClusterSpec cluster;
  RsimJobSpec job;
  RsimWorkloadSpec workload;
  RsimCosts costs;
  RsimAction *timeline;        /* sorted by at (stable) */
  guint n_timeline;
  RsimTime sample_interval;    /* time series resolution (default 1 s) */
  RsimFailureSpec failures;    /* stochastic failures (default: none) */
  RsimControllersSpec controllers; /* resolved; all off by default */
  /* One event per heartbeat request instead of the analytic heartbeat model
   * (identical results; the reference the analytic model is tested
   * against). Not part of a scenario's meaning: never in its outputs. */
  gboolean exact_heartbeats;
  /* Events the run may process (limits.max_events); 0 = no limit. A run
   * that would process more fails with RSIM_SIM_ERROR_EVENT_LIMIT. */
  guint64 max_events;
  /* Check the run's invariants after every event (control/invariants.c);
   * also on when RSIM_CHECK_INVARIANTS is set. A broken one fails the run
   * with RSIM_SIM_ERROR_INVARIANT. Not part of a scenario's meaning. */
  gboolean check_invariants;
} RsimSimConfig;

void rsim_sim_config_clear (RsimSimConfig *config);
void rsim_sim_config_copy (RsimSimConfig *dst, const RsimSimConfig *src);

#define RSIM_SIM_ERROR (rsim_sim_error_quark ())
GQuark rsim_sim_error_quark (void);

typedef enum {
  RSIM_SIM_ERROR_UNSUPPORTED,   /* e.g. a scheduler not built yet */
  RSIM_SIM_ERROR_INVALID,       /* a configuration the model rejects */
  RSIM_SIM_ERROR_EVENT_LIMIT,   /* the run needed more than max_events */
  RSIM_SIM_ERROR_INVARIANT,     /* an invariant broke (a defect of the model) */
} RsimSimError;

/* Runs one simulation. sinks may be NULL. Returns NULL with error set when the
 * configuration cannot be run. (transfer full) */
RsimResult *rsim_simulation_run (const RsimSimConfig *config,
                                 const RsimSinks *sinks, GError **error);

G_END_DECLS
