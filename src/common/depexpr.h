/*
 * depexpr — Windows' resource dependency expressions (SetClusterResourceDependencyExpression,
 * GetClusterResourceDependencyExpression): text to clauses and back. Pure.
 *
 * An expression is an AND of clauses, each clause an OR of providers. The grammar Windows
 * documents (clusapi.h's remarks and MS-CMRP 3.1.4.2.109):
 *
 *   expression := or_list | part ("and" part)*
 *   part       := resource | "(" or_list ")"
 *   or_list    := resource ("or" resource)*
 *   resource   := "[" name "]"
 *
 * so parentheses hold ORs only and never nest, and an OR outside parentheses is allowed only
 * when it is the whole expression. Keywords compare without case; blanks separate tokens and
 * may surround them. "" (or blanks only) is the empty expression: no dependencies. A provider
 * named twice is refused. Everything refused is ERROR_INVALID_PARAMETER with the reason.
 */
#ifndef CLUSAPI_DEPEXPR_H
#define CLUSAPI_DEPEXPR_H

#include <stddef.h>
#include <stdint.h>

#define DEPEXPR_NAME_MAX 255      /* bytes of one resource name */
#define DEPEXPR_MAX_PROVIDERS 256 /* in one expression: more is refused */

struct depexpr_clause {
    char **names; /* n provider names (OR) */
    size_t n;
};

/* An AND of n clauses; n is 0 for no dependencies. */
struct depexpr {
    struct depexpr_clause *clauses;
    size_t n;
};

/*
 * Parses text into *ret (release it with depexpr_done()). 0, ERROR_INVALID_PARAMETER with the
 * reason in why (n bytes), or ERROR_NOT_ENOUGH_MEMORY; on failure *ret is empty.
 */
uint32_t depexpr_parse(const char *text, struct depexpr *ret, char *why, size_t n);
/* Releases what e holds and leaves it empty. */
void depexpr_done(struct depexpr *e);
/*
 * The text Windows returns for e (malloc'd; NULL when out of memory): clauses joined by " and ",
 * a clause of one provider as "[name]", of several as "([a] or [b])"; "" for none.
 */
char *depexpr_format(const struct depexpr *e);
/* Appends a provider to clause c of e (creating clauses up to c); 0 or -ENOMEM. name is
 * copied. For callers building an expression from stored clauses. */
int depexpr_add(struct depexpr *e, size_t c, const char *name);

#endif
