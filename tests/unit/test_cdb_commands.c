/*
 * test_cdb_commands — the cluster database's commands as a whole: batches (all or nothing),
 * conditional commands (CONFIRM_NODE, EXPECT_NODE), malformed input and command names.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/wire.h"
#include "daemon/cdb/cdb.h"
#include "common/cdb_cmd.h"
#include "cdb_fixture.h"

/* ---------------------------------------------------------------------------------------- */
/* Batches                                                                                  */
/* ---------------------------------------------------------------------------------------- */

static void test_batch(void **state)
{
    struct cdb *db = *state;
    struct wire_writer sub, w;
    struct cdb_group group;
    uint8_t *sub_buf;
    size_t sub_len = 0, mark;

    wire_writer_init(&sub);
    cdb_cmd_add_group(&sub, "G2", false);
    sub_buf = wire_writer_take(&sub, &sub_len);
    assert_non_null(sub_buf);

    wire_writer_init(&w);
    cdb_cmd_batch(&w);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_add_group(&w, "G1", false);
    cdb_cmd_batch_sub_end(&w, mark);
    cdb_cmd_batch_add(&w, sub_buf, sub_len);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_set_group_state(&w, "G1", 0, 1);
    cdb_cmd_batch_sub_end(&w, mark);
    assert_int_equal(apply_w(db, &w), 0);
    free(sub_buf);

    assert_int_equal(cdb_version(db), POPULATE_COMMANDS + 1); /* one log entry, one step */
    assert_int_equal(cdb_group_by_name(db, "G1", &group), 0);
    assert_int_equal(group.state, 0);
    assert_int_equal(group.owner, 1);
    assert_int_equal(cdb_group_by_name(db, "G2", &group), 0);

    /* an empty batch is a valid no-op command */
    assert_int_equal(APPLY(db, cdb_cmd_batch(W)), 0);
    assert_int_equal(cdb_version(db), POPULATE_COMMANDS + 2);
}

/* A node back with a lease confirms: its incarnation counts up, Down becomes Up, Paused stays. */
static void test_confirm_node(void **state)
{
    struct cdb *db = *state;
    struct cdb_node node;

    assert_int_equal(cdb_node_by_id(db, 2, &node), 0);
    assert_int_equal(node.incarnation, 0);
    assert_int_equal(node.state, 1); /* a new node starts Down */
    OK(db, cdb_cmd_confirm_node(W, 2, 0));
    assert_int_equal(cdb_node_by_id(db, 2, &node), 0);
    assert_int_equal(node.incarnation, 1);
    assert_int_equal(node.state, 0);
    OK(db, cdb_cmd_set_node_state(W, 2, 2)); /* paused by the administrator */
    OK(db, cdb_cmd_confirm_node(W, 2, 0));
    assert_int_equal(cdb_node_by_id(db, 2, &node), 0);
    assert_int_equal(node.incarnation, 2);
    assert_int_equal(node.state, 2);
    REJECT(db, 5042, cdb_cmd_confirm_node(W, 9, 0));
    REJECT(db, 87, cdb_cmd_confirm_node(W, 0, 0));
}

/* Dynamic quorum's inputs: NodeWeight, and a graceful leave that counts only in the incarnation
 * it was said in and ends with the node's next confirmation. */
static void test_node_weight_and_leave(void **state)
{
    struct cdb *db = *state;
    struct cdb_node node;

    assert_int_equal(cdb_node_by_id(db, 2, &node), 0);
    assert_int_equal(node.weight, 1);
    assert_false(node.left || node.witness);
    OK(db, cdb_cmd_set_node_weight(W, 2, 0));
    REJECT(db, 87, cdb_cmd_set_node_weight(W, 2, 2));
    REJECT(db, 5042, cdb_cmd_set_node_weight(W, 9, 1));
    OK(db, cdb_cmd_set_node_left(W, 2, true, 0));
    assert_int_equal(cdb_node_by_id(db, 2, &node), 0);
    assert_true(node.left);
    assert_int_equal(node.weight, 0);
    OK(db, cdb_cmd_confirm_node(W, 2, 0)); /* back: incarnation 1, no longer left */
    assert_int_equal(cdb_node_by_id(db, 2, &node), 0);
    assert_false(node.left);
    REJECT(db, 5023, cdb_cmd_set_node_left(W, 2, true, 0)); /* a leave from before: too late */
    assert_int_equal(cdb_node_by_id(db, 2, &node), 0);
    assert_false(node.left);
}

