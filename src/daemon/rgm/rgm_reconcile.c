/*
 * rgm_reconcile — after every apply, each node brings what runs here in line with the database:
 * resources given to this node are brought online (providers before the resources that depend on
 * them), resources it no longer owns are taken offline or released to their new owner, and the
 * owner of a group records the group's state once its resources settle.
 *
 * What to do is decided by rgm_policy.c from a view of the database and of this node's records,
 * taken once per pass; this file reads that view and carries the decisions out.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"
#include "daemon/base/log.h"
#include "daemon/consensus/consensus.h"
#include "daemon/rgm/rgm_internal.h"
#include "daemon/rgm/rgm_policy.h"

/* One pass's view (rgm_policy.h) and the memory behind it. */
struct pass {
    struct rgm_view v;
    struct cdb_node *nodes;
    struct cdb_resource *resources;
    struct rgm_deps deps;
    struct rgm_held *held;
    char (*held_names)[CDB_NAME_MAX + 1]; /* copies: a record may go during the pass */
};

static void pass_done(struct pass *p)
{
    rgm_deps_done(&p->deps);
    free(p->held);
    free(p->held_names);
    free(p->resources);
    free(p->nodes);
}

void rgm_deps_done(struct rgm_deps *d)
{
    for (size_t i = 0; d->blocks != NULL && i < d->n_blocks; i++)
        free(d->blocks[i]);
    free(d->blocks);
    free(d->deps);
    memset(d, 0, sizeof(*d));
}

int rgm_deps_read(struct rgm *m, const struct cdb_resource *res, size_t n, struct rgm_deps *d)
{
    size_t cap = 0;

    memset(d, 0, sizeof(*d));
    d->blocks = calloc(n + 1, sizeof(*d->blocks));
    if (d->blocks == NULL)
        return -ENOMEM;
    d->n_blocks = n;
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;

        if (cdb_dependency_clauses(m->host->db, res[i].name, &d->blocks[i], &k) < 0)
            return -ENOMEM;
        if (d->n + k > cap) {
            struct rgm_dependency *more;

            cap = 2 * (d->n + k);
            more = realloc(d->deps, cap * sizeof(*more));
            if (more == NULL)
                return -ENOMEM;
            d->deps = more;
        }
        for (size_t j = 0; j < k; j++)
            d->deps[d->n++] = (struct rgm_dependency){.dependent = res[i].name,
                                                      .provider = d->blocks[i][j].provider,
                                                      .clause = d->blocks[i][j].clause};
    }
    return 0;
}

/* This node's records as the policy reads them. */
static int pass_held(struct rgm *m, struct pass *p)
{
    size_t n = 0, i = 0;

    for (struct rgm_local *l = m->local; l != NULL; l = l->next)
        n++;
    p->held = calloc(n + 1, sizeof(*p->held));
    p->held_names = calloc(n + 1, sizeof(*p->held_names));
    if (p->held == NULL || p->held_names == NULL)
        return -ENOMEM;
    for (struct rgm_local *l = m->local; l != NULL; l = l->next, i++) {
        memcpy(p->held_names[i], l->name, sizeof(p->held_names[i]));
        p->held[i] = (struct rgm_held){.name = p->held_names[i], .online = l->online,
                                       .busy = l->busy, .reporting = l->reporting,
                                       .driver_state = l->res.priv != NULL,
                                       .last_rv = l->last_rv, .handoff_from = l->handoff_from,
                                       .not_before = l->not_before, .retry_at = l->retry_at};
    }
    p->v.held = p->held;
    p->v.n_held = n;
    return 0;
}

