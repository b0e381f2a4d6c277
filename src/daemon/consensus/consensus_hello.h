/*
 * consensus_hello — what a raft connection says before raft speaks, inside the TLS session:
 * the PSK identity the connecting node proves, and the hello frame that names it to raft.
 *
 *   PSK identity: "raft:<node id>:<credential id hex>"  (the credential id picks the key; see
 *                 cred_ring.h)
 *   hello frame:  magic u32 "CLRH" | version u8 | 3 zero bytes | node id u64 | address length u16
 *                 | address (no NUL)                                          (little endian)
 *
 * The TLS 1.3 handshake authenticates the PSK identity along with the key (the binder covers the
 * ClientHello that carries it), so the node id in it is what the peer proved. The hello frame only
 * gives raft the peer's address; its id must equal the proved one, and the id must be a member.
 * Pure: encoding, decoding and the accept decision; no I/O.
 */
#ifndef CLUSSVC_CONSENSUS_HELLO_H
#define CLUSSVC_CONSENSUS_HELLO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/keys/cred_ring.h"

#define CONSENSUS_HELLO_MAGIC 0x48524c43u /* "CLRH" */
#define CONSENSUS_HELLO_VERSION 1
#define CONSENSUS_HELLO_HEADER 18u
#define CONSENSUS_HELLO_ADDRESS_MAX 127u
#define CONSENSUS_HELLO_MAX (CONSENSUS_HELLO_HEADER + CONSENSUS_HELLO_ADDRESS_MAX)
#define CONSENSUS_IDENTITY_SIZE 64

struct consensus_hello {
    uint64_t id;
    char address[CONSENSUS_HELLO_ADDRESS_MAX + 1];
};

/* "raft:<id>:<cred id hex>" into buf (CONSENSUS_IDENTITY_SIZE bytes). */
void consensus_identity_format(uint64_t id, const uint8_t cred_id[CRED_ID_BYTES], char *buf);
/* Parses an identity: 0, or -EINVAL when it is not exactly that form (id 0 is invalid). */
int consensus_identity_parse(const char *identity, uint64_t *ret_id,
                             uint8_t ret_cred_id[CRED_ID_BYTES]);

/* Encodes a hello into buf (CONSENSUS_HELLO_MAX bytes); the length, or -EINVAL for an id 0 or
 * an address that is empty or too long. */
int consensus_hello_encode(uint64_t id, const char *address, uint8_t *buf);
/* Decodes a hello from the first len bytes received: the bytes it took, -EAGAIN if more are
 * needed, -EBADMSG if they are not a hello. */
int consensus_hello_decode(const uint8_t *buf, size_t len, struct consensus_hello *ret);

/*
 * The accept decision for an authenticated connection: NULL to hand it to raft, or why it is
 * refused. proved_id is the id in the PSK identity; is_member whether the cluster configuration
 * holds that id.
 */
const char *consensus_hello_refusal(const struct consensus_hello *h, uint64_t proved_id,
                                    uint64_t self_id, bool is_member);

#endif
