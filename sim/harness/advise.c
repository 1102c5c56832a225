/* The advisor's search (include/rescalesim/advise.h): candidates, their
 * runs, racing and refinement.
 *
 * A candidate is the scenario with one value per knob written in. It is
 * built by the sweep expansion (sweep.h) as a sweep of one point whose axes
 * are the knobs, so a knob is written and validated exactly as a sweep axis
 * is; a grid candidate that is not a valid scenario refuses the whole
 * search before anything runs.
 *
 * Every candidate runs the same seeds (base, base + 1, ...): common random
 * numbers, so that two candidates are compared on the same failures. The
 * search:
 *   1. grid: the cartesian product of the knobs' values (ranges expanded
 *      to their steps);
 *   2. racing: seeds run in rounds (first_round_seeds, then doubling up to
 *      seeds); after each round a candidate with at least two seeds is
 *      dropped when, at the confidence level,
 *        - an objective's interval lies wholly on the wrong side of its
 *          bound (it violates the objective), or
 *        - another candidate surely meets every objective (each interval on
 *          the right side) and its cost interval lies wholly below this
 *          candidate's (it cannot be the cheapest feasible one);
 *      every interval is a single-interval statement at the level given,
 *      with no correction for the number of comparisons;
 *   3. refinement: around the best refine_best candidates, each range knob
 *      at half the previous spacing (in log space on a log scale), the
 *      neighbours not yet evaluated raced against the survivors; repeated
 *      refine times.
 * The recommendation is the candidate of lowest mean cost among those
 * that ran every seed and whose estimates meet every objective; the
 * runners-up are the next ones. Nothing here depends on the order in
 * which threads finish: each batch of runs fills slots by position.
 *
 * Sharding: --shard K/N runs the grid's runs (every candidate, every seed,
 * run index candidate * seeds + seed index) whose index % N == K-1. A
 * merge loads every shard's runs as a cache keyed by the candidate's sweep
 * hash and the seed, then runs the same search: racing asks for runs the
 * cache holds, refinement's runs are simulated by the merge. The search is
 * a function of the runs' metrics, which go through the same text
 * (%.17g, exact) in both cases, so the advice's files are identical. */
#include "advise-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <rescalesim/harness.h>
#include <rescalesim/sweep-run.h>

#include "report/report-internal.h"

G_DEFINE_QUARK (rsim-advise-error-quark, rsim_advise_error)

/* ------------------------------------------------------------ candidates */

static void
cand_def_free (gpointer p)
{
  CandDef *d = p;
  if (d == NULL)
    return;
  g_free (d->coord);
  cJSON_Delete (d->values);
  g_free (d->key);
  rsim_sweep_free (d->sweep);
  g_free (d);
}

const char *
rsim_advisor_name (const RsimAdvisor *advisor)
{
  return advisor->name;
}

guint
rsim_advisor_n_grid (const RsimAdvisor *advisor)
{
  return advisor->grid->len;
}

guint
rsim_advisor_n_grid_runs (const RsimAdvisor *advisor)
{
  return advisor->grid->len * advisor->spec.seeds;
}

GPtrArray *
rsim_advisor_warnings (const RsimAdvisor *advisor)
{
  return advisor->warnings;
}

static void
add_warning (GPtrArray *warnings, const char *text)
{
  for (guint i = 0; i < warnings->len; i++)
    if (strcmp (warnings->pdata[i], text) == 0)
      return;
  g_ptr_array_add (warnings, g_strdup (text));
}

/* The value a range knob writes for coordinate x. */
static cJSON *
range_value (const RsimKnob *k, double x)
{
  if (k->duration) {
    g_autofree char *text = rsim__advise_format_duration (x);
    return cJSON_CreateString (text);
  }
  return cJSON_CreateNumber (x);
}

/* Rounds a range knob's coordinate to what it writes: durations to whole
 * seconds when the range starts at 1 s or more (else milliseconds), so
 * the values read as a person would write them. */
static double
range_round (const RsimKnob *k, double x)
{
  if (k->duration)
    return k->from >= 1.0 ? round (x) : round (x * 1000.0) / 1000.0;
  if (k->integral)
    return round (x);
  return x;
}

/* Replaces the loader's words for a one-point sweep by the advisor's. */
static char *
reword (const char *message)
{
  g_autoptr (GString) s = g_string_new (message);
  g_string_replace (s, "sweep point 1 of 1 (", "advise candidate (", 0);
  g_string_replace (s, "sweep.axes.", "advise.knobs.", 0);
  return g_strdup (s->str);
}

/* Builds and validates the candidate with the given values (one per
 * knob); NULL with error set when the scenario refuses them. */
