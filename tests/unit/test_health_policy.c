/*
 * Health's decisions (health_policy.h) as tables: given the lease, the node states, the
 * failover budget and what heartbeats say, expect these actions. Stories run several steps on
 * a simulated clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <clusapi.h>

#include "daemon/health/health_policy.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

#define TELL HEALTH_LEASE_TELL_HOST
#define CONFIRM HEALTH_LEASE_CONFIRM
#define TERMINATE HEALTH_LEASE_TERMINATE
#define PERIOD (6ull * 3600 * 1000) /* FailoverPeriod's default, 6 hours */

/* A group's limit: threshold failovers in PERIOD. */
#define LIMIT(threshold) (&(const struct health_failover_limit){(threshold), PERIOD})

/* ------------------------------------------------------------------------------------------ */
/* The lease                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/* {sent, held, confirmed, confirming, lapses} */
#define LEASE(sent_, held_, confirmed_, confirming_, lapses_) \
    {.sent = (sent_), .held = (held_), .confirmed = (confirmed_), .confirming = (confirming_), \
     .lapses = (lapses_)}

static void lease_expect(const char *why, const struct health_lease *got,
                         const struct health_lease *want)
{
    if (got->sent != want->sent || got->held != want->held || got->confirmed != want->confirmed ||
        got->confirming != want->confirming || got->lapses != want->lapses)
        fail_msg("%s: lease {sent %llu, held %d, confirmed %d, confirming %d, lapses %llu}, "
                 "want {%llu, %d, %d, %d, %llu}", why, (unsigned long long)got->sent, got->held,
                 got->confirmed, got->confirming, (unsigned long long)got->lapses,
                 (unsigned long long)want->sent, want->held, want->confirmed, want->confirming,
                 (unsigned long long)want->lapses);
}

static const struct {
    const char *why;
    struct health_lease before;
    uint64_t until, now;
    bool local, terminating;
    unsigned actions;
    struct health_lease after;
} lease_cases[] = {
    {"held and confirmed, the same end: nothing", LEASE(500, 1, 1, 0, 0), 500, 400, true, false,
     0, LEASE(500, 1, 1, 0, 0)},
    {"a new lease end is told to the resource host", LEASE(500, 1, 1, 0, 0), 600, 400, true,
     false, TELL, LEASE(600, 1, 1, 0, 0)},
    {"the first lease: told, and confirmed before anything starts", LEASE(0, 0, 0, 0, 0), 500,
     100, false, false, TELL | CONFIRM, LEASE(500, 1, 0, 0, 0)},
    {"a confirmation on its way is not asked again", LEASE(500, 1, 0, 1, 0), 500, 400, false,
     false, 0, LEASE(500, 1, 0, 1, 0)},
    {"held, unconfirmed, none on its way: asked again", LEASE(500, 1, 0, 0, 0), 500, 400, false,
     false, CONFIRM, LEASE(500, 1, 0, 0, 0)},
    {"the lease ends at its end: a lapse unconfirms", LEASE(500, 1, 1, 0, 3), 500, 500, false,
     false, 0, LEASE(500, 0, 0, 0, 4)},
    {"a lapse with resources here: terminate them", LEASE(500, 1, 1, 0, 3), 500, 501, true,
     false, TERMINATE, LEASE(500, 0, 0, 0, 4)},
    {"no lease, a terminate under way: not again", LEASE(500, 0, 0, 0, 4), 500, 600, true, true,
     0, LEASE(500, 0, 0, 0, 4)},
    {"still no lease: no second lapse, terminate still", LEASE(500, 0, 0, 0, 4), 500, 900, true,
     false, TERMINATE, LEASE(500, 0, 0, 0, 4)},
    {"no lease, nothing here: nothing", LEASE(500, 0, 0, 0, 4), 500, 900, false, false, 0,
     LEASE(500, 0, 0, 0, 4)},
    {"a lapse while confirming: it stays on its way", LEASE(500, 1, 0, 1, 1), 500, 600, false,
     false, 0, LEASE(500, 0, 0, 1, 2)},
    {"the lease back: told and confirmed anew", LEASE(500, 0, 0, 0, 2), 1200, 700, true, false,
     TELL | CONFIRM, LEASE(1200, 1, 0, 0, 2)},
    {"held with resources here: no terminate", LEASE(1200, 1, 1, 0, 2), 1200, 1100, true, false,
     0, LEASE(1200, 1, 1, 0, 2)},
    {"an end moving back is told too, and lapses", LEASE(500, 1, 1, 0, 0), 0, 400, false, false,
     TELL, LEASE(0, 0, 0, 0, 1)},
    {"ran out and back between two checks: a lapse, terminate", LEASE(500, 1, 1, 0, 2), 900,
     520, true, false, TELL | CONFIRM | TERMINATE, LEASE(900, 1, 0, 0, 3)},
    {"the same with nothing here: a lapse to confirm", LEASE(500, 1, 1, 0, 2), 900, 500, false,
     false, TELL | CONFIRM, LEASE(900, 1, 0, 0, 3)},
    {"renewed just before its end: no lapse", LEASE(500, 1, 1, 0, 2), 900, 499, true, false,
     TELL, LEASE(900, 1, 1, 0, 2)},
};

