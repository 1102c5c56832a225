/* The cluster: a ResourceManager and TaskManagers with their slots, and the
 * JobManager's heartbeat monitoring of each TaskManager.
 *
 * TaskManager lifecycle:
 *
 *   provisioning --(start-up cost)--> running --stop--> stopped
 *                                        |  \--kill--> killed
 *                                        \----hang---> hung
 *
 * and, independently, whether the JobManager lists its slots ("registered"):
 * from registration until it is declared lost. Detection follows Flink
 * (shared/reference/flink-behaviour.md §4; flink-runtime/.../heartbeat/
 * HeartbeatManagerSenderImpl.java, HeartbeatMonitorImpl.java,
 * jobmaster/JobMaster.java):
 * - the JobManager requests a heartbeat every heartbeat.interval; an answer
 *   moves last_seen; the monitor declares the TaskManager lost at
 *   last_seen + heartbeat.timeout (one re-arming timeout event per TM);
 * - on 1.14+ (FLINK-23209) heartbeat.rpc-failure-threshold consecutive heartbeat
 *   RPCs that fail with the target unreachable also declare it lost; RPCs
 *   fail fast only when the host refuses connections, and only on 1.14+
 *   (FLINK-23202); before, or when nothing answers, they wait for the ask
 *   timeout;
 * - on 1.15+ a TaskManager that shuts down gracefully tells the JobManager at
 *   once (FLINK-25277); before, it is lost like a killed process whose host
 *   refuses connections.
 * An active ResourceManager (native Kubernetes/YARN) starts a TaskManager for
 * slots the JobManager declared but does not have; standalone never does. */
#include "model/model.h"

