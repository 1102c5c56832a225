/* "rescalesim import": a scenario from what a Flink user already has.
 *
 *   rescalesim import plan FILE [--flink-version V] [--name NAME] [--out FILE]
 *   rescalesim import deployment FILE [--plan PLAN] [--name NAME] [--out FILE]
 *
 * The scenario goes to stdout, or to --out (written whole to a temporary
 * file and renamed, so an error leaves nothing behind); notes about
 * placeholders and mapped values go to stderr. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include <rescalesim/import.h>

typedef struct {
  char *flink_version;
  char *name;
  char *out;
  char *plan;
  gboolean help;
} ImportOptions;

static void
import_options_clear (ImportOptions *o)
{
  g_free (o->flink_version);
  g_free (o->name);
  g_free (o->out);
  g_free (o->plan);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ImportOptions, import_options_clear)

static GOptionContext *
import_context_new (ImportOptions *o)
{
  const GOptionEntry entries[] = {
    { "flink-version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING,
      &o->flink_version, "plan: the scenario's Flink version [1.20]", "V" },
    { "plan", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &o->plan,
      "deployment: the job's plan (GET /jobs/:jobid/plan)", "PLAN" },
    { "name", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &o->name,
      "The scenario's name [from the input]", "NAME" },
    { "out", 'o', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &o->out,
      "Write the scenario to FILE [stdout]", "FILE" },
    G_OPTION_ENTRY_NULL
  };
  return rsim__cli_context_new (
    "import", "plan FILE | deployment FILE",
    "Writes a scenario from a job's plan or a Kubernetes FlinkDeployment.\n"
    "\n"
    "  plan FILE        the JSON of Flink's REST API GET /jobs/:jobid/plan\n"
    "                   (or GET /jobs/:jobid), or the plan 'flink info' prints\n"
    "  deployment FILE  a FlinkDeployment (YAML) of the Kubernetes operator;\n"
    "                   job.autoscaler.* keys go to controllers.autoscaler",
    "Capacities, state sizes and the input rate are not in a plan: they are\n"
    "written as placeholders, listed on stderr and in the scenario's\n"
    "description with the Flink metrics that give them.",
    entries, &o->help);
}

static char *
import_help (void)
{
  ImportOptions o = { 0 };
  return rsim__cli_help_text (import_context_new (&o));
}

static char *
read_input (const char *path, gsize *len, int *rc)
{
  char *data = NULL;
  g_autoptr (GError) error = NULL;
  if (!g_file_get_contents (path, &data, len, &error)) {
    rsim__cli_error ("%s: cannot read: %s", path, error->message);
    *rc = RSIM_EXIT_SCENARIO;
    return NULL;
  }
  return data;
}

static int
import_main (int argc, char **argv)
{
  g_auto (ImportOptions) o = { 0 };
  GOptionContext *ctx = import_context_new (&o);
  int rc = rsim__cli_parse (ctx, "import", &o.help, &argc, &argv);
  if (rc >= 0)
    return rc;
  if (argc < 3)
    return rsim__cli_usage_error ("import", "import: expected 'plan FILE' or "
                                  "'deployment FILE'");
  if (argc > 3)
    return rsim__cli_usage_error ("import", "import: unexpected argument "
                                  "'%s'", argv[3]);
  gboolean plan = strcmp (argv[1], "plan") == 0;
  if (!plan && strcmp (argv[1], "deployment") != 0)
    return rsim__cli_usage_error ("import", "import: unknown kind '%s' "
                                  "(expected plan or deployment)", argv[1]);
  if (plan && o.plan != NULL)
    return rsim__cli_usage_error ("import", "--plan goes with 'import "
                                  "deployment'");
  if (o.out != NULL && *o.out == '\0')
    return rsim__cli_usage_error ("import", "--out needs a file name");

  rc = RSIM_EXIT_OK;
  gsize len = 0, plan_len = 0;
  g_autofree char *data = read_input (argv[2], &len, &rc);
  if (data == NULL)
    return rc;
  g_autofree char *plan_data = NULL;
  if (o.plan != NULL && (plan_data = read_input (o.plan, &plan_len, &rc)) == NULL)
    return rc;

  RsimImportOptions opts = { o.flink_version, o.name };
  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autofree char *scenario = plan
    ? rsim_import_plan (data, len, argv[2], &opts, notes, &error)
    : rsim_import_deployment (data, len, argv[2], plan_data, plan_len, o.plan,
                              &opts, notes, &error);
  if (scenario == NULL) {
    rsim__cli_error ("%s", error->message);
    return RSIM_EXIT_SCENARIO;
  }
  for (guint i = 0; i < notes->len; i++)
    fprintf (stderr, "rescalesim: note: %s\n", (const char *) notes->pdata[i]);
  if (o.out == NULL) {
    rsim__cli_print (scenario);
    return RSIM_EXIT_OK;
  }
  if (!g_file_set_contents (o.out, scenario, -1, &error)) {
    rsim__cli_error ("%s", error->message);
    return RSIM_EXIT_OUTPUT;
  }
  fprintf (stderr, "rescalesim: wrote %s\n", o.out);
  return RSIM_EXIT_OK;
}

const RsimCliCommand rsim__cli_cmd_import = {
  .name = "import",
  .summary = "Write a scenario from a Flink plan or a FlinkDeployment",
  .run = import_main,
  .help = import_help,
};
