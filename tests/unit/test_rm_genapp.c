/*
 * The Generic Application driver on real programs: started with its command line, directory and
 * environment; one copy only; its death seen at once on the watch descriptor; offline that stops
 * a polite program at once and kills one that ignores SIGTERM after the resource's time; and the
 * messages validate gives for bad properties. Root with a writable cgroup v2 only (else 77).
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

#include "common/prop.h"
#include "daemon/rm/rm.h"
#include "daemon/rm/rm_proc.h"
#include "proc_fixture.h"

#define WAIT_MS 5000

static char *scratch;

static int setup(void **state)
{
    (void)state;
    scratch = proc_scratch_new();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rm_proc_kill_all("app", WAIT_MS); /* what a failed test left */
    proc_scratch_free(scratch);
    scratch = NULL;
    return 0;
}

static struct rm_resource resource(const struct rm_prop *props, size_t n, uint32_t timeout_ms)
{
    return (struct rm_resource){.name = "app", .type = "Generic Application",
                                .driver_arg = "genapp", .timeout_ms = timeout_ms,
                                .props = props, .n_props = n};
}

/* Does the driver's watch descriptor say the program ended, within timeout_ms? */
static bool watch_readable(struct rm_resource *r, int timeout_ms)
{
    struct pollfd pfd = {.fd = rm_genapp_driver.watch_fd(r), .events = POLLIN};

    assert_true(pfd.fd >= 0);
    return poll(&pfd, 1, timeout_ms) == 1;
}

static void test_online_runs_and_death_is_seen(void **state)
{
    char *fifo = proc_fifo(scratch, "report"), *cmd, *line, *expect;
    struct rm_prop props[3];
    struct rm_resource r;
    int reader = proc_fifo_reader(fifo);
    pid_t pid;

    (void)state;
    assert_true(asprintf(&cmd, "sh -c 'echo \"$$ $X ${HOME-nohome} $(pwd)\" > \"$0\"; "
                               "exec sleep 1000' %s", fifo) > 0);
    props[0] = (struct rm_prop){"CommandLine", cmd};
    props[1] = (struct rm_prop){"CurrentDirectory", scratch};
    props[2] = (struct rm_prop){"Environment", "X=hello world\nY=2"};
    r = resource(props, 3, WAIT_MS);
    assert_int_equal(rm_genapp_driver.validate(&r), 0);
    assert_int_equal(rm_genapp_driver.online(&r), 0);
    line = proc_read_line(reader, WAIT_MS);
    assert_non_null(line);
    pid = atoi(line);
    assert_true(asprintf(&expect, "%d hello world nohome %s", (int)pid, scratch) > 0);
    assert_string_equal(line, expect);
    assert_int_equal(rm_genapp_driver.looks_alive(&r), 0);
    assert_int_equal(rm_genapp_driver.is_alive(&r), 0);
    assert_false(watch_readable(&r, 0));

    /* A second online while it runs starts nothing: no second report comes. */
    assert_int_equal(rm_genapp_driver.online(&r), 0);
    assert_true(proc_running(pid));
    free(line);
    assert_null(line = proc_read_line(reader, 300));

    kill(pid, SIGKILL);
    assert_true(watch_readable(&r, WAIT_MS));
    assert_int_equal(rm_genapp_driver.looks_alive(&r), -ESRCH);
    assert_non_null(strstr(r.errmsg, "killed by signal 9"));
    assert_int_equal(rm_genapp_driver.is_alive(&r), -ESRCH);

    /* After the death, online starts it afresh. */
    assert_int_equal(rm_genapp_driver.online(&r), 0);
    line = proc_read_line(reader, WAIT_MS);
    assert_non_null(line);
    assert_int_not_equal(atoi(line), pid);
    pid = atoi(line);
    rm_genapp_driver.terminate(&r);
    assert_true(proc_wait_gone(pid, 0));
    assert_null(r.priv);
    assert_false(rm_proc_any("app"));
    close(reader);
    free(line);
    free(expect);
    free(cmd);
    free(fifo);
}

static void test_offline_polite_and_stubborn(void **state)
{
    char *fifo = proc_fifo(scratch, "pid"), *polite, *stubborn, *line;
    struct rm_prop props[1];
    struct rm_resource r;
    int reader = proc_fifo_reader(fifo);
    int64_t t0;
    pid_t pid;

    (void)state;
    assert_true(asprintf(&polite, "sh -c 'echo $$ > \"$0\"; exec sleep 1000' %s", fifo) > 0);
    assert_true(asprintf(&stubborn, "sh -c 'trap \"\" TERM; echo $$ > \"$0\"; exec sleep 1000' %s",
                         fifo) > 0);
    props[0] = (struct rm_prop){"CommandLine", polite};
    r = resource(props, 1, WAIT_MS);
    assert_int_equal(rm_genapp_driver.online(&r), 0);
    line = proc_read_line(reader, WAIT_MS);
    assert_non_null(line);
    pid = atoi(line);
    free(line);
    t0 = proc_now_ms();
    assert_int_equal(rm_genapp_driver.offline(&r), 0);
    assert_true(proc_now_ms() - t0 < WAIT_MS / 2); /* SIGTERM did it, not the timeout */
    assert_true(proc_wait_gone(pid, 0));
    assert_null(r.priv);

    props[0].value = stubborn;
    r = resource(props, 1, 400);
    assert_int_equal(rm_genapp_driver.online(&r), 0);
    line = proc_read_line(reader, WAIT_MS);
    assert_non_null(line);
    pid = atoi(line);
    free(line);
    t0 = proc_now_ms();
    assert_int_equal(rm_genapp_driver.offline(&r), 0);
    assert_true(proc_now_ms() - t0 >= 400); /* it ignored SIGTERM: killed past the time */
    assert_true(proc_wait_gone(pid, 0));
    assert_false(rm_proc_any("app"));
    close(reader);
    free(polite);
    free(stubborn);
    free(fifo);
}

