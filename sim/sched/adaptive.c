/* The adaptive scheduler (FLIP-160) and reactive mode (FLIP-159), with the
 * rules of each Flink version.
 *
 * Sources: flink-runtime/src/main/java/org/apache/flink/runtime/scheduler/
 * adaptive/ (AdaptiveScheduler.java, WaitingForResources.java,
 * CreatingExecutionGraph.java, Executing.java, Restarting.java,
 * StopWithSavepoint.java, Failing.java, Canceling.java, Finished.java,
 * DefaultStateTransitionManager.java, allocator/SlotSharingSlotAllocator.java);
 * docs/flink-versions.md lists what changed per version, with tickets.
 *
 * State machine (JobStatus in brackets; WaitingForResources and
 * CreatingExecutionGraph report INITIALIZING on 1.13-1.14, FLINK-24824):
 *
 *   Created [INITIALIZING]
 *      | startScheduling
 *      v
 *   WaitingForResources [CREATED] <-----------------------------+
 *      | desired now / sufficient after stabilization /          |
 *      | resource-wait-timeout                                   |
 *      v                                                         |
 *   CreatingExecutionGraph [CREATED] --slots gone-------------->-+
 *      | EG built, slots reserved          \--too few slots--> Finished [FAILED]
 *      v                                                         |
 *   Executing [RUNNING] --failure, can restart--> Restarting [RESTARTING]
 *      |   \--rescale decision-----------------> Restarting      |
 *      |   \--failure, cannot restart--> Failing [FAILING] --> Finished [FAILED]
 *      |   \--stop-with-savepoint--> StopWithSavepoint [RUNNING]
 *      |                               |  savepoint ok -> Finished [FINISHED]
 *      |                               |  savepoint failed -> Executing (new)
 *      |                               \  task failure -> Restarting / Failing
 *   Restarting: cancel all tasks, then wait the backoff (0 for a rescale), then
 *      1.13-1.20 -> WaitingForResources;
 *      2.0-2.2   -> CreatingExecutionGraph if it is a rescale whose target is
 *                   still what the slots give (FLINK-36013), else WFR;
 *      2.3+      -> also CreatingExecutionGraph whenever the desired resources
 *                   are there (FLINK-38748).
 *
 * Transition table (function that makes it):
 *   Created -> WFR                      as_start
 *   WFR -> CEG                          wfr_check / wfr_deadline_cb / wfr_timeout_cb
 *   CEG -> Executing                    ceg_done_cb
 *   CEG -> WFR                          ceg_done_cb (planned slots vanished)
 *   CEG -> Finished(FAILED)             go_creating (insufficient resources)
 *   Executing -> Restarting             handle_failure, go_rescale
 *   Executing -> Failing                handle_failure
 *   Executing -> StopWithSavepoint      as_stop_with_savepoint
 *   StopWithSavepoint -> Finished       savepoint_done
 *   StopWithSavepoint -> Executing      savepoint_done (failed savepoint),
 *                                       as_stop_with_savepoint (savepoint
 *                                       refused: not all tasks RUNNING)
 *   Restarting -> WFR / CEG             restart_backoff_cb
 *   Failing -> Finished(FAILED)         cancel_done
 *
 * Per-state invariants (checked by assert_state()):
 *   Created, WFR, Finished: no execution is live or CANCELING, no slot is
 *     held;
 *   CEG: no execution is live;
 *   Executing, StopWithSavepoint: an execution graph exists, no execution
 *     is CANCELING, and every live one holds a slot;
 *   Restarting, Failing, Canceling: no execution is live.
 *
 * Executions, slots, deployment, restore, cancellation and the reactions to
 * a lost or dead TaskManager are the shared execution-graph core's
 * (execution.h); this file keeps the state machine and its rules.
 *
 * Timers run only in the state instance that set them (runIfState): each
 * entry to a state bumps `state_gen`, and every timer carries the gen it was
 * set in. */
#include "sched/sched.h"

#include <string.h>

#define AS_STATE_LIST(X)                                          \
  X (CREATED, "Created", INITIALIZING)                            \
  X (WAITING_FOR_RESOURCES, "WaitingForResources", CREATED)       \
  X (CREATING_EXECUTION_GRAPH, "CreatingExecutionGraph", CREATED) \
  X (EXECUTING, "Executing", RUNNING)                             \
  X (RESTARTING, "Restarting", RESTARTING)                        \
  X (STOP_WITH_SAVEPOINT, "StopWithSavepoint", RUNNING)           \
  X (CANCELING, "Canceling", CANCELLING)                          \
  X (FAILING, "Failing", FAILING)                                 \
  X (FINISHED, "Finished", FINISHED)

typedef enum {
#define RSIM_X(id, name, status) AS_##id,
  AS_STATE_LIST (RSIM_X)
#undef RSIM_X
} AsState;

static const char *const state_names[] = {
#define RSIM_X(id, name, status) name,
  AS_STATE_LIST (RSIM_X)
#undef RSIM_X
};

static const RsimJobStatus state_status[] = {
#define RSIM_X(id, name, status) RSIM_JOB_##status,
  AS_STATE_LIST (RSIM_X)
#undef RSIM_X
};

/* FLIP-461 DefaultStateTransitionManager phases (2.0+). */
typedef enum { STM_COOLDOWN, STM_IDLING, STM_STABILIZING, STM_STABILIZED,
               STM_TRANSITIONING } StmPhase;

typedef struct {
  RsimScheduler parent;
  gboolean reactive;
  AsState state;
  guint state_gen;
  guint job_gen;
  RsimFlinkConf conf;          /* with the mode's defaults applied */
  int *lower, *upper;          /* vertex parallelism bounds */
  gboolean graph_valid;        /* an execution graph was created */
  RsimJobStatus final_status;  /* Finished: FAILED, CANCELED or FINISHED */
  /* WaitingForResources */
  RsimTime wfr_deadline;       /* resource stabilization deadline; < 0: none */
  /* Restarting */
  gboolean restart_is_rescale;
  RsimTime restart_backoff;
  int *planned;                /* rescale target, or NULL */
  /* Executing, 1.19-1.20 cooldown (FLIP-322) */
  RsimTime executing_since;
  gboolean eval_pending;
  gboolean forced_pending;
  /* Executing, 2.0+ state transition manager */
  StmPhase stm;
  RsimTime stm_first_change;   /* < 0: none */
  RsimTime stm_stab_start;
  RsimTime stm_last_change;
  gboolean stm_eval_pending;
  int stm_epoch;               /* bumped on each entry to Stabilizing */
  gboolean stm_failures_armed;
  int stm_failed_checkpoints;
  /* Stop-with-savepoint */
  int *resubmit_parallelism;
  gboolean resubmit;
  /* A platform's upgrade (savepoint then cancel, or cancel) */
  gboolean upgrading;
  int *upgrade_parallelism;
} AdaptiveScheduler;

#define AS(s) ((AdaptiveScheduler *) (s))

static RsimWorld *W (AdaptiveScheduler *as) { return as->parent.world; }
static RsimExecGraph *EG (AdaptiveScheduler *as) { return as->parent.eg; }
static RsimTime now_of (AdaptiveScheduler *as)
{
  return rsim_engine_now (W (as)->engine);
}

typedef struct {
  AdaptiveScheduler *as;
  guint gen;                   /* state_gen */
  int index;
  guint job_gen;
} Ref;

static Ref *
ref_new (AdaptiveScheduler *as, guint gen, int index)
{
  Ref *r = g_new (Ref, 1);
  r->as = as;
  r->gen = gen;
  r->index = index;
  r->job_gen = as->job_gen;
  return r;
}

/* Schedules f in `delay` only for the current state instance. */
static void
run_if_state (AdaptiveScheduler *as, RsimTime delay, RsimEventFunc f)
{
  rsim_engine_schedule_in (W (as)->engine, MAX (delay, 0), f,
                           ref_new (as, as->state_gen, 0), g_free);
}

static gboolean
still (const Ref *r)
{
  return r->as->state_gen == r->gen && r->as->job_gen == r->job_gen;
}

