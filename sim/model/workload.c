/* Input rate profiles: the rate at a time and its exact integral.
 *
 * Piecewise-constant profiles (constant, steps, trace) integrate by summing
 * segments; the sine integrates in closed form (the clamp at zero is handled
 * by integrating only the positive lobes). Times are microseconds, rates
 * records per second, so an integral over [t0, t1] is records.
 *
 * The sine's integral over [a, a + len] is written as
 *   mean len + 2 amplitude / w  sin(w (a + len/2 - phase))  sin(w len / 2)
 * rather than as a difference of antiderivatives: late in a long run those
 * are large (mean x t) and their difference over a short interval lost
 * its low digits, which gave slightly negative integrals (input rates of
 * -5e-8 rec/s) next to the zero crossings of a clamped sine. Each positive
 * lobe's part is also clamped at 0, so no interval integrates below 0. */
#include <rescalesim/workload.h>

#include <math.h>

const char *
rsim_rate_kind_name (RsimRateKind kind)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_RATE_KIND_LIST (RSIM_X)
#undef RSIM_X
  };
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (names), "?");
  return names[kind];
}

void
rsim_rate_spec_clear (RsimRateSpec *spec)
{
  if (spec == NULL)
    return;
  g_free (spec->points);
  *spec = (RsimRateSpec) { 0 };
}

void
rsim_rate_spec_copy (RsimRateSpec *dst, const RsimRateSpec *src)
{
  *dst = *src;
  dst->points = src->n_points
    ? g_memdup2 (src->points, sizeof (RsimRatePoint) * src->n_points)
    : NULL;
}

/* Index of the point whose rate holds at t (the last with at <= t; 0 before
 * the first point). */
static guint
point_index (const RsimRateSpec *spec, RsimTime t)
{
  guint lo = 0, hi = spec->n_points;
  while (hi - lo > 1) {
    guint mid = (lo + hi) / 2;
    if (spec->points[mid].at <= t)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

static double
sine_raw (const RsimRateSpec *s, double t_sec)
{
  double w = 2.0 * G_PI / RSIM_TIME_TO_SEC (s->period);
  return s->mean + s->amplitude * sin (w * (t_sec - RSIM_TIME_TO_SEC (s->phase)));
}

/* Integral of the unclamped sine over [a, a + len] (seconds), in records. */
static double
sine_segment (const RsimRateSpec *s, double a, double len)
{
  double w = 2.0 * G_PI / RSIM_TIME_TO_SEC (s->period);
  double mid = a + len / 2.0 - RSIM_TIME_TO_SEC (s->phase);
  return s->mean * len
    + 2.0 * s->amplitude / w * sin (w * mid) * sin (w * len / 2.0);
}

/* len is b - a, passed apart so that it is exact for the whole interval. */
static double
sine_integral (const RsimRateSpec *s, double a, double b, double len)
{
  if (s->mean >= fabs (s->amplitude))
    return MAX (sine_segment (s, a, len), 0.0);
  /* The clamp at zero bites: integrate over sub-intervals split at the zero
   * crossings of the raw sine within [a, b]. */
  if (s->mean <= -fabs (s->amplitude))
    return 0.0;
  double period = RSIM_TIME_TO_SEC (s->period);
  double w = 2.0 * G_PI / period;
  double phase = RSIM_TIME_TO_SEC (s->phase);
  double x = asin (-s->mean / s->amplitude);   /* sin(x) = -mean/amplitude */
  /* Crossings: w(t - phase) = x + 2k pi or pi - x + 2k pi. */
  double total = 0.0, cur = a;
  double k0 = floor ((w * (a - phase) - G_PI) / (2.0 * G_PI)) - 1.0;
  for (double k = k0; cur < b; k += 1.0) {
    double c1 = phase + (x + 2.0 * G_PI * k) / w;
    double c2 = phase + (G_PI - x + 2.0 * G_PI * k) / w;
    double cs[2] = { MIN (c1, c2), MAX (c1, c2) };
    for (int i = 0; i < 2; i++) {
      double c = cs[i];
      if (c <= cur)
        continue;
      double e = MIN (c, b);
      if (sine_raw (s, (cur + e) / 2.0) > 0.0)
        total += MAX (sine_segment (s, cur, e - cur), 0.0);
      cur = e;
      if (cur >= b)
        break;
    }
  }
  return total;
}

double
rsim_rate_at (const RsimRateSpec *spec, RsimTime t)
{
  switch (spec->kind) {
  case RSIM_RATE_CONSTANT:
    return spec->value;
  case RSIM_RATE_STEPS:
  case RSIM_RATE_TRACE:
    if (spec->n_points == 0)
      return 0.0;
    return spec->points[point_index (spec, t)].rate;
  case RSIM_RATE_SINE: {
    double v = sine_raw (spec, RSIM_TIME_TO_SEC (t));
    return v > 0.0 ? v : 0.0;
  }
  default:
    g_return_val_if_reached (0.0);
  }
}

double
rsim_rate_integral (const RsimRateSpec *spec, RsimTime t0, RsimTime t1)
{
  if (t1 <= t0)
    return 0.0;
  switch (spec->kind) {
  case RSIM_RATE_CONSTANT:
    return spec->value * RSIM_TIME_TO_SEC (t1 - t0);
  case RSIM_RATE_STEPS:
  case RSIM_RATE_TRACE: {
    if (spec->n_points == 0)
      return 0.0;
    double total = 0.0;
    RsimTime cur = t0;
    guint i = point_index (spec, t0);
    while (cur < t1) {
      RsimTime seg_end = t1;
      if (i + 1 < spec->n_points && spec->points[i + 1].at < t1)
        seg_end = MAX (spec->points[i + 1].at, cur);
      total += spec->points[i].rate * RSIM_TIME_TO_SEC (seg_end - cur);
      cur = seg_end;
      if (i + 1 < spec->n_points)
        i++;
    }
    return total;
  }
  case RSIM_RATE_SINE:
    return sine_integral (spec, RSIM_TIME_TO_SEC (t0), RSIM_TIME_TO_SEC (t1),
                          RSIM_TIME_TO_SEC (t1 - t0));
  default:
    g_return_val_if_reached (0.0);
  }
}
