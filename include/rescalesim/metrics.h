/* rescalesim: what a run measures (defined for readers in docs/metrics.md),
 * and the sinks that receive the streamed outputs (time series samples and
 * the event log).
 *
 * Definitions:
 *   downtime_s          simulated seconds during which the job processes no
 *                       records although it should: available capacity is 0
 *                       (no region RUNNING with its state restored) while the
 *                       job is neither finished on purpose nor before its
 *                       first RUNNING. A FAILED job counts until the end.
 *   capacity_loss_s     integral of (1 - available capacity fraction) over the
 *                       same span; partial outages (region failover) show up
 *                       here only.
 *   reprocessed_records sum over restores of records re-read from sources.
 *   job_stops           intervals in which the job processed nothing
 *                       although it should: available capacity fell to 0
 *                       (a restart of every region, a rescale, a
 *                       stop-and-resubmit, a job that failed) while the job
 *                       should run; overlapping causes make one stop. A job
 *                       that fails before it ever ran has one stop.
 *   restarts            Flink's numRestarts for the scheduler in use (a
 *                       resubmitted job starts a new count).
 *   rescales            restarts that changed parallelism on purpose.
 *   failure_restarts    restarts caused by a failure.
 *   task_attempts       task deployments beyond the first of each subtask.
 *   failed_deployments  deployments that failed (dead TaskManager, ...).
 *   controller_actions  scalings a controller applied (autoscaler,
 *                       replica controller, Ververica upgrade).
 *   state_discards      restores that started a job with state from empty
 *                       state (stateless upgrade, restore strategy NONE);
 *                       each one is also explained in `notes`. */
#pragma once

#include <math.h>

#include <glib.h>
#include <rescalesim/engine.h>

G_BEGIN_DECLS

/* One outage: from the moment available capacity dropped below 1 until it
 * came back to 1 (or the run ended). */
typedef struct {
  RsimTime start;
  RsimTime end;               /* RSIM_TIME_NEVER: not over when the run ended */
  char *cause;                /* "taskmanager 3 killed", "task failure", ... */
  double downtime_s;          /* part of the outage with no capacity at all */
  double capacity_loss_s;
  guint job_stops;             /* drops to no processing inside it */
  guint restarts;
  guint failed_deployments;
  double reprocessed_records;
  double lag_at_end;          /* records */
  double catch_up_s;          /* end -> lag back to its level before; -1 if never */
  GPtrArray *decisions;       /* char*: the scheduler's decisions, with reasons */
} RsimIncident;

/* The slowest restore of one vertex's subtasks over the run, split into
 * its parts (seconds). */
typedef struct {
  guint restores;             /* deployments of the vertex that restored state */
  int subtask;                /* the subtask of the slowest one; -1: none */
  int handles;                /* old state handles it read */
  double total_s;             /* fixed + download + rebuild + replay */
  double download_s;
  double rebuild_s;           /* clipping the base database or re-inserting keys */
  double replay_s;            /* the changelog since the last materialization */
  double bytes;               /* bytes it downloaded */
} RsimVertexRestore;

typedef struct {
  double downtime_s;
  double capacity_loss_s;
  double startup_s;           /* submission -> first RUNNING with state
                               * restored; < 0 when the job never ran */
  double reprocessed_records;
  double reprocessed_bytes;   /* < 0 when the record size is unknown */
  guint job_stops;
  guint restarts;
  guint rescales;
  guint failure_restarts;
  guint task_attempts;
  guint failed_deployments;
  double max_lag_records;
  double produced_records;
  double processed_records;
  double final_lag_records;
  char *final_state;          /* Flink JobStatus name: RUNNING, FAILED, ... */
  guint n_vertices;
  char **vertex_names;        /* n_vertices */
  int *final_parallelism;     /* n_vertices; 0 when not deployed */
  RsimVertexRestore *vertex_restore;  /* n_vertices, or NULL: no restore */
  guint checkpoints_completed;
  guint checkpoints_failed;
  guint savepoints_completed;
  guint savepoints_failed;
  double slot_seconds_used;
  double slot_seconds_idle;
  guint controller_actions;
  guint state_discards;
  double state_bytes_discarded;
  /* Events the engine ran, the per-heartbeat model's answer events not
   * included (so both heartbeat models report the same number). */
  guint64 events_processed;
  /* The per-heartbeat model's answer events (0 in the analytic model): with
   * events_processed, the engine's whole work, for --stats only. */
  guint64 heartbeat_events;
  GPtrArray *incidents;       /* RsimIncident* */
  GPtrArray *notes;           /* char*: what a reader must know, with times */
} RsimResult;

