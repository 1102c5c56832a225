/* rescalesim: Flink's version rules, as one table.
 *
 * Every behaviour that changed between the Flink versions rescalesim
 * simulates (1.5 to 2.3) is one row: an id, the first version that has it,
 * the FLINK ticket or FLIP that changed it, and a sentence saying what a
 * user sees. A run resolves the table once for its version into an
 * RsimRules set; the module that owns a behaviour asks that set
 * (rsim_rules_has) and nothing else compares versions to decide behaviour.
 * `rescalesim rules [--version V]` prints the table.
 *
 * Adding a rule: append a row to RSIM_RULE_LIST (the enum, the names and the
 * printed table follow), apply it in the module that owns the behaviour, and
 * test both sides of the version change in that module's suite. */
#pragma once

#include <glib.h>
#include <rescalesim/version.h>

G_BEGIN_DECLS

/* X (id, major, minor, source, what a user sees from that version on).
 * Keep rows ordered by version, then by id; the printed table follows it. */
#define RSIM_RULE_LIST(X)                                                    \
  X (CHECKPOINT_FAILURE_MANAGER, 1, 9, "FLINK-10724",                        \
     "failed checkpoints count toward execution.checkpointing.tolerable-"    \
     "failed-checkpoints (default 0): one failure fails the job over")       \
  X (RESCALE_REST_DISABLED, 1, 9, "FLINK-12312",                             \
     "`flink modify` / PATCH /jobs/:jobid/rescaling answer HTTP 503; "       \
     "rescale with stop-with-savepoint and a resubmission")                  \
  X (FAILURE_RATE_COUNTS_CURRENT_FAILURE, 1, 10,                             \
     "FailureRateRestartBackoffTimeStrategy",                                \
     "failure-rate records a failure before it checks the window, so only "  \
     "max-failures-per-interval - 1 restarts fit in an interval; before, "   \
     "the legacy FailureRateRestartStrategy checked first and allowed max")  \
  X (RESTART_DELAY_1S_DEFAULT, 1, 10, "FLINK-13884",                         \
     "restart strategies wait 1 s by default; before, the default strategy " \
     "and an explicit fixed-delay waited 0 s and failure-rate "              \
     "akka.watch.heartbeat.interval (10 s)")                                 \
  X (RESTART_NEEDS_STRATEGY_KEY, 1, 10,                                      \
     "RestartBackoffTimeStrategyFactoryLoader",                              \
     "only restart-strategy selects a strategy; before, restart-strategy."   \
     "fixed-delay.attempts alone built fixed-delay (RestartStrategyFactory, "\
     "delay fixed-delay.delay or akka.watch.heartbeat.pause, 60 s)")         \
  X (CHECKPOINT_EXPIRED_COUNTS, 1, 11, "FLINK-17351",                        \
     "an expired checkpoint counts toward tolerable-failed-checkpoints; "    \
     "1.9-1.10 count declined checkpoints only")                             \
  X (CHECKPOINT_REQUEST_QUEUE, 1, 11, "FLINK-17342",                         \
     "every periodic trigger that falls due while a checkpoint is in "       \
     "flight is queued and one runs after each completion (or min-pause "    \
     "after it) while the timer keeps its rate; before, the first one "      \
     "stopped the timer and it restarted at the completion")                 \
  X (REGION_FAILOVER_DEFAULT, 1, 11, "FLINK-15813",                          \
     "jobmanager.execution.failover-strategy defaults to region (full "      \
     "before)")                                                              \
  X (ADAPTIVE_SCHEDULER, 1, 13, "FLIP-160, FLIP-159",                        \
     "the adaptive scheduler and reactive mode exist")                       \
  X (HASHMAP_BACKEND_NAME, 1, 13, "FLIP-142",                               \
     "the heap state backend is called hashmap; before, jobmanager or "     \
     "filesystem")                                                          \
  X (EXPONENTIAL_DELAY_STRATEGY, 1, 13, "FLINK-19773",                       \
     "restart-strategy exponential-delay exists")                            \
  X (FAILURE_RATE_N_PER_INTERVAL, 1, 13, "FLINK-20752",                      \
     "failure-rate allows max-failures-per-interval restarts per interval "  \
     "again (also in 1.11.4 and 1.12.3)")                                    \
  X (CHECKPOINT_WAITS_FOR_ALL_TASKS, 1, 14, "FLINK-22379",                   \
     "a checkpoint is triggered only when every task is RUNNING; before, "   \
     "only the sources had to be")                                           \
  X (FAST_SCHEDULER, 1, 14, "FLINK-21110",                                   \
     "graph building and task deployment are several times faster "          \
     "(calibration: 20,000 tasks deployed in 17.2 s instead of 63.1 s)")     \
  X (HEARTBEAT_RPC_FAILURE_THRESHOLD, 1, 14, "FLINK-23209",                  \
     "heartbeat.rpc-failure-threshold consecutive failed heartbeat RPCs "    \
     "declare a TaskManager lost before heartbeat.timeout")                  \
  X (RPC_FAST_FAILURE, 1, 14, "FLINK-23202",                                 \
     "an RPC to a host that refuses connections fails at once instead of "   \
     "after the ask timeout")                                                \
  X (AS_CREATED_WHILE_WAITING, 1, 15, "FLINK-24824",                         \
     "adaptive scheduler: the job is CREATED in WaitingForResources and "    \
     "CreatingExecutionGraph; before, INITIALIZING")                         \
  X (CHANGELOG_STATE_BACKEND, 1, 15, "FLIP-158",              \
     "the changelog state backend exists (state.backend.changelog.*): "     \
     "short checkpoints, restore = materialized state + changelog replay")  \
  X (NATIVE_SAVEPOINTS, 1, 15, "FLIP-203",                                 \
     "savepoints may be taken in the state backend's native format (a "     \
     "RocksDB savepoint copies its SST files and restores like a "          \
     "checkpoint); before, every savepoint is canonical")                   \
  X (STOP_WITH_SAVEPOINT_FAILURE_FAILS_TASKS, 1, 15, "FLINK-23532",        \
     "a failed stop-with-savepoint fails the tasks "                        \
     "(\"Stop-with-savepoint failed.\") and the restart strategy decides; "  \
     "before, the tasks resume on the same graph")                           \
  X (FAILOVER_IGNORES_SAVEPOINTS, 1, 15, "FLINK-25191",                      \
     "savepoints no longer join the checkpoint store: a failover restores "  \
     "the latest checkpoint, never a savepoint")                             \
  X (GRACEFUL_TM_DISCONNECT, 1, 15, "FLINK-25277",                           \
     "a TaskManager that shuts down gracefully tells the JobManager at "     \
     "once; before, it is found by the heartbeat")                           \
  X (CHANGELOG_LOCAL_RECOVERY, 1, 16, "FLINK-27692, FLINK-27693",          \
     "local recovery also covers the changelog state backend "              \
     "(materialized and non-materialized parts); before, a changelog job "  \
     "always downloads")                                                    \
  X (ROCKSDB_CLIP_DELETE_RANGE, 1, 16, "FLINK-21321",                       \
     "a RocksDB rescale clips the base database with deleteRange (a few "   \
     "tombstones); before, key by key, which costs about as much as "       \
     "re-inserting those keys")                                             \
  X (AS_SLOTS_ACROSS_GROUPS, 1, 17, "FLINK-30895",                           \
     "adaptive scheduler: slots are distributed across slot-sharing "        \
     "groups by their ranges; before, each group got an equal share and "    \
     "the rest stayed unused")                                               \
  X (AS_LOCAL_RECOVERY, 1, 18, "FLINK-21450",                                \
     "adaptive scheduler: local recovery; before, it always downloads the "  \
     "whole state")                                                          \
  X (AS_PER_VERTEX_RESCALE, 1, 18, "FLINK-31399, FLIP-291",                               \
     "adaptive scheduler: rescale when any vertex shrinks or grows by "      \
     "min-parallelism-increase; before, only when the summed parallelism "   \
     "grows by it")                                                          \
  X (RESOURCE_REQUIREMENTS_API, 1, 18, "FLIP-291, FLINK-31469",              \
     "PUT /jobs/:jobid/resource-requirements changes a running job's "       \
     "parallelism bounds (adaptive scheduler)")                              \
  X (ROCKSDB_PARALLEL_HANDLE_DOWNLOAD, 1, 18, "FLINK-32345",               \
     "a RocksDB rescale downloads every state handle it needs at once; "    \
     "before, one handle after the other")                                  \
  X (ROCKSDB_RESTORE_WAL_OFF, 1, 18, "FLINK-32326",                         \
     "RocksDB restores write with the write-ahead log off, so re-inserting " \
     "keys on a rescale is faster")                                         \
  X (AS_COOLDOWN, 1, 19, "FLIP-322",                                         \
     "adaptive scheduler: rescales wait jobmanager.adaptive-scheduler."      \
     "scaling-interval.min (30 s) after entering Executing")                 \
  X (AS_SLOTS_MAX_LOWER_BOUND, 1, 19, "FLINK-33960",                         \
     "adaptive scheduler: a slot-sharing group needs the largest lower "     \
     "bound of its vertices; 1.18 used the smallest, so a vertex could run " \
     "below its lower bound")                                                \
  X (STANDARD_YAML_CONFIG, 1, 19, "FLIP-366",                                \
     "conf/config.yaml (standard YAML, nested keys) is read; before, only "  \
     "the flat conf/flink-conf.yaml")                                        \
  X (EXPONENTIAL_DELAY_DEFAULT, 1, 19, "FLINK-33735, FLINK-33738",           \
     "with checkpointing the default restart strategy is exponential-delay " \
     "(1 s, x1.5, at most 1 min); the jitter is drawn on the uncapped "       \
     "backoff and the sum capped, so at the cap the delay is max-backoff")   \
  X (ROCKSDB_INGEST_RESTORE, 1, 20, "FLINK-31238",                          \
     "state.backend.rocksdb.use-ingest-db-restore-mode (default false): a "  \
     "rescale clips each downloaded database and ingests its files "        \
     "instead of re-inserting keys")                                        \
  X (AS_DESIRED_ON_ALL_SLOTS, 2, 0, "FLINK-36279",                           \
     "adaptive scheduler: desired resources are counted on all slots, not "  \
     "only free ones")                                                       \
  X (AS_RESCALE_ON_CHECKPOINT, 2, 0, "FLIP-461, FLINK-35549",                \
     "adaptive scheduler: a rescale waits for the next completed "           \
     "checkpoint (or rescale-trigger.max-delay); failed or refused "         \
     "checkpoints count down once a resource or requirements event armed "   \
     "the countdown, and each trigger disarms it")                           \
  X (FORST_STATE_BACKEND, 2, 0, "FLIP-423, FLIP-427",                       \
     "state.backend.type forst: disaggregated state whose working files "   \
     "live in remote storage, so a restore or rescale downloads nothing "   \
     "first")                                                               \
  X (LEGACY_FLINK_CONF_DROPPED, 2, 0, "FLIP-366",                           \
     "conf/flink-conf.yaml is no longer read, only conf/config.yaml")        \
  X (AS_RESTART_TO_CREATING_ON_RESCALE, 2, 0, "FLINK-36013",                 \
     "adaptive scheduler: a rescale whose target is still available goes "   \
     "from Restarting straight to CreatingExecutionGraph")                   \
  X (AS_RESTART_TO_CREATING_WHEN_DESIRED, 2, 3, "FLINK-38748",               \
     "adaptive scheduler: any restart goes straight to "                     \
     "CreatingExecutionGraph when the desired resources are there")          \
  X (CHECKPOINT_AFTER_ALL_RUNNING, 2, 3, "FLINK-38940",                      \
     "the periodic checkpoint scheduler starts once every task is RUNNING, " \
     "not when the job turns RUNNING")                                       \
  X (CHECKPOINT_RESTART_MIN_PAUSE, 2, 3, "FLINK-38939",                      \
     "a restarted checkpoint scheduler waits min-pause for its first "       \
     "trigger instead of a random initial delay")

