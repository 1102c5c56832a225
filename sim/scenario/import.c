/* Importing a job's plan and a FlinkDeployment into a scenario.
 *
 * Plans come in two shapes:
 *   - the job graph, as the REST API returns it (JsonPlanGenerator, behind
 *     GET /jobs/:jobid/plan as {"plan": {...}} and inside GET /jobs/:jobid):
 *     one node per job vertex (a chain of operators), its parallelism, a
 *     description listing the chained operators, and its inputs with the
 *     ship strategy Flink prints (StreamPartitioner#toString: FORWARD, HASH,
 *     REBALANCE, RESCALE, BROADCAST, SHUFFLE, GLOBAL, CUSTOM);
 *   - the stream graph "flink info" prints (JSONGenerator): one node per
 *     operator with "predecessors". Chains are inferred with Flink's main
 *     chaining rule (StreamingJobGraphGenerator#isChainable): a FORWARD edge
 *     into an operator with no other input, at the same parallelism. A job
 *     that disables chaining, or operators with a chaining strategy of
 *     their own, chain differently: the REST plan is exact.
 * Either way the result is a list of vertices and edges checked like a
 * scenario's job (unique ids, known inputs, no cycle) and written as a
 * complete scenario whose unknowns are marked placeholders. */
#include "inputs-private.h"

#include <math.h>
#include <string.h>

#include <rescalesim/import.h>

#define MAX_PLAN_NODES 10000
#define MAX_NODE_INPUTS 1000
#define MAX_PARALLELISM 32768
#define DEFAULT_VERSION "1.20"

/* Placeholder values: valid, so the scenario runs, and listed. */
#define PLACEHOLDER_CAPACITY "1000 rec/s"
#define PLACEHOLDER_RATE "500 rec/s"

typedef struct {
  int from;                 /* index into the vertices */
  RsimShip ship;
} PlanInput;

typedef struct {
  char *id;
  GPtrArray *operators;     /* char* */
  char *name;               /* unique in the plan */
  int parallelism;
  int max_parallelism;      /* 0: not given */
  char *ssg;                /* NULL: not given */
  GArray *inputs;           /* PlanInput */
  guint node_index;         /* in the document, for messages */
} PlanVertex;

static void
plan_vertex_free (gpointer p)
{
  PlanVertex *v = p;
  g_free (v->id);
  if (v->operators != NULL)
    g_ptr_array_unref (v->operators);
  g_free (v->name);
  g_free (v->ssg);
  g_array_unref (v->inputs);
  g_free (v);
}

typedef struct {
  RsimLoadCtx ctx;
  GPtrArray *notes;         /* may be NULL */
  char *job_name;           /* from the plan, or NULL */
  char *job_id;
  GHashTable *ids;          /* node id -> index + 1, while reading nodes */
} Importer;

static void
importer_init (Importer *im, const char *file, GPtrArray *notes)
{
  memset (im, 0, sizeof *im);
  im->ctx.file = file;
  im->ctx.base_dir = g_strdup (".");
  im->ctx.path = g_string_new (NULL);
  im->ctx.warnings = g_ptr_array_new_with_free_func (g_free);
  im->notes = notes;
  im->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
importer_clear (Importer *im)
{
  g_free (im->ctx.base_dir);
  g_string_free (im->ctx.path, TRUE);
  g_ptr_array_unref (im->ctx.warnings);
  g_free (im->job_name);
  g_free (im->job_id);
  g_hash_table_unref (im->ids);
}

static void
note (Importer *im, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static void
note (Importer *im, const char *fmt, ...)
{
  if (im->notes == NULL)
    return;
  va_list ap;
  va_start (ap, fmt);
  g_ptr_array_add (im->notes, g_strdup_vprintf (fmt, ap));
  va_end (ap);
}

/* --------------------------------------------------------- ship strategies */

/* Flink's spelling -> rescalesim's edge kind. SHUFFLE (random) and CUSTOM
 * (a user partitioner) send every subtask's records to every consumer, like
 * REBALANCE, which is what the simulation needs to know; GLOBAL (everything
 * to the first subtask) is refused. */
static gboolean
read_ship (Importer *im, const cJSON *v, RsimShip *out, GError **error)
{
  static const struct { const char *flink; RsimShip ship; gboolean mapped; } names[] = {
    { "FORWARD", RSIM_SHIP_FORWARD, FALSE },
    { "HASH", RSIM_SHIP_HASH, FALSE },
    { "REBALANCE", RSIM_SHIP_REBALANCE, FALSE },
    { "RESCALE", RSIM_SHIP_RESCALE, FALSE },
    { "BROADCAST", RSIM_SHIP_BROADCAST, FALSE },
    { "SHUFFLE", RSIM_SHIP_REBALANCE, TRUE },
    { "CUSTOM", RSIM_SHIP_REBALANCE, TRUE },
  };
  if (v == NULL) {
    *out = RSIM_SHIP_FORWARD;
    return TRUE;
  }
  if (cJSON_IsString (v)) {
    for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
      if (strcmp (v->valuestring, names[i].flink) != 0)
        continue;
      *out = names[i].ship;
      if (names[i].mapped)
        note (im, "%s: %s: %s is simulated as rebalance (all-to-all, no "
              "keyed state)", im->ctx.file, im->ctx.path->str,
              names[i].flink);
      return TRUE;
    }
    if (strcmp (v->valuestring, "GLOBAL") == 0)
      return rsim__ctx_fail (&im->ctx, error, "ship strategy GLOBAL (every "
                             "record to the first subtask) is not modelled");
  }
  return rsim__ctx_expected (&im->ctx, error, v, "a ship strategy Flink "
                             "prints (FORWARD, HASH, REBALANCE, RESCALE, "
                             "BROADCAST, SHUFFLE or CUSTOM; GLOBAL is not "
                             "modelled)");
}

/* ----------------------------------------------------------- descriptions */

/* JsonPlanGenerator escapes the description as HTML and turns new lines
 * into <br/>. */
static char *
unescape_html (const char *s)
{
  static const struct { const char *from, *to; } ents[] = {
    { "&gt;", ">" }, { "&lt;", "<" }, { "&quot;", "\"" }, { "&#39;", "'" },
    { "&#92;", "\\" }, { "&amp;", "&" },
  };
  GString *out = g_string_new (NULL);
  for (const char *p = s; *p;) {
    gboolean done = FALSE;
    for (guint i = 0; i < G_N_ELEMENTS (ents) && !done; i++) {
      gsize n = strlen (ents[i].from);
      if (strncmp (p, ents[i].from, n) == 0) {
        g_string_append (out, ents[i].to);
        p += n;
        done = TRUE;
      }
    }
    if (!done)
      g_string_append_c (out, *p++);
  }
  return g_string_free (out, FALSE);
}

static void
add_operator (GPtrArray *ops, const char *text)
{
  g_autofree char *t = g_strstrip (g_strdup (text));
  if (*t != '\0' && ops->len < 1000)
    g_ptr_array_add (ops, g_steal_pointer (&t));
}

/* The chained operators of a description: "A -> B -> C" (Flink's
 * cascading form) or one per line in the tree form of 1.15+
 * ("Source: x<br/>+- Map<br/>", optionally with "[1]:" index prefixes). */
static GPtrArray *
operators_of (const char *description)
{
  GPtrArray *ops = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = unescape_html (description);
  g_auto (GStrv) lines = g_strsplit (text, "<br/>", -1);
  for (guint i = 0; lines[i] != NULL; i++) {
    const char *l = lines[i];
    while (*l == ' ' || *l == '|' || *l == '+' || *l == ':' || *l == '-')
      l++;
    if (*l == '[') {
      const char *close = strstr (l, "]:");
      if (close != NULL)
        l = close + 2;
    }
    g_auto (GStrv) parts = g_strsplit (l, " -> ", -1);
    for (guint k = 0; parts[k] != NULL; k++)
      add_operator (ops, parts[k]);
  }
  return ops;
}

static char *
join_operators (const GPtrArray *ops)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < ops->len; i++)
    g_string_append_printf (s, "%s%s", i ? " -> " : "",
                            (const char *) ops->pdata[i]);
  return g_string_free (s, FALSE);
}

