/*
 * clusapi.h — the Windows Failover Cluster API, setup subset, for Linux.
 *
 * Source-compatible with Microsoft's clusapi.h for the calls declared here: a program written
 * against the Windows SDK header compiles unchanged. Names, values, struct layouts and
 * parameter names follow the SDK (cluster setup API reference, §1-§5); WINAPI expands to
 * nothing and all strings are UTF-16 (WCHAR = char16_t), see clusapi_wintypes.h.
 *
 * Return conventions (REFERENCE §4):
 *   - A function returning a handle returns NULL on failure; GetLastError() gives the reason.
 *   - A function returning DWORD returns ERROR_SUCCESS (0) or a Win32 error code.
 *   - Every *lpcch... parameter is a size in WCHARs: on input the buffer size including the
 *     terminating NUL, on output the string length excluding it. A buffer too small fails with
 *     ERROR_MORE_DATA and the needed length (excluding the NUL) is written back.
 *   - The last error is thread-local.
 *
 * Usable from C99 (-std=c99 -pedantic), C11 and C++.
 */
#ifndef _CLUSTER_API_
#define _CLUSTER_API_

#include "clusapi_wintypes.h"

/* ---------------------------------------------------------------------------------------- */
/* Versions                                                                                 */
/* ---------------------------------------------------------------------------------------- */

#define CLUSAPI_VERSION_SERVER2008 0x00000600
#define CLUSAPI_VERSION_SERVER2008R2 0x00000700
#define CLUSAPI_VERSION_WINDOWS8 0x00000701
#define CLUSAPI_VERSION_WINDOWSBLUE 0x00000702
#define CLUSAPI_VERSION_WINTHRESHOLD 0x00000703
#define CLUSAPI_VERSION_RS3 0x00000A00
#define CLUSAPI_VERSION_NI 0x00000A0C
#define CLUSAPI_VERSION_CU 0x00000C03
#define CLUSAPI_VERSION_ZN 0x00000C04
#define CLUSAPI_VERSION_GA 0x00000C05

/*
 * Default CLUSAPI_VERSION: the newest one NTDDI_VERSION allows, GA when NTDDI_VERSION is not
 * defined (the normal case on Linux). The NTDDI_* values are spelled as numbers because
 * sdkddkver.h is not available here: WIN7 0x06010000, WIN8 0x06020000, WINBLUE 0x06030000,
 * WINTHRESHOLD 0x0A000000, WIN10_RS3 0x0A000004, WIN10_NI 0x0A00000C, WIN10_CU 0x0A00000D,
 * WIN11_ZN 0x0A00000E, WIN11_GA 0x0A00000F.
 */
#ifndef CLUSAPI_VERSION
#if !defined(NTDDI_VERSION) || (NTDDI_VERSION >= 0x0A00000F)
#define CLUSAPI_VERSION CLUSAPI_VERSION_GA
#elif NTDDI_VERSION >= 0x0A00000E
#define CLUSAPI_VERSION CLUSAPI_VERSION_ZN
#elif NTDDI_VERSION >= 0x0A00000D
#define CLUSAPI_VERSION CLUSAPI_VERSION_CU
#elif NTDDI_VERSION >= 0x0A00000C
#define CLUSAPI_VERSION CLUSAPI_VERSION_NI
#elif NTDDI_VERSION >= 0x0A000004
#define CLUSAPI_VERSION CLUSAPI_VERSION_RS3
#elif NTDDI_VERSION >= 0x0A000000
#define CLUSAPI_VERSION CLUSAPI_VERSION_WINTHRESHOLD
#elif NTDDI_VERSION >= 0x06030000
#define CLUSAPI_VERSION CLUSAPI_VERSION_WINDOWSBLUE
#elif NTDDI_VERSION >= 0x06020000
#define CLUSAPI_VERSION CLUSAPI_VERSION_WINDOWS8
#elif NTDDI_VERSION >= 0x06010000
#define CLUSAPI_VERSION CLUSAPI_VERSION_SERVER2008R2
#else
#define CLUSAPI_VERSION CLUSAPI_VERSION_SERVER2008
#endif
#endif /* CLUSAPI_VERSION */

#define CREATE_CLUSTER_VERSION CLUSAPI_VERSION_SERVER2008
#define CREATE_CLUSTER_MAJOR_VERSION_MASK 0xFFFFFF00

#define CLUSTER_VERSION_FLAG_MIXED_MODE 0x00000001
#define CLUSTER_VERSION_UNKNOWN 0xFFFFFFFF
#define CLUSTER_MAKE_VERSION(_maj, _min) (((_maj) << 16) | (_min))
#define CLUSTER_GET_MAJOR_VERSION(_ver) ((_ver) >> 16)
#define CLUSTER_GET_MINOR_VERSION(_ver) ((_ver)&0xFFFF)
#define CLUSTER_GET_UPGRADE_VERSION(_ver) ((_ver)&0xFFFF)

/* Node cluster-state bits, combined in NODE_CLUSTER_STATE. */
#define CLUSTER_INSTALLED 0x00000001
#define CLUSTER_CONFIGURED 0x00000002
#define CLUSTER_RUNNING 0x00000010

/*
 * CLUSAPI_CALL takes the place of WINAPI in every declaration and function-pointer typedef of
 * this header. On x86-64 Linux WINAPI means the native convention (REFERENCE §7.5), which is
 * how libclusapi is built. A Win32 header included earlier may have defined WINAPI as
 * something else (Wine's winelib makes it __attribute__((ms_abi))); using it here would make
 * callers and callbacks disagree with the library about the ABI. With CLUSAPI_CALL such a
 * mismatch shows up as an incompatible-pointer diagnostic instead of a crash.
 */
#define CLUSAPI_CALL

/*
 * Every function below is exported from libclusapi, which is built with -fvisibility=hidden.
 */
#ifndef CLUSAPI_API
#if defined(__GNUC__) || defined(__clang__)
#define CLUSAPI_API __attribute__((visibility("default")))
#else
#define CLUSAPI_API
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

#ifndef _CLUSTER_API_TYPES_

/* ---------------------------------------------------------------------------------------- */
/* Handles: each a pointer to its own incomplete struct, so they do not convert silently    */
/* ---------------------------------------------------------------------------------------- */

typedef struct _HCLUSTER *HCLUSTER;
typedef struct _HNODE *HNODE;
typedef struct _HRESOURCE *HRESOURCE;
typedef struct _HGROUP *HGROUP;
typedef struct _HNETWORK *HNETWORK;
typedef struct _HNETINTERFACE *HNETINTERFACE;
typedef struct _HCHANGE *HCHANGE;
typedef struct _HCLUSENUM *HCLUSENUM;
typedef struct _HGROUPENUM *HGROUPENUM;
typedef struct _HRESENUM *HRESENUM;
typedef struct _HNETWORKENUM *HNETWORKENUM;
typedef struct _HNODEENUM *HNODEENUM;
typedef struct _HRESTYPEENUM *HRESTYPEENUM;

