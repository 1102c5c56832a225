/* Which Flink keys exist, and "did you mean" suggestions.
 *
 * The table of documented keys is generated (flink-known-keys.c, from
 * Flink's option tables per release; tools/gen-flink-known-keys.py). A key
 * is looked up by binary search; keys with a placeholder part
 * ("metrics.reporter.<name>.factory.class") are matched by a scan.
 * Suggestions rank candidates by an edit distance where a change of case
 * costs less than any other edit, so "numberOfTaskslots" is closest to
 * "numberOfTaskSlots". */
#include "inputs-private.h"

#include <string.h>

guint
rsim__version_code (RsimFlinkVersion v)
{
  return (guint) v.major * 100 + (guint) v.minor;
}

static int
cmp_key (const void *a, const void *b)
{
  return strcmp ((const char *) a, ((const RsimKnownKey *) b)->key);
}

/* Does text match pattern, where "<...>" in pattern stands for any
 * non-empty text? */
static gboolean
pattern_match (const char *pat, const char *text)
{
  while (*pat) {
    if (*pat == '<') {
      const char *close = strchr (pat, '>');
      if (close == NULL)
        return FALSE;
      const char *rest = close + 1;
      for (const char *t = text + 1; t <= text + strlen (text); t++)
        if (*text != '\0' && pattern_match (rest, t))
          return TRUE;
      return FALSE;
    }
    if (*pat != *text)
      return FALSE;
    pat++;
    text++;
  }
  return *text == '\0';
}

/* Prefixes Flink hands on to someone else rather than reading itself:
 * file system plugins (S3, Azure, OSS, GCS, Hadoop's own keys) and the
 * containers' environment. Their keys are documented in prose, not in the
 * option tables, and any name below them is real. */
static const RsimKnownKey passthrough[] = {
  { "s3.", 105, 203 }, { "s3a.", 105, 203 }, { "fs.s3a.", 105, 203 },
  { "presto.s3.", 105, 203 }, { "hive.s3.", 105, 203 },
  { "fs.azure.", 105, 203 }, { "fs.oss.", 105, 203 }, { "fs.gs.", 105, 203 },
  { "gs.", 105, 203 }, { "containerized.master.env.", 105, 203 },
  { "containerized.taskmanager.env.", 105, 203 },
};

const RsimKnownKey *
rsim__known_key_find (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (passthrough); i++)
    if (g_str_has_prefix (name, passthrough[i].key)
        && strlen (name) > strlen (passthrough[i].key))
      return &passthrough[i];
  const RsimKnownKey *k = bsearch (name, rsim__flink_known_keys,
                                   rsim__n_flink_known_keys,
                                   sizeof rsim__flink_known_keys[0], cmp_key);
  if (k != NULL)
    return k;
  if (strlen (name) > 512)
    return NULL;
  for (guint i = 0; i < rsim__n_flink_known_keys; i++)
    if (strchr (rsim__flink_known_keys[i].key, '<') != NULL
        && pattern_match (rsim__flink_known_keys[i].key, name))
      return &rsim__flink_known_keys[i];
  return NULL;
}

/* Damerau-Levenshtein (optimal string alignment) in tenths: insert,
 * delete, substitute and swap cost 10, a change of case alone 1. Words
 * longer than 200 bytes are not compared (G_MAXUINT). */
static guint
distance (const char *a, const char *b)
{
  gsize n = strlen (a), m = strlen (b);
  if (n > 200 || m > 200)
    return G_MAXUINT;
  g_autofree guint *d = g_new (guint, (n + 1) * (m + 1));
#define D(i, j) d[(i) * (m + 1) + (j)]
  for (gsize i = 0; i <= n; i++)
    D (i, 0) = (guint) i * 10;
  for (gsize j = 0; j <= m; j++)
    D (0, j) = (guint) j * 10;
  for (gsize i = 1; i <= n; i++) {
    for (gsize j = 1; j <= m; j++) {
      guint sub = a[i - 1] == b[j - 1] ? 0
        : g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 1 : 10;
      guint best = MIN (D (i - 1, j) + 10, D (i, j - 1) + 10);
      best = MIN (best, D (i - 1, j - 1) + sub);
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        best = MIN (best, D (i - 2, j - 2) + 10);
      D (i, j) = best;
    }
  }
  guint result = D (n, m);
#undef D
  return result;
}

typedef struct {
  const char *word;
  guint dist;
} Candidate;

static int
cmp_candidate (const void *a, const void *b)
{
  const Candidate *x = a, *y = b;
  if (x->dist != y->dist)
    return x->dist < y->dist ? -1 : 1;
  return strcmp (x->word, y->word);
}

/* A likely typo: at most 2 edits for short words, about one edit in four
 * characters for longer ones. */
static guint
threshold (const char *word)
{
  gsize len = strlen (word);
  return (guint) MAX (20, MIN (50, len * 10 / 4));
}

