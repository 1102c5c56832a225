/* Input-rate profiles of scenario files: workload.rate and the set_rate
 * action.
 *
 * A profile is a rate ("6000 rec/s", a constant) or an object with a type:
 *   {type: constant, value}
 *   {type: steps, steps: [{at, rate}, ...]}   at strictly increasing
 *   {type: sine, mean, amplitude, period, phase (default 0)}
 *   {type: trace, file}                       CSV "time_s,rate" lines
 * A trace file is read relative to the scenario file's directory; it may
 * start with a header line, blank lines and lines starting with '#' are
 * skipped, and its errors name the CSV file and line. */
#include "scenario-private.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

/* Largest trace file read. */
#define MAX_TRACE_BYTES (64 * 1024 * 1024)

static const char *const rate_kinds[] = {
#define RSIM_X(id, name) name,
  RSIM_RATE_KIND_LIST (RSIM_X)
#undef RSIM_X
};

static gboolean
read_type (RsimLoadCtx *ctx, const cJSON *v, gpointer target, GError **error)
{
  int kind;
  return rsim__read_enum (ctx, v, rate_kinds, G_N_ELEMENTS (rate_kinds), &kind,
                          error);
}

static gboolean
read_value (RsimLoadCtx *ctx, const cJSON *v, gpointer target, GError **error)
{
  RsimRateSpec *spec = target;
  return rsim__read_rate (ctx, v, FALSE, &spec->value, error);
}

static gboolean
read_mean (RsimLoadCtx *ctx, const cJSON *v, gpointer target, GError **error)
{
  RsimRateSpec *spec = target;
  return rsim__read_rate (ctx, v, FALSE, &spec->mean, error);
}

static gboolean
read_amplitude (RsimLoadCtx *ctx, const cJSON *v, gpointer target,
                GError **error)
{
  RsimRateSpec *spec = target;
  return rsim__read_rate (ctx, v, FALSE, &spec->amplitude, error);
}

static gboolean
read_period (RsimLoadCtx *ctx, const cJSON *v, gpointer target, GError **error)
{
  RsimRateSpec *spec = target;
  return rsim__read_time (ctx, v, 0, TRUE, &spec->period, error);
}

static gboolean
read_phase (RsimLoadCtx *ctx, const cJSON *v, gpointer target, GError **error)
{
  RsimRateSpec *spec = target;
  return rsim__read_time (ctx, v, 0, FALSE, &spec->phase, error);
}

static gboolean
read_step_at (RsimLoadCtx *ctx, const cJSON *v, gpointer target, GError **error)
{
  RsimRatePoint *p = target;
  return rsim__read_time (ctx, v, 0, FALSE, &p->at, error);
}

static gboolean
read_step_rate (RsimLoadCtx *ctx, const cJSON *v, gpointer target,
                GError **error)
{
  RsimRatePoint *p = target;
  return rsim__read_rate (ctx, v, FALSE, &p->rate, error);
}

static gboolean
read_steps (RsimLoadCtx *ctx, const cJSON *v, gpointer target, GError **error)
{
  static const RsimField fields[] = {
    { "at", TRUE, read_step_at },
    { "rate", TRUE, read_step_rate },
  };
  RsimRateSpec *spec = target;
  if (!cJSON_IsArray (v) || v->child == NULL)
    return rsim__ctx_expected (ctx, error, v,
                               "a non-empty array of {\"at\", \"rate\"} steps");
  int n = cJSON_GetArraySize (v);
  g_free (spec->points);
  spec->points = g_new0 (RsimRatePoint, n);
  spec->n_points = 0;
  guint i = 0;
  for (const cJSON *c = v->child; c; c = c->next, i++) {
    gsize mark = rsim__ctx_push_index (ctx, i);
    RsimRatePoint *p = &spec->points[i];
    if (!rsim__read_fields (ctx, c, fields, G_N_ELEMENTS (fields), p, NULL,
                            error))
      return FALSE;
    spec->n_points = i + 1;
    if (i > 0 && p->at <= spec->points[i - 1].at) {
      rsim__ctx_push_key (ctx, "at");
      g_autofree char *prev = rsim__format_duration (spec->points[i - 1].at);
      return rsim__ctx_expected (ctx, error, rsim__json_get (c, "at"),
                                 "a time after the previous step's (%s)", prev);
    }
    rsim__ctx_pop (ctx, mark);
  }
  return TRUE;
}

