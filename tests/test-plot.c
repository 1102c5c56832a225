/* Tests of "rescalesim plot" as a user runs it: the timeline of a run, the
 * two figures of a comparison directory (made here from runs and a
 * hand-written compare.json), the per-axis figures of a sweep, --format
 * and --out, and the exit codes of a bad RESULT_DIR (3) and of a missing or
 * failing gnuplot (4).
 *
 * The binary comes from RSIM_BINARY and the source tree from
 * RSIM_SOURCE_ROOT (set by meson); every test works in a fresh temporary
 * directory. Tests that need gnuplot are skipped when it is not in PATH. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cjson/cJSON.h>
#include <glib/gstdio.h>
#include "test-files.h"

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
setup (void)
{
  tmp = g_dir_make_tmp ("rsim-test-plot-XXXXXX", NULL);
  cr_assert_not_null (tmp);
}

static void
teardown (void)
{
  if (tmp)
    rm_rf (tmp);
  g_clear_pointer (&tmp, g_free);
}

static char *
in_tmp (const char *rel)
{
  return g_build_filename (tmp, rel, NULL);
}

static char *
in_source (const char *rel)
{
  const char *root = g_getenv ("RSIM_SOURCE_ROOT");
  cr_assert_not_null (root, "RSIM_SOURCE_ROOT is not set");
  return g_build_filename (root, rel, NULL);
}

/* Runs the program with args (NULL-terminated) in tmp; env_set holds
 * NAME=VALUE pairs to add to the environment (may be NULL). */
static Proc
run_env (const char *const *env_set, const char *const *args)
{
  const char *binary = g_getenv ("RSIM_BINARY");
  cr_assert_not_null (binary, "RSIM_BINARY is not set");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) binary);
  for (int i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_auto (GStrv) envp = g_get_environ ();
  for (int i = 0; env_set && env_set[i]; i++) {
    g_auto (GStrv) kv = g_strsplit (env_set[i], "=", 2);
    envp = g_environ_setenv (envp, kv[0], kv[1], TRUE);
  }
  Proc p = { 0 };
  int ws = 0;
  g_autoptr (GError) error = NULL;
  cr_assert (g_spawn_sync (tmp, (char **) argv->pdata, envp,
                           G_SPAWN_DEFAULT, NULL, NULL, &p.out, &p.err, &ws,
                           &error),
             "cannot run %s: %s", binary, error ? error->message : "?");
  p.status = WIFEXITED (ws) ? WEXITSTATUS (ws) : 128 + WTERMSIG (ws);
  return p;
}

#define RUN(...) run_env (NULL, (const char *const[]) { __VA_ARGS__, NULL })
#define RUN_ENV(env, ...) \
  run_env ((const char *const[]) { env, NULL }, \
           (const char *const[]) { __VA_ARGS__, NULL })

static void
need_gnuplot (void)
{
  g_autofree char *gp = g_find_program_in_path ("gnuplot");
  if (gp == NULL)
    cr_skip ("gnuplot is not installed");
}

/* Runs a suite scenario into tmp/rel. */
static void
make_run (const char *scenario, const char *scheduler, const char *seed,
          const char *rel)
{
  g_autofree char *path = in_source (scenario);
  g_autofree char *out = in_tmp (rel);
  g_auto (Proc) p = RUN ("run", path, "--scheduler", scheduler, "--seed",
                         seed, "--out", out, "--quiet");
  cr_assert_eq (p.status, 0, "run %s failed:\n%s", scenario, p.err);
}

/* Asserts that path is a non-empty PNG or SVG file. */
static void
expect_image (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  cr_assert (g_file_get_contents (path, &data, &len, NULL), "no file %s",
             path);
  cr_expect_gt (len, 1000, "%s is only %zu bytes", path, (size_t) len);
  if (g_str_has_suffix (path, ".png"))
    cr_expect (len >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0,
               "%s is not a PNG", path);
  else
    cr_expect_not_null (strstr (data, "<svg"), "%s is not an SVG", path);
}

