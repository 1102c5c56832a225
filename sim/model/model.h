/* Internal API of the model layer (cluster, job graph, dataflow, checkpoint
 * coordinator, recorder), shared with the schedulers and the control layer.
 *
 * All model pieces of one run hang off one RsimWorld, which the control
 * layer builds. Entities refer to each other by index (TaskManager id,
 * vertex index, region index), never by pointers that may dangle. */
#pragma once

#include <stdarg.h>
#include <rescalesim/costs.h>
#include <rescalesim/cluster.h>
#include <rescalesim/engine.h>
#include <rescalesim/flinkconf.h>
#include <rescalesim/jobstatus.h>
#include <rescalesim/jobgraph.h>
#include <rescalesim/metrics.h>
#include <rescalesim/rules.h>
#include <rescalesim/version.h>
#include <rescalesim/workload.h>

G_BEGIN_DECLS

typedef struct RsimWorld RsimWorld;

/* ------------------------------------------------------------------ recorder */

/* Collects counters and incidents and forwards samples and events to the
 * sinks. Incidents open when the available capacity fraction drops below 1
 * while the job should run and close when it is back at 1. */
struct RsimRecorder {
  RsimWorld *world;
  RsimSinks sinks;
  RsimResult *result;
  RsimIncident *open;          /* the incident in progress, or NULL */
  char *pending_cause;         /* what the next incident is about */
  RsimIncident *catching_up;   /* closed incident whose lag is not back yet */
  double catch_up_target;      /* lag (records) to get back to */
  double lag_before;           /* lag when the current incident opened */
  /* The job status the scheduler reports, and when the job last turned
   * RUNNING (the "RUNNING" timestamp of JobDetails the Kubernetes
   * operator's autoscaler compares its metric history with); -1 before. */
  RsimJobStatus job_status;
  RsimTime running_since;
  guint running_count;         /* transitions to RUNNING so far */
  gboolean stopped;            /* inside a job stop (see job_stops) */
  gboolean failed_unstarted;   /* failed before it ever ran (counted once) */
};

RsimRecorder *rsim_recorder_new (RsimWorld *world, const RsimSinks *sinks);
void rsim_recorder_free (RsimRecorder *rec);
/* Logs one event. Events of the "scheduler" and "state" components are also
 * added to the open incident's decisions. */
void rsim_recorder_event (RsimRecorder *rec, const char *component,
                          const char *event, const char *fmt, ...)
  G_GNUC_PRINTF (4, 5);
/* Names what the next incident is about (the first cause wins until the
 * incident opens). */
void rsim_recorder_cause (RsimRecorder *rec, const char *fmt, ...)
  G_GNUC_PRINTF (2, 3);
/* Drops the pending cause if it is `cause` (no incident used it). */
void rsim_recorder_withdraw_cause (RsimRecorder *rec, const char *cause);
void rsim__recorder_capacity_changed (RsimRecorder *rec, RsimTime now,
                                      double fraction_before,
                                      double fraction_after, double lag);
/* The available capacity fraction while the job should run: an interval at
 * 0 that follows processing (or the start of should-run) is one job stop. */
void rsim__recorder_processing (RsimRecorder *rec, gboolean should_run,
                                double fraction);
void rsim__recorder_count_restart (RsimRecorder *rec, gboolean failure,
                                   gboolean rescale);
/* A deliberate parallelism change that Flink does not count as a restart
 * (a new job submitted from a savepoint, a 1.5-1.8 rescale). */
void rsim__recorder_count_rescale (RsimRecorder *rec);
void rsim__recorder_count_failed_deployment (RsimRecorder *rec);
void rsim__recorder_count_reprocessed (RsimRecorder *rec, double records);
/* The scheduler's job status after a change; a change to RUNNING from
 * anything else stamps running_since. A job that turns FAILING or FAILED
 * before it ever ran (no slots, say) counts its whole wait since the
 * submission at time 0 as downtime, in one incident, and downtime from then
 * on like any FAILED job. */
