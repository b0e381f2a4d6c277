/*
 * cdb_internal — what the files of the cluster database share (not installed, not for callers
 * outside src/daemon/cdb: they use cdb.h).
 *
 *   cdb.c        schema, open and close, snapshot and restore, hash
 *   cdb_sql.c    the SQL helpers below: errors, one runner for statements with bound arguments
 *   cdb_apply.c  command decoding and the per-command appliers, cdb_apply()
 *   cdb_query.c  the read functions
 *
 * Every helper takes the cdb whose connection it uses and records why it failed or rejected in
 * db->errmsg.
 */
#ifndef CLUSSVC_CDB_INTERNAL_H
#define CLUSSVC_CDB_INTERNAL_H

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "daemon/cdb/cdb.h"

#define CDB_ERRMSG_SIZE 256

struct cdb {
    sqlite3 *conn;
    uint64_t version; /* cache of meta.version */
    char errmsg[CDB_ERRMSG_SIZE];
};

static inline void cdb_freep(void *p)
{
    free(*(void **)p);
}
#define _cleanup_free_ __attribute__((cleanup(cdb_freep)))

/* Records a rejection in db->errmsg and returns status (a Win32 code, or a negative errno where
 * a restore is refused), so callers can `return cdb_reject(...)`. */
__attribute__((format(printf, 3, 4)))
int cdb_reject(struct cdb *db, int status, const char *fmt, ...);
/* An SQLite result code as a negative errno (-ENOMEM or -EIO), its text in db->errmsg. */
int cdb_fail_sql(struct cdb *db, int rc);
/*
 * Runs sql on db's connection: prepares it, binds one argument per character of types ('i'
 * int64_t, 'o' uint64_t node id bound as NULL when 0, 't' const char *, borrowed for the call),
 * steps through its rows (every one, or only the first) handing each to fn (NULL: rows unread),
 * and finalizes it. Returns 0; -ENOENT for CDB_FIRST_ROW when there is no row; fn's error;
 * ERROR_INVALID_PARAMETER when the statement breaks a constraint the handlers do not check
 * beforehand (a repeated property key or preferred node); or a negative errno.
 */
enum cdb_rows { CDB_EVERY_ROW, CDB_FIRST_ROW };
/* What cdb_sql() hands each row to (st is on the row): 0, or a negative errno, which ends the
 * statement and is returned. */
typedef int (*cdb_row_fn)(sqlite3_stmt *st, void *arg);
int cdb_sql(struct cdb *db, enum cdb_rows rows, cdb_row_fn fn, void *arg, const char *sql,
            const char *types, ...);

/* A cdb_row_fn: the first column into *(int64_t *)ret, unless ret is NULL. */
int cdb_row_int(sqlite3_stmt *st, void *ret);
/* Hands cdb_sql_int()'s ret on as cdb_row_int()'s arg, the compiler checking its type. */
static inline void *cdb_int_out(int64_t *ret)
{
    return ret;
}

/*
 * The two everyday forms: a statement run to completion, and the first column of the first row
 * (ret an int64_t *, may be NULL). Macros only because C cannot hand "..." on to another variadic
 * function: as functions each would repeat the va_list relay around cdb_sql().
 */
#define cdb_sql_exec(db, ...) cdb_sql((db), CDB_EVERY_ROW, NULL, NULL, __VA_ARGS__)
#define cdb_sql_int(db, ret, ...)                                                                \
    cdb_sql((db), CDB_FIRST_ROW, cdb_row_int, cdb_int_out(ret), __VA_ARGS__)

/* The id of the group or resource of that name: 0, -ENOENT or a negative errno. */
int cdb_group_id(struct cdb *db, const char *name, int64_t *ret);
int cdb_resource_id(struct cdb *db, const char *name, int64_t *ret);

#endif
