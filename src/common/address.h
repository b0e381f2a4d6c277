/*
 * address — numeric IPv4/IPv6 addresses and prefixes: parsing, formatting, subnet arithmetic and
 * the validity rule for a cluster IP entry (CLUSTER_IP_ENTRY, REFERENCE §3).
 *
 * Only numeric literals are handled: no host names, no IPv6 scope ids ("fe80::1%eth0"), no
 * shorthand IPv4 forms ("10.1", "010.0.0.1"). An IPv4 address lives in bytes[0..3], network
 * order, with bytes[4..15] zero, so two net_addr values compare with addr_cmp().
 */
#ifndef CLUSAPI_ADDRESS_H
#define CLUSAPI_ADDRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* Longest text addr_format() produces, including the NUL (INET6_ADDRSTRLEN). */
#define ADDR_STRLEN 46

struct net_addr {
    int family;        /* AF_INET or AF_INET6 */
    uint8_t bytes[16]; /* network byte order; IPv4 uses the first 4 */
};

/* Parses a numeric IPv4 or IPv6 address. Returns 0, or -EINVAL (NULL, empty, a name, a scope id,
 * trailing text...). *ret is untouched on failure. */
int addr_parse(const char *s, struct net_addr *ret);

/* Parses "address/prefix" ("10.0.0.5/24", "2001:db8::1/64"). The prefix is decimal, without sign
 * or leading zeros, 0..32 for IPv4 and 0..128 for IPv6. Returns 0 or -EINVAL; the outputs are
 * untouched on failure. */
int addr_parse_cidr(const char *s, struct net_addr *ret, uint32_t *ret_prefix);

/* Writes the canonical text of a into buf (n bytes; ADDR_STRLEN is always enough). Returns 0,
 * -EAFNOSUPPORT for an unknown family, or -ENOSPC if buf is too small. */
int addr_format(const struct net_addr *a, char *buf, size_t n);

/* Address bits: 32 for AF_INET, 128 for AF_INET6, 0 for anything else. */
uint32_t addr_bits(const struct net_addr *a);

/* true if a lies in net/prefix: same family and the first prefix bits equal. false if the
 * families differ or prefix exceeds the address width. */
bool addr_in_subnet(const struct net_addr *a, const struct net_addr *net, uint32_t prefix);

/* true if a is the network id of a/prefix: at least two host bits and all of them zero (so /31,
 * /32, /127 and /128 never are). For IPv4 this is the DHCP form of a cluster IP entry (REFERENCE
 * §3.2, "192.168.1.0"/24). */
bool addr_is_network_id(const struct net_addr *a, uint32_t prefix);

/* Orders addresses: by family, then bytewise. Returns <0, 0 or >0. */
int addr_cmp(const struct net_addr *a, const struct net_addr *b);

/* The rule for one cluster IP entry (lpszIpAddress + dwPrefixLength). Returns a Win32 code:
 *   0    acceptable;
 *   87   ERROR_INVALID_PARAMETER: NULL/empty/unparsable non-IPv6 text, prefix outside 1..32
 *        (IPv4) or 1..128 (IPv6), an IPv4 address that is unspecified or in 0.0.0.0/8, loopback
 *        (127/8), multicast (224/4), reserved (240/4, which includes the limited broadcast
 *        255.255.255.255), or the subnet broadcast (host bits all ones, prefix <= 30);
 *   5911 ERROR_INVALID_CLUSTER_IPV6_ADDRESS: text that looks like IPv6 (contains ':') but does not
 *        parse, or an IPv6 address outside global unicast (2000::/3) and ULA (fc00::/7) — this
 *        covers ::, ::1, multicast, IPv4-mapped and link-local fe80::/10 — or the subnet-router
 *        anycast address (host bits all zero).
 * If ret_reason is not NULL, a failure stores a static English phrase there ("is an IPv6
 * link-local address"), for messages such as "10.0.0.255/24: <reason>".
 *
 * DHCP: an IPv4 network id ("192.168.1.0"/24) is accepted here because it is a well-formed entry
 * (the DHCP form of REFERENCE §3.2). There is no DHCP client in the design, so the caller must
 * test addr_is_network_id() itself and reject the entry (or handle it) with its own message. */
uint32_t addr_check_cluster_ip(const char *s, uint32_t prefix, const char **ret_reason);

#endif
