/*
 * test_header — include/clusapi.h and clusapi_wintypes.h against the reference: every enum
 * value and constant, every error code, the x86-64 struct layouts, the base type sizes, and
 * that each PCLUSAPI_* typedef has exactly the type of its function.
 *
 * Nothing here calls the library: function types are compared with _Generic, whose
 * controlling expression is not evaluated, so this program links without libclusapi.
 *
 * C99 check (run by hand; a C99 translation unit cannot be part of this gnu11 build):
 *     printf '#include <clusapi.h>\nint main(void) { return 0; }\n' > /tmp/x.c
 *     cc -std=c99 -pedantic -Wall -Werror -fsyntax-only -Iinclude /tmp/x.c
 * must print nothing and exit 0 (also with clang, and with -std=c11 -pedantic).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <clusapi.h>

struct named_value {
    const char *name;
    long long value;
    long long expected;
};

#define NV(name, expected) {#name, (long long)(name), (long long)(expected)}

static void check_values(const struct named_value *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (v[i].value != v[i].expected)
            fail_msg("%s is %lld, expected %lld", v[i].name, v[i].value, v[i].expected);
    }
}

#define CHECK_VALUES(table) check_values(table, sizeof(table) / sizeof(table[0]))

/* ---------------------------------------------------------------------------------------- */
/* Setup phases, types, severities (REFERENCE §2.1)                                         */
/* ---------------------------------------------------------------------------------------- */

static void test_setup_phase_values(void **state)
{
    static const struct named_value v[] = {
        NV(ClusterSetupPhaseInitialize, 1),
        NV(ClusterSetupPhaseValidateNodeState, 100),
        NV(ClusterSetupPhaseValidateNetft, 102),
        NV(ClusterSetupPhaseValidateClusDisk, 103),
        NV(ClusterSetupPhaseConfigureClusSvc, 104),
        NV(ClusterSetupPhaseStartingClusSvc, 105),
        NV(ClusterSetupPhaseQueryClusterNameAccount, 106),
        NV(ClusterSetupPhaseValidateClusterNameAccount, 107),
        NV(ClusterSetupPhaseCreateClusterAccount, 108),
        NV(ClusterSetupPhaseConfigureClusterAccount, 109),
        NV(ClusterSetupPhaseFormingCluster, 200),
        NV(ClusterSetupPhaseAddClusterProperties, 201),
        NV(ClusterSetupPhaseCreateResourceTypes, 202),
        NV(ClusterSetupPhaseCreateGroups, 203),
        NV(ClusterSetupPhaseCreateIPAddressResources, 204),
        NV(ClusterSetupPhaseCreateNetworkName, 205),
        NV(ClusterSetupPhaseClusterGroupOnline, 206),
        NV(ClusterSetupPhaseGettingCurrentMembership, 300),
        NV(ClusterSetupPhaseAddNodeToCluster, 301),
        NV(ClusterSetupPhaseNodeUp, 302),
        NV(ClusterSetupPhaseApplyNetworkATCIntents, 303),
        NV(ClusterSetupPhaseMoveGroup, 400),
        NV(ClusterSetupPhaseDeleteGroup, 401),
        NV(ClusterSetupPhaseCleanupCOs, 402),
        NV(ClusterSetupPhaseOfflineGroup, 403),
        NV(ClusterSetupPhaseEvictNode, 404),
        NV(ClusterSetupPhaseCleanupNode, 405),
        NV(ClusterSetupPhaseCoreGroupCleanup, 406),
        NV(ClusterSetupPhaseRepairCNOAccount, 500),
        NV(ClusterSetupPhaseRepairDNSPermissions, 501),
        NV(ClusterSetupPhaseFailureCleanup, 999),
    };
    (void)state;
    CHECK_VALUES(v);
}

static void test_setup_phase_type_and_severity(void **state)
{
    static const struct named_value v[] = {
        NV(ClusterSetupPhaseStart, 1),         NV(ClusterSetupPhaseContinue, 2),
        NV(ClusterSetupPhaseEnd, 3),           NV(ClusterSetupPhaseReport, 4),
        NV(ClusterSetupPhaseInformational, 1), NV(ClusterSetupPhaseWarning, 2),
        NV(ClusterSetupPhaseFatal, 3),
    };
    (void)state;
    CHECK_VALUES(v);
}

/* ---------------------------------------------------------------------------------------- */
/* Versions, management points, cloud types (REFERENCE §3.1, §4)                            */
/* ---------------------------------------------------------------------------------------- */

