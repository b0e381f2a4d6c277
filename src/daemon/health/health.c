/*
 * health — what the node does with its heartbeats (hb.c, hb_track.c):
 *  - every node: keeps resources online only while it holds its quorum lease, and takes them
 *    offline by itself the moment the lease runs out (self-fencing);
 *  - the leader: records nodes Up and Down as heartbeats show them, and moves the groups of a
 *    node once that node is surely fenced — never earlier, so two nodes never hold a group at the
 *    same time (docs/failover.md). Fenced comes before Down: a node silent for its lease has
 *    taken its resources offline itself, so its groups need not wait for the Down verdict.
 */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <raft.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"
#include "common/cluster_props.h"
#include "common/mono_clock.h"
#include "daemon/base/log.h"
#include "daemon/rm/rhs.h"
#include "daemon/consensus/consensus.h"
#include "daemon/health/health.h"
#include "daemon/health/health_policy.h"

static uint32_t prop_u32(struct health *h, const char *key, uint32_t fallback)
{
    return h->host->db != NULL ? cdb_prop_u32(h->host->db, key, fallback) : fallback;
}

/* The heartbeat settings the cluster properties ask for (Windows' names and bounds, and
 * QuorumLease). */
static void wanted_config(struct health *h, struct hb_config *cfg)
{
    uint32_t delay = prop_u32(h, "SameSubnetDelay", HEALTH_DEFAULT_HB_DELAY_MS);
    uint32_t threshold = prop_u32(h, "SameSubnetThreshold", HEALTH_DEFAULT_HB_THRESHOLD);
    /* Until this node has caught up once it may not know QuorumLease: it declares the shortest
     * lease, since the others fence it by the longest it declared lately, and a lease shorter
     * than the cluster's is always safe to hold. */
    uint32_t lease = h->props_known ? prop_u32(h, "QuorumLease", 0) : CLUSTER_LEASE_MIN;

    if (!hb_config_valid(delay, threshold, lease)) {
        delay = HEALTH_DEFAULT_HB_DELAY_MS;
        threshold = HEALTH_DEFAULT_HB_THRESHOLD;
        lease = 0;
    }
    hb_config_defaults(cfg, delay, threshold, lease);
}

/* Members as the database has them (nodes[0..n)), or as the configuration does before the
 * first commit. */
static size_t wanted_members(struct health *h, const struct cdb_node *nodes, size_t n,
                             struct hb_member *out)
{
    if (n > 0) {
        for (size_t i = 0; i < n && i < HB_MAX_NODES; i++) {
            out[i] = (struct hb_member){.id = nodes[i].id, .port = (uint16_t)nodes[i].port};
            snprintf(out[i].address, sizeof(out[i].address), "%s", nodes[i].address);
        }
        return n < HB_MAX_NODES ? n : HB_MAX_NODES;
    }
    for (size_t i = 0; i < h->conf->n_peers && i < HB_MAX_NODES; i++) {
        const struct node_peer *p = &h->conf->peers[i];

        out[i] = (struct hb_member){.id = p->id, .port = (uint16_t)p->port};
        snprintf(out[i].address, sizeof(out[i].address), "%s", p->address);
    }
    return h->conf->n_peers < HB_MAX_NODES ? h->conf->n_peers : HB_MAX_NODES;
}

/* hb_voters_fn: raft's configuration, as it is at this moment. */
static size_t voters_now(void *arg, uint64_t *ids, size_t cap, uint64_t *ret_fp)
{
    struct health *h = arg;

    *ret_fp = 0;
    return h->host->consensus == NULL ? 0
                                      : consensus_voter_set(h->host->consensus, ids, cap, ret_fp);
}

/* The incarnations the database has (hb_track_note_incarnation). */
static void note_incarnations(struct health *h, const struct cdb_node *nodes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        hb_note_incarnation(h->hb, nodes[i].id, nodes[i].incarnation);
}

static void reported_up(void *arg, int rv, uint32_t status, const char *errmsg)
{
    struct health *h = arg;

    (void)errmsg;
    h->reported_up = rv == 0 && status == 0;
    if (!h->reported_up)
        h->host->kick(h->host);
}

/* Until heartbeats decide node states, a node that follows a leader declares itself Up, once:
 * not when it is Up already, and never over the administrator's pause. */
static void report_up(struct health *h)
{
    struct cdb_node me;
    struct wire_writer w;

    if (h->reported_up || h->host->db == NULL || h->host->consensus == NULL ||
        consensus_leader(h->host->consensus) == 0 ||
        cdb_node_by_id(h->host->db, h->host->node_id, &me) < 0)
        return;
    if (me.state == ClusterNodeUp || me.state == ClusterNodePaused) {
        h->reported_up = true;
        return;
    }
    wire_writer_init(&w);
    cdb_cmd_set_node_state(&w, h->host->node_id, ClusterNodeUp);
    h->reported_up = true; /* in flight; cleared again if it fails */
    if (!host_submit_writer(h->host, &w, reported_up, h))
        h->reported_up = false;
}

