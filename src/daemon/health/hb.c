/*
 * hb — heartbeat transport (see hb.h).
 */
#include "daemon/health/hb.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <time.h>

#include <gnutls/crypto.h>

#include "common/mono_clock.h"
#include "daemon/health/hb_packet.h"
#include "daemon/base/log.h"

#define REFUSAL_LOG_MS 1000 /* at most one refusal line a second; the rest are counted */

struct replay {
    uint64_t boot;
    uint64_t seq;
};

struct hb {
    uv_udp_t udp;
    uv_timer_t send_timer;
    uv_timer_t check_timer;
    /* A heartbeat due goes out once the loop has read what arrived (send_soon). */
    uv_check_t after_input;
    uv_idle_t no_wait; /* keeps the loop from blocking in its poll meanwhile */
    const struct cred_ring *keys;
    struct hb_track track;
    struct hb_member members[HB_MAX_NODES];
    struct replay replay[HB_MAX_NODES]; /* by member index */
    size_t n_members;
    uint64_t boot;
    uint64_t seq;
    hb_tick_cb tick;
    hb_voters_fn voters;
    void *arg;
    int closing;
    uint64_t refusal_logged_ms;
    unsigned refusals_unlogged;
    /* hb_set_idle: since when this node has run nothing for want of a lease (0: not so), and
     * its incarnation then */
    uint64_t idle_since;
    uint64_t idle_incarnation;
};

/* arg: the key bytes (CHANNEL_KEY_BYTES). */
static int mac(void *arg, const uint8_t *data, size_t len, uint8_t *tag)
{
    const uint8_t *key = arg;
    uint8_t full[32];

    if (gnutls_hmac_fast(GNUTLS_MAC_SHA256, key, CHANNEL_KEY_BYTES, data, len, full) < 0)
        return -EIO;
    memcpy(tag, full, HB_TAG_BYTES);
    return 0;
}

static int member_index(const struct hb *h, uint64_t id)
{
    for (size_t i = 0; i < h->n_members; i++)
        if (h->members[i].id == id)
            return (int)i;
    return -1;
}

static int member_addr(const struct hb_member *m, struct sockaddr_storage *ss)
{
    struct sockaddr_in *in = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

    memset(ss, 0, sizeof(*ss));
    if (uv_ip4_addr(m->address, m->port, in) == 0)
        return 0;
    return uv_ip6_addr(m->address, m->port, in6) == 0 ? 0 : -EINVAL;
}

/* ------------------------------------------------------------------------------------------ */
/* Sending                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static void send_cb(uv_timer_t *t);

/* Our voter configuration as raft has it now. A new one restarts the echoes that carry the lease
 * (hb_track.h): a heartbeat goes out at once, so that peers already in it echo without waiting an
 * interval, and the lease of the configuration before does not run out meanwhile. */
static void refresh_voters(struct hb *h)
{
    uint64_t ids[HB_MAX_NODES], fp = 0;
    size_t n = h->voters(h->arg, ids, HB_MAX_NODES, &fp);

    if (fp == 0 || fp == h->track.voters.fp)
        return;
    hb_track_set_voters(&h->track, fp, ids, n, mono_ms());
    hb_send_now(h);
}

void hb_send_now(struct hb *h)
{
    if (h->n_members > 0)
        uv_timer_start(&h->send_timer, send_cb, 0, h->track.cfg.interval_ms);
}

/* uv_udp_try_send: heartbeats are small and never worth queueing behind a full socket. */
static void send_packet(struct hb *h, const struct hb_member *m, struct hb_packet *p)
{
    uint8_t buf[HB_PACKET_MAX];
    struct sockaddr_storage ss;
    uv_buf_t b;
    int len;

    p->sender = h->track.self;
    p->boot = h->boot;
    p->seq = ++h->seq;
    p->send_ms = mono_ms();
    if (cred_ring_empty(h->keys))
        return;
    p->lease_ms = h->track.cfg.lease_ms;
    p->voters_fp = h->track.voters.fp;
    len = hb_packet_encode(p, mac, (void *)cred_ring_send(h->keys)->key.bytes, buf);
    if (len < 0 || member_addr(m, &ss) < 0)
        return;
    b = uv_buf_init((char *)buf, (unsigned)len);
    uv_udp_try_send(&h->udp, &b, 1, (const struct sockaddr *)&ss);
}

/* A voter that reported a node silent long enough to fence echoes none of its heartbeats for a
 * while (hb_track_entries): that node may lose its lease through us, so it is logged. */
