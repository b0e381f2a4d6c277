/* Heartbeat bookkeeping and the lease arithmetic, on a simulated clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "daemon/health/hb_packet.h"
#include "daemon/health/hb_track.h"

#define FP_ALL 0x11
#define FP_NEXT 0x22
static const uint64_t all_ids[3] = {1, 2, 3};

/* Three voters; each node's clock starts elsewhere so no comparison across clocks sneaks in. */
struct sim {
    struct hb_track t[3];
    uint64_t offset[3];
};

/* delay 250 ms, threshold 3, the QuorumLease given (0: twice the delay) */
static void sim_init_lease(struct sim *s, uint32_t lease_ms)
{
    struct hb_config cfg;

    hb_config_defaults(&cfg, 250, 3, lease_ms);
    for (int i = 0; i < 3; i++) {
        s->offset[i] = 1000000 * (uint64_t)(i + 1);
        hb_track_init(&s->t[i], &cfg, (uint64_t)i + 1, s->offset[i]);
        for (int k = 0; k < 3; k++)
            hb_track_set_member(&s->t[i], (uint64_t)k + 1, s->offset[i]);
        hb_track_set_voters(&s->t[i], FP_ALL, all_ids, 3, s->offset[i]);
    }
}

/* Node i (0-based) enters voter configuration fp at real time now. */
static void sim_reconfigure(struct sim *s, int i, uint64_t fp, const uint64_t *ids, size_t n,
                            uint64_t now)
{
    hb_track_set_voters(&s->t[i], fp, ids, n, now + s->offset[i]);
}

/* Node a sends a heartbeat at real time now; it reaches each node in to[] (if set), which
 * acknowledges it at once over the reverse link. */
static void sim_send(struct sim *s, int a, uint64_t now, const bool to[3], const bool back[3])
{
    struct hb_entry e[HB_MAX_NODES];
    uint64_t local = now + s->offset[a];
    size_t n = hb_track_entries(&s->t[a], local, e, HB_MAX_NODES);

    for (int b = 0; b < 3; b++) {
        struct hb_entry ack;

        if (b == a || !to[b])
            continue;
        hb_track_receive(&s->t[b],
                         &(struct hb_from){(uint64_t)a + 1, local, s->t[a].cfg.lease_ms,
                                           s->t[a].voters.fp, true, 0, 0, false},
                         e, n, now + s->offset[b]);
        ack = hb_track_ack(&s->t[b], (uint64_t)a + 1, now + s->offset[b]);
        if (back[b])
            hb_track_receive(&s->t[a],
                             &(struct hb_from){(uint64_t)b + 1, now + s->offset[b],
                                               s->t[b].cfg.lease_ms, s->t[b].voters.fp, false,
                                               0, 0, false},
                             &ack, 1, local);
    }
}

static void sim_init(struct sim *s)
{
    sim_init_lease(s, 0);
}

static void sim_round(struct sim *s, uint64_t now, const bool alive[3], const bool link[3][3])
{
    for (int a = 0; a < 3; a++) {
        bool to[3], back[3];

        if (!alive[a])
            continue;
        for (int b = 0; b < 3; b++) {
            to[b] = alive[b] && link[a][b];
            back[b] = alive[b] && link[b][a];
        }
        sim_send(s, a, now, to, back);
    }
}

static const bool all3[3] = {true, true, true};
static const bool full[3][3] = {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}};

/* Three voters that heartbeat each other four rounds from 0 ms: every lease held; the time after
 * the last round (1000 ms) is returned. */
static uint64_t sim_steady(struct sim *s)
{
    uint64_t now = 0;

    sim_init(s);
    for (int r = 0; r < 4; r++, now += 250)
        sim_round(s, now, all3, full);
    return now;
}

/* Rounds over link from `from` to `until` (ms, every 250 a round, checked every 10): when node 2
 * first found node 1 fenced (0: never), and in *ret_lease_end the end of node 1's last lease. */
static uint64_t sim_until_fenced(struct sim *s, uint64_t from, uint64_t until,
                                 const bool link[3][3], uint64_t *ret_lease_end)
{
    uint64_t fenced_at = 0;

    *ret_lease_end = 0;
    for (uint64_t now = from; now < until; now += 10) {
        uint64_t l;

        if (now % 250 == 0)
            sim_round(s, now, all3, link);
        l = hb_track_lease_until(&s->t[0], now + s->offset[0]);
        if (l > now + s->offset[0])
            *ret_lease_end = l - s->offset[0];
        if (fenced_at == 0 && hb_track_fenced(&s->t[1], 1, now + s->offset[1]))
            fenced_at = now;
    }
    return fenced_at;
}

