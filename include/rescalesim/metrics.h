/* rescalesim: what a run measures (DESIGN.md "Metrics"), and the sinks that
 * receive the streamed outputs (time series samples and the event log).
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
 *   restarts            Flink's numRestarts for the scheduler in use.
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
  guint restarts;
  guint failed_deployments;
  double reprocessed_records;
  double lag_at_end;          /* records */
  double catch_up_s;          /* end -> lag back to its level before; -1 if never */
  GPtrArray *decisions;       /* char*: the scheduler's decisions, with reasons */
} RsimIncident;

typedef struct {
  double downtime_s;
  double capacity_loss_s;
  double startup_s;           /* submission -> first RUNNING with state restored */
  double reprocessed_records;
  double reprocessed_bytes;   /* < 0 when the record size is unknown */
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
  guint checkpoints_completed;
  guint checkpoints_failed;
  guint savepoints_completed;
  guint savepoints_failed;
  double slot_seconds_used;
  double slot_seconds_idle;
  guint controller_actions;
  guint state_discards;
  double state_bytes_discarded;
  guint64 events_processed;
  GPtrArray *incidents;       /* RsimIncident* */
  GPtrArray *notes;           /* char*: what a reader must know, with times */
} RsimResult;

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
