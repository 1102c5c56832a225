/* Tests of rescalesim import: a REST plan with chained operators, a keyBy
 * (HASH) and a rebalance gives a scenario that loads and runs, the stream
 * graph of "flink info" gives the same job, bad plans (a cycle, an unknown
 * ship strategy, an input naming no node) are refused with the JSON path,
 * the operator's autoscaler example imports as a FlinkDeployment, and the
 * YAML and plan readers survive a few hundred random and mutated inputs.
 * Inputs are in tests/data/import/. */
#include <criterion/criterion.h>
#include <string.h>

#include <rescalesim/calibrate.h>
#include <rescalesim/import.h>
#include <rescalesim/scenario.h>
#include "scenario/inputs-private.h"

static char *
data_path (const char *name)
{
  const char *root = g_getenv ("RSIM_SOURCE_ROOT");
  return g_build_filename (root != NULL ? root : "..", "tests", "data", "import",
                           name, NULL);
}

static char *
read_data (const char *name, gsize *len)
{
  g_autofree char *path = data_path (name);
  char *text = NULL;
  cr_assert (g_file_get_contents (path, &text, len, NULL), "cannot read %s", path);
  return text;
}

static char *
import_plan_text (const char *text, GError **error)
{
  return rsim_import_plan (text, strlen (text), "plan.json", NULL, NULL, error);
}

static char *
plan_error (const char *text)
{
  GError *error = NULL;
  char *out = import_plan_text (text, &error);
  cr_assert_null (out, "imported although it should not: %s", text);
  char *msg = g_strdup (error->message);
  g_error_free (error);
  return msg;
}

/* Loads scenario text and runs it under its first scheduler. */
static void
loads_and_runs (const char *scenario)
{
  GError *error = NULL;
  g_autoptr (RsimScenario) sc = rsim_scenario_load_data (scenario, strlen (scenario),
                                                         "imported.json", &error);
  cr_assert_not_null (sc, "%s", error ? error->message : "?");
  g_autoptr (RsimResult) r = rsim_simulation_run (&sc->config, NULL, &error);
  cr_assert_not_null (r, "%s", error ? error->message : "?");
  cr_expect_str_eq (r->final_state, "RUNNING");
  cr_expect_gt (r->processed_records, 0.0);
}

/* The job block of scenario text, printed compactly. */
static char *
job_of (const char *scenario)
{
  cJSON *root = cJSON_Parse (scenario);
  char *text = cJSON_PrintUnformatted (cJSON_GetObjectItem (root, "job"));
  cJSON_Delete (root);
  return text;
}

Test (plan, rest_plan_with_chains_keyby_and_rebalance)
{
  gsize len;
  g_autofree char *text = read_data ("plan-rest.json", &len);
  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;
  g_autofree char *sc = rsim_import_plan (text, len, "plan-rest.json", NULL, notes, &error);
  cr_assert_not_null (sc, "%s", error ? error->message : "?");
  g_autofree char *job = job_of (sc);
  /* Sources first, chains named by their operators, Flink's ship
   * strategies in rescalesim's words. */
  cr_expect_str_eq (job,
    "{\"vertices\":["
    "{\"name\":\"Source: Kafka orders -> Map -> Filter\",\"parallelism\":4,\"capacity\":\"1000 rec/s\"},"
    "{\"name\":\"Window(TumblingEventTimeWindows(60000), EventTimeTrigger, OrderTotals) -> Map\","
    "\"parallelism\":8,\"capacity\":\"1000 rec/s\"},"
    "{\"name\":\"Sink: Kafka order-totals\",\"parallelism\":2,\"capacity\":\"1000 rec/s\"}],"
    "\"edges\":["
    "{\"from\":\"Source: Kafka orders -> Map -> Filter\","
    "\"to\":\"Window(TumblingEventTimeWindows(60000), EventTimeTrigger, OrderTotals) -> Map\","
    "\"ship\":\"hash\"},"
    "{\"from\":\"Window(TumblingEventTimeWindows(60000), EventTimeTrigger, OrderTotals) -> Map\","
    "\"to\":\"Sink: Kafka order-totals\",\"ship\":\"rebalance\"}]}");
  /* Placeholders are listed, with the metrics that give them. */
  cr_expect (strstr (sc, "PLACEHOLDERS") != NULL);
  gboolean noted = FALSE;
  for (guint i = 0; i < notes->len; i++)
    noted = noted || strstr (notes->pdata[i], "busyTimeMsPerSecond") != NULL;
  cr_expect (noted);
  cJSON *root = cJSON_Parse (sc);
  cr_expect_str_eq (cJSON_GetObjectItem (root, "name")->valuestring, "orders-enrichment");
  /* 8 slots: one slot-sharing group, its largest parallelism. */
  cr_expect_eq (cJSON_GetObjectItem (cJSON_GetObjectItem (root, "cluster"),
                                     "taskmanagers")->valueint, 8);
  cJSON_Delete (root);
  loads_and_runs (sc);
}

