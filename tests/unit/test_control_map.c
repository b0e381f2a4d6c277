/*
 * test_control_map — the pure half of the control calls: property query rows become the
 * properties GET_*_PROPERTIES return (picked by read-only flag, MULTI_SZ values joined), the
 * cluster's property rows get their syntaxes (the quorum ones among the settable), a node's row
 * of the node query becomes its common properties and survives the property-list codec,
 * malformed rows are refused, and the class and required dependencies of the address and name
 * types.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clusapi_wintypes.h"
#include "common/control_map.h"
#include "common/proplist.h"
#include "common/rpc_proto.h"
#include "common/wire.h"

static void row(struct wire_writer *w, const char *name, uint32_t syntax, const char **values,
                size_t n)
{
    size_t mark = wire_begin(w, RPC_F_ITEM);
    wire_put_str(w, RPC_F_NAME, name);
    wire_put_u32(w, RPC_F_SYNTAX, syntax);
    for (size_t i = 0; i < n; i++)
        wire_put_str(w, RPC_F_VALUE, values[i]);
    wire_end(w, mark);
}

static bool ro_is_name(const char *name, void *arg)
{
    (*(int *)arg)++;
    return strcmp(name, "Name") == 0;
}

static void test_rows_to_props(void **state)
{
    (void)state;
    struct wire_writer w;
    wire_writer_init(&w);
    wire_put_u32(&w, RPC_F_STATUS, 0);
    row(&w, "Name", PROP_SYNTAX_SZ, (const char *[]){"web"}, 1);
    row(&w, "RestartAction", PROP_SYNTAX_DWORD, (const char *[]){"2"}, 1);
    row(&w, "Environment", PROP_SYNTAX_MULTI_SZ, (const char *[]){"A=1", "B=2"}, 2);
    row(&w, "Empty", PROP_SYNTAX_MULTI_SZ, NULL, 0);
    size_t len;
    uint8_t *data = wire_writer_take(&w, &len);
    struct prop_set set;
    int calls = 0;

    assert_int_equal(control_props_from_reply(data, len, PICK_ALL, NULL, NULL, &set), 0);
    assert_int_equal(set.n, 4);
    assert_string_equal(set.v[2].value, "A=1\nB=2");
    assert_int_equal(set.v[2].syntax, PROP_SYNTAX_MULTI_SZ);
    assert_string_equal(set.v[3].value, "");
    prop_set_done(&set);

    assert_int_equal(
        control_props_from_reply(data, len, PICK_READ_ONLY, ro_is_name, &calls, &set), 0);
    assert_int_equal(calls, 4);
    assert_int_equal(set.n, 1);
    assert_string_equal(set.v[0].name, "Name");
    assert_string_equal(set.v[0].value, "web");
    prop_set_done(&set);

    assert_int_equal(
        control_props_from_reply(data, len, PICK_WRITABLE, ro_is_name, &calls, &set), 0);
    assert_int_equal(set.n, 3);
    assert_string_equal(set.v[0].name, "RestartAction");
    assert_int_equal(set.v[0].syntax, PROP_SYNTAX_DWORD);
    prop_set_done(&set);
    free(data);
}

static void test_malformed_rows_refused(void **state)
{
    (void)state;
    struct wire_writer w;
    size_t mark, len;
    uint8_t *data;
    struct prop_set set = {(struct prop *)1, 7};

    wire_writer_init(&w);
    mark = wire_begin(&w, RPC_F_ITEM); /* no SYNTAX */
    wire_put_str(&w, RPC_F_NAME, "X");
    wire_end(&w, mark);
    data = wire_writer_take(&w, &len);
    assert_int_equal(control_props_from_reply(data, len, PICK_ALL, NULL, NULL, &set),
                     ERROR_INVALID_DATA);
    assert_null(set.v);
    assert_int_equal(set.n, 0);
    free(data);

    wire_writer_init(&w); /* a MULTI_SZ string holding '\n' cannot be carried */
    row(&w, "M", PROP_SYNTAX_MULTI_SZ, (const char *[]){"a\nb"}, 1);
    data = wire_writer_take(&w, &len);
    assert_int_equal(control_props_from_reply(data, len, PICK_ALL, NULL, NULL, &set),
                     ERROR_INVALID_DATA);
    free(data);
}

