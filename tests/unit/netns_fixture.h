/*
 * netns_fixture — what the root-only namespace tests share: netlink requests of their own
 * (written apart from net_addr.c so the two check each other), veth pairs, links up and down,
 * test addresses and a monotonic clock.
 */
#ifndef CLUSAPI_NETNS_FIXTURE_H
#define CLUSAPI_NETNS_FIXTURE_H

#include <stdint.h>
#include <sys/types.h>

#include <libmnl/libmnl.h>

#include "common/address.h"

#define REQ_SIZE 1024 /* netlink request buffers */

/* Sends one request and runs cb (may be NULL) on the replies; 0 or negative errno. */
int nl_exchange(struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
/* Creates veth pair name <-> peer, with the peer in the namespace of process peer_pid. */
int veth_create(const char *name, const char *peer, pid_t peer_pid);
int link_set_up(int ifindex, int up);
/* A numeric test address; aborts on a typo. */
struct net_addr ipa(const char *s);
int64_t now_ms(void);

#endif
