/*
 * cluster_rekey — replaces the cluster credential (ClusapiRotateClusterCredential, and every
 * eviction so that the evicted node's copy stops working).
 *
 * The library makes the new credential and moves every member to it in three rounds, each
 * finished on every member before the next starts: stage (accept the new one too), switch (prove
 * the new one), retire (accept only the new one). Whatever any member proves is then accepted by
 * all the others at every moment, so raft and the heartbeats never stop (daemon/keys/cred_ring.h).
 * Each node is reached on its own, with the admin key: the cluster credential being replaced is
 * not what carries its replacement. A member that cannot be reached makes the rotation fail
 * before anyone switched (the staged credential is withdrawn everywhere): it would otherwise be
 * locked out of its own cluster. A rotation that was interrupted (the process that ran it died)
 * is settled first, onto a credential every member still accepts (common/rekey_plan.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <clusapi_ext.h>

#include "common/rekey_plan.h"
#include "common/rpc_proto.h"
#include "lib/cluster_ops.h"
#include "lib/rekey.h"

#define REKEY_TIMEOUT_MS 10000
#define KEY_ID_SIZE REKEY_ID_SIZE

/* One rotation step on one node; Win32 status, with the reason in errmsg. */
static uint32_t step_node(const struct cluster_node *n, uint32_t step, const char *key_hex,
                          const char *key_id, char ret_id[KEY_ID_SIZE], char *errmsg)
{
    struct rpc_conn conn;
    struct wire_writer w;
    struct rpc_reply r;
    uint32_t status;
    char *id = NULL;

    rpc_conn_init(&conn, n->address, n->port);
    rpc_request(&w, RPC_OP_ROTATE_CREDENTIAL);
    wire_put_u32(&w, RPC_F_ROTATE_STEP, step);
    if (key_hex != NULL)
        wire_put_str(&w, RPC_F_KEY_HEX, key_hex);
    else
        wire_put_str(&w, RPC_F_KEY_ID, key_id);
    status = rpc_call(&conn, &w, REKEY_TIMEOUT_MS, &r);
    if (status == 0 && ret_id != NULL) {
        if (wire_get_strdup(r.data, r.len, RPC_F_KEY_ID, &id) < 0 || strlen(id) != KEY_ID_SIZE - 1)
            status = ERROR_INVALID_DATA;
        else
            memcpy(ret_id, id, KEY_ID_SIZE);
        free(id);
    }
    snprintf(errmsg, LIB_ERRMSG_SIZE, "%s", r.errmsg);
    rpc_reply_done(&r);
    rpc_conn_close(&conn);
    return status;
}

/* Withdraws a staged credential from the first n members (best effort: a node that keeps it
 * only accepts one more credential that nobody proves, until the next rotation replaces it). */
static void abort_staged(const struct cluster_node *nodes, size_t n, const char *key_id)
{
    char errmsg[LIB_ERRMSG_SIZE];

    for (size_t i = 0; i < n; i++)
        step_node(&nodes[i], RPC_ROTATE_ABORT, NULL, key_id, NULL, errmsg);
}

static const char *const step_names[] = {"", "stage", "switch to", "retire the old"};

/* Runs the stage, switch and retire rounds over nodes. */
static uint32_t rotate(const struct cluster_node *nodes, size_t n, const char *key_hex)
{
    char errmsg[LIB_ERRMSG_SIZE], key_id[KEY_ID_SIZE] = "", id[KEY_ID_SIZE];
    uint32_t status = 0;

    for (uint32_t step = RPC_ROTATE_STAGE; step <= RPC_ROTATE_RETIRE && status == 0; step++) {
        for (size_t i = 0; i < n && status == 0; i++) {
            status = step_node(&nodes[i], step, step == RPC_ROTATE_STAGE ? key_hex : NULL,
                               key_id, id, errmsg);
            if (status == 0 && step == RPC_ROTATE_STAGE && key_id[0] == '\0')
                memcpy(key_id, id, KEY_ID_SIZE);
            else if (status == 0 && strcmp(id, key_id) != 0)
                status = ERROR_INVALID_DATA; /* nodes disagree on the credential's id */
            if (status != 0) {
                lib_fail_text(status, "node %s: cannot %s cluster credential: %s",
                              nodes[i].name, step_names[step],
                              errmsg[0] != '\0' ? errmsg : "no answer");
                if (step == RPC_ROTATE_STAGE)
                    abort_staged(nodes, i + 1, key_id);
            }
        }
    }
    return status;
}

