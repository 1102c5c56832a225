/* The CSV rule of every file rescalesim writes, and its reader
 * (report-internal.h): RFC 4180 quoting, '\n' line ends, no header
 * handling. One rule, so that timeseries.csv, sweep.csv and summary.csv
 * quote a field the same way and a merge can read back what a shard wrote
 * byte for byte. */
#include "report/report-internal.h"

#include <string.h>

void
rsim__csv_append_field (GString *out, const char *text)
{
  if (text == NULL)
    return;
  if (strpbrk (text, ",\"\r\n") == NULL) {
    g_string_append (out, text);
    return;
  }
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++) {
    if (*p == '"')
      g_string_append_c (out, '"');
    g_string_append_c (out, *p);
  }
  g_string_append_c (out, '"');
}

void
rsim__csv_append_row (GString *out, const char *const *fields)
{
  for (guint i = 0; fields[i] != NULL; i++) {
    if (i > 0)
      g_string_append_c (out, ',');
    rsim__csv_append_field (out, fields[i]);
  }
  g_string_append_c (out, '\n');
}

GPtrArray *
rsim__csv_parse (const char *text, char **why)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  GPtrArray *fields = g_ptr_array_new ();
  GString *field = g_string_new (NULL);
  const char *p = text;
  gboolean any = FALSE;
  while (*p != '\0') {
    any = TRUE;
    if (*p == '"' && field->len == 0) {
      p++;
      for (;;) {
        if (*p == '\0') {
          *why = g_strdup ("unterminated quoted field");
          g_string_free (field, TRUE);
          g_ptr_array_set_free_func (fields, g_free);
          g_ptr_array_unref (fields);
          g_ptr_array_unref (records);
          return NULL;
        }
        if (*p == '"' && p[1] == '"') {
          g_string_append_c (field, '"');
          p += 2;
        } else if (*p == '"') {
          p++;
          break;
        } else {
          g_string_append_c (field, *p++);
        }
      }
      continue;
    }
    if (*p == ',') {
      g_ptr_array_add (fields, g_strdup (field->str));
      g_string_truncate (field, 0);
      p++;
    } else if (*p == '\n') {
      g_ptr_array_add (fields, g_strdup (field->str));
      g_string_truncate (field, 0);
      g_ptr_array_add (fields, NULL);
      g_ptr_array_add (records, g_ptr_array_free (fields, FALSE));
      fields = g_ptr_array_new ();
      any = FALSE;
      p++;
    } else {
      g_string_append_c (field, *p++);
    }
  }
  if (any) {
    g_ptr_array_add (fields, g_strdup (field->str));
    g_ptr_array_add (fields, NULL);
    g_ptr_array_add (records, g_ptr_array_free (fields, FALSE));
  } else {
    g_ptr_array_free (fields, TRUE);
  }
  g_string_free (field, TRUE);
  return records;
}

