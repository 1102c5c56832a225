/* The terminal summary of one run, for people.
 *
 * Three blocks: who ran (scenario, scheduler, Flink version, seed,
 * simulated duration), the key metrics with their units, and the incident
 * table with the scheduler's decisions indented under each incident.
 * Columns are aligned by character count (names may be UTF-8). Numbers are
 * rounded for reading (seconds to milliseconds, records to whole records)
 * and printed in the C locale; programs should read report.json instead. */
#include "report/report-internal.h"

#include <math.h>
#include <string.h>

#include <rescalesim/report.h>

/* Seconds with millisecond precision, e.g. "12.345". */
static char *
fmt_seconds (double s)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (!isfinite (s))
    return g_strdup ("-");
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.3f", s));
}

static char *
fmt_time (RsimTime t)
{
  if (t == RSIM_TIME_NEVER)
    return g_strdup ("(open)");
  return fmt_seconds (RSIM_TIME_TO_SEC (t));
}

/* A record count rounded to a whole number. */
static char *
fmt_records (double r)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (!isfinite (r))
    return g_strdup ("-");
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.0f", fabs (r) < 0.5
                                                               ? 0.0 : r));
}

static void
put_padded (FILE *out, const char *text, int width, gboolean right)
{
  int pad = width - (int) g_utf8_strlen (text, -1);
  if (right)
    for (int i = 0; i < pad; i++)
      fputc (' ', out);
  fputs (text, out);
  if (!right)
    for (int i = 0; i < pad; i++)
      fputc (' ', out);
}

/* Label column width of the first two blocks, characters. */
#define LABEL_WIDTH 20

