/*
 * cli_props — KEY=VALUE words into typed property lists, and property lists as text and JSON.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli_args.h"
#include "cli/cli_props.h"
#include "common/proplist.h"
#include "common/utf16.h"

#define KEY_MAX 256

void cli_props_done(struct cli_props *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->n; i++) {
        free((char *)p->v[i].name);
        free((char *)p->v[i].value);
    }
    free(p->v);
    p->v = NULL;
    p->n = 0;
}

const struct prop *cli_props_find(const struct prop *v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(v[i].name, name) == 0)
            return &v[i];
    return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Building                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static bool is_common(const char *key, const char *const *common, size_t n_common)
{
    for (size_t i = 0; i < n_common; i++)
        if (strcasecmp(common[i], key) == 0)
            return true;
    return false;
}

/* Appends value to the MULTI_SZ text form of p ('\n' between strings; an empty string cannot
 * be an item of a MULTI_SZ, which it would end, so it adds nothing). */
static int append_item(struct prop *p, const char *value)
{
    size_t old = strlen(p->value);
    char *joined = realloc((char *)p->value, old + strlen(value) + 2);

    if (joined == NULL)
        return -ENOMEM;
    sprintf(joined + old, "%s%s", old && *value ? "\n" : "", value);
    p->value = joined;
    p->syntax = PROP_SYNTAX_MULTI_SZ;
    return 0;
}

/* Adds KEY=value to l: a new property typed by the schema, or one more item of a list. */
static int add_word(struct cli_props *l, const char *key, const char *value,
                    const struct prop *schema, size_t n_schema)
{
    struct prop *p = (struct prop *)cli_props_find(l->v, l->n, key);
    const struct prop *known;

    if (p != NULL)
        return append_item(p, value);
    known = cli_props_find(schema, n_schema, key);
    p = &l->v[l->n];
    *p = (struct prop){strdup(key), known ? known->syntax : PROP_SYNTAX_SZ, strdup(value)};
    if (p->name == NULL || p->value == NULL) {
        free((char *)p->name);
        free((char *)p->value);
        return -ENOMEM;
    }
    l->n++;
    return 0;
}

/* Whether each property encodes in its syntax; the first that does not is named in errmsg. */
static int check_values(const struct cli_props *l, char *errmsg, size_t n)
{
    for (size_t i = 0; i < l->n; i++) {
        const struct prop *p = &l->v[i];
        size_t size;
        uint32_t status = proplist_encode(p, 1, NULL, 0, &size);

        if (status == ERROR_MORE_DATA)
            continue;
        if (status == ERROR_NOT_ENOUGH_MEMORY)
            return -ENOMEM;
        snprintf(errmsg, n, "%s: '%s' is not a%s %s", p->name, p->value,
                 strchr("AEIOU", cli_syntax_name(p->syntax)[0]) ? "n" : "",
                 cli_syntax_name(p->syntax));
        return -EINVAL;
    }
    return 0;
}

int cli_props_build(const char *const *words, size_t n_words, const char *const *common,
                    size_t n_common, const struct prop *schema, size_t n_schema,
                    struct cli_props *ret_common, struct cli_props *ret_private, char *errmsg,
                    size_t n)
{
    struct cli_props c = {calloc(n_words + 1, sizeof(struct prop)), 0};
    struct cli_props p = {calloc(n_words + 1, sizeof(struct prop)), 0};
    char key[KEY_MAX];
    int rv = c.v && p.v ? 0 : -ENOMEM;

    for (size_t i = 0; rv == 0 && i < n_words; i++) {
        const char *value = cli_split_assignment(words[i], key, sizeof(key));

        if (value == NULL) {
            snprintf(errmsg, n, "bad assignment '%s': expected KEY=VALUE", words[i]);
            rv = -EINVAL;
        } else {
            rv = add_word(is_common(key, common, n_common) ? &c : &p, key, value, schema,
                          n_schema);
        }
        if (rv == 0 && strchr(value, '\n') != NULL) {
            snprintf(errmsg, n, "%s: a value cannot hold a newline", key);
            rv = -EINVAL;
        }
    }
    rv = rv ? rv : check_values(&c, errmsg, n);
    rv = rv ? rv : check_values(&p, errmsg, n);
    if (rv < 0) {
        if (rv == -ENOMEM)
            snprintf(errmsg, n, "out of memory");
        cli_props_done(&c);
        cli_props_done(&p);
        return rv;
    }
    *ret_common = c;
    *ret_private = p;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Showing                                                                                     */
/* ------------------------------------------------------------------------------------------ */

const char *cli_syntax_name(uint32_t syntax)
{
    switch (syntax) {
    case PROP_SYNTAX_BINARY: return "BINARY";
    case PROP_SYNTAX_DWORD: return "DWORD";
    case PROP_SYNTAX_SZ: return "SZ";
    case PROP_SYNTAX_EXPAND_SZ: return "EXPAND_SZ";
    case PROP_SYNTAX_MULTI_SZ: return "MULTI_SZ";
    case PROP_SYNTAX_ULARGE_INTEGER: return "ULARGE_INTEGER";
    case PROP_SYNTAX_LONG: return "LONG";
    case PROP_SYNTAX_EXPANDED_SZ: return "EXPANDED_SZ";
    case PROP_SYNTAX_LARGE_INTEGER: return "LARGE_INTEGER";
    case PROP_SYNTAX_WORD: return "WORD";
    default: return "UNKNOWN";
    }
}

/* Whether a value is a number in JSON's grammar as prop.h writes numbers: -?[0-9]+ without
 * leading zeros. */
static bool json_number(const char *s)
{
    s += *s == '-';
    if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] != '\0'))
        return false;
    return strspn(s, "0123456789") == strlen(s);
}

