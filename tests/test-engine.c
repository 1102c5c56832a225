/* Tests of the engine module: event order, cancellation, ownership of
 * payloads, the clock under run_until/stop, memory under schedule/cancel
 * churn, named random streams, and determinism of two engines running in two
 * threads at once.
 *
 * Simulated times in these tests are microseconds unless a RSIM_* unit says
 * otherwise. Random draws come from the engine's own streams with fixed
 * seeds, so every test is deterministic. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <string.h>

#include <rescalesim/engine.h>
#include "engine/engine-private.h"

/* A trace of the events a test ran: one entry per callback. */
typedef struct {
  RsimTime time;
  gint tag;
} TraceEntry;

typedef struct {
  GArray *entries; /* TraceEntry */
  guint destroyed; /* destroy calls seen */
} Trace;

/* The payload of one traced event. */
typedef struct {
  Trace *trace;
  gint tag;
  gboolean ran;
  guint destroyed;
} Tagged;

static void
trace_init (Trace *trace)
{
  trace->entries = g_array_new (FALSE, FALSE, sizeof (TraceEntry));
  trace->destroyed = 0;
}

static void
trace_clear (Trace *trace)
{
  g_array_unref (trace->entries);
}

static TraceEntry
trace_at (const Trace *trace, guint i)
{
  return g_array_index (trace->entries, TraceEntry, i);
}

static void
on_tagged (RsimEngine *engine, gpointer data)
{
  Tagged *t = data;
  TraceEntry e = { rsim_engine_now (engine), t->tag };
  /* A payload must never be used after its destroy function ran. */
  cr_assert (eq (u32, t->destroyed, 0));
  t->ran = TRUE;
  g_array_append_val (t->trace->entries, e);
}

/* Destroy function of heap-allocated Tagged payloads. */
static void
tagged_free (gpointer data)
{
  Tagged *t = data;
  t->trace->destroyed++;
  g_free (t);
}

/* Destroy function of Tagged payloads that the test owns (stack arrays): it
 * only counts, so the test can inspect the payload afterwards. */
static void
tagged_count (gpointer data)
{
  Tagged *t = data;
  t->destroyed++;
  t->trace->destroyed++;
}

static RsimEventId
schedule_tagged (RsimEngine *engine, Trace *trace, RsimTime at, gint tag)
{
  Tagged *t = g_new0 (Tagged, 1);
  t->trace = trace;
  t->tag = tag;
  return rsim_engine_schedule_at (engine, at, on_tagged, t, tagged_free);
}

/* Counts the g_return_val_if_fail() criticals the library emits. Criterion
 * runs each test in its own process, so a handler set in a test stays local
 * to it. */
static guint criticals_seen;

static void
count_criticals (const gchar *domain, GLogLevelFlags level, const gchar *msg,
                 gpointer user_data)
{
  criticals_seen++;
}

static void
expect_criticals (void)
{
  criticals_seen = 0;
  g_log_set_handler (G_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL | G_LOG_FLAG_FATAL
                     | G_LOG_FLAG_RECURSION, count_criticals, NULL);
}

/* ---- Event order ---- */

Test (engine, new_engine_is_empty)
{
  g_autoptr (RsimEngine) engine = rsim_engine_new (7);
  cr_assert (eq (i64, rsim_engine_now (engine), 0));
  cr_assert (eq (u64, rsim_engine_seed (engine), 7));
  cr_assert (eq (sz, rsim_engine_pending_count (engine), 0));
  cr_assert (eq (i64, rsim_engine_next_time (engine), RSIM_TIME_NEVER));
  cr_assert (not (rsim_engine_step (engine)));
  cr_assert (eq (u64, rsim_engine_events_processed (engine), 0));
}

Test (engine, events_run_in_time_order)
{
  Trace trace;
  trace_init (&trace);
  RsimEngine *engine = rsim_engine_new (1);
  const RsimTime times[] = { 30, 10, 50, 20, 40, 0, 25 };
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    schedule_tagged (engine, &trace, times[i] * RSIM_SEC, (gint) times[i]);
  cr_assert (eq (i64, rsim_engine_next_time (engine), 0));

  guint64 ran = rsim_engine_run_until (engine, RSIM_HOUR);
  cr_assert (eq (u64, ran, G_N_ELEMENTS (times)));
  cr_assert (eq (u32, trace.entries->len, G_N_ELEMENTS (times)));
  for (guint i = 1; i < trace.entries->len; i++)
    cr_assert (lt (i64, trace_at (&trace, i - 1).time, trace_at (&trace, i).time));
  for (guint i = 0; i < trace.entries->len; i++)
    cr_assert (eq (i64, trace_at (&trace, i).time, trace_at (&trace, i).tag * RSIM_SEC));
  cr_assert (eq (u32, trace.destroyed, G_N_ELEMENTS (times)));
  cr_assert (eq (u64, rsim_engine_events_processed (engine), G_N_ELEMENTS (times)));
  rsim_engine_free (engine);
  trace_clear (&trace);
}

Test (engine, many_random_times_come_out_sorted)
{
  Trace trace;
  trace_init (&trace);
  RsimEngine *engine = rsim_engine_new (2);
  RsimRng *rng = rsim_engine_rng (engine, "times");
  for (gint i = 0; i < 10000; i++)
    schedule_tagged (engine, &trace, (RsimTime) rsim_rng_uint (rng, 1000), i);
  rsim_engine_run_until (engine, RSIM_TIME_NEVER);
  cr_assert (eq (u32, trace.entries->len, 10000));
  for (guint i = 1; i < trace.entries->len; i++) {
    TraceEntry a = trace_at (&trace, i - 1), b = trace_at (&trace, i);
    cr_assert (le (i64, a.time, b.time));
    /* Ties run in scheduling order, and tags were given in that order. */
    if (a.time == b.time)
      cr_assert (lt (i32, a.tag, b.tag));
  }
  rsim_engine_free (engine);
  trace_clear (&trace);
}

Test (engine, same_time_events_run_fifo)
{
  Trace trace;
  trace_init (&trace);
  RsimEngine *engine = rsim_engine_new (1);
  for (gint i = 0; i < 1000; i++)
    schedule_tagged (engine, &trace, 5 * RSIM_SEC, i);
  rsim_engine_run_until (engine, 5 * RSIM_SEC);
  cr_assert (eq (u32, trace.entries->len, 1000));
  for (guint i = 0; i < 1000; i++)
    cr_assert (eq (i32, trace_at (&trace, i).tag, (gint) i));
  rsim_engine_free (engine);
  trace_clear (&trace);
}

/* An event scheduled for "now" from a callback runs after the events that
 * were already due at that time. */