/* ---------------------------------------------------------- reading plans */

/* An id: a string (REST) or an integer (stream graph), as text. */
static char *
id_text (const cJSON *v)
{
  if (cJSON_IsString (v) && *v->valuestring != '\0')
    return g_strdup (v->valuestring);
  if (cJSON_IsNumber (v) && v->valuedouble == floor (v->valuedouble)
      && fabs (v->valuedouble) < 1e15)
    return g_strdup_printf ("%.0f", v->valuedouble);
  return NULL;
}

static gboolean
read_parallelism (Importer *im, const cJSON *node, const char *key,
                  gboolean required, int *out, GError **error)
{
  const cJSON *p = rsim__json_get (node, key);
  if (p == NULL && !required)
    return TRUE;
  gsize mark = rsim__ctx_push_key (&im->ctx, key);
  if (!rsim__read_int (&im->ctx, p, 1, MAX_PARALLELISM, out, error))
    return FALSE;
  rsim__ctx_pop (&im->ctx, mark);
  return TRUE;
}

/* First pass: every node's id, parallelism and operators. */
static gboolean
read_nodes (Importer *im, const cJSON *nodes, gboolean stream_graph,
            GPtrArray *vs, GError **error)
{
  RsimLoadCtx *ctx = &im->ctx;
  gsize mark0 = rsim__ctx_push_key (ctx, "nodes");
  if (!cJSON_IsArray (nodes) || nodes->child == NULL)
    return rsim__ctx_expected (ctx, error, nodes, "a non-empty array of plan "
                               "nodes");
  if (cJSON_GetArraySize (nodes) > MAX_PLAN_NODES)
    return rsim__ctx_fail (ctx, error, "more than %d nodes", MAX_PLAN_NODES);
  guint i = 0;
  for (const cJSON *n = nodes->child; n; n = n->next, i++) {
    gsize mark = rsim__ctx_push_index (ctx, i);
    if (!cJSON_IsObject (n))
      return rsim__ctx_expected (ctx, error, n, "a plan node (an object)");
    const cJSON *idv = rsim__json_get (n, "id");
    g_autofree char *id = id_text (idv);
    if (id == NULL) {
      rsim__ctx_push_key (ctx, "id");
      return rsim__ctx_expected (ctx, error, idv, "the node's id");
    }
    if (g_hash_table_contains (im->ids, id)) {
      rsim__ctx_push_key (ctx, "id");
      return rsim__ctx_expected (ctx, error, idv, "an id no other node has");
    }
    g_hash_table_insert (im->ids, g_strdup (id), GUINT_TO_POINTER (i + 1));
    PlanVertex *v = g_new0 (PlanVertex, 1);
    v->id = g_steal_pointer (&id);
    v->inputs = g_array_new (FALSE, FALSE, sizeof (PlanInput));
    v->node_index = i;
    g_ptr_array_add (vs, v);
    if (!read_parallelism (im, n, "parallelism", TRUE, &v->parallelism, error)
        || !read_parallelism (im, n, "maxParallelism", FALSE,
                              &v->max_parallelism, error)
        || !read_parallelism (im, n, "max_parallelism", FALSE,
                              &v->max_parallelism, error))
      return FALSE;
    /* Operators: the description (REST), or the node itself (stream
     * graph: "contents", else "type"). */
    const char *text_key = stream_graph ? "contents" : "description";
    const cJSON *text = rsim__json_get (n, text_key);
    if (stream_graph && !cJSON_IsString (text))
      text = rsim__json_get (n, text_key = "type");
    if (!cJSON_IsString (text)) {
      rsim__ctx_push_key (ctx, text_key);
      return rsim__ctx_expected (ctx, error, text, "a string naming the "
                                 "node's operators");
    }
    v->operators = stream_graph ? g_ptr_array_new_with_free_func (g_free)
                                : operators_of (text->valuestring);
    if (stream_graph) {
      g_autofree char *plain = unescape_html (text->valuestring);
      add_operator (v->operators, plain);
    }
    if (v->operators->len == 0)
      g_ptr_array_add (v->operators, g_strdup_printf ("vertex %s", v->id));
    for (const char *key = "slotSharingGroup"; key != NULL;
         key = strcmp (key, "slotSharingGroup") == 0 ? "slot_sharing_group" : NULL) {
      const cJSON *g = rsim__json_get (n, key);
      if (g == NULL)
        continue;
      gsize m = rsim__ctx_push_key (ctx, key);
      g_free (v->ssg);
      if (!rsim__read_string (ctx, g, &v->ssg, error))
        return FALSE;
      rsim__ctx_pop (ctx, m);
    }
    rsim__ctx_pop (ctx, mark);
  }
  rsim__ctx_pop (ctx, mark0);
  return TRUE;
}

