/*
 * How a node answers reads (common/read_gate.h): current once caught up with a leader; asked
 * again while it catches up or an election may still give it a leader; after
 * NO_QUORUM_AFTER_MS without one, stale to a caller that accepts it when its database holds its
 * cluster, ERROR_CLUSTER_NO_QUORUM to everyone else; and the node states a stale answer shows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <clusapi.h>

#include "common/read_gate.h"

/* A node that has had no leader for ms, with a database that lists it, asked by a caller that
 * accepts a stale answer. */
static struct read_facts leaderless(uint64_t ms)
{
    return (struct read_facts){.leaderless_ms = ms, .knows_itself = true, .stale_ok = true};
}

static void test_caught_up_answers_current(void **state)
{
    struct read_facts f = {.synced = true, .leader_known = true};

    (void)state;
    assert_int_equal(read_gate(&f), READ_CURRENT);
    f.stale_ok = true; /* accepting a stale answer changes nothing for a current one */
    assert_int_equal(read_gate(&f), READ_CURRENT);
}

/* A node in a storage fault has left raft's log: however sure of its leader, it answers stale,
 * and a caller that wants a current answer is told of the fault. */
static void test_storage_fault_answers_stale(void **state)
{
    struct read_facts f = {.synced = true, .leader_known = true, .knows_itself = true,
                           .stale_ok = true, .storage_fault = true};

    (void)state;
    assert_int_equal(read_gate(&f), READ_STALE);
    f.stale_ok = false;
    assert_int_equal(read_gate(&f), READ_STORAGE_FAULT);
    f.stale_ok = true, f.knows_itself = false;
    assert_int_equal(read_gate(&f), READ_STORAGE_FAULT);
}

static void test_catching_up_with_a_leader_is_not_ready(void **state)
{
    struct read_facts f = {.leader_known = true, .knows_itself = true, .stale_ok = true};

    (void)state;
    /* however long: a leader is there, the SYNC will prove the node current */
    assert_int_equal(read_gate(&f), READ_NOT_READY);
    f.knows_itself = false;
    assert_int_equal(read_gate(&f), READ_NOT_READY);
}

/* A flag left over from the last leader is no proof without one. */
static void test_synced_without_a_leader_is_not_current(void **state)
{
    struct read_facts f = leaderless(0);

    (void)state;
    f.synced = true;
    assert_int_equal(read_gate(&f), READ_NOT_READY);
    f.leaderless_ms = NO_QUORUM_AFTER_MS;
    assert_int_equal(read_gate(&f), READ_STALE);
}

static void test_an_election_is_waited_out(void **state)
{
    struct read_facts f = leaderless(0);

    (void)state;
    assert_int_equal(read_gate(&f), READ_NOT_READY);
    f.leaderless_ms = NO_QUORUM_AFTER_MS - 1;
    assert_int_equal(read_gate(&f), READ_NOT_READY);
    f.leaderless_ms = NO_QUORUM_AFTER_MS;
    assert_int_equal(read_gate(&f), READ_STALE);
    f.leaderless_ms = 3600 * 1000;
    assert_int_equal(read_gate(&f), READ_STALE);
}

static void test_only_a_caller_that_accepts_it_gets_a_stale_answer(void **state)
{
    struct read_facts f = leaderless(NO_QUORUM_AFTER_MS);

    (void)state;
    f.stale_ok = false;
    assert_int_equal(read_gate(&f), READ_NO_QUORUM);
}

/* A node that never received its cluster's state would answer "no such group" for all. */
static void test_an_empty_database_never_answers(void **state)
{
    struct read_facts f = leaderless(NO_QUORUM_AFTER_MS);

    (void)state;
    f.knows_itself = false;
    assert_int_equal(read_gate(&f), READ_NO_QUORUM);
}

static void test_no_quorum_after_the_grace_only(void **state)
{
    (void)state;
    assert_false(read_gate_no_quorum(true, 0));
    assert_false(read_gate_no_quorum(true, 10 * NO_QUORUM_AFTER_MS)); /* a leader: quorum */
    assert_false(read_gate_no_quorum(false, 0));
    assert_false(read_gate_no_quorum(false, NO_QUORUM_AFTER_MS - 1));
    assert_true(read_gate_no_quorum(false, NO_QUORUM_AFTER_MS));
}

static void test_node_states_in_a_stale_answer(void **state)
{
    static const int32_t states[] = {ClusterNodeStateUnknown, ClusterNodeUp, ClusterNodeDown,
                                     ClusterNodePaused, ClusterNodeJoining};

    (void)state;
    /* others: as last applied, Down or Up alike (this node cannot tell) */
    for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
        assert_int_equal(read_gate_node_state(states[i], false), states[i]);
    /* itself: it runs, so never Down */
    assert_int_equal(read_gate_node_state(ClusterNodeDown, true), ClusterNodeJoining);
    assert_int_equal(read_gate_node_state(ClusterNodeUp, true), ClusterNodeUp);
    assert_int_equal(read_gate_node_state(ClusterNodePaused, true), ClusterNodePaused);
    assert_int_equal(read_gate_node_state(ClusterNodeJoining, true), ClusterNodeJoining);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_caught_up_answers_current),
        cmocka_unit_test(test_storage_fault_answers_stale),
        cmocka_unit_test(test_catching_up_with_a_leader_is_not_ready),
        cmocka_unit_test(test_synced_without_a_leader_is_not_current),
        cmocka_unit_test(test_an_election_is_waited_out),
        cmocka_unit_test(test_only_a_caller_that_accepts_it_gets_a_stale_answer),
        cmocka_unit_test(test_an_empty_database_never_answers),
        cmocka_unit_test(test_no_quorum_after_the_grace_only),
        cmocka_unit_test(test_node_states_in_a_stale_answer),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
