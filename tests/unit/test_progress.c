#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "common/progress.h"

static struct create_plan plan(size_t nodes, size_t ips, bool empty, CLUSTER_MGMT_POINT_TYPE t)
{
    struct create_plan p = {0};

    p.n_nodes = nodes;
    p.n_ips = ips;
    p.empty = empty;
    p.mgmt_type = t;
    return p;
}

/* REFERENCE §2.2: 3·cNodes + 4, plus a + b + (IPs ? 1 : 0) + 4 when not empty. */
static void test_total_formula(void **state)
{
    struct create_plan p;

    p = plan(3, 0, true, CLUSTER_MGMT_POINT_TYPE_NONE);
    assert_int_equal(progress_total_create(&p), 13);
    p = plan(3, 1, false, CLUSTER_MGMT_POINT_TYPE_DNS_ONLY);
    assert_int_equal(progress_total_create(&p), 13 + 0 + 1 + 1 + 4);
    p = plan(1, 2, false, CLUSTER_MGMT_POINT_TYPE_CNO);
    assert_int_equal(progress_total_create(&p), 7 + 2 + 2 + 1 + 4);
    p = plan(5, 0, false, CLUSTER_MGMT_POINT_TYPE_NONE);
    assert_int_equal(progress_total_create(&p), 19 + 0 + 0 + 0 + 4);
    p = plan(2, 1, false, CLUSTER_MGMT_POINT_TYPE_CNO_ONLY);
    assert_int_equal(progress_total_create(&p), 10 + 2 + 2 + 1 + 4);
}

static void test_percent_never_falls_and_stays_below_100(void **state)
{
    struct progress p;
    uint32_t last = 0;

    progress_init(&p, 7);
    assert_int_equal(progress_percent(&p), 0);
    for (int i = 0; i < 20; i++) { /* more steps than declared */
        uint32_t pct;

        progress_step(&p);
        pct = progress_percent(&p);
        assert_true(pct >= last);
        assert_true(pct <= 99);
        last = pct;
    }
    assert_int_equal(last, 99);
    assert_int_equal(progress_finish(&p), 100);
}

static void test_percent_is_steps_over_total(void **state)
{
    struct progress p;

    progress_init(&p, 4);
    progress_step(&p);
    assert_int_equal(progress_percent(&p), 25);
    progress_step(&p);
    assert_int_equal(progress_percent(&p), 50);
}

static void test_zero_total_is_safe(void **state)
{
    struct progress p;

    progress_init(&p, 0);
    progress_step(&p);
    assert_int_equal(progress_percent(&p), 99);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_total_formula),
        cmocka_unit_test(test_percent_never_falls_and_stays_below_100),
        cmocka_unit_test(test_percent_is_steps_over_total),
        cmocka_unit_test(test_zero_total_is_safe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
