/*
 * quorum_votes — who votes (see the header for the rules).
 */
#include "common/quorum_votes.h"

#include <assert.h>
#include <string.h>

#include <clusapi.h>

/* May node m keep (or get) a vote? The witness is decided by parity, not here. */
static bool node_present(const struct quorum_member *m, const struct quorum_settings *s)
{
    if (m->witness || m->weight == 0 || m->storage_fault)
        return false;
    if (!s->dynamic)
        return true;
    return !m->left && m->state != ClusterNodePaused &&
           (m->up || m->silent_ms < QUORUM_DOWN_GRACE_MS);
}

/* Among the wanted nodes, the one to lose its vote when their number is even (see the header). */
static size_t node_to_drop(const struct quorum_member *m, size_t n, const struct quorum_settings *s,
                           const bool *want)
{
    size_t pick = n;

    for (size_t i = 0; i < n; i++)
        if (want[i] && s->lower_priority != 0 && m[i].id == s->lower_priority)
            return i;
    for (size_t i = 0; i < n; i++) /* the highest id among those without a vote now */
        if (want[i] && !m[i].voter && (pick == n || m[i].id > m[pick].id))
            pick = i;
    if (pick != n)
        return pick;
    for (size_t i = 0; i < n; i++)
        if (want[i] && m[i].id != s->leader && (pick == n || m[i].id > m[pick].id))
            pick = i;
    return pick;
}

/* Marks up to max present nodes in want[]: current voters first, then by id (m is in any order). */
static size_t choose_nodes(const struct quorum_member *m, size_t n, const struct quorum_settings *s,
                           size_t max, bool *want)
{
    size_t chosen = 0;

    for (int pass = 0; pass < 2; pass++) {
        for (;;) {
            size_t best = n;

            for (size_t i = 0; i < n; i++)
                if (!want[i] && node_present(&m[i], s) && (pass == 1 || m[i].voter) &&
                    (best == n || m[i].id < m[best].id))
                    best = i;
            if (best == n || chosen == max)
                break;
            want[best] = true;
            chosen++;
        }
    }
    return chosen;
}

size_t quorum_target(const struct quorum_member *m, size_t n, const struct quorum_settings *s,
                     bool *want)
{
    size_t nodes, witness = n, total;

    memset(want, 0, n * sizeof(*want));
    for (size_t i = 0; i < n; i++)
        if (m[i].witness && m[i].weight != 0 && !m[i].storage_fault && witness == n)
            witness = i;
    nodes = choose_nodes(m, n, s, QUORUM_MAX_VOTERS, want);
    if (nodes > 0 && nodes % 2 == 0) {
        if (witness != n && nodes < QUORUM_MAX_VOTERS) {
            want[witness] = true;
        } else if (s->dynamic) {
            size_t drop = node_to_drop(m, n, s, want);

            assert(drop < n);
            want[drop] = false;
        }
    }
    total = 0;
    for (size_t i = 0; i < n; i++)
        total += want[i];
    if (total == 0) /* nobody present: no change is better than a cluster without voters */
        for (size_t i = 0; i < n; i++)
            total += want[i] = m[i].voter;
    return total;
}

/* Up voters and voters after member i's vote is given (give) or taken. */
static bool keeps_majority(const struct quorum_member *m, size_t n, size_t i, bool give)
{
    unsigned voters = 0, up = 0;

    for (size_t k = 0; k < n; k++) {
        bool votes = k == i ? give : m[k].voter;

        voters += votes;
        up += votes && m[k].up && !m[k].storage_fault;
    }
    return voters > 0 && up >= voters / 2 + 1;
}

struct quorum_step quorum_next_step(const struct quorum_member *m, size_t n, const bool *want)
{
    for (size_t i = 0; i < n; i++)
        if (want[i] && !m[i].voter && m[i].up && keeps_majority(m, n, i, true))
            return (struct quorum_step){QUORUM_STEP_GIVE, m[i].id};
    for (size_t i = 0; i < n; i++)
        if (!want[i] && m[i].voter && keeps_majority(m, n, i, false))
            return (struct quorum_step){QUORUM_STEP_TAKE, m[i].id};
    for (size_t i = 0; i < n; i++)
        if (m[i].storage_fault && !m[i].voter && !m[i].spare)
            return (struct quorum_step){QUORUM_STEP_PARK, m[i].id};
    for (size_t i = 0; i < n; i++)
        if (!m[i].storage_fault && m[i].spare && m[i].joined && m[i].up)
            return (struct quorum_step){QUORUM_STEP_UNPARK, m[i].id};
    return (struct quorum_step){QUORUM_STEP_NONE, 0};
}

void quorum_view(const struct quorum_member *m, size_t n, struct quorum_view *ret)
{
    memset(ret, 0, sizeof(*ret));
    for (size_t i = 0; i < n; i++) {
        ret->voters += m[i].voter;
        ret->voters_up += m[i].voter && m[i].up;
    }
    ret->majority = ret->voters / 2 + 1;
    ret->has_quorum = ret->voters > 0 && ret->voters_up >= ret->majority;
    ret->survives = ret->has_quorum ? ret->voters_up - ret->majority : 0;
}

bool quorum_fragile(size_t nodes, bool witness)
{
    return nodes == 2 && !witness;
}
