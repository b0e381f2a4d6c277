/*
 * utf16 — see utf16.h. Pure code; no I/O.
 */
#include "common/utf16.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <clusapi_wintypes.h>

#define SURROGATE_HIGH_FIRST 0xD800u
#define SURROGATE_LOW_FIRST 0xDC00u
#define SURROGATE_LAST 0xDFFFu

static int is_high_surrogate(uint32_t u)
{
    return u >= SURROGATE_HIGH_FIRST && u < SURROGATE_LOW_FIRST;
}

static int is_low_surrogate(uint32_t u)
{
    return u >= SURROGATE_LOW_FIRST && u <= SURROGATE_LAST;
}

/* Checks the second byte of a multi-byte sequence against the RFC 3629 table: this is where
 * overlong forms, encoded surrogates and values above U+10FFFF are excluded. */
static int utf8_second_ok(unsigned char lead, unsigned char b)
{
    if (lead == 0xE0)
        return b >= 0xA0 && b <= 0xBF;
    if (lead == 0xED)
        return b >= 0x80 && b <= 0x9F;
    if (lead == 0xF0)
        return b >= 0x90 && b <= 0xBF;
    if (lead == 0xF4)
        return b >= 0x80 && b <= 0x8F;
    return (b & 0xC0) == 0x80;
}

int utf8_decode(const char *s, size_t n, uint32_t *ret_cp)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len;
    uint32_t cp;

    if (n == 0)
        return -EILSEQ;
    if (p[0] < 0x80) {
        *ret_cp = p[0];
        return 1;
    }
    if (p[0] >= 0xC2 && p[0] <= 0xDF)
        len = 2, cp = p[0] & 0x1Fu;
    else if (p[0] >= 0xE0 && p[0] <= 0xEF)
        len = 3, cp = p[0] & 0x0Fu;
    else if (p[0] >= 0xF0 && p[0] <= 0xF4)
        len = 4, cp = p[0] & 0x07u;
    else
        return -EILSEQ; /* continuation byte, C0/C1 (always overlong) or F5..FF */
    if (n < len || !utf8_second_ok(p[0], p[1]))
        return -EILSEQ;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return -EILSEQ;
        cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    *ret_cp = cp;
    return (int)len;
}

int utf8_validate(const char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        uint32_t cp;
        int r = utf8_decode(s + i, n - i, &cp);

        if (r < 0 || cp == 0)
            return -EILSEQ;
        i += (size_t)r;
    }
    return 0;
}

size_t utf16_len(const char16_t *s)
{
    size_t n = 0;

    while (s[n] != 0)
        n++;
    return n;
}

/* Bytes needed in UTF-8 for the n units at s (known to hold no NUL), or -EILSEQ on an unpaired
 * surrogate. */
static int utf16_measure(const char16_t *s, size_t n, size_t *ret_bytes)
{
    size_t bytes = 0;

    for (size_t i = 0; i < n; i++) {
        uint32_t u = s[i];

        if (is_high_surrogate(u)) {
            if (i + 1 >= n || !is_low_surrogate(s[i + 1]))
                return -EILSEQ;
            bytes += 4;
            i++;
        } else if (is_low_surrogate(u)) {
            return -EILSEQ;
        } else {
            bytes += u < 0x80 ? 1 : u < 0x800 ? 2 : 3;
        }
    }
    *ret_bytes = bytes;
    return 0;
}

static char *utf8_put(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        *out++ = (char)cp;
    } else if (cp < 0x800) {
        *out++ = (char)(0xC0 | (cp >> 6));
        *out++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *out++ = (char)(0xE0 | (cp >> 12));
        *out++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *out++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *out++ = (char)(0xF0 | (cp >> 18));
        *out++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *out++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *out++ = (char)(0x80 | (cp & 0x3F));
    }
    return out;
}

int utf16_to_utf8(const char16_t *s, size_t max_units, char **ret)
{
    size_t n = 0, bytes;
    char *out, *p;
    int r;

    if (s == NULL || ret == NULL)
        return -EINVAL;
    /* Scan for the NUL first, bounded, so an unterminated buffer is never overrun. */
    while (n < max_units && s[n] != 0)
        n++;
    if (n == max_units)
        return -ENAMETOOLONG;
    r = utf16_measure(s, n, &bytes);
    if (r < 0)
        return r;
    out = malloc(bytes + 1);
    if (out == NULL)
        return -ENOMEM;
    p = out;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = s[i];

        if (is_high_surrogate(cp)) {
            cp = 0x10000 + ((cp - SURROGATE_HIGH_FIRST) << 10) + (s[i + 1] - SURROGATE_LOW_FIRST);
            i++;
        }
        p = utf8_put(p, cp);
    }
    *p = '\0';
    *ret = out;
    return 0;
}

/* UTF-16 units needed for the NUL-terminated UTF-8 string s, or -EILSEQ if it is malformed. */
static int utf8_measure16(const char *s, size_t *ret_units)
{
    size_t units = 0, len = strlen(s), i = 0;

    while (i < len) {
        uint32_t cp;
        int r = utf8_decode(s + i, len - i, &cp);

        if (r < 0)
            return r;
        units += cp >= 0x10000 ? 2 : 1;
        i += (size_t)r;
    }
    *ret_units = units;
    return 0;
}

/* Writes the (already validated) UTF-8 string s as UTF-16 plus a NUL to out. */
static void utf8_fill16(const char *s, char16_t *out)
{
    size_t len = strlen(s), i = 0;

    while (i < len) {
        uint32_t cp = 0;
        int r = utf8_decode(s + i, len - i, &cp);

        if (cp >= 0x10000) {
            cp -= 0x10000;
            *out++ = (char16_t)(SURROGATE_HIGH_FIRST + (cp >> 10));
            *out++ = (char16_t)(SURROGATE_LOW_FIRST + (cp & 0x3FF));
        } else {
            *out++ = (char16_t)cp;
        }
        i += (size_t)r;
    }
    *out = 0;
}

int utf8_to_utf16(const char *s, char16_t **ret)
{
    size_t units;
    char16_t *out;
    int r;

    if (s == NULL || ret == NULL)
        return -EINVAL;
    r = utf8_measure16(s, &units);
    if (r < 0)
        return r;
    out = malloc((units + 1) * sizeof(char16_t));
    if (out == NULL)
        return -ENOMEM;
    utf8_fill16(s, out);
    *ret = out;
    return 0;
}

static uint32_t fold_ascii(char16_t c)
{
    return (c >= u'A' && c <= u'Z') ? (uint32_t)c + 32 : (uint32_t)c;
}

int utf16_casecmp_ascii(const char16_t *a, const char16_t *b)
{
    for (;; a++, b++) {
        uint32_t ca = fold_ascii(*a), cb = fold_ascii(*b);

        if (ca != cb)
            return ca < cb ? -1 : 1;
        if (ca == 0)
            return 0;
    }
}

uint32_t utf16_copy_out(const char *utf8, char16_t *buf, uint32_t *inout_cch)
{
    size_t units;

    if (utf8 == NULL || inout_cch == NULL)
        return ERROR_INVALID_PARAMETER;
    if (utf8_measure16(utf8, &units) < 0 || units >= UINT32_MAX)
        return ERROR_INVALID_DATA;
    if (buf == NULL || *inout_cch <= units) {
        *inout_cch = (uint32_t)units;
        return ERROR_MORE_DATA;
    }
    utf8_fill16(utf8, buf);
    *inout_cch = (uint32_t)units;
    return 0;
}