static void test_version_constants(void **state)
{
    static const struct named_value v[] = {
        NV(CLUSAPI_VERSION_SERVER2008, 0x600),
        NV(CLUSAPI_VERSION_SERVER2008R2, 0x700),
        NV(CLUSAPI_VERSION_WINDOWS8, 0x701),
        NV(CLUSAPI_VERSION_WINDOWSBLUE, 0x702),
        NV(CLUSAPI_VERSION_WINTHRESHOLD, 0x703),
        NV(CLUSAPI_VERSION_RS3, 0xA00),
        NV(CLUSAPI_VERSION_NI, 0xA0C),
        NV(CLUSAPI_VERSION_CU, 0xC03),
        NV(CLUSAPI_VERSION_ZN, 0xC04),
        NV(CLUSAPI_VERSION_GA, 0xC05),
        NV(CLUSAPI_VERSION, 0xC05), /* GA, as NTDDI_VERSION is undefined */
        NV(CREATE_CLUSTER_VERSION, 0x600),
        NV(CREATE_CLUSTER_MAJOR_VERSION_MASK, 0xFFFFFF00LL),
        NV(CLUSTER_VERSION_FLAG_MIXED_MODE, 1),
        NV(CLUSTER_VERSION_UNKNOWN, 0xFFFFFFFFLL),
        NV(CLUSTER_MAKE_VERSION(9, 8), 0x00090008),
        NV(CLUSTER_MAKE_VERSION(12, 5), 0x000C0005),
    };
    (void)state;
    CHECK_VALUES(v);
    /* the mask keeps the major part of a version, as validation step 2 uses it */
    assert_int_equal(0xC05 & CREATE_CLUSTER_MAJOR_VERSION_MASK, 0xC00);
    assert_int_equal(0x5FF & CREATE_CLUSTER_MAJOR_VERSION_MASK, 0x500);
}

static void test_mgmt_point_and_cloud(void **state)
{
    static const struct named_value v[] = {
        NV(CLUSTER_MGMT_POINT_TYPE_NONE, 0),
        NV(CLUSTER_MGMT_POINT_TYPE_CNO, 1),
        NV(CLUSTER_MGMT_POINT_TYPE_DNS_ONLY, 2),
        NV(CLUSTER_MGMT_POINT_TYPE_CNO_ONLY, 3),
        NV(CLUSTER_MGMT_POINT_RESTYPE_AUTO, 0),
        NV(CLUSTER_MGMT_POINT_RESTYPE_SNN, 1),
        NV(CLUSTER_MGMT_POINT_RESTYPE_DNN, 2),
        NV(CLUSTER_CLOUD_TYPE_NONE, 0),
        NV(CLUSTER_CLOUD_TYPE_AZURE, 1),
        NV(CLUSTER_CLOUD_TYPE_MIXED, 128),
        NV(CLUSTER_CLOUD_TYPE_UNKNOWN, -1),
    };
    (void)state;
    CHECK_VALUES(v);
}

/* ---------------------------------------------------------------------------------------- */
/* States and enumeration masks (REFERENCE §4.1)                                            */
/* ---------------------------------------------------------------------------------------- */

static void test_object_states(void **state)
{
    static const struct named_value v[] = {
        NV(ClusterNodeStateUnknown, -1),
        NV(ClusterNodeUp, 0),
        NV(ClusterNodeDown, 1),
        NV(ClusterNodePaused, 2),
        NV(ClusterNodeJoining, 3),
        NV(ClusterGroupStateUnknown, -1),
        NV(ClusterGroupOnline, 0),
        NV(ClusterGroupOffline, 1),
        NV(ClusterGroupFailed, 2),
        NV(ClusterGroupPartialOnline, 3),
        NV(ClusterGroupPending, 4),
        NV(ClusterResourceStateUnknown, -1),
        NV(ClusterResourceInherited, 0),
        NV(ClusterResourceInitializing, 1),
        NV(ClusterResourceOnline, 2),
        NV(ClusterResourceOffline, 3),
        NV(ClusterResourceFailed, 4),
        NV(ClusterResourcePending, 128),
        NV(ClusterResourceOnlinePending, 129),
        NV(ClusterResourceOfflinePending, 130),
        NV(OperationalQuorum, 0),
        NV(ModifyQuorum, 1),
    };
    (void)state;
    CHECK_VALUES(v);
}

static void test_node_cluster_state(void **state)
{
    static const struct named_value v[] = {
        NV(CLUSTER_INSTALLED, 0x1),
        NV(CLUSTER_CONFIGURED, 0x2),
        NV(CLUSTER_RUNNING, 0x10),
        NV(ClusterStateNotInstalled, 0),
        NV(ClusterStateNotConfigured, 1),
        NV(ClusterStateNotRunning, 3),
        NV(ClusterStateRunning, 0x13),
        NV(CLUS_HYBRID_QUORUM, 0x400),
        NV(CLUS_NODE_MAJORITY_QUORUM, 0),
        NV(CLUS_LEGACY_QUORUM, 0x400000),
    };
    (void)state;
    CHECK_VALUES(v);
    assert_int_equal(ClusterStateRunning, CLUSTER_INSTALLED | CLUSTER_CONFIGURED | CLUSTER_RUNNING);
}

