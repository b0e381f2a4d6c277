/*
 * net_announce — tell the link that an address now lives here: gratuitous ARP for IPv4,
 * unsolicited Neighbour Advertisements for IPv6, so neighbours (and switches) update their caches
 * at once after an address moves to this node.
 */
#ifndef CLUSSVC_NET_ANNOUNCE_H
#define CLUSSVC_NET_ANNOUNCE_H

#include "common/address.h"

/*
 * Sends count announcements of a on interface ifindex, spaced NET_ANNOUNCE_GAP_MS apart (no wait
 * after the last). IPv4: broadcast gratuitous ARP requests through an AF_PACKET socket. IPv6:
 * NAs with Override set to ff02::1 through a raw ICMPv6 socket with hop limit 255, sent from a
 * itself, so a must already be configured on the interface (else -EADDRNOTAVAIL). Blocking; needs
 * CAP_NET_RAW. Returns 0 or the first negative errno (some announcements may have gone out).
 */
int net_announce(int ifindex, const struct net_addr *a, unsigned count);

#define NET_ANNOUNCE_GAP_MS 10

#endif
