/* The default scheduler (DefaultScheduler): per-region failover with a
 * restart strategy, slot requests, and the ways its users rescale.
 *
 * Sources: flink-runtime/src/main/java/org/apache/flink/runtime/scheduler/
 * DefaultScheduler.java (restartTasksWithDelay), executiongraph/failover/
 * RestartPipelinedRegionFailoverStrategy.java, RestartAllFailoverStrategy.java,
 * ExecutionFailureHandler.java, jobmaster/slotpool/; shared/reference/
 * flink-behaviour.md §3, §4, §5, §6.
 *
 * Failover timeline (§3.5): a failure picks the regions to restart (the
 * failed task's pipelined region under `region`, every region under `full`
 * or for a global failure), asks the restart strategy, cancels the tasks
 * and starts the backoff at the same time; the restart happens at
 * max(backoff expiry, cancellation done): the latest completed checkpoint is
 * restored (else the state the job was submitted with), slots are allocated
 * (the previous slot is preferred, also when its TaskManager is dead but not
 * yet declared lost, so the deployment fails: PR #17606), tasks are deployed
 * and restore their state. Cancelling a task on a dead TaskManager waits for
 * the cancel RPC to fail: 3 tries of the ask timeout when nothing answers
 * (Execution.NUM_CANCEL_CALL_TRIES), at once when connections are refused
 * (1.14+), or until the TaskManager is declared lost.
 *
 * Execution states (Flink's ExecutionState):
 *
 *   CREATED -> SCHEDULED -> DEPLOYING -> INITIALIZING -> RUNNING
 *       any live state --failure--> FAILED
 *       any live state --cancel--> CANCELING -> CANCELED
 *       RUNNING --stop-with-savepoint--> FINISHED
 *
 * A region is up (processes records) when it is not restarting, all its
 * executions are RUNNING, and all of them sit on TaskManagers whose process
 * runs.
 *
 * Rescaling (§6): stop-with-savepoint (sources stop at the savepoint's
 * barrier, the job FINISHES when it completes, a failed savepoint lets the
 * job go on) then a resubmission from the savepoint at the new parallelism
 * (a new job: new restart strategy state, empty checkpoint store), and on
 * 1.5-1.8 `flink modify` (JobMaster.rescaleOperators: a savepoint while the
 * job runs, then the job is suspended and restored from it at the new
 * parallelism; a failed savepoint aborts the rescale; 1.9+ answers HTTP 503,
 * FLINK-12312). */
#include "sched/sched.h"

#include <string.h>

#define RSIM_EX_STATE_LIST(X) \
  X (CREATED, "CREATED")      \
  X (SCHEDULED, "SCHEDULED")  \
  X (DEPLOYING, "DEPLOYING")  \
  X (INITIALIZING, "INITIALIZING") \
  X (RUNNING, "RUNNING")      \
  X (CANCELING, "CANCELING")  \
  X (CANCELED, "CANCELED")    \
  X (FAILED, "FAILED")        \
  X (FINISHED, "FINISHED")

typedef enum {
#define RSIM_X(id, name) EX_##id,
  RSIM_EX_STATE_LIST (RSIM_X)
#undef RSIM_X
} ExState;

#define RSIM_JOB_STATUS_LIST(X) \
  X (CREATED, "CREATED")        \
  X (RUNNING, "RUNNING")        \
  X (RESTARTING, "RESTARTING")  \
  X (FAILING, "FAILING")        \
  X (FAILED, "FAILED")          \
  X (FINISHED, "FINISHED")      \
  X (SUSPENDED, "SUSPENDED")

typedef enum {
#define RSIM_X(id, name) JOB_##id,
  RSIM_JOB_STATUS_LIST (RSIM_X)
#undef RSIM_X
} JobStatus;

static const char *const job_status_names[] = {
#define RSIM_X(id, name) name,
  RSIM_JOB_STATUS_LIST (RSIM_X)
#undef RSIM_X
};

typedef struct {
  ExState state;
  int shared;                  /* shared-slot id */
  guint attempt;
  guint token;                 /* bumped on every change; stale events check it */
  int prev_tm;                 /* TaskManager of the last deployment, or -1 */
} Execution;

typedef struct {
  gboolean restarting;
  gboolean backoff_done;
  int cancel_pending;
  gboolean waiting_slots;
  RsimEventId slot_timeout;
  guint gen;
} Region;

typedef struct {
  RsimScheduler parent;
  JobStatus status;
  guint job_gen;               /* job incarnation (resubmission = new job) */
  Execution *ex;
  int n_ex;
  Region *regions;
  int n_regions;
  int *ssg_base;               /* first shared-slot id of each group */
  int n_shared;
  int *shared_tm;              /* physical slot of each shared slot, -1 none */
  int *shared_slot;
  RsimRestartStrategy *restart;
  RsimSnapshot submitted;      /* the state the job was submitted with */
  gboolean paused;             /* sources stopped for a synchronous savepoint */
  gboolean stopping;           /* stop-with-savepoint in progress */
  gboolean modifying;          /* flink modify in progress */
  gboolean upgrading;          /* a platform's cancel-based upgrade */
  RsimUpgradeHow upgrade_how;
  int savepoint_retries;       /* further attempts of a failing savepoint */
  int *next_parallelism;       /* resubmit / modify target, or NULL */
  gboolean resubmit;
  int scale_target_tms;        /* > 0: stop idle TaskManagers down to this */
  gboolean ever_up;
} DefaultScheduler;

#define DS(s) ((DefaultScheduler *) (s))

static RsimWorld *
W (DefaultScheduler *ds)
{
  return ds->parent.world;
}

static RsimTime
now_of (DefaultScheduler *ds)
{
  return rsim_engine_now (W (ds)->engine);
}

typedef struct {
  DefaultScheduler *ds;
  int index;                   /* execution or region */
  guint token;                 /* execution token or region gen */
  guint job_gen;
} Ref;

static Ref *
ref_new (DefaultScheduler *ds, int index, guint token)
{
  Ref *r = g_new (Ref, 1);
  r->ds = ds;
  r->index = index;
  r->token = token;
  r->job_gen = ds->job_gen;
  return r;
}

static gboolean
is_live (ExState s)
{
  return s == EX_SCHEDULED || s == EX_DEPLOYING || s == EX_INITIALIZING
    || s == EX_RUNNING;
}

static RsimTaskManager *
ex_tm (DefaultScheduler *ds, int e)
{
  int k = ds->ex[e].shared;
  if (ds->shared_tm[k] < 0)
    return NULL;
  return rsim_cluster_get (W (ds)->cluster, ds->shared_tm[k]);
}

