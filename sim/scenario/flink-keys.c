/* The Flink configuration keys rescalesim models: one table.
 *
 * Each row names a key (and the older name it had, which stays accepted as a
 * deprecated alias after the rename), the Flink versions where it exists, its
 * type and bounds, the RsimFlinkConf field it fills and a function giving its
 * default in a given version. The table alone drives reading "flink.config"
 * (types, bounds, warnings for deprecated, not-yet-existing and unmodelled
 * keys), the defaults, the resolved JSON, and the test that checks
 * scenarios/README.md lists every key.
 *
 * Abbreviations in the comments: C = flink-core/src/main/java/org/apache/
 * flink/configuration/, P = flink-runtime/src/main/java/org/apache/flink/
 * runtime/, S = flink-streaming-java/src/main/java/org/apache/flink/streaming/
 * api/environment/. Versions and defaults are those of these option classes
 * at each release tag; scenarios/README.md (`flink.config`) lists the
 * renames and the defaults that changed.
 *
 * A key that is not in the table is looked up in the generated list of
 * every key Flink documents (flink-known-keys.c): a real key of this
 * version is listed once in a note ("not modelled"), a key of a later
 * version is an error naming both versions, and a key Flink never had is an
 * error with the closest known keys. The values of jobmanager.scheduler and
 * scheduler-mode select the scheduler (loader.c uses it when neither
 * --scheduler nor the scenario's "schedulers" says otherwise). Keys of the
 * Kubernetes operator (job.autoscaler.*, kubernetes.operator.*) are skipped
 * here: loader.c hands them to controllers.autoscaler. */
#include "inputs-private.h"

#include <math.h>
#include <string.h>

/* Longest Flink duration accepted: 100 years (36500 d). Flink takes up to
 * Long.MAX_VALUE ms, but the simulator adds durations to a 64-bit
 * microsecond clock, and no setting means anything beyond a run's 365 d. */
#define MAX_FLINK_DURATION ((RsimTime) 36500 * 24 * RSIM_HOUR)

typedef enum {
  KEY_INT,          /* int field */
  KEY_DURATION,     /* RsimTime field; Flink duration or integer milliseconds */
  KEY_DOUBLE,       /* double field */
  KEY_RESTART,      /* RsimRestartKind field */
  KEY_FAILOVER,     /* RsimFailoverKind field */
  KEY_SCHEDULER,    /* accepted, no field: rescalesim picks the scheduler */
  KEY_BOOL,         /* int field, 0 or 1 */
  KEY_BACKEND,      /* RsimStateBackend field */
} KeyType;

enum {
  KEY_MINUS_ONE = 1 << 0,      /* -1 is allowed besides [min, max] */
  KEY_ZERO_UNSET = 1 << 1,     /* 0 in the field = unset, printed as null */
  KEY_MIN_EXCLUSIVE = 1 << 2,  /* the value must be > min */
  KEY_RESTART_PARAM = 1 << 3,  /* read only when the restart strategy is set */
  KEY_MODE_DEFAULT = 1 << 4,   /* default depends on adaptive/reactive mode */
};

typedef union {
  gint64 i;                    /* ints, enums, durations (us) */
  double d;
} KeyValue;

typedef struct {
  RsimFlinkVersion version;
  const RsimFlinkConf *conf;   /* the rows above the one resolved are done */
  gboolean restart_set;        /* restart-strategy(.type) given and valid */
  gboolean attempts_alone;     /* 1.5-1.9: fixed-delay from its attempts key */
} DefaultCtx;

typedef KeyValue (*DefaultFunc) (const DefaultCtx *c);

typedef struct {
  const char *name;
  const char *old_name;        /* the key's name before `renamed` */
  int since_major, since_minor;      /* first version with the key */
  int renamed_major, renamed_minor;  /* when name replaced old_name */
  KeyType type;
  double min, max;             /* ints; durations in us; doubles */
  guint flags;
  gsize offset;                /* into RsimFlinkConf */
  DefaultFunc def;
} FlinkKey;

G_STATIC_ASSERT (sizeof (RsimRestartKind) == sizeof (int));
G_STATIC_ASSERT (sizeof (RsimFailoverKind) == sizeof (int));
G_STATIC_ASSERT (sizeof (RsimStateBackend) == sizeof (int));

/* A key row's own version columns (data, not behaviour). */
static gboolean
at_least (RsimFlinkVersion v, int major, int minor)
{
  return rsim_version_compare (v, (RsimFlinkVersion) { major, minor, -1 }) >= 0;
}

/* A behaviour that changed between versions: the rules table decides. */
static gboolean
has_rule (const DefaultCtx *c, RsimRule rule)
{
  RsimRules rules = rsim_rules_resolve (c->version);
  return rsim_rules_has (&rules, rule);
}

static KeyValue
int_value (gint64 i)
{
  return (KeyValue) { .i = i };
}

/* ------------------------------------------------------ default functions */

static KeyValue def_one (const DefaultCtx *c) { return int_value (1); }
static KeyValue def_minus_one (const DefaultCtx *c) { return int_value (-1); }
static KeyValue def_zero (const DefaultCtx *c) { return int_value (0); }
static KeyValue def_10s (const DefaultCtx *c) { return int_value (10 * RSIM_SEC); }
static KeyValue def_50s (const DefaultCtx *c) { return int_value (50 * RSIM_SEC); }
static KeyValue def_1s (const DefaultCtx *c) { return int_value (RSIM_SEC); }
static KeyValue def_1min (const DefaultCtx *c) { return int_value (RSIM_MIN); }
static KeyValue def_5min (const DefaultCtx *c) { return int_value (5 * RSIM_MIN); }
static KeyValue def_10min (const DefaultCtx *c) { return int_value (10 * RSIM_MIN); }
static KeyValue def_1h (const DefaultCtx *c) { return int_value (RSIM_HOUR); }
static KeyValue def_maxint (const DefaultCtx *c) { return int_value (G_MAXINT); }
static KeyValue def_30s (const DefaultCtx *c) { return int_value (30 * RSIM_SEC); }
static KeyValue def_60s (const DefaultCtx *c) { return int_value (60 * RSIM_SEC); }
static KeyValue def_two (const DefaultCtx *c) { return int_value (2); }
static KeyValue def_mode (const DefaultCtx *c) { return int_value (RSIM_TIME_MODE_DEFAULT); }

/* 2 since the key exists (1.14, FLINK-23209); before, no such detection. */
static KeyValue
def_rpc_failure_threshold (const DefaultCtx *c)
{
  return int_value (has_rule (c, RSIM_RULE_HEARTBEAT_RPC_FAILURE_THRESHOLD)
                    ? 2 : -1);
}

/* 0 since CheckpointFailureManager (1.9, FLINK-10724); before it, failed
 * checkpoints never failed the job: unbounded. */
static KeyValue
def_tolerable_failed (const DefaultCtx *c)
{
  return int_value (has_rule (c, RSIM_RULE_CHECKPOINT_FAILURE_MANAGER)
                    ? 0 : G_MAXINT);
}

/* RestartBackoffTimeStrategyFactoryLoader: no checkpointing -> none;
 * else fixed-delay up to 1.18, exponential-delay from 1.19 (FLINK-33735). */
static KeyValue
def_restart_strategy (const DefaultCtx *c)
{
  if (c->conf->checkpoint_interval == 0)
    return int_value (RSIM_RESTART_NONE);
  if (!has_rule (c, RSIM_RULE_EXPONENTIAL_DELAY_DEFAULT))
    return int_value (RSIM_RESTART_FIXED_DELAY);
  return int_value (RSIM_RESTART_EXPONENTIAL_DELAY);
}

/* The default strategy (no restart strategy set, checkpointing on) is built
 * with hard-coded settings, not from the restart-strategy.* keys. */
static gboolean
default_fixed_delay (const DefaultCtx *c)
{
  return !c->restart_set && c->conf->restart_strategy == RSIM_RESTART_FIXED_DELAY;
}

