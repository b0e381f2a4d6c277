/*
 * svc_member — cluster membership on the leader: adding a node (raft spare + database row),
 * promoting it once it runs (catch-up, then a voter or a standby as dynamic quorum has it:
 * svc_votes.h), and removing one (leadership handed over first if it is the leader's own; the
 * votes follow afterwards). A request that finds another change running (a vote change) waits
 * for it. Requests reaching a follower are relayed to the leader.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <raft.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"
#include "common/rpc_proto.h"
#include "common/win32_error.h"
#include "daemon/base/log.h"
#include "daemon/svc/svc.h"
#include "daemon/svc/svc_votes.h"

#define NODE_UP 0
#define NODE_JOINING 3

/* A membership request in flight (one at a time, as raft allows). */
struct member_op {
    struct svc *s;
    struct rpc_call *call;
    uint64_t id;
    int role;
    uint64_t heir; /* evicting the only voter: the member given a vote to lead instead */
};

static bool leader_or_relay(struct svc *s, struct rpc_call *call)
{
    if (s->consensus == NULL || s->db == NULL || s->wiping) {
        rpc_call_finish(call, ERROR_CLUSTER_NODE_NOT_MEMBER,
                        "node %s is not running a cluster", s->opts.name);
        return false;
    }
    if (consensus_role(s->consensus) == CONSENSUS_LEADER)
        return true;
    svc_forward_call(s, call);
    return false;
}

static struct member_op *op_new(struct svc *s, struct rpc_call *call, uint64_t id)
{
    struct member_op *op;

