/*
 * test_cdb — the cluster database: every command, every rejection (with the database proven
 * unchanged), batches, snapshots, determinism, malformed input and foreign-key effects.
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
#include <sqlite3.h>

#include "common/wire.h"
#include "daemon/cdb/cdb.h"
#include "common/cdb_cmd.h"

/* ---------------------------------------------------------------------------------------- */
/* Helpers                                                                                  */
/* ---------------------------------------------------------------------------------------- */

static uint64_t hash_of(struct cdb *db)
{
    uint64_t h = 0;

    assert_int_equal(cdb_hash(db, &h), 0);
    return h;
}

static uint32_t apply_raw(struct cdb *db, const void *buf, size_t len)
{
    uint32_t status = 0xdeadbeef;

    assert_int_equal(cdb_apply(db, buf, len, &status), 0);
    assert_int_not_equal(status, 0xdeadbeef);
    return status;
}

/* Applies what the writer holds and releases it. */
static uint32_t apply_w(struct cdb *db, struct wire_writer *w)
{
    uint8_t *buf;
    size_t len = 0;
    uint32_t status;

    assert_false(wire_writer_failed(w));
    buf = wire_writer_take(w, &len);
    assert_non_null(buf);
    status = apply_raw(db, buf, len);
    free(buf);
    return status;
}

/* APPLY(db, cdb_cmd_x(W, ...)) encodes one command and applies it; the result is the status. */
#define W (&w_)
#define APPLY(db, call)                                                                          \
    ({                                                                                           \
        struct wire_writer w_;                                                                   \
        wire_writer_init(&w_);                                                                   \
        call;                                                                                    \
        apply_w(db, &w_);                                                                        \
    })

#define OK(db, call) assert_int_equal(APPLY(db, call), 0)

/* The command is rejected with status and changes nothing, version included. */
#define REJECT(db, status, call)                                                                 \
    do {                                                                                         \
        uint64_t h0_ = hash_of(db), v0_ = cdb_version(db);                                      \
        assert_int_equal(APPLY(db, call), status);                                               \
        assert_true(hash_of(db) == h0_);                                                         \
        assert_true(cdb_version(db) == v0_);                                                     \
        assert_true(cdb_errmsg(db)[0] != '\0');                                                  \
    } while (0)

#define REJECT_RAW(db, status, buf, len)                                                         \
    do {                                                                                         \
        uint64_t h0_ = hash_of(db), v0_ = cdb_version(db);                                      \
        assert_int_equal(apply_raw(db, buf, len), status);                                       \
        assert_true(hash_of(db) == h0_);                                                         \
        assert_true(cdb_version(db) == v0_);                                                     \
    } while (0)

static const struct cdb_kv ip1_props[] = {
    {"Address", "10.0.0.50"},
    {"SubnetMask", "255.255.255.0"},
};

/* Three nodes, two resource types, the core group with two IPs and a network name depending on
 * either, preferred owners 2 then 1, and a second empty group. */
static void populate(struct cdb *db)
{
    static const struct cdb_kv ip2_props[] = {{"Address", "10.0.1.50"}};
    static const struct cdb_kv name_props[] = {{"Name", "CLUSTER1"}, {"DnsName", ""}};
    static const uint64_t pref[] = {2, 1};

    OK(db, cdb_cmd_set_prop(W, "ClusterName", "cluster1"));
    OK(db, cdb_cmd_add_node(W, 1, "n1", "10.0.0.1", 3343, 3344, 1));
    OK(db, cdb_cmd_add_node(W, 2, "n2", "10.0.0.2", 3343, 3344, 1));
    OK(db, cdb_cmd_add_node(W, 3, "n3", "10.0.0.3", 3343, 3344, 0));
    OK(db, cdb_cmd_add_restype(W, "IP Address", "ipaddr"));
    OK(db, cdb_cmd_add_restype(W, "Network Name", "netname"));
    OK(db, cdb_cmd_add_group(W, "Cluster Group", true));
    OK(db, cdb_cmd_add_group(W, "Other", false));
    OK(db, cdb_cmd_add_resource(W, "ip1", "IP Address", "Cluster Group", ip1_props, 2));
    OK(db, cdb_cmd_add_resource(W, "ip2", "ip address", "cluster group", ip2_props, 1));
    OK(db, cdb_cmd_add_resource(W, "name", "Network Name", "Cluster Group", name_props, 2));
    OK(db, cdb_cmd_add_dependency(W, "name", "ip1"));
    OK(db, cdb_cmd_add_dependency(W, "name", "ip2"));
    OK(db, cdb_cmd_set_preferred(W, "Cluster Group", pref, 2));
}

#define POPULATE_COMMANDS 14

static int setup_empty(void **state)
{
    struct cdb *db = NULL;

    if (cdb_new(&db) < 0)
        return -1;
    *state = db;
    return 0;
}

static int setup_populated(void **state)
{
    struct cdb *db = NULL;

    if (cdb_new(&db) < 0)
        return -1;
    populate(db);
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    cdb_free(*state);
    return 0;
}

