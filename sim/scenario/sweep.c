/* Sweep expansion: a scenario file with a "sweep" block -> one validated
 * scenario per axis point (include/rescalesim/sweep.h).
 *
 * The file is parsed once and loaded as a scenario of its own (the base:
 * it must be valid, and the loader checks the sweep block's shape). Each
 * point is then a copy of the parsed tree without the sweep block, with
 * every axis value written at its path, loaded by the same loader as any
 * file (rsim__scenario_load_tree), so a point is validated exactly like a
 * scenario. Points are numbered in mixed radix, the last axis varying
 * fastest. Nothing here runs a simulation. */
#include "scenario-private.h"

#include <rescalesim/sweep.h>

#include <math.h>
#include <string.h>

/* Bounds of the sweep block. */
#define MAX_SEED_COUNT 1000000
#define MAX_SEED ((double) RSIM_SEED_MAX)   /* scenario.h */
#define MAX_RUNS 100000000u
/* Every point is a loaded scenario held in memory: a few kB each. */
#define MAX_POINTS 10000u

struct RsimSweep {
  char *name;
  guint n_axes;
  char **axis_names;
  guint n_points;
  char ***values;               /* [point][axis] */
  RsimScenario **points;
  guint64 seed_base;
  guint seed_count;
  char *hash;
  GPtrArray *warnings;
};

/* ------------------------------------------------------------ axis paths */

/* One step of a path: an object member or an array element. */
typedef struct {
  char *key;                    /* NULL for an index */
  guint index;
} Step;

static void
steps_free (GArray *steps)
{
  for (guint i = 0; i < steps->len; i++)
    g_free (g_array_index (steps, Step, i).key);
  g_array_free (steps, TRUE);
}

static void
push_key (GArray *steps, const char *key, gsize len)
{
  Step s = { g_strndup (key, len), 0 };
  g_array_append_val (steps, s);
}

/* Roots a generic path may start at. */
static const char *const generic_roots[] = {
  "duration", "flink", "cluster", "job", "workload", "timeline", "failures",
  "output", "controllers", "limits",
};

/* Splits an axis into steps. "flink.config.KEY" keeps KEY whole (Flink keys
 * contain dots); "costs.NAME.FIELD" is at most three steps; "scheduler" is
 * the one step "schedulers" (with index 0: the value replaces the list).
 * Returns NULL with *why set for an axis that names no place. */
static GArray *
parse_axis (const char *axis, char **why)
{
  GArray *steps = g_array_new (FALSE, FALSE, sizeof (Step));
  if (strcmp (axis, "scheduler") == 0) {
    push_key (steps, "schedulers", strlen ("schedulers"));
    return steps;
  }
  if (g_str_has_prefix (axis, "flink.config.") && axis[13] != '\0') {
    push_key (steps, "flink", 5);
    push_key (steps, "config", 6);
    push_key (steps, axis + 13, strlen (axis + 13));
    return steps;
  }
  /* The autoscaler's operator keys contain dots too. */
  static const char autoscaler_config[] = "controllers.autoscaler.config.";
  gsize ac_len = sizeof autoscaler_config - 1;
  if (g_str_has_prefix (axis, autoscaler_config) && axis[ac_len] != '\0') {
    push_key (steps, "controllers", 11);
    push_key (steps, "autoscaler", 10);
    push_key (steps, "config", 6);
    push_key (steps, axis + ac_len, strlen (axis + ac_len));
    return steps;
  }
  if (g_str_has_prefix (axis, "costs.") && axis[6] != '\0') {
    push_key (steps, "costs", 5);
    const char *name = axis + 6;
    const char *dot = strchr (name, '.');
    if (dot == NULL) {
      push_key (steps, name, strlen (name));
      return steps;
    }
    if (dot == name || dot[1] == '\0' || strchr (dot + 1, '.') != NULL) {
      *why = g_strdup ("expected costs.NAME or costs.NAME.FIELD");
      steps_free (steps);
      return NULL;
    }
    push_key (steps, name, (gsize) (dot - name));
    push_key (steps, dot + 1, strlen (dot + 1));
    return steps;
  }
  /* Generic: name(.name|[i])* */
  const char *p = axis;
  while (*p != '\0') {
    if (*p == '[') {
      char *end = NULL;
      guint64 idx = g_ascii_strtoull (p + 1, &end, 10);
      if (steps->len == 0 || end == p + 1 || *end != ']' || idx > G_MAXINT) {
        *why = g_strdup ("expected an index such as [0]");
        steps_free (steps);
        return NULL;
      }
      Step s = { NULL, (guint) idx };
      g_array_append_val (steps, s);
      p = end + 1;
      continue;
    }
    if (*p == '.') {
      if (steps->len == 0) {
        *why = g_strdup ("a path does not start with '.'");
        steps_free (steps);
        return NULL;
      }
      p++;
    }
    gsize len = strcspn (p, ".[");
    if (len == 0) {
      *why = g_strdup ("empty name in the path");
      steps_free (steps);
      return NULL;
    }
    push_key (steps, p, len);
    p += len;
  }
  const char *root = steps->len > 0 ? g_array_index (steps, Step, 0).key : NULL;
  gboolean known = FALSE;
  for (guint i = 0; root != NULL && i < G_N_ELEMENTS (generic_roots); i++)
    known = known || strcmp (root, generic_roots[i]) == 0;
  if (!known || steps->len < (strcmp (root, "duration") == 0 ? 1u : 2u)) {
    *why = g_strdup ("expected \"scheduler\", \"flink.version\", "
                     "\"flink.config.KEY\", \"costs.NAME\" or a path into "
                     "duration, cluster, job, workload, timeline, failures, "
                     "output, controllers or limits (e.g. "
                     "\"job.vertices[1].parallelism\")");
    steps_free (steps);
    return NULL;
  }
  return steps;
}

