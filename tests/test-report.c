/* Tests of the report layer: number formats, report.json (schema, key
 * order, nulls, embedded configuration, determinism), the terminal summary,
 * and the run writer (streamed CSV and JSON lines, all-or-nothing commit,
 * clean-up of uncommitted output).
 *
 * Results are built by hand, so these tests do not need the simulation.
 * The scenario comes from tests/data/valid/report-basic.json through the
 * scenario loader (RSIM_SOURCE_ROOT points at the source tree). */
#include <criterion/criterion.h>

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <glib/gstdio.h>

#include <rescalesim/report.h>
#include <rescalesim/scenario.h>

#include "report/report-internal.h"
#include "test-files.h"

/* ------------------------------------------------------------ helpers */

static char *
data_path (const char *name)
{
  const char *root = g_getenv ("RSIM_SOURCE_ROOT");
  return g_build_filename (root ? root : ".", "tests", "data", "valid", name,
                           NULL);
}

static RsimScenario *
load_basic (void)
{
  g_autofree char *path = data_path ("report-basic.json");
  g_autoptr (GError) error = NULL;
  RsimScenario *sc = rsim_scenario_load_file (path, &error);
  cr_assert_not_null (sc, "cannot load %s: %s", path,
                      error ? error->message : "?");
  return sc;
}

static RsimIncident *
incident_new (RsimTime start, RsimTime end, const char *cause)
{
  RsimIncident *inc = g_new0 (RsimIncident, 1);
  inc->start = start;
  inc->end = end;
  inc->cause = g_strdup (cause);
  inc->decisions = g_ptr_array_new_with_free_func (g_free);
  return inc;
}

/* A result with awkward values: thirds, sums of tenths, an unknown byte
 * count, one closed and one open incident. */
static RsimResult *
result_new (void)
{
  RsimResult *r = g_new0 (RsimResult, 1);
  r->downtime_s = 12.5;
  r->capacity_loss_s = 0.1 + 0.2;
  r->startup_s = 1.0 / 3.0;
  r->reprocessed_records = 20000;
  r->reprocessed_bytes = -1;
  r->restarts = 2;
  r->rescales = 1;
  r->failure_restarts = 1;
  r->task_attempts = 8;
  r->failed_deployments = 3;
  r->max_lag_records = 25000.123456789;
  r->produced_records = 123456789012.0;
  r->processed_records = 1e15;
  r->final_lag_records = -0.0;
  r->final_state = g_strdup ("RUNNING");
  r->n_vertices = 2;
  r->vertex_names = g_new0 (char *, 3);
  r->vertex_names[0] = g_strdup ("source");
  r->vertex_names[1] = g_strdup ("window");
  r->final_parallelism = g_new0 (int, 2);
  r->final_parallelism[0] = 4;
  r->final_parallelism[1] = 3;
  r->checkpoints_completed = 17;
  r->checkpoints_failed = 1;
  r->savepoints_completed = 1;
  r->slot_seconds_used = 720;
  r->slot_seconds_idle = 1.5e-7;
  r->events_processed = 123456;
  r->incidents = g_ptr_array_new ();

  RsimIncident *a = incident_new (60 * RSIM_SEC, 72500001, "taskmanager 1 killed");
  a->downtime_s = 12.500001;
  a->capacity_loss_s = 12.500001;
  a->restarts = 1;
  a->reprocessed_records = 20000;
  a->lag_at_end = 25000;
  a->catch_up_s = 30.25;
  g_ptr_array_add (a->decisions,
                   g_strdup ("61.000 s: restarting all tasks after 1 s"));
  g_ptr_array_add (a->decisions, g_strdup ("quote \" and tab\t"));
  g_ptr_array_add (r->incidents, a);

  RsimIncident *b = incident_new (150 * RSIM_SEC, RSIM_TIME_NEVER, "scale");
  b->restarts = 1;
  b->catch_up_s = -1;
  g_ptr_array_add (r->incidents, b);
  return r;
}

static void
config_for (RsimSimConfig *config, const RsimScenario *sc, guint64 seed)
{
  rsim_sim_config_copy (config, &sc->config);
  config->scheduler = RSIM_SCHEDULER_DEFAULT;
  config->seed = seed;
}

static char *
read_file (const char *path)
{
  char *text = NULL;
  g_autoptr (GError) error = NULL;
  cr_assert (g_file_get_contents (path, &text, NULL, &error), "%s: %s", path,
             error ? error->message : "?");
  return text;
}

static char *
tmp_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("rsim-test-report-XXXXXX", &error);
  cr_assert_not_null (dir, "%s", error ? error->message : "?");
  return dir;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Sorted names in dir, joined by spaces (hidden files included). */
