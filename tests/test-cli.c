/* Tests of the rescalesim program as a user runs it: help and usage errors,
 * exit codes, the invalid-scenario corpus, validate, the output files of
 * run and their byte-identical reproduction; output errors on stdout
 * (exit 4), interruption by a signal and stale temporary files.
 *
 * The binary comes from RSIM_BINARY and the source tree from
 * RSIM_SOURCE_ROOT (both set by meson). Each test runs the program in a
 * fresh temporary working directory, so the default output directory
 * (out/NAME/SCHEDULER) lands there and can be checked. Setting
 * RSIM_TEST_WRAPPER (e.g. "valgrind -q --error-exitcode=99 --leak-check=full")
 * runs every invocation under that command.
 *
 * Tests that need the simulation core (run_*, determinism_*) fail with the
 * program's own message until it is built; they never crash. */
#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <glib/gstdio.h>
#include "test-files.h"

/* ------------------------------------------------------------ helpers */

typedef struct {
  int status;        /* exit code, or 128 + signal */
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

static char *workdir;

static const char *
source_root (void)
{
  const char *root = g_getenv ("RSIM_SOURCE_ROOT");
  cr_assert_not_null (root, "RSIM_SOURCE_ROOT is not set");
  return root;
}

static char *
source_path (const char *rel)
{
  return g_build_filename (source_root (), rel, NULL);
}

static void
setup (void)
{
  g_autoptr (GError) error = NULL;
  workdir = g_dir_make_tmp ("rsim-test-cli-XXXXXX", &error);
  cr_assert_not_null (workdir, "%s", error ? error->message : "?");
}

static void
teardown (void)
{
  if (workdir != NULL)
    rm_rf (workdir);
  g_clear_pointer (&workdir, g_free);
}

/* Runs the program with the NULL-terminated arguments in the working
 * directory. */
static Proc
run_v (const char *const *args)
{
  const char *binary = g_getenv ("RSIM_BINARY");
  cr_assert_not_null (binary, "RSIM_BINARY is not set");

  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  const char *wrapper = g_getenv ("RSIM_TEST_WRAPPER");
  if (wrapper != NULL && *wrapper != '\0') {
    g_auto (GStrv) words = NULL;
    cr_assert (g_shell_parse_argv (wrapper, NULL, &words, NULL));
    for (int i = 0; words[i]; i++)
      g_ptr_array_add (argv, g_strdup (words[i]));
  }
  g_ptr_array_add (argv, g_strdup (binary));
  for (int i = 0; args[i]; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  Proc p = { 0 };
  int wait_status = 0;
  g_autoptr (GError) error = NULL;
  gboolean ok = g_spawn_sync (workdir, (char **) argv->pdata, NULL,
                              G_SPAWN_SEARCH_PATH, NULL, NULL, &p.out, &p.err,
                              &wait_status, &error);
  cr_assert (ok, "cannot run %s: %s", binary, error ? error->message : "?");
  if (WIFEXITED (wait_status))
    p.status = WEXITSTATUS (wait_status);
  else
    p.status = 128 + WTERMSIG (wait_status);
  cr_assert_lt (p.status, 99, "%s crashed or leaked (status %d); stderr:\n%s",
                binary, p.status, p.err);
  return p;
}

#define RUN(...) run_v ((const char *const[]) { __VA_ARGS__, NULL })

static gboolean
exists_in_workdir (const char *rel)
{
  g_autofree char *path = g_build_filename (workdir, rel, NULL);
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static char *
read_in_workdir (const char *rel)
{
  g_autofree char *path = g_build_filename (workdir, rel, NULL);
  char *text = NULL;
  cr_assert (g_file_get_contents (path, &text, NULL, NULL), "cannot read %s",
             path);
  return text;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Sorted *.json files of a source directory (empty if it does not
 * exist). */
static GPtrArray *
json_files (const char *rel_dir)
{
  g_autofree char *dir = source_path (rel_dir);
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (files, g_build_filename (dir, name, NULL));
  if (d)
    g_dir_close (d);
  g_ptr_array_sort (files, compare_names);
  return files;
}

static void
expect_contains (const char *text, const char *what, const char *where)
{
  cr_expect_not_null (strstr (text, what), "%s lacks '%s':\n%s", where, what,
                      text);
}

#define SCENARIO_BASIC "tests/data/valid/report-basic.json"
#define SCENARIO_DEMO "scenarios/demo.json"

TestSuite (cli, .init = setup, .fini = teardown);

/* ------------------------------------------------------ help and usage */

Test (cli, program_help)
{
  const char *forms[][2] = { { "--help", NULL }, { "-h", NULL },
                             { "help", NULL } };
  for (gsize i = 0; i < G_N_ELEMENTS (forms); i++) {
    g_auto (Proc) p = run_v (forms[i]);
    cr_expect_eq (p.status, 0, "%s", forms[i][0]);
    expect_contains (p.out, "Usage:", forms[i][0]);
    expect_contains (p.out, "run", forms[i][0]);
    expect_contains (p.out, "validate", forms[i][0]);
    expect_contains (p.out, "Exit status", forms[i][0]);
    cr_expect_str_empty (p.err);
  }
}

Test (cli, version)
{
  g_auto (Proc) p = RUN ("--version");
  cr_expect_eq (p.status, 0);
  cr_expect (g_str_has_prefix (p.out, "rescalesim "), "%s", p.out);
}

Test (cli, no_arguments)
{
  g_auto (Proc) p = RUN (NULL);
  cr_expect_eq (p.status, 2);
  expect_contains (p.err, "Usage:", "stderr");
  cr_expect_str_empty (p.out);
}

Test (cli, command_help)
{
  const char *commands[] = { "run", "validate" };
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++) {
    g_auto (Proc) a = RUN (commands[i], "--help");
    g_auto (Proc) b = RUN ("help", commands[i]);
    g_auto (Proc) c = RUN (commands[i], "-h");
    g_autofree char *usage = g_strdup_printf ("rescalesim %s", commands[i]);
    cr_expect_eq (a.status, 0, "%s --help", commands[i]);
    cr_expect_eq (b.status, 0, "help %s", commands[i]);
    cr_expect_eq (c.status, 0, "%s -h", commands[i]);
    expect_contains (a.out, "Usage:", commands[i]);
    expect_contains (a.out, usage, commands[i]);
    expect_contains (a.out, "Exit status", commands[i]);
    const int codes[] = { 0, 1, 2, 3, 4, 5, 130 };
    for (gsize k = 0; k < G_N_ELEMENTS (codes); k++) {
      g_autofree char *line = g_strdup_printf ("\n  %3d  ", codes[k]);
      expect_contains (a.out, line, commands[i]);
    }
    cr_expect_str_eq (a.out, b.out, "help %s differs from --help",
                      commands[i]);
    cr_expect_str_eq (a.out, c.out);
  }
  g_auto (Proc) r = RUN ("run", "--help");
  expect_contains (r.out, "--scheduler", "run --help");
  expect_contains (r.out, "--seed", "run --help");
  expect_contains (r.out, "--out", "run --help");
  expect_contains (r.out, "--json", "run --help");
  expect_contains (r.out, "--stats", "run --help");
  expect_contains (r.out, "--quiet", "run --help");
}

Test (cli, unknown_command)
{
  g_auto (Proc) a = RUN ("frobnicate");
  cr_expect_eq (a.status, 2);
  expect_contains (a.err, "rescalesim: unknown command 'frobnicate'", "stderr");
  g_auto (Proc) b = RUN ("help", "frobnicate");
  cr_expect_eq (b.status, 2);
}

Test (cli, bad_option)
{
  g_autofree char *sc = source_path (SCENARIO_BASIC);
  g_auto (Proc) a = RUN ("--bogus");
  cr_expect_eq (a.status, 2, "%s", a.err);
  g_auto (Proc) b = RUN ("run", "--bogus", sc);
  cr_expect_eq (b.status, 2, "%s", b.err);
  expect_contains (b.err, "rescalesim: ", "stderr");
  expect_contains (b.err, "--bogus", "stderr");
  g_auto (Proc) c = RUN ("validate", "--bogus", sc);
  cr_expect_eq (c.status, 2, "%s", c.err);
  cr_expect_not (exists_in_workdir ("out"));
}

Test (cli, run_usage_errors)
{
  g_autofree char *sc = source_path (SCENARIO_BASIC);
  const char *cases[][6] = {
    { "run", NULL },
    { "run", sc, sc, NULL },
    { "run", sc, "--scheduler", "fifo", NULL },
    { "run", sc, "--seed", "abc", NULL },
    { "run", sc, "--seed", "-1", NULL },
    { "run", sc, "--seed", "12x", NULL },
    { "run", sc, "--seed", "", NULL },
    { "run", sc, "--seed", "18446744073709551616", NULL },
    { "run", sc, "--seed", NULL },
    { "run", sc, "--out", "", NULL },
    { "validate", NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_auto (Proc) p = run_v (cases[i]);
    cr_expect_eq (p.status, 2, "case %zu: status %d, stderr:\n%s", i,
                  p.status, p.err);
    cr_expect (g_str_has_prefix (p.err, "rescalesim: "), "case %zu: %s", i,
               p.err);
    cr_expect_str_empty (p.out, "case %zu", i);
  }
  cr_expect_not (exists_in_workdir ("out"));
}

/* ------------------------------------------------------ invalid scenarios */

Test (cli, invalid_corpus)
{
  g_autoptr (GPtrArray) files = json_files ("tests/data/invalid");
  if (files->len == 0)
    cr_log_warn ("tests/data/invalid holds no scenario yet");
  for (guint i = 0; i < files->len; i++) {
    const char *json = files->pdata[i];
    g_autofree char *stem = g_strndup (json, strlen (json) - strlen (".json"));
    g_autofree char *err_path = g_strconcat (stem, ".err", NULL);
    g_autofree char *want = NULL;
    cr_assert (g_file_get_contents (err_path, &want, NULL, NULL),
               "%s has no .err file", json);
    g_strchomp (want);

    g_auto (Proc) p = RUN ("run", json);
    cr_expect_eq (p.status, 3, "%s: status %d, stderr:\n%s", json, p.status,
                  p.err);
    cr_expect (g_str_has_prefix (p.err, "rescalesim: "), "%s: %s", json,
               p.err);
    cr_expect_not_null (strstr (p.err, want), "%s: stderr lacks\n  %s\ngot\n  %s",
                        json, want, p.err);
    cr_expect_not (exists_in_workdir ("out"), "%s left an output dir", json);

    g_autofree char *out_arg = g_strdup ("explicit-out");
    g_auto (Proc) q = RUN ("run", json, "--out", out_arg);
    cr_expect_eq (q.status, 3, "%s --out", json);
    cr_expect_not (exists_in_workdir (out_arg), "%s left --out", json);

    g_auto (Proc) v = RUN ("validate", json);
    cr_expect_eq (v.status, 3, "validate %s", json);
    cr_expect_not_null (strstr (v.err, want), "validate %s: %s", json, v.err);
  }
}

Test (cli, missing_scenario_file)
{
  g_auto (Proc) p = RUN ("run", "no-such-file.json");
  cr_expect_eq (p.status, 3, "%s", p.err);
  expect_contains (p.err, "no-such-file.json", "stderr");
  cr_expect_not (exists_in_workdir ("out"));
}

/* ------------------------------------------------------------- validate */

Test (cli, validate_scenarios)
{
  g_autoptr (GPtrArray) files = json_files ("scenarios");
  g_autoptr (GPtrArray) valid = json_files ("tests/data/valid");
  g_ptr_array_extend_and_steal (files, g_steal_pointer (&valid));
  cr_assert_gt (files->len, 0);
  for (guint i = 0; i < files->len; i++) {
    g_auto (Proc) p = RUN ("validate", files->pdata[i]);
    cr_expect_eq (p.status, 0, "%s: %s", (char *) files->pdata[i], p.err);
    g_autofree char *ok = g_strdup_printf ("%s: ok (", (char *) files->pdata[i]);
    cr_expect (g_str_has_prefix (p.out, ok), "%s", p.out);
  }
}

Test (cli, validate_many_worst_wins)
{
  g_autofree char *sc = source_path (SCENARIO_BASIC);
  g_auto (Proc) p = RUN ("validate", sc, "no-such-file.json", sc);
  cr_expect_eq (p.status, 3);
  g_autofree char *ok = g_strdup_printf ("%s: ok (0 warnings)\n", sc);
  g_autofree char *twice = g_strconcat (ok, ok, NULL);
  cr_expect_str_eq (p.out, twice);
  expect_contains (p.err, "rescalesim: no-such-file.json", "stderr");
}

/* ---------------------------------------------------------------- run */

Test (cli, output_dir_not_writable)
{
  g_autofree char *sc = source_path (SCENARIO_BASIC);
  g_autofree char *blocker = g_build_filename (workdir, "file", NULL);
  cr_assert (g_file_set_contents (blocker, "x", -1, NULL));
  g_auto (Proc) p = RUN ("run", sc, "--out", "file/sub");
  cr_expect_eq (p.status, 4, "%s", p.err);
  expect_contains (p.err, "rescalesim: ", "stderr");
  expect_contains (p.err, "file/sub", "stderr");
  cr_expect_str_empty (p.out);
}

static void expect_same_files (const char *dir_a, const char *dir_b);

/* The adaptive scheduler and reactive mode run and write their reports;
 * on a Flink version without them (before 1.13) run refuses with exit 3 and
 * leaves nothing. */
Test (cli, adaptive_and_reactive_schedulers)
{
  g_autofree char *sc = source_path (SCENARIO_BASIC);
  g_auto (Proc) p = RUN ("run", sc, "--scheduler", "adaptive", "--quiet");
  cr_expect_eq (p.status, 0, "%s", p.err);
  cr_expect (exists_in_workdir ("out/report-basic/adaptive/report.json"));
  g_auto (Proc) q = RUN ("run", sc, "--scheduler", "reactive", "--quiet");
  cr_expect_eq (q.status, 0, "%s", q.err);
  g_autofree char *report = read_in_workdir ("out/report-basic/reactive/report.json");
  expect_contains (report, "\"scheduler\": \"reactive\"", "report.json");

  g_autofree char *old = source_path ("scenarios/flink17-modify-savepoint-fails.json");
  g_auto (Proc) r = RUN ("run", old, "--scheduler", "reactive", "--out", "old");
  cr_expect_eq (r.status, 3, "%s", r.err);
  expect_contains (r.err, "1.13", "stderr");
  cr_expect_not (exists_in_workdir ("old"), "a refused run left outputs");
}

/* compare: one directory per (scheduler, seed), compare.json with every
 * run's summary, the same bytes on a second run. */
Test (cli, compare_schedulers)
{
  g_autofree char *sc = source_path (SCENARIO_BASIC);
  g_auto (Proc) a = RUN ("compare", sc, "--seeds", "2", "--out", "a",
                         "--schedulers", "default,adaptive,reactive");
  cr_assert_eq (a.status, 0, "%s", a.err);
  expect_contains (a.out, "reactive", "the table");
  g_autofree char *ja = read_in_workdir ("a/compare.json");
  expect_contains (ja, "\"schema\": \"rescalesim/compare/1\"", "compare.json");
  expect_contains (ja, "\"dir\": \"adaptive/seed-43\"", "compare.json");
  cr_expect (exists_in_workdir ("a/reactive/seed-42/timeseries.csv"));
  g_auto (Proc) b = RUN ("compare", sc, "--seeds", "2", "--out", "b", "--quiet",
                         "--schedulers", "default,adaptive,reactive");
  cr_assert_eq (b.status, 0, "%s", b.err);
  g_autofree char *jb = read_in_workdir ("b/compare.json");
  cr_expect_str_eq (ja, jb);
  expect_same_files ("a/adaptive/seed-42", "b/adaptive/seed-42");

  g_auto (Proc) c = RUN ("compare", sc, "--schedulers", "fast");
  cr_expect_eq (c.status, 2, "%s", c.err);
}

/* Asserts that a run succeeded: exit 0 and the three files, no temporary
 * file. */
static void
assert_run_ok (const Proc *p, const char *dir)
{
  cr_assert_eq (p->status, 0, "run into %s failed (status %d):\n%s", dir,
                p->status, p->err);
  g_autofree char *path = g_build_filename (workdir, dir, NULL);
  GDir *d = g_dir_open (path, 0, NULL);
  cr_assert_not_null (d, "no directory %s", dir);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (d);
  g_ptr_array_sort (names, compare_names);
  cr_expect_eq (names->len, 3, "%s holds %u files", dir, names->len);
  const char *want[] = { "events.jsonl", "report.json", "timeseries.csv" };
  for (guint i = 0; i < names->len && i < 3; i++)
    cr_expect_str_eq (names->pdata[i], want[i]);
}

Test (cli, run_writes_files)
{
  g_autofree char *sc = source_path (SCENARIO_BASIC);
  g_auto (Proc) p = RUN ("run", sc);
  assert_run_ok (&p, "out/report-basic/default");
  expect_contains (p.out, "report-basic", "summary");
  expect_contains (p.out, "downtime", "summary");
  expect_contains (p.out, "out/report-basic/default", "summary");

  g_autofree char *report = read_in_workdir ("out/report-basic/default/report.json");
  cJSON *root = cJSON_Parse (report);
  cr_assert_not_null (root, "report.json is not JSON");
  cr_expect_str_eq (cJSON_GetObjectItem (root, "schema")->valuestring,
                    "rescalesim/report/1");
  const cJSON *run = cJSON_GetObjectItem (root, "run");
  cr_expect_str_eq (cJSON_GetObjectItem (run, "scheduler")->valuestring,
                    "default");
  cr_expect_eq (cJSON_GetObjectItem (run, "seed")->valuedouble, 42);
  cJSON_Delete (root);

  g_autofree char *csv = read_in_workdir ("out/report-basic/default/timeseries.csv");
  cr_expect (g_str_has_prefix (csv, "t_s,input_rate,processed_rate,"
                                    "lag_records,capacity,parallelism,"
                                    "taskmanagers,slots,job_state,phase,"
                                    "parallelism.source,parallelism.window\n"),
             "%.200s", csv);
}

/* --seed takes what a scenario's "seed" takes: 0 to 2^53-1, the largest
 * integer JSON readers keep exactly (report.json carries it back). */
Test (cli, seed_range_is_the_scenario_range)
{
  g_autofree char *sc = source_path (SCENARIO_BASIC);
  g_auto (Proc) p = RUN ("run", sc, "--json", "--quiet", "--out", "s",
                         "--seed", "9007199254740991");
  cr_assert_eq (p.status, 0, "%s", p.err);
  cJSON *root = cJSON_Parse (p.out);
  cr_assert_not_null (root);
  const cJSON *seed = cJSON_GetObjectItem (cJSON_GetObjectItem (root, "run"),
                                           "seed");
  cr_expect_eq (seed->valuedouble, 9007199254740991.0);
  cJSON_Delete (root);

  g_auto (Proc) q = RUN ("run", sc, "--seed", "9007199254740992");
  cr_expect_eq (q.status, 2);
  cr_expect_str_eq (q.err, "rescalesim: invalid --seed "
                    "'9007199254740992': expected an integer from 0 to "
                    "9007199254740991 (2^53-1)\nTry 'rescalesim run --help'.\n");

  g_auto (Proc) h = RUN ("run", "--help");
  expect_contains (h.out, "0 to 2^53-1", "run --help");
}

Test (cli, run_json)
{
  g_autofree char *sc = source_path (SCENARIO_BASIC);
  g_auto (Proc) p = RUN ("run", sc, "--json", "--out", "j", "--seed", "5");
  assert_run_ok (&p, "j");
  g_autofree char *report = read_in_workdir ("j/report.json");
  cr_expect_str_eq (p.out, report, "--json output differs from report.json");
  expect_contains (p.err, "j", "stderr");
  cJSON *root = cJSON_Parse (p.out);
  cr_assert_not_null (root);
  cr_expect_eq (cJSON_GetObjectItem (cJSON_GetObjectItem (root, "run"),
                                     "seed")->valuedouble, 5);
  cJSON_Delete (root);
}

Test (cli, run_quiet_and_stats)
{
  g_autofree char *sc = source_path (SCENARIO_BASIC);
  g_auto (Proc) p = RUN ("run", sc, "--quiet", "--stats", "--out", "q");
  assert_run_ok (&p, "q");
  cr_expect_str_empty (p.out);
  expect_contains (p.err, "events/s", "stderr");
  /* --stats keeps the wall clock out of the files. */
  g_auto (Proc) r = RUN ("run", sc, "--quiet", "--out", "r");
  assert_run_ok (&r, "r");
  g_autofree char *a = read_in_workdir ("q/report.json");
  g_autofree char *b = read_in_workdir ("r/report.json");
  cr_expect_str_eq (a, b);
}

/* ---------------------------------------------------------- determinism */

static void
expect_same_files (const char *dir_a, const char *dir_b)
{
  const char *files[] = { "report.json", "timeseries.csv", "events.jsonl" };
  for (gsize i = 0; i < G_N_ELEMENTS (files); i++) {
    g_autofree char *pa = g_build_filename (dir_a, files[i], NULL);
    g_autofree char *pb = g_build_filename (dir_b, files[i], NULL);
    g_autofree char *a = read_in_workdir (pa);
    g_autofree char *b = read_in_workdir (pb);
    cr_expect_str_eq (a, b, "%s differs between %s and %s", files[i], dir_a,
                      dir_b);
  }
}

Test (cli, determinism_demo)
{
  g_autofree char *sc = source_path (SCENARIO_DEMO);
  cr_assert (g_file_test (sc, G_FILE_TEST_EXISTS), "%s does not exist", sc);

  g_auto (Proc) a = RUN ("run", sc, "--scheduler", "default", "--quiet",
                         "--out", "a");
  assert_run_ok (&a, "a");
  /* Another directory depth and spelling: paths must not reach the files. */
  g_auto (Proc) b = RUN ("run", sc, "--scheduler", "default", "--quiet",
                         "--out", "deeper/./b/");
  assert_run_ok (&b, "deeper/b");
  expect_same_files ("a", "deeper/b");

  /* A different seed must run too; its files may differ (the report does,
   * by its seed). */
  g_auto (Proc) c = RUN ("run", sc, "--scheduler", "default", "--quiet",
                         "--seed", "12345", "--out", "c");
  assert_run_ok (&c, "c");
  g_autofree char *ra = read_in_workdir ("a/report.json");
  g_autofree char *rc = read_in_workdir ("c/report.json");
  cr_expect_str_neq (ra, rc);
}

Test (cli, determinism_same_seed_flag)
{
  /* --seed equal to the scenario's seed gives the scenario's own run. */
  g_autofree char *sc = source_path (SCENARIO_BASIC);
  g_auto (Proc) a = RUN ("run", sc, "--quiet", "--out", "a");
  assert_run_ok (&a, "a");
  g_auto (Proc) b = RUN ("run", sc, "--quiet", "--seed", "42", "--out", "b");
  assert_run_ok (&b, "b");
  expect_same_files ("a", "b");
}

/* ------------------------------------------- output errors, interruption */

/* Starts the program (without RSIM_TEST_WRAPPER: these tests time the
 * process or signal it) in the working directory with stdout on
 * stdout_fd (-1: /dev/null) and stderr on /dev/null. Returns its pid. */
static GPid
spawn_v (const char *const *args, int stdout_fd)
{
  const char *binary = g_getenv ("RSIM_BINARY");
  cr_assert_not_null (binary, "RSIM_BINARY is not set");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) binary);
  for (int i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  int null_fd = open ("/dev/null", O_WRONLY);
  cr_assert_geq (null_fd, 0);
  GPid pid = 0;
  g_autoptr (GError) error = NULL;
  gboolean ok = g_spawn_async_with_fds (workdir, (char **) argv->pdata, NULL,
                                        G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                        &pid, -1,
                                        stdout_fd >= 0 ? stdout_fd : null_fd,
                                        null_fd, &error);
  close (null_fd);
  cr_assert (ok, "cannot run %s: %s", binary, error ? error->message : "?");
  return pid;
}

/* Waits for pid; returns its exit code, or 1000 + the signal that killed
 * it. */
static int
wait_exit (GPid pid)
{
  int status = 0;
  cr_assert_eq (waitpid (pid, &status, 0), pid);
  return WIFEXITED (status) ? WEXITSTATUS (status)
                            : 1000 + WTERMSIG (status);
}

#define SPAWN(fd, ...) spawn_v ((const char *const[]) { __VA_ARGS__, NULL }, fd)

/* Every temporary file (.rescalesim-tmp-*) below dir, as one string. */
static void
collect_tmp (const char *dir, GString *found)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name (d)) != NULL) {
    g_autofree char *path = g_build_filename (dir, name, NULL);
    if (g_str_has_prefix (name, ".rescalesim-tmp-"))
      g_string_append_printf (found, "%s ", path);
    if (g_file_test (path, G_FILE_TEST_IS_DIR))
      collect_tmp (path, found);
  }
  if (d)
    g_dir_close (d);
}

