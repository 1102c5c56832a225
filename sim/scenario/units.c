/* Value syntaxes of scenario files: durations, memory sizes, rates and
 * bandwidths, parsed and printed without depending on the locale.
 *
 * Flink keys take Flink's own syntax. Durations follow TimeUtils.parseDuration
 * (flink-core/src/main/java/org/apache/flink/util/TimeUtils.java): the text is
 * trimmed, a run of digits is the number, the rest (trimmed, lower-cased) is
 * the unit label, and no label means milliseconds. Memory sizes follow
 * MemorySize.parse (flink-core/src/main/java/org/apache/flink/configuration/
 * MemorySize.java): 1024-based units, no label means bytes. The project's own
 * keys accept the same labels with a fractional number ("1.5 s", "0.5 GB").
 * Printing picks, like TimeUtils.formatWithHighestUnit, the largest unit that
 * divides the value exactly, so every printed value reads back unchanged. */
#include "scenario-private.h"

#include <math.h>
#include <string.h>

typedef struct {
  const char *label;
  gint64 ns;                 /* length of the unit in nanoseconds */
} DurationUnit;

/* TimeUtils' labels (singular and plural forms), plus "m" and "us", which
 * newer Flink versions accept as well. */
static const DurationUnit duration_units[] = {
  { "d", 86400000000000 }, { "day", 86400000000000 }, { "days", 86400000000000 },
  { "h", 3600000000000 }, { "hour", 3600000000000 }, { "hours", 3600000000000 },
  { "min", 60000000000 }, { "m", 60000000000 }, { "minute", 60000000000 },
  { "minutes", 60000000000 },
  { "s", 1000000000 }, { "sec", 1000000000 }, { "secs", 1000000000 },
  { "second", 1000000000 }, { "seconds", 1000000000 },
  { "ms", 1000000 }, { "milli", 1000000 }, { "millis", 1000000 },
  { "millisecond", 1000000 }, { "milliseconds", 1000000 },
  { "\xc2\xb5s", 1000 }, { "us", 1000 }, { "micro", 1000 }, { "micros", 1000 },
  { "microsecond", 1000 }, { "microseconds", 1000 },
  { "ns", 1 }, { "nano", 1 }, { "nanos", 1 }, { "nanosecond", 1 },
  { "nanoseconds", 1 },
};

typedef struct {
  const char *label;
  double bytes;
} SizeUnit;

/* MemorySize.MemoryUnit's labels, plus the IEC spellings kib..tib. */
static const SizeUnit size_units[] = {
  { "b", 1.0 }, { "bytes", 1.0 },
  { "k", 1024.0 }, { "kb", 1024.0 }, { "kib", 1024.0 }, { "kibibytes", 1024.0 },
  { "m", 1048576.0 }, { "mb", 1048576.0 }, { "mib", 1048576.0 },
  { "mebibytes", 1048576.0 },
  { "g", 1073741824.0 }, { "gb", 1073741824.0 }, { "gib", 1073741824.0 },
  { "gibibytes", 1073741824.0 },
  { "t", 1099511627776.0 }, { "tb", 1099511627776.0 },
  { "tib", 1099511627776.0 }, { "tebibytes", 1099511627776.0 },
};

/* Java's String.trim() removes every char <= ' ' at both ends. */
static char *
java_trim (const char *text, gsize len)
{
  const char *s = text, *e = text + len;
  while (s < e && (guchar) *s <= ' ')
    s++;
  while (e > s && (guchar) e[-1] <= ' ')
    e--;
  return g_strndup (s, e - s);
}

/* Length of a decimal number at the start of s: digits with an optional
 * fraction (".5" and "1." are not numbers). 0 if there is none. */
static gsize
decimal_prefix (const char *s, gboolean allow_fraction)
{
  gsize i = 0;
  while (g_ascii_isdigit (s[i]))
    i++;
  if (i == 0)
    return 0;
  if (allow_fraction && s[i] == '.' && g_ascii_isdigit (s[i + 1])) {
    i++;
    while (g_ascii_isdigit (s[i]))
      i++;
  }
  return i;
}

