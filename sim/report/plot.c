/* Plots of a run, a comparison or a sweep, drawn by gnuplot
 * (rescalesim plot).
 *
 * The figures' layout lives in the gnuplot templates under plots/; this
 * file only gathers what they need and runs gnuplot once per figure and
 * format. Data reach gnuplot in three ways, none through a shell: the
 * time series are read by gnuplot from the run's own timeseries.csv; the
 * few numbers of a run (outage intervals, restart times, in minutes) and
 * every path and title are passed as gnuplot variables with -e, strings in
 * single quotes (a quote doubled); the per-scheduler statistics of a
 * comparison and the per-point statistics of a sweep go through a small
 * CSV file in a temporary directory.
 *
 * Every number passed to gnuplot is formatted by rsim_report_format_double
 * (C locale). gnuplot writes each figure under a hidden temporary name in
 * the output directory, renamed into place when gnuplot succeeded, so a
 * failed plot never leaves a truncated image behind. */
#include "report/report-internal.h"
#include "report/plot-config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include <cjson/cJSON.h>
#include <glib/gstdio.h>

#include <rescalesim/report.h>

G_DEFINE_QUARK (rsim-plot-error-quark, rsim_plot_error)

/* Seconds to minutes, formatted for gnuplot. */
static void
append_minutes (GString *s, double seconds)
{
  char buf[RSIM_REPORT_NUMBER_SIZE];
  if (s->len > 0)
    g_string_append_c (s, ' ');
  g_string_append (s, rsim_report_format_double (buf, seconds / 60.0));
}

/* name='value'; for a gnuplot -e program: single quotes interpret no
 * escapes, so a quote is doubled and line breaks become spaces. Also used
 * by advise's plot (report-internal.h). */
void
rsim__gp_string (GString *prog, const char *name, const char *value)
{
  g_string_append_printf (prog, "%s='", name);
  for (const char *p = value ? value : ""; *p; p++) {
    if (*p == '\'')
      g_string_append (prog, "''");
    else if (*p == '\n' || *p == '\r')
      g_string_append_c (prog, ' ');
    else
      g_string_append_c (prog, *p);
  }
  g_string_append (prog, "'; ");
}

void
rsim__gp_number (GString *prog, const char *name, double value)
{
  char buf[RSIM_REPORT_NUMBER_SIZE];
  g_string_append_printf (prog, "%s=%s; ", name,
                          isfinite (value)
                          ? rsim_report_format_double (buf, value) : "NaN");
}

/* The templates of an installed copy: PREFIX/DATADIR/rescalesim/plots,
 * where PREFIX is the running program's directory without its BINDIR
 * ("/opt/x/bin/rescalesim" -> "/opt/x"), so that a tree installed with
 * DESTDIR or moved elsewhere finds its own templates. NULL when the
 * program's path is unknown or BINDIR or DATADIR was configured absolute.
 * (transfer full) */
static char *
installed_dir_of_exe (void)
{
  if (g_path_is_absolute (RSIM_BINDIR) || g_path_is_absolute (RSIM_DATADIR))
    return NULL;
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe == NULL)
    return NULL;
  g_autofree char *dir = g_path_get_dirname (exe);
  g_autofree char *suffix = g_strconcat (G_DIR_SEPARATOR_S, RSIM_BINDIR, NULL);
  if (!g_str_has_suffix (dir, suffix))
    return NULL;
  dir[strlen (dir) - strlen (suffix)] = '\0';
  return g_build_filename (dir, RSIM_DATADIR, "rescalesim", "plots", NULL);
}

static gboolean
has_templates (const char *dir)
{
  g_autofree char *probe = g_build_filename (dir, "timeline.gp", NULL);
  return g_file_test (probe, G_FILE_TEST_IS_REGULAR);
}

/* In order: $RSIM_PLOTS_DIR; the installed templates beside the running
 * program (installed_dir_of_exe); those of the configured prefix; the
 * source tree's plots/, only for a program that runs from the build
 * directory (an installed program never reads the source tree). When none
 * has the templates, the first candidate that applies, so that the error
 * names where they were expected. */
static gpointer
find_templates_dir (gpointer data)
{
  const char *env = g_getenv ("RSIM_PLOTS_DIR");
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  char *beside = installed_dir_of_exe ();
  if (beside != NULL && has_templates (beside))
    return beside;
  if (has_templates (RSIM_PLOTS_INSTALLED)) {
    g_free (beside);
    return g_strdup (RSIM_PLOTS_INSTALLED);
  }
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *build_root = g_strconcat (RSIM_BUILD_ROOT,
                                             G_DIR_SEPARATOR_S, NULL);
  if (exe != NULL && g_str_has_prefix (exe, build_root)
      && has_templates (RSIM_PLOTS_SOURCE)) {
    g_free (beside);
    return g_strdup (RSIM_PLOTS_SOURCE);
  }
  return beside != NULL ? beside : g_strdup (RSIM_PLOTS_INSTALLED);
}

const char *
rsim_plot_templates_dir (void)
{
  /* The environment is read once, like the program's location. */
  static GOnce once = G_ONCE_INIT;
  return g_once (&once, find_templates_dir, NULL);
}

/* ------------------------------------------------------------ inputs */

static cJSON *
load_json (const char *path, GError **error)
{
  const RsimJsonSource src = { path, RSIM_PLOT_ERROR, RSIM_PLOT_ERROR_INPUT };
  return rsim__json_read_file (&src, error);
}

static const char *
json_str (const cJSON *obj, const char *key, const char *fallback)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive (obj, key);
  return cJSON_IsString (v) ? v->valuestring : fallback;
}

