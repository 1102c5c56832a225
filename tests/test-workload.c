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
