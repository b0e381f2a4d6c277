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

/* ------------------------------------------------------------------------------------------ */
/* Views                                                                                       */
/* ------------------------------------------------------------------------------------------ */

/* The members as the database has them, and which of them this node is. */
struct rgm_members {
    uint64_t self;                /* this node (the leader, when it places groups) */
    const struct cdb_node *nodes; /* every member, by id (cdb_nodes) */
    size_t n_nodes;
    /* Placement only: members that may not host the group at hand, because one of its
     * resources that will run has them excluded from its possible owners (cdb_excluded). */
    const uint64_t *barred;
    size_t n_barred;
};

/* One provider of a dependency expression: dependent may come online once, for each of its
 * clauses, one provider of that clause is online (clauses are ANDed, providers of one clause
 * are alternatives). */
struct rgm_dependency {
    const char *dependent;
    const char *provider;
    uint32_t clause;
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
    uint64_t not_before;  /* a restart waits until then (RestartDelay), 0 for none */
    uint64_t retry_at;    /* failed here: tried again then (RetryPeriodOnFailure), 0 never */
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
    uint64_t now;                         /* the caller's monotonic ms (held times) */
};

/*
 * The members placement bars from every group: witnesses, which host nothing, and the nodes
 * quarantined at wall_ms (common/quarantine.h) or in a storage fault (their state directory
 * cannot take raft's writes) while some Up member that is none of these, nor leaving (the node
 * a group is moving away from, 0 for none), may host instead: such a node is the last resort. Writes their ids to out (room for n) and returns how many.
 */
size_t rgm_always_barred(const struct cdb_node *nodes, size_t n, int64_t wall_ms,
                         uint64_t leaving, uint64_t *out);
/* Is node id a member whose recorded state is Up? */
bool rgm_node_is_up(const struct rgm_members *m, uint64_t id);
/* May node id host the group at hand: Up, not stopped gracefully since it last confirmed a
 * lease (its service is gone, though heartbeats have not found it Down yet), and not barred? */
bool rgm_node_may_host(const struct rgm_members *m, uint64_t id);
/* This node's record of the named resource, or NULL when it keeps none. */
const struct rgm_held *rgm_held_find(const struct rgm_view *v, const char *name);

/* ------------------------------------------------------------------------------------------ */
/* Placement (leader)                                                                          */
/* ------------------------------------------------------------------------------------------ */

/*
 * The node a group should run on: the first one of its preferred owners (pref, most preferred
 * first) that may host it (rgm_node_may_host); else the first such member other than self, in
 * the order of m->nodes (so that losing one node never costs an election and a failover at
 * once); else self if it may. exclude (0 for none) is never chosen. Returns 0 when no node
 * qualifies.
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
 * Refused with ERROR_HOST_NODE_NOT_AVAILABLE when that node is 0 or may not host the group
 * (not Up, or barred: m->barred holds the exclusions of every resource of the group).
 */
struct rgm_group_plan rgm_plan_online(const struct rgm_members *m, const struct cdb_group *g,
                                      const uint64_t *pref, size_t n_pref, uint64_t node_id);
/*
 * MoveClusterGroup on the leader: to node_id, or (0) to the best node other than its owner;
 * refused with ERROR_HOST_NODE_NOT_AVAILABLE when that is 0 or may not host the group (m->barred:
 * the exclusions of its active resources, of all of them for an offline group). Otherwise owner
 * is the target and wait_state Offline for an offline group, else Online. Already there and settled
 * (Online or Offline): nothing. An offline group only changes owner (Offline, resources
 * Offline); any other goes Pending there with its active resources handed over OnlinePending.
 */
struct rgm_group_plan rgm_plan_move(const struct rgm_members *m, const struct cdb_group *g,
                                    const uint64_t *pref, size_t n_pref, uint64_t node_id);
/*
 * Takeover of a group whose owner old_owner is gone, fenced, or failed it: the best other
 * node that may host it (m->barred: the exclusions of its active resources), Pending with its
 * active resources OnlinePending (one taken offline on request stays so);
 * ERROR_HOST_NODE_NOT_AVAILABLE if none.
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
 * A group's state as its resources res[0..n) make it: Failed if one failed whose failure fails
 * the group; Online if all are online (so also with none); Offline if all are offline; Partial
 * Online if each is one of the two; else Pending. keeps_group (NULL: none) says per resource
 * that its failure leaves the group where it is (RestartAction 0 or 1): such a Failed resource
 * counts as offline.
 */
