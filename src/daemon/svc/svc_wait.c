/*
 * svc_wait — RPC_OP_WAIT: a caller waits on this node for a condition (a leader, the setup
 * commit, a node, group or resource state); and a request for the leader that came during an
 * election waits for one here before it is dispatched again. Waits are re-checked after each change the
 * loop sees and each tick, and end when the condition holds, their time runs out, or the node
 * leaves.
 */
#include <assert.h>
#include <stdlib.h>

#include <clusapi.h>

#include "common/rpc_proto.h"
#include "daemon/svc/svc.h"
#include "daemon/svc/svc_ops.h"

#define MAX_WAIT_MS 120000

/* Not a kind a caller can ask for: a leader is known, then the call is dispatched again. */
#define WAIT_DISPATCH UINT32_MAX

struct svc_wait {
    struct rpc_call *call;
    uint32_t kind;
    char name[256];
    int32_t state;
    uint64_t owner; /* GROUP_STATE: and owned by this node (0: any) */
    uint64_t min_version; /* states: not before this node applied this database version */
    uint64_t deadline;
    struct svc_wait *next;
};

/* 1 if the wait's condition holds, 0 if not yet, or a Win32 failure (> 1) ending the wait. */
static uint32_t wait_status(struct svc *s, const struct svc_wait *wt, bool *ret_done)
{
    struct cdb_group g;
    struct cdb_node n;

    *ret_done = false;
    /* a state read before the change the caller waits on was applied here says nothing of it */
    if (wt->min_version != 0 && (s->db == NULL || cdb_version(s->db) < wt->min_version))
        return 0;
    switch (wt->kind) {
    case WAIT_DISPATCH: { /* as svc_forward_call will find it */
        char addr[64];
        uint16_t port;

        *ret_done = svc_leader_endpoint(s, addr, sizeof(addr), &port);
        return 0;
    }
    case RPC_WAIT_LEADER:
        *ret_done = s->consensus != NULL && consensus_leader(s->consensus) != 0;
        return 0;
    case RPC_WAIT_COMMITTED:
        *ret_done = s->configured && s->conf.committed;
        return 0;
    case RPC_WAIT_NODE_STATE:
        *ret_done = s->db != NULL && cdb_node_by_name(s->db, wt->name, &n) == 0 &&
                    n.state == wt->state;
        return 0;
    case RPC_WAIT_RESOURCE_STATE: {
        struct cdb_resource r;

        if (s->db == NULL || cdb_resource_by_name(s->db, wt->name, &r) < 0)
            return 0;
        *ret_done = r.state == wt->state;
        if (!*ret_done && r.state == ClusterResourceFailed && wt->state == ClusterResourceOnline) {
            *ret_done = true;
            return ERROR_RESOURCE_FAILED;
        }
        return 0;
    }
    case RPC_WAIT_GROUP_STATE:
        if (s->db == NULL || cdb_group_by_name(s->db, wt->name, &g) < 0)
            return 0;
        if (wt->owner != 0 && g.owner != wt->owner)
            return 0;
        *ret_done = g.state == wt->state;
        if (!*ret_done && g.state == ClusterGroupFailed && wt->state == 0) {
            *ret_done = true;
            return ERROR_GROUP_NOT_ONLINE;
        }
        return 0;
    }
    *ret_done = true;
    return ERROR_INVALID_PARAMETER;
}

void svc_waits_check(struct svc *s)
{
    struct svc_wait **pp = &s->waits.head;
    uint64_t now = svc_now_ms();

    while (*pp != NULL) {
        struct svc_wait *wt = *pp;
        bool done;
        uint32_t status;

        assert(wt->call != NULL); /* every wait answers one call, once */
        status = wait_status(s, wt, &done);

        if (!done && now < wt->deadline) {
            pp = &wt->next;
            continue;
        }
        *pp = wt->next;
        if (wt->kind == WAIT_DISPATCH && done)
            svc_rpc_on_loop(s, wt->call); /* handled here if this node leads by now */
        else if (wt->kind == WAIT_DISPATCH)
            rpc_call_finish(wt->call, ERROR_CLUSTER_NO_QUORUM, "node %s has no quorum: no "
                            "leader was elected", s->opts.name);
        else if (done)
            rpc_call_finish(wt->call, status, status ? "%s %s failed to come online" : NULL,
                            wt->kind == RPC_WAIT_RESOURCE_STATE ? "resource" : "group",
                            wt->name);
        else
            rpc_call_finish(wt->call, ERROR_TIMEOUT, "timed out waiting");
        free(wt);
    }
}

void svc_waits_cancel(struct svc *s, uint32_t status, const char *why)
{
    while (s->waits.head != NULL) {
        struct svc_wait *wt = s->waits.head;

        s->waits.head = wt->next;
        rpc_call_finish(wt->call, status, "%s", why);
        free(wt);
    }
}

static void waits_add(struct svc *s, struct svc_wait *wt, uint32_t timeout_ms)
{
    wt->deadline = svc_now_ms() + timeout_ms;
    wt->next = s->waits.head;
    s->waits.head = wt;
}

void svc_wait_for_leader(struct svc *s, struct rpc_call *call, uint32_t timeout_ms)
{
    struct svc_wait *wt = calloc(1, sizeof(*wt));

    if (wt == NULL) {
        rpc_call_finish(call, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
        return;
    }
    *wt = (struct svc_wait){.call = call, .kind = WAIT_DISPATCH};
    waits_add(s, wt, timeout_ms);
}

void svc_op_wait(struct svc *s, struct rpc_call *call)
{
    struct svc_wait *wt = calloc(1, sizeof(*wt));
    uint32_t timeout, state = 0;

    if (wt == NULL) {
        rpc_call_finish(call, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
        return;
    }
    wt->call = call;
    if (wire_get_u32(call->req, call->req_len, RPC_F_WAIT_KIND, &wt->kind) < 0 ||
        wire_get_u32(call->req, call->req_len, RPC_F_TIMEOUT_MS, &timeout) < 0 ||
        timeout > MAX_WAIT_MS) {
        free(wt);
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed wait");
        return;
    }
    svc_req_str(call, RPC_F_NAME, wt->name, sizeof(wt->name));
    wire_get_u32(call->req, call->req_len, RPC_F_STATE, &state);
    wt->state = (int32_t)state;
    wire_get_u64(call->req, call->req_len, RPC_F_NODE_ID, &wt->owner);
    wire_get_u64(call->req, call->req_len, RPC_F_DB_VERSION, &wt->min_version);
    if (wt->kind == WAIT_DISPATCH) { /* not a kind a caller may ask for */
        free(wt);
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed wait");
        return;
    }
    waits_add(s, wt, timeout);
    svc_waits_check(s);
}