static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);

    assert_non_null(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* ---------------------------------------------------------------------------------------- */
/* Empty database, properties                                                               */
/* ---------------------------------------------------------------------------------------- */

static void test_new_is_empty(void **state)
{
    struct cdb *db = *state, *other = NULL;
    struct cdb_node *nodes = (void *)1;
    struct cdb_prop *props = (void *)1;
    char *value = NULL;
    size_t n = 99;

    assert_int_equal(cdb_version(db), 0);
    assert_string_equal(cdb_errmsg(db), "");
    assert_int_equal(cdb_nodes(db, &nodes, &n), 0);
    assert_null(nodes);
    assert_int_equal(n, 0);
    assert_int_equal(cdb_props(db, &props, &n), 0);
    assert_null(props);
    assert_int_equal(cdb_get_prop(db, "ClusterName", &value), -ENOENT);
    assert_null(value);
    assert_int_equal(cdb_new(&other), 0);
    assert_true(hash_of(db) == hash_of(other));
    cdb_free(other);
    cdb_free(NULL);
}

static void test_set_prop(void **state)
{
    struct cdb *db = *state;
    struct cdb_prop *props = NULL;
    char *value = NULL;
    size_t n = 0;
    uint64_t h0 = hash_of(db);

    OK(db, cdb_cmd_set_prop(W, "SameSubnetDelay", "1000"));
    OK(db, cdb_cmd_set_prop(W, "Alpha", ""));
    assert_int_equal(cdb_version(db), 2);
    assert_true(hash_of(db) != h0);
    assert_int_equal(cdb_get_prop(db, "samesubnetdelay", &value), 0);
    assert_string_equal(value, "1000");
    free(value);
    OK(db, cdb_cmd_set_prop(W, "SAMESUBNETDELAY", "2000"));
    assert_int_equal(cdb_get_prop(db, "SameSubnetDelay", &value), 0);
    assert_string_equal(value, "2000");
    free(value);

    assert_int_equal(cdb_props(db, &props, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(props[0].key, "Alpha");
    assert_string_equal(props[0].value, "");
    assert_string_equal(props[1].key, "SameSubnetDelay");
    assert_string_equal(props[1].value, "2000");
    free(props);

    /* no value: the property is deleted (deleting an absent one is fine too) */
    OK(db, cdb_cmd_set_prop(W, "alpha", NULL));
    assert_int_equal(cdb_get_prop(db, "Alpha", &value), -ENOENT);
    OK(db, cdb_cmd_set_prop(W, "Never", NULL));
    assert_int_equal(cdb_version(db), 5);
}

static void test_set_prop_rejects(void **state)
{
    struct cdb *db = *state;
    char *long_key = repeat('k', CDB_NAME_MAX + 1);
    char *max_key = repeat('k', CDB_NAME_MAX);

    REJECT(db, 87, cdb_cmd_set_prop(W, "", "v"));
    REJECT(db, 87, cdb_cmd_set_prop(W, NULL, "v"));
    REJECT(db, 87, cdb_cmd_set_prop(W, long_key, "v"));
    OK(db, cdb_cmd_set_prop(W, max_key, "v"));
    free(long_key);
    free(max_key);
}

/* ---------------------------------------------------------------------------------------- */
/* Nodes                                                                                    */
/* ---------------------------------------------------------------------------------------- */

static void test_add_node(void **state)
{
    struct cdb *db = *state;
    struct cdb_node node, *nodes = NULL;
    size_t n = 0;

    OK(db, cdb_cmd_add_node(W, 7, "Node-A", "fe80::1", 3343, 3344, 1));
    OK(db, cdb_cmd_add_node(W, 3, "node-b", "10.0.0.2", 1, 65535, 2));
    assert_int_equal(cdb_node_by_name(db, "NODE-a", &node), 0);
    assert_int_equal(node.id, 7);
    assert_string_equal(node.name, "Node-A");
    assert_string_equal(node.address, "fe80::1");
    assert_int_equal(node.port, 3343);
    assert_int_equal(node.raft_port, 3344);
    assert_int_equal(node.role, 1);
    assert_int_equal(node.state, 1); /* Down until membership says otherwise */
    assert_int_equal(cdb_node_by_id(db, 3, &node), 0);
    assert_string_equal(node.name, "node-b");
    assert_int_equal(node.role, 2);
    assert_int_equal(cdb_node_by_id(db, 4, &node), -ENOENT);
    assert_string_equal(node.name, "node-b"); /* untouched on failure */
    assert_int_equal(cdb_node_by_name(db, "nobody", &node), -ENOENT);

    assert_int_equal(cdb_nodes(db, &nodes, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(nodes[0].id, 3);
    assert_int_equal(nodes[1].id, 7);
    free(nodes);
}

static void test_add_node_rejects(void **state)
{
    struct cdb *db = *state;
    char *long_name = repeat('n', CDB_NODE_NAME_MAX + 1);
    char *long_addr = repeat('1', CDB_ADDRESS_MAX + 1);
    char *max_name = repeat('m', CDB_NODE_NAME_MAX);

    OK(db, cdb_cmd_add_node(W, 1, "n1", "10.0.0.1", 3343, 3344, 1));
    REJECT(db, 5040, cdb_cmd_add_node(W, 1, "other", "10.0.0.9", 3343, 3344, 1));
    REJECT(db, 5040, cdb_cmd_add_node(W, 9, "N1", "10.0.0.9", 3343, 3344, 1));
    REJECT(db, 87, cdb_cmd_add_node(W, 0, "zero", "10.0.0.9", 3343, 3344, 1));
    REJECT(db, 87, cdb_cmd_add_node(W, (uint64_t)INT64_MAX + 1, "big", "10.0.0.9", 3343, 3344,
                                    1));
    REJECT(db, 87, cdb_cmd_add_node(W, 9, "", "10.0.0.9", 3343, 3344, 1));
    REJECT(db, 87, cdb_cmd_add_node(W, 9, long_name, "10.0.0.9", 3343, 3344, 1));
    REJECT(db, 87, cdb_cmd_add_node(W, 9, "n9", long_addr, 3343, 3344, 1));
    REJECT(db, 87, cdb_cmd_add_node(W, 9, "n9", NULL, 3343, 3344, 1));
    REJECT(db, 87, cdb_cmd_add_node(W, 9, "n9", "10.0.0.9", 0, 3344, 1));
    REJECT(db, 87, cdb_cmd_add_node(W, 9, "n9", "10.0.0.9", 3343, 65536, 1));
    REJECT(db, 87, cdb_cmd_add_node(W, 9, "n9", "10.0.0.9", 3343, 3344, 3));
    OK(db, cdb_cmd_add_node(W, (uint64_t)INT64_MAX, max_name, "10.0.0.9", 3343, 3344, 0));
    free(long_name);
    free(long_addr);
    free(max_name);
}

static void test_node_state_and_role(void **state)
{
    struct cdb *db = *state;
    struct cdb_node node;

    OK(db, cdb_cmd_set_node_state(W, 2, 0));
    OK(db, cdb_cmd_set_node_role(W, 3, 1));
    assert_int_equal(cdb_node_by_id(db, 2, &node), 0);
    assert_int_equal(node.state, 0);
    assert_int_equal(cdb_node_by_id(db, 3, &node), 0);
    assert_int_equal(node.role, 1);
    OK(db, cdb_cmd_set_node_state(W, 2, -1));
    OK(db, cdb_cmd_set_node_state(W, 2, 3));

    REJECT(db, 5042, cdb_cmd_set_node_state(W, 9, 0));
    REJECT(db, 87, cdb_cmd_set_node_state(W, 2, 4));
    REJECT(db, 87, cdb_cmd_set_node_state(W, 2, -2));
    REJECT(db, 87, cdb_cmd_set_node_state(W, 0, 0));
    REJECT(db, 5042, cdb_cmd_set_node_role(W, 9, 1));
    REJECT(db, 87, cdb_cmd_set_node_role(W, 2, 3));
}

static void test_remove_node(void **state)
{
    struct cdb *db = *state;
    struct cdb_node node;
    struct cdb_group group;
    struct cdb_resource res;
    uint64_t *ids = NULL;
    size_t n = 0;

    OK(db, cdb_cmd_set_group_state(W, "Cluster Group", 0, 2));
    OK(db, cdb_cmd_set_resource_state(W, "ip1", 2, 2));
    OK(db, cdb_cmd_set_resource_state(W, "ip2", 2, 1));
    OK(db, cdb_cmd_remove_node(W, 2));

    assert_int_equal(cdb_node_by_id(db, 2, &node), -ENOENT);
    assert_int_equal(cdb_group_by_name(db, "Cluster Group", &group), 0);
    assert_int_equal(group.owner, 0);
    assert_int_equal(group.state, 0); /* the state is the group manager's business */
    assert_int_equal(cdb_resource_by_name(db, "ip1", &res), 0);
    assert_int_equal(res.owner, 0);
    assert_int_equal(cdb_resource_by_name(db, "ip2", &res), 0);
    assert_int_equal(res.owner, 1);
    assert_int_equal(cdb_preferred(db, "Cluster Group", &ids, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], 1);
    free(ids);

    REJECT(db, 5042, cdb_cmd_remove_node(W, 2));
    REJECT(db, 87, cdb_cmd_remove_node(W, 0));
}

/* ---------------------------------------------------------------------------------------- */
/* Resource types and groups                                                                */
/* ---------------------------------------------------------------------------------------- */

static void test_restypes(void **state)
{
    struct cdb *db = *state;
    struct cdb_restype *types = NULL;
    size_t n = 0;

    OK(db, cdb_cmd_add_restype(W, "Generic Service", "service"));
    assert_int_equal(cdb_restypes(db, &types, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(types[0].name, "Generic Service");
    assert_string_equal(types[0].driver, "service");
    assert_string_equal(types[1].name, "IP Address");
    assert_string_equal(types[2].name, "Network Name");
    free(types);

    REJECT(db, 5010, cdb_cmd_add_restype(W, "ip ADDRESS", "other"));
    REJECT(db, 87, cdb_cmd_add_restype(W, "Disk", NULL));
    REJECT(db, 87, cdb_cmd_add_restype(W, "", "disk"));
}

static void test_groups(void **state)
{
    struct cdb *db = *state;
    struct cdb_group group, *groups = NULL;
    size_t n = 0;

    assert_int_equal(cdb_groups(db, &groups, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(groups[0].name, "Cluster Group");
    assert_true(groups[0].core);
    assert_int_equal(groups[0].state, 1);
    assert_int_equal(groups[0].owner, 0);
    assert_string_equal(groups[1].name, "Other");
    assert_false(groups[1].core);
    assert_true(groups[1].id > groups[0].id);
    free(groups);

    OK(db, cdb_cmd_set_group_state(W, "other", 4, 3));
    assert_int_equal(cdb_group_by_name(db, "OTHER", &group), 0);
    assert_int_equal(group.state, 4);
    assert_int_equal(group.owner, 3);
    assert_int_equal(cdb_group_by_id(db, group.id, &group), 0);
    assert_string_equal(group.name, "Other");
    OK(db, cdb_cmd_set_group_state(W, "Other", -1, 0));
    assert_int_equal(cdb_group_by_name(db, "Other", &group), 0);
    assert_int_equal(group.owner, 0);
    assert_int_equal(cdb_group_by_name(db, "none", &group), -ENOENT);

    REJECT(db, 5010, cdb_cmd_add_group(W, "cluster GROUP", false));
    REJECT(db, 5013, cdb_cmd_set_group_state(W, "none", 0, 1));
    REJECT(db, 5042, cdb_cmd_set_group_state(W, "Other", 0, 9));
    REJECT(db, 87, cdb_cmd_set_group_state(W, "Other", 5, 1));
    REJECT(db, 87, cdb_cmd_set_group_state(W, "Other", -2, 1));
    REJECT(db, 5013, cdb_cmd_delete_group(W, "none"));
    REJECT(db, 87, cdb_cmd_delete_group(W, ""));
}

static void test_add_group_core_flag(void **state)
{
    struct cdb *db = *state;
    struct wire_writer w;

    /* core must be 0 or 1 */
    wire_writer_init(&w);
    wire_put_u32(&w, CDB_TAG_CODE, CDB_CMD_ADD_GROUP);
    wire_put_str(&w, CDB_TAG_NAME, "g");
    wire_put_u32(&w, CDB_TAG_CORE, 2);
    REJECT_RAW(db, 87, w.data, w.len);
    wire_writer_done(&w);
}

static void test_delete_group_cascades(void **state)
{
    struct cdb *db = *state;
    struct cdb_resource *res = NULL;
    struct cdb_prop *props = NULL;
    uint64_t *ids = NULL;
    size_t n = 0;

    OK(db, cdb_cmd_delete_group(W, "CLUSTER GROUP"));
    assert_int_equal(cdb_resources(db, NULL, &res, &n), 0);
    assert_int_equal(n, 0);
    assert_null(res);
    assert_int_equal(cdb_resource_props(db, "ip1", &props, &n), -ENOENT);
    assert_int_equal(cdb_preferred(db, "Cluster Group", &ids, &n), -ENOENT);
    assert_null(ids);
    /* names are free again, ids are not reused */
    OK(db, cdb_cmd_add_group(W, "Cluster Group", true));
    OK(db, cdb_cmd_add_resource(W, "ip1", "IP Address", "Cluster Group", NULL, 0));
    assert_int_equal(cdb_resources(db, "Cluster Group", &res, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(res[0].id, 4);
    assert_int_equal(res[0].group_id, 3);
    free(res);
    assert_int_equal(cdb_resource_props(db, "ip1", &props, &n), 0);
    assert_int_equal(n, 0);
}

/* ---------------------------------------------------------------------------------------- */
/* Resources and dependencies                                                               */
/* ---------------------------------------------------------------------------------------- */

static void test_resources(void **state)
{
    struct cdb *db = *state;
    struct cdb_resource res, *list = NULL;
    struct cdb_prop *props = NULL;
    size_t n = 0;

    assert_int_equal(cdb_resource_by_name(db, "IP2", &res), 0);
    assert_string_equal(res.name, "ip2");
    assert_string_equal(res.type, "IP Address"); /* as registered */
    assert_string_equal(res.group, "Cluster Group");
    assert_int_equal(res.state, 3);
    assert_int_equal(res.owner, 0);
    assert_int_equal(cdb_resource_by_name(db, "none", &res), -ENOENT);

    assert_int_equal(cdb_resource_props(db, "ip1", &props, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(props[0].key, "Address");
    assert_string_equal(props[0].value, "10.0.0.50");
    assert_string_equal(props[1].key, "SubnetMask");
    assert_string_equal(props[1].value, "255.255.255.0");
    free(props);
    assert_int_equal(cdb_resource_props(db, "name", &props, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(props[0].key, "DnsName");
    assert_string_equal(props[0].value, "");
    free(props);

    assert_int_equal(cdb_resources(db, NULL, &list, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(list[0].name, "ip1");
    assert_string_equal(list[2].name, "name");
    free(list);
    assert_int_equal(cdb_resources(db, "Other", &list, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(cdb_resources(db, "none", &list, &n), -ENOENT);

    OK(db, cdb_cmd_add_resource(W, "ip3", "IP Address", "Other", ip1_props, 1));
    assert_int_equal(cdb_resources(db, "other", &list, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].name, "ip3");
    assert_string_equal(list[0].group, "Other");
    free(list);
}

static void test_add_resource_rejects(void **state)
{
    struct cdb *db = *state;
    static const struct cdb_kv dup[] = {{"Address", "a"}, {"ADDRESS", "b"}};
    static const struct cdb_kv empty_key[] = {{"", "a"}};
    static const struct cdb_kv no_value[] = {{"Address", NULL}};
    char *long_name = repeat('r', CDB_NAME_MAX + 1);

    REJECT(db, 5010, cdb_cmd_add_resource(W, "IP1", "IP Address", "Other", NULL, 0));
    REJECT(db, 5078, cdb_cmd_add_resource(W, "disk", "Physical Disk", "Other", NULL, 0));
    REJECT(db, 5013, cdb_cmd_add_resource(W, "ip9", "IP Address", "none", NULL, 0));
    REJECT(db, 87, cdb_cmd_add_resource(W, "ip9", "IP Address", "Other", dup, 2));
    REJECT(db, 87, cdb_cmd_add_resource(W, "ip9", "IP Address", "Other", empty_key, 1));
    REJECT(db, 87, cdb_cmd_add_resource(W, "ip9", "IP Address", "Other", no_value, 1));
    REJECT(db, 87, cdb_cmd_add_resource(W, long_name, "IP Address", "Other", NULL, 0));
    REJECT(db, 87, cdb_cmd_add_resource(W, "ip9", NULL, "Other", NULL, 0));
    REJECT(db, 87, cdb_cmd_add_resource(W, "ip9", "IP Address", NULL, NULL, 0));
    free(long_name);
}

static void test_resource_state(void **state)
{
    struct cdb *db = *state;
    struct cdb_resource res;
    static const int32_t valid[] = {-1, 0, 1, 2, 3, 4, 128, 129, 130};
    static const int32_t invalid[] = {-2, 5, 127, 131};

    for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
        OK(db, cdb_cmd_set_resource_state(W, "IP1", valid[i], 3));
        assert_int_equal(cdb_resource_by_name(db, "ip1", &res), 0);
        assert_int_equal(res.state, valid[i]);
        assert_int_equal(res.owner, 3);
    }
    OK(db, cdb_cmd_set_resource_state(W, "ip1", 3, 0));
    assert_int_equal(cdb_resource_by_name(db, "ip1", &res), 0);
    assert_int_equal(res.owner, 0);
    for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
        REJECT(db, 87, cdb_cmd_set_resource_state(W, "ip1", invalid[i], 1));
    REJECT(db, 5007, cdb_cmd_set_resource_state(W, "none", 2, 1));
    REJECT(db, 5042, cdb_cmd_set_resource_state(W, "ip1", 2, 9));
}

/* A handover: the new owner waits until the node that held the resource releases it. */
static void test_resource_handoff(void **state)
{
    struct cdb *db = *state;
    struct cdb_resource res;

    OK(db, cdb_cmd_set_resource_state(W, "ip1", 2, 1));
    assert_int_equal(cdb_resource_by_name(db, "ip1", &res), 0);
    assert_int_equal(res.handoff, 0);
    /* moved to node 2: node 1, its owner, hands it over */
    OK(db, (cdb_cmd_set_resource_state(W, "ip1", 129, 2), cdb_cmd_hand_over(W)));
    assert_int_equal(cdb_resource_by_name(db, "ip1", &res), 0);
    assert_int_equal(res.owner, 2);
    assert_int_equal(res.handoff, 1);
    /* moved on to node 3 before node 1 let go: node 1 still hands it over */
    OK(db, (cdb_cmd_set_resource_state(W, "ip1", 129, 3), cdb_cmd_hand_over(W)));
    assert_int_equal(cdb_resource_by_name(db, "ip1", &res), 0);
    assert_int_equal(res.owner, 3);
    assert_int_equal(res.handoff, 1);
    /* a state change without HANDOFF leaves it as it is */
    OK(db, cdb_cmd_set_resource_state(W, "ip1", 129, 3));
    assert_int_equal(cdb_resource_by_name(db, "ip1", &res), 0);
    assert_int_equal(res.handoff, 1);
    /* only the node handing over releases it; twice is refused; bad input changes nothing */
    REJECT(db, 5023, cdb_cmd_release_resource(W, "ip1", 2));
    REJECT(db, 5007, cdb_cmd_release_resource(W, "none", 1));
    REJECT(db, 87, cdb_cmd_release_resource(W, "ip1", 0));
    REJECT(db, 87, (cdb_cmd_set_resource_state(W, "ip1", 129, 2),
                    wire_put_u32(W, CDB_TAG_HANDOFF, 2)));
    OK(db, cdb_cmd_release_resource(W, "ip1", 1));
    assert_int_equal(cdb_resource_by_name(db, "ip1", &res), 0);
    assert_int_equal(res.handoff, 0);
    REJECT(db, 5023, cdb_cmd_release_resource(W, "ip1", 1));
    /* moved to the node that holds it: nobody hands it over */
    OK(db, (cdb_cmd_set_resource_state(W, "ip1", 129, 3), cdb_cmd_hand_over(W)));
    assert_int_equal(cdb_resource_by_name(db, "ip1", &res), 0);
    assert_int_equal(res.handoff, 0);
    /* a removed node's handover ends with it */
    OK(db, (cdb_cmd_set_resource_state(W, "ip1", 129, 2), cdb_cmd_hand_over(W)));
    assert_int_equal(cdb_resource_by_name(db, "ip1", &res), 0);
    assert_int_equal(res.handoff, 3);
    OK(db, cdb_cmd_remove_node(W, 3));
    assert_int_equal(cdb_resource_by_name(db, "ip1", &res), 0);
    assert_int_equal(res.handoff, 0);
}

/* SYNC changes no row: only the version moves, as with every applied command. */
static void test_sync(void **state)
{
    struct cdb *db = *state;
    struct cdb_group *g0, *g1;
    size_t n0, n1;
    uint64_t v0 = cdb_version(db);

    assert_int_equal(cdb_groups(db, &g0, &n0), 0);
    OK(db, cdb_cmd_sync(W));
    assert_true(cdb_version(db) == v0 + 1);
    assert_int_equal(cdb_groups(db, &g1, &n1), 0);
    assert_int_equal(n0, n1);
    assert_memory_equal(g0, g1, n0 * sizeof(*g0));
    free(g0);
    free(g1);
}

static void test_delete_resource(void **state)
{
    struct cdb *db = *state;
    struct cdb_prop *props = NULL;
    char **names = NULL;
    size_t n = 0;

    OK(db, cdb_cmd_delete_resource(W, "IP1"));
    assert_int_equal(cdb_resource_props(db, "ip1", &props, &n), -ENOENT);
    assert_int_equal(cdb_dependencies(db, "name", &names, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(names[0], "ip2");
    free(names);
    OK(db, cdb_cmd_delete_resource(W, "name"));
    OK(db, cdb_cmd_delete_resource(W, "ip2"));
    REJECT(db, 5007, cdb_cmd_delete_resource(W, "ip1"));
    REJECT(db, 87, cdb_cmd_delete_resource(W, NULL));
}

static void test_dependencies(void **state)
{
    struct cdb *db = *state;
    char **names = NULL;
    size_t n = 0;

    assert_int_equal(cdb_dependencies(db, "NAME", &names, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(names[0], "ip1");
    assert_string_equal(names[1], "ip2");
    free(names);
    assert_int_equal(cdb_dependencies(db, "ip1", &names, &n), 0);
    assert_int_equal(n, 0);
    assert_null(names);
    assert_int_equal(cdb_dependencies(db, "none", &names, &n), -ENOENT);

    OK(db, cdb_cmd_add_dependency(W, "ip2", "ip1"));
    REJECT(db, 5003, cdb_cmd_add_dependency(W, "name", "IP1"));
    REJECT(db, 1059, cdb_cmd_add_dependency(W, "ip1", "ip1"));
    REJECT(db, 1059, cdb_cmd_add_dependency(W, "ip1", "ip2"));
    REJECT(db, 1059, cdb_cmd_add_dependency(W, "ip1", "name")); /* name -> ip2 -> ip1 */
    REJECT(db, 5007, cdb_cmd_add_dependency(W, "none", "ip1"));
    REJECT(db, 5007, cdb_cmd_add_dependency(W, "ip1", "none"));
    REJECT(db, 87, cdb_cmd_add_dependency(W, "ip1", NULL));
    OK(db, cdb_cmd_add_resource(W, "ip3", "IP Address", "Other", NULL, 0));
    REJECT(db, 87, cdb_cmd_add_dependency(W, "ip3", "ip1"));
}

/* ---------------------------------------------------------------------------------------- */
/* Preferred owners                                                                         */
/* ---------------------------------------------------------------------------------------- */

static void test_preferred(void **state)
{
    struct cdb *db = *state;
    static const uint64_t three[] = {3, 1, 2};
    static const uint64_t dup[] = {1, 2, 1};
    static const uint64_t unknown[] = {1, 9};
    static const uint64_t zero[] = {0};
    uint64_t *ids = NULL;
    size_t n = 0;

    assert_int_equal(cdb_preferred(db, "cluster group", &ids, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], 2);
    assert_int_equal(ids[1], 1);
    free(ids);
    assert_int_equal(cdb_preferred(db, "Other", &ids, &n), 0);
    assert_int_equal(n, 0);
    assert_null(ids);

    OK(db, cdb_cmd_set_preferred(W, "Cluster Group", three, 3));
    assert_int_equal(cdb_preferred(db, "Cluster Group", &ids, &n), 0);
    assert_int_equal(n, 3);
    assert_memory_equal(ids, three, sizeof(three));
    free(ids);

    REJECT(db, 87, cdb_cmd_set_preferred(W, "Cluster Group", dup, 3));
    REJECT(db, 5042, cdb_cmd_set_preferred(W, "Cluster Group", unknown, 2));
    REJECT(db, 87, cdb_cmd_set_preferred(W, "Cluster Group", zero, 1));
    REJECT(db, 5013, cdb_cmd_set_preferred(W, "none", three, 3));

    OK(db, cdb_cmd_set_preferred(W, "Cluster Group", NULL, 0));
    assert_int_equal(cdb_preferred(db, "Cluster Group", &ids, &n), 0);
    assert_int_equal(n, 0);
}

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
    OK(db, cdb_cmd_confirm_node(W, 2));
    assert_int_equal(cdb_node_by_id(db, 2, &node), 0);
    assert_int_equal(node.incarnation, 1);
    assert_int_equal(node.state, 0);
    OK(db, cdb_cmd_set_node_state(W, 2, 2)); /* paused by the administrator */
    OK(db, cdb_cmd_confirm_node(W, 2));
    assert_int_equal(cdb_node_by_id(db, 2, &node), 0);
    assert_int_equal(node.incarnation, 2);
    assert_int_equal(node.state, 2);
    REJECT(db, 5042, cdb_cmd_confirm_node(W, 9));
    REJECT(db, 87, cdb_cmd_confirm_node(W, 0));
}

/* A takeover batch that expects an older incarnation is refused as a whole. */
static void test_expect_node(void **state)
{
    struct cdb *db = *state;
    struct wire_writer w;
    struct cdb_group group;
    size_t mark;

    OK(db, cdb_cmd_expect_node(W, 2, 0));
    OK(db, cdb_cmd_confirm_node(W, 2));
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
/* Snapshots and determinism                                                                */
/* ---------------------------------------------------------------------------------------- */

static void test_snapshot_restore(void **state)
{
    struct cdb *db = *state, *copy = NULL;
    struct cdb_resource *res = NULL;
    void *snap = NULL;
    size_t len = 0, n = 0;

    OK(db, cdb_cmd_set_group_state(W, "Cluster Group", 0, 1));
    assert_int_equal(cdb_snapshot(db, &snap, &len), 0);
    assert_true(len >= 512);
    assert_int_equal(cdb_new(&copy), 0);
    OK(copy, cdb_cmd_add_group(W, "to be replaced", false));
    assert_int_equal(cdb_restore(copy, snap, len), 0);
    free(snap);
    assert_true(hash_of(copy) == hash_of(db));
    assert_int_equal(cdb_version(copy), cdb_version(db));
    assert_int_equal(cdb_version(copy), POPULATE_COMMANDS + 1);

    /* both go on identically, foreign keys included */
    OK(db, cdb_cmd_delete_group(W, "Cluster Group"));
    OK(copy, cdb_cmd_delete_group(W, "Cluster Group"));
    OK(db, cdb_cmd_add_group(W, "New", false));
    OK(copy, cdb_cmd_add_group(W, "New", false));
    REJECT(copy, 5042, cdb_cmd_set_group_state(W, "New", 0, 9));
    assert_int_equal(cdb_resources(copy, NULL, &res, &n), 0);
    assert_int_equal(n, 0);
    assert_true(hash_of(copy) == hash_of(db));
    cdb_free(copy);
}

static void test_restore_rejects_garbage(void **state)
{
    struct cdb *db = *state, *other = NULL;
    uint64_t h0 = hash_of(db);
    uint8_t junk[4096];
    void *snap = NULL;
    size_t len = 0;

    memset(junk, 0x5a, sizeof(junk));
    assert_int_equal(cdb_restore(db, junk, sizeof(junk)), -EBADMSG);
    assert_int_equal(cdb_restore(db, junk, 10), -EBADMSG);
    assert_true(hash_of(db) == h0);
    assert_int_equal(cdb_version(db), POPULATE_COMMANDS);

    /* a truncated snapshot is refused too */
    assert_int_equal(cdb_new(&other), 0);
    assert_int_equal(cdb_snapshot(other, &snap, &len), 0);
    assert_true(len > 1024);
    assert_int_equal(cdb_restore(db, snap, len / 2), -EBADMSG);
    assert_true(cdb_errmsg(db)[0] != '\0');
    free(snap);
    cdb_free(other);
    assert_true(hash_of(db) == h0);
    OK(db, cdb_cmd_add_group(W, "still works", false));
}

static void test_restore_rejects_foreign_database(void **state)
{
    struct cdb *db = *state, *other = NULL;
    uint64_t h0 = hash_of(db);
    void *snap = NULL;
    size_t len = 0;

    /* A well-formed SQLite file that is not a cluster database: flip the application id
     * (header offset 68) of a real snapshot. */
    assert_int_equal(cdb_new(&other), 0);
    assert_int_equal(cdb_snapshot(other, &snap, &len), 0);
    ((uint8_t *)snap)[68] ^= 0xff;
    assert_int_equal(cdb_restore(db, snap, len), -EBADMSG);
    free(snap);
    cdb_free(other);
    assert_true(hash_of(db) == h0);
}

/* A real cdb snapshot whose schema was altered behind cdb's back (a trigger added). */
static void test_restore_rejects_altered_schema(void **state)
{
    struct cdb *db = *state, *other = NULL;
    uint64_t h0 = hash_of(db);
    sqlite3 *conn = NULL;
    unsigned char *image;
    sqlite3_int64 size = 0;
    void *snap = NULL;
    size_t len = 0;

    assert_int_equal(cdb_new(&other), 0);
    assert_int_equal(cdb_snapshot(other, &snap, &len), 0);
    cdb_free(other);
    assert_int_equal(sqlite3_open(":memory:", &conn), SQLITE_OK);
    image = sqlite3_malloc64(len);
    assert_non_null(image);
    memcpy(image, snap, len);
    free(snap);
    assert_int_equal(sqlite3_deserialize(conn, "main", image, (sqlite3_int64)len,
                                         (sqlite3_int64)len,
                                         SQLITE_DESERIALIZE_FREEONCLOSE |
                                             SQLITE_DESERIALIZE_RESIZEABLE),
                     SQLITE_OK);
    assert_int_equal(sqlite3_exec(conn, "CREATE TRIGGER t AFTER INSERT ON grp BEGIN"
                                        " DELETE FROM node; END", NULL, NULL, NULL),
                     SQLITE_OK);
    image = sqlite3_serialize(conn, "main", &size, 0);
    assert_non_null(image);
    sqlite3_close(conn);

    assert_int_equal(cdb_restore(db, image, (size_t)size), -EBADMSG);
    assert_non_null(strstr(cdb_errmsg(db), "schema"));
    sqlite3_free(image);
    assert_true(hash_of(db) == h0);
}

static void test_same_log_same_hash(void **state)
{
    struct cdb *a = NULL, *b = NULL;
    uint64_t ha, hb;

    assert_int_equal(cdb_new(&a), 0);
    assert_int_equal(cdb_new(&b), 0);
    populate(a);
    populate(b);
    /* rejected commands are part of the log too */
    assert_int_equal(APPLY(a, cdb_cmd_add_group(W, "Other", false)), 5010);
    assert_int_equal(APPLY(b, cdb_cmd_add_group(W, "Other", false)), 5010);
    OK(a, cdb_cmd_remove_node(W, 1));
    OK(b, cdb_cmd_remove_node(W, 1));
    ha = hash_of(a);
    hb = hash_of(b);
    assert_true(ha == hb);
    assert_int_equal(cdb_version(a), cdb_version(b));

    OK(a, cdb_cmd_set_prop(W, "x", "1"));
    OK(b, cdb_cmd_set_prop(W, "x", "2"));
    assert_true(hash_of(a) != hash_of(b));
    cdb_free(a);
    cdb_free(b);
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

/* ---------------------------------------------------------------------------------------- */
/* Internal failure: SQLite running out of memory                                           */
/* ---------------------------------------------------------------------------------------- */

static sqlite3_mem_methods real_mem;
static long fail_countdown = -1; /* allocations to let through before one fails; -1: none */

static bool should_fail(void)
{
    if (fail_countdown < 0)
        return false;
    if (fail_countdown-- == 0) {
        fail_countdown = -1;
        return true;
    }
    return false;
}

static void *failing_malloc(int n)
{
    return should_fail() ? NULL : real_mem.xMalloc(n);
}

static void *failing_realloc(void *p, int n)
{
    return should_fail() ? NULL : real_mem.xRealloc(p, n);
}

static void install_failing_malloc(void)
{
    sqlite3_mem_methods m;

    assert_int_equal(sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem), SQLITE_OK);
    m = real_mem;
    m.xMalloc = failing_malloc;
    m.xRealloc = failing_realloc;
    assert_int_equal(sqlite3_config(SQLITE_CONFIG_MALLOC, &m), SQLITE_OK);
}

/* The command under test: a batch that writes to several tables. */
static uint8_t *oom_command(size_t *ret_len)
{
    static const uint64_t pref[] = {3, 1};
    struct wire_writer w;
    uint8_t *buf;
    size_t mark;

    wire_writer_init(&w);
    cdb_cmd_batch(&w);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_add_resource(&w, "ip9", "IP Address", "Other", ip1_props, 2);
    cdb_cmd_batch_sub_end(&w, mark);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_set_preferred(&w, "Other", pref, 2);
    cdb_cmd_batch_sub_end(&w, mark);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_remove_node(&w, 2);
    cdb_cmd_batch_sub_end(&w, mark);
    buf = wire_writer_take(&w, ret_len);
    assert_non_null(buf);
    return buf;
}

/*
 * Fails SQLite's Nth allocation during one apply, for every N until the command no longer
 * reaches the failure: each time the command either succeeds whole or returns -ENOMEM having
 * changed nothing, and the database keeps working.
 */
static void test_out_of_memory(void **state)
{
    size_t len = 0;
    uint8_t *cmd = oom_command(&len);
    struct cdb *db = NULL;
    uint64_t h0, h1;
    unsigned failures = 0;
    void *snap = NULL;
    size_t snap_len = 0;

    (void)state;
    assert_int_equal(cdb_new(&db), 0);
    populate(db);
    h0 = hash_of(db);
    assert_int_equal(cdb_snapshot(db, &snap, &snap_len), 0);
    assert_int_equal(apply_raw(db, cmd, len), 0);
    h1 = hash_of(db);
    cdb_free(db);

    for (long n = 0;; n++) {
        uint32_t status = 0xdeadbeef;
        int r;

        assert_int_equal(cdb_new(&db), 0);
        assert_int_equal(cdb_restore(db, snap, snap_len), 0);
        fail_countdown = n;
        r = cdb_apply(db, cmd, len, &status);
        if (fail_countdown >= 0) { /* no allocation failed: every point has been tried */
            fail_countdown = -1;
            assert_int_equal(r, 0);
            assert_int_equal(status, 0);
            cdb_free(db);
            break;
        }
        if (r == 0) { /* SQLite absorbed the failure */
            assert_int_equal(status, 0);
            assert_true(hash_of(db) == h1);
        } else {
            assert_int_equal(r, -ENOMEM);
            assert_int_equal(status, 0xdeadbeef);
            assert_true(hash_of(db) == h0);
            assert_int_equal(cdb_version(db), POPULATE_COMMANDS);
            assert_int_equal(apply_raw(db, cmd, len), 0);
            assert_true(hash_of(db) == h1);
            failures++;
        }
        cdb_free(db);
    }
    assert_true(failures > 10);
    free(snap);
    free(cmd);
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
    install_failing_malloc();

    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_is_empty, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_set_prop, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_set_prop_rejects, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_add_node, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_add_node_rejects, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_node_state_and_role, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_remove_node, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_confirm_node, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_expect_node, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_restypes, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_groups, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_add_group_core_flag, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_delete_group_cascades, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_resources, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_add_resource_rejects, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_resource_state, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_resource_handoff, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_sync, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_delete_resource, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_dependencies, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_preferred, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_batch, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_batch_is_atomic, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_batch_rejects_nesting_and_garbage, setup_populated,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_snapshot_restore, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_restore_rejects_garbage, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_restore_rejects_foreign_database, setup_populated,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_restore_rejects_altered_schema, setup_populated,
                                        teardown),
        cmocka_unit_test(test_same_log_same_hash),
        cmocka_unit_test_setup_teardown(test_truncated, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_types, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_and_missing, setup_populated, teardown),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_cmd_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
