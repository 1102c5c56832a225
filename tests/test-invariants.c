/* The run invariants (sim/control/invariants.c): the checker catches each
 * kind of broken state on a bare world, and a few hundred random scenarios
 * (tests/random-scenario.h, all three schedulers) run with the checks on
 * after every event, each twice, to byte-identical reports. (`make test`
 * also sets RSIM_CHECK_INVARIANTS, so every bundled scenario the suites
 * run is checked too.) */
#include "test-model-fixture.h"

#include <rescalesim/report.h>
#include <rescalesim/scenario.h>

#include "control/invariants.h"
#include "random-scenario.h"

/* A world whose data flow has one region. */
static void
one_region_world (World *f)
{
  world_init (f, "1.20", RSIM_SHIP_HASH, 2, 2);
  const double share = 1.0, capacity = 1000.0;
  rsim_dataflow_set_regions (f->w.flow, 1, &share, &capacity);
}

static const char *
check_once (World *f, RsimInvariants *inv)
{
  rsim__invariants_after_step (f->w.engine, inv);
  return rsim__invariants_broken (inv);
}

Test (invariants, a_consistent_world_passes)
{
  World f;
  one_region_world (&f);
  RsimInvariants *inv = rsim__invariants_new (&f.w);
  run_to (&f, 10 * RSIM_SEC);
  cr_expect_null (check_once (&f, inv));
  rsim__invariants_free (inv);
  world_clear (&f);
}

Test (invariants, a_negative_backlog_is_caught)
{
  World f;
  one_region_world (&f);
  RsimInvariants *inv = rsim__invariants_new (&f.w);
  RsimDataflow *flow = f.w.flow;
  cr_assert_eq (flow->n_regions, 1);
  flow->consumed[0] = flow->produced[0] + 10.0;
  const char *why = check_once (&f, inv);
  cr_assert_not_null (why);
  cr_expect_not_null (strstr (why, "region 0 consumed"), "%s", why);
  cr_expect_not_null (strstr (why, "(a negative backlog)"), "%s", why);
  /* The first violation is kept. */
  flow->consumed[0] = flow->produced[0];
  cr_expect_str_eq (check_once (&f, inv), why);
  rsim__invariants_free (inv);
  world_clear (&f);
}

Test (invariants, counts_that_fall_are_caught)
{
  World f;
  one_region_world (&f);
  RsimInvariants *inv = rsim__invariants_new (&f.w);
  RsimDataflow *flow = f.w.flow;
  flow->processed = 100.0;
  flow->produced[0] += 100.0;
  flow->consumed[0] = 0.0;
  cr_assert_null (check_once (&f, inv));
  flow->processed = 50.0;
  const char *why = check_once (&f, inv);
  cr_assert_not_null (why);
  cr_expect_not_null (strstr (why, "records processed fell from 100 to 50"),
                      "%s", why);
  rsim__invariants_free (inv);
  world_clear (&f);
}

Test (invariants, a_negative_capacity_is_caught)
{
  World f;
  one_region_world (&f);
  RsimInvariants *inv = rsim__invariants_new (&f.w);
  f.w.flow->capacity[0] = -1.0;
  const char *why = check_once (&f, inv);
  cr_assert_not_null (why);
  cr_expect_not_null (strstr (why, "region 0 has capacity -1 rec/s"), "%s", why);
  rsim__invariants_free (inv);
  world_clear (&f);
}

/* 300 random scenarios, each run twice with the invariants checked after
 * every event: no run breaks one, and both runs give the same report. */
Test (invariants, random_scenarios_hold_them_and_rerun_identically,
      .timeout = 0)
{
  GRand *r = g_rand_new_with_seed (2026);
  guint kinds[3] = { 0, 0, 0 };
  for (guint i = 0; i < 300; i++) {
    RsimSchedulerKind scheduler;
    g_autofree char *json = random_scenario (r, i, &scheduler);
    g_autoptr (GError) error = NULL;
    g_autoptr (RsimScenario) sc = rsim_scenario_load_data (json, strlen (json),
                                                           "random", &error);
    cr_assert_not_null (sc, "%s\n%s", error ? error->message : "?", json);
    char *reports[2];
    for (int k = 0; k < 2; k++) {
      RsimSimConfig c;
      rsim_sim_config_copy (&c, &sc->config);
      c.scheduler = scheduler;
      c.check_invariants = TRUE;
      RsimResult *res = rsim_simulation_run (&c, NULL, &error);
      cr_assert_not_null (res, "random-%u %s: %s\n%s", i,
                          rsim_scheduler_kind_name (scheduler),
                          error ? error->message : "?", json);
      reports[k] = rsim_report_build_json (sc, &c, res);
      rsim_result_free (res);
      rsim_sim_config_clear (&c);
    }
    cr_assert_str_eq (reports[0], reports[1], "random-%u", i);
    g_free (reports[0]);
    g_free (reports[1]);
    kinds[scheduler]++;
  }
  g_rand_free (r);
  /* All three schedulers were drawn. */
  for (int k = 0; k < 3; k++)
    cr_expect_gt (kinds[k], 20, "scheduler %d drawn %u times", k, kinds[k]);
}