static char *
steps_text (GArray *steps, guint upto)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < upto; i++) {
    const Step *st = &g_array_index (steps, Step, i);
    if (st->key != NULL)
      g_string_append_printf (s, "%s%s", i ? "." : "", st->key);
    else
      g_string_append_printf (s, "[%u]", st->index);
  }
  return g_string_free (s, FALSE);
}

/* Writes a copy of value at axis in root; missing object members on the
 * way are created, array elements are not. */
static gboolean
substitute (cJSON *root, const char *axis, const cJSON *value, char **why)
{
  GArray *steps = parse_axis (axis, why);
  if (steps == NULL)
    return FALSE;
  gboolean is_scheduler = strcmp (axis, "scheduler") == 0;
  cJSON *cur = root;
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < steps->len; i++) {
    const Step *st = &g_array_index (steps, Step, i);
    gboolean last = i + 1 == steps->len;
    g_autofree char *full = i > 0 ? steps_text (steps, i) : NULL;
    g_autofree char *where = full != NULL ? rsim__short_text (full)
                                          : g_strdup ("the scenario");
    if (st->key != NULL) {
      if (!cJSON_IsObject (cur)) {
        *why = g_strdup_printf ("%s is not an object", where);
        ok = FALSE;
        break;
      }
      cJSON *next = cJSON_GetObjectItemCaseSensitive (cur, st->key);
      if (last) {
        cJSON *copy;
        if (is_scheduler) {
          copy = cJSON_CreateArray ();
          cJSON_AddItemToArray (copy, cJSON_Duplicate (value, TRUE));
        } else {
          copy = cJSON_Duplicate (value, TRUE);
        }
        if (next != NULL)
          cJSON_ReplaceItemInObjectCaseSensitive (cur, st->key, copy);
        else
          cJSON_AddItemToObject (cur, st->key, copy);
      } else {
        if (next == NULL)
          next = cJSON_AddObjectToObject (cur, st->key);
        cur = next;
      }
    } else {
      if (!cJSON_IsArray (cur)) {
        *why = g_strdup_printf ("%s is not an array", where);
        ok = FALSE;
        break;
      }
      int size = cJSON_GetArraySize (cur);
      if ((int) st->index >= size) {
        *why = g_strdup_printf ("%s has %d element%s, no [%u]", where, size,
                                size == 1 ? "" : "s", st->index);
        ok = FALSE;
        break;
      }
      if (last)
        cJSON_ReplaceItemInArray (cur, (int) st->index,
                                  cJSON_Duplicate (value, TRUE));
      else
        cur = cJSON_GetArrayItem (cur, (int) st->index);
    }
  }
  steps_free (steps);
  return ok;
}

/* ------------------------------------------------------ the block's shape */

static gboolean
check_seeds (RsimLoadCtx *ctx, const cJSON *v, GError **error)
{
  if (!cJSON_IsObject (v))
    return rsim__ctx_expected (ctx, error, v, "an object with \"base\" and "
                               "\"count\"");
  for (const cJSON *c = v->child; c; c = c->next) {
    gsize mark = rsim__ctx_push_key (ctx, c->string);
    if (strcmp (c->string, "base") == 0) {
      if (!cJSON_IsNumber (c) || c->valuedouble != floor (c->valuedouble)
          || c->valuedouble < 0 || c->valuedouble > MAX_SEED)
        return rsim__ctx_expected (ctx, error, c, "an integer from 0 to %.0f",
                                   MAX_SEED);
    } else if (strcmp (c->string, "count") == 0) {
      int n;
      if (!rsim__read_int (ctx, c, 1, MAX_SEED_COUNT, &n, error))
        return FALSE;
    } else {
      rsim__ctx_pop (ctx, mark);
      return rsim__ctx_fail (ctx, error, "unknown key \"%s\"; expected one of: "
                             "base, count", rsim__ctx_short (ctx, c->string));
    }
    rsim__ctx_pop (ctx, mark);
  }
  return TRUE;
}

