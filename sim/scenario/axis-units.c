/* The units of sweep axes: which axes hold quantities written with units
 * ("10 s", "4 GB", "6k rec/s", "20 MB/s") and their values in base units,
 * for the numeric twin columns of sweep.csv and summary.csv (sweep.h).
 *
 * The kind of an axis comes from what the place holds where that is known
 * (a Flink key's type; the memory-size fields), else from the text of its
 * values: each must carry a unit, and all must parse as the same kind. The
 * kind is worked out per call from the values; sweeps have a handful of
 * axes and values. */
#include "scenario/scenario-private.h"

#include <math.h>
#include <string.h>

#include <rescalesim/sweep.h>

#define FLINK_CONFIG_PREFIX "flink.config."

/* Whether text carries a unit: a letter or a '/' after the number. */
static gboolean
has_unit (const char *text)
{
  for (const char *p = text; *p; p++)
    if (g_ascii_isalpha (*p) || *p == '/')
      return TRUE;
  return FALSE;
}

/* The fields that hold memory sizes, by the path's last member. */
static gboolean
is_memory_field (const char *axis)
{
  const char *dot = strrchr (axis, '.');
  const char *last = dot ? dot + 1 : axis;
  return strcmp (last, "state") == 0 || strcmp (last, "record_size") == 0;
}

static gboolean
parse_as (RsimAxisUnit unit, gboolean flink_key, const char *text,
          double *out)
{
  switch (unit) {
  case RSIM_AXIS_SECONDS:
    if (flink_key) {
      RsimTime us;
      if (!rsim__parse_flink_duration (text, &us))
        return FALSE;
      *out = RSIM_TIME_TO_SEC (us);
      return TRUE;
    } else {
      double us;
      if (!has_unit (text) || !rsim__parse_duration (text, &us))
        return FALSE;
      *out = us / 1e6;
      return TRUE;
    }
  case RSIM_AXIS_BYTES:
    return has_unit (text) && rsim__parse_memory_size (text, out);
  case RSIM_AXIS_RECORDS_PER_S:
    return strchr (text, '/') != NULL && rsim__parse_rate (text, out);
  case RSIM_AXIS_BYTES_PER_S:
    return strchr (text, '/') != NULL && rsim__parse_bandwidth (text, out);
  case RSIM_AXIS_TEXT:
    break;
  }
  return FALSE;
}

static gboolean
all_parse (const RsimSweep *sweep, guint axis, RsimAxisUnit unit,
           gboolean flink_key)
{
  guint n = rsim_sweep_n_points (sweep);
  for (guint p = 0; p < n; p++) {
    double v;
    if (!parse_as (unit, flink_key, rsim_sweep_point_values (sweep, p)[axis],
                   &v))
      return FALSE;
  }
  return n > 0;
}

RsimAxisUnit
rsim_sweep_axis_unit (const RsimSweep *sweep, guint axis)
{
  g_return_val_if_fail (sweep != NULL, RSIM_AXIS_TEXT);
  g_return_val_if_fail (axis < rsim_sweep_n_axes (sweep), RSIM_AXIS_TEXT);
  const char *name = rsim_sweep_axis_name (sweep, axis);
  if (g_str_has_prefix (name, FLINK_CONFIG_PREFIX)) {
    const char *key = name + strlen (FLINK_CONFIG_PREFIX);
    return rsim__flink_key_is_duration (key)
           && all_parse (sweep, axis, RSIM_AXIS_SECONDS, TRUE)
           ? RSIM_AXIS_SECONDS : RSIM_AXIS_TEXT;
  }
  if (g_str_equal (name, "scheduler") || g_str_equal (name, "flink.version"))
    return RSIM_AXIS_TEXT;
  if (is_memory_field (name))
    return all_parse (sweep, axis, RSIM_AXIS_BYTES, FALSE)
           ? RSIM_AXIS_BYTES : RSIM_AXIS_TEXT;
  /* A rate is records ("rec/s", "/s"); a bandwidth names bytes. The rate
   * parser refuses byte units, so it goes first. */
  static const RsimAxisUnit order[] = { RSIM_AXIS_RECORDS_PER_S,
                                        RSIM_AXIS_BYTES_PER_S,
                                        RSIM_AXIS_SECONDS };
  for (gsize i = 0; i < G_N_ELEMENTS (order); i++)
    if (all_parse (sweep, axis, order[i], FALSE))
      return order[i];
  return RSIM_AXIS_TEXT;
}

const char *
rsim_axis_unit_suffix (RsimAxisUnit unit)
{
  switch (unit) {
  case RSIM_AXIS_SECONDS: return "_s";
  case RSIM_AXIS_BYTES: return "_bytes";
  case RSIM_AXIS_RECORDS_PER_S: return "_per_s";
  case RSIM_AXIS_BYTES_PER_S: return "_bytes_per_s";
  case RSIM_AXIS_TEXT: break;
  }
  return "";
}

double
rsim_sweep_point_number (const RsimSweep *sweep, guint point, guint axis)
{
  g_return_val_if_fail (sweep != NULL, NAN);
  g_return_val_if_fail (point < rsim_sweep_n_points (sweep), NAN);
  RsimAxisUnit unit = rsim_sweep_axis_unit (sweep, axis);
  const char *name = rsim_sweep_axis_name (sweep, axis);
  double v;
  if (unit == RSIM_AXIS_TEXT
      || !parse_as (unit, g_str_has_prefix (name, FLINK_CONFIG_PREFIX),
                    rsim_sweep_point_values (sweep, point)[axis], &v))
    return NAN;
  return v;
}