/* quarantined_until of node id */
static int64_t quarantined_until(struct cdb *db, uint64_t id)
{
    struct cdb_node node;

    assert_int_equal(cdb_node_by_id(db, id, &node), 0);
    return node.quarantine.until_ms;
}

/* CONFIRM_NODE with a time counts ungraceful departures: the first lease, a graceful leave and
 * a time-less confirmation are none; the third within an hour quarantines the node for
 * QuarantineDuration; a second node is not quarantined while one of three is (the cap);
 * CLEAR_QUARANTINE ends it; QuarantineThreshold 0 never quarantines. */
static void test_quarantine(void **state)
{
    struct cdb *db = *state;
    const int64_t t0 = 1700000000000;
    struct cdb_node node;

    OK(db, cdb_cmd_confirm_node(W, 2, t0)); /* its first lease: no departure */
    OK(db, cdb_cmd_set_node_left(W, 2, true, 1));
    OK(db, cdb_cmd_confirm_node(W, 2, t0 + 1000)); /* back from a graceful stop */
    OK(db, cdb_cmd_confirm_node(W, 2, 0));         /* undated: not counted */
    assert_int_equal(cdb_node_by_id(db, 2, &node), 0);
    assert_int_equal(node.quarantine.departures, 0);
    OK(db, cdb_cmd_confirm_node(W, 2, t0 + 2000));
    OK(db, cdb_cmd_confirm_node(W, 2, t0 + 3000));
    assert_int_equal(cdb_node_by_id(db, 2, &node), 0);
    assert_int_equal(node.quarantine.departures, 2);
    assert_int_equal(node.quarantine.since_ms, t0 + 2000);
    assert_int_equal(quarantined_until(db, 2), 0);
    OK(db, cdb_cmd_confirm_node(W, 2, t0 + 4000));
    assert_int_equal(quarantined_until(db, 2), t0 + 4000 + 7200 * 1000LL);
    /* node 1: three departures, but one of three nodes is quarantined already */
    for (int k = 0; k < 4; k++)
        OK(db, cdb_cmd_confirm_node(W, 1, t0 + 5000 + k));
    assert_int_equal(quarantined_until(db, 1), 0);
    OK(db, cdb_cmd_clear_quarantine(W, 2));
    assert_int_equal(cdb_node_by_id(db, 2, &node), 0);
    assert_int_equal(node.quarantine.until_ms, 0);
    assert_int_equal(node.quarantine.departures, 0);
    REJECT(db, 5042, cdb_cmd_clear_quarantine(W, 9));
    /* found Down by the leader, then back: one departure, not two */
    OK(db, cdb_cmd_confirm_node(W, 2, t0 + 6000));
    OK(db, cdb_cmd_set_node_state_at(W, 2, 1, t0 + 7000));
    OK(db, cdb_cmd_set_node_state_at(W, 2, 1, t0 + 7100)); /* already Down: no departure */
    OK(db, cdb_cmd_confirm_node(W, 2, t0 + 8000));
    assert_int_equal(cdb_node_by_id(db, 2, &node), 0);
    assert_int_equal(node.quarantine.departures, 2);
    /* found Down, heard again (Up), then confirming: one departure, not two */
    OK(db, cdb_cmd_clear_quarantine(W, 2));
    OK(db, cdb_cmd_set_node_state_at(W, 2, 1, t0 + 9000));
    OK(db, cdb_cmd_set_node_state(W, 2, 0));
    OK(db, cdb_cmd_confirm_node(W, 2, t0 + 9400));
    assert_int_equal(cdb_node_by_id(db, 2, &node), 0);
    assert_int_equal(node.quarantine.departures, 1);
    /* and each time it is found Down after it was heard again, it left again */
    OK(db, cdb_cmd_set_node_state_at(W, 2, 1, t0 + 9600));
    OK(db, cdb_cmd_set_node_state(W, 2, 0));
    OK(db, cdb_cmd_set_node_state_at(W, 2, 1, t0 + 9800));
    assert_int_equal(quarantined_until(db, 2), t0 + 9800 + 7200 * 1000LL);
    OK(db, cdb_cmd_clear_quarantine(W, 2));
    OK(db, cdb_cmd_set_prop(W, "QuarantineThreshold", "0"));
    for (int k = 0; k < 4; k++)
        OK(db, cdb_cmd_confirm_node(W, 2, t0 + 10000 + k));
    assert_int_equal(quarantined_until(db, 2), 0);
}

/* SET_NODE_STORAGE records why a node's state directory cannot take writes, and an empty
 * reason ends it; an unknown node is refused. */
