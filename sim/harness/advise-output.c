/* The advisor's outputs (include/rescalesim/advise.h): advice.json,
 * candidates.csv, pareto.csv, the recommended values as a Flink config.yaml
 * fragment and as a JSON merge patch of the scenario (RFC 7386), the
 * Pareto plot through gnuplot, the summary for people; a shard's runs.csv
 * and advise-shard.json, and reading the shards back for a merge.
 *
 * Numbers are written in the report's format (rsim_report_format_double,
 * C locale); intervals that are unbounded are JSON null and empty CSV
 * fields. Every file is written under a temporary name (gnuplot too) and
 * renamed with the others at the end, so a failed plot leaves nothing. */
#include "advise-private.h"

#include <math.h>
#include <signal.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <rescalesim/harness.h>

#include "report/report-internal.h"

/* The largest runs.csv of a shard that merge reads, bytes. */
#define SHARD_CSV_MAX_SIZE ((gsize) 2 * 1024 * 1024 * 1024)

/* ---------------------------------------------------------------- helpers */

static const char *
num (char *buf, double v)
{
  if (!isfinite (v)) {
    buf[0] = '\0';
    return buf;
  }
  return rsim_report_format_double (buf, v);
}

static cJSON *
json_num (double v)
{
  return isfinite (v) ? rsim__json_number (v) : cJSON_CreateNull ();
}

static const Cand *
cand (const RsimAdvice *adv, guint i)
{
  return adv->cands->pdata[i];
}

static const char *const *
labels (const Cand *c)
{
  return rsim_sweep_point_values (c->def->sweep, 0);
}

static char *
objective_name (const RsimObjective *o)
{
  return g_strdup_printf ("%s %s%s", rsim_metrics[o->metric].name, o->stat_name,
                          o->per_seconds == 86400 ? " per day"
                          : o->per_seconds == 3600 ? " per hour" : "");
}

/* The Pareto front of cost against objective j: the candidates no other
 * one beats on both (lower mean cost, better estimate), by cost.
 * (transfer full) */
static GPtrArray *
pareto_front (const RsimAdvice *adv, guint j)
{
  const RsimAdviseSpec *spec = &adv->advisor->spec;
  gboolean at_most = spec->objectives[j].at_most;
  GPtrArray *all = g_ptr_array_new ();
  for (guint i = 0; i < adv->cands->len; i++)
    if (!isnan (cand (adv, i)->obj[j].estimate))
      g_ptr_array_add (all, adv->cands->pdata[i]);
  /* By cost, then by the objective, better first; then by id. */
  for (guint a = 1; a < all->len; a++)
    for (guint b = a; b > 0; b--) {
      const Cand *x = all->pdata[b - 1], *y = all->pdata[b];
      double ox = at_most ? x->obj[j].estimate : -x->obj[j].estimate;
      double oy = at_most ? y->obj[j].estimate : -y->obj[j].estimate;
      gboolean swap = y->cost_est.estimate < x->cost_est.estimate
        || (y->cost_est.estimate == x->cost_est.estimate
            && (oy < ox || (oy == ox && y->id < x->id)));
      if (!swap)
        break;
      all->pdata[b - 1] = (gpointer) y;
      all->pdata[b] = (gpointer) x;
    }
  GPtrArray *front = g_ptr_array_new ();
  double best = INFINITY;
  for (guint i = 0; i < all->len; i++) {
    const Cand *c = all->pdata[i];
    double o = at_most ? c->obj[j].estimate : -c->obj[j].estimate;
    if (o < best) {
      g_ptr_array_add (front, (gpointer) c);
      best = o;
    }
  }
  g_ptr_array_unref (all);
  return front;
}

/* ----------------------------------------------------------- advice.json */

static cJSON *
estimate_json (const RsimEstimate *e)
{
  cJSON *o = cJSON_CreateObject ();
  cJSON_AddItemToObject (o, "estimate", json_num (e->estimate));
  cJSON_AddItemToObject (o, "low", json_num (e->low));
  cJSON_AddItemToObject (o, "high", json_num (e->high));
  return o;
}

static cJSON *
candidate_json (const RsimAdvice *adv, const Cand *c)
{
  const RsimAdviseSpec *spec = &adv->advisor->spec;
  cJSON *o = cJSON_CreateObject ();
  cJSON_AddItemToObject (o, "candidate", rsim__json_uint (c->id));
  cJSON_AddStringToObject (o, "stage", c->stage == 0 ? "grid" : "refinement");
  if (c->stage > 0)
    cJSON_AddItemToObject (o, "refinement_round", rsim__json_uint (c->stage));
  cJSON *values = cJSON_AddObjectToObject (o, "values");
  for (guint k = 0; k < spec->n_knobs; k++)
    cJSON_AddItemToObject (values, spec->knobs[k].axis,
                           cJSON_Duplicate (cJSON_GetArrayItem (c->def->values,
                                                                (int) k), TRUE));
  cJSON_AddItemToObject (o, "seeds", rsim__json_uint (c->n));
  cJSON_AddBoolToObject (o, "dropped", c->dropped);
  if (c->dropped) {
    cJSON_AddItemToObject (o, "dropped_in_round",
                           rsim__json_uint (c->dropped_round));
    cJSON_AddStringToObject (o, "reason", c->why);
  }
  cJSON_AddItemToObject (o, "cost", estimate_json (&c->cost_est));
  cJSON *objs = cJSON_AddArrayToObject (o, "objectives");
  for (guint j = 0; j < spec->n_objectives; j++) {
    cJSON *e = estimate_json (&c->obj[j]);
    cJSON_AddBoolToObject (e, "met", rsim__advise_meets (spec, c, j, FALSE));
    cJSON_AddBoolToObject (e, "met_surely", rsim__advise_meets (spec, c, j, TRUE));
    cJSON_AddItemToArray (objs, e);
  }
  return o;
}

