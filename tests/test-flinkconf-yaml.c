/* Tests of Flink configuration files and keys: config.yaml (nested and
 * flat) and the legacy flink-conf.yaml resolve to the same configuration;
 * the scenario's flink.config wins over the file and the resolved JSON says
 * where each key came from; typos are errors with a suggestion, real but
 * unmodelled keys a note, keys of a later Flink version an error; the
 * scheduler follows jobmanager.scheduler and scheduler-mode; YAML errors
 * name FILE:LINE:COL. Files are in tests/data/flinkconf/. */
#include <criterion/criterion.h>
#include <string.h>

#include <rescalesim/scenario.h>
#include "scenario/inputs-private.h"

static char *
source_path (const char *rel)
{
  const char *root = g_getenv ("RSIM_SOURCE_ROOT");
  return g_build_filename (root != NULL ? root : "..", rel, NULL);
}

/* A one-vertex scenario in tests/data/flinkconf/ on Flink version with the
 * given "flink" members after the version (e.g. "\"config_file\": ..."). */
static RsimScenario *
load (const char *version, const char *flink_rest, const char *rest,
      GError **error)
{
  g_autofree char *text = g_strdup_printf (
    "{\"name\": \"t\", \"duration\": \"10 min\","
    " \"flink\": {\"version\": \"%s\"%s%s},"
    " \"cluster\": {\"taskmanagers\": 1},"
    " \"job\": {\"vertices\": [{\"name\": \"v\", \"capacity\": 100}]},"
    " \"workload\": {\"rate\": 10}%s}", version, *flink_rest ? ", " : "",
    flink_rest, rest);
  g_autofree char *display = source_path ("tests/data/flinkconf/s.json");
  return rsim_scenario_load_data (text, strlen (text), display, error);
}

static RsimScenario *
load_ok (const char *version, const char *flink_rest)
{
  GError *error = NULL;
  RsimScenario *sc = load (version, flink_rest, "", &error);
  cr_assert_not_null (sc, "%s", error ? error->message : "?");
  return sc;
}

/* The message of a load that must fail, without the directory part. */
static char *
load_fail (const char *version, const char *flink_rest)
{
  GError *error = NULL;
  RsimScenario *sc = load (version, flink_rest, "", &error);
  cr_assert_null (sc, "loaded although it should not: %s", flink_rest);
  cr_assert_not_null (error);
  g_autofree char *dir = source_path ("tests/data/flinkconf/");
  char *msg = g_str_has_prefix (error->message, dir)
    ? g_strdup (error->message + strlen (dir)) : g_strdup (error->message);
  g_error_free (error);
  return msg;
}

static gboolean
has_warning (const RsimScenario *sc, const char *needle)
{
  for (guint i = 0; i < sc->warnings->len; i++)
    if (strstr (sc->warnings->pdata[i], needle) != NULL)
      return TRUE;
  return FALSE;
}

/* The resolved "flink" block without the provenance keys. */
static char *
resolved_flink (const RsimScenario *sc)
{
  g_autofree char *json = rsim_scenario_config_to_json (sc, NULL);
  cJSON *root = cJSON_Parse (json);
  cJSON *flink = cJSON_DetachItemFromObject (root, "flink");
  cJSON_DeleteItemFromObject (flink, "config_file");
  cJSON_DeleteItemFromObject (flink, "config_sources");
  char *text = cJSON_PrintUnformatted (flink);
  cJSON_Delete (flink);
  cJSON_Delete (root);
  return text;
}

/* ----------------------------------------------------------- file formats */

