/*
 * svc_submit — committing a cluster-database command from any node (svc_submit.h): applied
 * through raft here when this node leads, otherwise sent to the leader over a channel
 * authenticated with the cluster credential (on a worker thread: connecting and waiting must not
 * block the loop). The same channels relay whole requests that only the leader answers.
 */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"
#include "common/rpc_proto.h"
#include "daemon/base/log.h"
#include "daemon/svc/svc.h"

#define FORWARD_TIMEOUT_MS 5000

struct submit {
    struct svc *s;
    svc_submit_cb cb;
    void *arg;
    /* forwarding */
    uv_work_t work;
    char host[64];
    uint16_t port;
    struct channel_key key;
    uint8_t *req;
    size_t req_len;
    uint8_t *reply;          /* the leader's whole reply */
    size_t reply_len;
    struct rpc_call *call;   /* a relayed call, answered with the leader's reply */
    bool via_any;            /* without a leader known, through another member (svc_storage) */
    uint64_t version;        /* the database version the leader reached with this command */
    uint64_t deadline;       /* how long its callback may wait for this node to catch up */
    struct submit *next;     /* in svc's list of callbacks waiting to catch up */
    int rv;
    uint32_t status;
    char errmsg[256];
};

bool svc_leader_endpoint(struct svc *s, char *addr, size_t n, uint16_t *port)
{
    uint64_t id = s->consensus ? consensus_leader(s->consensus) : 0;
    const struct node_peer *p;
    struct cdb_node node;

    if (id == 0)
        return false;
    if (s->db != NULL && cdb_node_by_id(s->db, id, &node) == 0) {
        snprintf(addr, n, "%s", node.address);
        *port = (uint16_t)node.port;
        return true;
    }
    p = node_conf_peer(&s->conf, id);
    if (p == NULL)
        return false;
    snprintf(addr, n, "%s", p->address);
    *port = (uint16_t)p->port;
    return true;
}

static void applied_here(void *arg, int rv, uint32_t status)
{
    struct submit *sub = arg;
    const char *msg = status != 0 && sub->s->db != NULL ? cdb_errmsg(sub->s->db) : "";

    if (rv == -ENOTCONN) /* raft took the lead away before the command committed */
        msg = "the leader lost the lead before the change committed: it may have been made or "
              "not";
    sub->cb(sub->s, sub->arg, rv, status, msg);
    free(sub);
}

/*
 * Idle channels to leaders, kept for the next forward: a TLS handshake per forwarded command
 * would cost more than the commit itself. Keyed by endpoint and key; any worker may use one.
 */
void svc_submit_init(struct svc_submit_state *st)
{
    memset(st, 0, sizeof(*st));
    pthread_mutex_init(&st->pool_mu, NULL);
}

/* Field by field: the identity is a string, and the bytes after its NUL are not set. */
static bool same_endpoint(const struct svc_pooled_channel *p, const struct submit *sub)
{
    return p->ch != NULL && p->port == sub->port && strcmp(p->host, sub->host) == 0 &&
           strcmp(p->key.identity, sub->key.identity) == 0 &&
           memcmp(p->key.bytes, sub->key.bytes, sizeof(p->key.bytes)) == 0;
}

static struct channel *pool_take(const struct submit *sub)
{
    struct svc_submit_state *st = &sub->s->submit;
    struct channel *ch = NULL;

    pthread_mutex_lock(&st->pool_mu);
    for (size_t i = 0; i < SVC_FORWARD_POOL_SIZE && ch == NULL; i++) {
        if (same_endpoint(&st->pool[i], sub)) {
            ch = st->pool[i].ch;
            st->pool[i].ch = NULL;
        }
    }
    pthread_mutex_unlock(&st->pool_mu);
    return ch;
}

static void pool_put(const struct submit *sub, struct channel *ch)
{
    struct svc_submit_state *st = &sub->s->submit;

    pthread_mutex_lock(&st->pool_mu);
    for (size_t i = 0; i < SVC_FORWARD_POOL_SIZE && ch != NULL; i++) {
        struct svc_pooled_channel *p = &st->pool[i];

        if (p->ch == NULL) {
            *p = (struct svc_pooled_channel){.ch = ch, .port = sub->port, .key = sub->key};
            snprintf(p->host, sizeof(p->host), "%s", sub->host);
            ch = NULL;
        }
    }
    pthread_mutex_unlock(&st->pool_mu);
    channel_close(ch); /* the pool is full */
}

