/*
 * tunnel — TLS 1.3-PSK over a TCP socket on a libuv loop, plaintext through a socketpair (see
 * tunnel.h).
 *
 * Handles: a poll on the TCP socket and the deadline timer from the start, a poll on our end of
 * the socketpair from OPEN on. Memory goes only once all of them have closed.
 */
#include "channel/tunnel.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "channel/psk.h"
#include "channel/thin_stream.h"

/* Bytes on their way in one direction: bytes[off..off+len). */
struct flow {
    uint8_t bytes[TUNNEL_BUF_BYTES];
    size_t off, len;
};

struct tunnel {
    const struct tunnel_hooks *hooks;
    void *data;
    uv_loop_t *loop;
    bool client;
    enum tunnel_phase phase;
    size_t preamble_max;
    int fd;      /* TCP */
    int pair_fd; /* our end of the socketpair, -1 until OPEN */
    uv_poll_t tcp_poll;
    uv_poll_t pair_poll;
    uv_timer_t timer;
    int open_handles;
    gnutls_session_t session;
    gnutls_psk_client_credentials_t ccred;
    gnutls_psk_server_credentials_t scred;
    char peer[INET6_ADDRSTRLEN + 8];
    struct flow in;  /* TLS -> plaintext end */
    struct flow out; /* plaintext end -> TLS */
};

static void poll_cb(uv_poll_t *p, int status, int events);

/* ------------------------------------------------------------------------------------------ */
/* Addresses                                                                                   */
/* ------------------------------------------------------------------------------------------ */

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

static socklen_t address_len(const struct sockaddr_storage *ss)
{
    return ss->ss_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
}

/* A non-blocking TCP socket for address, parsed into *ss: the fd, -EINVAL or socket()'s errno. */
static int tcp_socket(const char *address, struct sockaddr_storage *ss)
{
    int fd;

    if (parse_address(address, ss) < 0)
        return -EINVAL;
    fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    return fd < 0 ? -errno : fd;
}

/* Closes fd after a failed call and returns that call's errno, negated. */
static int close_failed(int fd)
{
    int err = errno;

    close(fd);
    return -err;
}

/* ------------------------------------------------------------------------------------------ */
/* Lifetime                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void timer_cb(uv_timer_t *t);

/* A tunnel on fd with its TCP poll and its deadline running; NULL (fd untouched) on failure. */
static struct tunnel *tunnel_new(const struct tunnel_config *cfg, int fd, bool client)
{
    struct tunnel *tn = calloc(1, sizeof(*tn));

    assert(cfg->preamble_max <= TUNNEL_BUF_BYTES);
    if (tn == NULL)
        return NULL;
    *tn = (struct tunnel){.hooks = cfg->hooks, .data = cfg->data, .loop = cfg->loop,
                          .client = client, .preamble_max = cfg->preamble_max, .fd = fd,
                          .pair_fd = -1};
    if (uv_poll_init(tn->loop, &tn->tcp_poll, fd) != 0) {
        free(tn);
        return NULL;
    }
    uv_timer_init(tn->loop, &tn->timer);
    tn->tcp_poll.data = tn->timer.data = tn->pair_poll.data = tn;
    tn->open_handles = 2;
    uv_timer_start(&tn->timer, timer_cb, cfg->setup_ms, 0);
    thin_stream_tune(fd); /* the pump hands each record over as soon as it has it */
    return tn;
}

static void handle_closed(uv_handle_t *h)
{
    struct tunnel *tn = h->data;
    void (*closed)(void *data) = tn->hooks->closed;
    void *data = tn->data;

    if (--tn->open_handles > 0)
        return;
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
    closed(data);
}

void tunnel_close(struct tunnel *tn)
{
    if (tn->phase == TUNNEL_CLOSING)
        return;
    tn->phase = TUNNEL_CLOSING;
    uv_close((uv_handle_t *)&tn->tcp_poll, handle_closed);
    uv_close((uv_handle_t *)&tn->timer, handle_closed);
    if (tn->pair_fd >= 0)
        uv_close((uv_handle_t *)&tn->pair_poll, handle_closed);
}

