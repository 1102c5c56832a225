/* Fuzz target: the `check` baseline reader and the report.json reader, as
 * `rescalesim check` uses them. The input is a baseline file, then
 * (after a FUZZ_SEPARATOR line) the report.json of one result directory;
 * both go through rsim_check_run(), and the report alone through
 * rsim_check_build_baseline(), whose output must read back and pass
 * against that report. Two inputs in corpus/baseline/regress-* once broke
 * that: a report repeating a summary key (now refused) and an integer of
 * 10^12 or more (now written with all its digits). */
#include "fuzz.h"

#include <rescalesim/harness.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *parts[2];
  gsize lengths[2];
  guint n = fuzz_split (data, size, parts, lengths, 2);
  const char *dir = fuzz_scratch_dir ();
  g_autofree char *result = g_build_filename (dir, "result", NULL);
  g_mkdir_with_parents (result, 0700);
  fuzz_put_file (dir, "baseline.json", parts[0], lengths[0]);
  fuzz_put_file (result, "report.json", n > 1 ? parts[1] : NULL,
                 n > 1 ? lengths[1] : 0);
  g_autofree char *baseline = g_build_filename (dir, "baseline.json", NULL);
  const char *dirs[] = { result };

  GError *error = NULL;
  RsimCheck *check = rsim_check_run (baseline, dirs, 1, &error);
  if (check == NULL) {
    g_assert (error != NULL && error->message[0] != '\0');
    g_clear_error (&error);
  } else {
    (void) rsim_check_passed (check);
    g_free (rsim_check_build_json (check));
    rsim_check_free (check);
  }

  char *built = rsim_check_build_baseline (dirs, 1, &error);
  if (built == NULL) {
    g_assert (error != NULL && error->message[0] != '\0');
    g_clear_error (&error);
    return 0;
  }
  /* A baseline built from a report reads back, and that report passes. */
  fuzz_put_file (dir, "baseline.json", built, strlen (built));
  g_free (built);
  check = rsim_check_run (baseline, dirs, 1, &error);
  g_assert (check != NULL);
  g_assert (rsim_check_passed (check));
  rsim_check_free (check);
  return 0;
}
