/*
 * svc_change_ops — changes of the cluster's configuration, answered on the leader: setup's
 * configuration batches (RPC_OP_APPLY, which takes configuration commands and nothing else), a
 * cluster property, and pausing or resuming a node. Clients say what they want; the status of
 * the cluster (what runs where, which node is up) is written only by the service itself.
 */
#include <stdint.h>
#include <stdlib.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"
#include "common/cluster_props.h"
#include "common/mono_clock.h"
#include "common/rpc_proto.h"
#include "daemon/base/log.h"
#include "daemon/svc/svc.h"
#include "daemon/svc/svc_ops.h"

void svc_op_apply(struct svc *s, struct rpc_call *call)
{
    struct wire_field f;
    uint32_t code = 0;

    if (wire_find(call->req, call->req_len, RPC_F_COMMAND, &f) < 0) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "no command");
        return;
    }
    if (!cdb_cmd_is_configuration(f.value, f.len)) {
        wire_get_u32(f.value, f.len, CDB_TAG_CODE, &code);
        LOGW("svc", "refused a %s command sent as configuration by %s", cdb_cmd_name(code),
             call->peer_identity);
        rpc_call_finish(call, ERROR_ACCESS_DENIED, "%s is not a configuration command: the "
                        "cluster records it itself", cdb_cmd_name(code));
        return;
    }
    svc_op_commit_bytes(s, call, f.value, f.len);
}

void svc_op_set_property(struct svc *s, struct rpc_call *call)
{
    char name[64], value[32], why[256];
    const char *canonical;
    struct wire_writer w;
    uint32_t status;

    if (!svc_req_str(call, RPC_F_NAME, name, sizeof(name)) ||
        !svc_req_str(call, RPC_F_VALUE, value, sizeof(value))) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed property");
        return;
    }
    status = cluster_prop_check(name, value, &canonical, why, sizeof(why));
    if (status == 0)
        status = svc_check_cluster_prop(s, canonical, value, why, sizeof(why));
    if (status != 0) {
        rpc_call_finish(call, status, "%s", why);
        return;
    }
    wire_writer_init(&w);
    cdb_cmd_set_prop(&w, canonical, value);
    svc_op_commit(s, call, &w);
}

/* The node a request names (RPC_F_NODE_ID); finishes the call if there is none. */
static bool named_node(struct svc *s, struct rpc_call *call, struct cdb_node *ret)
{
    uint64_t id;

    if (wire_get_u64(call->req, call->req_len, RPC_F_NODE_ID, &id) < 0 ||
        cdb_node_by_id(s->db, id, ret) < 0) {
        rpc_call_finish(call, ERROR_CLUSTER_NODE_NOT_FOUND, "no such node");
        return false;
    }
    return true;
}

static void commit_node_state(struct svc *s, struct rpc_call *call, uint64_t id, int32_t state)
{
    struct wire_writer w;

    wire_writer_init(&w);
    cdb_cmd_set_node_state(&w, id, state);
    svc_op_commit(s, call, &w);
}

/* PauseClusterNode's record: an Up node becomes Paused (the caller then moves its groups). */
void svc_op_node_pause(struct svc *s, struct rpc_call *call)
{
    struct cdb_node node;

    if (!named_node(s, call, &node))
        return;
    if (node.state == ClusterNodePaused) {
        rpc_call_finish(call, 0, NULL);
        return;
    }
    if (node.state != ClusterNodeUp) {
        rpc_call_finish(call, ERROR_CLUSTER_NODE_DOWN, "node %s is not up", node.name);
        return;
    }
    commit_node_state(s, call, node.id, ClusterNodePaused);
}

/* ResumeClusterNode: a paused node is Up again and may host groups; a quarantined one leaves
 * its quarantine (common/quarantine.h), as Start-ClusterNode -ClearQuarantine does on Windows. */
void svc_op_node_resume(struct svc *s, struct rpc_call *call)
{
    struct cdb_node node;
    struct wire_writer w;
    bool paused, quarantined;
    size_t mark;

    if (!named_node(s, call, &node))
        return;
    paused = node.state == ClusterNodePaused;
    quarantined = quarantine_active(&node.quarantine, wall_ms());
    if (!paused && !quarantined) {
        rpc_call_finish(call, ERROR_CLUSTER_NODE_NOT_PAUSED, "node %s is not paused",
                        node.name);
        return;
    }
    if (!quarantined) {
        commit_node_state(s, call, node.id, ClusterNodeUp);
        return;
    }
    wire_writer_init(&w);
    cdb_cmd_batch(&w);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_clear_quarantine(&w, node.id);
    cdb_cmd_batch_sub_end(&w, mark);
    if (paused) {
        mark = cdb_cmd_batch_sub_begin(&w);
        cdb_cmd_set_node_state(&w, node.id, ClusterNodeUp);
        cdb_cmd_batch_sub_end(&w, mark);
    }
    svc_op_commit(s, call, &w);
}
