/* Stochastic failures: TaskManager crashes drawn from a time-to-failure
 * distribution and random checkpoint failures (the scenario's "failures"
 * block, include/rescalesim/failures.h).
 *
 * Each TaskManager gets one time to failure when it registers, drawn from
 * its own stream "failures.tm.<id>": how many TaskManagers exist, or when
 * they start, never shifts another TaskManager's draw. The crash is an
 * event at registration + time to failure; when it fires and the process
 * still runs, the TaskManager is killed (rpc "timeout"). A replacement
 * (active resource manager, or a timeline action) is a new TaskManager with
 * a new id and its own draw. Checkpoint failures are drawn by the
 * checkpoint coordinator (failure_probability), set here.
 *
 * The state hangs off an event scheduled at RSIM_TIME_NEVER that never
 * runs: the engine frees it when the run's engine is freed. */
#include "control/failures.h"

#include <math.h>

const char *
rsim_mtbf_kind_name (RsimMtbfKind kind)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_MTBF_KIND_LIST (RSIM_X)
#undef RSIM_X
  };
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (names), "?");
  return names[kind];
}

double
rsim_mtbf_sample (const RsimMtbf *mtbf, RsimRng *rng)
{
  switch (mtbf->kind) {
  case RSIM_MTBF_CONSTANT:
    return mtbf->a;
  case RSIM_MTBF_EXPONENTIAL:
    return rsim_rng_exponential (rng, mtbf->a);
  case RSIM_MTBF_WEIBULL:
    return rsim_rng_weibull (rng, mtbf->a, mtbf->b);
  case RSIM_MTBF_LOGNORMAL:
    return rsim_rng_lognormal (rng, log (mtbf->a), mtbf->b);
  case RSIM_MTBF_NONE:
  default:
    return INFINITY;
  }
}

double
rsim_mtbf_mean (const RsimMtbf *mtbf)
{
  switch (mtbf->kind) {
  case RSIM_MTBF_CONSTANT:
  case RSIM_MTBF_EXPONENTIAL:
    return mtbf->a;
  case RSIM_MTBF_WEIBULL:
    return mtbf->a * tgamma (1.0 + 1.0 / mtbf->b);
  case RSIM_MTBF_LOGNORMAL:
    return mtbf->a * exp (mtbf->b * mtbf->b / 2.0);
  case RSIM_MTBF_NONE:
  default:
    return INFINITY;
  }
}

gboolean
rsim_failure_spec_enabled (const RsimFailureSpec *spec)
{
  return spec->taskmanager_mtbf.kind != RSIM_MTBF_NONE
    || spec->checkpoint_failure_probability > 0.0
    || spec->pause_interval.kind != RSIM_MTBF_NONE;
}

typedef struct {
  RsimWorld *world;
  RsimMtbf mtbf;
  RsimMtbf pause_interval;
  RsimMtbf pause_duration;
  RsimFailureHooks hooks;
  /* TaskManager ids whose crash / pauses are armed: a TaskManager that
   * registers again (after a pause got it removed) keeps its draws. */
  GHashTable *armed_crash;
  GHashTable *armed_pause;
} Failures;

typedef struct {
  Failures *f;
  int id;
} CrashRef;

static void
crash_cb (RsimEngine *engine, gpointer data)
{
  CrashRef *ref = data;
  Failures *f = ref->f;
  RsimWorld *w = f->world;
  RsimTaskManager *tm = rsim_cluster_get (w->cluster, ref->id);
  if (tm == NULL || tm->process != RSIM_TM_RUNNING)
    return;                     /* already stopped, killed or hung */
  g_autofree char *cause =
    g_strdup_printf ("taskmanager %d crashed (failures.taskmanager_mtbf)",
                     tm->id);
  RSIM_LOG (w, "failures", "taskmanager_crash", "%s", cause);
  if (f->hooks.kill_taskmanager != NULL) {
    f->hooks.kill_taskmanager (f->hooks.user, tm, cause);
  } else {
    rsim_recorder_cause (w->recorder, "%s", cause);
    rsim_cluster_kill (w->cluster, tm, RSIM_KILL_RPC_TIMEOUT);
  }
}

static void
arm_crash (Failures *f, RsimTaskManager *tm)
{
  RsimEngine *e = f->world->engine;
  g_autofree char *stream = g_strdup_printf ("failures.tm.%d", tm->id);
  double ttf = rsim_mtbf_sample (&f->mtbf, rsim_engine_rng (e, stream));
  RsimTime now = rsim_engine_now (e);
  /* Times beyond the representable range never come. */
  if (!(ttf < (double) (RSIM_TIME_NEVER - now) - 1.0))
    return;
  RsimTime delay = MAX ((RsimTime) llround (ttf), 1);
  CrashRef *ref = g_new (CrashRef, 1);
  ref->f = f;
  ref->id = tm->id;
  rsim_engine_schedule_in (e, delay, crash_cb, ref, g_free);
}

/* ------------------------------------------------------------- pauses */

typedef struct {
  Failures *f;
  int id;
  char *cause;                  /* set while the pause runs */
} PauseRef;

static void
pause_ref_free (gpointer p)
{
  PauseRef *ref = p;
  g_free (ref->cause);
  g_free (ref);
}

static void schedule_pause (Failures *f, int id, RsimTime after);

