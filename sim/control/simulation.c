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

struct RsimSimulation {
  RsimWorld world;
  RsimScheduler *scheduler;
  RsimControllers *controllers;
  const RsimSimConfig *config;
  RsimSinks sinks;
};

typedef struct {
  RsimSimulation *sim;
  guint index;
} ActionRef;

/* --------------------------------------------------------- cluster events */

static void
on_registered (gpointer user, RsimTaskManager *tm)
{
  RsimSimulation *sim = user;
  sim->scheduler->klass->tm_registered (sim->scheduler, tm);
}

static void
on_lost (gpointer user, RsimTaskManager *tm, const char *reason)
{
  RsimSimulation *sim = user;
  sim->scheduler->klass->tm_lost (sim->scheduler, tm, reason);
}

static void
on_died (gpointer user, RsimTaskManager *tm)
{
  RsimSimulation *sim = user;
  sim->scheduler->klass->tm_died (sim->scheduler, tm);
}

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

static void
take_sample (RsimSimulation *sim)
{
  RsimWorld *w = &sim->world;
  RsimDataflow *flow = w->flow;
  RsimTime now = rsim_engine_now (w->engine);
  rsim_dataflow_advance (flow, now);
  double dt = RSIM_TIME_TO_SEC (now - flow->sample_t);
  double produced = rsim_dataflow_total_produced (flow);
  RsimSample s = { 0 };
  s.t = now;
  s.input_rate = dt > 0 ? (produced - flow->sample_produced) / dt
                        : rsim_rate_at (&flow->rate, now);
  s.processed_rate = dt > 0 ? (flow->processed - flow->sample_processed) / dt : 0.0;
  s.lag_records = rsim_dataflow_lag (flow);
  for (int r = 0; r < flow->n_regions; r++)
    s.capacity += flow->capacity[r];
  for (guint v = 0; v < w->graph->n_vertices; v++)
    s.parallelism = MAX (s.parallelism,
                         sim->scheduler->klass->deployed_parallelism (sim->scheduler,
                                                                      (int) v));
  s.taskmanagers_alive = rsim_cluster_processes_up (w->cluster);
  s.slots_total = rsim_cluster_registered_slots (w->cluster);
  s.job_state = sim->scheduler->klass->job_state (sim->scheduler);
  flow->sample_t = now;
  flow->sample_produced = produced;
  flow->sample_processed = flow->processed;
  if (sim->sinks.sample)
    sim->sinks.sample (sim->sinks.user, &s);
}

static void
sample_cb (RsimEngine *engine, gpointer data)
{
  RsimSimulation *sim = data;
  take_sample (sim);
  RsimTime next = rsim_engine_now (engine) + sim->config->sample_interval;
  if (next <= sim->config->duration)
    rsim_engine_schedule_at (engine, next, sample_cb, sim, NULL);
}

/* Piecewise-constant input profiles change rate at their points; an event
 * there keeps the samples' view current (the integration itself is exact
 * without it). Nothing to do in the callback. */
static void
noop_cb (RsimEngine *engine, gpointer data)
{
}

/* ------------------------------------------------------------------ result */

static RsimResult *
finish (RsimSimulation *sim)
{
  RsimWorld *w = &sim->world;
  RsimRecorder *rec = w->recorder;
  RsimResult *res = rec->result;
  RsimDataflow *flow = w->flow;
  rsim_dataflow_advance (flow, rsim_engine_now (w->engine));
  if (rec->open) {
    rec->open->lag_at_end = rsim_dataflow_lag (flow);
    rec->open = NULL;
  }
  res->produced_records = rsim_dataflow_total_produced (flow);
  res->processed_records = flow->processed;
  res->final_lag_records = rsim_dataflow_lag (flow);
  res->reprocessed_bytes = w->record_bytes > 0
    ? res->reprocessed_records * w->record_bytes : -1.0;
  res->final_state = g_strdup (sim->scheduler->klass->job_state (sim->scheduler));
  RsimJobGraph *g = w->graph;
  res->n_vertices = g->n_vertices;
  res->vertex_names = g_new0 (char *, g->n_vertices + 1);
  res->final_parallelism = g_new0 (int, g->n_vertices);
  for (guint v = 0; v < g->n_vertices; v++) {
    res->vertex_names[v] = g_strdup (g->spec.vertices[v].name);
    res->final_parallelism[v] =
      sim->scheduler->klass->deployed_parallelism (sim->scheduler, (int) v);
  }
  res->events_processed = rsim_engine_events_processed (w->engine);
  rec->result = NULL;
  return res;
}

