/*
 * hb_track — heartbeat bookkeeping and the lease arithmetic (see hb_track.h).
 */
#include "daemon/health/hb_track.h"

#include "common/cluster_props.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The clock rate difference every node allows: 1 %, far beyond any working quartz, and cheap. */
#define DRIFT_PPM 10000

void hb_config_defaults(struct hb_config *cfg, uint32_t delay_ms, uint32_t threshold,
                        uint32_t lease_ms)
{
    cfg->delay_ms = delay_ms;
    cfg->threshold = threshold;
    if (lease_ms == 0) {
        /* Two heartbeat rounds, and the lease runs out before the node counts as Down
         * (threshold ≥ 3 rounds). */
        cfg->lease_ms = 2 * delay_ms;
        cfg->interval_ms = delay_ms;
    } else {
        cfg->lease_ms = lease_ms;
        cfg->interval_ms = lease_ms / 3 < delay_ms ? lease_ms / 3 : delay_ms;
    }
    cfg->drift_ppm = DRIFT_PPM;
    /* A tenth of the lease, and at least the time a node may take to notice its own lapse. */
    cfg->margin_ms = cfg->lease_ms / 10 > HB_CHECK_MS ? cfg->lease_ms / 10 : HB_CHECK_MS;
}

bool hb_config_valid(uint32_t delay_ms, uint32_t threshold, uint32_t lease_ms)
{
    return delay_ms >= CLUSTER_DELAY_MIN && delay_ms <= CLUSTER_DELAY_MAX &&
           threshold >= CLUSTER_THRESHOLD_MIN && threshold <= CLUSTER_THRESHOLD_MAX &&
           (lease_ms == 0 || (lease_ms >= CLUSTER_LEASE_MIN && lease_ms <= CLUSTER_LEASE_MAX));
}

/* The longest lease the bounds allow: assumed of a peer whose lease is unknown. */
#define LEASE_MAX_MS CLUSTER_LEASE_MAX

/* A peer declared a lease: the one it declared before keeps counting for HB_LEASE_MEMORY_MS
 * (the longest of them, if it changed more than once meanwhile). */
static void lease_declared(struct hb_lease_memory *m, uint32_t lease, uint64_t now)
{
    uint32_t prev = m->current;

    if (lease == 0 || lease == m->current)
        return;
    if (now < m->previous_until && m->previous > prev)
        prev = m->previous;
    m->previous = prev;
    m->previous_until = now + HB_LEASE_MEMORY_MS;
    m->current = lease;
}

/* The longest lease a peer may hold from what it declared to us. */
static uint32_t lease_longest(const struct hb_lease_memory *m, uint64_t now)
{
    return now < m->previous_until && m->previous > m->current ? m->previous : m->current;
}

void hb_track_init(struct hb_track *t, const struct hb_config *cfg, uint64_t self, uint64_t now)
{
    memset(t, 0, sizeof(*t));
    t->cfg = *cfg;
    t->self = self;
    t->started_at = now;
}

void hb_track_set_config(struct hb_track *t, const struct hb_config *cfg, uint64_t now)
{
    if (cfg->lease_ms != t->cfg.lease_ms) {
        bool recent = t->own_changed_at != 0 && now - t->own_changed_at < HB_LEASE_MEMORY_MS;

        t->own_previous_lease = recent && t->own_previous_lease < t->cfg.lease_ms
                                    ? t->own_previous_lease
                                    : t->cfg.lease_ms;
        t->own_changed_at = now;
    }
    t->cfg = *cfg;
}

/* The lease this node declared in the heartbeat it sent at sent_ms. */
static uint32_t own_lease(const struct hb_track *t, uint64_t sent_ms)
{
    if (t->own_changed_at != 0 && sent_ms < t->own_changed_at &&
        t->own_previous_lease < t->cfg.lease_ms)
        return t->own_previous_lease;
    return t->cfg.lease_ms;
}

static ssize_t find(const struct hb_track *t, uint64_t id)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->nodes[i].id == id)
            return (ssize_t)i;
    return -1;
}

int hb_track_set_member(struct hb_track *t, uint64_t id, uint64_t now)
{
    ssize_t i = find(t, id);

    if (i < 0) {
        if (t->n == HB_MAX_NODES)
            return -ENOSPC;
        i = (ssize_t)t->n++;
        memset(&t->nodes[i], 0, sizeof(t->nodes[i]));
        t->nodes[i].id = id;
        t->nodes[i].member_since = now;
        for (size_t k = 0; k < HB_MAX_NODES; k++)
            t->nodes[i].reported_silence[k] = HB_NEVER;
        /* Every other node learns of the newcomer as never heard. */
        for (size_t k = 0; k < t->n; k++) {
            t->nodes[k].reported_silence[i] = HB_NEVER;
            t->nodes[k].reported_lease[i] = 0;
        }
    }
    return 0;
}

