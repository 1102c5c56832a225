/* The Kubernetes operator's autoscaler loop (FLIP-271) over the simulated
 * job. Every reconcile interval it takes one metric sample, keeps a
 * window of them and, once the window is full, decides a parallelism per
 * vertex with the rules of include/rescalesim/autoscaler.h and applies it
 * the way the operator would. Sources: apache/flink-kubernetes-operator
 * flink-autoscaler/ (ScalingMetricCollector, ScalingMetricEvaluator,
 * JobVertexScaler, ScalingExecutor) and flink-kubernetes-operator/.../
 * NativeFlinkService.scale.
 *
 * Gating (ScalingMetricCollector.updateMetrics):
 *   - only while the job is RUNNING; when the job's RUNNING timestamp is
 *     newer than the oldest sample, the whole history is dropped, so every
 *     restart (whoever caused it) starts over;
 *   - samples are not taken during stabilization.interval after RUNNING;
 *   - a decision needs a full metrics.window after that (and two samples):
 *     the earliest is RUNNING + stabilization + window.
 * The window (RsimMetricWindow, autoscaler-rules.c) keeps running sums of
 * its samples, so one loop costs O(vertices) however long the window is;
 * the loader bounds metrics.window / reconcile.interval, the ring's size.
 *
 * Metrics per vertex, from the fluid model: the records it processed per
 * second over the loop interval (every record crosses every vertex), its
 * busy time (that rate over the vertex's throughput limit at its
 * parallelism, key-group skew included: the busiest subtask, as the MAX
 * busy-time aggregator gives) and the true processing rate, rate / busy.
 * The sources' target rate is their input rate plus the growth of the lag
 * over the window.
 *
 * Applying (NativeFlinkService.scale): in place through the resource
 * requirements (upper = target, lower = 1) on Flink 1.18+ with the
 * adaptive scheduler when inplace-scaling is enabled; reactive mode gets
 * the TaskManager replicas for the target; anything else is a full
 * upgrade in the FlinkDeployment's upgradeMode. */
#include "control/controllers.h"

#include <math.h>
#include <string.h>

#include <rescalesim/autoscaler.h>

struct RsimAutoscaler {
  RsimWorld *world;
  RsimScheduler *scheduler;
  const RsimSimConfig *config;
  const RsimAutoscalerSpec *spec;
  guint n_vertices;
  /* The samples of the metric window, with running sums. */
  RsimMetricWindow *window;
  double *tpr;                 /* scratch: one sample's rates, n_vertices */
  /* Totals at the previous loop. */
  RsimTime prev_t;
  double prev_processed;
  double prev_consumed;
  guint running_epoch;         /* recorder->running_count seen last */
  gboolean stabilizing_logged;
  RsimDelayedScaleDown *delayed;
  RsimTime *last_scale_up;     /* per vertex; grace period (operator <= 1.9) */
};

static RsimTime
now_of (RsimAutoscaler *a)
{
  return rsim_engine_now (a->world->engine);
}

static void
drop_history (RsimAutoscaler *a, const char *why)
{
  guint len = rsim_metric_window_len (a->window);
  if (len > 0)
    RSIM_LOG (a->world, "autoscaler", "history_dropped",
              "metric history dropped (%u sample(s)): %s", len, why);
  rsim_metric_window_clear (a->window);
}

static gboolean
job_running (RsimAutoscaler *a)
{
  return a->world->recorder->job_status == RSIM_JOB_RUNNING;
}

/* ------------------------------------------------------------- applying */

/* NativeFlinkService.scale: the resource requirements, on a native
 * deployment (active resource manager) only; StandaloneFlinkService.scale
 * scales nothing but a reactive job's TaskManager replicas. */
static gboolean
in_place (RsimAutoscaler *a)
{
  return a->config->scheduler == RSIM_SCHEDULER_ADAPTIVE
         && a->world->cluster->rm_mode == RSIM_RM_ACTIVE
         && rsim_rules_has (&a->world->rules, RSIM_RULE_RESOURCE_REQUIREMENTS_API)
         && a->spec->inplace_scaling && a->scheduler->klass->set_requirements;
}

