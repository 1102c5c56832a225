/* The execution-graph core shared by the schedulers (execution.h).
 *
 * Sources: flink-runtime/src/main/java/org/apache/flink/runtime/
 * executiongraph/Execution.java (deploy, cancel with NUM_CANCEL_CALL_TRIES,
 * markFailed), ExecutionGraph, scheduler/SharedSlot, jobmaster/slotpool/;
 * checkpoint/DefaultCheckpointPlanCalculator.java (checkTasksStarted);
 * runtime/io/network (a broken connection fails the consuming and producing
 * tasks of the channel). */
#include "sched/execution.h"

#include <string.h>

static const char *const state_names[] = {
#define RSIM_X(id, name) name,
  RSIM_EXEC_STATE_LIST (RSIM_X)
#undef RSIM_X
};

const char *
rsim_exec_state_name (RsimExecState state)
{
  g_return_val_if_fail (state < RSIM_EXEC_STATE_COUNT, "?");
  return state_names[state];
}

gboolean
rsim_exec_state_is_live (RsimExecState s)
{
  return s == RSIM_EXEC_SCHEDULED || s == RSIM_EXEC_DEPLOYING
    || s == RSIM_EXEC_INITIALIZING || s == RSIM_EXEC_RUNNING;
}

/* An event about one execution of one graph. */
typedef struct {
  RsimExecGraph *eg;
  guint gen;
  int e;
  guint token;
  int tm;                      /* the TaskManager it concerns, or -1 */
  guint attempt;               /* the deployment it concerns */
} ExRef;

static ExRef *
ex_ref (RsimExecGraph *eg, int e)
{
  ExRef *r = g_new (ExRef, 1);
  r->eg = eg;
  r->gen = eg->gen;
  r->e = e;
  r->token = eg->ex[e].token;
  r->tm = -1;
  r->attempt = eg->ex[e].attempt;
  return r;
}

static gboolean
ex_ref_current (const ExRef *r)
{
  return r->gen == r->eg->gen && r->e < r->eg->n_ex
    && r->eg->ex[r->e].token == r->token;
}

/* ---------------------------------------------------------- the gate */

/* DefaultCheckpointPlanCalculator.checkTasksStarted: a trigger is refused
 * with NOT_ALL_REQUIRED_TASKS_RUNNING unless every task it waits for is
 * RUNNING (1.14+, FLINK-22379); before, only the tasks it triggers (the
 * sources) had to be. */
static gboolean
gate_all_running (gpointer user)
{
  const RsimExecGraph *eg = user;
  if (eg->n_ex == 0)
    return FALSE;
  if (rsim_rules_has (&eg->world->rules, RSIM_RULE_CHECKPOINT_WAITS_FOR_ALL_TASKS))
    return eg->count[RSIM_EXEC_RUNNING] == eg->n_ex;
  return eg->sources_running == eg->n_sources;
}

RsimExecGraph *
rsim_exec_graph_new (RsimWorld *world, const RsimExecListener *listener,
                     gpointer user, gboolean local_recovery)
{
  RsimExecGraph *eg = g_new0 (RsimExecGraph, 1);
  eg->world = world;
  if (listener)
    eg->listener = *listener;
  eg->user = user;
  eg->local_recovery = local_recovery;
  eg->deployed = g_hash_table_new (g_direct_hash, g_direct_equal);
  world->checkpoints->all_running = gate_all_running;
  world->checkpoints->gate_user = eg;
  return eg;
}

static void
free_graph (RsimExecGraph *eg)
{
  rsim_exec_graph_release_slots (eg);
  g_clear_pointer (&eg->ex, g_free);
  g_clear_pointer (&eg->shared, g_free);
  eg->n_ex = eg->n_shared = 0;
  memset (eg->count, 0, sizeof eg->count);
  eg->n_sources = eg->sources_running = 0;
}

void
rsim_exec_graph_free (RsimExecGraph *eg)
{
  if (eg == NULL)
    return;
  free_graph (eg);
  g_free (eg->prev_tm);
  g_free (eg->prev_parallelism);
  g_hash_table_unref (eg->deployed);
  g_free (eg);
}