static char *
list_dir (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  cr_assert_not_null (d, "cannot list %s", dir);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (d);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* ------------------------------------------------------- number formats */

static void
expect_time (RsimTime t, const char *want)
{
  char buf[RSIM_REPORT_NUMBER_SIZE];
  cr_expect_str_eq (rsim_report_format_time (buf, t), want,
                    "time %" G_GINT64_FORMAT, t);
}

Test (format, time)
{
  expect_time (0, "0.000000");
  expect_time (1, "0.000001");
  expect_time (999999, "0.999999");
  expect_time (RSIM_SEC, "1.000000");
  expect_time (123456789, "123.456789");
  /* 59.9999995 s is not a whole number of microseconds; both neighbours
   * print exactly, with no rounding up to 60 or down to 59.999998. */
  expect_time (59999999, "59.999999");
  expect_time (60000000, "60.000000");
  RsimTime rounded = (RsimTime) llround (59.9999995 * 1e6);
  char want[64];
  g_snprintf (want, sizeof want, "%" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT,
              rounded / 1000000, rounded % 1000000);
  expect_time (rounded, want);
  expect_time (365 * 24 * RSIM_HOUR + 1, "31536000.000001");
  expect_time (G_MAXINT64, "9223372036854.775807");
  expect_time (-1, "-0.000001");
  expect_time (-RSIM_SEC - 5, "-1.000005");
  expect_time (G_MININT64, "-9223372036854.775808");
}

static void
expect_double (double v, const char *want)
{
  char buf[RSIM_REPORT_NUMBER_SIZE];
  cr_expect_str_eq (rsim_report_format_double (buf, v), want, "double %.17g",
                    v);
}

Test (format, doubles)
{
  expect_double (0.0, "0");
  expect_double (-0.0, "0");
  expect_double (6000, "6000");
  expect_double (0.25, "0.25");
  expect_double (0.1 + 0.2, "0.3");
  expect_double (1.0 / 3.0, "0.333333333333");
  expect_double (1234.56789, "1234.56789");
  expect_double (359999.9999999999, "360000");
  expect_double (123456789012.0, "123456789012");
  expect_double (1e15, "1e+15");
  expect_double (-2.5, "-2.5");
  expect_double (1.5e-7, "1.5e-07");
  expect_double (NAN, "nan");
  expect_double (INFINITY, "inf");
  expect_double (-INFINITY, "-inf");
}

Test (format, locale_independent)
{
  const char *locales[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
                            "fr_FR.utf8" };
  const char *set = NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (locales) && set == NULL; i++)
    set = setlocale (LC_NUMERIC, locales[i]);
  if (set == NULL)
    cr_skip_test ("no locale with a decimal comma installed");
  expect_double (0.5, "0.5");
  expect_double (1234.25, "1234.25");
  setlocale (LC_NUMERIC, "C");
}

Test (format, json_pretty)
{
  g_autofree char *out =
    rsim__json_pretty ("{\"a\":[],\"b\":{ },\"c\":[1,\"x,y:{[\\\"\",-2.5e+3],"
                       "\"d\":{\"e\":null,\"f\":true}}");
  cr_expect_str_eq (out,
                    "{\n"
                    "  \"a\": [],\n"
                    "  \"b\": {},\n"
                    "  \"c\": [\n"
                    "    1,\n"
                    "    \"x,y:{[\\\"\",\n"
                    "    -2.5e+3\n"
                    "  ],\n"
                    "  \"d\": {\n"
                    "    \"e\": null,\n"
                    "    \"f\": true\n"
                    "  }\n"
                    "}\n");
}

Test (format, json_string)
{
  g_autoptr (GString) s = g_string_new (NULL);
  rsim__json_append_string (s, "a\"b\\c\n\t\x01 é");
  cr_expect_str_eq (s->str, "\"a\\\"b\\\\c\\n\\t\\u0001 é\"");
  g_string_truncate (s, 0);
  rsim__json_append_string (s, NULL);
  cr_expect_str_eq (s->str, "\"\"");
  g_string_truncate (s, 0);
  rsim__json_append_string (s, "bad \xff byte");
  cr_expect (g_utf8_validate (s->str, -1, NULL));
}

/* ------------------------------------------------------------ report.json */

static void
expect_keys (const cJSON *obj, const char *const *keys, gsize n,
             const char *what)
{
  cr_assert (cJSON_IsObject (obj), "%s is not an object", what);
  const cJSON *c = obj->child;
  for (gsize i = 0; i < n; i++, c = c->next) {
    cr_assert_not_null (c, "%s: missing key %s", what, keys[i]);
    cr_expect_str_eq (c->string, keys[i], "%s: key %zu", what, i);
  }
  cr_expect_null (c, "%s: unexpected key %s", what, c ? c->string : "");
}

static const char *const top_keys[] = {
  "schema", "scenario", "run", "summary", "incidents", "notes", "restores",
  "config",
  "warnings",
};
static const char *const run_keys[] = {
  "scheduler", "seed", "flink_version", "duration_s", "events_processed",
};
static const char *const summary_keys[] = {
  "downtime_s", "job_stops", "rescales", "capacity_loss_s", "startup_s",
  "reprocessed_records", "reprocessed_bytes", "restarts", "failure_restarts",
  "task_attempts", "failed_deployments", "max_lag_records",
  "produced_records", "processed_records", "final_lag_records",
  "final_state", "final_parallelism", "checkpoints_completed",
  "checkpoints_failed", "savepoints_completed", "savepoints_failed",
  "slot_seconds_used", "slot_seconds_idle", "controller_actions",
  "state_discards",
};
static const char *const incident_keys[] = {
  "start_s", "end_s", "cause", "downtime_s", "capacity_loss_s", "job_stops",
  "restarts", "failed_deployments", "reprocessed_records", "lag_at_end", "catch_up_s",
  "decisions",
};

