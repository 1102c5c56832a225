/* Cost parameters: defaults and sampling.
 *
 * Default sources (the README's table "Cost defaults and where they come
 * from" lists the same):
 * - deploy_per_task 0.86 ms and graph_build_per_task 31.5 us on Flink 1.14+:
 *   Flink blog, "How we improved scheduler performance for large-scale
 *   jobs" (2022, FLINK-21110), 20,000 tasks deployed in 17.2 s and
 *   initialised in 0.63 s; before 1.14 the same job took 63.1 s and 11.4 s
 *   (3.16 ms and 570 us per task).
 * - deploy_fixed 50 ms, cancel_task 20 ms, restore_fixed 20 ms: one measured
 *   run of a tiny job (parallelism 2, Flink 2.3 MiniCluster) ran again
 *   about 60 ms after its 1 s backoff (1.06 s / 1.03 s).
 * - state_download_bandwidth 20 MB/s per subtask: Flink blog on the
 *   changelog state backend (2022, Flink 1.15), 390 MB per subtask
 *   restored in about 20 s end to end.
 * - checkpoint_upload_bandwidth 80 MB/s per subtask: the same post,
 *   checkpoints of 390 MB per subtask took about 5 s (p50).
 * - savepoints: full (canonical) uploads at the same bandwidth, plus a fixed
 *   500 ms for the synchronous savepoint's metadata (assumption).
 * - taskmanager_startup 15 s: no published figure; an assumption inside the
 *   10-30 s that AWS's Managed Service for Apache Flink documents for a
 *   small job's maintenance restart.
 * - job_submit 1 s: the scheduler post above, job initialisation of a small
 *   job is well under 1 s (0.63 s for 20,000 tasks); rounded up for the
 *   client round trip.
 * - peer_failure_detection 1 s: an assumption, peers' network channels
 *   break within about a second of a TaskManager being killed (the task
 *   fails with a RemoteTransportException).
 * - state_rebuild_rate 20 MB/s per subtask (keys re-inserted into RocksDB
 *   on a rescale, write-ahead log off): the FLINK-8845 micro-benchmark
 *   (apache/flink PR #5650) wrote 1,000,000 entries through
 *   RocksDBWriteBatchWrapper in 1.77 s with the WAL off, about 565,000
 *   entries/s; at 16 to 100 bytes per entry that is 9 to 57 MB/s, and
 *   20 MB/s (about 35 bytes per entry) is an assumption inside that range.
 * - state_rebuild_rate_wal 17.5 MB/s: the same benchmark took 2.01 s with
 *   the WAL on (1.14 times longer); Flink restored with the WAL on until
 *   1.18 (FLINK-32326).
 * - state_clip 50 ms: a deleteRange writes one range tombstone per column
 *   family whatever the data (FLINK-21321); the figure is an assumption.
 * - changelog_replay_rate 20 MB/s: replaying the changelog writes each
 *   change into the backend, the same write path as a rebuild.
 * - changelog_materialization 5 s: a materialization is an incremental
 *   RocksDB snapshot; the changelog post above measured those at 5 s (p50)
 *   for 390 MB per subtask. */
#include <rescalesim/costs.h>
#include <rescalesim/rules.h>

#include <math.h>

const char *
rsim_dist_kind_name (RsimDistKind kind)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_DIST_KIND_LIST (RSIM_X)
#undef RSIM_X
  };
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (names), "?");
  return names[kind];
}

double
rsim_dist_sample (const RsimDist *dist, RsimRng *rng)
{
  double v;
  switch (dist->kind) {
  case RSIM_DIST_CONSTANT:
    return dist->a;
  case RSIM_DIST_UNIFORM:
    v = rsim_rng_uniform_range (rng, dist->a, dist->b);
    break;
  case RSIM_DIST_NORMAL:
    v = rsim_rng_normal (rng, dist->a, dist->b);
    break;
  case RSIM_DIST_LOGNORMAL:
    v = rsim_rng_lognormal (rng, log (dist->a), dist->b);
    break;
  case RSIM_DIST_EXPONENTIAL:
    v = rsim_rng_exponential (rng, dist->a);
    break;
  default:
    g_return_val_if_reached (dist->a);
  }
  return v < 0.0 ? 0.0 : v;
}

double
rsim_dist_mean (const RsimDist *dist)
{
  switch (dist->kind) {
  case RSIM_DIST_UNIFORM:
    return (dist->a + dist->b) / 2.0;
  case RSIM_DIST_LOGNORMAL:
    return dist->a * exp (dist->b * dist->b / 2.0);
  default:
    return dist->a;
  }
}

void
rsim_costs_init_defaults (RsimCosts *costs, RsimFlinkVersion version)
{
#define RSIM_X(field, key, unit, def) costs->field = RSIM_DIST_CONST (def);
  RSIM_COST_LIST (RSIM_X)
#undef RSIM_X
  RsimRules rules = rsim_rules_resolve (version);
  if (!rsim_rules_has (&rules, RSIM_RULE_FAST_SCHEDULER)) {
    costs->deploy_per_task = RSIM_DIST_CONST (3.16e3);
    costs->graph_build_per_task = RSIM_DIST_CONST (570.0);
  }
}