/* ------------------------------------------------------ the metric list
 *
 * Every summary metric, declared once; report.json's "summary", the
 * terminal summary table, the columns of sweep.csv and summary.csv, the
 * compare table and the check gate's default tolerances all iterate this
 * list, in its order (which is the order of report.json's summary).
 *
 * X (name, type, unit, row, label, word, flags, abs, rel, description):
 *   name         the RsimResult member read, and the metric's name in every
 *                output (report.json key, CSV column, baseline key);
 *   type         RSIM_METRIC_<type>: DOUBLE; OPTIONAL (a double, < 0 when
 *                unknown: null in JSON, an empty CSV field); UINT; COUNT
 *                (the length of a GPtrArray member); STATE (a string);
 *                PARALLELISM (per vertex);
 *   unit         "s", "records", "bytes", "slot-s" or "" (a count);
 *   row, label   the terminal table's row number (0: not in the table) and
 *                its label; metrics with the same row share it, joined by
 *                ", " (bytes are added in parentheses);
 *   word         said after the value in a shared row ("completed"), or "";
 *   flags        where it appears besides the terminal table:
 *                RSIM_METRIC_IN_REPORT (report.json summary and the check
 *                gate), RSIM_METRIC_IN_SWEEP (sweep.csv and summary.csv
 *                columns), RSIM_METRIC_IN_COMPARE (the compare table);
 *                RSIM_METRIC_TABLE_NONZERO: its table row only when not 0;
 *   abs, rel     the check gate's default tolerance (|new - base| <=
 *                max (abs, rel * |base|)); NAN: none, the values must be
 *                equal;
 *   description  one line for people. */
#define RSIM_METRIC_LIST(X)                                                  \
  X (downtime_s, DOUBLE, "s", 1, "downtime", "", RSIM_METRIC_ALL_COMPARE,    \
     0.5, 0.05, "seconds with no processing although the job should run")    \
  X (job_stops, UINT, "", 2, "job stops", "", RSIM_METRIC_ALL_COMPARE, 0, 0, \
     "intervals with no processing: restarts, rescales, resubmissions")      \
  X (rescales, UINT, "", 3, "rescales", "", RSIM_METRIC_ALL_COMPARE, 0, 0,   \
     "restarts that changed the parallelism on purpose")                     \
  X (capacity_loss_s, DOUBLE, "s", 4, "capacity loss", "", RSIM_METRIC_ALL,  \
     0.5, 0.05, "integral of the missing fraction of capacity, seconds")     \
  X (startup_s, OPTIONAL, "s", 5, "start-up", "", RSIM_METRIC_ALL, 0.1,      \
     0.05, "submission to the first RUNNING with state restored, seconds; "  \
     "unknown when it never ran")                                            \
  X (reprocessed_records, DOUBLE, "records", 6, "reprocessed", "",           \
     RSIM_METRIC_ALL_COMPARE, 1000, 0.05,                                    \
     "records re-read from the sources by restores")                         \
  X (reprocessed_bytes, OPTIONAL, "bytes", 6, "reprocessed", "",             \
     RSIM_METRIC_ALL, 1e6, 0.05,                                             \
     "bytes re-read by restores; unknown without a record size")             \
  X (restarts, UINT, "", 7, "restarts", "", RSIM_METRIC_ALL_COMPARE, 0, 0,   \
     "Flink's numRestarts for the scheduler in use")                         \
  X (failure_restarts, UINT, "", 8, "failure restarts", "", RSIM_METRIC_ALL, \
     0, 0, "restarts caused by a failure")                                   \
  X (task_attempts, UINT, "", 10, "task attempts", "", RSIM_METRIC_ALL, 0, 0,\
     "task deployments beyond the first of each subtask")                    \
  X (failed_deployments, UINT, "", 9, "failed deployments", "",              \
     RSIM_METRIC_ALL, 0, 0, "deployments that failed")                       \
  X (max_lag_records, DOUBLE, "records", 11, "max lag", "",                  \
     RSIM_METRIC_ALL_COMPARE, 1000, 0.05, "largest lag, records")            \
  X (produced_records, DOUBLE, "records", 13, "produced", "",                \
     RSIM_METRIC_ALL, 1, 0.001, "records the sources produced")              \
  X (processed_records, DOUBLE, "records", 14, "processed", "",              \
     RSIM_METRIC_ALL, 1000, 0.01, "records the job processed")               \
  X (final_lag_records, DOUBLE, "records", 12, "final lag", "",              \
     RSIM_METRIC_ALL, 1000, 0.05, "lag when the run ended, records")         \
  X (final_state, STATE, "", 15, "final state", "", RSIM_METRIC_IN_REPORT,   \
     NAN, NAN, "Flink JobStatus when the run ended")                         \
  X (final_parallelism, PARALLELISM, "", 16, "final parallelism", "",        \
     RSIM_METRIC_IN_REPORT, NAN, NAN,                                        \
     "deployed parallelism of each vertex when the run ended")               \
  X (checkpoints_completed, UINT, "", 17, "checkpoints", "completed",        \
     RSIM_METRIC_ALL, 1, 0, "checkpoints completed")                         \
  X (checkpoints_failed, UINT, "", 17, "checkpoints", "failed",              \
     RSIM_METRIC_ALL, 0, 0, "checkpoints failed")                            \
  X (savepoints_completed, UINT, "", 18, "savepoints", "completed",          \
     RSIM_METRIC_ALL, 0, 0, "savepoints completed")                          \
  X (savepoints_failed, UINT, "", 18, "savepoints", "failed",                \
     RSIM_METRIC_ALL, 0, 0, "savepoints failed")                             \
  X (slot_seconds_used, DOUBLE, "slot-s", 19, "slot time", "used",           \
     RSIM_METRIC_ALL, 1, 0.02, "slot-seconds of slots running tasks")        \
  X (slot_seconds_idle, DOUBLE, "slot-s", 19, "slot time", "idle",           \
     RSIM_METRIC_ALL, 1, 0.05, "slot-seconds of slots offered but idle")     \
  X (controller_actions, UINT, "", 20, "controller actions", "",             \
     RSIM_METRIC_ALL | RSIM_METRIC_TABLE_NONZERO, 0, 0,                      \
     "scalings a controller applied")                                        \
  X (state_discards, UINT, "", 21, "state discarded",                        \
     "time(s): see notes in report.json",                                    \
     RSIM_METRIC_ALL | RSIM_METRIC_TABLE_NONZERO, 0, 0,                      \
     "restores that started from empty state")                               \
  X (incidents, COUNT, "", 0, "incidents", "", RSIM_METRIC_IN_SWEEP, NAN,    \
     NAN, "outages (see the incident list)")

