/*
 * cdb_apply — the cluster database's commands (see cdb_cmd.h): decoding each field of a command,
 * the checks and the change of one handler per command, and cdb_apply(), which runs them in one
 * transaction. Handlers return 0, a Win32 status (rejected: the transaction rolls back), or a
 * negative errno; they decide by explicit checks in a fixed order, reading only the database.
 */
#include "daemon/cdb/cdb_internal.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <clusapi.h>

#include "common/wire.h"
#include "common/cdb_cmd.h"

/* Initial states (CLUSTER_NODE_STATE Down, CLUSTER_GROUP_STATE Offline, resource Offline). */
#define NODE_STATE_INITIAL 1
#define NODE_STATE_UP 0
#define NODE_STATE_DOWN 1
#define GROUP_STATE_INITIAL 1
#define RESOURCE_STATE_INITIAL 3

/* ---------------------------------------------------------------------------------------- */
/* Command arguments                                                                        */
/* ---------------------------------------------------------------------------------------- */

struct msg {
    const uint8_t *data;
    size_t len;
};

#define ARG_OPTIONAL 1u /* absent: *ret = NULL */
#define ARG_EMPTY_OK 2u

static const char *tag_name(uint16_t tag)
{
    static const char *const names[] = {
        [CDB_TAG_CODE] = "code",         [CDB_TAG_KEY] = "key",
        [CDB_TAG_VALUE] = "value",       [CDB_TAG_ID] = "id",
        [CDB_TAG_NAME] = "name",         [CDB_TAG_ADDRESS] = "address",
        [CDB_TAG_PORT] = "port",         [CDB_TAG_RAFT_PORT] = "raft_port",
        [CDB_TAG_ROLE] = "role",         [CDB_TAG_STATE] = "state",
        [CDB_TAG_DRIVER] = "driver",     [CDB_TAG_CORE] = "core",
        [CDB_TAG_OWNER] = "owner",       [CDB_TAG_TYPE] = "type",
        [CDB_TAG_GROUP] = "group",       [CDB_TAG_PROP] = "prop",
        [CDB_TAG_RESOURCE] = "resource", [CDB_TAG_PROVIDER] = "provider",
        [CDB_TAG_NODE] = "node",         [CDB_TAG_CMD] = "cmd",
        [CDB_TAG_EXPECT_OWNER] = "expect_owner",
        [CDB_TAG_HANDOFF] = "handoff",
    };

    return tag < sizeof(names) / sizeof(names[0]) && names[tag] ? names[tag] : "?";
}

/* A wire error on a field: -ENOMEM stays internal, anything else rejects the command. */
static int bad_field(struct cdb *db, int r, uint16_t tag)
{
    if (r == -ENOMEM)
        return -ENOMEM;
    return cdb_reject(db, ERROR_INVALID_PARAMETER, "field '%s' %s", tag_name(tag),
                      r == -ENOENT ? "missing" : "malformed");
}

/* A string field of at most max bytes (non-empty unless ARG_EMPTY_OK), malloc'd. */
static int arg_str(struct cdb *db, const struct msg *m, uint16_t tag, size_t max, unsigned flags,
                   char **ret)
{
    char *s;
    size_t n;
    int r = wire_get_strdup(m->data, m->len, tag, &s);

    if (r == -ENOENT && (flags & ARG_OPTIONAL)) {
        *ret = NULL;
        return 0;
    }
    if (r < 0)
        return bad_field(db, r, tag);
    n = strlen(s);
    if ((n == 0 && !(flags & ARG_EMPTY_OK)) || n > max) {
        free(s);
        return cdb_reject(db, ERROR_INVALID_PARAMETER, "field '%s': length %zu not in 1..%zu",
                          tag_name(tag), n, max);
    }
    *ret = s;
    return 0;
}

static int arg_u64(struct cdb *db, const struct msg *m, uint16_t tag, uint64_t min, uint64_t max,
                   uint64_t *ret)
{
    uint64_t v;
    int r = wire_get_u64(m->data, m->len, tag, &v);

    if (r < 0)
        return bad_field(db, r, tag);
    if (v < min || v > max)
        return cdb_reject(db, ERROR_INVALID_PARAMETER, "field '%s': %llu out of range",
                          tag_name(tag), (unsigned long long)v);
    *ret = v;
    return 0;
}

