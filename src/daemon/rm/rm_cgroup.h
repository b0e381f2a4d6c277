/*
 * rm_cgroup — the few cgroup v2 operations the process runner (rm_proc) and the resource host
 * (rhs) share: where the hierarchy is, naming a resource's group, killing a group with all it
 * holds, waiting for it to empty and removing it.
 *
 * Only core cgroup files are used (cgroup.procs, cgroup.events, cgroup.kill): no controller is
 * ever enabled, so the groups work wherever a cgroup2 is mounted writable, hybrid layouts
 * included. Paths are absolute directory paths inside the cgroup2 mount.
 */
#ifndef CLUSSVC_RM_CGROUP_H
#define CLUSSVC_RM_CGROUP_H

#include <stddef.h>
#include <stdint.h>

#define RM_CGROUP_PATH_MAX 1024

/*
 * The directory under which this process may create groups: its own cgroup v2 (from
 * /proc/self/cgroup) inside the cgroup2 mount (from /proc/self/mountinfo), or the mount's root
 * when its own group is not visible there. 0, -ENOENT without a cgroup2 mount, -ENAMETOOLONG.
 */
int rm_cgroup_parent(char *buf, size_t size);
/*
 * A directory name for resource name that no other name maps to and that the kernel accepts:
 * "r-" and the name with every byte outside [A-Za-z0-9_-] as %XX; a name too long for that is
 * cut and ends in a hash of the whole. buf holds at least 256 bytes.
 */
void rm_cgroup_encode(const char *name, char *buf, size_t size);
/* Kills every process of the group and of its descendants (cgroup.kill). 0 (also when the
 * group does not exist) or negative errno. */
int rm_cgroup_kill(const char *path);
/* 1 if a process runs in the group or below it, 0 if not or if it does not exist, or -errno. */
int rm_cgroup_populated(const char *path);
/* Waits at most timeout_ms (poll on cgroup.events) until the group is empty: 0 or -ETIMEDOUT. */
int rm_cgroup_wait_empty(const char *path, uint32_t timeout_ms);
/* Removes the group and its descendants (all must be empty). 0 (also when it does not exist),
 * -EBUSY while processes remain, or another negative errno. */
int rm_cgroup_remove(const char *path);

#endif
