/*
 * Who may ask for which database command: the configuration allowlist of RPC_OP_APPLY and the
 * reports a member may make about itself (RPC_OP_MEMBER_REPORT). Also what the builders write:
 * every field at the width cdb_cmd_field() gives it, which is what cdb_apply() reads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"

#define ME 2
#define OTHER 3

/* One encoded command; free() it. */
struct cmd {
    uint8_t *bytes;
    size_t len;
};

static struct cmd take(struct wire_writer *w)
{
    struct cmd c;

    assert_false(wire_writer_failed(w));
    c.bytes = wire_writer_take(w, &c.len);
    assert_non_null(c.bytes);
    return c;
}

/* Each command code once, with plausible fields. */
static struct cmd build(uint32_t code)
{
    static const struct cdb_kv props[] = {{"Address", "10.0.0.50"}};
    static const uint64_t ids[] = {1, 2};
    static const char *const or_clause[] = {"ip1", "ip2"};
    static const char *const and_clause[] = {"disk"};
    static const char *const *const clauses[] = {or_clause, and_clause};
    static const size_t n_providers[] = {2, 1};
    static const struct prop common[] = {
        {"RestartAction", PROP_SYNTAX_DWORD, "1"},
        {"Description", PROP_SYNTAX_SZ, NULL},
    };
    struct wire_writer w;
    size_t mark;

    wire_writer_init(&w);
    switch (code) {
    case CDB_CMD_SET_PROP: cdb_cmd_set_prop(&w, "SameSubnetDelay", "500"); break;
    case CDB_CMD_ADD_NODE: cdb_cmd_add_node(&w, 4, "n4", "10.0.0.4", 3343, 3344, 0); break;
    case CDB_CMD_REMOVE_NODE: cdb_cmd_remove_node(&w, OTHER); break;
    case CDB_CMD_SET_NODE_STATE: cdb_cmd_set_node_state(&w, OTHER, ClusterNodeDown); break;
    case CDB_CMD_SET_NODE_ROLE: cdb_cmd_set_node_role(&w, OTHER, 1); break;
    case CDB_CMD_ADD_RESTYPE: cdb_cmd_add_restype(&w, "IP Address", "ipaddr"); break;
    case CDB_CMD_ADD_GROUP: cdb_cmd_add_group(&w, "web", false); break;
    case CDB_CMD_DELETE_GROUP: cdb_cmd_delete_group(&w, "web"); break;
    case CDB_CMD_SET_GROUP_STATE:
        cdb_cmd_set_group_state(&w, "web", ClusterGroupOnline, OTHER);
        break;
    case CDB_CMD_ADD_RESOURCE: cdb_cmd_add_resource(&w, "ip", "IP Address", "web", props, 1); break;
    case CDB_CMD_DELETE_RESOURCE: cdb_cmd_delete_resource(&w, "ip"); break;
    case CDB_CMD_SET_RESOURCE_STATE:
        cdb_cmd_set_resource_state(&w, "ip", ClusterResourceOnline, OTHER);
        break;
    case CDB_CMD_ADD_DEPENDENCY: cdb_cmd_add_dependency(&w, "name", "ip"); break;
    case CDB_CMD_SET_PREFERRED: cdb_cmd_set_preferred(&w, "web", ids, 2); break;
    case CDB_CMD_BATCH:
        cdb_cmd_batch(&w);
        mark = cdb_cmd_batch_sub_begin(&w);
        cdb_cmd_add_group(&w, "web", false);
        cdb_cmd_batch_sub_end(&w, mark);
        break;
    case CDB_CMD_RELEASE_RESOURCE: cdb_cmd_release_resource(&w, "ip", OTHER); break;
    case CDB_CMD_SYNC: cdb_cmd_sync(&w); break;
    case CDB_CMD_CONFIRM_NODE: cdb_cmd_confirm_node(&w, OTHER, 0); break;
    case CDB_CMD_EXPECT_NODE: cdb_cmd_expect_node(&w, OTHER, 7); break;
    case CDB_CMD_DELETE_RESTYPE: cdb_cmd_delete_restype(&w, "IP Address"); break;
    case CDB_CMD_SET_DEPENDENCIES:
        cdb_cmd_set_dependencies(&w, "name", clauses, n_providers, 2);
        break;
    case CDB_CMD_SET_RESOURCE_PROPS: cdb_cmd_set_resource_props(&w, "ip", true, common, 2); break;
    case CDB_CMD_SET_GROUP_PROPS: cdb_cmd_set_group_props(&w, "web", common + 1, 1); break;
    case CDB_CMD_SET_EXCLUDED: cdb_cmd_set_excluded(&w, "ip", ids, 2); break;
    case CDB_CMD_FAIL_RESOURCE: cdb_cmd_fail_resource(&w, "ip"); break;
    case CDB_CMD_MOVE_RESOURCE: cdb_cmd_move_resource(&w, "ip", "web"); break;
    case CDB_CMD_COUNT_FAILOVER: cdb_cmd_count_failover(&w, "web", 2, 1796598027000); break;
    case CDB_CMD_SET_NODE_WEIGHT: cdb_cmd_set_node_weight(&w, OTHER, 0); break;
    case CDB_CMD_SET_NODE_LEFT: cdb_cmd_set_node_left(&w, OTHER, true, 3); break;
    case CDB_CMD_CLEAR_QUARANTINE: cdb_cmd_clear_quarantine(&w, OTHER); break;
    case CDB_CMD_SET_NODE_STORAGE: cdb_cmd_set_node_storage(&w, OTHER, "full"); break;
    default: fail();
    }
    return take(&w);
}

