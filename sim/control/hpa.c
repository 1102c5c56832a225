/* The Kubernetes HorizontalPodAutoscaler on the TaskManager Deployment
 * (rescalesim/hpa.h): the replica calculator, the behaviour (stabilization
 * windows and scaling policies), and the controller loop with the CPU
 * model.
 *
 * Sources: the Kubernetes documentation "Horizontal Pod Autoscaling"
 * (algorithm details, support for configurable scaling behavior, default
 * behavior) and the HPA controller's replica calculator
 * (pkg/controller/podautoscaler/replica_calculator.go: calcPlainMetricReplicas,
 * GetExternalPerPodMetricReplicas; horizontal.go:
 * normalizeDesiredReplicasWithBehaviors, stabilizeRecommendationWithBehaviors,
 * calculateScaleUpLimitWithScalingRules and its scale-down twin). */
#include "control/controllers.h"

#include <rescalesim/hpa.h>

#include <math.h>

const char *
rsim_hpa_metric_name (RsimHpaMetric metric)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_HPA_METRIC_LIST (RSIM_X)
#undef RSIM_X
  };
  g_return_val_if_fail ((guint) metric < G_N_ELEMENTS (names), "?");
  return names[metric];
}

gboolean
rsim_hpa_metric_parse (const char *text, RsimHpaMetric *out)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_HPA_METRIC_LIST (RSIM_X)
#undef RSIM_X
  };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (text, names[i]) == 0) {
      *out = (RsimHpaMetric) i;
      return TRUE;
    }
  return FALSE;
}

void
rsim_hpa_spec_init (RsimHpaSpec *spec)
{
  *spec = (RsimHpaSpec) { 0 };
  spec->metric = RSIM_HPA_METRIC_CPU;
  spec->target = NAN;
  spec->tolerance = 0.1;
  spec->sync_period = 15 * RSIM_SEC;
  spec->readiness_delay = 30 * RSIM_SEC;
  spec->metric_resolution = 60 * RSIM_SEC;
  spec->min_replicas = 1;
  spec->max_replicas = 0;
  spec->scale_up = (RsimHpaRules) {
    .stabilization = 0, .n_policies = 2, .select = RSIM_HPA_SELECT_MAX,
    .policies = { { RSIM_HPA_POLICY_PERCENT, 100, 15 * RSIM_SEC },
                  { RSIM_HPA_POLICY_PODS, 4, 15 * RSIM_SEC } } };
  spec->scale_down = (RsimHpaRules) {
    .stabilization = 300 * RSIM_SEC, .n_policies = 1,
    .select = RSIM_HPA_SELECT_MAX,
    .policies = { { RSIM_HPA_POLICY_PERCENT, 100, 15 * RSIM_SEC } } };
  spec->cpu_request = 0.0;
  spec->cpu_background = 0.1;
  spec->cpu_per_busy_slot = 1.0;
}

/* ------------------------------------------------------ replica calculator */

static double
mean (const double *v, int n)
{
  double s = 0.0;
  for (int i = 0; i < n; i++)
    s += v[i];
  return n > 0 ? s / n : 0.0;
}

int
rsim_hpa_metric_replicas (const RsimHpaSpec *spec, const RsimHpaObservation *obs)
{
  if (spec->metric != RSIM_HPA_METRIC_CPU) {
    /* GetExternalPerPodMetricReplicas: an AverageValue target. */
    if (obs->current <= 0 || !(spec->target > 0.0))
      return obs->current;
    double ratio = obs->value / (spec->target * obs->current);
    if (fabs (1.0 - ratio) <= spec->tolerance)
      return obs->current;
    return (int) ceil (obs->value / spec->target);
  }
  /* calcPlainMetricReplicas with a utilization target. */
  if (obs->ready <= 0)
    return obs->current;       /* no metrics: the HPA does not act */
  double ratio = mean (obs->utilization, obs->ready) / spec->target;
  gboolean up_with_unready = obs->unready > 0 && ratio > 1.0;
  if (!up_with_unready) {
    if (fabs (1.0 - ratio) <= spec->tolerance)
      return obs->current;
    return (int) ceil (ratio * obs->ready);
  }
  /* Pods without metrics count as 0 % when scaling up. */
  double sum = 0.0;
  for (int i = 0; i < obs->ready; i++)
    sum += obs->utilization[i];
  int n = obs->ready + obs->unready;
  double new_ratio = sum / n / spec->target;
  if (fabs (1.0 - new_ratio) <= spec->tolerance || new_ratio < 1.0)
    return obs->current;
  int replicas = (int) ceil (new_ratio * n);
  return replicas < obs->current ? obs->current : replicas;
}

