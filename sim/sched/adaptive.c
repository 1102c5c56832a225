/* The adaptive scheduler (FLIP-160) and reactive mode (FLIP-159), with the
 * rules of each Flink version.
 *
 * Sources: flink-runtime/src/main/java/org/apache/flink/runtime/scheduler/
 * adaptive/ (AdaptiveScheduler.java, WaitingForResources.java,
 * CreatingExecutionGraph.java, Executing.java, Restarting.java,
 * StopWithSavepoint.java, Failing.java, Canceling.java, Finished.java,
 * DefaultStateTransitionManager.java, allocator/SlotSharingSlotAllocator.java);
 * shared/reference/flink-behaviour.md §1 and §2.
 *
 * State machine (JobStatus in brackets):
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
 *   StopWithSavepoint -> Executing      savepoint_done (failed savepoint)
 *   Restarting -> WFR / CEG             restart_backoff_cb
 *   Failing -> Finished(FAILED)         cancel_done
 *
 * Per-state invariants (checked by assert_state()):
 *   Created, WFR, Finished: no execution is live, no slot is held;
 *   CEG: an execution graph is planned (n_ex > 0), none live;
 *   Executing, StopWithSavepoint: every execution holds a shared slot with a
 *     physical slot, and none is CANCELING;
 *   Restarting, Failing: no execution is DEPLOYING, INITIALIZING or RUNNING.
 *
 * Timers run only in the state instance that set them (runIfState): each
 * entry to a state bumps `state_gen`, and every timer carries the gen it was
 * set in. */
#include "sched/sched.h"

#include <rescalesim/timeline.h>

#include <string.h>

#define AS_STATE_LIST(X)                                     \
  X (CREATED, "Created", "INITIALIZING")                     \
  X (WAITING_FOR_RESOURCES, "WaitingForResources", "CREATED") \
  X (CREATING_EXECUTION_GRAPH, "CreatingExecutionGraph", "CREATED") \
  X (EXECUTING, "Executing", "RUNNING")                      \
  X (RESTARTING, "Restarting", "RESTARTING")                 \
  X (STOP_WITH_SAVEPOINT, "StopWithSavepoint", "RUNNING")    \
  X (CANCELING, "Canceling", "CANCELLING")                   \
  X (FAILING, "Failing", "FAILING")                          \
  X (FINISHED, "Finished", "FINISHED")

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

static const char *const state_status[] = {
#define RSIM_X(id, name, status) status,
  AS_STATE_LIST (RSIM_X)
#undef RSIM_X
};

typedef enum { EX_IDLE, EX_DEPLOYING, EX_INITIALIZING, EX_RUNNING,
               EX_CANCELING, EX_DONE } ExState;

typedef struct {
  ExState state;
  int shared;
  guint token;
} Execution;

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
  /* Execution graph. */
  Execution *ex;
  int n_ex;
  int *ssg_base;
  int n_shared;
  int *shared_tm, *shared_slot;
  gboolean graph_valid;
  int *prev_tm;                /* per execution: TaskManager of the last
                                * deployment at this parallelism, or -1 */
  int *prev_parallelism;
  guint graph_gen;             /* bumped by every new execution graph */
  RsimRestartStrategy *restart;
  RsimSnapshot submitted;      /* state the job was submitted with */
  gboolean ever_up;
  gboolean deployed_once;      /* this job incarnation deployed before */
  /* WaitingForResources */
  gboolean wfr_deadline_set;
  /* Restarting */
  gboolean restart_is_rescale;
  RsimTime restart_backoff;
  int *planned;                /* rescale target, or NULL */
  gboolean failing;            /* Failing: finish as FAILED */
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
  int scale_target_tms;        /* > 0: stop idle TaskManagers down to this */
  /* A platform's upgrade (savepoint then cancel, or cancel) */
  gboolean upgrading;
  RsimUpgradeHow upgrade_how;
  int savepoint_retries;       /* further attempts of a failing savepoint */
  int *upgrade_parallelism;
} AdaptiveScheduler;

#define AS(s) ((AdaptiveScheduler *) (s))

static RsimWorld *W (AdaptiveScheduler *as) { return as->parent.world; }
static RsimTime now_of (AdaptiveScheduler *as)
{
  return rsim_engine_now (W (as)->engine);
}

typedef struct {
  AdaptiveScheduler *as;
  guint gen;                   /* state_gen or execution token */
  int index;
  guint job_gen;
  guint graph_gen;             /* execution events: the graph they belong to */
} Ref;