void
rsim_exec_graph_new_job (RsimExecGraph *eg)
{
  g_hash_table_remove_all (eg->deployed);
  if (eg->prev_tm != NULL)
    for (int e = 0; e < eg->n_ex; e++)
      eg->prev_tm[e] = -1;
}

void
rsim_exec_graph_build (RsimExecGraph *eg)
{
  RsimWorld *w = eg->world;
  const RsimJobGraph *g = w->graph;
  free_graph (eg);
  gboolean same = eg->prev_parallelism != NULL
    && memcmp (eg->prev_parallelism, g->parallelism,
               sizeof (int) * g->n_vertices) == 0;
  if (!same) {
    g_free (eg->prev_tm);
    g_free (eg->prev_parallelism);
    eg->prev_parallelism = g_memdup2 (g->parallelism, sizeof (int) * g->n_vertices);
    eg->prev_tm = g_new (int, MAX (g->n_executions, 1));
    for (int e = 0; e < g->n_executions; e++)
      eg->prev_tm[e] = -1;
  }
  eg->gen++;
  eg->n_ex = g->n_executions;
  eg->ex = g_new0 (RsimExecution, MAX (eg->n_ex, 1));
  eg->count[RSIM_EXEC_CREATED] = eg->n_ex;
  /* One shared slot per subtask index of each slot-sharing group: the
   * group's largest parallelism. */
  int *base = g_new0 (int, g->n_ssg + 1);
  int total = 0;
  for (int s = 0; s < g->n_ssg; s++) {
    base[s] = total;
    int m = 0;
    for (guint v = 0; v < g->n_vertices; v++)
      if (g->ssg[v] == s)
        m = MAX (m, g->parallelism[v]);
    total += m;
  }
  eg->n_shared = total;
  eg->shared = g_new (RsimSlotRef, MAX (total, 1));
  for (int k = 0; k < total; k++)
    eg->shared[k] = RSIM_SLOT_NONE;
  for (guint v = 0; v < g->n_vertices; v++)
    for (int i = 0; i < g->parallelism[v]; i++) {
      int e = rsim_job_graph_execution (g, (int) v, i);
      eg->ex[e].shared = base[g->ssg[v]] + i;
      eg->ex[e].vertex = (int) v;
      eg->ex[e].subtask = i;
      if (g->is_source[v])
        eg->n_sources++;
    }
  g_free (base);
  w->layout++;
  rsim_dataflow_set_regions (w->flow, g->n_regions, g->region_share,
                             g->region_capacity);
}

int
rsim_exec_graph_region (const RsimExecGraph *eg, int e)
{
  return eg->world->graph->region_of[e];
}

RsimTaskManager *
rsim_exec_graph_tm (const RsimExecGraph *eg, int e)
{
  const RsimSlotRef *ref = &eg->shared[eg->ex[e].shared];
  return ref->tm < 0 ? NULL : rsim_cluster_get (eg->world->cluster, ref->tm);
}

void
rsim_exec_graph_set_state (RsimExecGraph *eg, int e, RsimExecState state)
{
  RsimExecution *x = &eg->ex[e];
  gboolean source = eg->world->graph->is_source[x->vertex];
  eg->count[x->state]--;
  if (source && x->state == RSIM_EXEC_RUNNING)
    eg->sources_running--;
  x->state = state;
  x->token++;
  eg->count[state]++;
  if (source && state == RSIM_EXEC_RUNNING)
    eg->sources_running++;
}

void
rsim_exec_graph_set_all (RsimExecGraph *eg, RsimExecState state)
{
  for (int e = 0; e < eg->n_ex; e++)
    rsim_exec_graph_set_state (eg, e, state);
}

int
rsim_exec_graph_count (const RsimExecGraph *eg, RsimExecState state)
{
  return eg->count[state];
}

/* ------------------------------------------------------------------ slots */

