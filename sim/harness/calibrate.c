/* Fitting the cost model to a job's own statistics (rescalesim calibrate).
 *
 * The models are the ones the simulation uses (sim/model/checkpoint.c,
 * sim/sched/default.c and adaptive.c), each linear in its parameters:
 *
 *   checkpoint, per subtask:  sync + async = checkpoint_fixed
 *                                            + state / checkpoint_upload_bandwidth
 *   restore, per subtask:     RUNNING - INITIALIZING = restore_fixed
 *                                            + restored state / state_download_bandwidth
 *   deployment, per subtask:  INITIALIZING - DEPLOYING = deploy_fixed
 *
 * Lines are fitted with gsl_multifit_linear (ordinary least squares; the
 * covariance it returns is scaled by the residual variance, so the standard
 * errors reflect the scatter of the data); a bandwidth's error follows from
 * its slope's (d(1/b) = db / b^2). The state of a checkpoint is its full
 * size (state_size), the same bytes the simulation divides by the
 * bandwidth: with incremental checkpoints the fitted bandwidth is an
 * effective one. The restored state per subtask is the vertex's state in
 * the restored checkpoint divided by its subtasks (checkpoint details give
 * vertices, not subtasks). Field names and the versions that have them:
 * Flink's rest/messages/checkpoints/SubtaskCheckpointStatistics.java
 * (sync/async since 1.5, start_delay 1.11, checkpointed_size 1.15) and
 * SubtasksTimesInfo.java with ExecutionState INITIALIZING (1.12,
 * FLINK-17012). */
#include <gsl/gsl_multifit.h>
#include <math.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <rescalesim/calibrate.h>
#include <rescalesim/scenario.h>

#define MAX_INPUT_BYTES (64u << 20)
#define MAX_POINTS 1000000u

typedef struct {
  double x;                 /* bytes */
  double y;                 /* microseconds */
  char *label;              /* where the point came from */
} Point;

typedef struct {
  char *vertex;
  guint subtask;
  double deploy_us;         /* INITIALIZING - DEPLOYING */
  double init_us;           /* RUNNING - INITIALIZING */
  char *label;
} Timing;

typedef struct {
  gint64 checkpoint;
  GHashTable *vertices;     /* vertex id -> double[2] {state bytes, subtasks} */
  char *file;
} Details;

typedef enum { FIT_CHECKPOINT, FIT_RESTORE, FIT_DEPLOY, N_FITS } FitKind;

static const char *const fit_names[N_FITS] = { "checkpoint", "restore",
                                               "deployment" };

struct RsimCalibration {
  GArray *ckpt;             /* Point */
  GPtrArray *timings;       /* Timing* */
  GPtrArray *details;       /* Details* */
  gint64 restored;          /* checkpoint the job restored from, or -1 */
  char *restored_file;
  /* After the fit. */
  GArray *points[N_FITS];   /* Point, as fitted */
  double c0[N_FITS], c1[N_FITS];
  gboolean fitted[N_FITS];
  RsimFittedCost costs[8];
  guint n_costs;
};

static void
point_clear (gpointer p)
{
  g_free (((Point *) p)->label);
}

static void
timing_free (gpointer p)
{
  Timing *t = p;
  g_free (t->vertex);
  g_free (t->label);
  g_free (t);
}

static void
details_free (gpointer p)
{
  Details *d = p;
  g_hash_table_unref (d->vertices);
  g_free (d->file);
  g_free (d);
}

RsimCalibration *
rsim_calibration_new (void)
{
  RsimCalibration *cal = g_new0 (RsimCalibration, 1);
  cal->ckpt = g_array_new (FALSE, FALSE, sizeof (Point));
  g_array_set_clear_func (cal->ckpt, point_clear);
  cal->timings = g_ptr_array_new_with_free_func (timing_free);
  cal->details = g_ptr_array_new_with_free_func (details_free);
  cal->restored = -1;
  return cal;
}

void
rsim_calibration_free (RsimCalibration *cal)
{
  if (cal == NULL)
    return;
  g_array_unref (cal->ckpt);
  g_ptr_array_unref (cal->timings);
  g_ptr_array_unref (cal->details);
  for (int f = 0; f < N_FITS; f++)
    if (cal->points[f] != NULL)
      g_array_unref (cal->points[f]);
  g_free (cal->restored_file);
  g_free (cal);
}

/* ------------------------------------------------------------- reading */

static gboolean
fail (GError **error, const char *file, const char *fmt, ...)
  G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError **error, const char *file, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_INVALID,
               "%s: %s", file, msg);
  return FALSE;
}

