/* rescalesim: Flink version profiles.
 *
 * A scenario names the Flink version it runs ("1.7", "1.20", "2.2.1").
 * Which behaviour a version has is decided by the rules table
 * (rescalesim/rules.h), resolved once per run; this header only parses,
 * prints and orders versions. Supported versions are 1.5 to 2.3. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  int major;
  int minor;
  int patch;   /* -1 when the scenario gave only major.minor */
} RsimFlinkVersion;

/* Parses "1.20", "2.0" or "1.20.2". Returns FALSE on anything else. */
gboolean rsim_version_parse (const char *text, RsimFlinkVersion *out);
/* Orders two versions by major, then minor, then patch (a missing patch
 * counts as .0): < 0, 0 or > 0. Only for tables of data that carry
 * versions (rules, configuration keys); behaviour asks rsim_rules_has(). */
int rsim_version_compare (RsimFlinkVersion a, RsimFlinkVersion b);
/* TRUE if 1.5 <= v <= 2.3. */
gboolean rsim_version_supported (RsimFlinkVersion v);
/* "1.20" or "1.20.2"; (transfer full). */
char *rsim_version_to_string (RsimFlinkVersion v);

G_END_DECLS
