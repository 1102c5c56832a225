/* Replays a fuzz target's corpus without libFuzzer (`make test`): linked
 * with one tests/fuzz/fuzz-NAME.c, it calls LLVMFuzzerTestOneInput on every
 * file of the directories given, in name order, and prints TAP, one line
 * per file. A crash or a failed assertion in the target fails the test;
 * libFuzzer's own builds (make fuzz) add the sanitizers.
 * Usage: fuzz-replay-NAME DIR... */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  for (int i = 1; i < argc; i++) {
    if (g_str_has_prefix (argv[i], "--"))
      continue;                 /* e.g. --tap, passed by meson */
    GDir *d = g_dir_open (argv[i], 0, NULL);
    if (d == NULL) {
      printf ("1..1\nnot ok 1 - cannot open %s\n", argv[i]);
      return 1;
    }
    const char *name;
    while ((name = g_dir_read_name (d)) != NULL)
      g_ptr_array_add (files, g_build_filename (argv[i], name, NULL));
    g_dir_close (d);
  }
  g_ptr_array_sort (files, compare_names);
  printf ("1..%u\n", files->len);
  fflush (stdout);
  for (guint i = 0; i < files->len; i++) {
    g_autofree char *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents (files->pdata[i], &data, &len, NULL)) {
      printf ("not ok %u - cannot read %s\n", i + 1, (char *) files->pdata[i]);
      continue;
    }
    LLVMFuzzerTestOneInput ((const uint8_t *) data, len);
    g_autofree char *base = g_path_get_basename (files->pdata[i]);
    printf ("ok %u - %s\n", i + 1, base);
    fflush (stdout);
  }
  return 0;
}