static void test_node_storage(void **state)
{
    struct cdb *db = *state;
    struct cdb_node node;

    OK(db, cdb_cmd_set_node_storage(W, 2, "its state directory has 3 MiB free"));
    assert_int_equal(cdb_node_by_id(db, 2, &node), 0);
    assert_string_equal(node.storage_fault, "its state directory has 3 MiB free");
    assert_int_equal(cdb_node_by_id(db, 1, &node), 0);
    assert_string_equal(node.storage_fault, "");
    OK(db, cdb_cmd_set_node_storage(W, 2, ""));
    assert_int_equal(cdb_node_by_id(db, 2, &node), 0);
    assert_string_equal(node.storage_fault, "");
    REJECT(db, 5042, cdb_cmd_set_node_storage(W, 9, "full"));
}

/* A takeover batch that expects an older incarnation is refused as a whole. */
static void test_expect_node(void **state)
{
    struct cdb *db = *state;
    struct wire_writer w;
    struct cdb_group group;
    size_t mark;

    OK(db, cdb_cmd_expect_node(W, 2, 0));
    OK(db, cdb_cmd_confirm_node(W, 2, 0));
    REJECT(db, 5023, cdb_cmd_expect_node(W, 2, 0));
    REJECT(db, 5042, cdb_cmd_expect_node(W, 9, 0));
    wire_writer_init(&w);
    cdb_cmd_batch(&w);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_expect_node(&w, 2, 0);
    cdb_cmd_batch_sub_end(&w, mark);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_set_group_state(&w, "Cluster Group", 4, 3);
    cdb_cmd_batch_sub_end(&w, mark);
    assert_int_equal(apply_w(db, &w), 5023);
    assert_int_equal(cdb_group_by_name(db, "Cluster Group", &group), 0);
    assert_int_not_equal(group.owner, 3);
    OK(db, cdb_cmd_expect_node(W, 2, 1));
}

static void test_batch_is_atomic(void **state)
{
    struct cdb *db = *state;
    struct wire_writer w;
    struct cdb_group group;
    struct cdb_node node;
    uint64_t h0 = hash_of(db), v0 = cdb_version(db);
    size_t mark;

    wire_writer_init(&w);
    cdb_cmd_batch(&w);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_add_group(&w, "G1", false);
    cdb_cmd_batch_sub_end(&w, mark);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_add_node(&w, 4, "n4", "10.0.0.4", 3343, 3344, 0);
    cdb_cmd_batch_sub_end(&w, mark);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_set_group_state(&w, "G1", 0, 99); /* unknown owner */
    cdb_cmd_batch_sub_end(&w, mark);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_add_group(&w, "G3", false);
    cdb_cmd_batch_sub_end(&w, mark);
    assert_int_equal(apply_w(db, &w), 5042);

    assert_true(hash_of(db) == h0);
    assert_int_equal(cdb_version(db), v0);
    assert_int_equal(cdb_group_by_name(db, "G1", &group), -ENOENT);
    assert_int_equal(cdb_group_by_name(db, "G3", &group), -ENOENT);
    assert_int_equal(cdb_node_by_id(db, 4, &node), -ENOENT);

    /* the database still works after the rollback, and ids did not advance */
    OK(db, cdb_cmd_add_group(W, "G1", false));
    assert_int_equal(cdb_group_by_name(db, "G1", &group), 0);
    assert_int_equal(group.id, 3);
}

static void test_batch_rejects_nesting_and_garbage(void **state)
{
    struct cdb *db = *state;
    struct wire_writer w;
    size_t outer, inner;
    static const uint8_t junk[] = {1, 0, 9, 0, 0, 0, 1};

    wire_writer_init(&w);
    cdb_cmd_batch(&w);
    outer = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_batch(&w);
    inner = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_add_group(&w, "G1", false);
    cdb_cmd_batch_sub_end(&w, inner);
    cdb_cmd_batch_sub_end(&w, outer);
    REJECT_RAW(db, 87, w.data, w.len);
    wire_writer_done(&w);

    wire_writer_init(&w);
    cdb_cmd_batch(&w);
    outer = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_add_group(&w, "G1", false);
    cdb_cmd_batch_sub_end(&w, outer);
    cdb_cmd_batch_add(&w, junk, sizeof(junk));
    REJECT_RAW(db, 87, w.data, w.len);
    wire_writer_done(&w);
}

/* ---------------------------------------------------------------------------------------- */
/* Malformed commands                                                                       */
/* ---------------------------------------------------------------------------------------- */

