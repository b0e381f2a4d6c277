/*
 * The group manager never places a group on a witness: rgm_placement_read bars every witness
 * member, so no decision built on what it read (online, move, failover, drain, failback)
 * chooses one, not even when it is preferred or the only node that is Up. Runs on a real
 * cluster database; no loop, no consensus.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <clusapi.h>

#include "cdb_fixture.h"
#include "daemon/base/host.h"
#include "daemon/rgm/rgm_internal.h"
#include "daemon/rgm/rgm_policy.h"

#define WITNESS 4

/* populate()'s cluster (nodes 1..3, the core group preferring 2 then 1) with a witness, node 4,
 * that the core group prefers first, and every node in state. */
static void add_witness(struct cdb *db, int32_t state)
{
    static const uint64_t pref[] = {WITNESS, 2, 1};

    OK(db, (cdb_cmd_add_node(W, WITNESS, "w", "10.0.0.4", 3343, 3344, 1),
            cdb_cmd_add_node_witness(W)));
    OK(db, cdb_cmd_set_preferred(W, "Cluster Group", pref, 3));
    for (uint64_t id = 1; id <= WITNESS; id++)
        OK(db, cdb_cmd_set_node_state(W, id, state));
}

/* The owner the leader (node 1) would choose for the core group. */
static uint64_t choose(struct cdb *db, struct rgm_placement *p)
{
    struct host h = {.node_id = 1, .db = db};
    struct rgm m = {.host = &h};
    char errmsg[128];

    assert_int_equal(rgm_placement_read(&m, "Cluster Group", p, errmsg, sizeof(errmsg)), 0);
    return rgm_choose_owner(&p->members, p->pref, p->n_pref, 0);
}

static void test_witness_is_barred(void **state)
{
    struct cdb *db = *state;
    struct rgm_placement p;

    add_witness(db, ClusterNodeUp);
    assert_int_equal(choose(db, &p), 2); /* the first preferred node that may host it */
    assert_int_equal(p.members.n_barred, 1);
    assert_int_equal(p.members.barred[0], WITNESS);
    assert_false(rgm_node_may_host(&p.members, WITNESS));
    assert_true(rgm_node_may_host(&p.members, 1));
    assert_int_equal(rgm_plan_move(&p.members, &p.group, p.pref, p.n_pref, WITNESS).status,
                     ERROR_HOST_NODE_NOT_AVAILABLE);
    rgm_placement_done(&p);
}

static void test_witness_alone_hosts_nothing(void **state)
{
    struct cdb *db = *state;
    struct rgm_placement p;

    add_witness(db, ClusterNodeDown);
    OK(db, cdb_cmd_set_node_state(W, WITNESS, ClusterNodeUp));
    assert_int_equal(choose(db, &p), 0);
    assert_int_equal(rgm_plan_fail_over(&p.members, 2, p.pref, p.n_pref).action,
                     RGM_PLAN_REFUSE);
    rgm_placement_done(&p);
}

static void test_without_witness_nothing_is_barred(void **state)
{
    struct cdb *db = *state;
    struct rgm_placement p;

    for (uint64_t id = 1; id <= 3; id++)
        OK(db, cdb_cmd_set_node_state(W, id, ClusterNodeUp));
    assert_int_equal(choose(db, &p), 2);
    assert_int_equal(p.members.n_barred, 0);
    assert_null(p.members.barred);
    rgm_placement_done(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_witness_is_barred, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_witness_alone_hosts_nothing, setup_populated,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_without_witness_nothing_is_barred, setup_populated,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
