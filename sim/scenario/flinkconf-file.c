/* Flink configuration files: config.yaml (1.19+) and flink-conf.yaml.
 *
 * Flink 1.19 introduced config.yaml, standard YAML in which keys may be
 * nested ("execution: checkpointing: interval: 60 s") or written flat
 * ("execution.checkpointing.interval: 60 s"); Flink flattens nested maps
 * into dotted keys (GlobalConfiguration, FLIP-366). The legacy
 * flink-conf.yaml (read up to 1.20; 2.0 dropped it, FLINK-34079) has one
 * "key: value" per line. Both are read with libyaml (yaml.c) and turned into
 * a list of dotted keys with the line and column of each value, which
 * rsim__conf_merge() then merges with the scenario's flink.config, the
 * scenario winning. */
#include "inputs-private.h"

#include <string.h>

/* More keys than any Flink configuration has (about 1200 exist). */
#define MAX_CONF_KEYS 10000
#define MAX_KEY_LENGTH 512

static void
entry_free (gpointer p)
{
  RsimConfEntry *e = p;
  g_free (e->key);
  cJSON_Delete (e->value);
  g_free (e);
}

void
rsim__conf_file_free (RsimConfFile *file)
{
  if (file == NULL)
    return;
  g_free (file->file);
  g_ptr_array_unref (file->entries);
  g_free (file);
}

static gboolean
conf_fail (const RsimYamlDoc *doc, const cJSON *node, GError **error,
           const char *fmt, ...) G_GNUC_PRINTF (4, 5);

static gboolean
conf_fail (const RsimYamlDoc *doc, const cJSON *node, GError **error,
           const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  guint line = 0, col = 0;
  if (rsim__yaml_mark (doc, node, &line, &col))
    g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_INVALID,
                 "%s:%u:%u: %s", doc->file, line, col, msg);
  else
    g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_INVALID,
                 "%s: %s", doc->file, msg);
  return FALSE;
}

static RsimConfEntry *
find_entry (RsimConfFile *file, GHashTable *index, const char *key)
{
  return g_hash_table_lookup (index, key);
}

static gboolean
flatten (const RsimYamlDoc *doc, RsimConfFile *file, GHashTable *index,
         const char *prefix, const cJSON *map, GError **error)
{
  for (const cJSON *c = map->child; c; c = c->next) {
    g_autofree char *key = prefix ? g_strconcat (prefix, ".", c->string, NULL)
                                  : g_strdup (c->string);
    if (*c->string == '\0')
      return conf_fail (doc, c, error, "an empty key%s%s%s",
                        prefix ? " under \"" : "", prefix ? prefix : "",
                        prefix ? "\"" : "");
    if (strlen (key) > MAX_KEY_LENGTH)
      return conf_fail (doc, c, error, "a key longer than %d characters",
                        MAX_KEY_LENGTH);
    if (cJSON_IsObject (c)) {
      if (file->legacy)
        return conf_fail (doc, c, error, "\"%s\" has nested keys, but "
                          "flink-conf.yaml takes one \"key: value\" per line "
                          "(nested keys need Flink 1.19's config.yaml)", key);
      if (!flatten (doc, file, index, key, c, error))
        return FALSE;
      continue;
    }
    RsimConfEntry *old = find_entry (file, index, key);
    if (old != NULL)
      return conf_fail (doc, c, error, "\"%s\" is set twice (also at line "
                        "%u)", key, old->line);
    if (file->entries->len >= MAX_CONF_KEYS)
      return conf_fail (doc, c, error, "more than %d keys", MAX_CONF_KEYS);
    RsimConfEntry *e = g_new0 (RsimConfEntry, 1);
    e->key = g_steal_pointer (&key);
    e->value = cJSON_Duplicate (c, TRUE);
    rsim__yaml_mark (doc, c, &e->line, &e->col);
    g_ptr_array_add (file->entries, e);
    g_hash_table_insert (index, e->key, e);
  }
  return TRUE;
}

RsimConfFile *
rsim__conf_file_parse (const char *data, gsize length, const char *display_name,
                       gboolean legacy, GError **error)
{
  g_autoptr (RsimYamlDoc) doc = rsim__yaml_parse (data, length, display_name,
                                                  error);
  if (doc == NULL)
    return NULL;
  g_autoptr (RsimConfFile) file = g_new0 (RsimConfFile, 1);
  file->file = g_strdup (doc->file);
  file->legacy = legacy;
  file->entries = g_ptr_array_new_with_free_func (entry_free);
  int n = cJSON_GetArraySize (doc->documents);
  if (n > 1)
    return conf_fail (doc, cJSON_GetArrayItem (doc->documents, 1), error,
                      "expected one YAML document, found %d", n), NULL;
  const cJSON *root = n == 1 ? doc->documents->child : NULL;
  if (root == NULL || cJSON_IsNull (root))
    return g_steal_pointer (&file);          /* an empty file: no keys */
  if (!cJSON_IsObject (root))
    return conf_fail (doc, root, error, "expected a map of Flink "
                      "configuration keys, got %s",
                      cJSON_IsArray (root) ? "a list" : "a single value"), NULL;
  g_autoptr (GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  if (!flatten (doc, file, index, NULL, root, error))
    return NULL;
  return g_steal_pointer (&file);
}

RsimConfFile *
rsim__conf_file_read (const char *path, const char *display_name,
                      GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  if (display_name == NULL)
    display_name = path;
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr (GError) io = NULL;
  if (!g_file_get_contents (path, &data, &len, &io)) {
    g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_IO,
                 "%s: cannot read: %s", display_name, io->message);
    return NULL;
  }
  g_autofree char *base = g_path_get_basename (path);
  return rsim__conf_file_parse (data, len, display_name,
                                strcmp (base, "flink-conf.yaml") == 0, error);
}

cJSON *
rsim__conf_merge (const RsimConfFile *file, const cJSON *config,
                  GArray **origins)
{
  cJSON *merged = cJSON_CreateObject ();
  GArray *o = g_array_new (FALSE, TRUE, sizeof (RsimConfOrigin));
  for (guint i = 0; file != NULL && i < file->entries->len; i++) {
    const RsimConfEntry *e = g_ptr_array_index (file->entries, i);
    cJSON_AddItemToObject (merged, e->key, cJSON_Duplicate (e->value, TRUE));
    RsimConfOrigin origin = { file->file, e->line, e->col };
    g_array_append_val (o, origin);
  }
  if (cJSON_IsObject (config)) {
    for (const cJSON *c = config->child; c; c = c->next) {
      RsimConfOrigin origin = { NULL, 0, 0 };
      guint i = 0;
      const cJSON *m = merged->child;
      for (; m != NULL && strcmp (m->string, c->string) != 0; m = m->next)
        i++;
      if (m != NULL && file != NULL && i < file->entries->len) {
        cJSON_ReplaceItemInObjectCaseSensitive (merged, c->string,
                                                cJSON_Duplicate (c, TRUE));
        g_array_index (o, RsimConfOrigin, i) = origin;
        continue;
      }
      cJSON_AddItemToObject (merged, c->string, cJSON_Duplicate (c, TRUE));
      g_array_append_val (o, origin);
    }
  }
  *origins = o;
  return merged;
}
