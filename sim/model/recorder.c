/* The recorder: counters, incidents and the event log of one run.
 *
 * The dataflow tells the recorder whenever the available capacity fraction
 * changes; an incident opens when it drops below 1 (while the job should
 * run) and closes when it is back at 1. Counters (restarts, failed
 * deployments, reprocessed records) are added to the totals and to the open
 * incident. After an incident closes, the recorder watches the lag until it
 * is back at its level from before the incident (catch-up time). */
#include "model/model.h"

#include <math.h>
#include <string.h>

RsimRecorder *
rsim_recorder_new (RsimWorld *world, const RsimSinks *sinks)
{
  RsimRecorder *rec = g_new0 (RsimRecorder, 1);
  rec->world = world;
  if (sinks)
    rec->sinks = *sinks;
  rec->result = g_new0 (RsimResult, 1);
  rec->result->incidents = g_ptr_array_new ();
  rec->result->notes = g_ptr_array_new_with_free_func (g_free);
  rec->result->startup_s = -1.0;   /* until the job first runs */
  rec->running_since = -1;
  rec->job_status = RSIM_JOB_INITIALIZING;
  return rec;
}

void
rsim_recorder_free (RsimRecorder *rec)
{
  if (rec == NULL)
    return;
  rsim_result_free (rec->result);
  g_free (rec->pending_cause);
  g_free (rec);
}

void
rsim_recorder_event (RsimRecorder *rec, const char *component,
                     const char *event, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *detail = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  RsimTime now = rsim_engine_now (rec->world->engine);
  if (rec->sinks.event)
    rec->sinks.event (rec->sinks.user, now, component, event, detail);
  /* The scheduler's decisions, and what each restore's slowest subtask
   * spent its time on, explain the incident. */
  if (rec->open && (g_str_equal (component, "scheduler")
                    || g_str_equal (component, "state")))
    g_ptr_array_add (rec->open->decisions,
                     g_strdup_printf ("%.3f s: %s", RSIM_TIME_TO_SEC (now),
                                      detail));
}

void
rsim_recorder_cause (RsimRecorder *rec, const char *fmt, ...)
{
  if (rec->pending_cause != NULL || rec->open != NULL)
    return;
  va_list ap;
  va_start (ap, fmt);
  rec->pending_cause = g_strdup_vprintf (fmt, ap);
  va_end (ap);
}

void
rsim_recorder_withdraw_cause (RsimRecorder *rec, const char *cause)
{
  if (rec->pending_cause != NULL && cause != NULL
      && strcmp (rec->pending_cause, cause) == 0)
    g_clear_pointer (&rec->pending_cause, g_free);
}

void
rsim__recorder_capacity_changed (RsimRecorder *rec, RsimTime now,
                                 double before, double after, double lag)
{
  if (rec->open == NULL && after < 1.0 - 1e-12) {
    RsimIncident *inc = g_new0 (RsimIncident, 1);
    inc->start = now;
    inc->end = RSIM_TIME_NEVER;
    inc->cause = rec->pending_cause ? rec->pending_cause
                                    : g_strdup ("capacity lost");
    rec->pending_cause = NULL;
    inc->decisions = g_ptr_array_new_with_free_func (g_free);
    inc->catch_up_s = -1.0;
    rec->open = inc;
    rec->lag_before = lag;
    /* A new incident ends the previous one's catch-up watch unresolved. */
    rec->catching_up = NULL;
    g_ptr_array_add (rec->result->incidents, inc);
  } else if (rec->open != NULL && after >= 1.0 - 1e-12) {
    rec->open->end = now;
    rec->open->lag_at_end = lag;
    rec->catching_up = rec->open;
    rec->catch_up_target = rec->lag_before;
    rec->open = NULL;
    g_clear_pointer (&rec->pending_cause, g_free);
  }
}

