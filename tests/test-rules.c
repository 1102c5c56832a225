/* Tests of the Flink version rules table (rescalesim/rules.h): every row
 * applies from its first version on and not in the release before it, the
 * table is well formed, and `rescalesim rules` prints it. */
#include <criterion/criterion.h>
#include <string.h>

#include <rescalesim/rules.h>

/* The released minor version right before v, or FALSE for the oldest. */
static gboolean
previous_release (RsimFlinkVersion v, RsimFlinkVersion *out)
{
  guint n;
  const RsimFlinkVersion *rel = rsim_rules_released_versions (&n);
  gboolean found = FALSE;
  for (guint i = 0; i < n; i++)
    if (rsim_version_compare (rel[i], v) < 0) {
      *out = rel[i];
      found = TRUE;
    }
  return found;
}

Test (rules, each_rule_applies_from_its_version_and_not_before)
{
  guint n;
  const RsimRuleInfo *table = rsim_rules_table (&n);
  cr_assert_eq (n, RSIM_RULE_COUNT);
  for (guint i = 0; i < n; i++) {
    RsimRules at = rsim_rules_resolve (table[i].since);
    cr_expect (rsim_rules_has (&at, table[i].id), "%s", table[i].name);
    RsimFlinkVersion before;
    cr_assert (previous_release (table[i].since, &before), "%s", table[i].name);
    RsimRules prev = rsim_rules_resolve (before);
    cr_expect_not (rsim_rules_has (&prev, table[i].id), "%s", table[i].name);
    /* A patch release of the first version has it too. */
    RsimFlinkVersion patch = table[i].since;
    patch.patch = 3;
    RsimRules p = rsim_rules_resolve (patch);
    cr_expect (rsim_rules_has (&p, table[i].id), "%s", table[i].name);
  }
}

Test (rules, table_is_ordered_named_and_sourced)
{
  guint n;
  const RsimRuleInfo *table = rsim_rules_table (&n);
  for (guint i = 0; i < n; i++) {
    cr_expect_eq ((guint) table[i].id, i);
    cr_expect (table[i].source != NULL && table[i].source[0] != '\0');
    cr_expect (table[i].summary != NULL && strlen (table[i].summary) > 20);
    cr_expect_eq (rsim_rule_info (table[i].id), &table[i]);
    if (i > 0)
      cr_expect_leq (rsim_version_compare (table[i - 1].since, table[i].since),
                     0, "%s is out of version order", table[i].name);
    for (guint j = 0; j < i; j++)
      cr_expect_str_neq (table[i].name, table[j].name);
  }
}

Test (rules, released_versions_span_1_5_to_2_3)
{
  guint n;
  const RsimFlinkVersion *rel = rsim_rules_released_versions (&n);
  cr_assert_eq (n, 20);
  cr_expect_eq (rel[0].major, 1);
  cr_expect_eq (rel[0].minor, 5);
  cr_expect_eq (rel[n - 1].major, 2);
  cr_expect_eq (rel[n - 1].minor, 3);
  for (guint i = 1; i < n; i++)
    cr_expect_lt (rsim_version_compare (rel[i - 1], rel[i]), 0);
}

Test (rules, diff_lists_what_an_upgrade_changes)
{
  RsimFlinkVersion v120 = { 1, 20, -1 }, v20 = { 2, 0, -1 }, v119 = { 1, 19, 2 };
  guint64 d = rsim_rules_diff (v120, v20);
  cr_expect ((d >> RSIM_RULE_AS_RESCALE_ON_CHECKPOINT) & 1);
  cr_expect ((d >> RSIM_RULE_AS_DESIRED_ON_ALL_SLOTS) & 1);
  cr_expect_not ((d >> RSIM_RULE_AS_COOLDOWN) & 1);
  cr_expect_not ((d >> RSIM_RULE_CHECKPOINT_AFTER_ALL_RUNNING) & 1);
  /* 1.19 to 1.20 adds only the opt-in ingest restore of RocksDB. */
  cr_expect_eq (rsim_rules_diff (v119, v120),
                G_GUINT64_CONSTANT (1) << RSIM_RULE_ROCKSDB_INGEST_RESTORE);
}

Test (rules, version_compare_orders_patch_releases)
{
  RsimFlinkVersion a = { 1, 20, -1 }, b = { 1, 20, 0 }, c = { 1, 20, 2 },
                   d = { 2, 0, -1 }, e = { 1, 9, -1 };
  cr_expect_eq (rsim_version_compare (a, b), 0);
  cr_expect_lt (rsim_version_compare (b, c), 0);
  cr_expect_lt (rsim_version_compare (c, d), 0);
  cr_expect_lt (rsim_version_compare (e, a), 0);
  cr_expect_gt (rsim_version_compare (d, e), 0);
}

/* `rescalesim rules --version 1.20` marks each rule and lists 2.0's. */
Test (rules, cli_prints_the_table_for_a_version)
{
  const char *bin = g_getenv ("RSIM_BINARY");
  if (bin == NULL)
    cr_skip_test ("RSIM_BINARY is not set");
  const char *argv[] = { bin, "rules", "--version", "1.20", NULL };
  g_autofree char *out = NULL;
  int status = 0;
  cr_assert (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL,
                           NULL, NULL, &out, NULL, &status, NULL));
  cr_assert_eq (status, 0);
  cr_expect (strstr (out, "yes 1.19  as-cooldown (FLIP-322)") != NULL, "%s", out);
  cr_expect (strstr (out, "no  2.0   as-rescale-on-checkpoint (FLIP-461, "
                          "FLINK-35549)") != NULL);
  cr_expect (strstr (out, "From 1.20 to 2.0:") != NULL);
  const char *bad[] = { bin, "rules", "--version", "1.21x", NULL };
  g_free (g_steal_pointer (&out));
  cr_assert (g_spawn_sync (NULL, (char **) bad, NULL, G_SPAWN_STDERR_TO_DEV_NULL,
                           NULL, NULL, &out, NULL, &status, NULL));
  cr_expect_eq (WEXITSTATUS (status), 2);
}