int cli_prop_json_value(struct cli_buf *b, const struct prop *p)
{
    const char *v = p->value;
    int rv = 0;

    switch (p->syntax) {
    case PROP_SYNTAX_DWORD:
    case PROP_SYNTAX_LONG:
    case PROP_SYNTAX_WORD:
    case PROP_SYNTAX_ULARGE_INTEGER:
    case PROP_SYNTAX_LARGE_INTEGER:
        if (json_number(v))
            return cli_buf_puts(b, v);
        return cli_json_string(b, v);
    case PROP_SYNTAX_MULTI_SZ:
        rv = cli_buf_puts(b, "[");
        for (size_t k = 0; rv == 0 && *v != '\0'; k++) {
            size_t len = strcspn(v, "\n");
            char *item = strndup(v, len);

            rv = item ? cli_buf_puts(b, k ? "," : "") : -ENOMEM;
            rv = rv ? rv : cli_json_string(b, item);
            free(item);
            v += len + (v[len] == '\n');
        }
        return rv ? rv : cli_buf_puts(b, "]");
    default:
        return cli_json_string(b, v);
    }
}

int cli_props_json(struct cli_buf *b, const struct prop *v, size_t n)
{
    int rv = cli_buf_puts(b, "{");

    for (size_t i = 0; rv == 0 && i < n; i++) {
        rv = cli_buf_puts(b, i ? "," : "");
        rv = rv ? rv : cli_json_string(b, v[i].name);
        rv = rv ? rv : cli_buf_puts(b, ":");
        rv = rv ? rv : cli_prop_json_value(b, &v[i]);
    }
    return rv ? rv : cli_buf_puts(b, "}");
}

int cli_prop_text_value(struct cli_buf *b, const struct prop *p, const char *sep)
{
    const char *v = p->value;
    int rv = 0;

    if (*v == '\0')
        return cli_buf_puts(b, "-");
    if (p->syntax != PROP_SYNTAX_MULTI_SZ)
        return cli_buf_puts(b, v);
    for (size_t k = 0; rv == 0 && *v != '\0'; k++) {
        size_t len = strcspn(v, "\n");

        rv = cli_buf_puts(b, k ? sep : "");
        rv = rv ? rv : cli_buf_add(b, v, len);
        v += len + (v[len] == '\n');
    }
    return rv;
}

int cli_props_text(struct cli_buf *b, const struct prop *v, size_t n, const char *indent)
{
    size_t width = 0;
    int rv = 0;

    for (size_t i = 0; i < n; i++)
        if (cli_utf8_width(v[i].name) > width)
            width = cli_utf8_width(v[i].name);
    for (size_t i = 0; rv == 0 && i < n; i++) {
        rv = cli_buf_printf(b, "%s%s%*s ", indent, v[i].name,
                            (int)(width - cli_utf8_width(v[i].name)), "");
        rv = rv ? rv : cli_prop_text_value(b, &v[i], ", ");
        rv = rv ? rv : cli_buf_puts(b, "\n");
    }
    return rv;
}

/* ------------------------------------------------------------------------------------------ */
/* MULTI_SZ of names                                                                           */
/* ------------------------------------------------------------------------------------------ */

/* The UTF-16LE units of buf, copied so they are aligned for char16_t. */
static char16_t *units_of(const void *buf, size_t size)
{
    char16_t *u = malloc(size + sizeof(char16_t));

    if (u == NULL)
        return NULL;
    for (size_t i = 0; i < size / 2; i++)
        u[i] = (char16_t)(((const uint8_t *)buf)[2 * i] |
                          ((const uint8_t *)buf)[2 * i + 1] << 8);
    return u;
}

/* Converts the strings of the MULTI_SZ u (n_units units) into names[]; their bytes to *total. */
static int convert_all(const char16_t *u, size_t n_units, char **names, size_t *ret_n)
{
    size_t at = 0, n = 0;

    while (at < n_units && u[at] != 0) {
        size_t len = utf16_len(u + at);
        int rv;

        if (at + len >= n_units)
            return -EINVAL;
        rv = utf16_to_utf8(u + at, len + 1, &names[n]);
        if (rv < 0)
            return rv == -ENOMEM ? -ENOMEM : -EINVAL;
        n++;
        at += len + 1;
    }
    if (at >= n_units) /* no final NUL */
        return -EINVAL;
    *ret_n = n;
    return 0;
}

int cli_multi_sz_split(const void *buf, size_t size, char ***ret, size_t *ret_n)
{
    size_t n_units = size / 2, n = 0, bytes = 0;
    char16_t *u = size % 2 || size == 0 ? NULL : units_of(buf, size);
    char **names = u ? calloc(n_units + 1, sizeof(*names)) : NULL, **block = NULL;
    int rv = size % 2 || size == 0 ? -EINVAL : names ? 0 : -ENOMEM;

    rv = rv ? rv : convert_all(u, n_units, names, &n);
    for (size_t i = 0; rv == 0 && i < n; i++)
        bytes += strlen(names[i]) + 1;
    if (rv == 0 && (block = malloc((n + 1) * sizeof(*block) + bytes)) == NULL)
        rv = -ENOMEM;
    for (size_t i = 0, at = 0; rv == 0 && i < n; i++) {
        block[i] = (char *)(block + n + 1) + at;
        strcpy(block[i], names[i]);
        at += strlen(names[i]) + 1;
    }
    for (size_t i = 0; names && names[i]; i++)
        free(names[i]);
    free(names);
    free(u);
    if (rv < 0)
        return rv;
    block[n] = NULL;
    *ret = block;
    *ret_n = n;
    return 0;
}