static KeyValue
def_fixed_delay_attempts (const DefaultCtx *c)
{
  return int_value (default_fixed_delay (c) ? G_MAXINT : 1);
}

/* 1 s since FLINK-13884 (1.10). Before: the default strategy waited 0 s
 * (NoOrFixedIfCheckpointingEnabledRestartStrategyFactory's
 * DEFAULT_RESTART_DELAY), so did an explicit fixed-delay (ConfigConstants
 * RESTART_STRATEGY_FIXED_DELAY_DELAY, default "0 s" since FLINK-9158), and
 * fixed-delay selected by restart-strategy.fixed-delay.attempts alone took
 * akka.watch.heartbeat.pause (60 s; RestartStrategyFactory.
 * createRestartStrategyFactory). */
static KeyValue
def_fixed_delay_delay (const DefaultCtx *c)
{
  if (c->attempts_alone)
    return int_value (60 * RSIM_SEC);
  if (!has_rule (c, RSIM_RULE_RESTART_DELAY_1S_DEFAULT))
    return int_value (0);
  return int_value (RSIM_SEC);
}

/* 10 s (akka.watch.heartbeat.interval) before 1.10, 1 s since. */
static KeyValue
def_failure_rate_delay (const DefaultCtx *c)
{
  return int_value (has_rule (c, RSIM_RULE_RESTART_DELAY_1S_DEFAULT)
                    ? RSIM_SEC : 10 * RSIM_SEC);
}

/* FLINK-33735 (1.19) changed max-backoff and backoff-multiplier. */
static KeyValue
def_exp_max_backoff (const DefaultCtx *c)
{
  return int_value (has_rule (c, RSIM_RULE_EXPONENTIAL_DELAY_DEFAULT)
                    ? RSIM_MIN : 5 * RSIM_MIN);
}

static KeyValue
def_exp_multiplier (const DefaultCtx *c)
{
  return (KeyValue) { .d = has_rule (c, RSIM_RULE_EXPONENTIAL_DELAY_DEFAULT)
                             ? 1.5 : 2.0 };
}

static KeyValue
def_exp_jitter (const DefaultCtx *c)
{
  return (KeyValue) { .d = 0.1 };
}

/* region since 1.11 (FLINK-15813), full before. */
static KeyValue
def_failover (const DefaultCtx *c)
{
  return int_value (has_rule (c, RSIM_RULE_REGION_FAILOVER_DEFAULT)
                    ? RSIM_FAILOVER_REGION
                                                 : RSIM_FAILOVER_FULL);
}

/* ---------------------------------------------------------------- the table */

#define F(field) G_STRUCT_OFFSET (RsimFlinkConf, field)
#define NO_FIELD G_MAXSIZE
#define MS ((double) RSIM_MSEC)

