/*
 * rm_proc on real processes: the environment, directory, descriptors and output a program gets;
 * exit statuses; a run past its time killed with what it started; a daemon that double-forked
 * and left its session killed with its resource; pidfds that say when a process ended; the
 * control groups made and removed; the watch that wakes when the last process of a resource
 * ends; exited daemons reaped, not left as zombies. Root with a writable cgroup v2 only (else exit 77).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/rm/rm_cgroup.h"
#include "daemon/rm/rm_proc.h"
#include "proc_fixture.h"

#define WAIT_MS 5000

static const char *const no_env[] = {NULL};
static char *scratch;

static int setup(void **state)
{
    (void)state;
    scratch = proc_scratch_new();
    return 0;
}

/* Whatever a failed test left running goes, or it would hold the test runner's pipes. */
/* A subtree left by an instance that is gone, and the process in it (make_stale_subtree). */
static char stale_dir[RM_CGROUP_PATH_MAX + 64];
static pid_t stale_proc;

static int teardown(void **state)
{
    static const char *const resources[] = {"stale", "env", "cwd", "fds", "status", "timeout",
                                            "double/fork ..", "sleeper", "A", "a",
                                            "watched", "orphans"};

    (void)state;
    for (size_t i = 0; i < sizeof(resources) / sizeof(resources[0]); i++)
        rm_proc_kill_all(resources[i], WAIT_MS);
    if (stale_proc > 0 && kill(stale_proc, SIGKILL) == 0) /* a failed check left it */
        waitpid(stale_proc, NULL, 0);
    stale_proc = 0;
    proc_scratch_free(scratch);
    scratch = NULL;
    return 0;
}

/* Runs argv for resource res with envp and cwd, collecting standard output. */
static int run(const char *res, const char *const *argv, const char *const *envp, const char *cwd,
               uint32_t timeout_ms, int *status, char **out)
{
    struct rm_proc_spec spec = {.resource = res, .argv = argv, .envp = envp, .cwd = cwd};

    return rm_proc_run(&spec, timeout_ms, status, out);
}

/* This process's instance directory: where rm_proc makes its groups. */
static char *instance_dir(void)
{
    char parent[RM_CGROUP_PATH_MAX], *dir;

    assert_int_equal(rm_cgroup_parent(parent, sizeof(parent)), 0);
    assert_true(asprintf(&dir, "%s/clusapi-%d", parent, (int)getpid()) > 0);
    return dir;
}

/* Made by main before rm_proc starts, which cleans such subtrees up once, when it first runs. */

static void make_stale_subtree(void)
{
    char parent[RM_CGROUP_PATH_MAX], procs[sizeof(stale_dir) + 32];
    pid_t gone = fork();
    FILE *f;

    if (gone == 0)
        _exit(0);
    waitpid(gone, NULL, 0); /* a pid nothing runs as now */
    assert_int_equal(rm_cgroup_parent(parent, sizeof(parent)), 0);
    snprintf(stale_dir, sizeof(stale_dir), "%s/clusapi-%d", parent, (int)gone);
    assert_int_equal(mkdir(stale_dir, 0755), 0);
    snprintf(procs, sizeof(procs), "%s/r-x", stale_dir);
    assert_int_equal(mkdir(procs, 0755), 0);
    stale_proc = fork();
    if (stale_proc == 0) {
        execl("/bin/sleep", "sleep", "1000", (char *)NULL);
        _exit(127);
    }
    strcat(procs, "/cgroup.procs");
    f = fopen(procs, "w");
    assert_non_null(f);
    fprintf(f, "%d\n", (int)stale_proc);
    assert_int_equal(fclose(f), 0);
}