void rsim__recorder_job_status (RsimRecorder *rec, RsimJobStatus status);
/* A restore that started a job from empty state although it had state
 * (a stateless upgrade, restore strategy NONE): counted, and noted in the
 * report with `why`. */
void rsim__recorder_state_discarded (RsimRecorder *rec, double state_bytes,
                                     const char *why);

/* ----------------------------------------------------------------- job graph */

/* The job graph at its current parallelism: vertices, slot-sharing groups,
 * pipelined regions and the capacity of each region. */
struct RsimJobGraph {
  RsimJobSpec spec;            /* own copy */
  guint n_vertices;
  int *max_parallelism;        /* resolved per vertex */
  int *parallelism;            /* current */
  int *offset;                 /* first execution index of each vertex */
  int n_executions;
  int *ssg;                    /* slot-sharing group index per vertex */
  int n_ssg;
  char **ssg_names;
  gboolean *is_source;         /* no input edges */
  gboolean *hash_input;        /* some input edge is a hash edge */
  /* Pipelined regions at the current parallelism. */
  int n_regions;
  int *region_of;              /* per execution */
  double *region_share;        /* fraction of the input flowing through it */
  double *region_capacity;     /* records/s of input it can process */
  int *region_size;            /* executions per region */
  /* The executions of region r are region_members[region_start[r] ..
   * region_start[r + 1] - 1], in index order. */
  int *region_start;           /* n_regions + 1 */
  int *region_members;         /* n_executions */
};

RsimJobGraph *rsim_job_graph_new (const RsimJobSpec *spec,
                                  int pipeline_max_parallelism);
void rsim_job_graph_free (RsimJobGraph *graph);
/* Sets the parallelism of every vertex (entries < 1 keep the current one)
 * and recomputes regions and capacities. */
void rsim_job_graph_set_parallelism (RsimJobGraph *graph, const int *parallelism);
int rsim_job_graph_execution (const RsimJobGraph *graph, int vertex, int subtask);
void rsim_job_graph_execution_vertex (const RsimJobGraph *graph, int execution,
                                      int *vertex, int *subtask);
/* Slots the job needs: sum over slot-sharing groups of the largest
 * parallelism in the group. */
int rsim_job_graph_slots_needed (const RsimJobGraph *graph);
/* The same for another parallelism (entries < 1 keep the current one). */
int rsim_job_graph_slots_for (const RsimJobGraph *graph, const int *parallelism);
/* Throughput limit of a vertex (records/s), key-group skew included. */
double rsim_job_graph_vertex_limit (const RsimJobGraph *graph, int vertex);
/* What one subtask must do to restore its keyed state from a snapshot taken
 * at another parallelism (StateAssignmentOperation.extractIntersectingState
 * hands it every old handle whose key-group range meets its own;
 * RocksDBIncrementalRestoreOperation decides the rest). Keyed state is
 * spread evenly over key groups. */
typedef struct {
  int n_handles;               /* old handles its range meets */
  double download_bytes;       /* bytes fetched */
  double largest_handle;       /* bytes of the largest handle fetched */
  double own_bytes;            /* bytes of its own key groups */
  gboolean unchanged;          /* one old handle has exactly its range */
  gboolean covered;            /* one old handle holds its whole range */
  int clip_sides;              /* 0-2: ends of the base handle to cut off */
  double base_outside_bytes;   /* bytes of the base handle outside its range */
  double reinsert_bytes;       /* bytes of the other handles inside its range */
  int reinsert_handles;        /* handles besides the base */
} RsimRestorePlan;

/* The plan for subtask `subtask` of `vertex` at the current parallelism,
 * restoring a snapshot taken at old_parallelism (<= 0: a fresh share of
 * state/p). whole_handles: the handles are RocksDB databases fetched whole
 * (incremental checkpoints, native savepoints); else key-group streams
 * from which only its key groups are read (KeyGroupsStateHandle
 * .getIntersection: heap snapshots, full and canonical snapshots). */
