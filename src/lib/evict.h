/*
 * evict — taking a node out of a cluster, shared by EvictClusterNode(Ex) and DestroyCluster.
 */
#ifndef CLUSAPI_EVICT_H
#define CLUSAPI_EVICT_H

#include "lib/cluster_ops.h"

/* Removes the node from raft and the database (the leader checks quorum). Win32 status. */
DWORD evict_member(struct cluster_handle *c, const struct cluster_node *victim);
/* The whole eviction of node name: groups moved away, removed, wiped within timeout_ms; the
 * cleanup's outcome in *ret_cleanup (may be NULL). Win32 status. */
DWORD evict_node(struct cluster_handle *c, const char *name, DWORD timeout_ms,
                 HRESULT *ret_cleanup);

#endif
