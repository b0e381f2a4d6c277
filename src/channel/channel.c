/*
 * channel — TLS 1.3 PSK sessions over blocking TCP sockets (see channel.h).
 *
 * Why GnuTLS: it is the TLS library Debian's own system daemons build against, its PSK API takes
 * the key through a callback (so the daemon can accept the admin key and the cluster credential
 * under different identities), and TLS 1.3 with ECDHE-PSK gives forward secrecy on top of mutual
 * authentication by the shared key.
 */
#include "channel/channel.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "channel/psk.h"
#include "channel/resolve.h"
#include "channel/secret_file.h"
#include "channel/thin_stream.h"
#include "common/address.h"
#include "common/hex.h"
#include "common/wire.h"

#define LLMNR_TIMEOUT_MS 1000

struct channel {
    int fd;
    gnutls_session_t session;
    gnutls_psk_client_credentials_t client_cred;
    gnutls_psk_server_credentials_t server_cred;
    channel_key_lookup_fn lookup;
    void *lookup_arg;
    char identity[64];
    char peer[INET6_ADDRSTRLEN];
};

static void set_errmsg(char *errmsg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_errmsg(char *errmsg, const char *fmt, ...)
{
    va_list ap;

    if (errmsg == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(errmsg, CHANNEL_ERRMSG_SIZE, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------------------------------------ */
/* Keys                                                                                        */
/* ------------------------------------------------------------------------------------------ */

int channel_key_from_hex(const char *hex, struct channel_key *ret)
{
    uint8_t bytes[CHANNEL_KEY_BYTES];

    for (size_t i = 0; i < CHANNEL_KEY_BYTES; i++) {
        int hi = hex_value(hex[2 * i]), lo = hi < 0 ? -1 : hex_value(hex[2 * i + 1]);

        if (hi < 0 || lo < 0)
            return -EINVAL;
        bytes[i] = (uint8_t)(hi << 4 | lo);
    }
    if (hex[2 * CHANNEL_KEY_BYTES] != '\0' && hex[2 * CHANNEL_KEY_BYTES] != '\n')
        return -EINVAL;
    memcpy(ret->bytes, bytes, sizeof(bytes));
    return 0;
}

void channel_key_to_hex(const struct channel_key *key, char hex[2 * CHANNEL_KEY_BYTES + 1])
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < CHANNEL_KEY_BYTES; i++) {
        hex[2 * i] = digits[key->bytes[i] >> 4];
        hex[2 * i + 1] = digits[key->bytes[i] & 15];
    }
    hex[2 * CHANNEL_KEY_BYTES] = '\0';
}

void channel_key_set_admin_identity(struct channel_key *key)
{
    static const char label[] = "clusapi admin key id";
    static const char digits[] = "0123456789abcdef";
    uint8_t in[sizeof(label) + CHANNEL_KEY_BYTES], digest[32];
    char id[CHANNEL_ADMIN_ID_CHARS + 1];

    /* A labelled hash: the id names the key without helping anyone guess it. */
    memcpy(in, label, sizeof(label));
    memcpy(in + sizeof(label), key->bytes, CHANNEL_KEY_BYTES);
    gnutls_hash_fast(GNUTLS_DIG_SHA256, in, sizeof(in), digest);
    for (size_t i = 0; i < CHANNEL_ADMIN_ID_CHARS / 2; i++) {
        id[2 * i] = digits[digest[i] >> 4];
        id[2 * i + 1] = digits[digest[i] & 15];
    }
    id[CHANNEL_ADMIN_ID_CHARS] = '\0';
    memset(in, 0, sizeof(in));
    snprintf(key->identity, sizeof(key->identity), "%s:%s", CHANNEL_IDENTITY_ADMIN, id);
}

const char *channel_admin_key_id(const char *identity)
{
    size_t n = strlen(CHANNEL_IDENTITY_ADMIN);
    const char *id = identity + n + 1;

    if (strncmp(identity, CHANNEL_IDENTITY_ADMIN ":", n + 1) != 0 ||
        strlen(id) != CHANNEL_ADMIN_ID_CHARS)
        return NULL;
    for (const char *p = id; *p != '\0'; p++)
        if (hex_value(*p) < 0 || (*p >= 'A' && *p <= 'F'))
            return NULL;
    return id;
}

int channel_key_load(const char *path, struct channel_key *ret)
{
    char *text;
    size_t len;
    int rv;

    rv = secret_file_read(path, &text, &len, NULL);
    if (rv < 0)
        return rv == -EFBIG ? -EINVAL : rv;
    rv = channel_key_parse(text, len, ret);
    memset(text, 0, len);
    free(text);
    return rv;
}

int channel_key_parse(const char *text, size_t len, struct channel_key *ret)
{
    struct channel_key key;
    int rv;

    rv = len >= 2 * CHANNEL_KEY_BYTES ? channel_key_from_hex(text, &key) : -EINVAL;
    if (rv < 0)
        return rv;
    channel_key_set_admin_identity(&key);
    *ret = key;
    memset(&key, 0, sizeof(key));
    return 0;
}

int channel_key_random(const char *identity, struct channel_key *ret)
{
    struct channel_key key;

    if (getrandom(key.bytes, sizeof(key.bytes), 0) != (ssize_t)sizeof(key.bytes))
        return -EIO;
    snprintf(key.identity, sizeof(key.identity), "%s", identity);
    *ret = key;
    return 0;
}

int channel_key_generate(const char *path)
{
    struct channel_key key;
    char text[2 * CHANNEL_KEY_BYTES + 2];
    int rv;

    rv = channel_key_random(CHANNEL_IDENTITY_ADMIN, &key);
    if (rv < 0)
        return rv;
    channel_key_to_hex(&key, text);
    text[2 * CHANNEL_KEY_BYTES] = '\n';
    text[2 * CHANNEL_KEY_BYTES + 1] = '\0';
    /* Never replace a key the nodes already trust. */
    rv = secret_file_write(path, text, sizeof(text) - 1, false);
    memset(text, 0, sizeof(text));
    memset(&key, 0, sizeof(key));
    return rv;
}

/* ------------------------------------------------------------------------------------------ */
/* Sessions                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static struct channel *channel_new(int fd)
{
    struct channel *c = calloc(1, sizeof(*c));

    if (c != NULL)
        c->fd = fd;
    return c;
}

bool channel_idle_usable(const struct channel *c)
{
    struct pollfd p = {.fd = c->fd, .events = POLLIN | POLLRDHUP};

    /* Idle, nothing may be readable: data would be a close_notify or an alert, and a hangup
     * or an error shows the connection is gone. */
    return gnutls_record_check_pending(c->session) == 0 && poll(&p, 1, 0) == 0;
}

void channel_close(struct channel *c)
{
    if (c == NULL)
        return;
    if (c->session != NULL) {
        gnutls_bye(c->session, GNUTLS_SHUT_WR);
        gnutls_deinit(c->session);
    }
    if (c->client_cred != NULL)
        gnutls_psk_free_client_credentials(c->client_cred);
    if (c->server_cred != NULL)
        gnutls_psk_free_server_credentials(c->server_cred);
    if (c->fd >= 0)
        close(c->fd);
    free(c);
}

void channel_peer_text(int fd, char *buf, size_t n)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    buf[0] = '\0';
    if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0)
        return;
    if (ss.ss_family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, buf, (socklen_t)n);
    else if (ss.ss_family == AF_INET6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, buf, (socklen_t)n);
}

