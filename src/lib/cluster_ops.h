/*
 * cluster_ops — typed requests on a cluster handle: the members, the groups, group online and
 * offline with waiting, and cleaning one node. Each returns a Win32 status and sets the last
 * error text on failure.
 */
#ifndef CLUSAPI_CLUSTER_OPS_H
#define CLUSAPI_CLUSTER_OPS_H

#include "lib/lib.h"

#define CLUSTER_GROUP_TIMEOUT_MS 30000
#define CLUSTER_MAX_NODES 64

struct cluster_node {
    uint64_t id;
    char name[64];
    char address[64];
    uint16_t port;
    int32_t state; /* CLUSTER_NODE_STATE */
    uint32_t role; /* raft role */
    bool witness;  /* votes and hosts nothing (clussvc --witness) */
};

struct cluster_group {
    char name[256];
    char owner_name[64];
    uint64_t owner;
    int32_t state; /* CLUSTER_GROUP_STATE */
    bool core;
};

/* Runs query (RPC_QUERY_*) on the node the handle talks to, for the object named only when name is
 * not NULL: 0 with the reply in *ret (rpc_reply_done() it), or a Win32 status. */
uint32_t cluster_query(struct cluster_handle *c, uint32_t query, const char *name,
                       struct rpc_reply *ret);
/* The VALUE of the ITEM row named key (any case) of a property query's reply, malloc'd in *ret
 * (NULL when no row has it): 0, or ERROR_INVALID_DATA for a malformed row. */
uint32_t cluster_reply_value(const struct rpc_reply *r, const char *key, char **ret);
/* The members and the groups (malloc'd arrays; free()). */
uint32_t cluster_nodes(struct cluster_handle *c, struct cluster_node **ret, size_t *ret_n);
uint32_t cluster_groups(struct cluster_handle *c, struct cluster_group **ret, size_t *ret_n);
const struct cluster_node *cluster_node_find(const struct cluster_node *v, size_t n,
                                             const char *name);
/* The cluster's id, from the node the handle talks to. */
uint32_t cluster_identity(struct cluster_handle *c, char cluster_id[40]);
/* The same, with the name of the node the handle talks to. */
uint32_t cluster_whoami(struct cluster_handle *c, char cluster_id[40], char node_name[64]);
/* Sends one typed change (req, begun with rpc_request() and consumed) through the node, which
 * relays it to the leader; returns once the node has applied it, so reads there see it. */
uint32_t cluster_change(struct cluster_handle *c, struct wire_writer *req);
/* One request naming an object (and a node, and force); ERROR_IO_PENDING passes through. */
uint32_t cluster_request(struct cluster_handle *c, uint32_t op, const char *name,
                         uint64_t node_id, bool force, struct rpc_reply *ret);
uint32_t cluster_wait(struct cluster_handle *c, uint32_t kind, const char *name, int32_t state,
                      uint32_t timeout_ms);
/* The same, for a group that must also be owned by owner (0: any). */
uint32_t cluster_wait_owner(struct cluster_handle *c, uint32_t kind, const char *name,
                            int32_t state, uint64_t owner, uint32_t timeout_ms);
/* The same, not before the node applied database version min_version: a state it holds from
 * before the change a caller just made is no answer. */
uint32_t cluster_wait_after(struct cluster_handle *c, uint32_t kind, const char *name,
                            int32_t state, uint64_t min_version, uint32_t timeout_ms);
/* How long the object calls wait for a change to settle before answering ERROR_IO_PENDING. */
#define CLUSTER_SETTLE_MS 2000
/* A wait that ran out means the operation goes on in the background: ERROR_IO_PENDING (the last
 * error cleared); any other status as it is. */
uint32_t cluster_pending_on_timeout(uint32_t status);
/* Takes a group offline / brings it online (node_id 0: the best node) and waits for it. */
uint32_t cluster_group_offline(struct cluster_handle *c, const char *group, bool force,
                               uint32_t timeout_ms);
uint32_t cluster_group_online(struct cluster_handle *c, const char *group, uint64_t node_id,
                              uint32_t timeout_ms);
/* Hands a group over to node_id (0: the best other node) and waits for it to settle there (or,
 * for an offline group, for its new owner to be recorded). */
uint32_t cluster_group_move(struct cluster_handle *c, const char *group, uint64_t node_id,
                            uint32_t timeout_ms);
/* The most members the cluster takes (its nodes' --max-nodes; 64 unless lowered). */
size_t cluster_max_nodes(struct cluster_handle *c);
/* Returns one node of this cluster to NotConfigured (a node of another cluster is refused). */
uint32_t cluster_clean_node(const char *address, uint16_t port, const char *cluster_id,
                            char *errmsg);

#endif
