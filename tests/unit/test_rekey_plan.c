/* Settling an interrupted credential rotation: whatever point it was cut at, the plan picks a
 * credential every member still accepts, or says none exists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "common/rekey_plan.h"

#define OLD "00000000000000aa"
#define NEW "00000000000000bb"
#define ODD "00000000000000cc"

static struct rekey_holding hold(const char *proved, const char *other)
{
    struct rekey_holding h;

    memset(&h, 0, sizeof(h));
    strcpy(h.proved, proved);
    strcpy(h.other, other);
    return h;
}

static void test_clean(void **state)
{
    struct rekey_holding h[3] = {hold(OLD, ""), hold(OLD, ""), hold(OLD, "")};
    char id[REKEY_ID_SIZE] = "untouched";

    (void)state;
    assert_int_equal(rekey_plan(h, 3, id), REKEY_CLEAN);
    assert_string_equal(id, "untouched");
    assert_int_equal(rekey_plan(h, 1, id), REKEY_CLEAN);
}

/* Cut during the stage round: some members staged NEW, the rest never heard of it. */
static void test_cut_while_staging(void **state)
{
    struct rekey_holding h[3] = {hold(OLD, NEW), hold(OLD, NEW), hold(OLD, "")};
    char id[REKEY_ID_SIZE];

    (void)state;
    assert_int_equal(rekey_plan(h, 3, id), REKEY_SETTLE);
    assert_string_equal(id, OLD); /* the only one all hold: back to it */
}

/* Cut during the switch round: all hold both, some prove NEW. */
static void test_cut_while_switching(void **state)
{
    struct rekey_holding h[3] = {hold(NEW, OLD), hold(NEW, OLD), hold(OLD, NEW)};
    char id[REKEY_ID_SIZE];

    (void)state;
    assert_int_equal(rekey_plan(h, 3, id), REKEY_SETTLE);
    assert_string_equal(id, NEW); /* both are safe; NEW needs fewer switches */
    h[0] = hold(OLD, NEW);
    assert_int_equal(rekey_plan(h, 3, id), REKEY_SETTLE);
    assert_string_equal(id, OLD);
}

/* Cut during the retire round: some hold NEW only, the rest prove NEW and still accept OLD. */
static void test_cut_while_retiring(void **state)
{
    struct rekey_holding h[3] = {hold(NEW, OLD), hold(NEW, ""), hold(NEW, OLD)};
    char id[REKEY_ID_SIZE];

    (void)state;
    assert_int_equal(rekey_plan(h, 3, id), REKEY_SETTLE);
    assert_string_equal(id, NEW);
}

static void test_stuck(void **state)
{
    struct rekey_holding h[3] = {hold(OLD, ""), hold(NEW, ""), hold(NEW, OLD)};
    struct rekey_holding g[2] = {hold(OLD, NEW), hold(ODD, "")};
    char id[REKEY_ID_SIZE];

    (void)state;
    assert_int_equal(rekey_plan(h, 3, id), REKEY_STUCK);
    assert_int_equal(rekey_plan(g, 2, id), REKEY_STUCK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean),
        cmocka_unit_test(test_cut_while_staging),
        cmocka_unit_test(test_cut_while_switching),
        cmocka_unit_test(test_cut_while_retiring),
        cmocka_unit_test(test_stuck),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