Test (report, schema_and_key_order)
{
  g_autoptr (RsimScenario) sc = load_basic ();
  g_autoptr (RsimResult) r = result_new ();
  RsimSimConfig config;
  config_for (&config, sc, 7);

  g_autofree char *text = rsim_report_build_json (sc, &config, r);
  cr_assert_not_null (text);
  cJSON *root = cJSON_Parse (text);
  cr_assert_not_null (root, "report is not JSON:\n%s", text);

  expect_keys (root, top_keys, G_N_ELEMENTS (top_keys), "report");
  cr_expect_str_eq (cJSON_GetObjectItem (root, "schema")->valuestring,
                    RSIM_REPORT_SCHEMA);
  const cJSON *scn = cJSON_GetObjectItem (root, "scenario");
  static const char *const scenario_keys[] = { "name", "description" };
  expect_keys (scn, scenario_keys, 2, "scenario");
  cr_expect_str_eq (cJSON_GetObjectItem (scn, "name")->valuestring,
                    "report-basic");
  expect_keys (cJSON_GetObjectItem (root, "run"), run_keys,
               G_N_ELEMENTS (run_keys), "run");
  const cJSON *summary = cJSON_GetObjectItem (root, "summary");
  expect_keys (summary, summary_keys, G_N_ELEMENTS (summary_keys), "summary");
  static const char *const par_keys[] = { "source", "window" };
  expect_keys (cJSON_GetObjectItem (summary, "final_parallelism"), par_keys, 2,
               "final_parallelism");

  const cJSON *incidents = cJSON_GetObjectItem (root, "incidents");
  cr_assert_eq (cJSON_GetArraySize (incidents), 2);
  for (int i = 0; i < 2; i++)
    expect_keys (cJSON_GetArrayItem (incidents, i), incident_keys,
                 G_N_ELEMENTS (incident_keys), "incident");
  const cJSON *decisions = cJSON_GetObjectItem (cJSON_GetArrayItem (incidents,
                                                                    0),
                                                "decisions");
  cr_expect_str_eq (cJSON_GetArrayItem (decisions, 1)->valuestring,
                    "quote \" and tab\t");

  /* The configuration is the scenario layer's, as an object. */
  g_autofree char *config_text = rsim_scenario_config_to_json (sc, &config);
  cJSON *want_config = cJSON_Parse (config_text);
  cr_assert_not_null (want_config);
  cr_expect (cJSON_Compare (cJSON_GetObjectItem (root, "config"), want_config,
                            TRUE));
  cr_expect (cJSON_IsArray (cJSON_GetObjectItem (root, "warnings")));

  cJSON_Delete (want_config);
  cJSON_Delete (root);
  rsim_sim_config_clear (&config);
}

Test (report, number_text)
{
  g_autoptr (RsimScenario) sc = load_basic ();
  g_autoptr (RsimResult) r = result_new ();
  RsimSimConfig config;
  config_for (&config, sc, 7);
  g_autofree char *text = rsim_report_build_json (sc, &config, r);

  const char *want[] = {
    "{\n  \"schema\": \"rescalesim/report/1\",\n  \"scenario\": {\n",
    "\n    \"seed\": 7,\n",
    "\n    \"flink_version\": \"1.20\",\n",
    "\n    \"duration_s\": 180.000000,\n",
    "\n    \"events_processed\": 123456\n",
    "\n    \"downtime_s\": 12.5,\n",
    "\n    \"capacity_loss_s\": 0.3,\n",
    "\n    \"startup_s\": 0.333333333333,\n",
    "\n    \"reprocessed_bytes\": null,\n",
    "\n    \"max_lag_records\": 25000.1234568,\n",
    "\n    \"produced_records\": 123456789012,\n",
    "\n    \"processed_records\": 1e+15,\n",
    "\n    \"final_lag_records\": 0,\n",
    "\n      \"source\": 4,\n      \"window\": 3\n",
    "\n    \"slot_seconds_idle\": 1.5e-07,\n",
    "\n      \"start_s\": 60.000000,\n      \"end_s\": 72.500001,\n",
    "\n      \"catch_up_s\": 30.25,\n",
    "\n      \"start_s\": 150.000000,\n      \"end_s\": null,\n",
    "\n      \"catch_up_s\": null,\n      \"decisions\": []\n",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (want); i++)
    cr_expect_not_null (strstr (text, want[i]), "missing %s in\n%s", want[i],
                        text);
  cr_expect (g_str_has_suffix (text, "\n}\n"));
  cr_expect_null (strchr (text, '\t'), "tab in the report");

  /* No absolute path (the scenario was loaded through one). */
  const char *root = g_getenv ("RSIM_SOURCE_ROOT");
  if (root != NULL)
    cr_expect_null (strstr (text, root), "the report holds a path");

  /* A known byte count is a number. */
  r->reprocessed_bytes = 2e6;
  g_autofree char *text2 = rsim_report_build_json (sc, &config, r);
  cr_expect_not_null (strstr (text2, "\"reprocessed_bytes\": 2000000,"));
  rsim_sim_config_clear (&config);
}

