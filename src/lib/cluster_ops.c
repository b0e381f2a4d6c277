/*
 * cluster_ops — typed requests on a cluster handle, shared by the group calls, eviction,
 * AddClusterNode and DestroyCluster.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/rpc_proto.h"
#include "lib/cluster_ops.h"

static void copy_str(const struct wire_field *f, uint16_t tag, char *buf, size_t n)
{
    char *v;

    buf[0] = '\0';
    if (wire_get_strdup(f->value, f->len, tag, &v) == 0) {
        snprintf(buf, n, "%s", v);
        free(v);
    }
}

/* cluster_call(), the node's reason becoming the last error when it fails (*ret is released
 * then). */
static uint32_t call(struct cluster_handle *c, struct wire_writer *req, int timeout_ms,
                     struct rpc_reply *ret)
{
    uint32_t status = cluster_call(c, req, timeout_ms, ret);

    if (status != 0) {
        lib_fail_text(status, "%s", ret->errmsg);
        rpc_reply_done(ret);
    }
    return status;
}

/* call() for a request whose reply says nothing but its status. */
static uint32_t call_status(struct cluster_handle *c, struct wire_writer *req, int timeout_ms)
{
    struct rpc_reply r;
    uint32_t status = call(c, req, timeout_ms, &r);

    if (status == 0)
        rpc_reply_done(&r);
    return status;
}

uint32_t cluster_query(struct cluster_handle *c, uint32_t query, const char *name,
                       struct rpc_reply *ret)
{
    struct wire_writer w;

    rpc_request(&w, RPC_OP_QUERY);
    wire_put_u32(&w, RPC_F_QUERY, query);
    if (name != NULL)
        wire_put_str(&w, RPC_F_NAME, name);
    return call(c, &w, LIB_RPC_TIMEOUT_MS, ret);
}

uint32_t cluster_reply_value(const struct rpc_reply *r, const char *key, char **ret)
{
    struct wire_reader rd;
    struct wire_field f;
    uint32_t status = 0;

    *ret = NULL;
    wire_reader_init(&rd, r->data, r->len);
    while (status == 0 && *ret == NULL && wire_next(&rd, &f) > 0) {
        char *name = NULL;

        if (f.tag == RPC_F_ITEM && wire_get_strdup(f.value, f.len, RPC_F_NAME, &name) == 0 &&
            strcasecmp(name, key) == 0 && wire_get_strdup(f.value, f.len, RPC_F_VALUE, ret) < 0)
            status = ERROR_INVALID_DATA;
        free(name);
    }
    return status;
}

/* ERROR_CLUSTER_NO_QUORUM, made the last error, if r is a stale answer (RPC_F_STALE); else 0. */
static uint32_t refuse_stale(const struct rpc_reply *r)
{
    uint32_t stale = 0;
    char *node = NULL;

    if (wire_get_u32(r->data, r->len, RPC_F_STALE, &stale) < 0 || stale != 1)
        return 0;
    wire_get_strdup(r->data, r->len, RPC_F_NODE_NAME, &node);
    lib_fail_text(ERROR_CLUSTER_NO_QUORUM, "node %s has no quorum: its list may be out of date",
                  node ? node : "asked");
    free(node);
    return ERROR_CLUSTER_NO_QUORUM;
}

/* Runs a query and hands each row to fill; Win32 status. The members and groups are what setup,
 * eviction and the changes act on (a node is cleaned, a group moved), so a stale answer is
 * refused here: acting on a list a node without quorum kept could clean a node the cluster
 * still counts on. */