static cJSON *
parse (const char *data, gsize len, const char *file, GError **error)
{
  if (len > MAX_INPUT_BYTES) {
    fail (error, file, "too large (%" G_GSIZE_FORMAT " bytes; at most %u)",
          len, MAX_INPUT_BYTES);
    return NULL;
  }
  const char *end = NULL;
  cJSON *root = cJSON_ParseWithLengthOpts (data, len, &end, FALSE);
  if (root != NULL) {
    gsize pos = (gsize) (end - data);
    while (pos < len && g_ascii_isspace (data[pos]))
      pos++;
    if (pos >= len)
      return root;
    cJSON_Delete (root);
  }
  gsize pos = end != NULL ? (gsize) (end - data) : 0;
  guint line = 1, col = 1;
  for (gsize i = 0; i < pos && i < len; i++) {
    if (data[i] == '\n') {
      line++;
      col = 1;
    } else if (((guchar) data[i] & 0xc0) != 0x80) {
      col++;
    }
  }
  g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_SYNTAX,
               "%s:%u:%u: invalid JSON", file, line, col);
  return NULL;
}

static gboolean
number (const cJSON *obj, const char *key, double *out)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive (obj, key);
  if (!cJSON_IsNumber (v) || !isfinite (v->valuedouble))
    return FALSE;
  *out = v->valuedouble;
  return TRUE;
}

/* Which Flink a checkpoint subtask entry looks like, by the fields that
 * were added over time. */
static const char *
subtask_version (const cJSON *item)
{
  if (cJSON_GetObjectItemCaseSensitive (item, "checkpointed_size") != NULL)
    return "Flink 1.15 or later";
  if (cJSON_GetObjectItemCaseSensitive (item, "start_delay") != NULL)
    return "Flink 1.11 to 1.14";
  return "Flink 1.5 to 1.10";
}

static gboolean
add_checkpoint_subtasks (RsimCalibration *cal, const cJSON *root,
                         const char *file, GError **error)
{
  double id = -1;
  number (root, "id", &id);
  const cJSON *subtasks = cJSON_GetObjectItemCaseSensitive (root, "subtasks");
  guint index = 0;
  for (const cJSON *s = subtasks->child; s; s = s->next, index++) {
    const cJSON *status = cJSON_GetObjectItemCaseSensitive (s, "status");
    if (!cJSON_IsString (status) || strcmp (status->valuestring, "completed") != 0)
      continue;                 /* pending or failed: no timings */
    const cJSON *ck = cJSON_GetObjectItemCaseSensitive (s, "checkpoint");
    double state, sync, async;
    if (!number (s, "state_size", &state) || state < 0)
      return fail (error, file, "subtasks[%u]: no state_size (this looks like "
                   "%s; calibrate needs each completed subtask's state_size, "
                   "which every version from 1.5 reports)", index,
                   subtask_version (s));
    if (!cJSON_IsObject (ck) || !number (ck, "sync", &sync)
        || !number (ck, "async", &async) || sync < 0 || async < 0)
      return fail (error, file, "subtasks[%u]: no checkpoint.sync and "
                   "checkpoint.async durations (this looks like %s; they are "
                   "in every version from 1.5)", index, subtask_version (s));
    if (cal->ckpt->len >= MAX_POINTS)
      return fail (error, file, "more than %u points", MAX_POINTS);
    Point p = { state, (sync + async) * 1e3,
                g_strdup_printf ("%s subtasks[%u] (checkpoint %.0f)", file,
                                 index, id) };
    g_array_append_val (cal->ckpt, p);
  }
  return TRUE;
}

