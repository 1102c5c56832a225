/* Shared helpers of the fuzz targets (tests/fuzz/fuzz-*.c).
 *
 * A target that reads files (the check baseline, the merge shards) gets its
 * files from one input cut at FUZZ_SEPARATOR lines, writes them into a
 * temporary directory made once per process, and calls the public function
 * on that directory. Every target is also linked into replay.c, which runs
 * it over its seed corpus in `make test`. */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The line between two files of one input (also in scenario.dict). */
#define FUZZ_SEPARATOR "\n@@@@\n"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* The process's scratch directory, created on first use and reused (the
 * fuzzer runs one input at a time). (transfer none) */
static inline const char *
fuzz_scratch_dir (void)
{
  static char *dir;
  if (dir == NULL) {
    dir = g_dir_make_tmp ("rsim-fuzz-XXXXXX", NULL);
    g_assert (dir != NULL);
  }
  return dir;
}

/* Splits data at FUZZ_SEPARATOR into at most max_parts parts (the last
 * keeps any further separators); returns how many parts were filled. */
static inline guint
fuzz_split (const uint8_t *data, size_t size, const char **parts,
            gsize *lengths, guint max_parts)
{
  const char *p = (const char *) data, *end = p + size;
  gsize sep = strlen (FUZZ_SEPARATOR);
  guint n = 0;
  while (n + 1 < max_parts) {
    const char *hit = g_strstr_len (p, end - p, FUZZ_SEPARATOR);
    if (hit == NULL)
      break;
    parts[n] = p;
    lengths[n++] = (gsize) (hit - p);
    p = hit + sep;
  }
  parts[n] = p;
  lengths[n++] = (gsize) (end - p);
  return n;
}

/* Writes (or, with text NULL, removes) dir/name. */
static inline void
fuzz_put_file (const char *dir, const char *name, const char *text,
               gsize length)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  if (text == NULL) {
    g_unlink (path);
    return;
  }
  /* Plain stdio: g_file_set_contents() syncs the file to disk, which
   * made the file-reading targets a hundred times slower. */
  FILE *f = fopen (path, "wb");
  g_assert (f != NULL);
  gboolean ok = fwrite (text, 1, length, f) == length;
  ok = fclose (f) == 0 && ok;
  g_assert (ok);
}
