/* Loading a scenario file: JSON text -> a validated RsimScenario.
 *
 * Reading goes in three steps:
 *   1. syntax: cJSON parses the text; a failure is reported as
 *      FILE:LINE:COL from cJSON's parse-end pointer, and text after the JSON
 *      value is an error too. cJSON is lenient where RFC 8259 is not, so
 *      the bytes are checked as well: no NUL byte anywhere, no unescaped
 *      control character and no \u0000 escape inside a string, and only
 *      well-formed UTF-8 (no overlong forms, no surrogates, nothing above
 *      U+10FFFF). The first problem in the file wins, whichever check
 *      finds it;
 *   2. duplicate keys (which cJSON accepts silently) are rejected anywhere;
 *   3. meaning: the top-level keys are checked in document order (unknown
 *      keys are errors), then the blocks are read in dependency order
 *      (flink before job, job before timeline, controllers before timeline,
 *      ...) and each object field by field in document order.
 *      The first error wins and nothing partial survives.
 * A "sweep" block is only checked for its shape here (and noted in
 * has_sweep): the scenario loaded is the base scenario, and only sweep.c
 * (rescalesim sweep) expands the axes, by loading each point's tree through
 * rsim__scenario_load_tree() with the block removed.
 * Project keys are documented in scenarios/README.md; Flink keys come from
 * the table in flink-keys.c, the keys of controllers.autoscaler.config from
 * rsim__autoscaler_keys below. */
#include "inputs-private.h"

#include <math.h>
#include <string.h>

#include <rescalesim/autoscaler.h>

G_DEFINE_QUARK (rsim-scenario-error-quark, rsim_scenario_error)

/* Bounds of the project's own keys. */
#define MAX_PARALLELISM 32768         /* Flink's 2^15 */
#define MAX_TASKMANAGERS 100000
#define MAX_COUNT 100000
#define MAX_SEED ((double) RSIM_SEED_MAX)   /* scenario.h */
#define MAX_DURATION (365 * 24 * RSIM_HOUR)
/* Sizes of lists: far beyond real jobs, and small enough that the checks
 * across them (names, duplicate edges, cycles, the forward edges after
 * every action) stay fast. */
#define MAX_VERTICES 1000
#define MAX_EDGES 10000
#define MAX_ACTIONS 10000
/* Tasks in the job at any time (the sum of the vertices' parallelism) and
 * TaskManagers started by the scenario: each is a simulated entity with
 * its own state and events. */
#define MAX_TASKS 1000000

/* How big a run may get (scenarios/README.md, "Limits"): rows of
 * timeseries.csv (duration / output.sample_interval, or the lean series'
 * regular rows) and events processed,
 * each with a default a scenario can raise up to a hard ceiling. */
#define DEFAULT_MAX_ROWS 10000000.0           /* about 1 GB of CSV */
#define MAX_MAX_ROWS 1000000000.0
#define DEFAULT_MAX_EVENTS 1000000000.0       /* about a minute of running */
#define MAX_MAX_EVENTS 1000000000000.0

typedef struct {
  RsimLoadCtx *ctx;
  RsimScenario *sc;
  RsimSimConfig *cfg;
  const char *conf_file;     /* run --flink-conf FILE, or NULL */
  int conf_scheduler;        /* from jobmanager.scheduler/scheduler-mode, or -1 */
  cJSON *operator_conf;      /* the operator's keys in flink.config, or NULL */
  /* The merged Flink configuration (file and flink.config) and the costs
   * block, kept to resolve them again for an upgrade_flink's version. */
  cJSON *flink_merged;
  GArray *flink_origins;
  const cJSON *costs_json;
  double max_rows;             /* output.max_rows */
} Loader;

/* "unknown key \"x\"; expected one of: a, b (did you mean `a`?)". */
static gboolean
unknown_key (RsimLoadCtx *ctx, GError **error, const char *key,
             const char *const *names, guint n)
{
  GString *list = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (list, "%s%s", i ? ", " : "", names[i]);
  g_autofree char *keys = g_string_free (list, FALSE);
  g_autofree char *hint = rsim__suggest (key, names, n);
  return rsim__ctx_fail (ctx, error, "unknown key \"%s\"; expected one of: "
                         "%s%s%s%s", rsim__ctx_short (ctx, key), keys,
                         hint ? " (did you mean " : "",
                         hint ? hint : "", hint ? "?)" : "");
}

/* ================================================================ syntax */

static gboolean
syntax_error (const char *file, const char *data, gsize len, gsize pos,
              const char *what, GError **error)
{
  guint line = 1, col = 1;
  gsize start = len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
  for (gsize i = start; i < pos && i < len; i++) {
    if (data[i] == '\n') {
      line++;
      col = 1;
    } else if (((guchar) data[i] & 0xc0) != 0x80) {
      col++;                        /* count characters, not UTF-8 bytes */
    }
  }
  g_autofree char *detail = NULL;
  if (what == NULL) {
    if (pos >= len)
      detail = g_strdup ("unexpected end of input");
    else if (g_ascii_isprint (data[pos]))
      detail = g_strdup_printf ("unexpected character '%c'", data[pos]);
    else
      detail = g_strdup_printf ("unexpected byte 0x%02x", (guchar) data[pos]);
    what = detail;
  }
  g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_SYNTAX,
               "%s:%u:%u: invalid JSON: %s", file, line, col, what);
  return FALSE;
}

/* cJSON says only where it stopped. Two common mistakes get a name: a string
 * that does not end on its line (cJSON stops just after the opening quote),
 * and a missing comma (a value starts right after a complete one). */
static gboolean
explain_syntax_error (const char *file, const char *data, gsize len, gsize pos,
                      GError **error)
{
  if (pos > 0 && pos <= len && data[pos - 1] == '"') {
    gsize i = pos;
    while (i < len && data[i] != '"' && (guchar) data[i] >= 0x20)
      i += data[i] == '\\' ? 2 : 1;
    if (i >= len || data[i] != '"')
      return syntax_error (file, data, len, pos - 1, "unterminated string",
                           error);
  }
  if (pos < len && strchr ("\"{[-0123456789tfn", data[pos]) != NULL) {
    gsize p = pos;
    while (p > 0 && (guchar) data[p - 1] <= ' ')
      p--;
    if (p > 0 && p < pos && strchr ("\"}]0123456789el", data[p - 1]) != NULL) {
      g_autofree char *what =
        g_strdup_printf ("unexpected character '%c' (a missing comma?)",
                         data[pos]);
      return syntax_error (file, data, len, pos, what, error);
    }
  }
  return syntax_error (file, data, len, pos, NULL, error);
}

/* Length of the well-formed UTF-8 sequence at data[i] (a byte >= 0x80),
 * or 0 with *why set. RFC 3629, section 4. */
static gsize
utf8_sequence (const guchar *data, gsize len, gsize i, const char **why)
{
  guchar c = data[i];
  gsize n;
  guchar lo = 0x80, hi = 0xbf;         /* range of the second byte */
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c == 0xe0)
      lo = 0xa0;                       /* below: overlong */
    else if (c == 0xed)
      hi = 0x9f;                       /* above: UTF-16 surrogates */
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c == 0xf0)
      lo = 0x90;                       /* below: overlong */
    else if (c == 0xf4)
      hi = 0x8f;                       /* above: beyond U+10FFFF */
  } else {
    *why = c == 0xc0 || c == 0xc1 ? "invalid UTF-8: overlong encoding"
         : c < 0xc0 ? "invalid UTF-8: unexpected continuation byte"
         : "invalid UTF-8: byte that never occurs in UTF-8";
    return 0;
  }
  if (i + 1 >= len) {
    *why = "invalid UTF-8: truncated sequence";
    return 0;
  }
  guchar c1 = data[i + 1];
  if (c1 < lo || c1 > hi) {
    *why = c1 < 0x80 || c1 > 0xbf ? "invalid UTF-8: truncated sequence"
         : c == 0xed ? "invalid UTF-8: encoded UTF-16 surrogate"
         : c == 0xf4 ? "invalid UTF-8: code point beyond U+10FFFF"
         : "invalid UTF-8: overlong encoding";
    return 0;
  }
  for (gsize k = 2; k < n; k++)
    if (i + k >= len || (data[i + k] & 0xc0) != 0x80) {
      *why = "invalid UTF-8: truncated sequence";
      return 0;
    }
  return n;
}

/* A strict RFC 8259 recognizer run before cJSON, which is lenient (NUL
 * bytes, raw control characters, any bytes in strings) and says only
 * roughly where it stopped. It builds nothing; it finds the first error and
 * its exact position, so a file cut short says "unexpected end of input"
 * where it ends. Nesting is limited as cJSON limits it. */
typedef struct {
  const guchar *d;
  gsize len;
  gsize pos;
  guint depth;
  gsize at;                    /* where the error is reported */
  const char *why;             /* NULL: "unexpected character ..."; a
                                * text in parentheses is a hint added to
                                * that */
  gboolean failed;
} Scan;

#define SCAN_MAX_DEPTH CJSON_NESTING_LIMIT

static gboolean
scan_fail (Scan *s, gsize at, const char *why)
{
  s->failed = TRUE;
  s->at = at;
  s->why = why;
  return FALSE;
}

/* At end of input: that error; else the character at pos is unexpected. */
static gboolean
scan_unexpected (Scan *s)
{
  if (s->pos >= s->len)
    return scan_fail (s, s->len, "unexpected end of input");
  if (s->d[s->pos] == 0)
    return scan_fail (s, s->pos, "NUL byte");
  if (s->d[s->pos] >= 0x80) {
    const char *why = NULL;
    if (utf8_sequence (s->d, s->len, s->pos, &why) == 0)
      return scan_fail (s, s->pos, why);
  }
  return scan_fail (s, s->pos, NULL);
}

static void
scan_ws (Scan *s)
{
  while (s->pos < s->len && (s->d[s->pos] == ' ' || s->d[s->pos] == '\t'
                             || s->d[s->pos] == '\n' || s->d[s->pos] == '\r'))
    s->pos++;
}

/* Four hex digits at pos (moved past them) into *out. */
static gboolean
scan_hex4 (Scan *s, guint *out)
{
  guint v = 0;
  for (int k = 0; k < 4; k++, s->pos++) {
    if (s->pos >= s->len)
      return scan_unexpected (s);
    int x = g_ascii_xdigit_value ((char) s->d[s->pos]);
    if (x < 0)
      return scan_fail (s, s->pos, "expected 4 hex digits after \\u");
    v = v * 16 + (guint) x;
  }
  *out = v;
  return TRUE;
}

static gboolean
scan_string (Scan *s)
{
  gsize start = s->pos++;
  while (s->pos < s->len) {
    guchar c = s->d[s->pos];
    if (c == '"') {
      s->pos++;
      return TRUE;
    }
    if (c == '\\') {
      gsize esc = s->pos++;
      if (s->pos >= s->len)
        return scan_unexpected (s);
      c = s->d[s->pos];
      if (c != 'u') {
        if (strchr ("\"\\/bfnrt", c) == NULL || c == 0)
          return scan_fail (s, esc, "invalid escape in a string (expected "
                            "one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t "
                            "\\uXXXX)");
        s->pos++;
        continue;
      }
      s->pos++;
      guint u;
      if (!scan_hex4 (s, &u))
        return FALSE;
      if (u == 0)
        return scan_fail (s, esc, "\\u0000 in a string (NUL is not "
                          "allowed)");
      if (u >= 0xdc00 && u <= 0xdfff)
        return scan_fail (s, esc, "unpaired UTF-16 surrogate in a \\u "
                          "escape");
      if (u >= 0xd800 && u <= 0xdbff) {
        guint lo;
        if (s->pos + 1 >= s->len || s->d[s->pos] != '\\'
            || s->d[s->pos + 1] != 'u')
          return scan_fail (s, esc, "unpaired UTF-16 surrogate in a \\u "
                            "escape");
        s->pos += 2;
        if (!scan_hex4 (s, &lo))
          return FALSE;
        if (lo < 0xdc00 || lo > 0xdfff)
          return scan_fail (s, esc, "unpaired UTF-16 surrogate in a \\u "
                            "escape");
      }
      continue;
    }
    if (c == '\n' || c == '\r')
      return scan_fail (s, start, "unterminated string");
    if (c == 0)
      return scan_fail (s, s->pos, "NUL byte in a string");
    if (c < 0x20)
      return scan_fail (s, s->pos, "unescaped control character in a "
                        "string");
    if (c >= 0x80) {
      const char *why = NULL;
      gsize n = utf8_sequence (s->d, s->len, s->pos, &why);
      if (n == 0)
        return scan_fail (s, s->pos, why);
      s->pos += n;
      continue;
    }
    s->pos++;
  }
  return scan_unexpected (s);
}

static gboolean
scan_digits (Scan *s)
{
  if (s->pos >= s->len || !g_ascii_isdigit (s->d[s->pos]))
    return scan_unexpected (s);
  while (s->pos < s->len && g_ascii_isdigit (s->d[s->pos]))
    s->pos++;
  return TRUE;
}

static gboolean
scan_number (Scan *s)
{
  if (s->d[s->pos] == '-')
    s->pos++;
  if (s->pos < s->len && s->d[s->pos] == '0') {
    s->pos++;
    if (s->pos < s->len && g_ascii_isdigit (s->d[s->pos]))
      return scan_fail (s, s->pos - 1, "a number with a leading zero");
  } else if (!scan_digits (s))
    return FALSE;
  if (s->pos < s->len && s->d[s->pos] == '.') {
    s->pos++;
    if (!scan_digits (s))
      return FALSE;
  }
  if (s->pos < s->len && (s->d[s->pos] == 'e' || s->d[s->pos] == 'E')) {
    s->pos++;
    if (s->pos < s->len && (s->d[s->pos] == '+' || s->d[s->pos] == '-'))
      s->pos++;
    if (!scan_digits (s))
      return FALSE;
  }
  return TRUE;
}

static gboolean scan_value (Scan *s);

/* After an element of an object or array: the separator or the closer. A
 * value starting right away is most likely a missing comma. */
static gboolean
scan_after_element (Scan *s, char closer, gboolean *done)
{
  scan_ws (s);
  if (s->pos >= s->len)
    return scan_unexpected (s);
  guchar c = s->d[s->pos];
  if (c == ',') {
    s->pos++;
    *done = FALSE;
    return TRUE;
  }
  if (c == (guchar) closer) {
    s->pos++;
    *done = TRUE;
    return TRUE;
  }
  if (strchr ("\"{[-0123456789tfn", c) != NULL && c != 0)
    return scan_fail (s, s->pos, "(a missing comma?)");
  return scan_unexpected (s);
}

static gboolean
scan_value (Scan *s)
{
  scan_ws (s);
  if (s->pos >= s->len)
    return scan_unexpected (s);
  guchar c = s->d[s->pos];
  if (c == '"')
    return scan_string (s);
  if (c == '-' || g_ascii_isdigit (c))
    return scan_number (s);
  static const char *const literals[] = { "true", "false", "null" };
  for (guint i = 0; i < G_N_ELEMENTS (literals); i++) {
    if (c != (guchar) literals[i][0])
      continue;
    for (const char *l = literals[i]; *l; l++, s->pos++)
      if (s->pos >= s->len || s->d[s->pos] != (guchar) *l)
        return scan_unexpected (s);
    return TRUE;
  }
  if (c != '{' && c != '[')
    return scan_unexpected (s);
  if (++s->depth > SCAN_MAX_DEPTH)
    return scan_fail (s, s->pos, "nesting deeper than "
                      G_STRINGIFY (CJSON_NESTING_LIMIT) " levels");
  char closer = c == '{' ? '}' : ']';
  s->pos++;
  scan_ws (s);
  if (s->pos < s->len && s->d[s->pos] == (guchar) closer) {
    s->pos++;
    s->depth--;
    return TRUE;
  }
  for (gboolean done = FALSE; !done;) {
    if (c == '{') {
      scan_ws (s);
      if (s->pos >= s->len || s->d[s->pos] != '"')
        return scan_unexpected (s);
      if (!scan_string (s))
        return FALSE;
      scan_ws (s);
      if (s->pos >= s->len || s->d[s->pos] != ':')
        return scan_unexpected (s);
      s->pos++;
    }
    if (!scan_value (s) || !scan_after_element (s, closer, &done))
      return FALSE;
  }
  s->depth--;
  return TRUE;
}

/* Scans the whole text; FALSE with s->at and s->why set on the first
 * error. */
static gboolean
scan_json (Scan *s, const char *data, gsize len)
{
  *s = (Scan) { (const guchar *) data, len, 0, 0, 0, NULL, FALSE };
  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    s->pos = 3;                /* a byte-order mark, as cJSON skips it */
  if (!scan_value (s))
    return FALSE;
  scan_ws (s);
  if (s->pos < len)
    return scan_fail (s, s->pos, "unexpected text after the JSON value");
  return TRUE;
}

