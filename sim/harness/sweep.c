/* Running a sweep: every (point, seed) run on a thread pool, the table of
 * results, its files (sweep.csv, summary.csv, summary.json, shard.json) and
 * the merge of shards (include/rescalesim/sweep.h).
 *
 * Determinism: each run builds its own simulation from a private copy of
 * its point's configuration; workers share nothing mutable but their own
 * slot of the result array (indexed by position in the run list), a
 * queue that only counts completions for the progress callback, and the
 * process's list of temporary files (report-internal.h, under its own
 * mutex; it decides nothing that reaches an output). Each run goes
 * through rsim_harness_run_one(), with files only under --keep-runs. The
 * table
 * is kept as CSV fields (text), and the summaries are computed from that
 * text, parsed back; a merge parses the same text from the shards' files,
 * so a merged sweep's files are byte-identical to a single machine's, and
 * neither depends on the number of threads or on their timing. */
#include <rescalesim/sweep-run.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <glib/gstdio.h>
#include <rescalesim/harness.h>
#include <rescalesim/report.h>
#include <rescalesim/simulation.h>

#include "report/report-internal.h"

G_DEFINE_QUARK (rsim-sweep-error-quark, rsim_sweep_error)

/* ---------------------------------------------------------------- metrics */

/* The columns of sweep.csv and summary.csv: the metrics of the list
 * (metrics.h) flagged RSIM_METRIC_IN_SWEEP, in the list's order. */
static guint
sweep_metrics (RsimMetricId *ids)
{
  guint n = 0;
  for (int id = 0; id < RSIM_N_METRICS; id++)
    if (rsim_metrics[id].flags & RSIM_METRIC_IN_SWEEP)
      ids[n++] = id;
  return n;
}

/* A run's metric fields: counts as integers, other numbers in the report's
 * format, unknown optional values (< 0) as empty fields. */
static void
append_metric_fields (char **f, guint *i, const RsimResult *r)
{
  RsimMetricId ids[RSIM_N_METRICS];
  guint n = sweep_metrics (ids);
  for (guint k = 0; k < n; k++) {
    const RsimMetricInfo *m = &rsim_metrics[ids[k]];
    double v = rsim_metric_value (r, ids[k]);
    char buf[RSIM_REPORT_NUMBER_SIZE];
    if (m->type == RSIM_METRIC_UINT || m->type == RSIM_METRIC_COUNT)
      f[(*i)++] = g_strdup_printf ("%u", (guint) v);
    else if (m->type == RSIM_METRIC_OPTIONAL && v < 0.0)
      f[(*i)++] = g_strdup ("");
    else
      f[(*i)++] = g_strdup (rsim_report_format_double (buf, v));
  }
}

/* The largest sweep.csv of a shard that merge reads, bytes. */
#define SHARD_CSV_MAX_SIZE ((guint64) 4 * 1024 * 1024 * 1024)

/* Fields of a row before the axis columns, and after them before the
 * metrics: run, point | scheduler, seed. final_state closes the row. */
#define LEAD_FIELDS 2
#define MID_FIELDS 2

/* ------------------------------------------------------------------ table */

typedef struct {
  guint run;
  guint point;
  char **fields;                /* every CSV field of the row */
} Row;

static void
row_free (gpointer p)
{
  Row *row = p;
  if (row == NULL)
    return;
  g_strfreev (row->fields);
  g_free (row);
}

struct RsimSweepTable {
  char *name;
  char *hash;
  guint n_axes;
  char **axis_names;
  /* The axis columns of sweep.csv and summary.csv (axis_columns()): every
   * axis but "scheduler" (the scheduler column says it) by its name, each
   * followed by its numeric twin when it holds quantities with units. */
  guint n_cols;
  char **col_names;
  char *col_types;              /* AXIS_COL_*, one per column */
  guint n_points;
  guint64 seed_base;
  guint seed_count;
  guint n_runs_total;
  guint shard;                  /* K; 0 with shards 0: complete */
  guint shards;
  GPtrArray *rows;              /* Row*, by run */
};

void
rsim_sweep_table_free (RsimSweepTable *table)
{
  if (table == NULL)
    return;
  g_free (table->name);
  g_free (table->hash);
  g_strfreev (table->axis_names);
  g_strfreev (table->col_names);
  g_free (table->col_types);
  if (table->rows)
    g_ptr_array_unref (table->rows);
  g_free (table);
}

guint
rsim_sweep_table_n_rows (const RsimSweepTable *table)
{
  return table->rows->len;
}

const char *
rsim_sweep_table_name (const RsimSweepTable *table)
{
  return table->name;
}

gboolean
rsim_sweep_table_is_shard (const RsimSweepTable *table)
{
  return table->shards > 0;
}

/* Column types: the axis value as written; its twin in base units (a
 * number); a Flink version, always quoted so that CSV readers that honour
 * quotes keep "1.20" as text. */