/* Ends the tunnel on its own account and tells the owner why. */
static void end(struct tunnel *tn, enum tunnel_end why, const char *reason)
{
    if (tn->phase == TUNNEL_CLOSING)
        return;
    tunnel_close(tn);
    tn->hooks->ended(tn->data, why, reason);
}

static void timer_cb(uv_timer_t *t)
{
    end(t->data, TUNNEL_TIMED_OUT, "timed out");
}

enum tunnel_phase tunnel_phase(const struct tunnel *tn)
{
    return tn->phase;
}

const char *tunnel_peer(const struct tunnel *tn)
{
    return tn->peer;
}

int tunnel_queue(struct tunnel *tn, const void *buf, size_t len)
{
    struct flow *out = &tn->out;

    assert(tn->phase < TUNNEL_OPEN);
    if (len > sizeof(out->bytes) - out->len)
        return -ENOSPC;
    memcpy(out->bytes + out->len, buf, len);
    out->len += len;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* The pump (OPEN)                                                                             */
/* ------------------------------------------------------------------------------------------ */

/* Each end's reads and writes as the pump counts them: the bytes moved, 0 when it would
 * block, or a negative errno to close (-ECONNRESET: that side closed). */
typedef ssize_t (*io_fn)(struct tunnel *tn, uint8_t *buf, size_t n);

static ssize_t tls_result(ssize_t n)
{
    if (n > 0)
        return n;
    if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED)
        return 0;
    return n == 0 ? -ECONNRESET : -EPROTO;
}

static ssize_t socket_result(ssize_t n)
{
    if (n > 0)
        return n;
    if (n == 0)
        return -ECONNRESET; /* the owner closed its end */
    return errno == EAGAIN || errno == EINTR ? 0 : -errno;
}

static ssize_t tls_read(struct tunnel *tn, uint8_t *buf, size_t n)
{
    return tls_result(gnutls_record_recv(tn->session, buf, n));
}

static ssize_t tls_write(struct tunnel *tn, uint8_t *buf, size_t n)
{
    return tls_result(gnutls_record_send(tn->session, buf, n));
}

static ssize_t pair_read(struct tunnel *tn, uint8_t *buf, size_t n)
{
    return socket_result(recv(tn->pair_fd, buf, n, 0));
}

static ssize_t pair_write(struct tunnel *tn, uint8_t *buf, size_t n)
{
    return socket_result(send(tn->pair_fd, buf, n, MSG_NOSIGNAL));
}

/* One direction: reads into f when it is empty, then writes out what it holds. 1 if anything
 * moved, 0 if both would block, negative to close. */
static int pump_flow(struct tunnel *tn, struct flow *f, io_fn read, io_fn write)
{
    int moved = 0;
    ssize_t n;

    if (f->len == 0) {
        n = read(tn, f->bytes, sizeof(f->bytes));
        if (n < 0)
            return (int)n;
        f->off = 0;
        f->len = (size_t)n;
        moved = n > 0;
    }
    if (f->len > 0) {
        /* After GNUTLS_E_AGAIN the same bytes are offered again, as GnuTLS requires. */
        n = write(tn, f->bytes + f->off, f->len);
        if (n < 0)
            return (int)n;
        f->off += (size_t)n;
        f->len -= (size_t)n;
        moved |= n > 0;
    }
    return moved;
}

/* One pass in each direction; 1 if anything moved, 0 if all would block, negative to close. */
static int pump_once(struct tunnel *tn)
{
    int in = pump_flow(tn, &tn->in, tls_read, pair_write), out;

    if (in < 0)
        return in;
    out = pump_flow(tn, &tn->out, pair_read, tls_write);
    return out < 0 ? out : (in | out);
}

/* Waits for what the tunnel can use next: TCP readable while the plaintext end has room,
 * writable while bytes for the peer wait; the pair likewise the other way round. */
