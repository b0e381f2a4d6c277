/*
 * read_gate — how a node answers reads of its cluster database; pure (the service says what it
 * knows, and how long it has been without a leader).
 *
 * A node caught up with its leader answers. One still catching up, or whose leader has just
 * gone (an election may give it one in a moment), asks the caller to come back. One that has had
 * no leader for NO_QUORUM_AFTER_MS cannot reach a majority: it answers from the state it last
 * applied, marked stale, to a caller that accepts that (docs/architecture.md, "Reads without
 * quorum"), and refuses everyone else with ERROR_CLUSTER_NO_QUORUM, as it refuses changes.
 */
#ifndef CLUSAPI_READ_GATE_H
#define CLUSAPI_READ_GATE_H

#include <stdbool.h>
#include <stdint.h>

/* How long a node goes without a leader before it says it has no quorum: longer than an
 * election takes with the default timing (a second at most), so an ordinary change of leader
 * is waited out rather than reported. */
#define NO_QUORUM_AFTER_MS 3000

enum read_answer {
    READ_CURRENT,   /* answer: this node holds everything its cluster committed */
    READ_STALE,     /* answer from the last applied state, marked RPC_F_STALE */
    READ_NOT_READY, /* refuse for now (ERROR_CLUSTER_NODE_NOT_READY); the caller asks again */
    READ_NO_QUORUM, /* refuse (ERROR_CLUSTER_NO_QUORUM) */
    READ_STORAGE_FAULT, /* refuse with what the storage fault means: it cannot read current */
};

/* What the node knows when a read comes. */
struct read_facts {
    bool synced;            /* it proved it caught up with the leader (svc_sync.h) */
    bool leader_known;
    uint64_t leaderless_ms; /* how long it has had no leader; 0 with one */
    bool knows_itself;      /* its database lists this node: it holds its cluster's state as of
                             * some point, not an empty database still waiting for a copy */
    bool stale_ok;          /* the caller accepts a stale answer (RPC_F_STALE in the request) */
    bool storage_fault;     /* its state directory cannot take raft's writes: it has left the
                             * log (daemon/svc/svc_storage.h), so what it holds goes stale */
};

enum read_answer read_gate(const struct read_facts *f);

/* True once a node without a leader says it has no quorum (for reads and changes alike). */
bool read_gate_no_quorum(bool leader_known, uint64_t leaderless_ms);

/*
 * The CLUSTER_NODE_STATE a stale answer gives a node: the state last applied, which for another
 * node is all this one can know (it may have gone, or be running with a majority elsewhere).
 * About itself the node knows first-hand that it runs: a recorded Down (the cluster lost it
 * before it restarted) shows as Joining, a node on its way back into its cluster.
 */
int32_t read_gate_node_state(int32_t recorded, bool is_self);

#endif
