/* rescalesim: the Kubernetes HorizontalPodAutoscaler (autoscaling/v2) on
 * the TaskManager Deployment, and the CPU model that gives it something to
 * measure.
 *
 * The algorithm follows the Kubernetes documentation ("Horizontal Pod
 * Autoscaling", kubernetes.io/docs/tasks/run-application/horizontal-pod-
 * autoscale/) and its replica calculator:
 *   - every sync period (15 s, --horizontal-pod-autoscaler-sync-period) the
 *     metric is read; desired = ceil (current x current value / target);
 *   - no change while the ratio is within the tolerance of 1 (0.1,
 *     --horizontal-pod-autoscaler-tolerance);
 *   - a Resource (CPU utilization) metric averages over the pods that have
 *     metrics; a pod is not ready for metrics until its readiness delay has
 *     passed (--horizontal-pod-autoscaler-initial-readiness-delay, 30 s).
 *     When the ratio says scale up, pods without metrics count as 0 %;
 *     when it says scale down, as 100 % of the target; if that reverses
 *     the direction or lands within the tolerance, nothing changes;
 *   - an External metric with an AverageValue target (consumer lag,
 *     records per second): ratio = value / (target x current replicas),
 *     desired = ceil (value / target);
 *   - behaviour: the recommendation is stabilized (scale-up: the lowest
 *     recommendation of the scale-up window, default 0 s; scale-down: the
 *     highest of the scale-down window, default 300 s), then limited by the
 *     direction's policies (Pods: at most N more / fewer than at the start
 *     of the policy's period; Percent: N % of that), selectPolicy Max (the
 *     policy allowing the largest change), Min or Disabled; defaults
 *     scale-up {100 % per 15 s, 4 pods per 15 s}, Max; scale-down {100 %
 *     per 15 s}; and finally clamped to [min, max] replicas.
 * Resource metrics reach the HPA through metrics-server, which scrapes the
 * kubelets every 60 s (--metric-resolution); the kubelet's CPU figure is a
 * rate over its last 15 s. The HPA reads the latest scrape at each sync,
 * so it acts on figures up to a minute old, and a pod that started after
 * the scrape has no metrics yet.
 * The CPU model: a task uses one core while busy, so a task slot uses the
 * sum over the vertices whose subtasks share it of (records/s through the
 * subtask / its capacity, at most 1) cores; a TaskManager pod uses a
 * background plus its used slots' cores, against its CPU request. While
 * the job catches up after an outage its bottleneck is fully busy, and
 * that shows as CPU, as in production. */
#pragma once

#include <glib.h>
#include <rescalesim/engine.h>

G_BEGIN_DECLS

#define RSIM_HPA_METRIC_LIST(X)                    \
  X (CPU, "cpu")                                   \
  X (LAG, "lag")                                   \
  X (RECORDS_PER_SECOND, "records_per_second")

/* cpu: a Resource metric, target = average utilization (0 to 1) of the
 * pods' CPU request; lag (records not yet processed) and
 * records_per_second (input rate): External metrics with an AverageValue
 * target per pod. */
typedef enum {
#define RSIM_X(id, name) RSIM_HPA_METRIC_##id,
  RSIM_HPA_METRIC_LIST (RSIM_X)
#undef RSIM_X
} RsimHpaMetric;

const char *rsim_hpa_metric_name (RsimHpaMetric metric);
gboolean rsim_hpa_metric_parse (const char *text, RsimHpaMetric *out);

typedef enum { RSIM_HPA_POLICY_PODS, RSIM_HPA_POLICY_PERCENT } RsimHpaPolicyType;
typedef enum { RSIM_HPA_SELECT_MAX, RSIM_HPA_SELECT_MIN,
               RSIM_HPA_SELECT_DISABLED } RsimHpaSelect;

#define RSIM_HPA_MAX_POLICIES 8

typedef struct {
  RsimHpaPolicyType type;
  int value;                   /* pods, or percent */
  RsimTime period;
} RsimHpaPolicy;

/* One direction of spec.behavior. */
typedef struct {
  RsimTime stabilization;      /* stabilizationWindowSeconds */
  guint n_policies;
  RsimHpaPolicy policies[RSIM_HPA_MAX_POLICIES];
  RsimHpaSelect select;
} RsimHpaRules;

typedef struct {
  gboolean enabled;
  RsimHpaMetric metric;
  double target;               /* utilization 0-1 (cpu) or value per pod */
  double tolerance;            /* 0.1 */
  RsimTime sync_period;        /* 15 s */
  RsimTime readiness_delay;    /* 30 s */
  RsimTime metric_resolution;  /* metrics-server's scrape period, 60 s */
  int min_replicas;            /* 1 */
  int max_replicas;            /* required */
  RsimHpaRules scale_up;
  RsimHpaRules scale_down;
  gboolean remove_kill;        /* FALSE: pods get SIGTERM (graceful stop) */
  /* CPU model (cores). request: the pod's CPU request (default: one per
   * slot, as Flink's kubernetes.taskmanager.cpu defaults to the slots);
   * background: used with idle tasks (0.1, assumption); per_busy_slot:
   * cores of one fully busy task (1.0: a task is one thread). */
  double cpu_request;
  double cpu_background;
  double cpu_per_busy_slot;
} RsimHpaSpec;

/* The Kubernetes defaults (behavior included); enabled FALSE, no target,
 * max_replicas unset (0), cpu_request 0 (= slots). */
void rsim_hpa_spec_init (RsimHpaSpec *spec);

/* What the HPA sees at one sync. For cpu, utilization[i] is the CPU
 * utilization (usage / request) of ready pod i; value is unused. For an
 * External metric, value is the metric's total. */
typedef struct {
  int current;                 /* replicas of the Deployment */
  int ready;                   /* pods with metrics (cpu) */
  int unready;                 /* pods starting or within the readiness delay */
  const double *utilization;   /* ready entries (cpu) */
  double value;                /* External metric */
} RsimHpaObservation;

/* The replica calculator: the replicas the metric asks for, before
 * stabilization and policies (current when within the tolerance). */
int rsim_hpa_metric_replicas (const RsimHpaSpec *spec,
                              const RsimHpaObservation *obs);

/* Stabilization windows, scaling events and policies across syncs. */
typedef struct RsimHpaHistory RsimHpaHistory;
RsimHpaHistory *rsim_hpa_history_new (void);
void rsim_hpa_history_free (RsimHpaHistory *h);

/* normalizeDesiredReplicasWithBehaviors: stabilizes `desired` over the
 * windows, limits it by the policies and clamps it to [min, max]; records
 * the recommendation, and the change when the result differs from
 * `current` (the HPA then scales to it). */
int rsim_hpa_normalize (const RsimHpaSpec *spec, RsimHpaHistory *h,
                        RsimTime now, int current, int desired);

G_END_DECLS
