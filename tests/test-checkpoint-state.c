/* Tests of what a checkpoint costs per state backend (the checkpoint
 * coordinator's rsim_checkpoint_duration and the contents of its
 * snapshots): full uploads for the heap backend and RocksDB full
 * snapshots, the change since the previous checkpoint for incremental
 * RocksDB (full again after a rescale), only the fixed part for the
 * changelog backend, and the changelog a snapshot carries since the last
 * completed materialization. Instants are derived from the default costs. */
#include "test-model-fixture.h"

/* The keyed vertex of the fixture at parallelism 3 holds `state` bytes and
 * writes `rate` bytes/s. */
static void
state_world (World *f, const char *version, RsimStateBackend backend,
             gboolean incremental, double state, double rate)
{
  world_init (f, version, RSIM_SHIP_HASH, 3, 2);
  f->conf.state_backend = backend;
  f->conf.incremental_checkpoints = incremental;
  RsimVertexSpec *vs = &f->w.graph->spec.vertices[1];
  vs->state_bytes = state;
  vs->state_change_rate = rate;
}

static RsimTime
expected (const World *f, double upload_bytes)
{
  return (RsimTime) (f->costs.checkpoint_fixed.a
                     + upload_bytes / f->costs.checkpoint_upload_bandwidth.a * 1e6
                     + 0.5);
}

/* 128 key groups over 3 subtasks: the largest holds 43. */
Test (checkpoint_state, heap_and_full_rocksdb_upload_the_whole_state)
{
  const double state = 24e9, largest = state * 43 / 128;
  World f;
  state_world (&f, "1.20", RSIM_STATE_BACKEND_HASHMAP, FALSE, state, 10e6);
  cr_assert_eq (rsim_checkpoint_duration (f.w.checkpoints, FALSE),
                expected (&f, largest));
  world_clear (&f);
  state_world (&f, "1.20", RSIM_STATE_BACKEND_ROCKSDB, FALSE, state, 10e6);
  cr_assert_eq (rsim_checkpoint_duration (f.w.checkpoints, FALSE),
                expected (&f, largest));
  world_clear (&f);
}

/* Incremental RocksDB: the first checkpoint of a backend uploads all of it;
 * later ones what changed since the previous barrier (the largest
 * subtask's share of the change), never more than the state. */
Test (checkpoint_state, incremental_rocksdb_uploads_the_change)
{
  const double state = 24e9, rate = 30e6, largest = state * 43 / 128;
  World f;
  state_world (&f, "1.20", RSIM_STATE_BACKEND_ROCKSDB, TRUE, state, rate);
  RsimCheckpointCoordinator *cc = f.w.checkpoints;
  RsimSnapshot none = { 0 };
  rsim_checkpoint_backend_started (cc, &none, FALSE, 0);
  cr_assert_eq (rsim_checkpoint_duration (cc, FALSE), expected (&f, largest));
  /* A completed checkpoint at 40 s; the next one at 100 s uploads 60 s of
   * change. */
  cc->latest.valid = TRUE;
  cc->latest.barrier = 40 * RSIM_SEC;
  run_to (&f, 100 * RSIM_SEC);
  double change = rate * 60.0 * largest / state;
  cr_assert_eq (rsim_checkpoint_duration (cc, FALSE), expected (&f, change));
  /* A savepoint is full whatever came before. */
  cr_assert_eq (rsim_checkpoint_duration (cc, TRUE),
                (RsimTime) (f.costs.savepoint_fixed.a
                            + largest / f.costs.savepoint_upload_bandwidth.a * 1e6
                            + 0.5));
  /* Restored from that checkpoint without rescaling at 100 s: its files
   * count as uploaded, so at 130 s the increment runs from its barrier. */
  RsimSnapshot snap = cc->latest;
  rsim_checkpoint_backend_started (cc, &snap, FALSE, 100 * RSIM_SEC);
  run_to (&f, 130 * RSIM_SEC);
  change = rate * 90.0 * largest / state;
  cr_assert_eq (rsim_checkpoint_duration (cc, FALSE), expected (&f, change));
  /* Restored with rescaling: new databases, a full checkpoint. */
  rsim_checkpoint_backend_started (cc, &snap, TRUE, 130 * RSIM_SEC);
  cr_assert_eq (rsim_checkpoint_duration (cc, FALSE), expected (&f, largest));
  /* A change faster than the state: capped at the state. */
  f.w.graph->spec.vertices[1].state_change_rate = 1e12;
  rsim_checkpoint_backend_started (cc, &snap, FALSE, 130 * RSIM_SEC);
  cr_assert_eq (rsim_checkpoint_duration (cc, FALSE), expected (&f, largest));
  world_clear (&f);
}