static gboolean
json_num (const cJSON *obj, const char *key, double *out)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive (obj, key);
  if (!cJSON_IsNumber (v))
    return FALSE;
  *out = v->valuedouble;
  return TRUE;
}

/* What a figure needs from one run directory. */
typedef struct {
  char *timeseries;     /* path of timeseries.csv */
  char *title;
  double duration_s;
  GString *outages;     /* "start end ..." in minutes */
  GString *failovers;   /* "t ..." in minutes */
  GString *resubmits;
  GString *restores;
  GPtrArray *vertices;  /* char*: names of the per-vertex columns, or empty */
} RunInfo;

static void
run_info_clear (RunInfo *r)
{
  g_free (r->timeseries);
  g_free (r->title);
  if (r->outages)
    g_string_free (r->outages, TRUE);
  if (r->failovers)
    g_string_free (r->failovers, TRUE);
  if (r->resubmits)
    g_string_free (r->resubmits, TRUE);
  if (r->vertices)
    g_ptr_array_free (r->vertices, TRUE);
  if (r->restores)
    g_string_free (r->restores, TRUE);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RunInfo, run_info_clear)

/* The restart marks of events.jsonl. Only lines naming one of the three
 * events are parsed. A missing events.jsonl gives no marks. */
static gboolean
read_marks (const char *path, RunInfo *r, GError **error)
{
  g_autofree char *text = NULL;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  g_autoptr (GError) local = NULL;
  if (!g_file_get_contents (path, &text, NULL, &local)) {
    g_set_error (error, RSIM_PLOT_ERROR, RSIM_PLOT_ERROR_INPUT, "%s",
                 local->message);
    return FALSE;
  }
  static const struct {
    const char *needle;
    const char *name;
    gsize offset;
  } kinds[] = {
    { "\"failover\"", "failover", G_STRUCT_OFFSET (RunInfo, failovers) },
    { "\"resubmit\"", "resubmit", G_STRUCT_OFFSET (RunInfo, resubmits) },
    { "\"rescale_restore\"", "rescale_restore",
      G_STRUCT_OFFSET (RunInfo, restores) },
  };
  guint line_no = 0;
  for (char *line = text, *next; line && *line; line = next) {
    next = strchr (line, '\n');
    if (next)
      *next++ = '\0';
    line_no++;
    gboolean wanted = FALSE;
    for (gsize k = 0; k < G_N_ELEMENTS (kinds); k++)
      wanted = wanted || strstr (line, kinds[k].needle) != NULL;
    if (!wanted)
      continue;
    g_autoptr (cJSON) ev = cJSON_Parse (line);
    const char *name = json_str (ev, "event", NULL);
    double t;
    if (ev == NULL || name == NULL || !json_num (ev, "t", &t)) {
      g_set_error (error, RSIM_PLOT_ERROR, RSIM_PLOT_ERROR_INPUT,
                   "%s:%u: not an event (expected an object with \"t\" and "
                   "\"event\")", path, line_no);
      return FALSE;
    }
    for (gsize k = 0; k < G_N_ELEMENTS (kinds); k++)
      if (g_str_equal (name, kinds[k].name))
        append_minutes (G_STRUCT_MEMBER (GString *, r, kinds[k].offset), t);
  }
  return TRUE;
}

/* More vertices than this are drawn as one line, the largest vertex's. */
#define MAX_PLOTTED_VERTICES 12

/* Whether timeseries.csv's header has the phase and per-vertex columns
 * (it starts with RSIM_TIMESERIES_HEADER ",phase"). */
static gboolean
timeseries_has_vertex_columns (const char *path)
{
  static const char want[] = RSIM_TIMESERIES_HEADER ",phase";
  char head[sizeof want] = { 0 };
  FILE *f = g_fopen (path, "rb");
  if (f == NULL)
    return FALSE;
  gsize n = fread (head, 1, sizeof want - 1, f);
  fclose (f);
  return n == sizeof want - 1 && memcmp (head, want, n) == 0;
}

/* Reads a run directory: report.json (title, duration, incidents),
 * events.jsonl (marks) and checks that timeseries.csv exists. */