static cJSON *
parse_json (const char *file, const char *data, gsize len, GError **error)
{
  Scan scan;
  if (!scan_json (&scan, data, len)) {
    g_autofree char *what = NULL;
    const char *why = scan.why;
    if (why == NULL || why[0] == '(') {
      guchar c = scan.at < len ? (guchar) data[scan.at] : 0;
      what = g_ascii_isprint (c)
        ? g_strdup_printf ("unexpected character '%c'%s%s", c,
                           why ? " " : "", why ? why : "")
        : g_strdup_printf ("unexpected byte 0x%02x", c);
      why = what;
    } else if (g_str_has_prefix (why, "unescaped")) {
      guchar c = (guchar) data[scan.at];
      what = g_strdup_printf ("%s (byte 0x%02x; write it as \\u%04x)", why,
                              c, c);
      why = what;
    }
    syntax_error (file, data, len, scan.at, why, error);
    return NULL;
  }
  const char *end = NULL;
  cJSON *root = cJSON_ParseWithLengthOpts (data, len, &end, FALSE);
  if (root == NULL) {
    /* Valid JSON that cJSON cannot read (out of memory, say). */
    explain_syntax_error (file, data, len,
                          end != NULL ? (gsize) (end - data) : 0, error);
    return NULL;
  }
  gsize pos = (gsize) (end - data);
  while (pos < len && (guchar) data[pos] <= ' ' && data[pos] != '\0')
    pos++;
  if (pos < len) {
    cJSON_Delete (root);
    syntax_error (file, data, len, pos, "unexpected text after the JSON value",
                  error);
    return NULL;
  }
  return root;
}

/* Duplicate keys anywhere, the first one in document order. Small objects
 * compare pairwise; larger ones use a set, so an object of 10^5 keys costs
 * 10^5 lookups rather than 5 x 10^9 comparisons. */
#define DUPLICATES_PAIRWISE 16

static gboolean
check_duplicates (RsimLoadCtx *ctx, const cJSON *item, GError **error)
{
  guint index = 0;
  gboolean is_object = cJSON_IsObject (item);
  g_autoptr (GHashTable) seen = NULL;
  if (is_object && cJSON_GetArraySize (item) > DUPLICATES_PAIRWISE)
    seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (const cJSON *c = item->child; c; c = c->next, index++) {
    gsize mark;
    if (is_object) {
      gboolean dup = FALSE;
      if (seen != NULL) {
        dup = !g_hash_table_add (seen, c->string);
      } else {
        for (const cJSON *p = item->child; p != c && !dup; p = p->next)
          dup = strcmp (p->string, c->string) == 0;
      }
      if (dup)
        return rsim__ctx_fail (ctx, error, "duplicate key \"%s\"",
                               rsim__ctx_short (ctx, c->string));
      mark = rsim__ctx_push_key (ctx, c->string);
    } else {
      mark = rsim__ctx_push_index (ctx, index);
    }
    if (!check_duplicates (ctx, c, error))
      return FALSE;
    rsim__ctx_pop (ctx, mark);
  }
  return TRUE;
}

/* ============================================================== cluster */

static gboolean
read_taskmanagers (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  RsimClusterSpec *c = t;
  return rsim__read_int (ctx, v, 0, MAX_TASKMANAGERS, &c->taskmanagers, e);
}

static gboolean
read_rm_mode (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_RM_MODE_LIST (RSIM_X)
#undef RSIM_X
  };
  RsimClusterSpec *c = t;
  int mode;
  if (!rsim__read_enum (ctx, v, names, G_N_ELEMENTS (names), &mode, e))
    return FALSE;
  c->rm_mode = mode;
  return TRUE;
}

static gboolean
load_cluster (Loader *ld, const cJSON *v, GError **error)
{
  static const RsimField fields[] = {
    { "taskmanagers", TRUE, read_taskmanagers },
    { "resource_manager", FALSE, read_rm_mode },
  };
  ld->cfg->cluster = (RsimClusterSpec) { 0, RSIM_RM_STANDALONE };
  return rsim__read_fields (ld->ctx, v, fields, G_N_ELEMENTS (fields),
                            &ld->cfg->cluster, NULL, error);
}

/* ================================================================== job */

typedef struct {
  RsimVertexSpec *v;
  gboolean has_parallelism;
  gboolean has_max_parallelism;
  double change_fraction;      /* state_change as a fraction; < 0: a rate */
} VertexTmp;

static gboolean
read_vertex_name (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  VertexTmp *vt = t;
  return rsim__read_string (ctx, v, &vt->v->name, e);
}

static gboolean
read_vertex_parallelism (RsimLoadCtx *ctx, const cJSON *v, gpointer t,
                         GError **e)
{
  VertexTmp *vt = t;
  vt->has_parallelism = TRUE;
  return rsim__read_int (ctx, v, 1, MAX_PARALLELISM, &vt->v->parallelism, e);
}

static gboolean
read_vertex_max_parallelism (RsimLoadCtx *ctx, const cJSON *v, gpointer t,
                             GError **e)
{
  VertexTmp *vt = t;
  vt->has_max_parallelism = TRUE;
  return rsim__read_int (ctx, v, 1, MAX_PARALLELISM, &vt->v->max_parallelism, e);
}

static gboolean
read_vertex_ssg (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  VertexTmp *vt = t;
  return rsim__read_string (ctx, v, &vt->v->slot_sharing_group, e);
}

static gboolean
read_vertex_capacity (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  VertexTmp *vt = t;
  return rsim__read_rate (ctx, v, TRUE, &vt->v->capacity, e);
}

static gboolean
read_vertex_state (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  VertexTmp *vt = t;
  return rsim__read_size (ctx, v, &vt->v->state_bytes, e);
}

/* "state_change": how much state a vertex writes, all subtasks together:
 * a bandwidth ("40 MB/s" per second of running) or a fraction of its state
 * per checkpoint interval (0.05 or "5 %"). */
static gboolean
read_vertex_state_change (RsimLoadCtx *ctx, const cJSON *v, gpointer t,
                          GError **e)
{
  VertexTmp *vt = t;
  const char *expected = "a rate such as \"40 MB/s\" or a fraction of the "
                         "state per checkpoint interval from 0 to 1 (0.05 or "
                         "\"5 %\")";
  if (cJSON_IsNumber (v)) {
    if (!(v->valuedouble >= 0.0 && v->valuedouble <= 1.0))
      return rsim__ctx_expected (ctx, e, v, "%s", expected);
    vt->change_fraction = v->valuedouble;
    return TRUE;
  }
  if (!cJSON_IsString (v))
    return rsim__ctx_expected (ctx, e, v, "%s", expected);
  const char *text = v->valuestring;
  gsize n = strlen (text);
  if (n > 0 && text[n - 1] == '%') {
    g_autofree char *num = g_strstrip (g_strndup (text, n - 1));
    char *end = NULL;
    double pct = g_ascii_strtod (num, &end);
    if (*num == '\0' || *end != '\0' || !(pct >= 0.0 && pct <= 100.0))
      return rsim__ctx_expected (ctx, e, v, "%s", expected);
    vt->change_fraction = pct / 100.0;
    return TRUE;
  }
  double bps;
  if (!g_str_has_suffix (text, "/s")
      || !rsim__read_bandwidth (ctx, v, &bps, NULL))
    return rsim__ctx_expected (ctx, e, v, "%s", expected);
  vt->v->state_change_rate = bps;
  vt->change_fraction = -1.0;
  return TRUE;
}

static gboolean
read_vertex_chain (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_CHAIN_LIST (RSIM_X)
#undef RSIM_X
  };
  VertexTmp *vt = t;
  int chain;
  if (!rsim__read_enum (ctx, v, names, G_N_ELEMENTS (names), &chain, e))
    return FALSE;
  vt->v->chain = chain;
  return TRUE;
}

/* The change rate in bytes/s, and the check that a checkpoint interval
 * never changes more than the whole state. */
static gboolean
resolve_state_change (Loader *ld, const cJSON *c, const VertexTmp *vt,
                      GError **error)
{
  RsimLoadCtx *ctx = ld->ctx;
  RsimVertexSpec *vx = vt->v;
  const cJSON *item = rsim__json_get (c, "state_change");
  if (item == NULL)
    return TRUE;
  RsimTime interval = ld->cfg->flink.checkpoint_interval;
  gsize mark = rsim__ctx_push_key (ctx, "state_change");
  if (vx->state_bytes <= 0.0)
    return rsim__ctx_fail (ctx, error, "the vertex has no \"state\" to "
                           "change; give its state size first");
  if (vt->change_fraction >= 0.0) {
    vx->state_change_rate = interval > 0
      ? vt->change_fraction * vx->state_bytes / RSIM_TIME_TO_SEC (interval)
      : 0.0;
  } else if (interval > 0
             && vx->state_change_rate * RSIM_TIME_TO_SEC (interval)
                > vx->state_bytes * (1.0 + 1e-9)) {
    g_autofree char *state = rsim__format_size (vx->state_bytes);
    g_autofree char *per = rsim__format_duration ((double) interval);
    g_autofree char *changed =
      rsim__format_size (vx->state_change_rate * RSIM_TIME_TO_SEC (interval));
    return rsim__ctx_expected (ctx, error, item, "a change rate of at most "
                               "the state (%s) per checkpoint interval (%s); "
                               "this changes %s per interval", state, per,
                               changed);
  }
  rsim__ctx_pop (ctx, mark);
  return TRUE;
}

static int
find_vertex (const RsimJobSpec *job, const char *name)
{
  return rsim_job_spec_find (job, name);
}

static char *
vertex_names (const RsimJobSpec *job)
{
  /* At most this many names, each shortened: the message stays small
   * whatever the job. */
  enum { SHOWN = 16 };
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < job->n_vertices && i < SHOWN; i++) {
    g_autofree char *name = rsim__short_text (job->vertices[i].name);
    g_string_append_printf (s, "%s%s", i ? ", " : "", name);
  }
  if (job->n_vertices > SHOWN)
    g_string_append_printf (s, ", ... (%u vertices)", job->n_vertices);
  return g_string_free (s, FALSE);
}

static gboolean
load_vertices (Loader *ld, const cJSON *arr, GError **error)
{
  static const RsimField fields[] = {
    { "name", TRUE, read_vertex_name },
    { "parallelism", FALSE, read_vertex_parallelism },
    { "max_parallelism", FALSE, read_vertex_max_parallelism },
    { "slot_sharing_group", FALSE, read_vertex_ssg },
    { "capacity", TRUE, read_vertex_capacity },
    { "state", FALSE, read_vertex_state },
    { "state_change", FALSE, read_vertex_state_change },
    { "chain", FALSE, read_vertex_chain },
  };
  RsimLoadCtx *ctx = ld->ctx;
  RsimJobSpec *job = &ld->cfg->job;
  const RsimFlinkConf *conf = &ld->cfg->flink;
  if (!cJSON_IsArray (arr) || arr->child == NULL)
    return rsim__ctx_expected (ctx, error, arr, "a non-empty array of vertices");
  if (cJSON_GetArraySize (arr) > MAX_VERTICES)
    return rsim__ctx_fail (ctx, error, "expected at most %d vertices, got %d",
                           MAX_VERTICES, cJSON_GetArraySize (arr));
  job->vertices = g_new0 (RsimVertexSpec, cJSON_GetArraySize (arr));
  guint i = 0;
  for (const cJSON *c = arr->child; c; c = c->next, i++) {
    gsize mark = rsim__ctx_push_index (ctx, i);
    RsimVertexSpec *vx = &job->vertices[i];
    job->n_vertices = i + 1;
    VertexTmp vt = { vx, FALSE, FALSE, -1.0 };
    if (!rsim__read_fields (ctx, c, fields, G_N_ELEMENTS (fields), &vt, NULL,
                            error))
      return FALSE;
    if (!resolve_state_change (ld, c, &vt, error))
      return FALSE;
    if (find_vertex (job, vx->name) != (int) i) {
      rsim__ctx_push_key (ctx, "name");
      return rsim__ctx_expected (ctx, error, rsim__json_get (c, "name"),
                                 "a name no other vertex has");
    }
    if (vx->slot_sharing_group == NULL)
      vx->slot_sharing_group = g_strdup ("default");
    if (!vt.has_parallelism)
      vx->parallelism = conf->default_parallelism;
    if (vt.has_max_parallelism) {
      if (vx->max_parallelism < vx->parallelism) {
        rsim__ctx_push_key (ctx, "max_parallelism");
        return rsim__ctx_expected (ctx, error,
                                   rsim__json_get (c, "max_parallelism"),
                                   "an integer from %d to %d (at least the "
                                   "vertex's parallelism)", vx->parallelism,
                                   MAX_PARALLELISM);
      }
    } else if (conf->pipeline_max_parallelism > 0) {
      vx->max_parallelism = conf->pipeline_max_parallelism;
      if (vx->max_parallelism < vx->parallelism) {
        const cJSON *p = rsim__json_get (c, "parallelism");
        if (p == NULL)
          return rsim__ctx_fail (ctx, error, "parallelism.default (%d) "
                                 "exceeds pipeline.max-parallelism (%d)",
                                 vx->parallelism, vx->max_parallelism);
        rsim__ctx_push_key (ctx, "parallelism");
        return rsim__ctx_expected (ctx, error, p, "an integer from 1 to %d "
                                   "(pipeline.max-parallelism)",
                                   vx->max_parallelism);
      }
    }
    rsim__ctx_pop (ctx, mark);
  }
  return TRUE;
}

typedef struct {
  Loader *ld;
  RsimEdgeSpec *edge;
  gboolean has_ship;
} EdgeTmp;

static gboolean
read_edge_end (RsimLoadCtx *ctx, const cJSON *v, const RsimJobSpec *job,
               int *out, GError **e)
{
  int idx = cJSON_IsString (v) ? find_vertex (job, v->valuestring) : -1;
  if (idx < 0) {
    g_autofree char *names = vertex_names (job);
    return rsim__ctx_expected (ctx, e, v, "the name of a vertex (one of: %s)",
                               names);
  }
  *out = idx;
  return TRUE;
}

static gboolean
read_edge_from (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  EdgeTmp *et = t;
  return read_edge_end (ctx, v, &et->ld->cfg->job, &et->edge->from, e);
}

static gboolean
read_edge_to (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  EdgeTmp *et = t;
  return read_edge_end (ctx, v, &et->ld->cfg->job, &et->edge->to, e);
}

static gboolean
read_edge_ship (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  static const char *const names[] = {
#define RSIM_X(id, name, all) name,
    RSIM_SHIP_LIST (RSIM_X)
#undef RSIM_X
  };
  EdgeTmp *et = t;
  int ship;
  if (!rsim__read_enum (ctx, v, names, G_N_ELEMENTS (names), &ship, e))
    return FALSE;
  et->edge->ship = ship;
  et->has_ship = TRUE;
  return TRUE;
}

/* Is there a path from a to b over the first n_edges edges? */
static gboolean
reaches (const RsimJobSpec *job, guint n_edges, int a, int b, gboolean *seen)
{
  if (a == b)
    return TRUE;
  if (seen[a])
    return FALSE;
  seen[a] = TRUE;
  for (guint i = 0; i < n_edges; i++)
    if (job->edges[i].from == a && reaches (job, n_edges, job->edges[i].to, b, seen))
      return TRUE;
  return FALSE;
}

