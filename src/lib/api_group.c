/*
 * api_group — OnlineClusterGroup, OfflineClusterGroup and MoveClusterGroup.
 *
 * The cluster runs each change in the background; a call waits a short while for it and returns
 * 0 when it finished in that time, ERROR_IO_PENDING when it is still going on (REFERENCE §4.1).
 */
#include <stdlib.h>
#include <strings.h>

#include "common/rpc_proto.h"
#include "lib/cluster_ops.h"


/* The node behind a node handle, as the cluster lists it now; Win32 status. */
static DWORD lookup_node(struct cluster_handle *c, HNODE hNode, struct cluster_node *ret)
{
    struct object_handle *n = (struct object_handle *)handle_get(hNode, HANDLE_NODE);
    struct cluster_node *nodes;
    const struct cluster_node *found;
    size_t count;
    DWORD status;

    if (n == NULL)
        return lib_fail(ERROR_INVALID_HANDLE);
    status = cluster_nodes(c, &nodes, &count);
    if (status != 0)
        return status;
    found = cluster_node_find(nodes, count, n->name);
    if (found == NULL)
        status = lib_fail(ERROR_CLUSTER_NODE_NOT_FOUND);
    else
        *ret = *found;
    free(nodes);
    return status;
}

/* The id of a node handle's node that can host a group now (Up), 0 for NULL; Win32 status. */
static DWORD node_id(struct cluster_handle *c, HNODE hNode, uint64_t *ret)
{
    struct cluster_node node;
    DWORD status;

    *ret = 0;
    if (hNode == NULL)
        return 0;
    status = lookup_node(c, hNode, &node);
    if (status == 0 && node.state != ClusterNodeUp)
        status = lib_fail(ERROR_HOST_NODE_NOT_AVAILABLE);
    if (status == 0)
        *ret = node.id;
    return status;
}

/* What a group call acts on. */
struct group_ctx {
    struct object_handle *group;
    struct cluster_handle *cluster;
    uint64_t target; /* the node the call sends the group to; 0 for none */
};

/* The group behind hGroup and the node behind hDestination (NULL for calls that name none, or
 * to let the cluster choose); Win32 status. */
static DWORD group_ctx(HGROUP hGroup, HNODE hDestination, struct group_ctx *ret)
{
    struct object_handle *g = object_enter(hGroup, HANDLE_GROUP);

    if (g == NULL)
        return ERROR_INVALID_HANDLE;
    ret->group = g;
    ret->cluster = (struct cluster_handle *)g->h.parent;
    return node_id(ret->cluster, hDestination, &ret->target);
}

/* Asks for op on the group (online or offline) and, when the cluster runs it in the background,
 * waits a little for the group to settle in state: 0, or ERROR_IO_PENDING if it has not yet. */
static DWORD change_and_settle(const struct group_ctx *g, uint32_t op, int32_t state)
{
    DWORD status = cluster_request(g->cluster, op, g->group->name, g->target, false, NULL);

    if (status == ERROR_IO_PENDING)
        status = cluster_pending_on_timeout(cluster_wait(g->cluster, RPC_WAIT_GROUP_STATE, g->group->name,
                                                 state, CLUSTER_SETTLE_MS));
    return status;
}

CLUSAPI_API DWORD CLUSAPI_CALL OnlineClusterGroup(HGROUP hGroup, HNODE hDestinationNode)
{
    struct group_ctx g = {0};
    DWORD status = group_ctx(hGroup, hDestinationNode, &g);

    return status != 0 ? status : change_and_settle(&g, RPC_OP_GROUP_ONLINE, ClusterGroupOnline);
}

CLUSAPI_API DWORD CLUSAPI_CALL OfflineClusterGroup(HGROUP hGroup)
{
    struct group_ctx g = {0};
    DWORD status = group_ctx(hGroup, NULL, &g);

    return status != 0 ? status : change_and_settle(&g, RPC_OP_GROUP_OFFLINE, ClusterGroupOffline);
}

CLUSAPI_API DWORD CLUSAPI_CALL DeleteClusterGroup(HGROUP hGroup)
{
    struct group_ctx g = {0};
    DWORD status = group_ctx(hGroup, NULL, &g);

    if (status != 0)
        return status;
    return cluster_request(g.cluster, RPC_OP_GROUP_DELETE, g.group->name, 0, false, NULL);
}

CLUSAPI_API DWORD CLUSAPI_CALL MoveClusterGroup(HGROUP hGroup, HNODE hDestinationNode)
{
    struct group_ctx g = {0};
    DWORD status = group_ctx(hGroup, hDestinationNode, &g);

    if (status != 0)
        return status;
    /* One request: the leader hands the group over (NULL: to the best other node). A target
     * that cannot bring it online fails it there, and the group manager fails it over. */
    return cluster_pending_on_timeout(cluster_group_move(g.cluster, g.group->name, g.target, CLUSTER_SETTLE_MS));
}

