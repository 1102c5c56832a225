/* A program that embeds the simulator through the installed library: built
 * by tests/install.sh with `pkg-config --cflags --libs rescalesim` only.
 * Loads a scenario, runs it under its first scheduler without writing
 * files, and prints the headline metrics as "downtime_s job_stops
 * final_state". */
#include <stdio.h>

#include <rescalesim/harness.h>
#include <rescalesim/scenario.h>

int
main (int argc, char **argv)
{
  if (argc != 2) {
    fprintf (stderr, "usage: embed SCENARIO\n");
    return 2;
  }
  GError *error = NULL;
  RsimScenario *scenario = rsim_scenario_load_file (argv[1], &error);
  if (scenario == NULL) {
    fprintf (stderr, "embed: %s\n", error->message);
    g_error_free (error);
    return 3;
  }
  RsimHarnessRun run = { 0 };
  if (!rsim_harness_run_one (scenario, &scenario->config, NULL,
                             RSIM_HARNESS_RUN_DEFAULT, &run, &error)) {
    fprintf (stderr, "embed: %s\n", error->message);
    g_error_free (error);
    rsim_scenario_free (scenario);
    return 1;
  }
  printf ("%.6f %u %s\n", run.result->downtime_s, run.result->job_stops,
          run.result->final_state);
  rsim_harness_run_clear (&run);
  rsim_scenario_free (scenario);
  return 0;
}
