/* Internals of the scenario layer, shared between its files.
 *
 * units.c parses and prints the value syntaxes (Flink durations and memory
 * sizes, the project's decimal durations, rates and bandwidths); values.c
 * holds the loading context (the JSON path being read, warnings, error
 * messages in the "FILE: path: expected X, got Y" form) and the typed
 * readers built on it; flink-keys.c is the one table of Flink configuration
 * keys; rate.c reads input-rate profiles (including CSV traces); loader.c
 * reads the rest of a scenario; resolved.c prints the resolved configuration.
 * cJSON types appear here and never in a public header. */
#pragma once

#include <cjson/cJSON.h>
#include <rescalesim/scenario.h>

G_BEGIN_DECLS

/* ------------------------------------------------------------------ units */

/* Flink's TimeUtils.parseDuration: an integer, optional whitespace, an
 * optional unit label (case-insensitive; none = milliseconds). Nanoseconds
 * are truncated to whole microseconds. */
gboolean rsim__parse_flink_duration (const char *text, RsimTime *out_us);
/* TRUE when text is a Flink duration that is not 0 but below 1 us
 * ("500 ns"): cut to whole microseconds it would be 0, so readers refuse
 * it. */
gboolean rsim__flink_duration_below_clock (const char *text);
/* The project's durations: the same units, but the number may have a
 * fractional part ("1.5 s"). Result in microseconds, not rounded. */
gboolean rsim__parse_duration (const char *text, double *out_us);
/* Memory sizes like Flink's MemorySize.parse (1024-based; none = bytes);
 * also kib/mib/gib/tib, and a fractional number ("0.5 GB"). */
gboolean rsim__parse_memory_size (const char *text, double *out_bytes);
/* "2000 rec/s", "6k rec/s", "1.5M rec/s", "2000 records/s", "2000/s",
 * "2000": records per second. */
gboolean rsim__parse_rate (const char *text, double *out_rps);
/* A memory size per second, "20 MB/s" (1024-based); no unit = bytes/s. */
gboolean rsim__parse_bandwidth (const char *text, double *out_bps);

/* Shortest decimal text that reads back as the same double (C locale).
 * (transfer full) for all formatters. */
char *rsim__format_double (double v);
/* Flink's style (TimeUtils.formatWithHighestUnit): the largest unit that
 * divides the value, "50 s", "5 min", "860 us", "31500 ns", "0 ms". */
char *rsim__format_duration (double us);
/* The largest 1024-based unit that divides the value: "4 gb", "20000000 b". */
char *rsim__format_size (double bytes);
char *rsim__format_rate (double rps);            /* "6000 rec/s" */
char *rsim__format_bandwidth (double bps);       /* "20 mb/s" */

/* ------------------------------------------------------- loading context */

typedef struct {
  const char *file;          /* display name used in every message */
  char *base_dir;            /* directory relative trace files are read from */
  GString *path;             /* JSON path of the value being read */
  GPtrArray *warnings;       /* char*, owned */
  RsimFlinkVersion version;  /* known once flink.version is read */
  GPtrArray *scratch;        /* char*, owned: texts made for messages */
} RsimLoadCtx;

/* Path building: each push returns a mark to pop back to. Keys that are not
 * plain identifiers are quoted (flink.config."heartbeat.timeout"). */
gsize rsim__ctx_push_key (RsimLoadCtx *ctx, const char *key);
gsize rsim__ctx_push_quoted_key (RsimLoadCtx *ctx, const char *key);
gsize rsim__ctx_push_index (RsimLoadCtx *ctx, guint index);
void rsim__ctx_pop (RsimLoadCtx *ctx, gsize mark);

/* "FILE: PATH: message" with RSIM_SCENARIO_ERROR_INVALID; returns FALSE. */
gboolean rsim__ctx_fail (RsimLoadCtx *ctx, GError **error, const char *fmt, ...)
  G_GNUC_PRINTF (3, 4);
