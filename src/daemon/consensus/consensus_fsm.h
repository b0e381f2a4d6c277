/*
 * consensus_fsm — the caller's state machine (struct consensus_fsm, over command bytes) as
 * libraft's struct raft_fsm, and the raft log entry that carries one command.
 *
 * Each entry is unframed (consensus_entry.h) before the command reaches the caller; an entry that
 * is not one of ours is answered ERROR_INVALID_PARAMETER without reaching it. The Win32 status of
 * an applied command travels back as raft's result pointer itself (consensus_fsm_status()), so
 * there is nothing to free. Snapshot images are the caller's malloc'd blocks, freed with free()
 * once raft has stored them; a restored image is raft's, freed here once the caller took it.
 * Each snapshot ends with a seal (common/wire_seal.h) over its image: libraft 0.15 checks a
 * snapshot's metadata but not its data, and a changed byte in a database page that SQLite never
 * reads would otherwise be served as the cluster's state.
 *
 * consensus.c drives it on libuv; the raft_fixture tests drive the same adapter in memory.
 */
#ifndef CLUSSVC_CONSENSUS_FSM_H
#define CLUSSVC_CONSENSUS_FSM_H

#include <stddef.h>
#include <stdint.h>

#include <raft.h>

#include "daemon/consensus/consensus.h"

/* Called after each command the caller applied (whatever its result). */
typedef void (*consensus_applied_cb)(void *arg);

struct consensus_fsm_adapter {
    struct raft_fsm raft_fsm; /* what raft_init() takes; its data points back here */
    struct consensus_fsm fsm;
    consensus_applied_cb on_applied; /* may be NULL */
    void *applied_arg;
    const char *refused; /* why the last snapshot was not restored; NULL once one was */
};

#define CONSENSUS_SNAPSHOT_SEAL 0x534e /* the seal's field tag */

/* Sets a up to run fsm (copied) under raft; on_applied may be NULL. a must not move afterwards:
 * raft keeps a pointer to a->raft_fsm. */
void consensus_fsm_adapt(struct consensus_fsm_adapter *a, const struct consensus_fsm *fsm,
                         consensus_applied_cb on_applied, void *applied_arg);
/* The log entry for cmd[0..len) in *ret, its base raft_malloc'd (raft_apply() takes it over):
 * 0 or -ENOMEM (*ret untouched). */
int consensus_fsm_entry(const void *cmd, size_t len, struct raft_buffer *ret);
/* The Win32 status of an applied entry, from the result raft hands to the apply callback. */
uint32_t consensus_fsm_status(void *result);

#endif
