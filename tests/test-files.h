/* File helpers shared by the test suites that write into temporary
 * directories. */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

/* Removes path and, for a directory (not a symbolic link to one),
 * everything below it. */
static G_GNUC_UNUSED void
rm_rf (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR)
      && !g_file_test (path, G_FILE_TEST_IS_SYMLINK)) {
    GDir *d = g_dir_open (path, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)) != NULL) {
      g_autofree char *child = g_build_filename (path, name, NULL);
      rm_rf (child);
    }
    if (d)
      g_dir_close (d);
    g_rmdir (path);
  } else {
    g_unlink (path);
  }
}
