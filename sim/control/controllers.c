/* The scenario's controllers: the entry point, the metric-driven replica
 * controller and Ververica Platform's deployment upgrades. The operator
 * autoscaler's loop is in autoscaler.c.
 *
 * Replica controller: what an external service does with a Kubernetes HPA
 * or a cloud autoscaling group on a metric of the job. Every interval it
 * reads the metric over the last interval; when the metric has stayed
 * above scale_up_above for scale_up_stabilization (HPA's default: 0) it
 * adds `step` TaskManagers, which register after the taskmanager_startup
 * cost; when it has stayed below scale_down_below for
 * scale_down_stabilization (HPA's default: 5 min) it removes the `step`
 * newest ones, within [min, max]. It does not act while TaskManagers are
 * starting (their pods are not ready). Removal "kill" is a deleted pod or
 * terminated instance: the JobManager notices at heartbeat.timeout, the
 * stall of about 50 s that Flink's reactive-mode documentation and the
 * Flink blog "Scaling Flink automatically with Reactive Mode" (2021)
 * describe; "stop" is a graceful shutdown.
 *
 * Ververica Platform (docs.ververica.com,
 * "Deployment upgrades"): a changed Deployment (the timeline's
 * update_deployment) is applied per spec.upgradeStrategy:
 *   STATEFUL   a savepoint while the job runs, tried again up to
 *              savepoint_retries times; when it still fails the upgrade
 *              stops and the job runs on untouched; else the job is
 *              cancelled and the new one restores that savepoint;
 *   STATELESS  the job is cancelled at once; the new one restores per
 *              spec.restoreStrategy: LATEST_STATE (newest checkpoint or
 *              savepoint), LATEST_SAVEPOINT, or NONE (empty state, noted in
 *              the report as discarded state);
 *   NONE       the change is not applied to the running job.
 * Ververica's per-strategy descriptions could only partly be verified
 * from docs.ververica.com; the savepoint-then-cancel reading of STATEFUL and the default of
 * two retries are this model's assumptions, named in the README. */
#include "control/controllers.h"

#include <math.h>

typedef struct {
  RsimWorld *world;
  const RsimReplicaSpec *spec;
  RsimTime prev_t;
  double prev_processed;
  double prev_produced;
  RsimTime above_since;        /* -1: not above */
  RsimTime below_since;        /* -1: not below */
} Replicas;

struct RsimControllers {
  RsimWorld *world;
  RsimScheduler *scheduler;
  const RsimSimConfig *config;
  RsimAutoscaler *autoscaler;
  Replicas *replicas;
  RsimHpa *hpa;
};

/* ------------------------------------------------------------ replicas */

/* The metric over the interval that ends now; FALSE when it has no value
 * (utilization while nothing runs). */
static gboolean
replica_metric (Replicas *r, double *out)
{
  RsimWorld *w = r->world;
  RsimDataflow *flow = w->flow;
  RsimTime now = rsim_engine_now (w->engine);
  rsim_metrics_advance (w->metrics, now);
  double dt = RSIM_TIME_TO_SEC (now - r->prev_t);
  double produced = rsim_dataflow_total_produced (flow);
  double proc_rate = dt > 0 ? (flow->processed - r->prev_processed) / dt : 0;
  double in_rate = dt > 0 ? (produced - r->prev_produced) / dt : 0;
  r->prev_t = now;
  r->prev_processed = flow->processed;
  r->prev_produced = produced;
  double lag = rsim_dataflow_lag (flow);
  switch (r->spec->metric) {
  case RSIM_REPLICA_METRIC_LAG:
    *out = lag;
    return TRUE;
  case RSIM_REPLICA_METRIC_UTILIZATION: {
    double capacity = 0.0;
    for (int i = 0; i < flow->n_regions; i++)
      capacity += flow->capacity[i];
    if (capacity <= 0.0)
      return FALSE;
    *out = MIN (proc_rate / capacity, 1.0);
    return TRUE;
  }
  case RSIM_REPLICA_METRIC_THROUGHPUT: {
    int up = rsim_cluster_processes_up (w->cluster);
    if (up == 0)
      return FALSE;
    *out = proc_rate / up;
    return TRUE;
  }
  case RSIM_REPLICA_METRIC_LATENCY:
    *out = in_rate > 0 ? lag / in_rate : 0.0;
    return TRUE;
  }
  return FALSE;
}

