/*
 * cdb — the cluster database (see cdb.h): schema, open and close, snapshots, hash. Commands are
 * applied in cdb_apply.c, queries answered in cdb_query.c, both through cdb_sql.c's helpers.
 *
 * Determinism: a command's effect depends only on the database and the command bytes. Ids come
 * from SQLite's AUTOINCREMENT (max ever used + 1, kept in sqlite_sequence, which snapshots and the
 * hash include), every check reads only the database, and nothing reads the clock. Rejections
 * are decided by explicit checks in a fixed order, so every node reports the same status.
 */
#include "daemon/cdb/cdb_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define CDB_APPLICATION_ID 1128546865 /* 0x43444231, "CDB1" */
#define CDB_SCHEMA_VERSION 9
#define STR_(x) #x
#define STR(x) STR_(x)

/* Owners and preferred nodes refer to node rows, so a removed node disappears from them by itself
 * (owner NULL is "no owner", shown as 0), and from the nodes a resource excludes. A group's
 * resources and properties, a resource's properties, dependencies and excluded nodes, and a
 * type's properties go with their parent. */
static const char schema_sql[] =
    "PRAGMA application_id = " STR(CDB_APPLICATION_ID) ";"
    "PRAGMA user_version = " STR(CDB_SCHEMA_VERSION) ";"
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
    "INSERT INTO meta(key, value) VALUES('version', 0);"
    "CREATE TABLE prop(key TEXT PRIMARY KEY COLLATE NOCASE, value TEXT NOT NULL);"
    "CREATE TABLE node(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    " address TEXT NOT NULL, port INTEGER NOT NULL, raft_port INTEGER NOT NULL,"
    " role INTEGER NOT NULL, state INTEGER NOT NULL, incarnation INTEGER NOT NULL,"
    " witness INTEGER NOT NULL DEFAULT 0, weight INTEGER NOT NULL DEFAULT 1,"
    " left_cluster INTEGER NOT NULL DEFAULT 0, departures INTEGER NOT NULL DEFAULT 0,"
    " departure_since INTEGER NOT NULL DEFAULT 0,"
    " quarantined_until INTEGER NOT NULL DEFAULT 0, departed INTEGER NOT NULL DEFAULT 0,"
    " storage_fault TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE restype(name TEXT PRIMARY KEY COLLATE NOCASE, driver TEXT NOT NULL,"
    " display TEXT NOT NULL);"
    "CREATE TABLE typeprop(type TEXT NOT NULL COLLATE NOCASE"
    " REFERENCES restype(name) ON DELETE CASCADE, key TEXT NOT NULL COLLATE NOCASE,"
    " syntax INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY(type, key)) WITHOUT ROWID;"
    "CREATE TABLE grp(id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " name TEXT NOT NULL UNIQUE COLLATE NOCASE, core INTEGER NOT NULL, state INTEGER NOT NULL,"
    " owner INTEGER REFERENCES node(id) ON DELETE SET NULL,"
    " failovers INTEGER NOT NULL DEFAULT 0, failover_since INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX grp_owner ON grp(owner);"
    "CREATE TABLE grpprop(grp INTEGER NOT NULL REFERENCES grp(id) ON DELETE CASCADE,"
    " key TEXT NOT NULL COLLATE NOCASE, syntax INTEGER NOT NULL, value TEXT NOT NULL,"
    " PRIMARY KEY(grp, key)) WITHOUT ROWID;"
    "CREATE TABLE resource(id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " name TEXT NOT NULL UNIQUE COLLATE NOCASE, type TEXT NOT NULL REFERENCES restype(name),"
    " grp INTEGER NOT NULL REFERENCES grp(id) ON DELETE CASCADE, state INTEGER NOT NULL,"
    " owner INTEGER REFERENCES node(id) ON DELETE SET NULL,"
    " handoff INTEGER REFERENCES node(id) ON DELETE SET NULL, fail_count INTEGER NOT NULL);"
    "CREATE INDEX resource_grp ON resource(grp);"
    "CREATE INDEX resource_owner ON resource(owner);"
    "CREATE INDEX resource_type ON resource(type);"
    "CREATE TABLE resprop(resource INTEGER NOT NULL REFERENCES resource(id) ON DELETE CASCADE,"
    " common INTEGER NOT NULL, key TEXT NOT NULL COLLATE NOCASE, syntax INTEGER NOT NULL,"
    " value TEXT NOT NULL, PRIMARY KEY(resource, common, key)) WITHOUT ROWID;"
    "CREATE TABLE dependency("
    " resource INTEGER NOT NULL REFERENCES resource(id) ON DELETE CASCADE,"
    " provider INTEGER NOT NULL REFERENCES resource(id) ON DELETE CASCADE,"
    " clause INTEGER NOT NULL, PRIMARY KEY(resource, provider)) WITHOUT ROWID;"
    "CREATE INDEX dependency_provider ON dependency(provider);"
    "CREATE TABLE excluded(resource INTEGER NOT NULL REFERENCES resource(id) ON DELETE CASCADE,"
    " node INTEGER NOT NULL REFERENCES node(id) ON DELETE CASCADE,"
    " PRIMARY KEY(resource, node)) WITHOUT ROWID;"
    "CREATE INDEX excluded_node ON excluded(node);"
    "CREATE TABLE preferred(grp INTEGER NOT NULL REFERENCES grp(id) ON DELETE CASCADE,"
    " node INTEGER NOT NULL REFERENCES node(id) ON DELETE CASCADE, rank INTEGER NOT NULL,"
    " PRIMARY KEY(grp, node), UNIQUE(grp, rank)) WITHOUT ROWID;"
    "CREATE INDEX preferred_node ON preferred(node);";

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
        r = cdb_fail_sql(db, rc);
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