Test (report, deterministic)
{
  g_autoptr (RsimScenario) a = load_basic ();
  g_autoptr (RsimScenario) b = load_basic ();
  g_autoptr (RsimResult) ra = result_new ();
  g_autoptr (RsimResult) rb = result_new ();
  RsimSimConfig ca, cb, cc;
  config_for (&ca, a, 7);
  config_for (&cb, b, 7);
  config_for (&cc, b, 8);

  g_autofree char *ta = rsim_report_build_json (a, &ca, ra);
  g_autofree char *tb = rsim_report_build_json (b, &cb, rb);
  g_autofree char *ta2 = rsim_report_build_json (a, &ca, ra);
  g_autofree char *tc = rsim_report_build_json (b, &cc, rb);
  cr_expect_str_eq (ta, tb);
  cr_expect_str_eq (ta, ta2);
  cr_expect_str_neq (ta, tc, "the seed is not in the report");

  rsim_sim_config_clear (&ca);
  rsim_sim_config_clear (&cb);
  rsim_sim_config_clear (&cc);
}

Test (report, empty_result)
{
  g_autoptr (RsimScenario) sc = load_basic ();
  g_autoptr (RsimResult) r = g_new0 (RsimResult, 1);
  RsimSimConfig config;
  config_for (&config, sc, 1);
  g_autofree char *text = rsim_report_build_json (sc, &config, r);
  cJSON *root = cJSON_Parse (text);
  cr_assert_not_null (root, "%s", text);
  const cJSON *summary = cJSON_GetObjectItem (root, "summary");
  cr_expect (cJSON_IsNull (cJSON_GetObjectItem (summary, "final_state")));
  cr_expect_not_null (strstr (text, "\"final_parallelism\": {},"));
  cr_expect_not_null (strstr (text, "\"incidents\": [],"));
  cJSON_Delete (root);
  rsim_sim_config_clear (&config);
}

/* -------------------------------------------------------------- summary */

Test (summary, table)
{
  g_autoptr (RsimScenario) sc = load_basic ();
  g_autoptr (RsimResult) r = result_new ();
  RsimSimConfig config;
  config_for (&config, sc, 7);

  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream (&buf, &len);
  rsim_report_print_summary (out, sc, &config, r);
  fclose (out);

  const char *want[] = {
    "report-basic", "default", "1.20", "  seed                7\n",
    "  downtime            12.500 s\n", "reprocessed         20000 records",
    "  restarts            2\n", "  rescales            1\n",
    "  failure restarts    1\n", "final parallelism   source 4, window 3",
    "17 completed, 1 failed", "Incidents: 2\n", "taskmanager 1 killed",
    "(open)", "- 61.000 s: restarting all tasks after 1 s\n",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (want); i++)
    cr_expect_not_null (strstr (buf, want[i]), "missing '%s' in\n%s", want[i],
                        buf);
  /* The incident rows line up: the header's "cause" starts where each
   * row's cause starts. */
  const char *header = strstr (buf, "  #  start (s)");
  cr_assert_not_null (header, "%s", buf);
  const char *row1 = strchr (header, '\n') + 1;
  cr_expect_eq (strstr (header, "cause") - header,
                strstr (row1, "taskmanager") - row1, "%s", buf);
  free (buf);
  rsim_sim_config_clear (&config);
}

/* --------------------------------------------------------------- writer */

static const char *const feed_names[] = { "source", "map, \"keyed\"" };

static void
feed (const RsimSinks *sinks)
{
  const int p1[] = { 2, 1 }, p2[] = { 0, 0 }, p3[] = { 4, 3 };
  RsimSample s1 = { 0, 1000, 999.5, 0, 3000, 2, 2, 4, "RUNNING",
                    "RUNNING/RESTORING", 2, feed_names, p1 };
  RsimSample s2 = { 59999999, 0.1 + 0.2, 0, 1.0 / 3.0, 0, 0, 1, 2,
                    "RESTARTING", "RESTARTING", 2, feed_names, p2 };
  RsimSample s3 = { 60 * RSIM_SEC, 1e15, -0.0, 123456789012.0, 1.5e-7, 4, 3,
                    6, NULL, NULL, 2, feed_names, p3 };
  sinks->sample (sinks->user, &s1);
  sinks->event (sinks->user, 1, "cluster", "taskmanager_killed",
                "taskmanager 1 killed \"hard\"");
  sinks->sample (sinks->user, &s2);
  sinks->event (sinks->user, 59999999, "scheduler", "restart",
                "line\nbreak é");
  sinks->sample (sinks->user, &s3);
}

/* The fixed columns, the phase, then one column per vertex named after it
 * (quoted by the CSV rule when the name needs it). */
