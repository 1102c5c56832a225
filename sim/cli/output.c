/* What every rescalesim subcommand shares: messages on stderr, the exit
 * code table and its help text, option parsing, and scenario loading.
 *
 * GOption's built-in --help is disabled and replaced by a plain flag: the
 * built-in one prints and calls exit() from inside the parser, which would
 * skip the command's cleanup and make "rescalesim help COMMAND" differ from
 * "rescalesim COMMAND --help". */
#include "cli/cli.h"

#include <stdio.h>

#include <rescalesim/harness.h>
#include <rescalesim/sweep-run.h>

void
rsim__cli_print (const char *text)
{
  fputs (text, stdout);
}

static void
vmessage (const char *prefix, const char *fmt, va_list ap)
{
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  fflush (stdout);
  fprintf (stderr, "rescalesim: %s%s\n", prefix, msg);
}

void
rsim__cli_error (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  vmessage ("", fmt, ap);
  va_end (ap);
}

void
rsim__cli_warning (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  vmessage ("warning: ", fmt, ap);
  va_end (ap);
}

int
rsim__cli_usage_error (const char *command, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  vmessage ("", fmt, ap);
  va_end (ap);
  fprintf (stderr, "Try 'rescalesim%s%s --help'.\n", command ? " " : "",
           command ? command : "");
  return RSIM_EXIT_USAGE;
}

static gboolean
parse_uint (const char *text, guint64 min, guint64 max, guint64 *out)
{
  return text != NULL && g_ascii_string_to_unsigned (text, 10, min, max, out,
                                                     NULL);
}

int
rsim__cli_resolve_shard (const char *command, const char *shard_text,
                         int shards_opt, gboolean from_env, guint *shard,
                         guint *shards)
{
  *shard = *shards = 0;
  guint64 k, n, i, min = 0;
  if (shard_text != NULL) {
    g_auto (GStrv) parts = g_strsplit (shard_text, "/", -1);
    if (g_strv_length (parts) != 2 || !parse_uint (parts[1], 1, 1000000, &n)
        || !parse_uint (parts[0], 1, n, &k))
      return rsim__cli_usage_error (command, "invalid --shard '%s': expected "
                                    "K/N with 1 <= K <= N", shard_text);
    *shard = (guint) k;
    *shards = (guint) n;
    return -1;
  }
  const char *id = from_env ? g_getenv ("SLURM_ARRAY_TASK_ID") : NULL;
  const char *count = from_env ? g_getenv ("SLURM_ARRAY_TASK_COUNT") : NULL;
  const char *index = from_env ? g_getenv ("JOB_COMPLETION_INDEX") : NULL;
  if (id != NULL && count != NULL) {
    const char *min_text = g_getenv ("SLURM_ARRAY_TASK_MIN");
    if (!parse_uint (id, 0, G_MAXUINT32, &i) || !parse_uint (count, 1, 1000000, &n)
        || (min_text != NULL && !parse_uint (min_text, 0, i, &min))
        || i - min >= n)
      return rsim__cli_usage_error (command, "cannot use SLURM_ARRAY_TASK_ID=%s "
                                    "with SLURM_ARRAY_TASK_COUNT=%s as a "
                                    "shard (use --array=0-N-1 or 1-N)", id,
                                    count);
    *shard = (guint) (i - min) + 1;
    *shards = (guint) n;
    return -1;
  }
  if (index != NULL) {
    if (shards_opt <= 0)
      return rsim__cli_usage_error (command, "JOB_COMPLETION_INDEX is set: "
                                    "give the number of shards with "
                                    "--shards N (the Job's completions)");
    if (!parse_uint (index, 0, (guint64) shards_opt - 1, &i))
      return rsim__cli_usage_error (command, "JOB_COMPLETION_INDEX=%s is not "
                                    "an index from 0 to %d", index,
                                    shards_opt - 1);
    *shard = (guint) i + 1;
    *shards = (guint) shards_opt;
    return -1;
  }
  if (shards_opt > 0)
    return rsim__cli_usage_error (command, "--shards needs JOB_COMPLETION_INDEX "
                                  "(else use --shard K/N)");
  return -1;
}

char *
rsim__cli_exit_codes_text (void)
{
  GString *s = g_string_new ("Exit status:\n");
#define RSIM_X(id, code, text) g_string_append_printf (s, "  %3d  %s\n", code, text);
  RSIM_EXIT_LIST (RSIM_X)
#undef RSIM_X
  return g_string_free (s, FALSE);
}

