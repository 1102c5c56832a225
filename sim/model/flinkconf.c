/* Names of the enumerations in the resolved Flink configuration. */
#include <rescalesim/flinkconf.h>

const char *
rsim_restart_kind_name (RsimRestartKind kind)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_RESTART_KIND_LIST (RSIM_X)
#undef RSIM_X
  };
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (names), "?");
  return names[kind];
}

const char *
rsim_failover_kind_name (RsimFailoverKind kind)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_FAILOVER_KIND_LIST (RSIM_X)
#undef RSIM_X
  };
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (names), "?");
  return names[kind];
}
