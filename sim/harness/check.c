/* The regression gate (rescalesim check): results of runs against a
 * committed baseline, with per-metric tolerances.
 *
 * A baseline (schema "rescalesim/baseline/1") holds "tolerances", an
 * object of metric name -> {"abs": A, "rel": R}, and "results", one entry
 * per (scenario, scheduler, seed) with the "summary" object of that run's
 * report.json. A run is matched to its entry by the identity in its
 * report.json (scenario.name, run.scheduler, run.seed). The summary is
 * flattened into metrics: a nested object's members are named
 * "outer.inner" (final_parallelism.window), and take the tolerance of
 * "outer.inner" or else of "outer". A metric without a tolerance must be
 * equal, which keeps integer counters exact; strings (final_state) and
 * nulls must be equal whatever the tolerance.
 *
 * Only the baseline's metrics are checked: a metric a newer report adds is
 * ignored until the baseline is rewritten; one the new report lacks fails.
 * Results appear in the baseline's order, then runs the baseline does not
 * know, in the order given.
 *
 * Files written here (the baseline, the --json output) get their numbers
 * from rsim_report_format_double(), never from cJSON or the locale. */
#include "harness/check-private.h"
#include "report/report-internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <rescalesim/harness.h>
#include <rescalesim/report.h>

G_DEFINE_QUARK (rsim-check-error-quark, rsim_check_error)

/* ------------------------------------------------------------ tolerance */

double
rsim__check_allowed (double base, double abs_tol, double rel_tol)
{
  return MAX (abs_tol, rel_tol * fabs (base));
}

gboolean
rsim__check_within (double base, double value, double abs_tol,
                    double rel_tol)
{
  if (base == value || (isnan (base) && isnan (value)))
    return TRUE;
  /* No tolerance: equal or not, whatever the magnitude. */
  if (abs_tol == 0 && rel_tol == 0)
    return FALSE;
  /* An infinity or NaN that is not matched exactly is never within. */
  if (!isfinite (base) || !isfinite (value))
    return FALSE;
  double diff = fabs (value - base);
  double slack = 1e-12 * MAX (fabs (base), fabs (value));
  return diff <= rsim__check_allowed (base, abs_tol, rel_tol) + slack;
}

/* --------------------------------------------------------------- model */

typedef enum { CMP_MATCHED, CMP_MISSING, CMP_UNEXPECTED } CmpStatus;

typedef struct {
  char *metric;
  cJSON *base;        /* (transfer none) into the baseline tree */
  cJSON *value;       /* (transfer none) into the report tree; NULL: missing */
  gboolean numeric;   /* both numbers */
  gboolean has_tol;   /* a tolerance entry applies */
  double abs, rel;
  gboolean differs;
  gboolean pass;
} Row;

typedef struct {
  char *scenario;
  char *scheduler;
  char *seed;         /* as text, e.g. "42" */
  char *dir;          /* NULL when missing */
  CmpStatus status;
  GPtrArray *rows;    /* every compared metric (Row) */
  guint n_differ;
  guint n_fail;
} ResultCmp;

struct RsimCheck {
  char *baseline_path;
  cJSON *baseline;
  GPtrArray *reports;  /* cJSON trees kept alive for the rows */
  GPtrArray *results;  /* ResultCmp */
  guint n_metrics;
  guint n_differ;
  guint n_fail;        /* failing metrics + missing/unexpected results */
};

static void
row_free (gpointer p)
{
  Row *r = p;
  g_free (r->metric);
  g_free (r);
}

static void
result_cmp_free (gpointer p)
{
  ResultCmp *r = p;
  g_free (r->scenario);
  g_free (r->scheduler);
  g_free (r->seed);
  g_free (r->dir);
  g_ptr_array_unref (r->rows);
  g_free (r);
}

void
rsim_check_free (RsimCheck *check)
{
  if (check == NULL)
    return;
  g_free (check->baseline_path);
  cJSON_Delete (check->baseline);
  g_ptr_array_unref (check->reports);
  g_ptr_array_unref (check->results);
  g_free (check);
}

gboolean
rsim_check_passed (const RsimCheck *check)
{
  g_return_val_if_fail (check != NULL, FALSE);
  return check->n_fail == 0;
}

/* -------------------------------------------------------------- inputs */

