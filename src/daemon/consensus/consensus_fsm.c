/*
 * consensus_fsm — a consensus_fsm as libraft's raft_fsm (see consensus_fsm.h).
 */
#include "daemon/consensus/consensus_fsm.h"

#include <errno.h>
#include <stdlib.h>

#include <clusapi.h>

#include "common/wire_seal.h"
#include "daemon/consensus/consensus_entry.h"

static int fsm_apply(struct raft_fsm *rf, const struct raft_buffer *buf, void **result)
{
    struct consensus_fsm_adapter *a = rf->data;
    uint32_t status = 0;
    const uint8_t *cmd;
    size_t len;
    int rv = consensus_entry_unframe(buf->base, buf->len, &cmd, &len);

    if (rv < 0) {
        *result = (void *)(uintptr_t)ERROR_INVALID_PARAMETER; /* not one of ours */
        return 0;
    }
    rv = a->fsm.apply(a->fsm.arg, cmd, len, &status);
    if (a->on_applied != NULL)
        a->on_applied(a->applied_arg);

    if (rv < 0)
        return RAFT_IOERR; /* internal failure: raft treats it as fatal for this node */
    *result = (void *)(uintptr_t)status;
    return 0;
}

static int fsm_snapshot(struct raft_fsm *rf, struct raft_buffer *bufs[], unsigned *n_bufs)
{
    struct consensus_fsm_adapter *a = rf->data;
    struct raft_buffer *b = raft_malloc(2 * sizeof(*b));
    uint8_t *seal = malloc(WIRE_SEAL_SIZE);
    void *image;
    size_t len;

    if (b == NULL || seal == NULL || a->fsm.snapshot(a->fsm.arg, &image, &len) < 0) {
        raft_free(b);
        free(seal);
        return RAFT_NOMEM;
    }
    wire_seal_bytes(image, len, CONSENSUS_SNAPSHOT_SEAL, seal);
    b[0] = (struct raft_buffer){.base = image, .len = len};
    b[1] = (struct raft_buffer){.base = seal, .len = WIRE_SEAL_SIZE};
    *bufs = b;
    *n_bufs = 2;
    return 0;
}

static int fsm_snapshot_finalize(struct raft_fsm *rf, struct raft_buffer *bufs[],
                                 unsigned *n_bufs)
{
    for (unsigned i = 0; i < *n_bufs; i++)
        free((*bufs)[i].base);
    raft_free(*bufs);
    *bufs = NULL;
    *n_bufs = 0;
    return 0;
}

static int fsm_restore(struct raft_fsm *rf, struct raft_buffer *buf)
{
    struct consensus_fsm_adapter *a = rf->data;
    size_t image;

    /* A restore that succeeds owns the buffer (RAFT-NOTES); one that fails leaves it to raft,
     * whose start and install paths both free it then. */
    if (wire_check_seal_bytes(buf->base, buf->len, CONSENSUS_SNAPSHOT_SEAL, &image) < 0) {
        a->refused = "it is damaged: its seal does not match what it holds";
        return RAFT_CORRUPT;
    }
    if (a->fsm.restore(a->fsm.arg, buf->base, image) < 0) {
        a->refused = "the cluster database refused it";
        return RAFT_CORRUPT;
    }
    a->refused = NULL;
    raft_free(buf->base);
    return 0;
}

void consensus_fsm_adapt(struct consensus_fsm_adapter *a, const struct consensus_fsm *fsm,
                         consensus_applied_cb on_applied, void *applied_arg)
{
    *a = (struct consensus_fsm_adapter){
        .raft_fsm = {.version = 2, .data = a, .apply = fsm_apply, .snapshot = fsm_snapshot,
                     .restore = fsm_restore, .snapshot_finalize = fsm_snapshot_finalize},
        .fsm = *fsm,
        .on_applied = on_applied,
        .applied_arg = applied_arg,
    };
}

int consensus_fsm_entry(const void *cmd, size_t len, struct raft_buffer *ret)
{
    size_t size = consensus_entry_size(len);
    void *base = raft_malloc(size);

    if (base == NULL)
        return -ENOMEM;
    consensus_entry_frame(base, cmd, len);
    ret->base = base;
    ret->len = size;
    return 0;
}

uint32_t consensus_fsm_status(void *result)
{
    return (uint32_t)(uintptr_t)result;
}
