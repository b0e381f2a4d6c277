/*
 * api_resource_ext — ClusapiCreateClusterResourceEx: a resource and its private properties in
 * one commit (clusapi_ext.h).
 */
#include <stdlib.h>

#include <clusapi_ext.h>

#include "common/proplist.h"
#include "lib/lib.h"
#include "lib/resource.h"

CLUSAPI_API HRESOURCE ClusapiCreateClusterResourceEx(HGROUP hGroup, LPCWSTR lpszResourceName,
                                                     LPCWSTR lpszResourceType, DWORD dwFlags,
                                                     PVOID pPrivatePropList,
                                                     DWORD cbPrivatePropList,
                                                     BOOL fRequireComplete)
{
    struct prop *props = NULL;
    size_t n = 0;
    HRESOURCE h;
    uint32_t status;

    if (object_enter(hGroup, HANDLE_GROUP) == NULL)
        return NULL;
    if (pPrivatePropList == NULL && cbPrivatePropList != 0) {
        lib_fail(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    /* Decoded here, so that a malformed list costs no request and reports the codec's code. */
    if (pPrivatePropList != NULL) {
        status = proplist_decode(pPrivatePropList, cbPrivatePropList, &props, &n);
        if (status != 0) {
            lib_fail_text(status, "the private property list is malformed");
            return NULL;
        }
    }
    h = resource_create(hGroup, lpszResourceName, lpszResourceType, dwFlags, props, n,
                        fRequireComplete != FALSE);
    free(props);
    return h;
}
