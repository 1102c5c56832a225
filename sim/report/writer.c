/* RsimRunWriter: the output files of one run, written all or nothing.
 *
 * While the simulation runs, samples and events are streamed (never kept in
 * memory: a run may cover days of simulated time) into temporary files
 * (".rescalesim-tmp-PID-NAME", report-internal.h) in the output directory. Commit writes report.json through a
 * temporary file too and renames the three into place, report.json last,
 * so a reader that sees report.json sees the run's complete output. Without
 * a commit the writer removes its temporary files and the directories it
 * created, so a failed or refused run leaves nothing behind.
 *
 * Write errors inside the sink callbacks cannot be returned to the
 * simulation; the first one is remembered, further writes are skipped, and
 * commit reports it. */
#include "report/report-internal.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <rescalesim/report.h>

/* stdio buffer of each streamed file, bytes. */
#define STREAM_BUFFER_SIZE (64 * 1024)

enum { FILE_TIMESERIES, FILE_EVENTS, FILE_REPORT, N_FILES };

static const char *const final_names[N_FILES] = {
  RSIM_TIMESERIES_FILE, RSIM_EVENTS_FILE, RSIM_REPORT_FILE,
};

struct RsimRunWriter {
  char *dir;                   /* as given */
  GPtrArray *created_dirs;     /* char*: directories we made, deepest first */
  char *tmp_path[N_FILES];     /* temporary files, NULL once gone */
  char *final_path[N_FILES];
  FILE *stream[N_FILES];       /* open streams (series only) */
  GString *line;               /* reused line buffer */
  int write_errno;             /* first failed write, 0 if none */
  char *write_error_path;
  gboolean committed;
  gboolean header_written;     /* timeseries.csv's first line */
  RsimSinks sinks;
};

static void
remember_error (RsimRunWriter *w, int errsv, const char *path)
{
  if (w->write_errno != 0)
    return;
  w->write_errno = errsv ? errsv : EIO;
  w->write_error_path = g_strdup (path);
}

static void
stream_write (RsimRunWriter *w, int which, const char *data, gsize len)
{
  if (w->write_errno != 0 || w->stream[which] == NULL)
    return;
  if (fwrite (data, 1, len, w->stream[which]) != len)
    remember_error (w, errno, w->tmp_path[which]);
}

/* The columns of timeseries.csv, in one place: RSIM_TIMESERIES_HEADER's
 * columns, then `phase` and one `parallelism.VERTEX` column per vertex in
 * the job's order (so the header needs the first sample). */
static void
timeseries_header (GString *l, const RsimSample *s)
{
  g_string_append (l, RSIM_TIMESERIES_HEADER ",phase");
  for (guint v = 0; s != NULL && v < s->n_vertices; v++) {
    g_autofree char *name = g_strconcat ("parallelism.", s->vertex_names[v],
                                         NULL);
    g_string_append_c (l, ',');
    rsim__csv_append_field (l, name);
  }
  g_string_append_c (l, '\n');
}

static void
timeseries_row (GString *l, const RsimSample *s)
{
  char num[RSIM_REPORT_NUMBER_SIZE];
  g_string_append (l, rsim_report_format_time (num, s->t));
  g_string_append_c (l, ',');
  g_string_append (l, rsim_report_format_double (num, s->input_rate));
  g_string_append_c (l, ',');
  g_string_append (l, rsim_report_format_double (num, s->processed_rate));
  g_string_append_c (l, ',');
  g_string_append (l, rsim_report_format_double (num, s->lag_records));
  g_string_append_c (l, ',');
  g_string_append (l, rsim_report_format_double (num, s->capacity));
  g_string_append_printf (l, ",%d,%d,%d,", s->parallelism,
                          s->taskmanagers_alive, s->slots_total);
  /* Job states are Flink JobStatus names; the CSV rule quotes anything
   * else that would break the row. */
  rsim__csv_append_field (l, s->job_state);
  g_string_append_c (l, ',');
  rsim__csv_append_field (l, s->phase ? s->phase : s->job_state);
  for (guint v = 0; v < s->n_vertices; v++)
    g_string_append_printf (l, ",%d", s->vertex_parallelism[v]);
  g_string_append_c (l, '\n');
}

