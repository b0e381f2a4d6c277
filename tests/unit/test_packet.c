/*
 * Tests for packet: every builder byte for byte, checksums against values computed independently
 * (a Python one-liner over the pseudo-header, and the receiver's rule re-implemented here), and
 * every parser on good, foreign and malformed input.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/packet.h"

static const uint8_t mac[6] = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x01};
static const uint8_t ip4[4] = {10, 0, 0, 5};
/* fd00:213::5 */
static const uint8_t ip6[16] = {0xfd, 0x00, 0x02, 0x13, [15] = 0x05};
static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 0x01};
/* ff02::1:ff00:5, the solicited-node group of fd00:213::5 */
static const uint8_t sol_node[16] = {0xff, 0x02, [11] = 0x01, 0xff, 0x00, 0x00, 0x05};
static const uint8_t unspecified[16];
/* fe80::1 */
static const uint8_t link_local[16] = {0xfe, 0x80, [15] = 0x01};

/*
 * The receiver's rule (RFC 1071): the one's-complement sum of pseudo-header and message, the
 * checksum field included, is 0xffff. Written independently of packet.c: 32-bit words, little
 * tricks avoided, folded once at the end.
 */
static int icmp6_checksum_ok(const uint8_t src[16], const uint8_t dst[16], const uint8_t *msg,
                             size_t len)
{
    uint64_t sum = 0;
    size_t i;

    for (i = 0; i < 16; i += 2)
        sum += (uint64_t)(src[i] * 256 + src[i + 1]) + (uint64_t)(dst[i] * 256 + dst[i + 1]);
    sum += len + 58;
    for (i = 0; i < len; i++)
        sum += (i % 2 == 0) ? (uint64_t)msg[i] * 256 : msg[i];
    while (sum > 0xffff)
        sum = (sum & 0xffff) + (sum >> 16);
    return sum == 0xffff;
}

/* ---------------------------------------------------------------------------------------- */
/* ARP */

static void test_garp_bytes(void **state)
{
    static const uint8_t want[PACKET_ARP_FRAME_LEN] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01, 0x08, 0x06,
        0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,
        0x02, 0x00, 0x5e, 0x10, 0x00, 0x01, 10, 0, 0, 5,
        0, 0, 0, 0, 0, 0, 10, 0, 0, 5,
    };
    uint8_t buf[PACKET_ARP_FRAME_LEN + 4];

    memset(buf, 0xaa, sizeof(buf));
    assert_int_equal(packet_arp_garp(buf, mac, ip4), PACKET_ARP_FRAME_LEN);
    assert_memory_equal(buf, want, sizeof(want));
    assert_int_equal(buf[PACKET_ARP_FRAME_LEN], 0xaa); /* nothing written past the frame */
}

static void test_arp_probe_bytes(void **state)
{
    static const uint8_t want[PACKET_ARP_FRAME_LEN] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01, 0x08, 0x06,
        0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,
        0x02, 0x00, 0x5e, 0x10, 0x00, 0x01, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 10, 0, 0, 5,
    };
    uint8_t buf[PACKET_ARP_FRAME_LEN];

    assert_int_equal(packet_arp_probe(buf, mac, ip4), PACKET_ARP_FRAME_LEN);
    assert_memory_equal(buf, want, sizeof(want));
}

/* An ARP reply from 10.0.0.9 at 02:..:09 to us, padded to the Ethernet minimum. */
static size_t make_reply(uint8_t buf[60])
{
    static const uint8_t frame[PACKET_ARP_FRAME_LEN] = {
        0x02, 0x00, 0x5e, 0x10, 0x00, 0x01, 0x02, 0x00, 0x5e, 0x10, 0x00, 0x09, 0x08, 0x06,
        0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x02,
        0x02, 0x00, 0x5e, 0x10, 0x00, 0x09, 10, 0, 0, 9,
        0x02, 0x00, 0x5e, 0x10, 0x00, 0x01, 0, 0, 0, 0,
    };

    memset(buf, 0, 60);
    memcpy(buf, frame, sizeof(frame));
    return 60;
}

