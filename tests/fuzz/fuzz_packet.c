/*
 * fuzz_packet — the link-layer frames an address probe hears: ARP (RFC 5227 replies) and IPv6
 * Neighbour Advertisements, as whole Ethernet frames and as bare ICMPv6 messages.
 *
 * Invariants: the reply parser agrees with the general ARP parser; a frame that parses as an NA
 * carries a correct checksum and the same NA as its ICMPv6 part parsed alone; failures leave the
 * outputs alone. The builders, fed addresses from the input, make frames the parsers read back
 * to the same addresses.
 */
#include "fuzz.h"

#include <errno.h>

#include "common/packet.h"

static void check_arp(const uint8_t *data, size_t size)
{
    struct packet_arp arp;
    uint8_t mac[PACKET_ETH_ALEN], ip[4];
    int rv, reply;

    memset(&arp, FUZZ_POISON, sizeof(arp));
    rv = packet_arp_parse(data, size, &arp);
    FUZZ_CHECK(rv == 0 || rv == -ENOMSG || rv == -EBADMSG);
    if (rv < 0)
        FUZZ_CHECK(fuzz_untouched(&arp, sizeof(arp)));
    memset(mac, FUZZ_POISON, sizeof(mac));
    memset(ip, FUZZ_POISON, sizeof(ip));
    reply = packet_arp_parse_reply(data, size, mac, ip);
    if (rv < 0) {
        FUZZ_CHECK(reply == rv);
    } else if (arp.op != PACKET_ARP_OP_REPLY) {
        FUZZ_CHECK(reply == -ENOMSG);
    } else {
        FUZZ_CHECK(reply == 0 && memcmp(mac, arp.sha, 6) == 0 && memcmp(ip, arp.spa, 4) == 0);
        return;
    }
    FUZZ_CHECK(fuzz_untouched(mac, sizeof(mac)) && fuzz_untouched(ip, sizeof(ip)));
}

static int na_equal(const struct packet_na *a, const struct packet_na *b)
{
    return a->flags == b->flags && memcmp(a->target, b->target, 16) == 0 &&
           a->has_lladdr == b->has_lladdr &&
           (!a->has_lladdr || memcmp(a->lladdr, b->lladdr, PACKET_ETH_ALEN) == 0);
}

static void check_na(const uint8_t *data, size_t size)
{
    const uint8_t *ip6 = data + PACKET_ETH_HLEN, *icmp = ip6 + PACKET_IP6_HLEN;
    struct packet_na na, alone;
    uint8_t src_mac[PACKET_ETH_ALEN];
    size_t plen;
    int rv;

    memset(&na, FUZZ_POISON, sizeof(na));
    rv = packet_icmp6_parse_na(data, size, &na);
    FUZZ_CHECK(rv == 0 || rv == -ENOMSG || rv == -EBADMSG);
    if (rv == 0)
        FUZZ_CHECK(data[0] == PACKET_ICMP6_NA && na.target[0] != 0xff);
    else
        FUZZ_CHECK(fuzz_untouched(&na, sizeof(na)));

    memset(&na, FUZZ_POISON, sizeof(na));
    memset(src_mac, FUZZ_POISON, sizeof(src_mac));
    rv = packet_na_frame_parse(data, size, &na, src_mac);
    FUZZ_CHECK(rv == 0 || rv == -ENOMSG || rv == -EBADMSG);
    if (rv < 0) {
        FUZZ_CHECK(fuzz_untouched(&na, sizeof(na)) && fuzz_untouched(src_mac, sizeof(src_mac)));
        return;
    }
    plen = (size_t)(ip6[4] << 8 | ip6[5]);
    FUZZ_CHECK(PACKET_ETH_HLEN + PACKET_IP6_HLEN + plen <= size);
    FUZZ_CHECK(memcmp(src_mac, data + 6, PACKET_ETH_ALEN) == 0 && ip6[7] == 255);
    FUZZ_CHECK((icmp[2] << 8 | icmp[3]) == packet_icmp6_checksum(ip6 + 8, ip6 + 24, icmp, plen));
    FUZZ_CHECK(packet_icmp6_parse_na(icmp, plen, &alone) == 0 && na_equal(&na, &alone));
}

/* Builders fed with the input's first bytes as addresses; their output must parse back. */
static void check_builders(const uint8_t *data, size_t size)
{
    static const uint8_t link_local[16] = {0xfe, 0x80, [15] = 1};
    static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 1};
    uint8_t frame[PACKET_NS_DAD_FRAME_LEN], msg[PACKET_NA_LEN], mac[6], ip[4];
    const uint8_t *in_mac = data, *target = data + 6;
    struct packet_arp arp;
    struct packet_na na;

    if (size < 6 + 16)
        return;
    FUZZ_CHECK(packet_arp_garp(frame, in_mac, target) == PACKET_ARP_FRAME_LEN);
    FUZZ_CHECK(packet_arp_parse(frame, PACKET_ARP_FRAME_LEN, &arp) == 0);
    FUZZ_CHECK(arp.op == PACKET_ARP_OP_REQUEST && memcmp(arp.sha, in_mac, 6) == 0 &&
               memcmp(arp.spa, target, 4) == 0 && memcmp(arp.tpa, target, 4) == 0);
    FUZZ_CHECK(packet_arp_parse_reply(frame, PACKET_ARP_FRAME_LEN, mac, ip) == -ENOMSG);
    FUZZ_CHECK(packet_arp_probe(frame, in_mac, target) == PACKET_ARP_FRAME_LEN);
    FUZZ_CHECK(packet_arp_parse(frame, PACKET_ARP_FRAME_LEN, &arp) == 0);
    FUZZ_CHECK(arp.op == PACKET_ARP_OP_REQUEST && memcmp(arp.tpa, target, 4) == 0 &&
               (arp.spa[0] | arp.spa[1] | arp.spa[2] | arp.spa[3]) == 0);

    FUZZ_CHECK(packet_ns_dad_frame(frame, in_mac, target) == PACKET_NS_DAD_FRAME_LEN);
    FUZZ_CHECK(packet_na_frame_parse(frame, PACKET_NS_DAD_FRAME_LEN, &na, NULL) == -ENOMSG);
    if (target[0] == 0xff) /* a multicast target is never advertised */
        return;
    FUZZ_CHECK(packet_icmp6_na(msg, link_local, target, in_mac) == PACKET_NA_LEN);
    FUZZ_CHECK((msg[2] << 8 | msg[3]) ==
               packet_icmp6_checksum(link_local, all_nodes, msg, PACKET_NA_LEN));
    FUZZ_CHECK(packet_icmp6_parse_na(msg, PACKET_NA_LEN, &na) == 0);
    FUZZ_CHECK(na.flags == PACKET_NA_FLAG_OVERRIDE && memcmp(na.target, target, 16) == 0 &&
               na.has_lladdr && memcmp(na.lladdr, in_mac, 6) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_arp(data, size);
    check_na(data, size);
    check_builders(data, size);
    return 0;
}
