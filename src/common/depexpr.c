/*
 * depexpr — dependency expressions (see depexpr.h): a recursive-descent parser over the one
 * level of nesting Windows allows, and the formatter of GetClusterResourceDependencyExpression.
 */
#include "common/depexpr.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <clusapi.h>

/* ------------------------------------------------------------------------------------------ */
/* Building                                                                                    */
/* ------------------------------------------------------------------------------------------ */

void depexpr_done(struct depexpr *e)
{
    for (size_t c = 0; c < e->n; c++) {
        for (size_t i = 0; i < e->clauses[c].n; i++)
            free(e->clauses[c].names[i]);
        free(e->clauses[c].names);
    }
    free(e->clauses);
    e->clauses = NULL;
    e->n = 0;
}

int depexpr_add(struct depexpr *e, size_t c, const char *name)
{
    struct depexpr_clause *cl;
    char **names;
    char *copy;

    if (c >= e->n) {
        cl = realloc(e->clauses, (c + 1) * sizeof(*cl));
        if (cl == NULL)
            return -ENOMEM;
        memset(cl + e->n, 0, (c + 1 - e->n) * sizeof(*cl));
        e->clauses = cl;
        e->n = c + 1;
    }
    cl = &e->clauses[c];
    names = realloc(cl->names, (cl->n + 1) * sizeof(*names));
    if (names == NULL)
        return -ENOMEM;
    cl->names = names;
    copy = strdup(name);
    if (copy == NULL)
        return -ENOMEM;
    cl->names[cl->n++] = copy;
    return 0;
}

static bool named_before(const struct depexpr *e, const char *name)
{
    for (size_t c = 0; c < e->n; c++)
        for (size_t i = 0; i < e->clauses[c].n; i++)
            if (strcasecmp(e->clauses[c].names[i], name) == 0)
                return true;
    return false;
}

/* ------------------------------------------------------------------------------------------ */
/* Parsing                                                                                     */
/* ------------------------------------------------------------------------------------------ */

struct parser {
    const char *p;     /* next character */
    const char *start; /* for positions in messages */
    struct depexpr *e;
    size_t providers;
    char *why;
    size_t why_n;
    uint32_t status; /* the first failure */
};

__attribute__((format(printf, 3, 4)))
static uint32_t refuse(struct parser *ps, uint32_t status, const char *fmt, ...)
{
    va_list ap;

    if (ps->status == 0) {
        int k = snprintf(ps->why, ps->why_n, "at %zu: ", (size_t)(ps->p - ps->start));

        va_start(ap, fmt);
        if (k >= 0 && (size_t)k < ps->why_n)
            vsnprintf(ps->why + k, ps->why_n - (size_t)k, fmt, ap);
        va_end(ap);
        ps->status = status;
    }
    return ps->status;
}

static void skip_blanks(struct parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\r' || *ps->p == '\n')
        ps->p++;
}

/* Is the next token the keyword kw (followed by a blank, '[' or '(')? Consumes it if so. */
static bool keyword(struct parser *ps, const char *kw)
{
    size_t n = strlen(kw);
    char after;

    skip_blanks(ps);
    if (strncasecmp(ps->p, kw, n) != 0)
        return false;
    after = ps->p[n];
    if (after != ' ' && after != '\t' && after != '\r' && after != '\n' && after != '[' &&
        after != '(')
        return false;
    ps->p += n;
    return true;
}

static bool punct(struct parser *ps, char c)
{
    skip_blanks(ps);
    if (*ps->p != c)
        return false;
    ps->p++;
    return true;
}

