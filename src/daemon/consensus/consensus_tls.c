/*
 * consensus_tls — raft connections through TLS 1.3-PSK (see consensus_tls.h).
 *
 * One tunnel per connection, in four states: CONNECTING (TCP, client only), HANDSHAKE (TLS),
 * HELLO (server only: reading the hello that names the peer) and OPEN (raft has its end of the
 * socketpair; the pump runs). Each has a deadline, so a peer that goes silent mid-handshake holds
 * nothing for long. Memory is freed only once every handle of the tunnel has closed.
 */
#include "daemon/consensus/consensus_tls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "channel/channel.h"
#include "daemon/consensus/consensus_hello.h"
#include "daemon/base/log.h"

#define SETUP_TIMEOUT_MS 1000 /* connect + handshake + hello */
#define LISTEN_BACKLOG 64     /* five nodes starting at once must not overflow the queue */
#define BUF_BYTES 16384       /* one TLS record of plaintext */
#define REFUSAL_LOG_MS 1000   /* at most one refusal line a second; the rest are counted */

enum tunnel_state { T_CONNECTING, T_HANDSHAKE, T_HELLO, T_OPEN, T_CLOSING };

struct tls_transport;

struct tunnel {
    struct tls_transport *tr;
    struct tunnel *next;
    bool client;
    enum tunnel_state state;
    int fd;                      /* TCP */
    int pair_fd;                 /* our end of the socketpair, -1 until OPEN */
    uv_poll_t tcp_poll;
    uv_poll_t pair_poll;
    uv_timer_t timer;
    int open_handles;
    gnutls_session_t session;
    gnutls_psk_client_credentials_t ccred;
    gnutls_psk_server_credentials_t scred;
    uint8_t cred_id[CRED_ID_BYTES]; /* the credential that authenticated the peer */
    uint64_t peer_id;               /* client: the node dialled; server: the id proved */
    char peer[INET6_ADDRSTRLEN + 8];
    struct raft_uv_connect *req;    /* client, until raft has the stream */
    uint8_t in[BUF_BYTES];          /* TLS -> raft */
    size_t in_off, in_len;
    uint8_t out[BUF_BYTES];         /* raft -> TLS */
    size_t out_off, out_len;
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
    struct tunnel *tunnels;
    bool closing;
    raft_uv_transport_close_cb close_cb;
    uint64_t refusal_logged_ms;
    unsigned refusals_unlogged;
};

static void tunnel_close(struct tunnel *tn, int status);

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

/* "a.b.c.d:port" or "[v6]:port" into a socket address. */
static int parse_address(const char *address, struct sockaddr_storage *ss)
{
    char host[INET6_ADDRSTRLEN + 2];
    const char *colon = strrchr(address, ':');
    unsigned long port;
    char *end;
    size_t n;

    if (colon == NULL)
        return -EINVAL;
    n = (size_t)(colon - address);
    if (n >= 2 && address[0] == '[' && address[n - 1] == ']') {
        address++;
        n -= 2;
    }
    if (n == 0 || n >= sizeof(host))
        return -EINVAL;
    memcpy(host, address, n);
    host[n] = '\0';
    port = strtoul(colon + 1, &end, 10);
    if (*end != '\0' || port == 0 || port > 65535)
        return -EINVAL;
    memset(ss, 0, sizeof(*ss));
    if (uv_ip4_addr(host, (int)port, (struct sockaddr_in *)ss) == 0 ||
        uv_ip6_addr(host, (int)port, (struct sockaddr_in6 *)ss) == 0)
        return 0;
    return -EINVAL;
}

static void peer_text(int fd, char *buf, size_t n)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    char host[INET6_ADDRSTRLEN] = "?";

    if (getpeername(fd, (struct sockaddr *)&ss, &len) == 0) {
        if (ss.ss_family == AF_INET)
            inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof(host));
        else if (ss.ss_family == AF_INET6)
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof(host));
    }
    snprintf(buf, n, "%s", host);
}

/* ------------------------------------------------------------------------------------------ */
/* Tunnel lifetime                                                                             */
/* ------------------------------------------------------------------------------------------ */

static struct tunnel *tunnel_new(struct tls_transport *tr, int fd, bool client)
{
    struct tunnel *tn = calloc(1, sizeof(*tn));

    if (tn == NULL)
        return NULL;
    tn->tr = tr;
    tn->client = client;
    tn->fd = fd;
    tn->pair_fd = -1;
    if (uv_poll_init(tr->loop, &tn->tcp_poll, fd) != 0) {
        free(tn);
        return NULL;
    }
    uv_timer_init(tr->loop, &tn->timer);
    tn->tcp_poll.data = tn->timer.data = tn->pair_poll.data = tn;
    tn->open_handles = 2;
    tn->next = tr->tunnels;
    tr->tunnels = tn;
    return tn;
}

