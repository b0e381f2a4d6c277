/*
 * wire — field codec shared by the RPC protocol and the cluster-database commands.
 * See wire.h for the format.
 */
#include "common/wire.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define WIRE_HEADER 6u /* tag (2) + length (4) */

/* ------------------------------------------------------------------------------------------ */
/* Writer                                                                                      */
/* ------------------------------------------------------------------------------------------ */

void wire_writer_init(struct wire_writer *w)
{
    memset(w, 0, sizeof(*w));
}

void wire_writer_done(struct wire_writer *w)
{
    free(w->data);
    memset(w, 0, sizeof(*w));
}

bool wire_writer_failed(const struct wire_writer *w)
{
    return w->failed;
}

uint8_t *wire_writer_take(struct wire_writer *w, size_t *ret_len)
{
    uint8_t *data;

    if (w->failed) {
        wire_writer_done(w);
        return NULL;
    }
    data = w->data ? w->data : malloc(1); /* an empty message is still a buffer to free */
    if (data == NULL)
        return NULL;
    *ret_len = w->len;
    memset(w, 0, sizeof(*w));
    return data;
}

/* Makes room for n more bytes; false (and the writer failed) if it cannot. */
static bool reserve(struct wire_writer *w, size_t n)
{
    size_t cap;
    uint8_t *data;

    if (w->failed)
        return false;
    if (n > WIRE_MAX_MESSAGE || w->len + n > WIRE_MAX_MESSAGE) {
        w->failed = true;
        return false;
    }
    if (w->len + n <= w->cap)
        return true;
    cap = w->cap ? w->cap : 64;
    while (cap < w->len + n)
        cap *= 2;
    data = realloc(w->data, cap);
    if (data == NULL) {
        w->failed = true;
        return false;
    }
    w->data = data;
    w->cap = cap;
    return true;
}

