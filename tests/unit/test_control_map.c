/*
 * test_control_map — the pure half of the control calls: property query rows become the
 * properties GET_*_PROPERTIES return (picked by read-only flag, MULTI_SZ values joined), the
 * cluster's property rows get their syntaxes, malformed rows are refused, and the class and
 * required dependencies of the address and name types.
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
        cmocka_unit_test(test_class_and_dependencies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