static void pump_rearm(struct tunnel *tn)
{
    int tcp = (tn->in.len == 0 ? UV_READABLE : 0) | (tn->out.len > 0 ? UV_WRITABLE : 0);
    int pair = (tn->out.len == 0 ? UV_READABLE : 0) | (tn->in.len > 0 ? UV_WRITABLE : 0);

    uv_poll_start(&tn->tcp_poll, tcp, poll_cb);
    uv_poll_start(&tn->pair_poll, pair, poll_cb);
}

static void pump(struct tunnel *tn)
{
    int rv;

    while ((rv = pump_once(tn)) > 0)
        ;
    if (rv < 0) {
        end(tn, TUNNEL_ENDED, strerror(-rv));
        return;
    }
    pump_rearm(tn);
}

/* Makes the socketpair, hands the owner its end and starts the pump on ours. */
static void open_stream(struct tunnel *tn)
{
    int fds[2], rv;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) < 0) {
        end(tn, TUNNEL_NO_STREAM, strerror(errno));
        return;
    }
    rv = uv_poll_init(tn->loop, &tn->pair_poll, fds[1]);
    if (rv != 0) {
        close(fds[0]);
        close(fds[1]);
        end(tn, TUNNEL_NO_STREAM, uv_strerror(rv));
        return;
    }
    tn->pair_fd = fds[1];
    tn->open_handles++;
    tn->phase = TUNNEL_OPEN;
    uv_timer_stop(&tn->timer);
    rv = tn->hooks->open(tn->data, fds[0]);
    if (rv < 0) {
        end(tn, TUNNEL_NO_STREAM, strerror(-rv));
        return;
    }
    if (tn->phase == TUNNEL_OPEN) /* the hook may have closed it */
        pump(tn);
}

/* ------------------------------------------------------------------------------------------ */
/* Handshake and preamble                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* Reads until the owner's preamble hook has the whole preamble, then opens. */
static void read_preamble(struct tunnel *tn)
{
    struct flow *in = &tn->in;
    ssize_t n;
    int used;

    for (;;) {
        used = tn->hooks->preamble(tn->data, in->bytes, in->len);
        if (used != -EAGAIN)
            break;
        if (in->len == tn->preamble_max) {
            end(tn, TUNNEL_NO_PREAMBLE, "preamble too long");
            return;
        }
        n = tls_read(tn, in->bytes + in->len, tn->preamble_max - in->len);
        if (n == 0) {
            uv_poll_start(&tn->tcp_poll, UV_READABLE, poll_cb);
            return;
        }
        if (n < 0) {
            end(tn, TUNNEL_NO_PREAMBLE, strerror((int)-n));
            return;
        }
        in->len += (size_t)n;
    }
    if (used < 0) {
        end(tn, TUNNEL_PREAMBLE_REFUSED, strerror(-used));
        return;
    }
    assert((size_t)used <= in->len);
    /* Whatever came after the preamble in the same record is the stream's. */
    in->off = (size_t)used;
    in->len -= (size_t)used;
    open_stream(tn);
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
        end(tn, TUNNEL_REFUSED, gnutls_strerror(rv));
        return;
    }
    if (tn->client || tn->hooks->preamble == NULL) {
        open_stream(tn);
    } else {
        tn->phase = TUNNEL_PREAMBLE;
        read_preamble(tn);
    }
}

/* GnuTLS asks for the key of the identity the client named: the owner's lookup answers. */
static int server_key_cb(gnutls_session_t session, const char *identity, gnutls_datum_t *key)
{
    struct tunnel *tn = gnutls_session_get_ptr(session);

    return psk_answer(tn->hooks->server_key, tn->data, identity, key);
}

