/*
 * rhs — the resource host: a small process forked from clussvc at start-up that holds the
 * node's addresses and application processes on the lease's terms, the role Windows gives its
 * resource host monitor.
 *
 * clussvc tells it, over a socket pair, which addresses it has brought online, which control
 * groups (or, without cgroup v2, process groups) hold the processes of its resources, and until
 * when its quorum lease runs. The moment the lease runs out the host kills every process of the
 * held groups and then removes every held address — also when clussvc was killed (kill -9) or
 * frozen (SIGSTOP), which is what lets another node take the resources over safely after a
 * lease time. While the lease holds it renews each address's
 * kernel lifetime, the last backstop should the whole node freeze. Once clussvc is gone it kills
 * and removes what it holds, and exits.
 */
#ifndef CLUSSVC_RHS_H
#define CLUSSVC_RHS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/address.h"

#define RHS_LIFETIME_SEC 3   /* kernel valid lifetime of a held address, renewed while leased */

/* Forks the host; call before any thread exists. 0 or negative errno. */
int rhs_spawn(void);
/* The lease runs until until_ms (CLOCK_MONOTONIC milliseconds, shared by both processes). */
void rhs_lease(uint64_t until_ms);
/* An address brought online on ifindex (call before adding it) / taken offline (after). */
void rhs_hold(int ifindex, const struct net_addr *a, uint32_t prefix);
void rhs_release(int ifindex, const struct net_addr *a, uint32_t prefix);
/*
 * A control group (absolute path in the cgroup2 mount) that processes of a resource run in
 * (call before starting them) / that is empty and removed (after). The host kills its processes
 * (cgroup.kill) when the lease runs out, and removes it and its parent directory (the instance's
 * subtree, when empty) once clussvc is gone.
 */
void rhs_hold_cgroup(const char *path);
void rhs_release_cgroup(const char *path);
/* The same for a process group, where no cgroup v2 is writable: killpg(SIGKILL) at expiry. */
void rhs_hold_pgroup(pid_t pgid);
void rhs_release_pgroup(pid_t pgid);
/* The socket on which the host tells clussvc it dropped the held addresses (for a uv_poll). */
int rhs_fd(void);
/* Reads what the host said; true if it dropped the addresses since the last call. */
bool rhs_read_dropped(void);

#endif