int32_t rgm_group_state(const struct cdb_resource *res, size_t n, const bool *keeps_group);
/*
 * Does self, as owner of g, record a new state for g, given g's resources res[0..n) (and
 * keeps_group as rgm_group_state)? Yes once a Pending group has settled (any derived state but
 * Pending); for an Online or PartialOnline group, once the derived state is settled and differs
 * (a resource failed for good, or failed without failing the group); for a Failed group, once
 * a retry brought it back (Online or PartialOnline). Then *ret_state is that state (recorded
 * with g's owner, which an offline group keeps). Not for groups of other nodes nor in other
 * states.
 */
bool rgm_group_report(const struct cdb_group *g, uint64_t self, const struct cdb_resource *res,
                      size_t n, const bool *keeps_group, int32_t *ret_state);

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
    RGM_STEP_AWAIT_REQUEST,   /* it failed here and that is recorded: wait for a new request
                                 (or its retry time) */
    RGM_STEP_AWAIT_DELAY,     /* a restart waits for its RestartDelay (held.not_before) */
    RGM_STEP_START,           /* driver online, then record the outcome; clear handoff_from */
    RGM_STEP_START_HANDED_OVER, /* the same, told the holder (still Up) let go a moment ago,
                                   so there is nothing to probe for */
    RGM_STEP_REPORT_ONLINE,   /* handed back to this node, which still runs it: record Online */
    RGM_STEP_STEP_DOWN,       /* online here, but a provider went down under it (failed and
                                 restarting here): driver offline, record nothing; it starts
                                 again once its providers are back */
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
 * May the named resource start (or keep running): each clause of its dependency expression has
 * one provider online (none: ready). A provider this node owns counts while this node's record
 * says it runs here (before the database knows, and not while it restarts in place); another
 * node's while this node's record says it runs here and no driver call runs, or the database
 * says Online.
 */
bool rgm_providers_ready(const struct rgm_view *v, const char *name);
/* May the named resource stop: every resource depending on it is Offline or Failed. */
bool rgm_dependents_offline(const struct rgm_view *v, const char *name);
/* A record this node keeps of a resource the database no longer has, still online and idle:
 * take it offline here without a report. */
bool rgm_held_orphaned(const struct rgm_view *v, const struct rgm_held *h);

/* ------------------------------------------------------------------------------------------ */
/* Policies from common properties                                                             */
/* ------------------------------------------------------------------------------------------ */

/* CLUSTER_RESOURCE_RESTART_ACTION (RestartAction) */
enum {
    RGM_RESTART_NONE = 0,        /* ClusterResourceDontRestart */
    RGM_RESTART_NO_NOTIFY = 1,   /* ClusterResourceRestartNoNotify: the group stays */
    RGM_RESTART_NOTIFY = 2,      /* ClusterResourceRestartNotify: then the group fails over */
};
#define RGM_NEVER 0xFFFFFFFFu /* RetryPeriodOnFailure: never retry */

/* How a resource is run here: its common properties, defaults applied (common_props.h). */
struct rgm_res_policy {
    uint32_t restart_action;     /* RGM_RESTART_* */
    uint32_t restart_threshold;  /* restarts allowed within restart_period_ms */
    uint32_t restart_period_ms;
    uint32_t restart_delay_ms;   /* before each restart */
    uint32_t retry_period_ms;    /* a Failed resource is tried again after it; RGM_NEVER */
    uint32_t pending_timeout_ms; /* bound of an online or offline */
    uint32_t looks_alive_ms;     /* its own, else its type's, else the default */
    uint32_t is_alive_ms;
};

/*
 * The policy of a resource from the common properties set on it (res) and on its type (type),
 * as the database holds them (text form; cdb_resource_common, cdb_restype_props). A value that
 * does not parse as a DWORD is ignored (the default applies). LooksAlivePollInterval and
 * IsAlivePollInterval of CPROP_POLL_USE_TYPE (or unset) take the type's.
 */
void rgm_res_policy_read(const struct cdb_prop *res, size_t n_res, const struct cdb_prop *type,
                         size_t n_type, struct rgm_res_policy *ret);
/* Whether a Failed resource's failure fails its group over (RestartAction 2). */
bool rgm_failure_fails_group(const struct rgm_res_policy *p);

/* A resource's local restarts within the current restart period. Zero-initialised: none. */
struct rgm_restarts {
    uint64_t window; /* start of the current period, the caller's monotonic ms */
    unsigned count;  /* failures within it, the one that refused included */
};

/* What becomes of a resource that failed here while online. */
enum rgm_failure {
    RGM_FAILURE_RESTART,    /* restart it here, after the policy's restart delay */
    RGM_FAILURE_FAILED,     /* report it Failed; the group stays (RestartAction 0 or 1) */
    RGM_FAILURE_FAIL_GROUP, /* report it Failed, failing the group over (RestartAction 2) */
};