static void
expect_listed (const char *out, const char *path)
{
  g_autofree char *line = g_strconcat (path, "\n", NULL);
  cr_expect_not_null (strstr (out, line), "stdout does not list %s:\n%s",
                      path, out);
}

#define KILLED "bench/suite/killed-taskmanager.json"
#define RESCALE "bench/suite/savepoint-rescale.json"

TestSuite (plot, .init = setup, .fini = teardown);

Test (plot, timeline_png_and_svg)
{
  need_gnuplot ();
  make_run (KILLED, "default", "1", "run");
  g_autofree char *dir = in_tmp ("run");
  g_auto (Proc) p = RUN ("plot", dir);
  cr_assert_eq (p.status, 0, "plot failed:\n%s", p.err);
  const char *names[] = { "timeline.png", "timeline.svg" };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++) {
    g_autofree char *path = g_build_filename (dir, names[i], NULL);
    expect_image (path);
    expect_listed (p.out, path);
  }
}

Test (plot, timeline_of_a_rescale_with_out_and_format)
{
  need_gnuplot ();
  make_run (RESCALE, "default", "1", "run");
  g_autofree char *dir = in_tmp ("run");
  g_autofree char *out = in_tmp ("figures/nested");
  g_auto (Proc) p = RUN ("plot", dir, "--format", "svg", "--out", out);
  cr_assert_eq (p.status, 0, "plot failed:\n%s", p.err);
  g_autofree char *svg = g_build_filename (out, "timeline.svg", NULL);
  g_autofree char *png = g_build_filename (out, "timeline.png", NULL);
  g_autofree char *png_in_run = g_build_filename (dir, "timeline.png", NULL);
  expect_image (svg);
  cr_expect_not (g_file_test (png, G_FILE_TEST_EXISTS));
  cr_expect_not (g_file_test (png_in_run, G_FILE_TEST_EXISTS));
  g_autofree char *listed = g_strconcat (svg, "\n", NULL);
  cr_expect_str_eq (p.out, listed);
}

/* Writes tmp/cmp/compare.json for the runs under tmp/cmp/<dirs[i]>. */
static void
write_compare (const char *const *schedulers, const int *seeds,
               const char *const *dirs, int n)
{
  g_autoptr (GString) json = g_string_new (
    "{\"schema\": \"rescalesim/compare/1\", \"scenario\": {\"name\": "
    "\"suite-killed-taskmanager\", \"description\": \"test\"}, \"runs\": [");
  for (int i = 0; i < n; i++) {
    g_autofree char *rel = g_build_filename ("cmp", dirs[i], "report.json",
                                             NULL);
    g_autofree char *path = in_tmp (rel);
    g_autofree char *text = NULL;
    cr_assert (g_file_get_contents (path, &text, NULL, NULL));
    cJSON *report = cJSON_Parse (text);
    cr_assert_not_null (report);
    char *summary = cJSON_PrintUnformatted (
      cJSON_GetObjectItem (report, "summary"));
    g_string_append_printf (json, "%s{\"scheduler\": \"%s\", \"seed\": %d, "
                            "\"dir\": \"%s\", \"summary\": %s}",
                            i ? ", " : "", schedulers[i], seeds[i], dirs[i],
                            summary);
    free (summary);
    cJSON_Delete (report);
  }
  g_string_append (json, "]}\n");
  g_autofree char *path = in_tmp ("cmp/compare.json");
  cr_assert (g_file_set_contents (path, json->str, -1, NULL));
}

