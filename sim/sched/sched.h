/* Internal API of the scheduler layer: the scheduler vtable every policy
 * implements (default, adaptive, reactive), the base every scheduler embeds
 * (its execution graph, restart strategy and the state it was submitted
 * with), the helpers they share, and the restart strategies. */
#pragma once

#include "model/model.h"
#include "sched/execution.h"

G_BEGIN_DECLS

/* Restart strategies (flink-runtime/.../executiongraph/failover/
 * *RestartBackoffTimeStrategy.java). */
typedef struct {
  gboolean can_restart;
  RsimTime delay;              /* backoff before the restart */
  gboolean new_attempt;        /* FALSE when merged into a pending attempt */
} RsimRestartDecision;

RsimRestartStrategy *rsim_restart_strategy_new (RsimWorld *world);
void rsim_restart_strategy_free (RsimRestartStrategy *rs);
RsimRestartDecision rsim_restart_strategy_on_failure (RsimRestartStrategy *rs,
                                                      RsimTime now);
/* "fixed-delay (attempts 3, delay 1 s)" etc. (transfer none) */
const char *rsim_restart_strategy_describe (RsimRestartStrategy *rs);

/* How a platform's full upgrade suspends the job and what the new job
 * restores (the Kubernetes operator's upgradeMode, flink-kubernetes-operator
 * AbstractJobReconciler; Ververica Platform's upgrade and restore
 * strategies, docs.ververica.com "Deployment upgrades"):
 *   STOP_WITH_SAVEPOINT   stop-with-savepoint, the new job restores it
 *                         (the operator's upgradeMode savepoint);
 *   SAVEPOINT_THEN_CANCEL a savepoint while the job runs, then cancel; the
 *                         new job restores the savepoint (Ververica
 *                         STATEFUL); a failed savepoint (after the retries)
 *                         aborts the upgrade and the job runs on;
 *   CANCEL_LAST_STATE     cancel; restore the newest checkpoint or
 *                         savepoint (operator last-state, Ververica
 *                         STATELESS with LATEST_STATE);
 *   CANCEL_LATEST_SAVEPOINT  cancel; restore the newest savepoint, else
 *                         start empty (STATELESS with LATEST_SAVEPOINT);
 *   CANCEL_EMPTY          cancel; start from empty state (operator
 *                         stateless, STATELESS with NONE). */
typedef enum {
  RSIM_UPGRADE_STOP_WITH_SAVEPOINT,
  RSIM_UPGRADE_SAVEPOINT_THEN_CANCEL,
  RSIM_UPGRADE_CANCEL_LAST_STATE,
  RSIM_UPGRADE_CANCEL_LATEST_SAVEPOINT,
  RSIM_UPGRADE_CANCEL_EMPTY,
} RsimUpgradeHow;

/* The snapshot a cancel-based upgrade restores (NULL: empty state). */
const RsimSnapshot *rsim__upgrade_restore_snapshot (RsimWorld *world,
                                                    RsimUpgradeHow how,
                                                    const RsimSnapshot *job_state);
/* Sets *dst to what the new job restores: a copy of `from` (which may be
 * dst itself), or for NULL empty state at the sources' offsets now. */
void rsim__upgrade_set_restore (RsimWorld *world, RsimSnapshot *dst,
                                const RsimSnapshot *from);
/* A job with state that starts from empty state (restore NULL or not
 * valid): counted and noted as discarded state, with `why`. */
void rsim__note_discard (RsimWorld *world, const RsimSnapshot *restore,
                         const char *why);
/* Once the old job is gone: a restore from empty state of a job with
 * state is counted and noted as discarded state. */
void rsim__upgrade_note_discard (RsimWorld *world, const RsimSnapshot *restore,
                                 RsimUpgradeHow how);