static void test_lease_check(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(lease_cases); i++) {
        struct health_lease l = lease_cases[i].before;
        unsigned got = health_lease_check(&l, lease_cases[i].until, lease_cases[i].now,
                                          lease_cases[i].local, lease_cases[i].terminating);

        if (got != lease_cases[i].actions)
            fail_msg("%s: actions %#x, want %#x", lease_cases[i].why, got,
                     lease_cases[i].actions);
        lease_expect(lease_cases[i].why, &l, &lease_cases[i].after);
    }
}

static const struct {
    const char *why;
    struct health_lease before;
    uint64_t tag;
    bool ok;
    struct health_lease after;
} confirmed_cases[] = {
    {"applied within the same lease: confirmed", LEASE(500, 1, 0, 1, 2), 2, true,
     LEASE(500, 1, 1, 0, 2)},
    {"applied after a lapse: it counts for nothing", LEASE(500, 1, 0, 1, 3), 2, true,
     LEASE(500, 1, 0, 0, 3)},
    {"refused: not confirmed, asked again later", LEASE(500, 1, 0, 1, 2), 2, false,
     LEASE(500, 1, 0, 0, 2)},
};

static void test_lease_confirmed(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(confirmed_cases); i++) {
        struct health_lease l = confirmed_cases[i].before;

        health_lease_confirmed(&l, confirmed_cases[i].tag, confirmed_cases[i].ok);
        lease_expect(confirmed_cases[i].why, &l, &confirmed_cases[i].after);
    }
}

/* One node's lease over time, as health.c drives it: checks each tick; the caller marks a
 * confirmation on its way when asked; the commit's outcome comes back later. */
enum lease_event { CHECK, SUBMIT, APPLIED, REFUSED };

static const struct {
    const char *what;
    enum lease_event event;
    uint64_t until, now; /* CHECK */
    bool local;          /* CHECK: resources held here */
    unsigned actions;    /* CHECK */
    struct health_lease after;
} lease_story[] = {
    {"started, no echo yet", CHECK, 0, 100, false, 0, LEASE(0, 0, 0, 0, 0)},
    {"a majority echoed", CHECK, 700, 200, false, TELL | CONFIRM, LEASE(700, 1, 0, 0, 0)},
    {"CONFIRM_NODE submitted", SUBMIT, 0, 0, false, 0, LEASE(700, 1, 0, 1, 0)},
    {"waiting for it", CHECK, 700, 225, false, 0, LEASE(700, 1, 0, 1, 0)},
    {"applied: resources may start", APPLIED, 0, 0, false, 0, LEASE(700, 1, 1, 0, 0)},
    {"renewed", CHECK, 950, 250, true, TELL, LEASE(950, 1, 1, 0, 0)},
    {"the majority went silent: lapse", CHECK, 950, 960, true, TERMINATE, LEASE(950, 0, 0, 0, 1)},
    {"echoes again", CHECK, 1500, 1000, false, TELL | CONFIRM, LEASE(1500, 1, 0, 0, 1)},
    {"CONFIRM_NODE submitted", SUBMIT, 0, 0, false, 0, LEASE(1500, 1, 0, 1, 1)},
    {"lapsed before it applied", CHECK, 1500, 1600, false, 0, LEASE(1500, 0, 0, 1, 2)},
    {"the stale one applies: not confirmed", APPLIED, 0, 0, false, 0, LEASE(1500, 0, 0, 0, 2)},
    {"echoes again", CHECK, 2200, 1700, false, TELL | CONFIRM, LEASE(2200, 1, 0, 0, 2)},
    {"CONFIRM_NODE submitted", SUBMIT, 0, 0, false, 0, LEASE(2200, 1, 0, 1, 2)},
    {"no leader took it", REFUSED, 0, 0, false, 0, LEASE(2200, 1, 0, 0, 2)},
    {"asked again", CHECK, 2200, 1725, false, CONFIRM, LEASE(2200, 1, 0, 0, 2)},
    {"CONFIRM_NODE submitted", SUBMIT, 0, 0, false, 0, LEASE(2200, 1, 0, 1, 2)},
    {"applied: confirmed", APPLIED, 0, 0, false, 0, LEASE(2200, 1, 1, 0, 2)},
};

