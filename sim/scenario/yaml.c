/* YAML text -> cJSON trees, with libyaml's event parser.
 *
 * Flink's config.yaml (1.19+), legacy flink-conf.yaml files and Kubernetes
 * resources (FlinkDeployment) are YAML. The readers above work on cJSON
 * trees like the scenario loader, so this file converts, and remembers the
 * line and column of every node so that a message about a value can point
 * at it. Everything the input controls is bounded: the text size, the
 * nesting depth, the number of nodes and documents. Aliases are refused
 * rather than expanded, which rules out exponential "billion laughs"
 * inputs; anchors and tags are otherwise ignored (a quoted scalar or an
 * explicit !!str tag keeps a scalar a string). */
#include "inputs-private.h"

#include <math.h>
#include <string.h>
#include <yaml.h>

typedef struct {
  yaml_parser_t parser;
  RsimYamlDoc *doc;
  guint nodes;
} Reader;

static void
set_mark (RsimYamlDoc *doc, const cJSON *node, yaml_mark_t m)
{
  guint line = MIN (m.line + 1, 0xfffffu);
  guint col = MIN (m.column + 1, 0xfffu);
  g_hash_table_insert (doc->marks, (gpointer) node,
                       GUINT_TO_POINTER (line << 12 | col));
}

gboolean
rsim__yaml_mark (const RsimYamlDoc *doc, const cJSON *node, guint *line,
                 guint *col)
{
  gpointer v = NULL;
  if (doc == NULL || node == NULL
      || !g_hash_table_lookup_extended (doc->marks, node, NULL, &v))
    return FALSE;
  *line = GPOINTER_TO_UINT (v) >> 12;
  *col = GPOINTER_TO_UINT (v) & 0xfffu;
  return TRUE;
}

static gboolean
fail_at (Reader *r, yaml_mark_t m, GError **error, const char *fmt, ...)
  G_GNUC_PRINTF (4, 5);

static gboolean
fail_at (Reader *r, yaml_mark_t m, GError **error, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_SYNTAX,
               "%s:%u:%u: invalid YAML: %s", r->doc->file,
               (guint) m.line + 1, (guint) m.column + 1, msg);
  return FALSE;
}

static gboolean
next_event (Reader *r, yaml_event_t *ev, GError **error)
{
  if (yaml_parser_parse (&r->parser, ev))
    return TRUE;
  const yaml_parser_t *p = &r->parser;
  const char *problem = p->problem ? p->problem : "cannot parse";
  if (p->context != NULL)
    return fail_at (r, p->problem_mark, error, "%s (%s at line %u)", problem,
                    p->context, (guint) p->context_mark.line + 1);
  return fail_at (r, p->problem_mark, error, "%s", problem);
}

/* YAML 1.2 core schema for plain scalars. */
static cJSON *
plain_scalar (const char *s)
{
  if (*s == '\0' || strcmp (s, "~") == 0 || strcmp (s, "null") == 0
      || strcmp (s, "Null") == 0 || strcmp (s, "NULL") == 0)
    return cJSON_CreateNull ();
  if (strcmp (s, "true") == 0 || strcmp (s, "True") == 0
      || strcmp (s, "TRUE") == 0)
    return cJSON_CreateTrue ();
  if (strcmp (s, "false") == 0 || strcmp (s, "False") == 0
      || strcmp (s, "FALSE") == 0)
    return cJSON_CreateFalse ();
  /* Decimal integers and floats; anything else (hex, octal, .inf, "60 s")
   * stays text, which Flink's own parsing then reads. */
  const char *p = s;
  if (*p == '-' || *p == '+')
    p++;
  gboolean digits = g_ascii_isdigit (*p) || (*p == '.' && g_ascii_isdigit (p[1]));
  if (digits && strlen (s) < 32) {
    char *end = NULL;
    double d = g_ascii_strtod (s, &end);
    if (end != NULL && *end == '\0' && isfinite (d) && fabs (d) < 1e300)
      return cJSON_CreateNumber (d);
  }
  return cJSON_CreateString (s);
}

static cJSON *read_node (Reader *r, yaml_event_t *ev, guint depth,
                         GError **error);

static gboolean
count_node (Reader *r, yaml_mark_t m, GError **error)
{
  if (++r->nodes > RSIM_YAML_MAX_NODES)
    return fail_at (r, m, error, "more than %u values", RSIM_YAML_MAX_NODES);
  return TRUE;
}

static cJSON *
read_mapping (Reader *r, yaml_event_t *start, guint depth, GError **error)
{
  cJSON *obj = cJSON_CreateObject ();
  set_mark (r->doc, obj, start->start_mark);
  for (;;) {
    yaml_event_t ev;
    if (!next_event (r, &ev, error))
      goto fail;
    if (ev.type == YAML_MAPPING_END_EVENT) {
      yaml_event_delete (&ev);
      return obj;
    }
    if (ev.type != YAML_SCALAR_EVENT) {
      fail_at (r, ev.start_mark, error, "a key must be a plain value, not a "
               "list or a map");
      yaml_event_delete (&ev);
      goto fail;
    }
    yaml_mark_t key_mark = ev.start_mark;
    g_autofree char *key = g_strndup ((const char *) ev.data.scalar.value,
                                      ev.data.scalar.length);
    gboolean nul = strlen (key) != ev.data.scalar.length;
    yaml_event_delete (&ev);
    if (nul) {
      fail_at (r, key_mark, error, "a key contains a NUL character");
      goto fail;
    }
    if (cJSON_GetObjectItemCaseSensitive (obj, key) != NULL) {
      guint line = 0, col = 0;
      rsim__yaml_mark (r->doc, cJSON_GetObjectItemCaseSensitive (obj, key),
                       &line, &col);
      fail_at (r, key_mark, error, "duplicate key \"%s\" (first at line %u)",
               key, line);
      goto fail;
    }
    if (!next_event (r, &ev, error))
      goto fail;
    cJSON *value = read_node (r, &ev, depth + 1, error);
    yaml_event_delete (&ev);
    if (value == NULL)
      goto fail;
    cJSON_AddItemToObject (obj, key, value);
  }
fail:
  cJSON_Delete (obj);
  return NULL;
}

