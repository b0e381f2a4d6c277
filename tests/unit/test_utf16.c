/*
 * Unit tests for src/common/utf16.c.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/utf16.h"

#define SENTINEL ((char *)(uintptr_t)0x5a5a)
#define SENTINEL16 ((char16_t *)(uintptr_t)0x5a5a)

/* Valid pairs: UTF-16 (NUL-terminated) and the same text in UTF-8. */
static const struct {
    char16_t u16[8];
    const char *u8;
} valid[] = {
    {{0}, ""},
    {u"node1", "node1"},
    {{0x7F, 0}, "\x7F"},
    {{0x80, 0}, "\xC2\x80"},
    {{0xE9, 0}, "\xC3\xA9"},
    {{0x7FF, 0}, "\xDF\xBF"},
    {{0x800, 0}, "\xE0\xA0\x80"},
    {{0x20AC, 0}, "\xE2\x82\xAC"},
    {{0xD7FF, 0}, "\xED\x9F\xBF"},
    {{0xE000, 0}, "\xEE\x80\x80"},
    {{0xFFFF, 0}, "\xEF\xBF\xBF"},
    {{0xD800, 0xDC00, 0}, "\xF0\x90\x80\x80"}, /* U+10000 */
    {{0xD83D, 0xDE00, 0}, "\xF0\x9F\x98\x80"}, /* U+1F600 */
    {{0xDBFF, 0xDFFF, 0}, "\xF4\x8F\xBF\xBF"}, /* U+10FFFF */
    {{'a', 0xD83D, 0xDE00, 'b', 0},
     "a\xF0\x9F\x98\x80"
     "b"},
};

#define N_VALID (sizeof(valid) / sizeof(valid[0]))

static void test_utf16_to_utf8_valid(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_VALID; i++) {
        char *out = NULL;

        assert_int_equal(utf16_to_utf8(valid[i].u16, 8, &out), 0);
        assert_string_equal(out, valid[i].u8);
        free(out);
    }
}

static void test_utf8_to_utf16_valid(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_VALID; i++) {
        char16_t *out = NULL;
        size_t n = utf16_len(valid[i].u16);

        assert_int_equal(utf8_to_utf16(valid[i].u8, &out), 0);
        assert_int_equal(utf16_len(out), n);
        assert_memory_equal(out, valid[i].u16, (n + 1) * sizeof(char16_t));
        free(out);
    }
}

static void test_utf16_unpaired_surrogates(void **state)
{
    static const char16_t bad[][4] = {
        {0xD800, 0},         /* high at the end */
        {0xD83D, 'a', 0},    /* high followed by a non-surrogate */
        {0xD83D, 0xD83D, 0}, /* two highs */
        {0xDC00, 0},         /* lone low */
        {'x', 0xDFFF, 0},    /* lone low after text */
        {0xDE00, 0xD83D, 0}, /* pair in the wrong order */
    };

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *out = SENTINEL;

        assert_int_equal(utf16_to_utf8(bad[i], 4, &out), -EILSEQ);
        assert_ptr_equal(out, SENTINEL);
    }
}

static void test_utf16_max_units(void **state)
{
    /* Exactly four units, none of them NUL: valgrind would flag a read past the array. */
    char16_t *unterminated = malloc(4 * sizeof(char16_t));
    static const char16_t pair[] = {0xD83D, 0xDE00, 0};
    char *out = SENTINEL;

    (void)state;
    assert_non_null(unterminated);
    memcpy(unterminated, u"abcd", 4 * sizeof(char16_t));
    assert_int_equal(utf16_to_utf8(unterminated, 4, &out), -ENAMETOOLONG);
    assert_ptr_equal(out, SENTINEL);
    free(unterminated);

    assert_int_equal(utf16_to_utf8(u"abc", 3, &out), -ENAMETOOLONG); /* NUL is unit 4 */
    assert_int_equal(utf16_to_utf8(u"abc", 0, &out), -ENAMETOOLONG);
    assert_int_equal(utf16_to_utf8(u"", 0, &out), -ENAMETOOLONG);
    assert_int_equal(utf16_to_utf8(pair, 2, &out), -ENAMETOOLONG); /* pair fills the limit */
    assert_ptr_equal(out, SENTINEL);

    assert_int_equal(utf16_to_utf8(u"abc", 4, &out), 0);
    assert_string_equal(out, "abc");
    free(out);
    assert_int_equal(utf16_to_utf8(u"", 1, &out), 0);
    assert_string_equal(out, "");
    free(out);
    assert_int_equal(utf16_to_utf8(pair, 3, &out), 0);
    assert_string_equal(out, "\xF0\x9F\x98\x80");
    free(out);
}