static void
replicas_cb (RsimEngine *engine, gpointer data)
{
  Replicas *r = data;
  RsimWorld *w = r->world;
  const RsimReplicaSpec *sp = r->spec;
  RsimTime now = rsim_engine_now (engine);
  rsim_engine_schedule_in (engine, sp->interval, replicas_cb, r, NULL);
  double m;
  if (!replica_metric (r, &m))
    return;
  r->above_since = m > sp->scale_up_above
    ? (r->above_since >= 0 ? r->above_since : now) : -1;
  r->below_since = m < sp->scale_down_below
    ? (r->below_since >= 0 ? r->below_since : now) : -1;
  RsimCluster *cl = w->cluster;
  if (rsim_cluster_starting_slots (cl) > 0)
    return;                     /* new pods are not ready yet */
  int have = rsim_cluster_alive_or_starting (cl);
  const char *metric = rsim_replica_metric_name (sp->metric);
  if (r->above_since >= 0 && now - r->above_since >= sp->scale_up_stabilization
      && have < sp->max_taskmanagers) {
    int add = MIN (sp->step, sp->max_taskmanagers - have);
    RsimTime d = rsim_world_cost_time (w, &w->costs->taskmanager_startup,
                                       "taskmanager_startup");
    RSIM_LOG (w, "replicas", "scale_up",
              "%s %g above %g for %.0f s: %d -> %d TaskManager(s) (ready in "
              "%.1f s)", metric, m, sp->scale_up_above,
              RSIM_TIME_TO_SEC (now - r->above_since), have, have + add,
              RSIM_TIME_TO_SEC (d));
    w->recorder->result->controller_actions++;
    rsim_cluster_start_taskmanagers (cl, add, MAX (d, 1), "replica controller");
    r->above_since = r->below_since = -1;
    return;
  }
  if (r->below_since >= 0
      && now - r->below_since >= sp->scale_down_stabilization
      && have > sp->min_taskmanagers) {
    int remove = MIN (sp->step, have - sp->min_taskmanagers);
    g_autoptr (GPtrArray) tms = rsim_cluster_pick_live (cl, remove);
    RSIM_LOG (w, "replicas", "scale_down",
              "%s %g below %g for %.0f s: %d -> %d TaskManager(s) (%s)",
              metric, m, sp->scale_down_below,
              RSIM_TIME_TO_SEC (now - r->below_since), have,
              have - (int) tms->len, sp->removal == RSIM_REPLICA_REMOVAL_KILL
              ? "pods deleted" : "graceful shutdown");
    w->recorder->result->controller_actions++;
    for (guint i = 0; i < tms->len; i++) {
      RsimTaskManager *tm = tms->pdata[i];
      rsim_recorder_cause (w->recorder, "replica controller: taskmanager %d "
                           "removed", tm->id);
      if (sp->removal == RSIM_REPLICA_REMOVAL_KILL)
        rsim_cluster_kill (cl, tm, RSIM_KILL_RPC_TIMEOUT);
      else
        rsim_cluster_stop (cl, tm);
    }
    r->above_since = r->below_since = -1;
  }
}

/* ----------------------------------------------------------- ververica */