/* --------------------------------------------------------------- behaviour */

typedef struct {
  RsimTime t;
  int value;
} Stamp;

struct RsimHpaHistory {
  GArray *recommendations;     /* Stamp: prenormalized recommendations */
  GArray *up_events;           /* Stamp: pods added */
  GArray *down_events;         /* Stamp: pods removed */
};

RsimHpaHistory *
rsim_hpa_history_new (void)
{
  RsimHpaHistory *h = g_new0 (RsimHpaHistory, 1);
  h->recommendations = g_array_new (FALSE, FALSE, sizeof (Stamp));
  h->up_events = g_array_new (FALSE, FALSE, sizeof (Stamp));
  h->down_events = g_array_new (FALSE, FALSE, sizeof (Stamp));
  return h;
}

void
rsim_hpa_history_free (RsimHpaHistory *h)
{
  if (h == NULL)
    return;
  g_array_free (h->recommendations, TRUE);
  g_array_free (h->up_events, TRUE);
  g_array_free (h->down_events, TRUE);
  g_free (h);
}

/* Drops entries older than `keep` before now (bounded memory). */
static void
prune (GArray *a, RsimTime now, RsimTime keep)
{
  guint drop = 0;
  while (drop < a->len && g_array_index (a, Stamp, drop).t < now - keep)
    drop++;
  if (drop > 0)
    g_array_remove_range (a, 0, drop);
}

static RsimTime
longest_period (const RsimHpaRules *r)
{
  RsimTime m = 0;
  for (guint i = 0; i < r->n_policies; i++)
    m = MAX (m, r->policies[i].period);
  return m;
}

/* Pods added (or removed) by scaling events within `period` before now. */
static int
changed_within (const GArray *events, RsimTime now, RsimTime period)
{
  int n = 0;
  for (guint i = 0; i < events->len; i++) {
    const Stamp *s = &g_array_index (events, Stamp, i);
    if (s->t > now - period)
      n += s->value;
  }
  return n;
}

/* calculateScaleUpLimitWithScalingRules. */
static int
scale_up_limit (const RsimHpaRules *r, const GArray *events, RsimTime now,
                int current)
{
  int result = r->select == RSIM_HPA_SELECT_MIN ? G_MAXINT : G_MININT;
  for (guint i = 0; i < r->n_policies; i++) {
    const RsimHpaPolicy *p = &r->policies[i];
    int start = current - changed_within (events, now, p->period);
    int proposed = p->type == RSIM_HPA_POLICY_PODS
      ? start + p->value
      : (int) ceil (start * (1.0 + p->value / 100.0));
    result = r->select == RSIM_HPA_SELECT_MIN ? MIN (result, proposed)
                                               : MAX (result, proposed);
  }
  return result;
}

/* calculateScaleDownLimitWithBehaviors. */
static int
scale_down_limit (const RsimHpaRules *r, const GArray *events, RsimTime now,
                  int current)
{
  int result = r->select == RSIM_HPA_SELECT_MIN ? G_MININT : G_MAXINT;
  for (guint i = 0; i < r->n_policies; i++) {
    const RsimHpaPolicy *p = &r->policies[i];
    int start = current + changed_within (events, now, p->period);
    int proposed = p->type == RSIM_HPA_POLICY_PODS
      ? start - p->value
      : (int) (start * (1.0 - p->value / 100.0));
    result = r->select == RSIM_HPA_SELECT_MIN ? MAX (result, proposed)
                                               : MIN (result, proposed);
  }
  return result;
}