static void cluster_row(struct wire_writer *w, const char *name, const char *value)
{
    size_t mark = wire_begin(w, RPC_F_ITEM);
    wire_put_str(w, RPC_F_NAME, name);
    wire_put_str(w, RPC_F_VALUE, value);
    wire_end(w, mark);
}

static void test_cluster_rows(void **state)
{
    (void)state;
    struct wire_writer w;
    size_t len;
    struct prop_set set;
    wire_writer_init(&w);
    cluster_row(&w, "SameSubnetDelay", "1000");
    cluster_row(&w, "Name", "democlus");
    cluster_row(&w, "Huge", "99999999999");
    uint8_t *data = wire_writer_take(&w, &len);

    assert_int_equal(control_cluster_props_from_reply(data, len, PICK_WRITABLE, &set), 0);
    assert_int_equal(set.n, 1);
    assert_string_equal(set.v[0].name, "SameSubnetDelay");
    assert_int_equal(set.v[0].syntax, PROP_SYNTAX_DWORD);
    assert_string_equal(set.v[0].value, "1000");
    prop_set_done(&set);

    assert_int_equal(control_cluster_props_from_reply(data, len, PICK_READ_ONLY, &set), 0);
    assert_int_equal(set.n, 2);
    assert_int_equal(set.v[0].syntax, PROP_SYNTAX_SZ);
    assert_int_equal(set.v[1].syntax, PROP_SYNTAX_SZ); /* past a DWORD: kept as text */
    prop_set_done(&set);
    free(data);
}

/* The quorum properties are settable, WitnessDynamicWeight is not. */
static void test_cluster_quorum_rows(void **state)
{
    (void)state;
    struct wire_writer w;
    size_t len;
    struct prop_set set;
    wire_writer_init(&w);
    cluster_row(&w, "DynamicQuorum", "1");
    cluster_row(&w, "LowerQuorumPriorityNodeId", "0");
    cluster_row(&w, "WitnessDynamicWeight", "0");
    uint8_t *data = wire_writer_take(&w, &len);

    assert_int_equal(control_cluster_props_from_reply(data, len, PICK_WRITABLE, &set), 0);
    assert_int_equal(set.n, 2);
    assert_string_equal(set.v[0].name, "DynamicQuorum");
    assert_int_equal(set.v[0].syntax, PROP_SYNTAX_DWORD);
    assert_string_equal(set.v[1].name, "LowerQuorumPriorityNodeId");
    prop_set_done(&set);
    assert_int_equal(control_cluster_props_from_reply(data, len, PICK_READ_ONLY, &set), 0);
    assert_int_equal(set.n, 1);
    assert_string_equal(set.v[0].name, "WitnessDynamicWeight");
    assert_int_equal(set.v[0].syntax, PROP_SYNTAX_DWORD);
    prop_set_done(&set);
    free(data);
}

/* One row of RPC_QUERY_NODES as svc_query writes it; weight or witness < 0: left out. */
static void node_row(struct wire_writer *w, const char *name, uint32_t role, int weight,
                     int witness)
{
    size_t mark = wire_begin(w, RPC_F_ITEM);
    wire_put_u64(w, RPC_F_NODE_ID, 7);
    wire_put_str(w, RPC_F_NAME, name);
    wire_put_u32(w, RPC_F_STATE, 0);
    wire_put_u32(w, RPC_F_ROLE, role);
    if (witness >= 0)
        wire_put_u32(w, RPC_F_WITNESS, (uint32_t)witness);
    if (weight >= 0)
        wire_put_u32(w, RPC_F_WEIGHT, (uint32_t)weight);
    wire_end(w, mark);
}