static void
expect_no_tmp (const char *rel)
{
  g_autofree char *dir = g_build_filename (workdir, rel, NULL);
  g_autoptr (GString) found = g_string_new (NULL);
  collect_tmp (dir, found);
  cr_expect_str_empty (found->str, "temporary files left: %s", found->str);
}

/* stdout that cannot take the output: exit 4, the files still written. */
Test (cli, stdout_full_exits_4)
{
  int full = open ("/dev/full", O_WRONLY);
  if (full < 0)
    cr_skip_test ("no /dev/full on this machine");
  g_autofree char *sc = source_path (SCENARIO_BASIC);
  GPid a = SPAWN (full, "run", sc, "--json", "--out", "j");
  cr_expect_eq (wait_exit (a), 4, "run --json > /dev/full");
  cr_expect (exists_in_workdir ("j/report.json"));
  GPid b = SPAWN (full, "run", sc, "--out", "t");
  cr_expect_eq (wait_exit (b), 4, "run (table) > /dev/full");
  GPid c = SPAWN (full, "compare", sc, "--json", "--out", "c");
  cr_expect_eq (wait_exit (c), 4, "compare --json > /dev/full");
  GPid d = SPAWN (full, "--help");
  cr_expect_eq (wait_exit (d), 4, "--help > /dev/full");
  GPid e = SPAWN (-1, "run", sc, "--json", "--out", "n");
  cr_expect_eq (wait_exit (e), 0, "the same run into /dev/null");
  close (full);
  expect_no_tmp (".");
}

