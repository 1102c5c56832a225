/* rescalesim: the command-line program's entry point.
 *
 *   rescalesim COMMAND [OPTIONS] [ARGS]
 *   rescalesim help [COMMAND] | --help | --version
 *
 * main() only dispatches: each subcommand lives in its own cmd-*.c file and
 * parses its own options. Only LC_CTYPE follows the environment (for the
 * charset of GOption's help text); LC_NUMERIC stays "C", so no number the
 * program reads or writes depends on the user's locale. */
#include "cli/cli.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <rescalesim/harness.h>

#ifndef RSIM_VERSION
#define RSIM_VERSION "unknown"
#endif

/* Defined in cmd-plot.c and cmd-check.c. */
extern const RsimCliCommand rsim__cli_cmd_plot;
extern const RsimCliCommand rsim__cli_cmd_check;
/* Defined in cmd-sweep.c and cmd-merge.c. */
extern const RsimCliCommand rsim__cli_cmd_sweep;
extern const RsimCliCommand rsim__cli_cmd_merge;
extern const RsimCliCommand rsim__cli_cmd_rules;
/* Defined in cmd-import.c and cmd-calibrate.c. */
extern const RsimCliCommand rsim__cli_cmd_import;
extern const RsimCliCommand rsim__cli_cmd_calibrate;
extern const RsimCliCommand rsim__cli_cmd_advise;   /* cmd-advise.c */

static const RsimCliCommand *const commands[] = {
  &rsim__cli_cmd_run,
  &rsim__cli_cmd_validate,
  &rsim__cli_cmd_compare,
  &rsim__cli_cmd_plot,
  &rsim__cli_cmd_check,
  &rsim__cli_cmd_sweep,
  &rsim__cli_cmd_merge,
  &rsim__cli_cmd_rules,
  &rsim__cli_cmd_import,
  &rsim__cli_cmd_calibrate,
  &rsim__cli_cmd_advise,
};

static const RsimCliCommand *
find_command (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i]->name, name))
      return commands[i];
  return NULL;
}

static void
print_usage (FILE *out)
{
  fputs ("Usage:\n"
         "  rescalesim COMMAND [OPTION...] [ARGUMENT...]\n"
         "\n"
         "Simulates Apache Flink's control plane to tell what a scaling event or a\n"
         "failure costs a job (downtime, reprocessed data, restarts) under the\n"
         "default, adaptive and reactive schedulers.\n"
         "\n"
         "Commands:\n", out);
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
  fprintf (out, "  %-10s %s\n", "help", "Show the help of a command");
  fputs ("\n"
         "Options:\n"
         "  -h, --help      Show this help and exit\n"
         "  --version       Show the version and exit\n"
         "\n"
         "Run 'rescalesim help COMMAND' or 'rescalesim COMMAND --help' for the\n"
         "options of a command.\n"
         "\n", out);
  g_autofree char *codes = rsim__cli_exit_codes_text ();
  fputs (codes, out);
}

static int
help_command (int argc, char **argv)
{
  if (argc == 1 || (argc == 2 && g_str_equal (argv[1], "help"))) {
    print_usage (stdout);
    return RSIM_EXIT_OK;
  }
  if (argc > 2)
    return rsim__cli_usage_error (NULL, "help: expected at most one COMMAND");
  const RsimCliCommand *cmd = find_command (argv[1]);
  if (cmd == NULL)
    return rsim__cli_usage_error (NULL, "unknown command '%s'", argv[1]);
  g_autofree char *text = cmd->help ();
  rsim__cli_print (text);
  return RSIM_EXIT_OK;
}

/* Every write to stdout is checked here at once: the stream's error flag is
 * sticky, so a failed fputs() or printf() anywhere in a command shows in
 * ferror(), and data still buffered shows in fclose(). A command that
 * succeeded but whose output did not all reach stdout exits 4 (a full
 * disk, /dev/full, a closed pipe). */
static int
finish_stdout (int rc)
{
  int errsv = 0;
  if (fflush (stdout) != 0 || ferror (stdout))
    errsv = errno ? errno : EIO;
  if (fclose (stdout) != 0 && errsv == 0)
    errsv = errno ? errno : EIO;
  if (errsv != 0 && rc == RSIM_EXIT_OK) {
    fprintf (stderr, "rescalesim: cannot write to standard output: %s\n",
             g_strerror (errsv));
    rc = RSIM_EXIT_OUTPUT;
  }
  return rc;
}

static int
dispatch (int argc, char **argv)
{
  if (argc < 2) {
    print_usage (stderr);
    return RSIM_EXIT_USAGE;
  }
  const char *name = argv[1];
  if (g_str_equal (name, "--help") || g_str_equal (name, "-h")) {
    print_usage (stdout);
    return RSIM_EXIT_OK;
  }
  if (g_str_equal (name, "--version")) {
    printf ("rescalesim %s\n", RSIM_VERSION);
    return RSIM_EXIT_OK;
  }
  if (g_str_equal (name, "help"))
    return help_command (argc - 1, argv + 1);
  if (name[0] == '-')
    return rsim__cli_usage_error (NULL, "unknown option '%s'", name);

  const RsimCliCommand *cmd = find_command (name);
  if (cmd == NULL)
    return rsim__cli_usage_error (NULL, "unknown command '%s'", name);
  /* Before any thread starts: SIGINT and SIGTERM remove the temporary
   * files of what is running and exit 130 / 143. */
  rsim_harness_catch_interruptions ();
  return cmd->run (argc - 1, argv + 1);
}

int
main (int argc, char **argv)
{
  setlocale (LC_CTYPE, "");
  return finish_stdout (dispatch (argc, argv));
}