#define AXIS_COL_TEXT 't'
#define AXIS_COL_NUMBER 'n'
#define AXIS_COL_VERSION 'v'

/* The axis columns of a sweep (see RsimSweepTable). */
static void
axis_columns (const RsimSweep *sweep, RsimSweepTable *t)
{
  guint n = rsim_sweep_n_axes (sweep);
  GPtrArray *names = g_ptr_array_new ();
  GString *types = g_string_new (NULL);
  for (guint a = 0; a < n; a++) {
    const char *name = rsim_sweep_axis_name (sweep, a);
    if (g_str_equal (name, "scheduler"))
      continue;
    g_ptr_array_add (names, g_strdup (name));
    g_string_append_c (types, g_str_equal (name, "flink.version")
                              ? AXIS_COL_VERSION : AXIS_COL_TEXT);
    RsimAxisUnit unit = rsim_sweep_axis_unit (sweep, a);
    if (unit != RSIM_AXIS_TEXT) {
      g_ptr_array_add (names, g_strconcat (name, rsim_axis_unit_suffix (unit),
                                           NULL));
      g_string_append_c (types, AXIS_COL_NUMBER);
    }
  }
  t->n_cols = names->len;
  g_ptr_array_add (names, NULL);
  t->col_names = (char **) g_ptr_array_free (names, FALSE);
  t->col_types = g_string_free (types, FALSE);
}

/* The axis fields of one point, in the order of axis_columns(). */
static void
append_axis_fields (const RsimSweep *sweep, guint point, char **f, guint *i)
{
  guint n = rsim_sweep_n_axes (sweep);
  const char *const *values = rsim_sweep_point_values (sweep, point);
  for (guint a = 0; a < n; a++) {
    if (g_str_equal (rsim_sweep_axis_name (sweep, a), "scheduler"))
      continue;
    f[(*i)++] = g_strdup (values[a]);
    if (rsim_sweep_axis_unit (sweep, a) != RSIM_AXIS_TEXT) {
      char buf[RSIM_REPORT_NUMBER_SIZE];
      f[(*i)++] = g_strdup (rsim_report_format_double (
        buf, rsim_sweep_point_number (sweep, point, a)));
    }
  }
}

/* One CSV row with the axis columns typed: versions always quoted. */
static void
append_row (GString *s, const RsimSweepTable *t, const char *const *f,
            guint first_axis_field)
{
  for (guint i = 0; f[i] != NULL; i++) {
    if (i > 0)
      g_string_append_c (s, ',');
    gboolean version = i >= first_axis_field
                       && i < first_axis_field + t->n_cols
                       && t->col_types[i - first_axis_field] == AXIS_COL_VERSION;
    if (version && strpbrk (f[i], ",\"\r\n") == NULL)
      g_string_append_printf (s, "\"%s\"", f[i]);
    else
      rsim__csv_append_field (s, f[i]);
  }
  g_string_append_c (s, '\n');
}

static char **
header_fields (const RsimSweepTable *t)
{
  GPtrArray *h = g_ptr_array_new ();
  g_ptr_array_add (h, g_strdup ("run"));
  g_ptr_array_add (h, g_strdup ("point"));
  for (guint c = 0; c < t->n_cols; c++)
    g_ptr_array_add (h, g_strdup (t->col_names[c]));
  g_ptr_array_add (h, g_strdup ("scheduler"));
  g_ptr_array_add (h, g_strdup ("seed"));
  RsimMetricId ids[RSIM_N_METRICS];
  guint n = sweep_metrics (ids);
  for (guint m = 0; m < n; m++)
    g_ptr_array_add (h, g_strdup (rsim_metrics[ids[m]].name));
  g_ptr_array_add (h, g_strdup (rsim_metrics[RSIM_METRIC_ID_final_state].name));
  g_ptr_array_add (h, NULL);
  return (char **) g_ptr_array_free (h, FALSE);
}

static guint
n_row_fields (const RsimSweepTable *t)
{
  RsimMetricId ids[RSIM_N_METRICS];
  return LEAD_FIELDS + t->n_cols + MID_FIELDS + sweep_metrics (ids) + 1;
}

/* --------------------------------------------------------------- running */

typedef struct {
  const RsimSweep *sweep;
  const RsimSweepOptions *options;
  const guint *runs;            /* run index of each slot */
  Row **rows;                   /* one slot per run, written by one worker */
  GError **errors;              /* idem */
  GAsyncQueue *done;            /* a token per finished run */
} Batch;

