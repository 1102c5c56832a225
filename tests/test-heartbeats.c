/* The analytic heartbeat model against the per-heartbeat one
 * (RsimSimConfig.exact_heartbeats, `run --exact-heartbeats`): both must write
 * byte-identical report.json, events.jsonl and timeseries.csv for every
 * bundled scenario under each of its schedulers, and for 200 small
 * scenarios drawn at random (seeded here): kills (RPCs timing out or
 * refused), hangs, graceful stops and added TaskManagers at arbitrary
 * microseconds, random heartbeat settings and RPC-failure thresholds,
 * standalone or active resource managers, MTBF failures, on Flink versions
 * on both sides of the 1.14 and 1.15 heartbeat rules. */
#include <criterion/criterion.h>

#include <string.h>

#include <glib/gstdio.h>
#include <rescalesim/harness.h>

#include "random-scenario.h"
#include "test-files.h"

static char *workdir;

static void
setup (void)
{
  g_autoptr (GError) error = NULL;
  workdir = g_dir_make_tmp ("rsim-test-heartbeats-XXXXXX", &error);
  cr_assert_not_null (workdir, "%s", error ? error->message : "?");
}

static void
teardown (void)
{
  if (workdir != NULL)
    rm_rf (workdir);
  g_clear_pointer (&workdir, g_free);
}

static const char *const files[] = { "report.json", "events.jsonl",
                                     "timeseries.csv" };

/* Runs sc under `scheduler` in both models and compares the files. Returns
 * the exact run's heartbeat answer events (the analytic run has none). */
static gint64
both_models (const RsimScenario *sc, RsimSchedulerKind scheduler,
             const char *label)
{
  guint64 events[2] = { 0, 0 };
  char *dirs[2];
  for (int exact = 0; exact <= 1; exact++) {
    RsimSimConfig c;
    rsim_sim_config_copy (&c, &sc->config);
    c.scheduler = scheduler;
    c.exact_heartbeats = exact;
    dirs[exact] = g_build_filename (workdir, exact ? "exact" : "analytic", NULL);
    rm_rf (dirs[exact]);
    g_autoptr (GError) error = NULL;
    g_auto (RsimHarnessRun) run = { 0 };
    cr_assert (rsim_harness_run_one (sc, &c, dirs[exact],
                                     RSIM_HARNESS_RUN_DEFAULT, &run, &error),
               "%s: %s", label, error ? error->message : "?");
    events[exact] = run.result->heartbeat_events;
    rsim_sim_config_clear (&c);
  }
  for (guint i = 0; i < G_N_ELEMENTS (files); i++) {
    g_autofree char *a = g_build_filename (dirs[0], files[i], NULL);
    g_autofree char *b = g_build_filename (dirs[1], files[i], NULL);
    g_autofree char *ta = NULL, *tb = NULL;
    gsize la = 0, lb = 0;
    cr_assert (g_file_get_contents (a, &ta, &la, NULL), "%s: %s", label, a);
    cr_assert (g_file_get_contents (b, &tb, &lb, NULL), "%s: %s", label, b);
    gsize at = 0;
    while (at < la && at < lb && ta[at] == tb[at])
      at++;
    cr_assert (la == lb && at == la,
               "%s: %s differs at byte %" G_GSIZE_FORMAT ":\nanalytic: %.200s\n"
               "exact:    %.200s", label, files[i], at, ta + at, tb + at);
  }
  g_free (dirs[0]);
  g_free (dirs[1]);
  cr_assert_eq (events[0], 0, "%s", label);
  return (gint64) events[1];
}

Test (heartbeats, bundled_scenarios_are_identical_in_both_models,
      .init = setup, .fini = teardown)
{
  const char *root = g_getenv ("RSIM_SOURCE_ROOT");
  g_autofree char *dir = g_build_filename (root ? root : ".", "scenarios", NULL);
  GDir *d = g_dir_open (dir, 0, NULL);
  cr_assert_not_null (d, "%s", dir);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));
  g_dir_close (d);
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  cr_assert_gt (names->len, 5);
  guint runs = 0;
  for (guint i = 0; i < names->len; i++) {
    g_autofree char *path = g_build_filename (dir, names->pdata[i], NULL);
    g_autoptr (GError) error = NULL;
    g_autoptr (RsimScenario) sc = rsim_scenario_load_file (path, &error);
    cr_assert_not_null (sc, "%s: %s", path, error ? error->message : "?");
    guint n = MAX (sc->n_schedulers, 1);
    for (guint k = 0; k < n; k++) {
      RsimSchedulerKind s = sc->n_schedulers ? sc->schedulers[k]
                                             : sc->config.scheduler;
      g_autofree char *label = g_strdup_printf (
        "%s %s", (char *) names->pdata[i], rsim_scheduler_kind_name (s));
      both_models (sc, s, label);
      runs++;
    }
  }
  cr_assert_gt (runs, names->len);
}

Test (heartbeats, random_scenarios_are_identical_in_both_models,
      .init = setup, .fini = teardown)
{
  GRand *r = g_rand_new_with_seed (12);
  gint64 saved = 0;
  for (guint i = 0; i < 200; i++) {
    RsimSchedulerKind scheduler;
    g_autofree char *json = random_scenario (r, i, &scheduler);
    g_autoptr (GError) error = NULL;
    g_autoptr (RsimScenario) sc = rsim_scenario_load_data (json, strlen (json),
                                                           "random", &error);
    cr_assert_not_null (sc, "%s\n%s", error ? error->message : "?", json);
    g_autofree char *label = g_strdup_printf ("random-%u %s\n%s", i,
      rsim_scheduler_kind_name (scheduler), json);
    saved += both_models (sc, scheduler, label);
  }
  g_rand_free (r);
  /* The exact model did run its heartbeat events. */
  cr_assert_gt (saved, 0);
}