static void
on_schedule_now (RsimEngine *engine, gpointer data)
{
  Trace *trace = data;
  TraceEntry e = { rsim_engine_now (engine), -1 };
  g_array_append_val (trace->entries, e);
  schedule_tagged (engine, trace, rsim_engine_now (engine), 99);
}

Test (engine, event_scheduled_now_from_callback_runs_last)
{
  Trace trace;
  trace_init (&trace);
  RsimEngine *engine = rsim_engine_new (1);
  rsim_engine_schedule_at (engine, 10, on_schedule_now, &trace, NULL);
  schedule_tagged (engine, &trace, 10, 1);
  schedule_tagged (engine, &trace, 10, 2);
  rsim_engine_run_until (engine, 10);
  cr_assert (eq (u32, trace.entries->len, 4));
  cr_assert (eq (i32, trace_at (&trace, 0).tag, -1));
  cr_assert (eq (i32, trace_at (&trace, 1).tag, 1));
  cr_assert (eq (i32, trace_at (&trace, 2).tag, 2));
  cr_assert (eq (i32, trace_at (&trace, 3).tag, 99));
  rsim_engine_free (engine);
  trace_clear (&trace);
}

Test (engine, schedule_in_is_relative_to_now)
{
  Trace trace;
  trace_init (&trace);
  RsimEngine *engine = rsim_engine_new (1);
  rsim_engine_run_until (engine, 3 * RSIM_SEC);
  Tagged *t = g_new0 (Tagged, 1);
  t->trace = &trace;
  RsimEventId id = rsim_engine_schedule_in (engine, 2 * RSIM_SEC, on_tagged, t,
                                            tagged_free);
  cr_assert (ne (u64, id, 0));
  cr_assert (eq (i64, rsim_engine_next_time (engine), 5 * RSIM_SEC));
  rsim_engine_run_until (engine, RSIM_MIN);
  cr_assert (eq (i64, trace_at (&trace, 0).time, 5 * RSIM_SEC));
  rsim_engine_free (engine);
  trace_clear (&trace);
}

Test (engine, scheduling_in_the_past_is_refused)
{
  expect_criticals ();
  Trace trace;
  trace_init (&trace);
  RsimEngine *engine = rsim_engine_new (1);
  rsim_engine_run_until (engine, 10 * RSIM_SEC);
  Tagged t = { .trace = &trace };
  cr_assert (eq (u64, rsim_engine_schedule_at (engine, 9 * RSIM_SEC, on_tagged,
                                               &t, NULL), 0));
  cr_assert (eq (u64, rsim_engine_schedule_in (engine, -1, on_tagged, &t, NULL), 0));
  cr_assert (eq (u64, rsim_engine_schedule_in (engine, RSIM_TIME_NEVER, on_tagged,
                                               &t, NULL), 0));
  cr_assert (eq (u64, rsim_engine_schedule_at (engine, 20 * RSIM_SEC, NULL, &t,
                                               NULL), 0));
  cr_assert (eq (u32, criticals_seen, 4));
  cr_assert (eq (sz, rsim_engine_pending_count (engine), 0));
  /* Now itself is allowed. */
  cr_assert (ne (u64, rsim_engine_schedule_at (engine, 10 * RSIM_SEC, on_tagged,
                                                &t, NULL), 0));
  rsim_engine_free (engine);
  trace_clear (&trace);
}

/* ---- Cancellation ---- */

Test (engine, cancel_pending_event)
{
  Trace trace;
  trace_init (&trace);
  RsimEngine *engine = rsim_engine_new (1);
  Tagged t[3] = { { .trace = &trace, .tag = 0 }, { .trace = &trace, .tag = 1 },
                  { .trace = &trace, .tag = 2 } };
  RsimEventId ids[3];
  for (guint i = 0; i < 3; i++)
    ids[i] = rsim_engine_schedule_at (engine, 10 * (i + 1), on_tagged, &t[i],
                                      tagged_count);
  cr_assert (eq (sz, rsim_engine_pending_count (engine), 3));
  cr_assert (rsim_engine_is_pending (engine, ids[1]));

  cr_assert (rsim_engine_cancel (engine, ids[1]));
  cr_assert (eq (u32, t[1].destroyed, 1)); /* at once */
  cr_assert (not (rsim_engine_is_pending (engine, ids[1])));
  cr_assert (eq (sz, rsim_engine_pending_count (engine), 2));
  /* A second cancel is a stale handle: FALSE, and no second destroy. */
  cr_assert (not (rsim_engine_cancel (engine, ids[1])));
  cr_assert (eq (u32, t[1].destroyed, 1));

  rsim_engine_run_until (engine, RSIM_SEC);
  cr_assert (eq (u32, trace.entries->len, 2));
  cr_assert (eq (i32, trace_at (&trace, 0).tag, 0));
  cr_assert (eq (i32, trace_at (&trace, 1).tag, 2));
  cr_assert (not (t[1].ran));
  for (guint i = 0; i < 3; i++)
    cr_assert (eq (u32, t[i].destroyed, 1));
  rsim_engine_free (engine);
  cr_assert (eq (u32, trace.destroyed, 3));
  trace_clear (&trace);
}

Test (engine, cancel_top_event_updates_next_time)
{
  Trace trace;
  trace_init (&trace);
  RsimEngine *engine = rsim_engine_new (1);
  RsimEventId a = schedule_tagged (engine, &trace, 100, 1);
  RsimEventId b = schedule_tagged (engine, &trace, 200, 2);
  schedule_tagged (engine, &trace, 300, 3);
  cr_assert (eq (i64, rsim_engine_next_time (engine), 100));
  cr_assert (rsim_engine_cancel (engine, a));
  cr_assert (eq (i64, rsim_engine_next_time (engine), 200));
  cr_assert (rsim_engine_cancel (engine, b));
  cr_assert (eq (i64, rsim_engine_next_time (engine), 300));
  cr_assert (rsim_engine_step (engine));
  cr_assert (eq (i64, rsim_engine_now (engine), 300));
  cr_assert (eq (i64, rsim_engine_next_time (engine), RSIM_TIME_NEVER));
  cr_assert (not (rsim_engine_step (engine)));
  cr_assert (eq (u32, trace.entries->len, 1));
  rsim_engine_free (engine);
  trace_clear (&trace);
}

