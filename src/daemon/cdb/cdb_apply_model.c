/*
 * cdb_apply_model — the appliers of the resource model (see cdb_cmd.h): resource types and their
 * common properties, resource and group properties, dependency expressions, possible owners,
 * moves between groups and requested failures. Like every applier they decide by explicit checks
 * in a fixed order, reading only the database, and a rejection rolls the whole command back.
 */
#include "daemon/cdb/cdb_internal.h"

#include <errno.h>
#include <string.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"
#include "common/common_props.h"
#include "common/wire.h"

/* MS-CMRP 3.1.1.1.2: a resource's dependency tree is at most 100 deep. */
#define DEPENDENCY_DEPTH_MAX 100

/* ---------------------------------------------------------------------------------------- */
/* Properties                                                                               */
/* ---------------------------------------------------------------------------------------- */

void cdb_propval_done(struct cdb_propval *pv)
{
    free(pv->key);
    free(pv->value);
    pv->key = pv->value = NULL;
}

int cdb_read_prop(struct cdb *db, const struct msg *prop, bool value_optional,
                  struct cdb_propval *ret)
{
    struct cdb_propval pv = {NULL, NULL, PROP_SYNTAX_SZ};
    struct wire_field f;
    int64_t syntax = PROP_SYNTAX_SZ;
    int r;

    if (wire_find(prop->data, prop->len, CDB_TAG_SYNTAX, &f) == 0 &&
        (r = cdb_arg_int(db, prop, CDB_TAG_SYNTAX, 0, UINT32_MAX, &syntax)))
        return r;
    pv.syntax = (uint32_t)syntax;
    if ((r = cdb_arg_str(db, prop, CDB_TAG_KEY, CDB_NAME_MAX, 0, &pv.key)) ||
        (r = cdb_arg_str(db, prop, CDB_TAG_VALUE, SIZE_MAX,
                         ARG_EMPTY_OK | (value_optional ? ARG_OPTIONAL : 0), &pv.value)))
        goto err;
    if (!cprop_syntax_known(pv.syntax)) {
        r = cdb_reject(db, ERROR_INVALID_PARAMETER, "property '%s': unknown syntax 0x%08x",
                       pv.key, pv.syntax);
        goto err;
    }
    if (pv.value != NULL && !cprop_value_valid(pv.syntax, pv.value)) {
        r = cdb_reject(db, ERROR_INVALID_PARAMETER, "property '%s': value not of its syntax",
                       pv.key);
        goto err;
    }
    *ret = pv;
    return 0;
err:
    cdb_propval_done(&pv);
    return r;
}

/* Where a kind of object keeps its properties: statements with ?1 the owner, ?2 the key. */
struct prop_store {
    int kind;            /* enum cprop_object, or -1 for private properties (any name) */
    const char *upsert;  /* ?1 owner, ?2 key, ?3 syntax, ?4 value */
    const char *remove;  /* ?1 owner, ?2 key */
};

static const struct prop_store resource_common_store = {
    CPROP_RESOURCE,
    "INSERT INTO resprop(resource, common, key, syntax, value) VALUES(?1, 1, ?2, ?3, ?4)"
    " ON CONFLICT(resource, common, key) DO UPDATE SET syntax = ?3, value = ?4",
    "DELETE FROM resprop WHERE resource = ?1 AND common = 1 AND key = ?2",
};

static const struct prop_store resource_private_store = {
    -1,
    "INSERT INTO resprop(resource, common, key, syntax, value) VALUES(?1, 0, ?2, ?3, ?4)"
    " ON CONFLICT(resource, common, key) DO UPDATE SET syntax = ?3, value = ?4",
    "DELETE FROM resprop WHERE resource = ?1 AND common = 0 AND key = ?2",
};