static void
sink_sample (gpointer user, const RsimSample *s)
{
  RsimRunWriter *w = user;
  GString *l = w->line;

  g_string_truncate (l, 0);
  if (!w->header_written) {
    w->header_written = TRUE;
    timeseries_header (l, s);
  }
  timeseries_row (l, s);
  stream_write (w, FILE_TIMESERIES, l->str, l->len);
}

static void
sink_event (gpointer user, RsimTime t, const char *component,
            const char *event, const char *detail)
{
  RsimRunWriter *w = user;
  char num[RSIM_REPORT_NUMBER_SIZE];
  GString *l = w->line;

  g_string_truncate (l, 0);
  g_string_append (l, "{\"t\":");
  g_string_append (l, rsim_report_format_time (num, t));
  g_string_append (l, ",\"component\":");
  rsim__json_append_string (l, component);
  g_string_append (l, ",\"event\":");
  rsim__json_append_string (l, event);
  g_string_append (l, ",\"detail\":");
  rsim__json_append_string (l, detail);
  g_string_append (l, "}\n");
  stream_write (w, FILE_EVENTS, l->str, l->len);
}

static char *
strip_trailing_slashes (const char *path)
{
  char *s = g_strdup (path);
  gsize n = strlen (s);
  while (n > 1 && G_IS_DIR_SEPARATOR (s[n - 1]))
    s[--n] = '\0';
  return s;
}

/* Creates dir and its missing parents, recording which ones were missing
 * (deepest first) so that they can be removed again. */
static gboolean
make_dirs (RsimRunWriter *w, GError **error)
{
  g_autofree char *p = strip_trailing_slashes (w->dir);
  while (!g_file_test (p, G_FILE_TEST_EXISTS)) {
    g_ptr_array_add (w->created_dirs, g_strdup (p));
    rsim__tmp_register_dir (p);
    char *parent = g_path_get_dirname (p);
    gboolean same = g_str_equal (parent, p);
    g_free (p);
    p = parent;
    if (same)
      break;
  }
  if (g_mkdir_with_parents (w->dir, 0777) != 0) {
    int errsv = errno;
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                 "cannot create output directory '%s': %s", w->dir,
                 g_strerror (errsv));
    return FALSE;
  }
  return TRUE;
}

/* Creates the temporary file of one output and opens a stream on it. */
static FILE *
open_tmp (RsimRunWriter *w, int which, GError **error)
{
  int fd = rsim__tmp_create (w->final_path[which], &w->tmp_path[which],
                             error);
  if (fd < 0)
    return NULL;
  FILE *f = fdopen (fd, "wb");
  if (f == NULL) {
    int errsv = errno;
    close (fd);
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                 "cannot write '%s': %s", w->tmp_path[which],
                 g_strerror (errsv));
    return NULL;
  }
  setvbuf (f, NULL, _IOFBF, STREAM_BUFFER_SIZE);
  return f;
}

RsimRunWriter *
rsim_run_writer_new (const char *out_dir, GError **error)
{
  g_return_val_if_fail (out_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (*out_dir == '\0') {
    g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                         "the output directory name is empty");
    return NULL;
  }

  g_autoptr (RsimRunWriter) w = g_new0 (RsimRunWriter, 1);
  w->dir = g_strdup (out_dir);
  w->created_dirs = g_ptr_array_new_with_free_func (g_free);
  w->line = g_string_sized_new (256);
  w->sinks.user = w;
  w->sinks.sample = sink_sample;
  w->sinks.event = sink_event;

  if (!make_dirs (w, error))
    return NULL;

  /* What a crashed run left in this directory goes first. */
  rsim__tmp_remove_stale (out_dir);
  for (int i = 0; i < N_FILES; i++)
    w->final_path[i] = g_build_filename (out_dir, final_names[i], NULL);

  w->stream[FILE_TIMESERIES] = open_tmp (w, FILE_TIMESERIES, error);
  if (w->stream[FILE_TIMESERIES] == NULL)
    return NULL;
  w->stream[FILE_EVENTS] = open_tmp (w, FILE_EVENTS, error);
  if (w->stream[FILE_EVENTS] == NULL)
    return NULL;
  return g_steal_pointer (&w);
}

