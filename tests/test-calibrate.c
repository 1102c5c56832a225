/* Tests of rescalesim calibrate: statistics generated from known cost
 * parameters (with noise) give those parameters back within the fit's
 * stated uncertainty; too few points, responses of Flink versions that lack
 * a needed field and unknown responses are refused; the costs object loads
 * as a scenario's "costs". */
#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <rescalesim/calibrate.h>
#include <rescalesim/scenario.h>

/* The truth the statistics are drawn from. */
#define CKPT_FIXED_US 150e3
#define CKPT_BW 50e6             /* bytes/s */
#define RESTORE_FIXED_US 300e3
#define RESTORE_BW 25e6
#define DEPLOY_US 120e3

static void
add_json (RsimCalibration *cal, cJSON *root, const char *name)
{
  char *text = cJSON_PrintUnformatted (root);
  GError *error = NULL;
  cr_assert (rsim_calibration_add (cal, text, strlen (text), name, &error), "%s",
             error ? error->message : "?");
  cJSON_free (text);
  cJSON_Delete (root);
}

/* GET .../checkpoints/details/:id/subtasks/:vertexid of a vertex with n
 * subtasks, sizes spread from 20 MB to about 400 MB. */
static cJSON *
checkpoint_subtasks (gsl_rng *r, int id, int n, double noise_us)
{
  cJSON *root = cJSON_CreateObject ();
  cJSON_AddNumberToObject (root, "id", id);
  cJSON_AddStringToObject (root, "status", "COMPLETED");
  cJSON *subs = cJSON_AddArrayToObject (root, "subtasks");
  for (int i = 0; i < n; i++) {
    double state = 20e6 + 380e6 * gsl_rng_uniform (r);
    double total_us = CKPT_FIXED_US + state / CKPT_BW * 1e6
      + gsl_ran_gaussian (r, noise_us);
    double sync_ms = floor (total_us / 1e3 * 0.05);
    double async_ms = floor (total_us / 1e3) - sync_ms;
    cJSON *s = cJSON_CreateObject ();
    cJSON_AddNumberToObject (s, "index", i);
    cJSON_AddStringToObject (s, "status", "completed");
    cJSON_AddNumberToObject (s, "ack_timestamp", 1700000000000.0 + i);
    cJSON_AddNumberToObject (s, "end_to_end_duration", sync_ms + async_ms + 3);
    cJSON_AddNumberToObject (s, "state_size", floor (state));
    cJSON_AddNumberToObject (s, "checkpointed_size", floor (state / 4));
    cJSON *ck = cJSON_AddObjectToObject (s, "checkpoint");
    cJSON_AddNumberToObject (ck, "sync", sync_ms);
    cJSON_AddNumberToObject (ck, "async", async_ms);
    cJSON *al = cJSON_AddObjectToObject (s, "alignment");
    cJSON_AddNumberToObject (al, "buffered", 0);
    cJSON_AddNumberToObject (al, "duration", 1);
    cJSON_AddNumberToObject (s, "start_delay", 2);
    cJSON_AddBoolToObject (s, "unaligned_checkpoint", FALSE);
    cJSON_AddBoolToObject (s, "aborted", FALSE);
    cJSON_AddItemToArray (subs, s);
  }
  return root;
}

/* GET /jobs/:jobid/vertices/:vertexid/subtasktimes after a restore of
 * state_per_subtask bytes each. */
static cJSON *
subtask_times (gsl_rng *r, const char *vertex, int n, double state_per_subtask,
               gboolean initializing)
{
  cJSON *root = cJSON_CreateObject ();
  cJSON_AddStringToObject (root, "id", vertex);
  cJSON_AddStringToObject (root, "name", vertex);
  cJSON_AddNumberToObject (root, "now", 1700000100000.0);
  cJSON *subs = cJSON_AddArrayToObject (root, "subtasks");
  for (int i = 0; i < n; i++) {
    double deploying = 1700000000000.0 + 10 * i;
    double init = deploying + floor ((DEPLOY_US + gsl_ran_gaussian (r, 10e3)) / 1e3);
    double running = init + floor ((RESTORE_FIXED_US + state_per_subtask / RESTORE_BW * 1e6
                                    + gsl_ran_gaussian (r, 50e3)) / 1e3);
    cJSON *s = cJSON_CreateObject ();
    cJSON_AddNumberToObject (s, "subtask", i);
    cJSON_AddStringToObject (s, "endpoint", "tm-1:6122");
    cJSON_AddNumberToObject (s, "duration", running - deploying);
    cJSON *ts = cJSON_AddObjectToObject (s, "timestamps");
    cJSON_AddNumberToObject (ts, "CREATED", deploying - 20);
    cJSON_AddNumberToObject (ts, "SCHEDULED", deploying - 10);
    cJSON_AddNumberToObject (ts, "DEPLOYING", deploying);
    if (initializing)
      cJSON_AddNumberToObject (ts, "INITIALIZING", init);
    cJSON_AddNumberToObject (ts, "RUNNING", running);
    cJSON_AddItemToArray (subs, s);
  }
  return root;
}