Test (plan, flink_info_stream_graph_chains_the_same)
{
  gsize a_len, b_len;
  g_autofree char *a = read_data ("plan-rest.json", &a_len);
  g_autofree char *b = read_data ("plan-flink-info.json", &b_len);
  GError *error = NULL;
  g_autofree char *sa = rsim_import_plan (a, a_len, "a", NULL, NULL, &error);
  g_autofree char *sb = rsim_import_plan (b, b_len, "b", NULL, NULL, &error);
  cr_assert_not_null (sb, "%s", error ? error->message : "?");
  g_autofree char *ja = job_of (sa);
  g_autofree char *jb = job_of (sb);
  cr_expect_str_eq (ja, jb);
}

Test (plan, job_details_give_max_parallelism)
{
  const char *text =
    "{\"jid\": \"j\", \"name\": \"n\", \"vertices\": [{\"id\": \"a\", \"name\": \"Source\","
    " \"maxParallelism\": 128, \"parallelism\": 2}],"
    " \"plan\": {\"jid\": \"j\", \"name\": \"n\", \"nodes\": [{\"id\": \"a\", \"parallelism\": 2,"
    " \"description\": \"Source: S -&gt; Map\"}]}}";
  GError *error = NULL;
  g_autofree char *sc = import_plan_text (text, &error);
  cr_assert_not_null (sc, "%s", error ? error->message : "?");
  g_autofree char *job = job_of (sc);
  cr_expect_str_eq (job, "{\"vertices\":[{\"name\":\"Source: S -> Map\",\"parallelism\":2,"
                    "\"max_parallelism\":128,\"capacity\":\"1000 rec/s\"}],\"edges\":[]}");
}

