/*
 * The Generic Service driver (rm_gensvc) against a real systemd manager: a private
 * `systemd --user` that tests/lab/systemd_user.sh starts for this program (in its own mount
 * namespace, cgroup and temp directory) and stops again, by its pid, when the tests end — or,
 * should this program die first, when the script's watcher sees it gone. The driver reaches it
 * through CLUSSVC_SYSTEMD_BUS, set to the manager's private socket.
 *
 * The checks that need no manager (unit names, type information) always run; the rest need
 * root and an installed systemd, and the program exits 77 when it has only the former to run.
 * test_fenced also runs the resource host, in a child process, and lets the lease run out.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <systemd/sd-bus.h>

#include "common/prop.h"
#include "daemon/rm/rhs.h"
#include "daemon/rm/rm.h"

#define SKIP 77
#define WAIT_MS 10000     /* bound on every awaited change of the manager */
#define HANG_TIMEOUT_MS 700

static const struct rm_driver *drv;
static char sdu_dir[256], sdu_bus[300], sdu_unit_dir[300];
static char harness[512];

/* ------------------------------------------------------------------------------------------ */
/* helpers */

static uint64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* A resource of the driver naming service, with call timeout timeout_ms. */
static struct rm_resource resource(struct rm_prop *prop, const char *service, uint32_t timeout_ms)
{
    *prop = (struct rm_prop){.key = "ServiceName", .value = service};
    return (struct rm_resource){.name = "svc", .type = "Generic Service", .driver_arg = "gensvc",
                                .timeout_ms = timeout_ms, .props = prop,
                                .n_props = service != NULL ? 1 : 0};
}

static void write_unit(const char *name, const char *body)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", sdu_unit_dir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(body, f);
    assert_int_equal(fclose(f), 0);
}

/* The test's own look at the manager, apart from the driver: a property of unit name. */
static sd_bus *test_bus(void)
{
    sd_bus *bus = NULL;

    assert_true(sd_bus_new(&bus) >= 0);
    assert_true(sd_bus_set_address(bus, sdu_bus) >= 0);
    assert_true(sd_bus_start(bus) >= 0);
    return bus;
}

static uint32_t main_pid(const char *name)
{
    sd_bus *bus = test_bus();
    sd_bus_message *reply = NULL;
    const char *path;
    uint32_t pid = 0;

    assert_true(sd_bus_call_method(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                                   "org.freedesktop.systemd1.Manager", "LoadUnit", NULL, &reply,
                                   "s", name) >= 0);
    assert_true(sd_bus_message_read(reply, "o", &path) >= 0);
    assert_true(sd_bus_get_property_trivial(bus, "org.freedesktop.systemd1", path,
                                            "org.freedesktop.systemd1.Service", "MainPID", NULL,
                                            'u', &pid) >= 0);
    sd_bus_message_unref(reply);
    sd_bus_flush_close_unref(bus);
    return pid;
}

/* Waits on the driver's watch descriptor until the check fails (bounded); 0 if it did. */
static int await_check_fails(struct rm_resource *r)
{
    uint64_t deadline = now_ms() + WAIT_MS;
    int fd = drv->watch_fd(r);

    assert_true(fd >= 0);
    while (drv->looks_alive(r) == 0) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        uint64_t now = now_ms();

        if (now >= deadline || poll(&pfd, 1, (int)(deadline - now)) != 1)
            return -ETIMEDOUT;
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* without a manager */

static void test_type_info(void **state)
{
    struct rm_type_info *info = NULL;
    const struct rm_param *p;

    (void)state;
    assert_int_equal(rm_type_info("GENSVC", &info), 0);
    assert_int_equal(info->n_params, 1);
    p = rm_type_param(info, "servicename");
    assert_non_null(p);
    assert_string_equal(p->name, "ServiceName");
    assert_int_equal(p->syntax, PROP_SYNTAX_SZ);
    assert_true(p->required);
    assert_null(rm_type_param(info, "StartupParameters"));
    rm_type_info_free(info);
}

/* Bad names fail before any connection, so these run anywhere. */
static void test_bad_names(void **state)
{
    static char long_name[251];
    const char *const bad[] = {
        "", "a/b", "a b", "-@", "@x.service", "tmpl@.service", "a@b@c.service", ".service",
        "\xc3\xbcnicode", long_name, /* 250 characters, 258 with ".service" */
    };
    struct rm_prop prop;

    (void)state;
    memset(long_name, 'a', sizeof(long_name) - 1);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct rm_resource r = resource(&prop, bad[i], 1000);

        assert_int_equal(drv->validate(&r), -EINVAL);
        assert_int_equal(drv->online(&r), -EINVAL);
        assert_null(r.priv);
    }
    struct rm_resource none = resource(&prop, NULL, 1000);
    assert_int_equal(drv->validate(&none), -EINVAL);
    assert_non_null(strstr(none.errmsg, "ServiceName is not set"));
}