/* The TaskManager replicas of a standalone deployment (or of reactive
 * mode) follow the target: start missing ones, stop the newest extra ones
 * gracefully (the Deployment's pods get SIGTERM). */
static void
set_replicas (RsimAutoscaler *a, int want)
{
  RsimWorld *w = a->world;
  RsimCluster *cl = w->cluster;
  int have = rsim_cluster_alive_or_starting (cl);
  if (want > have) {
    rsim_cluster_start_up_to (cl, want, "autoscaler");
  } else if (want < have) {
    g_autoptr (GPtrArray) tms = rsim_cluster_pick_live (cl, have - want);
    for (guint i = 0; i < tms->len; i++) {
      RsimTaskManager *tm = tms->pdata[i];
      rsim_recorder_cause (w->recorder, "autoscaler: taskmanager %d stopped",
                           tm->id);
      rsim_cluster_stop (cl, tm);
    }
  }
}

static void
apply (RsimAutoscaler *a, const int *target)
{
  RsimWorld *w = a->world;
  RsimScheduler *s = a->scheduler;
  guint n = a->n_vertices;
  int need = rsim_cluster_taskmanagers_for (
    w->cluster, rsim_job_graph_slots_for (w->graph, target));
  w->recorder->result->controller_actions++;
  rsim_recorder_cause (w->recorder, "autoscaler rescale");
  if (in_place (a)) {
    g_autofree int *lower = g_new (int, n);
    g_autofree int *upper = g_new (int, n);
    for (guint v = 0; v < n; v++) {
      lower[v] = 1;
      upper[v] = target[v];
    }
    RSIM_LOG (w, "autoscaler", "apply",
              "in place: PUT resource-requirements (upper bound = target, "
              "lower bound 1); %d TaskManager(s) for it", need);
    s->klass->set_requirements (s, lower, upper);
    return;
  }
  if (a->config->scheduler == RSIM_SCHEDULER_REACTIVE) {
    RSIM_LOG (w, "autoscaler", "apply",
              "reactive mode: TaskManager replicas set to %d", need);
    set_replicas (a, need);
    return;
  }
  static const RsimUpgradeHow how[] = {
    [RSIM_UPGRADE_MODE_SAVEPOINT] = RSIM_UPGRADE_STOP_WITH_SAVEPOINT,
    [RSIM_UPGRADE_MODE_LAST_STATE] = RSIM_UPGRADE_CANCEL_LAST_STATE,
    [RSIM_UPGRADE_MODE_STATELESS] = RSIM_UPGRADE_CANCEL_EMPTY,
  };
  const char *reason =
    a->config->scheduler != RSIM_SCHEDULER_ADAPTIVE
    ? ": the default scheduler cannot rescale in place"
    : w->cluster->rm_mode != RSIM_RM_ACTIVE
    ? ": a standalone deployment scales in place only in reactive mode "
      "(StandaloneFlinkService.scale)"
    : ": in-place scaling needs Flink 1.18+ and inplace-scaling enabled";
  RSIM_LOG (w, "autoscaler", "apply", "full upgrade (upgradeMode %s)%s",
            rsim_upgrade_mode_name (a->spec->upgrade_mode), reason);
  s->klass->upgrade (s, target, how[a->spec->upgrade_mode], 0);
}

/* ------------------------------------------------------------- deciding */