Test (plan, bad_plans_are_refused_with_the_path)
{
  g_autofree char *cycle = plan_error (
    "{\"plan\": {\"nodes\": ["
    "{\"id\": \"a\", \"parallelism\": 1, \"description\": \"A\", \"inputs\": [{\"id\": \"b\", \"ship_strategy\": \"HASH\"}]},"
    "{\"id\": \"b\", \"parallelism\": 1, \"description\": \"B\", \"inputs\": [{\"id\": \"a\", \"ship_strategy\": \"HASH\"}]}]}}");
  cr_expect_str_eq (cycle, "plan.json: plan.nodes[0]: node \"a\" is on a cycle of inputs; "
                    "rescalesim needs an acyclic job graph (stream iterations are not modelled)");
  g_autofree char *ship = plan_error (
    "{\"plan\": {\"nodes\": [{\"id\": \"a\", \"parallelism\": 1, \"description\": \"A\"},"
    "{\"id\": \"b\", \"parallelism\": 1, \"description\": \"B\", \"inputs\": [{\"id\": \"a\", \"ship_strategy\": \"hash\"}]}]}}");
  cr_expect_str_eq (ship, "plan.json: plan.nodes[1].inputs[0].ship_strategy: expected a ship "
                    "strategy Flink prints (FORWARD, HASH, REBALANCE, RESCALE, BROADCAST, "
                    "SHUFFLE or CUSTOM; GLOBAL is not modelled), got \"hash\"");
  g_autofree char *global = plan_error (
    "{\"plan\": {\"nodes\": [{\"id\": \"a\", \"parallelism\": 1, \"description\": \"A\"},"
    "{\"id\": \"b\", \"parallelism\": 1, \"description\": \"B\", \"inputs\": [{\"id\": \"a\", \"ship_strategy\": \"GLOBAL\"}]}]}}");
  cr_expect_str_eq (global, "plan.json: plan.nodes[1].inputs[0].ship_strategy: ship strategy "
                    "GLOBAL (every record to the first subtask) is not modelled");
  g_autofree char *missing = plan_error (
    "{\"plan\": {\"nodes\": [{\"id\": \"a\", \"parallelism\": 1, \"description\": \"A\","
    " \"inputs\": [{\"id\": \"zz\", \"ship_strategy\": \"FORWARD\"}]}]}}");
  cr_expect_str_eq (missing, "plan.json: plan.nodes[0].inputs[0].id: expected the id of a node "
                    "of the plan, got \"zz\"");
  g_autofree char *noid = plan_error ("{\"plan\": {\"nodes\": [{\"parallelism\": 1, \"description\": \"A\"}]}}");
  cr_expect_str_eq (noid, "plan.json: plan.nodes[0].id: expected the node's id, got nothing");
  g_autofree char *par = plan_error ("{\"nodes\": [{\"id\": \"a\", \"parallelism\": 0, \"description\": \"A\"}]}");
  cr_expect_str_eq (par, "plan.json: nodes[0].parallelism: expected an integer from 1 to 32768, got 0");
  g_autofree char *syntax = plan_error ("{\"plan\": {\"nodes\": [}}");
  cr_expect (g_str_has_prefix (syntax, "plan.json:1:"), "%s", syntax);
}

/* A REST plan lists job vertices, which Flink already chained: a FORWARD
 * edge between two of them at the same parallelism is one Flink kept apart
 * (chaining disabled, a new chain started), so the consumer is written
 * with "chain": "start_new" and the scenario keeps both vertices. */
Test (plan, forward_between_job_vertices_stays_unchained)
{
  GError *error = NULL;
  g_autofree char *sc = import_plan_text (
    "{\"plan\": {\"nodes\": [{\"id\": \"a\", \"parallelism\": 2, \"description\": \"Source: A\"},"
    "{\"id\": \"b\", \"parallelism\": 2, \"description\": \"B\", \"inputs\": [{\"id\": \"a\", \"ship_strategy\": \"FORWARD\"}]}]}}",
    &error);
  cr_assert_not_null (sc, "%s", error ? error->message : "?");
  cr_expect (strstr (sc, "\"chain\":\t\"start_new\"") != NULL, "%s", sc);
  g_autoptr (RsimScenario) loaded = rsim_scenario_load_data (sc, strlen (sc), "i.json",
                                                             &error);
  cr_assert_not_null (loaded, "%s", error ? error->message : "?");
  cr_expect_eq (loaded->config.job.n_vertices, 2);
}

/* ------------------------------------------------------------ deployment */

