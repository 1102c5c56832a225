/* The execution-graph core shared by every scheduler (private to sched/).
 *
 * One RsimExecGraph is the running job's execution graph: one execution per
 * subtask with Flink's ExecutionState, the slot-sharing layout (one shared
 * slot per subtask index of each slot-sharing group), where each shared slot
 * sits, and where each subtask last ran (for local recovery). It does what
 * Flink's ExecutionGraph, Execution and the slot pool do for both the
 * DefaultScheduler and the AdaptiveScheduler:
 *   - deploys a set of executions from a snapshot: rewinds the sources of
 *     their regions to the snapshot's offsets, charges the deployment and
 *     the restore (the one place that draws those costs), and fails the
 *     deployments that go to a TaskManager that no longer answers;
 *   - cancels executions, with the cancel RPC's retries
 *     (Execution.NUM_CANCEL_CALL_TRIES) when the TaskManager is gone;
 *   - reacts to a TaskManager declared lost (its executions fail, its
 *     cancellations complete, its slots are released) and to a TaskManager
 *     process that died (after peer_failure_detection, a task that
 *     exchanges data with a task on it, i.e. shares its pipelined region,
 *     fails; tasks of other regions run on until the heartbeat says more);
 *   - answers the checkpoint coordinator's gate: are all required tasks
 *     RUNNING (DefaultCheckpointPlanCalculator.checkTasksStarted; only the
 *     sources before 1.14, FLINK-22379).
 * The scheduler keeps the policy: which executions to deploy or cancel when,
 * what a failure means (regions and restart strategy, or the FLIP-160 state
 * machine), and the job's status. It hears back through RsimExecListener.
 *
 * Execution states (flink-runtime/.../execution/ExecutionState.java):
 *
 *   CREATED -> SCHEDULED -> DEPLOYING -> INITIALIZING -> RUNNING
 *      any live state --failure--> FAILED
 *      any live state --cancel--> CANCELING -> CANCELED
 *      RUNNING --stop-with-savepoint--> FINISHED
 *
 * "Live" = SCHEDULED, DEPLOYING, INITIALIZING or RUNNING. Every change of
 * an execution's state goes through one function, which keeps the counts
 * the gate and the schedulers read. Events carry the graph's generation and
 * the execution's token, so an event for a replaced graph or a superseded
 * attempt does nothing. */
#pragma once

#include "model/model.h"

G_BEGIN_DECLS

#define RSIM_EXEC_STATE_LIST(X)    \
  X (CREATED, "CREATED")           \
  X (SCHEDULED, "SCHEDULED")       \
  X (DEPLOYING, "DEPLOYING")       \
  X (INITIALIZING, "INITIALIZING") \
  X (RUNNING, "RUNNING")           \
  X (FINISHED, "FINISHED")         \
  X (CANCELING, "CANCELING")       \
  X (CANCELED, "CANCELED")         \
  X (FAILED, "FAILED")

typedef enum {
#define RSIM_X(id, name) RSIM_EXEC_##id,
  RSIM_EXEC_STATE_LIST (RSIM_X)
#undef RSIM_X
  RSIM_EXEC_STATE_COUNT
} RsimExecState;

const char *rsim_exec_state_name (RsimExecState state);
gboolean rsim_exec_state_is_live (RsimExecState state);

typedef struct {
  RsimExecState state;
  int shared;                  /* shared-slot id */
  int vertex, subtask;
  guint token;                 /* bumped on every change */
  guint attempt;               /* deployments of this execution so far */
  gboolean deploy_failing;     /* the current attempt's deploy RPC fails
                                * (not counted yet) */
} RsimExecution;

/* What the core tells its scheduler. Every callback may be NULL. */
typedef struct {
  /* Execution e failed (it is FAILED already): its deployment failed, its
   * TaskManager was declared lost, or a peer's connection broke. */
  void (*failed) (gpointer user, int e, const char *cause);
  /* Execution e finished cancelling (it is CANCELED). */
  void (*cancelled) (gpointer user, int e);
  /* The restore of a deployment made with rsim_exec_graph_deploy (tag as
   * given there) is over: n_running executions are RUNNING with their
   * state; n_missing sit on TaskManagers that died meanwhile (their failure
   * comes separately). Not called when every execution of it has moved on
   * (failed, cancelled, redeployed). */
  void (*restored) (gpointer user, int tag, int n_running, int n_missing);
} RsimExecListener;

typedef struct RsimExecGraph RsimExecGraph;

struct RsimExecGraph {
  RsimWorld *world;
  RsimExecListener listener;
  gpointer user;
  gboolean local_recovery;     /* the scheduler may recover locally */
  int n_ex;
  RsimExecution *ex;
  int n_shared;
  RsimSlotRef *shared;         /* where each shared slot sits */
  int *prev_tm;                /* per execution: TaskManager of its last
                                * deployment at this parallelism, or -1 */
  int *prev_parallelism;       /* the parallelism prev_tm belongs to */
  GHashTable *deployed;        /* (vertex, subtask) deployed in this job */
  guint gen;                   /* bumped by every build */
  int count[RSIM_EXEC_STATE_COUNT];
  int n_sources;               /* executions of source vertices */
  int sources_running;
};

