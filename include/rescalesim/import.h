/* rescalesim: importing what a Flink user already has into a scenario.
 *
 *   - a job's plan, as Flink's REST API returns it (GET /jobs/:jobid/plan,
 *     or the job details of GET /jobs/:jobid, which carry the plan and each
 *     vertex's max parallelism) or as "flink info" prints it (the stream
 *     graph, whose chains are inferred);
 *   - a Kubernetes operator FlinkDeployment (YAML), optionally with a plan.
 *
 * Each import returns a complete scenario as JSON text that loads as it is.
 * What a plan or a deployment does not say (each vertex's capacity, state
 * sizes, the input rate) is filled with placeholder values that are listed
 * in the scenario's description and in the notes, with the Flink metrics
 * that give the real numbers. Errors name the file and the JSON path (or
 * FILE:LINE:COL for YAML syntax); nothing is returned on an error. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *flink_version;  /* for a plan: the scenario's Flink version
                               * (NULL: 1.20) */
  const char *name;           /* the scenario's name (NULL: from the input) */
} RsimImportOptions;

/* A plan (REST or "flink info") -> scenario JSON. notes (may be NULL) gets
 * char* lines for the user: placeholders, mapped ship strategies.
 * (transfer full) */
char *rsim_import_plan (const char *data, gsize length,
                        const char *display_name,
                        const RsimImportOptions *options, GPtrArray *notes,
                        GError **error);

/* A FlinkDeployment (YAML; the first document of kind FlinkDeployment) ->
 * scenario JSON; plan_data (may be NULL) gives the job's shape, otherwise
 * the job is one placeholder vertex at spec.job.parallelism.
 * (transfer full) */
char *rsim_import_deployment (const char *data, gsize length,
                              const char *display_name,
                              const char *plan_data, gsize plan_length,
                              const char *plan_display_name,
                              const RsimImportOptions *options,
                              GPtrArray *notes, GError **error);

G_END_DECLS