static CandDef *
cand_def_new (const RsimAdvisor *a, const double *coord, cJSON *values,
              GError **error)
{
  const RsimAdviseSpec *spec = &a->spec;
  CandDef *d = g_new0 (CandDef, 1);
  d->coord = g_memdup2 (coord, sizeof (double) * spec->n_knobs);
  d->values = values;
  cJSON *tree = cJSON_Duplicate (a->base, TRUE);
  cJSON *sweep = cJSON_AddObjectToObject (tree, "sweep");
  cJSON *axes = cJSON_AddObjectToObject (sweep, "axes");
  for (guint k = 0; k < spec->n_knobs; k++) {
    cJSON *one = cJSON_CreateArray ();
    cJSON_AddItemToArray (one, cJSON_Duplicate (cJSON_GetArrayItem (values,
                                                                    (int) k),
                                                TRUE));
    cJSON_AddItemToObject (axes, spec->knobs[k].axis, one);
  }
  char *text = cJSON_PrintUnformatted (tree);
  cJSON_Delete (tree);
  g_autoptr (GError) inner = NULL;
  d->sweep = rsim_sweep_load_data (text, strlen (text), a->file, &inner);
  cJSON_free (text);
  if (d->sweep == NULL) {
    g_autofree char *msg = reword (inner->message);
    g_set_error_literal (error, RSIM_SCENARIO_ERROR,
                         inner->domain == RSIM_SCENARIO_ERROR ? inner->code
                         : RSIM_SCENARIO_ERROR_INVALID, msg);
    cand_def_free (d);
    return NULL;
  }
  const char *const *labels = rsim_sweep_point_values (d->sweep, 0);
  d->key = g_strjoinv ("\x1f", (char **) labels);
  return d;
}

/* The grid's coordinates of each knob: a range's steps, a list's indexes. */
static void
build_lattice (RsimAdvisor *a)
{
  const RsimAdviseSpec *spec = &a->spec;
  a->lattice = g_new0 (double *, spec->n_knobs);
  a->lattice_len = g_new0 (guint, spec->n_knobs);
  for (guint k = 0; k < spec->n_knobs; k++) {
    const RsimKnob *kn = &spec->knobs[k];
    guint n = kn->kind == RSIM_KNOB_LIST
      ? (guint) cJSON_GetArraySize (kn->list) : kn->steps;
    a->lattice[k] = g_new0 (double, n);
    guint m = 0;
    for (guint i = 0; i < n; i++) {
      double x;
      if (kn->kind == RSIM_KNOB_LIST)
        x = i;
      else if (n == 1)
        x = kn->from;
      else if (kn->log_scale)
        x = kn->from * pow (kn->to / kn->from, (double) i / (n - 1));
      else
        x = kn->from + (kn->to - kn->from) * i / (n - 1);
      if (kn->kind == RSIM_KNOB_RANGE)
        x = range_round (kn, x);
      if (m == 0 || x != a->lattice[k][m - 1])
        a->lattice[k][m++] = x;
    }
    a->lattice_len[k] = m;
  }
}

static cJSON *
knob_value (const RsimKnob *k, double x)
{
  if (k->kind == RSIM_KNOB_LIST)
    return cJSON_Duplicate (cJSON_GetArrayItem (k->list, (int) x), TRUE);
  return range_value (k, x);
}

static gboolean
build_grid (RsimAdvisor *a, GError **error)
{
  const RsimAdviseSpec *spec = &a->spec;
  guint64 n = 1;
  for (guint k = 0; k < spec->n_knobs; k++)
    n *= a->lattice_len[k];
  if (n * spec->seeds > RSIM_ADVISE_MAX_GRID_RUNS) {
    g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_INVALID,
                 "%s: advise: the grid's %" G_GUINT64_FORMAT " candidates x %u "
                 "seeds exceed %u runs", a->file, n, spec->seeds,
                 RSIM_ADVISE_MAX_GRID_RUNS);
    return FALSE;
  }
  g_autofree double *coord = g_new0 (double, spec->n_knobs + 1);
  for (guint64 p = 0; p < n; p++) {
    /* Mixed radix, the last knob fastest, as sweep points are numbered. */
    guint64 rest = p;
    for (guint k = spec->n_knobs; k-- > 0;) {
      coord[k] = a->lattice[k][rest % a->lattice_len[k]];
      rest /= a->lattice_len[k];
    }
    cJSON *values = cJSON_CreateArray ();
    for (guint k = 0; k < spec->n_knobs; k++)
      cJSON_AddItemToArray (values, knob_value (&spec->knobs[k], coord[k]));
    CandDef *d = cand_def_new (a, coord, values, error);
    if (d == NULL)
      return FALSE;
    GPtrArray *w = rsim_sweep_warnings (d->sweep);
    for (guint i = 0; i < w->len; i++)
      add_warning (a->warnings, w->pdata[i]);
    g_ptr_array_add (a->grid, d);
  }
  return TRUE;
}

static void
compute_hash (RsimAdvisor *a)
{
  GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (sum, (const guchar *) "rescalesim/advise/1\n", -1);
  g_checksum_update (sum, (const guchar *) a->spec.canonical, -1);
  for (guint i = 0; i < a->grid->len; i++) {
    const CandDef *d = a->grid->pdata[i];
    g_checksum_update (sum, (const guchar *) "\n", 1);
    g_checksum_update (sum, (const guchar *) rsim_sweep_hash (d->sweep), -1);
  }
  a->hash = g_strdup (g_checksum_get_string (sum));
  g_checksum_free (sum);
}

void
rsim_advisor_free (RsimAdvisor *a)
{
  if (a == NULL)
    return;
  g_free (a->file);
  g_free (a->name);
  cJSON_Delete (a->base);
  for (guint k = 0; a->lattice && k < a->spec.n_knobs; k++)
    g_free (a->lattice[k]);
  g_free (a->lattice);
  g_free (a->lattice_len);
  rsim__advise_spec_clear (&a->spec);
  if (a->grid)
    g_ptr_array_unref (a->grid);
  if (a->warnings)
    g_ptr_array_unref (a->warnings);
  g_free (a->hash);
  g_free (a);
}

