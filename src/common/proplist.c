/*
 * proplist — CLUSPROP property lists to and from struct prop arrays (see proplist.h).
 *
 * Both directions run the same code twice where sizes are needed first: the encoder's writer
 * counts bytes past the end of the caller's buffer instead of writing them, so the required size
 * falls out of one pass; the decoder runs once into a counting sink (which also validates) and
 * once into the single block it returns.
 */
#include "common/proplist.h"

#include <assert.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clusapi_wintypes.h"
#include "common/hex.h"
#include "common/utf16.h"

#define ALIGN4(n) (((n) + 3u) & ~(size_t)3u)

/* ---------------------------------------------------------------------------------------- */
/* Encoding                                                                                 */
/* ---------------------------------------------------------------------------------------- */

struct writer {
    uint8_t *buf;
    size_t cap;
    size_t len; /* bytes produced so far, also those that did not fit */
};

static void w_byte(struct writer *w, uint8_t b)
{
    if (w->buf && w->len < w->cap)
        w->buf[w->len] = b;
    w->len++;
}

static void w_u16(struct writer *w, uint16_t v)
{
    w_byte(w, (uint8_t)v);
    w_byte(w, (uint8_t)(v >> 8));
}

static void w_u32(struct writer *w, uint32_t v)
{
    w_u16(w, (uint16_t)v);
    w_u16(w, (uint16_t)(v >> 16));
}

static void w_pad(struct writer *w)
{
    while (w->len % 4)
        w_byte(w, 0);
}

/* Writes (when w is not NULL) the UTF-16 units of the n UTF-8 bytes at s; returns their count,
 * or -1 if s is not UTF-8 or holds a NUL. */
static long utf8_units(const char *s, size_t n, struct writer *w)
{
    long units = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int len = utf8_decode(s + i, n - i, &cp);
        if (len < 0 || cp == 0)
            return -1;
        i += (size_t)len;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            if (w) {
                w_u16(w, (uint16_t)(0xD800 + (cp >> 10)));
                w_u16(w, (uint16_t)(0xDC00 + (cp & 0x3FF)));
            }
            units += 2;
        } else {
            if (w)
                w_u16(w, (uint16_t)cp);
            units++;
        }
    }
    return units;
}

/* An entry holding the UTF-8 string s (n bytes) as UTF-16 with its NUL. */
static uint32_t w_sz_entry(struct writer *w, uint32_t syntax, const char *s, size_t n)
{
    long units = utf8_units(s, n, NULL);
    if (units < 0 || (uint64_t)units >= UINT32_MAX / 2)
        return ERROR_INVALID_DATA;
    w_u32(w, syntax);
    w_u32(w, (uint32_t)(units + 1) * 2);
    utf8_units(s, n, w);
    w_u16(w, 0);
    w_pad(w);
    return ERROR_SUCCESS;
}

/* Strict decimal: digits only (a leading '-' when is_signed), within [min, max]. */
static bool parse_dec(const char *s, bool is_signed, int64_t min, uint64_t max, uint64_t *ret)
{
    bool neg = is_signed && *s == '-';
    const char *p = s + (neg ? 1 : 0);
    uint64_t v = 0;
    if (*p == '\0')
        return false;
    for (; *p; p++) {
        uint64_t digit = (uint64_t)(*p - '0');
        if (*p < '0' || *p > '9' || v > (UINT64_MAX - digit) / 10)
            return false;
        v = v * 10 + digit;
    }
    if (neg) {
        if (v > (uint64_t)INT64_MAX + 1)
            return false;
        int64_t sv = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
        if (sv < min)
            return false;
        *ret = (uint64_t)sv;
        return true;
    }
    if (v > max)
        return false;
    *ret = v;
    return true;
}

