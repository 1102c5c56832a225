/* Files written whole (report-internal.h): temporary names, the process's
 * list of temporary files for a clean interruption, renames of a group of
 * files at once, and the removal of what a crashed process left behind.
 *
 * A temporary file is named ".rescalesim-tmp-PID-NAME" beside its final
 * file NAME. The PID tells a later process whether the writer still lives:
 * rsim__tmp_remove_stale() removes only the files of processes that are
 * gone, so two processes writing into one directory do not delete each
 * other's work in progress.
 *
 * The registry (every temporary file this process has open or written and
 * not yet renamed, and the directories runs created) is process-wide: the
 * interruption handler must find the files of every thread of a sweep. It
 * is guarded by one mutex, which rsim__tmp_commit() also holds across a
 * group of renames, so an interruption never lands between two renames of
 * one group. */
#include "report/report-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

static GMutex registry_lock;
static GPtrArray *registry_files;   /* char*: temporary paths */
static GPtrArray *registry_dirs;    /* char*: directories, deepest first */

static void
registry_add (GPtrArray **list, const char *path)
{
  if (*list == NULL)
    *list = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (*list, g_strdup (path));
}

/* Removes one entry equal to path; the caller holds the lock. */
static void
registry_remove (GPtrArray *list, const char *path)
{
  for (guint i = 0; list != NULL && i < list->len; i++) {
    if (g_str_equal (list->pdata[i], path)) {
      g_ptr_array_remove_index (list, i);
      return;
    }
  }
}

static char *
tmp_name (const char *final_path)
{
  g_autofree char *dir = g_path_get_dirname (final_path);
  g_autofree char *base = g_path_get_basename (final_path);
  g_autofree char *name = g_strdup_printf (RSIM_TMP_PREFIX "%ld-%s",
                                           (long) getpid (), base);
  return g_build_filename (dir, name, NULL);
}

char *
rsim__tmp_path_new (const char *final_path)
{
  g_return_val_if_fail (final_path != NULL, NULL);
  char *tmp = tmp_name (final_path);
  g_mutex_lock (&registry_lock);
  registry_add (&registry_files, tmp);
  g_mutex_unlock (&registry_lock);
  return tmp;
}

int
rsim__tmp_create (const char *final_path, char **tmp_path, GError **error)
{
  g_return_val_if_fail (final_path != NULL && tmp_path != NULL, -1);
  char *tmp = tmp_name (final_path);
  g_mutex_lock (&registry_lock);
  int fd = g_open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  int errsv = errno;
  if (fd >= 0)
    registry_add (&registry_files, tmp);
  g_mutex_unlock (&registry_lock);
  if (fd < 0) {
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                 "cannot write '%s': %s", tmp, g_strerror (errsv));
    g_free (tmp);
    *tmp_path = NULL;
    return -1;
  }
  *tmp_path = tmp;
  return fd;
}

void
rsim__tmp_discard (const char *tmp_path)
{
  if (tmp_path == NULL)
    return;
  g_mutex_lock (&registry_lock);
  g_unlink (tmp_path);
  registry_remove (registry_files, tmp_path);
  g_mutex_unlock (&registry_lock);
}

void
rsim__tmp_register_dir (const char *dir)
{
  g_mutex_lock (&registry_lock);
  registry_add (&registry_dirs, dir);
  g_mutex_unlock (&registry_lock);
}

void
rsim__tmp_forget_dir (const char *dir)
{
  g_mutex_lock (&registry_lock);
  registry_remove (registry_dirs, dir);
  g_mutex_unlock (&registry_lock);
}

gboolean
rsim__tmp_commit (char *const *tmp, char *const *final, guint n,
                  GError **error)
{
  gboolean ok = TRUE;
  g_mutex_lock (&registry_lock);
  guint i;
  for (i = 0; i < n; i++) {
    if (g_rename (tmp[i], final[i]) != 0) {
      int errsv = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                   "cannot rename '%s' to '%s': %s", tmp[i], final[i],
                   g_strerror (errsv));
      ok = FALSE;
      break;
    }
    registry_remove (registry_files, tmp[i]);
  }
  if (!ok) {
    /* All or nothing: take back what was moved, drop what was not. */
    for (guint j = 0; j < i; j++)
      g_unlink (final[j]);
    for (guint j = i; j < n; j++) {
      g_unlink (tmp[j]);
      registry_remove (registry_files, tmp[j]);
    }
  }
  g_mutex_unlock (&registry_lock);
  return ok;
}