static void test_cluster_enum_masks(void **state)
{
    static const struct named_value v[] = {
        NV(CLUSTER_ENUM_NODE, 0x1),
        NV(CLUSTER_ENUM_RESTYPE, 0x2),
        NV(CLUSTER_ENUM_RESOURCE, 0x4),
        NV(CLUSTER_ENUM_GROUP, 0x8),
        NV(CLUSTER_ENUM_NETWORK, 0x10),
        NV(CLUSTER_ENUM_NETINTERFACE, 0x20),
        NV(CLUSTER_ENUM_ALL, 0x3F),
        NV(CLUSTER_ENUM_CAPACITY_NODE, 0x10000000),
        NV(CLUSTER_ENUM_SHARED_VOLUME_GROUP, 0x20000000),
        NV(CLUSTER_ENUM_SHARED_VOLUME_RESOURCE, 0x40000000),
    };
    DWORD internal = (DWORD)CLUSTER_ENUM_INTERNAL_NETWORK;

    (void)state;
    CHECK_VALUES(v);
    /* stored in an int-sized enum; what matters is the DWORD a caller passes */
    assert_int_equal(internal, 0x80000000u);
}

/* ---------------------------------------------------------------------------------------- */
/* Error codes (REFERENCE §5 plus the general codes the library uses)                       */
/* ---------------------------------------------------------------------------------------- */

static void test_error_codes_general(void **state)
{
    static const struct named_value v[] = {
        NV(ERROR_SUCCESS, 0),
        NV(ERROR_INVALID_FUNCTION, 1),
        NV(ERROR_FILE_NOT_FOUND, 2),
        NV(ERROR_ACCESS_DENIED, 5),
        NV(ERROR_INVALID_HANDLE, 6),
        NV(ERROR_NOT_ENOUGH_MEMORY, 8),
        NV(ERROR_INVALID_DATA, 13),
        NV(ERROR_OUTOFMEMORY, 14),
        NV(ERROR_NOT_READY, 21),
        NV(ERROR_GEN_FAILURE, 31),
        NV(ERROR_SHARING_VIOLATION, 32),
        NV(ERROR_NOT_SUPPORTED, 50),
        NV(ERROR_DUP_NAME, 52),
        NV(ERROR_BAD_NETPATH, 53),
        NV(ERROR_INVALID_PARAMETER, 87),
        NV(ERROR_INSUFFICIENT_BUFFER, 122),
        NV(ERROR_INVALID_NAME, 123),
        NV(ERROR_BAD_ARGUMENTS, 160),
        NV(ERROR_BUSY, 170),
        NV(ERROR_DIR_NOT_EMPTY, 145),
        NV(ERROR_ALREADY_EXISTS, 183),
        NV(ERROR_MORE_DATA, 234),
        NV(ERROR_NO_MORE_ITEMS, 259),
        NV(ERROR_IO_PENDING, 997),
        NV(ERROR_SERVICE_NOT_ACTIVE, 1062),
        NV(ERROR_NOT_FOUND, 1168),
        NV(ERROR_CANCELLED, 1223),
        NV(ERROR_CONNECTION_REFUSED, 1225),
        NV(ERROR_NETWORK_UNREACHABLE, 1231),
        NV(ERROR_HOST_UNREACHABLE, 1232),
        NV(ERROR_RETRY, 1237),
        NV(ERROR_INTERNAL_ERROR, 1359),
        NV(ERROR_TIMEOUT, 1460),
        NV(RPC_S_PROCNUM_OUT_OF_RANGE, 1745),
        NV(ERROR_OBJECT_NOT_FOUND, 4312),
    };
    (void)state;
    CHECK_VALUES(v);
}