static char *flink_yaml (const RsimAdvice *adv);
static cJSON *scenario_patch (const RsimAdvice *adv);

char *
rsim_advice_json (const RsimAdvice *adv)
{
  g_return_val_if_fail (!adv->shard, NULL);
  const RsimAdvisor *a = adv->advisor;
  const RsimAdviseSpec *spec = &a->spec;
  cJSON *root = cJSON_CreateObject ();
  cJSON_AddStringToObject (root, "schema", RSIM_ADVICE_SCHEMA);
  cJSON_AddStringToObject (root, "scenario", a->name);
  cJSON_AddStringToObject (root, "hash", a->hash);
  cJSON *knobs = cJSON_AddArrayToObject (root, "knobs");
  for (guint k = 0; k < spec->n_knobs; k++)
    cJSON_AddItemToArray (knobs, cJSON_CreateString (spec->knobs[k].axis));
  cJSON *objs = cJSON_AddArrayToObject (root, "objectives");
  for (guint j = 0; j < spec->n_objectives; j++) {
    const RsimObjective *ob = &spec->objectives[j];
    cJSON *o = cJSON_CreateObject ();
    cJSON_AddStringToObject (o, "text", ob->text);
    cJSON_AddStringToObject (o, "metric", rsim_metrics[ob->metric].name);
    cJSON_AddStringToObject (o, "statistic", ob->stat_name);
    cJSON_AddStringToObject (o, "op", ob->at_most ? "<=" : ">=");
    cJSON_AddItemToObject (o, "bound", json_num (ob->bound));
    if (ob->per_seconds > 0)
      cJSON_AddStringToObject (o, "per", ob->per_seconds == 86400 ? "day" : "hour");
    cJSON_AddItemToArray (objs, o);
  }
  cJSON *cost = cJSON_AddObjectToObject (root, "cost");
  cJSON_AddStringToObject (cost, "name", spec->cost.name);
  cJSON_AddStringToObject (cost, "unit", spec->cost.unit);
  cJSON_AddStringToObject (cost, "statistic", "mean");
  cJSON *seeds = cJSON_AddObjectToObject (root, "seeds");
  cJSON_AddItemToObject (seeds, "base", rsim__json_uint (spec->seed_base));
  cJSON_AddItemToObject (seeds, "count", rsim__json_uint (spec->seeds));
  cJSON_AddItemToObject (root, "confidence", json_num (spec->confidence));
  cJSON *search = cJSON_AddObjectToObject (root, "search");
  cJSON_AddItemToObject (search, "grid_candidates", rsim__json_uint (a->grid->len));
  cJSON_AddItemToObject (search, "candidates", rsim__json_uint (adv->cands->len));
  cJSON_AddItemToObject (search, "runs", rsim__json_uint (adv->n_runs));
  cJSON_AddItemToObject (search, "exhaustive_runs",
                         rsim__json_uint ((guint64) adv->cands->len * spec->seeds));
  cJSON_AddItemToObject (search, "rounds", rsim__json_uint (adv->rounds));
  cJSON_AddBoolToObject (search, "racing", spec->racing);
  cJSON_AddItemToObject (root, "recommended",
                         candidate_json (adv, cand (adv, (guint) adv->recommended)));
  cJSON *runners = cJSON_AddArrayToObject (root, "runners_up");
  for (guint i = 0; i < adv->runners_up->len; i++)
    cJSON_AddItemToArray (runners, candidate_json (adv, cand (adv,
                          g_array_index (adv->runners_up, guint, i))));
  g_autofree char *yaml = flink_yaml (adv);
  cJSON_AddStringToObject (root, "flink_config_yaml", yaml);
  cJSON_AddItemToObject (root, "scenario_patch", scenario_patch (adv));
  cJSON *pareto = cJSON_AddArrayToObject (root, "pareto");
  for (guint j = 0; j < spec->n_objectives; j++) {
    cJSON *p = cJSON_CreateObject ();
    cJSON_AddStringToObject (p, "objective", spec->objectives[j].text);
    cJSON *ids = cJSON_AddArrayToObject (p, "candidates");
    g_autoptr (GPtrArray) front = pareto_front (adv, j);
    for (guint i = 0; i < front->len; i++)
      cJSON_AddItemToArray (ids, rsim__json_uint (((Cand *) front->pdata[i])->id));
    cJSON_AddItemToArray (pareto, p);
  }
  cJSON *all = cJSON_AddArrayToObject (root, "candidates");
  for (guint i = 0; i < adv->cands->len; i++)
    cJSON_AddItemToArray (all, candidate_json (adv, cand (adv, i)));
  char *text = cJSON_PrintUnformatted (root);
  cJSON_Delete (root);
  char *pretty = rsim__json_pretty (text);
  cJSON_free (text);
  return pretty;
}

/* ------------------------------------------------------------------- CSV */

static void
add (GPtrArray *f, char *text)
{
  g_ptr_array_add (f, text);
}

static void
flush_row (GString *out, GPtrArray *f)
{
  g_ptr_array_add (f, NULL);
  rsim__csv_append_row (out, (const char *const *) f->pdata);
  g_ptr_array_set_size (f, 0);
}

