/* Number and JSON text formatting shared by every output of the report layer.
 *
 * Outputs must be byte-identical for the same scenario and seed, on any
 * machine and in any locale, so numbers never go through printf's locale-
 * dependent paths: simulated times are printed from their integer
 * microseconds, doubles through g_ascii_formatd() with one fixed format
 * (see report.h), and JSON text is re-indented token by token so that a
 * number's text is never parsed and printed again. */
#include "report/report-internal.h"

#include <math.h>
#include <string.h>

#include <rescalesim/report.h>

const char *
rsim_report_format_time (char *buf, RsimTime t)
{
  /* Magnitude in unsigned arithmetic: -G_MININT64 does not fit a gint64. */
  guint64 mag = t < 0 ? (guint64) (-(t + 1)) + 1u : (guint64) t;
  g_snprintf (buf, RSIM_REPORT_NUMBER_SIZE,
              "%s%" G_GUINT64_FORMAT ".%06" G_GUINT64_FORMAT,
              t < 0 ? "-" : "", mag / 1000000u, mag % 1000000u);
  return buf;
}

const char *
rsim_report_format_double (char *buf, double v)
{
  if (isnan (v))
    g_strlcpy (buf, "nan", RSIM_REPORT_NUMBER_SIZE);
  else if (isinf (v))
    g_strlcpy (buf, v > 0 ? "inf" : "-inf", RSIM_REPORT_NUMBER_SIZE);
  else if (v == 0.0)
    g_strlcpy (buf, "0", RSIM_REPORT_NUMBER_SIZE);   /* also -0 */
  else {
    g_ascii_formatd (buf, RSIM_REPORT_NUMBER_SIZE, "%.12g", v);
    /* A whole number that 12 digits round (a count of 10^12 or more) is
     * written with all its digits, so that it reads back equal. */
    if (v == floor (v) && fabs (v) < 9007199254740992.0
        && g_ascii_strtod (buf, NULL) != v)
      g_snprintf (buf, RSIM_REPORT_NUMBER_SIZE, "%.0f", v);
  }
  return buf;
}

cJSON *
rsim__json_number (double v)
{
  char buf[RSIM_REPORT_NUMBER_SIZE];
  if (!isfinite (v))
    return cJSON_CreateNull ();
  return cJSON_CreateRaw (rsim_report_format_double (buf, v));
}

cJSON *
rsim__json_uint (guint64 v)
{
  char buf[RSIM_REPORT_NUMBER_SIZE];
  g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, v);
  return cJSON_CreateRaw (buf);
}

cJSON *
rsim__json_int (gint64 v)
{
  char buf[RSIM_REPORT_NUMBER_SIZE];
  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, v);
  return cJSON_CreateRaw (buf);
}

const char *
rsim__utf8_valid (const char *text, char **tmp)
{
  *tmp = NULL;
  if (text == NULL)
    return "";
  if (g_utf8_validate (text, -1, NULL))
    return text;
  *tmp = g_utf8_make_valid (text, -1);
  return *tmp;
}

void
rsim__json_append_string (GString *out, const char *text)
{
  g_autofree char *fixed = NULL;
  const char *p = rsim__utf8_valid (text, &fixed);

  g_string_append_c (out, '"');
  for (; *p; p++) {
    unsigned char c = (unsigned char) *p;
    switch (c) {
    case '"': g_string_append (out, "\\\""); break;
    case '\\': g_string_append (out, "\\\\"); break;
    case '\b': g_string_append (out, "\\b"); break;
    case '\f': g_string_append (out, "\\f"); break;
    case '\n': g_string_append (out, "\\n"); break;
    case '\r': g_string_append (out, "\\r"); break;
    case '\t': g_string_append (out, "\\t"); break;
    default:
      if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  }
  g_string_append_c (out, '"');
}

static void
newline_indent (GString *out, int depth)
{
  g_string_append_c (out, '\n');
  for (int i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

static const char *
skip_space (const char *p)
{
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
    p++;
  return p;
}

char *
rsim__json_pretty (const char *json)
{
  g_return_val_if_fail (json != NULL, NULL);

  GString *out = g_string_sized_new (strlen (json) * 2 + 2);
  int depth = 0;
  const char *p = skip_space (json);

  while (*p) {
    char c = *p;
    if (c == '"') {
      /* A string literal, copied with its escapes. */
      const char *start = p++;
      while (*p && *p != '"') {
        if (*p == '\\' && p[1])
          p++;
        p++;
      }
      if (*p)
        p++;
      g_string_append_len (out, start, p - start);
    } else if (c == '{' || c == '[') {
      const char *next = skip_space (p + 1);
      if (*next == (c == '{' ? '}' : ']')) {
        g_string_append_c (out, c);
        g_string_append_c (out, *next);
        p = next + 1;
      } else {
        g_string_append_c (out, c);
        newline_indent (out, ++depth);
        p = next;
      }
    } else if (c == '}' || c == ']') {
      newline_indent (out, --depth);
      g_string_append_c (out, c);
      p++;
    } else if (c == ',') {
      g_string_append_c (out, ',');
      newline_indent (out, depth);
      p = skip_space (p + 1);
    } else if (c == ':') {
      g_string_append (out, ": ");
      p = skip_space (p + 1);
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      p = skip_space (p);
    } else {
      /* A number, true, false or null. */
      const char *start = p;
      while (*p && !strchr (",:{}[]\" \t\n\r", *p))
        p++;
      g_string_append_len (out, start, p - start);
    }
  }
  g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}
