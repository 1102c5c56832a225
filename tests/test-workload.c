/* Tests of the input rate profiles: rates and exact integrals. */
#include <criterion/criterion.h>
#include <math.h>

#include <rescalesim/workload.h>

Test (workload, constant_and_steps)
{
  RsimRateSpec c = { .kind = RSIM_RATE_CONSTANT, .value = 1000.0 };
  cr_assert_float_eq (rsim_rate_integral (&c, 0, 10 * RSIM_SEC), 10000.0, 1e-9);
  RsimRatePoint pts[] = { { 0, 100.0 }, { 10 * RSIM_SEC, 300.0 },
                          { 20 * RSIM_SEC, 0.0 } };
  RsimRateSpec s = { .kind = RSIM_RATE_STEPS, .points = pts, .n_points = 3 };
  cr_assert_float_eq (rsim_rate_at (&s, 15 * RSIM_SEC), 300.0, 1e-12);
  cr_assert_float_eq (rsim_rate_integral (&s, 5 * RSIM_SEC, 25 * RSIM_SEC),
                      500.0 + 3000.0, 1e-9);
}

Test (workload, sine_integral_matches_a_fine_sum)
{
  RsimRateSpec s = { .kind = RSIM_RATE_SINE, .mean = 1000.0, .amplitude = 1500.0,
                     .period = 60 * RSIM_SEC, .phase = 0 };
  /* Clamped at 0 for part of each period: compare with a midpoint sum. */
  double sum = 0.0;
  RsimTime step = RSIM_MSEC;
  for (RsimTime t = 0; t < 90 * RSIM_SEC; t += step)
    sum += rsim_rate_at (&s, t + step / 2) * 1e-3;
  double exact = rsim_rate_integral (&s, 0, 90 * RSIM_SEC);
  cr_assert_float_eq (exact, sum, 1e-3 * sum, "exact %.3f sum %.3f", exact, sum);
  cr_assert_gt (rsim_rate_at (&s, 15 * RSIM_SEC), 2499.0);
  cr_assert_float_eq (rsim_rate_at (&s, 45 * RSIM_SEC), 0.0, 1e-12);
}

/* Issue 13: with the amplitude above the mean, the integral over a short
 * interval next to a zero crossing came out slightly negative (the
 * difference of two large antiderivative values), so the time series
 * showed input rates such as -5e-8 rec/s. No interval may integrate to
 * less than 0, and an interval where the clamped rate is 0 throughout
 * integrates to exactly 0. */
Test (workload, clamped_sine_never_integrates_below_zero)
{
  /* Late in a long run (about 170 days in) mean x t is about 1.3e12
   * records: the old difference of antiderivatives gave -0.000244 records
   * over [t, t + 1 us] here. */
  RsimRateSpec s = { .kind = RSIM_RATE_SINE, .mean = 89384.0,
                     .amplitude = 345022.0, .period = 3178 * RSIM_SEC,
                     .phase = 915 * RSIM_SEC };
  cr_assert_geq (rsim_rate_integral (&s, 14761268488824, 14761268488825), 0.0);
  guint negative = 0, checked = 0;
  for (RsimTime t = 14000000000000; t < 22000000000000;
       t += s.period / 37 + 12345) {
    for (RsimTime dt = 1; dt <= RSIM_SEC; dt *= 10, checked++)
      if (rsim_rate_integral (&s, t, t + dt) < 0.0)
        negative++;
  }
  cr_assert_gt (checked, 500000);
  cr_assert_eq (negative, 0, "%u of %u intervals integrate below 0", negative,
                checked);
  /* Where the clamped rate is 0 throughout, the integral is exactly 0: a
   * quarter period after the phase's zero the raw sine is at its minimum,
   * mean - amplitude < 0. */
  RsimTime trough = s.phase + 3 * s.period / 4;
  cr_assert_eq (rsim_rate_integral (&s, trough - RSIM_SEC, trough + RSIM_SEC),
                0.0);
}
