/*
 * quarantine — Windows' node quarantine (see the header).
 */
#include "common/quarantine.h"

#include <assert.h>

size_t quarantine_cap(size_t n_nodes)
{
    return n_nodes / 4 > 1 ? n_nodes / 4 : 1;
}

bool quarantine_depart(struct quarantine_record *r, int64_t at_ms, uint32_t threshold,
                       uint32_t duration_s, size_t n_quarantined, size_t n_nodes)
{
    assert(r != NULL);
    assert(n_quarantined < n_nodes || n_nodes == 0);
    if (r->since_ms == 0 || at_ms < r->since_ms || at_ms - r->since_ms >= QUARANTINE_WINDOW_MS) {
        r->departures = 0;
        r->since_ms = at_ms;
    }
    if (r->departures < UINT32_MAX)
        r->departures++;
    if (threshold == 0 || duration_s == 0 || r->departures < threshold ||
        n_quarantined >= quarantine_cap(n_nodes))
        return false;
    r->until_ms = duration_s == QUARANTINE_FOREVER ? INT64_MAX
                                                   : at_ms + (int64_t)duration_s * 1000;
    r->departures = 0;
    r->since_ms = 0;
    return true;
}

bool quarantine_active(const struct quarantine_record *r, int64_t now_ms)
{
    assert(r != NULL);
    return r->until_ms != 0 && now_ms < r->until_ms;
}
