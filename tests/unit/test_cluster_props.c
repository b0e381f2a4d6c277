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
    assert_int_equal(check("dynamicquorum", "0", &c), 0);
    assert_string_equal(c, "DynamicQuorum");
    assert_int_equal(check("DynamicQuorum", "1", &c), 0);
    /* any case: quorum_votes.h spells it ...NodeID, Windows ...NodeId */
    assert_int_equal(check("LowerQuorumPriorityNodeID", "2", &c), 0);
    assert_string_equal(c, "LowerQuorumPriorityNodeId");
    assert_int_equal(check("LowerQuorumPriorityNodeId", "0", &c), 0); /* none */
    assert_int_equal(check("LowerQuorumPriorityNodeId", "4294967295", &c), 0);
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
        {"DynamicQuorum", "2"},       {"DynamicQuorum", "yes"},    {"DynamicQuorum", "01"},
        {"DynamicQuorum", "-1"},      {"DynamicQuorum", ""},
        {"LowerQuorumPriorityNodeId", "4294967296"}, {"LowerQuorumPriorityNodeId", "n2"},
        {"LowerQuorumPriorityNodeId", "-1"},
        {"WitnessDynamicWeight", "1"}, /* read-only */
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
    assert_int_equal(cluster_props_n_settable, 7);
    for (size_t i = 0; i < cluster_props_n_settable; i++) {
        /* each is settable: 250 suits the delay, 100 the threshold, 1 DynamicQuorum */
        assert_true(check(cluster_props_settable[i], "250", &c) == 0 ||
                    check(cluster_props_settable[i], "100", &c) == 0 ||
                    check(cluster_props_settable[i], "1", &c) == 0);
        assert_string_equal(c, cluster_props_settable[i]);
    }
}

/* The refusals say what would have been right. */
static void test_reasons(void **state)
{
    char why[256] = "";
    const char *c;

    (void)state;
    assert_int_equal(cluster_prop_check("WitnessDynamicWeight", "0", &c, why, sizeof(why)), 87);
    assert_string_equal(why, "WitnessDynamicWeight is read-only: the cluster computes it");
    assert_int_equal(cluster_prop_check("DynamicQuorum", "2", &c, why, sizeof(why)), 87);
    assert_string_equal(why, "DynamicQuorum must be a whole number from 0 to 1, not '2'");
    assert_int_equal(cluster_prop_check("Nope", "2", &c, why, sizeof(why)), 87);
    assert_non_null(strstr(why, "'Nope' is not a cluster property that can be set ("));
    assert_non_null(strstr(why, "DynamicQuorum, LowerQuorumPriorityNodeId, QuarantineThreshold, "
                                "QuarantineDuration)"));
    /* a short buffer is cut, never overrun */
    char tiny[24];
    assert_int_equal(cluster_prop_check("Nope", "2", &c, tiny, sizeof(tiny)), 87);
    assert_int_equal(strlen(tiny), sizeof(tiny) - 1);
}

/* What the cluster shows and acts on while a property was never set. */
static void test_defaults(void **state)
{
    (void)state;
    assert_string_equal(cluster_prop_default("DynamicQuorum"), "1");
    assert_string_equal(cluster_prop_default("lowerquorumprioritynodeid"), "0");
    assert_null(cluster_prop_default("SameSubnetDelay")); /* setup commits it */
    assert_null(cluster_prop_default("WitnessDynamicWeight"));
    assert_null(cluster_prop_default("Nope"));
    assert_int_equal(cluster_prop_u32("DynamicQuorum", NULL), 1);
    assert_int_equal(cluster_prop_u32("DynamicQuorum", "0"), 0);
    assert_int_equal(cluster_prop_u32("DynamicQuorum", "7"), 1); /* out of bounds: the default */
    assert_int_equal(cluster_prop_u32("LowerQuorumPriorityNodeId", NULL), 0);
    assert_int_equal(cluster_prop_u32("LowerQuorumPriorityNodeId", "3"), 3);
    assert_int_equal(cluster_prop_u32("SameSubnetDelay", "1000"), 1000);
    assert_int_equal(cluster_prop_u32("SameSubnetDelay", NULL), 0);
    assert_int_equal(cluster_prop_u32("Nope", "5"), 0);
    assert_true(cluster_prop_names_node("LowerQuorumPriorityNodeId"));
    assert_false(cluster_prop_names_node("DynamicQuorum"));
    assert_false(cluster_prop_names_node("Nope"));
    /* every default is a value the property accepts */
    for (size_t i = 0; i < cluster_props_n_settable; i++) {
        const char *def = cluster_prop_default(cluster_props_settable[i]), *c;

        if (def != NULL)
            assert_int_equal(check(cluster_props_settable[i], def, &c), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_within_bounds),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_settable_list),
        cmocka_unit_test(test_reasons),
        cmocka_unit_test(test_defaults),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