/* One CSV field as a finite number >= 0. */
static gboolean
csv_number (const char *text, double *out)
{
  char *end = NULL;
  if (*text == '\0')
    return FALSE;
  double v = g_ascii_strtod (text, &end);
  if (*end != '\0' || !isfinite (v) || v < 0.0)
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
csv_fail (GError **error, const char *csv, guint line, const char *fmt, ...)
  G_GNUC_PRINTF (4, 5);

static gboolean
csv_fail (GError **error, const char *csv, guint line, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_INVALID,
               "%s:%u: %s", csv, line, msg);
  return FALSE;
}

/* Parses the trace text of file csv (named in messages) into spec. A line
 * is "FILE.csv:LINE: ..."; a trace without any point names the scenario
 * and its key as well, since there is no line to point at. */
static gboolean
parse_trace (RsimLoadCtx *ctx, const char *csv, const char *text,
             RsimRateSpec *spec, GError **error)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GArray *points = g_array_new (FALSE, FALSE, sizeof (RsimRatePoint));
  gboolean first = TRUE;
  gboolean ok = TRUE;
  for (guint i = 0; ok && lines[i] != NULL; i++) {
    guint line = i + 1;
    char *l = g_strstrip (lines[i]);      /* also drops a '\r' */
    if (*l == '\0' || *l == '#')
      continue;
    g_auto (GStrv) cols = g_strsplit (l, ",", -1);
    guint n = g_strv_length (cols);
    for (guint c = 0; c < n; c++)
      g_strstrip (cols[c]);
    double t, r;
    if (first && n >= 1 && !csv_number (cols[0], &t)) {
      first = FALSE;                        /* a header line */
      continue;
    }
    first = FALSE;
    if (n != 2) {
      ok = csv_fail (error, csv, line, "expected 2 columns (time_s,rate), "
                     "got %u", n);
    } else if (!csv_number (cols[0], &t) || t > 1e12) {
      g_autofree char *got = rsim__short_text (cols[0]);
      ok = csv_fail (error, csv, line, "expected a time in seconds >= 0 in "
                     "column 1, got \"%s\"", got);
    } else if (!csv_number (cols[1], &r) || r > 1e15) {
      g_autofree char *got = rsim__short_text (cols[1]);
      ok = csv_fail (error, csv, line, "expected a rate in records/s >= 0 "
                     "in column 2, got \"%s\"", got);
    } else {
      RsimRatePoint p = { (RsimTime) llround (t * 1e6), r };
      if (points->len > 0
          && p.at <= g_array_index (points, RsimRatePoint, points->len - 1).at) {
        RsimRatePoint *prev = &g_array_index (points, RsimRatePoint,
                                              points->len - 1);
        g_autofree char *pt = rsim__format_double (RSIM_TIME_TO_SEC (prev->at));
        g_autofree char *got = rsim__short_text (cols[0]);
        ok = csv_fail (error, csv, line, "expected a time after %s s (the "
                       "previous line), got \"%s\"", pt, got);
      } else {
        g_array_append_val (points, p);
      }
    }
  }
  if (ok && points->len == 0) {
    ok = rsim__ctx_fail (ctx, error, "the trace %s has no data: expected at "
                         "least one line of time_s,rate, got none", csv);
  }
  if (!ok) {
    g_array_free (points, TRUE);
    return FALSE;
  }
  spec->n_points = points->len;
  spec->points = (RsimRatePoint *) g_array_free (points, FALSE);
  return TRUE;
}

static gboolean
read_file (RsimLoadCtx *ctx, const cJSON *v, gpointer target, GError **error)
{
  RsimRateSpec *spec = target;
  g_autofree char *name = NULL;
  if (!rsim__read_string (ctx, v, &name, error))
    return FALSE;
  gboolean here = g_path_is_absolute (name) || strcmp (ctx->base_dir, ".") == 0;
  g_autofree char *csv = here ? g_strdup (name)
                              : g_build_filename (ctx->base_dir, name, NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) io = NULL;
  /* Only a regular file of bounded size: a scenario naming /dev/zero or a
   * FIFO must not hang or exhaust memory. */
  GStatBuf st;
  if (g_stat (csv, &st) == 0 && (!S_ISREG (st.st_mode)
                                 || st.st_size > MAX_TRACE_BYTES)) {
    g_autofree char *pre = g_strdup_printf ("%s: %s", ctx->file,
                                            ctx->path->str);
    g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_IO,
                 "%s: cannot read the trace %s: %s", pre, csv,
                 S_ISREG (st.st_mode) ? "larger than 64 MB"
                                      : "not a regular file");
    return FALSE;
  }
  if (!g_file_get_contents (csv, &text, NULL, &io)) {
    g_autofree char *pre = g_strdup_printf ("%s: %s", ctx->file,
                                            ctx->path->str);
    g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_IO,
                 "%s: cannot read the trace: %s", pre, io->message);
    return FALSE;
  }
  g_free (spec->points);
  spec->points = NULL;
  spec->n_points = 0;
  return parse_trace (ctx, csv, text, spec, error);
}

