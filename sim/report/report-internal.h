/* The report layer's internal API, shared between its files and the
 * harness above it (not installed, not public): JSON
 * text helpers, the CSV rule, JSON input with located errors, and files
 * written whole through temporary files.
 *
 * The report layer writes JSON in two ways: the event log line by line with
 * a small hand-written encoder (fast, no allocation per event), and
 * report.json through a cJSON tree printed compactly and then re-indented
 * by rsim__json_pretty(). Both escape strings the same way. cJSON appears
 * here, in a library-internal header, never in a public one. */
#pragma once

#include <cjson/cJSON.h>
#include <glib.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (cJSON, cJSON_Delete)

/* Appends text as a JSON string literal (with its quotes): '"' and '\\'
 * escaped, control characters as \b \f \n \r \t or \u00XX, everything else
 * copied. Invalid UTF-8 is replaced by U+FFFD first. NULL counts as "". */
void rsim__json_append_string (GString *out, const char *text);

/* Re-indents valid JSON text: two spaces per level, one member or element
 * per line, "key": value, empty containers as {} and [], a final newline.
 * Strings and scalar tokens are copied byte for byte. (transfer full) */
char *rsim__json_pretty (const char *json);

/* JSON numbers for the trees rescalesim prints: raw text in the report's
 * format (report.h), so neither cJSON's number printing nor the locale
 * changes a byte. A double that is not finite is null. (transfer full) */
cJSON *rsim__json_number (double v);
cJSON *rsim__json_uint (guint64 v);
cJSON *rsim__json_int (gint64 v);

/* text if it is valid UTF-8, else a copy with U+FFFD for the bad bytes;
 * *tmp receives the copy to free (NULL when text was returned). */
const char *rsim__utf8_valid (const char *text, char **tmp);

/* ------------------------------------------------------------------ CSV
 *
 * The one CSV rule of every file rescalesim writes (timeseries.csv,
 * sweep.csv, summary.csv): fields are separated by ',', records end with
 * '\n', and a field holding ',', '"', '\r' or '\n' is enclosed in double
 * quotes with each '"' doubled (RFC 4180). Anything else is copied. */

/* Appends text as one field (NULL counts as ""). */
void rsim__csv_append_field (GString *out, const char *text);

/* Appends the NULL-terminated fields as one record with its '\n'. */
void rsim__csv_append_row (GString *out, const char *const *fields);

/* Parses CSV text written by the rule above into records, each a GStrv
 * (free the array with g_ptr_array_unref: its elements are freed with
 * g_strfreev). Returns NULL with *why set (transfer full) on a malformed
 * quote. */
GPtrArray *rsim__csv_parse (const char *text, char **why);

/* ------------------------------------------------------------ JSON input
 *
 * Reading JSON written by rescalesim (or by hand: a baseline), with errors
 * that say where: a syntax error as "FILE:LINE:COL: ...", a wrong member as
 * "FILE: PATH: expected X, got Y" with PATH the JSON path of the member
 * ("results[2].summary"). Errors are set in the caller's domain and code,
 * so that each module keeps its own error enum. */

typedef enum {
  RSIM_JSON_ANY,
  RSIM_JSON_OBJECT,
  RSIM_JSON_ARRAY,
  RSIM_JSON_STRING,
  RSIM_JSON_NUMBER,
  RSIM_JSON_UINT,        /* a number that is a whole number from 0 to 2^53 */
  RSIM_JSON_BOOL,
} RsimJsonKind;

/* Where a JSON reader reports its errors. */
typedef struct {
  const char *file;      /* the file's path, first in every message */
  GQuark domain;
  gint code;
} RsimJsonSource;

/* Reads and parses path; the root must be an object. (transfer full): free
 * with cJSON_Delete(). */
cJSON *rsim__json_read_file (const RsimJsonSource *src, GError **error);

/* The member key of obj (a cJSON object found at JSON path `path`, "" for
 * the root) when it has the kind asked for; otherwise NULL with an error
 * "FILE: PATH.KEY: expected KIND, got WHAT". (transfer none) */
