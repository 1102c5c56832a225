/* rescalesim: the input rate profile of the sources (records as a fluid).
 *
 * Profiles: constant, steps (piecewise constant), sine, and a CSV trace
 * (piecewise constant between its points). Rates are records per second. */
#pragma once

#include <glib.h>
#include <rescalesim/engine.h>

G_BEGIN_DECLS

#define RSIM_RATE_KIND_LIST(X) \
  X (CONSTANT, "constant")     \
  X (STEPS, "steps")           \
  X (SINE, "sine")             \
  X (TRACE, "trace")

typedef enum {
#define RSIM_X(id, name) RSIM_RATE_##id,
  RSIM_RATE_KIND_LIST (RSIM_X)
#undef RSIM_X
} RsimRateKind;

const char *rsim_rate_kind_name (RsimRateKind kind);

typedef struct {
  RsimTime at;
  double rate;
} RsimRatePoint;

typedef struct {
  RsimRateKind kind;
  double value;              /* constant */
  /* steps and trace: rate holds from points[i].at until points[i+1].at;
   * before the first point the rate is points[0].rate. Sorted by at. */
  RsimRatePoint *points;
  guint n_points;
  /* sine: mean + amplitude * sin(2 pi (t - phase) / period), clamped at 0. */
  double mean;
  double amplitude;
  RsimTime period;
  RsimTime phase;
} RsimRateSpec;

typedef struct {
  RsimRateSpec rate;
  double record_bytes;       /* 0: unknown (no _bytes figures reported) */
} RsimWorkloadSpec;

void rsim_rate_spec_clear (RsimRateSpec *spec);
void rsim_rate_spec_copy (RsimRateSpec *dst, const RsimRateSpec *src);
/* Input rate at time t, records/s. */
double rsim_rate_at (const RsimRateSpec *spec, RsimTime t);
/* Records produced in [t0, t1] (exact integral). */
double rsim_rate_integral (const RsimRateSpec *spec, RsimTime t0, RsimTime t1);

G_END_DECLS
