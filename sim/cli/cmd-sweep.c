/* "rescalesim sweep": every axis point x seed of a scenario's sweep block,
 * on all cores, with its statistics; or one shard of it for a batch system.
 *
 * Order of work: options (exit 2), the shard from the options or the
 * batch system's environment (exit 2), the sweep expansion, where every
 * point is validated before anything runs (exit 3), the runs (1 when one
 * fails, 4 when its files cannot be written), then the files (4), which
 * are replaced together. The files are written only when every run
 * succeeded. The wall clock is read for the progress bar only, which goes
 * to stderr when stderr is a terminal. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rescalesim/sweep-run.h>

typedef struct {
  int jobs;
  char *out;
  char *shard;
  int shards;
  gboolean keep_runs;
  gboolean quiet;
  gboolean help;
} SweepOptions;

static void
sweep_options_clear (SweepOptions *o)
{
  g_free (o->out);
  g_free (o->shard);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SweepOptions, sweep_options_clear)

static GOptionContext *
sweep_context_new (SweepOptions *o)
{
  const GOptionEntry entries[] = {
    { "jobs", 'j', G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &o->jobs,
      "Runs at once [number of cores]", "N" },
    { "out", 'o', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &o->out,
      "Output directory [out/NAME/sweep, a shard's out/NAME/sweep/shard-K-of-N]",
      "DIR" },
    { "shard", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &o->shard,
      "Run only shard K of N: the runs whose index % N == K-1", "K/N" },
    { "shards", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &o->shards,
      "Number of shards when the shard index comes from "
      "JOB_COMPLETION_INDEX (Kubernetes indexed Job)", "N" },
    { "keep-runs", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &o->keep_runs,
      "Also write each run's report, time series and events in "
      "DIR/runs/run-NNNNNN", NULL },
    { "quiet", 'q', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &o->quiet,
      "No progress bar and no closing line", NULL },
    G_OPTION_ENTRY_NULL
  };
  return rsim__cli_context_new (
    "sweep", "SCENARIO",
    "Runs every point of SCENARIO's \"sweep\" block (the cartesian product of\n"
    "its axes) for every seed, in parallel, and writes sweep.csv (one row per\n"
    "run), summary.csv and summary.json (per point and metric: n, mean, sd,\n"
    "median, p95, min, max and a 95 % confidence interval of the mean).",
    "Every point is validated before anything runs; an invalid point names\n"
    "its axis values. Outputs do not depend on --jobs.\n"
    "\n"
    "Sharding: --shard K/N runs one slice and writes sweep.csv with its rows\n"
    "and shard.json; 'rescalesim merge' joins the shards into the files of an\n"
    "unsharded sweep. Without --shard, a Slurm job array gives the shard\n"
    "(SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN + 1 of\n"
    "SLURM_ARRAY_TASK_COUNT), and so does a Kubernetes indexed Job\n"
    "(JOB_COMPLETION_INDEX + 1 of --shards N).",
    entries, &o->help);
}

static char *
sweep_help (void)
{
  SweepOptions o = { 0 };
  return rsim__cli_help_text (sweep_context_new (&o));
}

typedef struct {
  gint64 start;
  gint64 last_draw;
} Progress;

static void
draw_progress (gpointer user, guint done, guint total)
{
  Progress *p = user;
  gint64 now = g_get_monotonic_time ();
  if (done < total && now - p->last_draw < 100000)
    return;                     /* at most ten frames a second */
  p->last_draw = now;
  const int width = 30;
  int filled = total > 0 ? (int) ((guint64) done * width / total) : width;
  char bar[64];
  for (int i = 0; i < width; i++)
    bar[i] = i < filled ? '#' : '.';
  bar[width] = '\0';
  double elapsed = (double) (now - p->start) / 1e6;
  char eta[32] = "--";
  if (done > 0) {
    double left = elapsed / done * (total - done);
    if (left >= 3600)
      g_snprintf (eta, sizeof eta, "%dh%02dm", (int) (left / 3600),
                  (int) (left / 60) % 60);
    else if (left >= 60)
      g_snprintf (eta, sizeof eta, "%dm%02ds", (int) (left / 60),
                  (int) left % 60);
    else
      g_snprintf (eta, sizeof eta, "%ds", (int) (left + 0.5));
  }
  fprintf (stderr, "\r[%s] %u/%u runs, ETA %s   ", bar, done, total, eta);
  if (done == total)
    fputc ('\n', stderr);
  fflush (stderr);
}