Test (engine, cancel_stale_handles_returns_false)
{
  expect_criticals ();
  Trace trace;
  trace_init (&trace);
  RsimEngine *engine = rsim_engine_new (1);

  /* 0 and handles that were never issued. */
  cr_assert (not (rsim_engine_cancel (engine, 0)));
  cr_assert (not (rsim_engine_cancel (engine, G_MAXUINT64)));
  cr_assert (not (rsim_engine_cancel (engine, ((guint64) 1 << 32) | 5)));

  /* An event that already ran. */
  RsimEventId ran = schedule_tagged (engine, &trace, 10, 1);
  rsim_engine_run_until (engine, 10);
  cr_assert (eq (u32, trace.destroyed, 1));
  cr_assert (not (rsim_engine_is_pending (engine, ran)));
  cr_assert (not (rsim_engine_cancel (engine, ran)));

  /* The slot of the run event is reused: the old handle must not reach the
   * new event. */
  RsimEventId reuse = schedule_tagged (engine, &trace, 20, 2);
  cr_assert (eq (u64, reuse & G_MAXUINT32, ran & G_MAXUINT32));
  cr_assert (ne (u64, reuse, ran));
  cr_assert (not (rsim_engine_cancel (engine, ran)));
  cr_assert (rsim_engine_is_pending (engine, reuse));

  /* Same after a cancellation, once the cancelled slot has been recycled. */
  cr_assert (rsim_engine_cancel (engine, reuse));
  RsimEventId again = schedule_tagged (engine, &trace, 30, 3);
  cr_assert (not (rsim_engine_cancel (engine, reuse)));
  cr_assert (rsim_engine_is_pending (engine, again));

  rsim_engine_run_until (engine, RSIM_SEC);
  cr_assert (eq (u32, trace.entries->len, 2));
  cr_assert (eq (i32, trace_at (&trace, 1).tag, 3));
  cr_assert (eq (u32, trace.destroyed, 3));
  cr_assert (eq (u32, criticals_seen, 0));
  rsim_engine_free (engine);
  trace_clear (&trace);
}

/* A callback that tries to cancel its own event, then another one. */
typedef struct {
  RsimEventId self;
  RsimEventId other;
  gboolean self_result;
  gboolean other_result;
  gboolean self_pending;
  guint destroyed;
} SelfCancel;

static void
on_self_cancel (RsimEngine *engine, gpointer data)
{
  SelfCancel *sc = data;
  sc->self_pending = rsim_engine_is_pending (engine, sc->self);
  sc->self_result = rsim_engine_cancel (engine, sc->self);
  sc->other_result = rsim_engine_cancel (engine, sc->other);
  /* Still ours: destroy runs only after this callback returns. */
  cr_assert (eq (u32, sc->destroyed, 0));
}

static void
self_cancel_destroy (gpointer data)
{
  ((SelfCancel *) data)->destroyed++;
}

Test (engine, callback_cancelling_itself_is_harmless)
{
  Trace trace;
  trace_init (&trace);
  RsimEngine *engine = rsim_engine_new (1);
  SelfCancel sc = { 0 };
  Tagged other = { .trace = &trace, .tag = 7 };
  sc.self = rsim_engine_schedule_at (engine, 10, on_self_cancel, &sc,
                                     self_cancel_destroy);
  sc.other = rsim_engine_schedule_at (engine, 20, on_tagged, &other, tagged_count);
  rsim_engine_run_until (engine, RSIM_SEC);
  cr_assert (not (sc.self_pending));
  cr_assert (not (sc.self_result));
  cr_assert (sc.other_result);
  cr_assert (eq (u32, sc.destroyed, 1));
  cr_assert (not (other.ran));
  cr_assert (eq (u32, other.destroyed, 1));
  cr_assert (eq (u64, rsim_engine_events_processed (engine), 1));
  rsim_engine_free (engine);
  trace_clear (&trace);
}

/* ---- Ownership of payloads ---- */

typedef struct {
  guint ran;
  guint destroyed;
  gboolean destroyed_before_run;
} Owned;

static void
on_owned (RsimEngine *engine, gpointer data)
{
  Owned *o = data;
  if (o->destroyed > 0)
    o->destroyed_before_run = TRUE;
  o->ran++;
}

static void
owned_destroy (gpointer data)
{
  ((Owned *) data)->destroyed++;
}

Test (engine, destroy_called_once_after_run)
{
  RsimEngine *engine = rsim_engine_new (1);
  Owned o = { 0 };
  rsim_engine_schedule_at (engine, 5, on_owned, &o, owned_destroy);
  cr_assert (eq (u32, o.destroyed, 0));
  rsim_engine_run_until (engine, 100);
  cr_assert (eq (u32, o.ran, 1));
  cr_assert (eq (u32, o.destroyed, 1));
  cr_assert (not (o.destroyed_before_run));
  rsim_engine_free (engine);
  cr_assert (eq (u32, o.destroyed, 1));
}

/* A periodic timer: the callback reschedules itself with the same data and
 * no destroy function, the first event owning the payload. */
typedef struct {
  guint fired;
  guint destroyed;
  RsimTime period;
} Periodic;

static void
on_periodic (RsimEngine *engine, gpointer data)
{
  Periodic *p = data;
  p->fired++;
  rsim_engine_schedule_in (engine, p->period, on_periodic, p, NULL);
}

static void
periodic_destroy (gpointer data)
{
  ((Periodic *) data)->destroyed++;
}

Test (engine, periodic_timer_reschedules_with_same_data)
{
  RsimEngine *engine = rsim_engine_new (1);
  Periodic p = { .period = 10 * RSIM_SEC };
  rsim_engine_schedule_at (engine, 0, on_periodic, &p, periodic_destroy);
  rsim_engine_run_until (engine, 95 * RSIM_SEC);
  cr_assert (eq (u32, p.fired, 10)); /* at 0, 10, ..., 90 s */
  cr_assert (eq (u32, p.destroyed, 1)); /* the first event's destroy only */
  cr_assert (eq (sz, rsim_engine_pending_count (engine), 1));
  cr_assert (eq (i64, rsim_engine_next_time (engine), 100 * RSIM_SEC));
  rsim_engine_free (engine);
  cr_assert (eq (u32, p.destroyed, 1)); /* the pending one had none */
}

Test (engine, free_destroys_pending_payloads)
{
  Trace trace;
  trace_init (&trace);
  RsimEngine *engine = rsim_engine_new (1);
  for (gint i = 0; i < 100; i++)
    schedule_tagged (engine, &trace, i, i);
  RsimEventId cancelled = schedule_tagged (engine, &trace, 1000, -1);
  cr_assert (rsim_engine_cancel (engine, cancelled));
  rsim_engine_run_until (engine, 49);
  cr_assert (eq (u32, trace.entries->len, 50));
  cr_assert (eq (u32, trace.destroyed, 51));
  rsim_engine_free (engine);
  cr_assert (eq (u32, trace.destroyed, 101));
  trace_clear (&trace);
}

/* ---- The clock ---- */

