/*
 * fuzz_wire — the field codec every RPC message, database command and cluster.conf goes through.
 *
 * Invariants: a message that validates is exactly the concatenation of its fields, so writing
 * each field back gives the same bytes; wire_find returns the first field of a tag; the typed
 * views accept exactly their width and give back what the writer put; a string view is a copy
 * of the value without NUL. Fields whose value validates are walked as nested messages too.
 */
#include "fuzz.h"

#include <errno.h>

#include "common/wire.h"

#define MAX_DEPTH 4

static void check_typed(const struct wire_field *f)
{
    struct wire_writer w;
    struct wire_field back;
    uint32_t u32;
    uint64_t u64;
    char *s;
    uint8_t *buf;
    size_t len;
    int rv;

    rv = wire_field_u32(f, &u32);
    FUZZ_CHECK((rv == 0) == (f->len == 4));
    rv = wire_field_u64(f, &u64);
    FUZZ_CHECK((rv == 0) == (f->len == 8));
    rv = wire_field_strdup(f, &s);
    FUZZ_CHECK(rv == 0 || rv == -EBADMSG);
    if (rv == 0) {
        FUZZ_CHECK(strlen(s) == f->len && memcmp(s, f->value, f->len) == 0);
        /* a string written back reads back the same */
        wire_writer_init(&w);
        wire_put_str(&w, f->tag, s);
        buf = wire_writer_take(&w, &len);
        FUZZ_CHECK(buf != NULL && len == 6 + f->len);
        FUZZ_CHECK(wire_find(buf, len, f->tag, &back) == 0 && back.len == f->len);
        free(buf);
        free(s);
    } else {
        FUZZ_CHECK(f->len != 0); /* the empty string is always valid */
    }
    if (f->len == 8) {
        wire_writer_init(&w);
        wire_put_u64(&w, 7, u64);
        buf = wire_writer_take(&w, &len);
        FUZZ_CHECK(buf != NULL && wire_get_u64(buf, len, 7, &u64) == 0);
        FUZZ_CHECK(memcmp(buf + 6, f->value, 8) == 0);
        free(buf);
    }
}

static void walk(const uint8_t *data, size_t size, unsigned depth)
{
    struct wire_reader r;
    struct wire_field f, first;
    struct wire_writer w;
    uint8_t *back;
    size_t len, total = 0;
    int rv, found;

    rv = wire_validate(data, size);
    FUZZ_CHECK(rv == 0 || rv == -EBADMSG);
    wire_writer_init(&w);
    wire_reader_init(&r, data, size);
    while ((rv = wire_next(&r, &f)) > 0) {
        FUZZ_CHECK(f.value >= data + 6 && f.value + f.len <= data + size);
        total += 6 + (size_t)f.len;
        found = wire_find(data, size, f.tag, &first);
        FUZZ_CHECK(found == 0 && first.value <= f.value);
        check_typed(&f);
        wire_put_blob(&w, f.tag, f.value, f.len);
        if (depth < MAX_DEPTH && f.len > 0 && wire_validate(f.value, f.len) == 0)
            walk(f.value, f.len, depth + 1);
    }
    FUZZ_CHECK(rv == 0 || rv == -EBADMSG);
    back = wire_writer_take(&w, &len);
    FUZZ_CHECK(back != NULL);
    if (rv == 0) {
        /* well formed: the fields cover the message exactly and write back to the same bytes */
        FUZZ_CHECK(size > WIRE_MAX_MESSAGE || wire_validate(data, size) == 0);
        FUZZ_CHECK(total == size && len == size && memcmp(back, data, size) == 0);
    } else {
        FUZZ_CHECK(wire_validate(data, size) == -EBADMSG);
        FUZZ_CHECK(total < size && len == total && memcmp(back, data, total) == 0);
    }
    free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    walk(data, size, 0);
    return 0;
}
