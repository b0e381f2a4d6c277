/*
 * svc_orphan — a node whose cluster let it go while it was away: evicted while down, or the
 * cluster destroyed without it. Raft never tells such a node (RAFT-NOTES), and it would campaign
 * for ever. When this node has heard no leader for a while, it asks its peers, with the admin
 * key, on a worker thread:
 *  - a peer of the same cluster names a leader whose database no longer lists this node: evicted;
 *  - a majority of the other nodes it knows answer that they are in no cluster, or in another
 *    one: the cluster is gone.
 * Only positive evidence counts: peers that do not answer prove nothing, so a partitioned node
 * keeps its configuration. Either finding wipes the node back to NotConfigured.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <clusapi.h>

#include "common/rpc_proto.h"
#include "daemon/base/log.h"
#include "daemon/svc/svc.h"

#define CHECK_TIMEOUT_MS 2000
#define LEADERLESS_MS 3000  /* no leader this long: ask */
#define RECHECK_MS 5000

struct orphan_check {
    uv_work_t work;
    struct svc *s;
    struct rpc_call *call; /* a CLEAR request waiting for the verdict, or NULL */
    struct channel_key key;
    char cluster_id[40];
    uint64_t self;
    size_t n;
    struct node_peer *peers;
    bool evicted;
    bool gone;
};

/* One request with the admin key; the reply in *ret (free it), or NULL. */
static void *ask(const struct orphan_check *c, const char *host, uint16_t port,
                 struct wire_writer *req, size_t *ret_len)
{
    struct channel *ch;
    uint8_t *msg;
    size_t len;
    void *reply = NULL;
    uint32_t status = 1;

    msg = wire_writer_take(req, &len);
    if (msg == NULL)
        return NULL;
    if (channel_connect(host, port, &c->key, CHECK_TIMEOUT_MS, &ch, NULL) == 0) {
        if (channel_send(ch, msg, len) == 0 &&
            channel_recv(ch, CHECK_TIMEOUT_MS, &reply, ret_len) == 0 &&
            (wire_get_u32(reply, *ret_len, RPC_F_STATUS, &status) < 0 || status != 0)) {
            free(reply);
            reply = NULL;
        }
        channel_close(ch);
    }
    free(msg);
    return reply;
}

/* Does the node list of the leader at host:port still hold this node? -1 if it did not say. */
static int leader_lists_me(const struct orphan_check *c, const char *host, uint16_t port)
{
    struct wire_writer w;
    struct wire_reader r;
    struct wire_field f;
    size_t len;
    void *reply;
    int found = 0;

    wire_writer_init(&w);
    wire_put_u32(&w, RPC_F_OP, RPC_OP_QUERY);
    wire_put_u32(&w, RPC_F_QUERY, RPC_QUERY_NODES);
    reply = ask(c, host, port, &w, &len);
    if (reply == NULL)
        return -1;
    wire_reader_init(&r, reply, len);
    while (wire_next(&r, &f) > 0) {
        uint64_t id;

        if (f.tag == RPC_F_ITEM && wire_get_u64(f.value, f.len, RPC_F_NODE_ID, &id) == 0 &&
            id == c->self)
            found = 1;
    }
    free(reply);
    return found;
}

static void check_work(uv_work_t *work)
{
    struct orphan_check *c = work->data;
    size_t gone = 0, others = 0;

    for (size_t i = 0; i < c->n && !c->evicted; i++) {
        struct wire_writer w;
        char *id = NULL, *leader = NULL;
        uint32_t state = 0, leader_port = 0;
        size_t len;
        void *reply;

        if (c->peers[i].id == c->self)
            continue;
        others++;
        wire_writer_init(&w);
        wire_put_u32(&w, RPC_F_OP, RPC_OP_NODE_INFO);
        reply = ask(c, c->peers[i].address, (uint16_t)c->peers[i].port, &w, &len);
        if (reply == NULL)
            continue;
        wire_get_u32(reply, len, RPC_F_NODE_STATE, &state);
        wire_get_strdup(reply, len, RPC_F_CLUSTER_ID, &id);
        wire_get_strdup(reply, len, RPC_F_LEADER_ADDRESS, &leader);
        wire_get_u32(reply, len, RPC_F_LEADER_PORT, &leader_port);
        if (id == NULL || strcmp(id, c->cluster_id) != 0)
            gone++;
        else if (leader != NULL && leader_lists_me(c, leader, (uint16_t)leader_port) == 0)
            c->evicted = true;
        free(id);
        free(leader);
        free(reply);
    }
    c->gone = others > 0 && gone >= others / 2 + 1;
}

