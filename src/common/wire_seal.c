/*
 * wire_seal — see wire_seal.h.
 */
#include "common/wire_seal.h"

#include <errno.h>

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

void wire_seal_bytes(const void *data, size_t len, uint16_t tag, uint8_t out[WIRE_SEAL_SIZE])
{
    wire_le_put(out, tag, 2);
    wire_le_put(out + 2, 8, 4);
    wire_le_put(out + 6, fnv1a64(data, len), 8);
}

int wire_check_seal_bytes(const void *data, size_t len, uint16_t tag, size_t *ret_body)
{
    const uint8_t *p = data;
    size_t body;

    if (data == NULL || len < WIRE_SEAL_SIZE)
        return -EBADMSG;
    body = len - WIRE_SEAL_SIZE;
    if (wire_le_get(p + body, 2) != tag || wire_le_get(p + body + 2, 4) != 8 ||
        wire_le_get(p + body + 6, 8) != fnv1a64(p, body))
        return -EBADMSG;
    *ret_body = body;
    return 0;
}

int wire_check_seal(const void *data, size_t len, uint16_t tag, size_t *ret_body)
{
    size_t body;

    if (wire_check_seal_bytes(data, len, tag, &body) < 0 || wire_validate(data, body) < 0)
        return -EBADMSG;
    *ret_body = body;
    return 0;
}
