/*
 * cdb_internal — what the files of the cluster database share (not installed, not for callers
 * outside src/daemon/cdb: they use cdb.h).
 *
 *   cdb.c        schema, open and close, snapshot and restore, hash
 *   cdb_sql.c    the SQL helpers below: errors, one runner for statements with bound arguments
 *   cdb_apply.c  command decoding, the appliers of nodes, groups and states, cdb_apply()
 *   cdb_apply_model.c  the appliers of the resource model: types, properties, dependencies,
 *                possible owners, moves between groups, requested failures
 *   cdb_query.c  the read functions
 *
 * Every helper takes the cdb whose connection it uses and records why it failed or rejected in
 * db->errmsg.
 */
#ifndef CLUSSVC_CDB_INTERNAL_H
#define CLUSSVC_CDB_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "daemon/cdb/cdb.h"

#define CDB_ERRMSG_SIZE 256

struct cdb {
    sqlite3 *conn;
    uint64_t version; /* cache of meta.version */
    char errmsg[CDB_ERRMSG_SIZE];
    bool moved; /* the command under way moved a resource: recheck dependency groups at its end */
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

/* ---------------------------------------------------------------------------------------- */
/* Decoding commands (cdb_apply.c): each returns 0, a Win32 rejection, or a negative errno  */
/* ---------------------------------------------------------------------------------------- */

/* One command, or one nested message of it (a PROP, a CLAUSE). */
struct msg {
    const uint8_t *data;
    size_t len;
};

#define ARG_OPTIONAL 1u /* absent: *ret = NULL */
#define ARG_EMPTY_OK 2u

/* The field of a tag the handlers read (one of cdb_cmd.h's). */
const struct cdb_field *cdb_field_of(uint16_t tag);
/* A wire error on a field: -ENOMEM stays internal, anything else rejects the command. */
int cdb_bad_field(struct cdb *db, int r, uint16_t tag);
/* A string field of at most max bytes (non-empty unless ARG_EMPTY_OK), malloc'd. */
int cdb_arg_str(struct cdb *db, const struct msg *m, uint16_t tag, size_t max, unsigned flags,
                char **ret);
/* An integer field, at the width cdb_cmd_field() gives its tag, in min..max. */
int cdb_arg_int(struct cdb *db, const struct msg *m, uint16_t tag, int64_t min, int64_t max,
                int64_t *ret);
/* Lookups: 0, the "not found" rejection, or a negative errno. */
int cdb_need_node(struct cdb *db, int64_t id);
int cdb_need_found(struct cdb *db, int r, int not_found, const char *what, const char *name);
int cdb_need_restype(struct cdb *db, const char *name);
/* 0 when sql (one text argument: name) finds nothing, else rejects with status. */
int cdb_need_absent(struct cdb *db, int status, const char *what, const char *name,
                    const char *sql);
int cdb_need_group(struct cdb *db, const char *name, int64_t *ret_id);
int cdb_need_resource(struct cdb *db, const char *name, int64_t *ret_id);
/* Runs sql once for each NODE field of m, in order, after checking the node exists; sql's
 * arguments are owner, the node id and its 0-based rank, of which types names the ones it uses
 * ("ii" or "iii"). */
int cdb_insert_nodes(struct cdb *db, const struct msg *m, const char *sql, const char *types,
                     int64_t owner);

/* One nested PROP (KEY, SYNTAX optional: SZ, VALUE) read and checked: a known syntax, a value
 * in its text form. */
struct cdb_propval {
    char *key;
    char *value; /* NULL: absent (a delete), only when the reader allows it */
    uint32_t syntax;
};
int cdb_read_prop(struct cdb *db, const struct msg *prop, bool value_optional,
                  struct cdb_propval *ret);
void cdb_propval_done(struct cdb_propval *pv);
/* What to do with one property read; pv is released after it returns. 0, a rejection or a
 * negative errno. */
typedef int (*cdb_prop_fn)(struct cdb *db, struct cdb_propval *pv, const void *arg);
/* Reads each nested PROP of m (cdb_read_prop) and hands it to store with arg, in order,
 * stopping at the first non-zero result, which it returns. */
int cdb_each_prop(struct cdb *db, const struct msg *m, bool value_optional, cdb_prop_fn store,
                  const void *arg);

/* The appliers of cdb_apply_model.c. */
int cdb_apply_add_restype(struct cdb *db, const struct msg *m);
int cdb_apply_delete_restype(struct cdb *db, const struct msg *m);
int cdb_apply_add_dependency(struct cdb *db, const struct msg *m);
int cdb_apply_set_dependencies(struct cdb *db, const struct msg *m);
int cdb_apply_set_resource_props(struct cdb *db, const struct msg *m);
int cdb_apply_set_group_props(struct cdb *db, const struct msg *m);
int cdb_apply_set_excluded(struct cdb *db, const struct msg *m);
int cdb_apply_fail_resource(struct cdb *db, const struct msg *m);
int cdb_apply_move_resource(struct cdb *db, const struct msg *m);
/* At the end of a command that moved resources: every dependency stays inside one group. */
int cdb_check_dependency_groups(struct cdb *db);

typedef int (*cmd_handler)(struct cdb *db, const struct msg *m);

#endif