RsimAdvisor *
rsim_advisor_load_data (const char *data, gsize length,
                        const char *display_name, GError **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (display_name == NULL)
    display_name = "<scenario>";
  /* The file as a scenario first: syntax (FILE:LINE:COL) and every field
   * but the advise block, which the loader leaves to us. */
  g_autoptr (RsimScenario) sc = rsim_scenario_load_data (data, length,
                                                         display_name, error);
  if (sc == NULL)
    return NULL;
  cJSON *root = cJSON_ParseWithLength (data, length);
  g_assert (root != NULL);      /* the loader parsed it */
  RsimAdvisor *a = g_new0 (RsimAdvisor, 1);
  a->file = g_strdup (display_name);
  a->name = g_strdup (sc->name);
  a->grid = g_ptr_array_new_with_free_func (cand_def_free);
  a->warnings = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < sc->warnings->len; i++)
    add_warning (a->warnings, sc->warnings->pdata[i]);
  gboolean ok = rsim__advise_spec_read (root, display_name, &a->spec, error);
  cJSON_DeleteItemFromObjectCaseSensitive (root, "advise");
  cJSON_DeleteItemFromObjectCaseSensitive (root, "sweep");
  a->base = root;
  if (ok) {
    build_lattice (a);
    ok = build_grid (a, error);
  }
  if (!ok) {
    rsim_advisor_free (a);
    return NULL;
  }
  compute_hash (a);
  return a;
}

RsimAdvisor *
rsim_advisor_load_file (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr (GError) io = NULL;
  if (!g_file_get_contents (path, &data, &len, &io)) {
    g_set_error (error, RSIM_SCENARIO_ERROR, RSIM_SCENARIO_ERROR_IO,
                 "%s: cannot read: %s", path, io->message);
    return NULL;
  }
  return rsim_advisor_load_data (data, len, path, error);
}

/* ------------------------------------------------------------ statistics */

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

void
rsim__advise_estimate (const double *values, guint n, RsimStatKind stat,
                       double q, double confidence, RsimEstimate *out)
{
  g_autofree double *x = g_new (double, MAX (n, 1u));
  guint m = 0;
  for (guint i = 0; i < n; i++)
    if (!isnan (values[i]))
      x[m++] = values[i];
  out->n = m;
  out->estimate = NAN;
  out->low = -INFINITY;
  out->high = INFINITY;
  if (m == 0)
    return;
  qsort (x, m, sizeof (double), compare_doubles);
  double alpha = 1.0 - confidence;
  switch (stat) {
  case RSIM_STAT_MEAN:
    out->estimate = gsl_stats_mean (x, 1, m);
    if (m >= 2) {
      double sd = gsl_stats_sd_m (x, 1, m, out->estimate);
      double t = gsl_cdf_tdist_Pinv (1.0 - alpha / 2.0, (double) (m - 1));
      out->low = out->estimate - t * sd / sqrt ((double) m);
      out->high = out->estimate + t * sd / sqrt ((double) m);
    }
    break;
  case RSIM_STAT_QUANTILE: {
    out->estimate = gsl_stats_quantile_from_sorted_data (x, 1, m, q);
    /* The order statistics X(l) <= q-quantile <= X(u) (1-based) hold with
     * probability >= confidence when P(B < l) <= alpha/2 and
     * P(B >= u) <= alpha/2 for B ~ Binomial(m, q). */
    for (guint l = m; l >= 1; l--)
      if (gsl_cdf_binomial_P (l - 1, q, m) <= alpha / 2.0) {
        out->low = x[l - 1];
        break;
      }
    for (guint u = 1; u <= m; u++)
      if (gsl_cdf_binomial_Q (u - 1, q, m) <= alpha / 2.0) {
        out->high = x[u - 1];
        break;
      }
    break;
  }
  case RSIM_STAT_MIN:
    out->estimate = x[0];
    out->high = x[0];           /* the true minimum is at most this */
    break;
  case RSIM_STAT_MAX:
    out->estimate = x[m - 1];
    out->low = x[m - 1];        /* the true maximum is at least this */
    break;
  }
}

/* ------------------------------------------------------------------ runs */

/* One run's metrics through the text the shards write (exact). */
static void
metrics_of (const RsimResult *r, double *out)
{
  for (int id = 0; id < RSIM_N_METRICS; id++) {
    double v = rsim_metric_value (r, id);
    if (rsim_metrics[id].type == RSIM_METRIC_OPTIONAL && v < 0)
      v = NAN;
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_ascii_formatd (buf, sizeof buf, "%.17g", v);
    out[id] = g_ascii_strtod (buf, NULL);
  }
}

static char *
cache_key (const CandDef *d, guint64 seed)
{
  return g_strdup_printf ("%s:%" G_GUINT64_FORMAT, rsim_sweep_hash (d->sweep),
                          seed);
}

typedef struct {
  const CandDef *def;
  guint64 seed;
  double metrics[RSIM_N_METRICS];
  GError *error;
} Job;