/* Writes with MSG_NOSIGNAL: the library must never raise SIGPIPE in the application. */
static ssize_t push_nosignal(gnutls_transport_ptr_t ptr, const giovec_t *iov, int iovcnt)
{
    struct msghdr msg = {.msg_iov = (struct iovec *)iov, .msg_iovlen = (size_t)iovcnt};

    return sendmsg((int)(intptr_t)ptr, &msg, MSG_NOSIGNAL);
}

static int session_init(struct channel *c, unsigned flags, int timeout_ms)
{
    int rv;

    thin_stream_tune(c->fd);
    rv = psk_session_init(&c->session, flags, c->fd);
    if (rv < 0)
        return rv;
    gnutls_transport_set_vec_push_function(c->session, push_nosignal);
    gnutls_handshake_set_timeout(c->session, (unsigned)timeout_ms);
    gnutls_session_set_ptr(c->session, c);
    channel_peer_text(c->fd, c->peer, sizeof(c->peer));
    return 0;
}

static int handshake(struct channel *c)
{
    int rv;

    do {
        rv = gnutls_handshake(c->session);
    } while (rv < 0 && gnutls_error_is_fatal(rv) == 0);
    return rv;
}

static int handshake_errno(int gnutls_rv)
{
    switch (gnutls_rv) {
    case GNUTLS_E_TIMEDOUT:
        return -ETIMEDOUT;
    case GNUTLS_E_PREMATURE_TERMINATION:
    case GNUTLS_E_PUSH_ERROR:
    case GNUTLS_E_PULL_ERROR:
        return -ECONNRESET;
    default:
        /* Decryption failures, unknown identity, bad record MAC: the keys do not match. */
        return -EACCES;
    }
}

