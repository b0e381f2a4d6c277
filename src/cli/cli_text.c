/*
 * cli_text — output buffer, JSON strings, lossy UTF-16 and tables for clusctl.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_text.h"
#include "common/utf16.h"

/* ------------------------------------------------------------------------------------------ */
/* Output buffer                                                                               */
/* ------------------------------------------------------------------------------------------ */

void cli_buf_done(struct cli_buf *b)
{
    if (b == NULL)
        return;
    free(b->data);
    *b = (struct cli_buf){0};
}

void cli_buf_reset(struct cli_buf *b)
{
    b->len = 0;
    if (b->data != NULL)
        b->data[0] = '\0';
}

const char *cli_buf_str(const struct cli_buf *b)
{
    return b->data != NULL ? b->data : "";
}

/* Makes room for extra more bytes plus the NUL. */
static int buf_reserve(struct cli_buf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (extra > SIZE_MAX / 2 - b->len - 1)
        return -ENOMEM;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    p = realloc(b->data, cap);
    if (p == NULL)
        return -ENOMEM;
    b->data = p;
    b->cap = cap;
    return 0;
}

int cli_buf_add(struct cli_buf *b, const char *s, size_t n)
{
    if (buf_reserve(b, n) < 0)
        return -ENOMEM;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int cli_buf_puts(struct cli_buf *b, const char *s)
{
    return cli_buf_add(b, s, strlen(s));
}

int cli_buf_printf(struct cli_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -EINVAL;
    if (buf_reserve(b, (size_t)n) < 0)
        return -ENOMEM;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* JSON and UTF-8                                                                              */
/* ------------------------------------------------------------------------------------------ */

/* The escape for an ASCII byte that needs one, written to out (7 bytes); 0 if none is needed. */
static size_t json_escape_ascii(unsigned char c, char out[7])
{
    static const char short_form[] = {['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r',
                                      ['\t'] = 't', ['"'] = '"',  ['\\'] = '\\'};

    if (c < sizeof(short_form) && short_form[c] != 0) {
        out[0] = '\\';
        out[1] = short_form[c];
        return 2;
    }
    if (c < 0x20 || c == 0x7F) {
        snprintf(out, 7, "\\u%04x", c);
        return 6;
    }
    return 0;
}

int cli_json_string(struct cli_buf *b, const char *s)
{
    size_t i = 0, n;
    int rv = 0;

    if (s == NULL)
        return cli_buf_puts(b, "null");
    n = strlen(s);
    rv = cli_buf_puts(b, "\"");
    while (rv == 0 && i < n) {
        unsigned char c = (unsigned char)s[i];
        char esc[7];
        size_t elen;
        uint32_t cp;
        int len;

        if (c < 0x80) {
            elen = json_escape_ascii(c, esc);
            rv = elen ? cli_buf_add(b, esc, elen) : cli_buf_add(b, s + i, 1);
            i++;
            continue;
        }
        len = utf8_decode(s + i, n - i, &cp);
        if (len < 0) {
            rv = cli_buf_puts(b, "\\ufffd");
            i++;
        } else {
            rv = cli_buf_add(b, s + i, (size_t)len);
            i += (size_t)len;
        }
    }
    return rv == 0 ? cli_buf_puts(b, "\"") : rv;
}

/* Appends code point cp as UTF-8 at out; returns the byte count. */
static size_t utf8_put(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

int cli_utf16_to_utf8_lossy(const char16_t *s, size_t max_units, char **ret)
{
    size_t n = 0, len = 0;
    char *out;

    if (s == NULL) {
        *ret = NULL;
        return 0;
    }
    while (n < max_units && s[n] != 0)
        n++;
    /* Each unit gives at most 3 bytes (a pair gives 4 for 2 units). */
    out = malloc(3 * n + 1);
    if (out == NULL)
        return -ENOMEM;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = s[i];

        if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < n && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (s[i + 1] - 0xDC00u);
            i++;
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = 0xFFFD;
        }
        len += utf8_put(cp, out + len);
    }
    out[len] = '\0';
    *ret = out;
    return 0;
}

size_t cli_utf8_width(const char *s)
{
    size_t w = 0;

    for (; *s != '\0'; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

size_t cli_utf8_prefix(const char *s, size_t width)
{
    size_t i = 0, w = 0;

    while (s[i] != '\0') {
        size_t j = i + 1;

        while (((unsigned char)s[j] & 0xC0) == 0x80)
            j++;
        if (++w > width)
            break;
        i = j;
    }
    return i;
}

/* ------------------------------------------------------------------------------------------ */
/* Tables                                                                                      */
/* ------------------------------------------------------------------------------------------ */

int cli_table_init(struct cli_table *t, size_t n_cols, const char *const *headers)
{
    *t = (struct cli_table){.n_cols = n_cols};
    if (n_cols == 0)
        return -EINVAL;
    return cli_table_add(t, headers);
}

int cli_table_add(struct cli_table *t, const char *const *cells)
{
    char **row;

    if (t->n_rows == t->cap_rows) {
        size_t cap = t->cap_rows ? 2 * t->cap_rows : 8;
        char **p = realloc(t->cells, cap * t->n_cols * sizeof(*p));

        if (p == NULL)
            return -ENOMEM;
        t->cells = p;
        t->cap_rows = cap;
    }
    row = t->cells + t->n_rows * t->n_cols;
    for (size_t c = 0; c < t->n_cols; c++) {
        row[c] = strdup(cells[c] != NULL ? cells[c] : "-");
        if (row[c] == NULL) {
            while (c > 0)
                free(row[--c]);
            return -ENOMEM;
        }
    }
    t->n_rows++;
    return 0;
}

int cli_table_render(const struct cli_table *t, const char *indent, struct cli_buf *b)
{
    size_t *width = calloc(t->n_cols, sizeof(*width));
    int rv = 0;

    if (width == NULL)
        return -ENOMEM;
    for (size_t c = 0; c < t->n_cols; c++) {
        for (size_t r = 0; r < t->n_rows; r++) {
            size_t w = cli_utf8_width(t->cells[r * t->n_cols + c]);

            width[c] = w > width[c] ? w : width[c];
        }
    }
    for (size_t r = 0; rv == 0 && r < t->n_rows; r++) {
        rv = cli_buf_puts(b, indent);
        for (size_t c = 0; rv == 0 && c < t->n_cols; c++) {
            const char *cell = t->cells[r * t->n_cols + c];
            int pad = c + 1 < t->n_cols ? (int)(width[c] - cli_utf8_width(cell) + 2) : 0;

            rv = cli_buf_printf(b, "%s%*s", cell, pad, "");
        }
        if (rv == 0)
            rv = cli_buf_puts(b, "\n");
    }
    free(width);
    return rv;
}

void cli_table_done(struct cli_table *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->n_rows * t->n_cols; i++)
        free(t->cells[i]);
    free(t->cells);
    *t = (struct cli_table){0};
}