static gboolean
read_run (const char *dir, RunInfo *r, GError **error)
{
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR)) {
    g_set_error (error, RSIM_PLOT_ERROR, RSIM_PLOT_ERROR_INPUT,
                 "%s: not a directory", dir);
    return FALSE;
  }
  g_autofree char *report_path = g_build_filename (dir, RSIM_REPORT_FILE,
                                                   NULL);
  r->timeseries = g_build_filename (dir, RSIM_TIMESERIES_FILE, NULL);
  if (!g_file_test (report_path, G_FILE_TEST_IS_REGULAR)
      || !g_file_test (r->timeseries, G_FILE_TEST_IS_REGULAR)) {
    g_set_error (error, RSIM_PLOT_ERROR, RSIM_PLOT_ERROR_INPUT,
                 "%s: not a result directory (expected %s and %s, or %s)",
                 dir, RSIM_REPORT_FILE, RSIM_TIMESERIES_FILE,
                 RSIM_COMPARE_FILE);
    return FALSE;
  }
  g_autoptr (cJSON) report = load_json (report_path, error);
  if (report == NULL)
    return FALSE;
  const RsimJsonSource src = { report_path, RSIM_PLOT_ERROR,
                               RSIM_PLOT_ERROR_INPUT };
  const cJSON *run, *duration;
  if (!rsim__json_schema (&src, report, RSIM_REPORT_SCHEMA, error)
      || (run = rsim__json_member (&src, report, "", "run", RSIM_JSON_OBJECT,
                                   error)) == NULL
      || (duration = rsim__json_member (&src, run, "run", "duration_s",
                                        RSIM_JSON_NUMBER, error)) == NULL)
    return FALSE;
  r->duration_s = duration->valuedouble;
  const cJSON *scenario = cJSON_GetObjectItemCaseSensitive (report,
                                                            "scenario");
  r->title = g_strdup_printf ("%s  |  %s scheduler  |  Flink %s",
                              json_str (scenario, "name", "?"),
                              json_str (run, "scheduler", "?"),
                              json_str (run, "flink_version", "?"));

  r->outages = g_string_new (NULL);
  r->failovers = g_string_new (NULL);
  r->resubmits = g_string_new (NULL);
  r->restores = g_string_new (NULL);
  const cJSON *incidents = cJSON_GetObjectItemCaseSensitive (report,
                                                             "incidents");
  const cJSON *inc;
  cJSON_ArrayForEach (inc, incidents) {
    double start, end;
    if (!json_num (inc, "start_s", &start))
      continue;
    /* An open incident (end_s null) lasts until the end of the run. */
    if (!json_num (inc, "end_s", &end))
      end = r->duration_s;
    append_minutes (r->outages, start);
    append_minutes (r->outages, end);
  }

  /* The per-vertex parallelism columns: report.json's final_parallelism
   * names the vertices in the job's order, as the columns do; a time
   * series from before the columns existed has none. Up to
   * MAX_PLOTTED_VERTICES lines, else the largest vertex's only. */
  r->vertices = g_ptr_array_new_with_free_func (g_free);
  const cJSON *summary = cJSON_GetObjectItemCaseSensitive (report, "summary");
  const cJSON *par = cJSON_GetObjectItemCaseSensitive (summary,
                                                       "final_parallelism");
  if (cJSON_IsObject (par) && cJSON_GetArraySize (par) <= MAX_PLOTTED_VERTICES
      && timeseries_has_vertex_columns (r->timeseries)) {
    const cJSON *v;
    cJSON_ArrayForEach (v, par)
      g_ptr_array_add (r->vertices, g_strdup (v->string));
  }

  g_autofree char *events = g_build_filename (dir, RSIM_EVENTS_FILE, NULL);
  return read_marks (events, r, error);
}

/* ----------------------------------------------------------- gnuplot */

static const char *
format_ext (RsimPlotFormats f)
{
  return f == RSIM_PLOT_SVG ? "svg" : "png";
}

/* In gnuplot's process, before exec: take back the signals the harness
 * blocks for its interruption thread (harness.h), which a child would
 * otherwise inherit blocked. */
static void
unblock_signals (gpointer data)
{
  sigset_t set;
  sigemptyset (&set);
  sigaddset (&set, SIGINT);
  sigaddset (&set, SIGTERM);
  sigprocmask (SIG_UNBLOCK, &set, NULL);
}

/* Runs gnuplot on a template with the variables of prog, making
 * out_dir/name.EXT; appends the path to written. */
static gboolean
run_gnuplot (const char *templates_dir, const char *template_name,
             const char *vars, RsimPlotFormats format, const char *out_dir,
             const char *name, GPtrArray *written, GError **error)
{
  g_autofree char *template = g_build_filename (templates_dir, template_name,
                                                NULL);
  if (!g_file_test (template, G_FILE_TEST_IS_REGULAR)) {
    g_set_error (error, RSIM_PLOT_ERROR, RSIM_PLOT_ERROR_GNUPLOT,
                 "gnuplot template %s not found (install rescalesim with "
                 "meson install, or set RSIM_PLOTS_DIR to a directory of "
                 "its plots/ templates)", template);
    return FALSE;
  }
  g_autofree char *file = g_strdup_printf ("%s.%s", name,
                                           format_ext (format));
  g_autofree char *final = g_build_filename (out_dir, file, NULL);
  g_autofree char *tmp = rsim__tmp_path_new (final);

  g_autoptr (GString) prog = g_string_new (NULL);
  rsim__gp_string (prog, "plots_dir", templates_dir);
  rsim__gp_string (prog, "fmt", format_ext (format));
  rsim__gp_string (prog, "outfile", tmp);
  g_string_append (prog, vars);

  const char *gnuplot = g_getenv ("RSIM_GNUPLOT");
  if (gnuplot == NULL || *gnuplot == '\0')
    gnuplot = "gnuplot";
  const char *argv[] = { gnuplot, "-e", prog->str, template, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  g_autoptr (GError) local = NULL;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH,
                     unblock_signals, NULL, &out, &err, &status, &local)) {
    rsim__tmp_discard (tmp);
    g_set_error (error, RSIM_PLOT_ERROR, RSIM_PLOT_ERROR_GNUPLOT,
                 "cannot run %s: %s", gnuplot, local->message);
    return FALSE;
  }
  if (!g_spawn_check_wait_status (status, &local)) {
    rsim__tmp_discard (tmp);
    g_set_error (error, RSIM_PLOT_ERROR, RSIM_PLOT_ERROR_GNUPLOT,
                 "%s failed on %s (%s):\n%s", gnuplot, template,
                 local->message, g_strchomp (err));
    return FALSE;
  }
  GStatBuf st;
  if (g_stat (tmp, &st) != 0 || st.st_size == 0) {
    rsim__tmp_discard (tmp);
    g_set_error (error, RSIM_PLOT_ERROR, RSIM_PLOT_ERROR_GNUPLOT,
                 "%s wrote nothing to %s:\n%s", gnuplot, tmp,
                 g_strchomp (err));
    return FALSE;
  }
  g_autoptr (GError) io = NULL;
  if (!rsim__tmp_commit (&tmp, &final, 1, &io)) {
    g_set_error_literal (error, RSIM_PLOT_ERROR, RSIM_PLOT_ERROR_OUTPUT,
                         io->message);
    return FALSE;
  }
  g_ptr_array_add (written, g_steal_pointer (&final));
  return TRUE;
}

