/* rescalesim engine: simulated clock and event queue.
 *
 * Pending events live in two arrays. The heap is a binary min-heap of small
 * by-value records {time, key} (16 bytes, four to a cache line) ordered by
 * (time, key); key packs a 40-bit sequence number above a 24-bit slot index,
 * so comparing keys compares sequence numbers, and same-time events run in
 * the order they were scheduled. (At most 2^24 - 1 events are pending at
 * once; 2^40 sequence numbers last about 10^12 schedules.)
 *
 * A sequence number can also be taken ahead of the event (a ticket,
 * rsim_engine_reserve): the event scheduled later with it runs, among the
 * events due at its instant, where it would have run had it been scheduled
 * when the ticket was taken. The analytic heartbeat model uses this to order
 * a timeout it computes at a kill exactly as the per-heartbeat model orders
 * the timeout it re-armed at the last answered heartbeat. The slab is an array of slots holding each
 * event's payload (callback, data, destroy function, generation); free slots
 * form a LIFO free list threaded through the slab, so the slot an event just
 * left is the next one reused and stays warm in the cache.
 *
 * A handle (RsimEventId) is the slot's generation (high 32 bits, never 0)
 * over the slot index (low 32 bits). A slot's generation is bumped the moment
 * its event stops being pending (it starts running or is cancelled), so every
 * handle issued before then is stale from that moment on, including when the
 * slot is later reused.
 *
 * Cancellation is lazy: the slot is marked (func = NULL), destroy runs at
 * once, and the heap entry stays until it reaches the top or until cancelled
 * entries make up more than half of the heap; the heap is then compacted and
 * rebuilt in O(n). A compaction of n entries removes more than n/2 cancelled
 * ones, each paid for by one rsim_engine_cancel(), so cancelling costs O(1)
 * amortised. The check runs after every cancel and every event, so between
 * calls the heap never holds more than twice the live events, and a workload
 * that schedules and cancels forever runs in flat memory. The top of the heap
 * is always a live event (cancelled entries are popped as soon as they
 * surface), which keeps rsim_engine_next_time() O(1) and const.
 *
 * With 10^5 periodic timers the heap and the slab no longer fit in the L2
 * cache, and the loads of the next events' slots and payloads dominate: the
 * event loop prefetches them while it reorders the heap (see run_top).
 *
 * The 40-bit sequence number wraps after 2^40 schedules; the engine then
 * sorts the heap and renumbers the live entries 0..n-1 in their current
 * order (a sorted array is a valid heap), which keeps FIFO order exact for
 * the pending events (tickets held across a renumbering lose their place:
 * at 10^7 schedules a second that is a day of one engine's work).
 *
 * Two optional checks cost one predictable branch per event when unused:
 * an event budget (a run that would process more events stops before the
 * first one over it and says so, so a scenario cannot loop for ever) and an
 * after-step hook (debug builds check the model's invariants after every
 * event).
 *
 * Following SimGrid's rule, nothing here depends on memory addresses, hash
 * order or the wall clock: the order in which events run is a function of the
 * calls made alone. */
#include "engine/engine-private.h"

#include <stdlib.h>

/* One heap record: 16 bytes, compared by (time, key). */
typedef struct {
  RsimTime time;
  guint64 key; /* sequence number << 24 | slot index */
} HeapEntry;

/* One event payload. func is NULL whenever the slot holds no pending event:
 * free, cancelled (heap entry not yet removed) or currently running. */
typedef struct {
  RsimEventFunc func;
  gpointer data;
  GDestroyNotify destroy;
  guint32 gen;       /* generation of the slot's current or next handle */
  guint32 next_free; /* next slot on the free list while the slot is free */
} EventSlot;

/* A hint to start loading the cache line at p; it never faults, even for
 * NULL or a pointer that is not one. */
#if defined(__GNUC__)
#define RSIM_PREFETCH(p) __builtin_prefetch ((p), 1)
#else
#define RSIM_PREFETCH(p) ((void) (p))
#endif

#define SLOT_NONE G_MAXUINT32
#define SLOT_BITS 24
#define SLOT_MASK ((G_GUINT64_CONSTANT (1) << SLOT_BITS) - 1)
/* Largest sequence number; the one after it triggers a renumbering. */
#define SEQ_MAX ((G_GUINT64_CONSTANT (1) << (64 - SLOT_BITS)) - 1)
/* Smallest heap array, in entries; also the floor for shrinking. */
#define HEAP_MIN_CAPACITY 64