static const FlinkKey keys[] = {
  /* C/TaskManagerOptions.java NUM_TASK_SLOTS. Flink has no upper bound;
   * rescalesim keeps slot arrays small. */
  { "taskmanager.numberOfTaskSlots", NULL, 1, 5, 0, 0, KEY_INT, 1, 1024, 0,
    F (slots_per_taskmanager), def_one },
  /* C/CoreOptions.java DEFAULT_PARALLELISM. */
  { "parallelism.default", NULL, 1, 5, 0, 0, KEY_INT, 1, 32768, 0,
    F (default_parallelism), def_one },
  /* C/PipelineOptions.java MAX_PARALLELISM (a key since 1.10; before, the
   * job's ExecutionConfig#setMaxParallelism, which this key stands for).
   * Bound: Transformation.UPPER_BOUND_MAX_PARALLELISM = 2^15. */
  { "pipeline.max-parallelism", NULL, 1, 5, 0, 0, KEY_INT, 1, 32768,
    KEY_MINUS_ONE, F (pipeline_max_parallelism), def_minus_one },
  /* C/HeartbeatManagerOptions.java HEARTBEAT_INTERVAL / HEARTBEAT_TIMEOUT
   * (milliseconds as a long up to 1.20; durations are accepted too). */
  { "heartbeat.interval", NULL, 1, 5, 0, 0, KEY_DURATION, MS, 0, 0,
    F (heartbeat_interval), def_10s },
  { "heartbeat.timeout", NULL, 1, 5, 0, 0, KEY_DURATION, MS, 0, 0,
    F (heartbeat_timeout), def_50s },
  /* C/HeartbeatManagerOptions.java HEARTBEAT_RPC_FAILURE_THRESHOLD (1.14,
   * FLINK-23209); P/heartbeat/HeartbeatServices.java accepts > 0 or -1. */
  { "heartbeat.rpc-failure-threshold", NULL, 1, 14, 0, 0, KEY_INT, 1,
    G_MAXINT, KEY_MINUS_ONE, F (heartbeat_rpc_failure_threshold),
    def_rpc_failure_threshold },
  /* C/AkkaOptions.java ASK_TIMEOUT (akka.ask.timeout) up to 1.17;
   * C/RpcOptions.java ASK_TIMEOUT_DURATION (pekko.ask.timeout) since 1.18,
   * with the old key as a deprecated alias. */
  { "pekko.ask.timeout", "akka.ask.timeout", 1, 5, 1, 18, KEY_DURATION, MS,
    0, 0, F (ask_timeout), def_10s },
  /* C/JobManagerOptions.java SLOT_REQUEST_TIMEOUT. */
  { "slot.request.timeout", NULL, 1, 5, 0, 0, KEY_DURATION, MS, 0, 0,
    F (slot_request_timeout), def_5min },
  /* C/JobManagerOptions.java SLOT_IDLE_TIMEOUT (its default is
   * heartbeat.timeout's default value, not the configured timeout). */
  { "slot.idle.timeout", NULL, 1, 5, 0, 0, KEY_DURATION, MS, 0, 0,
    F (slot_idle_timeout), def_50s },
  /* C/ResourceManagerOptions.java TASK_MANAGER_TIMEOUT: the key was
   * slotmanager.taskmanager-timeout up to 1.5 (read at release-1.5 and
   * release-1.6), kept as a deprecated name since. */
  { "resourcemanager.taskmanager-timeout", "slotmanager.taskmanager-timeout",
    1, 5, 1, 6, KEY_DURATION, MS, 0, 0, F (rm_taskmanager_timeout),
    def_30s },
  /* S/ExecutionCheckpointingOptions.java (1.10-1.20), C/
   * CheckpointingOptions.java (2.0+). Before 1.10 these stand for the job's
   * StreamExecutionEnvironment#enableCheckpointing and CheckpointConfig
   * setters. Interval and timeout: at least 10 ms (CheckpointConfig's
   * MINIMAL_CHECKPOINT_TIME). */
  { "execution.checkpointing.interval", NULL, 1, 5, 0, 0, KEY_DURATION,
    10 * MS, 0, KEY_ZERO_UNSET, F (checkpoint_interval), def_zero },
  { "execution.checkpointing.min-pause", NULL, 1, 5, 0, 0, KEY_DURATION, 0, 0,
    0, F (checkpoint_min_pause), def_zero },
  { "execution.checkpointing.timeout", NULL, 1, 5, 0, 0, KEY_DURATION,
    10 * MS, 0, 0, F (checkpoint_timeout), def_10min },
  /* CheckpointConfig#setTolerableCheckpointFailureNumber (1.9, FLINK-10724);
   * S/ExecutionCheckpointingOptions.java TOLERABLE_FAILURE_NUMBER. */
  { "execution.checkpointing.tolerable-failed-checkpoints", NULL, 1, 9, 0, 0,
    KEY_INT, 0, G_MAXINT, 0, F (tolerable_failed_checkpoints),
    def_tolerable_failed },
  /* C/RestartStrategyOptions.java RESTART_STRATEGY: "restart-strategy" up to
   * 1.16, "restart-strategy.type" since 1.17 (FLINK-29372). */
  { "restart-strategy.type", "restart-strategy", 1, 5, 1, 17, KEY_RESTART, 0,
    0, 0, F (restart_strategy), def_restart_strategy },
  /* C/RestartStrategyOptions.java; bounds from P/executiongraph/failover/
   * FixedDelayRestartBackoffTimeStrategy.java and
   * FailureRateRestartBackoffTimeStrategy.java. */
  { "restart-strategy.fixed-delay.attempts", NULL, 1, 5, 0, 0, KEY_INT, 0,
    G_MAXINT, KEY_RESTART_PARAM, F (fixed_delay_attempts),
    def_fixed_delay_attempts },
  { "restart-strategy.fixed-delay.delay", NULL, 1, 5, 0, 0, KEY_DURATION, 0, 0,
    KEY_RESTART_PARAM, F (fixed_delay_delay), def_fixed_delay_delay },
  { "restart-strategy.failure-rate.max-failures-per-interval", NULL, 1, 5, 0,
    0, KEY_INT, 1, G_MAXINT, KEY_RESTART_PARAM, F (failure_rate_max_failures),
    def_one },
  { "restart-strategy.failure-rate.failure-rate-interval", NULL, 1, 5, 0, 0,
    KEY_DURATION, MS, 0, KEY_RESTART_PARAM, F (failure_rate_interval),
    def_1min },
  { "restart-strategy.failure-rate.delay", NULL, 1, 5, 0, 0, KEY_DURATION, 0,
    0, KEY_RESTART_PARAM, F (failure_rate_delay), def_failure_rate_delay },
  /* Since 1.13 (FLINK-19773); bounds from P/executiongraph/failover/
   * ExponentialDelayRestartBackoffTimeStrategy.java. */
  { "restart-strategy.exponential-delay.initial-backoff", NULL, 1, 13, 0, 0,
    KEY_DURATION, MS, 0, KEY_RESTART_PARAM, F (exp_initial_backoff), def_1s },
  { "restart-strategy.exponential-delay.max-backoff", NULL, 1, 13, 0, 0,
    KEY_DURATION, MS, 0, KEY_RESTART_PARAM, F (exp_max_backoff),
    def_exp_max_backoff },
  { "restart-strategy.exponential-delay.backoff-multiplier", NULL, 1, 13, 0,
    0, KEY_DOUBLE, 1.0, G_MAXDOUBLE, KEY_RESTART_PARAM | KEY_MIN_EXCLUSIVE,
    F (exp_multiplier), def_exp_multiplier },
  { "restart-strategy.exponential-delay.reset-backoff-threshold", NULL, 1, 13,
    0, 0, KEY_DURATION, MS, 0, KEY_RESTART_PARAM, F (exp_reset_threshold),
    def_1h },
  { "restart-strategy.exponential-delay.jitter-factor", NULL, 1, 13, 0, 0,
    KEY_DOUBLE, 0.0, 1.0, KEY_RESTART_PARAM, F (exp_jitter), def_exp_jitter },
  /* Since 1.19 (FLINK-32895); before, exponential-delay never gave up. */
  { "restart-strategy.exponential-delay.attempts-before-reset-backoff", NULL,
    1, 19, 0, 0, KEY_INT, 1, G_MAXINT, KEY_RESTART_PARAM,
    F (exp_attempts_before_reset), def_maxint },
  /* C/JobManagerOptions.java EXECUTION_FAILOVER_STRATEGY. */
  { "jobmanager.execution.failover-strategy", NULL, 1, 5, 0, 0, KEY_FAILOVER,
    0, 0, 0, F (failover_strategy), def_failover },
  /* Adaptive scheduler, C/JobManagerOptions.java.
   * The submission timeouts were renamed in 2.0 (FLIP-472, FLINK-36016);
   * their defaults differ in reactive mode (-1 and 0, set by
   * ReactiveModeUtils.configureClusterForReactiveMode), resolved per run. A
   * negative wait timeout (-1) waits forever. */
  { "jobmanager.adaptive-scheduler.submission.resource-wait-timeout",
    "jobmanager.adaptive-scheduler.resource-wait-timeout", 1, 13, 2, 0,
    KEY_DURATION, 0, 0, KEY_MINUS_ONE | KEY_MODE_DEFAULT,
    F (as_resource_wait_timeout), def_mode },
  { "jobmanager.adaptive-scheduler.submission.resource-stabilization-timeout",
    "jobmanager.adaptive-scheduler.resource-stabilization-timeout", 1, 13, 2, 0,
    KEY_DURATION, 0, 0, KEY_MODE_DEFAULT,
    F (as_resource_stabilization_timeout), def_mode },
  /* 1.13-1.20 (cumulative until 1.17, per vertex since 1.18); 2.0+ ignores
   * it (FLINK-36014). */
  { "jobmanager.adaptive-scheduler.min-parallelism-increase", NULL, 1, 13, 0,
    0, KEY_INT, 1, G_MAXINT, 0, F (as_min_parallelism_increase), def_one },
  /* FLIP-322 (1.19) scaling-interval.min, renamed
   * executing.cooldown-after-rescaling in 2.0 (FLINK-36015). */
  { "jobmanager.adaptive-scheduler.executing.cooldown-after-rescaling",
    "jobmanager.adaptive-scheduler.scaling-interval.min", 1, 19, 2, 0,
    KEY_DURATION, 0, 0, 0, F (as_cooldown), def_30s },
  /* FLIP-322 (1.19-1.20); 2.0+ ignores it. 0 = disabled. */
  { "jobmanager.adaptive-scheduler.scaling-interval.max", NULL, 1, 19, 0, 0,
    KEY_DURATION, 0, 0, KEY_ZERO_UNSET, F (as_scaling_interval_max), def_zero },
  /* FLIP-472 (2.0). */
  { "jobmanager.adaptive-scheduler.executing.resource-stabilization-timeout",
    NULL, 2, 0, 0, 0, KEY_DURATION, 0, 0, 0, F (as_executing_stabilization),
    def_60s },
  /* FLIP-461 (2.0, FLINK-35549). max-delay unset (-1): (max-checkpoint-
   * failures + 1) x checkpoint interval, or 0 without checkpointing. */
  { "jobmanager.adaptive-scheduler.rescale-trigger.max-checkpoint-failures",
    NULL, 2, 0, 0, 0, KEY_INT, 1, G_MAXINT, 0, F (as_max_checkpoint_failures),
    def_two },
  { "jobmanager.adaptive-scheduler.rescale-trigger.max-delay", NULL, 2, 0, 0,
    0, KEY_DURATION, 0, 0, KEY_MINUS_ONE, F (as_max_trigger_delay),
    def_minus_one },
  /* Local recovery: C/CheckpointingOptions.java
   * LOCAL_RECOVERY "state.backend.local-recovery", renamed
   * "execution.state-recovery.from-local" in 1.20 (FLINK-34484). */
  { "execution.state-recovery.from-local", "state.backend.local-recovery", 1,
    5, 1, 20, KEY_BOOL, 0, 1, 0, F (local_recovery), def_zero },
  /* State backends: C/StateBackendOptions.java STATE_BACKEND
   * "state.backend.type" (deprecated key "state.backend", renamed in 1.17),
   * C/CheckpointingOptions.java INCREMENTAL_CHECKPOINTS (renamed
   * "execution.checkpointing.incremental" in 1.20, default false in every
   * version), C/StateChangelogOptions.java (1.15, FLIP-158; renamed from
   * "state.backend.changelog.*" in 1.20; materialization every 10 min;
   * 1.13 and 1.14 had state.backend.changelog.enabled undocumented,
   * @ExcludeFromDocumentation "ChangelogBackend is under development", so
   * rescalesim starts it at 1.15 where Flink documents it),
   * RocksDBConfigurableOptions USE_INGEST_DB_RESTORE_MODE (1.20,
   * FLINK-31238, default false). */
  { "state.backend.type", "state.backend", 1, 5, 1, 17, KEY_BACKEND, 0, 0, 0,
    F (state_backend), def_zero },
  { "execution.checkpointing.incremental", "state.backend.incremental", 1, 5,
    1, 20, KEY_BOOL, 0, 1, 0, F (incremental_checkpoints), def_zero },
  { "state.changelog.enabled", "state.backend.changelog.enabled", 1, 15, 1,
    20, KEY_BOOL, 0, 1, 0, F (changelog_enabled), def_zero },
  { "state.changelog.periodic-materialize.interval",
    "state.backend.changelog.periodic-materialize.interval", 1, 15, 1, 20,
    KEY_DURATION, MS, 0, KEY_MINUS_ONE, F (changelog_materialize_interval),
    def_10min },
  { "state.changelog.periodic-materialize.enabled",
    "state.backend.changelog.periodic-materialize.enabled", 1, 19, 1, 20,
    KEY_BOOL, 0, 1, 0, F (changelog_materialize_enabled), def_one },
  { "state.backend.rocksdb.use-ingest-db-restore-mode", NULL, 1, 20, 0, 0,
    KEY_BOOL, 0, 1, 0, F (rocksdb_ingest_restore), def_zero },
  /* S/ExecutionOptions / PipelineOptions.OPERATOR_CHAINING
   * "pipeline.operator-chaining" (1.10), renamed
   * "pipeline.operator-chaining.enabled" in 1.18; default true (and
   * chaining was on before the key existed). */
  { "pipeline.operator-chaining.enabled", "pipeline.operator-chaining", 1, 10,
    1, 18, KEY_BOOL, 0, 1, 0, F (operator_chaining), def_one },
  /* C/JobManagerOptions.java SCHEDULER (1.9, values "legacy"/"ng";
   * Adaptive since 1.13) and SCHEDULER_MODE (1.13, FLIP-159). */
  { "jobmanager.scheduler", NULL, 1, 9, 0, 0, KEY_SCHEDULER, 0, 0, 0, NO_FIELD,
    NULL },
  { "scheduler-mode", NULL, 1, 13, 0, 0, KEY_SCHEDULER, 0, 0, 0, NO_FIELD,
    NULL },
};

