/* Tests of the process lifecycle and the operations people run around a
 * job (issue 15): stop-with-savepoint without resubmission, a later
 * `submit` from a savepoint, a checkpoint or empty state, into the running
 * cluster or a fresh one (the JobManager's and the TaskManagers' start-up
 * costs where Flink pays them), under both kinds of scheduler. Instants
 * are derived from the default costs and asserted exactly. */
#include "fixture.h"

static RsimAction *
submit_at (RsimSimConfig *c, RsimTime at, RsimSubmitFrom from,
           gboolean new_cluster)
{
  RsimAction *a = add_action (c, at, RSIM_ACTION_SUBMIT);
  a->submit_from = from;
  a->new_cluster = new_cluster;
  a->count = 0;
  return a;
}

static RsimIncident *
incident (const RsimResult *r, guint i)
{
  cr_assert_lt (i, r->incidents->len, "only %u incidents", r->incidents->len);
  return r->incidents->pdata[i];
}

/* Stopped with a savepoint at 5 min and not resubmitted: FINISHED, nothing
 * processed and no downtime until the submit at 10 min. The submit into a
 * fresh cluster stops the old TaskManagers, starts a JobManager
 * (jobmanager_startup 10 s), then 4 TaskManagers (taskmanager_startup
 * 15 s): the job submitted at 610 s waits for their slots until 625 s,
 * deploys 4 tasks (50 ms + 4 x 0.86 ms) and restores the savepoint of empty
 * state (20 ms): processing at 625.07344 s, 15.07344 s of downtime counted
 * from the submission, nothing reprocessed. */
Test (lifecycle, stop_then_submit_into_a_new_cluster)
{
  const RsimSchedulerKind kinds[] = { RSIM_SCHEDULER_DEFAULT,
                                      RSIM_SCHEDULER_ADAPTIVE };
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++) {
    RsimSimConfig c;
    config_init (&c, "1.20", RSIM_SHIP_HASH, 2);
    c.scheduler = kinds[k];
    add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_STOP_WITH_SAVEPOINT);
    submit_at (&c, 10 * RSIM_MIN, RSIM_SUBMIT_FROM_LATEST_SAVEPOINT, TRUE);
    Capture cap = { g_string_new (NULL) };
    RsimResult *r = run (&c, &cap);
    const char *name = rsim_scheduler_kind_name (kinds[k]);
    cr_expect_str_eq (r->final_state, "RUNNING", "%s", name);
    cr_expect_float_eq (r->reprocessed_records, 0.0, 1e-9, "%s", name);
    cr_expect_not_null (strstr (cap.log->str, " FINISHED\n"), "%s", name);
    /* Between the stop and the submission: FINISHED, nothing processed. */
    cr_expect_not_null (strstr (cap.log->str, "S 540000000 1000 0 "), "%s: %s",
                        name, cap.log->str);
    /* Incident 0 is the stop's savepoint (500 ms with the sources stopped
     * while the job should still run). */
    cr_expect_eq (incident (r, 0)->end, 300500000, "%s", name);
    RsimIncident *inc = incident (r, 1);
    cr_expect_str_eq (inc->cause, "job submitted from latest_savepoint");
    if (kinds[k] == RSIM_SCHEDULER_DEFAULT) {
      cr_expect_eq (inc->start, 610 * RSIM_SEC, "%s", name);
      cr_expect_eq (inc->end, 625073440, "%s", name);
      cr_expect_float_eq (inc->downtime_s, 15.07344, 1e-9, "%s", name);
    } else {
      /* The adaptive scheduler waits for its resources and builds the
       * execution graph (4 x 31.5 us) once the TaskManagers register. */
      cr_expect_eq (inc->start, 610 * RSIM_SEC, "%s", name);
      cr_expect_eq (inc->end, 625073566, "%s", name);
    }
    cr_expect_not_null (strstr (cap.log->str, "cluster cluster_starting a new "
                                "cluster: 4 TaskManager(s) of the old one "
                                "stopped"), "%s", name);
    rsim_result_free (r);
    g_string_free (cap.log, TRUE);
    rsim_sim_config_clear (&c);
  }
}

/* A submit while the job runs is refused; a submit from the latest
 * checkpoint after a cancellation-free stop finds the retained checkpoint
 * and reprocesses the records after its barrier; one from empty state
 * starts at the sources' current position and notes the discarded state. */
Test (lifecycle, submit_sources_and_refusal)
{
  RsimSimConfig c;
  config_init (&c, "1.20", RSIM_SHIP_HASH, 2);
  c.job.vertices[1].state_bytes = 1e6;
  submit_at (&c, 2 * RSIM_MIN, RSIM_SUBMIT_FROM_EMPTY, FALSE);
  add_action (&c, 5 * RSIM_MIN, RSIM_ACTION_STOP_WITH_SAVEPOINT);
  submit_at (&c, 10 * RSIM_MIN, RSIM_SUBMIT_FROM_EMPTY, FALSE);
  Capture cap = { g_string_new (NULL) };
  RsimResult *r = run (&c, &cap);
  cr_expect_not_null (strstr (cap.log->str, "submit refused: the job is RUNNING"));
  cr_expect_eq (r->state_discards, 1);
  cr_expect_float_eq (r->reprocessed_records, 0.0, 1e-9);
  cr_expect_str_eq (r->final_state, "RUNNING");
  /* Submitted 1 s (job_submit) after the action, into the running cluster
   * (incident 0 is the stop's savepoint). */
  RsimIncident *inc = incident (r, 1);
  cr_expect_eq (inc->start, 601 * RSIM_SEC);
  rsim_result_free (r);
  g_string_free (cap.log, TRUE);
  rsim_sim_config_clear (&c);
}
