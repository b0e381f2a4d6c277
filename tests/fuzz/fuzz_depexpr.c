/*
 * fuzz_depexpr — dependency expressions as SetClusterResourceDependencyExpression takes them
 * from a client.
 *
 * Invariants: a refusal says why and leaves the expression empty; an accepted expression has no
 * empty clause, at most DEPEXPR_MAX_PROVIDERS providers, names of 1..255 bytes without
 * brackets; formatting it gives text that parses again to the same clauses and formats to the
 * same text.
 */
#include "fuzz.h"

#include "common/depexpr.h"

static int same(const struct depexpr *a, const struct depexpr *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t c = 0; c < a->n; c++) {
        if (a->clauses[c].n != b->clauses[c].n)
            return 0;
        for (size_t i = 0; i < a->clauses[c].n; i++)
            if (strcmp(a->clauses[c].names[i], b->clauses[c].names[i]) != 0)
                return 0;
    }
    return 1;
}

static void check_accepted(const struct depexpr *e)
{
    struct depexpr again;
    char why[256];
    char *text, *text2;
    size_t total = 0;

    for (size_t c = 0; c < e->n; c++) {
        FUZZ_CHECK(e->clauses[c].n > 0);
        for (size_t i = 0; i < e->clauses[c].n; i++) {
            size_t len = strlen(e->clauses[c].names[i]);

            FUZZ_CHECK(len >= 1 && len <= DEPEXPR_NAME_MAX);
            FUZZ_CHECK(strpbrk(e->clauses[c].names[i], "[]") == NULL);
            total++;
        }
    }
    FUZZ_CHECK(total <= DEPEXPR_MAX_PROVIDERS);
    text = depexpr_format(e);
    FUZZ_CHECK(text != NULL);
    FUZZ_CHECK(depexpr_parse(text, &again, why, sizeof(why)) == 0);
    FUZZ_CHECK(same(e, &again));
    text2 = depexpr_format(&again);
    FUZZ_CHECK(text2 != NULL && strcmp(text, text2) == 0);
    free(text);
    free(text2);
    depexpr_done(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    struct depexpr e;
    char why[256];
    uint32_t st;

    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    why[0] = '\0';
    st = depexpr_parse(text, &e, why, sizeof(why));
    if (st == 0) {
        check_accepted(&e);
        depexpr_done(&e);
    } else {
        FUZZ_CHECK(why[0] != '\0');
        FUZZ_CHECK(e.clauses == NULL && e.n == 0);
    }
    free(text);
    return 0;
}