gboolean
rsim_exec_graph_ensure_slot (RsimExecGraph *eg, int k)
{
  RsimSlotPool *pool = eg->world->slots;
  if (eg->shared[k].tm >= 0) {
    if (rsim_slot_pool_has_tm (pool, eg->shared[k].tm))
      return TRUE;
    rsim_slot_pool_release (pool, &eg->shared[k], k);
  }
  return rsim_slot_pool_reserve (pool, k, &eg->shared[k]);
}

void
rsim_exec_graph_release_slot (RsimExecGraph *eg, int k)
{
  if (eg->shared[k].tm >= 0)
    rsim_slot_pool_release (eg->world->slots, &eg->shared[k], k);
}

void
rsim_exec_graph_release_slots (RsimExecGraph *eg)
{
  for (int k = 0; k < eg->n_shared; k++)
    rsim_exec_graph_release_slot (eg, k);
}

int
rsim_exec_graph_held_slots (const RsimExecGraph *eg)
{
  int n = 0;
  for (int k = 0; k < eg->n_shared; k++)
    n += eg->shared[k].tm >= 0;
  return n;
}

/* ------------------------------------------------------------- deployment */

/* Counts the current attempt's failed deployment once; TRUE if it did. */
static gboolean
count_failed_deployment (RsimExecGraph *eg, int e)
{
  if (!eg->ex[e].deploy_failing)
    return FALSE;
  eg->ex[e].deploy_failing = FALSE;
  rsim__recorder_count_failed_deployment (eg->world->recorder);
  return TRUE;
}

static void cancel_done (RsimExecGraph *eg, int e);

/* The deploy RPC to a TaskManager that is gone has failed (one try). The
 * deployment counts as failed even when the execution was cancelled
 * meanwhile, and a cancellation waiting for it completes now
 * (Execution.markFailed while CANCELING completes the cancellation). */
static void
deploy_failed_cb (RsimEngine *engine, gpointer data)
{
  ExRef *ref = data;
  RsimExecGraph *eg = ref->eg;
  if (ref->gen != eg->gen || eg->ex[ref->e].attempt != ref->attempt)
    return;
  if (count_failed_deployment (eg, ref->e)
      && eg->ex[ref->e].state == RSIM_EXEC_CANCELING) {
    cancel_done (eg, ref->e);
    return;
  }
  if (!ex_ref_current (ref))
    return;
  g_autofree char *cause = g_strdup_printf (
    "deployment to taskmanager %d failed: the TaskManager does not answer",
    ref->tm);
  rsim_exec_graph_fail (eg, ref->e, cause);
}

typedef struct {
  RsimExecGraph *eg;
  guint gen;
  int tag;
  int n;
  int *e;
  guint *token;
} Batch;

static void
batch_free (gpointer p)
{
  Batch *b = p;
  g_free (b->e);
  g_free (b->token);
  g_free (b);
}

/* A TaskManager whose tasks run: its process runs, or it is in a
 * stop-the-world pause it comes back from (its tasks resume with it; if
 * the JobManager gives up on it first, the loss fails them). The pause's
 * own stall of processing is not modelled. */
static gboolean
tm_works (const RsimTaskManager *tm)
{
  return tm != NULL && (tm->process == RSIM_TM_RUNNING || tm->paused);
}

static void
restored_cb (RsimEngine *engine, gpointer data)
{
  Batch *b = data;
  RsimExecGraph *eg = b->eg;
  if (b->gen != eg->gen)
    return;
  int running = 0, missing = 0;
  for (int i = 0; i < b->n; i++) {
    int e = b->e[i];
    if (eg->ex[e].token != b->token[i]
        || eg->ex[e].state != RSIM_EXEC_INITIALIZING)
      continue;
    RsimTaskManager *tm = rsim_exec_graph_tm (eg, e);
    if (!tm_works (tm)) {
      missing++;              /* its failure comes from the cluster */
      continue;
    }
    rsim_exec_graph_set_state (eg, e, RSIM_EXEC_RUNNING);
    running++;
  }
  if (running + missing > 0 && eg->listener.restored)
    eg->listener.restored (eg->user, b->tag, running, missing);
  if (running > 0)
    rsim_checkpoint_tasks_changed (eg->world->checkpoints);
}