void rsim_job_graph_restore_plan (const RsimJobGraph *graph, int vertex,
                                  int subtask, int old_parallelism,
                                  gboolean whole_handles,
                                  RsimRestorePlan *plan);
/* Bytes the plan downloads with whole handles. */
double rsim_job_graph_restore_bytes (const RsimJobGraph *graph, int vertex,
                                     int subtask, int old_parallelism);

/* ----------------------------------------------------------------- slot pool */

/* One registered slot: TaskManager id and slot index (tm < 0: none). */
typedef struct {
  int tm;
  int slot;
} RsimSlotRef;

#define RSIM_SLOT_NONE ((RsimSlotRef) { -1, -1 })

typedef struct RsimSlotPool RsimSlotPool;

RsimSlotPool *rsim_slot_pool_new (void);
/* The clock the pool stamps idle times with (the run's engine). */
void rsim_slot_pool_set_clock (RsimSlotPool *pool, RsimEngine *engine);
/* Since when none of the TaskManager's slots is held; -1 when one is, or
 * when it is not in the pool. */
RsimTime rsim_slot_pool_tm_idle_since (const RsimSlotPool *pool, int tm);
/* How many TaskManagers in the pool hold no slot (a counter). */
int rsim_slot_pool_idle_tms (const RsimSlotPool *pool);
/* Whether one of its slots was held since it registered. */
gboolean rsim_slot_pool_tm_ever_used (const RsimSlotPool *pool, int tm);
void rsim_slot_pool_free (RsimSlotPool *pool);
/* before_change(user) runs before a slot is reserved or released (the
 * metrics integrator integrates up to now with the old count). */
void rsim_slot_pool_observe (RsimSlotPool *pool, void (*before_change) (gpointer),
                             gpointer user);
/* A TaskManager registered: its n_slots slots join the pool, free. */
void rsim_slot_pool_add_tm (RsimSlotPool *pool, int tm, int n_slots);
/* It was declared lost or disconnected: its slots leave the pool, whoever
 * held them. */
void rsim_slot_pool_remove_tm (RsimSlotPool *pool, int tm);
gboolean rsim_slot_pool_has_tm (const RsimSlotPool *pool, int tm);
/* Reserves the first free slot (lowest TaskManager id, then slot index)
 * for `owner` (>= 0). FALSE when none is free. */
gboolean rsim_slot_pool_reserve (RsimSlotPool *pool, int owner,
                                 RsimSlotRef *out);
/* Frees *ref if `owner` holds it, and sets *ref to RSIM_SLOT_NONE. */
void rsim_slot_pool_release (RsimSlotPool *pool, RsimSlotRef *ref, int owner);
int rsim_slot_pool_registered (const RsimSlotPool *pool);
int rsim_slot_pool_used (const RsimSlotPool *pool);
int rsim_slot_pool_free_slots (const RsimSlotPool *pool);
/* TRUE when none of the TaskManager's slots is held (or it is not in the
 * pool). */
gboolean rsim_slot_pool_tm_idle (const RsimSlotPool *pool, int tm);
/* Slots of the TaskManager that are held (0 when it is not in the pool). */
int rsim_slot_pool_tm_used (const RsimSlotPool *pool, int tm);
/* The owner of a slot, or -1. */
int rsim_slot_pool_owner (const RsimSlotPool *pool, RsimSlotRef ref);
/* Recounts everything and compares with the counters (debug checks). */
gboolean rsim_slot_pool_check (const RsimSlotPool *pool);

/* ------------------------------------------------------------------- cluster */

typedef enum {
  RSIM_TM_PROVISIONING,        /* process starting */
  RSIM_TM_RUNNING,
  RSIM_TM_STOPPED,             /* shut down gracefully */
  RSIM_TM_KILLED,              /* process gone */
  RSIM_TM_HUNG,                /* process up but unresponsive */
} RsimTmProcess;