static void test_arp_parse_reply(void **state)
{
    static const uint8_t peer_mac[6] = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x09};
    static const uint8_t peer_ip[4] = {10, 0, 0, 9};
    uint8_t buf[60], got_mac[6], got_ip[4];
    struct packet_arp arp;

    make_reply(buf);
    assert_int_equal(packet_arp_parse_reply(buf, 60, got_mac, got_ip), 0);
    assert_memory_equal(got_mac, peer_mac, 6);
    assert_memory_equal(got_ip, peer_ip, 4);
    assert_int_equal(packet_arp_parse_reply(buf, PACKET_ARP_FRAME_LEN, got_mac, got_ip), 0);

    assert_int_equal(packet_arp_parse(buf, 60, &arp), 0);
    assert_int_equal(arp.op, PACKET_ARP_OP_REPLY);
    assert_memory_equal(arp.tha, mac, 6);
    assert_memory_equal(arp.tpa, (uint8_t[4]){0}, 4);
}

static void test_arp_parse_rejects(void **state)
{
    uint8_t buf[60], frame[PACKET_ARP_FRAME_LEN], got_mac[6] = {0}, got_ip[4] = {0};
    struct packet_arp arp;

    /* a request is ARP but not a reply; parse still reads it */
    packet_arp_garp(frame, mac, ip4);
    assert_int_equal(packet_arp_parse_reply(frame, sizeof(frame), got_mac, got_ip), -ENOMSG);
    assert_int_equal(packet_arp_parse(frame, sizeof(frame), &arp), 0);
    assert_int_equal(arp.op, PACKET_ARP_OP_REQUEST);
    assert_memory_equal(arp.sha, mac, 6);
    assert_memory_equal(arp.spa, ip4, 4);

    make_reply(buf);
    assert_int_equal(packet_arp_parse_reply(buf, PACKET_ARP_FRAME_LEN - 1, got_mac, got_ip),
                     -EBADMSG);
    assert_int_equal(packet_arp_parse_reply(buf, 10, got_mac, got_ip), -EBADMSG);
    assert_int_equal(packet_arp_parse_reply(buf, 0, got_mac, got_ip), -EBADMSG);
    buf[13] = 0x00; /* ethertype 0x0800: IPv4, not ARP */
    assert_int_equal(packet_arp_parse_reply(buf, 60, got_mac, got_ip), -ENOMSG);
    make_reply(buf);
    buf[15] = 6; /* hardware type IEEE 802 */
    assert_int_equal(packet_arp_parse_reply(buf, 60, got_mac, got_ip), -ENOMSG);
    make_reply(buf);
    buf[19] = 16; /* protocol length of IPv6 */
    assert_int_equal(packet_arp_parse_reply(buf, 60, got_mac, got_ip), -ENOMSG);
    /* outputs untouched on failure */
    assert_memory_equal(got_mac, (uint8_t[6]){0}, 6);
    assert_memory_equal(got_ip, (uint8_t[4]){0}, 4);
}

/* ---------------------------------------------------------------------------------------- */
/* ICMPv6 */

static void test_checksum_known_values(void **state)
{
    static const uint8_t odd[5] = {1, 2, 0xee, 0xee, 5}; /* checksum field must count as 0 */
    /* fe80::2 */
    static const uint8_t ll2[16] = {0xfe, 0x80, [15] = 0x02};

    assert_int_equal(packet_icmp6_checksum(link_local, ll2, odd, sizeof(odd)), 0xfcb9);
}

static void test_solicited_node(void **state)
{
    static const uint8_t addr[16] = {0x20, 0x01, 0x0d, 0xb8, [12] = 0x4f, 0xab, 0xcd, 0xef};
    static const uint8_t want[16] = {0xff, 0x02, [11] = 0x01, 0xff, 0xab, 0xcd, 0xef};
    uint8_t got[16];

    packet_ip6_solicited_node(addr, got);
    assert_memory_equal(got, want, 16);
    packet_ip6_solicited_node(ip6, got);
    assert_memory_equal(got, sol_node, 16);
}

static void test_na_bytes(void **state)
{
    static const uint8_t want[PACKET_NA_LEN] = {
        136, 0, 0xf8, 0x5c, 0x20, 0, 0, 0,
        0xfd, 0x00, 0x02, 0x13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x05,
        2, 1, 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01,
    };
    uint8_t buf[PACKET_NA_LEN];

    assert_int_equal(packet_icmp6_na(buf, ip6, ip6, mac), PACKET_NA_LEN);
    assert_memory_equal(buf, want, sizeof(want));
    assert_true(icmp6_checksum_ok(ip6, all_nodes, buf, sizeof(buf)));
    assert_false(icmp6_checksum_ok(link_local, all_nodes, buf, sizeof(buf)));
    /* sent from the link-local address instead: a different, still valid checksum */
    packet_icmp6_na(buf, link_local, ip6, mac);
    assert_true(icmp6_checksum_ok(link_local, all_nodes, buf, sizeof(buf)));
}

