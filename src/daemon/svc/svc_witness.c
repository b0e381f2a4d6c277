/*
 * svc_witness — the witness and the service: what a witness node does differently (clussvc
 * --witness: it votes and stores the log like any member, starts no resource host and hosts
 * nothing, and hands raft leadership to a real node so that the group manager runs there), and
 * what every node tells its Node Witness driver about the witness members.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <raft.h>

#include <clusapi.h>

#include "daemon/base/log.h"
#include "daemon/rm/rm.h"
#include "daemon/svc/svc.h"

#define HANDOFF_RETRY_MS 500 /* after a hand-off that left this node leading */

bool svc_witness_may_start(void *arg)
{
    (void)arg;
    return false; /* a witness brings nothing online, whatever the database says */
}

/* ------------------------------------------------------------------------------------------ */
/* Leadership hand-off (witness mode)                                                          */
/* ------------------------------------------------------------------------------------------ */

static void handed_over(void *arg, int rv)
{
    struct svc *s = arg;

    s->witness.handing_over = false;
    if (s->consensus != NULL && consensus_role(s->consensus) == CONSENSUS_LEADER) {
        /* Not taken (the target was gone or slow): another one next time, a little later. */
        LOGW("witness", "node %llu did not take the leadership%s%s",
             (unsigned long long)s->witness.target, rv < 0 ? ": " : "",
             rv < 0 ? strerror(-rv) : "");
        s->witness.last_refused = s->witness.target;
        s->witness.next_try = svc_now_ms() + HANDOFF_RETRY_MS;
    } else {
        LOGI("witness", "leadership handed to node %llu", (unsigned long long)s->witness.target);
        s->witness.last_refused = 0;
    }
}

/* A voter that hosts groups and is recorded Up, other than the one that refused last time
 * unless it is the only one; 0 if none. */
static uint64_t handoff_target(struct svc *s)
{
    struct cdb_node *nodes;
    uint64_t pick = 0, refused = 0;
    size_t n;

    if (cdb_nodes(s->db, &nodes, &n) < 0)
        return 0;
    for (size_t i = 0; i < n && pick == 0; i++) {
        if (nodes[i].witness || nodes[i].id == s->conf.node_id ||
            nodes[i].state != ClusterNodeUp ||
            consensus_member_role(s->consensus, nodes[i].id) != RAFT_VOTER)
            continue;
        if (nodes[i].id == s->witness.last_refused)
            refused = nodes[i].id;
        else
            pick = nodes[i].id;
    }
    free(nodes);
    return pick != 0 ? pick : refused;
}

void svc_witness_tick(struct svc *s)
{
    uint64_t target;
    int rv;

    if (!s->opts.witness || s->witness.handing_over || s->consensus == NULL || s->db == NULL ||
        s->wiping || s->shutdown.stopping || s->member_busy ||
        consensus_role(s->consensus) != CONSENSUS_LEADER || !consensus_caught_up(s->consensus) ||
        svc_now_ms() < s->witness.next_try)
        return;
    target = handoff_target(s);
    if (target == 0)
        return; /* no real node to lead: the witness leads meanwhile */
    rv = consensus_transfer(s->consensus, target, handed_over, s);
    if (rv < 0) {
        s->witness.next_try = svc_now_ms() + HANDOFF_RETRY_MS;
        return;
    }
    s->witness.handing_over = true;
    s->witness.target = target;
}

/* ------------------------------------------------------------------------------------------ */
/* What the Node Witness driver knows (every node)                                             */
/* ------------------------------------------------------------------------------------------ */

void svc_witness_publish(struct svc *s)
{
    struct rm_witness_member seen[RM_WITNESS_MAX];
    struct cdb_node *nodes;
    size_t n, k = 0;

    if (s->db == NULL) {
        if (s->witness.published_version != 0)
            rm_witness_publish(NULL, 0);
        s->witness.published_version = 0;
        return;
    }
    if (cdb_version(s->db) == s->witness.published_version || cdb_nodes(s->db, &nodes, &n) < 0)
        return;
    for (size_t i = 0; i < n && k < RM_WITNESS_MAX; i++) {
        if (nodes[i].id == s->conf.node_id && nodes[i].witness != s->opts.witness &&
            !s->witness.mismatch_told) {
            /* Safe either way (placement follows the database, and a witness starts nothing),
             * but groups would wait here in vain, or a witness would be missing: say so. */
            LOGE("witness", "this node is a %s of cluster %s but runs %s--witness: restart it "
                 "%s --witness", nodes[i].witness ? "witness" : "node", s->conf.cluster_name,
                 s->opts.witness ? "with " : "without ", nodes[i].witness ? "with" : "without");
            s->witness.mismatch_told = true;
        }
        if (!nodes[i].witness)
            continue;
        seen[k] = (struct rm_witness_member){.port = (uint16_t)nodes[i].port,
                                             .up = nodes[i].state == ClusterNodeUp};
        snprintf(seen[k].address, sizeof(seen[k].address), "%s", nodes[i].address);
        k++;
    }
    free(nodes);
    rm_witness_publish(seen, k);
    s->witness.published_version = cdb_version(s->db);
}
