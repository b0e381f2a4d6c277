/*
 * svc_claim — the setup that has claimed this node (RPC_OP_SETUP_BEGIN), renewed by its
 * keep-alives and dropped when it stops renewing (svc.c's tick) or the setup commits. Owned by
 * the loop; the operations that take and check it are in svc_setup_ops.c and svc_ops.c.
 */
#ifndef CLUSSVC_SVC_CLAIM_H
#define CLUSSVC_SVC_CLAIM_H

#include <stdint.h>

struct svc_claim {
    uint64_t session;  /* 0: unclaimed */
    uint64_t deadline; /* monotonic ms: the claim lapses then unless renewed */
};

#endif
