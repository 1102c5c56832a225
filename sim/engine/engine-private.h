/* rescalesim engine internals shared between engine.c, rng.c and the tests.
 *
 * Nothing here is part of the public API (include/rescalesim/engine.h). The
 * random-stream constructor and the seed derivation are shared by engine.c
 * and rng.c; the heap and slab accessors let tests/test-engine.c check that
 * memory stays flat under schedule/cancel churn, and the sequence-number hook
 * lets it exercise the renumbering that happens once every 2^40 schedules. */
#pragma once

#include <rescalesim/engine.h>

G_BEGIN_DECLS

/* Random streams (rng.c). */

/* FNV-1a, 64-bit variant, of a NUL-terminated string. */
guint64 rsim__fnv1a64 (const char *s);
/* One step of the splitmix64 output function applied to x (no state). */
guint64 rsim__splitmix64 (guint64 x);
/* The 64-bit seed of the stream called name in a run seeded with run_seed.
 * Depends on those two values only. */
guint64 rsim__rng_stream_seed (guint64 run_seed, const char *name);
/* (transfer full) A new stream; the name is copied. */
RsimRng *rsim__rng_new (guint64 run_seed, const char *name);
void rsim__rng_free (RsimRng *rng);
/* (transfer none) The stream's name, owned by the stream. */
const char *rsim__rng_name (const RsimRng *rng);

/* Engine internals (engine.c), for tests. */

/* Entries in the event heap, cancelled-but-not-yet-removed ones included. */
gsize rsim__engine_heap_size (const RsimEngine *engine);
/* Entries the heap array can hold before it must grow. */
gsize rsim__engine_heap_capacity (const RsimEngine *engine);
/* Event slots ever allocated in the payload slab (live, cancelled or free). */
gsize rsim__engine_slot_count (const RsimEngine *engine);
/* Sets the sequence number the next scheduled event gets (at most
 * 2^40), so tests can reach the renumbering without 2^40 schedules. */
void rsim__engine_set_next_seq (RsimEngine *engine, guint64 next_seq);

G_END_DECLS
