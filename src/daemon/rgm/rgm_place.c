/*
 * rgm_place — the leader's side of the group manager: where a group runs (preferred owners, then
 * any Up node but the leader, the leader last) and the group operations, each one commit: online,
 * move (a handover: the new owner starts each resource once the old one let go of it), failover,
 * offline, delete, and the handover of a stopping node's groups.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"
#include "common/mono_clock.h"
#include "common/rpc_proto.h"
#include "daemon/base/log.h"
#include "daemon/consensus/consensus.h"
#include "daemon/rgm/rgm_internal.h"
#include "daemon/rgm/rgm_policy.h"

/* ------------------------------------------------------------------------------------------ */
/* Placement (leader)                                                                          */
/* ------------------------------------------------------------------------------------------ */

void rgm_placement_done(struct rgm_placement *p)
{
    free(p->nodes);
    free(p->pref);
    free(p->barred);
}

/* Bars from every placement every witness (it votes and hosts nothing: docs/failover.md,
 * "Quorum") and the quarantined nodes (rgm_always_barred; leaving: the node the group moves
 * away from, 0 for none). */
static int placement_bar_always(struct rgm_placement *p, uint64_t leaving)
{
    p->barred = calloc(p->members.n_nodes + 1, sizeof(*p->barred));
    if (p->barred == NULL)
        return -ENOMEM;
    p->members.n_barred =
        rgm_always_barred(p->nodes, p->members.n_nodes, wall_ms(), leaving, p->barred);
    if (p->members.n_barred == 0) { /* nothing barred: no list, as without witnesses */
        free(p->barred);
        p->barred = NULL;
    }
    p->members.barred = p->barred;
    return 0;
}

int rgm_placement_bar(struct rgm *m, struct rgm_placement *p, const char *const *names,
                      size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t *ids, *more;
        size_t k;

        if (cdb_excluded(m->host->db, names[i], &ids, &k) < 0)
            return -ENOMEM;
        if (k == 0)
            continue; /* every member may own it (an empty list is NULL) */
        more = realloc(p->barred, (p->members.n_barred + k) * sizeof(*more));
        if (more == NULL) {
            free(ids);
            return -ENOMEM;
        }
        memcpy(more + p->members.n_barred, ids, k * sizeof(*ids));
        free(ids);
        p->barred = more;
        p->members.barred = more;
        p->members.n_barred += k;
    }
    return 0;
}

/* Bars the nodes excluded by group's resources: every one, or (only_active) those not
 * Offline, which are the ones a move or a failover starts. 0 or ERROR_NOT_ENOUGH_MEMORY. */