struct RsimTaskManager {
  int id;
  RsimTmProcess process;
  /* The JobManager lists this TaskManager's slots: from registration until it
   * is declared lost or disconnects. */
  gboolean registered;
  /* Paused: the process is alive but answers nothing until pause_end (a
   * stop-the-world pause); process is RSIM_TM_HUNG meanwhile. */
  gboolean paused;
  /* Analytic heartbeats: registered, and the JobManager's loop has a reason
   * to look at it (it stopped answering, or answers again after a pause). */
  gboolean silent;
  RsimKillRpc kill_rpc;
  RsimTime last_seen;          /* last heartbeat answer (registration first) */
  int rpc_failures;            /* consecutive failed heartbeat RPCs */
  RsimEventId timeout_event;   /* heartbeat.timeout after last_seen */
  RsimEventId pause_event;     /* end of the pause */
  RsimTicket reg_ticket;       /* analytic: place of the timeout armed at
                                * registration */
  RsimTicket answer_ticket;    /* exact: place of the last answer */
  gboolean answer_due;         /* exact: an answer event is pending */
  int n_slots;                 /* slots it offers (held in the slot pool) */
  RsimTime started;            /* registration time */
  /* Started for another cluster (a blue/green deployment's green side):
   * the process runs, but the running JobManager does not know it, and
   * nothing of this cluster picks, sizes or stops it, until it is
   * released. */
  gboolean standby;
  RsimCluster *cluster;        /* owner: the payload of its timers */
};

typedef struct {
  void (*registered) (gpointer user, RsimTaskManager *tm);
  /* The JobManager drops the TaskManager's slots (heartbeat timeout, RPC
   * failure threshold, or a graceful disconnect). */
  void (*lost) (gpointer user, RsimTaskManager *tm, const char *reason);
  /* The process died or hung; the JobManager does not know yet. */
  void (*died) (gpointer user, RsimTaskManager *tm);
} RsimClusterListener;

struct RsimCluster {
  RsimWorld *world;
  GPtrArray *tms;              /* RsimTaskManager*, index = id */
  RsimRmMode rm_mode;
  int slots_requested;         /* active RM: slots the JobManager declared */
  GArray *subscribers;         /* RsimClusterSubscriber, in subscription order */
  /* Counters kept on every change of a TaskManager's process. */
  int n_up;                    /* running, hung or paused */
  int n_terminating;           /* stopped, their pods still terminating */
  int n_alive_or_starting;     /* running, paused or provisioning */
  int starting_slots;          /* slots of provisioning TaskManagers */
  /* The JobManager's heartbeat loop (HeartbeatManagerSenderImpl): one tick
   * every heartbeat.interval at hb_phase + k * interval. */
  gboolean exact_heartbeats;   /* per-heartbeat model (the reference) */
  RsimTime hb_phase;           /* first tick, in (0, interval] */
  RsimEventId hb_loop_event;
  RsimTime hb_tick;            /* last tick that ran; -1 before the first */
  RsimTicket hb_tickets;       /* analytic: that tick's timeouts, + TM id */
  GArray *silent;              /* analytic: ids of silent TMs, ascending */
  GArray *hb_failed;           /* scratch: ids that did not answer a tick */
  guint64 hb_answers;          /* exact: events the analytic model has not
                                * (answers, timeouts an answer overtakes) */
};

typedef struct {
  RsimClusterListener listener;
  gpointer user;
} RsimClusterSubscriber;

/* Adds a subscriber to the cluster's events; subscribers hear each event in
 * the order they subscribed. The listener is copied. */
void rsim_cluster_subscribe (RsimCluster *cluster,
                             const RsimClusterListener *listener,
                             gpointer user);
/* Removes every subscription of `user`. */
void rsim_cluster_unsubscribe (RsimCluster *cluster, gpointer user);

RsimCluster *rsim_cluster_new (RsimWorld *world, RsimRmMode mode);
void rsim_cluster_free (RsimCluster *cluster);
/* Starts n TaskManagers; with delay 0 they are registered at once. */
void rsim_cluster_start_taskmanagers (RsimCluster *cluster, int n,
                                      RsimTime delay, const char *why);
