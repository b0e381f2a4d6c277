/*
 * net_addr — the node's IP addresses and interfaces, through rtnetlink (libmnl): find the
 * interface for an address, add and remove addresses, read link state.
 *
 * Every call opens its own netlink socket, blocks until the kernel answers, and closes it, so the
 * functions are safe on any worker thread and never on the event loop. They act on the network
 * namespace of the calling thread. Return 0 (or 1 where a yes/no is asked) or a negative errno.
 */
#ifndef CLUSSVC_NET_ADDR_H
#define CLUSSVC_NET_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/address.h"

#define NET_IF_NAMESIZE 16 /* IFNAMSIZ */

struct net_if_info {
    char name[NET_IF_NAMESIZE];
    bool up;       /* administratively up (IFF_UP) */
    bool lower_up; /* carrier present (IFF_LOWER_UP) */
    uint8_t hwaddr[16];
    size_t hwaddr_len; /* 6 for Ethernet, 0 for links without one */
};

/*
 * The interface that has an address in the same subnet as a/prefix (the interface "whose subnet
 * holds the address"). When several do, one whose own prefix length equals prefix wins, then the
 * lowest interface index. Returns 0 and *ret_ifindex, -ENETUNREACH if no interface qualifies,
 * -EINVAL for a prefix outside 1..32 (IPv4) or 1..128 (IPv6).
 */
int net_addr_find_ifindex(const struct net_addr *a, uint32_t prefix, int *ret_ifindex);

/*
 * Adds a/prefix to interface ifindex (RTM_NEWADDR). valid_lft_sec 0 means forever; otherwise the
 * kernel removes the address by itself when that many seconds pass (preferred = valid lifetime),
 * whatever becomes of this process. IPv6 addresses get IFA_F_NODAD so they are usable at once
 * (the caller probes for duplicates itself). Adding an address that is already there is not an
 * error: it replaces the lifetime, which is how a lease holder renews it.
 */
int net_addr_add(int ifindex, const struct net_addr *a, uint32_t prefix, uint32_t valid_lft_sec);

/*
 * Removes a/prefix from interface ifindex (RTM_DELADDR). An address that is not there counts as
 * removed (the kernel's -EADDRNOTAVAIL becomes 0) so that offline can be retried; a missing
 * interface is still -ENODEV.
 */
int net_addr_del(int ifindex, const struct net_addr *a, uint32_t prefix);

/*
 * 1 if a is configured on some local interface (any prefix, any state), with *ret_ifindex set
 * (ret_ifindex may be NULL); 0 if it is not.
 */
int net_addr_present(const struct net_addr *a, int *ret_ifindex);

/* Name, state and hardware address of interface ifindex. -ENODEV if there is no such interface. */
int net_if_info(int ifindex, struct net_if_info *ret);

/* The Ethernet address of interface ifindex; -EOPNOTSUPP if its link has no 6-byte address. */
int net_if_hwaddr(int ifindex, uint8_t ret_mac[6]);

#endif
