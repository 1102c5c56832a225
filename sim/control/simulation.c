/* One simulation run: builds the world (engine, cluster, job graph, dataflow,
 * checkpoint coordinator, recorder) and the scheduler from a resolved
 * configuration, replays the timeline, samples the time series and returns
 * the metrics.
 *
 * Order of work at one simulated instant is the order events were scheduled
 * (the engine's (time, sequence) rule): the timeline's actions are all
 * scheduled before the run starts, so an action at time t runs before any
 * model event that the run schedules for t later on. */
#include <rescalesim/simulation.h>

#include "sched/sched.h"
#include "control/controllers.h"
#include "control/failures.h"

#include <string.h>

/* What the last row of the time series showed, to tell a change. */
typedef struct {
  int parallelism;
  int taskmanagers;
  int slots;
  const char *job_state;
  double fraction;             /* the data flow's available capacity fraction */
  guint rate_changes;          /* input profile steps and set_rate actions */
} RowState;

struct RsimSimulation {
  RsimWorld world;
  RsimScheduler *scheduler;
  RsimControllers *controllers;
  const RsimSimConfig *config;
  RsimSinks sinks;             /* the caller's */
  RsimSinks world_sinks;       /* what the world's recorder calls */
  /* Time series: a fixed grid (output.sample_interval), or lean rows. */
  RsimTime grid;               /* spacing of the regular rows */
  gboolean lean;               /* also a row at every change */
  RsimEventId check_event;     /* pending check after logged events */
  RsimEventId fine_event;      /* pending catch-up tick */
  RowState last;               /* the last row written */
  RsimTime last_t;
  double last_processed_rate;
  guint rate_changes;
  /* Scratch of flow_peek, grown to the largest region count. */
  double *peek_produced;
  double *peek_consumed;
  int peek_cap;
  GArray *peek_scratch;
};

typedef struct {
  RsimSimulation *sim;
  guint index;
} ActionRef;

/* ---------------------------------------------------------------- timeline */

static GPtrArray *
targets (RsimSimulation *sim, const RsimAction *a)
{
  RsimCluster *cl = sim->world.cluster;
  if (a->n_taskmanager_ids == 0)
    return rsim_cluster_pick_live (cl, a->count > 0 ? a->count : 1);
  GPtrArray *out = g_ptr_array_new ();
  for (guint i = 0; i < a->n_taskmanager_ids; i++) {
    RsimTaskManager *tm = rsim_cluster_get (cl, a->taskmanager_ids[i]);
    if (tm)
      g_ptr_array_add (out, tm);
    else
      RSIM_LOG (&sim->world, "timeline", "ignored",
                "%s: there is no taskmanager %d", rsim_action_kind_name (a->kind),
                a->taskmanager_ids[i]);
  }
  return out;
}

