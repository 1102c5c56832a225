/* Records as a fluid: produced and consumed offsets per pipelined region,
 * integrated exactly between events.
 *
 * Region r receives share_r of the input rate r(t) and, while up, consumes
 * at most c_r records/s. Its backlog B follows B' = share_r r(t) - c_r while
 * B > 0 and stays at 0 while the input is below capacity. With
 * f(t) = B(t0) + share_r * R(t0, t) - c_r (t - t0), the backlog is the
 * reflected path B(t) = f(t) - min(0, min over [t0, t] of f) (the Skorokhod
 * reflection at 0). f's minima lie at the interval's ends and where the
 * input crosses the capacity (steps and trace breakpoints; for the sine the
 * closed-form crossings), so evaluating f at those points integrates the
 * fluid exactly. While a region is down it consumes nothing.
 *
 * This file is arithmetic only: the metrics integrator (metrics.c) drives
 * the integration and keeps every time-weighted metric. */
#include "model/model.h"

#include <math.h>
#include <string.h>

RsimDataflow *
rsim_dataflow_new (RsimEngine *engine, const RsimRateSpec *rate)
{
  RsimDataflow *flow = g_new0 (RsimDataflow, 1);
  flow->engine = engine;
  rsim_rate_spec_copy (&flow->rate, rate);
  flow->scratch = g_array_new (FALSE, FALSE, sizeof (double));
  return flow;
}

void
rsim_dataflow_free (RsimDataflow *flow)
{
  if (flow == NULL)
    return;
  rsim_rate_spec_clear (&flow->rate);
  g_free (flow->share);
  g_free (flow->capacity);
  g_free (flow->full_capacity);
  g_free (flow->produced);
  g_free (flow->consumed);
  g_array_free (flow->scratch, TRUE);
  g_free (flow);
}

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* Times (seconds) in (a, b) where the input rate may cross `level`. */
static void
critical_points (const RsimRateSpec *rate, double a, double b, double level,
                 GArray *out)
{
  switch (rate->kind) {
  case RSIM_RATE_STEPS:
  case RSIM_RATE_TRACE:
    for (guint i = 0; i < rate->n_points; i++) {
      double t = RSIM_TIME_TO_SEC (rate->points[i].at);
      if (t > a && t < b)
        g_array_append_val (out, t);
    }
    break;
  case RSIM_RATE_SINE: {
    if (rate->amplitude == 0.0)
      break;
    double x = (level - rate->mean) / rate->amplitude;
    if (x < -1.0 || x > 1.0)
      break;
    double period = RSIM_TIME_TO_SEC (rate->period);
    double w = 2.0 * G_PI / period;
    double ph = RSIM_TIME_TO_SEC (rate->phase);
    double th = asin (x);
    double base[2] = { th, G_PI - th };
    for (int k = 0; k < 2; k++) {
      /* t = ph + (base + 2 pi n) / w, first n with t > a. */
      double n = ceil (((a - ph) * w - base[k]) / (2.0 * G_PI));
      for (double t = ph + (base[k] + 2.0 * G_PI * n) / w; t < b;
           t += period)
        if (t > a)
          g_array_append_val (out, t);
    }
    break;
  }
  default:
    break;
  }
}

static double
input_between (const RsimRateSpec *rate, double a, double b)
{
  return rsim_rate_integral (rate, (RsimTime) llround (a * 1e6),
                             (RsimTime) llround (b * 1e6));
}

/* Integrates one region over [t0, t1]; returns its largest backlog. */
static double
integrate_region (RsimDataflow *flow, int r, RsimTime t0, RsimTime t1,
                  GArray *pts)
{
  double share = flow->share[r], cap = flow->capacity[r];
  double b0 = flow->produced[r] - flow->consumed[r];
  double in = share * rsim_rate_integral (&flow->rate, t0, t1);
  if (cap <= 0.0 || share <= 0.0) {
    flow->produced[r] += in;
    return b0 + in;
  }
  double a = RSIM_TIME_TO_SEC (t0), b = RSIM_TIME_TO_SEC (t1);
  g_array_set_size (pts, 0);
  critical_points (&flow->rate, a, b, cap / share, pts);
  g_array_append_val (pts, b);
  g_array_sort (pts, cmp_double);
  double running_min = 0.0, max_b = b0, f = b0;
  for (guint i = 0; i < pts->len; i++) {
    double t = g_array_index (pts, double, i);
    f = b0 + share * input_between (&flow->rate, a, t) - cap * (t - a);
    running_min = MIN (running_min, f);
    max_b = MAX (max_b, f - running_min);
  }
  double b1 = f - running_min;
  if (b1 < 0.0)
    b1 = 0.0;
  flow->produced[r] += in;
  double consumed = flow->produced[r] - b1;
  if (consumed > flow->consumed[r])
    flow->processed += consumed - flow->consumed[r];
  flow->consumed[r] = consumed;
  return max_b;
}