/* "FILE: PATH: expected <what>, got <got>"; returns FALSE. got may be NULL
 * ("nothing"). */
gboolean rsim__ctx_expected (RsimLoadCtx *ctx, GError **error,
                             const cJSON *got, const char *fmt, ...)
  G_GNUC_PRINTF (4, 5);
/* Adds "FILE: PATH: message" to the warnings. */
void rsim__ctx_warn (RsimLoadCtx *ctx, const char *fmt, ...) G_GNUC_PRINTF (2, 3);
/* Text from the scenario (a key, a name) as messages show it: unchanged up
 * to RSIM_SHORT_TEXT bytes, else its first RSIM_SHORT_TEXT bytes (cut at a
 * character boundary), "..." and its length, so that a 10 MB key does not
 * make a 10 MB message. (transfer full) */
#define RSIM_SHORT_TEXT 64
char *rsim__short_text (const char *text);
/* Same, kept by the context until loading ends: for message arguments.
 * (transfer none) */
const char *rsim__ctx_short (RsimLoadCtx *ctx, const char *text);
/* How a JSON value is shown after "got": 0, "abc", true, an object, an
 * array, a string (long strings), nothing (NULL). (transfer full) */
char *rsim__json_got (const cJSON *item);

/* --------------------------------------------------------- typed readers
 *
 * Each reader checks one value at the context's current path and reports
 * "expected ..., got ..." when it is missing (NULL) or wrong. */

gboolean rsim__read_string (RsimLoadCtx *ctx, const cJSON *v, char **out,
                            GError **error);
gboolean rsim__read_int (RsimLoadCtx *ctx, const cJSON *v, int min, int max,
                         int *out, GError **error);
gboolean rsim__read_bool (RsimLoadCtx *ctx, const cJSON *v, gboolean *out,
                          GError **error);
/* One of names[0..n_names) (exact match); *out is the index. */
gboolean rsim__read_enum (RsimLoadCtx *ctx, const cJSON *v,
                          const char *const *names, guint n_names, int *out,
                          GError **error);
/* Project duration in microseconds, >= min_us (or > min_us when
 * min_exclusive). A JSON number is milliseconds. */
gboolean rsim__read_duration (RsimLoadCtx *ctx, const cJSON *v, double min_us,
                              gboolean min_exclusive, double *out_us,
                              GError **error);
/* Same, rounded to whole microseconds. */
gboolean rsim__read_time (RsimLoadCtx *ctx, const cJSON *v, RsimTime min,
                          gboolean min_exclusive, RsimTime *out,
                          GError **error);
gboolean rsim__read_size (RsimLoadCtx *ctx, const cJSON *v, double *out_bytes,
                          GError **error);
/* Rate >= 0 (> 0 when positive). */
gboolean rsim__read_rate (RsimLoadCtx *ctx, const cJSON *v, gboolean positive,
                          double *out_rps, GError **error);
gboolean rsim__read_bandwidth (RsimLoadCtx *ctx, const cJSON *v,
                               double *out_bps, GError **error);
/* A plain number >= min (> min when min_exclusive). */
gboolean rsim__read_number (RsimLoadCtx *ctx, const cJSON *v, double min,
                            gboolean min_exclusive, double *out,
                            GError **error);

/* Objects read field by field, in document order. A field's reader gets the
 * value (NULL when a required field is missing, and must then fail) and the
 * caller's target struct. */
typedef gboolean (*RsimFieldFunc) (RsimLoadCtx *ctx, const cJSON *value,
                                   gpointer target, GError **error);
typedef struct {
  const char *key;
  gboolean required;
  RsimFieldFunc read;
} RsimField;

/* Checks obj is an object whose keys are all in fields (else "unknown key
 * \"x\"; expected one of: ..."), runs each reader, then the readers of
 * missing required fields. *seen (may be NULL) gets bit i for fields[i]. */