/* Second pass: inputs, now that every id is known. */
static gboolean
read_inputs (Importer *im, const cJSON *nodes, gboolean stream_graph,
             GPtrArray *vs, GError **error)
{
  RsimLoadCtx *ctx = &im->ctx;
  const char *key = stream_graph ? "predecessors" : "inputs";
  gsize mark0 = rsim__ctx_push_key (ctx, "nodes");
  guint i = 0;
  for (const cJSON *n = nodes->child; n; n = n->next, i++) {
    PlanVertex *v = vs->pdata[i];
    const cJSON *ins = rsim__json_get (n, key);
    if (ins == NULL)
      continue;
    gsize mark = rsim__ctx_push_index (ctx, i);
    rsim__ctx_push_key (ctx, key);
    if (!cJSON_IsArray (ins))
      return rsim__ctx_expected (ctx, error, ins, "an array of inputs");
    if (cJSON_GetArraySize (ins) > MAX_NODE_INPUTS)
      return rsim__ctx_fail (ctx, error, "more than %d inputs",
                             MAX_NODE_INPUTS);
    guint j = 0;
    for (const cJSON *in = ins->child; in; in = in->next, j++) {
      gsize m = rsim__ctx_push_index (ctx, j);
      if (!cJSON_IsObject (in))
        return rsim__ctx_expected (ctx, error, in, "an input (an object)");
      const cJSON *idv = rsim__json_get (in, "id");
      g_autofree char *id = id_text (idv);
      int from = id != NULL
        ? (int) GPOINTER_TO_UINT (g_hash_table_lookup (im->ids, id)) - 1 : -1;
      rsim__ctx_push_key (ctx, "id");
      if (from < 0)
        return rsim__ctx_expected (ctx, error, idv, "the id of a node of the "
                                   "plan");
      rsim__ctx_pop (ctx, m);
      rsim__ctx_push_index (ctx, j);
      rsim__ctx_push_key (ctx, "ship_strategy");
      PlanInput pi = { from, RSIM_SHIP_FORWARD };
      if (!read_ship (im, rsim__json_get (in, "ship_strategy"), &pi.ship,
                      error))
        return FALSE;
      rsim__ctx_pop (ctx, m);
      g_array_append_val (v->inputs, pi);
    }
    rsim__ctx_pop (ctx, mark);
  }
  rsim__ctx_pop (ctx, mark0);
  return TRUE;
}

/* Kahn's algorithm over the inputs; *order gets the vertices sources
 * first. A cycle is an error at the first node on it. */
static gboolean
topological_order (Importer *im, GPtrArray *vs, GArray **order,
                   GError **error)
{
  guint n = vs->len;
  g_autofree guint *indeg = g_new0 (guint, n);
  /* Consumers of each vertex, as index lists (CSR). */
  g_autofree guint *start = g_new0 (guint, n + 1);
  for (guint k = 0; k < n; k++) {
    const PlanVertex *w = vs->pdata[k];
    indeg[k] = w->inputs->len;
    for (guint j = 0; j < w->inputs->len; j++)
      start[g_array_index (w->inputs, PlanInput, j).from + 1]++;
  }
  for (guint k = 0; k < n; k++)
    start[k + 1] += start[k];
  g_autofree guint *fill = g_memdup2 (start, sizeof (guint) * (n + 1));
  g_autofree guint *consumers = g_new (guint, MAX (start[n], 1));
  for (guint k = 0; k < n; k++) {
    const PlanVertex *w = vs->pdata[k];
    for (guint j = 0; j < w->inputs->len; j++)
      consumers[fill[g_array_index (w->inputs, PlanInput, j).from]++] = k;
  }
  /* Sources in document order first, then each vertex once all its inputs
   * are placed (a queue keeps the order stable). */
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree gboolean *done = g_new0 (gboolean, n);
  for (guint i = 0; i < n; i++)
    if (indeg[i] == 0) {
      g_array_append_val (out, i);
      done[i] = TRUE;
    }
  for (guint q = 0; q < out->len; q++) {
    guint i = g_array_index (out, guint, q);
    for (guint c = start[i]; c < start[i + 1]; c++) {
      guint k = consumers[c];
      if (--indeg[k] == 0) {
        g_array_append_val (out, k);
        done[k] = TRUE;
      }
    }
  }
  if (out->len < n) {
    g_array_unref (out);
    for (guint i = 0; i < n; i++) {
      if (done[i])
        continue;
      const PlanVertex *v = vs->pdata[i];
      rsim__ctx_push_key (&im->ctx, "nodes");
      rsim__ctx_push_index (&im->ctx, v->node_index);
      return rsim__ctx_fail (&im->ctx, error, "node \"%s\" is on a cycle of "
                             "inputs; rescalesim needs an acyclic job graph "
                             "(stream iterations are not modelled)", v->id);
    }
  }
  *order = out;
  return TRUE;
}

/* Stream graph -> job vertices: merge chainable operators. */
static GPtrArray *
chain_stream_graph (GPtrArray *ops)
{
  guint n = ops->len;
  g_autofree int *head = g_new (int, n);     /* chain of each operator */
  for (guint i = 0; i < n; i++)
    head[i] = (int) i;
  /* Chain b into a when b's only input is a FORWARD edge from a at the same
   * parallelism (and slot-sharing group, when given). Inputs point
   * backwards, so resolving heads in topological order is enough; callers
   * sort first. */
  for (guint i = 0; i < n; i++) {
    const PlanVertex *b = ops->pdata[i];
    if (b->inputs->len != 1)
      continue;
    const PlanInput *in = &g_array_index (b->inputs, PlanInput, 0);
    const PlanVertex *a = ops->pdata[in->from];
    if (in->ship == RSIM_SHIP_FORWARD && a->parallelism == b->parallelism
        && g_strcmp0 (a->ssg, b->ssg) == 0)
      head[i] = head[in->from];
  }
  GPtrArray *vs = g_ptr_array_new_with_free_func (plan_vertex_free);
  g_autofree int *vertex_of = g_new (int, n);
  for (guint i = 0; i < n; i++) {
    const PlanVertex *op = ops->pdata[i];
    if (head[i] == (int) i) {
      PlanVertex *v = g_new0 (PlanVertex, 1);
      v->id = g_strdup (op->id);
      v->operators = g_ptr_array_new_with_free_func (g_free);
      v->parallelism = op->parallelism;
      v->max_parallelism = op->max_parallelism;
      v->ssg = g_strdup (op->ssg);
      v->inputs = g_array_new (FALSE, FALSE, sizeof (PlanInput));
      v->node_index = op->node_index;
      vertex_of[i] = (int) vs->len;
      g_ptr_array_add (vs, v);
    } else {
      vertex_of[i] = vertex_of[head[i]];
    }
    PlanVertex *v = vs->pdata[vertex_of[i]];
    for (guint k = 0; k < op->operators->len; k++)
      g_ptr_array_add (v->operators, g_strdup (op->operators->pdata[k]));
    if (op->max_parallelism > v->max_parallelism)
      v->max_parallelism = op->max_parallelism;
  }
  for (guint i = 0; i < n; i++) {
    const PlanVertex *op = ops->pdata[i];
    for (guint j = 0; j < op->inputs->len; j++) {
      PlanInput in = g_array_index (op->inputs, PlanInput, j);
      int from = vertex_of[in.from], to = vertex_of[i];
      if (from == to)
        continue;
      in.from = from;
      g_array_append_val (((PlanVertex *) vs->pdata[to])->inputs, in);
    }
  }
  return vs;
}

