/*
 * setup_evict — EvictClusterNode(Ex/Ex2): the node's groups move to other nodes, the node leaves
 * raft and the database (leadership handed over first if it leads), the remaining members move
 * to a new cluster credential (so the evicted node's copy is refused from then on), and it is
 * wiped. A node that cannot be reached is evicted all the same and cleans itself when it returns
 * (ERROR_CLUSTER_EVICT_WITHOUT_CLEANUP).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <clusapi_ext.h>

#include "common/rpc_proto.h"
#include "lib/cluster_ops.h"
#include "lib/evict.h"
#include "lib/rekey.h"

#define EVICT_TIMEOUT_MS 20000
#define CLEAN_RETRY_MS 250 /* between attempts to reach a node that is away */
#define LEADER_RETRY_MS 100 /* between attempts while the cluster elects a leader */
/* Longer than any lease a node may still hold after it fell silent (QuorumLease at most 4000 ms,
 * with drift and margin): a node recorded Down all along is surely fenced after it. */
#define FENCE_WAIT_MS 5000
#define TAKEOVER_POLL_MS 100

static long elapsed_ms(const struct timespec *start)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

static bool group_online(const struct cluster_group *g)
{
    return g->state == ClusterGroupOnline || g->state == ClusterGroupPartialOnline ||
           g->state == ClusterGroupPending;
}

/* Does node id own a group that is online or on its way? */
static DWORD owns_online_group(struct cluster_handle *c, uint64_t id, bool *ret)
{
    struct cluster_group *groups;
    size_t n_groups;
    DWORD status = cluster_groups(c, &groups, &n_groups);

    *ret = false;
    for (size_t i = 0; status == 0 && i < n_groups && !*ret; i++)
        *ret = groups[i].owner == id && group_online(&groups[i]);
    if (status == 0)
        free(groups);
    return status;
}

/* A node found Down may still run its groups until its lease has run out; the leader moves them
 * once it is surely fenced. Waits for that (at most FENCE_WAIT_MS) rather than start them
 * elsewhere at once; whatever is left after the wait is surely no longer running there. */
static DWORD wait_taken_over(struct cluster_handle *c, uint64_t victim)
{
    struct timespec start;
    bool owns = true;
    DWORD status = 0;

    clock_gettime(CLOCK_MONOTONIC, &start);
    while (status == 0 && elapsed_ms(&start) < FENCE_WAIT_MS &&
           (status = owns_online_group(c, victim, &owns)) == 0 && owns)
        nanosleep(&(struct timespec){0, TAKEOVER_POLL_MS * 1000000L}, NULL);
    return status;
}

/* Moves every group the node owns to another Up node (never the witness: it hosts nothing). A
 * node that answers (Up, or paused) lets go of them first; the groups of one found Down are
 * taken over once it is surely fenced. */
static DWORD move_groups_away(struct cluster_handle *c, const struct cluster_node *victim,
                              const struct cluster_node *nodes, size_t n)
{
    bool answers = victim->state == ClusterNodeUp || victim->state == ClusterNodePaused;
    struct cluster_group *groups;
    size_t n_groups;
    uint64_t target = 0;
    DWORD status = answers ? 0 : wait_taken_over(c, victim->id);

    if (status == 0)
        status = cluster_groups(c, &groups, &n_groups);
    if (status != 0)
        return status;
    for (size_t i = 0; i < n && target == 0; i++)
        if (nodes[i].id != victim->id && nodes[i].state == ClusterNodeUp && !nodes[i].witness)
            target = nodes[i].id;
    for (size_t i = 0; i < n_groups && status == 0; i++) {
        if (groups[i].owner != victim->id || !group_online(&groups[i]))
            continue;
        if (answers && target != 0) {
            /* It lets go, the best other node starts: the service picks it, so that a
             * quarantined node hosts only when no other can. */
            status = cluster_group_move(c, groups[i].name, 0, CLUSTER_GROUP_TIMEOUT_MS);
            continue;
        }
        status = cluster_group_offline(c, groups[i].name, !answers, CLUSTER_GROUP_TIMEOUT_MS);
        if (status == 0 && target != 0)
            status = cluster_group_online(c, groups[i].name, target, CLUSTER_GROUP_TIMEOUT_MS);
    }
    free(groups);
    return status;
}

DWORD evict_member(struct cluster_handle *c, const struct cluster_node *victim)
{
    struct timespec start;
    struct wire_writer w;
    struct rpc_reply r;
    DWORD status;

    clock_gettime(CLOCK_MONOTONIC, &start);
    /* While the cluster elects a leader (the victim may have led it) the node asked knows none
     * (ERROR_CLUSTER_NODE_DOWN, or ERROR_CLUSTER_NO_QUORUM once that takes a while): ask again.
     * A retry that finds the node gone means an earlier attempt whose answer was lost did
     * remove it. */
    for (bool retried = false;; retried = true) {
        rpc_request(&w, RPC_OP_MEMBER_REMOVE);
        wire_put_u64(&w, RPC_F_NODE_ID, victim->id);
        status = cluster_call(c, &w, EVICT_TIMEOUT_MS, &r);
        if (retried && status == ERROR_CLUSTER_NODE_NOT_FOUND)
            status = 0;
        if ((status != ERROR_CLUSTER_NODE_DOWN && status != ERROR_CLUSTER_NO_QUORUM) ||
            elapsed_ms(&start) + LEADER_RETRY_MS >= EVICT_TIMEOUT_MS)
            break;
        rpc_reply_done(&r);
        nanosleep(&(struct timespec){0, LEADER_RETRY_MS * 1000000L}, NULL);
    }
    if (status != 0)
        lib_fail_text(status, "cannot evict %s: %s", victim->name, r.errmsg);
    rpc_reply_done(&r);
    return status;
}