#undef F
#undef NO_FIELD
#undef MS

enum { N_KEYS = G_N_ELEMENTS (keys) };

guint
rsim__flink_key_count (void)
{
  return N_KEYS;
}

const char *
rsim__flink_key_name (guint index)
{
  g_return_val_if_fail (index < N_KEYS, NULL);
  return keys[index].name;
}

gboolean
rsim__flink_key_is_duration (const char *name)
{
  for (guint i = 0; i < N_KEYS; i++)
    if (g_strcmp0 (keys[i].name, name) == 0
        || g_strcmp0 (keys[i].old_name, name) == 0)
      return keys[i].type == KEY_DURATION;
  return FALSE;
}

const char *
rsim__flink_key_old_name (guint index)
{
  g_return_val_if_fail (index < N_KEYS, NULL);
  return keys[index].old_name;
}

static gboolean
key_exists (const FlinkKey *k, RsimFlinkVersion v)
{
  return at_least (v, k->since_major, k->since_minor);
}

static gboolean
renamed_in (const FlinkKey *k, RsimFlinkVersion v)
{
  return k->old_name != NULL && at_least (v, k->renamed_major, k->renamed_minor);
}

/* The key's name in version v. */
static const char *
name_in (const FlinkKey *k, RsimFlinkVersion v)
{
  return k->old_name != NULL && !renamed_in (k, v) ? k->old_name : k->name;
}

static void
store (RsimFlinkConf *conf, const FlinkKey *k, KeyValue value)
{
  switch (k->type) {
  case KEY_INT:
  case KEY_BOOL:
  case KEY_RESTART:
  case KEY_FAILOVER:
  case KEY_BACKEND:
    G_STRUCT_MEMBER (int, conf, k->offset) = (int) value.i;
    break;
  case KEY_DURATION:
    G_STRUCT_MEMBER (RsimTime, conf, k->offset) = value.i;
    break;
  case KEY_DOUBLE:
    G_STRUCT_MEMBER (double, conf, k->offset) = value.d;
    break;
  case KEY_SCHEDULER:
    break;
  }
}

static KeyValue
load (const RsimFlinkConf *conf, const FlinkKey *k)
{
  switch (k->type) {
  case KEY_DURATION:
    return int_value (G_STRUCT_MEMBER (RsimTime, conf, k->offset));
  case KEY_DOUBLE:
    return (KeyValue) { .d = G_STRUCT_MEMBER (double, conf, k->offset) };
  default:
    return int_value (G_STRUCT_MEMBER (int, conf, k->offset));
  }
}

/* -------------------------------------------------------- reading values */

/* Flink reads every value from text, so "2" is as good as 2. */
static gboolean
text_to_int (const char *text, gint64 *out)
{
  return g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, out, NULL);
}

static gboolean
text_to_double (const char *text, double *out)
{
  char *end = NULL;
  if (*text == '\0' || g_ascii_isspace (*text))
    return FALSE;
  *out = g_ascii_strtod (text, &end);
  return *end == '\0' && isfinite (*out);
}

static char *
int_expected (const FlinkKey *k)
{
  const char *minus = k->flags & KEY_MINUS_ONE ? "-1 or " : "";
  if (k->max == G_MAXINT) {
    if (k->min == 0)
      return g_strdup_printf ("%sa non-negative integer", minus);
    if (k->min == 1)
      return g_strdup_printf ("%sa positive integer", minus);
  }
  return g_strdup_printf ("%san integer from %.0f to %.0f", minus, k->min,
                          k->max);
}

static gboolean
read_int (RsimLoadCtx *ctx, const FlinkKey *k, const cJSON *v, KeyValue *out,
          GError **error)
{
  gint64 i = 0;
  gboolean ok = FALSE;
  if (cJSON_IsNumber (v) && v->valuedouble == floor (v->valuedouble)
      && fabs (v->valuedouble) < 1e15) {
    i = (gint64) v->valuedouble;
    ok = TRUE;
  } else if (cJSON_IsString (v)) {
    ok = text_to_int (v->valuestring, &i);
  }
  ok = ok && ((i >= k->min && i <= k->max)
              || (i == -1 && (k->flags & KEY_MINUS_ONE)));
  if (!ok) {
    g_autofree char *what = int_expected (k);
    return rsim__ctx_expected (ctx, error, v, "%s", what);
  }
  *out = int_value (i);
  return TRUE;
}

static gboolean
read_duration (RsimLoadCtx *ctx, const FlinkKey *k, const cJSON *v,
               KeyValue *out, GError **error)
{
  RsimTime us = -1;
  gboolean ok = FALSE;
  if ((k->flags & KEY_MINUS_ONE)
      && ((cJSON_IsNumber (v) && v->valuedouble == -1.0)
          || (cJSON_IsString (v) && strcmp (v->valuestring, "-1") == 0))) {
    *out = int_value (-1);
    return TRUE;
  }
  if (cJSON_IsNumber (v)) {
    /* A bare integer is milliseconds. The range is checked on the double:
     * converting 1e19 to an integer first is undefined. */
    ok = v->valuedouble == floor (v->valuedouble) && v->valuedouble >= 0
      && v->valuedouble < 9e12;
    if (ok)
      us = (RsimTime) v->valuedouble * RSIM_MSEC;
  } else if (cJSON_IsString (v)) {
    /* Where 0 is allowed, "500 ns" would silently mean 0; elsewhere the
     * minimum's message below says what is wrong. */
    if (k->min <= 0 && rsim__flink_duration_below_clock (v->valuestring))
      return rsim__ctx_expected (ctx, error, v, "0 or a duration of at least "
                                 "1 us (the simulator's clock resolution)");
    ok = rsim__parse_flink_duration (v->valuestring, &us);
  }
  if (!ok)
    return rsim__ctx_expected (ctx, error, v,
                               "a duration such as \"10 s\", \"500 ms\" or an "
                               "integer number of milliseconds "
                               "(units: d, h, min, s, ms, us, ns)");
  if (us < k->min) {
    g_autofree char *min = rsim__format_duration (k->min);
    return rsim__ctx_expected (ctx, error, v, "a duration of at least %s", min);
  }
  /* Timers add durations to the clock: keep every one far from the
   * overflow of 64-bit microseconds. */
  if (us > MAX_FLINK_DURATION) {
    g_autofree char *max = rsim__format_duration ((double) MAX_FLINK_DURATION);
    return rsim__ctx_expected (ctx, error, v, "a duration of at most %s", max);
  }
  *out = int_value (us);
  return TRUE;
}

