/* Benchmark of the engine's event loop on a heartbeat workload.
 *
 * Workload: N TaskManagers, each with a periodic heartbeat every 10 s
 * (simulated) starting at a random phase in [0, 10 s), whose callback stores
 * the TaskManager's last-seen time and reschedules itself; plus one
 * re-arming timeout per TaskManager that fires at last_seen + 50 s and, if a
 * heartbeat came in since, re-arms itself for the new last_seen + 50 s ("store
 * last-seen; one re-arming timeout per target"). In steady state each
 * TaskManager produces 4 heartbeats and 1 timeout per 40 s.
 *
 * Reference: the classic "hold" model on a bare binary heap of {time, seq}
 * records built into this file (pop the minimum, push it back at time +
 * interval), with the same 2N records and the same intervals (10 s for the
 * heartbeat records, 40 s for the timeout records), run for as many events as
 * the engine ran. The ratio engine / bare heap, measured in the same process,
 * is the figure of merit: the engine should keep at least 60 % of the bare
 * heap's rate.
 *
 * Wall time is measured with g_get_monotonic_time(), here only: the library
 * never reads a clock. Each figure is the best of several repetitions, the
 * engine and the bare heap taking turns.
 *
 * Usage: bench-engine [--quick] [--events=COUNT] [--reps=R] [--n=N]
 *   --quick         1,000,000 events per row and one repetition, for CI;
 *   --events=COUNT  events per row (default 4,000,000);
 *   --reps=R        repetitions per measurement (default 3);
 *   --n=N           one row, with N TaskManagers, instead of 1,000 and 100,000
 *                   (for profiling). */
#include <rescalesim/engine.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define HEARTBEAT_INTERVAL (10 * RSIM_SEC)
#define HEARTBEAT_TIMEOUT (50 * RSIM_SEC)
/* Steady-state period of a re-arming timeout: it fires together with the
 * fifth heartbeat after the one it was armed from, and re-arms from the
 * fourth (see the file comment). */
#define TIMEOUT_PERIOD (HEARTBEAT_TIMEOUT - HEARTBEAT_INTERVAL)

/* ---- The engine workload ---- */

typedef struct {
  RsimTime last_seen; /* microseconds */
  guint64 misses;     /* timeouts that found no heartbeat (none expected) */
} TaskManager;

static void
on_heartbeat (RsimEngine *engine, gpointer data)
{
  TaskManager *tm = data;
  tm->last_seen = rsim_engine_now (engine);
  rsim_engine_schedule_in (engine, HEARTBEAT_INTERVAL, on_heartbeat, tm, NULL);
}

static void
on_timeout (RsimEngine *engine, gpointer data)
{
  TaskManager *tm = data;
  RsimTime now = rsim_engine_now (engine);
  RsimTime deadline = tm->last_seen + HEARTBEAT_TIMEOUT;
  if (deadline <= now) {
    /* A real model would declare the TaskManager lost here. */
    tm->misses++;
    deadline = now + HEARTBEAT_TIMEOUT;
  }
  rsim_engine_schedule_at (engine, deadline, on_timeout, tm, NULL);
}

/* Runs the workload with n TaskManagers until end; returns the events run and
 * the wall time of the event loop (microseconds) in *wall_us. */
static guint64
run_engine (guint n, RsimTime end, gint64 *wall_us, guint64 *misses)
{
  RsimEngine *engine = rsim_engine_new (2024);
  RsimRng *phase = rsim_engine_rng (engine, "heartbeat-phase");
  TaskManager *tms = g_new0 (TaskManager, n);
  for (guint i = 0; i < n; i++) {
    rsim_engine_schedule_at (engine,
                             (RsimTime) rsim_rng_uint (phase, HEARTBEAT_INTERVAL),
                             on_heartbeat, &tms[i], NULL);
    rsim_engine_schedule_at (engine, HEARTBEAT_TIMEOUT, on_timeout, &tms[i],
                             NULL);
  }
  gint64 start = g_get_monotonic_time ();
  guint64 events = rsim_engine_run_until (engine, end);
  *wall_us = g_get_monotonic_time () - start;
  *misses = 0;
  for (guint i = 0; i < n; i++)
    *misses += tms[i].misses;
  rsim_engine_free (engine);
  g_free (tms);
  return events;
}

/* ---- The bare heap hold model ---- */

/* The low bit of seq says which interval the record uses. */
typedef struct {
  RsimTime time;
  guint64 seq;
} HoldRecord;

static inline gboolean
hold_before (HoldRecord a, HoldRecord b)
{
  return a.time < b.time || (a.time == b.time && a.seq < b.seq);
}

/* Runs `events` hold operations on 2n records; returns a checksum of the
 * popped times so the loop cannot be optimised away. */