static Row *
run_one (const RsimSweep *sweep, const RsimSweepOptions *options, guint run,
         GError **error)
{
  guint point;
  guint64 seed;
  rsim_sweep_run_identity (sweep, run, &point, &seed);
  const RsimScenario *sc = rsim_sweep_point_scenario (sweep, point);
  RsimSimConfig config;
  rsim_sweep_run_config (sweep, run, &config);

  g_autofree char *dir = NULL;
  if (options->runs_dir != NULL) {
    g_autofree char *name = g_strdup_printf ("run-%06u", run);
    dir = g_build_filename (options->runs_dir, name, NULL);
  }
  g_auto (RsimHarnessRun) out = { 0 };
  Row *row = NULL;
  if (rsim_harness_run_one (sc, &config, dir, RSIM_HARNESS_RUN_DEFAULT, &out,
                            error)) {
    row = g_new0 (Row, 1);
    row->run = run;
    row->point = point;
    guint n_axes = rsim_sweep_n_axes (sweep);
    char **f = g_new0 (char *, LEAD_FIELDS + 2 * n_axes + MID_FIELDS
                               + RSIM_N_METRICS + 2);
    guint i = 0;
    f[i++] = g_strdup_printf ("%u", run);
    f[i++] = g_strdup_printf ("%u", point);
    append_axis_fields (sweep, point, f, &i);
    f[i++] = g_strdup (rsim_scheduler_kind_name (config.scheduler));
    f[i++] = g_strdup_printf ("%" G_GUINT64_FORMAT, seed);
    append_metric_fields (f, &i, out.result);
    f[i++] = g_strdup (out.result->final_state ? out.result->final_state : "");
    row->fields = f;
  }
  rsim_sim_config_clear (&config);
  return row;
}

static void
worker (gpointer data, gpointer user)
{
  Batch *b = user;
  guint slot = GPOINTER_TO_UINT (data) - 1;
  g_autoptr (GError) error = NULL;
  b->rows[slot] = run_one (b->sweep, b->options, b->runs[slot], &error);
  if (b->rows[slot] == NULL)
    b->errors[slot] = g_steal_pointer (&error);
  g_async_queue_push (b->done, GUINT_TO_POINTER (slot + 1));
}

RsimSweepTable *
rsim_sweep_execute (const RsimSweep *sweep, const RsimSweepOptions *options,
                    GError **error)
{
  g_return_val_if_fail (sweep != NULL, NULL);
  RsimSweepOptions defaults = { 0 };
  if (options == NULL)
    options = &defaults;
  gboolean sharded = options->shards > 1;
  g_return_val_if_fail (!sharded || (options->shard >= 1
                                     && options->shard <= options->shards),
                        NULL);

  guint total = rsim_sweep_n_runs (sweep);
  GArray *runs = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint r = 0; r < total; r++)
    if (!sharded || r % options->shards == options->shard - 1)
      g_array_append_val (runs, r);

  Batch b = { sweep, options, (const guint *) runs->data,
              g_new0 (Row *, runs->len + 1), g_new0 (GError *, runs->len + 1),
              g_async_queue_new () };
  guint jobs = options->jobs > 0 ? options->jobs : g_get_num_processors ();
  jobs = MAX (1u, MIN (jobs, MAX (runs->len, 1u)));
  GThreadPool *pool = g_thread_pool_new (worker, &b, (int) jobs, TRUE, error);
  gboolean ok = pool != NULL;
  if (ok) {
    for (guint s = 0; s < runs->len; s++)
      g_thread_pool_push (pool, GUINT_TO_POINTER (s + 1), NULL);
    for (guint done = 1; done <= runs->len; done++) {
      g_async_queue_pop (b.done);
      if (options->progress)
        options->progress (options->progress_user, done, runs->len);
    }
    g_thread_pool_free (pool, FALSE, TRUE);
  }

  RsimSweepTable *t = NULL;
  for (guint s = 0; ok && s < runs->len; s++) {
    if (b.errors[s] != NULL) {
      /* The first failed run in run order, whatever the threads' timing;
       * an output error stays one (exit 4, not 1). */
      const GError *e = b.errors[s];
      gboolean output = e->domain == RSIM_HARNESS_ERROR
                        && e->code == RSIM_HARNESS_ERROR_OUTPUT;
      g_set_error (error, RSIM_SWEEP_ERROR,
                   output ? RSIM_SWEEP_ERROR_OUTPUT : RSIM_SWEEP_ERROR_RUN,
                   "run %u: %s", b.runs[s], e->message);
      ok = FALSE;
    }
  }
  if (ok) {
    t = g_new0 (RsimSweepTable, 1);
    t->name = g_strdup (rsim_sweep_name (sweep));
    t->hash = g_strdup (rsim_sweep_hash (sweep));
    t->n_axes = rsim_sweep_n_axes (sweep);
    t->axis_names = g_new0 (char *, t->n_axes + 1);
    for (guint a = 0; a < t->n_axes; a++)
      t->axis_names[a] = g_strdup (rsim_sweep_axis_name (sweep, a));
    axis_columns (sweep, t);
    t->n_points = rsim_sweep_n_points (sweep);
    t->seed_base = rsim_sweep_seed_base (sweep);
    t->seed_count = rsim_sweep_seed_count (sweep);
    t->n_runs_total = total;
    t->shard = sharded ? options->shard : 0;
    t->shards = sharded ? options->shards : 0;
    t->rows = g_ptr_array_new_full (runs->len, row_free);
    for (guint s = 0; s < runs->len; s++) {
      g_ptr_array_add (t->rows, b.rows[s]);
      b.rows[s] = NULL;
    }
  }
  for (guint s = 0; s < runs->len; s++) {
    row_free (b.rows[s]);
    g_clear_error (&b.errors[s]);
  }
  g_free (b.rows);
  g_free (b.errors);
  g_async_queue_unref (b.done);
  g_array_free (runs, TRUE);
  return t;
}

