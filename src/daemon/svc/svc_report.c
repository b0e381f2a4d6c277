/*
 * svc_report — RPC_OP_MEMBER_REPORT on the leader: a member commits what it says about itself
 * (its resources' and groups' states as their owner, a release after a handover, Up, its lease
 * confirmed, a SYNC). The leader commits only what cdb_cmd_is_self_report() allows the named
 * node to say; its own group manager and health commit everything else, never over the wire.
 *
 * The cluster credential is shared by every member, so the leader cannot tell which member sent
 * a report: a member could report in another's name (docs/security.md, Known limits).
 */
#include <inttypes.h>
#include <stdint.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"
#include "common/rpc_proto.h"
#include "daemon/base/log.h"
#include "daemon/svc/svc.h"
#include "daemon/svc/svc_ops.h"

static void refuse(struct rpc_call *call, uint64_t sender, const struct wire_field *cmd,
                   const char *why)
{
    uint32_t code = 0;

    wire_get_u32(cmd->value, cmd->len, CDB_TAG_CODE, &code);
    LOGW("svc", "refused a %s report from node %" PRIu64 ": %s", cdb_cmd_name(code), sender,
         why);
    rpc_call_finish(call, ERROR_ACCESS_DENIED, "%s from node %" PRIu64 ": %s",
                    cdb_cmd_name(code), sender, why);
}

void svc_op_member_report(struct svc *s, struct rpc_call *call)
{
    struct cdb_node sender;
    struct wire_field cmd;
    uint32_t code;
    uint64_t id;

    if (wire_get_u64(call->req, call->req_len, RPC_F_NODE_ID, &id) < 0 ||
        wire_find(call->req, call->req_len, RPC_F_COMMAND, &cmd) < 0) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed report");
        return;
    }
    /* A member of raft, which a node joins before its database row is written. */
    if (id == 0 || consensus_member_role(s->consensus, id) < 0) {
        refuse(call, id, &cmd, "not a member");
        return;
    }
    if (!cdb_cmd_is_self_report(cmd.value, cmd.len, id)) {
        refuse(call, id, &cmd, "a node reports only about itself");
        return;
    }
    /* Up is the node's to say, but never over the administrator's pause. */
    if (cdb_node_by_id(s->db, id, &sender) == 0 && sender.state == ClusterNodePaused &&
        wire_get_u32(cmd.value, cmd.len, CDB_TAG_CODE, &code) == 0 &&
        code == CDB_CMD_SET_NODE_STATE) {
        rpc_call_finish(call, ERROR_INVALID_STATE, "node %s is paused", sender.name);
        return;
    }
    svc_op_commit_bytes(s, call, cmd.value, cmd.len);
}
