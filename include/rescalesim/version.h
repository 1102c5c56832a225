/* rescalesim: Flink version profiles.
 *
 * A scenario names the Flink version it runs ("1.7", "1.20", "2.2.1"); the
 * model and the schedulers ask this module which rules apply. Supported
 * versions are 1.5 to 2.3 (see shared/reference/flink-behaviour.md §0.1 for
 * the timeline of changes). */
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
/* TRUE if v >= major.minor (patch ignored). */
gboolean rsim_version_at_least (RsimFlinkVersion v, int major, int minor);
/* TRUE if v >= major.minor.patch; a version without patch counts as .0. */
gboolean rsim_version_at_least_patch (RsimFlinkVersion v, int major, int minor,
                                      int patch);
/* TRUE if 1.5 <= v <= 2.3. */
gboolean rsim_version_supported (RsimFlinkVersion v);
/* "1.20" or "1.20.2"; (transfer full). */
char *rsim_version_to_string (RsimFlinkVersion v);

G_END_DECLS