/* What one member holds (RPC_ROTATE_QUERY). */
static uint32_t query_node(const struct cluster_node *n, struct rekey_holding *ret, char *errmsg)
{
    struct rpc_conn conn;
    struct wire_writer w;
    struct rpc_reply r;
    uint32_t status;
    char *proved = NULL, *other = NULL;

    rpc_conn_init(&conn, n->address, n->port);
    rpc_request(&w, RPC_OP_ROTATE_CREDENTIAL);
    wire_put_u32(&w, RPC_F_ROTATE_STEP, RPC_ROTATE_QUERY);
    status = rpc_call(&conn, &w, REKEY_TIMEOUT_MS, &r);
    memset(ret, 0, sizeof(*ret));
    if (status == 0 && (wire_get_strdup(r.data, r.len, RPC_F_KEY_ID, &proved) < 0 ||
                        strlen(proved) != KEY_ID_SIZE - 1))
        status = ERROR_INVALID_DATA;
    if (status == 0 && wire_get_strdup(r.data, r.len, RPC_F_KEY_ID_OTHER, &other) == 0 &&
        strlen(other) != KEY_ID_SIZE - 1)
        status = ERROR_INVALID_DATA;
    if (status == 0) {
        memcpy(ret->proved, proved, KEY_ID_SIZE);
        if (other != NULL)
            memcpy(ret->other, other, KEY_ID_SIZE);
    }
    free(proved);
    free(other);
    snprintf(errmsg, LIB_ERRMSG_SIZE, "%s", r.errmsg);
    rpc_reply_done(&r);
    rpc_conn_close(&conn);
    return status;
}

/* Brings every member back to one credential if an earlier rotation was cut short: all switch to
 * one they all accept, then all retire the other. */
static uint32_t settle(const struct cluster_node *nodes, size_t n)
{
    struct rekey_holding *held = calloc(n, sizeof(*held));
    char errmsg[LIB_ERRMSG_SIZE], keep[KEY_ID_SIZE], id[KEY_ID_SIZE];
    uint32_t status = held == NULL ? ERROR_NOT_ENOUGH_MEMORY : 0;

    for (size_t i = 0; i < n && status == 0; i++) {
        status = query_node(&nodes[i], &held[i], errmsg);
        /* The database may not have recorded it Down yet: it is down all the same. */
        if (status == ERROR_CLUSTER_NODE_UNREACHABLE)
            status = ERROR_CLUSTER_NODE_DOWN;
        if (status != 0)
            lib_fail_text(status, "node %s: cannot tell which cluster credential it holds: %s",
                          nodes[i].name, errmsg[0] != '\0' ? errmsg : "no answer");
    }
    switch (status == 0 ? rekey_plan(held, n, keep) : REKEY_CLEAN) {
    case REKEY_CLEAN:
        break;
    case REKEY_STUCK:
        lib_fail_text(status = ERROR_INVALID_STATE,
                      "the members hold no cluster credential in common (an interrupted "
                      "rotation?): re-add the nodes that differ");
        break;
    case REKEY_SETTLE:
        for (uint32_t step = RPC_ROTATE_SWITCH; step <= RPC_ROTATE_RETIRE && status == 0; step++)
            for (size_t i = 0; i < n && status == 0; i++)
                if ((status = step_node(&nodes[i], step, NULL, keep, id, errmsg)) != 0)
                    lib_fail_text(status, "node %s: cannot settle an interrupted rotation: %s",
                                  nodes[i].name, errmsg[0] != '\0' ? errmsg : "no answer");
        break;
    }
    free(held);
    return status;
}

uint32_t rekey_cluster(struct cluster_handle *c)
{
    struct cluster_node *nodes;
    struct channel_key key;
    char key_hex[2 * CHANNEL_KEY_BYTES + 1];
    size_t n;
    uint32_t status = cluster_nodes(c, &nodes, &n);

    if (status != 0)
        return status;
    for (size_t i = 0; i < n && status == 0; i++)
        if (nodes[i].state != ClusterNodeUp && nodes[i].state != ClusterNodePaused)
            lib_fail_text(status = ERROR_CLUSTER_NODE_DOWN,
                          "node %s is not up: it would miss the new cluster credential",
                          nodes[i].name);
    if (status == 0)
        status = settle(nodes, n);
    if (status == 0 && channel_key_random("cluster", &key) < 0)
        lib_fail_text(status = ERROR_INTERNAL_ERROR, "cannot make a random credential");
    if (status == 0) {
        channel_key_to_hex(&key, key_hex);
        explicit_bzero(&key, sizeof(key));
        status = rotate(nodes, n, key_hex);
        explicit_bzero(key_hex, sizeof(key_hex));
    }
    free(nodes);
    return status;
}

CLUSAPI_API DWORD ClusapiRotateClusterCredential(HCLUSTER hCluster)
{
    struct cluster_handle *c = (struct cluster_handle *)handle_get(hCluster, HANDLE_CLUSTER);

    lib_clear_error();
    if (c == NULL)
        return lib_fail(ERROR_INVALID_HANDLE);
    return lib_fail(rekey_cluster(c));
}