/* ------------------------------------------------------------- restores */

static RsimTime
at_rate (double bytes, double rate)
{
  return rate > 0.0 && bytes > 0.0 ? (RsimTime) (bytes / rate * 1e6 + 0.5) : 0;
}

/* A subtask's restore, as the state backend does it
 * (flink-state-backends/flink-statebackend-rocksdb/.../restore/
 * RocksDBIncrementalRestoreOperation.java, RocksDBFullRestoreOperation.java;
 * flink-runtime/.../state/heap/HeapRestoreOperation.java):
 * - download: the old handles its key-group range meets
 *   (rsim_job_graph_restore_plan): whole RocksDB databases for incremental
 *   checkpoints and native savepoints, only its key groups from a
 *   key-group stream otherwise. Before 1.18 the handles of a rescale are
 *   fetched one after the other, from 1.18 all at once (FLINK-32345), so
 *   the largest handle sets the time. ForSt reads its files in remote
 *   storage and downloads nothing first (FLIP-427; an assumption that the
 *   first reads after a restore cost nothing extra).
 * - rebuild: heap backends deserialize while they read (the measured
 *   download bandwidth covers it). A RocksDB full snapshot or canonical
 *   savepoint is re-inserted key by key. A RocksDB database of exactly its
 *   range opens as it is. Otherwise the handle overlapping it most is the
 *   base: when it covers the whole range it is only clipped, with
 *   deleteRange from 1.16 (state_clip, FLINK-21321), key by key before
 *   (its bytes outside the range at the rebuild rate); the keys in range
 *   of every other handle are re-inserted at the rebuild rate, with the
 *   write-ahead log on before 1.18 (state_rebuild_rate_wal, FLINK-32326),
 *   or, from 1.20 with use-ingest-db-restore-mode, each of those databases
 *   is clipped and its files ingested (state_clip each, FLINK-31238).
 * - replay (changelog backend): the changelog since the last
 *   materialization, downloaded and applied at changelog_replay_rate; a
 *   changelog job recovers locally only from 1.16 (FLINK-27692,
 *   FLINK-27693). */
