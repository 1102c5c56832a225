/* Tests of the checkpoint coordinator (sim/model/checkpoint.c) driven
 * directly on a bare world: when periodic triggers fire while a checkpoint
 * is in flight, and which failures count toward
 * tolerable-failed-checkpoints, on the versions either side of each rule.
 * The job has no state, so a checkpoint takes exactly checkpoint_fixed;
 * the first trigger's random delay is read back and every later instant
 * asserted relative to it, to the microsecond. */
#include "test-model-fixture.h"

typedef struct {
  RsimEngine *engine;
  RsimTime barriers[32];
  int n;
  RsimTime exceeded_at;
  int exceeded;
} Heard;

static void
on_completed (gpointer user, const RsimSnapshot *snap)
{
  Heard *h = user;
  if (h->n < (int) G_N_ELEMENTS (h->barriers))
    h->barriers[h->n++] = snap->barrier;
}

static void
on_exceeded (gpointer user, const char *reason)
{
  Heard *h = user;
  h->exceeded++;
  h->exceeded_at = rsim_engine_now (h->engine);
}

/* A world of `version` whose checkpoints take `duration`, the periodic
 * scheduler started at 0 with a 10 s interval; returns the first
 * trigger's instant (within the first interval). */
static RsimTime
start (World *f, Heard *h, const char *version, RsimTime duration,
       RsimTime min_pause)
{
  world_init (f, version, RSIM_SHIP_HASH, 2, 1);
  memset (h, 0, sizeof *h);
  h->engine = f->w.engine;
  f->conf.checkpoint_interval = 10 * RSIM_SEC;
  f->conf.checkpoint_min_pause = min_pause;
  f->conf.checkpoint_timeout = 10 * RSIM_MIN;
  f->costs.checkpoint_fixed = RSIM_DIST_CONST ((double) duration);
  const RsimCheckpointListener l = { .completed = on_completed,
                                     .tolerance_exceeded = on_exceeded };
  rsim_checkpoint_subscribe (f->w.checkpoints, &l, h);
  rsim_checkpoint_start_scheduler (f->w.checkpoints);
  run_to (f, 10 * RSIM_SEC);
  cr_assert (f->w.checkpoints->in_flight);
  return f->w.checkpoints->pending.barrier;
}

/* Checkpoints 1 and 2 take 25 s (2.5 intervals), the later ones 1 s. */
static RsimTime
long_then_short (World *f, Heard *h, const char *version)
{
  RsimTime t0 = start (f, h, version, 25 * RSIM_SEC, 0);
  run_to (f, t0 + 25 * RSIM_SEC);
  f->costs.checkpoint_fixed = RSIM_DIST_CONST ((double) RSIM_SEC);
  run_to (f, t0 + 65 * RSIM_SEC);
  return t0;
}

/* 1.11+ (FLINK-17342): the timer keeps its rate; the ticks at t0+10,
 * +20, +30, +40 and +50 queue requests and one runs after each end until
 * the queue is empty (t0+50 .. +53), then the rate resumes (t0+60). */
Test (checkpoint, queued_triggers_run_at_each_completion_from_1_11)
{
  World f;
  Heard h;
  RsimTime t0 = long_then_short (&f, &h, "1.11");
  const RsimTime want[] = { 0, 25, 50, 51, 52, 53, 60 };
  cr_assert_eq (h.n, (int) G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    cr_expect_eq (h.barriers[i], t0 + want[i] * RSIM_SEC, "checkpoint %u", i + 1);
  world_clear (&f);
}

/* 1.5-1.10 (triggerQueuedRequests): the first tick in flight cancels the
 * timer and it restarts at the end: t0+25 and t0+50, then every 10 s from
 * there. */
Test (checkpoint, one_queued_trigger_restarts_the_timer_before_1_11)
{
  World f;
  Heard h;
  RsimTime t0 = long_then_short (&f, &h, "1.10");
  const RsimTime want[] = { 0, 25, 50, 60 };
  cr_assert_eq (h.n, (int) G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    cr_expect_eq (h.barriers[i], t0 + want[i] * RSIM_SEC, "checkpoint %u", i + 1);
  world_clear (&f);
}

/* With min-pause 5 s the queued trigger waits until 5 s after the
 * completion, on both sides of 1.11. */
Test (checkpoint, queued_trigger_waits_min_pause)
{
  const char *versions[] = { "1.10", "1.20" };
  for (guint v = 0; v < G_N_ELEMENTS (versions); v++) {
    World f;
    Heard h;
    RsimTime t0 = start (&f, &h, versions[v], 25 * RSIM_SEC, 5 * RSIM_SEC);
    run_to (&f, t0 + 56 * RSIM_SEC);
    cr_assert_eq (h.n, 2, "Flink %s", versions[v]);
    cr_expect_eq (h.barriers[0], t0);
    cr_expect_eq (h.barriers[1], t0 + 30 * RSIM_SEC, "Flink %s", versions[v]);
    world_clear (&f);
  }
}

/* A checkpoint of 25 s with a 10 s timeout expires at t0+10. From 1.11
 * (FLINK-17351) that counts: with tolerable-failed-checkpoints 0 the job
 * fails over then; 1.9-1.10 ignore CHECKPOINT_EXPIRED. */
Test (checkpoint, expired_counts_from_1_11)
{
  World f;
  Heard h;
  RsimTime t0 = start (&f, &h, "1.11", 25 * RSIM_SEC, 0);
  cr_assert_eq (f.w.conf->tolerable_failed_checkpoints, 0);
  f.conf.checkpoint_timeout = 10 * RSIM_SEC;
  /* The first one was triggered with the 10 min timeout: let it end. */
  run_to (&f, t0 + 25 * RSIM_SEC);
  cr_assert_eq (h.n, 1);
  run_to (&f, t0 + 36 * RSIM_SEC);
  cr_expect_eq (h.exceeded, 1);
  cr_expect_eq (h.exceeded_at, t0 + 35 * RSIM_SEC);
  world_clear (&f);

  t0 = start (&f, &h, "1.10", 25 * RSIM_SEC, 0);
  f.conf.checkpoint_timeout = 10 * RSIM_SEC;
  run_to (&f, t0 + 2 * RSIM_MIN);
  cr_expect_eq (h.n, 1);
  cr_expect_eq (h.exceeded, 0, "1.10 ignores expired checkpoints");
  /* A declined one still counts on 1.10. */
  f.w.checkpoints->fail_checkpoints = 1;
  f.costs.checkpoint_fixed = RSIM_DIST_CONST ((double) RSIM_SEC);
  run_to (&f, t0 + 3 * RSIM_MIN);
  cr_expect_eq (h.exceeded, 1);
  world_clear (&f);
}