static void test_everyone_up_and_leased(void **state)
{
    struct sim s;
    uint64_t now = 0;

    now = sim_steady(&s);
    now -= 1; /* just before the next round: the worst moment for a lease */
    for (int i = 0; i < 3; i++) {
        uint64_t local = now + s.offset[i];

        for (int k = 0; k < 3; k++)
            assert_true(hb_track_up(&s.t[i], (uint64_t)k + 1, local));
        assert_true(hb_track_lease_until(&s.t[i], local) > local);
        assert_false(hb_track_fenced(&s.t[i], 1, local));
    }
}

static void test_no_lease_before_any_echo(void **state)
{
    struct sim s;

    sim_init(&s);
    assert_int_equal(hb_track_lease_until(&s.t[0], s.offset[0] + 10), 0);
}

/* Node 1 dies: the others see it Down after threshold × delay, and only once both of them have
 * been silent long enough is it fenced. Its lease (had it survived) had run out before. */
static void test_crash_is_detected_then_fenced(void **state)
{
    struct sim s;
    bool alive[3] = {true, true, true};
    uint64_t now = 0, lease_end, fenced_at = 0, down_at = 0;

    sim_init(&s);
    for (int r = 0; r < 4; r++, now += 250)
        sim_round(&s, now, alive, full);
    lease_end = hb_track_lease_until(&s.t[0], now - 250 + s.offset[0]) - s.offset[0];
    assert_true(lease_end > now); /* it held a lease when it died */
    alive[0] = false;
    for (; now < 5000; now += 10) {
        if (now % 250 == 0)
            sim_round(&s, now, alive, full);
        if (down_at == 0 && !hb_track_up(&s.t[1], 1, now + s.offset[1]))
            down_at = now;
        if (fenced_at == 0 && hb_track_fenced(&s.t[1], 1, now + s.offset[1]))
            fenced_at = now;
    }
    assert_true(down_at > 0 && fenced_at > 0);
    assert_true(fenced_at > lease_end); /* never two owners */
    assert_true(down_at <= 750 + 750); /* detected within threshold × delay of the last beat */
    assert_true(fenced_at - 750 < 1000); /* and takeover follows within a second */
}

/* A one-way cut: node 1 still hears the others but they no longer hear it. It must lose its
 * lease before the others consider it fenced. */
static void test_one_way_partition(void **state)
{
    struct sim s;
    bool link[3][3] = {{1, 0, 0}, {1, 1, 1}, {1, 1, 1}}; /* 1 → others cut; others → 1 fine */
    uint64_t lease_end, fenced_at;

    fenced_at = sim_until_fenced(&s, sim_steady(&s), 5000, link, &lease_end);
    assert_true(fenced_at > 0);
    assert_true(lease_end < fenced_at);
}

/* A minority node (cut off entirely) loses its lease; the majority keeps theirs. */
static void test_isolated_node_loses_lease(void **state)
{
    struct sim s;
    bool link[3][3] = {{1, 0, 0}, {0, 1, 1}, {0, 1, 1}};
    uint64_t now = 0;

    now = sim_steady(&s);
    for (int r = 0; r < 8; r++, now += 250)
        sim_round(&s, now, all3, link);
    assert_true(hb_track_lease_until(&s.t[0], now + s.offset[0]) < now + s.offset[0]);
    assert_true(hb_track_lease_until(&s.t[1], now + s.offset[1]) > now + s.offset[1]);
    assert_true(hb_track_fenced(&s.t[1], 1, now + s.offset[1]));
    assert_false(hb_track_fenced(&s.t[1], 3, now + s.offset[1]));
}

/* SameSubnetDelay changed, applied by node 1 (the holder) first: it now declares a 2000 ms
 * lease while the others still run 250 ms heartbeats. Cut off right after an echo, it must be
 * fenced only after that longer lease, though the fencers' own settings would say 500 ms. */
static void test_longer_lease_declared_first(void **state)
{
    struct sim s;
    struct hb_config slow;
    bool alive[3] = {true, true, true};
    uint64_t now = 0, lease_end, fenced_at = 0;

    sim_init(&s);
    for (int r = 0; r < 4; r++, now += 250)
        sim_round(&s, now, alive, full);
    hb_config_defaults(&slow, 1000, 3, 0);
    hb_track_set_config(&s.t[0], &slow, now + s.offset[0]);
    lease_end = hb_track_lease_until(&s.t[0], now + s.offset[0]) - s.offset[0];
    assert_int_equal(lease_end, now - 250 + 500); /* echoes of the 500 ms heartbeats */
    sim_round(&s, now, alive, full);
    lease_end = hb_track_lease_until(&s.t[0], now + s.offset[0]) - s.offset[0];
    assert_int_equal(lease_end, now + 2000); /* the 2000 ms lease it declared */
    assert_int_equal(hb_track_declared_lease(&s.t[1], 1), 2000);
    assert_int_equal(hb_track_declared_lease(&s.t[1], 3), 500);
    assert_int_equal(hb_track_declared_lease(&s.t[1], 9), 0);
    alive[0] = false;
    for (; now < 10000; now += 10) {
        if (now % 250 == 0)
            sim_round(&s, now, alive, full);
        if (fenced_at == 0 && hb_track_fenced(&s.t[1], 1, now + s.offset[1]))
            fenced_at = now;
    }
    assert_true(fenced_at > lease_end);
}