static int arg_u32(struct cdb *db, const struct msg *m, uint16_t tag, uint32_t min, uint32_t max,
                   uint32_t *ret)
{
    uint32_t v;
    int r = wire_get_u32(m->data, m->len, tag, &v);

    if (r < 0)
        return bad_field(db, r, tag);
    if (v < min || v > max)
        return cdb_reject(db, ERROR_INVALID_PARAMETER, "field '%s': %u out of range", tag_name(tag),
                          v);
    *ret = v;
    return 0;
}

static int arg_state(struct cdb *db, const struct msg *m, int32_t min, int32_t max,
                     int32_t *ret)
{
    struct wire_field f;
    int64_t v;
    int r = wire_find(m->data, m->len, CDB_TAG_STATE, &f);

    if (r == 0)
        r = wire_field_i64(&f, &v);
    if (r < 0)
        return bad_field(db, r, CDB_TAG_STATE);
    if (v < min || v > max)
        return cdb_reject(db, ERROR_INVALID_PARAMETER, "state %lld out of range", (long long)v);
    *ret = (int32_t)v;
    return 0;
}

static int arg_node_id(struct cdb *db, const struct msg *m, uint16_t tag, uint64_t *ret)
{
    return arg_u64(db, m, tag, 1, INT64_MAX, ret);
}

/* An owner: a node id or 0 for none. */
static int arg_owner(struct cdb *db, const struct msg *m, uint64_t *ret)
{
    return arg_u64(db, m, CDB_TAG_OWNER, 0, INT64_MAX, ret);
}

/* ---------------------------------------------------------------------------------------- */
/* Lookups used by the handlers: 0, the "not found" status, or a negative errno             */
/* ---------------------------------------------------------------------------------------- */

static int need_node(struct cdb *db, uint64_t id)
{
    int r = cdb_sql_int(db, NULL, "SELECT 1 FROM node WHERE id = ?", "i", (int64_t)id);

    if (r == -ENOENT)
        return cdb_reject(db, ERROR_CLUSTER_NODE_NOT_FOUND, "node %llu not found",
                          (unsigned long long)id);
    return r;
}

/* An owner of 0 means "none" and always exists. */
static int need_owner(struct cdb *db, uint64_t owner)
{
    return owner == 0 ? 0 : need_node(db, owner);
}

static int need_group(struct cdb *db, const char *name, int64_t *ret_id)
{
    int r = cdb_sql_int(db, ret_id, "SELECT id FROM grp WHERE name = ?", "t", name);

    if (r == -ENOENT)
        return cdb_reject(db, ERROR_GROUP_NOT_FOUND, "group '%s' not found", name);
    return r;
}

static int need_resource(struct cdb *db, const char *name, int64_t *ret_id)
{
    int r = cdb_sql_int(db, ret_id, "SELECT id FROM resource WHERE name = ?", "t", name);

    if (r == -ENOENT)
        return cdb_reject(db, ERROR_RESOURCE_NOT_FOUND, "resource '%s' not found", name);
    return r;
}

/* 0 when the query finds nothing, else rejects with status (a duplicate). */
static int need_absent(struct cdb *db, int status, const char *what, const char *name,
                       const char *sql)
{
    int r = cdb_sql_int(db, NULL, sql, "t", name);

    if (r == 0)
        return cdb_reject(db, status, "%s '%s' already exists", what, name);
    return r == -ENOENT ? 0 : r;
}

/* ---------------------------------------------------------------------------------------- */
/* Command handlers: 0, a Win32 status (rejected), or a negative errno                      */
/* ---------------------------------------------------------------------------------------- */

static int cmd_set_prop(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *key = NULL;
    _cleanup_free_ char *value = NULL;
    int r;

    if ((r = arg_str(db, m, CDB_TAG_KEY, CDB_NAME_MAX, 0, &key)) ||
        (r = arg_str(db, m, CDB_TAG_VALUE, SIZE_MAX, ARG_OPTIONAL | ARG_EMPTY_OK, &value)))
        return r;
    if (value == NULL)
        return cdb_sql_exec(db, "DELETE FROM prop WHERE key = ?", "t", key);
    return cdb_sql_exec(db,
                        "INSERT INTO prop(key, value) VALUES(?, ?)"
                        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        "tt", key, value);
}

