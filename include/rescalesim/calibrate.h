/* rescalesim: fitting cost parameters to a job's own Flink statistics.
 *
 * A calibration collects REST responses of Flink's web API, each recognised
 * by its shape:
 *   - checkpoint subtask details, GET /jobs/:jobid/checkpoints/details/
 *     :checkpointid/subtasks/:vertexid (every subtask's state size and
 *     sync and async durations; Flink 1.5+);
 *   - checkpoint details, GET /jobs/:jobid/checkpoints/details/:checkpointid
 *     (each vertex's state size and subtask count);
 *   - the checkpoint overview, GET /jobs/:jobid/checkpoints (which
 *     checkpoint the job was restored from);
 *   - subtask times, GET /jobs/:jobid/vertices/:vertexid/subtasktimes (when
 *     each subtask entered DEPLOYING, INITIALIZING and RUNNING; Flink 1.12+
 *     for INITIALIZING).
 * rsim_calibration_fit() then fits the linear cost models by least squares
 * (GSL): checkpoint_fixed and checkpoint_upload_bandwidth from the subtasks'
 * sync + async durations against their state sizes; restore_fixed and
 * state_download_bandwidth from INITIALIZING -> RUNNING against the state
 * each subtask restored; deploy_fixed from DEPLOYING -> INITIALIZING. Each
 * value comes with its standard error and the fit's residuals. Too few
 * points for a model, or a response missing what a model needs, is an
 * error that names the file (and the Flink version it looks like). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct RsimCalibration RsimCalibration;

/* One fitted cost: value in the cost's base unit (microseconds for
 * durations, bytes/s for bandwidths) and its standard error (1 sigma). */
typedef struct {
  const char *name;          /* the costs key, e.g. "checkpoint_fixed" */
  double value;
  double stddev;
  guint n_points;
} RsimFittedCost;

RsimCalibration *rsim_calibration_new (void);
void rsim_calibration_free (RsimCalibration *cal);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsimCalibration, rsim_calibration_free)

/* Reads one REST response (JSON text). Unknown shapes, syntax errors
 * (FILE:LINE:COL) and missing fields are errors. */
gboolean rsim_calibration_add (RsimCalibration *cal, const char *data,
                               gsize length, const char *display_name,
                               GError **error);
/* Fits every model the responses give points for; a model with points but
 * too few to fit, and no model at all, are errors. */
gboolean rsim_calibration_fit (RsimCalibration *cal, GError **error);

/* After a fit: the fitted costs, in a fixed order. */
guint rsim_calibration_n_costs (const RsimCalibration *cal);
const RsimFittedCost *rsim_calibration_cost (const RsimCalibration *cal,
                                             guint index);
/* A table of the fitted values with their uncertainty, then every point's
 * residual. (transfer full) */
char *rsim_calibration_report (const RsimCalibration *cal);
/* A "costs" object a scenario takes as it is: {"checkpoint_fixed": "...",
 * ...}. (transfer full) */
char *rsim_calibration_costs_json (const RsimCalibration *cal);

G_END_DECLS