static const char *const want_csv =
  RSIM_TIMESERIES_HEADER ",phase,parallelism.source,"
  "\"parallelism.map, \"\"keyed\"\"\"\n"
  "0.000000,1000,999.5,0,3000,2,2,4,RUNNING,RUNNING/RESTORING,2,1\n"
  "59.999999,0.3,0,0.333333333333,0,0,1,2,RESTARTING,RESTARTING,0,0\n"
  "60.000000,1e+15,0,123456789012,1.5e-07,4,3,6,,,4,3\n";

static const char *const want_events =
  "{\"t\":0.000001,\"component\":\"cluster\",\"event\":\"taskmanager_killed\","
  "\"detail\":\"taskmanager 1 killed \\\"hard\\\"\"}\n"
  "{\"t\":59.999999,\"component\":\"scheduler\",\"event\":\"restart\","
  "\"detail\":\"line\\nbreak é\"}\n";

Test (writer, header_matches_spec)
{
  cr_expect_str_eq (RSIM_TIMESERIES_HEADER,
                    "t_s,input_rate,processed_rate,lag_records,capacity,"
                    "parallelism,taskmanagers,slots,job_state");
}

Test (writer, commit_renames_all)
{
  g_autofree char *tmp = tmp_dir ();
  g_autofree char *out = g_build_filename (tmp, "a", "b", "c", NULL);
  g_autoptr (GError) error = NULL;

  RsimRunWriter *w = rsim_run_writer_new (out, &error);
  cr_assert_not_null (w, "%s", error ? error->message : "?");
  cr_expect (g_file_test (out, G_FILE_TEST_IS_DIR));
  cr_expect_str_eq (rsim_run_writer_dir (w), out);
  feed (rsim_run_writer_sinks (w));
  {
    g_autofree char *names = list_dir (out);
    g_autofree char *want = g_strdup_printf (
      ".rescalesim-tmp-%ld-events.jsonl .rescalesim-tmp-%ld-timeseries.csv",
      (long) getpid (), (long) getpid ());
    cr_expect_str_eq (names, want, "before commit: %s", names);
  }
  cr_assert (rsim_run_writer_commit (w, "{\"x\": 1}\n", &error), "%s",
             error ? error->message : "?");
  rsim_run_writer_free (w);

  g_autofree char *names = list_dir (out);
  cr_expect_str_eq (names, "events.jsonl report.json timeseries.csv");
  g_autofree char *p_csv = g_build_filename (out, RSIM_TIMESERIES_FILE, NULL);
  g_autofree char *p_ev = g_build_filename (out, RSIM_EVENTS_FILE, NULL);
  g_autofree char *p_rep = g_build_filename (out, RSIM_REPORT_FILE, NULL);
  g_autofree char *csv = read_file (p_csv);
  g_autofree char *events = read_file (p_ev);
  g_autofree char *report = read_file (p_rep);
  cr_expect_str_eq (csv, want_csv);
  cr_expect_str_eq (events, want_events);
  cr_expect_str_eq (report, "{\"x\": 1}\n");

  /* Every event line is a JSON object with t first. */
  g_auto (GStrv) lines = g_strsplit (events, "\n", -1);
  for (int i = 0; lines[i] && *lines[i]; i++) {
    cJSON *o = cJSON_Parse (lines[i]);
    cr_assert_not_null (o, "line %d: %s", i, lines[i]);
    cr_expect_str_eq (o->child->string, "t");
    cJSON_Delete (o);
  }
  rm_rf (tmp);
}

Test (writer, replaces_earlier_run)
{
  g_autofree char *tmp = tmp_dir ();
  g_autoptr (GError) error = NULL;
  for (int run = 0; run < 2; run++) {
    RsimRunWriter *w = rsim_run_writer_new (tmp, &error);
    cr_assert_not_null (w);
    if (run == 1)
      feed (rsim_run_writer_sinks (w));
    cr_assert (rsim_run_writer_commit (w, run ? "second\n" : "first\n",
                                       &error));
    rsim_run_writer_free (w);
  }
  g_autofree char *p_rep = g_build_filename (tmp, RSIM_REPORT_FILE, NULL);
  g_autofree char *p_csv = g_build_filename (tmp, RSIM_TIMESERIES_FILE, NULL);
  g_autofree char *report = read_file (p_rep);
  g_autofree char *csv = read_file (p_csv);
  cr_expect_str_eq (report, "second\n");
  cr_expect_str_eq (csv, want_csv);
  rm_rf (tmp);
}

Test (writer, free_without_commit_removes_created_dirs)
{
  g_autofree char *tmp = tmp_dir ();
  g_autofree char *top = g_build_filename (tmp, "out", NULL);
  g_autofree char *out = g_build_filename (top, "name", "default", NULL);
  g_autoptr (GError) error = NULL;

  RsimRunWriter *w = rsim_run_writer_new (out, &error);
  cr_assert_not_null (w, "%s", error ? error->message : "?");
  feed (rsim_run_writer_sinks (w));
  rsim_run_writer_free (w);

  cr_expect_not (g_file_test (top, G_FILE_TEST_EXISTS),
                 "%s left behind", top);
  g_autofree char *names = list_dir (tmp);
  cr_expect_str_eq (names, "");
  rm_rf (tmp);
}