struct RsimEngine {
  RsimTime now;    /* microseconds */
  guint64 seed;
  guint64 next_seq; /* at most SEQ_MAX + 1 */
  gboolean stopped;

  HeapEntry *heap;
  gsize heap_len;
  gsize heap_cap;
  gsize n_cancelled; /* cancelled entries still in the heap */

  EventSlot *slots;
  gsize slots_len;
  gsize slots_cap;
  guint32 free_head;

  guint64 events_processed;
  /* Events a run may process (rsim_engine_set_event_limit); G_MAXUINT64 is
   * no limit. */
  guint64 event_limit;
  gboolean limit_reached;
  /* Called after every event when not NULL (rsim_engine_set_after_step). */
  RsimEngineHook after_step;
  gpointer after_step_data;
  GHashTable *rngs; /* name -> RsimRng; looked up only, never iterated */
};

static inline guint32
key_slot (guint64 key)
{
  return (guint32) (key & SLOT_MASK);
}

static inline guint64
make_key (guint64 seq, guint32 slot)
{
  return (seq << SLOT_BITS) | slot;
}

static inline gboolean
entry_before (const HeapEntry *a, const HeapEntry *b)
{
  return a->time < b->time || (a->time == b->time && a->key < b->key);
}

/* Moves the hole at index i up until e fits there, then stores e. */
static inline void
heap_sift_up (HeapEntry *heap, gsize i, HeapEntry e)
{
  while (i > 0) {
    gsize parent = (i - 1) / 2;
    if (!entry_before (&e, &heap[parent]))
      break;
    heap[i] = heap[parent];
    i = parent;
  }
  heap[i] = e;
}

/* Moves the hole at index i down (heap of n entries) until e fits there. */
static inline void
heap_sift_down (HeapEntry *heap, gsize n, gsize i, HeapEntry e)
{
  for (;;) {
    gsize child = 2 * i + 1;
    if (child >= n)
      break;
    if (child + 1 < n && entry_before (&heap[child + 1], &heap[child]))
      child++;
    if (!entry_before (&heap[child], &e))
      break;
    heap[i] = heap[child];
    i = child;
  }
  heap[i] = e;
}


/* Floyd's bottom-up construction, O(n). */
static void
heap_build (HeapEntry *heap, gsize n)
{
  for (gsize i = n / 2; i-- > 0;)
    heap_sift_down (heap, n, i, heap[i]);
}

static void
heap_push (RsimEngine *engine, HeapEntry e)
{
  if (G_UNLIKELY (engine->heap_len == engine->heap_cap)) {
    engine->heap_cap = MAX (HEAP_MIN_CAPACITY, engine->heap_cap * 2);
    engine->heap = g_renew (HeapEntry, engine->heap, engine->heap_cap);
  }
  heap_sift_up (engine->heap, engine->heap_len++, e);
}

/* Halves the heap array while it is less than a quarter full, so a burst of
 * events does not pin its peak memory for the rest of the run. */
static void
heap_maybe_shrink (RsimEngine *engine)
{
  gsize cap = engine->heap_cap;
  while (cap > HEAP_MIN_CAPACITY && engine->heap_len < cap / 4)
    cap /= 2;
  if (cap != engine->heap_cap) {
    engine->heap_cap = cap;
    engine->heap = g_renew (HeapEntry, engine->heap, cap);
  }
}

/* Removes the top entry (the heap must not be empty), then gives memory back
 * once the array is less than a quarter full. */
static inline void
heap_pop (RsimEngine *engine)
{
  gsize n = --engine->heap_len;
  if (n > 0)
    heap_sift_down (engine->heap, n, 0, engine->heap[n]);
  if (G_UNLIKELY (n < engine->heap_cap / 4))
    heap_maybe_shrink (engine);
}

static inline void
slot_bump_generation (EventSlot *slot)
{
  if (G_UNLIKELY (++slot->gen == 0))
    slot->gen = 1;
}

static inline guint32
slot_alloc (RsimEngine *engine)
{
  guint32 s = engine->free_head;
  if (G_LIKELY (s != SLOT_NONE)) {
    engine->free_head = engine->slots[s].next_free;
    return s;
  }
  if (engine->slots_len == engine->slots_cap) {
    /* Slot indices must fit in the key's SLOT_BITS bits. */
    if (engine->slots_len >= SLOT_MASK)
      g_error ("rsim_engine: more than %u pending events", (guint) SLOT_MASK - 1);
    engine->slots_cap = MIN ((gsize) SLOT_MASK, MAX (64, engine->slots_cap * 2));
    engine->slots = g_renew (EventSlot, engine->slots, engine->slots_cap);
  }
  s = (guint32) engine->slots_len++;
  engine->slots[s] = (EventSlot) { .gen = 1, .next_free = SLOT_NONE };
  return s;
}

