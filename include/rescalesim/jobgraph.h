/* rescalesim: the job graph (vertices, edges, slot-sharing groups, key groups).
 *
 * RsimJobSpec is the plain description a scenario gives; RsimJobGraph is the
 * validated graph the model runs, with max parallelism resolved by Flink's
 * rule and pipelined regions computed from the edges' ship strategies. */
#pragma once

#include <glib.h>
#include <rescalesim/forward.h>

G_BEGIN_DECLS

/* The largest parallelism and max parallelism Flink allows (2^15,
 * KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM). */
#define RSIM_MAX_PARALLELISM 32768

/* A parallelism bound a resource-requirements request did not give (the
 * vertex was not listed). */
#define RSIM_BOUND_MISSING G_MININT

#define RSIM_SHIP_LIST(X)          \
  X (FORWARD, "forward", FALSE)    \
  X (RESCALE, "rescale", FALSE)    \
  X (HASH, "hash", TRUE)           \
  X (REBALANCE, "rebalance", TRUE) \
  X (BROADCAST, "broadcast", TRUE)

/* Ship strategy of an edge; the third column says whether the edge is
 * all-to-all (every producer subtask feeds every consumer subtask). */
typedef enum {
#define RSIM_X(id, name, all) RSIM_SHIP_##id,
  RSIM_SHIP_LIST (RSIM_X)
#undef RSIM_X
} RsimShip;

const char *rsim_ship_name (RsimShip ship);
gboolean rsim_ship_is_all_to_all (RsimShip ship);

/* How an operator chains to its input (Flink's ChainingStrategy as the
 * DataStream API sets it): "default" chains where Flink would (ALWAYS),
 * "start_new" begins a new chain but lets its outputs chain to it
 * (startNewChain(), HEAD), "disabled" chains with nothing
 * (disableChaining(), NEVER). */
#define RSIM_CHAIN_LIST(X)      \
  X (DEFAULT, "default")        \
  X (START_NEW, "start_new")    \
  X (DISABLED, "disabled")

typedef enum {
#define RSIM_X(id, name) RSIM_CHAIN_##id,
  RSIM_CHAIN_LIST (RSIM_X)
#undef RSIM_X
} RsimChain;

const char *rsim_chain_name (RsimChain chain);

typedef struct {
  char *name;
  int parallelism;          /* >= 1 */
  int max_parallelism;      /* 0: not set, Flink's default rule applies */
  char *slot_sharing_group; /* "default" unless set */
  double capacity;          /* records/s one subtask can process */
  double state_bytes;       /* keyed + operator state of all subtasks */
  /* Bytes of state written per second of running, all subtasks together:
   * what an incremental checkpoint uploads and a changelog holds. */
  double state_change_rate;
  RsimChain chain;
  /* After chaining: the operators of this job vertex, head first (NULL
   * when it is a single operator). */
  char **operators;
} RsimVertexSpec;

typedef struct {
  int from;                 /* index into vertices */
  int to;
  RsimShip ship;
} RsimEdgeSpec;

typedef struct {
  RsimVertexSpec *vertices;
  guint n_vertices;
  RsimEdgeSpec *edges;
  guint n_edges;
  /* Savepoints in the state backend's native format (FLIP-203, 1.15+);
   * FALSE: canonical. */
  gboolean native_savepoints;
  /* Operators were chained into these vertices (rsim_job_spec_chain). */
  gboolean chained;
} RsimJobSpec;

void rsim_job_spec_clear (RsimJobSpec *spec);
void rsim_job_spec_copy (RsimJobSpec *dst, const RsimJobSpec *src);

/* Chains operators into job vertices as Flink's StreamingJobGraphGenerator
 * does (isChainable): an edge chains when it is a forward edge, its target
 * has no other input, both ends have the same parallelism and slot-sharing
 * group, the target's chain mode is "default" and the source's is not
 * "disabled", and chaining is enabled (pipeline.operator-chaining.enabled).
 * A chained vertex is named like Flink's ("a -> b", head first), takes its
 * head's max parallelism and slot-sharing group, lists its operators,
 * processes a record through each of them in one thread (1 / capacity =
 * sum of 1 / capacity), and holds the state of all of them. Edges are renumbered; edges that end up between the
 * same two vertices become one (all-to-all if any of them was). Returns the
 * number of vertices that hold more than one operator. */
guint rsim_job_spec_chain (RsimJobSpec *spec, gboolean enabled);
/* The vertex whose name is `name` or that chains an operator of that name,
 * or -1. */
int rsim_job_spec_find (const RsimJobSpec *spec, const char *name);

/* Consumer subtasks [*start, *end) that producer subtask i feeds on a
 * pointwise (forward or rescale) edge from pu to pd subtasks when
 * pu < pd, or producer subtasks [*start, *end) that consumer subtask i reads
 * when pu >= pd (EdgeManagerBuildUtil.connectPointwise). */
void rsim_pointwise_range (int pu, int pd, int i, int *start, int *end);

/* Flink's default max parallelism for a vertex of parallelism p
 * (KeyGroupRangeAssignment.computeDefaultMaxParallelism). */
int rsim_default_max_parallelism (int parallelism);
/* Key-group range [*start, *end] (inclusive) of subtask index of p subtasks
 * over max_parallelism key groups (KeyGroupRangeAssignment). */
void rsim_key_group_range (int max_parallelism, int parallelism, int index,
                           int *start, int *end);

G_END_DECLS