RsimResult *
rsim_simulation_run (const RsimSimConfig *config, const RsimSinks *sinks,
                     GError **error)
{
  g_return_val_if_fail (config != NULL, NULL);
  /* The adaptive scheduler and reactive mode exist since 1.13 (FLIP-160,
   * FLIP-159). */
  if (config->scheduler != RSIM_SCHEDULER_DEFAULT
      && !rsim_version_at_least (config->version, 1, 13)) {
    g_autofree char *v = rsim_version_to_string (config->version);
    g_set_error (error, RSIM_SIM_ERROR, RSIM_SIM_ERROR_INVALID,
                 "the %s scheduler does not exist in Flink %s (it came in 1.13)",
                 rsim_scheduler_kind_name (config->scheduler), v);
    return NULL;
  }
  if (config->job.n_vertices == 0 || config->duration <= 0
      || config->sample_interval <= 0) {
    g_set_error (error, RSIM_SIM_ERROR, RSIM_SIM_ERROR_INVALID,
                 "the configuration has no job, duration or sample interval");
    return NULL;
  }
  RsimSimulation *sim = g_new0 (RsimSimulation, 1);
  sim->config = config;
  if (sinks)
    sim->sinks = *sinks;
  RsimWorld *w = &sim->world;
  w->engine = rsim_engine_new (config->seed);
  w->conf = &config->flink;
  w->version = config->version;
  w->costs = &config->costs;
  w->record_bytes = config->workload.record_bytes;
  w->recorder = rsim_recorder_new (w, sinks);
  w->graph = rsim_job_graph_new (&config->job, config->flink.pipeline_max_parallelism);
  w->flow = rsim_dataflow_new (w, &config->workload.rate);
  w->cluster = rsim_cluster_new (w, config->cluster.rm_mode);
  w->checkpoints = rsim_checkpoint_coordinator_new (w);
  if (config->scheduler == RSIM_SCHEDULER_DEFAULT)
    sim->scheduler = rsim_default_scheduler_new (w);
  else
    sim->scheduler = rsim_adaptive_scheduler_new (
      w, config->scheduler == RSIM_SCHEDULER_REACTIVE);
  w->cluster->listener.registered = on_registered;
  w->cluster->listener.lost = on_lost;
  w->cluster->listener.died = on_died;
  w->cluster->listener_user = sim;
  /* Stochastic failures (the scenario's "failures" block) wrap the cluster
   * listener; without the block this does nothing. */
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
        rsim_engine_schedule_at (w->engine, rate->points[i].at, noop_cb, NULL,
                                 NULL);
  rsim_cluster_start_taskmanagers (w->cluster, config->cluster.taskmanagers, 0,
                                   "initial");
  sim->scheduler->klass->start (sim->scheduler);
  sim->controllers = rsim__controllers_start (w, sim->scheduler, config);
  take_sample (sim);
  rsim_engine_schedule_at (w->engine, MIN (config->sample_interval, config->duration),
                           sample_cb, sim, NULL);
  rsim_engine_set_event_limit (w->engine, config->max_events);
  rsim_engine_run_until (w->engine, config->duration);
  RsimResult *res = NULL;
  if (rsim_engine_event_limit_reached (w->engine)) {
    /* Nothing of the run is reported: it stopped part-way. */
    g_set_error (error, RSIM_SIM_ERROR, RSIM_SIM_ERROR_EVENT_LIMIT,
                 "the run stopped at %.3f s of %.3f s simulated: it needs "
                 "more than %" G_GUINT64_FORMAT " events (limits.max_events "
                 "in the scenario raises the limit)",
                 RSIM_TIME_TO_SEC (rsim_engine_now (w->engine)),
                 RSIM_TIME_TO_SEC (config->duration), config->max_events);
  } else {
    res = finish (sim);
  }

  rsim__controllers_free (sim->controllers);
  sim->scheduler->klass->free (sim->scheduler);
  rsim_checkpoint_coordinator_free (w->checkpoints);
  rsim_cluster_free (w->cluster);
  rsim_dataflow_free (w->flow);
  rsim_job_graph_free (w->graph);
  rsim_recorder_free (w->recorder);
  rsim_engine_free (w->engine);
  g_free (sim);
  return res;
}
