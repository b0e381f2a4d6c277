/*
 * svc_shutdown — stopping the service as Windows stops its cluster service: the node hands its
 * groups over to other nodes first (at most DRAIN_MS), then says it leaves (SET_NODE_LEFT) and
 * waits until dynamic quorum has taken its vote (at most LEAVE_MS), so that the nodes that stay
 * keep a majority; then it terminates what still runs here and stops consensus. SIGTERM and
 * SIGINT start it; a second signal skips the handover and the leave.
 */
#ifndef CLUSSVC_SVC_SHUTDOWN_H
#define CLUSSVC_SVC_SHUTDOWN_H

#include <stdbool.h>
#include <stdint.h>

#include <uv.h>

struct svc_shutdown {
    bool stopping;          /* past the handover: nothing is served any more */
    bool draining;          /* handing the groups over */
    uint64_t drain_deadline;
    bool leaving;           /* waiting for this node's vote to be taken */
    bool left_committed;    /* SET_NODE_LEFT of this node is committed */
    uint64_t leave_deadline;
    uv_signal_t sigterm, sigint;
};

struct svc;

/* Watches for SIGTERM and SIGINT. */
void svc_shutdown_init(struct svc *s);
/* Stops the service: its groups are handed over to other nodes first (at most a few seconds),
 * then what still runs here is terminated. A second call skips the handover. */
void svc_shutdown(struct svc *s);
/* While draining: leaves once everything was handed over, or when the time is up; while
 * leaving: stops once this node no longer votes, or when the time is up. */
void svc_shutdown_check(struct svc *s);

#endif