RsimRestoreSplit
rsim_exec_restore_split (RsimWorld *w, int v, int i, const RsimSnapshot *snap,
                         gboolean local)
{
  const RsimJobGraph *g = w->graph;
  const RsimFlinkConf *conf = w->conf;
  const RsimCosts *c = w->costs;
  RsimRestoreSplit split = { 0 };
  split.fixed = rsim_world_cost_time (w, &c->restore_fixed, "restore_fixed");
  double bw = rsim_world_cost (w, &c->state_download_bandwidth,
                               "state_download_bandwidth");
  const RsimVertexSpec *vs = &g->spec.vertices[v];
  if (!snap->valid || vs->state_bytes <= 0.0)
    return split;
  int old_p = snap->parallelism ? snap->parallelism[v] : 0;
  gboolean changelog = conf->changelog_enabled && !snap->savepoint;
  if (changelog && !rsim_rules_has (&w->rules, RSIM_RULE_CHANGELOG_LOCAL_RECOVERY))
    local = FALSE;
  split.local = local;
  RsimStateBackend backend = conf->state_backend;
  gboolean files = backend != RSIM_STATE_BACKEND_HASHMAP
    && (snap->savepoint ? snap->native
                        : backend == RSIM_STATE_BACKEND_FORST
                          || conf->incremental_checkpoints || changelog);
  RsimRestorePlan plan;
  rsim_job_graph_restore_plan (g, v, i, old_p, files, &plan);
  split.handles = plan.n_handles;
  if (!local && backend != RSIM_STATE_BACKEND_FORST) {
    split.bytes = plan.download_bytes;
    double bytes = plan.download_bytes;
    if (files && plan.n_handles > 1
        && rsim_rules_has (&w->rules, RSIM_RULE_ROCKSDB_PARALLEL_HANDLE_DOWNLOAD))
      bytes = plan.largest_handle;
    split.download = at_rate (bytes, bw);
  }
  if (backend != RSIM_STATE_BACKEND_HASHMAP) {
    gboolean wal_off = rsim_rules_has (&w->rules, RSIM_RULE_ROCKSDB_RESTORE_WAL_OFF);
    const RsimDist *rd = wal_off ? &c->state_rebuild_rate : &c->state_rebuild_rate_wal;
    const char *rname = wal_off ? "state_rebuild_rate" : "state_rebuild_rate_wal";
    if (!files) {
      split.rebuild = at_rate (plan.own_bytes, rsim_world_cost (w, rd, rname));
    } else if (!plan.unchanged && !local) {
      if (plan.clip_sides > 0) {
        if (rsim_rules_has (&w->rules, RSIM_RULE_ROCKSDB_CLIP_DELETE_RANGE))
          split.rebuild += rsim_world_cost_time (w, &c->state_clip, "state_clip");
        else
          split.rebuild += at_rate (plan.base_outside_bytes,
                                    rsim_world_cost (w, rd, rname));
      }
      if (plan.reinsert_handles > 0) {
        if (conf->rocksdb_ingest_restore
            && rsim_rules_has (&w->rules, RSIM_RULE_ROCKSDB_INGEST_RESTORE)) {
          for (int h = 0; h < plan.reinsert_handles; h++)
            split.rebuild += rsim_world_cost_time (w, &c->state_clip, "state_clip");
        } else {
          split.rebuild += at_rate (plan.reinsert_bytes,
                                    rsim_world_cost (w, rd, rname));
        }
      }
    }
  }
  if (changelog && snap->changelog_s > 0.0) {
    /* The changelog of every handle it reads, of which it applies its own
     * key groups' changes. */
    double written = vs->state_change_rate * snap->changelog_s;
    double fetched = old_p > 0 ? written * plan.n_handles / old_p : 0.0;
    double applied = written * plan.own_bytes / vs->state_bytes;
    if (!local) {
      split.download += at_rate (fetched, bw);
      split.bytes += fetched;
    }
    split.replay = at_rate (applied, rsim_world_cost (w, &c->changelog_replay_rate,
                                                      "changelog_replay_rate"));
  }
  return split;
}

static RsimTime
split_total (const RsimRestoreSplit *s)
{
  return s->fixed + s->download + s->rebuild + s->replay;
}

/* Local recovery (execution.state-recovery.from-local): a subtask back on
 * the TaskManager it ran on, at the same parallelism, restoring a
 * checkpoint, reads its local copy instead of downloading. */
static RsimRestoreSplit
restore_time (RsimExecGraph *eg, int e, const RsimSnapshot *snap, int tm)
{
  RsimWorld *w = eg->world;
  int v = eg->ex[e].vertex, i = eg->ex[e].subtask;
  int old_p = snap->valid && snap->parallelism ? snap->parallelism[v] : 0;
  gboolean local = eg->local_recovery && w->conf->local_recovery
    && snap->valid && !snap->savepoint && old_p == w->graph->parallelism[v]
    && eg->prev_tm[e] == tm;
  return rsim_exec_restore_split (w, v, i, snap, local);
}

/* The per-vertex maximum of the run's restores (report.json). */
static void
record_restore (RsimWorld *w, int v, int i, const RsimRestoreSplit *s)
{
  RsimResult *res = w->recorder->result;
  if (res->vertex_restore == NULL) {
    res->vertex_restore = g_new0 (RsimVertexRestore, w->graph->n_vertices);
    for (guint k = 0; k < w->graph->n_vertices; k++)
      res->vertex_restore[k].subtask = -1;
  }
  RsimVertexRestore *r = &res->vertex_restore[v];
  double total = RSIM_TIME_TO_SEC (split_total (s));
  if (r->subtask < 0 || total > r->total_s) {
    r->subtask = i;
    r->handles = s->handles;
    r->total_s = total;
    r->download_s = RSIM_TIME_TO_SEC (s->download);
    r->rebuild_s = RSIM_TIME_TO_SEC (s->rebuild);
    r->replay_s = RSIM_TIME_TO_SEC (s->replay);
    r->bytes = s->bytes;
  }
}

