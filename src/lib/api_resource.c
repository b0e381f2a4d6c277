/*
 * api_resource — the resource calls: create and delete, online, offline and fail, the group,
 * dependencies and their expression, possible owners, and the network name.
 *
 * Each change is one typed request (common/rpc_proto.h) that the leader checks against its
 * database before it commits anything, so a refused call changes nothing. Online and offline
 * run in the background on the group's owner: the call returns ERROR_IO_PENDING until it is
 * done, and the caller follows the state with GetClusterResourceState.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <clusapi_ext.h>

#include "common/rpc_proto.h"
#include "lib/cluster_ops.h"
#include "lib/lib.h"
#include "lib/resource.h"

#define NETNAME_TYPE "Network Name"

/* ------------------------------------------------------------------------------------------ */
/* Requests                                                                                    */
/* ------------------------------------------------------------------------------------------ */

void resource_put_prop(struct wire_writer *w, const struct prop *p)
{
    size_t mark = wire_begin(w, RPC_F_PROP);

    wire_put_str(w, RPC_F_NAME, p->name);
    wire_put_u32(w, RPC_F_SYNTAX, p->syntax);
    if (p->value != NULL && p->syntax == PROP_SYNTAX_MULTI_SZ) {
        /* One VALUE per string; "" is the empty list and sends none. */
        for (const char *s = p->value; *s != '\0';) {
            size_t len = strcspn(s, "\n");

            wire_put_blob(w, RPC_F_VALUE, s, len);
            s += len + (s[len] == '\n');
        }
    } else if (p->value != NULL) {
        wire_put_str(w, RPC_F_VALUE, p->value);
    }
    wire_end(w, mark);
}

