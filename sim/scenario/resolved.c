/* The resolved configuration of one run as canonical JSON text.
 *
 * Everything a run depends on, with every default applied: scheduler, seed,
 * Flink version, every modelled Flink key that exists in that version (under
 * the name it has there) with its effective value in Flink's syntax, the
 * cluster, the job (resolved max parallelism and ship strategies), the
 * workload, every cost, the timeline, the duration and the sample interval;
 * the failures and the controller when there are any.
 * Keys come in a fixed order and numbers print in the C locale, so the same
 * configuration always gives the same bytes. */
#include "scenario-private.h"

#include <string.h>

static void
add_duration (cJSON *obj, const char *key, double us)
{
  g_autofree char *text = rsim__format_duration (us);
  cJSON_AddStringToObject (obj, key, text);
}

static void
add_size (cJSON *obj, const char *key, double bytes)
{
  g_autofree char *text = rsim__format_size (bytes);
  cJSON_AddStringToObject (obj, key, text);
}

static void
add_rate (cJSON *obj, const char *key, double rps)
{
  g_autofree char *text = rsim__format_rate (rps);
  cJSON_AddStringToObject (obj, key, text);
}

static cJSON *
cost_value (RsimCostUnit unit, double v)
{
  g_autofree char *text = unit == RSIM_COST_BANDWIDTH
    ? rsim__format_bandwidth (v) : rsim__format_duration (v);
  return cJSON_CreateString (text);
}

static cJSON *
dist_to_json (const RsimDist *d, RsimCostUnit unit)
{
  if (d->kind == RSIM_DIST_CONSTANT)
    return cost_value (unit, d->a);
  cJSON *obj = cJSON_CreateObject ();
  cJSON_AddStringToObject (obj, "type", rsim_dist_kind_name (d->kind));
  switch (d->kind) {
  case RSIM_DIST_UNIFORM:
    cJSON_AddItemToObject (obj, "min", cost_value (unit, d->a));
    cJSON_AddItemToObject (obj, "max", cost_value (unit, d->b));
    break;
  case RSIM_DIST_NORMAL:
    cJSON_AddItemToObject (obj, "mean", cost_value (unit, d->a));
    cJSON_AddItemToObject (obj, "stddev", cost_value (unit, d->b));
    break;
  case RSIM_DIST_LOGNORMAL:
    cJSON_AddItemToObject (obj, "median", cost_value (unit, d->a));
    cJSON_AddNumberToObject (obj, "sigma", d->b);
    break;
  case RSIM_DIST_EXPONENTIAL:
    cJSON_AddItemToObject (obj, "mean", cost_value (unit, d->a));
    break;
  default:
    break;
  }
  return obj;
}

static cJSON *
job_to_json (const RsimJobSpec *job)
{
  cJSON *obj = cJSON_CreateObject ();
  cJSON *vertices = cJSON_AddArrayToObject (obj, "vertices");
  for (guint i = 0; i < job->n_vertices; i++) {
    const RsimVertexSpec *v = &job->vertices[i];
    cJSON *o = cJSON_CreateObject ();
    cJSON_AddStringToObject (o, "name", v->name);
    cJSON_AddNumberToObject (o, "parallelism", v->parallelism);
    int maxp = v->max_parallelism > 0 ? v->max_parallelism
                                      : rsim_default_max_parallelism (v->parallelism);
    cJSON_AddNumberToObject (o, "max_parallelism", maxp);
    cJSON_AddStringToObject (o, "slot_sharing_group", v->slot_sharing_group);
    add_rate (o, "capacity", v->capacity);
    add_size (o, "state", v->state_bytes);
    if (v->state_change_rate > 0.0) {
      g_autofree char *rate = rsim__format_bandwidth (v->state_change_rate);
      cJSON_AddStringToObject (o, "state_change", rate);
    }
    if (v->chain != RSIM_CHAIN_DEFAULT)
      cJSON_AddStringToObject (o, "chain", rsim_chain_name (v->chain));
    /* A job vertex that chains several operators lists them, head first
     * (Flink's task name is theirs joined by " -> "). */
    if (v->operators != NULL) {
      cJSON *ops = cJSON_AddArrayToObject (o, "operators");
      for (char **op = v->operators; *op; op++)
        cJSON_AddItemToArray (ops, cJSON_CreateString (*op));
    }
    cJSON_AddItemToArray (vertices, o);
  }
  cJSON *edges = cJSON_AddArrayToObject (obj, "edges");
  for (guint i = 0; i < job->n_edges; i++) {
    const RsimEdgeSpec *e = &job->edges[i];
    cJSON *o = cJSON_CreateObject ();
    cJSON_AddStringToObject (o, "from", job->vertices[e->from].name);
    cJSON_AddStringToObject (o, "to", job->vertices[e->to].name);
    cJSON_AddStringToObject (o, "ship", rsim_ship_name (e->ship));
    cJSON_AddItemToArray (edges, o);
  }
  cJSON_AddStringToObject (obj, "savepoint_format",
                           job->native_savepoints ? "native" : "canonical");
  return obj;
}

