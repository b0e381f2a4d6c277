/*
 * proc_fixture — what the tests of resource processes share (rm_proc, the Generic Application
 * and Generic Script drivers, the resource host's fencing): a scratch directory with /bin/sh
 * scripts, FIFOs through which those scripts report, waiting on pidfds, and the check that the
 * machine lets the tests make control groups at all.
 */
#ifndef CLUSAPI_PROC_FIXTURE_H
#define CLUSAPI_PROC_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define SKIP 77

/* Exits SKIP unless running as root with a writable cgroup v2. */
void proc_require_cgroup(void);
/* Makes a fresh scratch directory (its path in *ret, malloc'd); proc_scratch_free removes it
 * with what it holds. */
char *proc_scratch_new(void);
void proc_scratch_free(char *dir);
/* dir/name, malloc'd. */
char *proc_path(const char *dir, const char *name);
/* Writes an executable "#!/bin/sh" script dir/name with body; returns its path (malloc'd). */
char *proc_script(const char *dir, const char *name, const char *body);
/* Makes FIFO dir/name; returns its path (malloc'd). */
char *proc_fifo(const char *dir, const char *name);
/* Opens fifo's reading end without blocking, so that a script's "echo > fifo" does not block
 * either: for a script the test waits for. */
int proc_fifo_reader(const char *fifo);
/* Reads one line from a proc_fifo_reader descriptor, waiting at most timeout_ms: the line
 * without its newline (malloc'd), or NULL. */
char *proc_read_line(int fd, int timeout_ms);
/* Both at once, for a script that runs on its own. */
char *proc_fifo_line(const char *fifo, int timeout_ms);
/* Waits at most timeout_ms until process pid is gone (exited, zombie or reaped). */
bool proc_wait_gone(pid_t pid, int timeout_ms);
/* Is process pid still running (not a zombie)? */
bool proc_running(pid_t pid);
/* The cgroup v2 path of process pid ("0::" line of /proc/PID/cgroup), malloc'd, or NULL. */
char *proc_cgroup_of(pid_t pid);
int64_t proc_now_ms(void);
int proc_pidfd_open(pid_t pid);

#endif