static const struct prop_store group_store = {
    CPROP_GROUP,
    "INSERT INTO grpprop(grp, key, syntax, value) VALUES(?1, ?2, ?3, ?4)"
    " ON CONFLICT(grp, key) DO UPDATE SET syntax = ?3, value = ?4",
    "DELETE FROM grpprop WHERE grp = ?1 AND key = ?2",
};

/* A common property must be one of common_props.h's, settable and within its bounds; it is
 * stored under Windows' spelling. */
static int check_common(struct cdb *db, int kind, struct cdb_propval *pv)
{
    const struct cprop *p = NULL;
    char why[160];
    char *canonical;

    if (cprop_check((enum cprop_object)kind, pv->key, pv->syntax, pv->value, &p, why,
                    sizeof(why)) != 0)
        return cdb_reject(db, ERROR_INVALID_PARAMETER, "%s", why);
    canonical = strdup(p->name);
    if (canonical == NULL)
        return -ENOMEM;
    free(pv->key);
    pv->key = canonical;
    return 0;
}

int cdb_each_prop(struct cdb *db, const struct msg *m, bool value_optional, cdb_prop_fn store,
                  const void *arg)
{
    struct wire_reader rd;
    struct wire_field f;
    int r;

    wire_reader_init(&rd, m->data, m->len);
    while ((r = wire_next(&rd, &f)) > 0) {
        struct msg prop = {f.value, f.len};
        struct cdb_propval pv;

        if (f.tag != CDB_TAG_PROP)
            continue;
        if ((r = cdb_read_prop(db, &prop, value_optional, &pv)) != 0)
            return r;
        r = store(db, &pv, arg);
        cdb_propval_done(&pv);
        if (r != 0)
            return r;
    }
    return r < 0 ? cdb_bad_field(db, r, CDB_TAG_PROP) : 0;
}

struct prop_target {
    const struct prop_store *store;
    int64_t owner;
};

/* A cdb_prop_fn: sets or (no value) removes one property of target's owner. */
static int merge_prop(struct cdb *db, struct cdb_propval *pv, const void *arg)
{
    const struct prop_target *target = arg;
    const struct prop_store *store = target->store;
    int r;

    if (store->kind >= 0 && (r = check_common(db, store->kind, pv)) != 0)
        return r;
    if (pv->value == NULL)
        return cdb_sql_exec(db, store->remove, "it", target->owner, pv->key);
    return cdb_sql_exec(db, store->upsert, "itit", target->owner, pv->key, (int64_t)pv->syntax,
                        pv->value);
}

/* Merges the PROP fields of m into owner's properties in store. */
static int merge_props(struct cdb *db, const struct msg *m, const struct prop_store *store,
                       int64_t owner)
{
    const struct prop_target target = {store, owner};

    return cdb_each_prop(db, m, true, merge_prop, &target);
}

int cdb_apply_set_resource_props(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *name = NULL;
    int64_t id, common;
    int r;

    if ((r = cdb_arg_str(db, m, CDB_TAG_NAME, CDB_NAME_MAX, 0, &name)) ||
        (r = cdb_arg_int(db, m, CDB_TAG_COMMON, 0, 1, &common)) ||
        (r = cdb_need_resource(db, name, &id)))
        return r;
    return merge_props(db, m, common ? &resource_common_store : &resource_private_store, id);
}

int cdb_apply_set_group_props(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *name = NULL;
    int64_t id;
    int r;

    if ((r = cdb_arg_str(db, m, CDB_TAG_NAME, CDB_NAME_MAX, 0, &name)) ||
        (r = cdb_need_group(db, name, &id)))
        return r;
    return merge_props(db, m, &group_store, id);
}

/* ---------------------------------------------------------------------------------------- */
/* Resource types                                                                           */
/* ---------------------------------------------------------------------------------------- */