/* Runs one figure in every requested format. */
static gboolean
draw (const char *templates_dir, const char *template_name, const char *vars,
      RsimPlotFormats formats, const char *out_dir, const char *name,
      GPtrArray *written, GError **error)
{
  static const RsimPlotFormats each[] = { RSIM_PLOT_PNG, RSIM_PLOT_SVG };
  for (gsize i = 0; i < G_N_ELEMENTS (each); i++)
    if ((formats & each[i])
        && !run_gnuplot (templates_dir, template_name, vars, each[i],
                         out_dir, name, written, error))
      return FALSE;
  return TRUE;
}

/* ---------------------------------------------------------- timeline */

static gboolean
plot_run (const char *dir, RsimPlotFormats formats, const char *out_dir,
          const char *templates_dir, GPtrArray *written, GError **error)
{
  g_auto (RunInfo) r = { 0 };
  if (!read_run (dir, &r, error))
    return FALSE;
  g_autoptr (GString) vars = g_string_new (NULL);
  rsim__gp_string (vars, "datafile", r.timeseries);
  rsim__gp_string (vars, "plot_title", r.title);
  rsim__gp_number (vars, "t_end", r.duration_s > 0 ? r.duration_s / 60.0 : 1.0);
  rsim__gp_string (vars, "outages", r.outages->str);
  rsim__gp_string (vars, "failovers", r.failovers->str);
  rsim__gp_string (vars, "resubmits", r.resubmits->str);
  rsim__gp_string (vars, "restores", r.restores->str);
  rsim__gp_number (vars, "n_vertices", r.vertices->len);
  for (guint i = 0; i < r.vertices->len; i++) {
    char key[32];
    g_snprintf (key, sizeof key, "vertex_%u", i + 1);
    rsim__gp_string (vars, key, r.vertices->pdata[i]);
  }
  return draw (templates_dir, "timeline.gp", vars->str, formats, out_dir,
               "timeline", written, error);
}

/* -------------------------------------------------------- comparison */

#define N_BARS 4

/* The runs of one scheduler in compare.json. */
typedef struct {
  char *name;
  guint n;
  double sum[N_BARS], min[N_BARS], max[N_BARS];  /* bar_metrics */
  double first_seed;
  char *first_dir;                /* the run with the smallest seed */
} SchedulerRuns;

static void
scheduler_runs_free (gpointer p)
{
  SchedulerRuns *s = p;
  g_free (s->name);
  g_free (s->first_dir);
  g_free (s);
}

/* The metrics of compare-summary, one panel each (compare-summary.gp):
 * job stops beside the downtime, with the rescales among them; Flink's
 * numRestarts ("restarts") would show 0 for a default scheduler that
 * stops and resubmits the job. */
static const char *const bar_metrics[N_BARS] = { "downtime_s", "job_stops",
                                                 "rescales",
                                                 "reprocessed_records" };

/* A scheduler name as one CSV field: no commas, quotes or line breaks. */
static char *
csv_field (const char *text)
{
  char *s = g_strdup (text);
  for (char *p = s; *p; p++)
    if (*p == ',' || *p == '"' || *p == '\n' || *p == '\r')
      *p = ' ';
  return s;
}

/* A private directory for gnuplot's data files, removed by rm_tmp_dir().
 * (transfer full) */
static char *
make_tmp_dir (GError **error)
{
  g_autoptr (GError) local = NULL;
  char *dir = g_dir_make_tmp ("rsim-plot-XXXXXX", &local);
  if (dir == NULL)
    g_set_error_literal (error, RSIM_PLOT_ERROR, RSIM_PLOT_ERROR_OUTPUT,
                         local->message);
  return dir;
}

static void
rm_tmp_dir (char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name (d)) != NULL) {
    g_autofree char *child = g_build_filename (dir, name, NULL);
    g_unlink (child);
  }
  if (d)
    g_dir_close (d);
  g_rmdir (dir);
  g_free (dir);
}