static void
job_run (gpointer data, gpointer user)
{
  Job *job = data;
  GAsyncQueue *done = user;
  const RsimScenario *sc = rsim_sweep_point_scenario (job->def->sweep, 0);
  RsimSimConfig config;
  rsim_sim_config_copy (&config, &sc->config);
  config.seed = job->seed;
  g_auto (RsimHarnessRun) out = { 0 };
  if (rsim_harness_run_one (sc, &config, NULL, RSIM_HARNESS_RUN_DEFAULT, &out,
                            &job->error))
    metrics_of (out.result, job->metrics);
  rsim_sim_config_clear (&config);
  g_async_queue_push (done, job);
}

/* Runs jobs[0..n) (those the cache lacks) on the pool. */
static gboolean
run_jobs (RsimAdvice *adv, const RsimAdviseOptions *o, Job *jobs, guint n,
          GError **error)
{
  GArray *todo = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < n; i++) {
    if (adv->cache != NULL) {
      g_autofree char *key = cache_key (jobs[i].def, jobs[i].seed);
      const double *m = g_hash_table_lookup (adv->cache, key);
      if (m != NULL) {
        memcpy (jobs[i].metrics, m, sizeof jobs[i].metrics);
        continue;
      }
    }
    g_array_append_val (todo, i);
  }
  adv->n_runs += n;
  gboolean ok = TRUE;
  if (todo->len > 0) {
    GAsyncQueue *done = g_async_queue_new ();
    guint threads = o->jobs > 0 ? o->jobs : g_get_num_processors ();
    threads = MAX (1u, MIN (threads, todo->len));
    GThreadPool *pool = g_thread_pool_new (job_run, done, (int) threads, TRUE,
                                           error);
    ok = pool != NULL;
    if (ok) {
      for (guint i = 0; i < todo->len; i++)
        g_thread_pool_push (pool, &jobs[g_array_index (todo, guint, i)], NULL);
      for (guint i = 0; i < todo->len; i++)
        g_async_queue_pop (done);
      g_thread_pool_free (pool, FALSE, TRUE);
    }
    g_async_queue_unref (done);
  }
  for (guint i = 0; ok && i < todo->len; i++) {
    Job *j = &jobs[g_array_index (todo, guint, i)];
    if (j->error != NULL) {
      const char *const *labels = rsim_sweep_point_values (j->def->sweep, 0);
      g_autofree char *vals = g_strjoinv (", ", (char **) labels);
      gboolean output = j->error->domain == RSIM_HARNESS_ERROR
                        && j->error->code == RSIM_HARNESS_ERROR_OUTPUT;
      g_set_error (error, RSIM_ADVISE_ERROR,
                   output ? RSIM_ADVISE_ERROR_OUTPUT : RSIM_ADVISE_ERROR_RUN,
                   "candidate (%s), seed %" G_GUINT64_FORMAT ": %s", vals,
                   j->seed, j->error->message);
      ok = FALSE;
    }
  }
  for (guint i = 0; i < n; i++)
    g_clear_error (&jobs[i].error);
  g_array_free (todo, TRUE);
  return ok;
}

/* ------------------------------------------------------------ candidates */

static void
cand_free (gpointer p)
{
  Cand *c = p;
  if (c == NULL)
    return;
  g_free (c->metrics);
  g_free (c->cost);
  g_free (c->why);
  g_free (c->obj);
  g_free (c);
}

static Cand *
cand_add (RsimAdvice *adv, const CandDef *def, guint stage)
{
  Cand *c = g_new0 (Cand, 1);
  c->id = adv->cands->len;
  c->def = def;
  c->stage = stage;
  c->obj = g_new0 (RsimEstimate, adv->advisor->spec.n_objectives + 1);
  g_ptr_array_add (adv->cands, c);
  return c;
}

/* The job's total state, bytes: what a full checkpoint uploads. */
static double
state_bytes (const RsimSimConfig *cfg)
{
  double b = 0;
  for (guint v = 0; v < cfg->job.n_vertices; v++)
    b += cfg->job.vertices[v].state_bytes;
  return b;
}

static double
cost_term (int metric, const double *m, double state)
{
  if (metric == RSIM_COST_TERM_SLOT_SECONDS)
    return m[RSIM_METRIC_ID_slot_seconds_used]
           + m[RSIM_METRIC_ID_slot_seconds_idle];
  if (metric == RSIM_COST_TERM_CHECKPOINT_BYTES)
    return m[RSIM_METRIC_ID_checkpoints_completed] * state;
  return isnan (m[metric]) ? 0.0 : m[metric];
}

static double
run_cost (const RsimCostSpec *cost, const CandDef *d, const double *m)
{
  const RsimScenario *sc = rsim_sweep_point_scenario (d->sweep, 0);
  double state = state_bytes (&sc->config);
  switch (cost->kind) {
  case RSIM_COST_SLOT_SECONDS: {
    double s = cost_term (RSIM_COST_TERM_SLOT_SECONDS, m, state);
    return cost->price_per_slot_hour > 0 ? s / 3600.0 * cost->price_per_slot_hour
                                         : s;
  }
  case RSIM_COST_CHECKPOINT_BYTES:
    return cost_term (RSIM_COST_TERM_CHECKPOINT_BYTES, m, state);
  case RSIM_COST_WEIGHTED: {
    double sum = 0;
    for (guint t = 0; t < cost->n_terms; t++)
      sum += cost->terms[t].weight * cost_term (cost->terms[t].metric, m, state);
    return sum;
  }
  }
  g_assert_not_reached ();
}

/* An objective's value in one run: the metric, per day or hour of the
 * scenario's duration when asked. */
