/* rescalesim: the scenario timeline: actions that act on the cluster and the
 * job from outside, at given simulated times.
 *
 * Concrete actions name exactly what happens (kill two TaskManagers, take a
 * savepoint and resubmit). The abstract "scale" intent is realised by each
 * scheduler its own way (scenarios/README.md, `timeline`):
 *   default  = stop-with-savepoint, then resubmit at the new parallelism with
 *              the TaskManagers it needs;
 *   adaptive = new resource requirements plus TaskManagers;
 *   reactive = TaskManagers only. */
#pragma once

#include <glib.h>
#include <rescalesim/cluster.h>
#include <rescalesim/costs.h>
#include <rescalesim/engine.h>
#include <rescalesim/flinkconf.h>
#include <rescalesim/version.h>
#include <rescalesim/workload.h>

G_BEGIN_DECLS

#define RSIM_ACTION_KIND_LIST(X)                      \
  X (ADD_TASKMANAGERS, "add_taskmanagers")            \
  X (STOP_TASKMANAGERS, "stop_taskmanagers")          \
  X (KILL_TASKMANAGERS, "kill_taskmanagers")          \
  X (HANG_TASKMANAGERS, "hang_taskmanagers")          \
  X (FAIL_TASK, "fail_task")                          \
  X (SET_RATE, "set_rate")                            \
  X (FAIL_CHECKPOINTS, "fail_checkpoints")            \
  X (STOP_WITH_SAVEPOINT, "stop_with_savepoint")      \
  X (FLINK_MODIFY, "flink_modify")                    \
  X (SCALE, "scale")                                  \
  X (SET_RESOURCE_REQUIREMENTS, "set_resource_requirements") \
  X (UPDATE_DEPLOYMENT, "update_deployment")           \
  X (SUBMIT, "submit")                                 \
  X (UPGRADE_FLINK, "upgrade_flink")                   \
  X (BLUE_GREEN, "blue_green")

typedef enum {
#define RSIM_X(id, name) RSIM_ACTION_##id,
  RSIM_ACTION_KIND_LIST (RSIM_X)
#undef RSIM_X
} RsimActionKind;

const char *rsim_action_kind_name (RsimActionKind kind);

#define RSIM_CHECKPOINT_TARGET_LIST(X) \
  X (ANY, "any")                       \
  X (CHECKPOINT, "checkpoint")         \
  X (SAVEPOINT, "savepoint")

typedef enum {
#define RSIM_X(id, name) RSIM_CHECKPOINT_TARGET_##id,
  RSIM_CHECKPOINT_TARGET_LIST (RSIM_X)
#undef RSIM_X
} RsimCheckpointTarget;

const char *rsim_checkpoint_target_name (RsimCheckpointTarget target);

/* What a submitted job restores: the newest savepoint, the newest retained
 * checkpoint of the previous job, the newer of the two, or nothing. */
#define RSIM_SUBMIT_FROM_LIST(X)                  \
  X (LATEST_SAVEPOINT, "latest_savepoint")        \
  X (LATEST_CHECKPOINT, "latest_checkpoint")      \
  X (LATEST_STATE, "latest_state")                \
  X (EMPTY, "empty")

typedef enum {
#define RSIM_X(id, name) RSIM_SUBMIT_FROM_##id,
  RSIM_SUBMIT_FROM_LIST (RSIM_X)
#undef RSIM_X
} RsimSubmitFrom;

const char *rsim_submit_from_name (RsimSubmitFrom from);

typedef struct {
  RsimTime at;
  RsimActionKind kind;
  /* add/stop/kill/hang_taskmanagers: how many. fail_checkpoints: how many
   * of the next attempts fail. */
  int count;
  /* stop/kill/hang: explicit TaskManager ids (ids count from 0 in
   * registration order); NULL means the most recently started ones. */
  int *taskmanager_ids;
  guint n_taskmanager_ids;
  RsimKillRpc kill_rpc;               /* kill_taskmanagers */
  /* fail_task: the vertex (index) and subtask. */
  int vertex;
  int subtask;
  /* set_rate: the new input profile from this time on (times in the profile
   * are absolute simulated times). */
  RsimRateSpec rate;
  RsimCheckpointTarget checkpoint_target;  /* fail_checkpoints */
  /* scale, flink_modify, stop_with_savepoint (resubmit), update_deployment
   * (a changed Ververica Platform Deployment): the new parallelism
   * per vertex (n_vertices entries); NULL for stop_with_savepoint means stop
   * for good. */
  int *parallelism;
  guint n_parallelism;
  /* set_resource_requirements (FLIP-291, PUT /jobs/:jobid/resource-
   * requirements): per vertex lower and upper bound (n_vertices entries);
   * -1 = Flink's default, RSIM_BOUND_MISSING = the vertex was not listed.
   * Checked when the request arrives, as Flink's REST handler does. */
  int *lower_bounds;
  int *upper_bounds;
  guint n_bounds;
  /* submit: what the job restores, and whether a fresh cluster is started
   * for it (the old TaskManagers stop; the JobManager starts after the
   * jobmanager_startup cost, then `count` TaskManagers after their
   * start-up cost; count 0 = as many as the job's slots need). The job is
   * submitted at `parallelism` (NULL: unchanged). */
  RsimSubmitFrom submit_from;
  gboolean new_cluster;
  /* upgrade_flink, and blue_green with a "version": the Flink version
   * after the upgrade, with the scenario's configuration and costs
   * resolved for it (its defaults and rules); upgrade_flink = NULL for a
   * blue_green that keeps the version. blue_green also uses `parallelism`
   * and `count` (green TaskManagers; 0 = as many as the job needs). */
  RsimFlinkVersion upgrade_version;
  RsimFlinkConf *upgrade_flink;
  RsimCosts *upgrade_costs;
} RsimAction;

void rsim_action_clear (RsimAction *action);
void rsim_action_copy (RsimAction *dst, const RsimAction *src);

G_END_DECLS
