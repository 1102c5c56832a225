/* The cluster: a ResourceManager and TaskManagers with their slots, and the
 * JobManager's heartbeat monitoring of each TaskManager.
 *
 * TaskManager lifecycle:
 *
 *   provisioning --(start-up cost)--> running --stop--> stopped
 *                                      |  |  \--kill--> killed
 *                                      |  \----hang---> hung
 *                                      \--pause--> paused --(duration)--> running
 *
 * and, independently, whether the JobManager lists its slots ("registered"):
 * from registration until it is declared lost. Detection follows Flink
 * (flink-runtime heartbeat/HeartbeatManagerSenderImpl, HeartbeatMonitorImpl,
 * jobmaster/JobMaster):
 * - the JobManager's heartbeat sender requests a heartbeat from every
 *   monitored TaskManager on ONE loop, every heartbeat.interval
 *   (HeartbeatManagerSenderImpl.run reschedules itself after each loop since
 *   1.9, FLINK-12863). The loop's phase is set when the JobMaster starts,
 *   which is unrelated to the instants at which TaskManagers fail: it is drawn
 *   from the stream "heartbeat.phase", uniform in (0, interval], and the loop
 *   ticks at phase + k * interval;
 * - a TaskManager that registers is monitored from that instant
 *   (monitorTarget arms its heartbeat.timeout timer) but gets no request of
 *   its own: its first is the loop's next tick after its registration. A
 *   TaskManager started during the run registers after its start-up cost
 *   plus a small delay drawn from "taskmanager.registration" (the
 *   registration and slot-offer round trips); the initial ones register at 0;
 * - an answer resets the timeout (last_seen = the tick; the monitor declares
 *   the TaskManager lost at last_seen + heartbeat.timeout). A TaskManager
 *   that dies at an instant unrelated to the loop is therefore lost between
 *   timeout - interval and timeout after it dies, uniformly over the phase;
 * - on 1.14+ (FLINK-23209) heartbeat.rpc-failure-threshold consecutive heartbeat
 *   RPCs that fail with the target unreachable also declare it lost, counted
 *   at the loop's ticks; RPCs fail fast only when the host refuses
 *   connections, and only on 1.14+ (FLINK-23202); before, or when nothing
 *   answers, they wait for the ask timeout;
 * - on 1.15+ a TaskManager that shuts down gracefully tells the JobManager at
 *   once (FLINK-25277); before, it is lost like a killed process whose host
 *   refuses connections.
 * At one tick the requests go out first; the answers (which reset timeouts)
 * are handled in TaskManager id order, then the failed requests in id order.
 *
 * Two models of the same rules, which give identical runs:
 * - exact (exact_heartbeats): the loop is an event that visits every
 *   registered TaskManager, each answer is an event of its own (right after
 *   the loop), and every answer cancels and re-arms its timeout;
 * - analytic (the default): a healthy TaskManager's answers are a known
 *   periodic sequence, so nothing happens for it at a tick. The loop event
 *   stays (one per interval, whatever the number of TaskManagers) and
 *   records the tick; it visits only the "silent" TaskManagers (registered
 *   but not answering, or answering again after a pause). When a
 *   TaskManager falls silent its last answer is the loop's last tick after
 *   its registration (or the registration itself), and one timeout event is
 *   scheduled at last answer + heartbeat.timeout. That event takes the place
 *   among same-instant events that the exact model's timeout, re-armed at
 *   that tick, has: a block of engine tickets is taken at each tick (one per
 *   TaskManager id) and at each registration (rsim_engine_reserve).
 * An active ResourceManager (native Kubernetes/YARN) starts a TaskManager for
 * slots the JobManager declared but does not have; standalone never does. */
#include "model/model.h"

/* Upper bound of the delay between a started TaskManager's process being up
 * and its registration at the JobManager: the ResourceManager registration
 * and slot report, then the slot offer to the JobMaster
 * (TaskExecutor.connectToResourceManager, JobLeaderService, offerSlots), a
 * few RPC round trips of a few milliseconds each within one data centre. */
#define REGISTRATION_DELAY_MAX (20 * RSIM_MSEC)

/* ---------------------------------------------------- idle release */

