/*
 * lab_badinput — the bad-input rows that need live handles (tests/unit/test_bad_input.c has the
 * rest): with a cluster, node, group, resource and enumeration handle open on a real cluster,
 * every call is given one malformed argument and must fail with its Win32 code; and the nodes
 * must have received no request for any of it. Each node counts the requests it gets with the
 * admin key (NODE_INFO admin_requests); the counters are read just before and just after the
 * table, so each must have grown by exactly one: the second reading itself.
 *
 *   lab_badinput HOST NODE...   (HOST: the node the handles talk to; NODE: every member,
 *                                whose counters are read; key from $CLUSAPI_AUTHKEY)
 *
 * Prints one line per row ("ok WHAT" or "FAIL WHAT: ..."), one per node counter, then
 * "result failed=N". Exit: 0 all rows passed and no node was contacted, 1 otherwise, 2 usage.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <clusapi.h>
#include <clusapi_ext.h>

#include "../bad_input.h"
#include "common/rpc_proto.h"
#include "lab_watch.h"
#include "lib/lib.h"

#define MAX_NODES 16

static HCLUSTER cluster;
static HNODE node, other, stale;
static HGROUP group;
static HRESOURCE resource;
static HCLUSENUM nodes_enum;

/* ------------------------------------------------------------------------------------------ */
/* The rows                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static DWORD open_node_null(void) { return gle_if_null(OpenClusterNode(cluster, NULL)); }
static DWORD open_node_unterminated(void)
{
    return gle_if_null(OpenClusterNode(cluster, unterminated));
}
static DWORD open_node_bad_utf16(void) { return gle_if_null(OpenClusterNode(cluster, bad_utf16)); }
static DWORD open_node_ex_null(void)
{
    return gle_if_null(OpenClusterNodeEx(cluster, NULL, GENERIC_READ, NULL));
}
static DWORD open_node_wrong_type(void)
{
    return gle_if_null(OpenClusterNode((HCLUSTER)group, u"n1"));
}
static DWORD open_group_null(void) { return gle_if_null(OpenClusterGroup(cluster, NULL)); }
static DWORD open_group_unterminated(void)
{
    return gle_if_null(OpenClusterGroup(cluster, unterminated));
}
static DWORD open_group_bad_utf16(void)
{
    return gle_if_null(OpenClusterGroup(cluster, bad_utf16));
}
static DWORD create_group_null(void) { return gle_if_null(CreateClusterGroup(cluster, NULL)); }
static DWORD create_group_empty(void) { return gle_if_null(CreateClusterGroup(cluster, u"")); }
static DWORD create_group_unterminated(void)
{
    return gle_if_null(CreateClusterGroup(cluster, unterminated));
}
static DWORD create_group_bad_utf16(void)
{
    return gle_if_null(CreateClusterGroup(cluster, bad_utf16));
}
static DWORD create_group_too_long(void)
{
    return gle_if_null(CreateClusterGroup(cluster, too_long_host));
}
static DWORD create_group_wrong_type(void)
{
    return gle_if_null(CreateClusterGroup((HCLUSTER)group, u"g1"));
}
static DWORD delete_group_stale(void) { return DeleteClusterGroup((HGROUP)stale); }
static DWORD delete_group_wrong_type(void) { return DeleteClusterGroup((HGROUP)node); }
static DWORD open_resource_null(void) { return gle_if_null(OpenClusterResource(cluster, NULL)); }
static DWORD open_resource_unterminated(void)
{
    return gle_if_null(OpenClusterResource(cluster, unterminated));
}
static DWORD info_no_size(void)
{
    WCHAR buf[64];

    return GetClusterInformation(cluster, buf, NULL, NULL);
}
static DWORD info_small_version(void)
{
    WCHAR buf[64];
    DWORD n = 64;
    CLUSTERVERSIONINFO vi = {.dwVersionInfoSize = 8};

    return GetClusterInformation(cluster, buf, &n, &vi);
}
static DWORD info_wrong_type(void)
{
    WCHAR buf[64];
    DWORD n = 64;

    return GetClusterInformation((HCLUSTER)node, buf, &n, NULL);
}
static DWORD enum_type_zero(void) { return gle_if_null(ClusterOpenEnum(cluster, 0)); }
static DWORD enum_type_unknown(void)
{
    return gle_if_null(ClusterOpenEnum(cluster, CLUSTER_ENUM_ALL | 0x1000));
}
static DWORD enum_no_type_out(void)
{
    WCHAR buf[64];
    DWORD n = 64;

    return ClusterEnum(nodes_enum, 0, NULL, buf, &n);
}
static DWORD enum_no_size(void)
{
    WCHAR buf[64];
    DWORD type;

    return ClusterEnum(nodes_enum, 0, &type, buf, NULL);
}
static DWORD enum_count_wrong_type(void)
{
    SetLastError(0);
    return ClusterGetEnumCount((HCLUSENUM)cluster) == 0 ? GetLastError() : 0;
}
static DWORD enum_close_wrong_type(void) { return ClusterCloseEnum((HCLUSENUM)group); }
static DWORD node_state_stale(void)
{
    return GetClusterNodeState(stale) == ClusterNodeStateUnknown ? GetLastError() : 0;
}
static DWORD node_state_wrong_type(void)
{
    return GetClusterNodeState((HNODE)group) == ClusterNodeStateUnknown ? GetLastError() : 0;
}
static DWORD pause_stale(void) { return PauseClusterNode(stale); }
static DWORD resume_wrong_type(void) { return ResumeClusterNode((HNODE)cluster); }
static DWORD evict_stale(void) { return EvictClusterNode(stale); }
static DWORD evict_ex_wrong_type(void)
{
    HRESULT hr;

    return EvictClusterNodeEx((HNODE)group, 1000, &hr);
}
static DWORD evict_ex2_reason_unterminated(void)
{
    HRESULT hr;

    return EvictClusterNodeEx2(other, 1000, &hr, unterminated);
}
static DWORD evict_ex2_reason_bad_utf16(void)
{
    HRESULT hr;

    return EvictClusterNodeEx2(other, 1000, &hr, bad_utf16);
}
static DWORD close_node_stale(void) { return gle_if_false(CloseClusterNode(stale)); }
static DWORD close_group_wrong_type(void) { return gle_if_false(CloseClusterGroup((HGROUP)node)); }
static DWORD close_resource_wrong_type(void)
{
    return gle_if_false(CloseClusterResource((HRESOURCE)group));
}
static DWORD group_state_no_size(void)
{
    WCHAR buf[64];

    return GetClusterGroupState(group, buf, NULL) == ClusterGroupStateUnknown ? GetLastError()
                                                                              : 0;
}
static DWORD group_state_wrong_type(void)
{
    return GetClusterGroupState((HGROUP)resource, NULL, NULL) == ClusterGroupStateUnknown
               ? GetLastError()
               : 0;
}
static DWORD resource_state_no_size(void)
{
    WCHAR buf[64];
    DWORD n = 64;

    return GetClusterResourceState(resource, buf, &n, buf, NULL) == ClusterResourceStateUnknown
               ? GetLastError()
               : 0;
}
static DWORD online_stale_target(void) { return OnlineClusterGroup(group, stale); }
static DWORD online_wrong_type_target(void) { return OnlineClusterGroup(group, (HNODE)group); }
static DWORD offline_wrong_type(void) { return OfflineClusterGroup((HGROUP)node); }
static DWORD move_stale_target(void) { return MoveClusterGroup(group, stale); }
static DWORD move_wrong_type_target(void) { return MoveClusterGroup(group, (HNODE)resource); }
static DWORD node_list_null(void) { return SetClusterGroupNodeList(group, 1, NULL); }
static DWORD node_list_65(void)
{
    HNODE list[65];

    for (size_t i = 0; i < 65; i++)
        list[i] = node;
    return SetClusterGroupNodeList(group, 65, list);
}
static DWORD node_list_huge(void)
{
    HNODE list[2] = {node, other};

    return SetClusterGroupNodeList(group, 0xFFFFFFFF, list);
}
static DWORD node_list_null_entry(void)
{
    HNODE list[2] = {node, NULL};

    return SetClusterGroupNodeList(group, 2, list);
}
static DWORD node_list_stale_entry(void)
{
    HNODE list[2] = {node, stale};

    return SetClusterGroupNodeList(group, 2, list);
}
static DWORD node_list_wrong_type_entry(void)
{
    HNODE list[2] = {other, (HNODE)group};

    return SetClusterGroupNodeList(group, 2, list);
}
static DWORD node_list_twice(void)
{
    HNODE list[2] = {node, node};

    return SetClusterGroupNodeList(group, 2, list);
}
static DWORD add_null(void) { return gle_if_null(AddClusterNode(cluster, NULL, NULL, NULL)); }
static DWORD add_empty(void) { return gle_if_null(AddClusterNode(cluster, u"", NULL, NULL)); }
static DWORD add_unterminated(void)
{
    return gle_if_null(AddClusterNode(cluster, unterminated, NULL, NULL));
}
static DWORD add_bad_utf16(void)
{
    return gle_if_null(AddClusterNode(cluster, bad_utf16, NULL, NULL));
}
static DWORD add_bad_dns(void) { return gle_if_null(AddClusterNode(cluster, u"n_9", NULL, NULL)); }
static DWORD add_too_long(void)
{
    return gle_if_null(AddClusterNode(cluster, too_long_host, NULL, NULL));
}
static DWORD add_flags(void) { return gle_if_null(AddClusterNodeEx(cluster, u"n9", 1, NULL, NULL)); }
static DWORD add_flags_observed(void)
{
    return gle_if_null(AddClusterNodeEx(cluster, u"n9", 0x01000000, NULL, NULL));
}
static DWORD add_wrong_type(void)
{
    return gle_if_null(AddClusterNode((HCLUSTER)node, u"n9", NULL, NULL));
}
static DWORD destroy_wrong_type(void) { return DestroyCluster((HCLUSTER)group, NULL, NULL, FALSE); }

static const struct bad_row rows[] = {
    {"OpenClusterNode, name NULL", open_node_null, ERROR_INVALID_PARAMETER},
    {"OpenClusterNode, name not terminated", open_node_unterminated,
     ERROR_CLUSTER_INVALID_STRING_TERMINATION},
    {"OpenClusterNode, lone surrogate", open_node_bad_utf16, ERROR_CLUSTER_INVALID_STRING_FORMAT},
    {"OpenClusterNodeEx, name NULL", open_node_ex_null, ERROR_INVALID_PARAMETER},
    {"OpenClusterNode, a group handle", open_node_wrong_type, ERROR_INVALID_HANDLE},
    {"OpenClusterGroup, name NULL", open_group_null, ERROR_INVALID_PARAMETER},
    {"OpenClusterGroup, name not terminated", open_group_unterminated,
     ERROR_CLUSTER_INVALID_STRING_TERMINATION},
    {"OpenClusterGroup, lone surrogate", open_group_bad_utf16,
     ERROR_CLUSTER_INVALID_STRING_FORMAT},
    {"CreateClusterGroup, name NULL", create_group_null, ERROR_INVALID_PARAMETER},
    {"CreateClusterGroup, name empty", create_group_empty, ERROR_INVALID_PARAMETER},
    {"CreateClusterGroup, name not terminated", create_group_unterminated,
     ERROR_CLUSTER_INVALID_STRING_TERMINATION},
    {"CreateClusterGroup, lone surrogate", create_group_bad_utf16,
     ERROR_CLUSTER_INVALID_STRING_FORMAT},
    {"CreateClusterGroup, name of 299", create_group_too_long, ERROR_INVALID_PARAMETER},
    {"CreateClusterGroup, a group handle", create_group_wrong_type, ERROR_INVALID_HANDLE},
    {"DeleteClusterGroup, closed node handle", delete_group_stale, ERROR_INVALID_HANDLE},
    {"DeleteClusterGroup, a node handle", delete_group_wrong_type, ERROR_INVALID_HANDLE},
    {"OpenClusterResource, name NULL", open_resource_null, ERROR_INVALID_PARAMETER},
    {"OpenClusterResource, name not terminated", open_resource_unterminated,
     ERROR_CLUSTER_INVALID_STRING_TERMINATION},
    {"GetClusterInformation, size NULL", info_no_size, ERROR_INVALID_PARAMETER},
    {"GetClusterInformation, dwVersionInfoSize 8", info_small_version, ERROR_INVALID_PARAMETER},
    {"GetClusterInformation, a node handle", info_wrong_type, ERROR_INVALID_HANDLE},
    {"ClusterOpenEnum, type 0", enum_type_zero, ERROR_INVALID_PARAMETER},
    {"ClusterOpenEnum, unknown type bit", enum_type_unknown, ERROR_INVALID_PARAMETER},
    {"ClusterEnum, type out NULL", enum_no_type_out, ERROR_INVALID_PARAMETER},
    {"ClusterEnum, size NULL", enum_no_size, ERROR_INVALID_PARAMETER},
    {"ClusterGetEnumCount, a cluster handle", enum_count_wrong_type, ERROR_INVALID_HANDLE},
    {"ClusterCloseEnum, a group handle", enum_close_wrong_type, ERROR_INVALID_HANDLE},
    {"GetClusterNodeState, closed handle", node_state_stale, ERROR_INVALID_HANDLE},
    {"GetClusterNodeState, a group handle", node_state_wrong_type, ERROR_INVALID_HANDLE},
    {"PauseClusterNode, closed handle", pause_stale, ERROR_INVALID_HANDLE},
    {"ResumeClusterNode, a cluster handle", resume_wrong_type, ERROR_INVALID_HANDLE},
    {"EvictClusterNode, closed handle", evict_stale, ERROR_INVALID_HANDLE},
    {"EvictClusterNodeEx, a group handle", evict_ex_wrong_type, ERROR_INVALID_HANDLE},
    {"EvictClusterNodeEx2, reason not terminated", evict_ex2_reason_unterminated,
     ERROR_CLUSTER_INVALID_STRING_TERMINATION},
    {"EvictClusterNodeEx2, reason lone surrogate", evict_ex2_reason_bad_utf16,
     ERROR_CLUSTER_INVALID_STRING_FORMAT},
    {"CloseClusterNode, closed handle", close_node_stale, ERROR_INVALID_HANDLE},
    {"CloseClusterGroup, a node handle", close_group_wrong_type, ERROR_INVALID_HANDLE},
    {"CloseClusterResource, a group handle", close_resource_wrong_type, ERROR_INVALID_HANDLE},
    {"GetClusterGroupState, buffer without size", group_state_no_size, ERROR_INVALID_PARAMETER},
    {"GetClusterGroupState, a resource handle", group_state_wrong_type, ERROR_INVALID_HANDLE},
    {"GetClusterResourceState, buffer without size", resource_state_no_size,
     ERROR_INVALID_PARAMETER},
    {"OnlineClusterGroup, closed target", online_stale_target, ERROR_INVALID_HANDLE},
    {"OnlineClusterGroup, a group as target", online_wrong_type_target, ERROR_INVALID_HANDLE},
    {"OfflineClusterGroup, a node handle", offline_wrong_type, ERROR_INVALID_HANDLE},
    {"MoveClusterGroup, closed target", move_stale_target, ERROR_INVALID_HANDLE},
    {"MoveClusterGroup, a resource as target", move_wrong_type_target, ERROR_INVALID_HANDLE},
    {"SetClusterGroupNodeList, 1 and NULL", node_list_null, ERROR_INVALID_PARAMETER},
    {"SetClusterGroupNodeList, 65 nodes", node_list_65, ERROR_INVALID_PARAMETER},
    {"SetClusterGroupNodeList, count 0xFFFFFFFF", node_list_huge, ERROR_INVALID_PARAMETER},
    {"SetClusterGroupNodeList, a NULL entry", node_list_null_entry, ERROR_INVALID_PARAMETER},
    {"SetClusterGroupNodeList, a closed entry", node_list_stale_entry, ERROR_INVALID_HANDLE},
    {"SetClusterGroupNodeList, a group entry", node_list_wrong_type_entry, ERROR_INVALID_HANDLE},
    {"SetClusterGroupNodeList, a node twice", node_list_twice, ERROR_INVALID_PARAMETER},
    {"AddClusterNode, name NULL", add_null, ERROR_INVALID_PARAMETER},
    {"AddClusterNode, name empty", add_empty, ERROR_INVALID_PARAMETER},
    {"AddClusterNode, name not terminated", add_unterminated,
     ERROR_CLUSTER_INVALID_STRING_TERMINATION},
    {"AddClusterNode, lone surrogate", add_bad_utf16, ERROR_CLUSTER_INVALID_STRING_FORMAT},
    {"AddClusterNode, '_' in the name", add_bad_dns, ERROR_CLUSTER_INVALID_STRING_FORMAT},
    {"AddClusterNode, name of 299", add_too_long, ERROR_CLUSTER_INVALID_STRING_FORMAT},
    {"AddClusterNodeEx, flag 1", add_flags, ERROR_INVALID_PARAMETER},
    {"AddClusterNodeEx, flag 0x01000000", add_flags_observed, ERROR_INVALID_PARAMETER},
    {"AddClusterNode, a node handle", add_wrong_type, ERROR_INVALID_HANDLE},
    {"DestroyCluster, a group handle", destroy_wrong_type, ERROR_INVALID_HANDLE},
};

/* ------------------------------------------------------------------------------------------ */
/* Handles and counters                                                                        */
/* ------------------------------------------------------------------------------------------ */