static void test_error_codes_cluster(void **state)
{
    static const struct named_value v[] = {
        /* the §5 table */
        NV(ERROR_HOST_NODE_NOT_AVAILABLE, 5005),
        NV(ERROR_GROUP_NOT_FOUND, 5013),
        NV(ERROR_NODE_NOT_AVAILABLE, 5036),
        NV(ERROR_CLUSTER_NODE_NOT_FOUND, 5042),
        NV(ERROR_CLUSTER_NODE_UNREACHABLE, 5051),
        NV(ERROR_CLUSTER_IPADDR_IN_USE, 5057),
        NV(ERROR_CLUSTER_NODE_ALREADY_MEMBER, 5065),
        NV(ERROR_CLUSTER_INCOMPATIBLE_VERSIONS, 5075),
        NV(ERROR_CLUSTER_EVICT_WITHOUT_CLEANUP, 5896),
        NV(ERROR_CLUSTER_CANT_CREATE_DUP_CLUSTER_NAME, 5900),
        NV(ERROR_INVALID_CLUSTER_IPV6_ADDRESS, 5911),
        NV(ERROR_CLUSTER_INVALID_STRING_FORMAT, 5917),
        NV(ERROR_CLUSTER_NO_QUORUM, 5925),
        NV(ERROR_CLUSTER_NOT_INSTALLED, 5932),
        NV(ERROR_CLUSTER_MAX_NODES_IN_CLUSTER, 5934),
        NV(ERROR_CLUSTER_TOO_MANY_NODES, 5935),
        NV(ERROR_CLUSTER_OBJECT_ALREADY_USED, 5936),
        NV(ERROR_NONCORE_GROUPS_FOUND, 5937),
        NV(ERROR_CLUSTER_EVICT_INVALID_REQUEST, 5939),
        /* "Other cluster codes" */
        NV(ERROR_RESOURCE_NOT_FOUND, 5007),
        NV(ERROR_CANT_EVICT_ACTIVE_NODE, 5009),
        NV(ERROR_OBJECT_ALREADY_EXISTS, 5010),
        NV(ERROR_GROUP_NOT_ONLINE, 5014),
        NV(ERROR_CLUSTER_SHUTTING_DOWN, 5022),
        NV(ERROR_INVALID_STATE, 5023),
        NV(ERROR_ALL_NODES_NOT_AVAILABLE, 5037),
        NV(ERROR_CLUSTER_INVALID_NODE, 5039),
        NV(ERROR_CLUSTER_NODE_EXISTS, 5040),
        NV(ERROR_CLUSTER_JOIN_IN_PROGRESS, 5041),
        NV(ERROR_CLUSTER_LOCAL_NODE_NOT_FOUND, 5043),
        NV(ERROR_CLUSTER_NODE_DOWN, 5050),
        NV(ERROR_CLUSTER_NODE_NOT_MEMBER, 5052),
        NV(ERROR_CLUSTER_NODE_UP, 5056),
        NV(ERROR_CLUSTER_NODE_ALREADY_UP, 5061),
        NV(ERROR_CLUSTER_NODE_ALREADY_DOWN, 5062),
        NV(ERROR_CLUSTER_NODE_PAUSED, 5070),
        NV(ERROR_CLUSTER_NODE_NOT_READY, 5072),
        NV(ERROR_CLUSTER_NODE_SHUTTING_DOWN, 5073),
        NV(ERROR_CLUSTER_JOIN_ABORTED, 5074),
        NV(ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND, 5078),
        NV(ERROR_NODE_CANNOT_BE_CLUSTERED, 5898),
        NV(ERROR_CLUSTER_WRONG_OS_VERSION, 5899),
        NV(ERROR_CLUSTER_OLD_VERSION, 5904),
        NV(ERROR_CLUSTER_NO_NET_ADAPTERS, 5906),
        NV(ERROR_CLUSTER_PARAMETER_OUT_OF_BOUNDS, 5913),
        NV(ERROR_CLUSTER_INVALID_STRING_TERMINATION, 5916),
        /* quorum codes */
        NV(ERROR_QUORUM_RESOURCE, 5020),
        NV(ERROR_NOT_QUORUM_CAPABLE, 5021),
        NV(ERROR_NOT_QUORUM_CLASS, 5025),
        NV(ERROR_QUORUM_RESOURCE_ONLINE_FAILED, 5027),
        NV(ERROR_QUORUMLOG_OPEN_FAILED, 5028),
        NV(ERROR_QUORUM_OWNER_ALIVE, 5034),
        NV(ERROR_INVALID_OPERATION_ON_QUORUM, 5068),
        NV(ERROR_QUORUM_DISK_NOT_FOUND, 5086),
        NV(ERROR_CLUSTER_QUORUMLOG_NOT_FOUND, 5891),
        NV(ERROR_QUORUM_NOT_ALLOWED_IN_THIS_GROUP, 5928),
    };
    (void)state;
    CHECK_VALUES(v);
}

/* ---------------------------------------------------------------------------------------- */
/* Win32 helper macros                                                                      */
/* ---------------------------------------------------------------------------------------- */

static void test_hresult_and_access_macros(void **state)
{
    (void)state;
    assert_int_equal(S_OK, 0);
    assert_true(SUCCEEDED(S_OK));
    assert_false(FAILED(S_OK));
    /* the HRESULT clients see in dwStatus for an unreachable node (REFERENCE §2.2) */
    assert_int_equal((uint32_t)HRESULT_FROM_WIN32(ERROR_CLUSTER_NODE_UNREACHABLE), 0x800713BBu);
    assert_int_equal((uint32_t)HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED), 0x80070005u);
    assert_true(FAILED(HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED)));
    assert_int_equal(HRESULT_FROM_WIN32(ERROR_SUCCESS), S_OK);
    /* an HRESULT (negative) passes through unchanged */
    assert_int_equal((uint32_t)HRESULT_FROM_WIN32((HRESULT)0x80040154u), 0x80040154u);
    assert_true(TRUE == 1 && FALSE == 0);
    assert_int_equal(GENERIC_READ, 0x80000000u);
    assert_int_equal(GENERIC_ALL, 0x10000000u);
    assert_int_equal(MAXIMUM_ALLOWED, 0x02000000u);
}