static void log_withholding(struct hb *h, uint64_t now)
{
    for (size_t i = 0; i < h->n_members; i++) {
        uint64_t id = h->members[i].id;

        switch (hb_track_withhold_change(&h->track, id, now)) {
        case 1:
            LOGI("hb", "node %llu has been silent long enough to fence: its heartbeats are not "
                 "echoed for a while", (unsigned long long)id);
            break;
        case -1:
            LOGI("hb", "node %llu's heartbeats are echoed again", (unsigned long long)id);
            break;
        }
    }
}

static void send_all(struct hb *h)
{
    struct hb_packet p = {.type = HB_TYPE_HEARTBEAT};
    uint64_t now = mono_ms();

    refresh_voters(h);
    p.n = hb_track_entries(&h->track, now, p.entries, HB_MAX_NODES);
    log_withholding(h, now);
    if (h->idle_since != 0) {
        uint64_t idle = now - h->idle_since;

        p.lapsed_ms = idle >= UINT32_MAX ? UINT32_MAX - 1 : (uint32_t)idle;
        p.lapsed_incarnation = h->idle_incarnation;
    }
    for (size_t i = 0; i < h->n_members; i++)
        if (h->members[i].id != h->track.self)
            send_packet(h, &h->members[i], &p);
}

static void after_input_cb(uv_check_t *c)
{
    struct hb *h = c->data;

    uv_check_stop(&h->after_input);
    uv_idle_stop(&h->no_wait);
    send_all(h);
}

static void no_wait_cb(uv_idle_t *i)
{
    (void)i;
}

/*
 * A heartbeat is due: it goes out in this turn of the loop, after the loop has read the datagrams
 * waiting for it (a timer runs before the loop reads). After a stall of this node (a loaded
 * machine, a pause), its reports then say what it has heard, not that it heard nobody while it
 * was not listening, which would make its peers take it for deaf (hb_track_receive).
 */
static void send_soon(struct hb *h)
{
    uv_idle_start(&h->no_wait, no_wait_cb);
    uv_check_start(&h->after_input, after_input_cb);
}

static void send_cb(uv_timer_t *t)
{
    send_soon(t->data);
}

static void check_cb(uv_timer_t *t)
{
    struct hb *h = t->data;

    refresh_voters(h);
    if (hb_track_silence_reached_fence(&h->track, mono_ms()))
        send_soon(h); /* our report that a peer went silent, without waiting an interval */
    h->tick(h->arg);
}

/* ------------------------------------------------------------------------------------------ */
/* Receiving                                                                                   */
/* ------------------------------------------------------------------------------------------ */

static void alloc_cb(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
    static char slab[HB_PACKET_MAX + 64]; /* one loop thread, one datagram at a time */

    (void)handle;
    (void)suggested;
    *buf = uv_buf_init(slab, sizeof(slab));
}

/* A replayed or reordered datagram is dropped: (boot, seq) must move forward per sender. */
static bool fresh(struct hb *h, int idx, const struct hb_packet *p)
{
    struct replay *r = &h->replay[idx];

    if (p->boot < r->boot || (p->boot == r->boot && p->seq <= r->seq))
        return false;
    r->boot = p->boot;
    r->seq = p->seq;
    return true;
}

/* Refused datagrams are what anyone can send at will: log them without flooding the journal. */
static void log_refusal(struct hb *h, const struct sockaddr *addr, const char *why)
{
    char host[INET6_ADDRSTRLEN] = "?";
    uint64_t now = mono_ms();

    if (h->refusal_logged_ms != 0 && now - h->refusal_logged_ms < REFUSAL_LOG_MS) {
        h->refusals_unlogged++;
        return;
    }
    if (addr->sa_family == AF_INET)
        uv_ip4_name((const struct sockaddr_in *)addr, host, sizeof(host));
    else if (addr->sa_family == AF_INET6)
        uv_ip6_name((const struct sockaddr_in6 *)addr, host, sizeof(host));
    if (h->refusals_unlogged > 0)
        LOGW("hb", "refused a heartbeat from %s: %s (and %u more refusals since)", host, why,
             h->refusals_unlogged);
    else
        LOGW("hb", "refused a heartbeat from %s: %s", host, why);
    h->refusal_logged_ms = now;
    h->refusals_unlogged = 0;
}

/* Decodes with the credential this node proves, then (during a rotation) the other one. */
static int decode(struct hb *h, const uint8_t *buf, size_t len, struct hb_packet *p)
{
    const struct cred *send = cred_ring_send(h->keys), *other = cred_ring_other(h->keys);
    int rv = send == NULL ? -EACCES : hb_packet_decode(buf, len, mac, (void *)send->key.bytes, p);

    if (rv == -EACCES && other != NULL)
        rv = hb_packet_decode(buf, len, mac, (void *)other->key.bytes, p);
    return rv;
}