Test (engine, run_until_moves_clock_and_leaves_later_events)
{
  Trace trace;
  trace_init (&trace);
  RsimEngine *engine = rsim_engine_new (1);
  schedule_tagged (engine, &trace, 1 * RSIM_SEC, 1);
  schedule_tagged (engine, &trace, 2 * RSIM_SEC, 2);
  schedule_tagged (engine, &trace, 2 * RSIM_SEC + 1, 3);
  schedule_tagged (engine, &trace, 7 * RSIM_SEC, 4);

  /* Events exactly at end run. */
  cr_assert (eq (u64, rsim_engine_run_until (engine, 2 * RSIM_SEC), 2));
  cr_assert (eq (i64, rsim_engine_now (engine), 2 * RSIM_SEC));
  cr_assert (eq (sz, rsim_engine_pending_count (engine), 2));
  cr_assert (eq (i64, rsim_engine_next_time (engine), 2 * RSIM_SEC + 1));

  /* No event due: the clock still moves to end. */
  cr_assert (eq (u64, rsim_engine_run_until (engine, 2 * RSIM_SEC), 0));
  cr_assert (eq (u64, rsim_engine_run_until (engine, 5 * RSIM_SEC), 1));
  cr_assert (eq (i64, rsim_engine_now (engine), 5 * RSIM_SEC));
  cr_assert (eq (sz, rsim_engine_pending_count (engine), 1));

  cr_assert (eq (u64, rsim_engine_run_until (engine, RSIM_MIN), 1));
  cr_assert (eq (i64, rsim_engine_now (engine), RSIM_MIN));
  cr_assert (eq (sz, rsim_engine_pending_count (engine), 0));
  cr_assert (eq (u64, rsim_engine_events_processed (engine), 4));
  rsim_engine_free (engine);
  trace_clear (&trace);
}

Test (engine, run_until_in_the_past_is_refused)
{
  expect_criticals ();
  RsimEngine *engine = rsim_engine_new (1);
  rsim_engine_run_until (engine, 10);
  cr_assert (eq (u64, rsim_engine_run_until (engine, 9), 0));
  cr_assert (eq (i64, rsim_engine_now (engine), 10));
  cr_assert (eq (u32, criticals_seen, 1));
  rsim_engine_free (engine);
}

Test (engine, step_runs_one_event)
{
  Trace trace;
  trace_init (&trace);
  RsimEngine *engine = rsim_engine_new (1);
  schedule_tagged (engine, &trace, 40, 1);
  schedule_tagged (engine, &trace, 40, 2);
  cr_assert (rsim_engine_step (engine));
  cr_assert (eq (i64, rsim_engine_now (engine), 40));
  cr_assert (eq (u32, trace.entries->len, 1));
  cr_assert (rsim_engine_step (engine));
  cr_assert (not (rsim_engine_step (engine)));
  cr_assert (eq (i64, rsim_engine_now (engine), 40));
  rsim_engine_free (engine);
  trace_clear (&trace);
}

static void
on_stop (RsimEngine *engine, gpointer data)
{
  on_tagged (engine, data);
  rsim_engine_stop (engine);
}

Test (engine, stop_ends_run_until_after_current_event)
{
  Trace trace;
  trace_init (&trace);
  RsimEngine *engine = rsim_engine_new (1);
  schedule_tagged (engine, &trace, 1 * RSIM_SEC, 1);
  Tagged stopper = { .trace = &trace, .tag = 2 };
  rsim_engine_schedule_at (engine, 2 * RSIM_SEC, on_stop, &stopper, NULL);
  schedule_tagged (engine, &trace, 2 * RSIM_SEC, 3); /* same time, after */
  schedule_tagged (engine, &trace, 3 * RSIM_SEC, 4);

  cr_assert (eq (u64, rsim_engine_run_until (engine, RSIM_MIN), 2));
  /* The clock stays at the stopping event, not at end. */
  cr_assert (eq (i64, rsim_engine_now (engine), 2 * RSIM_SEC));
  cr_assert (eq (sz, rsim_engine_pending_count (engine), 2));

  /* The next call runs on. */
  cr_assert (eq (u64, rsim_engine_run_until (engine, RSIM_MIN), 2));
  cr_assert (eq (i64, rsim_engine_now (engine), RSIM_MIN));
  cr_assert (eq (u32, trace.entries->len, 4));
  cr_assert (eq (i32, trace_at (&trace, 2).tag, 3));
  rsim_engine_free (engine);
  trace_clear (&trace);
}

/* ---- Event budget and after-step hook ---- */

static void
on_rearm (RsimEngine *engine, gpointer data)
{
  on_tagged (engine, data);
  rsim_engine_schedule_in (engine, RSIM_SEC, on_rearm, data, NULL);
}

Test (engine, event_limit_stops_a_run_before_the_first_event_over_it)
{
  Trace trace;
  trace_init (&trace);
  RsimEngine *engine = rsim_engine_new (1);
  Tagged t = { .trace = &trace, .tag = 1 };
  rsim_engine_schedule_at (engine, RSIM_SEC, on_rearm, &t, NULL);
  rsim_engine_set_event_limit (engine, 5);
  cr_assert (eq (u64, rsim_engine_run_until (engine, RSIM_HOUR), 5));
  cr_assert (rsim_engine_event_limit_reached (engine));
  /* The clock stays at the last event run, not at the end. */
  cr_assert (eq (i64, rsim_engine_now (engine), 5 * RSIM_SEC));
  cr_assert (eq (u32, trace.entries->len, 5));
  cr_assert (not (rsim_engine_step (engine)));
  cr_assert (eq (u64, rsim_engine_events_processed (engine), 5));
  /* A larger budget lets the run go on; the flag is cleared. */
  rsim_engine_set_event_limit (engine, 8);
  cr_assert (not (rsim_engine_event_limit_reached (engine)));
  cr_assert (eq (u64, rsim_engine_run_until (engine, RSIM_HOUR), 3));
  cr_assert (rsim_engine_event_limit_reached (engine));
  /* 0 removes the limit. */
  rsim_engine_set_event_limit (engine, 0);
  cr_assert (eq (u64, rsim_engine_run_until (engine, 20 * RSIM_SEC), 12));
  cr_assert (not (rsim_engine_event_limit_reached (engine)));
  cr_assert (eq (i64, rsim_engine_now (engine), 20 * RSIM_SEC));
  rsim_engine_free (engine);
  trace_clear (&trace);
}

Test (engine, event_limit_exactly_met_is_not_reached)
{
  Trace trace;
  trace_init (&trace);
  RsimEngine *engine = rsim_engine_new (1);
  for (int i = 1; i <= 4; i++)
    schedule_tagged (engine, &trace, i * RSIM_SEC, i);
  rsim_engine_set_event_limit (engine, 4);
  cr_assert (eq (u64, rsim_engine_run_until (engine, RSIM_MIN), 4));
  /* Nothing was left undone: the budget is not reported as exceeded. */
  cr_assert (not (rsim_engine_event_limit_reached (engine)));
  cr_assert (eq (i64, rsim_engine_now (engine), RSIM_MIN));
  rsim_engine_free (engine);
  trace_clear (&trace);
}

