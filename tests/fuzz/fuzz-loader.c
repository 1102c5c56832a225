/* Fuzz target: the scenario loader from a memory buffer, then, when the
 * scenario loads, a bounded simulation of it under its first scheduler and
 * the resolved configuration as JSON.
 *
 * The simulation is bounded so that one input runs in milliseconds: at most
 * 10 simulated minutes, at most 2000 samples, 200,000 events (the engine's
 * event budget: a run that needs more stops with an error, which is fine),
 * and no run at all for jobs or clusters larger than a few dozen tasks. The
 * bounds change only the copy that is run, never what the loader saw. */
#include "fuzz.h"

#include <rescalesim/scenario.h>

#define FUZZ_MAX_DURATION (10 * RSIM_MIN)
#define FUZZ_MAX_SAMPLES 2000
#define FUZZ_MAX_EVENTS 200000
#define FUZZ_MAX_TASKS 64
#define FUZZ_MAX_TASKMANAGERS 16

/* The job stays small all run long: tasks at the start and after every
 * rescale of the timeline, TaskManagers started, slots per TaskManager.
 * (The default scheduler's deployment is quadratic in the tasks: an input
 * rescaling to 8 x 10^5 tasks hung a run; see the corpus file
 * regress-timeout-scale-to-800k-tasks.) */
static gboolean
small_enough (const RsimSimConfig *c)
{
  g_autofree int *cur = g_new0 (int, MAX (c->job.n_vertices, 1));
  int tasks = 0, tms = c->cluster.taskmanagers;
  for (guint v = 0; v < c->job.n_vertices; v++)
    tasks += cur[v] = c->job.vertices[v].parallelism;
  for (guint i = 0; i < c->n_timeline && tasks <= FUZZ_MAX_TASKS; i++) {
    const RsimAction *a = &c->timeline[i];
    if (a->kind == RSIM_ACTION_ADD_TASKMANAGERS)
      tms += a->count;
    if (a->parallelism != NULL)
      for (guint v = 0; v < c->job.n_vertices; v++)
        if (a->parallelism[v] > 0) {
          tasks += a->parallelism[v] - cur[v];
          cur[v] = a->parallelism[v];
        }
  }
  return tasks <= FUZZ_MAX_TASKS && tms <= FUZZ_MAX_TASKMANAGERS
         && c->flink.slots_per_taskmanager <= FUZZ_MAX_TASKS;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GError *error = NULL;
  RsimScenario *sc = rsim_scenario_load_data ((const char *) data, size,
                                              "fuzz.json", &error);
  if (sc == NULL) {
    /* Every refusal says why. */
    g_assert (error != NULL && error->message[0] != '\0');
    g_error_free (error);
    return 0;
  }
  g_free (rsim_scenario_config_to_json (sc, &sc->config));
  if (small_enough (&sc->config)) {
    RsimSimConfig cfg;
    rsim_sim_config_copy (&cfg, &sc->config);
    cfg.duration = MIN (cfg.duration, FUZZ_MAX_DURATION);
    cfg.sample_interval = MAX (cfg.sample_interval,
                               cfg.duration / FUZZ_MAX_SAMPLES);
    cfg.max_events = FUZZ_MAX_EVENTS;
    RsimResult *res = rsim_simulation_run (&cfg, NULL, &error);
    g_assert (res != NULL || error != NULL);
    g_clear_error (&error);
    rsim_result_free (res);
    rsim_sim_config_clear (&cfg);
  }
  rsim_scenario_free (sc);
  return 0;
}
