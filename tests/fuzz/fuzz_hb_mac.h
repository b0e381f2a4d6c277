/*
 * fuzz_hb_mac — stand-in MACs for the heartbeat target and its seeds. The real one is
 * HMAC-SHA256, which no mutation gets past; the fuzz runs with one whose tag is all zeros, so
 * mutated bodies still authenticate and the decoder behind the check is explored, and checks
 * with a keyed one that a wrong tag is refused.
 */
#ifndef CLUSAPI_FUZZ_HB_MAC_H
#define CLUSAPI_FUZZ_HB_MAC_H

#include <string.h>

#include "daemon/health/hb_packet.h"

/* How a decoder called the MAC: what it covered. */
struct fuzz_mac_seen {
    const uint8_t *data;
    size_t len;
    int calls;
};

static inline int fuzz_mac_zero(void *arg, const uint8_t *data, size_t len, uint8_t *tag)
{
    struct fuzz_mac_seen *seen = arg;

    if (seen != NULL)
        *seen = (struct fuzz_mac_seen){data, len, seen->calls + 1};
    memset(tag, 0, HB_TAG_BYTES);
    return 0;
}

/* FNV-1a over the bytes, spread over the tag: keyed enough to tell tags apart. */
static inline int fuzz_mac_keyed(void *arg, const uint8_t *data, size_t len, uint8_t *tag)
{
    uint64_t h = 0xcbf29ce484222325ull;

    (void)arg;
    for (size_t i = 0; i < len; i++)
        h = (h ^ data[i]) * 0x100000001b3ull;
    for (unsigned i = 0; i < HB_TAG_BYTES; i++)
        tag[i] = (uint8_t)(h >> (8 * (i % 8))) ^ (uint8_t)i;
    return 0;
}

#endif
