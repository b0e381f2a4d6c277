/*
 * cli_props: KEY=VALUE words typed into common and private property lists (schema syntaxes,
 * strings by default, repeated keys as MULTI_SZ, ill-typed values refused), lists rendered as
 * JSON and text, and the MULTI_SZ splitter of the ENUM_*_PROPERTIES output.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <clusapi.h>

#include "cli/cli_props.h"
#include "common/proplist.h"

static const char *const common[] = {"RestartAction", "RestartThreshold", "Description"};
static const struct prop schema[] = {
    {"RestartAction", PROP_SYNTAX_DWORD, "2"},
    {"restartthreshold", PROP_SYNTAX_DWORD, "3"},
    {"Environment", PROP_SYNTAX_MULTI_SZ, "A=1"},
    {"PrefixLength", PROP_SYNTAX_DWORD, ""},
};

static int build(const char *const *words, size_t n, struct cli_props *c, struct cli_props *p,
                 char *err)
{
    return cli_props_build(words, n, common, 3, schema, 4, c, p, err, 128);
}

static void test_split_and_type(void **state)
{
    const char *words[] = {"RestartAction=1", "Address=10.0.0.5", "restartthreshold=5",
                           "Description=a=b", "PrefixLength=24", "Other="};
    struct cli_props c, p;
    char err[128] = "";

    assert_int_equal(build(words, 6, &c, &p, err), 0);
    assert_int_equal(c.n, 3);
    assert_string_equal(c.v[0].name, "RestartAction");
    assert_int_equal(c.v[0].syntax, PROP_SYNTAX_DWORD);
    assert_string_equal(c.v[0].value, "1");
    assert_string_equal(c.v[1].name, "restartthreshold");
    assert_int_equal(c.v[1].syntax, PROP_SYNTAX_DWORD);
    assert_string_equal(c.v[2].value, "a=b"); /* the first '=' splits */
    assert_int_equal(c.v[2].syntax, PROP_SYNTAX_SZ);
    assert_int_equal(p.n, 3);
    assert_string_equal(p.v[0].name, "Address");
    assert_int_equal(p.v[0].syntax, PROP_SYNTAX_SZ); /* unknown: a string */
    assert_int_equal(p.v[1].syntax, PROP_SYNTAX_DWORD);
    assert_string_equal(p.v[2].value, "");
    cli_props_done(&c);
    cli_props_done(&p);
    assert_null(c.v);
}

static void test_repeated_keys_make_lists(void **state)
{
    const char *words[] = {"Dir=/a", "Environment=X=1", "dir=/b", "Dir=/c"};
    struct cli_props c, p;
    char err[128] = "";

    assert_int_equal(build(words, 4, &c, &p, err), 0);
    assert_int_equal(c.n, 0);
    assert_int_equal(p.n, 2);
    assert_string_equal(p.v[0].name, "Dir");
    assert_int_equal(p.v[0].syntax, PROP_SYNTAX_MULTI_SZ);
    assert_string_equal(p.v[0].value, "/a\n/b\n/c");
    /* once, but a list in the schema */
    assert_int_equal(p.v[1].syntax, PROP_SYNTAX_MULTI_SZ);
    assert_string_equal(p.v[1].value, "X=1");
    /* and they encode: the list is a real MULTI_SZ */
    size_t size = 0;
    assert_int_equal(proplist_encode(p.v, p.n, NULL, 0, &size), ERROR_MORE_DATA);
    cli_props_done(&c);
    cli_props_done(&p);
}

static void test_refusals(void **state)
{
    const char *bad_dword[] = {"Address=x", "RestartAction=abc"};
    const char *negative[] = {"PrefixLength=-1"};
    const char *no_eq[] = {"RestartAction"};
    const char *newline[] = {"Description=a\nb"};
    struct cli_props c = {(struct prop *)1, 7}, p = {(struct prop *)1, 7};
    char err[128] = "";

    assert_int_equal(build(bad_dword, 2, &c, &p, err), -EINVAL);
    assert_string_equal(err, "RestartAction: 'abc' is not a DWORD");
    assert_int_equal(c.n, 7); /* untouched */
    assert_int_equal(build(negative, 1, &c, &p, err), -EINVAL);
    assert_string_equal(err, "PrefixLength: '-1' is not a DWORD");
    assert_int_equal(build(no_eq, 1, &c, &p, err), -EINVAL);
    assert_non_null(strstr(err, "expected KEY=VALUE"));
    assert_int_equal(build(newline, 1, &c, &p, err), -EINVAL);
    assert_non_null(strstr(err, "newline"));
    assert_int_equal(p.n, 7);
}