/* Reorders vs by order (indices rewritten). */
static GPtrArray *
reorder (GPtrArray *vs, const GArray *order)
{
  g_autofree int *pos = g_new (int, vs->len);
  for (guint k = 0; k < order->len; k++)
    pos[g_array_index (order, guint, k)] = (int) k;
  GPtrArray *out = g_ptr_array_new_with_free_func (plan_vertex_free);
  for (guint k = 0; k < order->len; k++) {
    PlanVertex *v = vs->pdata[g_array_index (order, guint, k)];
    vs->pdata[g_array_index (order, guint, k)] = NULL;
    for (guint j = 0; j < v->inputs->len; j++)
      g_array_index (v->inputs, PlanInput, j).from =
        pos[g_array_index (v->inputs, PlanInput, j).from];
    g_ptr_array_add (out, v);
  }
  g_ptr_array_set_free_func (vs, NULL);
  return out;
}

/* Reads a plan document into job vertices in topological order.
 * (transfer full) */
static GPtrArray *
read_plan (Importer *im, const cJSON *root, GError **error)
{
  RsimLoadCtx *ctx = &im->ctx;
  if (!cJSON_IsObject (root)) {
    rsim__ctx_expected (ctx, error, root, "a plan: an object with \"nodes\" "
                        "(GET /jobs/:jobid/plan, or \"flink info\")");
    return NULL;
  }
  /* {"plan": {...}} (GET /jobs/:jobid/plan), or job details with a plan and
   * per-vertex max parallelism (GET /jobs/:jobid), or the plan itself. */
  const cJSON *plan = root;
  const cJSON *details = NULL;
  if (rsim__json_get (root, "plan") != NULL) {
    plan = rsim__json_get (root, "plan");
    details = rsim__json_get (root, "vertices");
    rsim__ctx_push_key (ctx, "plan");
    if (!cJSON_IsObject (plan)) {
      rsim__ctx_expected (ctx, error, plan, "an object with \"nodes\"");
      return NULL;
    }
  }
  const cJSON *nodes = rsim__json_get (plan, "nodes");
  gboolean stream_graph = FALSE;
  if (cJSON_IsArray (nodes) && cJSON_IsObject (nodes->child))
    stream_graph = rsim__json_get (nodes->child, "predecessors") != NULL
      || rsim__json_get (nodes->child, "pact") != NULL
      || (rsim__json_get (nodes->child, "contents") != NULL
          && rsim__json_get (nodes->child, "description") == NULL);
  const cJSON *name = rsim__json_get (plan, "name");
  if (cJSON_IsString (name))
    im->job_name = g_strdup (name->valuestring);
  const cJSON *jid = rsim__json_get (plan, "jid");
  if (cJSON_IsString (jid))
    im->job_id = g_strdup (jid->valuestring);
  gsize base = ctx->path->len;

  g_autoptr (GPtrArray) vs = g_ptr_array_new_with_free_func (plan_vertex_free);
  if (!read_nodes (im, nodes, stream_graph, vs, error)
      || !read_inputs (im, nodes, stream_graph, vs, error))
    return NULL;
  g_string_truncate (ctx->path, base);
  g_autoptr (GArray) order = NULL;
  if (!topological_order (im, vs, &order, error))
    return NULL;
  g_autoptr (GPtrArray) sorted = reorder (vs, order);
  GPtrArray *result = stream_graph ? chain_stream_graph (sorted)
                                   : g_ptr_array_ref (sorted);
  if (stream_graph)
    note (im, "%s: a stream graph (\"flink info\"): %u operators chained "
          "into %u vertices by Flink's default chaining rule; the REST plan "
          "(GET /jobs/:jobid/plan) gives the exact chains", ctx->file,
          sorted->len, result->len);

  /* Max parallelism from the job details' vertices, by id. */
  if (cJSON_IsArray (details)) {
    g_autoptr (GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
    for (guint k = 0; k < result->len; k++)
      g_hash_table_insert (index, ((PlanVertex *) result->pdata[k])->id,
                           GUINT_TO_POINTER (k + 1));
    for (const cJSON *d = details->child; d; d = d->next) {
      g_autofree char *id = id_text (rsim__json_get (d, "id"));
      const cJSON *mp = rsim__json_get (d, "maxParallelism");
      int k = id != NULL
        ? (int) GPOINTER_TO_UINT (g_hash_table_lookup (index, id)) - 1 : -1;
      if (k >= 0 && cJSON_IsNumber (mp) && mp->valuedouble >= 1
          && mp->valuedouble <= MAX_PARALLELISM
          && mp->valuedouble == floor (mp->valuedouble))
        ((PlanVertex *) result->pdata[k])->max_parallelism = (int) mp->valuedouble;
    }
  }
  /* Names: the chain, unique. */
  for (guint i = 0; i < result->len; i++) {
    PlanVertex *v = result->pdata[i];
    g_autofree char *base_name = join_operators (v->operators);
    if (strlen (base_name) > 200)
      base_name[200] = '\0';
    v->name = g_strdup (base_name);
    for (guint k = 2; k < 100000; k++) {
      gboolean clash = FALSE;
      for (guint j = 0; j < i && !clash; j++)
        clash = strcmp (((PlanVertex *) result->pdata[j])->name, v->name) == 0;
      if (!clash)
        break;
      g_free (v->name);
      v->name = g_strdup_printf ("%s #%u", base_name, k);
    }
  }
  return result;
}

/* ------------------------------------------------------- writing scenarios */

/* The job block; the vertices' capacities are placeholders. A FORWARD edge
 * between different parallelisms (Flink refuses those at graph building) is
 * written as rebalance with a note. */
static cJSON *
job_to_json (Importer *im, GPtrArray *vs)
{
  cJSON *job = cJSON_CreateObject ();
  cJSON *vertices = cJSON_AddArrayToObject (job, "vertices");
  cJSON *edges = cJSON_AddArrayToObject (job, "edges");
  for (guint i = 0; i < vs->len; i++) {
    const PlanVertex *v = vs->pdata[i];
    cJSON *o = cJSON_CreateObject ();
    cJSON_AddStringToObject (o, "name", v->name);
    cJSON_AddNumberToObject (o, "parallelism", v->parallelism);
    if (v->max_parallelism >= v->parallelism)
      cJSON_AddNumberToObject (o, "max_parallelism", v->max_parallelism);
    if (v->ssg != NULL)
      cJSON_AddStringToObject (o, "slot_sharing_group", v->ssg);
    cJSON_AddStringToObject (o, "capacity", PLACEHOLDER_CAPACITY);
    /* These are job vertices already: a FORWARD input the loader would
     * chain is one Flink kept apart, so the vertex starts its own chain. */
    if (v->inputs->len == 1) {
      const PlanInput *in = &g_array_index (v->inputs, PlanInput, 0);
      const PlanVertex *from = vs->pdata[in->from];
      if (in->ship == RSIM_SHIP_FORWARD && from->parallelism == v->parallelism)
        cJSON_AddStringToObject (o, "chain", "start_new");
    }
    cJSON_AddItemToArray (vertices, o);
  }
  for (guint i = 0; i < vs->len; i++) {
    const PlanVertex *v = vs->pdata[i];
    for (guint j = 0; j < v->inputs->len; j++) {
      const PlanInput *in = &g_array_index (v->inputs, PlanInput, j);
      const PlanVertex *from = vs->pdata[in->from];
      gboolean dup = FALSE;
      for (guint k = 0; k < j && !dup; k++)
        dup = g_array_index (v->inputs, PlanInput, k).from == in->from;
      if (dup) {
        note (im, "%s: \"%s\" reads \"%s\" more than once; one edge kept",
              im->ctx.file, v->name, from->name);
        continue;
      }
      RsimShip ship = in->ship;
      if (ship == RSIM_SHIP_FORWARD && from->parallelism != v->parallelism) {
        note (im, "%s: FORWARD from \"%s\" to \"%s\" changes the parallelism; "
              "written as rebalance", im->ctx.file, from->name, v->name);
        ship = RSIM_SHIP_REBALANCE;
      }
      cJSON *e = cJSON_CreateObject ();
      cJSON_AddStringToObject (e, "from", from->name);
      cJSON_AddStringToObject (e, "to", v->name);
      cJSON_AddStringToObject (e, "ship", rsim_ship_name (ship));
      cJSON_AddItemToArray (edges, e);
    }
  }
  return job;
}

/* Slots the job needs: per slot-sharing group, its largest parallelism
 * (Flink's slot sharing), summed over groups. */
static int
slots_needed (GPtrArray *vs)
{
  g_autoptr (GHashTable) max = g_hash_table_new (g_str_hash, g_str_equal);
  int total = 0;
  for (guint i = 0; i < vs->len; i++) {
    const PlanVertex *v = vs->pdata[i];
    const char *g = v->ssg ? v->ssg : "default";
    int cur = GPOINTER_TO_INT (g_hash_table_lookup (max, g));
    if (v->parallelism > cur) {
      total += v->parallelism - cur;
      g_hash_table_insert (max, (gpointer) g, GINT_TO_POINTER (v->parallelism));
    }
  }
  return total;
}

static const char placeholder_text[] =
  "PLACEHOLDERS to replace with measured values: each vertex's capacity "
  "(" PLACEHOLDER_CAPACITY "; records/s one subtask processes when busy: "
  "numRecordsInPerSecond / (busyTimeMsPerSecond / 1000) of the vertex's "
  "subtasks, Flink 1.13+), each keyed vertex's state (absent = none; the "
  "checkpointed state size per vertex in GET "
  "/jobs/:jobid/checkpoints/details/:checkpointid) and workload.rate "
  "(" PLACEHOLDER_RATE "; the sources' numRecordsOutPerSecond).";

/* Serialises and checks that the scenario loads. (transfer full) */
static char *
finish (Importer *im, cJSON *scenario, GError **error)
{
  char *text = cJSON_Print (scenario);
  g_autofree char *out = g_strconcat (text, "\n", NULL);
  cJSON_free (text);
  g_autoptr (GError) local = NULL;
  g_autoptr (RsimScenario) sc =
    rsim_scenario_load_data (out, strlen (out), "imported scenario", &local);
  if (sc == NULL) {
    g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_INVALID,
                 "%s: the imported scenario does not load: %s", im->ctx.file,
                 local->message);
    return NULL;
  }
  for (guint i = 0; i < sc->warnings->len; i++)
    note (im, "%s", (const char *) sc->warnings->pdata[i]);
  return g_steal_pointer (&out);
}

