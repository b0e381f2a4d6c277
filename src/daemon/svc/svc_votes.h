/*
 * svc_votes — dynamic quorum on the leader (docs/failover.md, "Quorum"): raft's voters follow
 * quorum_target() (common/quorum_votes.h) of the members as the database and this node's
 * heartbeats show them. One change at a time, each a committed raft configuration change
 * (raft_assign: a vote given only once the node caught up), and no change within a lease bound
 * plus the echo overlap (hb_track_change_spacing) of the last one committing, so that no lease
 * of a configuration two changes old can still run (the argument is in docs/failover.md). The vote the leader itself loses goes by handing
 * leadership over first; the new leader takes it.
 */
#ifndef CLUSSVC_SVC_VOTES_H
#define CLUSSVC_SVC_VOTES_H

#include <stdbool.h>
#include <stdint.h>

struct svc;

/* On the leader, at every pass: starts the next vote change if one is due and allowed. */
void svc_votes_check(struct svc *s);
/* Has the configuration in force been committed for the change spacing, so that another change
 * of the voters may start? */
bool svc_votes_may_change(struct svc *s);
/* On the leader: does dynamic quorum still have a vote to give or take (now or once the change
 * spacing has passed)? */
bool svc_votes_pending(struct svc *s);
/* Should node id (a member that has just caught up) vote, as the cluster stands now? */
bool svc_votes_should_vote(struct svc *s, uint64_t id);

#endif