static uint32_t w_number(struct writer *w, uint32_t syntax, const char *text)
{
    uint64_t v;
    bool ok;
    uint32_t cb;
    switch (syntax) {
    case PROP_SYNTAX_DWORD: ok = parse_dec(text, false, 0, UINT32_MAX, &v), cb = 4; break;
    case PROP_SYNTAX_LONG: ok = parse_dec(text, true, INT32_MIN, INT32_MAX, &v), cb = 4; break;
    case PROP_SYNTAX_WORD: ok = parse_dec(text, false, 0, UINT16_MAX, &v), cb = 2; break;
    case PROP_SYNTAX_ULARGE_INTEGER: ok = parse_dec(text, false, 0, UINT64_MAX, &v), cb = 8; break;
    default: ok = parse_dec(text, true, INT64_MIN, INT64_MAX, &v), cb = 8; break;
    }
    if (!ok)
        return ERROR_INVALID_DATA;
    w_u32(w, syntax);
    w_u32(w, cb);
    for (uint32_t i = 0; i < cb; i++)
        w_byte(w, (uint8_t)(v >> (8 * i)));
    w_pad(w);
    return ERROR_SUCCESS;
}

static uint32_t w_binary(struct writer *w, const char *hex)
{
    size_t n = strlen(hex);
    if (n % 2 || n / 2 > UINT32_MAX)
        return ERROR_INVALID_DATA;
    for (size_t i = 0; i < n; i++) {
        if (hex_value(hex[i]) < 0)
            return ERROR_INVALID_DATA;
    }
    w_u32(w, PROP_SYNTAX_BINARY);
    w_u32(w, (uint32_t)(n / 2));
    for (size_t i = 0; i < n; i += 2)
        w_byte(w, (uint8_t)(hex_value(hex[i]) << 4 | hex_value(hex[i + 1])));
    w_pad(w);
    return ERROR_SUCCESS;
}

/* The strings of text joined by '\n', each with its NUL, then the final NUL. */
static uint32_t w_multi_sz(struct writer *w, const char *text)
{
    uint64_t units = 1;
    for (const char *p = text; *text;) {
        size_t n = strcspn(p, "\n");
        long u = utf8_units(p, n, NULL);
        if (n == 0 || u < 0) /* an empty string would end the list early */
            return ERROR_INVALID_DATA;
        units += (uint64_t)u + 1;
        if (p[n] == '\0')
            break;
        p += n + 1;
        if (*p == '\0')
            return ERROR_INVALID_DATA; /* a trailing '\n': an empty last string */
    }
    if (units >= UINT32_MAX / 2)
        return ERROR_INVALID_DATA;
    w_u32(w, PROP_SYNTAX_MULTI_SZ);
    w_u32(w, (uint32_t)units * 2);
    for (const char *p = text; *text;) {
        size_t n = strcspn(p, "\n");
        utf8_units(p, n, w);
        w_u16(w, 0);
        if (p[n] == '\0')
            break;
        p += n + 1;
    }
    w_u16(w, 0);
    w_pad(w);
    return ERROR_SUCCESS;
}

static uint32_t w_value(struct writer *w, const struct prop *p)
{
    if (!p->value)
        return ERROR_INVALID_DATA;
    switch (p->syntax) {
    case PROP_SYNTAX_SZ:
    case PROP_SYNTAX_EXPAND_SZ:
    case PROP_SYNTAX_EXPANDED_SZ:
        return w_sz_entry(w, p->syntax, p->value, strlen(p->value));
    case PROP_SYNTAX_MULTI_SZ:
        return w_multi_sz(w, p->value);
    case PROP_SYNTAX_BINARY:
        return w_binary(w, p->value);
    case PROP_SYNTAX_DWORD:
    case PROP_SYNTAX_LONG:
    case PROP_SYNTAX_WORD:
    case PROP_SYNTAX_ULARGE_INTEGER:
    case PROP_SYNTAX_LARGE_INTEGER:
        return w_number(w, p->syntax, p->value);
    default:
        return ERROR_INVALID_PARAMETER;
    }
}

static uint32_t w_finish(const struct writer *w, size_t *ret_size)
{
    if (w->len > UINT32_MAX)
        return ERROR_INVALID_DATA; /* a DWORD could not report the size */
    *ret_size = w->len;
    return w->len > w->cap || (!w->buf && w->len) ? ERROR_MORE_DATA : ERROR_SUCCESS;
}

