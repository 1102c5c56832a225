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
    || spec->checkpoint_failure_probability > 0.0;
}

typedef struct {
  RsimWorld *world;
  RsimMtbf mtbf;
  RsimFailureHooks hooks;
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

static void
on_registered (gpointer user, RsimTaskManager *tm)
{
  Failures *f = user;
  if (f->mtbf.kind != RSIM_MTBF_NONE)
    arm_crash (f, tm);
}

/* Never runs: the event only carries the state to the engine's end. */
static void
keep_cb (RsimEngine *engine, gpointer data)
{
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
  if (spec->taskmanager_mtbf.kind == RSIM_MTBF_NONE)
    return;
  Failures *f = g_new0 (Failures, 1);
  f->world = world;
  f->mtbf = spec->taskmanager_mtbf;
  if (hooks != NULL)
    f->hooks = *hooks;
  RsimCluster *cl = world->cluster;
  const RsimClusterListener listener = { .registered = on_registered };
  rsim_cluster_subscribe (cl, &listener, f);
  rsim_engine_schedule_at (world->engine, RSIM_TIME_NEVER, keep_cb, f, g_free);
  /* TaskManagers registered before this call get their draw now. */
  for (guint i = 0; i < cl->tms->len; i++) {
    RsimTaskManager *tm = cl->tms->pdata[i];
    if (tm != NULL && tm->registered && tm->process == RSIM_TM_RUNNING)
      arm_crash (f, tm);
  }
}