void
rsim__controllers_update_deployment (RsimControllers *c,
                                     const int *parallelism)
{
  g_return_if_fail (c != NULL);
  RsimWorld *w = c->world;
  const RsimVervericaSpec *vvp = &c->config->controllers.ververica;
  if (!vvp->enabled) {
    RSIM_LOG (w, "timeline", "ignored",
              "update_deployment: no Ververica Platform controller");
    return;
  }
  RsimUpgradeHow how;
  switch (vvp->upgrade) {
  case RSIM_VVP_UPGRADE_NONE:
    RSIM_LOG (w, "ververica", "not_applied",
              "Deployment changed; upgrade strategy NONE: the change is not "
              "applied to the running job until it is restarted");
    return;
  case RSIM_VVP_UPGRADE_STATEFUL:
    how = RSIM_UPGRADE_SAVEPOINT_THEN_CANCEL;
    break;
  case RSIM_VVP_UPGRADE_STATELESS:
  default:
    how = vvp->restore == RSIM_VVP_RESTORE_LATEST_STATE
          ? RSIM_UPGRADE_CANCEL_LAST_STATE
          : vvp->restore == RSIM_VVP_RESTORE_LATEST_SAVEPOINT
          ? RSIM_UPGRADE_CANCEL_LATEST_SAVEPOINT : RSIM_UPGRADE_CANCEL_EMPTY;
    break;
  }
  RSIM_LOG (w, "ververica", "upgrade",
            "Deployment changed: upgrade strategy %s, restore strategy %s%s",
            rsim_vvp_upgrade_name (vvp->upgrade),
            rsim_vvp_restore_name (vvp->restore),
            vvp->upgrade == RSIM_VVP_UPGRADE_STATEFUL
            ? " (savepoint first, then cancel)" : " (cancel at once)");
  w->recorder->result->controller_actions++;
  c->scheduler->klass->upgrade (c->scheduler, parallelism, how,
                                vvp->savepoint_retries);
}

/* --------------------------------------------------------------- entry */

RsimControllers *
rsim__controllers_start (RsimWorld *world, RsimScheduler *scheduler,
                         const RsimSimConfig *config)
{
  RsimControllers *c = g_new0 (RsimControllers, 1);
  c->world = world;
  c->scheduler = scheduler;
  c->config = config;
  const RsimControllersSpec *spec = &config->controllers;
  if (spec->autoscaler.enabled)
    c->autoscaler = rsim__autoscaler_new (world, scheduler, config);
  if (spec->replicas.enabled) {
    Replicas *r = g_new0 (Replicas, 1);
    r->world = world;
    r->spec = &spec->replicas;
    r->above_since = r->below_since = -1;
    c->replicas = r;
    RSIM_LOG (world, "replicas", "start",
              "replica controller on %s: up above %g, down below %g, every "
              "%.0f s, stabilization %.0f s up / %.0f s down, %d-%d "
              "TaskManagers, step %d, removal %s",
              rsim_replica_metric_name (r->spec->metric),
              r->spec->scale_up_above, r->spec->scale_down_below,
              RSIM_TIME_TO_SEC (r->spec->interval),
              RSIM_TIME_TO_SEC (r->spec->scale_up_stabilization),
              RSIM_TIME_TO_SEC (r->spec->scale_down_stabilization),
              r->spec->min_taskmanagers, r->spec->max_taskmanagers,
              r->spec->step, rsim_replica_removal_name (r->spec->removal));
    rsim_engine_schedule_at (world->engine, r->spec->interval, replicas_cb,
                             r, NULL);
  }
  if (spec->hpa.enabled) {
    const RsimHpaSpec *h = &spec->hpa;
    RSIM_LOG (world, "hpa", "start",
              "HorizontalPodAutoscaler on the TaskManager Deployment: %s "
              "target %g, %d-%d replicas, sync every %.0f s, tolerance %g, "
              "stabilization %.0f s up / %.0f s down",
              rsim_hpa_metric_name (h->metric), h->target, h->min_replicas,
              h->max_replicas, RSIM_TIME_TO_SEC (h->sync_period), h->tolerance,
              RSIM_TIME_TO_SEC (h->scale_up.stabilization),
              RSIM_TIME_TO_SEC (h->scale_down.stabilization));
    c->hpa = rsim__hpa_start (world, h);
  }
  if (spec->ververica.enabled)
    RSIM_LOG (world, "ververica", "start",
              "Ververica Platform deployment: upgrade strategy %s, restore "
              "strategy %s, %d savepoint retries",
              rsim_vvp_upgrade_name (spec->ververica.upgrade),
              rsim_vvp_restore_name (spec->ververica.restore),
              spec->ververica.savepoint_retries);
  return c;
}

void
rsim__controllers_set_scheduler (RsimControllers *c, RsimScheduler *scheduler)
{
  c->scheduler = scheduler;
  if (c->autoscaler)
    rsim__autoscaler_set_scheduler (c->autoscaler, scheduler);
}

void
rsim__controllers_free (RsimControllers *c)
{
  if (c == NULL)
    return;
  rsim__autoscaler_free (c->autoscaler);
  rsim__hpa_free (c->hpa);
  g_free (c->replicas);
  g_free (c);
}