static gboolean
add_subtask_times (RsimCalibration *cal, const cJSON *root, const char *file,
                   GError **error)
{
  const cJSON *id = cJSON_GetObjectItemCaseSensitive (root, "id");
  if (!cJSON_IsString (id))
    return fail (error, file, "id: expected the vertex id of GET "
                 "/jobs/:jobid/vertices/:vertexid/subtasktimes");
  const cJSON *subtasks = cJSON_GetObjectItemCaseSensitive (root, "subtasks");
  guint index = 0;
  for (const cJSON *s = subtasks->child; s; s = s->next, index++) {
    const cJSON *ts = cJSON_GetObjectItemCaseSensitive (s, "timestamps");
    double deploying, initializing, running, sub = index;
    number (s, "subtask", &sub);
    if (!cJSON_IsObject (ts) || !number (ts, "RUNNING", &running)
        || running <= 0)
      continue;                 /* not running (yet): nothing to measure */
    if (!number (ts, "DEPLOYING", &deploying))
      return fail (error, file, "subtasks[%u].timestamps: no DEPLOYING "
                   "timestamp", index);
    if (!number (ts, "INITIALIZING", &initializing))
      return fail (error, file, "subtasks[%u].timestamps: no INITIALIZING "
                   "timestamp: this looks like Flink 1.11 or older, whose "
                   "subtasks go from DEPLOYING straight to RUNNING; "
                   "calibrate needs Flink 1.12 or later (FLINK-17012) to "
                   "tell deployment from state restore", index);
    if (initializing < deploying || running < initializing)
      return fail (error, file, "subtasks[%u].timestamps: DEPLOYING, "
                   "INITIALIZING and RUNNING are out of order", index);
    if (cal->timings->len >= MAX_POINTS)
      return fail (error, file, "more than %u points", MAX_POINTS);
    Timing *t = g_new0 (Timing, 1);
    t->vertex = g_strdup (id->valuestring);
    t->subtask = (guint) sub;
    t->deploy_us = (initializing - deploying) * 1e3;
    t->init_us = (running - initializing) * 1e3;
    t->label = g_strdup_printf ("%s subtasks[%u]", file, index);
    g_ptr_array_add (cal->timings, t);
  }
  return TRUE;
}

static gboolean
add_details (RsimCalibration *cal, const cJSON *root, const char *file,
             GError **error)
{
  double id;
  if (!number (root, "id", &id))
    return fail (error, file, "id: expected the checkpoint's id");
  Details *d = g_new0 (Details, 1);
  d->checkpoint = (gint64) id;
  d->file = g_strdup (file);
  d->vertices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       g_free);
  g_ptr_array_add (cal->details, d);
  const cJSON *tasks = cJSON_GetObjectItemCaseSensitive (root, "tasks");
  for (const cJSON *t = tasks->child; t; t = t->next) {
    double state, n;
    if (!number (t, "state_size", &state) || !number (t, "num_subtasks", &n)
        || n < 1)
      return fail (error, file, "tasks.\"%s\": expected state_size and "
                   "num_subtasks (in every version from 1.5)", t->string);
    double *v = g_new (double, 2);
    v[0] = state;
    v[1] = n;
    g_hash_table_insert (d->vertices, g_strdup (t->string), v);
  }
  return TRUE;
}

static gboolean
add_overview (RsimCalibration *cal, const cJSON *root, const char *file,
              GError **error)
{
  const cJSON *latest = cJSON_GetObjectItemCaseSensitive (root, "latest");
  const cJSON *restored = cJSON_IsObject (latest)
    ? cJSON_GetObjectItemCaseSensitive (latest, "restored") : NULL;
  double id;
  if (cJSON_IsObject (restored) && number (restored, "id", &id)) {
    cal->restored = (gint64) id;
    g_free (cal->restored_file);
    cal->restored_file = g_strdup (file);
  }
  return TRUE;
}

gboolean
rsim_calibration_add (RsimCalibration *cal, const char *data, gsize length,
                      const char *display_name, GError **error)
{
  g_return_val_if_fail (cal != NULL, FALSE);
  const char *file = display_name ? display_name : "<input>";
  cJSON *root = parse (data ? data : "", data ? length : 0, file, error);
  if (root == NULL)
    return FALSE;
  gboolean ok;
  const cJSON *subtasks = cJSON_GetObjectItemCaseSensitive (root, "subtasks");
  const cJSON *first = cJSON_IsArray (subtasks) ? subtasks->child : NULL;
  if (!cJSON_IsObject (root)) {
    ok = fail (error, file, "expected a JSON object from Flink's REST API");
  } else if (cJSON_IsObject (first)
             && cJSON_GetObjectItemCaseSensitive (first, "timestamps") != NULL) {
    ok = add_subtask_times (cal, root, file, error);
  } else if (cJSON_IsArray (subtasks)) {
    ok = add_checkpoint_subtasks (cal, root, file, error);
  } else if (cJSON_IsObject (cJSON_GetObjectItemCaseSensitive (root, "tasks"))) {
    ok = add_details (cal, root, file, error);
  } else if (cJSON_GetObjectItemCaseSensitive (root, "counts") != NULL) {
    ok = add_overview (cal, root, file, error);
  } else if (cJSON_GetObjectItemCaseSensitive (root, "flink-version") != NULL) {
    ok = TRUE;                  /* GET /config: nothing to fit */
  } else {
    ok = fail (error, file, "not a response calibrate reads: expected GET "
               "/jobs/:jobid/checkpoints, .../checkpoints/details/:id, "
               ".../checkpoints/details/:id/subtasks/:vertexid or "
               "/jobs/:jobid/vertices/:vertexid/subtasktimes");
  }
  cJSON_Delete (root);
  return ok;
}