/* ---------------------------------------------------------------------------------------- */
/* Type model and x86-64 layouts (REFERENCE §1, §3, §4.1, §7.5)                             */
/* ---------------------------------------------------------------------------------------- */

static void test_base_type_sizes(void **state)
{
    (void)state;
    assert_int_equal(sizeof(BOOL), 4);
    assert_int_equal(sizeof(BOOLEAN), 1);
    assert_int_equal(sizeof(BYTE), 1);
    assert_int_equal(sizeof(WORD), 2);
    assert_int_equal(sizeof(DWORD), 4);
    assert_int_equal(sizeof(LONG), 4);
    assert_int_equal(sizeof(ULONG), 4);
    assert_int_equal(sizeof(HRESULT), 4);
    assert_int_equal(sizeof(WCHAR), 2);
    assert_int_equal(sizeof(CLUSTER_SETUP_PHASE), 4);
    assert_int_equal(sizeof(CLUSTER_SETUP_PHASE_TYPE), 4);
    assert_int_equal(sizeof(CLUSTER_SETUP_PHASE_SEVERITY), 4);
    assert_int_equal(sizeof(CLUSTER_MGMT_POINT_TYPE), 4);
    assert_int_equal(sizeof(CLUSTER_MGMT_POINT_RESTYPE), 4);
    assert_int_equal(sizeof(CLUSTER_CLOUD_TYPE), 4);
    assert_int_equal(sizeof(CLUSTER_NODE_STATE), 4);
    assert_int_equal(sizeof(CLUSTER_GROUP_STATE), 4);
    assert_int_equal(sizeof(CLUSTER_RESOURCE_STATE), 4);
    assert_int_equal(sizeof(NODE_CLUSTER_STATE), 4);
    assert_int_equal(sizeof(CLUSTER_ENUM), 4);
    assert_int_equal(sizeof(CLUSTER_QUORUM_TYPE), 4);
    assert_int_equal(sizeof(HCLUSTER), sizeof(void *));
}

static void test_signedness(void **state)
{
    (void)state;
    assert_true((DWORD)-1 == 0xFFFFFFFFu && (DWORD)-1 > 0);
    assert_true((WORD)-1 == 0xFFFF && (WORD)-1 > 0);
    assert_true((WCHAR)-1 == 0xFFFF && (WCHAR)-1 > 0);
    assert_true((BOOLEAN)-1 == 0xFF);
    assert_true((BOOL)-1 < 0);
    assert_true((HRESULT)-1 < 0);
    /* enums are signed ints: the Unknown states are really -1, not 0xFFFFFFFF */
    assert_true(ClusterNodeStateUnknown < 0);
    assert_true(ClusterResourceStateUnknown < 0);
}

static void test_create_cluster_config_layout(void **state)
{
    /* the 2008/2008 R2 struct: the first seven members of today's */
    struct create_cluster_config_2008 {
        DWORD dwVersion;
        PCWSTR lpszClusterName;
        DWORD cNodes;
        PCWSTR *ppszNodeNames;
        DWORD cIpEntries;
        PCLUSTER_IP_ENTRY pIpEntries;
        BOOLEAN fEmptyCluster;
    };
    (void)state;
    assert_int_equal(offsetof(CREATE_CLUSTER_CONFIG, dwVersion), 0);
    assert_int_equal(offsetof(CREATE_CLUSTER_CONFIG, lpszClusterName), 8);
    assert_int_equal(offsetof(CREATE_CLUSTER_CONFIG, cNodes), 16);
    assert_int_equal(offsetof(CREATE_CLUSTER_CONFIG, ppszNodeNames), 24);
    assert_int_equal(offsetof(CREATE_CLUSTER_CONFIG, cIpEntries), 32);
    assert_int_equal(offsetof(CREATE_CLUSTER_CONFIG, pIpEntries), 40);
    assert_int_equal(offsetof(CREATE_CLUSTER_CONFIG, fEmptyCluster), 48);
    assert_int_equal(offsetof(CREATE_CLUSTER_CONFIG, managementPointType), 52);
    assert_int_equal(offsetof(CREATE_CLUSTER_CONFIG, managementPointResType), 56);
    assert_int_equal(offsetof(CREATE_CLUSTER_CONFIG, pszUserName), 64);
    assert_int_equal(offsetof(CREATE_CLUSTER_CONFIG, pszPassword), 72);
    assert_int_equal(offsetof(CREATE_CLUSTER_CONFIG, pszDomain), 80);
    assert_int_equal(sizeof(CREATE_CLUSTER_CONFIG), 88);
    assert_int_equal(sizeof(((CREATE_CLUSTER_CONFIG *)0)->fEmptyCluster), 1);
    assert_int_equal(sizeof(struct create_cluster_config_2008), 56);
    assert_int_equal(offsetof(struct create_cluster_config_2008, fEmptyCluster),
                     offsetof(CREATE_CLUSTER_CONFIG, fEmptyCluster));

    assert_int_equal(offsetof(CLUSTER_IP_ENTRY, lpszIpAddress), 0);
    assert_int_equal(offsetof(CLUSTER_IP_ENTRY, dwPrefixLength), 8);
    assert_int_equal(sizeof(CLUSTER_IP_ENTRY), 16);
}