void rsim_cluster_stop (RsimCluster *cluster, RsimTaskManager *tm);
/* The TaskManager's whole cluster (its JobManager included) is torn down:
 * the process stops and the running JobManager, which belongs to another
 * cluster, no longer lists it, whatever the version. */
void rsim_cluster_decommission (RsimCluster *cluster, RsimTaskManager *tm);
/* Tears down every TaskManager of the cluster that is not gone already
 * (newest first; standby ones belong to another cluster). Returns how
 * many. */
int rsim_cluster_decommission_all (RsimCluster *cluster);
/* Starts `n` TaskManagers of another cluster (standby): they take the
 * start-up `delay`, then run without registering. Returns the first id
 * (they are consecutive). */
int rsim_cluster_start_standby (RsimCluster *cluster, int n, RsimTime delay,
                                const char *why);
/* A standby TaskManager joins: it registers now if it is up, or when its
 * start-up ends. */
void rsim_cluster_release_standby (RsimCluster *cluster, RsimTaskManager *tm);
void rsim_cluster_kill (RsimCluster *cluster, RsimTaskManager *tm,
                        RsimKillRpc rpc);
void rsim_cluster_hang (RsimCluster *cluster, RsimTaskManager *tm);
/* The process stops answering for `duration` and then answers again (a
 * stop-the-world pause); a pause longer than what heartbeat.timeout leaves
 * gets it declared lost, and the JobManager ignores it afterwards. Only a
 * running TaskManager pauses. */
void rsim_cluster_pause (RsimCluster *cluster, RsimTaskManager *tm,
                         RsimTime duration);
/* The n most recently started TaskManagers whose process runs (or all of
 * them), newest first. (transfer container) */
GPtrArray *rsim_cluster_pick_live (RsimCluster *cluster, int n);
RsimTaskManager *rsim_cluster_get (RsimCluster *cluster, int id);
/* Active RM: the JobManager needs `slots` slots in all; start TaskManagers for
 * what is neither registered nor starting. */
void rsim_cluster_request_slots (RsimCluster *cluster, int slots);
int rsim_cluster_registered_slots (const RsimCluster *cluster);
int rsim_cluster_used_slots (const RsimCluster *cluster);
int rsim_cluster_processes_up (const RsimCluster *cluster);
/* The TaskManagers holding resources: processes up, and stopped ones whose
 * pods are still terminating (the time series' `taskmanagers`). */
int rsim_cluster_pods (const RsimCluster *cluster);
int rsim_cluster_starting_slots (const RsimCluster *cluster);
/* TaskManagers running, paused or starting. */
int rsim_cluster_alive_or_starting (const RsimCluster *cluster);
/* TaskManagers that `slots` slots take. */
int rsim_cluster_taskmanagers_for (const RsimCluster *cluster, int slots);
/* Starts TaskManagers (each after the taskmanager_startup cost) until
 * `want` are running or starting; returns how many it started. */
int rsim_cluster_start_up_to (RsimCluster *cluster, int want, const char *why);
/* Stops idle TaskManagers (no slot in use), newest first, until at most
 * `target` are running or starting: the tail of a scale-down. */
void rsim_cluster_stop_idle (RsimCluster *cluster, int target);
/* How an RPC to this TaskManager ends: returns TRUE if it succeeds, else sets
 * *fail_after to the time the caller learns it failed. */
gboolean rsim_cluster_rpc (const RsimCluster *cluster, const RsimTaskManager *tm,
                           RsimTime *fail_after);

/* ------------------------------------------------------------------ dataflow */

/* Records as a fluid, per pipelined region: produced and consumed offsets,
 * the capacity each region has now, and the exact integration of both
 * between instants. Pure arithmetic: it keeps no metric and calls no other
 * part of the model. Before a change of its state it tells its observer
 * (the metrics integrator, which integrates it up to now), and after a
 * change of the available capacity fraction too. */
typedef struct {
  /* About to change at `now`: integrate up to it. NULL: the flow
   * integrates itself. */
  void (*before_change) (gpointer user, RsimTime now);
  /* The available capacity fraction went from `before` to `after`. */
  void (*fraction_changed) (gpointer user, double before, double after);
  gpointer user;
} RsimDataflowObserver;