static void
estimate_fields (GPtrArray *f, const RsimEstimate *e)
{
  char buf[RSIM_REPORT_NUMBER_SIZE];
  add (f, g_strdup (num (buf, e->estimate)));
  add (f, g_strdup (num (buf, e->low)));
  add (f, g_strdup (num (buf, e->high)));
}

static char *
candidates_csv (const RsimAdvice *adv)
{
  const RsimAdviseSpec *spec = &adv->advisor->spec;
  GString *out = g_string_new (NULL);
  g_autoptr (GPtrArray) f = g_ptr_array_new_with_free_func (g_free);
  add (f, g_strdup ("candidate"));
  add (f, g_strdup ("stage"));
  for (guint k = 0; k < spec->n_knobs; k++)
    add (f, g_strdup (spec->knobs[k].axis));
  add (f, g_strdup ("seeds"));
  add (f, g_strdup ("status"));
  add (f, g_strdup_printf ("%s mean", spec->cost.name));
  add (f, g_strdup ("cost low"));
  add (f, g_strdup ("cost high"));
  for (guint j = 0; j < spec->n_objectives; j++) {
    g_autofree char *name = objective_name (&spec->objectives[j]);
    add (f, g_strdup (name));
    add (f, g_strdup_printf ("%s low", name));
    add (f, g_strdup_printf ("%s high", name));
    add (f, g_strdup_printf ("%s met", name));
  }
  add (f, g_strdup ("reason"));
  flush_row (out, f);
  for (guint i = 0; i < adv->cands->len; i++) {
    const Cand *c = cand (adv, i);
    add (f, g_strdup_printf ("%u", c->id));
    add (f, c->stage == 0 ? g_strdup ("grid")
                          : g_strdup_printf ("refinement %u", c->stage));
    for (guint k = 0; k < spec->n_knobs; k++)
      add (f, g_strdup (labels (c)[k]));
    add (f, g_strdup_printf ("%u", c->n));
    add (f, g_strdup ((int) c->id == adv->recommended ? "recommended"
                      : c->dropped ? "dropped" : "kept"));
    estimate_fields (f, &c->cost_est);
    for (guint j = 0; j < spec->n_objectives; j++) {
      estimate_fields (f, &c->obj[j]);
      add (f, g_strdup (rsim__advise_meets (spec, c, j, TRUE) ? "surely"
                        : rsim__advise_meets (spec, c, j, FALSE) ? "estimate"
                        : "no"));
    }
    add (f, g_strdup (c->why ? c->why : ""));
    flush_row (out, f);
  }
  return g_string_free (out, FALSE);
}

static char *
pareto_csv (const RsimAdvice *adv)
{
  const RsimAdviseSpec *spec = &adv->advisor->spec;
  GString *out = g_string_new (NULL);
  g_autoptr (GPtrArray) f = g_ptr_array_new_with_free_func (g_free);
  add (f, g_strdup ("objective"));
  add (f, g_strdup ("candidate"));
  for (guint k = 0; k < spec->n_knobs; k++)
    add (f, g_strdup (spec->knobs[k].axis));
  add (f, g_strdup ("seeds"));
  add (f, g_strdup_printf ("%s mean", spec->cost.name));
  add (f, g_strdup ("cost low"));
  add (f, g_strdup ("cost high"));
  add (f, g_strdup ("objective estimate"));
  add (f, g_strdup ("objective low"));
  add (f, g_strdup ("objective high"));
  add (f, g_strdup ("met"));
  flush_row (out, f);
  for (guint j = 0; j < spec->n_objectives; j++) {
    g_autoptr (GPtrArray) front = pareto_front (adv, j);
    for (guint i = 0; i < front->len; i++) {
      const Cand *c = front->pdata[i];
      add (f, g_strdup (spec->objectives[j].text));
      add (f, g_strdup_printf ("%u", c->id));
      for (guint k = 0; k < spec->n_knobs; k++)
        add (f, g_strdup (labels (c)[k]));
      add (f, g_strdup_printf ("%u", c->n));
      estimate_fields (f, &c->cost_est);
      estimate_fields (f, &c->obj[j]);
      add (f, g_strdup (rsim__advise_meets (spec, c, j, TRUE) ? "surely"
                        : rsim__advise_meets (spec, c, j, FALSE) ? "estimate"
                        : "no"));
      flush_row (out, f);
    }
  }
  return g_string_free (out, FALSE);
}

/* -------------------------------------------------- recommended values */

/* A YAML scalar: plain when safe, else double-quoted. */
static void
yaml_scalar (GString *out, const char *text)
{
  gboolean plain = *text != '\0' && !g_ascii_isspace (*text)
    && !g_ascii_isspace (text[strlen (text) - 1])
    && strpbrk (text, ":#{}[],&*!|>'\"%@`\\") == NULL && *text != '-'
    && *text != '?';
  if (plain) {
    g_string_append (out, text);
    return;
  }
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++) {
    if (*p == '"' || *p == '\\')
      g_string_append_c (out, '\\');
    g_string_append_c (out, *p);
  }
  g_string_append_c (out, '"');
}

