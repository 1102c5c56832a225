/* Tests of the restart strategies' per-version semantics
 * (flink-runtime executiongraph/failover/ *RestartBackoffTimeStrategy),
 * on a bare world with only an engine. */
#include <criterion/criterion.h>
#include <string.h>

#include "sched/sched.h"

typedef struct {
  RsimWorld world;
  RsimFlinkConf conf;
} Fixture;

static void
fixture_init (Fixture *f, const char *version, RsimRestartKind kind)
{
  memset (f, 0, sizeof *f);
  cr_assert (rsim_version_parse (version, &f->world.version));
  f->world.rules = rsim_rules_resolve (f->world.version);
  f->world.engine = rsim_engine_new (3);
  f->world.conf = &f->conf;
  f->conf.restart_strategy = kind;
  f->conf.fixed_delay_attempts = 2;
  f->conf.fixed_delay_delay = 5 * RSIM_SEC;
  f->conf.failure_rate_max_failures = 2;
  f->conf.failure_rate_interval = RSIM_MIN;
  f->conf.failure_rate_delay = RSIM_SEC;
  f->conf.exp_initial_backoff = RSIM_SEC;
  f->conf.exp_max_backoff = RSIM_MIN;
  f->conf.exp_multiplier = 1.5;
  f->conf.exp_reset_threshold = RSIM_HOUR;
  f->conf.exp_jitter = 0.0;
  f->conf.exp_attempts_before_reset = G_MAXINT;
}

static void
fixture_clear (Fixture *f)
{
  rsim_engine_free (f->world.engine);
}

Test (restart, none_never_restarts)
{
  Fixture f;
  fixture_init (&f, "1.20", RSIM_RESTART_NONE);
  RsimRestartStrategy *rs = rsim_restart_strategy_new (&f.world);
  cr_assert_not (rsim_restart_strategy_on_failure (rs, 0).can_restart);
  rsim_restart_strategy_free (rs);
  fixture_clear (&f);
}

Test (restart, fixed_delay_counts_every_failure)
{
  Fixture f;
  fixture_init (&f, "1.20", RSIM_RESTART_FIXED_DELAY);
  RsimRestartStrategy *rs = rsim_restart_strategy_new (&f.world);
  RsimRestartDecision d = rsim_restart_strategy_on_failure (rs, 0);
  cr_assert (d.can_restart);
  cr_assert_eq (d.delay, 5 * RSIM_SEC);
  cr_assert (rsim_restart_strategy_on_failure (rs, RSIM_HOUR * 10).can_restart);
  /* The count never resets: the third failure, however late, fails. */
  cr_assert_not (rsim_restart_strategy_on_failure (rs, RSIM_HOUR * 20).can_restart);
  rsim_restart_strategy_free (rs);
  fixture_clear (&f);
}

Test (restart, failure_rate_window)
{
  Fixture f;
  fixture_init (&f, "1.20", RSIM_RESTART_FAILURE_RATE);
  RsimRestartStrategy *rs = rsim_restart_strategy_new (&f.world);
  /* max 2 per minute: two failures within a minute restart, the third
   * within a minute of the first fails. */
  cr_assert (rsim_restart_strategy_on_failure (rs, 0).can_restart);
  cr_assert (rsim_restart_strategy_on_failure (rs, 30 * RSIM_SEC).can_restart);
  cr_assert_not (rsim_restart_strategy_on_failure (rs, 60 * RSIM_SEC).can_restart);
  rsim_restart_strategy_free (rs);

  rs = rsim_restart_strategy_new (&f.world);
  cr_assert (rsim_restart_strategy_on_failure (rs, 0).can_restart);
  cr_assert (rsim_restart_strategy_on_failure (rs, 30 * RSIM_SEC).can_restart);
  /* More than the interval after the oldest: allowed. */
  RsimRestartDecision d = rsim_restart_strategy_on_failure (rs, 60 * RSIM_SEC + 1);
  cr_assert (d.can_restart);
  cr_assert_eq (d.delay, RSIM_SEC);
  rsim_restart_strategy_free (rs);
  fixture_clear (&f);
}

/* How many failures at 0 s, 1 s, 2 s ... a failure-rate strategy with
 * max-failures-per-interval `max` (1 min) restarts before it fails. */