struct RsimDataflow {
  RsimEngine *engine;          /* for the current instant of a change */
  RsimDataflowObserver observer;
  RsimRateSpec rate;
  RsimTime t;                  /* integrated up to here */
  int n_regions;
  double *share;
  double *capacity;            /* records/s now (0 while down) */
  double *full_capacity;       /* records/s when running */
  double *produced;
  double *consumed;
  double processed;            /* records processed in all (re-reads included) */
  double sample_produced;      /* totals at the last sample */
  double sample_processed;
  RsimTime sample_t;
  double fraction;             /* available capacity fraction now */
  GArray *scratch;             /* critical points of one integration */
};

RsimDataflow *rsim_dataflow_new (RsimEngine *engine, const RsimRateSpec *rate);
void rsim_dataflow_free (RsimDataflow *flow);
/* Integrates every region from flow->t up to now; returns the largest
 * total backlog over the interval (records; exact for one region and for
 * regions that move together, an upper bound otherwise). */
double rsim_dataflow_integrate (RsimDataflow *flow, RsimTime now);
/* Re-partitions the totals over a new set of regions. */
void rsim_dataflow_set_regions (RsimDataflow *flow, int n_regions,
                                const double *share, const double *capacity);
/* Sets which regions process (up[r]). */
void rsim_dataflow_set_up (RsimDataflow *flow, const gboolean *up);
void rsim_dataflow_set_rate (RsimDataflow *flow, const RsimRateSpec *rate);
double rsim_dataflow_lag (const RsimDataflow *flow);
double rsim_dataflow_total_consumed (const RsimDataflow *flow);
double rsim_dataflow_total_produced (const RsimDataflow *flow);
/* Rewinds region r's consumed offset to `offset`; returns the records that
 * will be read again. */
double rsim_dataflow_rewind (RsimDataflow *flow, int region, double offset);

/* ------------------------------------------------------------------ metrics */

/* The one integrator of every time-weighted metric: downtime, capacity
 * loss (total and of the open incident), slot-seconds used and idle, the
 * largest lag and the catch-up after an incident. The data flow and the
 * cluster tell it before they change state; it integrates the data flow up
 * to that instant and accumulates the metrics over the interval with the
 * state that held during it. It also opens and closes incidents when the
 * available capacity fraction crosses 1 while the job should run. */
typedef struct {
  RsimWorld *world;
  RsimTime t;                  /* integrated up to here */
  gboolean should_run;         /* downtime counts only while TRUE */
} RsimMetrics;

RsimMetrics *rsim_metrics_new (RsimWorld *world);
void rsim_metrics_free (RsimMetrics *metrics);
/* Integrates everything up to now (a no-op for an instant already done). */
void rsim_metrics_advance (RsimMetrics *metrics, RsimTime now);
/* Downtime counts only while the job should run: from its first RUNNING
 * until it is stopped for good. Turning it off closes an open incident. */
void rsim_metrics_set_should_run (RsimMetrics *metrics, gboolean should_run);
/* Observer hooks to give the data flow (user = the metrics). */
RsimDataflowObserver rsim_metrics_flow_observer (RsimMetrics *metrics);
/* The slot pool's before_change hook (user = the metrics). */
void rsim_metrics_slots_changing (gpointer metrics);

/* -------------------------------------------------------------- checkpoints */

/* A completed checkpoint or savepoint: where the sources were at its barrier
 * (per region of the layout it was taken in) and the parallelism it holds. */
typedef struct {
  gboolean valid;
  gboolean savepoint;
  guint64 id;
  RsimTime barrier;
  int n_regions;
  double *offsets;             /* consumed offset of each region at the barrier */
  double total_offset;
  guint layout;                /* region layout generation it belongs to */
  int *parallelism;            /* per vertex */
  guint n_vertices;
  /* A savepoint in the backend's native format (FLIP-203): RocksDB files
   * that restore like an incremental checkpoint. */
  gboolean native;
  /* Changelog state backend: seconds of state changes since the last
   * materialization that a restore downloads and replays. */
  double changelog_s;
} RsimSnapshot;

