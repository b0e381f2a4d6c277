/*
 * state_dir_check — whether a node's state directory can take a cluster: the setup's judgement
 * of what the node reported about it (NODE_INFO), as a Win32 code and a reason.
 *
 * A node's state directory holds raft's log, which libraft writes into segments it allocates
 * ahead (three of 8 MiB), its snapshots (two, each the size of the cluster database), its
 * metadata, cluster.conf and the key files. STATE_DIR_NEED_BYTES is that with room to spare:
 * a node with less free space is refused before anything is changed, since a node that runs out
 * of space mid-setup fails its writes (README, "Install").
 */
#ifndef CLUSAPI_COMMON_STATE_DIR_CHECK_H
#define CLUSAPI_COMMON_STATE_DIR_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STATE_DIR_NEED_BYTES (32ULL * 1024 * 1024)
#define STATE_DIR_FREE_UNKNOWN UINT64_MAX /* a node that did not say */

/*
 * 0 when a state directory whose probe write failed with err (a positive errno; 0: it
 * succeeded) and which has free_bytes available may take a cluster; else ERROR_WRITE_PROTECT
 * (a read-only file system), ERROR_ACCESS_DENIED, ERROR_DISK_FULL (no room, or less than
 * STATE_DIR_NEED_BYTES free) or ERROR_NODE_CANNOT_BE_CLUSTERED (anything else), with the reason
 * in why.
 */
uint32_t state_dir_judge(uint32_t err, uint64_t free_bytes, char *why, size_t n);

/*
 * At run time a node watches its state directory (svc_storage.c). Before libraft runs out of
 * room it must stop taking log entries: its segments are allocated ahead, so the entries already
 * on their way still fit, but once it cannot allocate the next one, libraft 0.15 neither takes
 * the failed write back from its log in memory nor survives the failure on a leader. A node is
 * in a storage fault from the moment its file system is read-only or has less than
 * STATE_DIR_FAULT_BELOW free (one segment and room for two snapshots), until it is writable with
 * STATE_DIR_CLEAR_AT free again (the gap keeps a disk at the edge from flapping).
 */
#define STATE_DIR_FAULT_BELOW (16ULL * 1024 * 1024)
#define STATE_DIR_CLEAR_MIB 24
#define STATE_DIR_CLEAR_AT (STATE_DIR_CLEAR_MIB * 1024ULL * 1024)

/* What one look at the state directory found. */
struct state_dir_sample {
    uint32_t err;        /* statvfs or a probe file's creation failed with this errno; 0 when
                          * both succeeded (an ext4 that stopped writing after an error,
                          * "emergency_ro", is not ST_RDONLY: only a write finds it out) */
    bool read_only;      /* mounted read-only (ST_RDONLY) */
    uint64_t free_bytes; /* available to the service */
    uint64_t size_bytes; /* of the whole file system */
};

/* Is the state directory that sample s describes in a storage fault, given whether it was at
 * the last look? 0 when it is not (why is then ""), else what the fault means as a Win32 code
 * (ERROR_WRITE_PROTECT for a read-only mount, ERROR_DISK_FULL for too little room, and for err
 * what state_dir_judge() makes of it) and a line in why that names the cause and the room. */
uint32_t state_dir_fault(const struct state_dir_sample *s, bool was_fault, char *why, size_t n);

#endif
