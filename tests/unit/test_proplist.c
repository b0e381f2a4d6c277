/*
 * test_proplist — the CLUSPROP property-list codec: round trips of every syntax, the exact bytes
 * of lists built by hand from the documented layout, the size probe, and every malformation the
 * decoder must refuse (with ResUtil's codes), each without reading past the buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clusapi_wintypes.h"
#include "common/proplist.h"

/* ---------------------------------------------------------------------------------------- */
/* A byte builder for hand-made lists                                                       */
/* ---------------------------------------------------------------------------------------- */

struct bytes {
    uint8_t b[512];
    size_t n;
};

static void put32(struct bytes *x, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        x->b[x->n++] = (uint8_t)(v >> (8 * i));
}

/* Units of an ASCII string (no NUL added), as UTF-16LE. */
static void put_ascii16(struct bytes *x, const char *s)
{
    for (; *s; s++) {
        x->b[x->n++] = (uint8_t)*s;
        x->b[x->n++] = 0;
    }
}

static void put16(struct bytes *x, uint16_t v)
{
    x->b[x->n++] = (uint8_t)v;
    x->b[x->n++] = (uint8_t)(v >> 8);
}

static void pad(struct bytes *x)
{
    while (x->n % 4)
        x->b[x->n++] = 0;
}

/* A name entry: syntax, cbLength incl. NUL, the units, NUL, padding. */
static void put_name(struct bytes *x, const char *name)
{
    put32(x, PROPLIST_SYNTAX_NAME);
    put32(x, (uint32_t)(strlen(name) + 1) * 2);
    put_ascii16(x, name);
    put16(x, 0);
    pad(x);
}

static void put_dword_value(struct bytes *x, uint32_t v)
{
    put32(x, PROP_SYNTAX_DWORD);
    put32(x, 4);
    put32(x, v);
}

/* The reference list: "Pi" = DWORD 7, "N" = SZ "ab". */
static void reference_list(struct bytes *x)
{
    memset(x, 0, sizeof(*x));
    put32(x, 2);
    put_name(x, "Pi");
    put_dword_value(x, 7);
    put32(x, PROPLIST_SYNTAX_ENDMARK);
    put_name(x, "N");
    put32(x, PROP_SYNTAX_SZ);
    put32(x, 6);
    put_ascii16(x, "ab");
    put16(x, 0);
    pad(x);
    put32(x, PROPLIST_SYNTAX_ENDMARK);
}