static gboolean
input_error (GError **error, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static gboolean
input_error (GError **error, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error_literal (error, RSIM_CHECK_ERROR, RSIM_CHECK_ERROR_INPUT, msg);
  return FALSE;
}

static cJSON *
load_json (const char *path, GError **error)
{
  const RsimJsonSource src = { path, RSIM_CHECK_ERROR, RSIM_CHECK_ERROR_INPUT };
  return rsim__json_read_file (&src, error);
}

/* A seed as text: integers print without a fraction or exponent. */
static char *
seed_text (const cJSON *v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.0f", v->valuedouble));
}

typedef struct {
  const char *scenario;
  const char *scheduler;
  char *seed;
  cJSON *summary;     /* (transfer none) */
} Identity;

/* Reads scenario.name, run.scheduler, run.seed and summary of a
 * report.json (root), or scenario, scheduler, seed and summary of a
 * baseline result (found at JSON path `path` of file) when report is
 * FALSE. */
static gboolean
read_identity (const cJSON *obj, gboolean report, const char *file,
               const char *path, Identity *id, GError **error)
{
  const RsimJsonSource src = { file, RSIM_CHECK_ERROR, RSIM_CHECK_ERROR_INPUT };
  const cJSON *scenario, *sched, *seed, *summary;
  if (report) {
    if (!rsim__json_schema (&src, obj, RSIM_REPORT_SCHEMA, error))
      return FALSE;
    const cJSON *sc = rsim__json_member (&src, obj, path, "scenario",
                                         RSIM_JSON_OBJECT, error);
    const cJSON *run = sc ? rsim__json_member (&src, obj, path, "run",
                                               RSIM_JSON_OBJECT, error)
                          : NULL;
    if (run == NULL)
      return FALSE;
    if ((scenario = rsim__json_member (&src, sc, "scenario", "name",
                                       RSIM_JSON_STRING, error)) == NULL
        || (sched = rsim__json_member (&src, run, "run", "scheduler",
                                       RSIM_JSON_STRING, error)) == NULL
        || (seed = rsim__json_member (&src, run, "run", "seed",
                                      RSIM_JSON_NUMBER, error)) == NULL)
      return FALSE;
  } else {
    if ((scenario = rsim__json_member (&src, obj, path, "scenario",
                                       RSIM_JSON_STRING, error)) == NULL
        || (sched = rsim__json_member (&src, obj, path, "scheduler",
                                       RSIM_JSON_STRING, error)) == NULL
        || (seed = rsim__json_member (&src, obj, path, "seed",
                                      RSIM_JSON_NUMBER, error)) == NULL)
      return FALSE;
  }
  summary = rsim__json_member (&src, obj, path, "summary", RSIM_JSON_OBJECT,
                               error);
  if (summary == NULL)
    return FALSE;
  /* A metric named twice would be read one way by the comparison and
   * another by a baseline built from it. */
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (const cJSON *m = summary->child; m != NULL; m = m->next) {
    if (m->string == NULL)
      continue;
    if (!g_hash_table_add (seen, m->string)) {
      g_autofree char *shown = g_strndup (m->string, 64);
      g_set_error (error, RSIM_CHECK_ERROR, RSIM_CHECK_ERROR_INPUT,
                   "%s: %s%ssummary: expected each metric once, found \"%s\" "
                   "twice", file, path ? path : "", path && *path ? "." : "",
                   shown);
      return FALSE;
    }
  }
  id->scenario = scenario->valuestring;
  id->scheduler = sched->valuestring;
  id->seed = seed_text (seed);
  id->summary = (cJSON *) summary;
  return TRUE;
}

static gboolean
same_identity (const ResultCmp *r, const Identity *id)
{
  return g_str_equal (r->scenario, id->scenario)
         && g_str_equal (r->scheduler, id->scheduler)
         && g_str_equal (r->seed, id->seed);
}

/* The tolerance of a metric: its own entry, else its parent's ("a" for
 * "a.b"). Returns FALSE when none applies. */
static gboolean
find_tolerance (const cJSON *tolerances, const char *metric, double *abs_tol,
                double *rel_tol)
{
  const cJSON *t = cJSON_GetObjectItemCaseSensitive (tolerances, metric);
  const char *dot = strchr (metric, '.');
  if (t == NULL && dot != NULL) {
    g_autofree char *parent = g_strndup (metric, dot - metric);
    t = cJSON_GetObjectItemCaseSensitive (tolerances, parent);
  }
  if (!cJSON_IsObject (t))
    return FALSE;
  const cJSON *a = cJSON_GetObjectItemCaseSensitive (t, "abs");
  const cJSON *r = cJSON_GetObjectItemCaseSensitive (t, "rel");
  *abs_tol = cJSON_IsNumber (a) ? a->valuedouble : 0;
  *rel_tol = cJSON_IsNumber (r) ? r->valuedouble : 0;
  return TRUE;
}

static gboolean
check_tolerances (const cJSON *tolerances, const char *file, GError **error)
{
  const RsimJsonSource src = { file, RSIM_CHECK_ERROR, RSIM_CHECK_ERROR_INPUT };
  if (tolerances == NULL)
    return TRUE;
  if (!cJSON_IsObject (tolerances))
    return rsim__json_expected (&src, "tolerances", "an object", tolerances,
                                error);
  const cJSON *t;
  cJSON_ArrayForEach (t, tolerances) {
    g_autofree char *where = g_strconcat ("tolerances.", t->string, NULL);
    if (!cJSON_IsObject (t))
      return rsim__json_expected (&src, where, "an object with \"abs\" "
                                  "and/or \"rel\"", t, error);
    const cJSON *f;
    cJSON_ArrayForEach (f, t) {
      g_autofree char *member = g_strconcat (where, ".", f->string, NULL);
      if (!g_str_equal (f->string, "abs") && !g_str_equal (f->string, "rel"))
        return input_error (error, "%s: %s: unknown member (expected "
                            "\"abs\" or \"rel\")", file, member);
      if (!cJSON_IsNumber (f) || !(f->valuedouble >= 0))
        return rsim__json_expected (&src, member, "a number >= 0", f, error);
    }
  }
  return TRUE;
}

/* ------------------------------------------------------------ compare */

static gboolean
same_json (const cJSON *a, const cJSON *b)
{
  if (cJSON_IsNumber (a) && cJSON_IsNumber (b))
    return a->valuedouble == b->valuedouble
           || (isnan (a->valuedouble) && isnan (b->valuedouble));
  return cJSON_Compare (a, b, TRUE);
}

static void
compare_metric (RsimCheck *check, ResultCmp *res, const cJSON *tolerances,
                const char *metric, cJSON *base, cJSON *value)
{
  Row *row = g_new0 (Row, 1);
  row->metric = g_strdup (metric);
  row->base = base;
  row->value = value;
  row->has_tol = find_tolerance (tolerances, metric, &row->abs, &row->rel);
  row->numeric = cJSON_IsNumber (base) && cJSON_IsNumber (value);
  if (value == NULL) {
    row->differs = TRUE;
    row->pass = FALSE;
  } else if (row->numeric) {
    row->differs = !same_json (base, value);
    row->pass = row->has_tol
      ? rsim__check_within (base->valuedouble, value->valuedouble, row->abs,
                            row->rel)
      : !row->differs;
  } else {
    row->differs = !same_json (base, value);
    row->pass = !row->differs;
  }
  g_ptr_array_add (res->rows, row);
  check->n_metrics++;
  if (row->differs) {
    res->n_differ++;
    check->n_differ++;
  }
  if (!row->pass) {
    res->n_fail++;
    check->n_fail++;
  }
}

/* Compares the members of base (a summary or a nested object) with those
 * of value, in the baseline's order. */
static void
compare_object (RsimCheck *check, ResultCmp *res, const cJSON *tolerances,
                const char *prefix, cJSON *base, cJSON *value)
{
  cJSON *b;
  cJSON_ArrayForEach (b, base) {
    g_autofree char *metric = prefix
      ? g_strconcat (prefix, ".", b->string, NULL) : g_strdup (b->string);
    cJSON *v = cJSON_IsObject (value)
      ? cJSON_GetObjectItemCaseSensitive (value, b->string) : NULL;
    if (cJSON_IsObject (b) && cJSON_IsObject (v))
      compare_object (check, res, tolerances, metric, b, v);
    else
      compare_metric (check, res, tolerances, metric, b, v);
  }
}

static ResultCmp *
result_cmp_new (const Identity *id, CmpStatus status)
{
  ResultCmp *r = g_new0 (ResultCmp, 1);
  r->scenario = g_strdup (id->scenario);
  r->scheduler = g_strdup (id->scheduler);
  r->seed = g_strdup (id->seed);
  r->status = status;
  r->rows = g_ptr_array_new_with_free_func (row_free);
  return r;
}

RsimCheck *
rsim_check_run (const char *baseline_path, const char *const *result_dirs,
                guint n_dirs, GError **error)
{
  g_return_val_if_fail (baseline_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr (RsimCheck) check = g_new0 (RsimCheck, 1);
  check->baseline_path = g_strdup (baseline_path);
  check->reports = g_ptr_array_new_with_free_func (
    (GDestroyNotify) cJSON_Delete);
  check->results = g_ptr_array_new_with_free_func (result_cmp_free);

  check->baseline = load_json (baseline_path, error);
  if (check->baseline == NULL)
    return NULL;
  const RsimJsonSource src = { baseline_path, RSIM_CHECK_ERROR,
                               RSIM_CHECK_ERROR_INPUT };
  if (!rsim__json_schema (&src, check->baseline, RSIM_BASELINE_SCHEMA, error))
    return NULL;
  const cJSON *tolerances = cJSON_GetObjectItemCaseSensitive (
    check->baseline, "tolerances");
  if (!check_tolerances (tolerances, baseline_path, error))
    return NULL;
  const cJSON *results = rsim__json_member (&src, check->baseline, "",
                                            "results", RSIM_JSON_ARRAY, error);
  if (results == NULL)
    return NULL;

  /* Baseline results, initially all missing. */
  g_autoptr (GPtrArray) base_summaries = g_ptr_array_new ();
  const cJSON *entry;
  int index = 0;
  cJSON_ArrayForEach (entry, results) {
    g_autofree char *where = g_strdup_printf ("results[%d]", index++);
    Identity id = { 0 };
    if (!cJSON_IsObject (entry)) {
      rsim__json_expected (&src, where, "an object", entry, error);
      return NULL;
    }
    if (!read_identity (entry, FALSE, baseline_path, where, &id, error))
      return NULL;
    g_autofree char *seed G_GNUC_UNUSED = id.seed;   /* frees it */
    for (guint i = 0; i < check->results->len; i++)
      if (same_identity (check->results->pdata[i], &id)) {
        input_error (error, "%s: %s: %s / %s / seed %s appears twice",
                     baseline_path, where,
                     id.scenario, id.scheduler, id.seed);
        return NULL;
      }
    g_ptr_array_add (check->results, result_cmp_new (&id, CMP_MISSING));
    g_ptr_array_add (base_summaries, id.summary);
  }

  for (guint d = 0; d < n_dirs; d++) {
    g_autofree char *path = g_build_filename (result_dirs[d],
                                              RSIM_REPORT_FILE, NULL);
    cJSON *report = load_json (path, error);
    if (report == NULL)
      return NULL;
    g_ptr_array_add (check->reports, report);
    Identity id = { 0 };
    if (!read_identity (report, TRUE, path, "", &id, error))
      return NULL;
    g_autofree char *seed G_GNUC_UNUSED = id.seed;   /* frees it */
    ResultCmp *res = NULL;
    guint i;
    for (i = 0; i < check->results->len && res == NULL; i++)
      if (same_identity (check->results->pdata[i], &id))
        res = check->results->pdata[i];
    if (res != NULL && res->dir != NULL) {
      input_error (error, "%s and %s are both %s / %s / seed %s", res->dir,
                   result_dirs[d], id.scenario, id.scheduler, id.seed);
      return NULL;
    }
    if (res == NULL) {
      res = result_cmp_new (&id, CMP_UNEXPECTED);
      res->dir = g_strdup (result_dirs[d]);
      g_ptr_array_add (check->results, res);
      continue;
    }
    res->dir = g_strdup (result_dirs[d]);
    res->status = CMP_MATCHED;
    compare_object (check, res, tolerances, NULL,
                    base_summaries->pdata[i - 1], id.summary);
  }
  for (guint i = 0; i < check->results->len; i++) {
    ResultCmp *res = check->results->pdata[i];
    if (res->status != CMP_MATCHED)
      check->n_fail++;
  }
  return g_steal_pointer (&check);
}

/* ------------------------------------------------------------- output */

/* A JSON value as short text for the table: numbers in the report's
 * format, strings as they are, "(missing)" for NULL. (transfer full) */
static char *
value_text (const cJSON *v)
{
  char buf[RSIM_REPORT_NUMBER_SIZE];
  if (v == NULL)
    return g_strdup ("(missing)");
  if (cJSON_IsNumber (v))
    return g_strdup (rsim_report_format_double (buf, v->valuedouble));
  if (cJSON_IsString (v))
    return g_strdup (v->valuestring);
  if (cJSON_IsNull (v))
    return g_strdup ("null");
  if (cJSON_IsBool (v))
    return g_strdup (cJSON_IsTrue (v) ? "true" : "false");
  return g_strdup (cJSON_IsObject (v) ? "{...}" : "[...]");
}

static char *
delta_text (const Row *r)
{
  char buf[RSIM_REPORT_NUMBER_SIZE];
  if (!r->numeric)
    return g_strdup ("-");
  double d = r->value->valuedouble - r->base->valuedouble;
  rsim_report_format_double (buf, d);
  return d > 0 ? g_strconcat ("+", buf, NULL) : g_strdup (buf);
}

static char *
tolerance_text (const Row *r)
{
  char buf[RSIM_REPORT_NUMBER_SIZE];
  if (!r->numeric)
    return g_strdup ("equal");
  if (!r->has_tol)
    return g_strdup ("exact");
  double allowed = rsim__check_allowed (r->base->valuedouble, r->abs, r->rel);
  if (allowed == 0)
    return g_strdup ("exact");
  return g_strconcat ("+-", rsim_report_format_double (buf, allowed), NULL);
}

static const char *
result_verdict (const ResultCmp *r)
{
  switch (r->status) {
  case CMP_MISSING: return "MISSING";
  case CMP_UNEXPECTED: return "NOT IN BASELINE";
  case CMP_MATCHED: break;
  }
  return r->n_fail > 0 ? "FAIL" : "PASS";
}

void
rsim_check_print (FILE *out, const RsimCheck *check)
{
  g_return_if_fail (check != NULL);
  guint n_matched = 0, n_bad_results = 0;
  for (guint i = 0; i < check->results->len; i++) {
    const ResultCmp *res = check->results->pdata[i];
    n_matched += res->status == CMP_MATCHED;
    n_bad_results += res->status != CMP_MATCHED || res->n_fail > 0;
    fprintf (out, "%-4s %s / %s / seed %s", result_verdict (res),
             res->scenario, res->scheduler, res->seed);
    if (res->status == CMP_MISSING) {
      fprintf (out, ": no result directory has this scenario, scheduler "
               "and seed\n");
      continue;
    }
    fprintf (out, " (%s)", res->dir);
    if (res->status == CMP_UNEXPECTED) {
      fprintf (out, ": the baseline has no such result\n");
      continue;
    }
    if (res->n_differ == 0) {
      fprintf (out, ": %u metric%s identical\n", res->rows->len,
               res->rows->len == 1 ? "" : "s");
      continue;
    }
    fprintf (out, ": %u of %u metric%s differ%s\n", res->n_differ,
             res->rows->len, res->rows->len == 1 ? "" : "s",
             res->n_differ == 1 ? "s" : "");
    fprintf (out, "     %-26s %16s %16s %14s %14s  %s\n", "metric",
             "baseline", "new", "delta", "tolerance", "result");
    for (guint k = 0; k < res->rows->len; k++) {
      const Row *r = res->rows->pdata[k];
      if (!r->differs)
        continue;
      g_autofree char *b = value_text (r->base);
      g_autofree char *v = value_text (r->value);
      g_autofree char *d = delta_text (r);
      g_autofree char *t = tolerance_text (r);
      fprintf (out, "     %-26s %16s %16s %14s %14s  %s\n", r->metric, b, v,
               d, t, r->pass ? "PASS" : "FAIL");
    }
  }
  if (check->n_fail == 0)
    fprintf (out, "\ncheck: PASS: %u result%s, %u metric%s compared, %u "
             "differ%s within tolerance\n", n_matched,
             n_matched == 1 ? "" : "s", check->n_metrics,
             check->n_metrics == 1 ? "" : "s", check->n_differ,
             check->n_differ == 1 ? "s" : "");
  else
    fprintf (out, "\ncheck: FAIL: %u of %u result%s regressed or missing; "
             "%u failure%s (baseline %s)\n", n_bad_results,
             check->results->len, check->results->len == 1 ? "" : "s",
             check->n_fail, check->n_fail == 1 ? "" : "s",
             check->baseline_path);
}

/* A copy of a JSON value whose numbers are raw text in the report's
 * format, so that printing it involves neither cJSON's number printing
 * nor the locale. (transfer full) */
static cJSON *
json_fixed (const cJSON *v)
{
  char buf[RSIM_REPORT_NUMBER_SIZE];
  if (v == NULL)
    return cJSON_CreateNull ();
  if (cJSON_IsNumber (v))
    return isfinite (v->valuedouble)
      ? cJSON_CreateRaw (rsim_report_format_double (buf, v->valuedouble))
      : cJSON_CreateNull ();
  if (cJSON_IsObject (v) || cJSON_IsArray (v)) {
    cJSON *c = cJSON_IsObject (v) ? cJSON_CreateObject ()
                                  : cJSON_CreateArray ();
    const cJSON *m;
    cJSON_ArrayForEach (m, v) {
      if (cJSON_IsObject (v))
        cJSON_AddItemToObject (c, m->string, json_fixed (m));
      else
        cJSON_AddItemToArray (c, json_fixed (m));
    }
    return c;
  }
  return cJSON_Duplicate (v, TRUE);
}

static char *
print_pretty (cJSON *root)
{
  g_autofree char *compact = cJSON_PrintUnformatted (root);
  return rsim__json_pretty (compact);
}

char *
rsim_check_build_json (const RsimCheck *check)
{
  g_return_val_if_fail (check != NULL, NULL);
  g_autoptr (cJSON) root = cJSON_CreateObject ();
  cJSON_AddStringToObject (root, "schema", "rescalesim/check/1");
  cJSON_AddStringToObject (root, "baseline", check->baseline_path);
  cJSON_AddBoolToObject (root, "passed", check->n_fail == 0);
  cJSON_AddItemToObject (root, "metrics_compared",
                         rsim__json_number (check->n_metrics));
  cJSON_AddItemToObject (root, "metrics_differing",
                         rsim__json_number (check->n_differ));
  cJSON_AddItemToObject (root, "failures", rsim__json_number (check->n_fail));
  cJSON *results = cJSON_AddArrayToObject (root, "results");
  for (guint i = 0; i < check->results->len; i++) {
    const ResultCmp *res = check->results->pdata[i];
    cJSON *o = cJSON_CreateObject ();
    cJSON_AddStringToObject (o, "scenario", res->scenario);
    cJSON_AddStringToObject (o, "scheduler", res->scheduler);
    cJSON_AddItemToObject (o, "seed", cJSON_CreateRaw (res->seed));
    if (res->dir)
      cJSON_AddStringToObject (o, "dir", res->dir);
    else
      cJSON_AddNullToObject (o, "dir");
    static const char *const status[] = { "pass", "missing",
                                          "not_in_baseline" };
    cJSON_AddStringToObject (o, "status",
                             res->status == CMP_MATCHED
                               ? (res->n_fail > 0 ? "fail" : "pass")
                               : status[res->status]);
    cJSON_AddItemToObject (o, "metrics_compared",
                           rsim__json_number (res->rows->len));
    cJSON *diffs = cJSON_AddArrayToObject (o, "differences");
    for (guint k = 0; k < res->rows->len; k++) {
      const Row *r = res->rows->pdata[k];
      if (!r->differs)
        continue;
      cJSON *d = cJSON_CreateObject ();
      cJSON_AddStringToObject (d, "metric", r->metric);
      cJSON_AddItemToObject (d, "baseline", json_fixed (r->base));
      cJSON_AddItemToObject (d, "new", json_fixed (r->value));
      if (r->numeric) {
        cJSON_AddItemToObject (d, "delta", rsim__json_number (
          r->value->valuedouble - r->base->valuedouble));
        cJSON_AddItemToObject (d, "allowed", rsim__json_number (
          r->has_tol ? rsim__check_allowed (r->base->valuedouble, r->abs,
                                            r->rel) : 0));
      } else {
        cJSON_AddNullToObject (d, "delta");
        cJSON_AddNullToObject (d, "allowed");
      }
      cJSON_AddBoolToObject (d, "pass", r->pass);
      cJSON_AddItemToArray (diffs, d);
    }
    cJSON_AddItemToArray (results, o);
  }
  return print_pretty (root);
}

/* --------------------------------------------------------------- JUnit */

/* JUnit XML, the shape CI servers read (Jenkins' junit plugin, GitLab's
 * and GitHub's test reporters): <testsuites> with one <testsuite> per
 * result (scenario / scheduler / seed) and in it one <testcase> per
 * compared metric, named after the metric; a metric outside its tolerance
 * has a <failure> whose message gives the baseline, the new value, the
 * delta and the tolerance. A result the baseline lacks, or a baseline
 * result without a RESULT_DIR, is a suite with one failed case named
 * "result". No times: the file depends only on the inputs. */

static void
xml_attr (GString *out, const char *name, const char *value)
{
  g_autofree char *escaped = g_markup_escape_text (value, -1);
  g_string_append_printf (out, " %s=\"%s\"", name, escaped);
}

static void
xml_attr_uint (GString *out, const char *name, guint value)
{
  g_string_append_printf (out, " %s=\"%u\"", name, value);
}

/* "baseline 30, new 36.2, delta +6.2, allowed +-1.5 (abs 0.5, rel 0.05)" */
static char *
failure_message (const Row *r)
{
  g_autofree char *b = value_text (r->base);
  g_autofree char *v = value_text (r->value);
  GString *m = g_string_new (NULL);
  g_string_append_printf (m, "%s: baseline %s, new %s", r->metric, b, v);
  if (r->value == NULL) {
    g_string_append (m, ": the new report lacks this metric");
    return g_string_free (m, FALSE);
  }
  g_autofree char *d = delta_text (r);
  g_autofree char *t = tolerance_text (r);
  if (r->numeric)
    g_string_append_printf (m, ", delta %s", d);
  g_string_append_printf (m, ", tolerance %s", t);
  if (r->numeric && r->has_tol) {
    char a[RSIM_REPORT_NUMBER_SIZE], rel[RSIM_REPORT_NUMBER_SIZE];
    g_string_append_printf (m, " (abs %s, rel %s)",
                            rsim_report_format_double (a, r->abs),
                            rsim_report_format_double (rel, r->rel));
  } else if (r->numeric) {
    g_string_append (m, " (no tolerance: must be equal)");
  }
  return g_string_free (m, FALSE);
}

static void
junit_case (GString *out, const char *classname, const char *name,
            const char *failure)
{
  g_string_append (out, "    <testcase");
  xml_attr (out, "classname", classname);
  xml_attr (out, "name", name);
  if (failure == NULL) {
    g_string_append (out, "/>\n");
    return;
  }
  g_string_append (out, ">\n      <failure");
  xml_attr (out, "type", "regression");
  xml_attr (out, "message", failure);
  g_autofree char *body = g_markup_escape_text (failure, -1);
  g_string_append_printf (out, ">%s</failure>\n    </testcase>\n", body);
}

char *
rsim_check_build_junit (const RsimCheck *check)
{
  g_return_val_if_fail (check != NULL, NULL);
  guint tests = 0, failures = 0;
  for (guint i = 0; i < check->results->len; i++) {
    const ResultCmp *res = check->results->pdata[i];
    if (res->status != CMP_MATCHED) {
      tests++;
      failures++;
    } else {
      tests += res->rows->len;
      failures += res->n_fail;
    }
  }
  GString *out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  g_string_append (out, "<testsuites");
  xml_attr (out, "name", "rescalesim check");
  xml_attr_uint (out, "tests", tests);
  xml_attr_uint (out, "failures", failures);
  xml_attr_uint (out, "errors", 0);
  g_string_append (out, ">\n");
  for (guint i = 0; i < check->results->len; i++) {
    const ResultCmp *res = check->results->pdata[i];
    g_autofree char *suite = g_strdup_printf ("%s / %s / seed %s",
                                              res->scenario, res->scheduler,
                                              res->seed);
    /* Dots separate packages in the reporters' tree. */
    g_autofree char *classname = g_strdup_printf (
      "rescalesim.%s.%s.seed-%s", res->scenario, res->scheduler, res->seed);
    gboolean matched = res->status == CMP_MATCHED;
    g_string_append (out, "  <testsuite");
    xml_attr (out, "name", suite);
    xml_attr_uint (out, "tests", matched ? res->rows->len : 1);
    xml_attr_uint (out, "failures", matched ? res->n_fail : 1);
    xml_attr_uint (out, "errors", 0);
    xml_attr_uint (out, "skipped", 0);
    g_string_append (out, ">\n");
    if (!matched) {
      g_autofree char *why = g_strdup_printf (
        "%s: %s", suite, res->status == CMP_MISSING
        ? "the baseline has this result but no RESULT_DIR does"
        : "the baseline has no such result");
      junit_case (out, classname, "result", why);
    }
    for (guint k = 0; matched && k < res->rows->len; k++) {
      const Row *r = res->rows->pdata[k];
      g_autofree char *why = r->pass ? NULL : failure_message (r);
      junit_case (out, classname, r->metric, why);
    }
    g_string_append (out, "  </testsuite>\n");
  }
  g_string_append (out, "</testsuites>\n");
  return g_string_free (out, FALSE);
}

gboolean
rsim_check_write_junit (const RsimCheck *check, const char *path,
                        GError **error)
{
  g_return_val_if_fail (check != NULL && path != NULL, FALSE);
  g_autofree char *text = rsim_check_build_junit (check);
  g_autoptr (GError) io = NULL;
  if (!rsim__write_file (path, text, FALSE, &io)) {
    g_set_error_literal (error, RSIM_CHECK_ERROR, RSIM_CHECK_ERROR_OUTPUT,
                         io->message);
    return FALSE;
  }
  return TRUE;
}

/* ------------------------------------------------------------ baseline */

typedef struct {
  Identity id;
  const char *dir;
} BaseEntry;

static int
compare_entries (gconstpointer a, gconstpointer b)
{
  const BaseEntry *x = *(BaseEntry *const *) a, *y = *(BaseEntry *const *) b;
  int c = strcmp (x->id.scenario, y->id.scenario);
  if (c == 0)
    c = strcmp (x->id.scheduler, y->id.scheduler);
  if (c == 0) {
    /* Seeds are decimal integers without sign: shorter is smaller. */
    gsize lx = strlen (x->id.seed), ly = strlen (y->id.seed);
    c = lx != ly ? (lx < ly ? -1 : 1) : strcmp (x->id.seed, y->id.seed);
  }
  return c;
}

static void
base_entry_free (gpointer p)
{
  BaseEntry *e = p;
  g_free (e->id.seed);
  g_free (e);
}

char *
rsim_check_build_baseline (const char *const *result_dirs, guint n_dirs,
                           GError **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_autoptr (GPtrArray) reports = g_ptr_array_new_with_free_func (
    (GDestroyNotify) cJSON_Delete);
  g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func (
    base_entry_free);
  for (guint d = 0; d < n_dirs; d++) {
    g_autofree char *path = g_build_filename (result_dirs[d],
                                              RSIM_REPORT_FILE, NULL);
    cJSON *report = load_json (path, error);
    if (report == NULL)
      return NULL;
    g_ptr_array_add (reports, report);
    BaseEntry *e = g_new0 (BaseEntry, 1);
    e->dir = result_dirs[d];
    g_ptr_array_add (entries, e);
    if (!read_identity (report, TRUE, path, "", &e->id, error))
      return NULL;
  }
  g_ptr_array_sort (entries, compare_entries);
  for (guint i = 1; i < entries->len; i++) {
    const BaseEntry *a = entries->pdata[i - 1], *b = entries->pdata[i];
    if (compare_entries (&a, &b) == 0) {
      input_error (error, "%s and %s are both %s / %s / seed %s", a->dir,
                   b->dir, a->id.scenario, a->id.scheduler, a->id.seed);
      return NULL;
    }
  }

  g_autoptr (cJSON) root = cJSON_CreateObject ();
  cJSON_AddStringToObject (root, "schema", RSIM_BASELINE_SCHEMA);
  cJSON *tol = cJSON_AddObjectToObject (root, "tolerances");
  /* The default tolerances of the metric list (metrics.h): durations in
   * seconds allow half a second or 5 %, record counts a thousand records or
   * 5 %, counters are exact but for a checkpoint more or less; metrics
   * without one must be equal. */
  for (int id = 0; id < RSIM_N_METRICS; id++) {
    const RsimMetricInfo *m = &rsim_metrics[id];
    if (!(m->flags & RSIM_METRIC_IN_REPORT) || isnan (m->abs_tol))
      continue;
    cJSON *t = cJSON_AddObjectToObject (tol, m->name);
    cJSON_AddItemToObject (t, "abs", rsim__json_number (m->abs_tol));
    cJSON_AddItemToObject (t, "rel", rsim__json_number (m->rel_tol));
  }
  cJSON *results = cJSON_AddArrayToObject (root, "results");
  for (guint i = 0; i < entries->len; i++) {
    const BaseEntry *e = entries->pdata[i];
    cJSON *o = cJSON_CreateObject ();
    cJSON_AddStringToObject (o, "scenario", e->id.scenario);
    cJSON_AddStringToObject (o, "scheduler", e->id.scheduler);
    cJSON_AddItemToObject (o, "seed", cJSON_CreateRaw (e->id.seed));
    cJSON_AddItemToObject (o, "summary", json_fixed (e->id.summary));
    cJSON_AddItemToArray (results, o);
  }
  return print_pretty (root);
}

gboolean
rsim_check_write_baseline (const char *path, const char *const *result_dirs,
                           guint n_dirs, GError **error)
{
  g_return_val_if_fail (path != NULL, FALSE);
  g_autofree char *text = rsim_check_build_baseline (result_dirs, n_dirs,
                                                     error);
  if (text == NULL)
    return FALSE;
  g_autoptr (GError) io = NULL;
  if (!rsim__write_file (path, text, TRUE, &io)) {
    g_set_error_literal (error, RSIM_CHECK_ERROR, RSIM_CHECK_ERROR_OUTPUT,
                         io->message);
    return FALSE;
  }
  return TRUE;
}