static void test_no_words(void **state)
{
    struct cli_props c, p;
    char err[128] = "";

    assert_int_equal(cli_props_build(NULL, 0, NULL, 0, NULL, 0, &c, &p, err, sizeof(err)), 0);
    assert_int_equal(c.n + p.n, 0);
    cli_props_done(&c);
    cli_props_done(&p);
}

static void test_json(void **state)
{
    const struct prop v[] = {
        {"RestartAction", PROP_SYNTAX_DWORD, "2"},
        {"Offset", PROP_SYNTAX_LONG, "-5"},
        {"Big", PROP_SYNTAX_ULARGE_INTEGER, "18446744073709551615"},
        {"Id", PROP_SYNTAX_SZ, "1"},
        {"Environment", PROP_SYNTAX_MULTI_SZ, "A=1\nB=\"2\""},
        {"Empty", PROP_SYNTAX_MULTI_SZ, ""},
        {"Blob", PROP_SYNTAX_BINARY, "00ff"},
        {"Odd", PROP_SYNTAX_DWORD, "007"},
    };
    struct cli_buf b = {0};

    assert_int_equal(cli_props_json(&b, v, 8), 0);
    assert_string_equal(cli_buf_str(&b),
                        "{\"RestartAction\":2,\"Offset\":-5,\"Big\":18446744073709551615,"
                        "\"Id\":\"1\",\"Environment\":[\"A=1\",\"B=\\\"2\\\"\"],\"Empty\":[],"
                        "\"Blob\":\"00ff\",\"Odd\":\"007\"}");
    cli_buf_reset(&b);
    assert_int_equal(cli_props_json(&b, NULL, 0), 0);
    assert_string_equal(cli_buf_str(&b), "{}");
    cli_buf_done(&b);
}

static void test_text(void **state)
{
    const struct prop v[] = {
        {"A", PROP_SYNTAX_DWORD, "1"},
        {"Longer", PROP_SYNTAX_MULTI_SZ, "x\ny"},
        {"Desc", PROP_SYNTAX_SZ, ""},
    };
    struct cli_buf b = {0};

    assert_int_equal(cli_props_text(&b, v, 3, "  "), 0);
    assert_string_equal(cli_buf_str(&b), "  A      1\n  Longer x, y\n  Desc   -\n");
    cli_buf_reset(&b);
    assert_int_equal(cli_prop_text_value(&b, &v[1], "\n"), 0);
    assert_string_equal(cli_buf_str(&b), "x\ny");
    cli_buf_done(&b);
    assert_string_equal(cli_syntax_name(PROP_SYNTAX_MULTI_SZ), "MULTI_SZ");
    assert_string_equal(cli_syntax_name(0x1234), "UNKNOWN");
}

static void test_multi_sz_split(void **state)
{
    const uint8_t two[] = {'a', 0, 'b', 0, 0, 0, 0xe9, 0, 0, 0, 0, 0}; /* "ab", "é", end */
    const uint8_t empty[] = {0, 0};
    const uint8_t unterminated[] = {'a', 0, 0, 0};
    const uint8_t surrogate[] = {0x00, 0xd8, 0, 0, 0, 0};
    char **names = NULL;
    size_t n = 9;

    assert_int_equal(cli_multi_sz_split(two, sizeof(two), &names, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(names[0], "ab");
    assert_string_equal(names[1], "\xc3\xa9");
    assert_null(names[2]);
    free(names);
    assert_int_equal(cli_multi_sz_split(empty, 2, &names, &n), 0);
    assert_int_equal(n, 0);
    free(names);
    names = NULL;
    assert_int_equal(cli_multi_sz_split(unterminated, sizeof(unterminated), &names, &n),
                     -EINVAL);
    assert_int_equal(cli_multi_sz_split(two, 3, &names, &n), -EINVAL);
    assert_int_equal(cli_multi_sz_split(two, 0, &names, &n), -EINVAL);
    assert_int_equal(cli_multi_sz_split(surrogate, sizeof(surrogate), &names, &n), -EINVAL);
    assert_null(names);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_and_type),
        cmocka_unit_test(test_repeated_keys_make_lists),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_no_words),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_multi_sz_split),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
