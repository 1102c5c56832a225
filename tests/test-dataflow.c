/* Tests of the fluid data flow and of the metrics integrator that drives
 * it: exact integration of the backlog against a brute-force small-step
 * simulation, downtime and capacity-loss accounting, incidents and their
 * catch-up, slot-seconds, and rewinds. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "model/model.h"

typedef struct {
  RsimWorld world;
} Fixture;

static void
fixture_init (Fixture *f, const RsimRateSpec *rate)
{
  memset (f, 0, sizeof *f);
  f->world.engine = rsim_engine_new (1);
  f->world.recorder = rsim_recorder_new (&f->world, NULL);
  f->world.flow = rsim_dataflow_new (f->world.engine, rate);
  f->world.metrics = rsim_metrics_new (&f->world);
  f->world.flow->observer = rsim_metrics_flow_observer (f->world.metrics);
}

static void
fixture_clear (Fixture *f)
{
  rsim_metrics_free (f->world.metrics);
  rsim_slot_pool_free (f->world.slots);
  rsim_dataflow_free (f->world.flow);
  rsim_recorder_free (f->world.recorder);
  rsim_engine_free (f->world.engine);
}

static void
advance_to (Fixture *f, RsimTime t)
{
  rsim_engine_run_until (f->world.engine, t);
  rsim_metrics_advance (f->world.metrics, t);
}

/* Backlog after `seconds` of input `rate` against capacity `cap`, with 1 ms
 * Euler steps (the reference). */
static double
brute_force (const RsimRateSpec *rate, double cap, double seconds)
{
  double b = 0.0;
  RsimTime step = RSIM_MSEC;
  for (RsimTime t = 0; t < (RsimTime) (seconds * 1e6); t += step) {
    b += rsim_rate_integral (rate, t, t + step) - cap * 1e-3;
    if (b < 0.0)
      b = 0.0;
  }
  return b;
}

Test (dataflow, sine_crossing_capacity_is_integrated_exactly)
{
  RsimRateSpec rate = { .kind = RSIM_RATE_SINE, .mean = 1000.0,
                        .amplitude = 500.0, .period = 100 * RSIM_SEC };
  Fixture f;
  fixture_init (&f, &rate);
  double share = 1.0, cap = 1200.0;
  rsim_dataflow_set_regions (f.world.flow, 1, &share, &cap);
  gboolean up = TRUE;
  rsim_dataflow_set_up (f.world.flow, &up);
  /* One step over 130 s: the input rises above and falls below capacity. */
  advance_to (&f, 130 * RSIM_SEC);
  double lag = rsim_dataflow_lag (f.world.flow);
  double ref = brute_force (&rate, cap, 130.0);
  cr_assert_gt (ref, 1000.0);
  cr_assert_float_eq (lag, ref, 1.0, "exact %.3f brute %.3f", lag, ref);
  /* The largest backlog is at the downward crossing (t = 50 - asin(0.4)/w). */
  double w = 2 * G_PI / 100.0, tc = 50.0 - asin (0.4) / w;
  double peak = brute_force (&rate, cap, tc);
  cr_assert_float_eq (f.world.recorder->result->max_lag_records, peak, 1.0);
  fixture_clear (&f);
}

Test (dataflow, many_small_steps_equal_one_big_step)
{
  RsimRatePoint pts[] = { { 0, 500.0 }, { 20 * RSIM_SEC, 3000.0 },
                          { 35 * RSIM_SEC, 100.0 } };
  RsimRateSpec rate = { .kind = RSIM_RATE_STEPS, .points = pts, .n_points = 3 };
  double share = 1.0, cap = 1000.0;
  gboolean up = TRUE;
  Fixture a, b;
  fixture_init (&a, &rate);
  fixture_init (&b, &rate);
  rsim_dataflow_set_regions (a.world.flow, 1, &share, &cap);
  rsim_dataflow_set_regions (b.world.flow, 1, &share, &cap);
  rsim_dataflow_set_up (a.world.flow, &up);
  rsim_dataflow_set_up (b.world.flow, &up);
  advance_to (&a, 80 * RSIM_SEC);
  for (RsimTime t = 0; t <= 80 * RSIM_SEC; t += 333 * RSIM_MSEC)
    advance_to (&b, t);
  advance_to (&b, 80 * RSIM_SEC);
  /* 15 s at +2000/s = 30,000 then drained at 900/s from 35 s: 0 at 68.3 s. */
  cr_assert_float_eq (rsim_dataflow_lag (a.world.flow), 0.0, 1e-6);
  cr_assert_float_eq (a.world.recorder->result->max_lag_records, 30000.0, 1e-6);
  cr_assert_float_eq (rsim_dataflow_total_consumed (a.world.flow),
                      rsim_dataflow_total_consumed (b.world.flow), 1e-6);
  cr_assert_float_eq (b.world.recorder->result->max_lag_records, 30000.0, 1e-6);
  fixture_clear (&a);
  fixture_clear (&b);
}

