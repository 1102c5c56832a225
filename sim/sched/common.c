/* What every scheduler policy shares: the base (execution graph, restart
 * strategy, submitted state), wiring it to the cluster and the checkpoint
 * coordinator, a new job's set-up, publishing which regions process
 * records, TaskManager sizing, savepoint retries and resubmission. */
#include "sched/sched.h"

#include <string.h>

static void
on_registered (gpointer user, RsimTaskManager *tm)
{
  RsimScheduler *s = user;
  s->klass->tm_registered (s, tm);
}

static void
on_lost (gpointer user, RsimTaskManager *tm, const char *reason)
{
  RsimScheduler *s = user;
  s->klass->tm_lost (s, tm, reason);
}

static void
on_died (gpointer user, RsimTaskManager *tm)
{
  RsimScheduler *s = user;
  s->klass->tm_died (s, tm);
}

void
rsim__sched_init (RsimScheduler *s, const RsimSchedulerClass *klass,
                  RsimWorld *world, const RsimExecListener *exec,
                  gboolean local_recovery,
                  const RsimCheckpointListener *checkpoints)
{
  s->klass = klass;
  s->world = world;
  s->eg = rsim_exec_graph_new (world, exec, s, local_recovery);
  s->restart = rsim_restart_strategy_new (world);
  const RsimClusterListener cl = { on_registered, on_lost, on_died };
  rsim_cluster_subscribe (world->cluster, &cl, s);
  rsim_checkpoint_subscribe (world->checkpoints, checkpoints, s);
}

void
rsim__sched_clear (RsimScheduler *s)
{
  rsim_exec_graph_free (s->eg);
  rsim_restart_strategy_free (s->restart);
  rsim_snapshot_clear (&s->submitted);
}

void
rsim__sched_retire (RsimScheduler *s)
{
  rsim_cluster_unsubscribe (s->world->cluster, s);
  rsim_checkpoint_unsubscribe (s->world->checkpoints, s);
}

void
rsim__sched_new_job (RsimScheduler *s, const RsimSnapshot *from)
{
  RsimWorld *w = s->world;
  rsim__upgrade_set_restore (w, &s->submitted, from);
  rsim_restart_strategy_free (s->restart);
  s->restart = rsim_restart_strategy_new (w);
  /* A new job has an empty checkpoint store and no local state. */
  rsim_snapshot_clear (&w->checkpoints->latest);
  rsim_exec_graph_new_job (s->eg);
}

const RsimSnapshot *
rsim__sched_restore_source (RsimScheduler *s)
{
  const RsimSnapshot *latest = &s->world->checkpoints->latest;
  return latest->valid ? latest : &s->submitted;
}

const char *
rsim__sched_job_phase (RsimScheduler *s)
{
  RsimJobStatus status = s->klass->job_status (s);
  const RsimExecGraph *eg = s->eg;
  if (status != RSIM_JOB_RUNNING || eg->n_ex == 0)
    return rsim_job_status_name (status);
  if (eg->count[RSIM_EXEC_CREATED] + eg->count[RSIM_EXEC_CANCELING]
      + eg->count[RSIM_EXEC_CANCELED] + eg->count[RSIM_EXEC_FAILED] > 0)
    return "RUNNING/RESTARTING";
  if (eg->count[RSIM_EXEC_SCHEDULED] + eg->count[RSIM_EXEC_DEPLOYING] > 0)
    return "RUNNING/DEPLOYING";
  if (eg->count[RSIM_EXEC_INITIALIZING] > 0)
    return "RUNNING/RESTORING";
  return "RUNNING";
}

void
rsim__sched_publish_up (RsimScheduler *s, const gboolean *up, int n)
{
  RsimWorld *w = s->world;
  rsim_dataflow_set_up (w->flow, up);
  gboolean all = n > 0;
  for (int r = 0; r < n; r++)
    all = all && up[r];
  if (!all)
    return;
  if (!s->ever_up) {
    s->ever_up = TRUE;
    w->recorder->result->startup_s = RSIM_TIME_TO_SEC (rsim_engine_now (w->engine));
    rsim_metrics_set_should_run (w->metrics, TRUE);
  }
  if (s->scale_target_tms > 0)
    rsim__sched_stop_idle (s);
}

int
rsim__sched_taskmanagers_for (RsimScheduler *s, const int *parallelism)
{
  RsimWorld *w = s->world;
  return rsim_cluster_taskmanagers_for (
    w->cluster, rsim_job_graph_slots_for (w->graph, parallelism));
}

void
rsim__sched_size_cluster (RsimScheduler *s, int need, const char *why)
{
  RsimCluster *cl = s->world->cluster;
  /* Standalone: the platform sets the TaskManager count (and stops the
   * idle ones once the job runs). Active: Flink's resource manager starts
   * what the job declares and releases idle TaskManagers itself
   * (resourcemanager.taskmanager-timeout, sim/model/cluster.c). */
  if (cl->rm_mode != RSIM_RM_STANDALONE)
    return;
  rsim_cluster_start_up_to (cl, need, why);
  s->scale_target_tms = need;
}

void
rsim__sched_stop_idle (RsimScheduler *s)
{
  int target = s->scale_target_tms;
  s->scale_target_tms = 0;
  rsim_cluster_stop_idle (s->world->cluster, target);
}