Test (files, nested_flat_and_legacy_agree)
{
  g_autoptr (RsimScenario) nested = load_ok ("1.20", "\"config_file\": \"nested/config.yaml\"");
  g_autoptr (RsimScenario) flat = load_ok ("1.20", "\"config_file\": \"flat/config.yaml\"");
  g_autoptr (RsimScenario) legacy = load_ok ("1.20", "\"config_file\": \"legacy/flink-conf.yaml\"");
  g_autofree char *a = resolved_flink (nested);
  g_autofree char *b = resolved_flink (flat);
  g_autofree char *c = resolved_flink (legacy);
  cr_expect_str_eq (a, b);
  cr_expect_str_eq (a, c);
  /* And the values are the file's, not the defaults. */
  const RsimFlinkConf *f = &nested->config.flink;
  cr_expect_eq (f->slots_per_taskmanager, 4);
  cr_expect_eq (f->default_parallelism, 2);
  cr_expect_eq (f->checkpoint_interval, 60 * RSIM_SEC);
  cr_expect_eq (f->checkpoint_timeout, 5 * RSIM_MIN);
  cr_expect_eq (f->heartbeat_interval, 5 * RSIM_SEC);
  cr_expect_eq (f->heartbeat_timeout, 20 * RSIM_SEC);
  cr_expect_eq (f->restart_strategy, RSIM_RESTART_FIXED_DELAY);
  cr_expect_eq (f->fixed_delay_attempts, 3);
  cr_expect_eq (f->fixed_delay_delay, 10 * RSIM_SEC);
  /* jobmanager.scheduler: adaptive decides the scheduler. */
  cr_expect_eq (nested->config.scheduler, RSIM_SCHEDULER_ADAPTIVE);
  cr_expect_eq (legacy->config.scheduler, RSIM_SCHEDULER_ADAPTIVE);
  /* The memory size is a real Flink key that is not modelled: a note. */
  cr_expect (has_warning (nested, "Flink 1.20 keys that rescalesim does not model, "
                          "ignored: taskmanager.memory.process.size"));
}

Test (files, scenario_wins_and_sources_are_reported)
{
  g_autoptr (RsimScenario) sc = load_ok ("1.20", "\"config_file\": \"nested/config.yaml\","
                                         " \"config\": {\"heartbeat.timeout\": \"30 s\","
                                         " \"slot.request.timeout\": \"1 min\"}");
  cr_expect_eq (sc->config.flink.heartbeat_timeout, 30 * RSIM_SEC);
  cr_expect_eq (sc->config.flink.slot_request_timeout, RSIM_MIN);
  cr_expect_eq (sc->config.flink.heartbeat_interval, 5 * RSIM_SEC);
  g_autofree char *json = rsim_scenario_config_to_json (sc, NULL);
  cJSON *root = cJSON_Parse (json);
  const cJSON *flink = cJSON_GetObjectItem (root, "flink");
  cr_expect_str_eq (cJSON_GetObjectItem (flink, "config_file")->valuestring,
                    "nested/config.yaml");
  const cJSON *src = cJSON_GetObjectItem (flink, "config_sources");
  cr_expect_str_eq (cJSON_GetObjectItem (src, "heartbeat.timeout")->valuestring, "scenario");
  cr_expect_str_eq (cJSON_GetObjectItem (src, "slot.request.timeout")->valuestring, "scenario");
  cr_expect_str_eq (cJSON_GetObjectItem (src, "heartbeat.interval")->valuestring,
                    "nested/config.yaml:14");
  cr_expect_str_eq (cJSON_GetObjectItem (src, "execution.checkpointing.interval")->valuestring,
                    "nested/config.yaml:11");
  cr_expect_null (cJSON_GetObjectItem (src, "pekko.ask.timeout"));
  cJSON_Delete (root);
}

Test (files, syntax_and_type_errors_point_into_the_file)
{
  g_autofree char *syntax = load_fail ("1.20", "\"config_file\": \"syntax.yaml\"");
  cr_expect (g_str_has_prefix (syntax, "syntax.yaml:3:2: invalid YAML: "), "%s", syntax);
  g_autofree char *type = load_fail ("1.20", "\"config_file\": \"wrong-type.yaml\"");
  cr_expect_str_eq (type, "wrong-type.yaml:3:15: execution.checkpointing.interval: "
                    "expected a duration such as \"10 s\", \"500 ms\" or an integer "
                    "number of milliseconds (units: d, h, min, s, ms, us, ns), got an array");
  g_autofree char *missing = load_fail ("1.20", "\"config_file\": \"absent.yaml\"");
  cr_expect (g_str_has_prefix (missing, "s.json: flink.config_file: "), "%s", missing);
  cr_expect (strstr (missing, "tests/data/flinkconf/absent.yaml: cannot read") != NULL, "%s",
             missing);
}