/* {vertex: parallelism} for the vertices the action changes. */
static cJSON *
parallelism_to_json (const RsimAction *a, const RsimJobSpec *job)
{
  cJSON *obj = cJSON_CreateObject ();
  for (guint i = 0; i < a->n_parallelism && i < job->n_vertices; i++)
    if (a->parallelism[i] > 0)
      cJSON_AddNumberToObject (obj, job->vertices[i].name, a->parallelism[i]);
  return obj;
}

static cJSON *
action_to_json (const RsimAction *a, const RsimJobSpec *job)
{
  cJSON *o = cJSON_CreateObject ();
  add_duration (o, "at", (double) a->at);
  cJSON_AddStringToObject (o, "action", rsim_action_kind_name (a->kind));
  switch (a->kind) {
  case RSIM_ACTION_ADD_TASKMANAGERS:
    cJSON_AddNumberToObject (o, "count", a->count);
    break;
  case RSIM_ACTION_STOP_TASKMANAGERS:
  case RSIM_ACTION_KILL_TASKMANAGERS:
  case RSIM_ACTION_HANG_TASKMANAGERS:
    if (a->taskmanager_ids != NULL)
      cJSON_AddItemToObject (o, "taskmanagers",
                             cJSON_CreateIntArray (a->taskmanager_ids,
                                                   (int) a->n_taskmanager_ids));
    else
      cJSON_AddNumberToObject (o, "count", a->count);
    if (a->kind == RSIM_ACTION_KILL_TASKMANAGERS)
      cJSON_AddStringToObject (o, "rpc", rsim_kill_rpc_name (a->kill_rpc));
    break;
  case RSIM_ACTION_FAIL_TASK:
    cJSON_AddStringToObject (o, "vertex", job->vertices[a->vertex].name);
    cJSON_AddNumberToObject (o, "subtask", a->subtask);
    break;
  case RSIM_ACTION_SET_RATE:
    cJSON_AddItemToObject (o, "rate", rsim__rate_spec_to_json (&a->rate));
    break;
  case RSIM_ACTION_FAIL_CHECKPOINTS:
    cJSON_AddNumberToObject (o, "count", a->count);
    cJSON_AddStringToObject (o, "kind",
                             rsim_checkpoint_target_name (a->checkpoint_target));
    break;
  case RSIM_ACTION_STOP_WITH_SAVEPOINT:
    cJSON_AddBoolToObject (o, "resubmit", a->parallelism != NULL);
    if (a->parallelism != NULL)
      cJSON_AddItemToObject (o, "parallelism", parallelism_to_json (a, job));
    break;
  case RSIM_ACTION_FLINK_MODIFY:
  case RSIM_ACTION_SCALE:
  case RSIM_ACTION_UPDATE_DEPLOYMENT:
    cJSON_AddItemToObject (o, "parallelism", parallelism_to_json (a, job));
    break;
  case RSIM_ACTION_SUBMIT:
    cJSON_AddStringToObject (o, "from", rsim_submit_from_name (a->submit_from));
    if (a->parallelism != NULL)
      cJSON_AddItemToObject (o, "parallelism", parallelism_to_json (a, job));
    cJSON_AddBoolToObject (o, "new_cluster", a->new_cluster);
    if (a->new_cluster && a->count > 0)
      cJSON_AddNumberToObject (o, "taskmanagers", a->count);
    break;
  case RSIM_ACTION_UPGRADE_FLINK: {
    g_autofree char *v = rsim_version_to_string (a->upgrade_version);
    cJSON_AddStringToObject (o, "version", v);
    if (a->parallelism != NULL)
      cJSON_AddItemToObject (o, "parallelism", parallelism_to_json (a, job));
    if (a->count > 0)
      cJSON_AddNumberToObject (o, "taskmanagers", a->count);
    break;
  }
  case RSIM_ACTION_BLUE_GREEN:
    if (a->upgrade_flink != NULL) {
      g_autofree char *v = rsim_version_to_string (a->upgrade_version);
      cJSON_AddStringToObject (o, "version", v);
    }
    if (a->parallelism != NULL)
      cJSON_AddItemToObject (o, "parallelism", parallelism_to_json (a, job));
    if (a->count > 0)
      cJSON_AddNumberToObject (o, "taskmanagers", a->count);
    break;
  case RSIM_ACTION_SET_RESOURCE_REQUIREMENTS: {
    cJSON *req = cJSON_AddObjectToObject (o, "requirements");
    for (guint i = 0; i < a->n_bounds && i < job->n_vertices; i++) {
      if (a->lower_bounds[i] == RSIM_BOUND_MISSING)
        continue;
      cJSON *b = cJSON_AddObjectToObject (req, job->vertices[i].name);
      cJSON_AddNumberToObject (b, "lowerBound", a->lower_bounds[i]);
      cJSON_AddNumberToObject (b, "upperBound", a->upper_bounds[i]);
    }
    break;
  }
  }
  return o;
}

