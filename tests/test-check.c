/* Tests of the regression gate: the tolerance rule at its edges (through
 * the report layer's internal header), and "rescalesim check" as a user
 * runs it: identical results pass, a metric moved outside its tolerance
 * fails and is named, a move within it passes, counters and final_state
 * are exact, missing and unknown results fail, --json, --write-baseline
 * and invalid baselines (exit 3).
 *
 * Results come from the fast scenarios of bench/suite; a "moved" result is
 * a copy of a run whose report.json is edited. The binary comes from
 * RSIM_BINARY and the source tree from RSIM_SOURCE_ROOT (set by meson). */
#include <criterion/criterion.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cjson/cJSON.h>
#include <glib/gstdio.h>

#include "harness/check-private.h"

/* ---------------------------------------------------- tolerance rule */

Test (check_tolerance, absolute_bound_is_inclusive)
{
  cr_expect (rsim__check_within (10.0, 10.5, 0.5, 0));
  cr_expect (rsim__check_within (10.0, 9.5, 0.5, 0));
  cr_expect_not (rsim__check_within (10.0, 10.5001, 0.5, 0));
  cr_expect_not (rsim__check_within (10.0, 9.4999, 0.5, 0));
  /* Decimal figures that do not round exactly in binary. */
  cr_expect (rsim__check_within (0.3, 0.6, 0.3, 0));
  cr_expect (rsim__check_within (0.1, 0.2, 0.1, 0));
}

Test (check_tolerance, relative_bound_uses_the_baseline_magnitude)
{
  cr_expect (rsim__check_within (100.0, 105.0, 0, 0.05));
  cr_expect_not (rsim__check_within (100.0, 105.01, 0, 0.05));
  /* |base| for a negative baseline. */
  cr_expect (rsim__check_within (-100.0, -95.0, 0, 0.05));
  cr_expect_not (rsim__check_within (-100.0, -94.0, 0, 0.05));
  /* Relative to the baseline, not to the new value. */
  cr_expect_not (rsim__check_within (100.0, 200.0, 0, 0.5));
}

Test (check_tolerance, larger_of_absolute_and_relative_applies)
{
  cr_expect_float_eq (rsim__check_allowed (10.0, 0.5, 0.05), 0.5, 1e-15);
  cr_expect_float_eq (rsim__check_allowed (100.0, 0.5, 0.05), 5.0, 1e-12);
  cr_expect (rsim__check_within (10.0, 10.5, 0.5, 0.05));   /* abs wins */
  cr_expect (rsim__check_within (100.0, 104.0, 0.5, 0.05)); /* rel wins */
}

Test (check_tolerance, zero_tolerance_and_zero_baseline_are_exact)
{
  cr_expect (rsim__check_within (2, 2, 0, 0));
  cr_expect_not (rsim__check_within (2, 3, 0, 0));
  cr_expect_not (rsim__check_within (0, 1e-9, 0, 0.5));
  cr_expect (rsim__check_within (0, 0, 0, 0));
  /* Large integer counters stay exact despite the rounding slack. */
  cr_expect_not (rsim__check_within (1e9, 1e9 + 1, 0, 0));
}

Test (check_tolerance, non_finite_values)
{
  cr_expect (rsim__check_within (NAN, NAN, 0, 0));
  cr_expect_not (rsim__check_within (NAN, 1, 1e9, 1));
  cr_expect_not (rsim__check_within (1, NAN, 1e9, 1));
  cr_expect (rsim__check_within (INFINITY, INFINITY, 0, 0));
  cr_expect_not (rsim__check_within (INFINITY, 1, 1e9, 1));
}

/* ------------------------------------------------------------ the CLI */

typedef struct {
  int status;
  char *out;
  char *err;
} Proc;

static void
proc_clear (Proc *p)
{
  g_free (p->out);
  g_free (p->err);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Proc, proc_clear)

