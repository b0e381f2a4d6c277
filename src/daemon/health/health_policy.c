/*
 * health_policy — decisions from heartbeats over plain data (health_policy.h). health.c reads
 * hb_track and the database, asks here, and performs what it is told.
 */
#include <assert.h>
#include <stdio.h>
#include <strings.h>

#include <clusapi.h>

#include "daemon/health/health_policy.h"

/* ------------------------------------------------------------------------------------------ */
/* The lease                                                                                   */
/* ------------------------------------------------------------------------------------------ */

unsigned health_lease_check(struct health_lease *l, uint64_t until, uint64_t now,
                            bool holds_local, bool terminating)
{
    bool held = until > now;
    uint64_t ended = 0; /* the end of a lease lost since the last check, 0 for none */
    unsigned actions = 0;

    assert(l != NULL);
    if (l->held && !held)
        ended = until != 0 && until <= now ? until : now;
    else if (l->held && l->sent != 0 && l->sent <= now)
        ended = l->sent; /* ran out, and an echo since brought a new one: lost in between */
    if (until != l->sent) { /* the resource host enforces it even if this node cannot */
        l->sent = until;
        actions |= HEALTH_LEASE_TELL_HOST;
    }
    l->held = held;
    if (ended != 0) { /* a lapse: the others may be moving this node's groups */
        l->lapses++;
        l->confirmed = false;
        l->lapse_began = ended;
    }
    if (held && !l->confirmed && !l->confirming)
        actions |= HEALTH_LEASE_CONFIRM;
    /* No majority has echoed this node for a lease's time: another may take over any moment.
     * Also after a lapse between two checks: the resource host has stopped what it held. */
    if (holds_local && !terminating && (!held || ended != 0))
        actions |= HEALTH_LEASE_TERMINATE;
    return actions;
}

bool health_lease_may_start(const struct health_lease *l, uint64_t until, uint64_t now)
{
    assert(l != NULL);
    return until > now && l->confirmed && l->sent > now;
}

uint64_t health_lease_idle_since(const struct health_lease *l, bool runs_something)
{
    assert(l != NULL);
    if (l->confirmed || l->lapse_began == 0 || runs_something)
        return 0;
    return l->lapse_began;
}

void health_lease_confirmed(struct health_lease *l, uint64_t lapses, bool ok)
{
    assert(l != NULL);
    assert(lapses <= l->lapses);
    l->confirming = false;
    if (ok && lapses == l->lapses)
        l->confirmed = true;
}

/* ------------------------------------------------------------------------------------------ */
/* Node states                                                                                 */
/* ------------------------------------------------------------------------------------------ */

bool health_node_transition(int32_t recorded, bool up, int32_t *ret_state)
{
    int32_t want = up ? ClusterNodeUp : ClusterNodeDown;

    assert(ret_state != NULL);
    if (recorded == want || (recorded == ClusterNodeJoining && !up) ||
        recorded == ClusterNodePaused)
        return false;
    *ret_state = want;
    return true;
}

/* ------------------------------------------------------------------------------------------ */
/* Takeover                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void view_check(const struct health_view *v)
{
    assert(v != NULL);
    assert(v->n_nodes == 0 || (v->nodes != NULL && v->seen != NULL));
}

/* The index of member id in v, or v->n_nodes when it is none. */
static size_t node_index(const struct health_view *v, uint64_t id)
{
    size_t i = 0;

    while (i < v->n_nodes && v->nodes[i].id != id)
        i++;
    return i;
}

/* The slot of group: its own, else the first free one; NULL when every slot has another group.
 * Slots are never freed, so the free ones all come after the taken ones. */
static struct health_failover *failover_slot(struct health_failovers *f, const char *group)
{
    for (size_t i = 0; i < HEALTH_FAILOVER_GROUPS; i++)
        if (strcasecmp(f->groups[i].group, group) == 0 || f->groups[i].group[0] == '\0')
            return &f->groups[i];
    return NULL;
}

bool health_failover_allowed(struct health_failovers *f, const char *group,
                             const struct health_failover_limit *limit, uint64_t now)
{
    struct health_failover *slot;

    assert(f != NULL && group != NULL && group[0] != '\0' && limit != NULL);
    slot = failover_slot(f, group);
    if (slot == NULL)
        return true; /* a bounded table: forgetting to limit beats refusing a failover */
    assert(now >= slot->since);
    if (slot->group[0] == '\0' || now - slot->since > limit->period_ms) {
        snprintf(slot->group, sizeof(slot->group), "%s", group);
        slot->since = now;
        slot->count = 0;
        slot->refusal_said = false;
    }
    if (slot->count >= limit->threshold)
        return false;
    slot->count++;
    return true;
}