static int
sweep_main (int argc, char **argv)
{
  g_auto (SweepOptions) o = { 0 };
  int rc = rsim__cli_parse (sweep_context_new (&o), "sweep",
                           &o.help, &argc, &argv);
  if (rc >= 0)
    return rc;
  if (argc < 2)
    return rsim__cli_usage_error ("sweep", "sweep: missing SCENARIO");
  if (argc > 2)
    return rsim__cli_usage_error ("sweep", "sweep: unexpected argument '%s'",
                                  argv[2]);
  if (o.jobs < 0 || o.jobs > 4096)
    return rsim__cli_usage_error ("sweep", "--jobs: expected 1 to 4096 (0 or "
                                  "absent: one per core)");
  if (o.shards < 0)
    return rsim__cli_usage_error ("sweep", "--shards: expected at least 1");
  if (o.out != NULL && *o.out == '\0')
    return rsim__cli_usage_error ("sweep", "--out needs a directory name");
  guint shard, shards;
  rc = rsim__cli_resolve_shard ("sweep", o.shard, o.shards, TRUE, &shard,
                                &shards);
  if (rc >= 0)
    return rc;

  g_autoptr (GError) error = NULL;
  g_autoptr (RsimSweep) sweep = rsim_sweep_load_file (argv[1], &error);
  if (sweep == NULL) {
    rsim__cli_error ("%s", error->message);
    return RSIM_EXIT_SCENARIO;
  }
  GPtrArray *warnings = rsim_sweep_warnings (sweep);
  for (guint i = 0; i < warnings->len; i++)
    rsim__cli_warning ("%s", (const char *) warnings->pdata[i]);

  g_autofree char *out_dir = NULL;
  if (o.out != NULL) {
    out_dir = g_strdup (o.out);
  } else {
    g_autofree char *shard_dir = shards > 1
      ? g_strdup_printf ("shard-%u-of-%u", shard, shards) : NULL;
    out_dir = rsim__cli_default_out (rsim_sweep_name (sweep), "sweep",
                                     shard_dir);
  }
  g_autofree char *runs_dir = o.keep_runs
    ? g_build_filename (out_dir, "runs", NULL) : NULL;

  Progress progress = { g_get_monotonic_time (), 0 };
  RsimSweepOptions options = {
    .jobs = (guint) o.jobs,
    .shard = shards > 1 ? shard : 0,
    .shards = shards > 1 ? shards : 0,
    .runs_dir = runs_dir,
    .progress = !o.quiet && isatty (STDERR_FILENO) ? draw_progress : NULL,
    .progress_user = &progress,
  };
  g_autoptr (RsimSweepTable) table = rsim_sweep_execute (sweep, &options,
                                                         &error);
  if (table == NULL || !rsim_sweep_table_write (table, out_dir, &error)) {
    rsim__cli_error ("%s", error->message);
    return rsim__cli_exit_for_error (error);
  }
  if (!o.quiet) {
    if (shards > 1)
      printf ("Shard %u of %u: %u of %u runs; wrote %s and %s in %s\n", shard,
              shards, rsim_sweep_table_n_rows (table), rsim_sweep_n_runs (sweep),
              RSIM_SWEEP_FILE, RSIM_SWEEP_SHARD_FILE, out_dir);
    else
      printf ("%u run%s (%u point%s x %u seed%s); wrote %s, %s and %s in "
              "%s\n", rsim_sweep_n_runs (sweep),
              rsim_sweep_n_runs (sweep) == 1 ? "" : "s",
              rsim_sweep_n_points (sweep),
              rsim_sweep_n_points (sweep) == 1 ? "" : "s",
              rsim_sweep_seed_count (sweep),
              rsim_sweep_seed_count (sweep) == 1 ? "" : "s", RSIM_SWEEP_FILE,
              RSIM_SWEEP_SUMMARY_CSV, RSIM_SWEEP_SUMMARY_JSON, out_dir);
  }
  return RSIM_EXIT_OK;
}

const RsimCliCommand rsim__cli_cmd_sweep = {
  .name = "sweep",
  .summary = "Run a scenario's sweep (axes x seeds) in parallel, or one shard",
  .run = sweep_main,
  .help = sweep_help,
};
