/* The autoscaler's decision rules (include/rescalesim/autoscaler.h), after
 * apache/flink-kubernetes-operator flink-autoscaler/: AutoScalerUtils.
 * getTargetProcessingCapacity, JobVertexScaler.scale (EVENLY_SPREAD
 * alignment) and DelayedScaleDown. Written here from their documented
 * behaviour; the tests check the capacity formula on a worked example and
 * the scale-down sequence FLINK-36018 describes. The metric window (the samples the rules are fed) is
 * here too, so that its running sums can be checked against re-summing. */
#include <rescalesim/autoscaler.h>

#include <math.h>
#include <string.h>

double
rsim_autoscaler_target_capacity (double target_rate, double lag,
                                 double utilization, double restart_s,
                                 double catch_up_s, gboolean with_restart)
{
  if (isnan (target_rate) || catch_up_s <= 0.0 || !(utilization > 0.0))
    return NAN;
  double lag_part = lag > 0.0 ? lag / catch_up_s : 0.0;
  double restart_part = with_restart
    ? target_rate * restart_s / catch_up_s : 0.0;
  return round (lag_part + restart_part + target_rate / utilization);
}

int
rsim_autoscaler_scale (RsimAlignMode mode, int current, double scale_factor,
                       int lower_limit, int upper_limit, int max_parallelism,
                       int key_groups_or_partitions, gboolean align)
{
  double want = ceil (scale_factor * current);
  int p = want >= (double) G_MAXINT ? G_MAXINT : (int) want;
  int upper = MIN (max_parallelism, upper_limit);
  p = MIN (MAX (lower_limit, p), upper);
  int n = key_groups_or_partitions;
  if (!align || n <= 0)
    return p;
  if (mode == RSIM_ALIGN_UP_TO_HALF) {
    for (int q = p; q <= n / 2 && q <= upper; q++)
      if (n % q == 0)
        return q;
    return p;
  }
  if (mode == RSIM_ALIGN_KEEP_DIRECTION && p == current)
    return p;
  gboolean up = p > current;
  /* Phase 1: the next divisor at or above the computed value. */
  int stop = MIN (n, upper);
  if (mode == RSIM_ALIGN_HALF_THEN_LOAD)
    stop = MIN (p > n / 2 ? n : n / 2, upper);
  else if (mode == RSIM_ALIGN_KEEP_DIRECTION && !up)
    stop = MIN (current, stop);
  for (int q = p; q <= stop; q++)
    if (n % q == 0)
      return q;
  /* Phase 2: the smallest parallelism with the same per-subtask load. */
  int q = p;
  for (; q > 0; q--)
    if (n / q > n / p) {
      if (n % q != 0)
        q++;
      break;
    }
  q = MAX (q, lower_limit);
  if (mode == RSIM_ALIGN_KEEP_DIRECTION
      && ((up && q <= current) || (!up && q >= current)))
    return current;
  return q;
}

typedef struct {
  RsimTime t;
  int parallelism;
} Recommendation;

struct RsimDelayedScaleDown {
  guint n;
  RsimTime *first;     /* first trigger per vertex, -1: none */
  GArray **recs;       /* Recommendation, parallelism strictly decreasing */
};

RsimDelayedScaleDown *
rsim_delayed_scale_down_new (guint n_vertices)
{
  RsimDelayedScaleDown *d = g_new0 (RsimDelayedScaleDown, 1);
  d->n = n_vertices;
  d->first = g_new (RsimTime, MAX (n_vertices, 1));
  d->recs = g_new0 (GArray *, MAX (n_vertices, 1));
  for (guint v = 0; v < n_vertices; v++) {
    d->first[v] = -1;
    d->recs[v] = g_array_new (FALSE, FALSE, sizeof (Recommendation));
  }
  return d;
}

void
rsim_delayed_scale_down_free (RsimDelayedScaleDown *d)
{
  if (d == NULL)
    return;
  for (guint v = 0; v < d->n; v++)
    g_array_unref (d->recs[v]);
  g_free (d->recs);
  g_free (d->first);
  g_free (d);
}