static gboolean
load_edges (Loader *ld, const cJSON *arr, GError **error)
{
  static const RsimField fields[] = {
    { "from", TRUE, read_edge_from },
    { "to", TRUE, read_edge_to },
    { "ship", FALSE, read_edge_ship },
  };
  RsimLoadCtx *ctx = ld->ctx;
  RsimJobSpec *job = &ld->cfg->job;
  if (!cJSON_IsArray (arr))
    return rsim__ctx_expected (ctx, error, arr, "an array of edges");
  int n = cJSON_GetArraySize (arr);
  if (n > MAX_EDGES)
    return rsim__ctx_fail (ctx, error, "expected at most %d edges, got %d",
                           MAX_EDGES, n);
  job->edges = n > 0 ? g_new0 (RsimEdgeSpec, n) : NULL;
  guint i = 0;
  for (const cJSON *c = arr->child; c; c = c->next, i++) {
    gsize mark = rsim__ctx_push_index (ctx, i);
    RsimEdgeSpec *edge = &job->edges[i];
    EdgeTmp et = { ld, edge, FALSE };
    if (!rsim__read_fields (ctx, c, fields, G_N_ELEMENTS (fields), &et, NULL,
                            error))
      return FALSE;
    const RsimVertexSpec *from = &job->vertices[edge->from];
    const RsimVertexSpec *to = &job->vertices[edge->to];
    if (edge->from == edge->to) {
      rsim__ctx_push_key (ctx, "to");
      return rsim__ctx_expected (ctx, error, rsim__json_get (c, "to"),
                                 "a vertex other than \"from\"");
    }
    for (guint k = 0; k < i; k++)
      if (job->edges[k].from == edge->from && job->edges[k].to == edge->to)
        return rsim__ctx_fail (ctx, error, "duplicate edge \"%s\" -> \"%s\" "
                               "(also job.edges[%u])",
                               rsim__ctx_short (ctx, from->name),
                               rsim__ctx_short (ctx, to->name), k);
    if (!et.has_ship) {
      /* StreamGraph's default partitioner: forward when the parallelism
       * does not change, else rebalance. */
      edge->ship = from->parallelism == to->parallelism ? RSIM_SHIP_FORWARD
                                                        : RSIM_SHIP_REBALANCE;
    } else if (edge->ship == RSIM_SHIP_FORWARD
               && from->parallelism != to->parallelism) {
      rsim__ctx_push_key (ctx, "ship");
      return rsim__ctx_fail (ctx, error, "forward partitioning does not allow "
                             "a change of parallelism (\"%s\" has %d, \"%s\" "
                             "has %d); use rescale, rebalance or hash",
                             rsim__ctx_short (ctx, from->name),
                             from->parallelism,
                             rsim__ctx_short (ctx, to->name), to->parallelism);
    }
    g_autofree gboolean *seen = g_new0 (gboolean, job->n_vertices);
    if (reaches (job, i, edge->to, edge->from, seen))
      return rsim__ctx_fail (ctx, error, "\"%s\" -> \"%s\" closes a cycle; "
                             "the job graph must be acyclic",
                             rsim__ctx_short (ctx, from->name),
                             rsim__ctx_short (ctx, to->name));
    job->n_edges = i + 1;
    rsim__ctx_pop (ctx, mark);
  }
  return TRUE;
}

typedef struct {
  const cJSON *vertices;
  const cJSON *edges;
  gboolean native_savepoints;
} JobTmp;

static gboolean
keep_vertices (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  ((JobTmp *) t)->vertices = v;
  return v != NULL
    || rsim__ctx_expected (ctx, e, v, "a non-empty array of vertices");
}

static gboolean
keep_edges (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  ((JobTmp *) t)->edges = v;
  return TRUE;
}

/* "savepoint_format": "canonical" (every version) or "native" (FLIP-203,
 * 1.15+): the format of the savepoints the job's stop-with-savepoint,
 * upgrade and rescale take, as `flink stop --type` and the Kubernetes
 * operator's kubernetes.operator.savepoint.format.type choose it. */
static gboolean
keep_savepoint_format (RsimLoadCtx *ctx, const cJSON *v, gpointer t,
                       GError **e)
{
  static const char *const names[] = { "canonical", "native" };
  int f;
  if (!rsim__read_enum (ctx, v, names, G_N_ELEMENTS (names), &f, e))
    return FALSE;
  RsimRules rules = rsim_rules_resolve (ctx->version);
  if (f == 1 && !rsim_rules_has (&rules, RSIM_RULE_NATIVE_SAVEPOINTS)) {
    g_autofree char *ver = rsim_version_to_string (ctx->version);
    return rsim__ctx_fail (ctx, e, "Flink %s takes only canonical savepoints "
                           "(native-format savepoints came with 1.15, "
                           "FLIP-203); expected \"canonical\", got "
                           "\"native\"", ver);
  }
  ((JobTmp *) t)->native_savepoints = f == 1;
  return TRUE;
}

/* Operator chaining (pipeline.operator-chaining.enabled), after every
 * vertex and edge is known: the job's vertices become Flink's job
 * vertices. */
static void
chain_operators (Loader *ld)
{
  rsim_job_spec_chain (&ld->cfg->job, ld->cfg->flink.operator_chaining);
}

static gboolean
load_job (Loader *ld, const cJSON *v, GError **error)
{
  static const RsimField fields[] = {
    { "vertices", TRUE, keep_vertices },
    { "edges", FALSE, keep_edges },
    { "savepoint_format", FALSE, keep_savepoint_format },
  };
  JobTmp jt = { NULL, NULL, FALSE };
  if (!rsim__read_fields (ld->ctx, v, fields, G_N_ELEMENTS (fields), &jt, NULL,
                          error))
    return FALSE;
  gsize mark = rsim__ctx_push_key (ld->ctx, "vertices");
  if (!load_vertices (ld, jt.vertices, error))
    return FALSE;
  rsim__ctx_pop (ld->ctx, mark);
  if (jt.edges != NULL) {
    mark = rsim__ctx_push_key (ld->ctx, "edges");
    if (!load_edges (ld, jt.edges, error))
      return FALSE;
    rsim__ctx_pop (ld->ctx, mark);
  }
  ld->cfg->job.native_savepoints = jt.native_savepoints;
  chain_operators (ld);
  return TRUE;
}

/* ============================================================= workload */

static gboolean
read_workload_rate (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  RsimWorkloadSpec *w = t;
  if (v == NULL)
    return rsim__ctx_expected (ctx, e, v, "a rate such as \"2000 rec/s\" or "
                               "an object with a \"type\"");
  return rsim__rate_spec_load (ctx, v, &w->rate, e);
}

static gboolean
read_record_size (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  RsimWorkloadSpec *w = t;
  return rsim__read_size (ctx, v, &w->record_bytes, e);
}

static gboolean
load_workload (Loader *ld, const cJSON *v, GError **error)
{
  static const RsimField fields[] = {
    { "rate", TRUE, read_workload_rate },
    { "record_size", FALSE, read_record_size },
  };
  return rsim__read_fields (ld->ctx, v, fields, G_N_ELEMENTS (fields),
                            &ld->cfg->workload, NULL, error);
}

/* ================================================================ costs */

const RsimCostKey rsim__cost_keys[] = {
#define RSIM_X(field, key, unit, def) \
  { key, RSIM_COST_##unit, G_STRUCT_OFFSET (RsimCosts, field) },
  RSIM_COST_LIST (RSIM_X)
#undef RSIM_X
};
const guint rsim__n_cost_keys = G_N_ELEMENTS (rsim__cost_keys);

typedef struct {
  RsimDist *dist;
  RsimCostUnit unit;
} DistTmp;

/* A value in the cost's unit: a duration (>= 0, or > 0 when positive) or a
 * bandwidth (always > 0). */
static gboolean
read_cost_value (RsimLoadCtx *ctx, const cJSON *v, RsimCostUnit unit,
                 gboolean positive, double *out, GError **e)
{
  if (unit == RSIM_COST_BANDWIDTH)
    return rsim__read_bandwidth (ctx, v, out, e);
  return rsim__read_duration (ctx, v, 0.0, positive, out, e);
}

static gboolean
read_dist_type (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  return TRUE;                /* read before the fields */
}

static gboolean
read_dist_a (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  DistTmp *d = t;
  /* lognormal's median and exponential's mean must be > 0. */
  gboolean positive = d->dist->kind == RSIM_DIST_LOGNORMAL
    || d->dist->kind == RSIM_DIST_EXPONENTIAL;
  return read_cost_value (ctx, v, d->unit, positive, &d->dist->a, e);
}

static gboolean
read_dist_b (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  DistTmp *d = t;
  return read_cost_value (ctx, v, d->unit, FALSE, &d->dist->b, e);
}

static gboolean
read_dist_sigma (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  DistTmp *d = t;
  return rsim__read_number (ctx, v, 0.0, FALSE, &d->dist->b, e);
}

static gboolean
load_dist (RsimLoadCtx *ctx, const cJSON *v, RsimCostUnit unit, RsimDist *out,
           GError **error)
{
  static const RsimField constant[] = {
    { "type", TRUE, read_dist_type }, { "value", TRUE, read_dist_a },
  };
  static const RsimField uniform[] = {
    { "type", TRUE, read_dist_type }, { "min", TRUE, read_dist_a },
    { "max", TRUE, read_dist_b },
  };
  static const RsimField normal[] = {
    { "type", TRUE, read_dist_type }, { "mean", TRUE, read_dist_a },
    { "stddev", TRUE, read_dist_b },
  };
  static const RsimField lognormal[] = {
    { "type", TRUE, read_dist_type }, { "median", TRUE, read_dist_a },
    { "sigma", TRUE, read_dist_sigma },
  };
  static const RsimField exponential[] = {
    { "type", TRUE, read_dist_type }, { "mean", TRUE, read_dist_a },
  };
  static const struct { const RsimField *fields; guint n; } per_kind[] = {
    [RSIM_DIST_CONSTANT] = { constant, G_N_ELEMENTS (constant) },
    [RSIM_DIST_UNIFORM] = { uniform, G_N_ELEMENTS (uniform) },
    [RSIM_DIST_NORMAL] = { normal, G_N_ELEMENTS (normal) },
    [RSIM_DIST_LOGNORMAL] = { lognormal, G_N_ELEMENTS (lognormal) },
    [RSIM_DIST_EXPONENTIAL] = { exponential, G_N_ELEMENTS (exponential) },
  };
  static const char *const kinds[] = {
#define RSIM_X(id, name) name,
    RSIM_DIST_KIND_LIST (RSIM_X)
#undef RSIM_X
  };

  if (!cJSON_IsObject (v)) {
    RsimDist d = RSIM_DIST_CONST (0.0);
    if (!read_cost_value (ctx, v, unit, FALSE, &d.a, error))
      return FALSE;
    *out = d;
    return TRUE;
  }
  RsimDist d = { 0 };
  gsize mark = rsim__ctx_push_key (ctx, "type");
  int kind;
  if (!rsim__read_enum (ctx, rsim__json_get (v, "type"), kinds,
                        G_N_ELEMENTS (kinds), &kind, error))
    return FALSE;
  rsim__ctx_pop (ctx, mark);
  d.kind = kind;
  DistTmp dt = { &d, unit };
  if (!rsim__read_fields (ctx, v, per_kind[kind].fields, per_kind[kind].n, &dt,
                          NULL, error))
    return FALSE;
  if (kind == RSIM_DIST_UNIFORM && d.b < d.a) {
    rsim__ctx_push_key (ctx, "max");
    return rsim__ctx_expected (ctx, error, rsim__json_get (v, "max"),
                               "a value of at least min");
  }
  *out = d;
  return TRUE;
}

static gboolean
load_costs (Loader *ld, const cJSON *v, GError **error)
{
  RsimLoadCtx *ctx = ld->ctx;
  if (!cJSON_IsObject (v))
    return rsim__ctx_expected (ctx, error, v, "an object of costs");
  for (const cJSON *c = v->child; c; c = c->next) {
    const RsimCostKey *key = NULL;
    for (guint i = 0; i < rsim__n_cost_keys; i++)
      if (strcmp (rsim__cost_keys[i].key, c->string) == 0)
        key = &rsim__cost_keys[i];
    if (key == NULL) {
      g_autofree const char **names = g_new (const char *, rsim__n_cost_keys);
      for (guint i = 0; i < rsim__n_cost_keys; i++)
        names[i] = rsim__cost_keys[i].key;
      return unknown_key (ctx, error, c->string, names, rsim__n_cost_keys);
    }
    gsize mark = rsim__ctx_push_key (ctx, c->string);
    RsimDist *dist = &G_STRUCT_MEMBER (RsimDist, &ld->cfg->costs, key->offset);
    if (!load_dist (ctx, c, key->unit, dist, error))
      return FALSE;
    rsim__ctx_pop (ctx, mark);
  }
  return TRUE;
}

/* ============================================================= timeline */

typedef struct {
  Loader *ld;
  RsimAction *a;
  gboolean has_count;
  gboolean has_resubmit;
  gboolean resubmit;
} ActionTmp;

static const char *const action_names[] = {
#define RSIM_X(id, name) name,
  RSIM_ACTION_KIND_LIST (RSIM_X)
#undef RSIM_X
};

/* The max parallelism a vertex's keyed state allows: explicit (or
 * pipeline.max-parallelism), else Flink's rule from the initial
 * parallelism. */
static int
vertex_max_parallelism (const RsimVertexSpec *v)
{
  return v->max_parallelism > 0 ? v->max_parallelism
                                : rsim_default_max_parallelism (v->parallelism);
}

static gboolean
read_action_at (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  ActionTmp *at = t;
  RsimTime end = at->ld->cfg->duration;
  if (!rsim__read_time (ctx, v, 0, FALSE, &at->a->at, e))
    return FALSE;
  if (at->a->at >= end) {
    g_autofree char *d = rsim__format_duration (end);
    return rsim__ctx_expected (ctx, e, v, "a time before the end of the "
                               "scenario (duration %s)", d);
  }
  return TRUE;
}

static gboolean
read_action_kind (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  return TRUE;                /* read before the fields */
}

static gboolean
read_action_count (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  ActionTmp *at = t;
  at->has_count = TRUE;
  return rsim__read_int (ctx, v, 1, MAX_COUNT, &at->a->count, e);
}

static gboolean
read_action_tm_ids (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  ActionTmp *at = t;
  RsimAction *a = at->a;
  if (!cJSON_IsArray (v) || v->child == NULL)
    return rsim__ctx_expected (ctx, e, v,
                               "a non-empty array of TaskManager ids");
  a->taskmanager_ids = g_new0 (int, cJSON_GetArraySize (v));
  guint i = 0;
  for (const cJSON *c = v->child; c; c = c->next, i++) {
    gsize mark = rsim__ctx_push_index (ctx, i);
    if (!rsim__read_int (ctx, c, 0, G_MAXINT, &a->taskmanager_ids[i], e))
      return FALSE;
    for (guint k = 0; k < i; k++)
      if (a->taskmanager_ids[k] == a->taskmanager_ids[i])
        return rsim__ctx_expected (ctx, e, c, "an id not listed before");
    a->n_taskmanager_ids = i + 1;
    rsim__ctx_pop (ctx, mark);
  }
  return TRUE;
}

static gboolean
read_action_rpc (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_KILL_RPC_LIST (RSIM_X)
#undef RSIM_X
  };
  ActionTmp *at = t;
  int rpc;
  if (!rsim__read_enum (ctx, v, names, G_N_ELEMENTS (names), &rpc, e))
    return FALSE;
  at->a->kill_rpc = rpc;
  return TRUE;
}

static gboolean
read_action_vertex (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  ActionTmp *at = t;
  return read_edge_end (ctx, v, &at->ld->cfg->job, &at->a->vertex, e);
}

static gboolean
read_action_subtask (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  ActionTmp *at = t;
  return rsim__read_int (ctx, v, 0, MAX_PARALLELISM - 1, &at->a->subtask, e);
}

static gboolean
read_action_rate (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  ActionTmp *at = t;
  if (v == NULL)
    return rsim__ctx_expected (ctx, e, v, "a rate such as \"2000 rec/s\" or "
                               "an object with a \"type\"");
  return rsim__rate_spec_load (ctx, v, &at->a->rate, e);
}

static gboolean
read_action_target (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_CHECKPOINT_TARGET_LIST (RSIM_X)
#undef RSIM_X
  };
  ActionTmp *at = t;
  int target;
  if (!rsim__read_enum (ctx, v, names, G_N_ELEMENTS (names), &target, e))
    return FALSE;
  at->a->checkpoint_target = target;
  return TRUE;
}

static gboolean
read_action_resubmit (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  ActionTmp *at = t;
  at->has_resubmit = TRUE;
  return rsim__read_bool (ctx, v, &at->resubmit, e);
}

static gboolean
read_action_from (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_SUBMIT_FROM_LIST (RSIM_X)
#undef RSIM_X
  };
  ActionTmp *at = t;
  int from;
  if (!rsim__read_enum (ctx, v, names, G_N_ELEMENTS (names), &from, e))
    return FALSE;
  at->a->submit_from = from;
  return TRUE;
}

static gboolean
read_action_new_cluster (RsimLoadCtx *ctx, const cJSON *v, gpointer t,
                         GError **e)
{
  ActionTmp *at = t;
  return rsim__read_bool (ctx, v, &at->a->new_cluster, e);
}

static gboolean
read_action_tm_count (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  ActionTmp *at = t;
  return rsim__read_int (ctx, v, 1, MAX_TASKMANAGERS, &at->a->count, e);
}

