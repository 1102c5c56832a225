/* The checkpoint coordinator: periodic checkpoints, savepoints, injected
 * failures and the failure counter.
 *
 * Follows flink-runtime/.../checkpoint/CheckpointCoordinator.java and
 * CheckpointFailureManager.java:
 * - the periodic scheduler starts when the job turns RUNNING
 *   (CheckpointCoordinatorDeActivator), from 2.3 only once every task is
 *   RUNNING as well (FLINK-38940: ExecutionTrackingCheckpointCoordinator-
 *   DeActivator); its first trigger comes after a random delay in
 *   [min-pause, interval] on every start before 2.3, and on 2.3+ only on
 *   the coordinator's first start (later starts wait min-pause,
 *   FLINK-38939);
 * - at most one checkpoint in flight (max-concurrent-checkpoints 1). A
 *   periodic trigger due while one runs is queued and runs when it ends,
 *   or min-pause after the last completion if that is later
 *   (CheckpointCoordinator.scheduleTriggerRequest and
 *   CheckpointRequestDecider.chooseRequestToExecute, 1.11+, FLINK-17342:
 *   the fixed-rate timer keeps running and every tick while one is in
 *   flight adds a request, one runs per end; 1.5-1.10: the first such
 *   tick cancels the timer and triggerQueuedRequests restarts it at the
 *   end). A trigger is also held back until min-pause after the last
 *   completion, and the timer's rate restarts from there;
 * - a trigger while a required task is not RUNNING (the execution graph's
 *   gate) is refused with NOT_ALL_REQUIRED_TASKS_RUNNING, which does not
 *   count as a failure; subscribers hear of it (FLIP-461 counts it);
 * - declined checkpoints count, and expired ones from 1.11 (FLINK-17351;
 *   CheckpointFailureManager of 1.9-1.10 ignores CHECKPOINT_EXPIRED); more
 *   consecutive counted failures than tolerable-failed-checkpoints fail the
 *   job over;
 * - stopping the scheduler aborts the checkpoint in flight (not counted);
 * - savepoints run beside checkpoints and never count as checkpoint failures;
 * - with failure_probability > 0 (the scenario's failures block), each
 *   triggered periodic checkpoint is declined with that probability, drawn
 *   from the stream "failures.checkpoint".
 * A checkpoint records the sources' consumed offsets at its barrier. Its
 * duration is checkpoint_fixed + (what the largest subtask uploads) /
 * upload bandwidth, a savepoint's the same with the savepoint costs (a full
 * upload, canonical or native). What a checkpoint uploads depends on the
 * state backend (rsim_checkpoint_duration in model.h):
 * - hashmap, and RocksDB without incremental checkpoints: the full state;
 * - RocksDB incremental (RocksIncrementalSnapshotStrategy): the SST files
 *   written since the previous checkpoint, which is the vertex's change
 *   rate times the time since that checkpoint's barrier, capped at the
 *   state; files already uploaded are shared and not uploaded again. Only
 *   a restore without rescaling registers the restored SST files and the
 *   last checkpoint id (RocksDBIncrementalRestoreOperation
 *   .restoreWithoutRescaling; restoreWithRescaling leaves them empty), so
 *   the first checkpoint after a rescale is full, as is the first
 *   checkpoint of a job started from empty state or from a canonical
 *   savepoint;
 * - changelog (FLIP-158): the state changes are persisted continuously
 *   (state.changelog.dstl.dfs.batch.persist-delay, 10 ms), so a checkpoint
 *   costs only its fixed part; the backend materializes every
 *   periodic-materialize.interval, each materialization completing
 *   changelog_materialization after it starts, and a snapshot carries the
 *   seconds of change since the last completed one (what a restore
 *   replays);
 * - forst (FLIP-427): the working files already live in remote storage; a
 *   checkpoint costs its fixed part (an assumption: Flink 2.0 documents no
 *   upload figure). */
#include "model/model.h"

#include <string.h>

void
rsim_snapshot_clear (RsimSnapshot *snap)
{
  g_free (snap->offsets);
  g_free (snap->parallelism);
  memset (snap, 0, sizeof *snap);
}

