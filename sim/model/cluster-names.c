/* Names of the cluster enumerations (resource manager mode, how a killed
 * TaskManager answers RPCs). */
#include <rescalesim/cluster.h>

const char *
rsim_rm_mode_name (RsimRmMode mode)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_RM_MODE_LIST (RSIM_X)
#undef RSIM_X
  };
  g_return_val_if_fail ((guint) mode < G_N_ELEMENTS (names), "?");
  return names[mode];
}

const char *
rsim_kill_rpc_name (RsimKillRpc rpc)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_KILL_RPC_LIST (RSIM_X)
#undef RSIM_X
  };
  g_return_val_if_fail ((guint) rpc < G_N_ELEMENTS (names), "?");
  return names[rpc];
}