static void test_stale_subtree_removed(void **state)
{
    static const char *const argv[] = {"/bin/true", NULL};
    static const char *const envp[] = {NULL};
    int status;

    (void)state;
    assert_int_equal(run("stale", argv, envp, NULL, WAIT_MS, &status, NULL), 0);
    assert_true(proc_wait_gone(stale_proc, WAIT_MS)); /* killed, not left running */
    assert_int_equal(waitpid(stale_proc, &status, 0), stale_proc);
    stale_proc = 0;
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    assert_int_equal(access(stale_dir, F_OK), -1);
}

static void test_environment_is_exactly_envp(void **state)
{
    const char *argv[] = {"/usr/bin/env", NULL};
    const char *envp[] = {"A=1", "B=two words", NULL};
    char *out = NULL;
    int status = -1;

    (void)state;
    setenv("CLUSAPI_TEST_LEAK", "yes", 1);
    assert_int_equal(run("env", argv, envp, NULL, WAIT_MS, &status, &out), 0);
    assert_int_equal(status, 0);
    assert_string_equal(out, "A=1\nB=two words\n");
    free(out);
    out = NULL;
    assert_int_equal(run("env", argv, no_env, NULL, WAIT_MS, &status, &out), 0);
    assert_string_equal(out, "");
    free(out);
    assert_int_equal(rm_proc_kill_all("env", WAIT_MS), 0);
}

static void test_working_directory(void **state)
{
    const char *argv[] = {"/bin/pwd", NULL};
    char *out = NULL, *expect;
    int status;

    (void)state;
    assert_int_equal(run("cwd", argv, no_env, scratch, WAIT_MS, &status, &out), 0);
    assert_true(asprintf(&expect, "%s\n", scratch) > 0);
    assert_string_equal(out, expect);
    free(expect);
    free(out);
    out = NULL;
    assert_int_equal(run("cwd", argv, no_env, NULL, WAIT_MS, &status, &out), 0);
    assert_string_equal(out, "/\n");
    free(out);
    assert_int_equal(run("cwd", argv, no_env, "/nonexistent-dir", WAIT_MS, &status, &out),
                     -ENOENT);
    assert_int_equal(rm_proc_kill_all("cwd", WAIT_MS), 0);
}

/* Standard output is collected, standard error is not; standard input is /dev/null; nothing
 * else clussvc has open reaches the program. */
static void test_descriptors_and_output(void **state)
{
    /* sh -c, not a script file: the shell keeps a script file open itself */
    const char *argv[] = {"/bin/sh", "-c",
                               "echo to-stdout\n"
                               "echo to-stderr >&2\n"
                               "echo \"stdin $(readlink /proc/$$/fd/0)\"\n"
                               "n=3\n"
                               "while [ $n -lt 64 ]; do\n"
                               "  [ -e /proc/$$/fd/$n ] && echo \"open $n\"\n"
                               "  n=$((n + 1))\n"
                               "done\n"
                               "exit 0",
                          NULL};
    int leaked = dup2(open("/dev/null", O_RDONLY), 40); /* deliberately without CLOEXEC */
    char *out = NULL;
    int status;

    (void)state;
    assert_int_equal(leaked, 40);
    assert_int_equal(run("fds", argv, no_env, NULL, WAIT_MS, &status, &out), 0);
    assert_int_equal(status, 0);
    assert_string_equal(out, "to-stdout\nstdin /dev/null\n");
    free(out);
    close(leaked);
    assert_int_equal(rm_proc_kill_all("fds", WAIT_MS), 0);
}

static void test_exit_status(void **state)
{
    const char *exit7[] = {"/bin/sh", "-c", "exit 7", NULL};
    const char *killed[] = {"/bin/sh", "-c", "kill -TERM $$", NULL};
    const char *missing[] = {"/nonexistent/program", NULL};
    char *leaf, *dir;
    int status = -1;

    (void)state;
    assert_int_equal(run("status", exit7, no_env, NULL, WAIT_MS, &status, NULL), 0);
    assert_int_equal(status, 7);
    assert_int_equal(run("status", killed, no_env, NULL, WAIT_MS, &status, NULL), 0);
    assert_int_equal(status, 128 + SIGTERM);
    assert_int_equal(run("status", missing, no_env, NULL, WAIT_MS, &status, NULL), -ENOENT);
    /* Runs that leave nothing behind leave no group behind either. */
    dir = instance_dir();
    assert_true(asprintf(&leaf, "%s/r-status", dir) > 0);
    assert_int_equal(access(leaf, F_OK), -1);
    free(leaf);
    free(dir);
}