static char *
flink_yaml (const RsimAdvice *adv)
{
  const RsimAdvisor *a = adv->advisor;
  const RsimAdviseSpec *spec = &a->spec;
  const Cand *c = cand (adv, (guint) adv->recommended);
  GString *out = g_string_new (NULL);
  g_string_append_printf (out, "# rescalesim advise: the recommended values "
                          "for scenario \"%s\" (candidate %u).\n"
                          "# Flink keys in config.yaml's flat form (also valid "
                          "in flink-conf.yaml).\n", a->name, c->id);
  for (guint k = 0; k < spec->n_knobs; k++) {
    const char *axis = spec->knobs[k].axis;
    const char *value = labels (c)[k];
    if (g_str_has_prefix (axis, "flink.config.")) {
      g_string_append_printf (out, "%s: ", axis + strlen ("flink.config."));
      yaml_scalar (out, value);
      g_string_append_c (out, '\n');
    } else if (strcmp (axis, "scheduler") == 0) {
      if (strcmp (value, "reactive") == 0)
        g_string_append (out, "jobmanager.scheduler: adaptive\n"
                         "scheduler-mode: reactive\n");
      else {
        g_string_append (out, "jobmanager.scheduler: ");
        yaml_scalar (out, value);
        g_string_append_c (out, '\n');
      }
    } else if (strcmp (axis, "flink.version") == 0) {
      g_string_append_printf (out, "# for Flink %s\n", value);
    } else {
      g_string_append_printf (out, "# %s = %s (not a Flink key: see %s)\n",
                              axis, value, RSIM_ADVICE_SCENARIO_PATCH);
    }
  }
  return g_string_free (out, FALSE);
}

/* A knob's place as steps: keys (char*) and indexes (GUINT_TO_POINTER
 * (i + 1) in a parallel array). Follows the sweep's axis rules (sweep.h):
 * Flink and autoscaler keys keep their dots. */
static void
axis_steps (const char *axis, GPtrArray *keys, GArray *index)
{
  guint none = 0;
  static const char *const whole[] = { "flink.config.",
                                       "controllers.autoscaler.config." };
  if (strcmp (axis, "scheduler") == 0) {
    g_ptr_array_add (keys, g_strdup ("schedulers"));
    g_array_append_val (index, none);
    return;
  }
  for (gsize w = 0; w < G_N_ELEMENTS (whole); w++)
    if (g_str_has_prefix (axis, whole[w])) {
      g_auto (GStrv) parts = g_strsplit (whole[w], ".", -1);
      for (char **p = parts; *p && **p; p++) {
        g_ptr_array_add (keys, g_strdup (*p));
        g_array_append_val (index, none);
      }
      g_ptr_array_add (keys, g_strdup (axis + strlen (whole[w])));
      g_array_append_val (index, none);
      return;
    }
  const char *p = axis;
  while (*p) {
    if (*p == '[') {
      guint i = (guint) g_ascii_strtoull (p + 1, (char **) &p, 10) + 1;
      g_ptr_array_add (keys, NULL);
      g_array_append_val (index, i);
      p += *p == ']';
      continue;
    }
    if (*p == '.')
      p++;
    gsize len = strcspn (p, ".[");
    g_ptr_array_add (keys, g_strndup (p, len));
    g_array_append_val (index, none);
    p += len;
  }
}

/* The recommended values as a JSON merge patch (RFC 7386) of the scenario:
 * objects hold the members that change, an array that changes is given
 * whole (a merge patch replaces arrays). */
static cJSON *
scenario_patch (const RsimAdvice *adv)
{
  const RsimAdvisor *a = adv->advisor;
  const RsimAdviseSpec *spec = &a->spec;
  const Cand *c = cand (adv, (guint) adv->recommended);
  cJSON *patch = cJSON_CreateObject ();
  for (guint k = 0; k < spec->n_knobs; k++) {
    const cJSON *value = cJSON_GetArrayItem (c->def->values, (int) k);
    g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
    GArray *index = g_array_new (FALSE, FALSE, sizeof (guint));
    axis_steps (spec->knobs[k].axis, keys, index);
    gboolean scheduler = strcmp (spec->knobs[k].axis, "scheduler") == 0;
    cJSON *cur = patch;
    const cJSON *base = a->base;
    for (guint s = 0; s < keys->len && cur != NULL; s++) {
      gboolean last = s + 1 == keys->len;
      const char *key = keys->pdata[s];
      guint idx = g_array_index (index, guint, s);
      if (key != NULL) {
        cJSON *v = last ? (scheduler ? cJSON_CreateArray () : cJSON_Duplicate (value, TRUE))
                        : NULL;
        if (scheduler && last)
          cJSON_AddItemToArray (v, cJSON_Duplicate (value, TRUE));
        const cJSON *nbase = cJSON_IsObject (base)
          ? cJSON_GetObjectItemCaseSensitive (base, key) : NULL;
        cJSON *next = cJSON_GetObjectItemCaseSensitive (cur, key);
        if (last) {
          if (next != NULL)
            cJSON_ReplaceItemInObjectCaseSensitive (cur, key, v);
          else
            cJSON_AddItemToObject (cur, key, v);
          break;
        }
        gboolean into_array = g_array_index (index, guint, s + 1) > 0;
        if (next == NULL) {
          next = into_array && cJSON_IsArray (nbase)
            ? cJSON_Duplicate (nbase, TRUE) : cJSON_CreateObject ();
          cJSON_AddItemToObject (cur, key, next);
        }
        cur = next;
        base = nbase;
      } else {
        if (!cJSON_IsArray (cur))
          break;
        cJSON *elem = cJSON_GetArrayItem (cur, (int) idx - 1);
        if (last) {
          cJSON_ReplaceItemInArray (cur, (int) idx - 1, cJSON_Duplicate (value, TRUE));
          break;
        }
        cur = elem;
        base = elem;
      }
    }
    g_array_free (index, TRUE);
  }
  return patch;
}