static void test_truncated(void **state)
{
    struct cdb *db = *state;
    struct wire_writer w;

    /* every field of these commands is required, so no prefix is a valid command */
    wire_writer_init(&w);
    cdb_cmd_add_node(&w, 9, "n9", "10.0.0.9", 3343, 3344, 1);
    for (size_t len = 0; len < w.len; len++)
        REJECT_RAW(db, 87, w.data, len);
    wire_writer_done(&w);

    wire_writer_init(&w);
    cdb_cmd_set_group_state(&w, "Other", 0, 1);
    for (size_t len = 0; len < w.len; len++)
        REJECT_RAW(db, 87, w.data, len);
    wire_writer_done(&w);
}

static void test_wrong_types(void **state)
{
    struct cdb *db = *state;
    struct wire_writer w;
    static const char nul_name[] = {'a', 0, 'b'};
    static const char bad_utf8[] = {'a', (char)0xc3};

    /* node id as u32 instead of u64 */
    wire_writer_init(&w);
    wire_put_u32(&w, CDB_TAG_CODE, CDB_CMD_REMOVE_NODE);
    wire_put_u32(&w, CDB_TAG_ID, 1);
    REJECT_RAW(db, 87, w.data, w.len);
    wire_writer_done(&w);

    /* state as u32 instead of i64 */
    wire_writer_init(&w);
    wire_put_u32(&w, CDB_TAG_CODE, CDB_CMD_SET_NODE_STATE);
    wire_put_u64(&w, CDB_TAG_ID, 1);
    wire_put_u32(&w, CDB_TAG_STATE, 0);
    REJECT_RAW(db, 87, w.data, w.len);
    wire_writer_done(&w);

    /* code as u64 */
    wire_writer_init(&w);
    wire_put_u64(&w, CDB_TAG_CODE, CDB_CMD_DELETE_GROUP);
    wire_put_str(&w, CDB_TAG_NAME, "Other");
    REJECT_RAW(db, 87, w.data, w.len);
    wire_writer_done(&w);

    /* embedded NUL, invalid UTF-8 */
    wire_writer_init(&w);
    wire_put_u32(&w, CDB_TAG_CODE, CDB_CMD_ADD_GROUP);
    wire_put_blob(&w, CDB_TAG_NAME, nul_name, sizeof(nul_name));
    wire_put_u32(&w, CDB_TAG_CORE, 0);
    REJECT_RAW(db, 87, w.data, w.len);
    wire_writer_done(&w);
    wire_writer_init(&w);
    wire_put_u32(&w, CDB_TAG_CODE, CDB_CMD_ADD_GROUP);
    wire_put_blob(&w, CDB_TAG_NAME, bad_utf8, sizeof(bad_utf8));
    wire_put_u32(&w, CDB_TAG_CORE, 0);
    REJECT_RAW(db, 87, w.data, w.len);
    wire_writer_done(&w);

    /* a preferred node id of the wrong width */
    wire_writer_init(&w);
    wire_put_u32(&w, CDB_TAG_CODE, CDB_CMD_SET_PREFERRED);
    wire_put_str(&w, CDB_TAG_GROUP, "Other");
    wire_put_u32(&w, CDB_TAG_NODE, 1);
    REJECT_RAW(db, 87, w.data, w.len);
    wire_writer_done(&w);

    /* an EXPECT_OWNER of the wrong width is malformed, not a condition on some owner */
    wire_writer_init(&w);
    cdb_cmd_set_group_state(&w, "Other", 1, 0);
    wire_put_u32(&w, CDB_TAG_EXPECT_OWNER, 0);
    REJECT_RAW(db, 87, w.data, w.len);
    wire_writer_done(&w);

    /* a PROP that is not a message */
    wire_writer_init(&w);
    cdb_cmd_add_resource(&w, "ip9", "IP Address", "Other", NULL, 0);
    wire_put_blob(&w, CDB_TAG_PROP, "xyz", 3);
    REJECT_RAW(db, 87, w.data, w.len);
    wire_writer_done(&w);
}

static void test_unknown_and_missing(void **state)
{
    struct cdb *db = *state;
    struct wire_writer w;
    static const uint32_t codes[] = {0, CDB_CMD_MAX + 1, 99, UINT32_MAX};

    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        wire_writer_init(&w);
        wire_put_u32(&w, CDB_TAG_CODE, codes[i]);
        wire_put_str(&w, CDB_TAG_NAME, "Other");
        REJECT_RAW(db, 87, w.data, w.len);
        wire_writer_done(&w);
    }

    /* no code at all */
    wire_writer_init(&w);
    wire_put_str(&w, CDB_TAG_NAME, "Other");
    REJECT_RAW(db, 87, w.data, w.len);
    wire_writer_done(&w);
    REJECT_RAW(db, 87, NULL, 0);

    /* missing required fields (the builders omit NULL strings) */
    REJECT(db, 87, cdb_cmd_delete_group(W, NULL));
    REJECT(db, 87, cdb_cmd_add_group(W, NULL, false));

    /* unknown tags are ignored */
    wire_writer_init(&w);
    cdb_cmd_add_group(&w, "G9", false);
    wire_put_u64(&w, 999, 42);
    assert_int_equal(apply_w(db, &w), 0);
}