/* Puts slot s (func already NULL) on the free list. */
static inline void
slot_release (RsimEngine *engine, guint32 s)
{
  EventSlot *slot = &engine->slots[s];
  slot->data = NULL;
  slot->destroy = NULL;
  slot->next_free = engine->free_head;
  engine->free_head = s;
}

/* Pops cancelled entries off the top so the top is live (or the heap empty). */
static inline void
purge_top (RsimEngine *engine)
{
  while (engine->heap_len > 0) {
    guint32 s = key_slot (engine->heap[0].key);
    if (G_LIKELY (engine->slots[s].func != NULL))
      return;
    slot_release (engine, s);
    engine->n_cancelled--;
    heap_pop (engine);
  }
}

/* Drops every cancelled entry (releasing its slot) and keeps the live ones,
 * in their heap order, at the front of the array. */
static void
heap_drop_cancelled (RsimEngine *engine)
{
  HeapEntry *heap = engine->heap;
  gsize kept = 0;
  for (gsize i = 0; i < engine->heap_len; i++) {
    guint32 s = key_slot (heap[i].key);
    if (engine->slots[s].func != NULL)
      heap[kept++] = heap[i];
    else
      slot_release (engine, s);
  }
  engine->heap_len = kept;
  engine->n_cancelled = 0;
}

static inline void
maybe_compact (RsimEngine *engine)
{
  if (G_LIKELY (engine->n_cancelled * 2 <= engine->heap_len))
    return;
  heap_drop_cancelled (engine);
  heap_build (engine->heap, engine->heap_len);
  heap_maybe_shrink (engine);
}

static int
compare_entries (const void *a, const void *b)
{
  const HeapEntry *x = a, *y = b;
  if (entry_before (x, y))
    return -1;
  return entry_before (y, x) ? 1 : 0;
}

/* Called when the sequence numbers run out: sorts the live entries and gives
 * them the sequence numbers 0..n-1 in that order, which keeps every relative
 * order and leaves a valid heap (a sorted array is one). */
static void
renumber (RsimEngine *engine)
{
  heap_drop_cancelled (engine);
  qsort (engine->heap, engine->heap_len, sizeof (HeapEntry), compare_entries);
  for (gsize i = 0; i < engine->heap_len; i++)
    engine->heap[i].key = make_key (i, key_slot (engine->heap[i].key));
  engine->next_seq = engine->heap_len;
}

RsimEngine *
rsim_engine_new (guint64 seed)
{
  RsimEngine *engine = g_new0 (RsimEngine, 1);
  engine->seed = seed;
  engine->free_head = SLOT_NONE;
  engine->event_limit = G_MAXUINT64;
  engine->rngs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) rsim__rng_free);
  return engine;
}

void
rsim_engine_free (RsimEngine *engine)
{
  if (engine == NULL)
    return;
  /* Pending payloads are destroyed in slot order, which is deterministic.
   * Each slot is cleared before its destroy function runs. */
  for (gsize s = 0; s < engine->slots_len; s++) {
    EventSlot *slot = &engine->slots[s];
    if (slot->func == NULL)
      continue;
    GDestroyNotify destroy = slot->destroy;
    gpointer data = slot->data;
    slot->func = NULL;
    if (destroy != NULL)
      destroy (data);
  }
  g_hash_table_unref (engine->rngs);
  g_free (engine->heap);
  g_free (engine->slots);
  g_free (engine);
}

RsimTime
rsim_engine_now (const RsimEngine *engine)
{
  g_return_val_if_fail (engine != NULL, 0);
  return engine->now;
}

guint64
rsim_engine_seed (const RsimEngine *engine)
{
  g_return_val_if_fail (engine != NULL, 0);
  return engine->seed;
}

static RsimEventId
schedule_with_seq (RsimEngine *engine, RsimTime at, guint64 seq,
                   RsimEventFunc func, gpointer data, GDestroyNotify destroy)
{
  guint32 s = slot_alloc (engine);
  EventSlot *slot = &engine->slots[s];
  slot->func = func;
  slot->data = data;
  slot->destroy = destroy;
  heap_push (engine, (HeapEntry) { at, make_key (seq, s) });
  return ((guint64) slot->gen << 32) | s;
}

