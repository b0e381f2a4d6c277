/*
 * name_responder — makes the names of online Network Name resources resolvable on the local
 * links with LLMNR (RFC 4795), since Linux clusters have no DNS server to register them with.
 *
 * Two halves:
 *   - a process-wide registry of published names (name_publish, name_unpublish, name_lookup),
 *     guarded by a mutex, so resource drivers may call it from their worker threads;
 *   - the responder, on the event loop: UDP port 5355 on IPv4 (group 224.0.0.252) and, when the
 *     kernel has IPv6, on IPv6 (group ff02::1:3), joined on every interface; it answers, by
 *     unicast to the sender, queries for names in the registry and stays silent for any other.
 *
 * Receive rules kept from RFC 4795 §2.1.1 and §2.5: queries sent to a multicast group other than
 * LLMNR's are dropped; so are queries that arrive with an IP TTL / hop limit other than 1 or 255
 * (1 is what Windows sends, 255 what the RFC recommends and systemd-resolved sends; anything
 * else has crossed a router), and queries with the conflict bit (llmnr_parse_query).
 * Left out: TCP (§2.4; our answers always fit in UDP), uniqueness verification and conflict
 * detection (§4; the cluster guarantees one owner), answering per interface (every published
 * address is given, whichever link asked), rate limiting.
 */
#ifndef CLUSSVC_NAME_RESPONDER_H
#define CLUSSVC_NAME_RESPONDER_H

#include <stdbool.h>
#include <stddef.h>

#include <uv.h>

#include "common/address.h"

#define NAME_ADDRS_MAX 16 /* addresses per published name */

struct name_responder;

/*
 * Opens the sockets, joins the LLMNR groups on every interface that has an address of the family
 * (again every few seconds, for interfaces that appear later), and starts answering on loop.
 * Call on the loop thread. IPv6 is skipped (with a warning) if the kernel has none. Returns 0 and
 * *ret, or a negative errno if the IPv4 socket cannot be opened or bound.
 */
int name_responder_start(uv_loop_t *loop, struct name_responder **ret);

/* Stops answering and closes the handles; the memory goes in their close callbacks, so the loop
 * must run once more. Loop thread only; NULL-safe. Published names stay in the registry. */
void name_responder_stop(struct name_responder *r);

/* true while at least one responder is started in this process (any thread may ask). */
bool name_responder_running(void);

/*
 * Publishes name (a valid LLMNR name, llmnr_name_check) with n addresses (copied; IPv4 and IPv6
 * mixed, at most NAME_ADDRS_MAX). Publishing a name again (ASCII case ignored) replaces its
 * addresses. n == 0 publishes the name with no address: queries get an empty answer. Thread-safe.
 * Returns 0, -EINVAL (bad name, or addrs NULL with n > 0), -E2BIG, -EAFNOSUPPORT (an address of
 * another family) or -ENOMEM.
 */
int name_publish(const char *name, const struct net_addr *addrs, size_t n);

/* Removes name (ASCII case ignored) from the registry; nothing if it is not there. Thread-safe. */
void name_unpublish(const char *name);

/* Copies up to cap of name's addresses to ret (ret may be NULL when cap is 0) and how many it
 * copied to *ret_n (may be NULL). Returns 0, or -ENOENT if name is not published. Thread-safe. */
int name_lookup(const char *name, struct net_addr *ret, size_t cap, size_t *ret_n);

#endif
