/* rescalesim engine: simulated clock, event queue, timers and random streams.
 *
 * The engine knows nothing of Flink. Time is a gint64 count of microseconds
 * (RsimTime). Events are ordered by (time, sequence number): two events due at
 * the same time run in the order they were scheduled, so a run is reproducible
 * bit for bit. The engine owns every event: a payload is released by the
 * destroy function given at scheduling time (after the callback ran, when the
 * event is cancelled, or when the engine is freed), never by the callback.
 *
 * Random numbers come only from named streams derived from the run seed, one
 * stream per purpose, so that a new draw in one place never shifts the draws
 * of another. An engine has no global state: several engines may run in
 * several threads at once (one engine per thread). */
#pragma once

#include <glib.h>
#include <rescalesim/forward.h>

G_BEGIN_DECLS

/* Simulated time and durations, in microseconds. */
typedef gint64 RsimTime;

#define RSIM_USEC ((RsimTime) 1)
#define RSIM_MSEC ((RsimTime) 1000)
#define RSIM_SEC ((RsimTime) 1000000)
#define RSIM_MIN (60 * RSIM_SEC)
#define RSIM_HOUR (60 * RSIM_MIN)
/* "Never": a time later than any event. */
#define RSIM_TIME_NEVER G_MAXINT64

/* Seconds as a double, for reports only (never for the clock). */
#define RSIM_TIME_TO_SEC(t) ((double) (t) / 1e6)

/* Handle of a scheduled event; 0 is never a valid handle. */
typedef guint64 RsimEventId;

typedef void (*RsimEventFunc) (RsimEngine *engine, gpointer data);

RsimEngine *rsim_engine_new (guint64 seed);
void rsim_engine_free (RsimEngine *engine);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsimEngine, rsim_engine_free)

RsimTime rsim_engine_now (const RsimEngine *engine);
guint64 rsim_engine_seed (const RsimEngine *engine);

/* Schedules func(engine, data) at absolute time at (>= now). destroy (may be
 * NULL) is called on data once the event has run or was cancelled. */
RsimEventId rsim_engine_schedule_at (RsimEngine *engine, RsimTime at,
                                     RsimEventFunc func, gpointer data,
                                     GDestroyNotify destroy);
/* Same, delay (>= 0) after now. */
RsimEventId rsim_engine_schedule_in (RsimEngine *engine, RsimTime delay,
                                     RsimEventFunc func, gpointer data,
                                     GDestroyNotify destroy);
/* A place in the order of same-instant events, taken now for an event
 * scheduled later (see rsim_engine_reserve). */
typedef guint64 RsimTicket;

/* Takes n consecutive tickets (the first is returned): ticket + i orders an
 * event scheduled later with rsim_engine_schedule_ticket exactly as if it
 * had been the i-th of n events scheduled now. Costs O(1) whatever n. */
RsimTicket rsim_engine_reserve (RsimEngine *engine, guint32 n);
/* Schedules func(engine, data) at `at` (>= now) in the place of a ticket
 * taken earlier. Each ticket may be used for one pending event at a time. */
RsimEventId rsim_engine_schedule_ticket (RsimEngine *engine, RsimTime at,
                                         RsimTicket ticket, RsimEventFunc func,
                                         gpointer data, GDestroyNotify destroy);
/* Cancels a pending event. Returns TRUE if it was pending (its destroy
 * function has then run); FALSE for 0, a stale or an already-run handle. */
gboolean rsim_engine_cancel (RsimEngine *engine, RsimEventId id);
gboolean rsim_engine_is_pending (const RsimEngine *engine, RsimEventId id);

/* Time of the next pending event, RSIM_TIME_NEVER if none. */
RsimTime rsim_engine_next_time (const RsimEngine *engine);
/* Runs the next event. Returns FALSE if there was none. */
gboolean rsim_engine_step (RsimEngine *engine);
/* Runs every event due at or before end (unless stopped), then moves the
 * clock to end. Returns the number of events run by this call. */
guint64 rsim_engine_run_until (RsimEngine *engine, RsimTime end);
/* Makes a running rsim_engine_run_until() return after the current event. */
void rsim_engine_stop (RsimEngine *engine);

guint64 rsim_engine_events_processed (const RsimEngine *engine);

/* A budget of events: once `limit` events have been processed in all,
 * rsim_engine_run_until() and rsim_engine_step() run nothing more while an
 * event is due (the clock stays at the last event run) and
 * rsim_engine_event_limit_reached() turns TRUE, so the caller can report an
 * error. 0 means no limit (the default). Setting a limit clears the flag. */
void rsim_engine_set_event_limit (RsimEngine *engine, guint64 limit);
gboolean rsim_engine_event_limit_reached (const RsimEngine *engine);

/* Called after every event, once the event's destroy function has run, with
 * the engine and user_data; for checking invariants in debug builds. NULL
 * (the default) turns it off; unused, it costs one branch per event. The
 * hook may read anything and schedule or cancel events, but must not free
 * the engine. */
typedef void (*RsimEngineHook) (RsimEngine *engine, gpointer user_data);
void rsim_engine_set_after_step (RsimEngine *engine, RsimEngineHook hook,
                                 gpointer user_data);
gsize rsim_engine_pending_count (const RsimEngine *engine);

/* The random stream called name, created on first use and seeded from the
 * run seed and the name alone. (transfer none): owned by the engine. */
RsimRng *rsim_engine_rng (RsimEngine *engine, const char *name);

double rsim_rng_uniform (RsimRng *rng);                 /* [0, 1) */
double rsim_rng_uniform_range (RsimRng *rng, double lo, double hi);
guint64 rsim_rng_uint (RsimRng *rng, guint64 n);        /* [0, n), n >= 1 */
double rsim_rng_exponential (RsimRng *rng, double mean);
double rsim_rng_normal (RsimRng *rng, double mean, double stddev);
double rsim_rng_lognormal (RsimRng *rng, double mu, double sigma);
double rsim_rng_weibull (RsimRng *rng, double scale, double shape);

G_END_DECLS