static char *tmp;

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR)
      && !g_file_test (path, G_FILE_TEST_IS_SYMLINK)) {
    GDir *d = g_dir_open (path, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)) != NULL) {
      g_autofree char *child = g_build_filename (path, name, NULL);
      remove_tree (child);
    }
    if (d)
      g_dir_close (d);
    g_rmdir (path);
  } else {
    g_unlink (path);
  }
}

static Proc
run_v (const char *const *args)
{
  const char *binary = g_getenv ("RSIM_BINARY");
  cr_assert_not_null (binary, "RSIM_BINARY is not set");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) binary);
  for (int i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  Proc p = { 0 };
  int ws = 0;
  g_autoptr (GError) error = NULL;
  cr_assert (g_spawn_sync (tmp, (char **) argv->pdata, NULL,
                           G_SPAWN_DEFAULT, NULL, NULL, &p.out, &p.err, &ws,
                           &error),
             "cannot run %s: %s", binary, error ? error->message : "?");
  p.status = WIFEXITED (ws) ? WEXITSTATUS (ws) : 128 + WTERMSIG (ws);
  return p;
}

#define RUN(...) run_v ((const char *const[]) { __VA_ARGS__, NULL })

/* Runs a bench/suite scenario into tmp/name. */
static void
make_run (const char *scenario, const char *name)
{
  const char *root = g_getenv ("RSIM_SOURCE_ROOT");
  cr_assert_not_null (root, "RSIM_SOURCE_ROOT is not set");
  g_autofree char *path = g_build_filename (root, "bench", "suite", scenario,
                                            NULL);
  g_auto (Proc) p = RUN ("run", path, "--scheduler", "default", "--out", name,
                         "--quiet");
  cr_assert_eq (p.status, 0, "run %s failed:\n%s", scenario, p.err);
}

/* Two suite runs (a, b) and a baseline of both (base.json), in a fresh
 * temporary directory. */
static void
setup (void)
{
  tmp = g_dir_make_tmp ("rsim-test-check-XXXXXX", NULL);
  cr_assert_not_null (tmp);
  make_run ("killed-taskmanager.json", "a");
  make_run ("task-failure-keyed.json", "b");
  g_auto (Proc) p = RUN ("check", "--write-baseline", "base.json", "a", "b");
  cr_assert_eq (p.status, 0, "--write-baseline failed:\n%s", p.err);
}

static void
teardown (void)
{
  if (tmp)
    remove_tree (tmp);
  g_clear_pointer (&tmp, g_free);
}

/* Copies tmp/from/report.json to tmp/to/report.json with edit applied to
 * its summary. */
static void
copy_edited (const char *from, const char *to, void (*edit) (cJSON *summary))
{
  g_autofree char *src = g_build_filename (tmp, from, "report.json", NULL);
  g_autofree char *dir = g_build_filename (tmp, to, NULL);
  g_autofree char *dst = g_build_filename (dir, "report.json", NULL);
  g_autofree char *text = NULL;
  cr_assert (g_file_get_contents (src, &text, NULL, NULL));
  cJSON *report = cJSON_Parse (text);
  cr_assert_not_null (report);
  edit (cJSON_GetObjectItem (report, "summary"));
  char *out = cJSON_Print (report);
  cr_assert_eq (g_mkdir_with_parents (dir, 0755), 0);
  cr_assert (g_file_set_contents (dst, out, -1, NULL));
  free (out);
  cJSON_Delete (report);
}

static void
add_to (cJSON *summary, const char *key, double delta)
{
  cJSON *v = cJSON_GetObjectItem (summary, key);
  cr_assert (cJSON_IsNumber (v), "summary has no number %s", key);
  cJSON_SetNumberValue (v, v->valuedouble + delta);
}

static void
downtime_plus_3 (cJSON *s)
{
  add_to (s, "downtime_s", 3.0);   /* tolerance: max (0.5, 5 %) */
}

static void
downtime_plus_0_4 (cJSON *s)
{
  add_to (s, "downtime_s", 0.4);
}