/* ---------------------------------------------------------------- output */

/* Writes the files of a table all at once (every temporary file, then
 * every rename), so the three files of a sweep are replaced together. */
static gboolean
write_files (const char *dir, const char *const *names,
             const char *const *texts, guint n, GError **error)
{
  g_autoptr (GError) inner = NULL;
  if (!rsim__write_files (dir, names, texts, n, FALSE, &inner)) {
    g_set_error (error, RSIM_SWEEP_ERROR, RSIM_SWEEP_ERROR_OUTPUT, "%s",
                 inner->message);
    return FALSE;
  }
  return TRUE;
}

static char *
sweep_csv_text (const RsimSweepTable *t)
{
  GString *s = g_string_new (NULL);
  g_auto (GStrv) header = header_fields (t);
  rsim__csv_append_row (s, (const char *const *) header);
  for (guint i = 0; i < t->rows->len; i++)
    append_row (s, t, (const char *const *) ((Row *) t->rows->pdata[i])->fields,
                LEAD_FIELDS);
  return g_string_free (s, FALSE);
}

static cJSON *
identity_json (const RsimSweepTable *t, const char *schema)
{
  cJSON *o = cJSON_CreateObject ();
  cJSON_AddStringToObject (o, "schema", schema);
  cJSON_AddStringToObject (o, "scenario", t->name);
  cJSON_AddStringToObject (o, "sweep_hash", t->hash);
  cJSON *axes = cJSON_AddArrayToObject (o, "axes");
  for (guint a = 0; a < t->n_axes; a++)
    cJSON_AddItemToArray (axes, cJSON_CreateString (t->axis_names[a]));
  cJSON *cols = cJSON_AddArrayToObject (o, "axis_columns");
  for (guint c = 0; c < t->n_cols; c++) {
    cJSON *col = cJSON_CreateObject ();
    cJSON_AddStringToObject (col, "name", t->col_names[c]);
    cJSON_AddStringToObject (col, "type",
                             t->col_types[c] == AXIS_COL_NUMBER ? "number"
                             : t->col_types[c] == AXIS_COL_VERSION ? "version"
                             : "text");
    cJSON_AddItemToArray (cols, col);
  }
  cJSON_AddItemToObject (o, "point_count", rsim__json_uint (t->n_points));
  cJSON *seeds = cJSON_AddObjectToObject (o, "seeds");
  cJSON_AddItemToObject (seeds, "base", rsim__json_uint (t->seed_base));
  cJSON_AddItemToObject (seeds, "count", rsim__json_uint (t->seed_count));
  cJSON_AddItemToObject (o, "runs_total", rsim__json_uint (t->n_runs_total));
  return o;
}

/* The report's JSON style: two-space indentation, a closing newline.
 * Consumes root. */
static char *
json_text (cJSON *root)
{
  char *text = cJSON_PrintUnformatted (root);
  char *out = rsim__json_pretty (text);
  cJSON_free (text);
  cJSON_Delete (root);
  return out;
}

