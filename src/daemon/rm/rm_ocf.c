/*
 * rm_ocf — the OCF resource agent driver: Pacemaker's and resource-agents' agents run unchanged
 * (rm_ocf.h has the contract: environment, actions, timeouts, results).
 */
#include "common/mono_clock.h"
#include "daemon/rm/rm_ocf.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "daemon/base/log.h"
#include "daemon/rm/rm.h"
#include "daemon/rm/rm_ocf_meta.h"
#include "daemon/rm/rm_proc.h"

/* What a monitor is told as its interval when the meta-data advises none: nonzero, because
 * agents read interval 0 as a probe of a resource that may never have been started here. */
#define MONITOR_INTERVAL_MS 10000
#define AGENT_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define EXIT_REASON "ocf-exit-reason:"

/* ---- exit statuses and instance names (pure) --------------------------------------------- */

struct rm_ocf_result rm_ocf_exit(const char *action, int status)
{
    static const struct rm_ocf_result named[] = {
        [OCF_SUCCESS] = {0, "OCF_SUCCESS", "succeeded"},
        [OCF_ERR_GENERIC] = {-EIO, "OCF_ERR_GENERIC", "failed"},
        [OCF_ERR_ARGS] = {-EINVAL, "OCF_ERR_ARGS", "invalid parameters"},
        [OCF_ERR_UNIMPLEMENTED] = {-EOPNOTSUPP, "OCF_ERR_UNIMPLEMENTED", "not implemented"},
        [OCF_ERR_PERM] = {-EACCES, "OCF_ERR_PERM", "insufficient privileges"},
        [OCF_ERR_INSTALLED] = {-ENOENT, "OCF_ERR_INSTALLED", "not installed on this node"},
        [OCF_ERR_CONFIGURED] = {-EINVAL, "OCF_ERR_CONFIGURED", "not configured properly"},
        [OCF_NOT_RUNNING] = {-ESRCH, "OCF_NOT_RUNNING", "not running"},
        [OCF_RUNNING_MASTER] = {-EIO, "OCF_RUNNING_MASTER", "running promoted, never asked"},
        [OCF_FAILED_MASTER] = {-EIO, "OCF_FAILED_MASTER", "failed while promoted"},
    };
    struct rm_ocf_result res;

    if (status >= 0 && (size_t)status < sizeof(named) / sizeof(named[0])) {
        res = named[status];
        /* stop: "not running" is what was asked; validate-all: nothing to check */
        if ((status == OCF_NOT_RUNNING && strcmp(action, "stop") == 0) ||
            (status == OCF_ERR_UNIMPLEMENTED && strcmp(action, "validate-all") == 0))
            res.err = 0;
        return res;
    }
    if (status == 126)
        return (struct rm_ocf_result){-EACCES, NULL, "agent cannot be executed"};
    if (status == 127)
        return (struct rm_ocf_result){-ENOENT, NULL, "agent not found"};
    if (status > 128 && status < 128 + 65)
        return (struct rm_ocf_result){-EIO, NULL, "killed by a signal"};
    return (struct rm_ocf_result){-EIO, NULL, "unexpected exit status"};
}

static bool instance_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '.' || ch == '-';
}

void rm_ocf_instance(const char *name, char buf[RM_OCF_INSTANCE_MAX])
{
    const size_t keep_max = RM_OCF_INSTANCE_MAX - 1 - 9; /* room for "-" and 8 hex digits */
    size_t len = strlen(name), n;
    bool changed = len == 0 || len > RM_OCF_INSTANCE_MAX - 1;
    uint32_t hash = 2166136261u; /* FNV-1a */

    for (n = 0; n < len && n < RM_OCF_INSTANCE_MAX - 1; n++) {
        buf[n] = instance_char(name[n]) ? name[n] : '_';
        changed |= buf[n] != name[n];
    }
    if (!changed) {
        buf[n] = '\0';
        return;
    }
    for (size_t i = 0; i < len; i++)
        hash = (hash ^ (unsigned char)name[i]) * 16777619u;
    n = n < keep_max ? n : keep_max;
    snprintf(buf + n, RM_OCF_INSTANCE_MAX - n, "-%08x", hash);
}

/* ---- the installed agents ----------------------------------------------------------------- */

