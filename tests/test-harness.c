/* Tests of the harness (harness.h): running one scenario with and without
 * files, what an output error leaves (nothing), the comparison's
 * compare.json and table against the metric list, and the check gate's
 * default tolerances taken from the list. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
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
  workdir = g_dir_make_tmp ("rsim-test-harness-XXXXXX", &error);
  cr_assert_not_null (workdir, "%s", error ? error->message : "?");
}

static void
teardown (void)
{
  if (workdir != NULL)
    rm_rf (workdir);
  g_clear_pointer (&workdir, g_free);
}

static RsimScenario *
load_basic (void)
{
  const char *root = g_getenv ("RSIM_SOURCE_ROOT");
  g_autofree char *path = g_build_filename (root ? root : ".", "tests", "data",
                                            "valid", "report-basic.json",
                                            NULL);
  g_autoptr (GError) error = NULL;
  RsimScenario *sc = rsim_scenario_load_file (path, &error);
  cr_assert_not_null (sc, "%s", error ? error->message : "?");
  return sc;
}

static char *
in_workdir (const char *rel)
{
  return g_build_filename (workdir, rel, NULL);
}

TestSuite (harness, .init = setup, .fini = teardown);

/* With a directory the run writes its three files and report.json is the
 * text handed back; without one it writes nothing and gives the same
 * report on request. */
Test (harness, run_one_with_and_without_files)
{
  g_autoptr (RsimScenario) sc = load_basic ();
  g_autofree char *dir = in_workdir ("a/b");
  g_autoptr (GError) error = NULL;
  g_auto (RsimHarnessRun) with = { 0 };
  cr_assert (rsim_harness_run_one (sc, &sc->config, dir,
                                   RSIM_HARNESS_RUN_DEFAULT, &with, &error),
             "%s", error ? error->message : "");
  cr_assert_not_null (with.result);
  g_autofree char *report_path = g_build_filename (dir, RSIM_REPORT_FILE,
                                                   NULL);
  g_autofree char *on_disk = NULL;
  cr_assert (g_file_get_contents (report_path, &on_disk, NULL, NULL));
  cr_expect_str_eq (on_disk, with.report_json);

  g_auto (RsimHarnessRun) bare = { 0 };
  cr_assert (rsim_harness_run_one (sc, &sc->config, NULL,
                                   RSIM_HARNESS_RUN_DEFAULT, &bare, &error));
  cr_expect_null (bare.report_json);
  cr_expect_eq (bare.result->downtime_s, with.result->downtime_s);
  g_auto (RsimHarnessRun) asked = { 0 };
  cr_assert (rsim_harness_run_one (sc, &sc->config, NULL,
                                   RSIM_HARNESS_RUN_REPORT, &asked, &error));
  cr_expect_str_eq (asked.report_json, with.report_json);
}

/* An output directory that cannot be made: an output error naming it,
 * and nothing created. */
Test (harness, run_one_output_error_leaves_nothing)
{
  g_autoptr (RsimScenario) sc = load_basic ();
  g_autofree char *file = in_workdir ("file");
  cr_assert (g_file_set_contents (file, "x", -1, NULL));
  g_autofree char *dir = in_workdir ("file/sub");
  g_autoptr (GError) error = NULL;
  g_auto (RsimHarnessRun) run = { 0 };
  cr_expect_not (rsim_harness_run_one (sc, &sc->config, dir,
                                       RSIM_HARNESS_RUN_DEFAULT, &run,
                                       &error));
  cr_expect (g_error_matches (error, RSIM_HARNESS_ERROR,
                              RSIM_HARNESS_ERROR_OUTPUT));
  cr_expect_not_null (strstr (error->message, "file/sub"), "%s",
                      error->message);
  cr_expect_null (run.result);
  cr_expect_not (g_file_test (dir, G_FILE_TEST_EXISTS));
}

/* compare.json lists every (scheduler, seed) run with its report's
 * summary; the table has one column per IN_COMPARE metric of the list and
 * a row per scheduler. */
