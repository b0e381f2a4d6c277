/*
 * Dependency expressions: what Windows' grammar accepts and how it is read back, what it
 * refuses, and that formatting what was parsed gives an expression that parses to the same.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <clusapi.h>

#include "common/depexpr.h"

/* Parses text, which must be accepted, and returns its canonical form (malloc'd). */
static char *canonical(const char *text)
{
    struct depexpr e;
    char why[256];
    char *out;

    if (depexpr_parse(text, &e, why, sizeof(why)) != 0)
        fail_msg("'%s' refused: %s", text, why);
    out = depexpr_format(&e);
    assert_non_null(out);
    depexpr_done(&e);
    return out;
}

static void accepts(const char *text, const char *want)
{
    char *got = canonical(text);
    char *again = canonical(got);

    if (strcmp(got, want) != 0)
        fail_msg("'%s' read back as '%s', want '%s'", text, got, want);
    assert_string_equal(again, got); /* the canonical form is a fixed point */
    free(got);
    free(again);
}

static void refuses(const char *text)
{
    struct depexpr e = {(void *)1, 7};
    char why[256] = "";

    if (depexpr_parse(text, &e, why, sizeof(why)) != ERROR_INVALID_PARAMETER)
        fail_msg("'%s' accepted", text);
    assert_true(why[0] != '\0');
    assert_null(e.clauses);
    assert_int_equal(e.n, 0);
}

static void test_accepted(void **state)
{
    (void)state;
    accepts("", "");
    accepts("   ", "");
    accepts("[a]", "[a]");
    accepts(" [Res A] ", "[Res A]");
    accepts("[a] and [b]", "[a] and [b]");
    accepts("[a] or [b]", "([a] or [b])");
    accepts("[a] or [b] or [c]", "([a] or [b] or [c])");
    accepts("([a] or [b])", "([a] or [b])");
    accepts("([a])", "[a]");
    accepts("[Res A] and ([Res B] or [Res C])", "[Res A] and ([Res B] or [Res C])");
    accepts("([a] or [b]) and ([c] or [d])", "([a] or [b]) and ([c] or [d])");
    accepts("([a] OR [b]) AND [c]", "([a] or [b]) and [c]");
    accepts("[a]and[b]", "[a] and [b]");
    accepts("( [a]  or\t[b] )\nand [c]", "([a] or [b]) and [c]");
    accepts("[ip (v4)] and [x-y]", "[ip (v4)] and [x-y]");
    accepts("[a] and [b] and [c] and [d]", "[a] and [b] and [c] and [d]");
}

static void test_refused(void **state)
{
    (void)state;
    refuses(NULL);
    refuses("a");
    refuses("[]");
    refuses("[a");
    refuses("[a]]");
    refuses("[a [b]]");
    refuses("[a] and");
    refuses("and [a]");
    refuses("[a] or");
    refuses("[a] [b]");
    refuses("[a] and [b] or [c]");     /* OR outside parentheses, not the whole expression */
    refuses("[a] or [b] and [c]");
    refuses("(([a] or [b]))");         /* no nesting */
    refuses("([a] and [b])");          /* only ORs inside parentheses */
    refuses("([a] or [b]");
    refuses("[a] or [b])");
    refuses("()");
    refuses("[a] xor [b]");
    refuses("[a] andd [b]");
    refuses("[a] and [A]");            /* a provider twice (names compare without case) */
    refuses("([a] or [b]) and [b]");
}

static void test_name_limits(void **state)
{
    char name[300], text[320];

    (void)state;
    memset(name, 'n', 255);
    name[255] = '\0';
    snprintf(text, sizeof(text), "[%s]", name);
    accepts(text, text);
    memset(name, 'n', 256);
    name[256] = '\0';
    snprintf(text, sizeof(text), "[%s]", name);
    refuses(text);
}

static void test_provider_limit(void **state)
{
    size_t size = (DEPEXPR_MAX_PROVIDERS + 1) * 16;
    char *text = calloc(1, size);
    struct depexpr e;
    char why[256];
    size_t len = 0;

    (void)state;
    assert_non_null(text);
    for (int i = 0; i < DEPEXPR_MAX_PROVIDERS; i++)
        len += (size_t)snprintf(text + len, size - len, "%s[r%d]", i ? " and " : "", i);
    assert_int_equal(depexpr_parse(text, &e, why, sizeof(why)), 0);
    assert_int_equal(e.n, DEPEXPR_MAX_PROVIDERS);
    depexpr_done(&e);
    snprintf(text + len, size - len, " and [one more]");
    assert_int_equal(depexpr_parse(text, &e, why, sizeof(why)), ERROR_INVALID_PARAMETER);
    free(text);
}

static void test_clauses_and_add(void **state)
{
    struct depexpr e = {NULL, 0};
    char why[64];
    char *text;

    (void)state;
    assert_int_equal(depexpr_parse("([a] or [b]) and [c]", &e, why, sizeof(why)), 0);
    assert_int_equal(e.n, 2);
    assert_int_equal(e.clauses[0].n, 2);
    assert_string_equal(e.clauses[0].names[1], "b");
    assert_string_equal(e.clauses[1].names[0], "c");
    assert_int_equal(depexpr_add(&e, 3, "d"), 0); /* clause 2 stays empty and is skipped */
    text = depexpr_format(&e);
    assert_string_equal(text, "([a] or [b]) and [c] and [d]");
    free(text);
    depexpr_done(&e);
    assert_null(e.clauses);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_name_limits),
        cmocka_unit_test(test_provider_limit),
        cmocka_unit_test(test_clauses_and_add),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
