/* The default scheduler (DefaultScheduler): per-region failover with a
 * restart strategy, slot requests, and the ways its users rescale.
 *
 * Sources: flink-runtime/src/main/java/org/apache/flink/runtime/scheduler/
 * DefaultScheduler.java (restartTasksWithDelay), executiongraph/failover/
 * RestartPipelinedRegionFailoverStrategy.java, RestartAllFailoverStrategy.java,
 * ExecutionFailureHandler.java, jobmaster/slotpool/; docs/flink-versions.md
 * lists what changed per version, with tickets.
 *
 * Failover timeline (DefaultScheduler.restartTasksWithDelay): a failure picks the regions to restart (the
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
 * Executions, their slots, deployment, restore, cancellation and the
 * reactions to a lost or dead TaskManager are the shared execution-graph
 * core's (execution.h); this file keeps the policy. A region is up
 * (processes records) when it is not restarting, all its executions are
 * RUNNING, and all of them sit on TaskManagers whose process runs.
 *
 * Rescaling: stop-with-savepoint (sources stop at the savepoint's
 * barrier, the job FINISHES when it completes, a failed savepoint lets the
 * job go on before 1.15 and fails every task from 1.15, FLINK-23532) then
 * a resubmission from the savepoint at the new parallelism
 * (a new job: new restart strategy state, empty checkpoint store), and on
 * 1.5-1.8 `flink modify` (JobMaster.rescaleOperators: a savepoint while the
 * job runs, then the job is suspended and restored from it at the new
 * parallelism; a failed savepoint aborts the rescale; 1.9+ answers HTTP 503,
 * FLINK-12312). */
#include "sched/sched.h"

#include <string.h>

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
  RsimJobStatus status;
  guint job_gen;               /* job incarnation (resubmission = new job) */
  Region *regions;
  int n_regions;
  gboolean paused;             /* sources stopped for a synchronous savepoint */
  gboolean stopping;           /* stop-with-savepoint in progress */
  gboolean modifying;          /* flink modify in progress */
  gboolean upgrading;          /* a platform's cancel-based upgrade */
  int *next_parallelism;       /* resubmit / modify target, or NULL */
  gboolean resubmit;
} DefaultScheduler;

#define DS(s) ((DefaultScheduler *) (s))

static RsimWorld *
W (DefaultScheduler *ds)
{
  return ds->parent.world;
}

static RsimExecGraph *
EG (DefaultScheduler *ds)
{
  return ds->parent.eg;
}

static RsimTime
now_of (DefaultScheduler *ds)
{
  return rsim_engine_now (W (ds)->engine);
}

typedef struct {
  DefaultScheduler *ds;
  int index;                   /* region */
  guint token;                 /* region gen */
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

static int
region_of (DefaultScheduler *ds, int e)
{
  return rsim_exec_graph_region (EG (ds), e);
}

/* ------------------------------------------------------------ availability */

static gboolean
region_up (DefaultScheduler *ds, int r)
{
  const Region *reg = &ds->regions[r];
  if (reg->restarting || reg->waiting_slots || ds->paused)
    return FALSE;
  if (ds->status != RSIM_JOB_RUNNING)
    return FALSE;
  return rsim_exec_graph_region_running (EG (ds), r);
}

static gboolean
all_up (DefaultScheduler *ds)
{
  for (int r = 0; r < ds->n_regions; r++)
    if (!region_up (ds, r))
      return FALSE;
  return ds->n_regions > 0;
}

static void
update_up (DefaultScheduler *ds)
{
  RsimWorld *w = W (ds);
  gboolean *up = g_new0 (gboolean, MAX (ds->n_regions, 1));
  for (int r = 0; r < ds->n_regions; r++)
    up[r] = region_up (ds, r);
  rsim__sched_publish_up (&ds->parent, up, ds->n_regions);
  g_free (up);
  rsim__recorder_job_status (w->recorder, ds->status);
}

/* ------------------------------------------------------------------ slots */

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
  RsimExecGraph *eg = EG (ds);
  for (int e = 0; e < eg->n_ex; e++)
    if (region_of (ds, e) == ref->index
        && rsim_exec_state_is_live (eg->ex[e].state)) {
      rsim_exec_graph_fail (eg, e, "NoResourceAvailableException: slot "
                            "request timed out (slot.request.timeout)");
      return;
    }
}