static void
row (FILE *out, const char *label, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static void
row (FILE *out, const char *label, const char *fmt, ...)
{
  va_list ap;
  fputs ("  ", out);
  put_padded (out, label, LABEL_WIDTH, FALSE);
  va_start (ap, fmt);
  g_autofree char *value = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  fputs (value, out);
  fputc ('\n', out);
}

static void
print_identity (FILE *out, const RsimScenario *scenario,
                const RsimSimConfig *config, const RsimResult *result)
{
  g_autofree char *version = rsim_version_to_string (config->version);
  g_autofree char *duration = fmt_time (config->duration);

  fputs ("Run\n", out);
  row (out, "scenario", "%s", scenario->name ? scenario->name : "");
  row (out, "scheduler", "%s", rsim_scheduler_kind_name (config->scheduler));
  row (out, "Flink version", "%s", version);
  row (out, "seed", "%" G_GUINT64_FORMAT, config->seed);
  row (out, "simulated time", "%s s", duration);
  row (out, "events processed", "%" G_GUINT64_FORMAT,
       result->events_processed);
}

/* Appends one metric's part of its table row: the value as people read it
 * (seconds to the millisecond, records whole, bytes as a size in
 * parentheses), its unit and its word. */
static void
append_metric (GString *text, const RsimResult *r, RsimMetricId id)
{
  const RsimMetricInfo *m = &rsim_metrics[id];
  double v = rsim_metric_value (r, id);
  g_autofree char *value = NULL;
  switch (m->type) {
  case RSIM_METRIC_STATE:
    g_string_append (text, r->final_state ? r->final_state : "-");
    return;
  case RSIM_METRIC_PARALLELISM:
    for (guint i = 0; i < r->n_vertices; i++)
      g_string_append_printf (text, "%s%s %d", i ? ", " : "",
                              r->vertex_names[i], r->final_parallelism[i]);
    if (r->n_vertices == 0)
      g_string_append (text, "-");
    return;
  case RSIM_METRIC_UINT:
  case RSIM_METRIC_COUNT:
    value = g_strdup_printf ("%u", (guint) v);
    break;
  case RSIM_METRIC_DOUBLE:
  case RSIM_METRIC_OPTIONAL:
    if (g_str_equal (m->unit, "bytes")) {
      /* Only when known, after the records. */
      if (v >= 0 && isfinite (v)) {
        g_autofree char *size = g_format_size ((guint64) llround (v));
        g_string_append_printf (text, " (%s)", size);
      }
      return;
    }
    if (m->type == RSIM_METRIC_OPTIONAL && !(v >= 0)) {
      g_string_append (text, "unknown");
      return;
    }
    value = g_str_equal (m->unit, "records") ? fmt_records (v)
                                             : fmt_seconds (v);
    break;
  }
  g_string_append (text, value);
  if (*m->unit)
    g_string_append_printf (text, " %s", m->unit);
  if (*m->word)
    g_string_append_printf (text, " %s", m->word);
}

/* The table rows of the metric list (metrics.h): each row's metrics in the
 * list's order, joined by ", ". */
static void
print_metrics (FILE *out, const RsimResult *r)
{
  guint last_row = 0;
  for (int id = 0; id < RSIM_N_METRICS; id++)
    last_row = MAX (last_row, rsim_metrics[id].row);

  fputs ("\nSummary\n", out);
  g_autoptr (GString) text = g_string_new (NULL);
  for (guint row_no = 1; row_no <= last_row; row_no++) {
    const char *label = NULL;
    g_string_truncate (text, 0);
    for (int id = 0; id < RSIM_N_METRICS; id++) {
      const RsimMetricInfo *m = &rsim_metrics[id];
      if (m->row != row_no)
        continue;
      if ((m->flags & RSIM_METRIC_TABLE_NONZERO)
          && rsim_metric_value (r, id) == 0)
        continue;
      if (label != NULL && !g_str_equal (m->unit, "bytes"))
        g_string_append (text, ", ");
      if (label == NULL)
        label = m->label;
      append_metric (text, r, id);
    }
    if (label != NULL)
      row (out, label, "%s", text->str);
  }
}

enum { COL_NO, COL_START, COL_END, COL_CAUSE, COL_DOWN, COL_RESTARTS,
       COL_REPROC, N_COLS };

static const char *const col_titles[N_COLS] = {
  "#", "start (s)", "end (s)", "cause", "downtime (s)", "restarts",
  "reprocessed",
};
/* Text columns are left-aligned, numbers right-aligned. */
static const gboolean col_right[N_COLS] = {
  TRUE, TRUE, TRUE, FALSE, TRUE, TRUE, TRUE,
};

static void
print_incidents (FILE *out, const RsimResult *r)
{
  guint n = r->incidents ? r->incidents->len : 0;
  fprintf (out, "\nIncidents: %u\n", n);
  if (n == 0)
    return;

  /* Cells first, then widths, then the table. */
  char ***cells = g_new0 (char **, n);
  int width[N_COLS];
  for (int c = 0; c < N_COLS; c++)
    width[c] = (int) g_utf8_strlen (col_titles[c], -1);
  for (guint i = 0; i < n; i++) {
    const RsimIncident *inc = g_ptr_array_index (r->incidents, i);
    char **cell = cells[i] = g_new0 (char *, N_COLS + 1);
    cell[COL_NO] = g_strdup_printf ("%u", i + 1);
    cell[COL_START] = fmt_time (inc->start);
    cell[COL_END] = fmt_time (inc->end);
    cell[COL_CAUSE] = g_strdup (inc->cause ? inc->cause : "");
    cell[COL_DOWN] = fmt_seconds (inc->downtime_s);
    cell[COL_RESTARTS] = g_strdup_printf ("%u", inc->restarts);
    cell[COL_REPROC] = fmt_records (inc->reprocessed_records);
    for (int c = 0; c < N_COLS; c++)
      width[c] = MAX (width[c], (int) g_utf8_strlen (cell[c], -1));
  }

  fputs ("  ", out);
  for (int c = 0; c < N_COLS; c++) {
    if (c)
      fputs ("  ", out);
    put_padded (out, col_titles[c], width[c], col_right[c]);
  }
  fputc ('\n', out);

  for (guint i = 0; i < n; i++) {
    const RsimIncident *inc = g_ptr_array_index (r->incidents, i);
    fputs ("  ", out);
    for (int c = 0; c < N_COLS; c++) {
      if (c)
        fputs ("  ", out);
      put_padded (out, cells[i][c], width[c], col_right[c]);
    }
    fputc ('\n', out);
    /* Decisions, indented past the incident's number. */
    int indent = 2 + width[COL_NO] + 2;
    for (guint d = 0; inc->decisions && d < inc->decisions->len; d++)
      fprintf (out, "%*s- %s\n", indent, "",
               (const char *) g_ptr_array_index (inc->decisions, d));
    g_strfreev (cells[i]);
  }
  g_free (cells);
}

void
rsim_report_print_summary (FILE *out, const RsimScenario *scenario,
                           const RsimSimConfig *config,
                           const RsimResult *result)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (scenario != NULL && config != NULL && result != NULL);

  print_identity (out, scenario, config, result);
  print_metrics (out, result);
  print_incidents (out, result);
}