static int
failure_rate_restarts (const char *version, int max)
{
  Fixture f;
  fixture_init (&f, version, RSIM_RESTART_FAILURE_RATE);
  f.conf.failure_rate_max_failures = max;
  RsimRestartStrategy *rs = rsim_restart_strategy_new (&f.world);
  int n = 0;
  while (n < 10 && rsim_restart_strategy_on_failure (rs, n * RSIM_SEC).can_restart)
    n++;
  rsim_restart_strategy_free (rs);
  fixture_clear (&f);
  return n;
}

/* Legacy FailureRateRestartStrategy (1.5-1.9) checks before it records: N
 * per interval. FailureRateRestartBackoffTimeStrategy (1.10-1.12) records
 * first and counts the queue full at N: N - 1. FLINK-20752 (1.13): N. */
Test (restart, failure_rate_per_interval_by_version)
{
  cr_assert_eq (failure_rate_restarts ("1.5", 1), 1);
  cr_assert_eq (failure_rate_restarts ("1.9", 1), 1);
  cr_assert_eq (failure_rate_restarts ("1.9", 3), 3);
  cr_assert_eq (failure_rate_restarts ("1.10", 1), 0);
  cr_assert_eq (failure_rate_restarts ("1.12", 1), 0);
  cr_assert_eq (failure_rate_restarts ("1.12", 3), 2);
  cr_assert_eq (failure_rate_restarts ("1.13", 1), 1);
  cr_assert_eq (failure_rate_restarts ("1.13", 3), 3);
  cr_assert_eq (failure_rate_restarts ("2.3", 3), 3);
}

Test (restart, exponential_delay_1_19_merges_concurrent_failures)
{
  Fixture f;
  fixture_init (&f, "1.19", RSIM_RESTART_EXPONENTIAL_DELAY);
  RsimRestartStrategy *rs = rsim_restart_strategy_new (&f.world);
  RsimRestartDecision d = rsim_restart_strategy_on_failure (rs, 0);
  cr_assert_eq (d.delay, RSIM_SEC);
  cr_assert (d.new_attempt);
  /* A second failure before the pending restart is merged into it. */
  d = rsim_restart_strategy_on_failure (rs, 400 * RSIM_MSEC);
  cr_assert_not (d.new_attempt);
  cr_assert_eq (d.delay, 600 * RSIM_MSEC);
  /* After the restart: 1.5 s, then 2.25 s. */
  d = rsim_restart_strategy_on_failure (rs, 10 * RSIM_SEC);
  cr_assert (d.new_attempt);
  cr_assert_eq (d.delay, 1500 * RSIM_MSEC);
  d = rsim_restart_strategy_on_failure (rs, 20 * RSIM_SEC);
  cr_assert_eq (d.delay, 2250 * RSIM_MSEC);
  /* An hour without failures resets the attempt count. */
  d = rsim_restart_strategy_on_failure (rs, 2 * RSIM_HOUR);
  cr_assert_eq (d.delay, RSIM_SEC);
  rsim_restart_strategy_free (rs);

  f.conf.exp_attempts_before_reset = 2;
  rs = rsim_restart_strategy_new (&f.world);
  cr_assert (rsim_restart_strategy_on_failure (rs, 0).can_restart);
  cr_assert (rsim_restart_strategy_on_failure (rs, 10 * RSIM_SEC).can_restart);
  cr_assert_not (rsim_restart_strategy_on_failure (rs, 20 * RSIM_SEC).can_restart);
  rsim_restart_strategy_free (rs);
  fixture_clear (&f);
}

