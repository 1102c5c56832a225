/* rescalesim: parameter sweeps (README.md "Sweeps, shards and merging").
 *
 * A scenario's "sweep" block names axes and seeds:
 *   "sweep": { "axes": { "flink.config.heartbeat.timeout": ["8 s", "50 s"],
 *                        "cluster.taskmanagers": [4, 8] },
 *              "seeds": { "base": 1, "count": 5 } }
 * An axis is a place in the scenario file:
 *   "flink.config.KEY"        a Flink key (the whole rest is the key);
 *   "costs.NAME[.FIELD]"      a cost, or one field of a cost distribution;
 *   "scheduler"               the scheduler (sets "schedulers": [value]);
 *   "flink.version";
 *   "controllers.autoscaler.config.KEY"  an operator autoscaler key;
 *   any other JSON path into duration, cluster, job, workload, timeline,
 *   failures, output or controllers, with [i] for array elements:
 *   "timeline[0].at", "job.vertices[1].parallelism", "workload.rate.value".
 * Missing object members on the way are created; array elements are not.
 * Each axis point (the cartesian product of the axes, the first axis
 * varying slowest, in the order the axes are written) is the scenario file
 * with the values substituted, loaded and validated by the scenario loader
 * exactly like a file of its own; an invalid point refuses the whole sweep,
 * naming the point's axis values and the loader's message. Every point runs
 * seeds base .. base+count-1 (default: the scenario's seed, count 1) under
 * the first scheduler of its "schedulers" (sweep schedulers with the
 * "scheduler" axis). Runs are numbered point * count + seed index.
 *
 * Running a sweep (threads, shards, merge, statistics) is the harness's:
 * rescalesim/sweep-run.h. */
#pragma once

#include <glib.h>
#include <rescalesim/scenario.h>

G_BEGIN_DECLS

/* ------------------------------------------------------- sweep expansion */

typedef struct RsimSweep RsimSweep;

/* Loads a scenario file and expands its sweep (a file without a "sweep"
 * block is a sweep of one point). Errors are RSIM_SCENARIO_ERROR.
 * (transfer full) */
RsimSweep *rsim_sweep_load_file (const char *path, GError **error);
RsimSweep *rsim_sweep_load_data (const char *data, gsize length,
                                 const char *display_name, GError **error);
void rsim_sweep_free (RsimSweep *sweep);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsimSweep, rsim_sweep_free)

/* The scenario's name (of the first point). (transfer none) */
const char *rsim_sweep_name (const RsimSweep *sweep);
guint rsim_sweep_n_axes (const RsimSweep *sweep);
/* The axis as written in the file. (transfer none) */
const char *rsim_sweep_axis_name (const RsimSweep *sweep, guint axis);
guint rsim_sweep_n_points (const RsimSweep *sweep);
/* The point's value of each axis as text: a JSON string's contents, else
 * the value as compact JSON ("8 s", 4, {"type":"constant","value":1}).
 * n_axes entries. (transfer none) */
const char *const *rsim_sweep_point_values (const RsimSweep *sweep,
                                            guint point);
/* The point's scenario, loaded and validated. (transfer none) */
const RsimScenario *rsim_sweep_point_scenario (const RsimSweep *sweep,
                                               guint point);
guint64 rsim_sweep_seed_base (const RsimSweep *sweep);
guint rsim_sweep_seed_count (const RsimSweep *sweep);
/* n_points * seed_count. */
guint rsim_sweep_n_runs (const RsimSweep *sweep);
/* The point and seed of run `run`. */
void rsim_sweep_run_identity (const RsimSweep *sweep, guint run, guint *point,
                              guint64 *seed);
/* A copy of the run's configuration (its point's, with the run's seed);
 * clear it with rsim_sim_config_clear(). */
void rsim_sweep_run_config (const RsimSweep *sweep, guint run,
                            RsimSimConfig *out);
/* Axes whose values are quantities written with units get a numeric twin
 * column in the sweep's files, in the unit's base (column name = the axis
 * and the suffix):
 *   RSIM_AXIS_SECONDS        durations ("10 s", "1 min"; a Flink duration
 *                            key's bare numbers are milliseconds), "_s";
 *   RSIM_AXIS_BYTES          memory sizes ("4 GB", 1024-based), "_bytes";
 *   RSIM_AXIS_RECORDS_PER_S  rates ("6k rec/s"), "_per_s";
 *   RSIM_AXIS_BYTES_PER_S    bandwidths ("20 MB/s"), "_bytes_per_s".
 * A Flink key axis (flink.config.KEY) is a duration axis when KEY holds a
 * duration. Any other axis is one when every value is text with a unit of
 * the same kind: rates and bandwidths by their "/s", memory sizes for the
 * fields that hold one (a vertex's "state", "record_size"), durations
 * otherwise. Plain numbers, versions, schedulers and objects are TEXT (no
 * twin: a number is a number already). */
typedef enum {
  RSIM_AXIS_TEXT,
  RSIM_AXIS_SECONDS,
  RSIM_AXIS_BYTES,
  RSIM_AXIS_RECORDS_PER_S,
  RSIM_AXIS_BYTES_PER_S,
} RsimAxisUnit;

RsimAxisUnit rsim_sweep_axis_unit (const RsimSweep *sweep, guint axis);
/* The numeric column's suffix of a unit ("_s", ...; "" for TEXT).
 * (transfer none) */
const char *rsim_axis_unit_suffix (RsimAxisUnit unit);
/* A point's value of a quantity axis in its base unit (NAN for TEXT). */
double rsim_sweep_point_number (const RsimSweep *sweep, guint point,
                                guint axis);

/* SHA-256 (hex) of the expanded sweep: axes, seeds and every point's
 * resolved configuration. Shards of one sweep carry the same hash.
 * (transfer none) */
const char *rsim_sweep_hash (const RsimSweep *sweep);
/* Warnings of the points (each message once), then the sweep's own.
 * (transfer none) */
GPtrArray *rsim_sweep_warnings (const RsimSweep *sweep);

G_END_DECLS
