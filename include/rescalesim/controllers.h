/* rescalesim: controllers, what rescales a job from outside Flink (the
 * scenario's "controllers" block). At most one of the three runs:
 *
 *   autoscaler  the Flink Kubernetes operator's autoscaler (FLIP-271,
 *               flink-autoscaler/ in apache/flink-kubernetes-operator):
 *               samples the job's metrics every reconcile interval, computes
 *               a parallelism per vertex and applies it in place (resource
 *               requirements, Flink 1.18+ adaptive scheduler), through the
 *               TaskManager replicas (reactive mode) or by a full upgrade;
 *   replicas    an external service that scales the TaskManager count on a
 *               metric, as a Kubernetes HPA or an autoscaling group does;
 *   ververica   Ververica Platform applying a changed Deployment (the
 *               timeline's update_deployment action) per its upgrade and
 *               restore strategies.
 *
 * Every field has a value after rsim_controllers_spec_resolve(); the
 * loader fills what the scenario sets and leaves the rest at the sentinels
 * rsim_controllers_spec_init() puts there (RSIM_SPEC_UNSET for times and
 * integers, NAN for fractions). */
#pragma once

#include <glib.h>
#include <rescalesim/engine.h>
#include <rescalesim/hpa.h>

G_BEGIN_DECLS

#define RSIM_SPEC_UNSET (-1)

/* ------------------------------------------------------------ autoscaler */

/* spec.job.upgradeMode of a FlinkDeployment: how a full upgrade suspends
 * the job and what the new one restores. */
#define RSIM_UPGRADE_MODE_LIST(X)       \
  X (SAVEPOINT, "savepoint")            \
  X (LAST_STATE, "last-state")          \
  X (STATELESS, "stateless")

typedef enum {
#define RSIM_X(id, name) RSIM_UPGRADE_MODE_##id,
  RSIM_UPGRADE_MODE_LIST (RSIM_X)
#undef RSIM_X
} RsimUpgradeMode;

const char *rsim_upgrade_mode_name (RsimUpgradeMode mode);
gboolean rsim_upgrade_mode_parse (const char *text, RsimUpgradeMode *out);

/* Operator releases whose autoscaler defaults differ (flink-behaviour.md
 * §7 "Defaults history"): 1.4; 1.5-1.6; 1.7-1.9; 1.10 and later. */
#define RSIM_OPERATOR_MIN_MINOR 4
#define RSIM_OPERATOR_MAX_MINOR 13
#define RSIM_OPERATOR_DEFAULT_MINOR 10

typedef struct {
  gboolean enabled;
  int operator_minor;            /* operator 1.<minor> */
  /* kubernetes.operator.reconcile.interval: one metric sample per loop. */
  RsimTime interval;
  /* job.autoscaler.stabilization.interval */
  RsimTime stabilization;
  /* job.autoscaler.metrics.window */
  RsimTime metrics_window;
  /* job.autoscaler.utilization.target, target.utilization.boundary, and
   * the explicit utilization.min/max that replace target -/+ boundary. */
  double target_utilization;
  double utilization_boundary;
  double utilization_min;
  double utilization_max;
  /* job.autoscaler.catch-up.duration, restart.time,
   * backlog-processing.lag-threshold */
  RsimTime catch_up;
  RsimTime restart_time;
  RsimTime backlog_threshold;
  /* job.autoscaler.scale-up.max-factor, scale-down.max-factor */
  double scale_up_max_factor;
  double scale_down_max_factor;
  /* job.autoscaler.vertex.min-parallelism, vertex.max-parallelism */
  int vertex_min_parallelism;
  int vertex_max_parallelism;
  /* job.autoscaler.scale-down.interval (operator 1.10+; 0 = off) and
   * job.autoscaler.scale-up.grace-period (operator 1.4-1.9). */
  RsimTime scale_down_interval;
  RsimTime scale_up_grace_period;
  /* kubernetes.operator.job.upgrade.inplace-scaling.enabled (1 / 0). */
  int inplace_scaling;
  RsimUpgradeMode upgrade_mode;
  /* Partitions of the sources (Kafka topic partitions); 0: unknown, the
   * sources align to their max parallelism like keyed vertices do not. */
  int source_partitions;
} RsimAutoscalerSpec;

/* -------------------------------------------------------------- replicas */

#define RSIM_REPLICA_METRIC_LIST(X)     \
  X (LAG, "lag")                        \
  X (UTILIZATION, "utilization")        \
  X (THROUGHPUT, "throughput")          \
  X (LATENCY, "latency")

