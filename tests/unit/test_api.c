/*
 * The public API without a cluster: bad handles of every kind fail with ERROR_INVALID_HANDLE
 * (never a crash), bad arguments with their Win32 codes, a node that does not answer with
 * ERROR_CLUSTER_NODE_UNREACHABLE, and the last error is per thread.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <clusapi.h>
#include <clusapi_ext.h>

static void test_bad_handles(void **state)
{
    HCLUSTER fake = (HCLUSTER)(uintptr_t)0x1000;
    WCHAR name[16];
    DWORD n = 16, type;
    HRESULT hr;

    SetLastError(0);
    assert_false(CloseCluster(NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_false(CloseCluster(fake));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_false(CloseClusterNode((HNODE)fake));
    assert_false(CloseClusterGroup((HGROUP)fake));
    assert_false(CloseClusterResource((HRESOURCE)fake));
    assert_int_equal(GetClusterNodeState((HNODE)fake), ClusterNodeStateUnknown);
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_int_equal(GetClusterGroupState((HGROUP)fake, NULL, NULL), ClusterGroupStateUnknown);
    assert_int_equal(GetClusterResourceState((HRESOURCE)fake, NULL, NULL, NULL, NULL),
                     ClusterResourceStateUnknown);
    assert_int_equal(GetClusterInformation(fake, name, &n, NULL), ERROR_INVALID_HANDLE);
    assert_null(ClusterOpenEnum(fake, CLUSTER_ENUM_NODE));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_int_equal(ClusterEnum((HCLUSENUM)fake, 0, &type, name, &n), ERROR_INVALID_HANDLE);
    assert_int_equal(ClusterCloseEnum((HCLUSENUM)fake), ERROR_INVALID_HANDLE);
    assert_int_equal(ClusapiRotateClusterCredential(NULL), ERROR_INVALID_HANDLE);
    assert_int_equal(ClusapiRotateClusterCredential(fake), ERROR_INVALID_HANDLE);
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_null(OpenClusterNode(fake, u"n1"));
    assert_null(OpenClusterGroup(fake, u"Cluster Group"));
    assert_int_equal(OnlineClusterGroup((HGROUP)fake, NULL), ERROR_INVALID_HANDLE);
    assert_int_equal(OfflineClusterGroup((HGROUP)fake), ERROR_INVALID_HANDLE);
    assert_int_equal(MoveClusterGroup((HGROUP)fake, NULL), ERROR_INVALID_HANDLE);
    assert_null(CreateClusterGroup(fake, u"web"));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_int_equal(DeleteClusterGroup((HGROUP)fake), ERROR_INVALID_HANDLE);
    assert_int_equal(ClusapiSetClusterProperty(fake, u"SameSubnetDelay", u"500"),
                     ERROR_INVALID_HANDLE);
    assert_int_equal(ClusapiGetClusterProperty(fake, u"SameSubnetDelay", name, &n),
                     ERROR_INVALID_HANDLE);
    assert_int_equal(SetClusterGroupNodeList((HGROUP)fake, 0, NULL), ERROR_INVALID_HANDLE);
    assert_int_equal(PauseClusterNode((HNODE)fake), ERROR_INVALID_HANDLE);
    assert_int_equal(ResumeClusterNode((HNODE)fake), ERROR_INVALID_HANDLE);
    assert_int_equal(EvictClusterNode((HNODE)fake), ERROR_INVALID_HANDLE);
    assert_int_equal(EvictClusterNodeEx((HNODE)fake, 0, &hr), ERROR_INVALID_HANDLE);
    assert_null(AddClusterNode(fake, u"n4", NULL, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_int_equal(DestroyCluster(fake, NULL, NULL, FALSE), ERROR_INVALID_HANDLE);
    assert_int_equal(ClusapiInstallAdminKey(fake, u"/tmp/new.key"), ERROR_INVALID_HANDLE);
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_int_equal(ClusapiInstallAdminKey(NULL, u"/tmp/new.key"), ERROR_INVALID_HANDLE);
    assert_int_equal(ClusapiRetireAdminKeys(fake), ERROR_INVALID_HANDLE);
    assert_int_equal(ClusapiRetireAdminKeys(NULL), ERROR_INVALID_HANDLE);
}

static void test_bad_arguments(void **state)
{
    DWORD st;

    assert_int_equal(GetNodeClusterState(u"n1", NULL), ERROR_INVALID_PARAMETER);
    assert_null(CreateCluster(NULL, NULL, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_null(CreateClusterCNOless(NULL, NULL, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    (void)st;
}

/* An invalid configuration fails before any node is contacted: no callback either. */
static unsigned callbacks;

static BOOL CLUSAPI_CALL count_cb(PVOID arg, CLUSTER_SETUP_PHASE phase,
                                  CLUSTER_SETUP_PHASE_TYPE type,
                                  CLUSTER_SETUP_PHASE_SEVERITY severity, DWORD percent,
                                  PCWSTR object, DWORD status)
{
    callbacks++;
    return TRUE;
}

static void test_invalid_config_contacts_nobody(void **state)
{
    PCWSTR nodes[] = {u"127.0.0.1"}; /* never contacted; loopback if it were */
    CLUSTER_IP_ENTRY ip = {u"10.99.0.100", 0};
    CREATE_CLUSTER_CONFIG cfg = {.dwVersion = CLUSAPI_VERSION_WINDOWSBLUE,
                                 .lpszClusterName = u"c1", .cNodes = 1, .ppszNodeNames = nodes,
                                 .cIpEntries = 1, .pIpEntries = &ip,
                                 .managementPointType = CLUSTER_MGMT_POINT_TYPE_DNS_ONLY};

    callbacks = 0;
    assert_null(CreateCluster(&cfg, count_cb, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_string_not_equal(ClusapiLastErrorText(), "");
    assert_int_equal(callbacks, 0);
}

static void test_unreachable_node(void **state)
{
    DWORD st = 0;

    setenv("CLUSAPI_PORT", "1", 1); /* nothing listens on loopback port 1 */
    setenv("CLUSAPI_AUTHKEY", "/nonexistent/authkey", 1);
    assert_null(OpenCluster(u"127.0.0.1"));
    assert_int_equal(GetLastError(), ERROR_ACCESS_DENIED); /* no key: refused before connecting */
    unsetenv("CLUSAPI_AUTHKEY");
    assert_int_not_equal(GetNodeClusterState(u"127.0.0.1", &st), 0);
    unsetenv("CLUSAPI_PORT");
}

static void *other_thread(void *arg)
{
    SetLastError(1234);
    *(DWORD *)arg = GetLastError();
    return NULL;
}

static void test_last_error_is_per_thread(void **state)
{
    pthread_t t;
    DWORD seen = 0;

    SetLastError(42);
    pthread_create(&t, NULL, other_thread, &seen);
    pthread_join(t, NULL);
    assert_int_equal(seen, 1234);
    assert_int_equal(GetLastError(), 42);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_handles),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_invalid_config_contacts_nobody),
        cmocka_unit_test(test_unreachable_node),
        cmocka_unit_test(test_last_error_is_per_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