    if (s->member_busy) {
        rpc_call_finish(call, ERROR_CLUSTER_JOIN_IN_PROGRESS, "another membership change is running");
        return NULL;
    }
    op = calloc(1, sizeof(*op));
    if (op == NULL) {
        rpc_call_finish(call, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
        return NULL;
    }
    *op = (struct member_op){.s = s, .call = call, .id = id};
    s->member_busy = true;
    return op;
}

static void op_finish(struct member_op *op, uint32_t status, const char *why)
{
    op->s->member_busy = false;
    rpc_call_finish(op->call, status, "%s", why ? why : "");
    free(op);
}

static uint32_t change_status(int rv)
{
    return rv == -EBUSY ? ERROR_CLUSTER_JOIN_IN_PROGRESS : win32_from_errno(rv);
}

/* Commits one command built by fn and calls done with its outcome. */
static void commit(struct svc *s, struct wire_writer *w, svc_submit_cb done, void *arg)
{
    size_t len;
    uint8_t *cmd = wire_writer_take(w, &len);

    if (cmd == NULL) {
        done(s, arg, -ENOMEM, 0, "out of memory");
        return;
    }
    svc_submit(s, cmd, len, done, arg);
    free(cmd);
}

/* ------------------------------------------------------------------------------------------ */
/* Waiting for another change                                                                  */
/* ------------------------------------------------------------------------------------------ */

/* The longest a membership request waits for another change to end (a vote change of dynamic
 * quorum: svc_votes.h); then it is tried as it is, and refused if one still runs. */
#define MEMBER_WAIT_MS 10000

typedef void (*member_fn)(struct svc *s, struct rpc_call *call, uint64_t wait_until);

struct member_retry {
    uv_timer_t timer;
    struct svc *s;
    struct rpc_call *call;
    member_fn fn;
    uint64_t wait_until;
};

static void retry_closed(uv_handle_t *h)
{
    free(h->data);
}

static void retry_fired(uv_timer_t *t)
{
    struct member_retry *r = t->data;

    r->fn(r->s, r->call, r->wait_until);
    uv_close((uv_handle_t *)&r->timer, retry_closed);
}

/* Runs fn again a moment later: false when the wait is over (or cannot be arranged). */
static bool retry_later(struct svc *s, struct rpc_call *call, member_fn fn, uint64_t wait_until)
{
    struct member_retry *r;

    if (svc_now_ms() >= wait_until || (r = calloc(1, sizeof(*r))) == NULL)
        return false;
    *r = (struct member_retry){.s = s, .call = call, .fn = fn, .wait_until = wait_until};
    uv_timer_init(s->loop, &r->timer);
    r->timer.data = r;
    uv_timer_start(&r->timer, retry_fired, 50, 0);
    return true;
}

/* ------------------------------------------------------------------------------------------ */
/* Add                                                                                         */
/* ------------------------------------------------------------------------------------------ */

static void put_members(struct svc *s, struct wire_writer *w)
{
    struct cdb_node *nodes;
    size_t n;

    if (cdb_nodes(s->db, &nodes, &n) < 0)
        return;
    for (size_t i = 0; i < n; i++) {
        struct node_peer p = {.id = nodes[i].id, .port = nodes[i].port,
                              .raft_port = nodes[i].raft_port, .role = nodes[i].role};

        snprintf(p.name, sizeof(p.name), "%s", nodes[i].name);
        snprintf(p.address, sizeof(p.address), "%s", nodes[i].address);
        node_peer_put(w, RPC_F_PEER, &p);
    }
    free(nodes);
}

static void add_removed_again(void *arg, int rv)
{
    struct member_op *op = arg;

    (void)rv;
    op_finish(op, ERROR_OBJECT_ALREADY_EXISTS, "cannot record the new node");
}

static void add_recorded(struct svc *s, void *arg, int rv, uint32_t status, const char *errmsg)
{
    struct member_op *op = arg;

    if (rv < 0 || status != 0) {
        /* Keep raft and the database in step: undo the raft half. */
        if (consensus_remove(s->consensus, op->id, add_removed_again, op) < 0)
            op_finish(op, rv < 0 ? win32_from_errno(rv) : status, errmsg);
        return;
    }
    wire_put_u64(&op->call->reply, RPC_F_NODE_ID, op->id);
    put_members(s, &op->call->reply);
    LOGI("member", "node %llu added", (unsigned long long)op->id);
    op_finish(op, 0, NULL);
}

static void add_spare_done(void *arg, int rv)
{
    struct member_op *op = arg;
    struct svc *s = op->s;
    char name[64], addr[64];
    uint32_t port = 0, raft_port = 0, witness = 0;
    struct wire_writer w;
    const struct rpc_call *call = op->call;

    if (rv < 0) {
        op_finish(op, change_status(rv), "raft refused the new member");
        return;
    }
    svc_req_str(call, RPC_F_NODE_NAME, name, sizeof(name));
    svc_req_str(call, RPC_F_ADDRESS, addr, sizeof(addr));
    wire_get_u32(call->req, call->req_len, RPC_F_PORT, &port);
    wire_get_u32(call->req, call->req_len, RPC_F_RAFT_PORT, &raft_port);
    wire_get_u32(call->req, call->req_len, RPC_F_WITNESS, &witness);
    wire_writer_init(&w);
    cdb_cmd_batch(&w);
    {
        size_t mark = cdb_cmd_batch_sub_begin(&w);

        cdb_cmd_add_node(&w, op->id, name, addr, port, raft_port, RAFT_SPARE);
        if (witness)
            cdb_cmd_add_node_witness(&w);
        cdb_cmd_batch_sub_end(&w, mark);
        mark = cdb_cmd_batch_sub_begin(&w);
        cdb_cmd_set_node_state(&w, op->id, NODE_JOINING);
        cdb_cmd_batch_sub_end(&w, mark);
    }
    commit(s, &w, add_recorded, op);
}

/* The next free node id: one above the highest ever in the database or raft. */
static uint64_t next_id(struct svc *s, const struct cdb_node *nodes, size_t n)
{
    uint64_t id = 0;

    for (size_t i = 0; i < n; i++)
        if (nodes[i].id > id)
            id = nodes[i].id;
    while (consensus_member_role(s->consensus, id + 1) >= 0)
        id++;
    return id + 1;
}

static void member_add(struct svc *s, struct rpc_call *call, uint64_t wait_until);

void svc_op_member_add(struct svc *s, struct rpc_call *call)
{
    member_add(s, call, svc_now_ms() + MEMBER_WAIT_MS);
}

static void member_add(struct svc *s, struct rpc_call *call, uint64_t wait_until)
{
    char name[64], addr[64];
    uint32_t raft_port;
    struct cdb_node *nodes, existing;
    struct member_op *op;
    size_t n;
    int rv;

    if (!leader_or_relay(s, call))
        return;
    if (!svc_req_str(call, RPC_F_NODE_NAME, name, sizeof(name)) ||
        !svc_req_str(call, RPC_F_ADDRESS, addr, sizeof(addr)) ||
        wire_get_u32(call->req, call->req_len, RPC_F_RAFT_PORT, &raft_port) < 0 ||
        raft_port == 0 || raft_port > 65535) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed member");
        return;
    }
    if (cdb_node_by_name(s->db, name, &existing) == 0) {
        rpc_call_finish(call, ERROR_CLUSTER_NODE_ALREADY_MEMBER, "%s is already a member of this cluster", name);
        return;
    }
    if (s->member_busy && retry_later(s, call, member_add, wait_until))
        return;
    if (cdb_nodes(s->db, &nodes, &n) < 0) {
        rpc_call_finish(call, ERROR_NOT_ENOUGH_MEMORY, "cannot read the members");
        return;
    }
    op = n >= s->opts.max_nodes ? NULL : op_new(s, call, next_id(s, nodes, n));
    free(nodes);
    if (n >= s->opts.max_nodes)
        rpc_call_finish(call, ERROR_CLUSTER_MAX_NODES_IN_CLUSTER, "the cluster has %zu nodes, its limit", n);
    if (op == NULL)
        return;
    rv = consensus_add(s->consensus, op->id, addr, (uint16_t)raft_port, add_spare_done, op);
    if (rv < 0)
        op_finish(op, change_status(rv), "raft refused the new member");
}

