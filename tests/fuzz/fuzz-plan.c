/* libFuzzer target: the plan importer (REST plans and "flink info" stream
 * graphs) and the calibration's REST readers on arbitrary bytes. Each must
 * return a result or an error and never crash. Seeds:
 * tests/fuzz/corpus/plan/. */
#include <stdint.h>
#include <stdlib.h>

#include <rescalesim/calibrate.h>
#include <rescalesim/import.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *text = (const char *) data;
  GError *error = NULL;
  char *sc = rsim_import_plan (text, size, "plan.json", NULL, NULL, &error);
  if ((sc == NULL) == (error == NULL))
    abort ();
  g_free (sc);
  g_clear_error (&error);
  RsimCalibration *cal = rsim_calibration_new ();
  if (rsim_calibration_add (cal, text, size, "rest.json", &error))
    rsim_calibration_fit (cal, NULL);
  g_clear_error (&error);
  rsim_calibration_free (cal);
  return 0;
}
