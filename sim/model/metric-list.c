/* The metric list of include/rescalesim/metrics.h as data, and the one
 * function that reads a metric's value from a result: beside RsimResult,
 * whose members it names, in the model, where the metrics are made. The
 * report, the summary table, the sweep columns and the check gate read
 * it. */
#include <math.h>

#include <rescalesim/metrics.h>

const RsimMetricInfo rsim_metrics[RSIM_N_METRICS] = {
#define RSIM_X(name, type, unit, row, label, word, flags, abs, rel, desc)     \
  { #name, RSIM_METRIC_##type, unit, row, label, word, flags, abs, rel,      \
    desc },
  RSIM_METRIC_LIST (RSIM_X)
#undef RSIM_X
};

/* How each type reads its member: numbers as doubles, a list by its
 * length; strings and per-vertex values are not numbers. */
#define GET_DOUBLE(r, f) ((double) (r)->f)
#define GET_OPTIONAL(r, f) ((double) (r)->f)
#define GET_UINT(r, f) ((double) (r)->f)
#define GET_COUNT(r, f) ((r)->f != NULL ? (double) (r)->f->len : 0.0)
#define GET_STATE(r, f) ((void) (r)->f, NAN)
#define GET_PARALLELISM(r, f) ((void) (r)->f, NAN)

double
rsim_metric_value (const RsimResult *result, RsimMetricId id)
{
  g_return_val_if_fail (result != NULL, NAN);
  switch (id) {
#define RSIM_X(name, type, unit, row, label, word, flags, abs, rel, desc)     \
  case RSIM_METRIC_ID_##name:                                                \
    return GET_##type (result, name);
  RSIM_METRIC_LIST (RSIM_X)
#undef RSIM_X
  case RSIM_N_METRICS:
    break;
  }
  g_return_val_if_reached (NAN);
}