uint32_t proplist_encode(const struct prop *props, size_t n, void *buf, size_t cap,
                         size_t *ret_size)
{
    assert(ret_size && (props || n == 0));
    struct writer w = {buf, buf ? cap : 0, 0};
    if (n > UINT32_MAX)
        return ERROR_INVALID_PARAMETER;
    w_u32(&w, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        uint32_t rc;
        if (!props[i].name || !props[i].name[0])
            return ERROR_INVALID_DATA;
        rc = w_sz_entry(&w, PROPLIST_SYNTAX_NAME, props[i].name, strlen(props[i].name));
        if (rc == ERROR_SUCCESS)
            rc = w_value(&w, &props[i]);
        if (rc != ERROR_SUCCESS)
            return rc;
        w_u32(&w, PROPLIST_SYNTAX_ENDMARK);
    }
    return w_finish(&w, ret_size);
}

uint32_t proplist_encode_names(const char *const *names, size_t n, void *buf, size_t cap,
                               size_t *ret_size)
{
    assert(ret_size && (names || n == 0));
    struct writer w = {buf, buf ? cap : 0, 0};
    for (size_t i = 0; i < n; i++) {
        if (!names[i] || !names[i][0] || utf8_units(names[i], strlen(names[i]), &w) < 0)
            return ERROR_INVALID_DATA;
        w_u16(&w, 0);
    }
    w_u16(&w, 0);
    return w_finish(&w, ret_size);
}

uint32_t proplist_encode_sz(const char *utf8, void *buf, size_t cap, size_t *ret_size)
{
    assert(ret_size);
    struct writer w = {buf, buf ? cap : 0, 0};
    if (!utf8 || utf8_units(utf8, strlen(utf8), &w) < 0)
        return ERROR_INVALID_DATA;
    w_u16(&w, 0);
    return w_finish(&w, ret_size);
}

uint32_t proplist_encode_deps(const struct proplist_dep *deps, size_t n, void *buf, size_t cap,
                              size_t *ret_size)
{
    assert(ret_size && (deps || n == 0));
    struct writer w = {buf, buf ? cap : 0, 0};
    for (size_t i = 0; i < n; i++) {
        if (deps[i].is_class) {
            w_u32(&w, PROPLIST_SYNTAX_RESCLASS);
            w_u32(&w, 4);
            w_u32(&w, deps[i].resclass);
        } else if (!deps[i].type_name || w_sz_entry(&w, PROPLIST_SYNTAX_NAME, deps[i].type_name,
                                                    strlen(deps[i].type_name))) {
            return ERROR_INVALID_DATA;
        }
    }
    w_u32(&w, PROPLIST_SYNTAX_ENDMARK);
    return w_finish(&w, ret_size);
}

/* ---------------------------------------------------------------------------------------- */
/* Decoding                                                                                 */
/* ---------------------------------------------------------------------------------------- */

struct reader {
    const uint8_t *p;
    size_t size;
    size_t off;
};

/* Where decoded strings go: counted only (base NULL), or copied into base. */
struct sink {
    char *base;
    size_t used;
};

static const char *sink_put(struct sink *s, const char *bytes, size_t n)
{
    char *at = s->base ? s->base + s->used : NULL;
    if (at)
        memcpy(at, bytes, n);
    s->used += n;
    return at;
}

static uint32_t r_u32(struct reader *r, uint32_t *ret)
{
    if (r->size - r->off < 4)
        return ERROR_INSUFFICIENT_BUFFER;
    const uint8_t *b = r->p + r->off;
    *ret = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    r->off += 4;
    return ERROR_SUCCESS;
}

static uint16_t unit_at(const uint8_t *b, size_t i)
{
    return (uint16_t)(b[2 * i] | b[2 * i + 1] << 8);
}