static int
region_of (DefaultScheduler *ds, int e)
{
  return W (ds)->graph->region_of[e];
}

/* ------------------------------------------------------------ availability */

static gboolean
region_up (DefaultScheduler *ds, int r)
{
  const Region *reg = &ds->regions[r];
  if (reg->restarting || reg->waiting_slots || ds->paused)
    return FALSE;
  if (ds->status != JOB_RUNNING)
    return FALSE;
  for (int e = 0; e < ds->n_ex; e++) {
    if (region_of (ds, e) != r)
      continue;
    if (ds->ex[e].state != EX_RUNNING)
      return FALSE;
    RsimTaskManager *tm = ex_tm (ds, e);
    if (tm == NULL || tm->process != RSIM_TM_RUNNING)
      return FALSE;
  }
  return TRUE;
}

static gboolean
all_up (DefaultScheduler *ds)
{
  for (int r = 0; r < ds->n_regions; r++)
    if (!region_up (ds, r))
      return FALSE;
  return ds->n_regions > 0;
}

static void stop_idle_taskmanagers (DefaultScheduler *ds);

static void
update_up (DefaultScheduler *ds)
{
  RsimWorld *w = W (ds);
  gboolean *up = g_new0 (gboolean, MAX (ds->n_regions, 1));
  for (int r = 0; r < ds->n_regions; r++)
    up[r] = region_up (ds, r);
  rsim_dataflow_set_up (w->flow, up);
  g_free (up);
  if (all_up (ds)) {
    if (!ds->ever_up) {
      ds->ever_up = TRUE;
      w->recorder->result->startup_s = RSIM_TIME_TO_SEC (now_of (ds));
      rsim_dataflow_set_should_run (w->flow, TRUE);
    }
    /* 2.3+: checkpointing starts once every task is RUNNING (FLINK-38940). */
    if (rsim_rules_has (&w->rules, RSIM_RULE_CHECKPOINT_AFTER_ALL_RUNNING)
        && !ds->stopping
        && !ds->modifying)
      rsim_checkpoint_start_scheduler (w->checkpoints);
    if (ds->scale_target_tms > 0)
      stop_idle_taskmanagers (ds);
  }
  rsim__recorder_job_status (w->recorder, job_status_names[ds->status]);
}

/* ------------------------------------------------------------------ slots */

static void release_shared (DefaultScheduler *ds, int k);

static gboolean
find_free_slot (DefaultScheduler *ds, int *tm_out, int *slot_out)
{
  RsimCluster *cl = W (ds)->cluster;
  for (guint i = 0; i < cl->tms->len; i++) {
    RsimTaskManager *tm = cl->tms->pdata[i];
    if (!tm->registered)
      continue;
    for (int s = 0; s < tm->n_slots; s++)
      if (tm->slot_user[s] < 0) {
        *tm_out = tm->id;
        *slot_out = s;
        return TRUE;
      }
  }
  return FALSE;
}

static void
release_shared (DefaultScheduler *ds, int k)
{
  if (ds->shared_tm[k] < 0)
    return;
  RsimTaskManager *tm = rsim_cluster_get (W (ds)->cluster, ds->shared_tm[k]);
  if (tm && tm->slot_user[ds->shared_slot[k]] == k)
    tm->slot_user[ds->shared_slot[k]] = -1;
  ds->shared_tm[k] = ds->shared_slot[k] = -1;
}

static void deploy_region (DefaultScheduler *ds, int r);
static void fail_execution (DefaultScheduler *ds, int e, const char *cause,
                            gboolean global);

static void
slot_timeout_cb (RsimEngine *engine, gpointer data)
{
  Ref *ref = data;
  DefaultScheduler *ds = ref->ds;
  if (ref->job_gen != ds->job_gen)
    return;
  Region *reg = &ds->regions[ref->index];
  if (reg->gen != ref->token || !reg->waiting_slots)
    return;
  reg->slot_timeout = 0;
  for (int e = 0; e < ds->n_ex; e++)
    if (region_of (ds, e) == ref->index && is_live (ds->ex[e].state)) {
      fail_execution (ds, e, "NoResourceAvailableException: slot request "
                      "timed out (slot.request.timeout)", FALSE);
      return;
    }
}

/* Allocates every shared slot region r needs; deploys when all are there. */
static void
allocate_region (DefaultScheduler *ds, int r)
{
  RsimWorld *w = W (ds);
  Region *reg = &ds->regions[r];
  int missing = 0;
  for (int e = 0; e < ds->n_ex; e++) {
    if (region_of (ds, e) != r)
      continue;
    ds->ex[e].state = EX_SCHEDULED;
    int k = ds->ex[e].shared;
    if (ds->shared_tm[k] >= 0) {
      RsimTaskManager *tm = rsim_cluster_get (w->cluster, ds->shared_tm[k]);
      if (tm && tm->registered)
        continue;             /* sticky: keep the previous slot */
      release_shared (ds, k);
    }
    int tm_id, slot;
    if (find_free_slot (ds, &tm_id, &slot)) {
      ds->shared_tm[k] = tm_id;
      ds->shared_slot[k] = slot;
      rsim_cluster_get (w->cluster, tm_id)->slot_user[slot] = k;
    } else {
      missing++;
    }
  }
  if (missing == 0) {
    if (reg->slot_timeout)
      rsim_engine_cancel (w->engine, reg->slot_timeout);
    reg->slot_timeout = 0;
    reg->waiting_slots = FALSE;
    deploy_region (ds, r);
    return;
  }
  if (!reg->waiting_slots) {
    reg->waiting_slots = TRUE;
    RSIM_LOG (w, "scheduler", "waiting_for_slots",
              "region %d waits for slots: %d shared slot(s) missing "
              "(slot.request.timeout %.0f s)", r, missing,
              RSIM_TIME_TO_SEC (w->conf->slot_request_timeout));
    reg->slot_timeout = rsim_engine_schedule_in (
      w->engine, w->conf->slot_request_timeout, slot_timeout_cb,
      ref_new (ds, r, reg->gen), g_free);
  }
  rsim_cluster_request_slots (w->cluster, rsim_job_graph_slots_needed (w->graph));
}

/* -------------------------------------------------------------- deployment */

/* The snapshot a restore uses now: the latest completed checkpoint of this
 * job, else the state the job was submitted with (§5 "Recovery source"). */
static const RsimSnapshot *
restore_source (DefaultScheduler *ds)
{
  const RsimSnapshot *latest = &W (ds)->checkpoints->latest;
  if (latest->valid)
    return latest;
  return &ds->submitted;
}