void rsim_snapshot_clear (RsimSnapshot *snap);
void rsim_snapshot_copy (RsimSnapshot *dst, const RsimSnapshot *src);

/* What the checkpoint coordinator tells its subscribers. Every callback may
 * be NULL. */
typedef struct {
  /* A periodic checkpoint completed. */
  void (*completed) (gpointer user, const RsimSnapshot *snap);
  /* A periodic checkpoint failed in a way CheckpointFailureManager counts,
   * and the count exceeds tolerable-failed-checkpoints. */
  void (*tolerance_exceeded) (gpointer user, const char *reason);
  void (*savepoint_done) (gpointer user, gboolean ok, const RsimSnapshot *snap);
  /* Any periodic checkpoint failed. */
  void (*failed) (gpointer user);
  /* A periodic trigger was refused because not all required tasks run
   * (NOT_ALL_REQUIRED_TASKS_RUNNING; not a failure for
   * tolerable-failed-checkpoints). */
  void (*refused) (gpointer user);
} RsimCheckpointListener;

struct RsimCheckpointCoordinator {
  RsimWorld *world;
  gboolean scheduler_running;  /* periodic scheduler on */
  gboolean ever_started;
  RsimEventId trigger_event;
  RsimEventId pending_event;   /* completion/failure of the one in flight */
  RsimEventId queued_event;    /* queued triggers looked at after an end */
  /* Periodic triggers that fell due while a checkpoint was in flight
   * (CheckpointRequestDecider's queue, at most 1000; before 1.11 a flag). */
  int queued_triggers;
  gboolean in_flight;
  gboolean in_flight_savepoint;
  guint64 next_id;
  RsimTime last_completion;
  int consecutive_failures;
  int fail_checkpoints;        /* injected: next periodic checkpoints fail */
  int fail_savepoints;         /* injected: next savepoints fail */
  int fail_any;                /* injected: next attempts of either kind fail */
  RsimSnapshot latest;         /* latest completed checkpoint */
  /* Latest completed savepoint of any job in this run (savepoints are
   * kept outside the job's checkpoint store, so a new job sees it). */
  RsimSnapshot latest_savepoint;
  RsimSnapshot pending;        /* barrier data of the one in flight */
  GArray *subscribers;         /* RsimCheckpointSubscriber */
  /* The gate asked before each trigger: are all required tasks RUNNING?
   * (set by the execution graph; NULL: always) */
  gboolean (*all_running) (gpointer user);
  gpointer gate_user;
  /* The job wants periodic checkpoints (it is RUNNING); from 2.3 the
   * scheduler starts only once the gate passes too (FLINK-38940). */
  gboolean wanted;
  /* The running state backends (set by rsim_checkpoint_backend_started):
   * when they started, whether an incremental checkpoint may upload only
   * what changed since `increment_since` (the files of a restore without
   * rescaling count as uploaded), and the seconds of changelog not
   * materialized when they started. */
  RsimTime backend_started;
  gboolean increment_base;
  RsimTime increment_since;
  double changelog_carried_s;
  /* Probability (0 to 1) that a triggered periodic checkpoint is declined,
   * drawn from the stream "failures.checkpoint"; 0 draws nothing. */
  double failure_probability;
};

typedef struct {
  RsimCheckpointListener listener;
  gpointer user;
} RsimCheckpointSubscriber;

RsimCheckpointCoordinator *rsim_checkpoint_coordinator_new (RsimWorld *world);
void rsim_checkpoint_coordinator_free (RsimCheckpointCoordinator *cc);
void rsim_checkpoint_subscribe (RsimCheckpointCoordinator *cc,
                                const RsimCheckpointListener *listener,
                                gpointer user);
