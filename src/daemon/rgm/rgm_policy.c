/*
 * rgm_policy — the group manager's decisions over plain data (rgm_policy.h). rgm_place.c and
 * rgm_reconcile.c read the database and the local records, ask here, and do what they are told.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <strings.h>

#include <clusapi.h>

#include "common/common_props.h"
#include "daemon/rgm/rgm_policy.h"

/* ------------------------------------------------------------------------------------------ */
/* Views                                                                                       */
/* ------------------------------------------------------------------------------------------ */

static void members_check(const struct rgm_members *m)
{
    assert(m != NULL);
    assert(m->n_nodes == 0 || m->nodes != NULL);
    assert(m->n_barred == 0 || m->barred != NULL);
}

static void view_check(const struct rgm_view *v)
{
    assert(v != NULL);
    members_check(&v->members);
    assert(v->n_resources == 0 || v->resources != NULL);
    assert(v->n_deps == 0 || v->deps != NULL);
    assert(v->n_held == 0 || v->held != NULL);
}

/* Is node n one to give no group while another node may host it: quarantined, or in a storage
 * fault? */
static bool node_avoided(const struct cdb_node *n, int64_t wall_ms)
{
    return quarantine_active(&n->quarantine, wall_ms) || n->storage_fault[0] != '\0';
}

size_t rgm_always_barred(const struct cdb_node *nodes, size_t n, int64_t wall_ms,
                         uint64_t leaving, uint64_t *out)
{
    size_t k = 0;
    bool other_host = false;

    assert(n == 0 || (nodes != NULL && out != NULL));
    for (size_t i = 0; i < n; i++)
        other_host |= nodes[i].state == ClusterNodeUp && !nodes[i].witness &&
                      nodes[i].id != leaving && !node_avoided(&nodes[i], wall_ms);
    for (size_t i = 0; i < n; i++)
        if (nodes[i].witness || (other_host && node_avoided(&nodes[i], wall_ms)))
            out[k++] = nodes[i].id;
    return k;
}

bool rgm_node_is_up(const struct rgm_members *m, uint64_t id)
{
    members_check(m);
    for (size_t i = 0; i < m->n_nodes; i++)
        if (m->nodes[i].id == id)
            return m->nodes[i].state == ClusterNodeUp;
    return false;
}