static cJSON *
read_sequence (Reader *r, yaml_event_t *start, guint depth, GError **error)
{
  cJSON *arr = cJSON_CreateArray ();
  set_mark (r->doc, arr, start->start_mark);
  for (;;) {
    yaml_event_t ev;
    if (!next_event (r, &ev, error))
      goto fail;
    if (ev.type == YAML_SEQUENCE_END_EVENT) {
      yaml_event_delete (&ev);
      return arr;
    }
    cJSON *value = read_node (r, &ev, depth + 1, error);
    yaml_event_delete (&ev);
    if (value == NULL)
      goto fail;
    cJSON_AddItemToArray (arr, value);
  }
fail:
  cJSON_Delete (arr);
  return NULL;
}

/* Reads the node that ev starts (ev stays owned by the caller). */
static cJSON *
read_node (Reader *r, yaml_event_t *ev, guint depth, GError **error)
{
  if (!count_node (r, ev->start_mark, error))
    return NULL;
  if (depth > RSIM_YAML_MAX_DEPTH) {
    fail_at (r, ev->start_mark, error, "nested more than %u levels deep",
             RSIM_YAML_MAX_DEPTH);
    return NULL;
  }
  switch (ev->type) {
  case YAML_SCALAR_EVENT: {
    const char *text = (const char *) ev->data.scalar.value;
    if (strlen (text) != ev->data.scalar.length) {
      fail_at (r, ev->start_mark, error, "a value contains a NUL character");
      return NULL;
    }
    const char *tag = (const char *) ev->data.scalar.tag;
    cJSON *v;
    if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE
        && (tag == NULL || strcmp (tag, YAML_STR_TAG) != 0))
      v = plain_scalar (text);
    else
      v = cJSON_CreateString (text);
    set_mark (r->doc, v, ev->start_mark);
    return v;
  }
  case YAML_MAPPING_START_EVENT:
    return read_mapping (r, ev, depth, error);
  case YAML_SEQUENCE_START_EVENT:
    return read_sequence (r, ev, depth, error);
  case YAML_ALIAS_EVENT:
    fail_at (r, ev->start_mark, error, "aliases (*%s) are not supported",
             (const char *) ev->data.alias.anchor);
    return NULL;
  default:
    fail_at (r, ev->start_mark, error, "unexpected YAML event");
    return NULL;
  }
}

void
rsim__yaml_doc_free (RsimYamlDoc *doc)
{
  if (doc == NULL)
    return;
  g_free (doc->file);
  cJSON_Delete (doc->documents);
  g_hash_table_unref (doc->marks);
  g_free (doc);
}

RsimYamlDoc *
rsim__yaml_parse (const char *data, gsize length, const char *display_name,
                  GError **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  if (display_name == NULL)
    display_name = "<yaml>";
  if (length > RSIM_YAML_MAX_BYTES) {
    g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_INVALID,
                 "%s: too large (%" G_GSIZE_FORMAT " bytes; at most %u)",
                 display_name, length, RSIM_YAML_MAX_BYTES);
    return NULL;
  }
  Reader r = { .nodes = 0 };
  r.doc = g_new0 (RsimYamlDoc, 1);
  r.doc->file = g_strdup (display_name);
  r.doc->documents = cJSON_CreateArray ();
  r.doc->marks = g_hash_table_new (g_direct_hash, g_direct_equal);
  yaml_parser_initialize (&r.parser);
  yaml_parser_set_input_string (&r.parser, (const unsigned char *) (data ? data : ""),
                                length);
  gboolean ok = FALSE;
  guint n_docs = 0;
  for (;;) {
    yaml_event_t ev;
    if (!next_event (&r, &ev, error))
      break;
    yaml_event_type_t type = ev.type;
    yaml_mark_t mark = ev.start_mark;
    yaml_event_delete (&ev);
    if (type == YAML_STREAM_END_EVENT) {
      ok = TRUE;
      break;
    }
    if (type != YAML_DOCUMENT_START_EVENT)
      continue;                       /* stream start */
    if (++n_docs > RSIM_YAML_MAX_DOCUMENTS) {
      fail_at (&r, mark, error, "more than %u documents",
               RSIM_YAML_MAX_DOCUMENTS);
      break;
    }
    if (!next_event (&r, &ev, error))
      break;
    cJSON *root = read_node (&r, &ev, 0, error);
    yaml_event_delete (&ev);
    if (root == NULL)
      break;
    cJSON_AddItemToArray (r.doc->documents, root);
    if (!next_event (&r, &ev, error))
      break;
    yaml_event_delete (&ev);          /* document end */
  }
  yaml_parser_delete (&r.parser);
  if (!ok) {
    rsim__yaml_doc_free (r.doc);
    return NULL;
  }
  return r.doc;
}