gboolean
rsim__sweep_block_check (RsimLoadCtx *ctx, const cJSON *block, GError **error)
{
  if (!cJSON_IsObject (block))
    return rsim__ctx_expected (ctx, error, block, "an object with \"axes\" "
                               "and \"seeds\"");
  const cJSON *axes = NULL;
  for (const cJSON *c = block->child; c; c = c->next) {
    if (strcmp (c->string, "axes") == 0) {
      axes = c;
    } else if (strcmp (c->string, "seeds") == 0) {
      gsize mark = rsim__ctx_push_key (ctx, "seeds");
      if (!check_seeds (ctx, c, error))
        return FALSE;
      rsim__ctx_pop (ctx, mark);
    } else {
      return rsim__ctx_fail (ctx, error, "unknown key \"%s\"; expected one of: "
                             "axes, seeds", rsim__ctx_short (ctx, c->string));
    }
  }
  gsize mark = rsim__ctx_push_key (ctx, "axes");
  if (axes == NULL)
    return rsim__ctx_expected (ctx, error, NULL, "an object of axes");
  if (!cJSON_IsObject (axes))
    return rsim__ctx_expected (ctx, error, axes, "an object of axes "
                               "(\"path\": [value, ...])");
  for (const cJSON *c = axes->child; c; c = c->next) {
    gsize m2 = rsim__ctx_push_quoted_key (ctx, c->string);
    g_autofree char *why = NULL;
    GArray *steps = parse_axis (c->string, &why);
    if (steps == NULL)
      return rsim__ctx_fail (ctx, error, "not an axis: %s", why);
    steps_free (steps);
    if (!cJSON_IsArray (c) || c->child == NULL)
      return rsim__ctx_expected (ctx, error, c, "a non-empty array of values");
    rsim__ctx_pop (ctx, m2);
  }
  rsim__ctx_pop (ctx, mark);
  return TRUE;
}

/* ------------------------------------------------------------- expansion */

/* A value as a label: a string's contents, else compact JSON. */
static char *
value_label (const cJSON *v)
{
  if (cJSON_IsString (v))
    return g_strdup (v->valuestring);
  char *text = cJSON_PrintUnformatted (v);
  char *out = g_strdup (text);
  cJSON_free (text);
  return out;
}

static char *
point_labels (RsimSweep *sw, guint point)
{
  /* For messages: long names and values are shortened. */
  GString *s = g_string_new (NULL);
  for (guint a = 0; a < sw->n_axes; a++) {
    g_autofree char *name = rsim__short_text (sw->axis_names[a]);
    g_autofree char *value = rsim__short_text (sw->values[point][a]);
    g_string_append_printf (s, "%s%s=%s", a ? ", " : "", name, value);
  }
  return g_string_free (s, FALSE);
}

static void
add_warning (GPtrArray *warnings, const char *text)
{
  for (guint i = 0; i < warnings->len; i++)
    if (strcmp (warnings->pdata[i], text) == 0)
      return;
  g_ptr_array_add (warnings, g_strdup (text));
}

static void
compute_hash (RsimSweep *sw)
{
  GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *head =
    g_strdup_printf ("rescalesim/sweep/1\n%u axes\n%" G_GUINT64_FORMAT
                     " base\n%u seeds\n", sw->n_axes, sw->seed_base,
                     sw->seed_count);
  g_checksum_update (sum, (const guchar *) head, -1);
  for (guint a = 0; a < sw->n_axes; a++) {
    g_checksum_update (sum, (const guchar *) sw->axis_names[a], -1);
    g_checksum_update (sum, (const guchar *) "\n", 1);
  }
  for (guint p = 0; p < sw->n_points; p++) {
    for (guint a = 0; a < sw->n_axes; a++) {
      g_checksum_update (sum, (const guchar *) sw->values[p][a], -1);
      g_checksum_update (sum, (const guchar *) "\n", 1);
    }
    g_autofree char *cfg = rsim_scenario_config_to_json (sw->points[p], NULL);
    g_checksum_update (sum, (const guchar *) cfg, -1);
  }
  sw->hash = g_strdup (g_checksum_get_string (sum));
  g_checksum_free (sum);
}