static void
action_cb (RsimEngine *engine, gpointer data)
{
  ActionRef *ref = data;
  RsimSimulation *sim = ref->sim;
  RsimWorld *w = &sim->world;
  const RsimAction *a = &sim->config->timeline[ref->index];
  RsimScheduler *s = sim->scheduler;
  RSIM_LOG (w, "timeline", rsim_action_kind_name (a->kind), "timeline action %s",
            rsim_action_kind_name (a->kind));
  switch (a->kind) {
  case RSIM_ACTION_ADD_TASKMANAGERS: {
    RsimTime d = rsim_world_cost_time (w, &w->costs->taskmanager_startup,
                                       "taskmanager_startup");
    rsim_cluster_start_taskmanagers (w->cluster, MAX (a->count, 1), MAX (d, 1),
                                     "timeline");
    break;
  }
  case RSIM_ACTION_STOP_TASKMANAGERS:
  case RSIM_ACTION_KILL_TASKMANAGERS:
  case RSIM_ACTION_HANG_TASKMANAGERS: {
    g_autoptr (GPtrArray) tms = targets (sim, a);
    if (tms->len == 0)
      RSIM_LOG (w, "timeline", "ignored", "%s: no live taskmanager",
                rsim_action_kind_name (a->kind));
    for (guint i = 0; i < tms->len; i++) {
      RsimTaskManager *tm = tms->pdata[i];
      if (a->kind == RSIM_ACTION_STOP_TASKMANAGERS) {
        rsim_recorder_cause (w->recorder, "taskmanager %d stopped", tm->id);
        rsim_cluster_stop (w->cluster, tm);
      } else if (a->kind == RSIM_ACTION_KILL_TASKMANAGERS) {
        rsim_recorder_cause (w->recorder, "taskmanager %d killed", tm->id);
        rsim_cluster_kill (w->cluster, tm, a->kill_rpc);
      } else {
        rsim_recorder_cause (w->recorder, "taskmanager %d hung", tm->id);
        rsim_cluster_hang (w->cluster, tm);
      }
    }
    break;
  }
  case RSIM_ACTION_FAIL_TASK:
    s->klass->fail_task (s, a->vertex, a->subtask);
    break;
  case RSIM_ACTION_SET_RATE:
    rsim_dataflow_set_rate (w->flow, &a->rate);
    sim->rate_changes++;
    break;
  case RSIM_ACTION_FAIL_CHECKPOINTS:
    switch (a->checkpoint_target) {
    case RSIM_CHECKPOINT_TARGET_CHECKPOINT:
      w->checkpoints->fail_checkpoints += MAX (a->count, 1);
      break;
    case RSIM_CHECKPOINT_TARGET_SAVEPOINT:
      w->checkpoints->fail_savepoints += MAX (a->count, 1);
      break;
    default:
      w->checkpoints->fail_any += MAX (a->count, 1);
      break;
    }
    break;
  case RSIM_ACTION_STOP_WITH_SAVEPOINT:
    s->klass->stop_with_savepoint (s, a->parallelism);
    break;
  case RSIM_ACTION_FLINK_MODIFY:
    s->klass->flink_modify (s, a->parallelism);
    break;
  case RSIM_ACTION_SCALE:
    s->klass->scale (s, a->parallelism);
    break;
  case RSIM_ACTION_SET_RESOURCE_REQUIREMENTS:
    if (s->klass->set_requirements)
      s->klass->set_requirements (s, a->lower_bounds, a->upper_bounds);
    else
      RSIM_LOG (w, "scheduler", "refused",
                "resource requirements update rejected: the %s scheduler does "
                "not support it (UnsupportedOperationException)",
                s->klass->name);
    break;
  case RSIM_ACTION_UPDATE_DEPLOYMENT:
    rsim__controllers_update_deployment (sim->controllers, a->parallelism);
    break;
  }
}

/* ---------------------------------------------------------------- sampling */

/* The lean time series (no output.sample_interval) has regular rows at a
 * resolution that grows with the run, 1 s up to about 20,000 rows (130 s for
 * 30 days), plus a row at every instant something a row shows changes
 * other than continuously: the job status, the deployed parallelism, the
 * TaskManagers up, the registered slots, the available capacity (so every
 * outage starts and ends on a row) and the input rate's steps. Between
 * rows the lag moves linearly when the rates are constant, so it peaks on
 * a row; with a continuous profile (sine, trace) the rows sample it. */
#define LEAN_ROWS 20000

static RsimTime
lean_grid (RsimTime duration)
{
  return MAX (RSIM_SEC, duration / LEAN_ROWS);
}

static RowState
row_state (RsimSimulation *sim)
{
  RsimWorld *w = &sim->world;
  RowState st = { 0 };
  for (guint v = 0; v < w->graph->n_vertices; v++)
    st.parallelism = MAX (st.parallelism,
                          sim->scheduler->klass->deployed_parallelism (sim->scheduler,
                                                                       (int) v));
  st.taskmanagers = rsim_cluster_processes_up (w->cluster);
  st.slots = rsim_cluster_registered_slots (w->cluster);
  st.job_state = rsim_job_status_name (
    sim->scheduler->klass->job_status (sim->scheduler));
  st.fraction = w->flow->fraction;
  st.rate_changes = sim->rate_changes;
  return st;
}