/* Words as the driver splits them, seen by the program itself. */
static void test_command_line_quoting(void **state)
{
    char *fifo = proc_fifo(scratch, "args"), *cmd, *line;
    struct rm_prop props[1];
    struct rm_resource r;
    int reader = proc_fifo_reader(fifo);

    (void)state;
    assert_true(asprintf(&cmd, "/bin/sh -c '{ printf \"%%s|\" \"$@\"; echo; } > \"$0\"' %s "
                               "a\\ b \"c \\\"d\\\" \\x\" 'e\\f' '' g\"h i\"",
                         fifo) > 0);
    props[0] = (struct rm_prop){"CommandLine", cmd};
    r = resource(props, 1, WAIT_MS);
    assert_int_equal(rm_genapp_driver.online(&r), 0);
    line = proc_read_line(reader, WAIT_MS);
    assert_non_null(line);
    assert_string_equal(line, "a b|c \"d\" \\x|e\\f||gh i|");
    rm_genapp_driver.terminate(&r);
    close(reader);
    free(line);
    free(cmd);
    free(fifo);
}

struct bad_case {
    const char *command_line, *cwd, *env;
    int err;
    const char *message;
};

static void test_validate_errors(void **state)
{
    static const struct bad_case cases[] = {
        {NULL, NULL, NULL, -EINVAL, "CommandLine is required"},
        {"  ", NULL, NULL, -EINVAL, "CommandLine is empty"},
        {"sleep 'forever", NULL, NULL, -EINVAL, "unterminated ' quote"},
        {"sleep \"1", NULL, NULL, -EINVAL, "unterminated \" quote"},
        {"sleep 1\\", NULL, NULL, -EINVAL, "ends in a backslash"},
        {"echo a | cat", NULL, NULL, -EINVAL, "'|' must be quoted"},
        {"echo $HOME", NULL, NULL, -EINVAL, "'$' must be quoted"},
        {"sleep 1 > /tmp/x", NULL, NULL, -EINVAL, "'>' must be quoted"},
        {"bin/sleep 1", NULL, NULL, -EINVAL, "neither an absolute path"},
        {"/nonexistent/prog", NULL, NULL, -ENOENT, "/nonexistent/prog is not an executable"},
        {"/etc/passwd", NULL, NULL, -ENOENT, "/etc/passwd is not an executable"},
        {"no-such-program-here x", NULL, NULL, -ENOENT, "no program no-such-program-here on"},
        {"sleep 1", "/nonexistent", NULL, -ENOENT, "CurrentDirectory /nonexistent is not a"},
        {"sleep 1", "/etc/passwd", NULL, -ENOENT, "/etc/passwd is not a directory"},
        {"sleep 1", NULL, "A=1\nNOEQUALS", -EINVAL, "\"NOEQUALS\" is not NAME=VALUE"},
        {"sleep 1", NULL, "=value", -EINVAL, "\"=value\" is not NAME=VALUE"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct rm_prop props[3];
        size_t n = 0;
        struct rm_resource r;

        if (cases[i].command_line != NULL)
            props[n++] = (struct rm_prop){"CommandLine", cases[i].command_line};
        if (cases[i].cwd != NULL)
            props[n++] = (struct rm_prop){"CurrentDirectory", cases[i].cwd};
        if (cases[i].env != NULL)
            props[n++] = (struct rm_prop){"Environment", cases[i].env};
        r = resource(props, n, WAIT_MS);
        print_message("case %zu: %s\n", i, cases[i].message);
        assert_int_equal(rm_genapp_driver.validate(&r), cases[i].err);
        assert_non_null(strstr(r.errmsg, cases[i].message));
        assert_int_equal(rm_genapp_driver.online(&r), cases[i].err); /* starts nothing */
        assert_null(r.priv);
    }
    assert_false(rm_proc_any("app"));
}

static void test_type_info(void **state)
{
    struct rm_type_info *info;
    const struct rm_param *p;

    (void)state;
    assert_int_equal(rm_type_info("genapp", &info), 0);
    assert_int_equal(info->n_params, 3);
    p = rm_type_param(info, "commandline");
    assert_non_null(p);
    assert_true(p->required);
    assert_int_equal(p->syntax, PROP_SYNTAX_SZ);
    p = rm_type_param(info, "Environment");
    assert_non_null(p);
    assert_false(p->required);
    assert_int_equal(p->syntax, PROP_SYNTAX_MULTI_SZ);
    assert_non_null(rm_type_param(info, "CurrentDirectory"));
    rm_type_info_free(info);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_online_runs_and_death_is_seen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_offline_polite_and_stubborn, setup, teardown),
        cmocka_unit_test_setup_teardown(test_command_line_quoting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validate_errors, setup, teardown),
        cmocka_unit_test(test_type_info),
    };

    proc_require_cgroup();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
