/* Which cluster properties a client may set, and to what. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "common/cluster_props.h"

static uint32_t check(const char *name, const char *value, const char **canonical)
{
    char why[160] = "";
    uint32_t status = cluster_prop_check(name, value, canonical, why, sizeof(why));

    if (status != 0)
        assert_true(why[0] != '\0'); /* a refusal always says why */
    return status;
}

static void test_within_bounds(void **state)
{
    const char *c = NULL;

    (void)state;
    assert_int_equal(check("SameSubnetDelay", "250", &c), 0);
    assert_string_equal(c, "SameSubnetDelay");
    assert_int_equal(check("samesubnetdelay", "2000", &c), 0); /* any case; Windows' spelling */
    assert_string_equal(c, "SameSubnetDelay");
    assert_int_equal(check("SAMESUBNETTHRESHOLD", "3", &c), 0);
    assert_string_equal(c, "SameSubnetThreshold");
    assert_int_equal(check("SameSubnetThreshold", "120", &c), 0);
    assert_int_equal(check("quorumlease", "150", &c), 0);
    assert_string_equal(c, "QuorumLease");
    assert_int_equal(check("QuorumLease", "4000", &c), 0);
    assert_int_equal(check("QuorumLease", "0", &c), 0); /* back to twice SameSubnetDelay */
}

static void test_refused(void **state)
{
    static const char *const bad[][2] = {
        {"SameSubnetDelay", "249"},   {"SameSubnetDelay", "2001"}, {"SameSubnetDelay", ""},
        {"SameSubnetDelay", "0250"},  {"SameSubnetDelay", "+250"}, {"SameSubnetDelay", "250ms"},
        {"SameSubnetDelay", "-1"},    {"SameSubnetDelay", "99999999999999999999"},
        {"SameSubnetThreshold", "2"}, {"SameSubnetThreshold", "121"},
        {"SameSubnetDelay", "0"},     {"SameSubnetThreshold", "0"},
        {"QuorumLease", "149"},       {"QuorumLease", "4001"},     {"QuorumLease", "00"},
        {"ClusterName", "x"},         {"CrossSubnetDelay", "1000"}, {"", "1"},
    };
    const char *c = "untouched";

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(check(bad[i][0], bad[i][1], &c), 87);
    assert_string_equal(c, "untouched");
}

static void test_settable_list(void **state)
{
    const char *c;

    (void)state;
    assert_int_equal(cluster_props_n_settable, 3);
    for (size_t i = 0; i < cluster_props_n_settable; i++) {
        /* each is settable: 250 suits the delay, 100 the threshold */
        assert_true(check(cluster_props_settable[i], "250", &c) == 0 ||
                    check(cluster_props_settable[i], "100", &c) == 0);
        assert_string_equal(c, cluster_props_settable[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_within_bounds),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_settable_list),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
