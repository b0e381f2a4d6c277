/*
 * The resource, enumeration and resource-type calls without a cluster: a wrong or stale handle
 * is ERROR_INVALID_HANDLE for every call, bad arguments fail before anything is sent, each kind
 * of enumeration handle is refused by the calls of the others, Enum's buffer rule, and how a
 * property goes on the wire. Linked with the library's objects, so the enumeration internals
 * can be filled without a node.
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

#include "common/rpc_proto.h"
#include "lib/lib.h"
#include "lib/resource.h"

static void test_bad_handles(void **state)
{
    void *fake = (void *)(uintptr_t)0x1000;
    WCHAR buf[16];
    DWORD n = 16, type;

    assert_null(CreateClusterResource(fake, u"r", u"Generic Application", 0));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_null(CreateClusterResource(NULL, u"r", u"Generic Application", 0));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_null(ClusapiCreateClusterResourceEx(fake, u"r", u"Generic Application", 0, NULL, 0,
                                               TRUE));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_int_equal(DeleteClusterResource(fake), ERROR_INVALID_HANDLE);
    assert_int_equal(OnlineClusterResource(fake), ERROR_INVALID_HANDLE);
    assert_int_equal(OfflineClusterResource(fake), ERROR_INVALID_HANDLE);
    assert_int_equal(FailClusterResource(fake), ERROR_INVALID_HANDLE);
    assert_int_equal(ChangeClusterResourceGroup(fake, fake), ERROR_INVALID_HANDLE);
    assert_int_equal(AddClusterResourceDependency(fake, fake), ERROR_INVALID_HANDLE);
    assert_int_equal(RemoveClusterResourceDependency(fake, fake), ERROR_INVALID_HANDLE);
    assert_int_equal(SetClusterResourceDependencyExpression(fake, u""), ERROR_INVALID_HANDLE);
    assert_int_equal(GetClusterResourceDependencyExpression(fake, buf, &n), ERROR_INVALID_HANDLE);
    assert_int_equal(AddClusterResourceNode(fake, fake), ERROR_INVALID_HANDLE);
    assert_int_equal(RemoveClusterResourceNode(fake, fake), ERROR_INVALID_HANDLE);
    assert_false(GetClusterResourceNetworkName(fake, buf, &n));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_null(ClusterResourceOpenEnum(fake, 1));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_null(ClusterGroupOpenEnum(fake, 1));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_null(ClusterNodeOpenEnum(fake, 2));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_null(ClusterResourceTypeOpenEnum(fake, u"IP Address", 1));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_int_equal(ClusterResourceEnum(fake, 0, &type, buf, &n), ERROR_INVALID_HANDLE);
    assert_int_equal(ClusterGroupEnum(fake, 0, &type, buf, &n), ERROR_INVALID_HANDLE);
    assert_int_equal(ClusterNodeEnum(fake, 0, &type, buf, &n), ERROR_INVALID_HANDLE);
    assert_int_equal(ClusterResourceTypeEnum(fake, 0, &type, buf, &n), ERROR_INVALID_HANDLE);
    assert_int_equal(ClusterResourceCloseEnum(fake), ERROR_INVALID_HANDLE);
    assert_int_equal(ClusterGroupCloseEnum(fake), ERROR_INVALID_HANDLE);
    assert_int_equal(ClusterNodeCloseEnum(fake), ERROR_INVALID_HANDLE);
    assert_int_equal(ClusterResourceTypeCloseEnum(fake), ERROR_INVALID_HANDLE);
    SetLastError(0);
    assert_int_equal(ClusterResourceGetEnumCount(fake), 0);
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_int_equal(CreateClusterResourceType(fake, u"T", u"T", u"genapp", 5000, 60000),
                     ERROR_INVALID_HANDLE);
    assert_int_equal(DeleteClusterResourceType(fake, u"T"), ERROR_INVALID_HANDLE);
}

/* A cluster handle that is registered but talks to nobody: what argument checks run against. */
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