void
rsim__recorder_processing (RsimRecorder *rec, gboolean should_run,
                           double fraction)
{
  if (!should_run || fraction > 0.0) {
    rec->stopped = FALSE;
    return;
  }
  if (!rec->stopped) {
    rec->stopped = TRUE;
    rec->result->job_stops++;
    if (rec->open)
      rec->open->job_stops++;
  }
}

void
rsim__recorder_count_restart (RsimRecorder *rec, gboolean failure,
                              gboolean rescale)
{
  rec->result->restarts++;
  if (failure)
    rec->result->failure_restarts++;
  if (rescale)
    rec->result->rescales++;
  if (rec->open)
    rec->open->restarts++;
}

void
rsim__recorder_count_rescale (RsimRecorder *rec)
{
  rec->result->rescales++;
}

void
rsim__recorder_count_failed_deployment (RsimRecorder *rec)
{
  rec->result->failed_deployments++;
  if (rec->open)
    rec->open->failed_deployments++;
}

/* The job failed before it ever ran: from the submission (time 0) until
 * now it should have processed and did not. Everything after counts as for
 * any FAILED job (should-run stays on). */
static void
failed_before_running (RsimRecorder *rec)
{
  RsimWorld *w = rec->world;
  RsimMetrics *m = w->metrics;
  RsimTime now = rsim_engine_now (w->engine);
  rsim_recorder_cause (rec, "the job failed before it ever ran");
  rsim_metrics_set_should_run (m, TRUE);
  double wait = RSIM_TIME_TO_SEC (now);
  rec->result->downtime_s += wait;
  rec->result->capacity_loss_s += wait;
  if (rec->open) {
    rec->open->start = 0;
    rec->open->downtime_s += wait;
    rec->open->capacity_loss_s += wait;
    g_ptr_array_add (rec->open->decisions, g_strdup_printf (
      "%.3f s: the job failed without ever running: %.3f s since its "
      "submission count as downtime", RSIM_TIME_TO_SEC (now), wait));
  }
}

void
rsim__recorder_job_status (RsimRecorder *rec, RsimJobStatus status)
{
  if ((status == RSIM_JOB_FAILING || status == RSIM_JOB_FAILED)
      && !rec->world->metrics->should_run
      && !rec->failed_unstarted) {
    rec->failed_unstarted = TRUE;
    failed_before_running (rec);
  }
  if (status == RSIM_JOB_RUNNING && rec->job_status != RSIM_JOB_RUNNING) {
    rec->running_since = rsim_engine_now (rec->world->engine);
    rec->running_count++;
  }
  rec->job_status = status;
}

void
rsim__recorder_state_discarded (RsimRecorder *rec, double state_bytes,
                                const char *why)
{
  RsimTime now = rsim_engine_now (rec->world->engine);
  rec->result->state_discards++;
  rec->result->state_bytes_discarded += state_bytes;
  g_ptr_array_add (rec->result->notes, g_strdup_printf (
    "%.3f s: state discarded: the job started from empty state (%.0f bytes "
    "of state not restored): %s", RSIM_TIME_TO_SEC (now), state_bytes, why));
  rsim_recorder_event (rec, "scheduler", "state_discarded",
                       "state discarded (%.0f bytes not restored): %s",
                       state_bytes, why);
}

void
rsim__recorder_count_reprocessed (RsimRecorder *rec, double records)
{
  rec->result->reprocessed_records += records;
  if (rec->open)
    rec->open->reprocessed_records += records;
}

double
rsim_world_cost (RsimWorld *world, const RsimDist *dist, const char *name)
{
  if (dist->kind == RSIM_DIST_CONSTANT)
    return dist->a;
  g_autofree char *stream = g_strconcat ("cost.", name, NULL);
  return rsim_dist_sample (dist, rsim_engine_rng (world->engine, stream));
}

RsimTime
rsim_world_cost_time (RsimWorld *world, const RsimDist *dist, const char *name)
{
  return (RsimTime) llround (rsim_world_cost (world, dist, name));
}