Test (deployment, operator_autoscaler_example)
{
  gsize len, plan_len;
  g_autofree char *text = read_data ("autoscaler-example.yaml", &len);
  g_autofree char *plan = read_data ("plan-rest.json", &plan_len);
  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;
  g_autofree char *sc = rsim_import_deployment (text, len, "autoscaler-example.yaml",
                                                plan, plan_len, "plan-rest.json",
                                                NULL, notes, &error);
  cr_assert_not_null (sc, "%s", error ? error->message : "?");
  cJSON *root = cJSON_Parse (sc);
  cr_expect_str_eq (cJSON_GetObjectItem (root, "name")->valuestring, "autoscaling-example");
  const cJSON *flink = cJSON_GetObjectItem (root, "flink");
  cr_expect_str_eq (cJSON_GetObjectItem (flink, "version")->valuestring, "1.18");
  g_autofree char *conf = cJSON_PrintUnformatted (cJSON_GetObjectItem (flink, "config"));
  cr_expect_str_eq (conf, "{\"pipeline.max-parallelism\":\"720\"}");
  const cJSON *as = cJSON_GetObjectItem (cJSON_GetObjectItem (root, "controllers"), "autoscaler");
  cr_assert_not_null (as);
  cr_expect_str_eq (cJSON_GetObjectItem (as, "upgrade_mode")->valuestring, "last-state");
  g_autofree char *asconf = cJSON_PrintUnformatted (cJSON_GetObjectItem (as, "config"));
  cr_expect_str_eq (asconf, "{\"job.autoscaler.stabilization.interval\":\"1m\","
                    "\"job.autoscaler.metrics.window\":\"5m\","
                    "\"job.autoscaler.utilization.target\":\"0.6\","
                    "\"job.autoscaler.target.utilization.boundary\":\"0.2\","
                    "\"job.autoscaler.restart.time\":\"2m\","
                    "\"job.autoscaler.catch-up.duration\":\"5m\"}");
  const cJSON *cluster = cJSON_GetObjectItem (root, "cluster");
  cr_expect_str_eq (cJSON_GetObjectItem (cluster, "resource_manager")->valuestring, "active");
  cr_expect_eq (cJSON_GetObjectItem (cluster, "taskmanagers")->valueint, 8);
  cJSON_Delete (root);
  loads_and_runs (sc);

  /* Without a plan: one vertex at spec.job.parallelism. */
  g_autofree char *alone = rsim_import_deployment (text, len, "d.yaml", NULL, 0, NULL, NULL,
                                                   NULL, &error);
  cr_assert_not_null (alone, "%s", error ? error->message : "?");
  g_autofree char *job = job_of (alone);
  cr_expect_str_eq (job, "{\"vertices\":[{\"name\":\"job\",\"parallelism\":2,"
                    "\"capacity\":\"1000 rec/s\"}],\"edges\":[]}");
  loads_and_runs (alone);

  /* The same keys pasted under controllers.autoscaler.config load too. */
  const char *pasted =
    "{\"name\": \"p\", \"duration\": \"1 h\", \"flink\": {\"version\": \"1.18\"},"
    " \"cluster\": {\"taskmanagers\": 2}, \"job\": {\"vertices\": [{\"name\": \"v\", \"capacity\": 100}]},"
    " \"workload\": {\"rate\": 10}, \"controllers\": {\"autoscaler\": {\"config\": {"
    " \"job.autoscaler.enabled\": \"true\", \"job.autoscaler.target.utilization\": \"0.6\","
    " \"kubernetes.operator.job.autoscaler.metrics.window\": \"5m\"}}}}";
  g_autoptr (RsimScenario) p = rsim_scenario_load_data (pasted, strlen (pasted), "p.json", &error);
  cr_assert_not_null (p, "%s", error ? error->message : "?");
  cr_expect_float_eq (p->config.controllers.autoscaler.target_utilization, 0.6, 1e-12);
}

Test (deployment, errors_point_into_the_yaml)
{
  const char *typo =
    "kind: FlinkDeployment\nspec:\n  flinkVersion: v1_20\n  flinkConfiguration:\n"
    "    heartbeat.timout: 20 s\n";
  GError *error = NULL;
  char *sc = rsim_import_deployment (typo, strlen (typo), "d.yaml", NULL, 0, NULL, NULL,
                                     NULL, &error);
  cr_assert_null (sc);
  cr_expect_str_eq (error->message, "d.yaml:5:23: spec.flinkConfiguration.\"heartbeat.timout\": "
                    "unknown Flink configuration key; did you mean `heartbeat.timeout`?");
  g_clear_error (&error);
  const char *version = "kind: FlinkDeployment\nspec:\n  flinkVersion: v9_9\n";
  sc = rsim_import_deployment (version, strlen (version), "d.yaml", NULL, 0, NULL, NULL,
                               NULL, &error);
  cr_assert_null (sc);
  cr_expect_str_eq (error->message, "d.yaml:3:17: spec.flinkVersion: expected a Flink version "
                    "of the operator from v1_5 to v2_3 (such as v1_18), got \"v9_9\"");
  g_clear_error (&error);
  const char *kind = "kind: Deployment\nspec: {}\n";
  sc = rsim_import_deployment (kind, strlen (kind), "d.yaml", NULL, 0, NULL, NULL, NULL, &error);
  cr_assert_null (sc);
  cr_expect_str_eq (error->message, "d.yaml:1:7: kind: expected FlinkDeployment (a Kubernetes "
                    "operator resource), got \"Deployment\"");
  g_clear_error (&error);
  const char *bad_yaml = "kind: FlinkDeployment\nspec:\n  flinkVersion: [v1_18\n";
  sc = rsim_import_deployment (bad_yaml, strlen (bad_yaml), "d.yaml", NULL, 0, NULL, NULL,
                               NULL, &error);
  cr_assert_null (sc);
  cr_expect (g_str_has_prefix (error->message, "d.yaml:4:1: invalid YAML: "), "%s", error->message);
  g_clear_error (&error);
}

