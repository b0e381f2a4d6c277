/*
 * cdb — the cluster database (see cdb.h): schema, command application, snapshots, hash, queries.
 *
 * Determinism: a command's effect depends only on the database and the command bytes. Ids come
 * from SQLite's AUTOINCREMENT (max ever used + 1, kept in sqlite_sequence, which snapshots and the
 * hash include), every check reads only the database, and nothing reads the clock. Rejections
 * are decided by explicit checks in a fixed order, so every node reports the same status.
 */
#include "daemon/cdb/cdb.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include <clusapi.h>

#include "common/wire.h"
#include "common/cdb_cmd.h"

#define CDB_APPLICATION_ID 1128546865 /* 0x43444231, "CDB1" */
#define CDB_SCHEMA_VERSION 3
#define STR_(x) #x
#define STR(x) STR_(x)
#define CDB_ERRMSG_SIZE 256

/* Initial states (CLUSTER_NODE_STATE Down, CLUSTER_GROUP_STATE Offline, resource Offline). */
#define NODE_STATE_INITIAL 1
#define NODE_STATE_UP 0
#define NODE_STATE_DOWN 1
#define GROUP_STATE_INITIAL 1
#define RESOURCE_STATE_INITIAL 3

struct cdb {
    sqlite3 *conn;
    uint64_t version; /* cache of meta.version */
    char errmsg[CDB_ERRMSG_SIZE];
};

static void freep(void *p)
{
    free(*(void **)p);
}
#define _cleanup_free_ __attribute__((cleanup(freep)))

/* Owners and preferred nodes refer to node rows, so a removed node disappears from them by itself
 * (owner NULL is "no owner", shown as 0). A group's resources, a resource's properties and
 * dependencies go with their parent. */
static const char schema_sql[] =
    "PRAGMA application_id = " STR(CDB_APPLICATION_ID) ";"
    "PRAGMA user_version = " STR(CDB_SCHEMA_VERSION) ";"
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
    "INSERT INTO meta(key, value) VALUES('version', 0);"
    "CREATE TABLE prop(key TEXT PRIMARY KEY COLLATE NOCASE, value TEXT NOT NULL);"
    "CREATE TABLE node(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    " address TEXT NOT NULL, port INTEGER NOT NULL, raft_port INTEGER NOT NULL,"
    " role INTEGER NOT NULL, state INTEGER NOT NULL, incarnation INTEGER NOT NULL);"
    "CREATE TABLE restype(name TEXT PRIMARY KEY COLLATE NOCASE, driver TEXT NOT NULL);"
    "CREATE TABLE grp(id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " name TEXT NOT NULL UNIQUE COLLATE NOCASE, core INTEGER NOT NULL, state INTEGER NOT NULL,"
    " owner INTEGER REFERENCES node(id) ON DELETE SET NULL);"
    "CREATE INDEX grp_owner ON grp(owner);"
    "CREATE TABLE resource(id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " name TEXT NOT NULL UNIQUE COLLATE NOCASE, type TEXT NOT NULL REFERENCES restype(name),"
    " grp INTEGER NOT NULL REFERENCES grp(id) ON DELETE CASCADE, state INTEGER NOT NULL,"
    " owner INTEGER REFERENCES node(id) ON DELETE SET NULL,"
    " handoff INTEGER REFERENCES node(id) ON DELETE SET NULL);"
    "CREATE INDEX resource_grp ON resource(grp);"
    "CREATE INDEX resource_owner ON resource(owner);"
    "CREATE INDEX resource_type ON resource(type);"
    "CREATE TABLE resprop(resource INTEGER NOT NULL REFERENCES resource(id) ON DELETE CASCADE,"
    " key TEXT NOT NULL COLLATE NOCASE, value TEXT NOT NULL, PRIMARY KEY(resource, key))"
    " WITHOUT ROWID;"
    "CREATE TABLE dependency("
    " resource INTEGER NOT NULL REFERENCES resource(id) ON DELETE CASCADE,"
    " provider INTEGER NOT NULL REFERENCES resource(id) ON DELETE CASCADE,"
    " PRIMARY KEY(resource, provider)) WITHOUT ROWID;"
    "CREATE INDEX dependency_provider ON dependency(provider);"
    "CREATE TABLE preferred(grp INTEGER NOT NULL REFERENCES grp(id) ON DELETE CASCADE,"
    " node INTEGER NOT NULL REFERENCES node(id) ON DELETE CASCADE, rank INTEGER NOT NULL,"
    " PRIMARY KEY(grp, node), UNIQUE(grp, rank)) WITHOUT ROWID;"
    "CREATE INDEX preferred_node ON preferred(node);";

/* ---------------------------------------------------------------------------------------- */
/* Errors and SQL helpers                                                                   */
/* ---------------------------------------------------------------------------------------- */

/* Records a rejection and returns its Win32 status, so handlers can `return reject(...)`. */
__attribute__((format(printf, 3, 4)))
static int reject(struct cdb *db, int status, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(db->errmsg, sizeof(db->errmsg), fmt, ap);
    va_end(ap);
    return status;
}

