/*
 * lab_proplist.h — hand-built CLUSPROP property lists for the bad-input programs: one valid list
 * and the malformations of it, laid out word by word so that each breaks exactly one rule of the
 * format (clusapi.h; src/common/proplist.h states the decoder's codes).
 */
#ifndef CLUSAPI_LAB_PROPLIST_H
#define CLUSAPI_LAB_PROPLIST_H

#include <stdint.h>
#include <string.h>

#include <clusapi.h>

#define LAB_PL_WORDS 64

/* A list under construction: words[0..n). */
struct lab_pl {
    uint32_t words[LAB_PL_WORDS];
    unsigned n;
};

static inline void lab_pl_word(struct lab_pl *l, uint32_t w)
{
    if (l->n < LAB_PL_WORDS)
        l->words[l->n++] = w;
}

/* An entry {syntax, cbLength, UTF-16 string with its NUL, padded}. */
static inline void lab_pl_sz(struct lab_pl *l, uint32_t syntax, const char *s)
{
    size_t units = strlen(s) + 1, bytes = units * 2;
    uint16_t buf[2 * LAB_PL_WORDS] = {0};

    lab_pl_word(l, syntax);
    lab_pl_word(l, (uint32_t)bytes);
    for (size_t i = 0; i + 1 < units && i < 2 * LAB_PL_WORDS; i++)
        buf[i] = (unsigned char)s[i];
    for (size_t i = 0; i < ALIGN_CLUSPROP(bytes) / 4; i++) {
        uint32_t w;

        memcpy(&w, (const char *)buf + 4 * i, 4);
        lab_pl_word(l, w);
    }
}

/* One property name = DWORD value (count, name, value, end mark) with the syntaxes given. */
static inline void lab_pl_dword_prop(struct lab_pl *l, uint32_t count, uint32_t name_syntax,
                                     const char *name, uint32_t value_syntax, uint32_t value)
{
    lab_pl_word(l, count);
    lab_pl_sz(l, name_syntax, name);
    lab_pl_word(l, value_syntax);
    lab_pl_word(l, 4);
    lab_pl_word(l, value);
}

/* The valid list name = value, a DWORD. */
static inline void lab_pl_dword(struct lab_pl *l, const char *name, uint32_t value)
{
    lab_pl_dword_prop(l, 1, CLUSPROP_SYNTAX_NAME, name, CLUSPROP_SYNTAX_LIST_VALUE_DWORD, value);
    lab_pl_word(l, CLUSPROP_SYNTAX_ENDMARK);
}

/* The valid list name = value, an SZ. */
static inline void lab_pl_string(struct lab_pl *l, const char *name, const char *value)
{
    lab_pl_word(l, 1);
    lab_pl_sz(l, CLUSPROP_SYNTAX_NAME, name);
    lab_pl_sz(l, CLUSPROP_SYNTAX_LIST_VALUE_SZ, value);
    lab_pl_word(l, CLUSPROP_SYNTAX_ENDMARK);
}

static inline DWORD lab_pl_size(const struct lab_pl *l)
{
    return (DWORD)(l->n * 4);
}

#endif