static gboolean
plot_comparison (const char *dir, const char *compare_path,
                 RsimPlotFormats formats, const char *out_dir,
                 const char *templates_dir, GPtrArray *written,
                 GError **error)
{
  g_autoptr (cJSON) root = load_json (compare_path, error);
  if (root == NULL)
    return FALSE;
  const RsimJsonSource src = { compare_path, RSIM_PLOT_ERROR,
                               RSIM_PLOT_ERROR_INPUT };
  const cJSON *runs;
  if (!rsim__json_schema (&src, root, RSIM_COMPARE_SCHEMA, error)
      || (runs = rsim__json_member (&src, root, "", "runs", RSIM_JSON_ARRAY,
                                    error)) == NULL)
    return FALSE;
  if (cJSON_GetArraySize (runs) == 0)
    return rsim__json_expected (&src, "runs", "a non-empty array", runs,
                                error);
  const cJSON *scenario = cJSON_GetObjectItemCaseSensitive (root,
                                                            "scenario");
  const char *scenario_name = json_str (scenario, "name", "?");

  /* Schedulers in order of first appearance. */
  g_autoptr (GPtrArray) scheds = g_ptr_array_new_with_free_func (
    scheduler_runs_free);
  const cJSON *run;
  int index = 0;
  cJSON_ArrayForEach (run, runs) {
    g_autofree char *where = g_strdup_printf ("runs[%d]", index++);
    g_autofree char *where_summary = g_strconcat (where, ".summary", NULL);
    const cJSON *name_v, *rdir_v, *seed_v, *summary;
    double v[N_BARS];
    if ((name_v = rsim__json_member (&src, run, where, "scheduler",
                                     RSIM_JSON_STRING, error)) == NULL
        || (rdir_v = rsim__json_member (&src, run, where, "dir",
                                        RSIM_JSON_STRING, error)) == NULL
        || (seed_v = rsim__json_member (&src, run, where, "seed",
                                        RSIM_JSON_NUMBER, error)) == NULL
        || (summary = rsim__json_member (&src, run, where, "summary",
                                         RSIM_JSON_OBJECT, error)) == NULL)
      return FALSE;
    for (int m = 0; m < N_BARS; m++) {
      const cJSON *x = rsim__json_member (&src, summary, where_summary,
                                          bar_metrics[m], RSIM_JSON_NUMBER,
                                          error);
      if (x == NULL)
        return FALSE;
      v[m] = x->valuedouble;
    }
    const char *name = name_v->valuestring;
    const char *rdir = rdir_v->valuestring;
    double seed = seed_v->valuedouble;
    SchedulerRuns *s = NULL;
    for (guint i = 0; i < scheds->len && s == NULL; i++)
      if (g_str_equal (((SchedulerRuns *) scheds->pdata[i])->name, name))
        s = scheds->pdata[i];
    if (s == NULL) {
      s = g_new0 (SchedulerRuns, 1);
      s->name = g_strdup (name);
      g_ptr_array_add (scheds, s);
    }
    for (int m = 0; m < N_BARS; m++) {
      s->sum[m] += v[m];
      s->min[m] = s->n == 0 ? v[m] : MIN (s->min[m], v[m]);
      s->max[m] = s->n == 0 ? v[m] : MAX (s->max[m], v[m]);
    }
    if (s->n == 0 || seed < s->first_seed) {
      s->first_seed = seed;
      g_free (s->first_dir);
      s->first_dir = g_path_is_absolute (rdir)
                     ? g_strdup (rdir) : g_build_filename (dir, rdir, NULL);
    }
    s->n++;
  }

  /* The bars: one CSV line per scheduler in a temporary directory. */
  char *tmp_dir = make_tmp_dir (error);
  if (tmp_dir == NULL)
    return FALSE;
  g_autofree char *bars_path = g_build_filename (tmp_dir, "bars.csv", NULL);
  g_autoptr (GString) bars = g_string_new (NULL);
  for (guint i = 0; i < scheds->len; i++) {
    SchedulerRuns *s = scheds->pdata[i];
    g_autofree char *field = csv_field (s->name);
    g_string_append_printf (bars, "%u,%s,%u", i + 1, field, s->n);
    for (int m = 0; m < N_BARS; m++) {
      char a[RSIM_REPORT_NUMBER_SIZE], b[RSIM_REPORT_NUMBER_SIZE],
        c[RSIM_REPORT_NUMBER_SIZE];
      g_string_append_printf (bars, ",%s,%s,%s",
                              rsim_report_format_double (a, s->sum[m] / s->n),
                              rsim_report_format_double (b, s->min[m]),
                              rsim_report_format_double (c, s->max[m]));
    }
    g_string_append_c (bars, '\n');
  }
  g_autoptr (GError) local = NULL;
  gboolean ok = g_file_set_contents (bars_path, bars->str, -1, &local);
  if (!ok)
    g_set_error (error, RSIM_PLOT_ERROR, RSIM_PLOT_ERROR_OUTPUT, "%s",
                 local->message);

  g_autoptr (GString) vars = g_string_new (NULL);
  if (ok) {
    g_autofree char *title = g_strdup_printf (
      "%s: cost per scheduler", scenario_name);
    rsim__gp_string (vars, "plot_title", title);
    rsim__gp_string (vars, "barsfile", bars_path);
    rsim__gp_number (vars, "n_sched", scheds->len);
    ok = draw (templates_dir, "compare-summary.gp", vars->str, formats,
               out_dir, "compare-summary", written, error);
  }

  /* The lag of each scheduler's first seed. */
  if (ok) {
    g_string_truncate (vars, 0);
    g_autofree char *title = g_strdup_printf (
      "%s: lag per scheduler (first seed of each)", scenario_name);
    rsim__gp_string (vars, "plot_title", title);
    rsim__gp_number (vars, "n_runs", scheds->len);
    double t_end = 0;
    for (guint i = 0; ok && i < scheds->len; i++) {
      SchedulerRuns *s = scheds->pdata[i];
      g_auto (RunInfo) r = { 0 };
      ok = read_run (s->first_dir, &r, error);
      if (!ok)
        break;
      t_end = MAX (t_end, r.duration_s);
      char key[32], seed[RSIM_REPORT_NUMBER_SIZE];
      g_snprintf (key, sizeof key, "file_%u", i + 1);
      rsim__gp_string (vars, key, r.timeseries);
      g_snprintf (key, sizeof key, "name_%u", i + 1);
      g_autofree char *label = g_strdup_printf (
        "%s, seed %s", s->name, rsim_report_format_double (seed,
                                                           s->first_seed));
      rsim__gp_string (vars, key, label);
      g_snprintf (key, sizeof key, "outages_%u", i + 1);
      rsim__gp_string (vars, key, r.outages->str);
    }
    if (ok) {
      rsim__gp_number (vars, "t_end", t_end > 0 ? t_end / 60.0 : 1.0);
      ok = draw (templates_dir, "compare-lag.gp", vars->str, formats,
                 out_dir, "compare-lag", written, error);
    }
  }
  rm_tmp_dir (tmp_dir);
  return ok;
}

