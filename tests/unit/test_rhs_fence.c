/*
 * Fencing of application processes by the resource host (rhs): when the quorum lease runs out
 * every process of a held control group dies — a daemon that left its session included — and
 * when clussvc is killed the host kills them at once and removes the groups before it exits.
 *
 * Each test forks a stand-in for clussvc that starts the host (before any thread, as clussvc
 * does), gives it a lease, starts an application through rm_proc and reports the pids; the test
 * process is a subreaper, so the host becomes its child once the stand-in is gone. Root with a
 * writable cgroup v2 only (else exit 77).
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
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "daemon/rm/rhs.h"
#include "daemon/rm/rm_cgroup.h"
#include "daemon/rm/rm_proc.h"
#include "proc_fixture.h"

#define WAIT_MS 5000
#define RESOURCE "fenced app"

struct report {
    pid_t app, daemon, host;
    int64_t lease_until; /* CLOCK_MONOTONIC ms, as the host counts */
};

struct standin {
    pid_t pid;
    int report_fd, go_fd; /* read the report; write to let it exit */
    struct report rep;
};

static char *scratch;

/* The host is the stand-in's only child at this point. */
static pid_t host_pid(void)
{
    char path[64];
    int pid = 0;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)getpid());
    f = fopen(path, "r");
    if (f == NULL || fscanf(f, "%d", &pid) != 1)
        _exit(2);
    fclose(f);
    return pid;
}

static _Noreturn void standin_main(int report_fd, int go_fd, uint32_t lease_ms)
{
    char *fifo = proc_fifo(scratch, "daemon");
    int reader = proc_fifo_reader(fifo);
    const char *argv[] = {"/bin/sh", "-c",
                          "setsid sh -c 'sleep 1000 & echo $! > \"$0\"; wait' \"$0\" & "
                          "exec sleep 1000",
                          fifo, NULL};
    const char *envp[] = {NULL};
    struct rm_proc_spec spec = {.resource = RESOURCE, .argv = argv, .envp = envp};
    struct report rep;
    char *line, go;
    int pidfd;

    if (rhs_spawn() < 0)
        _exit(2);
    rep.host = host_pid();
    rep.lease_until = proc_now_ms() + lease_ms;
    rhs_lease((uint64_t)rep.lease_until);
    if (rm_proc_spawn(&spec, &rep.app, &pidfd) < 0 || (line = proc_read_line(reader, WAIT_MS)) == NULL)
        _exit(2);
    rep.daemon = atoi(line);
    (void)!write(report_fd, &rep, sizeof(rep));
    (void)!read(go_fd, &go, 1); /* until the test lets go, or kills this process */
    _exit(0);
}

static void standin_start(struct standin *s, uint32_t lease_ms)
{
    int report[2], go[2];

    assert_int_equal(pipe(report), 0);
    assert_int_equal(pipe(go), 0);
    s->pid = fork();
    assert_true(s->pid >= 0);
    if (s->pid == 0) {
        close(report[0]);
        close(go[1]);
        standin_main(report[1], go[0], lease_ms);
    }
    close(report[1]);
    close(go[0]);
    s->report_fd = report[0];
    s->go_fd = go[1];
    assert_int_equal(read(s->report_fd, &s->rep, sizeof(s->rep)), (ssize_t)sizeof(s->rep));
}

/* The stand-in's subtree of control groups. */
static char *instance_of(pid_t pid)
{
    char parent[RM_CGROUP_PATH_MAX], *dir;

    assert_int_equal(rm_cgroup_parent(parent, sizeof(parent)), 0);
    assert_true(asprintf(&dir, "%s/clusapi-%d", parent, (int)pid) > 0);
    return dir;
}

/* The host ends (it is this process's child by now) within timeout_ms. */
static void expect_host_exit(pid_t host, int timeout_ms)
{
    int status;

    assert_true(proc_wait_gone(host, timeout_ms));
    assert_int_equal(waitpid(host, &status, 0), host);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static int setup(void **state)
{
    (void)state;
    scratch = proc_scratch_new();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    while (waitpid(-1, NULL, WNOHANG) > 0) /* the killed processes this subreaper inherited */
        ;
    proc_scratch_free(scratch);
    return 0;
}

/* Waits until the cgroup leaf holds no process: the kernel updates "populated" a moment after
 * the last process exited, which a pidfd reports first. */
static bool wait_unpopulated(const char *leaf, int timeout_ms)
{
    int64_t deadline = proc_now_ms() + timeout_ms;

    while (rm_cgroup_populated(leaf) != 0 && proc_now_ms() < deadline)
        poll(NULL, 0, 5);
    return rm_cgroup_populated(leaf) == 0;
}

/* The lease runs out while clussvc lives (frozen, or cut off): everything of the resource dies
 * at the lease's end, not before; the group stays for clussvc, which still owns it. */
static void test_lease_lapse_kills_the_group(void **state)
{
    struct standin s;
    char *dir, *leaf, name[256];

    (void)state;
    standin_start(&s, 800);
    assert_true(proc_running(s.rep.app));
    assert_true(proc_running(s.rep.daemon));
    assert_true(proc_now_ms() < s.rep.lease_until); /* (else the check below means nothing) */
    assert_true(proc_wait_gone(s.rep.app, WAIT_MS));
    assert_true(proc_now_ms() >= s.rep.lease_until);
    assert_true(proc_wait_gone(s.rep.daemon, WAIT_MS));

    dir = instance_of(s.pid);
    rm_cgroup_encode(RESOURCE, name, sizeof(name));
    assert_true(asprintf(&leaf, "%s/%s", dir, name) > 0);
    assert_int_equal(access(leaf, F_OK), 0);
    assert_true(wait_unpopulated(leaf, WAIT_MS));

    /* clussvc ends: the host removes the groups and exits. */
    assert_int_equal(write(s.go_fd, "x", 1), 1);
    assert_int_equal(waitpid(s.pid, NULL, 0), s.pid);
    expect_host_exit(s.rep.host, WAIT_MS);
    assert_int_equal(access(leaf, F_OK), -1);
    assert_int_equal(access(dir, F_OK), -1);
    close(s.go_fd);
    close(s.report_fd);
    free(leaf);
    free(dir);
}

/* clussvc killed with a long lease ahead: nothing vouches for the application any more, so the
 * host kills it at once, removes the groups and exits. */
static void test_clussvc_killed(void **state)
{
    struct standin s;
    int64_t t0;
    char *dir;

    (void)state;
    standin_start(&s, 60000);
    t0 = proc_now_ms();
    kill(s.pid, SIGKILL);
    assert_int_equal(waitpid(s.pid, NULL, 0), s.pid);
    assert_true(proc_wait_gone(s.rep.app, WAIT_MS));
    assert_true(proc_wait_gone(s.rep.daemon, WAIT_MS));
    assert_true(proc_now_ms() - t0 < WAIT_MS);
    expect_host_exit(s.rep.host, WAIT_MS);
    dir = instance_of(s.pid);
    assert_int_equal(access(dir, F_OK), -1);
    close(s.go_fd);
    close(s.report_fd);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lease_lapse_kills_the_group, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clussvc_killed, setup, teardown),
    };

    proc_require_cgroup();
    signal(SIGPIPE, SIG_IGN);
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
        return SKIP;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