RsimEventId
rsim_engine_schedule_at (RsimEngine *engine, RsimTime at, RsimEventFunc func,
                         gpointer data, GDestroyNotify destroy)
{
  g_return_val_if_fail (engine != NULL, 0);
  g_return_val_if_fail (func != NULL, 0);
  g_return_val_if_fail (at >= engine->now, 0);

  if (G_UNLIKELY (engine->next_seq > SEQ_MAX))
    renumber (engine);
  return schedule_with_seq (engine, at, engine->next_seq++, func, data,
                            destroy);
}

RsimTicket
rsim_engine_reserve (RsimEngine *engine, guint32 n)
{
  g_return_val_if_fail (engine != NULL, 0);
  if (G_UNLIKELY (engine->next_seq + n > SEQ_MAX + 1))
    renumber (engine);
  RsimTicket first = engine->next_seq;
  engine->next_seq += n;
  return first;
}

RsimEventId
rsim_engine_schedule_ticket (RsimEngine *engine, RsimTime at,
                             RsimTicket ticket, RsimEventFunc func,
                             gpointer data, GDestroyNotify destroy)
{
  g_return_val_if_fail (engine != NULL, 0);
  g_return_val_if_fail (func != NULL, 0);
  g_return_val_if_fail (at >= engine->now, 0);
  g_return_val_if_fail (ticket < engine->next_seq, 0);
  return schedule_with_seq (engine, at, ticket, func, data, destroy);
}

RsimEventId
rsim_engine_schedule_in (RsimEngine *engine, RsimTime delay, RsimEventFunc func,
                         gpointer data, GDestroyNotify destroy)
{
  g_return_val_if_fail (engine != NULL, 0);
  g_return_val_if_fail (delay >= 0, 0);
  g_return_val_if_fail (delay <= RSIM_TIME_NEVER - engine->now, 0);
  return rsim_engine_schedule_at (engine, engine->now + delay, func, data,
                                  destroy);
}

/* The slot of a pending event's handle, or NULL if the handle is 0, stale,
 * already run or was never issued. */
static EventSlot *
lookup_pending (const RsimEngine *engine, RsimEventId id)
{
  guint64 s = id & G_MAXUINT32;
  guint32 gen = (guint32) (id >> 32);
  if (gen == 0 || s >= engine->slots_len)
    return NULL;
  EventSlot *slot = &engine->slots[s];
  if (slot->gen != gen || slot->func == NULL)
    return NULL;
  return slot;
}

gboolean
rsim_engine_cancel (RsimEngine *engine, RsimEventId id)
{
  g_return_val_if_fail (engine != NULL, FALSE);
  EventSlot *slot = lookup_pending (engine, id);
  if (slot == NULL)
    return FALSE;

  GDestroyNotify destroy = slot->destroy;
  gpointer data = slot->data;
  slot->func = NULL;
  slot->data = NULL;
  slot->destroy = NULL;
  slot_bump_generation (slot);
  engine->n_cancelled++;
  purge_top (engine);
  maybe_compact (engine);

  /* The engine is consistent again before foreign code runs. */
  if (destroy != NULL)
    destroy (data);
  return TRUE;
}

gboolean
rsim_engine_is_pending (const RsimEngine *engine, RsimEventId id)
{
  g_return_val_if_fail (engine != NULL, FALSE);
  return lookup_pending (engine, id) != NULL;
}

RsimTime
rsim_engine_next_time (const RsimEngine *engine)
{
  g_return_val_if_fail (engine != NULL, RSIM_TIME_NEVER);
  /* The top entry is never a cancelled one (see purge_top). */
  return engine->heap_len > 0 ? engine->heap[0].time : RSIM_TIME_NEVER;
}

/* Runs the top event (the heap must not be empty). The slot is released
 * before the callback runs, so a callback that reschedules itself reuses the
 * slot it just left, whose cache line is already loaded. */