/* ---------------------------------------------------------------------------------------- */
/* Cluster, node, group and resource state                                                  */
/* ---------------------------------------------------------------------------------------- */

typedef enum CLUSTER_QUORUM_TYPE {
    OperationalQuorum,
    ModifyQuorum
} CLUSTER_QUORUM_TYPE;

typedef struct CLUSTERVERSIONINFO {
    DWORD dwVersionInfoSize; /* caller sets sizeof(CLUSTERVERSIONINFO) */
    WORD MajorVersion;
    WORD MinorVersion;
    WORD BuildNumber;
    WCHAR szVendorId[64];
    WCHAR szCSDVersion[64];
    DWORD dwClusterHighestVersion;
    DWORD dwClusterLowestVersion;
    DWORD dwFlags; /* CLUSTER_VERSION_FLAG_MIXED_MODE */
    DWORD dwReserved;
} CLUSTERVERSIONINFO, *LPCLUSTERVERSIONINFO, *PCLUSTERVERSIONINFO;

typedef enum NODE_CLUSTER_STATE {
    ClusterStateNotInstalled = 0x00000000,
    ClusterStateNotConfigured = CLUSTER_INSTALLED,
    ClusterStateNotRunning = CLUSTER_INSTALLED | CLUSTER_CONFIGURED,
    ClusterStateRunning = CLUSTER_INSTALLED | CLUSTER_CONFIGURED | CLUSTER_RUNNING
} NODE_CLUSTER_STATE;

typedef enum CLUSTER_NODE_STATE {
    ClusterNodeStateUnknown = -1,
    ClusterNodeUp,
    ClusterNodeDown,
    ClusterNodePaused,
    ClusterNodeJoining
} CLUSTER_NODE_STATE;

typedef enum CLUSTER_GROUP_STATE {
    ClusterGroupStateUnknown = -1,
    ClusterGroupOnline,
    ClusterGroupOffline,
    ClusterGroupFailed,
    ClusterGroupPartialOnline,
    ClusterGroupPending
} CLUSTER_GROUP_STATE;

typedef enum CLUSTER_RESOURCE_STATE {
    ClusterResourceStateUnknown = -1,
    ClusterResourceInherited = 0,
    ClusterResourceInitializing = 1,
    ClusterResourceOnline = 2,
    ClusterResourceOffline = 3,
    ClusterResourceFailed = 4,
    ClusterResourcePending = 128,
    ClusterResourceOnlinePending = 129,
    ClusterResourceOfflinePending = 130
} CLUSTER_RESOURCE_STATE;

/*
 * Object types for ClusterOpenEnum / ClusterEnum. CLUSTER_ENUM_INTERNAL_NETWORK is 0x80000000,
 * written as INT_MIN because ISO C requires enumerators to fit in int; converted to DWORD it
 * is 0x80000000, exactly as with the SDK's (int-sized) enum.
 */
typedef enum CLUSTER_ENUM {
    CLUSTER_ENUM_NODE = 0x00000001,
    CLUSTER_ENUM_RESTYPE = 0x00000002,
    CLUSTER_ENUM_RESOURCE = 0x00000004,
    CLUSTER_ENUM_GROUP = 0x00000008,
    CLUSTER_ENUM_NETWORK = 0x00000010,
    CLUSTER_ENUM_NETINTERFACE = 0x00000020,
    CLUSTER_ENUM_CAPACITY_NODE = 0x10000000,
    CLUSTER_ENUM_SHARED_VOLUME_GROUP = 0x20000000,
    CLUSTER_ENUM_SHARED_VOLUME_RESOURCE = 0x40000000, /* use alone */
    CLUSTER_ENUM_INTERNAL_NETWORK = -2147483647 - 1,  /* 0x80000000; use alone */
    CLUSTER_ENUM_ALL = CLUSTER_ENUM_NODE | CLUSTER_ENUM_RESTYPE | CLUSTER_ENUM_RESOURCE |
                       CLUSTER_ENUM_GROUP | CLUSTER_ENUM_NETWORK | CLUSTER_ENUM_NETINTERFACE
} CLUSTER_ENUM;

/* ---------------------------------------------------------------------------------------- */
/* Setup configuration                                                                      */
/* ---------------------------------------------------------------------------------------- */

typedef enum {
    CLUSTER_MGMT_POINT_TYPE_NONE = 0,
    CLUSTER_MGMT_POINT_TYPE_CNO = 1,
    CLUSTER_MGMT_POINT_TYPE_DNS_ONLY = 2,
    CLUSTER_MGMT_POINT_TYPE_CNO_ONLY = 3
} CLUSTER_MGMT_POINT_TYPE;

typedef enum {
    CLUSTER_MGMT_POINT_RESTYPE_AUTO = 0,
    CLUSTER_MGMT_POINT_RESTYPE_SNN = 1,
    CLUSTER_MGMT_POINT_RESTYPE_DNN = 2
} CLUSTER_MGMT_POINT_RESTYPE, *PCLUSTER_MGMT_POINT_RESTYPE;

typedef enum {
    CLUSTER_CLOUD_TYPE_NONE = 0,
    CLUSTER_CLOUD_TYPE_AZURE = 1,
    CLUSTER_CLOUD_TYPE_MIXED = 128,
    CLUSTER_CLOUD_TYPE_UNKNOWN = -1
} CLUSTER_CLOUD_TYPE, *PCLUSTER_CLOUD_TYPE;

typedef struct _CLUSTER_IP_ENTRY {
    PCWSTR lpszIpAddress; /* numeric IPv4 or IPv6 address; network id + prefix = DHCP */
    DWORD dwPrefixLength;
} CLUSTER_IP_ENTRY, *PCLUSTER_IP_ENTRY;

/*
 * Members are only ever appended; the library reads the tail only when dwVersion allows it
 * (REFERENCE §3). Callers store CLUSAPI_VERSION in dwVersion.
 */
typedef struct _CREATE_CLUSTER_CONFIG {
    DWORD dwVersion;
    PCWSTR lpszClusterName;
    DWORD cNodes;
    PCWSTR *ppszNodeNames;
    DWORD cIpEntries;
    PCLUSTER_IP_ENTRY pIpEntries; /* array of cIpEntries structs */
    BOOLEAN fEmptyCluster;
    CLUSTER_MGMT_POINT_TYPE managementPointType;       /* dwVersion >= WINDOWSBLUE */
    CLUSTER_MGMT_POINT_RESTYPE managementPointResType; /* dwVersion >= RS3 */
    PCWSTR pszUserName;                                /* these three: dwVersion >= GA */
    PCWSTR pszPassword;
    PCWSTR pszDomain;
} CREATE_CLUSTER_CONFIG, *PCREATE_CLUSTER_CONFIG;