/* A scenario that runs for seconds: the demo over 2000 simulated hours. */
static char *
long_scenario (void)
{
  g_autofree char *demo = source_path (SCENARIO_DEMO);
  g_autofree char *text = NULL;
  cr_assert (g_file_get_contents (demo, &text, NULL, NULL));
  cJSON *root = cJSON_Parse (text);
  cr_assert_not_null (root);
  cJSON_ReplaceItemInObject (root, "duration", cJSON_CreateString ("2000 h"));
  char *out = cJSON_Print (root);
  cJSON_Delete (root);
  char *path = g_build_filename (workdir, "long.json", NULL);
  cr_assert (g_file_set_contents (path, out, -1, NULL));
  free (out);
  return path;
}

/* Waits up to 20 s until dir holds a temporary file: the run is under
 * way. */
static gboolean
wait_for_tmp (const char *rel)
{
  g_autofree char *dir = g_build_filename (workdir, rel, NULL);
  for (int i = 0; i < 2000; i++) {
    g_autoptr (GString) found = g_string_new (NULL);
    collect_tmp (dir, found);
    if (found->len > 0)
      return TRUE;
    g_usleep (10000);
  }
  return FALSE;
}

/* SIGTERM (and SIGINT) stop a long run at once: exit 143 (130), no
 * temporary file left, the directories the run created removed, the
 * final files of an earlier run kept. */
