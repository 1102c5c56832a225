/* Names of Flink's job statuses (rescalesim/jobstatus.h). */
#include <rescalesim/jobstatus.h>

static const char *const names[] = {
#define RSIM_X(id, name, terminal) name,
  RSIM_JOB_STATUS_LIST (RSIM_X)
#undef RSIM_X
};

static const gboolean terminal[] = {
#define RSIM_X(id, name, term) term,
  RSIM_JOB_STATUS_LIST (RSIM_X)
#undef RSIM_X
};

const char *
rsim_job_status_name (RsimJobStatus status)
{
  g_return_val_if_fail (status < RSIM_JOB_STATUS_COUNT, "UNKNOWN");
  return names[status];
}

gboolean
rsim_job_status_is_terminal (RsimJobStatus status)
{
  g_return_val_if_fail (status < RSIM_JOB_STATUS_COUNT, FALSE);
  return terminal[status];
}
