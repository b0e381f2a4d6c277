/*
 * rgm_reconcile — after every apply, each node brings what runs here in line with the database:
 * resources given to this node are brought online (providers before the resources that depend on
 * them), resources it no longer owns are taken offline or released to their new owner, and the
 * owner of a group records the group's state once its resources settle.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"
#include "daemon/base/log.h"
#include "daemon/rgm/rgm_internal.h"

#include "daemon/consensus/consensus.h"
/* ------------------------------------------------------------------------------------------ */
/* Reconcile                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/* A resource may start once one of its providers (alternatives, OR) is online, or it has none.
 * A provider this node has just brought online counts before the database records it. */
static bool providers_ready(struct rgm *m, const char *name)
{
    char **providers;
    size_t n;
    bool ready;

    if (cdb_dependencies(m->host->db, name, &providers, &n) < 0)
        return false;
    ready = n == 0;
    for (size_t i = 0; i < n; i++) {
        struct rgm_local *l = rgm_local_find(m, providers[i]);
        struct cdb_resource p;

        if (!ready && ((l != NULL && l->online && !l->busy) ||
                       (cdb_resource_by_name(m->host->db, providers[i], &p) == 0 &&
                        p.state == ClusterResourceOnline)))
            ready = true;
    }
    free(providers);
    return ready;
}

/* A resource may stop once every resource depending on it is offline (or failed). */
static bool dependents_offline(struct rgm *m, const struct cdb_resource *all, size_t n,
                               const char *name)
{
    for (size_t i = 0; i < n; i++) {
        char **providers;
        size_t k;
        bool depends = false;

        if (all[i].state == ClusterResourceOffline || all[i].state == ClusterResourceFailed)
            continue;
        if (cdb_dependencies(m->host->db, all[i].name, &providers, &k) < 0)
            return false;
        for (size_t j = 0; j < k; j++)
            depends |= strcasecmp(providers[j], name) == 0;
        free(providers);
        if (depends)
            return false;
    }
    return true;
}

static void bring_online(struct rgm *m, const struct cdb_resource *r, struct rgm_local *l)
{
    if (r->handoff != 0) { /* its previous holder has not let go yet */
        l = l != NULL ? l : rgm_local_get(m, r);
        if (l != NULL)
            l->handoff_from = r->handoff;
        return;
    }
    if (!m->may_start(m->may_start_arg)) {
        LOGD("rgm", "%s waits: this node holds no quorum lease", r->name);
        return; /* without a quorum lease nothing comes online here */
    }
    if (r->state == ClusterResourceOnlinePending && !providers_ready(m, r->name))
        return;
    if (l != NULL && l->last_rv < 0 && r->state != ClusterResourceOnlinePending)
        return; /* failed and reported: wait for a new request */
    l = rgm_local_get(m, r);
    if (l == NULL) {
        LOGE("rgm", "no driver for %s (type %s)", r->name, r->type);
        return;
    }
    /* Handed over by a member that is still Up: it let go of the resource a moment ago, so
     * there is nothing to probe for. After a failover (the holder fenced, released on its
     * behalf) the driver checks as always. */
    l->res.handed_over = l->handoff_from != 0 && rgm_node_is_up(m, l->handoff_from);
    l->handoff_from = 0;
    rgm_driver_call(m, l, true, true);
}

static void take_offline(struct rgm *m, const struct cdb_resource *all, size_t n,
                         const struct cdb_resource *r, struct rgm_local *l)
{
    if (!dependents_offline(m, all, n, r->name))
        return;
    /* Also when the lease took it down: the driver still holds its state (res.priv), which
     * only its offline frees, and the record is freed once the state is recorded. */
    if (l != NULL && (l->online || l->res.priv != NULL)) {
        rgm_driver_call(m, l, false, true);
        return;
    }
    /* Nothing runs here: record it offline straight away. */
    l = l != NULL ? l : rgm_local_get(m, r);
    if (l != NULL && !l->reporting)
        rgm_report_state(m, l, ClusterResourceOffline);
}

/* This node has let go of a resource it was handing over: the new owner may start it. */
static void release(struct rgm *m, const struct cdb_resource *r, struct rgm_local *l)
{
    struct wire_writer w;

    l = l != NULL ? l : rgm_local_get(m, r);
    if (l == NULL)
        return;
    wire_writer_init(&w);
    cdb_cmd_release_resource(&w, r->name, m->host->node_id);
    rgm_submit_report(m, l, &w);
}

