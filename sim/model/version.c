/* Flink version profiles: parsing and comparisons.
 *
 * Which behaviour applies in which version is the rules table's business
 * (rules.c); this file only parses, prints and orders versions. */
#include <rescalesim/version.h>
#include <rescalesim/rules.h>

#include <stdlib.h>

static gboolean
parse_component (const char **p, int *out)
{
  const char *s = *p;
  if (!g_ascii_isdigit (*s))
    return FALSE;
  long v = 0;
  while (g_ascii_isdigit (*s)) {
    v = v * 10 + (*s - '0');
    if (v > 1000)
      return FALSE;
    s++;
  }
  *out = (int) v;
  *p = s;
  return TRUE;
}

gboolean
rsim_version_parse (const char *text, RsimFlinkVersion *out)
{
  g_return_val_if_fail (out != NULL, FALSE);
  if (text == NULL)
    return FALSE;
  RsimFlinkVersion v = { 0, 0, -1 };
  const char *p = text;
  if (!parse_component (&p, &v.major) || *p != '.')
    return FALSE;
  p++;
  if (!parse_component (&p, &v.minor))
    return FALSE;
  if (*p == '.') {
    p++;
    if (!parse_component (&p, &v.patch))
      return FALSE;
  }
  if (*p != '\0')
    return FALSE;
  *out = v;
  return TRUE;
}

int
rsim_version_compare (RsimFlinkVersion a, RsimFlinkVersion b)
{
  if (a.major != b.major)
    return a.major < b.major ? -1 : 1;
  if (a.minor != b.minor)
    return a.minor < b.minor ? -1 : 1;
  int pa = MAX (a.patch, 0), pb = MAX (b.patch, 0);
  return (pa > pb) - (pa < pb);
}

/* A minor release Flink published, from the rules table's list (so "1.21",
 * which never existed, is not a version; any patch number is accepted). */
gboolean
rsim_version_supported (RsimFlinkVersion v)
{
  guint n = 0;
  const RsimFlinkVersion *released = rsim_rules_released_versions (&n);
  for (guint i = 0; i < n; i++)
    if (released[i].major == v.major && released[i].minor == v.minor)
      return TRUE;
  return FALSE;
}

char *
rsim_version_to_string (RsimFlinkVersion v)
{
  if (v.patch < 0)
    return g_strdup_printf ("%d.%d", v.major, v.minor);
  return g_strdup_printf ("%d.%d.%d", v.major, v.minor, v.patch);
}