void hb_track_set_voters(struct hb_track *t, uint64_t fp, const uint64_t *ids, size_t n,
                         uint64_t now)
{
    assert(fp != 0 && n <= HB_MAX_NODES);
    if (fp == t->voters.fp)
        return;
    t->previous_voters = t->voters;
    t->voters = (struct hb_voters){.fp = fp, .from_ms = now, .n = n};
    memcpy(t->voters.ids, ids, n * sizeof(*ids));
    for (size_t i = 0; i < t->n; i++) {
        struct hb_node *p = &t->nodes[i];

        p->echo_previous = p->echo_of_ours;
        p->echo_of_ours = 0;
        /* It was sent in the configuration we are in now: we may echo it from now on. */
        if (p->pending_fp == fp) {
            if (p->pending_send_ms > p->echoable_ms)
                p->echoable_ms = p->pending_send_ms;
            p->pending_fp = 0;
        }
    }
}

/* Is a heartbeat sent in configuration fp one we echo: ours, or the one we left less than
 * HB_VOTERS_OVERLAP_MS ago? */
static bool echoable_in(const struct hb_track *t, uint64_t fp, uint64_t now)
{
    if (fp == t->voters.fp)
        return true;
    return fp != 0 && fp == t->previous_voters.fp && now - t->voters.from_ms < HB_VOTERS_OVERLAP_MS;
}

static bool in_set(const struct hb_voters *v, uint64_t id)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->ids[i] == id)
            return true;
    return false;
}

bool hb_track_is_voter(const struct hb_track *t, uint64_t id)
{
    return in_set(&t->voters, id);
}

/* An echo of our send time sent_ms: it counts in the configuration we sent it in. */
static void echo_heard(const struct hb_track *t, struct hb_node *p, uint64_t sent_ms)
{
    if (sent_ms >= t->voters.from_ms) {
        if (sent_ms > p->echo_of_ours)
            p->echo_of_ours = sent_ms;
    } else if (t->previous_voters.fp != 0 && sent_ms >= t->previous_voters.from_ms &&
               sent_ms > p->echo_previous) {
        p->echo_previous = sent_ms;
    }
}

void hb_track_remove_member(struct hb_track *t, uint64_t id)
{
    ssize_t i = find(t, id);
    size_t last;

    if (i < 0)
        return;
    last = t->n - 1;
    t->nodes[i] = t->nodes[last];
    for (size_t k = 0; k < last; k++) {
        t->nodes[k].reported_silence[i] = t->nodes[k].reported_silence[last];
        t->nodes[k].reported_lease[i] = t->nodes[k].reported_lease[last];
    }
    t->n--;
}

static uint32_t silence(const struct hb_node *p, uint64_t now)
{
    if (p->heard_at == 0)
        return HB_NEVER;
    return now - p->heard_at >= HB_NEVER ? HB_NEVER - 1 : (uint32_t)(now - p->heard_at);
}

/* How long a node must not have heard another for its heartbeats to say it hears it no more. */
static uint64_t unheard_after(const struct hb_config *cfg)
{
    return 2 * (uint64_t)cfg->interval_ms;
}

/* Does a heartbeat say that its sender has not heard this node for two intervals? Then nothing we
 * send reaches it, echoes included: it cannot hold a lease through us. */
static bool reports_us_unheard(const struct hb_track *t, const struct hb_from *from,
                               const struct hb_entry *entries, size_t n)
{
    if (!from->full) /* an acknowledgement answers a heartbeat of ours: it heard us */
        return false;
    for (size_t e = 0; e < n; e++)
        if (entries[e].id == t->self)
            return entries[e].silence_ms >= unheard_after(&t->cfg);
    return false;
}