/* cJSON keeps duplicate keys; a plan with two "id"s is refused. */
static gboolean
no_duplicates (RsimLoadCtx *ctx, const cJSON *item, guint depth,
               GError **error)
{
  if (depth > 200)
    return rsim__ctx_fail (ctx, error, "nested more than 200 levels deep");
  guint index = 0;
  g_autoptr (GHashTable) seen = cJSON_IsObject (item)
    ? g_hash_table_new (g_str_hash, g_str_equal) : NULL;
  for (const cJSON *c = item->child; c; c = c->next, index++) {
    gsize mark;
    if (seen != NULL) {
      if (!g_hash_table_add (seen, c->string))
        return rsim__ctx_fail (ctx, error, "duplicate key \"%s\"", c->string);
      mark = rsim__ctx_push_key (ctx, c->string);
    } else {
      mark = rsim__ctx_push_index (ctx, index);
    }
    if (!no_duplicates (ctx, c, depth + 1, error))
      return FALSE;
    rsim__ctx_pop (ctx, mark);
  }
  return TRUE;
}

static cJSON *
parse_json_input (Importer *im, const char *data, gsize length, GError **error)
{
  cJSON *root = rsim__scenario_parse (data ? data : "", data ? length : 0,
                                      im->ctx.file, error);
  if (root != NULL && !no_duplicates (&im->ctx, root, 0, error)) {
    cJSON_Delete (root);
    return NULL;
  }
  return root;
}

