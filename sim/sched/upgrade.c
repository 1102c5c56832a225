/* What a cancel-based platform upgrade restores (shared by the schedulers).
 *
 * The Kubernetes operator's last-state mode keeps the job's HA metadata and
 * resumes from the latest checkpoint, falling back to the savepoint the job
 * was started from (flink-kubernetes-operator: AbstractJobReconciler with
 * UpgradeMode.LAST_STATE). Ververica Platform's restore strategies
 * (docs.ververica.com, "Deployment upgrades"): LATEST_STATE is the latest
 * savepoint of any
 * origin, retained checkpoints included; LATEST_SAVEPOINT excludes
 * retained checkpoints; NONE starts from empty state. */
#include "sched/sched.h"

static const RsimSnapshot *
newer (const RsimSnapshot *a, const RsimSnapshot *b)
{
  if (b == NULL || !b->valid)
    return a;
  if (a == NULL || !a->valid || b->barrier > a->barrier)
    return b;
  return a;
}

const RsimSnapshot *
rsim__upgrade_restore_snapshot (RsimWorld *world, RsimUpgradeHow how,
                                const RsimSnapshot *job_state)
{
  RsimCheckpointCoordinator *cc = world->checkpoints;
  const RsimSnapshot *pick = NULL;
  switch (how) {
  case RSIM_UPGRADE_CANCEL_LAST_STATE:
    pick = newer (newer (NULL, &cc->latest), &cc->latest_savepoint);
    pick = newer (pick, job_state);
    break;
  case RSIM_UPGRADE_CANCEL_LATEST_SAVEPOINT:
    pick = newer (NULL, &cc->latest_savepoint);
    if (job_state && job_state->savepoint)
      pick = newer (pick, job_state);
    break;
  case RSIM_UPGRADE_CANCEL_EMPTY:
  case RSIM_UPGRADE_STOP_WITH_SAVEPOINT:
  case RSIM_UPGRADE_SAVEPOINT_THEN_CANCEL:
    break;
  }
  return pick != NULL && pick->valid ? pick : NULL;
}

void
rsim__upgrade_set_restore (RsimWorld *world, RsimSnapshot *dst,
                           const RsimSnapshot *from)
{
  RsimSnapshot copy = { 0 };
  if (from)
    rsim_snapshot_copy (&copy, from);
  rsim_snapshot_clear (dst);
  if (from) {
    *dst = copy;              /* takes over copy's arrays */
    return;
  }
  /* Empty state: the sources go on from where they are now. */
  rsim_metrics_advance (world->metrics, rsim_engine_now (world->engine));
  dst->total_offset = rsim_dataflow_total_consumed (world->flow);
  dst->layout = G_MAXUINT;
}

void
rsim__note_discard (RsimWorld *world, const RsimSnapshot *restore,
                    const char *why)
{
  const RsimJobGraph *g = world->graph;
  double state = 0.0;
  for (guint v = 0; v < g->n_vertices; v++)
    state += g->spec.vertices[v].state_bytes;
  if ((restore != NULL && restore->valid) || state <= 0.0)
    return;
  rsim__recorder_state_discarded (world->recorder, state, why);
}

void
rsim__upgrade_note_discard (RsimWorld *world, const RsimSnapshot *restore,
                            RsimUpgradeHow how)
{
  rsim__note_discard (world, restore, how == RSIM_UPGRADE_CANCEL_EMPTY
                      ? "the upgrade restores no state (stateless upgrade or "
                        "restore strategy NONE)"
                      : "the upgrade found no savepoint to restore");
}