Test (files, legacy_file_is_flat)
{
  GError *error = NULL;
  const char *text = "heartbeat:\n  timeout: 5 s\n";
  RsimConfFile *f = rsim__conf_file_parse (text, strlen (text), "flink-conf.yaml", TRUE, &error);
  cr_assert_null (f);
  cr_expect_str_eq (error->message, "flink-conf.yaml:2:3: \"heartbeat\" has nested keys, "
                    "but flink-conf.yaml takes one \"key: value\" per line (nested keys need "
                    "Flink 1.19's config.yaml)");
  g_clear_error (&error);
  /* The same key nested and flat in config.yaml. */
  const char *twice = "heartbeat.timeout: 5 s\nheartbeat:\n  timeout: 6 s\n";
  f = rsim__conf_file_parse (twice, strlen (twice), "config.yaml", FALSE, &error);
  cr_assert_null (f);
  cr_expect_str_eq (error->message, "config.yaml:3:12: \"heartbeat.timeout\" is set twice "
                    "(also at line 1)");
  g_clear_error (&error);
}

/* -------------------------------------------------------------- key kinds */

Test (keys, typo_is_an_error_with_a_suggestion)
{
  g_autofree char *a = load_fail ("1.20", "\"config\": {\"heartbeat.timout\": \"20 s\"}");
  cr_expect_str_eq (a, "s.json: flink.config.\"heartbeat.timout\": unknown Flink "
                    "configuration key; did you mean `heartbeat.timeout`?");
  g_autofree char *b = load_fail ("1.20", "\"config\": {\"taskmanager.numberOfTaskslots\": 2}");
  cr_expect (g_str_has_prefix (b, "s.json: flink.config.\"taskmanager.numberOfTaskslots\": "
                               "unknown Flink configuration key; did you mean "
                               "`taskmanager.numberOfTaskSlots`"), "%s", b);
  /* From a file: the file's line and column. */
  g_autofree char *c = load_fail ("1.20", "\"config_file\": \"typo.yaml\"");
  cr_expect_str_eq (c, "typo.yaml:2:11: heartbeat.timout: unknown Flink configuration "
                    "key; did you mean `heartbeat.timeout`?");
  /* Nothing close: no suggestion. */
  g_autofree char *d = load_fail ("1.20", "\"config\": {\"zzz.qqq\": 1}");
  cr_expect_str_eq (d, "s.json: flink.config.\"zzz.qqq\": unknown Flink configuration key "
                    "(no Flink version from 1.5 to 2.3 documents it)");
}

Test (keys, real_unmodelled_key_is_a_note_per_version)
{
  g_autoptr (RsimScenario) sc = load_ok ("1.20", "\"config\": {\"state.backend.rocksdb.localdir\": \"/tmp\","
                                         " \"rest.port\": 8081}");
  cr_expect_eq (sc->warnings->len, 1);
  cr_expect (has_warning (sc, "s.json: flink.config: Flink 1.20 keys that rescalesim does "
                          "not model, ignored: state.backend.rocksdb.localdir, rest.port"));
  /* slot.request.max-interval exists from 2.0: a note on 2.0, an error on
   * 1.20 naming the key and both versions. */
  g_autoptr (RsimScenario) v20 = load_ok ("2.0", "\"config\": {\"slot.request.max-interval\": \"20 ms\"}");
  cr_expect (has_warning (v20, "ignored: slot.request.max-interval"));
  g_autofree char *e = load_fail ("1.20", "\"config\": {\"slot.request.max-interval\": \"20 ms\"}");
  cr_expect_str_eq (e, "s.json: flink.config.\"slot.request.max-interval\": does not exist "
                    "in Flink 1.20 (it was added in 2.0)");
  /* A key Flink documents only up to an older release: a note. */
  g_autoptr (RsimScenario) old = load_ok ("1.20", "\"config\": {\"akka.watch.heartbeat.interval\": \"1 s\"}");
  cr_expect (has_warning (old, "documented up to Flink 1.9 only"));
  /* Keys Flink passes on to file systems are real whatever follows. */
  g_autoptr (RsimScenario) s3 = load_ok ("1.20", "\"config\": {\"s3.access-key\": \"x\","
                                         " \"fs.s3a.connection.maximum\": 64}");
  cr_expect (has_warning (s3, "ignored: s3.access-key, fs.s3a.connection.maximum"));
  /* Placeholders in documented keys match any name. */
  g_autoptr (RsimScenario) rep = load_ok ("1.20", "\"config\": {\"metrics.reporter.prom.factory.class\": \"x\"}");
  cr_expect (has_warning (rep, "ignored: metrics.reporter.prom.factory.class"));
}

