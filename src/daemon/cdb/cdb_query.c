/*
 * cdb_query — the cluster database's read functions (see cdb.h): single rows into the caller's
 * struct, lists as one malloc'd block each.
 */
#include "daemon/cdb/cdb_internal.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

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
    r = cdb_prepare_v(db, &st, sql, types, ap);
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
    return rc == SQLITE_DONE ? -ENOENT : cdb_fail_sql(db, rc);
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
        return cdb_fail_sql(db, rc);
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
    r = cdb_prepare_v(db, &st, sql, types, ap);
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
        return cdb_fail_sql(db, rc);
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
    r = cdb_prepare_v(db, &st, sql, types, ap);
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

    r = cdb_prepare(db, &st, "SELECT value FROM prop WHERE key = ?", "t", key);
    if (r < 0)
        return r;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *s = sqlite3_column_text(st, 0);
        value = strdup(s ? (const char *)s : "");
        r = value ? 0 : -ENOMEM;
    } else {
        r = rc == SQLITE_DONE ? -ENOENT : cdb_fail_sql(db, rc);
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
        r = cdb_sql_int(db, &grp, "SELECT id FROM grp WHERE name = ?", "t", group);
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
    int r = cdb_sql_int(db, &id, "SELECT id FROM resource WHERE name = ?", "t", resource);

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
    int r = cdb_sql_int(db, &id, "SELECT id FROM resource WHERE name = ?", "t", resource);

    if (r < 0)
        return r;
    r = cdb_prepare(db, &st,
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
    int r = cdb_sql_int(db, &grp, "SELECT id FROM grp WHERE name = ?", "t", group);

    if (r < 0)
        return r;
    r = query_list(db, sizeof(**ret_ids), row_id, &items, ret_n,
                   "SELECT node FROM preferred WHERE grp = ? ORDER BY rank", "i", grp);
    if (r == 0)
        *ret_ids = items;
    return r;
}
