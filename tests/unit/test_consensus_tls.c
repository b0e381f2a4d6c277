/* The raft TLS transport on loopback, with this test playing raft: bytes pass through both ways
 * intact, and the peer's id is the one it proved; a wrong credential, a non-member and a retired
 * credential are refused or cut off; closing the transport cancels what is pending. Each test
 * runs its own loop and closes everything it opened. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "daemon/consensus/consensus_tls.h"

#define CLUSTER "0b7c5f3e-6a1d-4c2b-9e8f-7a6b5c4d3e2f"
#define PAYLOAD (256 * 1024) /* many TLS records, more than a socket buffer */
#define TIMEOUT_MS 5000

struct side {
    struct raft_uv_transport t;
    struct cred_ring ring;
    bool members_ok;
    char address[32];
};

struct fixture {
    uv_loop_t loop;
    uv_timer_t deadline;
    struct side a, b; /* a connects to b */
    struct raft_uv_connect req;
    int connect_status;
    bool connected;
    uv_stream_t *client, *server;
    uint64_t accepted_id;
    char accepted_address[64];
    uint8_t *sent, *got;
    size_t got_len;
    bool client_eof;
    int closed;
};

static struct cred make(uint8_t fill)
{
    uint8_t bytes[CHANNEL_KEY_BYTES];
    struct cred c;

    memset(bytes, fill, sizeof(bytes));
    assert_int_equal(cred_make(CLUSTER, bytes, &c), 0);
    return c;
}

static bool is_member(void *arg, uint64_t id)
{
    struct side *s = arg;

    return s->members_ok && (id == 1 || id == 2);
}

static void deadline_cb(uv_timer_t *t)
{
    (void)t;
    fail_msg("the test did not finish in time");
}

static void accept_cb(struct raft_uv_transport *t, raft_id id, const char *address,
                      uv_stream_t *stream)
{
    struct fixture *f = t->data;

    f->accepted_id = id;
    snprintf(f->accepted_address, sizeof(f->accepted_address), "%s", address);
    f->server = stream;
    stream->data = f;
}

static void connect_cb(struct raft_uv_connect *req, uv_stream_t *stream, int status)
{
    struct fixture *f = req->data;

    f->connected = true;
    f->connect_status = status;
    f->client = stream;
    if (stream != NULL)
        stream->data = f;
}

static void setup_side(struct fixture *f, struct side *s, uint64_t id, int port, uint8_t key)
{
    struct cred c = make(key);

    cred_ring_init(&s->ring, &c);
    s->members_ok = true;
    snprintf(s->address, sizeof(s->address), "127.0.0.1:%d", port);
    assert_int_equal(consensus_tls_init(&s->t, &f->loop, &s->ring, is_member, s), 0);
    s->t.data = f;
    assert_int_equal(s->t.init(&s->t, id, s->address), 0);
}

static int fixture_setup(void **state, uint8_t key_a, uint8_t key_b, bool b_members_ok)
{
    static struct fixture f;
    int port = 20000 + (int)(getpid() % 20000);

    memset(&f, 0, sizeof(f));
    f.connect_status = -1;
    assert_int_equal(uv_loop_init(&f.loop), 0);
    uv_timer_init(&f.loop, &f.deadline);
    uv_timer_start(&f.deadline, deadline_cb, TIMEOUT_MS, 0);
    setup_side(&f, &f.a, 1, port, key_a);
    setup_side(&f, &f.b, 2, port + 1, key_b);
    f.b.members_ok = b_members_ok;
    assert_int_equal(f.b.t.listen(&f.b.t, accept_cb), 0);
    f.req.data = &f;
    assert_int_equal(f.a.t.connect(&f.a.t, &f.req, 2, f.b.address, connect_cb), 0);
    *state = &f;
    return 0;
}

/* Runs the loop until cond holds (the deadline fails the test otherwise). */
#define RUN_UNTIL(f, cond)                                                                        \
    do {                                                                                          \
        while (!(cond))                                                                           \
            uv_run(&(f)->loop, UV_RUN_ONCE);                                                      \
    } while (0)

static void transport_closed(struct raft_uv_transport *t)
{
    struct fixture *f = t->data;

    f->closed++;
}

static void stream_closed(uv_handle_t *h)
{
    raft_free(h); /* as raft does: the transport allocated it with raft_malloc */
}

/* Closes the streams the test holds and both transports, and proves nothing is left open. */
static void teardown(struct fixture *f)
{
    if (f->client != NULL)
        uv_close((uv_handle_t *)f->client, stream_closed);
    if (f->server != NULL)
        uv_close((uv_handle_t *)f->server, stream_closed);
    f->a.t.close(&f->a.t, transport_closed);
    f->b.t.close(&f->b.t, transport_closed);
    RUN_UNTIL(f, f->closed == 2);
    consensus_tls_free(&f->a.t);
    consensus_tls_free(&f->b.t);
    uv_close((uv_handle_t *)&f->deadline, NULL);
    uv_run(&f->loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(&f->loop), 0);
    free(f->sent);
    free(f->got);
}

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    struct fixture *f = h->data;

    (void)suggested;
    *buf = uv_buf_init((char *)f->got + f->got_len, (unsigned)(PAYLOAD - f->got_len));
}