/* Fields as documented for CREATE_CLUSTER_NAME_ACCOUNT (Windows Server 2016 and later). */
typedef struct _CREATE_CLUSTER_NAME_ACCOUNT {
    DWORD dwVersion; /* greater than CLUSAPI_VERSION_WINDOWSBLUE */
    PCWSTR lpszClusterName;
    DWORD dwFlags; /* reserved, 0 */
    PCWSTR pszUserName;
    PCWSTR pszPassword;
    PCWSTR pszDomain;
    CLUSTER_MGMT_POINT_TYPE managementPointType;
    CLUSTER_MGMT_POINT_RESTYPE managementPointResType; /* dwVersion >= RS3 */
    BOOLEAN bUpgradeVCOs;                              /* dwVersion >= RS3, CNO only */
} CREATE_CLUSTER_NAME_ACCOUNT, *PCREATE_CLUSTER_NAME_ACCOUNT;

/* ---------------------------------------------------------------------------------------- */
/* Setup progress callback                                                                  */
/* ---------------------------------------------------------------------------------------- */

/* Phases may reach the callback in any order. 101 is unassigned. */
typedef enum _CLUSTER_SETUP_PHASE {
    ClusterSetupPhaseInitialize = 1,

    ClusterSetupPhaseValidateNodeState = 100,
    ClusterSetupPhaseValidateNetft = 102,
    ClusterSetupPhaseValidateClusDisk = 103,
    ClusterSetupPhaseConfigureClusSvc = 104,
    ClusterSetupPhaseStartingClusSvc = 105,
    ClusterSetupPhaseQueryClusterNameAccount = 106,
    ClusterSetupPhaseValidateClusterNameAccount = 107,
    ClusterSetupPhaseCreateClusterAccount = 108,
    ClusterSetupPhaseConfigureClusterAccount = 109,

    ClusterSetupPhaseFormingCluster = 200,
    ClusterSetupPhaseAddClusterProperties = 201,
    ClusterSetupPhaseCreateResourceTypes = 202,
    ClusterSetupPhaseCreateGroups = 203,
    ClusterSetupPhaseCreateIPAddressResources = 204,
    ClusterSetupPhaseCreateNetworkName = 205,
    ClusterSetupPhaseClusterGroupOnline = 206,

    ClusterSetupPhaseGettingCurrentMembership = 300,
    ClusterSetupPhaseAddNodeToCluster = 301,
    ClusterSetupPhaseNodeUp = 302,
    ClusterSetupPhaseApplyNetworkATCIntents = 303,

    ClusterSetupPhaseMoveGroup = 400,
    ClusterSetupPhaseDeleteGroup = 401,
    ClusterSetupPhaseCleanupCOs = 402,
    ClusterSetupPhaseOfflineGroup = 403,
    ClusterSetupPhaseEvictNode = 404,
    ClusterSetupPhaseCleanupNode = 405,
    ClusterSetupPhaseCoreGroupCleanup = 406,

    ClusterSetupPhaseRepairCNOAccount = 500,
    ClusterSetupPhaseRepairDNSPermissions = 501,

    ClusterSetupPhaseFailureCleanup = 999
} CLUSTER_SETUP_PHASE;

typedef enum _CLUSTER_SETUP_PHASE_TYPE {
    ClusterSetupPhaseStart = 1,
    ClusterSetupPhaseContinue = 2,
    ClusterSetupPhaseEnd = 3,
    ClusterSetupPhaseReport = 4
} CLUSTER_SETUP_PHASE_TYPE;

typedef enum _CLUSTER_SETUP_PHASE_SEVERITY {
    ClusterSetupPhaseInformational = 1,
    ClusterSetupPhaseWarning = 2,
    ClusterSetupPhaseFatal = 3
} CLUSTER_SETUP_PHASE_SEVERITY;

/*
 * Progress callback of the setup calls. Runs synchronously on the caller's thread, inside the
 * API call, never concurrently with itself and never after the call returned. Return TRUE to
 * continue; FALSE cancels at the next step boundary (ERROR_CANCELLED), except during
 * FailureCleanup and DestroyCluster, which always run to the end. dwStatus is a Win32 code or
 * an HRESULT, 0 on success; dwPercentComplete never decreases within one call and the final
 * End of a successful call carries 100.
 */
typedef BOOL(CLUSAPI_CALL *PCLUSTER_SETUP_PROGRESS_CALLBACK)(
    PVOID pvCallbackArg, CLUSTER_SETUP_PHASE eSetupPhase, CLUSTER_SETUP_PHASE_TYPE ePhaseType,
    CLUSTER_SETUP_PHASE_SEVERITY ePhaseSeverity, DWORD dwPercentComplete, PCWSTR lpszObjectName,
    DWORD dwStatus);

#define _CLUSTER_API_TYPES_
#endif /* _CLUSTER_API_TYPES_ */

/* ---------------------------------------------------------------------------------------- */
/* Thread-local last error                                                                  */
/* ---------------------------------------------------------------------------------------- */

/*
 * The reason for the last failure of a handle-returning call on this thread. A program that
 * already gets these from another Win32 header (Wine's winbase.h) or implements them itself
 * defines CLUSAPI_NO_LASTERROR; they are then left undeclared here.
 */
#if !defined(CLUSAPI_NO_LASTERROR) && !defined(_WINBASE_) && !defined(__WINE_WINBASE_H)
CLUSAPI_API DWORD CLUSAPI_CALL GetLastError(void);
CLUSAPI_API void CLUSAPI_CALL SetLastError(DWORD dwErrCode);
#endif

/* ---------------------------------------------------------------------------------------- */
/* Cluster handles                                                                          */
/* ---------------------------------------------------------------------------------------- */

/*
 * Opens the cluster: NULL = the local cluster, else a NetBIOS name, FQDN or IP address.
 * Returns a handle for CloseCluster, or NULL + GetLastError().
 */
CLUSAPI_API HCLUSTER CLUSAPI_CALL OpenCluster(LPCWSTR lpszClusterName);
typedef HCLUSTER(CLUSAPI_CALL *PCLUSAPI_OPEN_CLUSTER)(LPCWSTR lpszClusterName);

#if CLUSAPI_VERSION >= CLUSAPI_VERSION_SERVER2008R2
/*
 * OpenCluster with access rights (GENERIC_READ, GENERIC_ALL, MAXIMUM_ALLOWED); *GrantedAccess
 * (optional) receives what was granted. NULL + GetLastError() on failure.
 */
CLUSAPI_API HCLUSTER CLUSAPI_CALL OpenClusterEx(LPCWSTR lpszClusterName, DWORD DesiredAccess,
                                                DWORD *GrantedAccess);
typedef HCLUSTER(CLUSAPI_CALL *PCLUSAPI_OPEN_CLUSTER_EX)(LPCWSTR lpszClusterName,
                                                         DWORD dwDesiredAccess,
                                                         LPDWORD lpdwGrantedAccess);
#endif

/* Closes a cluster handle; handles opened through it become invalid. Returns TRUE. */
CLUSAPI_API BOOL CLUSAPI_CALL CloseCluster(HCLUSTER hCluster);
typedef BOOL(CLUSAPI_CALL *PCLUSAPI_CLOSE_CLUSTER)(HCLUSTER hCluster);

