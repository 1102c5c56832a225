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
#include <rescalesim/report.h>

#include "harness/check-private.h"
#include "test-files.h"

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
    rm_rf (tmp);
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

/* ------------------------------------------------------------------ JUnit */

/* The JUnit shape the CI reporters read, checked while GLib's GMarkup
 * parses the file: <testsuites name tests failures errors> holding
 * <testsuite name tests failures errors skipped> elements holding
 * <testcase classname name> elements, each empty or holding one
 * <failure type message> with text. Any other element, a missing or
 * unknown attribute, or counts that disagree with the content fail. */
typedef struct {
  int depth;
  guint cases, failures;              /* of the current suite */
  guint suite_tests, suite_failures;  /* its attributes */
  guint all_cases, all_failures;
  guint root_tests, root_failures;
  guint suites;
  gboolean in_failure, case_failed;
  char *suite_name, *case_name;
  GString *failure_text;
  GPtrArray *failed;                  /* "SUITE :: CASE :: MESSAGE" */
} JUnitShape;

static gboolean
attrs_are (const char **names, const char **values, const char *const *want,
           GError **error, guint *n1, guint *n2, const char **name)
{
  guint n = 0;
  for (; names[n]; n++) {
    gboolean known = FALSE;
    for (guint k = 0; want[k]; k++)
      known = known || g_str_equal (names[n], want[k]);
    if (!known) {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_UNKNOWN_ATTRIBUTE,
                   "unexpected attribute %s", names[n]);
      return FALSE;
    }
    if (g_str_equal (names[n], "tests") && n1)
      *n1 = (guint) g_ascii_strtoull (values[n], NULL, 10);
    if (g_str_equal (names[n], "failures") && n2)
      *n2 = (guint) g_ascii_strtoull (values[n], NULL, 10);
    if (g_str_equal (names[n], "name") && name)
      *name = values[n];
  }
  if (n != g_strv_length ((char **) want)) {
    g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_MISSING_ATTRIBUTE,
                 "%u attributes, expected %u", n,
                 g_strv_length ((char **) want));
    return FALSE;
  }
  return TRUE;
}

static void
junit_start (GMarkupParseContext *ctx, const char *element,
             const char **names, const char **values, gpointer user,
             GError **error)
{
  JUnitShape *j = user;
  static const char *const root_attrs[] = { "name", "tests", "failures",
                                            "errors", NULL };
  static const char *const suite_attrs[] = { "name", "tests", "failures",
                                             "errors", "skipped", NULL };
  static const char *const case_attrs[] = { "classname", "name", NULL };
  static const char *const failure_attrs[] = { "type", "message", NULL };
  static const char *const order[] = { "testsuites", "testsuite", "testcase",
                                       "failure" };
  static const char *const *attrs[] = { root_attrs, suite_attrs, case_attrs,
                                        failure_attrs };
  if (j->depth >= 4 || !g_str_equal (element, order[j->depth])) {
    g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_UNKNOWN_ELEMENT,
                 "<%s> at depth %d", element, j->depth);
    return;
  }
  const char *name = NULL;
  switch (j->depth) {
  case 0:
    attrs_are (names, values, attrs[0], error, &j->root_tests,
               &j->root_failures, NULL);
    break;
  case 1:
    j->cases = j->failures = 0;
    j->suites++;
    if (attrs_are (names, values, attrs[1], error, &j->suite_tests,
                   &j->suite_failures, &name))
      j->suite_name = g_strdup (name);
    break;
  case 2:
    j->cases++;
    j->case_failed = FALSE;
    if (attrs_are (names, values, attrs[2], error, NULL, NULL, &name))
      j->case_name = g_strdup (name);
    break;
  case 3:
    if (j->case_failed) {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                   "two failures in one case");
      return;
    }
    j->case_failed = TRUE;
    j->failures++;
    attrs_are (names, values, attrs[3], error, NULL, NULL, NULL);
    j->in_failure = TRUE;
    g_string_truncate (j->failure_text, 0);
    break;
  }
  j->depth++;
}