/* ------------------------------------------------------------------------------------------ */
/* Promote                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static void role_recorded(struct svc *s, void *arg, int rv, uint32_t status, const char *errmsg)
{
    struct member_op *op = arg;

    (void)s;
    if (rv < 0 || status != 0) {
        op_finish(op, rv < 0 ? win32_from_errno(rv) : status, errmsg);
        return;
    }
    wire_put_u32(&op->call->reply, RPC_F_ROLE, (uint32_t)op->role);
    op_finish(op, 0, NULL);
}

static void assigned(void *arg, int rv)
{
    struct member_op *op = arg;
    struct wire_writer w;

    if (rv < 0) {
        op_finish(op, change_status(rv), "the node did not catch up with the cluster");
        return;
    }
    LOGI("member", "node %llu is a %s", (unsigned long long)op->id,
         op->role == RAFT_VOTER ? "voter" : "standby");
    wire_writer_init(&w);
    cdb_cmd_set_node_role(&w, op->id, (uint32_t)op->role);
    commit(op->s, &w, role_recorded, op);
}

static void member_promote(struct svc *s, struct rpc_call *call, uint64_t wait_until);

void svc_op_member_promote(struct svc *s, struct rpc_call *call)
{
    member_promote(s, call, svc_now_ms() + MEMBER_WAIT_MS);
}

static void member_promote(struct svc *s, struct rpc_call *call, uint64_t wait_until)
{
    struct member_op *op;
    uint64_t id;
    int role, rv;

    if (!leader_or_relay(s, call))
        return;
    if (wire_get_u64(call->req, call->req_len, RPC_F_NODE_ID, &id) < 0 ||
        (role = consensus_member_role(s->consensus, id)) < 0) {
        rpc_call_finish(call, ERROR_CLUSTER_NODE_NOT_FOUND, "no such member");
        return;
    }
    if (role == RAFT_VOTER) {
        wire_put_u32(&call->reply, RPC_F_ROLE, RAFT_VOTER);
        rpc_call_finish(call, 0, NULL);
        return;
    }
    if (s->member_busy && retry_later(s, call, member_promote, wait_until))
        return;
    op = op_new(s, call, id);
    if (op == NULL)
        return;
    /* A vote now if dynamic quorum gives it one and a vote change may start; otherwise it
     * catches up as a standby and svc_votes gives it its vote when due. */
    op->role = svc_votes_should_vote(s, id) && svc_votes_may_change(s) ? RAFT_VOTER
                                                                       : RAFT_STANDBY;
    if (op->role == role) {
        assigned(op, 0);
        return;
    }
    rv = consensus_assign(s->consensus, id, op->role, assigned, op);
    if (rv < 0)
        op_finish(op, change_status(rv), "raft refused the role change");
}

/* ------------------------------------------------------------------------------------------ */
/* Remove                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* Would the cluster keep a working majority of voters without node id? */
static bool quorum_survives(struct svc *s, uint64_t id, char *why, size_t n_why)
{
    struct cdb_node *nodes;
    size_t n, up_voters = 0, voters_after = 0, standbys_up = 0;
    bool ok;

    if (cdb_nodes(s->db, &nodes, &n) < 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        int role = consensus_member_role(s->consensus, nodes[i].id);

        if (nodes[i].id == id)
            continue;
        voters_after += role == RAFT_VOTER;
        up_voters += role == RAFT_VOTER && nodes[i].state == NODE_UP;
        standbys_up += role == RAFT_STANDBY && nodes[i].state == NODE_UP;
    }
    free(nodes);
    /* A standby that is up takes the removed voter's place. */
    if (consensus_member_role(s->consensus, id) == RAFT_VOTER && standbys_up > 0) {
        voters_after++;
        up_voters++;
    }
    ok = voters_after > 0 && up_voters >= voters_after / 2 + 1;
    if (!ok)
        snprintf(why, n_why, "the cluster would lose its quorum (%zu of %zu voters up)",
                 up_voters, voters_after);
    return ok;
}

