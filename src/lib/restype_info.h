/*
 * restype_info — ClusapiGetResourceTypeInfo's packing of a RESTYPE_INFO reply into the caller's
 * block, apart from the call so it can be tested without a node.
 */
#ifndef CLUSAPI_LIB_RESTYPE_INFO_H
#define CLUSAPI_LIB_RESTYPE_INFO_H

#include <stddef.h>

#include <clusapi.h>
#include <clusapi_ext.h>

/*
 * Packs the fields of an RPC_OP_RESTYPE_INFO reply (reply, len bytes: ITEM* and ACTION_TIMEOUT*)
 * as a CLUSAPI_RESTYPE_INFO block into buf (cap bytes; NULL with 0 probes). Returns
 * ERROR_SUCCESS with the bytes used in *ret_size, ERROR_MORE_DATA with the bytes needed,
 * ERROR_INVALID_DATA for a reply that lacks a parameter's name or holds invalid UTF-8, or
 * ERROR_NOT_ENOUGH_MEMORY. Sets no last error.
 */
DWORD restype_info_pack(const void *reply, size_t len, void *buf, DWORD cap, DWORD *ret_size);

#endif
