/*
 * quorum_votes — who votes, as WSFC's dynamic quorum decides it; pure (no I/O, no clock: the
 * caller says how long each member has been silent). Shared by the service (the raft leader
 * makes the raft voter set follow quorum_target, one change at a time) and by clusctl (what
 * `quorum show` and `status` say about the votes).
 *
 * The rules (docs/failover.md, "Quorum"):
 *  - a node may vote when its NodeWeight is 1; with DynamicQuorum 1 it keeps its vote only
 *    while it is present: not left gracefully (service stopped), not Paused, not evicted, and
 *    not Down for QUORUM_DOWN_GRACE_MS or longer;
 *  - at most QUORUM_MAX_VOTERS vote (current voters kept first, then the lowest ids);
 *  - an odd number of node votes is kept as it is; with an even number the witness votes if
 *    there is one (Down or not: so that the witness or the node coming back restores quorum),
 *    otherwise, with DynamicQuorum 1, one node loses its vote: LowerQuorumPriorityNodeId if it
 *    is among them, else one that does not vote now, else the highest id other than the
 *    leader's (with DynamicQuorum 0 every node keeps its vote, as on Windows);
 *  - the set is never empty: with nobody present the current voters stay;
 *  - a node whose state directory cannot take raft's writes (a storage fault) is never present,
 *    nor does a witness in one vote, DynamicQuorum or not, and once such a member no longer
 *    votes it leaves the log's replication too
 *    (raft's spare role), so that nothing more is written there: it returns to the log (standby)
 *    when the fault has ended.
 */
#ifndef CLUSAPI_QUORUM_VOTES_H
#define CLUSAPI_QUORUM_VOTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QUORUM_MAX_VOTERS 5
/* A Down node keeps its vote this long: a restart, a reboot or a brief outage changes no
 * configuration (each change costs commits and restarts the echoes the leases rest on, and a
 * crash that lasts is what the adjustment is for). */
#define QUORUM_DOWN_GRACE_MS 60000

/* What setup reports (a Warning) and clusctl prints for a cluster that one crash can stop. */
#define QUORUM_FRAGILE_ADVICE                                                                    \
    "One failure can stop this cluster: with two nodes and no witness only one node votes, "   \
    "and the cluster stops while that node is down; add a witness on a third machine "         \
    "(clusctl quorum set --witness HOST[:PORT], or SetClusterQuorumResource)"

/* Does QUORUM_FRAGILE_ADVICE apply to a cluster of nodes (the witness not counted), with or
 * without a witness: two nodes and no witness. (One node is no high availability at all, and
 * three or more survive a crash.) */
bool quorum_fragile(size_t nodes, bool witness);

/* One member as the leader sees it. */
struct quorum_member {
    uint64_t id;
    bool witness;      /* votes and hosts nothing */
    uint32_t weight;   /* NodeWeight: 0 or 1 */
    int32_t state;     /* recorded CLUSTER_NODE_STATE (Paused loses the vote) */
    bool left;         /* left gracefully: its service stopped */
    bool up;           /* heard now */
    uint64_t silent_ms; /* how long it has not been heard (0 when up) */
    bool voter;        /* votes now (the raft configuration) */
    bool spare;        /* in raft as a spare: takes no part in the log */
    bool storage_fault; /* its state directory cannot take raft's writes */
    bool joined;       /* a running member: it has held a quorum lease (a node being added
                        * has not, and is left to the addition) */
};

struct quorum_settings {
    bool dynamic;            /* DynamicQuorum */
    uint64_t lower_priority; /* LowerQuorumPriorityNodeId; 0 for none */
    uint64_t leader;         /* the raft leader, which keeps its vote where there is a choice */
};

/* Marks want[i] for each member m[i] that should vote; returns how many. */
size_t quorum_target(const struct quorum_member *m, size_t n, const struct quorum_settings *s,
                     bool *want);

enum quorum_step_kind {
    QUORUM_STEP_NONE,   /* the voters are as wanted, or no step can be taken now */
    QUORUM_STEP_GIVE,   /* give member id its vote (it is up) */
    QUORUM_STEP_TAKE,   /* take member id's vote */
    QUORUM_STEP_PARK,   /* member id, a standby in a storage fault, leaves the log (spare) */
    QUORUM_STEP_UNPARK, /* member id, a spare no longer in one, returns to the log (standby) */
};

struct quorum_step {
    enum quorum_step_kind kind;
    uint64_t id;
};

/*
 * The one change that brings the voters closer to want (from quorum_target): votes are given
 * before any is taken, so every step keeps a majority of the voters up that had one, and only
 * to members that are up (raft catches them up first). A vote of a member that is not up is
 * taken only when the voters left would still have a majority up. A voter in a storage fault
 * counts as down: it cannot store what it would acknowledge. Parking and unparking come after
 * the votes, and a voter is parked only once it is a standby: a spare hears nothing from the
 * leader, not even that it no longer votes, and a voter that hears nothing campaigns.
 */
struct quorum_step quorum_next_step(const struct quorum_member *m, size_t n, const bool *want);

/* What the votes mean now. */
struct quorum_view {
    unsigned voters;       /* members that vote */
    unsigned voters_up;    /* of which are up */
    unsigned majority;     /* voters / 2 + 1 */
    bool has_quorum;       /* voters_up >= majority */
    unsigned survives;     /* how many more voters may fail at once with quorum kept */
};

void quorum_view(const struct quorum_member *m, size_t n, struct quorum_view *ret);

#endif