static void
add_distribution (cJSON *o, const char *key, const RsimMtbf *m)
{
  if (m->kind == RSIM_MTBF_NONE)
    return;
  cJSON *d = cJSON_AddObjectToObject (o, key);
  cJSON_AddStringToObject (d, "type", rsim_mtbf_kind_name (m->kind));
  switch (m->kind) {
  case RSIM_MTBF_CONSTANT:
    add_duration (d, "value", m->a);
    break;
  case RSIM_MTBF_WEIBULL:
    add_duration (d, "scale", m->a);
    cJSON_AddNumberToObject (d, "shape", m->b);
    break;
  case RSIM_MTBF_LOGNORMAL:
    add_duration (d, "median", m->a);
    cJSON_AddNumberToObject (d, "sigma", m->b);
    break;
  default:
    add_duration (d, "mean", m->a);
    break;
  }
}

static cJSON *
failures_to_json (const RsimFailureSpec *f)
{
  cJSON *o = cJSON_CreateObject ();
  add_distribution (o, "taskmanager_mtbf", &f->taskmanager_mtbf);
  cJSON_AddNumberToObject (o, "checkpoint_failure_probability",
                           f->checkpoint_failure_probability);
  add_distribution (o, "pause_interval", &f->pause_interval);
  add_distribution (o, "pause_duration", &f->pause_duration);
  return o;
}

static cJSON *
autoscaler_to_json (const RsimAutoscalerSpec *a)
{
  cJSON *o = cJSON_CreateObject ();
  g_autofree char *op = g_strdup_printf ("1.%d", a->operator_minor);
  cJSON_AddStringToObject (o, "operator_version", op);
  cJSON_AddStringToObject (o, "upgrade_mode",
                           rsim_upgrade_mode_name (a->upgrade_mode));
  cJSON_AddNumberToObject (o, "source_partitions", a->source_partitions);
  cJSON *config = cJSON_AddObjectToObject (o, "config");
  const RsimOperatorRelease *rel = rsim_operator_release (a->operator_minor);
  for (guint i = 0; i < rsim__n_autoscaler_keys; i++) {
    const RsimAutoscalerKey *k = &rsim__autoscaler_keys[i];
    /* Keys the operator release does not have (1.4). */
    if ((k->offset == G_STRUCT_OFFSET (RsimAutoscalerSpec, backlog_threshold)
         && !rel->has_backlog_threshold)
        || (k->offset == G_STRUCT_OFFSET (RsimAutoscalerSpec, scale_up_max_factor)
            && !rel->has_scale_up_max_factor))
      continue;
    switch (k->type) {
    case RSIM_AUTOSCALER_KEY_DURATION:
      add_duration (config, k->name,
                    (double) G_STRUCT_MEMBER (RsimTime, a, k->offset));
      break;
    case RSIM_AUTOSCALER_KEY_NUMBER:
      cJSON_AddNumberToObject (config, k->name,
                               G_STRUCT_MEMBER (double, a, k->offset));
      break;
    case RSIM_AUTOSCALER_KEY_INT:
      cJSON_AddNumberToObject (config, k->name,
                               G_STRUCT_MEMBER (int, a, k->offset));
      break;
    case RSIM_AUTOSCALER_KEY_BOOL:
      cJSON_AddBoolToObject (config, k->name,
                             G_STRUCT_MEMBER (int, a, k->offset) != 0);
      break;
    }
  }
  return o;
}