static int cmd_add_node(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *name = NULL;
    _cleanup_free_ char *address = NULL;
    uint64_t id;
    uint32_t port, raft_port, role;
    int r;

    if ((r = arg_node_id(db, m, CDB_TAG_ID, &id)) ||
        (r = arg_str(db, m, CDB_TAG_NAME, CDB_NODE_NAME_MAX, 0, &name)) ||
        (r = arg_str(db, m, CDB_TAG_ADDRESS, CDB_ADDRESS_MAX, 0, &address)) ||
        (r = arg_u32(db, m, CDB_TAG_PORT, 1, 65535, &port)) ||
        (r = arg_u32(db, m, CDB_TAG_RAFT_PORT, 1, 65535, &raft_port)) ||
        (r = arg_u32(db, m, CDB_TAG_ROLE, 0, 2, &role)))
        return r;
    r = cdb_sql_int(db, NULL, "SELECT 1 FROM node WHERE id = ? OR name = ?", "it", (int64_t)id,
                    name);
    if (r == 0)
        return cdb_reject(db, ERROR_CLUSTER_NODE_EXISTS, "node %llu or '%s' already exists",
                          (unsigned long long)id, name);
    if (r != -ENOENT)
        return r;
    return cdb_sql_exec(db,
                        "INSERT INTO node(id, name, address, port, raft_port, role, state,"
                        " incarnation) VALUES(?, ?, ?, ?, ?, ?, ?, 0)",
                        "ittiiii", (int64_t)id, name, address, (int64_t)port, (int64_t)raft_port,
                        (int64_t)role, (int64_t)NODE_STATE_INITIAL);
}

static int cmd_remove_node(struct cdb *db, const struct msg *m)
{
    uint64_t id;
    int r;

    if ((r = arg_node_id(db, m, CDB_TAG_ID, &id)) || (r = need_node(db, id)))
        return r;
    return cdb_sql_exec(db, "DELETE FROM node WHERE id = ?", "i", (int64_t)id);
}

static int cmd_set_node_state(struct cdb *db, const struct msg *m)
{
    uint64_t id;
    int32_t state;
    int r;

    if ((r = arg_node_id(db, m, CDB_TAG_ID, &id)) || (r = arg_state(db, m, -1, 3, &state)) ||
        (r = need_node(db, id)))
        return r;
    return cdb_sql_exec(db, "UPDATE node SET state = ? WHERE id = ?", "ii", (int64_t)state,
                        (int64_t)id);
}

static int cmd_confirm_node(struct cdb *db, const struct msg *m)
{
    uint64_t id;
    int r;

    if ((r = arg_node_id(db, m, CDB_TAG_ID, &id)) || (r = need_node(db, id)))
        return r;
    return cdb_sql_exec(db,
                        "UPDATE node SET incarnation = incarnation + 1,"
                        " state = CASE state WHEN ? THEN ? ELSE state END WHERE id = ?",
                        "iii", (int64_t)NODE_STATE_DOWN, (int64_t)NODE_STATE_UP, (int64_t)id);
}

static int cmd_expect_node(struct cdb *db, const struct msg *m)
{
    uint64_t id, incarnation;
    int64_t have;
    int r;

    if ((r = arg_node_id(db, m, CDB_TAG_ID, &id)) ||
        (r = arg_u64(db, m, CDB_TAG_INCARNATION, 0, INT64_MAX, &incarnation)) ||
        (r = need_node(db, id)) ||
        (r = cdb_sql_int(db, &have, "SELECT incarnation FROM node WHERE id = ?", "i", (int64_t)id)))
        return r;
    if ((uint64_t)have != incarnation)
        return cdb_reject(db, ERROR_INVALID_STATE,
                          "node %llu came back (incarnation %lld, not %llu)",
                          (unsigned long long)id, (long long)have, (unsigned long long)incarnation);
    return 0;
}