const cJSON *rsim__json_member (const RsimJsonSource *src, const cJSON *obj,
                               const char *path, const char *key,
                               RsimJsonKind kind, GError **error);

/* TRUE when root's "schema" member is the string schema; otherwise FALSE
 * with "FILE: schema: expected \"SCHEMA\", got WHAT". */
gboolean rsim__json_schema (const RsimJsonSource *src, const cJSON *root,
                            const char *schema, GError **error);

/* Sets "FILE: PATH: expected EXPECTED, got WHAT" where WHAT describes value
 * (NULL: "nothing"). Returns FALSE. */
gboolean rsim__json_expected (const RsimJsonSource *src, const char *path,
                              const char *expected, const cJSON *value,
                              GError **error);

/* ---------------------------------------------------- files written whole
 *
 * Every file is written under a temporary name in its final directory,
 *   .rescalesim-tmp-PID-NAME
 * and renamed into place when complete, so a reader sees the old file or
 * the new one, never half of one. The process keeps a list of its
 * temporary files (and of the directories a run created) so that an
 * interruption (SIGINT, SIGTERM) can remove them before exiting: this list
 * is the one piece of process-wide state of the library, guarded by a
 * mutex, and touches nothing a simulation reads. A crash cannot clean up;
 * the next write into the same directory removes the temporary files of
 * processes that no longer exist (rsim__tmp_remove_stale()). */

#define RSIM_TMP_PREFIX ".rescalesim-tmp-"

/* The temporary name of final_path, registered for removal on
 * interruption, for a file another program creates (gnuplot).
 * (transfer full) */
char *rsim__tmp_path_new (const char *final_path);

/* Creates final_path's temporary file (empty, mode 0666 less the umask)
 * and registers it in one step under the registry's lock, so an
 * interruption never misses a file that exists. Returns a descriptor open
 * for writing and the name in *tmp_path (transfer full), or -1 with error
 * set (G_FILE_ERROR, "cannot write 'PATH': why"). */
int rsim__tmp_create (const char *final_path, char **tmp_path,
                      GError **error);

/* Removes a temporary file (when it exists) and forgets it. */
void rsim__tmp_discard (const char *tmp_path);

/* Remembers a directory a run created, to remove it on interruption when
 * it is still empty; rsim__tmp_forget_dir() when it is no longer wanted
 * removed. Directories are removed in the order they were registered
 * (register the deepest first). */
void rsim__tmp_register_dir (const char *dir);
void rsim__tmp_forget_dir (const char *dir);

/* Renames tmp[i] to final[i] for i < n, all under the registry's lock, so
 * that an interruption sees none or all of them renamed. On a failure the
 * files already renamed are removed again (all or nothing) and the rest of
 * the temporary files are discarded; errors are G_FILE_ERROR with both
 * paths in the message. */
gboolean rsim__tmp_commit (char *const *tmp, char *const *final, guint n,
                           GError **error);

/* Removes dir's temporary files left by processes that are gone. */
void rsim__tmp_remove_stale (const char *dir);

/* Removes every registered temporary file and empty registered directory
 * and keeps the registry locked for good: for the interruption handler
 * only, right before the process exits. */
void rsim__tmp_cleanup_for_exit (void);

/* Writes texts[i] (NULL-terminated strings) to dir/names[i] for i < n:
 * every temporary file first, then (when all were written) every rename at
 * once. With sync, each file is fsync()ed before the renames. The
 * directory must exist. Errors are G_FILE_ERROR with the path. */
gboolean rsim__write_files (const char *dir, const char *const *names,
                            const char *const *texts, guint n, gboolean sync,
                            GError **error);

/* rsim__write_files() of one file given by its path. */
gboolean rsim__write_file (const char *path, const char *text, gboolean sync,
                           GError **error);

/* Gnuplot program text: name='value'; (a quote doubled, line breaks as
 * spaces; NULL as '') and name=number; (NaN when not finite). */
void rsim__gp_string (GString *prog, const char *name, const char *value);
void rsim__gp_number (GString *prog, const char *name, double value);

G_END_DECLS