/* ------------------------------------------------------------- sweep */

/* The four metrics of a sweep chart, one panel each, as columns of the
 * data file written for gnuplot (mean, ci95 low, ci95 high). */
/* The panels of sweep.gp, in order: job stops (every interval without
 * processing) with the rescales among them beside the downtime. */
#define N_SWEEP_METRICS 5
static const char *const sweep_metrics[N_SWEEP_METRICS] = {
  "downtime_s", "job_stops", "rescales", "reprocessed_records",
  "max_lag_records" };

/* An axis's values as x positions: numbers when every value is a number
 * (a JSON number written as text) or a duration ("8 s", in seconds), else
 * categories 1, 2, ... in the order the sweep lists them. The Flink
 * version and the scheduler are always categories ("1.9" < "1.10"). */
typedef struct {
  GPtrArray *values;  /* distinct values, first appearance order */
  double *x;          /* their x positions */
  gboolean numeric;
  gboolean seconds;   /* numeric because they are durations */
} SweepAxis;

static void
sweep_axis_clear (SweepAxis *a)
{
  if (a->values)
    g_ptr_array_unref (a->values);
  g_free (a->x);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SweepAxis, sweep_axis_clear)

static gboolean
parse_plain_number (const char *text, double *out)
{
  char *end = NULL;
  double v = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

/* "8 s", "500 ms", "2 min", "1 h": a number and a unit of time. */
static gboolean
parse_seconds (const char *text, double *out)
{
  static const struct {
    const char *unit;
    double seconds;
  } units[] = { { "ms", 1e-3 }, { "s", 1 }, { "min", 60 }, { "h", 3600 },
                { "d", 86400 } };
  char *end = NULL;
  double v = g_ascii_strtod (text, &end);
  if (end == text || !isfinite (v))
    return FALSE;
  while (*end == ' ')
    end++;
  for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_str_equal (end, units[i].unit)) {
      *out = v * units[i].seconds;
      return TRUE;
    }
  return FALSE;
}

static void
sweep_axis_place (SweepAxis *a, const char *name)
{
  guint n = a->values->len;
  a->x = g_new (double, MAX (n, 1));
  gboolean categorical = g_str_equal (name, "flink.version")
                         || g_str_equal (name, "scheduler");
  gboolean plain = !categorical, timed = !categorical;
  for (guint i = 0; i < n; i++) {
    double v;
    plain = plain && parse_plain_number (a->values->pdata[i], &v);
    timed = timed && parse_seconds (a->values->pdata[i], &v);
  }
  a->numeric = plain || timed;
  a->seconds = !plain && timed;
  for (guint i = 0; i < n; i++) {
    const char *v = a->values->pdata[i];
    if (plain)
      parse_plain_number (v, &a->x[i]);
    else if (timed)
      parse_seconds (v, &a->x[i]);
    else
      a->x[i] = i + 1;
  }
}

static guint
str_index (GPtrArray *list, const char *s)
{
  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (list->pdata[i], s))
      return i;
  g_ptr_array_add (list, g_strdup (s));
  return list->len - 1;
}

/* One point of summary.json, as the chart needs it. */
typedef struct {
  const cJSON *axes;
  const char *scheduler;
  double v[N_SWEEP_METRICS][3];  /* per metric: mean, ci95 low, ci95 high
                                 * (NAN if null) */
} SweepPoint;

static double
json_num_or_nan (const cJSON *v)
{
  return cJSON_IsNumber (v) ? v->valuedouble : NAN;
}

static gboolean
read_sweep_points (const char *path, const cJSON *points, GArray *out,
                   GError **error)
{
  const RsimJsonSource src = { path, RSIM_PLOT_ERROR, RSIM_PLOT_ERROR_INPUT };
  const cJSON *pt;
  int index = 0;
  cJSON_ArrayForEach (pt, points) {
    SweepPoint p = { 0 };
    g_autofree char *where = g_strdup_printf ("points[%d]", index);
    g_autofree char *where_metrics = g_strconcat (where, ".metrics", NULL);
    const cJSON *scheduler, *metrics;
    if ((p.axes = rsim__json_member (&src, pt, where, "axes",
                                     RSIM_JSON_OBJECT, error)) == NULL
        || (scheduler = rsim__json_member (&src, pt, where, "scheduler",
                                           RSIM_JSON_STRING, error)) == NULL
        || (metrics = rsim__json_member (&src, pt, where, "metrics",
                                         RSIM_JSON_OBJECT, error)) == NULL)
      return FALSE;
    p.scheduler = scheduler->valuestring;
    for (int m = 0; m < N_SWEEP_METRICS; m++) {
      g_autofree char *where_metric = g_strconcat (where_metrics, ".",
                                                   sweep_metrics[m], NULL);
      const cJSON *st = rsim__json_member (&src, metrics, where_metrics,
                                           sweep_metrics[m], RSIM_JSON_OBJECT,
                                           error);
      const cJSON *ci = st ? rsim__json_member (&src, st, where_metric,
                                                "ci95", RSIM_JSON_ARRAY, error)
                           : NULL;
      if (ci == NULL)
        return FALSE;
      if (cJSON_GetArraySize (ci) != 2) {
        g_autofree char *where_ci = g_strconcat (where_metric, ".ci95", NULL);
        return rsim__json_expected (&src, where_ci, "two numbers or nulls",
                                    ci, error);
      }
      p.v[m][0] = json_num_or_nan (cJSON_GetObjectItemCaseSensitive (st,
                                                                   "mean"));
      p.v[m][1] = json_num_or_nan (cJSON_GetArrayItem (ci, 0));
      p.v[m][2] = json_num_or_nan (cJSON_GetArrayItem (ci, 1));
    }
    g_array_append_val (out, p);
    index++;
  }
  return TRUE;
}