bool hb_track_receive(struct hb_track *t, const struct hb_from *from,
                      const struct hb_entry *entries, size_t n, uint64_t now)
{
    ssize_t i = find(t, from->id);
    bool full = from->full, deaf, heard_again;
    struct hb_node *p;

    if (i < 0 || from->id == t->self)
        return false;
    p = &t->nodes[i];
    if (from->send_ms < p->their_send_ms)
        return false; /* older than what we have: reordered */
    p->their_send_ms = from->send_ms;
    /* A sender that hears nobody (a failed receive path) is not heard either, and its heartbeats
     * are not echoed: it counts as silent, is fenced and taken over as a silent node is, and
     * its reports still count (docs/failover.md, "One-way faults"). */
    deaf = reports_us_unheard(t, from, entries, n);
    /* Its next lease is confirmed before it starts anything, so no report of ours can outlive
     * a lease of its that the others would fence it by: nothing to withhold. */
    if (from->restarted || (full && from->lapsed_ms != 0))
        p->withhold_until = 0;
    if (full) {
        p->deaf = deaf;
        p->lapsed_ms = from->lapsed_ms;
        p->lapsed_incarnation = from->lapsed_incarnation;
        p->lapsed_at = now;
    }
    heard_again = !deaf && silence(p, now) >= unheard_after(&t->cfg);
    if (!deaf) {
        p->heard_at = now;
        p->silence_told = false;
    }
    /* Echoed only in a configuration we are in: see the header. */
    if (deaf) {
        /* nothing to echo: it would not arrive */
    } else if (echoable_in(t, from->voters_fp, now)) {
        p->echoable_ms = from->send_ms;
    } else if (from->voters_fp != 0) {
        p->pending_fp = from->voters_fp;
        p->pending_send_ms = from->send_ms;
    }
    lease_declared(&p->declared, from->lease_ms, now);
    if (full) {
        p->report_at = now;
        p->report_echo = 0;
        for (size_t k = 0; k < t->n; k++) {
            p->reported_silence[k] = HB_NEVER;
            p->reported_lease[k] = 0;
        }
    }
    for (size_t e = 0; e < n; e++) {
        ssize_t k = find(t, entries[e].id);

        if (k < 0)
            continue;
        if (full) {
            p->reported_silence[k] = entries[e].silence_ms;
            p->reported_lease[k] = entries[e].lease_ms;
        }
        if (entries[e].id == t->self && full)
            p->report_echo = entries[e].echo_ms;
        if (entries[e].id == t->self && entries[e].echo_ms != 0)
            echo_heard(t, p, entries[e].echo_ms);
    }
    return heard_again;
}

bool hb_track_deaf(const struct hb_track *t, uint64_t id)
{
    ssize_t i = find(t, id);

    return i >= 0 && t->nodes[i].deaf;
}

uint32_t hb_track_reported_silence(const struct hb_track *t, uint64_t reporter, uint64_t about)
{
    ssize_t i = find(t, reporter), k = find(t, about);

    return i < 0 || k < 0 || t->nodes[i].report_at == 0 ? HB_NEVER
                                                        : t->nodes[i].reported_silence[k];
}

/* A peer's lease as a report names it, the longest the bounds allow when unknown (0). */
static uint64_t lease_or_max(uint32_t lease_ms)
{
    return lease_ms != 0 ? lease_ms : LEASE_MAX_MS;
}

/* The least fence_after() any node computes for lease: its margin is at least HB_CHECK_MS. */
static uint64_t fence_after_least(uint32_t lease_ms)
{
    uint64_t lease = lease_or_max(lease_ms);

    return lease * (1000000 + DRIFT_PPM) / 1000000 + HB_CHECK_MS;
}

/* How long, on the reader's clock, a report about a node whose lease is lease_ms stays fresh
 * after the send of the reader's it echoes: one and a half leases (three heartbeat intervals
 * at the defaults, so that one lost report costs nothing). */
static uint64_t report_fresh_ms(uint32_t lease_ms)
{
    uint64_t lease = lease_or_max(lease_ms);

    return lease + lease / 2;
}

/* Is p's newest report fresh enough to count, for a node whose lease it names as lease_ms? */
static bool report_fresh(const struct hb_node *p, uint32_t lease_ms, uint64_t now)
{
    return p->report_echo != 0 && now >= p->report_echo && /* set by full reports only */
           now - p->report_echo <= report_fresh_ms(lease_ms);
}

/*
 * How long after a report that a node is silent enough to fence its author withholds its
 * echoes: a reader takes the report until report_fresh_ms() past a send of its own that came
 * before the report, so for at most that much real time after the report ((1 + drift) of its
 * clock), which is at most (1 + drift)^2 times as much of the author's; plus a check's slack.
 */
static uint64_t withhold_after_report(uint32_t lease_ms)
{
    uint64_t d = 1000000 + DRIFT_PPM;

    return report_fresh_ms(lease_ms) * d / 1000000 * d / 1000000 + HB_CHECK_MS;
}

