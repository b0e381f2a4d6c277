/*
 * packet — ARP and ICMPv6 neighbour discovery frames, built and parsed byte by byte so that the
 * layout does not depend on the host's struct packing or headers.
 */
#include "common/packet.h"

#include <errno.h>
#include <string.h>

#define ARP_HTYPE_ETHER 1
#define ARP_PTYPE_IPV4 0x0800
#define IPPROTO_ICMP6_NUM 58
#define ND_OPT_SOURCE_LLADDR 1
#define ND_OPT_TARGET_LLADDR 2
#define ND_HOP_LIMIT 255
#define ND_BODY_LEN 24

static const uint8_t eth_broadcast[PACKET_ETH_ALEN] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const uint8_t ip6_all_nodes[16] = {0xff, 0x02, [15] = 0x01};
static const uint8_t ip6_unspecified[16];

/* ------------------------------------------------------------------------------------------ */
/* byte helpers */

static uint8_t *put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
    return p + 2;
}

static uint8_t *put(uint8_t *p, const void *src, size_t n)
{
    memcpy(p, src, n);
    return p + n;
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint8_t *put_eth(uint8_t *p, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
    p = put(p, dst, PACKET_ETH_ALEN);
    p = put(p, src, PACKET_ETH_ALEN);
    return put16(p, type);
}

/* ------------------------------------------------------------------------------------------ */
/* ARP */

static size_t arp_frame(uint8_t *buf, const uint8_t mac[6], const uint8_t spa[4],
                        const uint8_t tpa[4])
{
    static const uint8_t zero_mac[PACKET_ETH_ALEN];
    uint8_t *p = put_eth(buf, eth_broadcast, mac, PACKET_ETHERTYPE_ARP);

    p = put16(p, ARP_HTYPE_ETHER);
    p = put16(p, ARP_PTYPE_IPV4);
    *p++ = PACKET_ETH_ALEN;
    *p++ = 4;
    p = put16(p, PACKET_ARP_OP_REQUEST);
    p = put(p, mac, PACKET_ETH_ALEN);
    p = put(p, spa, 4);
    p = put(p, zero_mac, PACKET_ETH_ALEN);
    p = put(p, tpa, 4);
    return (size_t)(p - buf);
}

size_t packet_arp_garp(uint8_t buf[PACKET_ARP_FRAME_LEN], const uint8_t mac[PACKET_ETH_ALEN],
                       const uint8_t ip[4])
{
    return arp_frame(buf, mac, ip, ip);
}

size_t packet_arp_probe(uint8_t buf[PACKET_ARP_FRAME_LEN], const uint8_t mac[PACKET_ETH_ALEN],
                        const uint8_t target[4])
{
    static const uint8_t any[4];

    return arp_frame(buf, mac, any, target);
}

int packet_arp_parse(const void *frame, size_t len, struct packet_arp *ret)
{
    const uint8_t *p = frame;

    if (len < PACKET_ETH_HLEN)
        return -EBADMSG;
    if (get16(p + 12) != PACKET_ETHERTYPE_ARP)
        return -ENOMSG;
    if (len < PACKET_ARP_FRAME_LEN)
        return -EBADMSG;
    p += PACKET_ETH_HLEN;
    if (get16(p) != ARP_HTYPE_ETHER || get16(p + 2) != ARP_PTYPE_IPV4 || p[4] != PACKET_ETH_ALEN
        || p[5] != 4)
        return -ENOMSG;
    ret->op = get16(p + 6);
    memcpy(ret->sha, p + 8, PACKET_ETH_ALEN);
    memcpy(ret->spa, p + 14, 4);
    memcpy(ret->tha, p + 18, PACKET_ETH_ALEN);
    memcpy(ret->tpa, p + 24, 4);
    return 0;
}

int packet_arp_parse_reply(const void *frame, size_t len, uint8_t ret_mac[PACKET_ETH_ALEN],
                           uint8_t ret_ip[4])
{
    struct packet_arp arp;
    int rv = packet_arp_parse(frame, len, &arp);

    if (rv < 0)
        return rv;
    if (arp.op != PACKET_ARP_OP_REPLY)
        return -ENOMSG;
    memcpy(ret_mac, arp.sha, PACKET_ETH_ALEN);
    memcpy(ret_ip, arp.spa, 4);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* ICMPv6 */

static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t len)
{
    for (; len >= 2; p += 2, len -= 2)
        sum += get16(p);
    if (len)
        sum += (uint32_t)p[0] << 8;
    return sum;
}

uint16_t packet_icmp6_checksum(const uint8_t src[16], const uint8_t dst[16], const void *msg,
                               size_t len)
{
    const uint8_t *m = msg;
    uint32_t sum = 0;

    sum = sum16(sum, src, 16);
    sum = sum16(sum, dst, 16);
    sum += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff);
    sum += IPPROTO_ICMP6_NUM;
    /* the checksum field itself counts as zero, whatever the buffer holds */
    sum = sum16(sum, m, len < 2 ? len : 2);
    if (len > 4)
        sum = sum16(sum, m + 4, len - 4);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

void packet_ip6_solicited_node(const uint8_t addr[16], uint8_t ret[16])
{
    static const uint8_t prefix[13] = {0xff, 0x02, [11] = 0x01, [12] = 0xff};

    memcpy(ret, prefix, sizeof(prefix));
    memcpy(ret + 13, addr + 13, 3);
}

/* Type, code, zero checksum, 4 flag/reserved bytes, target; the checksum is filled in later. */
static uint8_t *nd_body(uint8_t *buf, uint8_t type, uint8_t flags, const uint8_t target[16])
{
    uint8_t *p = buf;

    *p++ = type;
    *p++ = 0;
    p = put16(p, 0);
    *p++ = flags;
    *p++ = 0;
    p = put16(p, 0);
    return put(p, target, 16);
}

static uint8_t *nd_lladdr_opt(uint8_t *p, uint8_t type, const uint8_t mac[6])
{
    *p++ = type;
    *p++ = 1; /* in units of 8 bytes */
    return put(p, mac, PACKET_ETH_ALEN);
}

size_t packet_icmp6_na(uint8_t buf[PACKET_NA_LEN], const uint8_t src[16], const uint8_t target[16],
                       const uint8_t mac[PACKET_ETH_ALEN])
{
    uint8_t *p = nd_body(buf, PACKET_ICMP6_NA, PACKET_NA_FLAG_OVERRIDE, target);
    size_t len;

    p = nd_lladdr_opt(p, ND_OPT_TARGET_LLADDR, mac);
    len = (size_t)(p - buf);
    put16(buf + 2, packet_icmp6_checksum(src, ip6_all_nodes, buf, len));
    return len;
}

/* The NS builder on a plain pointer: the DAD frame has room for the 24-byte form only. */
static size_t ns_message(uint8_t *buf, const uint8_t *src, const uint8_t *target,
                         const uint8_t *mac)
{
    uint8_t *p = nd_body(buf, PACKET_ICMP6_NS, 0, target);
    uint8_t dst[16];
    size_t len;

    if (memcmp(src, ip6_unspecified, 16) != 0)
        p = nd_lladdr_opt(p, ND_OPT_SOURCE_LLADDR, mac);
    len = (size_t)(p - buf);
    packet_ip6_solicited_node(target, dst);
    put16(buf + 2, packet_icmp6_checksum(src, dst, buf, len));
    return len;
}

size_t packet_icmp6_ns(uint8_t buf[PACKET_NS_MAX_LEN], const uint8_t src[16],
                       const uint8_t target[16], const uint8_t mac[PACKET_ETH_ALEN])
{
    return ns_message(buf, src, target, mac);
}

size_t packet_ns_dad_frame(uint8_t buf[PACKET_NS_DAD_FRAME_LEN], const uint8_t mac[PACKET_ETH_ALEN],
                           const uint8_t target[16])
{
    uint8_t group[16], dst_mac[PACKET_ETH_ALEN] = {0x33, 0x33};
    uint8_t *ip6 = buf + PACKET_ETH_HLEN, *p;
    size_t icmp_len;

    packet_ip6_solicited_node(target, group);
    memcpy(dst_mac + 2, group + 12, 4);
    put_eth(buf, dst_mac, mac, PACKET_ETHERTYPE_IPV6);
    icmp_len = ns_message(ip6 + PACKET_IP6_HLEN, ip6_unspecified, target, NULL);
    p = put16(ip6, 0x6000); /* version 6, traffic class and flow label zero */
    p = put16(p, 0);
    p = put16(p, (uint16_t)icmp_len);
    *p++ = IPPROTO_ICMP6_NUM;
    *p++ = ND_HOP_LIMIT;
    p = put(p, ip6_unspecified, 16);
    put(p, group, 16);
    return PACKET_ETH_HLEN + PACKET_IP6_HLEN + icmp_len;
}

/* Walks the options after the NA body; -EBADMSG on a zero-length or overrunning option. */
static int na_options(const uint8_t *opt, size_t len, struct packet_na *na)
{
    while (len > 0) {
        size_t olen;

        if (len < 2 || opt[1] == 0)
            return -EBADMSG;
        olen = (size_t)opt[1] * 8;
        if (olen > len)
            return -EBADMSG;
        if (opt[0] == ND_OPT_TARGET_LLADDR && olen == 8 && !na->has_lladdr) {
            na->has_lladdr = true;
            memcpy(na->lladdr, opt + 2, PACKET_ETH_ALEN);
        }
        opt += olen;
        len -= olen;
    }
    return 0;
}

int packet_icmp6_parse_na(const void *msg, size_t len, struct packet_na *ret)
{
    const uint8_t *p = msg;
    struct packet_na na = {0};
    int rv;

    if (len < 1)
        return -EBADMSG;
    if (p[0] != PACKET_ICMP6_NA)
        return -ENOMSG;
    if (len < ND_BODY_LEN || p[1] != 0)
        return -EBADMSG;
    na.flags = p[4] & (PACKET_NA_FLAG_ROUTER | PACKET_NA_FLAG_SOLICITED | PACKET_NA_FLAG_OVERRIDE);
    memcpy(na.target, p + 8, 16);
    if (na.target[0] == 0xff)
        return -EBADMSG;
    rv = na_options(p + ND_BODY_LEN, len - ND_BODY_LEN, &na);
    if (rv < 0)
        return rv;
    *ret = na;
    return 0;
}

int packet_na_frame_parse(const void *frame, size_t len, struct packet_na *ret,
                          uint8_t ret_src_mac[PACKET_ETH_ALEN])
{
    const uint8_t *p = frame, *ip6 = p + PACKET_ETH_HLEN, *icmp = ip6 + PACKET_IP6_HLEN;
    struct packet_na na;
    size_t plen;
    int rv;

    if (len < PACKET_ETH_HLEN)
        return -EBADMSG;
    if (get16(p + 12) != PACKET_ETHERTYPE_IPV6)
        return -ENOMSG;
    if (len < PACKET_ETH_HLEN + PACKET_IP6_HLEN || ip6[0] >> 4 != 6)
        return -EBADMSG;
    if (ip6[6] != IPPROTO_ICMP6_NUM)
        return -ENOMSG;
    plen = get16(ip6 + 4);
    if (plen > len - PACKET_ETH_HLEN - PACKET_IP6_HLEN)
        return -EBADMSG;
    rv = packet_icmp6_parse_na(icmp, plen, &na);
    if (rv < 0)
        return rv;
    if (ip6[7] != ND_HOP_LIMIT
        || get16(icmp + 2) != packet_icmp6_checksum(ip6 + 8, ip6 + 24, icmp, plen))
        return -EBADMSG;
    if (ip6[24] == 0xff && (na.flags & PACKET_NA_FLAG_SOLICITED))
        return -EBADMSG;
    *ret = na;
    if (ret_src_mac)
        memcpy(ret_src_mac, p + 6, PACKET_ETH_ALEN);
    return 0;
}