/* GET .../checkpoints/details/:id with vertices a, b, c. */
static cJSON *
checkpoint_details (int id, double scale)
{
  static const struct { const char *id; double state; int n; } v[] = {
    { "a", 0, 4 }, { "b", 800e6, 8 }, { "c", 1200e6, 4 },
  };
  cJSON *root = cJSON_CreateObject ();
  cJSON_AddNumberToObject (root, "id", id);
  cJSON_AddStringToObject (root, "status", "COMPLETED");
  cJSON *tasks = cJSON_AddObjectToObject (root, "tasks");
  for (guint i = 0; i < G_N_ELEMENTS (v); i++) {
    cJSON *t = cJSON_AddObjectToObject (tasks, v[i].id);
    cJSON_AddNumberToObject (t, "state_size", v[i].state * scale);
    cJSON_AddNumberToObject (t, "num_subtasks", v[i].n);
    cJSON_AddNumberToObject (t, "num_acknowledged_subtasks", v[i].n);
  }
  return root;
}

static cJSON *
overview (int restored)
{
  cJSON *root = cJSON_CreateObject ();
  cJSON *counts = cJSON_AddObjectToObject (root, "counts");
  cJSON_AddNumberToObject (counts, "restored", 1);
  cJSON *latest = cJSON_AddObjectToObject (root, "latest");
  cJSON *r = cJSON_AddObjectToObject (latest, "restored");
  cJSON_AddNumberToObject (r, "id", restored);
  cJSON_AddBoolToObject (r, "is_savepoint", FALSE);
  cJSON_AddArrayToObject (root, "history");
  return root;
}

static const RsimFittedCost *
cost (const RsimCalibration *cal, const char *name)
{
  for (guint i = 0; i < rsim_calibration_n_costs (cal); i++)
    if (strcmp (rsim_calibration_cost (cal, i)->name, name) == 0)
      return rsim_calibration_cost (cal, i);
  cr_assert_fail ("%s was not fitted", name);
  return NULL;
}

/* The fit must find the truth within 3 of its standard errors, and the
 * standard error must be small enough for that to mean something. */
static void
expect_recovered (const RsimCalibration *cal, const char *name, double truth)
{
  const RsimFittedCost *c = cost (cal, name);
  cr_expect_leq (fabs (c->value - truth), 3 * c->stddev,
                 "%s: fitted %g +- %g, truth %g", name, c->value, c->stddev, truth);
  cr_expect_gt (c->stddev, 0.0);
  cr_expect_lt (c->stddev, 0.15 * truth, "%s: uncertainty %g too large", name, c->stddev);
}

static RsimCalibration *
generated (void)
{
  gsl_rng *r = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (r, 20261202);
  RsimCalibration *cal = rsim_calibration_new ();
  for (int ck = 1; ck <= 4; ck++)
    add_json (cal, checkpoint_subtasks (r, ck, 10, 30e3), "subtasks.json");
  add_json (cal, overview (7), "checkpoints.json");
  add_json (cal, checkpoint_details (7, 1.0), "details-7.json");
  add_json (cal, checkpoint_details (8, 1.5), "details-8.json");
  add_json (cal, subtask_times (r, "a", 4, 0, TRUE), "times-a.json");
  add_json (cal, subtask_times (r, "b", 8, 100e6, TRUE), "times-b.json");
  add_json (cal, subtask_times (r, "c", 4, 300e6, TRUE), "times-c.json");
  gsl_rng_free (r);
  return cal;
}

Test (calibrate, recovers_known_parameters)
{
  g_autoptr (RsimCalibration) cal = generated ();
  GError *error = NULL;
  cr_assert (rsim_calibration_fit (cal, &error), "%s", error ? error->message : "?");
  cr_expect_eq (rsim_calibration_n_costs (cal), 5);
  expect_recovered (cal, "checkpoint_fixed", CKPT_FIXED_US);
  expect_recovered (cal, "checkpoint_upload_bandwidth", CKPT_BW);
  expect_recovered (cal, "restore_fixed", RESTORE_FIXED_US);
  expect_recovered (cal, "state_download_bandwidth", RESTORE_BW);
  /* The timestamps are whole milliseconds: the mean is 0.5 ms low. */
  expect_recovered (cal, "deploy_fixed", DEPLOY_US - 500);
  cr_expect_eq (cost (cal, "checkpoint_upload_bandwidth")->n_points, 40);
  cr_expect_eq (cost (cal, "restore_fixed")->n_points, 16);

  g_autofree char *report = rsim_calibration_report (cal);
  cr_expect (strstr (report, "Residuals of the checkpoint fit") != NULL);
  cr_expect (strstr (report, "times-c.json subtasks[3]: state 300.00 MB") != NULL, "%s", report);
}