static double
snapshot_offset (DefaultScheduler *ds, const RsimSnapshot *snap, int r)
{
  RsimWorld *w = W (ds);
  if (snap->layout == w->layout && r < snap->n_regions)
    return snap->offsets[r];
  return snap->total_offset * w->graph->region_share[r];
}

static void
execution_failed_cb (RsimEngine *engine, gpointer data)
{
  Ref *ref = data;
  DefaultScheduler *ds = ref->ds;
  if (ref->job_gen != ds->job_gen || ds->ex[ref->index].token != ref->token)
    return;
  RsimTaskManager *tm = ex_tm (ds, ref->index);
  rsim__recorder_count_failed_deployment (W (ds)->recorder);
  g_autofree char *cause = g_strdup_printf (
    "deployment to taskmanager %d failed: the TaskManager does not answer",
    tm ? tm->id : -1);
  fail_execution (ds, ref->index, cause, FALSE);
}

static void
region_running_cb (RsimEngine *engine, gpointer data)
{
  Ref *ref = data;
  DefaultScheduler *ds = ref->ds;
  if (ref->job_gen != ds->job_gen)
    return;
  int r = ref->index;
  if (ds->regions[r].gen != ref->token || ds->regions[r].restarting)
    return;
  for (int e = 0; e < ds->n_ex; e++) {
    if (region_of (ds, e) != r)
      continue;
    RsimTaskManager *tm = ex_tm (ds, e);
    if (ds->ex[e].state != EX_INITIALIZING || tm == NULL
        || tm->process != RSIM_TM_RUNNING)
      continue;               /* its failure event will restart the region */
    ds->ex[e].state = EX_RUNNING;
  }
  RSIM_LOG (W (ds), "scheduler", "region_running",
            "region %d running: state restored", r);
  update_up (ds);
}

/* Local recovery (flink-behaviour.md §3.4): a subtask that comes back to the
 * TaskManager it ran on, at the same parallelism, restoring a checkpoint,
 * reads its state from the local copy instead of downloading it. */
static RsimTime
restore_time (DefaultScheduler *ds, int e, const RsimSnapshot *snap, int tm)
{
  RsimWorld *w = W (ds);
  int v, i;
  rsim_job_graph_execution_vertex (w->graph, e, &v, &i);
  int old_p = snap->valid && snap->parallelism ? snap->parallelism[v] : 0;
  gboolean local = w->conf->local_recovery && snap->valid && !snap->savepoint
    && old_p == w->graph->parallelism[v] && ds->ex[e].prev_tm == tm;
  double bytes = snap->valid && !local
    ? rsim_job_graph_restore_bytes (w->graph, v, i, old_p) : 0.0;
  double fixed = rsim_world_cost (w, &w->costs->restore_fixed, "restore_fixed");
  double bw = rsim_world_cost (w, &w->costs->state_download_bandwidth,
                               "state_download_bandwidth");
  double t = fixed + (bw > 0.0 ? bytes / bw * 1e6 : 0.0);
  return (RsimTime) (t + 0.5);
}

static void
deploy_region (DefaultScheduler *ds, int r)
{
  RsimWorld *w = W (ds);
  Region *reg = &ds->regions[r];
  const RsimSnapshot *snap = restore_source (ds);
  /* Sources seek back to the snapshot's offsets. */
  double again = rsim_dataflow_rewind (w->flow, r, snapshot_offset (ds, snap, r));
  if (again > 0.0)
    rsim__recorder_count_reprocessed (w->recorder, again);
  int n = w->graph->region_size[r];
  RsimTime fixed = rsim_world_cost_time (w, &w->costs->deploy_fixed, "deploy_fixed");
  double per = rsim_world_cost (w, &w->costs->deploy_per_task, "deploy_per_task");
  RsimTime deploy = fixed + (RsimTime) (per * n + 0.5);
  RsimTime restore = 0;
  int failing = 0;
  for (int e = 0; e < ds->n_ex; e++) {
    if (region_of (ds, e) != r)
      continue;
    Execution *x = &ds->ex[e];
    x->state = EX_DEPLOYING;
    x->attempt++;
    x->token++;
    if (x->attempt > 1)
      w->recorder->result->task_attempts++;
    RsimTaskManager *tm = ex_tm (ds, e);
    RsimTime fail_after;
    if (!rsim_cluster_rpc (w->cluster, tm, &fail_after)) {
      /* The deploy RPC to a dead TaskManager fails (§4: one try). */
      failing++;
      rsim_engine_schedule_in (w->engine, fixed + fail_after,
                               execution_failed_cb, ref_new (ds, e, x->token),
                               g_free);
      continue;
    }
    x->state = EX_INITIALIZING;
    restore = MAX (restore, restore_time (ds, e, snap, tm->id));
    x->prev_tm = tm->id;
  }
  RSIM_LOG (w, "scheduler", "deploy",
            "region %d: deploying %d task(s) (%.3f s), restoring %s "
            "(%.3f s)%s", r, n, RSIM_TIME_TO_SEC (deploy),
            snap->valid ? (snap->savepoint ? "a savepoint" : "a checkpoint")
                        : "empty state",
            RSIM_TIME_TO_SEC (restore),
            failing ? "; some go to a TaskManager that is gone" : "");
  rsim_engine_schedule_in (w->engine, deploy + restore, region_running_cb,
                           ref_new (ds, r, reg->gen), g_free);
  update_up (ds);
}

/* ---------------------------------------------------------------- failover */

static void do_restart (DefaultScheduler *ds, int r);
static void modify_restore (DefaultScheduler *ds);
static void upgrade_resubmit (DefaultScheduler *ds);
static int taskmanagers_for (RsimWorld *w, const int *parallelism);

static void
maybe_restart (DefaultScheduler *ds, int r)
{
  Region *reg = &ds->regions[r];
  if (reg->restarting && reg->backoff_done && reg->cancel_pending == 0)
    do_restart (ds, r);
}

static void
cancel_done (DefaultScheduler *ds, int e)
{
  Execution *x = &ds->ex[e];
  if (x->state != EX_CANCELING)
    return;
  x->state = EX_CANCELED;
  x->token++;
  int r = region_of (ds, e);
  Region *reg = &ds->regions[r];
  if (reg->cancel_pending > 0)
    reg->cancel_pending--;
  if (ds->status == JOB_FAILING) {
    gboolean any = FALSE;
    for (int i = 0; i < ds->n_ex; i++)
      any |= ds->ex[i].state == EX_CANCELING;
    if (!any) {
      ds->status = JOB_FAILED;
      RSIM_LOG (W (ds), "scheduler", "job_failed", "job FAILED");
    }
    return;
  }
  if (ds->status == JOB_SUSPENDED) {
    gboolean any = FALSE;
    for (int i = 0; i < ds->n_ex; i++)
      any |= ds->ex[i].state == EX_CANCELING;
    if (!any) {
      if (ds->upgrading)
        upgrade_resubmit (ds);
      else
        modify_restore (ds);
    }
    return;
  }
  maybe_restart (ds, r);
}

