/*
 * health_policy — what the node decides from heartbeats, pure: its own lease steps, and on the
 * leader node states, releases on behalf of fenced nodes, and which groups move. No I/O, no
 * clock: the caller passes "now" and what hb_track says at that moment, and performs the
 * actions it gets back (health.c commits and tells the resource host).
 *
 * Inputs are only read unless a parameter says otherwise; nothing here allocates.
 */
#ifndef CLUSSVC_HEALTH_POLICY_H
#define CLUSSVC_HEALTH_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/cdb/cdb.h"

/* ------------------------------------------------------------------------------------------ */
/* The lease (every node)                                                                      */
/* ------------------------------------------------------------------------------------------ */

/*
 * This node's quorum lease as the last check left it. Each lease after a start or a lapse is
 * confirmed before anything starts: the node commits CONFIRM_NODE and waits until it has
 * applied it (health.c says why). Zero-initialised at start.
 */
struct health_lease {
    uint64_t sent;    /* the lease end last told to the resource host */
    bool held;        /* the lease as of the last check */
    bool confirmed;   /* its CONFIRM_NODE applied since it last had no lease */
    bool confirming;  /* a CONFIRM_NODE is on its way */
    uint64_t lapses;  /* times the lease was lost: a confirmation counts only within its lease */
    uint64_t confirm_lapses; /* lapses when the CONFIRM_NODE on its way left */
    uint64_t lapse_began;    /* our clock: the end of the lease last lost; 0 before any lapse */
};

/* What a lease check asks of the caller (a bit set). */
enum health_lease_action {
    HEALTH_LEASE_TELL_HOST = 1, /* tell the resource host the new lease end (l->sent) */
    HEALTH_LEASE_CONFIRM = 2,   /* commit CONFIRM_NODE for self, tagged with l->lapses; set
                                   l->confirming once the commit is on its way */
    HEALTH_LEASE_TERMINATE = 4, /* no lease: take every local resource offline at once */
};

/*
 * One lease check at now, until being the lease end heartbeats give (hb_track_lease_until):
 * the lease is held while until > now. Updates *l (a lapse counts and unconfirms) and returns
 * the actions, HEALTH_LEASE_*. holds_local: this node keeps local resource records;
 * terminating: a terminate of them is already under way. A lease that ran out after the last
 * check and came back before this one lapsed too: the resource host, which keeps the end told
 * to the millisecond, stopped what it held, and whatever starts again must come after a
 * confirmation like after any lapse.
 */
unsigned health_lease_check(struct health_lease *l, uint64_t until, uint64_t now,
                            bool holds_local, bool terminating);
/*
 * Whether resources may start at now, until being the lease end heartbeats give: the lease is
 * held and confirmed, and the end the resource host was last told has not passed. Once that
 * end passes the host has stopped what it held, so a lease an echo brought back since is a
 * lapse the next check counts: nothing starts in between on the old confirmation.
 */
bool health_lease_may_start(const struct health_lease *l, uint64_t until, uint64_t now);
/*
 * The CONFIRM_NODE tagged lapses was committed (ok) or not: the lease is confirmed only if no
 * lapse came meanwhile. The next check asks again otherwise.
 */
void health_lease_confirmed(struct health_lease *l, uint64_t lapses, bool ok);
/*
 * Since when (our clock) this node has run nothing for want of a lease, as its heartbeats tell
 * the others (docs/failover.md, "Lossy links"): it can start nothing again before a CONFIRM_NODE
 * applies, which makes a new incarnation. 0 while that is not so: its lease confirmed, or
 * something still running or stopping here (runs_something). A confirmation on its way changes
 * nothing: the report names the incarnation of the lapse (hb_set_idle), which that confirmation
 * ends.
 */
uint64_t health_lease_idle_since(const struct health_lease *l, bool runs_something);

/* ------------------------------------------------------------------------------------------ */
/* Node states (leader)                                                                        */
/* ------------------------------------------------------------------------------------------ */

/*
 * The state to record for a node whose recorded state is recorded, when heartbeats say up or
 * not: Up or Down. False (no change) when it is already so, when a Joining node is not heard
 * (it has not come up yet, it is not down), or when it is Paused (the administrator decides).
 */
bool health_node_transition(int32_t recorded, bool up, int32_t *ret_state);

/* ------------------------------------------------------------------------------------------ */
/* Takeover (leader)                                                                           */
/* ------------------------------------------------------------------------------------------ */

