/* Tests of the restart strategies' per-version semantics
 * (flink-behaviour.md §3.1), on a bare world with only an engine. */
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
  cr_assert (rsim_restart_strategy_on_failure (rs, 0).can_restart);
  /* Two failures within a minute fill the queue: no restart. */
  cr_assert_not (rsim_restart_strategy_on_failure (rs, 30 * RSIM_SEC).can_restart);
  rsim_restart_strategy_free (rs);

  rs = rsim_restart_strategy_new (&f.world);
  cr_assert (rsim_restart_strategy_on_failure (rs, 0).can_restart);
  cr_assert (rsim_restart_strategy_on_failure (rs, 61 * RSIM_SEC).can_restart);
  rsim_restart_strategy_free (rs);

  /* max-failures-per-interval 1 (the default): the queue is full after the
   * first failure and the oldest is not older than the interval, so Flink's
   * canRestart() is already false. */
  f.conf.failure_rate_max_failures = 1;
  rs = rsim_restart_strategy_new (&f.world);
  cr_assert_not (rsim_restart_strategy_on_failure (rs, 0).can_restart);
  rsim_restart_strategy_free (rs);
  fixture_clear (&f);
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
  /* No merging: concurrent failures escalate 1, 2, 4 s (§3.1). */
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
