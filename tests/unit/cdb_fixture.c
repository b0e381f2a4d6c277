/*
 * cdb_fixture — helpers of the cluster database's test programs (see cdb_fixture.h).
 */
#include "cdb_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

uint64_t hash_of(struct cdb *db)
{
    uint64_t h = 0;

    assert_int_equal(cdb_hash(db, &h), 0);
    return h;
}

uint32_t apply_raw(struct cdb *db, const void *buf, size_t len)
{
    uint32_t status = 0xdeadbeef;

    assert_int_equal(cdb_apply(db, buf, len, &status), 0);
    assert_int_not_equal(status, 0xdeadbeef);
    return status;
}

uint32_t apply_w(struct cdb *db, struct wire_writer *w)
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

const struct cdb_kv ip1_props[2] = {
    {"Address", "10.0.0.50"},
    {"SubnetMask", "255.255.255.0"},
};

void populate(struct cdb *db)
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

int setup_empty(void **state)
{
    struct cdb *db = NULL;

    if (cdb_new(&db) < 0)
        return -1;
    *state = db;
    return 0;
}

int setup_populated(void **state)
{
    struct cdb *db = NULL;

    if (cdb_new(&db) < 0)
        return -1;
    populate(db);
    *state = db;
    return 0;
}

int teardown(void **state)
{
    cdb_free(*state);
    return 0;
}

char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);

    assert_non_null(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}
