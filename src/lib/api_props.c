/*
 * api_props — ClusapiSetClusterProperty and ClusapiGetClusterProperty: the cluster's common
 * properties (on Windows, ClusterControl with CLUSCTL_CLUSTER_{GET,SET}_COMMON_PROPERTIES and a
 * property list; here one property by name).
 */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include <clusapi_ext.h>

#include "common/cluster_props.h"
#include "common/rpc_proto.h"
#include "lib/cluster_ops.h"
#include "lib/lib.h"

/* The cluster behind hCluster, or NULL with the last error set. */
static struct cluster_handle *cluster_of(HCLUSTER hCluster)
{
    struct cluster_handle *c = (struct cluster_handle *)handle_get(hCluster, HANDLE_CLUSTER);

    lib_clear_error();
    if (c == NULL)
        lib_fail(ERROR_INVALID_HANDLE);
    return c;
}

CLUSAPI_API DWORD ClusapiSetClusterProperty(HCLUSTER hCluster, LPCWSTR lpszName,
                                            LPCWSTR lpszValue)
{
    struct cluster_handle *c = cluster_of(hCluster);
    struct wire_writer req;
    const char *canonical;
    char *name = NULL, *value = NULL, why[256];
    DWORD status;

    if (c == NULL)
        return ERROR_INVALID_HANDLE;
    if (lpszName == NULL || lpszValue == NULL)
        return lib_fail(ERROR_INVALID_PARAMETER);
    if ((name = lib_name_in(lpszName)) == NULL || (value = lib_name_in(lpszValue)) == NULL) {
        free(name);
        return GetLastError();
    }
    /* Checked here too, so that a mistake costs no request (the leader checks again). */
    status = cluster_prop_check(name, value, &canonical, why, sizeof(why));
    if (status != 0) {
        lib_fail_text(status, "%s", why);
    } else {
        rpc_request(&req, RPC_OP_SET_PROPERTY);
        wire_put_str(&req, RPC_F_NAME, canonical);
        wire_put_str(&req, RPC_F_VALUE, value);
        status = cluster_change(c, &req);
    }
    free(name);
    free(value);
    return status;
}

CLUSAPI_API DWORD ClusapiGetClusterProperty(HCLUSTER hCluster, LPCWSTR lpszName,
                                            LPWSTR lpszValue, LPDWORD lpcchValue)
{
    struct cluster_handle *c = cluster_of(hCluster);
    struct rpc_reply r;
    char *name, *value = NULL;
    DWORD status;

    if (c == NULL)
        return ERROR_INVALID_HANDLE;
    if (lpszName == NULL || lpcchValue == NULL)
        return lib_fail(ERROR_INVALID_PARAMETER);
    if ((name = lib_name_in(lpszName)) == NULL)
        return GetLastError();
    status = cluster_query(c, RPC_QUERY_PROPS, name, &r); /* the last error set on failure */
    if (status == 0) {
        if ((status = cluster_reply_value(&r, name, &value)) != 0)
            lib_fail(status);
        rpc_reply_done(&r);
    }
    if (status == 0 && value == NULL) {
        status = ERROR_NOT_FOUND;
        lib_fail_text(status, "the cluster has no property '%s'", name);
    }
    if (status == 0 && (status = lib_copy_out(value, lpszValue, lpcchValue)) != 0)
        lib_fail(status);
    free(name);
    free(value);
    return status;
}