GOptionContext *
rsim__cli_context_new (const char *command, const char *parameters,
                       const char *summary, const char *details,
                       const GOptionEntry *entries, gboolean *help)
{
  /* GLib allows setting the program name once; a process runs one
   * command. */
  if (g_get_prgname () == NULL) {
    g_autofree char *prgname = g_strconcat ("rescalesim ", command, NULL);
    g_set_prgname (prgname);
  }

  GOptionContext *ctx = g_option_context_new (parameters);
  g_option_context_set_help_enabled (ctx, FALSE);
  g_option_context_set_summary (ctx, summary);
  g_autofree char *codes = rsim__cli_exit_codes_text ();
  g_autofree char *description = details
    ? g_strconcat (details, "\n\n", codes, NULL)
    : g_strdup (codes);
  g_strchomp (description);
  g_option_context_set_description (ctx, description);

  if (entries != NULL)
    g_option_context_add_main_entries (ctx, entries, NULL);
  const GOptionEntry help_entries[] = {
    { "help", 'h', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, help,
      "Show this help and exit", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_option_context_add_main_entries (ctx, help_entries, NULL);
  return ctx;
}

int
rsim__cli_parse (GOptionContext *context, const char *command,
                 const gboolean *help, int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;
  int rc = -1;
  if (!g_option_context_parse (context, argc, argv, &error)) {
    rc = rsim__cli_usage_error (command, "%s", error->message);
  } else if (*help) {
    g_autofree char *text = g_option_context_get_help (context, TRUE, NULL);
    rsim__cli_print (text);
    rc = RSIM_EXIT_OK;
  }
  g_option_context_free (context);
  return rc;
}

char *
rsim__cli_help_text (GOptionContext *context)
{
  char *text = g_option_context_get_help (context, TRUE, NULL);
  g_option_context_free (context);
  return text;
}

RsimScenario *
rsim__cli_load_scenario (const char *path, int *exit_code)
{
  return rsim__cli_load_scenario_with_conf (path, NULL, exit_code);
}

RsimScenario *
rsim__cli_load_scenario_with_conf (const char *path, const char *flink_conf,
                                   int *exit_code)
{
  g_autoptr (GError) error = NULL;
  RsimScenario *scenario = rsim_scenario_load_file_with_conf (path, flink_conf,
                                                              &error);
  if (scenario == NULL) {
    rsim__cli_error ("%s", error->message);
    *exit_code = RSIM_EXIT_SCENARIO;
    return NULL;
  }
  *exit_code = RSIM_EXIT_OK;
  return scenario;
}

void
rsim__cli_print_warnings (const RsimScenario *scenario)
{
  for (guint i = 0; scenario->warnings && i < scenario->warnings->len; i++)
    rsim__cli_warning ("%s",
                       (const char *) g_ptr_array_index (scenario->warnings, i));
}

int
rsim__cli_exit_for_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, RSIM_EXIT_FAILURE);
  if (g_error_matches (error, RSIM_HARNESS_ERROR, RSIM_HARNESS_ERROR_OUTPUT)
      || g_error_matches (error, RSIM_SWEEP_ERROR, RSIM_SWEEP_ERROR_OUTPUT)
      || g_error_matches (error, RSIM_PLOT_ERROR, RSIM_PLOT_ERROR_OUTPUT)
      || g_error_matches (error, RSIM_CHECK_ERROR, RSIM_CHECK_ERROR_OUTPUT)
      || error->domain == G_FILE_ERROR)
    return RSIM_EXIT_OUTPUT;
  if (g_error_matches (error, RSIM_SIM_ERROR, RSIM_SIM_ERROR_UNSUPPORTED))
    return RSIM_EXIT_UNSUPPORTED;
  if (error->domain == RSIM_SCENARIO_ERROR
      || g_error_matches (error, RSIM_SIM_ERROR, RSIM_SIM_ERROR_INVALID)
      || g_error_matches (error, RSIM_HARNESS_ERROR,
                          RSIM_HARNESS_ERROR_INVALID)
      || g_error_matches (error, RSIM_CHECK_ERROR, RSIM_CHECK_ERROR_INPUT)
      || g_error_matches (error, RSIM_PLOT_ERROR, RSIM_PLOT_ERROR_INPUT)
      || g_error_matches (error, RSIM_SWEEP_ERROR, RSIM_SWEEP_ERROR_INPUT)
      || g_error_matches (error, RSIM_SWEEP_ERROR, RSIM_SWEEP_ERROR_MISMATCH))
    return RSIM_EXIT_SCENARIO;
  return RSIM_EXIT_FAILURE;
}

char *
rsim__cli_default_out (const char *name, const char *leaf, const char *sub)
{
  g_autofree char *component = rsim_harness_path_component (name);
  return g_build_filename ("out", component, leaf, sub, NULL);
}
