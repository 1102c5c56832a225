/* rescalesim: the cluster: ResourceManager, TaskManagers, slots, heartbeats.
 *
 * RsimClusterSpec is what a scenario gives. The runtime API (RsimCluster) is
 * used by the schedulers and the timeline. */
#pragma once

#include <glib.h>
#include <rescalesim/engine.h>

G_BEGIN_DECLS

#define RSIM_RM_MODE_LIST(X)      \
  X (STANDALONE, "standalone")    \
  X (ACTIVE, "active")

/* standalone: lost TaskManagers are not replaced. active (Kubernetes/YARN
 * native): the ResourceManager starts TaskManagers for unmet slot requests,
 * each after the TaskManager start-up cost. */
typedef enum {
#define RSIM_X(id, name) RSIM_RM_##id,
  RSIM_RM_MODE_LIST (RSIM_X)
#undef RSIM_X
} RsimRmMode;

const char *rsim_rm_mode_name (RsimRmMode mode);

typedef struct {
  int taskmanagers;          /* registered at time 0 */
  RsimRmMode rm_mode;
} RsimClusterSpec;

/* How a killed TaskManager's address behaves for RPCs (heartbeats, deploy
 * and cancel calls). */
#define RSIM_KILL_RPC_LIST(X) \
  X (TIMEOUT, "timeout")      \
  X (REFUSED, "refused")

/* timeout: nothing answers (a deleted Kubernetes pod); calls wait for the ask
 * timeout and only heartbeat.timeout detects the loss. refused: the host is up
 * and refuses connections; calls fail at once, so on 1.14+ the
 * heartbeat.rpc-failure-threshold also detects the loss. */
typedef enum {
#define RSIM_X(id, name) RSIM_KILL_RPC_##id,
  RSIM_KILL_RPC_LIST (RSIM_X)
#undef RSIM_X
} RsimKillRpc;

const char *rsim_kill_rpc_name (RsimKillRpc rpc);

G_END_DECLS
