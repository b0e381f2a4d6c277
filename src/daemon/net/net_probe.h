/*
 * net_probe — is an address already in use on the link? The check an IP Address resource makes
 * before it takes an address, so that two nodes never answer for one address.
 */
#ifndef CLUSSVC_NET_PROBE_H
#define CLUSSVC_NET_PROBE_H

#include "common/address.h"

/*
 * Asks the link on interface ifindex whether another host answers for a, waiting at most
 * timeout_ms (a second probe goes out half way, in case the first was lost). IPv4: RFC 5227 ARP
 * probe (sender IP 0.0.0.0); any ARP frame whose sender IP is a, from a MAC other than ours, is an
 * answer. IPv6: DAD-style Neighbour Solicitation from :: to a's solicited-node group; a valid NA
 * for a from another MAC is an answer. Our own frames are ignored, so an address configured only
 * here reads as unused. Blocking (poll with a deadline, no sleeps); needs CAP_NET_RAW.
 * Returns 1 if someone answered, 0 if nobody did in time, or a negative errno.
 */
int net_probe_in_use(int ifindex, const struct net_addr *a, unsigned timeout_ms);

#endif