Test (restart, exponential_delay_before_1_19_escalates_on_every_failure)
{
  Fixture f;
  fixture_init (&f, "1.18", RSIM_RESTART_EXPONENTIAL_DELAY);
  f.conf.exp_multiplier = 2.0;
  f.conf.exp_max_backoff = 5 * RSIM_MIN;
  RsimRestartStrategy *rs = rsim_restart_strategy_new (&f.world);
  /* No merging before 1.19 (ExponentialDelayRestartBackoffTimeStrategy):
   * concurrent failures escalate 1, 2, 4 s. */
  cr_assert_eq (rsim_restart_strategy_on_failure (rs, 0).delay, RSIM_SEC);
  RsimRestartDecision d = rsim_restart_strategy_on_failure (rs, 100 * RSIM_MSEC);
  cr_assert (d.new_attempt);
  cr_assert_eq (d.delay, 2 * RSIM_SEC);
  cr_assert_eq (rsim_restart_strategy_on_failure (rs, 200 * RSIM_MSEC).delay,
                4 * RSIM_SEC);
  /* Never gives up. */
  for (int i = 0; i < 50; i++)
    cr_assert (rsim_restart_strategy_on_failure (rs, RSIM_SEC * i).can_restart);
  cr_assert_eq (rsim_restart_strategy_on_failure (rs, 60 * RSIM_SEC).delay,
                5 * RSIM_MIN);
  rsim_restart_strategy_free (rs);
  fixture_clear (&f);
}

Test (restart, jitter_stays_within_its_factor)
{
  Fixture f;
  fixture_init (&f, "2.0", RSIM_RESTART_EXPONENTIAL_DELAY);
  f.conf.exp_jitter = 0.1;
  for (int i = 0; i < 200; i++) {
    RsimRestartStrategy *rs = rsim_restart_strategy_new (&f.world);
    RsimTime d1 = rsim_restart_strategy_on_failure (rs, 0).delay;
    RsimTime d2 = rsim_restart_strategy_on_failure (rs, 10 * RSIM_SEC).delay;
    /* Clamped below at the initial backoff. */
    cr_assert (d1 >= RSIM_SEC && d1 <= 1100 * RSIM_MSEC, "%" G_GINT64_FORMAT, d1);
    cr_assert (d2 >= 1350 * RSIM_MSEC && d2 <= 1650 * RSIM_MSEC);
    cr_assert_eq (d1 % RSIM_MSEC, 0, "jitter is whole milliseconds");
    rsim_restart_strategy_free (rs);
  }
  fixture_clear (&f);
}

/* 1.19+ (calculateActualBackoffTime): the jitter is drawn on the uncapped
 * backoff and the sum is capped, so at the cap the delay is exactly
 * max-backoff. 1 s x 2^10 = 1024 s, jitter +-102.4 s: always above 60 s. */
Test (restart, exponential_delay_1_19_caps_after_the_jitter)
{
  Fixture f;
  fixture_init (&f, "1.19", RSIM_RESTART_EXPONENTIAL_DELAY);
  f.conf.exp_multiplier = 2.0;
  f.conf.exp_jitter = 0.1;
  for (int run = 0; run < 20; run++) {
    RsimRestartStrategy *rs = rsim_restart_strategy_new (&f.world);
    RsimTime d = 0;
    for (int i = 0; i <= 10; i++)
      d = rsim_restart_strategy_on_failure (rs, (RsimTime) i * RSIM_HOUR / 2).delay;
    cr_assert_eq (d, RSIM_MIN);
    rsim_restart_strategy_free (rs);
  }
  fixture_clear (&f);
}

/* 1.13-1.18 (getBackoffTime): the backoff is capped first and the jitter
 * added to the capped value, then capped again: at the cap the delay is
 * max-backoff minus up to 10 %. */
Test (restart, exponential_delay_1_18_jitters_below_the_cap)
{
  Fixture f;
  fixture_init (&f, "1.18", RSIM_RESTART_EXPONENTIAL_DELAY);
  f.conf.exp_multiplier = 2.0;
  f.conf.exp_jitter = 0.1;
  gboolean below = FALSE;
  for (int run = 0; run < 20; run++) {
    RsimRestartStrategy *rs = rsim_restart_strategy_new (&f.world);
    RsimTime d = 0;
    for (int i = 0; i <= 10; i++)
      d = rsim_restart_strategy_on_failure (rs, (RsimTime) i * RSIM_SEC).delay;
    cr_assert (d >= 54 * RSIM_SEC && d <= RSIM_MIN);
    below = below || d < RSIM_MIN;
    rsim_restart_strategy_free (rs);
  }
  cr_assert (below, "some delay at the cap is jittered below it");
  fixture_clear (&f);
}
