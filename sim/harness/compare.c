/* compare (harness.h): one scenario under each of several schedulers and
 * seeds, side by side.
 *
 * Every (scheduler, seed) run goes through rsim_harness_run_one() into
 * OUT/<scheduler>/seed-<N>/; compare.json (schema rescalesim/compare/1)
 * then lists every run with the summary of its report.json, and the table
 * shows, per scheduler, the mean over the seeds of each metric the metric
 * list flags RSIM_METRIC_IN_COMPARE, and the first seed's final
 * parallelism. */
#include <rescalesim/harness.h>

#include <string.h>

#include "report/report-internal.h"

typedef struct {
  RsimSchedulerKind scheduler;
  double sum[RSIM_N_METRICS];  /* over the seeds */
  GString *parallelism;        /* of the first seed */
  guint n;
} Row;

struct RsimCompare {
  char *name;
  RsimFlinkVersion version;
  guint n_seeds;
  guint n_rows;
  Row *rows;
  char *json;                  /* compare.json's text */
};

void
rsim_compare_free (RsimCompare *c)
{
  if (c == NULL)
    return;
  for (guint i = 0; i < c->n_rows; i++)
    if (c->rows[i].parallelism)
      g_string_free (c->rows[i].parallelism, TRUE);
  g_free (c->rows);
  g_free (c->name);
  g_free (c->json);
  g_free (c);
}

const char *
rsim_compare_json (const RsimCompare *c)
{
  g_return_val_if_fail (c != NULL, NULL);
  return c->json;
}

/* The adaptive scheduler and reactive mode exist since Flink 1.13
 * (FLIP-160, FLINK-21075). */
static gboolean
check_schedulers (const RsimScenario *scenario, const RsimSchedulerKind *kinds,
                  guint n_kinds, GError **error)
{
  RsimRules rules = rsim_rules_resolve (scenario->config.version);
  for (guint i = 0; i < n_kinds; i++) {
    if (kinds[i] != RSIM_SCHEDULER_DEFAULT
        && !rsim_rules_has (&rules, RSIM_RULE_ADAPTIVE_SCHEDULER)) {
      g_autofree char *v = rsim_version_to_string (scenario->config.version);
      g_set_error (error, RSIM_HARNESS_ERROR, RSIM_HARNESS_ERROR_INVALID,
                   "%s: the %s scheduler does not exist in Flink %s (it came "
                   "in 1.13)", scenario->path ? scenario->path : scenario->name,
                   rsim_scheduler_kind_name (kinds[i]), v);
      return FALSE;
    }
    if (kinds[i] == RSIM_SCHEDULER_REACTIVE
        && scenario->config.cluster.rm_mode != RSIM_RM_STANDALONE) {
      g_set_error (error, RSIM_HARNESS_ERROR, RSIM_HARNESS_ERROR_INVALID,
                   "%s: %s (cluster.resource_manager is \"%s\")",
                   scenario->path ? scenario->path : scenario->name,
                   RSIM_REACTIVE_UNSUPPORTED_CLUSTER,
                   rsim_rm_mode_name (scenario->config.cluster.rm_mode));
      return FALSE;
    }
  }
  return TRUE;
}

/* compare.json's entry of one run: its identity, its directory relative to
 * the comparison's, and the summary of its report. */
static cJSON *
run_entry (const RsimSimConfig *config, const char *rel,
           const char *report_json)
{
  cJSON *parsed = cJSON_Parse (report_json);
  cJSON *entry = cJSON_CreateObject ();
  cJSON_AddStringToObject (entry, "scheduler",
                           rsim_scheduler_kind_name (config->scheduler));
  cJSON_AddItemToObject (entry, "seed", rsim__json_uint (config->seed));
  cJSON_AddStringToObject (entry, "dir", rel);
  cJSON *summary = cJSON_DetachItemFromObject (parsed, "summary");
  cJSON_AddItemToObject (entry, "summary", summary);
  cJSON_Delete (parsed);
  return entry;
}

static void
add_to_row (Row *row, const RsimResult *result)
{
  for (int id = 0; id < RSIM_N_METRICS; id++)
    if (rsim_metrics[id].flags & RSIM_METRIC_IN_COMPARE)
      row->sum[id] += rsim_metric_value (result, id);
  if (row->n++ == 0)
    for (guint v = 0; v < result->n_vertices; v++)
      g_string_append_printf (row->parallelism, "%s%s %d", v ? ", " : "",
                              result->vertex_names[v],
                              result->final_parallelism[v]);
}