/* The changelog backend and ForSt pay only the fixed part. */
Test (checkpoint_state, changelog_and_forst_checkpoints_cost_only_the_fixed_part)
{
  World f;
  state_world (&f, "1.20", RSIM_STATE_BACKEND_ROCKSDB, TRUE, 24e9, 30e6);
  f.conf.changelog_enabled = 1;
  cr_assert_eq (rsim_checkpoint_duration (f.w.checkpoints, FALSE),
                expected (&f, 0.0));
  world_clear (&f);
  state_world (&f, "2.0", RSIM_STATE_BACKEND_FORST, FALSE, 24e9, 30e6);
  cr_assert_eq (rsim_checkpoint_duration (f.w.checkpoints, FALSE),
                expected (&f, 0.0));
  world_clear (&f);
}

typedef struct {
  int n;
  RsimTime barrier[64];
  double changelog_s[64];
} Completed;

static void
on_completed (gpointer user, const RsimSnapshot *snap)
{
  Completed *c = user;
  if (c->n < 64) {
    c->barrier[c->n] = snap->barrier;
    c->changelog_s[c->n] = snap->changelog_s;
    c->n++;
  }
}

/* Materialization every 60 s, each taking changelog_materialization (5 s):
 * a barrier at t (since the backend started at 0) carries the change since
 * the last materialization completed by then, or everything since the
 * start (plus what the backend restored unmaterialized) before the first. */
Test (checkpoint_state, snapshots_carry_the_changelog_since_materialization)
{
  World f;
  state_world (&f, "1.20", RSIM_STATE_BACKEND_ROCKSDB, TRUE, 24e9, 30e6);
  f.conf.changelog_enabled = 1;
  f.conf.changelog_materialize_interval = 60 * RSIM_SEC;
  RsimCheckpointCoordinator *cc = f.w.checkpoints;
  int old_p[2] = { 3, 3 };
  RsimSnapshot restored = { .valid = TRUE, .barrier = 0, .layout = G_MAXUINT,
                            .parallelism = old_p, .n_vertices = 2,
                            .changelog_s = 7.5 };
  rsim_checkpoint_backend_started (cc, &restored, FALSE, 0);
  Completed done = { 0 };
  const RsimCheckpointListener l = { .completed = on_completed };
  rsim_checkpoint_subscribe (cc, &l, &done);
  rsim_checkpoint_start_scheduler (cc);
  run_to (&f, 5 * RSIM_MIN);
  cr_assert_geq (done.n, 20);
  RsimTime m = (RsimTime) f.costs.changelog_materialization.a;
  RsimTime interval = 60 * RSIM_SEC;
  gboolean before = FALSE, after = FALSE;
  for (int i = 0; i < done.n; i++) {
    RsimTime t = done.barrier[i];
    double want;
    if (t >= interval + m) {
      gint64 k = (t - m) / interval;
      want = RSIM_TIME_TO_SEC (t - k * interval);
      after = TRUE;
    } else {
      want = 7.5 + RSIM_TIME_TO_SEC (t);
      before = TRUE;
    }
    cr_expect_float_eq (done.changelog_s[i], want, 1e-9, "barrier %.6f s",
                        RSIM_TIME_TO_SEC (t));
  }
  cr_expect (before && after);
  world_clear (&f);
}

/* state.changelog.periodic-materialize.enabled false (1.19+): nothing is
 * ever materialized, so every snapshot carries all the change since the
 * backend started. */
Test (checkpoint_state, without_materialization_the_changelog_keeps_growing)
{
  World f;
  state_world (&f, "1.19", RSIM_STATE_BACKEND_ROCKSDB, TRUE, 24e9, 30e6);
  cr_assert_eq (f.conf.changelog_materialize_enabled, 1);
  f.conf.changelog_enabled = 1;
  f.conf.changelog_materialize_enabled = 0;
  f.conf.changelog_materialize_interval = 60 * RSIM_SEC;
  RsimCheckpointCoordinator *cc = f.w.checkpoints;
  RsimSnapshot none = { 0 };
  rsim_checkpoint_backend_started (cc, &none, FALSE, 0);
  Completed done = { 0 };
  const RsimCheckpointListener l = { .completed = on_completed };
  rsim_checkpoint_subscribe (cc, &l, &done);
  rsim_checkpoint_start_scheduler (cc);
  run_to (&f, 5 * RSIM_MIN);
  cr_assert_geq (done.n, 20);
  for (int i = 0; i < done.n; i++)
    cr_expect_float_eq (done.changelog_s[i], RSIM_TIME_TO_SEC (done.barrier[i]),
                        1e-9);
  world_clear (&f);
}