typedef struct {
  GArray *seen;        /* RsimTime of each hook call */
  Trace *trace;
} HookLog;

static void
after_step (RsimEngine *engine, gpointer user_data)
{
  HookLog *log = user_data;
  RsimTime now = rsim_engine_now (engine);
  /* The event's callback and destroy function have both run. */
  cr_assert (eq (u32, log->trace->entries->len, log->seen->len + 1));
  cr_assert (eq (u32, log->trace->destroyed, log->seen->len + 1));
  g_array_append_val (log->seen, now);
}

Test (engine, after_step_hook_runs_after_every_event)
{
  Trace trace;
  trace_init (&trace);
  HookLog log = { g_array_new (FALSE, FALSE, sizeof (RsimTime)), &trace };
  RsimEngine *engine = rsim_engine_new (1);
  schedule_tagged (engine, &trace, 3, 1);
  schedule_tagged (engine, &trace, 1, 2);
  schedule_tagged (engine, &trace, 2, 3);
  rsim_engine_set_after_step (engine, after_step, &log);
  cr_assert (rsim_engine_step (engine));
  cr_assert (eq (u64, rsim_engine_run_until (engine, 10), 2));
  cr_assert (eq (u32, log.seen->len, 3));
  for (guint i = 0; i < 3; i++)
    cr_assert (eq (i64, g_array_index (log.seen, RsimTime, i), i + 1));
  /* Turned off, it is not called any more. */
  rsim_engine_set_after_step (engine, NULL, &log);
  schedule_tagged (engine, &trace, 20, 4);
  cr_assert (eq (u64, rsim_engine_run_until (engine, 30), 1));
  cr_assert (eq (u32, log.seen->len, 3));
  rsim_engine_free (engine);
  g_array_unref (log.seen);
  trace_clear (&trace);
}

/* ---- Memory under churn ---- */

Test (engine, schedule_cancel_churn_keeps_memory_flat)
{
  RsimEngine *engine = rsim_engine_new (3);
  RsimRng *rng = rsim_engine_rng (engine, "churn");
  Owned o = { 0 };
  /* 16 long-lived events that are never cancelled. */
  for (guint i = 0; i < 16; i++)
    rsim_engine_schedule_at (engine, RSIM_HOUR + i, on_owned, &o, NULL);
  RsimEventId last = 0;
  gsize max_heap = 0, max_cap = 0;
  for (guint i = 0; i < 1000000; i++) {
    RsimTime delay = (RsimTime) rsim_rng_uint (rng, 60 * RSIM_SEC) + RSIM_SEC;
    RsimEventId id = rsim_engine_schedule_in (engine, delay, on_owned, &o,
                                              owned_destroy);
    if (last != 0)
      cr_assert (rsim_engine_cancel (engine, last));
    last = id;
    gsize pending = rsim_engine_pending_count (engine);
    cr_assert (eq (sz, pending, 17));
    cr_assert (le (sz, rsim__engine_heap_size (engine), 2 * pending));
    max_heap = MAX (max_heap, rsim__engine_heap_size (engine));
    max_cap = MAX (max_cap, rsim__engine_heap_capacity (engine));
    if (i % 1000 == 0)
      rsim_engine_run_until (engine, rsim_engine_now (engine) + 1);
  }
  cr_assert (le (sz, max_heap, 34));
  cr_assert (le (sz, max_cap, 64));
  cr_assert (le (sz, rsim__engine_slot_count (engine), 64));
  cr_assert (eq (u32, o.ran, 0));
  cr_assert (eq (u32, o.destroyed, 999999));
  rsim_engine_free (engine);
  cr_assert (eq (u32, o.destroyed, 1000000));
}

/* Heartbeats that re-arm their target's timeout by cancelling and
 * rescheduling it (the expensive pattern the model avoids, but must still
 * run in flat memory). */
typedef struct {
  RsimEventId timeout;
  guint beats;
  guint timeouts;
} Target;

static void
on_target_timeout (RsimEngine *engine, gpointer data)
{
  ((Target *) data)->timeouts++;
}

static void
on_target_heartbeat (RsimEngine *engine, gpointer data)
{
  Target *t = data;
  t->beats++;
  cr_assert (rsim_engine_cancel (engine, t->timeout));
  t->timeout = rsim_engine_schedule_in (engine, 50 * RSIM_SEC, on_target_timeout,
                                        t, NULL);
  rsim_engine_schedule_in (engine, 10 * RSIM_SEC, on_target_heartbeat, t, NULL);
}

Test (engine, cancel_and_rearm_timeouts_keep_memory_flat)
{
  RsimEngine *engine = rsim_engine_new (4);
  RsimRng *rng = rsim_engine_rng (engine, "phase");
  enum { TARGETS = 500 };
  Target targets[TARGETS] = { 0 };
  for (guint i = 0; i < TARGETS; i++) {
    RsimTime phase = (RsimTime) rsim_rng_uint (rng, 10 * RSIM_SEC);
    targets[i].timeout = rsim_engine_schedule_in (engine, 50 * RSIM_SEC,
                                                  on_target_timeout,
                                                  &targets[i], NULL);
    rsim_engine_schedule_in (engine, phase, on_target_heartbeat, &targets[i],
                             NULL);
  }
  for (guint hour = 1; hour <= 10; hour++) {
    rsim_engine_run_until (engine, hour * RSIM_HOUR);
    cr_assert (eq (sz, rsim_engine_pending_count (engine), 2 * TARGETS));
    cr_assert (le (sz, rsim__engine_heap_size (engine), 4 * TARGETS));
    cr_assert (le (sz, rsim__engine_heap_capacity (engine), 8 * TARGETS));
    cr_assert (le (sz, rsim__engine_slot_count (engine), 8 * TARGETS));
  }
  for (guint i = 0; i < TARGETS; i++) {
    cr_assert (eq (u32, targets[i].timeouts, 0));
    cr_assert (ge (u32, targets[i].beats, 3600));
  }
  rsim_engine_free (engine);
}

Test (engine, heap_shrinks_after_a_burst)
{
  RsimEngine *engine = rsim_engine_new (1);
  Owned o = { 0 };
  for (guint i = 0; i < 100000; i++)
    rsim_engine_schedule_at (engine, i, on_owned, &o, NULL);
  cr_assert (ge (sz, rsim__engine_heap_capacity (engine), 100000));
  rsim_engine_run_until (engine, RSIM_SEC);
  cr_assert (le (sz, rsim__engine_heap_capacity (engine), 64));
  cr_assert (eq (u32, o.ran, 100000));
  rsim_engine_free (engine);
}