/* The node's count of admin-key requests, this reading included; -1 if it did not answer. */
static int64_t admin_requests(const char *host)
{
    struct rpc_conn conn;
    struct wire_writer w;
    struct rpc_reply r;
    uint64_t v = 0;
    int64_t rv = -1;

    rpc_conn_init(&conn, host, lib_port());
    rpc_request(&w, RPC_OP_NODE_INFO);
    if (rpc_call(&conn, &w, LIB_RPC_TIMEOUT_MS, &r) == 0 &&
        wire_get_u64(r.data, r.len, RPC_F_ADMIN_REQUESTS, &v) == 0)
        rv = (int64_t)v;
    rpc_reply_done(&r);
    rpc_conn_close(&conn);
    return rv;
}

/* The first resource the cluster lists, opened. */
static HRESOURCE open_first_resource(void)
{
    HCLUSENUM e = ClusterOpenEnum(cluster, CLUSTER_ENUM_RESOURCE);
    WCHAR name[256];
    DWORD n = 256, type;
    HRESOURCE r = NULL;

    if (e != NULL && ClusterEnum(e, 0, &type, name, &n) == 0)
        r = OpenClusterResource(cluster, name);
    if (e != NULL)
        ClusterCloseEnum(e);
    return r;
}

static bool open_handles(const char *host, const char *first, const char *second)
{
    char16_t *h = widen(host), *n1 = widen(first), *n2 = widen(second);

    cluster = OpenCluster(h);
    if (cluster != NULL) {
        node = OpenClusterNode(cluster, n1);
        other = OpenClusterNode(cluster, n2);
        group = OpenClusterGroup(cluster, u"Cluster Group");
        resource = open_first_resource();
        nodes_enum = ClusterOpenEnum(cluster, CLUSTER_ENUM_NODE);
        /* Last, so that no later handle can take its address. */
        stale = OpenClusterNode(cluster, n1);
        if (stale != NULL)
            CloseClusterNode(stale);
    }
    free(h);
    free(n1);
    free(n2);
    return cluster && node && other && group && resource && nodes_enum && stale;
}