static char *
scenario_patch_text (const RsimAdvice *adv)
{
  cJSON *patch = scenario_patch (adv);
  char *text = cJSON_PrintUnformatted (patch);
  cJSON_Delete (patch);
  char *pretty = rsim__json_pretty (text);
  cJSON_free (text);
  return pretty;
}

/* ---------------------------------------------------------------- summary */

/* Six significant digits for people (the files keep the report's
 * twelve). */
static const char *
short_num (char *buf, double v)
{
  if (isinf (v))
    return v > 0 ? "inf" : "-inf";
  if (isnan (v))
    return "nan";
  return g_ascii_formatd (buf, RSIM_REPORT_NUMBER_SIZE, "%.6g", v);
}

static void
append_estimate (GString *out, const RsimEstimate *e)
{
  char a[RSIM_REPORT_NUMBER_SIZE], b[RSIM_REPORT_NUMBER_SIZE],
       c[RSIM_REPORT_NUMBER_SIZE];
  g_string_append_printf (out, "%s [%s, %s]", short_num (a, e->estimate),
                          short_num (b, e->low), short_num (c, e->high));
}

static void
append_candidate (GString *out, const RsimAdvice *adv, const Cand *c,
                  const char *indent)
{
  const RsimAdviseSpec *spec = &adv->advisor->spec;
  for (guint k = 0; k < spec->n_knobs; k++)
    g_string_append_printf (out, "%s%s = %s\n", indent, spec->knobs[k].axis,
                            labels (c)[k]);
  g_string_append_printf (out, "%scost (%s%s%s, mean of %u seeds): ", indent,
                          spec->cost.name, *spec->cost.unit ? ", " : "",
                          spec->cost.unit, c->n);
  append_estimate (out, &c->cost_est);
  g_string_append_c (out, '\n');
  for (guint j = 0; j < spec->n_objectives; j++) {
    const RsimObjective *o = &spec->objectives[j];
    g_autofree char *name = objective_name (o);
    g_string_append_printf (out, "%s%s: ", indent, name);
    append_estimate (out, &c->obj[j]);
    char b[RSIM_REPORT_NUMBER_SIZE];
    g_string_append_printf (out, "; %s %s: %s\n", o->at_most ? "<=" : ">=",
                            short_num (b, o->bound),
                            rsim__advise_meets (spec, c, j, TRUE)
                            ? "met with the interval's confidence"
                            : "met by the estimate, not surely (the interval "
                              "crosses the bound)");
  }
}

char *
rsim_advice_summary (const RsimAdvice *adv)
{
  const RsimAdvisor *a = adv->advisor;
  const RsimAdviseSpec *spec = &a->spec;
  GString *out = g_string_new (NULL);
  if (adv->shard) {
    g_string_append_printf (out, "Shard %u of %u of the advice for %s: %u of "
                            "the grid's %u runs\n", adv->shard_k, adv->shards,
                            a->name, adv->n_runs, rsim_advisor_n_grid_runs (a));
    return g_string_free (out, FALSE);
  }
  char conf[RSIM_REPORT_NUMBER_SIZE];
  g_string_append_printf (out, "Advice for %s: %u candidates (%u on the grid), "
                          "%u runs of %u for every candidate at every seed; "
                          "intervals at %s %% confidence\n",
                          a->name, adv->cands->len, a->grid->len, adv->n_runs,
                          adv->cands->len * spec->seeds,
                          rsim_report_format_double (conf, spec->confidence * 100));
  const Cand *rec = cand (adv, (guint) adv->recommended);
  g_string_append_printf (out, "\nRecommended: candidate %u\n", rec->id);
  append_candidate (out, adv, rec, "  ");
  if (adv->runners_up->len > 0) {
    const Cand *next = cand (adv, g_array_index (adv->runners_up, guint, 0));
    if (rec->cost_est.estimate == next->cost_est.estimate)
      g_string_append (out, "  as cheap as the runner-up, with more room "
                       "under the objectives' bounds\n");
    else
      g_string_append_printf (out, "  cheaper than the runner-up %s\n",
                              rec->cost_est.high < next->cost_est.low
                              ? "with the interval's confidence"
                              : "by the estimate only (the cost intervals "
                                "overlap)");
  }
  for (guint i = 0; i < adv->runners_up->len; i++) {
    const Cand *c = cand (adv, g_array_index (adv->runners_up, guint, i));
    g_string_append_printf (out, "\nRunner-up %u: candidate %u\n", i + 1, c->id);
    append_candidate (out, adv, c, "  ");
  }
  g_string_append (out, "\nFlink configuration (config.yaml):\n");
  g_autofree char *yaml = flink_yaml (adv);
  g_auto (GStrv) lines = g_strsplit (yaml, "\n", -1);
  for (char **l = lines; *l && **l; l++)
    if (**l != '#' || strstr (*l, "not a Flink key") != NULL)
      g_string_append_printf (out, "  %s\n", *l);
  return g_string_free (out, FALSE);
}

/* -------------------------------------------------------------- the plot */

static void
unblock_signals (gpointer data)
{
  sigset_t set;
  sigemptyset (&set);
  sigaddset (&set, SIGINT);
  sigaddset (&set, SIGTERM);
  sigprocmask (SIG_UNBLOCK, &set, NULL);
}

/* The plot's data (comma-separated, "nan" where undefined): per objective
 * j, block 2j holds every candidate (cost, estimate, low, high, dropped
 * 0/1, recommended 0/1) and block 2j+1 the Pareto front by cost (cost,
 * estimate); blocks are two blank lines apart. An unbounded side of an
 * interval is written as the estimate (no bar on that side). */
