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

const char *
rsim_state_backend_name (RsimStateBackend backend)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_STATE_BACKEND_LIST (RSIM_X)
#undef RSIM_X
  };
  g_return_val_if_fail ((guint) backend < G_N_ELEMENTS (names), "?");
  return names[backend];
}

void
rsim_flink_conf_apply_mode (RsimFlinkConf *conf, gboolean reactive)
{
  if (conf->as_resource_wait_timeout == RSIM_TIME_MODE_DEFAULT)
    conf->as_resource_wait_timeout = reactive ? -1 : 5 * RSIM_MIN;
  if (conf->as_resource_stabilization_timeout == RSIM_TIME_MODE_DEFAULT)
    conf->as_resource_stabilization_timeout = reactive ? 0 : 10 * RSIM_SEC;
}