/*
 * Copies the cluster name into lpszClusterName (size in WCHARs in *lpcchClusterName, see the
 * buffer rule at the top) and, if lpClusterInfo is not NULL, fills the version information
 * (the caller sets dwVersionInfoSize). Returns ERROR_SUCCESS, ERROR_MORE_DATA or another code.
 */
CLUSAPI_API DWORD CLUSAPI_CALL GetClusterInformation(HCLUSTER hCluster, LPWSTR lpszClusterName,
                                                     LPDWORD lpcchClusterName,
                                                     LPCLUSTERVERSIONINFO lpClusterInfo);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_GET_CLUSTER_INFORMATION)(HCLUSTER hCluster,
                                                              LPWSTR lpszClusterName,
                                                              LPDWORD lpcchClusterName,
                                                              LPCLUSTERVERSIONINFO lpClusterInfo);

/*
 * Writes the clustering state of a computer (NULL = this one) to *pdwClusterState as a
 * NODE_CLUSTER_STATE. Returns ERROR_SUCCESS or a Win32 code.
 */
CLUSAPI_API DWORD CLUSAPI_CALL GetNodeClusterState(LPCWSTR lpszNodeName, LPDWORD pdwClusterState);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_GET_NODE_CLUSTER_STATE)(LPCWSTR lpszNodeName,
                                                             LPDWORD pdwClusterState);

/* ---------------------------------------------------------------------------------------- */
/* Enumeration                                                                              */
/* ---------------------------------------------------------------------------------------- */

/* Opens an enumeration of the objects selected by dwType (a CLUSTER_ENUM mask). NULL + GLE. */
CLUSAPI_API HCLUSENUM CLUSAPI_CALL ClusterOpenEnum(HCLUSTER hCluster, DWORD dwType);
typedef HCLUSENUM(CLUSAPI_CALL *PCLUSAPI_CLUSTER_OPEN_ENUM)(HCLUSTER hCluster, DWORD dwType);

/* Returns the number of items in the enumeration. */
CLUSAPI_API DWORD CLUSAPI_CALL ClusterGetEnumCount(HCLUSENUM hEnum);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_CLUSTER_GET_ENUM_COUNT)(HCLUSENUM hEnum);

/*
 * Returns item dwIndex: its type in *lpdwType, its name in lpszName (buffer rule above).
 * Returns ERROR_SUCCESS, ERROR_NO_MORE_ITEMS past the end, or ERROR_MORE_DATA.
 */
CLUSAPI_API DWORD CLUSAPI_CALL ClusterEnum(HCLUSENUM hEnum, DWORD dwIndex, LPDWORD lpdwType,
                                           LPWSTR lpszName, LPDWORD lpcchName);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_CLUSTER_ENUM)(HCLUSENUM hEnum, DWORD dwIndex, LPDWORD lpdwType,
                                                   LPWSTR lpszName, LPDWORD lpcchName);

/* Frees the enumeration. Returns ERROR_SUCCESS. */
CLUSAPI_API DWORD CLUSAPI_CALL ClusterCloseEnum(HCLUSENUM hEnum);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_CLUSTER_CLOSE_ENUM)(HCLUSENUM hEnum);

/* ---------------------------------------------------------------------------------------- */
/* Nodes                                                                                    */
/* ---------------------------------------------------------------------------------------- */

/*
 * Opens a member node by NetBIOS name; a DNS name fails with ERROR_CLUSTER_NODE_NOT_FOUND.
 * Returns a handle for CloseClusterNode, or NULL + GetLastError().
 */
CLUSAPI_API HNODE CLUSAPI_CALL OpenClusterNode(HCLUSTER hCluster, LPCWSTR lpszNodeName);
typedef HNODE(CLUSAPI_CALL *PCLUSAPI_OPEN_CLUSTER_NODE)(HCLUSTER hCluster, LPCWSTR lpszNodeName);

#if CLUSAPI_VERSION >= CLUSAPI_VERSION_SERVER2008R2
/* OpenClusterNode with access rights, as OpenClusterEx. NULL + GetLastError() on failure. */
CLUSAPI_API HNODE CLUSAPI_CALL OpenClusterNodeEx(HCLUSTER hCluster, LPCWSTR lpszNodeName,
                                                 DWORD dwDesiredAccess, DWORD *lpdwGrantedAccess);
typedef HNODE(CLUSAPI_CALL *PCLUSAPI_OPEN_CLUSTER_NODE_EX)(HCLUSTER hCluster, LPCWSTR lpszNodeName,
                                                           DWORD dwDesiredAccess,
                                                           LPDWORD lpdwGrantedAccess);
#endif

/* Closes a node handle. Returns TRUE, or FALSE + GetLastError(). */
CLUSAPI_API BOOL CLUSAPI_CALL CloseClusterNode(HNODE hNode);
typedef BOOL(CLUSAPI_CALL *PCLUSAPI_CLOSE_CLUSTER_NODE)(HNODE hNode);

/* Returns the node's state, or ClusterNodeStateUnknown + GetLastError(). */
CLUSAPI_API CLUSTER_NODE_STATE CLUSAPI_CALL GetClusterNodeState(HNODE hNode);
typedef CLUSTER_NODE_STATE(CLUSAPI_CALL *PCLUSAPI_GET_CLUSTER_NODE_STATE)(HNODE hNode);

/* Pauses a node: it stays a member but hosts no groups. Returns ERROR_SUCCESS or a code. */
CLUSAPI_API DWORD CLUSAPI_CALL PauseClusterNode(HNODE hNode);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_PAUSE_CLUSTER_NODE)(HNODE hNode);

/* Resumes a paused node. Returns ERROR_SUCCESS or a Win32 code. */
CLUSAPI_API DWORD CLUSAPI_CALL ResumeClusterNode(HNODE hNode);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_RESUME_CLUSTER_NODE)(HNODE hNode);

/* Deletes the node from the cluster database. Returns ERROR_SUCCESS or a Win32 code. */
CLUSAPI_API DWORD CLUSAPI_CALL EvictClusterNode(HNODE hNode);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_EVICT_CLUSTER_NODE)(HNODE hNode);

/*
 * Evicts the node, then waits up to dwTimeOut ms for its cleanup, whose result goes to
 * *phrCleanupStatus. Returns ERROR_SUCCESS; ERROR_CLUSTER_EVICT_WITHOUT_CLEANUP when the node
 * was evicted but not cleaned up; another code if it was not evicted.
 */
CLUSAPI_API DWORD CLUSAPI_CALL EvictClusterNodeEx(HNODE hNode, DWORD dwTimeOut,
                                                  HRESULT *phrCleanupStatus);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_EVICT_CLUSTER_NODE_EX)(HNODE hNode, DWORD dwTimeOut,
                                                            HRESULT *phrCleanupStatus);

#if CLUSAPI_VERSION >= CLUSAPI_VERSION_NI
/* EvictClusterNodeEx with an optional reason string recorded with the eviction. */
CLUSAPI_API DWORD CLUSAPI_CALL EvictClusterNodeEx2(HNODE hNode, DWORD dwTimeout,
                                                   HRESULT *phrCleanupStatus, LPCWSTR lpszReason);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_EVICT_CLUSTER_NODE_EX2)(HNODE hNode, DWORD dwTimeout,
                                                             HRESULT *phrCleanupStatus,
                                                             LPCWSTR lpszReason);