static void
assert_state (AdaptiveScheduler *as)
{
  const RsimExecGraph *eg = EG (as);
  int live = 0;
  for (int e = 0; e < eg->n_ex; e++)
    live += rsim_exec_state_is_live (eg->ex[e].state);
  int canceling = rsim_exec_graph_count (eg, RSIM_EXEC_CANCELING);
  switch (as->state) {
  case AS_CREATED:
  case AS_WAITING_FOR_RESOURCES:
  case AS_FINISHED:
    g_assert (live == 0 && canceling == 0);
    g_assert (rsim_exec_graph_held_slots (eg) == 0);
    break;
  case AS_CREATING_EXECUTION_GRAPH:
    g_assert (live == 0);
    break;
  case AS_EXECUTING:
  case AS_STOP_WITH_SAVEPOINT:
    g_assert (eg->n_ex > 0 && canceling == 0);
    for (int e = 0; e < eg->n_ex; e++)
      g_assert (!rsim_exec_state_is_live (eg->ex[e].state)
                || eg->shared[eg->ex[e].shared].tm >= 0);
    break;
  case AS_RESTARTING:
  case AS_FAILING:
  case AS_CANCELING:
    g_assert (live == 0);
    break;
  }
}

static void update_up (AdaptiveScheduler *as);

static RsimJobStatus as_job_status (RsimScheduler *s);

static void
enter (AdaptiveScheduler *as, AsState next, const char *why)
{
  RsimWorld *w = W (as);
  AsState prev = as->state;
  as->state = next;
  as->state_gen++;
  /* Leaving Executing stops processing: let the incident open first so it
   * records this decision. */
  if (prev == AS_EXECUTING || prev == AS_STOP_WITH_SAVEPOINT)
    update_up (as);
  RSIM_LOG (w, "scheduler", "state", "%s -> %s: %s", state_names[prev],
            state_names[next], why);
  rsim__recorder_job_status (w->recorder, as_job_status (&as->parent));
}

/* ------------------------------------------------------------- resources */

static int
registered_slots (AdaptiveScheduler *as)
{
  return rsim_cluster_registered_slots (W (as)->cluster);
}

static int
held_slots (AdaptiveScheduler *as)
{
  return rsim_exec_graph_held_slots (EG (as));
}

/* Required (desired) slots: sum over slot-sharing groups of the largest
 * upper bound (SlotSharingSlotAllocator). */
static int
desired_slots (AdaptiveScheduler *as)
{
  RsimJobGraph *g = W (as)->graph;
  int total = 0;
  for (int s = 0; s < g->n_ssg; s++) {
    int m = 0;
    for (guint v = 0; v < g->n_vertices; v++)
      if (g->ssg[v] == s)
        m = MAX (m, as->upper[v]);
    total += m;
  }
  return total;
}

/* SlotSharingSlotAllocator.determineParallelism: the parallelism `slots`
 * slots give, or FALSE when some group cannot get its lower bound.
 * Before 1.17 every group gets floor(slots / groups) (surplus slots stay
 * unused); since 1.17 (FLINK-30895) groups sorted by ascending range get
 * lower + min(range, floor((free - reserved) / remaining)). A group's lower
 * bound is the largest of its vertices' lower bounds and its range
 * maxUpper - maxLower since 1.19 (FLINK-33960); 1.18 took the smallest lower
 * bound and sorted by the largest per-vertex range, so a vertex could get
 * less than its own lower bound. Each vertex gets min(its upper bound, its
 * group's slots). */
static gboolean
determine_parallelism (AdaptiveScheduler *as, int slots, int *out)
{
  RsimWorld *w = W (as);
  RsimJobGraph *g = w->graph;
  int n = g->n_ssg;
  gboolean max_lower_rule = rsim_rules_has (&w->rules, RSIM_RULE_AS_SLOTS_MAX_LOWER_BOUND);
  int *max_lower = g_new0 (int, n), *max_upper = g_new0 (int, n);
  int *range = g_new0 (int, n);
  int *got = g_new0 (int, n);
  for (int s = 0; s < n; s++)
    max_lower[s] = max_lower_rule ? 0 : G_MAXINT;
  for (guint v = 0; v < g->n_vertices; v++) {
    int s = g->ssg[v];
    /* 1.18: max_lower holds the group's smallest lower bound. */
    max_lower[s] = max_lower_rule ? MAX (max_lower[s], as->lower[v])
                                  : MIN (max_lower[s], as->lower[v]);
    max_upper[s] = MAX (max_upper[s], as->upper[v]);
    range[s] = MAX (range[s], as->upper[v] - as->lower[v]);
  }
  if (max_lower_rule)
    for (int s = 0; s < n; s++)
      range[s] = max_upper[s] - max_lower[s];
  gboolean ok = TRUE;
  if (!rsim_rules_has (&w->rules, RSIM_RULE_AS_SLOTS_ACROSS_GROUPS)) {
    int each = slots / n;
    for (int s = 0; s < n; s++) {
      got[s] = MIN (each, max_upper[s]);
      if (each < max_lower[s])
        ok = FALSE;
    }
  } else {
    int min_total = 0;
    for (int s = 0; s < n; s++)
      min_total += max_lower[s];
    if (slots < min_total) {
      ok = FALSE;
    } else {
      int *order = g_new (int, n);
      for (int s = 0; s < n; s++)
        order[s] = s;
      /* Stable insertion sort by range (upper - lower). */
      for (int i = 1; i < n; i++)
        for (int j = i; j > 0; j--) {
          int a = order[j - 1], b = order[j];
          if (range[a] <= range[b])
            break;
          order[j - 1] = b;
          order[j] = a;
        }
      int free_slots = slots;
      for (int i = 0; i < n; i++) {
        int s = order[i];
        int reserved = 0;
        for (int j = i; j < n; j++)
          reserved += max_lower[order[j]];
        int extra = (free_slots - reserved) / (n - i);
        got[s] = max_lower[s] + MIN (max_upper[s] - max_lower[s], MAX (extra, 0));
        free_slots -= got[s];
      }
      g_free (order);
    }
  }
  if (ok && out)
    for (guint v = 0; v < g->n_vertices; v++)
      out[v] = MIN (as->upper[v], got[g->ssg[v]]);
  g_free (max_lower);
  g_free (max_upper);
  g_free (range);
  g_free (got);
  return ok;
}

/* Desired resources: 1.x counts free slots, 2.0+ every slot (FLINK-36279). */
static gboolean
has_desired (AdaptiveScheduler *as)
{
  int slots = registered_slots (as);
  if (!rsim_rules_has (&W (as)->rules, RSIM_RULE_AS_DESIRED_ON_ALL_SLOTS))
    slots -= held_slots (as);
  return slots >= desired_slots (as);
}

static gboolean
has_sufficient (AdaptiveScheduler *as)
{
  return determine_parallelism (as, registered_slots (as), NULL);
}

/* ------------------------------------------------------ execution graph */

static void
build_graph (AdaptiveScheduler *as, const int *parallelism)
{
  rsim_job_graph_set_parallelism (W (as)->graph, parallelism);
  rsim_exec_graph_build (EG (as));
  as->graph_valid = TRUE;
}

/* Reserves a registered slot for every shared slot (lowest TaskManager id
 * first; a dead TaskManager the JobManager still lists counts); all or
 * nothing. */
static gboolean
reserve_slots (AdaptiveScheduler *as)
{
  RsimExecGraph *eg = EG (as);
  for (int k = 0; k < eg->n_shared; k++)
    if (!rsim_exec_graph_ensure_slot (eg, k)) {
      rsim_exec_graph_release_slots (eg);
      return FALSE;
    }
  return TRUE;
}

static gboolean
job_up (AdaptiveScheduler *as)
{
  return as->state == AS_EXECUTING && rsim_exec_graph_all_running (EG (as));
}

static void
update_up (AdaptiveScheduler *as)
{
  RsimDataflow *flow = W (as)->flow;
  gboolean up = job_up (as);
  gboolean *v = g_new (gboolean, MAX (flow->n_regions, 1));
  for (int r = 0; r < flow->n_regions; r++)
    v[r] = up;
  rsim__sched_publish_up (&as->parent, v, flow->n_regions);
  g_free (v);
}