/* Removes every subscription of `user`. */
void rsim_checkpoint_unsubscribe (RsimCheckpointCoordinator *cc, gpointer user);
/* The job turned RUNNING (CheckpointCoordinatorDeActivator): the periodic
 * scheduler starts, on 2.3+ only once every task is RUNNING too
 * (FLINK-38940; rsim_checkpoint_tasks_changed tells it). */
void rsim_checkpoint_start_scheduler (RsimCheckpointCoordinator *cc);
void rsim_checkpoint_stop_scheduler (RsimCheckpointCoordinator *cc);
/* The tasks' states changed: a scheduler waiting for all of them to run
 * (2.3+) may start now. */
void rsim_checkpoint_tasks_changed (RsimCheckpointCoordinator *cc);
/* Aborts the checkpoint in flight (job failover); not counted as a failure. */
void rsim_checkpoint_abort (RsimCheckpointCoordinator *cc, const char *reason);
/* Triggers a savepoint now; the listener's savepoint_done fires later. */
void rsim_checkpoint_trigger_savepoint (RsimCheckpointCoordinator *cc);
/* How long a checkpoint (or savepoint) triggered now takes: its fixed cost
 * plus the largest subtask's upload. What a subtask uploads depends on the
 * state backend: its whole state (hashmap, RocksDB full snapshots, every
 * savepoint), what changed since the previous checkpoint of the same
 * backend instance (RocksDB incremental, capped at its state; the first
 * checkpoint after a start or a rescale is full), nothing beyond the fixed
 * cost (the changelog is persisted continuously; ForSt's files already live
 * in remote storage). */
RsimTime rsim_checkpoint_duration (RsimCheckpointCoordinator *cc,
                                   gboolean savepoint);
/* The state backends restored from `snap` (which may be invalid: empty
 * state) and start running at `at`; `rescaled`: some vertex's parallelism
 * differs from the snapshot's. */
void rsim_checkpoint_backend_started (RsimCheckpointCoordinator *cc,
                                      const RsimSnapshot *snap,
                                      gboolean rescaled, RsimTime at);
/* Bytes the largest subtask of vertex v holds (key groups spread state
 * unevenly when maxParallelism is not a multiple of the parallelism). */
double rsim_job_graph_largest_share (const RsimJobGraph *graph, int v);

/* --------------------------------------------------------------------- world */

struct RsimWorld {
  RsimEngine *engine;
  const RsimFlinkConf *conf;
  RsimFlinkVersion version;
  RsimRules rules;             /* the version's rules, resolved once */
  const RsimCosts *costs;
  RsimRecorder *recorder;
  RsimCluster *cluster;
  RsimJobGraph *graph;
  RsimDataflow *flow;
  RsimCheckpointCoordinator *checkpoints;
  RsimSlotPool *slots;
  RsimMetrics *metrics;
  guint layout;                /* region layout generation */
  double record_bytes;
};

/* What a world is built from (the parts of a run's configuration the model
 * needs). Pointers are borrowed for the world's life. */
typedef struct {
  guint64 seed;
  RsimFlinkVersion version;
  const RsimFlinkConf *conf;
  const RsimCosts *costs;
  const RsimJobSpec *job;
  const RsimRateSpec *rate;
  RsimRmMode rm_mode;
  double record_bytes;
  const RsimSinks *sinks;      /* may be NULL */
  gboolean exact_heartbeats;   /* one event per heartbeat (the reference) */
} RsimWorldSpec;

/* Builds every model piece of a run; rsim_world_clear frees them. */
void rsim_world_init (RsimWorld *world, const RsimWorldSpec *spec);
void rsim_world_clear (RsimWorld *world);

/* Samples a cost from its own random stream "cost.<name>". */
double rsim_world_cost (RsimWorld *world, const RsimDist *dist,
                        const char *name);
RsimTime rsim_world_cost_time (RsimWorld *world, const RsimDist *dist,
                               const char *name);

#define RSIM_LOG(world, comp, ev, ...) \
  rsim_recorder_event ((world)->recorder, (comp), (ev), __VA_ARGS__)

G_END_DECLS
