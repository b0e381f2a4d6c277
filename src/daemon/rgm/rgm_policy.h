/*
 * rgm_policy — the group manager's decisions, pure: where a group goes, what a group's state
 * is, and what this node does next with one resource. No I/O, no clock: the caller reads the
 * database and its own records into the plain structs below, passes "now" where time matters,
 * and performs the action it gets back (rgm_place.c and rgm_reconcile.c commit and call
 * drivers).
 *
 * Inputs are only read and stay the caller's; nothing here allocates or keeps a pointer.
 * Resource and node names compare case-insensitively (ASCII), as the database compares them.
 */
#ifndef CLUSSVC_RGM_POLICY_H
#define CLUSSVC_RGM_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/cdb/cdb.h"

/* Windows' RestartThreshold / RestartPeriod defaults as this node applies them: a resource that
 * fails its looks-alive check is restarted here this many times within the period, then it is
 * reported Failed so that its group moves. */
#define RGM_RESTART_THRESHOLD 1
#define RGM_RESTART_PERIOD_MS (15 * 60 * 1000)

/* ------------------------------------------------------------------------------------------ */
/* Views                                                                                       */
/* ------------------------------------------------------------------------------------------ */

/* The members as the database has them, and which of them this node is. */
struct rgm_members {
    uint64_t self;                /* this node (the leader, when it places groups) */
    const struct cdb_node *nodes; /* every member, by id (cdb_nodes) */
    size_t n_nodes;
};

/* One dependency: dependent may come online once provider (or another of its providers) is. */
struct rgm_dependency {
    const char *dependent;
    const char *provider;
};

/* What this node holds of one resource: the parts of its local record decisions read. */
struct rgm_held {
    const char *name;
    bool online;          /* the driver brought it online here */
    bool busy;            /* a driver call is running */
    bool reporting;       /* a state report is being committed */
    bool driver_state;    /* the driver still keeps state for it (res.priv set) */
    int last_rv;          /* the last driver call's result: 0 or a negative errno */
    uint64_t handoff_from; /* the member it waits for to let go of it, 0 for none */
};

/* Everything one node's reconcile decides from. */
struct rgm_view {
    struct rgm_members members;
    const struct cdb_resource *resources; /* every resource of the cluster */
    size_t n_resources;
    const struct rgm_dependency *deps;    /* every dependency of those resources */
    size_t n_deps;
    const struct rgm_held *held;          /* the records this node keeps, one per name */
    size_t n_held;
    bool may_start;                       /* it holds a confirmed quorum lease
                                             (health_may_start_resources) */
};

/* Is node id a member whose recorded state is Up? */
bool rgm_node_is_up(const struct rgm_members *m, uint64_t id);
/* This node's record of the named resource, or NULL when it keeps none. */
const struct rgm_held *rgm_held_find(const struct rgm_view *v, const char *name);

/* ------------------------------------------------------------------------------------------ */
/* Placement (leader)                                                                          */
/* ------------------------------------------------------------------------------------------ */

/*
 * The node a group should run on: the first Up one of its preferred owners (pref, most
 * preferred first); else the first Up member other than self, in the order of m->nodes (so that
 * losing one node never costs an election and a failover at once); else self if Up. exclude
 * (0 for none) is never chosen. Returns 0 when no node qualifies.
 */
uint64_t rgm_choose_owner(const struct rgm_members *m, const uint64_t *pref, size_t n_pref,
                          uint64_t exclude);

/* How commit_group treats a group's resources (flags of struct rgm_group_plan). */
enum {
    RGM_ONLY_ACTIVE = 1, /* leave the resources that are offline as they are */
    RGM_HAND_OVER = 2,   /* whichever node holds each resource hands it over to the owner */
};

enum rgm_plan_action {
    RGM_PLAN_NOTHING, /* the group is already as asked: succeed without a commit */
    RGM_PLAN_REFUSE,  /* fail with status */
    RGM_PLAN_COMMIT,  /* commit group_state and owner for the group, resource_state for each
                         resource rgm_plan_resource() selects, in one batch */
};