static gboolean
read_double (RsimLoadCtx *ctx, const FlinkKey *k, const cJSON *v,
             KeyValue *out, GError **error)
{
  double d = NAN;
  gboolean ok = FALSE;
  if (cJSON_IsNumber (v)) {
    d = v->valuedouble;
    ok = TRUE;
  } else if (cJSON_IsString (v)) {
    ok = text_to_double (v->valuestring, &d);
  }
  gboolean exclusive = (k->flags & KEY_MIN_EXCLUSIVE) != 0;
  ok = ok && (exclusive ? d > k->min : d >= k->min) && d <= k->max;
  if (!ok) {
    g_autofree char *min = rsim__format_double (k->min);
    if (k->max == G_MAXDOUBLE)
      return rsim__ctx_expected (ctx, error, v, "a number %s %s",
                                 exclusive ? "greater than" : "of at least",
                                 min);
    g_autofree char *max = rsim__format_double (k->max);
    return rsim__ctx_expected (ctx, error, v, "a number from %s to %s", min,
                               max);
  }
  *out = (KeyValue) { .d = d };
  return TRUE;
}

/* Flink lower-cases the value (RestartStrategyOptions.RestartStrategyType). */
static gboolean
read_restart (RsimLoadCtx *ctx, const cJSON *v, KeyValue *out, GError **error)
{
  static const struct { const char *text; RsimRestartKind kind; } names[] = {
    { "none", RSIM_RESTART_NONE }, { "off", RSIM_RESTART_NONE },
    { "disable", RSIM_RESTART_NONE },
    { "fixed-delay", RSIM_RESTART_FIXED_DELAY },
    { "fixeddelay", RSIM_RESTART_FIXED_DELAY },
    { "failure-rate", RSIM_RESTART_FAILURE_RATE },
    { "failurerate", RSIM_RESTART_FAILURE_RATE },
    { "exponential-delay", RSIM_RESTART_EXPONENTIAL_DELAY },
    { "exponentialdelay", RSIM_RESTART_EXPONENTIAL_DELAY },
  };
  RsimRules rules = rsim_rules_resolve (ctx->version);
  gboolean has_exp = rsim_rules_has (&rules, RSIM_RULE_EXPONENTIAL_DELAY_STRATEGY);
  if (cJSON_IsString (v)) {
    g_autofree char *lower = g_ascii_strdown (v->valuestring, -1);
    for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
      if (strcmp (lower, names[i].text) != 0)
        continue;
      if (names[i].kind == RSIM_RESTART_EXPONENTIAL_DELAY && !has_exp) {
        g_autofree char *ver = rsim_version_to_string (ctx->version);
        return rsim__ctx_fail (ctx, error,
                               "the exponential-delay restart strategy does "
                               "not exist in Flink %s (it was added in 1.13); "
                               "expected none, fixed-delay or failure-rate, "
                               "got \"%s\"", ver,
                               rsim__ctx_short (ctx, v->valuestring));
      }
      *out = int_value (names[i].kind);
      return TRUE;
    }
  }
  return rsim__ctx_expected (ctx, error, v,
                             "one of: none, off, disable, fixed-delay, "
                             "fixeddelay, failure-rate, failurerate%s",
                             has_exp ? ", exponential-delay, exponentialdelay"
                                     : "");
}

static gboolean
read_failover (RsimLoadCtx *ctx, const cJSON *v, KeyValue *out, GError **error)
{
  if (cJSON_IsString (v)) {
    for (int f = RSIM_FAILOVER_FULL; f <= RSIM_FAILOVER_REGION; f++) {
      if (g_ascii_strcasecmp (v->valuestring, rsim_failover_kind_name (f)) == 0) {
        *out = int_value (f);
        return TRUE;
      }
    }
  }
  return rsim__ctx_expected (ctx, error, v, "one of: full, region");
}

/* StateBackendLoader.loadStateBackendFromConfig: a case-insensitive name;
 * "jobmanager" and "filesystem" are the heap backend's names before 1.13
 * (FLIP-142) and stay accepted after; "forst" is a name the loader knows
 * from 2.0 (1.20 ships the ForSt module, loadable only by its factory class:
 * not modelled). */
static gboolean
read_backend (RsimLoadCtx *ctx, const cJSON *v, KeyValue *out, GError **error)
{
  RsimRules rules = rsim_rules_resolve (ctx->version);
  gboolean hashmap = rsim_rules_has (&rules, RSIM_RULE_HASHMAP_BACKEND_NAME);
  gboolean forst = rsim_rules_has (&rules, RSIM_RULE_FORST_STATE_BACKEND);
  g_autofree char *ver = rsim_version_to_string (ctx->version);
  if (cJSON_IsString (v)) {
    const char *t = v->valuestring;
    if (g_ascii_strcasecmp (t, "jobmanager") == 0
        || g_ascii_strcasecmp (t, "filesystem") == 0
        || (hashmap && g_ascii_strcasecmp (t, "hashmap") == 0)) {
      *out = int_value (RSIM_STATE_BACKEND_HASHMAP);
      return TRUE;
    }
    if (g_ascii_strcasecmp (t, "rocksdb") == 0) {
      *out = int_value (RSIM_STATE_BACKEND_ROCKSDB);
      return TRUE;
    }
    if (forst && g_ascii_strcasecmp (t, "forst") == 0) {
      *out = int_value (RSIM_STATE_BACKEND_FORST);
      return TRUE;
    }
    if (g_ascii_strcasecmp (t, "hashmap") == 0)
      return rsim__ctx_fail (ctx, error, "Flink %s has no \"hashmap\" state "
                             "backend (the name came with 1.13, FLIP-142); "
                             "expected jobmanager, filesystem or rocksdb",
                             ver);
    if (g_ascii_strcasecmp (t, "forst") == 0)
      return rsim__ctx_fail (ctx, error, "Flink %s has no \"forst\" state "
                             "backend (it came with 2.0, FLIP-427); expected "
                             "hashmap or rocksdb", ver);
  }
  return rsim__ctx_expected (ctx, error, v, "one of: %s",
                             forst ? "hashmap, rocksdb, forst"
                             : hashmap ? "hashmap, rocksdb"
                             : "jobmanager, filesystem, rocksdb");
}

static gboolean
read_value (RsimLoadCtx *ctx, const FlinkKey *k, const cJSON *v,
            KeyValue *out, GError **error)
{
  switch (k->type) {
  case KEY_INT:
    return read_int (ctx, k, v, out, error);
  case KEY_DURATION:
    return read_duration (ctx, k, v, out, error);
  case KEY_DOUBLE:
    return read_double (ctx, k, v, out, error);
  case KEY_RESTART:
    return read_restart (ctx, v, out, error);
  case KEY_FAILOVER:
    return read_failover (ctx, v, out, error);
  case KEY_BACKEND:
    return read_backend (ctx, v, out, error);
  case KEY_BOOL:
    /* Flink reads booleans from text, case-insensitively. */
    if (cJSON_IsBool (v)) {
      *out = int_value (cJSON_IsTrue (v) ? 1 : 0);
      return TRUE;
    }
    if (cJSON_IsString (v) && (g_ascii_strcasecmp (v->valuestring, "true") == 0
                               || g_ascii_strcasecmp (v->valuestring, "false") == 0)) {
      *out = int_value (g_ascii_strcasecmp (v->valuestring, "true") == 0);
      return TRUE;
    }
    return rsim__ctx_expected (ctx, error, v, "true or false");
  case KEY_SCHEDULER:
    if (!cJSON_IsString (v))
      return rsim__ctx_expected (ctx, error, v, "a string");
    return TRUE;
  }
  g_return_val_if_reached (FALSE);
}

