/* The controllers' settings: names of their enumerations, the sentinels a
 * scenario starts from and the defaults that replace them.
 *
 * Autoscaler defaults per operator release come from the option classes of
 * apache/flink-kubernetes-operator (flink-autoscaler/.../config/
 * AutoScalerOptions.java and, before 1.5, flink-kubernetes-operator-
 * autoscaler/.../AutoScalerOptions.java), as collected in
 * flink-behaviour.md §7. */
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

static gboolean
resolve_autoscaler (RsimAutoscalerSpec *a, char **message)
{
  int_default (&a->operator_minor, RSIM_OPERATOR_DEFAULT_MINOR);
  int op = a->operator_minor;
  /* Metric window, catch-up, utilization boundary: 5 min / 10 min / 0.1
   * in 1.4, 10 min / 5 min / 0.4 in 1.5-1.6, 15 min / 30 min / 0.3 from
   * 1.7 on. */
  RsimTime window = op <= 4 ? (5 * RSIM_MIN) : op <= 6 ? (10 * RSIM_MIN)
                                                     : (15 * RSIM_MIN);
  RsimTime catch_up = op <= 4 ? (10 * RSIM_MIN) : op <= 6 ? (5 * RSIM_MIN)
                                                        : (30 * RSIM_MIN);
  double boundary = op <= 4 ? 0.1 : op <= 6 ? 0.4 : 0.3;
  time_default (&a->interval, (60 * RSIM_SEC));
  time_default (&a->stabilization, (5 * RSIM_MIN));
  time_default (&a->metrics_window, window);
  time_default (&a->catch_up, catch_up);
  time_default (&a->restart_time, (5 * RSIM_MIN));
  time_default (&a->backlog_threshold, (5 * RSIM_MIN));
  double_default (&a->target_utilization, 0.7);
  double_default (&a->utilization_boundary, boundary);
  double_default (&a->utilization_min,
                  MAX (0.0, a->target_utilization - a->utilization_boundary));
  double_default (&a->utilization_max,
                  MIN (1.0, a->target_utilization + a->utilization_boundary));
  double_default (&a->scale_up_max_factor, 100000.0);
  double_default (&a->scale_down_max_factor, 0.6);
  int_default (&a->vertex_min_parallelism, 1);
  /* vertex.max-parallelism: unbounded in 1.4, 200 from 1.5 on. */
  int_default (&a->vertex_max_parallelism, op <= 4 ? G_MAXINT : 200);
  /* scale-up.grace-period (10 min in 1.4, 1 h in 1.5-1.9) was replaced by
   * scale-down.interval (1 h) in 1.10. */
  time_default (&a->scale_up_grace_period,
                op >= 10 ? 0 : op <= 4 ? (10 * RSIM_MIN) : (1 * RSIM_HOUR));
  time_default (&a->scale_down_interval, op >= 10 ? (1 * RSIM_HOUR) : 0);
  /* In-place scaling through the resource requirements API: 1.6+. */
  int_default (&a->inplace_scaling, op >= 6 ? 1 : 0);

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
