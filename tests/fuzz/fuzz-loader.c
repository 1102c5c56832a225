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

static gboolean
small_enough (const RsimSimConfig *c)
{
  int tasks = 0;
  for (guint v = 0; v < c->job.n_vertices; v++)
    tasks += c->job.vertices[v].parallelism;
  for (guint i = 0; i < c->n_timeline; i++)
    if (c->timeline[i].count > FUZZ_MAX_TASKMANAGERS)
      return FALSE;
  return tasks <= FUZZ_MAX_TASKS
         && c->cluster.taskmanagers <= FUZZ_MAX_TASKMANAGERS;
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
