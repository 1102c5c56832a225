/* rescalesim: forward declarations of every opaque type, in one place.
 *
 * Public headers include this file instead of each other where they only
 * need a pointer to a type, so the layers stay independent (engine < model
 * < sched < control < scenario < report < harness < cli). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* engine/ */
typedef struct RsimEngine RsimEngine;
typedef struct RsimRng RsimRng;

/* model/ */
typedef struct RsimCluster RsimCluster;
typedef struct RsimTaskManager RsimTaskManager;
typedef struct RsimJobGraph RsimJobGraph;
typedef struct RsimDataflow RsimDataflow;
typedef struct RsimCheckpointCoordinator RsimCheckpointCoordinator;
typedef struct RsimRecorder RsimRecorder;

/* sched/ */
typedef struct RsimScheduler RsimScheduler;
typedef struct RsimRestartStrategy RsimRestartStrategy;

/* control/ */
typedef struct RsimSimulation RsimSimulation;

/* scenario/ */
typedef struct RsimScenario RsimScenario;

G_END_DECLS