/* Bad arguments fail before a request: the fake cluster's node would answer unreachable. */
static void test_bad_arguments(void **state)
{
    struct cluster_handle *c = fake_cluster();
    struct object_handle *g = object_new(c, HANDLE_GROUP, "web");
    struct object_handle *r = object_new(c, HANDLE_RESOURCE, "nginx");
    struct object_handle *n = object_new(c, HANDLE_NODE, "n1");

    assert_null(CreateClusterResource((HGROUP)g, NULL, u"Generic Application", 0));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_null(CreateClusterResource((HGROUP)g, u"", u"Generic Application", 0));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_null(CreateClusterResource((HGROUP)g, u"x", NULL, 0));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_null(CreateClusterResource((HGROUP)g, u"x", u"Generic Application", 2));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    /* a malformed property list is refused before anything is sent */
    {
        static const uint8_t garbage[6] = {1, 0, 0, 0, 9, 9};

        assert_null(ClusapiCreateClusterResourceEx((HGROUP)g, u"x", u"Generic Application", 0,
                                                   (PVOID)garbage, sizeof(garbage), TRUE));
        assert_int_equal(GetLastError(), ERROR_INVALID_DATA);
        assert_null(ClusapiCreateClusterResourceEx((HGROUP)g, u"x", u"Generic Application", 0,
                                                   NULL, 4, TRUE));
        assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    }
    /* a resource handle where a group is expected, and the other way round */
    assert_null(CreateClusterResource((HGROUP)r, u"x", u"Generic Application", 0));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_int_equal(ChangeClusterResourceGroup((HRESOURCE)r, (HGROUP)r), ERROR_INVALID_HANDLE);
    assert_int_equal(AddClusterResourceDependency((HRESOURCE)r, (HRESOURCE)g),
                     ERROR_INVALID_HANDLE);
    assert_int_equal(AddClusterResourceNode((HRESOURCE)r, (HNODE)g), ERROR_INVALID_HANDLE);
    assert_int_equal(OnlineClusterResource((HRESOURCE)g), ERROR_INVALID_HANDLE);
    assert_int_equal(SetClusterResourceDependencyExpression((HRESOURCE)r, NULL),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(GetClusterResourceDependencyExpression((HRESOURCE)r, NULL, NULL),
                     ERROR_INVALID_PARAMETER);
    assert_false(GetClusterResourceNetworkName((HRESOURCE)r, NULL, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    /* enumeration masks: nothing, or a bit outside the kind's */
    assert_null(ClusterResourceOpenEnum((HRESOURCE)r, 0));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_null(ClusterResourceOpenEnum((HRESOURCE)r, CLUSTER_RESOURCE_ENUM_ALL + 1));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_null(ClusterResourceOpenEnum((HRESOURCE)r, 8));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_null(ClusterGroupOpenEnum((HGROUP)g, 4));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_null(ClusterNodeOpenEnum((HNODE)n, 8));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_null(ClusterNodeOpenEnum((HNODE)g, 2));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_null(ClusterResourceTypeOpenEnum((HCLUSTER)c, NULL, 1));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_null(ClusterResourceTypeOpenEnum((HCLUSTER)c, u"IP Address", 4));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_int_equal(CreateClusterResourceType((HCLUSTER)c, u"", u"T", u"genapp", 1, 1),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(CreateClusterResourceType((HCLUSTER)c, u"T", u"T", u"", 1, 1),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(DeleteClusterResourceType((HCLUSTER)c, NULL), ERROR_INVALID_PARAMETER);
    /* closing the cluster takes every handle derived from it */
    assert_true(CloseCluster((HCLUSTER)c));
    assert_int_equal(OnlineClusterResource((HRESOURCE)r), ERROR_INVALID_HANDLE);
}

/* An enumeration of that type with two items, registered as the Open calls leave it. */
static struct enum_handle *filled(struct cluster_handle *c, enum handle_type type)
{
    struct enum_handle *e = enum_new(c, type);

    assert_non_null(e);
    assert_int_equal(enum_add(e, 1, "ip"), 0);
    assert_int_equal(enum_add(e, 1, "IP"), 0); /* the same name: kept once */
    assert_int_equal(enum_add(e, 2, "a-longer-name"), 0);
    assert_ptr_equal(enum_finish(e, 0), e);
    return e;
}

static void test_enum_types_are_checked(void **state)
{
    struct cluster_handle *c = fake_cluster();
    struct enum_handle *res = filled(c, HANDLE_RES_ENUM), *grp = filled(c, HANDLE_GROUP_ENUM);
    struct enum_handle *node = filled(c, HANDLE_NODE_ENUM), *rt = filled(c, HANDLE_RESTYPE_ENUM);
    WCHAR buf[8];
    DWORD n = 8, type = 0;

    assert_int_equal(ClusterResourceGetEnumCount((HRESENUM)res), 2);
    assert_int_equal(ClusterGroupGetEnumCount((HGROUPENUM)grp), 2);
    assert_int_equal(ClusterNodeGetEnumCount((HNODEENUM)node), 2);
    assert_int_equal(ClusterResourceTypeGetEnumCount((HRESTYPEENUM)rt), 2);
    assert_int_equal(ClusterGroupEnum((HGROUPENUM)res, 0, &type, buf, &n), ERROR_INVALID_HANDLE);
    assert_int_equal(ClusterNodeEnum((HNODEENUM)grp, 0, &type, buf, &n), ERROR_INVALID_HANDLE);
    assert_int_equal(ClusterResourceTypeEnum((HRESTYPEENUM)node, 0, &type, buf, &n),
                     ERROR_INVALID_HANDLE);
    assert_int_equal(ClusterResourceEnum((HRESENUM)rt, 0, &type, buf, &n), ERROR_INVALID_HANDLE);
    assert_int_equal(ClusterEnum((HCLUSENUM)res, 0, &type, buf, &n), ERROR_INVALID_HANDLE);
    assert_int_equal(ClusterGroupCloseEnum((HGROUPENUM)res), ERROR_INVALID_HANDLE);
    /* the buffer rule */
    assert_int_equal(ClusterResourceEnum((HRESENUM)res, 0, &type, buf, &n), 0);
    assert_int_equal(type, 1);
    assert_int_equal(n, 2);
    assert_memory_equal(buf, u"ip", 3 * sizeof(WCHAR));
    n = 8;
    assert_int_equal(ClusterResourceEnum((HRESENUM)res, 1, &type, buf, &n), ERROR_MORE_DATA);
    assert_int_equal(n, strlen("a-longer-name"));
    assert_int_equal(ClusterResourceEnum((HRESENUM)res, 2, &type, buf, &n), ERROR_NO_MORE_ITEMS);
    assert_int_equal(ClusterResourceEnum((HRESENUM)res, 0, NULL, buf, &n),
                     ERROR_INVALID_PARAMETER);
    /* each closes with its own call, once */
    assert_int_equal(ClusterResourceCloseEnum((HRESENUM)res), 0);
    assert_int_equal(ClusterResourceCloseEnum((HRESENUM)res), ERROR_INVALID_HANDLE);
    assert_int_equal(ClusterGroupCloseEnum((HGROUPENUM)grp), 0);
    assert_int_equal(ClusterNodeCloseEnum((HNODEENUM)node), 0);
    /* rt goes with its cluster */
    assert_true(CloseCluster((HCLUSTER)c));
    assert_int_equal(ClusterResourceTypeCloseEnum((HRESTYPEENUM)rt), ERROR_INVALID_HANDLE);
}

/* The string values of the PROP fields in an encoded request, joined by '|'. */
static void prop_values(const uint8_t *data, size_t len, char *out, size_t cap)
{
    struct wire_reader rd, inner;
    struct wire_field f, g;

    out[0] = '\0';
    wire_reader_init(&rd, data, len);
    while (wire_next(&rd, &f) > 0) {
        if (f.tag != RPC_F_PROP)
            continue;
        wire_reader_init(&inner, f.value, f.len);
        while (wire_next(&inner, &g) > 0) {
            char *v = NULL;

            if (g.tag == RPC_F_VALUE && wire_field_strdup(&g, &v) == 0) {
                strncat(out, v, cap - strlen(out) - 1);
                strncat(out, "|", cap - strlen(out) - 1);
            }
            free(v);
        }
    }
}

static void test_prop_on_the_wire(void **state)
{
    const struct prop props[] = {
        {"Environment", PROP_SYNTAX_MULTI_SZ, "A=1\nB=two words\n"},
        {"CommandLine", PROP_SYNTAX_SZ, "/usr/sbin/nginx -g 'daemon off;'"},
        {"Empty", PROP_SYNTAX_MULTI_SZ, ""},
    };
    struct wire_writer w;
    uint8_t *data;
    size_t len;
    char values[256];
    struct wire_field first;
    uint32_t syntax = 0;

    wire_writer_init(&w);
    for (size_t i = 0; i < 3; i++)
        resource_put_prop(&w, &props[i]);
    data = wire_writer_take(&w, &len);
    assert_non_null(data);
    prop_values(data, len, values, sizeof(values));
    /* one VALUE per string of the MULTI_SZ, the SZ whole, the empty list none */
    assert_string_equal(values, "A=1|B=two words|/usr/sbin/nginx -g 'daemon off;'|");
    assert_int_equal(wire_find(data, len, RPC_F_PROP, &first), 0);
    assert_int_equal(wire_get_u32(first.value, first.len, RPC_F_SYNTAX, &syntax), 0);
    assert_int_equal(syntax, PROP_SYNTAX_MULTI_SZ);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_handles),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_enum_types_are_checked),
        cmocka_unit_test(test_prop_on_the_wire),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