static void remove_recorded(struct svc *s, void *arg, int rv, uint32_t status,
                            const char *errmsg)
{
    struct member_op *op = arg;

    if (rv < 0 || status != 0) {
        op_finish(op, rv < 0 ? win32_from_errno(rv) : status, errmsg);
        return;
    }
    LOGI("member", "node %llu removed", (unsigned long long)op->id);
    op_finish(op, 0, NULL);
    svc_kick(s); /* the votes follow (svc_votes) */
}

static void removed(void *arg, int rv)
{
    struct member_op *op = arg;
    struct wire_writer w;

    if (rv < 0 && rv != -ENOENT) {
        op_finish(op, change_status(rv), "raft refused to remove the node");
        return;
    }
    wire_writer_init(&w);
    cdb_cmd_remove_node(&w, op->id);
    commit(op->s, &w, remove_recorded, op);
}

static void transferred(void *arg, int rv)
{
    struct member_op *op = arg;
    struct svc *s = op->s;
    struct rpc_call *call = op->call;

    (void)rv;
    s->member_busy = false;
    free(op);
    /* Whoever leads now removes this node; the request is dispatched again. */
    svc_op_member_remove(s, call);
}

/* Another member to hand leadership to when this node, the only voter, is evicted: one that is
 * up, a node rather than a witness; 0 if there is none. */
static uint64_t vote_heir(struct svc *s)
{
    const struct hb_track *t = hb_tracker(s->health.hb);
    uint64_t now = svc_now_ms(), heir = 0;
    struct cdb_node *nodes;
    size_t n;

    if (cdb_nodes(s->db, &nodes, &n) < 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t id = nodes[i].id;

        if (id == s->conf.node_id || consensus_member_role(s->consensus, id) < 0 ||
            !hb_track_up(t, id, now))
            continue;
        if (heir == 0 || !nodes[i].witness)
            heir = id;
        if (!nodes[i].witness)
            break;
    }
    free(nodes);
    return heir;
}

static void heir_votes(void *arg, int rv)
{
    struct member_op *op = arg;

    if (rv == 0)
        rv = consensus_transfer(op->s->consensus, op->heir, transferred, op);
    if (rv < 0)
        op_finish(op, change_status(rv), "cannot give another member the vote to hand over to");
}

/* This node is evicted: leadership goes first (RAFT-NOTES), to a voter; when it is the only
 * one, another member gets a vote for it. */
static int hand_over_leadership(struct member_op *op)
{
    struct svc *s = op->s;

    if (consensus_voters(s->consensus) > 1)
        return consensus_transfer(s->consensus, 0, transferred, op);
    op->heir = s->health.hb != NULL ? vote_heir(s) : 0;
    if (op->heir == 0)
        return -ENOENT;
    LOGI("member", "the only voter is evicted: node %llu gets a vote to take over",
         (unsigned long long)op->heir);
    return consensus_assign(s->consensus, op->heir, RAFT_VOTER, heir_votes, op);
}

static void member_remove(struct svc *s, struct rpc_call *call, uint64_t wait_until);

void svc_op_member_remove(struct svc *s, struct rpc_call *call)
{
    member_remove(s, call, svc_now_ms() + MEMBER_WAIT_MS);
}

static void member_remove(struct svc *s, struct rpc_call *call, uint64_t wait_until)
{
    struct member_op *op;
    struct cdb_node node;
    char why[160];
    uint64_t id;
    int rv;

    if (!leader_or_relay(s, call))
        return;
    if (wire_get_u64(call->req, call->req_len, RPC_F_NODE_ID, &id) < 0 ||
        cdb_node_by_id(s->db, id, &node) < 0) {
        rpc_call_finish(call, ERROR_CLUSTER_NODE_NOT_FOUND, "no such node");
        return;
    }
    if (!quorum_survives(s, id, why, sizeof(why))) {
        rpc_call_finish(call, ERROR_CLUSTER_EVICT_INVALID_REQUEST, "cannot evict %s: %s", node.name, why);
        return;
    }
    /* Removing a voter changes the voters: not within the change spacing of the last one, nor
     * while a vote change runs (svc_votes.h). */
    if (consensus_member_role(s->consensus, id) == RAFT_VOTER &&
        (!svc_votes_may_change(s) || s->member_busy) &&
        retry_later(s, call, member_remove, wait_until))
        return;
    op = op_new(s, call, id);
    if (op == NULL)
        return;
    if (id == s->conf.node_id)
        rv = hand_over_leadership(op);
    else if (consensus_member_role(s->consensus, id) < 0)
        rv = (removed(op, -ENOENT), 0); /* only the database row is left */
    else
        rv = consensus_remove(s->consensus, id, removed, op);
    if (rv < 0)
        op_finish(op, change_status(rv), "raft refused to remove the node");
}
