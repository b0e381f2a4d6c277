/*
 * packet — builders and parsers for the link-layer frames an IP Address resource sends and hears:
 * gratuitous ARP and ARP probes (RFC 5227) for IPv4, Neighbour Solicitations and unsolicited
 * Neighbour Advertisements (RFC 4861) for IPv6.
 *
 * Pure code: no sockets, no allocation. Builders write into a caller buffer of the documented size
 * and return the number of bytes written. Addresses are raw network-order bytes (4 for IPv4, 16 for
 * IPv6, 6 for a MAC). Parsers return 0, -ENOMSG when the bytes are well formed but not the kind of
 * packet asked for, or -EBADMSG when they are truncated or malformed; ret_* are untouched on error.
 */
#ifndef CLUSAPI_PACKET_H
#define CLUSAPI_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PACKET_ETH_ALEN 6
#define PACKET_ETH_HLEN 14
#define PACKET_ETHERTYPE_ARP 0x0806
#define PACKET_ETHERTYPE_IPV6 0x86dd
#define PACKET_IP6_HLEN 40

/* Ethernet header + ARP for IPv4 over Ethernet (no padding to 60 bytes: the NIC pads) */
#define PACKET_ARP_FRAME_LEN 42
#define PACKET_ARP_OP_REQUEST 1
#define PACKET_ARP_OP_REPLY 2

#define PACKET_ICMP6_NS 135
#define PACKET_ICMP6_NA 136
#define PACKET_NA_FLAG_ROUTER 0x80
#define PACKET_NA_FLAG_SOLICITED 0x40
#define PACKET_NA_FLAG_OVERRIDE 0x20
/* NS or NA body (24 bytes) + one link-layer address option (8 bytes) */
#define PACKET_NA_LEN 32
#define PACKET_NS_MAX_LEN 32
/* Ethernet + IPv6 + NS without option (DAD probes carry none) */
#define PACKET_NS_DAD_FRAME_LEN (PACKET_ETH_HLEN + PACKET_IP6_HLEN + 24)

struct packet_arp {
    uint16_t op;
    uint8_t sha[PACKET_ETH_ALEN]; /* sender hardware address */
    uint8_t spa[4];               /* sender protocol address */
    uint8_t tha[PACKET_ETH_ALEN];
    uint8_t tpa[4];
};

struct packet_na {
    uint8_t flags; /* PACKET_NA_FLAG_* */
    uint8_t target[16];
    bool has_lladdr; /* a target link-layer address option was present */
    uint8_t lladdr[PACKET_ETH_ALEN];
};

/*
 * Gratuitous ARP, request form (the one every stack accepts): broadcast, sender and target IP both
 * ip, sender MAC mac, target MAC zero. Writes PACKET_ARP_FRAME_LEN bytes and returns that count.
 */
size_t packet_arp_garp(uint8_t buf[PACKET_ARP_FRAME_LEN], const uint8_t mac[PACKET_ETH_ALEN],
                       const uint8_t ip[4]);

/*
 * RFC 5227 ARP probe for target: broadcast request, sender IP 0.0.0.0, target MAC zero.
 * Writes PACKET_ARP_FRAME_LEN bytes and returns that count.
 */
size_t packet_arp_probe(uint8_t buf[PACKET_ARP_FRAME_LEN], const uint8_t mac[PACKET_ETH_ALEN],
                        const uint8_t target[4]);

/* Parses an Ethernet frame carrying ARP for IPv4 over Ethernet (trailing padding allowed). */
int packet_arp_parse(const void *frame, size_t len, struct packet_arp *ret);

/* As packet_arp_parse, but only an ARP reply (else -ENOMSG): its sender MAC and IPv4 address. */
int packet_arp_parse_reply(const void *frame, size_t len, uint8_t ret_mac[PACKET_ETH_ALEN],
                           uint8_t ret_ip[4]);

/*
 * The ICMPv6 checksum of msg (whose checksum field, bytes 2-3, is counted as zero) over the IPv6
 * pseudo-header for src and dst. Returned in host order; store it big-endian.
 */
uint16_t packet_icmp6_checksum(const uint8_t src[16], const uint8_t dst[16], const void *msg,
                               size_t len);

/* The solicited-node multicast address of addr: ff02::1:ffXX:XXXX with its last 24 bits. */
void packet_ip6_solicited_node(const uint8_t addr[16], uint8_t ret[16]);

/*
 * Unsolicited Neighbour Advertisement for target, sent from src to ff02::1: Override set,
 * Solicited and Router clear, target link-layer address option mac, checksum filled in.
 * Writes PACKET_NA_LEN bytes and returns that count.
 */
size_t packet_icmp6_na(uint8_t buf[PACKET_NA_LEN], const uint8_t src[16], const uint8_t target[16],
                       const uint8_t mac[PACKET_ETH_ALEN]);

/*
 * Neighbour Solicitation for target, sent from src to target's solicited-node address, checksum
 * filled in. When src is :: (a DAD probe) no source link-layer option is added, as RFC 4861
 * requires, and mac may be NULL. Returns the length written: 24, or 32 with the option.
 */
size_t packet_icmp6_ns(uint8_t buf[PACKET_NS_MAX_LEN], const uint8_t src[16],
                       const uint8_t target[16], const uint8_t mac[PACKET_ETH_ALEN]);

/*
 * A complete DAD-style probe frame for target: Ethernet (from mac to the solicited-node group's
 * 33:33:ff:xx:xx:xx) + IPv6 (from ::, hop limit 255) + NS without options. An owner of target
 * answers with an NA to ff02::1. Writes PACKET_NS_DAD_FRAME_LEN bytes and returns that count.
 */
size_t packet_ns_dad_frame(uint8_t buf[PACKET_NS_DAD_FRAME_LEN], const uint8_t mac[PACKET_ETH_ALEN],
                           const uint8_t target[16]);

/*
 * Parses an ICMPv6 Neighbour Advertisement message (no IP header). Checks type, code, length,
 * that target is not multicast and that every option has a non-zero length. Does not check the
 * checksum: a raw ICMPv6 socket has the kernel do that; packet_na_frame_parse does it itself.
 */
int packet_icmp6_parse_na(const void *msg, size_t len, struct packet_na *ret);

/*
 * Parses an Ethernet frame carrying IPv6 + a Neighbour Advertisement, with the validity checks of
 * RFC 4861 §7.1.2: hop limit 255, no extension headers, checksum correct, Solicited clear when
 * sent to a multicast group. ret_src_mac (may be NULL) gets the Ethernet source address.
 */
int packet_na_frame_parse(const void *frame, size_t len, struct packet_na *ret,
                          uint8_t ret_src_mac[PACKET_ETH_ALEN]);

#endif
