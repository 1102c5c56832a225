/* Reading a scenario's "advise" block (advise-private.h, the format in
 * include/rescalesim/advise.h and scenarios/README.md).
 *
 * The scenario loader only accepts the key; the block is read here, from
 * the scenario's parsed tree, with the loader's style of message:
 * "FILE: advise.PATH: expected X, got Y". Whether a knob names a place in
 * the scenario, and whether its values are valid there, is decided by the
 * sweep expansion when the candidates are built (advise.c), so a knob is an
 * axis by exactly the sweep's rules. Every size the block controls is
 * bounded (the RSIM_ADVISE_MAX_* constants). */
#include "advise-private.h"

#include <math.h>
#include <string.h>

#include "report/report-internal.h"

/* ------------------------------------------------------------- durations */

/* Flink's duration units (TimeUtils.TimeUnit labels), in seconds. */
static const struct {
  const char *label;
  double seconds;
} duration_units[] = {
  { "d", 86400 }, { "day", 86400 }, { "days", 86400 },
  { "h", 3600 }, { "hour", 3600 }, { "hours", 3600 },
  { "min", 60 }, { "m", 60 }, { "minute", 60 }, { "minutes", 60 },
  { "s", 1 }, { "sec", 1 }, { "secs", 1 }, { "second", 1 }, { "seconds", 1 },
  { "ms", 1e-3 }, { "milli", 1e-3 }, { "millis", 1e-3 },
  { "millisecond", 1e-3 }, { "milliseconds", 1e-3 },
  { "us", 1e-6 }, { "micro", 1e-6 }, { "micros", 1e-6 },
  { "microsecond", 1e-6 }, { "microseconds", 1e-6 },
};

gboolean
rsim__advise_parse_duration (const char *text, double *seconds)
{
  const char *p = text;
  while (g_ascii_isspace (*p))
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  char *end = NULL;
  double v = g_ascii_strtod (p, &end);
  if (end == p || !isfinite (v) || v < 0)
    return FALSE;
  while (g_ascii_isspace (*end))
    end++;
  g_autofree char *unit = g_ascii_strdown (end, -1);
  g_strchomp (unit);
  if (*unit == '\0') {
    *seconds = v * 1e-3;        /* Flink: no unit is milliseconds */
    return TRUE;
  }
  for (gsize i = 0; i < G_N_ELEMENTS (duration_units); i++)
    if (strcmp (unit, duration_units[i].label) == 0) {
      *seconds = v * duration_units[i].seconds;
      return TRUE;
    }
  return FALSE;
}