static gboolean
read_action_upgrade_version (RsimLoadCtx *ctx, const cJSON *v, gpointer t,
                             GError **e)
{
  ActionTmp *at = t;
  char *text = NULL;
  if (!rsim__read_string (ctx, v, &text, e))
    return FALSE;
  RsimFlinkVersion ver;
  gboolean ok = rsim_version_parse (text, &ver) && rsim_version_supported (ver);
  g_free (text);
  if (!ok)
    return rsim__ctx_expected (ctx, e, v, "a Flink version from 1.5 to 2.3");
  at->a->upgrade_version = ver;
  return TRUE;
}

/* An integer for every vertex, or {vertex: integer} for some (others -1 =
 * unchanged). Each value is bounded by the vertex's max parallelism: Flink
 * cannot restore keyed state to more subtasks than key groups. */
static gboolean
read_action_parallelism (RsimLoadCtx *ctx, const cJSON *v, gpointer t,
                         GError **e)
{
  ActionTmp *at = t;
  const RsimJobSpec *job = &at->ld->cfg->job;
  RsimAction *a = at->a;
  guint n = job->n_vertices;
  g_free (a->parallelism);
  a->parallelism = g_new (int, n);
  a->n_parallelism = n;
  if (cJSON_IsNumber (v)) {
    int limit = MAX_PARALLELISM;
    const char *who = NULL;
    for (guint i = 0; i < n; i++) {
      int m = vertex_max_parallelism (&job->vertices[i]);
      if (m < limit) {
        limit = m;
        who = job->vertices[i].name;
      }
    }
    int p;
    if (!rsim__read_int (ctx, v, 1, limit, &p, NULL)) {
      if (who != NULL)
        return rsim__ctx_expected (ctx, e, v, "an integer from 1 to %d (the "
                                   "max parallelism of \"%s\")", limit,
                                   rsim__ctx_short (ctx, who));
      return rsim__read_int (ctx, v, 1, limit, &p, e);
    }
    for (guint i = 0; i < n; i++)
      a->parallelism[i] = p;
    return TRUE;
  }
  if (!cJSON_IsObject (v) || v->child == NULL)
    return rsim__ctx_expected (ctx, e, v, "an integer or an object "
                               "{\"vertex\": parallelism}");
  for (guint i = 0; i < n; i++)
    a->parallelism[i] = -1;
  for (const cJSON *c = v->child; c; c = c->next) {
    int idx = find_vertex (job, c->string);
    if (idx < 0) {
      g_autofree char *names = vertex_names (job);
      return rsim__ctx_fail (ctx, e, "unknown vertex \"%s\"; expected one of: "
                             "%s", rsim__ctx_short (ctx, c->string), names);
    }
    gsize mark = rsim__ctx_push_key (ctx, c->string);
    int limit = vertex_max_parallelism (&job->vertices[idx]);
    if (!rsim__read_int (ctx, c, 1, limit, &a->parallelism[idx], NULL)) {
      if (limit < MAX_PARALLELISM)
        return rsim__ctx_expected (ctx, e, c, "an integer from 1 to %d (the "
                                   "max parallelism of \"%s\")", limit,
                                   rsim__ctx_short (ctx, c->string));
      return rsim__read_int (ctx, c, 1, limit, &a->parallelism[idx], e);
    }
    rsim__ctx_pop (ctx, mark);
  }
  return TRUE;
}

/* {vertex: {"lowerBound": L, "upperBound": U}}: the body of Flink's
 * resource-requirements PUT with vertex names for ids. Only the shape is
 * checked here; the values are checked when the request arrives (as
 * Flink's REST handler does), so a bad request is a valid what-if. */
static gboolean
read_action_requirements (RsimLoadCtx *ctx, const cJSON *v, gpointer t,
                          GError **e)
{
  ActionTmp *at = t;
  const RsimJobSpec *job = &at->ld->cfg->job;
  RsimAction *a = at->a;
  guint n = job->n_vertices;
  if (!cJSON_IsObject (v))
    return rsim__ctx_expected (ctx, e, v, "an object {\"vertex\": "
                               "{\"lowerBound\": L, \"upperBound\": U}}");
  g_free (a->lower_bounds);
  g_free (a->upper_bounds);
  a->lower_bounds = g_new (int, n);
  a->upper_bounds = g_new (int, n);
  a->n_bounds = n;
  for (guint i = 0; i < n; i++)
    a->lower_bounds[i] = a->upper_bounds[i] = RSIM_BOUND_MISSING;
  for (const cJSON *c = v->child; c; c = c->next) {
    int idx = find_vertex (job, c->string);
    if (idx < 0) {
      g_autofree char *names = vertex_names (job);
      return rsim__ctx_fail (ctx, e, "unknown vertex \"%s\"; expected one of: "
                             "%s", rsim__ctx_short (ctx, c->string), names);
    }
    gsize mark = rsim__ctx_push_key (ctx, c->string);
    if (!cJSON_IsObject (c))
      return rsim__ctx_expected (ctx, e, c, "an object with \"lowerBound\" "
                                 "and \"upperBound\"");
    static const char *const keys[] = { "lowerBound", "upperBound" };
    int *dst[] = { &a->lower_bounds[idx], &a->upper_bounds[idx] };
    for (const cJSON *k = c->child; k; k = k->next)
      if (strcmp (k->string, keys[0]) != 0 && strcmp (k->string, keys[1]) != 0)
        return rsim__ctx_fail (ctx, e, "unknown key \"%s\"; expected one of: "
                               "lowerBound, upperBound",
                               rsim__ctx_short (ctx, k->string));
    for (int b = 0; b < 2; b++) {
      const cJSON *k = rsim__json_get (c, keys[b]);
      gsize m2 = rsim__ctx_push_key (ctx, keys[b]);
      if (!rsim__read_int (ctx, k, G_MININT + 1, G_MAXINT, dst[b], e))
        return FALSE;
      rsim__ctx_pop (ctx, m2);
    }
    rsim__ctx_pop (ctx, mark);
  }
  return TRUE;
}

#define AT_FIELD { "at", TRUE, read_action_at }, \
  { "action", TRUE, read_action_kind }

static const RsimField add_fields[] = {
  AT_FIELD, { "count", FALSE, read_action_count },
};
static const RsimField stop_fields[] = {
  AT_FIELD, { "count", FALSE, read_action_count },
  { "taskmanagers", FALSE, read_action_tm_ids },
};
static const RsimField kill_fields[] = {
  AT_FIELD, { "count", FALSE, read_action_count },
  { "taskmanagers", FALSE, read_action_tm_ids },
  { "rpc", FALSE, read_action_rpc },
};
static const RsimField fail_task_fields[] = {
  AT_FIELD, { "vertex", TRUE, read_action_vertex },
  { "subtask", FALSE, read_action_subtask },
};
static const RsimField set_rate_fields[] = {
  AT_FIELD, { "rate", TRUE, read_action_rate },
};
static const RsimField fail_checkpoints_fields[] = {
  AT_FIELD, { "count", FALSE, read_action_count },
  { "kind", FALSE, read_action_target },
};
static const RsimField savepoint_fields[] = {
  AT_FIELD, { "parallelism", FALSE, read_action_parallelism },
  { "resubmit", FALSE, read_action_resubmit },
};
static const RsimField rescale_fields[] = {
  AT_FIELD, { "parallelism", TRUE, read_action_parallelism },
};

static const RsimField submit_fields[] = {
  AT_FIELD, { "from", FALSE, read_action_from },
  { "parallelism", FALSE, read_action_parallelism },
  { "new_cluster", FALSE, read_action_new_cluster },
  { "taskmanagers", FALSE, read_action_tm_count },
};

static const RsimField upgrade_flink_fields[] = {
  AT_FIELD, { "version", TRUE, read_action_upgrade_version },
  { "parallelism", FALSE, read_action_parallelism },
  { "taskmanagers", FALSE, read_action_tm_count },
};

static const RsimField blue_green_fields[] = {
  AT_FIELD, { "version", FALSE, read_action_upgrade_version },
  { "parallelism", FALSE, read_action_parallelism },
  { "taskmanagers", FALSE, read_action_tm_count },
};

static const RsimField requirements_fields[] = {
  AT_FIELD, { "requirements", TRUE, read_action_requirements },
};

static const struct { const RsimField *fields; guint n; } action_fields[] = {
  [RSIM_ACTION_ADD_TASKMANAGERS] = { add_fields, G_N_ELEMENTS (add_fields) },
  [RSIM_ACTION_STOP_TASKMANAGERS] = { stop_fields, G_N_ELEMENTS (stop_fields) },
  [RSIM_ACTION_KILL_TASKMANAGERS] = { kill_fields, G_N_ELEMENTS (kill_fields) },
  [RSIM_ACTION_HANG_TASKMANAGERS] = { stop_fields, G_N_ELEMENTS (stop_fields) },
  [RSIM_ACTION_FAIL_TASK] = { fail_task_fields,
                              G_N_ELEMENTS (fail_task_fields) },
  [RSIM_ACTION_SET_RATE] = { set_rate_fields, G_N_ELEMENTS (set_rate_fields) },
  [RSIM_ACTION_FAIL_CHECKPOINTS] = { fail_checkpoints_fields,
                                     G_N_ELEMENTS (fail_checkpoints_fields) },
  [RSIM_ACTION_STOP_WITH_SAVEPOINT] = { savepoint_fields,
                                        G_N_ELEMENTS (savepoint_fields) },
  [RSIM_ACTION_FLINK_MODIFY] = { rescale_fields, G_N_ELEMENTS (rescale_fields) },
  [RSIM_ACTION_SCALE] = { rescale_fields, G_N_ELEMENTS (rescale_fields) },
  [RSIM_ACTION_SET_RESOURCE_REQUIREMENTS] = {
    requirements_fields, G_N_ELEMENTS (requirements_fields) },
  [RSIM_ACTION_UPDATE_DEPLOYMENT] = { rescale_fields,
                                      G_N_ELEMENTS (rescale_fields) },
  [RSIM_ACTION_SUBMIT] = { submit_fields, G_N_ELEMENTS (submit_fields) },
  [RSIM_ACTION_UPGRADE_FLINK] = { upgrade_flink_fields,
                                  G_N_ELEMENTS (upgrade_flink_fields) },
  [RSIM_ACTION_BLUE_GREEN] = { blue_green_fields,
                               G_N_ELEMENTS (blue_green_fields) },
};
G_STATIC_ASSERT (G_N_ELEMENTS (action_fields) == G_N_ELEMENTS (action_names));

/* upgrade_flink: the version must be newer (a savepoint is restored by the
 * same or a later Flink only: the compatibility table of Flink's
 * "Upgrading Applications and Flink Versions"); from 1.x to 2.x state
 * compatibility is not guaranteed (FLINK-38242), which the run's notes
 * say. The
 * scenario's Flink configuration and costs are resolved again for the new
 * version, with its defaults; messages about its keys say the version. */
static gboolean
resolve_upgrade (Loader *ld, const cJSON *v, RsimAction *a, GError **error)
{
  RsimLoadCtx *ctx = ld->ctx;
  RsimFlinkVersion from = ld->cfg->version, to = a->upgrade_version;
  g_autofree char *vf = rsim_version_to_string (from);
  g_autofree char *vt = rsim_version_to_string (to);
  gsize mark = rsim__ctx_push_key (ctx, "version");
  if (rsim_version_compare (to, from) <= 0)
    return rsim__ctx_fail (ctx, error, "expected a Flink version newer than "
                           "%s, got %s: a savepoint is restored by the same or "
                           "a later Flink only", vf, vt);
  rsim__ctx_pop (ctx, mark);
  /* The configuration, read again for the new version. */
  RsimLoadCtx sub = *ctx;
  sub.path = g_string_new ("flink.config");
  sub.warnings = g_ptr_array_new_with_free_func (g_free);
  sub.version = to;
  RsimFlinkConf conf;
  gboolean ok = rsim__flink_config_load_merged (&sub, ld->flink_merged,
                                                ld->flink_origins, &conf, NULL,
                                                error);
  for (guint i = 0; ok && i < sub.warnings->len; i++)
    g_ptr_array_add (ctx->warnings, g_strdup_printf (
      "after upgrade_flink to %s: %s", vt,
      (const char *) g_ptr_array_index (sub.warnings, i)));
  g_string_free (sub.path, TRUE);
  g_ptr_array_unref (sub.warnings);
  if (!ok)
    return FALSE;
  a->upgrade_flink = g_memdup2 (&conf, sizeof conf);
  /* The costs: the new version's defaults under the scenario's costs. */
  RsimCosts saved = ld->cfg->costs;
  rsim_costs_init_defaults (&ld->cfg->costs, to);
  if (ld->costs_json != NULL && !load_costs (ld, ld->costs_json, error)) {
    ld->cfg->costs = saved;
    return FALSE;
  }
  a->upgrade_costs = g_memdup2 (&ld->cfg->costs, sizeof (RsimCosts));
  ld->cfg->costs = saved;
  return TRUE;
}

static gboolean
load_action (Loader *ld, const cJSON *v, RsimAction *a, GError **error)
{
  RsimLoadCtx *ctx = ld->ctx;
  if (!cJSON_IsObject (v))
    return rsim__ctx_expected (ctx, error, v, "an object with \"at\" and "
                               "\"action\"");
  gsize mark = rsim__ctx_push_key (ctx, "action");
  int kind;
  if (!rsim__read_enum (ctx, rsim__json_get (v, "action"), action_names,
                        G_N_ELEMENTS (action_names), &kind, error))
    return FALSE;
  /* A changed Deployment is applied by Ververica Platform: without it
   * nothing would act on the change. The controllers are read before the
   * timeline. */
  if (kind == RSIM_ACTION_UPDATE_DEPLOYMENT
      && !ld->cfg->controllers.ververica.enabled)
    return rsim__ctx_fail (ctx, error, "update_deployment needs a "
                           "\"controllers.ververica\" block (Ververica "
                           "Platform applies the changed Deployment)");
  rsim__ctx_pop (ctx, mark);

  a->kind = kind;
  a->count = kind == RSIM_ACTION_SUBMIT || kind == RSIM_ACTION_UPGRADE_FLINK
    || kind == RSIM_ACTION_BLUE_GREEN ? 0 : 1;
  a->kill_rpc = RSIM_KILL_RPC_TIMEOUT;
  a->checkpoint_target = RSIM_CHECKPOINT_TARGET_ANY;
  a->submit_from = RSIM_SUBMIT_FROM_LATEST_SAVEPOINT;
  ActionTmp at = { ld, a, FALSE, FALSE, FALSE };
  if (!rsim__read_fields (ctx, v, action_fields[kind].fields,
                          action_fields[kind].n, &at, NULL, error))
    return FALSE;

  if (a->taskmanager_ids != NULL) {
    if (at.has_count)
      return rsim__ctx_fail (ctx, error, "expected either \"count\" or "
                             "\"taskmanagers\", got both");
    a->count = (int) a->n_taskmanager_ids;
  }
  if (kind == RSIM_ACTION_STOP_WITH_SAVEPOINT) {
    gboolean has_p = a->parallelism != NULL;
    gboolean resubmit = at.has_resubmit ? at.resubmit : has_p;
    if (has_p && !resubmit) {
      rsim__ctx_push_key (ctx, "resubmit");
      return rsim__ctx_expected (ctx, error, rsim__json_get (v, "resubmit"),
                                 "true (a parallelism is given)");
    }
    if (resubmit && !has_p) {
      /* Resubmit at the same parallelism. */
      guint n = ld->cfg->job.n_vertices;
      a->parallelism = g_new (int, n);
      a->n_parallelism = n;
      for (guint i = 0; i < n; i++)
        a->parallelism[i] = -1;
    }
  }
  if ((kind == RSIM_ACTION_UPGRADE_FLINK
       || (kind == RSIM_ACTION_BLUE_GREEN && a->upgrade_version.major != 0))
      && !resolve_upgrade (ld, v, a, error))
    return FALSE;
  RsimRules rules = rsim_rules_resolve (ld->cfg->version);
  if (kind == RSIM_ACTION_FLINK_MODIFY
      && rsim_rules_has (&rules, RSIM_RULE_RESCALE_REST_DISABLED)) {
    g_autofree char *ver = rsim_version_to_string (ld->cfg->version);
    mark = rsim__ctx_push_key (ctx, "action");
    rsim__ctx_warn (ctx, "Flink %s answers \"flink modify\" with HTTP 503: "
                    "rescaling was disabled in 1.9 (FLINK-12312)", ver);
    rsim__ctx_pop (ctx, mark);
  }
  return TRUE;
}

/* Checks that need the parallelism in force when an action runs: fail_task's
 * subtask and forward edges after a rescale. The timeline is taken in time
 * order and every earlier rescale is assumed to have taken effect. */