Test (cli, signal_stops_a_run_cleanly)
{
  g_autofree char *sc = long_scenario ();
  GPid a = SPAWN (-1, "run", sc, "--quiet", "--out", "new/sub");
  cr_assert (wait_for_tmp ("new/sub"), "the run wrote no temporary file");
  kill (a, SIGTERM);
  cr_expect_eq (wait_exit (a), 143);
  cr_expect_not (exists_in_workdir ("new"), "the run's directories stay");

  g_autofree char *basic = source_path (SCENARIO_BASIC);
  g_auto (Proc) first = RUN ("run", basic, "--quiet", "--out", "kept");
  assert_run_ok (&first, "kept");
  g_autofree char *before = read_in_workdir ("kept/report.json");
  GPid b = SPAWN (-1, "run", sc, "--quiet", "--out", "kept");
  cr_assert (wait_for_tmp ("kept"), "the run wrote no temporary file");
  kill (b, SIGINT);
  cr_expect_eq (wait_exit (b), 130);
  expect_no_tmp ("kept");
  g_autofree char *after = read_in_workdir ("kept/report.json");
  cr_expect_str_eq (after, before, "an interrupted run replaced a file");
}

/* The pid of a process that has ended. */
static GPid
dead_pid (void)
{
  GPid pid = SPAWN (-1, "--version");
  cr_assert_eq (wait_exit (pid), 0);
  return pid;
}