Test (writer, free_without_commit_keeps_existing_dir)
{
  g_autofree char *tmp = tmp_dir ();
  g_autofree char *mine = g_build_filename (tmp, "keep.txt", NULL);
  cr_assert (g_file_set_contents (mine, "x", -1, NULL));
  g_autoptr (GError) error = NULL;

  RsimRunWriter *w = rsim_run_writer_new (tmp, &error);
  cr_assert_not_null (w);
  feed (rsim_run_writer_sinks (w));
  rsim_run_writer_free (w);

  g_autofree char *names = list_dir (tmp);
  cr_expect_str_eq (names, "keep.txt");
  rm_rf (tmp);
}

Test (writer, cannot_create_dir)
{
  g_autofree char *tmp = tmp_dir ();
  g_autofree char *file = g_build_filename (tmp, "file", NULL);
  cr_assert (g_file_set_contents (file, "x", -1, NULL));
  g_autofree char *out = g_build_filename (file, "sub", NULL);
  g_autoptr (GError) error = NULL;

  RsimRunWriter *w = rsim_run_writer_new (out, &error);
  cr_expect_null (w);
  cr_assert_not_null (error);
  cr_expect_eq (error->domain, G_FILE_ERROR);
  cr_expect_not_null (strstr (error->message, out), "%s", error->message);
  g_autofree char *names = list_dir (tmp);
  cr_expect_str_eq (names, "file");
  rm_rf (tmp);
}

Test (writer, failed_commit_leaves_nothing)
{
  g_autofree char *tmp = tmp_dir ();
  /* A non-empty directory where report.json should go: the last rename
   * fails after the series were moved. */
  g_autofree char *blocker = g_build_filename (tmp, RSIM_REPORT_FILE, "x",
                                               NULL);
  cr_assert_eq (g_mkdir_with_parents (blocker, 0777), 0);
  g_autoptr (GError) error = NULL;

  RsimRunWriter *w = rsim_run_writer_new (tmp, &error);
  cr_assert_not_null (w);
  feed (rsim_run_writer_sinks (w));
  cr_expect_not (rsim_run_writer_commit (w, "{}\n", &error));
  cr_assert_not_null (error);
  rsim_run_writer_free (w);

  g_autofree char *names = list_dir (tmp);
  cr_expect_str_eq (names, RSIM_REPORT_FILE, "left: %s", names);
  rm_rf (tmp);
}

Test (writer, empty_dir_name)
{
  g_autoptr (GError) error = NULL;
  cr_expect_null (rsim_run_writer_new ("", &error));
  cr_expect (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_INVAL));
}

/* ---------------------------------------------------------- metric list */

/* report.json's summary is the list's IN_REPORT metrics, in its order. */
Test (metrics, report_summary_follows_the_list)
{
  g_autoptr (RsimScenario) sc = load_basic ();
  g_autoptr (RsimResult) r = result_new ();
  RsimSimConfig config;
  config_for (&config, sc, 7);
  g_autofree char *text = rsim_report_build_json (sc, &config, r);
  cJSON *root = cJSON_Parse (text);
  const cJSON *item = cJSON_GetObjectItem (root, "summary")->child;
  for (int id = 0; id < RSIM_N_METRICS; id++) {
    if (!(rsim_metrics[id].flags & RSIM_METRIC_IN_REPORT))
      continue;
    cr_assert_not_null (item, "summary ends before %s", rsim_metrics[id].name);
    cr_expect_str_eq (item->string, rsim_metrics[id].name);
    item = item->next;
  }
  cr_expect_null (item, "summary has %s, not in the list",
                  item ? item->string : "");
  cJSON_Delete (root);
  rsim_sim_config_clear (&config);
}

Test (metrics, names_unique_and_values_read)
{
  for (int a = 0; a < RSIM_N_METRICS; a++) {
    cr_expect_gt (strlen (rsim_metrics[a].description), 0);
    for (int b = a + 1; b < RSIM_N_METRICS; b++)
      cr_expect_str_neq (rsim_metrics[a].name, rsim_metrics[b].name);
  }
  g_autoptr (RsimResult) r = result_new ();
  cr_expect_eq (rsim_metric_value (r, RSIM_METRIC_ID_downtime_s),
                r->downtime_s);
  cr_expect_eq (rsim_metric_value (r, RSIM_METRIC_ID_failed_deployments),
                r->failed_deployments);
  cr_expect_eq (rsim_metric_value (r, RSIM_METRIC_ID_incidents),
                r->incidents->len);
  cr_expect (isnan (rsim_metric_value (r, RSIM_METRIC_ID_final_state)));
  r->failed_deployments = 11;
  cr_expect_eq (rsim_metric_value (r, RSIM_METRIC_ID_failed_deployments), 11);
}

/* Every table row of the list appears in the terminal table with its
 * label, in row order; rows shown only when not zero are hidden at 0. */
