/* The lean time series (no output.sample_interval) keeps every change point:
 * for bundled scenarios with a constant input, under each scheduler, the
 * outages read from timeseries.csv (rows where the job, once running, has
 * nothing deployed or less capacity than the most it had at that
 * parallelism) start and end exactly at the report's incidents, and the
 * largest lag in the file is the report's max_lag_records. A fixed
 * output.sample_interval still gives its fixed grid, and the lean series of
 * a long run stays small. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <glib/gstdio.h>
#include <rescalesim/harness.h>
#include "test-files.h"

static char *workdir;

static void
setup (void)
{
  g_autoptr (GError) error = NULL;
  workdir = g_dir_make_tmp ("rsim-test-timeseries-XXXXXX", &error);
  cr_assert_not_null (workdir, "%s", error ? error->message : "?");
}

static void
teardown (void)
{
  if (workdir != NULL)
    rm_rf (workdir);
  g_clear_pointer (&workdir, g_free);
}

typedef struct {
  double t, lag, capacity;
  int parallelism;
  char *state;
} Row;

static void
row_clear (gpointer p)
{
  g_free (((Row *) p)->state);
}

/* timeseries.csv's rows (header checked). */
static GArray *
read_rows (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "timeseries.csv", NULL);
  g_autofree char *text = NULL;
  cr_assert (g_file_get_contents (path, &text, NULL, NULL), "%s", path);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  /* The first nine columns; then phase and one parallelism per vertex. */
  cr_assert (g_str_has_prefix (lines[0], "t_s,input_rate,processed_rate,"
                               "lag_records,capacity,parallelism,taskmanagers,"
                               "slots,job_state,phase,parallelism."),
             "%s", lines[0]);
  g_auto (GStrv) header = g_strsplit (lines[0], ",", -1);
  guint n_cols = g_strv_length (header);
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_array_set_clear_func (rows, row_clear);
  for (guint i = 1; lines[i] && *lines[i]; i++) {
    g_auto (GStrv) f = g_strsplit (lines[i], ",", -1);
    cr_assert_eq (g_strv_length (f), n_cols, "%s", lines[i]);
    Row r = { g_ascii_strtod (f[0], NULL), g_ascii_strtod (f[3], NULL),
              g_ascii_strtod (f[4], NULL), atoi (f[5]), g_strdup (f[8]) };
    g_array_append_val (rows, r);
  }
  return rows;
}

static gsize
run_to (const char *scenario, RsimSchedulerKind scheduler, RsimTime sample,
        const char *dir, cJSON **report)
{
  const char *root = g_getenv ("RSIM_SOURCE_ROOT");
  g_autofree char *path = g_build_filename (root ? root : ".", "scenarios",
                                            scenario, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsimScenario) sc = rsim_scenario_load_file (path, &error);
  cr_assert_not_null (sc, "%s", error ? error->message : "?");
  RsimSimConfig c;
  rsim_sim_config_copy (&c, &sc->config);
  c.scheduler = scheduler;
  if (sample > 0)
    c.sample_interval = sample;
  g_auto (RsimHarnessRun) run = { 0 };
  cr_assert (rsim_harness_run_one (sc, &c, dir, RSIM_HARNESS_RUN_DEFAULT, &run,
                                   &error), "%s", error ? error->message : "?");
  rsim_sim_config_clear (&c);
  g_autofree char *rp = g_build_filename (dir, "report.json", NULL);
  g_autofree char *text = NULL;
  cr_assert (g_file_get_contents (rp, &text, NULL, NULL));
  *report = cJSON_Parse (text);
  cr_assert_not_null (*report);
  g_autofree char *tp = g_build_filename (dir, "timeseries.csv", NULL);
  GStatBuf st;
  cr_assert_eq (g_stat (tp, &st), 0);
  return (gsize) st.st_size;
}

