/* The autoscaler's decision rules (include/rescalesim/autoscaler.h), after
 * apache/flink-kubernetes-operator flink-autoscaler/: AutoScalerUtils.
 * getTargetProcessingCapacity, JobVertexScaler.scale (EVENLY_SPREAD
 * alignment) and DelayedScaleDown. Written here from their documented
 * behaviour; flink-behaviour.md §7 and calibration.md §6 give the figures
 * the tests check. */
#include <rescalesim/autoscaler.h>

#include <math.h>

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