/*
 * A resource running here failed (its check, its watch, or FailClusterResource) at now. With
 * RestartAction 0 it is Failed at once (nothing counted). Otherwise each call counts one
 * failure; a failure more than restart_period_ms after the current period began opens a new
 * one; within a period the first restart_threshold failures restart it, the next is Failed
 * (RestartAction 1) or fails the group (2).
 */
enum rgm_failure rgm_failure_decide(struct rgm_restarts *r, const struct rgm_res_policy *p,
                                    uint64_t now);
/* When a resource that was reported Failed at now is tried again: 0 for never. */
uint64_t rgm_retry_at(const struct rgm_res_policy *p, uint64_t now);
/*
 * The bound of one driver call: the PendingTimeout pending_ms, or the type's own timeout for
 * that action (type_ms, 0 when it has none) if smaller.
 */
uint32_t rgm_call_timeout(uint32_t pending_ms, uint32_t type_ms);

/*
 * A group's FailoverThreshold / FailoverPeriod from the properties set on it (cdb_group_props),
 * in a cluster of n_nodes members: *ret_threshold failovers (FailoverThreshold, whose default
 * 0xFFFFFFFF means n_nodes − 1, at least 1) within *ret_period_ms (FailoverPeriod hours).
 */
void rgm_failover_limits(const struct cdb_prop *props, size_t n, size_t n_nodes,
                         unsigned *ret_threshold, uint64_t *ret_period_ms);

/* A group's failback policy (AutoFailbackType, FailbackWindowStart, FailbackWindowEnd). */
struct rgm_failback_policy {
    uint32_t type; /* CLUSTER_GROUP_AUTOFAILBACK_TYPE: 1 is ClusterGroupAllowFailback */
    uint32_t window_start, window_end; /* hours 0..23; a window exists only when both are set */
};

void rgm_failback_policy_read(const struct cdb_prop *props, size_t n,
                              struct rgm_failback_policy *ret);
/*
 * Is hour (local, 0..23) within the failback window? Without a window (either bound
 * 0xFFFFFFFF), any hour is. A window wraps past midnight when start > end; both bounds are
 * inclusive hours.
 */
bool rgm_failback_window_open(const struct rgm_failback_policy *p, unsigned hour);

/* What the leader remembers of one group's failback: the best node it last saw. */
struct rgm_failback_memo {
    bool known;            /* seen before (a new leader sees everything as it finds it) */
    uint64_t node;         /* its most preferred node that may host it, 0 for none */
    uint64_t incarnation;  /* that node's incarnation then */
    bool due;              /* that node came (back) since: fail back once it may */
};

/*
 * The leader's failback for group g (its preferred owners pref) at local hour: the node to move
 * it to, or 0. A failback becomes due when, while the leader watches, the group's most
 * preferred node that may host it becomes a more preferred one, or the same one returns (its
 * incarnation grew); it is done once, when
 * the group is settled Online elsewhere, AutoFailbackType is 1 and the window is open — and
 * dropped when the group is already there or failback is off. Updates *memo.
 */
uint64_t rgm_failback_decide(struct rgm_failback_memo *memo, const struct rgm_members *m,
                             const struct cdb_group *g, const uint64_t *pref, size_t n_pref,
                             const struct rgm_failback_policy *p, unsigned hour);

/* ------------------------------------------------------------------------------------------ */
/* Resource requests (leader)                                                                  */
/* ------------------------------------------------------------------------------------------ */

/*
 * The resources that come with name over deps: with providers, name and every provider it
 * depends on, transitively (what an online needs); else name and every resource that depends on
 * it, transitively (what an offline takes down). Fills out, which has room for n_deps + 1
 * names, with them (name first, each once, compared without case; pointers into deps or to
 * name) and returns how many.
 */
size_t rgm_closure(const struct rgm_dependency *deps, size_t n_deps, const char *name,
                   bool providers, const char **out);
/*
 * OnlineClusterResource: the node its resources come online on (m->barred: the exclusions of
 * those resources). A running group's owner if it may host them, else 0 (refused); an offline
 * group keeps its owner if that may host them, else goes where rgm_choose_owner() says.
 */
uint64_t rgm_resource_host(const struct rgm_members *m, const struct cdb_group *g,
                           const uint64_t *pref, size_t n_pref);
/*
 * OfflineClusterResource, for r (the resource asked or one depending on it): the state to
 * commit and *ret_owner. OfflinePending on its owner when that is Up; Offline at once (owner 0)
 * when it has none or it is not Up, or when r is Failed (nothing runs). False when r is
 * Offline already (nothing to commit).
 */
bool rgm_offline_state(const struct rgm_members *m, const struct cdb_resource *r,
                       int32_t *ret_state, uint64_t *ret_owner);

#endif
