/*
 * cdb_sql — the SQL helpers the cluster database's files share (see cdb_internal.h): one runner
 * for statements with bound arguments, which hands their rows to a callback, and SQLite failures
 * turned into negative errnos with their text kept in the cdb's errmsg.
 */
#include "daemon/cdb/cdb_internal.h"

#include <errno.h>
#include <stdio.h>

#include <clusapi.h>

int cdb_reject(struct cdb *db, int status, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(db->errmsg, sizeof(db->errmsg), fmt, ap);
    va_end(ap);
    return status;
}

int cdb_fail_sql(struct cdb *db, int rc)
{
    snprintf(db->errmsg, sizeof(db->errmsg), "sqlite: %s", sqlite3_errstr(rc));
    return (rc & 0xff) == SQLITE_NOMEM ? -ENOMEM : -EIO;
}

/* Prepares sql and binds one argument of ap per character of types (see cdb_internal.h). */
static int prepare_v(struct cdb *db, sqlite3_stmt **ret, const char *sql, const char *types,
                     va_list ap)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db->conn, sql, -1, &st, NULL);

    if (rc != SQLITE_OK)
        return cdb_fail_sql(db, rc);
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
        return cdb_fail_sql(db, rc);
    }
    *ret = st;
    return 0;
}

int cdb_sql(struct cdb *db, enum cdb_rows rows, cdb_row_fn fn, void *arg, const char *sql,
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
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        r = fn != NULL ? fn(st, arg) : 0;
        if (r < 0 || rows == CDB_FIRST_ROW)
            break;
    }
    sqlite3_finalize(st);
    if (r < 0)
        return r;
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return rc == SQLITE_DONE && rows == CDB_FIRST_ROW ? -ENOENT : 0;
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return cdb_reject(db, ERROR_INVALID_PARAMETER, "constraint: %s", sqlite3_errstr(rc));
    return cdb_fail_sql(db, rc);
}

int cdb_row_int(sqlite3_stmt *st, void *ret)
{
    if (ret != NULL)
        *(int64_t *)ret = sqlite3_column_int64(st, 0);
    return 0;
}

int cdb_group_id(struct cdb *db, const char *name, int64_t *ret)
{
    return cdb_sql_int(db, ret, "SELECT id FROM grp WHERE name = ?", "t", name);
}

int cdb_resource_id(struct cdb *db, const char *name, int64_t *ret)
{
    return cdb_sql_int(db, ret, "SELECT id FROM resource WHERE name = ?", "t", name);
}