static uint32_t decode(const struct bytes *x, size_t size)
{
    struct prop *props = (struct prop *)&props; /* must stay untouched on failure */
    size_t n = 12345;
    uint32_t rc = proplist_decode(x->b, size, &props, &n);
    if (rc == ERROR_SUCCESS) {
        free(props);
    } else {
        assert_ptr_equal(props, (struct prop *)&props);
        assert_int_equal(n, 12345);
    }
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* Exact bytes                                                                              */
/* ---------------------------------------------------------------------------------------- */

static void test_exact_bytes(void **state)
{
    (void)state;
    struct bytes want;
    reference_list(&want);
    /* 4 + (8+8 name) + (8+4) + 4 + (8+4 name) + (8+8) + 4 */
    assert_int_equal(want.n, 68);
    const struct prop props[] = {{"Pi", PROP_SYNTAX_DWORD, "7"}, {"N", PROP_SYNTAX_SZ, "ab"}};
    uint8_t out[68];
    size_t size = 0;
    assert_int_equal(proplist_encode(props, 2, out, sizeof(out), &size), ERROR_SUCCESS);
    assert_int_equal(size, 68);
    assert_memory_equal(out, want.b, 68);
}

static void test_exact_multi_sz_and_numbers(void **state)
{
    (void)state;
    struct bytes want = {{0}, 0};
    put32(&want, 3);
    put_name(&want, "M");
    put32(&want, PROP_SYNTAX_MULTI_SZ);
    put32(&want, 10); /* "x\0y\0\0" */
    put_ascii16(&want, "x");
    put16(&want, 0);
    put_ascii16(&want, "y");
    put16(&want, 0);
    put16(&want, 0);
    pad(&want);
    put32(&want, PROPLIST_SYNTAX_ENDMARK);
    put_name(&want, "W");
    put32(&want, PROP_SYNTAX_WORD);
    put32(&want, 2);
    put16(&want, 0xBEEF);
    pad(&want);
    put32(&want, PROPLIST_SYNTAX_ENDMARK);
    put_name(&want, "B");
    put32(&want, PROP_SYNTAX_BINARY);
    put32(&want, 3);
    want.b[want.n++] = 0x00, want.b[want.n++] = 0xff, want.b[want.n++] = 0x10;
    pad(&want);
    put32(&want, PROPLIST_SYNTAX_ENDMARK);

    const struct prop props[] = {{"M", PROP_SYNTAX_MULTI_SZ, "x\ny"},
                                 {"W", PROP_SYNTAX_WORD, "48879"},
                                 {"B", PROP_SYNTAX_BINARY, "00ff10"}};
    uint8_t out[256];
    size_t size = 0;
    assert_int_equal(proplist_encode(props, 3, out, sizeof(out), &size), ERROR_SUCCESS);
    assert_int_equal(size, want.n);
    assert_memory_equal(out, want.b, want.n);
}

static void test_exact_names_sz_deps(void **state)
{
    (void)state;
    uint8_t out[64];
    size_t size = 0;
    const char *names[] = {"Ab", "C"};
    const uint8_t names_want[] = {'A', 0, 'b', 0, 0, 0, 'C', 0, 0, 0, 0, 0};
    assert_int_equal(proplist_encode_names(names, 2, out, sizeof(out), &size), ERROR_SUCCESS);
    assert_int_equal(size, sizeof(names_want));
    assert_memory_equal(out, names_want, size);
    assert_int_equal(proplist_encode_names(NULL, 0, out, sizeof(out), &size), ERROR_SUCCESS);
    assert_int_equal(size, 2);

    const uint8_t sz_want[] = {'n', 0, '1', 0, 0, 0};
    assert_int_equal(proplist_encode_sz("n1", out, sizeof(out), &size), ERROR_SUCCESS);
    assert_int_equal(size, sizeof(sz_want));
    assert_memory_equal(out, sz_want, size);

    struct bytes want = {{0}, 0};
    put32(&want, PROPLIST_SYNTAX_RESCLASS);
    put32(&want, 4);
    put32(&want, 2); /* CLUS_RESCLASS_NETWORK */
    put_name(&want, "IP Address");
    put32(&want, PROPLIST_SYNTAX_ENDMARK);
    const struct proplist_dep deps[] = {{1, 2, NULL}, {0, 0, "IP Address"}};
    assert_int_equal(proplist_encode_deps(deps, 2, out, sizeof(out), &size), ERROR_SUCCESS);
    assert_int_equal(size, want.n);
    assert_memory_equal(out, want.b, want.n);
}

/* ---------------------------------------------------------------------------------------- */
/* Round trips and the size probe                                                           */
/* ---------------------------------------------------------------------------------------- */

static const struct prop every_syntax[] = {
    {"Dword", PROP_SYNTAX_DWORD, "4294967295"},
    {"Long", PROP_SYNTAX_LONG, "-2147483648"},
    {"Word", PROP_SYNTAX_WORD, "65535"},
    {"ULarge", PROP_SYNTAX_ULARGE_INTEGER, "18446744073709551615"},
    {"Large", PROP_SYNTAX_LARGE_INTEGER, "-9223372036854775808"},
    {"Sz", PROP_SYNTAX_SZ, "h\xc3\xa9llo \xf0\x9f\x98\x80"},
    {"EmptySz", PROP_SYNTAX_SZ, ""},
    {"Expand", PROP_SYNTAX_EXPAND_SZ, "%PATH%/bin"},
    {"Expanded", PROP_SYNTAX_EXPANDED_SZ, "/usr/bin"},
    {"Multi", PROP_SYNTAX_MULTI_SZ, "A=1\nB=\xe2\x82\xac"},
    {"EmptyMulti", PROP_SYNTAX_MULTI_SZ, ""},
    {"Binary", PROP_SYNTAX_BINARY, "00ff10abcd"},
    {"EmptyBinary", PROP_SYNTAX_BINARY, ""},
    {"N\xc3\xa4me", PROP_SYNTAX_DWORD, "0"},
};
#define N_EVERY (sizeof(every_syntax) / sizeof(every_syntax[0]))

static void test_round_trip_every_syntax(void **state)
{
    (void)state;
    size_t size = 0;
    assert_int_equal(proplist_encode(every_syntax, N_EVERY, NULL, 0, &size), ERROR_MORE_DATA);
    uint8_t *buf = malloc(size);
    assert_non_null(buf);
    size_t size2 = 0;
    assert_int_equal(proplist_encode(every_syntax, N_EVERY, buf, size, &size2), ERROR_SUCCESS);
    assert_int_equal(size2, size);
    assert_int_equal(size % 4, 0);

    struct prop *props = NULL;
    size_t n = 0;
    assert_int_equal(proplist_decode(buf, size, &props, &n), ERROR_SUCCESS);
    assert_int_equal(n, N_EVERY);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(props[i].name, every_syntax[i].name);
        assert_int_equal(props[i].syntax, every_syntax[i].syntax);
        assert_string_equal(props[i].value, every_syntax[i].value);
    }
    free(props);
    free(buf);
}