static void
junit_end (GMarkupParseContext *ctx, const char *element, gpointer user,
           GError **error)
{
  JUnitShape *j = user;
  j->depth--;
  if (j->depth == 3) {
    j->in_failure = FALSE;
    g_ptr_array_add (j->failed, g_strdup_printf ("%s :: %s :: %s",
                                                 j->suite_name, j->case_name,
                                                 j->failure_text->str));
  } else if (j->depth == 2) {
    g_clear_pointer (&j->case_name, g_free);
  } else if (j->depth == 1) {
    if (j->cases != j->suite_tests || j->failures != j->suite_failures)
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                   "suite %s: %u cases, %u failures; attributes say %u, %u",
                   j->suite_name, j->cases, j->failures, j->suite_tests,
                   j->suite_failures);
    j->all_cases += j->cases;
    j->all_failures += j->failures;
    g_clear_pointer (&j->suite_name, g_free);
  } else if (j->depth == 0) {
    if (j->all_cases != j->root_tests || j->all_failures != j->root_failures)
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                   "%u cases, %u failures; testsuites says %u, %u",
                   j->all_cases, j->all_failures, j->root_tests,
                   j->root_failures);
  }
}

static void
junit_text (GMarkupParseContext *ctx, const char *text, gsize len,
            gpointer user, GError **error)
{
  JUnitShape *j = user;
  if (j->in_failure) {
    g_string_append_len (j->failure_text, text, (gssize) len);
    return;
  }
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (text[i])) {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                   "text outside <failure>");
      return;
    }
}