/* The other way round: node 1 moves to a shorter lease; echoes of heartbeats it sent with the
 * longer one are worth only the shorter, and the fencers keep the longer one for a while. */
static void test_shorter_lease_is_safe_both_ways(void **state)
{
    struct sim s;
    struct hb_config cfg;
    bool alive[3] = {true, true, true};
    uint64_t now = 0, lease_end, fenced_at = 0;

    sim_init(&s);
    hb_config_defaults(&cfg, 1000, 3, 0);
    for (int i = 0; i < 3; i++)
        hb_track_set_config(&s.t[i], &cfg, s.offset[i]);
    for (int r = 0; r < 4; r++, now += 1000)
        sim_round(&s, now, alive, full);
    hb_config_defaults(&cfg, 250, 3, 0);
    hb_track_set_config(&s.t[0], &cfg, now + s.offset[0]);
    lease_end = hb_track_lease_until(&s.t[0], now + s.offset[0]) - s.offset[0];
    assert_int_equal(lease_end, now - 1000 + 500); /* the 2000 ms echo counts for 500 only */
    sim_round(&s, now, alive, full);
    lease_end = hb_track_lease_until(&s.t[0], now + s.offset[0]) - s.offset[0];
    assert_int_equal(lease_end, now + 500);
    alive[0] = false;
    for (; now < 20000; now += 10) {
        if (now % 250 == 0)
            sim_round(&s, now, alive, full);
        if (fenced_at == 0 && hb_track_fenced(&s.t[1], 1, now + s.offset[1]))
            fenced_at = now;
    }
    assert_true(fenced_at > lease_end);
}

static int fake_mac(void *arg, const uint8_t *data, size_t len, uint8_t *tag)
{
    (void)arg;
    memset(tag, 0, HB_TAG_BYTES);
    for (size_t i = 0; i < len; i++)
        tag[i % HB_TAG_BYTES] ^= data[i];
    return 0;
}

static void test_packet_round_trip(void **state)
{
    struct hb_packet p = {.type = HB_TYPE_HEARTBEAT, .sender = 7, .boot = 11, .seq = 12,
                          .send_ms = 13, .lease_ms = 4000, .n = 2, .lapsed_ms = 777,
                          .lapsed_incarnation = 9}, q;
    uint8_t buf[HB_PACKET_MAX];
    int len;

    p.entries[0] = (struct hb_entry){.id = 1, .echo_ms = 2, .silence_ms = 3, .lease_ms = 500};
    p.entries[1] = (struct hb_entry){.id = 4, .echo_ms = 5, .silence_ms = HB_NEVER};
    len = hb_packet_encode(&p, fake_mac, NULL, buf);
    assert_int_equal(len, HB_HEADER_BYTES + 2 * HB_ENTRY_BYTES + HB_TAG_BYTES);
    assert_int_equal(hb_packet_decode(buf, (size_t)len, fake_mac, NULL, &q), 0);
    assert_int_equal(q.lease_ms, 4000);
    assert_int_equal(q.n, 2);
    assert_int_equal(q.entries[0].lease_ms, 500);
    assert_int_equal(q.entries[1].silence_ms, HB_NEVER);
    assert_int_equal(q.seq, 12);
    assert_int_equal(q.lapsed_ms, 777);
    assert_int_equal(q.lapsed_incarnation, 9);
    buf[HB_HEADER_BYTES - 1] ^= 1; /* the lapse report is covered by the tag */
    assert_int_equal(hb_packet_decode(buf, (size_t)len, fake_mac, NULL, &q), -EACCES);
    assert_int_equal(hb_packet_decode(buf, (size_t)len - 1, fake_mac, NULL, &q), -EBADMSG);
}

/* A node says how long it has run nothing for want of a lease, and of which incarnation; the
 * others take it from its newest heartbeat for two intervals, as it was said (not extrapolated),
 * and only while their database has that incarnation for it. */