/* The active resource manager's periodic check (FineGrainedSlotManager /
 * DeclarativeSlotManager: a fixed-delay task every
 * resourcemanager.taskmanager-timeout from the start; 1.18's
 * DefaultResourceAllocationStrategy.tryReconcileClusterResources): a
 * TaskManager with no slot allocated for at least the timeout is released,
 * unless the JobManager's declared need still counts on its slots. The
 * resource manager sees a slot free only once the JobManager gives it back,
 * slot.idle.timeout after the job stopped using it (DeclarativeSlotPool's
 * idle slot release). The release stops the pod gracefully. */
static void
idle_check_cb (RsimEngine *engine, gpointer data)
{
  RsimCluster *cl = data;
  const RsimFlinkConf *conf = cl->world->conf;
  RsimTime now = rsim_engine_now (engine);
  rsim_engine_schedule_in (engine, MAX (conf->rm_taskmanager_timeout, 1),
                           idle_check_cb, cl, NULL);
  if (rsim_slot_pool_idle_tms (cl->world->slots) == 0)
    return;                     /* every TaskManager holds a slot */
  int registered = rsim_slot_pool_registered (cl->world->slots);
  for (guint i = 0; i < cl->tms->len; i++) {
    RsimTaskManager *tm = cl->tms->pdata[i];
    if (!tm->registered || tm->process != RSIM_TM_RUNNING || tm->standby)
      continue;
    RsimTime since = rsim_slot_pool_tm_idle_since (cl->world->slots, tm->id);
    if (since < 0)
      continue;
    /* Slots the JobManager never took were free at the resource manager
     * from the registration on. */
    RsimTime rm_since = since
      + (rsim_slot_pool_tm_ever_used (cl->world->slots, tm->id)
         ? conf->slot_idle_timeout : 0);
    if (now - rm_since < conf->rm_taskmanager_timeout)
      continue;
    if (registered - tm->n_slots < cl->slots_requested)
      continue;                 /* the job's declared need counts on it */
    registered -= tm->n_slots;
    RSIM_LOG (cl->world, "cluster", "resourcemanager_release",
              "the ResourceManager releases idle taskmanager %d (its slots "
              "free at the ResourceManager since %.3f s, "
              "resourcemanager.taskmanager-timeout %.3f s)", tm->id,
              RSIM_TIME_TO_SEC (rm_since),
              RSIM_TIME_TO_SEC (conf->rm_taskmanager_timeout));
    rsim_cluster_stop (cl, tm);
  }
}

RsimCluster *
rsim_cluster_new (RsimWorld *world, RsimRmMode mode)
{
  RsimCluster *cl = g_new0 (RsimCluster, 1);
  cl->world = world;
  cl->rm_mode = mode;
  cl->tms = g_ptr_array_new ();
  cl->subscribers = g_array_new (FALSE, FALSE, sizeof (RsimClusterSubscriber));
  cl->silent = g_array_new (FALSE, FALSE, sizeof (int));
  cl->hb_failed = g_array_new (FALSE, FALSE, sizeof (int));
  cl->hb_tick = -1;
  RsimTime interval = MAX (world->conf->heartbeat_interval, 1);
  cl->hb_phase = 1 + (RsimTime) rsim_rng_uint (
    rsim_engine_rng (world->engine, "heartbeat.phase"), (guint64) interval);
  if (mode == RSIM_RM_ACTIVE)
    rsim_engine_schedule_in (world->engine,
                             MAX (world->conf->rm_taskmanager_timeout, 1),
                             idle_check_cb, cl, NULL);
  return cl;
}

void
rsim_cluster_subscribe (RsimCluster *cl, const RsimClusterListener *listener,
                        gpointer user)
{
  RsimClusterSubscriber sub = { *listener, user };
  g_array_append_val (cl->subscribers, sub);
}

void
rsim_cluster_unsubscribe (RsimCluster *cl, gpointer user)
{
  for (guint i = cl->subscribers->len; i-- > 0;)
    if (g_array_index (cl->subscribers, RsimClusterSubscriber, i).user == user)
      g_array_remove_index (cl->subscribers, i);
}

/* Calls member `cb` of every subscriber that has it, in order. */
#define NOTIFY(cl, cb, ...)                                              \
  G_STMT_START {                                                         \
    for (guint i_ = 0; i_ < (cl)->subscribers->len; i_++) {             \
      RsimClusterSubscriber *s_ =                                        \
        &g_array_index ((cl)->subscribers, RsimClusterSubscriber, i_);   \
      if (s_->listener.cb)                                               \
        s_->listener.cb (s_->user, __VA_ARGS__);                         \
    }                                                                    \
  } G_STMT_END