static void maybe_finish_close(struct tls_transport *tr)
{
    if (tr->closing && tr->tunnels == NULL && !tr->listening && tr->close_cb != NULL) {
        raft_uv_transport_close_cb cb = tr->close_cb;

        tr->close_cb = NULL;
        cb(tr->t);
    }
}

static void tunnel_handle_closed(uv_handle_t *h)
{
    struct tunnel *tn = h->data;
    struct tls_transport *tr = tn->tr;
    struct tunnel **p;

    if (--tn->open_handles > 0)
        return;
    for (p = &tr->tunnels; *p != tn; p = &(*p)->next)
        ;
    *p = tn->next;
    if (tn->session != NULL)
        gnutls_deinit(tn->session);
    if (tn->ccred != NULL)
        gnutls_psk_free_client_credentials(tn->ccred);
    if (tn->scred != NULL)
        gnutls_psk_free_server_credentials(tn->scred);
    close(tn->fd);
    if (tn->pair_fd >= 0)
        close(tn->pair_fd);
    free(tn);
    maybe_finish_close(tr);
}

/* Ends a tunnel; a client whose raft request is still waiting gets status (a RAFT_* code). */
static void tunnel_close(struct tunnel *tn, int status)
{
    struct raft_uv_connect *req = tn->req;

    if (tn->state == T_CLOSING)
        return;
    tn->state = T_CLOSING;
    tn->req = NULL;
    uv_close((uv_handle_t *)&tn->tcp_poll, tunnel_handle_closed);
    uv_close((uv_handle_t *)&tn->timer, tunnel_handle_closed);
    if (tn->pair_fd >= 0)
        uv_close((uv_handle_t *)&tn->pair_poll, tunnel_handle_closed);
    if (req != NULL)
        req->cb(req, NULL, status);
}

static void timer_cb(uv_timer_t *t)
{
    struct tunnel *tn = t->data;

    if (!tn->client)
        log_refusal(tn->tr, "refused a raft connection from %s: no authenticated hello in time",
                    tn->peer);
    else
        LOGD("consensus", "raft connection to node %llu at %s timed out",
             (unsigned long long)tn->peer_id, tn->peer);
    tunnel_close(tn, RAFT_NOCONNECTION);
}

/* ------------------------------------------------------------------------------------------ */
/* The pump (OPEN)                                                                             */
/* ------------------------------------------------------------------------------------------ */

/* One pass in each direction; 1 if anything moved, 0 if all would block, negative to close. */
static int pump_once(struct tunnel *tn)
{
    int moved = 0;
    ssize_t n;

    if (tn->in_len == 0) {
        n = gnutls_record_recv(tn->session, tn->in, sizeof(tn->in));
        if (n == 0)
            return -ECONNRESET;
        if (n > 0) {
            tn->in_off = 0;
            tn->in_len = (size_t)n;
            moved = 1;
        } else if (n != GNUTLS_E_AGAIN && n != GNUTLS_E_INTERRUPTED) {
            return -EPROTO;
        }
    }
    if (tn->in_len > 0) {
        n = send(tn->pair_fd, tn->in + tn->in_off, tn->in_len, MSG_NOSIGNAL);
        if (n > 0) {
            tn->in_off += (size_t)n;
            tn->in_len -= (size_t)n;
            moved = 1;
        } else if (errno != EAGAIN && errno != EINTR) {
            return -errno;
        }
    }
    if (tn->out_len == 0) {
        n = recv(tn->pair_fd, tn->out, sizeof(tn->out), 0);
        if (n == 0)
            return -ECONNRESET; /* raft closed its end */
        if (n > 0) {
            tn->out_off = 0;
            tn->out_len = (size_t)n;
            moved = 1;
        } else if (errno != EAGAIN && errno != EINTR) {
            return -errno;
        }
    }
    if (tn->out_len > 0) {
        /* After GNUTLS_E_AGAIN the same bytes are offered again, as GnuTLS requires. */
        n = gnutls_record_send(tn->session, tn->out + tn->out_off, tn->out_len);
        if (n > 0) {
            tn->out_off += (size_t)n;
            tn->out_len -= (size_t)n;
            moved = 1;
        } else if (n != GNUTLS_E_AGAIN && n != GNUTLS_E_INTERRUPTED) {
            return -EPROTO;
        }
    }
    return moved;
}