/*
 * The whole list is checked before any node is asked about one of its entries, so a bad entry
 * anywhere fails the call without a request: a NULL entry or a node named twice is
 * ERROR_INVALID_PARAMETER, a stale or wrong-type handle ERROR_INVALID_HANDLE.
 */
static DWORD check_node_list(DWORD count, HNODE list[])
{
    if (count > 64 || (count > 0 && list == NULL))
        return ERROR_INVALID_PARAMETER;
    for (DWORD i = 0; i < count; i++) {
        struct object_handle *n;

        if (list[i] == NULL)
            return ERROR_INVALID_PARAMETER;
        n = (struct object_handle *)handle_get(list[i], HANDLE_NODE);
        if (n == NULL)
            return ERROR_INVALID_HANDLE;
        for (DWORD k = 0; k < i; k++)
            if (strcasecmp(((struct object_handle *)list[k])->name, n->name) == 0)
                return ERROR_INVALID_PARAMETER;
    }
    return 0;
}

CLUSAPI_API DWORD CLUSAPI_CALL SetClusterGroupNodeList(HGROUP hGroup, DWORD NodeCount,
                                                       HNODE NodeList[])
{
    struct group_ctx g = {0};
    struct wire_writer req;
    uint64_t ids[64];
    DWORD status = group_ctx(hGroup, NULL, &g);

    if (status != 0)
        return status;
    status = check_node_list(NodeCount, NodeList);
    if (status != 0)
        return lib_fail(status);
    for (DWORD i = 0; i < NodeCount; i++) {
        struct cluster_node node;

        status = lookup_node(g.cluster, NodeList[i], &node); /* a node that is down counts */
        if (status != 0)
            return status;
        ids[i] = node.id;
    }
    rpc_request(&req, RPC_OP_GROUP_SET_OWNERS);
    wire_put_str(&req, RPC_F_NAME, g.group->name);
    for (DWORD i = 0; i < NodeCount; i++)
        wire_put_u64(&req, RPC_F_NODE_ID, ids[i]);
    return cluster_change(g.cluster, &req);
}

/* ------------------------------------------------------------------------------------------ */
/* Pause and resume                                                                            */
/* ------------------------------------------------------------------------------------------ */

/* RPC_OP_NODE_PAUSE or RPC_OP_NODE_RESUME: the leader checks the node's state and records it. */
static DWORD pause_or_resume(struct cluster_handle *c, uint64_t id, uint32_t op)
{
    struct wire_writer req;

    rpc_request(&req, op);
    wire_put_u64(&req, RPC_F_NODE_ID, id);
    return cluster_change(c, &req);
}

/* The cluster and node behind a node handle. */
static DWORD node_of(HNODE hNode, struct cluster_handle **ret_c, struct cluster_node *ret)
{
    struct object_handle *n = object_enter(hNode, HANDLE_NODE);

    if (n == NULL)
        return ERROR_INVALID_HANDLE;
    *ret_c = (struct cluster_handle *)n->h.parent;
    return lookup_node(*ret_c, hNode, ret);
}

CLUSAPI_API DWORD CLUSAPI_CALL PauseClusterNode(HNODE hNode)
{
    struct cluster_handle *c = NULL;
    struct cluster_group *groups;
    struct cluster_node node;
    size_t n;
    DWORD status = node_of(hNode, &c, &node);

    if (status != 0)
        return status;
    if (node.state == ClusterNodePaused)
        return 0;
    if (node.state != ClusterNodeUp)
        return lib_fail(ERROR_CLUSTER_NODE_DOWN);
    /* A paused node hosts no groups: record the pause, then move what it holds. */
    status = pause_or_resume(c, node.id, RPC_OP_NODE_PAUSE);
    if (status == 0)
        status = cluster_groups(c, &groups, &n);
    if (status != 0)
        return status;
    for (size_t i = 0; i < n && status == 0; i++) {
        if (groups[i].owner != node.id || groups[i].state == ClusterGroupOffline)
            continue;
        status = cluster_group_move(c, groups[i].name, 0, CLUSTER_GROUP_TIMEOUT_MS);
        if (status == ERROR_HOST_NODE_NOT_AVAILABLE) /* nowhere to go: it stops */
            status = cluster_group_offline(c, groups[i].name, false, CLUSTER_GROUP_TIMEOUT_MS);
    }
    free(groups);
    return status;
}

CLUSAPI_API DWORD CLUSAPI_CALL ResumeClusterNode(HNODE hNode)
{
    struct cluster_handle *c = NULL;
    struct cluster_node node;
    DWORD status = node_of(hNode, &c, &node);

    if (status != 0)
        return status;
    /* The service refuses a node that is neither paused nor quarantined
     * (ERROR_CLUSTER_NODE_NOT_PAUSED): only it knows about the quarantine. */
    return pause_or_resume(c, node.id, RPC_OP_NODE_RESUME);
}