gboolean
rsim__rate_spec_load (RsimLoadCtx *ctx, const cJSON *v, RsimRateSpec *out,
                      GError **error)
{
  /* Fields per kind; "type" first in each. */
  static const RsimField constant[] = {
    { "type", TRUE, read_type }, { "value", TRUE, read_value },
  };
  static const RsimField steps[] = {
    { "type", TRUE, read_type }, { "steps", TRUE, read_steps },
  };
  static const RsimField sine[] = {
    { "type", TRUE, read_type }, { "mean", TRUE, read_mean },
    { "amplitude", TRUE, read_amplitude }, { "period", TRUE, read_period },
    { "phase", FALSE, read_phase },
  };
  static const RsimField trace[] = {
    { "type", TRUE, read_type }, { "file", TRUE, read_file },
  };
  static const struct { const RsimField *fields; guint n; } per_kind[] = {
    [RSIM_RATE_CONSTANT] = { constant, G_N_ELEMENTS (constant) },
    [RSIM_RATE_STEPS] = { steps, G_N_ELEMENTS (steps) },
    [RSIM_RATE_SINE] = { sine, G_N_ELEMENTS (sine) },
    [RSIM_RATE_TRACE] = { trace, G_N_ELEMENTS (trace) },
  };

  rsim_rate_spec_clear (out);
  if (cJSON_IsString (v) || cJSON_IsNumber (v)) {
    out->kind = RSIM_RATE_CONSTANT;
    return rsim__read_rate (ctx, v, FALSE, &out->value, error);
  }
  if (!cJSON_IsObject (v))
    return rsim__ctx_expected (ctx, error, v,
                               "a rate such as \"2000 rec/s\" or an object "
                               "with a \"type\"");
  int kind;
  gsize mark = rsim__ctx_push_key (ctx, "type");
  if (!rsim__read_enum (ctx, rsim__json_get (v, "type"), rate_kinds,
                        G_N_ELEMENTS (rate_kinds), &kind, error))
    return FALSE;
  rsim__ctx_pop (ctx, mark);
  out->kind = kind;
  return rsim__read_fields (ctx, v, per_kind[kind].fields, per_kind[kind].n,
                            out, NULL, error);
}

cJSON *
rsim__rate_spec_to_json (const RsimRateSpec *spec)
{
  if (spec->kind == RSIM_RATE_CONSTANT) {
    g_autofree char *r = rsim__format_rate (spec->value);
    return cJSON_CreateString (r);
  }
  cJSON *obj = cJSON_CreateObject ();
  cJSON_AddStringToObject (obj, "type", rsim_rate_kind_name (spec->kind));
  switch (spec->kind) {
  case RSIM_RATE_STEPS: {
    cJSON *arr = cJSON_AddArrayToObject (obj, "steps");
    for (guint i = 0; i < spec->n_points; i++) {
      cJSON *step = cJSON_CreateObject ();
      g_autofree char *at = rsim__format_duration (spec->points[i].at);
      g_autofree char *rate = rsim__format_rate (spec->points[i].rate);
      cJSON_AddStringToObject (step, "at", at);
      cJSON_AddStringToObject (step, "rate", rate);
      cJSON_AddItemToArray (arr, step);
    }
    break;
  }
  case RSIM_RATE_SINE: {
    g_autofree char *mean = rsim__format_rate (spec->mean);
    g_autofree char *amplitude = rsim__format_rate (spec->amplitude);
    g_autofree char *period = rsim__format_duration (spec->period);
    g_autofree char *phase = rsim__format_duration (spec->phase);
    cJSON_AddStringToObject (obj, "mean", mean);
    cJSON_AddStringToObject (obj, "amplitude", amplitude);
    cJSON_AddStringToObject (obj, "period", period);
    cJSON_AddStringToObject (obj, "phase", phase);
    break;
  }
  case RSIM_RATE_TRACE: {
    /* The points themselves, so the resolved configuration stands alone:
     * [time in seconds, records/s]. */
    cJSON *arr = cJSON_AddArrayToObject (obj, "points");
    for (guint i = 0; i < spec->n_points; i++) {
      cJSON *pt = cJSON_CreateArray ();
      cJSON_AddItemToArray (pt, cJSON_CreateNumber (
                              RSIM_TIME_TO_SEC (spec->points[i].at)));
      cJSON_AddItemToArray (pt, cJSON_CreateNumber (spec->points[i].rate));
      cJSON_AddItemToArray (arr, pt);
    }
    break;
  }
  default:
    break;
  }
  return obj;
}