void
rsim_snapshot_copy (RsimSnapshot *dst, const RsimSnapshot *src)
{
  *dst = *src;
  dst->offsets = src->n_regions
    ? g_memdup2 (src->offsets, sizeof (double) * src->n_regions) : NULL;
  dst->parallelism = src->n_vertices
    ? g_memdup2 (src->parallelism, sizeof (int) * src->n_vertices) : NULL;
}

typedef struct {
  RsimCheckpointCoordinator *cc;
  guint64 id;
  gboolean ok;
  gboolean expired;            /* CHECKPOINT_EXPIRED rather than declined */
  const char *reason;
} CheckpointEnd;

/* CheckpointRequestDecider's DEFAULT_MAX_QUEUED_REQUESTS. */
#define MAX_QUEUED_TRIGGERS 1000


RsimCheckpointCoordinator *
rsim_checkpoint_coordinator_new (RsimWorld *world)
{
  RsimCheckpointCoordinator *cc = g_new0 (RsimCheckpointCoordinator, 1);
  cc->world = world;
  cc->next_id = 1;
  cc->last_completion = G_MININT64 / 2;
  cc->subscribers = g_array_new (FALSE, FALSE, sizeof (RsimCheckpointSubscriber));
  return cc;
}

void
rsim_checkpoint_subscribe (RsimCheckpointCoordinator *cc,
                           const RsimCheckpointListener *listener,
                           gpointer user)
{
  RsimCheckpointSubscriber sub = { *listener, user };
  g_array_append_val (cc->subscribers, sub);
}

void
rsim_checkpoint_unsubscribe (RsimCheckpointCoordinator *cc, gpointer user)
{
  for (guint i = cc->subscribers->len; i-- > 0;)
    if (g_array_index (cc->subscribers, RsimCheckpointSubscriber, i).user
        == user)
      g_array_remove_index (cc->subscribers, i);
}

/* Calls member `cb` of every subscriber that has it, in order. */
#define NOTIFY(cc, cb, ...)                                                \
  G_STMT_START {                                                           \
    for (guint i_ = 0; i_ < (cc)->subscribers->len; i_++) {               \
      RsimCheckpointSubscriber *s_ =                                       \
        &g_array_index ((cc)->subscribers, RsimCheckpointSubscriber, i_);  \
      if (s_->listener.cb)                                                 \
        s_->listener.cb (s_->user, __VA_ARGS__);                           \
    }                                                                      \
  } G_STMT_END

#define NOTIFY0(cc, cb)                                                    \
  G_STMT_START {                                                           \
    for (guint i_ = 0; i_ < (cc)->subscribers->len; i_++) {               \
      RsimCheckpointSubscriber *s_ =                                       \
        &g_array_index ((cc)->subscribers, RsimCheckpointSubscriber, i_);  \
      if (s_->listener.cb)                                                 \
        s_->listener.cb (s_->user);                                        \
    }                                                                      \
  } G_STMT_END

void
rsim_checkpoint_coordinator_free (RsimCheckpointCoordinator *cc)
{
  if (cc == NULL)
    return;
  rsim_snapshot_clear (&cc->latest);
  rsim_snapshot_clear (&cc->latest_savepoint);
  rsim_snapshot_clear (&cc->pending);
  g_array_unref (cc->subscribers);
  g_free (cc);
}

/* Seconds of state change the changelog holds at a barrier taken now: since
 * the last materialization that has completed, or since the backend started
 * (plus what it restored unmaterialized) when none has. A savepoint is a
 * full snapshot of the underlying backend and holds none. */
static double
changelog_seconds (RsimCheckpointCoordinator *cc, gboolean savepoint)
{
  RsimWorld *w = cc->world;
  const RsimFlinkConf *conf = w->conf;
  if (savepoint || !conf->changelog_enabled)
    return 0.0;
  RsimTime now = rsim_engine_now (w->engine);
  RsimTime since = MAX (now - cc->backend_started, 0);
  RsimTime interval = conf->changelog_materialize_interval;
  if (interval > 0 && conf->changelog_materialize_enabled) {
    RsimTime m = rsim_world_cost_time (w, &w->costs->changelog_materialization,
                                       "changelog_materialization");
    if (since >= interval + m) {
      gint64 k = (since - m) / interval;
      return RSIM_TIME_TO_SEC (since - k * interval);
    }
  }
  return cc->changelog_carried_s + RSIM_TIME_TO_SEC (since);
}