static double
snapshot_offset (const RsimExecGraph *eg, const RsimSnapshot *snap, int r)
{
  const RsimWorld *w = eg->world;
  if (snap->layout == w->layout && r < snap->n_regions)
    return snap->offsets[r];
  return snap->total_offset * w->graph->region_share[r];
}

RsimDeployInfo
rsim_exec_graph_deploy (RsimExecGraph *eg, int region, const RsimSnapshot *snap,
                        int tag)
{
  RsimWorld *w = eg->world;
  const RsimJobGraph *g = w->graph;
  RsimDeployInfo info = { 0 };
  info.slowest_vertex = -1;
  g_autofree gboolean *restored = g_new0 (gboolean, MAX (g->n_vertices, 1));
  /* Sources seek back to the snapshot's offsets. */
  for (int r = 0; r < g->n_regions; r++) {
    if (region >= 0 && r != region)
      continue;
    double again = rsim_dataflow_rewind (w->flow, r, snapshot_offset (eg, snap, r));
    if (again > 0.0)
      rsim__recorder_count_reprocessed (w->recorder, again);
  }
  info.n_tasks = region >= 0 ? g->region_size[region] : eg->n_ex;
  RsimTime fixed = rsim_world_cost_time (w, &w->costs->deploy_fixed, "deploy_fixed");
  double per = rsim_world_cost (w, &w->costs->deploy_per_task, "deploy_per_task");
  info.deploy = fixed + (RsimTime) (per * info.n_tasks + 0.5);
  Batch *b = g_new0 (Batch, 1);
  b->eg = eg;
  b->gen = eg->gen;
  b->tag = tag;
  b->e = g_new (int, MAX (info.n_tasks, 1));
  b->token = g_new (guint, MAX (info.n_tasks, 1));
  int first = region >= 0 ? g->region_start[region] : 0;
  int end = region >= 0 ? g->region_start[region + 1] : eg->n_ex;
  for (int k = first; k < end; k++) {
    int e = region >= 0 ? g->region_members[k] : k;
    RsimExecution *x = &eg->ex[e];
    /* Every deployment after the first of a subtask in this job is a new
     * attempt. */
    gpointer key = GINT_TO_POINTER (x->vertex * (RSIM_MAX_PARALLELISM + 1)
                                    + x->subtask + 1);
    if (g_hash_table_contains (eg->deployed, key))
      w->recorder->result->task_attempts++;
    else
      g_hash_table_add (eg->deployed, key);
    x->attempt++;
    x->deploy_failing = FALSE;
    rsim_exec_graph_set_state (eg, e, RSIM_EXEC_DEPLOYING);
    RsimTaskManager *tm = rsim_exec_graph_tm (eg, e);
    RsimTime fail_after;
    if (tm == NULL || !rsim_cluster_rpc (w->cluster, tm, &fail_after)) {
      info.n_failing++;
      x->deploy_failing = TRUE;
      ExRef *ref = ex_ref (eg, e);
      ref->tm = tm ? tm->id : -1;
      rsim_engine_schedule_in (w->engine, fixed + (tm ? fail_after : 0),
                               deploy_failed_cb, ref, g_free);
      continue;
    }
    rsim_exec_graph_set_state (eg, e, RSIM_EXEC_INITIALIZING);
    RsimRestoreSplit split = restore_time (eg, e, snap, tm->id);
    RsimTime t = split_total (&split);
    if (snap->valid && g->spec.vertices[x->vertex].state_bytes > 0.0) {
      restored[x->vertex] = TRUE;
      record_restore (w, x->vertex, x->subtask, &split);
      if (info.slowest_vertex < 0 || t > split_total (&info.slowest)) {
        info.slowest_vertex = x->vertex;
        info.slowest_subtask = x->subtask;
        info.slowest = split;
      }
    }
    info.restore = MAX (info.restore, t);
    eg->prev_tm[e] = tm->id;
    b->e[b->n] = e;
    b->token[b->n] = x->token;
    b->n++;
  }
  for (guint v = 0; v < g->n_vertices; v++)
    if (restored[v] && w->recorder->result->vertex_restore != NULL)
      w->recorder->result->vertex_restore[v].restores++;
  if (info.slowest_vertex >= 0) {
    /* Sizes in GB of 1024^3 bytes, as scenarios write them. */
    const RsimRestoreSplit *s = &info.slowest;
    RSIM_LOG (w, "state", "restore",
              "slowest subtask %s[%d] of %d: %.3f s = download %.3f s "
              "(%d handle(s), %.3f GB%s) + rebuild %.3f s + replay %.3f s "
              "+ fixed %.3f s", g->spec.vertices[info.slowest_vertex].name,
              info.slowest_subtask, g->parallelism[info.slowest_vertex],
              RSIM_TIME_TO_SEC (split_total (s)), RSIM_TIME_TO_SEC (s->download),
              s->handles, s->bytes / (1024.0 * 1024.0 * 1024.0),
              s->local ? ", local" : "",
              RSIM_TIME_TO_SEC (s->rebuild), RSIM_TIME_TO_SEC (s->replay),
              RSIM_TIME_TO_SEC (s->fixed));
  }
  gboolean rescaled = FALSE;
  for (guint v = 0; v < g->n_vertices && snap->valid && snap->parallelism; v++)
    rescaled |= v < snap->n_vertices && snap->parallelism[v] != g->parallelism[v];
  rsim_checkpoint_backend_started (w->checkpoints, snap, rescaled,
                                   rsim_engine_now (w->engine) + info.deploy
                                   + info.restore);
  rsim_engine_schedule_in (w->engine, info.deploy + info.restore, restored_cb,
                           b, batch_free);
  return info;
}