/*
 * Names without DNS: a cluster's Network Name answers LLMNR (RFC 4795) on the node that holds it.
 * Builds a getaddrinfo-style list (freed by freeaddrinfo) from the LLMNR answer.
 */
static int resolve_llmnr(const char *host, const char *service, struct addrinfo **ret)
{
    struct net_addr addrs[8];
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV};
    struct addrinfo *head = NULL, **tail = &head;
    size_t n = 0;

    if (llmnr_resolve(host, AF_UNSPEC, LLMNR_TIMEOUT_MS, addrs, 8, &n) < 0 || n == 0)
        return EAI_NONAME;
    for (size_t i = 0; i < n; i++) {
        char text[ADDR_STRLEN];
        struct addrinfo *one;

        if (addr_format(&addrs[i], text, sizeof(text)) < 0 ||
            getaddrinfo(text, service, &hints, &one) != 0)
            continue;
        *tail = one;
        while (*tail != NULL)
            tail = &(*tail)->ai_next;
    }
    *ret = head;
    return head != NULL ? 0 : EAI_NONAME;
}

/* Connects a TCP socket to one of the addresses of host within the deadline. */
static int tcp_connect(const char *host, uint16_t port, int timeout_ms, char *errmsg)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_ADDRCONFIG};
    struct addrinfo *res, *ai;
    char service[8];
    int rv, fd = -1, err = -EHOSTUNREACH;

    snprintf(service, sizeof(service), "%u", port);
    rv = getaddrinfo(host, service, &hints, &res);
    if (rv == EAI_NONAME || rv == EAI_NODATA || rv == EAI_AGAIN)
        rv = resolve_llmnr(host, service, &res); /* a cluster name published by its owner */
    if (rv != 0) {
        set_errmsg(errmsg, "cannot resolve %s: %s", host, gai_strerror(rv));
        return -EHOSTUNREACH;
    }
    for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
        struct pollfd pfd;
        int soerr = 0;
        socklen_t len = sizeof(soerr);

        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
            continue;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS) {
            err = -errno;
        } else {
            pfd = (struct pollfd){.fd = fd, .events = POLLOUT};
            rv = poll(&pfd, 1, timeout_ms);
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len);
            if (rv == 1 && soerr == 0) {
                fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
                break;
            }
            err = rv == 0 ? -ETIMEDOUT : -(soerr ? soerr : errno);
        }
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
        set_errmsg(errmsg, "cannot connect to %s port %u: %s", host, port, strerror(-err));
    return fd < 0 ? err : fd;
}

/* The client handshake on a connected socket; errmsg may be NULL, host is for messages. */
static int client_handshake(int fd, const char *host, const struct channel_key *key,
                            int timeout_ms, struct channel **ret, char *errmsg)
{
    struct channel *c;
    int rv;

    c = channel_new(fd);
    if (c == NULL) {
        close(fd);
        return -ENOMEM;
    }
    rv = session_init(c, GNUTLS_CLIENT, timeout_ms);
    if (rv == 0)
        rv = psk_client_credentials(c->session, key, &c->client_cred);
    if (rv == 0 && (rv = handshake(c)) < 0) {
        set_errmsg(errmsg, "%s refused the connection: %s (is the key the one the node uses?)",
                   host, gnutls_strerror(rv));
        rv = handshake_errno(rv);
    }
    if (rv < 0) {
        channel_close(c);
        return rv;
    }
    snprintf(c->identity, sizeof(c->identity), "%s", key->identity);
    *ret = c;
    return 0;
}

int channel_connect(const char *host, uint16_t port, const struct channel_key *key,
                    int timeout_ms, struct channel **ret, char *errmsg)
{
    int fd = tcp_connect(host, port, timeout_ms, errmsg);

    if (fd < 0)
        return fd;
    return client_handshake(fd, host, key, timeout_ms, ret, errmsg);
}