static void test_name_account_layout(void **state)
{
    /* not in REFERENCE: natural alignment of the documented member list */
    (void)state;
    assert_int_equal(offsetof(CREATE_CLUSTER_NAME_ACCOUNT, dwVersion), 0);
    assert_int_equal(offsetof(CREATE_CLUSTER_NAME_ACCOUNT, lpszClusterName), 8);
    assert_int_equal(offsetof(CREATE_CLUSTER_NAME_ACCOUNT, dwFlags), 16);
    assert_int_equal(offsetof(CREATE_CLUSTER_NAME_ACCOUNT, pszUserName), 24);
    assert_int_equal(offsetof(CREATE_CLUSTER_NAME_ACCOUNT, pszPassword), 32);
    assert_int_equal(offsetof(CREATE_CLUSTER_NAME_ACCOUNT, pszDomain), 40);
    assert_int_equal(offsetof(CREATE_CLUSTER_NAME_ACCOUNT, managementPointType), 48);
    assert_int_equal(offsetof(CREATE_CLUSTER_NAME_ACCOUNT, managementPointResType), 52);
    assert_int_equal(offsetof(CREATE_CLUSTER_NAME_ACCOUNT, bUpgradeVCOs), 56);
    assert_int_equal(sizeof(CREATE_CLUSTER_NAME_ACCOUNT), 64);
}

static void test_version_info_layout(void **state)
{
    CLUSTERVERSIONINFO vi;

    (void)state;
    assert_int_equal(offsetof(CLUSTERVERSIONINFO, dwVersionInfoSize), 0);
    assert_int_equal(offsetof(CLUSTERVERSIONINFO, MajorVersion), 4);
    assert_int_equal(offsetof(CLUSTERVERSIONINFO, MinorVersion), 6);
    assert_int_equal(offsetof(CLUSTERVERSIONINFO, BuildNumber), 8);
    assert_int_equal(offsetof(CLUSTERVERSIONINFO, szVendorId), 10);
    assert_int_equal(offsetof(CLUSTERVERSIONINFO, szCSDVersion), 138);
    assert_int_equal(offsetof(CLUSTERVERSIONINFO, dwClusterHighestVersion), 268);
    assert_int_equal(offsetof(CLUSTERVERSIONINFO, dwClusterLowestVersion), 272);
    assert_int_equal(offsetof(CLUSTERVERSIONINFO, dwFlags), 276);
    assert_int_equal(offsetof(CLUSTERVERSIONINFO, dwReserved), 280);
    assert_int_equal(sizeof(CLUSTERVERSIONINFO), 284);
    assert_int_equal(sizeof(vi.szVendorId) / sizeof(vi.szVendorId[0]), 64);
    assert_int_equal(sizeof(vi.szCSDVersion) / sizeof(vi.szCSDVersion[0]), 64);
    assert_ptr_equal((LPCLUSTERVERSIONINFO)&vi, (PCLUSTERVERSIONINFO)&vi);
}

static void test_utf16_literals(void **state)
{
    static const PCWSTR nodes[] = {u"node1", u"node2"};
    PCWSTR name = u"node";
    CLUSTER_IP_ENTRY ip = {u"10.0.0.50", 24};
    CREATE_CLUSTER_CONFIG cfg;

    (void)state;
    assert_int_equal(name[0], 'n');
    assert_int_equal(name[3], 'e');
    assert_int_equal(name[4], 0);
    /* a non-ASCII character is one UTF-16 unit, not a UTF-8 sequence */
    assert_int_equal(u"\u00e9"[0], 0xE9);
    assert_int_equal(u"\u00e9"[1], 0);

    memset(&cfg, 0, sizeof(cfg));
    cfg.dwVersion = CLUSAPI_VERSION;
    cfg.lpszClusterName = u"clus1";
    cfg.cNodes = 2;
    cfg.ppszNodeNames = (PCWSTR *)nodes;
    cfg.cIpEntries = 1;
    cfg.pIpEntries = &ip;
    assert_int_equal(cfg.ppszNodeNames[1][4], '2');
    assert_int_equal(cfg.pIpEntries[0].lpszIpAddress[2], '.');
    assert_int_equal(cfg.pIpEntries[0].dwPrefixLength, 24);
}