bool rgm_node_may_host(const struct rgm_members *m, uint64_t id)
{
    if (!rgm_node_is_up(m, id))
        return false;
    for (size_t i = 0; i < m->n_nodes; i++)
        if (m->nodes[i].id == id && m->nodes[i].left)
            return false; /* stopped gracefully, not yet found Down */
    for (size_t i = 0; i < m->n_barred; i++)
        if (m->barred[i] == id)
            return false;
    return true;
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
        if (pref[i] != exclude && rgm_node_may_host(m, pref[i]))
            return pref[i];
    for (size_t i = 0; i < m->n_nodes; i++)
        if (m->nodes[i].id != exclude && m->nodes[i].id != m->self &&
            rgm_node_may_host(m, m->nodes[i].id))
            return m->nodes[i].id;
    if (m->self != exclude && rgm_node_may_host(m, m->self))
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
    else if (g->owner != 0 && rgm_node_may_host(m, g->owner))
        owner = g->owner;
    else
        owner = rgm_choose_owner(m, pref, n_pref, 0);
    if (owner == 0 || !rgm_node_may_host(m, owner))
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
    if (target == 0 || !rgm_node_may_host(m, target))
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
    /* What an administrator took offline stays offline wherever the group goes. */
    return plan_commit(ClusterGroupPending, owner, ClusterResourceOnlinePending, RGM_ONLY_ACTIVE);
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

int32_t rgm_group_state(const struct cdb_resource *res, size_t n, const bool *keeps_group)
{
    size_t online = 0, offline = 0, failed = 0;

    assert(n == 0 || res != NULL);
    for (size_t i = 0; i < n; i++) {
        bool keeps = keeps_group != NULL && keeps_group[i];

        online += res[i].state == ClusterResourceOnline;
        offline += res[i].state == ClusterResourceOffline ||
                   (res[i].state == ClusterResourceFailed && keeps);
        failed += res[i].state == ClusterResourceFailed && !keeps;
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
                      size_t n, const bool *keeps_group, int32_t *ret_state)
{
    int32_t state;

    assert(g != NULL && ret_state != NULL);
    assert(n == 0 || res != NULL);
    for (size_t i = 0; i < n; i++)
        assert(res[i].group_id == g->id);
    if (g->owner != self)
        return false;
    if (g->state != ClusterGroupPending && g->state != ClusterGroupOnline &&
        g->state != ClusterGroupPartialOnline && g->state != ClusterGroupFailed)
        return false;
    state = rgm_group_state(res, n, keeps_group);
    if (state == ClusterGroupPending || (g->state != ClusterGroupPending && state == g->state))
        return false;
    /* A failed group stays so for its failover (or the administrator) unless a retry brought
     * its resources back. */
    if (g->state == ClusterGroupFailed && state != ClusterGroupOnline &&
        state != ClusterGroupPartialOnline)
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
        [RGM_STEP_AWAIT_DELAY] = "await-delay",
        [RGM_STEP_START] = "start",
        [RGM_STEP_START_HANDED_OVER] = "start-handed-over",
        [RGM_STEP_REPORT_ONLINE] = "report-online",
        [RGM_STEP_STEP_DOWN] = "step-down",
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

/*
 * Is provider up for its dependents? One this node owns is up while it runs here, as its record
 * says: the database may not know yet, and it still says Online while the provider restarts in
 * place or waits for the lease. Another node's: this node's idle record, or the database.
 */
static bool provider_online(const struct rgm_view *v, const char *provider)
{
    const struct rgm_held *h = rgm_held_find(v, provider);
    const struct cdb_resource *p = resource_find(v, provider);

    if (p != NULL && p->owner == v->members.self)
        return h != NULL && h->online;
    if (h != NULL && h->online && !h->busy)
        return true;
    return p != NULL && p->state == ClusterResourceOnline;
}

/* Has clause of name's expression a provider online? */
static bool clause_ready(const struct rgm_view *v, const char *name, uint32_t clause)
{
    for (size_t i = 0; i < v->n_deps; i++)
        if (v->deps[i].clause == clause && strcasecmp(v->deps[i].dependent, name) == 0 &&
            provider_online(v, v->deps[i].provider))
            return true;
    return false;
}

bool rgm_providers_ready(const struct rgm_view *v, const char *name)
{
    view_check(v);
    assert(name != NULL);
    for (size_t i = 0; i < v->n_deps; i++)
        if (strcasecmp(v->deps[i].dependent, name) == 0 &&
            !clause_ready(v, name, v->deps[i].clause))
            return false;
    return true;
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

/* Failed here and recorded, and its retry time has come. */
static bool retry_due(const struct rgm_view *v, const struct cdb_resource *r,
                      const struct rgm_held *h)
{
    return r->state == ClusterResourceFailed && h != NULL && h->retry_at != 0 &&
           v->now >= h->retry_at;
}

/* Ours, wanted online (or due for a retry), and not running here. */
static enum rgm_step bring_online(const struct rgm_view *v, const struct cdb_resource *r,
                                  const struct rgm_held *h)
{
    bool retry = retry_due(v, r, h);

    if (r->handoff != 0)
        return RGM_STEP_AWAIT_HANDOFF;
    if (!v->may_start)
        return RGM_STEP_AWAIT_LEASE;
    /* Also a restart in place (the database still says Online): a provider may be restarting
     * with it, after a lease lapse took both or because its own failure stopped this one. */
    if (!rgm_providers_ready(v, r->name))
        return RGM_STEP_AWAIT_PROVIDERS;
    if (h != NULL && h->last_rv < 0 && r->state != ClusterResourceOnlinePending && !retry)
        return RGM_STEP_AWAIT_REQUEST;
    if (h != NULL && v->now < h->not_before)
        return RGM_STEP_AWAIT_DELAY;
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
    if (mine && (r->state == ClusterResourceOnlinePending || r->state == ClusterResourceOnline ||
                 retry_due(v, r, h)) && !here)
        return bring_online(v, r, h);
    if (mine && r->state == ClusterResourceOnlinePending && here)
        return RGM_STEP_REPORT_ONLINE;
    if (mine && r->state == ClusterResourceOnline && here && !rgm_providers_ready(v, r->name))
        return RGM_STEP_STEP_DOWN;
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

/* ------------------------------------------------------------------------------------------ */
/* Policies from common properties                                                             */
/* ------------------------------------------------------------------------------------------ */

/* The DWORD property name among props[0..n) into *ret; false (ret untouched) when it is not set
 * or does not parse. */
static bool prop_dword(const struct cdb_prop *props, size_t n, const char *name, uint32_t *ret)
{
    assert(n == 0 || props != NULL);
    for (size_t i = 0; i < n; i++) {
        char *end;
        unsigned long long v;

        if (strcasecmp(props[i].key, name) != 0)
            continue;
        errno = 0;
        v = strtoull(props[i].value, &end, 10);
        if (errno != 0 || end == props[i].value || *end != '\0' || v > UINT32_MAX ||
            props[i].value[0] == '-')
            return false;
        *ret = (uint32_t)v;
        return true;
    }
    return false;
}

/* A poll interval: the resource's own unless CPROP_POLL_USE_TYPE, else its type's, else def. */
static uint32_t poll_interval(const struct cdb_prop *res, size_t n_res,
                              const struct cdb_prop *type, size_t n_type, const char *name,
                              uint32_t def)
{
    uint32_t v = CPROP_POLL_USE_TYPE;

    if (prop_dword(res, n_res, name, &v) && v != CPROP_POLL_USE_TYPE)
        return v;
    v = def;
    if (prop_dword(type, n_type, name, &v) && v == CPROP_POLL_USE_TYPE)
        v = def;
    return v;
}

void rgm_res_policy_read(const struct cdb_prop *res, size_t n_res, const struct cdb_prop *type,
                         size_t n_type, struct rgm_res_policy *ret)
{
    struct rgm_res_policy p = {
        .restart_action = CPROP_RESTART_ACTION_DEFAULT,
        .restart_threshold = CPROP_RESTART_THRESHOLD_DEFAULT,
        .restart_period_ms = CPROP_RESTART_PERIOD_DEFAULT,
        .restart_delay_ms = CPROP_RESTART_DELAY_DEFAULT,
        .retry_period_ms = CPROP_RETRY_PERIOD_DEFAULT,
        .pending_timeout_ms = CPROP_PENDING_TIMEOUT_DEFAULT,
    };

    assert(ret != NULL);
    prop_dword(res, n_res, "RestartAction", &p.restart_action);
    prop_dword(res, n_res, "RestartThreshold", &p.restart_threshold);
    prop_dword(res, n_res, "RestartPeriod", &p.restart_period_ms);
    prop_dword(res, n_res, "RestartDelay", &p.restart_delay_ms);
    prop_dword(res, n_res, "RetryPeriodOnFailure", &p.retry_period_ms);
    prop_dword(res, n_res, "PendingTimeout", &p.pending_timeout_ms);
    if (p.restart_action > RGM_RESTART_NOTIFY) /* not one Windows defines: its default */
        p.restart_action = CPROP_RESTART_ACTION_DEFAULT;
    p.looks_alive_ms = poll_interval(res, n_res, type, n_type, "LooksAlivePollInterval",
                                     CPROP_LOOKS_ALIVE_DEFAULT);
    p.is_alive_ms = poll_interval(res, n_res, type, n_type, "IsAlivePollInterval",
                                  CPROP_IS_ALIVE_DEFAULT);
    *ret = p;
}

bool rgm_failure_fails_group(const struct rgm_res_policy *p)
{
    assert(p != NULL);
    return p->restart_action == RGM_RESTART_NOTIFY;
}

enum rgm_failure rgm_failure_decide(struct rgm_restarts *r, const struct rgm_res_policy *p,
                                    uint64_t now)
{
    assert(r != NULL && p != NULL);
    assert(now >= r->window); /* a monotonic clock */
    if (p->restart_action == RGM_RESTART_NONE)
        return RGM_FAILURE_FAILED;
    if (r->count == 0 || now - r->window > p->restart_period_ms) {
        r->window = now;
        r->count = 0;
    }
    if (r->count++ < p->restart_threshold)
        return RGM_FAILURE_RESTART;
    return rgm_failure_fails_group(p) ? RGM_FAILURE_FAIL_GROUP : RGM_FAILURE_FAILED;
}

uint64_t rgm_retry_at(const struct rgm_res_policy *p, uint64_t now)
{
    assert(p != NULL);
    if (p->retry_period_ms == RGM_NEVER)
        return 0;
    /* 0 is "never" to the caller: a retry due at once is due a millisecond later */
    return now + (p->retry_period_ms ? p->retry_period_ms : 1);
}

uint32_t rgm_call_timeout(uint32_t pending_ms, uint32_t type_ms)
{
    return type_ms != 0 && type_ms < pending_ms ? type_ms : pending_ms;
}

void rgm_failover_limits(const struct cdb_prop *props, size_t n, size_t n_nodes,
                         unsigned *ret_threshold, uint64_t *ret_period_ms)
{
    uint32_t threshold = CPROP_FAILOVER_THRESHOLD_DEFAULT;
    uint32_t hours = CPROP_FAILOVER_PERIOD_DEFAULT;

    assert(ret_threshold != NULL && ret_period_ms != NULL);
    prop_dword(props, n, "FailoverThreshold", &threshold);
    prop_dword(props, n, "FailoverPeriod", &hours);
    if (threshold == CPROP_FAILOVER_THRESHOLD_DEFAULT)
        threshold = n_nodes > 1 ? (uint32_t)n_nodes - 1 : 1;
    *ret_threshold = threshold;
    *ret_period_ms = (uint64_t)hours * 3600 * 1000;
}

void rgm_failback_policy_read(const struct cdb_prop *props, size_t n,
                              struct rgm_failback_policy *ret)
{
    struct rgm_failback_policy p = {.type = 0, .window_start = RGM_NEVER,
                                    .window_end = RGM_NEVER};

    assert(ret != NULL);
    prop_dword(props, n, "AutoFailbackType", &p.type);
    prop_dword(props, n, "FailbackWindowStart", &p.window_start);
    prop_dword(props, n, "FailbackWindowEnd", &p.window_end);
    *ret = p;
}

bool rgm_failback_window_open(const struct rgm_failback_policy *p, unsigned hour)
{
    assert(p != NULL && hour < 24);
    if (p->window_start == RGM_NEVER || p->window_end == RGM_NEVER)
        return true; /* "both must be specified for a failback window to exist" */
    if (p->window_start <= p->window_end)
        return hour >= p->window_start && hour <= p->window_end;
    return hour >= p->window_start || hour <= p->window_end;
}

static uint64_t node_incarnation(const struct rgm_members *m, uint64_t id)
{
    for (size_t i = 0; i < m->n_nodes; i++)
        if (m->nodes[i].id == id)
            return m->nodes[i].incarnation;
    return 0;
}

/* The first of pref that may host the group, or 0. */
static uint64_t best_preferred(const struct rgm_members *m, const uint64_t *pref, size_t n_pref)
{
    for (size_t i = 0; i < n_pref; i++)
        if (rgm_node_may_host(m, pref[i]))
            return pref[i];
    return 0;
}

/* id's place in pref, n_pref when it is not there (0 included). */
static size_t pref_rank(const uint64_t *pref, size_t n_pref, uint64_t id)
{
    size_t i = 0;

    while (i < n_pref && (id == 0 || pref[i] != id))
        i++;
    return i;
}

uint64_t rgm_failback_decide(struct rgm_failback_memo *memo, const struct rgm_members *m,
                             const struct cdb_group *g, const uint64_t *pref, size_t n_pref,
                             const struct rgm_failback_policy *p, unsigned hour)
{
    uint64_t best, incarnation;

    members_check(m);
    assert(memo != NULL && g != NULL && p != NULL);
    assert(n_pref == 0 || pref != NULL);
    best = best_preferred(m, pref, n_pref);
    incarnation = node_incarnation(m, best);
    /* A more preferred node came, or the same one came back (a new lease), while this leader
     * watched; a less preferred one only stands in for one that left. */
    if (memo->known && best != 0 &&
        (pref_rank(pref, n_pref, best) < pref_rank(pref, n_pref, memo->node) ||
         (best == memo->node && incarnation > memo->incarnation)))
        memo->due = true;
    *memo = (struct rgm_failback_memo){.known = true, .node = best, .incarnation = incarnation,
                                       .due = memo->due};
    if (!memo->due)
        return 0;
    if (best == 0 || best == g->owner || p->type != 1 /* ClusterGroupAllowFailback */) {
        memo->due = false;
        return 0;
    }
    if (g->state != ClusterGroupOnline || !rgm_failback_window_open(p, hour))
        return 0; /* later: once it settles, or when the window opens */
    memo->due = false;
    return best;
}

/* ------------------------------------------------------------------------------------------ */
/* Resource requests                                                                           */
/* ------------------------------------------------------------------------------------------ */

static bool listed(const char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(names[i], name) == 0)
            return true;
    return false;
}

size_t rgm_closure(const struct rgm_dependency *deps, size_t n_deps, const char *name,
                   bool providers, const char **out)
{
    size_t n = 1;

    assert(n_deps == 0 || deps != NULL);
    assert(name != NULL && out != NULL);
    out[0] = name;
    for (size_t i = 0; i < n; i++) /* breadth first: out grows as it is walked */
        for (size_t j = 0; j < n_deps; j++) {
            const char *from = providers ? deps[j].dependent : deps[j].provider;
            const char *to = providers ? deps[j].provider : deps[j].dependent;

            if (strcasecmp(from, out[i]) == 0 && !listed(out, n, to)) {
                assert(n <= n_deps); /* each dependency adds a name at most once */
                out[n++] = to;
            }
        }
    return n;
}

uint64_t rgm_resource_host(const struct rgm_members *m, const struct cdb_group *g,
                           const uint64_t *pref, size_t n_pref)
{
    members_check(m);
    assert(g != NULL);
    if (g->owner != 0 && rgm_node_may_host(m, g->owner))
        return g->owner;
    if (g->state != ClusterGroupOffline)
        return 0; /* its owner is gone or may not run them: failover places it, not this */
    return rgm_choose_owner(m, pref, n_pref, 0);
}

bool rgm_offline_state(const struct rgm_members *m, const struct cdb_resource *r,
                       int32_t *ret_state, uint64_t *ret_owner)
{
    members_check(m);
    assert(r != NULL && ret_state != NULL && ret_owner != NULL);
    if (r->state == ClusterResourceOffline)
        return false;
    if (r->state == ClusterResourceFailed || r->owner == 0 || !rgm_node_is_up(m, r->owner)) {
        *ret_state = ClusterResourceOffline;
        *ret_owner = 0;
    } else {
        *ret_state = ClusterResourceOfflinePending;
        *ret_owner = r->owner;
    }
    return true;
}