typedef struct {
  const char *name;
  /* Submits the job at time 0. */
  void (*start) (RsimScheduler *s);
  void (*free) (RsimScheduler *s);
  /* Cluster events. */
  void (*tm_registered) (RsimScheduler *s, RsimTaskManager *tm);
  void (*tm_lost) (RsimScheduler *s, RsimTaskManager *tm, const char *reason);
  void (*tm_died) (RsimScheduler *s, RsimTaskManager *tm);
  /* Timeline actions. parallelism has one entry per vertex, -1 = unchanged;
   * NULL for stop_with_savepoint means stop for good. */
  void (*fail_task) (RsimScheduler *s, int vertex, int subtask);
  void (*stop_with_savepoint) (RsimScheduler *s, const int *parallelism);
  void (*flink_modify) (RsimScheduler *s, const int *parallelism);
  void (*scale) (RsimScheduler *s, const int *parallelism);
  /* FLIP-291 resource requirements (bounds per vertex, see RsimAction).
   * NULL: the scheduler has no such API (the default scheduler throws
   * UnsupportedOperationException). */
  void (*set_requirements) (RsimScheduler *s, const int *lower,
                            const int *upper);
  /* A platform's full upgrade to `parallelism` (one entry per vertex, -1 =
   * unchanged): TaskManagers for the new size are started (standalone) and
   * idle ones stopped afterwards. A savepoint that fails is tried again
   * `savepoint_retries` more times. Refused (logged) while the job is not
   * RUNNING or another savepoint operation is in progress. */
  void (*upgrade) (RsimScheduler *s, const int *parallelism,
                   RsimUpgradeHow how, int savepoint_retries);
  /* Submits the job again once it has stopped (FINISHED, CANCELED or
   * FAILED) or before it ever ran: a new job restoring `from` (NULL: empty
   * state) at `parallelism` (one entry per vertex, -1 = unchanged; NULL:
   * unchanged). Refused (logged) while the job runs. */
  void (*submit) (RsimScheduler *s, const RsimSnapshot *from,
                  const int *parallelism);
  /* The job's status (Flink's JobStatus). */
  RsimJobStatus (*job_status) (RsimScheduler *s);
  /* Largest deployed parallelism (0 when nothing is deployed). */
  int (*deployed_parallelism) (RsimScheduler *s, int vertex);
  /* The job's phase for the time series: its JobStatus, refined while it
   * is RUNNING by what its tasks do (rsim__sched_job_phase). */
  const char *(*job_phase) (RsimScheduler *s);
} RsimSchedulerClass;

/* What every scheduler has. */
struct RsimScheduler {
  const RsimSchedulerClass *klass;
  RsimWorld *world;
  RsimExecGraph *eg;           /* the execution graph (the shared core) */
  RsimRestartStrategy *restart;
  RsimSnapshot submitted;      /* the state the job was submitted with */
  gboolean ever_up;            /* processed records at least once */
  int scale_target_tms;        /* > 0: stop idle TaskManagers down to this */
  int savepoint_retries;       /* further attempts of a failing savepoint */
  RsimUpgradeHow upgrade_how;
  /* Set by a platform that moves the job to another cluster (blue/green):
   * once a cancel-based upgrade has cancelled the job, this is called
   * instead of the scheduler's own resubmission (once). */
  void (*takeover) (gpointer data, RsimScheduler *s);
  gpointer takeover_data;
};

/* ------------------------------------------------- shared by the policies */

/* The job's phase from its JobStatus and the execution core's counts (the
 * job_phase of both policies): the JobStatus name, except while the job is
 * RUNNING and some task is not: "RUNNING/RESTARTING" while any task is
 * being cancelled, has failed or waits to be deployed again (CREATED,
 * CANCELING, CANCELED, FAILED), else "RUNNING/DEPLOYING" while any task
 * waits for its slot or is being deployed (SCHEDULED, DEPLOYING), else
 * "RUNNING/RESTORING" while any task restores its state (INITIALIZING).
 * (transfer none) */
const char *rsim__sched_job_phase (RsimScheduler *s);

/* Sets up the base: the execution graph with the scheduler's listener, the
 * restart strategy, and subscriptions of `self` to the cluster and the
 * checkpoint coordinator. */
void rsim__sched_init (RsimScheduler *s, const RsimSchedulerClass *klass,
                       RsimWorld *world, const RsimExecListener *exec,
                       gboolean local_recovery,
                       const RsimCheckpointListener *checkpoints);
void rsim__sched_clear (RsimScheduler *s);
/* The scheduler of a job that is over and whose cluster is gone (a Flink
 * upgrade replaces it): it no longer hears of the cluster or the
 * checkpoints. Its pending events find nothing to do; free it at the end
 * of the run. */
