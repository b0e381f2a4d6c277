/* Windows' node quarantine, the pure rules: counting within an hour, the threshold, the
 * duration, the cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "common/quarantine.h"

#define T0 1700000000000LL
#define HOUR QUARANTINE_WINDOW_MS

static void test_cap(void **state)
{
    (void)state;
    assert_int_equal(quarantine_cap(2), 1);
    assert_int_equal(quarantine_cap(3), 1);
    assert_int_equal(quarantine_cap(7), 1);
    assert_int_equal(quarantine_cap(8), 2);
    assert_int_equal(quarantine_cap(64), 16);
}

static void test_threshold_within_the_hour(void **state)
{
    struct quarantine_record r = {0};

    (void)state;
    assert_false(quarantine_depart(&r, T0, 3, 7200, 0, 3));
    assert_false(quarantine_depart(&r, T0 + HOUR - 2, 3, 7200, 0, 3));
    assert_false(quarantine_active(&r, T0 + HOUR));
    assert_true(quarantine_depart(&r, T0 + HOUR - 1, 3, 7200, 0, 3));
    assert_int_equal(r.until_ms, T0 + HOUR - 1 + 7200 * 1000LL);
    assert_true(quarantine_active(&r, T0 + HOUR));
    assert_false(quarantine_active(&r, r.until_ms)); /* it ends then */
    assert_int_equal(r.departures, 0);               /* counted afresh */
}

static void test_an_hour_apart_starts_afresh(void **state)
{
    struct quarantine_record r = {0};

    (void)state;
    assert_false(quarantine_depart(&r, T0, 3, 7200, 0, 3));
    assert_false(quarantine_depart(&r, T0 + 1, 3, 7200, 0, 3));
    assert_false(quarantine_depart(&r, T0 + HOUR, 3, 7200, 0, 3));
    assert_int_equal(r.departures, 1);
    assert_int_equal(r.since_ms, T0 + HOUR);
    assert_false(quarantine_depart(&r, T0 - 5, 3, 7200, 0, 3)); /* a clock that went back */
    assert_int_equal(r.departures, 1);
}

static void test_disabled_capped_forever(void **state)
{
    struct quarantine_record r = {0};

    (void)state;
    for (int i = 0; i < 5; i++)
        assert_false(quarantine_depart(&r, T0 + i, 0, 7200, 0, 3)); /* threshold 0: never */
    r = (struct quarantine_record){0};
    for (int i = 0; i < 5; i++)
        assert_false(quarantine_depart(&r, T0 + i, 3, 0, 0, 3)); /* duration 0: never */
    r = (struct quarantine_record){0};
    for (int i = 0; i < 5; i++)
        assert_false(quarantine_depart(&r, T0 + i, 3, 7200, 1, 3)); /* the cap is reached */
    assert_false(quarantine_active(&r, T0 + 10));
    r = (struct quarantine_record){0};
    assert_false(quarantine_depart(&r, T0, 1 + 1, QUARANTINE_FOREVER, 1, 8));
    assert_true(quarantine_depart(&r, T0 + 1, 2, QUARANTINE_FOREVER, 1, 8));
    assert_int_equal(r.until_ms, INT64_MAX);
    assert_true(quarantine_active(&r, INT64_MAX - 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_threshold_within_the_hour),
        cmocka_unit_test(test_an_hour_apart_starts_afresh),
        cmocka_unit_test(test_disabled_capped_forever),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
