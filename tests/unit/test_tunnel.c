/*
 * The TLS tunnel on loopback, with this test as the owner of both ends: bytes pass both ways
 * intact, the preamble is taken off and what followed it reaches the stream; a wrong key, a
 * refused preamble, a silent peer, a port nobody listens on and a missing client key each end
 * the tunnel with their own reason; tunnel_close() ends one quietly. Each test runs its own loop
 * and proves at the end that every handle it opened has closed.
 */
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "channel/tunnel.h"

#define PAYLOAD (256 * 1024) /* many TLS records, more than a socket buffer */
#define TIMEOUT_MS 5000
#define SETUP_MS 2000 /* a handshake under valgrind takes its time */
#define SILENT_MS 200 /* how long the silent peer test waits */
#define IDENTITY "test-client"
#define PREAMBLE "\x05hello"
#define TAIL "tail" /* sent in the same record as the preamble: the stream's first bytes */

struct fixture;

/* One owner: the client or the server side. */
struct side {
    struct fixture *f;
    struct tunnel *tn;
    bool server;
    uint8_t key_fill;
    bool fail_key, refuse_preamble;
    char identity[64]; /* server: the identity the client named */
    char preamble[16]; /* server: the preamble it was shown */
    int opened, ended, closed;
    enum tunnel_end why;
    uv_pipe_t *pipe;
    uint8_t *got;
    size_t got_len, got_cap;
    bool eof;
};

struct fixture {
    uv_loop_t loop;
    uv_timer_t deadline;
    int listen_fd;
    uv_poll_t listener;
    char address[32];
    unsigned setup_ms;
    struct side client, server;
};

static void deadline_cb(uv_timer_t *t)
{
    (void)t;
    fail_msg("the test did not finish in time");
}

/* Runs the loop until cond holds (the deadline fails the test otherwise). */
#define RUN_UNTIL(f, cond)                                                                        \
    do {                                                                                          \
        while (!(cond))                                                                           \
            uv_run(&(f)->loop, UV_RUN_ONCE);                                                      \
    } while (0)

/* ------------------------------------------------------------------------------------------ */
/* The owner's hooks                                                                           */
/* ------------------------------------------------------------------------------------------ */

static int client_key(void *data, struct channel_key *ret)
{
    struct side *s = data;

    if (s->fail_key)
        return -ENOKEY;
    snprintf(ret->identity, sizeof(ret->identity), "%s", IDENTITY);
    memset(ret->bytes, s->key_fill, sizeof(ret->bytes));
    return 0;
}

static int server_key(void *arg, const char *identity, struct channel_key *ret)
{
    struct side *s = arg;

    snprintf(s->identity, sizeof(s->identity), "%s", identity);
    if (strcmp(identity, IDENTITY) != 0)
        return -ENOENT;
    snprintf(ret->identity, sizeof(ret->identity), "%s", identity);
    memset(ret->bytes, s->key_fill, sizeof(ret->bytes));
    return 0;
}

/* A length byte and that many bytes. */
static int preamble(void *data, const uint8_t *buf, size_t len)
{
    struct side *s = data;

    if (len < 1 || len < 1u + buf[0])
        return -EAGAIN;
    if (s->refuse_preamble)
        return -EACCES;
    memcpy(s->preamble, buf + 1, buf[0]);
    s->preamble[buf[0]] = '\0';
    return 1 + buf[0];
}

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    struct side *s = h->data;

    (void)suggested;
    *buf = uv_buf_init((char *)s->got + s->got_len, (unsigned)(s->got_cap - s->got_len));
}

static void read_cb(uv_stream_t *stream, ssize_t n, const uv_buf_t *buf)
{
    struct side *s = stream->data;

    (void)buf;
    if (n > 0)
        s->got_len += (size_t)n;
    else if (n < 0)
        s->eof = true;
}

