/*
 * tunnel — a TLS 1.3-PSK session over a non-blocking TCP socket, driven on a libuv loop, whose
 * plaintext its owner reads and writes through a plain local socket.
 *
 * Why: a library that reads and writes its sockets itself (libraft's transport streams) cannot
 * have encryption slipped in above it. A tunnel connects (or takes an accepted socket), runs the
 * handshake without blocking, and then gives its owner one end of a Unix socketpair; a pump moves
 * bytes between the other end and the TLS session. The owner never sees a byte that did not
 * pass authentication; the cost is one local copy per message and one socketpair per tunnel.
 *
 * Phases: CONNECTING (client: TCP), HANDSHAKE (TLS with channel.h's priorities and keys),
 * PREAMBLE (server, when the owner wants one: what the client sends first, which the owner reads
 * and judges before it takes the stream) and OPEN (the pump runs). One deadline covers all of
 * them before OPEN, so a peer that goes silent mid-handshake holds nothing for long.
 *
 * Everything runs on the loop's thread. Hooks are called from the loop, and from
 * tunnel_accept(); never from tunnel_close(). A tunnel frees itself once every handle it had has
 * closed, and says so with the closed hook.
 */
#ifndef CLUSAPI_TUNNEL_H
#define CLUSAPI_TUNNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "channel/channel.h"

/* Plaintext buffered each way: one TLS record. Also the most tunnel_queue() takes. */
#define TUNNEL_BUF_BYTES 16384

struct tunnel;

enum tunnel_phase { TUNNEL_CONNECTING, TUNNEL_HANDSHAKE, TUNNEL_PREAMBLE, TUNNEL_OPEN,
                    TUNNEL_CLOSING };

/* Why a tunnel ended by itself; the reason text of the ended hook says more. */
enum tunnel_end {
    TUNNEL_TIMED_OUT,        /* not open before the deadline */
    TUNNEL_UNREACHABLE,      /* client: the TCP connection failed */
    TUNNEL_NO_SESSION,       /* no TLS session: client_key failed, or out of memory */
    TUNNEL_REFUSED,          /* the handshake failed: the keys differ, or the peer speaks no TLS */
    TUNNEL_NO_PREAMBLE,      /* the peer closed or failed before its preamble was whole */
    TUNNEL_PREAMBLE_REFUSED, /* the preamble hook refused it */
    TUNNEL_NO_STREAM,        /* the local socketpair could not be made, or the open hook failed */
    TUNNEL_BROKEN,           /* the loop reported an error on the socket */
    TUNNEL_ENDED,            /* open: one side closed, or a read or write failed */
};

/* What a tunnel asks and tells its owner; each hook gets tunnel_config.data. */
struct tunnel_hooks {
    /* Client: the key to prove, asked once the TCP connection is up, so a key changed meanwhile
     * is the one used. 0, or a negative errno (the tunnel ends with TUNNEL_NO_SESSION). */
    int (*client_key)(void *data, struct channel_key *ret);
    /* Server: the key of the identity the client names, as for channel_accept(). */
    channel_key_lookup_fn server_key;
    /* Server, optional (NULL: no preamble): after the handshake, the plaintext received so far,
     * at most preamble_max bytes. Returns how many leading bytes are the preamble (what follows
     * is the stream's), -EAGAIN for more, or another negative errno to refuse it. */
    int (*preamble)(void *data, const uint8_t *buf, size_t len);
    /* The tunnel is open: fd is the plaintext end, a non-blocking AF_UNIX stream socket that is
     * the owner's from here on, also when the hook fails. 0, or a negative errno (the tunnel then
     * ends with TUNNEL_NO_STREAM). */
    int (*open)(void *data, int fd);
    /* The tunnel ended by itself (tunnel_close() does not call this); its handles are closing
     * and closed follows. reason is static or lives only during the call. */
    void (*ended)(void *data, enum tunnel_end why, const char *reason);
    /* Every handle has closed and the tunnel is freed: data may go. */
    void (*closed)(void *data);
};

struct tunnel_config {
    uv_loop_t *loop;
    const struct tunnel_hooks *hooks; /* must outlive the tunnel */
    void *data;
    unsigned setup_ms;   /* the deadline of every phase before OPEN */
    size_t preamble_max; /* with a preamble hook: at most TUNNEL_BUF_BYTES */
};

/* A listening TCP socket (non-blocking, close-on-exec, SO_REUSEADDR) on "a.b.c.d:port" or
 * "[v6]:port", for the owner to watch and accept4() from. The fd, or -EINVAL (not such an
 * address) or another negative errno. */
int tunnel_listen(const char *address, int backlog);

/*
 * Starts a client tunnel to "a.b.c.d:port" or "[v6]:port": connects without blocking, then
 * asks client_key and shakes hands. 0 with the tunnel in *ret (no hook has run yet), -EINVAL
 * (not such an address), -ENOMEM, or the errno of socket() or connect().
 */
int tunnel_connect(const struct tunnel_config *cfg, const char *address, struct tunnel **ret);

/*
 * Starts the server side on fd, a socket accepted from a tunnel_listen() socket; the tunnel owns
 * fd from here on, also on failure. 0 with the tunnel in *ret, which is set before any hook runs
 * (the handshake may already have ended it), or -ENOMEM and no tunnel.
 */
int tunnel_accept(const struct tunnel_config *cfg, int fd, struct tunnel **ret);

/* Queues bytes for the peer ahead of anything from the plaintext end, sent once the tunnel is
 * open; only before then. 0, or -ENOSPC when they do not fit in TUNNEL_BUF_BYTES. */
int tunnel_queue(struct tunnel *tn, const void *buf, size_t len);

/* Ends the tunnel without calling ended; closed follows. A no-op on a closing tunnel. */
void tunnel_close(struct tunnel *tn);

/* Where the tunnel stands: TUNNEL_CLOSING once it has ended or been closed. */
enum tunnel_phase tunnel_phase(const struct tunnel *tn);

/* The peer for logs: the address dialled (client), or the numeric address that connected
 * (server; "?" if unknown). */
const char *tunnel_peer(const struct tunnel *tn);

#endif
