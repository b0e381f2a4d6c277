/*
 * rm_genscript — "Generic Script": an administrator's script drives the resource (Windows'
 * resource type of the same name, with an executable in place of a VBScript/JScript file).
 *
 * The contract (docs/clusapi-resources.7): ScriptFilepath names an executable file (a script
 * with its #! line). Each entry point runs it once with the entry point's Windows name as its
 * only argument — Open, Online, LooksAlive, IsAlive, Offline, Close, Terminate — in "/", with
 * standard input /dev/null and its output in the service log, and an environment of PATH,
 * CLUSAPI_RESOURCE_NAME and CLUSAPI_PROP_<name> for each private property. Exit status 0 is
 * success; any other status fails the entry point, and so does a run past the resource's
 * timeout (it is killed with what it started). Open runs before the first Online, Close after
 * a successful Offline and after Terminate. Processes the script leaves running (a daemon its
 * Online started) belong to the resource: Terminate and fencing kill them, and so does a
 * successful Offline should the script's own Offline have left any. When Online leaves
 * processes running, their exit (the last of them) runs LooksAlive at once (watch_fd).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/prop.h"
#include "daemon/base/log.h"
#include "daemon/rm/rm.h"
#include "daemon/rm/rm_proc.h"

#define SCRIPT_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define DEFAULT_TIMEOUT_MS 180000 /* PendingTimeout's default, should the caller give none */
#define TERMINATE_MS 10000        /* Terminate must be quick: its run gets at most this */
#define KILL_WAIT_MS 5000

static const struct rm_param genscript_params[] = {
    {"ScriptFilepath", PROP_SYNTAX_SZ, true, NULL,
     "executable run with the entry point's name (Online, Offline, LooksAlive ...)"},
};

struct genscript {
    bool opened; /* Open ran and Close has not */
    int watch;   /* rm_proc_watch's descriptor after an Online that left a daemon, or -1 */
};

/* CLUSAPI_PROP_<name>=<value>, malloc'd: a name character outside [A-Za-z0-9_] becomes '_'. */
static char *prop_var(const struct rm_prop *p)
{
    char *var;

    if (asprintf(&var, "CLUSAPI_PROP_%s=%s", p->key, p->value != NULL ? p->value : "") < 0)
        return NULL;
    for (char *c = var + strlen("CLUSAPI_PROP_"); *c != '='; c++)
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9')))
            *c = '_';
    return var;
}

static void free_env(char **envp)
{
    for (size_t i = 0; envp != NULL && envp[i] != NULL; i++)
        free(envp[i]);
    free(envp);
}

/* The script's whole environment (above), NULL-terminated and malloc'd, or NULL. */
static char **build_env(const struct rm_resource *r)
{
    char **envp = calloc(r->n_props + 3, sizeof(*envp));
    size_t n = 0;

    if (envp == NULL)
        return NULL;
    envp[n++] = strdup(SCRIPT_PATH);
    if (asprintf(&envp[n++], "CLUSAPI_RESOURCE_NAME=%s", r->name) < 0)
        envp[n - 1] = NULL;
    for (size_t i = 0; i < r->n_props; i++)
        if (r->props[i].key != NULL && (envp[n++] = prop_var(&r->props[i])) == NULL)
            break;
    for (size_t i = 0; i < n; i++)
        if (envp[i] == NULL) {
            free_env(envp);
            return NULL;
        }
    return envp;
}

/* Runs the script with entry point entry, bounded by timeout_ms: 0 on exit status 0. */
static int run_entry(struct rm_resource *r, const char *entry, uint32_t timeout_ms)
{
    const char *script = rm_prop(r, "ScriptFilepath");
    const char *argv[] = {script, entry, NULL};
    struct rm_proc_spec spec = {.resource = r->name, .argv = argv};
    char **envp;
    int rv, status;

    if (script == NULL || script[0] != '/')
        return rm_fail(r, -EINVAL, "ScriptFilepath must be an absolute path");
    if ((envp = build_env(r)) == NULL)
        return rm_fail(r, -ENOMEM, "out of memory");
    spec.envp = (const char *const *)envp;
    rv = rm_proc_run(&spec, timeout_ms, &status, NULL);
    free_env(envp);
    if (rv == -ETIMEDOUT)
        return rm_fail(r, rv, "%s %s did not end within %u ms: killed", script, entry,
                       timeout_ms);
    if (rv < 0)
        return rm_fail(r, rv, "cannot run %s: %s", script, strerror(-rv));
    if (status > 128)
        return rm_fail(r, -EIO, "%s %s was killed by signal %d", script, entry, status - 128);
    if (status != 0)
        return rm_fail(r, -EIO, "%s %s exited with status %d", script, entry, status);
    return 0;
}

static uint32_t timeout_of(const struct rm_resource *r)
{
    return r->timeout_ms != 0 ? r->timeout_ms : DEFAULT_TIMEOUT_MS;
}

static struct genscript *state(struct rm_resource *r)
{
    struct genscript *s = r->priv;