static gboolean
check_timeline_parallelism (Loader *ld, const guint *doc_index,
                            GError **error)
{
  RsimLoadCtx *ctx = ld->ctx;
  const RsimJobSpec *job = &ld->cfg->job;
  g_autofree int *cur = g_new (int, job->n_vertices);
  for (guint i = 0; i < job->n_vertices; i++)
    cur[i] = job->vertices[i].parallelism;
  for (guint k = 0; k < ld->cfg->n_timeline; k++) {
    const RsimAction *a = &ld->cfg->timeline[k];
    gsize mark = rsim__ctx_push_index (ctx, doc_index[k]);
    if (a->kind == RSIM_ACTION_FAIL_TASK && a->subtask >= cur[a->vertex]) {
      rsim__ctx_push_key (ctx, "subtask");
      return rsim__ctx_fail (ctx, error, "expected a subtask index from 0 to "
                             "%d (\"%s\" has parallelism %d then), got %d",
                             cur[a->vertex] - 1,
                             rsim__ctx_short (ctx,
                                              job->vertices[a->vertex].name),
                             cur[a->vertex], a->subtask);
    }
    if (a->parallelism != NULL) {
      for (guint i = 0; i < job->n_vertices; i++)
        if (a->parallelism[i] > 0)
          cur[i] = a->parallelism[i];
      for (guint i = 0; i < job->n_edges; i++) {
        const RsimEdgeSpec *e = &job->edges[i];
        if (e->ship == RSIM_SHIP_FORWARD && cur[e->from] != cur[e->to]) {
          rsim__ctx_push_key (ctx, "parallelism");
          return rsim__ctx_fail (ctx, error, "the forward edge \"%s\" -> "
                                 "\"%s\" (job.edges[%u]) would connect "
                                 "parallelism %d to %d; forward partitioning "
                                 "does not allow a change of parallelism",
                                 rsim__ctx_short (ctx,
                                                  job->vertices[e->from].name),
                                 rsim__ctx_short (ctx,
                                                  job->vertices[e->to].name),
                                 i, cur[e->from],
                                 cur[e->to]);
        }
      }
    }
    rsim__ctx_pop (ctx, mark);
  }
  return TRUE;
}

static gboolean
load_timeline (Loader *ld, const cJSON *v, GError **error)
{
  RsimLoadCtx *ctx = ld->ctx;
  RsimSimConfig *cfg = ld->cfg;
  if (!cJSON_IsArray (v))
    return rsim__ctx_expected (ctx, error, v, "an array of actions");
  int n = cJSON_GetArraySize (v);
  if (n == 0)
    return TRUE;
  if (n > MAX_ACTIONS)
    return rsim__ctx_fail (ctx, error, "expected at most %d actions, got %d",
                           MAX_ACTIONS, n);
  cfg->timeline = g_new0 (RsimAction, n);
  guint i = 0;
  for (const cJSON *c = v->child; c; c = c->next, i++) {
    gsize mark = rsim__ctx_push_index (ctx, i);
    cfg->n_timeline = i + 1;
    if (!load_action (ld, c, &cfg->timeline[i], error))
      return FALSE;
    rsim__ctx_pop (ctx, mark);
  }
  /* Stable insertion sort by time, remembering document positions for the
   * messages of the checks that follow. */
  g_autofree guint *doc_index = g_new (guint, n);
  for (guint k = 0; k < (guint) n; k++)
    doc_index[k] = k;
  for (guint k = 1; k < (guint) n; k++) {
    RsimAction a = cfg->timeline[k];
    guint d = doc_index[k];
    guint j = k;
    while (j > 0 && cfg->timeline[j - 1].at > a.at) {
      cfg->timeline[j] = cfg->timeline[j - 1];
      doc_index[j] = doc_index[j - 1];
      j--;
    }
    cfg->timeline[j] = a;
    doc_index[j] = d;
  }
  return check_timeline_parallelism (ld, doc_index, error);
}

/* ======================================================= schedulers, output */

static gboolean
load_schedulers (Loader *ld, const cJSON *v, GError **error)
{
  RsimLoadCtx *ctx = ld->ctx;
  RsimScenario *sc = ld->sc;
  RsimRules rules = rsim_rules_resolve (ld->cfg->version);
  gboolean has_adaptive = rsim_rules_has (&rules, RSIM_RULE_ADAPTIVE_SCHEDULER);
  /* ClusterEntrypoint refuses reactive mode unless the cluster is a
   * standalone application cluster. */
  gboolean reactive_ok = ld->cfg->cluster.rm_mode == RSIM_RM_STANDALONE;
  const char *rm = rsim_rm_mode_name (ld->cfg->cluster.rm_mode);
  if (ld->conf_scheduler == RSIM_SCHEDULER_REACTIVE && !reactive_ok) {
    g_string_assign (ctx->path, "flink.config.\"scheduler-mode\"");
    return rsim__ctx_fail (ctx, error, "%s (cluster.resource_manager is "
                           "\"%s\"; reactive mode needs \"standalone\", "
                           "its TaskManagers added or removed from outside)",
                           RSIM_REACTIVE_UNSUPPORTED_CLUSTER, rm);
  }
  if (v == NULL) {
    /* All the schedulers the version has (adaptive and reactive: 1.13+;
     * reactive only on a standalone cluster), the one the Flink
     * configuration selects first (a plain run uses it). */
    guint n_kinds = has_adaptive ? (reactive_ok ? 3 : 2) : 1;
    sc->n_schedulers = n_kinds;
    sc->schedulers = g_new (RsimSchedulerKind, sc->n_schedulers);
    guint n = 0;
    if (ld->conf_scheduler >= 0)
      sc->schedulers[n++] = (RsimSchedulerKind) ld->conf_scheduler;
    for (guint i = 0; i < n_kinds; i++)
      if ((int) i != ld->conf_scheduler)
        sc->schedulers[n++] = (RsimSchedulerKind) i;
    return TRUE;
  }
  if (!cJSON_IsArray (v) || v->child == NULL)
    return rsim__ctx_expected (ctx, error, v, "a non-empty array of "
                               "schedulers (default, adaptive, reactive)");
  sc->schedulers = g_new (RsimSchedulerKind, cJSON_GetArraySize (v));
  guint i = 0;
  for (const cJSON *c = v->child; c; c = c->next, i++) {
    gsize mark = rsim__ctx_push_index (ctx, i);
    RsimSchedulerKind kind;
    if (!cJSON_IsString (c) || !rsim_scheduler_kind_parse (c->valuestring, &kind))
      return rsim__ctx_expected (ctx, error, c, "one of: default, adaptive, "
                                 "reactive");
    if (kind != RSIM_SCHEDULER_DEFAULT && !has_adaptive) {
      g_autofree char *ver = rsim_version_to_string (ld->cfg->version);
      return rsim__ctx_expected (ctx, error, c, "a scheduler that exists in "
                                 "Flink %s (default; adaptive and reactive "
                                 "came in 1.13)", ver);
    }
    if (kind == RSIM_SCHEDULER_REACTIVE && !reactive_ok)
      return rsim__ctx_fail (ctx, error, "%s (cluster.resource_manager is "
                             "\"%s\"; reactive mode needs \"standalone\", "
                             "its TaskManagers added or removed from "
                             "outside)", RSIM_REACTIVE_UNSUPPORTED_CLUSTER, rm);
    for (guint k = 0; k < i; k++)
      if (sc->schedulers[k] == kind)
        return rsim__ctx_expected (ctx, error, c, "a scheduler not listed "
                                   "before");
    sc->schedulers[i] = kind;
    sc->n_schedulers = i + 1;
    rsim__ctx_pop (ctx, mark);
  }
  return TRUE;
}

static gboolean
read_sample_interval (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  Loader *ld = t;
  return rsim__read_time (ctx, v, 0, TRUE, &ld->cfg->sample_interval, e);
}

/* A whole JSON number from 1 to max (max may exceed an int). */
static gboolean
read_count (RsimLoadCtx *ctx, const cJSON *v, double max, double *out,
            GError **e)
{
  if (!cJSON_IsNumber (v) || v->valuedouble != floor (v->valuedouble)
      || v->valuedouble < 1 || v->valuedouble > max)
    return rsim__ctx_expected (ctx, e, v, "an integer from 1 to %.0f", max);
  *out = v->valuedouble;
  return TRUE;
}

static gboolean
read_max_rows (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  Loader *ld = t;
  return read_count (ctx, v, MAX_MAX_ROWS, &ld->max_rows, e);
}

static gboolean
load_output (Loader *ld, const cJSON *v, GError **error)
{
  static const RsimField fields[] = {
    { "sample_interval", FALSE, read_sample_interval },
    { "max_rows", FALSE, read_max_rows },
  };
  return rsim__read_fields (ld->ctx, v, fields, G_N_ELEMENTS (fields), ld,
                            NULL, error);
}

static gboolean
read_max_events (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  RsimSimConfig *cfg = t;
  double n = 0;
  if (!read_count (ctx, v, MAX_MAX_EVENTS, &n, e))
    return FALSE;
  cfg->max_events = (guint64) n;
  return TRUE;
}

static gboolean
load_limits (Loader *ld, const cJSON *v, GError **error)
{
  static const RsimField fields[] = {
    { "max_events", FALSE, read_max_events },
  };
  return rsim__read_fields (ld->ctx, v, fields, G_N_ELEMENTS (fields), ld->cfg,
                            NULL, error);
}

/* The sizes the simulation allocates for: tasks at the start and after
 * every rescale of the timeline, TaskManagers at the start plus those the
 * timeline adds. */
static gboolean
check_job_size (Loader *ld, GError **error)
{
  RsimLoadCtx *ctx = ld->ctx;
  const RsimSimConfig *cfg = ld->cfg;
  const RsimJobSpec *job = &cfg->job;
  g_autofree int *cur = g_new (int, MAX (job->n_vertices, 1));
  gint64 tasks = 0;
  for (guint i = 0; i < job->n_vertices; i++)
    tasks += cur[i] = job->vertices[i].parallelism;
  if (tasks > MAX_TASKS)
    return rsim__ctx_fail (ctx, error, "job.vertices: the parallelism of "
                           "the vertices adds up to %" G_GINT64_FORMAT
                           " tasks; at most %d", tasks, MAX_TASKS);
  gint64 tms = cfg->cluster.taskmanagers;
  for (guint k = 0; k < cfg->n_timeline; k++) {
    const RsimAction *a = &cfg->timeline[k];
    if (a->kind == RSIM_ACTION_ADD_TASKMANAGERS)
      tms += a->count;
    if (a->parallelism != NULL)
      for (guint i = 0; i < job->n_vertices; i++)
        if (a->parallelism[i] > 0) {
          tasks += a->parallelism[i] - cur[i];
          cur[i] = a->parallelism[i];
        }
    if (tasks > MAX_TASKS) {
      g_autofree char *at = rsim__format_duration ((double) a->at);
      return rsim__ctx_fail (ctx, error, "timeline: the rescale at %s would "
                             "give the job %" G_GINT64_FORMAT " tasks; at "
                             "most %d", at, tasks, MAX_TASKS);
    }
  }
  if (tms > MAX_TASKMANAGERS)
    return rsim__ctx_fail (ctx, error, "cluster.taskmanagers and the "
                           "add_taskmanagers actions of the timeline start "
                           "%" G_GINT64_FORMAT " TaskManagers; at most %d",
                           tms, MAX_TASKMANAGERS);
  return TRUE;
}

/* One periodic source of events and the keys that set its count. */
typedef struct {
  double events;
  const char *keys;
} EventSource;

/* The size checks once everything is read: rows of the time series, and an
 * estimate of the events the run will process from its periodic timers
 * alone (samples, heartbeats of the initial TaskManagers for the whole run,
 * checkpoints, the controllers' loops). Whatever the estimate misses is
 * caught at run time by the engine's event budget. */
static gboolean
check_run_size (Loader *ld, GError **error)
{
  RsimLoadCtx *ctx = ld->ctx;
  const RsimSimConfig *cfg = ld->cfg;
  double d = (double) cfg->duration;
  /* A fixed grid has a row per interval; the lean series (no interval)
   * has at most 20,000 regular rows (sim/control/simulation.c) plus one
   * per change, which the event budget bounds. */
  double rows = cfg->sample_interval > 0
    ? floor (d / (double) cfg->sample_interval) + 1
    : MIN (floor (d / (double) RSIM_SEC), 20000.0) + 1;
  if (rows > ld->max_rows)
    return rsim__ctx_fail (ctx, error, "duration / output.sample_interval "
                           "gives %.0f rows of time series, more than "
                           "output.max_rows (%.0f): raise "
                           "output.sample_interval, or output.max_rows (at "
                           "most %.0f)", rows, ld->max_rows, MAX_MAX_ROWS);
  const RsimFlinkConf *f = &cfg->flink;
  const RsimControllersSpec *c = &cfg->controllers;
  EventSource src[] = {
    { rows, "duration / output.sample_interval" },
    /* The JobManager's heartbeat loop: one event per interval whatever
     * the cluster's size (the analytic model; --exact-heartbeats runs one
     * per TaskManager and answer, and is bounded by the budget at run
     * time). */
    { f->heartbeat_interval > 0
      ? floor (d / (double) f->heartbeat_interval) : 0,
      "duration / flink.config.\"heartbeat.interval\"" },
    { f->checkpoint_interval > 0
      ? 2 * floor (d / (double) f->checkpoint_interval) : 0,
      "duration / flink.config.\"execution.checkpointing.interval\"" },
    { c->autoscaler.enabled && c->autoscaler.interval > 0
      ? floor (d / (double) c->autoscaler.interval) : 0,
      "duration / controllers.autoscaler.config."
      "\"kubernetes.operator.reconcile.interval\"" },
    { c->replicas.enabled && c->replicas.interval > 0
      ? floor (d / (double) c->replicas.interval) : 0,
      "duration / controllers.replicas.interval" },
  };
  double total = 0;
  guint top = 0;
  for (guint i = 0; i < G_N_ELEMENTS (src); i++) {
    total += src[i].events;
    if (src[i].events > src[top].events)
      top = i;
  }
  if (total > (double) cfg->max_events)
    return rsim__ctx_fail (ctx, error, "the run needs about %.0f events, "
                           "%.0f of them from %s; at most %" G_GUINT64_FORMAT
                           " are allowed: raise limits.max_events (at most "
                           "%.0f) or lengthen the interval", total,
                           src[top].events, src[top].keys, cfg->max_events,
                           MAX_MAX_EVENTS);
  return TRUE;
}

/* The autoscaler keeps one sample per reconcile loop for a whole metrics
 * window: their ratio is the size of its ring of samples. */
static gboolean
check_autoscaler_window (Loader *ld, GError **error)
{
  const RsimAutoscalerSpec *as = &ld->cfg->controllers.autoscaler;
  if (!as->enabled || as->interval <= 0)
    return TRUE;
  gint64 samples = as->metrics_window / as->interval;
  if (samples <= RSIM_AUTOSCALER_MAX_WINDOW_SAMPLES)
    return TRUE;
  g_autofree char *window = rsim__format_duration ((double) as->metrics_window);
  g_autofree char *interval = rsim__format_duration ((double) as->interval);
  gsize mark = rsim__ctx_push_key (ld->ctx, "controllers");
  rsim__ctx_push_key (ld->ctx, "autoscaler");
  rsim__ctx_push_key (ld->ctx, "config");
  gboolean ok = rsim__ctx_fail (
    ld->ctx, error, "job.autoscaler.metrics.window (%s) / "
    "kubernetes.operator.reconcile.interval (%s) is %" G_GINT64_FORMAT
    " samples per window; at most %d are kept: lengthen the reconcile "
    "interval or shorten the window", window, interval, samples,
    RSIM_AUTOSCALER_MAX_WINDOW_SAMPLES);
  rsim__ctx_pop (ld->ctx, mark);
  return ok;
}

/* ============================================================= failures */

static gboolean
read_mtbf_type (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  return TRUE;                /* read before the fields */
}

static gboolean
read_mtbf_a (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  RsimMtbf *m = t;
  return rsim__read_duration (ctx, v, 0.0, TRUE, &m->a, e);
}

static gboolean
read_mtbf_shape (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  RsimMtbf *m = t;
  return rsim__read_number (ctx, v, 0.0, TRUE, &m->b, e);
}

static gboolean
read_mtbf_sigma (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  RsimMtbf *m = t;
  return rsim__read_number (ctx, v, 0.0, FALSE, &m->b, e);
}

/* A distribution of durations: as read_taskmanager_mtbf, plus
 * {type: constant, value}; a plain duration is `plain_kind` with that
 * value. */
