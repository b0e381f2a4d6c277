/*
 * cred_ring — cluster credentials held by a node and the rotation window (see cred_ring.h).
 */
#include "daemon/keys/cred_ring.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <gnutls/crypto.h>

#include "common/hex.h"

#define ID_LABEL "clusapi credential id"
#define IDENTITY_PREFIX "cluster:"

int cred_make(const char *cluster_id, const uint8_t bytes[CHANNEL_KEY_BYTES], struct cred *ret)
{
    uint8_t input[sizeof(ID_LABEL) + CHANNEL_KEY_BYTES], digest[32];
    char hex[CRED_ID_HEX_SIZE];
    struct cred c = {0};
    int n;

    /* The id is a hash of the key under a label of its own: public, and of no use to derive
     * the key or anything keyed with it. */
    memcpy(input, ID_LABEL, sizeof(ID_LABEL));
    memcpy(input + sizeof(ID_LABEL), bytes, CHANNEL_KEY_BYTES);
    if (gnutls_hash_fast(GNUTLS_DIG_SHA256, input, sizeof(input), digest) < 0)
        return -EIO;
    memcpy(c.id, digest, CRED_ID_BYTES);
    memcpy(c.key.bytes, bytes, CHANNEL_KEY_BYTES);
    cred_id_hex(c.id, hex);
    n = snprintf(c.key.identity, sizeof(c.key.identity), IDENTITY_PREFIX "%s:%s", cluster_id,
                 hex);
    if (n < 0 || (size_t)n >= sizeof(c.key.identity))
        return -EINVAL;
    *ret = c;
    return 0;
}

void cred_id_hex(const uint8_t id[CRED_ID_BYTES], char hex[CRED_ID_HEX_SIZE])
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < CRED_ID_BYTES; i++) {
        hex[2 * i] = digits[id[i] >> 4];
        hex[2 * i + 1] = digits[id[i] & 15];
    }
    hex[2 * CRED_ID_BYTES] = '\0';
}

/* Ids are written in lowercase (cred_id_hex), and an identity has one spelling only. */
static int hex_digit(char c)
{
    return c >= 'A' && c <= 'F' ? -1 : hex_value(c);
}

int cred_id_parse(const char *hex, uint8_t ret[CRED_ID_BYTES])
{
    uint8_t id[CRED_ID_BYTES];

    for (size_t i = 0; i < CRED_ID_BYTES; i++) {
        int hi = hex_digit(hex[2 * i]), lo = hi < 0 ? -1 : hex_digit(hex[2 * i + 1]);

        if (hi < 0 || lo < 0)
            return -EINVAL;
        id[i] = (uint8_t)(hi << 4 | lo);
    }
    if (hex[2 * CRED_ID_BYTES] != '\0')
        return -EINVAL;
    memcpy(ret, id, CRED_ID_BYTES);
    return 0;
}

int cred_identity_parse(const char *identity, const char *cluster_id,
                        uint8_t ret[CRED_ID_BYTES])
{
    size_t plen = strlen(IDENTITY_PREFIX), clen = strlen(cluster_id);

    if (strncmp(identity, IDENTITY_PREFIX, plen) != 0 ||
        strncmp(identity + plen, cluster_id, clen) != 0 || identity[plen + clen] != ':')
        return -EINVAL;
    return cred_id_parse(identity + plen + clen + 1, ret);
}

/* ------------------------------------------------------------------------------------------ */
/* The ring                                                                                    */
/* ------------------------------------------------------------------------------------------ */

void cred_ring_init(struct cred_ring *r, const struct cred *c)
{
    memset(r, 0, sizeof(*r));
    r->creds[0] = *c;
    r->n = 1;
}

bool cred_ring_empty(const struct cred_ring *r)
{
    return r->n == 0;
}

static int ring_index(const struct cred_ring *r, const uint8_t id[CRED_ID_BYTES])
{
    for (size_t i = 0; i < r->n; i++)
        if (memcmp(r->creds[i].id, id, CRED_ID_BYTES) == 0)
            return (int)i;
    return -1;
}

const struct cred *cred_ring_send(const struct cred_ring *r)
{
    return r->n == 0 ? NULL : &r->creds[r->send];
}

const struct cred *cred_ring_find(const struct cred_ring *r, const uint8_t id[CRED_ID_BYTES])
{
    int i = ring_index(r, id);

    return i < 0 ? NULL : &r->creds[i];
}

const struct cred *cred_ring_other(const struct cred_ring *r)
{
    return r->n < 2 ? NULL : &r->creds[1 - r->send];
}

int cred_ring_stage(struct cred_ring *r, const struct cred *c)
{
    if (r->n == 0)
        return -EINVAL;
    if (ring_index(r, c->id) >= 0)
        return 0;
    if (r->n == CRED_RING_MAX)
        return -EBUSY;
    r->creds[r->n++] = *c;
    return 0;
}

int cred_ring_switch(struct cred_ring *r, const uint8_t id[CRED_ID_BYTES])
{
    int i = ring_index(r, id);

    if (i < 0)
        return -ENOENT;
    r->send = (size_t)i;
    return 0;
}

int cred_ring_retire(struct cred_ring *r, const uint8_t id[CRED_ID_BYTES])
{
    int i = ring_index(r, id);

    if (i < 0)
        return -ENOENT;
    if ((size_t)i != r->send)
        return -EBUSY;
    if (i != 0)
        r->creds[0] = r->creds[i];
    memset(&r->creds[1], 0, sizeof(r->creds[1]));
    r->n = 1;
    r->send = 0;
    return 0;
}

int cred_ring_abort(struct cred_ring *r, const uint8_t id[CRED_ID_BYTES])
{
    int i = ring_index(r, id);

    if (i < 0)
        return 0;
    if ((size_t)i == r->send)
        return -EBUSY;
    if (i == 0)
        r->creds[0] = r->creds[1];
    memset(&r->creds[1], 0, sizeof(r->creds[1]));
    r->n = 1;
    r->send = 0;
    return 0;
}