static void poll_cb(uv_poll_t *p, int status, int events);

/* Waits for what the tunnel can use next: TCP readable while raft has room, writable while
 * bytes for the peer wait; the pair likewise the other way round. */
static void pump_rearm(struct tunnel *tn)
{
    int tcp = (tn->in_len == 0 ? UV_READABLE : 0) | (tn->out_len > 0 ? UV_WRITABLE : 0);
    int pair = (tn->out_len == 0 ? UV_READABLE : 0) | (tn->in_len > 0 ? UV_WRITABLE : 0);

    uv_poll_start(&tn->tcp_poll, tcp, poll_cb);
    uv_poll_start(&tn->pair_poll, pair, poll_cb);
}

static void pump(struct tunnel *tn)
{
    int rv;

    while ((rv = pump_once(tn)) > 0)
        ;
    if (rv < 0) {
        LOGD("consensus", "raft connection with node %llu (%s) ended: %s",
             (unsigned long long)tn->peer_id, tn->peer, strerror(-rv));
        tunnel_close(tn, RAFT_NOCONNECTION);
        return;
    }
    pump_rearm(tn);
}

/* Gives raft its end of a fresh socketpair as a pipe stream; our end joins the pump. */
static uv_stream_t *open_for_raft(struct tunnel *tn)
{
    uv_pipe_t *pipe = raft_malloc(sizeof(*pipe)); /* raft frees it with raft_free */
    int fds[2];

    if (pipe == NULL)
        return NULL;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) < 0) {
        raft_free(pipe);
        return NULL;
    }
    if (uv_pipe_init(tn->tr->loop, pipe, 0) != 0) {
        close(fds[0]);
        close(fds[1]);
        raft_free(pipe);
        return NULL;
    }
    if (uv_pipe_open(pipe, fds[0]) != 0) {
        close(fds[0]);
        close(fds[1]);
        uv_close((uv_handle_t *)pipe, (uv_close_cb)raft_free);
        return NULL;
    }
    if (uv_poll_init(tn->tr->loop, &tn->pair_poll, fds[1]) != 0) {
        close(fds[1]);
        uv_close((uv_handle_t *)pipe, (uv_close_cb)raft_free);
        return NULL;
    }
    tn->pair_fd = fds[1];
    tn->open_handles++;
    tn->state = T_OPEN;
    uv_timer_stop(&tn->timer);
    return (uv_stream_t *)pipe;
}

/* ------------------------------------------------------------------------------------------ */
/* Handshake and hello                                                                         */
/* ------------------------------------------------------------------------------------------ */

static void client_established(struct tunnel *tn)
{
    struct raft_uv_connect *req = tn->req;
    uv_stream_t *stream = open_for_raft(tn);

    if (stream == NULL) {
        tunnel_close(tn, RAFT_NOMEM);
        return;
    }
    tn->req = NULL;
    req->cb(req, stream, 0);
    pump(tn);
}

static void server_hello(struct tunnel *tn)
{
    struct tls_transport *tr = tn->tr;
    struct consensus_hello hello;
    const char *why;
    uv_stream_t *stream;
    ssize_t n;
    int used;

    for (;;) {
        used = consensus_hello_decode(tn->in, tn->in_len, &hello);
        if (used != -EAGAIN)
            break;
        n = gnutls_record_recv(tn->session, tn->in + tn->in_len, CONSENSUS_HELLO_MAX - tn->in_len);
        if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED) {
            uv_poll_start(&tn->tcp_poll, UV_READABLE, poll_cb);
            return;
        }
        if (n <= 0) {
            log_refusal(tr, "refused a raft connection from %s: closed before its hello",
                        tn->peer);
            tunnel_close(tn, 0);
            return;
        }
        tn->in_len += (size_t)n;
    }
    why = used < 0 ? "malformed hello"
                   : consensus_hello_refusal(&hello, tn->peer_id, tr->id,
                                             tr->is_member(tr->member_arg, tn->peer_id));
    if (why != NULL) {
        log_refusal(tr, "refused a raft connection from %s (node id %llu): %s", tn->peer,
                    (unsigned long long)tn->peer_id, why);
        tunnel_close(tn, 0);
        return;
    }
    /* Whatever came after the hello in the same record is raft's. */
    tn->in_off = (size_t)used;
    tn->in_len -= (size_t)used;
    stream = open_for_raft(tn);
    if (stream == NULL) {
        tunnel_close(tn, 0);
        return;
    }
    LOGD("consensus", "raft connection from node %llu (%s) accepted",
         (unsigned long long)hello.id, tn->peer);
    tr->accept_cb(tr->t, hello.id, hello.address, stream);
    pump(tn);
}

