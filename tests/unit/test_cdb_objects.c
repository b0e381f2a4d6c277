/*
 * test_cdb_objects — the cluster database's objects: each command that adds, changes or removes
 * properties, nodes, resource types, groups, resources, dependencies and preferred owners, each
 * of its rejections (with the database proven unchanged), the queries that read them back and
 * the foreign-key effects of a removal.
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

#include "common/wire.h"
#include "daemon/cdb/cdb.h"
#include "common/cdb_cmd.h"
#include "cdb_fixture.h"

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

    /* a provider goes only once nothing depends on it (MS-CMRP ApiDeleteResource) */
    REJECT(db, ERROR_DEPENDENT_RESOURCE_EXISTS, cdb_cmd_delete_resource(W, "IP1"));
    OK(db, cdb_cmd_set_dependencies(W, "name", (const char *const *const[]){
                                       (const char *const[]){"ip2"}}, (size_t[]){1}, 1));
    OK(db, cdb_cmd_delete_resource(W, "IP1"));
    assert_int_equal(cdb_resource_props(db, "ip1", &props, &n), -ENOENT);
    assert_int_equal(cdb_dependencies(db, "name", &names, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(names[0], "ip2");
    free(names);
    /* only an Offline or Failed one */
    OK(db, cdb_cmd_set_resource_state(W, "name", ClusterResourceOnline, 1));
    REJECT(db, ERROR_INVALID_STATE, cdb_cmd_delete_resource(W, "name"));
    OK(db, cdb_cmd_set_resource_state(W, "name", ClusterResourceFailed, 1));
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_is_empty, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_set_prop, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_set_prop_rejects, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_add_node, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_add_node_rejects, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_node_state_and_role, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_remove_node, setup_populated, teardown),
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
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