/* Starting needs the lease held and confirmed, and the end the host last heard still ahead. */
static void test_lease_may_start(void **state)
{
    struct health_lease l = (struct health_lease)LEASE(950, 1, 1, 0, 0);

    (void)state;
    assert_true(health_lease_may_start(&l, 950, 400));
    assert_true(health_lease_may_start(&l, 1200, 900)); /* an echo moved it, not checked yet */
    assert_false(health_lease_may_start(&l, 950, 950));
    /* ran out at 950 and an echo brought a new lease before the next check: a lapse to count */
    assert_false(health_lease_may_start(&l, 1500, 960));
    l.confirmed = false;
    assert_false(health_lease_may_start(&l, 1200, 900));
    assert_int_equal(health_lease_check(&l, 1500, 960, true, false), TELL | CONFIRM | TERMINATE);
    health_lease_confirmed(&l, l.lapses, true);
    assert_true(health_lease_may_start(&l, 1500, 970));
}

/* What heartbeats say of a lapse: from the end of the lease lost, once nothing runs, until the
 * node's next lease is confirmed. */
static void test_lease_idle_since(void **state)
{
    struct health_lease l = (struct health_lease)LEASE(500, 1, 1, 0, 0);

    (void)state;
    assert_int_equal(health_lease_check(&l, 950, 400, true, false), TELL);
    assert_int_equal(health_lease_idle_since(&l, true), 0); /* held and confirmed */
    assert_int_equal(health_lease_check(&l, 950, 980, true, false), TERMINATE);
    assert_int_equal(l.lapse_began, 950);                    /* the lease's end, not the check */
    assert_int_equal(health_lease_idle_since(&l, true), 0); /* still stopping */
    assert_int_equal(health_lease_idle_since(&l, false), 950);
    /* The lease back, a confirmation on its way: still nothing runs until it applies (and the
     * incarnation it makes voids the report). */
    assert_int_equal(health_lease_check(&l, 1500, 1000, false, false), TELL | CONFIRM);
    assert_int_equal(health_lease_idle_since(&l, false), 950);
    l.confirming = true;
    l.confirm_lapses = l.lapses;
    assert_int_equal(health_lease_idle_since(&l, false), 950);
    /* A lapse overtakes it: that confirmation counts for nothing, the node says so again. */
    assert_int_equal(health_lease_check(&l, 1500, 1600, false, false), 0);
    assert_int_equal(health_lease_idle_since(&l, false), 1500);
    health_lease_confirmed(&l, l.confirm_lapses, true);
    assert_false(l.confirmed);
    assert_int_equal(health_lease_idle_since(&l, false), 1500);
    /* Back and confirmed: nothing to say. */
    assert_int_equal(health_lease_check(&l, 2200, 1700, false, false), TELL | CONFIRM);
    l.confirming = true;
    l.confirm_lapses = l.lapses;
    health_lease_confirmed(&l, l.confirm_lapses, true);
    assert_true(l.confirmed);
    assert_int_equal(health_lease_idle_since(&l, false), 0);
    /* An end moving back to none lapses at the check. */
    assert_int_equal(health_lease_check(&l, 0, 1800, false, false), TELL);
    assert_int_equal(health_lease_idle_since(&l, false), 1800);
    /* Lost and back between two checks: the lapse began at the end told, and lasts until a
     * confirmation applies. */
    l = (struct health_lease)LEASE(2500, 1, 1, 0, 5);
    assert_int_equal(health_lease_check(&l, 2900, 2510, false, false), TELL | CONFIRM);
    assert_int_equal(health_lease_idle_since(&l, false), 2500);
    /* A node that never held a lease says nothing. */
    l = (struct health_lease){0};
    assert_int_equal(health_lease_check(&l, 0, 100, false, false), 0);
    assert_int_equal(health_lease_idle_since(&l, false), 0);
}