static void
plot_row (GString *out, const double *v, guint n)
{
  for (guint k = 0; k < n; k++) {
    char buf[RSIM_REPORT_NUMBER_SIZE];
    g_string_append_printf (out, "%s%s", k ? "," : "",
                            isfinite (v[k]) ? rsim_report_format_double (buf, v[k])
                                            : "nan");
  }
  g_string_append_c (out, '\n');
}

static char *
plot_data (const RsimAdvice *adv)
{
  const RsimAdviseSpec *spec = &adv->advisor->spec;
  GString *out = g_string_new (NULL);
  for (guint j = 0; j < spec->n_objectives; j++) {
    if (j > 0)
      g_string_append (out, "\n\n");
    for (guint i = 0; i < adv->cands->len; i++) {
      const Cand *c = cand (adv, i);
      const RsimEstimate *e = &c->obj[j];
      double v[6] = { c->cost_est.estimate, e->estimate,
                      isfinite (e->low) ? e->low : e->estimate,
                      isfinite (e->high) ? e->high : e->estimate,
                      c->dropped, (int) c->id == adv->recommended };
      plot_row (out, v, 6);
    }
    g_string_append (out, "\n\n");
    g_autoptr (GPtrArray) front = pareto_front (adv, j);
    for (guint i = 0; i < front->len; i++) {
      const Cand *c = front->pdata[i];
      double v[2] = { c->cost_est.estimate, c->obj[j].estimate };
      plot_row (out, v, 2);
    }
  }
  return g_string_free (out, FALSE);
}

/* Runs gnuplot on plots/advise-pareto.gp, writing tmp_out. */
static gboolean
draw (const RsimAdvice *adv, const char *data_path, const char *fmt,
      const char *tmp_out, GError **error)
{
  const RsimAdviseSpec *spec = &adv->advisor->spec;
  const char *dir = rsim_plot_templates_dir ();
  g_autofree char *template = g_build_filename (dir, "advise-pareto.gp", NULL);
  if (!g_file_test (template, G_FILE_TEST_IS_REGULAR)) {
    g_set_error (error, RSIM_ADVISE_ERROR, RSIM_ADVISE_ERROR_OUTPUT,
                 "gnuplot template %s not found (set RSIM_PLOTS_DIR to the "
                 "plots/ directory, or use --no-plot)", template);
    return FALSE;
  }
  g_autoptr (GString) prog = g_string_new (NULL);
  rsim__gp_string (prog, "plots_dir", dir);
  rsim__gp_string (prog, "fmt", fmt);
  rsim__gp_string (prog, "outfile", tmp_out);
  rsim__gp_string (prog, "datafile", data_path);
  rsim__gp_string (prog, "plot_title", adv->advisor->name);
  g_autofree char *cost_label = *spec->cost.unit
    ? g_strdup_printf ("%s (%s), mean", spec->cost.name, spec->cost.unit)
    : g_strdup_printf ("%s, mean", spec->cost.name);
  rsim__gp_string (prog, "cost_label", cost_label);
  rsim__gp_number (prog, "n_obj", spec->n_objectives);
  for (guint j = 0; j < spec->n_objectives; j++) {
    g_autofree char *var = g_strdup_printf ("obj_label_%u", j);
    g_autofree char *name = objective_name (&spec->objectives[j]);
    rsim__gp_string (prog, var, name);
    g_autofree char *bvar = g_strdup_printf ("bound_%u", j);
    rsim__gp_number (prog, bvar, spec->objectives[j].bound);
  }
  const char *gnuplot = g_getenv ("RSIM_GNUPLOT");
  if (gnuplot == NULL || *gnuplot == '\0')
    gnuplot = "gnuplot";
  const char *argv[] = { gnuplot, "-e", prog->str, template, NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;
  g_autoptr (GError) local = NULL;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH,
                     unblock_signals, NULL, &out, &err, &status, &local)) {
    g_set_error (error, RSIM_ADVISE_ERROR, RSIM_ADVISE_ERROR_OUTPUT,
                 "cannot run %s: %s (use --no-plot to skip the plot)", gnuplot,
                 local->message);
    return FALSE;
  }
  GStatBuf st;
  if (!g_spawn_check_wait_status (status, &local) || g_stat (tmp_out, &st) != 0
      || st.st_size == 0) {
    g_set_error (error, RSIM_ADVISE_ERROR, RSIM_ADVISE_ERROR_OUTPUT,
                 "%s failed on %s:\n%s", gnuplot, template,
                 err ? g_strchomp (err) : "");
    return FALSE;
  }
  return TRUE;
}

/* ------------------------------------------------------------- the files */

static char *
shard_json (const RsimAdvice *adv)
{
  cJSON *root = cJSON_CreateObject ();
  cJSON_AddStringToObject (root, "schema", RSIM_ADVICE_SHARD_SCHEMA);
  cJSON_AddStringToObject (root, "scenario", adv->advisor->name);
  cJSON_AddStringToObject (root, "hash", adv->advisor->hash);
  cJSON_AddItemToObject (root, "shard", rsim__json_uint (adv->shard_k));
  cJSON_AddItemToObject (root, "shards", rsim__json_uint (adv->shards));
  cJSON_AddItemToObject (root, "grid_runs",
                         rsim__json_uint (rsim_advisor_n_grid_runs (adv->advisor)));
  char *text = cJSON_PrintUnformatted (root);
  cJSON_Delete (root);
  char *pretty = rsim__json_pretty (text);
  cJSON_free (text);
  return pretty;
}