static void
one_more_restart (cJSON *s)
{
  add_to (s, "restarts", 1);
}

static void
failed_state (cJSON *s)
{
  cJSON_ReplaceItemInObject (s, "final_state", cJSON_CreateString ("FAILED"));
}

static void
parallelism_changed (cJSON *s)
{
  cJSON *fp = cJSON_GetObjectItem (s, "final_parallelism");
  add_to (fp, "window", 1);
}

static void
metric_removed (cJSON *s)
{
  cJSON_DeleteItemFromObject (s, "max_lag_records");
}

static void
expect_contains (const char *text, const char *what)
{
  cr_expect_not_null (strstr (text, what), "lacks '%s':\n%s", what, text);
}

/* The table line of a metric, or NULL. (transfer full) */
static char *
table_line (const char *out, const char *metric)
{
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
  for (int i = 0; lines[i]; i++) {
    g_auto (GStrv) words = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
    if (g_str_equal (words[0], metric))
      return g_strdup (lines[i]);
  }
  return NULL;
}

TestSuite (check, .init = setup, .fini = teardown);

Test (check, identical_results_pass)
{
  g_auto (Proc) p = RUN ("check", "--baseline", "base.json", "a", "b");
  cr_expect_eq (p.status, 0, "%s%s", p.out, p.err);
  expect_contains (p.out, "check: PASS");
  cr_expect_null (strstr (p.out, "FAIL"), "%s", p.out);
}

Test (check, order_of_result_dirs_does_not_matter)
{
  g_auto (Proc) p = RUN ("check", "--baseline", "base.json", "b", "a");
  cr_expect_eq (p.status, 0, "%s%s", p.out, p.err);
}

Test (check, metric_outside_tolerance_fails_and_is_named)
{
  copy_edited ("a", "a2", downtime_plus_3);
  g_auto (Proc) p = RUN ("check", "--baseline", "base.json", "a2", "b");
  cr_expect_eq (p.status, 1, "%s%s", p.out, p.err);
  g_autofree char *line = table_line (p.out, "downtime_s");
  cr_assert_not_null (line, "no downtime_s row:\n%s", p.out);
  expect_contains (line, "+3");
  expect_contains (line, "FAIL");
  expect_contains (p.out, "check: FAIL");
}

Test (check, metric_within_tolerance_passes_and_is_shown)
{
  copy_edited ("a", "a2", downtime_plus_0_4);
  g_auto (Proc) p = RUN ("check", "--baseline", "base.json", "a2", "b");
  cr_expect_eq (p.status, 0, "%s%s", p.out, p.err);
  g_autofree char *line = table_line (p.out, "downtime_s");
  cr_assert_not_null (line, "no downtime_s row:\n%s", p.out);
  expect_contains (line, "PASS");
}

Test (check, counters_state_and_parallelism_are_exact)
{
  void (*edits[]) (cJSON *) = { one_more_restart, failed_state,
                                parallelism_changed, metric_removed };
  const char *metrics[] = { "restarts", "final_state",
                            "final_parallelism.window", "max_lag_records" };
  for (gsize i = 0; i < G_N_ELEMENTS (edits); i++) {
    g_autofree char *dir = g_strdup_printf ("edit-%zu", i);
    copy_edited ("a", dir, edits[i]);
    g_auto (Proc) p = RUN ("check", "--baseline", "base.json", dir, "b");
    cr_expect_eq (p.status, 1, "%s: %s", metrics[i], p.out);
    g_autofree char *line = table_line (p.out, metrics[i]);
    cr_expect_not_null (line, "no %s row:\n%s", metrics[i], p.out);
    if (line)
      expect_contains (line, "FAIL");
  }
}

Test (check, missing_result_fails)
{
  g_auto (Proc) p = RUN ("check", "--baseline", "base.json", "a");
  cr_expect_eq (p.status, 1, "%s", p.out);
  expect_contains (p.out, "MISSING");
  expect_contains (p.out, "suite-task-failure-keyed");
}

