/*
 * resolve — name resolution where there is no DNS: a blocking LLMNR query (RFC 4795), which the
 * node holding the cluster's Network Name answers (daemon/name_responder). libclusapi and clussvc
 * call it when getaddrinfo() cannot resolve a name.
 */
#ifndef CLUSAPI_RESOLVE_H
#define CLUSAPI_RESOLVE_H

#include <stddef.h>

#include "common/address.h"

/*
 * Resolves the single-label name (RFC 4795 §2: LLMNR is for names without dots) by sending an
 * LLMNR query to 224.0.0.252:5355 on every up, non-loopback interface that has an IPv4 address,
 * with multicast TTL 1, and waiting at most timeout_ms for the first valid response; responses to
 * other queries or malformed ones are ignored. The query asks for A records with AF_INET, AAAA
 * with AF_INET6, and both (QTYPE ANY) with AF_UNSPEC; it is sent again after each second without
 * an answer, three times at most (RFC 4795 §2.7). Blocking, thread-safe, no state kept.
 * Returns 0 with up to cap addresses of the family in ret[0..*ret_n-1] (in the responder's order),
 * or
 *   -ENOENT       no answer before the deadline, or the owner answered with no address of the
 *                 family asked;
 *   -EINVAL       name NULL, empty, with a dot or longer than 63 bytes; ret or ret_n NULL; cap 0;
 *   -EAFNOSUPPORT family is not AF_INET, AF_INET6 or AF_UNSPEC;
 *   -ENETUNREACH  no interface to send on;
 *   another negative errno if the socket cannot be opened or no query could be sent.
 * The outputs are untouched on failure.
 */
int llmnr_resolve(const char *name, int family, unsigned timeout_ms, struct net_addr *ret,
                  size_t cap, size_t *ret_n);

/* The index of the interface a getifaddrs() entry is on: IPv4 entries carry the address label
 * ("eth0:1"), whose part before ':' names the interface. 0 if there is none. Shared by the
 * resolver and clussvc's LLMNR responder. */
unsigned llmnr_entry_ifindex(const char *label);

#endif