void svc_forward_reset(struct svc *s)
{
    struct svc_submit_state *st = &s->submit;

    pthread_mutex_lock(&st->pool_mu);
    for (size_t i = 0; i < SVC_FORWARD_POOL_SIZE; i++) {
        channel_close(st->pool[i].ch);
        memset(&st->pool[i], 0, sizeof(st->pool[i]));
    }
    pthread_mutex_unlock(&st->pool_mu);
}

/* One round trip on ch; the channel is closed on failure. */
static int exchange(struct submit *sub, struct channel *ch, void **reply, size_t *len)
{
    int rv = channel_send(ch, sub->req, sub->req_len);

    if (rv == 0)
        rv = channel_recv(ch, FORWARD_TIMEOUT_MS, reply, len);
    if (rv < 0)
        channel_close(ch);
    return rv;
}

/* Worker thread: one request, one reply. */
static void forward_work(uv_work_t *work)
{
    struct submit *sub = work->data;
    struct channel *ch = pool_take(sub);
    void *reply;
    size_t len;
    char *msg = NULL;

    /* A pooled channel the leader has closed meanwhile is replaced before the request; once
     * sent, a command is never sent again: it may have been committed. */
    if (ch != NULL && !channel_idle_usable(ch)) {
        channel_close(ch);
        ch = NULL;
    }
    sub->rv = ch != NULL ? 0 : channel_connect(sub->host, sub->port, &sub->key,
                                               FORWARD_TIMEOUT_MS, &ch, sub->errmsg);
    if (sub->rv == 0)
        sub->rv = exchange(sub, ch, &reply, &len);
    if (sub->rv < 0)
        return;
    pool_put(sub, ch);
    if (wire_get_u32(reply, len, RPC_F_STATUS, &sub->status) < 0)
        sub->rv = -EBADMSG;
    if (wire_get_strdup(reply, len, RPC_F_ERRMSG, &msg) == 0) {
        snprintf(sub->errmsg, sizeof(sub->errmsg), "%s", msg);
        free(msg);
    }
    sub->reply = reply;
    sub->reply_len = len;
}

/* Copies the leader's reply fields, but its status and message, into the relayed call. */
static void relay_reply(struct submit *sub)
{
    struct wire_reader r;
    struct wire_field f;

    wire_reader_init(&r, sub->reply, sub->reply_len);
    while (wire_next(&r, &f) > 0)
        if (f.tag != RPC_F_STATUS && f.tag != RPC_F_ERRMSG)
            wire_put_blob(&sub->call->reply, f.tag, f.value, f.len);
}

/* How long a relayed call's answer may wait for this node to apply the change it made; a caller
 * here waits for it longer, then hears that it is committed but not applied here. */
#define CATCH_UP_MS 1000
#define APPLY_WAIT_MS 30000

static void submit_free(struct submit *sub)
{
    free(sub->reply);
    free(sub->req);
    free(sub);
}

/* Answers a forwarded command's callback, or the relayed call with the leader's reply. */
static void forward_finish(struct submit *sub)
{
    if (sub->call == NULL) {
        sub->cb(sub->s, sub->arg, sub->rv, sub->status, sub->errmsg);
    } else if (sub->rv < 0) {
        rpc_call_finish(sub->call, ERROR_CLUSTER_NODE_DOWN, "cannot reach the leader: %s",
                        *sub->errmsg ? sub->errmsg : strerror(-sub->rv));
    } else {
        relay_reply(sub);
        rpc_call_finish(sub->call, sub->status, "%s", sub->errmsg);
    }
    submit_free(sub);
}

/*
 * Calls back the submits whose command this node has applied by now, or that waited enough. A
 * caller on this node is told success only once it has applied the command: what it does next
 * may rest on the database holding everything committed before it (a CONFIRM_NODE, health.c).
 * Past the wait it hears ETIMEDOUT and may submit again.
 */