static gboolean
output_error (GError **error, GError *inner)
{
  g_set_error_literal (error, RSIM_ADVISE_ERROR, RSIM_ADVISE_ERROR_OUTPUT,
                       inner->message);
  g_error_free (inner);
  return FALSE;
}

/* Writes text to fd (then closed); errors name path. */
static gboolean
write_all (int fd, const char *text, const char *path, GError **error)
{
  gsize len = strlen (text);
  while (len > 0) {
    ssize_t w = write (fd, text, len);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      int e = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
                   "cannot write '%s': %s", path, g_strerror (e));
      close (fd);
      return FALSE;
    }
    text += w;
    len -= (gsize) w;
  }
  if (close (fd) != 0) {
    int e = errno;
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
                 "cannot write '%s': %s", path, g_strerror (e));
    return FALSE;
  }
  return TRUE;
}

gboolean
rsim_advice_write (const RsimAdvice *adv, const char *out_dir,
                   RsimPlotFormats plots, GError **error)
{
  GError *inner = NULL;
  if (g_mkdir_with_parents (out_dir, 0777) != 0) {
    int e = errno;
    g_set_error (error, RSIM_ADVISE_ERROR, RSIM_ADVISE_ERROR_OUTPUT,
                 "cannot create '%s': %s", out_dir, g_strerror (e));
    return FALSE;
  }
  rsim__tmp_remove_stale (out_dir);
  if (adv->shard) {
    g_autofree char *js = shard_json (adv);
    const char *names[] = { RSIM_ADVICE_SHARD_RUNS, RSIM_ADVICE_SHARD_FILE };
    const char *texts[] = { adv->shard_csv->str, js };
    if (!rsim__write_files (out_dir, names, texts, 2, FALSE, &inner))
      return output_error (error, inner);
    return TRUE;
  }
  g_autofree char *js = rsim_advice_json (adv);
  g_autofree char *cands = candidates_csv (adv);
  g_autofree char *pareto = pareto_csv (adv);
  g_autofree char *yaml = flink_yaml (adv);
  g_autofree char *patch = scenario_patch_text (adv);
  const char *names[] = { RSIM_ADVICE_JSON, RSIM_ADVICE_CANDIDATES_CSV,
                          RSIM_ADVICE_PARETO_CSV, RSIM_ADVICE_FLINK_YAML,
                          RSIM_ADVICE_SCENARIO_PATCH };
  const char *texts[] = { js, cands, pareto, yaml, patch };
  guint n = G_N_ELEMENTS (names);
  /* Every file under its temporary name, the plots too, then all renamed. */
  GPtrArray *tmp = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *final = g_ptr_array_new_with_free_func (g_free);
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < n; i++) {
    g_autofree char *path = g_build_filename (out_dir, names[i], NULL);
    char *tmp_path = NULL;
    int fd = rsim__tmp_create (path, &tmp_path, &inner);
    if (fd < 0) {
      ok = FALSE;
      break;
    }
    g_ptr_array_add (tmp, tmp_path);
    g_ptr_array_add (final, g_steal_pointer (&path));
    ok = write_all (fd, texts[i], final->pdata[i], &inner);
  }
  /* The plot's data go to a registered temporary file beside the outputs
   * (removed on interruption like the others), discarded once drawn. */
  g_autofree char *data_path = NULL;
  if (ok && plots != 0) {
    g_autofree char *data_final = g_build_filename (out_dir, "pareto.dat", NULL);
    g_autofree char *data = plot_data (adv);
    int fd = rsim__tmp_create (data_final, &data_path, &inner);
    ok = fd >= 0 && write_all (fd, data, data_path, &inner);
  }
  static const struct { RsimPlotFormats f; const char *ext; } each[] = {
    { RSIM_PLOT_PNG, "png" }, { RSIM_PLOT_SVG, "svg" },
  };
  for (gsize i = 0; ok && data_path != NULL && i < G_N_ELEMENTS (each); i++) {
    if (!(plots & each[i].f))
      continue;
    g_autofree char *file = g_strdup_printf ("%s.%s", RSIM_ADVICE_PLOT,
                                             each[i].ext);
    char *path = g_build_filename (out_dir, file, NULL);
    char *tmp_path = rsim__tmp_path_new (path);
    g_ptr_array_add (tmp, tmp_path);
    g_ptr_array_add (final, path);
    ok = draw (adv, data_path, each[i].ext, tmp_path, &inner);
  }
  if (data_path != NULL)
    rsim__tmp_discard (data_path);
  if (ok)
    ok = rsim__tmp_commit ((char *const *) tmp->pdata,
                           (char *const *) final->pdata, tmp->len, &inner);
  else
    for (guint i = 0; i < tmp->len; i++)
      rsim__tmp_discard (tmp->pdata[i]);
  g_ptr_array_unref (tmp);
  g_ptr_array_unref (final);
  if (!ok) {
    if (inner->domain == RSIM_ADVISE_ERROR) {
      g_propagate_error (error, inner);
      return FALSE;
    }
    return output_error (error, inner);
  }
  return TRUE;
}

/* ----------------------------------------------------------------- merge */