/* TRUE when name is a temporary file of a process that no longer runs. */
static gboolean
is_stale (const char *name)
{
  if (!g_str_has_prefix (name, RSIM_TMP_PREFIX))
    return FALSE;
  const char *p = name + strlen (RSIM_TMP_PREFIX);
  char *end = NULL;
  errno = 0;
  long pid = strtol (p, &end, 10);
  /* Our prefix without a process id: no process can be writing it. */
  if (end == p || *end != '-' || errno != 0 || pid <= 0)
    return TRUE;
  if ((pid_t) pid == getpid ())
    return FALSE;
  return kill ((pid_t) pid, 0) != 0 && errno == ESRCH;
}

void
rsim__tmp_remove_stale (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    return;
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL) {
    if (is_stale (name)) {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  }
  g_dir_close (d);
}

void
rsim__tmp_cleanup_for_exit (void)
{
  /* Locked for good: no thread may create or rename a file from here on. */
  g_mutex_lock (&registry_lock);
  for (guint i = 0; registry_files != NULL && i < registry_files->len; i++)
    g_unlink (registry_files->pdata[i]);
  /* Directories of several runs nest (a sweep's runs/ holds each run's
   * directory): repeat until a pass removes nothing. */
  gboolean removed = TRUE;
  while (removed && registry_dirs != NULL) {
    removed = FALSE;
    for (guint i = 0; i < registry_dirs->len; i++)
      if (g_rmdir (registry_dirs->pdata[i]) == 0)
        removed = TRUE;
  }
}

/* Writes text to fd (the temporary file at path) and closes it; with
 * sync, fsync()s it first. */
static gboolean
write_whole (int fd, const char *path, const char *text, gboolean sync,
             GError **error)
{
  int errsv = 0;
  gsize left = strlen (text);
  const char *p = text;
  while (left > 0 && errsv == 0) {
    ssize_t n = write (fd, p, left);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      errsv = n < 0 ? errno : EIO;
    } else {
      p += n;
      left -= (gsize) n;
    }
  }
  if (errsv == 0 && sync && fsync (fd) != 0)
    errsv = errno;
  if (close (fd) != 0 && errsv == 0)
    errsv = errno;
  if (errsv != 0) {
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                 "cannot write '%s': %s", path, g_strerror (errsv));
    return FALSE;
  }
  return TRUE;
}

gboolean
rsim__write_files (const char *dir, const char *const *names,
                   const char *const *texts, guint n, gboolean sync,
                   GError **error)
{
  g_return_val_if_fail (dir != NULL, FALSE);
  rsim__tmp_remove_stale (dir);
  char **tmp = g_new0 (char *, n + 1);
  char **final = g_new0 (char *, n + 1);
  gboolean ok = TRUE;
  for (guint i = 0; i < n && ok; i++) {
    final[i] = g_build_filename (dir, names[i], NULL);
    int fd = rsim__tmp_create (final[i], &tmp[i], error);
    ok = fd >= 0 && write_whole (fd, tmp[i], texts[i], sync, error);
  }
  if (ok)
    ok = rsim__tmp_commit (tmp, final, n, error);
  else
    for (guint i = 0; i < n; i++)
      rsim__tmp_discard (tmp[i]);
  for (guint i = 0; i < n; i++) {
    g_free (tmp[i]);
    g_free (final[i]);
  }
  g_free (tmp);
  g_free (final);
  return ok;
}

gboolean
rsim__write_file (const char *path, const char *text, gboolean sync,
                  GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *name = g_path_get_basename (path);
  const char *names[] = { name };
  const char *texts[] = { text };
  return rsim__write_files (dir, names, texts, 1, sync, error);
}