Test (metrics, table_rows_follow_the_list)
{
  g_autoptr (RsimScenario) sc = load_basic ();
  g_autoptr (RsimResult) r = result_new ();
  RsimSimConfig config;
  config_for (&config, sc, 7);
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream (&buf, &len);
  rsim_report_print_summary (out, sc, &config, r);
  fclose (out);
  const char *at = strstr (buf, "\nSummary\n");
  cr_assert_not_null (at, "%s", buf);
  for (guint row = 1; row < 100; row++) {
    for (int id = 0; id < RSIM_N_METRICS; id++) {
      const RsimMetricInfo *m = &rsim_metrics[id];
      if (m->row != row)
        continue;
      g_autofree char *line = g_strdup_printf ("\n  %s ", m->label);
      const char *found = strstr (at, line);
      if (m->flags & RSIM_METRIC_TABLE_NONZERO) {
        cr_expect_null (found, "row '%s' shown at 0:\n%s", m->label, buf);
      } else {
        cr_expect_not_null (found, "no row '%s' after the previous:\n%s",
                            m->label, buf);
        if (found)
          at = found;
      }
      break;
    }
  }
  free (buf);
  rsim_sim_config_clear (&config);
}

/* ------------------------------------------------------------------ CSV */

Test (csv, one_quoting_rule_and_its_reader)
{
  g_autoptr (GString) s = g_string_new (NULL);
  const char *fields[] = { "plain", "a,b", "say \"hi\"", "two\nlines", "",
                           "cr\r", NULL };
  rsim__csv_append_row (s, fields);
  cr_expect_str_eq (s->str, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\","
                            ",\"cr\r\"\n");
  g_autofree char *why = NULL;
  g_autoptr (GPtrArray) records = rsim__csv_parse (s->str, &why);
  cr_assert_not_null (records, "%s", why);
  cr_assert_eq (records->len, 1);
  cr_expect (g_strv_equal ((const char *const *) records->pdata[0], fields));

  g_autoptr (GPtrArray) bad = rsim__csv_parse ("a,\"open\n", &why);
  cr_expect_null (bad);
  cr_expect_not_null (strstr (why, "unterminated"), "%s", why);
}

/* ----------------------------------------------------------- JSON input */

static char *
write_tmp (const char *dir, const char *name, const char *text)
{
  char *path = g_build_filename (dir, name, NULL);
  cr_assert (g_file_set_contents (path, text, -1, NULL));
  return path;
}

Test (json_input, syntax_error_has_line_and_column)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *path = write_tmp (dir, "bad.json",
                                     "{\n  \"a\": 1,\n  \"b\": ]\n}\n");
  const RsimJsonSource src = { path, G_FILE_ERROR, G_FILE_ERROR_INVAL };
  g_autoptr (GError) error = NULL;
  cr_expect_null (rsim__json_read_file (&src, &error));
  cr_assert (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_INVAL));
  g_autofree char *want = g_strconcat (path, ":3:", NULL);
  cr_expect (g_str_has_prefix (error->message, want), "%s", error->message);
  cr_expect_not_null (strstr (error->message, "JSON syntax error"));

  g_autofree char *array = write_tmp (dir, "array.json", "[1]");
  const RsimJsonSource src2 = { array, G_FILE_ERROR, G_FILE_ERROR_INVAL };
  g_clear_error (&error);
  cr_expect_null (rsim__json_read_file (&src2, &error));
  cr_expect_not_null (strstr (error->message, "expected an object, got an "
                              "array"), "%s", error->message);
  g_unlink (path);
  g_unlink (array);
  g_rmdir (dir);
}

Test (json_input, member_expected_and_got)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *path = write_tmp (dir, "m.json",
                                     "{\"run\": {\"seed\": -1, \"name\": 7}}");
  const RsimJsonSource src = { path, G_FILE_ERROR, G_FILE_ERROR_INVAL };
  g_autoptr (GError) error = NULL;
  cJSON *root = rsim__json_read_file (&src, &error);
  cr_assert_not_null (root, "%s", error ? error->message : "");
  const cJSON *run = rsim__json_member (&src, root, "", "run",
                                        RSIM_JSON_OBJECT, &error);
  cr_assert_not_null (run);
  cr_expect_null (rsim__json_member (&src, run, "run", "seed", RSIM_JSON_UINT,
                                     &error));
  g_autofree char *want = g_strconcat (path, ": run.seed: expected a whole "
                                       "number from 0 to 2^53, got the "
                                       "number -1", NULL);
  cr_expect_str_eq (error->message, want);
  g_clear_error (&error);
  cr_expect_null (rsim__json_member (&src, run, "run", "missing",
                                     RSIM_JSON_STRING, &error));
  cr_expect_not_null (strstr (error->message, "run.missing: expected a "
                              "string, got nothing"), "%s", error->message);
  cJSON_Delete (root);
  g_unlink (path);
  g_rmdir (dir);
}

/* ---------------------------------------------------- files written whole */