static void
junit_parse (const char *path, JUnitShape *j)
{
  g_autofree char *xml = NULL;
  cr_assert (g_file_get_contents (path, &xml, NULL, NULL), "no %s", path);
  cr_assert (g_str_has_prefix (xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
  static const GMarkupParser parser = { junit_start, junit_end, junit_text,
                                        NULL, NULL };
  memset (j, 0, sizeof *j);
  j->failure_text = g_string_new (NULL);
  j->failed = g_ptr_array_new_with_free_func (g_free);
  GMarkupParseContext *ctx = g_markup_parse_context_new (&parser, 0, j, NULL);
  g_autoptr (GError) error = NULL;
  gboolean ok = g_markup_parse_context_parse (ctx, xml, -1, &error)
                && g_markup_parse_context_end_parse (ctx, &error);
  g_markup_parse_context_free (ctx);
  cr_assert (ok, "%s: %s\n%s", path, error ? error->message : "?", xml);
  cr_assert_eq (j->depth, 0);
}

static void
junit_clear (JUnitShape *j)
{
  g_string_free (j->failure_text, TRUE);
  g_ptr_array_free (j->failed, TRUE);
  g_free (j->suite_name);
  g_free (j->case_name);
}

static double
baseline_value (const char *scenario, const char *metric)
{
  g_autofree char *path = g_build_filename (tmp, "base.json", NULL);
  g_autofree char *text = NULL;
  cr_assert (g_file_get_contents (path, &text, NULL, NULL));
  cJSON *root = cJSON_Parse (text);
  const cJSON *r;
  double v = NAN;
  cJSON_ArrayForEach (r, cJSON_GetObjectItem (root, "results"))
    if (g_str_equal (cJSON_GetObjectItem (r, "scenario")->valuestring,
                     scenario))
      v = cJSON_GetObjectItem (cJSON_GetObjectItem (r, "summary"),
                               metric)->valuedouble;
  cJSON_Delete (root);
  return v;
}

/* One case per result and metric; the regression (downtime 3 s over the
 * baseline's) and the result the baseline lacks are the only failures,
 * with the numbers in the message; the verdict and exit code are those
 * of the table. */
Test (check, junit_file_has_the_junit_shape)
{
  copy_edited ("a", "a2", downtime_plus_3);
  make_run ("graceful-stop.json", "c");
  g_auto (Proc) p = RUN ("check", "--baseline", "base.json", "--junit",
                         "out.xml", "a2", "b", "c");
  cr_expect_eq (p.status, 1, "%s%s", p.out, p.err);
  expect_contains (p.out, "check: FAIL");
  g_autofree char *path = g_build_filename (tmp, "out.xml", NULL);
  JUnitShape j;
  junit_parse (path, &j);
  cr_expect_eq (j.suites, 3);
  cr_expect_eq (j.all_failures, 2);
  /* Every metric of the report's summary: the flattened final_parallelism
   * has one entry per vertex. */
  cr_expect_gt (j.all_cases, 2 * 20);
  cr_assert_eq (j.failed->len, 2);

  double base = baseline_value ("suite-killed-taskmanager", "downtime_s");
  char b[RSIM_REPORT_NUMBER_SIZE], n[RSIM_REPORT_NUMBER_SIZE],
    t[RSIM_REPORT_NUMBER_SIZE];
  rsim_report_format_double (b, base);
  rsim_report_format_double (n, base + 3.0);
  rsim_report_format_double (t, MAX (0.5, 0.05 * base));
  g_autofree char *want = g_strdup_printf (
    "suite-killed-taskmanager / default / seed 11 :: downtime_s :: "
    "downtime_s: baseline %s, new %s, delta +3, tolerance +-%s "
    "(abs 0.5, rel 0.05)", b, n, t);
  cr_expect_str_eq (j.failed->pdata[0], want);
  cr_expect (g_str_has_prefix (j.failed->pdata[1],
                               "suite-graceful-stop / default / seed "),
             "%s", (char *) j.failed->pdata[1]);
  cr_expect (strstr (j.failed->pdata[1], " :: result :: suite-graceful-stop")
             != NULL, "%s", (char *) j.failed->pdata[1]);
  cr_expect (g_str_has_suffix (j.failed->pdata[1],
                               ": the baseline has no such result"),
             "%s", (char *) j.failed->pdata[1]);
  junit_clear (&j);

  /* All passing: no failure element at all. */
  g_auto (Proc) q = RUN ("check", "--baseline", "base.json", "--junit",
                         "pass.xml", "a", "b");
  cr_expect_eq (q.status, 0, "%s", q.err);
  g_autofree char *pass = g_build_filename (tmp, "pass.xml", NULL);
  junit_parse (pass, &j);
  cr_expect_eq (j.suites, 2);
  cr_expect_eq (j.all_failures, 0);
  junit_clear (&j);

  /* Not writable: exit 4, the usual table still printed before. */
  g_auto (Proc) w = RUN ("check", "--baseline", "base.json", "--junit",
                         "no-dir/x.xml", "a", "b");
  cr_expect_eq (w.status, 4, "%s", w.err);
  expect_contains (w.err, "no-dir");
}

/* --junit goes with a comparison, not with writing a baseline, and needs a
 * file name: usage errors (2), nothing written. */
Test (check, junit_usage_errors)
{
  g_auto (Proc) a = RUN ("check", "--write-baseline", "b2.json", "--junit",
                         "x.xml", "a");
  cr_expect_eq (a.status, 2, "%s", a.err);
  expect_contains (a.err, "--junit goes with --baseline");
  g_auto (Proc) b = RUN ("check", "--baseline", "base.json", "--junit", "",
                         "a", "b");
  cr_expect_eq (b.status, 2, "%s", b.err);
  expect_contains (b.err, "--junit needs a file name");
  g_autofree char *x = g_build_filename (tmp, "x.xml", NULL);
  g_autofree char *b2 = g_build_filename (tmp, "b2.json", NULL);
  cr_expect_not (g_file_test (x, G_FILE_TEST_EXISTS));
  cr_expect_not (g_file_test (b2, G_FILE_TEST_EXISTS));
}

/* Counters of 10^12 and more: exact with no tolerance (the rounding slack
 * of tolerances must not let 1 through), and written into a baseline with
 * every digit, so a baseline built from a report passes against it. */
Test (check_tolerance, counters_beyond_10_12_are_exact)
{
  cr_expect (rsim__check_within (1e12 + 1, 1e12 + 1, 0, 0));
  cr_expect_not (rsim__check_within (1e12, 1e12 + 1, 0, 0));
  char buf[RSIM_REPORT_NUMBER_SIZE];
  cr_expect_str_eq (rsim_report_format_double (buf, 1000000000001.0),
                    "1000000000001");
  cr_expect_str_eq (rsim_report_format_double (buf, 0.1), "0.1");
}

static void
restarts_huge (cJSON *s)
{
  cJSON_SetNumberValue (cJSON_GetObjectItem (s, "restarts"), 1000000000001.0);
}

static void
restarts_twice (cJSON *s)
{
  cJSON_AddNumberToObject (s, "restarts", 99);
}

Test (check, baseline_of_a_report_passes_against_it_and_repeats_are_refused)
{
  copy_edited ("a", "huge", restarts_huge);
  g_auto (Proc) w = RUN ("check", "--write-baseline", "huge.json", "huge");
  cr_assert_eq (w.status, 0, "%s", w.err);
  g_autofree char *path = g_build_filename (tmp, "huge.json", NULL);
  g_autofree char *text = NULL;
  cr_assert (g_file_get_contents (path, &text, NULL, NULL));
  cr_expect_not_null (strstr (text, "1000000000001"), "%s", text);
  g_auto (Proc) c = RUN ("check", "--baseline", "huge.json", "huge");
  cr_expect_eq (c.status, 0, "%s%s", c.out, c.err);

  copy_edited ("a", "twice", restarts_twice);
  g_auto (Proc) t = RUN ("check", "--baseline", "base.json", "twice");
  cr_expect_eq (t.status, 3, "%s%s", t.out, t.err);
  cr_expect_not_null (strstr (t.err, "expected each metric once, found "
                              "\"restarts\" twice"), "%s", t.err);
}
