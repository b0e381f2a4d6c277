/*
 * svc_cleanup — the callers waiting for this node to be wiped back to NotConfigured
 * (RPC_OP_CLEANUP, svc_cleanup.c); all are answered when the wipe ends. Owned by the loop.
 */
#ifndef CLUSSVC_SVC_CLEANUP_H
#define CLUSSVC_SVC_CLEANUP_H

struct rpc_call;

#define SVC_CLEANUP_MAX_WAITERS 16

struct svc_cleanup {
    struct rpc_call *waiters[SVC_CLEANUP_MAX_WAITERS];
    unsigned n_waiters;
};

#endif
