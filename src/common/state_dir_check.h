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

#endif
