/*
 * rhs — the resource host: a small process forked from clussvc at start-up that holds the
 * node's addresses on the lease's terms, the role Windows gives its resource host monitor.
 *
 * clussvc tells it, over a socket pair, which addresses it has brought online and until when its
 * quorum lease runs. The host removes every held address the moment the lease runs out — also
 * when clussvc was killed (kill -9) or frozen (SIGSTOP), which is what lets another node take the
 * addresses over safely after a lease time. While the lease holds it renews each address's
 * kernel lifetime, the last backstop should the whole node freeze. It exits once clussvc is gone
 * and it holds nothing.
 */
#ifndef CLUSSVC_RHS_H
#define CLUSSVC_RHS_H

#include <stdbool.h>
#include <stdint.h>

#include "common/address.h"

#define RHS_LIFETIME_SEC 3   /* kernel valid lifetime of a held address, renewed while leased */

/* Forks the host; call before any thread exists. 0 or negative errno. */
int rhs_spawn(void);
/* The lease runs until until_ms (CLOCK_MONOTONIC milliseconds, shared by both processes). */
void rhs_lease(uint64_t until_ms);
/* An address brought online on ifindex (call before adding it) / taken offline (after). */
void rhs_hold(int ifindex, const struct net_addr *a, uint32_t prefix);
void rhs_release(int ifindex, const struct net_addr *a, uint32_t prefix);
/* The socket on which the host tells clussvc it dropped the held addresses (for a uv_poll). */
int rhs_fd(void);
/* Reads what the host said; true if it dropped the addresses since the last call. */
bool rhs_read_dropped(void);

#endif