void
rsim_cluster_free (RsimCluster *cl)
{
  if (cl == NULL)
    return;
  for (guint i = 0; i < cl->tms->len; i++)
    g_free (cl->tms->pdata[i]);
  g_ptr_array_unref (cl->tms);
  g_array_unref (cl->subscribers);
  g_array_unref (cl->silent);
  g_array_unref (cl->hb_failed);
  g_free (cl);
}

RsimTaskManager *
rsim_cluster_get (RsimCluster *cl, int id)
{
  if (id < 0 || (guint) id >= cl->tms->len)
    return NULL;
  return cl->tms->pdata[id];
}

static void touch (RsimCluster *cl)
{
  rsim_metrics_advance (cl->world->metrics, rsim_engine_now (cl->world->engine));
}

/* ------------------------------------------------------------- counters */

static void
count (RsimCluster *cl, const RsimTaskManager *tm, int sign)
{
  RsimTmProcess p = tm->process;
  cl->n_up += sign * (p == RSIM_TM_RUNNING || p == RSIM_TM_HUNG);
  /* A standby TaskManager (another cluster's) is up, but nothing of this
   * cluster sizes itself by it. */
  cl->n_alive_or_starting += sign * (!tm->standby
                                     && (p == RSIM_TM_RUNNING
                                         || p == RSIM_TM_PROVISIONING
                                         || tm->paused));
  cl->starting_slots += sign * (!tm->standby && p == RSIM_TM_PROVISIONING
                                ? tm->n_slots : 0);
}

/* Every change of process or paused goes through here. */
static void
set_process (RsimCluster *cl, RsimTaskManager *tm, RsimTmProcess p,
             gboolean paused)
{
  count (cl, tm, -1);
  tm->process = p;
  tm->paused = paused;
  count (cl, tm, +1);
}

/* ----------------------------------------------------------- heartbeats */

static void timeout_cb (RsimEngine *engine, gpointer data);
static void answer_cb (RsimEngine *engine, gpointer data);
static void loop_cb (RsimEngine *engine, gpointer data);