/* One subtask's restore, split into its parts (microseconds). */
typedef struct {
  RsimTime fixed;              /* restore_fixed */
  RsimTime download;           /* state files (and changelog) fetched */
  RsimTime rebuild;            /* base database clipped, keys re-inserted */
  RsimTime replay;             /* changelog applied */
  int handles;                 /* old state handles read */
  double bytes;                /* bytes downloaded */
  gboolean local;              /* read from the local copy */
} RsimRestoreSplit;

/* A deployment's costs, for the scheduler's log. */
typedef struct {
  int n_tasks;
  int n_failing;               /* deploy RPCs to TaskManagers that are gone */
  RsimTime deploy;
  RsimTime restore;            /* slowest subtask */
  int slowest_vertex;          /* -1 when nothing was restored */
  int slowest_subtask;
  RsimRestoreSplit slowest;
} RsimDeployInfo;

RsimExecGraph *rsim_exec_graph_new (RsimWorld *world,
                                    const RsimExecListener *listener,
                                    gpointer user, gboolean local_recovery);
void rsim_exec_graph_free (RsimExecGraph *eg);

/* Builds the executions (all CREATED) for the job graph's current
 * parallelism, releasing every slot of the previous graph; where each
 * subtask ran is kept when the parallelism is unchanged. Starts a new
 * region layout in the data flow. */
void rsim_exec_graph_build (RsimExecGraph *eg);
/* A new job: nothing has been deployed yet and no local state exists. */
void rsim_exec_graph_new_job (RsimExecGraph *eg);

int rsim_exec_graph_region (const RsimExecGraph *eg, int e);
/* The TaskManager execution e's shared slot sits on, or NULL. */
RsimTaskManager *rsim_exec_graph_tm (const RsimExecGraph *eg, int e);
/* Sets one execution's state (the only way states change). */
void rsim_exec_graph_set_state (RsimExecGraph *eg, int e, RsimExecState state);
/* Every execution to `state` (tokens bumped, slots kept). */
void rsim_exec_graph_set_all (RsimExecGraph *eg, RsimExecState state);

/* Slots. A shared slot keeps its slot while the TaskManager is registered
 * (sticky, also when its process died: PR #17606), else takes the first
 * free one. Returns whether it has one. */
gboolean rsim_exec_graph_ensure_slot (RsimExecGraph *eg, int shared);
void rsim_exec_graph_release_slot (RsimExecGraph *eg, int shared);
void rsim_exec_graph_release_slots (RsimExecGraph *eg);
int rsim_exec_graph_held_slots (const RsimExecGraph *eg);

/* Deploys the executions of `region` (-1: all) from `snap` and returns the
 * costs charged. Their regions' sources seek back to the snapshot's offsets
 * (the records between are counted as reprocessed). Each execution goes
 * DEPLOYING then INITIALIZING, and RUNNING when the deployment and the
 * slowest subtask's restore are over (listener.restored with `tag`); a
 * deployment to a TaskManager whose process is gone fails after the RPC
 * fails (listener.failed). Restore per subtask (rsim_exec_restore_split):
 * restore_fixed + download + rebuild + changelog replay, each drawn per
 * subtask; nothing to download when it recovers locally (same TaskManager
 * and parallelism, a checkpoint, local recovery on). The restore of the
 * slowest subtask is logged ("state" "restore") and kept per vertex in the
 * run's result. */
RsimDeployInfo rsim_exec_graph_deploy (RsimExecGraph *eg, int region,
                                       const RsimSnapshot *snap, int tag);

/* How subtask `subtask` of `vertex` (at the graph's current parallelism)
 * restores `snap`; `local`: it may read a local copy (the caller decided
 * that the TaskManager and parallelism are the same). */
RsimRestoreSplit rsim_exec_restore_split (RsimWorld *world, int vertex,
                                          int subtask, const RsimSnapshot *snap,
                                          gboolean local);

/* Cancels execution e if it is live. Returns TRUE when the cancellation
 * completes later (listener.cancelled), FALSE when it is done at once or
 * there was nothing to cancel. */
gboolean rsim_exec_graph_cancel (RsimExecGraph *eg, int e);
/* Cancels every live execution; returns how many complete later. */
int rsim_exec_graph_cancel_all (RsimExecGraph *eg);
/* Fails a live execution with `cause` (listener.failed). */
void rsim_exec_graph_fail (RsimExecGraph *eg, int e, const char *cause);

/* The JobManager dropped a TaskManager: deployments to it fail (counted),
 * its cancellations complete, its live executions fail, its slots are
 * released. */
void rsim_exec_graph_tm_lost (RsimExecGraph *eg, RsimTaskManager *tm,
                              const char *reason);
/* Its process died (killed, or stopped before 1.15): after the
 * peer_failure_detection cost, one task per region that exchanges data
 * with a task on it fails. A hung process keeps its connections. */
void rsim_exec_graph_tm_died (RsimExecGraph *eg, RsimTaskManager *tm);

/* Region r processes records: all its executions RUNNING on TaskManagers
 * whose process runs. */
gboolean rsim_exec_graph_region_running (const RsimExecGraph *eg, int r);
/* Every region does. */
gboolean rsim_exec_graph_all_running (const RsimExecGraph *eg);
int rsim_exec_graph_count (const RsimExecGraph *eg, RsimExecState state);

G_END_DECLS