static bool configuration(struct cmd c)
{
    bool yes = cdb_cmd_is_configuration(c.bytes, c.len);

    free(c.bytes);
    return yes;
}

static bool self_report(struct cmd c, uint64_t sender)
{
    bool yes = cdb_cmd_is_self_report(c.bytes, c.len, sender);

    free(c.bytes);
    return yes;
}

/* A BATCH holding the given commands (codes built as in build()). */
static struct cmd batch_of(const uint32_t *codes, size_t n)
{
    struct wire_writer w;

    wire_writer_init(&w);
    cdb_cmd_batch(&w);
    for (size_t i = 0; i < n; i++) {
        struct cmd sub = build(codes[i]);

        cdb_cmd_batch_add(&w, sub.bytes, sub.len);
        free(sub.bytes);
    }
    return take(&w);
}

static void test_configuration_codes(void **state)
{
    (void)state;
    for (uint32_t code = 1; code <= CDB_CMD_MAX; code++) {
        bool want = code == CDB_CMD_SET_PROP || code == CDB_CMD_ADD_NODE ||
                    code == CDB_CMD_ADD_RESTYPE || code == CDB_CMD_ADD_GROUP ||
                    code == CDB_CMD_ADD_RESOURCE || code == CDB_CMD_ADD_DEPENDENCY ||
                    code == CDB_CMD_SET_PREFERRED || code == CDB_CMD_DELETE_GROUP ||
                    code == CDB_CMD_DELETE_RESOURCE || code == CDB_CMD_BATCH ||
                    code == CDB_CMD_DELETE_RESTYPE || code == CDB_CMD_SET_DEPENDENCIES ||
                    code == CDB_CMD_SET_RESOURCE_PROPS || code == CDB_CMD_SET_GROUP_PROPS ||
                    code == CDB_CMD_SET_EXCLUDED || code == CDB_CMD_MOVE_RESOURCE ||
                    code == CDB_CMD_SET_NODE_WEIGHT;

        if (configuration(build(code)) != want)
            fail_msg("%s: want %s", cdb_cmd_name(code), want ? "configuration" : "refused");
    }
}

static void test_configuration_batches(void **state)
{
    static const uint32_t setup[] = {CDB_CMD_ADD_NODE, CDB_CMD_ADD_RESTYPE, CDB_CMD_ADD_GROUP,
                                     CDB_CMD_ADD_RESOURCE, CDB_CMD_ADD_DEPENDENCY,
                                     CDB_CMD_SET_PROP};
    static const uint32_t status_last[] = {CDB_CMD_ADD_GROUP, CDB_CMD_SET_PROP,
                                           CDB_CMD_SET_NODE_STATE};
    static const uint32_t nested[] = {CDB_CMD_ADD_GROUP, CDB_CMD_BATCH};
    static const uint32_t expect_first[] = {CDB_CMD_EXPECT_NODE, CDB_CMD_ADD_GROUP};

    (void)state;
    assert_true(configuration(batch_of(setup, 6)));
    assert_false(configuration(batch_of(status_last, 3)));
    assert_false(configuration(batch_of(nested, 2))); /* no BATCH inside a BATCH */
    assert_false(configuration(batch_of(expect_first, 2)));
    assert_false(configuration(batch_of(NULL, 0))); /* nothing to configure */
    for (uint32_t code = 1; code <= CDB_CMD_MAX; code++) {
        if (code == CDB_CMD_BATCH)
            continue;
        /* a status command is refused wherever it hides in a batch */
        if (configuration(batch_of(&code, 1)) != configuration(build(code)))
            fail_msg("BATCH of %s", cdb_cmd_name(code));
    }
}

