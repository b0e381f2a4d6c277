/*
 * svc_health — what the node does with its heartbeats (hb.c, hb_track.c):
 *  - every node: keeps resources online only while it holds its quorum lease, and takes them
 *    offline by itself the moment the lease runs out (self-fencing);
 *  - the leader: records nodes Up and Down as heartbeats show them, and moves the groups of a
 *    node once that node is surely fenced — never earlier, so two nodes never hold a group at the
 *    same time (docs/failover.md). Fenced comes before Down: a node silent for its lease has
 *    taken its resources offline itself, so its groups need not wait for the Down verdict.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <raft.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"
#include "common/cluster_props.h"
#include "daemon/base/log.h"
#include "daemon/rm/rhs.h"
#include "daemon/svc/svc.h"

static uint32_t prop_u32(struct svc *s, const char *key, uint32_t fallback)
{
    char *v = NULL;
    uint32_t n = fallback;

    if (s->db != NULL && cdb_get_prop(s->db, key, &v) == 0) {
        char *end;
        unsigned long x = strtoul(v, &end, 10);

        if (*v != '\0' && *end == '\0')
            n = (uint32_t)x;
    }
    free(v);
    return n;
}

/* The heartbeat settings the cluster properties ask for (Windows' names and bounds, and
 * QuorumLease). */
static void wanted_config(struct svc *s, struct hb_config *cfg)
{
    uint32_t delay = prop_u32(s, "SameSubnetDelay", SVC_DEFAULT_HB_DELAY_MS);
    uint32_t threshold = prop_u32(s, "SameSubnetThreshold", SVC_DEFAULT_HB_THRESHOLD);
    /* Until this node has caught up once it may not know QuorumLease: it declares the shortest
     * lease, since the others fence it by the longest it declared lately, and a lease shorter
     * than the cluster's is always safe to hold. */
    uint32_t lease = s->props_known ? prop_u32(s, "QuorumLease", 0) : CLUSTER_LEASE_MIN;

    if (!hb_config_valid(delay, threshold, lease)) {
        delay = SVC_DEFAULT_HB_DELAY_MS;
        threshold = SVC_DEFAULT_HB_THRESHOLD;
        lease = 0;
    }
    hb_config_defaults(cfg, delay, threshold, lease);
}

/* Members as the database has them (nodes[0..n)), or as the configuration does before the
 * first commit. */
static size_t wanted_members(struct svc *s, const struct cdb_node *nodes, size_t n,
                             struct hb_member *out)
{
    if (n > 0) {
        for (size_t i = 0; i < n && i < HB_MAX_NODES; i++) {
            out[i] = (struct hb_member){.id = nodes[i].id, .port = (uint16_t)nodes[i].port,
                                        .voter = consensus_member_role(s->consensus,
                                                                       nodes[i].id) ==
                                                 RAFT_VOTER};
            snprintf(out[i].address, sizeof(out[i].address), "%s", nodes[i].address);
        }
        return n < HB_MAX_NODES ? n : HB_MAX_NODES;
    }
    for (size_t i = 0; i < s->conf.n_peers && i < HB_MAX_NODES; i++) {
        const struct node_peer *p = &s->conf.peers[i];

        out[i] = (struct hb_member){.id = p->id, .port = (uint16_t)p->port,
                                    .voter = p->role == RAFT_VOTER};
        snprintf(out[i].address, sizeof(out[i].address), "%s", p->address);
    }
    return s->conf.n_peers < HB_MAX_NODES ? s->conf.n_peers : HB_MAX_NODES;
}

/* The incarnations the database has (hb_track_note_incarnation). */
static void note_incarnations(struct svc *s, const struct cdb_node *nodes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        hb_note_incarnation(s->hb, nodes[i].id, nodes[i].incarnation);
}

/* Runs after every apply (and now and then): members, settings and incarnations follow the
 * database on every node, so that a new leader knows which reports came before a node came
 * back. */
