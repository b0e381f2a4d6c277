#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/wire.h"

static uint8_t *build(size_t *len)
{
    struct wire_writer w;
    size_t mark;

    wire_writer_init(&w);
    wire_put_u32(&w, 1, 0xDEADBEEF);
    wire_put_u64(&w, 2, 0x0102030405060708ull);
    wire_put_str(&w, 3, "n\xC3\xA9ud");
    mark = wire_begin(&w, 4);
    wire_put_str(&w, 1, "inner");
    wire_end(&w, mark);
    wire_put_i64(&w, 5, -7);
    return wire_writer_take(&w, len);
}

static void test_roundtrip(void **state)
{
    size_t len;
    uint8_t *m = build(&len);
    uint32_t u32;
    uint64_t u64;
    int64_t i64;
    char *s;
    struct wire_field f;

    assert_non_null(m);
    assert_int_equal(wire_validate(m, len), 0);
    assert_int_equal(wire_get_u32(m, len, 1, &u32), 0);
    assert_int_equal(u32, 0xDEADBEEF);
    assert_int_equal(wire_get_u64(m, len, 2, &u64), 0);
    assert_true(u64 == 0x0102030405060708ull);
    assert_int_equal(wire_get_strdup(m, len, 3, &s), 0);
    assert_string_equal(s, "n\xC3\xA9ud");
    free(s);
    assert_int_equal(wire_find(m, len, 4, &f), 0);
    assert_int_equal(wire_get_strdup(f.value, f.len, 1, &s), 0);
    assert_string_equal(s, "inner");
    free(s);
    assert_int_equal(wire_find(m, len, 5, &f), 0);
    assert_int_equal(wire_field_i64(&f, &i64), 0);
    assert_int_equal(i64, -7);
    assert_int_equal(wire_get_u32(m, len, 9, &u32), -ENOENT);
    assert_true(wire_has(m, len, 5));
    assert_false(wire_has(m, len, 9));
    assert_false(wire_has(NULL, 0, 5));
    free(m);
}

static void test_little_endian_layout(void **state)
{
    struct wire_writer w;
    size_t len;
    uint8_t *m;
    const uint8_t expect[] = {0x07, 0x00, 0x04, 0x00, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12};

    wire_writer_init(&w);
    wire_put_u32(&w, 7, 0x12345678);
    m = wire_writer_take(&w, &len);
    assert_int_equal(len, sizeof(expect));
    assert_memory_equal(m, expect, sizeof(expect));
    free(m);
}

static void test_truncation_detected(void **state)
{
    size_t len;
    uint8_t *m = build(&len);

    for (size_t cut = 1; cut < len; cut++) {
        int rv = wire_validate(m, cut);
        struct wire_reader r;
        struct wire_field f;
        size_t seen = 0;

        /* A cut can land exactly on a field boundary: then the prefix is valid and shorter. */
        if (rv == 0) {
            wire_reader_init(&r, m, cut);
            while (wire_next(&r, &f) > 0)
                seen += 6 + f.len;
            assert_int_equal(seen, cut);
        } else {
            assert_int_equal(rv, -EBADMSG);
        }
    }
    free(m);
}

static void test_wrong_width_and_bad_utf8(void **state)
{
    struct wire_writer w;
    size_t len;
    uint8_t *m;
    uint32_t u32;
    uint64_t u64;
    char *s = NULL;
    const char bad[][5] = {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82", "\xFF"};

    wire_writer_init(&w);
    wire_put_u64(&w, 1, 5);
    wire_put_blob(&w, 2, "a\0b", 3);
    for (unsigned i = 0; i < 5; i++)
        wire_put_str(&w, (uint16_t)(10 + i), bad[i]);
    m = wire_writer_take(&w, &len);
    assert_int_equal(wire_get_u32(m, len, 1, &u32), -EBADMSG);
    assert_int_equal(wire_get_u64(m, len, 1, &u64), 0);
    assert_int_equal(wire_get_strdup(m, len, 2, &s), -EBADMSG);
    for (unsigned i = 0; i < 5; i++)
        assert_int_equal(wire_get_strdup(m, len, (uint16_t)(10 + i), &s), -EBADMSG);
    assert_null(s);
    free(m);
}

static void test_oversize_fails_writer(void **state)
{
    struct wire_writer w;
    size_t len = 0;

    wire_writer_init(&w);
    wire_put_blob(&w, 1, "x", WIRE_MAX_MESSAGE + 1);
    assert_true(wire_writer_failed(&w));
    wire_put_u32(&w, 2, 1); /* no-op after failure */
    assert_null(wire_writer_take(&w, &len));
    assert_int_equal(len, 0);
}

static void test_length_overflow_rejected(void **state)
{
    const uint8_t m[] = {0x01, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00};

    assert_int_equal(wire_validate(m, sizeof(m)), -EBADMSG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_little_endian_layout),
        cmocka_unit_test(test_truncation_detected),
        cmocka_unit_test(test_wrong_width_and_bad_utf8),
        cmocka_unit_test(test_oversize_fails_writer),
        cmocka_unit_test(test_length_overflow_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