double
rsim_dataflow_integrate (RsimDataflow *flow, RsimTime now)
{
  if (now <= flow->t)
    return rsim_dataflow_lag (flow);
  double max_total = 0.0;
  for (int r = 0; r < flow->n_regions; r++)
    max_total += integrate_region (flow, r, flow->t, now, flow->scratch);
  flow->t = now;
  return max_total;
}

/* Tells the observer that the flow is about to change now (or integrates
 * up to now itself without one). */
static void
before_change (RsimDataflow *flow)
{
  RsimTime now = rsim_engine_now (flow->engine);
  if (flow->observer.before_change)
    flow->observer.before_change (flow->observer.user, now);
  else
    rsim_dataflow_integrate (flow, now);
}

static double
total (const double *v, int n)
{
  double s = 0.0;
  for (int i = 0; i < n; i++)
    s += v[i];
  return s;
}

double
rsim_dataflow_total_consumed (const RsimDataflow *flow)
{
  return total (flow->consumed, flow->n_regions);
}

double
rsim_dataflow_total_produced (const RsimDataflow *flow)
{
  return total (flow->produced, flow->n_regions);
}

double
rsim_dataflow_lag (const RsimDataflow *flow)
{
  return rsim_dataflow_total_produced (flow) - rsim_dataflow_total_consumed (flow);
}

static void
update_fraction (RsimDataflow *flow)
{
  double before = flow->fraction, avail = 0.0;
  for (int r = 0; r < flow->n_regions; r++)
    if (flow->capacity[r] > 0.0)
      avail += flow->share[r];
  flow->fraction = avail > 1.0 - 1e-9 ? 1.0 : avail;
  if (before != flow->fraction && flow->observer.fraction_changed)
    flow->observer.fraction_changed (flow->observer.user, before,
                                     flow->fraction);
}

void
rsim_dataflow_set_regions (RsimDataflow *flow, int n, const double *share,
                           const double *capacity)
{
  before_change (flow);
  double produced = flow->n_regions ? rsim_dataflow_total_produced (flow) : 0.0;
  double consumed = flow->n_regions ? rsim_dataflow_total_consumed (flow) : 0.0;
  g_free (flow->share);
  g_free (flow->capacity);
  g_free (flow->full_capacity);
  g_free (flow->produced);
  g_free (flow->consumed);
  flow->n_regions = n;
  flow->share = g_memdup2 (share, sizeof (double) * n);
  flow->full_capacity = g_memdup2 (capacity, sizeof (double) * n);
  flow->capacity = g_new0 (double, n);
  flow->produced = g_new0 (double, n);
  flow->consumed = g_new0 (double, n);
  for (int r = 0; r < n; r++) {
    flow->produced[r] = produced * share[r];
    flow->consumed[r] = consumed * share[r];
  }
  update_fraction (flow);
}

void
rsim_dataflow_set_up (RsimDataflow *flow, const gboolean *up)
{
  before_change (flow);
  for (int r = 0; r < flow->n_regions; r++)
    flow->capacity[r] = up[r] ? flow->full_capacity[r] : 0.0;
  update_fraction (flow);
}

void
rsim_dataflow_set_rate (RsimDataflow *flow, const RsimRateSpec *rate)
{
  before_change (flow);
  rsim_rate_spec_clear (&flow->rate);
  rsim_rate_spec_copy (&flow->rate, rate);
}

double
rsim_dataflow_rewind (RsimDataflow *flow, int region, double offset)
{
  before_change (flow);
  g_return_val_if_fail (region >= 0 && region < flow->n_regions, 0.0);
  double again = flow->consumed[region] - offset;
  if (again <= 0.0)
    return 0.0;
  flow->consumed[region] = offset;
  return again;
}