char *
rsim__advise_format_duration (double seconds)
{
  gint64 ms = (gint64) llround (seconds * 1000.0);
  static const struct { const char *label; gint64 ms; } units[] = {
    { "d", 86400000 }, { "h", 3600000 }, { "min", 60000 }, { "s", 1000 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
    if (ms != 0 && ms % units[i].ms == 0)
      return g_strdup_printf ("%" G_GINT64_FORMAT " %s", ms / units[i].ms,
                              units[i].label);
  return g_strdup_printf ("%" G_GINT64_FORMAT " ms", ms);
}

/* ---------------------------------------------------------------- errors */

typedef struct {
  RsimJsonSource src;
  GString *path;              /* JSON path of the value being read */
} Reader;

static gsize
push (Reader *r, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

/* Appends to the path; returns the mark to pop back to. */
static gsize
push (Reader *r, const char *fmt, ...)
{
  gsize mark = r->path->len;
  va_list ap;
  va_start (ap, fmt);
  g_string_append_vprintf (r->path, fmt, ap);
  va_end (ap);
  return mark;
}

static void
pop (Reader *r, gsize mark)
{
  g_string_truncate (r->path, mark);
}

/* A member's key in a path: quoted unless a plain identifier. */
static gsize
push_key (Reader *r, const char *key)
{
  gboolean plain = *key != '\0' && !g_ascii_isdigit (*key);
  for (const char *p = key; *p; p++)
    plain = plain && (g_ascii_isalnum (*p) || *p == '_');
  return plain ? push (r, ".%s", key) : push (r, ".\"%s\"", key);
}

/* "FILE: PATH: expected WHAT, got GOT"; returns FALSE. */
static gboolean
expect (Reader *r, GError **error, const cJSON *got, const char *fmt, ...)
  G_GNUC_PRINTF (4, 5);

static gboolean
expect (Reader *r, GError **error, const cJSON *got, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *what = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  return rsim__json_expected (&r->src, r->path->str, what, got, error);
}

/* "FILE: PATH: message"; returns FALSE. */
static gboolean
fail (Reader *r, GError **error, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (Reader *r, GError **error, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *what = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_INVALID,
               "%s: %s: %s", r->src.file, r->path->str, what);
  return FALSE;
}

static gboolean
unknown_key (Reader *r, GError **error, const char *key,
             const char *const *keys, guint n)
{
  g_autoptr (GString) list = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (list, "%s%s", i ? ", " : "", keys[i]);
  return fail (r, error, "unknown key \"%s\"; expected one of: %s", key,
               list->str);
}

/* ----------------------------------------------------------------- knobs */

/* A range's end: a number, or a duration text (seconds). */
static gboolean
read_end (Reader *r, const cJSON *v, gboolean *is_duration, double *out,
          GError **error)
{
  if (cJSON_IsNumber (v) && isfinite (v->valuedouble)) {
    *is_duration = FALSE;
    *out = v->valuedouble;
    return TRUE;
  }
  if (cJSON_IsString (v) && rsim__advise_parse_duration (v->valuestring, out)) {
    *is_duration = TRUE;
    return TRUE;
  }
  return expect (r, error, v, "a number or a duration such as \"30 s\"");
}

static gboolean
read_range (Reader *r, const cJSON *obj, RsimKnob *k, GError **error)
{
  static const char *const keys[] = { "from", "to", "steps", "scale" };
  for (const cJSON *c = obj->child; c; c = c->next) {
    gboolean known = FALSE;
    for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
      known = known || strcmp (c->string, keys[i]) == 0;
    if (!known)
      return unknown_key (r, error, c->string, keys, G_N_ELEMENTS (keys));
  }
  gboolean dur_from = FALSE, dur_to = FALSE;
  gsize m = push (r, ".from");
  if (!read_end (r, cJSON_GetObjectItemCaseSensitive (obj, "from"), &dur_from,
                 &k->from, error))
    return FALSE;
  pop (r, m);
  m = push (r, ".to");
  const cJSON *to = cJSON_GetObjectItemCaseSensitive (obj, "to");
  if (!read_end (r, to, &dur_to, &k->to, error))
    return FALSE;
  if (dur_to != dur_from)
    return expect (r, error, to, "%s like \"from\"",
                   dur_from ? "a duration" : "a number");
  if (k->to < k->from)
    return fail (r, error, "the range is empty: \"to\" is below \"from\"");
  pop (r, m);
  k->duration = dur_from;
  k->integral = !k->duration && k->from == floor (k->from)
                && k->to == floor (k->to);
  k->steps = 5;
  const cJSON *steps = cJSON_GetObjectItemCaseSensitive (obj, "steps");
  if (steps != NULL) {
    m = push (r, ".steps");
    if (!cJSON_IsNumber (steps) || steps->valuedouble != floor (steps->valuedouble)
        || steps->valuedouble < 1 || steps->valuedouble > RSIM_ADVISE_MAX_STEPS)
      return expect (r, error, steps, "an integer from 1 to %d",
                     RSIM_ADVISE_MAX_STEPS);
    k->steps = (guint) steps->valuedouble;
    pop (r, m);
  }
  if (k->to == k->from)
    k->steps = 1;
  const cJSON *scale = cJSON_GetObjectItemCaseSensitive (obj, "scale");
  if (scale != NULL) {
    m = push (r, ".scale");
    if (!cJSON_IsString (scale)
        || (strcmp (scale->valuestring, "linear") != 0
            && strcmp (scale->valuestring, "log") != 0))
      return expect (r, error, scale, "\"linear\" or \"log\"");
    k->log_scale = strcmp (scale->valuestring, "log") == 0;
    if (k->log_scale && k->from <= 0)
      return fail (r, error, "a log scale needs \"from\" above 0");
    pop (r, m);
  }
  if (k->integral && k->to - k->from + 1 < k->steps)
    k->steps = (guint) (k->to - k->from + 1);
  return TRUE;
}

static gboolean
read_knobs (Reader *r, const cJSON *obj, RsimAdviseSpec *spec, GError **error)
{
  if (!cJSON_IsObject (obj) || obj->child == NULL)
    return expect (r, error, obj, "a non-empty object of knobs "
                   "(\"AXIS\": [value, ...] or {\"from\": .., \"to\": ..})");
  guint n = (guint) cJSON_GetArraySize (obj);
  if (n > RSIM_ADVISE_MAX_KNOBS)
    return fail (r, error, "%u knobs; at most %d", n, RSIM_ADVISE_MAX_KNOBS);
  spec->knobs = g_new0 (RsimKnob, n);
  guint64 grid = 1;
  for (const cJSON *c = obj->child; c; c = c->next) {
    RsimKnob *k = &spec->knobs[spec->n_knobs++];
    k->axis = g_strdup (c->string);
    gsize m = push_key (r, c->string);
    if (cJSON_IsArray (c)) {
      guint len = (guint) cJSON_GetArraySize (c);
      if (len == 0)
        return fail (r, error, "the list of values is empty");
      if (len > RSIM_ADVISE_MAX_LIST)
        return fail (r, error, "%u values; at most %d", len,
                     RSIM_ADVISE_MAX_LIST);
      k->kind = RSIM_KNOB_LIST;
      k->list = cJSON_Duplicate (c, TRUE);
      grid *= len;
    } else if (cJSON_IsObject (c)) {
      k->kind = RSIM_KNOB_RANGE;
      if (!read_range (r, c, k, error))
        return FALSE;
      grid *= k->steps;
    } else {
      return expect (r, error, c, "a list of values or a range "
                     "{\"from\", \"to\", \"steps\", \"scale\"}");
    }
    if (grid > RSIM_ADVISE_MAX_GRID)
      return fail (r, error, "the grid has more than %d candidates",
                   RSIM_ADVISE_MAX_GRID);
    pop (r, m);
  }
  return TRUE;
}

/* ------------------------------------------------------------ objectives */

/* The metrics an objective or a cost may name: the numbers of the list. */
static gboolean
number_metric (const char *name, RsimMetricId *out)
{
  for (int id = 0; id < RSIM_N_METRICS; id++) {
    RsimMetricType t = rsim_metrics[id].type;
    if (t == RSIM_METRIC_STATE || t == RSIM_METRIC_PARALLELISM)
      continue;
    if (strcmp (rsim_metrics[id].name, name) == 0) {
      *out = id;
      return TRUE;
    }
  }
  return FALSE;
}

static char *
number_metric_names (void)
{
  GString *s = g_string_new (NULL);
  for (int id = 0; id < RSIM_N_METRICS; id++) {
    RsimMetricType t = rsim_metrics[id].type;
    if (t != RSIM_METRIC_STATE && t != RSIM_METRIC_PARALLELISM)
      g_string_append_printf (s, "%s%s", s->len ? ", " : "",
                              rsim_metrics[id].name);
  }
  return g_string_free (s, FALSE);
}

#define OBJECTIVE_FORM "\"METRIC STATISTIC <=|>= BOUND [per day|per hour]\""

static gboolean
read_objective (Reader *r, const cJSON *v, RsimObjective *o, GError **error)
{
  if (!cJSON_IsString (v))
    return expect (r, error, v, "an objective " OBJECTIVE_FORM);
  o->text = g_strdup (v->valuestring);
  g_autofree char *copy = g_strstrip (g_strdup (v->valuestring));
  g_auto (GStrv) words = g_strsplit_set (copy, " \t", -1);
  /* g_strsplit_set keeps empty words between repeated blanks. */
  GPtrArray *w = g_ptr_array_new ();
  for (char **p = words; *p; p++)
    if (**p != '\0')
      g_ptr_array_add (w, *p);
  g_autoptr (GPtrArray) tokens = w;
  if (tokens->len != 4 && tokens->len != 6)
    return expect (r, error, v, "an objective " OBJECTIVE_FORM);
  const char *metric = tokens->pdata[0], *stat = tokens->pdata[1];
  const char *op = tokens->pdata[2], *bound = tokens->pdata[3];
  if (!number_metric (metric, &o->metric)) {
    g_autofree char *names = number_metric_names ();
    return fail (r, error, "unknown metric \"%s\"; expected one of: %s",
                 metric, names);
  }
  o->stat_name = g_strdup (stat);
  if (strcmp (stat, "mean") == 0) {
    o->stat = RSIM_STAT_MEAN;
  } else if (strcmp (stat, "median") == 0) {
    o->stat = RSIM_STAT_QUANTILE;
    o->q = 0.5;
  } else if (strcmp (stat, "min") == 0) {
    o->stat = RSIM_STAT_MIN;
  } else if (strcmp (stat, "max") == 0) {
    o->stat = RSIM_STAT_MAX;
  } else {
    guint64 pct = 0;
    if (stat[0] != 'p' || !g_ascii_string_to_unsigned (stat + 1, 10, 1, 99,
                                                       &pct, NULL))
      return fail (r, error, "unknown statistic \"%s\"; expected mean, median, "
                   "min, max or pNN (NN from 1 to 99, e.g. p95)", stat);
    o->stat = RSIM_STAT_QUANTILE;
    o->q = (double) pct / 100.0;
  }
  if (strcmp (op, "<=") == 0)
    o->at_most = TRUE;
  else if (strcmp (op, ">=") != 0)
    return fail (r, error, "expected \"<=\" or \">=\" after the statistic, "
                 "got \"%s\"", op);
  char *end = NULL;
  o->bound = g_ascii_strtod (bound, &end);
  if (end == bound || *end != '\0' || !isfinite (o->bound))
    return fail (r, error, "expected a number as the bound, got \"%s\"", bound);
  if (tokens->len == 6) {
    const char *per = tokens->pdata[4], *unit = tokens->pdata[5];
    if (strcmp (per, "per") != 0
        || (strcmp (unit, "day") != 0 && strcmp (unit, "hour") != 0))
      return fail (r, error, "expected \"per day\" or \"per hour\" after the "
                   "bound, got \"%s %s\"", per, unit);
    o->per_seconds = strcmp (unit, "day") == 0 ? 86400 : 3600;
  }
  return TRUE;
}

static gboolean
read_objectives (Reader *r, const cJSON *arr, RsimAdviseSpec *spec,
                 GError **error)
{
  if (!cJSON_IsArray (arr) || arr->child == NULL)
    return expect (r, error, arr, "a non-empty list of objectives "
                   OBJECTIVE_FORM);
  guint n = (guint) cJSON_GetArraySize (arr);
  if (n > RSIM_ADVISE_MAX_OBJECTIVES)
    return fail (r, error, "%u objectives; at most %d", n,
                 RSIM_ADVISE_MAX_OBJECTIVES);
  spec->objectives = g_new0 (RsimObjective, n);
  guint i = 0;
  for (const cJSON *c = arr->child; c; c = c->next, i++) {
    gsize m = push (r, "[%u]", i);
    spec->n_objectives++;
    if (!read_objective (r, c, &spec->objectives[i], error))
      return FALSE;
    pop (r, m);
  }
  return TRUE;
}

/* ------------------------------------------------------------------ cost */

#define COST_FORM "\"slot_seconds\", \"checkpoint_bytes\" or an object " \
  "with \"kind\": slot_seconds (and \"price_per_slot_hour\"), " \
  "checkpoint_bytes or weighted (with \"name\" and \"weights\")"

static gboolean
read_weights (Reader *r, const cJSON *obj, RsimCostSpec *cost, GError **error)
{
  if (!cJSON_IsObject (obj) || obj->child == NULL)
    return expect (r, error, obj, "a non-empty object of weights "
                   "(\"METRIC\": number)");
  guint n = (guint) cJSON_GetArraySize (obj);
  if (n > RSIM_ADVISE_MAX_TERMS)
    return fail (r, error, "%u weights; at most %d", n, RSIM_ADVISE_MAX_TERMS);
  cost->terms = g_new0 (RsimCostTerm, n);
  for (const cJSON *c = obj->child; c; c = c->next) {
    gsize m = push_key (r, c->string);
    RsimCostTerm *t = &cost->terms[cost->n_terms++];
    RsimMetricId id;
    if (strcmp (c->string, "slot_seconds") == 0) {
      t->metric = RSIM_COST_TERM_SLOT_SECONDS;
    } else if (strcmp (c->string, "checkpoint_bytes") == 0) {
      t->metric = RSIM_COST_TERM_CHECKPOINT_BYTES;
    } else if (number_metric (c->string, &id)) {
      t->metric = id;
    } else {
      g_autofree char *names = number_metric_names ();
      return fail (r, error, "unknown metric \"%s\"; expected slot_seconds, "
                   "checkpoint_bytes or one of: %s", c->string, names);
    }
    if (!cJSON_IsNumber (c) || !isfinite (c->valuedouble))
      return expect (r, error, c, "a number");
    t->weight = c->valuedouble;
    pop (r, m);
  }
  return TRUE;
}

static gboolean
read_cost (Reader *r, const cJSON *v, RsimCostSpec *cost, GError **error)
{
  const char *kind = NULL;
  const cJSON *obj = NULL;
  if (cJSON_IsString (v)) {
    kind = v->valuestring;
  } else if (cJSON_IsObject (v)) {
    obj = v;
    static const char *const keys[] = { "kind", "price_per_slot_hour",
                                        "name", "unit", "weights" };
    for (const cJSON *c = obj->child; c; c = c->next) {
      gboolean known = FALSE;
      for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
        known = known || strcmp (c->string, keys[i]) == 0;
      if (!known)
        return unknown_key (r, error, c->string, keys, G_N_ELEMENTS (keys));
    }
    const cJSON *k = cJSON_GetObjectItemCaseSensitive (obj, "kind");
    gsize m = push (r, ".kind");
    if (!cJSON_IsString (k))
      return expect (r, error, k, "slot_seconds, checkpoint_bytes or weighted");
    kind = k->valuestring;
    pop (r, m);
  } else {
    return expect (r, error, v, COST_FORM);
  }
  const cJSON *price = obj ? cJSON_GetObjectItemCaseSensitive (obj, "price_per_slot_hour") : NULL;
  const cJSON *name = obj ? cJSON_GetObjectItemCaseSensitive (obj, "name") : NULL;
  const cJSON *unit = obj ? cJSON_GetObjectItemCaseSensitive (obj, "unit") : NULL;
  const cJSON *weights = obj ? cJSON_GetObjectItemCaseSensitive (obj, "weights") : NULL;
  if (strcmp (kind, "slot_seconds") == 0) {
    cost->kind = RSIM_COST_SLOT_SECONDS;
    cost->name = g_strdup ("slot_seconds");
    cost->unit = g_strdup ("slot-s");
    if (price != NULL) {
      gsize m = push (r, ".price_per_slot_hour");
      if (!cJSON_IsNumber (price) || !(price->valuedouble > 0)
          || !isfinite (price->valuedouble))
        return expect (r, error, price, "a number above 0");
      cost->price_per_slot_hour = price->valuedouble;
      g_free (cost->name);
      g_free (cost->unit);
      cost->name = g_strdup ("slot_cost");
      cost->unit = g_strdup ("price units");
      pop (r, m);
    }
  } else if (strcmp (kind, "checkpoint_bytes") == 0) {
    cost->kind = RSIM_COST_CHECKPOINT_BYTES;
    cost->name = g_strdup ("checkpoint_bytes");
    cost->unit = g_strdup ("bytes");
  } else if (strcmp (kind, "weighted") == 0) {
    cost->kind = RSIM_COST_WEIGHTED;
    if (obj == NULL)
      return expect (r, error, v, "an object with \"kind\": \"weighted\", "
                     "\"name\" and \"weights\"");
    gsize m = push (r, ".name");
    if (!cJSON_IsString (name) || name->valuestring[0] == '\0'
        || strlen (name->valuestring) > 64)
      return expect (r, error, name, "a name for the cost (1 to 64 characters)");
    cost->name = g_strdup (name->valuestring);
    pop (r, m);
    cost->unit = g_strdup ("");
    if (unit != NULL) {
      m = push (r, ".unit");
      if (!cJSON_IsString (unit) || strlen (unit->valuestring) > 32)
        return expect (r, error, unit, "a unit (up to 32 characters)");
      g_free (cost->unit);
      cost->unit = g_strdup (unit->valuestring);
      pop (r, m);
    }
    m = push (r, ".weights");
    if (!read_weights (r, weights, cost, error))
      return FALSE;
    pop (r, m);
  } else {
    return expect (r, error, v, COST_FORM);
  }
  if (cost->kind != RSIM_COST_SLOT_SECONDS && price != NULL) {
    push (r, ".price_per_slot_hour");
    return fail (r, error, "only a slot_seconds cost has a price");
  }
  if (cost->kind != RSIM_COST_WEIGHTED && (weights != NULL || name != NULL
                                           || unit != NULL)) {
    push (r, weights ? ".weights" : name ? ".name" : ".unit");
    return fail (r, error, "only a weighted cost has a name, unit or weights");
  }
  return TRUE;
}

/* ------------------------------------------------------------- the block */

static gboolean
read_uint (Reader *r, const cJSON *v, guint min, guint max, guint *out,
           GError **error)
{
  if (!cJSON_IsNumber (v) || v->valuedouble != floor (v->valuedouble)
      || v->valuedouble < min || v->valuedouble > max)
    return expect (r, error, v, "an integer from %u to %u", min, max);
  *out = (guint) v->valuedouble;
  return TRUE;
}

static gboolean
read_seeds (Reader *r, const cJSON *v, RsimAdviseSpec *spec, GError **error)
{
  if (cJSON_IsNumber (v))
    return read_uint (r, v, 1, RSIM_ADVISE_MAX_SEEDS, &spec->seeds, error);
  if (!cJSON_IsObject (v))
    return expect (r, error, v, "a number of seeds or {\"base\", \"count\"}");
  static const char *const keys[] = { "base", "count" };
  for (const cJSON *c = v->child; c; c = c->next) {
    gsize m = push_key (r, c->string);
    if (strcmp (c->string, "base") == 0) {
      if (!cJSON_IsNumber (c) || c->valuedouble != floor (c->valuedouble)
          || c->valuedouble < 0 || c->valuedouble > 9007199254740991.0)
        return expect (r, error, c, "an integer from 0 to 2^53 - 1");
      spec->seed_base = (guint64) c->valuedouble;
    } else if (strcmp (c->string, "count") == 0) {
      if (!read_uint (r, c, 1, RSIM_ADVISE_MAX_SEEDS, &spec->seeds, error))
        return FALSE;
    } else {
      pop (r, m);
      return unknown_key (r, error, c->string, keys, G_N_ELEMENTS (keys));
    }
    pop (r, m);
  }
  return TRUE;
}

void
rsim__advise_spec_clear (RsimAdviseSpec *spec)
{
  for (guint i = 0; i < spec->n_knobs; i++) {
    g_free (spec->knobs[i].axis);
    cJSON_Delete (spec->knobs[i].list);
  }
  g_free (spec->knobs);
  for (guint i = 0; i < spec->n_objectives; i++) {
    g_free (spec->objectives[i].text);
    g_free (spec->objectives[i].stat_name);
  }
  g_free (spec->objectives);
  g_free (spec->cost.name);
  g_free (spec->cost.unit);
  g_free (spec->cost.terms);
  g_free (spec->canonical);
  g_free (spec->file);
  memset (spec, 0, sizeof *spec);
}

gboolean
rsim__advise_spec_read (const cJSON *root, const char *file,
                        RsimAdviseSpec *spec, GError **error)
{
  memset (spec, 0, sizeof *spec);
  spec->file = g_strdup (file);
  Reader r = { { file, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_INVALID },
               g_string_new ("advise") };
  const cJSON *block = cJSON_GetObjectItemCaseSensitive (root, "advise");
  const cJSON *seed = cJSON_GetObjectItemCaseSensitive (root, "seed");
  spec->seed_base = cJSON_IsNumber (seed) ? (guint64) seed->valuedouble : 1;
  spec->seeds = 5;
  spec->confidence = 0.95;
  spec->racing = TRUE;
  spec->refine = 2;
  spec->refine_best = 2;
  guint race_start = 0;
  gboolean ok = TRUE;
  static const char *const keys[] = {
    "knobs", "objectives", "cost", "seeds", "confidence", "racing",
    "first_round_seeds", "refine", "refine_best",
  };
  if (!cJSON_IsObject (block)) {
    ok = block == NULL
      ? fail (&r, error, "the scenario has no \"advise\" block (knobs, "
              "objectives and cost)")
      : expect (&r, error, block, "an object with \"knobs\", \"objectives\" "
                "and \"cost\"");
  }
  for (const cJSON *c = ok ? block->child : NULL; ok && c; c = c->next) {
    gboolean known = FALSE;
    for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
      known = known || strcmp (c->string, keys[i]) == 0;
    if (!known)
      ok = unknown_key (&r, error, c->string, keys, G_N_ELEMENTS (keys));
  }
  for (gsize i = 0; ok && i < G_N_ELEMENTS (keys); i++) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive (block, keys[i]);
    gboolean required = i < 3;
    if (v == NULL && !required)
      continue;
    gsize m = push (&r, ".%s", keys[i]);
    if (strcmp (keys[i], "knobs") == 0)
      ok = read_knobs (&r, v, spec, error);
    else if (strcmp (keys[i], "objectives") == 0)
      ok = read_objectives (&r, v, spec, error);
    else if (strcmp (keys[i], "cost") == 0)
      ok = v == NULL ? expect (&r, error, v, COST_FORM)
                     : read_cost (&r, v, &spec->cost, error);
    else if (strcmp (keys[i], "seeds") == 0)
      ok = read_seeds (&r, v, spec, error);
    else if (strcmp (keys[i], "confidence") == 0) {
      if (!cJSON_IsNumber (v) || !(v->valuedouble >= 0.5)
          || !(v->valuedouble <= 0.999))
        ok = expect (&r, error, v, "a number from 0.5 to 0.999");
      else
        spec->confidence = v->valuedouble;
    } else if (strcmp (keys[i], "racing") == 0) {
      if (!cJSON_IsBool (v))
        ok = expect (&r, error, v, "true or false");
      else
        spec->racing = cJSON_IsTrue (v);
    } else if (strcmp (keys[i], "first_round_seeds") == 0) {
      ok = read_uint (&r, v, 2, RSIM_ADVISE_MAX_SEEDS, &race_start, error);
    } else if (strcmp (keys[i], "refine") == 0) {
      ok = read_uint (&r, v, 0, RSIM_ADVISE_MAX_REFINE, &spec->refine, error);
    } else if (strcmp (keys[i], "refine_best") == 0) {
      ok = read_uint (&r, v, 1, 16, &spec->refine_best, error);
    }
    if (ok)
      pop (&r, m);
  }
  if (ok) {
    spec->race_start = race_start > 0 ? MIN (race_start, spec->seeds)
                                      : MIN (3u, spec->seeds);
    char *text = cJSON_PrintUnformatted (block);
    spec->canonical = g_strdup (text);
    cJSON_free (text);
  }
  g_string_free (r.path, TRUE);
  return ok;
}