#endif

/* ---------------------------------------------------------------------------------------- */
/* Groups                                                                                   */
/* ---------------------------------------------------------------------------------------- */

/* Opens a group by name. NULL + GetLastError() (typically ERROR_GROUP_NOT_FOUND). */
CLUSAPI_API HGROUP CLUSAPI_CALL OpenClusterGroup(HCLUSTER hCluster, LPCWSTR lpszGroupName);
typedef HGROUP(CLUSAPI_CALL *PCLUSAPI_OPEN_CLUSTER_GROUP)(HCLUSTER hCluster, LPCWSTR lpszGroupName);

/*
 * Creates an empty group (Offline, no owner) and opens it. NULL + GetLastError(): for example
 * ERROR_OBJECT_ALREADY_EXISTS, ERROR_INVALID_PARAMETER for a NULL or empty name.
 */
CLUSAPI_API HGROUP CLUSAPI_CALL CreateClusterGroup(HCLUSTER hCluster, LPCWSTR lpszGroupName);
typedef HGROUP(CLUSAPI_CALL *PCLUSAPI_CREATE_CLUSTER_GROUP)(HCLUSTER hCluster,
                                                           LPCWSTR lpszGroupName);

/*
 * Removes an offline, empty group (the handle stays open: close it). Returns ERROR_SUCCESS,
 * ERROR_INVALID_STATE if it is not offline, ERROR_DIR_NOT_EMPTY if it has resources.
 */
CLUSAPI_API DWORD CLUSAPI_CALL DeleteClusterGroup(HGROUP hGroup);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_DELETE_CLUSTER_GROUP)(HGROUP hGroup);

/* Closes a group handle. Returns TRUE, or FALSE + GetLastError(). */
CLUSAPI_API BOOL CLUSAPI_CALL CloseClusterGroup(HGROUP hGroup);
typedef BOOL(CLUSAPI_CALL *PCLUSAPI_CLOSE_CLUSTER_GROUP)(HGROUP hGroup);

/*
 * Returns the group's state and, if lpszNodeName is not NULL, its owner node's name (buffer
 * rule above). On error returns ClusterGroupStateUnknown + GetLastError().
 */
CLUSAPI_API CLUSTER_GROUP_STATE CLUSAPI_CALL GetClusterGroupState(HGROUP hGroup,
                                                                  LPWSTR lpszNodeName,
                                                                  LPDWORD lpcchNodeName);
typedef CLUSTER_GROUP_STATE(CLUSAPI_CALL *PCLUSAPI_GET_CLUSTER_GROUP_STATE)(HGROUP hGroup,
                                                                            LPWSTR lpszNodeName,
                                                                            LPDWORD lpcchNodeName);

/*
 * Brings the group online, on hDestinationNode if not NULL. Returns ERROR_SUCCESS,
 * ERROR_IO_PENDING while in progress, or a code such as ERROR_HOST_NODE_NOT_AVAILABLE.
 */
CLUSAPI_API DWORD CLUSAPI_CALL OnlineClusterGroup(HGROUP hGroup, HNODE hDestinationNode);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_ONLINE_CLUSTER_GROUP)(HGROUP hGroup, HNODE hDestinationNode);

/* Takes the group offline. Returns ERROR_SUCCESS, ERROR_IO_PENDING or a Win32 code. */
CLUSAPI_API DWORD CLUSAPI_CALL OfflineClusterGroup(HGROUP hGroup);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_OFFLINE_CLUSTER_GROUP)(HGROUP hGroup);

/*
 * Moves the group to hDestinationNode (NULL = the best node). Returns ERROR_SUCCESS,
 * ERROR_IO_PENDING or a Win32 code; on failure the group keeps its previous placement.
 */
CLUSAPI_API DWORD CLUSAPI_CALL MoveClusterGroup(HGROUP hGroup, HNODE hDestinationNode);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_MOVE_CLUSTER_GROUP)(HGROUP hGroup, HNODE hDestinationNode);

/* Sets the group's preferred owners, most preferred first (NodeCount 0 clears the list).
 * Returns ERROR_SUCCESS or a Win32 code. */
CLUSAPI_API DWORD CLUSAPI_CALL SetClusterGroupNodeList(HGROUP hGroup, DWORD NodeCount,
                                                       HNODE NodeList[]);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_SET_CLUSTER_GROUP_NODE_LIST)(HGROUP hGroup, DWORD NodeCount,
                                                                  HNODE NodeList[]);

/* ---------------------------------------------------------------------------------------- */
/* Resources                                                                                */
/* ---------------------------------------------------------------------------------------- */

/* Opens a resource by name. NULL + GetLastError() (typically ERROR_RESOURCE_NOT_FOUND). */
CLUSAPI_API HRESOURCE CLUSAPI_CALL OpenClusterResource(HCLUSTER hCluster, LPCWSTR lpszResourceName);
typedef HRESOURCE(CLUSAPI_CALL *PCLUSAPI_OPEN_CLUSTER_RESOURCE)(HCLUSTER hCluster,
                                                                LPCWSTR lpszResourceName);

/* Closes a resource handle. Returns TRUE, or FALSE + GetLastError(). */
CLUSAPI_API BOOL CLUSAPI_CALL CloseClusterResource(HRESOURCE hResource);
typedef BOOL(CLUSAPI_CALL *PCLUSAPI_CLOSE_CLUSTER_RESOURCE)(HRESOURCE hResource);

/*
 * Returns the resource's state and, for each non-NULL buffer, the owner node's and the
 * group's names (buffer rule above). On error returns ClusterResourceStateUnknown + GLE.
 */
CLUSAPI_API CLUSTER_RESOURCE_STATE CLUSAPI_CALL GetClusterResourceState(HRESOURCE hResource,
                                                                        LPWSTR lpszNodeName,
                                                                        LPDWORD lpcchNodeName,
                                                                        LPWSTR lpszGroupName,
                                                                        LPDWORD lpcchGroupName);
typedef CLUSTER_RESOURCE_STATE(CLUSAPI_CALL *PCLUSAPI_GET_CLUSTER_RESOURCE_STATE)(
    HRESOURCE hResource, LPWSTR lpszNodeName, LPDWORD lpcchNodeName, LPWSTR lpszGroupName,
    LPDWORD lpcchGroupName);

/*
 * Creates a resource of type lpszResourceType (a registered type, e.g. L"IP Address" or
 * L"ocf:heartbeat:nginx") in hGroup, Offline and without private properties, and opens it.
 * dwFlags: CLUSTER_RESOURCE_DEFAULT_MONITOR or CLUSTER_RESOURCE_SEPARATE_MONITOR. Returns the
 * handle, or NULL + GetLastError(): ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND,
 * ERROR_OBJECT_ALREADY_EXISTS, ERROR_INVALID_PARAMETER ...
 */