static gboolean
read_distribution (RsimLoadCtx *ctx, const cJSON *v, RsimMtbfKind plain_kind,
                   RsimMtbf *out, GError **e)
{
  static const RsimField constant[] = {
    { "type", TRUE, read_mtbf_type }, { "value", TRUE, read_mtbf_a },
  };
  static const RsimField exponential[] = {
    { "type", TRUE, read_mtbf_type }, { "mean", TRUE, read_mtbf_a },
  };
  static const RsimField weibull[] = {
    { "type", TRUE, read_mtbf_type }, { "scale", TRUE, read_mtbf_a },
    { "shape", TRUE, read_mtbf_shape },
  };
  static const RsimField lognormal[] = {
    { "type", TRUE, read_mtbf_type }, { "median", TRUE, read_mtbf_a },
    { "sigma", TRUE, read_mtbf_sigma },
  };
  static const char *const kinds[] = { "constant", "exponential", "weibull",
                                       "lognormal" };
  static const struct { const RsimField *fields; guint n; RsimMtbfKind kind; }
  per_kind[] = {
    { constant, G_N_ELEMENTS (constant), RSIM_MTBF_CONSTANT },
    { exponential, G_N_ELEMENTS (exponential), RSIM_MTBF_EXPONENTIAL },
    { weibull, G_N_ELEMENTS (weibull), RSIM_MTBF_WEIBULL },
    { lognormal, G_N_ELEMENTS (lognormal), RSIM_MTBF_LOGNORMAL },
  };
  RsimMtbf m = { plain_kind, 0.0, 0.0 };
  if (!cJSON_IsObject (v)) {
    if (!rsim__read_duration (ctx, v, 0.0, TRUE, &m.a, e))
      return FALSE;
    *out = m;
    return TRUE;
  }
  gsize mark = rsim__ctx_push_key (ctx, "type");
  int kind;
  if (!rsim__read_enum (ctx, rsim__json_get (v, "type"), kinds,
                        G_N_ELEMENTS (kinds), &kind, e))
    return FALSE;
  rsim__ctx_pop (ctx, mark);
  m.kind = per_kind[kind].kind;
  if (!rsim__read_fields (ctx, v, per_kind[kind].fields, per_kind[kind].n, &m,
                          NULL, e))
    return FALSE;
  *out = m;
  return TRUE;
}

static gboolean
read_pause_interval (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  RsimFailureSpec *f = t;
  return read_distribution (ctx, v, RSIM_MTBF_EXPONENTIAL, &f->pause_interval,
                            e);
}

static gboolean
read_pause_duration (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  RsimFailureSpec *f = t;
  return read_distribution (ctx, v, RSIM_MTBF_CONSTANT, &f->pause_duration, e);
}

/* A duration (the mean of an exponential distribution) or {type: constant
 * (value) | exponential (mean) | weibull (scale, shape) | lognormal (median,
 * sigma)}. */
static gboolean
read_taskmanager_mtbf (RsimLoadCtx *ctx, const cJSON *v, gpointer t,
                       GError **e)
{
  RsimFailureSpec *f = t;
  return read_distribution (ctx, v, RSIM_MTBF_EXPONENTIAL,
                            &f->taskmanager_mtbf, e);
}

static gboolean
read_checkpoint_failure_probability (RsimLoadCtx *ctx, const cJSON *v,
                                     gpointer t, GError **e)
{
  RsimFailureSpec *f = t;
  if (!cJSON_IsNumber (v) || !isfinite (v->valuedouble)
      || v->valuedouble < 0.0 || v->valuedouble > 1.0)
    return rsim__ctx_expected (ctx, e, v, "a probability from 0 to 1");
  f->checkpoint_failure_probability = v->valuedouble;
  return TRUE;
}

static gboolean
load_failures (Loader *ld, const cJSON *v, GError **error)
{
  static const RsimField fields[] = {
    { "taskmanager_mtbf", FALSE, read_taskmanager_mtbf },
    { "checkpoint_failure_probability", FALSE,
      read_checkpoint_failure_probability },
    { "pause_interval", FALSE, read_pause_interval },
    { "pause_duration", FALSE, read_pause_duration },
  };
  RsimFailureSpec *f = &ld->cfg->failures;
  if (!rsim__read_fields (ld->ctx, v, fields, G_N_ELEMENTS (fields), f, NULL,
                          error))
    return FALSE;
  gboolean has_i = f->pause_interval.kind != RSIM_MTBF_NONE;
  gboolean has_d = f->pause_duration.kind != RSIM_MTBF_NONE;
  if (has_i != has_d) {
    gsize mark = rsim__ctx_push_key (ld->ctx, has_i ? "pause_interval"
                                                     : "pause_duration");
    gboolean ok = rsim__ctx_fail (ld->ctx, error, "expected \"%s\" with it: "
                                  "pauses need both how often and how long",
                                  has_i ? "pause_duration" : "pause_interval");
    rsim__ctx_pop (ld->ctx, mark);
    return ok;
  }
  return TRUE;
}

/* ========================================================== controllers */

/* What rescales the job from outside Flink (include/rescalesim/
 * controllers.h). Each sub-block present turns its controller on; every
 * setting not given keeps the sentinel of rsim_controllers_spec_init(), and
 * rsim_controllers_spec_resolve() (after reading) puts the defaults in and
 * checks the settings against each other. */

/* A duration from 0 to a year: enough for any operator setting, and small
 * enough that the controllers can add it to the clock without overflow. */
#define MAX_CONTROLLER_DURATION ((double) MAX_DURATION)

#define AUTOSCALER_KEY(name, type, min, max, excl, field)              \
  { name, RSIM_AUTOSCALER_KEY_##type, min, max, excl,                  \
    G_STRUCT_OFFSET (RsimAutoscalerSpec, field) }

/* Names and bounds as in the operator's option classes (AutoScalerOptions,
 * KubernetesOperatorConfigOptions); defaults per operator release in
 * sim/control/controllers-spec.c. */
const RsimAutoscalerKey rsim__autoscaler_keys[] = {
  AUTOSCALER_KEY ("kubernetes.operator.reconcile.interval", DURATION, 0,
                  MAX_CONTROLLER_DURATION, TRUE, interval),
  AUTOSCALER_KEY ("job.autoscaler.stabilization.interval", DURATION, 0,
                  MAX_CONTROLLER_DURATION, FALSE, stabilization),
  AUTOSCALER_KEY ("job.autoscaler.metrics.window", DURATION, 0,
                  MAX_CONTROLLER_DURATION, TRUE, metrics_window),
  AUTOSCALER_KEY ("job.autoscaler.utilization.target", NUMBER, 0, 1, TRUE,
                  target_utilization),
  AUTOSCALER_KEY ("job.autoscaler.target.utilization.boundary", NUMBER, 0,
                  G_MAXDOUBLE, FALSE, utilization_boundary),
  AUTOSCALER_KEY ("job.autoscaler.utilization.min", NUMBER, 0, 1, FALSE,
                  utilization_min),
  AUTOSCALER_KEY ("job.autoscaler.utilization.max", NUMBER, 0, 1, TRUE,
                  utilization_max),
  AUTOSCALER_KEY ("job.autoscaler.catch-up.duration", DURATION, 0,
                  MAX_CONTROLLER_DURATION, TRUE, catch_up),
  AUTOSCALER_KEY ("job.autoscaler.restart.time", DURATION, 0,
                  MAX_CONTROLLER_DURATION, FALSE, restart_time),
  AUTOSCALER_KEY ("job.autoscaler.backlog-processing.lag-threshold", DURATION,
                  0, MAX_CONTROLLER_DURATION, FALSE, backlog_threshold),
  AUTOSCALER_KEY ("job.autoscaler.scale-up.max-factor", NUMBER, 0,
                  G_MAXDOUBLE, TRUE, scale_up_max_factor),
  AUTOSCALER_KEY ("job.autoscaler.scale-down.max-factor", NUMBER, 0, 1, FALSE,
                  scale_down_max_factor),
  AUTOSCALER_KEY ("job.autoscaler.vertex.min-parallelism", INT, 1, G_MAXINT,
                  FALSE, vertex_min_parallelism),
  AUTOSCALER_KEY ("job.autoscaler.vertex.max-parallelism", INT, 1, G_MAXINT,
                  FALSE, vertex_max_parallelism),
  AUTOSCALER_KEY ("job.autoscaler.scale-down.interval", DURATION, 0,
                  MAX_CONTROLLER_DURATION, FALSE, scale_down_interval),
  AUTOSCALER_KEY ("job.autoscaler.scale-up.grace-period", DURATION, 0,
                  MAX_CONTROLLER_DURATION, FALSE, scale_up_grace_period),
  AUTOSCALER_KEY ("kubernetes.operator.job.upgrade.inplace-scaling.enabled",
                  BOOL, 0, 1, FALSE, inplace_scaling),
};
const guint rsim__n_autoscaler_keys = G_N_ELEMENTS (rsim__autoscaler_keys);

#undef AUTOSCALER_KEY

/* "a number greater than 0 and at most 1", "a number of at least 0", ... */
static char *
number_bounds_text (const RsimAutoscalerKey *k)
{
  g_autofree char *min = rsim__format_double (k->min);
  if (k->max == G_MAXDOUBLE)
    return g_strdup_printf ("a number %s %s", k->min_exclusive
                            ? "greater than" : "of at least", min);
  g_autofree char *max = rsim__format_double (k->max);
  if (k->min_exclusive)
    return g_strdup_printf ("a number greater than %s and at most %s", min,
                            max);
  return g_strdup_printf ("a number from %s to %s", min, max);
}

/* One value of controllers.autoscaler.config, in Flink's syntax as in
 * flink.config: the operator reads every option from text, so "0.7" is as
 * good as 0.7; a duration is TimeUtils' syntax or integer milliseconds. */
static gboolean
read_autoscaler_value (RsimLoadCtx *ctx, const RsimAutoscalerKey *k,
                       const cJSON *v, RsimAutoscalerSpec *spec, GError **e)
{
  switch (k->type) {
  case RSIM_AUTOSCALER_KEY_DURATION: {
    RsimTime us = -1;
    gboolean ok = FALSE;
    if (cJSON_IsNumber (v)) {
      ok = v->valuedouble == floor (v->valuedouble) && v->valuedouble >= 0
        && v->valuedouble < 9e12;
      us = ok ? (RsimTime) v->valuedouble * RSIM_MSEC : -1;
    } else if (cJSON_IsString (v)) {
      if (rsim__flink_duration_below_clock (v->valuestring))
        return rsim__ctx_expected (ctx, e, v, "%sa duration of at least 1 us "
                                   "(the simulator's clock resolution)",
                                   k->min_exclusive ? "" : "0 or ");
      ok = rsim__parse_flink_duration (v->valuestring, &us);
    }
    if (!ok)
      return rsim__ctx_expected (ctx, e, v, "a duration such as \"60 s\", "
                                 "\"15 min\" or an integer number of "
                                 "milliseconds (units: d, h, min, s, ms, us, "
                                 "ns)");
    if (us > k->max) {
      g_autofree char *max = rsim__format_duration (k->max);
      return rsim__ctx_expected (ctx, e, v, "a duration of at most %s", max);
    }
    if (us < k->min || (k->min_exclusive && us <= k->min)) {
      g_autofree char *min = rsim__format_duration (k->min);
      return rsim__ctx_expected (ctx, e, v, "a duration %s %s",
                                 k->min_exclusive ? "greater than"
                                                  : "of at least", min);
    }
    G_STRUCT_MEMBER (RsimTime, spec, k->offset) = us;
    return TRUE;
  }
  case RSIM_AUTOSCALER_KEY_NUMBER: {
    double d = NAN;
    if (cJSON_IsNumber (v)) {
      d = v->valuedouble;
    } else if (cJSON_IsString (v) && *v->valuestring != '\0'
               && !g_ascii_isspace (*v->valuestring)) {
      char *end = NULL;
      d = g_ascii_strtod (v->valuestring, &end);
      if (*end != '\0')
        d = NAN;
    }
    if (!isfinite (d) || d < k->min || (k->min_exclusive && d <= k->min)
        || d > k->max) {
      g_autofree char *what = number_bounds_text (k);
      return rsim__ctx_expected (ctx, e, v, "%s", what);
    }
    G_STRUCT_MEMBER (double, spec, k->offset) = d;
    return TRUE;
  }
  case RSIM_AUTOSCALER_KEY_INT: {
    gint64 i = 0;
    gboolean ok = FALSE;
    if (cJSON_IsNumber (v)) {
      ok = v->valuedouble == floor (v->valuedouble)
        && fabs (v->valuedouble) < 1e15;
      i = ok ? (gint64) v->valuedouble : 0;
    } else if (cJSON_IsString (v)) {
      ok = g_ascii_string_to_signed (v->valuestring, 10, G_MININT64,
                                     G_MAXINT64, &i, NULL);
    }
    if (!ok || i < k->min || i > k->max) {
      g_autofree char *what = k->max == G_MAXINT && k->min == 1
        ? g_strdup ("a positive integer")
        : g_strdup_printf ("an integer from %.0f to %.0f", k->min, k->max);
      return rsim__ctx_expected (ctx, e, v, "%s", what);
    }
    G_STRUCT_MEMBER (int, spec, k->offset) = (int) i;
    return TRUE;
  }
  case RSIM_AUTOSCALER_KEY_BOOL:
    /* Booleans are read from text too, case-insensitively. */
    if (cJSON_IsBool (v)) {
      G_STRUCT_MEMBER (int, spec, k->offset) = cJSON_IsTrue (v) ? 1 : 0;
      return TRUE;
    }
    if (cJSON_IsString (v) && (g_ascii_strcasecmp (v->valuestring, "true") == 0
                               || g_ascii_strcasecmp (v->valuestring,
                                                      "false") == 0)) {
      G_STRUCT_MEMBER (int, spec, k->offset) =
        g_ascii_strcasecmp (v->valuestring, "true") == 0;
      return TRUE;
    }
    return rsim__ctx_expected (ctx, e, v, "true or false");
  }
  g_return_val_if_reached (FALSE);
}

static gboolean
read_autoscaler_config (RsimLoadCtx *ctx, const cJSON *v, gpointer t,
                        GError **e)
{
  RsimAutoscalerSpec *spec = t;
  if (!cJSON_IsObject (v))
    return rsim__ctx_expected (ctx, e, v, "an object of Kubernetes operator "
                               "and autoscaler keys");
  for (const cJSON *c = v->child; c; c = c->next) {
    /* The operator's older spellings and its own switch are accepted, so
     * its documented examples can be pasted as they are. */
    gboolean renamed = FALSE;
    g_autofree char *name = rsim__autoscaler_key_canonical (c->string, &renamed);
    const RsimAutoscalerKey *k = NULL;
    for (guint i = 0; i < rsim__n_autoscaler_keys && k == NULL; i++)
      if (strcmp (rsim__autoscaler_keys[i].name, name) == 0)
        k = &rsim__autoscaler_keys[i];
    gsize mark = rsim__ctx_push_quoted_key (ctx, c->string);
    if (k == NULL && strcmp (name, "job.autoscaler.enabled") == 0) {
      gboolean on = cJSON_IsTrue (c) || (cJSON_IsString (c)
                                         && g_ascii_strcasecmp (c->valuestring, "true") == 0);
      if (!on)
        return rsim__ctx_expected (ctx, e, c, "true (with false the operator "
                                   "only collects metrics: leave out "
                                   "controllers.autoscaler to simulate that)");
      rsim__ctx_pop (ctx, mark);
      continue;
    }
    if (k == NULL && rsim__operator_key_unmodelled (name)) {
      rsim__ctx_warn (ctx, "an operator autoscaler key rescalesim does not "
                      "model; ignored");
      rsim__ctx_pop (ctx, mark);
      continue;
    }
    if (k == NULL) {
      rsim__ctx_pop (ctx, mark);
      g_autofree const char **names = g_new (const char *,
                                             rsim__n_autoscaler_keys);
      for (guint i = 0; i < rsim__n_autoscaler_keys; i++)
        names[i] = rsim__autoscaler_keys[i].name;
      return unknown_key (ctx, e, c->string, names, rsim__n_autoscaler_keys);
    }
    if (renamed)
      rsim__ctx_warn (ctx, "an older spelling of \"%s\"", name);
    if (!read_autoscaler_value (ctx, k, c, spec, e))
      return FALSE;
    rsim__ctx_pop (ctx, mark);
  }
  return TRUE;
}

