/*
 * The OCF driver against real processes: resource-agents' own Dummy agent, and a fake agent
 * this test writes to a temporary OCF root whose behaviour its parameters choose (exit codes,
 * a hung start, a daemon left behind and watched). The Dummy test is skipped where resource-agents is not
 * installed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "daemon/rm/rm.h"
#include "daemon/rm/rm_ocf.h"
#include "daemon/rm/rm_proc.h"

#define DUMMY "/usr/lib/ocf/resource.d/heartbeat/Dummy"

static char tmp[PATH_MAX];      /* the test's directory */
static char root[PATH_MAX];     /* the fake OCF root in it */
static char rsctmp[PATH_MAX];   /* HA_RSCTMP */
static bool runner_works;       /* rm_proc can start processes here (valgrind lacks pidfds) */

/* The fake agent. Parameters: tag (required), start_rc, stop_rc, monitor_rc, validate_rc,
 * hang (start never ends), daemon (start leaves a process behind, its pid in HA_RSCTMP). Each
 * action records its environment in $HA_RSCTMP/<instance>.<action>.env. */
static const char fake_agent[] =
    "#!/bin/sh\n"
    "state=\"$HA_RSCTMP/$OCF_RESOURCE_INSTANCE\"\n"
    "[ \"$1\" = meta-data ] || env > \"$state.$1.env\"\n"
    "fail() { echo \"ocf-exit-reason:asked to fail with $1\" >&2; exit \"$1\"; }\n"
    "case \"$1\" in\n"
    "meta-data) cat <<'EOF'\n"
    "<?xml version=\"1.0\"?>\n"
    "<resource-agent name=\"fake\" version=\"1.0\">\n"
    "<parameters>\n"
    "<parameter name=\"tag\" required=\"1\"><shortdesc lang=\"en\">A tag</shortdesc>"
    "<content type=\"string\"/></parameter>\n"
    "<parameter name=\"start_rc\"><content type=\"integer\"/></parameter>\n"
    "<parameter name=\"stop_rc\"><content type=\"integer\"/></parameter>\n"
    "<parameter name=\"monitor_rc\"><content type=\"integer\"/></parameter>\n"
    "<parameter name=\"validate_rc\"><content type=\"integer\"/></parameter>\n"
    "<parameter name=\"hang\"><content type=\"boolean\" default=\"0\"/></parameter>\n"
    "<parameter name=\"daemon\"><content type=\"boolean\" default=\"0\"/></parameter>\n"
    "</parameters>\n"
    "<actions>\n"
    "<action name=\"start\" timeout=\"7s\"/>\n"
    "<action name=\"stop\" timeout=\"5s\"/>\n"
    "<action name=\"monitor\" timeout=\"5s\" interval=\"3s\"/>\n"
    "<action name=\"monitor\" depth=\"10\" timeout=\"6s\" interval=\"30s\"/>\n"
    "<action name=\"validate-all\" timeout=\"4s\"/>\n"
    "<action name=\"meta-data\" timeout=\"5s\"/>\n"
    "</actions>\n"
    "</resource-agent>\n"
    "EOF\n"
    "  exit 0;;\n"
    "start)\n"
    "  [ -n \"$OCF_RESKEY_start_rc\" ] && fail \"$OCF_RESKEY_start_rc\"\n"
    "  [ \"$OCF_RESKEY_hang\" = 1 ] && exec sleep 1000\n"
    "  if [ \"$OCF_RESKEY_daemon\" = 1 ]; then\n"
    "    (sleep 1000 </dev/null >/dev/null 2>&1 & echo $! > \"$state.pid\")\n"
    "  fi\n"
    "  touch \"$state.up\"; exit 0;;\n"
    "stop) rm -f \"$state.up\"; [ -n \"$OCF_RESKEY_stop_rc\" ] && fail \"$OCF_RESKEY_stop_rc\";"
    " exit 0;;\n"
    "monitor)\n"
    "  [ -n \"$OCF_RESKEY_monitor_rc\" ] && fail \"$OCF_RESKEY_monitor_rc\"\n"
    "  [ -f \"$state.up\" ] && exit 0; exit 7;;\n"
    "validate-all) [ -n \"$OCF_RESKEY_validate_rc\" ] && fail \"$OCF_RESKEY_validate_rc\";"
    " exit 0;;\n"
    "*) exit 3;;\n"
    "esac\n";

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, mode), 0);
}