static int session_setup(struct tunnel *tn)
{
    struct channel_key key;
    int rv;

    if (tn->client) {
        rv = tn->hooks->client_key(tn->data, &key);
        if (rv < 0)
            return rv;
    }
    rv = psk_session_init(&tn->session,
                          (tn->client ? GNUTLS_CLIENT : GNUTLS_SERVER) | GNUTLS_NONBLOCK, tn->fd);
    if (rv == 0)
        gnutls_session_set_ptr(tn->session, tn);
    if (rv == 0 && tn->client)
        rv = psk_client_credentials(tn->session, &key, &tn->ccred);
    else if (rv == 0)
        rv = psk_server_credentials(tn->session, server_key_cb, &tn->scred);
    if (tn->client)
        memset(&key, 0, sizeof(key));
    return rv;
}

/* Sets up the session and starts the handshake. */
static void start_tls(struct tunnel *tn)
{
    int rv = session_setup(tn);

    if (rv < 0) {
        end(tn, TUNNEL_NO_SESSION, strerror(-rv));
        return;
    }
    tn->phase = TUNNEL_HANDSHAKE;
    handshake(tn);
}

/* The connect finished: status is the poll's, which libuv gives as UV_EBADF for a refused or
 * failed connect (POLLERR), so the socket's own error says what happened. */
static void connected(struct tunnel *tn, int status)
{
    int err = 0;
    socklen_t len = sizeof(err);

    if (getsockopt(tn->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
        err = errno;
    if (err != 0)
        end(tn, TUNNEL_UNREACHABLE, strerror(err));
    else if (status < 0)
        end(tn, TUNNEL_BROKEN, uv_strerror(status));
    else
        start_tls(tn);
}

static void poll_cb(uv_poll_t *p, int status, int events)
{
    struct tunnel *tn = p->data;

    (void)events;
    switch (tn->phase) {
    case TUNNEL_CONNECTING: connected(tn, status); return;
    case TUNNEL_CLOSING: return;
    default: break;
    }
    if (status < 0) {
        end(tn, TUNNEL_BROKEN, uv_strerror(status));
        return;
    }
    if (tn->phase == TUNNEL_HANDSHAKE)
        handshake(tn);
    else if (tn->phase == TUNNEL_PREAMBLE)
        read_preamble(tn);
    else
        pump(tn);
}

/* ------------------------------------------------------------------------------------------ */
/* Sockets                                                                                     */
/* ------------------------------------------------------------------------------------------ */

int tunnel_listen(const char *address, int backlog)
{
    struct sockaddr_storage ss;
    int fd = tcp_socket(address, &ss), one = 1;

    if (fd < 0)
        return fd;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(fd, (struct sockaddr *)&ss, address_len(&ss)) < 0 || listen(fd, backlog) < 0)
        return close_failed(fd);
    return fd;
}

int tunnel_connect(const struct tunnel_config *cfg, const char *address, struct tunnel **ret)
{
    struct sockaddr_storage ss;
    int fd = tcp_socket(address, &ss);
    struct tunnel *tn;

    if (fd < 0)
        return fd;
    if (connect(fd, (struct sockaddr *)&ss, address_len(&ss)) < 0 && errno != EINPROGRESS)
        return close_failed(fd);
    tn = tunnel_new(cfg, fd, true);
    if (tn == NULL) {
        close(fd);
        return -ENOMEM;
    }
    snprintf(tn->peer, sizeof(tn->peer), "%s", address);
    tn->phase = TUNNEL_CONNECTING;
    uv_poll_start(&tn->tcp_poll, UV_WRITABLE, poll_cb);
    *ret = tn;
    return 0;
}

int tunnel_accept(const struct tunnel_config *cfg, int fd, struct tunnel **ret)
{
    struct tunnel *tn = tunnel_new(cfg, fd, false);

    if (tn == NULL) {
        close(fd);
        return -ENOMEM;
    }
    channel_peer_text(fd, tn->peer, sizeof(tn->peer));
    if (tn->peer[0] == '\0')
        snprintf(tn->peer, sizeof(tn->peer), "?");
    *ret = tn;
    start_tls(tn);
    return 0;
}