static int cmd_set_node_role(struct cdb *db, const struct msg *m)
{
    uint64_t id;
    uint32_t role;
    int r;

    if ((r = arg_node_id(db, m, CDB_TAG_ID, &id)) ||
        (r = arg_u32(db, m, CDB_TAG_ROLE, 0, 2, &role)) || (r = need_node(db, id)))
        return r;
    return cdb_sql_exec(db, "UPDATE node SET role = ? WHERE id = ?", "ii", (int64_t)role,
                        (int64_t)id);
}

static int cmd_add_restype(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *name = NULL;
    _cleanup_free_ char *driver = NULL;
    int r;

    if ((r = arg_str(db, m, CDB_TAG_NAME, CDB_NAME_MAX, 0, &name)) ||
        (r = arg_str(db, m, CDB_TAG_DRIVER, CDB_NAME_MAX, 0, &driver)) ||
        (r = need_absent(db, ERROR_OBJECT_ALREADY_EXISTS, "resource type", name,
                         "SELECT 1 FROM restype WHERE name = ?")))
        return r;
    return cdb_sql_exec(db, "INSERT INTO restype(name, driver) VALUES(?, ?)", "tt", name, driver);
}

static int cmd_add_group(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *name = NULL;
    uint32_t core;
    int r;

    if ((r = arg_str(db, m, CDB_TAG_NAME, CDB_NAME_MAX, 0, &name)) ||
        (r = arg_u32(db, m, CDB_TAG_CORE, 0, 1, &core)) ||
        (r = need_absent(db, ERROR_OBJECT_ALREADY_EXISTS, "group", name,
                         "SELECT 1 FROM grp WHERE name = ?")))
        return r;
    return cdb_sql_exec(db, "INSERT INTO grp(name, core, state, owner) VALUES(?, ?, ?, NULL)",
                        "tii", name, (int64_t)core, (int64_t)GROUP_STATE_INITIAL);
}

static int cmd_delete_group(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *name = NULL;
    int64_t id;
    int r;

    if ((r = arg_str(db, m, CDB_TAG_NAME, CDB_NAME_MAX, 0, &name)) ||
        (r = need_group(db, name, &id)))
        return r;
    return cdb_sql_exec(db, "DELETE FROM grp WHERE id = ?", "i", id);
}

/* The optional EXPECT_OWNER condition of a state report: 0 if absent or met. */
static int check_expected_owner(struct cdb *db, const struct msg *m, const char *table,
                                int64_t id)
{
    uint64_t expect;
    int64_t owner = 0;
    char sql[80];
    int r;

    if (wire_get_u64(m->data, m->len, CDB_TAG_EXPECT_OWNER, &expect) == -ENOENT)
        return 0;
    snprintf(sql, sizeof(sql), "SELECT owner FROM %s WHERE id = ?", table);
    r = cdb_sql_int(db, &owner, sql, "i", id);
    if (r < 0)
        return r;
    if ((uint64_t)owner != expect)
        return cdb_reject(db, ERROR_INVALID_STATE, "owned by node %lld, not %llu", (long long)owner,
                          (unsigned long long)expect);
    return 0;
}

static int cmd_set_group_state(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *name = NULL;
    int32_t state;
    uint64_t owner;
    int64_t id;
    int r;

    if ((r = arg_str(db, m, CDB_TAG_NAME, CDB_NAME_MAX, 0, &name)) ||
        (r = arg_state(db, m, -1, 4, &state)) || (r = arg_owner(db, m, &owner)) ||
        (r = need_group(db, name, &id)) || (r = need_owner(db, owner)) ||
        (r = check_expected_owner(db, m, "grp", id)))
        return r;
    return cdb_sql_exec(db, "UPDATE grp SET state = ?, owner = ? WHERE id = ?", "ioi",
                        (int64_t)state, owner, id);
}

/* The nested PROP fields of ADD_RESOURCE; a repeated key breaks the primary key (87). */
static int add_resource_props(struct cdb *db, const struct msg *m, int64_t resource)
{
    struct wire_reader rd;
    struct wire_field f;
    int r;

    wire_reader_init(&rd, m->data, m->len);
    while ((r = wire_next(&rd, &f)) > 0) {
        struct msg prop = {f.value, f.len};
        _cleanup_free_ char *key = NULL;
        _cleanup_free_ char *value = NULL;

        if (f.tag != CDB_TAG_PROP)
            continue;
        if ((r = arg_str(db, &prop, CDB_TAG_KEY, CDB_NAME_MAX, 0, &key)) ||
            (r = arg_str(db, &prop, CDB_TAG_VALUE, SIZE_MAX, ARG_EMPTY_OK, &value)) ||
            (r = cdb_sql_exec(db, "INSERT INTO resprop(resource, key, value) VALUES(?, ?, ?)",
                              "itt", resource, key, value)))
            return r;
    }
    return r < 0 ? bad_field(db, r, CDB_TAG_PROP) : 0;
}

