/* Dynamic quorum's vote arithmetic: who should vote, the next change, what the votes mean. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include <clusapi.h>

#include "common/quorum_votes.h"

#define DYNAMIC ((struct quorum_settings){.dynamic = true, .leader = 1})

static struct quorum_member node(uint64_t id, bool voter)
{
    return (struct quorum_member){.id = id, .weight = 1, .state = ClusterNodeUp, .up = true,
                                  .voter = voter};
}

static struct quorum_member witness(uint64_t id, bool voter)
{
    struct quorum_member m = node(id, voter);

    m.witness = true;
    return m;
}

/* The node goes down: silent for ms. */
static void down(struct quorum_member *m, uint64_t ms)
{
    m->up = false;
    m->silent_ms = ms;
    m->state = ClusterNodeDown;
}

/* The ids quorum_target wants, as a bit set (bit id). */
static unsigned wanted(const struct quorum_member *m, size_t n, struct quorum_settings s)
{
    bool want[16];
    unsigned bits = 0;
    size_t count = quorum_target(m, n, &s, want);

    for (size_t i = 0; i < n; i++)
        bits |= want[i] ? 1u << m[i].id : 0;
    assert_int_equal(__builtin_popcount(bits), count);
    return bits;
}

#define IDS1(a) (1u << (a))
#define IDS2(a, b) (IDS1(a) | IDS1(b))
#define IDS3(a, b, c) (IDS2(a, b) | IDS1(c))

/* Applies quorum_next_step until none is left, checking that a majority of the voters is up
 * after every step; returns the voters at the end. */
static unsigned settle(struct quorum_member *m, size_t n, struct quorum_settings s)
{
    bool want[16];
    struct quorum_view v;
    unsigned voters = 0;

    for (int steps = 0; steps < 20; steps++) {
        struct quorum_step st;

        quorum_target(m, n, &s, want);
        st = quorum_next_step(m, n, want);
        if (st.kind == QUORUM_STEP_NONE)
            break;
        for (size_t i = 0; i < n; i++)
            if (m[i].id == st.id) {
                m[i].voter = st.kind == QUORUM_STEP_GIVE;
                m[i].spare = st.kind == QUORUM_STEP_PARK;
            }
        quorum_view(m, n, &v);
        assert_true(v.has_quorum);
    }
    for (size_t i = 0; i < n; i++)
        voters |= m[i].voter ? 1u << m[i].id : 0;
    return voters;
}

/* Two nodes and no witness: exactly one votes, so the other's crash costs nothing. */
static void test_two_nodes_one_vote(void **state)
{
    struct quorum_member m[2] = {node(1, true), node(2, true)};
    struct quorum_settings s = DYNAMIC;

    (void)state;
    assert_int_equal(wanted(m, 2, s), IDS1(1)); /* the leader keeps its vote */
    s.leader = 2;
    assert_int_equal(wanted(m, 2, s), IDS1(2));
    s.lower_priority = 2; /* LowerQuorumPriorityNodeID decides */
    assert_int_equal(wanted(m, 2, s), IDS1(1));
    m[1].voter = false; /* one without a vote now keeps going without */
    s = DYNAMIC;
    s.leader = 2;
    assert_int_equal(wanted(m, 2, s), IDS1(1));
}

/* Two nodes and a witness: three votes; a node Down past the grace loses its vote, and with the
 * odd count left the witness loses its own; a node back gets both back. */
static void test_two_nodes_and_a_witness(void **state)
{
    struct quorum_member m[3] = {node(1, true), node(2, true), witness(3, true)};

    (void)state;
    assert_int_equal(wanted(m, 3, DYNAMIC), IDS3(1, 2, 3));
    down(&m[1], QUORUM_DOWN_GRACE_MS - 1);
    assert_int_equal(wanted(m, 3, DYNAMIC), IDS3(1, 2, 3));
    down(&m[1], QUORUM_DOWN_GRACE_MS);
    assert_int_equal(wanted(m, 3, DYNAMIC), IDS1(1));
    assert_int_equal(settle(m, 3, DYNAMIC), IDS1(1));
    m[1] = node(2, false);
    assert_int_equal(settle(m, 3, DYNAMIC), IDS3(1, 2, 3));
}

/* The witness keeps its vote while it is Down (so that it, or a node coming back, restores
 * quorum), as long as the node votes are even. */
static void test_witness_down_keeps_its_vote(void **state)
{
    struct quorum_member m[3] = {node(1, true), node(2, true), witness(3, true)};

    (void)state;
    down(&m[2], 60000);
    assert_int_equal(wanted(m, 3, DYNAMIC), IDS3(1, 2, 3));
}