/* Runs after every apply (and now and then): members, settings and incarnations follow the
 * database on every node, so that a new leader knows which reports came before a node came
 * back. */
void health_sync(struct health *h, bool props_known)
{
    struct hb_member members[HB_MAX_NODES];
    struct cdb_node *nodes = NULL;
    struct hb_config cfg;
    size_t n = 0;

    h->props_known = props_known;
    report_up(h);
    if (h->hb == NULL)
        return;
    if (h->host->db == NULL || cdb_nodes(h->host->db, &nodes, &n) < 0)
        n = 0;
    hb_set_members(h->hb, members, wanted_members(h, nodes, n, members));
    note_incarnations(h, nodes, n);
    free(nodes);
    wanted_config(h, &cfg);
    hb_set_config(h->hb, &cfg);
}

bool health_may_start_resources(void *arg)
{
    const struct health *h = arg;
    uint64_t now = h->host->now(h->host);

    return h->hb != NULL &&
           health_lease_may_start(&h->lease, hb_track_lease_until(hb_tracker(h->hb), now), now);
}

/* ------------------------------------------------------------------------------------------ */
/* Self-fencing                                                                                */
/* ------------------------------------------------------------------------------------------ */

static void fenced_done(void *arg)
{
    struct health *h = arg;

    LOGW("health", "resources taken offline: this node lost its quorum lease");
    h->host->kick(h->host);
}

/*
 * Each lease after a start or a lapse is confirmed before anything starts: the node commits
 * CONFIRM_NODE (its incarnation goes up) and waits until it has applied it. A move of its
 * groups decided while it had no lease either stands earlier in the log, so the node sees it
 * first and stays away, or comes later and is refused, because the leader's takeover expects
 * the incarnation it saw (EXPECT_NODE, rgm_fail_over). A process that starts again with a
 * database some commits old is no exception: it too first learns where its groups went.
 */
static void confirmed(void *arg, int rv, uint32_t status, const char *errmsg)
{
    struct health *h = arg;

    health_lease_confirmed(&h->lease, h->lease.confirm_lapses, rv == 0 && status == 0);
    if (h->lease.confirmed)
        LOGI("health", "lease confirmed: resources may start");
    else if (rv == -ETIMEDOUT) /* the leader committed it, this node has not caught up since */
        LOGW("health", "the lease's confirmation: %s; confirming again",
             errmsg != NULL && *errmsg ? errmsg : strerror(ETIMEDOUT));
    else if (rv < 0 || status != 0)
        LOGD("health", "the lease's confirmation failed: %s",
             errmsg != NULL && *errmsg ? errmsg : strerror(rv < 0 ? -rv : EIO));
    else
        LOGD("health", "the lease's confirmation came after a lapse: it counts for nothing");
    h->host->kick(h->host);
}

static void confirm_lease(struct health *h)
{
    struct wire_writer w;

    wire_writer_init(&w);
    cdb_cmd_confirm_node(&w, h->host->node_id, wall_ms());
    h->lease.confirming = true; /* confirmed clears it, maybe before submit returns */
    h->lease.confirm_lapses = h->lease.lapses;
    LOGD("health", "lease held: confirming it (lapse %llu)", (unsigned long long)h->lease.lapses);
    if (!host_submit_writer(h->host, &w, confirmed, h))
        h->lease.confirming = false;
}

static void check_lease(struct health *h)
{
    uint64_t now = h->host->now(h->host);
    uint64_t until = hb_track_lease_until(hb_tracker(h->hb), now);
    unsigned actions = health_lease_check(&h->lease, until, now, !rgm_empty(h->rgm),
                                          rgm_terminating(h->rgm));

    if (actions & HEALTH_LEASE_TELL_HOST) /* it enforces the lease even if we cannot */
        rhs_lease(h->lease.sent);
    /* Confirmed over a link that stalls, the lease would keep the groups here while this node
     * waits seconds to learn of it: it confirms once the leader's messages come steadily, and
     * its lapse stands meanwhile (consensus_link.h). */
    if ((actions & HEALTH_LEASE_CONFIRM) && consensus_leader_link_steady(h->host->consensus))
        confirm_lease(h);
    else if ((actions & HEALTH_LEASE_CONFIRM) && h->deferred_lapse != h->lease.lapses) {
        h->deferred_lapse = h->lease.lapses;
        LOGI("health", "lease held, but the leader's messages reach this node with stalls: it "
             "confirms the lease once they come steadily; its groups may move meanwhile");
    }
    /* No majority has echoed us for a lease's time: another node may take over any moment. */
    if (actions & HEALTH_LEASE_TERMINATE)
        rgm_terminate_all(h->rgm, fenced_done, h);
    /* After the confirmation was asked for, which may end what the heartbeats can say. */
    hb_set_idle(h->hb, health_lease_idle_since(&h->lease, !rgm_runs_nothing(h->rgm)));
}

