/* The controllers' settings: names of their enumerations, the sentinels a
 * scenario starts from and the defaults that replace them.
 *
 * Autoscaler defaults per operator release come from the option classes of
 * apache/flink-kubernetes-operator (flink-autoscaler/.../config/
 * AutoScalerOptions.java and, before 1.5, flink-kubernetes-operator-
 * autoscaler/.../AutoScalerOptions.java), read on each release-1.x
 * branch. */
#include <rescalesim/controllers.h>

#include <math.h>

#define RSIM_DEFINE_NAMES(prefix, list, type, enum_prefix)                  \
  static const char *const prefix##_names[] = {                           \
    list (RSIM_NAME_ENTRY)                                                 \
  };                                                                       \
  const char *                                                             \
  rsim_##prefix##_name (type value)                                        \
  {                                                                        \
    g_return_val_if_fail ((guint) value < G_N_ELEMENTS (prefix##_names),   \
                          "?");                                            \
    return prefix##_names[value];                                          \
  }                                                                        \
  gboolean                                                                 \
  rsim_##prefix##_parse (const char *text, type *out)                      \
  {                                                                        \
    for (guint i = 0; text && i < G_N_ELEMENTS (prefix##_names); i++)      \
      if (g_str_equal (text, prefix##_names[i])) {                         \
        *out = (type) i;                                                   \
        return TRUE;                                                       \
      }                                                                    \
    return FALSE;                                                          \
  }
#define RSIM_NAME_ENTRY(id, name) name,

RSIM_DEFINE_NAMES (upgrade_mode, RSIM_UPGRADE_MODE_LIST, RsimUpgradeMode, )
RSIM_DEFINE_NAMES (replica_metric, RSIM_REPLICA_METRIC_LIST,
                   RsimReplicaMetric, )
RSIM_DEFINE_NAMES (replica_removal, RSIM_REPLICA_REMOVAL_LIST,
                   RsimReplicaRemoval, )
RSIM_DEFINE_NAMES (vvp_upgrade, RSIM_VVP_UPGRADE_LIST, RsimVvpUpgrade, )
RSIM_DEFINE_NAMES (vvp_restore, RSIM_VVP_RESTORE_LIST, RsimVvpRestore, )

void
rsim_controllers_spec_init (RsimControllersSpec *spec)
{
  g_return_if_fail (spec != NULL);
  *spec = (RsimControllersSpec) { 0 };
  RsimAutoscalerSpec *a = &spec->autoscaler;
  a->operator_minor = RSIM_SPEC_UNSET;
  a->interval = a->stabilization = a->metrics_window = RSIM_SPEC_UNSET;
  a->catch_up = a->restart_time = a->backlog_threshold = RSIM_SPEC_UNSET;
  a->scale_down_interval = a->scale_up_grace_period = RSIM_SPEC_UNSET;
  a->target_utilization = a->utilization_boundary = NAN;
  a->utilization_min = a->utilization_max = NAN;
  a->scale_up_max_factor = a->scale_down_max_factor = NAN;
  a->vertex_min_parallelism = a->vertex_max_parallelism = RSIM_SPEC_UNSET;
  a->inplace_scaling = RSIM_SPEC_UNSET;
  a->upgrade_mode = RSIM_UPGRADE_MODE_SAVEPOINT;
  a->source_partitions = 0;
  RsimReplicaSpec *r = &spec->replicas;
  r->metric = RSIM_REPLICA_METRIC_LAG;
  r->scale_up_above = r->scale_down_below = NAN;
  r->interval = r->scale_up_stabilization = RSIM_SPEC_UNSET;
  r->scale_down_stabilization = RSIM_SPEC_UNSET;
  r->min_taskmanagers = r->max_taskmanagers = r->step = RSIM_SPEC_UNSET;
  r->removal = RSIM_REPLICA_REMOVAL_KILL;
  rsim_hpa_spec_init (&spec->hpa);
  RsimVervericaSpec *v = &spec->ververica;
  v->upgrade = RSIM_VVP_UPGRADE_STATEFUL;
  v->restore = RSIM_VVP_RESTORE_LATEST_STATE;
  v->savepoint_retries = RSIM_SPEC_UNSET;
}

static void
time_default (RsimTime *t, RsimTime value)
{
  if (*t == RSIM_SPEC_UNSET)
    *t = value;
}

static void
int_default (int *i, int value)
{
  if (*i == RSIM_SPEC_UNSET)
    *i = value;
}

static void
double_default (double *d, double value)
{
  if (isnan (*d))
    *d = value;
}

static gboolean
fail (char **message, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (char **message, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  if (message)
    *message = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  return FALSE;
}

/* The operator releases, from the option classes and the autoscaler code
 * at each release branch of apache/flink-kubernetes-operator
 * (AutoScalerOptions; JobVertexScaler.scale and applyScaleDownInterval;
 * ScalingExecutor). Columns: metrics.window, catch-up.duration,
 * restart.time, scale-up.grace-period, scale-down.interval,
 * target.utilization.boundary, vertex.max-parallelism, in-place scaling,
 * then whether backlog-processing.lag-threshold and scale-up.max-factor
 * exist, the effectiveness detection default, the alignment and the
 * scale-down delay. */
#define MIN_ RSIM_MIN
#define H_ RSIM_HOUR
static const RsimOperatorRelease releases[] = {
  /* 1.4: no lag threshold and no scale-up cap yet; effectiveness detection
   * on by default. Its check (detectIneffectiveScaleUp: a scale-up that
   * gained less than scaling.effectiveness.threshold, 10 %, of the
   * expected processing-rate increase blocks the next one) never fires
   * here: a simulated vertex's true processing rate grows with its
   * parallelism (key-group skew only rounds it), so every scale-up gains
   * most of what was expected. */
  { 4, 5 * MIN_, 10 * MIN_, 5 * MIN_, 10 * MIN_, 0, 0.1, G_MAXINT, FALSE,
    FALSE, FALSE, TRUE, RSIM_ALIGN_UP_TO_HALF, RSIM_SCALE_DOWN_GRACE_PERIOD,
    "operator 1.4 AutoScalerOptions" },
  /* 1.5-1.6: restart.time 3 min. */
  { 5, 10 * MIN_, 5 * MIN_, 3 * MIN_, 1 * H_, 0, 0.4, 200, FALSE, TRUE, TRUE,
    FALSE, RSIM_ALIGN_UP_TO_HALF, RSIM_SCALE_DOWN_GRACE_PERIOD,
    "operator 1.5 AutoScalerOptions" },
  { 6, 10 * MIN_, 5 * MIN_, 3 * MIN_, 1 * H_, 0, 0.4, 200, TRUE, TRUE, TRUE,
    FALSE, RSIM_ALIGN_UP_TO_HALF, RSIM_SCALE_DOWN_GRACE_PERIOD,
    "operator 1.6 AutoScalerOptions; NativeFlinkService.scale" },
  { 7, 15 * MIN_, 30 * MIN_, 5 * MIN_, 1 * H_, 0, 0.3, 200, TRUE, TRUE, TRUE,
    FALSE, RSIM_ALIGN_UP_TO_HALF, RSIM_SCALE_DOWN_GRACE_PERIOD,
    "operator 1.7 AutoScalerOptions" },
  { 8, 15 * MIN_, 30 * MIN_, 5 * MIN_, 1 * H_, 0, 0.3, 200, TRUE, TRUE, TRUE,
    FALSE, RSIM_ALIGN_UP_TO_HALF, RSIM_SCALE_DOWN_GRACE_PERIOD,
    "operator 1.8" },
  { 9, 15 * MIN_, 30 * MIN_, 5 * MIN_, 1 * H_, 0, 0.3, 200, TRUE, TRUE, TRUE,
    FALSE, RSIM_ALIGN_UP_TO_HALF, RSIM_SCALE_DOWN_GRACE_PERIOD,
    "operator 1.9" },
  /* 1.10: scale-down.interval replaces the grace period (FLINK-36018);
   * alignment to partitions with a same-load fallback. */
  { 10, 15 * MIN_, 30 * MIN_, 5 * MIN_, 0, 1 * H_, 0.3, 200, TRUE, TRUE, TRUE,
    FALSE, RSIM_ALIGN_HALF_THEN_LOAD, RSIM_SCALE_DOWN_LATEST,
    "FLINK-36018" },
  /* 1.11: the highest recommendation of the interval (FLINK-36863). */
  { 11, 15 * MIN_, 30 * MIN_, 5 * MIN_, 0, 1 * H_, 0.3, 200, TRUE, TRUE, TRUE,
    FALSE, RSIM_ALIGN_UP_THEN_LOAD, RSIM_SCALE_DOWN_HIGHEST,
    "FLINK-36535, FLINK-36863" },
  { 12, 15 * MIN_, 30 * MIN_, 5 * MIN_, 0, 1 * H_, 0.3, 200, TRUE, TRUE, TRUE,
    FALSE, RSIM_ALIGN_UP_THEN_LOAD, RSIM_SCALE_DOWN_HIGHEST, "operator 1.12" },
  { 13, 15 * MIN_, 30 * MIN_, 5 * MIN_, 0, 1 * H_, 0.3, 200, TRUE, TRUE, TRUE,
    FALSE, RSIM_ALIGN_UP_THEN_LOAD, RSIM_SCALE_DOWN_HIGHEST, "operator 1.13" },
  { 14, 15 * MIN_, 30 * MIN_, 5 * MIN_, 0, 1 * H_, 0.3, 200, TRUE, TRUE, TRUE,
    FALSE, RSIM_ALIGN_UP_THEN_LOAD, RSIM_SCALE_DOWN_HIGHEST, "operator 1.14" },
  /* 1.15: alignment never reverses the scaling direction (FLINK-39299). */
  { 15, 15 * MIN_, 30 * MIN_, 5 * MIN_, 0, 1 * H_, 0.3, 200, TRUE, TRUE, TRUE,
    FALSE, RSIM_ALIGN_KEEP_DIRECTION, RSIM_SCALE_DOWN_HIGHEST,
    "FLINK-39299" },
};
#undef MIN_
#undef H_

G_STATIC_ASSERT (G_N_ELEMENTS (releases)
                 == RSIM_OPERATOR_MAX_MINOR - RSIM_OPERATOR_MIN_MINOR + 1);

const RsimOperatorRelease *
rsim_operator_release (int minor)
{
  g_return_val_if_fail (minor >= RSIM_OPERATOR_MIN_MINOR
                        && minor <= RSIM_OPERATOR_MAX_MINOR, NULL);
  const RsimOperatorRelease *r = &releases[minor - RSIM_OPERATOR_MIN_MINOR];
  g_assert (r->minor == minor);
  return r;
}

static gboolean
resolve_autoscaler (RsimAutoscalerSpec *a, char **message)
{
  int_default (&a->operator_minor, RSIM_OPERATOR_DEFAULT_MINOR);
  const RsimOperatorRelease *rel = rsim_operator_release (a->operator_minor);
  /* Keys the release does not have. */
  if (!rel->has_backlog_threshold && a->backlog_threshold != RSIM_SPEC_UNSET)
    return fail (message, "controllers.autoscaler.config.\"job.autoscaler."
                 "backlog-processing.lag-threshold\": does not exist in "
                 "operator 1.%d (it was added in 1.5)", rel->minor);
  if (!rel->has_scale_up_max_factor && !isnan (a->scale_up_max_factor))
    return fail (message, "controllers.autoscaler.config.\"job.autoscaler."
                 "scale-up.max-factor\": does not exist in operator 1.%d "
                 "(it was added in 1.5)", rel->minor);
  time_default (&a->interval, (60 * RSIM_SEC));
  time_default (&a->stabilization, (5 * RSIM_MIN));
  time_default (&a->metrics_window, rel->metrics_window);
  time_default (&a->catch_up, rel->catch_up);
  time_default (&a->restart_time, rel->restart_time);
  /* Without the lag threshold (1.4) a backlog never widens the
   * utilization bounds: an unreachable threshold. */
  time_default (&a->backlog_threshold, rel->has_backlog_threshold
                                       ? (5 * RSIM_MIN) : G_MAXINT64 / 4);
  double_default (&a->target_utilization, 0.7);
  double_default (&a->utilization_boundary, rel->utilization_boundary);
  double_default (&a->utilization_min,
                  MAX (0.0, a->target_utilization - a->utilization_boundary));
  double_default (&a->utilization_max,
                  MIN (1.0, a->target_utilization + a->utilization_boundary));
  /* 1.4 caps no scale-up: the same as 1.5's default of 100000. */
  double_default (&a->scale_up_max_factor, 100000.0);
  double_default (&a->scale_down_max_factor, 0.6);
  int_default (&a->vertex_min_parallelism, 1);
  int_default (&a->vertex_max_parallelism, rel->vertex_max_parallelism);
  time_default (&a->scale_up_grace_period, rel->scale_up_grace_period);
  time_default (&a->scale_down_interval, rel->scale_down_interval);
  int_default (&a->inplace_scaling, rel->inplace_scaling ? 1 : 0);

  if (a->interval <= 0)
    return fail (message, "controllers.autoscaler.config.kubernetes.operator."
                 "reconcile.interval: expected a positive duration");
  if (!(a->utilization_min < a->target_utilization
        && a->target_utilization < a->utilization_max))
    return fail (message, "controllers.autoscaler: expected utilization.min "
                 "< utilization.target < utilization.max, got %g, %g, %g",
                 a->utilization_min, a->target_utilization,
                 a->utilization_max);
  if (a->vertex_min_parallelism > a->vertex_max_parallelism)
    return fail (message, "controllers.autoscaler: vertex.min-parallelism "
                 "(%d) is above vertex.max-parallelism (%d)",
                 a->vertex_min_parallelism, a->vertex_max_parallelism);
  if (a->catch_up <= 0)
    return fail (message, "controllers.autoscaler.config.job.autoscaler."
                 "catch-up.duration: expected a positive duration");
  return TRUE;
}

static gboolean
resolve_replicas (RsimReplicaSpec *r, char **message)
{
  time_default (&r->interval, (15 * RSIM_SEC));
  time_default (&r->scale_up_stabilization, 0);
  time_default (&r->scale_down_stabilization, (5 * RSIM_MIN));
  int_default (&r->min_taskmanagers, 1);
  int_default (&r->max_taskmanagers, 10);
  int_default (&r->step, 1);
  if (isnan (r->scale_up_above) || isnan (r->scale_down_below))
    return fail (message, "controllers.replicas: expected scale_up_above and "
                 "scale_down_below");
  if (!(r->scale_down_below < r->scale_up_above))
    return fail (message, "controllers.replicas: expected scale_down_below "
                 "(%g) below scale_up_above (%g)", r->scale_down_below,
                 r->scale_up_above);
  if (r->min_taskmanagers < 1 || r->min_taskmanagers > r->max_taskmanagers)
    return fail (message, "controllers.replicas: expected 1 <= "
                 "min_taskmanagers <= max_taskmanagers, got %d and %d",
                 r->min_taskmanagers, r->max_taskmanagers);
  if (r->interval <= 0 || r->step < 1)
    return fail (message, "controllers.replicas: expected a positive "
                 "interval and step");
  return TRUE;
}

static gboolean
resolve_hpa_rules (const RsimHpaRules *r, const char *dir, char **message)
{
  if (r->stabilization < 0 || r->stabilization > 3600 * RSIM_SEC)
    return fail (message, "controllers.hpa.behavior.%s.stabilization_window: "
                 "expected 0 s to 1 h (Kubernetes: 0 to 3600 seconds)", dir);
  if (r->n_policies == 0 && r->select != RSIM_HPA_SELECT_DISABLED)
    return fail (message, "controllers.hpa.behavior.%s.policies: expected at "
                 "least one policy (or select_policy Disabled)", dir);
  for (guint i = 0; i < r->n_policies; i++)
    if (r->policies[i].value < 1 || r->policies[i].period <= 0
        || r->policies[i].period > 1800 * RSIM_SEC)
      return fail (message, "controllers.hpa.behavior.%s.policies[%u]: "
                   "expected a value >= 1 and a period of 1 s to 30 min "
                   "(Kubernetes: periodSeconds 1 to 1800)", dir, i);
  return TRUE;
}

static gboolean
resolve_hpa (RsimHpaSpec *h, char **message)
{
  if (!(h->target > 0.0))
    return fail (message, "controllers.hpa.target: expected a positive "
                 "target (a utilization from 0 to 1 for cpu, a value per "
                 "pod otherwise)");
  if (h->metric == RSIM_HPA_METRIC_CPU && h->target > 10.0)
    return fail (message, "controllers.hpa.target: expected a CPU "
                 "utilization such as 0.7, got %g", h->target);
  if (h->max_replicas < 1)
    return fail (message, "controllers.hpa.max_replicas: expected a positive "
                 "integer (maxReplicas is required)");
  if (h->min_replicas < 1 || h->min_replicas > h->max_replicas)
    return fail (message, "controllers.hpa: expected 1 <= min_replicas <= "
                 "max_replicas, got %d and %d", h->min_replicas,
                 h->max_replicas);
  if (h->sync_period <= 0 || !(h->tolerance >= 0.0 && h->tolerance < 1.0))
    return fail (message, "controllers.hpa: expected a positive sync_period "
                 "and a tolerance from 0 to 1");
  if (h->cpu_request < 0.0 || h->cpu_background < 0.0
      || h->cpu_per_busy_slot < 0.0)
    return fail (message, "controllers.hpa.cpu: expected non-negative "
                 "cores");
  return resolve_hpa_rules (&h->scale_up, "scale_up", message)
         && resolve_hpa_rules (&h->scale_down, "scale_down", message);
}

gboolean
rsim_controllers_spec_resolve (RsimControllersSpec *spec, char **message)
{
  g_return_val_if_fail (spec != NULL, FALSE);
  int n = spec->autoscaler.enabled + spec->replicas.enabled
          + spec->hpa.enabled + spec->ververica.enabled;
  if (n > 1)
    return fail (message, "controllers: expected at most one of autoscaler, "
                 "replicas, hpa and ververica, got %d", n);
  if (spec->hpa.enabled && !resolve_hpa (&spec->hpa, message))
    return FALSE;
  if (spec->autoscaler.enabled
      && !resolve_autoscaler (&spec->autoscaler, message))
    return FALSE;
  if (spec->replicas.enabled && !resolve_replicas (&spec->replicas, message))
    return FALSE;
  RsimVervericaSpec *v = &spec->ververica;
  int_default (&v->savepoint_retries, 2);
  /* "STATEFUL requires a restore strategy of LATEST_STATE or
   * LATEST_SAVEPOINT" (Ververica Platform, deployment upgrades). */
  if (v->enabled && v->upgrade == RSIM_VVP_UPGRADE_STATEFUL
      && v->restore == RSIM_VVP_RESTORE_NONE)
    return fail (message, "controllers.ververica.restore_strategy: expected "
                 "LATEST_STATE or LATEST_SAVEPOINT with upgrade_strategy "
                 "STATEFUL, got NONE");
  return TRUE;
}