void wire_le_put(uint8_t *p, uint64_t v, unsigned width)
{
    for (unsigned i = 0; i < width; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

uint64_t wire_le_get(const uint8_t *p, unsigned width)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < width; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

void wire_put_blob(struct wire_writer *w, uint16_t tag, const void *p, size_t n)
{
    if (!reserve(w, WIRE_HEADER + n))
        return;
    wire_le_put(w->data + w->len, tag, 2);
    wire_le_put(w->data + w->len + 2, n, 4);
    if (n > 0)
        memcpy(w->data + w->len + WIRE_HEADER, p, n);
    w->len += WIRE_HEADER + n;
}

void wire_put_raw(struct wire_writer *w, const void *fields, size_t n)
{
    if (n == 0 || !reserve(w, n))
        return;
    memcpy(w->data + w->len, fields, n);
    w->len += n;
}

void wire_put_u32(struct wire_writer *w, uint16_t tag, uint32_t v)
{
    uint8_t b[4];

    wire_le_put(b, v, 4);
    wire_put_blob(w, tag, b, sizeof(b));
}

void wire_put_u64(struct wire_writer *w, uint16_t tag, uint64_t v)
{
    uint8_t b[8];

    wire_le_put(b, v, 8);
    wire_put_blob(w, tag, b, sizeof(b));
}

void wire_put_i64(struct wire_writer *w, uint16_t tag, int64_t v)
{
    wire_put_u64(w, tag, (uint64_t)v);
}

void wire_put_str(struct wire_writer *w, uint16_t tag, const char *s)
{
    if (s != NULL)
        wire_put_blob(w, tag, s, strlen(s));
}

size_t wire_begin(struct wire_writer *w, uint16_t tag)
{
    size_t mark = w->len;

    wire_put_blob(w, tag, NULL, 0);
    return mark;
}

void wire_end(struct wire_writer *w, size_t mark)
{
    if (w->failed)
        return;
    wire_le_put(w->data + mark + 2, w->len - mark - WIRE_HEADER, 4);
}

/* ------------------------------------------------------------------------------------------ */
/* Reader                                                                                      */
/* ------------------------------------------------------------------------------------------ */

void wire_reader_init(struct wire_reader *r, const void *data, size_t len)
{
    r->data = data;
    r->len = len;
    r->pos = 0;
}

int wire_next(struct wire_reader *r, struct wire_field *ret)
{
    size_t left = r->len - r->pos;
    uint32_t n;

    if (left == 0)
        return 0;
    if (left < WIRE_HEADER)
        return -EBADMSG;
    n = (uint32_t)wire_le_get(r->data + r->pos + 2, 4);
    if (n > left - WIRE_HEADER)
        return -EBADMSG;
    ret->tag = (uint16_t)wire_le_get(r->data + r->pos, 2);
    ret->len = n;
    ret->value = r->data + r->pos + WIRE_HEADER;
    r->pos += WIRE_HEADER + n;
    return 1;
}

int wire_validate(const void *data, size_t len)
{
    struct wire_reader r;
    struct wire_field f;
    int rv;

    if (len > WIRE_MAX_MESSAGE)
        return -EBADMSG;
    wire_reader_init(&r, data, len);
    while ((rv = wire_next(&r, &f)) > 0)
        ;
    return rv;
}

int wire_find(const void *data, size_t len, uint16_t tag, struct wire_field *ret)
{
    struct wire_reader r;
    struct wire_field f;
    int rv;

    wire_reader_init(&r, data, len);
    while ((rv = wire_next(&r, &f)) > 0) {
        if (f.tag == tag) {
            *ret = f;
            return 0;
        }
    }
    return rv == 0 ? -ENOENT : rv;
}

bool wire_has(const void *data, size_t len, uint16_t tag)
{
    struct wire_field f;

    return data != NULL && wire_find(data, len, tag, &f) == 0;
}

int wire_field_u32(const struct wire_field *f, uint32_t *ret)
{
    if (f->len != 4)
        return -EBADMSG;
    *ret = (uint32_t)wire_le_get(f->value, 4);
    return 0;
}

int wire_field_u64(const struct wire_field *f, uint64_t *ret)
{
    if (f->len != 8)
        return -EBADMSG;
    *ret = wire_le_get(f->value, 8);
    return 0;
}

int wire_field_i64(const struct wire_field *f, int64_t *ret)
{
    uint64_t v;
    int rv = wire_field_u64(f, &v);

    if (rv == 0)
        *ret = (int64_t)v;
    return rv;
}

/* Well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, at most U+10FFFF) without NUL. */
static bool utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        uint8_t c = s[i];
        unsigned extra;
        uint32_t cp, min;

        if (c == 0)
            return false;
        if (c < 0x80) {
            i++;
            continue;
        }
        if ((c & 0xE0) == 0xC0) {
            extra = 1, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if (n - i <= extra)
            return false;
        for (unsigned k = 1; k <= extra; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += extra + 1;
    }
    return true;
}

int wire_field_strdup(const struct wire_field *f, char **ret)
{
    char *s;

    if (!utf8_valid(f->value, f->len))
        return -EBADMSG;
    s = malloc((size_t)f->len + 1);
    if (s == NULL)
        return -ENOMEM;
    memcpy(s, f->value, f->len);
    s[f->len] = '\0';
    *ret = s;
    return 0;
}

int wire_get_u32(const void *data, size_t len, uint16_t tag, uint32_t *ret)
{
    struct wire_field f;
    int rv = wire_find(data, len, tag, &f);

    return rv < 0 ? rv : wire_field_u32(&f, ret);
}

int wire_get_u64(const void *data, size_t len, uint16_t tag, uint64_t *ret)
{
    struct wire_field f;
    int rv = wire_find(data, len, tag, &f);

    return rv < 0 ? rv : wire_field_u64(&f, ret);
}

int wire_get_strdup(const void *data, size_t len, uint16_t tag, char **ret)
{
    struct wire_field f;
    int rv = wire_find(data, len, tag, &f);

    return rv < 0 ? rv : wire_field_strdup(&f, ret);
}