void
rsim_delayed_scale_down_clear_vertex (RsimDelayedScaleDown *d, guint vertex)
{
  g_return_if_fail (d != NULL && vertex < d->n);
  d->first[vertex] = -1;
  g_array_set_size (d->recs[vertex], 0);
}

void
rsim_delayed_scale_down_clear_all (RsimDelayedScaleDown *d)
{
  g_return_if_fail (d != NULL);
  for (guint v = 0; v < d->n; v++)
    rsim_delayed_scale_down_clear_vertex (d, v);
}

int
rsim_delayed_scale_down_trigger (RsimDelayedScaleDown *d, guint vertex,
                                 RsimTime now, int parallelism,
                                 RsimTime interval)
{
  g_return_val_if_fail (d != NULL && vertex < d->n, parallelism);
  if (interval <= 0)
    return parallelism;
  if (d->first[vertex] < 0)
    d->first[vertex] = now;
  /* Keep the recommendations decreasing: a newer one at least as high
   * replaces the older ones (its time is the later one). */
  GArray *recs = d->recs[vertex];
  while (recs->len > 0
         && g_array_index (recs, Recommendation, recs->len - 1).parallelism
            <= parallelism)
    g_array_set_size (recs, recs->len - 1);
  Recommendation r = { now, parallelism };
  g_array_append_val (recs, r);
  RsimTime window_start = now - interval;
  if (window_start < d->first[vertex])
    return -1;
  guint drop = 0;
  while (drop + 1 < recs->len
         && g_array_index (recs, Recommendation, drop).t < window_start)
    drop++;
  if (drop > 0)
    g_array_remove_range (recs, 0, drop);
  return g_array_index (recs, Recommendation, 0).parallelism;
}

guint
rsim_delayed_scale_down_held (const RsimDelayedScaleDown *d, guint vertex)
{
  g_return_val_if_fail (d != NULL && vertex < d->n, 0);
  return d->recs[vertex]->len;
}

/* ---------------------------------------------------------- metric window */

struct RsimMetricWindow {
  guint cap, n, head, len;
  RsimTime *t;
  double *input;
  double *lag;
  double *tpr;                 /* [slot * n + vertex] */
  /* Running sums over the kept samples. */
  double sum_input;
  double *sum_tpr;             /* per vertex, finite values only */
  guint *n_tpr;                /* per vertex, finite values counted */
  guint pushes;                /* since the sums were last recomputed */
};

RsimMetricWindow *
rsim_metric_window_new (guint capacity, guint n_vertices)
{
  g_return_val_if_fail (capacity >= 1, NULL);
  g_return_val_if_fail (capacity <= RSIM_AUTOSCALER_MAX_WINDOW_SAMPLES + 2,
                        NULL);
  RsimMetricWindow *w = g_new0 (RsimMetricWindow, 1);
  w->cap = capacity;
  w->n = n_vertices;
  w->t = g_new0 (RsimTime, capacity);
  w->input = g_new0 (double, capacity);
  w->lag = g_new0 (double, capacity);
  w->tpr = g_new0 (double, (gsize) capacity * MAX (n_vertices, 1));
  w->sum_tpr = g_new0 (double, MAX (n_vertices, 1));
  w->n_tpr = g_new0 (guint, MAX (n_vertices, 1));
  return w;
}

void
rsim_metric_window_free (RsimMetricWindow *w)
{
  if (w == NULL)
    return;
  g_free (w->t);
  g_free (w->input);
  g_free (w->lag);
  g_free (w->tpr);
  g_free (w->sum_tpr);
  g_free (w->n_tpr);
  g_free (w);
}

static void
window_zero_sums (RsimMetricWindow *w)
{
  w->sum_input = 0.0;
  memset (w->sum_tpr, 0, sizeof (double) * MAX (w->n, 1));
  memset (w->n_tpr, 0, sizeof (guint) * MAX (w->n, 1));
  w->pushes = 0;
}

