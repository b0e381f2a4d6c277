/*
 * api_restype — resource types: CreateClusterResourceType, DeleteClusterResourceType, and the
 * list ClusterOpenEnum(CLUSTER_ENUM_RESTYPE) and ClusterResourceTypeOpenEnum draw on.
 */
#include <stdlib.h>
#include <string.h>

#include "common/rpc_proto.h"
#include "lib/cluster_ops.h"
#include "lib/lib.h"

/* The most bytes of UTF-8 a type name may have, as a group name (the handles hold 255). */
#define RESTYPE_NAME_MAX 255

DWORD restype_collect(struct cluster_handle *c, struct enum_handle *e, DWORD type)
{
    struct wire_writer w;
    struct rpc_reply r;
    struct wire_reader rd;
    struct wire_field f;
    DWORD status;

    rpc_request(&w, RPC_OP_RESTYPE_LIST);
    status = cluster_call(c, &w, LIB_RPC_TIMEOUT_MS, &r);
    if (status != 0) {
        lib_fail_text(status, "%s", r.errmsg);
        rpc_reply_done(&r);
        return status;
    }
    wire_reader_init(&rd, r.data, r.len);
    while (status == 0 && wire_next(&rd, &f) > 0) {
        char *name = NULL;

        if (f.tag != RPC_F_ITEM || wire_get_strdup(f.value, f.len, RPC_F_NAME, &name) < 0)
            continue;
        status = enum_add(e, type, name);
        free(name);
    }
    rpc_reply_done(&r);
    return status;
}

/* The cluster behind hCluster at the start of a call, or NULL with the last error set. */
static struct cluster_handle *enter_cluster(HCLUSTER hCluster)
{
    struct cluster_handle *c = (struct cluster_handle *)handle_get(hCluster, HANDLE_CLUSTER);

    lib_clear_error();
    if (c == NULL)
        lib_fail(ERROR_INVALID_HANDLE);
    return c;
}

/* A caller's type name to UTF-8, non-empty and short enough for a handle; NULL + last error. */
static char *type_name_in(LPCWSTR name)
{
    char *s;

    if (name == NULL || name[0] == 0) {
        lib_fail(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    if ((s = lib_name_in(name)) != NULL && strlen(s) > RESTYPE_NAME_MAX) {
        free(s);
        lib_fail_text(ERROR_INVALID_PARAMETER, "a type name has at most %d bytes of UTF-8",
                      RESTYPE_NAME_MAX);
        return NULL;
    }
    return s;
}

CLUSAPI_API DWORD CLUSAPI_CALL CreateClusterResourceType(HCLUSTER hCluster,
                                                         LPCWSTR lpszResourceTypeName,
                                                         LPCWSTR lpszDisplayName,
                                                         LPCWSTR lpszResourceTypeDll,
                                                         DWORD dwLooksAlivePollInterval,
                                                         DWORD dwIsAlivePollInterval)
{
    struct cluster_handle *c = enter_cluster(hCluster);
    struct wire_writer req;
    char *name = NULL, *display = NULL, *driver = NULL;
    DWORD status;

    if (c == NULL)
        return ERROR_INVALID_HANDLE;
    if (lpszDisplayName == NULL || lpszResourceTypeDll == NULL || lpszResourceTypeDll[0] == 0)
        return lib_fail(ERROR_INVALID_PARAMETER);
    if ((name = type_name_in(lpszResourceTypeName)) == NULL ||
        (display = lib_name_in(lpszDisplayName)) == NULL ||
        (driver = lib_name_in(lpszResourceTypeDll)) == NULL) {
        status = GetLastError();
    } else {
        rpc_request(&req, RPC_OP_RESTYPE_CREATE);
        wire_put_str(&req, RPC_F_NAME, name);
        wire_put_str(&req, RPC_F_VALUE, display);
        wire_put_str(&req, RPC_F_DRIVER, driver);
        wire_put_u32(&req, RPC_F_LOOKS_ALIVE, dwLooksAlivePollInterval);
        wire_put_u32(&req, RPC_F_IS_ALIVE, dwIsAlivePollInterval);
        status = cluster_change(c, &req);
    }
    free(name);
    free(display);
    free(driver);
    return status;
}

CLUSAPI_API DWORD CLUSAPI_CALL DeleteClusterResourceType(HCLUSTER hCluster,
                                                         LPCWSTR lpszResourceTypeName)
{
    struct cluster_handle *c = enter_cluster(hCluster);
    char *name;
    DWORD status;

    if (c == NULL)
        return ERROR_INVALID_HANDLE;
    if ((name = type_name_in(lpszResourceTypeName)) == NULL)
        return GetLastError();
    status = cluster_request(c, RPC_OP_RESTYPE_DELETE, name, 0, false, NULL);
    free(name);
    return status;
}