/* A point's value of an axis as text (the sweep writes strings). */
static const char *
point_axis_value (const SweepPoint *p, const char *axis)
{
  if (g_str_equal (axis, "scheduler"))
    return p->scheduler;
  return json_str (p->axes, axis, "?");
}

static char *
file_stem_for_axis (const char *axis)
{
  g_autofree char *clean = g_strdup (axis);
  for (char *c = clean; *c; c++)
    if (!g_ascii_isalnum (*c) && *c != '.' && *c != '-' && *c != '_')
      *c = '_';
  return g_strdup_printf ("sweep-%s", clean);
}

/* Formats one number for the data file; NAN as "nan" (missing). */
static void
append_field (GString *s, double v)
{
  char buf[RSIM_REPORT_NUMBER_SIZE];
  g_string_append_c (s, ',');
  g_string_append (s, isnan (v) ? "nan" : rsim_report_format_double (buf, v));
}

/* One chart: x = axis x_axis; a line per scheduler and combination of the
 * other axes' values. */
static gboolean
plot_sweep_axis (const char *scenario_name, const cJSON *axes,
                 const char *x_axis, GArray *points, const char *tmp_dir,
                 RsimPlotFormats formats, const char *out_dir,
                 const char *templates_dir, GPtrArray *written,
                 GError **error)
{
  g_auto (SweepAxis) xa = { 0 };
  xa.values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) series = g_ptr_array_new_with_free_func (g_free);
  g_autofree guint *x_of = g_new0 (guint, MAX (points->len, 1));
  g_autofree guint *s_of = g_new0 (guint, MAX (points->len, 1));
  for (guint i = 0; i < points->len; i++) {
    const SweepPoint *p = &g_array_index (points, SweepPoint, i);
    x_of[i] = str_index (xa.values, point_axis_value (p, x_axis));
    g_autoptr (GString) label = g_string_new (NULL);
    if (!g_str_equal (x_axis, "scheduler"))
      g_string_append (label, p->scheduler);
    const cJSON *ax;
    cJSON_ArrayForEach (ax, axes) {
      if (!cJSON_IsString (ax) || g_str_equal (ax->valuestring, x_axis)
          || g_str_equal (ax->valuestring, "scheduler"))
        continue;
      g_string_append_printf (label, "%s%s = %s", label->len ? ", " : "",
                              ax->valuestring,
                              point_axis_value (p, ax->valuestring));
    }
    if (label->len == 0)
      g_string_append (label, "all points");
    s_of[i] = str_index (series, label->str);
  }
  sweep_axis_place (&xa, x_axis);

  /* The data: a block per series (two blank lines apart), rows in x
   * order: x, x label, then mean, ci95 low, ci95 high of each metric. */
  g_autoptr (GString) data = g_string_new (NULL);
  double y_max[N_SWEEP_METRICS] = { 0 };
  for (guint s = 0; s < series->len; s++) {
    if (s > 0)
      g_string_append (data, "\n\n");
    g_autoptr (GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint));
    for (guint i = 0; i < points->len; i++)
      if (s_of[i] == s)
        g_array_append_val (rows, i);
    /* Insertion sort by x: a handful of rows. */
    for (guint a = 1; a < rows->len; a++)
      for (guint b = a; b > 0; b--) {
        guint *r = (guint *) rows->data;
        if (xa.x[x_of[r[b - 1]]] <= xa.x[x_of[r[b]]])
          break;
        guint t = r[b];
        r[b] = r[b - 1];
        r[b - 1] = t;
      }
    for (guint r = 0; r < rows->len; r++) {
      guint i = g_array_index (rows, guint, r);
      const SweepPoint *p = &g_array_index (points, SweepPoint, i);
      char buf[RSIM_REPORT_NUMBER_SIZE];
      g_autofree char *label = csv_field (xa.values->pdata[x_of[i]]);
      g_string_append_printf (data, "%s,%s",
                              rsim_report_format_double (buf, xa.x[x_of[i]]),
                              label);
      for (int m = 0; m < N_SWEEP_METRICS; m++)
        for (int k = 0; k < 3; k++)
          append_field (data, p->v[m][k]);
      g_string_append_c (data, '\n');
      for (int m = 0; m < N_SWEEP_METRICS; m++)
        for (int k = 0; k < 3; k++)
          if (!isnan (p->v[m][k]))
            y_max[m] = MAX (y_max[m], p->v[m][k]);
    }
  }
  g_autofree char *stem = file_stem_for_axis (x_axis);
  g_autofree char *data_name = g_strdup_printf ("%s.csv", stem);
  g_autofree char *data_path = g_build_filename (tmp_dir, data_name, NULL);
  g_autoptr (GError) local = NULL;
  if (!g_file_set_contents (data_path, data->str, -1, &local)) {
    g_set_error (error, RSIM_PLOT_ERROR, RSIM_PLOT_ERROR_OUTPUT, "%s",
                 local->message);
    return FALSE;
  }

  double x_min = xa.x[0], x_max = xa.x[0];
  for (guint i = 1; i < xa.values->len; i++) {
    x_min = MIN (x_min, xa.x[i]);
    x_max = MAX (x_max, xa.x[i]);
  }
  g_autoptr (GString) vars = g_string_new (NULL);
  g_autofree char *title = g_strdup_printf ("%s: cost against %s",
                                            scenario_name, x_axis);
  g_autofree char *xlabel = g_strdup_printf ("%s%s", x_axis,
                                             xa.seconds ? " (s)" : "");
  rsim__gp_string (vars, "plot_title", title);
  rsim__gp_string (vars, "datafile", data_path);
  rsim__gp_string (vars, "x_label", xlabel);
  rsim__gp_number (vars, "categorical", xa.numeric ? 0 : 1);
  rsim__gp_number (vars, "x_min", x_min);
  rsim__gp_number (vars, "x_max", x_max);
  rsim__gp_number (vars, "rep_max", y_max[3]);
  rsim__gp_number (vars, "lag_max", y_max[4]);
  for (int m = 0; m < N_SWEEP_METRICS; m++) {
    char key[32];
    g_snprintf (key, sizeof key, "y_max_%d", m);
    rsim__gp_number (vars, key, y_max[m]);
  }
  rsim__gp_number (vars, "n_series", series->len);
  for (guint s = 0; s < series->len; s++) {
    char key[32];
    g_snprintf (key, sizeof key, "name_%u", s + 1);
    rsim__gp_string (vars, key, series->pdata[s]);
  }
  return draw (templates_dir, "sweep.gp", vars->str, formats, out_dir, stem,
               written, error);
}

