/*
 * rekey_plan — settling an interrupted credential rotation (see rekey_plan.h).
 */
#include "common/rekey_plan.h"

#include <stdbool.h>
#include <string.h>

static bool holds(const struct rekey_holding *h, const char *id)
{
    return strcmp(h->proved, id) == 0 || (h->other[0] != '\0' && strcmp(h->other, id) == 0);
}

/* How many members hold id (ret) and how many prove it (*ret_proving). */
static size_t count(const struct rekey_holding *h, size_t n, const char *id, size_t *ret_proving)
{
    size_t held = 0;

    *ret_proving = 0;
    for (size_t i = 0; i < n; i++) {
        held += holds(&h[i], id);
        *ret_proving += strcmp(h[i].proved, id) == 0;
    }
    return held;
}

enum rekey_settle rekey_plan(const struct rekey_holding *h, size_t n, char ret_id[REKEY_ID_SIZE])
{
    const char *candidates[2] = {h[0].proved, h[0].other}, *best = NULL;
    size_t best_proving = 0, proving;
    bool clean = true;

    for (size_t i = 0; i < n; i++)
        clean = clean && h[i].other[0] == '\0' && strcmp(h[i].proved, h[0].proved) == 0;
    if (clean)
        return REKEY_CLEAN;
    /* A credential every member holds must be one of the first member's. */
    for (size_t c = 0; c < 2; c++) {
        if (candidates[c][0] == '\0' || count(h, n, candidates[c], &proving) != n)
            continue;
        if (best == NULL || proving > best_proving) {
            best = candidates[c];
            best_proving = proving;
        }
    }
    if (best == NULL)
        return REKEY_STUCK;
    memcpy(ret_id, best, REKEY_ID_SIZE);
    return REKEY_SETTLE;
}