void svc_submit_check_deferred(struct svc *s)
{
    struct submit **pp = &s->submit.deferred;
    uint64_t now = svc_now_ms();

    while (*pp != NULL) {
        struct submit *sub = *pp;
        bool applied = s->db == NULL || s->wiping || cdb_version(s->db) >= sub->version;

        assert(sub->call != NULL || sub->cb != NULL); /* a relayed call or a commit's caller */
        if (!applied && now < sub->deadline) {
            pp = &sub->next;
            continue;
        }
        *pp = sub->next;
        if (!applied && sub->call == NULL) {
            sub->rv = -ETIMEDOUT;
            snprintf(sub->errmsg, sizeof(sub->errmsg),
                     "committed, but not applied on this node within %d ms", APPLY_WAIT_MS);
        }
        forward_finish(sub);
    }
}

/* A change the leader committed is answered once this node has applied it too, so that the
 * caller reads its own writes here (not forever: svc_submit_check_deferred). */
static void forward_done(uv_work_t *work, int status)
{
    struct submit *sub = work->data;
    struct svc *s = sub->s;

    (void)status;
    if (sub->rv == 0 && sub->status == 0 && s->db != NULL &&
        wire_get_u64(sub->reply, sub->reply_len, RPC_F_DB_VERSION, &sub->version) == 0) {
        if (sub->version > s->sync.leader_version_seen)
            s->sync.leader_version_seen = sub->version;
        /* A node out of raft's log (svc_storage.h) would wait in vain. */
        if (cdb_version(s->db) < sub->version && !svc_storage_out_of_log(s)) {
            LOGD("svc", "the leader committed it at version %llu; this node has applied %llu",
                 (unsigned long long)sub->version, (unsigned long long)cdb_version(s->db));
            sub->deadline = svc_now_ms() + (sub->call != NULL ? CATCH_UP_MS : APPLY_WAIT_MS);
            sub->next = s->submit.deferred;
            s->submit.deferred = sub;
            return;
        }
    }
    forward_finish(sub);
}

/* Sends a whole request to the leader on a worker thread; takes ownership of req. */
static int forward_request(struct submit *sub, uint8_t *req, size_t len)
{
    struct svc *s = sub->s;

    sub->req = req;
    sub->req_len = len;
    if (!keys_held(&s->keys) ||
        !(svc_leader_endpoint(s, sub->host, sizeof(sub->host), &sub->port) ||
          (sub->via_any && svc_storage_relay(s, sub->host, sizeof(sub->host), &sub->port))))
        return -ENOTCONN;
    sub->key = *keys_send(&s->keys);
    sub->work.data = sub;
    return uv_queue_work(s->loop, &sub->work, forward_work, forward_done) == 0 ? 0 : -EIO;
}

/* Sends the request built in w (consumed) to the leader. */
static int forward_built(struct submit *sub, struct wire_writer *w)
{
    size_t len;
    uint8_t *req = wire_writer_take(w, &len);

    if (req == NULL)
        return -ENOMEM;
    return forward_request(sub, req, len);
}

/*
 * A follower sends what it may ask of the leader: its report about itself, under its node id,
 * or configuration (a setup's commit marker, a membership record of a leader that has just
 * lost the lead). What only a leader decides, it does not send: the new leader decides anew.
 */
static int forward_command(struct submit *sub, const void *cmd, size_t len)
{
    struct svc *s = sub->s;
    struct wire_writer w;

    wire_writer_init(&w);
    if (cdb_cmd_is_self_report(cmd, len, s->conf.node_id)) {
        wire_put_u32(&w, RPC_F_OP, RPC_OP_MEMBER_REPORT);
        wire_put_u64(&w, RPC_F_NODE_ID, s->conf.node_id);
    } else if (cdb_cmd_is_configuration(cmd, len)) {
        wire_put_u32(&w, RPC_F_OP, RPC_OP_APPLY);
    } else {
        wire_writer_done(&w);
        return -EREMOTE;
    }
    wire_put_blob(&w, RPC_F_COMMAND, cmd, len);
    return forward_built(sub, &w);
}

/*
 * A request for the leader on a node that knows none waits for one to be elected, up to
 * NO_QUORUM_AFTER_MS without a leader in all: an election takes a second or two at most, and
 * nothing was sent, so waiting changes nothing the caller could be unsure of. A node that has
 * been without a leader longer has no quorum: the request fails at once. Either way the caller
 * learns why (ERROR_CLUSTER_NO_QUORUM), not that some node is down.
 */
