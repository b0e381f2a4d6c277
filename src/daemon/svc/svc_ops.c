/*
 * svc_ops — the operation table and the dispatcher that reads it (svc_ops.h).
 *
 * A request is checked in this order: the session's credential is still accepted; the operation
 * exists; its key; then, on the loop, the setup session, a running cluster, and the leader
 * (relayed there otherwise). A handler is reached only when all of that holds.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <clusapi.h>

#include "common/rpc_proto.h"
#include "common/win32_error.h"
#include "daemon/svc/svc.h"
#include "daemon/svc/svc_ops.h"

#define ANY SVC_KEY_ANY
#define ADMIN SVC_KEY_ADMIN
#define MEMBER SVC_KEY_MEMBER
#define CONN SVC_ON_CONNECTION
#define LOOP SVC_ON_LOOP
#define SESSION SVC_OP_SESSION
#define RUNNING SVC_OP_RUNNING
#define LEADER (SVC_OP_RUNNING | SVC_OP_LEADER) /* a node that leads runs a cluster */

static const struct svc_op ops[] = {
    /* reads, on any node */
    [RPC_OP_NODE_INFO] = {"NODE_INFO", svc_op_node_info, LOOP, ANY, 0},
    [RPC_OP_QUERY] = {"QUERY", svc_op_query, LOOP, ANY, 0},
    [RPC_OP_WAIT] = {"WAIT", svc_op_wait, LOOP, ANY, 0},
    /* setup of this node */
    [RPC_OP_CHECK_IP] = {"CHECK_IP", svc_op_check_ip, CONN, ADMIN, 0},
    [RPC_OP_CHECK_PEER] = {"CHECK_PEER", svc_op_check_peer, CONN, ADMIN, 0},
    [RPC_OP_SETUP_BEGIN] = {"SETUP_BEGIN", svc_op_setup_begin, LOOP, ADMIN, 0},
    [RPC_OP_SETUP_KEEPALIVE] = {"SETUP_KEEPALIVE", svc_op_setup_keepalive, LOOP, ADMIN, SESSION},
    [RPC_OP_SET_CREDENTIAL] = {"SET_CREDENTIAL", svc_op_set_credential, LOOP, ADMIN, SESSION},
    [RPC_OP_CONFIGURE] = {"CONFIGURE", svc_op_configure, LOOP, ADMIN, SESSION},
    [RPC_OP_START] = {"START", svc_op_start, LOOP, ADMIN, SESSION},
    [RPC_OP_COMMIT_SETUP] = {"COMMIT_SETUP", svc_op_commit_setup, LOOP, ADMIN, SESSION | RUNNING},
    [RPC_OP_GET_CREDENTIAL] = {"GET_CREDENTIAL", svc_op_get_credential, LOOP, ADMIN, 0},
    /* cleanup of this node */
    [RPC_OP_CLEANUP] = {"CLEANUP", svc_op_cleanup, LOOP, ADMIN, 0},
    [RPC_OP_CLEAR] = {"CLEAR", svc_op_clear, LOOP, ADMIN, 0},
    /* keys of this node */
    [RPC_OP_ADMIN_KEY_ADD] = {"ADMIN_KEY_ADD", svc_admin_op_add, CONN, ADMIN, 0},
    [RPC_OP_ADMIN_KEY_REMOVE] = {"ADMIN_KEY_REMOVE", svc_admin_op_remove, CONN, ADMIN, 0},
    [RPC_OP_ROTATE_CREDENTIAL] = {"ROTATE_CREDENTIAL", svc_op_rotate_credential, LOOP, ADMIN, 0},
    /* the cluster's configuration and groups, decided by the leader */
    [RPC_OP_APPLY] = {"APPLY", svc_op_apply, LOOP, ANY, LEADER},
    [RPC_OP_SET_PROPERTY] = {"SET_PROPERTY", svc_op_set_property, LOOP, ANY, LEADER},
    [RPC_OP_NODE_PAUSE] = {"NODE_PAUSE", svc_op_node_pause, LOOP, ANY, LEADER},
    [RPC_OP_NODE_RESUME] = {"NODE_RESUME", svc_op_node_resume, LOOP, ANY, LEADER},
    [RPC_OP_GROUP_CREATE] = {"GROUP_CREATE", svc_op_group_create, LOOP, ANY, LEADER},
    [RPC_OP_GROUP_SET_OWNERS] = {"GROUP_SET_OWNERS", svc_op_group_set_owners, LOOP, ANY, LEADER},
    [RPC_OP_GROUP_ONLINE] = {"GROUP_ONLINE", svc_op_group_online, LOOP, ANY, LEADER},
    [RPC_OP_GROUP_MOVE] = {"GROUP_MOVE", svc_op_group_move, LOOP, ANY, LEADER},
    [RPC_OP_GROUP_OFFLINE] = {"GROUP_OFFLINE", svc_op_group_offline, LOOP, ANY, LEADER},
    [RPC_OP_GROUP_DELETE] = {"GROUP_DELETE", svc_op_group_delete, LOOP, ANY, LEADER},
    [RPC_OP_MEMBER_ADD] = {"MEMBER_ADD", svc_op_member_add, LOOP, ANY, LEADER},
    [RPC_OP_MEMBER_PROMOTE] = {"MEMBER_PROMOTE", svc_op_member_promote, LOOP, ANY, LEADER},
    [RPC_OP_MEMBER_REMOVE] = {"MEMBER_REMOVE", svc_op_member_remove, LOOP, ANY, LEADER},
    /* resources and resource types, decided by the leader */
    [RPC_OP_RESOURCE_CREATE] = {"RESOURCE_CREATE", svc_op_resource_create, LOOP, ANY, LEADER},
    [RPC_OP_RESOURCE_DELETE] = {"RESOURCE_DELETE", svc_op_resource_delete, LOOP, ANY, LEADER},
    [RPC_OP_RESOURCE_MOVE] = {"RESOURCE_MOVE", svc_op_resource_move, LOOP, ANY, LEADER},
    [RPC_OP_RESOURCE_DEPEND] = {"RESOURCE_DEPEND", svc_op_resource_depend, LOOP, ANY, LEADER},
    [RPC_OP_RESOURCE_UNDEPEND] = {"RESOURCE_UNDEPEND", svc_op_resource_undepend, LOOP, ANY,
                                  LEADER},
    [RPC_OP_RESOURCE_SET_DEPEXPR] = {"RESOURCE_SET_DEPEXPR", svc_op_resource_set_depexpr, LOOP,
                                     ANY, LEADER},
    [RPC_OP_RESOURCE_ADD_OWNER] = {"RESOURCE_ADD_OWNER", svc_op_resource_add_owner, LOOP, ANY,
                                   LEADER},
    [RPC_OP_RESOURCE_REMOVE_OWNER] = {"RESOURCE_REMOVE_OWNER", svc_op_resource_remove_owner,
                                      LOOP, ANY, LEADER},
    [RPC_OP_RESOURCE_ONLINE] = {"RESOURCE_ONLINE", svc_op_resource_online, LOOP, ANY, LEADER},
    [RPC_OP_RESOURCE_OFFLINE] = {"RESOURCE_OFFLINE", svc_op_resource_offline, LOOP, ANY,
                                 LEADER},
    [RPC_OP_RESOURCE_FAIL] = {"RESOURCE_FAIL", svc_op_resource_fail, LOOP, ANY, LEADER},
    [RPC_OP_RESOURCE_SET_PROPS] = {"RESOURCE_SET_PROPS", svc_op_resource_set_props, LOOP, ANY,
                                   LEADER},
    [RPC_OP_GROUP_SET_PROPS] = {"GROUP_SET_PROPS", svc_op_group_set_props, LOOP, ANY, LEADER},
    [RPC_OP_NODE_SET_PROPS] = {"NODE_SET_PROPS", svc_op_node_set_props, LOOP, ANY, LEADER},
    [RPC_OP_RESTYPE_CREATE] = {"RESTYPE_CREATE", svc_op_restype_create, LOOP, ANY, LEADER},
    [RPC_OP_RESTYPE_DELETE] = {"RESTYPE_DELETE", svc_op_restype_delete, LOOP, ANY, LEADER},
    /* answered by the node asked; the driver is asked on a worker thread */
    [RPC_OP_RESTYPE_LIST] = {"RESTYPE_LIST", svc_op_restype_list, LOOP, ANY, RUNNING},
    [RPC_OP_RESTYPE_INFO] = {"RESTYPE_INFO", svc_op_restype_info, LOOP, ANY, RUNNING},
    /* what members say about themselves */
    [RPC_OP_MEMBER_REPORT] = {"MEMBER_REPORT", svc_op_member_report, LOOP, MEMBER, LEADER},
};

