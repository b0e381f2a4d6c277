/*
 * clusapi_ext.h — clusapi's own additions to the Win32 cluster API. Nothing here exists on
 * Windows; a portable program does not need it.
 */
#ifndef CLUSAPI_EXT_H
#define CLUSAPI_EXT_H

#include <clusapi.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The reason, in English words (UTF-8), behind the calling thread's last failed clusapi call:
 * "node n2: 10.0.0.50 already answers on eth0". "" when the call gave no more than its code.
 * Valid until the thread's next clusapi call.
 */
CLUSAPI_API const char *ClusapiLastErrorText(void);

/*
 * Returns a node that holds leftovers of a cluster which no longer exists (or which evicted it)
 * to NotConfigured, as Clear-ClusterNode does on Windows. The node asks its former peers first:
 * if its cluster is still running and still lists it, the call fails with
 * ERROR_CLUSTER_NODE_ALREADY_MEMBER, unless fForce is TRUE. lpszNodeName NULL: the local node.
 * Returns ERROR_SUCCESS or a Win32 code.
 */
CLUSAPI_API DWORD ClusapiClearNode(LPCWSTR lpszNodeName, BOOL fForce);

/*
 * Replaces the cluster credential (the secret the nodes prove to each other for raft, heartbeats
 * and node-to-node requests) with a fresh one on every member, without stopping the cluster;
 * afterwards the old credential is refused everywhere. EvictClusterNode does the same after it
 * removes a node, so the evicted node's copy stops working. Needs the admin key and every member
 * Up or Paused (ERROR_CLUSTER_NODE_DOWN otherwise, and nothing changes).
 * Returns ERROR_SUCCESS or a Win32 code.
 */
CLUSAPI_API DWORD ClusapiRotateClusterCredential(HCLUSTER hCluster);

#ifdef __cplusplus
}
#endif

#endif