static Ref *
ref_new (AdaptiveScheduler *as, guint gen, int index)
{
  Ref *r = g_new (Ref, 1);
  r->as = as;
  r->gen = gen;
  r->index = index;
  r->job_gen = as->job_gen;
  r->graph_gen = as->graph_gen;
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

static gboolean
ex_live (ExState s)
{
  return s == EX_DEPLOYING || s == EX_INITIALIZING || s == EX_RUNNING;
}

static void
assert_state (AdaptiveScheduler *as)
{
  switch (as->state) {
  case AS_CREATED:
  case AS_WAITING_FOR_RESOURCES:
  case AS_FINISHED:
    for (int e = 0; e < as->n_ex; e++)
      g_assert (!ex_live (as->ex[e].state) && as->ex[e].state != EX_CANCELING);
    for (int k = 0; k < as->n_shared; k++)
      g_assert (as->shared_tm[k] < 0);
    break;
  case AS_CREATING_EXECUTION_GRAPH:
    for (int e = 0; e < as->n_ex; e++)
      g_assert (!ex_live (as->ex[e].state));
    break;
  case AS_EXECUTING:
  case AS_STOP_WITH_SAVEPOINT:
    g_assert (as->n_ex > 0);
    for (int e = 0; e < as->n_ex; e++) {
      g_assert (as->ex[e].state != EX_CANCELING);
      g_assert (as->shared_tm[as->ex[e].shared] >= 0
                || as->ex[e].state == EX_DONE);
    }
    break;
  case AS_RESTARTING:
  case AS_FAILING:
  case AS_CANCELING:
    for (int e = 0; e < as->n_ex; e++)
      g_assert (!ex_live (as->ex[e].state));
    break;
  }
}

static void update_up (AdaptiveScheduler *as);

static const char *as_job_state (RsimScheduler *s);

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
  rsim__recorder_job_status (w->recorder, as_job_state (&as->parent));
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
  int n = 0;
  for (int k = 0; k < as->n_shared; k++)
    n += as->shared_tm[k] >= 0;
  return n;
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
 * maxLower + min(range, floor((free - reserved) / remaining)). */
static gboolean
determine_parallelism (AdaptiveScheduler *as, int slots, int *out)
{
  RsimWorld *w = W (as);
  RsimJobGraph *g = w->graph;
  int n = g->n_ssg;
  int *max_lower = g_new0 (int, n), *max_upper = g_new0 (int, n);
  int *got = g_new0 (int, n);
  for (guint v = 0; v < g->n_vertices; v++) {
    int s = g->ssg[v];
    max_lower[s] = MAX (max_lower[s], as->lower[v]);
    max_upper[s] = MAX (max_upper[s], as->upper[v]);
  }
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
          if (max_upper[a] - max_lower[a] <= max_upper[b] - max_lower[b])
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
release_slots (AdaptiveScheduler *as)
{
  RsimCluster *cl = W (as)->cluster;
  for (int k = 0; k < as->n_shared; k++) {
    if (as->shared_tm[k] >= 0) {
      RsimTaskManager *tm = rsim_cluster_get (cl, as->shared_tm[k]);
      if (tm && tm->slot_user[as->shared_slot[k]] == k)
        tm->slot_user[as->shared_slot[k]] = -1;
    }
    as->shared_tm[k] = as->shared_slot[k] = -1;
  }
}

static void
free_graph (AdaptiveScheduler *as)
{
  release_slots (as);
  g_clear_pointer (&as->ex, g_free);
  g_clear_pointer (&as->ssg_base, g_free);
  g_clear_pointer (&as->shared_tm, g_free);
  g_clear_pointer (&as->shared_slot, g_free);
  as->n_ex = as->n_shared = 0;
}

static void
build_graph (AdaptiveScheduler *as, const int *parallelism)
{
  RsimWorld *w = W (as);
  RsimJobGraph *g = w->graph;
  free_graph (as);
  gboolean same = as->prev_parallelism != NULL
    && memcmp (as->prev_parallelism, parallelism, sizeof (int) * g->n_vertices) == 0;
  rsim_job_graph_set_parallelism (g, parallelism);
  if (!same) {
    g_free (as->prev_tm);
    g_free (as->prev_parallelism);
    as->prev_parallelism = g_memdup2 (g->parallelism, sizeof (int) * g->n_vertices);
    as->prev_tm = g_new (int, g->n_executions);
    for (int e = 0; e < g->n_executions; e++)
      as->prev_tm[e] = -1;
  }
  as->n_ex = g->n_executions;
  as->ex = g_new0 (Execution, as->n_ex);
  as->graph_gen++;
  as->ssg_base = g_new0 (int, g->n_ssg + 1);
  int base = 0;
  for (int s = 0; s < g->n_ssg; s++) {
    as->ssg_base[s] = base;
    int m = 0;
    for (guint v = 0; v < g->n_vertices; v++)
      if (g->ssg[v] == s)
        m = MAX (m, g->parallelism[v]);
    base += m;
  }
  as->n_shared = base;
  as->shared_tm = g_new (int, base);
  as->shared_slot = g_new (int, base);
  for (int k = 0; k < base; k++)
    as->shared_tm[k] = as->shared_slot[k] = -1;
  for (guint v = 0; v < g->n_vertices; v++)
    for (int i = 0; i < g->parallelism[v]; i++)
      as->ex[rsim_job_graph_execution (g, (int) v, i)].shared =
        as->ssg_base[g->ssg[v]] + i;
  w->layout++;
  rsim_dataflow_set_regions (w->flow, g->n_regions, g->region_share,
                             g->region_capacity);
  as->graph_valid = TRUE;
}

/* Reserves a registered slot for every shared slot (lowest TaskManager id
 * first; a dead TaskManager the JobManager still lists counts). */
static gboolean
reserve_slots (AdaptiveScheduler *as)
{
  RsimCluster *cl = W (as)->cluster;
  int k = 0;
  for (guint i = 0; i < cl->tms->len && k < as->n_shared; i++) {
    RsimTaskManager *tm = cl->tms->pdata[i];
    if (!tm->registered)
      continue;
    for (int s = 0; s < tm->n_slots && k < as->n_shared; s++)
      if (tm->slot_user[s] < 0) {
        tm->slot_user[s] = k;
        as->shared_tm[k] = tm->id;
        as->shared_slot[k] = s;
        k++;
      }
  }
  if (k < as->n_shared) {
    release_slots (as);
    return FALSE;
  }
  return TRUE;
}

static RsimTaskManager *
ex_tm (AdaptiveScheduler *as, int e)
{
  int k = as->ex[e].shared;
  return as->shared_tm[k] < 0 ? NULL
                              : rsim_cluster_get (W (as)->cluster, as->shared_tm[k]);
}

static gboolean
job_up (AdaptiveScheduler *as)
{
  if (as->state != AS_EXECUTING || as->n_ex == 0)
    return FALSE;
  for (int e = 0; e < as->n_ex; e++) {
    RsimTaskManager *tm = ex_tm (as, e);
    if (as->ex[e].state != EX_RUNNING || tm == NULL
        || tm->process != RSIM_TM_RUNNING)
      return FALSE;
  }
  return TRUE;
}

static void stop_idle_taskmanagers (AdaptiveScheduler *as);

static void
update_up (AdaptiveScheduler *as)
{
  RsimWorld *w = W (as);
  RsimDataflow *flow = w->flow;
  gboolean up = job_up (as);
  gboolean *v = g_new (gboolean, MAX (flow->n_regions, 1));
  for (int r = 0; r < flow->n_regions; r++)
    v[r] = up;
  rsim_dataflow_set_up (flow, v);
  g_free (v);
  if (up) {
    if (!as->ever_up) {
      as->ever_up = TRUE;
      w->recorder->result->startup_s = RSIM_TIME_TO_SEC (now_of (as));
      rsim_dataflow_set_should_run (flow, TRUE);
    }
    if (rsim_rules_has (&w->rules, RSIM_RULE_CHECKPOINT_AFTER_ALL_RUNNING))
      rsim_checkpoint_start_scheduler (w->checkpoints);
    if (as->scale_target_tms > 0)
      stop_idle_taskmanagers (as);
  }
}

/* ------------------------------------------------------------ transitions */

static void go_waiting (AdaptiveScheduler *as, const char *why);
static void wfr_deadline_cb (RsimEngine *e, gpointer d);
static void restart_backoff_cb (RsimEngine *e, gpointer d);
static void resubmit_cb (RsimEngine *e, gpointer d);
static void go_creating (AdaptiveScheduler *as, const char *why);
static void go_executing (AdaptiveScheduler *as);
static void go_restarting (AdaptiveScheduler *as, RsimTime backoff,
                           gboolean rescale, const int *planned,
                           const char *why);
static void go_finished (AdaptiveScheduler *as, const char *status,
                         const char *why);
static void handle_failure (AdaptiveScheduler *as, const char *cause);
static void upgrade_cancelled (AdaptiveScheduler *as);
static void upgrade_cancel (AdaptiveScheduler *as, const RsimSnapshot *from);
static int taskmanagers_for (AdaptiveScheduler *as, const int *par);
static void stop_idle_taskmanagers (AdaptiveScheduler *as);
static void rescale_check (AdaptiveScheduler *as, gboolean resources_event);

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
    as->wfr_deadline_set = FALSE;
    return;
  }
  if (!as->wfr_deadline_set) {
    as->wfr_deadline_set = TRUE;
    RsimTime stab = as->conf.as_resource_stabilization_timeout;
    RSIM_LOG (W (as), "scheduler", "stabilizing",
              "sufficient resources: waiting %.3f s for resource "
              "stabilization", RSIM_TIME_TO_SEC (stab));
    run_if_state (as, stab, wfr_deadline_cb);
  }
}