/* Cleans the evicted node, retrying until timeout_ms while it does not answer. HRESULT. */
static HRESULT clean_evicted(const struct cluster_node *victim, const char *cluster_id,
                             DWORD timeout_ms)
{
    struct timespec start;
    char errmsg[LIB_ERRMSG_SIZE];
    DWORD status;

    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        status = cluster_clean_node(victim->address, victim->port, cluster_id, errmsg);
        if (status == 0 || status != ERROR_CLUSTER_NODE_UNREACHABLE ||
            elapsed_ms(&start) + CLEAN_RETRY_MS >= (long)timeout_ms)
            break;
        nanosleep(&(struct timespec){0, CLEAN_RETRY_MS * 1000000L}, NULL);
    }
    return status == 0 ? S_OK : HRESULT_FROM_WIN32(status);
}

DWORD evict_node(struct cluster_handle *c, const char *name, DWORD timeout_ms,
                 HRESULT *ret_cleanup)
{
    struct cluster_node *nodes;
    const struct cluster_node *victim;
    char cluster_id[40];
    size_t n;
    DWORD status = cluster_identity(c, cluster_id);

    if (status == 0)
        status = cluster_nodes(c, &nodes, &n);
    if (status != 0)
        return status;
    victim = cluster_node_find(nodes, n, name);
    if (victim == NULL) {
        lib_fail_text(status = ERROR_CLUSTER_NODE_NOT_FOUND, "%s is not a member", name);
    } else if (n == 1) {
        lib_fail_text(status = ERROR_CLUSTER_EVICT_INVALID_REQUEST,
                      "%s is the last node: destroy the cluster instead", name);
    }
    if (status == 0)
        status = move_groups_away(c, victim, nodes, n);
    if (status == 0)
        status = evict_member(c, victim);
    if (status == 0) {
        /* The remaining members move to a new credential first, so the one the evicted node
         * knows is refused whether or not it can be wiped now. */
        DWORD rekey = rekey_cluster(c);
        char why[LIB_ERRMSG_SIZE];
        HRESULT hr;

        snprintf(why, sizeof(why), "%s", ClusapiLastErrorText());
        hr = clean_evicted(victim, cluster_id, timeout_ms);
        if (ret_cleanup != NULL)
            *ret_cleanup = hr;
        if (hr != S_OK)
            lib_fail_text(status = ERROR_CLUSTER_EVICT_WITHOUT_CLEANUP,
                          "%s was evicted but could not be wiped now; it wipes itself when it "
                          "returns", name);
        else if (rekey != 0)
            lib_fail_text(status = rekey,
                          "%s was evicted, but the cluster credential it knows could not be "
                          "replaced (%s); run the rotation again once every member is up",
                          name, why);
    }
    free(nodes);
    return status;
}

static DWORD evict(HNODE hNode, DWORD timeout_ms, HRESULT *ret_cleanup)
{
    struct object_handle *node = (struct object_handle *)handle_get(hNode, HANDLE_NODE);

    lib_clear_error();
    if (node == NULL)
        return lib_fail(ERROR_INVALID_HANDLE);
    return evict_node((struct cluster_handle *)node->h.parent, node->name, timeout_ms,
                      ret_cleanup);
}

CLUSAPI_API DWORD CLUSAPI_CALL EvictClusterNode(HNODE hNode)
{
    return evict(hNode, 0, NULL);
}

CLUSAPI_API DWORD CLUSAPI_CALL EvictClusterNodeEx(HNODE hNode, DWORD dwTimeOut,
                                                  HRESULT *phrCleanupStatus)
{
    return evict(hNode, dwTimeOut, phrCleanupStatus);
}

CLUSAPI_API DWORD CLUSAPI_CALL EvictClusterNodeEx2(HNODE hNode, DWORD dwTimeout,
                                                   HRESULT *phrCleanupStatus,
                                                   LPCWSTR lpszReason)
{
    char *reason;

    /* The reason is for the cluster log, which the daemons keep themselves; a malformed one
     * still fails the call before anything is evicted. */
    if (lpszReason != NULL) {
        lib_clear_error();
        if (handle_get(hNode, HANDLE_NODE) == NULL)
            return lib_fail(ERROR_INVALID_HANDLE);
        if ((reason = lib_name_in(lpszReason)) == NULL)
            return GetLastError();
        free(reason);
    }
    return evict(hNode, dwTimeout, phrCleanupStatus);
}