static void
cancel_done_cb (RsimEngine *engine, gpointer data)
{
  Ref *ref = data;
  DefaultScheduler *ds = ref->ds;
  if (ref->job_gen != ds->job_gen || ds->ex[ref->index].token != ref->token)
    return;
  cancel_done (ds, ref->index);
}

/* Cancels one execution; its cancellation completes later. */
static void
cancel_execution (DefaultScheduler *ds, int e)
{
  RsimWorld *w = W (ds);
  Execution *x = &ds->ex[e];
  int r = region_of (ds, e);
  if (!is_live (x->state)) {
    return;
  }
  RsimTaskManager *tm = ex_tm (ds, e);
  if (x->state == EX_SCHEDULED || tm == NULL || !tm->registered) {
    x->state = EX_CANCELED;
    x->token++;
    return;
  }
  x->state = EX_CANCELING;
  x->token++;
  ds->regions[r].cancel_pending++;
  RsimTime delay, fail_after;
  if (rsim_cluster_rpc (w->cluster, tm, &fail_after))
    delay = rsim_world_cost_time (w, &w->costs->cancel_task, "cancel_task");
  else
    delay = 3 * fail_after;   /* Execution.NUM_CANCEL_CALL_TRIES */
  rsim_engine_schedule_in (w->engine, delay, cancel_done_cb,
                           ref_new (ds, e, x->token), g_free);
}

static void
backoff_cb (RsimEngine *engine, gpointer data)
{
  Ref *ref = data;
  DefaultScheduler *ds = ref->ds;
  if (ref->job_gen != ds->job_gen)
    return;
  Region *reg = &ds->regions[ref->index];
  if (reg->gen != ref->token)
    return;
  reg->backoff_done = TRUE;
  maybe_restart (ds, ref->index);
}

static void
do_restart (DefaultScheduler *ds, int r)
{
  Region *reg = &ds->regions[r];
  reg->restarting = FALSE;
  reg->backoff_done = FALSE;
  if (ds->status == JOB_RESTARTING) {
    ds->status = JOB_RUNNING;
    /* The job is RUNNING again: the checkpoint scheduler restarts
     * (CheckpointCoordinatorDeActivator); 2.3+ waits for all tasks. */
    if (!rsim_rules_has (&W (ds)->rules, RSIM_RULE_CHECKPOINT_AFTER_ALL_RUNNING))
      rsim_checkpoint_start_scheduler (W (ds)->checkpoints);
  }
  RSIM_LOG (W (ds), "scheduler", "restart_region",
            "restarting region %d", r);
  allocate_region (ds, r);
}

static void
fail_job (DefaultScheduler *ds, const char *why)
{
  RsimWorld *w = W (ds);
  RSIM_LOG (w, "scheduler", "job_failing",
            "job FAILING: %s; restart strategy %s gives up", why,
            rsim_restart_strategy_describe (ds->restart));
  ds->status = JOB_FAILING;
  rsim_checkpoint_stop_scheduler (w->checkpoints);
  for (int e = 0; e < ds->n_ex; e++)
    cancel_execution (ds, e);
  gboolean any = FALSE;
  for (int e = 0; e < ds->n_ex; e++)
    any |= ds->ex[e].state == EX_CANCELING;
  if (!any) {
    ds->status = JOB_FAILED;
    RSIM_LOG (w, "scheduler", "job_failed", "job FAILED");
  }
  update_up (ds);
}

static void
fail_execution (DefaultScheduler *ds, int e, const char *cause, gboolean global)
{
  RsimWorld *w = W (ds);
  if (ds->status != JOB_RUNNING && ds->status != JOB_RESTARTING)
    return;
  if (!global && !is_live (ds->ex[e].state))
    return;                   /* already failed or being cancelled */
  int r0 = region_of (ds, e);
  gboolean all = global || w->conf->failover_strategy == RSIM_FAILOVER_FULL;
  if (!all && ds->regions[r0].restarting)
    return;
  rsim_recorder_cause (w->recorder, "%s", cause);
  ds->ex[e].state = EX_FAILED;
  ds->ex[e].token++;
  RsimTime now = now_of (ds);
  RsimRestartDecision d = rsim_restart_strategy_on_failure (ds->restart, now);
  RSIM_LOG (w, "scheduler", "task_failed", "%s", cause);
  if (!d.can_restart) {
    fail_job (ds, cause);
    return;
  }
  if (d.new_attempt)
    rsim__recorder_count_restart (w->recorder, TRUE, FALSE);
  rsim_checkpoint_abort (w->checkpoints, "task failure");
  if (global) {
    ds->status = JOB_RESTARTING;
    rsim_checkpoint_stop_scheduler (w->checkpoints);
  }
  int n_restart = 0;
  for (int r = 0; r < ds->n_regions; r++) {
    if (!all && r != r0)
      continue;
    Region *reg = &ds->regions[r];
    if (reg->restarting && !global)
      continue;
    reg->restarting = TRUE;
    reg->backoff_done = FALSE;
    reg->waiting_slots = FALSE;
    if (reg->slot_timeout)
      rsim_engine_cancel (w->engine, reg->slot_timeout);
    reg->slot_timeout = 0;
    reg->gen++;
    n_restart++;
    for (int i = 0; i < ds->n_ex; i++)
      if (region_of (ds, i) == r)
        cancel_execution (ds, i);
    rsim_engine_schedule_in (w->engine, d.delay, backoff_cb,
                             ref_new (ds, r, reg->gen), g_free);
  }
  RSIM_LOG (w, "scheduler", "failover",
            "%s failover: restarting %d of %d region(s) after a backoff of "
            "%.3f s (%s%s)", global ? "global" : rsim_failover_kind_name (
              w->conf->failover_strategy), n_restart, ds->n_regions,
            RSIM_TIME_TO_SEC (d.delay),
            rsim_restart_strategy_describe (ds->restart),
            d.new_attempt ? "" : "; merged into the pending restart attempt");
  update_up (ds);
}

/* ------------------------------------------------------------- submission */