/* summary.csv and summary.json from the rows (text parsed back). */
static void
summaries (const RsimSweepTable *t, char **csv_out, char **json_out)
{
  GString *csv = g_string_new ("point");
  for (guint c = 0; c < t->n_cols; c++) {
    g_string_append_c (csv, ',');
    rsim__csv_append_field (csv, t->col_names[c]);
  }
  g_string_append (csv, ",scheduler,metric,n,mean,sd,median,p95,min,max,"
                        "ci95_low,ci95_high\n");
  cJSON *root = identity_json (t, RSIM_SWEEP_SUMMARY_SCHEMA);
  cJSON_AddStringToObject (root, "quantiles", "linear interpolation between "
                           "order statistics (Hyndman-Fan type 7)");
  cJSON_AddStringToObject (root, "confidence", "95 % interval of the mean, "
                           "Student's t with n - 1 degrees of freedom");
  cJSON *points = cJSON_AddArrayToObject (root, "points");

  guint i = 0;
  g_autofree double *values = g_new (double, MAX (t->rows->len, 1));
  while (i < t->rows->len) {
    const Row *first = t->rows->pdata[i];
    guint j = i;
    while (j < t->rows->len && ((Row *) t->rows->pdata[j])->point == first->point)
      j++;
    char **f = first->fields;
    const char *scheduler = f[LEAD_FIELDS + t->n_cols];
    cJSON *pj = cJSON_CreateObject ();
    cJSON_AddItemToObject (pj, "point", rsim__json_uint (first->point));
    cJSON *axes = cJSON_AddObjectToObject (pj, "axes");
    for (guint c = 0; c < t->n_cols; c++) {
      const char *text = f[LEAD_FIELDS + c];
      cJSON_AddItemToObject (axes, t->col_names[c],
                             t->col_types[c] == AXIS_COL_NUMBER
                             ? rsim__json_number (g_ascii_strtod (text, NULL))
                             : cJSON_CreateString (text));
    }
    cJSON_AddStringToObject (pj, "scheduler", scheduler);
    cJSON_AddItemToObject (pj, "runs", rsim__json_uint (j - i));
    cJSON *mj = cJSON_AddObjectToObject (pj, "metrics");
    RsimMetricId ids[RSIM_N_METRICS];
    guint n_metrics = sweep_metrics (ids);
    for (guint m = 0; m < n_metrics; m++) {
      guint col = LEAD_FIELDS + t->n_cols + MID_FIELDS + m;
      for (guint k = i; k < j; k++) {
        const char *text = ((Row *) t->rows->pdata[k])->fields[col];
        values[k - i] = *text ? g_ascii_strtod (text, NULL) : NAN;
      }
      RsimStats st;
      rsim_stats_compute (values, j - i, &st);
      double figures[] = { st.mean, st.sd, st.median, st.p95, st.min,
                           st.max, st.ci95_low, st.ci95_high };
      g_string_append_printf (csv, "%u", first->point);
      for (guint c = 0; c < t->n_cols; c++) {
        g_string_append_c (csv, ',');
        if (t->col_types[c] == AXIS_COL_VERSION
            && strpbrk (f[LEAD_FIELDS + c], ",\"\r\n") == NULL)
          g_string_append_printf (csv, "\"%s\"", f[LEAD_FIELDS + c]);
        else
          rsim__csv_append_field (csv, f[LEAD_FIELDS + c]);
      }
      g_string_append_printf (csv, ",%s,%s,%u", scheduler,
                              rsim_metrics[ids[m]].name,
                              st.n);
      for (guint k = 0; k < G_N_ELEMENTS (figures); k++) {
        char buf[RSIM_REPORT_NUMBER_SIZE];
        g_string_append_printf (csv, ",%s",
                                rsim_report_format_double (buf, figures[k]));
      }
      g_string_append_c (csv, '\n');

      cJSON *sj = cJSON_CreateObject ();
      cJSON_AddItemToObject (sj, "n", rsim__json_uint (st.n));
      cJSON_AddItemToObject (sj, "mean", rsim__json_number (st.mean));
      cJSON_AddItemToObject (sj, "sd", rsim__json_number (st.sd));
      cJSON_AddItemToObject (sj, "median", rsim__json_number (st.median));
      cJSON_AddItemToObject (sj, "p95", rsim__json_number (st.p95));
      cJSON_AddItemToObject (sj, "min", rsim__json_number (st.min));
      cJSON_AddItemToObject (sj, "max", rsim__json_number (st.max));
      cJSON *ci = cJSON_AddArrayToObject (sj, "ci95");
      cJSON_AddItemToArray (ci, rsim__json_number (st.ci95_low));
      cJSON_AddItemToArray (ci, rsim__json_number (st.ci95_high));
      cJSON_AddItemToObject (mj, rsim_metrics[ids[m]].name, sj);
    }
    cJSON_AddItemToArray (points, pj);
    i = j;
  }
  *csv_out = g_string_free (csv, FALSE);
  *json_out = json_text (root);
}

gboolean
rsim_sweep_table_write (const RsimSweepTable *table, const char *out_dir,
                        GError **error)
{
  g_return_val_if_fail (table != NULL && out_dir != NULL, FALSE);
  if (g_mkdir_with_parents (out_dir, 0777) != 0) {
    int errsv = errno;
    g_set_error (error, RSIM_SWEEP_ERROR, RSIM_SWEEP_ERROR_OUTPUT,
                 "%s: cannot create the directory: %s", out_dir,
                 g_strerror (errsv));
    return FALSE;
  }
  g_autofree char *csv = sweep_csv_text (table);
  if (rsim_sweep_table_is_shard (table)) {
    cJSON *o = identity_json (table, RSIM_SWEEP_SHARD_SCHEMA);
    cJSON_AddItemToObject (o, "shard", rsim__json_uint (table->shard));
    cJSON_AddItemToObject (o, "shards", rsim__json_uint (table->shards));
    cJSON_AddItemToObject (o, "runs", rsim__json_uint (table->rows->len));
    g_autofree char *shard = json_text (o);
    const char *names[] = { RSIM_SWEEP_FILE, RSIM_SWEEP_SHARD_FILE };
    const char *texts[] = { csv, shard };
    return write_files (out_dir, names, texts, 2, error);
  }
  g_autofree char *sum_csv = NULL;
  g_autofree char *sum_json = NULL;
  summaries (table, &sum_csv, &sum_json);
  const char *names[] = { RSIM_SWEEP_FILE, RSIM_SWEEP_SUMMARY_CSV,
                          RSIM_SWEEP_SUMMARY_JSON };
  const char *texts[] = { csv, sum_csv, sum_json };
  return write_files (out_dir, names, texts, 3, error);
}

