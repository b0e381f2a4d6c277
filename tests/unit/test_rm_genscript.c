/*
 * The Generic Script driver on a real script: every entry point runs it with its Windows name,
 * Open before the first Online and Close after Offline and Terminate, with a clean environment
 * that carries the resource's name and properties; a failing exit status and a run past the
 * resource's time fail the entry point; a daemon the script's Online started dies with the
 * resource. Root with a writable cgroup v2 only (else exit 77).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/rm/rm.h"
#include "daemon/rm/rm_proc.h"
#include "proc_fixture.h"

#define WAIT_MS 5000

/* Logs each call; "fail-ENTRY" in its directory makes ENTRY exit 3, "hang-ENTRY" hang; Online
 * starts a daemon that leaves the session and reports its pid. */
static const char script_body[] =
    "d=\"$CLUSAPI_PROP_Dir\"\n"
    "echo \"$1 $CLUSAPI_RESOURCE_NAME ${HOME-nohome} $CLUSAPI_PROP_Odd_name_\" >> \"$d/calls\"\n"
    "[ -e \"$d/fail-$1\" ] && exit 3\n"
    "[ -e \"$d/hang-$1\" ] && exec sleep 1000\n"
    "if [ \"$1\" = Online ]; then\n"
    "  setsid sleep 1000 </dev/null >/dev/null 2>&1 &\n"
    "  echo $! > \"$d/daemon\"\n"
    "fi\n"
    "exit 0";

static char *scratch, *script;
static struct rm_prop props[3];

static int setup(void **state)
{
    (void)state;
    scratch = proc_scratch_new();
    script = proc_script(scratch, "agent.sh", script_body);
    props[0] = (struct rm_prop){"ScriptFilepath", script};
    props[1] = (struct rm_prop){"Dir", scratch};
    props[2] = (struct rm_prop){"Odd name!", "v"};
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rm_proc_kill_all("web script", WAIT_MS);
    free(script);
    proc_scratch_free(scratch);
    return 0;
}

static struct rm_resource resource(uint32_t timeout_ms)
{
    return (struct rm_resource){.name = "web script", .type = "Generic Script",
                                .driver_arg = "genscript", .timeout_ms = timeout_ms,
                                .props = props, .n_props = 3};
}

/* The calls logged since the last look, as "Open,Online,...", and the log emptied. */
static char *calls(void)
{
    char *path = proc_path(scratch, "calls"), *line = NULL, *list = calloc(1, 512);
    size_t cap = 0;
    FILE *f = fopen(path, "r");

    assert_non_null(list);
    while (f != NULL && getline(&line, &cap, f) > 0) {
        char entry[32];

        assert_int_equal(sscanf(line, "%31s", entry), 1);
        /* the environment, the same for every call */
        assert_non_null(strstr(line, " web script nohome v\n"));
        if (list[0] != '\0')
            strcat(list, ",");
        strcat(list, entry);
    }
    if (f != NULL)
        fclose(f);
    unlink(path);
    free(line);
    free(path);
    return list;
}

static void expect_calls(const char *expected)
{
    char *got = calls();

    assert_string_equal(got, expected);
    free(got);
}

static pid_t daemon_pid(void)
{
    char *path = proc_path(scratch, "daemon");
    FILE *f = fopen(path, "r");
    int pid = 0;

    assert_non_null(f);
    assert_int_equal(fscanf(f, "%d", &pid), 1);
    fclose(f);
    free(path);
    return pid;
}

static void touch(const char *name)
{
    char *path = proc_path(scratch, name);
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fclose(f);
    free(path);
}

static void untouch(const char *name)
{
    char *path = proc_path(scratch, name);

    assert_int_equal(unlink(path), 0);
    free(path);
}

static void test_entry_points_in_order(void **state)
{
    struct rm_resource r = resource(WAIT_MS);
    pid_t daemon;

    (void)state;
    assert_int_equal(rm_genscript_driver.validate(&r), 0);
    assert_int_equal(rm_genscript_driver.online(&r), 0);
    expect_calls("Open,Online");
    daemon = daemon_pid();
    assert_true(proc_running(daemon));
    assert_int_equal(rm_genscript_driver.looks_alive(&r), 0);
    assert_int_equal(rm_genscript_driver.is_alive(&r), 0);
    expect_calls("LooksAlive,IsAlive");
    assert_true(proc_running(daemon)); /* checks leave the daemon alone */

    /* Offline: the script's own, then Close; the daemon it left is killed. */
    assert_int_equal(rm_genscript_driver.offline(&r), 0);
    expect_calls("Offline,Close");
    assert_true(proc_wait_gone(daemon, 0));
    assert_null(r.priv);

    /* Open again before the next Online; Terminate then Close, the daemon gone. */
    assert_int_equal(rm_genscript_driver.online(&r), 0);
    assert_int_equal(rm_genscript_driver.online(&r), 0);
    expect_calls("Open,Online,Online");
    daemon = daemon_pid();
    rm_terminate(&rm_genscript_driver, &r);
    expect_calls("Terminate,Close");
    assert_true(proc_wait_gone(daemon, 0));
    assert_false(rm_proc_any(r.name));
}

