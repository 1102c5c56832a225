/* Restart strategies: none, fixed-delay, failure-rate and exponential-delay,
 * with the semantics of the Flink version in use.
 *
 * Sources (flink-runtime/src/main/java/org/apache/flink/runtime/
 * executiongraph/failover/): FixedDelayRestartBackoffTimeStrategy (every
 * failure is an attempt; canRestart while attempts <= max),
 * FailureRateRestartBackoffTimeStrategy (a queue of recent failure times:
 * a restart is refused when the queue is full and its oldest entry is not
 * more than the interval ago; 1.10-1.12 record the failure being handled
 * before asking, with the queue full at max-failures-per-interval entries,
 * so only max - 1 restarts fit in an interval and with the default of 1 the
 * first failure already fails the job; FLINK-20752 (1.13) counts the queue
 * full only beyond max; the legacy FailureRateRestartStrategy of 1.5-1.9
 * asked canRestart() before recording, which also allows max),
 * ExponentialDelayRestartBackoffTimeStrategy: 1.13-1.18 code escalates the
 * backoff on every failure (reset after reset-backoff-threshold + backoff
 * without failures, jitter +-factor, capped at max-backoff) and never stops
 * restarting; 1.19+ code (FLINK-32895/33735) merges failures that arrive
 * before the pending restart into it, resets the attempt count after the
 * threshold, draws backoff = initial * multiplier^attempt in whole
 * milliseconds, adds the jitter drawn on that uncapped value and only then
 * clamps to [initial, max] (calculateActualBackoffTime), so at the cap the
 * delay is exactly max-backoff, and stops after
 * attempts-before-reset-backoff. */
#include "sched/sched.h"

#include <math.h>

struct RsimRestartStrategy {
  RsimWorld *world;
  RsimRestartKind kind;
  int attempts;                /* fixed-delay: attempts so far */
  GQueue failures;             /* failure-rate: RsimTime* of recent failures */
  /* exponential-delay */
  RsimTime current_backoff;
  RsimTime last_failure;
  RsimTime next_restart;
  int attempt;
  gboolean any_failure;
  char *description;
};

RsimRestartStrategy *
rsim_restart_strategy_new (RsimWorld *world)
{
  const RsimFlinkConf *c = world->conf;
  RsimRestartStrategy *rs = g_new0 (RsimRestartStrategy, 1);
  rs->world = world;
  rs->kind = c->restart_strategy;
  g_queue_init (&rs->failures);
  rs->current_backoff = c->exp_initial_backoff;
  switch (rs->kind) {
  case RSIM_RESTART_NONE:
    rs->description = g_strdup ("none");
    break;
  case RSIM_RESTART_FIXED_DELAY:
    rs->description = g_strdup_printf ("fixed-delay (attempts %d, delay %.3f s)",
                                       c->fixed_delay_attempts,
                                       RSIM_TIME_TO_SEC (c->fixed_delay_delay));
    break;
  case RSIM_RESTART_FAILURE_RATE:
    rs->description = g_strdup_printf (
      "failure-rate (%d failures per %.3f s, delay %.3f s)",
      c->failure_rate_max_failures, RSIM_TIME_TO_SEC (c->failure_rate_interval),
      RSIM_TIME_TO_SEC (c->failure_rate_delay));
    break;
  case RSIM_RESTART_EXPONENTIAL_DELAY:
    rs->description = g_strdup_printf (
      "exponential-delay (initial %.3f s, x%g, max %.3f s, jitter %g)",
      RSIM_TIME_TO_SEC (c->exp_initial_backoff), c->exp_multiplier,
      RSIM_TIME_TO_SEC (c->exp_max_backoff), c->exp_jitter);
    break;
  }
  return rs;
}

void
rsim_restart_strategy_free (RsimRestartStrategy *rs)
{
  if (rs == NULL)
    return;
  g_queue_clear_full (&rs->failures, g_free);
  g_free (rs->description);
  g_free (rs);
}

const char *
rsim_restart_strategy_describe (RsimRestartStrategy *rs)
{
  return rs->description;
}

/* Jitter in [-j b, +j b] for a backoff of b whole milliseconds, drawn in
 * whole milliseconds as Flink does (calculateJitterBackoffMS). */
static gint64
jitter_ms (RsimRestartStrategy *rs, gint64 backoff_ms)
{
  double j = rs->world->conf->exp_jitter;
  gint64 range_ms = (gint64) floor (j * (double) backoff_ms);
  if (range_ms <= 0)
    return 0;
  RsimRng *rng = rsim_engine_rng (rs->world->engine, "restart.jitter");
  return (gint64) rsim_rng_uint (rng, (guint64) (2 * range_ms + 1)) - range_ms;
}