static int open_hook(void *data, int fd)
{
    struct side *s = data;

    s->opened++;
    s->pipe = malloc(sizeof(*s->pipe));
    assert_non_null(s->pipe);
    assert_int_equal(uv_pipe_init(&s->f->loop, s->pipe, 0), 0);
    assert_int_equal(uv_pipe_open(s->pipe, fd), 0);
    s->pipe->data = s;
    s->got_cap = sizeof(TAIL) - 1 + PAYLOAD;
    s->got = malloc(s->got_cap);
    assert_non_null(s->got);
    assert_int_equal(uv_read_start((uv_stream_t *)s->pipe, alloc_cb, read_cb), 0);
    return 0;
}

static void ended(void *data, enum tunnel_end why, const char *reason)
{
    struct side *s = data;

    assert_non_null(reason);
    s->ended++;
    s->why = why;
}

static void closed(void *data)
{
    struct side *s = data;

    s->closed++;
}

static const struct tunnel_hooks client_hooks = {
    .client_key = client_key, .open = open_hook, .ended = ended, .closed = closed};
static const struct tunnel_hooks server_hooks = {.server_key = server_key,
                                                 .preamble = preamble,
                                                 .open = open_hook,
                                                 .ended = ended,
                                                 .closed = closed};

static struct tunnel_config config(struct side *s)
{
    return (struct tunnel_config){.loop = &s->f->loop,
                                  .hooks = s->server ? &server_hooks : &client_hooks,
                                  .data = s,
                                  .setup_ms = s->f->setup_ms,
                                  .preamble_max = 64};
}

/* ------------------------------------------------------------------------------------------ */
/* Fixture                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/* A TCP socket bound to an ephemeral loopback port, whose "127.0.0.1:port" goes to address. */
static int bound_socket(char *address, size_t n)
{
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(sin);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
    snprintf(address, n, "127.0.0.1:%u", (unsigned)ntohs(sin.sin_port));
    return fd;
}

static void listener_cb(uv_poll_t *p, int status, int events)
{
    struct fixture *f = p->data;
    struct tunnel_config cfg = config(&f->server);
    int fd;

    (void)events;
    assert_int_equal(status, 0);
    fd = accept4(f->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0)
        return;
    assert_null(f->server.tn); /* one connection per test */
    assert_int_equal(tunnel_accept(&cfg, fd, &f->server.tn), 0);
}

static struct fixture *fixture_setup(uint8_t client_fill, uint8_t server_fill)
{
    static struct fixture f;

    memset(&f, 0, sizeof(f));
    f.setup_ms = SETUP_MS;
    assert_int_equal(uv_loop_init(&f.loop), 0);
    uv_timer_init(&f.loop, &f.deadline);
    uv_timer_start(&f.deadline, deadline_cb, TIMEOUT_MS, 0);
    f.client = (struct side){.f = &f, .key_fill = client_fill};
    f.server = (struct side){.f = &f, .server = true, .key_fill = server_fill};
    f.listen_fd = bound_socket(f.address, sizeof(f.address));
    assert_int_equal(listen(f.listen_fd, 4), 0);
    assert_int_equal(uv_poll_init(&f.loop, &f.listener, f.listen_fd), 0);
    f.listener.data = &f;
    assert_int_equal(uv_poll_start(&f.listener, UV_READABLE, listener_cb), 0);
    return &f;
}

/* Starts the client with the preamble and TAIL queued. */
static void connect_client(struct fixture *f)
{
    struct tunnel_config cfg = config(&f->client);
    static const char first[] = PREAMBLE TAIL;

    assert_int_equal(tunnel_connect(&cfg, f->address, &f->client.tn), 0);
    assert_int_equal(tunnel_queue(f->client.tn, first, sizeof(first) - 1), 0);
}

static void side_done(struct side *s)
{
    if (s->pipe != NULL)
        uv_close((uv_handle_t *)s->pipe, (uv_close_cb)free);
    free(s->got);
}

/* Closes what the test holds, waits for every tunnel it made to close, and proves nothing is
 * left open on the loop. */