/* ------------------------------------------------------------------------------------------ */
/* against the manager */

static void test_validate(void **state)
{
    struct rm_prop prop;
    struct rm_resource r = resource(&prop, "gensvc-loop", 5000);

    (void)state;
    assert_int_equal(drv->validate(&r), 0);
    r = resource(&prop, "gensvc-absent.service", 5000);
    assert_int_equal(drv->validate(&r), -ENOENT);
    assert_string_equal(r.errmsg, "unit gensvc-absent.service does not exist");
    r = resource(&prop, "gensvc-restarts", 5000);
    assert_int_equal(drv->validate(&r), -EINVAL);
    assert_non_null(strstr(r.errmsg, "Restart=always"));
}

/* online → active; kill its main process → the watch wakes and the check fails, naming the state;
 * offline → inactive; online again after the failure. */
static void test_online_kill_offline(void **state)
{
    struct rm_prop prop;
    struct rm_resource r = resource(&prop, "gensvc-loop", 5000);
    uint32_t pid;

    (void)state;
    assert_int_equal(drv->online(&r), 0);
    assert_non_null(r.priv);
    assert_int_equal(drv->looks_alive(&r), 0);
    assert_int_equal(drv->is_alive(&r), 0);
    pid = main_pid("gensvc-loop.service");
    assert_true(pid > 1);
    assert_int_equal(kill((pid_t)pid, SIGKILL), 0);
    assert_int_equal(await_check_fails(&r), 0);
    assert_string_equal(r.errmsg, "gensvc-loop.service is failed");
    assert_int_equal(drv->offline(&r), 0);
    assert_null(r.priv);

    assert_int_equal(drv->online(&r), 0);
    assert_int_equal(drv->offline(&r), 0);
    assert_int_equal(drv->looks_alive(&r), -ESRCH);
    assert_string_equal(r.errmsg, "gensvc-loop.service is inactive");
    assert_int_equal(drv->offline(&r), 0); /* offline when offline */
}

/* A unit that fails to start fails online with the job's result. */
static void test_start_fails(void **state)
{
    struct rm_prop prop;
    struct rm_resource r = resource(&prop, "gensvc-false", 5000);

    (void)state;
    assert_int_equal(drv->online(&r), -EIO);
    assert_null(r.priv);
    assert_non_null(strstr(r.errmsg, "gensvc-false.service did not start"));
    r = resource(&prop, "gensvc-absent", 5000);
    assert_true(drv->online(&r) < 0);
    assert_non_null(strstr(r.errmsg, "gensvc-absent.service"));
    assert_null(r.priv);
    assert_int_equal(drv->offline(&r), 0); /* what does not exist does not run */
}

/* A start that hangs fails at the call's timeout and is not left activating. */
static void test_start_hangs(void **state)
{
    struct rm_prop prop;
    struct rm_resource r = resource(&prop, "gensvc-hang", HANG_TIMEOUT_MS);
    uint64_t start = now_ms(), took;

    (void)state;
    assert_int_equal(drv->online(&r), -ETIMEDOUT);
    took = now_ms() - start;
    assert_true(took >= HANG_TIMEOUT_MS);
    assert_true(took < HANG_TIMEOUT_MS + 3000); /* the terminate after it does not wait */
    assert_non_null(strstr(r.errmsg, "did not start within 700 ms"));
    assert_null(r.priv);
    r.timeout_ms = 5000;
    assert_int_equal(drv->offline(&r), 0); /* the terminate queued a stop: it is down at once */
}

/* terminate kills every process of the unit without waiting for a job. The unit ignores SIGTERM
 * and may take a minute to stop, so an offline right after it finishes only because terminate's
 * SIGKILL did the work. */
static void test_terminate(void **state)
{
    struct rm_prop prop;
    struct rm_resource r = resource(&prop, "gensvc-stubborn.service", 5000);
    uint64_t start;
    uint32_t pid;

    (void)state;
    assert_int_equal(drv->online(&r), 0);
    pid = main_pid("gensvc-stubborn.service");
    strcpy(r.errmsg, "why");
    start = now_ms();
    rm_terminate(drv, &r);
    assert_true(now_ms() - start < 3000);
    assert_null(r.priv);
    assert_string_equal(r.errmsg, "why");
    assert_int_equal(drv->offline(&r), 0);
    assert_int_equal(kill((pid_t)pid, 0), -1); /* reaped by the manager before it went inactive */
    assert_int_equal(errno, ESRCH);
    rm_terminate(drv, &r); /* terminate of what is down: harmless */
}

