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
#include "lab_proplist.h"
#include "common/rpc_proto.h"
#include "lab_watch.h"
#include "lib/lib.h"

#define MAX_NODES 16

static HCLUSTER cluster;
static HNODE node, other, stale;
static HGROUP group;
static HRESOURCE resource;
static HCLUSENUM nodes_enum;
static WCHAR resource_name[256];

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

/* The resource calls of issue 11: malformed names, wrong and closed handles, bad types. */
static DWORD create_res_name_null(void)
{
    return gle_if_null(CreateClusterResource(group, NULL, u"Generic Application", 0));
}
static DWORD create_res_name_empty(void)
{
    return gle_if_null(CreateClusterResource(group, u"", u"Generic Application", 0));
}
static DWORD create_res_name_unterminated(void)
{
    return gle_if_null(CreateClusterResource(group, unterminated, u"Generic Application", 0));
}
static DWORD create_res_name_bad_utf16(void)
{
    return gle_if_null(CreateClusterResource(group, bad_utf16, u"Generic Application", 0));
}
static DWORD create_res_type_null(void)
{
    return gle_if_null(CreateClusterResource(group, u"r9", NULL, 0));
}
static DWORD create_res_flags(void)
{
    return gle_if_null(CreateClusterResource(group, u"r9", u"Generic Application", 0x100));
}
static DWORD create_res_wrong_type(void)
{
    return gle_if_null(CreateClusterResource((HGROUP)node, u"r9", u"Generic Application", 0));
}
static DWORD create_res_ex_list(const struct lab_pl *l, DWORD size)
{
    return gle_if_null(ClusapiCreateClusterResourceEx(group, u"r9", u"Generic Application", 0,
                                                      (void *)l->words, size, TRUE));
}
static DWORD create_res_ex_truncated(void)
{
    struct lab_pl l = {0};

    lab_pl_string(&l, "CommandLine", "/bin/true");
    return create_res_ex_list(&l, lab_pl_size(&l) - 12);
}
static DWORD create_res_ex_null_list(void)
{
    return gle_if_null(ClusapiCreateClusterResourceEx(group, u"r9", u"Generic Application", 0,
                                                      NULL, 16, TRUE));
}
static DWORD delete_res_wrong_type(void) { return DeleteClusterResource((HRESOURCE)group); }
static DWORD delete_res_stale(void) { return DeleteClusterResource((HRESOURCE)stale); }
static DWORD online_res_wrong_type(void) { return OnlineClusterResource((HRESOURCE)node); }
static DWORD offline_res_wrong_type(void) { return OfflineClusterResource((HRESOURCE)cluster); }
static DWORD fail_res_stale(void) { return FailClusterResource((HRESOURCE)stale); }
static DWORD change_group_null(void) { return ChangeClusterResourceGroup(resource, NULL); }
static DWORD change_group_wrong_type(void)
{
    return ChangeClusterResourceGroup(resource, (HGROUP)node);
}
static DWORD change_group_wrong_resource(void)
{
    return ChangeClusterResourceGroup((HRESOURCE)group, group);
}
static DWORD depend_null(void) { return AddClusterResourceDependency(resource, NULL); }
static DWORD depend_wrong_type(void)
{
    return AddClusterResourceDependency(resource, (HRESOURCE)group);
}
static DWORD depend_stale(void) { return AddClusterResourceDependency(resource, (HRESOURCE)stale); }
static DWORD undepend_null(void) { return RemoveClusterResourceDependency(resource, NULL); }
static DWORD undepend_wrong_type(void)
{
    return RemoveClusterResourceDependency((HRESOURCE)node, resource);
}
static DWORD set_expr_null(void) { return SetClusterResourceDependencyExpression(resource, NULL); }
static DWORD set_expr_unterminated(void)
{
    return SetClusterResourceDependencyExpression(resource, unterminated);
}
static DWORD set_expr_wrong_type(void)
{
    return SetClusterResourceDependencyExpression((HRESOURCE)group, u"[a]");
}
static DWORD get_expr_no_size(void)
{
    WCHAR buf[16];

    return GetClusterResourceDependencyExpression(resource, buf, NULL);
}
static DWORD get_expr_wrong_type(void)
{
    WCHAR buf[16];
    DWORD n = 16;

    return GetClusterResourceDependencyExpression((HRESOURCE)node, buf, &n);
}
static DWORD owner_add_null(void) { return AddClusterResourceNode(resource, NULL); }
static DWORD owner_add_stale(void) { return AddClusterResourceNode(resource, stale); }
static DWORD owner_add_wrong_type(void) { return AddClusterResourceNode(resource, (HNODE)group); }
static DWORD owner_remove_null(void) { return RemoveClusterResourceNode(resource, NULL); }
static DWORD owner_remove_wrong_resource(void)
{
    return RemoveClusterResourceNode((HRESOURCE)node, node);
}
static DWORD res_enum_zero(void) { return gle_if_null(ClusterResourceOpenEnum(resource, 0)); }
static DWORD res_enum_unknown(void)
{
    return gle_if_null(ClusterResourceOpenEnum(resource, 0x80000000u));
}
static DWORD res_enum_wrong_type(void)
{
    return gle_if_null(ClusterResourceOpenEnum((HRESOURCE)group, CLUSTER_RESOURCE_ENUM_DEPENDS));
}
static DWORD res_enum_count_wrong_type(void)
{
    SetLastError(0);
    return ClusterResourceGetEnumCount((HRESENUM)nodes_enum) == 0 ? GetLastError() : 0;
}
static DWORD res_enum_close_wrong_type(void)
{
    return ClusterResourceCloseEnum((HRESENUM)nodes_enum);
}
static DWORD group_enum_zero(void) { return gle_if_null(ClusterGroupOpenEnum(group, 0)); }
static DWORD group_enum_unknown(void)
{
    return gle_if_null(ClusterGroupOpenEnum(group, 0x80000000u));
}
static DWORD group_enum_wrong_type(void)
{
    return gle_if_null(ClusterGroupOpenEnum((HGROUP)resource, CLUSTER_GROUP_ENUM_CONTAINS));
}
static DWORD group_enum_item_wrong_type(void)
{
    WCHAR buf[16];
    DWORD n = 16, type;

    return ClusterGroupEnum((HGROUPENUM)nodes_enum, 0, &type, buf, &n);
}
static DWORD node_enum_zero(void) { return gle_if_null(ClusterNodeOpenEnum(node, 0)); }
static DWORD node_enum_unknown(void)
{
    return gle_if_null(ClusterNodeOpenEnum(node, 0x80000000u));
}
static DWORD node_enum_stale(void)
{
    return gle_if_null(ClusterNodeOpenEnum(stale, CLUSTER_NODE_ENUM_GROUPS));
}
static DWORD node_enum_close_wrong_type(void)
{
    return ClusterNodeCloseEnum((HNODEENUM)nodes_enum);
}
static DWORD type_enum_name_null(void)
{
    return gle_if_null(ClusterResourceTypeOpenEnum(cluster, NULL,
                                                   CLUSTER_RESOURCE_TYPE_ENUM_NODES));
}
static DWORD type_enum_zero(void)
{
    return gle_if_null(ClusterResourceTypeOpenEnum(cluster, u"IP Address", 0));
}
static DWORD type_enum_wrong_type(void)
{
    return gle_if_null(ClusterResourceTypeOpenEnum((HCLUSTER)group, u"IP Address",
                                                   CLUSTER_RESOURCE_TYPE_ENUM_NODES));
}
static DWORD create_type_name_null(void)
{
    return CreateClusterResourceType(cluster, NULL, u"T", u"genapp", 5000, 60000);
}
static DWORD create_type_name_empty(void)
{
    return CreateClusterResourceType(cluster, u"", u"T", u"genapp", 5000, 60000);
}
static DWORD create_type_wrong_type(void)
{
    return CreateClusterResourceType((HCLUSTER)node, u"T", u"T", u"genapp", 5000, 60000);
}
static DWORD delete_type_name_null(void) { return DeleteClusterResourceType(cluster, NULL); }