static void test_configuration_malformed(void **state)
{
    struct wire_writer w;
    struct cmd c;
    size_t mark;

    (void)state;
    assert_false(cdb_cmd_is_configuration(NULL, 0));
    c = build(CDB_CMD_ADD_GROUP);
    assert_false(cdb_cmd_is_configuration(c.bytes, c.len - 1)); /* truncated */
    assert_false(cdb_cmd_is_configuration(c.bytes, 0));
    free(c.bytes);
    wire_writer_init(&w);
    wire_put_u32(&w, CDB_TAG_CODE, CDB_CMD_MAX + 1);
    assert_false(configuration(take(&w))); /* unknown */
    wire_writer_init(&w);
    wire_put_str(&w, CDB_TAG_NAME, "web");
    assert_false(configuration(take(&w))); /* no code */
    wire_writer_init(&w);
    wire_put_u64(&w, CDB_TAG_CODE, CDB_CMD_ADD_GROUP);
    assert_false(configuration(take(&w))); /* code of the wrong width */
    /* a batch whose sub-command is not a message */
    wire_writer_init(&w);
    cdb_cmd_batch(&w);
    mark = cdb_cmd_batch_sub_begin(&w);
    wire_put_u32(&w, CDB_TAG_CODE, CDB_CMD_ADD_GROUP);
    cdb_cmd_batch_sub_end(&w, mark);
    wire_put_blob(&w, CDB_TAG_CMD, "\x01", 1);
    assert_false(configuration(take(&w)));
}

/* What the group manager, health and the service send for themselves, built as they do. */
static struct cmd resource_report(int32_t state, uint64_t owner, uint64_t expect, bool handoff)
{
    struct wire_writer w;

    wire_writer_init(&w);
    cdb_cmd_set_resource_state(&w, "ip", state, owner);
    if (expect != 0)
        cdb_cmd_expect_owner(&w, expect);
    if (handoff)
        cdb_cmd_hand_over(&w);
    return take(&w);
}

static struct cmd group_report(int32_t state, uint64_t owner, uint64_t expect)
{
    struct wire_writer w;

    wire_writer_init(&w);
    cdb_cmd_set_group_state(&w, "web", state, owner);
    if (expect != 0)
        cdb_cmd_expect_owner(&w, expect);
    return take(&w);
}

static struct cmd node_report(uint32_t code, uint64_t id, int32_t state)
{
    struct wire_writer w;

    wire_writer_init(&w);
    if (code == CDB_CMD_SET_NODE_STATE)
        cdb_cmd_set_node_state(&w, id, state);
    else if (code == CDB_CMD_SET_NODE_LEFT)
        cdb_cmd_set_node_left(&w, id, state != 0, 0);
    else if (code == CDB_CMD_CONFIRM_NODE)
        cdb_cmd_confirm_node(&w, id, 0);
    else if (code == CDB_CMD_SET_NODE_STORAGE)
        cdb_cmd_set_node_storage(&w, id, state != 0 ? "read-only" : "");
    else
        cdb_cmd_release_resource(&w, "ip", id);
    return take(&w);
}

static void test_reports_a_member_sends(void **state)
{
    (void)state;
    assert_true(self_report(resource_report(ClusterResourceOnline, ME, ME, false), ME));
    assert_true(self_report(resource_report(ClusterResourceFailed, ME, ME, false), ME));
    assert_true(self_report(resource_report(ClusterResourceOffline, 0, ME, false), ME));
    assert_true(self_report(group_report(ClusterGroupOnline, ME, ME), ME));
    assert_true(self_report(group_report(ClusterGroupFailed, ME, ME), ME));
    assert_true(self_report(group_report(ClusterGroupOffline, 0, ME), ME));
    assert_true(self_report(node_report(CDB_CMD_RELEASE_RESOURCE, ME, 0), ME));
    assert_true(self_report(node_report(CDB_CMD_SET_NODE_STATE, ME, ClusterNodeUp), ME));
    assert_true(self_report(node_report(CDB_CMD_CONFIRM_NODE, ME, 0), ME));
    assert_true(self_report(node_report(CDB_CMD_SET_NODE_LEFT, ME, 1), ME));
    assert_true(self_report(node_report(CDB_CMD_SET_NODE_STORAGE, ME, 1), ME));
    assert_true(self_report(node_report(CDB_CMD_SET_NODE_STORAGE, ME, 0), ME));
    assert_true(self_report(build(CDB_CMD_SYNC), ME));
}