/* Splits text into a number and a lower-cased, trimmed label. */
static gboolean
split_number (const char *text, gboolean allow_fraction, char **number,
              char **label)
{
  g_autofree char *trimmed = java_trim (text, strlen (text));
  gsize n = decimal_prefix (trimmed, allow_fraction);
  if (n == 0)
    return FALSE;
  g_autofree char *rest = java_trim (trimmed + n, strlen (trimmed + n));
  *number = g_strndup (trimmed, n);
  *label = g_ascii_strdown (rest, -1);
  return TRUE;
}

static const DurationUnit *
find_duration_unit (const char *label)
{
  for (guint i = 0; i < G_N_ELEMENTS (duration_units); i++)
    if (strcmp (duration_units[i].label, label) == 0)
      return &duration_units[i];
  return NULL;
}

gboolean
rsim__parse_flink_duration (const char *text, RsimTime *out_us)
{
  g_autofree char *number = NULL, *label = NULL;
  if (!split_number (text, FALSE, &number, &label))
    return FALSE;
  guint64 value;
  if (!g_ascii_string_to_unsigned (number, 10, 0, G_MAXINT64, &value, NULL))
    return FALSE;
  gint64 ns = 1000000;       /* no label: milliseconds */
  if (*label != '\0') {
    const DurationUnit *unit = find_duration_unit (label);
    if (unit == NULL)
      return FALSE;
    ns = unit->ns;
  }
  /* value * ns / 1000 must fit in a gint64 of microseconds. */
  if (ns >= 1000) {
    gint64 us_per_unit = ns / 1000;
    if (value > (guint64) (G_MAXINT64 / us_per_unit))
      return FALSE;
    *out_us = (RsimTime) value * us_per_unit;
  } else {
    *out_us = (RsimTime) (value / (guint64) (1000 / ns));
  }
  return TRUE;
}

gboolean
rsim__flink_duration_below_clock (const char *text)
{
  RsimTime us;
  if (!rsim__parse_flink_duration (text, &us) || us != 0)
    return FALSE;
  g_autofree char *number = NULL, *label = NULL;
  if (!split_number (text, FALSE, &number, &label))
    return FALSE;
  for (const char *p = number; *p; p++)
    if (*p != '0')
      return TRUE;
  return FALSE;
}

gboolean
rsim__parse_duration (const char *text, double *out_us)
{
  g_autofree char *number = NULL, *label = NULL;
  if (!split_number (text, TRUE, &number, &label))
    return FALSE;
  double value = g_ascii_strtod (number, NULL);
  double ns = 1e6;
  if (*label != '\0') {
    const DurationUnit *unit = find_duration_unit (label);
    if (unit == NULL)
      return FALSE;
    ns = (double) unit->ns;
  }
  double us = value * ns / 1000.0;
  /* Keep well inside RsimTime (about 292,000 years). */
  if (!isfinite (us) || us > 1e18)
    return FALSE;
  *out_us = us;
  return TRUE;
}

static gboolean
parse_size_label (const char *label, double *bytes)
{
  if (*label == '\0') {
    *bytes = 1.0;
    return TRUE;
  }
  for (guint i = 0; i < G_N_ELEMENTS (size_units); i++) {
    if (strcmp (size_units[i].label, label) == 0) {
      *bytes = size_units[i].bytes;
      return TRUE;
    }
  }
  return FALSE;
}

gboolean
rsim__parse_memory_size (const char *text, double *out_bytes)
{
  g_autofree char *number = NULL, *label = NULL;
  if (!split_number (text, TRUE, &number, &label))
    return FALSE;
  double unit;
  if (!parse_size_label (label, &unit))
    return FALSE;
  double v = g_ascii_strtod (number, NULL) * unit;
  if (!isfinite (v) || v > 1e18)
    return FALSE;
  *out_bytes = v;
  return TRUE;
}

gboolean
rsim__parse_rate (const char *text, double *out_rps)
{
  g_autofree char *trimmed = java_trim (text, strlen (text));
  gsize n = decimal_prefix (trimmed, TRUE);
  if (n == 0)
    return FALSE;
  double value = g_ascii_strtod (trimmed, NULL);
  const char *p = trimmed + n;
  while (*p == ' ' || *p == '\t')
    p++;
  /* A multiplier: k/K = 1e3, M = 1e6, G = 1e9 (records are counted in
   * decimal); only when no letter follows ("6k rec/s", "1.5M/s"). */
  if ((*p == 'k' || *p == 'K' || *p == 'M' || *p == 'G')
      && !g_ascii_isalpha (p[1])) {
    value *= *p == 'G' ? 1e9 : *p == 'M' ? 1e6 : 1e3;
    p++;
    while (*p == ' ' || *p == '\t')
      p++;
  }
  static const char *const units[] = { "", "/s", "rec/s", "record/s",
                                       "records/s" };
  g_autofree char *unit = g_ascii_strdown (p, -1);
  gboolean ok = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    ok = ok || strcmp (unit, units[i]) == 0;
  if (!ok || !isfinite (value) || value > 1e15)
    return FALSE;
  *out_rps = value;
  return TRUE;
}