/* Makes tmp/sub. */
static void make_dir(const char *sub)
{
    char path[PATH_MAX];

    snprintf(path, sizeof(path), "%s/%s", tmp, sub);
    assert_int_equal(mkdir(path, 0755), 0);
}

static bool probe_runner(void)
{
    const char *argv[] = {"/bin/true", NULL}, *envp[] = {NULL};
    struct rm_proc_spec spec = {.argv = argv, .envp = envp};
    int status = -1, rv = rm_proc_run(&spec, 5000, &status, NULL);

    if (rv < 0)
        fprintf(stderr, "the process runner does not work here (%s): tests skipped\n",
                strerror(-rv));
    return rv == 0 && status == 0;
}

static int suite_setup(void **state)
{
    char path[PATH_MAX];

    snprintf(tmp, sizeof(tmp), "/tmp/test_rm_ocf.XXXXXX");
    if (mkdtemp(tmp) == NULL)
        return -1;
    snprintf(root, sizeof(root), "%s/ocf", tmp);
    snprintf(rsctmp, sizeof(rsctmp), "%s/rsctmp", tmp); /* the driver creates it */
    make_dir("ocf");
    make_dir("ocf/resource.d");
    make_dir("ocf/resource.d/test");
    make_dir("state");
    snprintf(path, sizeof(path), "%s/resource.d/test/fake", root);
    write_file(path, fake_agent, 0755);
    setenv("HA_RSCTMP", rsctmp, 1);
    setenv("CLUSAPI_TEST_LEAK", "1", 1); /* must not reach an agent */
    runner_works = probe_runner();
    return 0;
}

static int suite_teardown(void **state)
{
    char cmd[PATH_MAX + 16];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
    return system(cmd) == 0 ? 0 : -1;
}

static int use_fake_root(void **state)
{
    setenv("OCF_ROOT", root, 1);
    return 0;
}

#define NEED_RUNNER()                                                                          \
    do {                                                                                       \
        if (!runner_works)                                                                     \
            skip();                                                                            \
    } while (0)



/* ---- the installed agents ------------------------------------------------------------- */

static void test_agents(void **state)
{
    char list_root[PATH_MAX], path[PATH_MAX];
    static const char *const files[][2] = {
        {"p1/b", "755"},  {"p1/a", "755"},     {"p1/noexec", "644"}, {"p1/.hidden", "755"},
        {"p1/x:y", "755"}, {"p0/z", "755"},
    };
    char **names = NULL;
    size_t n = 99;

    snprintf(list_root, sizeof(list_root), "%s/list", tmp);
    make_dir("list");
    setenv("OCF_ROOT", list_root, 1);
    assert_int_equal(rm_ocf_agents(&names, &n), 0); /* no resource.d: none */
    assert_null(names);
    assert_int_equal(n, 0);

    make_dir("list/resource.d");
    make_dir("list/resource.d/p0");
    make_dir("list/resource.d/p1");
    make_dir("list/resource.d/p1/subdir");
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "%s/resource.d/%s", list_root, files[i][0]);
        write_file(path, "#!/bin/sh\nexit 0\n", (mode_t)strtoul(files[i][1], NULL, 8));
    }
    snprintf(path, sizeof(path), "%s/resource.d/not-a-provider", list_root);
    write_file(path, "", 0755);
    snprintf(path, sizeof(path), "%s/resource.d/p1/link", list_root);
    assert_int_equal(symlink("a", path), 0);

    assert_int_equal(rm_ocf_agents(&names, &n), 0);
    assert_int_equal(n, 4);
    assert_string_equal(names[0], "ocf:p0:z");
    assert_string_equal(names[1], "ocf:p1:a");
    assert_string_equal(names[2], "ocf:p1:b");
    assert_string_equal(names[3], "ocf:p1:link");
    free(names); /* one block */
    /* one name at a time, as a type before its first resource registers it */
    assert_true(rm_ocf_installed("ocf:p1:a"));
    assert_true(rm_ocf_installed("OCF:P1:A"));
    assert_false(rm_ocf_installed("ocf:p1:subdir"));
    assert_false(rm_ocf_installed("ocf:p1:nosuch"));
    assert_false(rm_ocf_installed("ocf:p1:../p0/z"));
    assert_false(rm_ocf_installed("ocf:p1"));
    assert_false(rm_ocf_installed("Generic Application"));
}

/* ---- the fake agent --------------------------------------------------------------------- */