/* ------------------------------------------------------------------------------------------ */
/* Leader: node states and takeover                                                            */
/* ------------------------------------------------------------------------------------------ */

static void health_committed(void *arg, int rv, uint32_t status, const char *errmsg)
{
    struct health *h = arg;

    h->busy = false;
    if (rv < 0 || status != 0)
        LOGW("health", "cannot record a change: %s", errmsg && *errmsg ? errmsg : "no leader");
    h->host->kick(h->host);
}

static bool commit(struct health *h, struct wire_writer *w)
{
    assert(!h->busy); /* one change of the leader's at a time */
    h->busy = true;   /* health_committed clears it, maybe before submit returns */
    if (host_submit_writer(h->host, w, health_committed, h))
        return true;
    h->busy = false;
    return false;
}

/* What heartbeats say of each member now: seen[i] of nodes[i], seen holding n entries. */
static struct health_view view_of(struct health *h, const struct cdb_node *nodes, size_t n,
                                  struct health_seen *seen)
{
    const struct hb_track *t = hb_tracker(h->hb);
    uint64_t now = h->host->now(h->host);

    for (size_t i = 0; i < n; i++)
        seen[i] = (struct health_seen){
            .up = hb_track_up(t, nodes[i].id, now),
            .fenced = hb_track_fenced(t, nodes[i].id, now) ||
                      hb_track_lapsed(t, nodes[i].id, now) >= t->cfg.lease_ms};
    return (struct health_view){.nodes = nodes, .seen = seen, .n_nodes = n};
}

/* One batch with every node whose recorded state heartbeats contradict. */
static bool update_node_states(struct health *h, const struct health_view *v)
{
    struct wire_writer w;
    bool any = false;

    wire_writer_init(&w);
    cdb_cmd_batch(&w);
    for (size_t i = 0; i < v->n_nodes; i++) {
        int32_t want;
        size_t mark;

        if (!health_node_transition(v->nodes[i].state, v->seen[i].up, &want))
            continue;
        mark = cdb_cmd_batch_sub_begin(&w);
        cdb_cmd_set_node_state_at(&w, v->nodes[i].id, want, wall_ms());
        cdb_cmd_batch_sub_end(&w, mark);
        LOGI("health", "node %s is %s", v->nodes[i].name, v->seen[i].up ? "up" : "down");
        any = true;
    }
    if (!any) {
        wire_writer_done(&w);
        return false;
    }
    return commit(h, &w);
}

static void failed_over(void *arg, int rv, uint32_t status, const char *errmsg)
{
    struct health *h = arg;

    h->busy = false;
    if (rv < 0 || status != 0)
        LOGW("health", "cannot move a group: %s", errmsg ? errmsg : "");
    h->host->kick(h->host);
}


static void failover_counted(void *arg, int rv, uint32_t status, const char *errmsg)
{
    (void)arg;
    if (rv < 0 || status != 0)
        LOGW("health", "cannot record a failover: %s", errmsg && *errmsg ? errmsg : "no leader");
}

/* Records group g's failovers of its current period, so that a leader after this one goes on
 * counting: committed before the move, raft keeps them in that order. */
static void record_failover(struct health *h, const struct cdb_group *g, uint64_t now,
                            int64_t wall_now)
{
    struct wire_writer w;

    wire_writer_init(&w);
    cdb_cmd_count_failover(&w, g->name, health_failover_count(&h->failovers, g->name),
                           health_failover_since_wall(&h->failovers, g->name, now, wall_now));
    if (!host_submit_writer(h->host, &w, failover_counted, h))
        LOGW("health", "cannot record a failover of %s: out of memory", g->name);
}

