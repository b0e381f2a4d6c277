/*
 * rgm_policy — the group manager's decisions over plain data (rgm_policy.h). rgm_place.c and
 * rgm_reconcile.c read the database and the local records, ask here, and do what they are told.
 */
#include <assert.h>
#include <strings.h>

#include <clusapi.h>

#include "daemon/rgm/rgm_policy.h"

/* ------------------------------------------------------------------------------------------ */
/* Views                                                                                       */
/* ------------------------------------------------------------------------------------------ */

static void members_check(const struct rgm_members *m)
{
    assert(m != NULL);
    assert(m->n_nodes == 0 || m->nodes != NULL);
}

static void view_check(const struct rgm_view *v)
{
    assert(v != NULL);
    members_check(&v->members);
    assert(v->n_resources == 0 || v->resources != NULL);
    assert(v->n_deps == 0 || v->deps != NULL);
    assert(v->n_held == 0 || v->held != NULL);
}

bool rgm_node_is_up(const struct rgm_members *m, uint64_t id)
{
    members_check(m);
    for (size_t i = 0; i < m->n_nodes; i++)
        if (m->nodes[i].id == id)
            return m->nodes[i].state == ClusterNodeUp;
    return false;
}

const struct rgm_held *rgm_held_find(const struct rgm_view *v, const char *name)
{
    view_check(v);
    assert(name != NULL);
    for (size_t i = 0; i < v->n_held; i++)
        if (strcasecmp(v->held[i].name, name) == 0)
            return &v->held[i];
    return NULL;
}