static uint32_t placement_bar_group(struct rgm *m, struct rgm_placement *p, bool only_active)
{
    struct cdb_resource *res;
    const char **names;
    size_t n_res, k = 0;
    int rv;

    if (cdb_resources(m->host->db, p->group.name, &res, &n_res) < 0)
        return ERROR_NOT_ENOUGH_MEMORY;
    names = calloc(n_res + 1, sizeof(*names));
    if (names == NULL) {
        free(res);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    for (size_t i = 0; i < n_res; i++)
        if (!only_active || res[i].state != ClusterResourceOffline)
            names[k++] = res[i].name;
    rv = rgm_placement_bar(m, p, names, k);
    free(names);
    free(res);
    return rv < 0 ? ERROR_NOT_ENOUGH_MEMORY : 0;
}

/* What a placement read bars, beyond witnesses and quarantined nodes (placement_bar_always). */
enum placement_bars {
    BAR_EXCLUDED = 1,        /* the nodes the group's resources exclude */
    BAR_EXCLUDED_ACTIVE = 2, /* of a group not Offline, only those its active resources exclude */
    BAR_LEAVING = 4,         /* the group leaves its owner, which is no alternative to a
                                quarantined node then */
};

/* Reads what deciding about group takes, with the bars asked for (enum placement_bars). */
static uint32_t placement_read(struct rgm *m, const char *group, unsigned bars,
                               struct rgm_placement *p, char *errmsg, size_t n)
{
    size_t n_nodes = 0;

    memset(p, 0, sizeof(*p));
    if (cdb_group_by_name(m->host->db, group, &p->group) < 0) {
        snprintf(errmsg, n, "group %s not found", group);
        return ERROR_GROUP_NOT_FOUND;
    }
    if (cdb_nodes(m->host->db, &p->nodes, &n_nodes) < 0 ||
        cdb_preferred(m->host->db, group, &p->pref, &p->n_pref) < 0)
        return ERROR_NOT_ENOUGH_MEMORY;
    p->members = (struct rgm_members){.self = m->host->node_id, .nodes = p->nodes,
                                      .n_nodes = n_nodes};
    if (placement_bar_always(p, bars & BAR_LEAVING ? p->group.owner : 0) < 0)
        return ERROR_NOT_ENOUGH_MEMORY;
    if (bars & (BAR_EXCLUDED | BAR_EXCLUDED_ACTIVE))
        return placement_bar_group(m, p, (bars & BAR_EXCLUDED_ACTIVE) &&
                                             p->group.state != ClusterGroupOffline);
    return 0;
}

uint32_t rgm_placement_read(struct rgm *m, const char *group, struct rgm_placement *p,
                            char *errmsg, size_t n)
{
    return placement_read(m, group, 0, p, errmsg, n);
}

static void placed(void *arg, int rv, uint32_t status, const char *errmsg)
{
    struct rgm *m = arg;

    if (rv < 0 || status != 0)
        LOGW("rgm", "cannot place a group: %s", errmsg ? errmsg : "");
    m->host->kick(m->host);
}

/*
 * Commits a COMMIT plan for group: its state and owner, and the state of each resource the plan
 * selects, in one batch. With gone, the batch is refused should that node have come back with a
 * new lease since the caller saw it (its incarnation moved on: cdb_cmd.h, EXPECT_NODE).
 * ERROR_IO_PENDING, then done runs with the outcome; or the failure.
 */
static uint32_t commit_plan(struct rgm *m, const char *group, const struct rgm_group_plan *plan,
                            const struct cdb_node *gone, host_commit_cb done, void *arg)
{
    struct cdb_resource *res;
    struct wire_writer w;
    size_t n_res, mark;

    assert(plan->action == RGM_PLAN_COMMIT);
    if (cdb_resources(m->host->db, group, &res, &n_res) < 0)
        return ERROR_NOT_ENOUGH_MEMORY;
    wire_writer_init(&w);
    cdb_cmd_batch(&w);
    if (gone != NULL) {
        mark = cdb_cmd_batch_sub_begin(&w);
        cdb_cmd_expect_node(&w, gone->id, gone->incarnation);
        cdb_cmd_batch_sub_end(&w, mark);
    }
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_set_group_state(&w, group, plan->group_state, plan->owner);
    cdb_cmd_batch_sub_end(&w, mark);
    for (size_t i = 0; i < n_res; i++) {
        uint64_t owner;

        if (!rgm_plan_resource(plan, &res[i], &owner))
            continue;
        mark = cdb_cmd_batch_sub_begin(&w);
        cdb_cmd_set_resource_state(&w, res[i].name, plan->resource_state, owner);
        if (plan->flags & RGM_HAND_OVER)
            cdb_cmd_hand_over(&w);
        cdb_cmd_batch_sub_end(&w, mark);
    }
    free(res);
    if (!host_submit_writer(m->host, &w, done, arg))
        return ERROR_NOT_ENOUGH_MEMORY;
    return ERROR_IO_PENDING;
}

/* Carries a plan out: 0, the refusal (said in errmsg), or as commit_plan. */
static uint32_t carry_out(struct rgm *m, const char *group, const struct rgm_group_plan *plan,
                          const struct cdb_node *gone, host_commit_cb done, void *arg,
                          char *errmsg, size_t n)
{
    switch (plan->action) {
    case RGM_PLAN_NOTHING:
        return 0;
    case RGM_PLAN_REFUSE:
        snprintf(errmsg, n, "no node is available to host %s", group);
        return plan->status;
    case RGM_PLAN_COMMIT:
        break;
    }
    return commit_plan(m, group, plan, gone, done, arg);
}

uint32_t rgm_group_online(struct rgm *m, const char *group, uint64_t node_id, char *errmsg,
                          size_t n)
{
    struct rgm_group_plan plan;
    struct rgm_placement p;
    uint32_t status;

    if (consensus_role(m->host->consensus) != CONSENSUS_LEADER) {
        snprintf(errmsg, n, "this node does not lead the cluster");
        return RPC_STATUS_NOT_LEADER;
    }
    status = placement_read(m, group, BAR_EXCLUDED, &p, errmsg, n);
    if (status == 0) {
        plan = rgm_plan_online(&p.members, &p.group, p.pref, p.n_pref, node_id);
        status = carry_out(m, group, &plan, NULL, placed, m, errmsg, n);
    }
    rgm_placement_done(&p);
    return status;
}

uint32_t rgm_group_move(struct rgm *m, const char *group, uint64_t *node_id, int32_t *state,
                        char *errmsg, size_t n)
{
    struct rgm_group_plan plan;
    struct rgm_placement p;
    /* To the best other node: the group leaves its owner, which is no alternative then. */
    uint32_t status = placement_read(
        m, group, BAR_EXCLUDED_ACTIVE | (*node_id == 0 ? BAR_LEAVING : 0), &p, errmsg, n);

    if (status == 0) {
        plan = rgm_plan_move(&p.members, &p.group, p.pref, p.n_pref, *node_id);
        if (plan.action != RGM_PLAN_REFUSE) {
            *node_id = plan.owner;
            *state = plan.wait_state;
        }
        status = carry_out(m, group, &plan, NULL, placed, m, errmsg, n);
    }
    rgm_placement_done(&p);
    return status;
}

uint32_t rgm_fail_over(struct rgm *m, const char *group, uint64_t old_owner,
                       const struct cdb_node *gone, host_commit_cb done, void *arg, char *errmsg,
                       size_t n)
{
    struct rgm_group_plan plan;
    struct rgm_placement p;
    uint32_t status = placement_read(m, group, BAR_EXCLUDED_ACTIVE, &p, errmsg, n);

    if (status == 0) {
        plan = rgm_plan_fail_over(&p.members, old_owner, p.pref, p.n_pref);
        if (plan.action == RGM_PLAN_COMMIT)
            LOGI("rgm", "group %s goes to node %llu", group, (unsigned long long)plan.owner);
        status = carry_out(m, group, &plan, gone, done, arg, errmsg, n);
    }
    rgm_placement_done(&p);
    return status;
}

/* How many resources group has; false when it cannot be read. */
static bool count_resources(struct rgm *m, const char *group, size_t *ret)
{
    struct cdb_resource *res;

    if (cdb_resources(m->host->db, group, &res, ret) < 0)
        return false;
    free(res);
    return true;
}

uint32_t rgm_group_offline(struct rgm *m, const char *group, bool force, char *errmsg, size_t n)
{
    struct rgm_group_plan plan;
    struct rgm_placement p;
    size_t n_res = 0;
    uint32_t status = rgm_placement_read(m, group, &p, errmsg, n);

    /* The resources are counted only for a group that is not offline yet. */
    if (status == 0 && p.group.state != ClusterGroupOffline &&
        !count_resources(m, group, &n_res))
        status = ERROR_NOT_ENOUGH_MEMORY;
    if (status == 0) {
        plan = rgm_plan_offline(&p.members, &p.group, n_res, force);
        status = carry_out(m, group, &plan, NULL, placed, m, errmsg, n);
    }
    rgm_placement_done(&p);
    return status;
}

uint32_t rgm_group_delete(struct rgm *m, const char *group, bool with_resources,
                          host_commit_cb done, void *arg, char *errmsg, size_t n)
{
    struct cdb_group g;
    struct wire_writer w;
    size_t n_res = 0;
    uint32_t status;

    if (cdb_group_by_name(m->host->db, group, &g) < 0) {
        snprintf(errmsg, n, "group %s not found", group);
        return ERROR_GROUP_NOT_FOUND;
    }
    if (g.state == ClusterGroupOffline && !count_resources(m, group, &n_res))
        return ERROR_NOT_ENOUGH_MEMORY;
    status = rgm_delete_check(&g, n_res, with_resources);
    if (status == ERROR_INVALID_STATE)
        snprintf(errmsg, n, "group %s is not offline", group);
    else if (status == ERROR_DIR_NOT_EMPTY) /* as DeleteClusterGroup on Windows */
        snprintf(errmsg, n, "group %s still has %zu resource(s)", group, n_res);
    if (status != 0)
        return status;
    wire_writer_init(&w);
    cdb_cmd_delete_group(&w, group);
    return host_submit_writer(m->host, &w, done, arg) ? ERROR_IO_PENDING
                                                       : ERROR_NOT_ENOUGH_MEMORY;
}

static void drain_moved(void *arg, int rv, uint32_t status, const char *errmsg)
{
    struct rgm *m = arg;

    assert(m->drain_pending > 0);
    m->drain_pending--;
    /* ERROR_IO_PENDING: a leader asked for the move (this node follows) is committing it. */
    if (rv < 0 || (status != 0 && status != ERROR_IO_PENDING)) {
        LOGW("rgm", "%s: a group could not be handed over: %s", m->drain_why,
             errmsg ? errmsg : "");
        m->drain_failed = true;
    }
    m->host->kick(m->host);
}

/* Hands group g of this node (stopping, or in a storage fault) over to the best other node; true when committing. */
static bool drain_group(struct rgm *m, const struct cdb_group *g)
{
    struct rgm_group_plan plan;
    struct rgm_placement p;
    uint64_t target;
    char errmsg[160];
    bool moving = false;

    if (placement_read(m, g->name, BAR_EXCLUDED_ACTIVE | BAR_LEAVING, &p, errmsg,
                       sizeof(errmsg)) == 0 &&
        (target = rgm_drain_target(&p.members, g, p.pref, p.n_pref)) != 0) {
        LOGI("rgm", "%s: group %s goes to node %llu", m->drain_why, g->name,
             (unsigned long long)target);
        plan = rgm_plan_move(&p.members, g, p.pref, p.n_pref, target);
        m->drain_pending++; /* drain_moved counts it down, maybe before this returns */
        if (consensus_role(m->host->consensus) == CONSENSUS_LEADER)
            moving = carry_out(m, g->name, &plan, NULL, drain_moved, m, errmsg,
                               sizeof(errmsg)) == ERROR_IO_PENDING;
        else /* a follower asks the leader, which alone commits moves */
            moving = m->host->ask_move(m->host, g->name, target, drain_moved, m) == 0;
        if (!moving)
            m->drain_pending--;
    }
    rgm_placement_done(&p);
    return moving;
}

size_t rgm_drain(struct rgm *m, const char *why)
{
    struct cdb_group *groups;
    size_t n, moved = 0;

    m->drain_why = why;
    if (cdb_groups(m->host->db, &groups, &n) < 0)
        return 0;
    m->drain_pending = 0;
    for (size_t i = 0; i < n; i++)
        moved += drain_group(m, &groups[i]);
    free(groups);
    return moved;
}

/* ------------------------------------------------------------------------------------------ */
/* Failover limits and failback (leader)                                                       */
/* ------------------------------------------------------------------------------------------ */

void rgm_group_failover_limits(struct rgm *m, const char *group, size_t n_nodes,
                               unsigned *ret_threshold, uint64_t *ret_period_ms)
{
    struct cdb_prop *props = NULL;
    size_t n = 0;

    if (cdb_group_props(m->host->db, group, &props, &n) < 0)
        n = 0; /* Windows' defaults */
    rgm_failover_limits(n ? props : NULL, n, n_nodes, ret_threshold, ret_period_ms);
    free(props);
}

/* group's failback slot, taken if it has none; NULL when the table is full. */
static struct rgm_failback_memo *failback_memo(struct rgm *m, const char *group)
{
    struct rgm_failback_slot *free_slot = NULL;

    for (size_t i = 0; i < RGM_FAILBACK_GROUPS; i++) {
        if (strcasecmp(m->failbacks[i].group, group) == 0)
            return &m->failbacks[i].memo;
        if (free_slot == NULL && m->failbacks[i].group[0] == '\0')
            free_slot = &m->failbacks[i];
    }
    if (free_slot == NULL)
        return NULL;
    snprintf(free_slot->group, sizeof(free_slot->group), "%s", group);
    free_slot->memo = (struct rgm_failback_memo){0};
    return &free_slot->memo;
}

/* Frees the slots of groups that are gone. */
static void failback_forget_gone(struct rgm *m, const struct cdb_group *groups, size_t n)
{
    for (size_t i = 0; i < RGM_FAILBACK_GROUPS; i++) {
        bool found = false;

        for (size_t j = 0; j < n && !found; j++)
            found = strcasecmp(m->failbacks[i].group, groups[j].name) == 0;
        if (!found)
            memset(&m->failbacks[i], 0, sizeof(m->failbacks[i]));
    }
}

/* The local hour, 0..23: failback windows are in local time, as Windows keeps them. */
static unsigned local_hour(void)
{
    time_t now = time(NULL);
    struct tm tm;

    if (localtime_r(&now, &tm) == NULL)
        return 0;
    return (unsigned)tm.tm_hour;
}

/* One group's failback, if due: a move to its preferred node. */
static void failback_group(struct rgm *m, const struct cdb_group *g, unsigned hour)
{
    struct rgm_failback_memo *memo = failback_memo(m, g->name);
    struct rgm_failback_policy policy;
    struct rgm_group_plan plan;
    struct rgm_placement p;
    struct cdb_prop *props = NULL;
    size_t n_props = 0;
    uint64_t target;
    char errmsg[160];

    if (memo == NULL)
        return;
    if (placement_read(m, g->name, BAR_EXCLUDED_ACTIVE, &p, errmsg, sizeof(errmsg)) == 0) {
        if (cdb_group_props(m->host->db, g->name, &props, &n_props) < 0)
            n_props = 0;
        rgm_failback_policy_read(n_props ? props : NULL, n_props, &policy);
        target = rgm_failback_decide(memo, &p.members, &p.group, p.pref, p.n_pref, &policy,
                                     hour);
        if (target != 0) {
            LOGI("rgm", "group %s fails back to node %llu", g->name, (unsigned long long)target);
            plan = rgm_plan_move(&p.members, &p.group, p.pref, p.n_pref, target);
            carry_out(m, g->name, &plan, NULL, placed, m, errmsg, sizeof(errmsg));
        }
        free(props);
    }
    rgm_placement_done(&p);
}

void rgm_failback(struct rgm *m, const struct cdb_group *groups, size_t n)
{
    unsigned hour;

    if (consensus_role(m->host->consensus) != CONSENSUS_LEADER) {
        memset(m->failbacks, 0, sizeof(m->failbacks)); /* a new term watches afresh */
        return;
    }
    failback_forget_gone(m, groups, n);
    hour = local_hour();
    for (size_t i = 0; i < n; i++)
        failback_group(m, &groups[i], hour);
}
