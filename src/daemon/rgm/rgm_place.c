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
#include "daemon/base/log.h"
#include "daemon/rgm/rgm_internal.h"

#include "common/rpc_proto.h"
#include "daemon/consensus/consensus.h"
/* ------------------------------------------------------------------------------------------ */
/* Placement (leader)                                                                          */
/* ------------------------------------------------------------------------------------------ */

bool rgm_node_is_up(struct rgm *m, uint64_t id)
{
    struct cdb_node n;

    return cdb_node_by_id(m->host->db, id, &n) == 0 && n.state == ClusterNodeUp;
}

/*
 * Preferred owners first; then any Up node but the leader (so that losing one node never costs
 * an election and a failover at once), by id; the leader last. exclude is never chosen.
 */
static uint64_t choose_owner(struct rgm *m, const char *group, uint64_t exclude)
{
    uint64_t *pref, owner = 0;
    struct cdb_node *nodes;
    size_t n;

    if (cdb_preferred(m->host->db, group, &pref, &n) == 0) {
        for (size_t i = 0; i < n && owner == 0; i++)
            if (pref[i] != exclude && rgm_node_is_up(m, pref[i]))
                owner = pref[i];
        free(pref);
    }
    if (owner == 0 && cdb_nodes(m->host->db, &nodes, &n) == 0) {
        for (size_t i = 0; i < n && owner == 0; i++)
            if (nodes[i].state == ClusterNodeUp && nodes[i].id != exclude &&
                nodes[i].id != m->host->node_id)
                owner = nodes[i].id;
        free(nodes);
    }
    if (owner == 0 && m->host->node_id != exclude && rgm_node_is_up(m, m->host->node_id))
        owner = m->host->node_id;
    return owner;
}

static void placed(void *arg, int rv, uint32_t status, const char *errmsg)
{
    struct rgm *m = arg;

    if (rv < 0 || status != 0)
        LOGW("rgm", "cannot place a group: %s", errmsg ? errmsg : "");
    m->host->kick(m->host);
}

/* How commit_group treats the group's resources. */
enum {
    ONLY_ACTIVE = 1, /* leave the resources that are offline as they are */
    HAND_OVER = 2,   /* whichever node holds each resource hands it over to owner */
};

/* Starts a batch; with gone, one that is refused should that node have come back with a new
 * lease since the caller saw it (its incarnation moved on: cdb_cmd.h, EXPECT_NODE). */
static void batch_begin(struct wire_writer *w, const struct cdb_node *gone)
{
    cdb_cmd_batch(w);
    if (gone != NULL) {
        size_t mark = cdb_cmd_batch_sub_begin(w);

        cdb_cmd_expect_node(w, gone->id, gone->incarnation);
        cdb_cmd_batch_sub_end(w, mark);
    }
}

/* Commits the same state change for a group and each of its resources (one batch; see
 * batch_begin for gone). */
static uint32_t commit_group(struct rgm *m, const char *group, int32_t group_state,
                             uint64_t owner, int32_t res_state, unsigned flags,
                             const struct cdb_node *gone, host_commit_cb done, void *arg)
{
    struct cdb_resource *res;
    struct wire_writer w;
    size_t n_res, mark;

    if (cdb_resources(m->host->db, group, &res, &n_res) < 0)
        return ERROR_NOT_ENOUGH_MEMORY;
    wire_writer_init(&w);
    batch_begin(&w, gone);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_set_group_state(&w, group, group_state, owner);
    cdb_cmd_batch_sub_end(&w, mark);
    for (size_t i = 0; i < n_res; i++) {
        if ((flags & ONLY_ACTIVE) && res[i].state == ClusterResourceOffline)
            continue;
        mark = cdb_cmd_batch_sub_begin(&w);
        cdb_cmd_set_resource_state(&w, res[i].name, res_state,
                                   res_state == ClusterResourceOffline ? 0 : owner);
        if (flags & HAND_OVER)
            cdb_cmd_hand_over(&w);
        cdb_cmd_batch_sub_end(&w, mark);
    }
    free(res);
    if (!host_submit_writer(m->host, &w, done, arg))
        return ERROR_NOT_ENOUGH_MEMORY;
    return ERROR_IO_PENDING;
}

uint32_t rgm_group_online(struct rgm *m, const char *group, uint64_t node_id, char *errmsg,
                          size_t n)
{
    struct cdb_group g;
    uint64_t owner;

    if (consensus_role(m->host->consensus) != CONSENSUS_LEADER) {
        snprintf(errmsg, n, "this node does not lead the cluster");
        return RPC_STATUS_NOT_LEADER;
    }
    if (cdb_group_by_name(m->host->db, group, &g) < 0) {
        snprintf(errmsg, n, "group %s not found", group);
        return ERROR_GROUP_NOT_FOUND;
    }
    if (g.state == ClusterGroupOnline)
        return 0;
    /* No node named: where it is (an offline group keeps its owner), else the best node. */
    owner = node_id != 0                              ? node_id
            : g.owner != 0 && rgm_node_is_up(m, g.owner) ? g.owner
                                                      : choose_owner(m, group, 0);
    if (owner == 0 || !rgm_node_is_up(m, owner)) {
        snprintf(errmsg, n, "no node is available to host %s", group);
        return ERROR_HOST_NODE_NOT_AVAILABLE;
    }
    return commit_group(m, group, ClusterGroupPending, owner, ClusterResourceOnlinePending, 0,
                        NULL, placed, m);
}

/* One batch: the group Pending on target, each active resource OnlinePending there, handed
 * over by whichever node holds it when the batch is applied. */