gboolean
rsim__parse_bandwidth (const char *text, double *out_bps)
{
  g_autofree char *number = NULL, *label = NULL;
  if (!split_number (text, TRUE, &number, &label))
    return FALSE;
  /* label is "<size unit>/s", or empty for bytes per second. */
  g_autofree char *size_label = NULL;
  if (*label != '\0') {
    gsize len = strlen (label);
    if (len < 2 || strcmp (label + len - 2, "/s") != 0)
      return FALSE;
    g_autofree char *head = g_strndup (label, len - 2);
    size_label = java_trim (head, strlen (head));
  } else {
    size_label = g_strdup ("");
  }
  double unit;
  if (!parse_size_label (size_label, &unit))
    return FALSE;
  double v = g_ascii_strtod (number, NULL) * unit;
  if (!isfinite (v) || v > 1e18)
    return FALSE;
  *out_bps = v;
  return TRUE;
}

char *
rsim__format_double (double v)
{
  if (v == 0.0)
    return g_strdup ("0");         /* also for -0 */
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  for (int digits = 15; digits <= 17; digits++) {
    char fmt[8];
    g_snprintf (fmt, sizeof fmt, "%%.%dg", digits);
    g_ascii_formatd (buf, sizeof buf, fmt, v);
    if (g_ascii_strtod (buf, NULL) == v)
      break;
  }
  return g_strdup (buf);
}

/* Integral values below 2^53 print exactly as integers. */
static gboolean
as_integer (double v, gint64 *out)
{
  if (v != floor (v) || fabs (v) >= 9007199254740992.0)
    return FALSE;
  *out = (gint64) v;
  return TRUE;
}

char *
rsim__format_duration (double us)
{
  static const struct { const char *label; gint64 us; } units[] = {
    { "d", 86400 * RSIM_SEC }, { "h", RSIM_HOUR }, { "min", RSIM_MIN },
    { "s", RSIM_SEC }, { "ms", RSIM_MSEC }, { "us", RSIM_USEC },
  };
  gint64 v;
  if (as_integer (us, &v)) {
    if (v == 0)
      return g_strdup ("0 ms");
    for (guint i = 0; i < G_N_ELEMENTS (units); i++)
      if (v % units[i].us == 0)
        return g_strdup_printf ("%" G_GINT64_FORMAT " %s", v / units[i].us,
                                units[i].label);
  }
  if (as_integer (us * 1000.0, &v) && (double) v / 1000.0 == us)
    return g_strdup_printf ("%" G_GINT64_FORMAT " ns", v);
  g_autofree char *num = rsim__format_double (us);
  return g_strdup_printf ("%s us", num);
}

char *
rsim__format_size (double bytes)
{
  static const struct { const char *label; gint64 bytes; } units[] = {
    { "tb", G_GINT64_CONSTANT (1) << 40 }, { "gb", 1 << 30 },
    { "mb", 1 << 20 }, { "kb", 1 << 10 }, { "b", 1 },
  };
  gint64 v;
  if (as_integer (bytes, &v)) {
    if (v == 0)
      return g_strdup ("0 b");
    for (guint i = 0; i < G_N_ELEMENTS (units); i++)
      if (v % units[i].bytes == 0)
        return g_strdup_printf ("%" G_GINT64_FORMAT " %s", v / units[i].bytes,
                                units[i].label);
  }
  g_autofree char *num = rsim__format_double (bytes);
  return g_strdup_printf ("%s b", num);
}

char *
rsim__format_rate (double rps)
{
  g_autofree char *num = rsim__format_double (rps);
  return g_strdup_printf ("%s rec/s", num);
}

char *
rsim__format_bandwidth (double bps)
{
  g_autofree char *size = rsim__format_size (bps);
  return g_strdup_printf ("%s/s", size);
}