static void test_ns_bytes(void **state)
{
    static const uint8_t want_dad[24] = {
        135, 0, 0x7b, 0x8a, 0, 0, 0, 0,
        0xfd, 0x00, 0x02, 0x13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x05,
    };
    static const uint8_t want_src[32] = {
        135, 0, 0x1b, 0xee, 0, 0, 0, 0,
        0xfd, 0x00, 0x02, 0x13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x05,
        1, 1, 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01,
    };
    uint8_t buf[PACKET_NS_MAX_LEN];

    assert_int_equal(packet_icmp6_ns(buf, unspecified, ip6, NULL), 24);
    assert_memory_equal(buf, want_dad, 24);
    assert_true(icmp6_checksum_ok(unspecified, sol_node, buf, 24));
    assert_int_equal(packet_icmp6_ns(buf, link_local, ip6, mac), 32);
    assert_memory_equal(buf, want_src, 32);
    assert_true(icmp6_checksum_ok(link_local, sol_node, buf, 32));
}

static void test_ns_dad_frame_bytes(void **state)
{
    static const uint8_t want[PACKET_NS_DAD_FRAME_LEN] = {
        /* Ethernet: 33:33 + last 32 bits of ff02::1:ff00:5 */
        0x33, 0x33, 0xff, 0x00, 0x00, 0x05, 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01, 0x86, 0xdd,
        /* IPv6: version 6, payload 24, next header 58, hop limit 255, :: -> ff02::1:ff00:5 */
        0x60, 0, 0, 0, 0, 24, 58, 255,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff, 0x00, 0x00, 0x05,
        /* NS */
        135, 0, 0x7b, 0x8a, 0, 0, 0, 0,
        0xfd, 0x00, 0x02, 0x13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x05,
    };
    uint8_t buf[PACKET_NS_DAD_FRAME_LEN];

    assert_int_equal(packet_ns_dad_frame(buf, mac, ip6), PACKET_NS_DAD_FRAME_LEN);
    assert_memory_equal(buf, want, sizeof(want));
}

static void test_parse_na(void **state)
{
    uint8_t buf[PACKET_NA_LEN + 8];
    struct packet_na na;

    packet_icmp6_na(buf, ip6, ip6, mac);
    assert_int_equal(packet_icmp6_parse_na(buf, PACKET_NA_LEN, &na), 0);
    assert_int_equal(na.flags, PACKET_NA_FLAG_OVERRIDE);
    assert_memory_equal(na.target, ip6, 16);
    assert_true(na.has_lladdr);
    assert_memory_equal(na.lladdr, mac, 6);

    /* without options: no link-layer address; reserved bits are not flags */
    buf[4] = 0xff;
    assert_int_equal(packet_icmp6_parse_na(buf, 24, &na), 0);
    assert_false(na.has_lladdr);
    assert_int_equal(na.flags, 0xe0);

    /* an unknown option before the TLLA is skipped */
    packet_icmp6_na(buf, ip6, ip6, mac);
    memmove(buf + 32, buf + 24, 8);
    memcpy(buf + 24, (uint8_t[8]){14, 1, 9, 9, 9, 9, 9, 9}, 8);
    assert_int_equal(packet_icmp6_parse_na(buf, sizeof(buf), &na), 0);
    assert_true(na.has_lladdr);
    assert_memory_equal(na.lladdr, mac, 6);
}

static void test_parse_na_rejects(void **state)
{
    uint8_t buf[PACKET_NA_LEN], ns[PACKET_NS_MAX_LEN];
    struct packet_na na;

    memset(&na, 0x5a, sizeof(na));
    packet_icmp6_na(buf, ip6, ip6, mac);
    assert_int_equal(packet_icmp6_parse_na(buf, 0, &na), -EBADMSG);
    assert_int_equal(packet_icmp6_parse_na(buf, 23, &na), -EBADMSG);
    assert_int_equal(packet_icmp6_parse_na(buf, 30, &na), -EBADMSG); /* option overruns */
    packet_icmp6_ns(ns, unspecified, ip6, NULL);
    assert_int_equal(packet_icmp6_parse_na(ns, 24, &na), -ENOMSG);
    buf[25] = 0; /* zero-length option */
    assert_int_equal(packet_icmp6_parse_na(buf, PACKET_NA_LEN, &na), -EBADMSG);
    packet_icmp6_na(buf, ip6, ip6, mac);
    buf[1] = 1; /* code must be 0 */
    assert_int_equal(packet_icmp6_parse_na(buf, PACKET_NA_LEN, &na), -EBADMSG);
    packet_icmp6_na(buf, ip6, all_nodes, mac); /* multicast target */
    assert_int_equal(packet_icmp6_parse_na(buf, PACKET_NA_LEN, &na), -EBADMSG);
    assert_int_equal(na.flags, 0x5a); /* untouched */
}

