/* Timeline actions and the run configuration: names, copies, release. */
#include <rescalesim/simulation.h>

#include <string.h>

const char *
rsim_action_kind_name (RsimActionKind kind)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_ACTION_KIND_LIST (RSIM_X)
#undef RSIM_X
  };
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (names), "?");
  return names[kind];
}

const char *
rsim_checkpoint_target_name (RsimCheckpointTarget target)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_CHECKPOINT_TARGET_LIST (RSIM_X)
#undef RSIM_X
  };
  g_return_val_if_fail ((guint) target < G_N_ELEMENTS (names), "?");
  return names[target];
}

const char *
rsim_submit_from_name (RsimSubmitFrom from)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_SUBMIT_FROM_LIST (RSIM_X)
#undef RSIM_X
  };
  g_return_val_if_fail ((guint) from < G_N_ELEMENTS (names), "?");
  return names[from];
}

const char *
rsim_scheduler_kind_name (RsimSchedulerKind kind)
{
  static const char *const names[] = {
#define RSIM_X(id, name) name,
    RSIM_SCHEDULER_KIND_LIST (RSIM_X)
#undef RSIM_X
  };
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (names), "?");
  return names[kind];
}

gboolean
rsim_scheduler_kind_parse (const char *text, RsimSchedulerKind *out)
{
  for (int k = RSIM_SCHEDULER_DEFAULT; k <= RSIM_SCHEDULER_REACTIVE; k++) {
    if (g_strcmp0 (text, rsim_scheduler_kind_name (k)) == 0) {
      *out = k;
      return TRUE;
    }
  }
  return FALSE;
}

void
rsim_action_clear (RsimAction *action)
{
  if (action == NULL)
    return;
  g_free (action->taskmanager_ids);
  g_free (action->parallelism);
  g_free (action->lower_bounds);
  g_free (action->upper_bounds);
  g_free (action->upgrade_flink);
  g_free (action->upgrade_costs);
  rsim_rate_spec_clear (&action->rate);
  memset (action, 0, sizeof *action);
}

void
rsim_action_copy (RsimAction *dst, const RsimAction *src)
{
  *dst = *src;
  dst->taskmanager_ids = src->n_taskmanager_ids
    ? g_memdup2 (src->taskmanager_ids, sizeof (int) * src->n_taskmanager_ids)
    : NULL;
  dst->parallelism = src->n_parallelism
    ? g_memdup2 (src->parallelism, sizeof (int) * src->n_parallelism)
    : NULL;
  dst->lower_bounds = src->n_bounds
    ? g_memdup2 (src->lower_bounds, sizeof (int) * src->n_bounds) : NULL;
  dst->upgrade_flink = src->upgrade_flink
    ? g_memdup2 (src->upgrade_flink, sizeof (RsimFlinkConf)) : NULL;
  dst->upgrade_costs = src->upgrade_costs
    ? g_memdup2 (src->upgrade_costs, sizeof (RsimCosts)) : NULL;
  dst->upper_bounds = src->n_bounds
    ? g_memdup2 (src->upper_bounds, sizeof (int) * src->n_bounds) : NULL;
  rsim_rate_spec_copy (&dst->rate, &src->rate);
}

void
rsim_sim_config_clear (RsimSimConfig *config)
{
  if (config == NULL)
    return;
  rsim_job_spec_clear (&config->job);
  rsim_rate_spec_clear (&config->workload.rate);
  for (guint i = 0; i < config->n_timeline; i++)
    rsim_action_clear (&config->timeline[i]);
  g_free (config->timeline);
  memset (config, 0, sizeof *config);
}

void
rsim_sim_config_copy (RsimSimConfig *dst, const RsimSimConfig *src)
{
  *dst = *src;
  rsim_job_spec_copy (&dst->job, &src->job);
  rsim_rate_spec_copy (&dst->workload.rate, &src->workload.rate);
  dst->timeline = src->n_timeline ? g_new0 (RsimAction, src->n_timeline) : NULL;
  for (guint i = 0; i < src->n_timeline; i++)
    rsim_action_copy (&dst->timeline[i], &src->timeline[i]);
}

G_DEFINE_QUARK (rsim-sim-error-quark, rsim_sim_error)