gboolean rsim__read_fields (RsimLoadCtx *ctx, const cJSON *obj,
                            const RsimField *fields, guint n_fields,
                            gpointer target, guint64 *seen, GError **error);
/* The child of obj called key, or NULL. */
const cJSON *rsim__json_get (const cJSON *obj, const char *key);

/* ------------------------------------------------------------ flink keys */

/* Reads flink.config (may be NULL) for ctx->version into *conf, with every
 * default of that version applied; warnings go to ctx. The context's path
 * must be "flink.config". */
gboolean rsim__flink_config_load (RsimLoadCtx *ctx, const cJSON *config,
                                  RsimFlinkConf *conf, GError **error);
/* Every modelled key that exists in version, under the name it has there,
 * with its value in Flink's syntax. (transfer full) */
cJSON *rsim__flink_config_to_json (const RsimFlinkConf *conf,
                                   RsimFlinkVersion version);
/* The table, for tests and documentation checks. */
guint rsim__flink_key_count (void);
const char *rsim__flink_key_name (guint index);
const char *rsim__flink_key_old_name (guint index);   /* NULL if none */
/* Whether name (or its old name) is a modelled key holding a duration. */
gboolean rsim__flink_key_is_duration (const char *name);

/* ------------------------------------------------------------------ costs */

/* RSIM_COST_LIST as a table (loader.c): JSON key, unit, RsimCosts field. */
typedef struct {
  const char *key;
  RsimCostUnit unit;
  gsize offset;
} RsimCostKey;

extern const RsimCostKey rsim__cost_keys[];
extern const guint rsim__n_cost_keys;

/* ------------------------------------------------------------ controllers */

/* The keys of controllers.autoscaler.config (loader.c): the Kubernetes
 * operator's and its autoscaler's option names, read in Flink's value
 * syntax into the RsimAutoscalerSpec field at offset. The one table behind
 * reading, the resolved JSON and the README check. */
typedef enum {
  RSIM_AUTOSCALER_KEY_DURATION,   /* RsimTime field, microseconds */
  RSIM_AUTOSCALER_KEY_NUMBER,     /* double field */
  RSIM_AUTOSCALER_KEY_INT,        /* int field */
  RSIM_AUTOSCALER_KEY_BOOL,       /* int field, 1 or 0 */
} RsimAutoscalerKeyType;

typedef struct {
  const char *name;
  RsimAutoscalerKeyType type;
  double min, max;                /* durations in microseconds */
  gboolean min_exclusive;         /* the value must be > min */
  gsize offset;                   /* into RsimAutoscalerSpec */
} RsimAutoscalerKey;

extern const RsimAutoscalerKey rsim__autoscaler_keys[];
extern const guint rsim__n_autoscaler_keys;

/* ----------------------------------------------------------- rate profiles */

/* A rate profile: a rate (constant) or {type: constant|steps|sine|trace}. */
gboolean rsim__rate_spec_load (RsimLoadCtx *ctx, const cJSON *v,
                               RsimRateSpec *out, GError **error);
cJSON *rsim__rate_spec_to_json (const RsimRateSpec *spec);

/* ------------------------------------------------- trees, sweeps (sweep.c) */

/* Parses scenario text; a syntax error is FILE:LINE:COL. (transfer full) */
cJSON *rsim__scenario_parse (const char *data, gsize length,
                             const char *display_name, GError **error);
/* Loads a parsed scenario exactly as rsim_scenario_load_data() loads text
 * (duplicate keys, every field, the same messages). (transfer full) */
RsimScenario *rsim__scenario_load_tree (const cJSON *root,
                                        const char *display_name,
                                        GError **error);
/* Checks the shape of a "sweep" block (the context's path is "sweep"):
 * {"axes": {AXIS: [value, ...], ...}, "seeds": {"base": N, "count": N}},
 * every axis a known kind of path with a non-empty array of values. */
gboolean rsim__sweep_block_check (RsimLoadCtx *ctx, const cJSON *block,
                                  GError **error);

G_END_DECLS