static void test_lease_story(void **state)
{
    struct health_lease l = {0};
    uint64_t tag = 0;

    (void)state;
    for (size_t i = 0; i < N_OF(lease_story); i++) {
        unsigned got = 0;

        switch (lease_story[i].event) {
        case CHECK:
            got = health_lease_check(&l, lease_story[i].until, lease_story[i].now,
                                     lease_story[i].local, false);
            break;
        case SUBMIT:
            l.confirming = true;
            tag = l.confirm_lapses = l.lapses;
            break;
        case APPLIED:
        case REFUSED:
            health_lease_confirmed(&l, tag, lease_story[i].event == APPLIED);
            break;
        }
        if (got != lease_story[i].actions)
            fail_msg("step %zu, %s: actions %#x, want %#x", i, lease_story[i].what, got,
                     lease_story[i].actions);
        lease_expect(lease_story[i].what, &l, &lease_story[i].after);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Node states                                                                                 */
/* ------------------------------------------------------------------------------------------ */

#define KEEP INT32_MIN

static const struct {
    const char *why;
    int32_t recorded;
    bool up;
    int32_t expect;
} transition_cases[] = {
    {"Up and heard: no change", ClusterNodeUp, true, KEEP},
    {"Up and not heard: Down", ClusterNodeUp, false, ClusterNodeDown},
    {"Down and heard: Up", ClusterNodeDown, true, ClusterNodeUp},
    {"Down and not heard: no change", ClusterNodeDown, false, KEEP},
    {"Joining and heard: Up", ClusterNodeJoining, true, ClusterNodeUp},
    {"Joining and not heard yet: not Down", ClusterNodeJoining, false, KEEP},
    {"Paused and heard: the administrator decides", ClusterNodePaused, true, KEEP},
    {"Paused and not heard: still Paused", ClusterNodePaused, false, KEEP},
    {"Unknown and heard: Up", ClusterNodeStateUnknown, true, ClusterNodeUp},
    {"Unknown and not heard: Down", ClusterNodeStateUnknown, false, ClusterNodeDown},
};

static void test_node_transition(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(transition_cases); i++) {
        int32_t got = KEEP;

        if (!health_node_transition(transition_cases[i].recorded, transition_cases[i].up, &got))
            assert_int_equal(got, KEEP); /* untouched */
        if (got != transition_cases[i].expect)
            fail_msg("%s: %d, want %d", transition_cases[i].why, got, transition_cases[i].expect);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Failover budget                                                                             */
/* ------------------------------------------------------------------------------------------ */

/* How many failovers in a row a group's FailoverThreshold allows within a period. */
static const struct {
    unsigned threshold;
    unsigned allowed;
} threshold_cases[] = {
    {0, 0}, {1, 1}, {2, 2}, {3, 3}, {7, 7},
};

static void test_failover_threshold(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(threshold_cases); i++) {
        struct health_failovers f = {0};
        unsigned allowed = 0;

        while (allowed <= 64 &&
               health_failover_allowed(&f, "g", LIMIT(threshold_cases[i].threshold),
                                       1000 + allowed))
            allowed++;
        if (allowed != threshold_cases[i].allowed)
            fail_msg("threshold %u: %u failovers allowed, want %u",
                     threshold_cases[i].threshold, allowed, threshold_cases[i].allowed);
        assert_int_equal(health_failover_count(&f, "g"), threshold_cases[i].allowed);
    }
}

/* Two failovers per period over time; group h keeps its own count. */
static const struct {
    const char *what;
    const char *group;
    uint64_t now;
    bool allowed;
    unsigned count; /* the group's after the call */
} failover_story[] = {
    {"the first failover", "g", 1000, true, 1},
    {"the second", "g", 2000, true, 2},
    {"the third within the period: stays failed", "g", 3000, false, 2},
    {"another group has its own budget", "h", 3000, true, 1},
    {"names compare as Windows' do", "G", 4000, false, 2},
    {"still the period at its very end", "g", 1000 + PERIOD, false, 2},
    {"past it: a new period", "g", 1000 + PERIOD + 1, true, 1},
    {"the new period counts on", "g", 1000 + PERIOD + 2, true, 2},
    {"and stops again", "g", 1000 + PERIOD + 3, false, 2},
    {"h's period began later", "h", 3000 + PERIOD, true, 2},
    {"h at its limit", "h", 3000 + PERIOD, false, 2},
};

static void test_failover_story(void **state)
{
    struct health_failovers f = {0};

    (void)state;
    for (size_t i = 0; i < N_OF(failover_story); i++) {
        bool got = health_failover_allowed(&f, failover_story[i].group, LIMIT(2),
                                           failover_story[i].now);
        unsigned count = health_failover_count(&f, failover_story[i].group);

        if (got != failover_story[i].allowed || count != failover_story[i].count)
            fail_msg("step %zu, %s: allowed %d count %u", i, failover_story[i].what, got, count);
    }
}

static void test_failover_table_full(void **state)
{
    struct health_failovers f = {0};
    char name[16];

    (void)state;
    for (int i = 0; i < HEALTH_FAILOVER_GROUPS; i++) {
        snprintf(name, sizeof(name), "g%d", i);
        assert_true(health_failover_allowed(&f, name, LIMIT(1), 1000));
        assert_false(health_failover_allowed(&f, name, LIMIT(1), 1000)); /* once */
    }
    /* A 33rd group is not limited: there is nowhere to count it. */
    for (int k = 0; k < 5; k++)
        assert_true(health_failover_allowed(&f, "extra", LIMIT(1), 1000 + k));
    assert_int_equal(health_failover_count(&f, "extra"), 0);
    /* Slots are not handed to another group when their period is over... */
    assert_true(health_failover_allowed(&f, "extra", LIMIT(1), 1000 + PERIOD + 1));
    assert_true(health_failover_allowed(&f, "extra", LIMIT(1), 1000 + PERIOD + 1));
    /* ...but their own group starts a new period in them. */
    assert_true(health_failover_allowed(&f, "g7", LIMIT(1), 1000 + PERIOD + 1));
    assert_false(health_failover_allowed(&f, "g7", LIMIT(1), 1000 + PERIOD + 1));
    assert_int_equal(health_failover_count(&f, "nobody"), 0);
}

/* A leader that took over goes on from the count the cluster recorded, in its own clock. */
static void test_failover_adopt(void **state)
{
    struct health_failovers f = {0};
    const int64_t wall = 1796598027000;

    (void)state;
    /* recorded 1 failover 1000 ms ago (wall clock); this node's monotonic clock reads 50000 */
    health_failover_adopt(&f, "g", 1, wall - 1000, LIMIT(1), 50000, wall);
    assert_int_equal(health_failover_count(&f, "g"), 1);
    assert_int_equal(health_failover_since_wall(&f, "g", 50000, wall), wall - 1000);
    assert_false(health_failover_allowed(&f, "g", LIMIT(1), 50001)); /* threshold 1 reached */
    /* a record from a period that is over is ignored */
    health_failover_adopt(&f, "old", 3, wall - PERIOD - 1, LIMIT(1), 50000, wall);
    assert_int_equal(health_failover_count(&f, "old"), 0);
    /* a node that counted more itself keeps its own count */
    assert_true(health_failover_allowed(&f, "h", LIMIT(5), 50000));
    assert_true(health_failover_allowed(&f, "h", LIMIT(5), 50000));
    health_failover_adopt(&f, "h", 1, wall - 10, LIMIT(5), 50000, wall);
    assert_int_equal(health_failover_count(&f, "h"), 2);
    /* a period older than the monotonic clock starts at its zero: refused, never allowed early */
    health_failover_adopt(&f, "k", 1, wall - 60000, LIMIT(1), 1000, wall);
    assert_int_equal(health_failover_count(&f, "k"), 1);
    assert_false(health_failover_allowed(&f, "k", LIMIT(1), 1001));
    /* nothing recorded: nothing adopted */
    health_failover_adopt(&f, "z", 0, 0, LIMIT(1), 50000, wall);
    assert_int_equal(health_failover_count(&f, "z"), 0);
    assert_int_equal(health_failover_since_wall(&f, "nobody", 50000, wall), 0);
}

/* A group held failed by its limit is said once a period, not at every tick. */
static void test_failover_refusal_said_once(void **state)
{
    struct health_failovers f = {0};

    (void)state;
    assert_true(health_failover_allowed(&f, "g", LIMIT(1), 1000));
    assert_false(health_failover_allowed(&f, "g", LIMIT(1), 1001));
    assert_true(health_failover_refusal_news(&f, "g"));
    assert_false(health_failover_refusal_news(&f, "g"));
    assert_false(health_failover_allowed(&f, "g", LIMIT(1), 1002));
    assert_false(health_failover_refusal_news(&f, "g"));
    /* a new period: a new refusal is news again */
    assert_true(health_failover_allowed(&f, "g", LIMIT(1), 1000 + PERIOD + 1));
    assert_false(health_failover_allowed(&f, "g", LIMIT(1), 1000 + PERIOD + 2));
    assert_true(health_failover_refusal_news(&f, "g"));
    assert_true(health_failover_refusal_news(&f, "unknown")); /* never counted: say it */
}

/* ------------------------------------------------------------------------------------------ */
/* Takeover                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static const struct {
    int32_t state;
    bool wants;
} wants_cases[] = {
    {ClusterGroupOnline, true},  {ClusterGroupPending, true}, {ClusterGroupPartialOnline, true},
    {ClusterGroupFailed, true},  {ClusterGroupOffline, false}, {ClusterGroupStateUnknown, false},
};

static void test_group_wants_online(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(wants_cases); i++) {
        struct cdb_group g = {.id = 1, .name = "g", .state = wants_cases[i].state};

        if (health_group_wants_online(&g) != wants_cases[i].wants)
            fail_msg("group state %d: wants online should be %d", wants_cases[i].state,
                     wants_cases[i].wants);
    }
}

/*
 * Members 1, 2, 3: "a" alive (heard), "s" silent (not heard, not yet fenced), "f" fenced; the
 * database has them Up, Down, Down.
 */
struct view_fixture {
    struct cdb_node nodes[3];
    struct health_seen seen[3];
    struct health_view v;
};

static void view_init(struct view_fixture *f, const char *seen)
{
    memset(f, 0, sizeof(*f));
    for (size_t i = 0; i < 3; i++) {
        f->nodes[i].id = i + 1;
        f->nodes[i].incarnation = 10 + i;
        f->nodes[i].state = i == 0 ? ClusterNodeUp : ClusterNodeDown;
        snprintf(f->nodes[i].name, sizeof(f->nodes[i].name), "n%zu", i + 1);
        f->seen[i] = (struct health_seen){.up = seen[i] == 'a', .fenced = seen[i] == 'f'};
    }
    f->v = (struct health_view){.nodes = f->nodes, .seen = f->seen, .n_nodes = 3};
}

#define NOW (100 * 1000 * 1000ull)

/* Owner 1 alive, 2 silent, 3 fenced, 9 no member; three members, so two failovers a period. */
static const struct {
    const char *why;
    int32_t state;
    uint64_t owner;
    unsigned counted;     /* failovers of g already in this period */
    enum health_takeover expect;
    unsigned count_after;
} takeover_cases[] = {
    {"offline: not moved, even from a fenced owner", ClusterGroupOffline, 3, 0,
     HEALTH_TAKEOVER_NONE, 0},
    {"state unknown: not moved", ClusterGroupStateUnknown, 3, 0, HEALTH_TAKEOVER_NONE, 0},
    {"online on a live owner: stays", ClusterGroupOnline, 1, 0, HEALTH_TAKEOVER_OWNER_KEEPS, 0},
    {"pending on a live owner: stays", ClusterGroupPending, 1, 0, HEALTH_TAKEOVER_OWNER_KEEPS,
     0},
    {"partially online on a live owner: stays", ClusterGroupPartialOnline, 1, 2,
     HEALTH_TAKEOVER_OWNER_KEEPS, 2},
    {"a silent owner not yet fenced keeps it", ClusterGroupOnline, 2, 0,
     HEALTH_TAKEOVER_OWNER_KEEPS, 0},
    {"failed on a live owner: moved, counted", ClusterGroupFailed, 1, 0, HEALTH_TAKEOVER_FAILED,
     1},
    {"failed again: moved, counted", ClusterGroupFailed, 1, 1, HEALTH_TAKEOVER_FAILED, 2},
    {"failed past the threshold: stays failed", ClusterGroupFailed, 1, 2, HEALTH_TAKEOVER_LIMIT,
     2},
    {"failed on a silent owner: as on a live one", ClusterGroupFailed, 2, 0,
     HEALTH_TAKEOVER_FAILED, 1},
    {"online on a fenced owner: moved", ClusterGroupOnline, 3, 0, HEALTH_TAKEOVER_OWNER_LOST, 0},
    {"pending on a fenced owner: moved", ClusterGroupPending, 3, 0, HEALTH_TAKEOVER_OWNER_LOST,
     0},
    {"failed on a fenced owner: moved, not counted", ClusterGroupFailed, 3, 2,
     HEALTH_TAKEOVER_OWNER_LOST, 2},
    {"an owner no longer a member: moved", ClusterGroupOnline, 9, 0, HEALTH_TAKEOVER_OWNER_LOST,
     0},
    {"no owner at all: moved", ClusterGroupPartialOnline, 0, 0, HEALTH_TAKEOVER_OWNER_LOST, 0},
};

static void test_takeover(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(takeover_cases); i++) {
        struct view_fixture f;
        struct health_failovers budget = {0};
        struct cdb_group g = {.id = 1, .name = "g", .state = takeover_cases[i].state,
                              .owner = takeover_cases[i].owner};
        static const struct cdb_node unset = {.id = 777};
        const struct cdb_node *owner = &unset; /* must be overwritten */
        enum health_takeover got;
        uint64_t want_owner = takeover_cases[i].owner <= 3 ? takeover_cases[i].owner : 0;

        view_init(&f, "asf");
        if (takeover_cases[i].counted > 0)
            budget.groups[0] = (struct health_failover){.group = "g", .since = NOW - 1000,
                                                        .count = takeover_cases[i].counted};
        got = health_takeover_decide(&f.v, &g, &budget, LIMIT(2), NOW, &owner); /* 3 nodes */
        if (got != takeover_cases[i].expect)
            fail_msg("%s: decision %d, want %d", takeover_cases[i].why, got,
                     takeover_cases[i].expect);
        if (health_failover_count(&budget, "g") != takeover_cases[i].count_after)
            fail_msg("%s: counted %u", takeover_cases[i].why,
                     health_failover_count(&budget, "g"));
        /* the node a move expects: the owner as the database has it, or none */
        if ((owner == NULL ? 0 : owner->id) != want_owner ||
            (owner != NULL && owner->incarnation != 9 + owner->id))
            fail_msg("%s: owner node wrong", takeover_cases[i].why);
    }
}

static const struct {
    const char *why;
    uint64_t handoff;
    uint64_t expect; /* the node released for, 0 for none */
} release_cases[] = {
    {"no handoff", 0, 0},
    {"handed over by a live member: it releases itself", 1, 0},
    {"handed over by a silent member not yet fenced: wait", 2, 0},
    {"handed over by a fenced member: released for it", 3, 3},
    {"handed over by a node no longer a member: nothing to expect", 9, 0},
};

static void test_release_holder(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(release_cases); i++) {
        struct view_fixture f;
        struct cdb_resource r = {.id = 1, .name = "r", .state = ClusterResourceOnlinePending,
                                 .owner = 1, .handoff = release_cases[i].handoff};
        const struct cdb_node *holder;

        view_init(&f, "asf");
        holder = health_release_holder(&f.v, &r);
        if ((holder == NULL ? 0 : holder->id) != release_cases[i].expect)
            fail_msg("%s: released for %llu", release_cases[i].why,
                     holder == NULL ? 0ull : (unsigned long long)holder->id);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lease_check),
        cmocka_unit_test(test_lease_confirmed),
        cmocka_unit_test(test_lease_story),
        cmocka_unit_test(test_lease_may_start),
        cmocka_unit_test(test_lease_idle_since),
        cmocka_unit_test(test_node_transition),
        cmocka_unit_test(test_failover_threshold),
        cmocka_unit_test(test_failover_story),
        cmocka_unit_test(test_failover_table_full),
        cmocka_unit_test(test_failover_refusal_said_once),
        cmocka_unit_test(test_failover_adopt),
        cmocka_unit_test(test_group_wants_online),
        cmocka_unit_test(test_takeover),
        cmocka_unit_test(test_release_holder),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