/* ------------------------------------------------------------ transitions */

static void go_waiting (AdaptiveScheduler *as, const char *why);
static void wfr_deadline_cb (RsimEngine *e, gpointer d);
static void restart_backoff_cb (RsimEngine *e, gpointer d);
static void resubmit_cb (RsimEngine *e, gpointer d);
static void go_creating (AdaptiveScheduler *as, const char *why);
static void go_executing (AdaptiveScheduler *as);
static void enter_executing (AdaptiveScheduler *as, const char *why);
static void go_restarting (AdaptiveScheduler *as, RsimTime backoff,
                           gboolean rescale, const int *planned,
                           const char *why);
static void go_finished (AdaptiveScheduler *as, RsimJobStatus status,
                         const char *why);
static void handle_failure (AdaptiveScheduler *as, const char *cause);
static void upgrade_cancelled (AdaptiveScheduler *as);
static void upgrade_cancel (AdaptiveScheduler *as, const RsimSnapshot *from);
static void rescale_check (AdaptiveScheduler *as, gboolean resources_event);
static void as_stop_with_savepoint (RsimScheduler *s, const int *parallelism);

/* WaitingForResources.checkDesiredOrSufficientResourcesAvailable, run on
 * entry, on new slots and new requirements (onNewResourcesAvailable,
 * onNewResourceRequirements) and at the deadline. A lost TaskManager calls
 * nothing: it neither clears nor re-arms the deadline, which is cleared
 * only by a check that finds too few resources. */
static void
wfr_check (AdaptiveScheduler *as)
{
  if (as->state != AS_WAITING_FOR_RESOURCES)
    return;
  if (has_desired (as)) {
    go_creating (as, "desired resources are available");
    return;
  }
  if (!has_sufficient (as)) {
    as->wfr_deadline = -1;
    return;
  }
  RsimTime now = now_of (as);
  if (as->wfr_deadline < 0) {
    RsimTime stab = as->conf.as_resource_stabilization_timeout;
    as->wfr_deadline = now + stab;
    RSIM_LOG (W (as), "scheduler", "stabilizing",
              "sufficient resources: waiting %.3f s for resource "
              "stabilization", RSIM_TIME_TO_SEC (stab));
  }
  /* Deadline.isOverdue is deadline <= now: with a timeout of 0 (reactive
   * mode) the graph is created at once, from the event that brought the
   * sufficient resources. */
  if (now >= as->wfr_deadline)
    go_creating (as, "resources stable (resource-stabilization-timeout)");
  else
    run_if_state (as, as->wfr_deadline - now, wfr_deadline_cb);
}

static void
wfr_deadline_cb (RsimEngine *e, gpointer d)
{
  Ref *r = d;
  if (!still (r))
    return;
  AdaptiveScheduler *as = r->as;
  if (as->wfr_deadline < 0)
    return;
  if (now_of (as) < as->wfr_deadline) {
    /* Cleared and armed again since: wait for the new deadline. */
    run_if_state (as, as->wfr_deadline - now_of (as), wfr_deadline_cb);
    return;
  }
  wfr_check (as);
}

static void
wfr_timeout_cb (RsimEngine *e, gpointer d)
{
  Ref *r = d;
  if (!still (r))
    return;
  go_creating (r->as, "resource-wait-timeout expired");
}

static void
go_waiting (AdaptiveScheduler *as, const char *why)
{
  enter (as, AS_WAITING_FOR_RESOURCES, why);
  rsim_exec_graph_release_slots (EG (as));
  as->wfr_deadline = -1;
  /* The JobMaster declares its desired slots to the ResourceManager. */
  rsim_cluster_request_slots (W (as)->cluster, desired_slots (as));
  RsimTime t = as->conf.as_resource_wait_timeout;
  if (t >= 0)
    run_if_state (as, t, wfr_timeout_cb);
  update_up (as);
  assert_state (as);
  wfr_check (as);
}

static void
ceg_done_cb (RsimEngine *e, gpointer d)
{
  Ref *r = d;
  if (!still (r))
    return;
  AdaptiveScheduler *as = r->as;
  if (!reserve_slots (as)) {
    go_waiting (as, "the planned slots are gone");
    return;
  }
  go_executing (as);
}

static void
go_creating (AdaptiveScheduler *as, const char *why)
{
  RsimWorld *w = W (as);
  enter (as, AS_CREATING_EXECUTION_GRAPH, why);
  int *par = g_new0 (int, w->graph->n_vertices);
  if (!determine_parallelism (as, registered_slots (as), par)) {
    g_free (par);
    go_finished (as, RSIM_JOB_FAILED, "NoResourceAvailableException: not enough "
                 "resources for the minimum parallelism");
    return;
  }
  build_graph (as, par);
  g_free (par);
  GString *desc = g_string_new (NULL);
  for (guint v = 0; v < w->graph->n_vertices; v++)
    g_string_append_printf (desc, "%s%s %d", v ? ", " : "",
                            w->graph->spec.vertices[v].name,
                            w->graph->parallelism[v]);
  RSIM_LOG (w, "scheduler", "create_graph",
            "creating the execution graph at parallelism %s", desc->str);
  g_string_free (desc, TRUE);
  double per = rsim_world_cost (w, &w->costs->graph_build_per_task,
                                "graph_build_per_task");
  update_up (as);
  run_if_state (as, (RsimTime) (per * EG (as)->n_ex + 0.5), ceg_done_cb);
}

/* The core's word that the deployment's tasks restored their state. */
static void
exec_restored (gpointer user, int tag, int n_running, int n_missing)
{
  AdaptiveScheduler *as = user;
  if (as->state != AS_EXECUTING)
    return;
  if (n_missing == 0)
    RSIM_LOG (W (as), "scheduler", "job_running",
              "all tasks running: state restored");
  else
    RSIM_LOG (W (as), "scheduler", "job_running",
              "%d task(s) restored their state, %d sit on a TaskManager "
              "that is gone", n_running, n_missing);
  update_up (as);
}

static void
deploy_all (AdaptiveScheduler *as)
{
  const RsimSnapshot *snap = rsim__sched_restore_source (&as->parent);
  RsimDeployInfo d = rsim_exec_graph_deploy (EG (as), -1, snap, 0);
  RSIM_LOG (W (as), "scheduler", "deploy",
            "deploying %d task(s) (%.3f s), restoring %s (%.3f s)%s",
            d.n_tasks, RSIM_TIME_TO_SEC (d.deploy),
            snap->valid ? (snap->savepoint ? "a savepoint" : "a checkpoint")
                        : "empty state",
            RSIM_TIME_TO_SEC (d.restore),
            d.n_failing ? "; some go to a TaskManager that is gone" : "");
}

/* 2.0+: the state transition manager of Executing
 * (DefaultStateTransitionManager, FLIP-461 and FLIP-472). */
static void stm_on_change (AdaptiveScheduler *as);
static void stm_on_trigger (AdaptiveScheduler *as);
static void stm_enter_cooldown (AdaptiveScheduler *as);

static gboolean
uses_stm (AdaptiveScheduler *as)
{
  return rsim_rules_has (&W (as)->rules, RSIM_RULE_AS_RESCALE_ON_CHECKPOINT);
}

/* Enters a new Executing state. With `deploy`, a new execution graph's
 * tasks are deployed (and, like every new execution graph's checkpoint
 * coordinator, the first checkpoint comes after a random delay again);
 * without, the tasks of the current graph go on. */
static void
executing (AdaptiveScheduler *as, const char *why, gboolean deploy)
{
  RsimWorld *w = W (as);
  enter (as, AS_EXECUTING, why);
  as->executing_since = now_of (as);
  as->eval_pending = as->forced_pending = FALSE;
  if (deploy)
    w->checkpoints->ever_started = FALSE;
  rsim_checkpoint_start_scheduler (w->checkpoints);
  if (deploy)
    deploy_all (as);
  update_up (as);
  assert_state (as);
  if (uses_stm (as)) {
    stm_enter_cooldown (as);
    stm_on_change (as);
    stm_on_trigger (as);
  } else {
    rescale_check (as, TRUE);
  }
}

