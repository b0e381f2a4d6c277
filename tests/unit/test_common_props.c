/*
 * Common properties: Windows' names, defaults and bounds, and what cprop_check refuses; a
 * node's (NodeWeight settable 0..1, the rest read-only) and cprop_check_all over a request.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <clusapi.h>

#include "common/common_props.h"

static uint32_t check(enum cprop_object o, const char *name, uint32_t syntax, const char *v)
{
    char why[160] = "";
    uint32_t st = cprop_check(o, name, syntax, v, NULL, why, sizeof(why));

    if (st != 0)
        assert_true(why[0] != '\0');
    return st;
}

static void test_defaults(void **state)
{
    (void)state;
    assert_int_equal(cprop_dword(CPROP_RESOURCE, "RestartAction", NULL),
                     CPROP_RESTART_ACTION_DEFAULT);
    assert_int_equal(cprop_dword(CPROP_RESOURCE, "restartthreshold", NULL),
                     CPROP_RESTART_THRESHOLD_DEFAULT);
    assert_int_equal(cprop_dword(CPROP_RESOURCE, "RestartPeriod", NULL),
                     CPROP_RESTART_PERIOD_DEFAULT);
    assert_int_equal(cprop_dword(CPROP_RESOURCE, "RestartDelay", NULL),
                     CPROP_RESTART_DELAY_DEFAULT);
    assert_int_equal(cprop_dword(CPROP_RESOURCE, "RetryPeriodOnFailure", NULL), 0x36EE80u);
    assert_int_equal(CPROP_RETRY_PERIOD_DEFAULT, 0x36EE80u);
    assert_int_equal(cprop_dword(CPROP_RESOURCE, "PendingTimeout", NULL),
                     CPROP_PENDING_TIMEOUT_DEFAULT);
    assert_int_equal(cprop_dword(CPROP_RESOURCE, "LooksAlivePollInterval", NULL),
                     CPROP_POLL_USE_TYPE);
    assert_int_equal(cprop_dword(CPROP_RESOURCE, "IsAlivePollInterval", NULL),
                     CPROP_POLL_USE_TYPE);
    assert_int_equal(cprop_dword(CPROP_RESTYPE, "LooksAlivePollInterval", NULL),
                     CPROP_LOOKS_ALIVE_DEFAULT);
    assert_int_equal(cprop_dword(CPROP_RESTYPE, "IsAlivePollInterval", NULL),
                     CPROP_IS_ALIVE_DEFAULT);
    assert_int_equal(cprop_dword(CPROP_GROUP, "FailoverThreshold", NULL),
                     CPROP_FAILOVER_THRESHOLD_DEFAULT);
    assert_int_equal(cprop_dword(CPROP_GROUP, "FailoverPeriod", NULL),
                     CPROP_FAILOVER_PERIOD_DEFAULT);
    assert_int_equal(cprop_dword(CPROP_GROUP, "AutoFailbackType", NULL), 0); /* Prevent */
    assert_int_equal(cprop_dword(CPROP_GROUP, "FailbackWindowStart", NULL),
                     CPROP_FAILBACK_WINDOW_NONE);
    assert_int_equal(cprop_dword(CPROP_GROUP, "Priority", NULL), CPROP_PRIORITY_DEFAULT);
    /* a stored value wins; garbage falls back to the default */
    assert_int_equal(cprop_dword(CPROP_RESOURCE, "RestartAction", "0"), 0);
    assert_int_equal(cprop_dword(CPROP_RESOURCE, "RestartAction", "x"), 2);
    assert_int_equal(cprop_dword(CPROP_RESOURCE, "NoSuch", NULL), 0);
}

