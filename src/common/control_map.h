/*
 * control_map — the pure half of the control calls (lib/api_control.c): turning the rows of a
 * property query reply (or, for a node, its row of the node query) into struct prop arrays for
 * the property-list codec, and what a resource type answers to GET_CLASS_INFO and
 * GET_REQUIRED_DEPENDENCIES. No I/O.
 */
#ifndef CLUSAPI_CONTROL_MAP_H
#define CLUSAPI_CONTROL_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/prop.h"
#include "common/proplist.h"

/* Properties whose names and values the set owns (each a malloc'd string). */
struct prop_set {
    struct prop *v;
    size_t n;
};

void prop_set_done(struct prop_set *s);

/* Which rows a GET_ code wants: GET_*_PROPERTIES the writable ones, GET_RO_* the others. */
enum prop_pick {
    PICK_ALL,
    PICK_WRITABLE,
    PICK_READ_ONLY,
};

/* Says whether a property name is read-only (for the common ones: common_props.h's flag). */
typedef bool (*control_read_only_fn)(const char *name, void *arg);

/*
 * The ITEM rows (NAME, SYNTAX, VALUE*: several VALUEs are the strings of a MULTI_SZ) of the
 * reply data (len bytes) of RPC_QUERY_RESOURCE_PROPS, _GROUP_PROPS or _RESTYPE_PROPS, as
 * properties. read_only(name, arg) decides PICK_WRITABLE / PICK_READ_ONLY; with PICK_ALL it is
 * not called (may be NULL). Returns 0, ERROR_INVALID_DATA for a malformed row, or
 * ERROR_NOT_ENOUGH_MEMORY; *ret is empty on failure.
 */
uint32_t control_props_from_reply(const void *data, size_t len, enum prop_pick pick,
                                  control_read_only_fn read_only, void *arg,
                                  struct prop_set *ret);

/*
 * The ITEM rows (NAME, VALUE) of RPC_QUERY_PROPS, the cluster's common properties: each a DWORD
 * when its value is a decimal number, else a string; writable are common/cluster_props.h's
 * settable ones. Same returns as control_props_from_reply.
 */
uint32_t control_cluster_props_from_reply(const void *data, size_t len, enum prop_pick pick,
                                          struct prop_set *ret);

/* RPC_F_ROLE of a node that votes now (raft's RAFT_VOTER). */
#define CONTROL_ROLE_VOTER 1u

/*
 * The common properties (common/common_props.h, CPROP_NODE) of the node named node (any case)
 * from the ITEM rows of RPC_QUERY_NODES (NAME, ROLE, WEIGHT, WITNESS), in the table's order:
 * NodeName, NodeWeight, DynamicWeight (1 while ROLE is a voter's) and IsWitness; pick as for
 * control_props_from_reply. A row without WEIGHT or WITNESS (a node of an older version
 * answered) has the defaults: weight 1, no witness. Returns 0, ERROR_CLUSTER_NODE_NOT_FOUND
 * when no row names the node, ERROR_INVALID_DATA for a malformed row (one without a name or
 * role), or ERROR_NOT_ENOUGH_MEMORY; *ret is empty on failure.
 */
uint32_t control_node_props_from_reply(const void *data, size_t len, const char *node,
                                       enum prop_pick pick, struct prop_set *ret);

/* CLUSTER_RESOURCE_CLASS and subclass of a resource type: network (IP) for the address and
 * name types, unknown for the others. */
void control_class_info(const char *type, uint32_t *ret_class, uint32_t *ret_subclass);

/* The dependencies a resource of that type must have (at most 2 entries written to out):
 * Network Name requires an IP address resource; returns how many. */
size_t control_required_deps(const char *type, struct proplist_dep out[2]);

#endif