static void test_size_probe(void **state)
{
    (void)state;
    const struct prop props[] = {{"Pi", PROP_SYNTAX_DWORD, "7"}, {"N", PROP_SYNTAX_SZ, "ab"}};
    uint8_t out[68];
    size_t size = 0;
    assert_int_equal(proplist_encode(props, 2, NULL, 0, &size), ERROR_MORE_DATA);
    assert_int_equal(size, 68);
    size = 0;
    assert_int_equal(proplist_encode(props, 2, out, 67, &size), ERROR_MORE_DATA);
    assert_int_equal(size, 68);
    assert_int_equal(proplist_encode_sz("abc", out, 7, &size), ERROR_MORE_DATA);
    assert_int_equal(size, 8);
    assert_int_equal(proplist_encode_sz("abc", NULL, 0, &size), ERROR_MORE_DATA);
    assert_int_equal(size, 8);
    assert_int_equal(proplist_encode(NULL, 0, out, 4, &size), ERROR_SUCCESS);
    assert_int_equal(size, 4);
    struct prop *empty = NULL;
    size_t n = 9;
    assert_int_equal(proplist_decode(out, 4, &empty, &n), ERROR_SUCCESS);
    assert_int_equal(n, 0);
    free(empty);
}

static void test_encode_refuses_bad_values(void **state)
{
    (void)state;
    static const struct prop bad_data[] = {
        {"D", PROP_SYNTAX_DWORD, "abc"},          {"D", PROP_SYNTAX_DWORD, "4294967296"},
        {"D", PROP_SYNTAX_DWORD, "-1"},           {"D", PROP_SYNTAX_DWORD, ""},
        {"D", PROP_SYNTAX_DWORD, " 1"},           {"L", PROP_SYNTAX_LONG, "2147483648"},
        {"L", PROP_SYNTAX_LONG, "-2147483649"},   {"W", PROP_SYNTAX_WORD, "65536"},
        {"U", PROP_SYNTAX_ULARGE_INTEGER, "18446744073709551616"},
        {"I", PROP_SYNTAX_LARGE_INTEGER, "9223372036854775808"},
        {"B", PROP_SYNTAX_BINARY, "abc"},         {"B", PROP_SYNTAX_BINARY, "zz"},
        {"M", PROP_SYNTAX_MULTI_SZ, "a\n\nb"},    {"M", PROP_SYNTAX_MULTI_SZ, "a\n"},
        {"M", PROP_SYNTAX_MULTI_SZ, "\n"},        {"S", PROP_SYNTAX_SZ, "\xff"},
        {"\xc0\x80", PROP_SYNTAX_SZ, "x"},        {"", PROP_SYNTAX_SZ, "x"},
        {"S", PROP_SYNTAX_SZ, NULL},
    };
    size_t size;
    for (size_t i = 0; i < sizeof(bad_data) / sizeof(bad_data[0]); i++) {
        if (proplist_encode(&bad_data[i], 1, NULL, 0, &size) != ERROR_INVALID_DATA)
            fail_msg("entry %zu was not refused as ERROR_INVALID_DATA", i);
    }
    const struct prop unknown = {"X", 0x00010009u /* SECURITY_DESCRIPTOR */, "00"};
    assert_int_equal(proplist_encode(&unknown, 1, NULL, 0, &size), ERROR_INVALID_PARAMETER);
    const char *bad_names[] = {"ok", ""};
    assert_int_equal(proplist_encode_names(bad_names, 2, NULL, 0, &size), ERROR_INVALID_DATA);
}