Test (calibrate, costs_object_loads_in_a_scenario)
{
  g_autoptr (RsimCalibration) cal = generated ();
  cr_assert (rsim_calibration_fit (cal, NULL));
  g_autofree char *costs = rsim_calibration_costs_json (cal);
  g_autofree char *text = g_strdup_printf (
    "{\"name\": \"t\", \"duration\": \"10 min\", \"flink\": {\"version\": \"1.20\"},"
    " \"cluster\": {\"taskmanagers\": 1}, \"job\": {\"vertices\": [{\"name\": \"v\","
    " \"capacity\": 100}]}, \"workload\": {\"rate\": 10}, \"costs\": %s}", costs);
  GError *error = NULL;
  g_autoptr (RsimScenario) sc = rsim_scenario_load_data (text, strlen (text), "c.json", &error);
  cr_assert_not_null (sc, "%s", error ? error->message : "?");
  const RsimFittedCost *bw = cost (cal, "checkpoint_upload_bandwidth");
  cr_expect_float_eq (sc->config.costs.checkpoint_upload_bandwidth.a, round (bw->value), 0.5);
  const RsimFittedCost *fixed = cost (cal, "checkpoint_fixed");
  cr_expect_float_eq (sc->config.costs.checkpoint_fixed.a, round (fixed->value), 0.5);
}

Test (calibrate, too_few_points_refused)
{
  gsl_rng *r = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr (RsimCalibration) cal = rsim_calibration_new ();
  add_json (cal, checkpoint_subtasks (r, 1, 2, 30e3), "two.json");
  GError *error = NULL;
  cr_expect_not (rsim_calibration_fit (cal, &error));
  cr_expect_str_eq (error->message, "too few statistics to fit the checkpoint costs: 2 "
                    "points; a line with an uncertainty needs at least 3 points with at "
                    "least two different state sizes");
  g_clear_error (&error);

  g_autoptr (RsimCalibration) none = rsim_calibration_new ();
  add_json (none, overview (1), "checkpoints.json");
  cr_expect_not (rsim_calibration_fit (none, &error));
  cr_expect (g_str_has_prefix (error->message, "nothing to fit"), "%s", error->message);
  g_clear_error (&error);

  /* One vertex without state: the restore line has no slope to fit. */
  g_autoptr (RsimCalibration) flat = rsim_calibration_new ();
  add_json (flat, checkpoint_details (7, 1.0), "details.json");
  add_json (flat, subtask_times (r, "a", 4, 0, TRUE), "times-a.json");
  cr_expect_not (rsim_calibration_fit (flat, &error));
  cr_expect_str_eq (error->message, "too few statistics to fit the restore costs: 4 points, "
                    "all with the same state size; a line with an uncertainty needs at "
                    "least 3 points with at least two different state sizes");
  g_clear_error (&error);
  gsl_rng_free (r);
}

Test (calibrate, unsupported_versions_and_shapes_refused)
{
  gsl_rng *r = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr (RsimCalibration) cal = rsim_calibration_new ();
  cJSON *old = subtask_times (r, "a", 2, 0, FALSE);
  char *text = cJSON_PrintUnformatted (old);
  GError *error = NULL;
  cr_expect_not (rsim_calibration_add (cal, text, strlen (text), "old.json", &error));
  cr_expect_str_eq (error->message, "old.json: subtasks[0].timestamps: no INITIALIZING "
                    "timestamp: this looks like Flink 1.11 or older, whose subtasks go from "
                    "DEPLOYING straight to RUNNING; calibrate needs Flink 1.12 or later "
                    "(FLINK-17012) to tell deployment from state restore");
  g_clear_error (&error);
  cJSON_free (text);
  cJSON_Delete (old);

  const char *no_async = "{\"id\": 3, \"subtasks\": [{\"index\": 0, \"status\": \"completed\","
                         " \"state_size\": 10, \"checkpointed_size\": 5, \"checkpoint\": {\"sync\": 1}}]}";
  cr_expect_not (rsim_calibration_add (cal, no_async, strlen (no_async), "s.json", &error));
  cr_expect_str_eq (error->message, "s.json: subtasks[0]: no checkpoint.sync and "
                    "checkpoint.async durations (this looks like Flink 1.15 or later; they "
                    "are in every version from 1.5)");
  g_clear_error (&error);

  const char *other = "{\"jobs\": []}";
  cr_expect_not (rsim_calibration_add (cal, other, strlen (other), "jobs.json", &error));
  cr_expect (g_str_has_prefix (error->message, "jobs.json: not a response calibrate reads"));
  g_clear_error (&error);

  const char *broken = "{\"id\": 3,\n \"subtasks\": [}";
  cr_expect_not (rsim_calibration_add (cal, broken, strlen (broken), "b.json", &error));
  cr_expect_str_eq (error->message, "b.json:2:15: invalid JSON");
  g_clear_error (&error);
  gsl_rng_free (r);
}