static gboolean
row_state_equal (const RowState *a, const RowState *b)
{
  return a->parallelism == b->parallelism && a->taskmanagers == b->taskmanagers
    && a->slots == b->slots && a->job_state == b->job_state
    && a->fraction == b->fraction && a->rate_changes == b->rate_changes;
}

/* The data flow's totals at now, read from a copy integrated up to now: a
 * row observes and never moves the instants at which the run itself
 * integrates, so the rows (lean or any output.sample_interval) leave every
 * other output unchanged to the last bit. */
static void
flow_peek (RsimSimulation *sim, RsimTime now, double *produced,
           double *processed, double *lag)
{
  const RsimDataflow *flow = sim->world.flow;
  if (now <= flow->t) {
    *produced = rsim_dataflow_total_produced (flow);
    *processed = flow->processed;
    *lag = rsim_dataflow_lag (flow);
    return;
  }
  int n = flow->n_regions;
  if (n > sim->peek_cap) {
    sim->peek_cap = MAX (n, 2 * sim->peek_cap);
    sim->peek_produced = g_renew (double, sim->peek_produced, sim->peek_cap);
    sim->peek_consumed = g_renew (double, sim->peek_consumed, sim->peek_cap);
  }
  RsimDataflow copy = *flow;
  copy.produced = sim->peek_produced;
  copy.consumed = sim->peek_consumed;
  copy.scratch = sim->peek_scratch;
  copy.observer = (RsimDataflowObserver) { 0 };
  if (n > 0) {
    memcpy (copy.produced, flow->produced, sizeof (double) * (gsize) n);
    memcpy (copy.consumed, flow->consumed, sizeof (double) * (gsize) n);
  }
  rsim_dataflow_integrate (&copy, now);
  *produced = rsim_dataflow_total_produced (&copy);
  *processed = copy.processed;
  *lag = rsim_dataflow_lag (&copy);
}

static void
take_sample (RsimSimulation *sim)
{
  RsimWorld *w = &sim->world;
  RsimDataflow *flow = w->flow;
  RsimTime now = rsim_engine_now (w->engine);
  double dt = RSIM_TIME_TO_SEC (now - flow->sample_t);
  double produced, processed, lag;
  flow_peek (sim, now, &produced, &processed, &lag);
  RowState st = row_state (sim);
  RsimSample s = { 0 };
  s.t = now;
  s.input_rate = dt > 0 ? (produced - flow->sample_produced) / dt
                        : rsim_rate_at (&flow->rate, now);
  /* A second row at one instant (lean) repeats the rate of the first. */
  s.processed_rate = dt > 0 ? (processed - flow->sample_processed) / dt
                   : sim->last_t == now ? sim->last_processed_rate : 0.0;
  s.lag_records = lag;
  for (int r = 0; r < flow->n_regions; r++)
    s.capacity += flow->capacity[r];
  s.parallelism = st.parallelism;
  s.taskmanagers_alive = st.taskmanagers;
  s.slots_total = st.slots;
  s.job_state = st.job_state;
  flow->sample_t = now;
  flow->sample_produced = produced;
  flow->sample_processed = processed;
  sim->last = st;
  sim->last_t = now;
  sim->last_processed_rate = s.processed_rate;
  if (sim->sinks.sample)
    sim->sinks.sample (sim->sinks.user, &s);
}

static void
sample_cb (RsimEngine *engine, gpointer data)
{
  RsimSimulation *sim = data;
  take_sample (sim);
  RsimTime next = rsim_engine_now (engine) + sim->grid;
  if (next <= sim->config->duration)
    rsim_engine_schedule_at (engine, next, sample_cb, sim, NULL);
}

/* While an incident's lag catches up, the metrics integrator finds the
 * instant the lag is back by interpolating between its integration points;
 * ticks on the whole seconds bound that to a second (rows, which only
 * observe, no longer do). Nothing ticks at any other time. */
static void fine_cb (RsimEngine *engine, gpointer data);