static double
objective_value (const RsimObjective *o, const CandDef *d, const double *m)
{
  double v = m[o->metric];
  if (o->per_seconds > 0) {
    const RsimScenario *sc = rsim_sweep_point_scenario (d->sweep, 0);
    v = v * o->per_seconds / ((double) sc->config.duration / RSIM_SEC);
  }
  return v;
}

static void
cand_estimate (const RsimAdviseSpec *spec, Cand *c)
{
  rsim__advise_estimate (c->cost, c->n, RSIM_STAT_MEAN, 0, spec->confidence,
                         &c->cost_est);
  g_autofree double *v = g_new (double, MAX (c->n, 1u));
  for (guint j = 0; j < spec->n_objectives; j++) {
    const RsimObjective *o = &spec->objectives[j];
    for (guint s = 0; s < c->n; s++)
      v[s] = objective_value (o, c->def, c->metrics + s * RSIM_N_METRICS);
    rsim__advise_estimate (v, c->n, o->stat, o->q, spec->confidence, &c->obj[j]);
  }
}

gboolean
rsim__advise_meets (const RsimAdviseSpec *spec, const Cand *c, guint j,
                    gboolean surely)
{
  const RsimObjective *o = &spec->objectives[j];
  const RsimEstimate *e = &c->obj[j];
  if (surely)
    return o->at_most ? e->high <= o->bound : e->low >= o->bound;
  return o->at_most ? e->estimate <= o->bound : e->estimate >= o->bound;
}

static gboolean
meets_all (const RsimAdviseSpec *spec, const Cand *c, gboolean surely)
{
  for (guint j = 0; j < spec->n_objectives; j++)
    if (!rsim__advise_meets (spec, c, j, surely))
      return FALSE;
  return TRUE;
}

/* How far the estimates are from meeting every objective: the sum of the
 * relative excesses (0 when all are met). */
static double
violation (const RsimAdviseSpec *spec, const Cand *c)
{
  double sum = 0;
  for (guint j = 0; j < spec->n_objectives; j++) {
    const RsimObjective *o = &spec->objectives[j];
    double e = c->obj[j].estimate;
    double excess = o->at_most ? e - o->bound : o->bound - e;
    if (isnan (e))
      excess = INFINITY;
    if (excess > 0)
      sum += excess / MAX (fabs (o->bound), 1e-9);
  }
  return sum;
}

/* Brings every live candidate to n seeds. */
static gboolean
run_to (RsimAdvice *adv, const RsimAdviseOptions *o, guint n, GError **error)
{
  const RsimAdviseSpec *spec = &adv->advisor->spec;
  GArray *jobs = g_array_new (FALSE, TRUE, sizeof (Job));
  for (guint i = 0; i < adv->cands->len; i++) {
    Cand *c = adv->cands->pdata[i];
    for (guint s = c->n; !c->dropped && s < n; s++) {
      Job j = { c->def, spec->seed_base + s, { 0 }, NULL };
      g_array_append_val (jobs, j);
    }
  }
  gboolean ok = run_jobs (adv, o, (Job *) jobs->data, jobs->len, error);
  guint k = 0;
  for (guint i = 0; ok && i < adv->cands->len; i++) {
    Cand *c = adv->cands->pdata[i];
    if (c->dropped || c->n >= n)
      continue;
    c->metrics = g_renew (double, c->metrics, (gsize) n * RSIM_N_METRICS);
    c->cost = g_renew (double, c->cost, n);
    for (guint s = c->n; s < n; s++, k++) {
      Job *j = &g_array_index (jobs, Job, k);
      memcpy (c->metrics + (gsize) s * RSIM_N_METRICS, j->metrics,
              sizeof j->metrics);
      c->cost[s] = run_cost (&spec->cost, c->def, j->metrics);
    }
    c->n = n;
    cand_estimate (spec, c);
  }
  g_array_free (jobs, TRUE);
  return ok;
}

