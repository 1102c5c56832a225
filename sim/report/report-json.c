/* report.json: the versioned, machine-readable report of one run.
 *
 * The report is assembled as a cJSON tree (objects keep insertion order, so
 * the key order is the order of the code below), printed compactly and
 * re-indented by rsim__json_pretty(). Every number enters the tree as raw
 * text made by the report's own formatters (report.h), so neither cJSON's
 * number printing nor the locale can change a byte. The resolved
 * configuration comes from the scenario layer as JSON text and is embedded
 * as raw text too, after checking that it parses as an object.
 *
 * The report holds no wall-clock figure and no path: the same scenario and
 * seed give a byte-identical report. */
#include "report/report-internal.h"

#include <math.h>

#include <cjson/cJSON.h>

#include <rescalesim/report.h>


static cJSON *
json_string (const char *text)
{
  if (text == NULL)
    return cJSON_CreateNull ();
  g_autofree char *fixed = NULL;
  return cJSON_CreateString (rsim__utf8_valid (text, &fixed));
}

/* v, or null when v < 0 (the "unknown" convention of RsimResult). */
static cJSON *
json_double_or_null (double v)
{
  return v < 0 ? cJSON_CreateNull () : rsim__json_number (v);
}

static cJSON *
json_time (RsimTime t)
{
  char buf[RSIM_REPORT_NUMBER_SIZE];
  if (t == RSIM_TIME_NEVER)
    return cJSON_CreateNull ();
  return cJSON_CreateRaw (rsim_report_format_time (buf, t));
}

static cJSON *
json_string_array (const GPtrArray *strings)
{
  cJSON *a = cJSON_CreateArray ();
  for (guint i = 0; strings != NULL && i < strings->len; i++)
    cJSON_AddItemToArray (a, json_string (g_ptr_array_index (strings, i)));
  return a;
}

static void
add (cJSON *obj, const char *key, cJSON *item)
{
  cJSON_AddItemToObject (obj, key, item);
}

static cJSON *
build_run (const RsimSimConfig *config, const RsimResult *result)
{
  g_autofree char *version = rsim_version_to_string (config->version);
  cJSON *run = cJSON_CreateObject ();
  add (run, "scheduler",
       cJSON_CreateString (rsim_scheduler_kind_name (config->scheduler)));
  add (run, "seed", rsim__json_uint (config->seed));
  add (run, "flink_version", json_string (version));
  add (run, "duration_s", json_time (config->duration));
  add (run, "events_processed", rsim__json_uint (result->events_processed));
  return run;
}

/* Vertices in job-graph order, which is the scenario's order. */
static cJSON *
build_parallelism (const RsimResult *r)
{
  cJSON *par = cJSON_CreateObject ();
  for (guint i = 0; i < r->n_vertices; i++) {
    g_autofree char *fixed = NULL;
    const char *name = rsim__utf8_valid (r->vertex_names[i], &fixed);
    add (par, name, rsim__json_int (r->final_parallelism[i]));
  }
  return par;
}

/* The metrics of the list (metrics.h) that belong in report.json, in the
 * list's order. */
static cJSON *
build_summary (const RsimResult *r)
{
  cJSON *s = cJSON_CreateObject ();
  for (int id = 0; id < RSIM_N_METRICS; id++) {
    const RsimMetricInfo *m = &rsim_metrics[id];
    if (!(m->flags & RSIM_METRIC_IN_REPORT))
      continue;
    double v = rsim_metric_value (r, id);
    cJSON *item = NULL;
    switch (m->type) {
    case RSIM_METRIC_DOUBLE: item = rsim__json_number (v); break;
    case RSIM_METRIC_OPTIONAL: item = json_double_or_null (v); break;
    case RSIM_METRIC_UINT:
    case RSIM_METRIC_COUNT: item = rsim__json_uint ((guint64) v); break;
    case RSIM_METRIC_STATE: item = json_string (r->final_state); break;
    case RSIM_METRIC_PARALLELISM: item = build_parallelism (r); break;
    }
    add (s, m->name, item);
  }
  return s;
}