/* What a crashed run left (its temporary files) goes with the next run into
 * the same directory; temporary files of a live process stay. */
Test (cli, stale_temporary_files_removed)
{
  g_autofree char *o = g_build_filename (workdir, "o", NULL);
  cr_assert_eq (g_mkdir_with_parents (o, 0777), 0);
  g_autofree char *stale = g_strdup_printf ("o/.rescalesim-tmp-%ld-"
                                            "timeseries.csv", (long) dead_pid ());
  g_autofree char *live = g_strdup_printf ("o/.rescalesim-tmp-%ld-other.csv",
                                           (long) getpid ());
  const char *rels[] = { stale, live };
  for (gsize i = 0; i < G_N_ELEMENTS (rels); i++) {
    g_autofree char *path = g_build_filename (workdir, rels[i], NULL);
    cr_assert (g_file_set_contents (path, "half", -1, NULL));
  }
  g_autofree char *sc = source_path (SCENARIO_BASIC);
  g_auto (Proc) p = RUN ("run", sc, "--quiet", "--out", "o");
  cr_expect_eq (p.status, 0, "%s", p.err);
  cr_expect_not (exists_in_workdir (stale), "%s is still there", stale);
  cr_expect (exists_in_workdir (live), "a live process's file was removed");
  cr_expect (exists_in_workdir ("o/report.json"));
}

