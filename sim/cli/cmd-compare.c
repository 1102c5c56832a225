/* "rescalesim compare": one scenario under each of its schedulers (and
 * several seeds), side by side.
 *
 * Every (scheduler, seed) run writes its own report directory,
 * OUT/<scheduler>/seed-<N>/, through the same atomic run writer as `run`;
 * then compare.json (schema rescalesim/compare/1) lists every run with its
 * summary, and a table (rows: schedulers; columns: downtime, reprocessed
 * records, restarts, rescales, max lag, final parallelism; means over the
 * seeds) goes to stdout. Everything that can be checked before running is
 * checked first (options, the scenario, whether each scheduler exists in the
 * scenario's Flink version), so a mistake leaves nothing behind. */
#include "cli/cli.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include <rescalesim/report.h>
#include <rescalesim/scenario.h>
#include <rescalesim/simulation.h>

#include "report/report-private.h"

typedef struct {
  char *seeds;
  char *out;
  char *schedulers;
  gboolean json;
  gboolean quiet;
  gboolean help;
} CompareOptions;

static void
compare_options_clear (CompareOptions *o)
{
  g_free (o->seeds);
  g_free (o->out);
  g_free (o->schedulers);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CompareOptions, compare_options_clear)

static GOptionContext *
compare_context_new (CompareOptions *o)
{
  const GOptionEntry entries[] = {
    { "seeds", 'n', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &o->seeds,
      "Seeds per scheduler, from the scenario's seed on [1]", "N" },
    { "schedulers", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &o->schedulers,
      "Comma-separated schedulers [the scenario's list]", "LIST" },
    { "out", 'o', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &o->out,
      "Output directory [out/NAME/compare]", "DIR" },
    { "json", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &o->json,
      "Print compare.json on stdout instead of the table", NULL },
    { "quiet", 'q', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &o->quiet,
      "Print nothing on stdout but --json output", NULL },
    G_OPTION_ENTRY_NULL
  };
  return rsim__cli_context_new (
    "compare", "SCENARIO",
    "Runs SCENARIO under each scheduler it lists (default, adaptive,\n"
    "reactive) and each seed, writes every run's files into\n"
    "OUT/SCHEDULER/seed-N/ and a compare.json, and prints one table.",
    "The abstract \"scale\" action is realised by each scheduler its own\n"
    "way (stop-with-savepoint and resubmit; new resource requirements;\n"
    "TaskManagers only), which is what makes the comparison fair.",
    entries, &o->help);
}

static char *
compare_help (void)
{
  CompareOptions o = { 0 };
  GOptionContext *ctx = compare_context_new (&o);
  char *text = g_option_context_get_help (ctx, TRUE, NULL);
  g_option_context_free (ctx);
  return text;
}

typedef struct {
  RsimSchedulerKind scheduler;
  double downtime, reprocessed, restarts, rescales, max_lag;
  GString *parallelism;        /* of the first seed */
  guint n;
} Row;

static char *
safe_component (const char *name)
{
  char *s = g_strdup (name && *name ? name : "scenario");
  for (char *p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
      *p = '_';
  if (g_str_equal (s, ".") || g_str_equal (s, ".."))
    s[0] = '_';
  return s;
}

static const char *
fmt (char *buf, double v)
{
  return rsim_report_format_double (buf, v);
}

static gboolean
write_atomically (const char *path, const char *text, GError **error)
{
  g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
  if (!g_file_set_contents (tmp, text, -1, error))
    return FALSE;
  if (g_rename (tmp, path) != 0) {
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                 "cannot rename %s: %s", tmp, g_strerror (errno));
    g_unlink (tmp);
    return FALSE;
  }
  return TRUE;
}