/* ---------------------------------------------------------------------------------------- */
/* Malformed lists                                                                          */
/* ---------------------------------------------------------------------------------------- */

static void test_decode_every_truncation(void **state)
{
    (void)state;
    struct bytes x;
    reference_list(&x);
    assert_int_equal(decode(&x, x.n), ERROR_SUCCESS);
    for (size_t size = 0; size < x.n; size++) {
        /* a copy of exactly size bytes, so ASan catches a read past it */
        uint8_t *copy = malloc(size ? size : 1);
        memcpy(copy, x.b, size);
        struct prop *props = NULL;
        size_t n = 0;
        uint32_t rc = proplist_decode(copy, size, &props, &n);
        free(copy);
        if (rc == ERROR_SUCCESS)
            fail_msg("a list cut to %zu bytes decoded", size);
        if (size % 4 == 0 && size >= 4 && rc != ERROR_INSUFFICIENT_BUFFER)
            fail_msg("cut to %zu: %u, expected ERROR_INSUFFICIENT_BUFFER", size, rc);
        if ((size % 4 || size < 4) && rc != ERROR_INVALID_DATA)
            fail_msg("cut to %zu: %u, expected ERROR_INVALID_DATA", size, rc);
    }
    assert_int_equal(proplist_decode(NULL, 0, &(struct prop *){NULL}, &(size_t){0}),
                     ERROR_INVALID_DATA);
}

/* Offsets in the reference list. */
#define OFF_COUNT 0
#define OFF_NAME1_SYNTAX 4
#define OFF_NAME1_CB 8
#define OFF_NAME1_DATA 12
#define OFF_VALUE1_SYNTAX 20
#define OFF_VALUE1_CB 24
#define OFF_END1 32
#define OFF_NAME2_DATA 44
#define OFF_VALUE2_SYNTAX 48
#define OFF_VALUE2_CB 52
#define OFF_VALUE2_DATA 56
#define OFF_END2 64

static void set32(struct bytes *x, size_t off, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        x->b[off + i] = (uint8_t)(v >> (8 * i));
}

struct mutation {
    const char *what;
    size_t off;
    uint32_t value;
    size_t size_delta; /* bytes added to the size (zero bytes) */
    uint32_t expected;
};