static void recv_cb(uv_udp_t *udp, ssize_t nread, const uv_buf_t *buf,
                    const struct sockaddr *addr, unsigned flags)
{
    struct hb *h = udp->data;
    struct hb_packet p;
    bool heard_again, was_deaf, restarted;
    uint64_t now, lease_before;
    uint32_t declared;
    int idx, rv;

    (void)flags;
    if (nread <= 0 || addr == NULL)
        return;
    rv = decode(h, (const uint8_t *)buf->base, (size_t)nread, &p);
    if (rv < 0) { /* not ours, or forged: learn nothing, answer nothing */
        log_refusal(h, addr, rv == -EACCES ? "not authenticated by the cluster credential"
                                           : "malformed");
        return;
    }
    idx = member_index(h, p.sender);
    if (idx < 0 || p.sender == h->track.self) {
        log_refusal(h, addr, "authenticated, but not from a member");
        return;
    }
    restarted = p.boot != h->replay[idx].boot;
    if (!fresh(h, idx, &p)) {
        log_refusal(h, addr, "replayed or reordered");
        return;
    }
    refresh_voters(h);
    now = mono_ms();
    lease_before = hb_track_lease_until(&h->track, now);
    was_deaf = hb_track_deaf(&h->track, p.sender);
    declared = hb_track_declared_lease(&h->track, p.sender);
    heard_again = hb_track_receive(&h->track,
                                   &(struct hb_from){.id = p.sender, .send_ms = p.send_ms,
                                                     .lease_ms = p.lease_ms,
                                                     .voters_fp = p.voters_fp,
                                                     .full = p.type == HB_TYPE_HEARTBEAT,
                                                     .lapsed_ms = p.lapsed_ms,
                                                     .lapsed_incarnation = p.lapsed_incarnation,
                                                     .restarted = restarted},
                                   p.entries, p.n, now);
    /* An echo that moved the lease: the lease check tells the resource host now, not up to a
     * check later, when the old end may have passed and the host dropped what it holds. */
    if (hb_track_lease_until(&h->track, now) != lease_before)
        uv_timer_start(&h->check_timer, check_cb, 0, HB_CHECK_MS);
    /* A changed SameSubnetDelay or QuorumLease reaching this node: from now on it fences the
     * sender by the longer of the two leases for a while (hb_track.h). */
    if (declared != 0 && declared != hb_track_declared_lease(&h->track, p.sender))
        LOGI("hb", "node %llu declares a %u ms lease (%u ms before)",
             (unsigned long long)p.sender, hb_track_declared_lease(&h->track, p.sender), declared);
    if (was_deaf && !hb_track_deaf(&h->track, p.sender))
        LOGI("hb", "node %llu hears this node again", (unsigned long long)p.sender);
    else if (!was_deaf && hb_track_deaf(&h->track, p.sender))
        LOGI("hb", "node %llu says it has not heard this node for %u ms: it is not counted as "
             "heard until it does", (unsigned long long)p.sender,
             hb_track_reported_silence(&h->track, p.sender, h->track.self));
    if (p.type == HB_TYPE_HEARTBEAT) {
        struct hb_packet ack = {.type = HB_TYPE_ACK, .n = 1};

        ack.entries[0] = hb_track_ack(&h->track, p.sender, now);
        send_packet(h, &h->members[idx], &ack);
        /* A peer in our voter configuration that has not echoed us in it has just started, just
         * learnt of us, or just entered the configuration: a heartbeat of ours now gives both of
         * us a lease without waiting for the next interval. (Not while the configurations
         * differ: it would not echo it, and it would answer in kind.) */
        if (p.voters_fp == h->track.voters.fp && !hb_track_echoed(&h->track, p.sender))
            heard_again = true;
    }
    /* Ours goes out in this turn of the loop, once every datagram waiting has been read: built
     * now, after a stall of this node, it would report peers silent whose heartbeats are still
     * unread, and withhold its echoes from them (hb_track_entries). */
    if (heard_again)
        send_soon(h);
}

/* ------------------------------------------------------------------------------------------ */
/* Lifecycle                                                                                   */
/* ------------------------------------------------------------------------------------------ */

