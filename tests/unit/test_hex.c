/*
 * Unit tests for src/common/hex.c: every byte value, so a digit is never missed and nothing
 * else (the neighbours of the digit ranges, NUL, bytes above 0x7f) ever counts as one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "common/hex.h"

/* The answer by table rather than by arithmetic, so the test does not repeat the code. */
static int expected(unsigned char c)
{
    static const char lower[] = "0123456789abcdef", upper[] = "0123456789ABCDEF";

    for (int i = 0; i < 16; i++)
        if (c == (unsigned char)lower[i] || c == (unsigned char)upper[i])
            return i;
    return -1;
}

static void test_every_byte(void **state)
{
    (void)state;
    for (int c = 0; c < 256; c++)
        assert_int_equal(hex_value((char)c), expected((unsigned char)c));
}

static void test_digits_and_neighbours(void **state)
{
    (void)state;
    assert_int_equal(hex_value('0'), 0);
    assert_int_equal(hex_value('9'), 9);
    assert_int_equal(hex_value('a'), 10);
    assert_int_equal(hex_value('F'), 15);
    assert_int_equal(hex_value('/'), -1);
    assert_int_equal(hex_value(':'), -1);
    assert_int_equal(hex_value('`'), -1);
    assert_int_equal(hex_value('g'), -1);
    assert_int_equal(hex_value('@'), -1);
    assert_int_equal(hex_value('G'), -1);
    assert_int_equal(hex_value('\0'), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_byte),
        cmocka_unit_test(test_digits_and_neighbours),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
