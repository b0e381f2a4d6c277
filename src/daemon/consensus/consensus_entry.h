/*
 * consensus_entry — how a cluster-database command is framed in a raft log entry.
 *
 *   length u64 (little endian) | command (length bytes) | zero padding to a multiple of 8
 *
 * The padding keeps every entry 8-byte aligned, which libraft 0.15's uv backend needs to read
 * its segments back after a restart (canonical/raft#304). Pure: no raft, no I/O.
 */
#ifndef CLUSSVC_CONSENSUS_ENTRY_H
#define CLUSSVC_CONSENSUS_ENTRY_H

#include <stddef.h>
#include <stdint.h>

#define CONSENSUS_ENTRY_HEADER 8u

/* Bytes an entry holding a command of len bytes takes (header and padding included). */
size_t consensus_entry_size(size_t len);
/* Writes the entry for cmd[0..len) into buf, which holds consensus_entry_size(len) bytes. */
void consensus_entry_frame(uint8_t *buf, const void *cmd, size_t len);
/*
 * Finds the command inside an entry of len bytes: 0 and *ret / *ret_len (pointing into data), or
 * -EBADMSG when the entry is shorter than its header or its length runs past the end. Trailing
 * bytes after the command are allowed (padding). ret and ret_len are untouched on failure.
 */
int consensus_entry_unframe(const void *data, size_t len, const uint8_t **ret, size_t *ret_len);

#endif