static void test_lapse_reported(void **state)
{
    struct sim s;
    uint64_t now = sim_steady(&s) + 600, local1 = now + s.offset[1];
    struct hb_from from = {.id = 1, .send_ms = now + s.offset[0], .lease_ms = 500,
                           .voters_fp = s.t[0].voters.fp, .full = true, .lapsed_ms = 600,
                           .lapsed_incarnation = 4};
    uint64_t inc;

    (void)state;
    assert_int_equal(hb_track_lapsed(&s.t[1], 1, local1), 0);
    hb_track_receive(&s.t[1], &from, NULL, 0, local1);
    assert_int_equal(hb_track_lapsed(&s.t[1], 1, local1), 0); /* no incarnation noted yet */
    assert_false(hb_track_incarnation(&s.t[1], 1, &inc));
    hb_track_note_incarnation(&s.t[1], 1, 4);
    assert_true(hb_track_incarnation(&s.t[1], 1, &inc));
    assert_int_equal(inc, 4);
    assert_int_equal(hb_track_lapsed(&s.t[1], 1, local1), 600);
    assert_int_equal(hb_track_lapsed(&s.t[1], 1, local1 + 100), 600); /* as said */
    assert_int_equal(hb_track_lapsed(&s.t[1], 1, local1 + 501), 0);   /* too old to go by */
    assert_int_equal(hb_track_lapsed(&s.t[1], 3, local1), 0);
    /* It confirmed a new lease: what it said of the incarnation before counts no more. */
    hb_track_note_incarnation(&s.t[1], 1, 5);
    assert_int_equal(hb_track_lapsed(&s.t[1], 1, local1), 0);
    /* Its next heartbeat says nothing of a lapse: none counts, even of the right incarnation. */
    from.send_ms += 10;
    from.lapsed_ms = 0;
    from.lapsed_incarnation = 5;
    hb_track_receive(&s.t[1], &from, NULL, 0, local1 + 10);
    assert_int_equal(hb_track_lapsed(&s.t[1], 1, local1 + 10), 0);
    /* An acknowledgement says nothing of it and changes nothing. */
    from.send_ms += 10;
    from.lapsed_ms = 700;
    hb_track_receive(&s.t[1], &from, NULL, 0, local1 + 20);
    assert_int_equal(hb_track_lapsed(&s.t[1], 1, local1 + 20), 700);
    from.send_ms += 10;
    from.full = false;
    from.lapsed_ms = 0;
    hb_track_receive(&s.t[1], &from, NULL, 0, local1 + 30);
    assert_int_equal(hb_track_lapsed(&s.t[1], 1, local1 + 30), 700);
}

static void test_membership_changes(void **state)
{
    struct hb_track t;
    struct hb_config cfg;
    struct hb_entry e[4];

    hb_config_defaults(&cfg, 250, 3, 0);
    hb_track_init(&t, &cfg, 1, 40);
    hb_track_set_member(&t, 1, 40);
    hb_track_set_voters(&t, FP_ALL, all_ids, 1, 50);
    assert_int_equal(hb_track_lease_until(&t, 100), 100 + cfg.lease_ms); /* alone: own quorum */
    hb_track_set_member(&t, 2, 40);
    hb_track_set_member(&t, 3, 70); /* a standby does not vote on leases */
    hb_track_set_voters(&t, FP_NEXT, all_ids, 2, 100);
    /* 1 and 2 vote now: 2 has echoed nothing, so only the lease of the configuration before
     * holds, from the last moment this node was in it. */
    assert_int_equal(hb_track_lease_until(&t, 100), 99 + cfg.lease_ms);
    assert_true(hb_track_is_voter(&t, 2));
    assert_false(hb_track_is_voter(&t, 3));
    assert_int_equal(hb_track_entries(&t, 100, e, 4), 2);
    assert_int_equal(e[0].silence_ms, 60); /* never heard: silent since we started, at 40 */
    assert_int_equal(e[1].silence_ms, 30); /* never heard: silent since it became a member */
    assert_false(hb_track_up(&t, 2, 100));
    assert_true(hb_track_fenced(&t, 9, 100)); /* not a member */
    hb_track_remove_member(&t, 2);
    assert_int_equal(hb_track_entries(&t, 100, e, 4), 1);
    assert_int_equal(e[0].id, 3);
}

/* A node echoes only heartbeats sent in its own voter configuration: node 1 in another one gets
 * no echo from 2 or 3, so no lease, though every link works. */
static void test_echo_only_in_the_same_configuration(void **state)
{
    struct sim s;
    uint64_t now = 0;

    (void)state;
    sim_init(&s);
    sim_reconfigure(&s, 0, FP_NEXT, all_ids, 3, 0);
    for (int r = 0; r < 4; r++, now += 250)
        sim_round(&s, now, all3, full);
    assert_true(hb_track_lease_until(&s.t[0], now + s.offset[0]) <= now + s.offset[0]);
    assert_true(hb_track_up(&s.t[1], 1, now + s.offset[1])); /* heard all the same */
    assert_true(hb_track_lease_until(&s.t[1], now + s.offset[1]) > now + s.offset[1]);
}

/* Every node moves to a new configuration, one after the other within a heartbeat interval: no
 * node's lease lapses meanwhile, since the one before carries it until the new one's echoes
 * come. */
static void test_lease_carries_over_a_configuration_change(void **state)
{
    struct sim s;
    uint64_t now;

    (void)state;
    now = sim_steady(&s);
    for (int i = 0; i < 3; i++)
        sim_reconfigure(&s, i, FP_NEXT, all_ids, 3, now + 40 * (uint64_t)i);
    /* in the new configuration nobody has echoed yet: hb.c sends at once to such a peer */
    assert_false(hb_track_echoed(&s.t[0], 2));
    for (uint64_t end = now + 1000; now < end; now += 10) {
        if (now % 250 == 0)
            sim_round(&s, now, all3, full);
        for (int i = 0; i < 3; i++)
            assert_true(hb_track_lease_until(&s.t[i], now + s.offset[i]) > now + s.offset[i]);
    }
    assert_true(hb_track_echoed(&s.t[0], 2));
}

