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
 * Reads without quorum (docs/architecture.md): a node that cannot reach a majority of its
 * cluster's votes still answers reads of the cluster database (enumerations, Get*State,
 * properties, dependencies) from the state it last applied, which may be out of date, and the
 * Win32 calls return such an answer as they return any other; on Windows a node without quorum
 * does not answer at all. This says which answers those were, for the reads made through
 * hCluster and the handles opened from it: *pfLastReadStale is TRUE when the latest read was
 * one, *lpdwStaleReads (optional) counts them since hCluster was opened, and lpszNodeName
 * (optional, with lpcchNodeName: the usual buffer rule) receives the name of the node that gave
 * the latest of them ("" if none). Returns ERROR_SUCCESS, ERROR_INVALID_HANDLE,
 * ERROR_INVALID_PARAMETER (pfLastReadStale NULL) or ERROR_MORE_DATA.
 */
CLUSAPI_API DWORD ClusapiGetReadStaleness(HCLUSTER hCluster, BOOL *pfLastReadStale,
                                          LPDWORD lpdwStaleReads, LPWSTR lpszNodeName,
                                          LPDWORD lpcchNodeName);

/*
 * Returns a node that holds leftovers of a cluster which no longer exists (or which evicted it)
 * to NotConfigured, as Clear-ClusterNode does on Windows. The node asks its former peers first:
 * if its cluster is still running and still lists it, the call fails with
 * ERROR_CLUSTER_NODE_ALREADY_MEMBER, unless fForce is TRUE. lpszNodeName NULL: the local node.
 * Returns ERROR_SUCCESS or a Win32 code.
 */
CLUSAPI_API DWORD ClusapiClearNode(LPCWSTR lpszNodeName, BOOL fForce);

/*
 * Sets one of the cluster's common properties by name, as Windows' ClusterControl with
 * CLUSCTL_CLUSTER_SET_COMMON_PROPERTIES does through a property list: SameSubnetDelay
 * (heartbeat interval, 250-2000 ms) or SameSubnetThreshold (missed heartbeats before a node is
 * Down, 3-120), the value in decimal. Every node applies it at once. Returns ERROR_SUCCESS,
 * ERROR_INVALID_PARAMETER for another name or a value out of bounds (nothing changes), or a
 * Win32 code.
 */
CLUSAPI_API DWORD ClusapiSetClusterProperty(HCLUSTER hCluster, LPCWSTR lpszName,
                                            LPCWSTR lpszValue);

/*
 * Reads one cluster property by name (any the cluster has, e.g. "ClusterName",
 * "SameSubnetDelay") into lpszValue (the usual buffer rule: ERROR_MORE_DATA and the length
 * needed in *lpcchValue if it is too small). ERROR_NOT_FOUND if the cluster has no such property.
 */
CLUSAPI_API DWORD ClusapiGetClusterProperty(HCLUSTER hCluster, LPCWSTR lpszName,
                                            LPWSTR lpszValue, LPDWORD lpcchValue);

/*
 * Administrator key rotation, without downtime, in two steps (docs/security.md):
 *
 * ClusapiInstallAdminKey: every member of hCluster's cluster also accepts the admin key in
 * lpszNewKeyFile (made by `clusctl keygen`, mode 0600), besides the key this process uses
 * ($CLUSAPI_AUTHKEY, else /etc/clusapi/authkey). Each node saves its keys before it answers,
 * and the call then proves that the new key opens a session on every member. All or nothing:
 * a member that is down or unreachable fails the call before anything changes
 * (ERROR_CLUSTER_NODE_DOWN, or the transport's status), and a failure part way withdraws the
 * new key from the members that took it. Sessions and clients using the current key carry on.
 *
 * ClusapiRetireAdminKeys: every member keeps only the key this process uses (by then the new
 * one) and refuses every other from its next handshake on. Needs every member, as above; a
 * failure part way leaves the nodes already done retired, and calling again finishes the job.
 *
 * Both return ERROR_SUCCESS or a Win32 code, with the reason in ClusapiLastErrorText().
 */
CLUSAPI_API DWORD ClusapiInstallAdminKey(HCLUSTER hCluster, LPCWSTR lpszNewKeyFile);
CLUSAPI_API DWORD ClusapiRetireAdminKeys(HCLUSTER hCluster);

/*
 * Replaces the cluster credential (the secret the nodes prove to each other for raft, heartbeats
 * and node-to-node requests) with a fresh one on every member, without stopping the cluster;
 * afterwards the old credential is refused everywhere. EvictClusterNode does the same after it
 * removes a node, so the evicted node's copy stops working. Needs the admin key and every member
 * Up or Paused (ERROR_CLUSTER_NODE_DOWN otherwise, and nothing changes).
 * Returns ERROR_SUCCESS or a Win32 code.
 */
CLUSAPI_API DWORD ClusapiRotateClusterCredential(HCLUSTER hCluster);