/* The control calls: SET_COMMON_PROPERTIES of each object kind with list l of size bytes. */
static BYTE ctl_out[256];
static DWORD ctl_returned;

static DWORD resource_set(const void *l, DWORD size)
{
    return ClusterResourceControl(resource, NULL, CLUSCTL_RESOURCE_SET_COMMON_PROPERTIES,
                                  (void *)l, size, NULL, 0, &ctl_returned);
}
/* A valid list of RestartAction=1 for a resource, cut or altered by the rows below. */
static struct lab_pl restart_list(void)
{
    struct lab_pl l = {0};

    lab_pl_dword(&l, "RestartAction", 1);
    return l;
}
static DWORD list_truncated(void)
{
    struct lab_pl l = restart_list();

    return resource_set(l.words, lab_pl_size(&l) - 12); /* the value entry cut */
}
static DWORD list_odd_length(void)
{
    struct lab_pl l = restart_list();

    return resource_set(l.words, lab_pl_size(&l) - 1);
}
static DWORD list_no_endmark(void)
{
    struct lab_pl l = restart_list();

    l.words[l.n - 1] = CLUSPROP_SYNTAX_LIST_VALUE_DWORD; /* a value where the end mark goes */
    lab_pl_word(&l, 4);
    lab_pl_word(&l, 2);
    return resource_set(l.words, lab_pl_size(&l));
}
static DWORD list_count_too_high(void)
{
    struct lab_pl l = restart_list();

    l.words[0] = 2;
    return resource_set(l.words, lab_pl_size(&l));
}
static DWORD list_name_syntax(void)
{
    struct lab_pl l = {0};

    lab_pl_dword_prop(&l, 1, CLUSPROP_SYNTAX_LIST_VALUE_SZ, "RestartAction",
                      CLUSPROP_SYNTAX_LIST_VALUE_DWORD, 1);
    lab_pl_word(&l, CLUSPROP_SYNTAX_ENDMARK);
    return resource_set(l.words, lab_pl_size(&l));
}
static DWORD list_value_syntax(void)
{
    struct lab_pl l = {0};

    lab_pl_dword_prop(&l, 1, CLUSPROP_SYNTAX_NAME, "RestartAction", 0x00010099u, 1);
    lab_pl_word(&l, CLUSPROP_SYNTAX_ENDMARK);
    return resource_set(l.words, lab_pl_size(&l));
}
static DWORD list_bad_length(void)
{
    struct lab_pl l = restart_list();

    l.words[2] = 0xFFFFFFF0u; /* the name's cbLength */
    return resource_set(l.words, lab_pl_size(&l));
}
static DWORD list_null_buffer(void) { return resource_set(NULL, 16); }
static DWORD private_list_truncated(void)
{
    struct lab_pl l = {0};

    lab_pl_string(&l, "Address", "10.0.0.1");
    return ClusterResourceControl(resource, NULL, CLUSCTL_RESOURCE_SET_PRIVATE_PROPERTIES,
                                  l.words, lab_pl_size(&l) - 8, NULL, 0, &ctl_returned);
}
static DWORD type_list_truncated(void)
{
    struct lab_pl l = restart_list();

    return ClusterResourceTypeControl(cluster, u"IP Address", NULL,
                                      CLUSCTL_RESOURCE_TYPE_SET_COMMON_PROPERTIES, l.words,
                                      lab_pl_size(&l) - 12, NULL, 0, &ctl_returned);
}
static DWORD group_list_odd(void)
{
    struct lab_pl l = {0};

    lab_pl_dword(&l, "FailoverThreshold", 3);
    return ClusterGroupControl(group, NULL, CLUSCTL_GROUP_SET_COMMON_PROPERTIES, l.words,
                               lab_pl_size(&l) - 2, NULL, 0, &ctl_returned);
}
static DWORD node_list_count(void)
{
    struct lab_pl l = {0};

    lab_pl_dword(&l, "NodeWeight", 0);
    l.words[0] = 0;
    return ClusterNodeControl(node, NULL, CLUSCTL_NODE_SET_COMMON_PROPERTIES, l.words,
                              lab_pl_size(&l), NULL, 0, &ctl_returned);
}
static DWORD cluster_list_truncated(void)
{
    struct lab_pl l = {0};

    lab_pl_dword(&l, "SameSubnetDelay", 1000);
    return ClusterControl(cluster, NULL, CLUSCTL_CLUSTER_SET_COMMON_PROPERTIES, l.words,
                          lab_pl_size(&l) - 12, NULL, 0, &ctl_returned);
}
static DWORD control_wrong_object(void)
{
    return ClusterResourceControl(resource, NULL, CLUSCTL_GROUP_GET_COMMON_PROPERTIES, NULL, 0,
                                  ctl_out, sizeof(ctl_out), &ctl_returned);
}
/* A short buffer for the name, which the handle holds: ERROR_MORE_DATA and the size needed. */
static DWORD control_short_name(void)
{
    DWORD need = 0, status;

    while (resource_name[need] != 0)
        need++;
    need = (need + 1) * sizeof(WCHAR);
    status = ClusterResourceControl(resource, NULL, CLUSCTL_RESOURCE_GET_NAME, NULL, 0, ctl_out,
                                    2, &ctl_returned);
    if (status == ERROR_MORE_DATA && ctl_returned != need) {
        printf("  GET_NAME: %u bytes needed, %u reported\n", need, ctl_returned);
        SetLastError(0);
        return 0;
    }
    return status;
}

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
    {"CreateClusterResource, name NULL", create_res_name_null, ERROR_INVALID_PARAMETER},
    {"CreateClusterResource, name empty", create_res_name_empty, ERROR_INVALID_PARAMETER},
    {"CreateClusterResource, name not terminated", create_res_name_unterminated,
     ERROR_CLUSTER_INVALID_STRING_TERMINATION},
    {"CreateClusterResource, lone surrogate", create_res_name_bad_utf16,
     ERROR_CLUSTER_INVALID_STRING_FORMAT},
    {"CreateClusterResource, type NULL", create_res_type_null, ERROR_INVALID_PARAMETER},
    {"CreateClusterResource, unknown flag", create_res_flags, ERROR_INVALID_PARAMETER},
    {"CreateClusterResource, a node handle", create_res_wrong_type, ERROR_INVALID_HANDLE},
    {"ClusapiCreateClusterResourceEx, list truncated", create_res_ex_truncated,
     ERROR_INSUFFICIENT_BUFFER},
    {"ClusapiCreateClusterResourceEx, NULL list of 16 bytes", create_res_ex_null_list,
     ERROR_INVALID_PARAMETER},
    {"DeleteClusterResource, a group handle", delete_res_wrong_type, ERROR_INVALID_HANDLE},
    {"DeleteClusterResource, a closed handle", delete_res_stale, ERROR_INVALID_HANDLE},
    {"OnlineClusterResource, a node handle", online_res_wrong_type, ERROR_INVALID_HANDLE},
    {"OfflineClusterResource, a cluster handle", offline_res_wrong_type, ERROR_INVALID_HANDLE},
    {"FailClusterResource, a closed handle", fail_res_stale, ERROR_INVALID_HANDLE},
    {"ChangeClusterResourceGroup, group NULL", change_group_null, ERROR_INVALID_HANDLE},
    {"ChangeClusterResourceGroup, a node as group", change_group_wrong_type,
     ERROR_INVALID_HANDLE},
    {"ChangeClusterResourceGroup, a group as resource", change_group_wrong_resource,
     ERROR_INVALID_HANDLE},
    {"AddClusterResourceDependency, provider NULL", depend_null, ERROR_INVALID_HANDLE},
    {"AddClusterResourceDependency, a group as provider", depend_wrong_type,
     ERROR_INVALID_HANDLE},
    {"AddClusterResourceDependency, a closed provider", depend_stale, ERROR_INVALID_HANDLE},
    {"RemoveClusterResourceDependency, provider NULL", undepend_null, ERROR_INVALID_HANDLE},
    {"RemoveClusterResourceDependency, a node as resource", undepend_wrong_type,
     ERROR_INVALID_HANDLE},
    {"SetClusterResourceDependencyExpression, NULL", set_expr_null, ERROR_INVALID_PARAMETER},
    {"SetClusterResourceDependencyExpression, not terminated", set_expr_unterminated,
     ERROR_CLUSTER_INVALID_STRING_TERMINATION},
    {"SetClusterResourceDependencyExpression, a group handle", set_expr_wrong_type,
     ERROR_INVALID_HANDLE},
    {"GetClusterResourceDependencyExpression, no size", get_expr_no_size,
     ERROR_INVALID_PARAMETER},
    {"GetClusterResourceDependencyExpression, a node handle", get_expr_wrong_type,
     ERROR_INVALID_HANDLE},
    {"AddClusterResourceNode, node NULL", owner_add_null, ERROR_INVALID_HANDLE},
    {"AddClusterResourceNode, a closed node", owner_add_stale, ERROR_INVALID_HANDLE},
    {"AddClusterResourceNode, a group as node", owner_add_wrong_type, ERROR_INVALID_HANDLE},
    {"RemoveClusterResourceNode, node NULL", owner_remove_null, ERROR_INVALID_HANDLE},
    {"RemoveClusterResourceNode, a node as resource", owner_remove_wrong_resource,
     ERROR_INVALID_HANDLE},
    {"ClusterResourceOpenEnum, type 0", res_enum_zero, ERROR_INVALID_PARAMETER},
    {"ClusterResourceOpenEnum, unknown type", res_enum_unknown, ERROR_INVALID_PARAMETER},
    {"ClusterResourceOpenEnum, a group handle", res_enum_wrong_type, ERROR_INVALID_HANDLE},
    {"ClusterResourceGetEnumCount, a cluster enum", res_enum_count_wrong_type,
     ERROR_INVALID_HANDLE},
    {"ClusterResourceCloseEnum, a cluster enum", res_enum_close_wrong_type,
     ERROR_INVALID_HANDLE},
    {"ClusterGroupOpenEnum, type 0", group_enum_zero, ERROR_INVALID_PARAMETER},
    {"ClusterGroupOpenEnum, unknown type", group_enum_unknown, ERROR_INVALID_PARAMETER},
    {"ClusterGroupOpenEnum, a resource handle", group_enum_wrong_type, ERROR_INVALID_HANDLE},
    {"ClusterGroupEnum, a cluster enum", group_enum_item_wrong_type, ERROR_INVALID_HANDLE},
    {"ClusterNodeOpenEnum, type 0", node_enum_zero, ERROR_INVALID_PARAMETER},
    {"ClusterNodeOpenEnum, unknown type", node_enum_unknown, ERROR_INVALID_PARAMETER},
    {"ClusterNodeOpenEnum, a closed node", node_enum_stale, ERROR_INVALID_HANDLE},
    {"ClusterNodeCloseEnum, a cluster enum", node_enum_close_wrong_type, ERROR_INVALID_HANDLE},
    {"ClusterResourceTypeOpenEnum, type name NULL", type_enum_name_null,
     ERROR_INVALID_PARAMETER},
    {"ClusterResourceTypeOpenEnum, type 0", type_enum_zero, ERROR_INVALID_PARAMETER},
    {"ClusterResourceTypeOpenEnum, a group handle", type_enum_wrong_type, ERROR_INVALID_HANDLE},
    {"CreateClusterResourceType, name NULL", create_type_name_null, ERROR_INVALID_PARAMETER},
    {"CreateClusterResourceType, name empty", create_type_name_empty, ERROR_INVALID_PARAMETER},
    {"CreateClusterResourceType, a node handle", create_type_wrong_type, ERROR_INVALID_HANDLE},
    {"DeleteClusterResourceType, name NULL", delete_type_name_null, ERROR_INVALID_PARAMETER},
    {"ClusterResourceControl SET_COMMON, list truncated", list_truncated,
     ERROR_INSUFFICIENT_BUFFER},
    {"ClusterResourceControl SET_COMMON, odd length", list_odd_length, ERROR_INVALID_DATA},
    {"ClusterResourceControl SET_COMMON, no end mark", list_no_endmark, ERROR_INVALID_DATA},
    {"ClusterResourceControl SET_COMMON, count 2 for 1 (runs past the end)", list_count_too_high,
     ERROR_INSUFFICIENT_BUFFER},
    {"ClusterResourceControl SET_COMMON, name of a value syntax", list_name_syntax,
     ERROR_INVALID_PARAMETER},
    {"ClusterResourceControl SET_COMMON, unknown value syntax", list_value_syntax,
     ERROR_INVALID_PARAMETER},
    {"ClusterResourceControl SET_COMMON, cbLength past the end", list_bad_length,
     ERROR_INSUFFICIENT_BUFFER},
    {"ClusterResourceControl SET_COMMON, NULL list of 16 bytes", list_null_buffer,
     ERROR_INVALID_PARAMETER},
    {"ClusterResourceControl SET_PRIVATE, list truncated", private_list_truncated,
     ERROR_INSUFFICIENT_BUFFER},
    {"ClusterResourceTypeControl SET_COMMON (types have none to set)", type_list_truncated,
     ERROR_INVALID_FUNCTION},
    {"ClusterGroupControl SET_COMMON, odd length", group_list_odd, ERROR_INVALID_DATA},
    {"ClusterNodeControl SET_COMMON, count 0 for 1", node_list_count, ERROR_INVALID_DATA},
    {"ClusterControl SET_COMMON, list truncated", cluster_list_truncated,
     ERROR_INSUFFICIENT_BUFFER},
    {"ClusterResourceControl, a group's code", control_wrong_object, ERROR_INVALID_FUNCTION},
    {"ClusterResourceControl GET_NAME, 2-byte buffer", control_short_name, ERROR_MORE_DATA},
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

    if (e != NULL && ClusterEnum(e, 0, &type, name, &n) == 0) {
        r = OpenClusterResource(cluster, name);
        memcpy(resource_name, name, sizeof(resource_name));
    }
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