/* -------------------------------------------------------------- fitting */

/* y = c0 + c1 x by least squares; cov is the parameters' covariance. */
static gboolean
fit_line (const GArray *pts, double *c0, double *c1, double cov_out[4],
          const char *what, GError **error)
{
  guint n = pts->len;
  guint distinct = 0;
  double first_x = n ? g_array_index (pts, Point, 0).x : 0;
  for (guint i = 0; i < n && distinct < 2; i++)
    if (g_array_index (pts, Point, i).x != first_x)
      distinct = 2;
  if (n < 3 || distinct < 2) {
    g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_INVALID,
                 "too few statistics to fit the %s costs: %u point%s%s; a "
                 "line with an uncertainty needs at least 3 points with at "
                 "least two different state sizes", what, n, n == 1 ? "" : "s",
                 n >= 3 ? ", all with the same state size" : "");
    return FALSE;
  }
  gsl_matrix *X = gsl_matrix_alloc (n, 2);
  gsl_vector *y = gsl_vector_alloc (n);
  gsl_vector *c = gsl_vector_alloc (2);
  gsl_matrix *cov = gsl_matrix_alloc (2, 2);
  /* Scale x to megabytes so that the normal equations stay well
   * conditioned; the slope is scaled back below. */
  for (guint i = 0; i < n; i++) {
    const Point *p = &g_array_index (pts, Point, i);
    gsl_matrix_set (X, i, 0, 1.0);
    gsl_matrix_set (X, i, 1, p->x / 1e6);
    gsl_vector_set (y, i, p->y);
  }
  double chisq;
  gsl_multifit_linear_workspace *w = gsl_multifit_linear_alloc (n, 2);
  gsl_multifit_linear (X, y, c, cov, &chisq, w);
  gsl_multifit_linear_free (w);
  *c0 = gsl_vector_get (c, 0);
  *c1 = gsl_vector_get (c, 1) / 1e6;
  cov_out[0] = gsl_matrix_get (cov, 0, 0);
  cov_out[1] = gsl_matrix_get (cov, 0, 1) / 1e6;
  cov_out[2] = cov_out[1];
  cov_out[3] = gsl_matrix_get (cov, 1, 1) / 1e12;
  gsl_matrix_free (X);
  gsl_vector_free (y);
  gsl_vector_free (c);
  gsl_matrix_free (cov);
  return TRUE;
}

static void
add_cost (RsimCalibration *cal, const char *name, double value, double sd,
          guint n)
{
  g_assert (cal->n_costs < G_N_ELEMENTS (cal->costs));
  cal->costs[cal->n_costs++] = (RsimFittedCost) { name, value, sd, n };
}

/* A fixed cost and a bandwidth from a line through (bytes, us). */
static gboolean
fit_bandwidth (RsimCalibration *cal, FitKind kind, const char *fixed_name,
               const char *bw_name, GError **error)
{
  GArray *pts = cal->points[kind];
  double c0, c1, cov[4];
  if (!fit_line (pts, &c0, &c1, cov, fit_names[kind], error))
    return FALSE;
  if (c1 <= 0) {
    g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_INVALID,
                 "the %s durations do not grow with the state size (slope "
                 "%g us/byte): no bandwidth can be fitted from these "
                 "statistics", fit_names[kind], c1);
    return FALSE;
  }
  cal->c0[kind] = c0;
  cal->c1[kind] = c1;
  cal->fitted[kind] = TRUE;
  /* c1 is microseconds per byte: bandwidth = 1e6 / c1 bytes/s. */
  double bw = 1e6 / c1;
  double bw_sd = 1e6 * sqrt (cov[3]) / (c1 * c1);
  add_cost (cal, fixed_name, c0, sqrt (cov[0]), pts->len);
  add_cost (cal, bw_name, bw, bw_sd, pts->len);
  return TRUE;
}

/* The restored state of each timed subtask: its vertex's state in the
 * restored checkpoint, shared evenly by the vertex's subtasks. */