static void
progress (const RsimAdviseOptions *o, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static void
progress (const RsimAdviseOptions *o, const char *fmt, ...)
{
  if (o->progress == NULL)
    return;
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *line = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  o->progress (o->progress_user, line);
}

static char *
format_interval (const RsimEstimate *e)
{
  char lo[RSIM_REPORT_NUMBER_SIZE], hi[RSIM_REPORT_NUMBER_SIZE];
  return g_strdup_printf ("[%s, %s]", rsim_report_format_double (lo, e->low),
                          rsim_report_format_double (hi, e->high));
}

/* One racing decision over the live candidates (see the file's comment). */
static guint
race (RsimAdvice *adv)
{
  const RsimAdviseSpec *spec = &adv->advisor->spec;
  guint dropped = 0;
  /* The surely feasible candidate of the lowest upper cost bound decides
   * every dominance. */
  const Cand *best = NULL;
  for (guint i = 0; i < adv->cands->len; i++) {
    const Cand *c = adv->cands->pdata[i];
    if (!c->dropped && c->n >= 2 && meets_all (spec, c, TRUE)
        && (best == NULL || c->cost_est.high < best->cost_est.high))
      best = c;
  }
  for (guint i = 0; i < adv->cands->len; i++) {
    Cand *c = adv->cands->pdata[i];
    if (c->dropped || c->n < 2)
      continue;
    for (guint j = 0; j < spec->n_objectives && !c->dropped; j++) {
      const RsimObjective *o = &spec->objectives[j];
      const RsimEstimate *e = &c->obj[j];
      gboolean violates = o->at_most ? e->low > o->bound : e->high < o->bound;
      if (violates) {
        g_autofree char *ci = format_interval (e);
        c->why = g_strdup_printf ("violates \"%s\": %s in %s after %u seeds",
                                  o->text, o->stat_name, ci, c->n);
        c->dropped = TRUE;
      }
    }
    if (!c->dropped && best != NULL && best != c
        && best->cost_est.high < c->cost_est.low) {
      g_autofree char *mine = format_interval (&c->cost_est);
      g_autofree char *theirs = format_interval (&best->cost_est);
      c->why = g_strdup_printf ("dominated by candidate %u, which surely "
                                "meets every objective: mean cost %s against "
                                "%s after %u seeds", best->id, theirs, mine,
                                c->n);
      c->dropped = TRUE;
    }
    if (c->dropped) {
      c->dropped_round = adv->rounds;
      dropped++;
    }
  }
  return dropped;
}

/* Racing of the live candidates up to every seed. */
static gboolean
race_all (RsimAdvice *adv, const RsimAdviseOptions *o, const char *stage,
          GError **error)
{
  const RsimAdviseSpec *spec = &adv->advisor->spec;
  guint n = spec->racing ? spec->race_start : spec->seeds;
  for (;;) {
    guint live = 0;
    for (guint i = 0; i < adv->cands->len; i++)
      live += !((Cand *) adv->cands->pdata[i])->dropped;
    guint before = adv->n_runs;
    if (!run_to (adv, o, n, error))
      return FALSE;
    adv->rounds++;
    guint dropped = spec->racing ? race (adv) : 0;
    progress (o, "%s: round %u: %u candidate%s at %u seeds (%u runs), %u "
              "dropped", stage, adv->rounds, live, live == 1 ? "" : "s", n,
              adv->n_runs - before, dropped);
    if (n >= spec->seeds)
      return TRUE;
    n = MIN (spec->seeds, n * 2);
  }
}

/* How much room the estimates leave below (above) the bounds: the mean of
 * the relative margins; larger is better. */
static double
slack (const RsimAdviseSpec *spec, const Cand *c)
{
  double sum = 0;
  for (guint j = 0; j < spec->n_objectives; j++) {
    const RsimObjective *o = &spec->objectives[j];
    double m = o->at_most ? o->bound - c->obj[j].estimate
                          : c->obj[j].estimate - o->bound;
    sum += m / MAX (fabs (o->bound), 1e-9);
  }
  return spec->n_objectives > 0 ? sum / spec->n_objectives : 0;
}

/* Candidates ranked: those that ran every seed and meet every objective by
 * their estimates, by mean cost; at equal cost the one with more room
 * under the bounds first, then the lower id. */
static gint
by_cost (gconstpointer a, gconstpointer b, gpointer spec)
{
  const Cand *x = *(Cand *const *) a, *y = *(Cand *const *) b;
  if (x->cost_est.estimate != y->cost_est.estimate)
    return x->cost_est.estimate < y->cost_est.estimate ? -1 : 1;
  double sx = slack (spec, x), sy = slack (spec, y);
  if (sx != sy)
    return sx > sy ? -1 : 1;
  return (x->id > y->id) - (x->id < y->id);
}

static GPtrArray *
ranked (RsimAdvice *adv)
{
  const RsimAdviseSpec *spec = &adv->advisor->spec;
  GPtrArray *r = g_ptr_array_new ();
  for (guint i = 0; i < adv->cands->len; i++) {
    Cand *c = adv->cands->pdata[i];
    if (!c->dropped && c->n == spec->seeds && meets_all (spec, c, FALSE))
      g_ptr_array_add (r, c);
  }
  g_ptr_array_sort_with_data (r, by_cost, (gpointer) spec);
  return r;
}

static gint
by_violation (gconstpointer a, gconstpointer b, gpointer spec)
{
  const Cand *x = *(Cand *const *) a, *y = *(Cand *const *) b;
  double vx = violation (spec, x), vy = violation (spec, y);
  if (vx != vy)
    return vx < vy ? -1 : 1;
  return by_cost (a, b, spec);
}

/* Every candidate by how close it comes to the objectives. */
static GPtrArray *
closest (RsimAdvice *adv)
{
  GPtrArray *r = g_ptr_array_new ();
  for (guint i = 0; i < adv->cands->len; i++)
    g_ptr_array_add (r, adv->cands->pdata[i]);
  g_ptr_array_sort_with_data (r, by_violation,
                              (gpointer) &adv->advisor->spec);
  return r;
}

static gboolean
known_key (RsimAdvice *adv, const char *key)
{
  for (guint i = 0; i < adv->cands->len; i++)
    if (strcmp (((Cand *) adv->cands->pdata[i])->def->key, key) == 0)
      return TRUE;
  return FALSE;
}

/* Adds the unevaluated neighbours of c at refinement round r: each range
 * knob at its grid spacing / 2^r around c's value. */
static gboolean
refine_around (RsimAdvice *adv, const Cand *c, guint r, guint *added,
               GError **error)
{
  const RsimAdvisor *a = adv->advisor;
  const RsimAdviseSpec *spec = &a->spec;
  guint nk = spec->n_knobs;
  /* Per knob, up to three coordinates: below, the same, above. */
  double choice[RSIM_ADVISE_MAX_KNOBS][3];
  guint n_choice[RSIM_ADVISE_MAX_KNOBS];
  for (guint k = 0; k < nk; k++) {
    const RsimKnob *kn = &spec->knobs[k];
    double x = c->def->coord[k];
    choice[k][0] = x;
    n_choice[k] = 1;
    if (kn->kind != RSIM_KNOB_RANGE || a->lattice_len[k] < 2)
      continue;
    double div = (double) (a->lattice_len[k] - 1) * (double) (1u << r);
    for (int side = -1; side <= 1; side += 2) {
      double y;
      if (kn->log_scale)
        y = x * pow (kn->to / kn->from, side / div);
      else
        y = x + side * (kn->to - kn->from) / div;
      y = range_round (kn, CLAMP (y, kn->from, kn->to));
      if (y != x && (n_choice[k] < 2 || y != choice[k][1]))
        choice[k][n_choice[k]++] = y;
    }
  }
  guint total = 1;
  for (guint k = 0; k < nk; k++)
    total *= n_choice[k];
  double coord[RSIM_ADVISE_MAX_KNOBS];
  for (guint p = 1; p < total; p++) {     /* p = 0 is c itself */
    guint rest = p;
    for (guint k = nk; k-- > 0;) {
      coord[k] = choice[k][rest % n_choice[k]];
      rest /= n_choice[k];
    }
    cJSON *values = cJSON_CreateArray ();
    for (guint k = 0; k < nk; k++)
      cJSON_AddItemToArray (values, knob_value (&spec->knobs[k], coord[k]));
    CandDef *d = cand_def_new (a, coord, values, error);
    if (d == NULL)
      return FALSE;
    if (known_key (adv, d->key)) {
      cand_def_free (d);
      continue;
    }
    g_ptr_array_add (adv->extra_defs, d);
    cand_add (adv, d, r);
    (*added)++;
  }
  return TRUE;
}

/* ------------------------------------------------------------- the search */

static RsimAdvice *
advice_new (const RsimAdvisor *a)
{
  RsimAdvice *adv = g_new0 (RsimAdvice, 1);
  adv->advisor = a;
  adv->cands = g_ptr_array_new_with_free_func (cand_free);
  adv->extra_defs = g_ptr_array_new_with_free_func (cand_def_free);
  adv->runners_up = g_array_new (FALSE, FALSE, sizeof (guint));
  adv->recommended = -1;
  return adv;
}

void
rsim_advice_free (RsimAdvice *adv)
{
  if (adv == NULL)
    return;
  g_ptr_array_unref (adv->cands);
  g_ptr_array_unref (adv->extra_defs);
  if (adv->cache)
    g_hash_table_unref (adv->cache);
  g_array_free (adv->runners_up, TRUE);
  if (adv->shard_csv)
    g_string_free (adv->shard_csv, TRUE);
  g_free (adv);
}

/* The shard's slice of the grid's runs, as runs.csv text. */
static RsimAdvice *
run_shard (RsimAdvisor *a, const RsimAdviseOptions *o, GError **error)
{
  RsimAdvice *adv = advice_new (a);
  adv->shard = TRUE;
  adv->shard_k = o->shard;
  adv->shards = o->shards;
  const RsimAdviseSpec *spec = &a->spec;
  guint total = rsim_advisor_n_grid_runs (a);
  GArray *jobs = g_array_new (FALSE, TRUE, sizeof (Job));
  GArray *index = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint r = 0; r < total; r++) {
    if (r % o->shards != o->shard - 1)
      continue;
    Job j = { a->grid->pdata[r / spec->seeds], spec->seed_base + r % spec->seeds,
              { 0 }, NULL };
    g_array_append_val (jobs, j);
    g_array_append_val (index, r);
  }
  progress (o, "shard %u of %u: %u of the grid's %u runs", o->shard,
            o->shards, jobs->len, total);
  gboolean ok = run_jobs (adv, o, (Job *) jobs->data, jobs->len, error);
  if (ok) {
    adv->shard_csv = g_string_new (NULL);
    GPtrArray *head = g_ptr_array_new_with_free_func (g_free);
    g_ptr_array_add (head, g_strdup ("run"));
    g_ptr_array_add (head, g_strdup ("candidate"));
    g_ptr_array_add (head, g_strdup ("seed"));
    for (int id = 0; id < RSIM_N_METRICS; id++)
      g_ptr_array_add (head, g_strdup (rsim_metrics[id].name));
    g_ptr_array_add (head, NULL);
    rsim__csv_append_row (adv->shard_csv, (const char *const *) head->pdata);
    g_ptr_array_unref (head);
    for (guint i = 0; i < jobs->len; i++) {
      const Job *j = &g_array_index (jobs, Job, i);
      guint r = g_array_index (index, guint, i);
      char **f = g_new0 (char *, RSIM_N_METRICS + 4);
      f[0] = g_strdup_printf ("%u", r);
      f[1] = g_strdup (rsim_sweep_hash (j->def->sweep));
      f[2] = g_strdup_printf ("%" G_GUINT64_FORMAT, j->seed);
      for (int id = 0; id < RSIM_N_METRICS; id++) {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        f[3 + id] = g_strdup (g_ascii_formatd (buf, sizeof buf, "%.17g",
                                               j->metrics[id]));
      }
      rsim__csv_append_row (adv->shard_csv, (const char *const *) f);
      g_strfreev (f);
    }
  }
  g_array_free (jobs, TRUE);
  g_array_free (index, TRUE);
  if (!ok) {
    rsim_advice_free (adv);
    return NULL;
  }
  return adv;
}