/* A cdb_prop_fn: one common property of the new type arg (a name) that ADD_RESTYPE carries. */
static int add_restype_prop(struct cdb *db, struct cdb_propval *pv, const void *arg)
{
    int r = check_common(db, CPROP_RESTYPE, pv);

    if (r != 0)
        return r;
    return cdb_sql_exec(db, "INSERT INTO typeprop(type, key, syntax, value) VALUES(?, ?, ?, ?)",
                        "ttit", (const char *)arg, pv->key, (int64_t)pv->syntax, pv->value);
}

int cdb_apply_add_restype(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *name = NULL;
    _cleanup_free_ char *driver = NULL;
    _cleanup_free_ char *display = NULL;
    int r;

    if ((r = cdb_arg_str(db, m, CDB_TAG_NAME, CDB_NAME_MAX, 0, &name)) ||
        (r = cdb_arg_str(db, m, CDB_TAG_DRIVER, CDB_NAME_MAX, 0, &driver)) ||
        (r = cdb_arg_str(db, m, CDB_TAG_VALUE, CDB_NAME_MAX, ARG_OPTIONAL | ARG_EMPTY_OK,
                         &display)) ||
        (r = cdb_need_absent(db, ERROR_OBJECT_ALREADY_EXISTS, "resource type", name,
                             "SELECT 1 FROM restype WHERE name = ?")) ||
        (r = cdb_sql_exec(db, "INSERT INTO restype(name, driver, display) VALUES(?, ?, ?)",
                          "ttt", name, driver, display ? display : "")))
        return r;
    /* A new type has no properties stored yet: each one is inserted. */
    return cdb_each_prop(db, m, false, add_restype_prop, name);
}

/* DeleteClusterResourceType: refused while a resource has the type (MS-CMRP
 * ApiDeleteResourceType: ERROR_DIR_NOT_EMPTY). */
int cdb_apply_delete_restype(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *name = NULL;
    int r;

    if ((r = cdb_arg_str(db, m, CDB_TAG_NAME, CDB_NAME_MAX, 0, &name)) ||
        (r = cdb_need_restype(db, name)))
        return r;
    r = cdb_sql_int(db, NULL, "SELECT 1 FROM resource WHERE type = ?", "t", name);
    if (r == 0)
        return cdb_reject(db, ERROR_DIR_NOT_EMPTY, "resources of type '%s' exist", name);
    if (r != -ENOENT)
        return r;
    return cdb_sql_exec(db, "DELETE FROM restype WHERE name = ?", "t", name);
}

/* ---------------------------------------------------------------------------------------- */
/* Dependencies                                                                             */
/* ---------------------------------------------------------------------------------------- */

/* The longest chain of providers below res (up) or of dependents above it (down), cut at
 * DEPENDENCY_DEPTH_MAX + 1. The graph is acyclic when this runs. */
static int chain_depth(struct cdb *db, int64_t res, bool up, int64_t *ret)
{
    static const char *const sql[2] = {
        "WITH RECURSIVE w(id, depth) AS (SELECT ?1, 0 UNION"
        " SELECT d.resource, w.depth + 1 FROM dependency d JOIN w ON d.provider = w.id"
        " WHERE w.depth <= ?2) SELECT max(depth) FROM w",
        "WITH RECURSIVE w(id, depth) AS (SELECT ?1, 0 UNION"
        " SELECT d.provider, w.depth + 1 FROM dependency d JOIN w ON d.resource = w.id"
        " WHERE w.depth <= ?2) SELECT max(depth) FROM w",
    };

    return cdb_sql_int(db, ret, sql[up], "ii", res, (int64_t)DEPENDENCY_DEPTH_MAX);
}

/* After res's providers changed: no cycle through res, and no chain through it deeper than
 * Windows allows. */