/* A graceful stop, a pause or a NodeWeight of 0 takes the vote at once. */
static void test_leaving_pausing_and_weight(void **state)
{
    struct quorum_member m[3] = {node(1, true), node(2, true), node(3, true)};

    (void)state;
    assert_int_equal(wanted(m, 3, DYNAMIC), IDS3(1, 2, 3));
    m[2].left = true; /* {1, 2}: even, no witness: one goes */
    assert_int_equal(wanted(m, 3, DYNAMIC), IDS1(1));
    m[2].left = false;
    m[2].state = ClusterNodePaused;
    assert_int_equal(wanted(m, 3, DYNAMIC), IDS1(1));
    m[2].state = ClusterNodeUp;
    m[1].weight = 0;
    assert_int_equal(wanted(m, 3, DYNAMIC), IDS1(1));
}

/* DynamicQuorum 0: every node with a NodeWeight votes, Down or not; the witness makes it odd. */
static void test_static_quorum(void **state)
{
    struct quorum_member m[4] = {node(1, true), node(2, true), node(3, false), witness(4, false)};
    struct quorum_settings s = {.dynamic = false, .leader = 1};

    (void)state;
    assert_int_equal(wanted(m, 3, s), IDS3(1, 2, 3));
    down(&m[2], 600000);
    m[1].left = true;
    assert_int_equal(wanted(m, 3, s), IDS3(1, 2, 3));
    m[2].weight = 0;
    assert_int_equal(wanted(m, 4, s), IDS3(1, 2, 4));
    assert_int_equal(wanted(m, 3, s), IDS2(1, 2)); /* two nodes, no witness: both vote */
}

/* At most five vote: those that vote now stay, the rest by id. */
static void test_at_most_five(void **state)
{
    struct quorum_member m[7];

    (void)state;
    for (int i = 0; i < 7; i++)
        m[i] = node((uint64_t)i + 1, i >= 2);
    assert_int_equal(wanted(m, 7, DYNAMIC), IDS3(3, 4, 5) | IDS2(6, 7));
    m[6].left = true;
    assert_int_equal(wanted(m, 7, DYNAMIC), IDS3(3, 4, 5) | IDS2(6, 1));
}

/* Five nodes stopped one after the other down to one ("last man standing"): every step keeps a
 * majority up, and the last node votes alone. */
static void test_last_man_standing(void **state)
{
    struct quorum_member m[5];

    (void)state;
    for (int i = 0; i < 5; i++)
        m[i] = node((uint64_t)i + 1, true);
    for (int gone = 4; gone >= 1; gone--) {
        unsigned voters;

        m[gone].left = true; /* the node's service stops once its vote is taken */
        voters = settle(m, 5, DYNAMIC);
        assert_false(voters & IDS1(gone + 1));
        down(&m[gone], 100000);
        m[gone].left = true;
    }
    assert_int_equal(settle(m, 5, DYNAMIC), IDS1(1));
}

/* Votes are given before any is taken, only to members that are up, and a Down voter's vote is
 * taken only while the rest keep a majority. */
static void test_step_order(void **state)
{
    struct quorum_member m[3] = {node(1, true), node(2, false), node(3, false)};
    bool want[3] = {false, true, true};
    struct quorum_step st;

    (void)state;
    st = quorum_next_step(m, 3, want);
    assert_int_equal(st.kind, QUORUM_STEP_GIVE);
    assert_int_equal(st.id, 2);
    m[1].up = m[2].up = false;
    st = quorum_next_step(m, 3, want);
    assert_int_equal(st.kind, QUORUM_STEP_NONE); /* nobody to give it to, and 1 must stay */

    m[0] = node(1, true), m[1] = node(2, true), m[2] = node(3, true);
    down(&m[1], 100000);
    down(&m[2], 100000);
    want[0] = true, want[1] = want[2] = false;
    st = quorum_next_step(m, 3, want); /* 1 of 3 up: taking one would leave 1 of 2 */
    assert_int_equal(st.kind, QUORUM_STEP_NONE);
}

/* A node in a storage fault loses its vote even with DynamicQuorum 0, counts as down for the
 * majority the steps keep, leaves the log only once it is a standby, and comes back to it, and
 * then to its vote, when the fault ends. */
