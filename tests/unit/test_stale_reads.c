/*
 * Reads without quorum, on the library's side. Every read a cluster handle sends accepts a stale
 * answer (RPC_F_STALE in the request); a Win32 read call returns such an answer as it returns
 * any other; the handle records which answers were stale and which node gave them
 * (ClusapiGetReadStaleness); and what the library acts on (the member list PauseClusterNode
 * reads before it pauses) refuses a stale answer with ERROR_CLUSTER_NO_QUORUM, so nothing is
 * changed on the strength of it. A fake node on a socketpair answers from a script. Linked with
 * the library's objects, to hand the handle its channel.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include <clusapi.h>
#include <clusapi_ext.h>

#include "channel/channel.h"
#include "common/rpc_proto.h"
#include "common/wire.h"
#include "lib/lib.h"

#define MAX_ANSWERS 8

/* One scripted answer: node n1's row, in state, stale or not. */
struct answer {
    bool stale;
    int32_t state;
};

struct fake_node {
    int fd;
    struct channel_key key;
    const struct answer *script;
    size_t n_script;
    size_t served;                   /* requests answered */
    uint32_t ops[MAX_ANSWERS];       /* what each asked */
    uint32_t stale_ok[MAX_ANSWERS];  /* its RPC_F_STALE (0 if absent) */
};

static int lookup(void *arg, const char *identity, struct channel_key *ret)
{
    struct fake_node *f = arg;

    if (strcmp(identity, f->key.identity) != 0)
        return -1;
    *ret = f->key;
    return 0;
}

static void *reply_of(const struct answer *a, size_t *ret_len)
{
    struct wire_writer w;
    size_t mark;

    wire_writer_init(&w);
    wire_put_u32(&w, RPC_F_STATUS, 0);
    if (a->stale) {
        wire_put_u32(&w, RPC_F_STALE, 1);
        wire_put_str(&w, RPC_F_NODE_NAME, "n2");
    }
    mark = wire_begin(&w, RPC_F_ITEM);
    wire_put_u64(&w, RPC_F_NODE_ID, 1);
    wire_put_str(&w, RPC_F_NAME, "n1");
    wire_put_u32(&w, RPC_F_STATE, (uint32_t)a->state);
    wire_end(&w, mark);
    return wire_writer_take(&w, ret_len);
}

/* Answers the script, one request each, on one session. */
static void *fake_node_main(void *p)
{
    struct fake_node *f = p;
    struct channel *ch;

    if (channel_accept(f->fd, lookup, f, 2000, &ch) < 0)
        return NULL;
    while (f->served < f->n_script) {
        void *req, *reply;
        size_t len;

        if (channel_recv(ch, 5000, &req, &len) < 0)
            break;
        wire_get_u32(req, len, RPC_F_OP, &f->ops[f->served]);
        wire_get_u32(req, len, RPC_F_STALE, &f->stale_ok[f->served]);
        free(req);
        reply = reply_of(&f->script[f->served++], &len);
        channel_send(ch, reply, len);
        free(reply);
    }
    channel_close(ch);
    return NULL;
}

/* A registered cluster handle whose connection is the fake node's session. */
static struct cluster_handle *connect_fake(struct fake_node *f, pthread_t *ret_thread)
{
    struct cluster_handle *c = calloc(1, sizeof(*c));
    int sv[2];

