/*
 * rgm_internal — what the group manager's files share (rgm_local.c: the resources this node holds
 * and the driver calls on them; rgm_reconcile.c: what to do with each after an apply;
 * rgm_place.c: the leader's placement and group operations). Not for other subsystems.
 */
#ifndef CLUSSVC_RGM_INTERNAL_H
#define CLUSSVC_RGM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <uv.h>

#include "common/wire.h"
#include "daemon/rgm/rgm.h"
#include "daemon/rgm/rgm_policy.h"
#include "daemon/rm/rm.h"

/* A resource this node has taken in hand. */
struct rgm_local {
    char name[CDB_NAME_MAX + 1];
    char type[CDB_NAME_MAX + 1];       /* its resource type's name */
    char driver_arg[CDB_NAME_MAX + 1]; /* the type's driver string */
    const struct rm_driver *driver;
    struct rm_resource res;
    struct rm_prop *props;
    size_t n_props;
    char *prop_block;
    struct rgm_res_policy policy; /* its common properties, read at each start */
    /* What its driver says of its type, got on a worker thread by the first call (it may run
     * an agent's meta-data); NULL when it says nothing. */
    struct rm_type_info *type_info;
    bool type_info_tried;
    bool validated; /* validate passed here: not asked again for this record */
    bool online;    /* the driver brought it online here */
    bool busy;      /* a driver call is running */
    bool reporting; /* a state report is being committed */
    bool reported;  /* the database knows the outcome of the last call */
    int last_rv;
    uint64_t handoff_from;  /* the member this node waits for to let go of it, 0 for none */
    uint64_t next_looks;    /* when looks-alive runs next */
    uint64_t next_is;       /* when is-alive runs next */
    uint64_t not_before;    /* a restart waits until then (RestartDelay), 0 for none */
    uint64_t retry_at;      /* reported Failed: tried again then, 0 for never */
    uint64_t fail_count;    /* the database's fail count as last seen (FailClusterResource) */
    struct rgm_restarts restarts; /* failures within the restart period */
    /* The driver's watch descriptor while online (uv_poll), NULL when none is watched. Closed
     * before every other driver call, since the call may close the descriptor. */
    uv_poll_t *watch;
    bool watch_quiet; /* a check the watch woke found it alive: re-armed after the next poll */
    struct rgm_local *next;
};

/* The record of a resource this node holds, or NULL. */
struct rgm_local *rgm_local_find(struct rgm *m, const char *name);
/* The record of r, made (with its driver and properties) if there is none; NULL without a
 * driver for its type or memory. */
struct rgm_local *rgm_local_get(struct rgm *m, const struct cdb_resource *r);
/* Forgets a record that is listed and idle. */
void rgm_local_free(struct rgm *m, struct rgm_local *l);
/* Runs online or offline for l on a worker thread; with report, its outcome is committed as the
 * resource's state (this node owns it). */
void rgm_driver_call(struct rgm *m, struct rgm_local *l, bool online, bool report);
/* A provider of l (online here and idle) went down: l goes offline on a worker thread and its
 * record stays, so it starts again once its providers are back. Nothing is recorded. */
void rgm_driver_step_down(struct rgm *m, struct rgm_local *l);
/* FailClusterResource for l, running here: terminated on a worker thread, then treated as a
 * failed check (its restart policy decides). */
void rgm_driver_fail(struct rgm *m, struct rgm_local *l);
/* Reads l's policy (its common properties and its type's) from the database; 0 or negative
 * errno (the policy is then the defaults). */
int rgm_local_policy(struct rgm *m, struct rgm_local *l);
/* Commits state as what this node says of l (conditional on still owning it). */
void rgm_report_state(struct rgm *m, struct rgm_local *l, int32_t state);
/* Commits the report built in w (taken from it) for l; one report per record at a time. */
void rgm_submit_report(struct rgm *m, struct rgm_local *l, struct wire_writer *w);

/* The dependencies of some resources as the policy reads them, and the memory behind them. */
struct rgm_deps {
    struct rgm_dependency *deps; /* names point into the resources read and into blocks */
    size_t n;
    struct cdb_dependency **blocks; /* cdb_dependency_clauses() results, one per resource */
    size_t n_blocks;
};

/* Every (dependent, provider, clause) of res[0..n) (which must outlive d); 0 or -ENOMEM. d
 * needs rgm_deps_done whatever it returns. */
int rgm_deps_read(struct rgm *m, const struct cdb_resource *res, size_t n, struct rgm_deps *d);
void rgm_deps_done(struct rgm_deps *d);

/* What a placement decision reads (rgm_policy.h): the members, the group, its preferred owners
 * and the nodes barred from it. */
struct rgm_placement {
    struct rgm_members members;
    struct cdb_group group;
    struct cdb_node *nodes;
    uint64_t *pref;
    size_t n_pref;
    uint64_t *barred;
};

/* Reads what deciding about group takes; 0, ERROR_GROUP_NOT_FOUND (said in errmsg) or
 * ERROR_NOT_ENOUGH_MEMORY. p needs rgm_placement_done whatever it returns. */
uint32_t rgm_placement_read(struct rgm *m, const char *group, struct rgm_placement *p,
                            char *errmsg, size_t n);
/* Bars from p the nodes that may not own one of names[0..n) (cdb_excluded); 0 or -ENOMEM. */
int rgm_placement_bar(struct rgm *m, struct rgm_placement *p, const char *const *names,
                      size_t n);
void rgm_placement_done(struct rgm_placement *p);
/* Leader: moves groups back to their preferred node when their policy asks (once per return);
 * forgets what it watched when this node does not lead. groups[0..n) as cdb_groups gives. */
void rgm_failback(struct rgm *m, const struct cdb_group *groups, size_t n);

#endif