static void wait_for_leader(struct svc *s, struct rpc_call *call)
{
    uint64_t leaderless_ms = svc_sync_leaderless_ms(s);

    if (read_gate_no_quorum(false, leaderless_ms)) {
        rpc_call_finish(call, ERROR_CLUSTER_NO_QUORUM,
                        "node %s has no quorum: it has had no leader for %llu s, and changes "
                        "need a majority of the cluster's votes",
                        s->opts.name, (unsigned long long)leaderless_ms / 1000);
        return;
    }
    svc_wait_for_leader(s, call, (uint32_t)(NO_QUORUM_AFTER_MS - leaderless_ms));
}

void svc_forward_call(struct svc *s, struct rpc_call *call)
{
    struct submit *sub;
    uint8_t *req;
    char addr[64];
    uint16_t port;
    int rv;

    if (!svc_leader_endpoint(s, addr, sizeof(addr), &port)) {
        wait_for_leader(s, call); /* an election: dispatched once it is over */
        return;
    }
    sub = calloc(1, sizeof(*sub));
    req = malloc(call->req_len ? call->req_len : 1);
    if (sub == NULL || req == NULL) {
        free(sub);
        free(req);
        rpc_call_finish(call, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
        return;
    }
    memcpy(req, call->req, call->req_len);
    *sub = (struct submit){.s = s, .call = call};
    rv = forward_request(sub, req, call->req_len);
    if (rv < 0) {
        free(sub->req);
        free(sub);
        rpc_call_finish(call, ERROR_CLUSTER_NODE_DOWN, "the cluster has no reachable leader");
    }
}

int svc_ask_leader_move(struct svc *s, const char *group, uint64_t node_id, svc_submit_cb cb,
                        void *arg)
{
    struct submit *sub = calloc(1, sizeof(*sub));
    struct wire_writer w;
    int rv;

    if (sub == NULL)
        return -ENOMEM;
    *sub = (struct submit){.s = s, .cb = cb, .arg = arg};
    wire_writer_init(&w);
    wire_put_u32(&w, RPC_F_OP, RPC_OP_GROUP_MOVE);
    wire_put_str(&w, RPC_F_NAME, group);
    wire_put_u64(&w, RPC_F_NODE_ID, node_id);
    rv = forward_built(sub, &w);
    if (rv < 0) {
        free(sub->req);
        free(sub);
    }
    return rv;
}

static void submit(struct svc *s, const void *cmd, size_t len, svc_submit_cb cb, void *arg,
                   bool via_any)
{
    struct submit *sub;
    int rv;

    assert(cmd != NULL && len > 0 && cb != NULL);
    sub = calloc(1, sizeof(*sub));
    if (sub == NULL) {
        cb(s, arg, -ENOMEM, 0, "out of memory");
        return;
    }
    *sub = (struct submit){.s = s, .cb = cb, .arg = arg, .via_any = via_any};
    if (s->consensus == NULL) {
        rv = -ENOTCONN;
    } else if (consensus_role(s->consensus) == CONSENSUS_LEADER) {
        rv = consensus_apply(s->consensus, cmd, len, applied_here, sub);
        if (rv == 0)
            return;
    } else {
        rv = forward_command(sub, cmd, len);
        if (rv == 0)
            return;
    }
    free(sub->req);
    free(sub);
    if (rv == -EREMOTE)
        cb(s, arg, 0, RPC_STATUS_NOT_LEADER, "this node no longer leads the cluster");
    else
        cb(s, arg, rv, 0, rv == -ENOTCONN ? "the cluster has no leader yet" : "cannot submit");
}

void svc_submit(struct svc *s, const void *cmd, size_t len, svc_submit_cb cb, void *arg)
{
    submit(s, cmd, len, cb, arg, false);
}

void svc_submit_report(struct svc *s, const void *cmd, size_t len, svc_submit_cb cb, void *arg)
{
    submit(s, cmd, len, cb, arg, true);
}

void svc_submit_ignore(struct svc *s, void *arg, int rv, uint32_t status, const char *errmsg)
{
    (void)s;
    (void)arg;
    if (rv < 0 || status != 0)
        LOGW("svc", "a background change was not committed: %s",
             errmsg && *errmsg ? errmsg : strerror(-rv));
}