static inline void
run_top (RsimEngine *engine)
{
  HeapEntry top = engine->heap[0];
  guint32 s = key_slot (top.key);
  EventSlot *slot = &engine->slots[s];
  RsimEventFunc func = slot->func;
  gpointer data = slot->data;
  GDestroyNotify destroy = slot->destroy;

  /* The payload is usually cold: start loading it while the heap is
   * reordered. */
  RSIM_PREFETCH (data);

  slot->func = NULL;
  slot_bump_generation (slot);
  slot_release (engine, s);
  heap_pop (engine);
  if (engine->n_cancelled > 0) {
    purge_top (engine);
    maybe_compact (engine);
  }
  /* Likewise the slots of the next event and of both candidates for the one
   * after it (the root's children), so each slot has about two events' time
   * to arrive before it is read. */
  for (gsize i = 0; i < 3 && i < engine->heap_len; i++)
    RSIM_PREFETCH (&engine->slots[key_slot (engine->heap[i].key)]);

  engine->now = top.time;
  engine->events_processed++;
  func (engine, data);
  if (destroy != NULL)
    destroy (data);
  if (G_UNLIKELY (engine->after_step != NULL))
    engine->after_step (engine, engine->after_step_data);
}

gboolean
rsim_engine_step (RsimEngine *engine)
{
  g_return_val_if_fail (engine != NULL, FALSE);
  if (engine->heap_len == 0)
    return FALSE;
  if (G_UNLIKELY (engine->events_processed >= engine->event_limit)) {
    engine->limit_reached = TRUE;
    return FALSE;
  }
  run_top (engine);
  return TRUE;
}

guint64
rsim_engine_run_until (RsimEngine *engine, RsimTime end)
{
  g_return_val_if_fail (engine != NULL, 0);
  g_return_val_if_fail (end >= engine->now, 0);

  guint64 ran = 0;
  engine->stopped = FALSE;
  while (engine->heap_len > 0 && engine->heap[0].time <= end) {
    /* The budget is spent and an event is still due: the clock stays at
     * the last event run, so the caller can tell how far the run got. */
    if (G_UNLIKELY (engine->events_processed >= engine->event_limit)) {
      engine->limit_reached = TRUE;
      return ran;
    }
    run_top (engine);
    ran++;
    if (G_UNLIKELY (engine->stopped))
      return ran;
  }
  engine->now = end;
  return ran;
}

void
rsim_engine_stop (RsimEngine *engine)
{
  g_return_if_fail (engine != NULL);
  engine->stopped = TRUE;
}

void
rsim_engine_set_event_limit (RsimEngine *engine, guint64 limit)
{
  g_return_if_fail (engine != NULL);
  engine->event_limit = limit == 0 ? G_MAXUINT64 : limit;
  engine->limit_reached = FALSE;
}

gboolean
rsim_engine_event_limit_reached (const RsimEngine *engine)
{
  g_return_val_if_fail (engine != NULL, FALSE);
  return engine->limit_reached;
}

void
rsim_engine_set_after_step (RsimEngine *engine, RsimEngineHook hook,
                            gpointer user_data)
{
  g_return_if_fail (engine != NULL);
  engine->after_step = hook;
  engine->after_step_data = hook != NULL ? user_data : NULL;
}

guint64
rsim_engine_events_processed (const RsimEngine *engine)
{
  g_return_val_if_fail (engine != NULL, 0);
  return engine->events_processed;
}

gsize
rsim_engine_pending_count (const RsimEngine *engine)
{
  g_return_val_if_fail (engine != NULL, 0);
  return engine->heap_len - engine->n_cancelled;
}

RsimRng *
rsim_engine_rng (RsimEngine *engine, const char *name)
{
  g_return_val_if_fail (engine != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  RsimRng *rng = g_hash_table_lookup (engine->rngs, name);
  if (rng == NULL) {
    rng = rsim__rng_new (engine->seed, name);
    /* The key is the stream's own copy of the name. */
    g_hash_table_insert (engine->rngs, (gpointer) rsim__rng_name (rng), rng);
  }
  return rng;
}

gsize
rsim__engine_heap_size (const RsimEngine *engine)
{
  g_return_val_if_fail (engine != NULL, 0);
  return engine->heap_len;
}

gsize
rsim__engine_heap_capacity (const RsimEngine *engine)
{
  g_return_val_if_fail (engine != NULL, 0);
  return engine->heap_cap;
}

gsize
rsim__engine_slot_count (const RsimEngine *engine)
{
  g_return_val_if_fail (engine != NULL, 0);
  return engine->slots_len;
}

void
rsim__engine_set_next_seq (RsimEngine *engine, guint64 next_seq)
{
  g_return_if_fail (engine != NULL);
  g_return_if_fail (next_seq <= SEQ_MAX + 1);
  g_return_if_fail (next_seq >= engine->next_seq);
  engine->next_seq = next_seq;
}
