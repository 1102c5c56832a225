/* Tests of the cluster's failure detection (sim/model/cluster.c), driven
 * directly: a TaskManager registered at 0 answers the JobManager's
 * heartbeat requests every heartbeat.interval (10 s); after it dies at
 * 123.4 s the JobManager drops it at the instant Flink would:
 *   - nothing answers (killed, or hung): last answer (120 s) +
 *     heartbeat.timeout (50 s) = 170 s;
 *   - the host refuses connections, 1.14+: the requests at 130 s and 140 s
 *     fail at once and the second reaches heartbeat.rpc-failure-threshold
 *     (2, FLINK-23209): 140 s; before 1.14 the timeout decides: 170 s;
 *   - a graceful stop, 1.15+: the TaskManager disconnects at once
 *     (FLINK-25277): 123.4 s; before, its host refuses connections. */
#include "test-model-fixture.h"

typedef struct {
  RsimEngine *engine;
  int lost;
  RsimTime lost_at;
  char *reason;
  int died;
} Seen;

static void
on_lost (gpointer user, RsimTaskManager *tm, const char *reason)
{
  Seen *s = user;
  s->lost++;
  s->lost_at = rsim_engine_now (s->engine);
  g_free (s->reason);
  s->reason = g_strdup (reason);
}

static void
on_died (gpointer user, RsimTaskManager *tm)
{
  ((Seen *) user)->died++;
}

typedef enum { KILL_SILENT, KILL_REFUSED, HANG, STOP } How;

typedef struct {
  RsimCluster *cl;
  How how;
} Act;

static void
act_cb (RsimEngine *engine, gpointer data)
{
  Act *a = data;
  RsimTaskManager *tm = rsim_cluster_get (a->cl, 0);
  switch (a->how) {
  case KILL_SILENT:
    rsim_cluster_kill (a->cl, tm, RSIM_KILL_RPC_TIMEOUT);
    break;
  case KILL_REFUSED:
    rsim_cluster_kill (a->cl, tm, RSIM_KILL_RPC_REFUSED);
    break;
  case HANG:
    rsim_cluster_hang (a->cl, tm);
    break;
  case STOP:
    rsim_cluster_stop (a->cl, tm);
    break;
  }
}

static RsimTime
detection (const char *version, How how, char **reason)
{
  World f;
  world_init (&f, version, RSIM_SHIP_HASH, 1, 1);
  Seen seen = { f.w.engine, 0, -1, NULL, 0 };
  const RsimClusterListener l = { .lost = on_lost, .died = on_died };
  rsim_cluster_subscribe (f.w.cluster, &l, &seen);
  Act a = { f.w.cluster, how };
  rsim_engine_schedule_at (f.w.engine, 123400000, act_cb, &a, NULL);
  cr_expect_eq (rsim_slot_pool_registered (f.w.slots), 2);
  run_to (&f, 10 * RSIM_MIN);
  cr_expect_eq (seen.lost, 1, "%s", version);
  cr_expect_eq (rsim_slot_pool_registered (f.w.slots), 0);
  cr_expect_not (rsim_cluster_get (f.w.cluster, 0)->registered);
  *reason = seen.reason;
  RsimTime t = seen.lost_at;
  world_clear (&f);
  return t;
}

Test (cluster, killed_taskmanager_is_lost_at_the_heartbeat_timeout)
{
  char *why;
  cr_expect_eq (detection ("1.20", KILL_SILENT, &why), 170 * RSIM_SEC);
  cr_expect_str_eq (why, "heartbeat timeout");
  g_free (why);
  cr_expect_eq (detection ("1.20", HANG, &why), 170 * RSIM_SEC);
  g_free (why);
}

Test (cluster, refused_connections_reach_the_rpc_threshold_from_1_14)
{
  char *why;
  cr_expect_eq (detection ("1.14", KILL_REFUSED, &why), 140 * RSIM_SEC);
  cr_expect_str_eq (why, "2 consecutive heartbeat RPCs failed "
                    "(heartbeat.rpc-failure-threshold)");
  g_free (why);
  cr_expect_eq (detection ("1.13", KILL_REFUSED, &why), 170 * RSIM_SEC);
  cr_expect_str_eq (why, "heartbeat timeout");
  g_free (why);
}

Test (cluster, graceful_stop_is_noticed_at_once_from_1_15)
{
  char *why;
  cr_expect_eq (detection ("1.15", STOP, &why), 123400000);
  cr_expect_str_eq (why, "TaskManager disconnected on shutdown");
  g_free (why);
  cr_expect_eq (detection ("1.14", STOP, &why), 140 * RSIM_SEC);
  g_free (why);
  cr_expect_eq (detection ("1.13", STOP, &why), 170 * RSIM_SEC);
  g_free (why);
}

/* Subscribers hear each event in the order they subscribed. */
static void
order_a (gpointer user, RsimTaskManager *tm)
{
  g_string_append_c ((GString *) user, 'a');
}

static void
order_b (gpointer user, RsimTaskManager *tm)
{
  g_string_append_c ((GString *) user, 'b');
}

Test (cluster, subscribers_hear_events_in_order)
{
  World f;
  world_init (&f, "1.20", RSIM_SHIP_HASH, 1, 0);
  GString *log = g_string_new (NULL);
  const RsimClusterListener a = { .registered = order_a };
  const RsimClusterListener b = { .registered = order_b };
  rsim_cluster_subscribe (f.w.cluster, &a, log);
  rsim_cluster_subscribe (f.w.cluster, &b, log);
  rsim_cluster_start_taskmanagers (f.w.cluster, 2, 0, "test");
  cr_expect_str_eq (log->str, "abab");
  g_string_free (log, TRUE);
  world_clear (&f);
}
