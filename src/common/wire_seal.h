/*
 * wire_seal — the end of a stored wire message: a last field holding a 64-bit FNV-1a hash of
 * every byte before it. A file cut anywhere lacks it or ends elsewhere, and a byte changed
 * anywhere changes the hash (a check against damage, not against an attacker: whoever can write
 * the file can seal it). cluster.conf is sealed (daemon/base/node_conf.c). The same field ends
 * bytes that are not a wire message (a raft snapshot's image, daemon/consensus/consensus_fsm.c).
 */
#ifndef CLUSAPI_WIRE_SEAL_H
#define CLUSAPI_WIRE_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "common/wire.h"

/* Appends the seal, as field tag, to what w holds. */
void wire_put_seal(struct wire_writer *w, uint16_t tag);
#define WIRE_SEAL_SIZE (2 + 4 + 8) /* tag, length, u64 */

/* The seal field, as tag, of data[0..len) into out. */
void wire_seal_bytes(const void *data, size_t len, uint16_t tag, uint8_t out[WIRE_SEAL_SIZE]);
/* 0 when data[0..len) ends with a seal field of this tag over everything before it, with the
 * length of what it seals in *ret_body; -EBADMSG otherwise. */
int wire_check_seal_bytes(const void *data, size_t len, uint16_t tag, size_t *ret_body);
/* wire_check_seal_bytes, and what it seals is a well-formed wire message.
 * 0 when data[0..len) ends with a seal field of this tag over everything before it, with the
 * length of what it seals in *ret_body; -EBADMSG otherwise. */
int wire_check_seal(const void *data, size_t len, uint16_t tag, size_t *ret_body);

#endif
