/*
 * cluster_props — the cluster common properties a client may change, with Windows' names,
 * bounds and defaults, and the read-only ones the cluster computes. Pure.
 *
 * Setup commits the heartbeat properties when it creates a cluster. The quorum properties
 * (DynamicQuorum, LowerQuorumPriorityNodeId) are stored only once an administrator sets them:
 * until then the property query shows their defaults (cluster_prop_default()), so a cluster
 * created before they existed has them too, and whoever acts on them reads them with
 * cluster_prop_u32().
 */
#ifndef CLUSAPI_CLUSTER_PROPS_H
#define CLUSAPI_CLUSTER_PROPS_H

#include <stdbool.h>
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

/* The quorum properties, in Windows' spelling (names compare without case). */
#define CLUSTER_PROP_DYNAMIC_QUORUM "DynamicQuorum"                 /* 0 or 1, default 1 */
#define CLUSTER_PROP_LOWER_QUORUM_PRIORITY "LowerQuorumPriorityNodeId" /* a node id; 0: none */
/* Node quarantine, Windows' names and defaults: a node that left the cluster ungracefully
 * QuarantineThreshold times within an hour hosts no group for QuarantineDuration seconds
 * (common/quarantine.h). */
#define CLUSTER_PROP_QUARANTINE_THRESHOLD "QuarantineThreshold" /* default 3; 0: never */
#define CLUSTER_PROP_QUARANTINE_DURATION "QuarantineDuration"   /* s, default 7200;
                                                                  0xFFFFFFFF: until resumed */
/* Read-only: 1 while the witness votes, else 0 (also when there is no witness). */
#define CLUSTER_PROP_WITNESS_DYNAMIC_WEIGHT "WitnessDynamicWeight"

/* The settable properties, for listing: names in Windows' spelling. */
extern const char *const cluster_props_settable[];
extern const size_t cluster_props_n_settable;

/*
 * Checks that name (any case) is a settable property and value a decimal within its bounds.
 * Returns 0 with *canonical set to the property's own spelling, or ERROR_INVALID_PARAMETER (87)
 * with the reason in why (n bytes): an unknown name, a read-only one (WitnessDynamicWeight), a
 * value that is not a decimal or out of bounds. Whether a node id names a member is for the
 * caller to check (cluster_prop_names_node()).
 */
uint32_t cluster_prop_check(const char *name, const char *value, const char **canonical,
                            char *why, size_t n);

/* The default in text form of a settable property the cluster may not store (DynamicQuorum "1",
 * LowerQuorumPriorityNodeId "0"); NULL for the others and for unknown names. */
const char *cluster_prop_default(const char *name);

/* Whether the value of property name is a node id (0: none), which must name a member. */
bool cluster_prop_names_node(const char *name);

/* A DWORD property's value: stored (its text in the database, NULL when never set) if it is a
 * valid value of name, else name's default (0 when it has none). */
uint32_t cluster_prop_u32(const char *name, const char *stored);

#endif