static void
maybe_fine (RsimSimulation *sim)
{
  if (sim->fine_event != 0 || sim->world.recorder->catching_up == NULL)
    return;
  RsimTime next = (rsim_engine_now (sim->world.engine) / RSIM_SEC + 1) * RSIM_SEC;
  if (next <= sim->config->duration)
    sim->fine_event = rsim_engine_schedule_at (sim->world.engine, next, fine_cb,
                                               sim, NULL);
}

static void
fine_cb (RsimEngine *engine, gpointer data)
{
  RsimSimulation *sim = data;
  sim->fine_event = 0;
  rsim_metrics_advance (sim->world.metrics, rsim_engine_now (engine));
  maybe_fine (sim);
}

/* After the events of an instant that logged something: a catch-up tick if
 * an incident's lag is catching up, and (lean series) a row if what a row
 * shows changed. */
static void
check_cb (RsimEngine *engine, gpointer data)
{
  RsimSimulation *sim = data;
  sim->check_event = 0;
  maybe_fine (sim);
  if (!sim->lean)
    return;
  RowState st = row_state (sim);
  if (!row_state_equal (&st, &sim->last))
    take_sample (sim);
}

static void
want_check (RsimSimulation *sim)
{
  if (sim->check_event != 0)
    return;
  sim->check_event = rsim_engine_schedule_in (sim->world.engine, 0, check_cb,
                                              sim, NULL);
}

/* The world's event sink: forwards to the caller's, and asks for a change
 * check. Checkpoint events change nothing a row shows. */
static void
event_sink (gpointer user, RsimTime t, const char *component,
            const char *event, const char *detail)
{
  RsimSimulation *sim = user;
  if (sim->sinks.event)
    sim->sinks.event (sim->sinks.user, t, component, event, detail);
  if (strcmp (component, "checkpoint") != 0)
    want_check (sim);
}

/* Piecewise-constant input profiles change rate at their points; an event
 * there keeps the samples' view current and gives the lean series a row
 * (the integration itself is exact without it). */
static void
rate_step_cb (RsimEngine *engine, gpointer data)
{
  RsimSimulation *sim = data;
  sim->rate_changes++;
  want_check (sim);
}

/* ------------------------------------------------------------------ result */

static RsimResult *
finish (RsimSimulation *sim)
{
  RsimWorld *w = &sim->world;
  RsimRecorder *rec = w->recorder;
  RsimResult *res = rec->result;
  RsimDataflow *flow = w->flow;
  rsim_metrics_advance (w->metrics, rsim_engine_now (w->engine));
  if (rec->open) {
    rec->open->lag_at_end = rsim_dataflow_lag (flow);
    rec->open = NULL;
  }
  res->produced_records = rsim_dataflow_total_produced (flow);
  res->processed_records = flow->processed;
  res->final_lag_records = rsim_dataflow_lag (flow);
  res->reprocessed_bytes = w->record_bytes > 0
    ? res->reprocessed_records * w->record_bytes : -1.0;
  res->final_state = g_strdup (rsim_job_status_name (
    sim->scheduler->klass->job_status (sim->scheduler)));
  RsimJobGraph *g = w->graph;
  res->n_vertices = g->n_vertices;
  res->vertex_names = g_new0 (char *, g->n_vertices + 1);
  res->final_parallelism = g_new0 (int, g->n_vertices);
  for (guint v = 0; v < g->n_vertices; v++) {
    res->vertex_names[v] = g_strdup (g->spec.vertices[v].name);
    res->final_parallelism[v] =
      sim->scheduler->klass->deployed_parallelism (sim->scheduler, (int) v);
  }
  res->heartbeat_events = w->cluster->hb_answers;
  res->events_processed = rsim_engine_events_processed (w->engine)
    - res->heartbeat_events;
  rec->result = NULL;
  return res;
}