static int print_schema_row(sqlite3_stmt *st, void *f)
{
    for (int c = 0; c < 4; c++) {
        const unsigned char *s = sqlite3_column_text(st, c);
        fprintf(f, "%s%c", s ? (const char *)s : "", c == 3 ? '\n' : '|');
    }
    return 0;
}

/* Every schema object, in a fixed order, as one malloc'd string. */
static int schema_text(struct cdb *db, char **ret)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    int r;

    if (f == NULL)
        return -ENOMEM;
    r = cdb_sql(db, CDB_EVERY_ROW, print_schema_row, f,
                "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name", "");
    if (fclose(f) != 0 || text == NULL) {
        free(text);
        return -ENOMEM;
    }
    if (r != 0) {
        free(text);
        return r;
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

    if ((r = cdb_sql_int(cand, &app, "PRAGMA application_id", "")) ||
        (r = cdb_sql_int(cand, &user, "PRAGMA user_version", "")))
        return r;
    if (app != CDB_APPLICATION_ID || user != CDB_SCHEMA_VERSION)
        return cdb_reject(cand, -EBADMSG, "application id %lld, schema %lld", (long long)app,
                          (long long)user);
    if ((r = schema_text(ref, &want)) || (r = schema_text(cand, &have)))
        return r;
    if (strcmp(want, have) != 0)
        return cdb_reject(cand, -EBADMSG, "unexpected schema");
    /* integrity_check, not quick_check: only it sees an index that disagrees with its table,
     * which reads as a sound database until a query or command trips on it (SQLITE_CORRUPT). */
    if ((r = cdb_sql_int(cand, &bad_pages,
                         "SELECT count(*) FROM pragma_integrity_check"
                         " WHERE integrity_check <> 'ok'",
                         "")) ||
        (r = cdb_sql_int(cand, &bad_keys, "SELECT count(*) FROM pragma_foreign_key_check", "")) ||
        (r = cdb_sql_int(cand, &version, "SELECT value FROM meta WHERE key = 'version'", "")))
        return r == -ENOENT ? -EBADMSG : r;
    if (bad_pages != 0 || bad_keys != 0 || version < 0)
        return cdb_reject(cand, -EBADMSG, "%lld integrity problems, %lld dangling references",
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
        return cdb_reject(db, -EBADMSG, "snapshot too short");
    r = open_image(data, len, &cand.conn);
    if (r < 0)
        return cdb_reject(db, r, "snapshot unreadable");
    r = check_restored(db, &cand, &version);
    if (r < 0) {
        /* Even "out of memory" means a bad snapshot here: SQLite reports a record whose damaged
         * header claims an absurd size as SQLITE_NOMEM (found by fuzz_cdb_snapshot). */
        sqlite3_close(cand.conn);
        return cdb_reject(db, -EBADMSG, "snapshot is not a cluster database: %s", cand.errmsg);
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
    "SELECT name, driver, display FROM restype ORDER BY name",
    "SELECT type, key, syntax, value FROM typeprop ORDER BY type, key",
    "SELECT id, name, core, state, owner FROM grp ORDER BY id",
    "SELECT grp, key, syntax, value FROM grpprop ORDER BY grp, key",
    "SELECT id, name, type, grp, state, owner, handoff, fail_count FROM resource ORDER BY id",
    "SELECT resource, common, key, syntax, value FROM resprop ORDER BY resource, common, key",
    "SELECT resource, provider, clause FROM dependency ORDER BY resource, provider",
    "SELECT resource, node FROM excluded ORDER BY resource, node",
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

static int hash_row(sqlite3_stmt *st, void *h)
{
    uint64_t *hash = h;

    *hash = fnv(*hash, "\n", 1);
    for (int c = 0; c < sqlite3_column_count(st); c++)
        *hash = hash_value(*hash, st, c);
    return 0;
}

static int hash_table(struct cdb *db, uint8_t table, uint64_t *h)
{
    *h = fnv(*h, &table, 1);
    return cdb_sql(db, CDB_EVERY_ROW, hash_row, h, hash_queries[table], "");
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
