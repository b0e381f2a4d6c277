/*
 * cdb_internal — what the files of the cluster database share (not installed, not for callers
 * outside src/daemon/cdb: they use cdb.h).
 *
 *   cdb.c        schema, open and close, snapshot and restore, hash
 *   cdb_sql.c    the SQL helpers below: errors, statements with bound arguments
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
 * Prepares sql on db's connection and binds one argument per character of types: 'i' int64_t,
 * 'o' uint64_t node id bound as NULL when 0, 't' const char * (borrowed until the statement is
 * finalized). 0 with *ret (the caller finalizes it), or a negative errno; *ret untouched then.
 */
int cdb_prepare_v(struct cdb *db, sqlite3_stmt **ret, const char *sql, const char *types,
                  va_list ap);
int cdb_prepare(struct cdb *db, sqlite3_stmt **ret, const char *sql, const char *types, ...);
/*
 * Runs a statement to completion: 0, ERROR_INVALID_PARAMETER when it breaks a constraint the
 * handlers do not check beforehand (a repeated property key or preferred node), or a negative
 * errno.
 */
int cdb_sql_exec(struct cdb *db, const char *sql, const char *types, ...);
/* The first column of the first row (ret may be NULL): 0, -ENOENT if no row, negative errno. */
int cdb_sql_int(struct cdb *db, int64_t *ret, const char *sql, const char *types, ...);

#endif