static void
go_executing (AdaptiveScheduler *as)
{
  executing (as, "execution graph created, slots reserved", TRUE);
}

static void
enter_executing (AdaptiveScheduler *as, const char *why)
{
  executing (as, why, FALSE);
}

/* The core's word that execution e is cancelled. */
static void
exec_cancelled (gpointer user, int e)
{
  AdaptiveScheduler *as = user;
  if (rsim_exec_graph_count (EG (as), RSIM_EXEC_CANCELING) > 0)
    return;
  /* Every task is cancelled. */
  RsimWorld *w = W (as);
  if (as->state == AS_CANCELING && as->upgrading) {
    upgrade_cancelled (as);
    return;
  }
  if (as->state == AS_FAILING || as->state == AS_CANCELING) {
    go_finished (as, as->state == AS_FAILING ? RSIM_JOB_FAILED
                                             : RSIM_JOB_CANCELED,
                 "all tasks cancelled");
    return;
  }
  if (as->state == AS_RESTARTING) {
    RSIM_LOG (w, "scheduler", "cancelled",
              "all tasks cancelled; restarting after a backoff of %.3f s",
              RSIM_TIME_TO_SEC (as->restart_backoff));
    run_if_state (as, as->restart_backoff, restart_backoff_cb);
  }
}

/* Cancels every live execution; returns TRUE if all are done at once. */
static gboolean
cancel_all (AdaptiveScheduler *as)
{
  rsim_checkpoint_stop_scheduler (W (as)->checkpoints);
  return rsim_exec_graph_cancel_all (EG (as)) == 0;
}

static void
restart_backoff_cb (RsimEngine *e, gpointer d)
{
  Ref *r = d;
  if (!still (r))
    return;
  AdaptiveScheduler *as = r->as;
  RsimWorld *w = W (as);
  rsim_exec_graph_release_slots (EG (as));
  if (rsim_rules_has (&w->rules, RSIM_RULE_AS_RESTART_TO_CREATING_ON_RESCALE)) {
    int *par = g_new0 (int, w->graph->n_vertices);
    gboolean ok = determine_parallelism (as, registered_slots (as), par);
    gboolean same = ok && as->planned
      && memcmp (par, as->planned, sizeof (int) * w->graph->n_vertices) == 0;
    g_free (par);
    /* FLINK-36013 (2.0): a rescale whose target is still valid skips
     * WaitingForResources; FLINK-38748 (2.3): so does any restart when the
     * desired resources are there. */
    if (as->restart_is_rescale && same) {
      go_creating (as, "rescale target still available (Restarting -> "
                   "CreatingExecutionGraph)");
      return;
    }
    if (rsim_rules_has (&w->rules, RSIM_RULE_AS_RESTART_TO_CREATING_WHEN_DESIRED)
        && has_desired (as)) {
      go_creating (as, "desired resources available (Restarting -> "
                   "CreatingExecutionGraph)");
      return;
    }
  }
  go_waiting (as, "restart");
}

static void
go_restarting (AdaptiveScheduler *as, RsimTime backoff, gboolean rescale,
               const int *planned, const char *why)
{
  RsimWorld *w = W (as);
  enter (as, AS_RESTARTING, why);
  /* AdaptiveScheduler.goToRestarting: numRestarts counts failures and
   * rescales; numRescales (2.0+) the rescales. */
  rsim__recorder_count_restart (w->recorder, !rescale, rescale);
  as->restart_is_rescale = rescale;
  as->restart_backoff = backoff;
  g_clear_pointer (&as->planned, g_free);
  if (planned)
    as->planned = g_memdup2 (planned, sizeof (int) * w->graph->n_vertices);
  gboolean done = cancel_all (as);
  update_up (as);
  assert_state (as);
  if (done) {
    RSIM_LOG (w, "scheduler", "cancelled",
              "all tasks cancelled; restarting after a backoff of %.3f s",
              RSIM_TIME_TO_SEC (backoff));
    run_if_state (as, backoff, restart_backoff_cb);
  }
}

static void
go_finished (AdaptiveScheduler *as, RsimJobStatus status, const char *why)
{
  RsimWorld *w = W (as);
  as->final_status = status;
  enter (as, AS_FINISHED, why);
  rsim_checkpoint_stop_scheduler (w->checkpoints);
  rsim_exec_graph_set_all (EG (as), status == RSIM_JOB_FINISHED
                                    ? RSIM_EXEC_FINISHED : RSIM_EXEC_CANCELED);
  rsim_exec_graph_release_slots (EG (as));
  RSIM_LOG (w, "scheduler", "job_finished", "job %s: %s",
            rsim_job_status_name (status), why);
  update_up (as);
  if (status != RSIM_JOB_FAILED)
    rsim_metrics_set_should_run (w->metrics, as->resubmit);
  assert_state (as);
}

static void
handle_failure (AdaptiveScheduler *as, const char *cause)
{
  RsimWorld *w = W (as);
  if (as->state != AS_EXECUTING && as->state != AS_STOP_WITH_SAVEPOINT) {
    /* Failures while Restarting (or later) are ignored: they consume no
     * restart attempt (Restarting.java). */
    return;
  }
  rsim_recorder_cause (w->recorder, "%s", cause);
  RSIM_LOG (w, "scheduler", "task_failed", "%s", cause);
  RsimRestartDecision d = rsim_restart_strategy_on_failure (as->parent.restart,
                                                            now_of (as));
  rsim_checkpoint_abort (w->checkpoints, "task failure");
  if (!d.can_restart) {
    enter (as, AS_FAILING, "the restart strategy gives up");
    if (cancel_all (as))
      go_finished (as, RSIM_JOB_FAILED, "restart strategy exhausted");
    update_up (as);
    return;
  }
  g_autofree char *why = g_strdup_printf (
    "failure: whole-job restart, backoff %.3f s after cancellation (%s)",
    RSIM_TIME_TO_SEC (d.delay),
    rsim_restart_strategy_describe (as->parent.restart));
  go_restarting (as, d.delay, FALSE, NULL, why);
}

/* --------------------------------------------------------- rescale rules */

static int
cumulative (const int *p, guint n)
{
  int s = 0;
  for (guint i = 0; i < n; i++)
    s += p[i];
  return s;
}

static void
go_rescale (AdaptiveScheduler *as, const int *target, const char *why)
{
  rsim_recorder_cause (W (as)->recorder, "rescale");
  go_restarting (as, 0, TRUE, target, why);
}

/* The parallelism all slots give, and whether it differs from the running
 * graph. */
static gboolean
target_from_all_slots (AdaptiveScheduler *as, int *target, gboolean *changed)
{
  RsimJobGraph *g = W (as)->graph;
  if (!determine_parallelism (as, registered_slots (as), target))
    return FALSE;
  *changed = memcmp (target, g->parallelism, sizeof (int) * g->n_vertices) != 0;
  return TRUE;
}

/* 1.13-1.17 ReactiveScaleUpController: scale up only, when the cumulative
 * parallelism grows by at least min-parallelism-increase. 1.18+
 * EnforceMinimalIncreaseRescalingController: any vertex shrinks, or one grows
 * by at least min-parallelism-increase. */
static gboolean
should_rescale (AdaptiveScheduler *as, const int *target, gboolean forced)
{
  RsimJobGraph *g = W (as)->graph;
  int inc = as->conf.as_min_parallelism_increase;
  if (forced) {
    return memcmp (target, g->parallelism, sizeof (int) * g->n_vertices) != 0;
  }
  if (!rsim_rules_has (&W (as)->rules, RSIM_RULE_AS_PER_VERTEX_RESCALE)) {
    return cumulative (target, g->n_vertices)
      >= cumulative (g->parallelism, g->n_vertices) + inc;
  }
  for (guint v = 0; v < g->n_vertices; v++)
    if (target[v] < g->parallelism[v] || target[v] >= g->parallelism[v] + inc)
      return TRUE;
  return FALSE;
}