/* The echo of p's newest echoable heartbeat we may send now: none while it is withheld. */
static uint64_t echo_of(const struct hb_node *p, uint64_t now)
{
    return now < p->withhold_until ? 0 : p->echoable_ms;
}

int hb_track_withhold_change(struct hb_track *t, uint64_t id, uint64_t now)
{
    ssize_t i = find(t, id);
    bool withholding;

    if (i < 0)
        return 0;
    withholding = now < t->nodes[i].withhold_until;
    if (withholding == t->nodes[i].withhold_told)
        return 0;
    t->nodes[i].withhold_told = withholding;
    return withholding ? 1 : -1;
}

struct hb_entry hb_track_ack(const struct hb_track *t, uint64_t from, uint64_t now)
{
    ssize_t i = find(t, from);

    return (struct hb_entry){.id = from, .echo_ms = i < 0 ? 0 : echo_of(&t->nodes[i], now),
                             .silence_ms = 0};
}

/* The silence we vouch for: a node never heard has been silent since we started or since it
 * became a member, whichever came later, no longer (we echo members only, and any echo it had
 * from us before our start is older than that). */
static uint32_t vouched_silence(const struct hb_track *t, const struct hb_node *p, uint64_t now)
{
    uint64_t since = p->member_since > t->started_at ? p->member_since : t->started_at;

    if (p->heard_at != 0)
        return silence(p, now);
    return now - since >= HB_NEVER ? HB_NEVER - 1 : (uint32_t)(now - since);
}

size_t hb_track_entries(struct hb_track *t, uint64_t now, struct hb_entry *out, size_t cap)
{
    size_t k = 0;

    for (size_t i = 0; i < t->n && k < cap; i++) {
        struct hb_node *p = &t->nodes[i];
        uint32_t silent, lease;

        if (p->id == t->self)
            continue;
        silent = vouched_silence(t, p, now);
        lease = lease_longest(&p->declared, now);
        if (silent >= fence_after_least(lease))
            p->withhold_until = now + withhold_after_report(lease);
        out[k++] = (struct hb_entry){.id = p->id, .echo_ms = echo_of(p, now),
                                     .silence_ms = silent, .lease_ms = lease};
    }
    return k;
}

bool hb_track_up(const struct hb_track *t, uint64_t id, uint64_t now)
{
    ssize_t i = find(t, id);

    if (id == t->self)
        return true;
    if (i < 0)
        return false;
    return silence(&t->nodes[i], now) < (uint64_t)t->cfg.threshold * t->cfg.delay_ms;
}

static int desc(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return (x < y) - (x > y);
}

/* The lease end a majority of configuration v gives: current is ours, else the one before,
 * which we left at t->voters.from_ms. */
static uint64_t lease_in(const struct hb_track *t, const struct hb_voters *v, bool current,
                         uint64_t now)
{
    uint64_t echoes[HB_MAX_NODES], s;
    size_t need;

    if (v->n == 0)
        return 0;
    for (size_t k = 0; k < v->n; k++) {
        ssize_t i = find(t, v->ids[k]);

        /* Our own vote is as fresh as our last send in it; a peer's is the send time it echoed
         * back. A voter that is not a member yet has echoed nothing. */
        if (v->ids[k] == t->self)
            echoes[k] = current ? now : t->voters.from_ms - 1;
        else
            echoes[k] = i < 0 ? 0 : current ? t->nodes[i].echo_of_ours
                                            : t->nodes[i].echo_previous;
    }
    need = v->n / 2 + 1;
    qsort(echoes, v->n, sizeof(echoes[0]), desc);
    s = echoes[need - 1];
    return s == 0 ? 0 : s + own_lease(t, s);
}

uint64_t hb_track_lease_until(const struct hb_track *t, uint64_t now)
{
    uint64_t cur = lease_in(t, &t->voters, true, now);
    uint64_t prev = t->previous_voters.fp != 0 ? lease_in(t, &t->previous_voters, false, now) : 0;

    return cur > prev ? cur : prev;
}

uint32_t hb_track_lapsed(const struct hb_track *t, uint64_t id, uint64_t now)
{
    ssize_t i = find(t, id);
    const struct hb_node *p;

    if (i < 0 || id == t->self)
        return 0;
    p = &t->nodes[i];
    if (p->lapsed_ms == 0 || !p->incarnation_known || p->lapsed_incarnation != p->incarnation ||
        now < p->lapsed_at || now - p->lapsed_at > 2 * (uint64_t)t->cfg.interval_ms)
        return 0;
    return p->lapsed_ms;
}

