/*
 * rgm — the resource group manager: where groups run (the leader places them and moves them on
 * request) and what runs here (every node brings online the resources the database gives it and
 * takes offline what it no longer owns, reporting each outcome back through the leader).
 *
 * It reaches the rest of the service only through its host (base/host.h) and a gate that says
 * whether this node may start resources (health's quorum lease). Everything here runs on the
 * loop thread; driver calls block, so they run on worker threads, one at a time per resource.
 */
#ifndef CLUSSVC_RGM_H
#define CLUSSVC_RGM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/base/host.h"
#include "daemon/cdb/cdb.h"
#include "daemon/rgm/rgm_policy.h"

struct rgm_local; /* a resource this node has taken in hand (rgm_internal.h) */

/* The leader's failback memory: up to RGM_FAILBACK_GROUPS groups (more are not failed back). */
#define RGM_FAILBACK_GROUPS 64
struct rgm_failback_slot {
    char group[CDB_NAME_MAX + 1]; /* "" for a free slot */
    struct rgm_failback_memo memo;
};

struct rgm {
    struct host *host;
    /* May this node bring resources online now (it holds a confirmed quorum lease)? */
    bool (*may_start)(void *arg);
    void *may_start_arg;
    struct rgm_local *local;   /* the resources this node holds or is starting or stopping */
    /* A terminate waiting for busy drivers: every local record goes, then this runs. */
    void (*terminate_cb)(void *arg);
    void *terminate_arg;
    size_t terminations;       /* terminates whose records are being taken down on a worker */
    size_t drain_pending;      /* handovers of a stopping node not yet committed */
    const char *drain_why;     /* what the last rgm_drain was for, for the log */
    bool drain_failed;         /* one could not be */
    struct rgm_failback_slot failbacks[RGM_FAILBACK_GROUPS]; /* while this node leads */
};

void rgm_init(struct rgm *m, struct host *host, bool (*may_start)(void *arg), void *arg);

/* Brings what runs here in line with the database: starts, stops, releases and reports local
 * resources, and records the state of groups this node owns. Runs after every apply. */
void rgm_reconcile(struct rgm *m);
/* Runs the due health checks (looks-alive) of resources online here; called each tick. */
void rgm_monitor(struct rgm *m);

/* Places a group and asks its owner to bring it online (leader only). Win32 status:
 * ERROR_IO_PENDING when committing. */
uint32_t rgm_group_online(struct rgm *m, const char *group, uint64_t node_id, char *errmsg,
                          size_t n);
/*
 * MoveClusterGroup, on the leader: the group goes to *node_id (0: the best other node, then
 * set to it) in one commit; resources that were active are handed over (the new owner starts
 * each once the old one has let go of it). *state is the group state to wait for with that
 * owner: Online, or Offline for a group that was offline (only its owner changes). 0 when it
 * is already there, ERROR_IO_PENDING when committing, else an error.
 */
uint32_t rgm_group_move(struct rgm *m, const char *group, uint64_t *node_id, int32_t *state,
                        char *errmsg, size_t n);
/* Moves a group whose owner is gone or fenced to another node (leader only); with gone (the
 * fenced owner as the caller saw it), the move is refused should that node have come back with
 * a new lease meanwhile. ERROR_IO_PENDING when the move was submitted: done runs once it is
 * committed or refused. */
uint32_t rgm_fail_over(struct rgm *m, const char *group, uint64_t old_owner,
                       const struct cdb_node *gone, host_commit_cb done, void *arg, char *errmsg,
                       size_t n);
/* Asks the owner to take a group offline (leader only); force records it offline at once when
 * the owner is gone. Win32 status (ERROR_IO_PENDING while it happens). */
uint32_t rgm_group_offline(struct rgm *m, const char *group, bool force, char *errmsg, size_t n);
/* Deletes an offline group (leader only), with its resources only if with_resources (else a
 * group with resources is refused: ERROR_DIR_NOT_EMPTY). ERROR_IO_PENDING when committing: done
 * runs with the outcome; any other status is the failure, and done is not called. */
uint32_t rgm_group_delete(struct rgm *m, const char *group, bool with_resources,
                          host_commit_cb done, void *arg, char *errmsg, size_t n);

/*
 * OnlineClusterResource, on the leader: the resource and every provider it depends on,
 * transitively, come online on its group's owner; an offline group is placed first (on a node
 * that may own all of them), with only those resources pending. 0 when it is online already,
 * ERROR_IO_PENDING when committing (done runs once the commit is applied or refused), else an
 * error (said in errmsg; done is not called).
 */
uint32_t rgm_resource_online(struct rgm *m, const char *name, host_commit_cb done, void *arg,
                             char *errmsg, size_t n);
/*
 * OfflineClusterResource, on the leader: the resource and every resource depending on it,
 * transitively, go offline (dependents first, on the owner); the group then settles Partial
 * Online or Offline. A failed one is recorded Offline at once, as is everything when the
 * group's owner is not Up. 0 when it is offline already, ERROR_IO_PENDING when committing
 * (done as for rgm_resource_online).
 */
uint32_t rgm_resource_offline(struct rgm *m, const char *name, host_commit_cb done, void *arg,
                              char *errmsg, size_t n);
/* The FailoverThreshold / FailoverPeriod of group in a cluster of n_nodes members (its
 * properties, else Windows' defaults): rgm_failover_limits(). */
void rgm_group_failover_limits(struct rgm *m, const char *group, size_t n_nodes,
                               unsigned *ret_threshold, uint64_t *ret_period_ms);

/* Shutdown, or a storage fault: hands every group this node owns over to the best other node;
 * returns how many handovers are being committed (m->drain_pending counts them down). why
 * (a static string: "stopping") heads the log lines. */
size_t rgm_drain(struct rgm *m, const char *why);
/* True once nothing runs here and nothing is being started, stopped or reported. */
bool rgm_holds_nothing(const struct rgm *m);
/* True while a terminate is under way (waiting for busy drivers, or on its worker). */
bool rgm_terminating(const struct rgm *m);
/* True once nothing runs here and nothing is being started or stopped (reports to the database
 * may still be on their way): what a node without a lease may say of itself. */
bool rgm_runs_nothing(const struct rgm *m);
/* True when this node keeps no record of any resource, not even one being reported. */
bool rgm_empty(const struct rgm *m);
/* The resource host removed every held address (the lease ran out): the local records no longer
 * hold anything; resources come online again once the lease is back. */
void rgm_lost_all(struct rgm *m);
/* Takes every local resource offline at once (lease lost, wipe, shutdown); cb when done. */
void rgm_terminate_all(struct rgm *m, void (*cb)(void *arg), void *arg);

#endif
