/*
 * cluster_props — the cluster common properties a client may change, with Windows' names and
 * bounds. Pure.
 */
#ifndef CLUSAPI_CLUSTER_PROPS_H
#define CLUSAPI_CLUSTER_PROPS_H

#include <stddef.h>
#include <stdint.h>

/* The settable properties, for listing: names in Windows' spelling. */
extern const char *const cluster_props_settable[];
extern const size_t cluster_props_n_settable;

/*
 * Checks that name (any case) is a settable property and value a decimal within its bounds.
 * Returns 0 with *canonical set to the property's own spelling, or ERROR_INVALID_PARAMETER (87)
 * with the reason in why (n bytes).
 */
uint32_t cluster_prop_check(const char *name, const char *value, const char **canonical,
                            char *why, size_t n);

#endif