static void reconcile_resource(struct rgm *m, const struct cdb_resource *all, size_t n,
                               const struct cdb_resource *r)
{
    bool mine = r->owner == m->host->node_id;
    bool handing = r->handoff == m->host->node_id && !mine;
    struct rgm_local *l = rgm_local_find(m, r->name);
    bool here = l != NULL && l->online;

    if (l != NULL && (l->busy || l->reporting))
        return;
    if (mine && !here &&
        (r->state == ClusterResourceOnlinePending || r->state == ClusterResourceOnline))
        bring_online(m, r, l);
    else if (mine && r->state == ClusterResourceOnlinePending && here)
        rgm_report_state(m, l, ClusterResourceOnline); /* handed back to the node that still held it */
    else if (mine && r->state == ClusterResourceOfflinePending)
        take_offline(m, all, n, r, l);
    else if (here && (!mine || r->state == ClusterResourceOffline ||
                      r->state == ClusterResourceFailed))
        rgm_driver_call(m, l, false, mine); /* moved away or stopped: stop it here */
    else if (handing)
        release(m, r, l);
    else if (l != NULL && !mine)
        rgm_local_free(m, l); /* a handover this node waited for went elsewhere */
}

/* The group's state as its resources make it. */
static int32_t derive_group_state(const struct cdb_resource *res, size_t n)
{
    size_t online = 0, offline = 0, failed = 0;

    for (size_t i = 0; i < n; i++) {
        online += res[i].state == ClusterResourceOnline;
        offline += res[i].state == ClusterResourceOffline;
        failed += res[i].state == ClusterResourceFailed;
    }
    if (failed > 0)
        return ClusterGroupFailed;
    if (online == n)
        return ClusterGroupOnline;
    if (offline == n)
        return ClusterGroupOffline;
    if (online + offline == n)
        return ClusterGroupPartialOnline;
    return ClusterGroupPending;
}

static void group_reported(void *arg, int rv, uint32_t status, const char *errmsg)
{
    struct rgm *m = arg;

    (void)status;
    if (rv < 0)
        LOGW("rgm", "cannot record a group state: %s", errmsg ? errmsg : "");
    m->host->kick(m->host);
}

/* The owner records its group's state once its resources settle (a pending group), or once a
 * resource of an online group has failed for good, so that the group manager moves it. */
static void reconcile_group(struct rgm *m, const struct cdb_group *g)
{
    struct cdb_resource *res;
    struct wire_writer w;
    size_t n;
    int32_t state;

    if (g->owner != m->host->node_id ||
        (g->state != ClusterGroupPending && g->state != ClusterGroupOnline))
        return;
    if (cdb_resources(m->host->db, g->name, &res, &n) < 0)
        return;
    state = derive_group_state(res, n);
    free(res);
    if (state == ClusterGroupPending ||
        (g->state == ClusterGroupOnline && state != ClusterGroupFailed))
        return;
    wire_writer_init(&w);
    cdb_cmd_set_group_state(&w, g->name, state, g->owner); /* an offline group keeps its node */
    cdb_cmd_expect_owner(&w, g->owner);
    host_submit_writer(m->host, &w, group_reported, m);
}

void rgm_reconcile(struct rgm *m)
{
    struct cdb_resource *res;
    struct cdb_group *groups;
    size_t n;

    if (m->host->db == NULL || m->host->consensus == NULL)
        return;
    /* A node that restarts holds the database as it was: acting on it could start what the
     * cluster moved elsewhere meanwhile. Resources wait until this node has caught up. */
    if (!consensus_caught_up(m->host->consensus))
        return;
    if (cdb_resources(m->host->db, NULL, &res, &n) == 0) {
        for (size_t i = 0; i < n; i++)
            reconcile_resource(m, res, n, &res[i]);
        free(res);
    }
    /* Resources held here that the database no longer has. */
    for (struct rgm_local *l = m->local; l != NULL; l = l->next) {
        struct cdb_resource r;

        if (!l->busy && l->online && cdb_resource_by_name(m->host->db, l->name, &r) == -ENOENT)
            rgm_driver_call(m, l, false, false);
    }
    if (cdb_groups(m->host->db, &groups, &n) == 0) {
        for (size_t i = 0; i < n; i++)
            reconcile_group(m, &groups[i]);
        free(groups);
    }
}