int hb_start(uv_loop_t *loop, const char *address, uint16_t port, const struct cred_ring *keys,
             uint64_t self, const struct hb_config *cfg, hb_tick_cb tick, hb_voters_fn voters,
             void *arg, struct hb **ret)
{
    struct hb *h = calloc(1, sizeof(*h));
    struct hb_member me = {.id = self, .port = port};
    struct sockaddr_storage ss;
    struct timespec ts;
    int rv;

    if (h == NULL)
        return -ENOMEM;
    snprintf(me.address, sizeof(me.address), "%s", address);
    clock_gettime(CLOCK_REALTIME, &ts);
    h->boot = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
    h->keys = keys;
    h->tick = tick;
    h->voters = voters;
    h->arg = arg;
    hb_track_init(&h->track, cfg, self, mono_ms());
    uv_udp_init(loop, &h->udp);
    h->udp.data = h;
    rv = member_addr(&me, &ss);
    if (rv == 0)
        rv = uv_udp_bind(&h->udp, (const struct sockaddr *)&ss, UV_UDP_REUSEADDR);
    if (rv == 0)
        rv = uv_udp_recv_start(&h->udp, alloc_cb, recv_cb);
    if (rv < 0) {
        LOGE("hb", "cannot listen on %s UDP port %u: %s", address, port, uv_strerror(rv));
        uv_close((uv_handle_t *)&h->udp, (uv_close_cb)free);
        return rv;
    }
    uv_timer_init(loop, &h->send_timer);
    uv_timer_init(loop, &h->check_timer);
    uv_check_init(loop, &h->after_input);
    uv_idle_init(loop, &h->no_wait);
    h->send_timer.data = h->check_timer.data = h->after_input.data = h->no_wait.data = h;
    uv_timer_start(&h->send_timer, send_cb, 0, cfg->interval_ms);
    uv_timer_start(&h->check_timer, check_cb, HB_CHECK_MS, HB_CHECK_MS);
    *ret = h;
    return 0;
}

void hb_set_members(struct hb *h, const struct hb_member *members, size_t n)
{
    struct replay replay[HB_MAX_NODES] = {{0}};

    if (n > HB_MAX_NODES)
        n = HB_MAX_NODES;
    /* Keep the replay state of members that stay. */
    for (size_t i = 0; i < n; i++) {
        int old = member_index(h, members[i].id);

        if (old >= 0)
            replay[i] = h->replay[old];
    }
    for (size_t i = 0; i < h->n_members; i++) {
        bool stays = false;

        for (size_t k = 0; k < n; k++)
            stays |= members[k].id == h->members[i].id;
        if (!stays)
            hb_track_remove_member(&h->track, h->members[i].id);
    }
    memcpy(h->members, members, n * sizeof(*members));
    memcpy(h->replay, replay, sizeof(replay));
    h->n_members = n;
    for (size_t i = 0; i < n; i++)
        hb_track_set_member(&h->track, members[i].id, mono_ms());
    hb_track_set_member(&h->track, h->track.self, mono_ms());
    refresh_voters(h);
}

void hb_set_config(struct hb *h, const struct hb_config *cfg)
{
    bool changed = cfg->interval_ms != h->track.cfg.interval_ms ||
                   cfg->lease_ms != h->track.cfg.lease_ms;

    hb_track_set_config(&h->track, cfg, mono_ms());
    /* A heartbeat at once: its echoes carry the lease on at the new length, where waiting a new
     * interval could let the old one run out. */
    if (changed)
        uv_timer_start(&h->send_timer, send_cb, 0, cfg->interval_ms);
}

const struct hb_track *hb_tracker(const struct hb *h)
{
    return &h->track;
}

void hb_note_incarnation(struct hb *h, uint64_t id, uint64_t incarnation)
{
    hb_track_note_incarnation(&h->track, id, incarnation);
}

void hb_set_idle(struct hb *h, uint64_t since)
{
    /* The incarnation as the report begins, not as it goes on: this node's own confirmation,
     * applied meanwhile, must void the report at the leader, not take it over. */
    if (since != h->idle_since &&
        !hb_track_incarnation(&h->track, h->track.self, &h->idle_incarnation))
        since = 0; /* nothing noted yet: nothing to say it of */
    h->idle_since = since;
}

static void closed(uv_handle_t *handle)
{
    struct hb *h = handle->data;

    if (--h->closing == 0)
        free(h);
}

void hb_stop(struct hb *h)
{
    if (h == NULL)
        return;
    h->closing = 5;
    uv_close((uv_handle_t *)&h->udp, closed);
    uv_close((uv_handle_t *)&h->send_timer, closed);
    uv_close((uv_handle_t *)&h->check_timer, closed);
    uv_close((uv_handle_t *)&h->after_input, closed);
    uv_close((uv_handle_t *)&h->no_wait, closed);
}
