/* The slot pool: which registered slot holds what.
 *
 * The JobManager's view of slots (flink-runtime/.../jobmaster/slotpool/
 * DeclarativeSlotPool): a TaskManager's slots join the pool when it
 * registers and leave it when it is declared lost or disconnects. A
 * scheduler reserves a slot for one of its shared slots (an owner id) and
 * releases it again. Counts of registered and used slots are kept as
 * counters, so asking for them costs nothing. Slots are handed out lowest
 * TaskManager id first, lowest slot index first, so a run is reproducible.
 *
 * Each TaskManager's books also say since when none of its slots is held
 * (from the engine's clock when the pool has one), for the resource
 * manager's idle release.
 *
 * The pool only keeps books: it calls no other part of the model, but it
 * tells its observer (the metrics integrator, which integrates the
 * slot-seconds used and idle up to now) before the number of used slots
 * changes, as the data flow and the cluster do before theirs. */
#include "model/model.h"

typedef struct {
  int n_slots;
  int n_used;
  int *owner;                  /* per slot: owner id, or -1 */
  RsimTime idle_since;         /* meaningful while n_used == 0 */
  gboolean ever_used;          /* a slot was held since it registered */
} PoolTm;

struct RsimSlotPool {
  GPtrArray *tms;              /* PoolTm* by TaskManager id; NULL = absent */
  int registered;
  int used;
  guint first_free;            /* no TaskManager below this id has a free slot */
  int idle_tms;                /* TaskManagers none of whose slots is held */
  void (*before_change) (gpointer user);
  gpointer user;
  RsimEngine *clock;           /* NULL: every idle time is 0 */
};

void
rsim_slot_pool_observe (RsimSlotPool *pool, void (*before_change) (gpointer),
                        gpointer user)
{
  pool->before_change = before_change;
  pool->user = user;
}

static void
changing (RsimSlotPool *pool)
{
  if (pool->before_change)
    pool->before_change (pool->user);
}

static RsimTime
now (const RsimSlotPool *pool)
{
  return pool->clock != NULL ? rsim_engine_now (pool->clock) : 0;
}

void
rsim_slot_pool_set_clock (RsimSlotPool *pool, RsimEngine *engine)
{
  pool->clock = engine;
}

RsimSlotPool *
rsim_slot_pool_new (void)
{
  RsimSlotPool *pool = g_new0 (RsimSlotPool, 1);
  pool->tms = g_ptr_array_new ();
  return pool;
}

static void
pool_tm_free (PoolTm *t)
{
  if (t == NULL)
    return;
  g_free (t->owner);
  g_free (t);
}

void
rsim_slot_pool_free (RsimSlotPool *pool)
{
  if (pool == NULL)
    return;
  for (guint i = 0; i < pool->tms->len; i++)
    pool_tm_free (pool->tms->pdata[i]);
  g_ptr_array_unref (pool->tms);
  g_free (pool);
}

static PoolTm *
get (const RsimSlotPool *pool, int tm)
{
  if (tm < 0 || (guint) tm >= pool->tms->len)
    return NULL;
  return pool->tms->pdata[tm];
}

void
rsim_slot_pool_add_tm (RsimSlotPool *pool, int tm, int n_slots)
{
  g_return_if_fail (tm >= 0 && get (pool, tm) == NULL && n_slots >= 0);
  if ((guint) tm >= pool->tms->len)
    g_ptr_array_set_size (pool->tms, tm + 1);
  PoolTm *t = g_new0 (PoolTm, 1);
  t->n_slots = n_slots;
  t->idle_since = now (pool);
  t->owner = g_new (int, MAX (n_slots, 1));
  for (int s = 0; s < n_slots; s++)
    t->owner[s] = -1;
  pool->tms->pdata[tm] = t;
  pool->registered += n_slots;
  pool->idle_tms++;
  if ((guint) tm < pool->first_free && n_slots > 0)
    pool->first_free = tm;
}