static cJSON *
build_incident (const RsimIncident *inc)
{
  cJSON *o = cJSON_CreateObject ();
  add (o, "start_s", json_time (inc->start));
  add (o, "end_s", json_time (inc->end));
  add (o, "cause", json_string (inc->cause));
  add (o, "downtime_s", rsim__json_number (inc->downtime_s));
  add (o, "capacity_loss_s", rsim__json_number (inc->capacity_loss_s));
  add (o, "job_stops", rsim__json_uint (inc->job_stops));
  add (o, "restarts", rsim__json_uint (inc->restarts));
  add (o, "failed_deployments", rsim__json_uint (inc->failed_deployments));
  add (o, "reprocessed_records", rsim__json_number (inc->reprocessed_records));
  add (o, "lag_at_end", rsim__json_number (inc->lag_at_end));
  add (o, "catch_up_s", json_double_or_null (inc->catch_up_s));
  add (o, "decisions", json_string_array (inc->decisions));
  return o;
}

/* Per vertex (job-graph order), the slowest subtask restore of the run and
 * its parts, so a reader sees what a rescale or recovery paid for: bytes
 * downloaded, clipping or re-inserting keys, changelog replay. Vertices
 * without state, or never restored, are left out. */
static cJSON *
build_restores (const RsimResult *r)
{
  cJSON *o = cJSON_CreateObject ();
  for (guint i = 0; r->vertex_restore != NULL && i < r->n_vertices; i++) {
    const RsimVertexRestore *vr = &r->vertex_restore[i];
    if (vr->subtask < 0)
      continue;
    g_autofree char *fixed = NULL;
    const char *name = rsim__utf8_valid (r->vertex_names[i], &fixed);
    cJSON *v = cJSON_CreateObject ();
    add (v, "restores", rsim__json_uint (vr->restores));
    add (v, "slowest_subtask", rsim__json_int (vr->subtask));
    add (v, "handles", rsim__json_int (vr->handles));
    add (v, "downloaded_bytes", rsim__json_number (vr->bytes));
    add (v, "restore_s", rsim__json_number (vr->total_s));
    add (v, "download_s", rsim__json_number (vr->download_s));
    add (v, "rebuild_s", rsim__json_number (vr->rebuild_s));
    add (v, "replay_s", rsim__json_number (vr->replay_s));
    add (o, name, v);
  }
  return o;
}

/* The scenario layer's canonical configuration, embedded verbatim once it
 * is known to be a JSON object; null (with a critical warning: a bug of the
 * scenario layer) otherwise. */
static cJSON *
build_config (const RsimScenario *scenario, const RsimSimConfig *config)
{
  g_autofree char *text = rsim_scenario_config_to_json (scenario, config);
  if (text == NULL) {
    g_critical ("rsim_scenario_config_to_json() returned NULL");
    return cJSON_CreateNull ();
  }
  g_autoptr (cJSON) parsed = cJSON_Parse (text);
  if (parsed == NULL || !cJSON_IsObject (parsed)) {
    g_critical ("rsim_scenario_config_to_json() did not return a JSON object");
    return cJSON_CreateNull ();
  }
  return cJSON_CreateRaw (text);
}

char *
rsim_report_build_json (const RsimScenario *scenario,
                        const RsimSimConfig *config, const RsimResult *result)
{
  g_return_val_if_fail (scenario != NULL, NULL);
  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (result != NULL, NULL);

  g_autoptr (cJSON) root = cJSON_CreateObject ();
  add (root, "schema", cJSON_CreateString (RSIM_REPORT_SCHEMA));

  cJSON *sc = cJSON_CreateObject ();
  add (sc, "name", json_string (scenario->name));
  add (sc, "description",
       json_string (scenario->description ? scenario->description : ""));
  add (root, "scenario", sc);

  add (root, "run", build_run (config, result));
  add (root, "summary", build_summary (result));

  cJSON *incidents = cJSON_CreateArray ();
  for (guint i = 0; result->incidents != NULL && i < result->incidents->len;
       i++)
    cJSON_AddItemToArray (incidents,
                          build_incident (g_ptr_array_index (result->incidents,
                                                             i)));
  add (root, "incidents", incidents);
  add (root, "notes", json_string_array (result->notes));
  add (root, "restores", build_restores (result));

  add (root, "config", build_config (scenario, config));
  add (root, "warnings", json_string_array (scenario->warnings));

  char *compact = cJSON_PrintUnformatted (root);
  g_assert (compact != NULL);
  char *pretty = rsim__json_pretty (compact);
  cJSON_free (compact);
  return pretty;
}