/* ---------------------------------------------------------------- loading */

typedef struct {
  gboolean set;
  gboolean by_old_name;
  const char *used;            /* the key as written (borrowed from the JSON) */
  const RsimConfOrigin *origin;  /* where it was written; NULL = scenario */
  KeyValue value;
} Setting;

/* What one pass over the configuration found besides the settings. */
typedef struct {
  GString *unmodelled;         /* real Flink keys rescalesim ignores */
  const cJSON *scheduler;      /* jobmanager.scheduler's value, or NULL */
  const cJSON *mode;           /* scheduler-mode's value, or NULL */
  const RsimConfOrigin *scheduler_origin, *mode_origin;
} Extras;

static const FlinkKey *
find_key (const char *name, gboolean *old)
{
  for (guint i = 0; i < N_KEYS; i++) {
    if (strcmp (keys[i].name, name) == 0) {
      *old = FALSE;
      return &keys[i];
    }
    if (keys[i].old_name != NULL && strcmp (keys[i].old_name, name) == 0) {
      *old = TRUE;
      return &keys[i];
    }
  }
  return NULL;
}

/* Points the context at a key: "FILE:LINE:COL: KEY" for a key from a
 * configuration file, the JSON path flink.config."KEY" otherwise. Undo
 * with leave_key(). */
typedef struct {
  const char *file;
  char *path;
} KeyLocation;

static void
enter_key (RsimLoadCtx *ctx, const char *key, const RsimConfOrigin *origin,
           KeyLocation *saved)
{
  saved->file = ctx->file;
  saved->path = g_strdup (ctx->path->str);
  if (origin == NULL || origin->file == NULL) {
    rsim__ctx_push_quoted_key (ctx, key);
    return;
  }
  ctx->file = g_strdup_printf ("%s:%u:%u", origin->file, origin->line,
                               origin->col);
  g_string_assign (ctx->path, key);
}

static void
leave_key (RsimLoadCtx *ctx, KeyLocation *saved)
{
  if (ctx->file != saved->file)
    g_free ((char *) ctx->file);
  ctx->file = saved->file;
  g_string_assign (ctx->path, saved->path);
  g_free (saved->path);
}

/* A key the table does not model. The project's own autoscaler keys
 * (job.autoscaler.*, kubernetes.operator.*) belong to the Kubernetes
 * operator, not to Flink: they are read under controllers.autoscaler. */
static gboolean
unmodelled_key (RsimLoadCtx *ctx, const cJSON *item, Extras *x, GError **error)
{
  const char *name = item->string;
  g_autofree char *ver = rsim_version_to_string (ctx->version);
  if (g_str_has_prefix (name, "job.autoscaler.")
      || g_str_has_prefix (name, "kubernetes.operator."))
    return TRUE;              /* the operator's: loader.c applies them */
  const RsimKnownKey *k = rsim__known_key_find (name);
  guint v = rsim__version_code (ctx->version);
  if (k == NULL) {
    g_autofree char *hint = rsim__suggest_flink_key (name);
    if (hint != NULL)
      return rsim__ctx_fail (ctx, error, "unknown Flink configuration key; "
                             "did you mean %s?", hint);
    return rsim__ctx_fail (ctx, error, "unknown Flink configuration key (no "
                           "Flink version from 1.5 to 2.3 documents it)");
  }
  if (v < k->first)
    return rsim__ctx_fail (ctx, error, "does not exist in Flink %s (it was "
                           "added in %u.%u)", ver, k->first / 100u,
                           k->first % 100u);
  if (v > k->last) {
    rsim__ctx_warn (ctx, "documented up to Flink %u.%u only: Flink %s ignores "
                    "it or reads it as a deprecated name; not modelled by "
                    "rescalesim; ignored", k->last / 100u, k->last % 100u,
                    ver);
    return TRUE;
  }
  if (x->unmodelled->len > 0)
    g_string_append (x->unmodelled, ", ");
  g_string_append (x->unmodelled, name);
  return TRUE;
}

/* Reads one "key": value of the configuration (the context is at the key). */
static gboolean
read_setting (RsimLoadCtx *ctx, const cJSON *item, const RsimConfOrigin *origin,
              Setting *settings, Extras *x, GError **error)
{
  g_autofree char *ver = rsim_version_to_string (ctx->version);
  gboolean old = FALSE;
  const FlinkKey *k = find_key (item->string, &old);
  if (k == NULL)
    return unmodelled_key (ctx, item, x, error);
  /* Does the name used exist in this version? */
  gboolean new_name = !old && k->old_name != NULL;
  int first_major = new_name ? k->renamed_major : k->since_major;
  int first_minor = new_name ? k->renamed_minor : k->since_minor;
  if (!at_least (ctx->version, first_major, first_minor))
    return rsim__ctx_fail (ctx, error, "does not exist in Flink %s (it was "
                           "added in %d.%d)", ver, first_major, first_minor);
  Setting *s = &settings[k - keys];
  KeyValue value = { 0 };
  if (!read_value (ctx, k, item, &value, error))
    return FALSE;
  if (k->type == KEY_SCHEDULER) {
    if (strcmp (k->name, "scheduler-mode") == 0) {
      x->mode = item;
      x->mode_origin = origin;
    } else {
      x->scheduler = item;
      x->scheduler_origin = origin;
    }
    return TRUE;
  }
  if (old && renamed_in (k, ctx->version))
    rsim__ctx_warn (ctx, "deprecated since Flink %d.%d; use \"%s\"",
                    k->renamed_major, k->renamed_minor, k->name);
  /* Flink prefers the current key over a deprecated one, whatever the
   * order they were written in. */
  if (s->set && s->by_old_name != old) {
    const char *loser = old ? item->string : s->used;
    const char *winner = old ? s->used : item->string;
    rsim__ctx_warn (ctx, "both \"%s\" and \"%s\" are set; \"%s\" is used",
                    loser, winner, winner);
    if (old)
      return TRUE;
  }
  s->set = TRUE;
  s->by_old_name = old;
  s->used = item->string;
  s->origin = origin;
  s->value = value;
  return TRUE;
}

/* jobmanager.scheduler (C/JobManagerOptions.java SCHEDULER: "legacy" and
 * "ng" in 1.9-1.12, "Ng"/"Default", "Adaptive" since 1.13, "AdaptiveBatch"
 * since 1.15; Flink matches enum values ignoring case) and scheduler-mode
 * (SCHEDULER_MODE, 1.13, FLIP-159: "reactive"). Reactive mode runs the
 * adaptive scheduler (DefaultSlotPoolServiceSchedulerFactory), so
 * scheduler-mode: reactive with jobmanager.scheduler: default is a
 * contradiction. *out is an RsimSchedulerKind or -1. */
