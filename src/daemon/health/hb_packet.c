/*
 * hb_packet — heartbeat datagram codec (see hb_packet.h).
 */
#include "daemon/health/hb_packet.h"

#include <errno.h>
#include <string.h>

#include "common/wire.h"

int hb_packet_encode(const struct hb_packet *p, hb_mac_fn mac, void *mac_arg, uint8_t *buf)
{
    size_t off = HB_HEADER_BYTES;
    int rv;

    if (p->n > HB_MAX_NODES)
        return -EINVAL;
    wire_le_put(buf, HB_PACKET_MAGIC, 4);
    buf[4] = HB_PACKET_VERSION;
    buf[5] = p->type;
    wire_le_put(buf + 6, p->n, 2);
    wire_le_put(buf + 8, p->sender, 8);
    wire_le_put(buf + 16, p->boot, 8);
    wire_le_put(buf + 24, p->seq, 8);
    wire_le_put(buf + 32, p->send_ms, 8);
    wire_le_put(buf + 40, p->lease_ms, 4);
    wire_le_put(buf + 44, p->voters_fp, 8);
    wire_le_put(buf + 52, p->lapsed_ms, 4);
    wire_le_put(buf + 56, p->lapsed_incarnation, 8);
    for (size_t i = 0; i < p->n; i++, off += HB_ENTRY_BYTES) {
        wire_le_put(buf + off, p->entries[i].id, 8);
        wire_le_put(buf + off + 8, p->entries[i].echo_ms, 8);
        wire_le_put(buf + off + 16, p->entries[i].silence_ms, 4);
        wire_le_put(buf + off + 20, p->entries[i].lease_ms, 4);
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

    if (len < HB_HEADER_BYTES + HB_TAG_BYTES || wire_le_get(buf, 4) != HB_PACKET_MAGIC ||
        buf[4] != HB_PACKET_VERSION)
        return -EBADMSG;
    n = wire_le_get(buf + 6, 2);
    body = HB_HEADER_BYTES + n * HB_ENTRY_BYTES;
    if (n > HB_MAX_NODES || len != body + HB_TAG_BYTES ||
        (buf[5] != HB_TYPE_HEARTBEAT && buf[5] != HB_TYPE_ACK))
        return -EBADMSG;
    if (mac(mac_arg, buf, body, tag) < 0 || tags_differ(tag, buf + body))
        return -EACCES;
    ret->type = buf[5];
    ret->n = n;
    ret->sender = wire_le_get(buf + 8, 8);
    ret->boot = wire_le_get(buf + 16, 8);
    ret->seq = wire_le_get(buf + 24, 8);
    ret->send_ms = wire_le_get(buf + 32, 8);
    ret->lease_ms = (uint32_t)wire_le_get(buf + 40, 4);
    ret->voters_fp = wire_le_get(buf + 44, 8);
    ret->lapsed_ms = (uint32_t)wire_le_get(buf + 52, 4);
    ret->lapsed_incarnation = wire_le_get(buf + 56, 8);
    for (size_t i = 0; i < n; i++) {
        const uint8_t *e = buf + HB_HEADER_BYTES + i * HB_ENTRY_BYTES;

        ret->entries[i] = (struct hb_entry){.id = wire_le_get(e, 8), .echo_ms = wire_le_get(e + 8, 8),
                                            .silence_ms = (uint32_t)wire_le_get(e + 16, 4),
                                            .lease_ms = (uint32_t)wire_le_get(e + 20, 4)};
    }
    return 0;
}