/* The 40-bit sequence number wraps: FIFO order must survive the renumbering,
 * with cancelled entries in the heap at that moment. */
Test (engine, fifo_survives_sequence_renumbering)
{
  Trace trace;
  trace_init (&trace);
  RsimEngine *engine = rsim_engine_new (1);
  rsim__engine_set_next_seq (engine, (G_GUINT64_CONSTANT (1) << 40) - 10);
  RsimEventId ids[40];
  for (gint i = 0; i < 40; i++)
    ids[i] = schedule_tagged (engine, &trace, (i % 2 == 0) ? 100 : 50, i);
  for (gint i = 0; i < 40; i += 7)
    cr_assert (rsim_engine_cancel (engine, ids[i]));
  rsim__engine_set_next_seq (engine, G_GUINT64_CONSTANT (1) << 40);
  for (gint i = 40; i < 60; i++)
    schedule_tagged (engine, &trace, (i % 2 == 0) ? 100 : 50, i);
  rsim_engine_run_until (engine, RSIM_SEC);

  /* Expected: odd tags (time 50) in order, then even tags (time 100) in
   * order, without the cancelled ones. */
  GArray *want = g_array_new (FALSE, FALSE, sizeof (gint));
  for (gint parity = 1; parity >= 0; parity--)
    for (gint i = 0; i < 60; i++)
      if (i % 2 == parity && !(i < 40 && i % 7 == 0))
        g_array_append_val (want, i);
  cr_assert (eq (u32, trace.entries->len, want->len));
  for (guint i = 0; i < want->len; i++)
    cr_assert (eq (i32, trace_at (&trace, i).tag, g_array_index (want, gint, i)));
  g_array_unref (want);
  rsim_engine_free (engine);
  trace_clear (&trace);
}

/* A ticket taken between two schedules puts an event scheduled later with it
 * between those two among same-instant events; a block of tickets orders its
 * events by ticket whatever order they are scheduled in. */
static RsimEventId
schedule_tagged_ticket (RsimEngine *engine, Trace *trace, RsimTime at,
                        RsimTicket ticket, gint tag)
{
  Tagged *t = g_new0 (Tagged, 1);
  t->trace = trace;
  t->tag = tag;
  return rsim_engine_schedule_ticket (engine, at, ticket, on_tagged, t,
                                      tagged_free);
}

Test (engine, ticket_keeps_the_place_it_was_taken_at)
{
  Trace trace;
  trace_init (&trace);
  RsimEngine *engine = rsim_engine_new (1);
  schedule_tagged (engine, &trace, 100, 1);
  RsimTicket one = rsim_engine_reserve (engine, 1);
  schedule_tagged (engine, &trace, 100, 3);
  RsimTicket block = rsim_engine_reserve (engine, 3);
  schedule_tagged (engine, &trace, 100, 7);
  rsim_engine_run_until (engine, 50);
  /* Later, and in reverse order within the block. */
  schedule_tagged_ticket (engine, &trace, 100, block + 2, 6);
  schedule_tagged_ticket (engine, &trace, 100, block + 0, 4);
  schedule_tagged_ticket (engine, &trace, 100, one, 2);
  /* A ticketed event at another instant still runs by time first. */
  schedule_tagged_ticket (engine, &trace, 99, block + 1, 0);
  schedule_tagged (engine, &trace, 100, 8);
  rsim_engine_run_until (engine, 200);
  const gint want[] = { 0, 1, 2, 3, 4, 6, 7, 8 };
  cr_assert (eq (u32, trace.entries->len, G_N_ELEMENTS (want)));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    cr_assert (eq (i32, trace_at (&trace, i).tag, want[i]));
  rsim_engine_free (engine);
  trace_clear (&trace);
}

/* ---- Random streams ---- */

Test (rng, hash_and_mix_match_reference_vectors)
{
  /* FNV-1a 64 and splitmix64 reference values: the stream seeds of every
   * saved scenario depend on them. */
  cr_assert (eq (u64, rsim__fnv1a64 (""), G_GUINT64_CONSTANT (0xcbf29ce484222325)));
  cr_assert (eq (u64, rsim__fnv1a64 ("a"), G_GUINT64_CONSTANT (0xaf63dc4c8601ec8c)));
  cr_assert (eq (u64, rsim__fnv1a64 ("foobar"), G_GUINT64_CONSTANT (0x85944171f73967e8)));
  cr_assert (eq (u64, rsim__splitmix64 (0), G_GUINT64_CONSTANT (0xe220a8397b1dcdaf)));
  cr_assert (eq (u64, rsim__splitmix64 (G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)),
                 G_GUINT64_CONSTANT (0x6e789e6aa1b965f4)));
}

Test (rng, stream_is_created_once_and_named)
{
  g_autoptr (RsimEngine) engine = rsim_engine_new (5);
  RsimRng *a = rsim_engine_rng (engine, "a");
  char name[] = "a";
  cr_assert (eq (ptr, rsim_engine_rng (engine, name), a));
  cr_assert (ne (ptr, rsim_engine_rng (engine, "b"), a));
  cr_assert (eq (str, (char *) rsim__rng_name (a), "a"));
}

static void
draw_u64s (RsimRng *rng, guint64 *out, guint n)
{
  for (guint i = 0; i < n; i++)
    out[i] = rsim_rng_uint (rng, G_MAXUINT64);
}

Test (rng, same_seed_same_sequence)
{
  guint64 x[64], y[64];
  g_autoptr (RsimEngine) e1 = rsim_engine_new (42);
  g_autoptr (RsimEngine) e2 = rsim_engine_new (42);
  draw_u64s (rsim_engine_rng (e1, "tm-failures"), x, 64);
  draw_u64s (rsim_engine_rng (e2, "tm-failures"), y, 64);
  cr_assert (eq (int, memcmp (x, y, sizeof x), 0));
}

Test (rng, different_names_or_seeds_differ)
{
  guint64 a[8], b[8], c[8], d[8];
  g_autoptr (RsimEngine) e1 = rsim_engine_new (42);
  g_autoptr (RsimEngine) e2 = rsim_engine_new (43);
  draw_u64s (rsim_engine_rng (e1, "tm-1"), a, 8);
  draw_u64s (rsim_engine_rng (e1, "tm-2"), b, 8);
  draw_u64s (rsim_engine_rng (e2, "tm-1"), c, 8);
  draw_u64s (rsim_engine_rng (e1, "tm-10"), d, 8);
  cr_assert (ne (int, memcmp (a, b, sizeof a), 0));
  cr_assert (ne (int, memcmp (a, c, sizeof a), 0));
  cr_assert (ne (int, memcmp (a, d, sizeof a), 0));
  cr_assert (ne (int, memcmp (b, d, sizeof a), 0));
  cr_assert (ne (u64, rsim__rng_stream_seed (42, "tm-1"),
                  rsim__rng_stream_seed (42, "tm-2")));
  cr_assert (ne (u64, rsim__rng_stream_seed (42, "tm-1"),
                  rsim__rng_stream_seed (43, "tm-1")));
}