static int check_graph(struct cdb *db, int64_t res, const char *name)
{
    int64_t below = 0, above = 0;
    int r = cdb_sql_int(db, NULL,
                        "WITH RECURSIVE up(id) AS (SELECT provider FROM dependency"
                        " WHERE resource = ?1 UNION SELECT d.provider FROM dependency d"
                        " JOIN up ON d.resource = up.id) SELECT 1 FROM up WHERE id = ?1",
                        "i", res);

    if (r == 0)
        return cdb_reject(db, ERROR_CIRCULAR_DEPENDENCY, "dependency of '%s' would be circular",
                          name);
    if (r != -ENOENT)
        return r;
    if ((r = chain_depth(db, res, true, &below)) || (r = chain_depth(db, res, false, &above)))
        return r;
    if (below + above > DEPENDENCY_DEPTH_MAX)
        return cdb_reject(db, ERROR_DEPENDENCY_TREE_TOO_COMPLEX,
                          "dependencies through '%s' nest deeper than %d", name,
                          DEPENDENCY_DEPTH_MAX);
    return 0;
}

/* Adds the edge res -> provider in clause: both in one group, not already there. */
static int add_edge(struct cdb *db, int64_t res, const char *name, const char *provider,
                    int64_t clause)
{
    int64_t prov;
    int r;

    if ((r = cdb_need_resource(db, provider, &prov)))
        return r;
    if (prov == res)
        return cdb_reject(db, ERROR_CIRCULAR_DEPENDENCY, "'%s' cannot depend on itself", name);
    r = cdb_sql_int(db, NULL,
                    "SELECT 1 FROM resource a JOIN resource b ON a.grp = b.grp"
                    " WHERE a.id = ? AND b.id = ?",
                    "ii", res, prov);
    if (r == -ENOENT)
        return cdb_reject(db, ERROR_INVALID_PARAMETER,
                          "'%s' and its provider '%s' are in different groups", name, provider);
    if (r < 0)
        return r;
    r = cdb_sql_int(db, NULL, "SELECT 1 FROM dependency WHERE resource = ? AND provider = ?",
                    "ii", res, prov);
    if (r == 0)
        return cdb_reject(db, ERROR_DEPENDENCY_ALREADY_EXISTS, "'%s' already depends on '%s'",
                          name, provider);
    if (r != -ENOENT)
        return r;
    return cdb_sql_exec(db, "INSERT INTO dependency(resource, provider, clause) VALUES(?, ?, ?)",
                        "iii", res, prov, clause);
}

int cdb_apply_add_dependency(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *resource = NULL;
    _cleanup_free_ char *provider = NULL;
    struct wire_field f;
    int64_t res, clause = 1;
    int r;

    if ((r = cdb_arg_str(db, m, CDB_TAG_RESOURCE, CDB_NAME_MAX, 0, &resource)) ||
        (r = cdb_arg_str(db, m, CDB_TAG_PROVIDER, CDB_NAME_MAX, 0, &provider)))
        return r;
    if (wire_find(m->data, m->len, CDB_TAG_CLAUSE, &f) == 0 &&
        (r = cdb_arg_int(db, m, CDB_TAG_CLAUSE, 1, UINT32_MAX, &clause)))
        return r;
    if ((r = cdb_need_resource(db, resource, &res)) ||
        (r = add_edge(db, res, resource, provider, clause)))
        return r;
    return check_graph(db, res, resource);
}

/* One nested CLAUSE of SET_DEPENDENCIES: its PROVIDERs (at least one) as clause number. */
static int add_clause(struct cdb *db, const struct msg *cl, int64_t res, const char *name,
                      int64_t number)
{
    struct wire_reader rd;
    struct wire_field f;
    int n = 0, r;

    wire_reader_init(&rd, cl->data, cl->len);
    while ((r = wire_next(&rd, &f)) > 0) {
        _cleanup_free_ char *provider = NULL;

        if (f.tag != CDB_TAG_PROVIDER)
            continue;
        if (wire_field_strdup(&f, &provider) < 0 || provider[0] == '\0' ||
            strlen(provider) > CDB_NAME_MAX)
            return cdb_bad_field(db, -EBADMSG, CDB_TAG_PROVIDER);
        if ((r = add_edge(db, res, name, provider, number)))
            return r == ERROR_DEPENDENCY_ALREADY_EXISTS
                       ? cdb_reject(db, ERROR_INVALID_PARAMETER, "'%s' named twice", provider)
                       : r;
        n++;
    }
    if (r < 0)
        return cdb_bad_field(db, r, CDB_TAG_PROVIDER);
    return n > 0 ? 0 : cdb_reject(db, ERROR_INVALID_PARAMETER, "an empty clause");
}