/* What heartbeats say of one member at the moment of the decision. */
struct health_seen {
    bool up;     /* hb_track_up */
    bool fenced; /* hb_track_fenced: its lease is surely over */
};

/* The members, and what heartbeats say of each (seen[i] is of nodes[i]). */
struct health_view {
    const struct cdb_node *nodes; /* every member (cdb_nodes) */
    const struct health_seen *seen;
    size_t n_nodes;
};

/*
 * FailoverThreshold / FailoverPeriod: a group whose resource keeps failing fails over at most
 * threshold times in period_ms (the group's properties; Windows' defaults are nodes − 1 in six
 * hours), then stays Failed for the administrator. Counted by the leader; moves because the
 * owner is gone do not count.
 */
struct health_failover_limit {
    unsigned threshold;
    uint64_t period_ms;
};
#define HEALTH_FAILOVER_GROUPS 32

/* The failovers of up to HEALTH_FAILOVER_GROUPS groups. Zero-initialised: none. */
struct health_failovers {
    struct health_failover {
        char group[CDB_NAME_MAX + 1]; /* "" for a free slot */
        uint64_t since;               /* when its current period began */
        unsigned count;               /* failovers allowed within it */
        bool refusal_said;            /* a refusal within it was logged */
    } groups[HEALTH_FAILOVER_GROUPS];
};

/*
 * May group fail over once more at now, within its limit? Counts the failover when it may. A
 * period older than limit->period_ms starts afresh. A group that finds the table full of other
 * groups is always allowed (nothing is evicted).
 */
bool health_failover_allowed(struct health_failovers *f, const char *group,
                             const struct health_failover_limit *limit, uint64_t now);
/* The failovers counted for group in its period (whether or not that is over); 0 if none. */
unsigned health_failover_count(const struct health_failovers *f, const char *group);
/*
 * Takes group's failovers as the cluster recorded them (count within the period that began at
 * since_wall, wall-clock ms) when they are more than this node counted: a leader that took over
 * goes on from the count of the one before. now and wall_now are this node's monotonic and
 * wall clocks at one moment; a record older than limit's period is over and ignored. A period
 * that began before the monotonic clock's zero is taken to begin at it (a failover may then be
 * refused a little longer, never allowed early).
 */
void health_failover_adopt(struct health_failovers *f, const char *group, unsigned count,
                           int64_t since_wall, const struct health_failover_limit *limit,
                           uint64_t now, int64_t wall_now);
/* When group's current period began, in wall-clock ms (to record it); 0 if none. */
int64_t health_failover_since_wall(const struct health_failovers *f, const char *group,
                                   uint64_t now, int64_t wall_now);
/* Is this the first refusal of group's period, to be logged (true once a period), rather than
 * one repeated at every tick while the group stays failed? */
bool health_failover_refusal_news(struct health_failovers *f, const char *group);

/* A group whose state asks for it to run somewhere: Online, Pending, PartialOnline or Failed. */
bool health_group_wants_online(const struct cdb_group *g);

enum health_takeover {
    HEALTH_TAKEOVER_NONE,        /* the group does not want to run */
    HEALTH_TAKEOVER_OWNER_KEEPS, /* its owner is alive and the group has not failed */
    HEALTH_TAKEOVER_LIMIT,       /* failed on a live owner too often in the period: stays */
    HEALTH_TAKEOVER_OWNER_LOST,  /* move it: its owner is fenced or no longer a member */
    HEALTH_TAKEOVER_FAILED,      /* move it: it failed on its owner, and the budget allows */
};

/*
 * The leader's decision for group g at now: move it, or why not (HEALTH_TAKEOVER_*). A group
 * whose owner is fenced always moves: its lease is over, so nothing of it runs there. A live
 * owner keeps its group unless the group failed there and health_failover_allowed() agrees
 * within limit, the group's (which counts the failover in *f). *ret_owner is the owner's node as
 * v has it, NULL when gone: the move must expect its incarnation (rgm_fail_over's gone).
 */
enum health_takeover health_takeover_decide(const struct health_view *v, const struct cdb_group *g,
                                            struct health_failovers *f,
                                            const struct health_failover_limit *limit,
                                            uint64_t now, const struct cdb_node **ret_owner);

/*
 * The member resource r is still being handed over by, when that member is surely fenced: it
 * holds nothing any more, so the leader releases r on its behalf (expecting its incarnation).
 * NULL when there is nothing to release.
 */
const struct cdb_node *health_release_holder(const struct health_view *v,
                                             const struct cdb_resource *r);

#endif