static uint32_t query(struct cluster_handle *c, uint32_t what, void **items, size_t size,
                      size_t *ret_n, void (*fill)(const struct wire_field *, void *))
{
    struct rpc_reply r;
    struct wire_reader rd;
    struct wire_field f;
    uint32_t status = cluster_query(c, what, NULL, &r);
    size_t n = 0;
    char *v;

    if (status == 0 && (status = refuse_stale(&r)) != 0)
        rpc_reply_done(&r);
    if (status != 0)
        return status;
    wire_reader_init(&rd, r.data, r.len);
    while (wire_next(&rd, &f) > 0)
        n += f.tag == RPC_F_ITEM;
    v = calloc(n ? n : 1, size);
    if (v == NULL) {
        rpc_reply_done(&r);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    n = 0;
    wire_reader_init(&rd, r.data, r.len);
    while (wire_next(&rd, &f) > 0)
        if (f.tag == RPC_F_ITEM)
            fill(&f, v + size * n++);
    rpc_reply_done(&r);
    *items = v;
    *ret_n = n;
    return 0;
}

static void fill_node(const struct wire_field *f, void *item)
{
    struct cluster_node *n = item;
    uint32_t port = 0, state = 0, role = 0, witness = 0;

    wire_get_u64(f->value, f->len, RPC_F_NODE_ID, &n->id);
    copy_str(f, RPC_F_NAME, n->name, sizeof(n->name));
    copy_str(f, RPC_F_ADDRESS, n->address, sizeof(n->address));
    wire_get_u32(f->value, f->len, RPC_F_PORT, &port);
    wire_get_u32(f->value, f->len, RPC_F_STATE, &state);
    wire_get_u32(f->value, f->len, RPC_F_ROLE, &role);
    wire_get_u32(f->value, f->len, RPC_F_WITNESS, &witness);
    n->witness = witness != 0;
    n->port = (uint16_t)port;
    n->state = (int32_t)state;
    n->role = role;
}

static void fill_group(const struct wire_field *f, void *item)
{
    struct cluster_group *g = item;
    uint32_t state = 0, core = 0;

    copy_str(f, RPC_F_NAME, g->name, sizeof(g->name));
    copy_str(f, RPC_F_OWNER_NAME, g->owner_name, sizeof(g->owner_name));
    wire_get_u64(f->value, f->len, RPC_F_OWNER, &g->owner);
    wire_get_u32(f->value, f->len, RPC_F_STATE, &state);
    wire_get_u32(f->value, f->len, RPC_F_CORE, &core);
    g->state = (int32_t)state;
    g->core = core != 0;
}

uint32_t cluster_nodes(struct cluster_handle *c, struct cluster_node **ret, size_t *ret_n)
{
    return query(c, RPC_QUERY_NODES, (void **)ret, sizeof(**ret), ret_n, fill_node);
}

uint32_t cluster_groups(struct cluster_handle *c, struct cluster_group **ret, size_t *ret_n)
{
    return query(c, RPC_QUERY_GROUPS, (void **)ret, sizeof(**ret), ret_n, fill_group);
}

const struct cluster_node *cluster_node_find(const struct cluster_node *v, size_t n,
                                             const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(v[i].name, name) == 0)
            return &v[i];
    return NULL;
}

uint32_t cluster_identity(struct cluster_handle *c, char cluster_id[40])
{
    return cluster_whoami(c, cluster_id, NULL);
}

uint32_t cluster_whoami(struct cluster_handle *c, char cluster_id[40], char node_name[64])
{
    struct wire_writer w;
    struct rpc_reply r;
    uint32_t status;
    char *id = NULL, *name = NULL;

    rpc_request(&w, RPC_OP_NODE_INFO);
    status = cluster_call(c, &w, LIB_RPC_TIMEOUT_MS, &r);
    if (status == 0 && wire_get_strdup(r.data, r.len, RPC_F_CLUSTER_ID, &id) < 0)
        status = ERROR_CLUSTER_NODE_NOT_MEMBER;
    if (status == 0)
        snprintf(cluster_id, 40, "%s", id);
    else
        lib_fail_text(status, "%s", r.errmsg);
    if (status == 0 && node_name != NULL) {
        wire_get_strdup(r.data, r.len, RPC_F_NODE_NAME, &name);
        snprintf(node_name, 64, "%s", name ? name : "");
    }
    free(name);
    free(id);
    rpc_reply_done(&r);
    return status;
}

uint32_t cluster_change(struct cluster_handle *c, struct wire_writer *req)
{
    return call_status(c, req, LIB_RPC_TIMEOUT_MS);
}

uint32_t cluster_request(struct cluster_handle *c, uint32_t op, const char *name,
                         uint64_t node_id, bool force, struct rpc_reply *ret)
{
    struct wire_writer w;
    struct rpc_reply r;
    uint32_t status;

    rpc_request(&w, op);
    wire_put_str(&w, RPC_F_NAME, name);
    if (node_id != 0)
        wire_put_u64(&w, RPC_F_NODE_ID, node_id);
    if (force)
        wire_put_u32(&w, RPC_F_FORCE, 1);
    status = cluster_call(c, &w, LIB_RPC_TIMEOUT_MS, &r);
    if (status != 0 && status != ERROR_IO_PENDING)
        lib_fail_text(status, "%s", r.errmsg);
    if (ret != NULL)
        *ret = r;
    else
        rpc_reply_done(&r);
    return status;
}