    if (s == NULL && (s = calloc(1, sizeof(*s))) != NULL) {
        s->watch = -1;
        r->priv = s;
    }
    return s;
}

static void watch_close(struct genscript *s)
{
    if (s != NULL && s->watch >= 0)
        close(s->watch);
    if (s != NULL)
        s->watch = -1;
}

/* Close once Open ran; the state goes. */
static void close_script(struct rm_resource *r)
{
    struct genscript *s = r->priv;
    char why[RM_ERRMSG_SIZE];

    if (s != NULL && s->opened) {
        memcpy(why, r->errmsg, sizeof(why)); /* the failure being reported, not Close's */
        if (run_entry(r, "Close", timeout_of(r)) < 0)
            LOGW("genscript", "%s: %s", r->name, r->errmsg);
        memcpy(r->errmsg, why, sizeof(why));
    }
    watch_close(s);
    free(s);
    r->priv = NULL;
}

static int genscript_online(struct rm_resource *r)
{
    struct genscript *s = state(r);
    int rv;

    if (s == NULL)
        return rm_fail(r, -ENOMEM, "out of memory");
    if (!s->opened) {
        if ((rv = run_entry(r, "Open", timeout_of(r))) < 0)
            return rv;
        s->opened = true;
    }
    watch_close(s);
    if ((rv = run_entry(r, "Online", timeout_of(r))) < 0)
        return rv;
    /* -ENOENT: the script started nothing that stays; LooksAlive polls alone */
    s->watch = rm_proc_watch(r->name);
    return 0;
}

static int genscript_offline(struct rm_resource *r)
{
    int rv;

    watch_close(r->priv);
    rv = run_entry(r, "Offline", timeout_of(r));

    if (rv < 0)
        return rv; /* the caller terminates it */
    close_script(r);
    if (rm_proc_any(r->name))
        LOGW("genscript", "%s: Offline left processes running: killed", r->name);
    if ((rv = rm_proc_kill_all(r->name, KILL_WAIT_MS)) < 0)
        return rm_fail(r, rv, "processes of the resource do not end");
    return 0;
}

/* The script's Terminate, briefly, then everything of the resource dies; Close after. */
static void genscript_terminate(struct rm_resource *r)
{
    uint32_t ms = timeout_of(r) < TERMINATE_MS ? timeout_of(r) : TERMINATE_MS;

    if (run_entry(r, "Terminate", ms) < 0)
        LOGW("genscript", "%s: %s", r->name, r->errmsg);
    if (rm_proc_kill_all(r->name, KILL_WAIT_MS) < 0)
        LOGE("genscript", "%s: processes of the resource do not end", r->name);
    close_script(r);
    (void)rm_proc_kill_all(r->name, KILL_WAIT_MS); /* what Close started */
}

static int genscript_looks_alive(struct rm_resource *r)
{
    return run_entry(r, "LooksAlive", timeout_of(r));
}

static int genscript_is_alive(struct rm_resource *r)
{
    return run_entry(r, "IsAlive", timeout_of(r));
}

/* On the loop thread, at each arming: consumes the change that woke the last watch; an empty
 * group has nothing left to signal, and LooksAlive polls alone. */
static int genscript_watch_fd(struct rm_resource *r)
{
    const struct genscript *s = r->priv;

    return s != NULL && s->watch >= 0 && rm_proc_watch_rearm(s->watch) == 1 ? s->watch : -1;
}

static int genscript_validate(struct rm_resource *r)
{
    const char *script = rm_prop(r, "ScriptFilepath");
    struct stat st;

    if (script == NULL || script[0] == '\0')
        return rm_fail(r, -EINVAL, "ScriptFilepath is required");
    if (script[0] != '/')
        return rm_fail(r, -EINVAL, "ScriptFilepath %s is not an absolute path", script);
    if (stat(script, &st) < 0)
        return rm_fail(r, -errno, "ScriptFilepath %s: %s", script, strerror(errno));
    if (!S_ISREG(st.st_mode) || access(script, X_OK) < 0)
        return rm_fail(r, -EACCES, "ScriptFilepath %s is not an executable file", script);
    return 0;
}

/* One block, as rm_type_info_free() expects: the parameters follow the header. */
static int genscript_type_info(const char *driver_arg, struct rm_type_info **ret)
{
    struct rm_type_info *info = calloc(1, sizeof(*info) + sizeof(genscript_params));

    (void)driver_arg;
    if (info == NULL)
        return -ENOMEM;
    info->params = (struct rm_param *)(info + 1);
    memcpy(info->params, genscript_params, sizeof(genscript_params));
    info->n_params = sizeof(genscript_params) / sizeof(genscript_params[0]);
    *ret = info;
    return 0;
}

const struct rm_driver rm_genscript_driver = {
    .type_name = "genscript",
    .online = genscript_online,
    .offline = genscript_offline,
    .looks_alive = genscript_looks_alive,
    .is_alive = genscript_is_alive,
    .terminate = genscript_terminate,
    .watch_fd = genscript_watch_fd,
    .validate = genscript_validate,
    .type_info = genscript_type_info,
};