static void test_null_arguments(void **state)
{
    char *out = SENTINEL;
    char16_t *out16 = SENTINEL16;

    (void)state;
    assert_int_equal(utf16_to_utf8(NULL, 10, &out), -EINVAL);
    assert_int_equal(utf16_to_utf8(u"a", 10, NULL), -EINVAL);
    assert_int_equal(utf8_to_utf16(NULL, &out16), -EINVAL);
    assert_int_equal(utf8_to_utf16("a", NULL), -EINVAL);
    assert_ptr_equal(out, SENTINEL);
    assert_ptr_equal(out16, SENTINEL16);
}

static const char *const invalid_utf8[] = {
    "\xC0\x80",                 /* overlong NUL */
    "\xC1\xBF",                 /* overlong U+007F */
    "\xE0\x80\x80",             /* overlong U+0000 */
    "\xE0\x9F\xBF",             /* overlong U+07FF */
    "\xF0\x80\x80\x80",         /* overlong U+0000 */
    "\xF0\x8F\xBF\xBF",         /* overlong U+FFFF */
    "\xED\xA0\x80",             /* U+D800 encoded */
    "\xED\xBF\xBF",             /* U+DFFF encoded */
    "\xED\xA0\xBD\xED\xB8\x80", /* CESU-8 pair for U+1F600 */
    "\xF4\x90\x80\x80",         /* U+110000 */
    "\xF5\x80\x80\x80",         /* lead byte beyond U+10FFFF */
    "\xF8\x88\x80\x80\x80",
    "\xFF",
    "\xFE",
    "\x80", /* stray continuation */
    "a\xBF"
    "b",
    "\xC3", /* truncated */
    "\xE2\x82",
    "\xF0\x9F\x98",
    "\xC3\x28", /* bad continuation */
    "\xE2\x28\xAC",
    "\xE2\x82\x28",
    "\xF0\x9F\x28\x80",
    "ok\xC3",
};

static void test_utf8_invalid(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(invalid_utf8) / sizeof(invalid_utf8[0]); i++) {
        const char *s = invalid_utf8[i];
        char16_t *out = SENTINEL16;
        uint32_t cch = 77;
        char16_t buf[16];

        assert_int_equal(utf8_to_utf16(s, &out), -EILSEQ);
        assert_ptr_equal(out, SENTINEL16);
        assert_int_equal(utf8_validate(s, strlen(s)), -EILSEQ);
        assert_int_equal(utf16_copy_out(s, buf, &cch), 13); /* ERROR_INVALID_DATA */
        assert_int_equal(cch, 77);
    }
}

