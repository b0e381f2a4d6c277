/*
 * wire_seal — see wire_seal.h.
 */
#include "common/wire_seal.h"

#include <errno.h>

#define SEAL_FIELD (2 + 4 + 8) /* tag, length, u64 */

static uint64_t fnv1a64(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;

    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

void wire_put_seal(struct wire_writer *w, uint16_t tag)
{
    if (!wire_writer_failed(w))
        wire_put_u64(w, tag, fnv1a64(w->data, w->len));
}

int wire_check_seal(const void *data, size_t len, uint16_t tag, size_t *ret_body)
{
    const uint8_t *p = data;
    size_t body;

    if (data == NULL || len < SEAL_FIELD)
        return -EBADMSG;
    body = len - SEAL_FIELD;
    if (wire_le_get(p + body, 2) != tag || wire_le_get(p + body + 2, 4) != 8 ||
        wire_le_get(p + body + 6, 8) != fnv1a64(p, body) || wire_validate(p, body) < 0)
        return -EBADMSG;
    *ret_body = body;
    return 0;
}