const struct svc_op *svc_op_find(uint32_t op)
{
    const struct svc_op *entry;

    if (op >= sizeof(ops) / sizeof(ops[0]) || ops[op].handler == NULL)
        return NULL;
    entry = &ops[op];
    /* A relay to the leader proves the cluster credential, so the leader must accept it. */
    assert(!(entry->flags & SVC_OP_LEADER) || entry->key != SVC_KEY_ADMIN);
    assert(!(entry->flags & SVC_OP_LEADER) || (entry->flags & SVC_OP_RUNNING));
    assert(entry->thread == SVC_ON_LOOP || entry->flags == 0);
    return entry;
}

bool svc_req_str(const struct rpc_call *call, uint16_t tag, char *buf, size_t n)
{
    char *v;

    if (wire_get_strdup(call->req, call->req_len, tag, &v) < 0)
        return false;
    if (strlen(v) >= n) {
        free(v);
        return false;
    }
    strcpy(buf, v);
    free(v);
    return true;
}

/* ------------------------------------------------------------------------------------------ */
/* On the connection thread                                                                    */
/* ------------------------------------------------------------------------------------------ */

/* Does the session's key allow the operation? Finishes the call if not. */
static bool key_allows(struct svc *s, struct rpc_call *call, const struct svc_op *op)
{
    bool admin = channel_admin_key_id(call->peer_identity) != NULL;
    struct channel_key key;
    int rv = 0;

    /* A session stays open across requests: the credential it proved may have been retired
     * since (a rotation), and then it may do nothing more. */
    if (!admin)
        rv = keys_lookup(&s->keys, call->peer_identity, &key);
    explicit_bzero(&key, sizeof(key));
    if (rv < 0) {
        rpc_call_finish(call, ERROR_ACCESS_DENIED, "the cluster credential of this session was "
                        "retired");
        return false;
    }
    if (admin ? op->key == SVC_KEY_MEMBER : op->key == SVC_KEY_ADMIN) {
        rpc_call_finish(call, ERROR_ACCESS_DENIED, admin ? "%s is for cluster members only" :
                        "%s needs the admin key", op->name);
        return false;
    }
    return true;
}

