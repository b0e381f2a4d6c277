/*
 * fuzz — what every libFuzzer target in this directory shares: the entry point's prototype and
 * an invariant check that stays on whatever NDEBUG says, so a broken invariant is a crash the
 * fuzzer keeps.
 */
#ifndef CLUSAPI_FUZZ_H
#define CLUSAPI_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                      \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond);     \
            abort();                                                                          \
        }                                                                                     \
    } while (0)

#define FUZZ_POISON 0xa5 /* fills output structs, to see that a failed decode left them alone */

/* True if all n bytes at p still hold FUZZ_POISON. */
static inline int fuzz_untouched(const void *p, size_t n)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++)
        if (b[i] != FUZZ_POISON)
            return 0;
    return 1;
}

#endif
