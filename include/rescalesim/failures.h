/* rescalesim: stochastic failures (the scenario's "failures" block).
 *
 * Two inputs, both off by default so that a scenario without the block runs
 * exactly as before (no random stream is even created):
 *   - TaskManager crashes: every TaskManager, from the moment it registers,
 *     has a time to failure drawn from the distribution taskmanager_mtbf,
 *     from its own random stream "failures.tm.<id>"; at that time its
 *     process is killed as a deleted pod would be (rpc "timeout");
 *   - checkpoint failures: each periodic checkpoint that is triggered is
 *     declined with probability checkpoint_failure_probability, drawn from
 *     the stream "failures.checkpoint".
 * Only failures are drawn here; what they cost is the model's business. */
#pragma once

#include <glib.h>
#include <rescalesim/forward.h>

G_BEGIN_DECLS

#define RSIM_MTBF_KIND_LIST(X)        \
  X (NONE, "none")                    \
  X (CONSTANT, "constant")            \
  X (EXPONENTIAL, "exponential")      \
  X (WEIBULL, "weibull")              \
  X (LOGNORMAL, "lognormal")

typedef enum {
#define RSIM_X(id, name) RSIM_MTBF_##id,
  RSIM_MTBF_KIND_LIST (RSIM_X)
#undef RSIM_X
} RsimMtbfKind;

const char *rsim_mtbf_kind_name (RsimMtbfKind kind);

/* A time-to-failure distribution (also used for pause lengths). Durations
 * in microseconds:
 *   constant:    a = the value
 *   exponential: a = mean
 *   weibull:     a = scale, b = shape (> 0)
 *   lognormal:   a = median, b = sigma of the underlying normal (>= 0) */
typedef struct {
  RsimMtbfKind kind;
  double a;
  double b;
} RsimMtbf;

/* One time to failure in microseconds (> 0); NONE gives +inf. */
double rsim_mtbf_sample (const RsimMtbf *mtbf, RsimRng *rng);
/* The distribution's mean in microseconds (+inf for NONE). */
double rsim_mtbf_mean (const RsimMtbf *mtbf);

typedef struct {
  RsimMtbf taskmanager_mtbf;               /* kind NONE: no crashes */
  double checkpoint_failure_probability;   /* 0 to 1; 0: none */
  /* Stop-the-world pauses of healthy TaskManagers (long GC pauses,
   * network blips): the time from a TaskManager's registration, or from
   * the end of its previous pause, to its next pause, and each pause's
   * length; both drawn from the TaskManager's stream "failures.pause.<id>".
   * pause_interval kind NONE: no pauses. */
  RsimMtbf pause_interval;
  RsimMtbf pause_duration;
} RsimFailureSpec;

/* TRUE when the spec draws any failure at all. */
gboolean rsim_failure_spec_enabled (const RsimFailureSpec *spec);

G_END_DECLS