RsimResult *
rsim_simulation_run (const RsimSimConfig *config, const RsimSinks *sinks,
                     GError **error)
{
  g_return_val_if_fail (config != NULL, NULL);
  RsimRules rules = rsim_rules_resolve (config->version);
  /* The adaptive scheduler and reactive mode exist since 1.13 (FLIP-160,
   * FLIP-159). */
  if (config->scheduler != RSIM_SCHEDULER_DEFAULT
      && !rsim_rules_has (&rules, RSIM_RULE_ADAPTIVE_SCHEDULER)) {
    g_autofree char *v = rsim_version_to_string (config->version);
    g_set_error (error, RSIM_SIM_ERROR, RSIM_SIM_ERROR_INVALID,
                 "the %s scheduler does not exist in Flink %s (it came in 1.13)",
                 rsim_scheduler_kind_name (config->scheduler), v);
    return NULL;
  }
  if (config->job.n_vertices == 0 || config->duration <= 0
      || config->sample_interval < 0) {
    g_set_error (error, RSIM_SIM_ERROR, RSIM_SIM_ERROR_INVALID,
                 "the configuration has no job, duration or sample interval");
    return NULL;
  }
  RsimSimulation *sim = g_new0 (RsimSimulation, 1);
  sim->config = config;
  if (sinks)
    sim->sinks = *sinks;
  sim->lean = config->sample_interval == 0;
  sim->grid = sim->lean ? lean_grid (config->duration) : config->sample_interval;
  sim->last_t = -1;
  sim->world_sinks = (RsimSinks) { .user = sim, .event = event_sink };
  sim->peek_scratch = g_array_new (FALSE, FALSE, sizeof (double));
  RsimWorld *w = &sim->world;
  const RsimWorldSpec spec = {
    .seed = config->seed,
    .version = config->version,
    .conf = &config->flink,
    .costs = &config->costs,
    .job = &config->job,
    .rate = &config->workload.rate,
    .rm_mode = config->cluster.rm_mode,
    .record_bytes = config->workload.record_bytes,
    .sinks = &sim->world_sinks,
    .exact_heartbeats = config->exact_heartbeats,
  };
  rsim_world_init (w, &spec);
  if (config->scheduler == RSIM_SCHEDULER_DEFAULT)
    sim->scheduler = rsim_default_scheduler_new (w);
  else
    sim->scheduler = rsim_adaptive_scheduler_new (
      w, config->scheduler == RSIM_SCHEDULER_REACTIVE);
  /* Stochastic failures (the scenario's "failures" block) subscribe to the
   * cluster after the scheduler; without the block this does nothing. */
  rsim__failures_start (w, config, NULL);

  /* Timeline actions first, so they run before same-time model events. */
  for (guint i = 0; i < config->n_timeline; i++) {
    ActionRef *ref = g_new (ActionRef, 1);
    ref->sim = sim;
    ref->index = i;
    rsim_engine_schedule_at (w->engine, config->timeline[i].at, action_cb, ref,
                             g_free);
  }
  const RsimRateSpec *rate = &config->workload.rate;
  if (rate->kind == RSIM_RATE_STEPS || rate->kind == RSIM_RATE_TRACE)
    for (guint i = 0; i < rate->n_points; i++)
      if (rate->points[i].at > 0 && rate->points[i].at <= config->duration)
        rsim_engine_schedule_at (w->engine, rate->points[i].at, rate_step_cb,
                                 sim, NULL);
  rsim_cluster_start_taskmanagers (w->cluster, config->cluster.taskmanagers, 0,
                                   "initial");
  sim->scheduler->klass->start (sim->scheduler);
  sim->controllers = rsim__controllers_start (w, sim->scheduler, config);
  take_sample (sim);
  rsim_engine_schedule_at (w->engine, MIN (sim->grid, config->duration),
                           sample_cb, sim, NULL);
  rsim_engine_run_until (w->engine, config->duration);
  RsimResult *res = finish (sim);

  rsim__controllers_free (sim->controllers);
  sim->scheduler->klass->free (sim->scheduler);
  rsim_world_clear (w);
  g_free (sim->peek_produced);
  g_free (sim->peek_consumed);
  g_array_unref (sim->peek_scratch);
  g_free (sim);
  return res;
}