static void evaluate_cb (RsimEngine *e, gpointer d);
static void forced_cb (RsimEngine *e, gpointer d);

static void
evaluate (AdaptiveScheduler *as, gboolean forced)
{
  RsimWorld *w = W (as);
  int *target = g_new0 (int, w->graph->n_vertices);
  gboolean changed = FALSE;
  if (target_from_all_slots (as, target, &changed) && changed
      && should_rescale (as, target, forced)) {
    go_rescale (as, target, forced ? "scaling-interval.max passed: rescaling "
                                     "to the parallelism the slots give"
                                   : "more or fewer slots: rescaling");
  } else if (!forced && changed && as->conf.as_scaling_interval_max > 0
             && rsim_rules_has (&w->rules, RSIM_RULE_AS_COOLDOWN)) {
    /* FLIP-322: a forced check after scaling-interval.max. */
    RsimTime since = now_of (as) - as->executing_since;
    if (since > as->conf.as_scaling_interval_max) {
      g_free (target);
      evaluate (as, TRUE);
      return;
    }
    if (!as->forced_pending) {
      as->forced_pending = TRUE;
      run_if_state (as, as->conf.as_scaling_interval_max, forced_cb);
    }
  }
  g_free (target);
}

static void
evaluate_cb (RsimEngine *e, gpointer d)
{
  Ref *r = d;
  if (!still (r))
    return;
  r->as->eval_pending = FALSE;
  evaluate (r->as, FALSE);
}

static void
forced_cb (RsimEngine *e, gpointer d)
{
  Ref *r = d;
  if (!still (r))
    return;
  r->as->forced_pending = FALSE;
  evaluate (r->as, TRUE);
}

/* Executing's reaction to new slots or new requirements, 1.13-1.20. */
static void
rescale_check (AdaptiveScheduler *as, gboolean resources_event)
{
  RsimWorld *w = W (as);
  if (as->state != AS_EXECUTING)
    return;
  if (!rsim_rules_has (&w->rules, RSIM_RULE_AS_COOLDOWN)) {
    evaluate (as, FALSE);
    return;
  }
  /* Executing.rescaleWhenCooldownPeriodIsOver (1.19-1.20): evaluate now if
   * the cooldown since entering Executing is over, else once at event time
   * + scaling-interval.min. */
  RsimTime since = now_of (as) - as->executing_since;
  if (since >= as->conf.as_cooldown) {
    evaluate (as, FALSE);
  } else if (!as->eval_pending) {
    as->eval_pending = TRUE;
    RSIM_LOG (w, "scheduler", "cooldown",
              "rescale evaluation deferred by the %.3f s cooldown "
              "(scaling-interval.min)", RSIM_TIME_TO_SEC (as->conf.as_cooldown));
    run_if_state (as, as->conf.as_cooldown, evaluate_cb);
  }
}

/* ------------------------------------------------ 2.0+ transition manager */

static RsimTime
max_trigger_delay (AdaptiveScheduler *as)
{
  const RsimFlinkConf *c = &as->conf;
  if (c->as_max_trigger_delay >= 0)
    return c->as_max_trigger_delay;
  if (c->checkpoint_interval <= 0)
    return 0;
  return (RsimTime) (c->as_max_checkpoint_failures + 1) * c->checkpoint_interval;
}

static gboolean
stm_change (AdaptiveScheduler *as, gboolean desired)
{
  int *t = g_new0 (int, W (as)->graph->n_vertices);
  gboolean changed = FALSE;
  gboolean ok = target_from_all_slots (as, t, &changed);
  g_free (t);
  if (!ok || !changed)
    return FALSE;
  return desired ? has_desired (as) : TRUE;
}

static void
stm_transition (AdaptiveScheduler *as, const char *why)
{
  as->stm = STM_TRANSITIONING;
  int *t = g_new0 (int, W (as)->graph->n_vertices);
  gboolean changed;
  target_from_all_slots (as, t, &changed);
  go_rescale (as, t, why);
  g_free (t);
}

static void stm_enter_stabilizing (AdaptiveScheduler *as, RsimTime t0);

static void
stm_cooldown_over_cb (RsimEngine *e, gpointer d)
{
  Ref *r = d;
  if (!still (r) || r->as->stm != STM_COOLDOWN)
    return;
  AdaptiveScheduler *as = r->as;
  if (as->stm_first_change >= 0)
    stm_enter_stabilizing (as, as->stm_first_change);
  else
    as->stm = STM_IDLING;
}

static void
stm_enter_cooldown (AdaptiveScheduler *as)
{
  as->stm = STM_COOLDOWN;
  as->stm_first_change = -1;
  as->stm_eval_pending = FALSE;
  as->stm_failures_armed = FALSE;
  as->stm_failed_checkpoints = 0;
  run_if_state (as, as->conf.as_cooldown, stm_cooldown_over_cb);
}

static void
stm_eval_cb (RsimEngine *e, gpointer d)
{
  Ref *r = d;
  if (!still (r))
    return;
  r->as->stm_eval_pending = FALSE;
  if (r->as->stm == STM_STABILIZING)
    stm_on_trigger (r->as);
}

static void
stm_stabilized_trigger_cb (RsimEngine *e, gpointer d)
{
  Ref *r = d;
  if (!still (r) || r->as->stm != STM_STABILIZED)
    return;
  stm_on_trigger (r->as);
}

static void
stm_stabilized_cb (RsimEngine *e, gpointer d)
{
  Ref *r = d;
  AdaptiveScheduler *as = r->as;
  if (!still (r) || as->stm != STM_STABILIZING || as->stm_epoch != r->index)
    return;
  as->stm = STM_STABILIZED;
  RSIM_LOG (W (as), "scheduler", "stabilized",
            "resources stable: rescale at the next completed checkpoint or "
            "after the max trigger delay");
  RsimTime at = as->stm_stab_start + max_trigger_delay (as);
  rsim_engine_schedule_at (W (as)->engine, MAX (at, now_of (as)),
                           stm_stabilized_trigger_cb,
                           ref_new (as, as->state_gen, 0), g_free);
}

static void
stm_enter_stabilizing (AdaptiveScheduler *as, RsimTime t0)
{
  RsimWorld *w = W (as);
  as->stm = STM_STABILIZING;
  as->stm_stab_start = t0;
  as->stm_last_change = t0;
  RSIM_LOG (w, "scheduler", "stabilizing",
            "resources changed: rescale deferred to the next completed "
            "checkpoint (desired resources) or %.3f s of stabilization",
            RSIM_TIME_TO_SEC (as->conf.as_executing_stabilization));
  /* The stabilized timer belongs to this entry to Stabilizing only. */
  Ref *ref = ref_new (as, as->state_gen, ++as->stm_epoch);
  rsim_engine_schedule_at (w->engine,
                           MAX (t0 + as->conf.as_executing_stabilization, now_of (as)),
                           stm_stabilized_cb, ref, g_free);
  if (!as->stm_eval_pending) {
    as->stm_eval_pending = TRUE;
    rsim_engine_schedule_at (w->engine,
                             MAX (t0 + max_trigger_delay (as), now_of (as)),
                             stm_eval_cb, ref_new (as, as->state_gen, 0), g_free);
  }
}

static void
stm_on_change (AdaptiveScheduler *as)
{
  if (as->state != AS_EXECUTING)
    return;
  gboolean sufficient = stm_change (as, FALSE);
  switch (as->stm) {
  case STM_COOLDOWN:
    if (sufficient && as->stm_first_change < 0)
      as->stm_first_change = now_of (as);
    break;
  case STM_IDLING:
    if (sufficient)
      stm_enter_stabilizing (as, now_of (as));
    break;
  case STM_STABILIZING:
    as->stm_last_change = now_of (as);
    if (!as->stm_eval_pending) {
      as->stm_eval_pending = TRUE;
      run_if_state (as, max_trigger_delay (as), stm_eval_cb);
    }
    break;
  default:
    break;
  }
}