static void
build_execution_graph (DefaultScheduler *ds)
{
  RsimWorld *w = W (ds);
  RsimJobGraph *g = w->graph;
  for (int k = 0; k < ds->n_shared; k++)
    release_shared (ds, k);
  g_free (ds->ex);
  g_free (ds->regions);
  g_free (ds->ssg_base);
  g_free (ds->shared_tm);
  g_free (ds->shared_slot);
  ds->n_ex = g->n_executions;
  ds->ex = g_new0 (Execution, ds->n_ex);
  ds->n_regions = g->n_regions;
  ds->regions = g_new0 (Region, ds->n_regions);
  ds->ssg_base = g_new0 (int, g->n_ssg + 1);
  int base = 0;
  for (int s = 0; s < g->n_ssg; s++) {
    ds->ssg_base[s] = base;
    int m = 0;
    for (guint v = 0; v < g->n_vertices; v++)
      if (g->ssg[v] == s)
        m = MAX (m, g->parallelism[v]);
    base += m;
  }
  ds->n_shared = base;
  ds->shared_tm = g_new (int, base);
  ds->shared_slot = g_new (int, base);
  for (int k = 0; k < base; k++)
    ds->shared_tm[k] = ds->shared_slot[k] = -1;
  for (guint v = 0; v < g->n_vertices; v++)
    for (int i = 0; i < g->parallelism[v]; i++) {
      int e = rsim_job_graph_execution (g, (int) v, i);
      ds->ex[e].shared = ds->ssg_base[g->ssg[v]] + i;
      ds->ex[e].prev_tm = -1;
    }
  w->layout++;
  rsim_dataflow_set_regions (w->flow, g->n_regions, g->region_share,
                             g->region_capacity);
}

static void
scheduling_start_cb (RsimEngine *engine, gpointer data)
{
  Ref *ref = data;
  DefaultScheduler *ds = ref->ds;
  if (ref->job_gen != ds->job_gen)
    return;
  RsimWorld *w = W (ds);
  ds->status = JOB_RUNNING;
  RSIM_LOG (w, "scheduler", "job_running",
            "job RUNNING: scheduling %d task(s) in %d region(s), %d slot(s) "
            "needed", ds->n_ex, ds->n_regions,
            rsim_job_graph_slots_needed (w->graph));
  if (!rsim_rules_has (&w->rules, RSIM_RULE_CHECKPOINT_AFTER_ALL_RUNNING))
    rsim_checkpoint_start_scheduler (w->checkpoints);
  for (int r = 0; r < ds->n_regions; r++)
    allocate_region (ds, r);
  update_up (ds);
}

/* Submits the job (again): a new incarnation restoring `from` (NULL: empty
 * state at the current offsets), after `delay`. new_job is FALSE for the
 * 1.5-1.8 rescale, which keeps the job and its checkpoints. */
static void
submit (DefaultScheduler *ds, const RsimSnapshot *from, RsimTime delay,
        gboolean new_job)
{
  RsimWorld *w = W (ds);
  ds->job_gen++;
  ds->status = JOB_CREATED;
  build_execution_graph (ds);
  rsim_snapshot_clear (&ds->submitted);
  if (from) {
    rsim_snapshot_copy (&ds->submitted, from);
  } else {
    /* No state: sources start where they are now (offsets as a snapshot
     * that is not a valid state). */
    ds->submitted.total_offset = rsim_dataflow_total_consumed (w->flow);
    ds->submitted.layout = G_MAXUINT;
  }
  if (new_job) {
    rsim_restart_strategy_free (ds->restart);
    ds->restart = rsim_restart_strategy_new (w);
    /* A new job has an empty checkpoint store. */
    rsim_snapshot_clear (&w->checkpoints->latest);
  } else if (from && !rsim_rules_has (&w->rules, RSIM_RULE_FAILOVER_IGNORES_SAVEPOINTS)) {
    /* Before 1.15 a savepoint joins the checkpoint store and may be used for
     * failover (FLINK-25191). */
    rsim_snapshot_clear (&w->checkpoints->latest);
    rsim_snapshot_copy (&w->checkpoints->latest, from);
  }
  double per = rsim_world_cost (w, &w->costs->graph_build_per_task,
                                "graph_build_per_task");
  RsimTime build = (RsimTime) (per * ds->n_ex + 0.5);
  rsim_engine_schedule_in (w->engine, delay + build, scheduling_start_cb,
                           ref_new (ds, 0, 0), g_free);
  update_up (ds);
}

static void
ds_start (RsimScheduler *s)
{
  DefaultScheduler *ds = DS (s);
  RSIM_LOG (s->world, "scheduler", "submit",
            "job submitted to the default scheduler; restart strategy %s, "
            "failover strategy %s", rsim_restart_strategy_describe (ds->restart),
            rsim_failover_kind_name (s->world->conf->failover_strategy));
  submit (ds, NULL, 0, FALSE);
}

/* --------------------------------------------------------- cluster events */

static void
ds_tm_registered (RsimScheduler *s, RsimTaskManager *tm)
{
  DefaultScheduler *ds = DS (s);
  if (ds->status != JOB_RUNNING && ds->status != JOB_RESTARTING)
    return;
  for (int r = 0; r < ds->n_regions; r++)
    if (ds->regions[r].waiting_slots)
      allocate_region (ds, r);
}

static void
ds_tm_lost (RsimScheduler *s, RsimTaskManager *tm, const char *reason)
{
  DefaultScheduler *ds = DS (s);
  g_autofree char *cause = g_strdup_printf ("taskmanager %d lost: %s", tm->id,
                                            reason);
  /* The slot pool fails every task in the TaskManager's slots
   * (JobMaster.disconnectTaskManager -> releaseTaskManager). */
  /* Deployments still in flight to this TaskManager have failed. */
  for (int e = 0; e < ds->n_ex; e++)
    if (ex_tm (ds, e) == tm && ds->ex[e].state == EX_DEPLOYING)
      rsim__recorder_count_failed_deployment (W (ds)->recorder);
  for (int e = 0; e < ds->n_ex; e++) {
    if (ex_tm (ds, e) != tm)
      continue;
    if (ds->ex[e].state == EX_CANCELING)
      cancel_done (ds, e);
    else if (is_live (ds->ex[e].state))
      fail_execution (ds, e, cause, FALSE);
  }
  for (int k = 0; k < ds->n_shared; k++)
    if (ds->shared_tm[k] == tm->id)
      release_shared (ds, k);
  update_up (ds);
  for (int r = 0; r < ds->n_regions; r++)
    if (ds->regions[r].waiting_slots)
      allocate_region (ds, r);
}

