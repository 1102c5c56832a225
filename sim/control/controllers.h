/* Internal API of the controllers (control layer): what the simulation
 * calls to run the scenario's "controllers" block. */
#pragma once

#include <rescalesim/simulation.h>

#include "sched/sched.h"

G_BEGIN_DECLS

typedef struct RsimControllers RsimControllers;

/* Starts the enabled controller's loop (nothing when none is enabled).
 * The controllers act through `scheduler` and world's cluster. */
RsimControllers *rsim__controllers_start (RsimWorld *world,
                                          RsimScheduler *scheduler,
                                          const RsimSimConfig *config);
/* The timeline's update_deployment: a changed Ververica Deployment. */
void rsim__controllers_update_deployment (RsimControllers *c,
                                          const int *parallelism);
void rsim__controllers_free (RsimControllers *c);
/* The job now runs under another scheduler (a Flink upgrade). */
void rsim__controllers_set_scheduler (RsimControllers *c,
                                      RsimScheduler *scheduler);

/* The operator autoscaler's loop (autoscaler.c). */
typedef struct RsimAutoscaler RsimAutoscaler;
RsimAutoscaler *rsim__autoscaler_new (RsimWorld *world,
                                      RsimScheduler *scheduler,
                                      const RsimSimConfig *config);
void rsim__autoscaler_free (RsimAutoscaler *a);
void rsim__autoscaler_set_scheduler (RsimAutoscaler *a, RsimScheduler *s);

/* The HorizontalPodAutoscaler's loop (hpa.c). */
typedef struct RsimHpa RsimHpa;
RsimHpa *rsim__hpa_start (RsimWorld *world, const RsimHpaSpec *spec);
void rsim__hpa_free (RsimHpa *hpa);

G_END_DECLS