void
rsim_checkpoint_backend_started (RsimCheckpointCoordinator *cc,
                                 const RsimSnapshot *snap, gboolean rescaled,
                                 RsimTime at)
{
  cc->backend_started = at;
  cc->increment_base = snap->valid && !rescaled
    && (!snap->savepoint || snap->native);
  cc->increment_since = snap->valid ? snap->barrier : at;
  cc->changelog_carried_s = snap->valid ? snap->changelog_s : 0.0;
}

static void
take_barrier (RsimCheckpointCoordinator *cc, RsimSnapshot *snap,
              gboolean savepoint)
{
  RsimWorld *w = cc->world;
  RsimDataflow *flow = w->flow;
  rsim_metrics_advance (w->metrics, rsim_engine_now (w->engine));
  rsim_snapshot_clear (snap);
  snap->valid = TRUE;
  snap->savepoint = savepoint;
  snap->id = cc->next_id++;
  snap->barrier = rsim_engine_now (w->engine);
  snap->n_regions = flow->n_regions;
  snap->offsets = g_memdup2 (flow->consumed, sizeof (double) * flow->n_regions);
  snap->total_offset = rsim_dataflow_total_consumed (flow);
  snap->layout = w->layout;
  snap->n_vertices = w->graph->n_vertices;
  snap->parallelism = g_memdup2 (w->graph->parallelism,
                                 sizeof (int) * w->graph->n_vertices);
  snap->native = savepoint && w->graph->spec.native_savepoints;
  snap->changelog_s = changelog_seconds (cc, savepoint);
}

RsimTime
rsim_checkpoint_duration (RsimCheckpointCoordinator *cc, gboolean savepoint)
{
  RsimWorld *w = cc->world;
  const RsimJobGraph *g = w->graph;
  const RsimFlinkConf *conf = w->conf;
  RsimTime now = rsim_engine_now (w->engine);
  gboolean only_fixed = !savepoint
    && (conf->changelog_enabled || conf->state_backend == RSIM_STATE_BACKEND_FORST);
  gboolean incremental = !savepoint && !only_fixed
    && conf->state_backend == RSIM_STATE_BACKEND_ROCKSDB
    && conf->incremental_checkpoints;
  /* The previous checkpoint of these backend instances, if any. */
  RsimTime since = -1;
  if (incremental) {
    if (cc->latest.valid && !cc->latest.savepoint
        && cc->latest.barrier >= cc->backend_started)
      since = cc->latest.barrier;
    else if (cc->increment_base)
      since = cc->increment_since;
  }
  double largest = 0.0;
  for (guint v = 0; v < g->n_vertices && !only_fixed; v++) {
    double share = rsim_job_graph_largest_share (g, (int) v);
    const RsimVertexSpec *vs = &g->spec.vertices[v];
    if (since >= 0 && vs->state_bytes > 0.0) {
      double changed = vs->state_change_rate * RSIM_TIME_TO_SEC (now - since)
                       * share / vs->state_bytes;
      share = MIN (share, changed);
    }
    largest = MAX (largest, share);
  }
  const RsimCosts *c = w->costs;
  double fixed, bw;
  if (savepoint) {
    fixed = rsim_world_cost (w, &c->savepoint_fixed, "savepoint_fixed");
    bw = rsim_world_cost (w, &c->savepoint_upload_bandwidth,
                          "savepoint_upload_bandwidth");
  } else {
    fixed = rsim_world_cost (w, &c->checkpoint_fixed, "checkpoint_fixed");
    bw = rsim_world_cost (w, &c->checkpoint_upload_bandwidth,
                          "checkpoint_upload_bandwidth");
  }
  double upload = bw > 0.0 ? largest / bw * 1e6 : 0.0;
  return (RsimTime) (fixed + upload + 0.5);
}

static void trigger_cb (RsimEngine *engine, gpointer data);

static void
schedule_trigger (RsimCheckpointCoordinator *cc, RsimTime at)
{
  RsimEngine *e = cc->world->engine;
  rsim_engine_cancel (e, cc->trigger_event);
  cc->trigger_event = rsim_engine_schedule_at (e, MAX (at, rsim_engine_now (e)),
                                               trigger_cb, cc, NULL);
}

