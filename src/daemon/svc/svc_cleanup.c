/*
 * svc_cleanup — returning this node to NotConfigured: RPC_OP_CLEANUP (a setup undoing what it
 * did, evict and destroy cleaning a node of their cluster) and RPC_OP_CLEAR (Clear-ClusterNode).
 */
#include <stdlib.h>
#include <string.h>

#include <clusapi.h>

#include "common/rpc_proto.h"
#include "common/win32_error.h"
#include "daemon/svc/svc.h"
#include "daemon/svc/svc_ops.h"

static void cleanup_done(struct svc *s, int rv, void *arg)
{
    (void)arg;
    for (unsigned i = 0; i < s->cleanup.n_waiters; i++)
        rpc_call_finish(s->cleanup.waiters[i], win32_from_errno(rv), "%s",
                        rv < 0 ? strerror(-rv) : "");
    s->cleanup.n_waiters = 0;
}

void svc_op_clear(struct svc *s, struct rpc_call *call)
{
    uint32_t force = 0;

    wire_get_u32(call->req, call->req_len, RPC_F_FORCE, &force);
    svc_orphan_clear(s, call, force != 0);
}

void svc_op_cleanup(struct svc *s, struct rpc_call *call)
{
    uint64_t session = 0;
    char cluster_id[40];

    wire_get_u64(call->req, call->req_len, RPC_F_SESSION, &session);
    /* Evict and destroy name the cluster they clean: a node of another cluster is left alone. */
    if (svc_req_str(call, RPC_F_CLUSTER_ID, cluster_id, sizeof(cluster_id)) && s->configured &&
        strcmp(cluster_id, s->conf.cluster_id) != 0) {
        rpc_call_finish(call, ERROR_CLUSTER_NODE_ALREADY_MEMBER,
                        "node %s belongs to another cluster (%s)",
                        s->opts.name, s->conf.cluster_name);
        return;
    }
    /* A setup may undo only what it did itself: never a node of another cluster. */
    if (session != 0 && s->configured && s->conf.setup_session != session) {
        rpc_call_finish(call, ERROR_CLUSTER_NODE_ALREADY_MEMBER,
                        "node %s belongs to another cluster (%s)",
                        s->opts.name, s->conf.cluster_name);
        return;
    }
    if (session != 0 && s->claim.session == session && !s->configured)
        s->claim.session = 0;
    if (!s->configured && !s->wiping) {
        node_conf_wipe(s->opts.state_dir); /* credential written before the configuration */
        keys_clear(&s->keys);
        rpc_call_finish(call, 0, NULL);
        return;
    }
    if (s->cleanup.n_waiters == SVC_CLEANUP_MAX_WAITERS) {
        rpc_call_finish(call, ERROR_BUSY, "too many cleanups at once");
        return;
    }
    s->cleanup.waiters[s->cleanup.n_waiters++] = call;
    if (!s->wiping)
        svc_wipe(s, "cleanup requested", cleanup_done, NULL);
}