static void orphan_wiped(struct svc *s, int rv, void *arg)
{
    struct rpc_call *call = arg;

    (void)s;
    LOGI("orphan", "node cleaned after leaving its cluster (%s)",
         rv == 0 ? "clean" : strerror(-rv));
    if (call != NULL)
        rpc_call_finish(call, rv == 0 ? 0 : ERROR_INTERNAL_ERROR, "%s",
                        rv == 0 ? "" : strerror(-rv));
}

static void check_done(uv_work_t *work, int status)
{
    struct orphan_check *c = work->data;
    struct svc *s = c->s;

    (void)status;
    s->orphan.checking = false;
    if (s->configured && !s->wiping && !s->shutdown.stopping && strcmp(s->conf.cluster_id,
                                                               c->cluster_id) == 0 &&
        (c->evicted || c->gone)) {
        svc_wipe(s, c->evicted ? "this node was evicted from its cluster"
                               : "this node's cluster no longer exists",
                 orphan_wiped, c->call);
    } else if (c->call != NULL) {
        rpc_call_finish(c->call, ERROR_CLUSTER_NODE_ALREADY_MEMBER,
                        "node %s still belongs to cluster %s, which is running", s->opts.name,
                        s->conf.cluster_name);
    }
    free(c->peers);
    free(c);
}

/* The nodes to ask: the database's members, or the configuration's peers before it has any. */
static int collect_peers(struct svc *s, struct orphan_check *c)
{
    struct cdb_node *nodes;
    size_t n;

    if (s->db != NULL && cdb_nodes(s->db, &nodes, &n) == 0 && n > 0) {
        c->peers = calloc(n, sizeof(*c->peers));
        for (size_t i = 0; c->peers != NULL && i < n; i++) {
            c->peers[i].id = nodes[i].id;
            c->peers[i].port = nodes[i].port;
            snprintf(c->peers[i].address, sizeof(c->peers[i].address), "%s", nodes[i].address);
        }
        free(nodes);
        c->n = c->peers != NULL ? n : 0;
        return c->peers != NULL ? 0 : -ENOMEM;
    }
    c->peers = calloc(s->conf.n_peers ? s->conf.n_peers : 1, sizeof(*c->peers));
    if (c->peers == NULL)
        return -ENOMEM;
    memcpy(c->peers, s->conf.peers, s->conf.n_peers * sizeof(*c->peers));
    c->n = s->conf.n_peers;
    return 0;
}

/* Starts a check on a worker thread; false if it could not start. */
static bool start_check(struct svc *s, struct rpc_call *call)
{
    struct orphan_check *c = calloc(1, sizeof(*c));

    if (c == NULL || collect_peers(s, c) < 0) {
        free(c);
        return false;
    }
    c->s = s;
    c->call = call;
    keys_admin_newest(&s->keys, &c->key);
    c->self = s->conf.node_id;
    snprintf(c->cluster_id, sizeof(c->cluster_id), "%s", s->conf.cluster_id);
    c->work.data = c;
    s->orphan.checking = true;
    if (uv_queue_work(s->loop, &c->work, check_work, check_done) != 0) {
        s->orphan.checking = false;
        free(c->peers);
        free(c);
        return false;
    }
    return true;
}

static void cleared(struct svc *s, int rv, void *arg)
{
    (void)s;
    rpc_call_finish(arg, rv == 0 ? 0 : ERROR_INTERNAL_ERROR, "%s", rv == 0 ? "" : strerror(-rv));
}

void svc_orphan_clear(struct svc *s, struct rpc_call *call, bool force)
{
    if (!s->configured && !s->wiping) {
        node_conf_wipe(s->opts.state_dir); /* leftovers of a setup that never configured */
        rpc_call_finish(call, 0, NULL);
    } else if (s->wiping || s->orphan.checking) {
        rpc_call_finish(call, ERROR_BUSY, "node %s is busy; try again", s->opts.name);
    } else if (force) {
        svc_wipe(s, "cleared by the administrator", cleared, call);
    } else if (!start_check(s, call)) {
        rpc_call_finish(call, 8, "out of memory");
    }
}

void svc_orphan_tick(struct svc *s)
{
    uint64_t now = svc_now_ms();

    if (!s->configured || !s->conf.committed || s->consensus == NULL || s->wiping ||
        s->orphan.checking) {
        s->orphan.leaderless_since = 0;
        return;
    }
    if (consensus_leader(s->consensus) != 0) {
        s->orphan.leaderless_since = 0;
        return;
    }
    if (s->orphan.leaderless_since == 0)
        s->orphan.leaderless_since = now;
    if (now - s->orphan.leaderless_since < LEADERLESS_MS || now < s->orphan.next_check)
        return;
    s->orphan.next_check = now + RECHECK_MS;
    start_check(s, NULL);
}