HRESOURCE resource_create(HGROUP hGroup, LPCWSTR lpszResourceName, LPCWSTR lpszResourceType,
                          DWORD dwFlags, const struct prop *props, size_t n_props,
                          bool required)
{
    struct object_handle *g = object_enter(hGroup, HANDLE_GROUP);
    struct cluster_handle *c;
    struct wire_writer req;
    char *name = NULL, *type = NULL;
    DWORD status;

    if (g == NULL)
        return NULL;
    c = (struct cluster_handle *)g->h.parent;
    if (lpszResourceName == NULL || lpszResourceName[0] == 0 || lpszResourceType == NULL ||
        lpszResourceType[0] == 0 || (dwFlags & ~(DWORD)CLUSTER_RESOURCE_VALID_FLAGS) != 0) {
        lib_fail(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    if ((name = lib_name_in(lpszResourceName)) == NULL ||
        (type = lib_name_in(lpszResourceType)) == NULL) {
        free(name);
        return NULL;
    }
    /* A name the handles cannot hold whole would make a resource no handle can reach. */
    if (strlen(name) >= sizeof(g->name)) {
        lib_fail_text(ERROR_INVALID_PARAMETER, "a resource name has at most 255 bytes of UTF-8");
        status = ERROR_INVALID_PARAMETER;
    } else {
        rpc_request(&req, RPC_OP_RESOURCE_CREATE);
        wire_put_str(&req, RPC_F_NAME, name);
        wire_put_str(&req, RPC_F_GROUP, g->name);
        wire_put_str(&req, RPC_F_TYPE, type);
        wire_put_u32(&req, RPC_F_FLAGS, dwFlags);
        for (size_t i = 0; i < n_props; i++)
            resource_put_prop(&req, &props[i]);
        if (required)
            wire_put_u32(&req, RPC_F_REQUIRED, 1);
        status = cluster_change(c, &req);
    }
    free(name);
    free(type);
    if (status != 0)
        return NULL;
    return OpenClusterResource((HCLUSTER)c, lpszResourceName);
}

/* A resource call's target, or NULL with the last error set (ERROR_INVALID_HANDLE). */
static struct object_handle *enter(HRESOURCE hResource, struct cluster_handle **ret_c)
{
    struct object_handle *r = object_enter(hResource, HANDLE_RESOURCE);

    if (r != NULL)
        *ret_c = (struct cluster_handle *)r->h.parent;
    return r;
}

/* NAME plus one string field: a change that returns once applied. */
static DWORD change_with(struct cluster_handle *c, uint32_t op, const char *name, uint16_t tag,
                         const char *value)
{
    struct wire_writer req;

    rpc_request(&req, op);
    wire_put_str(&req, RPC_F_NAME, name);
    wire_put_str(&req, tag, value);
    return cluster_change(c, &req);
}

/* A request naming only the resource; ERROR_IO_PENDING passes through as the call's result. */
static DWORD simple(HRESOURCE hResource, uint32_t op)
{
    struct cluster_handle *c = NULL;
    struct object_handle *r = enter(hResource, &c);

    if (r == NULL)
        return ERROR_INVALID_HANDLE;
    return cluster_request(c, op, r->name, 0, false, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Create, delete, online, offline, fail                                                       */
/* ------------------------------------------------------------------------------------------ */

CLUSAPI_API HRESOURCE CLUSAPI_CALL CreateClusterResource(HGROUP hGroup, LPCWSTR lpszResourceName,
                                                         LPCWSTR lpszResourceType, DWORD dwFlags)
{
    return resource_create(hGroup, lpszResourceName, lpszResourceType, dwFlags, NULL, 0, false);
}

CLUSAPI_API DWORD CLUSAPI_CALL DeleteClusterResource(HRESOURCE hResource)
{
    return simple(hResource, RPC_OP_RESOURCE_DELETE);
}

/*
 * OnlineClusterResource / OfflineClusterResource: the request, then a short wait for the resource
 * to settle in state on the node the handle talks to, once that node applied the request (a
 * state from before it, such as an earlier Failed, is not the outcome). 0, ERROR_IO_PENDING
 * while it goes on, or the failure (ERROR_RESOURCE_FAILED for an online that failed).
 */
static DWORD change_and_settle(HRESOURCE hResource, uint32_t op, int32_t state)
{
    struct cluster_handle *c = NULL;
    struct object_handle *r = enter(hResource, &c);
    struct rpc_reply reply;
    uint64_t version = 0;
    DWORD status;

    if (r == NULL)
        return ERROR_INVALID_HANDLE;
    status = cluster_request(c, op, r->name, 0, false, &reply);
    if (status == ERROR_IO_PENDING)
        wire_get_u64(reply.data, reply.len, RPC_F_DB_VERSION, &version);
    rpc_reply_done(&reply);
    if (status == ERROR_IO_PENDING && version != 0)
        status = cluster_pending_on_timeout(cluster_wait_after(
            c, RPC_WAIT_RESOURCE_STATE, r->name, state, version, CLUSTER_SETTLE_MS));
    return status;
}

CLUSAPI_API DWORD CLUSAPI_CALL OnlineClusterResource(HRESOURCE hResource)
{
    return change_and_settle(hResource, RPC_OP_RESOURCE_ONLINE, ClusterResourceOnline);
}

CLUSAPI_API DWORD CLUSAPI_CALL OfflineClusterResource(HRESOURCE hResource)
{
    return change_and_settle(hResource, RPC_OP_RESOURCE_OFFLINE, ClusterResourceOffline);
}

CLUSAPI_API DWORD CLUSAPI_CALL FailClusterResource(HRESOURCE hResource)
{
    return simple(hResource, RPC_OP_RESOURCE_FAIL);
}

/* ------------------------------------------------------------------------------------------ */
/* Group and dependencies                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* A change of resource hResource naming, in field tag, the object of handle other (a type). */
static DWORD change_naming(HRESOURCE hResource, const void *other, enum handle_type type,
                           uint32_t op, uint16_t tag)
{
    struct cluster_handle *c = NULL;
    struct object_handle *r = enter(hResource, &c), *o;

    if (r == NULL)
        return ERROR_INVALID_HANDLE;
    o = (struct object_handle *)handle_get(other, type);
    if (o == NULL)
        return lib_fail(ERROR_INVALID_HANDLE);
    return change_with(c, op, r->name, tag, o->name);
}

CLUSAPI_API DWORD CLUSAPI_CALL ChangeClusterResourceGroup(HRESOURCE hResource, HGROUP hGroup)
{
    return change_naming(hResource, hGroup, HANDLE_GROUP, RPC_OP_RESOURCE_MOVE, RPC_F_GROUP);
}

/* AddClusterResourceDependency and RemoveClusterResourceDependency. */
static DWORD dependency(HRESOURCE hResource, HRESOURCE hDependsOn, uint32_t op)
{
    return change_naming(hResource, hDependsOn, HANDLE_RESOURCE, op, RPC_F_PROVIDER);
}

CLUSAPI_API DWORD CLUSAPI_CALL AddClusterResourceDependency(HRESOURCE hResource,
                                                            HRESOURCE hDependsOn)
{
    return dependency(hResource, hDependsOn, RPC_OP_RESOURCE_DEPEND);
}

CLUSAPI_API DWORD CLUSAPI_CALL RemoveClusterResourceDependency(HRESOURCE hResource,
                                                               HRESOURCE hDependsOn)
{
    return dependency(hResource, hDependsOn, RPC_OP_RESOURCE_UNDEPEND);
}

CLUSAPI_API DWORD CLUSAPI_CALL SetClusterResourceDependencyExpression(
    HRESOURCE hResource, LPCWSTR lpszDependencyExpression)
{
    struct cluster_handle *c = NULL;
    struct object_handle *r = enter(hResource, &c);
    char *expr;
    DWORD status;

    if (r == NULL)
        return ERROR_INVALID_HANDLE;
    if (lpszDependencyExpression == NULL)
        return lib_fail(ERROR_INVALID_PARAMETER);
    /* The text goes as the caller wrote it: the leader parses it against its resources. */
    if ((expr = lib_name_in(lpszDependencyExpression)) == NULL)
        return GetLastError();
    status = change_with(c, RPC_OP_RESOURCE_SET_DEPEXPR, r->name, RPC_F_VALUE, expr);
    free(expr);
    return status;
}

/* The resource's dependency expression, malloc'd in *ret. Win32 status. */
static DWORD read_expression(struct cluster_handle *c, const char *name, char **ret)
{
    struct rpc_reply r;
    DWORD status = cluster_query(c, RPC_QUERY_DEPENDENCIES, name, &r);

    if (status != 0)
        return status;
    /* The VALUE at the top of the reply; no VALUE means no dependencies. */
    if (wire_get_strdup(r.data, r.len, RPC_F_VALUE, ret) < 0)
        *ret = strdup("");
    rpc_reply_done(&r);
    return *ret == NULL ? lib_fail(ERROR_NOT_ENOUGH_MEMORY) : 0;
}

CLUSAPI_API DWORD CLUSAPI_CALL GetClusterResourceDependencyExpression(
    HRESOURCE hResource, LPWSTR lpszDependencyExpression, LPDWORD lpcchDependencyExpression)
{
    struct cluster_handle *c = NULL;
    struct object_handle *r = enter(hResource, &c);
    char *expr = NULL;
    DWORD status;

    if (r == NULL)
        return ERROR_INVALID_HANDLE;
    if (lpcchDependencyExpression == NULL)
        return lib_fail(ERROR_INVALID_PARAMETER);
    status = read_expression(c, r->name, &expr);
    if (status == 0 && (status = lib_copy_out(expr, lpszDependencyExpression,
                                              lpcchDependencyExpression)) != 0)
        lib_fail(status);
    free(expr);
    return status;
}

/* ------------------------------------------------------------------------------------------ */
/* Possible owners                                                                             */
/* ------------------------------------------------------------------------------------------ */

/* AddClusterResourceNode and RemoveClusterResourceNode: the node's id, looked up by name. */
static DWORD owner_change(HRESOURCE hResource, HNODE hNode, uint32_t op)
{
    struct cluster_handle *c = NULL;
    struct object_handle *r = enter(hResource, &c), *n;
    struct cluster_node *nodes;
    const struct cluster_node *node;
    struct wire_writer req;
    size_t count;
    DWORD status;

    if (r == NULL)
        return ERROR_INVALID_HANDLE;
    if ((n = (struct object_handle *)handle_get(hNode, HANDLE_NODE)) == NULL)
        return lib_fail(ERROR_INVALID_HANDLE);
    if ((status = cluster_nodes(c, &nodes, &count)) != 0)
        return status;
    node = cluster_node_find(nodes, count, n->name);
    if (node == NULL) {
        status = lib_fail(ERROR_CLUSTER_NODE_NOT_FOUND);
    } else {
        rpc_request(&req, op);
        wire_put_str(&req, RPC_F_NAME, r->name);
        wire_put_u64(&req, RPC_F_NODE_ID, node->id);
        status = cluster_change(c, &req);
    }
    free(nodes);
    return status;
}

CLUSAPI_API DWORD CLUSAPI_CALL AddClusterResourceNode(HRESOURCE hResource, HNODE hNode)
{
    return owner_change(hResource, hNode, RPC_OP_RESOURCE_ADD_OWNER);
}

CLUSAPI_API DWORD CLUSAPI_CALL RemoveClusterResourceNode(HRESOURCE hResource, HNODE hNode)
{
    return owner_change(hResource, hNode, RPC_OP_RESOURCE_REMOVE_OWNER);
}

/* ------------------------------------------------------------------------------------------ */
/* Network name                                                                                */
/* ------------------------------------------------------------------------------------------ */

/* The type of a resource, malloc'd in *ret (NULL if the cluster lists none). Win32 status. */
static DWORD resource_type(struct cluster_handle *c, const char *name, char **ret)
{
    struct rpc_reply r;
    struct wire_reader rd;
    struct wire_field f;
    DWORD status = cluster_query(c, RPC_QUERY_RESOURCES, name, &r);

    *ret = NULL;
    if (status != 0)
        return status;
    wire_reader_init(&rd, r.data, r.len);
    while (*ret == NULL && wire_next(&rd, &f) > 0)
        if (f.tag == RPC_F_ITEM)
            wire_get_strdup(f.value, f.len, RPC_F_TYPE, ret);
    rpc_reply_done(&r);
    return 0;
}

/* The Name private property of a Network Name resource, malloc'd in *ret. Win32 status. */
static DWORD netname_of(struct cluster_handle *c, const char *resource, char **ret)
{
    struct wire_writer w;
    struct rpc_reply r;
    struct wire_reader rd;
    struct wire_field f;
    DWORD status;

    *ret = NULL;
    rpc_request(&w, RPC_OP_QUERY);
    wire_put_u32(&w, RPC_F_QUERY, RPC_QUERY_RESOURCE_PROPS);
    wire_put_str(&w, RPC_F_NAME, resource);
    wire_put_u32(&w, RPC_F_COMMON, 0);
    status = cluster_call(c, &w, LIB_RPC_TIMEOUT_MS, &r);
    if (status != 0)
        lib_fail_text(status, "%s", r.errmsg);
    wire_reader_init(&rd, r.data, r.len);
    while (status == 0 && *ret == NULL && wire_next(&rd, &f) > 0) {
        char *name = NULL;

        if (f.tag == RPC_F_ITEM && wire_get_strdup(f.value, f.len, RPC_F_NAME, &name) == 0 &&
            strcasecmp(name, "Name") == 0)
            wire_get_strdup(f.value, f.len, RPC_F_VALUE, ret);
        free(name);
    }
    rpc_reply_done(&r);
    return status;
}

/* Adds the resources name depends on to seen. Win32 status. */
static DWORD add_providers(struct cluster_handle *c, const char *name, struct enum_handle *seen)
{
    struct rpc_reply r;
    struct wire_reader rd;
    struct wire_field f;
    DWORD status = cluster_query(c, RPC_QUERY_DEPENDENCIES, name, &r);

    if (status != 0)
        return status;
    wire_reader_init(&rd, r.data, r.len);
    while (status == 0 && wire_next(&rd, &f) > 0) {
        char *provider = NULL;

        if (f.tag == RPC_F_ITEM && wire_get_strdup(f.value, f.len, RPC_F_PROVIDER, &provider) == 0)
            status = enum_add(seen, 0, provider);
        free(provider);
    }
    rpc_reply_done(&r);
    return status;
}

/*
 * Searches what the resource depends on, directly or not, breadth first, for a Network Name
 * resource: its Name in *ret (malloc'd), NULL when there is none. The list of resources seen
 * keeps each one once, so the walk ends and a diamond costs one visit per resource. Win32
 * status.
 */
static DWORD find_netname(struct cluster_handle *c, const char *start, char **ret)
{
    struct enum_handle *seen = enum_new(c, HANDLE_RES_ENUM);
    DWORD status;

    *ret = NULL;
    if (seen == NULL)
        return lib_fail(ERROR_NOT_ENOUGH_MEMORY);
    status = add_providers(c, start, seen);
    for (size_t i = 0; status == 0 && *ret == NULL && i < seen->n; i++) {
        const char *name = seen->items[i].name;
        char *type = NULL;

        status = resource_type(c, name, &type);
        if (status == 0 && type != NULL && strcasecmp(type, NETNAME_TYPE) == 0)
            status = netname_of(c, name, ret);
        else if (status == 0)
            status = add_providers(c, name, seen);
        free(type);
    }
    handle_free(&seen->h);
    return status;
}

CLUSAPI_API BOOL CLUSAPI_CALL GetClusterResourceNetworkName(HRESOURCE hResource, LPWSTR lpBuffer,
                                                            LPDWORD nSize)
{
    struct cluster_handle *c = NULL;
    struct object_handle *r = enter(hResource, &c);
    char *name = NULL;
    DWORD status;

    if (r == NULL)
        return FALSE;
    if (nSize == NULL) {
        lib_fail(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    status = find_netname(c, r->name, &name);
    if (status == 0 && name == NULL)
        lib_fail_text(status = ERROR_DEPENDENCY_NOT_FOUND,
                      "%s depends on no Network Name resource", r->name);
    if (status == 0 && (status = lib_copy_out(name, lpBuffer, nSize)) != 0)
        lib_fail(status);
    free(name);
    return status == 0;
}