static void handshake(struct tunnel *tn)
{
    int rv = gnutls_handshake(tn->session);

    if (rv == GNUTLS_E_AGAIN || rv == GNUTLS_E_INTERRUPTED) {
        uv_poll_start(&tn->tcp_poll,
                      gnutls_record_get_direction(tn->session) ? UV_WRITABLE : UV_READABLE,
                      poll_cb);
        return;
    }
    if (rv < 0) {
        if (tn->client)
            log_refusal(tn->tr, "node %llu at %s refused our raft connection: %s",
                        (unsigned long long)tn->peer_id, tn->peer, gnutls_strerror(rv));
        else
            log_refusal(tn->tr, "refused a raft connection from %s: %s", tn->peer,
                        gnutls_strerror(rv));
        tunnel_close(tn, RAFT_NOCONNECTION);
        return;
    }
    if (tn->client) {
        client_established(tn);
    } else {
        tn->state = T_HELLO;
        server_hello(tn);
    }
}

static void tunnel_drive(struct tunnel *tn)
{
    switch (tn->state) {
    case T_HANDSHAKE: handshake(tn); break;
    case T_HELLO: server_hello(tn); break;
    case T_OPEN: pump(tn); break;
    default: break;
    }
}

/* GnuTLS asks for the key of the identity the client named: a credential the ring accepts. */
static int server_key_cb(gnutls_session_t session, const char *identity, gnutls_datum_t *key)
{
    struct tunnel *tn = gnutls_session_get_ptr(session);
    uint8_t cred_id[CRED_ID_BYTES];
    const struct cred *c;
    uint64_t id;

    if (consensus_identity_parse(identity, &id, cred_id) < 0)
        return -1;
    c = cred_ring_find(tn->tr->ring, cred_id);
    if (c == NULL)
        return -1;
    key->data = gnutls_malloc(CHANNEL_KEY_BYTES);
    if (key->data == NULL)
        return -1;
    memcpy(key->data, c->key.bytes, CHANNEL_KEY_BYTES);
    key->size = CHANNEL_KEY_BYTES;
    tn->peer_id = id;
    memcpy(tn->cred_id, cred_id, CRED_ID_BYTES);
    return 0;
}

static int session_setup(struct tunnel *tn)
{
    struct tls_transport *tr = tn->tr;
    const struct cred *c = cred_ring_send(tr->ring);
    char identity[CONSENSUS_IDENTITY_SIZE];
    gnutls_datum_t datum;

    if (c == NULL)
        return -ENOKEY;
    if (gnutls_init(&tn->session, (tn->client ? GNUTLS_CLIENT : GNUTLS_SERVER) |
                                      GNUTLS_NONBLOCK) < 0)
        return -ENOMEM;
    gnutls_session_set_ptr(tn->session, tn);
    gnutls_transport_set_int(tn->session, tn->fd);
    if (gnutls_priority_set_direct(tn->session, CHANNEL_PRIORITY, NULL) < 0)
        return -EINVAL;
    if (!tn->client) {
        if (gnutls_psk_allocate_server_credentials(&tn->scred) < 0)
            return -ENOMEM;
        gnutls_psk_set_server_credentials_function(tn->scred, server_key_cb);
        return gnutls_credentials_set(tn->session, GNUTLS_CRD_PSK, tn->scred) < 0 ? -ENOMEM : 0;
    }
    consensus_identity_format(tr->id, c->id, identity);
    memcpy(tn->cred_id, c->id, CRED_ID_BYTES);
    datum = (gnutls_datum_t){.data = (unsigned char *)c->key.bytes, .size = CHANNEL_KEY_BYTES};
    if (gnutls_psk_allocate_client_credentials(&tn->ccred) < 0 ||
        gnutls_psk_set_client_credentials(tn->ccred, identity, &datum, GNUTLS_PSK_KEY_RAW) < 0 ||
        gnutls_credentials_set(tn->session, GNUTLS_CRD_PSK, tn->ccred) < 0)
        return -ENOMEM;
    return 0;
}

