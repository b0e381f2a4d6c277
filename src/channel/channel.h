/*
 * channel — an authenticated, encrypted, message-framed connection: TLS 1.3 with a pre-shared key
 * (GnuTLS), carrying wire messages prefixed by a 4-byte little-endian length.
 *
 * Both ends prove they hold the same key, so a peer without it learns nothing and is refused
 * before any message is read. The administrator's key is made by `clusctl keygen`; the cluster's
 * own credential (made in setup phase 108) uses the same mechanism under another identity.
 *
 * All calls block, with timeouts; a channel is used by one thread at a time.
 */
#ifndef CLUSAPI_CHANNEL_H
#define CLUSAPI_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CHANNEL_KEY_BYTES 32
/* An admin key's PSK identity is "clusapi-admin:" and its key id: 16 hex digits of a hash of
 * the key, so a node can hold several admin keys (during a rotation) and pick the one a client
 * names. The hash reveals nothing usable about the key, and the identity travels in the clear. */
#define CHANNEL_IDENTITY_ADMIN "clusapi-admin"
#define CHANNEL_ADMIN_ID_CHARS 16
#define CHANNEL_ERRMSG_SIZE 256
/* GnuTLS priorities of every session: TLS 1.3 only; ECDHE-PSK first for forward secrecy. */
#define CHANNEL_PRIORITY "NORMAL:-VERS-ALL:+VERS-TLS1.3:-KX-ALL:+ECDHE-PSK:+DHE-PSK:+PSK"

struct channel;

struct channel_key {
    char identity[64];               /* PSK identity: "clusapi-admin:<key id>" or "cluster:<id>" */
    uint8_t bytes[CHANNEL_KEY_BYTES];
};

/* Looks up the key for a PSK identity on the server side: 0 and *ret filled, or -ENOENT. */
typedef int (*channel_key_lookup_fn)(void *arg, const char *identity, struct channel_key *ret);

/*
 * Parses an admin key file (one line of 64 hex digits) and names it with its admin identity.
 * 0, -ENOENT, -EACCES, -EPERM (group or others may read it, or it is not a regular file: the
 * key is refused, as ssh refuses an open private key), or -EINVAL (malformed).
 */
int channel_key_load(const char *path, struct channel_key *ret);
/*
 * The pure part of channel_key_load, for a key file's text (NUL-terminated at text[len], as
 * secret_file_read gives it): 0, or -EINVAL unless the first line is exactly 64 hex digits.
 */
int channel_key_parse(const char *text, size_t len, struct channel_key *ret);
/* Writes a fresh random key to path with mode 0600 whatever the umask, atomically, never
 * overwriting: -EEXIST if it exists. */
int channel_key_generate(const char *path);
/* Sets key->identity to the admin identity of its bytes ("clusapi-admin:<key id>"). */
void channel_key_set_admin_identity(struct channel_key *key);
/* The key id of an admin identity (the text after "clusapi-admin:"), or NULL if identity is
 * not a well-formed admin identity. */
const char *channel_admin_key_id(const char *identity);
/* Fills ret with fresh random bytes under the given identity. */
int channel_key_random(const char *identity, struct channel_key *ret);
/* Hex text of a key (65 bytes with NUL) and back; used for the cluster credential file. */
void channel_key_to_hex(const struct channel_key *key, char hex[2 * CHANNEL_KEY_BYTES + 1]);
int channel_key_from_hex(const char *hex, struct channel_key *ret);

/*
 * Connects to host:port (host: numeric address or a name resolved with getaddrinfo), performs the
 * handshake within timeout_ms. On failure returns a negative errno (-EACCES: the peer refused our
 * key or proved none) and writes a reason to errmsg (CHANNEL_ERRMSG_SIZE bytes, may be NULL).
 */
int channel_connect(const char *host, uint16_t port, const struct channel_key *key,
                    int timeout_ms, struct channel **ret, char *errmsg);
/* Client side of the handshake on an already connected socket (the channel owns fd from here
 * on, also on failure). Same results as channel_connect. */
int channel_accept_client_fd(int fd, const struct channel_key *key, int timeout_ms,
                             struct channel **ret);
/* Server side of the handshake on an accepted socket (the channel owns fd from here on, also on
 * failure). On success *ret_identity (static in the channel) names the key the client proved. */
int channel_accept(int fd, channel_key_lookup_fn lookup, void *lookup_arg, int timeout_ms,
                   struct channel **ret);
const char *channel_peer_identity(const struct channel *c);
/* Peer address as text ("10.0.0.1"), for logs. */
const char *channel_peer_address(const struct channel *c);
/* The numeric address of a connected socket's peer ("10.0.0.1", "fd00::2") into buf (n bytes;
 * INET6_ADDRSTRLEN is enough), for logs; "" when it has none (not an IP socket, or gone). */
void channel_peer_text(int fd, char *buf, size_t n);

/* Sends one message. 0 or negative errno. */
int channel_send(struct channel *c, const void *msg, size_t len);
/* Receives one message into a malloc'd buffer. 0, -ETIMEDOUT, -ECONNRESET (peer closed),
 * -EBADMSG. */
int channel_recv(struct channel *c, int timeout_ms, void **ret_msg, size_t *ret_len);
/*
 * Whether an idle channel (no request outstanding) can carry the next one: false if the peer has
 * closed or reset it, or sent something unasked. A kept connection is checked with this before
 * a request rather than retried after one: a failed exchange may still have been carried out,
 * and a command must not be applied twice.
 */
bool channel_idle_usable(const struct channel *c);
/* Closes the session and the socket; NULL-safe. */
void channel_close(struct channel *c);

#endif