/* In a child of its own, which runs the resource host as clussvc does (one per process):
 * online, then the lease runs out, and the host kills the unit's processes by the control group
 * online handed it. Exit status 0, or the number of the step that failed. */
static int fenced_child(void)
{
    struct rm_prop prop;
    struct rm_resource r = resource(&prop, "gensvc-loop", 5000);
    uint32_t pid;

    if (rhs_spawn() < 0)
        return 1;
    rhs_lease(now_ms() + 60000);
    if (drv->online(&r) != 0 || (pid = main_pid("gensvc-loop.service")) <= 1)
        return 2;
    if (drv->looks_alive(&r) != 0)
        return 3;
    rhs_lease(now_ms()); /* runs out now */
    if (await_check_fails(&r) != 0)
        return 4;
    if (strcmp(r.errmsg, "gensvc-loop.service is failed") != 0 || kill((pid_t)pid, 0) == 0)
        return 5;
    return drv->offline(&r) == 0 ? 0 : 6;
}

/* A node whose lease ran out kills the unit even without a word from clussvc. */
static void test_fenced(void **state)
{
    int status;
    pid_t child;

    (void)state;
    fflush(NULL);
    child = fork();
    assert_true(child >= 0);
    if (child == 0)
        _exit(fenced_child());
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* ------------------------------------------------------------------------------------------ */
/* the manager */

static int manager_start(void)
{
    char cmd[600], line[512];
    int status;
    FILE *p;

    snprintf(cmd, sizeof(cmd), "bash '%s' start %d", harness, (int)getpid());
    p = popen(cmd, "r");
    if (p == NULL)
        return -errno;
    while (fgets(line, sizeof(line), p) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "SDU_DIR=", 8) == 0)
            snprintf(sdu_dir, sizeof(sdu_dir), "%s", line + 8);
        else if (strncmp(line, "SDU_BUS=", 8) == 0)
            snprintf(sdu_bus, sizeof(sdu_bus), "%s", line + 8);
        else if (strncmp(line, "SDU_UNIT_DIR=", 13) == 0)
            snprintf(sdu_unit_dir, sizeof(sdu_unit_dir), "%s", line + 13);
    }
    status = pclose(p);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return WIFEXITED(status) && WEXITSTATUS(status) == SKIP ? SKIP : -EIO;
    return sdu_dir[0] && sdu_bus[0] && sdu_unit_dir[0] ? 0 : -EIO;
}

static void manager_stop(void)
{
    char cmd[600];

    snprintf(cmd, sizeof(cmd), "bash '%s' stop '%s'", harness, sdu_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "stopping the manager failed\n");
}

/* The units the tests drive; the manager loads a unit file when it is first asked for it. */
static int units_setup(void **state)
{
    (void)state;
    write_unit("gensvc-loop.service", "[Service]\nExecStart=/bin/sleep infinity\n");
    write_unit("gensvc-false.service", "[Service]\nType=oneshot\nExecStart=/bin/false\n");
    write_unit("gensvc-hang.service",
               "[Service]\nExecStartPre=/bin/sleep 600\nExecStart=/bin/sleep infinity\n");
    write_unit("gensvc-stubborn.service",
               "[Service]\nExecStart=/bin/sh -c 'trap \"\" TERM; while :; do sleep 1; done'\n"
               "TimeoutStopSec=60\n");
    write_unit("gensvc-restarts.service",
               "[Service]\nExecStart=/bin/sleep infinity\nRestart=always\n");
    return 0;
}

int main(void)
{
    const struct CMUnitTest pure[] = {
        cmocka_unit_test(test_type_info),
        cmocka_unit_test(test_bad_names),
    };
    const struct CMUnitTest live[] = {
        cmocka_unit_test(test_validate),
        cmocka_unit_test(test_online_kill_offline),
        cmocka_unit_test(test_start_fails),
        cmocka_unit_test(test_start_hangs),
        cmocka_unit_test(test_terminate),
        cmocka_unit_test(test_fenced),
    };
    const char *h = getenv("SYSTEMD_USER_SH");
    int failed, rv;

    drv = rm_driver_find("gensvc");
    if (drv == NULL)
        return 1;
    failed = cmocka_run_group_tests_name("gensvc_pure", pure, NULL, NULL);
    snprintf(harness, sizeof(harness), "%s", h != NULL ? h : "tests/lab/systemd_user.sh");
    rv = manager_start();
    if (rv == SKIP)
        return failed != 0 ? failed : SKIP;
    if (rv < 0) {
        fprintf(stderr, "cannot start a systemd --user manager\n");
        return 1;
    }
    setenv("CLUSSVC_SYSTEMD_BUS", sdu_bus, 1);
    failed += cmocka_run_group_tests_name("gensvc_live", live, units_setup, NULL);
    manager_stop();
    return failed;
}
