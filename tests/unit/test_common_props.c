/*
 * Common properties: Windows' names, defaults and bounds, and what cprop_check refuses.
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
    static const enum cprop_object kinds[] = {CPROP_RESOURCE, CPROP_GROUP, CPROP_RESTYPE};

    (void)state;
    for (size_t k = 0; k < 3; k++) {
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_value_forms),
        cmocka_unit_test(test_coerce),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