/* "[" name "]" into clause c. */
static uint32_t resource(struct parser *ps, size_t c)
{
    const char *end;
    char name[DEPEXPR_NAME_MAX + 1];
    size_t len;

    if (!punct(ps, '['))
        return refuse(ps, ERROR_INVALID_PARAMETER, "expected '['");
    end = strchr(ps->p, ']');
    if (end == NULL)
        return refuse(ps, ERROR_INVALID_PARAMETER, "no ']' closes the resource name");
    len = (size_t)(end - ps->p);
    if (len == 0 || len > DEPEXPR_NAME_MAX || memchr(ps->p, '[', len) != NULL)
        return refuse(ps, ERROR_INVALID_PARAMETER, "resource name of %zu bytes not valid", len);
    memcpy(name, ps->p, len);
    name[len] = '\0';
    if (named_before(ps->e, name))
        return refuse(ps, ERROR_INVALID_PARAMETER, "[%s] is named twice", name);
    if (++ps->providers > DEPEXPR_MAX_PROVIDERS)
        return refuse(ps, ERROR_INVALID_PARAMETER, "more than %d providers",
                      DEPEXPR_MAX_PROVIDERS);
    if (depexpr_add(ps->e, c, name) < 0)
        return refuse(ps, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
    ps->p = end + 1;
    return 0;
}

/* resource ("or" resource)*, all into clause c. */
static uint32_t or_list(struct parser *ps, size_t c)
{
    uint32_t st = resource(ps, c);

    while (st == 0 && keyword(ps, "or"))
        st = resource(ps, c);
    return st;
}

/* resource | "(" or_list ")", as clause c. */
static uint32_t part(struct parser *ps, size_t c)
{
    uint32_t st;

    if (!punct(ps, '('))
        return resource(ps, c);
    skip_blanks(ps);
    if (*ps->p == '(')
        return refuse(ps, ERROR_INVALID_PARAMETER, "parentheses do not nest");
    st = or_list(ps, c);
    if (st != 0)
        return st;
    if (keyword(ps, "and"))
        return refuse(ps, ERROR_INVALID_PARAMETER, "'and' inside parentheses");
    if (!punct(ps, ')'))
        return refuse(ps, ERROR_INVALID_PARAMETER, "expected ')'");
    return 0;
}

static uint32_t expression(struct parser *ps)
{
    size_t c = 0;
    uint32_t st;

    skip_blanks(ps);
    if (*ps->p == '\0')
        return 0;
    if (*ps->p == '[') { /* a bare OR list is the whole expression */
        st = or_list(ps, 0);
        if (st != 0 || ps->e->clauses[0].n > 1) {
            skip_blanks(ps);
            if (st == 0 && *ps->p != '\0')
                return refuse(ps, ERROR_INVALID_PARAMETER, "an 'or' list outside parentheses "
                              "must be the whole expression");
            return st;
        }
        c = 1;
    } else if ((st = part(ps, c++)) != 0) {
        return st;
    }
    while (keyword(ps, "and"))
        if ((st = part(ps, c++)) != 0)
            return st;
    skip_blanks(ps);
    if (*ps->p != '\0')
        return refuse(ps, ERROR_INVALID_PARAMETER, "unexpected '%c'", *ps->p);
    return 0;
}

uint32_t depexpr_parse(const char *text, struct depexpr *ret, char *why, size_t n)
{
    struct depexpr e = {NULL, 0};
    struct parser ps = {text, text, &e, 0, why, n, 0};
    uint32_t st;

    if (n > 0)
        why[0] = '\0';
    if (text == NULL) {
        snprintf(why, n, "no expression");
        *ret = e;
        return ERROR_INVALID_PARAMETER;
    }
    st = expression(&ps);
    if (st != 0)
        depexpr_done(&e);
    *ret = e;
    return st;
}

/* ------------------------------------------------------------------------------------------ */
/* Formatting                                                                                  */
/* ------------------------------------------------------------------------------------------ */

static void put_clause(FILE *f, const struct depexpr_clause *cl)
{
    if (cl->n > 1)
        fputc('(', f);
    for (size_t i = 0; i < cl->n; i++)
        fprintf(f, "%s[%s]", i > 0 ? " or " : "", cl->names[i]);
    if (cl->n > 1)
        fputc(')', f);
}

char *depexpr_format(const struct depexpr *e)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    bool first = true;

    if (f == NULL)
        return NULL;
    for (size_t c = 0; c < e->n; c++) {
        if (e->clauses[c].n == 0)
            continue;
        if (!first)
            fputs(" and ", f);
        put_clause(f, &e->clauses[c]);
        first = false;
    }
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}