typedef struct {
  DefaultScheduler *ds;
  int tm;
  guint job_gen;
} PeerRef;

static void
peer_failure_cb (RsimEngine *engine, gpointer data)
{
  PeerRef *ref = data;
  DefaultScheduler *ds = ref->ds;
  if (ref->job_gen != ds->job_gen)
    return;
  /* Network channels to the dead TaskManager break: a connected task on a
   * live TaskManager fails. In a pipelined region every task is connected
   * to the others through the region's edges. */
  for (int r = 0; r < ds->n_regions; r++) {
    gboolean touches = FALSE;
    int peer = -1;
    for (int e = 0; e < ds->n_ex; e++) {
      if (region_of (ds, e) != r || !is_live (ds->ex[e].state))
        continue;
      RsimTaskManager *t = ex_tm (ds, e);
      if (t && t->id == ref->tm)
        touches = TRUE;
      else if (t && t->process == RSIM_TM_RUNNING && peer < 0)
        peer = e;
    }
    if (touches && peer >= 0) {
      g_autofree char *cause = g_strdup_printf (
        "connection to taskmanager %d lost: a peer task failed", ref->tm);
      fail_execution (ds, peer, cause, FALSE);
    }
  }
}

static void
ds_tm_died (RsimScheduler *s, RsimTaskManager *tm)
{
  DefaultScheduler *ds = DS (s);
  RsimWorld *w = s->world;
  rsim_recorder_cause (w->recorder, "taskmanager %d %s", tm->id,
                       tm->process == RSIM_TM_HUNG ? "hung"
                       : tm->process == RSIM_TM_STOPPED ? "stopped"
                       : "killed");
  update_up (ds);
  if (tm->process == RSIM_TM_HUNG)
    return;                   /* connections stay open: nobody notices */
  PeerRef *ref = g_new (PeerRef, 1);
  ref->ds = ds;
  ref->tm = tm->id;
  ref->job_gen = ds->job_gen;
  rsim_engine_schedule_in (w->engine,
                           rsim_world_cost_time (w, &w->costs->peer_failure_detection,
                                                 "peer_failure_detection"),
                           peer_failure_cb, ref, g_free);
}

/* -------------------------------------------------------- timeline actions */

static void
ds_fail_task (RsimScheduler *s, int vertex, int subtask)
{
  DefaultScheduler *ds = DS (s);
  RsimJobGraph *g = s->world->graph;
  if (subtask >= g->parallelism[vertex] || ds->ex == NULL) {
    RSIM_LOG (s->world, "timeline", "ignored",
              "fail_task: vertex %s has no subtask %d now",
              g->spec.vertices[vertex].name, subtask);
    return;
  }
  int e = rsim_job_graph_execution (g, vertex, subtask);
  g_autofree char *cause = g_strdup_printf ("task %s (%d/%d) failed",
                                            g->spec.vertices[vertex].name,
                                            subtask + 1, g->parallelism[vertex]);
  if (!is_live (ds->ex[e].state)) {
    RSIM_LOG (s->world, "timeline", "ignored", "%s: task not running", cause);
    return;
  }
  fail_execution (ds, e, cause, FALSE);
}

static void
release_all (DefaultScheduler *ds, ExState final)
{
  for (int e = 0; e < ds->n_ex; e++) {
    ds->ex[e].state = final;
    ds->ex[e].token++;
  }
  for (int k = 0; k < ds->n_shared; k++)
    release_shared (ds, k);
}

static void
resubmit_cb (RsimEngine *engine, gpointer data)
{
  DefaultScheduler *ds = data;
  RsimWorld *w = W (ds);
  rsim_job_graph_set_parallelism (w->graph, ds->next_parallelism);
  g_clear_pointer (&ds->next_parallelism, g_free);
  RsimSnapshot from = { 0 };
  rsim_snapshot_copy (&from, &ds->submitted);
  rsim__recorder_count_rescale (w->recorder);
  if (from.valid)
    RSIM_LOG (w, "scheduler", "resubmit",
              "job resubmitted from %s %" G_GUINT64_FORMAT " as a new job",
              from.savepoint ? "savepoint" : "checkpoint", from.id);
  else
    RSIM_LOG (w, "scheduler", "resubmit",
              "job resubmitted from empty state as a new job");
  submit (ds, &from, 0, TRUE);
  rsim_snapshot_clear (&from);
}

static gboolean
refuse_if_busy (DefaultScheduler *ds, const char *what)
{
  RsimWorld *w = W (ds);
  if (ds->stopping || ds->modifying || ds->upgrading) {
    RSIM_LOG (w, "scheduler", "refused",
              "%s refused: another savepoint operation is in progress", what);
    return TRUE;
  }
  if (ds->status != JOB_RUNNING || !all_up (ds)) {
    RSIM_LOG (w, "scheduler", "refused",
              "%s refused: not all tasks are RUNNING (job %s)", what,
              job_status_names[ds->status]);
    return TRUE;
  }
  return FALSE;
}

static void
ds_stop_with_savepoint (RsimScheduler *s, const int *parallelism)
{
  DefaultScheduler *ds = DS (s);
  RsimWorld *w = s->world;
  if (refuse_if_busy (ds, "stop-with-savepoint"))
    return;
  ds->stopping = TRUE;
  ds->resubmit = parallelism != NULL;
  g_free (ds->next_parallelism);
  ds->next_parallelism = parallelism
    ? g_memdup2 (parallelism, sizeof (int) * w->graph->n_vertices) : NULL;
  rsim_recorder_cause (w->recorder, "stop-with-savepoint%s",
                       ds->resubmit ? " and resubmit" : "");
  /* The checkpoint scheduler stops; the synchronous savepoint's barrier
   * stops the sources (§5). */
  rsim_checkpoint_stop_scheduler (w->checkpoints);
  ds->paused = TRUE;
  RSIM_LOG (w, "scheduler", "stop_with_savepoint",
            "stop-with-savepoint: sources stop at the savepoint barrier%s",
            ds->resubmit ? "; the job is resubmitted from it afterwards" : "");
  update_up (ds);
  rsim_checkpoint_trigger_savepoint (w->checkpoints);
}

