/* Invariants checked after every event (control/invariants.h).
 *
 * What must hold whatever the scenario: no slot is held twice and the slot
 * pool's counters match a recount; no region's backlog is negative (a
 * region never consumed more than was produced for it) and no count is
 * negative; records produced and records processed never decrease; what
 * was processed covers what the regions consumed (re-reads after a rewind
 * only add to it); no capacity and no input rate is negative. The first
 * violation is kept with its instant; the run then fails
 * (RSIM_SIM_ERROR_INVARIANT) instead of reporting numbers. A check costs
 * O(regions + slots) per event, so it is for tests and debugging. */
#include "control/invariants.h"

#include <math.h>

struct RsimInvariants {
  RsimWorld *world;
  double last_produced;
  double last_processed;
  char *broken;
};

gboolean
rsim__invariants_wanted (gboolean asked)
{
  if (asked)
    return TRUE;
  const char *env = g_getenv ("RSIM_CHECK_INVARIANTS");
  return env != NULL && env[0] != '\0' && g_strcmp0 (env, "0") != 0;
}

RsimInvariants *
rsim__invariants_new (RsimWorld *world)
{
  RsimInvariants *inv = g_new0 (RsimInvariants, 1);
  inv->world = world;
  return inv;
}

void
rsim__invariants_free (RsimInvariants *inv)
{
  if (inv == NULL)
    return;
  g_free (inv->broken);
  g_free (inv);
}

const char *
rsim__invariants_broken (const RsimInvariants *inv)
{
  return inv != NULL ? inv->broken : NULL;
}

static void
broken (RsimInvariants *inv, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static void
broken (RsimInvariants *inv, const char *fmt, ...)
{
  if (inv->broken != NULL)
    return;
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *what = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  inv->broken = g_strdup_printf (
    "%.6f s: %s", RSIM_TIME_TO_SEC (rsim_engine_now (inv->world->engine)),
    what);
}

/* Relative slack for sums of doubles. */
static double
slack (double a, double b)
{
  return 1e-9 * MAX (1.0, MAX (fabs (a), fabs (b)));
}

void
rsim__invariants_after_step (RsimEngine *engine, gpointer data)
{
  RsimInvariants *inv = data;
  if (inv->broken != NULL)
    return;
  RsimWorld *w = inv->world;
  if (!rsim_slot_pool_check (w->slots)) {
    broken (inv, "the slot pool's counters disagree with its slots (a slot "
            "held twice or a count off)");
    return;
  }
  const RsimDataflow *f = w->flow;
  double consumed = 0, produced = 0;
  for (int r = 0; r < f->n_regions; r++) {
    if (f->capacity[r] < 0 || isnan (f->capacity[r])) {
      broken (inv, "region %d has capacity %g rec/s", r, f->capacity[r]);
      return;
    }
    if (f->produced[r] < -slack (f->produced[r], 0)
        || f->consumed[r] < -slack (f->consumed[r], 0)) {
      broken (inv, "region %d counts %g produced, %g consumed", r,
              f->produced[r], f->consumed[r]);
      return;
    }
    if (f->consumed[r] > f->produced[r] + slack (f->consumed[r], f->produced[r])) {
      broken (inv, "region %d consumed %.9g records of %.9g produced (a "
              "negative backlog)", r, f->consumed[r], f->produced[r]);
      return;
    }
    consumed += f->consumed[r];
    produced += f->produced[r];
  }
  double rate = rsim_rate_at (&f->rate, f->t);
  if (rate < 0 || isnan (rate)) {
    broken (inv, "the input rate is %g rec/s", rate);
    return;
  }
  if (produced < inv->last_produced - slack (produced, inv->last_produced)) {
    broken (inv, "records produced fell from %.9g to %.9g",
            inv->last_produced, produced);
    return;
  }
  if (f->processed < inv->last_processed
                     - slack (f->processed, inv->last_processed)) {
    broken (inv, "records processed fell from %.9g to %.9g",
            inv->last_processed, f->processed);
    return;
  }
  if (f->processed < consumed - slack (f->processed, consumed)) {
    broken (inv, "%.9g records processed, fewer than the %.9g the regions "
            "consumed", f->processed, consumed);
    return;
  }
  inv->last_produced = produced;
  inv->last_processed = f->processed;
}
