/* The loading context and the typed readers of scenario values.
 *
 * While a scenario is read, the context holds the JSON path of the value at
 * hand ("job.vertices[1].parallelism"), so every message can name it. Meaning
 * errors read "FILE: PATH: expected X, got Y", where Y shows the value found:
 * numbers and short strings as JSON text, "an object", "an array", "a string"
 * for long strings, "nothing" for a missing field. Objects are read field by
 * field in document order, so the first error reported is the first wrong
 * field of the file. */
#include "inputs-private.h"

#include <math.h>
#include <string.h>

/* Strings longer than this are shown as "a string" after "got". */
#define GOT_MAX_STRING 40

static gboolean
is_identifier (const char *key)
{
  if (!g_ascii_isalpha (*key) && *key != '_')
    return FALSE;
  for (const char *p = key; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

char *
rsim__short_text (const char *text)
{
  gsize len = strlen (text);
  if (len <= RSIM_SHORT_TEXT)
    return g_strdup (text);
  gsize cut = RSIM_SHORT_TEXT;
  while (cut > 0 && ((guchar) text[cut] & 0xc0) == 0x80)
    cut--;                      /* do not split a UTF-8 sequence */
  return g_strdup_printf ("%.*s... (%" G_GSIZE_FORMAT " bytes)", (int) cut,
                          text, len);
}

const char *
rsim__ctx_short (RsimLoadCtx *ctx, const char *text)
{
  if (ctx->scratch == NULL)
    ctx->scratch = g_ptr_array_new_with_free_func (g_free);
  char *shown = rsim__short_text (text);
  g_ptr_array_add (ctx->scratch, shown);
  return shown;
}

static void
append_quoted (GString *s, const char *text)
{
  g_autofree char *shown = rsim__short_text (text);
  g_string_append_c (s, '"');
  for (const char *p = shown; *p; p++) {
    if (*p == '"' || *p == '\\')
      g_string_append_c (s, '\\');
    if ((guchar) *p < 0x20)
      g_string_append_printf (s, "\\u%04x", (guchar) *p);
    else
      g_string_append_c (s, *p);
  }
  g_string_append_c (s, '"');
}

gsize
rsim__ctx_push_quoted_key (RsimLoadCtx *ctx, const char *key)
{
  gsize mark = ctx->path->len;
  if (ctx->path->len > 0)
    g_string_append_c (ctx->path, '.');
  append_quoted (ctx->path, key);
  return mark;
}

gsize
rsim__ctx_push_key (RsimLoadCtx *ctx, const char *key)
{
  if (!is_identifier (key) || strlen (key) > RSIM_SHORT_TEXT)
    return rsim__ctx_push_quoted_key (ctx, key);
  gsize mark = ctx->path->len;
  if (ctx->path->len > 0)
    g_string_append_c (ctx->path, '.');
  g_string_append (ctx->path, key);
  return mark;
}

gsize
rsim__ctx_push_index (RsimLoadCtx *ctx, guint index)
{
  gsize mark = ctx->path->len;
  g_string_append_printf (ctx->path, "[%u]", index);
  return mark;
}

void
rsim__ctx_pop (RsimLoadCtx *ctx, gsize mark)
{
  g_string_truncate (ctx->path, mark);
}

/* "FILE: PATH: " or "FILE: " at the top level. */
static char *
prefix (RsimLoadCtx *ctx)
{
  if (ctx->path->len == 0)
    return g_strdup_printf ("%s: ", ctx->file);
  return g_strdup_printf ("%s: %s: ", ctx->file, ctx->path->str);
}

gboolean
rsim__ctx_fail (RsimLoadCtx *ctx, GError **error, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_autofree char *pre = prefix (ctx);
  g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_INVALID,
               "%s%s", pre, msg);
  return FALSE;
}

gboolean
rsim__ctx_expected (RsimLoadCtx *ctx, GError **error, const cJSON *got,
                    const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *what = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_autofree char *got_text = rsim__json_got (got);
  return rsim__ctx_fail (ctx, error, "expected %s, got %s", what, got_text);
}

void
rsim__ctx_warn (RsimLoadCtx *ctx, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_autofree char *pre = prefix (ctx);
  g_ptr_array_add (ctx->warnings, g_strconcat (pre, msg, NULL));
}

char *
rsim__json_got (const cJSON *item)
{
  if (item == NULL)
    return g_strdup ("nothing");
  if (cJSON_IsString (item)) {
    if (g_utf8_strlen (item->valuestring, -1) > GOT_MAX_STRING)
      return g_strdup ("a string");
    GString *s = g_string_new (NULL);
    append_quoted (s, item->valuestring);
    return g_string_free (s, FALSE);
  }
  if (cJSON_IsNumber (item))
    return rsim__format_double (item->valuedouble);
  if (cJSON_IsTrue (item))
    return g_strdup ("true");
  if (cJSON_IsFalse (item))
    return g_strdup ("false");
  if (cJSON_IsNull (item))
    return g_strdup ("null");
  if (cJSON_IsArray (item))
    return g_strdup (item->child ? "an array" : "an empty array");
  if (cJSON_IsObject (item))
    return g_strdup (item->child ? "an object" : "an empty object");
  return g_strdup ("an unknown value");
}

const cJSON *
rsim__json_get (const cJSON *obj, const char *key)
{
  if (!cJSON_IsObject (obj))
    return NULL;
  for (const cJSON *c = obj->child; c; c = c->next)
    if (strcmp (c->string, key) == 0)
      return c;
  return NULL;
}

gboolean
rsim__read_string (RsimLoadCtx *ctx, const cJSON *v, char **out,
                   GError **error)
{
  if (!cJSON_IsString (v) || *v->valuestring == '\0')
    return rsim__ctx_expected (ctx, error, v, "a non-empty string");
  g_free (*out);
  *out = g_strdup (v->valuestring);
  return TRUE;
}

static char *
int_range_text (int min, int max)
{
  if (max == G_MAXINT) {
    if (min == 0)
      return g_strdup ("a non-negative integer");
    if (min == 1)
      return g_strdup ("a positive integer");
    return g_strdup_printf ("an integer of at least %d", min);
  }
  return g_strdup_printf ("an integer from %d to %d", min, max);
}

gboolean
rsim__read_int (RsimLoadCtx *ctx, const cJSON *v, int min, int max, int *out,
                GError **error)
{
  if (!cJSON_IsNumber (v) || v->valuedouble != floor (v->valuedouble)
      || v->valuedouble < min || v->valuedouble > max) {
    g_autofree char *what = int_range_text (min, max);
    return rsim__ctx_expected (ctx, error, v, "%s", what);
  }
  *out = (int) v->valuedouble;
  return TRUE;
}

gboolean
rsim__read_bool (RsimLoadCtx *ctx, const cJSON *v, gboolean *out,
                 GError **error)
{
  if (!cJSON_IsBool (v))
    return rsim__ctx_expected (ctx, error, v, "true or false");
  *out = cJSON_IsTrue (v);
  return TRUE;
}

gboolean
rsim__read_enum (RsimLoadCtx *ctx, const cJSON *v, const char *const *names,
                 guint n_names, int *out, GError **error)
{
  if (cJSON_IsString (v)) {
    for (guint i = 0; i < n_names; i++) {
      if (strcmp (v->valuestring, names[i]) == 0) {
        *out = (int) i;
        return TRUE;
      }
    }
  }
  if (n_names == 1)
    return rsim__ctx_expected (ctx, error, v, "\"%s\"", names[0]);
  GString *list = g_string_new (NULL);
  for (guint i = 0; i < n_names; i++)
    g_string_append_printf (list, "%s%s", i ? ", " : "", names[i]);
  g_autofree char *text = g_string_free (list, FALSE);
  g_autofree char *hint = cJSON_IsString (v)
    ? rsim__suggest (v->valuestring, names, n_names) : NULL;
  if (hint != NULL) {
    g_autofree char *got = rsim__json_got (v);
    return rsim__ctx_fail (ctx, error, "expected one of: %s, got %s (did you "
                           "mean %s?)", text, got, hint);
  }
  return rsim__ctx_expected (ctx, error, v, "one of: %s", text);
}

static char *
lower_bound_text (const char *noun, double min, gboolean exclusive,
                  char *(*fmt) (double))
{
  if (min == 0.0 && !exclusive)
    return g_strdup (noun);
  g_autofree char *m = fmt (min);
  if (exclusive && min == 0.0)
    return g_strdup_printf ("%s greater than 0", noun);
  return g_strdup_printf ("%s %s %s", noun,
                          exclusive ? "greater than" : "of at least", m);
}

#define DURATION_TEXT "a duration such as \"90 s\" or \"1.5 min\""

gboolean
rsim__read_duration (RsimLoadCtx *ctx, const cJSON *v, double min_us,
                     gboolean min_exclusive, double *out_us, GError **error)
{
  double us = -1.0;
  gboolean ok = FALSE;
  if (cJSON_IsNumber (v)) {
    /* A bare number is milliseconds, as in Flink. */
    us = v->valuedouble * 1000.0;
    ok = v->valuedouble >= 0.0 && v->valuedouble <= 1e15;
  } else if (cJSON_IsString (v)) {
    ok = rsim__parse_duration (v->valuestring, &us);
  }
  if (!ok)
    return rsim__ctx_expected (ctx, error, v, DURATION_TEXT
                               " (units: d, h, min, s, ms, us, ns)");
  if (us < min_us || (min_exclusive && us <= min_us)) {
    g_autofree char *what = lower_bound_text ("a duration", min_us,
                                              min_exclusive,
                                              rsim__format_duration);
    return rsim__ctx_expected (ctx, error, v, "%s", what);
  }
  *out_us = us;
  return TRUE;
}

gboolean
rsim__read_time (RsimLoadCtx *ctx, const cJSON *v, RsimTime min,
                 gboolean min_exclusive, RsimTime *out, GError **error)
{
  double us;
  if (!rsim__read_duration (ctx, v, (double) min, min_exclusive, &us, error))
    return FALSE;
  /* The clock counts whole microseconds: a duration that is not 0 but
   * shorter than one would silently become 0 or 1 us. */
  if (us > 0.0 && us < 1.0)
    return rsim__ctx_expected (ctx, error, v, "%sa duration of at least 1 us "
                               "(the simulator's clock resolution)",
                               min_exclusive ? "" : "0 or ");
  RsimTime t = (RsimTime) llround (us);
  if (t < min || (min_exclusive && t <= min))
    return rsim__ctx_expected (ctx, error, v,
                               "a duration of at least 1 us");
  *out = t;
  return TRUE;
}

gboolean
rsim__read_size (RsimLoadCtx *ctx, const cJSON *v, double *out_bytes,
                 GError **error)
{
  double b = 0.0;
  gboolean ok = FALSE;
  if (cJSON_IsNumber (v)) {
    b = v->valuedouble;           /* bytes */
    ok = b >= 0.0 && b <= 1e18;
  } else if (cJSON_IsString (v)) {
    ok = rsim__parse_memory_size (v->valuestring, &b);
  }
  if (!ok)
    return rsim__ctx_expected (ctx, error, v,
                               "a memory size such as \"4 GB\" or \"512 mb\" "
                               "(units: b, kb, mb, gb, tb; 1024-based)");
  *out_bytes = b;
  return TRUE;
}

gboolean
rsim__read_rate (RsimLoadCtx *ctx, const cJSON *v, gboolean positive,
                 double *out_rps, GError **error)
{
  double r = 0.0;
  gboolean ok = FALSE;
  if (cJSON_IsNumber (v)) {
    r = v->valuedouble;           /* records/s */
    ok = r >= 0.0 && r <= 1e15;
  } else if (cJSON_IsString (v)) {
    ok = rsim__parse_rate (v->valuestring, &r);
  }
  if (!ok || (positive && r <= 0.0))
    return rsim__ctx_expected (ctx, error, v,
                               "a rate%s such as \"2000 rec/s\" or "
                               "\"1.5M rec/s\"",
                               positive ? " greater than 0" : "");
  *out_rps = r;
  return TRUE;
}

gboolean
rsim__read_bandwidth (RsimLoadCtx *ctx, const cJSON *v, double *out_bps,
                      GError **error)
{
  double b = 0.0;
  gboolean ok = FALSE;
  if (cJSON_IsNumber (v)) {
    b = v->valuedouble;           /* bytes/s */
    ok = b >= 0.0 && b <= 1e18;
  } else if (cJSON_IsString (v)) {
    ok = rsim__parse_bandwidth (v->valuestring, &b);
  }
  if (!ok || b <= 0.0)
    return rsim__ctx_expected (ctx, error, v,
                               "a bandwidth greater than 0 such as "
                               "\"20 MB/s\" (1024-based)");
  *out_bps = b;
  return TRUE;
}

gboolean
rsim__read_number (RsimLoadCtx *ctx, const cJSON *v, double min,
                   gboolean min_exclusive, double *out, GError **error)
{
  if (!cJSON_IsNumber (v) || !isfinite (v->valuedouble)
      || v->valuedouble < min || (min_exclusive && v->valuedouble <= min)) {
    /* "a number" alone would not explain why -1 is refused. */
    g_autofree char *what = min == 0.0 && !min_exclusive
      ? g_strdup ("a number of at least 0")
      : lower_bound_text ("a number", min, min_exclusive,
                          rsim__format_double);
    return rsim__ctx_expected (ctx, error, v, "%s", what);
  }
  *out = v->valuedouble;
  return TRUE;
}

gboolean
rsim__read_fields (RsimLoadCtx *ctx, const cJSON *obj, const RsimField *fields,
                   guint n_fields, gpointer target, guint64 *seen,
                   GError **error)
{
  g_return_val_if_fail (n_fields <= 64, FALSE);
  if (!cJSON_IsObject (obj))
    return rsim__ctx_expected (ctx, error, obj, "an object");
  guint64 bits = 0;
  for (const cJSON *c = obj->child; c; c = c->next) {
    guint i = 0;
    while (i < n_fields && strcmp (fields[i].key, c->string) != 0)
      i++;
    if (i == n_fields) {
      GString *list = g_string_new (NULL);
      for (guint k = 0; k < n_fields; k++)
        g_string_append_printf (list, "%s%s", k ? ", " : "", fields[k].key);
      g_autofree char *keys = g_string_free (list, FALSE);
      g_autofree const char **names = g_new (const char *, n_fields);
      for (guint k = 0; k < n_fields; k++)
        names[k] = fields[k].key;
      g_autofree char *hint = rsim__suggest (c->string, names, n_fields);
      g_autofree char *key = rsim__short_text (c->string);
      return rsim__ctx_fail (ctx, error, "unknown key \"%s\"; expected one of: "
                             "%s%s%s%s", key, keys,
                             hint ? " (did you mean " : "", hint ? hint : "",
                             hint ? "?)" : "");
    }
    gsize mark = rsim__ctx_push_key (ctx, c->string);
    if (!fields[i].read (ctx, c, target, error))
      return FALSE;
    rsim__ctx_pop (ctx, mark);
    bits |= G_GUINT64_CONSTANT (1) << i;
  }
  for (guint i = 0; i < n_fields; i++) {
    if (fields[i].required && !(bits & (G_GUINT64_CONSTANT (1) << i))) {
      rsim__ctx_push_key (ctx, fields[i].key);
      gboolean ok = fields[i].read (ctx, NULL, target, error);
      g_assert (!ok);          /* a reader must reject a missing value */
      return FALSE;
    }
  }
  if (seen != NULL)
    *seen = bits;
  return TRUE;
}
