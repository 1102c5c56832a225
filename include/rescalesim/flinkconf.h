/* rescalesim: the typed, fully resolved Flink configuration of a run.
 *
 * The scenario layer fills this struct from the scenario's "flink.config"
 * block (Flink's own keys and units), applying the defaults of the scenario's
 * Flink version; the model and schedulers only read it. Durations are
 * RsimTime (microseconds). */
#pragma once

#include <glib.h>
#include <rescalesim/engine.h>

G_BEGIN_DECLS

#define RSIM_RESTART_KIND_LIST(X) \
  X (NONE, "none")                \
  X (FIXED_DELAY, "fixed-delay")  \
  X (FAILURE_RATE, "failure-rate") \
  X (EXPONENTIAL_DELAY, "exponential-delay")

typedef enum {
#define RSIM_X(id, name) RSIM_RESTART_##id,
  RSIM_RESTART_KIND_LIST (RSIM_X)
#undef RSIM_X
} RsimRestartKind;

const char *rsim_restart_kind_name (RsimRestartKind kind);

#define RSIM_FAILOVER_KIND_LIST(X) \
  X (FULL, "full")                 \
  X (REGION, "region")

typedef enum {
#define RSIM_X(id, name) RSIM_FAILOVER_##id,
  RSIM_FAILOVER_KIND_LIST (RSIM_X)
#undef RSIM_X
} RsimFailoverKind;

const char *rsim_failover_kind_name (RsimFailoverKind kind);

/* state.backend.type: where keyed state lives. HASHMAP is the heap backend
 * ("jobmanager" / "filesystem" before 1.13, FLIP-142). */
#define RSIM_STATE_BACKEND_LIST(X) \
  X (HASHMAP, "hashmap")           \
  X (ROCKSDB, "rocksdb")           \
  X (FORST, "forst")

typedef enum {
#define RSIM_X(id, name) RSIM_STATE_BACKEND_##id,
  RSIM_STATE_BACKEND_LIST (RSIM_X)
#undef RSIM_X
} RsimStateBackend;

const char *rsim_state_backend_name (RsimStateBackend backend);

typedef struct {
  /* taskmanager.numberOfTaskSlots (default 1). */
  int slots_per_taskmanager;
  /* parallelism.default (default 1): used for vertices without one. */
  int default_parallelism;
  /* pipeline.max-parallelism (default -1: Flink's rule,
   * KeyGroupRangeAssignment.computeDefaultMaxParallelism). */
  int pipeline_max_parallelism;

  /* heartbeat.interval (10 s), heartbeat.timeout (50 s). */
  RsimTime heartbeat_interval;
  RsimTime heartbeat_timeout;
  /* heartbeat.rpc-failure-threshold (2, Flink 1.14+; -1 disables; always
   * -1 before 1.14 where the key does not exist). */
  int heartbeat_rpc_failure_threshold;
  /* pekko.ask.timeout / akka.ask.timeout (10 s). */
  RsimTime ask_timeout;
  /* slot.request.timeout (5 min). */
  RsimTime slot_request_timeout;
  /* slot.idle.timeout (50 s): the JobManager gives a slot it no longer
   * needs back after this; resourcemanager.taskmanager-timeout (30 s,
   * slotmanager.taskmanager-timeout before 1.6): an active resource manager
   * releases a TaskManager idle that long, checking every as often. */
  RsimTime slot_idle_timeout;
  RsimTime rm_taskmanager_timeout;

  /* execution.checkpointing.interval (0 = checkpointing disabled). */
  RsimTime checkpoint_interval;
  RsimTime checkpoint_min_pause;          /* ...min-pause (0) */
  RsimTime checkpoint_timeout;            /* ...timeout (10 min) */
  int tolerable_failed_checkpoints;       /* ...tolerable-failed-checkpoints (0) */

  /* restart-strategy.type, resolved per version when not set
   * (RestartBackoffTimeStrategyFactoryLoader). */
  RsimRestartKind restart_strategy;
  int fixed_delay_attempts;
  RsimTime fixed_delay_delay;
  int failure_rate_max_failures;
  RsimTime failure_rate_interval;
  RsimTime failure_rate_delay;
  RsimTime exp_initial_backoff;
  RsimTime exp_max_backoff;
  double exp_multiplier;
  RsimTime exp_reset_threshold;
  double exp_jitter;
  int exp_attempts_before_reset;          /* G_MAXINT = unbounded */

  /* jobmanager.execution.failover-strategy (region since 1.11, else full). */
  RsimFailoverKind failover_strategy;

  /* Adaptive scheduler (jobmanager.adaptive-scheduler.*, JobManagerOptions).
   * The two submission timeouts hold RSIM_TIME_MODE_DEFAULT unless the
   * scenario set them: reactive mode only changes their defaults (-1 and 0),
   * see rsim_flink_conf_apply_mode(). A negative wait timeout waits forever. */
  RsimTime as_resource_wait_timeout;          /* 5 min (reactive -1) */
  RsimTime as_resource_stabilization_timeout; /* 10 s (reactive 0) */
  int as_min_parallelism_increase;            /* 1 (1.13-1.20) */
  RsimTime as_cooldown;                       /* scaling-interval.min 30 s (1.19+) */
  RsimTime as_scaling_interval_max;           /* 0 = disabled (1.19-1.20) */
  RsimTime as_executing_stabilization;        /* 60 s (2.0+) */
  int as_max_checkpoint_failures;             /* 2 (2.0+) */
  RsimTime as_max_trigger_delay;              /* -1 = derived (2.0+) */

  /* state.backend.local-recovery, execution.state-recovery.from-local since
   * 1.20 (FLINK-34484); default false. */
  int local_recovery;

  /* State backends and checkpoints' contents. state.backend.type
   * ("state.backend" before 1.17): hashmap. */
  RsimStateBackend state_backend;
  /* execution.checkpointing.incremental ("state.backend.incremental"
   * before 1.20): false in every version. Only RocksDB reads it. */
  int incremental_checkpoints;
  /* state.changelog.enabled and ...periodic-materialize.interval
   * ("state.backend.changelog.*" 1.15-1.19): false, 10 min (-1: never). */
  int changelog_enabled;
  RsimTime changelog_materialize_interval;
  /* state.changelog.periodic-materialize.enabled (1.19+;
   * "state.backend.changelog.periodic-materialize.enabled" in 1.19): true;
   * false never materializes. */
  int changelog_materialize_enabled;
  /* state.backend.rocksdb.use-ingest-db-restore-mode (1.20+): false. */
  int rocksdb_ingest_restore;
  /* pipeline.operator-chaining.enabled ("pipeline.operator-chaining"
   * 1.10-1.17): true. */
  int operator_chaining;
} RsimFlinkConf;

/* "Not set: the scheduler mode's default applies." */
#define RSIM_TIME_MODE_DEFAULT G_MININT64

/* Replaces mode defaults with their values for the adaptive scheduler
 * (reactive FALSE) or reactive mode (AdaptiveScheduler / ReactiveModeUtils
 * in flink-runtime). */
void rsim_flink_conf_apply_mode (RsimFlinkConf *conf, gboolean reactive);

G_END_DECLS