static guint64
run_bare_heap (guint n, guint64 events, gint64 *wall_us)
{
  const RsimTime interval[2] = { HEARTBEAT_INTERVAL, TIMEOUT_PERIOD };
  gsize len = 0;
  HoldRecord *heap = g_new (HoldRecord, 2 * (gsize) n);
  guint64 next_seq = 0, checksum = 0;
  RsimEngine *seeder = rsim_engine_new (2024);
  RsimRng *phase = rsim_engine_rng (seeder, "heartbeat-phase");

  for (guint i = 0; i < 2 * n; i++) {
    guint kind = i % 2;
    RsimTime t = kind == 0 ? (RsimTime) rsim_rng_uint (phase, HEARTBEAT_INTERVAL)
                           : HEARTBEAT_TIMEOUT;
    HoldRecord r = { t, (next_seq++ << 1) | kind };
    gsize j = len++;
    while (j > 0 && hold_before (r, heap[(j - 1) / 2])) {
      heap[j] = heap[(j - 1) / 2];
      j = (j - 1) / 2;
    }
    heap[j] = r;
  }
  rsim_engine_free (seeder);

  gint64 start = g_get_monotonic_time ();
  for (guint64 e = 0; e < events; e++) {
    /* Pop the minimum. */
    HoldRecord top = heap[0];
    HoldRecord last = heap[--len];
    gsize i = 0;
    for (;;) {
      gsize c = 2 * i + 1;
      if (c >= len)
        break;
      if (c + 1 < len && hold_before (heap[c + 1], heap[c]))
        c++;
      if (!hold_before (heap[c], last))
        break;
      heap[i] = heap[c];
      i = c;
    }
    if (len > 0)
      heap[i] = last;
    checksum += (guint64) top.time;

    /* Push it back one interval later. */
    guint kind = (guint) (top.seq & 1);
    HoldRecord r = { top.time + interval[kind], (next_seq++ << 1) | kind };
    gsize j = len++;
    while (j > 0 && hold_before (r, heap[(j - 1) / 2])) {
      heap[j] = heap[(j - 1) / 2];
      j = (j - 1) / 2;
    }
    heap[j] = r;
  }
  *wall_us = g_get_monotonic_time () - start;
  g_free (heap);
  return checksum;
}

static long
peak_rss_kib (void)
{
  struct rusage ru;
  if (getrusage (RUSAGE_SELF, &ru) != 0)
    return -1;
  return ru.ru_maxrss; /* KiB on Linux */
}

static double
rate (guint64 events, gint64 wall_us)
{
  return wall_us > 0 ? (double) events * 1e6 / (double) wall_us : 0.0;
}

int
main (int argc, char **argv)
{
  guint64 target = 4000000;
  guint reps = 3;
  guint only_n = 0;
  for (int a = 1; a < argc; a++) {
    if (strcmp (argv[a], "--quick") == 0) {
      target = 1000000;
      reps = 1;
    } else if (g_str_has_prefix (argv[a], "--events=")) {
      target = g_ascii_strtoull (argv[a] + 9, NULL, 10);
    } else if (g_str_has_prefix (argv[a], "--n=")) {
      only_n = (guint) g_ascii_strtoull (argv[a] + 4, NULL, 10);
    } else if (g_str_has_prefix (argv[a], "--reps=")) {
      reps = (guint) g_ascii_strtoull (argv[a] + 7, NULL, 10);
    } else {
      fprintf (stderr, "usage: %s [--quick] [--events=COUNT] [--reps=R] [--n=N]\n",
               argv[0]);
      return 2;
    }
  }
  if (target == 0 || reps == 0) {
    fprintf (stderr, "%s: --events and --reps must be positive\n", argv[0]);
    return 2;
  }

  guint sizes[] = { 1000, 100000 };
  guint n_sizes = G_N_ELEMENTS (sizes);
  if (only_n > 0) {
    sizes[0] = only_n;
    n_sizes = 1;
  }
  gboolean all_ok = TRUE;
  printf ("heartbeat workload: 10 s heartbeats, re-arming 50 s timeouts; "
          "best of %u\n", reps);
  printf ("%8s %10s %12s %16s %16s %7s %10s\n", "N", "events", "simulated",
          "engine ev/s", "bare heap ev/s", "ratio", "peak RSS");
  for (guint k = 0; k < n_sizes; k++) {
    guint n = sizes[k];
    /* Steady state: 5 events per TaskManager per 40 s (TIMEOUT_PERIOD). */
    RsimTime end = (RsimTime) ((double) target * (double) TIMEOUT_PERIOD
                               / (5.0 * n));
    gint64 best_engine = G_MAXINT64, best_bare = G_MAXINT64;
    guint64 events = 0, misses = 0, checksum = 0;
    /* The two loops alternate so that a slow patch of a shared machine
     * hits both. */
    for (guint r = 0; r < reps; r++) {
      gint64 wall;
      events = run_engine (n, end, &wall, &misses);
      best_engine = MIN (best_engine, wall);
      checksum ^= run_bare_heap (n, events, &wall);
      best_bare = MIN (best_bare, wall);
    }
    double er = rate (events, best_engine), br = rate (events, best_bare);
    double ratio = br > 0.0 ? er / br : 0.0;
    all_ok = all_ok && ratio >= 0.6;
    g_autofree char *sim = g_strdup_printf ("%.0f s", RSIM_TIME_TO_SEC (end));
    printf ("%8u %10" G_GUINT64_FORMAT " %12s %16.0f %16.0f %6.1f%% %7ld MiB\n",
            n, events, sim, er, br, 100.0 * ratio, peak_rss_kib () / 1024);
    if (misses != 0)
      printf ("  warning: %" G_GUINT64_FORMAT " heartbeat timeouts fired\n",
              misses);
    if (checksum == 1)
      printf ("  (checksum %" G_GUINT64_FORMAT ")\n", checksum);
  }
  printf ("peak RSS: %ld KiB\n", peak_rss_kib ());
  printf ("target (engine >= 60 %% of bare heap): %s\n",
          all_ok ? "met" : "NOT met");
  return 0;
}