static void test_tables(void **state)
{
    static const enum cprop_object kinds[] = {CPROP_RESOURCE, CPROP_GROUP, CPROP_RESTYPE,
                                              CPROP_NODE};

    (void)state;
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        size_t n;
        const struct cprop *t = cprop_table(kinds[k], &n);

        assert_true(n > 0);
        for (size_t i = 0; i < n; i++) {
            assert_ptr_equal(cprop_find(kinds[k], t[i].name), &t[i]);
            /* every default is a value of its own syntax, and a settable one passes */
            assert_true(cprop_value_valid(t[i].syntax, t[i].def));
            if (!t[i].read_only)
                assert_int_equal(check(kinds[k], t[i].name, t[i].syntax, t[i].def), 0);
            else
                assert_int_equal(check(kinds[k], t[i].name, t[i].syntax, t[i].def),
                                 ERROR_INVALID_PARAMETER);
        }
    }
    assert_non_null(cprop_find(CPROP_RESOURCE, "name"));
    assert_true(cprop_find(CPROP_RESOURCE, "Name")->read_only);
    assert_true(cprop_find(CPROP_RESOURCE, "Type")->read_only);
    assert_null(cprop_find(CPROP_GROUP, "RestartAction"));
}

static void test_bounds(void **state)
{
    (void)state;
    assert_int_equal(check(CPROP_RESOURCE, "RestartAction", PROP_SYNTAX_DWORD, "0"), 0);
    assert_int_equal(check(CPROP_RESOURCE, "RestartAction", PROP_SYNTAX_DWORD, "2"), 0);
    assert_int_equal(check(CPROP_RESOURCE, "RestartAction", PROP_SYNTAX_DWORD, "3"),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(check(CPROP_RESOURCE, "LooksAlivePollInterval", PROP_SYNTAX_DWORD, "9"),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(check(CPROP_RESOURCE, "LooksAlivePollInterval", PROP_SYNTAX_DWORD, "10"),
                     0);
    assert_int_equal(check(CPROP_RESTYPE, "IsAlivePollInterval", PROP_SYNTAX_DWORD, "0"),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(check(CPROP_GROUP, "FailoverPeriod", PROP_SYNTAX_DWORD, "1193"), 0);
    assert_int_equal(check(CPROP_GROUP, "FailoverPeriod", PROP_SYNTAX_DWORD, "1194"),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(check(CPROP_GROUP, "FailbackWindowStart", PROP_SYNTAX_DWORD, "23"), 0);
    assert_int_equal(check(CPROP_GROUP, "FailbackWindowStart", PROP_SYNTAX_DWORD, "24"),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(check(CPROP_GROUP, "FailbackWindowEnd", PROP_SYNTAX_DWORD, "4294967295"),
                     0);
    assert_int_equal(check(CPROP_GROUP, "AutoFailbackType", PROP_SYNTAX_DWORD, "1"), 0);
    assert_int_equal(check(CPROP_GROUP, "AutoFailbackType", PROP_SYNTAX_DWORD, "2"),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(check(CPROP_GROUP, "FailoverThreshold", PROP_SYNTAX_DWORD, "0"), 0);
    assert_int_equal(check(CPROP_RESOURCE, "RestartThreshold", PROP_SYNTAX_DWORD,
                           "4294967296"), ERROR_INVALID_PARAMETER);
}

static void test_refusals(void **state)
{
    (void)state;
    assert_int_equal(check(CPROP_RESOURCE, "NoSuch", PROP_SYNTAX_DWORD, "1"),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(check(CPROP_RESOURCE, NULL, PROP_SYNTAX_DWORD, "1"),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(check(CPROP_RESOURCE, "Name", PROP_SYNTAX_SZ, "x"),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(check(CPROP_RESOURCE, "RestartAction", PROP_SYNTAX_SZ, "1"),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(check(CPROP_RESOURCE, "RestartAction", PROP_SYNTAX_DWORD, "-1"),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(check(CPROP_RESOURCE, "RestartAction", PROP_SYNTAX_DWORD, " 1"),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(check(CPROP_RESOURCE, "RestartAction", PROP_SYNTAX_DWORD, ""),
                     ERROR_INVALID_PARAMETER);
    /* NULL is "back to the default", for a settable property */
    assert_int_equal(check(CPROP_RESOURCE, "restartaction", PROP_SYNTAX_DWORD, NULL), 0);
    assert_int_equal(check(CPROP_RESOURCE, "Description", PROP_SYNTAX_SZ, "web tier"), 0);
}

static void test_value_forms(void **state)
{
    (void)state;
    assert_true(cprop_value_valid(PROP_SYNTAX_DWORD, "4294967295"));
    assert_false(cprop_value_valid(PROP_SYNTAX_DWORD, "4294967296"));
    assert_true(cprop_value_valid(PROP_SYNTAX_LONG, "-2147483648"));
    assert_false(cprop_value_valid(PROP_SYNTAX_LONG, "-2147483649"));
    assert_false(cprop_value_valid(PROP_SYNTAX_LONG, "2147483648"));
    assert_true(cprop_value_valid(PROP_SYNTAX_ULARGE_INTEGER, "18446744073709551615"));
    assert_false(cprop_value_valid(PROP_SYNTAX_ULARGE_INTEGER, "18446744073709551616"));
    assert_true(cprop_value_valid(PROP_SYNTAX_BINARY, "00ff10"));
    assert_false(cprop_value_valid(PROP_SYNTAX_BINARY, "0F"));
    assert_false(cprop_value_valid(PROP_SYNTAX_BINARY, "abc"));
    assert_true(cprop_value_valid(PROP_SYNTAX_MULTI_SZ, "a\nb"));
    assert_true(cprop_value_valid(PROP_SYNTAX_SZ, ""));
    assert_false(cprop_value_valid(0x00010099u, "x"));
    assert_false(cprop_value_valid(PROP_SYNTAX_SZ, NULL));
    assert_true(cprop_syntax_known(PROP_SYNTAX_LONG));
    assert_false(cprop_syntax_known(0));
}

/* Strings in a DWORD's text form count as DWORDs; nothing else changes syntax. */
static void test_coerce(void **state)
{
    (void)state;
    assert_int_equal(cprop_coerce_syntax(PROP_SYNTAX_DWORD, PROP_SYNTAX_SZ, "500"),
                     PROP_SYNTAX_DWORD);
    assert_int_equal(cprop_coerce_syntax(PROP_SYNTAX_DWORD, PROP_SYNTAX_SZ, "5x"),
                     PROP_SYNTAX_SZ);
    assert_int_equal(cprop_coerce_syntax(PROP_SYNTAX_DWORD, PROP_SYNTAX_SZ, "4294967296"),
                     PROP_SYNTAX_SZ);
    assert_int_equal(cprop_coerce_syntax(PROP_SYNTAX_DWORD, PROP_SYNTAX_SZ, NULL), PROP_SYNTAX_SZ);
    assert_int_equal(cprop_coerce_syntax(PROP_SYNTAX_SZ, PROP_SYNTAX_DWORD, "5"),
                     PROP_SYNTAX_DWORD);
    assert_int_equal(cprop_coerce_syntax(PROP_SYNTAX_DWORD, PROP_SYNTAX_MULTI_SZ, "5"),
                     PROP_SYNTAX_MULTI_SZ);
}

/* Windows' node properties clusapi fills, in Windows' spelling; only NodeWeight is settable. */
static void test_node_table(void **state)
{
    static const char *const names[] = {"NodeName", "NodeWeight", "DynamicWeight", "IsWitness",
                                        "StatusInformation"};
    size_t n;
    const struct cprop *t = cprop_table(CPROP_NODE, &n);

    (void)state;
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(t[i].name, names[i]);
        assert_int_equal(t[i].read_only, strcmp(names[i], CPROP_NODE_WEIGHT) != 0);
    }
    assert_int_equal(cprop_find(CPROP_NODE, "NodeName")->syntax, PROP_SYNTAX_SZ);
    assert_int_equal(cprop_find(CPROP_NODE, "nodeweight")->syntax, PROP_SYNTAX_DWORD);
    assert_int_equal(cprop_find(CPROP_NODE, "DynamicWeight")->syntax, PROP_SYNTAX_DWORD);
    assert_int_equal(cprop_dword(CPROP_NODE, CPROP_NODE_WEIGHT, NULL), CPROP_NODE_WEIGHT_DEFAULT);
    assert_int_equal(CPROP_NODE_WEIGHT_DEFAULT, 1);
    assert_null(cprop_find(CPROP_NODE, "RestartAction"));
    assert_null(cprop_find(CPROP_RESOURCE, "NodeWeight"));
}

static void test_node_checks(void **state)
{
    (void)state;
    assert_int_equal(check(CPROP_NODE, "NodeWeight", PROP_SYNTAX_DWORD, "0"), 0);
    assert_int_equal(check(CPROP_NODE, "NodeWeight", PROP_SYNTAX_DWORD, "1"), 0);
    assert_int_equal(check(CPROP_NODE, "NodeWeight", PROP_SYNTAX_DWORD, NULL), 0); /* default */
    assert_int_equal(check(CPROP_NODE, "NodeWeight", PROP_SYNTAX_DWORD, "2"),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(check(CPROP_NODE, "NodeWeight", PROP_SYNTAX_SZ, "abc"),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(check(CPROP_NODE, "NodeWeight", PROP_SYNTAX_SZ, "0"),
                     ERROR_INVALID_PARAMETER); /* cprop_check takes syntaxes as given */
    assert_int_equal(check(CPROP_NODE, "DynamicWeight", PROP_SYNTAX_DWORD, "1"),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(check(CPROP_NODE, "IsWitness", PROP_SYNTAX_DWORD, "0"),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(check(CPROP_NODE, "NodeName", PROP_SYNTAX_SZ, "n9"),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(check(CPROP_NODE, "Description", PROP_SYNTAX_SZ, "x"),
                     ERROR_INVALID_PARAMETER);
}

/* A request's list: strings in a DWORD's form become DWORDs, and the first refusal is named. */
static void test_check_all(void **state)
{
    struct prop ok[] = {{"NodeWeight", PROP_SYNTAX_SZ, "0"}, {"nodeweight", PROP_SYNTAX_DWORD,
                                                              "1"}};
    struct prop bad[] = {{"NodeWeight", PROP_SYNTAX_DWORD, "0"},
                         {"DynamicWeight", PROP_SYNTAX_DWORD, "0"},
                         {"NodeWeight", PROP_SYNTAX_DWORD, "7"}};
    struct prop ill[] = {{"NodeWeight", PROP_SYNTAX_SZ, "one"}};
    char why[160] = "";

    (void)state;
    assert_int_equal(cprop_check_all(CPROP_NODE, ok, 2, why, sizeof(why)), 0);
    assert_int_equal(ok[0].syntax, PROP_SYNTAX_DWORD);
    assert_int_equal(cprop_check_all(CPROP_NODE, bad, 3, why, sizeof(why)),
                     ERROR_INVALID_PARAMETER);
    assert_string_equal(why, "DynamicWeight is read-only");
    assert_int_equal(cprop_check_all(CPROP_NODE, bad + 2, 1, why, sizeof(why)),
                     ERROR_INVALID_PARAMETER);
    assert_string_equal(why, "NodeWeight: 7 is not in 0..1");
    assert_int_equal(cprop_check_all(CPROP_NODE, ill, 1, why, sizeof(why)),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(ill[0].syntax, PROP_SYNTAX_SZ); /* not a DWORD's text: left a string */
    assert_int_equal(cprop_check_all(CPROP_NODE, NULL, 0, why, sizeof(why)), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_value_forms),
        cmocka_unit_test(test_coerce),
        cmocka_unit_test(test_node_table),
        cmocka_unit_test(test_node_checks),
        cmocka_unit_test(test_check_all),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
