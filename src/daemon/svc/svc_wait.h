/*
 * svc_wait — the pending RPC_OP_WAITs (svc_wait.c): each holds its call until its condition
 * holds, its time runs out, or the node leaves the cluster. Owned by the loop.
 */
#ifndef CLUSSVC_SVC_WAIT_H
#define CLUSSVC_SVC_WAIT_H

#include <stdint.h>

struct rpc_call;

struct svc;
struct svc_wait; /* one pending wait */

struct svc_waits {
    struct svc_wait *head;
};

/* Holds a request for the leader until one is known (an election is under way), then dispatches
 * it again; fails it with ERROR_CLUSTER_NO_QUORUM after timeout_ms. */
void svc_wait_for_leader(struct svc *s, struct rpc_call *call, uint32_t timeout_ms);
/* Re-checks pending waits; finishes those whose condition holds or whose time ran out. */
void svc_waits_check(struct svc *s);
/* Finishes every pending wait with status and why (the node is leaving or stopping). */
void svc_waits_cancel(struct svc *s, uint32_t status, const char *why);

#endif
