/*
 * The quorum calls without a cluster: a wrong or stale handle is ERROR_INVALID_HANDLE, and bad
 * arguments (a NULL out-parameter, a device name, a quorum mode other than the two a witness
 * has, a malformed witness address) fail with ERROR_INVALID_PARAMETER before anything is sent.
 * Linked with the library's objects, so handles can be made without a node.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <clusapi.h>
#include <clusapi_ext.h>

#include "lib/lib.h"

/* A cluster handle that is registered but talks to nobody (port 1 of loopback refuses). */
static struct cluster_handle *fake_cluster(void)
{
    struct cluster_handle *c = calloc(1, sizeof(*c));

    assert_non_null(c);
    c->h.type = HANDLE_CLUSTER;
    pthread_mutex_init(&c->mu, NULL);
    rpc_conn_init(&c->conn, "127.0.0.1", 1);
    assert_true(handle_register(&c->h));
    return c;
}

static void test_bad_handles(void **state)
{
    void *fake = (void *)(uintptr_t)0x1000;
    struct cluster_handle *c = fake_cluster();
    struct object_handle *r = object_new(c, HANDLE_RESOURCE, "Node Witness");
    WCHAR name[16], dev[16];
    DWORD n = 16, n_dev = 16, mode = 7, flags = 7;

    (void)state;
    assert_int_equal(SetClusterQuorumResource(fake, NULL, CLUS_HYBRID_QUORUM),
                     ERROR_INVALID_HANDLE);
    assert_int_equal(SetClusterQuorumResource(NULL, NULL, CLUS_HYBRID_QUORUM),
                     ERROR_INVALID_HANDLE);
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_int_equal(GetClusterQuorumResource(fake, name, &n, dev, &n_dev, &mode),
                     ERROR_INVALID_HANDLE);
    assert_int_equal(ClusapiGetNodeQuorumFlags(fake, &flags), ERROR_INVALID_HANDLE);
    assert_int_equal(ClusapiCheckWitness(fake, u"w1"), ERROR_INVALID_HANDLE);
    /* a handle of another kind */
    assert_int_equal(SetClusterQuorumResource((HRESOURCE)c, NULL, CLUS_HYBRID_QUORUM),
                     ERROR_INVALID_HANDLE);
    assert_int_equal(GetClusterQuorumResource((HCLUSTER)r, name, &n, dev, &n_dev, &mode),
                     ERROR_INVALID_HANDLE);
    assert_int_equal(ClusapiGetNodeQuorumFlags((HNODE)r, &flags), ERROR_INVALID_HANDLE);
    assert_int_equal(mode, 7); /* nothing written */
    assert_int_equal(flags, 7);
    assert_true(CloseCluster((HCLUSTER)c));
    /* stale: closing the cluster took the resource handle */
    assert_int_equal(SetClusterQuorumResource((HRESOURCE)r, NULL, CLUS_HYBRID_QUORUM),
                     ERROR_INVALID_HANDLE);
}

static void test_bad_arguments(void **state)
{
    struct cluster_handle *c = fake_cluster();
    struct object_handle *r = object_new(c, HANDLE_RESOURCE, "Node Witness");
    struct object_handle *node = object_new(c, HANDLE_NODE, "n3");
    WCHAR name[16], dev[16];
    DWORD n = 16, n_dev = 16, mode;

    (void)state;
    /* only the two modes a witness has: not the disk-only one, not a Windows 2003 log size */
    assert_int_equal(SetClusterQuorumResource((HRESOURCE)r, NULL, CLUS_LEGACY_QUORUM),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(SetClusterQuorumResource((HRESOURCE)r, NULL, 64000), ERROR_INVALID_PARAMETER);
    assert_non_null(strstr(ClusapiLastErrorText(), "CLUS_HYBRID_QUORUM"));
    /* a Node Witness keeps no files: a device name is refused, an empty one is none */
    assert_int_equal(SetClusterQuorumResource((HRESOURCE)r, u"Q:\\MSCS", CLUS_HYBRID_QUORUM),
                     ERROR_INVALID_PARAMETER);
    assert_int_not_equal(SetClusterQuorumResource((HRESOURCE)r, u"", CLUS_HYBRID_QUORUM),
                         ERROR_INVALID_PARAMETER); /* passes the checks: unreachable then */
    /* every out-parameter of GetClusterQuorumResource is required */
    assert_int_equal(GetClusterQuorumResource((HCLUSTER)c, NULL, &n, dev, &n_dev, &mode),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(GetClusterQuorumResource((HCLUSTER)c, name, NULL, dev, &n_dev, &mode),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(GetClusterQuorumResource((HCLUSTER)c, name, &n, NULL, &n_dev, &mode),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(GetClusterQuorumResource((HCLUSTER)c, name, &n, dev, NULL, &mode),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(GetClusterQuorumResource((HCLUSTER)c, name, &n, dev, &n_dev, NULL),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(ClusapiGetNodeQuorumFlags((HNODE)node, NULL), ERROR_INVALID_PARAMETER);
    /* a witness address of the wrong form never reaches a node */
    assert_int_equal(ClusapiCheckWitness((HCLUSTER)c, NULL), ERROR_INVALID_PARAMETER);
    assert_int_equal(ClusapiCheckWitness((HCLUSTER)c, u"bad_host"), ERROR_INVALID_PARAMETER);
    assert_int_equal(ClusapiCheckWitness((HCLUSTER)c, u"w1:70000"), ERROR_INVALID_PARAMETER);
    assert_non_null(strstr(ClusapiLastErrorText(), "w1:70000"));
    assert_true(CloseCluster((HCLUSTER)c));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_handles),
        cmocka_unit_test(test_bad_arguments),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