CLUSAPI_API HRESOURCE CLUSAPI_CALL CreateClusterResource(HGROUP hGroup, LPCWSTR lpszResourceName,
                                                         LPCWSTR lpszResourceType, DWORD dwFlags);
typedef HRESOURCE(CLUSAPI_CALL *PCLUSAPI_CREATE_CLUSTER_RESOURCE)(HGROUP hGroup,
                                                                  LPCWSTR lpszResourceName,
                                                                  LPCWSTR lpszResourceType,
                                                                  DWORD dwFlags);

/*
 * Deletes an Offline or Failed resource that no other resource depends on (the handle stays
 * open: close it). Returns ERROR_SUCCESS or a Win32 code (ERROR_RESOURCE_ONLINE while it is
 * not Offline or Failed, ERROR_DEPENDENT_RESOURCE_EXISTS ...).
 */
CLUSAPI_API DWORD CLUSAPI_CALL DeleteClusterResource(HRESOURCE hResource);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_DELETE_CLUSTER_RESOURCE)(HRESOURCE hResource);

/* Treats the resource as failed: its owner applies the restart and failover policies.
 * Returns ERROR_SUCCESS or a Win32 code. */
CLUSAPI_API DWORD CLUSAPI_CALL FailClusterResource(HRESOURCE hResource);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_FAIL_CLUSTER_RESOURCE)(HRESOURCE hResource);

/*
 * Brings the resource online on its group's owner, its providers first. Returns
 * ERROR_SUCCESS once it is Online, ERROR_IO_PENDING while it is still coming online (poll
 * GetClusterResourceState), or a Win32 code.
 */
CLUSAPI_API DWORD CLUSAPI_CALL OnlineClusterResource(HRESOURCE hResource);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_ONLINE_CLUSTER_RESOURCE)(HRESOURCE hResource);

/* Takes the resource offline, its dependents first. ERROR_SUCCESS, ERROR_IO_PENDING or code. */
CLUSAPI_API DWORD CLUSAPI_CALL OfflineClusterResource(HRESOURCE hResource);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_OFFLINE_CLUSTER_RESOURCE)(HRESOURCE hResource);

/* Moves the resource to another group. Returns ERROR_SUCCESS or a Win32 code. */
CLUSAPI_API DWORD CLUSAPI_CALL ChangeClusterResourceGroup(HRESOURCE hResource, HGROUP hGroup);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_CHANGE_CLUSTER_RESOURCE_GROUP)(HRESOURCE hResource,
                                                                   HGROUP hGroup);

/* Makes the node a possible owner of the resource. ERROR_SUCCESS or a Win32 code. */
CLUSAPI_API DWORD CLUSAPI_CALL AddClusterResourceNode(HRESOURCE hResource, HNODE hNode);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_ADD_CLUSTER_RESOURCE_NODE)(HRESOURCE hResource, HNODE hNode);

/* Removes the node from the resource's possible owners. ERROR_SUCCESS or a Win32 code. */
CLUSAPI_API DWORD CLUSAPI_CALL RemoveClusterResourceNode(HRESOURCE hResource, HNODE hNode);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_REMOVE_CLUSTER_RESOURCE_NODE)(HRESOURCE hResource,
                                                                  HNODE hNode);

/*
 * hResource comes to depend on hDependsOn (a resource of the same group), as a new AND clause
 * of its dependency expression. ERROR_SUCCESS, or ERROR_DEPENDENCY_ALREADY_EXISTS,
 * ERROR_CIRCULAR_DEPENDENCY, ERROR_INVALID_PARAMETER (another group) ...
 */
CLUSAPI_API DWORD CLUSAPI_CALL AddClusterResourceDependency(HRESOURCE hResource,
                                                            HRESOURCE hDependsOn);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_ADD_CLUSTER_RESOURCE_DEPENDENCY)(HRESOURCE hResource,
                                                                     HRESOURCE hDependsOn);

/* Removes a dependency. ERROR_SUCCESS, ERROR_DEPENDENCY_NOT_FOUND or a Win32 code. */
CLUSAPI_API DWORD CLUSAPI_CALL RemoveClusterResourceDependency(HRESOURCE hResource,
                                                               HRESOURCE hDependsOn);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_REMOVE_CLUSTER_RESOURCE_DEPENDENCY)(HRESOURCE hResource,
                                                                        HRESOURCE hDependsOn);

/*
 * Replaces the resource's dependencies with an expression such as
 * L"([IP A] or [IP B]) and [Disk]" (L"" removes them all). ERROR_SUCCESS, or
 * ERROR_INVALID_PARAMETER for a malformed expression, ERROR_CIRCULAR_DEPENDENCY ...
 */
CLUSAPI_API DWORD CLUSAPI_CALL SetClusterResourceDependencyExpression(
    HRESOURCE hResource, LPCWSTR lpszDependencyExpression);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_SET_CLUSTER_RESOURCE_DEPENDENCY_EXPRESSION)(
    HRESOURCE hResource, LPCWSTR lpszDependencyExpression);

/* The resource's dependency expression (buffer rule above; L"" when it has none).
 * ERROR_SUCCESS, ERROR_MORE_DATA or a Win32 code. */
CLUSAPI_API DWORD CLUSAPI_CALL GetClusterResourceDependencyExpression(
    HRESOURCE hResource, LPWSTR lpszDependencyExpression, LPDWORD lpcchDependencyExpression);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_GET_CLUSTER_RESOURCE_DEPENDENCY_EXPRESSION)(
    HRESOURCE hResource, LPWSTR lpszDependencyExpression, LPDWORD lpcchDependencyExpression);

/*
 * The Name private property of the Network Name resource this resource depends on, directly
 * or through other resources (buffer rule above, *nSize in WCHARs). Returns TRUE, or FALSE +
 * GetLastError(): ERROR_DEPENDENCY_NOT_FOUND when there is none, ERROR_MORE_DATA ...
 */
CLUSAPI_API BOOL CLUSAPI_CALL GetClusterResourceNetworkName(HRESOURCE hResource, LPWSTR lpBuffer,
                                                            LPDWORD nSize);
typedef BOOL(CLUSAPI_CALL *PCLUSAPI_GET_CLUSTER_RESOURCE_NETWORK_NAME)(HRESOURCE hResource,
                                                                      LPWSTR lpBuffer,
                                                                      LPDWORD nSize);

/* ---------------------------------------------------------------------------------------- */
/* Resource, group and node enumerations                                                    */
/* ---------------------------------------------------------------------------------------- */

/*
 * The enumerations below follow ClusterOpenEnum's conventions: Open returns a handle or NULL +
 * GetLastError() (ERROR_INVALID_HANDLE for a wrong handle, ERROR_INVALID_PARAMETER for a dwType
 * outside the CLUSTER_*_ENUM mask); GetEnumCount the number of items; Enum item dwIndex with the
 * buffer rule above and ERROR_NO_MORE_ITEMS past the end; CloseEnum ERROR_SUCCESS.
 */

