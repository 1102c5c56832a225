/* Flink's version rules: the table of include/rescalesim/rules.h resolved
 * for one version, its names for printing, and the list of released
 * versions.
 *
 * This is the one place that compares a Flink version with the version a
 * behaviour came in. Tables of data that carry versions of their own (the
 * configuration keys with the version each appeared in or was renamed)
 * compare through rsim_version_compare(); behaviour never does. */
#include <rescalesim/rules.h>

#include <string.h>

static const RsimRuleInfo table[] = {
#define RSIM_X(id, ma, mi, src, text) \
  { RSIM_RULE_##id, #id, { ma, mi, -1 }, src, text },
  RSIM_RULE_LIST (RSIM_X)
#undef RSIM_X
};

G_STATIC_ASSERT (G_N_ELEMENTS (table) == RSIM_RULE_COUNT);

/* Flink's minor releases from 1.5 (the oldest rescalesim models) to 2.3. */
static const RsimFlinkVersion released[] = {
  { 1, 5, -1 }, { 1, 6, -1 }, { 1, 7, -1 }, { 1, 8, -1 }, { 1, 9, -1 },
  { 1, 10, -1 }, { 1, 11, -1 }, { 1, 12, -1 }, { 1, 13, -1 }, { 1, 14, -1 },
  { 1, 15, -1 }, { 1, 16, -1 }, { 1, 17, -1 }, { 1, 18, -1 }, { 1, 19, -1 },
  { 1, 20, -1 }, { 2, 0, -1 }, { 2, 1, -1 }, { 2, 2, -1 }, { 2, 3, -1 },
};

const RsimRuleInfo *
rsim_rules_table (guint *n_rows)
{
  if (n_rows)
    *n_rows = G_N_ELEMENTS (table);
  return table;
}

const RsimRuleInfo *
rsim_rule_info (RsimRule rule)
{
  g_return_val_if_fail (rule < RSIM_RULE_COUNT, NULL);
  return &table[rule];
}

RsimRules
rsim_rules_resolve (RsimFlinkVersion v)
{
  RsimRules rules = { v, 0 };
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (rsim_version_compare (v, table[i].since) >= 0)
      rules.bits |= G_GUINT64_CONSTANT (1) << table[i].id;
  return rules;
}

guint64
rsim_rules_diff (RsimFlinkVersion from, RsimFlinkVersion to)
{
  return rsim_rules_resolve (from).bits ^ rsim_rules_resolve (to).bits;
}

const RsimFlinkVersion *
rsim_rules_released_versions (guint *n)
{
  if (n)
    *n = G_N_ELEMENTS (released);
  return released;
}