Test (plot, comparison_figures)
{
  need_gnuplot ();
  const char *schedulers[] = { "default", "default", "adaptive" };
  const int seeds[] = { 2, 1, 1 };
  const char *dirs[] = { "default/seed-2", "default/seed-1",
                         "adaptive/seed-1" };
  for (int i = 0; i < 3; i++) {
    g_autofree char *rel = g_build_filename ("cmp", dirs[i], NULL);
    g_autofree char *seed = g_strdup_printf ("%d", seeds[i]);
    make_run (KILLED, schedulers[i], seed, rel);
  }
  write_compare (schedulers, seeds, dirs, 3);
  g_autofree char *dir = in_tmp ("cmp");
  g_auto (Proc) p = RUN ("plot", dir);
  cr_assert_eq (p.status, 0, "plot failed:\n%s", p.err);
  const char *names[] = { "compare-summary.png", "compare-summary.svg",
                          "compare-lag.png", "compare-lag.svg" };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++) {
    g_autofree char *path = g_build_filename (dir, names[i], NULL);
    expect_image (path);
    expect_listed (p.out, path);
  }
  /* The lag figure names each scheduler's smallest seed. */
  g_autofree char *svg = g_build_filename (dir, "compare-lag.svg", NULL);
  g_autofree char *text = NULL;
  cr_assert (g_file_get_contents (svg, &text, NULL, NULL));
  cr_expect_not_null (strstr (text, "default, seed 1"));
  cr_expect_not_null (strstr (text, "adaptive, seed 1"));
}

/* Writes tmp/NAME: the killed-TaskManager suite scenario with a sweep
 * block of the given axes (a JSON object's text) and two seeds. */
static char *
write_sweep_scenario (const char *name, const char *axes)
{
  g_autofree char *src = in_source (KILLED);
  g_autofree char *text = NULL;
  cr_assert (g_file_get_contents (src, &text, NULL, NULL));
  cJSON *root = cJSON_Parse (text);
  cr_assert_not_null (root);
  g_autofree char *sweep = g_strdup_printf (
    "{\"axes\": %s, \"seeds\": {\"base\": 1, \"count\": 2}}", axes);
  cJSON_AddItemToObject (root, "sweep", cJSON_Parse (sweep));
  char *out = cJSON_Print (root);
  cJSON_Delete (root);
  char *path = in_tmp (name);
  cr_assert (g_file_set_contents (path, out, -1, NULL));
  free (out);
  return path;
}

Test (plot, sweep_figure_per_axis)
{
  need_gnuplot ();
  g_autofree char *scenario = write_sweep_scenario (
    "sweep.json", "{\"scheduler\": [\"default\", \"adaptive\"], "
    "\"flink.config.heartbeat.timeout\": [\"10 s\", \"30 s\"], "
    "\"flink.version\": [\"1.18\", \"1.20\"]}");
  g_autofree char *dir = in_tmp ("sw");
  g_auto (Proc) s = RUN ("sweep", scenario, "--out", dir, "--jobs", "2");
  cr_assert_eq (s.status, 0, "sweep failed:\n%s", s.err);
  g_auto (Proc) p = RUN ("plot", dir);
  cr_assert_eq (p.status, 0, "plot failed:\n%s", p.err);
  /* One figure per axis other than the scheduler, in both formats. */
  const char *names[] = { "sweep-flink.config.heartbeat.timeout.png",
                          "sweep-flink.config.heartbeat.timeout.svg",
                          "sweep-flink.version.png",
                          "sweep-flink.version.svg" };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++) {
    g_autofree char *path = g_build_filename (dir, names[i], NULL);
    expect_image (path);
    expect_listed (p.out, path);
  }
  g_auto (GStrv) lines = g_strsplit (p.out, "\n", -1);
  cr_expect_eq (g_strv_length (lines), 5, "expected 4 files:\n%s", p.out);
  /* A line per scheduler and value of the other axis, named in the
   * legend; the version axis labels its ticks with the versions. */
  g_autofree char *svg = g_build_filename (
    dir, "sweep-flink.config.heartbeat.timeout.svg", NULL);
  g_autofree char *text = NULL;
  cr_assert (g_file_get_contents (svg, &text, NULL, NULL));
  cr_expect_not_null (strstr (text, "default, flink.version = 1.18"));
  cr_expect_not_null (strstr (text, "adaptive, flink.version = 1.20"));
  cr_expect_not_null (strstr (text, "flink.config.heartbeat.timeout (s)"));
  g_autofree char *svg2 = g_build_filename (dir, "sweep-flink.version.svg",
                                            NULL);
  g_autofree char *text2 = NULL;
  cr_assert (g_file_get_contents (svg2, &text2, NULL, NULL));
  cr_expect_not_null (strstr (text2, ">1.18<"));
  cr_expect_not_null (strstr (text2, ">1.20<"));
  cr_expect_not_null (strstr (text2,
                              "adaptive, flink.config.heartbeat.timeout = 30 s"));
}