static gboolean
take_injected_failure (RsimCheckpointCoordinator *cc, gboolean savepoint)
{
  int *own = savepoint ? &cc->fail_savepoints : &cc->fail_checkpoints;
  if (*own > 0) {
    (*own)--;
    return TRUE;
  }
  if (cc->fail_any > 0) {
    cc->fail_any--;
    return TRUE;
  }
  return FALSE;
}

static void queued_cb (RsimEngine *engine, gpointer data);

/* A checkpoint ended (or was aborted): the queued triggers are looked at
 * from the timer, after the subscribers have heard of the end
 * (scheduleTriggerRequest runs executeQueuedRequest on the timer thread). */
static void
look_at_queue_later (RsimCheckpointCoordinator *cc)
{
  RsimEngine *e = cc->world->engine;
  if (cc->queued_triggers == 0 || cc->queued_event != 0)
    return;
  cc->queued_event = rsim_engine_schedule_at (e, rsim_engine_now (e),
                                              queued_cb, cc, NULL);
}

static void
checkpoint_end_cb (RsimEngine *engine, gpointer data)
{
  CheckpointEnd *end = data;
  RsimCheckpointCoordinator *cc = end->cc;
  RsimWorld *w = cc->world;
  RsimResult *res = w->recorder->result;
  if (!cc->in_flight || cc->pending.id != end->id)
    return;
  cc->in_flight = FALSE;
  cc->pending_event = 0;
  RsimTime now = rsim_engine_now (engine);
  if (end->ok) {
    res->checkpoints_completed++;
    cc->consecutive_failures = 0;
    cc->last_completion = now;
    rsim_snapshot_clear (&cc->latest);
    rsim_snapshot_copy (&cc->latest, &cc->pending);
    RSIM_LOG (w, "checkpoint", "checkpoint_completed",
              "checkpoint %" G_GUINT64_FORMAT " completed (barrier at %.6f s)",
              cc->pending.id, RSIM_TIME_TO_SEC (cc->pending.barrier));
    NOTIFY (cc, completed, &cc->latest);
  } else {
    res->checkpoints_failed++;
    gboolean counted = !end->expired
      || rsim_rules_has (&w->rules, RSIM_RULE_CHECKPOINT_EXPIRED_COUNTS);
    if (counted) {
      cc->consecutive_failures++;
      RSIM_LOG (w, "checkpoint", "checkpoint_failed",
                "checkpoint %" G_GUINT64_FORMAT " failed: %s (%d consecutive, "
                "%d tolerated)", cc->pending.id, end->reason,
                cc->consecutive_failures, w->conf->tolerable_failed_checkpoints);
    } else {
      RSIM_LOG (w, "checkpoint", "checkpoint_failed",
                "checkpoint %" G_GUINT64_FORMAT " failed: %s (not counted "
                "before Flink 1.11)", cc->pending.id, end->reason);
    }
    NOTIFY0 (cc, failed);
    if (counted && cc->consecutive_failures > w->conf->tolerable_failed_checkpoints) {
      cc->consecutive_failures = 0;
      NOTIFY (cc, tolerance_exceeded,
              "Exceeded checkpoint tolerable failure threshold");
    }
  }
  look_at_queue_later (cc);
}

/* Starts a periodic checkpoint now, or refuses it at the gate. */
static void
fire (RsimCheckpointCoordinator *cc)
{
  RsimWorld *w = cc->world;
  RsimEngine *engine = w->engine;
  const RsimFlinkConf *conf = w->conf;
  if (cc->all_running && !cc->all_running (cc->gate_user)) {
    RSIM_LOG (w, "checkpoint", "checkpoint_skipped",
              "checkpoint not triggered: NOT_ALL_REQUIRED_TASKS_RUNNING "
              "(not counted as a failure)");
    NOTIFY0 (cc, refused);
    return;
  }
  take_barrier (cc, &cc->pending, FALSE);
  cc->in_flight = TRUE;
  RsimTime d = rsim_checkpoint_duration (cc, FALSE);
  CheckpointEnd *end = g_new0 (CheckpointEnd, 1);
  end->cc = cc;
  end->id = cc->pending.id;
  if (take_injected_failure (cc, FALSE)) {
    end->ok = FALSE;
    end->reason = "CHECKPOINT_DECLINED (injected)";
  } else if (cc->failure_probability > 0.0
             && rsim_rng_uniform (rsim_engine_rng (engine, "failures.checkpoint"))
                < cc->failure_probability) {
    end->ok = FALSE;
    end->reason = "CHECKPOINT_DECLINED (failures.checkpoint_failure_probability)";
  } else if (d > conf->checkpoint_timeout) {
    end->ok = FALSE;
    end->expired = TRUE;
    end->reason = "CHECKPOINT_EXPIRED (took longer than execution.checkpointing.timeout)";
    d = conf->checkpoint_timeout;
  } else {
    end->ok = TRUE;
  }
  RSIM_LOG (w, "checkpoint", "checkpoint_triggered",
            "checkpoint %" G_GUINT64_FORMAT " triggered", cc->pending.id);
  cc->pending_event = rsim_engine_schedule_in (engine, d, checkpoint_end_cb,
                                               end, g_free);
}

