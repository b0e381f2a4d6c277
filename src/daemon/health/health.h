/*
 * health — what the node does with its heartbeats (hb.c, hb_track.c):
 *  - every node keeps resources online only while it holds its quorum lease, confirms each new
 *    lease before anything starts, and takes its resources offline by itself the moment the
 *    lease runs out (self-fencing);
 *  - the leader records nodes Up and Down as heartbeats show them, and moves the groups of a
 *    node once that node is surely fenced (docs/failover.md).
 *
 * It reaches the service through its host (base/host.h) and the group manager's functions; it
 * owns the heartbeats and everything it records about leases and failovers.
 */
#ifndef CLUSSVC_HEALTH_H
#define CLUSSVC_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

#include "daemon/base/host.h"
#include "daemon/base/node_conf.h"
#include "daemon/health/hb.h"
#include "daemon/health/health_policy.h"
#include "daemon/keys/cred_ring.h"
#include "daemon/rgm/rgm.h"

/* Heartbeat defaults: 250 ms (Windows' minimum) × 3 missed = Down after 750 ms, about a second
 * of detection; the quorum lease is two intervals (500 ms), so a node that lost its majority
 * has dropped its resources before the others may take them over (docs/failover.md). */
#define HEALTH_DEFAULT_HB_DELAY_MS 250
#define HEALTH_DEFAULT_HB_THRESHOLD 3

struct health {
    struct host *host;
    struct rgm *rgm;               /* moves groups, takes local resources down */
    const struct node_conf *conf;  /* this node's configuration (the service's) */
    const struct cred_ring *keys;  /* the credentials heartbeats are signed with */
    struct hb *hb;                 /* heartbeats, while a cluster runs */
    bool props_known;              /* the cluster properties are current (see health_sync) */
    bool busy;                     /* the leader has a node-state or takeover change in flight */
    bool reported_up;              /* this node has declared itself Up once since it started */
    struct health_lease lease;
    uint64_t deferred_lapse;       /* the lapse whose confirmation was said to wait */
    struct health_failovers failovers; /* failovers of failing groups, per FailoverPeriod */
};

void health_init(struct health *h, struct host *host, struct rgm *rgm,
                 const struct node_conf *conf, const struct cred_ring *keys);
/* Starts heartbeats from this node's address; 0 or negative errno. props_known as for
 * health_sync. */
int health_start(struct health *h, bool props_known);
void health_stop(struct health *h);
/* Forgets what this node declared of itself (the node left its cluster). */
void health_forget(struct health *h);
/* Brings the heartbeat members and settings in line with the database, and declares this node
 * Up once it follows a leader. props_known: the node has caught up with its cluster once, so
 * the cluster properties it holds (QuorumLease) are current. Runs after every apply. */
void health_sync(struct health *h, bool props_known);
/* May it bring resources online: it holds the lease, and after a lapse it has confirmed the new
 * one (so no move of its groups can be pending). arg is the struct health; rgm's gate. */
bool health_may_start_resources(void *arg);

#endif