static uint8_t *nodes_reply(size_t *len)
{
    struct wire_writer w;
    wire_writer_init(&w);
    wire_put_u32(&w, RPC_F_STATUS, 0);
    node_row(&w, "n1", 1, 1, 0);  /* a voter */
    node_row(&w, "n2", 0, 0, 0);  /* NodeWeight 0, a standby */
    node_row(&w, "w", 1, 1, 1);   /* the witness, voting */
    node_row(&w, "old", 2, -1, -1); /* an older node's row: no weight, no witness */
    {
        size_t mark = wire_begin(&w, RPC_F_ITEM); /* quarantined until then */
        wire_put_str(&w, RPC_F_NAME, "q");
        wire_put_u32(&w, RPC_F_ROLE, 1);
        wire_put_u64(&w, RPC_F_QUARANTINED, 1796598027000);
        wire_end(&w, mark);
    }
    return wire_writer_take(&w, len);
}

static const char *value_of(const struct prop_set *set, const char *name)
{
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->v[i].name, name) == 0)
            return set->v[i].value;
    return NULL;
}

static void test_node_rows(void **state)
{
    (void)state;
    size_t len;
    uint8_t *data = nodes_reply(&len);
    struct prop_set set;

    assert_int_equal(control_node_props_from_reply(data, len, "N2", PICK_WRITABLE, &set), 0);
    assert_int_equal(set.n, 1);
    assert_string_equal(set.v[0].name, "NodeWeight");
    assert_int_equal(set.v[0].syntax, PROP_SYNTAX_DWORD);
    assert_string_equal(set.v[0].value, "0");
    prop_set_done(&set);

    assert_int_equal(control_node_props_from_reply(data, len, "n2", PICK_READ_ONLY, &set), 0);
    assert_int_equal(set.n, 4);
    assert_string_equal(set.v[0].name, "NodeName");
    assert_int_equal(set.v[0].syntax, PROP_SYNTAX_SZ);
    assert_string_equal(set.v[0].value, "n2"); /* the node's own spelling */
    assert_string_equal(value_of(&set, "DynamicWeight"), "0");
    assert_string_equal(value_of(&set, "IsWitness"), "0");
    assert_string_equal(value_of(&set, "StatusInformation"), "0"); /* NodeStatusNormal */
    prop_set_done(&set);

    assert_int_equal(control_node_props_from_reply(data, len, "q", PICK_READ_ONLY, &set), 0);
    assert_string_equal(value_of(&set, "StatusInformation"), "2"); /* NodeStatusQuarantined */
    prop_set_done(&set);

    assert_int_equal(control_node_props_from_reply(data, len, "n1", PICK_ALL, &set), 0);
    assert_int_equal(set.n, 5);
    assert_string_equal(value_of(&set, "NodeWeight"), "1");
    assert_string_equal(value_of(&set, "DynamicWeight"), "1");
    prop_set_done(&set);

    assert_int_equal(control_node_props_from_reply(data, len, "w", PICK_ALL, &set), 0);
    assert_string_equal(value_of(&set, "IsWitness"), "1");
    assert_string_equal(value_of(&set, "DynamicWeight"), "1");
    prop_set_done(&set);

    /* a spare (role 2) does not vote; a row without weight has the default */
    assert_int_equal(control_node_props_from_reply(data, len, "old", PICK_ALL, &set), 0);
    assert_string_equal(value_of(&set, "DynamicWeight"), "0");
    assert_string_equal(value_of(&set, "NodeWeight"), "1");
    assert_string_equal(value_of(&set, "IsWitness"), "0");
    prop_set_done(&set);

    set = (struct prop_set){(struct prop *)1, 7};
    assert_int_equal(control_node_props_from_reply(data, len, "n9", PICK_ALL, &set),
                     ERROR_CLUSTER_NODE_NOT_FOUND);
    assert_null(set.v);
    assert_int_equal(set.n, 0);
    assert_int_equal(control_node_props_from_reply(data, 0, "n1", PICK_ALL, &set),
                     ERROR_CLUSTER_NODE_NOT_FOUND);
    free(data);
}

