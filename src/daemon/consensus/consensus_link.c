/*
 * consensus_link — see consensus_link.h. Pure; no I/O.
 */
#include "daemon/consensus/consensus_link.h"

#include <assert.h>
#include <stddef.h>

void consensus_link_init(struct consensus_link *l, uint64_t stall_ms, uint64_t steady_ms,
                         uint64_t now)
{
    assert(l != NULL && stall_ms > 0 && steady_ms >= stall_ms);
    *l = (struct consensus_link){.stall_ms = stall_ms, .steady_ms = steady_ms, .stalled_at = now};
}

void consensus_link_sample(struct consensus_link *l, uint64_t now, bool leads, uint64_t heard_at)
{
    assert(l != NULL);
    if (leads)
        return;
    if (heard_at == 0 || (now > heard_at && now - heard_at >= l->stall_ms))
        l->stalled_at = now;
}

bool consensus_link_steady(const struct consensus_link *l, uint64_t now, bool leads)
{
    assert(l != NULL);
    return leads || (now >= l->stalled_at && now - l->stalled_at >= l->steady_ms);
}