/* ---------------------------------------------------------------------------------------- */
/* Function types                                                                           */
/* ---------------------------------------------------------------------------------------- */

/* True when the function's type is exactly the typedef's (an unevaluated check). */
#define SAME_TYPE(fn, ptr_type) _Generic(&(fn), ptr_type: 1, default: 0)

_Static_assert(SAME_TYPE(CreateCluster, PCLUSAPI_CREATE_CLUSTER), "CreateCluster");
_Static_assert(SAME_TYPE(CreateClusterCNOless, PCLUSAPI_CREATE_CLUSTER_CNOLESS), "CNOless");
_Static_assert(SAME_TYPE(CreateClusterNameAccount, PCLUSAPI_CREATE_CLUSTER_NAME_ACCOUNT),
               "CreateClusterNameAccount");
_Static_assert(SAME_TYPE(AddClusterNode, PCLUSAPI_ADD_CLUSTER_NODE), "AddClusterNode");
_Static_assert(SAME_TYPE(AddClusterNodeEx, PCLUSAPI_ADD_CLUSTER_NODE_EX), "AddClusterNodeEx");
_Static_assert(SAME_TYPE(AddClusterStorageNode, PCLUSAPI_ADD_CLUSTER_STORAGE_NODE),
               "AddClusterStorageNode");
_Static_assert(SAME_TYPE(DestroyCluster, PCLUSAPI_DESTROY_CLUSTER), "DestroyCluster");
_Static_assert(SAME_TYPE(OpenCluster, PCLUSAPI_OPEN_CLUSTER), "OpenCluster");
_Static_assert(SAME_TYPE(GetClusterQuorumResource, PCLUSAPI_GET_CLUSTER_QUORUM_RESOURCE),
               "GetClusterQuorumResource");
_Static_assert(SAME_TYPE(SetClusterQuorumResource, PCLUSAPI_SET_CLUSTER_QUORUM_RESOURCE),
               "SetClusterQuorumResource");
_Static_assert(SAME_TYPE(OpenClusterEx, PCLUSAPI_OPEN_CLUSTER_EX), "OpenClusterEx");
_Static_assert(SAME_TYPE(CloseCluster, PCLUSAPI_CLOSE_CLUSTER), "CloseCluster");
_Static_assert(SAME_TYPE(OpenClusterNode, PCLUSAPI_OPEN_CLUSTER_NODE), "OpenClusterNode");
_Static_assert(SAME_TYPE(OpenClusterNodeEx, PCLUSAPI_OPEN_CLUSTER_NODE_EX), "OpenClusterNodeEx");
_Static_assert(SAME_TYPE(CloseClusterNode, PCLUSAPI_CLOSE_CLUSTER_NODE), "CloseClusterNode");
_Static_assert(SAME_TYPE(GetClusterNodeState, PCLUSAPI_GET_CLUSTER_NODE_STATE),
               "GetClusterNodeState");
_Static_assert(SAME_TYPE(PauseClusterNode, PCLUSAPI_PAUSE_CLUSTER_NODE), "PauseClusterNode");
_Static_assert(SAME_TYPE(ResumeClusterNode, PCLUSAPI_RESUME_CLUSTER_NODE), "ResumeClusterNode");
_Static_assert(SAME_TYPE(EvictClusterNode, PCLUSAPI_EVICT_CLUSTER_NODE), "EvictClusterNode");
_Static_assert(SAME_TYPE(EvictClusterNodeEx, PCLUSAPI_EVICT_CLUSTER_NODE_EX),
               "EvictClusterNodeEx");
_Static_assert(SAME_TYPE(EvictClusterNodeEx2, PCLUSAPI_EVICT_CLUSTER_NODE_EX2),
               "EvictClusterNodeEx2");
_Static_assert(SAME_TYPE(GetNodeClusterState, PCLUSAPI_GET_NODE_CLUSTER_STATE),
               "GetNodeClusterState");
_Static_assert(SAME_TYPE(GetClusterInformation, PCLUSAPI_GET_CLUSTER_INFORMATION),
               "GetClusterInformation");
_Static_assert(SAME_TYPE(ClusterOpenEnum, PCLUSAPI_CLUSTER_OPEN_ENUM), "ClusterOpenEnum");
_Static_assert(SAME_TYPE(ClusterGetEnumCount, PCLUSAPI_CLUSTER_GET_ENUM_COUNT),
               "ClusterGetEnumCount");
_Static_assert(SAME_TYPE(ClusterEnum, PCLUSAPI_CLUSTER_ENUM), "ClusterEnum");
_Static_assert(SAME_TYPE(ClusterCloseEnum, PCLUSAPI_CLUSTER_CLOSE_ENUM), "ClusterCloseEnum");
_Static_assert(SAME_TYPE(OpenClusterGroup, PCLUSAPI_OPEN_CLUSTER_GROUP), "OpenClusterGroup");
_Static_assert(SAME_TYPE(CloseClusterGroup, PCLUSAPI_CLOSE_CLUSTER_GROUP), "CloseClusterGroup");
_Static_assert(SAME_TYPE(GetClusterGroupState, PCLUSAPI_GET_CLUSTER_GROUP_STATE),
               "GetClusterGroupState");