/* Appends the UTF-8 form of the n UTF-16LE units at b (no NUL among them) to the sink. */
static uint32_t put_utf16(struct sink *s, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = unit_at(b, i);
        char out[4];
        size_t len;
        if (cp == 0)
            return ERROR_INVALID_DATA;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < n && unit_at(b, i + 1) >= 0xDC00 &&
            unit_at(b, i + 1) <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (unit_at(b, i + 1) - 0xDC00u);
            i++;
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            return ERROR_INVALID_DATA; /* unpaired surrogate */
        }
        if (cp < 0x80) {
            out[0] = (char)cp, len = 1;
        } else if (cp < 0x800) {
            out[0] = (char)(0xC0 | cp >> 6), out[1] = (char)(0x80 | (cp & 0x3F)), len = 2;
        } else if (cp < 0x10000) {
            out[0] = (char)(0xE0 | cp >> 12), out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
            out[2] = (char)(0x80 | (cp & 0x3F)), len = 3;
        } else {
            out[0] = (char)(0xF0 | cp >> 18), out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
            out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), out[3] = (char)(0x80 | (cp & 0x3F));
            len = 4;
        }
        sink_put(s, out, len);
    }
    return ERROR_SUCCESS;
}

/* Reads one entry's header and returns its data (cb bytes, padding checked to fit). */
static uint32_t r_entry(struct reader *r, uint32_t *ret_syntax, const uint8_t **ret_data,
                        uint32_t *ret_cb)
{
    uint32_t rc = r_u32(r, ret_syntax);
    if (rc == ERROR_SUCCESS)
        rc = r_u32(r, ret_cb);
    if (rc != ERROR_SUCCESS)
        return rc;
    if (ALIGN4((size_t)*ret_cb) > r->size - r->off)
        return ERROR_INSUFFICIENT_BUFFER;
    *ret_data = r->p + r->off;
    r->off += ALIGN4((size_t)*ret_cb);
    return ERROR_SUCCESS;
}

/* A string value: whole UTF-16 units, the last one the only NUL. */
static uint32_t put_sz(struct sink *s, const uint8_t *data, uint32_t cb)
{
    if (cb < 2 || cb % 2 || unit_at(data, cb / 2 - 1) != 0)
        return ERROR_INVALID_DATA;
    return put_utf16(s, data, cb / 2 - 1);
}

static uint32_t put_multi_sz(struct sink *s, const uint8_t *data, uint32_t cb)
{
    size_t n = cb / 2, i = 0;
    if (cb < 2 || cb % 2 || unit_at(data, n - 1) != 0)
        return ERROR_INVALID_DATA;
    while (i < n - 1) {
        size_t start = i;
        while (unit_at(data, i) != 0)
            i++; /* stops at the latest at n - 1 */
        if (i == start || i == n - 1)
            return ERROR_INVALID_DATA; /* an empty string inside, or no final NUL */
        for (size_t k = start; k < i; k++) {
            if (unit_at(data, k) == '\n')
                return ERROR_INVALID_PARAMETER;
        }
        if (start > 0)
            sink_put(s, "\n", 1);
        uint32_t rc = put_utf16(s, data + 2 * start, i - start);
        if (rc != ERROR_SUCCESS)
            return rc;
        i++;
    }
    return ERROR_SUCCESS;
}

static uint32_t put_number(struct sink *s, uint32_t syntax, const uint8_t *data, uint32_t cb)
{
    uint32_t want = syntax == PROP_SYNTAX_WORD ? 2
                    : syntax == PROP_SYNTAX_DWORD || syntax == PROP_SYNTAX_LONG ? 4
                                                                                : 8;
    uint64_t v = 0;
    char text[24];
    if (cb != want)
        return ERROR_INVALID_DATA;
    for (uint32_t i = 0; i < cb; i++)
        v |= (uint64_t)data[i] << (8 * i);
    if (syntax == PROP_SYNTAX_LONG)
        snprintf(text, sizeof(text), "%" PRId32, (int32_t)(uint32_t)v);
    else if (syntax == PROP_SYNTAX_LARGE_INTEGER)
        snprintf(text, sizeof(text), "%" PRId64, (int64_t)v);
    else
        snprintf(text, sizeof(text), "%" PRIu64, v);
    sink_put(s, text, strlen(text));
    return ERROR_SUCCESS;
}