static RsimTime
jitter (RsimRestartStrategy *rs, RsimTime backoff)
{
  return jitter_ms (rs, backoff / RSIM_MSEC) * RSIM_MSEC;
}

static RsimRestartDecision
exponential_old (RsimRestartStrategy *rs, RsimTime now)
{
  const RsimFlinkConf *c = rs->world->conf;
  RsimRestartDecision d = { TRUE, 0, TRUE };
  if (rs->any_failure) {
    if (now - rs->last_failure >= c->exp_reset_threshold + rs->current_backoff)
      rs->current_backoff = c->exp_initial_backoff;
    else
      rs->current_backoff = MIN ((RsimTime) (rs->current_backoff * c->exp_multiplier),
                                 c->exp_max_backoff);
  }
  rs->any_failure = TRUE;
  rs->last_failure = now;
  RsimTime b = rs->current_backoff + jitter (rs, rs->current_backoff);
  d.delay = CLAMP (b, 0, c->exp_max_backoff);
  return d;
}

static RsimRestartDecision
exponential_new (RsimRestartStrategy *rs, RsimTime now)
{
  const RsimFlinkConf *c = rs->world->conf;
  RsimRestartDecision d = { TRUE, 0, TRUE };
  if (rs->any_failure && now <= rs->next_restart) {
    /* Merged into the pending attempt. */
    d.new_attempt = FALSE;
    d.delay = rs->next_restart - now;
    d.can_restart = rs->attempt <= c->exp_attempts_before_reset;
    return d;
  }
  if (rs->any_failure && now - rs->next_restart >= c->exp_reset_threshold)
    rs->attempt = 0;
  /* Java's (long) cast of initial * multiplier^attempt saturates; keep the
   * uncapped value far from overflow so the jitter stays exact. */
  double base = (double) (c->exp_initial_backoff / RSIM_MSEC)
    * pow (c->exp_multiplier, rs->attempt);
  gint64 base_ms = base >= 1e15 ? (gint64) 1e15 : (gint64) base;
  gint64 b_ms = base_ms + jitter_ms (rs, base_ms);
  RsimTime b = CLAMP (b_ms * RSIM_MSEC, c->exp_initial_backoff, c->exp_max_backoff);
  rs->any_failure = TRUE;
  rs->next_restart = now + b;
  rs->attempt++;
  d.delay = b;
  d.can_restart = rs->attempt <= c->exp_attempts_before_reset;
  return d;
}

RsimRestartDecision
rsim_restart_strategy_on_failure (RsimRestartStrategy *rs, RsimTime now)
{
  const RsimFlinkConf *c = rs->world->conf;
  RsimRestartDecision d = { FALSE, 0, TRUE };
  switch (rs->kind) {
  case RSIM_RESTART_NONE:
    break;
  case RSIM_RESTART_FIXED_DELAY:
    rs->attempts++;
    d.can_restart = rs->attempts <= c->fixed_delay_attempts;
    d.delay = c->fixed_delay_delay;
    break;
  case RSIM_RESTART_FAILURE_RATE: {
    /* The queue holds the failure being handled; it is full at max entries
     * on 1.10-1.12 and at max + 1 otherwise (see the top of the file). */
    const RsimRules *r = &rs->world->rules;
    gboolean off_by_one = rsim_rules_has (r, RSIM_RULE_FAILURE_RATE_COUNTS_CURRENT_FAILURE)
      && !rsim_rules_has (r, RSIM_RULE_FAILURE_RATE_N_PER_INTERVAL);
    guint full = (guint) c->failure_rate_max_failures + (off_by_one ? 0 : 1);
    if (rs->failures.length >= full)
      g_free (g_queue_pop_head (&rs->failures));
    RsimTime *t = g_new (RsimTime, 1);
    *t = now;
    g_queue_push_tail (&rs->failures, t);
    if (rs->failures.length >= full) {
      RsimTime oldest = *(RsimTime *) g_queue_peek_head (&rs->failures);
      d.can_restart = now - oldest > c->failure_rate_interval;
    } else {
      d.can_restart = TRUE;
    }
    d.delay = c->failure_rate_delay;
    break;
  }
  case RSIM_RESTART_EXPONENTIAL_DELAY:
    d = rsim_rules_has (&rs->world->rules, RSIM_RULE_EXPONENTIAL_DELAY_DEFAULT)
      ? exponential_new (rs, now) : exponential_old (rs, now);
    break;
  }
  return d;
}
