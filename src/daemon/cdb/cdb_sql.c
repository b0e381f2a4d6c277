/*
 * cdb_sql — the SQL helpers the cluster database's files share (see cdb_internal.h): statements
 * with bound arguments, run to completion or read for one integer, and SQLite failures turned
 * into negative errnos with their text kept in the cdb's errmsg.
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

int cdb_prepare_v(struct cdb *db, sqlite3_stmt **ret, const char *sql, const char *types,
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

int cdb_prepare(struct cdb *db, sqlite3_stmt **ret, const char *sql, const char *types, ...)
{
    va_list ap;
    int r;

    va_start(ap, types);
    r = cdb_prepare_v(db, ret, sql, types, ap);
    va_end(ap);
    return r;
}

int cdb_sql_exec(struct cdb *db, const char *sql, const char *types, ...)
{
    sqlite3_stmt *st;
    va_list ap;
    int r, rc;

    va_start(ap, types);
    r = cdb_prepare_v(db, &st, sql, types, ap);
    va_end(ap);
    if (r < 0)
        return r;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        ;
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return 0;
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return cdb_reject(db, ERROR_INVALID_PARAMETER, "constraint: %s", sqlite3_errstr(rc));
    return cdb_fail_sql(db, rc);
}

int cdb_sql_int(struct cdb *db, int64_t *ret, const char *sql, const char *types, ...)
{
    sqlite3_stmt *st;
    va_list ap;
    int r, rc;

    va_start(ap, types);
    r = cdb_prepare_v(db, &st, sql, types, ap);
    va_end(ap);
    if (r < 0)
        return r;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && ret != NULL)
        *ret = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? -ENOENT : cdb_fail_sql(db, rc);
}