static uint32_t put_value(struct sink *s, uint32_t syntax, const uint8_t *data, uint32_t cb)
{
    static const char digits[] = "0123456789abcdef";
    switch (syntax) {
    case PROP_SYNTAX_SZ:
    case PROP_SYNTAX_EXPAND_SZ:
    case PROP_SYNTAX_EXPANDED_SZ:
        return put_sz(s, data, cb);
    case PROP_SYNTAX_MULTI_SZ:
        return put_multi_sz(s, data, cb);
    case PROP_SYNTAX_BINARY:
        for (uint32_t i = 0; i < cb; i++) {
            char pair[2] = {digits[data[i] >> 4], digits[data[i] & 15]};
            sink_put(s, pair, 2);
        }
        return ERROR_SUCCESS;
    case PROP_SYNTAX_DWORD:
    case PROP_SYNTAX_LONG:
    case PROP_SYNTAX_WORD:
    case PROP_SYNTAX_ULARGE_INTEGER:
    case PROP_SYNTAX_LARGE_INTEGER:
        return put_number(s, syntax, data, cb);
    default:
        return ERROR_INVALID_PARAMETER;
    }
}

/* One property: name entry, value entry, end mark. Fills *p when the sink copies. */
static uint32_t r_property(struct reader *r, struct sink *s, struct prop *p)
{
    uint32_t syntax, cb, rc;
    const uint8_t *data;
    const char *name, *value;
    if ((rc = r_entry(r, &syntax, &data, &cb)) != ERROR_SUCCESS)
        return rc;
    if (syntax != PROPLIST_SYNTAX_NAME)
        return ERROR_INVALID_PARAMETER;
    name = s->base ? s->base + s->used : NULL;
    if ((rc = put_sz(s, data, cb)) != ERROR_SUCCESS)
        return rc;
    if (cb == 2)
        return ERROR_INVALID_DATA; /* an empty name */
    sink_put(s, "", 1);
    if ((rc = r_entry(r, &syntax, &data, &cb)) != ERROR_SUCCESS)
        return rc;
    if (syntax == PROPLIST_SYNTAX_ENDMARK)
        return ERROR_INVALID_DATA; /* a name without a value */
    value = s->base ? s->base + s->used : NULL;
    if ((rc = put_value(s, syntax, data, cb)) != ERROR_SUCCESS)
        return rc;
    sink_put(s, "", 1);
    if (p)
        *p = (struct prop){name, syntax, value};
    if ((rc = r_u32(r, &syntax)) != ERROR_SUCCESS)
        return rc;
    return syntax == PROPLIST_SYNTAX_ENDMARK ? ERROR_SUCCESS : ERROR_INVALID_DATA;
}

/* Walks the whole list; with props NULL it only validates and counts string bytes. */
static uint32_t r_list(const void *buf, size_t size, struct sink *s, struct prop *props,
                       uint32_t *ret_count)
{
    struct reader r = {buf, size, 0};
    uint32_t count, rc;
    if (!buf || size % 4)
        return ERROR_INVALID_DATA;
    if ((rc = r_u32(&r, &count)) != ERROR_SUCCESS)
        return ERROR_INVALID_DATA;
    /* Each property takes at least 24 bytes: a count the size cannot hold is a list that runs
     * past its end, refused before anything is allocated for it. */
    if (count > (size - 4) / 24)
        return ERROR_INSUFFICIENT_BUFFER;
    for (uint32_t i = 0; i < count; i++) {
        if ((rc = r_property(&r, s, props ? &props[i] : NULL)) != ERROR_SUCCESS)
            return rc;
    }
    if (r.off != size)
        return ERROR_INVALID_DATA; /* more than count properties, or trailing bytes */
    *ret_count = count;
    return ERROR_SUCCESS;
}

uint32_t proplist_decode(const void *buf, size_t size, struct prop **ret, size_t *ret_n)
{
    assert(ret && ret_n);
    struct sink counting = {NULL, 0};
    uint32_t count, rc = r_list(buf, size, &counting, NULL, &count);
    if (rc != ERROR_SUCCESS)
        return rc;
    size_t head = (size_t)count * sizeof(struct prop);
    struct prop *props = malloc(head + counting.used + 1);
    if (!props)
        return ERROR_NOT_ENOUGH_MEMORY;
    struct sink copying = {(char *)props + head, 0};
    rc = r_list(buf, size, &copying, props, &count);
    assert(rc == ERROR_SUCCESS && copying.used == counting.used);
    *ret = props;
    *ret_n = count;
    return ERROR_SUCCESS;
}