static void
stm_on_trigger (AdaptiveScheduler *as)
{
  if (as->state != AS_EXECUTING)
    return;
  switch (as->stm) {
  case STM_STABILIZING:
    if (stm_change (as, TRUE))
      stm_transition (as, "desired resources available: rescaling on the "
                      "rescale trigger (FLIP-461)");
    break;
  case STM_STABILIZED:
    if (stm_change (as, FALSE))
      stm_transition (as, "resources stabilized: rescaling on the rescale "
                      "trigger (FLIP-461)");
    else
      as->stm = STM_IDLING;
    break;
  default:
    break;
  }
}

/* ---------------------------------------------------- listeners, actions */

/* Executing's failed-checkpoint countdown (2.0+): armed, if it is not, by
 * every new-slots or new-requirements event whether or not the parallelism
 * would change (onNewResourcesAvailable, onNewResourceRequirements), and
 * disarmed by every trigger it passes on (triggerPotentialRescale: a
 * completed checkpoint, or the countdown reaching zero). Executing's own
 * first onChange/onTrigger and the transition manager's timers leave it
 * alone. */
static void
stm_arm_countdown (AdaptiveScheduler *as)
{
  if (as->stm_failures_armed)
    return;
  as->stm_failures_armed = TRUE;
  as->stm_failed_checkpoints = 0;
}

static void
stm_trigger_potential_rescale (AdaptiveScheduler *as)
{
  stm_on_trigger (as);
  as->stm_failures_armed = FALSE;
  as->stm_failed_checkpoints = 0;
}

static void
checkpoint_completed (gpointer user, const RsimSnapshot *snap)
{
  AdaptiveScheduler *as = user;
  if (uses_stm (as) && as->state == AS_EXECUTING)
    stm_trigger_potential_rescale (as);
}

static void
checkpoint_failed (gpointer user)
{
  AdaptiveScheduler *as = user;
  if (!uses_stm (as) || as->state != AS_EXECUTING || !as->stm_failures_armed)
    return;
  if (++as->stm_failed_checkpoints >= as->conf.as_max_checkpoint_failures)
    stm_trigger_potential_rescale (as);
}

/* 2.x: a trigger refused because not all tasks run counts toward the
 * FLIP-461 failure countdown like a failed checkpoint (it is not a failure
 * for tolerable-failed-checkpoints). */
static void
checkpoint_refused (gpointer user)
{
  checkpoint_failed (user);
}

static void
tolerance_exceeded (gpointer user, const char *reason)
{
  handle_failure (user, reason);
}

static void
exec_failed (gpointer user, int e, const char *cause)
{
  handle_failure (user, cause);
}

static void
resources_changed (AdaptiveScheduler *as)
{
  switch (as->state) {
  case AS_WAITING_FOR_RESOURCES:
    wfr_check (as);
    break;
  case AS_EXECUTING:
    if (uses_stm (as)) {
      stm_on_change (as);
      stm_arm_countdown (as);
    } else
      rescale_check (as, TRUE);
    break;
  default:
    break;
  }
}

static void
as_tm_registered (RsimScheduler *s, RsimTaskManager *tm)
{
  resources_changed (AS (s));
}

static void
as_tm_lost (RsimScheduler *s, RsimTaskManager *tm, const char *reason)
{
  AdaptiveScheduler *as = AS (s);
  rsim_exec_graph_tm_lost (s->eg, tm, reason);
  update_up (as);
  /* The slot pool only notifies new slots: WaitingForResources hears
   * nothing of a loss (its deadline stands). */
}

static void
as_tm_died (RsimScheduler *s, RsimTaskManager *tm)
{
  update_up (AS (s));
  rsim_exec_graph_tm_died (s->eg, tm);
}

static void
as_scale (RsimScheduler *s, const int *parallelism)
{
  AdaptiveScheduler *as = AS (s);
  RsimWorld *w = s->world;
  RsimCluster *cl = w->cluster;
  int need = rsim__sched_taskmanagers_for (s, parallelism);
  int have = rsim_cluster_alive_or_starting (cl);
  if (as->reactive) {
    RSIM_LOG (w, "scheduler", "scale",
              "scale in reactive mode: the TaskManager count goes to %d", need);
    if (need > have) {
      rsim_cluster_start_up_to (cl, need, "scale");
    } else if (need < have) {
      /* Reactive mode follows the TaskManagers: stop the newest ones. */
      g_autoptr (GPtrArray) tms = rsim_cluster_pick_live (cl, have - need);
      for (guint i = 0; i < tms->len; i++) {
        RsimTaskManager *tm = tms->pdata[i];
        rsim_recorder_cause (w->recorder, "scale down: taskmanager %d stopped",
                             tm->id);
        rsim_cluster_stop (cl, tm);
      }
    }
    return;
  }
  if (!rsim_rules_has (&w->rules, RSIM_RULE_RESOURCE_REQUIREMENTS_API)) {
    /* Before 1.18 no API changes a running job's parallelism under the
     * adaptive scheduler (FLIP-291 came in 1.18): its users stop the job
     * with a savepoint and submit it again with the new parallelism. */
    RSIM_LOG (w, "scheduler", "scale",
              "scale with the adaptive scheduler before Flink 1.18 (no "
              "resource-requirements API): stop-with-savepoint, then "
              "resubmit at the new parallelism on %d TaskManager(s)", need);
    rsim__sched_size_cluster (s, need, "scale");
    as_stop_with_savepoint (s, parallelism);
    if (as->state != AS_STOP_WITH_SAVEPOINT)
      s->scale_target_tms = 0;
    return;
  }
  /* FLIP-291 (1.18+): PUT resource-requirements with upper bound = target,
   * lower bound = min(lower, target). */
  for (guint v = 0; v < w->graph->n_vertices; v++)
    if (parallelism[v] >= 1) {
      as->upper[v] = parallelism[v];
      as->lower[v] = MIN (as->lower[v], parallelism[v]);
    }
  RSIM_LOG (w, "scheduler", "requirements",
            "scale: new resource requirements (upper bound = target); %d "
            "TaskManager(s) needed", need);
  rsim_cluster_request_slots (cl, desired_slots (as));
  if (need > have) {
    if (cl->rm_mode == RSIM_RM_STANDALONE)
      rsim_cluster_start_up_to (cl, need, "scale");
  } else if (need < have) {
    s->scale_target_tms = need;
  }
  resources_changed (as);
}

/* FLIP-291 (1.18+, FLINK-31469): PUT /jobs/:jobid/resource-requirements.
 * Validation as JobResourceRequirements.validate: every vertex listed,
 * -1 = default (lower 1, upper = max parallelism), 1 <= lower <= upper <=
 * max parallelism (HTTP 400 otherwise). Reactive mode rejects updates
 * (AdaptiveScheduler.updateJobResourceRequirements). New bounds replace the
 * old ones, desired slots are declared again and the current state reacts:
 * Executing may rescale, WaitingForResources re-evaluates. */