static void test_forged_reports(void **state)
{
    static const uint32_t reports[] = {CDB_CMD_SYNC};

    (void)state;
    /* about objects the sender does not own, or unconditional */
    assert_false(self_report(resource_report(ClusterResourceOnline, OTHER, OTHER, false), ME));
    assert_false(self_report(resource_report(ClusterResourceOnline, ME, OTHER, false), ME));
    assert_false(self_report(resource_report(ClusterResourceOnline, OTHER, ME, false), ME));
    assert_false(self_report(resource_report(ClusterResourceOnline, ME, 0, false), ME));
    assert_false(self_report(resource_report(ClusterResourceOnlinePending, ME, ME, true), ME));
    assert_false(self_report(group_report(ClusterGroupOnline, OTHER, ME), ME));
    assert_false(self_report(group_report(ClusterGroupOnline, ME, OTHER), ME));
    assert_false(self_report(group_report(ClusterGroupOnline, ME, 0), ME));
    /* about other nodes, or not Up */
    assert_false(self_report(node_report(CDB_CMD_RELEASE_RESOURCE, OTHER, 0), ME));
    assert_false(self_report(node_report(CDB_CMD_SET_NODE_STATE, OTHER, ClusterNodeUp), ME));
    assert_false(self_report(node_report(CDB_CMD_SET_NODE_STATE, ME, ClusterNodeDown), ME));
    assert_false(self_report(node_report(CDB_CMD_SET_NODE_STATE, ME, ClusterNodePaused), ME));
    assert_false(self_report(node_report(CDB_CMD_CONFIRM_NODE, OTHER, 0), ME));
    assert_false(self_report(node_report(CDB_CMD_SET_NODE_LEFT, OTHER, 1), ME));
    assert_false(self_report(node_report(CDB_CMD_SET_NODE_STORAGE, OTHER, 1), ME));
    assert_false(self_report(node_report(CDB_CMD_SET_NODE_LEFT, ME, 0), ME)); /* the leader's */
    /* no node, no batch (not even of reports), nothing malformed */
    assert_false(self_report(build(CDB_CMD_SYNC), 0));
    assert_false(self_report(batch_of(reports, 1), ME));
    assert_false(cdb_cmd_is_self_report(NULL, 0, ME));
}