static cJSON *
replicas_to_json (const RsimReplicaSpec *r)
{
  cJSON *o = cJSON_CreateObject ();
  cJSON_AddStringToObject (o, "metric", rsim_replica_metric_name (r->metric));
  cJSON_AddNumberToObject (o, "scale_up_above", r->scale_up_above);
  cJSON_AddNumberToObject (o, "scale_down_below", r->scale_down_below);
  add_duration (o, "interval", (double) r->interval);
  add_duration (o, "scale_up_stabilization",
                (double) r->scale_up_stabilization);
  add_duration (o, "scale_down_stabilization",
                (double) r->scale_down_stabilization);
  cJSON_AddNumberToObject (o, "min_taskmanagers", r->min_taskmanagers);
  cJSON_AddNumberToObject (o, "max_taskmanagers", r->max_taskmanagers);
  cJSON_AddNumberToObject (o, "step", r->step);
  cJSON_AddStringToObject (o, "remove", rsim_replica_removal_name (r->removal));
  return o;
}

static cJSON *
hpa_rules_to_json (const RsimHpaRules *r)
{
  static const char *const select[] = { "Max", "Min", "Disabled" };
  cJSON *o = cJSON_CreateObject ();
  add_duration (o, "stabilization_window", (double) r->stabilization);
  cJSON_AddStringToObject (o, "select_policy", select[r->select]);
  cJSON *list = cJSON_AddArrayToObject (o, "policies");
  for (guint i = 0; i < r->n_policies; i++) {
    const RsimHpaPolicy *p = &r->policies[i];
    cJSON *item = cJSON_CreateObject ();
    cJSON_AddStringToObject (item, "type", p->type == RSIM_HPA_POLICY_PODS
                                           ? "Pods" : "Percent");
    cJSON_AddNumberToObject (item, "value", p->value);
    add_duration (item, "period", (double) p->period);
    cJSON_AddItemToArray (list, item);
  }
  return o;
}

static cJSON *
hpa_to_json (const RsimHpaSpec *h)
{
  cJSON *o = cJSON_CreateObject ();
  cJSON_AddStringToObject (o, "metric", rsim_hpa_metric_name (h->metric));
  cJSON_AddNumberToObject (o, "target", h->target);
  cJSON_AddNumberToObject (o, "tolerance", h->tolerance);
  add_duration (o, "sync_period", (double) h->sync_period);
  add_duration (o, "readiness_delay", (double) h->readiness_delay);
  cJSON_AddNumberToObject (o, "min_replicas", h->min_replicas);
  cJSON_AddNumberToObject (o, "max_replicas", h->max_replicas);
  cJSON_AddStringToObject (o, "remove", h->remove_kill ? "kill" : "stop");
  cJSON *b = cJSON_AddObjectToObject (o, "behavior");
  cJSON_AddItemToObject (b, "scale_up", hpa_rules_to_json (&h->scale_up));
  cJSON_AddItemToObject (b, "scale_down", hpa_rules_to_json (&h->scale_down));
  cJSON *cpu = cJSON_AddObjectToObject (o, "cpu");
  if (h->cpu_request > 0.0)
    cJSON_AddNumberToObject (cpu, "request", h->cpu_request);
  else
    cJSON_AddStringToObject (cpu, "request", "slots");
  cJSON_AddNumberToObject (cpu, "background", h->cpu_background);
  cJSON_AddNumberToObject (cpu, "per_busy_slot", h->cpu_per_busy_slot);
  return o;
}

static cJSON *
ververica_to_json (const RsimVervericaSpec *v)
{
  cJSON *o = cJSON_CreateObject ();
  cJSON_AddStringToObject (o, "upgrade_strategy",
                           rsim_vvp_upgrade_name (v->upgrade));
  cJSON_AddStringToObject (o, "restore_strategy",
                           rsim_vvp_restore_name (v->restore));
  cJSON_AddNumberToObject (o, "savepoint_retries", v->savepoint_retries);
  return o;
}

/* The enabled controller with every setting resolved (the loader allows
 * at most one); NULL when none runs. */