static void test_storage_fault(void **state)
{
    struct quorum_member m[4] = {node(1, true), node(2, true), node(3, true), node(4, false)};
    struct quorum_settings fixed = {.dynamic = false, .leader = 1};
    bool want[4] = {true, true, true, false};
    struct quorum_step st;

    (void)state;
    for (int i = 0; i < 4; i++)
        m[i].joined = true;
    m[1].storage_fault = true;
    assert_int_equal(wanted(m, 4, fixed), IDS3(1, 3, 4));
    st = quorum_next_step(m, 4, (bool[]){true, false, true, true});
    assert_int_equal(st.kind, QUORUM_STEP_GIVE); /* 4 first: 1, 3, 4 up of four voters */
    assert_int_equal(st.id, 4);
    /* 2 voting, not storing, and 3 down: taking 2 keeps 1 of 2 up; giving to nobody */
    down(&m[2], 100000);
    st = quorum_next_step(m, 4, want);
    assert_int_equal(st.kind, QUORUM_STEP_NONE);
    m[2] = node(3, true), m[2].joined = true;
    assert_int_equal(settle(m, 4, DYNAMIC), IDS3(1, 3, 4));
    assert_true(m[1].spare);
    assert_false(m[1].voter);
    /* a voter is never parked straight away */
    m[1] = node(2, true), m[1].joined = true, m[1].storage_fault = true;
    st = quorum_next_step(m, 4, (bool[]){true, false, true, true});
    assert_int_equal(st.kind, QUORUM_STEP_TAKE);
    m[1].voter = false;
    st = quorum_next_step(m, 4, (bool[]){true, false, true, true});
    assert_int_equal(st.kind, QUORUM_STEP_PARK);
    assert_int_equal(st.id, 2);
    /* the fault ends: back to the log; a spare still being added is left alone */
    m[1].spare = true, m[1].storage_fault = false;
    st = quorum_next_step(m, 4, (bool[]){true, false, true, true});
    assert_int_equal(st.kind, QUORUM_STEP_UNPARK);
    m[1].joined = false;
    st = quorum_next_step(m, 4, (bool[]){true, false, true, true});
    assert_int_equal(st.kind, QUORUM_STEP_NONE);
}

/* A witness in a storage fault does not vote either: two nodes are then even, and one of them
 * loses its vote as if there were no witness. */
static void test_witness_storage_fault(void **state)
{
    struct quorum_member m[3] = {node(1, true), node(2, true), witness(3, true)};

    (void)state;
    assert_int_equal(wanted(m, 3, DYNAMIC), IDS3(1, 2, 3));
    m[2].storage_fault = true;
    assert_int_equal(wanted(m, 3, DYNAMIC), IDS1(1));
}

static void test_view(void **state)
{
    struct quorum_member m[3] = {node(1, true), node(2, true), witness(3, true)};
    struct quorum_view v;

    (void)state;
    quorum_view(m, 3, &v);
    assert_int_equal(v.voters, 3);
    assert_int_equal(v.majority, 2);
    assert_true(v.has_quorum);
    assert_int_equal(v.survives, 1);
    down(&m[2], 10);
    quorum_view(m, 3, &v);
    assert_int_equal(v.survives, 0);
    down(&m[1], 10);
    quorum_view(m, 3, &v);
    assert_false(v.has_quorum);
    assert_int_equal(v.voters_up, 1);
}

/* Nobody present at all: the voters stay as they are rather than none. */
static void test_never_empty(void **state)
{
    struct quorum_member m[2] = {node(1, true), node(2, false)};

    (void)state;
    m[0].left = m[1].left = true;
    assert_int_equal(wanted(m, 2, DYNAMIC), IDS1(1));
}

static void test_fragile(void **state)
{
    (void)state;
    assert_true(quorum_fragile(2, false));
    assert_false(quorum_fragile(2, true));
    assert_false(quorum_fragile(3, false));
    assert_false(quorum_fragile(1, false));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_nodes_one_vote),
        cmocka_unit_test(test_two_nodes_and_a_witness),
        cmocka_unit_test(test_witness_down_keeps_its_vote),
        cmocka_unit_test(test_leaving_pausing_and_weight),
        cmocka_unit_test(test_static_quorum),
        cmocka_unit_test(test_at_most_five),
        cmocka_unit_test(test_last_man_standing),
        cmocka_unit_test(test_step_order),
        cmocka_unit_test(test_storage_fault),
        cmocka_unit_test(test_witness_storage_fault),
        cmocka_unit_test(test_view),
        cmocka_unit_test(test_never_empty),
        cmocka_unit_test(test_fragile),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