static void test_nothing_else_is_a_report(void **state)
{
    (void)state;
    for (uint32_t code = 1; code <= CDB_CMD_MAX; code++) {
        if (code == CDB_CMD_SYNC)
            continue;
        /* build() aims every node- or owner-bearing command at OTHER, never at ME */
        if (self_report(build(code), ME))
            fail_msg("%s passed as a report of node %d", cdb_cmd_name(code), ME);
        if (self_report(build(code), OTHER) &&
            code != CDB_CMD_RELEASE_RESOURCE && code != CDB_CMD_CONFIRM_NODE &&
            code != CDB_CMD_SET_NODE_LEFT && code != CDB_CMD_SET_NODE_STORAGE)
            fail_msg("%s passed as a report of node %d", cdb_cmd_name(code), OTHER);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* The fields the builders write                                                               */
/* ------------------------------------------------------------------------------------------ */

/* Every field of a message (and of the messages nested in it) is one cdb_cmd_field() knows, each
 * integer at its width. */
static void check_fields(const uint8_t *data, size_t len, bool top)
{
    struct wire_reader r;
    struct wire_field f;
    uint32_t code = 0;
    bool nested_clauses;
    int rv;

    wire_get_u32(data, len, CDB_TAG_CODE, &code);
    nested_clauses = top && code == CDB_CMD_SET_DEPENDENCIES;

    wire_reader_init(&r, data, len);
    while ((rv = wire_next(&r, &f)) > 0) {
        const struct cdb_field *fd = cdb_cmd_field(f.tag);

        assert_non_null(fd);
        if (f.tag == CDB_TAG_CLAUSE && nested_clauses) {
            check_fields(f.value, f.len, false); /* SET_DEPENDENCIES: a nested list */
            continue;
        }
        if (fd->width != 0)
            assert_int_equal(f.len, fd->width);
        if (f.tag == CDB_TAG_PROP || f.tag == CDB_TAG_CMD)
            check_fields(f.value, f.len, f.tag == CDB_TAG_CMD);
    }
    assert_int_equal(rv, 0);
}

static void test_builders_write_fields_at_their_width(void **state)
{
    (void)state;
    for (uint32_t code = 1; code <= CDB_CMD_MAX; code++) {
        struct cmd c = build(code);

        check_fields(c.bytes, c.len, true);
        free(c.bytes);
    }
    assert_null(cdb_cmd_field(0));
    assert_null(cdb_cmd_field(CDB_TAG_LEFT + 1));
    assert_int_equal(cdb_cmd_field(CDB_TAG_SINCE)->width, 8);
    assert_true(cdb_cmd_field(CDB_TAG_SINCE)->is_signed);
    assert_int_equal(cdb_cmd_field(CDB_TAG_CLAUSE)->width, 4);
    assert_int_equal(cdb_cmd_field(CDB_TAG_SYNTAX)->width, 4);
    assert_string_equal(cdb_cmd_field(CDB_TAG_RAFT_PORT)->name, "raft_port");
    assert_true(cdb_cmd_field(CDB_TAG_STATE)->is_signed);
}

/* The builders' bytes, written out by hand: signed states as i64, the rest as their u32 or u64. */
static void test_builders_bytes(void **state)
{
    struct wire_writer built, by_hand;
    struct cmd b, h;

    (void)state;
    wire_writer_init(&built);
    cdb_cmd_add_node(&built, 9, "n9", "10.0.0.9", 3343, 3344, 2);
    cdb_cmd_set_node_state(&built, 7, -1);
    cdb_cmd_expect_node(&built, 7, UINT64_MAX);
    cdb_cmd_add_group(&built, "g", true);
    cdb_cmd_set_resource_state(&built, "r", ClusterResourceOnlinePending, 3);
    cdb_cmd_expect_owner(&built, 3);
    cdb_cmd_hand_over(&built);
    cdb_cmd_release_resource(&built, "r", 5);
    b = take(&built);

    wire_writer_init(&by_hand);
    wire_put_u32(&by_hand, CDB_TAG_CODE, CDB_CMD_ADD_NODE);
    wire_put_u64(&by_hand, CDB_TAG_ID, 9);
    wire_put_str(&by_hand, CDB_TAG_NAME, "n9");
    wire_put_str(&by_hand, CDB_TAG_ADDRESS, "10.0.0.9");
    wire_put_u32(&by_hand, CDB_TAG_PORT, 3343);
    wire_put_u32(&by_hand, CDB_TAG_RAFT_PORT, 3344);
    wire_put_u32(&by_hand, CDB_TAG_ROLE, 2);
    wire_put_u32(&by_hand, CDB_TAG_CODE, CDB_CMD_SET_NODE_STATE);
    wire_put_u64(&by_hand, CDB_TAG_ID, 7);
    wire_put_i64(&by_hand, CDB_TAG_STATE, -1);
    wire_put_u32(&by_hand, CDB_TAG_CODE, CDB_CMD_EXPECT_NODE);
    wire_put_u64(&by_hand, CDB_TAG_ID, 7);
    wire_put_u64(&by_hand, CDB_TAG_INCARNATION, UINT64_MAX);
    wire_put_u32(&by_hand, CDB_TAG_CODE, CDB_CMD_ADD_GROUP);
    wire_put_str(&by_hand, CDB_TAG_NAME, "g");
    wire_put_u32(&by_hand, CDB_TAG_CORE, 1);
    wire_put_u32(&by_hand, CDB_TAG_CODE, CDB_CMD_SET_RESOURCE_STATE);
    wire_put_str(&by_hand, CDB_TAG_NAME, "r");
    wire_put_i64(&by_hand, CDB_TAG_STATE, ClusterResourceOnlinePending);
    wire_put_u64(&by_hand, CDB_TAG_OWNER, 3);
    wire_put_u64(&by_hand, CDB_TAG_EXPECT_OWNER, 3);
    wire_put_u32(&by_hand, CDB_TAG_HANDOFF, 1);
    wire_put_u32(&by_hand, CDB_TAG_CODE, CDB_CMD_RELEASE_RESOURCE);
    wire_put_str(&by_hand, CDB_TAG_NAME, "r");
    wire_put_u64(&by_hand, CDB_TAG_NODE, 5);
    h = take(&by_hand);

    assert_int_equal(b.len, h.len);
    assert_memory_equal(b.bytes, h.bytes, h.len);
    free(b.bytes);
    free(h.bytes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_configuration_codes),
        cmocka_unit_test(test_configuration_batches),
        cmocka_unit_test(test_configuration_malformed),
        cmocka_unit_test(test_reports_a_member_sends),
        cmocka_unit_test(test_forged_reports),
        cmocka_unit_test(test_nothing_else_is_a_report),
        cmocka_unit_test(test_builders_write_fields_at_their_width),
        cmocka_unit_test(test_builders_bytes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
