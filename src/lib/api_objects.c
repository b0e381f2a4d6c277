/*
 * api_objects — enumeration, and node, group and resource handles. Each reads the cluster
 * database of the node the cluster handle talks to (any node answers reads).
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/rpc_proto.h"
#include "lib/cluster_ops.h"
#include "lib/lib.h"

/* One row of a query, as the fields the callers use. */
struct row {
    char *name;
    char *owner_name;
    char *group;
    uint32_t state;
};

static void row_done(struct row *r)
{
    free(r->name);
    free(r->owner_name);
    free(r->group);
    memset(r, 0, sizeof(*r));
}

typedef bool (*row_fn)(void *arg, const struct row *r); /* false stops the walk */

/* Runs a query on the cluster (only the row of the object named, if name is not NULL) and calls
 * fn per row. Win32 status. */
static uint32_t query_rows(struct cluster_handle *c, uint32_t query, const char *name, row_fn fn,
                           void *arg)
{
    struct rpc_reply r;
    struct wire_reader rd;
    struct wire_field f;
    uint32_t status = cluster_query(c, query, name, &r);

    if (status != 0)
        return status;
    wire_reader_init(&rd, r.data, r.len);
    while (wire_next(&rd, &f) > 0) {
        struct row row = {0};
        bool more;

        if (f.tag != RPC_F_ITEM)
            continue;
        if (wire_get_strdup(f.value, f.len, RPC_F_NAME, &row.name) < 0)
            continue;
        wire_get_strdup(f.value, f.len, RPC_F_OWNER_NAME, &row.owner_name);
        wire_get_strdup(f.value, f.len, RPC_F_GROUP, &row.group);
        wire_get_u32(f.value, f.len, RPC_F_STATE, &row.state);
        more = fn(arg, &row);
        row_done(&row);
        if (!more)
            break;
    }
    rpc_reply_done(&r);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Enumeration                                                                                 */
/* ------------------------------------------------------------------------------------------ */

struct collect {
    struct enum_handle *e;
    DWORD type;
    bool failed;
};

static bool collect_row(void *arg, const struct row *r)
{
    struct collect *col = arg;

    col->failed = enum_add(col->e, col->type, r->name) != 0;
    return !col->failed;
}

CLUSAPI_API HCLUSENUM CLUSAPI_CALL ClusterOpenEnum(HCLUSTER hCluster, DWORD dwType)
{
    static const struct { DWORD type; uint32_t query; } kinds[] = {
        {CLUSTER_ENUM_NODE, RPC_QUERY_NODES},
        {CLUSTER_ENUM_RESTYPE, 0}, /* the registered types and every installed OCF agent */
        {CLUSTER_ENUM_RESOURCE, RPC_QUERY_RESOURCES},
        {CLUSTER_ENUM_GROUP, RPC_QUERY_GROUPS},
    };
    struct cluster_handle *c = (struct cluster_handle *)handle_get(hCluster, HANDLE_CLUSTER);
    struct enum_handle *e;
    DWORD status = 0;

    lib_clear_error();
    if (c == NULL) {
        lib_fail(ERROR_INVALID_HANDLE);
        return NULL;
    }
    if (dwType == 0 || (dwType & ~(DWORD)CLUSTER_ENUM_ALL) != 0) {
        lib_fail(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    if ((e = enum_new(c, HANDLE_ENUM)) == NULL) {
        lib_fail(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    /* Networks and network interfaces are not modelled yet: those bits enumerate nothing. */
    for (size_t i = 0; status == 0 && i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        struct collect col = {.e = e, .type = kinds[i].type};

        if ((dwType & kinds[i].type) == 0)
            continue;
        if (kinds[i].query == 0) {
            status = restype_collect(c, e, kinds[i].type);
            continue;
        }
        status = query_rows(c, kinds[i].query, NULL, collect_row, &col);
        if (status == 0 && col.failed)
            status = ERROR_NOT_ENOUGH_MEMORY;
    }
    return enum_finish(e, status);
}

CLUSAPI_API DWORD CLUSAPI_CALL ClusterGetEnumCount(HCLUSENUM hEnum)
{
    return enum_count(hEnum, HANDLE_ENUM);
}

CLUSAPI_API DWORD CLUSAPI_CALL ClusterEnum(HCLUSENUM hEnum, DWORD dwIndex, LPDWORD lpdwType,
                                           LPWSTR lpszName, LPDWORD lpcchName)
{
    return enum_item(hEnum, HANDLE_ENUM, dwIndex, lpdwType, lpszName, lpcchName);
}

CLUSAPI_API DWORD CLUSAPI_CALL ClusterCloseEnum(HCLUSENUM hEnum)
{
    return handle_close(hEnum, HANDLE_ENUM);
}

/* ------------------------------------------------------------------------------------------ */
/* Node, group and resource handles                                                            */
/* ------------------------------------------------------------------------------------------ */

struct find {
    const char *name;
    bool found;
    struct row row;
};

static bool find_row(void *arg, const struct row *r)
{
    struct find *fd = arg;

    if (strcasecmp(r->name, fd->name) != 0)
        return true;
    fd->found = true;
    fd->row.state = r->state;
    fd->row.name = strdup(r->name);
    fd->row.owner_name = r->owner_name ? strdup(r->owner_name) : NULL;
    fd->row.group = r->group ? strdup(r->group) : NULL;
    return false;
}

/* Looks an object up by name. Win32 status; not_found when it does not exist. */
static uint32_t lookup(struct cluster_handle *c, uint32_t query, const char *name,
                       DWORD not_found, struct find *ret)
{
    uint32_t status;

    memset(ret, 0, sizeof(*ret));
    ret->name = name;
    status = query_rows(c, query, name, find_row, ret);
    if (status != 0)
        return status;
    if (!ret->found) {
        lib_fail_text(not_found, "%s not found", name);
        return not_found;
    }
    return 0;
}

struct object_handle *object_new(struct cluster_handle *c, enum handle_type type,
                                 const char *name)
{
    struct object_handle *o = calloc(1, sizeof(*o));

    if (o == NULL)
        return NULL;
    o->h = (struct handle){.type = type, .parent = &c->h};
    snprintf(o->name, sizeof(o->name), "%s", name);
    if (!handle_register(&o->h)) {
        free(o);
        return NULL;
    }
    return o;
}

struct object_handle *object_enter(const void *p, enum handle_type type)
{
    struct object_handle *o = (struct object_handle *)handle_get(p, type);

    assert(type == HANDLE_NODE || type == HANDLE_GROUP || type == HANDLE_RESOURCE);
    lib_clear_error();
    if (o == NULL)
        lib_fail(ERROR_INVALID_HANDLE);
    return o;
}

static void *open_object(HCLUSTER hCluster, LPCWSTR lpszName, enum handle_type type,
                         uint32_t query, DWORD not_found)
{
    struct cluster_handle *c = (struct cluster_handle *)handle_get(hCluster, HANDLE_CLUSTER);
    struct object_handle *o;
    struct find fd;
    char *name;

    lib_clear_error();
    if (c == NULL) {
        lib_fail(ERROR_INVALID_HANDLE);
        return NULL;
    }
    if (lpszName == NULL) {
        lib_fail(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    if ((name = lib_name_in(lpszName)) == NULL)
        return NULL;
    if (lookup(c, query, name, not_found, &fd) != 0) {
        free(name);
        return NULL;
    }
    o = object_new(c, type, fd.row.name);
    row_done(&fd.row);
    free(name);
    if (o == NULL)
        lib_fail(ERROR_NOT_ENOUGH_MEMORY);
    return o;
}

/* The current row of an object handle's object. */
static uint32_t object_row(const void *p, enum handle_type type, uint32_t query,
                           DWORD not_found, struct find *ret)
{
    struct object_handle *o = object_enter(p, type);

    if (o == NULL)
        return ERROR_INVALID_HANDLE;
    return lookup((struct cluster_handle *)o->h.parent, query, o->name, not_found, ret);
}

CLUSAPI_API HNODE CLUSAPI_CALL OpenClusterNode(HCLUSTER hCluster, LPCWSTR lpszNodeName)
{
    return open_object(hCluster, lpszNodeName, HANDLE_NODE, RPC_QUERY_NODES,
                       ERROR_CLUSTER_NODE_NOT_FOUND);
}

CLUSAPI_API HNODE CLUSAPI_CALL OpenClusterNodeEx(HCLUSTER hCluster, LPCWSTR lpszNodeName,
                                                 DWORD dwDesiredAccess, DWORD *lpdwGrantedAccess)
{
    HNODE h = OpenClusterNode(hCluster, lpszNodeName);

    if (h != NULL && lpdwGrantedAccess != NULL)
        *lpdwGrantedAccess = dwDesiredAccess & MAXIMUM_ALLOWED ? GENERIC_ALL : dwDesiredAccess;
    return h;
}

CLUSAPI_API BOOL CLUSAPI_CALL CloseClusterNode(HNODE hNode)
{
    return handle_close(hNode, HANDLE_NODE) == 0;
}

CLUSAPI_API CLUSTER_NODE_STATE CLUSAPI_CALL GetClusterNodeState(HNODE hNode)
{
    struct find fd;
    CLUSTER_NODE_STATE state;

    if (object_row(hNode, HANDLE_NODE, RPC_QUERY_NODES, ERROR_CLUSTER_NODE_NOT_FOUND, &fd) != 0)
        return ClusterNodeStateUnknown;
    state = (CLUSTER_NODE_STATE)(int32_t)fd.row.state;
    row_done(&fd.row);
    return state;
}

CLUSAPI_API HGROUP CLUSAPI_CALL OpenClusterGroup(HCLUSTER hCluster, LPCWSTR lpszGroupName)
{
    return open_object(hCluster, lpszGroupName, HANDLE_GROUP, RPC_QUERY_GROUPS,
                       ERROR_GROUP_NOT_FOUND);
}

CLUSAPI_API HGROUP CLUSAPI_CALL CreateClusterGroup(HCLUSTER hCluster, LPCWSTR lpszGroupName)
{
    struct cluster_handle *c = (struct cluster_handle *)handle_get(hCluster, HANDLE_CLUSTER);
    struct wire_writer req;
    char *name;
    DWORD status;

    lib_clear_error();
    if (c == NULL) {
        lib_fail(ERROR_INVALID_HANDLE);
        return NULL;
    }
    if (lpszGroupName == NULL || lpszGroupName[0] == 0) {
        lib_fail(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    if ((name = lib_name_in(lpszGroupName)) == NULL)
        return NULL;
    /* A name the handles cannot hold whole would make a group no handle can reach. */
    if (strlen(name) >= sizeof(((struct object_handle *)NULL)->name)) {
        free(name);
        lib_fail_text(ERROR_INVALID_PARAMETER, "a group name has at most 255 bytes of UTF-8");
        return NULL;
    }
    rpc_request(&req, RPC_OP_GROUP_CREATE);
    wire_put_str(&req, RPC_F_NAME, name);
    free(name);
    status = cluster_change(c, &req);
    if (status != 0)
        return NULL;
    return OpenClusterGroup(hCluster, lpszGroupName);
}

CLUSAPI_API BOOL CLUSAPI_CALL CloseClusterGroup(HGROUP hGroup)
{
    return handle_close(hGroup, HANDLE_GROUP) == 0;
}

CLUSAPI_API CLUSTER_GROUP_STATE CLUSAPI_CALL GetClusterGroupState(HGROUP hGroup,
                                                                  LPWSTR lpszNodeName,
                                                                  LPDWORD lpcchNodeName)
{
    struct find fd;
    CLUSTER_GROUP_STATE state;
    DWORD status = 0;

    if (lpszNodeName != NULL && lpcchNodeName == NULL) {
        lib_fail(ERROR_INVALID_PARAMETER);
        return ClusterGroupStateUnknown;
    }
    if (object_row(hGroup, HANDLE_GROUP, RPC_QUERY_GROUPS, ERROR_GROUP_NOT_FOUND, &fd) != 0)
        return ClusterGroupStateUnknown;
    state = (CLUSTER_GROUP_STATE)(int32_t)fd.row.state;
    if (lpcchNodeName != NULL)
        status = lib_copy_out(fd.row.owner_name ? fd.row.owner_name : "", lpszNodeName,
                              lpcchNodeName);
    row_done(&fd.row);
    if (status != 0) {
        lib_fail(status);
        return ClusterGroupStateUnknown;
    }
    return state;
}

CLUSAPI_API HRESOURCE CLUSAPI_CALL OpenClusterResource(HCLUSTER hCluster,
                                                       LPCWSTR lpszResourceName)
{
    return open_object(hCluster, lpszResourceName, HANDLE_RESOURCE, RPC_QUERY_RESOURCES,
                       ERROR_RESOURCE_NOT_FOUND);
}

CLUSAPI_API BOOL CLUSAPI_CALL CloseClusterResource(HRESOURCE hResource)
{
    return handle_close(hResource, HANDLE_RESOURCE) == 0;
}

CLUSAPI_API CLUSTER_RESOURCE_STATE CLUSAPI_CALL GetClusterResourceState(
    HRESOURCE hResource, LPWSTR lpszNodeName, LPDWORD lpcchNodeName, LPWSTR lpszGroupName,
    LPDWORD lpcchGroupName)
{
    struct find fd;
    CLUSTER_RESOURCE_STATE state;
    DWORD status = 0;

    if ((lpszNodeName != NULL && lpcchNodeName == NULL) ||
        (lpszGroupName != NULL && lpcchGroupName == NULL)) {
        lib_fail(ERROR_INVALID_PARAMETER);
        return ClusterResourceStateUnknown;
    }
    if (object_row(hResource, HANDLE_RESOURCE, RPC_QUERY_RESOURCES, ERROR_RESOURCE_NOT_FOUND,
                   &fd) != 0)
        return ClusterResourceStateUnknown;
    state = (CLUSTER_RESOURCE_STATE)(int32_t)fd.row.state;
    if (lpcchNodeName != NULL)
        status = lib_copy_out(fd.row.owner_name ? fd.row.owner_name : "", lpszNodeName,
                              lpcchNodeName);
    if (status == 0 && lpcchGroupName != NULL)
        status = lib_copy_out(fd.row.group ? fd.row.group : "", lpszGroupName, lpcchGroupName);
    row_done(&fd.row);
    if (status != 0) {
        lib_fail(status);
        return ClusterResourceStateUnknown;
    }
    return state;
}