RsimCompare *
rsim_harness_compare (const RsimScenario *scenario,
                      const RsimSchedulerKind *kinds, guint n_kinds,
                      guint n_seeds, const char *out_dir, GError **error)
{
  g_return_val_if_fail (scenario != NULL && out_dir != NULL, NULL);
  g_return_val_if_fail (n_seeds >= 1, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (!check_schedulers (scenario, kinds, n_kinds, error))
    return NULL;

  g_autoptr (RsimCompare) c = g_new0 (RsimCompare, 1);
  c->name = g_strdup (scenario->name);
  c->version = scenario->config.version;
  c->n_seeds = n_seeds;
  c->n_rows = n_kinds;
  c->rows = g_new0 (Row, MAX (n_kinds, 1));

  cJSON *root = cJSON_CreateObject ();
  cJSON_AddStringToObject (root, "schema", RSIM_COMPARE_SCHEMA);
  cJSON *sc = cJSON_AddObjectToObject (root, "scenario");
  cJSON_AddStringToObject (sc, "name", scenario->name);
  cJSON_AddStringToObject (sc, "description", scenario->description);
  cJSON *runs = cJSON_AddArrayToObject (root, "runs");

  gboolean ok = TRUE;
  for (guint i = 0; i < n_kinds && ok; i++) {
    Row *row = &c->rows[i];
    row->scheduler = kinds[i];
    row->parallelism = g_string_new (NULL);
    for (guint s = 0; s < n_seeds && ok; s++) {
      RsimSimConfig config;
      rsim_sim_config_copy (&config, &scenario->config);
      config.scheduler = row->scheduler;
      config.seed = scenario->config.seed + s;
      g_autofree char *rel =
        g_strdup_printf ("%s/seed-%" G_GUINT64_FORMAT,
                         rsim_scheduler_kind_name (row->scheduler),
                         config.seed);
      g_autofree char *dir = g_build_filename (out_dir, rel, NULL);
      g_auto (RsimHarnessRun) run = { 0 };
      GError *inner = NULL;
      ok = rsim_harness_run_one (scenario, &config, dir,
                                 RSIM_HARNESS_RUN_DEFAULT, &run, &inner);
      if (ok) {
        cJSON_AddItemToArray (runs, run_entry (&config, rel,
                                               run.report_json));
        add_to_row (row, run.result);
      } else if (inner->domain == RSIM_SIM_ERROR) {
        /* Name the scheduler whose run failed. */
        g_propagate_prefixed_error (error, inner, "%s: ",
                                    rsim_scheduler_kind_name (row->scheduler));
      } else {
        g_propagate_error (error, inner);
      }
      rsim_sim_config_clear (&config);
    }
  }

  if (ok) {
    /* Printed like report.json: compact, then re-indented by two spaces
     * (numbers stay the text they were written as). */
    char *compact = cJSON_PrintUnformatted (root);
    c->json = rsim__json_pretty (compact);
    cJSON_free (compact);
    g_autofree char *path = g_build_filename (out_dir, RSIM_COMPARE_FILE,
                                              NULL);
    GError *inner = NULL;
    if (!rsim__write_file (path, c->json, FALSE, &inner)) {
      g_set_error_literal (error, RSIM_HARNESS_ERROR,
                           RSIM_HARNESS_ERROR_OUTPUT, inner->message);
      g_error_free (inner);
      ok = FALSE;
    }
  }
  cJSON_Delete (root);
  return ok ? g_steal_pointer (&c) : NULL;
}

/* A compare column: seconds to the millisecond, records whole, counts in
 * the report's number format (a mean over seeds may have a fraction). */
static int
column_width (const RsimMetricInfo *m)
{
  if (g_str_equal (m->unit, "s"))
    return 13;
  if (g_str_equal (m->unit, "records"))
    return 14;
  return 9;
}

static void
column_value (char *buf, const RsimMetricInfo *m, double v)
{
  if (g_str_equal (m->unit, "s"))
    g_ascii_formatd (buf, RSIM_REPORT_NUMBER_SIZE, "%.3f", v);
  else if (g_str_equal (m->unit, "records"))
    g_ascii_formatd (buf, RSIM_REPORT_NUMBER_SIZE, "%.0f", v);
  else
    rsim_report_format_double (buf, v);
}

void
rsim_compare_print (FILE *out, const RsimCompare *c)
{
  g_return_if_fail (out != NULL && c != NULL);
  fprintf (out, "%s (Flink %d.%d), %u seed%s per scheduler%s\n\n", c->name,
           c->version.major, c->version.minor, c->n_seeds,
           c->n_seeds == 1 ? "" : "s",
           c->n_seeds > 1 ? "; means over seeds" : "");
  fprintf (out, "%-10s", "scheduler");
  for (int id = 0; id < RSIM_N_METRICS; id++) {
    const RsimMetricInfo *m = &rsim_metrics[id];
    if (!(m->flags & RSIM_METRIC_IN_COMPARE))
      continue;
    g_autofree char *title = g_str_equal (m->unit, "s")
      ? g_strdup_printf ("%s (s)", m->label) : g_strdup (m->label);
    fprintf (out, " %*s", column_width (m), title);
  }
  fprintf (out, "  %s\n", "final parallelism");
  for (guint i = 0; i < c->n_rows; i++) {
    const Row *row = &c->rows[i];
    double n = row->n ? row->n : 1;
    fprintf (out, "%-10s", rsim_scheduler_kind_name (row->scheduler));
    for (int id = 0; id < RSIM_N_METRICS; id++) {
      const RsimMetricInfo *m = &rsim_metrics[id];
      if (!(m->flags & RSIM_METRIC_IN_COMPARE))
        continue;
      char buf[RSIM_REPORT_NUMBER_SIZE];
      column_value (buf, m, row->sum[id] / n);
      fprintf (out, " %*s", column_width (m), buf);
    }
    fprintf (out, "  %s\n", row->parallelism->str);
  }
}