int main(int argc, char **argv)
{
    int64_t before[MAX_NODES], after;
    int n_nodes = argc - 2, failed = 0;

    if (argc < 4 || n_nodes > MAX_NODES) {
        fprintf(stderr, "usage: lab_badinput HOST NODE NODE...\n");
        return 2;
    }
    bad_strings_init();
    if (!open_handles(argv[1], argv[2], argv[3])) {
        printf("FAIL cannot open the handles: %u %s\nresult failed=1\n", GetLastError(),
               ClusapiLastErrorText());
        return 1;
    }
    for (int i = 0; i < n_nodes; i++)
        before[i] = admin_requests(argv[2 + i]);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        DWORD got, last;

        SetLastError(0);
        got = rows[i].call();
        last = GetLastError();
        if (got == rows[i].expected && last == rows[i].expected) {
            printf("ok %s: %u\n", rows[i].what, got);
        } else {
            printf("FAIL %s: got %u, last error %u, want %u\n", rows[i].what, got, last,
                   rows[i].expected);
            failed++;
        }
    }
    for (int i = 0; i < n_nodes; i++) {
        after = admin_requests(argv[2 + i]);
        /* The reading itself is the one request the table may add. */
        if (before[i] < 0 || after != before[i] + 1)
            failed++;
        printf("%s %s: admin requests before=%" PRId64 " after=%" PRId64 "\n",
               before[i] >= 0 && after == before[i] + 1 ? "ok" : "FAIL", argv[2 + i], before[i],
               after);
    }
    ClusterCloseEnum(nodes_enum);
    CloseClusterResource(resource);
    CloseClusterGroup(group);
    CloseClusterNode(other);
    CloseClusterNode(node);
    CloseCluster(cluster);
    printf("result failed=%d\n", failed);
    return failed != 0;
}