Test (dataflow, downtime_and_capacity_loss)
{
  RsimRateSpec rate = { .kind = RSIM_RATE_CONSTANT, .value = 100.0 };
  Fixture f;
  fixture_init (&f, &rate);
  double share[2] = { 0.5, 0.5 }, cap[2] = { 100.0, 100.0 };
  rsim_dataflow_set_regions (f.world.flow, 2, share, cap);
  gboolean both[2] = { TRUE, TRUE }, one[2] = { TRUE, FALSE },
           none[2] = { FALSE, FALSE };
  rsim_dataflow_set_up (f.world.flow, both);
  rsim_metrics_set_should_run (f.world.metrics, TRUE);
  advance_to (&f, 10 * RSIM_SEC);
  rsim_dataflow_set_up (f.world.flow, one);
  advance_to (&f, 20 * RSIM_SEC);
  rsim_dataflow_set_up (f.world.flow, none);
  advance_to (&f, 25 * RSIM_SEC);
  rsim_dataflow_set_up (f.world.flow, both);
  advance_to (&f, 40 * RSIM_SEC);
  RsimResult *r = f.world.recorder->result;
  cr_assert_float_eq (r->downtime_s, 5.0, 1e-9);
  cr_assert_float_eq (r->capacity_loss_s, 5.0 + 5.0, 1e-9);
  cr_assert_eq (r->incidents->len, 1);
  RsimIncident *inc = r->incidents->pdata[0];
  cr_assert_eq (inc->start, 10 * RSIM_SEC);
  cr_assert_eq (inc->end, 25 * RSIM_SEC);
  /* Region 1 missed 15 s x 50/s and region 0 5 s x 50/s: 1,000 records of
   * backlog, drained at 50/s per region... region 1 alone holds 750 and
   * drains at 50/s, so the lag is back to 0 after 15 s. */
  cr_assert_float_eq (inc->lag_at_end, 1000.0, 1e-6);
  cr_assert_float_eq (inc->catch_up_s, 15.0, 0.5);
  /* A rewind makes records be read again. */
  double again = rsim_dataflow_rewind (f.world.flow, 0, 1000.0);
  cr_assert_float_eq (again, 2000.0 - 1000.0, 1e-6);
  fixture_clear (&f);
}

/* Slot-seconds come from the slot pool's counters: 4 slots registered, 1
 * used for 10 s, then 3 used for 20 s. */
Test (dataflow, slot_seconds_follow_the_slot_pool)
{
  RsimRateSpec rate = { .kind = RSIM_RATE_CONSTANT, .value = 0.0 };
  Fixture f;
  fixture_init (&f, &rate);
  f.world.slots = rsim_slot_pool_new ();
  rsim_slot_pool_add_tm (f.world.slots, 0, 4);
  RsimSlotRef r[3];
  cr_assert (rsim_slot_pool_reserve (f.world.slots, 0, &r[0]));
  advance_to (&f, 10 * RSIM_SEC);
  cr_assert (rsim_slot_pool_reserve (f.world.slots, 1, &r[1]));
  cr_assert (rsim_slot_pool_reserve (f.world.slots, 2, &r[2]));
  advance_to (&f, 30 * RSIM_SEC);
  RsimResult *res = f.world.recorder->result;
  cr_expect_float_eq (res->slot_seconds_used, 10.0 + 60.0, 1e-9);
  cr_expect_float_eq (res->slot_seconds_idle, 30.0 + 20.0, 1e-9);
  /* Turning "should run" off closes no incident that is not open, and
   * stops downtime from counting. */
  gboolean none = FALSE;
  double share = 1.0, cap = 10.0;
  rsim_dataflow_set_regions (f.world.flow, 1, &share, &cap);
  rsim_dataflow_set_up (f.world.flow, &none);
  advance_to (&f, 40 * RSIM_SEC);
  cr_expect_float_eq (res->downtime_s, 0.0, 1e-12);
  rsim_metrics_set_should_run (f.world.metrics, TRUE);
  advance_to (&f, 45 * RSIM_SEC);
  cr_expect_float_eq (res->downtime_s, 5.0, 1e-12);
  cr_expect_eq (res->incidents->len, 1);
  rsim_metrics_set_should_run (f.world.metrics, FALSE);
  advance_to (&f, 50 * RSIM_SEC);
  cr_expect_float_eq (res->downtime_s, 5.0, 1e-12);
  RsimIncident *inc = res->incidents->pdata[0];
  cr_expect_eq (inc->end, 45 * RSIM_SEC);
  fixture_clear (&f);
}