static gboolean
shard_error (GError **error, int code, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static gboolean
shard_error (GError **error, int code, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error_literal (error, RSIM_ADVISE_ERROR, code, msg);
  return FALSE;
}

gboolean
rsim__advise_load_shards (RsimAdvice *adv, const char *const *dirs,
                          guint n_dirs, GError **error)
{
  const RsimAdvisor *a = adv->advisor;
  guint total = rsim_advisor_n_grid_runs (a);
  g_autofree guint8 *seen = g_new0 (guint8, MAX (total, 1u));
  adv->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint shards = 0;
  for (guint d = 0; d < n_dirs; d++) {
    g_autofree char *jpath = g_build_filename (dirs[d], RSIM_ADVICE_SHARD_FILE,
                                               NULL);
    RsimJsonSource src = { jpath, RSIM_ADVISE_ERROR, RSIM_ADVISE_ERROR_INPUT };
    cJSON *root = rsim__json_read_file (&src, error);
    if (root == NULL)
      return FALSE;
    const cJSON *hash, *nsh, *runs;
    gboolean ok = rsim__json_schema (&src, root, RSIM_ADVICE_SHARD_SCHEMA, error)
      && (hash = rsim__json_member (&src, root, "", "hash", RSIM_JSON_STRING, error))
      && (nsh = rsim__json_member (&src, root, "", "shards", RSIM_JSON_UINT, error))
      && (runs = rsim__json_member (&src, root, "", "grid_runs", RSIM_JSON_UINT, error));
    if (ok && strcmp (hash->valuestring, a->hash) != 0)
      ok = shard_error (error, RSIM_ADVISE_ERROR_MISMATCH, "%s: a shard of "
                        "another search (hash %.12s..., this scenario's "
                        "advice is %.12s...)", jpath, hash->valuestring,
                        a->hash);
    if (ok && (guint) runs->valuedouble != total)
      ok = shard_error (error, RSIM_ADVISE_ERROR_MISMATCH, "%s: grid_runs: "
                        "expected %u, got %.0f", jpath, total, runs->valuedouble);
    if (ok && shards != 0 && (guint) nsh->valuedouble != shards)
      ok = shard_error (error, RSIM_ADVISE_ERROR_MISMATCH, "%s: shards: "
                        "expected %u as in the other shards, got %.0f", jpath,
                        shards, nsh->valuedouble);
    if (ok)
      shards = (guint) nsh->valuedouble;
    cJSON_Delete (root);
    if (!ok)
      return FALSE;

    g_autofree char *cpath = g_build_filename (dirs[d], RSIM_ADVICE_SHARD_RUNS,
                                               NULL);
    g_autofree char *text = NULL;
    gsize len = 0;
    GError *io = NULL;
    GStatBuf st;
    if (g_stat (cpath, &st) == 0 && (gsize) st.st_size > SHARD_CSV_MAX_SIZE)
      return shard_error (error, RSIM_ADVISE_ERROR_INPUT, "%s: larger than "
                          "%" G_GSIZE_FORMAT " bytes", cpath, SHARD_CSV_MAX_SIZE);
    if (!g_file_get_contents (cpath, &text, &len, &io)) {
      shard_error (error, RSIM_ADVISE_ERROR_INPUT, "%s: cannot read: %s",
                   cpath, io->message);
      g_error_free (io);
      return FALSE;
    }
    g_autofree char *why = NULL;
    GPtrArray *rows = rsim__csv_parse (text, &why);
    if (rows == NULL)
      return shard_error (error, RSIM_ADVISE_ERROR_INPUT, "%s: %s", cpath, why);
    for (guint r = 1; ok && r < rows->len; r++) {
      char **f = rows->pdata[r];
      guint64 run = 0, seed = 0;
      if (g_strv_length (f) != RSIM_N_METRICS + 3
          || !g_ascii_string_to_unsigned (f[0], 10, 0, total - 1, &run, NULL)
          || !g_ascii_string_to_unsigned (f[2], 10, 0, G_MAXUINT64, &seed, NULL)) {
        ok = shard_error (error, RSIM_ADVISE_ERROR_INPUT, "%s:%u: expected a "
                          "run below %u, a candidate, a seed and %d metrics",
                          cpath, r + 1, total, RSIM_N_METRICS);
        break;
      }
      const CandDef *def = a->grid->pdata[run / a->spec.seeds];
      guint64 want_seed = a->spec.seed_base + run % a->spec.seeds;
      if (strcmp (f[1], rsim_sweep_hash (def->sweep)) != 0 || seed != want_seed) {
        ok = shard_error (error, RSIM_ADVISE_ERROR_MISMATCH, "%s:%u: run %"
                          G_GUINT64_FORMAT " is not this search's", cpath,
                          r + 1, run);
        break;
      }
      if (seen[run]++) {
        ok = shard_error (error, RSIM_ADVISE_ERROR_MISMATCH, "%s:%u: run %"
                          G_GUINT64_FORMAT " is given twice", cpath, r + 1, run);
        break;
      }
      double *m = g_new (double, RSIM_N_METRICS);
      for (int id = 0; id < RSIM_N_METRICS; id++)
        m[id] = g_ascii_strtod (f[3 + id], NULL);
      g_hash_table_insert (adv->cache, g_strdup_printf ("%s:%" G_GUINT64_FORMAT,
                                                        f[1], seed), m);
    }
    g_ptr_array_unref (rows);
    if (!ok)
      return FALSE;
  }
  for (guint r = 0; r < total; r++)
    if (!seen[r])
      return shard_error (error, RSIM_ADVISE_ERROR_MISMATCH, "run %u of the "
                          "grid is in no shard (shard %u of %u missing?)", r,
                          shards ? r % shards + 1 : 1, shards);
  return TRUE;
}