_Static_assert(SAME_TYPE(OnlineClusterGroup, PCLUSAPI_ONLINE_CLUSTER_GROUP),
               "OnlineClusterGroup");
_Static_assert(SAME_TYPE(OfflineClusterGroup, PCLUSAPI_OFFLINE_CLUSTER_GROUP),
               "OfflineClusterGroup");
_Static_assert(SAME_TYPE(MoveClusterGroup, PCLUSAPI_MOVE_CLUSTER_GROUP), "MoveClusterGroup");
_Static_assert(SAME_TYPE(OpenClusterResource, PCLUSAPI_OPEN_CLUSTER_RESOURCE),
               "OpenClusterResource");
_Static_assert(SAME_TYPE(CloseClusterResource, PCLUSAPI_CLOSE_CLUSTER_RESOURCE),
               "CloseClusterResource");
_Static_assert(SAME_TYPE(GetClusterResourceState, PCLUSAPI_GET_CLUSTER_RESOURCE_STATE),
               "GetClusterResourceState");
_Static_assert(SAME_TYPE(GetLastError, DWORD (*)(void)), "GetLastError");
_Static_assert(SAME_TYPE(SetLastError, void (*)(DWORD)), "SetLastError");

/* Handles are distinct types: an HNODE is not silently accepted where an HCLUSTER is due. */
_Static_assert(_Generic((HNODE)0, HCLUSTER: 0, default: 1), "HNODE vs HCLUSTER");
_Static_assert(_Generic((HGROUP)0, HNODE: 0, HCLUSTER: 0, default: 1), "HGROUP");
_Static_assert(_Generic((HRESOURCE)0, HGROUP: 0, default: 1), "HRESOURCE");
_Static_assert(_Generic((HCLUSENUM)0, HNODEENUM: 0, HGROUPENUM: 0, HRESENUM: 0, default: 1),
               "HCLUSENUM");

struct progress_record {
    int calls;
    CLUSTER_SETUP_PHASE phase;
    CLUSTER_SETUP_PHASE_TYPE type;
    CLUSTER_SETUP_PHASE_SEVERITY severity;
    DWORD percent;
    PCWSTR object;
    DWORD status;
};

static BOOL WINAPI record_progress(PVOID arg, CLUSTER_SETUP_PHASE phase,
                                   CLUSTER_SETUP_PHASE_TYPE type,
                                   CLUSTER_SETUP_PHASE_SEVERITY severity, DWORD percent,
                                   PCWSTR object, DWORD status)
{
    struct progress_record *r = arg;

    r->calls++;
    r->phase = phase;
    r->type = type;
    r->severity = severity;
    r->percent = percent;
    r->object = object;
    r->status = status;
    return TRUE;
}

static void test_progress_callback_type(void **state)
{
    PCLUSTER_SETUP_PROGRESS_CALLBACK cb = record_progress;
    struct progress_record r = {0};
    PCWSTR node = u"node1";

    (void)state;
    assert_true(cb(&r, ClusterSetupPhaseValidateNodeState, ClusterSetupPhaseEnd,
                   ClusterSetupPhaseFatal, 12, node, 0x800713BBu));
    assert_int_equal(r.calls, 1);
    assert_int_equal(r.phase, ClusterSetupPhaseValidateNodeState);
    assert_int_equal(r.type, ClusterSetupPhaseEnd);
    assert_int_equal(r.severity, ClusterSetupPhaseFatal);
    assert_int_equal(r.percent, 12);
    assert_ptr_equal(r.object, node);
    assert_int_equal(r.status, 0x800713BBu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_setup_phase_values),
        cmocka_unit_test(test_setup_phase_type_and_severity),
        cmocka_unit_test(test_version_constants),
        cmocka_unit_test(test_mgmt_point_and_cloud),
        cmocka_unit_test(test_object_states),
        cmocka_unit_test(test_node_cluster_state),
        cmocka_unit_test(test_cluster_enum_masks),
        cmocka_unit_test(test_error_codes_general),
        cmocka_unit_test(test_error_codes_cluster),
        cmocka_unit_test(test_hresult_and_access_macros),
        cmocka_unit_test(test_base_type_sizes),
        cmocka_unit_test(test_signedness),
        cmocka_unit_test(test_create_cluster_config_layout),
        cmocka_unit_test(test_name_account_layout),
        cmocka_unit_test(test_version_info_layout),
        cmocka_unit_test(test_utf16_literals),
        cmocka_unit_test(test_progress_callback_type),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