static gboolean
plot_sweep (const char *summary_path, RsimPlotFormats formats,
            const char *out_dir, const char *templates_dir,
            GPtrArray *written, GError **error)
{
  g_autoptr (cJSON) root = load_json (summary_path, error);
  if (root == NULL)
    return FALSE;
  const RsimJsonSource src = { summary_path, RSIM_PLOT_ERROR,
                               RSIM_PLOT_ERROR_INPUT };
  const cJSON *axes, *points;
  if (!rsim__json_schema (&src, root, RSIM_SWEEP_SUMMARY_SCHEMA, error)
      || (axes = rsim__json_member (&src, root, "", "axes", RSIM_JSON_ARRAY,
                                    error)) == NULL
      || (points = rsim__json_member (&src, root, "", "points",
                                      RSIM_JSON_ARRAY, error)) == NULL)
    return FALSE;
  if (cJSON_GetArraySize (points) == 0)
    return rsim__json_expected (&src, "points", "a non-empty array", points,
                                error);
  g_autoptr (GArray) pts = g_array_new (FALSE, FALSE, sizeof (SweepPoint));
  if (!read_sweep_points (summary_path, points, pts, error))
    return FALSE;

  /* A chart per axis other than the scheduler; with none, one against
   * the scheduler. */
  g_autoptr (GPtrArray) x_axes = g_ptr_array_new ();
  const cJSON *ax;
  int axis_index = 0;
  cJSON_ArrayForEach (ax, axes) {
    g_autofree char *where = g_strdup_printf ("axes[%d]", axis_index++);
    if (!cJSON_IsString (ax))
      return rsim__json_expected (&src, where, "an axis name (a string)", ax,
                                  error);
    if (!g_str_equal (ax->valuestring, "scheduler"))
      g_ptr_array_add (x_axes, ax->valuestring);
  }
  if (x_axes->len == 0)
    g_ptr_array_add (x_axes, (char *) "scheduler");

  char *tmp_dir = make_tmp_dir (error);
  if (tmp_dir == NULL)
    return FALSE;
  const char *scenario_name = json_str (root, "scenario", "?");
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < x_axes->len; i++)
    ok = plot_sweep_axis (scenario_name, axes, x_axes->pdata[i], pts,
                          tmp_dir, formats, out_dir, templates_dir, written,
                          error);
  rm_tmp_dir (tmp_dir);
  return ok;
}

/* ------------------------------------------------------------- entry */

GPtrArray *
rsim_plot_result_dir (const char *result_dir, RsimPlotFormats formats,
                      const char *out_dir, const char *templates_dir,
                      GError **error)
{
  g_return_val_if_fail (result_dir != NULL, NULL);
  g_return_val_if_fail ((formats & RSIM_PLOT_BOTH) != 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_test (result_dir, G_FILE_TEST_IS_DIR)) {
    g_set_error (error, RSIM_PLOT_ERROR, RSIM_PLOT_ERROR_INPUT,
                 "%s: no such directory", result_dir);
    return NULL;
  }
  if (templates_dir == NULL)
    templates_dir = rsim_plot_templates_dir ();
  if (out_dir == NULL)
    out_dir = result_dir;
  if (g_mkdir_with_parents (out_dir, 0777) != 0) {
    int e = errno;
    g_set_error (error, RSIM_PLOT_ERROR, RSIM_PLOT_ERROR_OUTPUT,
                 "cannot create %s: %s", out_dir, g_strerror (e));
    return NULL;
  }
  rsim__tmp_remove_stale (out_dir);

  g_autoptr (GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *compare = g_build_filename (result_dir, RSIM_COMPARE_FILE,
                                               NULL);
  g_autofree char *summary = g_build_filename (result_dir,
                                               RSIM_SWEEP_SUMMARY_JSON, NULL);
  gboolean ok;
  if (g_file_test (compare, G_FILE_TEST_EXISTS))
    ok = plot_comparison (result_dir, compare, formats, out_dir,
                          templates_dir, written, error);
  else if (g_file_test (summary, G_FILE_TEST_EXISTS))
    ok = plot_sweep (summary, formats, out_dir, templates_dir, written,
                     error);
  else
    ok = plot_run (result_dir, formats, out_dir, templates_dir, written,
                   error);
  return ok ? g_steal_pointer (&written) : NULL;
}