static gboolean
check_version (const char *text, const char *file, RsimFlinkVersion *out,
               GError **error)
{
  if (text == NULL)
    text = DEFAULT_VERSION;
  if (!rsim_version_parse (text, out) || !rsim_version_supported (*out)) {
    g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_INVALID,
                 "%s: Flink version \"%s\": expected one from 1.5 to 2.3 "
                 "such as \"1.20\"", file, text);
    return FALSE;
  }
  return TRUE;
}

char *
rsim_import_plan (const char *data, gsize length, const char *display_name,
                  const RsimImportOptions *options, GPtrArray *notes,
                  GError **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  RsimImportOptions none = { NULL, NULL };
  if (options == NULL)
    options = &none;
  if (display_name == NULL)
    display_name = "<plan>";
  RsimFlinkVersion version;
  if (!check_version (options->flink_version, display_name, &version, error))
    return NULL;
  Importer im;
  importer_init (&im, display_name, notes);
  char *result = NULL;
  cJSON *root = parse_json_input (&im, data, length, error);
  GPtrArray *vs = root != NULL ? read_plan (&im, root, error) : NULL;
  if (vs != NULL) {
    cJSON *sc = cJSON_CreateObject ();
    const char *name = options->name ? options->name
      : im.job_name ? im.job_name : "imported-job";
    cJSON_AddStringToObject (sc, "name", name);
    g_autofree char *desc = g_strdup_printf (
      "Imported from %s%s%s%s. %s", display_name,
      im.job_id ? " (job " : "", im.job_id ? im.job_id : "",
      im.job_id ? ")" : "", placeholder_text);
    cJSON_AddStringToObject (sc, "description", desc);
    cJSON_AddStringToObject (sc, "duration", "30 min");
    cJSON *flink = cJSON_AddObjectToObject (sc, "flink");
    g_autofree char *ver = rsim_version_to_string (version);
    cJSON_AddStringToObject (flink, "version", ver);
    cJSON *cluster = cJSON_AddObjectToObject (sc, "cluster");
    cJSON_AddNumberToObject (cluster, "taskmanagers", slots_needed (vs));
    cJSON_AddItemToObject (sc, "job", job_to_json (&im, vs));
    cJSON *workload = cJSON_AddObjectToObject (sc, "workload");
    cJSON_AddStringToObject (workload, "rate", PLACEHOLDER_RATE);
    note (&im, "%s", placeholder_text);
    result = finish (&im, sc, error);
    cJSON_Delete (sc);
    g_ptr_array_unref (vs);
  }
  cJSON_Delete (root);
  importer_clear (&im);
  return result;
}

/* ------------------------------------------------------------ deployments */

typedef struct {
  Importer *im;
  const RsimYamlDoc *doc;
  char *located;            /* "FILE:LINE:COL" while ctx.file points here */
} Yaml;

/* Points messages at node: "FILE:LINE:COL: PATH: ...". */
static void
locate (Yaml *y, const cJSON *node, const char *path)
{
  guint line = 0, col = 0;
  g_free (y->located);
  y->located = rsim__yaml_mark (y->doc, node, &line, &col)
    ? g_strdup_printf ("%s:%u:%u", y->doc->file, line, col)
    : g_strdup (y->doc->file);
  y->im->ctx.file = y->located;
  g_string_assign (y->im->ctx.path, path);
}

static const cJSON *
get_path (const cJSON *obj, const char *a, const char *b)
{
  const cJSON *v = rsim__json_get (obj, a);
  return b != NULL && cJSON_IsObject (v) ? rsim__json_get (v, b)
                                         : b != NULL ? NULL : v;
}

/* "v1_18", "FLINK_1_18", "1.18" -> 1.18 (FlinkVersion of the operator). */
static gboolean
read_flink_version (Yaml *y, const cJSON *v, RsimFlinkVersion *out,
                    GError **error)
{
  locate (y, v, "spec.flinkVersion");
  if (cJSON_IsString (v)) {
    const char *t = v->valuestring;
    if (g_str_has_prefix (t, "FLINK_"))
      t += 6;
    else if (t[0] == 'v')
      t += 1;
    g_autofree char *dotted = g_strdelimit (g_strdup (t), "_", '.');
    if (rsim_version_parse (dotted, out) && rsim_version_supported (*out))
      return TRUE;
  }
  return rsim__ctx_expected (&y->im->ctx, error, v, "a Flink version of the "
                             "operator from v1_5 to v2_3 (such as v1_18)");
}

/* Flattens spec.flinkConfiguration (a map of strings; nested maps are
 * joined with dots as in config.yaml) into (key, node) pairs. */
static gboolean
flatten_conf (Yaml *y, const char *prefix, const cJSON *map, GPtrArray *keys,
              GPtrArray *nodes, GError **error)
{
  for (const cJSON *c = map->child; c; c = c->next) {
    g_autofree char *key = prefix ? g_strconcat (prefix, ".", c->string, NULL)
                                  : g_strdup (c->string);
    if (cJSON_IsObject (c)) {
      if (!flatten_conf (y, key, c, keys, nodes, error))
        return FALSE;
      continue;
    }
    if (keys->len >= 10000) {
      locate (y, c, "spec.flinkConfiguration");
      return rsim__ctx_fail (&y->im->ctx, error, "more than 10000 keys");
    }
    g_ptr_array_add (keys, g_steal_pointer (&key));
    g_ptr_array_add (nodes, (gpointer) c);
  }
  return TRUE;
}