typedef enum {
#define RSIM_X(id, ma, mi, src, text) RSIM_RULE_##id,
  RSIM_RULE_LIST (RSIM_X)
#undef RSIM_X
  RSIM_RULE_COUNT
} RsimRule;

G_STATIC_ASSERT (RSIM_RULE_COUNT <= 64);

/* One row of the table. */
typedef struct {
  RsimRule id;
  const char *name;            /* "graceful-tm-disconnect" */
  RsimFlinkVersion since;      /* first version with the behaviour */
  const char *source;          /* FLINK ticket or FLIP */
  const char *summary;
} RsimRuleInfo;

/* The rules in force for one Flink version: resolved once per run. */
typedef struct {
  RsimFlinkVersion version;
  guint64 bits;
} RsimRules;

/* The table, in its order. (transfer none) */
const RsimRuleInfo *rsim_rules_table (guint *n_rows);
const RsimRuleInfo *rsim_rule_info (RsimRule rule);
/* The rules of version v. */
RsimRules rsim_rules_resolve (RsimFlinkVersion v);

static inline gboolean
rsim_rules_has (const RsimRules *rules, RsimRule rule)
{
  return (rules->bits >> rule) & 1;
}

/* The rules one version has and the other lacks (a bit set over RsimRule):
 * what changes between them. */
guint64 rsim_rules_diff (RsimFlinkVersion from, RsimFlinkVersion to);

/* The Flink minor versions rescalesim simulates, oldest first ("1.5" ...
 * "2.3"). (transfer none) */
const RsimFlinkVersion *rsim_rules_released_versions (guint *n);

G_END_DECLS
