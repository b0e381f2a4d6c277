/*
 * cluster_props — the cluster common properties a client may change, with Windows' names and
 * bounds. Pure.
 */
#ifndef CLUSAPI_CLUSTER_PROPS_H
#define CLUSAPI_CLUSTER_PROPS_H

#include <stddef.h>
#include <stdint.h>

/* Windows' bounds of the heartbeat properties. */
#define CLUSTER_DELAY_MIN 250
#define CLUSTER_DELAY_MAX 2000
#define CLUSTER_THRESHOLD_MIN 3
#define CLUSTER_THRESHOLD_MAX 120
/* QuorumLease, clusapi's own: 0 (twice SameSubnetDelay) or a lease in ms within these. */
#define CLUSTER_LEASE_MIN 150
#define CLUSTER_LEASE_MAX 4000

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
