/* Internal API of the stochastic failures (control layer): the one entry
 * point the simulation calls to arm the scenario's "failures" block. */
#pragma once

#include <rescalesim/simulation.h>

#include "model/model.h"

G_BEGIN_DECLS

/* How a TaskManager failure is carried out. */
typedef struct {
  gpointer user;
  /* Kills tm because of a stochastic crash; cause is the incident's cause
   * ("taskmanager 3 crashed (failures.taskmanager_mtbf)"). May be NULL: the
   * default names the cause with rsim_recorder_cause() and calls
   * rsim_cluster_kill (cluster, tm, RSIM_KILL_RPC_TIMEOUT). */
  void (*kill_taskmanager) (gpointer user, RsimTaskManager *tm,
                            const char *cause);
} RsimFailureHooks;

/* Arms config->failures in world. Call it once, after the cluster's
 * listener is installed and before the first TaskManager starts: it wraps
 * the listener's "registered" hook (forwarding every callback unchanged) to
 * give each TaskManager its time to failure when it registers, and sets the
 * checkpoint coordinator's failure_probability. Does nothing at all (no
 * event, no random stream) when no failure is configured. hooks may be
 * NULL; it is copied. The state lives until the engine is freed. */
void rsim__failures_start (RsimWorld *world, const RsimSimConfig *config,
                           const RsimFailureHooks *hooks);

G_END_DECLS