static char *
suggest_from (const char *word, GArray *cands)
{
  if (cands->len == 0)
    return NULL;
  g_array_sort (cands, cmp_candidate);
  GString *s = g_string_new (NULL);
  guint n = MIN (cands->len, 3);
  for (guint i = 0; i < n; i++) {
    const Candidate *c = &g_array_index (cands, Candidate, i);
    if (i > 0)
      g_string_append (s, i + 1 == n ? " or " : ", ");
    g_string_append_printf (s, "`%s`", c->word);
  }
  return g_string_free (s, FALSE);
}

static void
consider (GArray *cands, const char *word, const char *cand, guint limit)
{
  /* Each character of length difference costs a whole edit: skip words
   * that cannot come close (most of the ~1200 keys). */
  gsize a = strlen (word), b = strlen (cand);
  if ((a > b ? a - b : b - a) * 10 > limit)
    return;
  for (guint i = 0; i < cands->len; i++)
    if (strcmp (g_array_index (cands, Candidate, i).word, cand) == 0)
      return;
  guint d = distance (word, cand);
  if (d <= limit && d > 0) {
    Candidate c = { cand, d };
    g_array_append_val (cands, c);
  }
}

char *
rsim__suggest (const char *word, const char *const *candidates, guint n)
{
  g_return_val_if_fail (word != NULL, NULL);
  g_autoptr (GArray) cands = g_array_new (FALSE, FALSE, sizeof (Candidate));
  guint limit = threshold (word);
  for (guint i = 0; i < n; i++)
    consider (cands, word, candidates[i], limit);
  return suggest_from (word, cands);
}

char *
rsim__suggest_flink_key (const char *word)
{
  g_return_val_if_fail (word != NULL, NULL);
  g_autoptr (GArray) cands = g_array_new (FALSE, FALSE, sizeof (Candidate));
  guint limit = threshold (word);
  for (guint i = 0; i < rsim__flink_key_count (); i++) {
    consider (cands, word, rsim__flink_key_name (i), limit);
    if (rsim__flink_key_old_name (i) != NULL)
      consider (cands, word, rsim__flink_key_old_name (i), limit);
  }
  for (guint i = 0; i < rsim__n_flink_known_keys; i++)
    if (strchr (rsim__flink_known_keys[i].key, '<') == NULL)
      consider (cands, word, rsim__flink_known_keys[i].key, limit);
  return suggest_from (word, cands);
}

/* ------------------------------------------------ Kubernetes operator keys */

/* Operator releases up to 1.7 spelled the autoscaler's keys
 * "kubernetes.operator.job.autoscaler.*"; 1.8 moved them to
 * "job.autoscaler.*" (the old names stay accepted). Operator 1.10 renamed
 * job.autoscaler.target.utilization to job.autoscaler.utilization.target.
 * (transfer full) */
char *
rsim__autoscaler_key_canonical (const char *key, gboolean *renamed)
{
  static const char old_prefix[] = "kubernetes.operator.job.autoscaler.";
  *renamed = FALSE;
  const char *k = key;
  if (g_str_has_prefix (key, old_prefix)) {
    k = key + strlen ("kubernetes.operator.");
    *renamed = TRUE;
  }
  if (strcmp (k, "job.autoscaler.target.utilization") == 0) {
    *renamed = TRUE;
    return g_strdup ("job.autoscaler.utilization.target");
  }
  return g_strdup (k);
}

/* Autoscaler options of the operator (AutoScalerOptions, 1.4-1.13) that
 * rescalesim does not model: noted, not refused. */
static const char *const operator_unmodelled[] = {
  "job.autoscaler.scaling.enabled",
  "job.autoscaler.vertex.exclude.ids",
  "job.autoscaler.history.max.count",
  "job.autoscaler.history.max.age",
  "job.autoscaler.scaling.effectiveness.detection.enabled",
  "job.autoscaler.scaling.effectiveness.threshold",
  "job.autoscaler.scaling.event.interval",
  "job.autoscaler.memory.tuning.enabled",
  "job.autoscaler.memory.tuning.overhead",
  "job.autoscaler.memory.tuning.maximize-managed-memory",
  "job.autoscaler.excluded.periods",
  "job.autoscaler.observed-true-processing-rate.lag-threshold",
  "job.autoscaler.observed-true-processing-rate.switch-threshold",
  "job.autoscaler.observed-true-processing-rate.min-observations",
  "job.autoscaler.metrics.busy-time.aggregator",
  "job.autoscaler.flink.rest-client.timeout",
  "job.autoscaler.quota.cpu",
  "job.autoscaler.quota.memory",
};

gboolean
rsim__operator_key_unmodelled (const char *canonical)
{
  for (guint i = 0; i < G_N_ELEMENTS (operator_unmodelled); i++)
    if (strcmp (canonical, operator_unmodelled[i]) == 0)
      return TRUE;
  return FALSE;
}