static cJSON *
controllers_to_json (const RsimControllersSpec *c)
{
  if (!c->autoscaler.enabled && !c->replicas.enabled && !c->hpa.enabled
      && !c->ververica.enabled)
    return NULL;
  cJSON *o = cJSON_CreateObject ();
  if (c->autoscaler.enabled)
    cJSON_AddItemToObject (o, "autoscaler", autoscaler_to_json (&c->autoscaler));
  if (c->replicas.enabled)
    cJSON_AddItemToObject (o, "replicas", replicas_to_json (&c->replicas));
  if (c->hpa.enabled)
    cJSON_AddItemToObject (o, "hpa", hpa_to_json (&c->hpa));
  if (c->ververica.enabled)
    cJSON_AddItemToObject (o, "ververica", ververica_to_json (&c->ververica));
  return o;
}

char *
rsim_scenario_config_to_json (const RsimScenario *scenario,
                              const RsimSimConfig *config)
{
  g_return_val_if_fail (scenario != NULL, NULL);
  if (config == NULL)
    config = &scenario->config;

  cJSON *root = cJSON_CreateObject ();
  cJSON_AddStringToObject (root, "name", scenario->name);
  cJSON_AddStringToObject (root, "scheduler",
                           rsim_scheduler_kind_name (config->scheduler));
  /* Raw, so seeds above 2^53 print exactly. */
  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, config->seed);
  cJSON_AddRawToObject (root, "seed", seed);
  add_duration (root, "duration", (double) config->duration);
  if (config->sample_interval > 0)
    add_duration (root, "sample_interval", (double) config->sample_interval);
  else
    cJSON_AddStringToObject (root, "sample_interval", "auto");

  cJSON *flink = cJSON_AddObjectToObject (root, "flink");
  g_autofree char *version = rsim_version_to_string (config->version);
  cJSON_AddStringToObject (flink, "version", version);
  /* The effective values of this run: reactive mode's own defaults. */
  RsimFlinkConf effective = config->flink;
  rsim_flink_conf_apply_mode (&effective,
                              config->scheduler == RSIM_SCHEDULER_REACTIVE);
  cJSON_AddItemToObject (flink, "config",
                         rsim__flink_config_to_json (&effective,
                                                     config->version));
  /* Only with a configuration file, so that other scenarios keep their
   * bytes: where each key set came from; keys not listed are defaults. */
  if (scenario->flink_sources != NULL) {
    cJSON_AddStringToObject (flink, "config_file", scenario->flink_config_file);
    cJSON *src = cJSON_AddObjectToObject (flink, "config_sources");
    for (guint i = 0; i + 1 < scenario->flink_sources->len; i += 2)
      cJSON_AddStringToObject (src,
                               g_ptr_array_index (scenario->flink_sources, i),
                               g_ptr_array_index (scenario->flink_sources,
                                                  i + 1));
  }

  cJSON *cluster = cJSON_AddObjectToObject (root, "cluster");
  cJSON_AddNumberToObject (cluster, "taskmanagers", config->cluster.taskmanagers);
  cJSON_AddStringToObject (cluster, "resource_manager",
                           rsim_rm_mode_name (config->cluster.rm_mode));

  cJSON_AddItemToObject (root, "job", job_to_json (&config->job));

  cJSON *workload = cJSON_AddObjectToObject (root, "workload");
  cJSON_AddItemToObject (workload, "rate",
                         rsim__rate_spec_to_json (&config->workload.rate));
  add_size (workload, "record_size", config->workload.record_bytes);

  cJSON *costs = cJSON_AddObjectToObject (root, "costs");
  for (guint i = 0; i < rsim__n_cost_keys; i++) {
    const RsimCostKey *k = &rsim__cost_keys[i];
    const RsimDist *d = &G_STRUCT_MEMBER (RsimDist, &config->costs, k->offset);
    cJSON_AddItemToObject (costs, k->key, dist_to_json (d, k->unit));
  }

  cJSON *timeline = cJSON_AddArrayToObject (root, "timeline");
  for (guint i = 0; i < config->n_timeline; i++)
    cJSON_AddItemToArray (timeline,
                          action_to_json (&config->timeline[i], &config->job));

  /* Only when some failure is drawn, so that scenarios without the block
   * keep their bytes. */
  if (rsim_failure_spec_enabled (&config->failures))
    cJSON_AddItemToObject (root, "failures", failures_to_json (&config->failures));
  /* Likewise only when a controller runs. */
  cJSON *controllers = controllers_to_json (&config->controllers);
  if (controllers != NULL)
    cJSON_AddItemToObject (root, "controllers", controllers);

  char *text = cJSON_Print (root);
  cJSON_Delete (root);
  char *out = g_strconcat (text, "\n", NULL);
  cJSON_free (text);
  return out;
}
