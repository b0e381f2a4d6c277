/*
 * svc_orphan — a node whose cluster evicted it, or no longer exists, wipes itself: after a while
 * without a leader it asks its peers whether it still belongs (svc_orphan.c).
 */
#ifndef CLUSSVC_SVC_ORPHAN_H
#define CLUSSVC_SVC_ORPHAN_H

#include <stdbool.h>
#include <stdint.h>

struct svc_orphan {
    bool checking;             /* peers are being asked whether this node still belongs */
    uint64_t leaderless_since; /* monotonic ms; 0 while a leader is known */
    uint64_t next_check;
};

struct svc;
struct rpc_call;

/* Wipes a node whose cluster evicted it or no longer exists; called each tick. */
void svc_orphan_tick(struct svc *s);
/* Clear-ClusterNode: wipes the node if its cluster let it go (or at once with force);
 * finishes call with 0, or ERROR_CLUSTER_NODE_ALREADY_MEMBER if the node still belongs to a
 * running cluster. */
void svc_orphan_clear(struct svc *s, struct rpc_call *call, bool force);

#endif