Test (harness, compare_json_and_table)
{
  g_autoptr (RsimScenario) sc = load_basic ();
  const RsimSchedulerKind kinds[] = { RSIM_SCHEDULER_DEFAULT,
                                      RSIM_SCHEDULER_REACTIVE };
  g_autoptr (GError) error = NULL;
  g_autoptr (RsimCompare) c = rsim_harness_compare (sc, kinds, 2, 2, workdir,
                                                    &error);
  cr_assert_not_null (c, "%s", error ? error->message : "");
  cJSON *root = cJSON_Parse (rsim_compare_json (c));
  cr_assert_not_null (root);
  cr_expect_str_eq (cJSON_GetObjectItem (root, "schema")->valuestring,
                    RSIM_COMPARE_SCHEMA);
  const cJSON *runs = cJSON_GetObjectItem (root, "runs");
  cr_assert_eq (cJSON_GetArraySize (runs), 4);
  const cJSON *last = cJSON_GetArrayItem (runs, 3);
  const char *rel = cJSON_GetObjectItem (last, "dir")->valuestring;
  g_autofree char *report_path = g_build_filename (workdir, rel,
                                                   RSIM_REPORT_FILE, NULL);
  g_autofree char *report = NULL;
  cr_assert (g_file_get_contents (report_path, &report, NULL, NULL),
             "no %s", report_path);
  cJSON *rep = cJSON_Parse (report);
  cr_expect (cJSON_Compare (cJSON_GetObjectItem (rep, "summary"),
                            cJSON_GetObjectItem (last, "summary"), TRUE));
  cJSON_Delete (rep);
  cJSON_Delete (root);
  g_autofree char *file = g_build_filename (workdir, RSIM_COMPARE_FILE, NULL);
  g_autofree char *on_disk = NULL;
  cr_assert (g_file_get_contents (file, &on_disk, NULL, NULL));
  cr_expect_str_eq (on_disk, rsim_compare_json (c));

  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream (&buf, &len);
  rsim_compare_print (out, c);
  fclose (out);
  g_auto (GStrv) lines = g_strsplit (buf, "\n", -1);
  cr_assert_geq (g_strv_length (lines), 5, "%s", buf);
  const char *header = lines[2];
  guint n_columns = 0;
  for (int id = 0; id < RSIM_N_METRICS; id++) {
    if (!(rsim_metrics[id].flags & RSIM_METRIC_IN_COMPARE))
      continue;
    n_columns++;
    cr_expect_not_null (strstr (header, rsim_metrics[id].label), "%s", buf);
  }
  cr_expect_gt (n_columns, 0);
  cr_expect (g_str_has_prefix (lines[3], "default "), "%s", buf);
  cr_expect (g_str_has_prefix (lines[4], "reactive "), "%s", buf);
  /* scheduler, the metric columns, then "source N, window M". */
  g_auto (GStrv) cells = g_strsplit_set (lines[3], " ", -1);
  guint words = 0;
  for (guint i = 0; cells[i]; i++)
    words += *cells[i] != '\0';
  cr_expect_eq (words, 1 + n_columns + 4, "%s", lines[3]);
  free (buf);
}

/* A scheduler the scenario's Flink version lacks is refused before any
 * run. */
Test (harness, compare_refuses_missing_scheduler)
{
  g_autoptr (RsimScenario) sc = load_basic ();
  sc->config.version.major = 1;
  sc->config.version.minor = 12;
  const RsimSchedulerKind kinds[] = { RSIM_SCHEDULER_DEFAULT,
                                      RSIM_SCHEDULER_ADAPTIVE };
  g_autofree char *dir = in_workdir ("c");
  g_autoptr (GError) error = NULL;
  cr_expect_null (rsim_harness_compare (sc, kinds, 2, 1, dir, &error));
  cr_expect (g_error_matches (error, RSIM_HARNESS_ERROR,
                              RSIM_HARNESS_ERROR_INVALID));
  cr_expect_not (g_file_test (dir, G_FILE_TEST_EXISTS));
}

/* The baseline's default tolerances are the list's, in its order. */
Test (harness, baseline_tolerances_from_the_list)
{
  g_autoptr (RsimScenario) sc = load_basic ();
  g_autofree char *dir = in_workdir ("r");
  g_autoptr (GError) error = NULL;
  g_auto (RsimHarnessRun) run = { 0 };
  cr_assert (rsim_harness_run_one (sc, &sc->config, dir,
                                   RSIM_HARNESS_RUN_DEFAULT, &run, &error));
  g_autofree char *path = in_workdir ("base.json");
  const char *dirs[] = { dir };
  cr_assert (rsim_check_write_baseline (path, dirs, 1, &error), "%s",
             error ? error->message : "");
  g_autofree char *text = NULL;
  cr_assert (g_file_get_contents (path, &text, NULL, NULL));
  cJSON *root = cJSON_Parse (text);
  const cJSON *t = cJSON_GetObjectItem (root, "tolerances")->child;
  for (int id = 0; id < RSIM_N_METRICS; id++) {
    const RsimMetricInfo *m = &rsim_metrics[id];
    if (!(m->flags & RSIM_METRIC_IN_REPORT) || isnan (m->abs_tol))
      continue;
    cr_assert_not_null (t, "no tolerance for %s", m->name);
    cr_expect_str_eq (t->string, m->name);
    cr_expect_eq (cJSON_GetObjectItem (t, "abs")->valuedouble, m->abs_tol);
    cr_expect_eq (cJSON_GetObjectItem (t, "rel")->valuedouble, m->rel_tol);
    t = t->next;
  }
  cr_expect_null (t);
  cJSON_Delete (root);

  /* A baseline that cannot be written is an output error. */
  g_autofree char *bad = in_workdir ("nodir/base.json");
  cr_expect_not (rsim_check_write_baseline (bad, dirs, 1, &error));
  cr_expect (g_error_matches (error, RSIM_CHECK_ERROR,
                              RSIM_CHECK_ERROR_OUTPUT));
}
