/*
 * hb_packet — the heartbeat datagram: a fixed header, the entries, and an HMAC-SHA256 tag
 * (truncated to 16 bytes) over everything before it, keyed with the cluster credential.
 * Encoding and decoding are pure; the MAC function is passed in so tests need no crypto.
 *
 *   magic u32 "CLHB" | version u8 | type u8 | count u16 | sender u64 | boot u64 | seq u64 |
 *   send_ms u64 | lease_ms u32 | voters_fp u64 | lapsed_ms u32 | lapsed_incarnation u64 |
 *   count × (id u64, echo_ms u64, silence_ms u32, lease_ms u32) |
 *   tag[16]                                                                    (little endian)
 */
#ifndef CLUSSVC_HB_PACKET_H
#define CLUSSVC_HB_PACKET_H

#include <stddef.h>
#include <stdint.h>

#include "daemon/health/hb_track.h"

#define HB_PACKET_MAGIC 0x42484c43u /* "CLHB" */
#define HB_PACKET_VERSION 5
#define HB_TAG_BYTES 16
#define HB_HEADER_BYTES 64
#define HB_ENTRY_BYTES 24
#define HB_PACKET_MAX (HB_HEADER_BYTES + HB_MAX_NODES * HB_ENTRY_BYTES + HB_TAG_BYTES)

enum hb_packet_type { HB_TYPE_HEARTBEAT = 1, HB_TYPE_ACK = 2 };

struct hb_packet {
    uint8_t type;
    uint64_t sender;
    uint64_t boot;    /* the sender's start time (wall clock, ms): a restart starts a new series */
    uint64_t seq;     /* per boot, strictly increasing */
    uint64_t send_ms; /* the sender's monotonic clock */
    uint32_t lease_ms; /* the lease the sender derives from this packet's echoes */
    uint64_t voters_fp; /* the sender's voter configuration (hb_track.h) */
    uint32_t lapsed_ms; /* how long the sender has run nothing for want of a lease (0: not so) */
    uint64_t lapsed_incarnation; /* the sender's incarnation it can no longer run anything of */
    size_t n;
    struct hb_entry entries[HB_MAX_NODES];
};

/* Computes the tag of data[0..len) into tag[HB_TAG_BYTES]; 0 or negative errno. */
typedef int (*hb_mac_fn)(void *arg, const uint8_t *data, size_t len, uint8_t *tag);

/* Encodes p into buf (HB_PACKET_MAX bytes); returns the length or a negative errno. */
int hb_packet_encode(const struct hb_packet *p, hb_mac_fn mac, void *mac_arg, uint8_t *buf);
/* Decodes and authenticates; -EBADMSG if malformed, -EACCES if the tag does not match. */
int hb_packet_decode(const uint8_t *buf, size_t len, hb_mac_fn mac, void *mac_arg,
                     struct hb_packet *ret);

#endif