/* ----------------------------------------------------------------- merge */

static gboolean
input_error (GError **error, const char *dir, const char *fmt, ...)
  G_GNUC_PRINTF (3, 4);

static gboolean
input_error (GError **error, const char *dir, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, RSIM_SWEEP_ERROR, RSIM_SWEEP_ERROR_INPUT, "%s: %s", dir,
               msg);
  return FALSE;
}

/* A member that is a whole number from 0 to 2^53. */
static gboolean
member_u64 (const RsimJsonSource *src, const cJSON *obj, const char *path,
            const char *key, guint64 *out, GError **error)
{
  const cJSON *v = rsim__json_member (src, obj, path, key, RSIM_JSON_UINT,
                                      error);
  if (v == NULL)
    return FALSE;
  *out = (guint64) v->valuedouble;
  return TRUE;
}

/* Reads DIR/shard.json into a table without rows. */
static RsimSweepTable *
read_shard_identity (const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, RSIM_SWEEP_SHARD_FILE, NULL);
  const RsimJsonSource src = { path, RSIM_SWEEP_ERROR, RSIM_SWEEP_ERROR_INPUT };
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
    input_error (error, dir, "not a sweep shard: %s is missing",
                 RSIM_SWEEP_SHARD_FILE);
    return NULL;
  }
  cJSON *o = rsim__json_read_file (&src, error);
  if (o == NULL)
    return NULL;
  const cJSON *name, *hash, *axes, *cols = NULL, *seeds = NULL;
  guint64 points = 0, base = 0, count = 0, total = 0, shard = 0, shards = 0;
  gboolean ok =
    rsim__json_schema (&src, o, RSIM_SWEEP_SHARD_SCHEMA, error)
    && (name = rsim__json_member (&src, o, "", "scenario", RSIM_JSON_STRING,
                                  error)) != NULL
    && (hash = rsim__json_member (&src, o, "", "sweep_hash",
                                  RSIM_JSON_STRING, error)) != NULL
    && (axes = rsim__json_member (&src, o, "", "axes", RSIM_JSON_ARRAY,
                                  error)) != NULL
    && (cols = rsim__json_member (&src, o, "", "axis_columns",
                                  RSIM_JSON_ARRAY, error)) != NULL
    && member_u64 (&src, o, "", "point_count", &points, error)
    && (seeds = rsim__json_member (&src, o, "", "seeds", RSIM_JSON_OBJECT,
                                   error)) != NULL
    && member_u64 (&src, seeds, "seeds", "base", &base, error)
    && member_u64 (&src, seeds, "seeds", "count", &count, error)
    && member_u64 (&src, o, "", "runs_total", &total, error)
    && member_u64 (&src, o, "", "shard", &shard, error)
    && member_u64 (&src, o, "", "shards", &shards, error);
  int index = 0;
  for (const cJSON *c = ok ? axes->child : NULL; ok && c; c = c->next) {
    g_autofree char *where = g_strdup_printf ("axes[%d]", index++);
    if (!cJSON_IsString (c))
      ok = rsim__json_expected (&src, where, "a string", c, error);
  }
  GString *types = g_string_new (NULL);
  index = 0;
  for (const cJSON *c = ok ? cols->child : NULL; ok && c; c = c->next) {
    g_autofree char *where = g_strdup_printf ("axis_columns[%d]", index++);
    const cJSON *type = NULL;
    ok = cJSON_IsObject (c)
         ? rsim__json_member (&src, c, where, "name", RSIM_JSON_STRING,
                              error) != NULL
           && (type = rsim__json_member (&src, c, where, "type",
                                         RSIM_JSON_STRING, error)) != NULL
         : rsim__json_expected (&src, where, "an object with \"name\" and "
                                "\"type\"", c, error);
    if (!ok)
      break;
    const char *ty = type->valuestring;
    if (g_str_equal (ty, "text"))
      g_string_append_c (types, AXIS_COL_TEXT);
    else if (g_str_equal (ty, "number"))
      g_string_append_c (types, AXIS_COL_NUMBER);
    else if (g_str_equal (ty, "version"))
      g_string_append_c (types, AXIS_COL_VERSION);
    else {
      g_autofree char *where_type = g_strconcat (where, ".type", NULL);
      ok = rsim__json_expected (&src, where_type, "\"text\", \"number\" or "
                                "\"version\"", type, error);
    }
  }
  if (ok && !(shards >= 1 && shard >= 1 && shard <= shards
              && total <= G_MAXUINT && count >= 1 && points * count == total)) {
    input_error (error, dir, "%s is not a consistent shard description "
                 "(shard %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT ", %"
                 G_GUINT64_FORMAT " points x %" G_GUINT64_FORMAT " seeds, %"
                 G_GUINT64_FORMAT " runs)", RSIM_SWEEP_SHARD_FILE, shard,
                 shards, points, count, total);
    ok = FALSE;
  }
  if (!ok) {
    g_string_free (types, TRUE);
    cJSON_Delete (o);
    return NULL;
  }
  RsimSweepTable *t = g_new0 (RsimSweepTable, 1);
  t->n_cols = (guint) types->len;
  t->col_types = g_string_free (types, FALSE);
  t->col_names = g_new0 (char *, t->n_cols + 1);
  guint k = 0;
  for (const cJSON *c = cols->child; c; c = c->next)
    t->col_names[k++] = g_strdup (cJSON_GetObjectItemCaseSensitive (
      c, "name")->valuestring);
  t->name = g_strdup (name->valuestring);
  t->hash = g_strdup (hash->valuestring);
  t->n_axes = (guint) cJSON_GetArraySize (axes);
  t->axis_names = g_new0 (char *, t->n_axes + 1);
  guint a = 0;
  for (const cJSON *c = axes->child; c; c = c->next)
    t->axis_names[a++] = g_strdup (c->valuestring);
  t->n_points = (guint) points;
  t->seed_base = base;
  t->seed_count = (guint) count;
  t->n_runs_total = (guint) total;
  t->shard = (guint) shard;
  t->shards = (guint) shards;
  t->rows = g_ptr_array_new_with_free_func (row_free);
  cJSON_Delete (o);
  return t;
}