static const struct cdb_resource *resource_find(const struct rgm_view *v, const char *name)
{
    for (size_t i = 0; i < v->n_resources; i++)
        if (strcasecmp(v->resources[i].name, name) == 0)
            return &v->resources[i];
    return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Placement                                                                                   */
/* ------------------------------------------------------------------------------------------ */

uint64_t rgm_choose_owner(const struct rgm_members *m, const uint64_t *pref, size_t n_pref,
                          uint64_t exclude)
{
    members_check(m);
    assert(n_pref == 0 || pref != NULL);
    for (size_t i = 0; i < n_pref; i++)
        if (pref[i] != exclude && rgm_node_is_up(m, pref[i]))
            return pref[i];
    for (size_t i = 0; i < m->n_nodes; i++)
        if (m->nodes[i].state == ClusterNodeUp && m->nodes[i].id != exclude &&
            m->nodes[i].id != m->self)
            return m->nodes[i].id;
    if (m->self != exclude && rgm_node_is_up(m, m->self))
        return m->self;
    return 0;
}

static struct rgm_group_plan plan_refuse(uint32_t status)
{
    return (struct rgm_group_plan){.action = RGM_PLAN_REFUSE, .status = status};
}

static struct rgm_group_plan plan_commit(int32_t group_state, uint64_t owner,
                                         int32_t resource_state, unsigned flags)
{
    return (struct rgm_group_plan){.action = RGM_PLAN_COMMIT, .group_state = group_state,
                                   .owner = owner, .resource_state = resource_state,
                                   .flags = flags};
}

struct rgm_group_plan rgm_plan_online(const struct rgm_members *m, const struct cdb_group *g,
                                      const uint64_t *pref, size_t n_pref, uint64_t node_id)
{
    uint64_t owner;

    assert(g != NULL);
    if (g->state == ClusterGroupOnline)
        return (struct rgm_group_plan){.action = RGM_PLAN_NOTHING};
    if (node_id != 0)
        owner = node_id;
    else if (g->owner != 0 && rgm_node_is_up(m, g->owner))
        owner = g->owner;
    else
        owner = rgm_choose_owner(m, pref, n_pref, 0);
    if (owner == 0 || !rgm_node_is_up(m, owner))
        return plan_refuse(ERROR_HOST_NODE_NOT_AVAILABLE);
    return plan_commit(ClusterGroupPending, owner, ClusterResourceOnlinePending, 0);
}

struct rgm_group_plan rgm_plan_move(const struct rgm_members *m, const struct cdb_group *g,
                                    const uint64_t *pref, size_t n_pref, uint64_t node_id)
{
    uint64_t target;
    struct rgm_group_plan p;
    bool offline;

    assert(g != NULL);
    target = node_id != 0 ? node_id : rgm_choose_owner(m, pref, n_pref, g->owner);
    if (target == 0 || !rgm_node_is_up(m, target))
        return plan_refuse(ERROR_HOST_NODE_NOT_AVAILABLE);
    offline = g->state == ClusterGroupOffline;
    if (g->owner == target && (g->state == ClusterGroupOnline || offline))
        p = (struct rgm_group_plan){.action = RGM_PLAN_NOTHING, .owner = target};
    else if (offline)
        p = plan_commit(ClusterGroupOffline, target, ClusterResourceOffline, 0);
    else
        p = plan_commit(ClusterGroupPending, target, ClusterResourceOnlinePending,
                        RGM_ONLY_ACTIVE | RGM_HAND_OVER);
    p.wait_state = offline ? ClusterGroupOffline : ClusterGroupOnline;
    return p;
}

struct rgm_group_plan rgm_plan_fail_over(const struct rgm_members *m, uint64_t old_owner,
                                         const uint64_t *pref, size_t n_pref)
{
    uint64_t owner = rgm_choose_owner(m, pref, n_pref, old_owner);

    if (owner == 0)
        return plan_refuse(ERROR_HOST_NODE_NOT_AVAILABLE);
    return plan_commit(ClusterGroupPending, owner, ClusterResourceOnlinePending, 0);
}

struct rgm_group_plan rgm_plan_offline(const struct rgm_members *m, const struct cdb_group *g,
                                       size_t n_res, bool force)
{
    members_check(m);
    assert(g != NULL);
    if (g->state == ClusterGroupOffline)
        return (struct rgm_group_plan){.action = RGM_PLAN_NOTHING};
    /* Without its owner (or without resources) nothing has to run: record it offline now. */
    if (force || n_res == 0 || g->owner == 0 || !rgm_node_is_up(m, g->owner))
        return plan_commit(ClusterGroupOffline, 0, ClusterResourceOffline, 0);
    return plan_commit(ClusterGroupPending, g->owner, ClusterResourceOfflinePending,
                       RGM_ONLY_ACTIVE);
}

bool rgm_plan_resource(const struct rgm_group_plan *p, const struct cdb_resource *r,
                       uint64_t *ret_owner)
{
    assert(p != NULL && r != NULL && ret_owner != NULL);
    assert(p->action == RGM_PLAN_COMMIT);
    if ((p->flags & RGM_ONLY_ACTIVE) && r->state == ClusterResourceOffline)
        return false;
    *ret_owner = p->resource_state == ClusterResourceOffline ? 0 : p->owner;
    return true;
}

uint32_t rgm_delete_check(const struct cdb_group *g, size_t n_res, bool with_resources)
{
    assert(g != NULL);
    if (g->state != ClusterGroupOffline)
        return ERROR_INVALID_STATE;
    if (n_res > 0 && !with_resources)
        return ERROR_DIR_NOT_EMPTY;
    return 0;
}

uint64_t rgm_drain_target(const struct rgm_members *m, const struct cdb_group *g,
                          const uint64_t *pref, size_t n_pref)
{
    members_check(m);
    assert(g != NULL);
    if (g->owner != m->self || g->state == ClusterGroupOffline)
        return 0;
    return rgm_choose_owner(m, pref, n_pref, m->self);
}

/* ------------------------------------------------------------------------------------------ */
/* Group state                                                                                 */
/* ------------------------------------------------------------------------------------------ */

int32_t rgm_group_state(const struct cdb_resource *res, size_t n)
{
    size_t online = 0, offline = 0, failed = 0;

    assert(n == 0 || res != NULL);
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

bool rgm_group_report(const struct cdb_group *g, uint64_t self, const struct cdb_resource *res,
                      size_t n, int32_t *ret_state)
{
    int32_t state;

    assert(g != NULL && ret_state != NULL);
    assert(n == 0 || res != NULL);
    for (size_t i = 0; i < n; i++)
        assert(res[i].group_id == g->id);
    if (g->owner != self || (g->state != ClusterGroupPending && g->state != ClusterGroupOnline))
        return false;
    state = rgm_group_state(res, n);
    if (state == ClusterGroupPending ||
        (g->state == ClusterGroupOnline && state != ClusterGroupFailed))
        return false;
    *ret_state = state;
    return true;
}

/* ------------------------------------------------------------------------------------------ */
/* Reconcile                                                                                   */
/* ------------------------------------------------------------------------------------------ */

const char *rgm_step_name(enum rgm_step step)
{
    static const char *const names[] = {
        [RGM_STEP_NONE] = "none",
        [RGM_STEP_IN_FLIGHT] = "in-flight",
        [RGM_STEP_AWAIT_HANDOFF] = "await-handoff",
        [RGM_STEP_AWAIT_LEASE] = "await-lease",
        [RGM_STEP_AWAIT_PROVIDERS] = "await-providers",
        [RGM_STEP_AWAIT_REQUEST] = "await-request",
        [RGM_STEP_START] = "start",
        [RGM_STEP_START_HANDED_OVER] = "start-handed-over",
        [RGM_STEP_REPORT_ONLINE] = "report-online",
        [RGM_STEP_AWAIT_DEPENDENTS] = "await-dependents",
        [RGM_STEP_STOP_REPORT] = "stop-report",
        [RGM_STEP_REPORT_OFFLINE] = "report-offline",
        [RGM_STEP_STOP_QUIET] = "stop-quiet",
        [RGM_STEP_RELEASE] = "release",
        [RGM_STEP_FORGET] = "forget",
    };

    if ((size_t)step >= sizeof(names) / sizeof(names[0]) || names[step] == NULL)
        return "?";
    return names[step];
}

bool rgm_providers_ready(const struct rgm_view *v, const char *name)
{
    bool has_provider = false;

    view_check(v);
    assert(name != NULL);
    for (size_t i = 0; i < v->n_deps; i++) {
        const struct rgm_held *h;
        const struct cdb_resource *p;

        if (strcasecmp(v->deps[i].dependent, name) != 0)
            continue;
        has_provider = true;
        h = rgm_held_find(v, v->deps[i].provider);
        if (h != NULL && h->online && !h->busy)
            return true;
        p = resource_find(v, v->deps[i].provider);
        if (p != NULL && p->state == ClusterResourceOnline)
            return true;
    }
    return !has_provider;
}

bool rgm_dependents_offline(const struct rgm_view *v, const char *name)
{
    view_check(v);
    assert(name != NULL);
    for (size_t i = 0; i < v->n_deps; i++) {
        const struct cdb_resource *d;

        if (strcasecmp(v->deps[i].provider, name) != 0)
            continue;
        d = resource_find(v, v->deps[i].dependent);
        /* every dependency names a resource of the cluster (cdb keeps them consistent) */
        assert(d != NULL);
        if (d->state != ClusterResourceOffline && d->state != ClusterResourceFailed)
            return false;
    }
    return true;
}

/* Ours, wanted online, and not running here. */
static enum rgm_step bring_online(const struct rgm_view *v, const struct cdb_resource *r,
                                  const struct rgm_held *h)
{
    if (r->handoff != 0)
        return RGM_STEP_AWAIT_HANDOFF;
    if (!v->may_start)
        return RGM_STEP_AWAIT_LEASE;
    if (r->state == ClusterResourceOnlinePending && !rgm_providers_ready(v, r->name))
        return RGM_STEP_AWAIT_PROVIDERS;
    if (h != NULL && h->last_rv < 0 && r->state != ClusterResourceOnlinePending)
        return RGM_STEP_AWAIT_REQUEST;
    /* Handed over by a member that is still Up: it let go of the resource a moment ago. After
     * a failover (the holder fenced, released on its behalf) the driver checks as always. */
    if (h != NULL && h->handoff_from != 0 && rgm_node_is_up(&v->members, h->handoff_from))
        return RGM_STEP_START_HANDED_OVER;
    return RGM_STEP_START;
}

/* Ours, to take offline. */
static enum rgm_step take_offline(const struct rgm_view *v, const struct cdb_resource *r,
                                  const struct rgm_held *h)
{
    if (!rgm_dependents_offline(v, r->name))
        return RGM_STEP_AWAIT_DEPENDENTS;
    /* Also when the lease took it down: the driver still holds its state, which only its
     * offline frees. */
    if (h != NULL && (h->online || h->driver_state))
        return RGM_STEP_STOP_REPORT;
    return RGM_STEP_REPORT_OFFLINE;
}

enum rgm_step rgm_reconcile_step(const struct rgm_view *v, const struct cdb_resource *r)
{
    const struct rgm_held *h;
    bool mine, handing, here;

    view_check(v);
    assert(r != NULL);
    assert(v->members.self != 0);
    h = rgm_held_find(v, r->name);
    mine = r->owner == v->members.self;
    handing = r->handoff == v->members.self && !mine;
    here = h != NULL && h->online;
    if (h != NULL && (h->busy || h->reporting))
        return RGM_STEP_IN_FLIGHT;
    if (mine && (r->state == ClusterResourceOnlinePending || r->state == ClusterResourceOnline) &&
        !here)
        return bring_online(v, r, h);
    if (mine && r->state == ClusterResourceOnlinePending && here)
        return RGM_STEP_REPORT_ONLINE;
    if (mine && r->state == ClusterResourceOfflinePending)
        return take_offline(v, r, h);
    if (here && !mine)
        return RGM_STEP_STOP_QUIET;
    if (here && (r->state == ClusterResourceOffline || r->state == ClusterResourceFailed))
        return RGM_STEP_STOP_REPORT;
    if (handing)
        return RGM_STEP_RELEASE;
    if (h != NULL && !mine)
        return RGM_STEP_FORGET;
    return RGM_STEP_NONE;
}

bool rgm_held_orphaned(const struct rgm_view *v, const struct rgm_held *h)
{
    view_check(v);
    assert(h != NULL);
    return !h->busy && h->online && resource_find(v, h->name) == NULL;
}

bool rgm_restart_allowed(struct rgm_restarts *r, uint64_t now)
{
    assert(r != NULL);
    assert(now >= r->window); /* a monotonic clock */
    if (now - r->window > RGM_RESTART_PERIOD_MS) {
        r->window = now;
        r->count = 0;
    }
    return r->count++ < RGM_RESTART_THRESHOLD;
}