/* ----------------------------------------------------------- cancellation */

static void
cancel_done (RsimExecGraph *eg, int e)
{
  if (eg->ex[e].state != RSIM_EXEC_CANCELING)
    return;
  rsim_exec_graph_set_state (eg, e, RSIM_EXEC_CANCELED);
  if (eg->listener.cancelled)
    eg->listener.cancelled (eg->user, e);
}

static void
cancel_done_cb (RsimEngine *engine, gpointer data)
{
  ExRef *ref = data;
  if (ex_ref_current (ref))
    cancel_done (ref->eg, ref->e);
}

gboolean
rsim_exec_graph_cancel (RsimExecGraph *eg, int e)
{
  RsimWorld *w = eg->world;
  RsimExecution *x = &eg->ex[e];
  if (!rsim_exec_state_is_live (x->state))
    return FALSE;
  RsimTaskManager *tm = rsim_exec_graph_tm (eg, e);
  if (x->state == RSIM_EXEC_SCHEDULED || tm == NULL || !tm->registered) {
    rsim_exec_graph_set_state (eg, e, RSIM_EXEC_CANCELED);
    return FALSE;
  }
  rsim_exec_graph_set_state (eg, e, RSIM_EXEC_CANCELING);
  RsimTime delay, fail_after;
  if (rsim_cluster_rpc (w->cluster, tm, &fail_after))
    delay = rsim_world_cost_time (w, &w->costs->cancel_task, "cancel_task");
  else
    delay = 3 * fail_after;   /* Execution.NUM_CANCEL_CALL_TRIES */
  rsim_engine_schedule_in (w->engine, delay, cancel_done_cb, ex_ref (eg, e),
                           g_free);
  return TRUE;
}

int
rsim_exec_graph_cancel_all (RsimExecGraph *eg)
{
  int pending = 0;
  for (int e = 0; e < eg->n_ex; e++)
    pending += rsim_exec_graph_cancel (eg, e);
  return pending;
}

void
rsim_exec_graph_fail (RsimExecGraph *eg, int e, const char *cause)
{
  if (!rsim_exec_state_is_live (eg->ex[e].state))
    return;
  rsim_exec_graph_set_state (eg, e, RSIM_EXEC_FAILED);
  if (eg->listener.failed)
    eg->listener.failed (eg->user, e, cause);
}

/* --------------------------------------------------------- cluster events */