/* A resource of the fake agent with properties as key, value pairs (NULL-ended). */
struct res {
    struct rm_resource r;
    struct rm_prop props[8];
};

static void res_init(struct res *s, const char *name, const char *driver, ...)
{
    va_list ap;
    const char *key;

    memset(s, 0, sizeof(*s));
    s->r.name = name;
    s->r.type = driver;
    s->r.driver_arg = driver;
    s->r.props = s->props;
    va_start(ap, driver);
    while ((key = va_arg(ap, const char *)) != NULL) {
        assert_true(s->r.n_props < 8);
        s->props[s->r.n_props].key = key;
        s->props[s->r.n_props++].value = va_arg(ap, const char *);
    }
    va_end(ap);
}

/* The environment the fake agent recorded for one action of instance, as one string. */
static char *recorded_env(const char *instance, const char *action)
{
    char path[PATH_MAX], *text;
    FILE *f;
    long len;

    snprintf(path, sizeof(path), "%s/%s.%s.env", rsctmp, instance, action);
    f = fopen(path, "r");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    rewind(f);
    text = calloc(1, (size_t)len + 2);
    text[0] = '\n'; /* so every line, the first too, starts after a '\n' */
    assert_int_equal(fread(text + 1, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    return text;
}

static void assert_env_has(const char *env, const char *line)
{
    char want[512];

    snprintf(want, sizeof(want), "\n%s\n", line);
    if (strstr(env, want) == NULL)
        fail_msg("environment lacks %s", line);
}

/* The number a line KEY=N of env holds, or -1. */
static long env_number(const char *env, const char *key)
{
    char want[128];
    const char *at;

    snprintf(want, sizeof(want), "\n%s=", key);
    at = strstr(env, want);
    return at != NULL ? strtol(at + strlen(want), NULL, 10) : -1;
}

static void test_fake_type_info(void **state)
{
    struct rm_type_info *info = NULL;
    const struct rm_param *tag;

    NEED_RUNNER();

    assert_int_equal(rm_type_info("OCF:TEST:FAKE", &info), 0); /* type names keep no case */
    assert_int_equal(info->n_params, 7);
    tag = rm_type_param(info, "tag");
    assert_non_null(tag);
    assert_true(tag->required);
    assert_string_equal(tag->description, "A tag");
    assert_int_equal(info->start_ms, 7000);
    assert_int_equal(info->stop_ms, 5000);
    assert_int_equal(info->monitor_ms, 5000);
    assert_int_equal(info->monitor_interval_ms, 3000);
    assert_int_equal(info->validate_ms, 4000);
    rm_type_info_free(info);
    assert_int_equal(rm_type_info("ocf:test:none", &info), -ENOENT);
    assert_int_equal(rm_type_info("ocf:test", &info), -EINVAL);
}

static void test_fake_lifecycle_env(void **state)
{
    const struct rm_driver *d = rm_driver_find("ocf:test:fake");
    struct res s;
    char *env, expect[PATH_MAX + 32];

    NEED_RUNNER();

    res_init(&s, "fake one", "ocf:test:fake", "TAG", "blue", "bad-key", "x", NULL);
    assert_ptr_equal(d, &rm_ocf_driver);
    assert_int_equal(d->validate(&s.r), 0);
    assert_int_equal(d->looks_alive(&s.r), -ESRCH);
    assert_int_equal(d->online(&s.r), 0);
    assert_int_equal(d->looks_alive(&s.r), 0);
    assert_int_equal(d->is_alive(&s.r), 0);

    char instance[RM_OCF_INSTANCE_MAX];
    rm_ocf_instance("fake one", instance);
    env = recorded_env(instance, "start");
    snprintf(expect, sizeof(expect), "OCF_ROOT=%s", root);
    assert_env_has(env, expect);
    snprintf(expect, sizeof(expect), "HA_RSCTMP=%s", rsctmp);
    assert_env_has(env, expect);
    snprintf(expect, sizeof(expect), "OCF_RESOURCE_INSTANCE=%s", instance);
    assert_env_has(env, expect);
    assert_env_has(env, "OCF_RESOURCE_TYPE=fake");
    assert_env_has(env, "OCF_RESOURCE_PROVIDER=test");
    assert_env_has(env, "OCF_RA_VERSION_MAJOR=1");
    assert_env_has(env, "OCF_RESKEY_tag=blue"); /* spelt as the agent spells it */
    assert_env_has(env, "OCF_RESKEY_CRM_meta_timeout=7000");
    assert_env_has(env, "OCF_RESKEY_CRM_meta_interval=0");
    assert_null(strstr(env, "CLUSAPI_TEST_LEAK"));
    assert_null(strstr(env, "bad-key"));
    free(env);

    env = recorded_env(instance, "monitor"); /* the last one: is_alive's, the deeper level */
    assert_env_has(env, "OCF_CHECK_LEVEL=10");
    assert_env_has(env, "OCF_RESKEY_CRM_meta_timeout=6000");
    assert_env_has(env, "OCF_RESKEY_CRM_meta_interval=3000");
    free(env);

    s.r.timeout_ms = 1234; /* the caller's bound, what is left of it, wins over the advised */
    assert_int_equal(d->offline(&s.r), 0);
    env = recorded_env(instance, "stop");
    assert_in_range(env_number(env, "OCF_RESKEY_CRM_meta_timeout"), 1, 1234);
    free(env);
    s.r.timeout_ms = 0;
    assert_int_equal(d->looks_alive(&s.r), -ESRCH);
    assert_false(rm_proc_any("fake one"));
}

static void test_fake_start_codes(void **state)
{
    static const int expect[] = {
        [1] = -EIO, [2] = -EINVAL, [3] = -EOPNOTSUPP, [4] = -EACCES, [5] = -ENOENT,
        [6] = -EINVAL, [7] = -ESRCH, [8] = -EIO, [9] = -EIO,
    };
    struct res s;
    char rc[4];

    NEED_RUNNER();

    for (int code = 1; code <= 9; code++) {
        snprintf(rc, sizeof(rc), "%d", code);
        res_init(&s, "fake codes", "ocf:test:fake", "tag", "t", "start_rc", rc, NULL);
        assert_int_equal(rm_ocf_driver.online(&s.r), expect[code]);
        assert_non_null(strstr(s.r.errmsg, "ocf:test:fake start: "));
        assert_non_null(strstr(s.r.errmsg, rm_ocf_exit("start", code).code));
        assert_non_null(strstr(s.r.errmsg, "asked to fail with"));
        assert_false(rm_proc_any("fake codes"));
    }
}

static void test_fake_other_codes(void **state)
{
    const struct rm_driver *d = &rm_ocf_driver;
    struct res s;

    NEED_RUNNER();

    res_init(&s, "fake mon", "ocf:test:fake", "tag", "t", "monitor_rc", "1", NULL);
    assert_int_equal(d->looks_alive(&s.r), -EIO);
    assert_non_null(strstr(s.r.errmsg, "ocf:test:fake monitor: failed (OCF_ERR_GENERIC)"));
    res_init(&s, "fake mon", "ocf:test:fake", "tag", "t", "monitor_rc", "42", NULL);
    assert_int_equal(d->is_alive(&s.r), -EIO);
    assert_non_null(strstr(s.r.errmsg, "(exit 42)"));
    /* started, but monitor cannot see it: the start failed, and was undone */
    res_init(&s, "fake mon", "ocf:test:fake", "tag", "t", "monitor_rc", "7", NULL);
    assert_int_equal(d->online(&s.r), -ESRCH);
    assert_non_null(strstr(s.r.errmsg, "not running"));

    res_init(&s, "fake stop", "ocf:test:fake", "tag", "t", "stop_rc", "7", NULL);
    assert_int_equal(d->offline(&s.r), 0);
    res_init(&s, "fake stop", "ocf:test:fake", "tag", "t", "stop_rc", "1", NULL);
    assert_int_equal(d->offline(&s.r), -EIO);

    res_init(&s, "fake val", "ocf:test:fake", "tag", "t", "validate_rc", "3", NULL);
    assert_int_equal(d->validate(&s.r), 0);
    res_init(&s, "fake val", "ocf:test:fake", "tag", "t", "validate_rc", "6", NULL);
    assert_int_equal(d->validate(&s.r), -EINVAL);
    res_init(&s, "fake val", "ocf:test:fake", "tag", "t", "validate_rc", "5", NULL);
    assert_int_equal(d->validate(&s.r), -ENOENT);
    res_init(&s, "fake val", "ocf:test:fake", NULL); /* tag is required */
    assert_int_equal(d->validate(&s.r), -EINVAL);
    assert_non_null(strstr(s.r.errmsg, "required parameter tag"));
}

static void test_fake_missing(void **state)
{
    struct res s;

    res_init(&s, "nothing", "ocf:test:absent", NULL);
    assert_int_equal(rm_ocf_driver.online(&s.r), -ENOENT);
    assert_non_null(strstr(s.r.errmsg, "ocf:test:absent"));
    res_init(&s, "nothing", "ocf:test", NULL);
    assert_int_equal(rm_ocf_driver.online(&s.r), -EINVAL);
    res_init(&s, "nothing", "ocf:test:../test/fake", NULL);
    assert_int_equal(rm_ocf_driver.online(&s.r), -EINVAL);
}

static uint64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void test_fake_hung_start(void **state)
{
    struct res s;
    uint64_t t0;

    NEED_RUNNER();

    res_init(&s, "fake hang", "ocf:test:fake", "tag", "t", "hang", "1", NULL);
    s.r.timeout_ms = 300;
    t0 = now_ms();
    assert_int_equal(rm_ocf_driver.online(&s.r), -ETIMEDOUT);
    assert_true(now_ms() - t0 < 300 + RM_OCF_TERMINATE_STOP_MS + RM_OCF_KILL_WAIT_MS);
    assert_non_null(strstr(s.r.errmsg, "ocf:test:fake start: no answer within 300 ms"));
    assert_false(rm_proc_any("fake hang"));
}

/* Alive and not a zombie. */
static bool pid_runs(pid_t pid)
{
    char path[64], line[256];
    const char *state;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    if ((f = fopen(path, "r")) == NULL)
        return false;
    if (fgets(line, sizeof(line), f) == NULL)
        line[0] = '\0';
    fclose(f);
    state = strrchr(line, ')');
    return state != NULL && state[1] == ' ' && state[2] != 'Z' && state[2] != 'X';
}

static void test_fake_daemon_terminated(void **state)
{
    char instance[RM_OCF_INSTANCE_MAX], path[PATH_MAX];
    struct res s;
    FILE *f;
    int pid = 0;

    NEED_RUNNER();

    res_init(&s, "fake daemon", "ocf:test:fake", "tag", "t", "daemon", "1", NULL);
    assert_int_equal(rm_ocf_driver.online(&s.r), 0);
    rm_ocf_instance("fake daemon", instance);
    snprintf(path, sizeof(path), "%s/%s.pid", rsctmp, instance);
    f = fopen(path, "r");
    assert_non_null(f);
    assert_int_equal(fscanf(f, "%d", &pid), 1);
    fclose(f);
    assert_true(pid_runs(pid));
    assert_true(rm_proc_any("fake daemon"));

    snprintf(s.r.errmsg, sizeof(s.r.errmsg), "why it was terminated");
    rm_terminate(&rm_ocf_driver, &s.r);
    assert_false(pid_runs(pid));
    assert_false(rm_proc_any("fake daemon"));
    assert_string_equal(s.r.errmsg, "why it was terminated");
}

/* The daemon's pid the fake agent's start recorded for resource name. */
static pid_t daemon_pid(const char *name)
{
    char instance[RM_OCF_INSTANCE_MAX], path[PATH_MAX];
    int pid = 0;
    FILE *f;

    rm_ocf_instance(name, instance);
    snprintf(path, sizeof(path), "%s/%s.pid", rsctmp, instance);
    f = fopen(path, "r");
    assert_non_null(f);
    assert_int_equal(fscanf(f, "%d", &pid), 1);
    fclose(f);
    return (pid_t)pid;
}

/* Does the watch descriptor signal (POLLPRI) within timeout_ms? */
static bool watch_fires(int fd, int timeout_ms)
{
    struct pollfd pfd = {.fd = fd, .events = POLLPRI};
    int n = poll(&pfd, 1, timeout_ms);

    assert_true(n >= 0);
    return n == 1 && (pfd.revents & POLLPRI) != 0;
}

/*
 * The watch the driver gives after a start wakes its poller when the daemon the agent started
 * dies, and not for a monitor; an agent that leaves no process gets none.
 */
static void test_fake_daemon_watched(void **state)
{
    struct res s, plain;
    pid_t pid;
    int fd;

    NEED_RUNNER();
    if (rm_proc_watch("fake watch") == -EOPNOTSUPP)
        skip(); /* no cgroup v2 here: nothing to watch, the monitor polls alone */
    assert_non_null(rm_ocf_driver.watch_fd);

    res_init(&s, "fake watch", "ocf:test:fake", "tag", "t", "daemon", "1", NULL);
    assert_int_equal(rm_ocf_driver.online(&s.r), 0);
    pid = daemon_pid("fake watch");
    fd = rm_ocf_driver.watch_fd(&s.r);
    assert_true(fd >= 0);
    assert_false(watch_fires(fd, 0));
    assert_int_equal(rm_ocf_driver.looks_alive(&s.r), 0); /* a monitor runs in the group too */
    assert_int_equal(rm_ocf_driver.watch_fd(&s.r), fd);
    assert_false(watch_fires(fd, 0));

    kill(pid, SIGKILL);
    assert_true(watch_fires(fd, 5000));
    /* Re-armed: the fake's monitor still passes (its state file), but nothing is left to
     * watch; the descriptor is quiet again. */
    assert_int_equal(rm_ocf_driver.watch_fd(&s.r), -1);
    assert_false(watch_fires(fd, 0));
    rm_terminate(&rm_ocf_driver, &s.r);
    assert_null(s.r.priv);
    assert_false(rm_proc_any("fake watch"));

    res_init(&plain, "fake plain", "ocf:test:fake", "tag", "t", NULL);
    assert_int_equal(rm_ocf_driver.online(&plain.r), 0);
    assert_int_equal(rm_ocf_driver.watch_fd(&plain.r), -1);
    assert_int_equal(rm_ocf_driver.offline(&plain.r), 0);
}

/* ---- resource-agents' Dummy --------------------------------------------------------------- */

static void test_dummy(void **state)
{
    const struct rm_driver *d = rm_driver_find("ocf:heartbeat:Dummy");
    char state_file[PATH_MAX], instance[RM_OCF_INSTANCE_MAX], default_file[PATH_MAX];
    struct rm_type_info *info;
    struct res s, plain;

    if (access(DUMMY, X_OK) != 0)
        skip(); /* resource-agents is not installed */
    NEED_RUNNER();
    setenv("OCF_ROOT", "/usr/lib/ocf", 1);
    assert_int_equal(rm_type_info("ocf:heartbeat:Dummy", &info), 0);
    assert_non_null(rm_type_param(info, "state"));
    assert_non_null(rm_type_param(info, "fake"));
    assert_int_equal(info->start_ms, 20000);
    assert_int_equal(info->monitor_interval_ms, 10000);
    rm_type_info_free(info);

    snprintf(state_file, sizeof(state_file), "%s/state/dummy.state", tmp);
    res_init(&s, "dummy one", "ocf:heartbeat:Dummy", "State", state_file, NULL);
    assert_int_equal(d->validate(&s.r), 0);
    assert_int_equal(d->looks_alive(&s.r), -ESRCH);
    assert_int_equal(d->online(&s.r), 0);
    assert_int_equal(access(state_file, F_OK), 0);
    assert_int_equal(d->looks_alive(&s.r), 0);
    assert_int_equal(d->is_alive(&s.r), 0);
    assert_int_equal(d->offline(&s.r), 0);
    assert_int_equal(access(state_file, F_OK), -1);
    assert_int_equal(d->looks_alive(&s.r), -ESRCH);
    assert_int_equal(d->offline(&s.r), 0); /* stopping what is stopped succeeds */

    /* without the parameter: its default, in HA_RSCTMP, under the instance name */
    res_init(&plain, "dummy two", "ocf:heartbeat:Dummy", NULL);
    rm_ocf_instance("dummy two", instance);
    snprintf(default_file, sizeof(default_file), "%s/Dummy-%s.state", rsctmp, instance);
    assert_int_equal(d->online(&plain.r), 0);
    assert_int_equal(access(default_file, F_OK), 0);
    assert_int_equal(d->offline(&plain.r), 0);
    assert_int_equal(access(default_file, F_OK), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_agents),
        cmocka_unit_test_setup(test_fake_type_info, use_fake_root),
        cmocka_unit_test_setup(test_fake_lifecycle_env, use_fake_root),
        cmocka_unit_test_setup(test_fake_start_codes, use_fake_root),
        cmocka_unit_test_setup(test_fake_other_codes, use_fake_root),
        cmocka_unit_test_setup(test_fake_missing, use_fake_root),
        cmocka_unit_test_setup(test_fake_hung_start, use_fake_root),
        cmocka_unit_test_setup(test_fake_daemon_terminated, use_fake_root),
        cmocka_unit_test_setup(test_fake_daemon_watched, use_fake_root),
        cmocka_unit_test(test_dummy),
    };

    return cmocka_run_group_tests(tests, suite_setup, suite_teardown);
}