void svc_health_sync(struct svc *s)
{
    struct hb_member members[HB_MAX_NODES];
    struct cdb_node *nodes = NULL;
    struct hb_config cfg;
    size_t n = 0;

    if (s->hb == NULL)
        return;
    if (s->db == NULL || cdb_nodes(s->db, &nodes, &n) < 0)
        n = 0;
    hb_set_members(s->hb, members, wanted_members(s, nodes, n, members));
    note_incarnations(s, nodes, n);
    free(nodes);
    wanted_config(s, &cfg);
    hb_set_config(s->hb, &cfg);
}

bool svc_holds_lease(struct svc *s)
{
    return s->hb != NULL && hb_track_lease_until(hb_tracker(s->hb), svc_now_ms()) > svc_now_ms();
}

bool svc_may_start_resources(struct svc *s)
{
    return svc_holds_lease(s) && s->lease_confirmed;
}

/* ------------------------------------------------------------------------------------------ */
/* Self-fencing                                                                                */
/* ------------------------------------------------------------------------------------------ */

static void fenced_done(struct svc *s, void *arg)
{
    (void)arg;
    LOGW("health", "resources taken offline: this node lost its quorum lease");
    svc_kick(s);
}

/*
 * Each lease after a start or a lapse is confirmed before anything starts: the node commits
 * CONFIRM_NODE (its incarnation goes up) and waits until it has applied it. A move of its
 * groups decided while it had no lease either stands earlier in the log, so the node sees it
 * first and stays away, or comes later and is refused, because the leader's takeover expects
 * the incarnation it saw (EXPECT_NODE, rgm_fail_over). A process that starts again with a
 * database some commits old is no exception: it too first learns where its groups went.
 */
static void confirmed(struct svc *s, void *arg, int rv, uint32_t status, const char *errmsg)
{
    uint64_t lapses = (uint64_t)(uintptr_t)arg;

    (void)errmsg;
    s->lease_confirming = false;
    if (rv == 0 && status == 0 && lapses == s->lease_lapses) {
        s->lease_confirmed = true;
        LOGI("health", "lease confirmed: resources may start");
    }
    svc_kick(s);
}

static void confirm_lease(struct svc *s)
{
    struct wire_writer w;
    uint8_t *cmd;
    size_t len;

    wire_writer_init(&w);
    cdb_cmd_confirm_node(&w, s->conf.node_id);
    cmd = wire_writer_take(&w, &len);
    if (cmd == NULL)
        return;
    s->lease_confirming = true;
    svc_submit(s, cmd, len, confirmed, (void *)(uintptr_t)s->lease_lapses);
    free(cmd);
}

