/*
 * fuzz_rpc — the envelopes of management requests (as clussvc reads them) and replies (as
 * libclusapi reads them), and the peer records that CONFIGURE requests and MEMBER_ADD replies
 * carry.
 *
 * Invariants: a request parses only if it is well formed and its op is a u32 field; a reply
 * parses likewise on its status, and building it again from what was read (status, message,
 * the other fields) reads back the same; a peer record that parses writes back to one that
 * parses to the same peer; failures leave the outputs alone.
 */
#include "fuzz.h"

#include <errno.h>

#include "common/rpc_msg.h"
#include "common/rpc_proto.h"
#include "common/wire.h"
#include "daemon/base/node_conf.h"

static void check_request(const uint8_t *data, size_t size)
{
    uint32_t op, want;
    int rv;

    memset(&op, FUZZ_POISON, sizeof(op));
    rv = rpc_request_parse(data, size, &op);
    FUZZ_CHECK(rv == 0 || rv == -EBADMSG);
    if (rv == 0) {
        FUZZ_CHECK(wire_validate(data, size) == 0);
        FUZZ_CHECK(wire_get_u32(data, size, RPC_F_OP, &want) == 0 && op == want);
    } else {
        FUZZ_CHECK(fuzz_untouched(&op, sizeof(op)));
    }
}

/* The reply's fields other than status and message: what a handler would have added. */
static uint8_t *reply_body(const uint8_t *data, size_t size, size_t *ret_len)
{
    struct wire_reader r;
    struct wire_field f;
    struct wire_writer w;

    wire_writer_init(&w);
    wire_reader_init(&r, data, size);
    while (wire_next(&r, &f) > 0)
        if (f.tag != RPC_F_STATUS && f.tag != RPC_F_ERRMSG)
            wire_put_blob(&w, f.tag, f.value, f.len);
    return wire_writer_take(&w, ret_len);
}

static void check_reply(const uint8_t *data, size_t size)
{
    char msg[256], msg2[256];
    uint32_t status, status2;
    struct wire_writer w;
    uint8_t *body, *again;
    size_t body_len, len;
    int rv;

    memset(&status, FUZZ_POISON, sizeof(status));
    memset(msg, FUZZ_POISON, sizeof(msg));
    rv = rpc_reply_parse(data, size, &status, msg, sizeof(msg));
    FUZZ_CHECK(rv == 0 || rv == -EBADMSG);
    if (rv < 0) {
        FUZZ_CHECK(fuzz_untouched(&status, sizeof(status)) && fuzz_untouched(msg, sizeof(msg)));
        return;
    }
    FUZZ_CHECK(memchr(msg, '\0', sizeof(msg)) != NULL);
    body = reply_body(data, size, &body_len);
    FUZZ_CHECK(body != NULL);
    wire_writer_init(&w);
    rpc_reply_build(&w, status, msg, body, body_len);
    again = wire_writer_take(&w, &len);
    FUZZ_CHECK(again != NULL);
    FUZZ_CHECK(rpc_reply_parse(again, len, &status2, msg2, sizeof(msg2)) == 0);
    FUZZ_CHECK(status2 == status);
    FUZZ_CHECK(strcmp(msg2, status != 0 ? msg : "") == 0);
    free(again);
    free(body);
}

static int peers_equal(const struct node_peer *a, const struct node_peer *b)
{
    return a->id == b->id && strcmp(a->name, b->name) == 0 &&
           strcmp(a->address, b->address) == 0 && a->port == b->port &&
           a->raft_port == b->raft_port && a->role == b->role;
}

static void check_peers(const uint8_t *data, size_t size)
{
    struct wire_reader r;
    struct wire_field f;
    struct node_peer p, back;
    struct wire_writer w;
    struct wire_field nested;
    uint8_t *buf;
    size_t len;
    int rv;

    wire_reader_init(&r, data, size);
    while (wire_next(&r, &f) > 0) {
        if (f.tag != RPC_F_PEER)
            continue;
        memset(&p, FUZZ_POISON, sizeof(p));
        rv = node_peer_parse(f.value, f.len, &p);
        FUZZ_CHECK(rv == 0 || rv == -EBADMSG);
        if (rv < 0) {
            FUZZ_CHECK(fuzz_untouched(&p, sizeof(p)));
            continue;
        }
        FUZZ_CHECK(p.id != 0 && p.port <= 65535 && p.raft_port <= 65535);
        wire_writer_init(&w);
        node_peer_put(&w, RPC_F_PEER, &p);
        buf = wire_writer_take(&w, &len);
        FUZZ_CHECK(buf != NULL && wire_find(buf, len, RPC_F_PEER, &nested) == 0);
        FUZZ_CHECK(node_peer_parse(nested.value, nested.len, &back) == 0);
        FUZZ_CHECK(peers_equal(&p, &back));
        free(buf);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_request(data, size);
    check_reply(data, size);
    check_peers(data, size);
    return 0;
}