int
rsim_hpa_normalize (const RsimHpaSpec *spec, RsimHpaHistory *h, RsimTime now,
                    int current, int desired)
{
  /* stabilizeRecommendationWithBehaviors: the lowest recommendation of the
   * scale-up window and the highest of the scale-down window (the one just
   * made included) bound the change. */
  int up = desired, down = desired;
  for (guint i = 0; i < h->recommendations->len; i++) {
    const Stamp *s = &g_array_index (h->recommendations, Stamp, i);
    if (s->t > now - spec->scale_up.stabilization)
      up = MIN (up, s->value);
    if (s->t > now - spec->scale_down.stabilization)
      down = MAX (down, s->value);
  }
  Stamp rec = { now, desired };
  g_array_append_val (h->recommendations, rec);
  prune (h->recommendations, now, MAX (spec->scale_up.stabilization,
                                       spec->scale_down.stabilization));
  int r = current;
  if (r < up)
    r = up;
  if (r > down)
    r = down;
  /* The policies of the direction, then the replica bounds. */
  if (r > current) {
    if (spec->scale_up.select == RSIM_HPA_SELECT_DISABLED)
      r = current;
    else
      r = MIN (r, scale_up_limit (&spec->scale_up, h->up_events, now, current));
    r = MIN (r, spec->max_replicas);
  } else if (r < current) {
    if (spec->scale_down.select == RSIM_HPA_SELECT_DISABLED)
      r = current;
    else
      r = MAX (r, scale_down_limit (&spec->scale_down, h->down_events, now,
                                    current));
    r = MAX (r, spec->min_replicas);
  }
  r = CLAMP (r, spec->min_replicas, MAX (spec->max_replicas, spec->min_replicas));
  if (r != current) {
    Stamp ev = { now, ABS (r - current) };
    g_array_append_val (r > current ? h->up_events : h->down_events, ev);
  }
  prune (h->up_events, now, longest_period (&spec->scale_up));
  prune (h->down_events, now, longest_period (&spec->scale_down));
  return r;
}

/* ------------------------------------------------------- the controller */

/* One pod's CPU utilization at the last metrics-server scrape. */
typedef struct {
  int tm;
  double utilization;
} PodMetric;

struct RsimHpa {
  RsimWorld *world;
  const RsimHpaSpec *spec;
  RsimHpaHistory *history;
  RsimTime prev_t;
  double prev_processed;
  double prev_produced;
  double cpu_request;          /* resolved */
  RsimTime next_scrape;
  GArray *scraped;             /* PodMetric at the last scrape */
};

/* Cores one task slot uses while the job processes `rate` records/s: the
 * busy fraction of each vertex's subtask (one per vertex in the slot, by
 * slot sharing). */
static double
slot_cores (RsimHpa *hpa, double rate)
{
  const RsimJobGraph *g = hpa->world->graph;
  double cores = 0.0;
  for (guint v = 0; v < g->n_vertices; v++) {
    double cap = g->spec.vertices[v].capacity;
    if (cap > 0.0 && g->parallelism[v] > 0)
      cores += MIN (rate / g->parallelism[v] / cap, 1.0);
  }
  return cores * hpa->spec->cpu_per_busy_slot;
}

/* metrics-server's scrape: every running pod's CPU utilization over the
 * kubelet's last window (the sync period that just ended). */
static void
scrape (RsimHpa *hpa, double rate)
{
  RsimWorld *w = hpa->world;
  RsimCluster *cl = w->cluster;
  g_array_set_size (hpa->scraped, 0);
  double per_slot = slot_cores (hpa, rate);
  for (guint i = 0; i < cl->tms->len; i++) {
    RsimTaskManager *tm = cl->tms->pdata[i];
    if ((tm->process != RSIM_TM_RUNNING && tm->process != RSIM_TM_HUNG)
        || tm->standby)
      continue;
    int used = rsim_slot_pool_tm_used (w->slots, tm->id);
    PodMetric m = { tm->id, (hpa->spec->cpu_background + used * per_slot)
                            / hpa->cpu_request };
    g_array_append_val (hpa->scraped, m);
  }
}

static double
scraped_utilization (RsimHpa *hpa, int tm, gboolean *found)
{
  for (guint i = 0; i < hpa->scraped->len; i++) {
    const PodMetric *m = &g_array_index (hpa->scraped, PodMetric, i);
    if (m->tm == tm) {
      *found = TRUE;
      return m->utilization;
    }
  }
  *found = FALSE;
  return 0.0;
}

