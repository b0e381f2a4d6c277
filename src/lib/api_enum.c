/*
 * api_enum — the enumerations of one object: ClusterResourceOpenEnum (dependencies, dependents,
 * possible owners), ClusterGroupOpenEnum (resources, preferred owners), ClusterNodeOpenEnum
 * (groups owned, groups that prefer the node) and ClusterResourceTypeOpenEnum (nodes, resources
 * of the type), with what every enumeration shares. Each enumeration is a snapshot taken when
 * it is opened, as on Windows; its handle type is its own, so an HRESENUM passed where an
 * HGROUPENUM is expected is ERROR_INVALID_HANDLE.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/rpc_proto.h"
#include "lib/cluster_ops.h"
#include "lib/lib.h"

/* ------------------------------------------------------------------------------------------ */
/* What every enumeration shares                                                               */
/* ------------------------------------------------------------------------------------------ */

struct enum_handle *enum_new(struct cluster_handle *c, enum handle_type type)
{
    struct enum_handle *e = calloc(1, sizeof(*e));

    assert(HANDLE_IS_ENUM(type));
    if (e != NULL)
        e->h = (struct handle){.type = type, .parent = &c->h};
    return e;
}

DWORD enum_add(struct enum_handle *e, DWORD type, const char *name)
{
    struct enum_item *items;

    for (size_t i = 0; i < e->n; i++)
        if (e->items[i].type == type && strcasecmp(e->items[i].name, name) == 0)
            return 0;
    items = realloc(e->items, (e->n + 1) * sizeof(*items));
    if (items == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    e->items = items;
    if ((items[e->n].name = strdup(name)) == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    items[e->n++].type = type;
    return 0;
}

void *enum_finish(struct enum_handle *e, DWORD status)
{
    if (status == 0 && !handle_register(&e->h))
        status = ERROR_NOT_ENOUGH_MEMORY;
    if (status == 0)
        return e;
    handle_free(&e->h);
    /* A failed query set the last error with the node's reason already; keep that text. */
    if (GetLastError() != status)
        lib_fail(status);
    return NULL;
}

DWORD enum_count(const void *p, enum handle_type type)
{
    struct enum_handle *e = (struct enum_handle *)handle_get(p, type);

    if (e == NULL) {
        lib_fail(ERROR_INVALID_HANDLE);
        return 0;
    }
    return (DWORD)e->n;
}

DWORD enum_item(const void *p, enum handle_type type, DWORD index, LPDWORD ret_type,
                LPWSTR name, LPDWORD inout_cch)
{
    struct enum_handle *e = (struct enum_handle *)handle_get(p, type);
    DWORD status;

    if (e == NULL)
        return lib_fail(ERROR_INVALID_HANDLE);
    if (ret_type == NULL || inout_cch == NULL)
        return lib_fail(ERROR_INVALID_PARAMETER);
    if (index >= e->n)
        return ERROR_NO_MORE_ITEMS;
    *ret_type = e->items[index].type;
    status = lib_copy_out(e->items[index].name, name, inout_cch);
    return status ? lib_fail(status) : 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Collecting rows                                                                             */
/* ------------------------------------------------------------------------------------------ */

/* Which rows of a query become items, and with which name. */
struct pick {
    uint32_t query;      /* RPC_QUERY_* */
    const char *object;  /* RPC_F_NAME of the query (NULL: every row) */
    uint16_t field;      /* the string field that names the item */
    uint16_t match;      /* a string field that must equal match_value (0: every row) */
    const char *match_value;
    DWORD type;          /* the item type */
};

/* Whether the row (an RPC_F_ITEM's value) passes the pick's filter. */
static bool row_matches(const struct pick *pk, const struct wire_field *f)
{
    char *v = NULL;
    bool ok;

    if (pk->match == 0)
        return true;
    if (wire_get_strdup(f->value, f->len, pk->match, &v) < 0)
        return false;
    ok = strcasecmp(v, pk->match_value) == 0;
    free(v);
    return ok;
}

/* Runs the pick's query and adds the rows it selects to e. Win32 status. */
static DWORD collect(struct cluster_handle *c, const struct pick *pk, struct enum_handle *e)
{
    struct rpc_reply r;
    struct wire_reader rd;
    struct wire_field f;
    DWORD status = cluster_query(c, pk->query, pk->object, &r);

    if (status != 0)
        return status;
    wire_reader_init(&rd, r.data, r.len);
    while (status == 0 && wire_next(&rd, &f) > 0) {
        char *name = NULL;

        if (f.tag != RPC_F_ITEM || !row_matches(pk, &f) ||
            wire_get_strdup(f.value, f.len, pk->field, &name) < 0)
            continue;
        status = enum_add(e, pk->type, name);
        free(name);
    }
    rpc_reply_done(&r);
    return status;
}

/* Runs each pick whose type bit is in dw_type. */
static DWORD collect_all(struct cluster_handle *c, const struct pick *picks, size_t n,
                         DWORD dw_type, struct enum_handle *e)
{
    DWORD status = 0;

    for (size_t i = 0; status == 0 && i < n; i++)
        if (dw_type & picks[i].type)
            status = collect(c, &picks[i], e);
    return status;
}

/* A new enumeration of type holding what the picks in dw_type find, or NULL with the last
 * error set. */
static void *open_picked(struct cluster_handle *c, enum handle_type type,
                         const struct pick *picks, size_t n, DWORD dw_type)
{
    struct enum_handle *e = enum_new(c, type);

    if (e == NULL) {
        lib_fail(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    return enum_finish(e, collect_all(c, picks, n, dw_type, e));
}

/* A dwType that selects something and nothing outside all. */
static bool valid_mask(DWORD dw_type, DWORD all)
{
    return dw_type != 0 && (dw_type & ~all) == 0;
}

/* The start of an Open call on an object handle: the object, or NULL with the last error set. */
static struct object_handle *open_on(const void *p, enum handle_type type, DWORD dw_type,
                                     DWORD all)
{
    struct object_handle *o = object_enter(p, type);

    if (o != NULL && !valid_mask(dw_type, all)) {
        lib_fail(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return o;
}

/* ------------------------------------------------------------------------------------------ */
/* Resources                                                                                   */
/* ------------------------------------------------------------------------------------------ */

CLUSAPI_API HRESENUM CLUSAPI_CALL ClusterResourceOpenEnum(HRESOURCE hResource, DWORD dwType)
{
    struct object_handle *o = open_on(hResource, HANDLE_RESOURCE, dwType,
                                      CLUSTER_RESOURCE_ENUM_ALL);
    struct cluster_handle *c;

    if (o == NULL)
        return NULL;
    c = (struct cluster_handle *)o->h.parent;
    const struct pick picks[] = {
        {RPC_QUERY_DEPENDENCIES, o->name, RPC_F_PROVIDER, 0, NULL, CLUSTER_RESOURCE_ENUM_DEPENDS},
        {RPC_QUERY_DEPENDENTS, o->name, RPC_F_NAME, 0, NULL, CLUSTER_RESOURCE_ENUM_PROVIDES},
        {RPC_QUERY_POSSIBLE_OWNERS, o->name, RPC_F_NAME, 0, NULL, CLUSTER_RESOURCE_ENUM_NODES},
    };
    return open_picked(c, HANDLE_RES_ENUM, picks, sizeof(picks) / sizeof(picks[0]), dwType);
}

CLUSAPI_API DWORD CLUSAPI_CALL ClusterResourceGetEnumCount(HRESENUM hResEnum)
{
    return enum_count(hResEnum, HANDLE_RES_ENUM);
}

CLUSAPI_API DWORD CLUSAPI_CALL ClusterResourceEnum(HRESENUM hResEnum, DWORD dwIndex,
                                                   LPDWORD lpdwType, LPWSTR lpszName,
                                                   LPDWORD lpcchName)
{
    return enum_item(hResEnum, HANDLE_RES_ENUM, dwIndex, lpdwType, lpszName, lpcchName);
}

CLUSAPI_API DWORD CLUSAPI_CALL ClusterResourceCloseEnum(HRESENUM hResEnum)
{
    return handle_close(hResEnum, HANDLE_RES_ENUM);
}

/* ------------------------------------------------------------------------------------------ */
/* Groups                                                                                      */
/* ------------------------------------------------------------------------------------------ */

CLUSAPI_API HGROUPENUM CLUSAPI_CALL ClusterGroupOpenEnum(HGROUP hGroup, DWORD dwType)
{
    struct object_handle *o = open_on(hGroup, HANDLE_GROUP, dwType, CLUSTER_GROUP_ENUM_ALL);
    struct cluster_handle *c;

    if (o == NULL)
        return NULL;
    c = (struct cluster_handle *)o->h.parent;
    const struct pick picks[] = {
        {RPC_QUERY_RESOURCES, NULL, RPC_F_NAME, RPC_F_GROUP, o->name,
         CLUSTER_GROUP_ENUM_CONTAINS},
        {RPC_QUERY_PREFERRED, o->name, RPC_F_NAME, 0, NULL, CLUSTER_GROUP_ENUM_NODES},
    };
    return open_picked(c, HANDLE_GROUP_ENUM, picks, sizeof(picks) / sizeof(picks[0]), dwType);
}

CLUSAPI_API DWORD CLUSAPI_CALL ClusterGroupGetEnumCount(HGROUPENUM hGroupEnum)
{
    return enum_count(hGroupEnum, HANDLE_GROUP_ENUM);
}

CLUSAPI_API DWORD CLUSAPI_CALL ClusterGroupEnum(HGROUPENUM hGroupEnum, DWORD dwIndex,
                                                LPDWORD lpdwType, LPWSTR lpszResourceName,
                                                LPDWORD lpcchName)
{
    return enum_item(hGroupEnum, HANDLE_GROUP_ENUM, dwIndex, lpdwType, lpszResourceName,
                     lpcchName);
}

CLUSAPI_API DWORD CLUSAPI_CALL ClusterGroupCloseEnum(HGROUPENUM hGroupEnum)
{
    return handle_close(hGroupEnum, HANDLE_GROUP_ENUM);
}

/* ------------------------------------------------------------------------------------------ */
/* Nodes                                                                                       */
/* ------------------------------------------------------------------------------------------ */

/* The groups whose preferred owners name the node: one query per group, since the database
 * keeps preferences by group. */
static DWORD collect_preferring(struct cluster_handle *c, const char *node, struct enum_handle *e)
{
    struct cluster_group *groups;
    size_t n;
    DWORD status = cluster_groups(c, &groups, &n);

    if (status != 0)
        return status;
    for (size_t i = 0; status == 0 && i < n; i++) {
        struct enum_handle *owners = enum_new(c, HANDLE_GROUP_ENUM);
        const struct pick pk = {RPC_QUERY_PREFERRED, groups[i].name, RPC_F_NAME, RPC_F_NAME,
                                node, CLUSTER_NODE_ENUM_PREFERRED_GROUPS};

        if (owners == NULL) {
            status = ERROR_NOT_ENOUGH_MEMORY;
            break;
        }
        status = collect(c, &pk, owners);
        if (status == 0 && owners->n > 0)
            status = enum_add(e, CLUSTER_NODE_ENUM_PREFERRED_GROUPS, groups[i].name);
        handle_free(&owners->h);
    }
    free(groups);
    return status;
}

CLUSAPI_API HNODEENUM CLUSAPI_CALL ClusterNodeOpenEnum(HNODE hNode, DWORD dwType)
{
    /* CLUSTER_NODE_ENUM_ALL leaves PREFERRED_GROUPS out, as in the SDK; the mask accepts it. */
    const DWORD all = CLUSTER_NODE_ENUM_ALL | CLUSTER_NODE_ENUM_PREFERRED_GROUPS;
    struct object_handle *o = open_on(hNode, HANDLE_NODE, dwType, all);
    struct cluster_handle *c;
    struct enum_handle *e;
    DWORD status;

    if (o == NULL)
        return NULL;
    c = (struct cluster_handle *)o->h.parent;
    const struct pick groups = {RPC_QUERY_GROUPS, NULL, RPC_F_NAME, RPC_F_OWNER_NAME, o->name,
                                CLUSTER_NODE_ENUM_GROUPS};
    if ((e = enum_new(c, HANDLE_NODE_ENUM)) == NULL) {
        lib_fail(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    /* Network interfaces are not modelled: CLUSTER_NODE_ENUM_NETINTERFACES lists none. */
    status = collect_all(c, &groups, 1, dwType, e);
    if (status == 0 && (dwType & CLUSTER_NODE_ENUM_PREFERRED_GROUPS))
        status = collect_preferring(c, o->name, e);
    return enum_finish(e, status);
}

CLUSAPI_API DWORD CLUSAPI_CALL ClusterNodeGetEnumCount(HNODEENUM hNodeEnum)
{
    return enum_count(hNodeEnum, HANDLE_NODE_ENUM);
}

CLUSAPI_API DWORD CLUSAPI_CALL ClusterNodeEnum(HNODEENUM hNodeEnum, DWORD dwIndex,
                                               LPDWORD lpdwType, LPWSTR lpszName,
                                               LPDWORD lpcchName)
{
    return enum_item(hNodeEnum, HANDLE_NODE_ENUM, dwIndex, lpdwType, lpszName, lpcchName);
}

CLUSAPI_API DWORD CLUSAPI_CALL ClusterNodeCloseEnum(HNODEENUM hNodeEnum)
{
    return handle_close(hNodeEnum, HANDLE_NODE_ENUM);
}

/* ------------------------------------------------------------------------------------------ */
/* Resource types                                                                              */
/* ------------------------------------------------------------------------------------------ */

/* Whether the cluster knows the type (registered, or an OCF agent installed): the type's name as
 * the cluster spells it in ret (n bytes). Win32 status. */
static DWORD restype_known(struct cluster_handle *c, const char *name, char *ret, size_t n)
{
    struct enum_handle *all = enum_new(c, HANDLE_RESTYPE_ENUM);
    DWORD status;

    if (all == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    status = restype_collect(c, all, CLUSTER_ENUM_RESTYPE);
    if (status == 0) {
        status = ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND;
        for (size_t i = 0; i < all->n && status != 0; i++)
            if (strcasecmp(all->items[i].name, name) == 0) {
                snprintf(ret, n, "%s", all->items[i].name);
                status = 0;
            }
        if (status != 0)
            lib_fail_text(status, "the cluster has no resource type '%s'", name);
    }
    handle_free(&all->h);
    return status;
}

/*
 * Every node counts as able to host a type: types are registered cluster-wide and the
 * resource monitor of any member runs them (an OCF agent missing on a node fails there, and
 * the group fails over).
 */
CLUSAPI_API HRESTYPEENUM CLUSAPI_CALL ClusterResourceTypeOpenEnum(HCLUSTER hCluster,
                                                                  LPCWSTR lpszResourceTypeName,
                                                                  DWORD dwType)
{
    struct cluster_handle *c = (struct cluster_handle *)handle_get(hCluster, HANDLE_CLUSTER);
    char *name, type_name[256];
    DWORD status;

    lib_clear_error();
    if (c == NULL) {
        lib_fail(ERROR_INVALID_HANDLE);
        return NULL;
    }
    if (lpszResourceTypeName == NULL || !valid_mask(dwType, CLUSTER_RESOURCE_TYPE_ENUM_ALL)) {
        lib_fail(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    if ((name = lib_name_in(lpszResourceTypeName)) == NULL)
        return NULL;
    status = restype_known(c, name, type_name, sizeof(type_name));
    free(name);
    if (status != 0)
        return NULL;
    const struct pick picks[] = {
        {RPC_QUERY_NODES, NULL, RPC_F_NAME, 0, NULL, CLUSTER_RESOURCE_TYPE_ENUM_NODES},
        {RPC_QUERY_RESOURCES, NULL, RPC_F_NAME, RPC_F_TYPE, type_name,
         CLUSTER_RESOURCE_TYPE_ENUM_RESOURCES},
    };
    return open_picked(c, HANDLE_RESTYPE_ENUM, picks, sizeof(picks) / sizeof(picks[0]), dwType);
}

CLUSAPI_API DWORD CLUSAPI_CALL ClusterResourceTypeGetEnumCount(HRESTYPEENUM hResTypeEnum)
{
    return enum_count(hResTypeEnum, HANDLE_RESTYPE_ENUM);
}

CLUSAPI_API DWORD CLUSAPI_CALL ClusterResourceTypeEnum(HRESTYPEENUM hResTypeEnum, DWORD dwIndex,
                                                       LPDWORD lpdwType, LPWSTR lpszName,
                                                       LPDWORD lpcchName)
{
    return enum_item(hResTypeEnum, HANDLE_RESTYPE_ENUM, dwIndex, lpdwType, lpszName, lpcchName);
}

CLUSAPI_API DWORD CLUSAPI_CALL ClusterResourceTypeCloseEnum(HRESTYPEENUM hResTypeEnum)
{
    return handle_close(hResTypeEnum, HANDLE_RESTYPE_ENUM);
}
