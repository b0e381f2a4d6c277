/*
 * consensus_tls — raft connections through TLS 1.3-PSK (see consensus_tls.h).
 *
 * Each raft connection is a tunnel (channel/tunnel.h: TCP, handshake, the pump and the socketpair)
 * plus what raft and the cluster make of it, which is this file's: the identity the client
 * proves and the credential it was proved with, the hello that names the peer to raft, raft's
 * connect request or accept callback, and the log lines. A connection is freed once its tunnel
 * has closed.
 */
#include "daemon/consensus/consensus_tls.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "channel/tunnel.h"
#include "daemon/base/log.h"
#include "daemon/consensus/consensus_hello.h"

#define SETUP_TIMEOUT_MS 1000 /* connect + handshake + hello */
#define LISTEN_BACKLOG 64     /* five nodes starting at once must not overflow the queue */
#define REFUSAL_LOG_MS 1000   /* at most one refusal line a second; the rest are counted */

_Static_assert(CONSENSUS_IDENTITY_SIZE <= sizeof(((struct channel_key *)0)->identity),
               "a raft identity fits a channel key's identity");
_Static_assert(CONSENSUS_HELLO_MAX <= TUNNEL_BUF_BYTES, "a hello fits the tunnel's buffer");

struct tls_transport;

/* One raft connection. */
struct conn {
    struct tls_transport *tr;
    struct conn *next;
    struct tunnel *tunnel;
    bool client;
    uint8_t cred_id[CRED_ID_BYTES]; /* the credential that authenticated the peer */
    uint64_t peer_id;               /* client: the node dialled; server: the id proved */
    struct raft_uv_connect *req;    /* client, until raft has the stream */
    struct consensus_hello hello;   /* server: what the peer's hello said */
};

struct tls_transport {
    uv_loop_t *loop;
    struct raft_uv_transport *t;
    raft_id id;
    char address[CONSENSUS_HELLO_ADDRESS_MAX + 1];
    const struct cred_ring *ring;
    consensus_tls_member_fn is_member;
    void *member_arg;
    int listen_fd;
    uv_poll_t listener;
    bool listening;
    raft_uv_accept_cb accept_cb;
    struct conn *conns;
    bool closing;
    raft_uv_transport_close_cb close_cb;
    uint64_t refusal_logged_ms;
    unsigned refusals_unlogged;
};

