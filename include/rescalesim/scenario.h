/* rescalesim: scenario files (JSON) -> a resolved, validated configuration.
 *
 * Flink settings use Flink's own keys and value syntax ("50 s", "10s",
 * "1 min", "500 ms"); everything Flink has no key for (the job's shape, the
 * workload, costs, the timeline) uses the project's own keys. Every field is
 * validated. Errors name the file, line and column for syntax, and the JSON
 * path, what was expected and what was found for meaning, e.g.
 *   scenarios/x.json: job.vertices[1].parallelism: expected an integer from
 *   1 to 32768, got 0
 * A scenario that fails to load produces no output at all. */
#pragma once

#include <glib.h>
#include <rescalesim/simulation.h>

G_BEGIN_DECLS

/* The largest seed, in a scenario ("seed", "sweep.seeds.base") and on the
 * command line (run --seed): 2^53 - 1, the largest integer every JSON
 * reader keeps exactly. */
#define RSIM_SEED_MAX G_GUINT64_CONSTANT (9007199254740991)

#define RSIM_SCENARIO_ERROR (rsim_scenario_error_quark ())
GQuark rsim_scenario_error_quark (void);

typedef enum {
  RSIM_SCENARIO_ERROR_IO,       /* cannot read the file */
  RSIM_SCENARIO_ERROR_SYNTAX,   /* not JSON: message has file:line:col */
  RSIM_SCENARIO_ERROR_INVALID,  /* JSON, but a field is wrong: has the path */
} RsimScenarioError;

struct RsimScenario {
  char *path;                   /* as given, or a display name */
  char *name;
  char *description;            /* "" when absent */
  /* The resolved configuration. config.scheduler is schedulers[0] and
   * config.seed the scenario's seed (default 1); callers copy the config and
   * change both per run. */
  RsimSimConfig config;
  RsimSchedulerKind *schedulers;
  guint n_schedulers;
  GPtrArray *warnings;          /* char*: deprecated keys, unmodelled keys */
  /* The file has a "sweep" block (checked for its shape only). This is
   * the base scenario: only rsim_sweep_load_file() (sweep.h) expands the
   * axes. */
  gboolean has_sweep;
  /* The Flink configuration file read (flink.config_file or run
   * --flink-conf) as written, and where each key of the merged
   * configuration came from: pairs KEY, ORIGIN ("FILE:LINE" or "scenario")
   * in the order read. Both NULL without a file. */
  char *flink_config_file;
  GPtrArray *flink_sources;
};

RsimScenario *rsim_scenario_load_file (const char *path, GError **error);
/* Same from memory; display_name is used in messages. */
RsimScenario *rsim_scenario_load_data (const char *data, gsize length,
                                       const char *display_name,
                                       GError **error);
/* rsim_scenario_load_file() with a Flink configuration file (config.yaml
 * or flink-conf.yaml) read in place of flink.config_file; the scenario's
 * flink.config still wins over its keys. flink_conf may be NULL. */
RsimScenario *rsim_scenario_load_file_with_conf (const char *path,
                                                 const char *flink_conf,
                                                 GError **error);
void rsim_scenario_free (RsimScenario *scenario);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsimScenario, rsim_scenario_free)

/* The fully resolved configuration of one run as canonical JSON text (Flink
 * keys with their effective values in Flink's units, the job, workload, costs,
 * timeline, seed and scheduler). Deterministic. (transfer full) */
char *rsim_scenario_config_to_json (const RsimScenario *scenario,
                                    const RsimSimConfig *config);

/* The Flink configuration of `version` with every default of that version
 * (the table the scenario loader reads "flink.config" with), after the
 * given Flink keys and values: pairs is a NULL-terminated list of key,
 * value strings in Flink's syntax ("execution.checkpointing.interval",
 * "10 s", NULL). Fails like the loader on a bad key or value. */
gboolean rsim_flink_conf_resolve (RsimFlinkConf *conf, RsimFlinkVersion version,
                                  const char *const *pairs, GError **error);

G_END_DECLS
