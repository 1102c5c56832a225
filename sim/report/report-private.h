/* Report layer internals shared between its files: JSON text helpers.
 *
 * The report layer writes JSON in two ways: the event log line by line with
 * a small hand-written encoder (fast, no allocation per event), and
 * report.json through a cJSON tree printed compactly and then re-indented
 * by rsim__json_pretty(). Both escape strings the same way. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends text as a JSON string literal (with its quotes): '"' and '\\'
 * escaped, control characters as \b \f \n \r \t or \u00XX, everything else
 * copied. Invalid UTF-8 is replaced by U+FFFD first. NULL counts as "". */
void rsim__json_append_string (GString *out, const char *text);

/* Re-indents valid JSON text: two spaces per level, one member or element
 * per line, "key": value, empty containers as {} and [], a final newline.
 * Strings and scalar tokens are copied byte for byte. (transfer full) */
char *rsim__json_pretty (const char *json);

/* text if it is valid UTF-8, else a copy with U+FFFD for the bad bytes;
 * *tmp receives the copy to free (NULL when text was returned). */
const char *rsim__utf8_valid (const char *text, char **tmp);

G_END_DECLS
