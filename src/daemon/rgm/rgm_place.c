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

#include <clusapi.h>

#include "common/cdb_cmd.h"
#include "common/rpc_proto.h"
#include "daemon/base/log.h"
#include "daemon/consensus/consensus.h"
#include "daemon/rgm/rgm_internal.h"
#include "daemon/rgm/rgm_policy.h"

/* ------------------------------------------------------------------------------------------ */
/* Placement (leader)                                                                          */
/* ------------------------------------------------------------------------------------------ */

/* What a placement decision reads (rgm_policy.h): the members, the group and its preferred
 * owners. */
struct placement {
    struct rgm_members members;
    struct cdb_group group;
    struct cdb_node *nodes;
    uint64_t *pref;
    size_t n_pref;
};

static void placement_done(struct placement *p)
{
    free(p->nodes);
    free(p->pref);
}

/* Reads what deciding about group takes; 0, ERROR_GROUP_NOT_FOUND (said in errmsg) or
 * ERROR_NOT_ENOUGH_MEMORY. p needs placement_done whatever it returns. */
static uint32_t placement_read(struct rgm *m, const char *group, struct placement *p,
                               char *errmsg, size_t n)
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
    return 0;
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
    struct placement p;
    uint32_t status;

    if (consensus_role(m->host->consensus) != CONSENSUS_LEADER) {
        snprintf(errmsg, n, "this node does not lead the cluster");
        return RPC_STATUS_NOT_LEADER;
    }
    status = placement_read(m, group, &p, errmsg, n);
    if (status == 0) {
        plan = rgm_plan_online(&p.members, &p.group, p.pref, p.n_pref, node_id);
        status = carry_out(m, group, &plan, NULL, placed, m, errmsg, n);
    }
    placement_done(&p);
    return status;
}

uint32_t rgm_group_move(struct rgm *m, const char *group, uint64_t *node_id, int32_t *state,
                        char *errmsg, size_t n)
{
    struct rgm_group_plan plan;
    struct placement p;
    uint32_t status = placement_read(m, group, &p, errmsg, n);

    if (status == 0) {
        plan = rgm_plan_move(&p.members, &p.group, p.pref, p.n_pref, *node_id);
        if (plan.action != RGM_PLAN_REFUSE) {
            *node_id = plan.owner;
            *state = plan.wait_state;
        }
        status = carry_out(m, group, &plan, NULL, placed, m, errmsg, n);
    }
    placement_done(&p);
    return status;
}

uint32_t rgm_fail_over(struct rgm *m, const char *group, uint64_t old_owner,
                       const struct cdb_node *gone, host_commit_cb done, void *arg, char *errmsg,
                       size_t n)
{
    struct rgm_group_plan plan;
    struct placement p;
    uint32_t status = placement_read(m, group, &p, errmsg, n);

    if (status == 0) {
        plan = rgm_plan_fail_over(&p.members, old_owner, p.pref, p.n_pref);
        if (plan.action == RGM_PLAN_COMMIT)
            LOGI("rgm", "group %s goes to node %llu", group, (unsigned long long)plan.owner);
        status = carry_out(m, group, &plan, gone, done, arg, errmsg, n);
    }
    placement_done(&p);
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
    struct placement p;
    size_t n_res = 0;
    uint32_t status = placement_read(m, group, &p, errmsg, n);

    /* The resources are counted only for a group that is not offline yet. */
    if (status == 0 && p.group.state != ClusterGroupOffline &&
        !count_resources(m, group, &n_res))
        status = ERROR_NOT_ENOUGH_MEMORY;
    if (status == 0) {
        plan = rgm_plan_offline(&p.members, &p.group, n_res, force);
        status = carry_out(m, group, &plan, NULL, placed, m, errmsg, n);
    }
    placement_done(&p);
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
        LOGW("rgm", "stopping: a group could not be handed over: %s", errmsg ? errmsg : "");
        m->drain_failed = true;
    }
    m->host->kick(m->host);
}

/* Hands group g of this stopping node over to the best other node; true when committing. */
static bool drain_group(struct rgm *m, const struct cdb_group *g)
{
    struct rgm_group_plan plan;
    struct placement p;
    uint64_t target;
    char errmsg[160];
    bool moving = false;

    if (placement_read(m, g->name, &p, errmsg, sizeof(errmsg)) == 0 &&
        (target = rgm_drain_target(&p.members, g, p.pref, p.n_pref)) != 0) {
        LOGI("rgm", "stopping: group %s goes to node %llu", g->name,
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
    placement_done(&p);
    return moving;
}

size_t rgm_drain(struct rgm *m)
{
    struct cdb_group *groups;
    size_t n, moved = 0;

    if (cdb_groups(m->host->db, &groups, &n) < 0)
        return 0;
    m->drain_pending = 0;
    for (size_t i = 0; i < n; i++)
        moved += drain_group(m, &groups[i]);
    free(groups);
    return moved;
}