void rsim__sched_retire (RsimScheduler *s);
/* A new job: the state it starts from (`from`, or empty state at the
 * sources' current offsets when NULL), a new restart strategy, an empty
 * checkpoint store, nothing deployed before. */
void rsim__sched_new_job (RsimScheduler *s, const RsimSnapshot *from);
/* The snapshot a restore uses now: the job's latest completed checkpoint,
 * else the state it was submitted with (execution.state-recovery.path,
 * formerly execution.savepoint.path). */
const RsimSnapshot *rsim__sched_restore_source (RsimScheduler *s);
/* Tells the data flow which regions process (up[r]); on the first time
 * every region is up, records the start-up time and starts counting
 * downtime; once all are up after a scale-down, stops idle TaskManagers. */
void rsim__sched_publish_up (RsimScheduler *s, const gboolean *up, int n);
/* TaskManagers that `parallelism` needs (entries < 1: unchanged). */
int rsim__sched_taskmanagers_for (RsimScheduler *s, const int *parallelism);
/* Before a resize to `need` TaskManagers: a standalone cluster starts the
 * missing ones now; once the job runs at its new size the idle ones beyond
 * `need` are stopped. */
void rsim__sched_size_cluster (RsimScheduler *s, int need, const char *why);
/* Stops idle TaskManagers down to scale_target_tms (then forgets it). */
void rsim__sched_stop_idle (RsimScheduler *s);
/* A failing savepoint with retries left is triggered again (logged):
 * returns TRUE then. */
gboolean rsim__sched_retry_savepoint (RsimScheduler *s, gboolean ok);
/* Whether a submit action may start a job now: refused (logged) while the
 * job is not FINISHED, CANCELED or FAILED (or never started). A new submission counts
 * downtime from now on (the job should run). */
gboolean rsim__sched_accept_submit (RsimScheduler *s, RsimJobStatus status);
/* A cancel-based upgrade has cancelled the job: hands it to the platform's
 * takeover if one is set (returns TRUE) instead of resubmitting it. */
gboolean rsim__sched_hand_over (RsimScheduler *s);
/* Logs "job resubmitted from ..." and counts the rescale. */
void rsim__sched_log_resubmit (RsimScheduler *s, const RsimSnapshot *from);
/* Schedules `cb` (data = s) after the job_submit cost; returns the delay. */
RsimTime rsim__sched_submit_later (RsimScheduler *s, RsimEventFunc cb);
/* The fail_task timeline action: the live execution of (vertex, subtask)
 * fails (logged as ignored when there is none). */
void rsim__sched_fail_task (RsimScheduler *s, int vertex, int subtask);
/* A platform's cancel-based upgrade in the way `how` says: with
 * SAVEPOINT_THEN_CANCEL a savepoint is triggered while the job runs
 * (FALSE: the scheduler cancels when it completes); otherwise sets *from to
 * what the new job restores (NULL: empty state) and returns TRUE: the
 * scheduler cancels now. Both are logged. */
gboolean rsim__sched_upgrade_begin (RsimScheduler *s, RsimUpgradeHow how,
                                    const RsimSnapshot **from);
/* The upgrade's savepoint failed after its retries: the job runs on at its
 * parallelism; TaskManagers started for the new size are stopped. */
void rsim__sched_upgrade_savepoint_failed (RsimScheduler *s);
/* Logs that the upgrade's savepoint completed and the job is cancelled. */
void rsim__sched_upgrade_savepoint_done (RsimScheduler *s,
                                         const RsimSnapshot *snap);
/* "task NAME (i/p) failed", or NULL (logged as ignored) when the vertex
 * has no such live subtask now. (transfer full) */
char *rsim__sched_task_failure (RsimScheduler *s, int vertex, int subtask,
                                int *execution);

RsimScheduler *rsim_default_scheduler_new (RsimWorld *world);
/* The adaptive scheduler; reactive mode when `reactive`. It replaces
 * world->conf with its own copy carrying the mode's defaults. */
RsimScheduler *rsim_adaptive_scheduler_new (RsimWorld *world, gboolean reactive);

G_END_DECLS