/* 1.11+ (CheckpointRequestDecider.chooseRequestToExecute): with nothing in
 * flight the oldest queued request runs, unless min-pause since the last
 * completion has not passed: then it is dropped
 * (MINIMUM_TIME_BETWEEN_CHECKPOINTS) and the timer restarts at the end of
 * the pause. */
static void
run_queued (RsimCheckpointCoordinator *cc)
{
  RsimTime now = rsim_engine_now (cc->world->engine);
  RsimTime pause_end = cc->last_completion + cc->world->conf->checkpoint_min_pause;
  if (cc->queued_triggers == 0 || cc->in_flight)
    return;
  cc->queued_triggers--;
  if (now < pause_end) {
    schedule_trigger (cc, pause_end);
    return;
  }
  fire (cc);
}

static void
queued_cb (RsimEngine *engine, gpointer data)
{
  RsimCheckpointCoordinator *cc = data;
  cc->queued_event = 0;
  if (!cc->scheduler_running)
    return;
  if (rsim_rules_has (&cc->world->rules, RSIM_RULE_CHECKPOINT_REQUEST_QUEUE)) {
    run_queued (cc);
  } else if (cc->queued_triggers > 0) {
    /* triggerQueuedRequests: the timer restarts with no delay. */
    cc->queued_triggers = 0;
    schedule_trigger (cc, rsim_engine_now (engine));
  }
}

/* The periodic timer (ScheduledTrigger at a fixed rate). */
static void
trigger_cb (RsimEngine *engine, gpointer data)
{
  RsimCheckpointCoordinator *cc = data;
  RsimWorld *w = cc->world;
  const RsimFlinkConf *conf = w->conf;
  cc->trigger_event = 0;
  if (!cc->scheduler_running)
    return;
  RsimTime now = rsim_engine_now (engine);
  if (rsim_rules_has (&w->rules, RSIM_RULE_CHECKPOINT_REQUEST_QUEUE)) {
    schedule_trigger (cc, now + conf->checkpoint_interval);
    cc->queued_triggers = MIN (cc->queued_triggers + 1, MAX_QUEUED_TRIGGERS);
    run_queued (cc);
    return;
  }
  if (cc->in_flight) {
    /* 1.5-1.10: queued; the timer stays cancelled until the end. */
    cc->queued_triggers = 1;
    return;
  }
  if (now < cc->last_completion + conf->checkpoint_min_pause) {
    schedule_trigger (cc, cc->last_completion + conf->checkpoint_min_pause);
    return;
  }
  schedule_trigger (cc, now + conf->checkpoint_interval);
  fire (cc);
}

static void
start_now (RsimCheckpointCoordinator *cc)
{
  RsimWorld *w = cc->world;
  const RsimFlinkConf *conf = w->conf;
  if (cc->scheduler_running || conf->checkpoint_interval <= 0)
    return;
  cc->scheduler_running = TRUE;
  RsimTime delay;
  if (cc->ever_started && rsim_rules_has (&w->rules, RSIM_RULE_CHECKPOINT_RESTART_MIN_PAUSE)) {
    delay = conf->checkpoint_min_pause;
  } else {
    RsimRng *rng = rsim_engine_rng (w->engine, "checkpoint.initial-delay");
    RsimTime lo = conf->checkpoint_min_pause, hi = conf->checkpoint_interval;
    delay = hi > lo ? lo + (RsimTime) rsim_rng_uint (rng, (guint64) (hi - lo + 1))
                    : lo;
  }
  cc->ever_started = TRUE;
  schedule_trigger (cc, rsim_engine_now (w->engine) + delay);
}

