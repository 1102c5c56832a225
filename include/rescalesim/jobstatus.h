/* rescalesim: a job's status, with the values and names of Flink's
 * org.apache.flink.api.common.JobStatus. Schedulers report one of these;
 * outputs print its name. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* X (id, name, terminal) */
#define RSIM_JOB_STATUS_LIST(X)          \
  X (INITIALIZING, "INITIALIZING", FALSE) \
  X (CREATED, "CREATED", FALSE)          \
  X (RUNNING, "RUNNING", FALSE)          \
  X (FAILING, "FAILING", FALSE)          \
  X (FAILED, "FAILED", TRUE)             \
  X (CANCELLING, "CANCELLING", FALSE)    \
  X (CANCELED, "CANCELED", TRUE)         \
  X (FINISHED, "FINISHED", TRUE)         \
  X (RESTARTING, "RESTARTING", FALSE)    \
  X (SUSPENDED, "SUSPENDED", FALSE)      \
  X (RECONCILING, "RECONCILING", FALSE)

typedef enum {
#define RSIM_X(id, name, terminal) RSIM_JOB_##id,
  RSIM_JOB_STATUS_LIST (RSIM_X)
#undef RSIM_X
  RSIM_JOB_STATUS_COUNT
} RsimJobStatus;

/* "RUNNING" etc. (transfer none) */
const char *rsim_job_status_name (RsimJobStatus status);
/* FAILED, CANCELED and FINISHED: the job will not run again. */
gboolean rsim_job_status_is_terminal (RsimJobStatus status);

G_END_DECLS