/* How long a voter must not have heard a node whose declared lease is lease_ms (0: unknown). */
static uint64_t fence_after(const struct hb_config *cfg, uint32_t lease_ms)
{
    uint64_t lease = lease_or_max(lease_ms);

    return lease * (1000000 + cfg->drift_ppm) / 1000000 + cfg->margin_ms;
}

uint32_t hb_track_silence(const struct hb_track *t, uint64_t id, uint64_t now)
{
    ssize_t i = find(t, id);

    if (id == t->self)
        return 0;
    return i < 0 ? HB_NEVER : silence(&t->nodes[i], now);
}

uint64_t hb_track_lease_bound(const struct hb_track *t, uint64_t now)
{
    uint32_t longest = t->cfg.lease_ms;

    if (t->own_changed_at != 0 && now - t->own_changed_at < HB_LEASE_MEMORY_MS &&
        t->own_previous_lease > longest)
        longest = t->own_previous_lease;
    for (size_t i = 0; i < t->n; i++) {
        uint32_t l = lease_longest(&t->nodes[i].declared, now);

        if (l > longest)
            longest = l;
    }
    return fence_after(&t->cfg, longest);
}

uint64_t hb_track_change_spacing(const struct hb_track *t, uint64_t now)
{
    return hb_track_lease_bound(t, now) +
           (uint64_t)HB_VOTERS_OVERLAP_MS * (1000000 + t->cfg.drift_ppm) / 1000000;
}

bool hb_track_silence_reached_fence(struct hb_track *t, uint64_t now)
{
    bool reached = false;

    for (size_t i = 0; i < t->n; i++) {
        struct hb_node *p = &t->nodes[i];
        uint32_t s = silence(p, now);

        if (p->id == t->self || p->silence_told || s == HB_NEVER ||
            s < fence_after(&t->cfg, lease_longest(&p->declared, now)))
            continue;
        p->silence_told = true;
        reached = true;
    }
    return reached;
}

bool hb_track_fenced(const struct hb_track *t, uint64_t id, uint64_t now)
{
    ssize_t target = find(t, id);
    size_t silent = 0;

    if (target < 0)
        return true; /* not a member: holds no lease from us */
    /* Every voter counts, members yet or not: one we cannot hear from never vouches. */
    for (size_t i = 0; i < t->n; i++) {
        const struct hb_node *p = &t->nodes[i];
        uint32_t s, lease;

        if (!in_set(&t->voters, p->id))
            continue;
        if (p->id == id)
            continue; /* the node itself does not vouch for its own silence */
        if (p->id == t->self) {
            s = vouched_silence(t, &t->nodes[target], now);
            lease = lease_longest(&t->nodes[target].declared, now);
        } else if (report_fresh(p, p->reported_lease[target], now)) { /* as of its report */
            s = p->reported_silence[target];
            lease = p->reported_lease[target];
        } else {
            continue; /* the silence it told may have ended since, and its echoes resumed */
        }
        silent += s == HB_NEVER || s >= fence_after(&t->cfg, lease);
    }
    return t->voters.n > 0 && silent >= t->voters.n / 2 + 1;
}

void hb_track_note_incarnation(struct hb_track *t, uint64_t id, uint64_t incarnation)
{
    ssize_t i = find(t, id);
    struct hb_node *p;

    if (i < 0)
        return;
    p = &t->nodes[i];
    if (p->incarnation_known && p->incarnation == incarnation)
        return;
    p->incarnation = incarnation;
    p->incarnation_known = true;
    for (size_t k = 0; k < t->n; k++)
        t->nodes[k].reported_silence[i] = 0; /* as if heard: only a new report says otherwise */
}

uint32_t hb_track_declared_lease(const struct hb_track *t, uint64_t id)
{
    ssize_t i = find(t, id);

    return i < 0 ? 0 : t->nodes[i].declared.current;
}

bool hb_track_incarnation(const struct hb_track *t, uint64_t id, uint64_t *ret)
{
    ssize_t i = find(t, id);

    if (i < 0 || !t->nodes[i].incarnation_known)
        return false;
    *ret = t->nodes[i].incarnation;
    return true;
}

bool hb_track_echoed(const struct hb_track *t, uint64_t id)
{
    ssize_t i = find(t, id);

    return i >= 0 && t->nodes[i].echo_of_ours != 0;
}
