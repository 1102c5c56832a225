/* The metrics integrator: every time-weighted metric of a run, accumulated
 * in one place (model.h "metrics").
 *
 * Whatever changes the state that a metric is weighted by (which regions
 * process and at what capacity, whether the job should run, which slots
 * are registered and used) first calls rsim_metrics_advance() for the
 * instant of the change: the data flow through its observer, the cluster
 * directly, the checkpoint coordinator and the samples before they read
 * offsets. Over the interval since the last call the state was constant,
 * so:
 *   downtime_s       += dt            while the job should run and the
 *                                     available capacity fraction is 0;
 *   capacity_loss_s  += (1 - f) dt    while the job should run;
 *   slot_seconds_used, _idle += used, registered - used slots x dt;
 *   max_lag_records  = max (itself, the data flow's peak backlog);
 * and the same downtime and capacity loss go to the open incident; each
 * drop of the fraction to 0 while the job should run is one job stop. After an
 * incident closes, the lag is watched until it is back at its level from
 * before the incident: the catch-up time, interpolated linearly inside the
 * interval where it gets there. */
#include "model/model.h"

RsimMetrics *
rsim_metrics_new (RsimWorld *world)
{
  RsimMetrics *m = g_new0 (RsimMetrics, 1);
  m->world = world;
  return m;
}

void
rsim_metrics_free (RsimMetrics *m)
{
  g_free (m);
}

void
rsim_metrics_advance (RsimMetrics *m, RsimTime now)
{
  if (now <= m->t)
    return;
  RsimWorld *w = m->world;
  RsimDataflow *flow = w->flow;
  RsimRecorder *rec = w->recorder;
  RsimResult *res = rec->result;
  RsimTime t0 = m->t;
  double dt = RSIM_TIME_TO_SEC (now - t0);
  if (m->should_run) {
    double loss = (1.0 - flow->fraction) * dt;
    if (flow->fraction <= 0.0)
      res->downtime_s += dt;
    res->capacity_loss_s += loss;
    if (rec->open) {
      if (flow->fraction <= 0.0)
        rec->open->downtime_s += dt;
      rec->open->capacity_loss_s += loss;
    }
  }
  if (w->slots) {
    int reg = rsim_slot_pool_registered (w->slots);
    int used = rsim_slot_pool_used (w->slots);
    res->slot_seconds_used += used * dt;
    res->slot_seconds_idle += MAX (reg - used, 0) * dt;
  }
  double lag0 = rsim_dataflow_lag (flow);
  double peak = rsim_dataflow_integrate (flow, now);
  res->max_lag_records = MAX (res->max_lag_records, peak);
  m->t = now;

  if (rec->catching_up) {
    double lag1 = rsim_dataflow_lag (flow);
    if (lag1 <= rec->catch_up_target + 1e-6) {
      double frac = lag0 > lag1 ? (lag0 - rec->catch_up_target) / (lag0 - lag1)
                                : 1.0;
      frac = CLAMP (frac, 0.0, 1.0);
      double tc = RSIM_TIME_TO_SEC (t0) + frac * dt;
      rec->catching_up->catch_up_s = MAX (
        0.0, tc - RSIM_TIME_TO_SEC (rec->catching_up->end));
      rec->catching_up = NULL;
    }
  }
}

void
rsim_metrics_set_should_run (RsimMetrics *m, gboolean should_run)
{
  RsimWorld *w = m->world;
  RsimDataflow *flow = w->flow;
  rsim_metrics_advance (m, rsim_engine_now (w->engine));
  if (m->should_run == should_run)
    return;
  double lag = rsim_dataflow_lag (flow);
  if (!should_run && flow->fraction < 1.0)
    rsim__recorder_capacity_changed (w->recorder, m->t, flow->fraction, 1.0, lag);
  m->should_run = should_run;
  if (should_run && flow->fraction < 1.0)
    rsim__recorder_capacity_changed (w->recorder, m->t, 1.0, flow->fraction, lag);
  rsim__recorder_processing (w->recorder, should_run, flow->fraction);
}

static void
flow_before_change (gpointer user, RsimTime now)
{
  rsim_metrics_advance (user, now);
}

static void
flow_fraction_changed (gpointer user, double before, double after)
{
  RsimMetrics *m = user;
  if (m->should_run)
    rsim__recorder_capacity_changed (m->world->recorder, m->t, before, after,
                                     rsim_dataflow_lag (m->world->flow));
  rsim__recorder_processing (m->world->recorder, m->should_run, after);
}

void
rsim_metrics_slots_changing (gpointer user)
{
  RsimMetrics *m = user;
  rsim_metrics_advance (m, rsim_engine_now (m->world->engine));
}

RsimDataflowObserver
rsim_metrics_flow_observer (RsimMetrics *m)
{
  return (RsimDataflowObserver) { flow_before_change, flow_fraction_changed, m };
}