static void
as_set_requirements (RsimScheduler *s, const int *lower, const int *upper)
{
  AdaptiveScheduler *as = AS (s);
  RsimWorld *w = s->world;
  RsimJobGraph *g = w->graph;
  if (!rsim_rules_has (&w->rules, RSIM_RULE_RESOURCE_REQUIREMENTS_API)) {
    RSIM_LOG (w, "scheduler", "refused",
              "resource requirements update rejected: HTTP 404, the "
              "resource-requirements endpoint exists since Flink 1.18 (FLIP-291)");
    return;
  }
  if (as->reactive) {
    RSIM_LOG (w, "scheduler", "refused",
              "resource requirements update rejected: not supported in "
              "reactive mode (the TaskManagers decide the parallelism)");
    return;
  }
  int *lo = g_new (int, g->n_vertices), *up = g_new (int, g->n_vertices);
  const char *problem = NULL;
  guint bad = 0;
  for (guint v = 0; v < g->n_vertices && problem == NULL; v++) {
    bad = v;
    if (lower[v] == RSIM_BOUND_MISSING || upper[v] == RSIM_BOUND_MISSING) {
      problem = "every vertex of the job must be listed";
      break;
    }
    lo[v] = lower[v] == -1 ? 1 : lower[v];
    up[v] = upper[v] == -1 ? g->max_parallelism[v] : upper[v];
    if (lo[v] < 1)
      problem = "the lower bound must be at least 1";
    else if (lo[v] > up[v])
      problem = "the lower bound must not exceed the upper bound";
    else if (up[v] > g->max_parallelism[v])
      problem = "the upper bound must not exceed the max parallelism";
  }
  if (problem != NULL) {
    RSIM_LOG (w, "scheduler", "refused",
              "resource requirements update rejected (HTTP 400): vertex %s: "
              "%s (lower %d, upper %d, max parallelism %d)",
              g->spec.vertices[bad].name, problem, lower[bad], upper[bad],
              g->max_parallelism[bad]);
    g_free (lo);
    g_free (up);
    return;
  }
  /* DefaultVertexParallelismStore.applyJobResourceRequirements: bounds
   * equal to the current ones change nothing, declare nothing and notify
   * no state. */
  gboolean same = memcmp (as->lower, lo, sizeof (int) * g->n_vertices) == 0
    && memcmp (as->upper, up, sizeof (int) * g->n_vertices) == 0;
  if (!same) {
    memcpy (as->lower, lo, sizeof (int) * g->n_vertices);
    memcpy (as->upper, up, sizeof (int) * g->n_vertices);
  }
  g_free (lo);
  g_free (up);
  if (same) {
    RSIM_LOG (w, "scheduler", "requirements",
              "resource requirements unchanged: nothing to do");
    return;
  }
  RSIM_LOG (w, "scheduler", "requirements",
            "resource requirements updated; %d slot(s) desired",
            desired_slots (as));
  rsim_cluster_request_slots (w->cluster, desired_slots (as));
  resources_changed (as);
}

/* A failed synchronous savepoint of StopWithSavepoint: from 1.15 every task
 * fails with "Stop-with-savepoint failed." (FLINK-23532) and the restart
 * strategy decides (StopWithSavepoint.onFailure); on 1.13.1-1.14 the tasks
 * go on and the scheduler goes back to a new Executing state on the same
 * execution graph (FLINK-22266): nothing is redeployed or reprocessed, the
 * cooldown starts again. */
static void
stop_with_savepoint_failed (AdaptiveScheduler *as)
{
  RsimWorld *w = W (as);
  RsimExecGraph *eg = EG (as);
  as->resubmit = FALSE;
  g_clear_pointer (&as->resubmit_parallelism, g_free);
  as->parent.scale_target_tms = 0;
  if (rsim_rules_has (&w->rules, RSIM_RULE_STOP_WITH_SAVEPOINT_FAILURE_FAILS_TASKS)) {
    RSIM_LOG (w, "scheduler", "stop_failed",
              "stop-with-savepoint failed: every task fails "
              "(\"Stop-with-savepoint failed.\", Flink 1.15+)");
    for (int e = 0; e < eg->n_ex; e++)
      rsim_exec_graph_fail (eg, e, "Stop-with-savepoint failed.");
    return;
  }
  RSIM_LOG (w, "scheduler", "stop_failed",
            "stop-with-savepoint failed: the tasks go on; back to a new "
            "Executing state");
  enter_executing (as, "stop-with-savepoint failed");
}

static void
savepoint_done (gpointer user, gboolean ok, const RsimSnapshot *snap)
{
  AdaptiveScheduler *as = user;
  RsimWorld *w = W (as);
  gboolean upgrade_sp = as->upgrading && as->state == AS_EXECUTING;
  if ((as->state == AS_STOP_WITH_SAVEPOINT || upgrade_sp)
      && rsim__sched_retry_savepoint (&as->parent, ok))
    return;
  if (as->upgrading && as->state != AS_CANCELING) {
    if (!upgrade_sp || !ok) {
      as->upgrading = FALSE;
      g_clear_pointer (&as->upgrade_parallelism, g_free);
    }
    if (!upgrade_sp) {
      RSIM_LOG (w, "scheduler", "upgrade_aborted",
                "upgrade abandoned: the job left RUNNING before its "
                "savepoint completed");
      return;
    }
    if (!ok) {
      rsim__sched_upgrade_savepoint_failed (&as->parent);
      return;
    }
    rsim__sched_upgrade_savepoint_done (&as->parent, snap);
    upgrade_cancel (as, snap);
    return;
  }
  if (as->state != AS_STOP_WITH_SAVEPOINT)
    return;
  if (!ok) {
    stop_with_savepoint_failed (as);
    return;
  }
  rsim_snapshot_clear (&as->parent.submitted);
  rsim_snapshot_copy (&as->parent.submitted, snap);
  go_finished (as, RSIM_JOB_FINISHED, "stopped with a savepoint");
  if (as->resubmit)
    rsim__sched_submit_later (&as->parent, resubmit_cb);
}

static void start_job (AdaptiveScheduler *as, const RsimSnapshot *from);

static void
resubmit_cb (RsimEngine *e, gpointer d)
{
  AdaptiveScheduler *as = d;
  RsimWorld *w = W (as);
  if (as->resubmit_parallelism)
    for (guint v = 0; v < w->graph->n_vertices; v++)
      if (as->resubmit_parallelism[v] >= 1 && !as->reactive)
        as->upper[v] = as->resubmit_parallelism[v];
  g_clear_pointer (&as->resubmit_parallelism, g_free);
  as->resubmit = FALSE;
  RsimSnapshot from = { 0 };
  rsim_snapshot_copy (&from, &as->parent.submitted);
  rsim__sched_log_resubmit (&as->parent, &from);
  start_job (as, &from);
  rsim_snapshot_clear (&from);
}

static void
as_stop_with_savepoint (RsimScheduler *s, const int *parallelism)
{
  AdaptiveScheduler *as = AS (s);
  RsimWorld *w = s->world;
  /* AdaptiveScheduler.stopWithSavepoint: only Executing takes it. */
  if (as->state != AS_EXECUTING) {
    RSIM_LOG (w, "scheduler", "refused",
              "stop-with-savepoint refused: the job is not executing (%s; "
              "TRIGGER_CHECKPOINT_FAILURE)", state_names[as->state]);
    return;
  }
  if (!rsim_exec_graph_all_running (EG (as))) {
    /* Executing accepts it and hands over to StopWithSavepoint, but the
     * checkpoint coordinator refuses the synchronous savepoint at once
     * (NOT_ALL_REQUIRED_TASKS_RUNNING): no barrier reached a task, so
     * onSavepointFailure restarts the checkpoint scheduler and goes back
     * to a new Executing while the tasks go on deploying. */
    enter (as, AS_STOP_WITH_SAVEPOINT, "stop-with-savepoint");
    rsim_checkpoint_stop_scheduler (w->checkpoints);
    w->recorder->result->savepoints_failed++;
    RSIM_LOG (w, "scheduler", "stop_failed",
              "stop-with-savepoint failed on the JobManager: the savepoint is "
              "not triggered (NOT_ALL_REQUIRED_TASKS_RUNNING); the tasks go "
              "on; back to a new Executing state");
    enter_executing (as, "stop-with-savepoint failed");
    return;
  }
  enter (as, AS_STOP_WITH_SAVEPOINT, "stop-with-savepoint");
  as->resubmit = parallelism != NULL;
  g_free (as->resubmit_parallelism);
  as->resubmit_parallelism = parallelism
    ? g_memdup2 (parallelism, sizeof (int) * w->graph->n_vertices) : NULL;
  rsim_recorder_cause (w->recorder, "stop-with-savepoint%s",
                       as->resubmit ? " and resubmit" : "");
  /* The synchronous savepoint's barrier stops the sources (leaving
   * Executing stopped processing already). */
  rsim_checkpoint_stop_scheduler (w->checkpoints);
  rsim_checkpoint_trigger_savepoint (w->checkpoints);
}

/* Cancels the job for an upgrade; the new job restores `from` (NULL:
 * empty state). */