static void
evaluate (RsimAutoscaler *a)
{
  RsimWorld *w = a->world;
  RsimJobGraph *g = w->graph;
  const RsimAutoscalerSpec *sp = a->spec;
  RsimTime now = now_of (a);
  guint n = a->n_vertices;

  /* Means from the window's running sums: O(vertices) per loop however
   * many samples the window holds. */
  const RsimMetricWindow *win = a->window;
  guint last = rsim_metric_window_len (win) - 1;
  double input = rsim_metric_window_mean_input (win);
  double span = RSIM_TIME_TO_SEC (rsim_metric_window_time (win, last)
                                  - rsim_metric_window_time (win, 0));
  double lag = rsim_metric_window_lag (win, last);
  double growth = span > 0 ? (lag - rsim_metric_window_lag (win, 0)) / span
                           : 0.0;
  double rate = MAX (input + growth, 0.0);
  double restart_s = RSIM_TIME_TO_SEC (sp->restart_time);
  double catch_up_s = RSIM_TIME_TO_SEC (sp->catch_up);
  /* Backlog: while the lag is more than backlog-processing.lag-threshold
   * of input, the bounds are [0, 1] (no scale-down). */
  gboolean backlog = rate > 0 && lag / rate
                     > RSIM_TIME_TO_SEC (sp->backlog_threshold);
  double u_min = backlog ? 0.0 : sp->utilization_min;
  double u_max = backlog ? 1.0 : sp->utilization_max;
  double up_threshold = rsim_autoscaler_target_capacity (
    rate, lag, u_max, restart_s, catch_up_s, FALSE);
  double down_threshold = u_min > 0.0
    ? rsim_autoscaler_target_capacity (rate, lag, u_min, restart_s,
                                       catch_up_s, TRUE)
    : INFINITY;
  double target_capacity = rsim_autoscaler_target_capacity (
    rate, lag, sp->target_utilization, restart_s, catch_up_s, TRUE);

  const RsimOperatorRelease *rel = rsim_operator_release (sp->operator_minor);
  g_autofree int *target = g_new (int, n);
  gboolean outside_any = FALSE, change = FALSE;
  g_autoptr (GString) why = g_string_new (NULL);
  for (guint v = 0; v < n; v++) {
    int p = g->parallelism[v];
    target[v] = p;
    guint k = 0;
    double tpr = rsim_metric_window_mean_tpr (win, v, &k);
    if (k == 0 || isnan (target_capacity))
      continue;                 /* no true processing rate: no change */
    gboolean outside = tpr < up_threshold || tpr > down_threshold;
    double factor = target_capacity / tpr;
    factor = MIN (MAX (factor, 1.0 - sp->scale_down_max_factor),
                  1.0 + sp->scale_up_max_factor);
    gboolean keyed = g->hash_input[v];
    gboolean partitioned = g->is_source[v] && sp->source_partitions > 0;
    int max_p = partitioned ? MIN (g->max_parallelism[v], sp->source_partitions)
                            : g->max_parallelism[v];
    /* Operator 1.10+ align keyed vertices to their key groups and sources
     * with known partitions to those; 1.4-1.9 align keyed vertices and
     * every source (no inputs) to the max parallelism, which a source's
     * partition count lowers (VertexInfo.updateMaxParallelism). */
    gboolean up_to_half = rel->align == RSIM_ALIGN_UP_TO_HALF;
    int groups = up_to_half ? max_p
                 : partitioned ? sp->source_partitions : g->max_parallelism[v];
    gboolean align = keyed || partitioned || (up_to_half && g->is_source[v]);
    int np = rsim_autoscaler_scale (
      rel->align, p, factor, MIN (p, sp->vertex_min_parallelism),
      MAX (p, sp->vertex_max_parallelism), max_p, groups, align);
    const char *name = g->spec.vertices[v].name;
    if (np == p) {
      rsim_delayed_scale_down_clear_vertex (a->delayed, v);
      continue;
    }
    /* A required change decides a scaling; an optional one (operator
     * 1.10's scale-down within the interval) only rides along. */
    gboolean required = TRUE;
    if (np > p) {
      /* detectBlockScaling: above the current parallelism is a scale-up,
       * even when the alignment moved a wished scale-down there (before
       * operator 1.15). */
      rsim_delayed_scale_down_clear_vertex (a->delayed, v);
    } else if (sp->scale_up_grace_period > 0 && a->last_scale_up[v] >= 0
               && now - a->last_scale_up[v] < sp->scale_up_grace_period) {
      g_string_append_printf (why, "%s%s: scale-down to %d blocked by "
                              "scale-up.grace-period", why->len ? "; " : "",
                              name, np);
      continue;
    } else if (rel->scale_down == RSIM_SCALE_DOWN_LATEST) {
      /* Operator 1.10: within the interval the latest wish is optional,
       * after it required. */
      required = rsim_delayed_scale_down_trigger (a->delayed, v, now, np,
                                                  sp->scale_down_interval) >= 0;
    } else if (rel->scale_down == RSIM_SCALE_DOWN_HIGHEST) {
      int d = rsim_delayed_scale_down_trigger (a->delayed, v, now, np,
                                               sp->scale_down_interval);
      if (d < 0) {
        g_string_append_printf (why, "%s%s: scale-down to %d delayed by "
                                "scale-down.interval", why->len ? "; " : "",
                                name, np);
        continue;
      }
      np = d;
      if (np >= p)
        continue;
    }
    target[v] = np;
    change = TRUE;
    if (required)
      outside_any = outside_any || outside;
    g_string_append_printf (why, "%s%s: %d -> %d%s (true processing rate "
                            "%.0f rec/s, target capacity %.0f rec/s, "
                            "bounds %.0f-%.0f%s)", why->len ? "; " : "",
                            name, p, np, required ? "" : " optional, "
                            "within scale-down.interval", tpr,
                            target_capacity, up_threshold, down_threshold,
                            outside ? ", outside" : "");
  }
  if (!change || !outside_any) {
    RSIM_LOG (w, "autoscaler", "no_scaling",
              "no scaling (target rate %.0f rec/s, lag %.0f records%s)%s%s",
              rate, lag, backlog ? ", backlog" : "",
              why->len ? ": " : "", why->str);
    return;
  }
  RSIM_LOG (w, "autoscaler", "scale",
            "scaling (target rate %.0f rec/s, lag %.0f records%s): %s",
            rate, lag, backlog ? ", backlog" : "", why->str);
  for (guint v = 0; v < n; v++)
    if (target[v] > g->parallelism[v])
      a->last_scale_up[v] = now;
  /* ScalingExecutor: delayed scale-downs are cleared after a scaling. */
  rsim_delayed_scale_down_clear_all (a->delayed);
  apply (a, target);
}