/* The pause is over: a cause nobody used (the pause went unnoticed) is
 * withdrawn, and the next pause is drawn. */
static void
pause_over_cb (RsimEngine *engine, gpointer data)
{
  PauseRef *ref = data;
  Failures *f = ref->f;
  rsim_recorder_withdraw_cause (f->world->recorder, ref->cause);
  RsimTaskManager *tm = rsim_cluster_get (f->world->cluster, ref->id);
  if (tm != NULL && tm->process == RSIM_TM_RUNNING)
    schedule_pause (f, ref->id, 0);
}

static void
pause_cb (RsimEngine *engine, gpointer data)
{
  PauseRef *ref = data;
  Failures *f = ref->f;
  RsimWorld *w = f->world;
  RsimTaskManager *tm = rsim_cluster_get (w->cluster, ref->id);
  if (tm == NULL || tm->process != RSIM_TM_RUNNING)
    return;                     /* stopped, killed or hung: no more pauses */
  g_autofree char *stream = g_strdup_printf ("failures.pause.%d", ref->id);
  double d = rsim_mtbf_sample (&f->pause_duration,
                               rsim_engine_rng (w->engine, stream));
  RsimTime len = MAX ((RsimTime) llround (MIN (d, 1e15)), 1);
  PauseRef *over = g_new0 (PauseRef, 1);
  over->f = f;
  over->id = ref->id;
  over->cause = g_strdup_printf ("taskmanager %d paused for %.3f s "
                                 "(failures.pause_duration)", ref->id,
                                 RSIM_TIME_TO_SEC (len));
  RSIM_LOG (w, "failures", "taskmanager_pause", "%s", over->cause);
  /* If the JobManager gives up on it, the outage is this pause's. */
  rsim_recorder_cause (w->recorder, "%s", over->cause);
  rsim_cluster_pause (w->cluster, tm, len);
  rsim_engine_schedule_in (engine, len, pause_over_cb, over, pause_ref_free);
}

/* The next pause of TaskManager `id`, `after` + a drawn interval from now. */
static void
schedule_pause (Failures *f, int id, RsimTime after)
{
  RsimEngine *e = f->world->engine;
  g_autofree char *stream = g_strdup_printf ("failures.pause.%d", id);
  double gap = rsim_mtbf_sample (&f->pause_interval, rsim_engine_rng (e, stream));
  RsimTime now = rsim_engine_now (e);
  if (!(gap < (double) (RSIM_TIME_NEVER - now - after) - 1.0))
    return;
  PauseRef *ref = g_new0 (PauseRef, 1);
  ref->f = f;
  ref->id = id;
  rsim_engine_schedule_in (e, after + MAX ((RsimTime) llround (gap), 1),
                           pause_cb, ref, pause_ref_free);
}

static gboolean
arm_once (GHashTable *armed, int id)
{
  if (g_hash_table_contains (armed, GINT_TO_POINTER (id + 1)))
    return FALSE;
  g_hash_table_add (armed, GINT_TO_POINTER (id + 1));
  return TRUE;
}

static void
on_registered (gpointer user, RsimTaskManager *tm)
{
  Failures *f = user;
  if (f->mtbf.kind != RSIM_MTBF_NONE && arm_once (f->armed_crash, tm->id))
    arm_crash (f, tm);
  if (f->pause_interval.kind != RSIM_MTBF_NONE
      && arm_once (f->armed_pause, tm->id))
    schedule_pause (f, tm->id, 0);
}

/* Never runs: the event only carries the state to the engine's end. */
static void
keep_cb (RsimEngine *engine, gpointer data)
{
}

static void
failures_free (gpointer p)
{
  Failures *f = p;
  g_hash_table_unref (f->armed_crash);
  g_hash_table_unref (f->armed_pause);
  g_free (f);
}

void
rsim__failures_start (RsimWorld *world, const RsimSimConfig *config,
                      const RsimFailureHooks *hooks)
{
  g_return_if_fail (world != NULL && config != NULL);
  const RsimFailureSpec *spec = &config->failures;
  if (!rsim_failure_spec_enabled (spec))
    return;
  world->checkpoints->failure_probability =
    CLAMP (spec->checkpoint_failure_probability, 0.0, 1.0);
  if (spec->taskmanager_mtbf.kind == RSIM_MTBF_NONE
      && spec->pause_interval.kind == RSIM_MTBF_NONE)
    return;
  Failures *f = g_new0 (Failures, 1);
  f->world = world;
  f->mtbf = spec->taskmanager_mtbf;
  f->pause_interval = spec->pause_interval;
  f->pause_duration = spec->pause_duration;
  f->armed_crash = g_hash_table_new (NULL, NULL);
  f->armed_pause = g_hash_table_new (NULL, NULL);
  if (hooks != NULL)
    f->hooks = *hooks;
  RsimCluster *cl = world->cluster;
  const RsimClusterListener listener = { .registered = on_registered };
  rsim_cluster_subscribe (cl, &listener, f);
  rsim_engine_schedule_at (world->engine, RSIM_TIME_NEVER, keep_cb, f,
                           failures_free);
  /* TaskManagers registered before this call get their draw now. */
  for (guint i = 0; i < cl->tms->len; i++) {
    RsimTaskManager *tm = cl->tms->pdata[i];
    if (tm != NULL && tm->registered && tm->process == RSIM_TM_RUNNING)
      on_registered (f, tm);
  }
}