/* Node 1 stays in the old configuration {1, 2, 3} while 2 and 3 move on: its echoes from them
 * stop, and its lease runs out with the old echoes; a majority of its configuration no longer
 * vouches for it. */
static void test_lease_needs_a_majority_of_one_configuration(void **state)
{
    struct sim s;
    uint64_t now = 0, lease_end;

    (void)state;
    now = sim_steady(&s);
    sim_reconfigure(&s, 1, FP_NEXT, all_ids, 3, now);
    sim_reconfigure(&s, 2, FP_NEXT, all_ids, 3, now);
    lease_end = hb_track_lease_until(&s.t[0], now + s.offset[0]) - s.offset[0];
    for (int r = 0; r < 8; r++, now += 250)
        sim_round(&s, now, all3, full);
    assert_true(lease_end <= now);
    assert_true(hb_track_lease_until(&s.t[0], now + s.offset[0]) <= now + s.offset[0]);
}

/* Node 1 can send but not receive (a failed receive path): the others still hear it, but its
 * heartbeats say it hears nobody, so they neither count it as heard nor echo it. It is fenced
 * (its lease long gone) within two intervals plus a fence of the fault, and counts as Down; once
 * the link heals it is heard, echoed and leased again. */
static void test_deaf_node_is_fenced(void **state)
{
    struct sim s;
    bool link[3][3] = {{1, 1, 1}, {0, 1, 1}, {0, 1, 1}}; /* others → 1 cut; 1 → others fine */
    uint64_t now, fault, lease_end, fenced_at;

    (void)state;
    fault = sim_steady(&s);
    now = fault + 3000;
    fenced_at = sim_until_fenced(&s, fault, now, link, &lease_end);
    assert_true(fenced_at > 0);
    assert_true(lease_end < fenced_at);
    assert_true(fenced_at - fault <= 2 * 250 + 250 + 555 + 10);
    assert_false(hb_track_up(&s.t[1], 1, now + s.offset[1]));
    assert_true(hb_track_deaf(&s.t[1], 1));
    assert_true(hb_track_reported_silence(&s.t[1], 1, 2) >= 2 * 250); /* what node 2 logs */
    assert_true(hb_track_reported_silence(&s.t[1], 3, 2) < 250);
    assert_int_equal(hb_track_reported_silence(&s.t[1], 9, 2), HB_NEVER);
    assert_true(hb_track_up(&s.t[1], 3, now + s.offset[1])); /* the others are unaffected */
    assert_false(hb_track_deaf(&s.t[1], 3));
    for (int r = 0; r < 3; r++, now += 250)
        sim_round(&s, now, all3, full);
    assert_true(hb_track_up(&s.t[1], 1, now + s.offset[1]));
    assert_false(hb_track_deaf(&s.t[1], 1));
    /* Not echoed yet: the others' reports that it is silent may still be read. */
    assert_true(hb_track_lease_until(&s.t[0], now + s.offset[0]) <= now + s.offset[0]);
    for (int r = 0; r < 2; r++, now += 250)
        sim_round(&s, now, all3, full);
    assert_true(hb_track_lease_until(&s.t[0], now + s.offset[0]) > now + s.offset[0]);
}

/* A node that stalled for two intervals sends a heartbeat saying it hears nobody; a peer answers
 * it with an acknowledgement, and hb_track_receive says the peer is heard again, so that a
 * heartbeat goes to it at once: the peer echoes none of ours while they say we do not hear it.
 * Not so in steady state. */
static void test_heard_again_after_two_intervals(void **state)
{
    struct sim s;
    uint64_t now = sim_steady(&s) + 600; /* the last round was at 750 */
    struct hb_entry ack = hb_track_ack(&s.t[1], 1, now + s.offset[1]);
    struct hb_from from = {2, now + s.offset[1], s.t[1].cfg.lease_ms, s.t[1].voters.fp, false, 0,
                           0, false};

    (void)state;
    assert_true(hb_track_receive(&s.t[0], &from, &ack, 1, now + s.offset[0]));
    from.send_ms += 10;
    assert_false(hb_track_receive(&s.t[0], &from, &ack, 1, now + 10 + s.offset[0]));
}

/* Nodes 1 and 2 enter a new configuration; node 3 enters it 540 ms later, past the end of the
 * lease the old configuration's echoes gave it: the others still echo its heartbeats for the
 * overlap, so no node's lease lapses meanwhile. */