const RsimSinks *
rsim_run_writer_sinks (RsimRunWriter *writer)
{
  g_return_val_if_fail (writer != NULL, NULL);
  return &writer->sinks;
}

const char *
rsim_run_writer_dir (const RsimRunWriter *writer)
{
  g_return_val_if_fail (writer != NULL, NULL);
  return writer->dir;
}

/* Flushes and closes a stream; a failure is remembered like a write error. */
static void
close_stream (RsimRunWriter *w, int which)
{
  FILE *f = w->stream[which];
  if (f == NULL)
    return;
  w->stream[which] = NULL;
  if (fflush (f) != 0 || ferror (f))
    remember_error (w, errno, w->tmp_path[which]);
  if (fclose (f) != 0)
    remember_error (w, errno, w->tmp_path[which]);
}

static gboolean
write_report_tmp (RsimRunWriter *w, const char *text, GError **error)
{
  w->stream[FILE_REPORT] = open_tmp (w, FILE_REPORT, error);
  if (w->stream[FILE_REPORT] == NULL)
    return FALSE;
  stream_write (w, FILE_REPORT, text, strlen (text));
  close_stream (w, FILE_REPORT);
  return TRUE;
}

gboolean
rsim_run_writer_commit (RsimRunWriter *writer, const char *report_json,
                        GError **error)
{
  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (report_json != NULL, FALSE);
  g_return_val_if_fail (!writer->committed, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  RsimRunWriter *w = writer;
  if (!w->header_written) {
    /* No sample at all: the header without vertex columns. */
    w->header_written = TRUE;
    g_string_truncate (w->line, 0);
    timeseries_header (w->line, NULL);
    stream_write (w, FILE_TIMESERIES, w->line->str, w->line->len);
  }
  close_stream (w, FILE_TIMESERIES);
  close_stream (w, FILE_EVENTS);
  if (w->write_errno == 0 && !write_report_tmp (w, report_json, error))
    return FALSE;
  if (w->write_errno != 0) {
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (w->write_errno),
                 "cannot write '%s': %s", w->write_error_path,
                 g_strerror (w->write_errno));
    return FALSE;
  }

  /* Series first, report.json last, as one group. */
  if (!rsim__tmp_commit (w->tmp_path, w->final_path, N_FILES, error))
    return FALSE;
  for (int i = 0; i < N_FILES; i++)
    g_clear_pointer (&w->tmp_path[i], g_free);
  w->committed = TRUE;
  return TRUE;
}

void
rsim_run_writer_free (RsimRunWriter *writer)
{
  if (writer == NULL)
    return;
  RsimRunWriter *w = writer;
  for (int i = 0; i < N_FILES; i++) {
    if (w->stream[i] != NULL)
      fclose (w->stream[i]);
    rsim__tmp_discard (w->tmp_path[i]);
    g_free (w->tmp_path[i]);
    g_free (w->final_path[i]);
  }
  /* Deepest first; g_rmdir() refuses a directory that is not empty, which
   * is what keeps anything not ours. A directory that is missing (creation
   * failed half-way) is skipped. */
  gboolean removing = !w->committed;
  for (guint i = 0; i < w->created_dirs->len; i++) {
    if (removing && g_rmdir (w->created_dirs->pdata[i]) != 0 && errno != ENOENT)
      removing = FALSE;
    rsim__tmp_forget_dir (w->created_dirs->pdata[i]);
  }
  g_ptr_array_unref (w->created_dirs);
  g_string_free (w->line, TRUE);
  g_free (w->write_error_path);
  g_free (w->dir);
  g_free (w);
}