static void test_utf8_decode(void **state)
{
    uint32_t cp = 0;

    (void)state;
    assert_int_equal(utf8_decode("A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(utf8_decode("\xC3\xA9", 2, &cp), 2);
    assert_int_equal(cp, 0xE9);
    assert_int_equal(utf8_decode("\xE2\x82\xAC", 3, &cp), 3);
    assert_int_equal(cp, 0x20AC);
    assert_int_equal(utf8_decode("\xF4\x8F\xBF\xBF", 4, &cp), 4);
    assert_int_equal(cp, 0x10FFFF);
    assert_int_equal(utf8_decode("", 1, &cp), 1); /* the NUL itself */
    assert_int_equal(cp, 0);
    /* n limits the read even when more bytes follow */
    cp = 99;
    assert_int_equal(utf8_decode("\xE2\x82\xAC", 2, &cp), -EILSEQ);
    assert_int_equal(utf8_decode("A", 0, &cp), -EILSEQ);
    assert_int_equal(cp, 99);
}

static void test_utf8_validate(void **state)
{
    (void)state;
    assert_int_equal(utf8_validate("", 0), 0);
    assert_int_equal(utf8_validate("n\xC3\xA9ud", 5), 0);
    assert_int_equal(utf8_validate("a\0b", 3), -EILSEQ); /* embedded NUL */
    assert_int_equal(utf8_validate("\xC3\xA9", 1), -EILSEQ);
}

static void test_utf16_len(void **state)
{
    static const char16_t pair[] = {0xD83D, 0xDE00, 0};

    (void)state;
    assert_int_equal(utf16_len(u""), 0);
    assert_int_equal(utf16_len(u"node1"), 5);
    assert_int_equal(utf16_len(pair), 2);
}

static void test_casecmp_ascii(void **state)
{
    (void)state;
    assert_int_equal(utf16_casecmp_ascii(u"Node1", u"nODE1"), 0);
    assert_int_equal(utf16_casecmp_ascii(u"", u""), 0);
    assert_true(utf16_casecmp_ascii(u"a", u"B") < 0);
    assert_true(utf16_casecmp_ascii(u"b", u"A") > 0);
    assert_true(utf16_casecmp_ascii(u"node", u"node1") < 0);
    assert_true(utf16_casecmp_ascii(u"node1", u"NODE") > 0);
    /* Only ASCII folds: U+00C9 and U+00E9 differ. */
    assert_true(utf16_casecmp_ascii(u"\u00C9", u"\u00E9") != 0);
    /* '[' (0x5B) sorts after 'Z' but before 'a'..'z' once folded. */
    assert_true(utf16_casecmp_ascii(u"[", u"a") < 0);
}

static void test_copy_out_exact_sizes(void **state)
{
    char16_t buf[8];
    uint32_t cch;

    (void)state;
    /* "node1" is 5 units: 6 is the exact size, 5 is one short. */
    memset(buf, 0xAA, sizeof(buf));
    cch = 6;
    assert_int_equal(utf16_copy_out("node1", buf, &cch), 0);
    assert_int_equal(cch, 5);
    assert_memory_equal(buf, u"node1", 6 * sizeof(char16_t));
    assert_int_equal(buf[6], 0xAAAA); /* nothing written past the NUL */

    memset(buf, 0xAA, sizeof(buf));
    cch = 5;
    assert_int_equal(utf16_copy_out("node1", buf, &cch), 234); /* ERROR_MORE_DATA */
    assert_int_equal(cch, 5);
    assert_int_equal(buf[0], 0xAAAA); /* nothing written */

    cch = 8;
    assert_int_equal(utf16_copy_out("node1", buf, &cch), 0);
    assert_int_equal(cch, 5);
}

static void test_copy_out_probe_and_edge_cases(void **state)
{
    char16_t buf[4];
    uint32_t cch;

    (void)state;
    cch = 0;
    assert_int_equal(utf16_copy_out("cluster1", NULL, &cch), 234);
    assert_int_equal(cch, 8);
    cch = 100; /* a NULL buffer counts as size 0 whatever the caller claims */
    assert_int_equal(utf16_copy_out("cluster1", NULL, &cch), 234);
    assert_int_equal(cch, 8);

    cch = 0;
    assert_int_equal(utf16_copy_out("", NULL, &cch), 234); /* even "" needs its NUL */
    assert_int_equal(cch, 0);
    buf[0] = 0xAAAA;
    cch = 1;
    assert_int_equal(utf16_copy_out("", buf, &cch), 0);
    assert_int_equal(cch, 0);
    assert_int_equal(buf[0], 0);

    /* U+1F600 takes two units: "a" + pair = 3 units, 4 with the NUL. */
    cch = 3;
    assert_int_equal(utf16_copy_out("a\xF0\x9F\x98\x80", buf, &cch), 234);
    assert_int_equal(cch, 3);
    cch = 4;
    assert_int_equal(utf16_copy_out("a\xF0\x9F\x98\x80", buf, &cch), 0);
    assert_int_equal(cch, 3);
    assert_int_equal(buf[0], 'a');
    assert_int_equal(buf[1], 0xD83D);
    assert_int_equal(buf[2], 0xDE00);
    assert_int_equal(buf[3], 0);

    cch = 4;
    assert_int_equal(utf16_copy_out(NULL, buf, &cch), 87); /* ERROR_INVALID_PARAMETER */
    assert_int_equal(cch, 4);
    assert_int_equal(utf16_copy_out("a", buf, NULL), 87);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf16_to_utf8_valid),
        cmocka_unit_test(test_utf8_to_utf16_valid),
        cmocka_unit_test(test_utf16_unpaired_surrogates),
        cmocka_unit_test(test_utf16_max_units),
        cmocka_unit_test(test_null_arguments),
        cmocka_unit_test(test_utf8_invalid),
        cmocka_unit_test(test_utf8_decode),
        cmocka_unit_test(test_utf8_validate),
        cmocka_unit_test(test_utf16_len),
        cmocka_unit_test(test_casecmp_ascii),
        cmocka_unit_test(test_copy_out_exact_sizes),
        cmocka_unit_test(test_copy_out_probe_and_edge_cases),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
