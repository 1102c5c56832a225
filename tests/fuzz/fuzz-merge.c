/* Fuzz target: the merge of sweep shards (rsim_sweep_merge), as
 * `rescalesim merge` reads them. The input holds up to two shard
 * directories, each a shard.json and a sweep.csv, separated by
 * FUZZ_SEPARATOR lines: shard.json, sweep.csv[, shard.json, sweep.csv]. A
 * merged table is written out, as merge does. */
#include "fuzz.h"

#include <rescalesim/report.h>
#include <rescalesim/sweep-run.h>
#include <rescalesim/sweep.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *parts[4];
  gsize lengths[4];
  guint n = fuzz_split (data, size, parts, lengths, 4);
  const char *dir = fuzz_scratch_dir ();
  g_autofree char *a = g_build_filename (dir, "shard-a", NULL);
  g_autofree char *b = g_build_filename (dir, "shard-b", NULL);
  g_autofree char *out = g_build_filename (dir, "merged", NULL);
  g_mkdir_with_parents (a, 0700);
  g_mkdir_with_parents (b, 0700);
  const char *dirs[] = { a, b };
  for (guint i = 0; i < 4; i++)
    fuzz_put_file (dirs[i / 2], i % 2 ? RSIM_SWEEP_FILE
                                      : RSIM_SWEEP_SHARD_FILE,
                   i < n ? parts[i] : NULL, i < n ? lengths[i] : 0);

  GError *error = NULL;
  RsimSweepTable *table = rsim_sweep_merge (dirs, n > 2 ? 2 : 1, &error);
  if (table == NULL) {
    g_assert (error != NULL && error->message[0] != '\0');
    g_error_free (error);
    return 0;
  }
  (void) rsim_sweep_table_n_rows (table);
  g_assert (rsim_sweep_table_name (table) != NULL);
  if (!rsim_sweep_table_write (table, out, &error)) {
    g_assert (error != NULL);
    g_clear_error (&error);
  }
  rsim_sweep_table_free (table);
  return 0;
}