static gboolean
expand (RsimSweep *sw, const cJSON *root, const RsimScenario *base,
        const char *file, GError **error)
{
  const cJSON *block = rsim__json_get (root, "sweep");
  const cJSON *axes = block ? rsim__json_get (block, "axes") : NULL;
  const cJSON *seeds = block ? rsim__json_get (block, "seeds") : NULL;
  sw->seed_base = base->config.seed;
  sw->seed_count = 1;
  if (seeds != NULL) {
    const cJSON *b = rsim__json_get (seeds, "base");
    const cJSON *n = rsim__json_get (seeds, "count");
    if (b != NULL)
      sw->seed_base = (guint64) b->valuedouble;
    if (n != NULL)
      sw->seed_count = (guint) n->valueint;
  }

  sw->n_axes = axes ? (guint) cJSON_GetArraySize (axes) : 0;
  sw->axis_names = g_new0 (char *, sw->n_axes + 1);
  g_autofree const cJSON **axis_values = g_new0 (const cJSON *, sw->n_axes + 1);
  g_autofree guint *radix = g_new0 (guint, sw->n_axes + 1);
  guint64 n_points = 1;
  guint a = 0;
  for (const cJSON *c = axes ? axes->child : NULL; c; c = c->next, a++) {
    sw->axis_names[a] = g_strdup (c->string);
    axis_values[a] = c;
    radix[a] = (guint) cJSON_GetArraySize (c);
    n_points *= radix[a];
    if (n_points > MAX_POINTS) {
      g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_INVALID,
                   "%s: sweep.axes: more than %u points (the product of the "
                   "axes' lengths)", file, MAX_POINTS);
      return FALSE;
    }
    if (n_points * sw->seed_count > MAX_RUNS) {
      g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_INVALID,
                   "%s: sweep: more than %u runs", file, MAX_RUNS);
      return FALSE;
    }
  }
  sw->n_points = (guint) n_points;
  sw->values = g_new0 (char **, sw->n_points);
  sw->points = g_new0 (RsimScenario *, sw->n_points);

  cJSON *template = cJSON_Duplicate (root, TRUE);
  cJSON_DeleteItemFromObjectCaseSensitive (template, "sweep");
  g_autofree guint *digit = g_new0 (guint, sw->n_axes + 1);
  gboolean ok = TRUE;
  for (guint p = 0; ok && p < sw->n_points; p++) {
    /* Mixed radix, last axis fastest. */
    guint rest = p;
    for (guint k = sw->n_axes; k-- > 0;) {
      digit[k] = rest % radix[k];
      rest /= radix[k];
    }
    cJSON *tree = cJSON_Duplicate (template, TRUE);
    sw->values[p] = g_new0 (char *, sw->n_axes + 1);
    for (guint k = 0; k < sw->n_axes; k++)
      sw->values[p][k] =
        value_label (cJSON_GetArrayItem (axis_values[k], (int) digit[k]));
    g_autofree char *labels = point_labels (sw, p);
    for (guint k = 0; ok && k < sw->n_axes; k++) {
      g_autofree char *why = NULL;
      const cJSON *v = cJSON_GetArrayItem (axis_values[k], (int) digit[k]);
      if (!substitute (tree, sw->axis_names[k], v, &why)) {
        g_autofree char *axis = rsim__short_text (sw->axis_names[k]);
        g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_INVALID,
                     "%s: sweep.axes.\"%s\": cannot set the value of point "
                     "%u of %u (%s): %s", file, axis, p + 1,
                     sw->n_points, labels, why);
        ok = FALSE;
      }
    }
    if (ok) {
      g_autoptr (GError) inner = NULL;
      sw->points[p] = rsim__scenario_load_tree (tree, file, &inner);
      if (sw->points[p] == NULL) {
        g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_INVALID,
                     "sweep point %u of %u (%s): %s", p + 1, sw->n_points,
                     labels, inner->message);
        ok = FALSE;
      }
    }
    cJSON_Delete (tree);
    if (!ok)
      break;
    const RsimScenario *sc = sw->points[p];
    for (guint i = 0; i < sc->warnings->len; i++)
      add_warning (sw->warnings, sc->warnings->pdata[i]);
  }
  cJSON_Delete (template);
  if (!ok)
    return FALSE;

  gboolean scheduler_axis = FALSE;
  for (guint k = 0; k < sw->n_axes; k++)
    scheduler_axis = scheduler_axis || strcmp (sw->axis_names[k], "scheduler") == 0;
  if (!scheduler_axis && sw->points[0]->n_schedulers > 1) {
    g_autofree char *w =
      g_strdup_printf ("%s: schedulers: a sweep runs only the first scheduler "
                       "(%s); add a \"scheduler\" axis to sweep schedulers",
                       file, rsim_scheduler_kind_name (sw->points[0]->schedulers[0]));
    add_warning (sw->warnings, w);
  }
  sw->name = g_strdup (sw->points[0]->name);
  compute_hash (sw);
  return TRUE;
}