void svc_rpc_dispatch(void *arg, struct rpc_call *call)
{
    struct svc *s = arg;
    const struct svc_op *op = svc_op_find(call->op);

    if (op == NULL) {
        rpc_call_finish(call, ERROR_INVALID_FUNCTION, "unknown operation %u", call->op);
        return;
    }
    if (!key_allows(s, call, op))
        return;
    if (op->thread == SVC_ON_CONNECTION)
        op->handler(s, call);
    else
        rpc_call_to_loop(call);
}

/* ------------------------------------------------------------------------------------------ */
/* On the loop                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/* Does the request carry the session that holds this node? Finishes the call if not. */
static bool check_session(struct svc *s, struct rpc_call *call)
{
    uint64_t session;

    if (wire_get_u64(call->req, call->req_len, RPC_F_SESSION, &session) < 0 || session == 0) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "no setup session");
        return false;
    }
    if (session != s->claim.session) {
        rpc_call_finish(call, ERROR_CLUSTER_JOIN_IN_PROGRESS,
                        s->claim.session ? "another setup holds this node" :
                                           "this setup no longer holds the node");
        return false;
    }
    return true;
}

static bool check_running(struct svc *s, struct rpc_call *call)
{
    if (s->consensus != NULL && s->db != NULL && !s->wiping)
        return true;
    rpc_call_finish(call, ERROR_CLUSTER_NODE_NOT_MEMBER, "node %s is not running a cluster",
                    s->opts.name);
    return false;
}

void svc_rpc_on_loop(void *arg, struct rpc_call *call)
{
    struct svc *s = arg;
    const struct svc_op *op = svc_op_find(call->op);

    assert(op != NULL && op->thread == SVC_ON_LOOP); /* the dispatcher sent only these */
    if (s->shutdown.stopping) {
        rpc_call_finish(call, ERROR_CLUSTER_SHUTTING_DOWN, "the service is stopping");
        return;
    }
    if ((op->flags & SVC_OP_SESSION) && !check_session(s, call))
        return;
    if ((op->flags & SVC_OP_RUNNING) && !check_running(s, call))
        return;
    /* An administrator's change through a node that cannot store the log, and would relay it:
     * the caller takes it elsewhere. One relayed by another node goes on to the leader, and a
     * leader in a fault commits on while it hands leadership over. */
    if ((op->flags & SVC_OP_LEADER) && consensus_role(s->consensus) != CONSENSUS_LEADER &&
        svc_storage_fault(s) && channel_admin_key_id(call->peer_identity) != NULL) {
        svc_storage_refuse(s, call, "changes");
        return;
    }
    if ((op->flags & SVC_OP_LEADER) && consensus_role(s->consensus) != CONSENSUS_LEADER) {
        svc_forward_call(s, call);
        return;
    }
    op->handler(s, call);
}

/* ------------------------------------------------------------------------------------------ */
/* Committing for a caller                                                                     */
/* ------------------------------------------------------------------------------------------ */

static void submitted(struct svc *s, void *arg, int rv, uint32_t status, const char *errmsg)
{
    struct rpc_call *call = arg;

    /* The version after the commit: a node that relays it waits until it has applied as much,
     * so a client reads its own writes from whichever node it asks next. */
    if (rv == 0 && status == 0 && s->db != NULL)
        wire_put_u64(&call->reply, RPC_F_DB_VERSION, cdb_version(s->db));
    if (rv < 0)
        rpc_call_finish(call, rv == -ENOTCONN ? ERROR_CLUSTER_NODE_DOWN : win32_from_errno(rv),
                        "%s", errmsg && *errmsg ? errmsg : "the cluster has no leader");
    else
        rpc_call_finish(call, status, "%s", errmsg ? errmsg : "");
}

void svc_op_commit_bytes(struct svc *s, struct rpc_call *call, const void *cmd, size_t len)
{
    svc_submit(s, cmd, len, submitted, call);
}

void svc_op_commit(struct svc *s, struct rpc_call *call, struct wire_writer *w)
{
    size_t len;
    uint8_t *cmd = wire_writer_take(w, &len);

    if (cmd == NULL) {
        rpc_call_finish(call, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
        return;
    }
    svc_submit(s, cmd, len, submitted, call);
    free(cmd);
}