/* What the resource depends on (CLUSTER_RESOURCE_ENUM_DEPENDS), what depends on it (_PROVIDES),
 * and its possible owner nodes (_NODES). */
CLUSAPI_API HRESENUM CLUSAPI_CALL ClusterResourceOpenEnum(HRESOURCE hResource, DWORD dwType);
typedef HRESENUM(CLUSAPI_CALL *PCLUSAPI_CLUSTER_RESOURCE_OPEN_ENUM)(HRESOURCE hResource,
                                                                   DWORD dwType);

CLUSAPI_API DWORD CLUSAPI_CALL ClusterResourceGetEnumCount(HRESENUM hResEnum);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_CLUSTER_RESOURCE_GET_ENUM_COUNT)(HRESENUM hResEnum);

CLUSAPI_API DWORD CLUSAPI_CALL ClusterResourceEnum(HRESENUM hResEnum, DWORD dwIndex,
                                                   LPDWORD lpdwType, LPWSTR lpszName,
                                                   LPDWORD lpcchName);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_CLUSTER_RESOURCE_ENUM)(HRESENUM hResEnum, DWORD dwIndex,
                                                           LPDWORD lpdwType, LPWSTR lpszName,
                                                           LPDWORD lpcchName);

CLUSAPI_API DWORD CLUSAPI_CALL ClusterResourceCloseEnum(HRESENUM hResEnum);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_CLUSTER_RESOURCE_CLOSE_ENUM)(HRESENUM hResEnum);

/* The group's resources (CLUSTER_GROUP_ENUM_CONTAINS) and preferred owners, most preferred
 * first (CLUSTER_GROUP_ENUM_NODES). */
CLUSAPI_API HGROUPENUM CLUSAPI_CALL ClusterGroupOpenEnum(HGROUP hGroup, DWORD dwType);
typedef HGROUPENUM(CLUSAPI_CALL *PCLUSAPI_CLUSTER_GROUP_OPEN_ENUM)(HGROUP hGroup, DWORD dwType);

CLUSAPI_API DWORD CLUSAPI_CALL ClusterGroupGetEnumCount(HGROUPENUM hGroupEnum);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_CLUSTER_GROUP_GET_ENUM_COUNT)(HGROUPENUM hGroupEnum);

CLUSAPI_API DWORD CLUSAPI_CALL ClusterGroupEnum(HGROUPENUM hGroupEnum, DWORD dwIndex,
                                                LPDWORD lpdwType, LPWSTR lpszResourceName,
                                                LPDWORD lpcchName);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_CLUSTER_GROUP_ENUM)(HGROUPENUM hGroupEnum, DWORD dwIndex,
                                                        LPDWORD lpdwType,
                                                        LPWSTR lpszResourceName,
                                                        LPDWORD lpcchName);

CLUSAPI_API DWORD CLUSAPI_CALL ClusterGroupCloseEnum(HGROUPENUM hGroupEnum);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_CLUSTER_GROUP_CLOSE_ENUM)(HGROUPENUM hGroupEnum);

/* The groups the node owns (CLUSTER_NODE_ENUM_GROUPS) and those that list it as a preferred
 * owner (CLUSTER_NODE_ENUM_PREFERRED_GROUPS); network interfaces are not modelled (none). */
CLUSAPI_API HNODEENUM CLUSAPI_CALL ClusterNodeOpenEnum(HNODE hNode, DWORD dwType);
typedef HNODEENUM(CLUSAPI_CALL *PCLUSAPI_CLUSTER_NODE_OPEN_ENUM)(HNODE hNode, DWORD dwType);

CLUSAPI_API DWORD CLUSAPI_CALL ClusterNodeGetEnumCount(HNODEENUM hNodeEnum);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_CLUSTER_NODE_GET_ENUM_COUNT)(HNODEENUM hNodeEnum);

CLUSAPI_API DWORD CLUSAPI_CALL ClusterNodeCloseEnum(HNODEENUM hNodeEnum);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_CLUSTER_NODE_CLOSE_ENUM)(HNODEENUM hNodeEnum);

CLUSAPI_API DWORD CLUSAPI_CALL ClusterNodeEnum(HNODEENUM hNodeEnum, DWORD dwIndex,
                                               LPDWORD lpdwType, LPWSTR lpszName,
                                               LPDWORD lpcchName);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_CLUSTER_NODE_ENUM)(HNODEENUM hNodeEnum, DWORD dwIndex,
                                                       LPDWORD lpdwType, LPWSTR lpszName,
                                                       LPDWORD lpcchName);

/* ---------------------------------------------------------------------------------------- */
/* Resource types                                                                           */
/* ---------------------------------------------------------------------------------------- */

/*
 * Registers a resource type. lpszResourceTypeDll names its driver: "genapp", "genscript",
 * "gensvc", "ipaddr", "netname" or "ocf:PROVIDER:AGENT" (where Windows names a DLL). The poll
 * intervals are in ms. Returns ERROR_SUCCESS, ERROR_OBJECT_ALREADY_EXISTS or a Win32 code.
 */
CLUSAPI_API DWORD CLUSAPI_CALL CreateClusterResourceType(HCLUSTER hCluster,
                                                         LPCWSTR lpszResourceTypeName,
                                                         LPCWSTR lpszDisplayName,
                                                         LPCWSTR lpszResourceTypeDll,
                                                         DWORD dwLooksAlivePollInterval,
                                                         DWORD dwIsAlivePollInterval);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_CREATE_CLUSTER_RESOURCE_TYPE)(
    HCLUSTER hCluster, LPCWSTR lpszResourceTypeName, LPCWSTR lpszDisplayName,
    LPCWSTR lpszResourceTypeDll, DWORD dwLooksAlivePollInterval, DWORD dwIsAlivePollInterval);

/* Unregisters a type no resource has. ERROR_SUCCESS, ERROR_DIR_NOT_EMPTY or a Win32 code. */
CLUSAPI_API DWORD CLUSAPI_CALL DeleteClusterResourceType(HCLUSTER hCluster,
                                                         LPCWSTR lpszResourceTypeName);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_DELETE_CLUSTER_RESOURCE_TYPE)(HCLUSTER hCluster,
                                                                  LPCWSTR lpszResourceTypeName);

/* The nodes that can host the type (CLUSTER_RESOURCE_TYPE_ENUM_NODES) and the resources of
 * that type (_RESOURCES). Conventions as for the enumerations above. */
CLUSAPI_API HRESTYPEENUM CLUSAPI_CALL ClusterResourceTypeOpenEnum(HCLUSTER hCluster,
                                                                  LPCWSTR lpszResourceTypeName,
                                                                  DWORD dwType);
typedef HRESTYPEENUM(CLUSAPI_CALL *PCLUSAPI_CLUSTER_RESOURCE_TYPE_OPEN_ENUM)(
    HCLUSTER hCluster, LPCWSTR lpszResourceTypeName, DWORD dwType);

