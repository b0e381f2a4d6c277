/*
 * rm_genapp — "Generic Application": one program, started by the node that owns the resource and
 * kept running there (Windows' resource type of the same name).
 *
 * Private properties: CommandLine (the program and its arguments, split as below; no shell runs
 * it), CurrentDirectory (its working directory, "/" by default) and Environment (NAME=VALUE
 * strings, a clusapi addition: the program gets only these and PATH). The program runs in the
 * resource's control group (rm_proc): offline sends SIGTERM to its process group and kills
 * whatever is left after the resource's timeout; its exit is seen at once through its pidfd.
 *
 * CommandLine is split into words at blanks (space, tab, newline). '...' keeps everything up to
 * the next ' as it is; "..." too, except that \" and \\ stand for " and \; outside quotes \c
 * stands for c. The characters | & ; < > ( ) ` $ must be quoted: without a shell they would not
 * do what they do in one, so they are refused rather than passed on. The first word is the
 * program: an absolute path, or a name looked up on GENAPP_PATH (not the Environment's PATH).
 */
#include <errno.h>
#include <stdint.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/prop.h"
#include "daemon/base/log.h"
#include "daemon/rm/rm.h"
#include "daemon/rm/rm_proc.h"

#define GENAPP_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define DEFAULT_TIMEOUT_MS 180000 /* PendingTimeout's default, should the caller give none */
#define KILL_WAIT_MS 5000         /* SIGKILLed processes are gone well within this */
#define MAX_ARGS 256
#define MAX_ENV 256

static const struct rm_param genapp_params[] = {
    {"CommandLine", PROP_SYNTAX_SZ, true, NULL,
     "program and arguments; quoted like a shell's words, but no shell runs it"},
    {"CurrentDirectory", PROP_SYNTAX_SZ, false, "/", "working directory of the program"},
    {"Environment", PROP_SYNTAX_MULTI_SZ, false, NULL,
     "NAME=VALUE strings: the program's whole environment, with PATH"},
};
#define N_PARAMS (sizeof(genapp_params) / sizeof(genapp_params[0]))

struct genapp {
    pid_t pid;
    int pidfd;
    bool exited;
    int status; /* once exited */
};

/* A command line in words: argv (NULL-terminated) pointing into one buffer. */
struct words {
    char *buf;
    char *argv[MAX_ARGS + 1];
    size_t n;
};

/* ------------------------------------------------------------------------------------------ */
/* Command line and environment                                                                */
/* ------------------------------------------------------------------------------------------ */

/* Splits line by the rules above into w (w->buf malloc'd); 0, or -EINVAL with r->errmsg. */
static int split_words(struct rm_resource *r, const char *line, struct words *w)
{
    char *out = w->buf = malloc(strlen(line) + 1);
    bool in_word = false;
    char quote = 0;

    w->n = 0;
    if (out == NULL)
        return rm_fail(r, -ENOMEM, "out of memory");
    for (const char *p = line; *p != '\0'; p++) {
        if (quote == 0 && strchr(" \t\n", *p) != NULL) {
            if (in_word)
                *out++ = '\0';
            in_word = false;
            continue;
        }
        if (!in_word) {
            if (w->n == MAX_ARGS)
                return rm_fail(r, -EINVAL, "CommandLine: more than %d words", MAX_ARGS);
            w->argv[w->n++] = out;
            in_word = true;
        }
        if (quote == 0 && strchr("|&;<>()`$", *p) != NULL)
            return rm_fail(r, -EINVAL, "CommandLine: '%c' must be quoted: no shell runs the "
                           "command line (use a Generic Script for one)", *p);
        if (quote == 0 && (*p == '\'' || *p == '"'))
            quote = *p;
        else if (quote != 0 && *p == quote)
            quote = 0;
        else if (*p == '\\' && quote != '\'' &&
                 (quote == 0 || p[1] == '"' || p[1] == '\\')) {
            if (*++p == '\0')
                return rm_fail(r, -EINVAL, "CommandLine: ends in a backslash");
            *out++ = *p;
        } else
            *out++ = *p;
    }
    *out = '\0';
    w->argv[w->n] = NULL;
    if (quote != 0)
        return rm_fail(r, -EINVAL, "CommandLine: unterminated %c quote", quote);
    if (w->n == 0)
        return rm_fail(r, -EINVAL, "CommandLine is empty");
    return 0;
}