static const char *ocf_root(void)
{
    const char *root = getenv("OCF_ROOT");

    return root != NULL && root[0] != '\0' ? root : RM_OCF_DEFAULT_ROOT;
}

static const char *ocf_rsctmp(void)
{
    const char *dir = getenv("HA_RSCTMP");

    return dir != NULL && dir[0] != '\0' ? dir : RM_OCF_DEFAULT_RSCTMP;
}

/* A name that can stand in "ocf:PROVIDER:AGENT" and be a file in resource.d. */
static bool ocf_name_ok(const char *name)
{
    return name[0] != '\0' && name[0] != '.' && strchr(name, ':') == NULL &&
           strchr(name, '/') == NULL && strlen(name) <= NAME_MAX;
}

static bool is_agent(int dir_fd, const char *name)
{
    struct stat st;

    return ocf_name_ok(name) && fstatat(dir_fd, name, &st, 0) == 0 && S_ISREG(st.st_mode) &&
           (st.st_mode & 0111) != 0;
}

struct name_list {
    char **v;
    size_t n, cap;
    size_t bytes; /* of the strings, NULs included */
};

static int name_list_add(struct name_list *l, const char *provider, const char *agent)
{
    char *name;

    if (l->n == l->cap) {
        size_t cap = l->cap != 0 ? 2 * l->cap : 64;
        char **v = realloc(l->v, cap * sizeof(*v));

        if (v == NULL)
            return -ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    if (asprintf(&name, "ocf:%s:%s", provider, agent) < 0)
        return -ENOMEM;
    l->v[l->n++] = name;
    l->bytes += strlen(name) + 1;
    return 0;
}

/* Adds the agents of one provider's directory. */
static int scan_provider(int root_fd, const char *provider, struct name_list *l)
{
    int fd = openat(root_fd, provider, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *dir;
    struct dirent *e;
    int rv = 0;

    if (fd < 0)
        return errno == ENOTDIR || errno == ENOENT || errno == EACCES ? 0 : -errno;
    dir = fdopendir(fd);
    if (dir == NULL) {
        close(fd);
        return -errno;
    }
    while (rv == 0 && (e = readdir(dir)) != NULL)
        if (is_agent(dirfd(dir), e->d_name))
            rv = name_list_add(l, provider, e->d_name);
    closedir(dir);
    return rv;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The list as one block: the pointers, then the strings. */
static char **name_list_pack(const struct name_list *l)
{
    char **block = malloc(l->n * sizeof(char *) + l->bytes);
    char *cursor;

    if (block == NULL)
        return NULL;
    cursor = (char *)(block + l->n);
    for (size_t i = 0; i < l->n; i++) {
        size_t len = strlen(l->v[i]) + 1;

        block[i] = memcpy(cursor, l->v[i], len);
        cursor += len;
    }
    return block;
}

int rm_ocf_agents(char ***ret_names, size_t *ret_n)
{
    struct name_list l = {0};
    char path[PATH_MAX];
    DIR *root;
    struct dirent *e;
    int rv = 0;

    snprintf(path, sizeof(path), "%s/resource.d", ocf_root());
    root = opendir(path);
    if (root == NULL && errno != ENOENT && errno != ENOTDIR)
        return -errno;
    while (root != NULL && rv == 0 && (e = readdir(root)) != NULL)
        if (ocf_name_ok(e->d_name))
            rv = scan_provider(dirfd(root), e->d_name, &l);
    if (root != NULL)
        closedir(root);
    if (rv == 0 && l.n > 0) {
        qsort(l.v, l.n, sizeof(*l.v), compare_names);
        *ret_names = name_list_pack(&l);
        rv = *ret_names != NULL ? 0 : -ENOMEM;
    } else if (rv == 0) {
        *ret_names = NULL;
    }
    if (rv == 0)
        *ret_n = l.n;
    for (size_t i = 0; i < l.n; i++)
        free(l.v[i]);
    free(l.v);
    return rv;
}

/* One agent as a driver string names it, found on disk. */
struct agent {
    char provider[NAME_MAX + 1];
    char name[NAME_MAX + 1];
    char type[2 * NAME_MAX + 8]; /* "ocf:provider:name", spelt as installed */
    char path[PATH_MAX];
};

/* The entry of directory dir named want, in any case (type names do not keep case); 0 with the
 * installed spelling in out, or -ENOENT. */
static int dir_find(const char *dir, const char *want, char out[NAME_MAX + 1])
{
    char path[PATH_MAX];
    struct stat st;
    DIR *d;
    struct dirent *e;
    int rv = -ENOENT;

    snprintf(path, sizeof(path), "%s/%s", dir, want);
    if (stat(path, &st) == 0) {
        snprintf(out, NAME_MAX + 1, "%s", want);
        return 0;
    }
    if ((d = opendir(dir)) == NULL)
        return -ENOENT;
    while (rv < 0 && (e = readdir(d)) != NULL)
        if (strcasecmp(e->d_name, want) == 0 && ocf_name_ok(e->d_name)) {
            snprintf(out, NAME_MAX + 1, "%s", e->d_name);
            rv = 0;
        }
    closedir(d);
    return rv;
}

/* -EINVAL when driver_arg is not "ocf:PROVIDER:AGENT", -ENOENT when no such agent runs here. */
static int agent_find(const char *driver_arg, struct agent *a)
{
    char provider[NAME_MAX + 1], name[NAME_MAX + 1], dir[PATH_MAX];
    const char *colon;
    struct stat st;

    if (driver_arg == NULL || strncasecmp(driver_arg, "ocf:", 4) != 0)
        return -EINVAL;
    colon = strchr(driver_arg + 4, ':');
    if (colon == NULL || (size_t)(colon - driver_arg - 4) > NAME_MAX)
        return -EINVAL;
    snprintf(provider, sizeof(provider), "%.*s", (int)(colon - driver_arg - 4), driver_arg + 4);
    if (!ocf_name_ok(provider) || !ocf_name_ok(colon + 1))
        return -EINVAL;
    snprintf(name, sizeof(name), "%s", colon + 1);
    snprintf(dir, sizeof(dir), "%s/resource.d", ocf_root());
    if (dir_find(dir, provider, a->provider) < 0)
        return -ENOENT;
    snprintf(dir, sizeof(dir), "%s/resource.d/%s", ocf_root(), a->provider);
    if (dir_find(dir, name, a->name) < 0)
        return -ENOENT;
    snprintf(a->type, sizeof(a->type), "ocf:%s:%s", a->provider, a->name);
    snprintf(a->path, sizeof(a->path), "%s/%s", dir, a->name);
    /* a directory is searchable (X_OK) but no agent */
    return access(a->path, X_OK) == 0 && stat(a->path, &st) == 0 && S_ISREG(st.st_mode)
               ? 0
               : -ENOENT;
}

bool rm_ocf_installed(const char *type_name)
{
    struct agent a;

    return agent_find(type_name, &a) == 0;
}

/* ---- environments ------------------------------------------------------------------------- */

struct env {
    char **v;
    size_t n, cap;
    int err; /* the first failure; the list is unusable then */
};

static void __attribute__((format(printf, 2, 3))) env_add(struct env *e, const char *fmt, ...)
{
    va_list ap;
    char *s;
    int rv;

    if (e->err != 0)
        return;
    if (e->n + 2 > e->cap) { /* room for the closing NULL */
        size_t cap = e->cap != 0 ? 2 * e->cap : 32;
        char **v = realloc(e->v, cap * sizeof(*v));

        if (v == NULL) {
            e->err = -ENOMEM;
            return;
        }
        e->v = v;
        e->cap = cap;
    }
    va_start(ap, fmt);
    rv = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (rv < 0) {
        e->err = -ENOMEM;
        return;
    }
    e->v[e->n++] = s;
    e->v[e->n] = NULL;
}

static void env_free(struct env *e)
{
    for (size_t i = 0; i < e->n; i++)
        free(e->v[i]);
    free(e->v);
}

/* What every run of the agent is told, meta-data included. */
static void env_base(struct env *e, const struct agent *a, uint32_t timeout_ms)
{
    env_add(e, AGENT_PATH);
    env_add(e, "LC_ALL=C");
    env_add(e, "OCF_ROOT=%s", ocf_root());
    env_add(e, "OCF_RA_VERSION_MAJOR=1");
    env_add(e, "OCF_RA_VERSION_MINOR=1");
    env_add(e, "OCF_RESOURCE_TYPE=%s", a->name);
    env_add(e, "OCF_RESOURCE_PROVIDER=%s", a->provider);
    env_add(e, "HA_RSCTMP=%s", ocf_rsctmp());
    env_add(e, "OCF_RESKEY_CRM_meta_timeout=%u", timeout_ms);
}

static bool env_name_ok(const char *name)
{
    if (name[0] == '\0' || strlen(name) > OCF_PARAM_NAME_MAX)
        return false;
    for (const char *p = name; *p != '\0'; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    return true;
}

/* The private properties as OCF_RESKEY_*, named as the agent spells its parameters. */
static void env_params(struct env *e, const struct rm_resource *r, const struct ocf_meta *meta)
{
    for (size_t i = 0; i < r->n_props; i++) {
        const char *key = r->props[i].key, *value = r->props[i].value;
        const struct rm_param *p;

        if (key == NULL || value == NULL)
            continue;
        p = meta != NULL ? rm_type_param(meta->info, key) : NULL;
        if (p != NULL)
            key = p->name;
        if (!env_name_ok(key)) {
            LOGD("ocf", "%s: property %s cannot be an agent parameter: left out", r->name, key);
            continue;
        }
        env_add(e, "OCF_RESKEY_%s=%s", key, value);
    }
}

/* ---- meta-data, cached per agent file ----------------------------------------------------- */

struct meta_entry {
    struct meta_entry *next;
    struct timespec mtime; /* of the agent file the entry was read from */
    ino_t ino;
    int rv;                /* 0, or why the agent gave no meta-data */
    struct ocf_meta *meta; /* NULL unless rv == 0 */
    char path[];
};

static pthread_mutex_t meta_mu = PTHREAD_MUTEX_INITIALIZER;
static struct meta_entry *meta_cache; /* lives as long as the process */

/* Runs the agent's meta-data, bounded by RM_OCF_META_TIMEOUT_MS. */
static int meta_run(const struct agent *a, struct ocf_meta **ret)
{
    const char *argv[] = {a->path, "meta-data", NULL};
    struct env e = {0};
    char *out = NULL;
    int status = 0, rv;

    env_base(&e, a, RM_OCF_META_TIMEOUT_MS);
    if (e.err != 0) {
        env_free(&e);
        return e.err;
    }
    /* No resource: the run gets a process group of its own, killed at its timeout. */
    struct rm_proc_spec spec = {.resource = NULL, .argv = argv,
                                .envp = (const char *const *)e.v, .cwd = "/"};
    rv = rm_proc_run(&spec, RM_OCF_META_TIMEOUT_MS, &status, &out);
    env_free(&e);
    if (rv == 0 && status != 0)
        rv = rm_ocf_exit("meta-data", status).err;
    if (rv == 0)
        rv = ocf_meta_parse(out, strlen(out), ret);
    if (rv < 0)
        LOGW("ocf", "%s meta-data: %s", a->type,
             rv == -EBADMSG ? "not an agent's meta-data" : strerror(-rv));
    free(out);
    return rv;
}

static struct meta_entry *meta_lookup(const char *path, const struct stat *st)
{
    for (struct meta_entry *m = meta_cache; m != NULL; m = m->next)
        if (strcmp(m->path, path) == 0 && m->ino == st->st_ino &&
            m->mtime.tv_sec == st->st_mtim.tv_sec && m->mtime.tv_nsec == st->st_mtim.tv_nsec)
            return m;
    return NULL;
}

/* Caches what one run gave, replacing what an older version of the file gave. Locked. */
static void meta_store(const char *path, const struct stat *st, int rv, struct ocf_meta *meta)
{
    struct meta_entry *m = malloc(sizeof(*m) + strlen(path) + 1);

    for (struct meta_entry **p = &meta_cache; *p != NULL;) {
        struct meta_entry *old = *p;

        if (strcmp(old->path, path) != 0) {
            p = &old->next;
            continue;
        }
        *p = old->next;
        ocf_meta_free(old->meta);
        free(old);
    }
    if (m == NULL) {
        ocf_meta_free(meta);
        return;
    }
    *m = (struct meta_entry){.next = meta_cache, .mtime = st->st_mtim, .ino = st->st_ino,
                             .rv = rv, .meta = meta};
    strcpy(m->path, path);
    meta_cache = m;
}

/* A failure worth remembering until the file changes: the agent answered, wrongly. A timeout
 * or a shortage may pass. */
static bool meta_failure_lasts(int rv)
{
    return rv != -ETIMEDOUT && rv != -ENOMEM && rv != -EAGAIN && rv != -EMFILE;
}

/* The agent's meta-data: 0 with *ret (a copy, ocf_meta_free) or negative errno. */
static int meta_get(const struct agent *a, struct ocf_meta **ret)
{
    struct ocf_meta *meta = NULL;
    struct meta_entry *m;
    struct stat st;
    int rv;

    if (stat(a->path, &st) < 0)
        return -errno;
    pthread_mutex_lock(&meta_mu);
    m = meta_lookup(a->path, &st);
    if (m != NULL && m->rv == 0)
        rv = (*ret = ocf_meta_dup(m->meta)) != NULL ? 0 : -ENOMEM;
    else
        rv = m != NULL ? m->rv : 1; /* 1: not read yet */
    pthread_mutex_unlock(&meta_mu);
    if (rv <= 0)
        return rv;
    /* Not under the lock: a slow agent must not hold up the others. Two threads may read the
     * same agent at once; the later store wins, and both hold the same text. */
    rv = meta_run(a, &meta);
    if (rv == 0 && (*ret = ocf_meta_dup(meta)) == NULL)
        rv = -ENOMEM;
    if (rv == 0 || meta_failure_lasts(rv)) {
        pthread_mutex_lock(&meta_mu);
        meta_store(a->path, &st, rv, meta);
        pthread_mutex_unlock(&meta_mu);
    } else {
        ocf_meta_free(meta);
    }
    return rv;
}

/* ---- running an action -------------------------------------------------------------------- */

/* What one driver call works with. */
struct ocf_ctx {
    struct agent agent;
    struct ocf_meta *meta;               /* NULL: the agent gave no usable meta-data */
    char instance[RM_OCF_INSTANCE_MAX];
    uint64_t deadline_ms;                /* of the whole call when r->timeout_ms is set, or 0 */
};

struct ocf_call {
    const char *action;
    uint32_t advised_ms;  /* the meta-data's timeout for it, 0 if none */
    uint32_t interval_ms; /* OCF_RESKEY_CRM_meta_interval */
    int check_level;      /* OCF_CHECK_LEVEL, or -1 for none */
};

/* Creates dir and its parents as needed (what systemd-tmpfiles does for the packaged default). */
static void mkdir_parents(const char *dir)
{
    char path[PATH_MAX];

    snprintf(path, sizeof(path), "%s", dir);
    for (char *p = path + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        (void)mkdir(path, 0755);
        *p = '/';
    }
    if (mkdir(path, 0755) < 0 && errno != EEXIST)
        LOGW("ocf", "cannot create HA_RSCTMP %s: %s", path, strerror(errno));
}

static int ctx_open(struct rm_resource *r, struct ocf_ctx *c)
{
    int rv = agent_find(r->driver_arg, &c->agent);

    if (rv == -EINVAL)
        return rm_fail(r, rv, "%s: not an OCF type name (ocf:PROVIDER:AGENT)",
                       r->driver_arg != NULL ? r->driver_arg : "(none)");
    if (rv < 0)
        return rm_fail(r, rv, "%s: no such agent under %s/resource.d", r->driver_arg,
                       ocf_root());
    if (meta_get(&c->agent, &c->meta) < 0)
        c->meta = NULL; /* the actions still run, on the default timeouts; meta_run logged why */
    rm_ocf_instance(r->name, c->instance);
    c->deadline_ms = r->timeout_ms != 0 ? mono_ms() + r->timeout_ms : 0;
    mkdir_parents(ocf_rsctmp());
    return 0;
}

static void ctx_close(struct ocf_ctx *c)
{
    ocf_meta_free(c->meta);
    c->meta = NULL;
}

/* The caller's bound when it set one (what is left of it), else the advised one, else 20 s. */
static uint32_t call_timeout(const struct ocf_ctx *c, uint32_t advised_ms)
{
    uint64_t now;

    if (c->deadline_ms != 0) {
        now = mono_ms();
        return now < c->deadline_ms ? (uint32_t)(c->deadline_ms - now) : 0;
    }
    return advised_ms != 0 ? advised_ms : RM_OCF_DEFAULT_TIMEOUT_MS;
}

/* Logs the action's output line by line and keeps its last exit reason. */
static void output_scan(const struct rm_resource *r, const char *action, int status, char *out,
                        char *reason, size_t reason_size)
{
    /* a healthy monitor runs every few seconds: its chatter is debug */
    int prio = status == 0 && strcmp(action, "monitor") == 0 ? LOG_DEBUG : LOG_INFO;
    char *save = NULL;

    reason[0] = '\0';
    for (char *line = strtok_r(out, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, EXIT_REASON, strlen(EXIT_REASON)) == 0)
            snprintf(reason, reason_size, "%s", line + strlen(EXIT_REASON));
        LOG(prio, "ocf", "%s %s: %s", r->name, action, line);
    }
}

static void env_action(struct env *e, const struct rm_resource *r, const struct ocf_ctx *c,
                       const struct ocf_call *call, uint32_t timeout_ms)
{
    env_base(e, &c->agent, timeout_ms);
    env_add(e, "OCF_RESOURCE_INSTANCE=%s", c->instance);
    env_add(e, "OCF_RESKEY_CRM_meta_interval=%u", call->interval_ms);
    if (call->check_level >= 0)
        env_add(e, "OCF_CHECK_LEVEL=%d", call->check_level);
    env_params(e, r, c->meta);
}

/*
 * Runs one action in the resource's control group, its standard error joined to its output (a
 * shell redirects, then execs the agent). 0 with *ret_status and the exit reason, or negative
 * errno with r->errmsg (-ETIMEDOUT: it ran past its time and was killed with what it started).
 */
static int agent_run(struct rm_resource *r, const struct ocf_ctx *c, const struct ocf_call *call,
                     int *ret_status, char *reason, size_t reason_size)
{
    const char *argv[] = {"/bin/sh", "-c", "exec \"$0\" \"$1\" 2>&1", c->agent.path,
                          call->action, NULL};
    uint32_t timeout_ms = call_timeout(c, call->advised_ms);
    struct env e = {0};
    char *out = NULL;
    int rv;

    if (timeout_ms == 0)
        return rm_fail(r, -ETIMEDOUT, "%s %s: no time left", c->agent.type, call->action);
    env_action(&e, r, c, call, timeout_ms);
    if (e.err != 0) {
        env_free(&e);
        return rm_fail(r, e.err, "%s %s: out of memory", c->agent.type, call->action);
    }
    struct rm_proc_spec spec = {.resource = r->name, .argv = argv,
                                .envp = (const char *const *)e.v, .cwd = "/"};
    rv = rm_proc_run(&spec, timeout_ms, ret_status, &out);
    env_free(&e);
    if (rv == -ETIMEDOUT)
        return rm_fail(r, rv, "%s %s: no answer within %u ms, killed", c->agent.type,
                       call->action, timeout_ms);
    if (rv < 0)
        return rm_fail(r, rv, "%s %s: cannot run the agent: %s", c->agent.type, call->action,
                       strerror(-rv));
    output_scan(r, call->action, *ret_status, out, reason, reason_size);
    free(out);
    return 0;
}

/* Runs call and reads its exit status (rm_ocf_exit): 0, or negative errno with r->errmsg. */
static int agent_do(struct rm_resource *r, const struct ocf_ctx *c, const struct ocf_call *call)
{
    char reason[RM_ERRMSG_SIZE];
    struct rm_ocf_result res;
    char code[32];
    int status, rv;

    rv = agent_run(r, c, call, &status, reason, sizeof(reason));
    if (rv < 0)
        return rv;
    res = rm_ocf_exit(call->action, status);
    if (res.err == 0)
        return 0;
    if (res.code != NULL)
        snprintf(code, sizeof(code), "%s", res.code);
    else
        snprintf(code, sizeof(code), "exit %d", status);
    return rm_fail(r, res.err, "%s %s: %s (%s)%s%s", c->agent.type, call->action, res.what, code,
                   reason[0] != '\0' ? ": " : "", reason);
}

static int monitor(struct rm_resource *r, const struct ocf_ctx *c, bool deep)
{
    const struct ocf_meta *m = c->meta;
    bool deeper = deep && m != NULL && m->deep_level >= 10;
    struct ocf_call call = {
        .action = "monitor",
        .advised_ms = m == NULL ? 0 : deeper && m->deep_monitor_ms != 0 ? m->deep_monitor_ms
                                                                         : m->info->monitor_ms,
        .interval_ms = m != NULL && m->info->monitor_interval_ms != 0
                           ? m->info->monitor_interval_ms
                           : MONITOR_INTERVAL_MS,
        .check_level = deeper ? 10 : 0,
    };

    return agent_do(r, c, &call);
}

/* Stop bounded by bound_ms, then every process of the resource killed. r->errmsg is kept: the
 * failure that led here is the one worth reading. */
static void stop_then_kill(struct rm_resource *r, struct ocf_ctx *c, uint32_t bound_ms)
{
    char saved[RM_ERRMSG_SIZE];
    uint32_t advised = c->meta != NULL ? c->meta->info->stop_ms : 0;
    struct ocf_call call = {
        .action = "stop",
        .advised_ms = advised != 0 && advised < bound_ms ? advised : bound_ms,
        .check_level = -1,
    };
    int rv;

    memcpy(saved, r->errmsg, sizeof(saved));
    c->deadline_ms = 0; /* the bound above replaces what is left of the caller's */
    if (bound_ms > 0 && agent_do(r, c, &call) < 0)
        LOGW("ocf", "%s: %s", r->name, r->errmsg);
    rv = rm_proc_kill_all(r->name, RM_OCF_KILL_WAIT_MS);
    if (rv < 0 && rv != -ENOENT)
        LOGE("ocf", "%s: processes remain after the kill: %s", r->name, strerror(-rv));
    memcpy(r->errmsg, saved, sizeof(saved));
}

/* ---- the driver ------------------------------------------------------------------------------ */

/* r->priv while online: what watch_fd gives. */
struct ocf_state {
    int watch; /* rm_proc_watch's descriptor */
};

static void watch_close(struct rm_resource *r)
{
    struct ocf_state *st = r->priv;

    if (st == NULL)
        return;
    close(st->watch);
    free(st);
    r->priv = NULL;
}

/* After a successful start: the daemon the agent left, if any, is watched. */
static void watch_open(struct rm_resource *r)
{
    struct ocf_state *st;
    int fd;

    watch_close(r);
    fd = rm_proc_watch(r->name);
    if (fd == -ENOENT)
        LOGD("ocf", "%s: the agent left no process to watch: its monitor polls alone", r->name);
    if (fd < 0)
        return;
    st = malloc(sizeof(*st));
    if (st == NULL) { /* the monitor polls still notice a failure */
        close(fd);
        return;
    }
    st->watch = fd;
    r->priv = st;
}

static int ocf_online(struct rm_resource *r)
{
    struct ocf_ctx c;
    int rv = ctx_open(r, &c);

    if (rv < 0)
        return rv;
    struct ocf_call start = {
        .action = "start",
        .advised_ms = c.meta != NULL ? c.meta->info->start_ms : 0,
        .check_level = -1,
    };
    rv = agent_do(r, &c, &start);
    if (rv == 0) {
        rv = monitor(r, &c, false);
        if (rv == -ESRCH)
            rm_fail(r, rv, "%s start: succeeded, but monitor finds it not running",
                    c.agent.type);
    }
    if (rv < 0) /* a failed online leaves nothing behind (Pacemaker stops it too) */
        stop_then_kill(r, &c, RM_OCF_TERMINATE_STOP_MS);
    else
        watch_open(r);
    ctx_close(&c);
    return rv;
}

static int ocf_offline(struct rm_resource *r)
{
    struct ocf_ctx c;
    int rv;

    watch_close(r);
    rv = ctx_open(r, &c);

    if (rv < 0)
        return rv;
    struct ocf_call stop = {
        .action = "stop",
        .advised_ms = c.meta != NULL ? c.meta->info->stop_ms : 0,
        .check_level = -1,
    };
    rv = agent_do(r, &c, &stop);
    if (rv == 0) { /* what the agent forgot (a daemon's child) goes too */
        rv = rm_proc_kill_all(r->name, RM_OCF_KILL_WAIT_MS);
        if (rv == -ENOENT)
            rv = 0;
        if (rv < 0)
            rm_fail(r, rv, "%s stop: processes of the resource remain: %s", c.agent.type,
                    strerror(-rv));
    }
    ctx_close(&c);
    return rv;
}

static int ocf_check(struct rm_resource *r, bool deep)
{
    struct ocf_ctx c;
    int rv = ctx_open(r, &c);

    if (rv < 0)
        return rv;
    rv = monitor(r, &c, deep);
    ctx_close(&c);
    return rv;
}

static int ocf_looks_alive(struct rm_resource *r)
{
    return ocf_check(r, false);
}

static int ocf_is_alive(struct rm_resource *r)
{
    return ocf_check(r, true);
}

/* The agent ran here before or not, the stop is bounded: it must not delay a fence. */
static void ocf_terminate(struct rm_resource *r)
{
    uint32_t bound = RM_OCF_TERMINATE_STOP_MS;
    struct ocf_ctx c;
    char saved[RM_ERRMSG_SIZE];

    if (r->timeout_ms != 0 && r->timeout_ms / 2 < bound)
        bound = r->timeout_ms / 2;
    watch_close(r);
    memcpy(saved, r->errmsg, sizeof(saved));
    if (ctx_open(r, &c) == 0) {
        stop_then_kill(r, &c, bound);
        ctx_close(&c);
    } else {
        (void)rm_proc_kill_all(r->name, RM_OCF_KILL_WAIT_MS);
    }
    memcpy(r->errmsg, saved, sizeof(saved));
}

/*
 * On the loop thread, at each arming: the change that woke the last watch is consumed here, so
 * the descriptor is quiet until the next one. An empty group has nothing left to signal (its
 * daemon died after the check that passed, or the agent's monitor sees something else): the
 * monitor polls decide.
 */
static int ocf_watch_fd(struct rm_resource *r)
{
    const struct ocf_state *st = r->priv;

    return st != NULL && rm_proc_watch_rearm(st->watch) == 1 ? st->watch : -1;
}

static int check_required(struct rm_resource *r, const struct ocf_ctx *c)
{
    for (size_t i = 0; c->meta != NULL && i < c->meta->info->n_params; i++) {
        const struct rm_param *p = &c->meta->info->params[i];
        const char *value = rm_prop(r, p->name);

        if (p->required && (value == NULL || value[0] == '\0'))
            return rm_fail(r, -EINVAL, "%s: required parameter %s is not set", c->agent.type,
                           p->name);
    }
    return 0;
}

static int ocf_validate(struct rm_resource *r)
{
    struct ocf_ctx c;
    int rv = ctx_open(r, &c);

    if (rv < 0)
        return rv;
    rv = check_required(r, &c);
    if (rv == 0 && (c.meta == NULL || c.meta->has_validate)) {
        struct ocf_call validate = {
            .action = "validate-all",
            .advised_ms = c.meta != NULL ? c.meta->info->validate_ms : 0,
            .check_level = -1,
        };
        rv = agent_do(r, &c, &validate);
    }
    ctx_close(&c);
    return rv;
}

static int ocf_type_info(const char *driver_arg, struct rm_type_info **ret)
{
    struct ocf_meta *meta;
    struct agent a;
    int rv = agent_find(driver_arg, &a);

    if (rv < 0)
        return rv;
    rv = meta_get(&a, &meta);
    if (rv < 0)
        return rv;
    *ret = ocf_type_info_copy(meta->info);
    ocf_meta_free(meta);
    return *ret != NULL ? 0 : -ENOMEM;
}

const struct rm_driver rm_ocf_driver = {
    .type_name = "ocf",
    .online = ocf_online,
    .offline = ocf_offline,
    .looks_alive = ocf_looks_alive,
    .is_alive = ocf_is_alive,
    .terminate = ocf_terminate,
    .watch_fd = ocf_watch_fd,
    .validate = ocf_validate,
    .type_info = ocf_type_info,
};