static int
compare_main (int argc, char **argv)
{
  g_auto (CompareOptions) o = { 0 };
  GOptionContext *ctx = compare_context_new (&o);
  int rc = rsim__cli_parse (ctx, "compare", &o.help, &argc, &argv);
  g_option_context_free (ctx);
  if (rc >= 0)
    return rc;
  if (argc != 2)
    return rsim__cli_usage_error ("compare", argc < 2
                                  ? "compare: missing SCENARIO"
                                  : "compare: unexpected argument");
  guint64 n_seeds = 1;
  if (o.seeds && !g_ascii_string_to_unsigned (o.seeds, 10, 1, 1000, &n_seeds,
                                              NULL))
    return rsim__cli_usage_error ("compare", "invalid --seeds '%s': expected "
                                  "an integer from 1 to 1000", o.seeds);
  if (o.out != NULL && *o.out == '\0')
    return rsim__cli_usage_error ("compare", "--out needs a directory name");

  g_autoptr (RsimScenario) scenario = rsim__cli_load_scenario (argv[1], &rc);
  if (scenario == NULL)
    return rc;
  rsim__cli_print_warnings (scenario);

  GArray *kinds = g_array_new (FALSE, FALSE, sizeof (RsimSchedulerKind));
  if (o.schedulers) {
    g_auto (GStrv) names = g_strsplit (o.schedulers, ",", -1);
    for (int i = 0; names[i]; i++) {
      RsimSchedulerKind k;
      if (!rsim_scheduler_kind_parse (g_strstrip (names[i]), &k)) {
        g_array_free (kinds, TRUE);
        return rsim__cli_usage_error ("compare", "unknown scheduler '%s' "
                                      "(expected default, adaptive or "
                                      "reactive)", names[i]);
      }
      g_array_append_val (kinds, k);
    }
  } else {
    for (guint i = 0; i < scenario->n_schedulers; i++)
      g_array_append_val (kinds, scenario->schedulers[i]);
  }
  /* The adaptive scheduler and reactive mode exist since Flink 1.13. */
  RsimRules rules = rsim_rules_resolve (scenario->config.version);
  for (guint i = 0; i < kinds->len; i++) {
    RsimSchedulerKind k = g_array_index (kinds, RsimSchedulerKind, i);
    if (k != RSIM_SCHEDULER_DEFAULT
        && !rsim_rules_has (&rules, RSIM_RULE_ADAPTIVE_SCHEDULER)) {
      g_autofree char *v = rsim_version_to_string (scenario->config.version);
      rsim__cli_error ("%s: the %s scheduler does not exist in Flink %s (it "
                       "came in 1.13)", argv[1], rsim_scheduler_kind_name (k), v);
      g_array_free (kinds, TRUE);
      return RSIM_EXIT_SCENARIO;
    }
  }

  g_autofree char *component = safe_component (scenario->name);
  g_autofree char *out_dir = o.out ? g_strdup (o.out)
                                   : g_build_filename ("out", component,
                                                       "compare", NULL);
  cJSON *root = cJSON_CreateObject ();
  cJSON_AddStringToObject (root, "schema", "rescalesim/compare/1");
  cJSON *sc = cJSON_AddObjectToObject (root, "scenario");
  cJSON_AddStringToObject (sc, "name", scenario->name);
  cJSON_AddStringToObject (sc, "description", scenario->description);
  cJSON *runs = cJSON_AddArrayToObject (root, "runs");
  Row *rows = g_new0 (Row, kinds->len);
  int exit_code = RSIM_EXIT_OK;

  for (guint i = 0; i < kinds->len && exit_code == RSIM_EXIT_OK; i++) {
    Row *row = &rows[i];
    row->scheduler = g_array_index (kinds, RsimSchedulerKind, i);
    row->parallelism = g_string_new (NULL);
    for (guint64 s = 0; s < n_seeds && exit_code == RSIM_EXIT_OK; s++) {
      RsimSimConfig config;
      rsim_sim_config_copy (&config, &scenario->config);
      config.scheduler = row->scheduler;
      config.seed = scenario->config.seed + s;
      g_autofree char *rel = g_strdup_printf ("%s/seed-%" G_GUINT64_FORMAT,
                                              rsim_scheduler_kind_name (row->scheduler),
                                              config.seed);
      g_autofree char *dir = g_build_filename (out_dir, rel, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (RsimRunWriter) writer = rsim_run_writer_new (dir, &error);
      if (writer == NULL) {
        rsim__cli_error ("%s", error->message);
        exit_code = RSIM_EXIT_OUTPUT;
      } else {
        g_autoptr (RsimResult) result =
          rsim_simulation_run (&config, rsim_run_writer_sinks (writer), &error);
        if (result == NULL) {
          rsim__cli_error ("%s: %s", rsim_scheduler_kind_name (row->scheduler),
                           error->message);
          exit_code = RSIM_EXIT_FAILURE;
        } else {
          g_autofree char *report = rsim_report_build_json (scenario, &config,
                                                            result);
          if (!rsim_run_writer_commit (writer, report, &error)) {
            rsim__cli_error ("%s", error->message);
            exit_code = RSIM_EXIT_OUTPUT;
          } else {
            cJSON *parsed = cJSON_Parse (report);
            cJSON *entry = cJSON_CreateObject ();
            cJSON_AddStringToObject (entry, "scheduler",
                                     rsim_scheduler_kind_name (row->scheduler));
            char num[RSIM_REPORT_NUMBER_SIZE];
            g_snprintf (num, sizeof num, "%" G_GUINT64_FORMAT, config.seed);
            cJSON_AddItemToObject (entry, "seed", cJSON_CreateRaw (num));
            cJSON_AddStringToObject (entry, "dir", rel);
            cJSON *summary = cJSON_DetachItemFromObject (parsed, "summary");
            cJSON_AddItemToObject (entry, "summary", summary);
            cJSON_AddItemToArray (runs, entry);
            cJSON_Delete (parsed);
            row->downtime += result->downtime_s;
            row->reprocessed += result->reprocessed_records;
            row->restarts += result->restarts;
            row->rescales += result->rescales;
            row->max_lag += result->max_lag_records;
            row->n++;
            if (s == 0)
              for (guint v = 0; v < result->n_vertices; v++)
                g_string_append_printf (row->parallelism, "%s%s %d",
                                        v ? ", " : "", result->vertex_names[v],
                                        result->final_parallelism[v]);
          }
        }
      }
      rsim_sim_config_clear (&config);
    }
  }

  if (exit_code == RSIM_EXIT_OK) {
    /* Printed like report.json: compact, then re-indented by two spaces
     * (numbers stay the text they were written as). */
    char *compact = cJSON_PrintUnformatted (root);
    g_autofree char *with_nl = rsim__json_pretty (compact);
    cJSON_free (compact);
    g_autofree char *path = g_build_filename (out_dir, "compare.json", NULL);
    g_autoptr (GError) error = NULL;
    if (!write_atomically (path, with_nl, &error)) {
      rsim__cli_error ("%s", error->message);
      exit_code = RSIM_EXIT_OUTPUT;
    } else if (o.json) {
      rsim__cli_print (with_nl);
    } else if (!o.quiet) {
      printf ("%s (Flink %d.%d), %" G_GUINT64_FORMAT " seed(s) per scheduler%s\n\n",
              scenario->name, scenario->config.version.major,
              scenario->config.version.minor, n_seeds,
              n_seeds > 1 ? "; means over seeds" : "");
      printf ("%-10s %13s %14s %9s %9s %14s  %s\n", "scheduler", "downtime (s)",
              "reprocessed", "restarts", "rescales", "max lag", "final parallelism");
      for (guint i = 0; i < kinds->len; i++) {
        Row *row = &rows[i];
        double n = row->n ? row->n : 1;
        char a[RSIM_REPORT_NUMBER_SIZE], b[RSIM_REPORT_NUMBER_SIZE],
             c[RSIM_REPORT_NUMBER_SIZE], d[RSIM_REPORT_NUMBER_SIZE],
             e[RSIM_REPORT_NUMBER_SIZE];
        g_ascii_formatd (a, sizeof a, "%.3f", row->downtime / n);
        g_ascii_formatd (b, sizeof b, "%.0f", row->reprocessed / n);
        g_ascii_formatd (d, sizeof d, "%.0f", row->max_lag / n);
        printf ("%-10s %13s %14s %9s %9s %14s  %s\n",
                rsim_scheduler_kind_name (row->scheduler), a, b,
                fmt (c, row->restarts / n), fmt (e, row->rescales / n), d,
                row->parallelism->str);
      }
      printf ("\nFiles: %s/compare.json and one directory per run\n", out_dir);
    }
  }
  for (guint i = 0; i < kinds->len; i++)
    if (rows[i].parallelism)
      g_string_free (rows[i].parallelism, TRUE);
  g_free (rows);
  g_array_free (kinds, TRUE);
  cJSON_Delete (root);
  return exit_code;
}

const RsimCliCommand rsim__cli_cmd_compare = {
  .name = "compare",
  .summary = "Run one scenario under each scheduler and compare the costs",
  .run = compare_main,
  .help = compare_help,
};
