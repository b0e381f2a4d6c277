/*
 * lab_nodeinfo — what a node's clussvc says about itself (RPC_OP_NODE_INFO), as key=value lines,
 * for lab scenarios: state, cluster name, committed, raft role, leader, database version and hash,
 * its storage fault if it is in one.
 *
 *   lab_nodeinfo HOST [--clear]   (key from $CLUSAPI_AUTHKEY, port from $CLUSAPI_PORT or 3343)
 *
 * --clear first returns the node to NotConfigured (RPC_OP_CLEANUP without a session), the way
 * benchmarks reset a lab between runs.
 *
 * Exit: 0, or 1 if the node did not answer (the reason on stderr).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/rpc_proto.h"
#include "lib/lib.h"

static void print_u32(const struct rpc_reply *r, uint16_t tag, const char *key)
{
    uint32_t v;

    if (wire_get_u32(r->data, r->len, tag, &v) == 0)
        printf("%s=%" PRIu32 "\n", key, v);
}

static void print_u64(const struct rpc_reply *r, uint16_t tag, const char *key)
{
    uint64_t v;

    if (wire_get_u64(r->data, r->len, tag, &v) == 0)
        printf("%s=%" PRIu64 "\n", key, v);
}

static void print_str(const struct rpc_reply *r, uint16_t tag, const char *key)
{
    char *v;

    if (wire_get_strdup(r->data, r->len, tag, &v) == 0) {
        printf("%s=%s\n", key, v);
        free(v);
    }
}

int main(int argc, char **argv)
{
    struct rpc_conn conn;
    struct wire_writer w;
    struct rpc_reply r;

    if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "--clear") != 0)) {
        fprintf(stderr, "usage: lab_nodeinfo HOST [--clear]\n");
        return 2;
    }
    rpc_conn_init(&conn, argv[1], lib_port());
    if (argc == 3) {
        rpc_request(&w, RPC_OP_CLEANUP);
        if (rpc_call(&conn, &w, LIB_RPC_TIMEOUT_MS, &r) != 0) {
            fprintf(stderr, "lab_nodeinfo: %s: cleanup: status %u: %s\n", argv[1], r.status,
                    r.errmsg);
            return 1;
        }
        rpc_reply_done(&r);
    }
    rpc_request(&w, RPC_OP_NODE_INFO);
    if (rpc_call(&conn, &w, LIB_RPC_TIMEOUT_MS, &r) != 0) {
        fprintf(stderr, "lab_nodeinfo: %s: status %u: %s\n", argv[1], r.status, r.errmsg);
        return 1;
    }
    print_str(&r, RPC_F_NODE_NAME, "name");
    print_u32(&r, RPC_F_NODE_STATE, "state");
    print_str(&r, RPC_F_CLUSTER_NAME, "cluster");
    print_str(&r, RPC_F_CLUSTER_ID, "cluster_id");
    print_u64(&r, RPC_F_NODE_ID, "node_id");
    print_u32(&r, RPC_F_COMMITTED, "committed");
    print_u32(&r, RPC_F_RAFT_STATE, "raft_role");
    print_u64(&r, RPC_F_LEADER_ID, "leader_id");
    print_u32(&r, RPC_F_ROLE, "member_role");
    print_u32(&r, RPC_F_VOTES_PENDING, "votes_pending");
    print_u64(&r, RPC_F_DB_VERSION, "db_version");
    print_u64(&r, RPC_F_DB_HASH, "db_hash");
    print_u64(&r, RPC_F_SESSION, "setup_session");
    print_u64(&r, RPC_F_ADMIN_REQUESTS, "admin_requests");
    print_str(&r, RPC_F_STORAGE_FAULT, "storage_fault");
    rpc_reply_done(&r);
    rpc_conn_close(&conn);
    return 0;
}