static const struct tunnel_hooks conn_hooks;

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/* Refusals are what an attacker can cause at will: log them, but never flood the journal. */
static void log_refusal(struct tls_transport *tr, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void log_refusal(struct tls_transport *tr, const char *fmt, ...)
{
    uint64_t now = uv_now(tr->loop);
    char text[256];
    va_list ap;

    if (tr->refusal_logged_ms != 0 && now - tr->refusal_logged_ms < REFUSAL_LOG_MS) {
        tr->refusals_unlogged++;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    if (tr->refusals_unlogged > 0)
        LOGW("consensus", "%s (and %u more refusals since)", text, tr->refusals_unlogged);
    else
        LOGW("consensus", "%s", text);
    tr->refusal_logged_ms = now;
    tr->refusals_unlogged = 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Connection lifetime                                                                         */
/* ------------------------------------------------------------------------------------------ */

static struct conn *conn_new(struct tls_transport *tr, bool client)
{
    struct conn *cn = calloc(1, sizeof(*cn));

    if (cn == NULL)
        return NULL;
    cn->tr = tr;
    cn->client = client;
    cn->next = tr->conns;
    tr->conns = cn;
    return cn;
}

static void maybe_finish_close(struct tls_transport *tr)
{
    if (tr->closing && tr->conns == NULL && !tr->listening && tr->close_cb != NULL) {
        raft_uv_transport_close_cb cb = tr->close_cb;

        tr->close_cb = NULL;
        cb(tr->t);
    }
}

/* Unlinks and frees a connection whose tunnel is gone, or never was. */
static void conn_free(struct conn *cn)
{
    struct tls_transport *tr = cn->tr;
    struct conn **p;

    for (p = &tr->conns; *p != cn; p = &(*p)->next)
        ;
    *p = cn->next;
    free(cn);
    maybe_finish_close(tr);
}

/* A client whose raft request still waits gets status (a RAFT_* code); once only. */
static void conn_fail_request(struct conn *cn, int status)
{
    struct raft_uv_connect *req = cn->req;

    cn->req = NULL;
    if (req != NULL)
        req->cb(req, NULL, status);
}

/* Ends a connection from this side; the tunnel's closed hook frees it. */
static void conn_close(struct conn *cn, int status)
{
    tunnel_close(cn->tunnel);
    conn_fail_request(cn, status);
}

static struct tunnel_config conn_config(struct conn *cn)
{
    return (struct tunnel_config){.loop = cn->tr->loop, .hooks = &conn_hooks, .data = cn,
                                  .setup_ms = SETUP_TIMEOUT_MS,
                                  .preamble_max = CONSENSUS_HELLO_MAX};
}

/* ------------------------------------------------------------------------------------------ */
/* The tunnel's hooks: keys, hello, raft's stream, endings                                     */
/* ------------------------------------------------------------------------------------------ */

/* Client: prove the credential the ring sends with, under the identity raft:<our id>:<its id>. */
static int conn_client_key(void *data, struct channel_key *ret)
{
    struct conn *cn = data;
    const struct cred *c = cred_ring_send(cn->tr->ring);

    if (c == NULL)
        return -ENOKEY;
    consensus_identity_format(cn->tr->id, c->id, ret->identity);
    memcpy(ret->bytes, c->key.bytes, CHANNEL_KEY_BYTES);
    memcpy(cn->cred_id, c->id, CRED_ID_BYTES);
    return 0;
}

/* Server: the key of the identity the client named: a credential the ring accepts. */
static int conn_server_key(void *arg, const char *identity, struct channel_key *ret)
{
    struct conn *cn = arg;
    uint8_t cred_id[CRED_ID_BYTES];
    const struct cred *c;
    uint64_t id;

    if (consensus_identity_parse(identity, &id, cred_id) < 0)
        return -ENOENT;
    c = cred_ring_find(cn->tr->ring, cred_id);
    if (c == NULL)
        return -ENOENT;
    *ret = c->key;
    cn->peer_id = id;
    memcpy(cn->cred_id, cred_id, CRED_ID_BYTES);
    return 0;
}

/* Server: the hello must name the id the peer proved, and that id must be a member. */
static int conn_hello(void *data, const uint8_t *buf, size_t len)
{
    struct conn *cn = data;
    struct tls_transport *tr = cn->tr;
    int used = consensus_hello_decode(buf, len, &cn->hello);
    const char *why;

    if (used == -EAGAIN)
        return used;
    why = used < 0 ? "malformed hello"
                   : consensus_hello_refusal(&cn->hello, cn->peer_id, tr->id,
                                             tr->is_member(tr->member_arg, cn->peer_id));
    if (why != NULL) {
        log_refusal(tr, "refused a raft connection from %s (node id %llu): %s",
                    tunnel_peer(cn->tunnel), (unsigned long long)cn->peer_id, why);
        return -EACCES;
    }
    return used;
}

/* The plaintext end as the pipe stream raft reads and writes; NULL (fd closed) on failure. */
static uv_stream_t *raft_stream(uv_loop_t *loop, int fd)
{
    uv_pipe_t *pipe = raft_malloc(sizeof(*pipe)); /* raft frees it with raft_free */

    if (pipe == NULL) {
        close(fd);
        return NULL;
    }
    if (uv_pipe_init(loop, pipe, 0) != 0) {
        close(fd);
        raft_free(pipe);
        return NULL;
    }
    if (uv_pipe_open(pipe, fd) != 0) {
        close(fd);
        uv_close((uv_handle_t *)pipe, (uv_close_cb)raft_free);
        return NULL;
    }
    return (uv_stream_t *)pipe;
}

/* The tunnel is open: raft gets its stream, through the connect request or the accept
 * callback. */
static int conn_open(void *data, int fd)
{
    struct conn *cn = data;
    struct tls_transport *tr = cn->tr;
    struct raft_uv_connect *req = cn->req;
    uv_stream_t *stream = raft_stream(tr->loop, fd);

    if (stream == NULL)
        return -ENOMEM;
    if (cn->client) {
        cn->req = NULL;
        req->cb(req, stream, 0);
        return 0;
    }
    LOGD("consensus", "raft connection from node %llu (%s) accepted",
         (unsigned long long)cn->hello.id, tunnel_peer(cn->tunnel));
    tr->accept_cb(tr->t, cn->hello.id, cn->hello.address, stream);
    return 0;
}

/* Says why a connection ended; what a peer can cause at will is throttled. */
static void log_end(struct conn *cn, enum tunnel_end why, const char *reason)
{
    struct tls_transport *tr = cn->tr;
    const char *peer = tunnel_peer(cn->tunnel);
    unsigned long long id = (unsigned long long)cn->peer_id;

    switch (why) {
    case TUNNEL_TIMED_OUT:
        if (cn->client)
            LOGD("consensus", "raft connection to node %llu at %s timed out", id, peer);
        else
            log_refusal(tr, "refused a raft connection from %s: no authenticated hello in time",
                        peer);
        break;
    case TUNNEL_UNREACHABLE:
        LOGD("consensus", "cannot reach node %llu at %s: %s", id, peer, reason);
        break;
    case TUNNEL_NO_SESSION:
        if (cn->client)
            LOGW("consensus", "raft connection to node %llu: %s", id, reason);
        break;
    case TUNNEL_REFUSED:
        if (cn->client)
            log_refusal(tr, "node %llu at %s refused our raft connection: %s", id, peer, reason);
        else
            log_refusal(tr, "refused a raft connection from %s: %s", peer, reason);
        break;
    case TUNNEL_NO_PREAMBLE:
        log_refusal(tr, "refused a raft connection from %s: closed before its hello", peer);
        break;
    case TUNNEL_ENDED:
        LOGD("consensus", "raft connection with node %llu (%s) ended: %s", id, peer, reason);
        break;
    case TUNNEL_PREAMBLE_REFUSED: /* conn_hello said why */
    case TUNNEL_NO_STREAM:
    case TUNNEL_BROKEN:
        break;
    }
}

static void conn_ended(void *data, enum tunnel_end why, const char *reason)
{
    struct conn *cn = data;

    log_end(cn, why, reason);
    conn_fail_request(cn, why == TUNNEL_NO_STREAM ? RAFT_NOMEM : RAFT_NOCONNECTION);
}

static void conn_closed(void *data)
{
    conn_free(data);
}

static const struct tunnel_hooks conn_hooks = {
    .client_key = conn_client_key,
    .server_key = conn_server_key,
    .preamble = conn_hello,
    .open = conn_open,
    .ended = conn_ended,
    .closed = conn_closed,
};

/* ------------------------------------------------------------------------------------------ */
/* The transport interface                                                                     */
/* ------------------------------------------------------------------------------------------ */

static int tls_init(struct raft_uv_transport *t, raft_id id, const char *address)
{
    struct tls_transport *tr = t->impl;

    if (strlen(address) > CONSENSUS_HELLO_ADDRESS_MAX)
        return RAFT_INVALID;
    tr->id = id;
    snprintf(tr->address, sizeof(tr->address), "%s", address);
    return 0;
}

/* The listening socket is ours, watched with a poll handle: libuv's own listener would accept
 * connections into stream handles, and raft must not get a stream before the handshake. */
static void accept_cb(uv_poll_t *p, int status, int events)
{
    struct tls_transport *tr = p->data;
    struct tunnel_config cfg;
    struct conn *cn;
    int fd;

    (void)events;
    if (status < 0 || tr->closing)
        return;
    fd = accept4(tr->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0)
        return;
    cn = conn_new(tr, false);
    if (cn == NULL) {
        close(fd);
        return;
    }
    cfg = conn_config(cn);
    if (tunnel_accept(&cfg, fd, &cn->tunnel) < 0)
        conn_free(cn);
}

static int tls_listen(struct raft_uv_transport *t, raft_uv_accept_cb cb)
{
    struct tls_transport *tr = t->impl;
    int fd = tunnel_listen(tr->address, LISTEN_BACKLOG), rv;

    if (fd == -EINVAL) {
        snprintf(t->errmsg, sizeof(t->errmsg), "bad raft address %s", tr->address);
        return RAFT_INVALID;
    }
    rv = fd < 0 ? fd : uv_poll_init(tr->loop, &tr->listener, fd);
    if (rv < 0) {
        snprintf(t->errmsg, sizeof(t->errmsg), "listen on %s: %s", tr->address,
                 fd < 0 ? strerror(-fd) : uv_strerror(rv));
        if (fd >= 0)
            close(fd);
        return RAFT_IOERR;
    }
    tr->listen_fd = fd;
    tr->accept_cb = cb;
    tr->listener.data = tr;
    tr->listening = true;
    uv_poll_start(&tr->listener, UV_READABLE, accept_cb);
    return 0;
}

/* The hello travels first, in the first record raft's bytes would use. */
static int tls_connect(struct raft_uv_transport *t, struct raft_uv_connect *req, raft_id id,
                       const char *address, raft_uv_connect_cb cb)
{
    struct tls_transport *tr = t->impl;
    uint8_t hello[CONSENSUS_HELLO_MAX];
    int n = consensus_hello_encode(tr->id, tr->address, hello), rv;
    struct tunnel_config cfg;
    struct conn *cn;

    if (n < 0)
        return RAFT_INVALID;
    cn = conn_new(tr, true);
    if (cn == NULL)
        return RAFT_NOMEM;
    cfg = conn_config(cn);
    rv = tunnel_connect(&cfg, address, &cn->tunnel);
    if (rv < 0) {
        conn_free(cn);
        return rv == -ENOMEM ? RAFT_NOMEM : RAFT_NOCONNECTION;
    }
    rv = tunnel_queue(cn->tunnel, hello, (size_t)n);
    assert(rv == 0); /* a hello is far smaller than the buffer */
    req->cb = cb;
    cn->req = req;
    cn->peer_id = id;
    return 0;
}

static void listener_closed(uv_handle_t *h)
{
    struct tls_transport *tr = h->data;

    tr->listening = false;
    close(tr->listen_fd);
    maybe_finish_close(tr);
}

/* Stops listening, cancels pending connects (their callbacks get RAFT_CANCELED) and ends every
 * tunnel; cb once all of it is closed. */
static void tls_close(struct raft_uv_transport *t, raft_uv_transport_close_cb cb)
{
    struct tls_transport *tr = t->impl;

    tr->closing = true;
    tr->close_cb = cb;
    for (struct conn *cn = tr->conns; cn != NULL; cn = cn->next)
        conn_close(cn, RAFT_CANCELED);
    if (tr->listening)
        uv_close((uv_handle_t *)&tr->listener, listener_closed);
    else
        maybe_finish_close(tr);
}

int consensus_tls_init(struct raft_uv_transport *t, uv_loop_t *loop, const struct cred_ring *ring,
                       consensus_tls_member_fn is_member, void *member_arg)
{
    struct tls_transport *tr = calloc(1, sizeof(*tr));

    if (tr == NULL)
        return RAFT_NOMEM;
    *tr = (struct tls_transport){.loop = loop, .t = t, .ring = ring, .is_member = is_member,
                                 .member_arg = member_arg};
    memset(t, 0, sizeof(*t));
    t->impl = tr;
    t->init = tls_init;
    t->listen = tls_listen;
    t->connect = tls_connect;
    t->close = tls_close;
    return 0;
}

void consensus_tls_free(struct raft_uv_transport *t)
{
    free(t->impl);
    t->impl = NULL;
}

/*
 * Why members keep their connections: by the time a credential is retired every member holds the
 * new one, and their next connection proves it; cutting all of them at once leaves followers
 * without their leader for a reconnect's time, which on a loaded machine was enough for an
 * election and a lost lease (a false failover). A peer that is no member any more (the evicted
 * node) is cut at once.
 */
void consensus_tls_revoke(struct raft_uv_transport *t)
{
    struct tls_transport *tr = t->impl;

    for (struct conn *cn = tr->conns; cn != NULL; cn = cn->next) {
        enum tunnel_phase phase = tunnel_phase(cn->tunnel);

        if ((phase == TUNNEL_OPEN || phase == TUNNEL_PREAMBLE) &&
            cred_ring_find(tr->ring, cn->cred_id) == NULL &&
            !tr->is_member(tr->member_arg, cn->peer_id)) {
            LOGI("consensus", "closing the raft connection with node %llu (%s): its credential "
                 "was retired and it is no member", (unsigned long long)cn->peer_id,
                 tunnel_peer(cn->tunnel));
            conn_close(cn, RAFT_NOCONNECTION);
        }
    }
}
