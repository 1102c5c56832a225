/* Sample statistics of a sweep point: n, mean, standard deviation, median,
 * 95th percentile, min, max and the 95 % confidence interval of the mean
 * (Student's t), all from GSL. The definitions are in
 * include/rescalesim/sweep.h (RsimStats); the quantiles are GSL's
 * gsl_stats_quantile_from_sorted_data (Hyndman & Fan type 7). */
#include <rescalesim/sweep-run.h>

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

void
rsim_stats_compute (const double *values, guint n, RsimStats *out)
{
  g_return_if_fail (out != NULL);
  out->n = 0;
  out->mean = out->sd = out->median = out->p95 = NAN;
  out->min = out->max = out->ci95_low = out->ci95_high = NAN;
  g_autofree double *x = g_new (double, MAX (n, 1));
  guint m = 0;
  for (guint i = 0; i < n; i++)
    if (!isnan (values[i]))
      x[m++] = values[i];
  out->n = m;
  if (m == 0)
    return;
  qsort (x, m, sizeof (double), compare_doubles);
  out->mean = gsl_stats_mean (x, 1, m);
  out->median = gsl_stats_quantile_from_sorted_data (x, 1, m, 0.5);
  out->p95 = gsl_stats_quantile_from_sorted_data (x, 1, m, 0.95);
  out->min = x[0];
  out->max = x[m - 1];
  if (m < 2)
    return;
  out->sd = gsl_stats_sd_m (x, 1, m, out->mean);
  double t = gsl_cdf_tdist_Pinv (0.975, (double) (m - 1));
  double half = t * out->sd / sqrt ((double) m);
  out->ci95_low = out->mean - half;
  out->ci95_high = out->mean + half;
}