static int cmd_add_resource(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *name = NULL;
    _cleanup_free_ char *type = NULL;
    _cleanup_free_ char *group = NULL;
    int64_t grp;
    int r;

    if ((r = arg_str(db, m, CDB_TAG_NAME, CDB_NAME_MAX, 0, &name)) ||
        (r = arg_str(db, m, CDB_TAG_TYPE, CDB_NAME_MAX, 0, &type)) ||
        (r = arg_str(db, m, CDB_TAG_GROUP, CDB_NAME_MAX, 0, &group)) ||
        (r = need_absent(db, ERROR_OBJECT_ALREADY_EXISTS, "resource", name,
                         "SELECT 1 FROM resource WHERE name = ?")))
        return r;
    r = cdb_sql_int(db, NULL, "SELECT 1 FROM restype WHERE name = ?", "t", type);
    if (r == -ENOENT)
        return cdb_reject(db, ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND, "resource type '%s' not found",
                          type);
    if (r < 0 || (r = need_group(db, group, &grp)))
        return r;
    /* The type is stored as registered, whatever case the command used. */
    r = cdb_sql_exec(db,
                     "INSERT INTO resource(name, type, grp, state, owner)"
                     " SELECT ?, name, ?, ?, NULL FROM restype WHERE name = ?",
                     "tiit", name, grp, (int64_t)RESOURCE_STATE_INITIAL, type);
    if (r != 0)
        return r;
    return add_resource_props(db, m, sqlite3_last_insert_rowid(db->conn));
}

static int cmd_delete_resource(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *name = NULL;
    int64_t id;
    int r;

    if ((r = arg_str(db, m, CDB_TAG_NAME, CDB_NAME_MAX, 0, &name)) ||
        (r = need_resource(db, name, &id)))
        return r;
    return cdb_sql_exec(db, "DELETE FROM resource WHERE id = ?", "i", id);
}

/* CLUSTER_RESOURCE_STATE: Unknown -1, Inherited 0, Initializing 1, Online 2, Offline 3,
 * Failed 4, Pending 128, OnlinePending 129, OfflinePending 130. */
static bool resource_state_valid(int32_t s)
{
    return (s >= -1 && s <= 4) || (s >= 128 && s <= 130);
}

static int cmd_set_resource_state(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *name = NULL;
    int32_t state;
    uint64_t owner;
    int64_t id;
    int r;

    if ((r = arg_str(db, m, CDB_TAG_NAME, CDB_NAME_MAX, 0, &name)) ||
        (r = arg_state(db, m, -1, 130, &state)) || (r = arg_owner(db, m, &owner)))
        return r;
    if (!resource_state_valid(state))
        return cdb_reject(db, ERROR_INVALID_PARAMETER, "resource state %d invalid", state);
    if ((r = need_resource(db, name, &id)) || (r = need_owner(db, owner)) ||
        (r = check_expected_owner(db, m, "resource", id)))
        return r;
    if (wire_get_u32(m->data, m->len, CDB_TAG_HANDOFF, &(uint32_t){0}) != -ENOENT) {
        uint32_t flag;

        if ((r = arg_u32(db, m, CDB_TAG_HANDOFF, 1, 1, &flag)) ||
            (r = cdb_sql_exec(db,
                              "UPDATE resource SET handoff = NULLIF(COALESCE(handoff, owner), ?)"
                              " WHERE id = ?",
                              "ii", (int64_t)owner, id)))
            return r;
    }
    return cdb_sql_exec(db, "UPDATE resource SET state = ?, owner = ? WHERE id = ?", "ioi",
                        (int64_t)state, owner, id);
}

static int cmd_sync(struct cdb *db, const struct msg *m)
{
    (void)db;
    (void)m;
    return 0;
}