/* An SQLite failure as a negative errno; only memory exhaustion is told apart. */
static int fail_sql(struct cdb *db, int rc)
{
    snprintf(db->errmsg, sizeof(db->errmsg), "sqlite: %s", sqlite3_errstr(rc));
    return (rc & 0xff) == SQLITE_NOMEM ? -ENOMEM : -EIO;
}

/*
 * Prepares sql and binds one argument per character of types: 'i' int64_t, 'o' uint64_t node id
 * bound as NULL when 0, 't' const char *.
 */
static int prepare_v(struct cdb *db, sqlite3_stmt **ret, const char *sql, const char *types,
                     va_list ap)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db->conn, sql, -1, &st, NULL);

    if (rc != SQLITE_OK)
        return fail_sql(db, rc);
    for (int i = 0; rc == SQLITE_OK && types[i] != '\0'; i++) {
        uint64_t id;

        switch (types[i]) {
        case 'i':
            rc = sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
            break;
        case 'o':
            id = va_arg(ap, uint64_t);
            rc = id ? sqlite3_bind_int64(st, i + 1, (int64_t)id) : sqlite3_bind_null(st, i + 1);
            break;
        case 't':
            rc = sqlite3_bind_text(st, i + 1, va_arg(ap, const char *), -1, SQLITE_STATIC);
            break;
        default:
            rc = SQLITE_MISUSE;
        }
    }
    if (rc != SQLITE_OK) {
        sqlite3_finalize(st);
        return fail_sql(db, rc);
    }
    *ret = st;
    return 0;
}

static int prepare(struct cdb *db, sqlite3_stmt **ret, const char *sql, const char *types, ...)
{
    va_list ap;
    int r;

    va_start(ap, types);
    r = prepare_v(db, ret, sql, types, ap);
    va_end(ap);
    return r;
}

/*
 * Runs a statement to completion: 0, ERROR_INVALID_PARAMETER when it breaks a constraint the
 * handlers do not check beforehand (a repeated property key or preferred node), or a negative
 * errno.
 */
static int sql_exec(struct cdb *db, const char *sql, const char *types, ...)
{
    sqlite3_stmt *st;
    va_list ap;
    int r, rc;

    va_start(ap, types);
    r = prepare_v(db, &st, sql, types, ap);
    va_end(ap);
    if (r < 0)
        return r;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        ;
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return 0;
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return reject(db, ERROR_INVALID_PARAMETER, "constraint: %s", sqlite3_errstr(rc));
    return fail_sql(db, rc);
}

/* The first column of the first row (ret may be NULL): 0, -ENOENT if no row, negative errno. */
static int sql_int(struct cdb *db, int64_t *ret, const char *sql, const char *types, ...)
{
    sqlite3_stmt *st;
    va_list ap;
    int r, rc;

    va_start(ap, types);
    r = prepare_v(db, &st, sql, types, ap);
    va_end(ap);
    if (r < 0)
        return r;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && ret != NULL)
        *ret = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? -ENOENT : fail_sql(db, rc);
}

/* ---------------------------------------------------------------------------------------- */
/* Lifecycle                                                                                */
/* ---------------------------------------------------------------------------------------- */

/* A private in-memory connection with foreign keys on and the schema locked against tricks a
 * restored snapshot could carry (writable schema, untrusted functions in triggers or views). */