/* A run past its time dies with the child it started; a daemon an earlier run left does not. */
static void test_timeout_kills_the_run(void **state)
{
    char *fifo = proc_fifo(scratch, "pids");
    char *daemon = proc_script(scratch, "daemon.sh",
                               "setsid sleep 1000 </dev/null >/dev/null 2>&1 &\n"
                               "echo $! > \"$1\"");
    char *hang = proc_script(scratch, "hang.sh", "sleep 1000 &\necho $! > \"$1\"\nwait");
    const char *start_daemon[] = {daemon, fifo, NULL};
    const char *hang_argv[] = {hang, fifo, NULL};
    int reader = proc_fifo_reader(fifo);
    int64_t t0;
    char *line;
    pid_t kept, child;
    int status;

    (void)state;
    assert_true(reader >= 0);
    assert_int_equal(run("timeout", start_daemon, no_env, NULL, WAIT_MS, &status, NULL), 0);
    assert_int_equal(status, 0);
    line = proc_read_line(reader, WAIT_MS);
    assert_non_null(line);
    kept = atoi(line);
    free(line);

    t0 = proc_now_ms();
    assert_int_equal(run("timeout", hang_argv, no_env, NULL, 300, &status, NULL), -ETIMEDOUT);
    assert_true(proc_now_ms() - t0 >= 300);
    assert_true(proc_now_ms() - t0 < 300 + WAIT_MS);
    line = proc_read_line(reader, 0); /* written long before the time ran out */
    assert_non_null(line);
    child = atoi(line);
    free(line);
    close(reader);
    assert_true(proc_wait_gone(child, 0));
    assert_true(proc_running(kept));
    assert_true(rm_proc_any("timeout"));

    assert_int_equal(rm_proc_kill_all("timeout", WAIT_MS), 0);
    assert_true(proc_wait_gone(kept, 0));
    assert_false(rm_proc_any("timeout"));
    free(fifo);
    free(daemon);
    free(hang);
}

/* A daemon that forked twice and started a session of its own is still the resource's. */
static void test_kill_all_kills_double_forked_daemon(void **state)
{
    char *fifo = proc_fifo(scratch, "daemon");
    char *script = proc_script(scratch, "app.sh",
                               "( setsid sh -c 'sleep 1000 & echo $! > \"$1\"; wait' sh \"$1\" & )\n"
                               "exit 0");
    const char *argv[] = {script, fifo, NULL};
    struct rm_proc_spec spec = {.resource = "double/fork ..", .argv = argv, .envp = no_env};
    int reader = proc_fifo_reader(fifo);
    struct pollfd pfd;
    char *line, *cg, *dir, *leaf;
    pid_t pid, daemon;
    int pidfd, status;

    (void)state;
    assert_int_equal(rm_proc_spawn(&spec, &pid, &pidfd), 0);
    line = proc_read_line(reader, WAIT_MS);
    close(reader);
    assert_non_null(line);
    daemon = atoi(line);
    free(line);
    pfd = (struct pollfd){.fd = pidfd, .events = POLLIN};
    assert_int_equal(poll(&pfd, 1, WAIT_MS), 1);
    assert_int_equal(rm_proc_reap(pid, &status), 1);
    assert_int_equal(status, 0);
    close(pidfd);

    assert_true(proc_running(daemon));
    assert_int_not_equal(getsid(daemon), pid); /* out of reach of a process-group kill */
    cg = proc_cgroup_of(daemon);
    dir = instance_dir();
    assert_true(asprintf(&leaf, "/clusapi-%d/r-double%%2Ffork%%20%%2E%%2E", (int)getpid()) > 0);
    assert_non_null(cg);
    assert_non_null(strstr(cg, leaf)); /* in the resource's leaf, its name encoded */
    assert_true(rm_proc_any(spec.resource));
    assert_true(rm_proc_any(spec.resource));

    assert_int_equal(rm_proc_kill_all(spec.resource, WAIT_MS), 0);
    assert_true(proc_wait_gone(daemon, 0));
    assert_false(rm_proc_any(spec.resource));
    assert_int_equal(access(dir, F_OK), -1); /* the subtree goes once no resource has a leaf */
    free(cg);
    free(dir);
    free(leaf);
    free(fifo);
    free(script);
}