static void test_failures(void **state)
{
    struct rm_resource r = resource(WAIT_MS);

    (void)state;
    touch("fail-Open");
    assert_int_equal(rm_genscript_driver.online(&r), -EIO);
    assert_non_null(strstr(r.errmsg, "Open exited with status 3"));
    expect_calls("Open"); /* no Online after a failed Open */

    untouch("fail-Open");
    touch("fail-LooksAlive");
    touch("fail-Offline");
    assert_int_equal(rm_genscript_driver.online(&r), 0);
    assert_int_equal(rm_genscript_driver.looks_alive(&r), -EIO);
    assert_non_null(strstr(r.errmsg, "LooksAlive exited with status 3"));
    assert_int_equal(rm_genscript_driver.is_alive(&r), 0);
    assert_int_equal(rm_genscript_driver.offline(&r), -EIO);
    assert_non_null(strstr(r.errmsg, "Offline exited with status 3"));
    expect_calls("Open,Online,LooksAlive,IsAlive,Offline"); /* no Close: still opened */
    rm_terminate(&rm_genscript_driver, &r);
    expect_calls("Terminate,Close");
    assert_false(rm_proc_any(r.name));
}

static void test_timeout(void **state)
{
    struct rm_resource r = resource(300);
    int64_t t0;

    (void)state;
    assert_int_equal(rm_genscript_driver.online(&r), 0);
    touch("hang-IsAlive");
    t0 = proc_now_ms();
    assert_int_equal(rm_genscript_driver.is_alive(&r), -ETIMEDOUT);
    assert_true(proc_now_ms() - t0 >= 300);
    assert_true(proc_now_ms() - t0 < 300 + WAIT_MS);
    assert_non_null(strstr(r.errmsg, "IsAlive did not end within 300 ms"));
    assert_true(proc_running(daemon_pid())); /* the killed run took only itself */
    rm_terminate(&rm_genscript_driver, &r);
    expect_calls("Open,Online,IsAlive,Terminate,Close");
}

static void test_validate(void **state)
{
    struct rm_prop bad[1];
    struct rm_resource r = resource(WAIT_MS);
    char *plain = proc_path(scratch, "plain");
    FILE *f = fopen(plain, "w");

    (void)state;
    fclose(f);
    r.props = bad;
    r.n_props = 0;
    assert_int_equal(rm_genscript_driver.validate(&r), -EINVAL);
    assert_string_equal(r.errmsg, "ScriptFilepath is required");
    r.n_props = 1;
    bad[0] = (struct rm_prop){"ScriptFilepath", "agent.sh"};
    assert_int_equal(rm_genscript_driver.validate(&r), -EINVAL);
    assert_non_null(strstr(r.errmsg, "not an absolute path"));
    bad[0].value = "/nonexistent/agent.sh";
    assert_int_equal(rm_genscript_driver.validate(&r), -ENOENT);
    bad[0].value = plain;
    assert_int_equal(rm_genscript_driver.validate(&r), -EACCES);
    assert_non_null(strstr(r.errmsg, "is not an executable file"));
    bad[0].value = scratch;
    assert_int_equal(rm_genscript_driver.validate(&r), -EACCES);
    free(plain);
}

/* The daemon Online left is watched: a check leaves the watch quiet, the daemon's death wakes
 * it. */
static void test_daemon_exit_watched(void **state)
{
    struct rm_resource r = resource(WAIT_MS);
    struct pollfd pfd;
    int fd;

    (void)state;
    assert_non_null(rm_genscript_driver.watch_fd);
    assert_int_equal(rm_genscript_driver.online(&r), 0);
    fd = rm_genscript_driver.watch_fd(&r);
    assert_true(fd >= 0);
    assert_int_equal(rm_genscript_driver.looks_alive(&r), 0);
    assert_int_equal(rm_genscript_driver.watch_fd(&r), fd);
    pfd = (struct pollfd){.fd = fd, .events = POLLPRI};
    assert_int_equal(poll(&pfd, 1, 0), 0);
    kill(daemon_pid(), SIGKILL);
    assert_int_equal(poll(&pfd, 1, WAIT_MS), 1);
    assert_true(pfd.revents & POLLPRI);
    assert_int_equal(rm_genscript_driver.watch_fd(&r), -1); /* nothing left to watch */
    assert_int_equal(rm_genscript_driver.offline(&r), 0);
    assert_null(r.priv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_entry_points_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_daemon_exit_watched, setup, teardown),
    };

    proc_require_cgroup();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
