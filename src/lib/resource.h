/*
 * resource — what the resource calls share with clusapi's own additions (api_resource.c).
 */
#ifndef CLUSAPI_LIB_RESOURCE_H
#define CLUSAPI_LIB_RESOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/prop.h"
#include "lib/lib.h"

/* Appends p as an RPC_F_PROP (NAME, SYNTAX, VALUE*: a MULTI_SZ's strings one VALUE each). */
void resource_put_prop(struct wire_writer *w, const struct prop *p);
/*
 * CreateClusterResource with private properties, all stored in the one commit that creates the
 * resource; with required, the leader refuses (and creates nothing) unless every required
 * property of the type is among them. The handle, or NULL + the last error.
 */
HRESOURCE resource_create(HGROUP hGroup, LPCWSTR lpszResourceName, LPCWSTR lpszResourceType,
                          DWORD dwFlags, const struct prop *props, size_t n_props,
                          bool required);

#endif
