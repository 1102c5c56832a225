/* "rescalesim rules": prints Flink's version rules table (the behaviours
 * that changed between Flink versions, each with the first version that has
 * it and the ticket or FLIP that changed it).
 *
 * With --version V every row says whether V has it, and a last block lists
 * what changes in the next release, so a user sees what an upgrade
 * changes. --json prints the same as JSON for programs. */
#include "cli/cli.h"

#include <cjson/cJSON.h>
#include <stdio.h>

#include <rescalesim/rules.h>

typedef struct {
  gboolean help;
  char *version;
  gboolean json;
} RulesOptions;

static GOptionContext *
rules_context_new (RulesOptions *o)
{
  static GOptionEntry entries[4];
  entries[0] = (GOptionEntry) { "version", 0, 0, G_OPTION_ARG_STRING,
                                NULL, "Mark the rules Flink V has and list "
                                "what the next release changes", "V" };
  entries[1] = (GOptionEntry) { "json", 0, 0, G_OPTION_ARG_NONE, NULL,
                                "Print the table as JSON", NULL };
  entries[2] = (GOptionEntry) { NULL };
  entries[0].arg_data = &o->version;
  entries[1].arg_data = &o->json;
  return rsim__cli_context_new (
    "rules", "",
    "Prints the behaviours that changed between Flink versions, as\n"
    "rescalesim simulates them: the first version that has each one, the\n"
    "FLINK ticket or FLIP that changed it, and what a user sees.",
    "With --version V, each row says whether Flink V has it, and the rows\n"
    "that the next release adds are listed at the end.",
    entries, &o->help);
}

static char *
rules_help (void)
{
  RulesOptions o = { 0 };
  return rsim__cli_help_text (rules_context_new (&o));
}

/* The first released version after v, or FALSE when v is the newest. */
static gboolean
next_release (RsimFlinkVersion v, RsimFlinkVersion *next)
{
  guint n;
  const RsimFlinkVersion *rel = rsim_rules_released_versions (&n);
  for (guint i = 0; i < n; i++)
    if (rsim_version_compare (rel[i], v) > 0) {
      *next = rel[i];
      return TRUE;
    }
  return FALSE;
}

static int
print_json (const RsimRules *rules, gboolean has_version)
{
  guint n;
  const RsimRuleInfo *table = rsim_rules_table (&n);
  cJSON *root = cJSON_CreateObject ();
  if (has_version) {
    g_autofree char *v = rsim_version_to_string (rules->version);
    cJSON_AddStringToObject (root, "version", v);
  }
  cJSON *rows = cJSON_AddArrayToObject (root, "rules");
  for (guint i = 0; i < n; i++) {
    cJSON *row = cJSON_CreateObject ();
    g_autofree char *since = rsim_version_to_string (table[i].since);
    g_autofree char *name = g_ascii_strdown (table[i].name, -1);
    g_strdelimit (name, "_", '-');
    cJSON_AddStringToObject (row, "name", name);
    cJSON_AddStringToObject (row, "since", since);
    cJSON_AddStringToObject (row, "source", table[i].source);
    cJSON_AddStringToObject (row, "summary", table[i].summary);
    if (has_version)
      cJSON_AddBoolToObject (row, "applies", rsim_rules_has (rules, table[i].id));
    cJSON_AddItemToArray (rows, row);
  }
  char *text = cJSON_Print (root);
  cJSON_Delete (root);
  rsim__cli_print (text);
  rsim__cli_print ("\n");
  cJSON_free (text);
  return RSIM_EXIT_OK;
}

static int
rules_main (int argc, char **argv)
{
  RulesOptions o = { 0 };
  int rc = rsim__cli_parse (rules_context_new (&o), "rules", &o.help, &argc,
                            &argv);
  if (rc >= 0)
    return rc;
  g_autofree char *version_text = o.version;
  if (argc > 1)
    return rsim__cli_usage_error ("rules", "rules: unexpected argument '%s'",
                                  argv[1]);
  RsimRules rules = { { 0, 0, -1 }, 0 };
  gboolean has_version = version_text != NULL;
  if (has_version) {
    RsimFlinkVersion v;
    if (!rsim_version_parse (version_text, &v) || !rsim_version_supported (v))
      return rsim__cli_usage_error ("rules", "rules: --version: expected a "
                                    "Flink version from 1.5 to 2.3, got '%s'",
                                    version_text);
    rules = rsim_rules_resolve (v);
  }
  if (o.json)
    return print_json (&rules, has_version);

  guint n;
  const RsimRuleInfo *table = rsim_rules_table (&n);
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < n; i++) {
    g_autofree char *since = rsim_version_to_string (table[i].since);
    g_autofree char *name = g_ascii_strdown (table[i].name, -1);
    g_strdelimit (name, "_", '-');
    if (has_version)
      g_string_append_printf (out, "%-3s ", rsim_rules_has (&rules, table[i].id)
                                             ? "yes" : "no");
    g_string_append_printf (out, "%-5s %s (%s)\n      %s\n", since, name,
                            table[i].source, table[i].summary);
  }
  RsimFlinkVersion next;
  if (has_version && next_release (rules.version, &next)) {
    g_autofree char *v = rsim_version_to_string (rules.version);
    g_autofree char *nv = rsim_version_to_string (next);
    guint64 diff = rsim_rules_diff (rules.version, next);
    g_string_append_printf (out, "\nFrom %s to %s:%s\n", v, nv,
                            diff ? "" : " no rule changes");
    for (guint i = 0; i < n; i++)
      if ((diff >> table[i].id) & 1)
        g_string_append_printf (out, "  + %s (%s)\n", table[i].summary,
                                table[i].source);
  }
  rsim__cli_print (out->str);
  g_string_free (out, TRUE);
  return RSIM_EXIT_OK;
}

const RsimCliCommand rsim__cli_cmd_rules = {
  .name = "rules",
  .summary = "Print the Flink version rules rescalesim simulates",
  .run = rules_main,
  .help = rules_help,
};