Test (check, result_not_in_baseline_fails)
{
  make_run ("graceful-stop.json", "c");
  g_auto (Proc) p = RUN ("check", "--baseline", "base.json", "a", "b", "c");
  cr_expect_eq (p.status, 1, "%s", p.out);
  expect_contains (p.out, "NOT IN BASELINE");
  expect_contains (p.out, "suite-graceful-stop");
}

Test (check, json_output)
{
  copy_edited ("a", "a2", downtime_plus_3);
  g_auto (Proc) p = RUN ("check", "--json", "--baseline", "base.json", "a2",
                         "b");
  cr_expect_eq (p.status, 1);
  cJSON *root = cJSON_Parse (p.out);
  cr_assert_not_null (root, "not JSON:\n%s", p.out);
  cr_expect (cJSON_IsFalse (cJSON_GetObjectItem (root, "passed")));
  const cJSON *res;
  gboolean found = FALSE;
  cJSON_ArrayForEach (res, cJSON_GetObjectItem (root, "results")) {
    const cJSON *d;
    cJSON_ArrayForEach (d, cJSON_GetObjectItem (res, "differences")) {
      if (g_str_equal (cJSON_GetObjectItem (d, "metric")->valuestring,
                       "downtime_s")) {
        found = TRUE;
        cr_expect (cJSON_IsFalse (cJSON_GetObjectItem (d, "pass")));
        cr_expect_float_eq (cJSON_GetObjectItem (d, "delta")->valuedouble,
                            3.0, 1e-6);
      }
    }
  }
  cr_expect (found, "no downtime_s difference:\n%s", p.out);
  cJSON_Delete (root);
}

Test (check, written_baseline_is_sorted_and_complete)
{
  g_autofree char *path = g_build_filename (tmp, "base.json", NULL);
  g_autofree char *text = NULL;
  cr_assert (g_file_get_contents (path, &text, NULL, NULL));
  cJSON *root = cJSON_Parse (text);
  cr_assert_not_null (root);
  cr_expect_str_eq (cJSON_GetObjectItem (root, "schema")->valuestring,
                    "rescalesim/baseline/1");
  const cJSON *tol = cJSON_GetObjectItem (root, "tolerances");
  const cJSON *dt = cJSON_GetObjectItem (tol, "downtime_s");
  cr_expect_float_eq (cJSON_GetObjectItem (dt, "abs")->valuedouble, 0.5,
                      1e-12);
  cr_expect_float_eq (cJSON_GetObjectItem (dt, "rel")->valuedouble, 0.05,
                      1e-12);
  const cJSON *results = cJSON_GetObjectItem (root, "results");
  cr_assert_eq (cJSON_GetArraySize (results), 2);
  cr_expect_str_eq (cJSON_GetObjectItem (cJSON_GetArrayItem (results, 0),
                                         "scenario")->valuestring,
                    "suite-killed-taskmanager");
  cr_expect_str_eq (cJSON_GetObjectItem (cJSON_GetArrayItem (results, 1),
                                         "scenario")->valuestring,
                    "suite-task-failure-keyed");
  cJSON_Delete (root);

  /* Writing it again gives the same bytes. */
  g_auto (Proc) p = RUN ("check", "--write-baseline", "again.json", "b", "a");
  cr_assert_eq (p.status, 0, "%s", p.err);
  g_autofree char *again_path = g_build_filename (tmp, "again.json", NULL);
  g_autofree char *again = NULL;
  cr_assert (g_file_get_contents (again_path, &again, NULL, NULL));
  cr_expect_str_eq (again, text);
}

Test (check, same_result_twice_is_an_error)
{
  g_auto (Proc) p = RUN ("check", "--write-baseline", "x.json", "a", "a");
  cr_expect_eq (p.status, 3);
  expect_contains (p.err, "suite-killed-taskmanager");
}