static uint32_t commit_move(struct rgm *m, const char *group, uint64_t target, host_commit_cb done,
                            void *arg)
{
    return commit_group(m, group, ClusterGroupPending, target, ClusterResourceOnlinePending,
                        ONLY_ACTIVE | HAND_OVER, NULL, done, arg);
}

uint32_t rgm_group_move(struct rgm *m, const char *group, uint64_t *node_id, int32_t *state,
                        char *errmsg, size_t n)
{
    struct cdb_group g;
    uint64_t target;

    if (cdb_group_by_name(m->host->db, group, &g) < 0) {
        snprintf(errmsg, n, "group %s not found", group);
        return ERROR_GROUP_NOT_FOUND;
    }
    target = *node_id != 0 ? *node_id : choose_owner(m, group, g.owner);
    if (target == 0 || !rgm_node_is_up(m, target)) {
        snprintf(errmsg, n, "no node is available to host %s", group);
        return ERROR_HOST_NODE_NOT_AVAILABLE;
    }
    *node_id = target;
    *state = g.state == ClusterGroupOffline ? ClusterGroupOffline : ClusterGroupOnline;
    if (g.owner == target && (g.state == ClusterGroupOnline || g.state == ClusterGroupOffline))
        return 0;
    if (g.state == ClusterGroupOffline)
        return commit_group(m, group, ClusterGroupOffline, target, ClusterResourceOffline, 0,
                            NULL, placed, m);
    return commit_move(m, group, target, placed, m);
}

uint32_t rgm_fail_over(struct rgm *m, const char *group, uint64_t old_owner,
                       const struct cdb_node *gone, host_commit_cb done, void *arg, char *errmsg,
                       size_t n)
{
    uint64_t owner = choose_owner(m, group, old_owner);

    if (owner == 0) {
        snprintf(errmsg, n, "no node is available to host %s", group);
        return ERROR_HOST_NODE_NOT_AVAILABLE;
    }
    LOGI("rgm", "group %s goes to node %llu", group, (unsigned long long)owner);
    return commit_group(m, group, ClusterGroupPending, owner, ClusterResourceOnlinePending, 0,
                        gone, done, arg);
}

uint32_t rgm_group_offline(struct rgm *m, const char *group, bool force, char *errmsg, size_t n)
{
    struct cdb_resource *res;
    struct cdb_group g;
    size_t n_res;

    if (cdb_group_by_name(m->host->db, group, &g) < 0) {
        snprintf(errmsg, n, "group %s not found", group);
        return ERROR_GROUP_NOT_FOUND;
    }
    if (g.state == ClusterGroupOffline)
        return 0;
    if (cdb_resources(m->host->db, group, &res, &n_res) < 0)
        return ERROR_NOT_ENOUGH_MEMORY;
    free(res);
    /* Without its owner (or without resources) nothing has to run: record it offline now;
     * force is the caller vouching that the owner is gone. */
    if (force || n_res == 0 || g.owner == 0 || !rgm_node_is_up(m, g.owner))
        return commit_group(m, group, ClusterGroupOffline, 0, ClusterResourceOffline, 0, NULL,
                            placed, m);
    return commit_group(m, group, ClusterGroupPending, g.owner, ClusterResourceOfflinePending,
                        ONLY_ACTIVE, NULL, placed, m);
}

uint32_t rgm_group_delete(struct rgm *m, const char *group, bool with_resources,
                          host_commit_cb done, void *arg, char *errmsg, size_t n)
{
    struct cdb_resource *res;
    size_t n_res = 0;
    struct cdb_group g;
    struct wire_writer w;

    if (cdb_group_by_name(m->host->db, group, &g) < 0) {
        snprintf(errmsg, n, "group %s not found", group);
        return ERROR_GROUP_NOT_FOUND;
    }
    if (g.state != ClusterGroupOffline) {
        snprintf(errmsg, n, "group %s is not offline", group);
        return ERROR_INVALID_STATE;
    }
    if (cdb_resources(m->host->db, group, &res, &n_res) < 0)
        return ERROR_NOT_ENOUGH_MEMORY;
    free(res);
    if (n_res > 0 && !with_resources) {
        snprintf(errmsg, n, "group %s still has %zu resource(s)", group, n_res);
        return ERROR_DIR_NOT_EMPTY; /* as DeleteClusterGroup on Windows */
    }
    wire_writer_init(&w);
    cdb_cmd_delete_group(&w, group);
    return host_submit_writer(m->host, &w, done, arg) ? ERROR_IO_PENDING
                                                       : ERROR_NOT_ENOUGH_MEMORY;
}

static void drain_moved(void *arg, int rv, uint32_t status, const char *errmsg)
{
    struct rgm *m = arg;

    m->drain_pending--;
    if (rv < 0 || status != 0) {
        LOGW("rgm", "stopping: a group could not be handed over: %s", errmsg ? errmsg : "");
        m->drain_failed = true;
    }
    m->host->kick(m->host);
}

size_t rgm_drain(struct rgm *m)
{
    struct cdb_group *groups;
    size_t n, moved = 0;

    if (cdb_groups(m->host->db, &groups, &n) < 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t target;

        if (groups[i].owner != m->host->node_id || groups[i].state == ClusterGroupOffline)
            continue;
        target = choose_owner(m, groups[i].name, m->host->node_id);
        if (target == 0)
            continue; /* nowhere to go: it stops with this node */
        LOGI("rgm", "stopping: group %s goes to node %llu", groups[i].name,
             (unsigned long long)target);
        moved += commit_move(m, groups[i].name, target, drain_moved, m) == ERROR_IO_PENDING;
    }
    free(groups);
    m->drain_pending = moved;
    return moved;
}