static void
modify_restore (DefaultScheduler *ds)
{
  RsimWorld *w = W (ds);
  rsim_job_graph_set_parallelism (w->graph, ds->next_parallelism);
  g_clear_pointer (&ds->next_parallelism, g_free);
  RsimSnapshot from = { 0 };
  rsim_snapshot_copy (&from, &ds->submitted);
  ds->modifying = FALSE;
  rsim__recorder_count_rescale (w->recorder);
  RSIM_LOG (w, "scheduler", "rescale_restore",
            "rescaling: restoring the new execution graph from savepoint %"
            G_GUINT64_FORMAT, from.id);
  for (int k = 0; k < ds->n_shared; k++)
    release_shared (ds, k);
  submit (ds, &from, 0, FALSE);
  rsim_snapshot_clear (&from);
}

/* Cancels every task for an upgrade; the new job restores `from` (NULL:
 * empty state) once all are cancelled. */
static void
upgrade_cancel (DefaultScheduler *ds, const RsimSnapshot *from)
{
  RsimWorld *w = W (ds);
  rsim__upgrade_set_restore (w, &ds->submitted, from);
  rsim_checkpoint_stop_scheduler (w->checkpoints);
  rsim_checkpoint_abort (w->checkpoints, "job cancelled for an upgrade");
  ds->status = JOB_SUSPENDED;
  for (int e = 0; e < ds->n_ex; e++)
    cancel_execution (ds, e);
  update_up (ds);
  gboolean any = FALSE;
  for (int e = 0; e < ds->n_ex; e++)
    any |= ds->ex[e].state == EX_CANCELING;
  if (!any)
    upgrade_resubmit (ds);
}

/* Every task of the old job is cancelled: the platform submits the new
 * job after the submission cost. */
static void
upgrade_resubmit (DefaultScheduler *ds)
{
  RsimWorld *w = W (ds);
  ds->upgrading = FALSE;
  release_all (ds, EX_CANCELED);
  rsim__upgrade_note_discard (w, &ds->submitted, ds->upgrade_how);
  RsimTime d = rsim_world_cost_time (w, &w->costs->job_submit, "job_submit");
  RSIM_LOG (w, "scheduler", "job_cancelled",
            "job CANCELED for the upgrade; the new job is submitted in "
            "%.3f s", RSIM_TIME_TO_SEC (d));
  rsim_engine_schedule_in (w->engine, d, resubmit_cb, ds, NULL);
}

static void
savepoint_done (gpointer user, gboolean ok, const RsimSnapshot *snap)
{
  DefaultScheduler *ds = user;
  RsimWorld *w = W (ds);
  if ((ds->stopping || ds->upgrading) && !ok && ds->savepoint_retries > 0) {
    ds->savepoint_retries--;
    RSIM_LOG (w, "scheduler", "savepoint_retry",
              "the savepoint failed; trying again (%d more attempt(s) after "
              "this one)", ds->savepoint_retries);
    rsim_checkpoint_trigger_savepoint (w->checkpoints);
    return;
  }
  if (ds->upgrading) {
    if (!ok) {
      ds->upgrading = FALSE;
      g_clear_pointer (&ds->next_parallelism, g_free);
      RSIM_LOG (w, "scheduler", "upgrade_aborted",
                "upgrade aborted: the savepoint failed after its retries; "
                "the job keeps running at its parallelism");
      rsim_checkpoint_start_scheduler (w->checkpoints);
      ds->scale_target_tms = taskmanagers_for (w, w->graph->parallelism);
      stop_idle_taskmanagers (ds);
      update_up (ds);
      return;
    }
    RSIM_LOG (w, "scheduler", "upgrade_cancel",
              "savepoint %" G_GUINT64_FORMAT " done: cancelling the job for "
              "the upgrade", snap->id);
    upgrade_cancel (ds, snap);
    return;
  }
  if (ds->stopping) {
    ds->stopping = FALSE;
    if (!ok) {
      ds->paused = FALSE;
      g_clear_pointer (&ds->next_parallelism, g_free);
      ds->scale_target_tms = 0;
      RSIM_LOG (w, "scheduler", "stop_failed",
                "stop-with-savepoint failed: the job keeps running at its "
                "parallelism");
      rsim_checkpoint_start_scheduler (w->checkpoints);
      update_up (ds);
      return;
    }
    ds->paused = FALSE;
    release_all (ds, EX_FINISHED);
    ds->status = JOB_FINISHED;
    rsim_snapshot_clear (&ds->submitted);
    rsim_snapshot_copy (&ds->submitted, snap);
    update_up (ds);
    if (!ds->resubmit) {
      rsim_dataflow_set_should_run (w->flow, FALSE);
      RSIM_LOG (w, "scheduler", "job_finished",
                "job FINISHED after savepoint %" G_GUINT64_FORMAT, snap->id);
      return;
    }
    RsimTime d = rsim_world_cost_time (w, &w->costs->job_submit, "job_submit");
    RSIM_LOG (w, "scheduler", "job_finished",
              "job FINISHED after savepoint %" G_GUINT64_FORMAT
              "; resubmitting in %.3f s", snap->id, RSIM_TIME_TO_SEC (d));
    rsim_engine_schedule_in (w->engine, d, resubmit_cb, ds, NULL);
    return;
  }
  if (ds->modifying) {
    if (!ok) {
      ds->modifying = FALSE;
      g_clear_pointer (&ds->next_parallelism, g_free);
      RSIM_LOG (w, "scheduler", "rescale_aborted",
                "rescaling aborted: the savepoint failed; the job keeps "
                "running at its parallelism");
      rsim_checkpoint_start_scheduler (w->checkpoints);
      return;
    }
    rsim_snapshot_clear (&ds->submitted);
    rsim_snapshot_copy (&ds->submitted, snap);
    rsim_recorder_cause (w->recorder, "flink modify (rescale)");
    RSIM_LOG (w, "scheduler", "rescale_suspend",
              "rescaling: savepoint %" G_GUINT64_FORMAT " done, suspending "
              "the old execution graph", snap->id);
    ds->status = JOB_SUSPENDED;
    for (int e = 0; e < ds->n_ex; e++)
      cancel_execution (ds, e);
    update_up (ds);
    gboolean any = FALSE;
    for (int e = 0; e < ds->n_ex; e++)
      any |= ds->ex[e].state == EX_CANCELING;
    if (!any)
      modify_restore (ds);
  }
}

