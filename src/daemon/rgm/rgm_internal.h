/*
 * rgm_internal — what the group manager's files share (rgm_local.c: the resources this node holds
 * and the driver calls on them; rgm_reconcile.c: what to do with each after an apply;
 * rgm_place.c: the leader's placement and group operations). Not for other subsystems.
 */
#ifndef CLUSSVC_RGM_INTERNAL_H
#define CLUSSVC_RGM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

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
    bool online;    /* the driver brought it online here */
    bool busy;      /* a driver call is running */
    bool reporting; /* a state report is being committed */
    bool reported;  /* the database knows the outcome of the last call */
    int last_rv;
    uint64_t handoff_from;  /* the member this node waits for to let go of it, 0 for none */
    uint64_t next_check;    /* when looks-alive runs next */
    struct rgm_restarts restarts; /* failed checks within the restart period */
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
/* Commits state as what this node says of l (conditional on still owning it). */
void rgm_report_state(struct rgm *m, struct rgm_local *l, int32_t state);
/* Commits the report built in w (taken from it) for l; one report per record at a time. */
void rgm_submit_report(struct rgm *m, struct rgm_local *l, struct wire_writer *w);

#endif