static void test_late_node_keeps_its_lease_in_the_overlap(void **state)
{
    struct sim s;
    uint64_t now;

    (void)state;
    sim_steady(&s); /* the last round at 750: old leases end at 1250 */
    sim_reconfigure(&s, 0, FP_NEXT, all_ids, 3, 760);
    sim_reconfigure(&s, 1, FP_NEXT, all_ids, 3, 760);
    for (now = 760; now <= 1600; now += 10) {
        if (now % 250 == 0)
            sim_round(&s, now, all3, full);
        if (now == 1300) { /* it enters, and sends at once (hb.c) */
            sim_reconfigure(&s, 2, FP_NEXT, all_ids, 3, now);
            sim_send(&s, 2, now, all3, all3);
        }
        for (int i = 0; i < 3; i++)
            assert_true(hb_track_lease_until(&s.t[i], now + s.offset[i]) > now + s.offset[i]);
    }
    /* the overlap is over: heartbeats in the old configuration are no longer echoed */
    sim_reconfigure(&s, 2, FP_ALL, all_ids, 3, now);
    sim_send(&s, 2, now, all3, all3);
    assert_false(hb_track_echoed(&s.t[2], 1));
}

/* The leader enters a new configuration first and heartbeats at once; the others enter it 110 ms
 * later: they echo that heartbeat as they enter, so the leader's lease in the new configuration
 * runs from it, not from its next heartbeat. */
static void test_heartbeat_echoed_when_the_receiver_enters_its_set(void **state)
{
    struct sim s;
    uint64_t now;

    (void)state;
    now = sim_steady(&s) - 10; /* just before the next round */
    sim_reconfigure(&s, 0, FP_NEXT, all_ids, 3, now);
    sim_send(&s, 0, now, all3, all3);
    assert_false(hb_track_echoed(&s.t[0], 2));
    for (int i = 1; i < 3; i++) {
        sim_reconfigure(&s, i, FP_NEXT, all_ids, 3, now + 110);
        sim_send(&s, i, now + 110, all3, all3);
    }
    assert_true(hb_track_echoed(&s.t[0], 2));
    assert_true(hb_track_lease_until(&s.t[0], now + 120 + s.offset[0]) >=
                now + s.t[0].cfg.lease_ms + s.offset[0]);
}

/* The leader spaces voter changes by the lease bound and the overlap, both with drift. */
static void test_change_spacing(void **state)
{
    struct sim s;

    (void)state;
    sim_init(&s);
    assert_int_equal(hb_track_lease_bound(&s.t[0], s.offset[0]), 555);
    assert_int_equal(hb_track_change_spacing(&s.t[0], s.offset[0]),
                     555 + HB_VOTERS_OVERLAP_MS * 101 / 100);
}

/* QuorumLease: 0 keeps Windows' cadence; a lease of its own is renewed three times per lease. */
static void test_lease_property(void **state)
{
    struct hb_config cfg;

    (void)state;
    hb_config_defaults(&cfg, 250, 3, 0);
    assert_int_equal(cfg.interval_ms, 250);
    assert_int_equal(cfg.lease_ms, 500);
    assert_int_equal(cfg.margin_ms, 50);
    hb_config_defaults(&cfg, 250, 3, 150);
    assert_int_equal(cfg.interval_ms, 50);
    assert_int_equal(cfg.lease_ms, 150);
    assert_int_equal(cfg.margin_ms, 25); /* not a tenth: at least a check interval */
    hb_config_defaults(&cfg, 250, 3, 3000); /* a long lease: heartbeats still each delay */
    assert_int_equal(cfg.interval_ms, 250);
}

/*
 * The fastest setting (QuorumLease 150): the holder keeps its lease through a lost heartbeat,
 * and when it dies the others find it fenced well before it is Down, and only after its lease.
 */
static void test_short_lease_fences_before_down(void **state)
{
    struct sim s;
    bool alive[3] = {true, true, true};
    const bool lost[3][3] = {{1, 0, 0}, {1, 1, 1}, {1, 1, 1}};
    uint64_t now = 0, heard = 200, lease_end, fenced_at = 0, down_at = 0;

    (void)state;
    sim_init_lease(&s, 150);
    for (int r = 0; r < 6; r++, now += 50)
        sim_round(&s, now, alive, r == 5 ? lost : full); /* node 1's beat at 250 is lost */
    /* just before the next beat: the lease of the beat before the lost one still holds */
    assert_true(hb_track_lease_until(&s.t[0], now - 1 + s.offset[0]) > now - 1 + s.offset[0]);
    lease_end = hb_track_lease_until(&s.t[0], now + s.offset[0]) - s.offset[0];
    alive[0] = false; /* it dies before that beat: the others last heard it at 200 */
    for (; now < 3000; now += 5) {
        if (now % 50 == 0)
            sim_round(&s, now, alive, full);
        if (down_at == 0 && !hb_track_up(&s.t[1], 1, now + s.offset[1]))
            down_at = now;
        if (fenced_at == 0 && hb_track_fenced(&s.t[1], 1, now + s.offset[1]))
            fenced_at = now;
    }
    assert_int_equal(lease_end, heard + 150);
    assert_true(fenced_at > lease_end);                        /* never two owners */
    assert_true(fenced_at - heard <= 150 * 101 / 100 + 25 + 50); /* a report round late at most */
    assert_true(down_at - heard >= 750);                       /* Down keeps Windows' meaning */
    assert_true(fenced_at < down_at);
}

