/* "rescalesim validate": checks scenario files without running them.
 *
 * Each file is loaded exactly as "run" would load it. A good file prints
 * "FILE: ok (N warnings)" on stdout followed by its warnings, indented; a
 * bad one prints the loader's error (which names the file, and the line and
 * column or the JSON path) on stderr. Every file is checked even after a
 * failure; the exit code is that of the worst file. */
#include "cli/cli.h"

#include <stdio.h>

typedef struct {
  gboolean help;
} ValidateOptions;

static GOptionContext *
validate_context_new (ValidateOptions *o)
{
  return rsim__cli_context_new (
    "validate", "SCENARIO...",
    "Checks each SCENARIO file: JSON syntax, every field, the Flink\n"
    "configuration keys and values, and the timeline, without running it.",
    "Prints 'FILE: ok (N warnings)' and the warnings for each good file,\n"
    "and the error for each bad one.",
    NULL, &o->help);
}

static char *
validate_help (void)
{
  ValidateOptions o = { 0 };
  return rsim__cli_help_text (validate_context_new (&o));
}

static int
validate_main (int argc, char **argv)
{
  ValidateOptions o = { 0 };
  int rc = rsim__cli_parse (validate_context_new (&o), "validate",
                           &o.help, &argc, &argv);
  if (rc >= 0)
    return rc;
  if (argc < 2)
    return rsim__cli_usage_error ("validate", "validate: missing SCENARIO");

  int worst = RSIM_EXIT_OK;
  for (int i = 1; i < argc; i++) {
    int file_rc;
    g_autoptr (RsimScenario) scenario = rsim__cli_load_scenario (argv[i],
                                                                 &file_rc);
    if (scenario == NULL) {
      worst = MAX (worst, file_rc);
      continue;
    }
    guint n = scenario->warnings ? scenario->warnings->len : 0;
    printf ("%s: ok (%u warning%s)\n", argv[i], n, n == 1 ? "" : "s");
    for (guint w = 0; w < n; w++)
      printf ("  warning: %s\n",
              (const char *) g_ptr_array_index (scenario->warnings, w));
  }
  return worst;
}

const RsimCliCommand rsim__cli_cmd_validate = {
  .name = "validate",
  .summary = "Check scenario files without running them",
  .run = validate_main,
  .help = validate_help,
};