CLUSAPI_API DWORD CLUSAPI_CALL ClusterResourceTypeGetEnumCount(HRESTYPEENUM hResTypeEnum);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_CLUSTER_RESOURCE_TYPE_GET_ENUM_COUNT)(
    HRESTYPEENUM hResTypeEnum);

CLUSAPI_API DWORD CLUSAPI_CALL ClusterResourceTypeEnum(HRESTYPEENUM hResTypeEnum, DWORD dwIndex,
                                                       LPDWORD lpdwType, LPWSTR lpszName,
                                                       LPDWORD lpcchName);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_CLUSTER_RESOURCE_TYPE_ENUM)(HRESTYPEENUM hResTypeEnum,
                                                                DWORD dwIndex, LPDWORD lpdwType,
                                                                LPWSTR lpszName,
                                                                LPDWORD lpcchName);

CLUSAPI_API DWORD CLUSAPI_CALL ClusterResourceTypeCloseEnum(HRESTYPEENUM hResTypeEnum);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_CLUSTER_RESOURCE_TYPE_CLOSE_ENUM)(HRESTYPEENUM hResTypeEnum);

/* ---------------------------------------------------------------------------------------- */
/* Cluster Create, Add Node and Destroy Cluster APIs                                        */
/* ---------------------------------------------------------------------------------------- */

/*
 * Creates and starts a cluster of pConfig's nodes, plus the IP Address and Network Name
 * resources it asks for. Progress goes to pfnProgressCallback (optional) with pvCallbackArg.
 * Returns a cluster handle once quorum is reached (some IP or name resources may still have
 * failed: see the callback reports), or NULL + GetLastError() after rolling back.
 */
CLUSAPI_API HCLUSTER CLUSAPI_CALL
CreateCluster(PCREATE_CLUSTER_CONFIG pConfig, PCLUSTER_SETUP_PROGRESS_CALLBACK pfnProgressCallback,
              PVOID pvCallbackArg);
typedef HCLUSTER(CLUSAPI_CALL *PCLUSAPI_CREATE_CLUSTER)(
    PCREATE_CLUSTER_CONFIG pConfig, PCLUSTER_SETUP_PROGRESS_CALLBACK pfnProgressCallback,
    PVOID pvCallbackArg);

/* CreateCluster without Network Name and IP Address resources. Same return convention. */
CLUSAPI_API HCLUSTER CLUSAPI_CALL
CreateClusterCNOless(PCREATE_CLUSTER_CONFIG pConfig,
                     PCLUSTER_SETUP_PROGRESS_CALLBACK pfnProgressCallback, PVOID pvCallbackArg);
typedef HCLUSTER(CLUSAPI_CALL *PCLUSAPI_CREATE_CLUSTER_CNOLESS)(
    PCREATE_CLUSTER_CONFIG pConfig, PCLUSTER_SETUP_PROGRESS_CALLBACK pfnProgressCallback,
    PVOID pvCallbackArg);

/* Creates a cluster name resource and joins the cluster to a domain. ERROR_SUCCESS or code. */
CLUSAPI_API DWORD CLUSAPI_CALL
CreateClusterNameAccount(HCLUSTER hCluster, PCREATE_CLUSTER_NAME_ACCOUNT pConfig,
                         PCLUSTER_SETUP_PROGRESS_CALLBACK pfnProgressCallback, PVOID pvCallbackArg);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_CREATE_CLUSTER_NAME_ACCOUNT)(
    HCLUSTER hCluster, PCREATE_CLUSTER_NAME_ACCOUNT pConfig,
    PCLUSTER_SETUP_PROGRESS_CALLBACK pfnProgressCallback, PVOID pvCallbackArg);

/*
 * Adds the named computer to the cluster (AddClusterNodeEx with dwFlags 0). Returns a handle
 * to the new node, or NULL + GetLastError() after evicting it again.
 */
CLUSAPI_API HNODE CLUSAPI_CALL AddClusterNode(HCLUSTER hCluster, PCWSTR lpszNodeName,
                                              PCLUSTER_SETUP_PROGRESS_CALLBACK pfnProgressCallback,
                                              PVOID pvCallbackArg);
typedef HNODE(CLUSAPI_CALL *PCLUSAPI_ADD_CLUSTER_NODE)(
    HCLUSTER hCluster, PCWSTR lpszNodeName, PCLUSTER_SETUP_PROGRESS_CALLBACK pfnProgressCallback,
    PVOID pvCallbackArg);

/* AddClusterNode with flags; only 0 is accepted (else ERROR_INVALID_PARAMETER via GLE). */
CLUSAPI_API HNODE CLUSAPI_CALL
AddClusterNodeEx(HCLUSTER hCluster, PCWSTR lpszNodeName, DWORD dwFlags,
                 PCLUSTER_SETUP_PROGRESS_CALLBACK pfnProgressCallback, PVOID pvCallbackArg);
typedef HNODE(CLUSAPI_CALL *PCLUSAPI_ADD_CLUSTER_NODE_EX)(
    HCLUSTER hCluster, PCWSTR lpszNodeName, DWORD dwFlags,
    PCLUSTER_SETUP_PROGRESS_CALLBACK pfnProgressCallback, PVOID pvCallbackArg);

/*
 * Adds a storage node, with an optional description and location. Returns ERROR_SUCCESS or a
 * Win32 code.
 */
CLUSAPI_API DWORD CLUSAPI_CALL AddClusterStorageNode(
    HCLUSTER hCluster, PCWSTR lpszNodeName, PCLUSTER_SETUP_PROGRESS_CALLBACK pfnProgressCallback,
    PVOID pvCallbackArg, LPCWSTR lpszClusterStorageNodeDescription,
    LPCWSTR lpszClusterStorageNodeLocation);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_ADD_CLUSTER_STORAGE_NODE)(
    HCLUSTER hCluster, PCWSTR lpszNodeName, PCLUSTER_SETUP_PROGRESS_CALLBACK pfnProgressCallback,
    PVOID pvCallbackArg, LPCWSTR lpszClusterStorageNodeDescription,
    LPCWSTR lpszClusterStorageNodeLocation);

/*
 * Destroys the cluster: takes groups offline and deletes them, evicts and cleans every node,
 * and with fdeleteVirtualComputerObjects also removes the cluster's AD computer objects. It
 * continues past failed steps. Returns ERROR_SUCCESS or the code of the last failed step.
 */
CLUSAPI_API DWORD CLUSAPI_CALL DestroyCluster(HCLUSTER hCluster,
                                              PCLUSTER_SETUP_PROGRESS_CALLBACK pfnProgressCallback,
                                              PVOID pvCallbackArg,
                                              BOOL fdeleteVirtualComputerObjects);
typedef DWORD(CLUSAPI_CALL *PCLUSAPI_DESTROY_CLUSTER)(
    HCLUSTER hCluster, PCLUSTER_SETUP_PROGRESS_CALLBACK pfnProgressCallback, PVOID pvCallbackArg,
    BOOL fdeleteVirtualComputerObjects);

#ifdef __cplusplus
}
#endif

#endif /* _CLUSTER_API_ */