unsigned health_failover_count(const struct health_failovers *f, const char *group)
{
    assert(f != NULL && group != NULL);
    for (size_t i = 0; i < HEALTH_FAILOVER_GROUPS && f->groups[i].group[0] != '\0'; i++)
        if (strcasecmp(f->groups[i].group, group) == 0)
            return f->groups[i].count;
    return 0;
}

void health_failover_adopt(struct health_failovers *f, const char *group, unsigned count,
                           int64_t since_wall, const struct health_failover_limit *limit,
                           uint64_t now, int64_t wall_now)
{
    struct health_failover *slot;
    uint64_t elapsed;

    assert(f != NULL && group != NULL && group[0] != '\0' && limit != NULL);
    if (count == 0 || since_wall <= 0 || wall_now < since_wall)
        return;
    elapsed = (uint64_t)(wall_now - since_wall);
    slot = failover_slot(f, group);
    if (elapsed > limit->period_ms || slot == NULL)
        return;
    if (slot->group[0] != '\0' && now - slot->since <= limit->period_ms && slot->count >= count)
        return; /* this node counted at least as much itself */
    snprintf(slot->group, sizeof(slot->group), "%s", group);
    slot->since = elapsed <= now ? now - elapsed : 0;
    slot->count = count;
    slot->refusal_said = false;
}

int64_t health_failover_since_wall(const struct health_failovers *f, const char *group,
                                   uint64_t now, int64_t wall_now)
{
    assert(f != NULL && group != NULL);
    for (size_t i = 0; i < HEALTH_FAILOVER_GROUPS && f->groups[i].group[0] != '\0'; i++)
        if (strcasecmp(f->groups[i].group, group) == 0)
            return wall_now - (int64_t)(now - f->groups[i].since);
    return 0;
}

bool health_failover_refusal_news(struct health_failovers *f, const char *group)
{
    assert(f != NULL && group != NULL);
    for (size_t i = 0; i < HEALTH_FAILOVER_GROUPS && f->groups[i].group[0] != '\0'; i++)
        if (strcasecmp(f->groups[i].group, group) == 0) {
            bool news = !f->groups[i].refusal_said;

            f->groups[i].refusal_said = true;
            return news;
        }
    return true;
}

bool health_group_wants_online(const struct cdb_group *g)
{
    assert(g != NULL);
    return g->state == ClusterGroupOnline || g->state == ClusterGroupPending ||
           g->state == ClusterGroupPartialOnline || g->state == ClusterGroupFailed;
}

enum health_takeover health_takeover_decide(const struct health_view *v, const struct cdb_group *g,
                                            struct health_failovers *f,
                                            const struct health_failover_limit *limit,
                                            uint64_t now, const struct cdb_node **ret_owner)
{
    size_t i;
    bool owner_alive;

    view_check(v);
    assert(g != NULL && f != NULL && ret_owner != NULL);
    i = node_index(v, g->owner);
    *ret_owner = i < v->n_nodes ? &v->nodes[i] : NULL;
    if (!health_group_wants_online(g))
        return HEALTH_TAKEOVER_NONE;
    owner_alive = i < v->n_nodes && !v->seen[i].fenced;
    if (!owner_alive)
        return HEALTH_TAKEOVER_OWNER_LOST;
    if (g->state != ClusterGroupFailed)
        return HEALTH_TAKEOVER_OWNER_KEEPS;
    /* The threshold stops a broken resource from bouncing between nodes. */
    if (!health_failover_allowed(f, g->name, limit, now))
        return HEALTH_TAKEOVER_LIMIT;
    return HEALTH_TAKEOVER_FAILED;
}

const struct cdb_node *health_release_holder(const struct health_view *v,
                                             const struct cdb_resource *r)
{
    size_t i;

    view_check(v);
    assert(r != NULL);
    if (r->handoff == 0)
        return NULL;
    i = node_index(v, r->handoff);
    return i < v->n_nodes && v->seen[i].fenced ? &v->nodes[i] : NULL;
}