Test (files, group_written_at_once_and_stale_files_removed)
{
  g_autofree char *dir = tmp_dir ();
  /* A temporary file of a process that is gone (pid 2^22 + 1 is above
   * Linux's largest pid), one without a pid, one of this process. */
  g_autofree char *stale = write_tmp (dir, ".rescalesim-tmp-4194305-x", "");
  g_autofree char *odd = write_tmp (dir, ".rescalesim-tmp-x", "");
  g_autofree char *mine_name = g_strdup_printf (".rescalesim-tmp-%ld-y",
                                                (long) getpid ());
  g_autofree char *mine = write_tmp (dir, mine_name, "");
  const char *names[] = { "a.txt", "b.txt" };
  const char *texts[] = { "A\n", "B\n" };
  g_autoptr (GError) error = NULL;
  cr_assert (rsim__write_files (dir, names, texts, 2, TRUE, &error), "%s",
             error ? error->message : "");
  g_autofree char *listing = list_dir (dir);
  g_autofree char *want = g_strdup_printf ("%s a.txt b.txt", mine_name);
  cr_expect_str_eq (listing, want);
  g_autofree char *a = g_build_filename (dir, "a.txt", NULL);
  g_autofree char *text = read_file (a);
  cr_expect_str_eq (text, "A\n");

  /* A directory that does not exist: an error naming the path. */
  g_autofree char *missing = g_build_filename (dir, "no", "c.txt", NULL);
  cr_expect_not (rsim__write_file (missing, "C", FALSE, &error));
  cr_expect_not_null (error);
  cr_expect_not_null (strstr (error->message, "/no/"), "%s", error->message);
  g_unlink (mine);
  g_unlink (a);
  g_autofree char *b = g_build_filename (dir, "b.txt", NULL);
  g_unlink (b);
  g_rmdir (dir);
}

/* ------------------------------------------------------- docs/metrics.md */

/* The table of docs/metrics.md between its markers, as the metric list
 * makes it: the documentation cannot disagree with the list. */
static char *
metric_table (void)
{
  GString *s = g_string_new (
    "| metric | type | unit | where | default check tolerance | meaning |\n"
    "|---|---|---|---|---|---|\n");
  for (int id = 0; id < RSIM_N_METRICS; id++) {
    const RsimMetricInfo *m = &rsim_metrics[id];
    static const char *const types[] = {
      [RSIM_METRIC_DOUBLE] = "number",
      [RSIM_METRIC_OPTIONAL] = "number or null",
      [RSIM_METRIC_UINT] = "count",
      [RSIM_METRIC_COUNT] = "count",
      [RSIM_METRIC_STATE] = "JobStatus name",
      [RSIM_METRIC_PARALLELISM] = "per vertex",
    };
    GString *where = g_string_new (NULL);
    if (m->flags & RSIM_METRIC_IN_REPORT)
      g_string_append (where, "report.json, check");
    if (m->flags & RSIM_METRIC_IN_SWEEP)
      g_string_append_printf (where, "%ssweep.csv, summary.csv",
                              where->len ? ", " : "");
    if (m->flags & RSIM_METRIC_IN_COMPARE)
      g_string_append_printf (where, "%scompare", where->len ? ", " : "");
    if (m->row > 0)
      g_string_append_printf (where, "%srun table", where->len ? ", " : "");
    char a[RSIM_REPORT_NUMBER_SIZE], r[RSIM_REPORT_NUMBER_SIZE];
    g_autofree char *tol = NULL;
    if (!(m->flags & RSIM_METRIC_IN_REPORT))
      tol = g_strdup ("-");
    else if (isnan (m->abs_tol))
      tol = g_strdup ("must be equal");
    else if (m->abs_tol == 0 && m->rel_tol == 0)
      tol = g_strdup ("exact");
    else if (m->rel_tol == 0)
      tol = g_strdup_printf ("±%s", rsim_report_format_double (a, m->abs_tol));
    else
      tol = g_strdup_printf ("max(%s, %s %% of the baseline)",
                             rsim_report_format_double (a, m->abs_tol),
                             rsim_report_format_double (r, 100 * m->rel_tol));
    g_string_append_printf (s, "| `%s` | %s | %s | %s | %s | %s |\n", m->name,
                            types[m->type], *m->unit ? m->unit : "-",
                            where->str, tol, m->description);
    g_string_free (where, TRUE);
  }
  return g_string_free (s, FALSE);
}

Test (docs, metrics_md_table_is_the_metric_list)
{
  const char *root = g_getenv ("RSIM_SOURCE_ROOT");
  cr_assert_not_null (root, "RSIM_SOURCE_ROOT is not set");
  g_autofree char *path = g_build_filename (root, "docs", "metrics.md", NULL);
  g_autofree char *text = NULL;
  cr_assert (g_file_get_contents (path, &text, NULL, NULL), "no %s", path);
  static const char begin[] = "<!-- metric-list: begin (generated from "
                              "RSIM_METRIC_LIST, checked by test-report) -->\n";
  static const char end[] = "<!-- metric-list: end -->";
  const char *b = strstr (text, begin);
  const char *e = b ? strstr (b, end) : NULL;
  cr_assert (b && e, "%s: no metric-list markers", path);
  g_autofree char *have = g_strndup (b + strlen (begin),
                                     (gsize) (e - b - strlen (begin)));
  g_autofree char *want = metric_table ();
  cr_expect_str_eq (have, want, "%s is stale; the table should read:\n%s",
                    path, want);
}