/* The rejection names the field or the object and says what is wrong with it. */
static void test_rejections_say_why(void **state)
{
    static const struct {
        const char *why;
        uint32_t status;
    } want[] = {
        {"field 'incarnation' missing", 87},
        {"field 'port': 0 out of range", 87},
        {"field 'state': 9 out of range", 87},
        {"field 'state': -2 out of range", 87},
        {"resource state 5 invalid", 87},
        {"group 'none' not found", 5013},
        {"resource 'none' not found", 5007},
        {"resource type 'none' not found", 5078},
        {"node 9 not found", 5042},
        {"owned by node 0, not 2", 5023},
    };
    struct cdb *db = *state;
    uint32_t got[sizeof(want) / sizeof(want[0])];
    struct wire_writer w;
    size_t i = 0;

    wire_writer_init(&w);
    wire_put_u32(&w, CDB_TAG_CODE, CDB_CMD_EXPECT_NODE);
    wire_put_u64(&w, CDB_TAG_ID, 1);
    got[i++] = apply_w(db, &w);
    assert_string_equal(cdb_errmsg(db), want[0].why);
    got[i++] = APPLY(db, cdb_cmd_add_node(W, 9, "n9", "10.0.0.9", 0, 3344, 1));
    assert_string_equal(cdb_errmsg(db), want[1].why);
    got[i++] = APPLY(db, cdb_cmd_set_group_state(W, "Other", 9, 0));
    assert_string_equal(cdb_errmsg(db), want[2].why);
    got[i++] = APPLY(db, cdb_cmd_set_node_state(W, 1, -2));
    assert_string_equal(cdb_errmsg(db), want[3].why);
    got[i++] = APPLY(db, cdb_cmd_set_resource_state(W, "ip1", 5, 0));
    assert_string_equal(cdb_errmsg(db), want[4].why);
    got[i++] = APPLY(db, cdb_cmd_delete_group(W, "none"));
    assert_string_equal(cdb_errmsg(db), want[5].why);
    got[i++] = APPLY(db, cdb_cmd_delete_resource(W, "none"));
    assert_string_equal(cdb_errmsg(db), want[6].why);
    got[i++] = APPLY(db, cdb_cmd_add_resource(W, "r9", "none", "Other", NULL, 0));
    assert_string_equal(cdb_errmsg(db), want[7].why);
    got[i++] = APPLY(db, cdb_cmd_remove_node(W, 9));
    assert_string_equal(cdb_errmsg(db), want[8].why);
    got[i++] = APPLY(db, {
        cdb_cmd_set_group_state(W, "Other", 2, 2);
        cdb_cmd_expect_owner(W, 2);
    });
    assert_string_equal(cdb_errmsg(db), want[9].why);
    assert_int_equal(i, sizeof(want) / sizeof(want[0]));
    for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        assert_int_equal(got[i], want[i].status);
}

static void test_cmd_names(void **state)
{
    (void)state;
    assert_string_equal(cdb_cmd_name(CDB_CMD_ADD_NODE), "ADD_NODE");
    assert_string_equal(cdb_cmd_name(CDB_CMD_BATCH), "BATCH");
    assert_string_equal(cdb_cmd_name(CDB_CMD_RELEASE_RESOURCE), "RELEASE_RESOURCE");
    assert_string_equal(cdb_cmd_name(CDB_CMD_SYNC), "SYNC");
    assert_string_equal(cdb_cmd_name(CDB_CMD_EXPECT_NODE), "EXPECT_NODE");
    assert_string_equal(cdb_cmd_name(0), "UNKNOWN");
    assert_string_equal(cdb_cmd_name(CDB_CMD_MAX + 1), "UNKNOWN");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_confirm_node, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_node_weight_and_leave, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_expect_node, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_quarantine, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_node_storage, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_batch, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_batch_is_atomic, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_batch_rejects_nesting_and_garbage, setup_populated,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_truncated, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_types, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_and_missing, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_rejections_say_why, setup_populated, teardown),
        cmocka_unit_test(test_cmd_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