/* A leader's answer to a request about one group. */
struct rgm_group_plan {
    enum rgm_plan_action action;
    uint32_t status;        /* REFUSE: the Win32 code */
    int32_t group_state;    /* COMMIT: CLUSTER_GROUP_STATE */
    uint64_t owner;         /* COMMIT: the group's owner, 0 for none; move: the target always */
    int32_t resource_state; /* COMMIT: CLUSTER_RESOURCE_STATE */
    unsigned flags;         /* COMMIT: RGM_ONLY_ACTIVE, RGM_HAND_OVER */
    int32_t wait_state;     /* move, unless refused: the group state to wait for on the target */
};

/*
 * OnlineClusterGroup on the leader. node_id names the node (0: none). An online group needs
 * nothing; else the group goes Pending on node_id, or on its owner when that is Up (an offline
 * group keeps its owner), or on rgm_choose_owner()'s pick, with every resource OnlinePending.
 * Refused with ERROR_HOST_NODE_NOT_AVAILABLE when that node is 0 or not Up.
 */
struct rgm_group_plan rgm_plan_online(const struct rgm_members *m, const struct cdb_group *g,
                                      const uint64_t *pref, size_t n_pref, uint64_t node_id);
/*
 * MoveClusterGroup on the leader: to node_id, or (0) to the best node other than its owner;
 * refused with ERROR_HOST_NODE_NOT_AVAILABLE when that is 0 or not Up. Otherwise owner is the
 * target and wait_state Offline for an offline group, else Online. Already there and settled
 * (Online or Offline): nothing. An offline group only changes owner (Offline, resources
 * Offline); any other goes Pending there with its active resources handed over OnlinePending.
 */
struct rgm_group_plan rgm_plan_move(const struct rgm_members *m, const struct cdb_group *g,
                                    const uint64_t *pref, size_t n_pref, uint64_t node_id);
/*
 * Takeover of a group whose owner old_owner is gone, fenced, or failed it: the best other
 * node, Pending with every resource OnlinePending; ERROR_HOST_NODE_NOT_AVAILABLE if none.
 */
struct rgm_group_plan rgm_plan_fail_over(const struct rgm_members *m, uint64_t old_owner,
                                         const uint64_t *pref, size_t n_pref);
/*
 * OfflineClusterGroup on the leader; n_res is how many resources the group has (not read for
 * an offline group). An offline group needs nothing. It is recorded Offline at once, owner and
 * resources included, when force (the caller vouches that the owner is gone), when it has no
 * resources, or when it has no owner or its owner is not Up; otherwise its owner is asked:
 * Pending there, its active resources OfflinePending.
 */
struct rgm_group_plan rgm_plan_offline(const struct rgm_members *m, const struct cdb_group *g,
                                       size_t n_res, bool force);
/*
 * Whether a plan's commit includes resource r, and if so the owner r gets (0 when it goes
 * Offline, else the plan's owner). Only for a COMMIT plan.
 */
bool rgm_plan_resource(const struct rgm_group_plan *p, const struct cdb_resource *r,
                       uint64_t *ret_owner);
/*
 * DeleteClusterGroup's checks: 0 when the group may be deleted; ERROR_INVALID_STATE when it is
 * not offline; ERROR_DIR_NOT_EMPTY when it has n_res > 0 resources and !with_resources (as on
 * Windows). n_res is not read for a group that is not offline.
 */
uint32_t rgm_delete_check(const struct cdb_group *g, size_t n_res, bool with_resources);
/*
 * Shutdown of self: the node group g is handed over to, or 0 when it stays (not self's, already
 * offline, or nowhere to go: it stops with this node).
 */
uint64_t rgm_drain_target(const struct rgm_members *m, const struct cdb_group *g,
                          const uint64_t *pref, size_t n_pref);

/* ------------------------------------------------------------------------------------------ */
/* Group state (owner)                                                                         */
/* ------------------------------------------------------------------------------------------ */

/*
 * A group's state as its resources res[0..n) make it: Failed if any failed; Online if all are
 * online (so also with none); Offline if all are offline; PartialOnline if each is one of the
 * two; else Pending.
 */