static void teardown(struct fixture *f)
{
    uv_close((uv_handle_t *)&f->listener, NULL);
    side_done(&f->client);
    side_done(&f->server);
    RUN_UNTIL(f, (f->client.tn == NULL || f->client.closed) &&
                     (f->server.tn == NULL || f->server.closed));
    assert_true(f->client.closed <= 1 && f->server.closed <= 1);
    close(f->listen_fd);
    uv_close((uv_handle_t *)&f->deadline, NULL);
    uv_run(&f->loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(&f->loop), 0);
}

/* ------------------------------------------------------------------------------------------ */
/* Tests                                                                                       */
/* ------------------------------------------------------------------------------------------ */

static void test_bytes_pass_both_ways(void **state)
{
    struct fixture *f = fixture_setup(7, 7);
    uint8_t *sent = malloc(PAYLOAD);
    uv_write_t w, reply;
    uv_buf_t buf;

    (void)state;
    connect_client(f);
    RUN_UNTIL(f, f->client.opened && f->server.opened);
    assert_string_equal(f->server.identity, IDENTITY);
    assert_string_equal(f->server.preamble, "hello");
    assert_int_equal(tunnel_phase(f->server.tn), TUNNEL_OPEN);
    assert_string_equal(tunnel_peer(f->client.tn), f->address);
    assert_string_equal(tunnel_peer(f->server.tn), "127.0.0.1");
    assert_non_null(sent);
    for (size_t i = 0; i < PAYLOAD; i++)
        sent[i] = (uint8_t)(i * 31 + i / 977);
    buf = uv_buf_init((char *)sent, PAYLOAD);
    assert_int_equal(uv_write(&w, (uv_stream_t *)f->client.pipe, &buf, 1, NULL), 0);
    RUN_UNTIL(f, f->server.got_len == sizeof(TAIL) - 1 + PAYLOAD);
    assert_memory_equal(f->server.got, TAIL, sizeof(TAIL) - 1);
    assert_memory_equal(f->server.got + sizeof(TAIL) - 1, sent, PAYLOAD);
    buf = uv_buf_init("pong", 4);
    assert_int_equal(uv_write(&reply, (uv_stream_t *)f->server.pipe, &buf, 1, NULL), 0);
    RUN_UNTIL(f, f->client.got_len == 4);
    assert_memory_equal(f->client.got, "pong", 4);
    /* The client lets go of its end: both tunnels end by themselves. */
    uv_close((uv_handle_t *)f->client.pipe, (uv_close_cb)free);
    f->client.pipe = NULL;
    RUN_UNTIL(f, f->client.closed && f->server.closed);
    assert_int_equal(f->client.why, TUNNEL_ENDED);
    assert_int_equal(f->server.why, TUNNEL_ENDED);
    assert_true(f->server.eof);
    teardown(f);
    free(sent);
}

static void test_wrong_key_refused(void **state)
{
    struct fixture *f = fixture_setup(7, 8);

    (void)state;
    connect_client(f);
    RUN_UNTIL(f, f->client.closed && f->server.closed);
    assert_int_equal(f->client.why, TUNNEL_REFUSED);
    assert_int_equal(f->server.why, TUNNEL_REFUSED);
    assert_int_equal(f->client.opened + f->server.opened, 0); /* no byte reached an owner */
    teardown(f);
}

static void test_refused_preamble_ends_both(void **state)
{
    struct fixture *f = fixture_setup(7, 7);

    (void)state;
    f->server.refuse_preamble = true;
    connect_client(f);
    RUN_UNTIL(f, f->server.closed && f->client.eof);
    assert_int_equal(f->server.why, TUNNEL_PREAMBLE_REFUSED);
    assert_int_equal(f->server.opened, 0);
    assert_int_equal(f->client.opened, 1); /* its handshake passed: the server had the key */
    RUN_UNTIL(f, f->client.closed);
    assert_int_equal(f->client.why, TUNNEL_ENDED);
    teardown(f);
}