/* Ethernet + IPv6 + NA from ip6 to ff02::1, as a peer's kernel would send it. */
static size_t make_na_frame(uint8_t *f)
{
    static const uint8_t hdr[PACKET_ETH_HLEN + 8] = {
        0x33, 0x33, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01, 0x86, 0xdd,
        0x60, 0, 0, 0, 0, PACKET_NA_LEN, 58, 255,
    };

    memcpy(f, hdr, sizeof(hdr));
    memcpy(f + 22, ip6, 16);
    memcpy(f + 38, all_nodes, 16);
    packet_icmp6_na(f + 54, ip6, ip6, mac);
    return 54 + PACKET_NA_LEN;
}

static void test_na_frame_parse(void **state)
{
    uint8_t f[128], src_mac[6];
    struct packet_na na;
    size_t len = make_na_frame(f);

    assert_int_equal(packet_na_frame_parse(f, len, &na, src_mac), 0);
    assert_memory_equal(na.target, ip6, 16);
    assert_memory_equal(src_mac, mac, 6);
    assert_true(na.has_lladdr);
    /* trailing bytes past the IPv6 payload length are ignored; NULL src mac is allowed */
    assert_int_equal(packet_na_frame_parse(f, len + 10, &na, NULL), 0);
}

static void test_na_frame_parse_rejects(void **state)
{
    uint8_t f[128], dad[PACKET_NS_DAD_FRAME_LEN], arp[PACKET_ARP_FRAME_LEN];
    struct packet_na na;
    size_t len = make_na_frame(f);

    assert_int_equal(packet_na_frame_parse(f, len - 1, &na, NULL), -EBADMSG);
    assert_int_equal(packet_na_frame_parse(f, 30, &na, NULL), -EBADMSG);
    f[21] = 64; /* routed from elsewhere: hop limit must be 255 */
    assert_int_equal(packet_na_frame_parse(f, len, &na, NULL), -EBADMSG);
    make_na_frame(f);
    f[60] ^= 0x01; /* corrupt checksum coverage */
    assert_int_equal(packet_na_frame_parse(f, len, &na, NULL), -EBADMSG);
    make_na_frame(f);
    f[58] |= PACKET_NA_FLAG_SOLICITED; /* solicited NA to a multicast group is invalid ... */
    f[56] = 0; /* ... even with a correct checksum */
    f[57] = 0;
    {
        uint16_t c = packet_icmp6_checksum(f + 22, f + 38, f + 54, PACKET_NA_LEN);
        f[56] = (uint8_t)(c >> 8);
        f[57] = (uint8_t)c;
    }
    assert_true(icmp6_checksum_ok(f + 22, f + 38, f + 54, PACKET_NA_LEN));
    assert_int_equal(packet_na_frame_parse(f, len, &na, NULL), -EBADMSG);
    make_na_frame(f);
    f[20] = 0; /* hop-by-hop header first */
    assert_int_equal(packet_na_frame_parse(f, len, &na, NULL), -ENOMSG);
    make_na_frame(f);
    f[14] = 0x45;
    assert_int_equal(packet_na_frame_parse(f, len, &na, NULL), -EBADMSG);
    packet_ns_dad_frame(dad, mac, ip6);
    assert_int_equal(packet_na_frame_parse(dad, sizeof(dad), &na, NULL), -ENOMSG);
    packet_arp_garp(arp, mac, ip4);
    assert_int_equal(packet_na_frame_parse(arp, sizeof(arp), &na, NULL), -ENOMSG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_garp_bytes),
        cmocka_unit_test(test_arp_probe_bytes),
        cmocka_unit_test(test_arp_parse_reply),
        cmocka_unit_test(test_arp_parse_rejects),
        cmocka_unit_test(test_checksum_known_values),
        cmocka_unit_test(test_solicited_node),
        cmocka_unit_test(test_na_bytes),
        cmocka_unit_test(test_ns_bytes),
        cmocka_unit_test(test_ns_dad_frame_bytes),
        cmocka_unit_test(test_parse_na),
        cmocka_unit_test(test_parse_na_rejects),
        cmocka_unit_test(test_na_frame_parse),
        cmocka_unit_test(test_na_frame_parse_rejects),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
