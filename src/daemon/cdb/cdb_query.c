/*
 * cdb_query — the cluster database's read functions (see cdb.h): single rows into the caller's
 * struct, lists as one malloc'd block each. Each table they read is described once (struct table,
 * struct text_table): its statements and how a row becomes an item; the readers are generic.
 */
#include "daemon/cdb/cdb_internal.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* Rows into items                                                                             */
/* ------------------------------------------------------------------------------------------ */

typedef void (*fill_fn)(sqlite3_stmt *st, void *item);

static void col_text(sqlite3_stmt *st, int col, char *buf, size_t size)
{
    const unsigned char *s = sqlite3_column_text(st, col);

    snprintf(buf, size, "%s", s ? (const char *)s : "");
}

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
    n->witness = sqlite3_column_int64(st, 8) != 0;
    n->weight = (uint32_t)sqlite3_column_int64(st, 9);
    n->left = sqlite3_column_int64(st, 10) != 0;
    n->quarantine.departures = (uint32_t)sqlite3_column_int64(st, 11);
    n->quarantine.since_ms = sqlite3_column_int64(st, 12);
    n->quarantine.until_ms = sqlite3_column_int64(st, 13);
    col_text(st, 14, n->storage_fault, sizeof(n->storage_fault));
}

static void row_group(sqlite3_stmt *st, void *item)
{
    struct cdb_group *g = item;

    g->id = (uint64_t)sqlite3_column_int64(st, 0);
    col_text(st, 1, g->name, sizeof(g->name));
    g->core = sqlite3_column_int64(st, 2) != 0;
    g->state = (int32_t)sqlite3_column_int64(st, 3);
    g->owner = (uint64_t)sqlite3_column_int64(st, 4);
    g->failovers = (uint32_t)sqlite3_column_int64(st, 5);
    g->failover_since = sqlite3_column_int64(st, 6);
}

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
    col_text(st, 2, t->display, sizeof(t->display));
}

static void row_id(sqlite3_stmt *st, void *item)
{
    *(uint64_t *)item = (uint64_t)sqlite3_column_int64(st, 0);
}

/* ------------------------------------------------------------------------------------------ */
/* Tables of items                                                                             */
/* ------------------------------------------------------------------------------------------ */

/*
 * A table read into items of size bytes, each filled from one row of its statements: every row
 * in order (of the group whose id is bound to ?1 when keyed), the row of a name, the row of an
 * id (NULL where cdb.h offers no such lookup).
 */
struct table {
    size_t size;
    fill_fn fill;
    const char *all;
    bool keyed;
    const char *by_name;
    const char *by_id;
};

#define NODE_SELECT                                                                              \
    "SELECT id, name, address, port, raft_port, role, state, incarnation, witness, weight,"      \
    " left_cluster, departures, departure_since, quarantined_until, storage_fault FROM node"
#define GROUP_SELECT "SELECT id, name, core, state, owner, failovers, failover_since FROM grp"
#define RESOURCE_SELECT                                                                          \
    "SELECT r.id, r.name, r.type, r.grp, g.name, r.state, r.owner, r.handoff"                    \
    " FROM resource r JOIN grp g ON g.id = r.grp"

static const struct table node_table = {
    sizeof(struct cdb_node), row_node, NODE_SELECT " ORDER BY id", false,
    NODE_SELECT " WHERE name = ?", NODE_SELECT " WHERE id = ?",
};

static const struct table group_table = {
    sizeof(struct cdb_group), row_group, GROUP_SELECT " ORDER BY id", false,
    GROUP_SELECT " WHERE name = ?", GROUP_SELECT " WHERE id = ?",
};

/* Group id 0 selects every resource: ids start at 1. */
static const struct table resource_table = {
    sizeof(struct cdb_resource), row_resource,
    RESOURCE_SELECT " WHERE ?1 = 0 OR r.grp = ?1 ORDER BY r.id", true,
    RESOURCE_SELECT " WHERE r.name = ?", NULL,
};

static const struct table restype_table = {
    sizeof(struct cdb_restype), row_restype,
    "SELECT name, driver, display FROM restype ORDER BY name", false,
    "SELECT name, driver, display FROM restype WHERE name = ?", NULL,
};

static const struct table excluded_table = {
    sizeof(uint64_t), row_id, "SELECT node FROM excluded WHERE resource = ?1 ORDER BY node", true,
    NULL, NULL,
};

static const struct table preferred_table = {
    sizeof(uint64_t), row_id, "SELECT node FROM preferred WHERE grp = ?1 ORDER BY rank", true,
    NULL, NULL,
};