/*
 * CreateClusterResource with the resource's private properties, in one step: the leader checks
 * the type, the name and every property (a known parameter of the type, of its syntax, and
 * with fRequireComplete every required parameter present) before it stores anything, and then
 * stores the resource and its properties in one commit. A refusal leaves nothing behind, where
 * CreateClusterResource followed by ClusterResourceControl(SET_PRIVATE_PROPERTIES) could leave
 * a resource without its properties. pPrivatePropList is a CLUSPROP property list of
 * cbPrivatePropList bytes, as ClusterResourceControl takes (NULL with 0: none). Returns the
 * handle, or NULL + GetLastError(): ERROR_INVALID_DATA or ERROR_INVALID_PARAMETER for a
 * malformed list, ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND, ERROR_INVALID_PARAMETER for a missing
 * or ill-typed property (the reason in ClusapiLastErrorText()), or a code as for
 * CreateClusterResource.
 */
CLUSAPI_API HRESOURCE ClusapiCreateClusterResourceEx(HGROUP hGroup, LPCWSTR lpszResourceName,
                                                     LPCWSTR lpszResourceType, DWORD dwFlags,
                                                     PVOID pPrivatePropList,
                                                     DWORD cbPrivatePropList,
                                                     BOOL fRequireComplete);

/*
 * A resource type's parameters and action timeouts, as this node's driver for the type declares
 * them (for an OCF agent: its meta-data), with what the SDK's control codes cannot carry: each
 * parameter's description, whether it is required and its default. Windows has no equivalent;
 * ClusterResourceTypeControl(CLUSCTL_RESOURCE_TYPE_ENUM_PRIVATE_PROPERTIES) gives the names
 * alone.
 */
typedef struct CLUSAPI_RESTYPE_PARAM {
    LPCWSTR lpszName;
    DWORD dwSyntax;          /* CLUSPROP_SYNTAX_LIST_VALUE_*: DWORD, SZ, MULTI_SZ ... */
    BOOL fRequired;          /* a resource of the type cannot go online without it */
    LPCWSTR lpszDefault;     /* the default in text form (decimal for numbers); "" if none */
    LPCWSTR lpszDescription; /* "" if none */
} CLUSAPI_RESTYPE_PARAM, *PCLUSAPI_RESTYPE_PARAM;

typedef struct CLUSAPI_RESTYPE_INFO {
    DWORD cParams;
    PCLUSAPI_RESTYPE_PARAM pParams; /* cParams entries, inside the same buffer */
    DWORD dwStartTimeout;           /* the actions' default timeouts in ms; 0: not declared */
    DWORD dwStopTimeout;
    DWORD dwMonitorTimeout;
    DWORD dwValidateTimeout;
} CLUSAPI_RESTYPE_INFO, *PCLUSAPI_RESTYPE_INFO;

/*
 * Fills the caller's buffer pInfo of *lpcbInfo bytes with a CLUSAPI_RESTYPE_INFO followed by
 * everything its pointers point to (one block, as GetAdaptersAddresses does): the type
 * lpszResourceTypeName, registered or an installed "ocf:PROVIDER:AGENT". A NULL or short buffer
 * gets ERROR_MORE_DATA with the bytes needed in *lpcbInfo; on success *lpcbInfo is the bytes
 * used. Returns ERROR_SUCCESS, ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND, ERROR_INVALID_PARAMETER
 * (no name, no lpcbInfo), ERROR_INVALID_HANDLE, or the transport's code; the reason in
 * ClusapiLastErrorText().
 */
CLUSAPI_API DWORD ClusapiGetResourceTypeInfo(HCLUSTER hCluster, LPCWSTR lpszResourceTypeName,
                                             PCLUSAPI_RESTYPE_INFO pInfo, LPDWORD lpcbInfo);

/*
 * A member's part in the cluster's quorum, for tools that show the votes (`clusctl quorum
 * show`): *pdwFlags gets CLUSAPI_NODE_VOTER when it votes now, CLUSAPI_NODE_WITNESS when it
 * is the cluster's witness (a clussvc --witness: it votes and hosts nothing) and
 * CLUSAPI_NODE_STORAGE_FAULT while its state directory cannot take the cluster's log. Returns
 * ERROR_SUCCESS, ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER (pdwFlags NULL),
 * ERROR_CLUSTER_NODE_NOT_FOUND, or the transport's code.
 */
/*
 * Whether the clussvc at lpszAddress ("HOST[:PORT]", port default 3343) can be hCluster's
 * witness, asked before anything is created for it (`clusctl quorum set --witness`): it
 * answers, runs clussvc --witness, and is in no cluster or already hCluster's. Changes nothing.
 * Returns ERROR_SUCCESS, ERROR_INVALID_PARAMETER (a malformed address),
 * ERROR_NOT_QUORUM_CAPABLE (not a witness), ERROR_CLUSTER_NODE_ALREADY_MEMBER (another
 * cluster's), or the transport's code when it cannot be reached; the reason in
 * ClusapiLastErrorText().
 */
CLUSAPI_API DWORD ClusapiCheckWitness(HCLUSTER hCluster, LPCWSTR lpszAddress);

#define CLUSAPI_NODE_VOTER 0x00000001
#define CLUSAPI_NODE_WITNESS 0x00000002
/* Its state directory cannot take the cluster's log (full or read-only): it has no vote and is
 * given no group until that ends (StatusInformation NodeStatusAvoidPlacement meanwhile). */
#define CLUSAPI_NODE_STORAGE_FAULT 0x00000004
CLUSAPI_API DWORD ClusapiGetNodeQuorumFlags(HNODE hNode, LPDWORD pdwFlags);

#ifdef __cplusplus
}
#endif

#endif