static gboolean
resolve_scheduler (RsimLoadCtx *ctx, const Extras *x, int *out,
                   GError **error)
{
  int kind = -1;
  KeyLocation at;
  *out = -1;
  if (x->scheduler != NULL) {
    const char *v = x->scheduler->valuestring;
    gboolean adaptive_exists = at_least (ctx->version, 1, 13);
    enter_key (ctx, x->scheduler->string, x->scheduler_origin, &at);
    if (g_ascii_strcasecmp (v, "ng") == 0 || g_ascii_strcasecmp (v, "legacy") == 0
        || (g_ascii_strcasecmp (v, "default") == 0 && adaptive_exists)) {
      kind = RSIM_SCHEDULER_DEFAULT;
    } else if (g_ascii_strcasecmp (v, "adaptive") == 0 && adaptive_exists) {
      kind = RSIM_SCHEDULER_ADAPTIVE;
    } else if (g_ascii_strcasecmp (v, "adaptivebatch") == 0
               && at_least (ctx->version, 1, 15)) {
      gboolean r = rsim__ctx_fail (ctx, error, "the adaptive batch scheduler "
                                   "runs batch jobs, which rescalesim does not "
                                   "model; expected default or adaptive");
      leave_key (ctx, &at);
      return r;
    } else {
      g_autofree char *ver = rsim_version_to_string (ctx->version);
      gboolean r = rsim__ctx_expected (ctx, error, x->scheduler,
                                       "a scheduler of Flink %s (%s)", ver,
                                       adaptive_exists ? "default, ng or adaptive"
                                                       : "ng or legacy");
      leave_key (ctx, &at);
      return r;
    }
    leave_key (ctx, &at);
  }
  if (x->mode != NULL) {
    enter_key (ctx, x->mode->string, x->mode_origin, &at);
    if (g_ascii_strcasecmp (x->mode->valuestring, "reactive") != 0) {
      gboolean r = rsim__ctx_expected (ctx, error, x->mode, "reactive");
      leave_key (ctx, &at);
      return r;
    }
    if (kind == RSIM_SCHEDULER_DEFAULT) {
      gboolean r = rsim__ctx_fail (ctx, error, "scheduler-mode: reactive runs "
                                   "the adaptive scheduler, but "
                                   "jobmanager.scheduler is \"%s\"; remove one "
                                   "of them", x->scheduler->valuestring);
      leave_key (ctx, &at);
      return r;
    }
    leave_key (ctx, &at);
    kind = RSIM_SCHEDULER_REACTIVE;
  }
  *out = kind;
  return TRUE;
}

static gboolean
cross_check (RsimLoadCtx *ctx, const RsimFlinkConf *conf,
             const Setting *settings, gboolean restart_set, GError **error)
{
  /* P/heartbeat/HeartbeatServices.java rejects a timeout below the
   * interval. Point at whichever of the two the scenario set. */
  const Setting *timeout = NULL, *interval = NULL, *initial = NULL,
    *max = NULL, *si_min = NULL, *si_max = NULL;
  for (guint i = 0; i < N_KEYS; i++) {
    if (keys[i].offset == G_STRUCT_OFFSET (RsimFlinkConf, heartbeat_timeout))
      timeout = &settings[i];
    else if (keys[i].offset == G_STRUCT_OFFSET (RsimFlinkConf, heartbeat_interval))
      interval = &settings[i];
    else if (keys[i].offset == G_STRUCT_OFFSET (RsimFlinkConf, exp_initial_backoff))
      initial = &settings[i];
    else if (keys[i].offset == G_STRUCT_OFFSET (RsimFlinkConf, exp_max_backoff))
      max = &settings[i];
    else if (keys[i].offset == G_STRUCT_OFFSET (RsimFlinkConf, as_cooldown))
      si_min = &settings[i];
    else if (keys[i].offset == G_STRUCT_OFFSET (RsimFlinkConf, as_scaling_interval_max))
      si_max = &settings[i];
  }
  if (conf->heartbeat_timeout < conf->heartbeat_interval) {
    const Setting *at = timeout->set ? timeout : interval;
    KeyLocation loc;
    enter_key (ctx, at->used, at->origin, &loc);
    g_autofree char *t = rsim__format_duration (conf->heartbeat_timeout);
    g_autofree char *i = rsim__format_duration (conf->heartbeat_interval);
    rsim__ctx_fail (ctx, error, "heartbeat.timeout must be at least "
                    "heartbeat.interval (timeout %s, interval %s)", t, i);
    leave_key (ctx, &loc);
    return FALSE;
  }
  /* Legal in Flink, but then every heartbeat has to arrive on time. */
  if (conf->heartbeat_timeout == conf->heartbeat_interval) {
    const Setting *at = timeout->set ? timeout : interval;
    KeyLocation loc;
    enter_key (ctx, at->used, at->origin, &loc);
    g_autofree char *t = rsim__format_duration (conf->heartbeat_timeout);
    rsim__ctx_warn (ctx, "heartbeat.timeout equals heartbeat.interval (%s): "
                    "Flink accepts it, but a TaskManager is then lost as soon "
                    "as one heartbeat answer is late", t);
    leave_key (ctx, &loc);
  }
  /* scaling-interval.max: 1.19-1.20's AdaptiveScheduler.Settings.of
   * requires it to exceed scaling-interval.min (checked when the adaptive
   * scheduler is created; a scenario runs every scheduler it lists, so it
   * is refused here). 2.0 keeps the key, deprecated, and reads it nowhere
   * (FLIP-461's DefaultStateTransitionManager replaced the forced check). */
  if (si_max->set) {
    RsimRules rules = rsim_rules_resolve (ctx->version);
    KeyLocation loc;
    enter_key (ctx, si_max->used, si_max->origin, &loc);
    if (rsim_rules_has (&rules, RSIM_RULE_AS_RESCALE_ON_CHECKPOINT)) {
      g_autofree char *ver = rsim_version_to_string (ctx->version);
      rsim__ctx_warn (ctx, "Flink %s no longer reads it (the adaptive "
                      "scheduler rescales on checkpoints, FLIP-461; see "
                      "jobmanager.adaptive-scheduler.executing.resource-"
                      "stabilization-timeout); ignored", ver);
    } else if (conf->as_scaling_interval_max <= conf->as_cooldown) {
      g_autofree char *a = rsim__format_duration (conf->as_scaling_interval_max);
      g_autofree char *b = rsim__format_duration (conf->as_cooldown);
      rsim__ctx_fail (ctx, error, "%s (%s) must be greater than %s (%s), as "
                      "Flink's AdaptiveScheduler.Settings requires",
                      si_max->used, a, name_in (&keys[si_min - settings],
                                                 ctx->version), b);
      leave_key (ctx, &loc);
      return FALSE;
    }
    leave_key (ctx, &loc);
  }
  /* ExponentialDelayRestartBackoffTimeStrategy: initial <= max backoff. */
  if (restart_set && conf->restart_strategy == RSIM_RESTART_EXPONENTIAL_DELAY
      && conf->exp_initial_backoff > conf->exp_max_backoff) {
    const Setting *at = max->set ? max : initial;
    KeyLocation loc;
    enter_key (ctx, at->used, at->origin, &loc);
    g_autofree char *a = rsim__format_duration (conf->exp_initial_backoff);
    g_autofree char *b = rsim__format_duration (conf->exp_max_backoff);
    rsim__ctx_fail (ctx, error, "the initial backoff (%s) must not "
                    "exceed the max backoff (%s)", a, b);
    leave_key (ctx, &loc);
    return FALSE;
  }
  return TRUE;
}

/* Options that only one state backend reads: Flink accepts them with any
 * backend and ignores them, so they are warnings naming the key as
 * written. */