Test (keys, known_key_table_is_sorted_and_consistent)
{
  for (guint i = 1; i < rsim__n_flink_known_keys; i++)
    cr_assert_lt (strcmp (rsim__flink_known_keys[i - 1].key, rsim__flink_known_keys[i].key), 0,
                  "%s", rsim__flink_known_keys[i].key);
  for (guint i = 0; i < rsim__n_flink_known_keys; i++)
    cr_assert_leq (rsim__flink_known_keys[i].first, rsim__flink_known_keys[i].last);
  const RsimKnownKey *k = rsim__known_key_find ("heartbeat.timeout");
  cr_assert_not_null (k);
  cr_expect_eq (k->first, 105);
  cr_expect_eq (k->last, 203);
  cr_expect_null (rsim__known_key_find ("heartbeat.timout"));
}

Test (keys, suggestions)
{
  static const char *const words[] = { "kill_taskmanagers", "stop_taskmanagers", "scale" };
  g_autofree char *a = rsim__suggest ("kill_taskmanager", words, 3);
  cr_expect_str_eq (a, "`kill_taskmanagers`");
  g_autofree char *c = rsim__suggest ("stop_taskmanager", words, 3);
  cr_expect_str_eq (c, "`stop_taskmanagers`");
  g_autofree char *b = rsim__suggest ("xyz", words, 3);
  cr_expect_null (b);
}

Test (keys, project_keys_and_actions_get_suggestions)
{
  GError *error = NULL;
  RsimScenario *sc = load ("1.20", "", ", \"schedulrs\": [\"default\"]", &error);
  cr_assert_null (sc);
  cr_expect (g_str_has_suffix (error->message, "(did you mean `schedulers`?)"), "%s",
             error->message);
  g_clear_error (&error);
  sc = load ("1.20", "", ", \"timeline\": [{\"at\": \"1 min\", \"action\": \"kill_taskmanager\"}]",
             &error);
  cr_assert_null (sc);
  cr_expect (strstr (error->message, "timeline[0].action: expected one of: ") != NULL, "%s",
             error->message);
  cr_expect (g_str_has_suffix (error->message, "got \"kill_taskmanager\" (did you mean "
                               "`kill_taskmanagers`?)"), "%s", error->message);
  g_clear_error (&error);
  sc = load ("1.20", "", ", \"cluster\": {\"taskmanager\": 1}", &error);
  cr_assert_null (sc);
  g_clear_error (&error);
}

Test (keys, operator_keys_in_flink_config_drive_the_autoscaler)
{
  /* As in a FlinkDeployment's flinkConfiguration: the operator reads them. */
  g_autoptr (RsimScenario) on = load_ok ("1.18", "\"config\": {\"job.autoscaler.enabled\": \"true\","
                                         " \"job.autoscaler.target.utilization\": \"0.6\","
                                         " \"job.autoscaler.metrics.window\": \"5m\"}");
  cr_expect (on->config.controllers.autoscaler.enabled);
  cr_expect_float_eq (on->config.controllers.autoscaler.target_utilization, 0.6, 1e-12);
  cr_expect_eq (on->config.controllers.autoscaler.metrics_window, 5 * RSIM_MIN);
  cr_expect (has_warning (on, "job.autoscaler.enabled is true: the operator's autoscaler runs"));
  /* controllers.autoscaler.config wins over flink.config. */
  GError *error = NULL;
  g_autoptr (RsimScenario) both = load ("1.18", "\"config\": {\"job.autoscaler.enabled\": true,"
                                        " \"job.autoscaler.utilization.target\": 0.6}",
                                        ", \"controllers\": {\"autoscaler\": {\"config\":"
                                        " {\"job.autoscaler.target.utilization\": 0.5}}}", &error);
  cr_assert_not_null (both, "%s", error ? error->message : "?");
  cr_expect_float_eq (both->config.controllers.autoscaler.target_utilization, 0.5, 1e-12);
  /* Not enabled: no autoscaler, one warning. */
  g_autoptr (RsimScenario) off = load_ok ("1.18", "\"config\": {\"job.autoscaler.metrics.window\": \"5m\"}");
  cr_expect_not (off->config.controllers.autoscaler.enabled);
  cr_expect (has_warning (off, "the operator's autoscaler is off; ignored"));
  /* A misspelt operator key is an error with a suggestion. */
  g_autofree char *typo = load_fail ("1.18", "\"config\": {\"job.autoscaler.enabled\": true,"
                                     " \"job.autoscaler.metrics.windw\": \"5m\"}");
  cr_expect (strstr (typo, "s.json: flink.config: unknown key \"job.autoscaler.metrics.windw\"") != NULL,
             "%s", typo);
  cr_expect (g_str_has_suffix (typo, "(did you mean `job.autoscaler.metrics.window`?)"), "%s", typo);
}

