/*
 * The resource model in the cluster database: resource types with display names and common
 * properties, typed private and common properties, group properties, dependency clauses and
 * their refusals (cycle, other group, depth), possible owners, moves, fail counts, and the new
 * tables in snapshots and the hash. Every refusal leaves the database as it was (REJECT).
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

#include <clusapi.h>

#include "cdb_fixture.h"

#define DW PROP_SYNTAX_DWORD
#define SZ PROP_SYNTAX_SZ

/* The web group: app depends on ip; disk alone. */
static int setup_web(void **state)
{
    struct cdb *db;
    static const struct prop app_props[] = {{"CommandLine", SZ, "/usr/sbin/nginx"},
                                            {"Environment", PROP_SYNTAX_MULTI_SZ, "A=1\nB=2"}};
    static const struct prop look = {"LooksAlivePollInterval", DW, "2000"};

    if (setup_populated(state) < 0)
        return -1;
    db = *state;
    OK(db, cdb_cmd_add_restype_ex(W, "Generic Application", "genapp", "Generic App", &look, 1));
    OK(db, cdb_cmd_add_group(W, "web", false));
    OK(db, cdb_cmd_add_resource_props(W, "app", "generic application", "web", app_props, 2));
    OK(db, cdb_cmd_add_resource(W, "ip", "IP Address", "web", NULL, 0));
    OK(db, cdb_cmd_add_resource(W, "disk", "IP Address", "web", NULL, 0));
    OK(db, cdb_cmd_add_dependency(W, "app", "ip"));
    return 0;
}