/* ------------------------------------------------------------ robustness */

/* Random bytes and mutations of the valid inputs: the readers must return
 * a result or an error, never crash (run under ASan by make test-asan). */
static void
mutate_and_read (const char *seed_text, gsize seed_len, guint32 seed, gboolean yaml)
{
  GRand *rng = g_rand_new_with_seed (seed);
  for (guint round = 0; round < 150; round++) {
    gsize len = seed_len;
    char *buf = g_memdup2 (seed_text, seed_len + 1);
    guint edits = (guint) g_rand_int_range (rng, 1, 9);
    for (guint e = 0; e < edits && len > 0; e++) {
      gsize at = (gsize) g_rand_int_range (rng, 0, (gint32) len);
      switch (g_rand_int_range (rng, 0, 3)) {
      case 0:
        buf[at] = (char) g_rand_int_range (rng, 0, 256);
        break;
      case 1:
        memmove (buf + at, buf + at + 1, len - at);
        len--;
        break;
      default:
        len = at;                     /* truncate */
        buf[len] = '\0';
        break;
      }
    }
    if (round % 10 == 0) {            /* pure noise now and then */
      len = (gsize) g_rand_int_range (rng, 0, 200);
      for (gsize i = 0; i < len; i++)
        buf[i] = (char) g_rand_int_range (rng, 0, 256);
    }
    GError *error = NULL;
    if (yaml) {
      RsimYamlDoc *doc = rsim__yaml_parse (buf, len, "fuzz.yaml", &error);
      cr_expect ((doc != NULL) != (error != NULL));
      rsim__yaml_doc_free (doc);
      g_clear_error (&error);
      RsimConfFile *f = rsim__conf_file_parse (buf, len, "fuzz.yaml", FALSE, &error);
      rsim__conf_file_free (f);
      g_clear_error (&error);
      char *sc = rsim_import_deployment (buf, len, "fuzz.yaml", NULL, 0, NULL, NULL, NULL, &error);
      cr_expect ((sc != NULL) != (error != NULL));
      g_free (sc);
    } else {
      char *sc = rsim_import_plan (buf, len, "fuzz.json", NULL, NULL, &error);
      cr_expect ((sc != NULL) != (error != NULL));
      g_free (sc);
    }
    g_clear_error (&error);
    g_free (buf);
  }
  g_rand_free (rng);
}

Test (robustness, yaml_and_plan_readers_survive_random_inputs)
{
  static const char *const yaml_files[] = { "autoscaler-example.yaml" };
  static const char *const plan_files[] = { "plan-rest.json", "plan-flink-info.json" };
  for (guint i = 0; i < G_N_ELEMENTS (yaml_files); i++) {
    gsize len;
    g_autofree char *text = read_data (yaml_files[i], &len);
    mutate_and_read (text, len, 11 + i, TRUE);
    mutate_and_read (text, len, 101 + i, TRUE);
  }
  for (guint i = 0; i < G_N_ELEMENTS (plan_files); i++) {
    gsize len;
    g_autofree char *text = read_data (plan_files[i], &len);
    mutate_and_read (text, len, 7 + i, FALSE);
  }
  /* Bounds: deep nesting and aliases are refused, not followed. */
  GString *deep = g_string_new (NULL);
  for (int i = 0; i < 100; i++)
    g_string_append (deep, "[");
  GError *error = NULL;
  RsimYamlDoc *doc = rsim__yaml_parse (deep->str, deep->len, "deep.yaml", &error);
  cr_expect_null (doc);
  cr_expect (strstr (error->message, "nested more than 64 levels deep") != NULL, "%s",
             error->message);
  g_clear_error (&error);
  g_string_free (deep, TRUE);
  const char *alias = "a: &x [1, 2]\nb: *x\n";
  doc = rsim__yaml_parse (alias, strlen (alias), "alias.yaml", &error);
  cr_expect_null (doc);
  cr_expect_str_eq (error->message, "alias.yaml:2:4: invalid YAML: aliases (*x) are not supported");
  g_clear_error (&error);
}