static char *
cand_labels (const Cand *c)
{
  const char *const *labels = rsim_sweep_point_values (c->def->sweep, 0);
  return g_strjoinv (", ", (char **) labels);
}

RsimAdvice *
rsim_advise (RsimAdvisor *a, const RsimAdviseOptions *options, GError **error)
{
  g_return_val_if_fail (a != NULL, NULL);
  RsimAdviseOptions defaults = { 0 };
  const RsimAdviseOptions *o = options ? options : &defaults;
  if (o->shards > 1)
    return run_shard (a, o, error);
  const RsimAdviseSpec *spec = &a->spec;
  RsimAdvice *adv = advice_new (a);
  if (o->n_merge_dirs > 0
      && !rsim__advise_load_shards (adv, o->merge_dirs, o->n_merge_dirs,
                                    error)) {
    rsim_advice_free (adv);
    return NULL;
  }
  for (guint i = 0; i < a->grid->len; i++)
    cand_add (adv, a->grid->pdata[i], 0);
  gboolean ok = race_all (adv, o, "grid", error);
  for (guint r = 1; ok && r <= spec->refine; r++) {
    g_autoptr (GPtrArray) best = ranked (adv);
    if (best->len == 0) {
      g_ptr_array_unref (best);
      best = closest (adv);
    }
    guint added = 0;
    for (guint i = 0; ok && i < MIN (best->len, spec->refine_best); i++)
      ok = refine_around (adv, best->pdata[i], r, &added, error);
    if (!ok || added == 0)
      break;
    g_autofree char *stage = g_strdup_printf ("refinement %u", r);
    ok = race_all (adv, o, stage, error);
  }
  if (ok) {
    g_autoptr (GPtrArray) best = ranked (adv);
    if (best->len == 0) {
      g_autoptr (GPtrArray) near = closest (adv);
      GString *msg = g_string_new (NULL);
      g_string_append_printf (msg, "%s: no candidate meets every objective "
                              "(%u candidates, %u runs); the closest:",
                              a->file, adv->cands->len, adv->n_runs);
      for (guint i = 0; i < MIN (near->len, 3u); i++) {
        const Cand *c = near->pdata[i];
        g_autofree char *labels = cand_labels (c);
        g_string_append_printf (msg, "\n  candidate %u (%s), %u seeds:", c->id,
                                labels, c->n);
        for (guint j = 0; j < spec->n_objectives; j++) {
          char buf[RSIM_REPORT_NUMBER_SIZE];
          g_string_append_printf (msg, "%s \"%s\": %s (%s)", j ? ";" : "",
                                  spec->objectives[j].text,
                                  rsim_report_format_double (buf, c->obj[j].estimate),
                                  rsim__advise_meets (spec, c, j, FALSE)
                                  ? "met" : "not met");
        }
      }
      g_set_error_literal (error, RSIM_ADVISE_ERROR,
                           RSIM_ADVISE_ERROR_INFEASIBLE, msg->str);
      g_string_free (msg, TRUE);
      ok = FALSE;
    } else {
      adv->recommended = (int) ((Cand *) best->pdata[0])->id;
      for (guint i = 1; i < MIN (best->len, 4u); i++) {
        guint id = ((Cand *) best->pdata[i])->id;
        g_array_append_val (adv->runners_up, id);
      }
    }
  }
  if (!ok) {
    rsim_advice_free (adv);
    return NULL;
  }
  return adv;
}