/* run --flink-conf reads a Flink config.yaml in place of the scenario's
 * flink.config_file: its keys apply (the scenario's flink.config still
 * wins) and the resolved configuration says where each came from; a
 * missing file is exit 3 with nothing written. */
Test (cli, run_with_a_flink_configuration_file)
{
  g_autofree char *sc = source_path (SCENARIO_BASIC);
  g_autofree char *conf = g_build_filename (workdir, "config.yaml", NULL);
  cr_assert (g_file_set_contents (conf, "heartbeat:\n  timeout: 8 s\n"
                                  "  interval: 2 s\n", -1, NULL));
  g_auto (Proc) p = RUN ("run", sc, "--flink-conf", conf, "--out", "fc",
                         "--quiet");
  cr_expect_eq (p.status, 0, "%s", p.err);
  g_autofree char *report = read_in_workdir ("fc/report.json");
  /* The scenario sets heartbeat.timeout itself (it wins); the interval
   * comes from line 3 of the file. */
  expect_contains (report, "\"heartbeat.interval\": \"2 s\"", "report.json");
  expect_contains (report, "\"heartbeat.timeout\": \"scenario\"", "report.json");
  expect_contains (report, "config.yaml:3\"", "report.json");
  g_auto (Proc) q = RUN ("run", sc, "--flink-conf", "missing.yaml", "--out",
                         "none");
  cr_expect_eq (q.status, 3, "%s", q.err);
  expect_contains (q.err, "missing.yaml", "stderr");
  cr_expect_not (exists_in_workdir ("none"));
}
