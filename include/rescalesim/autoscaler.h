/* rescalesim: the decision rules of the Kubernetes operator's autoscaler
 * (FLIP-271), as pure functions, so that they can be checked on their own.
 * The control loop that feeds them the simulated metrics lives in
 * sim/control/autoscaler.c.
 *
 * Sources (apache/flink-kubernetes-operator, flink-autoscaler/):
 * AutoScalerUtils.getTargetProcessingCapacity, JobVertexScaler.
 * computeScaleTargetParallelism / scale / applyScaleDownInterval and
 * DelayedScaleDown (the delayed scale-down of FLINK-36018). */
#pragma once

#include <glib.h>
#include <rescalesim/engine.h>

G_BEGIN_DECLS

/* Target processing capacity in records/s:
 *   round(lag / catch_up + [with_restart] rate * restart / catch_up
 *         + rate / utilization)
 * with rate the target data rate (records/s), lag in records and the
 * durations in seconds. NAN when the rate is unknown (NAN) or catch_up is
 * not positive. */
double rsim_autoscaler_target_capacity (double target_rate, double lag,
                                        double utilization, double restart_s,
                                        double catch_up_s,
                                        gboolean with_restart);

/* How JobVertexScaler.scale aligns a keyed vertex's (or a source's)
 * parallelism to its key groups or partitions N, per operator release. */
typedef enum {
  /* 1.4-1.9: the next divisor of N in [p, N/2]; else p unchanged. */
  RSIM_ALIGN_UP_TO_HALF,
  /* 1.10: the next divisor in [p, N/2] (in [p, N] when p > N/2); else the
   * smallest parallelism with the same per-subtask load. */
  RSIM_ALIGN_HALF_THEN_LOAD,
  /* 1.11-1.14: the next divisor in [p, N]; else the same-load fallback. */
  RSIM_ALIGN_UP_THEN_LOAD,
  /* 1.15 (FLINK-39299): p equal to the current parallelism stays; a
   * scale-down searches no further than the current parallelism, and a
   * result that reverses the direction keeps the current one. */
  RSIM_ALIGN_KEEP_DIRECTION,
} RsimAlignMode;

/* The new parallelism of a vertex: p = ceil(current * scale_factor),
 * clamped to [lower_limit, min(upper_limit, max_parallelism)]; when
 * `align`, moved as `mode` says (EVENLY_SPREAD). The searches are capped by
 * the clamp's upper bound too. Before 1.15 the result may be above the
 * current parallelism on a scale-down (or equal to it): the caller then
 * treats it as a scale-up (detectBlockScaling). */
int rsim_autoscaler_scale (RsimAlignMode mode, int current,
                           double scale_factor, int lower_limit,
                           int upper_limit, int max_parallelism,
                           int key_groups_or_partitions, gboolean align);

/* job.autoscaler.scale-down.interval (operator 1.10+): a scale-down is
 * applied only once the vertex has wanted one for the whole interval, and
 * then to the largest parallelism recommended within the interval. */
typedef struct RsimDelayedScaleDown RsimDelayedScaleDown;

RsimDelayedScaleDown *rsim_delayed_scale_down_new (guint n_vertices);
void rsim_delayed_scale_down_free (RsimDelayedScaleDown *d);
void rsim_delayed_scale_down_clear_vertex (RsimDelayedScaleDown *d,
                                           guint vertex);
void rsim_delayed_scale_down_clear_all (RsimDelayedScaleDown *d);
/* Records that `vertex` wants `parallelism` (< its current one) now.
 * Returns the parallelism to scale down to now, or -1 while the interval
 * has not passed since the first such wish. interval <= 0: no delay. */
int rsim_delayed_scale_down_trigger (RsimDelayedScaleDown *d, guint vertex,
                                     RsimTime now, int parallelism,
                                     RsimTime interval);
/* Recommendations held for `vertex` (bounded; for memory checks). */
guint rsim_delayed_scale_down_held (const RsimDelayedScaleDown *d,
                                    guint vertex);

/* The metric window: the samples of the last job.autoscaler.metrics.window,
 * one per reconcile loop, in a ring of fixed capacity, with running sums so
 * that the means a decision needs cost O(vertices), not O(window): the sums
 * gain a sample when it is pushed and lose it when it leaves. To keep the
 * rounding of those additions and subtractions from accumulating, the sums
 * are recomputed from the kept samples once per `capacity` pushes, which
 * is O(vertices) amortised per push. Each sample holds the time, the
 * sources' input rate (records/s), the lag (records) and one true
 * processing rate per vertex (records/s, NAN when unknown; only finite
 * ones count in a vertex's mean). */
typedef struct RsimMetricWindow RsimMetricWindow;

/* The most samples a window may hold: the loader refuses a
 * metrics.window / reconcile.interval ratio above it (memory is
 * capacity x (vertices + 3) doubles). */
#define RSIM_AUTOSCALER_MAX_WINDOW_SAMPLES 100000

/* capacity from 1 to RSIM_AUTOSCALER_MAX_WINDOW_SAMPLES + 2. */
RsimMetricWindow *rsim_metric_window_new (guint capacity, guint n_vertices);
void rsim_metric_window_free (RsimMetricWindow *w);
void rsim_metric_window_clear (RsimMetricWindow *w);
/* Appends a sample (tpr: n_vertices values, copied); a full window first
 * drops its oldest one. */
void rsim_metric_window_push (RsimMetricWindow *w, RsimTime t,
                              double input_rate, double lag,
                              const double *tpr);
/* Drops the oldest sample (the window must not be empty). */
void rsim_metric_window_drop_oldest (RsimMetricWindow *w);
guint rsim_metric_window_len (const RsimMetricWindow *w);
/* Sample i, 0 = oldest (i < len). */
RsimTime rsim_metric_window_time (const RsimMetricWindow *w, guint i);
double rsim_metric_window_lag (const RsimMetricWindow *w, guint i);
double rsim_metric_window_input (const RsimMetricWindow *w, guint i);
double rsim_metric_window_tpr (const RsimMetricWindow *w, guint i,
                               guint vertex);
/* Mean input rate over the samples (NAN when empty). */
double rsim_metric_window_mean_input (const RsimMetricWindow *w);
/* Mean of the vertex's finite true processing rates; *n_finite (may be
 * NULL) gets how many there are; NAN when none. */
double rsim_metric_window_mean_tpr (const RsimMetricWindow *w, guint vertex,
                                    guint *n_finite);

G_END_DECLS