static gboolean
may_start (const RsimCheckpointCoordinator *cc)
{
  if (!cc->wanted)
    return FALSE;
  if (!rsim_rules_has (&cc->world->rules, RSIM_RULE_CHECKPOINT_AFTER_ALL_RUNNING))
    return TRUE;
  return cc->all_running == NULL || cc->all_running (cc->gate_user);
}

void
rsim_checkpoint_start_scheduler (RsimCheckpointCoordinator *cc)
{
  cc->wanted = TRUE;
  if (may_start (cc))
    start_now (cc);
}

void
rsim_checkpoint_tasks_changed (RsimCheckpointCoordinator *cc)
{
  if (!cc->scheduler_running && may_start (cc))
    start_now (cc);
}

void
rsim_checkpoint_abort (RsimCheckpointCoordinator *cc, const char *reason)
{
  if (!cc->in_flight)
    return;
  cc->in_flight = FALSE;
  rsim_engine_cancel (cc->world->engine, cc->pending_event);
  cc->pending_event = 0;
  RSIM_LOG (cc->world, "checkpoint", "checkpoint_aborted",
            "checkpoint %" G_GUINT64_FORMAT " aborted: %s (not counted)",
            cc->pending.id, reason);
  look_at_queue_later (cc);
}

void
rsim_checkpoint_stop_scheduler (RsimCheckpointCoordinator *cc)
{
  cc->wanted = FALSE;
  if (!cc->scheduler_running)
    return;
  cc->scheduler_running = FALSE;
  rsim_engine_cancel (cc->world->engine, cc->trigger_event);
  cc->trigger_event = 0;
  /* abortPendingAndQueuedCheckpoints: the queue goes too. */
  cc->queued_triggers = 0;
  rsim_checkpoint_abort (cc, "CHECKPOINT_COORDINATOR_SUSPEND");
  rsim_engine_cancel (cc->world->engine, cc->queued_event);
  cc->queued_event = 0;
}

typedef struct {
  RsimCheckpointCoordinator *cc;
  RsimSnapshot snap;
  gboolean ok;
} SavepointEnd;

static void
savepoint_end_free (gpointer p)
{
  SavepointEnd *end = p;
  rsim_snapshot_clear (&end->snap);
  g_free (end);
}

static void
savepoint_end_cb (RsimEngine *engine, gpointer data)
{
  SavepointEnd *end = data;
  RsimCheckpointCoordinator *cc = end->cc;
  RsimResult *res = cc->world->recorder->result;
  cc->in_flight_savepoint = FALSE;
  if (end->ok) {
    res->savepoints_completed++;
    rsim_snapshot_clear (&cc->latest_savepoint);
    rsim_snapshot_copy (&cc->latest_savepoint, &end->snap);
  }
  else
    res->savepoints_failed++;
  RSIM_LOG (cc->world, "checkpoint", end->ok ? "savepoint_completed"
                                             : "savepoint_failed",
            end->ok ? "savepoint %" G_GUINT64_FORMAT " completed"
                    : "savepoint %" G_GUINT64_FORMAT " failed (injected)",
            end->snap.id);
  NOTIFY (cc, savepoint_done, end->ok, &end->snap);
}

void
rsim_checkpoint_trigger_savepoint (RsimCheckpointCoordinator *cc)
{
  RsimWorld *w = cc->world;
  SavepointEnd *end = g_new0 (SavepointEnd, 1);
  end->cc = cc;
  take_barrier (cc, &end->snap, TRUE);
  end->ok = !take_injected_failure (cc, TRUE);
  cc->in_flight_savepoint = TRUE;
  RsimTime d = rsim_checkpoint_duration (cc, TRUE);
  RSIM_LOG (w, "checkpoint", "savepoint_triggered",
            "savepoint %" G_GUINT64_FORMAT " triggered, takes %.3f s",
            end->snap.id, RSIM_TIME_TO_SEC (d));
  rsim_engine_schedule_in (w->engine, d, savepoint_end_cb, end,
                           savepoint_end_free);
}