static gboolean
restore_points (RsimCalibration *cal, GError **error)
{
  const Details *d = NULL;
  if (cal->restored >= 0) {
    for (guint i = 0; i < cal->details->len && d == NULL; i++)
      if (((Details *) cal->details->pdata[i])->checkpoint == cal->restored)
        d = cal->details->pdata[i];
    if (d == NULL)
      return fail (error, cal->restored_file, "the job restored checkpoint %"
                   G_GINT64_FORMAT ", but no checkpoint details of it were "
                   "given (GET /jobs/:jobid/checkpoints/details/%" G_GINT64_FORMAT
                   ")", cal->restored, cal->restored);
  } else if (cal->details->len == 1) {
    d = cal->details->pdata[0];
  } else {
    g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_INVALID,
                 "%u checkpoint details given and no checkpoint overview "
                 "(GET /jobs/:jobid/checkpoints) to tell which one the job "
                 "restored", cal->details->len);
    return FALSE;
  }
  GArray *pts = cal->points[FIT_RESTORE];
  for (guint i = 0; i < cal->timings->len; i++) {
    const Timing *t = cal->timings->pdata[i];
    const double *v = g_hash_table_lookup (d->vertices, t->vertex);
    if (v == NULL)
      return fail (error, t->label, "vertex %s is not in checkpoint %"
                   G_GINT64_FORMAT " (%s)", t->vertex, d->checkpoint, d->file);
    Point p = { v[0] / v[1], t->init_us, g_strdup (t->label) };
    g_array_append_val (pts, p);
  }
  return TRUE;
}

gboolean
rsim_calibration_fit (RsimCalibration *cal, GError **error)
{
  g_return_val_if_fail (cal != NULL, FALSE);
  cal->n_costs = 0;
  for (int f = 0; f < N_FITS; f++) {
    if (cal->points[f] != NULL)
      g_array_unref (cal->points[f]);
    cal->points[f] = g_array_new (FALSE, FALSE, sizeof (Point));
    g_array_set_clear_func (cal->points[f], point_clear);
    cal->fitted[f] = FALSE;
  }
  for (guint i = 0; i < cal->ckpt->len; i++) {
    Point p = g_array_index (cal->ckpt, Point, i);
    p.label = g_strdup (p.label);
    g_array_append_val (cal->points[FIT_CHECKPOINT], p);
  }
  if (cal->points[FIT_CHECKPOINT]->len > 0
      && !fit_bandwidth (cal, FIT_CHECKPOINT, "checkpoint_fixed",
                         "checkpoint_upload_bandwidth", error))
    return FALSE;
  if (cal->timings->len > 0 && cal->details->len > 0) {
    if (!restore_points (cal, error)
        || !fit_bandwidth (cal, FIT_RESTORE, "restore_fixed",
                           "state_download_bandwidth", error))
      return FALSE;
  }
  /* Deployment: a constant, its mean and standard error. */
  guint n = cal->timings->len;
  if (n > 0) {
    if (n < 2) {
      g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_INVALID,
                   "too few statistics to fit the deployment cost: 1 running "
                   "subtask; at least 2 are needed for an uncertainty");
      return FALSE;
    }
    double sum = 0, sq = 0;
    for (guint i = 0; i < n; i++)
      sum += ((Timing *) cal->timings->pdata[i])->deploy_us;
    double mean = sum / n;
    for (guint i = 0; i < n; i++) {
      const Timing *t = cal->timings->pdata[i];
      sq += (t->deploy_us - mean) * (t->deploy_us - mean);
      Point p = { 0, t->deploy_us, g_strdup (t->label) };
      g_array_append_val (cal->points[FIT_DEPLOY], p);
    }
    cal->c0[FIT_DEPLOY] = mean;
    cal->c1[FIT_DEPLOY] = 0;
    cal->fitted[FIT_DEPLOY] = TRUE;
    add_cost (cal, "deploy_fixed", mean, sqrt (sq / (n - 1)) / sqrt (n), n);
  }
  if (cal->n_costs == 0) {
    g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_INVALID,
                 "nothing to fit: give checkpoint subtask details (GET "
                 "/jobs/:jobid/checkpoints/details/:id/subtasks/:vertexid) "
                 "and/or subtask times (GET /jobs/:jobid/vertices/:vertexid/"
                 "subtasktimes)");
    return FALSE;
  }
  return TRUE;
}

guint
rsim_calibration_n_costs (const RsimCalibration *cal)
{
  return cal->n_costs;
}

const RsimFittedCost *
rsim_calibration_cost (const RsimCalibration *cal, guint index)
{
  g_return_val_if_fail (index < cal->n_costs, NULL);
  return &cal->costs[index];
}