static void
upgrade_cancel (AdaptiveScheduler *as, const RsimSnapshot *from)
{
  RsimWorld *w = W (as);
  rsim__upgrade_set_restore (w, &as->parent.submitted, from);
  g_free (as->resubmit_parallelism);
  as->resubmit_parallelism = g_steal_pointer (&as->upgrade_parallelism);
  as->resubmit = TRUE;
  rsim_checkpoint_abort (w->checkpoints, "job cancelled for an upgrade");
  enter (as, AS_CANCELING, "cancelled for an upgrade");
  gboolean done = cancel_all (as);
  update_up (as);
  if (done)
    upgrade_cancelled (as);
}

static void
upgrade_cancelled (AdaptiveScheduler *as)
{
  RsimWorld *w = W (as);
  as->upgrading = FALSE;
  go_finished (as, RSIM_JOB_CANCELED, "cancelled for an upgrade");
  rsim__upgrade_note_discard (w, &as->parent.submitted, as->parent.upgrade_how);
  if (rsim__sched_hand_over (&as->parent)) {
    as->resubmit = FALSE;
    g_clear_pointer (&as->resubmit_parallelism, g_free);
    return;
  }
  rsim__sched_submit_later (&as->parent, resubmit_cb);
}

static void
as_upgrade (RsimScheduler *s, const int *parallelism, RsimUpgradeHow how,
            int savepoint_retries)
{
  AdaptiveScheduler *as = AS (s);
  RsimWorld *w = s->world;
  if (!job_up (as) || as->upgrading) {
    RSIM_LOG (w, "scheduler", "refused",
              "upgrade refused: %s", as->upgrading
              ? "another upgrade is in progress"
              : "the job is not RUNNING");
    return;
  }
  s->savepoint_retries = MAX (savepoint_retries, 0);
  rsim__sched_size_cluster (s, rsim__sched_taskmanagers_for (s, parallelism),
                            "upgrade");
  if (how == RSIM_UPGRADE_STOP_WITH_SAVEPOINT) {
    as_stop_with_savepoint (s, parallelism);
    return;
  }
  as->upgrading = TRUE;
  g_free (as->upgrade_parallelism);
  as->upgrade_parallelism = g_memdup2 (parallelism,
                                       sizeof (int) * w->graph->n_vertices);
  const RsimSnapshot *from = NULL;
  if (rsim__sched_upgrade_begin (s, how, &from))
    upgrade_cancel (as, from);
}

static void
as_flink_modify (RsimScheduler *s, const int *parallelism)
{
  RSIM_LOG (s->world, "scheduler", "refused",
            "flink modify refused: HTTP 503 \"Rescaling is temporarily "
            "disabled. See FLINK-12312.\" (Flink 1.9+)");
}

static void
as_submit (RsimScheduler *s, const RsimSnapshot *from, const int *parallelism)
{
  AdaptiveScheduler *as = AS (s);
  if (!rsim__sched_accept_submit (s, as_job_status (s)))
    return;
  if (parallelism && !as->reactive)
    for (guint v = 0; v < s->world->graph->n_vertices; v++)
      if (parallelism[v] >= 1)
        as->upper[v] = parallelism[v];
  RsimSnapshot copy = { 0 };
  rsim__upgrade_set_restore (s->world, &copy, from);
  rsim__sched_log_resubmit (s, &copy);
  start_job (as, from ? &copy : NULL);
  rsim_snapshot_clear (&copy);
}

static RsimJobStatus
as_job_status (RsimScheduler *s)
{
  AdaptiveScheduler *as = AS (s);
  if (as->state == AS_FINISHED)
    return as->final_status;
  /* 1.13-1.14 reported INITIALIZING while waiting for resources and
   * creating the graph (FLINK-24824 made it CREATED in 1.15). */
  if ((as->state == AS_WAITING_FOR_RESOURCES
       || as->state == AS_CREATING_EXECUTION_GRAPH)
      && !rsim_rules_has (&W (as)->rules, RSIM_RULE_AS_CREATED_WHILE_WAITING))
    return RSIM_JOB_INITIALIZING;
  return state_status[as->state];
}

static int
as_deployed_parallelism (RsimScheduler *s, int vertex)
{
  AdaptiveScheduler *as = AS (s);
  if (as->state == AS_FINISHED || as->state == AS_CREATED
      || as->state == AS_WAITING_FOR_RESOURCES || !as->graph_valid)
    return 0;
  return s->world->graph->parallelism[vertex];
}

static void
start_job (AdaptiveScheduler *as, const RsimSnapshot *from)
{
  as->job_gen++;
  as->state = AS_CREATED;
  rsim__sched_new_job (&as->parent, from);
  go_waiting (as, "job submitted");
}

static void
as_start (RsimScheduler *s)
{
  AdaptiveScheduler *as = AS (s);
  RsimWorld *w = s->world;
  RSIM_LOG (w, "scheduler", "submit",
            "job submitted to the %s (resource-wait-timeout %s, "
            "resource-stabilization-timeout %.3f s, restart strategy %s)",
            as->reactive ? "adaptive scheduler in reactive mode"
                         : "adaptive scheduler",
            as->conf.as_resource_wait_timeout < 0 ? "infinite" : "set",
            RSIM_TIME_TO_SEC (as->conf.as_resource_stabilization_timeout),
            rsim_restart_strategy_describe (s->restart));
  /* The data flow needs regions before the first graph exists. */
  RsimJobGraph *g = w->graph;
  rsim_dataflow_set_regions (w->flow, g->n_regions, g->region_share,
                             g->region_capacity);
  start_job (as, NULL);
}

static void
as_free (RsimScheduler *s)
{
  AdaptiveScheduler *as = AS (s);
  rsim__sched_clear (s);
  g_free (as->lower);
  g_free (as->upper);
  g_free (as->planned);
  g_free (as->resubmit_parallelism);
  g_free (as->upgrade_parallelism);
  g_free (as);
}

static const RsimSchedulerClass adaptive_class = {
  .name = "adaptive",
  .start = as_start,
  .free = as_free,
  .tm_registered = as_tm_registered,
  .tm_lost = as_tm_lost,
  .tm_died = as_tm_died,
  .fail_task = rsim__sched_fail_task,
  .stop_with_savepoint = as_stop_with_savepoint,
  .upgrade = as_upgrade,
  .submit = as_submit,
  .flink_modify = as_flink_modify,
  .scale = as_scale,
  .set_requirements = as_set_requirements,
  .job_status = as_job_status,
  .deployed_parallelism = as_deployed_parallelism,
  .job_phase = rsim__sched_job_phase,
};

RsimScheduler *
rsim_adaptive_scheduler_new (RsimWorld *world, gboolean reactive)
{
  AdaptiveScheduler *as = g_new0 (AdaptiveScheduler, 1);
  as->reactive = reactive;
  as->conf = *world->conf;
  rsim_flink_conf_apply_mode (&as->conf, reactive);
  /* The restart strategies read the world's configuration. */
  world->conf = &as->conf;
  RsimJobGraph *g = world->graph;
  as->lower = g_new (int, g->n_vertices);
  as->upper = g_new (int, g->n_vertices);
  for (guint v = 0; v < g->n_vertices; v++) {
    as->lower[v] = 1;
    /* Reactive mode: upper bound = max parallelism
     * (AdaptiveScheduler.computeReactiveModeVertexParallelismStore); else
     * the job's declared parallelism (a scheduler that takes over a job
     * after an upgrade sees what the job declares, not what ran). */
    as->upper[v] = reactive ? g->max_parallelism[v]
                            : g->spec.vertices[v].parallelism;
  }
  const RsimExecListener exec = { exec_failed, exec_cancelled, exec_restored };
  const RsimCheckpointListener cp = {
    .completed = checkpoint_completed,
    .failed = checkpoint_failed,
    .refused = checkpoint_refused,
    .savepoint_done = savepoint_done,
    .tolerance_exceeded = tolerance_exceeded,
  };
  /* Local recovery only since 1.18 (FLINK-21450); before, the adaptive
   * scheduler "always downloads the entire state" (elastic_scaling docs). */
  rsim__sched_init (&as->parent, &adaptive_class, world, &exec,
                    rsim_rules_has (&world->rules, RSIM_RULE_AS_LOCAL_RECOVERY),
                    &cp);
  return &as->parent;
}