typedef enum {
  RSIM_METRIC_DOUBLE,
  RSIM_METRIC_OPTIONAL,
  RSIM_METRIC_UINT,
  RSIM_METRIC_COUNT,
  RSIM_METRIC_STATE,
  RSIM_METRIC_PARALLELISM,
} RsimMetricType;

typedef enum {
  RSIM_METRIC_IN_REPORT = 1 << 0,
  RSIM_METRIC_IN_SWEEP = 1 << 1,
  RSIM_METRIC_IN_COMPARE = 1 << 2,
  RSIM_METRIC_TABLE_NONZERO = 1 << 3,
} RsimMetricFlags;

/* The flags of most numbers: in report.json, the check gate and sweeps. */
#define RSIM_METRIC_ALL (RSIM_METRIC_IN_REPORT | RSIM_METRIC_IN_SWEEP)
#define RSIM_METRIC_ALL_COMPARE (RSIM_METRIC_ALL | RSIM_METRIC_IN_COMPARE)

typedef enum {
#define RSIM_X(name, type, unit, row, label, word, flags, abs, rel, desc)     \
  RSIM_METRIC_ID_##name,
  RSIM_METRIC_LIST (RSIM_X)
#undef RSIM_X
  RSIM_N_METRICS
} RsimMetricId;

typedef struct {
  const char *name;
  RsimMetricType type;
  const char *unit;
  guint row;
  const char *label;
  const char *word;
  guint flags;                /* RsimMetricFlags */
  double abs_tol;             /* NAN: none */
  double rel_tol;
  const char *description;
} RsimMetricInfo;

/* The list as data, indexed by RsimMetricId. */
extern const RsimMetricInfo rsim_metrics[RSIM_N_METRICS];

/* The value of a number metric (DOUBLE, OPTIONAL, UINT, COUNT) of result;
 * NAN for STATE and PARALLELISM. */
double rsim_metric_value (const RsimResult *result, RsimMetricId id);

void rsim_result_free (RsimResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsimResult, rsim_result_free)

/* One row of the time series, taken every sample interval. Rates are
 * averages over the interval that ends at t; the rest are values at t. */
typedef struct {
  RsimTime t;
  double input_rate;          /* records/s */
  double processed_rate;      /* records/s */
  double lag_records;
  double capacity;            /* records/s the running job can process */
  int parallelism;            /* max over vertices of deployed parallelism */
  int taskmanagers_alive;     /* processes up (provisioning excluded) */
  int slots_total;            /* slots the JobManager knows of */
  const char *job_state;      /* Flink JobStatus name */
  const char *phase;          /* job_state, refined while RUNNING by what
                               * the tasks do: "RUNNING/RESTARTING",
                               * "RUNNING/DEPLOYING", "RUNNING/RESTORING" */
  guint n_vertices;
  const char *const *vertex_names;  /* n_vertices, the job's order */
  const int *vertex_parallelism;    /* n_vertices; 0 when not deployed */
} RsimSample;

/* The streamed outputs of a run. Every callback may be NULL. */
typedef struct {
  gpointer user;
  void (*sample) (gpointer user, const RsimSample *sample);
  /* One entry of the event log: simulated time first, then the component
   * ("scheduler", "cluster", "checkpoint", "timeline", ...), a short event
   * name and a human-readable detail with the reason. */
  void (*event) (gpointer user, RsimTime t, const char *component,
                 const char *event, const char *detail);
} RsimSinks;

G_END_DECLS