static uint32_t wait_for(struct cluster_handle *c, uint32_t kind, const char *name, int32_t state,
                         uint64_t owner, uint64_t min_version, uint32_t timeout_ms)
{
    struct wire_writer w;

    rpc_request(&w, RPC_OP_WAIT);
    wire_put_u32(&w, RPC_F_WAIT_KIND, kind);
    wire_put_str(&w, RPC_F_NAME, name);
    wire_put_u32(&w, RPC_F_STATE, (uint32_t)state);
    if (owner != 0)
        wire_put_u64(&w, RPC_F_NODE_ID, owner);
    if (min_version != 0)
        wire_put_u64(&w, RPC_F_DB_VERSION, min_version);
    wire_put_u32(&w, RPC_F_TIMEOUT_MS, timeout_ms);
    return call_status(c, &w, (int)timeout_ms + LIB_RPC_TIMEOUT_MS);
}

uint32_t cluster_wait_owner(struct cluster_handle *c, uint32_t kind, const char *name,
                            int32_t state, uint64_t owner, uint32_t timeout_ms)
{
    return wait_for(c, kind, name, state, owner, 0, timeout_ms);
}

uint32_t cluster_wait_after(struct cluster_handle *c, uint32_t kind, const char *name,
                            int32_t state, uint64_t min_version, uint32_t timeout_ms)
{
    return wait_for(c, kind, name, state, 0, min_version, timeout_ms);
}

uint32_t cluster_pending_on_timeout(uint32_t status)
{
    if (status == ERROR_TIMEOUT) {
        lib_clear_error();
        return ERROR_IO_PENDING;
    }
    return status;
}

uint32_t cluster_wait(struct cluster_handle *c, uint32_t kind, const char *name, int32_t state,
                      uint32_t timeout_ms)
{
    return cluster_wait_owner(c, kind, name, state, 0, timeout_ms);
}

uint32_t cluster_group_offline(struct cluster_handle *c, const char *group, bool force,
                               uint32_t timeout_ms)
{
    uint32_t status = cluster_request(c, RPC_OP_GROUP_OFFLINE, group, 0, force, NULL);

    if (status == ERROR_IO_PENDING)
        status = cluster_wait(c, RPC_WAIT_GROUP_STATE, group, ClusterGroupOffline, timeout_ms);
    return status;
}

uint32_t cluster_group_online(struct cluster_handle *c, const char *group, uint64_t node_id,
                              uint32_t timeout_ms)
{
    uint32_t status = cluster_request(c, RPC_OP_GROUP_ONLINE, group, node_id, false, NULL);

    if (status == ERROR_IO_PENDING)
        status = cluster_wait(c, RPC_WAIT_GROUP_STATE, group, ClusterGroupOnline, timeout_ms);
    return status;
}

uint32_t cluster_group_move(struct cluster_handle *c, const char *group, uint64_t node_id,
                            uint32_t timeout_ms)
{
    struct rpc_reply r;
    uint32_t state = ClusterGroupOnline;
    uint32_t status = cluster_request(c, RPC_OP_GROUP_MOVE, group, node_id, false, &r);

    if (status == ERROR_IO_PENDING) {
        wire_get_u32(r.data, r.len, RPC_F_STATE, &state);
        wire_get_u64(r.data, r.len, RPC_F_NODE_ID, &node_id);
    }
    rpc_reply_done(&r);
    if (status == ERROR_IO_PENDING) /* the group there, in that state */
        status = cluster_wait_owner(c, RPC_WAIT_GROUP_STATE, group, (int32_t)state, node_id,
                                    timeout_ms);
    return status;
}

uint32_t cluster_clean_node(const char *address, uint16_t port, const char *cluster_id,
                            char *errmsg)
{
    struct rpc_conn conn;
    struct wire_writer w;
    struct rpc_reply r;
    uint32_t status;

    rpc_conn_init(&conn, address, port);
    rpc_request(&w, RPC_OP_CLEANUP);
    wire_put_str(&w, RPC_F_CLUSTER_ID, cluster_id);
    status = rpc_call(&conn, &w, LIB_RPC_TIMEOUT_MS, &r);
    snprintf(errmsg, LIB_ERRMSG_SIZE, "%s", r.errmsg);
    rpc_reply_done(&r);
    rpc_conn_close(&conn);
    return status;
}

size_t cluster_max_nodes(struct cluster_handle *c)
{
    struct wire_writer w;
    struct rpc_reply r;
    uint32_t max = CLUSTER_MAX_NODES;

    rpc_request(&w, RPC_OP_NODE_INFO);
    if (cluster_call(c, &w, LIB_RPC_TIMEOUT_MS, &r) == 0)
        wire_get_u32(r.data, r.len, RPC_F_MAX_NODES, &max);
    rpc_reply_done(&r);
    return max;
}