/* What the replica controller watches:
 *   lag          records not yet processed (consumer lag);
 *   utilization  processed rate / processing capacity of the running job,
 *                0 to 1 (aggregate CPU of the TaskManagers);
 *   throughput   processed records/s per running TaskManager;
 *   latency      lag / input rate, in seconds (time a record waits). */
typedef enum {
#define RSIM_X(id, name) RSIM_REPLICA_METRIC_##id,
  RSIM_REPLICA_METRIC_LIST (RSIM_X)
#undef RSIM_X
} RsimReplicaMetric;

const char *rsim_replica_metric_name (RsimReplicaMetric metric);
gboolean rsim_replica_metric_parse (const char *text, RsimReplicaMetric *out);

/* How a TaskManager leaves on scale-down: "kill" (the pod or instance is
 * deleted; RPCs time out, the JobManager notices at heartbeat.timeout) or
 * "stop" (graceful shutdown; noticed at once on 1.15+). */
#define RSIM_REPLICA_REMOVAL_LIST(X)    \
  X (KILL, "kill")                      \
  X (STOP, "stop")

typedef enum {
#define RSIM_X(id, name) RSIM_REPLICA_REMOVAL_##id,
  RSIM_REPLICA_REMOVAL_LIST (RSIM_X)
#undef RSIM_X
} RsimReplicaRemoval;

const char *rsim_replica_removal_name (RsimReplicaRemoval removal);
gboolean rsim_replica_removal_parse (const char *text,
                                     RsimReplicaRemoval *out);

typedef struct {
  gboolean enabled;
  RsimReplicaMetric metric;
  double scale_up_above;         /* required */
  double scale_down_below;       /* required, below scale_up_above */
  RsimTime interval;             /* evaluation period, 15 s */
  /* The metric must stay beyond the threshold this long (HPA's
   * stabilization windows: 0 for scale-up, 5 min for scale-down). */
  RsimTime scale_up_stabilization;
  RsimTime scale_down_stabilization;
  int min_taskmanagers;          /* 1 */
  int max_taskmanagers;          /* 10 */
  int step;                      /* TaskManagers per action, 1 */
  RsimReplicaRemoval removal;    /* kill */
} RsimReplicaSpec;

/* ------------------------------------------------------------- ververica */

#define RSIM_VVP_UPGRADE_LIST(X)        \
  X (STATEFUL, "STATEFUL")              \
  X (STATELESS, "STATELESS")            \
  X (NONE, "NONE")

typedef enum {
#define RSIM_X(id, name) RSIM_VVP_UPGRADE_##id,
  RSIM_VVP_UPGRADE_LIST (RSIM_X)
#undef RSIM_X
} RsimVvpUpgrade;

#define RSIM_VVP_RESTORE_LIST(X)        \
  X (LATEST_STATE, "LATEST_STATE")      \
  X (LATEST_SAVEPOINT, "LATEST_SAVEPOINT") \
  X (NONE, "NONE")

typedef enum {
#define RSIM_X(id, name) RSIM_VVP_RESTORE_##id,
  RSIM_VVP_RESTORE_LIST (RSIM_X)
#undef RSIM_X
} RsimVvpRestore;

const char *rsim_vvp_upgrade_name (RsimVvpUpgrade upgrade);
gboolean rsim_vvp_upgrade_parse (const char *text, RsimVvpUpgrade *out);
const char *rsim_vvp_restore_name (RsimVvpRestore restore);
gboolean rsim_vvp_restore_parse (const char *text, RsimVvpRestore *out);

typedef struct {
  gboolean enabled;
  RsimVvpUpgrade upgrade;        /* spec.upgradeStrategy.kind, STATEFUL */
  RsimVvpRestore restore;        /* spec.restoreStrategy.kind, LATEST_STATE */
  int savepoint_retries;         /* further attempts after a failed one, 2 */
} RsimVervericaSpec;

typedef struct {
  RsimAutoscalerSpec autoscaler;
  RsimReplicaSpec replicas;
  RsimHpaSpec hpa;
  RsimVervericaSpec ververica;
} RsimControllersSpec;

/* Everything off, every setting at its sentinel. */
void rsim_controllers_spec_init (RsimControllersSpec *spec);
/* Fills every unset setting with its default (for the autoscaler, the
 * default of its operator release). Returns FALSE with a message (for the
 * JSON path "controllers...") when the settings contradict each other.
 * (message: transfer full) */
gboolean rsim_controllers_spec_resolve (RsimControllersSpec *spec,
                                        char **message);

G_END_DECLS
