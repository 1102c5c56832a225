/* Building and tearing down a world: the model pieces of one run (engine,
 * rules, recorder, job graph, data flow, metrics integrator, cluster, slot
 * pool, checkpoint coordinator), in the order they depend on each other,
 * and wired together (the data flow's observer is the integrator). Used by the
 * simulation and by the unit suites that drive one model piece directly. */
#include "model/model.h"

#include <string.h>

void
rsim_world_init (RsimWorld *w, const RsimWorldSpec *spec)
{
  memset (w, 0, sizeof *w);
  w->engine = rsim_engine_new (spec->seed);
  w->conf = spec->conf;
  w->version = spec->version;
  w->rules = rsim_rules_resolve (spec->version);
  w->costs = spec->costs;
  w->record_bytes = spec->record_bytes;
  w->recorder = rsim_recorder_new (w, spec->sinks);
  w->graph = rsim_job_graph_new (spec->job, spec->conf->pipeline_max_parallelism);
  w->flow = rsim_dataflow_new (w->engine, spec->rate);
  w->metrics = rsim_metrics_new (w);
  w->flow->observer = rsim_metrics_flow_observer (w->metrics);
  w->slots = rsim_slot_pool_new ();
  rsim_slot_pool_observe (w->slots, rsim_metrics_slots_changing, w->metrics);
  rsim_slot_pool_set_clock (w->slots, w->engine);
  w->cluster = rsim_cluster_new (w, spec->rm_mode);
  w->cluster->exact_heartbeats = spec->exact_heartbeats;
  w->checkpoints = rsim_checkpoint_coordinator_new (w);
}

void
rsim_world_clear (RsimWorld *w)
{
  rsim_checkpoint_coordinator_free (w->checkpoints);
  rsim_cluster_free (w->cluster);
  rsim_slot_pool_free (w->slots);
  rsim_metrics_free (w->metrics);
  rsim_dataflow_free (w->flow);
  rsim_job_graph_free (w->graph);
  rsim_recorder_free (w->recorder);
  rsim_engine_free (w->engine);
  memset (w, 0, sizeof *w);
}
