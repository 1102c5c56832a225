/* A random small scenario for the test suites (seeded by the caller):
 * 2-6 TaskManagers of 1-2 slots, a keyed or forward job of two vertices,
 * Flink 1.13-1.20, random heartbeat settings and RPC-failure thresholds,
 * standalone or active resource managers, sometimes MTBF failures, and 1-5
 * kills (RPCs timing out or refused), hangs, graceful stops or added
 * TaskManagers at arbitrary microseconds. Used by the heartbeat-model
 * equivalence and the invariant suites. */
#pragma once

#include <string.h>

#include <glib.h>
#include <rescalesim/simulation.h>

/* One random small scenario (JSON text). */
static G_GNUC_UNUSED char *
random_scenario (GRand *r, guint index, RsimSchedulerKind *scheduler)
{
  static const char *const versions[] = { "1.13", "1.14", "1.15", "1.18", "1.20" };
  const char *version = versions[g_rand_int_range (r, 0, G_N_ELEMENTS (versions))];
  gboolean modern = strcmp (version, "1.14") >= 0;
  int tms = g_rand_int_range (r, 2, 7);
  int slots = g_rand_int_range (r, 1, 3);
  int spare = g_rand_int_range (r, 0, 3);
  int p = CLAMP (tms * slots - spare, 1, 8);
  gboolean active = g_rand_boolean (r);
  int sched = g_rand_int_range (r, 0, 3);
  if (sched == 2 && active)
    sched = 1;                   /* reactive: standalone */
  *scheduler = sched == 0 ? RSIM_SCHEDULER_DEFAULT
             : sched == 1 ? RSIM_SCHEDULER_ADAPTIVE : RSIM_SCHEDULER_REACTIVE;
  RsimTime interval = g_rand_int_range (r, 500, 10001) * RSIM_MSEC
    + g_rand_int_range (r, 0, 1000);
  RsimTime timeout = interval * g_rand_int_range (r, 1, 6)
    + g_rand_int_range (r, 0, (gint32) (interval / RSIM_MSEC)) * RSIM_MSEC;
  RsimTime duration = g_rand_int_range (r, 3, 16) * RSIM_MIN;
  GString *j = g_string_new (NULL);
  g_string_append_printf (j,
    "{ \"name\": \"random-%u\", \"duration\": \"%" G_GINT64_FORMAT " us\",\n"
    "  \"seed\": %u,\n"
    "  \"flink\": { \"version\": \"%s\", \"config\": {\n"
    "    \"taskmanager.numberOfTaskSlots\": %d,\n"
    "    \"execution.checkpointing.interval\": \"%d s\",\n"
    "    \"heartbeat.interval\": \"%" G_GINT64_FORMAT " us\",\n"
    "    \"heartbeat.timeout\": \"%" G_GINT64_FORMAT " us\"",
    index, duration, g_rand_int (r), version, slots,
    g_rand_int_range (r, 5, 60), interval, timeout);
  if (modern)
    g_string_append_printf (j, ",\n    \"heartbeat.rpc-failure-threshold\": %d",
                            g_rand_int_range (r, 1, 4));
  g_string_append_printf (j,
    " } },\n"
    "  \"cluster\": { \"taskmanagers\": %d, \"resource_manager\": \"%s\" },\n"
    "  \"job\": { \"vertices\": [\n"
    "    { \"name\": \"source\", \"parallelism\": %d, \"capacity\": \"2000 rec/s\" },\n"
    "    { \"name\": \"sink\", \"parallelism\": %d, \"capacity\": \"1500 rec/s\", "
    "\"state\": \"%d MB\" } ],\n"
    "    \"edges\": [ { \"from\": \"source\", \"to\": \"sink\", \"ship\": \"%s\" } ] },\n"
    "  \"workload\": { \"rate\": \"%d rec/s\" },\n",
    tms, active ? "active" : "standalone", p, p, g_rand_int_range (r, 1, 500),
    g_rand_boolean (r) ? "hash" : "forward", g_rand_int_range (r, 100, 3000));
  if (g_rand_int_range (r, 0, 4) == 0)
    g_string_append_printf (j, "  \"failures\": { \"taskmanager_mtbf\": \"%d min\" },\n",
                            g_rand_int_range (r, 2, 30));
  g_string_append (j, "  \"timeline\": [");
  int n_actions = g_rand_int_range (r, 1, 6);
  RsimTime at = 0;
  for (int a = 0; a < n_actions; a++) {
    at += g_rand_int_range (r, 1, (gint32) (duration / RSIM_MSEC / n_actions)) * RSIM_MSEC
      + g_rand_int_range (r, 0, 1000);
    if (at >= duration)
      break;
    int kind = g_rand_int_range (r, 0, 5);
    int target = g_rand_int_range (r, 0, tms + 1);
    g_string_append_printf (j, "%s\n    { \"at\": \"%" G_GINT64_FORMAT " us\", ",
                            a ? "," : "", at);
    switch (kind) {
    case 0:
    case 1:
      g_string_append_printf (j, "\"action\": \"kill_taskmanagers\", "
                              "\"taskmanagers\": [%d], \"rpc\": \"%s\" }",
                              target, kind ? "refused" : "timeout");
      break;
    case 2:
      g_string_append_printf (j, "\"action\": \"hang_taskmanagers\", "
                              "\"taskmanagers\": [%d] }", target);
      break;
    case 3:
      g_string_append_printf (j, "\"action\": \"stop_taskmanagers\", "
                              "\"taskmanagers\": [%d] }", target);
      break;
    default:
      g_string_append (j, "\"action\": \"add_taskmanagers\", \"count\": 1 }");
      break;
    }
  }
  g_string_append (j, " ] }\n");
  return g_string_free (j, FALSE);
}