/* The pidfd is readable the moment the process ends, not before; reap gives the status. */
static void test_pidfd_readable_on_exit(void **state)
{
    const char *argv[] = {"/bin/sleep", "1000", NULL};
    struct rm_proc_spec spec = {.resource = "sleeper", .argv = argv, .envp = no_env};
    struct pollfd pfd;
    pid_t pid;
    int pidfd, status;

    (void)state;
    assert_int_equal(rm_proc_spawn(&spec, &pid, &pidfd), 0);
    pfd = (struct pollfd){.fd = pidfd, .events = POLLIN};
    assert_int_equal(poll(&pfd, 1, 0), 0);
    assert_int_equal(rm_proc_reap(pid, &status), 0);
    assert_true(rm_proc_any("sleeper"));
    assert_int_equal(getpgid(pid), pid); /* a process group of its own */
    kill(pid, SIGKILL);
    assert_int_equal(poll(&pfd, 1, WAIT_MS), 1);
    assert_int_equal(rm_proc_reap(pid, &status), 1);
    assert_int_equal(status, 128 + SIGKILL);
    close(pidfd);
    assert_false(rm_proc_any("sleeper"));
    assert_int_equal(rm_proc_kill_all("sleeper", WAIT_MS), 0);
}

/* Two resources do not share a group: killing one leaves the other running. */
static void test_resources_apart(void **state)
{
    const char *argv[] = {"/bin/sleep", "1000", NULL};
    struct rm_proc_spec a = {.resource = "A", .argv = argv, .envp = no_env};
    struct rm_proc_spec b = {.resource = "a", .argv = argv, .envp = no_env};
    pid_t pa, pb;
    int fa, fb, status;

    (void)state;
    assert_int_equal(rm_proc_spawn(&a, &pa, &fa), 0);
    assert_int_equal(rm_proc_spawn(&b, &pb, &fb), 0);
    assert_int_equal(rm_proc_kill_all("A", WAIT_MS), 0);
    assert_true(proc_wait_gone(pa, 0));
    assert_true(proc_running(pb));
    assert_int_equal(rm_proc_kill_all("a", WAIT_MS), 0);
    assert_true(proc_wait_gone(pb, 0));
    assert_int_equal(rm_proc_reap(pa, &status), 1);
    assert_int_equal(rm_proc_reap(pb, &status), 1);
    close(fa);
    close(fb);
}

/* Does fd signal a change (POLLPRI) within timeout_ms? */
static bool watch_fires(int fd, int timeout_ms)
{
    struct pollfd pfd = {.fd = fd, .events = POLLPRI};
    int n = poll(&pfd, 1, timeout_ms);

    assert_true(n >= 0);
    return n == 1 && (pfd.revents & POLLPRI) != 0;
}

/*
 * The watch stays quiet while a daemon a run left behind lives, through other runs of the
 * resource and the exit of all but its last process; it fires when the last one exits, and is
 * quiet again once re-armed.
 */