/* ----------------------------------------------------------------- loop */

static void
loop_cb (RsimEngine *engine, gpointer data)
{
  RsimAutoscaler *a = data;
  RsimWorld *w = a->world;
  RsimDataflow *flow = w->flow;
  RsimRecorder *rec = w->recorder;
  RsimTime now = now_of (a);
  rsim_metrics_advance (w->metrics, now);
  double processed = flow->processed;
  double consumed = rsim_dataflow_total_consumed (flow);
  double dt = RSIM_TIME_TO_SEC (now - a->prev_t);
  double proc_rate = dt > 0 ? (processed - a->prev_processed) / dt : 0.0;
  double in_rate = dt > 0 ? MAX (consumed - a->prev_consumed, 0.0) / dt
                          : 0.0;
  RsimTime interval_start = a->prev_t;
  a->prev_t = now;
  a->prev_processed = processed;
  a->prev_consumed = consumed;
  if (now + a->spec->interval <= a->config->duration)
    rsim_engine_schedule_in (engine, a->spec->interval, loop_cb, a, NULL);

  if (!job_running (a)) {
    drop_history (a, "the job is not RUNNING");
    return;
  }
  if (rec->running_count != a->running_epoch) {
    a->running_epoch = rec->running_count;
    a->stabilizing_logged = FALSE;
    drop_history (a, "the job's RUNNING timestamp is newer than the "
                  "oldest sample (restart or rescale)");
  }
  RsimTime collect_from = rec->running_since + a->spec->stabilization;
  if (now < collect_from || interval_start < rec->running_since) {
    if (!a->stabilizing_logged) {
      a->stabilizing_logged = TRUE;
      RSIM_LOG (w, "autoscaler", "stabilizing",
                "job RUNNING since %.0f s: no samples until %.0f s "
                "(stabilization.interval), no decision before %.0f s "
                "(+ metrics.window)", RSIM_TIME_TO_SEC (rec->running_since),
                RSIM_TIME_TO_SEC (collect_from),
                RSIM_TIME_TO_SEC (collect_from + a->spec->metrics_window));
    }
    return;
  }
  RsimJobGraph *g = w->graph;
  double *tpr = a->tpr;
  for (guint v = 0; v < a->n_vertices; v++) {
    double limit = rsim_job_graph_vertex_limit (g, (int) v);
    double busy = limit > 0 ? MIN (proc_rate / limit, 1.0) : 0.0;
    /* TRUE_PROCESSING_RATE = input rate / busy fraction; none without
     * busy time. */
    tpr[v] = busy > 0 ? proc_rate / busy : NAN;
  }
  RsimMetricWindow *win = a->window;
  rsim_metric_window_push (win, now, in_rate, rsim_dataflow_lag (flow), tpr);
  /* Samples older than the window leave it. */
  while (rsim_metric_window_len (win) > 0
         && rsim_metric_window_time (win, 0) <= now - a->spec->metrics_window)
    rsim_metric_window_drop_oldest (win);
  if (now < collect_from + a->spec->metrics_window
      || rsim_metric_window_len (win) < 2)
    return;
  evaluate (a);
}