static guint
silent_find (const RsimCluster *cl, int id, gboolean *found)
{
  guint lo = 0, hi = cl->silent->len;
  while (lo < hi) {
    guint mid = (lo + hi) / 2;
    if (g_array_index (cl->silent, int, mid) < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  *found = lo < cl->silent->len && g_array_index (cl->silent, int, lo) == id;
  return lo;
}

static void
silent_remove (RsimCluster *cl, RsimTaskManager *tm)
{
  if (!tm->silent)
    return;
  gboolean found;
  guint at = silent_find (cl, tm->id, &found);
  if (found)
    g_array_remove_index (cl->silent, at);
  tm->silent = FALSE;
}

/* Analytic model: a registered TaskManager stopped answering now. Its last
 * answer is the loop's last tick after its registration, or the
 * registration; its timeout runs from there, ordered among same-instant
 * events as the exact model's timeout re-armed at that answer. */
static void
fall_silent (RsimCluster *cl, RsimTaskManager *tm)
{
  if (cl->exact_heartbeats || !tm->registered || tm->silent)
    return;
  RsimTicket ticket;
  if (cl->hb_tick > tm->started) {
    tm->last_seen = cl->hb_tick;
    ticket = cl->hb_tickets + (RsimTicket) tm->id;
  } else {
    tm->last_seen = tm->started;
    ticket = tm->reg_ticket;
  }
  tm->timeout_event = rsim_engine_schedule_ticket (
    cl->world->engine, tm->last_seen + cl->world->conf->heartbeat_timeout,
    ticket, timeout_cb, tm, NULL);
  gboolean found;
  guint at = silent_find (cl, tm->id, &found);
  g_array_insert_val (cl->silent, at, tm->id);
  tm->silent = TRUE;
}

/* The loop's next tick after now. */
static RsimTime
next_tick (const RsimCluster *cl, RsimTime now)
{
  RsimTime interval = cl->world->conf->heartbeat_interval;
  if (now < cl->hb_phase)
    return cl->hb_phase;
  return cl->hb_phase + ((now - cl->hb_phase) / interval + 1) * interval;
}

static void register_tm (RsimCluster *cl, RsimTaskManager *tm);

static void
declare_lost (RsimCluster *cl, RsimTaskManager *tm, const char *reason)
{
  if (!tm->registered)
    return;
  touch (cl);
  tm->registered = FALSE;
  rsim_engine_cancel (cl->world->engine, tm->timeout_event);
  tm->timeout_event = 0;
  silent_remove (cl, tm);
  RSIM_LOG (cl->world, "cluster", "taskmanager_lost",
            "taskmanager %d removed by the JobManager: %s", tm->id, reason);
  /* Its slots leave the pool first, so that whoever hears of the loss
   * finds them gone. */
  rsim_slot_pool_remove_tm (cl->world->slots, tm->id);
  NOTIFY (cl, lost, tm, reason);
  if (tm->process == RSIM_TM_RUNNING && !tm->paused) {
    /* Declared lost while its process runs (its answer was still to come
     * after a pause): the JobManager's disconnect reaches it and it
     * registers anew at once (TaskExecutor.disconnectJobManager, then the
     * job leader's reconnection). */
    RSIM_LOG (cl->world, "cluster", "taskmanager_resumed",
              "taskmanager %d is alive: told of the disconnect, it registers "
              "anew", tm->id);
    register_tm (cl, tm);
    return;
  }
  if (cl->rm_mode == RSIM_RM_ACTIVE)
    rsim_cluster_request_slots (cl, cl->slots_requested);
}

static void
register_tm (RsimCluster *cl, RsimTaskManager *tm)
{
  RsimEngine *e = cl->world->engine;
  touch (cl);
  set_process (cl, tm, RSIM_TM_RUNNING, FALSE);
  tm->registered = TRUE;
  tm->started = rsim_engine_now (e);
  tm->last_seen = tm->started;
  tm->rpc_failures = 0;
  rsim_slot_pool_add_tm (cl->world->slots, tm->id, tm->n_slots);
  /* HeartbeatManagerImpl.monitorTarget: the timeout runs from now. */
  if (cl->exact_heartbeats)
    tm->timeout_event = rsim_engine_schedule_in (
      e, cl->world->conf->heartbeat_timeout, timeout_cb, tm, NULL);
  else
    tm->reg_ticket = rsim_engine_reserve (e, 1);
  if (cl->hb_loop_event == 0)
    cl->hb_loop_event = rsim_engine_schedule_at (
      e, next_tick (cl, tm->started), loop_cb, cl, NULL);
  RSIM_LOG (cl->world, "cluster", "taskmanager_registered",
            "taskmanager %d registered with %d slots", tm->id, tm->n_slots);
  NOTIFY (cl, registered, tm);
}

static void
startup_cb (RsimEngine *engine, gpointer data)
{
  RsimTaskManager *tm = data;
  if (tm->process != RSIM_TM_PROVISIONING)
    return;
  if (tm->standby) {
    touch (tm->cluster);
    set_process (tm->cluster, tm, RSIM_TM_RUNNING, FALSE);
    RSIM_LOG (tm->cluster->world, "cluster", "taskmanager_started",
              "taskmanager %d is up in the other cluster (unknown to the "
              "running JobManager)", tm->id);
    return;
  }
  register_tm (tm->cluster, tm);
}

/* One tick of the JobManager's heartbeat loop. */
static void
loop_cb (RsimEngine *engine, gpointer data)
{
  RsimCluster *cl = data;
  const RsimFlinkConf *conf = cl->world->conf;
  RsimTime now = rsim_engine_now (engine);
  cl->hb_loop_event = rsim_engine_schedule_in (engine, conf->heartbeat_interval,
                                               loop_cb, cl, NULL);
  cl->hb_tick = now;
  GArray *failed = cl->hb_failed;
  g_array_set_size (failed, 0);

  /* The answers: each resets its TaskManager's timeout. A TaskManager that
   * registered at this very instant was not asked yet. */
  if (cl->exact_heartbeats) {
    for (guint i = 0; i < cl->tms->len; i++) {
      RsimTaskManager *tm = cl->tms->pdata[i];
      if (!tm->registered || tm->started >= now)
        continue;
      if (tm->process != RSIM_TM_RUNNING) {
        g_array_append_val (failed, tm->id);
        continue;
      }
      /* The answer is a message of its own, handled right after the
       * loop; its ticket is also the place of the timeout it re-arms. */
      tm->answer_ticket = rsim_engine_reserve (engine, 1);
      tm->answer_due = TRUE;
      rsim_engine_schedule_ticket (engine, now, tm->answer_ticket, answer_cb,
                                   tm, NULL);
    }
  } else {
    cl->hb_tickets = rsim_engine_reserve (engine, cl->tms->len);
    guint kept = 0;
    for (guint i = 0; i < cl->silent->len; i++) {
      int id = g_array_index (cl->silent, int, i);
      RsimTaskManager *tm = cl->tms->pdata[id];
      if (tm->started >= now || tm->process != RSIM_TM_RUNNING) {
        g_array_index (cl->silent, int, kept++) = id;
        if (tm->started < now)
          g_array_append_val (failed, id);
        continue;
      }
      /* Answers again (after a pause): healthy from this tick on. */
      tm->last_seen = now;
      tm->rpc_failures = 0;
      tm->silent = FALSE;
      rsim_engine_cancel (engine, tm->timeout_event);
      tm->timeout_event = 0;
    }
    g_array_set_size (cl->silent, kept);
  }

  /* The failed requests: fast failures count towards the threshold. */
  for (guint i = 0; i < failed->len; i++) {
    RsimTaskManager *tm = cl->tms->pdata[g_array_index (failed, int, i)];
    if (!tm->registered || conf->heartbeat_rpc_failure_threshold <= 0)
      continue;
    RsimTime fail_after = 0;
    if (rsim_cluster_rpc (cl, tm, &fail_after) || fail_after != 0)
      continue;
    /* The request failed at once with the recipient unreachable
     * (HeartbeatManagerImpl counts these per target). */
    if (++tm->rpc_failures >= conf->heartbeat_rpc_failure_threshold) {
      g_autofree char *why = g_strdup_printf (
        "%d consecutive heartbeat RPCs failed "
        "(heartbeat.rpc-failure-threshold)", tm->rpc_failures);
      declare_lost (cl, tm, why);
    }
  }
}

/* Exact model: a TaskManager's answer to the request of the tick just
 * run arrives (HeartbeatMonitorImpl.reportHeartbeat resets the timeout). It
 * was sent at the tick, so it counts even if the process died since. */
static void
answer_cb (RsimEngine *engine, gpointer data)
{
  RsimTaskManager *tm = data;
  tm->cluster->hb_answers++;
  tm->answer_due = FALSE;
  if (!tm->registered)
    return;
  RsimTime now = rsim_engine_now (engine);
  tm->last_seen = now;
  tm->rpc_failures = 0;
  rsim_engine_cancel (engine, tm->timeout_event);
  tm->timeout_event = rsim_engine_schedule_ticket (
    engine, now + tm->cluster->world->conf->heartbeat_timeout,
    tm->answer_ticket, timeout_cb, tm, NULL);
}

static void
timeout_cb (RsimEngine *engine, gpointer data)
{
  RsimTaskManager *tm = data;
  tm->timeout_event = 0;
  /* An answer that arrives at the deadline is in time (with
   * heartbeat.timeout = heartbeat.interval every answer does): the answer
   * of this instant's tick, still to be handled, re-arms the timeout. */
  if (tm->answer_due) {
    tm->cluster->hb_answers++;       /* an event of the exact model only */
    return;
  }
  if (tm->registered)
    declare_lost (tm->cluster, tm, "heartbeat timeout");
}

/* ------------------------------------------------------------ lifecycle */

static int
start_tms (RsimCluster *cl, int n, RsimTime delay, const char *why,
           gboolean standby)
{
  int first = (int) cl->tms->len;
  /* A standby TaskManager's start-up ends when its process is up: it
   * registers (with the other JobManager) only when released. */
  RsimRng *reg = delay > 0 && !standby
    ? rsim_engine_rng (cl->world->engine, "taskmanager.registration") : NULL;
  for (int i = 0; i < n; i++) {
    RsimTaskManager *tm = g_new0 (RsimTaskManager, 1);
    tm->id = (int) cl->tms->len;
    tm->cluster = cl;
    tm->n_slots = cl->world->conf->slots_per_taskmanager;
    tm->standby = standby;
    tm->process = RSIM_TM_PROVISIONING;
    count (cl, tm, +1);
    g_ptr_array_add (cl->tms, tm);
    if (delay <= 0 && !standby) {
      register_tm (cl, tm);
    } else {
      RsimTime d = delay + (reg != NULL
                            ? (RsimTime) rsim_rng_uint (reg, REGISTRATION_DELAY_MAX)
                            : 0);
      RSIM_LOG (cl->world, "cluster", "taskmanager_starting",
                standby ? "taskmanager %d starting (%s), up in %.3f s"
                        : "taskmanager %d starting (%s), registers in %.3f s",
                tm->id, why, RSIM_TIME_TO_SEC (d));
      rsim_engine_schedule_in (cl->world->engine, MAX (d, 1), startup_cb, tm,
                               NULL);
    }
  }
  return first;
}

void
rsim_cluster_start_taskmanagers (RsimCluster *cl, int n, RsimTime delay,
                                 const char *why)
{
  start_tms (cl, n, delay, why, FALSE);
}

int
rsim_cluster_start_standby (RsimCluster *cl, int n, RsimTime delay,
                            const char *why)
{
  return start_tms (cl, n, delay, why, TRUE);
}

void
rsim_cluster_release_standby (RsimCluster *cl, RsimTaskManager *tm)
{
  if (!tm->standby)
    return;
  touch (cl);
  count (cl, tm, -1);
  tm->standby = FALSE;
  count (cl, tm, +1);
  if (tm->process == RSIM_TM_RUNNING)
    register_tm (cl, tm);
}

/* The process stops answering (whatever becomes of it). */
static void
stop_answering (RsimCluster *cl, RsimTaskManager *tm, RsimTmProcess p)
{
  gboolean was_paused = tm->paused;
  set_process (cl, tm, p, FALSE);
  if (was_paused) {
    rsim_engine_cancel (cl->world->engine, tm->pause_event);
    tm->pause_event = 0;
  }
  fall_silent (cl, tm);
}

static void
terminated_cb (RsimEngine *engine, gpointer data)
{
  RsimTaskManager *tm = data;
  RsimCluster *cl = tm->cluster;
  touch (cl);
  cl->n_terminating--;
  RSIM_LOG (cl->world, "cluster", "taskmanager_terminated",
            "taskmanager %d's pod is gone", tm->id);
}

/* A graceful stop: the process shuts down (what Flink sees happens at
 * once), but its pod holds its resources until it has terminated
 * (taskmanager_shutdown; 0 by default, when a stopped TaskManager's pod
 * disappears at once as a deleted one does). */
static void
pod_terminates (RsimCluster *cl, RsimTaskManager *tm)
{
  RsimTime d = rsim_world_cost_time (cl->world,
                                     &cl->world->costs->taskmanager_shutdown,
                                     "taskmanager_shutdown");
  if (d <= 0)
    return;
  cl->n_terminating++;
  RSIM_LOG (cl->world, "cluster", "taskmanager_terminating",
            "taskmanager %d's pod terminates in %.3f s", tm->id,
            RSIM_TIME_TO_SEC (d));
  rsim_engine_schedule_in (cl->world->engine, d, terminated_cb, tm, NULL);
}

void
rsim_cluster_stop (RsimCluster *cl, RsimTaskManager *tm)
{
  touch (cl);
  RsimTmProcess was = tm->process;
  if (was != RSIM_TM_RUNNING && was != RSIM_TM_PROVISIONING)
    return;
  tm->kill_rpc = RSIM_KILL_RPC_REFUSED;
  stop_answering (cl, tm, RSIM_TM_STOPPED);
  RSIM_LOG (cl->world, "cluster", "taskmanager_stopped",
            "taskmanager %d shut down gracefully", tm->id);
  if (was == RSIM_TM_PROVISIONING)
    return;
  pod_terminates (cl, tm);
  if (rsim_rules_has (&cl->world->rules, RSIM_RULE_GRACEFUL_TM_DISCONNECT)) {
    /* TaskExecutor.onStop disconnects from the JobManager (FLINK-25277). */
    declare_lost (cl, tm, "TaskManager disconnected on shutdown");
  } else {
    NOTIFY (cl, died, tm);
  }
}

void
rsim_cluster_decommission (RsimCluster *cl, RsimTaskManager *tm)
{
  touch (cl);
  RsimTmProcess was = tm->process;
  if (was == RSIM_TM_STOPPED || was == RSIM_TM_KILLED)
    return;
  tm->kill_rpc = RSIM_KILL_RPC_REFUSED;
  stop_answering (cl, tm, RSIM_TM_STOPPED);
  RSIM_LOG (cl->world, "cluster", "taskmanager_stopped",
            "taskmanager %d stopped with its cluster", tm->id);
  if (was != RSIM_TM_PROVISIONING) {
    pod_terminates (cl, tm);
    declare_lost (cl, tm, "its cluster was torn down");
  }
}

int
rsim_cluster_decommission_all (RsimCluster *cl)
{
  int n = 0;
  for (int i = (int) cl->tms->len - 1; i >= 0; i--) {
    RsimTaskManager *tm = cl->tms->pdata[i];
    if (tm->standby || tm->process == RSIM_TM_STOPPED
        || tm->process == RSIM_TM_KILLED)
      continue;
    rsim_cluster_decommission (cl, tm);
    n++;
  }
  return n;
}

void
rsim_cluster_kill (RsimCluster *cl, RsimTaskManager *tm, RsimKillRpc rpc)
{
  touch (cl);
  RsimTmProcess was = tm->process;
  if (was != RSIM_TM_RUNNING && was != RSIM_TM_PROVISIONING
      && was != RSIM_TM_HUNG)
    return;
  tm->kill_rpc = rpc;
  stop_answering (cl, tm, RSIM_TM_KILLED);
  RSIM_LOG (cl->world, "cluster", "taskmanager_killed",
            "taskmanager %d killed (its address %s)", tm->id,
            rpc == RSIM_KILL_RPC_REFUSED ? "refuses connections"
                                         : "no longer answers");
  if (was != RSIM_TM_PROVISIONING)
    NOTIFY (cl, died, tm);
}

void
rsim_cluster_hang (RsimCluster *cl, RsimTaskManager *tm)
{
  touch (cl);
  if (tm->process != RSIM_TM_RUNNING)
    return;
  stop_answering (cl, tm, RSIM_TM_HUNG);
  RSIM_LOG (cl->world, "cluster", "taskmanager_hung",
            "taskmanager %d hangs (no answers, connections stay open)", tm->id);
  NOTIFY (cl, died, tm);
}

static void
pause_end_cb (RsimEngine *engine, gpointer data)
{
  RsimTaskManager *tm = data;
  RsimCluster *cl = tm->cluster;
  tm->pause_event = 0;
  if (!tm->paused)
    return;
  touch (cl);
  set_process (cl, tm, RSIM_TM_RUNNING, FALSE);
  if (tm->registered)
    RSIM_LOG (cl->world, "cluster", "taskmanager_resumed",
              "taskmanager %d answers again", tm->id);
  else {
    /* The JobManager stopped monitoring it when it declared it lost: its
     * heartbeats for the old registration are for an unknown target and
     * ignored. The TaskManager's own timeouts of the JobManager and the
     * ResourceManager ran out during the pause (its clocks kept going), so
     * once it runs again it disconnects and registers anew
     * (TaskExecutor's JobManagerHeartbeatListener and
     * ResourceManagerHeartbeatListener: disconnect, then
     * reconnectToResourceManager and the job leader's reconnection): a
     * fresh registration, its slots offered again. */
    RSIM_LOG (cl->world, "cluster", "taskmanager_resumed",
              "taskmanager %d answers again; the JobManager removed it and "
              "ignores its old heartbeats, so it registers anew", tm->id);
    register_tm (cl, tm);
  }
}

void
rsim_cluster_pause (RsimCluster *cl, RsimTaskManager *tm, RsimTime duration)
{
  touch (cl);
  if (tm->process != RSIM_TM_RUNNING || duration <= 0)
    return;
  stop_answering (cl, tm, RSIM_TM_HUNG);
  set_process (cl, tm, RSIM_TM_HUNG, TRUE);
  tm->pause_event = rsim_engine_schedule_in (cl->world->engine, duration,
                                             pause_end_cb, tm, NULL);
  RSIM_LOG (cl->world, "cluster", "taskmanager_paused",
            "taskmanager %d paused for %.3f s (alive, answers nothing)",
            tm->id, RSIM_TIME_TO_SEC (duration));
}

GPtrArray *
rsim_cluster_pick_live (RsimCluster *cl, int n)
{
  GPtrArray *out = g_ptr_array_new ();
  for (int i = (int) cl->tms->len - 1; i >= 0 && (int) out->len < n; i--) {
    RsimTaskManager *tm = cl->tms->pdata[i];
    if (tm->process == RSIM_TM_RUNNING && !tm->standby)
      g_ptr_array_add (out, tm);
  }
  return out;
}

int
rsim_cluster_registered_slots (const RsimCluster *cl)
{
  return rsim_slot_pool_registered (cl->world->slots);
}

int
rsim_cluster_used_slots (const RsimCluster *cl)
{
  return rsim_slot_pool_used (cl->world->slots);
}

int
rsim_cluster_processes_up (const RsimCluster *cl)
{
  return cl->n_up;
}

int
rsim_cluster_pods (const RsimCluster *cl)
{
  return cl->n_up + cl->n_terminating;
}

int
rsim_cluster_starting_slots (const RsimCluster *cl)
{
  return cl->starting_slots;
}

void
rsim_cluster_request_slots (RsimCluster *cl, int slots)
{
  cl->slots_requested = slots;
  if (cl->rm_mode != RSIM_RM_ACTIVE)
    return;
  int have = rsim_cluster_registered_slots (cl) + rsim_cluster_starting_slots (cl);
  int missing = slots - have;
  if (missing <= 0)
    return;
  int per = cl->world->conf->slots_per_taskmanager;
  int n = (missing + per - 1) / per;
  RsimTime d = rsim_world_cost_time (cl->world, &cl->world->costs->taskmanager_startup,
                                     "taskmanager_startup");
  RSIM_LOG (cl->world, "cluster", "resourcemanager_request",
            "active ResourceManager starts %d TaskManager(s) for %d missing slot(s)",
            n, missing);
  rsim_cluster_start_taskmanagers (cl, n, MAX (d, 1), "requested by the JobManager");
}

gboolean
rsim_cluster_rpc (const RsimCluster *cl, const RsimTaskManager *tm,
                  RsimTime *fail_after)
{
  if (tm->process == RSIM_TM_RUNNING) {
    *fail_after = 0;
    return TRUE;
  }
  gboolean fast = (tm->process == RSIM_TM_KILLED || tm->process == RSIM_TM_STOPPED)
    && tm->kill_rpc == RSIM_KILL_RPC_REFUSED
    && rsim_rules_has (&cl->world->rules, RSIM_RULE_RPC_FAST_FAILURE);
  *fail_after = fast ? 0 : cl->world->conf->ask_timeout;
  return FALSE;
}


int
rsim_cluster_alive_or_starting (const RsimCluster *cl)
{
  return cl->n_alive_or_starting;
}

void
rsim_cluster_stop_idle (RsimCluster *cl, int target)
{
  int alive = rsim_cluster_alive_or_starting (cl);
  for (int i = (int) cl->tms->len - 1; i >= 0 && alive > target; i--) {
    RsimTaskManager *tm = cl->tms->pdata[i];
    if (tm->process != RSIM_TM_RUNNING || tm->standby)
      continue;
    if (!rsim_slot_pool_tm_idle (cl->world->slots, tm->id))
      continue;
    RSIM_LOG (cl->world, "scheduler", "scale_down",
              "scale: stopping idle taskmanager %d", tm->id);
    rsim_cluster_stop (cl, tm);
    alive--;
  }
}

int
rsim_cluster_taskmanagers_for (const RsimCluster *cl, int slots)
{
  int per = MAX (cl->world->conf->slots_per_taskmanager, 1);
  return (slots + per - 1) / per;
}

int
rsim_cluster_start_up_to (RsimCluster *cl, int want, const char *why)
{
  int missing = want - rsim_cluster_alive_or_starting (cl);
  if (missing <= 0)
    return 0;
  RsimWorld *w = cl->world;
  RsimTime d = rsim_world_cost_time (w, &w->costs->taskmanager_startup,
                                     "taskmanager_startup");
  rsim_cluster_start_taskmanagers (cl, missing, MAX (d, 1), why);
  return missing;
}