static void
wfr_deadline_cb (RsimEngine *e, gpointer d)
{
  Ref *r = d;
  if (!still (r))
    return;
  AdaptiveScheduler *as = r->as;
  if (!as->wfr_deadline_set)
    return;
  as->wfr_deadline_set = FALSE;
  if (has_sufficient (as))
    go_creating (as, "resources stable (resource-stabilization-timeout)");
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
  release_slots (as);
  as->wfr_deadline_set = FALSE;
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
    go_finished (as, "FAILED", "NoResourceAvailableException: not enough "
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
  run_if_state (as, (RsimTime) (per * as->n_ex + 0.5), ceg_done_cb);
}

/* Deployment: like the default scheduler's, for the whole job. */
static const RsimSnapshot *
restore_source (AdaptiveScheduler *as)
{
  const RsimSnapshot *latest = &W (as)->checkpoints->latest;
  return latest->valid ? latest : &as->submitted;
}

static void
ex_failed_cb (RsimEngine *e, gpointer d)
{
  Ref *r = d;
  AdaptiveScheduler *as = r->as;
  if (r->graph_gen != as->graph_gen || r->index >= as->n_ex
      || as->ex[r->index].token != r->gen)
    return;
  rsim__recorder_count_failed_deployment (W (as)->recorder);
  RsimTaskManager *tm = ex_tm (as, r->index);
  g_autofree char *cause = g_strdup_printf (
    "deployment to taskmanager %d failed: the TaskManager does not answer",
    tm ? tm->id : -1);
  handle_failure (as, cause);
}

static void
running_cb (RsimEngine *e, gpointer d)
{
  Ref *r = d;
  if (!still (r))
    return;
  AdaptiveScheduler *as = r->as;
  for (int i = 0; i < as->n_ex; i++) {
    RsimTaskManager *tm = ex_tm (as, i);
    if (as->ex[i].state == EX_INITIALIZING && tm
        && tm->process == RSIM_TM_RUNNING)
      as->ex[i].state = EX_RUNNING;
  }
  RSIM_LOG (W (as), "scheduler", "job_running", "all tasks running: state restored");
  update_up (as);
}

static void
deploy_all (AdaptiveScheduler *as)
{
  RsimWorld *w = W (as);
  const RsimSnapshot *snap = restore_source (as);
  for (int r = 0; r < w->graph->n_regions; r++) {
    double off = snap->layout == w->layout && r < snap->n_regions
      ? snap->offsets[r] : snap->total_offset * w->graph->region_share[r];
    double again = rsim_dataflow_rewind (w->flow, r, off);
    if (again > 0.0)
      rsim__recorder_count_reprocessed (w->recorder, again);
  }
  RsimTime fixed = rsim_world_cost_time (w, &w->costs->deploy_fixed, "deploy_fixed");
  double per = rsim_world_cost (w, &w->costs->deploy_per_task, "deploy_per_task");
  RsimTime deploy = fixed + (RsimTime) (per * as->n_ex + 0.5);
  double rfixed = rsim_world_cost (w, &w->costs->restore_fixed, "restore_fixed");
  double bw = rsim_world_cost (w, &w->costs->state_download_bandwidth,
                               "state_download_bandwidth");
  RsimTime restore = 0;
  for (int i = 0; i < as->n_ex; i++) {
    Execution *x = &as->ex[i];
    x->state = EX_DEPLOYING;
    x->token++;
    RsimTaskManager *tm = ex_tm (as, i);
    RsimTime fail_after;
    if (!rsim_cluster_rpc (w->cluster, tm, &fail_after)) {
      rsim_engine_schedule_in (w->engine, fixed + fail_after, ex_failed_cb,
                               ref_new (as, x->token, i), g_free);
      continue;
    }
    x->state = EX_INITIALIZING;
    int v, sub;
    rsim_job_graph_execution_vertex (w->graph, i, &v, &sub);
    int old_p = snap->valid && snap->parallelism ? snap->parallelism[v] : 0;
    /* Local recovery only since 1.18 (FLINK-21450); before, the adaptive
     * scheduler "always downloads the entire state" (elastic_scaling docs). */
    gboolean local = w->conf->local_recovery
      && rsim_rules_has (&w->rules, RSIM_RULE_AS_LOCAL_RECOVERY) && snap->valid
      && !snap->savepoint && old_p == w->graph->parallelism[v]
      && as->prev_tm[i] == tm->id;
    as->prev_tm[i] = tm->id;
    double bytes = snap->valid && !local
      ? rsim_job_graph_restore_bytes (w->graph, v, sub, old_p) : 0.0;
    RsimTime t = (RsimTime) (rfixed + (bw > 0 ? bytes / bw * 1e6 : 0) + 0.5);
    restore = MAX (restore, t);
  }
  /* Every deployment after the job's first is a new attempt of each task. */
  if (as->deployed_once)
    w->recorder->result->task_attempts += as->n_ex;
  as->deployed_once = TRUE;
  run_if_state (as, deploy + restore, running_cb);
}

/* 2.0+: the state transition manager of Executing (§1.4). */
static void stm_on_change (AdaptiveScheduler *as);
static void stm_on_trigger (AdaptiveScheduler *as);
static void stm_enter_cooldown (AdaptiveScheduler *as);

static gboolean
uses_stm (AdaptiveScheduler *as)
{
  return rsim_rules_has (&W (as)->rules, RSIM_RULE_AS_RESCALE_ON_CHECKPOINT);
}

static void
go_executing (AdaptiveScheduler *as)
{
  RsimWorld *w = W (as);
  enter (as, AS_EXECUTING, "execution graph created, slots reserved");
  as->executing_since = now_of (as);
  as->eval_pending = as->forced_pending = FALSE;
  /* Every restart builds a new execution graph and checkpoint coordinator:
   * the first checkpoint comes after a random delay again. */
  w->checkpoints->ever_started = FALSE;
  if (!rsim_rules_has (&w->rules, RSIM_RULE_CHECKPOINT_AFTER_ALL_RUNNING))
    rsim_checkpoint_start_scheduler (w->checkpoints);
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
cancel_done (AdaptiveScheduler *as, int i)
{
  Execution *x = &as->ex[i];
  if (x->state != EX_CANCELING)
    return;
  x->state = EX_DONE;
  x->token++;
  for (int e = 0; e < as->n_ex; e++)
    if (as->ex[e].state == EX_CANCELING)
      return;
  /* Every task is cancelled. */
  RsimWorld *w = W (as);
  if (as->state == AS_CANCELING && as->upgrading) {
    upgrade_cancelled (as);
    return;
  }
  if (as->state == AS_FAILING || as->state == AS_CANCELING) {
    go_finished (as, as->state == AS_FAILING ? "FAILED" : "CANCELED",
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

static void
cancel_cb (RsimEngine *e, gpointer d)
{
  Ref *r = d;
  AdaptiveScheduler *as = r->as;
  if (r->graph_gen != as->graph_gen || r->index >= as->n_ex
      || as->ex[r->index].token != r->gen)
    return;
  cancel_done (as, r->index);
}

/* Cancels every live execution; returns TRUE if all are done at once. */
static gboolean
cancel_all (AdaptiveScheduler *as)
{
  RsimWorld *w = W (as);
  rsim_checkpoint_stop_scheduler (w->checkpoints);
  gboolean pending = FALSE;
  for (int i = 0; i < as->n_ex; i++) {
    Execution *x = &as->ex[i];
    if (!ex_live (x->state))
      continue;
    RsimTaskManager *tm = ex_tm (as, i);
    x->token++;
    if (tm == NULL || !tm->registered) {
      x->state = EX_DONE;
      continue;
    }
    x->state = EX_CANCELING;
    pending = TRUE;
    RsimTime fail_after, delay;
    if (rsim_cluster_rpc (w->cluster, tm, &fail_after))
      delay = rsim_world_cost_time (w, &w->costs->cancel_task, "cancel_task");
    else
      delay = 3 * fail_after;   /* Execution.NUM_CANCEL_CALL_TRIES */
    rsim_engine_schedule_in (w->engine, delay, cancel_cb,
                             ref_new (as, x->token, i), g_free);
  }
  return !pending;
}

static void
restart_backoff_cb (RsimEngine *e, gpointer d)
{
  Ref *r = d;
  if (!still (r))
    return;
  AdaptiveScheduler *as = r->as;
  RsimWorld *w = W (as);
  release_slots (as);
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
go_finished (AdaptiveScheduler *as, const char *status, const char *why)
{
  RsimWorld *w = W (as);
  enter (as, AS_FINISHED, why);
  rsim_checkpoint_stop_scheduler (w->checkpoints);
  for (int i = 0; i < as->n_ex; i++) {
    as->ex[i].state = EX_DONE;
    as->ex[i].token++;
  }
  release_slots (as);
  as->failing = g_str_equal (status, "FAILED");
  RSIM_LOG (w, "scheduler", "job_finished", "job %s: %s", status, why);
  update_up (as);
  if (!as->failing)
    rsim_dataflow_set_should_run (w->flow, as->resubmit);
  assert_state (as);
}

static void
handle_failure (AdaptiveScheduler *as, const char *cause)
{
  RsimWorld *w = W (as);
  if (as->state != AS_EXECUTING && as->state != AS_STOP_WITH_SAVEPOINT) {
    /* Failures while Restarting (or later) are ignored (§1.2). */
    return;
  }
  rsim_recorder_cause (w->recorder, "%s", cause);
  RSIM_LOG (w, "scheduler", "task_failed", "%s", cause);
  RsimRestartDecision d = rsim_restart_strategy_on_failure (as->restart,
                                                            now_of (as));
  rsim_checkpoint_abort (w->checkpoints, "task failure");
  if (!d.can_restart) {
    enter (as, AS_FAILING, "the restart strategy gives up");
    as->failing = TRUE;
    if (cancel_all (as))
      go_finished (as, "FAILED", "restart strategy exhausted");
    update_up (as);
    return;
  }
  g_autofree char *why = g_strdup_printf (
    "failure: whole-job restart, backoff %.3f s after cancellation (%s)",
    RSIM_TIME_TO_SEC (d.delay), rsim_restart_strategy_describe (as->restart));
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
  if (sufficient)
    as->stm_failures_armed = TRUE;
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
  as->stm_failed_checkpoints = 0;
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

static void
checkpoint_completed (gpointer user, const RsimSnapshot *snap)
{
  AdaptiveScheduler *as = user;
  if (uses_stm (as))
    stm_on_trigger (as);
}

static void
checkpoint_failed (gpointer user)
{
  AdaptiveScheduler *as = user;
  if (!uses_stm (as) || !as->stm_failures_armed)
    return;
  if (++as->stm_failed_checkpoints >= as->conf.as_max_checkpoint_failures)
    stm_on_trigger (as);
}

static void
tolerance_exceeded (gpointer user, const char *reason)
{
  handle_failure (user, reason);
}

static void
resources_changed (AdaptiveScheduler *as)
{
  switch (as->state) {
  case AS_WAITING_FOR_RESOURCES:
    wfr_check (as);
    break;
  case AS_EXECUTING:
    if (uses_stm (as))
      stm_on_change (as);
    else
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
  g_autofree char *cause = g_strdup_printf ("taskmanager %d lost: %s", tm->id,
                                            reason);
  gboolean failed = FALSE;
  for (int i = 0; i < as->n_ex; i++) {
    if (ex_tm (as, i) != tm)
      continue;
    if (as->ex[i].state == EX_DEPLOYING)
      rsim__recorder_count_failed_deployment (s->world->recorder);
    if (as->ex[i].state == EX_CANCELING) {
      cancel_done (as, i);
    } else if (ex_live (as->ex[i].state) && !failed) {
      failed = TRUE;
      handle_failure (as, cause);
    }
  }
  for (int k = 0; k < as->n_shared; k++)
    if (as->shared_tm[k] == tm->id)
      as->shared_tm[k] = as->shared_slot[k] = -1;
  update_up (as);
  if (as->state == AS_WAITING_FOR_RESOURCES)
    wfr_check (as);
}

typedef struct {
  AdaptiveScheduler *as;
  int tm;
  guint job_gen;
} PeerRef;

static void
peer_failure_cb (RsimEngine *e, gpointer d)
{
  PeerRef *r = d;
  AdaptiveScheduler *as = r->as;
  if (r->job_gen != as->job_gen)
    return;
  gboolean on_dead = FALSE, peer = FALSE;
  for (int i = 0; i < as->n_ex; i++) {
    if (!ex_live (as->ex[i].state))
      continue;
    RsimTaskManager *tm = ex_tm (as, i);
    if (tm && tm->id == r->tm)
      on_dead = TRUE;
    else if (tm && tm->process == RSIM_TM_RUNNING)
      peer = TRUE;
  }
  if (on_dead && peer) {
    g_autofree char *cause = g_strdup_printf (
      "connection to taskmanager %d lost: a peer task failed", r->tm);
    handle_failure (as, cause);
  }
}

static void
as_tm_died (RsimScheduler *s, RsimTaskManager *tm)
{
  AdaptiveScheduler *as = AS (s);
  RsimWorld *w = s->world;
  update_up (as);
  if (tm->process == RSIM_TM_HUNG)
    return;
  PeerRef *r = g_new (PeerRef, 1);
  r->as = as;
  r->tm = tm->id;
  r->job_gen = as->job_gen;
  rsim_engine_schedule_in (w->engine,
                           rsim_world_cost_time (w, &w->costs->peer_failure_detection,
                                                 "peer_failure_detection"),
                           peer_failure_cb, r, g_free);
}

static void
as_fail_task (RsimScheduler *s, int vertex, int subtask)
{
  AdaptiveScheduler *as = AS (s);
  RsimJobGraph *g = s->world->graph;
  if (as->state != AS_EXECUTING || subtask >= g->parallelism[vertex]) {
    RSIM_LOG (s->world, "timeline", "ignored",
              "fail_task: %s has no running subtask %d",
              g->spec.vertices[vertex].name, subtask);
    return;
  }
  g_autofree char *cause = g_strdup_printf ("task %s (%d/%d) failed",
                                            g->spec.vertices[vertex].name,
                                            subtask + 1, g->parallelism[vertex]);
  handle_failure (as, cause);
}

static void
stop_idle_taskmanagers (AdaptiveScheduler *as)
{
  int target = as->scale_target_tms;
  as->scale_target_tms = 0;
  rsim_cluster_stop_idle (W (as)->cluster, target);
}

/* TaskManagers the given parallelism needs. */
static int
taskmanagers_for (AdaptiveScheduler *as, const int *par)
{
  RsimWorld *w = W (as);
  return rsim_cluster_taskmanagers_for (
    w->cluster, rsim_job_graph_slots_for (w->graph, par));
}

static void
as_scale (RsimScheduler *s, const int *parallelism)
{
  AdaptiveScheduler *as = AS (s);
  RsimWorld *w = s->world;
  RsimCluster *cl = w->cluster;
  int need = taskmanagers_for (as, parallelism);
  int have = rsim_cluster_alive_or_starting (cl);
  if (!as->reactive) {
    /* FLIP-291 (1.18+): PUT resource-requirements with upper bound = target,
     * lower bound = min(lower, target). Before 1.18 there is no such API; the
     * scale intent still sets the bounds the job would be resubmitted with
     * (documented approximation). */
    for (guint v = 0; v < w->graph->n_vertices; v++)
      if (parallelism[v] >= 1) {
        as->upper[v] = parallelism[v];
        as->lower[v] = MIN (as->lower[v], parallelism[v]);
      }
    RSIM_LOG (w, "scheduler", "requirements",
              "scale: new resource requirements (upper bound = target); %d "
              "TaskManager(s) needed", need);
    rsim_cluster_request_slots (cl, desired_slots (as));
  } else {
    RSIM_LOG (w, "scheduler", "scale",
              "scale in reactive mode: the TaskManager count goes to %d", need);
  }
  if (need > have) {
    if (cl->rm_mode == RSIM_RM_STANDALONE || as->reactive)
      rsim_cluster_start_up_to (cl, need, "scale");
  } else if (need < have) {
    if (as->reactive) {
      /* Reactive mode follows the TaskManagers: stop the newest ones. */
      g_autoptr (GPtrArray) tms = rsim_cluster_pick_live (cl, have - need);
      for (guint i = 0; i < tms->len; i++) {
        RsimTaskManager *tm = tms->pdata[i];
        rsim_recorder_cause (w->recorder, "scale down: taskmanager %d stopped",
                             tm->id);
        rsim_cluster_stop (cl, tm);
      }
    } else {
      as->scale_target_tms = need;
    }
  }
  if (!as->reactive)
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
  memcpy (as->lower, lo, sizeof (int) * g->n_vertices);
  memcpy (as->upper, up, sizeof (int) * g->n_vertices);
  g_free (lo);
  g_free (up);
  RSIM_LOG (w, "scheduler", "requirements",
            "resource requirements updated; %d slot(s) desired",
            desired_slots (as));
  rsim_cluster_request_slots (w->cluster, desired_slots (as));
  resources_changed (as);
}

static void
savepoint_done (gpointer user, gboolean ok, const RsimSnapshot *snap)
{
  AdaptiveScheduler *as = user;
  RsimWorld *w = W (as);
  gboolean upgrade_sp = as->upgrading && as->state == AS_EXECUTING;
  if (!ok && (as->state == AS_STOP_WITH_SAVEPOINT || upgrade_sp)
      && as->savepoint_retries > 0) {
    as->savepoint_retries--;
    RSIM_LOG (w, "scheduler", "savepoint_retry",
              "the savepoint failed; trying again (%d more attempt(s) after "
              "this one)", as->savepoint_retries);
    rsim_checkpoint_trigger_savepoint (w->checkpoints);
    return;
  }
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
      RSIM_LOG (w, "scheduler", "upgrade_aborted",
                "upgrade aborted: the savepoint failed after its retries; "
                "the job keeps running at its parallelism");
      rsim_checkpoint_start_scheduler (w->checkpoints);
      as->scale_target_tms = taskmanagers_for (as, w->graph->parallelism);
      stop_idle_taskmanagers (as);
      return;
    }
    RSIM_LOG (w, "scheduler", "upgrade_cancel",
              "savepoint %" G_GUINT64_FORMAT " done: cancelling the job for "
              "the upgrade", snap->id);
    upgrade_cancel (as, snap);
    return;
  }
  if (as->state != AS_STOP_WITH_SAVEPOINT)
    return;
  if (!ok) {
    RSIM_LOG (w, "scheduler", "stop_failed",
              "stop-with-savepoint failed: back to a new Executing state");
    go_executing (as);
    return;
  }
  rsim_snapshot_clear (&as->submitted);
  rsim_snapshot_copy (&as->submitted, snap);
  go_finished (as, "FINISHED", "stopped with a savepoint");
  if (as->resubmit) {
    RsimTime d = rsim_world_cost_time (w, &w->costs->job_submit, "job_submit");
    rsim_engine_schedule_in (w->engine, d, resubmit_cb, as, NULL);
  }
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
  rsim__recorder_count_rescale (w->recorder);
  RsimSnapshot from = { 0 };
  rsim_snapshot_copy (&from, &as->submitted);
  if (from.valid)
    RSIM_LOG (w, "scheduler", "resubmit", "job resubmitted from %s %"
              G_GUINT64_FORMAT " as a new job",
              from.savepoint ? "savepoint" : "checkpoint", from.id);
  else
    RSIM_LOG (w, "scheduler", "resubmit",
              "job resubmitted from empty state as a new job");
  start_job (as, &from);
  rsim_snapshot_clear (&from);
}

static void
as_stop_with_savepoint (RsimScheduler *s, const int *parallelism)
{
  AdaptiveScheduler *as = AS (s);
  RsimWorld *w = s->world;
  if (!job_up (as)) {
    RSIM_LOG (w, "scheduler", "refused",
              "stop-with-savepoint refused: the job is not RUNNING (%s)",
              state_names[as->state]);
    return;
  }
  enter (as, AS_STOP_WITH_SAVEPOINT, "stop-with-savepoint");
  as->resubmit = parallelism != NULL;
  g_free (as->resubmit_parallelism);
  as->resubmit_parallelism = parallelism
    ? g_memdup2 (parallelism, sizeof (int) * w->graph->n_vertices) : NULL;
  rsim_recorder_cause (w->recorder, "stop-with-savepoint%s",
                       as->resubmit ? " and resubmit" : "");
  rsim_checkpoint_stop_scheduler (w->checkpoints);
  /* The synchronous savepoint's barrier stops the sources. */
  gboolean *down = g_new0 (gboolean, MAX (w->flow->n_regions, 1));
  rsim_dataflow_set_up (w->flow, down);
  g_free (down);
  rsim_checkpoint_trigger_savepoint (w->checkpoints);
}

/* Cancels the job for an upgrade; the new job restores `from` (NULL:
 * empty state). */
static void
upgrade_cancel (AdaptiveScheduler *as, const RsimSnapshot *from)
{
  RsimWorld *w = W (as);
  rsim__upgrade_set_restore (w, &as->submitted, from);
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
  go_finished (as, "CANCELED", "cancelled for an upgrade");
  rsim__upgrade_note_discard (w, &as->submitted, as->upgrade_how);
  RsimTime d = rsim_world_cost_time (w, &w->costs->job_submit, "job_submit");
  rsim_engine_schedule_in (w->engine, d, resubmit_cb, as, NULL);
}

static void
as_upgrade (RsimScheduler *s, const int *parallelism, RsimUpgradeHow how,
            int savepoint_retries)
{
  AdaptiveScheduler *as = AS (s);
  RsimWorld *w = s->world;
  RsimCluster *cl = w->cluster;
  if (!job_up (as) || as->upgrading) {
    RSIM_LOG (w, "scheduler", "refused",
              "upgrade refused: %s", as->upgrading
              ? "another upgrade is in progress"
              : "the job is not RUNNING");
    return;
  }
  as->savepoint_retries = MAX (savepoint_retries, 0);
  int need = taskmanagers_for (as, parallelism);
  int have = rsim_cluster_alive_or_starting (cl);
  if (cl->rm_mode == RSIM_RM_STANDALONE)
    rsim_cluster_start_up_to (cl, need, "upgrade");
  if (need < have)
    as->scale_target_tms = need;
  if (how == RSIM_UPGRADE_STOP_WITH_SAVEPOINT) {
    as_stop_with_savepoint (s, parallelism);
    return;
  }
  as->upgrading = TRUE;
  as->upgrade_how = how;
  g_free (as->upgrade_parallelism);
  as->upgrade_parallelism = g_memdup2 (parallelism,
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
                                                             &as->submitted);
  RSIM_LOG (w, "scheduler", "upgrade",
            "upgrade: cancelling the job; the new job restores %s",
            from ? (from->savepoint ? "the latest savepoint"
                                    : "the latest checkpoint")
                 : "nothing (empty state)");
  upgrade_cancel (as, from);
}

static void
as_flink_modify (RsimScheduler *s, const int *parallelism)
{
  RSIM_LOG (s->world, "scheduler", "refused",
            "flink modify refused: HTTP 503 \"Rescaling is temporarily "
            "disabled. See FLINK-12312.\" (Flink 1.9+)");
}

static const char *
as_job_state (RsimScheduler *s)
{
  AdaptiveScheduler *as = AS (s);
  if (as->state == AS_FINISHED)
    return as->failing ? "FAILED" : "FINISHED";
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
  RsimWorld *w = W (as);
  as->job_gen++;
  as->state = AS_CREATED;
  as->deployed_once = FALSE;
  as->failing = FALSE;
  rsim_snapshot_clear (&as->submitted);
  if (from) {
    rsim_snapshot_copy (&as->submitted, from);
  } else {
    /* Empty state: the sources go on from where they are now. */
    rsim_dataflow_advance (w->flow, rsim_engine_now (w->engine));
    as->submitted.total_offset = rsim_dataflow_total_consumed (w->flow);
    as->submitted.layout = G_MAXUINT;
  }
  rsim_restart_strategy_free (as->restart);
  as->restart = rsim_restart_strategy_new (w);
  rsim_snapshot_clear (&w->checkpoints->latest);
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
            rsim_restart_strategy_describe (as->restart));
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
  free_graph (as);
  rsim_restart_strategy_free (as->restart);
  rsim_snapshot_clear (&as->submitted);
  g_free (as->lower);
  g_free (as->upper);
  g_free (as->planned);
  g_free (as->resubmit_parallelism);
  g_free (as->upgrade_parallelism);
  g_free (as->prev_tm);
  g_free (as->prev_parallelism);
  g_free (as);
}

static const RsimSchedulerClass adaptive_class = {
  .name = "adaptive",
  .start = as_start,
  .free = as_free,
  .tm_registered = as_tm_registered,
  .tm_lost = as_tm_lost,
  .tm_died = as_tm_died,
  .fail_task = as_fail_task,
  .stop_with_savepoint = as_stop_with_savepoint,
  .upgrade = as_upgrade,
  .flink_modify = as_flink_modify,
  .scale = as_scale,
  .set_requirements = as_set_requirements,
  .job_state = as_job_state,
  .deployed_parallelism = as_deployed_parallelism,
};

RsimScheduler *
rsim_adaptive_scheduler_new (RsimWorld *world, gboolean reactive)
{
  AdaptiveScheduler *as = g_new0 (AdaptiveScheduler, 1);
  as->parent.klass = &adaptive_class;
  as->parent.world = world;
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
     * (AdaptiveScheduler.computeReactiveModeVertexParallelismStore). */
    as->upper[v] = reactive ? g->max_parallelism[v] : g->parallelism[v];
  }
  as->restart = rsim_restart_strategy_new (world);
  RsimCheckpointCoordinator *cc = world->checkpoints;
  cc->listener.completed = checkpoint_completed;
  cc->listener.failed = checkpoint_failed;
  cc->listener.savepoint_done = savepoint_done;
  cc->listener.tolerance_exceeded = tolerance_exceeded;
  cc->listener_user = as;
  return &as->parent;
}