RsimSweep *
rsim_sweep_load_data (const char *data, gsize length, const char *display_name,
                      GError **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (display_name == NULL)
    display_name = "<scenario>";
  cJSON *root = rsim__scenario_parse (data ? data : "", length, display_name,
                                      error);
  if (root == NULL)
    return NULL;
  /* The file itself must be a valid scenario; this also checks the sweep
   * block's shape. */
  g_autoptr (RsimScenario) base = rsim__scenario_load_tree (root, display_name,
                                                            error);
  if (base == NULL) {
    cJSON_Delete (root);
    return NULL;
  }
  RsimSweep *sw = g_new0 (RsimSweep, 1);
  sw->warnings = g_ptr_array_new_with_free_func (g_free);
  gboolean ok = expand (sw, root, base, display_name, error);
  cJSON_Delete (root);
  if (!ok) {
    rsim_sweep_free (sw);
    return NULL;
  }
  return sw;
}

RsimSweep *
rsim_sweep_load_file (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr (GError) io = NULL;
  if (!g_file_get_contents (path, &data, &len, &io)) {
    g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_IO,
                 "%s: cannot read: %s", path, io->message);
    return NULL;
  }
  return rsim_sweep_load_data (data, len, path, error);
}

void
rsim_sweep_free (RsimSweep *sweep)
{
  if (sweep == NULL)
    return;
  for (guint p = 0; p < sweep->n_points; p++) {
    if (sweep->values)
      g_strfreev (sweep->values[p]);
    if (sweep->points)
      rsim_scenario_free (sweep->points[p]);
  }
  g_free (sweep->values);
  g_free (sweep->points);
  g_strfreev (sweep->axis_names);
  g_free (sweep->name);
  g_free (sweep->hash);
  if (sweep->warnings)
    g_ptr_array_unref (sweep->warnings);
  g_free (sweep);
}

/* ------------------------------------------------------------- accessors */

const char *
rsim_sweep_name (const RsimSweep *sweep)
{
  return sweep->name;
}

guint
rsim_sweep_n_axes (const RsimSweep *sweep)
{
  return sweep->n_axes;
}

const char *
rsim_sweep_axis_name (const RsimSweep *sweep, guint axis)
{
  g_return_val_if_fail (axis < sweep->n_axes, NULL);
  return sweep->axis_names[axis];
}

guint
rsim_sweep_n_points (const RsimSweep *sweep)
{
  return sweep->n_points;
}

const char *const *
rsim_sweep_point_values (const RsimSweep *sweep, guint point)
{
  g_return_val_if_fail (point < sweep->n_points, NULL);
  return (const char *const *) sweep->values[point];
}

const RsimScenario *
rsim_sweep_point_scenario (const RsimSweep *sweep, guint point)
{
  g_return_val_if_fail (point < sweep->n_points, NULL);
  return sweep->points[point];
}

guint64
rsim_sweep_seed_base (const RsimSweep *sweep)
{
  return sweep->seed_base;
}

guint
rsim_sweep_seed_count (const RsimSweep *sweep)
{
  return sweep->seed_count;
}

guint
rsim_sweep_n_runs (const RsimSweep *sweep)
{
  return sweep->n_points * sweep->seed_count;
}

void
rsim_sweep_run_identity (const RsimSweep *sweep, guint run, guint *point,
                         guint64 *seed)
{
  g_return_if_fail (run < rsim_sweep_n_runs (sweep));
  if (point)
    *point = run / sweep->seed_count;
  if (seed)
    *seed = sweep->seed_base + run % sweep->seed_count;
}

void
rsim_sweep_run_config (const RsimSweep *sweep, guint run, RsimSimConfig *out)
{
  guint point;
  guint64 seed;
  rsim_sweep_run_identity (sweep, run, &point, &seed);
  rsim_sim_config_copy (out, &sweep->points[point]->config);
  out->seed = seed;
}

const char *
rsim_sweep_hash (const RsimSweep *sweep)
{
  return sweep->hash;
}

GPtrArray *
rsim_sweep_warnings (const RsimSweep *sweep)
{
  return sweep->warnings;
}