static void
hpa_cb (RsimEngine *engine, gpointer data)
{
  RsimHpa *hpa = data;
  RsimWorld *w = hpa->world;
  const RsimHpaSpec *sp = hpa->spec;
  RsimCluster *cl = w->cluster;
  RsimTime now = rsim_engine_now (engine);
  rsim_engine_schedule_in (engine, sp->sync_period, hpa_cb, hpa, NULL);
  rsim_metrics_advance (w->metrics, now);
  RsimDataflow *flow = w->flow;
  double dt = RSIM_TIME_TO_SEC (now - hpa->prev_t);
  double produced = rsim_dataflow_total_produced (flow);
  double proc_rate = dt > 0 ? (flow->processed - hpa->prev_processed) / dt : 0;
  double in_rate = dt > 0 ? (produced - hpa->prev_produced) / dt : 0;
  hpa->prev_t = now;
  hpa->prev_processed = flow->processed;
  hpa->prev_produced = produced;
  if (now >= hpa->next_scrape) {
    scrape (hpa, proc_rate);
    hpa->next_scrape = now + sp->metric_resolution;
  }

  /* The pods: TaskManagers starting or running (stopping ones are being
   * deleted and do not count). A pod counts with metrics once its
   * readiness delay is over and the last scrape saw it. */
  GArray *util = g_array_new (FALSE, FALSE, sizeof (double));
  int current = 0, unready = 0;
  for (guint i = 0; i < cl->tms->len; i++) {
    RsimTaskManager *tm = cl->tms->pdata[i];
    if (tm->standby)
      continue;                 /* another deployment's pod */
    if (tm->process == RSIM_TM_PROVISIONING) {
      current++;
      unready++;
      continue;
    }
    if ((tm->process != RSIM_TM_RUNNING && tm->process != RSIM_TM_HUNG)
        || tm->standby)
      continue;
    current++;
    gboolean found;
    double u = scraped_utilization (hpa, tm->id, &found);
    if (now - tm->started < sp->readiness_delay || !found) {
      unready++;
      continue;
    }
    g_array_append_val (util, u);
  }
  RsimHpaObservation obs = {
    .current = current, .ready = (int) util->len, .unready = unready,
    .utilization = (const double *) util->data,
    .value = sp->metric == RSIM_HPA_METRIC_LAG ? rsim_dataflow_lag (flow)
                                               : in_rate,
  };
  int desired = rsim_hpa_metric_replicas (sp, &obs);
  int target = rsim_hpa_normalize (sp, hpa->history, now, current, desired);
  double shown = sp->metric == RSIM_HPA_METRIC_CPU
    ? (util->len > 0 ? mean ((double *) util->data, (int) util->len) : NAN)
    : obs.value;
  g_array_free (util, TRUE);
  if (target == current)
    return;
  w->recorder->result->controller_actions++;
  if (target > current) {
    RsimTime d = rsim_world_cost_time (w, &w->costs->taskmanager_startup,
                                       "taskmanager_startup");
    RSIM_LOG (w, "hpa", "scale_up",
              "%s %.4g (target %.4g): %d -> %d TaskManager pod(s), ready in "
              "%.1f s", rsim_hpa_metric_name (sp->metric), shown, sp->target,
              current, target, RSIM_TIME_TO_SEC (d));
    rsim_cluster_start_taskmanagers (cl, target - current, MAX (d, 1), "HPA");
    return;
  }
  g_autoptr (GPtrArray) tms = rsim_cluster_pick_live (cl, current - target);
  RSIM_LOG (w, "hpa", "scale_down",
            "%s %.4g (target %.4g): %d -> %d TaskManager pod(s) (%s)",
            rsim_hpa_metric_name (sp->metric), shown, sp->target, current,
            current - (int) tms->len,
            sp->remove_kill ? "pods deleted without grace"
                            : "SIGTERM: graceful shutdown");
  for (guint i = 0; i < tms->len; i++) {
    RsimTaskManager *tm = tms->pdata[i];
    rsim_recorder_cause (w->recorder, "HPA: taskmanager %d removed", tm->id);
    if (sp->remove_kill)
      rsim_cluster_kill (cl, tm, RSIM_KILL_RPC_TIMEOUT);
    else
      rsim_cluster_stop (cl, tm);
  }
}

RsimHpa *
rsim__hpa_start (RsimWorld *world, const RsimHpaSpec *spec)
{
  RsimHpa *hpa = g_new0 (RsimHpa, 1);
  hpa->world = world;
  hpa->spec = spec;
  hpa->history = rsim_hpa_history_new ();
  hpa->scraped = g_array_new (FALSE, FALSE, sizeof (PodMetric));
  hpa->cpu_request = spec->cpu_request > 0.0
    ? spec->cpu_request : MAX (world->conf->slots_per_taskmanager, 1);
  hpa->next_scrape = spec->sync_period;
  rsim_engine_schedule_in (world->engine, spec->sync_period, hpa_cb, hpa, NULL);
  return hpa;
}

void
rsim__hpa_free (RsimHpa *hpa)
{
  if (hpa == NULL)
    return;
  rsim_hpa_history_free (hpa->history);
  g_array_free (hpa->scraped, TRUE);
  g_free (hpa);
}
