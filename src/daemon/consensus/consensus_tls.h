/*
 * consensus_tls — a raft_uv_transport that carries every raft connection through TLS 1.3,
 * authenticated with the cluster credential as the pre-shared key.
 *
 * Why a transport of our own: libraft 0.15 hands its transport plain libuv streams and reads and
 * writes them itself, so encryption cannot be slipped in above it. Each connection is a tunnel
 * (channel/tunnel.h): it opens the TCP connection, runs the TLS handshake on it (non-blocking, on
 * the daemon's loop) and hands over one end of a socketpair, which raft gets as a uv_pipe_t; a
 * pump moves bytes between the other end and the TLS session. Raft is unchanged and never sees a
 * byte that did not pass authentication.
 *
 * Who the peer is: the connecting node proves the PSK identity "raft:<its id>:<credential id>"
 * (consensus_hello.h), which TLS 1.3 authenticates together with the key; its hello must name
 * the same id, and the id must be a member (is_member). That id, not anything the peer merely
 * says, is what raft is told. Connections that do not pass are closed and logged.
 *
 * Everything runs on the loop thread. The credential ring is read on each handshake, so a
 * rotation takes effect for new connections at once; consensus_tls_revoke closes the open ones
 * whose credential the ring no longer accepts and whose peer is no member.
 */
#ifndef CLUSSVC_CONSENSUS_TLS_H
#define CLUSSVC_CONSENSUS_TLS_H

#include <stdbool.h>
#include <stdint.h>

#include <raft.h>
#include <raft/uv.h>
#include <uv.h>

#include "daemon/keys/cred_ring.h"

/* Does the cluster configuration hold this node id? */
typedef bool (*consensus_tls_member_fn)(void *arg, uint64_t id);

/* Fills t with the TLS transport. ring must outlive t. 0 or RAFT_NOMEM. */
int consensus_tls_init(struct raft_uv_transport *t, uv_loop_t *loop, const struct cred_ring *ring,
                       consensus_tls_member_fn is_member, void *member_arg);
/* Releases t after raft has closed it (its close callback ran); NULL-safe impl. */
void consensus_tls_free(struct raft_uv_transport *t);
/* Closes every connection authenticated with a credential the ring no longer holds whose peer is
 * not a member (any more): an evicted node's. Members keep theirs (see the .c for why). */
void consensus_tls_revoke(struct raft_uv_transport *t);

#endif