Test (timeseries, lean_rows_keep_outages_and_peak_lag, .init = setup,
      .fini = teardown)
{
  static const char *const scenarios[] = {
    "killed-taskmanager.json", "graceful-stop.json",
    "task-failure-forward.json", "task-failure-keyed.json",
  };
  static const RsimSchedulerKind kinds[] = {
    RSIM_SCHEDULER_DEFAULT, RSIM_SCHEDULER_ADAPTIVE, RSIM_SCHEDULER_REACTIVE,
  };
  for (guint s = 0; s < G_N_ELEMENTS (scenarios); s++)
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++) {
      const char *label = scenarios[s];
      g_autofree char *dir = g_strdup_printf ("%s/%u-%u", workdir, s, k);
      cJSON *report;
      run_to (scenarios[s], kinds[k], 0, dir, &report);
      GArray *rows = read_rows (dir);
      /* The most capacity seen at each parallelism is the full capacity. */
      g_autoptr (GHashTable) full = g_hash_table_new_full (NULL, NULL, NULL,
                                                           g_free);
      for (guint i = 0; i < rows->len; i++) {
        Row *r = &g_array_index (rows, Row, i);
        double *f = g_hash_table_lookup (full, GINT_TO_POINTER (r->parallelism));
        if (f == NULL) {
          f = g_new0 (double, 1);
          g_hash_table_insert (full, GINT_TO_POINTER (r->parallelism), f);
        }
        *f = MAX (*f, r->capacity);
      }
      GArray *starts = g_array_new (FALSE, FALSE, sizeof (double));
      GArray *ends = g_array_new (FALSE, FALSE, sizeof (double));
      gboolean started = FALSE, down = FALSE;
      double lag = 0;
      for (guint i = 0; i < rows->len; i++) {
        Row *r = &g_array_index (rows, Row, i);
        lag = MAX (lag, r->lag);
        if (strcmp (r->state, "RUNNING") == 0 && r->capacity > 0)
          started = TRUE;
        double f = *(double *) g_hash_table_lookup (full,
                                                    GINT_TO_POINTER (r->parallelism));
        gboolean now_down = started && (r->parallelism == 0 || r->capacity < f);
        if (now_down && !down)
          g_array_append_val (starts, r->t);
        if (!now_down && down)
          g_array_append_val (ends, r->t);
        down = now_down;
      }
      const cJSON *inc = cJSON_GetObjectItem (report, "incidents");
      cr_assert_gt (cJSON_GetArraySize (inc), 0, "%s", label);
      cr_assert_eq ((int) starts->len, cJSON_GetArraySize (inc), "%s", label);
      cr_assert_eq (ends->len, starts->len, "%s", label);
      for (int i = 0; i < cJSON_GetArraySize (inc); i++) {
        const cJSON *it = cJSON_GetArrayItem (inc, i);
        cr_assert_eq (cJSON_GetObjectItem (it, "start_s")->valuedouble,
                      g_array_index (starts, double, i), "%s #%d", label, i);
        cr_assert_eq (cJSON_GetObjectItem (it, "end_s")->valuedouble,
                      g_array_index (ends, double, i), "%s #%d", label, i);
      }
      const cJSON *sum = cJSON_GetObjectItem (report, "summary");
      cr_assert_eq (cJSON_GetObjectItem (sum, "max_lag_records")->valuedouble,
                    lag, "%s: %f", label, lag);
      g_array_unref (starts);
      g_array_unref (ends);
      g_array_unref (rows);
      cJSON_Delete (report);
    }
}

/* output.sample_interval forces its grid: one row per interval from 0 to the
 * end and nothing between. Rows only observe: the summary, the incidents and
 * the event log are those of the lean run, to the last bit. */
Test (timeseries, sample_interval_forces_a_fixed_grid, .init = setup,
      .fini = teardown)
{
  static const char *const scenarios[] = {
    "killed-taskmanager.json", "autoscaler-daily-cycle.json",
    "reactive-replicas-sine.json",
  };
  for (guint s = 0; s < G_N_ELEMENTS (scenarios); s++) {
    g_autofree char *fixed = g_strdup_printf ("%s/fixed-%u", workdir, s);
    g_autofree char *lean = g_strdup_printf ("%s/lean-%u", workdir, s);
    const char *label = scenarios[s];
    cJSON *rf, *rl;
    RsimSchedulerKind k = s == 2 ? RSIM_SCHEDULER_REACTIVE : RSIM_SCHEDULER_DEFAULT;
    run_to (scenarios[s], k, 7 * RSIM_SEC, fixed, &rf);
    run_to (scenarios[s], k, 0, lean, &rl);
    if (s == 0) {
      GArray *rows = read_rows (fixed);
      cr_assert_eq (rows->len, 30 * 60 / 7 + 1);
      for (guint i = 0; i < rows->len; i++)
        cr_assert_eq (g_array_index (rows, Row, i).t, 7.0 * i);
      g_array_unref (rows);
    }
    cr_assert (cJSON_Compare (cJSON_GetObjectItem (rf, "summary"),
                              cJSON_GetObjectItem (rl, "summary"), TRUE), "%s", label);
    cr_assert (cJSON_Compare (cJSON_GetObjectItem (rf, "incidents"),
                              cJSON_GetObjectItem (rl, "incidents"), TRUE), "%s", label);
    g_autofree char *ef = g_build_filename (fixed, "events.jsonl", NULL);
    g_autofree char *el = g_build_filename (lean, "events.jsonl", NULL);
    g_autofree char *tf = NULL, *tl = NULL;
    cr_assert (g_file_get_contents (ef, &tf, NULL, NULL));
    cr_assert (g_file_get_contents (el, &tl, NULL, NULL));
    cr_assert_str_eq (tf, tl, "%s", label);
    cJSON_Delete (rf);
    cJSON_Delete (rl);
  }
}