/* Allocates every shared slot region r needs (a slot kept from the previous
 * attempt is preferred); deploys when all are there. */
static void
allocate_region (DefaultScheduler *ds, int r)
{
  RsimWorld *w = W (ds);
  RsimExecGraph *eg = EG (ds);
  Region *reg = &ds->regions[r];
  int missing = 0;
  gboolean *counted = g_new0 (gboolean, MAX (eg->n_shared, 1));
  const RsimJobGraph *g = w->graph;
  for (int m = g->region_start[r]; m < g->region_start[r + 1]; m++) {
    int e = g->region_members[m];
    rsim_exec_graph_set_state (eg, e, RSIM_EXEC_SCHEDULED);
    int k = eg->ex[e].shared;
    if (!rsim_exec_graph_ensure_slot (eg, k) && !counted[k]) {
      counted[k] = TRUE;
      missing++;
    }
  }
  g_free (counted);
  if (missing == 0) {
    /* The job's declared need follows its parallelism (a smaller job
     * lets the resource manager release what it no longer uses). */
    rsim_cluster_request_slots (w->cluster,
                                rsim_job_graph_slots_needed (w->graph));
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

static void
deploy_region (DefaultScheduler *ds, int r)
{
  RsimWorld *w = W (ds);
  const RsimSnapshot *snap = rsim__sched_restore_source (&ds->parent);
  RsimDeployInfo d = rsim_exec_graph_deploy (EG (ds), r, snap, r);
  RSIM_LOG (w, "scheduler", "deploy",
            "region %d: deploying %d task(s) (%.3f s), restoring %s "
            "(%.3f s)%s", r, d.n_tasks, RSIM_TIME_TO_SEC (d.deploy),
            snap->valid ? (snap->savepoint ? "a savepoint" : "a checkpoint")
                        : "empty state",
            RSIM_TIME_TO_SEC (d.restore),
            d.n_failing ? "; some go to a TaskManager that is gone" : "");
  update_up (ds);
}

/* The core's word that region r's tasks restored their state. */
static void
exec_restored (gpointer user, int r, int n_running, int n_missing)
{
  DefaultScheduler *ds = user;
  if (ds->regions[r].restarting)
    return;
  if (n_missing == 0)
    RSIM_LOG (W (ds), "scheduler", "region_running",
              "region %d running: state restored", r);
  else
    RSIM_LOG (W (ds), "scheduler", "region_running",
              "region %d: %d task(s) restored their state, %d sit on a "
              "TaskManager that is gone", r, n_running, n_missing);
  update_up (ds);
}

/* ---------------------------------------------------------------- failover */

static void do_restart (DefaultScheduler *ds, int r);
static void modify_restore (DefaultScheduler *ds);
static void upgrade_resubmit (DefaultScheduler *ds);

static void
maybe_restart (DefaultScheduler *ds, int r)
{
  Region *reg = &ds->regions[r];
  if (reg->restarting && reg->backoff_done && reg->cancel_pending == 0)
    do_restart (ds, r);
}

static gboolean
none_canceling (DefaultScheduler *ds)
{
  return rsim_exec_graph_count (EG (ds), RSIM_EXEC_CANCELING) == 0;
}

static void
exec_cancelled (gpointer user, int e)
{
  DefaultScheduler *ds = user;
  int r = region_of (ds, e);
  Region *reg = &ds->regions[r];
  if (reg->cancel_pending > 0)
    reg->cancel_pending--;
  if (ds->status == RSIM_JOB_FAILING) {
    if (none_canceling (ds)) {
      ds->status = RSIM_JOB_FAILED;
      RSIM_LOG (W (ds), "scheduler", "job_failed", "job FAILED");
    }
    return;
  }
  if (ds->status == RSIM_JOB_SUSPENDED || ds->status == RSIM_JOB_CANCELLING) {
    if (none_canceling (ds)) {
      if (ds->upgrading)
        upgrade_resubmit (ds);
      else
        modify_restore (ds);
    }
    return;
  }
  maybe_restart (ds, r);
}

/* Cancels one execution; its cancellation may complete later. */
static void
cancel_execution (DefaultScheduler *ds, int e)
{
  if (rsim_exec_graph_cancel (EG (ds), e))
    ds->regions[region_of (ds, e)].cancel_pending++;
}

static void
cancel_all (DefaultScheduler *ds)
{
  for (int e = 0; e < EG (ds)->n_ex; e++)
    cancel_execution (ds, e);
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
  if (ds->status == RSIM_JOB_RESTARTING) {
    ds->status = RSIM_JOB_RUNNING;
    /* The job is RUNNING again: the checkpoint scheduler restarts
     * (CheckpointCoordinatorDeActivator). */
    rsim_checkpoint_start_scheduler (W (ds)->checkpoints);
  }
  RSIM_LOG (W (ds), "scheduler", "restart_region", "restarting region %d", r);
  allocate_region (ds, r);
}

static void
fail_job (DefaultScheduler *ds, const char *why)
{
  RsimWorld *w = W (ds);
  RSIM_LOG (w, "scheduler", "job_failing",
            "job FAILING: %s; restart strategy %s gives up", why,
            rsim_restart_strategy_describe (ds->parent.restart));
  ds->status = RSIM_JOB_FAILING;
  rsim_checkpoint_stop_scheduler (w->checkpoints);
  cancel_all (ds);
  if (none_canceling (ds)) {
    ds->status = RSIM_JOB_FAILED;
    RSIM_LOG (w, "scheduler", "job_failed", "job FAILED");
  }
  update_up (ds);
}

/* A task failure (the execution e is FAILED already) or, when `global`, a
 * global failure (e unused): the failover strategy picks the regions to
 * restart, the restart strategy the backoff. */
static void
fail_execution (DefaultScheduler *ds, int e, const char *cause, gboolean global)
{
  RsimWorld *w = W (ds);
  if (ds->status != RSIM_JOB_RUNNING && ds->status != RSIM_JOB_RESTARTING)
    return;
  int r0 = global ? -1 : region_of (ds, e);
  gboolean all = global || w->conf->failover_strategy == RSIM_FAILOVER_FULL;
  if (!all && ds->regions[r0].restarting)
    return;
  /* The outage starts with the failure: processing stops before the
   * restart is counted, so the incident carries it. */
  rsim_recorder_cause (w->recorder, "%s", cause);
  update_up (ds);
  RsimRestartDecision d = rsim_restart_strategy_on_failure (ds->parent.restart,
                                                            now_of (ds));
  RSIM_LOG (w, "scheduler", "task_failed", "%s", cause);
  if (!d.can_restart) {
    fail_job (ds, cause);
    return;
  }
  if (d.new_attempt)
    rsim__recorder_count_restart (w->recorder, TRUE, FALSE);
  rsim_checkpoint_abort (w->checkpoints, "task failure");
  if (global) {
    ds->status = RSIM_JOB_RESTARTING;
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
    for (int i = 0; i < EG (ds)->n_ex; i++)
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
            rsim_restart_strategy_describe (ds->parent.restart),
            d.new_attempt ? "" : "; merged into the pending restart attempt");
  update_up (ds);
}

static void
exec_failed (gpointer user, int e, const char *cause)
{
  fail_execution (user, e, cause, FALSE);
}

/* ------------------------------------------------------------- submission */

static void
scheduling_start_cb (RsimEngine *engine, gpointer data)
{
  Ref *ref = data;
  DefaultScheduler *ds = ref->ds;
  if (ref->job_gen != ds->job_gen)
    return;
  RsimWorld *w = W (ds);
  ds->status = RSIM_JOB_RUNNING;
  RSIM_LOG (w, "scheduler", "job_running",
            "job RUNNING: scheduling %d task(s) in %d region(s), %d slot(s) "
            "needed", EG (ds)->n_ex, ds->n_regions,
            rsim_job_graph_slots_needed (w->graph));
  rsim_checkpoint_start_scheduler (w->checkpoints);
  for (int r = 0; r < ds->n_regions; r++)
    allocate_region (ds, r);
  update_up (ds);
}

/* Submits the job (again): a new incarnation restoring `from` (NULL: empty
 * state at the current offsets), after `delay`. new_job is FALSE for the
 * 1.5-1.8 rescale, which keeps the job, its restart strategy and its
 * checkpoints. */
static void
submit (DefaultScheduler *ds, const RsimSnapshot *from, RsimTime delay,
        gboolean new_job)
{
  RsimWorld *w = W (ds);
  ds->job_gen++;
  ds->status = RSIM_JOB_CREATED;
  rsim_exec_graph_build (EG (ds));
  g_free (ds->regions);
  ds->n_regions = w->graph->n_regions;
  ds->regions = g_new0 (Region, MAX (ds->n_regions, 1));
  if (new_job) {
    rsim__sched_new_job (&ds->parent, from);
  } else {
    rsim__upgrade_set_restore (w, &ds->parent.submitted, from);
    if (from && !rsim_rules_has (&w->rules, RSIM_RULE_FAILOVER_IGNORES_SAVEPOINTS)) {
      /* Before 1.15 a savepoint joins the checkpoint store and may be used
       * for failover (FLINK-25191). */
      rsim_snapshot_clear (&w->checkpoints->latest);
      rsim_snapshot_copy (&w->checkpoints->latest, from);
    }
  }
  double per = rsim_world_cost (w, &w->costs->graph_build_per_task,
                                "graph_build_per_task");
  RsimTime build = (RsimTime) (per * EG (ds)->n_ex + 0.5);
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
            "failover strategy %s", rsim_restart_strategy_describe (s->restart),
            rsim_failover_kind_name (s->world->conf->failover_strategy));
  submit (ds, NULL, 0, TRUE);
}

/* --------------------------------------------------------- cluster events */

static void
allocate_waiting (DefaultScheduler *ds)
{
  for (int r = 0; r < ds->n_regions; r++)
    if (ds->regions[r].waiting_slots)
      allocate_region (ds, r);
}

static void
ds_tm_registered (RsimScheduler *s, RsimTaskManager *tm)
{
  DefaultScheduler *ds = DS (s);
  if (ds->status == RSIM_JOB_RUNNING || ds->status == RSIM_JOB_RESTARTING)
    allocate_waiting (ds);
}

static void
ds_tm_lost (RsimScheduler *s, RsimTaskManager *tm, const char *reason)
{
  DefaultScheduler *ds = DS (s);
  rsim_exec_graph_tm_lost (s->eg, tm, reason);
  update_up (ds);
  allocate_waiting (ds);
}

static void
ds_tm_died (RsimScheduler *s, RsimTaskManager *tm)
{
  DefaultScheduler *ds = DS (s);
  rsim_recorder_cause (s->world->recorder, "taskmanager %d %s", tm->id,
                       tm->process == RSIM_TM_HUNG ? "hung"
                       : tm->process == RSIM_TM_STOPPED ? "stopped"
                       : "killed");
  update_up (ds);
  rsim_exec_graph_tm_died (s->eg, tm);
}

/* -------------------------------------------------------- timeline actions */

static void
release_all (DefaultScheduler *ds, RsimExecState final)
{
  rsim_exec_graph_set_all (EG (ds), final);
  rsim_exec_graph_release_slots (EG (ds));
}

static void
resubmit_cb (RsimEngine *engine, gpointer data)
{
  DefaultScheduler *ds = data;
  RsimWorld *w = W (ds);
  rsim_job_graph_set_parallelism (w->graph, ds->next_parallelism);
  g_clear_pointer (&ds->next_parallelism, g_free);
  RsimSnapshot from = { 0 };
  rsim_snapshot_copy (&from, &ds->parent.submitted);
  rsim__sched_log_resubmit (&ds->parent, &from);
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
  if (ds->status != RSIM_JOB_RUNNING || !all_up (ds)) {
    RSIM_LOG (w, "scheduler", "refused",
              "%s refused: not all tasks are RUNNING (job %s)", what,
              rsim_job_status_name (ds->status));
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
   * stops the sources (stop-with-savepoint, FLIP-34). */
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
  rsim_snapshot_copy (&from, &ds->parent.submitted);
  ds->modifying = FALSE;
  rsim__recorder_count_rescale (w->recorder);
  RSIM_LOG (w, "scheduler", "rescale_restore",
            "rescaling: restoring the new execution graph from savepoint %"
            G_GUINT64_FORMAT, from.id);
  submit (ds, &from, 0, FALSE);
  rsim_snapshot_clear (&from);
}

/* Cancels every task (the job is CANCELLING for an upgrade, SUSPENDED for
 * the 1.5-1.8 rescale); once all are cancelled the upgrade or the rescale
 * goes on. */
static void
suspend (DefaultScheduler *ds)
{
  ds->status = ds->upgrading ? RSIM_JOB_CANCELLING : RSIM_JOB_SUSPENDED;
  cancel_all (ds);
  update_up (ds);
  if (none_canceling (ds)) {
    if (ds->upgrading)
      upgrade_resubmit (ds);
    else
      modify_restore (ds);
  }
}

/* Cancels every task for an upgrade; the new job restores `from` (NULL:
 * empty state) once all are cancelled. */
static void
upgrade_cancel (DefaultScheduler *ds, const RsimSnapshot *from)
{
  RsimWorld *w = W (ds);
  rsim__upgrade_set_restore (w, &ds->parent.submitted, from);
  rsim_checkpoint_stop_scheduler (w->checkpoints);
  rsim_checkpoint_abort (w->checkpoints, "job cancelled for an upgrade");
  suspend (ds);
}

/* Every task of the old job is cancelled: the platform submits the new
 * job after the submission cost. */
static void
upgrade_resubmit (DefaultScheduler *ds)
{
  RsimWorld *w = W (ds);
  ds->upgrading = FALSE;
  ds->status = RSIM_JOB_CANCELED;
  release_all (ds, RSIM_EXEC_CANCELED);
  update_up (ds);
  rsim__upgrade_note_discard (w, &ds->parent.submitted, ds->parent.upgrade_how);
  if (rsim__sched_hand_over (&ds->parent)) {
    g_clear_pointer (&ds->next_parallelism, g_free);
    return;
  }
  RsimTime d = rsim__sched_submit_later (&ds->parent, resubmit_cb);
  RSIM_LOG (w, "scheduler", "job_cancelled",
            "job CANCELED for the upgrade; the new job is submitted in "
            "%.3f s", RSIM_TIME_TO_SEC (d));
}

/* A synchronous savepoint that failed: from 1.15 every task fails with
 * "Stop-with-savepoint failed." (FLINK-23532: StreamTask.
 * abortCheckpointOnBarrier / notifyCheckpointAbortAsync) and the failover
 * strategy and restart strategy decide; before, the tasks go on. */
static void
stop_with_savepoint_failed (DefaultScheduler *ds)
{
  RsimWorld *w = W (ds);
  ds->paused = FALSE;
  g_clear_pointer (&ds->next_parallelism, g_free);
  ds->parent.scale_target_tms = 0;
  if (!rsim_rules_has (&w->rules, RSIM_RULE_STOP_WITH_SAVEPOINT_FAILURE_FAILS_TASKS)) {
    RSIM_LOG (w, "scheduler", "stop_failed",
              "stop-with-savepoint failed: the job keeps running at its "
              "parallelism");
    rsim_checkpoint_start_scheduler (w->checkpoints);
    update_up (ds);
    return;
  }
  RSIM_LOG (w, "scheduler", "stop_failed",
            "stop-with-savepoint failed: every task fails "
            "(\"Stop-with-savepoint failed.\", Flink 1.15+)");
  rsim_checkpoint_start_scheduler (w->checkpoints);
  RsimExecGraph *eg = EG (ds);
  for (int e = 0; e < eg->n_ex; e++)
    rsim_exec_graph_fail (eg, e, "Stop-with-savepoint failed.");
}

static void
savepoint_done (gpointer user, gboolean ok, const RsimSnapshot *snap)
{
  DefaultScheduler *ds = user;
  RsimWorld *w = W (ds);
  if ((ds->stopping || ds->upgrading)
      && rsim__sched_retry_savepoint (&ds->parent, ok))
    return;
  if (ds->upgrading) {
    if (!ok) {
      ds->upgrading = FALSE;
      g_clear_pointer (&ds->next_parallelism, g_free);
      rsim__sched_upgrade_savepoint_failed (&ds->parent);
      update_up (ds);
      return;
    }
    rsim__sched_upgrade_savepoint_done (&ds->parent, snap);
    upgrade_cancel (ds, snap);
    return;
  }
  if (ds->stopping) {
    ds->stopping = FALSE;
    if (!ok) {
      stop_with_savepoint_failed (ds);
      return;
    }
    ds->paused = FALSE;
    release_all (ds, RSIM_EXEC_FINISHED);
    ds->status = RSIM_JOB_FINISHED;
    rsim_snapshot_clear (&ds->parent.submitted);
    rsim_snapshot_copy (&ds->parent.submitted, snap);
    update_up (ds);
    if (!ds->resubmit) {
      rsim_metrics_set_should_run (w->metrics, FALSE);
      RSIM_LOG (w, "scheduler", "job_finished",
                "job FINISHED after savepoint %" G_GUINT64_FORMAT, snap->id);
      return;
    }
    RsimTime d = rsim__sched_submit_later (&ds->parent, resubmit_cb);
    RSIM_LOG (w, "scheduler", "job_finished",
              "job FINISHED after savepoint %" G_GUINT64_FORMAT
              "; resubmitting in %.3f s", snap->id, RSIM_TIME_TO_SEC (d));
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
    rsim_snapshot_clear (&ds->parent.submitted);
    rsim_snapshot_copy (&ds->parent.submitted, snap);
    rsim_recorder_cause (w->recorder, "flink modify (rescale)");
    RSIM_LOG (w, "scheduler", "rescale_suspend",
              "rescaling: savepoint %" G_GUINT64_FORMAT " done, suspending "
              "the old execution graph", snap->id);
    suspend (ds);
  }
}

static void
ds_flink_modify (RsimScheduler *s, const int *parallelism)
{
  DefaultScheduler *ds = DS (s);
  RsimWorld *w = s->world;
  if (rsim_rules_has (&w->rules, RSIM_RULE_RESCALE_REST_DISABLED)) {
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

static void
ds_scale (RsimScheduler *s, const int *parallelism)
{
  DefaultScheduler *ds = DS (s);
  RsimWorld *w = s->world;
  if (refuse_if_busy (ds, "scale (stop-with-savepoint and resubmit)"))
    return;
  int need = rsim__sched_taskmanagers_for (s, parallelism);
  RSIM_LOG (w, "scheduler", "scale",
            "scale with the default scheduler: stop-with-savepoint, then "
            "resubmit at the new parallelism on %d TaskManager(s)", need);
  rsim__sched_size_cluster (s, need, "scale");
  ds_stop_with_savepoint (s, parallelism);
  if (!ds->stopping)
    s->scale_target_tms = 0;
}

static void
ds_upgrade (RsimScheduler *s, const int *parallelism, RsimUpgradeHow how,
            int savepoint_retries)
{
  DefaultScheduler *ds = DS (s);
  RsimWorld *w = s->world;
  if (refuse_if_busy (ds, "upgrade"))
    return;
  s->savepoint_retries = MAX (savepoint_retries, 0);
  if (how == RSIM_UPGRADE_STOP_WITH_SAVEPOINT) {
    ds_scale (s, parallelism);
    return;
  }
  rsim__sched_size_cluster (s, rsim__sched_taskmanagers_for (s, parallelism),
                            "upgrade");
  ds->upgrading = TRUE;
  g_free (ds->next_parallelism);
  ds->next_parallelism = g_memdup2 (parallelism,
                                    sizeof (int) * w->graph->n_vertices);
  const RsimSnapshot *from = NULL;
  if (rsim__sched_upgrade_begin (s, how, &from))
    upgrade_cancel (ds, from);
}

static void
ds_submit (RsimScheduler *s, const RsimSnapshot *from, const int *parallelism)
{
  DefaultScheduler *ds = DS (s);
  if (!rsim__sched_accept_submit (s, ds->status))
    return;
  if (parallelism)
    rsim_job_graph_set_parallelism (s->world->graph, parallelism);
  RsimSnapshot copy = { 0 };
  rsim__upgrade_set_restore (s->world, &copy, from);
  rsim__sched_log_resubmit (s, &copy);
  submit (ds, from ? &copy : NULL, 0, TRUE);
  rsim_snapshot_clear (&copy);
}

/* ------------------------------------------------------------ inspection */

static RsimJobStatus
ds_job_status (RsimScheduler *s)
{
  return DS (s)->status;
}

static int
ds_deployed_parallelism (RsimScheduler *s, int vertex)
{
  DefaultScheduler *ds = DS (s);
  if (rsim_job_status_is_terminal (ds->status) || ds->status == RSIM_JOB_CREATED)
    return 0;
  return s->world->graph->parallelism[vertex];
}

static void
tolerance_exceeded (gpointer user, const char *reason)
{
  DefaultScheduler *ds = user;
  if (EG (ds)->n_ex == 0)
    return;
  rsim_recorder_cause (W (ds)->recorder, "checkpoint failure");
  /* CheckpointFailureManager fails the job globally (failGlobal). */
  fail_execution (ds, -1, reason, TRUE);
}

static void
ds_free (RsimScheduler *s)
{
  DefaultScheduler *ds = DS (s);
  rsim__sched_clear (s);
  g_free (ds->regions);
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
  .fail_task = rsim__sched_fail_task,
  .stop_with_savepoint = ds_stop_with_savepoint,
  .flink_modify = ds_flink_modify,
  .scale = ds_scale,
  .upgrade = ds_upgrade,
  .submit = ds_submit,
  .job_status = ds_job_status,
  .deployed_parallelism = ds_deployed_parallelism,
  .job_phase = rsim__sched_job_phase,
};

RsimScheduler *
rsim_default_scheduler_new (RsimWorld *world)
{
  DefaultScheduler *ds = g_new0 (DefaultScheduler, 1);
  const RsimExecListener exec = { exec_failed, exec_cancelled, exec_restored };
  const RsimCheckpointListener cp = {
    .savepoint_done = savepoint_done,
    .tolerance_exceeded = tolerance_exceeded,
  };
  /* Local recovery exists for the default scheduler in every version. */
  rsim__sched_init (&ds->parent, &default_class, world, &exec, TRUE, &cp);
  ds->status = RSIM_JOB_INITIALIZING;
  return &ds->parent;
}
