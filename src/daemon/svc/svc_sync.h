/*
 * svc_sync — the read gate: a node answers reads only once it holds everything its cluster
 * committed, after a start and again after it lost its leader. A SYNC command this node commits
 * through the leader, and then applies itself, proves it.
 */
#ifndef CLUSSVC_SVC_SYNC_H
#define CLUSSVC_SVC_SYNC_H

#include <stdbool.h>
#include <stdint.h>

struct svc_sync {
    bool synced;                  /* reads may be answered */
    bool in_flight;               /* a SYNC is being committed */
    bool props_known;             /* synced once since the start: the properties are current */
    uint64_t leader_version_seen; /* newest database version a leader's reply named */
};

struct svc;

/* Keeps s->sync.synced: false without a leader, else proven by a SYNC this node committed. */
void svc_sync_check(struct svc *s);

#endif