/* -------------------------------------------------------------- scheduler */

Test (scheduler, from_the_configuration)
{
  g_autoptr (RsimScenario) a = load_ok ("1.20", "\"config\": {\"jobmanager.scheduler\": \"adaptive\"}");
  cr_expect_eq (a->config.scheduler, RSIM_SCHEDULER_ADAPTIVE);
  cr_expect_eq (a->n_schedulers, 3);
  cr_expect_eq (a->schedulers[0], RSIM_SCHEDULER_ADAPTIVE);
  cr_expect_eq (a->schedulers[1], RSIM_SCHEDULER_DEFAULT);
  g_autoptr (RsimScenario) r = load_ok ("1.20", "\"config\": {\"scheduler-mode\": \"reactive\"}");
  cr_expect_eq (r->config.scheduler, RSIM_SCHEDULER_REACTIVE);
  g_autoptr (RsimScenario) ra = load_ok ("1.20", "\"config\": {\"jobmanager.scheduler\": \"Adaptive\","
                                         " \"scheduler-mode\": \"REACTIVE\"}");
  cr_expect_eq (ra->config.scheduler, RSIM_SCHEDULER_REACTIVE);
  g_autoptr (RsimScenario) d = load_ok ("1.20", "\"config\": {\"jobmanager.scheduler\": \"default\"}");
  cr_expect_eq (d->config.scheduler, RSIM_SCHEDULER_DEFAULT);
  g_autoptr (RsimScenario) none = load_ok ("1.20", "");
  cr_expect_eq (none->config.scheduler, RSIM_SCHEDULER_DEFAULT);
  /* The scenario's own list says otherwise: the list wins. */
  GError *error = NULL;
  g_autoptr (RsimScenario) listed = load ("1.20", "\"config\": {\"scheduler-mode\": \"reactive\"}",
                                          ", \"schedulers\": [\"default\"]", &error);
  cr_assert_not_null (listed);
  cr_expect_eq (listed->config.scheduler, RSIM_SCHEDULER_DEFAULT);
}

Test (scheduler, conflicts_and_bad_values_refused)
{
  g_autofree char *c = load_fail ("1.20", "\"config\": {\"jobmanager.scheduler\": \"default\","
                                  " \"scheduler-mode\": \"reactive\"}");
  cr_expect_str_eq (c, "s.json: flink.config.\"scheduler-mode\": scheduler-mode: reactive "
                    "runs the adaptive scheduler, but jobmanager.scheduler is \"default\"; "
                    "remove one of them");
  g_autofree char *b = load_fail ("1.20", "\"config\": {\"jobmanager.scheduler\": \"adaptiv\"}");
  cr_expect_str_eq (b, "s.json: flink.config.\"jobmanager.scheduler\": expected a scheduler "
                    "of Flink 1.20 (default, ng or adaptive), got \"adaptiv\"");
  g_autofree char *m = load_fail ("1.20", "\"config\": {\"scheduler-mode\": \"active\"}");
  cr_expect_str_eq (m, "s.json: flink.config.\"scheduler-mode\": expected reactive, got \"active\"");
  g_autofree char *early = load_fail ("1.12", "\"config\": {\"scheduler-mode\": \"reactive\"}");
  cr_expect_str_eq (early, "s.json: flink.config.\"scheduler-mode\": does not exist in "
                    "Flink 1.12 (it was added in 1.13)");
}