Test (check, invalid_inputs_are_exit_3)
{
  g_autofree char *bad_schema = g_build_filename (tmp, "bad1.json", NULL);
  cr_assert (g_file_set_contents (bad_schema, "{\"schema\": \"x\", "
                                  "\"results\": []}", -1, NULL));
  g_auto (Proc) p = RUN ("check", "--baseline", "bad1.json", "a");
  cr_expect_eq (p.status, 3);
  expect_contains (p.err, "rescalesim/baseline/1");

  g_autofree char *bad_tol = g_build_filename (tmp, "bad2.json", NULL);
  cr_assert (g_file_set_contents (bad_tol, "{\"schema\": "
                                  "\"rescalesim/baseline/1\", \"tolerances\":"
                                  " {\"downtime_s\": {\"abs\": -1}}, "
                                  "\"results\": []}", -1, NULL));
  g_auto (Proc) q = RUN ("check", "--baseline", "bad2.json", "a");
  cr_expect_eq (q.status, 3);
  expect_contains (q.err, "tolerances.downtime_s.abs");

  g_auto (Proc) r = RUN ("check", "--baseline", "base.json", "no-such-dir");
  cr_expect_eq (r.status, 3);
  expect_contains (r.err, "no-such-dir");

  g_auto (Proc) u = RUN ("check", "a");
  cr_expect_eq (u.status, 2);

  /* A syntax error is located by line and column; a wrong member is named
   * by its JSON path with what was expected and what was found. */
  g_autofree char *bad_json = g_build_filename (tmp, "bad3.json", NULL);
  cr_assert (g_file_set_contents (bad_json, "{\"schema\": "
                                  "\"rescalesim/baseline/1\",\n"
                                  "  \"results\": [}\n", -1, NULL));
  g_auto (Proc) v = RUN ("check", "--baseline", "bad3.json", "a");
  cr_expect_eq (v.status, 3);
  expect_contains (v.err, "bad3.json:2:");
  g_autofree char *bad_seed = g_build_filename (tmp, "bad4.json", NULL);
  cr_assert (g_file_set_contents (bad_seed, "{\"schema\": "
                                  "\"rescalesim/baseline/1\", \"results\": "
                                  "[{\"scenario\": \"s\", \"scheduler\": "
                                  "\"default\", \"seed\": \"1\", "
                                  "\"summary\": {}}]}", -1, NULL));
  g_auto (Proc) w = RUN ("check", "--baseline", "bad4.json", "a");
  cr_expect_eq (w.status, 3);
  expect_contains (w.err, "results[0].seed: expected a number, got the "
                   "string \"1\"");
}

/* A baseline that cannot be written is an output error (4), and nothing
 * is left where it was to go. */
Test (check, unwritable_baseline_is_exit_4)
{
  g_auto (Proc) p = RUN ("check", "--write-baseline", "no-dir/b.json", "a");
  cr_expect_eq (p.status, 4, "%s", p.err);
  expect_contains (p.err, "no-dir");
}

Test (check, a_tolerance_can_be_loosened_in_the_baseline)
{
  copy_edited ("a", "a2", one_more_restart);
  g_autofree char *path = g_build_filename (tmp, "base.json", NULL);
  g_autofree char *text = NULL;
  cr_assert (g_file_get_contents (path, &text, NULL, NULL));
  cJSON *root = cJSON_Parse (text);
  cJSON *tol = cJSON_GetObjectItem (root, "tolerances");
  cJSON_ReplaceItemInObject (tol, "restarts",
                             cJSON_Parse ("{\"abs\": 1}"));
  char *out = cJSON_Print (root);
  cr_assert (g_file_set_contents (path, out, -1, NULL));
  free (out);
  cJSON_Delete (root);
  g_auto (Proc) p = RUN ("check", "--baseline", "base.json", "a2", "b");
  cr_expect_eq (p.status, 0, "%s", p.out);
  g_autofree char *line = table_line (p.out, "restarts");
  cr_assert_not_null (line, "%s", p.out);
  expect_contains (line, "PASS");
}