RsimCluster *
rsim_cluster_new (RsimWorld *world, RsimRmMode mode)
{
  RsimCluster *cl = g_new0 (RsimCluster, 1);
  cl->world = world;
  cl->rm_mode = mode;
  cl->tms = g_ptr_array_new ();
  cl->subscribers = g_array_new (FALSE, FALSE, sizeof (RsimClusterSubscriber));
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

static void
tm_free (RsimTaskManager *tm)
{
  g_free (tm);
}

void
rsim_cluster_free (RsimCluster *cl)
{
  if (cl == NULL)
    return;
  for (guint i = 0; i < cl->tms->len; i++)
    tm_free (cl->tms->pdata[i]);
  g_ptr_array_unref (cl->tms);
  g_array_unref (cl->subscribers);
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

static void heartbeat_cb (RsimEngine *engine, gpointer data);
static void timeout_cb (RsimEngine *engine, gpointer data);

typedef struct {
  RsimCluster *cluster;
  int id;
} TmRef;

static gpointer
tm_ref (RsimCluster *cl, int id)
{
  TmRef *ref = g_new (TmRef, 1);
  ref->cluster = cl;
  ref->id = id;
  return ref;
}

static void
declare_lost (RsimCluster *cl, RsimTaskManager *tm, const char *reason)
{
  if (!tm->registered)
    return;
  touch (cl);
  tm->registered = FALSE;
  rsim_engine_cancel (cl->world->engine, tm->heartbeat_event);
  rsim_engine_cancel (cl->world->engine, tm->timeout_event);
  tm->heartbeat_event = tm->timeout_event = 0;
  RSIM_LOG (cl->world, "cluster", "taskmanager_lost",
            "taskmanager %d removed by the JobManager: %s", tm->id, reason);
  /* Its slots leave the pool first, so that whoever hears of the loss
   * finds them gone. */
  rsim_slot_pool_remove_tm (cl->world->slots, tm->id);
  NOTIFY (cl, lost, tm, reason);
  if (cl->rm_mode == RSIM_RM_ACTIVE)
    rsim_cluster_request_slots (cl, cl->slots_requested);
}

static void
register_tm (RsimCluster *cl, RsimTaskManager *tm)
{
  RsimEngine *e = cl->world->engine;
  touch (cl);
  tm->process = RSIM_TM_RUNNING;
  tm->registered = TRUE;
  tm->started = rsim_engine_now (e);
  tm->last_seen = tm->started;
  rsim_slot_pool_add_tm (cl->world->slots, tm->id, tm->n_slots);
  tm->heartbeat_event = rsim_engine_schedule_in (
    e, cl->world->conf->heartbeat_interval, heartbeat_cb, tm_ref (cl, tm->id),
    g_free);
  tm->timeout_event = rsim_engine_schedule_in (
    e, cl->world->conf->heartbeat_timeout, timeout_cb, tm_ref (cl, tm->id),
    g_free);
  RSIM_LOG (cl->world, "cluster", "taskmanager_registered",
            "taskmanager %d registered with %d slots", tm->id, tm->n_slots);
  NOTIFY (cl, registered, tm);
}

static void
startup_cb (RsimEngine *engine, gpointer data)
{
  TmRef *ref = data;
  RsimTaskManager *tm = rsim_cluster_get (ref->cluster, ref->id);
  if (tm == NULL || tm->process != RSIM_TM_PROVISIONING)
    return;
  if (tm->standby) {
    touch (ref->cluster);
    tm->process = RSIM_TM_RUNNING;
    RSIM_LOG (ref->cluster->world, "cluster", "taskmanager_started",
              "taskmanager %d is up in the other cluster (unknown to the "
              "running JobManager)", tm->id);
    return;
  }
  register_tm (ref->cluster, tm);
}

static void
heartbeat_cb (RsimEngine *engine, gpointer data)
{
  TmRef *ref = data;
  RsimCluster *cl = ref->cluster;
  RsimTaskManager *tm = rsim_cluster_get (cl, ref->id);
  if (tm == NULL || !tm->registered)
    return;
  const RsimFlinkConf *conf = cl->world->conf;
  RsimTime now = rsim_engine_now (engine);
  tm->heartbeat_event = 0;
  RsimTime fail_after = 0;
  if (rsim_cluster_rpc (cl, tm, &fail_after)) {
    tm->last_seen = now;
    tm->rpc_failures = 0;
  } else if (fail_after == 0 && conf->heartbeat_rpc_failure_threshold > 0) {
    /* The request failed at once with the recipient unreachable
     * (HeartbeatManagerImpl counts these per target). */
    if (++tm->rpc_failures >= conf->heartbeat_rpc_failure_threshold) {
      g_autofree char *why = g_strdup_printf (
        "%d consecutive heartbeat RPCs failed "
        "(heartbeat.rpc-failure-threshold)", tm->rpc_failures);
      declare_lost (cl, tm, why);
      return;
    }
  }
  tm->heartbeat_event = rsim_engine_schedule_in (
    engine, conf->heartbeat_interval, heartbeat_cb, tm_ref (cl, tm->id), g_free);
}

static void
timeout_cb (RsimEngine *engine, gpointer data)
{
  TmRef *ref = data;
  RsimCluster *cl = ref->cluster;
  RsimTaskManager *tm = rsim_cluster_get (cl, ref->id);
  if (tm == NULL || !tm->registered)
    return;
  tm->timeout_event = 0;
  RsimTime deadline = tm->last_seen + cl->world->conf->heartbeat_timeout;
  if (rsim_engine_now (engine) >= deadline) {
    declare_lost (cl, tm, "heartbeat timeout");
    return;
  }
  tm->timeout_event = rsim_engine_schedule_at (engine, deadline, timeout_cb,
                                               tm_ref (cl, tm->id), g_free);
}

static int
start_tms (RsimCluster *cl, int n, RsimTime delay, const char *why,
           gboolean standby)
{
  int first = (int) cl->tms->len;
  for (int i = 0; i < n; i++) {
    RsimTaskManager *tm = g_new0 (RsimTaskManager, 1);
    tm->id = (int) cl->tms->len;
    tm->process = RSIM_TM_PROVISIONING;
    tm->n_slots = cl->world->conf->slots_per_taskmanager;
    tm->standby = standby;
    g_ptr_array_add (cl->tms, tm);
    if (delay <= 0 && !standby) {
      register_tm (cl, tm);
    } else {
      RsimTime d = delay;
      RSIM_LOG (cl->world, "cluster", "taskmanager_starting",
                standby ? "taskmanager %d starting (%s), up in %.3f s"
                        : "taskmanager %d starting (%s), registers in %.3f s",
                tm->id, why, RSIM_TIME_TO_SEC (d));
      rsim_engine_schedule_in (cl->world->engine, MAX (d, 1), startup_cb,
                               tm_ref (cl, tm->id), g_free);
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
  tm->standby = FALSE;
  if (tm->process == RSIM_TM_RUNNING)
    register_tm (cl, tm);
}

void
rsim_cluster_stop (RsimCluster *cl, RsimTaskManager *tm)
{
  touch (cl);
  RsimTmProcess was = tm->process;
  if (was != RSIM_TM_RUNNING && was != RSIM_TM_PROVISIONING)
    return;
  tm->process = RSIM_TM_STOPPED;
  tm->kill_rpc = RSIM_KILL_RPC_REFUSED;
  RSIM_LOG (cl->world, "cluster", "taskmanager_stopped",
            "taskmanager %d shut down gracefully", tm->id);
  if (was == RSIM_TM_PROVISIONING)
    return;
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
  tm->process = RSIM_TM_STOPPED;
  tm->kill_rpc = RSIM_KILL_RPC_REFUSED;
  RSIM_LOG (cl->world, "cluster", "taskmanager_stopped",
            "taskmanager %d stopped with its cluster", tm->id);
  if (was != RSIM_TM_PROVISIONING)
    declare_lost (cl, tm, "its cluster was torn down");
}

void
rsim_cluster_kill (RsimCluster *cl, RsimTaskManager *tm, RsimKillRpc rpc)
{
  touch (cl);
  RsimTmProcess was = tm->process;
  if (was != RSIM_TM_RUNNING && was != RSIM_TM_PROVISIONING
      && was != RSIM_TM_HUNG)
    return;
  tm->process = RSIM_TM_KILLED;
  tm->kill_rpc = rpc;
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
  tm->process = RSIM_TM_HUNG;
  RSIM_LOG (cl->world, "cluster", "taskmanager_hung",
            "taskmanager %d hangs (no answers, connections stay open)", tm->id);
  NOTIFY (cl, died, tm);
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
  int n = 0;
  for (guint i = 0; i < cl->tms->len; i++) {
    const RsimTaskManager *tm = cl->tms->pdata[i];
    if (tm->process == RSIM_TM_RUNNING || tm->process == RSIM_TM_HUNG)
      n++;
  }
  return n;
}

int
rsim_cluster_starting_slots (const RsimCluster *cl)
{
  int n = 0;
  for (guint i = 0; i < cl->tms->len; i++) {
    const RsimTaskManager *tm = cl->tms->pdata[i];
    if (tm->process == RSIM_TM_PROVISIONING && !tm->standby)
      n += tm->n_slots;
  }
  return n;
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
  int n = 0;
  for (guint i = 0; i < cl->tms->len; i++) {
    const RsimTaskManager *tm = cl->tms->pdata[i];
    n += !tm->standby && (tm->process == RSIM_TM_RUNNING
                          || tm->process == RSIM_TM_PROVISIONING);
  }
  return n;
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