/* ------------------------------------------------------- worked example */

static char *
example_path (const char *name)
{
  const char *root = g_getenv ("RSIM_SOURCE_ROOT");
  return g_build_filename (root != NULL ? root : "..", "scenarios", "examples", "orders",
                           name, NULL);
}

static char *
read_example (const char *name, gsize *len)
{
  g_autofree char *path = example_path (name);
  char *text = NULL;
  cr_assert (g_file_get_contents (path, &text, len, NULL), "cannot read %s", path);
  return text;
}

/* scenarios/README.md's worked example: every input imports, the REST
 * statistics calibrate to exactly the costs orders.json carries, and
 * orders.json loads with its config.yaml and picks the adaptive scheduler
 * from it. */
Test (example, orders_inputs_import_calibrate_and_run)
{
  gsize len, plan_len;
  g_autofree char *plan = read_example ("plan.json", &plan_len);
  g_autofree char *dep = read_example ("deployment.yaml", &len);
  GError *error = NULL;
  g_autofree char *a = rsim_import_plan (plan, plan_len, "plan.json", NULL, NULL, &error);
  cr_assert_not_null (a, "%s", error ? error->message : "?");
  g_autofree char *b = rsim_import_deployment (dep, len, "deployment.yaml", plan, plan_len,
                                               "plan.json", NULL, NULL, &error);
  cr_assert_not_null (b, "%s", error ? error->message : "?");
  loads_and_runs (b);

  g_autoptr (RsimCalibration) cal = rsim_calibration_new ();
  g_autofree char *rest = example_path ("rest");
  GDir *d = g_dir_open (rest, 0, NULL);
  cr_assert_not_null (d);
  const char *n;
  guint files = 0;
  while ((n = g_dir_read_name (d)) != NULL) {
    g_autofree char *p = g_build_filename (rest, n, NULL);
    g_autofree char *text = NULL;
    gsize tlen;
    cr_assert (g_file_get_contents (p, &text, &tlen, NULL));
    cr_assert (rsim_calibration_add (cal, text, tlen, n, &error), "%s", error->message);
    files++;
  }
  g_dir_close (d);
  cr_expect_eq (files, 8);
  cr_assert (rsim_calibration_fit (cal, &error), "%s", error ? error->message : "?");
  g_autofree char *costs = rsim_calibration_costs_json (cal);
  g_autofree char *committed = read_example ("costs.json", &len);
  cr_expect_str_eq (costs, committed);

  g_autofree char *orders = example_path ("orders.json");
  g_autoptr (RsimScenario) sc = rsim_scenario_load_file (orders, &error);
  cr_assert_not_null (sc, "%s", error ? error->message : "?");
  cr_expect_eq (sc->config.scheduler, RSIM_SCHEDULER_ADAPTIVE);
  cr_expect_eq (sc->config.flink.slots_per_taskmanager, 2);
  cr_expect_eq (sc->config.flink.heartbeat_timeout, 20 * RSIM_SEC);
  /* orders.json carries the fitted costs as calibrate writes them. */
  cJSON *fitted = cJSON_Parse (costs);
  g_autofree char *orders_text = read_example ("orders.json", &len);
  cJSON *root = cJSON_Parse (orders_text);
  g_autofree char *want = cJSON_PrintUnformatted (fitted);
  g_autofree char *have = cJSON_PrintUnformatted (cJSON_GetObjectItem (root, "costs"));
  cr_expect_str_eq (have, want);
  cJSON_Delete (root);
  cJSON_Delete (fitted);
}