static void server_read_cb(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    struct fixture *f = s->data;

    (void)buf;
    if (n > 0)
        f->got_len += (size_t)n;
}

static void client_read_cb(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    struct fixture *f = s->data;

    (void)buf;
    if (n < 0)
        f->client_eof = true;
}

static void client_alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    static char scratch[256];

    (void)h;
    (void)suggested;
    *buf = uv_buf_init(scratch, sizeof(scratch));
}

static void test_bytes_pass_and_id_is_proved(void **state)
{
    struct fixture *f;
    uv_write_t w;
    uv_buf_t buf;

    fixture_setup(state, 7, 7, true);
    f = *state;
    RUN_UNTIL(f, f->connected && f->server != NULL);
    assert_int_equal(f->connect_status, 0);
    assert_int_equal(f->accepted_id, 1);
    assert_string_equal(f->accepted_address, f->a.address);
    f->sent = malloc(PAYLOAD);
    f->got = malloc(PAYLOAD);
    for (size_t i = 0; i < PAYLOAD; i++)
        f->sent[i] = (uint8_t)(i * 31 + i / 977);
    buf = uv_buf_init((char *)f->sent, PAYLOAD);
    assert_int_equal(uv_write(&w, f->client, &buf, 1, NULL), 0);
    assert_int_equal(uv_read_start(f->server, alloc_cb, server_read_cb), 0);
    RUN_UNTIL(f, f->got_len == PAYLOAD);
    assert_memory_equal(f->got, f->sent, PAYLOAD);
    teardown(f);
}

static void test_wrong_credential_refused(void **state)
{
    struct fixture *f;

    fixture_setup(state, 7, 8, true);
    f = *state;
    RUN_UNTIL(f, f->connected);
    assert_int_not_equal(f->connect_status, 0);
    assert_null(f->client);
    uv_run(&f->loop, UV_RUN_NOWAIT);
    assert_null(f->server); /* raft on b never heard of it */
    teardown(f);
}

static void test_non_member_cut_off(void **state)
{
    struct fixture *f;

    fixture_setup(state, 7, 7, false);
    f = *state;
    RUN_UNTIL(f, f->connected);
    assert_int_equal(f->connect_status, 0); /* the credential is right ... */
    assert_int_equal(uv_read_start(f->client, client_alloc_cb, client_read_cb), 0);
    RUN_UNTIL(f, f->client_eof); /* ... but b closes it after the hello */
    assert_null(f->server);
    teardown(f);
}

static void test_retired_credential_cut_off(void **state)
{
    struct fixture *f;
    struct cred next = make(9);

    fixture_setup(state, 7, 7, true);
    f = *state;
    RUN_UNTIL(f, f->connected && f->server != NULL);
    assert_int_equal(uv_read_start(f->client, client_alloc_cb, client_read_cb), 0);
    /* b takes a whole rotation; a stays a member, so its connection stays open throughout. */
    assert_int_equal(cred_ring_stage(&f->b.ring, &next), 0);
    consensus_tls_revoke(&f->b.t);
    assert_int_equal(cred_ring_switch(&f->b.ring, next.id), 0);
    assert_int_equal(cred_ring_retire(&f->b.ring, next.id), 0);
    consensus_tls_revoke(&f->b.t);
    for (int i = 0; i < 20; i++)
        uv_run(&f->loop, UV_RUN_NOWAIT);
    assert_false(f->client_eof);
    /* a is evicted: now its connection under the retired credential is cut. */
    f->b.members_ok = false;
    consensus_tls_revoke(&f->b.t);
    RUN_UNTIL(f, f->client_eof);
    teardown(f);
}

static void test_close_cancels_pending_connect(void **state)
{
    struct fixture *f;

    fixture_setup(state, 7, 7, true);
    f = *state;
    /* Closing a at once: the connect that has not finished gets RAFT_CANCELED. */
    f->a.t.close(&f->a.t, transport_closed);
    RUN_UNTIL(f, f->connected);
    assert_int_equal(f->connect_status, RAFT_CANCELED);
    RUN_UNTIL(f, f->closed == 1);
    f->b.t.close(&f->b.t, transport_closed);
    RUN_UNTIL(f, f->closed == 2);
    if (f->server != NULL)
        uv_close((uv_handle_t *)f->server, stream_closed);
    consensus_tls_free(&f->a.t);
    consensus_tls_free(&f->b.t);
    uv_close((uv_handle_t *)&f->deadline, NULL);
    uv_run(&f->loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(&f->loop), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bytes_pass_and_id_is_proved),
        cmocka_unit_test(test_wrong_credential_refused),
        cmocka_unit_test(test_non_member_cut_off),
        cmocka_unit_test(test_retired_credential_cut_off),
        cmocka_unit_test(test_close_cancels_pending_connect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