static void check_lease(struct svc *s)
{
    uint64_t until = hb_track_lease_until(hb_tracker(s->hb), svc_now_ms());
    bool held = until > svc_now_ms();

    if (until != s->lease_sent) { /* the resource host enforces it even if we cannot */
        rhs_lease(until);
        s->lease_sent = until;
    }
    if (held != s->lease_held) {
        s->lease_held = held;
        if (!held) { /* a lapse: the others may be moving our groups */
            s->lease_lapses++;
            s->lease_confirmed = false;
        }
    }
    if (held && !s->lease_confirmed && !s->lease_confirming)
        confirm_lease(s);
    if (s->local == NULL || s->terminate_cb != NULL || svc_holds_lease(s))
        return;
    /* No majority has echoed us for a lease's time: another node may take over any moment. */
    rgm_terminate_all(s, fenced_done, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Leader: node states and takeover                                                            */
/* ------------------------------------------------------------------------------------------ */

static void health_committed(struct svc *s, void *arg, int rv, uint32_t status,
                             const char *errmsg)
{
    (void)arg;
    s->health_busy = false;
    if (rv < 0 || status != 0)
        LOGW("health", "cannot record a change: %s", errmsg && *errmsg ? errmsg : "no leader");
    svc_kick(s);
}

static bool commit(struct svc *s, struct wire_writer *w)
{
    size_t len;
    uint8_t *cmd = wire_writer_take(w, &len);

    if (cmd == NULL)
        return false;
    s->health_busy = true;
    svc_submit(s, cmd, len, health_committed, NULL);
    free(cmd);
    return true;
}

/* One batch with every node whose recorded state heartbeats contradict. */
static bool update_node_states(struct svc *s, const struct cdb_node *nodes, size_t n)
{
    const struct hb_track *t = hb_tracker(s->hb);
    uint64_t now = svc_now_ms();
    struct wire_writer w;
    bool any = false;

    wire_writer_init(&w);
    cdb_cmd_batch(&w);
    for (size_t i = 0; i < n; i++) {
        bool up = hb_track_up(t, nodes[i].id, now);
        int32_t want = up ? ClusterNodeUp : ClusterNodeDown;

        if (nodes[i].state == want || (nodes[i].state == ClusterNodeJoining && !up) ||
            nodes[i].state == ClusterNodePaused /* decided by the administrator */)
            continue;
        {
            size_t mark = cdb_cmd_batch_sub_begin(&w);

            cdb_cmd_set_node_state(&w, nodes[i].id, want);
            cdb_cmd_batch_sub_end(&w, mark);
        }
        LOGI("health", "node %s is %s", nodes[i].name, up ? "up" : "down");
        any = true;
    }
    if (!any) {
        wire_writer_done(&w);
        return false;
    }
    return commit(s, &w);
}

/*
 * FailoverThreshold / FailoverPeriod: a group whose resource keeps failing fails over at most
 * (nodes − 1) times in six hours (Windows' defaults), then stays Failed for the administrator.
 * Counted by the leader; moves because the owner node is gone do not count.
 */
#define FAILOVER_PERIOD_MS (6ull * 3600 * 1000)

static bool failover_allowed(struct svc *s, const char *group, size_t n_nodes)
{
    uint64_t now = svc_now_ms();
    unsigned threshold = n_nodes > 1 ? (unsigned)n_nodes - 1 : 1;
    struct svc_failover *f = NULL;

    for (size_t i = 0; i < SVC_MAX_FAILOVER_GROUPS && f == NULL; i++)
        if (strcasecmp(s->failovers[i].group, group) == 0 || s->failovers[i].group[0] == '\0')
            f = &s->failovers[i];
    if (f == NULL)
        return true;
    if (f->group[0] == '\0' || now - f->since > FAILOVER_PERIOD_MS) {
        snprintf(f->group, sizeof(f->group), "%s", group);
        f->since = now;
        f->count = 0;
    }
    if (f->count >= threshold) {
        LOGW("health", "group %s failed over %u times in the period: it stays failed", group,
             f->count);
        return false;
    }
    f->count++;
    return true;
}

static bool group_wants_online(const struct cdb_group *g)
{
    return g->state == ClusterGroupOnline || g->state == ClusterGroupPending ||
           g->state == ClusterGroupPartialOnline || g->state == ClusterGroupFailed;
}

static const struct cdb_node *node_find(const struct cdb_node *nodes, size_t n, uint64_t id)
{
    for (size_t k = 0; k < n; k++)
        if (nodes[k].id == id)
            return &nodes[k];
    return NULL;
}

/* Groups whose owner is surely fenced (or gone) go to another node. */
static bool take_over(struct svc *s, const struct cdb_node *nodes, size_t n)
{
    const struct hb_track *t = hb_tracker(s->hb);
    struct cdb_group *groups;
    size_t n_groups;
    bool started = false;

    if (cdb_groups(s->db, &groups, &n_groups) < 0)
        return false;
    for (size_t i = 0; i < n_groups && !started; i++) {
        const struct cdb_group *g = &groups[i];
        const struct cdb_node *owner = node_find(nodes, n, g->owner);
        bool owner_alive = owner != NULL && !hb_track_fenced(t, g->owner, svc_now_ms());
        char errmsg[160];

        if (!group_wants_online(g))
            continue;
        /* A live owner keeps its group, unless the group failed there for good; and the
         * threshold stops a broken resource from bouncing between nodes. A group whose owner
         * is fenced always moves: its lease is over, so nothing of it runs there. */
        if (owner_alive && (g->state != ClusterGroupFailed || !failover_allowed(s, g->name, n)))
            continue;
        LOGW("health", "moving group %s away from node %llu", g->name,
             (unsigned long long)g->owner);
        started = rgm_fail_over(s, g->name, g->owner, owner, errmsg, sizeof(errmsg)) == ERROR_IO_PENDING;
        if (started)
            s->health_busy = true;
    }
    free(groups);
    return started;
}

/* Resources a node was handing over when it fell silent: once it is surely fenced it holds
 * nothing any more, so their new owners may start them. */
static bool release_fenced(struct svc *s, const struct cdb_node *nodes, size_t n)
{
    const struct hb_track *t = hb_tracker(s->hb);
    struct cdb_resource *res;
    struct wire_writer w;
    size_t n_res;
    bool any = false;

    if (cdb_resources(s->db, NULL, &res, &n_res) < 0)
        return false;
    wire_writer_init(&w);
    cdb_cmd_batch(&w);
    for (size_t i = 0; i < n_res; i++) {
        const struct cdb_node *holder = node_find(nodes, n, res[i].handoff);

        if (holder != NULL && hb_track_fenced(t, holder->id, svc_now_ms())) {
            size_t mark = cdb_cmd_batch_sub_begin(&w);

            cdb_cmd_expect_node(&w, holder->id, holder->incarnation); /* as rgm_fail_over */
            cdb_cmd_batch_sub_end(&w, mark);
            mark = cdb_cmd_batch_sub_begin(&w);
            cdb_cmd_release_resource(&w, res[i].name, res[i].handoff);
            cdb_cmd_batch_sub_end(&w, mark);
            LOGW("health", "%s: node %llu is fenced, its hold is over", res[i].name,
                 (unsigned long long)res[i].handoff);
            any = true;
        }
    }
    free(res);
    if (!any) {
        wire_writer_done(&w);
        return false;
    }
    return commit(s, &w);
}

static void leader_duties(struct svc *s)
{
    struct cdb_node *nodes;
    size_t n;

    if (s->health_busy || consensus_role(s->consensus) != CONSENSUS_LEADER ||
        cdb_nodes(s->db, &nodes, &n) < 0)
        return;
    /* Decisions carry the incarnations read here (EXPECT_NODE): the reports they rest on must
     * be from after those, even if the sync after this apply has not run yet. */
    note_incarnations(s, nodes, n);
    if (!update_node_states(s, nodes, n) && !release_fenced(s, nodes, n))
        take_over(s, nodes, n);
    free(nodes);
}

static void tick(void *arg)
{
    struct svc *s = arg;

    if (s->stopping || s->wiping || s->db == NULL || s->consensus == NULL)
        return;
    check_lease(s);
    leader_duties(s);
}

/* ------------------------------------------------------------------------------------------ */
/* Start and stop                                                                              */
/* ------------------------------------------------------------------------------------------ */

int svc_health_start(struct svc *s)
{
    const struct node_peer *self = node_conf_peer(&s->conf, s->conf.node_id);
    struct hb_config cfg;
    int rv;

    if (s->hb != NULL)
        return 0;
    if (self == NULL || !svc_keys_held(s))
        return -EINVAL;
    s->lease_held = s->lease_confirmed = s->lease_confirming = false;
    s->lease_sent = 0;
    wanted_config(s, &cfg);
    rv = hb_start(s->loop, self->address, (uint16_t)self->port, &s->keys,
                  s->conf.node_id, &cfg, tick, s, &s->hb);
    if (rv < 0)
        return rv;
    svc_health_sync(s);
    return 0;
}

void svc_health_stop(struct svc *s)
{
    hb_stop(s->hb);
    s->hb = NULL;
    s->health_busy = false;
}
