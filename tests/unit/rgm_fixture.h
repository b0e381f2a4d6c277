/*
 * rgm_fixture — what the group manager's policy tests share: short names for the states their
 * tables hold, and cluster members built from a string of node states.
 */
#ifndef CLUSSVC_TEST_RGM_FIXTURE_H
#define CLUSSVC_TEST_RGM_FIXTURE_H

#include <stdint.h>

#include <clusapi.h>

#include "daemon/rgm/rgm_policy.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Short names for the tables. */
#define GON ClusterGroupOnline
#define GOFF ClusterGroupOffline
#define GFAIL ClusterGroupFailed
#define GPART ClusterGroupPartialOnline
#define GPEND ClusterGroupPending
#define RON ClusterResourceOnline
#define ROFF ClusterResourceOffline
#define RFAIL ClusterResourceFailed
#define RONP ClusterResourceOnlinePending
#define ROFFP ClusterResourceOfflinePending

#define MAX_NODES 8

struct members_fixture {
    struct cdb_node nodes[MAX_NODES];
    struct rgm_members m;
};

/* Members from states, "UDPJL-": node i+1 gets the i-th state (Up, Down, Paused, Joining; L:
 * Up but stopped gracefully, not yet found Down; "-" for no node i+1); self is the local node's id. f must stay where it is: f->m points into it.
 * A bad state fails the running test. */
void members_init(struct members_fixture *f, const char *states, uint64_t self);

#endif