Test (rng, streams_are_independent_of_other_draws_and_creation_order)
{
  guint64 b1[32], b2[32], b3[32], junk[100];
  g_autoptr (RsimEngine) e1 = rsim_engine_new (9);
  g_autoptr (RsimEngine) e2 = rsim_engine_new (9);
  g_autoptr (RsimEngine) e3 = rsim_engine_new (9);

  /* e1: B alone. */
  draw_u64s (rsim_engine_rng (e1, "B"), b1, 32);
  /* e2: A first, many draws from A, then B, with A draws in between. */
  draw_u64s (rsim_engine_rng (e2, "A"), junk, 100);
  RsimRng *b = rsim_engine_rng (e2, "B");
  for (guint i = 0; i < 32; i++) {
    b2[i] = rsim_rng_uint (b, G_MAXUINT64);
    rsim_rng_normal (rsim_engine_rng (e2, "A"), 0.0, 1.0);
  }
  /* e3: many other streams created before B. */
  for (guint i = 0; i < 50; i++) {
    g_autofree char *name = g_strdup_printf ("other-%u", i);
    rsim_rng_uniform (rsim_engine_rng (e3, name));
  }
  draw_u64s (rsim_engine_rng (e3, "B"), b3, 32);

  cr_assert (eq (int, memcmp (b1, b2, sizeof b1), 0));
  cr_assert (eq (int, memcmp (b1, b3, sizeof b1), 0));
}

Test (rng, golden_first_draws)
{
  /* Pins the generator and the seeding: if this changes, every saved
   * scenario's outputs change too. */
  g_autoptr (RsimEngine) engine = rsim_engine_new (42);
  RsimRng *rng = rsim_engine_rng (engine, "golden");
  guint64 got[3];
  for (guint i = 0; i < 3; i++)
    got[i] = rsim_rng_uint (rng, 1000000);
  cr_assert (eq (u64, got[0], 353362));
  cr_assert (eq (u64, got[1], 710927));
  cr_assert (eq (u64, got[2], 899016));
}

Test (rng, uint_bounds_small_and_huge_n)
{
  g_autoptr (RsimEngine) engine = rsim_engine_new (11);
  RsimRng *rng = rsim_engine_rng (engine, "uint");
  const guint64 ns[] = {
    1, 2, 3, 1000, G_MAXUINT32 - 1, G_MAXUINT32, (guint64) G_MAXUINT32 + 1,
    (guint64) G_MAXUINT32 + 2, G_GUINT64_CONSTANT (1) << 40,
    G_GUINT64_CONSTANT (1) << 63, (G_GUINT64_CONSTANT (1) << 63) + 1,
    3 * (G_GUINT64_CONSTANT (1) << 62), G_MAXUINT64,
  };
  for (guint k = 0; k < G_N_ELEMENTS (ns); k++) {
    guint64 n = ns[k], max_seen = 0;
    for (guint i = 0; i < 20000; i++) {
      guint64 x = rsim_rng_uint (rng, n);
      cr_assert (lt (u64, x, n));
      max_seen = MAX (max_seen, x);
    }
    /* The top eighth of the range is reached (20000 draws: a miss has
     * probability (7/8)^20000). */
    cr_assert (ge (u64, max_seen, n - 1 - (n - 1) / 8));
  }
  cr_assert (eq (u64, rsim_rng_uint (rng, 1), 0));
}

Test (rng, uint_huge_n_is_uniform_by_quarters)
{
  g_autoptr (RsimEngine) engine = rsim_engine_new (12);
  RsimRng *rng = rsim_engine_rng (engine, "quarters");
  /* n = 3 * 2^62: a plain 64-bit draw mod n would put half the mass in the
   * first third. Each third must get about a third of the draws. */
  const guint64 n = 3 * (G_GUINT64_CONSTANT (1) << 62);
  const guint64 third = G_GUINT64_CONSTANT (1) << 62;
  guint counts[3] = { 0 };
  for (guint i = 0; i < 300000; i++)
    counts[rsim_rng_uint (rng, n) / third]++;
  for (guint j = 0; j < 3; j++) {
    cr_assert (gt (u32, counts[j], 98500));
    cr_assert (lt (u32, counts[j], 101500));
  }
}

Test (rng, uint_zero_is_refused)
{
  expect_criticals ();
  g_autoptr (RsimEngine) engine = rsim_engine_new (1);
  cr_assert (eq (u64, rsim_rng_uint (rsim_engine_rng (engine, "z"), 0), 0));
  cr_assert (eq (u32, criticals_seen, 1));
}

/* Mean and variance of n draws of f. */
static void
sample_moments (RsimRng *rng, double (*f) (RsimRng *, double, double), double p,
                double q, guint n, double *mean, double *var)
{
  double sum = 0.0, sum2 = 0.0;
  for (guint i = 0; i < n; i++) {
    double x = f (rng, p, q);
    sum += x;
    sum2 += x * x;
  }
  *mean = sum / n;
  *var = sum2 / n - *mean * *mean;
}

static double
exponential2 (RsimRng *rng, double mean, double unused)
{
  return rsim_rng_exponential (rng, mean);
}