int32_t rgm_group_state(const struct cdb_resource *res, size_t n);
/*
 * Does self, as owner of g, record a new state for g, given g's resources res[0..n)? Yes once a
 * Pending group has settled (any derived state but Pending), or once an Online group has a
 * resource failed for good (Failed); then *ret_state is that state (recorded with g's owner,
 * which an offline group keeps). Not for groups of other nodes nor in other states.
 */
bool rgm_group_report(const struct cdb_group *g, uint64_t self, const struct cdb_resource *res,
                      size_t n, int32_t *ret_state);

/* ------------------------------------------------------------------------------------------ */
/* Reconcile one resource (every node)                                                        */
/* ------------------------------------------------------------------------------------------ */

/* What this node does next with one resource; rgm_reconcile_step() says which. */
enum rgm_step {
    RGM_STEP_NONE,            /* nothing for this node to do */
    RGM_STEP_IN_FLIGHT,       /* a driver call or a report of its own runs: wait for it */
    /* ours to bring online, but not yet: */
    RGM_STEP_AWAIT_HANDOFF,   /* its previous holder has not let go: note r->handoff as the node
                                 waited for (making a record if there is none) */
    RGM_STEP_AWAIT_LEASE,     /* this node holds no confirmed quorum lease */
    RGM_STEP_AWAIT_PROVIDERS, /* none of its providers is online yet */
    RGM_STEP_AWAIT_REQUEST,   /* it failed here and that is recorded: wait for a new request */
    RGM_STEP_START,           /* driver online, then record the outcome; clear handoff_from */
    RGM_STEP_START_HANDED_OVER, /* the same, told the holder (still Up) let go a moment ago,
                                   so there is nothing to probe for */
    RGM_STEP_REPORT_ONLINE,   /* handed back to this node, which still runs it: record Online */
    /* ours to take offline: */
    RGM_STEP_AWAIT_DEPENDENTS, /* a resource that depends on it is not offline yet */
    RGM_STEP_STOP_REPORT,     /* driver offline here, then record Offline */
    RGM_STEP_REPORT_OFFLINE,  /* nothing runs here: record Offline now (making a record) */
    /* not ours: */
    RGM_STEP_STOP_QUIET,      /* it moved away: driver offline here, record nothing */
    RGM_STEP_RELEASE,         /* this node was handing it over and has let go: say so */
    RGM_STEP_FORGET,          /* drop the record: a handover it waited for went elsewhere */
};

/* The step's name ("start", "await-lease" …), for logs and test output. */
const char *rgm_step_name(enum rgm_step step);
/*
 * The next step for resource r (one of v->resources) on this node (v->members.self), from the
 * database's record of r and this node's record of it (rgm_held_find). See enum rgm_step.
 */
enum rgm_step rgm_reconcile_step(const struct rgm_view *v, const struct cdb_resource *r);
/*
 * May the named resource start: it has no provider, or one of them is online: in this node's
 * record (online and no driver call running, which counts before the database knows) or in
 * the database.
 */
bool rgm_providers_ready(const struct rgm_view *v, const char *name);
/* May the named resource stop: every resource depending on it is Offline or Failed. */
bool rgm_dependents_offline(const struct rgm_view *v, const char *name);
/* A record this node keeps of a resource the database no longer has, still online and idle:
 * take it offline here without a report. */
bool rgm_held_orphaned(const struct rgm_view *v, const struct rgm_held *h);

/* A resource's local restarts within the current restart period. Zero-initialised: none. */
struct rgm_restarts {
    uint64_t window; /* start of the current period, the caller's monotonic ms */
    unsigned count;  /* failed checks within it, the one that refused included */
};

/*
 * A resource failed its looks-alive check at now: true to restart it here (the reconcile brings
 * it online again), false to report it Failed. A failure more than RGM_RESTART_PERIOD_MS after
 * the current period began opens a new one; each call counts one failure.
 */
bool rgm_restart_allowed(struct rgm_restarts *r, uint64_t now);

#endif
