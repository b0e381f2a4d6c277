/*
 * rm_proc — the processes of a resource: started with a clean environment in the resource's own
 * control group (cgroup v2; a process group where no cgroup v2 is writable), their output to the
 * service log, and killed all together — daemons that left the process group included — by
 * terminate and by the resource host when the quorum lease runs out. With control groups the
 * calling process becomes the child subreaper of what it starts, and the daemons of resources
 * that exit are reaped by the next rm_proc call that runs, reaps or kills.
 *
 * Blocking; called from drivers on worker threads. Every function is safe to call from several
 * threads at once for different resources.
 */
#ifndef CLUSSVC_RM_PROC_H
#define CLUSSVC_RM_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct rm_proc_spec {
    const char *resource;      /* the resource whose control group the process joins */
    const char *const *argv;   /* argv[0]: the program's path; NULL-terminated */
    const char *const *envp;   /* the whole environment, NULL-terminated; nothing is inherited */
    const char *cwd;           /* working directory; NULL: "/" */
};

/*
 * Starts spec's program. On success *ret_pid is its pid and *ret_pidfd a pidfd for it (the
 * caller closes it; readable once the process exits), and the resource's control group is held
 * by the resource host. 0 or negative errno.
 */
int rm_proc_spawn(const struct rm_proc_spec *spec, pid_t *ret_pid, int *ret_pidfd);
/*
 * Runs spec's program to its end: *ret_status its exit status (0..255; 128+N when killed by
 * signal N). Past timeout_ms it is killed with what it started and -ETIMEDOUT returned. With
 * out non-NULL its standard output (at most 1 MiB) is collected in *out (malloc'd, NUL-ended);
 * otherwise it goes to the service log like its standard error.
 */
int rm_proc_run(const struct rm_proc_spec *spec, uint32_t timeout_ms, int *ret_status,
                char **out);
/* Reaps pid (one rm_proc_spawn started) if it has exited: 1 with *ret_status, 0 if it runs. */
int rm_proc_reap(pid_t pid, int *ret_status);
/*
 * Kills every process of the resource (its control group, or the process groups it started)
 * and waits, at most timeout_ms, until none is left; the resource host lets go of it. 0, or
 * -ETIMEDOUT if processes remain.
 */
int rm_proc_kill_all(const char *resource, uint32_t timeout_ms);
/* Does any process of the resource run? */
bool rm_proc_any(const char *resource);
/*
 * A descriptor that signals POLLPRI (and POLLERR) when it changes whether any process of the
 * resource runs: its control group's cgroup.events. Taken after a start, it wakes its poller
 * when the last process of the resource exits, a daemon that left its session included. It
 * always polls readable (POLLIN says nothing); once signalled it stays so until
 * rm_proc_watch_rearm. The caller closes it. -ENOENT if no process of the resource runs
 * (nothing to watch), -EOPNOTSUPP without cgroup v2, or another negative errno.
 */
int rm_proc_watch(const char *resource);
/*
 * Consumes the change rm_proc_watch's fd signalled, so that it polls quiet until the next one
 * (the kernel signals a change against the descriptor's last read). 1 if processes of the
 * resource run, 0 if none, or negative errno.
 */
int rm_proc_watch_rearm(int fd);

#endif