static gboolean
is_modelled_flink_key (const char *key)
{
  for (guint i = 0; i < rsim__flink_key_count (); i++)
    if (strcmp (rsim__flink_key_name (i), key) == 0
        || g_strcmp0 (rsim__flink_key_old_name (i), key) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
is_modelled_autoscaler_key (const char *key)
{
  for (guint i = 0; i < rsim__n_autoscaler_keys; i++)
    if (strcmp (rsim__autoscaler_keys[i].name, key) == 0)
      return TRUE;
  return FALSE;
}

typedef struct {
  cJSON *flink_config;      /* modelled Flink keys */
  cJSON *autoscaler;        /* modelled operator keys */
  gboolean autoscaler_on;
  gboolean autoscaler_keys; /* any job.autoscaler.* key at all */
  GString *unmodelled;
  int slots;                /* taskmanager.numberOfTaskSlots, 1 if unset */
} DeploymentConf;

static gboolean
split_conf (Yaml *y, const cJSON *map, RsimFlinkVersion version,
            DeploymentConf *dc, GError **error)
{
  RsimLoadCtx *ctx = &y->im->ctx;
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) nodes = g_ptr_array_new ();
  if (!cJSON_IsObject (map)) {
    locate (y, map, "spec.flinkConfiguration");
    return rsim__ctx_expected (ctx, error, map, "a map of configuration keys");
  }
  if (!flatten_conf (y, NULL, map, keys, nodes, error))
    return FALSE;
  guint v = rsim__version_code (version);
  for (guint i = 0; i < keys->len; i++) {
    const char *key = keys->pdata[i];
    const cJSON *node = nodes->pdata[i];
    g_autofree char *path = g_strdup_printf ("spec.flinkConfiguration.\"%s\"",
                                             key);
    locate (y, node, path);
    if (!cJSON_IsString (node) && !cJSON_IsNumber (node) && !cJSON_IsBool (node))
      return rsim__ctx_expected (ctx, error, node, "a value (a string, number "
                                 "or boolean)");
    gboolean renamed = FALSE;
    g_autofree char *canon = rsim__autoscaler_key_canonical (key, &renamed);
    if (g_str_has_prefix (canon, "job.autoscaler.")
        || g_str_has_prefix (canon, "kubernetes.operator.")) {
      dc->autoscaler_keys = dc->autoscaler_keys
        || g_str_has_prefix (canon, "job.autoscaler.");
      if (strcmp (canon, "job.autoscaler.enabled") == 0) {
        dc->autoscaler_on = cJSON_IsTrue (node) || (cJSON_IsString (node)
          && g_ascii_strcasecmp (node->valuestring, "true") == 0);
      } else if (is_modelled_autoscaler_key (canon)) {
        cJSON_AddItemToObject (dc->autoscaler, canon, cJSON_Duplicate (node, TRUE));
      } else {
        note (y->im, "%s: %s: an operator key rescalesim does not model; left "
              "out", y->located, path);
      }
      continue;
    }
    if (is_modelled_flink_key (key)) {
      cJSON_AddItemToObject (dc->flink_config, key, cJSON_Duplicate (node, TRUE));
      if (strcmp (key, "taskmanager.numberOfTaskSlots") == 0) {
        gint64 n = 0;
        if (cJSON_IsNumber (node))
          n = (gint64) node->valuedouble;
        else if (cJSON_IsString (node))
          g_ascii_string_to_signed (node->valuestring, 10, 1, 1024, &n, NULL);
        dc->slots = n >= 1 && n <= 1024 ? (int) n : 1;
      }
      continue;
    }
    const RsimKnownKey *known = rsim__known_key_find (key);
    if (known == NULL) {
      g_autofree char *hint = rsim__suggest_flink_key (key);
      return rsim__ctx_fail (ctx, error, "unknown Flink configuration key%s%s%s",
                             hint ? "; did you mean " : "", hint ? hint : "",
                             hint ? "?" : "");
    }
    if (v < known->first) {
      g_autofree char *ver = rsim_version_to_string (version);
      return rsim__ctx_fail (ctx, error, "does not exist in Flink %s (it was "
                             "added in %u.%u)", ver, known->first / 100u,
                             known->first % 100u);
    }
    g_string_append_printf (dc->unmodelled, "%s%s",
                            dc->unmodelled->len ? ", " : "", key);
  }
  return TRUE;
}

static gboolean
read_positive (Yaml *y, const cJSON *v, const char *path, int max, int *out,
               GError **error)
{
  locate (y, v, path);
  gint64 n = 0;
  gboolean ok = cJSON_IsNumber (v) && v->valuedouble == floor (v->valuedouble)
    && v->valuedouble >= 1 && v->valuedouble <= max;
  if (ok)
    n = (gint64) v->valuedouble;
  if (!ok)
    return rsim__ctx_expected (&y->im->ctx, error, v, "an integer from 1 to %d",
                               max);
  *out = (int) n;
  return TRUE;
}

static const cJSON *
find_deployment (Yaml *y, GError **error)
{
  const cJSON *first = NULL;
  for (const cJSON *d = y->doc->documents->child; d; d = d->next) {
    const cJSON *kind = rsim__json_get (d, "kind");
    if (cJSON_IsString (kind) && strcmp (kind->valuestring, "FlinkDeployment") == 0)
      return d;
    if (first == NULL)
      first = d;
  }
  const cJSON *kind = first ? rsim__json_get (first, "kind") : NULL;
  locate (y, kind ? kind : first, "kind");
  rsim__ctx_expected (&y->im->ctx, error, kind, "FlinkDeployment (a "
                      "Kubernetes operator resource)");
  return NULL;
}

static char *
import_deployment (Importer *im, Yaml *y, const char *plan_data,
                   gsize plan_length, const char *plan_display,
                   const RsimImportOptions *options, GError **error)
{
  const cJSON *dep = find_deployment (y, error);
  if (dep == NULL)
    return NULL;
  const cJSON *spec = rsim__json_get (dep, "spec");
  if (!cJSON_IsObject (spec)) {
    locate (y, spec ? spec : dep, "spec");
    rsim__ctx_expected (&im->ctx, error, spec, "the deployment's spec (a map)");
    return NULL;
  }
  RsimFlinkVersion version;
  if (!read_flink_version (y, rsim__json_get (spec, "flinkVersion"), &version,
                           error))
    return NULL;

  g_autoptr (GString) unmodelled = g_string_new (NULL);
  DeploymentConf dc = { cJSON_CreateObject (), cJSON_CreateObject (), FALSE,
                        FALSE, unmodelled, 1 };
  cJSON *sc = cJSON_CreateObject ();
  char *result = NULL;
  GPtrArray *vs = NULL;
  g_autofree char *desc = NULL;
  g_autofree char *ver = NULL;
  const cJSON *conf = rsim__json_get (spec, "flinkConfiguration");
  if (conf != NULL && !split_conf (y, conf, version, &dc, error))
    goto out;

  /* spec.job: parallelism and upgrade mode. */
  int parallelism = 0;
  const cJSON *par = get_path (spec, "job", "parallelism");
  if (par != NULL && !read_positive (y, par, "spec.job.parallelism",
                                     MAX_PARALLELISM, &parallelism, error))
    goto out;
  const char *upgrade = NULL;
  const cJSON *um = get_path (spec, "job", "upgradeMode");
  if (um != NULL) {
    locate (y, um, "spec.job.upgradeMode");
    static const char *const modes[] = { "stateless", "savepoint", "last-state" };
    for (guint i = 0; i < G_N_ELEMENTS (modes) && cJSON_IsString (um); i++)
      if (strcmp (um->valuestring, modes[i]) == 0)
        upgrade = modes[i];
    if (upgrade == NULL) {
      rsim__ctx_expected (&im->ctx, error, um, "one of: stateless, savepoint, "
                          "last-state");
      goto out;
    }
  }
  /* spec.mode: native (the default; the operator's active resource
   * manager asks Kubernetes for TaskManagers) or standalone (a fixed
   * number of TaskManager replicas). */
  gboolean standalone = FALSE;
  const cJSON *mode = rsim__json_get (spec, "mode");
  if (mode != NULL) {
    locate (y, mode, "spec.mode");
    if (cJSON_IsString (mode) && strcmp (mode->valuestring, "standalone") == 0)
      standalone = TRUE;
    else if (!cJSON_IsString (mode) || strcmp (mode->valuestring, "native") != 0) {
      rsim__ctx_expected (&im->ctx, error, mode, "native or standalone");
      goto out;
    }
  }
  int replicas = 0;
  const cJSON *rep = get_path (spec, "taskManager", "replicas");
  if (rep != NULL && !read_positive (y, rep, "spec.taskManager.replicas",
                                     100000, &replicas, error))
    goto out;
  if (get_path (spec, "taskManager", "resource") != NULL
      || get_path (spec, "jobManager", "resource") != NULL)
    note (im, "%s: the JobManager's and TaskManagers' cpu and memory are not "
          "modelled; left out", y->doc->file);

  /* The job: the plan's, or one placeholder vertex. */
  if (plan_data != NULL) {
    Importer pim;
    importer_init (&pim, plan_display ? plan_display : "<plan>", im->notes);
    cJSON *root = parse_json_input (&pim, plan_data, plan_length, error);
    vs = root != NULL ? read_plan (&pim, root, error) : NULL;
    cJSON_Delete (root);
    importer_clear (&pim);
    if (vs == NULL)
      goto out;
    if (parallelism > 0)
      note (im, "%s: spec.job.parallelism (%d) is the default parallelism; "
            "the plan's per-vertex parallelisms are kept", y->doc->file,
            parallelism);
  } else {
    vs = g_ptr_array_new_with_free_func (plan_vertex_free);
    PlanVertex *v = g_new0 (PlanVertex, 1);
    v->id = g_strdup ("job");
    v->name = g_strdup ("job");
    v->operators = g_ptr_array_new_with_free_func (g_free);
    v->inputs = g_array_new (FALSE, FALSE, sizeof (PlanInput));
    v->parallelism = parallelism > 0 ? parallelism : 1;
    g_ptr_array_add (vs, v);
    note (im, "%s: no --plan: the job is one vertex \"job\" at parallelism "
          "%d; import the plan (GET /jobs/:jobid/plan) for its real shape",
          y->doc->file, v->parallelism);
  }

  const cJSON *mname = get_path (dep, "metadata", "name");
  const char *name = options->name ? options->name
    : cJSON_IsString (mname) ? mname->valuestring : "imported-deployment";
  cJSON_AddStringToObject (sc, "name", name);
  desc = g_strdup_printf ("Imported from %s%s%s. %s", y->doc->file,
                          plan_display ? " and " : "",
                          plan_display ? plan_display : "", placeholder_text);
  cJSON_AddStringToObject (sc, "description", desc);
  cJSON_AddStringToObject (sc, "duration", "30 min");
  cJSON *flink = cJSON_AddObjectToObject (sc, "flink");
  ver = rsim_version_to_string (version);
  cJSON_AddStringToObject (flink, "version", ver);
  cJSON_AddItemToObject (flink, "config", dc.flink_config);
  dc.flink_config = NULL;
  cJSON *cluster = cJSON_AddObjectToObject (sc, "cluster");
  int needed = (slots_needed (vs) + dc.slots - 1) / dc.slots;
  if (standalone && replicas == 0) {
    replicas = needed;
    note (im, "%s: standalone without spec.taskManager.replicas: %d "
          "TaskManagers, as many as the job needs", y->doc->file, replicas);
  }
  cJSON_AddNumberToObject (cluster, "taskmanagers",
                           standalone ? replicas : needed);
  cJSON_AddStringToObject (cluster, "resource_manager",
                           standalone ? "standalone" : "active");
  cJSON_AddItemToObject (sc, "job", job_to_json (im, vs));
  cJSON *workload = cJSON_AddObjectToObject (sc, "workload");
  cJSON_AddStringToObject (workload, "rate", PLACEHOLDER_RATE);
  if (dc.autoscaler_on) {
    cJSON *ctl = cJSON_AddObjectToObject (sc, "controllers");
    cJSON *as = cJSON_AddObjectToObject (ctl, "autoscaler");
    if (upgrade != NULL)
      cJSON_AddStringToObject (as, "upgrade_mode", upgrade);
    cJSON_AddItemToObject (as, "config", dc.autoscaler);
    dc.autoscaler = NULL;
    note (im, "%s: the autoscaler's defaults are those of operator release "
          "1.10; set controllers.autoscaler.operator_version to the release "
          "you run", y->doc->file);
  } else if (dc.autoscaler_keys) {
    note (im, "%s: job.autoscaler.enabled is not true: the operator only "
          "collects metrics, so no controller is written", y->doc->file);
  }
  if (unmodelled->len > 0)
    note (im, "%s: Flink %s keys rescalesim does not model, left out: %s",
          y->doc->file, ver, unmodelled->str);
  note (im, "%s", placeholder_text);
  im->ctx.file = y->doc->file;
  result = finish (im, sc, error);
out:
  if (vs != NULL)
    g_ptr_array_unref (vs);
  cJSON_Delete (dc.flink_config);
  cJSON_Delete (dc.autoscaler);
  cJSON_Delete (sc);
  return result;
}

char *
rsim_import_deployment (const char *data, gsize length,
                        const char *display_name, const char *plan_data,
                        gsize plan_length, const char *plan_display_name,
                        const RsimImportOptions *options, GPtrArray *notes,
                        GError **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  RsimImportOptions none = { NULL, NULL };
  if (options == NULL)
    options = &none;
  if (display_name == NULL)
    display_name = "<deployment>";
  g_autoptr (RsimYamlDoc) doc = rsim__yaml_parse (data ? data : "",
                                                  data ? length : 0,
                                                  display_name, error);
  if (doc == NULL)
    return NULL;
  Importer im;
  importer_init (&im, display_name, notes);
  Yaml y = { &im, doc, NULL };
  char *result = import_deployment (&im, &y, plan_data, plan_length,
                                    plan_display_name, options, error);
  g_free (y.located);
  importer_clear (&im);
  return result;
}
