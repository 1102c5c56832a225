/* Invariants of a run, checked after every event when asked for
 * (RsimSimConfig.check_invariants, or RSIM_CHECK_INVARIANTS=1 in the
 * environment: debug builds and `make test` run with them on). */
#pragma once

#include "model/model.h"

typedef struct RsimInvariants RsimInvariants;

/* Whether runs check invariants: asked by the configuration, or by the
 * environment variable RSIM_CHECK_INVARIANTS (any value but "" or "0"). */
gboolean rsim__invariants_wanted (gboolean asked);
RsimInvariants *rsim__invariants_new (RsimWorld *world);
void rsim__invariants_free (RsimInvariants *inv);
/* The engine's after-step hook (user data: the RsimInvariants). */
void rsim__invariants_after_step (RsimEngine *engine, gpointer inv);
/* What broke first, with the instant, or NULL. */
const char *rsim__invariants_broken (const RsimInvariants *inv);