int cdb_apply_set_dependencies(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *resource = NULL;
    struct wire_reader rd;
    struct wire_field f;
    int64_t res, number = 0;
    int r;

    if ((r = cdb_arg_str(db, m, CDB_TAG_RESOURCE, CDB_NAME_MAX, 0, &resource)) ||
        (r = cdb_need_resource(db, resource, &res)) ||
        (r = cdb_sql_exec(db, "DELETE FROM dependency WHERE resource = ?", "i", res)))
        return r;
    wire_reader_init(&rd, m->data, m->len);
    while ((r = wire_next(&rd, &f)) > 0) {
        struct msg cl = {f.value, f.len};

        if (f.tag == CDB_TAG_CLAUSE && (r = add_clause(db, &cl, res, resource, ++number)))
            return r;
    }
    if (r < 0)
        return cdb_bad_field(db, r, CDB_TAG_CLAUSE);
    return check_graph(db, res, resource);
}

int cdb_check_dependency_groups(struct cdb *db)
{
    int r = cdb_sql_int(db, NULL,
                        "SELECT 1 FROM dependency d JOIN resource a ON a.id = d.resource"
                        " JOIN resource b ON b.id = d.provider WHERE a.grp <> b.grp",
                        "");

    if (r == 0)
        return cdb_reject(db, ERROR_INVALID_PARAMETER,
                          "a dependency would cross groups: move the whole dependency tree");
    return r == -ENOENT ? 0 : r;
}

/* ---------------------------------------------------------------------------------------- */
/* Owners, moves, failures                                                                  */
/* ---------------------------------------------------------------------------------------- */

int cdb_apply_set_excluded(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *resource = NULL;
    int64_t res;
    int r;

    if ((r = cdb_arg_str(db, m, CDB_TAG_RESOURCE, CDB_NAME_MAX, 0, &resource)) ||
        (r = cdb_need_resource(db, resource, &res)) ||
        (r = cdb_sql_exec(db, "DELETE FROM excluded WHERE resource = ?", "i", res)))
        return r;
    return cdb_insert_nodes(db, m, "INSERT INTO excluded(resource, node) VALUES(?, ?)", "ii",
                            res);
}

int cdb_apply_fail_resource(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *name = NULL;
    int64_t id;
    int r;

    if ((r = cdb_arg_str(db, m, CDB_TAG_NAME, CDB_NAME_MAX, 0, &name)) ||
        (r = cdb_need_resource(db, name, &id)))
        return r;
    return cdb_sql_exec(db, "UPDATE resource SET fail_count = fail_count + 1 WHERE id = ?", "i",
                        id);
}

/* The resource changes group; that no dependency then crosses groups is checked once the
 * whole command (the BATCH moving a dependency tree) has been applied. */
int cdb_apply_move_resource(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *name = NULL;
    _cleanup_free_ char *group = NULL;
    int64_t id, grp;
    int r;

    if ((r = cdb_arg_str(db, m, CDB_TAG_NAME, CDB_NAME_MAX, 0, &name)) ||
        (r = cdb_arg_str(db, m, CDB_TAG_GROUP, CDB_NAME_MAX, 0, &group)) ||
        (r = cdb_need_resource(db, name, &id)) || (r = cdb_need_group(db, group, &grp)))
        return r;
    db->moved = true;
    return cdb_sql_exec(db, "UPDATE resource SET grp = ? WHERE id = ?", "ii", grp, id);
}
