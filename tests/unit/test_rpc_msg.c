#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <clusapi_wintypes.h>

#include "common/rpc_msg.h"
#include "common/rpc_proto.h"
#include "common/wire.h"

static uint8_t *take(struct wire_writer *w, size_t *len)
{
    uint8_t *m = wire_writer_take(w, len);

    assert_non_null(m);
    return m;
}

static void test_request_op(void **state)
{
    struct wire_writer w;
    uint32_t op = 0;
    uint8_t *m;
    size_t len;

    wire_writer_init(&w);
    wire_put_str(&w, RPC_F_NAME, "web");
    wire_put_u32(&w, RPC_F_OP, RPC_OP_QUERY);
    m = take(&w, &len);
    assert_int_equal(rpc_request_parse(m, len, &op), 0);
    assert_int_equal(op, RPC_OP_QUERY);
    free(m);
}

static void test_request_without_op_or_malformed(void **state)
{
    const uint8_t truncated[] = {RPC_F_OP, 0, 4, 0, 0, 0, 1, 0};
    struct wire_writer w;
    uint32_t op = 77;
    uint8_t *m;
    size_t len;

    wire_writer_init(&w);
    wire_put_u64(&w, RPC_F_OP, 1); /* wrong width */
    m = take(&w, &len);
    assert_int_equal(rpc_request_parse(m, len, &op), -EBADMSG);
    assert_int_equal(rpc_request_parse(truncated, sizeof(truncated), &op), -EBADMSG);
    assert_int_equal(rpc_request_parse(NULL, 0, &op), -EBADMSG);
    assert_int_equal(op, 77);
    free(m);
}

static void test_reply_failure_carries_reason_not_body(void **state)
{
    const uint8_t body[] = {RPC_F_NAME, 0, 1, 0, 0, 0, 'x'};
    struct wire_writer w;
    struct wire_field f;
    char msg[16];
    uint32_t status;
    uint8_t *m;
    size_t len;

    wire_writer_init(&w);
    rpc_reply_build(&w, 5057, "address already answers", body, sizeof(body));
    m = take(&w, &len);
    assert_int_equal(rpc_reply_parse(m, len, &status, msg, sizeof(msg)), 0);
    assert_int_equal(status, 5057);
    assert_string_equal(msg, "address already"); /* cut to the buffer */
    assert_int_equal(wire_find(m, len, RPC_F_NAME, &f), -ENOENT);
    free(m);
}

static void test_reply_success_carries_body_not_reason(void **state)
{
    const uint8_t body[] = {RPC_F_NAME, 0, 1, 0, 0, 0, 'x'};
    struct wire_writer w;
    struct wire_field f;
    char msg[16] = "stale";
    uint32_t status = 1;
    uint8_t *m;
    size_t len;

    wire_writer_init(&w);
    rpc_reply_build(&w, 0, "ignored", body, sizeof(body));
    m = take(&w, &len);
    assert_int_equal(rpc_reply_parse(m, len, &status, msg, sizeof(msg)), 0);
    assert_int_equal(status, 0);
    assert_string_equal(msg, "");
    assert_int_equal(wire_find(m, len, RPC_F_ERRMSG, &f), -ENOENT);
    assert_int_equal(wire_find(m, len, RPC_F_NAME, &f), 0);
    free(m);
}

/* A change that left is never sent to another node; reads and requests that never left are. */
static void test_resend_only_what_cannot_be_done_twice(void **state)
{
    (void)state;
    /* the node did not answer: a read goes elsewhere, a change that left does not */
    assert_true(rpc_may_resend(RPC_OP_QUERY, ERROR_TIMEOUT, true));
    assert_true(rpc_may_resend(RPC_OP_NODE_INFO, ERROR_CLUSTER_NODE_UNREACHABLE, true));
    assert_true(rpc_may_resend(RPC_OP_WAIT, ERROR_TIMEOUT, true));
    assert_false(rpc_may_resend(RPC_OP_APPLY, ERROR_TIMEOUT, true));
    assert_false(rpc_may_resend(RPC_OP_GROUP_MOVE, ERROR_CLUSTER_NODE_UNREACHABLE, true));
    assert_false(rpc_may_resend(RPC_OP_GROUP_DELETE, ERROR_TIMEOUT, true));
    /* it never left (no connection), or the node refused it: any request goes elsewhere */
    assert_true(rpc_may_resend(RPC_OP_APPLY, ERROR_CLUSTER_NODE_UNREACHABLE, false));
    assert_true(rpc_may_resend(RPC_OP_APPLY, ERROR_TIMEOUT, false));
    assert_true(rpc_may_resend(RPC_OP_APPLY, ERROR_CLUSTER_NODE_NOT_MEMBER, true));
    /* refused by a node in a storage fault: nothing was done */
    assert_true(rpc_may_resend(RPC_OP_GROUP_CREATE, ERROR_DISK_FULL, true));
    assert_true(rpc_may_resend(RPC_OP_APPLY, ERROR_WRITE_PROTECT, true));
    assert_true(rpc_may_resend(RPC_OP_GROUP_MOVE, ERROR_WRITE_FAULT, true));
    /* the node answered: its answer stands */
    assert_false(rpc_may_resend(RPC_OP_QUERY, 0, true));
    assert_false(rpc_may_resend(RPC_OP_QUERY, ERROR_ACCESS_DENIED, true));
    assert_false(rpc_may_resend(RPC_OP_APPLY, ERROR_INVALID_PARAMETER, false));
}

static void test_reply_malformed_untouched(void **state)
{
    const uint8_t no_status[] = {RPC_F_NAME, 0, 1, 0, 0, 0, 'x'};
    char msg[8] = "keep";
    uint32_t status = 9;

    assert_int_equal(rpc_reply_parse(no_status, sizeof(no_status), &status, msg, sizeof(msg)),
                     -EBADMSG);
    assert_int_equal(rpc_reply_parse(no_status, 3, &status, msg, sizeof(msg)), -EBADMSG);
    assert_int_equal(status, 9);
    assert_string_equal(msg, "keep");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_op),
        cmocka_unit_test(test_resend_only_what_cannot_be_done_twice),
        cmocka_unit_test(test_request_without_op_or_malformed),
        cmocka_unit_test(test_reply_failure_carries_reason_not_body),
        cmocka_unit_test(test_reply_success_carries_body_not_reason),
        cmocka_unit_test(test_reply_malformed_untouched),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