static bool is_executable_file(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* The program's path into buf: argv0 if absolute, else found on GENAPP_PATH. */
static int resolve_program(struct rm_resource *r, const char *argv0, char *buf, size_t size)
{
    const char *dir = GENAPP_PATH;

    if (strchr(argv0, '/') != NULL) {
        if (argv0[0] != '/')
            return rm_fail(r, -EINVAL, "CommandLine: the program %s is neither an absolute "
                           "path nor a name to find on %s", argv0, GENAPP_PATH);
        snprintf(buf, size, "%s", argv0);
        if (!is_executable_file(buf))
            return rm_fail(r, -ENOENT, "CommandLine: %s is not an executable file", argv0);
        return 0;
    }
    while (*dir != '\0') {
        size_t len = strcspn(dir, ":");

        snprintf(buf, size, "%.*s/%s", (int)len, dir, argv0);
        if (is_executable_file(buf))
            return 0;
        dir += len + (dir[len] == ':');
    }
    return rm_fail(r, -ENOENT, "CommandLine: no program %s on %s", argv0, GENAPP_PATH);
}

/* envp from Environment (MULTI_SZ: strings joined by '\n'), PATH first unless it sets one;
 * env->buf malloc'd. */
static int build_env(struct rm_resource *r, struct words *env)
{
    const char *text = rm_prop(r, "Environment");
    bool has_path = false;
    char *line, *save = NULL;

    env->n = 0;
    env->buf = strdup(text != NULL ? text : "");
    if (env->buf == NULL)
        return rm_fail(r, -ENOMEM, "out of memory");
    for (line = strtok_r(env->buf, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        const char *eq = strchr(line, '=');

        if (eq == NULL || eq == line)
            return rm_fail(r, -EINVAL, "Environment: \"%s\" is not NAME=VALUE", line);
        if (env->n == MAX_ENV - 1)
            return rm_fail(r, -EINVAL, "Environment: more than %d strings", MAX_ENV - 1);
        has_path |= strncmp(line, "PATH=", 5) == 0;
        env->argv[env->n++] = line;
    }
    if (!has_path)
        env->argv[env->n++] = "PATH=" GENAPP_PATH;
    env->argv[env->n] = NULL;
    return 0;
}

/* Everything a start needs, checked; cmd->argv[0] replaced by the program's path. */
static int prepare(struct rm_resource *r, struct words *cmd, struct words *env, char *program,
                   size_t size)
{
    const char *line = rm_prop(r, "CommandLine");
    const char *cwd = rm_prop(r, "CurrentDirectory");
    struct stat st;
    int rv;

    cmd->buf = env->buf = NULL;
    if (line == NULL)
        return rm_fail(r, -EINVAL, "CommandLine is required");
    if ((rv = split_words(r, line, cmd)) < 0 || (rv = build_env(r, env)) < 0)
        return rv;
    if ((rv = resolve_program(r, cmd->argv[0], program, size)) < 0)
        return rv;
    cmd->argv[0] = program;
    if (cwd != NULL && cwd[0] != '\0' && (stat(cwd, &st) < 0 || !S_ISDIR(st.st_mode)))
        return rm_fail(r, -ENOENT, "CurrentDirectory %s is not a directory", cwd);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Entry points                                                                                */
/* ------------------------------------------------------------------------------------------ */

static uint32_t timeout_of(const struct rm_resource *r)
{
    return r->timeout_ms != 0 ? r->timeout_ms : DEFAULT_TIMEOUT_MS;
}

/* Has the program exited? Reaps it once and remembers its status. */
static bool exited(struct genapp *app)
{
    int rv;

    if (!app->exited && (rv = rm_proc_reap(app->pid, &app->status)) != 0) {
        app->exited = true;
        if (rv < 0) /* reaped elsewhere: gone all the same */
            app->status = -1;
    }
    return app->exited;
}

/* Waits at most timeout_ms for the program's exit (its pidfd), then reaps it. */
static bool wait_exited(struct genapp *app, uint32_t timeout_ms)
{
    struct pollfd pfd = {.fd = app->pidfd, .events = POLLIN};

    if (!app->exited)
        (void)poll(&pfd, 1, (int)(timeout_ms > INT32_MAX ? INT32_MAX : timeout_ms));
    return exited(app);
}

/* After a kill: the program is reaped and the driver's state goes. */
static void forget(struct rm_resource *r)
{
    struct genapp *app = r->priv;

    if (app == NULL)
        return;
    if (!wait_exited(app, KILL_WAIT_MS))
        LOGE("genapp", "%s: pid %d does not end after SIGKILL", r->name, (int)app->pid);
    close(app->pidfd);
    free(app);
    r->priv = NULL;
}

static int genapp_online(struct rm_resource *r)
{
    struct rm_proc_spec spec = {.resource = r->name};
    struct words cmd, env;
    struct genapp *app = r->priv;
    char program[4096];
    int rv;

    if (app != NULL && !exited(app))
        return 0; /* running already: never a second copy */
    forget(r);
    if (rm_proc_any(r->name)) { /* what an earlier run left, e.g. a daemon of the program */
        LOGW("genapp", "%s: killing processes left from before", r->name);
        if ((rv = rm_proc_kill_all(r->name, KILL_WAIT_MS)) < 0)
            return rm_fail(r, rv, "processes left from before do not end");
    }
    rv = prepare(r, &cmd, &env, program, sizeof(program));
    if (rv == 0 && (app = calloc(1, sizeof(*app))) == NULL)
        rv = rm_fail(r, -ENOMEM, "out of memory");
    if (rv == 0) {
        const char *cwd = rm_prop(r, "CurrentDirectory");

        spec.argv = (const char *const *)cmd.argv;
        spec.envp = (const char *const *)env.argv;
        spec.cwd = cwd != NULL && cwd[0] != '\0' ? cwd : NULL;
        rv = rm_proc_spawn(&spec, &app->pid, &app->pidfd);
        if (rv < 0) {
            free(app);
            rv = rm_fail(r, rv, "cannot start %s: %s", program, strerror(-rv));
        } else
            r->priv = app;
    }
    free(cmd.buf);
    free(env.buf);
    return rv;
}

/* SIGTERM to the program's process group; what is left after the resource's time (a program
 * that ignores SIGTERM, a daemon that left the group) is killed with the control group. */
static int genapp_offline(struct rm_resource *r)
{
    struct genapp *app = r->priv;
    int rv;

    if (app != NULL && !exited(app)) {
        (void)killpg(app->pid, SIGTERM);
        if (!wait_exited(app, timeout_of(r)))
            LOGW("genapp", "%s: pid %d did not stop within %u ms of SIGTERM: killed", r->name,
                 (int)app->pid, timeout_of(r));
    }
    rv = rm_proc_kill_all(r->name, KILL_WAIT_MS);
    forget(r);
    if (rv < 0)
        return rm_fail(r, rv, "processes of the resource do not end");
    return 0;
}

static void genapp_terminate(struct rm_resource *r)
{
    if (rm_proc_kill_all(r->name, KILL_WAIT_MS) < 0)
        LOGE("genapp", "%s: processes of the resource do not end", r->name);
    forget(r);
}

static int genapp_looks_alive(struct rm_resource *r)
{
    struct genapp *app = r->priv;

    if (app == NULL)
        return rm_fail(r, -ESRCH, "not started");
    if (!exited(app))
        return 0;
    if (app->status > 128)
        return rm_fail(r, -ESRCH, "the program was killed by signal %d", app->status - 128);
    return rm_fail(r, -ESRCH, "the program exited with status %d", app->status);
}

static int genapp_is_alive(struct rm_resource *r)
{
    int rv = genapp_looks_alive(r);

    if (rv == 0 && !rm_proc_any(r->name)) /* its pid runs outside the group: moved away */
        return rm_fail(r, -ESRCH, "the program left the resource's control group");
    return rv;
}

static int genapp_watch_fd(struct rm_resource *r)
{
    const struct genapp *app = r->priv;

    return app != NULL ? app->pidfd : -1;
}

static int genapp_validate(struct rm_resource *r)
{
    struct words cmd, env;
    char program[4096];
    int rv = prepare(r, &cmd, &env, program, sizeof(program));

    free(cmd.buf);
    free(env.buf);
    return rv;
}

/* One block, as rm_type_info_free() expects: the parameters follow the header. */
static int genapp_type_info(const char *driver_arg, struct rm_type_info **ret)
{
    struct rm_type_info *info = calloc(1, sizeof(*info) + sizeof(genapp_params));

    (void)driver_arg;
    if (info == NULL)
        return -ENOMEM;
    info->params = (struct rm_param *)(info + 1);
    memcpy(info->params, genapp_params, sizeof(genapp_params));
    info->n_params = N_PARAMS;
    *ret = info;
    return 0;
}

const struct rm_driver rm_genapp_driver = {
    .type_name = "genapp",
    .online = genapp_online,
    .offline = genapp_offline,
    .looks_alive = genapp_looks_alive,
    .is_alive = genapp_is_alive,
    .terminate = genapp_terminate,
    .watch_fd = genapp_watch_fd,
    .validate = genapp_validate,
    .type_info = genapp_type_info,
};