static void test_restype(void **state)
{
    struct cdb *db = *state;
    static const struct prop bad = {"LooksAlivePollInterval", DW, "0"};
    static const struct prop ro = {"DllName", SZ, "x"};
    struct cdb_restype t;
    struct cdb_prop *props = NULL;
    size_t n = 0;

    assert_int_equal(cdb_restype_by_name(db, "GENERIC APPLICATION", &t), 0);
    assert_string_equal(t.driver, "genapp");
    assert_string_equal(t.display, "Generic App");
    assert_int_equal(cdb_restype_props(db, "generic application", &props, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(props[0].key, "LooksAlivePollInterval");
    assert_string_equal(props[0].value, "2000");
    assert_int_equal(props[0].syntax, DW);
    free(props);
    assert_int_equal(cdb_restype_props(db, "none", &props, &n), -ENOENT);
    assert_int_equal(cdb_restype_by_name(db, "IP Address", &t), 0);
    assert_string_equal(t.display, "");
    REJECT(db, ERROR_INVALID_PARAMETER, cdb_cmd_add_restype_ex(W, "T", "x", NULL, &bad, 1));
    REJECT(db, ERROR_INVALID_PARAMETER, cdb_cmd_add_restype_ex(W, "T", "x", NULL, &ro, 1));
    /* delete: refused while in use, unknown, then gone with its properties */
    REJECT(db, ERROR_DIR_NOT_EMPTY, cdb_cmd_delete_restype(W, "Generic Application"));
    REJECT(db, ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND, cdb_cmd_delete_restype(W, "none"));
    REJECT(db, ERROR_INVALID_PARAMETER, cdb_cmd_delete_restype(W, NULL));
    OK(db, cdb_cmd_delete_resource(W, "app"));
    OK(db, cdb_cmd_delete_restype(W, "generic application"));
    assert_int_equal(cdb_restype_by_name(db, "Generic Application", &t), -ENOENT);
    REJECT(db, ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND,
           cdb_cmd_add_resource(W, "x", "Generic Application", "web", NULL, 0));
}

static void test_private_props(void **state)
{
    struct cdb *db = *state;
    static const struct prop change[] = {{"CommandLine", SZ, "/bin/true"},
                                         {"Environment", PROP_SYNTAX_MULTI_SZ, NULL},
                                         {"Port", DW, "8080"}};
    static const struct prop bad_dword = {"Port", DW, "80x"};
    static const struct prop bad_syntax = {"Port", 0x77u, "1"};
    struct cdb_prop *props = NULL;
    size_t n = 0;

    OK(db, cdb_cmd_set_resource_props(W, "APP", false, change, 3));
    assert_int_equal(cdb_resource_props(db, "app", &props, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(props[0].key, "CommandLine");
    assert_string_equal(props[0].value, "/bin/true");
    assert_string_equal(props[1].key, "Port");
    assert_int_equal(props[1].syntax, DW);
    free(props);
    REJECT(db, ERROR_INVALID_PARAMETER, cdb_cmd_set_resource_props(W, "app", false,
                                                                   &bad_dword, 1));
    REJECT(db, ERROR_INVALID_PARAMETER, cdb_cmd_set_resource_props(W, "app", false,
                                                                   &bad_syntax, 1));
    REJECT(db, ERROR_RESOURCE_NOT_FOUND, cdb_cmd_set_resource_props(W, "none", false, change,
                                                                    1));
    REJECT(db, ERROR_INVALID_PARAMETER,
           cdb_cmd_add_resource_props(W, "y", "IP Address", "web", &bad_dword, 1));
}

static void test_common_props(void **state)
{
    struct cdb *db = *state;
    static const struct prop set[] = {{"restartaction", DW, "1"}, {"Description", SZ, "x"}};
    static const struct prop reset = {"RestartAction", DW, NULL};
    static const struct prop out_of_bounds = {"RestartAction", DW, "3"};
    static const struct prop read_only = {"Name", SZ, "other"};
    static const struct prop unknown = {"Colour", SZ, "red"};
    static const struct prop group[] = {{"FailoverThreshold", DW, "2"},
                                        {"AutoFailbackType", DW, "1"}};
    static const struct prop group_bad = {"FailoverPeriod", DW, "5000"};
    struct cdb_prop *props = NULL;
    size_t n = 0;

    OK(db, cdb_cmd_set_resource_props(W, "app", true, set, 2));
    assert_int_equal(cdb_resource_common(db, "app", &props, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(props[0].key, "Description");
    assert_string_equal(props[1].key, "RestartAction"); /* stored under Windows' spelling */
    assert_string_equal(props[1].value, "1");
    free(props);
    /* common and private properties are apart */
    assert_int_equal(cdb_resource_props(db, "app", &props, &n), 0);
    assert_int_equal(n, 2);
    free(props);
    OK(db, cdb_cmd_set_resource_props(W, "app", true, &reset, 1));
    assert_int_equal(cdb_resource_common(db, "app", &props, &n), 0);
    assert_int_equal(n, 1);
    free(props);
    REJECT(db, ERROR_INVALID_PARAMETER,
           cdb_cmd_set_resource_props(W, "app", true, &out_of_bounds, 1));
    REJECT(db, ERROR_INVALID_PARAMETER, cdb_cmd_set_resource_props(W, "app", true, &read_only, 1));
    REJECT(db, ERROR_INVALID_PARAMETER, cdb_cmd_set_resource_props(W, "app", true, &unknown, 1));
    /* group properties */
    OK(db, cdb_cmd_set_group_props(W, "WEB", group, 2));
    assert_int_equal(cdb_group_props(db, "web", &props, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(props[0].key, "AutoFailbackType");
    assert_string_equal(props[1].value, "2");
    free(props);
    REJECT(db, ERROR_INVALID_PARAMETER, cdb_cmd_set_group_props(W, "web", &group_bad, 1));
    REJECT(db, ERROR_GROUP_NOT_FOUND, cdb_cmd_set_group_props(W, "none", group, 1));
    assert_int_equal(cdb_group_props(db, "none", &props, &n), -ENOENT);
}

static void check_clauses(struct cdb *db, const char *res, const char *want)
{
    struct cdb_dependency *deps = NULL;
    char got[256] = "";
    size_t n = 0;

    assert_int_equal(cdb_dependency_clauses(db, res, &deps, &n), 0);
    for (size_t i = 0; i < n; i++)
        snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%u:%s", i ? " " : "",
                 deps[i].clause, deps[i].provider);
    free(deps);
    assert_string_equal(got, want);
}

static void test_dependencies(void **state)
{
    struct cdb *db = *state;
    const char *const or_clause[] = {"ip", "disk"};
    const char *const *one[] = {or_clause};
    const size_t two[] = {2};
    const char *const self[] = {"app"};
    const char *const *selfs[] = {self};
    const char *const other[] = {"ip1"};
    const char *const *others[] = {other};
    const char *const twice[] = {"ip", "IP"};
    const char *const *twices[] = {twice};
    const size_t one_each[] = {1};
    char **names = NULL;
    size_t n = 0;

    check_clauses(db, "app", "1:ip");
    OK(db, cdb_cmd_add_dependency_clause(W, "app", "disk", 2));
    check_clauses(db, "app", "1:ip 2:disk");
    OK(db, cdb_cmd_set_dependencies(W, "app", one, two, 1));
    check_clauses(db, "app", "1:ip 1:disk");
    assert_int_equal(cdb_dependents(db, "ip", &names, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(names[0], "app");
    free(names);
    /* refusals: itself, a cycle, another group, a repeat, an empty clause, unknown names */
    REJECT(db, ERROR_CIRCULAR_DEPENDENCY, cdb_cmd_set_dependencies(W, "app", selfs, one_each, 1));
    REJECT(db, ERROR_CIRCULAR_DEPENDENCY, cdb_cmd_add_dependency(W, "ip", "app"));
    REJECT(db, ERROR_CIRCULAR_DEPENDENCY, cdb_cmd_set_dependencies(W, "disk", (const char *const
                                          *const[]){self}, one_each, 1));
    REJECT(db, ERROR_INVALID_PARAMETER, cdb_cmd_add_dependency(W, "app", "ip1"));
    REJECT(db, ERROR_INVALID_PARAMETER, cdb_cmd_set_dependencies(W, "app", others, one_each, 1));
    REJECT(db, ERROR_INVALID_PARAMETER, cdb_cmd_set_dependencies(W, "app", twices, two, 1));
    REJECT(db, ERROR_INVALID_PARAMETER,
           cdb_cmd_set_dependencies(W, "app", one, (const size_t[]){0}, 1));
    REJECT(db, ERROR_DEPENDENCY_ALREADY_EXISTS, cdb_cmd_add_dependency(W, "app", "ip"));
    REJECT(db, ERROR_RESOURCE_NOT_FOUND, cdb_cmd_set_dependencies(W, "none", one, two, 1));
    REJECT(db, ERROR_RESOURCE_NOT_FOUND, cdb_cmd_add_dependency_clause(W, "app", "none", 3));
    /* a provider is deleted only after its dependents let go */
    REJECT(db, ERROR_DEPENDENT_RESOURCE_EXISTS, cdb_cmd_delete_resource(W, "disk"));
    OK(db, cdb_cmd_set_dependencies(W, "app", NULL, NULL, 0));
    check_clauses(db, "app", "");
    OK(db, cdb_cmd_delete_resource(W, "disk"));
}

/* A chain r0 <- r1 <- ... deeper than Windows' 100 is refused. */
static void test_dependency_depth(void **state)
{
    struct cdb *db = *state;
    char a[16], b[16];

    for (int i = 0; i <= 100; i++) {
        snprintf(a, sizeof(a), "r%d", i);
        OK(db, cdb_cmd_add_resource(W, a, "IP Address", "Other", NULL, 0));
        if (i > 0) {
            snprintf(b, sizeof(b), "r%d", i - 1);
            OK(db, cdb_cmd_add_dependency(W, a, b));
        }
    }
    OK(db, cdb_cmd_add_resource(W, "top", "IP Address", "Other", NULL, 0));
    REJECT(db, ERROR_DEPENDENCY_TREE_TOO_COMPLEX, cdb_cmd_add_dependency(W, "top", "r100"));
    OK(db, cdb_cmd_add_dependency(W, "top", "r99"));
}

static void test_excluded(void **state)
{
    struct cdb *db = *state;
    static const uint64_t ex[] = {3, 1};
    uint64_t *ids = NULL;
    size_t n = 0;

    OK(db, cdb_cmd_set_excluded(W, "app", ex, 2));
    assert_int_equal(cdb_excluded(db, "APP", &ids, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], 1);
    assert_int_equal(ids[1], 3);
    free(ids);
    REJECT(db, ERROR_CLUSTER_NODE_NOT_FOUND, cdb_cmd_set_excluded(W, "app", (uint64_t[]){9}, 1));
    REJECT(db, ERROR_INVALID_PARAMETER, cdb_cmd_set_excluded(W, "app", (uint64_t[]){2, 2}, 2));
    REJECT(db, ERROR_RESOURCE_NOT_FOUND, cdb_cmd_set_excluded(W, "none", NULL, 0));
    OK(db, cdb_cmd_remove_node(W, 3)); /* a removed node leaves the list by itself */
    assert_int_equal(cdb_excluded(db, "app", &ids, &n), 0);
    assert_int_equal(n, 1);
    free(ids);
    OK(db, cdb_cmd_set_excluded(W, "app", NULL, 0));
    assert_int_equal(cdb_excluded(db, "app", &ids, &n), 0);
    assert_int_equal(n, 0);
}

static void test_fail_and_move(void **state)
{
    struct cdb *db = *state;
    struct cdb_resource r;
    struct wire_writer w;
    uint64_t count = 7;
    size_t mark;

    assert_int_equal(cdb_resource_fail_count(db, "app", &count), 0);
    assert_int_equal(count, 0);
    OK(db, cdb_cmd_fail_resource(W, "app"));
    OK(db, cdb_cmd_fail_resource(W, "APP"));
    assert_int_equal(cdb_resource_fail_count(db, "app", &count), 0);
    assert_int_equal(count, 2);
    REJECT(db, ERROR_RESOURCE_NOT_FOUND, cdb_cmd_fail_resource(W, "none"));
    assert_int_equal(cdb_resource_fail_count(db, "none", &count), -ENOENT);
    /* moving half a dependency tree is refused; the whole tree in one BATCH moves */
    REJECT(db, ERROR_INVALID_PARAMETER, cdb_cmd_move_resource(W, "app", "Other"));
    REJECT(db, ERROR_GROUP_NOT_FOUND, cdb_cmd_move_resource(W, "disk", "none"));
    OK(db, cdb_cmd_move_resource(W, "disk", "Other"));
    wire_writer_init(&w);
    cdb_cmd_batch(&w);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_move_resource(&w, "app", "Other");
    cdb_cmd_batch_sub_end(&w, mark);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_move_resource(&w, "ip", "Other");
    cdb_cmd_batch_sub_end(&w, mark);
    assert_int_equal(apply_w(db, &w), 0);
    assert_int_equal(cdb_resource_by_name(db, "app", &r), 0);
    assert_string_equal(r.group, "Other");
}

/* A group's failovers are recorded, so every node (a new leader) knows them; they count in the
 * hash and survive a snapshot. */
static void test_count_failover(void **state)
{
    struct cdb *db = *state;
    struct cdb_group g;
    uint64_t before = hash_of(db);
    void *snap;
    size_t len;

    assert_int_equal(cdb_group_by_name(db, "web", &g), 0);
    assert_int_equal(g.failovers, 0);
    assert_int_equal(g.failover_since, 0);
    OK(db, cdb_cmd_count_failover(W, "WEB", 2, 1796598027000));
    assert_int_equal(cdb_group_by_name(db, "web", &g), 0);
    assert_int_equal(g.failovers, 2);
    assert_int_equal(g.failover_since, 1796598027000);
    assert_true(hash_of(db) != before);
    REJECT(db, ERROR_GROUP_NOT_FOUND, cdb_cmd_count_failover(W, "none", 1, 1));
    REJECT(db, ERROR_INVALID_PARAMETER, cdb_cmd_count_failover(W, "web", 1, -5));
    assert_int_equal(cdb_snapshot(db, &snap, &len), 0);
    OK(db, cdb_cmd_count_failover(W, "web", 0, 0));
    assert_int_equal(cdb_restore(db, snap, len), 0);
    free(snap);
    assert_int_equal(cdb_group_by_name(db, "web", &g), 0);
    assert_int_equal(g.failovers, 2);
}

/* The new tables travel in snapshots and count in the hash. */
static void test_snapshot_and_hash(void **state)
{
    struct cdb *db = *state, *copy = NULL;
    static const struct prop p = {"RestartAction", DW, "0"};
    uint64_t h0 = hash_of(db), h;
    void *snap = NULL;
    size_t len = 0;

    OK(db, cdb_cmd_set_resource_props(W, "app", true, &p, 1));
    assert_true((h = hash_of(db)) != h0);
    OK(db, cdb_cmd_set_excluded(W, "app", (uint64_t[]){2}, 1));
    assert_true(hash_of(db) != h);
    h = hash_of(db);
    OK(db, cdb_cmd_fail_resource(W, "app"));
    assert_true(hash_of(db) != h);
    assert_int_equal(cdb_snapshot(db, &snap, &len), 0);
    assert_int_equal(cdb_new(&copy), 0);
    assert_int_equal(cdb_restore(copy, snap, len), 0);
    assert_true(hash_of(copy) == hash_of(db));
    assert_int_equal(cdb_version(copy), cdb_version(db));
    free(snap);
    cdb_free(copy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_restype, setup_web, teardown),
        cmocka_unit_test_setup_teardown(test_private_props, setup_web, teardown),
        cmocka_unit_test_setup_teardown(test_common_props, setup_web, teardown),
        cmocka_unit_test_setup_teardown(test_dependencies, setup_web, teardown),
        cmocka_unit_test_setup_teardown(test_dependency_depth, setup_web, teardown),
        cmocka_unit_test_setup_teardown(test_excluded, setup_web, teardown),
        cmocka_unit_test_setup_teardown(test_fail_and_move, setup_web, teardown),
        cmocka_unit_test_setup_teardown(test_count_failover, setup_web, teardown),
        cmocka_unit_test_setup_teardown(test_snapshot_and_hash, setup_web, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