    assert_non_null(c);
    assert_int_equal(channel_key_random("stale-test", &f->key), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    f->fd = sv[0];
    assert_int_equal(pthread_create(ret_thread, NULL, fake_node_main, f), 0);
    c->h.type = HANDLE_CLUSTER;
    pthread_mutex_init(&c->mu, NULL);
    rpc_conn_init(&c->conn, "fake", 1);
    assert_int_equal(channel_accept_client_fd(sv[1], &f->key, 2000, &c->conn.ch), 0);
    assert_true(handle_register(&c->h));
    return c;
}

static void assert_staleness(HCLUSTER h, BOOL want_last, DWORD want_count, const char *want_node)
{
    WCHAR node[16];
    DWORD cch = 16, count = 99;
    BOOL last = 99;
    char got[16];

    assert_int_equal(ClusapiGetReadStaleness(h, &last, &count, node, &cch), ERROR_SUCCESS);
    assert_int_equal(last, want_last);
    assert_int_equal(count, want_count);
    assert_int_equal(cch, strlen(want_node));
    for (size_t i = 0; i <= cch; i++)
        got[i] = (char)node[i];
    assert_string_equal(got, want_node);
}

static void test_stale_answers_are_returned_and_recorded(void **state)
{
    static const struct answer script[] = {
        {.stale = true, .state = ClusterNodeUp},
        {.stale = false, .state = ClusterNodeDown},
        {.stale = true, .state = ClusterNodeUp}, /* the member list PauseClusterNode reads */
    };
    struct fake_node f = {.script = script, .n_script = 3};
    pthread_t t;
    struct cluster_handle *c = connect_fake(&f, &t);
    HCLUSTER h = (HCLUSTER)c;
    HNODE n1 = (HNODE)object_new(c, HANDLE_NODE, "n1");

    (void)state;
    assert_non_null(n1);
    assert_staleness(h, FALSE, 0, "");
    assert_int_equal(GetClusterNodeState(n1), ClusterNodeUp);
    assert_staleness(h, TRUE, 1, "n2");
    assert_int_equal(GetClusterNodeState(n1), ClusterNodeDown);
    assert_staleness(h, FALSE, 1, "n2");
    /* no pause is sent on a stale member list: the script has no answer for one */
    assert_int_equal(PauseClusterNode(n1), ERROR_CLUSTER_NO_QUORUM);
    assert_int_equal(GetLastError(), ERROR_CLUSTER_NO_QUORUM);
    assert_non_null(strstr(ClusapiLastErrorText(), "n2 has no quorum"));
    assert_staleness(h, TRUE, 2, "n2");
    assert_true(CloseCluster(h));
    pthread_join(t, NULL);
    assert_int_equal(f.served, 3);
    for (size_t i = 0; i < f.served; i++) {
        assert_int_equal(f.ops[i], RPC_OP_QUERY);
        assert_int_equal(f.stale_ok[i], 1);
    }
}

static void test_arguments(void **state)
{
    static const struct answer script[] = {{.stale = true, .state = ClusterNodeUp}};
    struct fake_node f = {.script = script, .n_script = 1};
    pthread_t t;
    struct cluster_handle *c = connect_fake(&f, &t);
    HNODE n1 = (HNODE)object_new(c, HANDLE_NODE, "n1");
    WCHAR node[2];
    DWORD cch = 2;
    BOOL last;

    (void)state;
    assert_int_equal(GetClusterNodeState(n1), ClusterNodeUp);
    /* the counts are optional; the name follows the usual buffer rule */
    assert_int_equal(ClusapiGetReadStaleness((HCLUSTER)c, &last, NULL, NULL, NULL), 0);
    assert_true(last);
    assert_int_equal(ClusapiGetReadStaleness((HCLUSTER)c, &last, NULL, node, &cch),
                     ERROR_MORE_DATA);
    assert_int_equal(cch, 2);
    assert_int_equal(ClusapiGetReadStaleness((HCLUSTER)c, NULL, NULL, NULL, NULL),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(ClusapiGetReadStaleness((HCLUSTER)n1, &last, NULL, NULL, NULL),
                     ERROR_INVALID_HANDLE);
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_true(CloseCluster((HCLUSTER)c));
    pthread_join(t, NULL);
    assert_int_equal(ClusapiGetReadStaleness((HCLUSTER)c, &last, NULL, NULL, NULL),
                     ERROR_INVALID_HANDLE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stale_answers_are_returned_and_recorded),
        cmocka_unit_test(test_arguments),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