/* Reads DIR/sweep.csv into t's rows, checking each row belongs to the
 * shard. */
static gboolean
read_shard_rows (const char *dir, RsimSweepTable *t, GError **error)
{
  g_autofree char *path = g_build_filename (dir, RSIM_SWEEP_FILE, NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) io = NULL;
  /* A row takes a few hundred bytes: a shard's file is read whole, so it
   * is bounded well above what the runs of one shard write. */
  GStatBuf st;
  const guint64 limit = SHARD_CSV_MAX_SIZE;
  if (g_stat (path, &st) == 0 && (guint64) st.st_size > limit)
    return input_error (error, dir, "%s: %" G_GUINT64_FORMAT " bytes, more "
                        "than the %" G_GUINT64_FORMAT " MiB a shard's file "
                        "may have", RSIM_SWEEP_FILE, (guint64) st.st_size,
                        limit / (1024 * 1024));
  if (!g_file_get_contents (path, &text, NULL, &io))
    return input_error (error, dir, "%s", io->message);
  g_autofree char *why = NULL;
  g_autoptr (GPtrArray) records = rsim__csv_parse (text, &why);
  if (records == NULL)
    return input_error (error, dir, "%s: %s", RSIM_SWEEP_FILE, why);
  g_auto (GStrv) header = header_fields (t);
  if (records->len == 0
      || !g_strv_equal ((const char *const *) header,
                        (const char *const *) records->pdata[0]))
    return input_error (error, dir, "%s: the header does not match the "
                        "shard's axes and this version's metrics",
                        RSIM_SWEEP_FILE);
  guint width = n_row_fields (t);
  for (guint i = 1; i < records->len; i++) {
    char **f = records->pdata[i];
    guint64 run, point;
    if (g_strv_length (f) != width
        || !g_ascii_string_to_unsigned (f[0], 10, 0, t->n_runs_total - 1, &run,
                                        NULL)
        || !g_ascii_string_to_unsigned (f[1], 10, 0, t->n_points - 1, &point,
                                        NULL)
        || point != run / t->seed_count)
      return input_error (error, dir, "%s: line %u is not a valid row",
                          RSIM_SWEEP_FILE, i + 1);
    if (run % t->shards != t->shard - 1)
      return input_error (error, dir, "%s: run %" G_GUINT64_FORMAT " does not "
                          "belong to shard %u of %u", RSIM_SWEEP_FILE, run,
                          t->shard, t->shards);
    Row *row = g_new0 (Row, 1);
    row->run = (guint) run;
    row->point = (guint) point;
    row->fields = g_steal_pointer ((char ***) &records->pdata[i]);
    g_ptr_array_add (t->rows, row);
  }
  return TRUE;
}