void
rsim_exec_graph_tm_lost (RsimExecGraph *eg, RsimTaskManager *tm,
                         const char *reason)
{
  g_autofree char *cause = g_strdup_printf ("taskmanager %d lost: %s", tm->id,
                                            reason);
  /* The slot pool fails every task in the TaskManager's slots
   * (JobMaster.disconnectTaskManager -> releaseTaskManager); deployments
   * still in flight to it have failed. */
  for (int e = 0; e < eg->n_ex; e++) {
    if (rsim_exec_graph_tm (eg, e) != tm)
      continue;
    count_failed_deployment (eg, e);
    if (eg->ex[e].state == RSIM_EXEC_CANCELING)
      cancel_done (eg, e);
    else
      rsim_exec_graph_fail (eg, e, cause);
  }
  for (int k = 0; k < eg->n_shared; k++)
    if (eg->shared[k].tm == tm->id)
      rsim_exec_graph_release_slot (eg, k);
}

typedef struct {
  RsimExecGraph *eg;
  int tm;
} PeerRef;

/* A task whose TaskManager's process is gone closes its network
 * connections: a task connected to it (in the same pipelined region: every
 * task of a region exchanges data with the others through the region's
 * edges) fails when its channel breaks. Tasks still deploying to the dead
 * TaskManager never connected. */
static void
peer_failure_cb (RsimEngine *engine, gpointer data)
{
  PeerRef *ref = data;
  RsimExecGraph *eg = ref->eg;
  const RsimJobGraph *g = eg->world->graph;
  for (int r = 0; r < g->n_regions; r++) {
    gboolean touches = FALSE;
    int peer = -1;
    for (int k = g->region_start[r]; k < g->region_start[r + 1]; k++) {
      int e = g->region_members[k];
      RsimExecState s = eg->ex[e].state;
      if (!rsim_exec_state_is_live (s))
        continue;
      RsimTaskManager *t = rsim_exec_graph_tm (eg, e);
      if (t && t->id == ref->tm)
        touches |= s == RSIM_EXEC_INITIALIZING || s == RSIM_EXEC_RUNNING;
      else if (t && t->process == RSIM_TM_RUNNING && peer < 0)
        peer = e;
    }
    if (touches && peer >= 0) {
      g_autofree char *cause = g_strdup_printf (
        "connection to taskmanager %d lost: a peer task failed", ref->tm);
      rsim_exec_graph_fail (eg, peer, cause);
    }
  }
}

void
rsim_exec_graph_tm_died (RsimExecGraph *eg, RsimTaskManager *tm)
{
  RsimWorld *w = eg->world;
  if (tm->process == RSIM_TM_HUNG)
    return;                   /* connections stay open: nobody notices */
  PeerRef *ref = g_new (PeerRef, 1);
  ref->eg = eg;
  ref->tm = tm->id;
  rsim_engine_schedule_in (w->engine,
                           rsim_world_cost_time (w, &w->costs->peer_failure_detection,
                                                 "peer_failure_detection"),
                           peer_failure_cb, ref, g_free);
}

/* ------------------------------------------------------------ inspection */

gboolean
rsim_exec_graph_region_running (const RsimExecGraph *eg, int r)
{
  const RsimJobGraph *g = eg->world->graph;
  for (int k = g->region_start[r]; k < g->region_start[r + 1]; k++) {
    int e = g->region_members[k];
    if (eg->ex[e].state != RSIM_EXEC_RUNNING)
      return FALSE;
    RsimTaskManager *tm = rsim_exec_graph_tm (eg, e);
    if (!tm_works (tm))
      return FALSE;
  }
  return TRUE;
}

gboolean
rsim_exec_graph_all_running (const RsimExecGraph *eg)
{
  if (eg->n_ex == 0 || eg->count[RSIM_EXEC_RUNNING] != eg->n_ex)
    return FALSE;
  for (int e = 0; e < eg->n_ex; e++) {
    RsimTaskManager *tm = rsim_exec_graph_tm (eg, e);
    if (!tm_works (tm))
      return FALSE;
  }
  return TRUE;
}
