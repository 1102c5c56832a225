/* Running one scenario (harness.h): the one place that opens a run writer,
 * runs the simulation into its sinks, builds report.json and commits the
 * files. `run`, `compare` and `sweep` call it, so the order of these steps
 * and what a failure leaves behind (nothing) are the same everywhere.
 *
 * The wall clock is read around the simulation for --stats; the figure is
 * handed back to the caller and never reaches a file. */
#include <rescalesim/harness.h>

#include "report/report-internal.h"

G_DEFINE_QUARK (rsim-harness-error-quark, rsim_harness_error)

void
rsim_harness_run_clear (RsimHarnessRun *run)
{
  if (run == NULL)
    return;
  g_clear_pointer (&run->result, rsim_result_free);
  g_clear_pointer (&run->report_json, g_free);
  run->wall_us = 0;
}

/* An error of the run writer (G_FILE_ERROR) as an output error. */
static void
output_error (GError **error, GError *inner)
{
  g_set_error_literal (error, RSIM_HARNESS_ERROR, RSIM_HARNESS_ERROR_OUTPUT,
                       inner->message);
  g_error_free (inner);
}

gboolean
rsim_harness_run_one (const RsimScenario *scenario,
                      const RsimSimConfig *config, const char *out_dir,
                      RsimHarnessRunFlags flags, RsimHarnessRun *out,
                      GError **error)
{
  g_return_val_if_fail (scenario != NULL && config != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  *out = (RsimHarnessRun) { 0 };

  GError *inner = NULL;
  g_autoptr (RsimRunWriter) writer = NULL;
  if (out_dir != NULL) {
    writer = rsim_run_writer_new (out_dir, &inner);
    if (writer == NULL) {
      output_error (error, inner);
      return FALSE;
    }
  }

  gint64 wall_start = g_get_monotonic_time ();
  g_autoptr (RsimResult) result =
    rsim_simulation_run (config, writer ? rsim_run_writer_sinks (writer)
                                        : NULL, error);
  gint64 wall_us = g_get_monotonic_time () - wall_start;
  if (result == NULL)
    return FALSE;

  g_autofree char *report = NULL;
  if (writer != NULL || (flags & RSIM_HARNESS_RUN_REPORT))
    report = rsim_report_build_json (scenario, config, result);
  if (writer != NULL && !rsim_run_writer_commit (writer, report, &inner)) {
    output_error (error, inner);
    return FALSE;
  }
  out->result = g_steal_pointer (&result);
  out->report_json = g_steal_pointer (&report);
  out->wall_us = wall_us;
  return TRUE;
}

char *
rsim_harness_path_component (const char *name)
{
  if (name == NULL || *name == '\0' || g_str_equal (name, ".")
      || g_str_equal (name, ".."))
    return g_strdup ("scenario");
  char *s = g_strdup (name);
  for (char *p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
      *p = '_';
  return s;
}