Test (rng, distributions_have_their_documented_parameters)
{
  g_autoptr (RsimEngine) engine = rsim_engine_new (2024);
  RsimRng *rng = rsim_engine_rng (engine, "moments");
  const guint n = 400000;
  double m, v;

  /* Uniform over [0, 1): mean 1/2, variance 1/12. */
  double lo = 1.0, hi = 0.0, sum = 0.0;
  for (guint i = 0; i < n; i++) {
    double u = rsim_rng_uniform (rng);
    cr_assert (ge (dbl, u, 0.0));
    cr_assert (lt (dbl, u, 1.0));
    lo = MIN (lo, u);
    hi = MAX (hi, u);
    sum += u;
  }
  cr_assert (epsilon_eq (dbl, sum / n, 0.5, 0.005));

  sample_moments (rng, rsim_rng_uniform_range, 3.0, 7.0, n, &m, &v);
  cr_assert (epsilon_eq (dbl, m, 5.0, 0.02));
  cr_assert (epsilon_eq (dbl, v, 16.0 / 12.0, 0.02));

  /* Exponential: the parameter is the mean (seconds, say), not the rate. */
  sample_moments (rng, exponential2, 30.0, 0.0, n, &m, &v);
  cr_assert (epsilon_eq (dbl, m, 30.0, 0.3));
  cr_assert (epsilon_eq (dbl, sqrt (v), 30.0, 0.5));

  sample_moments (rng, rsim_rng_normal, 5.0, 2.0, n, &m, &v);
  cr_assert (epsilon_eq (dbl, m, 5.0, 0.02));
  cr_assert (epsilon_eq (dbl, sqrt (v), 2.0, 0.02));

  /* Lognormal(mu, sigma): mean exp(mu + sigma^2 / 2). */
  sample_moments (rng, rsim_rng_lognormal, 1.0, 0.5, n, &m, &v);
  cr_assert (epsilon_eq (dbl, m, exp (1.0 + 0.125), 0.03));

  /* Weibull(scale, shape): mean scale * Gamma(1 + 1 / shape). */
  sample_moments (rng, rsim_rng_weibull, 20.0, 1.5, n, &m, &v);
  cr_assert (epsilon_eq (dbl, m, 20.0 * tgamma (1.0 + 1.0 / 1.5), 0.15));
  sample_moments (rng, rsim_rng_weibull, 2.0, 5.0, n, &m, &v);
  cr_assert (epsilon_eq (dbl, m, 2.0 * tgamma (1.0 + 1.0 / 5.0), 0.01));
}

/* ---- Two engines in two threads ---- */

/* A small but busy simulation: entities with randomised periodic work,
 * re-arming timeouts, cancellations and one stream per entity. Its trace is
 * every event's (time, tag) plus the random bits it drew. */
typedef struct Sim Sim;

typedef struct {
  Sim *sim;
  guint index;
  RsimTime last_seen;
  RsimEventId timeout;
  RsimEventId extra;
  RsimRng *rng;
} Entity;

struct Sim {
  RsimEngine *engine;
  GArray *trace; /* guint64 words */
  Entity *entities;
  guint n;
};

static void
sim_record (Sim *sim, guint64 word)
{
  g_array_append_val (sim->trace, word);
}

static void on_entity_timeout (RsimEngine *engine, gpointer data);

static void
on_entity_extra (RsimEngine *engine, gpointer data)
{
  Entity *e = data;
  e->extra = 0;
  sim_record (e->sim, (guint64) rsim_engine_now (engine) ^ 0xe0000000u);
  sim_record (e->sim, e->index);
}

static void
on_entity_beat (RsimEngine *engine, gpointer data)
{
  Entity *e = data;
  RsimTime now = rsim_engine_now (engine);
  e->last_seen = now;
  guint64 bits = rsim_rng_uint (e->rng, G_MAXUINT64);
  sim_record (e->sim, (guint64) now);
  sim_record (e->sim, e->index);
  sim_record (e->sim, bits);
  /* Sometimes schedule an extra event, sometimes cancel the pending one. */
  if (bits % 3 == 0 && e->extra == 0)
    e->extra = rsim_engine_schedule_in (engine,
                                        (RsimTime) (bits % (7 * RSIM_SEC)),
                                        on_entity_extra, e, NULL);
  else if (bits % 5 == 0 && e->extra != 0 && rsim_engine_cancel (engine, e->extra))
    e->extra = 0;
  RsimTime gap = (RsimTime) (rsim_rng_exponential (e->rng, 5.0) * RSIM_SEC);
  rsim_engine_schedule_in (engine, gap, on_entity_beat, e, NULL);
}

static void
on_entity_timeout (RsimEngine *engine, gpointer data)
{
  Entity *e = data;
  RsimTime deadline = e->last_seen + 20 * RSIM_SEC;
  sim_record (e->sim, (guint64) rsim_engine_now (engine) ^ 0xd0000000u);
  if (deadline > rsim_engine_now (engine)) {
    e->timeout = rsim_engine_schedule_at (engine, deadline, on_entity_timeout,
                                          e, NULL);
  } else {
    /* Timed out: restart it after a random delay. */
    e->last_seen = rsim_engine_now (engine);
    e->timeout = rsim_engine_schedule_in (engine, 20 * RSIM_SEC,
                                          on_entity_timeout, e, NULL);
  }
}

static gpointer
run_sim (gpointer seedp)
{
  guint64 seed = *(guint64 *) seedp;
  Sim sim = { .engine = rsim_engine_new (seed), .n = 200 };
  sim.trace = g_array_new (FALSE, FALSE, sizeof (guint64));
  sim.entities = g_new0 (Entity, sim.n);
  for (guint i = 0; i < sim.n; i++) {
    Entity *e = &sim.entities[i];
    g_autofree char *name = g_strdup_printf ("entity-%u", i);
    e->sim = &sim;
    e->index = i;
    e->rng = rsim_engine_rng (sim.engine, name);
    rsim_engine_schedule_in (sim.engine, (RsimTime) rsim_rng_uint (e->rng, RSIM_SEC),
                             on_entity_beat, e, NULL);
    e->timeout = rsim_engine_schedule_in (sim.engine, 20 * RSIM_SEC,
                                          on_entity_timeout, e, NULL);
  }
  for (guint minute = 1; minute <= 30; minute++) {
    guint64 ran = rsim_engine_run_until (sim.engine, minute * RSIM_MIN);
    sim_record (&sim, ran);
    sim_record (&sim, rsim_engine_pending_count (sim.engine));
  }
  rsim_engine_free (sim.engine);
  g_free (sim.entities);
  return sim.trace;
}

Test (engine, two_engines_in_two_threads_give_identical_traces)
{
  guint64 seed = 77, other_seed = 78;
  GThread *t1 = g_thread_new ("sim-1", run_sim, &seed);
  GThread *t2 = g_thread_new ("sim-2", run_sim, &seed);
  GArray *a = g_thread_join (t1);
  GArray *b = g_thread_join (t2);
  GArray *c = run_sim (&seed);
  GArray *d = run_sim (&other_seed);

  cr_assert (gt (u32, a->len, 100000)); /* the simulation is not trivial */
  cr_assert (eq (u32, a->len, b->len));
  cr_assert (eq (int, memcmp (a->data, b->data, a->len * sizeof (guint64)), 0));
  cr_assert (eq (u32, a->len, c->len));
  cr_assert (eq (int, memcmp (a->data, c->data, a->len * sizeof (guint64)), 0));
  /* A different seed gives a different run. */
  cr_assert (not (a->len == d->len
                  && memcmp (a->data, d->data, a->len * sizeof (guint64)) == 0));
  g_array_unref (a);
  g_array_unref (b);
  g_array_unref (c);
  g_array_unref (d);
}
