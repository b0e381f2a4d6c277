/*
 * api_admin_keys — rotating the administrator's key across a cluster (clusapi_ext.h):
 * ClusapiInstallAdminKey (every member also accepts a new key, all or nothing) and
 * ClusapiRetireAdminKeys (every member keeps only the key the caller uses).
 *
 * Both need every member: a node that missed the change would keep accepting a key the others
 * dropped, or refuse the key the administrator moves to. So a member that is down or does not
 * answer stops either call before it changes anything. The nodes are told one by one; an
 * install that fails part way withdraws the key from the nodes it reached.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <clusapi_ext.h>

#include "common/rpc_proto.h"
#include "common/utf16.h"
#include "lib/cluster_ops.h"
#include "lib/lib.h"

/* One member, with a connection under the caller's current key. */
struct member {
    const struct cluster_node *node;
    struct rpc_conn conn;
    bool touched; /* it took the new key in this call */
};

struct rotation {
    struct cluster_node *nodes;
    size_t n;
    struct member *m;
};

static void rotation_done(struct rotation *r)
{
    for (size_t i = 0; i < r->n && r->m != NULL; i++)
        rpc_conn_close(&r->m[i].conn);
    free(r->m);
    free(r->nodes);
    memset(r, 0, sizeof(*r));
}

/* One request with no fields but op (and an optional string field) to a member. */
static uint32_t member_call(struct member *m, uint32_t op, uint16_t tag, const char *value,
                            char *errmsg, struct rpc_reply *ret)
{
    struct wire_writer w;
    struct rpc_reply r;
    uint32_t status;

    rpc_request(&w, op);
    if (value != NULL)
        wire_put_str(&w, tag, value);
    status = rpc_call(&m->conn, &w, LIB_RPC_TIMEOUT_MS, &r);
    if (status != 0)
        snprintf(errmsg, LIB_ERRMSG_SIZE, "node %s: %s", m->node->name, r.errmsg);
    if (ret != NULL)
        *ret = r;
    else
        rpc_reply_done(&r);
    return status;
}

/*
 * Reads the members and checks that each is up and answers under the caller's current key.
 * Nothing is changed. Win32 status with the reason as the last error text.
 */
