/*
 * svc_query — RPC_OP_QUERY: rows of the local cluster database (any node answers reads; they
 * never wait for the network).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <clusapi.h>

#include "common/rpc_proto.h"
#include "common/win32_error.h"
#include "daemon/svc/svc.h"

static const char *node_name(struct svc *s, uint64_t id, struct cdb_node *buf)
{
    return id != 0 && cdb_node_by_id(s->db, id, buf) == 0 ? buf->name : "";
}

/* A query may name one object (RPC_F_NAME): then only its row is sent, so looking up one object
 * costs the same however many the cluster has. */
static bool wanted(const char *only, const char *name)
{
    return only == NULL || strcasecmp(only, name) == 0;
}

static int query_nodes(struct svc *s, struct wire_writer *w, const char *only)
{
    struct cdb_node *nodes;
    size_t n;
    int rv = cdb_nodes(s->db, &nodes, &n);

    for (size_t i = 0; rv == 0 && i < n; i++) {
        size_t mark;

        if (!wanted(only, nodes[i].name))
            continue;
        mark = wire_begin(w, RPC_F_ITEM);
        wire_put_u64(w, RPC_F_NODE_ID, nodes[i].id);
        wire_put_str(w, RPC_F_NAME, nodes[i].name);
        wire_put_str(w, RPC_F_ADDRESS, nodes[i].address);
        wire_put_u32(w, RPC_F_PORT, nodes[i].port);
        wire_put_u32(w, RPC_F_STATE, (uint32_t)nodes[i].state);
        wire_put_u32(w, RPC_F_ROLE, nodes[i].role);
        wire_end(w, mark);
    }
    if (rv == 0)
        free(nodes);
    return rv;
}

static int query_groups(struct svc *s, struct wire_writer *w, const char *only)
{
    struct cdb_group *groups;
    struct cdb_node owner;
    size_t n;
    int rv = cdb_groups(s->db, &groups, &n);

    for (size_t i = 0; rv == 0 && i < n; i++) {
        size_t mark;

        if (!wanted(only, groups[i].name))
            continue;
        mark = wire_begin(w, RPC_F_ITEM);
        wire_put_str(w, RPC_F_NAME, groups[i].name);
        wire_put_u32(w, RPC_F_STATE, (uint32_t)groups[i].state);
        wire_put_u64(w, RPC_F_OWNER, groups[i].owner);
        wire_put_str(w, RPC_F_OWNER_NAME, node_name(s, groups[i].owner, &owner));
        wire_put_u32(w, RPC_F_CORE, groups[i].core);
        wire_end(w, mark);
    }
    if (rv == 0)
        free(groups);
    return rv;
}

static int query_resources(struct svc *s, struct wire_writer *w, const char *only)
{
    struct cdb_resource *res;
    struct cdb_node owner;
    size_t n;
    int rv = cdb_resources(s->db, NULL, &res, &n);

    for (size_t i = 0; rv == 0 && i < n; i++) {
        size_t mark;

        if (!wanted(only, res[i].name))
            continue;
        mark = wire_begin(w, RPC_F_ITEM);
        wire_put_str(w, RPC_F_NAME, res[i].name);
        wire_put_str(w, RPC_F_TYPE, res[i].type);
        wire_put_str(w, RPC_F_GROUP, res[i].group);
        wire_put_u32(w, RPC_F_STATE, (uint32_t)res[i].state);
        wire_put_u64(w, RPC_F_OWNER, res[i].owner);
        wire_put_str(w, RPC_F_OWNER_NAME, node_name(s, res[i].owner, &owner));
        wire_end(w, mark);
    }
    if (rv == 0)
        free(res);
    return rv;
}

/* One row of a name/value listing. */
static void put_pair(struct wire_writer *w, const char *name, const char *value)
{
    size_t mark = wire_begin(w, RPC_F_ITEM);

    wire_put_str(w, RPC_F_NAME, name);
    wire_put_str(w, RPC_F_VALUE, value);
    wire_end(w, mark);
}

static int query_restypes(struct svc *s, struct wire_writer *w, const char *only)
{
    struct cdb_restype *types;
    size_t n;
    int rv = cdb_restypes(s->db, &types, &n);

    for (size_t i = 0; rv == 0 && i < n; i++)
        if (wanted(only, types[i].name))
            put_pair(w, types[i].name, types[i].driver);
    if (rv == 0)
        free(types);
    return rv;
}

static int query_props(struct svc *s, struct wire_writer *w, const char *only)
{
    struct cdb_prop *props;
    size_t n;
    int rv = cdb_props(s->db, &props, &n);

    for (size_t i = 0; rv == 0 && i < n; i++)
        if (wanted(only, props[i].key))
            put_pair(w, props[i].key, props[i].value);
    if (rv == 0)
        free(props);
    return rv;
}

void svc_op_query(struct svc *s, struct rpc_call *call)
{
    static int (*const queries[])(struct svc *, struct wire_writer *, const char *) = {
        [RPC_QUERY_NODES] = query_nodes,         [RPC_QUERY_GROUPS] = query_groups,
        [RPC_QUERY_RESOURCES] = query_resources, [RPC_QUERY_RESTYPES] = query_restypes,
        [RPC_QUERY_PROPS] = query_props,
    };
    char only[256];
    bool only_given;
    uint32_t q;
    int rv;

    if (s->consensus == NULL || s->db == NULL || s->wiping) {
        rpc_call_finish(call, ERROR_CLUSTER_NODE_NOT_MEMBER,
                        "node %s is not running a cluster", s->opts.name);
        return;
    }
    /* Restarted, back from a partition, or just added and still replaying the log, this node's
     * database may miss what the cluster committed meanwhile: an answer now could say a group
     * that exists does not. */
    if (!s->sync.synced) {
        rpc_call_finish(call, ERROR_CLUSTER_NODE_NOT_READY,
                        "node %s is still catching up with its cluster", s->opts.name);
        return;
    }
    if (wire_get_u32(call->req, call->req_len, RPC_F_QUERY, &q) < 0 || q == 0 ||
        q >= sizeof(queries) / sizeof(queries[0])) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "unknown query");
        return;
    }
    only_given = svc_req_str(call, RPC_F_NAME, only, sizeof(only));
    rv = queries[q](s, &call->reply, only_given ? only : NULL);
    if (rv < 0)
        rpc_call_finish(call, win32_from_errno(rv), "query failed: %s", strerror(-rv));
    else
        rpc_call_finish(call, 0, NULL);
}