void
rsim_metric_window_clear (RsimMetricWindow *w)
{
  g_return_if_fail (w != NULL);
  w->head = 0;
  w->len = 0;
  window_zero_sums (w);
}

static inline guint
window_slot (const RsimMetricWindow *w, guint i)
{
  guint s = w->head + i;
  return s >= w->cap ? s - w->cap : s;
}

/* Adds (sign 1) or removes (sign -1) the sample in slot to the sums. */
static void
window_account (RsimMetricWindow *w, guint slot, int sign)
{
  w->sum_input += sign * w->input[slot];
  const double *x = &w->tpr[(gsize) slot * w->n];
  for (guint v = 0; v < w->n; v++) {
    if (!isfinite (x[v]))
      continue;
    w->sum_tpr[v] += sign * x[v];
    if (sign > 0)
      w->n_tpr[v]++;
    else
      w->n_tpr[v]--;
  }
}

/* The sums again from the kept samples, oldest first (the order the
 * re-summing formula adds them in). */
static void
window_resum (RsimMetricWindow *w)
{
  window_zero_sums (w);
  for (guint i = 0; i < w->len; i++)
    window_account (w, window_slot (w, i), 1);
}

void
rsim_metric_window_drop_oldest (RsimMetricWindow *w)
{
  g_return_if_fail (w != NULL && w->len > 0);
  window_account (w, w->head, -1);
  w->head = window_slot (w, 1);
  w->len--;
  if (w->len == 0)
    window_zero_sums (w);
}

void
rsim_metric_window_push (RsimMetricWindow *w, RsimTime t, double input_rate,
                         double lag, const double *tpr)
{
  g_return_if_fail (w != NULL && (tpr != NULL || w->n == 0));
  if (w->len == w->cap)
    rsim_metric_window_drop_oldest (w);
  guint slot = window_slot (w, w->len);
  w->t[slot] = t;
  w->input[slot] = input_rate;
  w->lag[slot] = lag;
  if (w->n > 0)
    memcpy (&w->tpr[(gsize) slot * w->n], tpr, sizeof (double) * w->n);
  w->len++;
  if (++w->pushes >= w->cap)
    window_resum (w);
  else
    window_account (w, slot, 1);
}

guint
rsim_metric_window_len (const RsimMetricWindow *w)
{
  g_return_val_if_fail (w != NULL, 0);
  return w->len;
}

RsimTime
rsim_metric_window_time (const RsimMetricWindow *w, guint i)
{
  g_return_val_if_fail (w != NULL && i < w->len, 0);
  return w->t[window_slot (w, i)];
}

double
rsim_metric_window_lag (const RsimMetricWindow *w, guint i)
{
  g_return_val_if_fail (w != NULL && i < w->len, NAN);
  return w->lag[window_slot (w, i)];
}

double
rsim_metric_window_input (const RsimMetricWindow *w, guint i)
{
  g_return_val_if_fail (w != NULL && i < w->len, NAN);
  return w->input[window_slot (w, i)];
}

double
rsim_metric_window_tpr (const RsimMetricWindow *w, guint i, guint vertex)
{
  g_return_val_if_fail (w != NULL && i < w->len && vertex < w->n, NAN);
  return w->tpr[(gsize) window_slot (w, i) * w->n + vertex];
}

double
rsim_metric_window_mean_input (const RsimMetricWindow *w)
{
  g_return_val_if_fail (w != NULL, NAN);
  return w->len > 0 ? w->sum_input / w->len : NAN;
}

double
rsim_metric_window_mean_tpr (const RsimMetricWindow *w, guint vertex,
                             guint *n_finite)
{
  g_return_val_if_fail (w != NULL && vertex < w->n, NAN);
  guint k = w->n_tpr[vertex];
  if (n_finite != NULL)
    *n_finite = k;
  return k > 0 ? w->sum_tpr[vertex] / k : NAN;
}