/* "1.4" .. "1.13" (a patch release is accepted and does not matter). */
static gboolean
read_operator_version (RsimLoadCtx *ctx, const cJSON *v, gpointer t,
                       GError **e)
{
  RsimAutoscalerSpec *spec = t;
  RsimFlinkVersion ver;
  if (!cJSON_IsString (v) || !rsim_version_parse (v->valuestring, &ver)
      || ver.major != 1 || ver.minor < RSIM_OPERATOR_MIN_MINOR
      || ver.minor > RSIM_OPERATOR_MAX_MINOR)
    return rsim__ctx_expected (ctx, e, v, "a Kubernetes operator version from "
                               "1.%d to 1.%d such as \"1.%d\"",
                               RSIM_OPERATOR_MIN_MINOR,
                               RSIM_OPERATOR_MAX_MINOR,
                               RSIM_OPERATOR_DEFAULT_MINOR);
  spec->operator_minor = ver.minor;
  return TRUE;
}

static gboolean
read_upgrade_mode (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_UPGRADE_MODE_LIST (RSIM_X)
#undef RSIM_X
  };
  RsimAutoscalerSpec *spec = t;
  int mode;
  if (!rsim__read_enum (ctx, v, names, G_N_ELEMENTS (names), &mode, e))
    return FALSE;
  spec->upgrade_mode = mode;
  return TRUE;
}

static gboolean
read_source_partitions (RsimLoadCtx *ctx, const cJSON *v, gpointer t,
                        GError **e)
{
  RsimAutoscalerSpec *spec = t;
  return rsim__read_int (ctx, v, 0, G_MAXINT, &spec->source_partitions, e);
}

static gboolean
read_autoscaler (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  static const RsimField fields[] = {
    { "operator_version", FALSE, read_operator_version },
    { "upgrade_mode", FALSE, read_upgrade_mode },
    { "source_partitions", FALSE, read_source_partitions },
    { "config", FALSE, read_autoscaler_config },
  };
  RsimAutoscalerSpec *spec = &((RsimControllersSpec *) t)->autoscaler;
  spec->enabled = TRUE;
  return rsim__read_fields (ctx, v, fields, G_N_ELEMENTS (fields), spec, NULL,
                            e);
}

static gboolean
read_replica_metric (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_REPLICA_METRIC_LIST (RSIM_X)
#undef RSIM_X
  };
  RsimReplicaSpec *r = t;
  int metric;
  if (!rsim__read_enum (ctx, v, names, G_N_ELEMENTS (names), &metric, e))
    return FALSE;
  r->metric = metric;
  return TRUE;
}

/* Thresholds are in the metric's unit (records, 0..1, records/s per
 * TaskManager, seconds): never negative. */
static gboolean
read_replica_scale_up_above (RsimLoadCtx *ctx, const cJSON *v, gpointer t,
                             GError **e)
{
  RsimReplicaSpec *r = t;
  return rsim__read_number (ctx, v, 0.0, FALSE, &r->scale_up_above, e);
}

static gboolean
read_replica_scale_down_below (RsimLoadCtx *ctx, const cJSON *v, gpointer t,
                               GError **e)
{
  RsimReplicaSpec *r = t;
  return rsim__read_number (ctx, v, 0.0, FALSE, &r->scale_down_below, e);
}

static gboolean
read_replica_interval (RsimLoadCtx *ctx, const cJSON *v, gpointer t,
                       GError **e)
{
  RsimReplicaSpec *r = t;
  return rsim__read_time (ctx, v, 0, TRUE, &r->interval, e);
}

static gboolean
read_replica_up_stabilization (RsimLoadCtx *ctx, const cJSON *v, gpointer t,
                               GError **e)
{
  RsimReplicaSpec *r = t;
  return rsim__read_time (ctx, v, 0, FALSE, &r->scale_up_stabilization, e);
}

static gboolean
read_replica_down_stabilization (RsimLoadCtx *ctx, const cJSON *v, gpointer t,
                                 GError **e)
{
  RsimReplicaSpec *r = t;
  return rsim__read_time (ctx, v, 0, FALSE, &r->scale_down_stabilization, e);
}

static gboolean
read_replica_min (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  RsimReplicaSpec *r = t;
  return rsim__read_int (ctx, v, 1, MAX_TASKMANAGERS, &r->min_taskmanagers, e);
}

static gboolean
read_replica_max (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  RsimReplicaSpec *r = t;
  return rsim__read_int (ctx, v, 1, MAX_TASKMANAGERS, &r->max_taskmanagers, e);
}

static gboolean
read_replica_step (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  RsimReplicaSpec *r = t;
  return rsim__read_int (ctx, v, 1, MAX_TASKMANAGERS, &r->step, e);
}

static gboolean
read_replica_remove (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_REPLICA_REMOVAL_LIST (RSIM_X)
#undef RSIM_X
  };
  RsimReplicaSpec *r = t;
  int removal;
  if (!rsim__read_enum (ctx, v, names, G_N_ELEMENTS (names), &removal, e))
    return FALSE;
  r->removal = removal;
  return TRUE;
}

static gboolean
read_replicas (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  static const RsimField fields[] = {
    { "metric", TRUE, read_replica_metric },
    { "scale_up_above", TRUE, read_replica_scale_up_above },
    { "scale_down_below", TRUE, read_replica_scale_down_below },
    { "interval", FALSE, read_replica_interval },
    { "scale_up_stabilization", FALSE, read_replica_up_stabilization },
    { "scale_down_stabilization", FALSE, read_replica_down_stabilization },
    { "min_taskmanagers", FALSE, read_replica_min },
    { "max_taskmanagers", FALSE, read_replica_max },
    { "step", FALSE, read_replica_step },
    { "remove", FALSE, read_replica_remove },
  };
  RsimReplicaSpec *r = &((RsimControllersSpec *) t)->replicas;
  r->enabled = TRUE;
  return rsim__read_fields (ctx, v, fields, G_N_ELEMENTS (fields), r, NULL, e);
}

/* --------------------------------------------------------------- hpa */

static gboolean
read_hpa_metric (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_HPA_METRIC_LIST (RSIM_X)
#undef RSIM_X
  };
  RsimHpaSpec *h = t;
  int metric;
  if (!rsim__read_enum (ctx, v, names, G_N_ELEMENTS (names), &metric, e))
    return FALSE;
  h->metric = metric;
  return TRUE;
}

static gboolean
read_hpa_target (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  return rsim__read_number (ctx, v, 0.0, TRUE, &((RsimHpaSpec *) t)->target, e);
}

static gboolean
read_hpa_tolerance (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  RsimHpaSpec *h = t;
  if (!rsim__read_number (ctx, v, 0.0, FALSE, &h->tolerance, e))
    return FALSE;
  if (h->tolerance >= 1.0)
    return rsim__ctx_expected (ctx, e, v, "a tolerance below 1");
  return TRUE;
}

static gboolean
read_hpa_sync (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  return rsim__read_time (ctx, v, 0, TRUE, &((RsimHpaSpec *) t)->sync_period, e);
}

static gboolean
read_hpa_readiness (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  return rsim__read_time (ctx, v, 0, FALSE,
                          &((RsimHpaSpec *) t)->readiness_delay, e);
}

static gboolean
read_hpa_min (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  return rsim__read_int (ctx, v, 1, MAX_TASKMANAGERS,
                         &((RsimHpaSpec *) t)->min_replicas, e);
}

static gboolean
read_hpa_max (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  return rsim__read_int (ctx, v, 1, MAX_TASKMANAGERS,
                         &((RsimHpaSpec *) t)->max_replicas, e);
}

static gboolean
read_hpa_remove (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  static const char *const names[] = { "stop", "kill" };
  int which;
  if (!rsim__read_enum (ctx, v, names, G_N_ELEMENTS (names), &which, e))
    return FALSE;
  ((RsimHpaSpec *) t)->remove_kill = which == 1;
  return TRUE;
}

static gboolean
read_hpa_policy_type (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  static const char *const names[] = { "Pods", "Percent" };
  int which;
  if (!rsim__read_enum (ctx, v, names, G_N_ELEMENTS (names), &which, e))
    return FALSE;
  ((RsimHpaPolicy *) t)->type = which == 0 ? RSIM_HPA_POLICY_PODS
                                           : RSIM_HPA_POLICY_PERCENT;
  return TRUE;
}

static gboolean
read_hpa_policy_value (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  return rsim__read_int (ctx, v, 1, MAX_COUNT, &((RsimHpaPolicy *) t)->value, e);
}

static gboolean
read_hpa_policy_period (RsimLoadCtx *ctx, const cJSON *v, gpointer t,
                        GError **e)
{
  return rsim__read_time (ctx, v, 0, TRUE, &((RsimHpaPolicy *) t)->period, e);
}

static gboolean
read_hpa_policies (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  static const RsimField fields[] = {
    { "type", TRUE, read_hpa_policy_type },
    { "value", TRUE, read_hpa_policy_value },
    { "period", TRUE, read_hpa_policy_period },
  };
  RsimHpaRules *r = t;
  if (!cJSON_IsArray (v))
    return rsim__ctx_expected (ctx, e, v, "an array of policies");
  int n = cJSON_GetArraySize (v);
  if (n > RSIM_HPA_MAX_POLICIES)
    return rsim__ctx_fail (ctx, e, "expected at most %d policies, got %d",
                           RSIM_HPA_MAX_POLICIES, n);
  r->n_policies = 0;
  const cJSON *item;
  cJSON_ArrayForEach (item, v) {
    gsize mark = rsim__ctx_push_index (ctx, r->n_policies);
    RsimHpaPolicy *p = &r->policies[r->n_policies];
    gboolean ok = rsim__read_fields (ctx, item, fields, G_N_ELEMENTS (fields),
                                     p, NULL, e);
    rsim__ctx_pop (ctx, mark);
    if (!ok)
      return FALSE;
    r->n_policies++;
  }
  return TRUE;
}

static gboolean
read_hpa_select (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  static const char *const names[] = { "Max", "Min", "Disabled" };
  int which;
  if (!rsim__read_enum (ctx, v, names, G_N_ELEMENTS (names), &which, e))
    return FALSE;
  ((RsimHpaRules *) t)->select = (RsimHpaSelect) which;
  return TRUE;
}

static gboolean
read_hpa_window (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  return rsim__read_time (ctx, v, 0, FALSE,
                          &((RsimHpaRules *) t)->stabilization, e);
}

static gboolean
read_hpa_rules (RsimLoadCtx *ctx, const cJSON *v, RsimHpaRules *r, GError **e)
{
  static const RsimField fields[] = {
    { "stabilization_window", FALSE, read_hpa_window },
    { "select_policy", FALSE, read_hpa_select },
    { "policies", FALSE, read_hpa_policies },
  };
  return rsim__read_fields (ctx, v, fields, G_N_ELEMENTS (fields), r, NULL, e);
}

static gboolean
read_hpa_up (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  return read_hpa_rules (ctx, v, &((RsimHpaSpec *) t)->scale_up, e);
}

static gboolean
read_hpa_down (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  return read_hpa_rules (ctx, v, &((RsimHpaSpec *) t)->scale_down, e);
}

static gboolean
read_hpa_behavior (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  static const RsimField fields[] = {
    { "scale_up", FALSE, read_hpa_up },
    { "scale_down", FALSE, read_hpa_down },
  };
  return rsim__read_fields (ctx, v, fields, G_N_ELEMENTS (fields), t, NULL, e);
}

static gboolean
read_hpa_cpu_request (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  return rsim__read_number (ctx, v, 0.0, TRUE, &((RsimHpaSpec *) t)->cpu_request,
                            e);
}

static gboolean
read_hpa_cpu_background (RsimLoadCtx *ctx, const cJSON *v, gpointer t,
                         GError **e)
{
  return rsim__read_number (ctx, v, 0.0, FALSE,
                            &((RsimHpaSpec *) t)->cpu_background, e);
}

static gboolean
read_hpa_cpu_busy (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  return rsim__read_number (ctx, v, 0.0, FALSE,
                            &((RsimHpaSpec *) t)->cpu_per_busy_slot, e);
}

static gboolean
read_hpa_cpu (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  static const RsimField fields[] = {
    { "request", FALSE, read_hpa_cpu_request },
    { "background", FALSE, read_hpa_cpu_background },
    { "per_busy_slot", FALSE, read_hpa_cpu_busy },
  };
  return rsim__read_fields (ctx, v, fields, G_N_ELEMENTS (fields), t, NULL, e);
}

static gboolean
read_hpa (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  static const RsimField fields[] = {
    { "metric", FALSE, read_hpa_metric },
    { "target", TRUE, read_hpa_target },
    { "tolerance", FALSE, read_hpa_tolerance },
    { "sync_period", FALSE, read_hpa_sync },
    { "readiness_delay", FALSE, read_hpa_readiness },
    { "min_replicas", FALSE, read_hpa_min },
    { "max_replicas", TRUE, read_hpa_max },
    { "remove", FALSE, read_hpa_remove },
    { "behavior", FALSE, read_hpa_behavior },
    { "cpu", FALSE, read_hpa_cpu },
  };
  RsimHpaSpec *h = &((RsimControllersSpec *) t)->hpa;
  h->enabled = TRUE;
  return rsim__read_fields (ctx, v, fields, G_N_ELEMENTS (fields), h, NULL, e);
}

static gboolean
read_vvp_upgrade (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_VVP_UPGRADE_LIST (RSIM_X)
#undef RSIM_X
  };
  RsimVervericaSpec *vvp = t;
  int upgrade;
  if (!rsim__read_enum (ctx, v, names, G_N_ELEMENTS (names), &upgrade, e))
    return FALSE;
  vvp->upgrade = upgrade;
  return TRUE;
}

static gboolean
read_vvp_restore (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_VVP_RESTORE_LIST (RSIM_X)
#undef RSIM_X
  };
  RsimVervericaSpec *vvp = t;
  int restore;
  if (!rsim__read_enum (ctx, v, names, G_N_ELEMENTS (names), &restore, e))
    return FALSE;
  vvp->restore = restore;
  return TRUE;
}

static gboolean
read_vvp_savepoint_retries (RsimLoadCtx *ctx, const cJSON *v, gpointer t,
                            GError **e)
{
  RsimVervericaSpec *vvp = t;
  return rsim__read_int (ctx, v, 0, MAX_COUNT, &vvp->savepoint_retries, e);
}

static gboolean
read_ververica (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  static const RsimField fields[] = {
    { "upgrade_strategy", FALSE, read_vvp_upgrade },
    { "restore_strategy", FALSE, read_vvp_restore },
    { "savepoint_retries", FALSE, read_vvp_savepoint_retries },
  };
  RsimVervericaSpec *vvp = &((RsimControllersSpec *) t)->ververica;
  vvp->enabled = TRUE;
  return rsim__read_fields (ctx, v, fields, G_N_ELEMENTS (fields), vvp, NULL,
                            e);
}

static gboolean
load_controllers (Loader *ld, const cJSON *v, GError **error)
{
  static const RsimField fields[] = {
    { "autoscaler", FALSE, read_autoscaler },
    { "replicas", FALSE, read_replicas },
    { "hpa", FALSE, read_hpa },
    { "ververica", FALSE, read_ververica },
  };
  return rsim__read_fields (ld->ctx, v, fields, G_N_ELEMENTS (fields),
                            &ld->cfg->controllers, NULL, error);
}

/* ================================================================ flink */

typedef struct {
  Loader *ld;
  const cJSON *config;
  const cJSON *config_file;
} FlinkTmp;

static gboolean
read_flink_version (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  FlinkTmp *ft = t;
  RsimFlinkVersion ver;
  if (!cJSON_IsString (v) || !rsim_version_parse (v->valuestring, &ver)
      || !rsim_version_supported (ver))
    return rsim__ctx_expected (ctx, e, v, "a released Flink version from "
                               "1.5 to 2.3 (1.5 ... 1.20, 2.0 ... 2.3) such as "
                               "\"1.20\" or \"2.2.1\"");
  ft->ld->cfg->version = ver;
  ctx->version = ver;
  return TRUE;
}

static gboolean
keep_flink_config (RsimLoadCtx *ctx, const cJSON *v, gpointer t, GError **e)
{
  ((FlinkTmp *) t)->config = v;
  return TRUE;
}

static gboolean
keep_flink_config_file (RsimLoadCtx *ctx, const cJSON *v, gpointer t,
                        GError **e)
{
  if (!cJSON_IsString (v) || *v->valuestring == '\0')
    return rsim__ctx_expected (ctx, e, v, "the path of a Flink config.yaml "
                               "or flink-conf.yaml, relative to the scenario");
  ((FlinkTmp *) t)->config_file = v;
  return TRUE;
}

/* Reads the Flink configuration file (path relative to the scenario's
 * directory unless absolute; display = as written) into *out. Which format
 * the version reads is a warning, not an error: the keys mean the same. */
