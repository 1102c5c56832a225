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
#include "control/invariants.h"

#include <string.h>

/* What the last row of the time series showed, to tell a change. */
typedef struct {
  int parallelism;
  guint64 vertex_sig;          /* hash of the per-vertex parallelism */
  const char *phase;
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
  const RsimAction *upgrading;   /* an upgrade_flink waiting for its savepoint */
  GPtrArray *retired;            /* schedulers replaced by an upgrade */
  /* A blue_green in progress: its action, the green TaskManagers (ids
   * green_first .. green_first + green_n - 1), and whether the blue job's
   * savepoint was asked for. */
  const RsimAction *blue_green;
  int green_first;
  int green_n;
  gboolean green_savepoint;
  RsimTime green_since;          /* the green pods started */
  int *sample_parallelism;     /* per vertex, reused by every sample */
  const char **vertex_names;   /* per vertex (transfer none) */
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

/* The snapshot a submit action restores, or NULL for empty state (also
 * when the one asked for does not exist, which is logged and noted). */
static const RsimSnapshot *
submit_source (RsimWorld *w, RsimSubmitFrom from)
{
  const RsimSnapshot *snap = NULL;
  switch (from) {
  case RSIM_SUBMIT_FROM_LATEST_SAVEPOINT:
    snap = rsim__upgrade_restore_snapshot (w, RSIM_UPGRADE_CANCEL_LATEST_SAVEPOINT,
                                           NULL);
    break;
  case RSIM_SUBMIT_FROM_LATEST_CHECKPOINT:
    snap = w->checkpoints->latest.valid ? &w->checkpoints->latest : NULL;
    break;
  case RSIM_SUBMIT_FROM_LATEST_STATE:
    snap = rsim__upgrade_restore_snapshot (w, RSIM_UPGRADE_CANCEL_LAST_STATE,
                                           NULL);
    break;
  case RSIM_SUBMIT_FROM_EMPTY:
    return NULL;
  }
  if (snap == NULL)
    RSIM_LOG (w, "timeline", "submit",
              "submit: no %s to restore; the job starts from empty state",
              from == RSIM_SUBMIT_FROM_LATEST_CHECKPOINT ? "retained checkpoint"
              : from == RSIM_SUBMIT_FROM_LATEST_SAVEPOINT ? "savepoint"
              : "savepoint or checkpoint");
  return snap;
}

typedef struct {
  RsimSimulation *sim;
  const RsimAction *action;
} SubmitRef;

/* A new cluster's JobManager is up: the TaskManagers `a` asks for (its
 * `taskmanagers`, or as many as its parallelism's slots need) start, as
 * standby ones for a cluster beside the running one (blue/green; then
 * *first is set to the first one's id). Sets *n_out (if not NULL) to how
 * many; returns their start-up time. */
static RsimTime
start_cluster_taskmanagers (RsimSimulation *sim, const RsimAction *a,
                            const char *which, gboolean standby, int *first,
                            int *n_out)
{
  RsimWorld *w = &sim->world;
  int n = a->count > 0 ? a->count
    : rsim__sched_taskmanagers_for (sim->scheduler,
                                    a->parallelism ? a->parallelism
                                                   : w->graph->parallelism);
  RsimTime d = MAX (rsim_world_cost_time (w, &w->costs->taskmanager_startup,
                                          "taskmanager_startup"), 1);
  RSIM_LOG (w, "cluster", "jobmanager_started",
            "the %s cluster's JobManager is up; %d TaskManager(s) starting",
            which, n);
  g_autofree char *why = g_strdup_printf ("%s cluster", which);
  if (standby) {
    int id = rsim_cluster_start_standby (w->cluster, n, d, why);
    if (first != NULL)
      *first = id;
  } else {
    rsim_cluster_start_taskmanagers (w->cluster, n, d, why);
  }
  if (n_out != NULL)
    *n_out = n;
  return d;
}

/* The job is submitted: into the running cluster after the client's
 * round trip, or once a fresh cluster's JobManager is up (its
 * TaskManagers start then, after their own start-up). */
static void
submit_cb (RsimEngine *engine, gpointer data)
{
  SubmitRef *ref = data;
  RsimSimulation *sim = ref->sim;
  RsimWorld *w = &sim->world;
  const RsimAction *a = ref->action;
  RsimScheduler *s = sim->scheduler;
  if (a->new_cluster) {
    start_cluster_taskmanagers (sim, a, "new", FALSE, NULL, NULL);
  }
  const RsimSnapshot *from = submit_source (w, a->submit_from);
  RsimJobStatus before = s->klass->job_status (s);
  rsim_recorder_cause (w->recorder, "job submitted from %s",
                       rsim_submit_from_name (a->submit_from));
  s->klass->submit (s, from, a->parallelism);
  if (from == NULL && rsim_job_status_is_terminal (before))
    rsim__note_discard (w, NULL, a->submit_from == RSIM_SUBMIT_FROM_EMPTY
                        ? "the job was submitted from empty state"
                        : "the job was submitted with nothing to restore");
}

static void
submit_action (RsimSimulation *sim, const RsimAction *a)
{
  RsimWorld *w = &sim->world;
  SubmitRef *ref = g_new (SubmitRef, 1);
  ref->sim = sim;
  ref->action = a;
  RsimTime d;
  if (a->new_cluster) {
    /* The old cluster is torn down; a new JobManager starts. */
    int gone = rsim_cluster_decommission_all (w->cluster);
    d = rsim_world_cost_time (w, &w->costs->jobmanager_startup,
                              "jobmanager_startup");
    RSIM_LOG (w, "cluster", "cluster_starting",
              "a new cluster: %d TaskManager(s) of the old one stopped, the "
              "JobManager is up in %.3f s", gone, RSIM_TIME_TO_SEC (d));
  } else {
    d = rsim_world_cost_time (w, &w->costs->job_submit, "job_submit");
  }
  rsim_engine_schedule_in (w->engine, d, submit_cb, ref, g_free);
}

static void bg_teardown_green (RsimSimulation *sim, const char *why);

/* ---------------------------------------------------------- upgrade_flink */

static RsimScheduler *
scheduler_new (RsimWorld *w, RsimSchedulerKind kind)
{
  if (kind == RSIM_SCHEDULER_DEFAULT)
    return rsim_default_scheduler_new (w);
  return rsim_adaptive_scheduler_new (w, kind == RSIM_SCHEDULER_REACTIVE);
}

typedef struct {
  RsimSimulation *sim;
  const RsimAction *action;
  RsimSnapshot savepoint;
} UpgradeRef;

static void
upgrade_ref_free (gpointer p)
{
  UpgradeRef *ref = p;
  rsim_snapshot_clear (&ref->savepoint);
  g_free (ref);
}

/* The new cluster's JobManager is up: its TaskManagers start and the job
 * is submitted from the savepoint (it waits for their slots). */
static void
upgrade_submit_cb (RsimEngine *engine, gpointer data)
{
  UpgradeRef *ref = data;
  RsimSimulation *sim = ref->sim;
  RsimWorld *w = &sim->world;
  const RsimAction *a = ref->action;
  RsimScheduler *s = sim->scheduler;
  start_cluster_taskmanagers (sim, a, "new", FALSE, NULL, NULL);
  rsim_recorder_cause (w->recorder, "Flink upgrade");
  s->klass->submit (s, &ref->savepoint, a->parallelism);
}

/* The version's rules, configuration and costs become `a`'s target
 * version's (upgrade_flink, or a blue_green with a version). */
static void
switch_version (RsimSimulation *sim, const RsimAction *a)
{
  RsimWorld *w = &sim->world;
  g_autofree char *from = rsim_version_to_string (w->version);
  g_autofree char *to = rsim_version_to_string (a->upgrade_version);
  if (w->version.major == 1 && a->upgrade_version.major >= 2)
    g_ptr_array_add (w->recorder->result->notes, g_strdup_printf (
      "%.3f s: Flink %s -> %s: state compatibility from 1.x to 2.x is not "
      "guaranteed (Flink's upgrading guide, FLINK-38242); the simulation "
      "assumes the savepoint restores", RSIM_TIME_TO_SEC (
        rsim_engine_now (w->engine)), from, to));
  w->version = a->upgrade_version;
  w->rules = rsim_rules_resolve (a->upgrade_version);
  w->conf = a->upgrade_flink;
  w->costs = a->upgrade_costs;
}

/* The JobManager goes with its cluster: a new scheduler (of the
 * scenario's kind, under the version now in force) takes over. */
static void
replace_scheduler (RsimSimulation *sim)
{
  rsim__sched_retire (sim->scheduler);
  g_ptr_array_add (sim->retired, sim->scheduler);
  sim->scheduler = scheduler_new (&sim->world, sim->config->scheduler);
  rsim__controllers_set_scheduler (sim->controllers, sim->scheduler);
}

/* The old job is FINISHED after its savepoint: the old cluster goes, the
 * version's rules, configuration and costs become the new version's, a
 * new scheduler takes over and a new JobManager starts. */
static void
upgrade_switch_cb (RsimEngine *engine, gpointer data)
{
  UpgradeRef *ref = data;
  RsimSimulation *sim = ref->sim;
  RsimWorld *w = &sim->world;
  const RsimAction *a = ref->action;
  int gone = rsim_cluster_decommission_all (w->cluster);
  g_autofree char *from = rsim_version_to_string (w->version);
  g_autofree char *to = rsim_version_to_string (a->upgrade_version);
  switch_version (sim, a);
  replace_scheduler (sim);
  RsimTime d = rsim_world_cost_time (w, &w->costs->jobmanager_startup,
                                     "jobmanager_startup");
  RSIM_LOG (w, "cluster", "cluster_starting",
            "Flink %s -> %s: the old cluster is gone (%d TaskManager(s) "
            "stopped); the new cluster's JobManager is up in %.3f s; restart "
            "strategy now %s", from, to, gone, RSIM_TIME_TO_SEC (d),
            rsim_restart_strategy_describe (sim->scheduler->restart));
  UpgradeRef *next = g_new0 (UpgradeRef, 1);
  next->sim = sim;
  next->action = a;
  rsim_snapshot_copy (&next->savepoint, &ref->savepoint);
  rsim_engine_schedule_in (w->engine, d, upgrade_submit_cb, next,
                           upgrade_ref_free);
}

/* The simulation hears of savepoints after the scheduler (it subscribed
 * later): when an upgrade's savepoint completed, the job is FINISHED and
 * the switch runs at the same instant. */
static void
upgrade_savepoint_done (gpointer user, gboolean ok, const RsimSnapshot *snap)
{
  RsimSimulation *sim = user;
  if (sim->green_savepoint && !ok) {
    sim->scheduler->takeover = NULL;
    sim->scheduler->takeover_data = NULL;
    bg_teardown_green (sim, "the blue job's savepoint failed");
    return;
  }
  const RsimAction *a = sim->upgrading;
  if (a == NULL)
    return;
  sim->upgrading = NULL;
  RsimWorld *w = &sim->world;
  if (!ok) {
    RSIM_LOG (w, "timeline", "upgrade_flink",
              "upgrade_flink aborted: the savepoint failed");
    return;
  }
  UpgradeRef *ref = g_new0 (UpgradeRef, 1);
  ref->sim = sim;
  ref->action = a;
  rsim_snapshot_copy (&ref->savepoint, snap);
  rsim_engine_schedule_in (w->engine, 0, upgrade_switch_cb, ref,
                           upgrade_ref_free);
}

static void
upgrade_action (RsimSimulation *sim, const RsimAction *a)
{
  RsimWorld *w = &sim->world;
  RsimScheduler *s = sim->scheduler;
  g_autofree char *to = rsim_version_to_string (a->upgrade_version);
  if (sim->upgrading != NULL
      || s->klass->job_status (s) != RSIM_JOB_RUNNING) {
    RSIM_LOG (w, "timeline", "upgrade_flink",
              "upgrade_flink to %s refused: %s", to, sim->upgrading
              ? "another upgrade is in progress" : "the job is not RUNNING");
    return;
  }
  RSIM_LOG (w, "timeline", "upgrade_flink",
            "upgrade_flink to %s: stop-with-savepoint, then a new cluster on "
            "%s restores it", to, to);
  sim->upgrading = a;
  s->klass->stop_with_savepoint (s, NULL);
  if (!w->checkpoints->in_flight_savepoint)
    sim->upgrading = NULL;      /* refused (logged by the scheduler) */
}

/* ------------------------------------------------------------- blue_green */

/* A blue/green redeployment as the platforms run it: a second
 * ("green") cluster starts beside the running ("blue") one, its
 * JobManager first (jobmanager_startup) and then its TaskManagers
 * (taskmanager_startup), which run but are unknown to the blue
 * JobManager. Once they are up, the blue job takes a savepoint and is
 * cancelled (the scheduler's savepoint-then-cancel upgrade); at the
 * instant it is CANCELED the blue cluster is torn down, the green
 * JobManager (a new scheduler, of the target version if one is given)
 * takes over the green TaskManagers, and the job is submitted from the
 * savepoint after job_submit. Both clusters' TaskManagers run, and are
 * counted (taskmanagers in the time series), from the green pods' start
 * to the switch.
 *
 * The Kubernetes operator's FlinkBlueGreenDeployment (FLINK-38420,
 * kubernetes-operator 1.13) goes further: the blue job keeps running
 * while the green one restores from a savepoint of it, and blue is
 * deleted once green is ready (its docs: concepts/bluegreen-controller-
 * flow.md). Two jobs processing at once are outside this model, which
 * keeps one job: the sequential variant above costs the savepoint, the
 * cancellation, the submission and the restore, but no cluster start. */

static void
bg_teardown_green (RsimSimulation *sim, const char *why)
{
  RsimWorld *w = &sim->world;
  for (int i = 0; i < sim->green_n; i++) {
    RsimTaskManager *tm = rsim_cluster_get (w->cluster, sim->green_first + i);
    if (tm != NULL)
      rsim_cluster_decommission (w->cluster, tm);
  }
  RSIM_LOG (w, "timeline", "blue_green", "blue_green aborted: %s; the green "
            "cluster (%d TaskManager(s)) is torn down, blue keeps running",
            why, sim->green_n);
  sim->blue_green = NULL;
  sim->green_savepoint = FALSE;
}

static void
bg_submit_cb (RsimEngine *engine, gpointer data)
{
  UpgradeRef *ref = data;
  RsimSimulation *sim = ref->sim;
  RsimWorld *w = &sim->world;
  rsim_recorder_cause (w->recorder, "blue/green switch");
  sim->scheduler->klass->submit (sim->scheduler, &ref->savepoint,
                                 ref->action->parallelism);
}

/* The blue job is CANCELED after its savepoint (called by the blue
 * scheduler instead of its own resubmission). */
static void
bg_takeover (gpointer data, RsimScheduler *blue)
{
  RsimSimulation *sim = data;
  RsimWorld *w = &sim->world;
  const RsimAction *a = sim->blue_green;
  UpgradeRef *ref = g_new0 (UpgradeRef, 1);
  ref->sim = sim;
  ref->action = a;
  rsim_snapshot_copy (&ref->savepoint, &blue->submitted);
  sim->blue_green = NULL;
  sim->green_savepoint = FALSE;
  /* Blue goes: its TaskManagers with its JobManager. */
  int n_blue = rsim_cluster_decommission_all (w->cluster);
  if (a->upgrade_flink != NULL)
    switch_version (sim, a);
  replace_scheduler (sim);
  RsimTime overlap = rsim_engine_now (w->engine) - sim->green_since;
  g_ptr_array_add (w->recorder->result->notes, g_strdup_printf (
    "%.3f s: blue/green switch: %d green TaskManager(s) ran beside the blue "
    "cluster for %.3f s", RSIM_TIME_TO_SEC (rsim_engine_now (w->engine)),
    sim->green_n, RSIM_TIME_TO_SEC (overlap)));
  for (int i = 0; i < sim->green_n; i++) {
    RsimTaskManager *tm = rsim_cluster_get (w->cluster, sim->green_first + i);
    if (tm != NULL)
      rsim_cluster_release_standby (w->cluster, tm);
  }
  RsimTime d = rsim_world_cost_time (w, &w->costs->job_submit, "job_submit");
  RSIM_LOG (w, "cluster", "blue_green_switch",
            "blue/green: the blue cluster is torn down (%d TaskManager(s)); "
            "the green JobManager takes over %d TaskManager(s) and the job "
            "is submitted from the savepoint in %.3f s", n_blue, sim->green_n,
            RSIM_TIME_TO_SEC (d));
  rsim_engine_schedule_in (w->engine, d, bg_submit_cb, ref, upgrade_ref_free);
}

/* The green TaskManagers are up: the blue job's savepoint, then its
 * cancellation. A job that is not RUNNING then (restarting, say) is
 * waited for, as the operator's reconciliation does, every
 * heartbeat interval. */
static void
bg_switch_cb (RsimEngine *engine, gpointer data)
{
  RsimSimulation *sim = data;
  RsimWorld *w = &sim->world;
  RsimScheduler *s = sim->scheduler;
  if (sim->blue_green == NULL)
    return;
  if (s->klass->job_status (s) != RSIM_JOB_RUNNING
      || w->checkpoints->in_flight_savepoint) {
    rsim_engine_schedule_in (w->engine, w->conf->heartbeat_interval,
                             bg_switch_cb, sim, NULL);
    return;
  }
  RSIM_LOG (w, "timeline", "blue_green", "blue/green: the green cluster is "
            "up; the blue job takes a savepoint and is cancelled");
  s->takeover = bg_takeover;
  s->takeover_data = sim;
  sim->green_savepoint = TRUE;
  g_autofree int *same = g_new (int, w->graph->n_vertices);
  for (guint i = 0; i < w->graph->n_vertices; i++)
    same[i] = -1;
  s->klass->upgrade (s, same, RSIM_UPGRADE_SAVEPOINT_THEN_CANCEL, 0);
  s->scale_target_tms = 0;      /* the blue cluster is not resized */
  if (!w->checkpoints->in_flight_savepoint) {
    s->takeover = NULL;
    s->takeover_data = NULL;
    bg_teardown_green (sim, "the blue scheduler refused the savepoint");
  }
}

/* The green JobManager is up: its TaskManagers start. */
static void
bg_green_jm_cb (RsimEngine *engine, gpointer data)
{
  RsimSimulation *sim = data;
  RsimWorld *w = &sim->world;
  const RsimAction *a = sim->blue_green;
  if (a == NULL)
    return;
  RsimTime d = start_cluster_taskmanagers (sim, a, "green", TRUE,
                                           &sim->green_first, &sim->green_n);
  rsim_engine_schedule_in (w->engine, d, bg_switch_cb, sim, NULL);
}

static void
blue_green_action (RsimSimulation *sim, const RsimAction *a)
{
  RsimWorld *w = &sim->world;
  RsimScheduler *s = sim->scheduler;
  if (sim->blue_green != NULL || sim->upgrading != NULL
      || s->klass->job_status (s) != RSIM_JOB_RUNNING) {
    RSIM_LOG (w, "timeline", "blue_green", "blue_green refused: %s",
              sim->blue_green != NULL || sim->upgrading != NULL
              ? "another redeployment is in progress"
              : "the job is not RUNNING");
    return;
  }
  sim->blue_green = a;
  sim->green_since = rsim_engine_now (w->engine);
  RsimTime d = rsim_world_cost_time (w, &w->costs->jobmanager_startup,
                                     "jobmanager_startup");
  RSIM_LOG (w, "timeline", "blue_green", "blue_green: a green cluster "
            "starts beside the running one; its JobManager is up in %.3f s",
            RSIM_TIME_TO_SEC (d));
  rsim_engine_schedule_in (w->engine, MAX (d, 1), bg_green_jm_cb, sim, NULL);
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
  case RSIM_ACTION_SUBMIT:
    submit_action (sim, a);
    break;
  case RSIM_ACTION_UPGRADE_FLINK:
    upgrade_action (sim, a);
    break;
  case RSIM_ACTION_BLUE_GREEN:
    blue_green_action (sim, a);
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

/* The row's state; also fills sim->sample_parallelism. */
static RowState
row_state (RsimSimulation *sim)
{
  RsimWorld *w = &sim->world;
  RowState st = { 0 };
  guint nv = w->graph->n_vertices;
  if (sim->sample_parallelism == NULL) {
    sim->sample_parallelism = g_new0 (int, MAX (nv, 1));
    sim->vertex_names = g_new0 (const char *, MAX (nv, 1));
    for (guint v = 0; v < nv; v++)
      sim->vertex_names[v] = w->graph->spec.vertices[v].name;
  }
  guint64 sig = 1469598103934665603ULL;
  for (guint v = 0; v < nv; v++) {
    int p = sim->scheduler->klass->deployed_parallelism (sim->scheduler,
                                                         (int) v);
    sim->sample_parallelism[v] = p;
    st.parallelism = MAX (st.parallelism, p);
    sig = (sig ^ (guint64) (guint32) p) * 1099511628211ULL;
  }
  st.vertex_sig = sig;
  st.phase = sim->scheduler->klass->job_phase (sim->scheduler);
  st.taskmanagers = rsim_cluster_pods (w->cluster);
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
  return a->parallelism == b->parallelism && a->vertex_sig == b->vertex_sig
    && g_strcmp0 (a->phase, b->phase) == 0
    && a->taskmanagers == b->taskmanagers
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
  s.n_vertices = w->graph->n_vertices;
  s.vertex_names = sim->vertex_names;
  s.vertex_parallelism = sim->sample_parallelism;
  s.phase = st.phase;
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
  if (config->scheduler == RSIM_SCHEDULER_REACTIVE
      && config->cluster.rm_mode != RSIM_RM_STANDALONE) {
    g_set_error (error, RSIM_SIM_ERROR, RSIM_SIM_ERROR_INVALID,
                 "%s (cluster.resource_manager is \"%s\")",
                 RSIM_REACTIVE_UNSUPPORTED_CLUSTER,
                 rsim_rm_mode_name (config->cluster.rm_mode));
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
  sim->retired = g_ptr_array_new ();
  const RsimCheckpointListener upgrades = { .savepoint_done = upgrade_savepoint_done };
  rsim_checkpoint_subscribe (w->checkpoints, &upgrades, sim);
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
  rsim_engine_set_event_limit (w->engine, config->max_events);
  RsimInvariants *inv = NULL;
  if (rsim__invariants_wanted (config->check_invariants)) {
    inv = rsim__invariants_new (w);
    rsim_engine_set_after_step (w->engine, rsim__invariants_after_step, inv);
  }
  rsim_engine_run_until (w->engine, config->duration);
  RsimResult *res = NULL;
  if (rsim__invariants_broken (inv) != NULL) {
    g_set_error (error, RSIM_SIM_ERROR, RSIM_SIM_ERROR_INVARIANT,
                 "an invariant of the model broke at %s (a defect of "
                 "rescalesim: please report it with the scenario)",
                 rsim__invariants_broken (inv));
  } else if (rsim_engine_event_limit_reached (w->engine)) {
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
  for (guint i = 0; i < sim->retired->len; i++) {
    RsimScheduler *old = sim->retired->pdata[i];
    old->klass->free (old);
  }
  g_ptr_array_unref (sim->retired);
  rsim_engine_set_after_step (w->engine, NULL, NULL);
  rsim__invariants_free (inv);
  rsim_world_clear (w);
  g_free (sim->sample_parallelism);
  g_free (sim->vertex_names);
  g_free (sim->peek_produced);
  g_free (sim->peek_consumed);
  g_array_unref (sim->peek_scratch);
  g_free (sim);
  return res;
}