/* The item a lookup fills: zeroed, then filled from the row (untouched if there is none). */
struct one {
    const struct table *t;
    void *item;
};

static int fill_one(sqlite3_stmt *st, void *arg)
{
    struct one *o = arg;

    memset(o->item, 0, o->t->size);
    o->t->fill(st, o->item);
    return 0;
}

static int read_by_name(struct cdb *db, const struct table *t, const char *name, void *ret)
{
    struct one o = {t, ret};

    return cdb_sql(db, CDB_FIRST_ROW, fill_one, &o, t->by_name, "t", name);
}

static int read_by_id(struct cdb *db, const struct table *t, uint64_t id, void *ret)
{
    struct one o = {t, ret};

    if (id > INT64_MAX)
        return -ENOENT;
    return cdb_sql(db, CDB_FIRST_ROW, fill_one, &o, t->by_id, "i", (int64_t)id);
}

/* A growing array of items, one a row. */
struct list {
    const struct table *t;
    uint8_t *items;
    size_t n, cap;
};

static int fill_next(sqlite3_stmt *st, void *arg)
{
    struct list *l = arg;
    size_t size = l->t->size;

    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        uint8_t *p = realloc(l->items, cap * size);

        if (p == NULL)
            return -ENOMEM;
        l->items = p;
        l->cap = cap;
    }
    memset(l->items + l->n * size, 0, size);
    l->t->fill(st, l->items + l->n * size);
    l->n++;
    return 0;
}

/*
 * Every row of t (of the group key, when t is keyed). ret is the address of the caller's pointer
 * to the items (a struct cdb_node ** for the nodes, ...): the array's address is copied there as
 * bytes, all object pointers having one representation on the platforms clussvc runs on.
 */