void
rsim_slot_pool_remove_tm (RsimSlotPool *pool, int tm)
{
  PoolTm *t = get (pool, tm);
  if (t == NULL)
    return;
  pool->registered -= t->n_slots;
  pool->idle_tms -= t->n_used == 0;
  pool->used -= t->n_used;
  pool_tm_free (t);
  pool->tms->pdata[tm] = NULL;
}

gboolean
rsim_slot_pool_has_tm (const RsimSlotPool *pool, int tm)
{
  return get (pool, tm) != NULL;
}

gboolean
rsim_slot_pool_reserve (RsimSlotPool *pool, int owner, RsimSlotRef *out)
{
  g_return_val_if_fail (owner >= 0 && out != NULL, FALSE);
  for (guint i = pool->first_free; i < pool->tms->len; i++) {
    PoolTm *t = pool->tms->pdata[i];
    if (t == NULL || t->n_used == t->n_slots)
      continue;
    pool->first_free = i;
    for (int s = 0; s < t->n_slots; s++)
      if (t->owner[s] < 0) {
        changing (pool);
        t->owner[s] = owner;
        pool->idle_tms -= t->n_used == 0;
        t->n_used++;
        t->ever_used = TRUE;
        pool->used++;
        out->tm = (int) i;
        out->slot = s;
        return TRUE;
      }
  }
  pool->first_free = pool->tms->len;
  return FALSE;
}

void
rsim_slot_pool_release (RsimSlotPool *pool, RsimSlotRef *ref, int owner)
{
  PoolTm *t = get (pool, ref->tm);
  if (t != NULL && ref->slot >= 0 && ref->slot < t->n_slots
      && t->owner[ref->slot] == owner) {
    changing (pool);
    t->owner[ref->slot] = -1;
    t->n_used--;
    pool->idle_tms += t->n_used == 0;
    pool->used--;
    if (t->n_used == 0)
      t->idle_since = now (pool);
    if ((guint) ref->tm < pool->first_free)
      pool->first_free = ref->tm;
  }
  ref->tm = ref->slot = -1;
}

int
rsim_slot_pool_registered (const RsimSlotPool *pool)
{
  return pool->registered;
}

int
rsim_slot_pool_used (const RsimSlotPool *pool)
{
  return pool->used;
}

int
rsim_slot_pool_free_slots (const RsimSlotPool *pool)
{
  return pool->registered - pool->used;
}

gboolean
rsim_slot_pool_tm_idle (const RsimSlotPool *pool, int tm)
{
  const PoolTm *t = get (pool, tm);
  return t == NULL || t->n_used == 0;
}

RsimTime
rsim_slot_pool_tm_idle_since (const RsimSlotPool *pool, int tm)
{
  const PoolTm *t = get (pool, tm);
  return t != NULL && t->n_used == 0 ? t->idle_since : -1;
}

int
rsim_slot_pool_idle_tms (const RsimSlotPool *pool)
{
  return pool->idle_tms;
}

gboolean
rsim_slot_pool_tm_ever_used (const RsimSlotPool *pool, int tm)
{
  const PoolTm *t = get (pool, tm);
  return t != NULL && t->ever_used;
}

int
rsim_slot_pool_tm_used (const RsimSlotPool *pool, int tm)
{
  const PoolTm *t = get (pool, tm);
  return t == NULL ? 0 : t->n_used;
}

int
rsim_slot_pool_owner (const RsimSlotPool *pool, RsimSlotRef ref)
{
  const PoolTm *t = get (pool, ref.tm);
  if (t == NULL || ref.slot < 0 || ref.slot >= t->n_slots)
    return -1;
  return t->owner[ref.slot];
}

gboolean
rsim_slot_pool_check (const RsimSlotPool *pool)
{
  int reg = 0, used = 0, idle = 0;
  for (guint i = 0; i < pool->tms->len; i++) {
    const PoolTm *t = pool->tms->pdata[i];
    if (t == NULL)
      continue;
    int n = 0;
    for (int s = 0; s < t->n_slots; s++)
      n += t->owner[s] >= 0;
    if (n != t->n_used)
      return FALSE;
    reg += t->n_slots;
    used += n;
    idle += n == 0;
  }
  return reg == pool->registered && used == pool->used && used <= reg
    && idle == pool->idle_tms;
}
