/*
 * svc_sync — the read gate: a node answers reads as current only once it holds everything its
 * cluster committed, after a start and again after it lost its leader. A SYNC command this node
 * commits through the leader, and then applies itself, proves it. It also keeps how long the
 * node has been without a leader: past NO_QUORUM_AFTER_MS it has no quorum (common/read_gate.h),
 * and answers reads from its last applied state, marked stale, and changes with
 * ERROR_CLUSTER_NO_QUORUM.
 */
#ifndef CLUSSVC_SVC_SYNC_H
#define CLUSSVC_SVC_SYNC_H

#include <stdbool.h>
#include <stdint.h>

#include "common/read_gate.h"

struct svc_sync {
    bool synced;                  /* reads may be answered as current */
    bool in_flight;               /* a SYNC is being committed */
    bool props_known;             /* synced once since the start: the properties are current */
    uint64_t leader_version_seen; /* newest database version a leader's reply named */
    bool leaderless;              /* running a cluster without a known leader, since ... */
    uint64_t leaderless_since;    /* ... this time (svc_now_ms) */
};

struct svc;

/* Keeps s->sync.synced: false without a leader, else proven by a SYNC this node committed. */
void svc_sync_check(struct svc *s);
/* How long this node has been running its cluster without a leader; 0 while it has one (or
 * runs none). */
uint64_t svc_sync_leaderless_ms(struct svc *s);
/* How this node answers a read now; stale_ok: the caller accepts a stale answer. */
enum read_answer svc_sync_read(struct svc *s, bool stale_ok);

#endif