static void test_node_rows_malformed(void **state)
{
    (void)state;
    struct wire_writer w;
    size_t mark, len;
    struct prop_set set;

    wire_writer_init(&w);
    mark = wire_begin(&w, RPC_F_ITEM); /* no ROLE */
    wire_put_str(&w, RPC_F_NAME, "n1");
    wire_end(&w, mark);
    uint8_t *data = wire_writer_take(&w, &len);
    assert_int_equal(control_node_props_from_reply(data, len, "n1", PICK_ALL, &set),
                     ERROR_INVALID_DATA);
    assert_null(set.v);
    free(data);

    wire_writer_init(&w);
    mark = wire_begin(&w, RPC_F_ITEM); /* no NAME */
    wire_put_u32(&w, RPC_F_ROLE, 1);
    wire_end(&w, mark);
    data = wire_writer_take(&w, &len);
    assert_int_equal(control_node_props_from_reply(data, len, "n1", PICK_ALL, &set),
                     ERROR_INVALID_DATA);
    free(data);
}

/* What GET_COMMON_PROPERTIES writes for a node decodes back to the same properties, as a
 * client's SET would send them. */
static void test_node_props_encode(void **state)
{
    (void)state;
    size_t len, need = 0, n = 0;
    uint8_t *data = nodes_reply(&len);
    struct prop_set set;
    struct prop *back = NULL;

    assert_int_equal(control_node_props_from_reply(data, len, "n1", PICK_ALL, &set), 0);
    assert_int_equal(proplist_encode(set.v, set.n, NULL, 0, &need), ERROR_MORE_DATA);
    uint8_t *buf = malloc(need);
    assert_non_null(buf);
    assert_int_equal(proplist_encode(set.v, set.n, buf, need, &need), 0);
    assert_int_equal(proplist_decode(buf, need, &back, &n), 0);
    assert_int_equal(n, set.n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(back[i].name, set.v[i].name);
        assert_int_equal(back[i].syntax, set.v[i].syntax);
        assert_string_equal(back[i].value, set.v[i].value);
    }
    uint32_t count; /* the list's first DWORD: how many properties */
    memcpy(&count, buf, 4);
    assert_int_equal(count, 5);
    free(back);
    free(buf);
    prop_set_done(&set);
    free(data);
}

static void test_class_and_dependencies(void **state)
{
    (void)state;
    uint32_t cls, sub;
    struct proplist_dep deps[2];
    control_class_info("IP Address", &cls, &sub);
    assert_int_equal(cls, 2);
    assert_int_equal(sub, 0x80000000u);
    control_class_info("ipv6 address", &cls, &sub);
    assert_int_equal(cls, 2);
    control_class_info("Network Name", &cls, &sub);
    assert_int_equal(cls, 2);
    assert_int_equal(sub, 0);
    control_class_info("Generic Application", &cls, &sub);
    assert_int_equal(cls, 0);
    assert_int_equal(control_required_deps("Network Name", deps), 1);
    assert_false(deps[0].is_class);
    assert_string_equal(deps[0].type_name, "IP Address");
    assert_int_equal(control_required_deps("ocf:heartbeat:nginx", deps), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_to_props),
        cmocka_unit_test(test_malformed_rows_refused),
        cmocka_unit_test(test_cluster_rows),
        cmocka_unit_test(test_cluster_quorum_rows),
        cmocka_unit_test(test_node_rows),
        cmocka_unit_test(test_node_rows_malformed),
        cmocka_unit_test(test_node_props_encode),
        cmocka_unit_test(test_class_and_dependencies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
