/* The rescalesim program's internals shared between its files: the exit
 * codes, the subcommand table and the helpers every subcommand uses to
 * parse its options and to report errors.
 *
 * Every message for the user goes to stderr as "rescalesim: <message>";
 * stdout only carries what the command was asked for (a table, a report),
 * written with stdio so that UTF-8 text reaches it unchanged. */
#pragma once

#include <glib.h>
#include <rescalesim/scenario.h>

G_BEGIN_DECLS

/* X (id, code, meaning): the exit statuses, documented in every --help. */
#define RSIM_EXIT_LIST(X)                                                     \
  X (OK, 0, "success")                                                        \
  X (FAILURE, 1, "the simulation failed while running")                       \
  X (USAGE, 2, "usage error (bad option or argument, unknown command or "     \
               "scheduler)")                                                  \
  X (SCENARIO, 3, "invalid scenario (unreadable, not JSON, or a wrong "       \
                  "field)")                                                   \
  X (OUTPUT, 4, "output error (an output file, directory or standard "      \
                "output cannot be written)")                                  \
  X (UNSUPPORTED, 5, "unsupported (e.g. a scheduler not implemented yet)")    \
  X (INTERRUPTED, 130, "interrupted by SIGINT (143: by SIGTERM); temporary "  \
                       "files removed")

typedef enum {
#define RSIM_X(id, code, text) RSIM_EXIT_##id = code,
  RSIM_EXIT_LIST (RSIM_X)
#undef RSIM_X
} RsimExit;

/* A subcommand. main() passes argv with argv[0] = the command's name. */
typedef struct {
  const char *name;
  const char *summary;          /* one line, for the program's usage */
  int (*run) (int argc, char **argv);
  char *(*help) (void);         /* the --help text; (transfer full) */
} RsimCliCommand;

extern const RsimCliCommand rsim__cli_cmd_run;
extern const RsimCliCommand rsim__cli_cmd_validate;
extern const RsimCliCommand rsim__cli_cmd_compare;

/* "rescalesim: <message>\n" on stderr. */
void rsim__cli_error (const char *fmt, ...) G_GNUC_PRINTF (1, 2);
/* "rescalesim: warning: <message>\n" on stderr. */
void rsim__cli_warning (const char *fmt, ...) G_GNUC_PRINTF (1, 2);
/* An error, then "Try 'rescalesim COMMAND --help'." Returns
 * RSIM_EXIT_USAGE. command may be NULL (the program itself). */
int rsim__cli_usage_error (const char *command, const char *fmt, ...)
  G_GNUC_PRINTF (2, 3);

/* The shard a sweep-like command runs: `shard_text` ("K/N", from --shard)
 * if given; else, when `from_env`, a Slurm job array's variables
 * (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN + 1 of
 * SLURM_ARRAY_TASK_COUNT) or a Kubernetes indexed Job's
 * (JOB_COMPLETION_INDEX + 1 of `shards_opt`, from --shards). *shards 0:
 * every run. Returns -1 to go on, or the exit code after a usage error
 * naming `command`. */
int rsim__cli_resolve_shard (const char *command, const char *shard_text,
                             int shards_opt, gboolean from_env, guint *shard,
                             guint *shards);

/* The "Exit status" block of every --help. (transfer full) */
char *rsim__cli_exit_codes_text (void);

/* Sets the program name shown in GOption's usage line to
 * "rescalesim COMMAND" (once per process) and makes a context with the
 * command's summary, details followed by the exit codes as description
 * (details may be NULL), the command's entries and a -h/--help entry
 * that sets *help (GOption's own is disabled so that help never exits the
 * process from inside the parser). */
GOptionContext *rsim__cli_context_new (const char *command,
                                       const char *parameters,
                                       const char *summary,
                                       const char *details,
                                       const GOptionEntry *entries,
                                       gboolean *help);

/* Parses argv and frees context. Returns -1 when the command should go
 * on, otherwise the exit code to return at once: RSIM_EXIT_OK after
 * printing the help text (when *help was set), RSIM_EXIT_USAGE after
 * printing the parse error. */
int rsim__cli_parse (GOptionContext *context, const char *command,
                     const gboolean *help, int *argc, char ***argv);

/* The --help text of context, which it frees. (transfer full) */
char *rsim__cli_help_text (GOptionContext *context);

/* Loads a scenario; on failure prints the error and returns NULL with
 * *exit_code set (RSIM_EXIT_SCENARIO). */
RsimScenario *rsim__cli_load_scenario (const char *path, int *exit_code);
/* The same with a Flink configuration file (NULL: the scenario's own). */
RsimScenario *rsim__cli_load_scenario_with_conf (const char *path,
                                                 const char *flink_conf,
                                                 int *exit_code);
/* Prints the scenario's warnings with rsim__cli_warning(). */
void rsim__cli_print_warnings (const RsimScenario *scenario);

/* Prints text to stdout as it is (no charset conversion). A failed write
 * is seen by main(), which checks stdout's error flag and its close. */
void rsim__cli_print (const char *text);

/* The exit code for an error of the library: RSIM_EXIT_OUTPUT for output
 * errors (of the harness, a sweep, a plot, the check gate, or a
 * G_FILE_ERROR), RSIM_EXIT_SCENARIO for invalid input (a scenario, a
 * baseline or report, a shard, a result directory, a configuration the
 * model rejects), RSIM_EXIT_UNSUPPORTED, else RSIM_EXIT_FAILURE. */
int rsim__cli_exit_for_error (const GError *error);

/* The default output directory out/NAME/LEAF[/SUB] for a scenario named
 * name (made a safe path component); sub may be NULL. (transfer full) */
char *rsim__cli_default_out (const char *name, const char *leaf,
                             const char *sub);

G_END_DECLS