static void
ds_flink_modify (RsimScheduler *s, const int *parallelism)
{
  DefaultScheduler *ds = DS (s);
  RsimWorld *w = s->world;
  if (rsim_rules_has (&w->rules, RSIM_RULE_RESCALE_REST_DISABLED)) {
    /* FLINK-12312: the REST handler answers 503 from 1.9 on. */
    RSIM_LOG (w, "scheduler", "refused",
              "flink modify refused: HTTP 503 \"Rescaling is temporarily "
              "disabled. See FLINK-12312.\" (Flink 1.9+)");
    return;
  }
  if (refuse_if_busy (ds, "flink modify"))
    return;
  ds->modifying = TRUE;
  g_free (ds->next_parallelism);
  ds->next_parallelism = g_memdup2 (parallelism,
                                    sizeof (int) * w->graph->n_vertices);
  rsim_checkpoint_stop_scheduler (w->checkpoints);
  RSIM_LOG (w, "scheduler", "rescale",
            "flink modify: taking a savepoint while the job runs "
            "(JobMaster.rescaleOperators)");
  rsim_checkpoint_trigger_savepoint (w->checkpoints);
}

static int
taskmanagers_for (RsimWorld *w, const int *parallelism)
{
  return rsim_cluster_taskmanagers_for (
    w->cluster, rsim_job_graph_slots_for (w->graph, parallelism));
}

static void
stop_idle_taskmanagers (DefaultScheduler *ds)
{
  int target = ds->scale_target_tms;
  ds->scale_target_tms = 0;
  rsim_cluster_stop_idle (W (ds)->cluster, target);
}

static void
ds_scale (RsimScheduler *s, const int *parallelism)
{
  DefaultScheduler *ds = DS (s);
  RsimWorld *w = s->world;
  if (refuse_if_busy (ds, "scale (stop-with-savepoint and resubmit)"))
    return;
  int need = taskmanagers_for (w, parallelism);
  RSIM_LOG (w, "scheduler", "scale",
            "scale with the default scheduler: stop-with-savepoint, then "
            "resubmit at the new parallelism on %d TaskManager(s)", need);
  if (w->cluster->rm_mode == RSIM_RM_STANDALONE)
    rsim_cluster_start_up_to (w->cluster, need, "scale");
  ds->scale_target_tms = need;
  ds_stop_with_savepoint (s, parallelism);
  if (!ds->stopping)
    ds->scale_target_tms = 0;
}

static void
ds_upgrade (RsimScheduler *s, const int *parallelism, RsimUpgradeHow how,
            int savepoint_retries)
{
  DefaultScheduler *ds = DS (s);
  RsimWorld *w = s->world;
  if (refuse_if_busy (ds, "upgrade"))
    return;
  ds->savepoint_retries = MAX (savepoint_retries, 0);
  if (how == RSIM_UPGRADE_STOP_WITH_SAVEPOINT) {
    ds_scale (s, parallelism);
    return;
  }
  int need = taskmanagers_for (w, parallelism);
  if (w->cluster->rm_mode == RSIM_RM_STANDALONE)
    rsim_cluster_start_up_to (w->cluster, need, "upgrade");
  ds->scale_target_tms = need;
  ds->upgrading = TRUE;
  ds->upgrade_how = how;
  g_free (ds->next_parallelism);
  ds->next_parallelism = g_memdup2 (parallelism,
                                    sizeof (int) * w->graph->n_vertices);
  rsim_recorder_cause (w->recorder, "upgrade");
  if (how == RSIM_UPGRADE_SAVEPOINT_THEN_CANCEL) {
    RSIM_LOG (w, "scheduler", "upgrade",
              "upgrade: taking a savepoint while the job runs, then "
              "cancelling it");
    rsim_checkpoint_stop_scheduler (w->checkpoints);
    rsim_checkpoint_trigger_savepoint (w->checkpoints);
    return;
  }
  const RsimSnapshot *from = rsim__upgrade_restore_snapshot (w, how,
                                                             &ds->submitted);
  RSIM_LOG (w, "scheduler", "upgrade",
            "upgrade: cancelling the job; the new job restores %s",
            from ? (from->savepoint ? "the latest savepoint"
                                    : "the latest checkpoint")
                 : "nothing (empty state)");
  upgrade_cancel (ds, from);
}

/* ------------------------------------------------------------ inspection */

static const char *
ds_job_state (RsimScheduler *s)
{
  return job_status_names[DS (s)->status];
}

static int
ds_deployed_parallelism (RsimScheduler *s, int vertex)
{
  DefaultScheduler *ds = DS (s);
  if (ds->status == JOB_FINISHED || ds->status == JOB_FAILED
      || ds->status == JOB_CREATED)
    return 0;
  return s->world->graph->parallelism[vertex];
}

static gboolean
all_running_cb (gpointer user)
{
  DefaultScheduler *ds = user;
  if (ds->status != JOB_RUNNING)
    return FALSE;
  for (int e = 0; e < ds->n_ex; e++)
    if (ds->ex[e].state != EX_RUNNING)
      return FALSE;
  return TRUE;
}

static void
tolerance_exceeded (gpointer user, const char *reason)
{
  DefaultScheduler *ds = user;
  if (ds->n_ex == 0)
    return;
  rsim_recorder_cause (W (ds)->recorder, "checkpoint failure");
  /* CheckpointFailureManager fails the job globally (failGlobal). */
  fail_execution (ds, 0, reason, TRUE);
}

static void
ds_free (RsimScheduler *s)
{
  DefaultScheduler *ds = DS (s);
  rsim_restart_strategy_free (ds->restart);
  rsim_snapshot_clear (&ds->submitted);
  g_free (ds->ex);
  g_free (ds->regions);
  g_free (ds->ssg_base);
  g_free (ds->shared_tm);
  g_free (ds->shared_slot);
  g_free (ds->next_parallelism);
  g_free (ds);
}

static const RsimSchedulerClass default_class = {
  .name = "default",
  .start = ds_start,
  .free = ds_free,
  .tm_registered = ds_tm_registered,
  .tm_lost = ds_tm_lost,
  .tm_died = ds_tm_died,
  .fail_task = ds_fail_task,
  .stop_with_savepoint = ds_stop_with_savepoint,
  .flink_modify = ds_flink_modify,
  .scale = ds_scale,
  .upgrade = ds_upgrade,
  .job_state = ds_job_state,
  .deployed_parallelism = ds_deployed_parallelism,
};

RsimScheduler *
rsim_default_scheduler_new (RsimWorld *world)
{
  DefaultScheduler *ds = g_new0 (DefaultScheduler, 1);
  ds->parent.klass = &default_class;
  ds->parent.world = world;
  ds->restart = rsim_restart_strategy_new (world);
  RsimCheckpointCoordinator *cc = world->checkpoints;
  cc->listener.savepoint_done = savepoint_done;
  cc->listener.tolerance_exceeded = tolerance_exceeded;
  cc->listener_user = ds;
  cc->all_running = all_running_cb;
  return &ds->parent;
}
