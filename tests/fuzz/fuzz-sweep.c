/* Fuzz target: the sweep expansion (rsim_sweep_load_data) of a scenario
 * with a "sweep" block: the axes' paths, the substitution of each value,
 * every point loaded as a scenario, the seeds and the runs' identities. No
 * run is simulated. */
#include "fuzz.h"

#include <rescalesim/sweep.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GError *error = NULL;
  RsimSweep *sw = rsim_sweep_load_data ((const char *) data, size,
                                        "fuzz.json", &error);
  if (sw == NULL) {
    g_assert (error != NULL && error->message[0] != '\0');
    g_error_free (error);
    return 0;
  }
  guint n_axes = rsim_sweep_n_axes (sw);
  for (guint a = 0; a < n_axes; a++)
    g_assert (rsim_sweep_axis_name (sw, a) != NULL);
  guint n_points = rsim_sweep_n_points (sw);
  for (guint p = 0; p < n_points; p++) {
    const char *const *values = rsim_sweep_point_values (sw, p);
    for (guint a = 0; a < n_axes; a++)
      g_assert (values[a] != NULL);
    g_assert (rsim_sweep_point_scenario (sw, p) != NULL);
  }
  guint n_runs = rsim_sweep_n_runs (sw);
  g_assert (n_runs == n_points * rsim_sweep_seed_count (sw));
  /* The first and the last run's configuration. */
  for (guint r = 0; r < n_runs; r += MAX (n_runs - 1, 1)) {
    guint point;
    guint64 seed;
    rsim_sweep_run_identity (sw, r, &point, &seed);
    g_assert (point < n_points);
    RsimSimConfig cfg;
    rsim_sweep_run_config (sw, r, &cfg);
    g_assert (cfg.seed == seed);
    rsim_sim_config_clear (&cfg);
  }
  g_assert (rsim_sweep_hash (sw) != NULL);
  rsim_sweep_free (sw);
  return 0;
}