/* ------------------------------------------------------------- printing */

static gboolean
is_bandwidth (const char *name)
{
  return g_str_has_suffix (name, "_bandwidth");
}

/* "%.<digits>f" in the C locale. */
static char *
fmt (double v, int digits)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char format[16];
  g_snprintf (format, sizeof format, "%%.%df", digits);
  return g_strdup (g_ascii_formatd (buf, sizeof buf, format, v));
}

/* A duration in us for people: "212.4 ms", "3.25 s". */
static char *
human_duration (double us)
{
  if (fabs (us) >= 1e6) {
    g_autofree char *n = fmt (us / 1e6, 3);
    return g_strconcat (n, " s", NULL);
  }
  g_autofree char *n = fmt (us / 1e3, 1);
  return g_strconcat (n, " ms", NULL);
}

static char *
human_value (const char *name, double v)
{
  if (is_bandwidth (name)) {
    g_autofree char *n = fmt (v / 1e6, 2);
    return g_strconcat (n, " MB/s", NULL);
  }
  return human_duration (v);
}

char *
rsim_calibration_report (const RsimCalibration *cal)
{
  g_return_val_if_fail (cal != NULL, NULL);
  GString *s = g_string_new ("Fitted costs (least squares, +- one standard "
                             "error; MB = 10^6 bytes):\n");
  for (guint i = 0; i < cal->n_costs; i++) {
    const RsimFittedCost *c = &cal->costs[i];
    g_autofree char *v = human_value (c->name, c->value);
    g_autofree char *sd = is_bandwidth (c->name) ? fmt (c->stddev / 1e6, 2)
                                                 : human_duration (c->stddev);
    g_string_append_printf (s, "  %-28s %s +- %s%s  (%u points)\n", c->name, v,
                            sd, is_bandwidth (c->name) ? " MB/s" : "",
                            c->n_points);
  }
  for (int f = 0; f < N_FITS; f++) {
    if (!cal->fitted[f])
      continue;
    const GArray *pts = cal->points[f];
    double ss = 0, worst = 0;
    for (guint i = 0; i < pts->len; i++) {
      const Point *p = &g_array_index (pts, Point, i);
      double r = p->y - (cal->c0[f] + cal->c1[f] * p->x);
      ss += r * r;
      worst = MAX (worst, fabs (r));
    }
    g_autofree char *rms = human_duration (sqrt (ss / pts->len));
    g_autofree char *max = human_duration (worst);
    g_string_append_printf (s, "\nResiduals of the %s fit (observed - fitted): "
                            "RMS %s, largest %s\n", fit_names[f], rms, max);
    for (guint i = 0; i < pts->len; i++) {
      const Point *p = &g_array_index (pts, Point, i);
      double fit = cal->c0[f] + cal->c1[f] * p->x;
      g_autofree char *obs = human_duration (p->y);
      g_autofree char *fitted = human_duration (fit);
      g_autofree char *res = human_duration (p->y - fit);
      g_autofree char *mb = fmt (p->x / 1e6, 2);
      if (f == FIT_DEPLOY)
        g_string_append_printf (s, "  %s: observed %s, fitted %s, residual "
                                "%s\n", p->label, obs, fitted, res);
      else
        g_string_append_printf (s, "  %s: state %s MB, observed %s, fitted "
                                "%s, residual %s\n", p->label, mb, obs, fitted,
                                res);
    }
  }
  return g_string_free (s, FALSE);
}

char *
rsim_calibration_costs_json (const RsimCalibration *cal)
{
  g_return_val_if_fail (cal != NULL, NULL);
  cJSON *obj = cJSON_CreateObject ();
  for (guint i = 0; i < cal->n_costs; i++) {
    const RsimFittedCost *c = &cal->costs[i];
    g_autofree char *text = NULL;
    if (is_bandwidth (c->name)) {
      g_autofree char *n = fmt (c->value, 0);
      text = g_strconcat (n, " b/s", NULL);
    } else {
      /* A fixed cost fitted below zero is written as 0 (costs are >= 0). */
      g_autofree char *n = fmt (MAX (c->value, 0.0), 0);
      text = g_strconcat (n, " us", NULL);
    }
    cJSON_AddStringToObject (obj, c->name, text);
  }
  char *printed = cJSON_Print (obj);
  cJSON_Delete (obj);
  char *out = g_strconcat (printed, "\n", NULL);
  cJSON_free (printed);
  return out;
}