static gboolean
state_backend_check (RsimLoadCtx *ctx, const RsimFlinkConf *conf,
                     const Setting *settings)
{
  const char *backend = NULL;
  for (guint i = 0; i < N_KEYS; i++)
    if (keys[i].type == KEY_BACKEND)
      backend = name_in (&keys[i], ctx->version);
  g_autofree char *ver = rsim_version_to_string (ctx->version);
  for (guint i = 0; i < N_KEYS; i++) {
    if (!settings[i].set)
      continue;
    void *field = G_STRUCT_MEMBER_P (conf, keys[i].offset);
    gboolean rocksdb_only =
      field == (void *) &conf->incremental_checkpoints
      || field == (void *) &conf->rocksdb_ingest_restore;
    if (!rocksdb_only || conf->state_backend == RSIM_STATE_BACKEND_ROCKSDB
        || G_STRUCT_MEMBER (int, conf, keys[i].offset) == 0)
      continue;
    KeyLocation loc;
    enter_key (ctx, settings[i].used, settings[i].origin, &loc);
    rsim__ctx_warn (ctx, "has no effect in Flink %s: %s is %s, and only the "
                    "rocksdb state backend reads it", ver, backend,
                    rsim_state_backend_name (conf->state_backend));
    leave_key (ctx, &loc);
  }
  return TRUE;
}

gboolean
rsim__flink_config_load_merged (RsimLoadCtx *ctx, const cJSON *config,
                                const GArray *origins, RsimFlinkConf *conf,
                                int *scheduler, GError **error)
{
  Setting settings[N_KEYS] = { { 0 } };
  g_autoptr (GString) unmodelled = g_string_new (NULL);
  Extras x = { unmodelled, NULL, NULL, NULL, NULL };
  if (scheduler != NULL)
    *scheduler = -1;
  if (config != NULL) {
    if (!cJSON_IsObject (config))
      return rsim__ctx_expected (ctx, error, config,
                                 "an object of Flink configuration keys");
    guint index = 0;
    for (const cJSON *c = config->child; c; c = c->next, index++) {
      const RsimConfOrigin *origin = origins != NULL && index < origins->len
        ? &g_array_index (origins, RsimConfOrigin, index) : NULL;
      if (origin != NULL && origin->file == NULL)
        origin = NULL;
      KeyLocation loc;
      enter_key (ctx, c->string, origin, &loc);
      gboolean ok = read_setting (ctx, c, origin, settings, &x, error);
      leave_key (ctx, &loc);
      if (!ok)
        return FALSE;
    }
  }
  /* One note for every real Flink key that is not modelled. */
  if (unmodelled->len > 0) {
    g_autofree char *ver = rsim_version_to_string (ctx->version);
    rsim__ctx_warn (ctx, "Flink %s keys that rescalesim does not model, "
                    "ignored: %s", ver, unmodelled->str);
  }
  int kind = -1;
  if (!resolve_scheduler (ctx, &x, &kind, error))
    return FALSE;
  if (scheduler != NULL)
    *scheduler = kind;

  memset (conf, 0, sizeof *conf);
  DefaultCtx dc = { ctx->version, conf, FALSE, FALSE };
  const FlinkKey *restart_key = NULL;
  const Setting *attempts = NULL;
  for (guint i = 0; i < N_KEYS; i++) {
    if (keys[i].type == KEY_RESTART)
      restart_key = &keys[i];
    if (keys[i].offset == G_STRUCT_OFFSET (RsimFlinkConf, fixed_delay_attempts))
      attempts = &settings[i];
  }
  for (guint i = 0; i < N_KEYS; i++) {
    const FlinkKey *k = &keys[i];
    if (k->type == KEY_SCHEDULER)
      continue;
    gboolean use = settings[i].set;
    /* 1.5-1.9 (RestartStrategyFactory.createRestartStrategyFactory): with
     * no restart-strategy, a positive restart-strategy.fixed-delay.attempts
     * builds a fixed-delay strategy. */
    if (k->type == KEY_RESTART && !use && attempts->set && attempts->value.i > 0
        && !has_rule (&dc, RSIM_RULE_RESTART_NEEDS_STRATEGY_KEY)) {
      settings[i].value = int_value (RSIM_RESTART_FIXED_DELAY);
      use = TRUE;
      dc.attempts_alone = TRUE;
    }
    if (use && (k->flags & KEY_RESTART_PARAM) && !dc.restart_set) {
      KeyLocation loc;
      enter_key (ctx, settings[i].used, settings[i].origin, &loc);
      rsim__ctx_warn (ctx, "has no effect: %s is not set, so Flink uses its "
                      "default restart strategy with default settings",
                      name_in (restart_key, ctx->version));
      leave_key (ctx, &loc);
      use = FALSE;
    }
    store (conf, k, use ? settings[i].value : k->def (&dc));
    if (k->type == KEY_RESTART)
      dc.restart_set = use;
  }
  return cross_check (ctx, conf, settings, dc.restart_set, error)
    && state_backend_check (ctx, conf, settings);
}

gboolean
rsim__flink_config_load (RsimLoadCtx *ctx, const cJSON *config,
                         RsimFlinkConf *conf, GError **error)
{
  return rsim__flink_config_load_merged (ctx, config, NULL, conf, NULL, error);
}

/* --------------------------------------------------------------- printing */

/* The backend's name as the version spells it. */
static const char *
state_backend_text (RsimStateBackend b, RsimFlinkVersion version)
{
  RsimRules rules = rsim_rules_resolve (version);
  if (b == RSIM_STATE_BACKEND_HASHMAP
      && !rsim_rules_has (&rules, RSIM_RULE_HASHMAP_BACKEND_NAME))
    return "jobmanager";
  return rsim_state_backend_name (b);
}

cJSON *
rsim__flink_config_to_json (const RsimFlinkConf *conf, RsimFlinkVersion version)
{
  cJSON *obj = cJSON_CreateObject ();
  for (guint i = 0; i < N_KEYS; i++) {
    const FlinkKey *k = &keys[i];
    if (k->type == KEY_SCHEDULER || !key_exists (k, version))
      continue;
    KeyValue v = load (conf, k);
    cJSON *item;
    switch (k->type) {
    case KEY_INT:
      item = cJSON_CreateNumber ((double) v.i);
      break;
    case KEY_DURATION:
      if (((k->flags & KEY_ZERO_UNSET) && v.i == 0)
          || v.i == RSIM_TIME_MODE_DEFAULT) {
        item = cJSON_CreateNull ();
      } else if ((k->flags & KEY_MINUS_ONE) && v.i < 0) {
        item = cJSON_CreateNumber (-1);
      } else {
        g_autofree char *text = rsim__format_duration ((double) v.i);
        item = cJSON_CreateString (text);
      }
      break;
    case KEY_DOUBLE:
      item = cJSON_CreateNumber (v.d);
      break;
    case KEY_RESTART:
      item = cJSON_CreateString (rsim_restart_kind_name ((RsimRestartKind) v.i));
      break;
    case KEY_FAILOVER:
      item = cJSON_CreateString (rsim_failover_kind_name ((RsimFailoverKind) v.i));
      break;
    case KEY_BOOL:
      item = cJSON_CreateBool (v.i != 0);
      break;
    case KEY_BACKEND:
      item = cJSON_CreateString (state_backend_text ((RsimStateBackend) v.i,
                                                     version));
      break;
    default:
      g_assert_not_reached ();
    }
    cJSON_AddItemToObject (obj, name_in (k, version), item);
  }
  return obj;
}

/* ------------------------------------------------------- public defaults */

gboolean
rsim_flink_conf_resolve (RsimFlinkConf *conf, RsimFlinkVersion version,
                         const char *const *pairs, GError **error)
{
  g_return_val_if_fail (conf != NULL, FALSE);
  cJSON *config = cJSON_CreateObject ();
  for (guint i = 0; pairs != NULL && pairs[i] != NULL; i += 2)
    cJSON_AddStringToObject (config, pairs[i],
                             pairs[i + 1] != NULL ? pairs[i + 1] : "");
  RsimLoadCtx ctx = { 0 };
  ctx.file = "flink configuration";
  ctx.path = g_string_new ("flink.config");
  ctx.warnings = g_ptr_array_new_with_free_func (g_free);
  ctx.version = version;
  gboolean ok = rsim__flink_config_load (&ctx, config, conf, error);
  g_string_free (ctx.path, TRUE);
  g_ptr_array_unref (ctx.warnings);
  cJSON_Delete (config);
  return ok;
}