static int open_conn(sqlite3 **ret)
{
    sqlite3 *conn = NULL;
    int rc = sqlite3_open_v2(":memory:", &conn,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);

    if (rc == SQLITE_OK)
        rc = sqlite3_db_config(conn, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_db_config(conn, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_db_config(conn, SQLITE_DBCONFIG_ENABLE_FKEY, 1, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_close(conn);
        return (rc & 0xff) == SQLITE_NOMEM ? -ENOMEM : -EIO;
    }
    *ret = conn;
    return 0;
}

int cdb_new(struct cdb **ret)
{
    struct cdb *db = calloc(1, sizeof(*db));
    int r, rc;

    if (db == NULL)
        return -ENOMEM;
    r = open_conn(&db->conn);
    if (r < 0)
        goto err;
    rc = sqlite3_exec(db->conn, schema_sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        r = fail_sql(db, rc);
        goto err;
    }
    *ret = db;
    return 0;
err:
    cdb_free(db);
    return r;
}

void cdb_free(struct cdb *db)
{
    if (db == NULL)
        return;
    sqlite3_close(db->conn);
    free(db);
}

uint64_t cdb_version(const struct cdb *db)
{
    return db->version;
}

const char *cdb_errmsg(const struct cdb *db)
{
    return db->errmsg;
}

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
    return reject(db, ERROR_INVALID_PARAMETER, "field '%s' %s", tag_name(tag),
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
        return reject(db, ERROR_INVALID_PARAMETER, "field '%s': length %zu not in 1..%zu",
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
        return reject(db, ERROR_INVALID_PARAMETER, "field '%s': %llu out of range",
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
        return reject(db, ERROR_INVALID_PARAMETER, "field '%s': %u out of range",
                      tag_name(tag), v);
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
        return reject(db, ERROR_INVALID_PARAMETER, "state %lld out of range", (long long)v);
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
    int r = sql_int(db, NULL, "SELECT 1 FROM node WHERE id = ?", "i", (int64_t)id);

    if (r == -ENOENT)
        return reject(db, ERROR_CLUSTER_NODE_NOT_FOUND, "node %llu not found",
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
    int r = sql_int(db, ret_id, "SELECT id FROM grp WHERE name = ?", "t", name);

    if (r == -ENOENT)
        return reject(db, ERROR_GROUP_NOT_FOUND, "group '%s' not found", name);
    return r;
}

static int need_resource(struct cdb *db, const char *name, int64_t *ret_id)
{
    int r = sql_int(db, ret_id, "SELECT id FROM resource WHERE name = ?", "t", name);

    if (r == -ENOENT)
        return reject(db, ERROR_RESOURCE_NOT_FOUND, "resource '%s' not found", name);
    return r;
}

/* 0 when the query finds nothing, else rejects with status (a duplicate). */
static int need_absent(struct cdb *db, int status, const char *what, const char *name,
                       const char *sql)
{
    int r = sql_int(db, NULL, sql, "t", name);

    if (r == 0)
        return reject(db, status, "%s '%s' already exists", what, name);
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
        return sql_exec(db, "DELETE FROM prop WHERE key = ?", "t", key);
    return sql_exec(db,
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
    r = sql_int(db, NULL, "SELECT 1 FROM node WHERE id = ? OR name = ?", "it", (int64_t)id,
                name);
    if (r == 0)
        return reject(db, ERROR_CLUSTER_NODE_EXISTS, "node %llu or '%s' already exists",
                      (unsigned long long)id, name);
    if (r != -ENOENT)
        return r;
    return sql_exec(db,
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
    return sql_exec(db, "DELETE FROM node WHERE id = ?", "i", (int64_t)id);
}

static int cmd_set_node_state(struct cdb *db, const struct msg *m)
{
    uint64_t id;
    int32_t state;
    int r;

    if ((r = arg_node_id(db, m, CDB_TAG_ID, &id)) || (r = arg_state(db, m, -1, 3, &state)) ||
        (r = need_node(db, id)))
        return r;
    return sql_exec(db, "UPDATE node SET state = ? WHERE id = ?", "ii", (int64_t)state,
                    (int64_t)id);
}

static int cmd_confirm_node(struct cdb *db, const struct msg *m)
{
    uint64_t id;
    int r;

    if ((r = arg_node_id(db, m, CDB_TAG_ID, &id)) || (r = need_node(db, id)))
        return r;
    return sql_exec(db,
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
        (r = sql_int(db, &have, "SELECT incarnation FROM node WHERE id = ?", "i", (int64_t)id)))
        return r;
    if ((uint64_t)have != incarnation)
        return reject(db, ERROR_INVALID_STATE,
                      "node %llu came back (incarnation %lld, not %llu)", (unsigned long long)id,
                      (long long)have, (unsigned long long)incarnation);
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
    return sql_exec(db, "UPDATE node SET role = ? WHERE id = ?", "ii", (int64_t)role,
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
    return sql_exec(db, "INSERT INTO restype(name, driver) VALUES(?, ?)", "tt", name, driver);
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
    return sql_exec(db, "INSERT INTO grp(name, core, state, owner) VALUES(?, ?, ?, NULL)", "tii",
                    name, (int64_t)core, (int64_t)GROUP_STATE_INITIAL);
}

static int cmd_delete_group(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *name = NULL;
    int64_t id;
    int r;

    if ((r = arg_str(db, m, CDB_TAG_NAME, CDB_NAME_MAX, 0, &name)) ||
        (r = need_group(db, name, &id)))
        return r;
    return sql_exec(db, "DELETE FROM grp WHERE id = ?", "i", id);
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
    r = sql_int(db, &owner, sql, "i", id);
    if (r < 0)
        return r;
    if ((uint64_t)owner != expect)
        return reject(db, ERROR_INVALID_STATE, "owned by node %lld, not %llu",
                      (long long)owner, (unsigned long long)expect);
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
    return sql_exec(db, "UPDATE grp SET state = ?, owner = ? WHERE id = ?", "ioi",
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
            (r = sql_exec(db, "INSERT INTO resprop(resource, key, value) VALUES(?, ?, ?)", "itt",
                          resource, key, value)))
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
    r = sql_int(db, NULL, "SELECT 1 FROM restype WHERE name = ?", "t", type);
    if (r == -ENOENT)
        return reject(db, ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND,
                      "resource type '%s' not found", type);
    if (r < 0 || (r = need_group(db, group, &grp)))
        return r;
    /* The type is stored as registered, whatever case the command used. */
    r = sql_exec(db,
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
    return sql_exec(db, "DELETE FROM resource WHERE id = ?", "i", id);
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
        return reject(db, ERROR_INVALID_PARAMETER, "resource state %d invalid", state);
    if ((r = need_resource(db, name, &id)) || (r = need_owner(db, owner)) ||
        (r = check_expected_owner(db, m, "resource", id)))
        return r;
    if (wire_get_u32(m->data, m->len, CDB_TAG_HANDOFF, &(uint32_t){0}) != -ENOENT) {
        uint32_t flag;

        if ((r = arg_u32(db, m, CDB_TAG_HANDOFF, 1, 1, &flag)) ||
            (r = sql_exec(db, "UPDATE resource SET handoff = NULLIF(COALESCE(handoff, owner), ?)"
                              " WHERE id = ?", "ii", (int64_t)owner, id)))
            return r;
    }
    return sql_exec(db, "UPDATE resource SET state = ?, owner = ? WHERE id = ?", "ioi",
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
    r = sql_int(db, NULL, "SELECT 1 FROM resource WHERE id = ? AND handoff = ?", "ii", id,
                (int64_t)node);
    if (r == -ENOENT)
        return reject(db, ERROR_INVALID_STATE, "node %llu is not handing '%s' over",
                      (unsigned long long)node, name);
    if (r < 0)
        return r;
    return sql_exec(db, "UPDATE resource SET handoff = NULL WHERE id = ?", "i", id);
}

/* Checks of a new edge resource -> provider, after both exist. */
static int check_dependency(struct cdb *db, int64_t res, int64_t prov, const char *name)
{
    int r = sql_int(db, NULL, "SELECT 1 FROM resource a JOIN resource b ON a.grp = b.grp"
                              " WHERE a.id = ? AND b.id = ?", "ii", res, prov);

    if (r == -ENOENT)
        return reject(db, ERROR_INVALID_PARAMETER, "'%s' and its provider are in different"
                                                       " groups", name);
    if (r < 0)
        return r;
    r = sql_int(db, NULL, "SELECT 1 FROM dependency WHERE resource = ? AND provider = ?", "ii",
                res, prov);
    if (r == 0)
        return reject(db, ERROR_DEPENDENCY_ALREADY_EXISTS, "dependency already exists");
    if (r != -ENOENT)
        return r;
    /* A cycle exists if resource is already reachable from provider (or is the provider). */
    r = sql_int(db, NULL,
                "WITH RECURSIVE up(id) AS (SELECT ? UNION"
                " SELECT d.provider FROM dependency d JOIN up ON d.resource = up.id)"
                " SELECT 1 FROM up WHERE id = ?",
                "ii", prov, res);
    if (r == 0)
        return reject(db, ERROR_CIRCULAR_DEPENDENCY, "dependency of '%s' would be circular",
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
    return sql_exec(db, "INSERT INTO dependency(resource, provider) VALUES(?, ?)", "ii", res,
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
        (r = sql_exec(db, "DELETE FROM preferred WHERE grp = ?", "i", grp)))
        return r;
    wire_reader_init(&rd, m->data, m->len);
    while ((r = wire_next(&rd, &f)) > 0) {
        uint64_t id;

        if (f.tag != CDB_TAG_NODE)
            continue;
        if (wire_field_u64(&f, &id) < 0 || id == 0 || id > INT64_MAX)
            return bad_field(db, -EBADMSG, CDB_TAG_NODE);
        if ((r = need_node(db, id)) ||
            (r = sql_exec(db, "INSERT INTO preferred(grp, node, rank) VALUES(?, ?, ?)", "iii",
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
        return reject(db, ERROR_INVALID_PARAMETER, "malformed command");
    r = wire_get_u32(data, len, CDB_TAG_CODE, &code);
    if (r < 0)
        return bad_field(db, r, CDB_TAG_CODE);
    if (code == CDB_CMD_BATCH)
        return nested ? reject(db, ERROR_INVALID_PARAMETER, "BATCH inside BATCH")
                      : cmd_batch(db, &m);
    if (code > CDB_CMD_MAX || handlers[code] == NULL)
        return reject(db, ERROR_INVALID_PARAMETER, "unknown command %u", code);
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
    r = sql_exec(db, "BEGIN IMMEDIATE", "");
    if (r != 0)
        return r < 0 ? r : -EIO;
    r = apply_cmd(db, cmd, len, false);
    if (r == 0)
        r = sql_exec(db, "UPDATE meta SET value = value + 1 WHERE key = 'version'", "");
    if (r == 0)
        r = sql_exec(db, "COMMIT", "");
    if (r != 0)
        rollback(db);
    if (r < 0)
        return r;
    if (r == 0)
        db->version++;
    *ret_status = (uint32_t)r;
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Snapshots                                                                                */
/* ---------------------------------------------------------------------------------------- */

int cdb_snapshot(struct cdb *db, void **ret_data, size_t *ret_len)
{
    sqlite3_int64 size = 0;
    unsigned char *image = sqlite3_serialize(db->conn, "main", &size, 0);
    void *copy;

    if (image == NULL)
        return -ENOMEM;
    copy = malloc((size_t)size);
    if (copy != NULL)
        memcpy(copy, image, (size_t)size);
    sqlite3_free(image);
    if (copy == NULL)
        return -ENOMEM;
    *ret_data = copy;
    *ret_len = (size_t)size;
    return 0;
}

/* Every schema object, in a fixed order, as one malloc'd string. */
static int schema_text(struct cdb *db, char **ret)
{
    sqlite3_stmt *st;
    char *text = NULL;
    size_t len = 0;
    FILE *f;
    int r, rc;

    r = prepare(db, &st, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name", "");
    if (r < 0)
        return r;
    f = open_memstream(&text, &len);
    if (f == NULL) {
        sqlite3_finalize(st);
        return -ENOMEM;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int c = 0; c < 4; c++) {
            const unsigned char *s = sqlite3_column_text(st, c);
            fprintf(f, "%s%c", s ? (const char *)s : "", c == 3 ? '\n' : '|');
        }
    }
    sqlite3_finalize(st);
    if (fclose(f) != 0 || text == NULL) {
        free(text);
        return -ENOMEM;
    }
    if (rc != SQLITE_DONE) {
        free(text);
        return fail_sql(db, rc);
    }
    *ret = text;
    return 0;
}

/* Is the database behind cand exactly our schema, and sound? Its version goes to *ret_version. */
static int check_restored(struct cdb *ref, struct cdb *cand, uint64_t *ret_version)
{
    _cleanup_free_ char *want = NULL;
    _cleanup_free_ char *have = NULL;
    int64_t app = 0, user = 0, bad_pages = 0, bad_keys = 0, version = 0;
    int r;

    if ((r = sql_int(cand, &app, "PRAGMA application_id", "")) ||
        (r = sql_int(cand, &user, "PRAGMA user_version", "")))
        return r;
    if (app != CDB_APPLICATION_ID || user != CDB_SCHEMA_VERSION)
        return reject(cand, -EBADMSG, "application id %lld, schema %lld", (long long)app,
                      (long long)user);
    if ((r = schema_text(ref, &want)) || (r = schema_text(cand, &have)))
        return r;
    if (strcmp(want, have) != 0)
        return reject(cand, -EBADMSG, "unexpected schema");
    /* integrity_check, not quick_check: only it sees an index that disagrees with its table,
     * which reads as a sound database until a query or command trips on it (SQLITE_CORRUPT). */
    if ((r = sql_int(cand, &bad_pages, "SELECT count(*) FROM pragma_integrity_check"
                                       " WHERE integrity_check <> 'ok'", "")) ||
        (r = sql_int(cand, &bad_keys, "SELECT count(*) FROM pragma_foreign_key_check", "")) ||
        (r = sql_int(cand, &version, "SELECT value FROM meta WHERE key = 'version'", "")))
        return r == -ENOENT ? -EBADMSG : r;
    if (bad_pages != 0 || bad_keys != 0 || version < 0)
        return reject(cand, -EBADMSG, "%lld integrity problems, %lld dangling references",
                      (long long)bad_pages, (long long)bad_keys);
    *ret_version = (uint64_t)version;
    return 0;
}

/* Opens a connection over a copy of data (which SQLite then owns). */
static int open_image(const void *data, size_t len, sqlite3 **ret)
{
    unsigned char *image;
    sqlite3 *conn;
    int r, rc;

    r = open_conn(&conn);
    if (r < 0)
        return r;
    image = sqlite3_malloc64(len);
    if (image == NULL) {
        sqlite3_close(conn);
        return -ENOMEM;
    }
    memcpy(image, data, len);
    rc = sqlite3_deserialize(conn, "main", image, (sqlite3_int64)len, (sqlite3_int64)len,
                             SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE);
    if (rc != SQLITE_OK) { /* the image was freed */
        sqlite3_close(conn);
        return (rc & 0xff) == SQLITE_NOMEM ? -ENOMEM : -EBADMSG;
    }
    *ret = conn;
    return 0;
}

int cdb_restore(struct cdb *db, const void *data, size_t len)
{
    struct cdb cand = {0};
    uint64_t version = 0;
    int r;

    /* An SQLite file is at least one 512-byte page. */
    if (len < 512)
        return reject(db, -EBADMSG, "snapshot too short");
    r = open_image(data, len, &cand.conn);
    if (r < 0)
        return reject(db, r, "snapshot unreadable");
    r = check_restored(db, &cand, &version);
    if (r < 0) {
        /* Even "out of memory" means a bad snapshot here: SQLite reports a record whose damaged
         * header claims an absurd size as SQLITE_NOMEM (found by fuzz_cdb_snapshot). */
        sqlite3_close(cand.conn);
        return reject(db, -EBADMSG, "snapshot is not a cluster database: %s", cand.errmsg);
    }
    sqlite3_close(db->conn);
    db->conn = cand.conn;
    db->version = version;
    db->errmsg[0] = '\0';
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Hash                                                                                     */
/* ---------------------------------------------------------------------------------------- */

/* Every table, rows in primary-key order. */
static const char *const hash_queries[] = {
    "SELECT key, value FROM meta ORDER BY key",
    "SELECT key, value FROM prop ORDER BY key",
    "SELECT id, name, address, port, raft_port, role, state, incarnation FROM node ORDER BY id",
    "SELECT name, driver FROM restype ORDER BY name",
    "SELECT id, name, core, state, owner FROM grp ORDER BY id",
    "SELECT id, name, type, grp, state, owner, handoff FROM resource ORDER BY id",
    "SELECT resource, key, value FROM resprop ORDER BY resource, key",
    "SELECT resource, provider FROM dependency ORDER BY resource, provider",
    "SELECT grp, node, rank FROM preferred ORDER BY grp, node",
    "SELECT name, seq FROM sqlite_sequence ORDER BY name",
};

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * FNV_PRIME;
    return h;
}

/* Feeds one value, typed and length-prefixed so that no two rows encode alike. */
static uint64_t hash_value(uint64_t h, sqlite3_stmt *st, int col)
{
    uint8_t type = (uint8_t)sqlite3_column_type(st, col);
    uint64_t v;

    h = fnv(h, &type, 1);
    switch (type) {
    case SQLITE_INTEGER:
        v = (uint64_t)sqlite3_column_int64(st, col);
        break;
    case SQLITE_TEXT: {
        const unsigned char *s = sqlite3_column_text(st, col);

        v = (uint64_t)sqlite3_column_bytes(st, col);
        if (s != NULL)
            h = fnv(h, s, (size_t)v);
        break;
    }
    default:
        v = 0;
    }
    for (int i = 0; i < 8; i++) {
        uint8_t byte = (uint8_t)(v >> (8 * i));
        h = fnv(h, &byte, 1);
    }
    return h;
}

static int hash_table(struct cdb *db, uint8_t table, uint64_t *h)
{
    sqlite3_stmt *st;
    int r, rc;

    r = prepare(db, &st, hash_queries[table], "");
    if (r < 0)
        return r;
    *h = fnv(*h, &table, 1);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *h = fnv(*h, "\n", 1);
        for (int c = 0; c < sqlite3_column_count(st); c++)
            *h = hash_value(*h, st, c);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : fail_sql(db, rc);
}

int cdb_hash(struct cdb *db, uint64_t *ret)
{
    uint64_t h = FNV_OFFSET;

    for (uint8_t t = 0; t < sizeof(hash_queries) / sizeof(hash_queries[0]); t++) {
        int r = hash_table(db, t, &h);
        if (r < 0)
            return r;
    }
    *ret = h;
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Queries                                                                                  */
/* ---------------------------------------------------------------------------------------- */

typedef void (*row_fn)(sqlite3_stmt *st, void *item);

static void col_text(sqlite3_stmt *st, int col, char *buf, size_t size)
{
    const unsigned char *s = sqlite3_column_text(st, col);

    snprintf(buf, size, "%s", s ? (const char *)s : "");
}

#define NODE_COLS "id, name, address, port, raft_port, role, state, incarnation"

static void row_node(sqlite3_stmt *st, void *item)
{
    struct cdb_node *n = item;

    n->id = (uint64_t)sqlite3_column_int64(st, 0);
    col_text(st, 1, n->name, sizeof(n->name));
    col_text(st, 2, n->address, sizeof(n->address));
    n->port = (uint32_t)sqlite3_column_int64(st, 3);
    n->raft_port = (uint32_t)sqlite3_column_int64(st, 4);
    n->role = (uint32_t)sqlite3_column_int64(st, 5);
    n->state = (int32_t)sqlite3_column_int64(st, 6);
    n->incarnation = (uint64_t)sqlite3_column_int64(st, 7);
}

#define GROUP_COLS "id, name, core, state, owner"

static void row_group(sqlite3_stmt *st, void *item)
{
    struct cdb_group *g = item;

    g->id = (uint64_t)sqlite3_column_int64(st, 0);
    col_text(st, 1, g->name, sizeof(g->name));
    g->core = sqlite3_column_int64(st, 2) != 0;
    g->state = (int32_t)sqlite3_column_int64(st, 3);
    g->owner = (uint64_t)sqlite3_column_int64(st, 4);
}

#define RESOURCE_SELECT                                                                          \
    "SELECT r.id, r.name, r.type, r.grp, g.name, r.state, r.owner, r.handoff"                    \
    " FROM resource r JOIN grp g ON g.id = r.grp"

static void row_resource(sqlite3_stmt *st, void *item)
{
    struct cdb_resource *r = item;

    r->id = (uint64_t)sqlite3_column_int64(st, 0);
    col_text(st, 1, r->name, sizeof(r->name));
    col_text(st, 2, r->type, sizeof(r->type));
    r->group_id = (uint64_t)sqlite3_column_int64(st, 3);
    col_text(st, 4, r->group, sizeof(r->group));
    r->state = (int32_t)sqlite3_column_int64(st, 5);
    r->owner = (uint64_t)sqlite3_column_int64(st, 6);
    r->handoff = (uint64_t)sqlite3_column_int64(st, 7);
}

static void row_restype(sqlite3_stmt *st, void *item)
{
    struct cdb_restype *t = item;

    col_text(st, 0, t->name, sizeof(t->name));
    col_text(st, 1, t->driver, sizeof(t->driver));
}

static void row_id(sqlite3_stmt *st, void *item)
{
    *(uint64_t *)item = (uint64_t)sqlite3_column_int64(st, 0);
}

/* The first row into *ret (untouched if there is none): 0, -ENOENT or a negative errno. */
static int query_one(struct cdb *db, size_t size, row_fn fn, void *ret, const char *sql,
                     const char *types, ...)
{
    sqlite3_stmt *st;
    va_list ap;
    int r, rc;

    va_start(ap, types);
    r = prepare_v(db, &st, sql, types, ap);
    va_end(ap);
    if (r < 0)
        return r;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(ret, 0, size);
        fn(st, ret);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? -ENOENT : fail_sql(db, rc);
}

/* Steps st to the end, collecting one item per row into a growing malloc'd array. */
static int collect(struct cdb *db, sqlite3_stmt *st, size_t size, row_fn fn, void **ret,
                   size_t *ret_n)
{
    uint8_t *items = NULL;
    size_t n = 0, cap = 0;
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            size_t ncap = cap ? 2 * cap : 8;
            uint8_t *p = realloc(items, ncap * size);
            if (p == NULL) {
                free(items);
                return -ENOMEM;
            }
            items = p;
            cap = ncap;
        }
        memset(items + n * size, 0, size);
        fn(st, items + n * size);
        n++;
    }
    if (rc != SQLITE_DONE) {
        free(items);
        return fail_sql(db, rc);
    }
    *ret = items;
    *ret_n = n;
    return 0;
}

static int query_list(struct cdb *db, size_t size, row_fn fn, void **ret, size_t *ret_n,
                      const char *sql, const char *types, ...)
{
    sqlite3_stmt *st;
    va_list ap;
    int r;

    va_start(ap, types);
    r = prepare_v(db, &st, sql, types, ap);
    va_end(ap);
    if (r < 0)
        return r;
    r = collect(db, st, size, fn, ret, ret_n);
    sqlite3_finalize(st);
    return r;
}

/*
 * Rows of ncols text columns as one block: an array of entries of entry_size bytes, column c's
 * string pointer stored at offs[c] in each entry, followed by the strings themselves. Two passes
 * over st (nothing writes in between), so the block is allocated once at its exact size.
 */
static int collect_strings(struct cdb *db, sqlite3_stmt *st, size_t entry_size,
                           const size_t *offs, int ncols, void **ret, size_t *ret_n)
{
    size_t n = 0, i, bytes = 0;
    char *block, *p;
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        n++;
        for (int c = 0; c < ncols; c++) {
            sqlite3_column_text(st, c);
            bytes += (size_t)sqlite3_column_bytes(st, c) + 1;
        }
    }
    if (rc != SQLITE_DONE)
        return fail_sql(db, rc);
    if (n == 0) {
        *ret = NULL;
        *ret_n = 0;
        return 0;
    }
    sqlite3_reset(st);
    block = malloc(n * entry_size + bytes);
    if (block == NULL)
        return -ENOMEM;
    p = block + n * entry_size;
    for (i = 0; i < n && sqlite3_step(st) == SQLITE_ROW; i++) {
        for (int c = 0; c < ncols; c++) {
            const unsigned char *s = sqlite3_column_text(st, c);
            size_t len = s ? (size_t)sqlite3_column_bytes(st, c) : 0;

            memcpy(p, s ? (const char *)s : "", len);
            p[len] = '\0';
            memcpy(block + i * entry_size + offs[c], &p, sizeof(p));
            p += len + 1;
        }
    }
    *ret = block;
    *ret_n = i;
    return 0;
}

static int query_props(struct cdb *db, struct cdb_prop **ret, size_t *ret_n, const char *sql,
                       const char *types, ...)
{
    static const size_t offs[] = {offsetof(struct cdb_prop, key),
                                  offsetof(struct cdb_prop, value)};
    sqlite3_stmt *st;
    void *block;
    va_list ap;
    int r;

    va_start(ap, types);
    r = prepare_v(db, &st, sql, types, ap);
    va_end(ap);
    if (r < 0)
        return r;
    r = collect_strings(db, st, sizeof(struct cdb_prop), offs, 2, &block, ret_n);
    sqlite3_finalize(st);
    if (r == 0)
        *ret = block;
    return r;
}

int cdb_get_prop(struct cdb *db, const char *key, char **ret)
{
    sqlite3_stmt *st;
    char *value = NULL;
    int r, rc;

    r = prepare(db, &st, "SELECT value FROM prop WHERE key = ?", "t", key);
    if (r < 0)
        return r;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *s = sqlite3_column_text(st, 0);
        value = strdup(s ? (const char *)s : "");
        r = value ? 0 : -ENOMEM;
    } else {
        r = rc == SQLITE_DONE ? -ENOENT : fail_sql(db, rc);
    }
    sqlite3_finalize(st);
    if (r == 0)
        *ret = value;
    return r;
}

int cdb_props(struct cdb *db, struct cdb_prop **ret, size_t *ret_n)
{
    return query_props(db, ret, ret_n, "SELECT key, value FROM prop ORDER BY key", "");
}

int cdb_nodes(struct cdb *db, struct cdb_node **ret, size_t *ret_n)
{
    void *items;
    int r = query_list(db, sizeof(**ret), row_node, &items, ret_n,
                       "SELECT " NODE_COLS " FROM node ORDER BY id", "");

    if (r == 0)
        *ret = items;
    return r;
}

int cdb_node_by_name(struct cdb *db, const char *name, struct cdb_node *ret)
{
    return query_one(db, sizeof(*ret), row_node, ret,
                     "SELECT " NODE_COLS " FROM node WHERE name = ?", "t", name);
}

int cdb_node_by_id(struct cdb *db, uint64_t id, struct cdb_node *ret)
{
    if (id > INT64_MAX)
        return -ENOENT;
    return query_one(db, sizeof(*ret), row_node, ret,
                     "SELECT " NODE_COLS " FROM node WHERE id = ?", "i", (int64_t)id);
}

int cdb_groups(struct cdb *db, struct cdb_group **ret, size_t *ret_n)
{
    void *items;
    int r = query_list(db, sizeof(**ret), row_group, &items, ret_n,
                       "SELECT " GROUP_COLS " FROM grp ORDER BY id", "");

    if (r == 0)
        *ret = items;
    return r;
}

int cdb_group_by_name(struct cdb *db, const char *name, struct cdb_group *ret)
{
    return query_one(db, sizeof(*ret), row_group, ret,
                     "SELECT " GROUP_COLS " FROM grp WHERE name = ?", "t", name);
}

int cdb_group_by_id(struct cdb *db, uint64_t id, struct cdb_group *ret)
{
    if (id > INT64_MAX)
        return -ENOENT;
    return query_one(db, sizeof(*ret), row_group, ret,
                     "SELECT " GROUP_COLS " FROM grp WHERE id = ?", "i", (int64_t)id);
}

int cdb_resources(struct cdb *db, const char *group, struct cdb_resource **ret, size_t *ret_n)
{
    void *items;
    int64_t grp = 0;
    int r = 0;

    if (group != NULL)
        r = sql_int(db, &grp, "SELECT id FROM grp WHERE name = ?", "t", group);
    if (r < 0)
        return r;
    /* grp 0 (no group given) selects every resource: ids start at 1. */
    r = query_list(db, sizeof(**ret), row_resource, &items, ret_n,
                   RESOURCE_SELECT " WHERE ? = 0 OR r.grp = ? ORDER BY r.id", "ii", grp, grp);
    if (r == 0)
        *ret = items;
    return r;
}

int cdb_resource_by_name(struct cdb *db, const char *name, struct cdb_resource *ret)
{
    return query_one(db, sizeof(*ret), row_resource, ret, RESOURCE_SELECT " WHERE r.name = ?",
                     "t", name);
}

int cdb_resource_props(struct cdb *db, const char *resource, struct cdb_prop **ret,
                       size_t *ret_n)
{
    int64_t id;
    int r = sql_int(db, &id, "SELECT id FROM resource WHERE name = ?", "t", resource);

    if (r < 0)
        return r;
    return query_props(db, ret, ret_n,
                       "SELECT key, value FROM resprop WHERE resource = ? ORDER BY key", "i", id);
}

int cdb_dependencies(struct cdb *db, const char *resource, char ***ret_names, size_t *ret_n)
{
    static const size_t offs[] = {0};
    sqlite3_stmt *st;
    void *block;
    int64_t id;
    int r = sql_int(db, &id, "SELECT id FROM resource WHERE name = ?", "t", resource);

    if (r < 0)
        return r;
    r = prepare(db, &st,
                "SELECT p.name FROM dependency d JOIN resource p ON p.id = d.provider"
                " WHERE d.resource = ? ORDER BY d.provider",
                "i", id);
    if (r < 0)
        return r;
    r = collect_strings(db, st, sizeof(char *), offs, 1, &block, ret_n);
    sqlite3_finalize(st);
    if (r == 0)
        *ret_names = block;
    return r;
}

int cdb_restypes(struct cdb *db, struct cdb_restype **ret, size_t *ret_n)
{
    void *items;
    int r = query_list(db, sizeof(**ret), row_restype, &items, ret_n,
                       "SELECT name, driver FROM restype ORDER BY name", "");

    if (r == 0)
        *ret = items;
    return r;
}

int cdb_preferred(struct cdb *db, const char *group, uint64_t **ret_ids, size_t *ret_n)
{
    void *items;
    int64_t grp;
    int r = sql_int(db, &grp, "SELECT id FROM grp WHERE name = ?", "t", group);

    if (r < 0)
        return r;
    r = query_list(db, sizeof(**ret_ids), row_id, &items, ret_n,
                   "SELECT node FROM preferred WHERE grp = ? ORDER BY rank", "i", grp);
    if (r == 0)
        *ret_ids = items;
    return r;
}
