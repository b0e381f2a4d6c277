/*
 * rekey — replacing the cluster credential on every member without stopping the cluster
 * (cluster_rekey.c); shared by ClusapiRotateClusterCredential and eviction.
 */
#ifndef CLUSAPI_REKEY_H
#define CLUSAPI_REKEY_H

#include "lib/lib.h"

/* Moves every member of c's cluster to a fresh cluster credential; afterwards the old one is
 * refused everywhere. Every member must be Up (or Paused). Win32 status, last error text set. */
uint32_t rekey_cluster(struct cluster_handle *c);

#endif