void
rsim__autoscaler_set_scheduler (RsimAutoscaler *a, RsimScheduler *s)
{
  a->scheduler = s;
}

RsimAutoscaler *
rsim__autoscaler_new (RsimWorld *world, RsimScheduler *scheduler,
                      const RsimSimConfig *config)
{
  g_return_val_if_fail (config->controllers.autoscaler.interval > 0, NULL);
  RsimAutoscaler *a = g_new0 (RsimAutoscaler, 1);
  a->world = world;
  a->scheduler = scheduler;
  a->config = config;
  a->spec = &config->controllers.autoscaler;
  a->n_vertices = world->graph->n_vertices;
  /* One sample per loop: the window holds window / interval of them, plus
   * the one pushed before the oldest leaves and one for rounding. The
   * loader refuses a ratio above RSIM_AUTOSCALER_MAX_WINDOW_SAMPLES (the
   * division is done in 64 bits, so no ratio wraps); a configuration built
   * by hand with a larger one keeps only that many samples. */
  gint64 ratio = MAX (a->spec->metrics_window, 0) / a->spec->interval;
  guint cap = (guint) MIN (ratio, RSIM_AUTOSCALER_MAX_WINDOW_SAMPLES) + 2;
  a->window = rsim_metric_window_new (cap, a->n_vertices);
  a->tpr = g_new0 (double, MAX (a->n_vertices, 1));
  a->delayed = rsim_delayed_scale_down_new (a->n_vertices);
  a->last_scale_up = g_new (RsimTime, MAX (a->n_vertices, 1));
  for (guint v = 0; v < a->n_vertices; v++)
    a->last_scale_up[v] = -1;
  RSIM_LOG (world, "autoscaler", "start",
            "operator 1.%d autoscaler: loop every %.0f s, stabilization "
            "%.0f s, metrics window %.0f s, utilization %.2f (%.2f-%.2f), "
            "catch-up %.0f s, restart time %.0f s, scale-down.interval "
            "%.0f s, %s", a->spec->operator_minor,
            RSIM_TIME_TO_SEC (a->spec->interval),
            RSIM_TIME_TO_SEC (a->spec->stabilization),
            RSIM_TIME_TO_SEC (a->spec->metrics_window),
            a->spec->target_utilization, a->spec->utilization_min,
            a->spec->utilization_max, RSIM_TIME_TO_SEC (a->spec->catch_up),
            RSIM_TIME_TO_SEC (a->spec->restart_time),
            RSIM_TIME_TO_SEC (a->spec->scale_down_interval),
            in_place (a) ? "in-place scaling"
            : config->scheduler == RSIM_SCHEDULER_REACTIVE
            ? "scaling through TaskManager replicas"
            : "scaling by full upgrade");
  rsim_engine_schedule_at (world->engine, MIN (a->spec->interval,
                                               config->duration),
                           loop_cb, a, NULL);
  return a;
}

void
rsim__autoscaler_free (RsimAutoscaler *a)
{
  if (a == NULL)
    return;
  rsim_delayed_scale_down_free (a->delayed);
  rsim_metric_window_free (a->window);
  g_free (a->tpr);
  g_free (a->last_scale_up);
  g_free (a);
}