static gboolean
read_conf_file (Loader *ld, const char *path, gboolean relative,
                RsimConfFile **out, GError **error)
{
  RsimLoadCtx *ctx = ld->ctx;
  g_autofree char *full = relative && !g_path_is_absolute (path)
    ? g_build_filename (ctx->base_dir, path, NULL) : g_strdup (path);
  g_autoptr (GError) local = NULL;
  /* Messages name the file as it can be opened from here (the report's
   * config_sources keep the name as written). */
  *out = rsim__conf_file_read (full, full, &local);
  if (*out == NULL) {
    if (g_error_matches (local, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_IO))
      return rsim__ctx_fail (ctx, error, "%s", local->message);
    g_propagate_error (error, g_steal_pointer (&local));
    return FALSE;
  }
  /* GlobalConfiguration: config.yaml from 1.19, flink-conf.yaml up to 1.20. */
  g_autofree char *ver = rsim_version_to_string (ld->cfg->version);
  RsimRules rules = rsim_rules_resolve (ld->cfg->version);
  if ((*out)->legacy && rsim_rules_has (&rules, RSIM_RULE_LEGACY_FLINK_CONF_DROPPED))
    rsim__ctx_warn (ctx, "%s: Flink %s reads only config.yaml (flink-conf.yaml "
                    "was dropped in 2.0); read anyway", path, ver);
  else if (!(*out)->legacy
           && !rsim_rules_has (&rules, RSIM_RULE_STANDARD_YAML_CONFIG))
    rsim__ctx_warn (ctx, "%s: Flink %s reads only flink-conf.yaml (config.yaml "
                    "came in 1.19); read anyway", path, ver);
  return TRUE;
}

/* Keeps where each key came from for the resolved configuration. */
static void
keep_sources (Loader *ld, const cJSON *merged, const GArray *origins,
              const char *file)
{
  RsimScenario *sc = ld->sc;
  sc->flink_config_file = g_strdup (file);
  sc->flink_sources = g_ptr_array_new_with_free_func (g_free);
  guint i = 0;
  for (const cJSON *c = merged->child; c; c = c->next, i++) {
    const RsimConfOrigin *o = &g_array_index (origins, RsimConfOrigin, i);
    g_ptr_array_add (sc->flink_sources, g_strdup (c->string));
    g_ptr_array_add (sc->flink_sources, o->file != NULL
                     ? g_strdup_printf ("%s:%u", file, o->line)
                     : g_strdup ("scenario"));
  }
}

static gboolean
load_flink (Loader *ld, const cJSON *v, GError **error)
{
  static const RsimField fields[] = {
    { "version", TRUE, read_flink_version },
    { "config", FALSE, keep_flink_config },
    { "config_file", FALSE, keep_flink_config_file },
  };
  FlinkTmp ft = { ld, NULL, NULL };
  if (!rsim__read_fields (ld->ctx, v, fields, G_N_ELEMENTS (fields), &ft, NULL,
                          error))
    return FALSE;
  /* The file: --flink-conf wins over flink.config_file. */
  g_autoptr (RsimConfFile) file = NULL;
  const char *file_name = NULL;
  if (ld->conf_file != NULL) {
    file_name = ld->conf_file;
    if (!read_conf_file (ld, ld->conf_file, FALSE, &file, error))
      return FALSE;
  } else if (ft.config_file != NULL) {
    file_name = ft.config_file->valuestring;
    gsize mark = rsim__ctx_push_key (ld->ctx, "config_file");
    if (!read_conf_file (ld, file_name, TRUE, &file, error))
      return FALSE;
    rsim__ctx_pop (ld->ctx, mark);
  }
  gsize mark = rsim__ctx_push_key (ld->ctx, "config");
  if (ft.config != NULL && !cJSON_IsObject (ft.config))
    return rsim__ctx_expected (ld->ctx, error, ft.config,
                               "an object of Flink configuration keys");
  GArray *origins = NULL;
  cJSON *merged = rsim__conf_merge (file, ft.config, &origins);
  gboolean ok = rsim__flink_config_load_merged (ld->ctx, merged, origins,
                                                &ld->cfg->flink,
                                                &ld->conf_scheduler, error);
  if (ok && file != NULL)
    keep_sources (ld, merged, origins, file_name);
  /* The Kubernetes operator reads its autoscaler's keys from the same
   * flinkConfiguration: keep them for controllers.autoscaler. */
  for (const cJSON *c = ok ? merged->child : NULL; c; c = c->next) {
    if (!g_str_has_prefix (c->string, "job.autoscaler.")
        && !g_str_has_prefix (c->string, "kubernetes.operator."))
      continue;
    if (ld->operator_conf == NULL)
      ld->operator_conf = cJSON_CreateObject ();
    cJSON_AddItemToObject (ld->operator_conf, c->string,
                           cJSON_Duplicate (c, TRUE));
  }
  ld->flink_merged = merged;
  ld->flink_origins = origins;
  if (!ok)
    return FALSE;
  rsim__ctx_pop (ld->ctx, mark);
  return TRUE;
}

/* The operator's keys found in flink.config (or its file): with
 * job.autoscaler.enabled true they switch the autoscaler on as the
 * operator would; keys controllers.autoscaler.config also sets are taken
 * from there. Without it (and without a controllers.autoscaler block) they
 * have no effect, as on a cluster whose operator does not autoscale. */
static gboolean
apply_operator_keys (Loader *ld, const cJSON *root, GError **error)
{
  RsimLoadCtx *ctx = ld->ctx;
  RsimAutoscalerSpec *spec = &ld->cfg->controllers.autoscaler;
  const cJSON *on = rsim__json_get (ld->operator_conf, "job.autoscaler.enabled");
  if (on == NULL)
    on = rsim__json_get (ld->operator_conf,
                         "kubernetes.operator.job.autoscaler.enabled");
  gboolean enabled = cJSON_IsTrue (on)
    || (cJSON_IsString (on) && g_ascii_strcasecmp (on->valuestring, "true") == 0);
  gsize mark = rsim__ctx_push_key (ctx, "flink");
  rsim__ctx_push_key (ctx, "config");
  if (!spec->enabled && !enabled) {
    rsim__ctx_warn (ctx, "Kubernetes operator keys without "
                    "job.autoscaler.enabled: true and without a "
                    "controllers.autoscaler block: the operator's autoscaler "
                    "is off; ignored");
    rsim__ctx_pop (ctx, mark);
    return TRUE;
  }
  if (!spec->enabled)
    rsim__ctx_warn (ctx, "job.autoscaler.enabled is true: the operator's "
                    "autoscaler runs (controllers.autoscaler with the "
                    "defaults of operator %s; add the block to choose the "
                    "release and upgrade mode)", "1.10");
  spec->enabled = TRUE;
  const cJSON *block = rsim__json_get (rsim__json_get (rsim__json_get (root,
    "controllers"), "autoscaler"), "config");
  cJSON *keep = cJSON_CreateObject ();
  for (const cJSON *c = ld->operator_conf->child; c; c = c->next) {
    gboolean renamed = FALSE;
    g_autofree char *name = rsim__autoscaler_key_canonical (c->string, &renamed);
    gboolean in_block = strcmp (name, "job.autoscaler.enabled") == 0;
    for (const cJSON *b = cJSON_IsObject (block) ? block->child : NULL;
         b != NULL && !in_block; b = b->next) {
      g_autofree char *bname = rsim__autoscaler_key_canonical (b->string,
                                                               &renamed);
      in_block = strcmp (bname, name) == 0;
    }
    if (!in_block)
      cJSON_AddItemToObject (keep, c->string, cJSON_Duplicate (c, TRUE));
  }
  gboolean ok = read_autoscaler_config (ctx, keep, spec, error);
  cJSON_Delete (keep);
  if (!ok)
    return FALSE;
  rsim__ctx_pop (ctx, mark);
  return TRUE;
}

/* ============================================================ top level */

static const char *const top_keys[] = {
  "name", "description", "duration", "seed", "flink", "cluster", "job",
  "workload", "costs", "timeline", "schedulers", "output", "failures",
  "controllers", "limits", "sweep", "advise",
};

static gboolean
check_top_keys (RsimLoadCtx *ctx, const cJSON *root, GError **error)
{
  for (const cJSON *c = root->child; c; c = c->next) {
    gboolean known = FALSE;
    for (guint i = 0; i < G_N_ELEMENTS (top_keys); i++)
      known = known || strcmp (c->string, top_keys[i]) == 0;
    if (!known) {
      return unknown_key (ctx, error, c->string, top_keys,
                          G_N_ELEMENTS (top_keys));
    }
  }
  return TRUE;
}

/* Runs load(ld, value) with the path at key; required blocks must exist. */
static gboolean
load_block (Loader *ld, const cJSON *root, const char *key, gboolean required,
            gboolean (*load) (Loader *, const cJSON *, GError **),
            GError **error)
{
  const cJSON *v = rsim__json_get (root, key);
  if (v == NULL && !required)
    return TRUE;
  gsize mark = rsim__ctx_push_key (ld->ctx, key);
  if (v == NULL)
    return rsim__ctx_expected (ld->ctx, error, v, "an object");
  if (!load (ld, v, error))
    return FALSE;
  rsim__ctx_pop (ld->ctx, mark);
  return TRUE;
}

static gboolean
load_scenario (Loader *ld, const cJSON *root, GError **error)
{
  RsimLoadCtx *ctx = ld->ctx;
  RsimScenario *sc = ld->sc;
  RsimSimConfig *cfg = ld->cfg;
  rsim_controllers_spec_init (&cfg->controllers);
  if (!cJSON_IsObject (root))
    return rsim__ctx_expected (ctx, error, root, "an object");
  if (!check_top_keys (ctx, root, error))
    return FALSE;

  gsize mark = rsim__ctx_push_key (ctx, "name");
  if (!rsim__read_string (ctx, rsim__json_get (root, "name"), &sc->name, error))
    return FALSE;
  rsim__ctx_pop (ctx, mark);

  const cJSON *v = rsim__json_get (root, "description");
  sc->description = g_strdup ("");
  if (v != NULL) {
    mark = rsim__ctx_push_key (ctx, "description");
    if (!cJSON_IsString (v))
      return rsim__ctx_expected (ctx, error, v, "a string");
    g_free (sc->description);
    sc->description = g_strdup (v->valuestring);
    rsim__ctx_pop (ctx, mark);
  }

  mark = rsim__ctx_push_key (ctx, "duration");
  v = rsim__json_get (root, "duration");
  if (!rsim__read_time (ctx, v, 0, TRUE, &cfg->duration, error))
    return FALSE;
  if (cfg->duration > MAX_DURATION)
    return rsim__ctx_expected (ctx, error, v, "a duration of at most 365 d");
  rsim__ctx_pop (ctx, mark);

  cfg->seed = 1;
  v = rsim__json_get (root, "seed");
  if (v != NULL) {
    mark = rsim__ctx_push_key (ctx, "seed");
    if (!cJSON_IsNumber (v) || v->valuedouble != floor (v->valuedouble)
        || v->valuedouble < 0 || v->valuedouble > MAX_SEED)
      return rsim__ctx_expected (ctx, error, v, "an integer from 0 to %.0f",
                                 MAX_SEED);
    cfg->seed = (guint64) v->valuedouble;
    rsim__ctx_pop (ctx, mark);
  }

  if (!load_block (ld, root, "flink", TRUE, load_flink, error)
      || !load_block (ld, root, "cluster", TRUE, load_cluster, error)
      || !load_block (ld, root, "job", TRUE, load_job, error)
      || !load_block (ld, root, "workload", TRUE, load_workload, error))
    return FALSE;

  rsim_costs_init_defaults (&cfg->costs, cfg->version);
  cfg->sample_interval = 0;       /* the lean time series */
  cfg->max_events = (guint64) DEFAULT_MAX_EVENTS;
  ld->max_rows = DEFAULT_MAX_ROWS;
  ld->costs_json = rsim__json_get (root, "costs");
  if (!load_block (ld, root, "costs", FALSE, load_costs, error)
      || !load_block (ld, root, "controllers", FALSE, load_controllers, error))
    return FALSE;
  if (ld->operator_conf != NULL && !apply_operator_keys (ld, root, error))
    return FALSE;
  /* Defaults and the checks across settings; the message starts with its
   * own JSON path ("controllers.replicas: ..."). */
  g_autofree char *controllers_error = NULL;
  if (!rsim_controllers_spec_resolve (&cfg->controllers, &controllers_error))
    return rsim__ctx_fail (ctx, error, "%s", controllers_error);
  if (!check_autoscaler_window (ld, error))
    return FALSE;

  if (!load_block (ld, root, "timeline", FALSE, load_timeline, error)
      || !load_block (ld, root, "output", FALSE, load_output, error)
      || !load_block (ld, root, "failures", FALSE, load_failures, error)
      || !load_block (ld, root, "limits", FALSE, load_limits, error)
      || !check_job_size (ld, error)
      || !check_run_size (ld, error))
    return FALSE;

  v = rsim__json_get (root, "schedulers");
  mark = rsim__ctx_push_key (ctx, "schedulers");
  if (!load_schedulers (ld, v, error))
    return FALSE;
  rsim__ctx_pop (ctx, mark);
  cfg->scheduler = sc->schedulers[0];

  v = rsim__json_get (root, "sweep");
  if (v != NULL) {
    mark = rsim__ctx_push_key (ctx, "sweep");
    if (!rsim__sweep_block_check (ctx, v, error))
      return FALSE;
    sc->has_sweep = TRUE;
    rsim__ctx_pop (ctx, mark);
  }
  return TRUE;
}

cJSON *
rsim__scenario_parse (const char *data, gsize length, const char *display_name,
                      GError **error)
{
  return parse_json (display_name, data, length, error);
}

/* Reads a parsed scenario; the shared part of rsim_scenario_load_data() and
 * rsim__scenario_load_tree(). root may be NULL when parsing failed (error
 * is then set already). */
static RsimScenario *
load_root (const cJSON *root, const char *display_name, const char *conf_file,
           GError **error)
{
  RsimScenario *sc = g_new0 (RsimScenario, 1);
  sc->path = g_strdup (display_name);
  sc->warnings = g_ptr_array_new_with_free_func (g_free);
  RsimLoadCtx ctx = {
    .file = sc->path,
    .base_dir = g_path_get_dirname (display_name),
    .path = g_string_new (NULL),
    .warnings = sc->warnings,
  };
  Loader ld = { .ctx = &ctx, .sc = sc, .cfg = &sc->config,
                .conf_file = conf_file, .conf_scheduler = -1,
                .max_rows = DEFAULT_MAX_ROWS };

  gboolean ok = root != NULL && check_duplicates (&ctx, root, error)
    && load_scenario (&ld, root, error);

  g_free (ctx.base_dir);
  g_string_free (ctx.path, TRUE);
  cJSON_Delete (ld.operator_conf);
  cJSON_Delete (ld.flink_merged);
  if (ld.flink_origins)
    g_array_unref (ld.flink_origins);
  if (ctx.scratch != NULL)
    g_ptr_array_unref (ctx.scratch);
  if (!ok) {
    rsim_scenario_free (sc);
    return NULL;
  }
  return sc;
}

RsimScenario *
rsim__scenario_load_tree (const cJSON *root, const char *display_name,
                          GError **error)
{
  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  return load_root (root, display_name ? display_name : "<scenario>", NULL,
                    error);
}

RsimScenario *
rsim_scenario_load_data (const char *data, gsize length,
                         const char *display_name, GError **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (display_name == NULL)
    display_name = "<scenario>";
  if (data == NULL)
    data = "";
  cJSON *root = parse_json (display_name, data, length, error);
  if (root == NULL)
    return NULL;
  RsimScenario *sc = load_root (root, display_name, NULL, error);
  cJSON_Delete (root);
  return sc;
}

RsimScenario *
rsim_scenario_load_file (const char *path, GError **error)
{
  return rsim_scenario_load_file_with_conf (path, NULL, error);
}

RsimScenario *
rsim_scenario_load_file_with_conf (const char *path, const char *flink_conf,
                                   GError **error)
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
  if (flink_conf == NULL)
    return rsim_scenario_load_data (data, len, path, error);
  cJSON *root = parse_json (path, data, len, error);
  if (root == NULL)
    return NULL;
  RsimScenario *sc = load_root (root, path, flink_conf, error);
  cJSON_Delete (root);
  return sc;
}

void
rsim_scenario_free (RsimScenario *scenario)
{
  if (scenario == NULL)
    return;
  g_free (scenario->path);
  g_free (scenario->name);
  g_free (scenario->description);
  g_free (scenario->flink_config_file);
  if (scenario->flink_sources != NULL)
    g_ptr_array_unref (scenario->flink_sources);
  rsim_sim_config_clear (&scenario->config);
  g_free (scenario->schedulers);
  if (scenario->warnings != NULL)
    g_ptr_array_unref (scenario->warnings);
  g_free (scenario);
}
