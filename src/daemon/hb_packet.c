/*
 * hb_packet — heartbeat datagram codec (see hb_packet.h).
 */
#include "daemon/hb_packet.h"

#include <errno.h>
#include <string.h>

static void put(uint8_t *p, uint64_t v, unsigned width)
{
    for (unsigned i = 0; i < width; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get(const uint8_t *p, unsigned width)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < width; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

int hb_packet_encode(const struct hb_packet *p, hb_mac_fn mac, void *mac_arg, uint8_t *buf)
{
    size_t off = HB_HEADER_BYTES;
    int rv;

    if (p->n > HB_MAX_NODES)
        return -EINVAL;
    put(buf, HB_PACKET_MAGIC, 4);
    buf[4] = HB_PACKET_VERSION;
    buf[5] = p->type;
    put(buf + 6, p->n, 2);
    put(buf + 8, p->sender, 8);
    put(buf + 16, p->boot, 8);
    put(buf + 24, p->seq, 8);
    put(buf + 32, p->send_ms, 8);
    put(buf + 40, p->lease_ms, 4);
    for (size_t i = 0; i < p->n; i++, off += HB_ENTRY_BYTES) {
        put(buf + off, p->entries[i].id, 8);
        put(buf + off + 8, p->entries[i].echo_ms, 8);
        put(buf + off + 16, p->entries[i].silence_ms, 4);
        put(buf + off + 20, p->entries[i].lease_ms, 4);
    }
    rv = mac(mac_arg, buf, off, buf + off);
    return rv < 0 ? rv : (int)(off + HB_TAG_BYTES);
}

/* Compares tags in constant time: a timing side channel must not reveal a partial match. */
static int tags_differ(const uint8_t *a, const uint8_t *b)
{
    uint8_t d = 0;

    for (unsigned i = 0; i < HB_TAG_BYTES; i++)
        d |= a[i] ^ b[i];
    return d != 0;
}

int hb_packet_decode(const uint8_t *buf, size_t len, hb_mac_fn mac, void *mac_arg,
                     struct hb_packet *ret)
{
    uint8_t tag[HB_TAG_BYTES];
    size_t n, body;

    if (len < HB_HEADER_BYTES + HB_TAG_BYTES || get(buf, 4) != HB_PACKET_MAGIC ||
        buf[4] != HB_PACKET_VERSION)
        return -EBADMSG;
    n = get(buf + 6, 2);
    body = HB_HEADER_BYTES + n * HB_ENTRY_BYTES;
    if (n > HB_MAX_NODES || len != body + HB_TAG_BYTES ||
        (buf[5] != HB_TYPE_HEARTBEAT && buf[5] != HB_TYPE_ACK))
        return -EBADMSG;
    if (mac(mac_arg, buf, body, tag) < 0 || tags_differ(tag, buf + body))
        return -EACCES;
    ret->type = buf[5];
    ret->n = n;
    ret->sender = get(buf + 8, 8);
    ret->boot = get(buf + 16, 8);
    ret->seq = get(buf + 24, 8);
    ret->send_ms = get(buf + 32, 8);
    ret->lease_ms = (uint32_t)get(buf + 40, 4);
    for (size_t i = 0; i < n; i++) {
        const uint8_t *e = buf + HB_HEADER_BYTES + i * HB_ENTRY_BYTES;

        ret->entries[i] = (struct hb_entry){.id = get(e, 8), .echo_ms = get(e + 8, 8),
                                            .silence_ms = (uint32_t)get(e + 16, 4),
                                            .lease_ms = (uint32_t)get(e + 20, 4)};
    }
    return 0;
}
