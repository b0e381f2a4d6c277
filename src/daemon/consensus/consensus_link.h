/*
 * consensus_link — whether the leader's messages reach this node steadily. Pure: the caller
 * samples it (consensus.c, every poll) with the time raft last heard from its leader.
 *
 * A node whose lease lapsed confirms the new one (health.c) and starts nothing until it has
 * applied that confirmation, which comes to it in the leader's messages. Over a link that
 * loses much of what arrives, TCP backs off and those messages come seconds late, while the
 * confirmation, sent the other way, lands at once and keeps the groups on a node that cannot
 * start them. Confirming later is always safe, so such a node waits until the leader's messages
 * have come without a stall for a while; meanwhile its lapse stands and the others take its
 * groups over.
 */
#ifndef CLUSSVC_CONSENSUS_LINK_H
#define CLUSSVC_CONSENSUS_LINK_H

#include <stdbool.h>
#include <stdint.h>

struct consensus_link {
    uint64_t stall_ms;   /* a silence of the leader this long is a stall */
    uint64_t steady_ms;  /* steady: no stall for this long */
    uint64_t stalled_at; /* the last time a stall was seen (or the watch began) */
};

/* Begins at now, as after a stall. */
void consensus_link_init(struct consensus_link *l, uint64_t stall_ms, uint64_t steady_ms,
                         uint64_t now);
/* One sample at now: this node leads (its own messages need no link), or follows a known
 * leader it last heard at heard_at (0: no leader known). */
void consensus_link_sample(struct consensus_link *l, uint64_t now, bool leads, uint64_t heard_at);
/* Whether the leader's messages have come without a stall for steady_ms until now (a leader:
 * always). */
bool consensus_link_steady(const struct consensus_link *l, uint64_t now, bool leads);

#endif