static int cmd_release_resource(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *name = NULL;
    uint64_t node;
    int64_t id;
    int r;

    if ((r = arg_str(db, m, CDB_TAG_NAME, CDB_NAME_MAX, 0, &name)) ||
        (r = arg_node_id(db, m, CDB_TAG_NODE, &node)) || (r = need_resource(db, name, &id)))
        return r;
    r = cdb_sql_int(db, NULL, "SELECT 1 FROM resource WHERE id = ? AND handoff = ?", "ii", id,
                    (int64_t)node);
    if (r == -ENOENT)
        return cdb_reject(db, ERROR_INVALID_STATE, "node %llu is not handing '%s' over",
                          (unsigned long long)node, name);
    if (r < 0)
        return r;
    return cdb_sql_exec(db, "UPDATE resource SET handoff = NULL WHERE id = ?", "i", id);
}

/* Checks of a new edge resource -> provider, after both exist. */
static int check_dependency(struct cdb *db, int64_t res, int64_t prov, const char *name)
{
    int r = cdb_sql_int(db, NULL,
                        "SELECT 1 FROM resource a JOIN resource b ON a.grp = b.grp"
                        " WHERE a.id = ? AND b.id = ?",
                        "ii", res, prov);

    if (r == -ENOENT)
        return cdb_reject(db, ERROR_INVALID_PARAMETER,
                          "'%s' and its provider are in different groups", name);
    if (r < 0)
        return r;
    r = cdb_sql_int(db, NULL, "SELECT 1 FROM dependency WHERE resource = ? AND provider = ?", "ii",
                    res, prov);
    if (r == 0)
        return cdb_reject(db, ERROR_DEPENDENCY_ALREADY_EXISTS, "dependency already exists");
    if (r != -ENOENT)
        return r;
    /* A cycle exists if resource is already reachable from provider (or is the provider). */
    r = cdb_sql_int(db, NULL,
                    "WITH RECURSIVE up(id) AS (SELECT ? UNION"
                    " SELECT d.provider FROM dependency d JOIN up ON d.resource = up.id)"
                    " SELECT 1 FROM up WHERE id = ?",
                    "ii", prov, res);
    if (r == 0)
        return cdb_reject(db, ERROR_CIRCULAR_DEPENDENCY, "dependency of '%s' would be circular",
                          name);
    return r == -ENOENT ? 0 : r;
}

static int cmd_add_dependency(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *resource = NULL;
    _cleanup_free_ char *provider = NULL;
    int64_t res, prov;
    int r;

    if ((r = arg_str(db, m, CDB_TAG_RESOURCE, CDB_NAME_MAX, 0, &resource)) ||
        (r = arg_str(db, m, CDB_TAG_PROVIDER, CDB_NAME_MAX, 0, &provider)) ||
        (r = need_resource(db, resource, &res)) || (r = need_resource(db, provider, &prov)) ||
        (r = check_dependency(db, res, prov, resource)))
        return r;
    return cdb_sql_exec(db, "INSERT INTO dependency(resource, provider) VALUES(?, ?)", "ii", res,
                        prov);
}

static int cmd_set_preferred(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *group = NULL;
    struct wire_reader rd;
    struct wire_field f;
    int64_t grp, rank = 0;
    int r;

    if ((r = arg_str(db, m, CDB_TAG_GROUP, CDB_NAME_MAX, 0, &group)) ||
        (r = need_group(db, group, &grp)) ||
        (r = cdb_sql_exec(db, "DELETE FROM preferred WHERE grp = ?", "i", grp)))
        return r;
    wire_reader_init(&rd, m->data, m->len);
    while ((r = wire_next(&rd, &f)) > 0) {
        uint64_t id;

        if (f.tag != CDB_TAG_NODE)
            continue;
        if (wire_field_u64(&f, &id) < 0 || id == 0 || id > INT64_MAX)
            return bad_field(db, -EBADMSG, CDB_TAG_NODE);
        if ((r = need_node(db, id)) ||
            (r = cdb_sql_exec(db, "INSERT INTO preferred(grp, node, rank) VALUES(?, ?, ?)", "iii",
                              grp, (int64_t)id, rank++)))
            return r;
    }
    return r < 0 ? bad_field(db, r, CDB_TAG_NODE) : 0;
}

