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

typedef struct {
  char *name;
  int parallelism;          /* >= 1 */
  int max_parallelism;      /* 0: not set, Flink's default rule applies */
  char *slot_sharing_group; /* "default" unless set */
  double capacity;          /* records/s one subtask can process */
  double state_bytes;       /* keyed + operator state of all subtasks */
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
} RsimJobSpec;

void rsim_job_spec_clear (RsimJobSpec *spec);
void rsim_job_spec_copy (RsimJobSpec *dst, const RsimJobSpec *src);

/* Flink's default max parallelism for a vertex of parallelism p
 * (KeyGroupRangeAssignment.computeDefaultMaxParallelism). */
int rsim_default_max_parallelism (int parallelism);
/* Key-group range [*start, *end] (inclusive) of subtask index of p subtasks
 * over max_parallelism key groups (KeyGroupRangeAssignment). */
void rsim_key_group_range (int max_parallelism, int parallelism, int index,
                           int *start, int *end);

G_END_DECLS