static int read_all(struct cdb *db, const struct table *t, int64_t key, void *ret, size_t *ret_n)
{
    struct list l = {t, NULL, 0, 0};
    int r = cdb_sql(db, CDB_EVERY_ROW, fill_next, &l, t->all, t->keyed ? "i" : "", key);

    if (r != 0) {
        free(l.items);
        return r;
    }
    memcpy(ret, &l.items, sizeof(l.items));
    *ret_n = l.n;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Tables of strings                                                                           */
/* ------------------------------------------------------------------------------------------ */

/*
 * A table of text columns read into one block: entries of entry_size bytes, column c's string
 * pointer stored at offs[c] in each entry, followed by the strings themselves; with_u32, column
 * ncols is an integer stored as a uint32_t at u32_off. sql selects every row in order (of the
 * object whose id is bound to ?1 when keyed).
 */
struct text_table {
    const char *sql;
    bool keyed;
    size_t entry_size;
    int ncols;
    size_t offs[2];
    bool with_u32;
    size_t u32_off;
};

#define PROP_OFFS {offsetof(struct cdb_prop, key), offsetof(struct cdb_prop, value)}, true,      \
                  offsetof(struct cdb_prop, syntax)

/* Cluster properties are strings (SZ, 0x00010003). */
static const struct text_table prop_table = {
    "SELECT key, value, 65539 FROM prop ORDER BY key", false, sizeof(struct cdb_prop), 2,
    PROP_OFFS,
};

static const struct text_table resprop_table = {
    "SELECT key, value, syntax FROM resprop WHERE resource = ?1 AND common = 0 ORDER BY key",
    true, sizeof(struct cdb_prop), 2, PROP_OFFS,
};

static const struct text_table rescommon_table = {
    "SELECT key, value, syntax FROM resprop WHERE resource = ?1 AND common = 1 ORDER BY key",
    true, sizeof(struct cdb_prop), 2, PROP_OFFS,
};

static const struct text_table grpprop_table = {
    "SELECT key, value, syntax FROM grpprop WHERE grp = ?1 ORDER BY key", true,
    sizeof(struct cdb_prop), 2, PROP_OFFS,
};

static const struct text_table typeprop_table = {
    "SELECT p.key, p.value, p.syntax FROM typeprop p JOIN restype t ON t.name = p.type"
    " WHERE t.rowid = ?1 ORDER BY p.key",
    true, sizeof(struct cdb_prop), 2, PROP_OFFS,
};

static const struct text_table dependency_table = {
    "SELECT p.name FROM dependency d JOIN resource p ON p.id = d.provider"
    " WHERE d.resource = ?1 ORDER BY d.provider",
    true, sizeof(char *), 1, {0}, false, 0,
};

static const struct text_table clause_table = {
    "SELECT p.name, d.clause FROM dependency d JOIN resource p ON p.id = d.provider"
    " WHERE d.resource = ?1 ORDER BY d.clause, d.provider",
    true, sizeof(struct cdb_dependency), 1, {offsetof(struct cdb_dependency, provider)}, true,
    offsetof(struct cdb_dependency, clause),
};

static const struct text_table dependents_table = {
    "SELECT r.name FROM dependency d JOIN resource r ON r.id = d.resource"
    " WHERE d.provider = ?1 ORDER BY d.resource",
    true, sizeof(char *), 1, {0}, false, 0,
};

/* The block being built: measured by a first pass over the rows, filled by a second. */
struct texts {
    const struct text_table *t;
    size_t n, bytes; /* rows, and bytes of their strings with the NULs */
    char *block;
    char *next;      /* where the next string goes */
    size_t filled;   /* entries filled */
};

static int measure_texts(sqlite3_stmt *st, void *arg)
{
    struct texts *x = arg;

    x->n++;
    for (int c = 0; c < x->t->ncols; c++) {
        sqlite3_column_text(st, c);
        x->bytes += (size_t)sqlite3_column_bytes(st, c) + 1;
    }
    return 0;
}

static int copy_texts(sqlite3_stmt *st, void *arg)
{
    struct texts *x = arg;
    char *entry = x->block + x->filled * x->t->entry_size;

    if (x->filled == x->n)
        return 0;
    for (int c = 0; c < x->t->ncols; c++) {
        const unsigned char *s = sqlite3_column_text(st, c);
        size_t len = s ? (size_t)sqlite3_column_bytes(st, c) : 0;

        memcpy(x->next, s ? (const char *)s : "", len);
        x->next[len] = '\0';
        memcpy(entry + x->t->offs[c], &x->next, sizeof(x->next));
        x->next += len + 1;
    }
    if (x->t->with_u32) {
        uint32_t v = (uint32_t)sqlite3_column_int64(st, x->t->ncols);

        memcpy(entry + x->t->u32_off, &v, sizeof(v));
    }
    x->filled++;
    return 0;
}

/*
 * Every row of t (of the resource key, when t is keyed) as one block, allocated once at its exact
 * size: the statement runs twice, and nothing writes in between (a cdb has one thread). ret is
 * the address of the caller's pointer to the entries, as for read_all().
 */
static int read_texts(struct cdb *db, const struct text_table *t, int64_t key, void *ret,
                      size_t *ret_n)
{
    struct texts x = {.t = t};
    const char *types = t->keyed ? "i" : "";
    int r = cdb_sql(db, CDB_EVERY_ROW, measure_texts, &x, t->sql, types, key);

    if (r == 0 && x.n > 0) {
        x.block = malloc(x.n * t->entry_size + x.bytes);
        if (x.block == NULL)
            return -ENOMEM;
        x.next = x.block + x.n * t->entry_size;
        r = cdb_sql(db, CDB_EVERY_ROW, copy_texts, &x, t->sql, types, key);
    }
    if (r != 0) {
        free(x.block);
        return r;
    }
    memcpy(ret, &x.block, sizeof(x.block));
    *ret_n = x.filled;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* The read functions of cdb.h                                                                 */
/* ------------------------------------------------------------------------------------------ */

static int dup_text(sqlite3_stmt *st, void *ret)
{
    const unsigned char *s = sqlite3_column_text(st, 0);

    *(char **)ret = strdup(s ? (const char *)s : "");
    return *(char **)ret ? 0 : -ENOMEM;
}

int cdb_get_prop(struct cdb *db, const char *key, char **ret)
{
    char *value = NULL;
    int r = cdb_sql(db, CDB_FIRST_ROW, dup_text, &value, "SELECT value FROM prop WHERE key = ?",
                    "t", key);

    if (r == 0)
        *ret = value;
    return r;
}

uint32_t cdb_prop_u32(struct cdb *db, const char *key, uint32_t fallback)
{
    char *v = NULL, *end;
    uint32_t n = fallback;

    if (cdb_get_prop(db, key, &v) == 0) {
        unsigned long x = strtoul(v, &end, 10);

        if (*v >= '0' && *v <= '9' && *end == '\0' && x <= UINT32_MAX)
            n = (uint32_t)x;
    }
    free(v);
    return n;
}

int cdb_props(struct cdb *db, struct cdb_prop **ret, size_t *ret_n)
{
    return read_texts(db, &prop_table, 0, ret, ret_n);
}

int cdb_nodes(struct cdb *db, struct cdb_node **ret, size_t *ret_n)
{
    return read_all(db, &node_table, 0, ret, ret_n);
}

int cdb_node_by_name(struct cdb *db, const char *name, struct cdb_node *ret)
{
    return read_by_name(db, &node_table, name, ret);
}

int cdb_node_by_id(struct cdb *db, uint64_t id, struct cdb_node *ret)
{
    return read_by_id(db, &node_table, id, ret);
}

int cdb_groups(struct cdb *db, struct cdb_group **ret, size_t *ret_n)
{
    return read_all(db, &group_table, 0, ret, ret_n);
}

int cdb_group_by_name(struct cdb *db, const char *name, struct cdb_group *ret)
{
    return read_by_name(db, &group_table, name, ret);
}

int cdb_group_by_id(struct cdb *db, uint64_t id, struct cdb_group *ret)
{
    return read_by_id(db, &group_table, id, ret);
}

/* read_texts() keyed by the id of resource name. */
static int read_resource_texts(struct cdb *db, const struct text_table *t, const char *resource,
                               void *ret, size_t *ret_n)
{
    int64_t id;
    int r = cdb_resource_id(db, resource, &id);

    return r < 0 ? r : read_texts(db, t, id, ret, ret_n);
}

int cdb_resources(struct cdb *db, const char *group, struct cdb_resource **ret, size_t *ret_n)
{
    int64_t grp = 0;
    int r = group != NULL ? cdb_group_id(db, group, &grp) : 0;

    return r < 0 ? r : read_all(db, &resource_table, grp, ret, ret_n);
}

int cdb_resource_by_name(struct cdb *db, const char *name, struct cdb_resource *ret)
{
    return read_by_name(db, &resource_table, name, ret);
}

int cdb_resource_props(struct cdb *db, const char *resource, struct cdb_prop **ret,
                       size_t *ret_n)
{
    return read_resource_texts(db, &resprop_table, resource, ret, ret_n);
}

int cdb_dependencies(struct cdb *db, const char *resource, char ***ret_names, size_t *ret_n)
{
    return read_resource_texts(db, &dependency_table, resource, ret_names, ret_n);
}

int cdb_restypes(struct cdb *db, struct cdb_restype **ret, size_t *ret_n)
{
    return read_all(db, &restype_table, 0, ret, ret_n);
}

int cdb_restype_by_name(struct cdb *db, const char *name, struct cdb_restype *ret)
{
    return read_by_name(db, &restype_table, name, ret);
}

int cdb_preferred(struct cdb *db, const char *group, uint64_t **ret_ids, size_t *ret_n)
{
    int64_t grp;
    int r = cdb_group_id(db, group, &grp);

    return r < 0 ? r : read_all(db, &preferred_table, grp, ret_ids, ret_n);
}

int cdb_resource_common(struct cdb *db, const char *resource, struct cdb_prop **ret,
                        size_t *ret_n)
{
    return read_resource_texts(db, &rescommon_table, resource, ret, ret_n);
}

int cdb_group_props(struct cdb *db, const char *group, struct cdb_prop **ret, size_t *ret_n)
{
    int64_t id;
    int r = cdb_group_id(db, group, &id);

    return r < 0 ? r : read_texts(db, &grpprop_table, id, ret, ret_n);
}

int cdb_restype_props(struct cdb *db, const char *type, struct cdb_prop **ret, size_t *ret_n)
{
    int64_t rowid;
    int r = cdb_sql_int(db, &rowid, "SELECT rowid FROM restype WHERE name = ?", "t", type);

    return r < 0 ? r : read_texts(db, &typeprop_table, rowid, ret, ret_n);
}

int cdb_dependency_clauses(struct cdb *db, const char *resource, struct cdb_dependency **ret,
                           size_t *ret_n)
{
    return read_resource_texts(db, &clause_table, resource, ret, ret_n);
}

int cdb_dependents(struct cdb *db, const char *resource, char ***ret_names, size_t *ret_n)
{
    return read_resource_texts(db, &dependents_table, resource, ret_names, ret_n);
}

int cdb_excluded(struct cdb *db, const char *resource, uint64_t **ret_ids, size_t *ret_n)
{
    int64_t id;
    int r = cdb_resource_id(db, resource, &id);

    return r < 0 ? r : read_all(db, &excluded_table, id, ret_ids, ret_n);
}

int cdb_resource_fail_count(struct cdb *db, const char *resource, uint64_t *ret)
{
    int64_t count;
    int r = cdb_sql_int(db, &count, "SELECT fail_count FROM resource WHERE name = ?", "t",
                        resource);

    if (r == 0)
        *ret = (uint64_t)count;
    return r;
}
