/* What a cancel-based platform upgrade restores (shared by the schedulers).
 *
 * The Kubernetes operator's last-state mode keeps the job's HA metadata and
 * resumes from the latest checkpoint, falling back to the savepoint the job
 * was started from (flink-kubernetes-operator: AbstractJobReconciler with
 * UpgradeMode.LAST_STATE; flink-behaviour.md §7). Ververica Platform's
 * restore strategies (docs.ververica.com, "Deployment upgrades";
 * flink-behaviour.md §8): LATEST_STATE is the latest savepoint of any
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