typedef int (*cmd_handler)(struct cdb *db, const struct msg *m);

static const cmd_handler handlers[CDB_CMD_MAX + 1] = {
    [CDB_CMD_SET_PROP] = cmd_set_prop,
    [CDB_CMD_ADD_NODE] = cmd_add_node,
    [CDB_CMD_REMOVE_NODE] = cmd_remove_node,
    [CDB_CMD_SET_NODE_STATE] = cmd_set_node_state,
    [CDB_CMD_SET_NODE_ROLE] = cmd_set_node_role,
    [CDB_CMD_ADD_RESTYPE] = cmd_add_restype,
    [CDB_CMD_ADD_GROUP] = cmd_add_group,
    [CDB_CMD_DELETE_GROUP] = cmd_delete_group,
    [CDB_CMD_SET_GROUP_STATE] = cmd_set_group_state,
    [CDB_CMD_ADD_RESOURCE] = cmd_add_resource,
    [CDB_CMD_DELETE_RESOURCE] = cmd_delete_resource,
    [CDB_CMD_SET_RESOURCE_STATE] = cmd_set_resource_state,
    [CDB_CMD_ADD_DEPENDENCY] = cmd_add_dependency,
    [CDB_CMD_SET_PREFERRED] = cmd_set_preferred,
    [CDB_CMD_RELEASE_RESOURCE] = cmd_release_resource,
    [CDB_CMD_SYNC] = cmd_sync,
    [CDB_CMD_CONFIRM_NODE] = cmd_confirm_node,
    [CDB_CMD_EXPECT_NODE] = cmd_expect_node,
    /* BATCH is handled by apply_cmd() itself, which knows the nesting. */
};

static int apply_cmd(struct cdb *db, const void *data, size_t len, bool nested);

static int cmd_batch(struct cdb *db, const struct msg *m)
{
    struct wire_reader rd;
    struct wire_field f;
    int r;

    wire_reader_init(&rd, m->data, m->len);
    while ((r = wire_next(&rd, &f)) > 0) {
        if (f.tag == CDB_TAG_CMD && (r = apply_cmd(db, f.value, f.len, true)) != 0)
            return r;
    }
    return r < 0 ? bad_field(db, r, CDB_TAG_CMD) : 0;
}

static int apply_cmd(struct cdb *db, const void *data, size_t len, bool nested)
{
    struct msg m = {data, len};
    uint32_t code;
    int r;

    if (wire_validate(data, len) < 0)
        return cdb_reject(db, ERROR_INVALID_PARAMETER, "malformed command");
    r = wire_get_u32(data, len, CDB_TAG_CODE, &code);
    if (r < 0)
        return bad_field(db, r, CDB_TAG_CODE);
    if (code == CDB_CMD_BATCH)
        return nested ? cdb_reject(db, ERROR_INVALID_PARAMETER, "BATCH inside BATCH")
                      : cmd_batch(db, &m);
    if (code > CDB_CMD_MAX || handlers[code] == NULL)
        return cdb_reject(db, ERROR_INVALID_PARAMETER, "unknown command %u", code);
    return handlers[code](db, &m);
}

/* ---------------------------------------------------------------------------------------- */
/* Apply                                                                                    */
/* ---------------------------------------------------------------------------------------- */

static void rollback(struct cdb *db)
{
    /* An SQLite error may already have ended the transaction. */
    if (!sqlite3_get_autocommit(db->conn))
        sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
}

int cdb_apply(struct cdb *db, const void *cmd, size_t len, uint32_t *ret_status)
{
    int r;

    db->errmsg[0] = '\0';
    r = cdb_sql_exec(db, "BEGIN IMMEDIATE", "");
    if (r != 0)
        return r < 0 ? r : -EIO;
    r = apply_cmd(db, cmd, len, false);
    if (r == 0)
        r = cdb_sql_exec(db, "UPDATE meta SET value = value + 1 WHERE key = 'version'", "");
    if (r == 0)
        r = cdb_sql_exec(db, "COMMIT", "");
    if (r != 0)
        rollback(db);
    if (r < 0)
        return r;
    if (r == 0)
        db->version++;
    *ret_status = (uint32_t)r;
    return 0;
}
