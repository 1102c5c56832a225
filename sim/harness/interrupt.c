/* A clean interruption (harness.h): SIGINT and SIGTERM remove what the
 * runs in progress have half written and end the process with 128 + the
 * signal number.
 *
 * The signals are blocked in the calling thread, and so in every thread
 * started after it (a sweep's workers inherit the mask), and one thread
 * waits for them with sigwait(). That thread is an ordinary thread, not a
 * signal handler, so it may take the registry's mutex and unlink files
 * (report-internal.h): it removes every registered temporary file and the
 * empty directories runs created, then calls _exit(). Holding the registry
 * lock until the end means no other thread creates or renames a file in
 * between, and a group of renames in progress (the three files of a run or
 * of a sweep) finishes before the lock is taken: files already in place
 * are complete and stay.
 *
 * This stops a simulation between any two of its events without a hook in
 * the engine, and stops a sweep in the middle of its runs. */
#include <rescalesim/harness.h>

#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "report/report-internal.h"

static gpointer
wait_for_signal (gpointer data)
{
  sigset_t *set = data;
  int sig = 0;
  while (sigwait (set, &sig) != 0)
    ;
  rsim__tmp_cleanup_for_exit ();
  /* stdio of other threads is not flushed: what was half printed stays
   * half printed, as after any interruption. */
  _exit (128 + sig);
  return NULL;
}

void
rsim_harness_catch_interruptions (void)
{
  static gsize once = 0;
  if (!g_once_init_enter (&once))
    return;
  static sigset_t set;
  sigemptyset (&set);
  sigaddset (&set, SIGINT);
  sigaddset (&set, SIGTERM);
  if (pthread_sigmask (SIG_BLOCK, &set, NULL) == 0) {
    GThread *t = g_thread_new ("rsim-signals", wait_for_signal, &set);
    g_thread_unref (t);
  }
  g_once_init_leave (&once, 1);
}