/* -------------------------------------------------------------- accessors */

gboolean
rsim_advice_is_shard (const RsimAdvice *advice)
{
  return advice->shard;
}

guint
rsim_advice_n_runs (const RsimAdvice *advice)
{
  return advice->n_runs;
}

guint
rsim_advice_n_candidates (const RsimAdvice *advice)
{
  return advice->cands->len;
}

guint
rsim_advice_recommended (const RsimAdvice *advice)
{
  g_return_val_if_fail (advice->recommended >= 0, 0);
  return (guint) advice->recommended;
}

static const Cand *
cand_at (const RsimAdvice *advice, guint i)
{
  g_return_val_if_fail (i < advice->cands->len, NULL);
  return advice->cands->pdata[i];
}

const char *const *
rsim_advice_candidate_values (const RsimAdvice *advice, guint candidate)
{
  return rsim_sweep_point_values (cand_at (advice, candidate)->def->sweep, 0);
}

double
rsim_advice_candidate_coordinate (const RsimAdvice *advice, guint candidate,
                                  guint knob)
{
  g_return_val_if_fail (knob < advice->advisor->spec.n_knobs, NAN);
  return cand_at (advice, candidate)->def->coord[knob];
}

guint
rsim_advice_candidate_seeds (const RsimAdvice *advice, guint candidate)
{
  return cand_at (advice, candidate)->n;
}

gboolean
rsim_advice_candidate_dropped (const RsimAdvice *advice, guint candidate)
{
  return cand_at (advice, candidate)->dropped;
}

double
rsim_advice_candidate_cost (const RsimAdvice *advice, guint candidate)
{
  return cand_at (advice, candidate)->cost_est.estimate;
}
