/* Flink version profiles: parsing and comparisons.
 *
 * Which rule applies in which version is decided where the rule is modelled
 * (each with its Flink source path); this file only parses and compares. */
#include <rescalesim/version.h>

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

gboolean
rsim_version_at_least (RsimFlinkVersion v, int major, int minor)
{
  return v.major > major || (v.major == major && v.minor >= minor);
}

gboolean
rsim_version_at_least_patch (RsimFlinkVersion v, int major, int minor,
                             int patch)
{
  if (v.major != major || v.minor != minor)
    return rsim_version_at_least (v, major, minor);
  return (v.patch < 0 ? 0 : v.patch) >= patch;
}

gboolean
rsim_version_supported (RsimFlinkVersion v)
{
  return rsim_version_at_least (v, 1, 5) && !rsim_version_at_least (v, 2, 4);
}

char *
rsim_version_to_string (RsimFlinkVersion v)
{
  if (v.patch < 0)
    return g_strdup_printf ("%d.%d", v.major, v.minor);
  return g_strdup_printf ("%d.%d.%d", v.major, v.minor, v.patch);
}