static void test_silent_peer_times_out(void **state)
{
    struct fixture *f = fixture_setup(7, 7);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    (void)state;
    f->setup_ms = SILENT_MS;
    sin.sin_port = htons((uint16_t)atoi(strrchr(f->address, ':') + 1));
    assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
    RUN_UNTIL(f, f->server.closed);
    assert_int_equal(f->server.why, TUNNEL_TIMED_OUT);
    assert_int_equal(f->server.ended, 1);
    close(fd);
    teardown(f);
}

static void test_nobody_listening(void **state)
{
    struct fixture *f = fixture_setup(7, 7);
    char address[32];
    int bound = bound_socket(address, sizeof(address)); /* bound, never listening */
    struct tunnel_config cfg = config(&f->client);
    int rv;

    (void)state;
    rv = tunnel_connect(&cfg, address, &f->client.tn);
    if (rv == 0) {
        RUN_UNTIL(f, f->client.closed);
        assert_int_equal(f->client.why, TUNNEL_UNREACHABLE);
    } else {
        assert_int_equal(rv, -ECONNREFUSED); /* loopback may refuse at once */
        f->client.tn = NULL;
    }
    close(bound);
    teardown(f);
}

static void test_missing_client_key(void **state)
{
    struct fixture *f = fixture_setup(7, 7);

    (void)state;
    f->client.fail_key = true;
    connect_client(f);
    RUN_UNTIL(f, f->client.closed);
    assert_int_equal(f->client.why, TUNNEL_NO_SESSION);
    assert_int_equal(f->client.opened, 0);
    teardown(f);
}

static void test_close_is_quiet(void **state)
{
    struct fixture *f = fixture_setup(7, 7);
    static uint8_t big[TUNNEL_BUF_BYTES];

    (void)state;
    connect_client(f);
    assert_int_equal(tunnel_queue(f->client.tn, big, sizeof(big)), -ENOSPC);
    tunnel_close(f->client.tn);
    tunnel_close(f->client.tn); /* a second close changes nothing */
    RUN_UNTIL(f, f->client.closed);
    assert_int_equal(f->client.ended, 0);
    assert_int_equal(f->client.opened, 0);
    teardown(f);
}

static void test_bad_addresses(void **state)
{
    struct fixture *f = fixture_setup(7, 7);
    struct tunnel_config cfg = config(&f->client);
    struct tunnel *tn = NULL;

    (void)state;
    assert_int_equal(tunnel_listen("127.0.0.1", 4), -EINVAL);
    assert_int_equal(tunnel_listen("127.0.0.1:0", 4), -EINVAL);
    assert_int_equal(tunnel_listen("localhost:3344", 4), -EINVAL);
    assert_int_equal(tunnel_connect(&cfg, "[::1:3344", &tn), -EINVAL);
    assert_int_equal(tunnel_connect(&cfg, "10.0.0.1:65536", &tn), -EINVAL);
    assert_null(tn);
    teardown(f);
}

/* tunnel_listen() gives a listening socket on the address asked for. */
static void test_listen(void **state)
{
    char address[32];
    int probe = bound_socket(address, sizeof(address));
    struct sockaddr_in sin;
    socklen_t len = sizeof(sin);
    int fd, client, accepted;

    (void)state;
    assert_int_equal(getsockname(probe, (struct sockaddr *)&sin, &len), 0);
    close(probe); /* the port is free again for tunnel_listen */
    fd = tunnel_listen(address, 4);
    assert_true(fd >= 0);
    client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_int_equal(connect(client, (struct sockaddr *)&sin, sizeof(sin)), 0);
    accepted = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
    assert_true(accepted >= 0);
    close(accepted);
    close(client);
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bytes_pass_both_ways),
        cmocka_unit_test(test_wrong_key_refused),
        cmocka_unit_test(test_refused_preamble_ends_both),
        cmocka_unit_test(test_silent_peer_times_out),
        cmocka_unit_test(test_nobody_listening),
        cmocka_unit_test(test_missing_client_key),
        cmocka_unit_test(test_close_is_quiet),
        cmocka_unit_test(test_bad_addresses),
        cmocka_unit_test(test_listen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