static void connected(struct tunnel *tn)
{
    int err = 0;
    socklen_t len = sizeof(err);
    int rv;

    if (getsockopt(tn->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
        err = errno;
    if (err != 0) {
        LOGD("consensus", "cannot reach node %llu at %s: %s", (unsigned long long)tn->peer_id,
             tn->peer, strerror(err));
        tunnel_close(tn, RAFT_NOCONNECTION);
        return;
    }
    rv = session_setup(tn);
    if (rv < 0) {
        LOGW("consensus", "raft connection to node %llu: %s", (unsigned long long)tn->peer_id,
             strerror(-rv));
        tunnel_close(tn, RAFT_NOCONNECTION);
        return;
    }
    /* The hello travels first, in the first record raft's bytes would use. */
    tn->out_len = (size_t)consensus_hello_encode(tn->tr->id, tn->tr->address, tn->out);
    tn->state = T_HANDSHAKE;
    handshake(tn);
}

static void poll_cb(uv_poll_t *p, int status, int events)
{
    struct tunnel *tn = p->data;

    (void)events;
    if (tn->state == T_CLOSING)
        return;
    if (status < 0) {
        tunnel_close(tn, RAFT_NOCONNECTION);
        return;
    }
    if (tn->state == T_CONNECTING)
        connected(tn);
    else
        tunnel_drive(tn);
}

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
    int fd;
    struct tunnel *tn;
    int one = 1;

    (void)events;
    if (status < 0 || tr->closing)
        return;
    fd = accept4(tr->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0)
        return;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    tn = tunnel_new(tr, fd, false);
    if (tn == NULL) {
        close(fd);
        return;
    }
    peer_text(fd, tn->peer, sizeof(tn->peer));
    uv_timer_start(&tn->timer, timer_cb, SETUP_TIMEOUT_MS, 0);
    if (session_setup(tn) < 0) {
        tunnel_close(tn, 0);
        return;
    }
    tn->state = T_HANDSHAKE;
    handshake(tn);
}

static int tls_listen(struct raft_uv_transport *t, raft_uv_accept_cb cb)
{
    struct tls_transport *tr = t->impl;
    struct sockaddr_storage ss;
    int fd, one = 1;

    if (parse_address(tr->address, &ss) < 0) {
        snprintf(t->errmsg, sizeof(t->errmsg), "bad raft address %s", tr->address);
        return RAFT_INVALID;
    }
    fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(fd, (struct sockaddr *)&ss,
             ss.ss_family == AF_INET ? sizeof(struct sockaddr_in)
                                     : sizeof(struct sockaddr_in6)) < 0 ||
        listen(fd, LISTEN_BACKLOG) < 0 || uv_poll_init(tr->loop, &tr->listener, fd) != 0) {
        snprintf(t->errmsg, sizeof(t->errmsg), "listen on %s: %s", tr->address,
                 strerror(errno));
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

/* Raft reads and writes; it must not see a stream before the handshake: uv_accept is not used,
 * the accepted socket is ours. */
static int tls_connect(struct raft_uv_transport *t, struct raft_uv_connect *req, raft_id id,
                       const char *address, raft_uv_connect_cb cb)
{
    struct tls_transport *tr = t->impl;
    struct sockaddr_storage ss;
    struct tunnel *tn;
    int fd, one = 1;

    if (parse_address(address, &ss) < 0)
        return RAFT_NOCONNECTION;
    fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return RAFT_NOCONNECTION;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (connect(fd, (struct sockaddr *)&ss,
                ss.ss_family == AF_INET ? sizeof(struct sockaddr_in)
                                        : sizeof(struct sockaddr_in6)) < 0 &&
        errno != EINPROGRESS) {
        close(fd);
        return RAFT_NOCONNECTION;
    }
    tn = tunnel_new(tr, fd, true);
    if (tn == NULL) {
        close(fd);
        return RAFT_NOMEM;
    }
    req->cb = cb;
    tn->req = req;
    tn->peer_id = id;
    snprintf(tn->peer, sizeof(tn->peer), "%s", address);
    tn->state = T_CONNECTING;
    uv_timer_start(&tn->timer, timer_cb, SETUP_TIMEOUT_MS, 0);
    uv_poll_start(&tn->tcp_poll, UV_WRITABLE, poll_cb);
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
    for (struct tunnel *tn = tr->tunnels; tn != NULL; tn = tn->next)
        tunnel_close(tn, RAFT_CANCELED);
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

    for (struct tunnel *tn = tr->tunnels; tn != NULL; tn = tn->next)
        if ((tn->state == T_OPEN || tn->state == T_HELLO) &&
            cred_ring_find(tr->ring, tn->cred_id) == NULL &&
            !tr->is_member(tr->member_arg, tn->peer_id)) {
            LOGI("consensus", "closing the raft connection with node %llu (%s): its credential "
                 "was retired and it is no member", (unsigned long long)tn->peer_id, tn->peer);
            tunnel_close(tn, RAFT_NOCONNECTION);
        }
}