gboolean
rsim__sched_retry_savepoint (RsimScheduler *s, gboolean ok)
{
  if (ok || s->savepoint_retries <= 0)
    return FALSE;
  s->savepoint_retries--;
  RSIM_LOG (s->world, "scheduler", "savepoint_retry",
            "the savepoint failed; trying again (%d more attempt(s) after "
            "this one)", s->savepoint_retries);
  rsim_checkpoint_trigger_savepoint (s->world->checkpoints);
  return TRUE;
}

gboolean
rsim__sched_accept_submit (RsimScheduler *s, RsimJobStatus status)
{
  RsimWorld *w = s->world;
  if (!rsim_job_status_is_terminal (status) && status != RSIM_JOB_INITIALIZING) {
    RSIM_LOG (w, "scheduler", "refused", "submit refused: the job is %s; "
              "stop it first", rsim_job_status_name (status));
    return FALSE;
  }
  rsim_metrics_set_should_run (w->metrics, TRUE);
  return TRUE;
}

gboolean
rsim__sched_hand_over (RsimScheduler *s)
{
  if (s->takeover == NULL)
    return FALSE;
  void (*fn) (gpointer, RsimScheduler *) = s->takeover;
  gpointer data = s->takeover_data;
  s->takeover = NULL;
  s->takeover_data = NULL;
  RSIM_LOG (s->world, "scheduler", "job_cancelled",
            "job CANCELED for the upgrade; another cluster takes it over");
  fn (data, s);
  return TRUE;
}

void
rsim__sched_log_resubmit (RsimScheduler *s, const RsimSnapshot *from)
{
  RsimWorld *w = s->world;
  rsim__recorder_count_rescale (w->recorder);
  if (from->valid)
    RSIM_LOG (w, "scheduler", "resubmit",
              "job resubmitted from %s %" G_GUINT64_FORMAT " as a new job",
              from->savepoint ? "savepoint" : "checkpoint", from->id);
  else
    RSIM_LOG (w, "scheduler", "resubmit",
              "job resubmitted from empty state as a new job");
}

RsimTime
rsim__sched_submit_later (RsimScheduler *s, RsimEventFunc cb)
{
  RsimWorld *w = s->world;
  RsimTime d = rsim_world_cost_time (w, &w->costs->job_submit, "job_submit");
  rsim_engine_schedule_in (w->engine, d, cb, s, NULL);
  return d;
}

char *
rsim__sched_task_failure (RsimScheduler *s, int vertex, int subtask,
                          int *execution)
{
  RsimWorld *w = s->world;
  const RsimJobGraph *g = w->graph;
  const char *name = g->spec.vertices[vertex].name;
  if (subtask >= g->parallelism[vertex] || s->eg->n_ex == 0) {
    RSIM_LOG (w, "timeline", "ignored",
              "fail_task: vertex %s has no subtask %d now", name, subtask);
    return NULL;
  }
  int e = rsim_job_graph_execution (g, vertex, subtask);
  char *cause = g_strdup_printf ("task %s (%d/%d) failed", name, subtask + 1,
                                 g->parallelism[vertex]);
  if (!rsim_exec_state_is_live (s->eg->ex[e].state)) {
    RSIM_LOG (w, "timeline", "ignored", "%s: task not running", cause);
    g_free (cause);
    return NULL;
  }
  *execution = e;
  return cause;
}

void
rsim__sched_fail_task (RsimScheduler *s, int vertex, int subtask)
{
  int e;
  g_autofree char *cause = rsim__sched_task_failure (s, vertex, subtask, &e);
  if (cause != NULL)
    rsim_exec_graph_fail (s->eg, e, cause);
}

gboolean
rsim__sched_upgrade_begin (RsimScheduler *s, RsimUpgradeHow how,
                           const RsimSnapshot **from)
{
  RsimWorld *w = s->world;
  s->upgrade_how = how;
  rsim_recorder_cause (w->recorder, "upgrade");
  if (how == RSIM_UPGRADE_SAVEPOINT_THEN_CANCEL) {
    RSIM_LOG (w, "scheduler", "upgrade",
              "upgrade: taking a savepoint while the job runs, then "
              "cancelling it");
    rsim_checkpoint_stop_scheduler (w->checkpoints);
    rsim_checkpoint_trigger_savepoint (w->checkpoints);
    return FALSE;
  }
  *from = rsim__upgrade_restore_snapshot (w, how, &s->submitted);
  RSIM_LOG (w, "scheduler", "upgrade",
            "upgrade: cancelling the job; the new job restores %s",
            *from ? ((*from)->savepoint ? "the latest savepoint"
                                        : "the latest checkpoint")
                  : "nothing (empty state)");
  return TRUE;
}

void
rsim__sched_upgrade_savepoint_failed (RsimScheduler *s)
{
  RsimWorld *w = s->world;
  RSIM_LOG (w, "scheduler", "upgrade_aborted",
            "upgrade aborted: the savepoint failed after its retries; "
            "the job keeps running at its parallelism");
  rsim_checkpoint_start_scheduler (w->checkpoints);
  if (s->takeover != NULL)
    return;                     /* another cluster's redeployment: this
                                   cluster keeps its TaskManagers */
  s->scale_target_tms = rsim__sched_taskmanagers_for (s, w->graph->parallelism);
  rsim__sched_stop_idle (s);
}

void
rsim__sched_upgrade_savepoint_done (RsimScheduler *s, const RsimSnapshot *snap)
{
  RSIM_LOG (s->world, "scheduler", "upgrade_cancel",
            "savepoint %" G_GUINT64_FORMAT " done: cancelling the job for "
            "the upgrade", snap->id);
}