static void test_decode_malformations(void **state)
{
    (void)state;
    static const struct mutation m[] = {
        {"count larger than the list", OFF_COUNT, 3, 0, ERROR_INSUFFICIENT_BUFFER},
        {"count smaller than the list", OFF_COUNT, 1, 0, ERROR_INVALID_DATA},
        {"absurd count", OFF_COUNT, 0xFFFFFFFFu, 0, ERROR_INSUFFICIENT_BUFFER},
        {"trailing bytes", OFF_COUNT, 2, 4, ERROR_INVALID_DATA},
        {"misaligned size", OFF_COUNT, 2, 2, ERROR_INVALID_DATA},
        {"name with a value syntax", OFF_NAME1_SYNTAX, PROP_SYNTAX_SZ, 0,
         ERROR_INVALID_PARAMETER},
        {"odd name length", OFF_NAME1_CB, 5, 0, ERROR_INVALID_DATA},
        {"name length past the end", OFF_NAME1_CB, 0xFFFFFFFFu, 0, ERROR_INSUFFICIENT_BUFFER},
        {"unterminated name", OFF_NAME1_CB, 4, 0, ERROR_INVALID_DATA},
        {"name with a NUL inside", OFF_NAME1_DATA, 0x00690000u, 0, ERROR_INVALID_DATA},
        {"lone high surrogate", OFF_NAME1_DATA, 0x0069D800u, 0, ERROR_INVALID_DATA},
        {"lone low surrogate", OFF_NAME1_DATA, 0xDC000050u, 0, ERROR_INVALID_DATA},
        {"unknown value syntax", OFF_VALUE1_SYNTAX, 0x00010009u, 0, ERROR_INVALID_PARAMETER},
        {"user format", OFF_VALUE1_SYNTAX, 0x00018000u, 0, ERROR_INVALID_PARAMETER},
        {"value end mark instead of a value", OFF_VALUE1_SYNTAX, 0, 0, ERROR_INVALID_DATA},
        {"short DWORD", OFF_VALUE1_CB, 2, 0, ERROR_INVALID_DATA},
        {"long DWORD", OFF_VALUE1_CB, 8, 0, ERROR_INVALID_DATA},
        {"missing end mark", OFF_END1, PROPLIST_SYNTAX_NAME, 0, ERROR_INVALID_DATA},
        {"unterminated string value", OFF_VALUE2_DATA + 4, 0x00000063u, 0, ERROR_INVALID_DATA},
        {"string value as a MULTI_SZ without final NUL", OFF_VALUE2_SYNTAX,
         PROP_SYNTAX_MULTI_SZ, 0, ERROR_INVALID_DATA},
        {"string length 0", OFF_VALUE2_CB, 0, 0, ERROR_INVALID_DATA},
        {"empty name", OFF_NAME2_DATA, 0, 0, ERROR_INVALID_DATA},
        {"second end mark missing", OFF_END2, 1, 0, ERROR_INVALID_DATA},
    };
    for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
        struct bytes x;
        reference_list(&x);
        set32(&x, m[i].off, m[i].value);
        uint32_t rc = decode(&x, x.n + m[i].size_delta);
        if (rc != m[i].expected)
            fail_msg("%s: %u, expected %u", m[i].what, rc, m[i].expected);
    }
}

/* MULTI_SZ data given by hand: units, cbLength = 2 * n. */
static uint32_t decode_multi(const uint16_t *units, size_t n)
{
    struct bytes x = {{0}, 0};
    put32(&x, 1);
    put_name(&x, "M");
    put32(&x, PROP_SYNTAX_MULTI_SZ);
    put32(&x, (uint32_t)(2 * n));
    for (size_t i = 0; i < n; i++)
        put16(&x, units[i]);
    pad(&x);
    put32(&x, PROPLIST_SYNTAX_ENDMARK);
    return decode(&x, x.n);
}

static void test_decode_multi_sz_rules(void **state)
{
    (void)state;
    assert_int_equal(decode_multi((const uint16_t[]){0}, 1), ERROR_SUCCESS);
    assert_int_equal(decode_multi((const uint16_t[]){'a', 0, 0}, 3), ERROR_SUCCESS);
    assert_int_equal(decode_multi((const uint16_t[]){'a', 0}, 2), ERROR_INVALID_DATA);
    assert_int_equal(decode_multi((const uint16_t[]){0, 0}, 2), ERROR_INVALID_DATA);
    assert_int_equal(decode_multi((const uint16_t[]){'a', 0, 0, 'b', 0, 0}, 6),
                     ERROR_INVALID_DATA);
    assert_int_equal(decode_multi((const uint16_t[]){'a', '\n', 'b', 0, 0}, 5),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(decode_multi((const uint16_t[]){'a'}, 1), ERROR_INVALID_DATA);
    assert_int_equal(decode_multi(NULL, 0), ERROR_INVALID_DATA);
}

static void test_decode_two_values_refused(void **state)
{
    (void)state;
    struct bytes x = {{0}, 0};
    put32(&x, 1);
    put_name(&x, "P");
    put_dword_value(&x, 1);
    put_dword_value(&x, 2);
    put32(&x, PROPLIST_SYNTAX_ENDMARK);
    assert_int_equal(decode(&x, x.n), ERROR_INVALID_DATA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_bytes),
        cmocka_unit_test(test_exact_multi_sz_and_numbers),
        cmocka_unit_test(test_exact_names_sz_deps),
        cmocka_unit_test(test_round_trip_every_syntax),
        cmocka_unit_test(test_size_probe),
        cmocka_unit_test(test_encode_refuses_bad_values),
        cmocka_unit_test(test_decode_every_truncation),
        cmocka_unit_test(test_decode_malformations),
        cmocka_unit_test(test_decode_multi_sz_rules),
        cmocka_unit_test(test_decode_two_values_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