static uint32_t rotation_begin(struct cluster_handle *c, struct rotation *r)
{
    char errmsg[LIB_ERRMSG_SIZE];
    uint32_t status;

    memset(r, 0, sizeof(*r));
    status = cluster_nodes(c, &r->nodes, &r->n);
    if (status != 0)
        return status;
    r->m = calloc(r->n ? r->n : 1, sizeof(*r->m));
    if (r->m == NULL) {
        lib_fail_text(ERROR_NOT_ENOUGH_MEMORY, "out of memory");
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    for (size_t i = 0; i < r->n; i++) {
        struct member *m = &r->m[i];

        m->node = &r->nodes[i];
        rpc_conn_init(&m->conn, m->node->address, m->node->port);
        if (m->node->state != ClusterNodeUp && m->node->state != ClusterNodePaused) {
            lib_fail_text(ERROR_CLUSTER_NODE_DOWN,
                          "node %s is down: every member must take part in a key rotation "
                          "(bring it up, or evict it); nothing was changed",
                          m->node->name);
            return ERROR_CLUSTER_NODE_DOWN;
        }
        status = member_call(m, RPC_OP_NODE_INFO, 0, NULL, errmsg, NULL);
        if (status != 0) {
            lib_fail_text(status, "%s; nothing was changed", errmsg);
            return status;
        }
    }
    return 0;
}

/* Withdraws the new key from every member that took it; appends failures to why. */
static void rollback(struct rotation *r, const char *new_id, char *why, size_t n)
{
    char errmsg[LIB_ERRMSG_SIZE];

    for (size_t i = 0; i < r->n; i++) {
        size_t len = strlen(why);

        if (!r->m[i].touched)
            continue;
        if (member_call(&r->m[i], RPC_OP_ADMIN_KEY_REMOVE, RPC_F_KEY_ID, new_id, errmsg,
                        NULL) == 0)
            r->m[i].touched = false;
        else
            snprintf(why + len, n - len, "; could not withdraw the new key from %s",
                     r->m[i].node->name);
    }
}

/* Proves the new key opens a session on a member. */
static uint32_t check_new_key(struct member *m, const struct channel_key *key, char *errmsg)
{
    struct member probe = {.node = m->node};
    uint32_t status;

    rpc_conn_init(&probe.conn, m->node->address, m->node->port);
    probe.conn.key = key;
    status = member_call(&probe, RPC_OP_NODE_INFO, 0, NULL, errmsg, NULL);
    rpc_conn_close(&probe.conn);
    return status;
}

/* Installs key on every member, then proves it opens a session on each. */
static uint32_t install(struct rotation *r, const struct channel_key *key, char *why, size_t n)
{
    char hex[2 * CHANNEL_KEY_BYTES + 1];
    uint32_t status = 0;

    channel_key_to_hex(key, hex);
    for (size_t i = 0; i < r->n && status == 0; i++) {
        status = member_call(&r->m[i], RPC_OP_ADMIN_KEY_ADD, RPC_F_KEY_HEX, hex, why, NULL);
        r->m[i].touched = status == 0;
    }
    memset(hex, 0, sizeof(hex));
    for (size_t i = 0; i < r->n && status == 0; i++)
        status = check_new_key(&r->m[i], key, why);
    return status;
}

/* A path from the caller's UTF-16; NULL with the last error set. */
static char *path_in(LPCWSTR path)
{
    char *utf8 = NULL;

    if (path == NULL || utf16_to_utf8((const char16_t *)path, PATH_MAX, &utf8) < 0 ||
        *utf8 == '\0') {
        free(utf8);
        lib_fail_text(ERROR_INVALID_PARAMETER, "no key file named");
        return NULL;
    }
    return utf8;
}

CLUSAPI_API DWORD ClusapiInstallAdminKey(HCLUSTER hCluster, LPCWSTR lpszNewKeyFile)
{
    struct cluster_handle *c = (struct cluster_handle *)handle_get(hCluster, HANDLE_CLUSTER);
    char errmsg[LIB_ERRMSG_SIZE] = "", why[2 * LIB_ERRMSG_SIZE] = "";
    struct channel_key cur, next;
    struct rotation r;
    uint32_t status;
    char *path;

    lib_clear_error();
    if (c == NULL)
        return lib_fail(ERROR_INVALID_HANDLE);
    if ((path = path_in(lpszNewKeyFile)) == NULL)
        return GetLastError();
    status = lib_load_key(path, &next, errmsg);
    free(path);
    if (status == 0)
        status = lib_admin_key(&cur, errmsg);
    if (status != 0) {
        lib_fail_text(status, "%s", errmsg);
        return status;
    }
    if (strcmp(cur.identity, next.identity) == 0) {
        lib_fail_text(ERROR_INVALID_PARAMETER, "the new key is the key already in use");
        return ERROR_INVALID_PARAMETER;
    }
    status = rotation_begin(c, &r);
    if (status == 0 && (status = install(&r, &next, why, sizeof(why))) != 0) {
        rollback(&r, channel_admin_key_id(next.identity), why, sizeof(why));
        lib_fail_text(status, "%s; the new key was withdrawn", why);
    }
    memset(&next, 0, sizeof(next));
    memset(&cur, 0, sizeof(cur));
    rotation_done(&r);
    return status;
}

CLUSAPI_API DWORD ClusapiRetireAdminKeys(HCLUSTER hCluster)
{
    struct cluster_handle *c = (struct cluster_handle *)handle_get(hCluster, HANDLE_CLUSTER);
    char errmsg[LIB_ERRMSG_SIZE], done[LIB_ERRMSG_SIZE] = "";
    struct rotation r;
    uint32_t status;

    lib_clear_error();
    if (c == NULL)
        return lib_fail(ERROR_INVALID_HANDLE);
    status = rotation_begin(c, &r);
    for (size_t i = 0; i < r.n && status == 0; i++) {
        size_t len = strlen(done);

        status = member_call(&r.m[i], RPC_OP_ADMIN_KEY_REMOVE, 0, NULL, errmsg, NULL);
        if (status == 0)
            snprintf(done + len, sizeof(done) - len, "%s%s", len ? ", " : "", r.m[i].node->name);
        else /* no rollback: the retired keys are gone; running the call again finishes it */
            lib_fail_text(status, "%s; old keys already retired on: %s (run it again)", errmsg,
                          len ? done : "none");
    }
    rotation_done(&r);
    return status;
}