static int pass_begin(struct rgm *m, struct pass *p)
{
    size_t n_nodes = 0, n_res = 0;

    memset(p, 0, sizeof(*p));
    if (cdb_nodes(m->host->db, &p->nodes, &n_nodes) < 0 ||
        cdb_resources(m->host->db, NULL, &p->resources, &n_res) < 0)
        return -ENOMEM;
    p->v.members = (struct rgm_members){.self = m->host->node_id, .nodes = p->nodes,
                                        .n_nodes = n_nodes};
    p->v.resources = p->resources;
    p->v.n_resources = n_res;
    p->v.may_start = m->may_start(m->may_start_arg);
    p->v.now = m->host->now(m->host);
    if (rgm_deps_read(m, p->resources, n_res, &p->deps) < 0 || pass_held(m, p) < 0)
        return -ENOMEM;
    p->v.deps = p->deps.deps;
    p->v.n_deps = p->deps.n;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Resources                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/* This node has let go of a resource it was handing over: the new owner may start it. */
static void release(struct rgm *m, struct rgm_local *l)
{
    struct wire_writer w;

    wire_writer_init(&w);
    cdb_cmd_release_resource(&w, l->name, m->host->node_id);
    rgm_submit_report(m, l, &w);
}

static void start(struct rgm *m, const struct cdb_resource *r, bool handed_over)
{
    struct rgm_local *l = rgm_local_get(m, r);

    if (l == NULL) {
        LOGE("rgm", "no driver for %s (type %s)", r->name, r->type);
        return;
    }
    /* Handed over by a member that is still Up: it let go of the resource a moment ago, so
     * there is nothing to probe for. After a failover (the holder fenced, released on its
     * behalf) the driver checks as always. */
    l->res.handed_over = handed_over;
    l->handoff_from = 0;
    l->not_before = 0;
    if (rgm_local_policy(m, l) < 0) /* its properties may have changed since it last ran */
        LOGW("rgm", "%s: cannot read its policy: Windows' defaults apply", r->name);
    rgm_driver_call(m, l, true, true);
}

/* Carries out what the policy decided for r; l is this node's record of it, if any. */
static void reconcile_resource(struct rgm *m, const struct pass *p,
                               const struct cdb_resource *r)
{
    struct rgm_local *l = rgm_local_find(m, r->name);
    enum rgm_step step = rgm_reconcile_step(&p->v, r);

    switch (step) {
    case RGM_STEP_AWAIT_HANDOFF: /* its previous holder has not let go yet */
        l = l != NULL ? l : rgm_local_get(m, r);
        if (l != NULL)
            l->handoff_from = r->handoff;
        break;
    case RGM_STEP_AWAIT_LEASE:
        LOGD("rgm", "%s waits: this node holds no quorum lease", r->name);
        break;
    case RGM_STEP_START:
    case RGM_STEP_START_HANDED_OVER:
        start(m, r, step == RGM_STEP_START_HANDED_OVER);
        break;
    case RGM_STEP_REPORT_ONLINE: /* handed back to the node that still held it */
        assert(l != NULL);
        rgm_report_state(m, l, ClusterResourceOnline);
        break;
    case RGM_STEP_STEP_DOWN: /* a provider went down under it */
        assert(l != NULL);
        LOGW("rgm", "%s: a provider went down; it stops until the provider is back", r->name);
        rgm_driver_step_down(m, l);
        break;
    case RGM_STEP_STOP_REPORT:
    case RGM_STEP_STOP_QUIET: /* stopped, or moved away: stop it here */
        assert(l != NULL);
        rgm_driver_call(m, l, false, step == RGM_STEP_STOP_REPORT);
        break;
    case RGM_STEP_REPORT_OFFLINE: /* nothing runs here: record it offline straight away */
        l = l != NULL ? l : rgm_local_get(m, r);
        if (l != NULL) {
            l->retry_at = 0; /* offline on request: a failed one is not retried */
            rgm_report_state(m, l, ClusterResourceOffline);
        }
        break;
    case RGM_STEP_RELEASE:
        l = l != NULL ? l : rgm_local_get(m, r);
        if (l != NULL)
            release(m, l);
        break;
    case RGM_STEP_FORGET: /* a handover this node waited for went elsewhere */
        assert(l != NULL);
        rgm_local_free(m, l);
        break;
    case RGM_STEP_AWAIT_DELAY: /* a pass when it ends, not at the next periodic one */
        assert(l != NULL);
        m->host->kick_at(m->host, l->not_before);
        break;
    case RGM_STEP_NONE:
    case RGM_STEP_IN_FLIGHT:
    case RGM_STEP_AWAIT_PROVIDERS:
    case RGM_STEP_AWAIT_REQUEST:
    case RGM_STEP_AWAIT_DEPENDENTS:
        break;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Groups                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static void group_reported(void *arg, int rv, uint32_t status, const char *errmsg)
{
    struct rgm *m = arg;

    (void)status;
    if (rv < 0)
        LOGW("rgm", "cannot record a group state: %s", errmsg ? errmsg : "");
    m->host->kick(m->host);
}

/* keeps[i]: a failure of res[i] leaves its group where it is (RestartAction 0 or 1). Only a
 * Failed resource's is read. */
static void keeps_group(struct rgm *m, const struct cdb_resource *res, size_t n, bool *keeps)
{
    for (size_t i = 0; i < n; i++) {
        struct rgm_res_policy policy;
        struct cdb_prop *props;
        size_t n_props;

        keeps[i] = false;
        if (res[i].state != ClusterResourceFailed ||
            cdb_resource_common(m->host->db, res[i].name, &props, &n_props) < 0)
            continue;
        rgm_res_policy_read(props, n_props, NULL, 0, &policy);
        keeps[i] = !rgm_failure_fails_group(&policy);
        free(props);
    }
}

/* The owner records its group's state once its resources settle (a pending group), or once a
 * resource of a running group has failed for good (so that the group manager moves it, unless
 * its RestartAction keeps it) or came back on a retry. */
static void reconcile_group(struct rgm *m, const struct cdb_group *g)
{
    struct cdb_resource *res;
    struct wire_writer w;
    size_t n;
    int32_t state;
    bool report, *keeps;

    if (g->owner != m->host->node_id || cdb_resources(m->host->db, g->name, &res, &n) < 0)
        return;
    keeps = calloc(n + 1, sizeof(*keeps));
    if (keeps == NULL) {
        free(res);
        return;
    }
    keeps_group(m, res, n, keeps);
    report = rgm_group_report(g, m->host->node_id, res, n, keeps, &state);
    free(keeps);
    free(res);
    if (!report)
        return;
    wire_writer_init(&w);
    cdb_cmd_set_group_state(&w, g->name, state, g->owner); /* an offline group keeps its node */
    cdb_cmd_expect_owner(&w, g->owner);
    host_submit_writer(m->host, &w, group_reported, m);
}

/* FailClusterResource: the database's fail count of r rose since this node last looked. A
 * resource running here then fails as if its check had (true: a call now runs for it);
 * otherwise the request is spent. */
static bool check_fail_request(struct rgm *m, const struct cdb_resource *r)
{
    struct rgm_local *l = rgm_local_find(m, r->name);
    uint64_t count;

    if (l == NULL || r->owner != m->host->node_id || l->busy || l->reporting ||
        cdb_resource_fail_count(m->host->db, r->name, &count) < 0 || count <= l->fail_count)
        return false;
    l->fail_count = count;
    if (!l->online)
        return false;
    LOGW("rgm", "%s: failed on request", r->name);
    rgm_driver_fail(m, l);
    return true;
}

void rgm_reconcile(struct rgm *m)
{
    struct cdb_group *groups;
    struct pass p;
    size_t n;

    if (m->host->db == NULL || m->host->consensus == NULL)
        return;
    /* A node that restarts holds the database as it was: acting on it could start what the
     * cluster moved elsewhere meanwhile. Resources wait until this node has caught up. */
    if (!consensus_caught_up(m->host->consensus))
        return;
    if (pass_begin(m, &p) == 0) {
        /* A failure on request makes the record busy: the view no longer says so. */
        for (size_t i = 0; i < p.v.n_resources; i++)
            if (!check_fail_request(m, &p.resources[i]))
                reconcile_resource(m, &p, &p.resources[i]);
        /* Resources held here that the database no longer has. */
        for (size_t i = 0; i < p.v.n_held; i++) {
            struct rgm_local *l = rgm_local_find(m, p.held[i].name);

            if (l != NULL && rgm_held_orphaned(&p.v, &p.held[i]))
                rgm_driver_call(m, l, false, false);
        }
    }
    pass_done(&p);
    if (cdb_groups(m->host->db, &groups, &n) == 0) {
        for (size_t i = 0; i < n; i++)
            reconcile_group(m, &groups[i]);
        rgm_failback(m, groups, n);
        free(groups);
    }
}