int channel_accept_client_fd(int fd, const struct channel_key *key, int timeout_ms,
                             struct channel **ret)
{
    return client_handshake(fd, "peer", key, timeout_ms, ret, NULL);
}

/* GnuTLS asks for the key of the identity the client named; we answer from the lookup. */
static int server_key_cb(gnutls_session_t session, const char *username, gnutls_datum_t *key)
{
    struct channel *c = gnutls_session_get_ptr(session);

    if (psk_answer(c->lookup, c->lookup_arg, username, key) < 0)
        return -1;
    snprintf(c->identity, sizeof(c->identity), "%s", username);
    return 0;
}

int channel_accept(int fd, channel_key_lookup_fn lookup, void *lookup_arg, int timeout_ms,
                   struct channel **ret)
{
    struct channel *c = channel_new(fd);
    int rv;

    if (c == NULL) {
        close(fd);
        return -ENOMEM;
    }
    c->lookup = lookup;
    c->lookup_arg = lookup_arg;
    rv = session_init(c, GNUTLS_SERVER, timeout_ms);
    if (rv == 0)
        rv = psk_server_credentials(c->session, server_key_cb, &c->server_cred);
    if (rv == 0 && (rv = handshake(c)) < 0)
        rv = handshake_errno(rv);
    if (rv < 0) {
        channel_close(c);
        return rv;
    }
    *ret = c;
    return 0;
}

const char *channel_peer_identity(const struct channel *c)
{
    return c->identity;
}

const char *channel_peer_address(const struct channel *c)
{
    return c->peer;
}

/* ------------------------------------------------------------------------------------------ */
/* Framing                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static int send_all(struct channel *c, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t k = gnutls_record_send(c->session, p, n);

        if (k == GNUTLS_E_AGAIN || k == GNUTLS_E_INTERRUPTED)
            continue;
        if (k < 0)
            return -ECONNRESET;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

int channel_send(struct channel *c, const void *msg, size_t len)
{
    uint8_t hdr[4] = {(uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16),
                      (uint8_t)(len >> 24)};
    int rv;

    if (len > WIRE_MAX_MESSAGE)
        return -EMSGSIZE;
    gnutls_record_cork(c->session);
    rv = send_all(c, hdr, sizeof(hdr));
    if (rv == 0)
        rv = send_all(c, msg, len);
    if (rv == 0 && gnutls_record_uncork(c->session, GNUTLS_RECORD_WAIT) < 0)
        rv = -ECONNRESET;
    return rv;
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int recv_all(struct channel *c, uint8_t *p, size_t n, int64_t deadline)
{
    while (n > 0) {
        int64_t left = deadline - now_ms();
        ssize_t k;

        if (left <= 0)
            return -ETIMEDOUT;
        gnutls_record_set_timeout(c->session, (unsigned)left);
        k = gnutls_record_recv(c->session, p, n);
        if (k == GNUTLS_E_AGAIN || k == GNUTLS_E_INTERRUPTED)
            continue;
        if (k == GNUTLS_E_TIMEDOUT)
            return -ETIMEDOUT;
        if (k == 0)
            return -ECONNRESET;
        if (k < 0)
            return k == GNUTLS_E_PREMATURE_TERMINATION ? -ECONNRESET : -EBADMSG;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

int channel_recv(struct channel *c, int timeout_ms, void **ret_msg, size_t *ret_len)
{
    int64_t deadline = now_ms() + timeout_ms;
    uint8_t hdr[4];
    uint8_t *msg;
    size_t len;
    int rv;

    rv = recv_all(c, hdr, sizeof(hdr), deadline);
    if (rv < 0)
        return rv;
    len = (size_t)hdr[0] | (size_t)hdr[1] << 8 | (size_t)hdr[2] << 16 | (size_t)hdr[3] << 24;
    if (len > WIRE_MAX_MESSAGE)
        return -EBADMSG;
    msg = malloc(len ? len : 1);
    if (msg == NULL)
        return -ENOMEM;
    rv = recv_all(c, msg, len, deadline);
    if (rv < 0) {
        free(msg);
        return rv;
    }
    *ret_msg = msg;
    *ret_len = len;
    return 0;
}
