/*
 * test_consensus_link — whether the leader's messages come steadily, from samples of when raft
 * last heard its leader (consensus_link.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "daemon/consensus/consensus_link.h"

#define STALL 120
#define STEADY 240

/* Samples every 10 ms from..to, the leader heard every hb ms (0: never) since from. */
static void follow(struct consensus_link *l, uint64_t from, uint64_t to, uint64_t hb)
{
    for (uint64_t now = from; now <= to; now += 10)
        consensus_link_sample(l, now, false, hb == 0 ? 0 : now - (now - from) % hb);
}

static void test_steady_only_after_a_quiet_window(void **state)
{
    struct consensus_link l;

    (void)state;
    consensus_link_init(&l, STALL, STEADY, 1000);
    assert_false(consensus_link_steady(&l, 1000, false)); /* a start is a stall */
    assert_true(consensus_link_steady(&l, 1000, true));   /* a leader needs no link */
    follow(&l, 1000, 1230, 30);
    assert_false(consensus_link_steady(&l, 1230, false));
    follow(&l, 1240, 1300, 30);
    assert_true(consensus_link_steady(&l, 1300, false));
}

static void test_a_stall_restarts_the_window(void **state)
{
    struct consensus_link l;

    (void)state;
    consensus_link_init(&l, STALL, STEADY, 0);
    follow(&l, 0, 500, 30);
    assert_true(consensus_link_steady(&l, 500, false));
    /* heard last at 500, then 200 ms of nothing (TCP backing off over a lossy link) */
    for (uint64_t now = 510; now <= 700; now += 10)
        consensus_link_sample(&l, now, false, 500);
    assert_false(consensus_link_steady(&l, 700, false));
    follow(&l, 710, 900, 30);
    assert_false(consensus_link_steady(&l, 900, false)); /* 200 ms since the stall */
    follow(&l, 910, 1000, 30);
    assert_true(consensus_link_steady(&l, 1000, false));
    /* a silence just under the stall length is no stall */
    for (uint64_t now = 1010; now < 1000 + STALL; now += 10)
        consensus_link_sample(&l, now, false, 1000);
    assert_true(consensus_link_steady(&l, 1000 + STALL - 10, false));
}

static void test_no_leader_is_a_stall(void **state)
{
    struct consensus_link l;

    (void)state;
    consensus_link_init(&l, STALL, STEADY, 0);
    follow(&l, 0, 400, 30);
    assert_true(consensus_link_steady(&l, 400, false));
    consensus_link_sample(&l, 410, false, 0);
    assert_false(consensus_link_steady(&l, 410, false));
    /* while it leads, samples change nothing and it is steady */
    consensus_link_sample(&l, 420, true, 0);
    assert_true(consensus_link_steady(&l, 420, true));
    assert_false(consensus_link_steady(&l, 420, false));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_steady_only_after_a_quiet_window),
        cmocka_unit_test(test_a_stall_restarts_the_window),
        cmocka_unit_test(test_no_leader_is_a_stall),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