Test (plot, sweep_summary_with_wrong_schema_is_exit_3)
{
  g_autofree char *dir = in_tmp ("sw");
  g_mkdir (dir, 0755);
  g_autofree char *summary = in_tmp ("sw/summary.json");
  cr_assert (g_file_set_contents (summary, "{\"schema\": \"other\"}", -1,
                                  NULL));
  g_auto (Proc) p = RUN ("plot", dir);
  cr_expect_eq (p.status, 3);
  cr_expect_not_null (strstr (p.err, "rescalesim/sweep-summary/1"), "%s",
                      p.err);
  cr_expect_not_null (strstr (p.err, "summary.json"), "%s", p.err);
}

Test (plot, missing_or_invalid_result_dir_is_exit_3)
{
  g_autofree char *missing = in_tmp ("no-such-dir");
  g_auto (Proc) p = RUN ("plot", missing);
  cr_expect_eq (p.status, 3);
  cr_expect_not_null (strstr (p.err, "no-such-dir"), "%s", p.err);

  g_autofree char *empty = in_tmp ("empty");
  g_mkdir (empty, 0755);
  g_auto (Proc) q = RUN ("plot", empty);
  cr_expect_eq (q.status, 3);
  cr_expect_not_null (strstr (q.err, "not a result directory"), "%s", q.err);

  g_autofree char *bad = in_tmp ("empty/compare.json");
  cr_assert (g_file_set_contents (bad, "{\"schema\": \"other\"}", -1, NULL));
  g_auto (Proc) r = RUN ("plot", empty);
  cr_expect_eq (r.status, 3);
  cr_expect_not_null (strstr (r.err, "rescalesim/compare/1"), "%s", r.err);

  g_auto (Proc) u = RUN ("plot", empty, "--format", "gif");
  cr_expect_eq (u.status, 2);
}

Test (plot, gnuplot_missing_is_exit_4)
{
  make_run (KILLED, "default", "1", "run");
  g_autofree char *dir = in_tmp ("run");
  g_auto (Proc) p = RUN_ENV ("RSIM_GNUPLOT=/nonexistent/gnuplot", "plot", dir);
  cr_expect_eq (p.status, 4);
  cr_expect_not_null (strstr (p.err, "/nonexistent/gnuplot"), "%s", p.err);
  g_autofree char *png = g_build_filename (dir, "timeline.png", NULL);
  cr_expect_not (g_file_test (png, G_FILE_TEST_EXISTS));
}

Test (plot, gnuplot_failure_is_exit_4_with_its_stderr)
{
  need_gnuplot ();
  make_run (KILLED, "default", "1", "run");
  g_autofree char *templates = in_tmp ("templates");
  g_mkdir (templates, 0755);
  g_autofree char *gp = g_build_filename (templates, "timeline.gp", NULL);
  cr_assert (g_file_set_contents (gp, "set output outfile\n"
                                  "plot no_such_variable_here\n", -1, NULL));
  g_autofree char *env = g_strconcat ("RSIM_PLOTS_DIR=", templates, NULL);
  g_autofree char *dir = in_tmp ("run");
  g_auto (Proc) p = RUN_ENV (env, "plot", dir);
  cr_expect_eq (p.status, 4);
  cr_expect_not_null (strstr (p.err, "no_such_variable_here"), "%s", p.err);
  /* Neither the figure nor its temporary file is left behind. */
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    cr_expect (g_str_equal (name, "report.json")
               || g_str_equal (name, "timeseries.csv")
               || g_str_equal (name, "events.jsonl"), "left behind: %s",
               name);
  g_dir_close (d);
}