/* A node that came back (its incarnation moved on) is not fenced by reports from before. */
static void test_new_incarnation_forgets_old_reports(void **state)
{
    struct sim s;
    bool alive[3] = {true, true, true};
    uint64_t now = 0;

    (void)state;
    sim_init(&s);
    hb_track_note_incarnation(&s.t[1], 1, 0);
    for (int r = 0; r < 4; r++, now += 250)
        sim_round(&s, now, alive, full);
    alive[0] = false;
    for (int r = 0; r < 4; r++, now += 250)
        sim_round(&s, now, alive, full);
    assert_true(hb_track_fenced(&s.t[1], 1, now + s.offset[1]));
    hb_track_note_incarnation(&s.t[1], 1, 0); /* unchanged: nothing forgotten */
    assert_true(hb_track_fenced(&s.t[1], 1, now + s.offset[1]));
    hb_track_note_incarnation(&s.t[1], 1, 1);
    assert_false(hb_track_fenced(&s.t[1], 1, now + s.offset[1]));
    sim_round(&s, now, alive, full); /* node 3 reports again: still silent */
    assert_true(hb_track_fenced(&s.t[1], 1, now + s.offset[1]));
}

/*
 * A witness tells at once when its silence of a peer reaches the fence (once per silence), so
 * the leader need not wait an interval for the report: with that extra heartbeat the peer is
 * fenced as soon as both witnesses' silences reach the fence, not up to an interval later.
 */
static void test_silence_reaching_fence_is_told_at_once(void **state)
{
    struct sim s;
    bool alive[3] = {true, true, true};
    const bool only_3[3] = {false, true, false}; /* node 3's heartbeat, to node 2 only */
    uint64_t now = 0, heard, fenced_at = 0;

    (void)state;
    sim_init(&s);
    for (int r = 0; r < 4; r++, now += 250)
        sim_round(&s, now, alive, full);
    heard = now - 250;
    alive[0] = false;
    assert_false(hb_track_silence_reached_fence(&s.t[2], now + s.offset[2]));
    for (; now < 3000 && fenced_at == 0; now += 5) {
        if (now % 250 == 0)
            sim_round(&s, now, alive, full);
        if (hb_track_silence_reached_fence(&s.t[2], now + s.offset[2]))
            sim_send(&s, 2, now, only_3, only_3);
        if (hb_track_fenced(&s.t[1], 1, now + s.offset[1]))
            fenced_at = now;
    }
    assert_true(fenced_at - heard <= 555 + 5); /* not the next interval (750) */
    assert_false(hb_track_silence_reached_fence(&s.t[2], now + s.offset[2])); /* told once */
    alive[0] = true;
    sim_round(&s, now, alive, full);
    assert_false(hb_track_silence_reached_fence(&s.t[2], now + s.offset[2]));
}

/*
 * Stale reports (docs/failover.md): node 3 tells node 2 that node 1 is silent, then hears node 1
 * again while its own heartbeats to node 2 are lost. Node 2 takes that report only while it is
 * fresh (it echoed a send of node 2's at most 1.5 leases ago), and node 3 echoes node 1 only
 * once no node may take it any more.
 */
