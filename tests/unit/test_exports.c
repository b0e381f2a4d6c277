/*
 * Every function the resource, enumeration, resource-type and quorum sections of clusapi.h
 * declare is exported from the built libclusapi.so (it is built with -fvisibility=hidden, so a
 * missing CLUSAPI_API would hide one): dlopen the library and dlsym each name.
 */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

static const char *const names[] = {
    "CreateClusterResource", "DeleteClusterResource", "OnlineClusterResource",
    "OfflineClusterResource", "FailClusterResource", "ChangeClusterResourceGroup",
    "AddClusterResourceDependency", "RemoveClusterResourceDependency",
    "SetClusterResourceDependencyExpression", "GetClusterResourceDependencyExpression",
    "AddClusterResourceNode", "RemoveClusterResourceNode", "GetClusterResourceNetworkName",
    "ClusterResourceOpenEnum", "ClusterResourceGetEnumCount", "ClusterResourceEnum",
    "ClusterResourceCloseEnum", "ClusterGroupOpenEnum", "ClusterGroupGetEnumCount",
    "ClusterGroupEnum", "ClusterGroupCloseEnum", "ClusterNodeOpenEnum", "ClusterNodeGetEnumCount",
    "ClusterNodeEnum", "ClusterNodeCloseEnum", "CreateClusterResourceType",
    "DeleteClusterResourceType", "ClusterResourceTypeOpenEnum", "ClusterResourceTypeGetEnumCount",
    "ClusterResourceTypeEnum", "ClusterResourceTypeCloseEnum", "ClusapiCreateClusterResourceEx",
    "ClusapiGetResourceTypeInfo",
    /* the ones the new code reworked */
    "ClusterOpenEnum", "ClusterGetEnumCount", "ClusterEnum", "ClusterCloseEnum",
    /* quorum */
    "GetClusterQuorumResource", "SetClusterQuorumResource", "ClusapiGetNodeQuorumFlags",
    "ClusapiCheckWitness",
};

static void test_every_name_is_exported(void **state)
{
    void *lib = dlopen(LIBCLUSAPI_SO, RTLD_NOW | RTLD_LOCAL);

    if (lib == NULL)
        fail_msg("dlopen %s: %s", LIBCLUSAPI_SO, dlerror());
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (dlsym(lib, names[i]) == NULL)
            fail_msg("%s is not exported", names[i]);
    /* and an internal helper is not */
    assert_null(dlsym(lib, "enum_add"));
    dlclose(lib);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_name_is_exported),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