static int
compare_rows (gconstpointer a, gconstpointer b)
{
  const Row *x = *(Row *const *) a, *y = *(Row *const *) b;
  return (x->run > y->run) - (x->run < y->run);
}

RsimSweepTable *
rsim_sweep_merge (const char *const *dirs, guint n_dirs, GError **error)
{
  g_return_val_if_fail (dirs != NULL || n_dirs == 0, NULL);
  if (n_dirs == 0) {
    g_set_error (error, RSIM_SWEEP_ERROR, RSIM_SWEEP_ERROR_INPUT,
                 "no shard directory given");
    return NULL;
  }
  g_autoptr (GPtrArray) shards =
    g_ptr_array_new_with_free_func ((GDestroyNotify) rsim_sweep_table_free);
  for (guint i = 0; i < n_dirs; i++) {
    RsimSweepTable *t = read_shard_identity (dirs[i], error);
    if (t == NULL)
      return NULL;
    g_ptr_array_add (shards, t);
    const RsimSweepTable *t0 = shards->pdata[0];
    gboolean same = strcmp (t->hash, t0->hash) == 0 && t->shards == t0->shards
      && t->n_runs_total == t0->n_runs_total;
    if (!same) {
      g_set_error (error, RSIM_SWEEP_ERROR, RSIM_SWEEP_ERROR_MISMATCH,
                   "%s and %s are shards of different sweeps (sweep hash "
                   "%.12s... with %u shards, and %.12s... with %u shards)",
                   dirs[0], dirs[i], t0->hash, t0->shards, t->hash, t->shards);
      return NULL;
    }
    for (guint k = 0; k < i; k++) {
      if (((RsimSweepTable *) shards->pdata[k])->shard == t->shard) {
        g_set_error (error, RSIM_SWEEP_ERROR, RSIM_SWEEP_ERROR_MISMATCH,
                     "shard %u of %u is given twice (%s and %s)", t->shard,
                     t->shards, dirs[k], dirs[i]);
        return NULL;
      }
    }
    if (!read_shard_rows (dirs[i], t, error))
      return NULL;
  }
  const RsimSweepTable *t0 = shards->pdata[0];
  GString *missing = g_string_new (NULL);
  for (guint k = 1; k <= t0->shards; k++) {
    gboolean have = FALSE;
    for (guint i = 0; i < shards->len; i++)
      have = have || ((RsimSweepTable *) shards->pdata[i])->shard == k;
    if (!have)
      g_string_append_printf (missing, "%s%u", missing->len ? ", " : "", k);
  }
  if (missing->len > 0) {
    g_set_error (error, RSIM_SWEEP_ERROR, RSIM_SWEEP_ERROR_MISMATCH,
                 "shard%s %s of %u missing", strchr (missing->str, ',') ? "s"
                 : "", missing->str, t0->shards);
    g_string_free (missing, TRUE);
    return NULL;
  }
  g_string_free (missing, TRUE);

  RsimSweepTable *out = g_new0 (RsimSweepTable, 1);
  out->name = g_strdup (t0->name);
  out->hash = g_strdup (t0->hash);
  out->n_axes = t0->n_axes;
  out->axis_names = g_strdupv (t0->axis_names);
  out->n_cols = t0->n_cols;
  out->col_names = g_strdupv (t0->col_names);
  out->col_types = g_strdup (t0->col_types);
  out->n_points = t0->n_points;
  out->seed_base = t0->seed_base;
  out->seed_count = t0->seed_count;
  out->n_runs_total = t0->n_runs_total;
  out->rows = g_ptr_array_new_full (out->n_runs_total, row_free);
  for (guint i = 0; i < shards->len; i++) {
    RsimSweepTable *t = shards->pdata[i];
    for (guint k = 0; k < t->rows->len; k++) {
      g_ptr_array_add (out->rows, t->rows->pdata[k]);
      t->rows->pdata[k] = NULL;
    }
  }
  g_ptr_array_sort (out->rows, compare_rows);
  for (guint r = 0; r < out->n_runs_total; r++) {
    const Row *row = r < out->rows->len ? out->rows->pdata[r] : NULL;
    if (row == NULL || row->run != r) {
      gboolean twice = row != NULL && row->run < r;
      guint which = twice ? row->run : r;
      g_set_error (error, RSIM_SWEEP_ERROR, RSIM_SWEEP_ERROR_MISMATCH,
                   "run %u (shard %u of %u) is %s", which,
                   which % t0->shards + 1, t0->shards,
                   twice ? "present twice" : "missing");
      rsim_sweep_table_free (out);
      return NULL;
    }
  }
  if (out->rows->len != out->n_runs_total) {
    const Row *extra = out->rows->pdata[out->n_runs_total];
    g_set_error (error, RSIM_SWEEP_ERROR, RSIM_SWEEP_ERROR_MISMATCH,
                 "run %u is present twice", extra->run);
    rsim_sweep_table_free (out);
    return NULL;
  }
  return out;
}
