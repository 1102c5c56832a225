/* Reading JSON files with errors that say where (report-internal.h): the
 * baseline of the regression check, report.json of a result directory,
 * compare.json, summary.json and shard.json.
 *
 * cJSON reports a syntax error as a pointer into the text; it is turned
 * into a 1-based line and column (columns count bytes, as a text editor
 * with a byte ruler does) so the message reads "FILE:LINE:COL: ...". A
 * member of the wrong type is named by its JSON path with what was expected
 * and what was found, as scenario errors are. */
#include "report/report-internal.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>
#include <glib/gstdio.h>

/* The largest JSON input read, bytes: far above any baseline, report or
 * summary rescalesim writes (a report is a few kilobytes; a baseline of a
 * thousand results a few megabytes), small enough to keep a mistaken path
 * from filling memory. */
#define JSON_MAX_FILE_SIZE ((goffset) 256 * 1024 * 1024)

/* The largest whole number a double holds exactly: 2^53. */
#define JSON_MAX_EXACT 9007199254740992.0

/* A short description of value for "got ..." (transfer full). */
static char *
describe (const cJSON *v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (v == NULL)
    return g_strdup ("nothing");
  if (cJSON_IsObject (v))
    return g_strdup ("an object");
  if (cJSON_IsArray (v))
    return g_strdup ("an array");
  if (cJSON_IsNull (v))
    return g_strdup ("null");
  if (cJSON_IsBool (v))
    return g_strdup (cJSON_IsTrue (v) ? "true" : "false");
  if (cJSON_IsNumber (v))
    return g_strdup_printf ("the number %s",
                            g_ascii_formatd (buf, sizeof buf, "%.17g",
                                             v->valuedouble));
  if (cJSON_IsString (v)) {
    g_autofree char *fixed = NULL;
    const char *text = rsim__utf8_valid (v->valuestring, &fixed);
    if (g_utf8_strlen (text, -1) > 40) {
      g_autofree char *head = g_utf8_substring (text, 0, 40);
      return g_strdup_printf ("the string \"%s...\"", head);
    }
    return g_strdup_printf ("the string \"%s\"", text);
  }
  return g_strdup ("an invalid value");
}

static const char *
kind_text (RsimJsonKind kind)
{
  switch (kind) {
  case RSIM_JSON_ANY: return "a value";
  case RSIM_JSON_OBJECT: return "an object";
  case RSIM_JSON_ARRAY: return "an array";
  case RSIM_JSON_STRING: return "a string";
  case RSIM_JSON_NUMBER: return "a number";
  case RSIM_JSON_UINT: return "a whole number from 0 to 2^53";
  case RSIM_JSON_BOOL: return "true or false";
  }
  return "a value";
}

static gboolean
has_kind (const cJSON *v, RsimJsonKind kind)
{
  switch (kind) {
  case RSIM_JSON_ANY: return v != NULL;
  case RSIM_JSON_OBJECT: return cJSON_IsObject (v);
  case RSIM_JSON_ARRAY: return cJSON_IsArray (v);
  case RSIM_JSON_STRING: return cJSON_IsString (v);
  case RSIM_JSON_NUMBER: return cJSON_IsNumber (v);
  case RSIM_JSON_UINT:
    return cJSON_IsNumber (v) && v->valuedouble >= 0
           && v->valuedouble <= JSON_MAX_EXACT
           && v->valuedouble == floor (v->valuedouble);
  case RSIM_JSON_BOOL: return cJSON_IsBool (v);
  }
  return FALSE;
}

gboolean
rsim__json_expected (const RsimJsonSource *src, const char *path,
                     const char *expected, const cJSON *value,
                     GError **error)
{
  g_autofree char *got = describe (value);
  g_set_error (error, src->domain, src->code, "%s: %s: expected %s, got %s",
               src->file, path && *path ? path : "(root)", expected, got);
  return FALSE;
}

const cJSON *
rsim__json_member (const RsimJsonSource *src, const cJSON *obj,
                   const char *path, const char *key, RsimJsonKind kind,
                   GError **error)
{
  const cJSON *v = cJSON_IsObject (obj)
    ? cJSON_GetObjectItemCaseSensitive (obj, key) : NULL;
  if (has_kind (v, kind))
    return v;
  g_autofree char *where = path && *path ? g_strconcat (path, ".", key, NULL)
                                         : g_strdup (key);
  rsim__json_expected (src, where, kind_text (kind), v, error);
  return NULL;
}

gboolean
rsim__json_schema (const RsimJsonSource *src, const cJSON *root,
                   const char *schema, GError **error)
{
  const cJSON *v = cJSON_IsObject (root)
    ? cJSON_GetObjectItemCaseSensitive (root, "schema") : NULL;
  if (cJSON_IsString (v) && g_str_equal (v->valuestring, schema))
    return TRUE;
  g_autofree char *expected = g_strdup_printf ("\"%s\"", schema);
  return rsim__json_expected (src, "schema", expected, v, error);
}

/* 1-based line and column of offset in text. */
static void
locate (const char *text, gsize offset, guint *line, guint *col)
{
  *line = 1;
  *col = 1;
  for (gsize i = 0; i < offset && text[i]; i++) {
    if (text[i] == '\n') {
      (*line)++;
      *col = 1;
    } else {
      (*col)++;
    }
  }
}

cJSON *
rsim__json_read_file (const RsimJsonSource *src, GError **error)
{
  g_autofree char *text = NULL;
  gsize length = 0;
  g_autoptr (GError) io = NULL;
  GStatBuf st;
  if (g_stat (src->file, &st) == 0 && S_ISREG (st.st_mode)
      && (goffset) st.st_size > JSON_MAX_FILE_SIZE) {
    g_set_error (error, src->domain, src->code,
                 "%s: %" G_GOFFSET_FORMAT " bytes, more than the %"
                 G_GOFFSET_FORMAT " MiB a JSON input may have", src->file,
                 (goffset) st.st_size, JSON_MAX_FILE_SIZE / (1024 * 1024));
    return NULL;
  }
  if (!g_file_get_contents (src->file, &text, &length, &io)) {
    g_set_error_literal (error, src->domain, src->code, io->message);
    return NULL;
  }
  if (strlen (text) != length) {
    g_set_error (error, src->domain, src->code,
                 "%s: not a JSON text (it holds a NUL byte)", src->file);
    return NULL;
  }
  const char *end = NULL;
  cJSON *root = cJSON_ParseWithOpts (text, &end, TRUE);
  if (root == NULL) {
    guint line, col;
    gsize offset = end != NULL && end >= text ? (gsize) (end - text) : 0;
    locate (text, offset, &line, &col);
    g_set_error (error, src->domain, src->code,
                 "%s:%u:%u: JSON syntax error%s", src->file, line, col,
                 offset >= length ? " (the text ends too early)" : "");
    return NULL;
  }
  if (!cJSON_IsObject (root)) {
    rsim__json_expected (src, "", "an object", root, error);
    cJSON_Delete (root);
    return NULL;
  }
  return root;
}