static void test_stale_report_vouches_for_nothing(void **state)
{
    struct sim s;
    bool alive[3] = {true, true, true};
    const bool one_way[3][3] = {{1, 1, 0}, {1, 1, 1}, {1, 1, 1}}; /* 1 → 3 cut */
    const bool three_mute[3][3] = {{1, 1, 1}, {1, 1, 1}, {1, 0, 1}}; /* 3 → 2 cut */
    uint64_t now = sim_steady(&s), told, heard, echoed = 0;
    struct hb_entry ack;

    (void)state;
    for (int r = 0; r < 4; r++, now += 250) /* node 3 does not hear node 1 for a second */
        sim_round(&s, now, alive, one_way);
    assert_true(hb_track_reported_silence(&s.t[1], 3, 1) >= 555);
    /* the withholding began, and is told once */
    assert_int_equal(hb_track_withhold_change(&s.t[2], 1, now + s.offset[2]), 1);
    assert_int_equal(hb_track_withhold_change(&s.t[2], 1, now + s.offset[2]), 0);
    told = now - 250;
    heard = now;
    for (; now < heard + 2000; now += 250) { /* node 3 hears node 1 again, node 2 no longer 3 */
        /* Node 3's heartbeat of the first such round still tells the silence: node 1's came
         * before it but said node 3 unheard, so it counted only with the acknowledgement of
         * node 3's own. */
        if (hb_track_silence(&s.t[2], 1, now + s.offset[2]) >= 530)
            told = now;
        sim_round(&s, now, alive, three_mute);
        ack = hb_track_ack(&s.t[2], 1, now + s.offset[2]);
        if (echoed == 0 && ack.echo_ms != 0)
            echoed = now;
        /* node 2's own silence of node 1 is none, so node 1 is never fenced here: what counts is
         * whether node 3's report still does */
        assert_false(hb_track_fenced(&s.t[1], 1, now + s.offset[1]));
    }
    /* Node 2 stopped taking the report 750 ms after the send of its own that it echoed, itself
     * at most a round before the report; node 3 withheld its echoes at least that long. */
    assert_true(echoed > 0);
    assert_int_equal(hb_track_withhold_change(&s.t[2], 1, now + s.offset[2]), -1);
    assert_int_equal(hb_track_withhold_change(&s.t[2], 1, now + s.offset[2]), 0);
    assert_true(echoed >= told + 750);
    assert_true(echoed <= told + 750 * 102 / 100 + 25 + 250);
    /* Nothing is withheld from a node that says it lapsed, or that restarted: it confirms its
     * next lease before it starts anything. */
    for (int way = 0; way < 2; way++) {
        struct hb_from from = {1, 0, 500, FP_ALL, true, way == 0 ? 600 : 0, 0, way == 1};

        sim_init(&s);
        now = 0;
        for (int r = 0; r < 4; r++, now += 250)
            sim_round(&s, now, alive, full);
        for (int r = 0; r < 4; r++, now += 250)
            sim_round(&s, now, alive, one_way);
        from.send_ms = now + s.offset[0];
        hb_track_receive(&s.t[2], &from, NULL, 0, now + s.offset[2]);
        assert_int_equal(hb_track_ack(&s.t[2], 1, now + s.offset[2]).echo_ms, from.send_ms);
    }
    /* The report itself: counted while fresh, not after. Node 2 hears nobody from now on and
     * node 1 is silent to it, so node 3's report decides. */
    sim_init(&s);
    now = 0;
    for (int r = 0; r < 4; r++, now += 250)
        sim_round(&s, now, alive, full);
    alive[0] = false;
    for (int r = 0; r < 3; r++, now += 250)
        sim_round(&s, now, alive, full); /* node 1 silent: node 3 reports it at 1500 */
    assert_true(hb_track_fenced(&s.t[1], 1, now - 250 + 10 + s.offset[1]));
    /* no report from node 3 after 1500: node 2's send it echoed (at 1500) ages out at 2250 */
    assert_true(hb_track_fenced(&s.t[1], 1, 1500 + 750 + s.offset[1]));
    assert_false(hb_track_fenced(&s.t[1], 1, 1500 + 751 + s.offset[1]));
}

static void test_bounds(void **state)
{
    assert_true(hb_config_valid(250, 3, 0));
    assert_true(hb_config_valid(250, 3, 150));
    assert_true(hb_config_valid(250, 3, 4000));
    assert_false(hb_config_valid(250, 3, 149));
    assert_false(hb_config_valid(250, 3, 4001));
    assert_true(hb_config_valid(2000, 120, 0));
    assert_false(hb_config_valid(249, 3, 0));
    assert_false(hb_config_valid(250, 2, 0));
    assert_false(hb_config_valid(2001, 10, 0));
    assert_false(hb_config_valid(1000, 121, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_everyone_up_and_leased),
        cmocka_unit_test(test_no_lease_before_any_echo),
        cmocka_unit_test(test_crash_is_detected_then_fenced),
        cmocka_unit_test(test_one_way_partition),
        cmocka_unit_test(test_deaf_node_is_fenced),
        cmocka_unit_test(test_heard_again_after_two_intervals),
        cmocka_unit_test(test_isolated_node_loses_lease),
        cmocka_unit_test(test_longer_lease_declared_first),
        cmocka_unit_test(test_shorter_lease_is_safe_both_ways),
        cmocka_unit_test(test_packet_round_trip),
        cmocka_unit_test(test_lapse_reported),
        cmocka_unit_test(test_membership_changes),
        cmocka_unit_test(test_echo_only_in_the_same_configuration),
        cmocka_unit_test(test_lease_carries_over_a_configuration_change),
        cmocka_unit_test(test_lease_needs_a_majority_of_one_configuration),
        cmocka_unit_test(test_late_node_keeps_its_lease_in_the_overlap),
        cmocka_unit_test(test_heartbeat_echoed_when_the_receiver_enters_its_set),
        cmocka_unit_test(test_change_spacing),
        cmocka_unit_test(test_lease_property),
        cmocka_unit_test(test_short_lease_fences_before_down),
        cmocka_unit_test(test_new_incarnation_forgets_old_reports),
        cmocka_unit_test(test_silence_reaching_fence_is_told_at_once),
        cmocka_unit_test(test_stale_report_vouches_for_nothing),
        cmocka_unit_test(test_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