/* Moves the first group whose owner is surely fenced (or gone), or that failed for good. */
static bool take_over(struct health *h, const struct health_view *v)
{
    uint64_t now = h->host->now(h->host);
    int64_t wall_now = wall_ms();
    struct cdb_group *groups;
    size_t n_groups;
    bool started = false;

    if (cdb_groups(h->host->db, &groups, &n_groups) < 0)
        return false;
    for (size_t i = 0; i < n_groups && !started; i++) {
        const struct cdb_group *g = &groups[i];
        const struct cdb_node *owner;
        struct health_failover_limit limit = {0};
        char errmsg[160];

        if (g->state == ClusterGroupFailed) { /* only a failed group's failovers are counted */
            rgm_group_failover_limits(h->rgm, g->name, v->n_nodes, &limit.threshold,
                                      &limit.period_ms);
            health_failover_adopt(&h->failovers, g->name, g->failovers, g->failover_since,
                                  &limit, now, wall_now);
        }
        switch (health_takeover_decide(v, g, &h->failovers, &limit, now, &owner)) {
        case HEALTH_TAKEOVER_LIMIT:
            if (health_failover_refusal_news(&h->failovers, g->name))
                LOGW("health", "group %s failed over %u times in the period: it stays failed",
                     g->name, health_failover_count(&h->failovers, g->name));
            continue;
        case HEALTH_TAKEOVER_FAILED:
            record_failover(h, g, now, wall_now);
            break;
        case HEALTH_TAKEOVER_OWNER_LOST:
            break;
        default:
            continue;
        }
        LOGW("health", "moving group %s away from node %llu", g->name,
             (unsigned long long)g->owner);
        h->busy = true; /* failed_over clears it, maybe before rgm_fail_over returns */
        started = rgm_fail_over(h->rgm, g->name, g->owner, owner, failed_over, h, errmsg,
                                sizeof(errmsg)) == ERROR_IO_PENDING;
        if (!started)
            h->busy = false;
    }
    free(groups);
    return started;
}

/* Resources a node was handing over when it fell silent: once it is surely fenced it holds
 * nothing any more, so their new owners may start them. */
static bool release_fenced(struct health *h, const struct health_view *v)
{
    struct cdb_resource *res;
    struct wire_writer w;
    size_t n_res;
    bool any = false;

    if (cdb_resources(h->host->db, NULL, &res, &n_res) < 0)
        return false;
    wire_writer_init(&w);
    cdb_cmd_batch(&w);
    for (size_t i = 0; i < n_res; i++) {
        const struct cdb_node *holder = health_release_holder(v, &res[i]);
        size_t mark;

        if (holder == NULL)
            continue;
        mark = cdb_cmd_batch_sub_begin(&w);
        cdb_cmd_expect_node(&w, holder->id, holder->incarnation); /* as rgm_fail_over */
        cdb_cmd_batch_sub_end(&w, mark);
        mark = cdb_cmd_batch_sub_begin(&w);
        cdb_cmd_release_resource(&w, res[i].name, holder->id);
        cdb_cmd_batch_sub_end(&w, mark);
        LOGW("health", "%s: node %llu is fenced, its hold is over", res[i].name,
             (unsigned long long)holder->id);
        any = true;
    }
    free(res);
    if (!any) {
        wire_writer_done(&w);
        return false;
    }
    return commit(h, &w);
}

static void leader_duties(struct health *h)
{
    struct health_seen *seen;
    struct health_view v;
    struct cdb_node *nodes;
    size_t n;

    if (h->busy || consensus_role(h->host->consensus) != CONSENSUS_LEADER ||
        cdb_nodes(h->host->db, &nodes, &n) < 0)
        return;
    seen = calloc(n ? n : 1, sizeof(*seen));
    if (seen == NULL) {
        free(nodes);
        return;
    }
    /* Decisions carry the incarnations read here (EXPECT_NODE): the reports they rest on must
     * be from after those, even if the sync after this apply has not run yet. */
    note_incarnations(h, nodes, n);
    v = view_of(h, nodes, n, seen);
    if (!update_node_states(h, &v) && !release_fenced(h, &v))
        take_over(h, &v);
    free(seen);
    free(nodes);
}

static void tick(void *arg)
{
    struct health *h = arg;

    if (h->host->quiescing || h->host->db == NULL || h->host->consensus == NULL)
        return;
    check_lease(h);
    leader_duties(h);
}

/* ------------------------------------------------------------------------------------------ */
/* Start and stop                                                                              */
/* ------------------------------------------------------------------------------------------ */

void health_init(struct health *h, struct host *host, struct rgm *rgm,
                 const struct node_conf *conf, const struct cred_ring *keys)
{
    *h = (struct health){.host = host, .rgm = rgm, .conf = conf, .keys = keys};
}

int health_start(struct health *h, bool props_known)
{
    const struct node_peer *self = node_conf_peer(h->conf, h->host->node_id);
    struct hb_config cfg;
    int rv;

    if (h->hb != NULL)
        return 0;
    if (self == NULL || cred_ring_empty(h->keys))
        return -EINVAL;
    h->lease = (struct health_lease){.lapses = h->lease.lapses}; /* no lease since the start */
    h->props_known = props_known;
    wanted_config(h, &cfg);
    rv = hb_start(h->host->loop, self->address, (uint16_t)self->port, h->keys,
                  h->host->node_id, &cfg, tick, voters_now, h, &h->hb);
    if (rv < 0)
        return rv;
    health_sync(h, props_known);
    return 0;
}

void health_stop(struct health *h)
{
    hb_stop(h->hb);
    h->hb = NULL;
    h->busy = false;
}

void health_forget(struct health *h)
{
    h->reported_up = false;
    h->props_known = false;
}