static void test_watch_fires_when_last_process_exits(void **state)
{
    const char *argv[] = {"/bin/sh", "-c",
                          "for i in 1 2; do sleep 1000 </dev/null >/dev/null 2>&1 & "
                          "echo $!; done", NULL};
    const char *check[] = {"/bin/true", NULL};
    struct rm_proc_spec spec = {.resource = "watched", .argv = argv, .envp = no_env};
    int status, first, second, fd;
    char *out;

    (void)state;
    assert_int_equal(rm_proc_watch("watched"), -ENOENT); /* nothing runs: nothing to watch */
    assert_int_equal(rm_proc_run(&spec, WAIT_MS, &status, &out), 0);
    assert_int_equal(status, 0);
    assert_int_equal(sscanf(out, "%d %d", &first, &second), 2);
    free(out);
    fd = rm_proc_watch("watched");
    assert_true(fd >= 0);
    assert_false(watch_fires(fd, 0));
    spec.argv = check; /* a check runs in the resource's group too */
    assert_int_equal(rm_proc_run(&spec, WAIT_MS, &status, NULL), 0);
    assert_false(watch_fires(fd, 0));
    kill((pid_t)first, SIGKILL);
    assert_true(proc_wait_gone((pid_t)first, WAIT_MS));
    assert_false(watch_fires(fd, 200));
    assert_int_equal(rm_proc_watch_rearm(fd), 1);
    kill((pid_t)second, SIGKILL);
    assert_true(watch_fires(fd, WAIT_MS));
    assert_true(watch_fires(fd, 0)); /* until re-armed */
    assert_int_equal(rm_proc_watch_rearm(fd), 0);
    assert_false(watch_fires(fd, 0));
    close(fd);
    assert_int_equal(rm_proc_kill_all("watched", WAIT_MS), 0);
}

/* Process pid's state letter and parent, from /proc; false once it is reaped. */
static bool proc_stat(pid_t pid, char *state, int *ppid)
{
    char path[64], text[512];
    const char *p;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    if ((f = fopen(path, "r")) == NULL)
        return false;
    if (fgets(text, sizeof(text), f) == NULL)
        text[0] = '\0';
    fclose(f);
    p = strrchr(text, ')');
    return p != NULL && sscanf(p + 1, " %c %d", state, ppid) == 2;
}

/*
 * A daemon a run left becomes this process's child when the run ends (not PID 1's), and once
 * it exits the next run of any resource reaps it: an agent testing /proc/PID must not find a
 * zombie there.
 */
static void test_exited_daemon_reaped(void **state)
{
    const char *argv[] = {"/bin/sh", "-c", "sleep 1000 </dev/null >/dev/null 2>&1 & echo $!",
                          NULL};
    const char *check[] = {"/bin/true", NULL};
    struct rm_proc_spec spec = {.resource = "orphans", .argv = argv, .envp = no_env};
    int status, pid, ppid;
    char st, *out;

    (void)state;
    assert_int_equal(rm_proc_run(&spec, WAIT_MS, &status, &out), 0);
    assert_int_equal(sscanf(out, "%d", &pid), 1);
    free(out);
    assert_true(proc_stat((pid_t)pid, &st, &ppid));
    assert_int_equal(ppid, (int)getpid());
    kill((pid_t)pid, SIGKILL);
    assert_true(proc_wait_gone((pid_t)pid, WAIT_MS));
    spec.argv = check;
    spec.resource = "watched"; /* another resource's run reaps it too */
    assert_int_equal(rm_proc_run(&spec, WAIT_MS, &status, NULL), 0);
    assert_false(proc_stat((pid_t)pid, &st, &ppid));
    assert_int_equal(rm_proc_kill_all("orphans", WAIT_MS), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_stale_subtree_removed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_environment_is_exactly_envp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_working_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_descriptors_and_output, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exit_status, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timeout_kills_the_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kill_all_kills_double_forked_daemon, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pidfd_readable_on_exit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resources_apart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watch_fires_when_last_process_exits, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_exited_daemon_reaped, setup, teardown),
    };

    proc_require_cgroup();
    make_stale_subtree();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
