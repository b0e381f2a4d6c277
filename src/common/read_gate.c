/*
 * read_gate — how a node answers reads (read_gate.h).
 */
#include "common/read_gate.h"

#include <clusapi.h>

bool read_gate_no_quorum(bool leader_known, uint64_t leaderless_ms)
{
    return !leader_known && leaderless_ms >= NO_QUORUM_AFTER_MS;
}

enum read_answer read_gate(const struct read_facts *f)
{
    /* Out of the log, it holds what it last applied, however sure it was of its leader. */
    if (f->storage_fault)
        return f->stale_ok && f->knows_itself ? READ_STALE : READ_STORAGE_FAULT;
    if (f->synced && f->leader_known)
        return READ_CURRENT;
    /* Catching up with a leader, or waiting out an election: current in a moment. */
    if (!read_gate_no_quorum(f->leader_known, f->leaderless_ms))
        return READ_NOT_READY;
    /* An empty database would answer "no such group" for every group the cluster has. */
    return f->stale_ok && f->knows_itself ? READ_STALE : READ_NO_QUORUM;
}

int32_t read_gate_node_state(int32_t recorded, bool is_self)
{
    return is_self && recorded == ClusterNodeDown ? ClusterNodeJoining : recorded;
}
