/*
 * rm_proc — the processes of a resource (see rm_proc.h).
 *
 * Layout: one subtree per clussvc, "clusapi-<pid>" under clussvc's own cgroup v2 (several
 * clussvc share a machine in the lab; the pid keeps them apart), with one leaf per resource
 * (rm_cgroup_encode of its name). A process started by rm_proc_spawn runs in the leaf; one run by
 * rm_proc_run in a group of its own below it ("run-N"), so that its timeout kills what that run
 * started and nothing else, while a daemon the run leaves behind stays a process of the
 * resource. cgroup.kill on the leaf kills all of them, double-forked and setsid'd daemons
 * included. The resource host holds every leaf and kills it when the lease runs out.
 *
 * With cgroups, clussvc is the child subreaper of what it starts: a daemon whose parent exits
 * (an agent's start that daemonised it) becomes clussvc's child, and once it exits its zombie
 * is reaped here, at the next run or reap or kill of any resource, not whenever PID 1 gets to
 * it; an agent's check of its pid file must not take a zombie for a running daemon.
 *
 * Without a writable cgroup v2 every process starts a session (so a process group) of its own,
 * and the process groups stand in for the leaf: weaker, since a daemon that calls setsid
 * escapes them.
 */
#include "common/mono_clock.h"
#include "daemon/rm/rm_proc.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/base/log.h"
#include "daemon/rm/rhs.h"
#include "daemon/rm/rm_cgroup.h"

#define OUT_MAX (1024 * 1024) /* rm_proc_run's collected standard output */
#define REAP_WAIT_MS 5000     /* a SIGKILLed process is gone well within this */

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static bool use_cgroup;
static char instance[RM_CGROUP_PATH_MAX]; /* this clussvc's subtree */
/* Guards the subtree's directories: from making a group until the process started in it has
 * joined it, and while removing one, so that no removal takes a group a start is about to join.
 * Held across a start (a fork and an exec, a few milliseconds). */
static pthread_mutex_t tree_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t pgroups_mu = PTHREAD_MUTEX_INITIALIZER;
static atomic_uint run_seq;

/* The children rm_proc forked and waits for itself (rm_proc_run, rm_proc_reap): the orphan
 * reaper leaves them alone. Held across a fork, so that no reaper sees a child not listed yet. */
static pthread_mutex_t children_mu = PTHREAD_MUTEX_INITIALIZER;
static pid_t *children;
static size_t n_children, cap_children;

/* Fallback: the process groups each resource started. */
struct pgroup {
    struct pgroup *next;
    pid_t pgid;
    char resource[];
};
static struct pgroup *pgroups;

/* ------------------------------------------------------------------------------------------ */
/* Control groups                                                                              */
/* ------------------------------------------------------------------------------------------ */

/*
 * Subtrees of clussvc instances that are gone along with their resource host (both killed):
 * nothing fences what they left, so it is killed and removed here. A subtree whose pid runs
 * (another instance, or a reused pid) is left alone.
 */
static void remove_stale(const char *parent)
{
    DIR *dir = opendir(parent);
    struct dirent *e;

    while (dir != NULL && (e = readdir(dir)) != NULL) {
        char path[RM_CGROUP_PATH_MAX];
        char *end;
        long pid;

        if (strncmp(e->d_name, "clusapi-", 8) != 0)
            continue;
        pid = strtol(e->d_name + 8, &end, 10);
        if (*end != '\0' || pid <= 0 || pid == (long)getpid() || kill((pid_t)pid, 0) == 0
            || errno != ESRCH)
            continue;
        if ((size_t)snprintf(path, sizeof(path), "%s/%s", parent, e->d_name) >= sizeof(path))
            continue;
        (void)rm_cgroup_kill(path);
        (void)rm_cgroup_wait_empty(path, 1000);
        if (rm_cgroup_remove(path) == 0)
            LOGI("rm_proc", "removed %s, left by a clussvc that is gone", path);
    }
    if (dir != NULL)
        closedir(dir);
}

/* Decided once: a subtree that cannot be made now will not be made later either. */
static void init(void)
{
    char parent[RM_CGROUP_PATH_MAX];
    int rv = rm_cgroup_parent(parent, sizeof(parent));

    if (rv == 0)
        remove_stale(parent);
    if (rv == 0 && (size_t)snprintf(instance, sizeof(instance), "%s/clusapi-%d", parent,
                                    (int)getpid()) >= sizeof(instance))
        rv = -ENAMETOOLONG;
    if (rv == 0 && mkdir(instance, 0755) < 0 && errno != EEXIST)
        rv = -errno;
    use_cgroup = rv == 0;
    /* Only where the reaper can tell the processes of resources (their group) from others. */
    if (use_cgroup && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
        LOGW("rm_proc", "cannot become the subreaper of resources' processes: %s: their "
             "exited daemons stay zombies until PID 1 reaps them", strerror(errno));
    if (use_cgroup)
        LOGI("rm_proc", "processes of resources run in control groups under %s", instance);
    else
        LOGW("rm_proc", "no writable cgroup v2 (%s): processes of resources are tracked by "
             "process group only, and a daemon that leaves its session escapes", strerror(-rv));
}

static int leaf_path(const char *resource, char *buf, size_t size)
{
    char name[256];

    rm_cgroup_encode(resource, name, sizeof(name));
    if ((size_t)snprintf(buf, size, "%s/%s", instance, name) >= size)
        return -ENAMETOOLONG;
    return 0;
}

/* Under tree_mu: an empty leaf goes with the host's hold on it, and the subtree once no leaf is
 * left. Not recursive: a leaf with processes or a run's group stays. */
static void prune_leaf_locked(const char *leaf)
{
    if (rmdir(leaf) < 0)
        return;
    rhs_release_cgroup(leaf);
    (void)rmdir(instance); /* fails while other resources have leaves */
}

/* ------------------------------------------------------------------------------------------ */
/* Process groups (fallback)                                                                   */
/* ------------------------------------------------------------------------------------------ */

/* Does a process other than a zombie belong to group pgid? (/proc: kill(0) counts zombies.) */
static bool pgroup_alive(pid_t pgid)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    bool alive = false;

    if (d == NULL)
        return killpg(pgid, 0) == 0;
    while (!alive && (e = readdir(d)) != NULL) {
        char path[64], text[512], state;
        const char *p;
        int fd, pgrp;
        ssize_t k;

        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        k = read(fd, text, sizeof(text) - 1);
        close(fd);
        text[k > 0 ? k : 0] = '\0';
        p = strrchr(text, ')'); /* the command name may hold anything */
        if (p != NULL && sscanf(p + 1, " %c %*d %d", &state, &pgrp) == 2)
            alive = pgrp == pgid && state != 'Z' && state != 'X';
    }
    closedir(d);
    return alive;
}

static void pgroup_add(const char *resource, pid_t pgid)
{
    struct pgroup *g = malloc(sizeof(*g) + strlen(resource) + 1);

    if (g == NULL) {
        LOGE("rm_proc", "%s: out of memory: process group %d is not tracked", resource,
             (int)pgid);
        return;
    }
    g->pgid = pgid;
    strcpy(g->resource, resource);
    pthread_mutex_lock(&pgroups_mu);
    g->next = pgroups;
    pgroups = g;
    pthread_mutex_unlock(&pgroups_mu);
    rhs_hold_pgroup(pgid);
}

/* Kills the resource's process groups and waits until they are empty. Nothing can be polled
 * for a group, so this one waits in short steps. */
static int pgroup_kill_all(const char *resource, uint32_t timeout_ms)
{
    uint64_t deadline = mono_ms() + timeout_ms;
    int rv = 0;

    pthread_mutex_lock(&pgroups_mu);
    for (struct pgroup **pp = &pgroups; *pp != NULL;) {
        struct pgroup *g = *pp;

        if (strcmp(g->resource, resource) != 0) {
            pp = &g->next;
            continue;
        }
        (void)killpg(g->pgid, SIGKILL);
        while (pgroup_alive(g->pgid) && mono_ms() < deadline)
            poll(NULL, 0, 10);
        if (pgroup_alive(g->pgid)) {
            rv = -ETIMEDOUT;
            pp = &g->next;
            continue;
        }
        rhs_release_pgroup(g->pgid);
        *pp = g->next;
        free(g);
    }
    pthread_mutex_unlock(&pgroups_mu);
    return rv;
}

static bool pgroup_any(const char *resource)
{
    bool any = false;

    pthread_mutex_lock(&pgroups_mu);
    for (struct pgroup *g = pgroups; g != NULL && !any; g = g->next)
        any = strcmp(g->resource, resource) == 0 && pgroup_alive(g->pgid);
    pthread_mutex_unlock(&pgroups_mu);
    return any;
}

/* ------------------------------------------------------------------------------------------ */
/* Children and orphans                                                                        */
/* ------------------------------------------------------------------------------------------ */

/* Under children_mu: room for one more child, before the fork that makes it. */
static int children_reserve_locked(void)
{
    pid_t *grown;
    size_t cap;

    if (n_children < cap_children)
        return 0;
    cap = cap_children == 0 ? 16 : cap_children * 2;
    if ((grown = realloc(children, cap * sizeof(*children))) == NULL)
        return -ENOMEM;
    children = grown;
    cap_children = cap;
    return 0;
}

static bool child_listed_locked(pid_t pid)
{
    for (size_t i = 0; i < n_children; i++)
        if (children[i] == pid)
            return true;
    return false;
}

/* pid was waited for: no longer ours to keep from the reaper. */
static void child_forget(pid_t pid)
{
    pthread_mutex_lock(&children_mu);
    for (size_t i = 0; i < n_children; i++) {
        if (children[i] == pid) {
            children[i] = children[--n_children];
            break;
        }
    }
    pthread_mutex_unlock(&children_mu);
}

/* Is /proc/<name> a zombie child of this process that ran in this clussvc's subtree? A zombie
 * keeps its control group until it is reaped. */
static bool orphan_zombie(const char *name)
{
    char path[64], text[512], tag[48], state;
    const char *p;
    int fd, ppid;
    ssize_t k;

    snprintf(path, sizeof(path), "/proc/%s/stat", name);
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return false;
    k = read(fd, text, sizeof(text) - 1);
    close(fd);
    text[k > 0 ? k : 0] = '\0';
    p = strrchr(text, ')');
    if (p == NULL || sscanf(p + 1, " %c %d", &state, &ppid) != 2 || state != 'Z' ||
        ppid != (int)getpid())
        return false;
    snprintf(path, sizeof(path), "/proc/%s/cgroup", name);
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return false;
    k = read(fd, text, sizeof(text) - 1);
    close(fd);
    text[k > 0 ? k : 0] = '\0';
    snprintf(tag, sizeof(tag), "/clusapi-%d/", (int)getpid());
    return strstr(text, tag) != NULL;
}

/*
 * Reaps the exited daemons of resources that became this process's children when their parent
 * exited (PR_SET_CHILD_SUBREAPER). Leaves alone every child rm_proc waits for itself, and every
 * child outside the subtree (not rm_proc's).
 */
static void reap_orphans(void)
{
    DIR *d;
    struct dirent *e;

    if (!use_cgroup || (d = opendir("/proc")) == NULL)
        return;
    pthread_mutex_lock(&children_mu);
    while ((e = readdir(d)) != NULL) {
        pid_t pid = (pid_t)atoi(e->d_name);

        if (pid > 0 && !child_listed_locked(pid) && orphan_zombie(e->d_name))
            (void)waitpid(pid, NULL, WNOHANG);
    }
    pthread_mutex_unlock(&children_mu);
    closedir(d);
}

/* ------------------------------------------------------------------------------------------ */
/* Exit notification                                                                           */
/* ------------------------------------------------------------------------------------------ */

struct exit_watch {
    pid_t pid;
    int efd;
};

static void *exit_watch_main(void *arg)
{
    struct exit_watch *w = arg;
    uint64_t one = 1;
    siginfo_t si;

    /* WNOWAIT: the process stays for rm_proc_reap; ECHILD means someone reaped it already. */
    while (waitid(P_PID, (id_t)w->pid, &si, WEXITED | WNOWAIT) < 0 && errno == EINTR)
        ;
    (void)!write(w->efd, &one, sizeof(one));
    close(w->efd);
    free(w);
    return NULL;
}

/*
 * A descriptor readable once child pid has exited: its pidfd. Where pidfd_open is missing
 * (kernels before 5.3; valgrind 3.19, under which the unit tests run) an eventfd that a thread
 * of its own signals when waitid sees the exit: the same contract at the price of a thread.
 */
static int exit_fd(pid_t pid)
{
    static atomic_bool said;
    struct exit_watch *w;
    pthread_attr_t attr;
    pthread_t thread;
    int fd = (int)syscall(SYS_pidfd_open, pid, 0);

    if (fd >= 0 || errno != ENOSYS)
        return fd >= 0 ? fd : -errno;
    if (!atomic_exchange(&said, true))
        LOGI("rm_proc", "no pidfd_open: a thread waits for each process's exit");
    if ((fd = eventfd(0, EFD_CLOEXEC)) < 0)
        return -errno;
    w = malloc(sizeof(*w));
    if (w == NULL || (w->efd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0) {
        free(w);
        close(fd);
        return -ENOMEM;
    }
    w->pid = pid;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&thread, &attr, exit_watch_main, w) != 0) {
        close(w->efd);
        free(w);
        close(fd);
        fd = -EAGAIN;
    }
    pthread_attr_destroy(&attr);
    return fd;
}

/* ------------------------------------------------------------------------------------------ */
/* Starting a process                                                                          */
/* ------------------------------------------------------------------------------------------ */

enum start_step { STEP_SESSION, STEP_CGROUP, STEP_CWD, STEP_FDS, STEP_EXEC };
static const char *const step_names[] = {"setsid", "joining its control group",
                                         "changing directory", "setting up descriptors",
                                         "exec"};

struct start_failure {
    int step;
    int err;
};

static _Noreturn void child_fail(int err_fd, enum start_step step)
{
    struct start_failure f = {step, errno};

    (void)!write(err_fd, &f, sizeof(f));
    _exit(127);
}

/* to becomes a copy of from that survives exec. */
static int move_fd(int from, int to)
{
    if (from == to)
        return fcntl(to, F_SETFD, 0);
    return dup2(from, to) < 0 ? -1 : 0;
}

/*
 * Between fork and exec: only async-signal-safe calls (clussvc has threads). Joins the group
 * before exec, so the program and everything it ever starts run inside it.
 */
static _Noreturn void child_exec(const struct rm_proc_spec *spec, const char *procs, int out_fd,
                                 int err_fd)
{
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    sigset_t none;
    int null_fd, fd;

    for (int sig = 1; sig < _NSIG; sig++) /* clussvc's handlers and ignores are not the app's */
        (void)sigaction(sig, &dfl, NULL);
    if (setsid() < 0)
        child_fail(err_fd, STEP_SESSION);
    if (procs != NULL) {
        fd = open(procs, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, "0", 1) != 1)
            child_fail(err_fd, STEP_CGROUP);
        close(fd);
    }
    if (chdir(spec->cwd != NULL ? spec->cwd : "/") < 0)
        child_fail(err_fd, STEP_CWD);
    null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd < 0 || move_fd(out_fd, 1) < 0 || move_fd(null_fd, 0) < 0 || move_fd(2, 2) < 0)
        child_fail(err_fd, STEP_FDS);
    /* Everything else clussvc has open closes at exec; err_fd stays open until then. */
    if (close_range(3, ~0u, CLOSE_RANGE_CLOEXEC) < 0)
        child_fail(err_fd, STEP_FDS);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execve(spec->argv[0], (char *const *)spec->argv, (char *const *)spec->envp);
    child_fail(err_fd, STEP_EXEC);
}

/*
 * Forks and execs spec's program, in group cgroup (NULL: none), its standard output on out_fd.
 * Returns once the program runs (or failed to start: then reaped, negative errno).
 */
static int start(const struct rm_proc_spec *spec, const char *cgroup, int out_fd,
                 pid_t *ret_pid, int *ret_pidfd)
{
    char procs[RM_CGROUP_PATH_MAX + 16];
    struct start_failure f;
    sigset_t all, old;
    int pipe_fds[2], pidfd;
    ssize_t k;
    pid_t pid;

    if (cgroup != NULL)
        snprintf(procs, sizeof(procs), "%s/cgroup.procs", cgroup);
    if (pipe2(pipe_fds, O_CLOEXEC) < 0)
        return -errno;
    pthread_mutex_lock(&children_mu);
    if (children_reserve_locked() < 0) {
        pthread_mutex_unlock(&children_mu);
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        return -ENOMEM;
    }
    /* No signal handler of clussvc's may run in the child before it resets them. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid = fork();
    if (pid == 0)
        child_exec(spec, cgroup != NULL ? procs : NULL, out_fd, pipe_fds[1]);
    if (pid > 0)
        children[n_children++] = pid;
    pthread_mutex_unlock(&children_mu);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    close(pipe_fds[1]);
    if (pid < 0) {
        close(pipe_fds[0]);
        return -errno;
    }
    do /* end of file: exec closed the pipe */
        k = read(pipe_fds[0], &f, sizeof(f));
    while (k < 0 && errno == EINTR);
    close(pipe_fds[0]);
    if (k == (ssize_t)sizeof(f)) {
        LOGW("rm_proc", "%s: cannot start %s: %s: %s", spec->resource ? spec->resource : "-",
             spec->argv[0], step_names[f.step], strerror(f.err));
        waitpid(pid, NULL, 0);
        child_forget(pid);
        return -f.err;
    }
    pidfd = exit_fd(pid);
    if (pidfd < 0) { /* cannot happen for a child not yet reaped, short of running out of fds */
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        child_forget(pid);
        return pidfd;
    }
    *ret_pid = pid;
    *ret_pidfd = pidfd;
    return 0;
}

/*
 * Starts spec's program in the resource's leaf, or with run_group non-NULL in a new group of
 * its own below the leaf (its path in run_group, RM_CGROUP_PATH_MAX bytes). The leaf is held by
 * the resource host before anything runs in it: the lease may lapse meanwhile.
 */
static int start_grouped(const struct rm_proc_spec *spec, char *run_group, int out_fd,
                         pid_t *ret_pid, int *ret_pidfd)
{
    char leaf[RM_CGROUP_PATH_MAX];
    int rv = leaf_path(spec->resource, leaf, sizeof(leaf));

    if (rv < 0)
        return rv;
    pthread_mutex_lock(&tree_mu);
    if ((mkdir(instance, 0755) < 0 && errno != EEXIST) ||
        (mkdir(leaf, 0755) < 0 && errno != EEXIST)) {
        rv = -errno;
        goto out;
    }
    rhs_hold_cgroup(leaf);
    if (run_group != NULL) {
        if ((size_t)snprintf(run_group, RM_CGROUP_PATH_MAX, "%s/run-%u", leaf,
                             atomic_fetch_add(&run_seq, 1)) >= RM_CGROUP_PATH_MAX)
            rv = -ENAMETOOLONG;
        else if (mkdir(run_group, 0755) < 0)
            rv = -errno;
    }
    if (rv == 0)
        rv = start(spec, run_group != NULL ? run_group : leaf, out_fd, ret_pid, ret_pidfd);
    if (rv < 0 && run_group != NULL)
        (void)rmdir(run_group);
    if (rv < 0)
        prune_leaf_locked(leaf);
out:
    pthread_mutex_unlock(&tree_mu);
    return rv;
}

int rm_proc_spawn(const struct rm_proc_spec *spec, pid_t *ret_pid, int *ret_pidfd)
{
    int rv;

    assert(spec->resource != NULL && spec->argv[0] != NULL && spec->envp != NULL);
    pthread_once(&init_once, init);
    if (use_cgroup)
        rv = start_grouped(spec, NULL, 2, ret_pid, ret_pidfd);
    else
        rv = start(spec, NULL, 2, ret_pid, ret_pidfd);
    if (rv < 0)
        return rv;
    if (!use_cgroup)
        pgroup_add(spec->resource, *ret_pid);
    LOGI("rm_proc", "%s: started %s (pid %d)", spec->resource, spec->argv[0], (int)*ret_pid);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Running a program to its end                                                                */
/* ------------------------------------------------------------------------------------------ */

struct collect {
    int fd; /* read end of the child's standard output, non-blocking; -1: not collected */
    char *buf;
    size_t len, cap;
};

/* Reads what is there; past OUT_MAX the rest is read and dropped so the child never blocks. */
static void collect_read(struct collect *c)
{
    char chunk[4096];
    ssize_t k;

    while (c->fd >= 0 && (k = read(c->fd, chunk, sizeof(chunk))) != 0) {
        if (k < 0) {
            if (errno == EINTR)
                continue;
            break; /* EAGAIN: all there is for now */
        }
        while (c->len + (size_t)k >= c->cap && c->cap < OUT_MAX + 1) {
            size_t cap = c->cap == 0 ? 8192 : c->cap * 2;
            char *grown;

            cap = cap < OUT_MAX + 1 ? cap : OUT_MAX + 1; /* room for the final NUL */
            if ((grown = realloc(c->buf, cap)) == NULL)
                break;
            c->buf = grown;
            c->cap = cap;
        }
        if (c->len + 1 < c->cap) {
            size_t n = (size_t)k < c->cap - 1 - c->len ? (size_t)k : c->cap - 1 - c->len;

            memcpy(c->buf + c->len, chunk, n);
            c->len += n;
        }
    }
}

/* Waits for the child's exit (pidfd) until deadline, reading its output: 0 or -ETIMEDOUT. */
static int wait_exit(int pidfd, struct collect *c, uint64_t deadline)
{
    for (;;) {
        struct pollfd pfd[2] = {{.fd = pidfd, .events = POLLIN}, {.fd = c->fd, .events = POLLIN}};
        uint64_t now = mono_ms();
        int n;

        if (now >= deadline)
            return -ETIMEDOUT;
        n = poll(pfd, c->fd >= 0 ? 2 : 1, (int)(deadline - now));
        if (n < 0 && errno != EINTR)
            return -errno;
        if (n > 0 && pfd[1].revents != 0)
            collect_read(c);
        if (n > 0 && (pfd[1].revents & POLLHUP))
            c->fd = -1; /* every writer closed it; the caller still owns and closes it */
        if (n > 0 && pfd[0].revents != 0)
            return 0;
    }
}

static int wait_status(pid_t pid)
{
    int st;

    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR) {
            child_forget(pid);
            return -errno;
        }
    }
    child_forget(pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Past its time: the run and all it started die (not the resource's other processes). */
static void kill_run(const struct rm_proc_spec *spec, const char *group, pid_t pid, int pidfd)
{
    struct pollfd pfd = {.fd = pidfd, .events = POLLIN};

    LOGW("rm_proc", "%s: %s ran past its time: killed", spec->resource ? spec->resource : "-",
         spec->argv[0]);
    if (group != NULL)
        (void)rm_cgroup_kill(group);
    (void)killpg(pid, SIGKILL);
    (void)poll(&pfd, 1, REAP_WAIT_MS);
    if (group != NULL)
        (void)rm_cgroup_wait_empty(group, REAP_WAIT_MS);
}

/* The run is over: its group goes unless it left processes (they are the resource's now), and
 * the leaf too when nothing of the resource runs. */
static void end_run(const struct rm_proc_spec *spec, const char *group, pid_t pid)
{
    char leaf[RM_CGROUP_PATH_MAX];

    if (group == NULL) {
        if (spec->resource != NULL && pgroup_alive(pid))
            pgroup_add(spec->resource, pid);
        return;
    }
    snprintf(leaf, sizeof(leaf), "%s", group);
    *strrchr(leaf, '/') = '\0';
    pthread_mutex_lock(&tree_mu);
    if (rm_cgroup_populated(group) == 0)
        (void)rmdir(group);
    prune_leaf_locked(leaf);
    pthread_mutex_unlock(&tree_mu);
}

int rm_proc_run(const struct rm_proc_spec *spec, uint32_t timeout_ms, int *ret_status,
                char **out)
{
    uint64_t deadline = mono_ms() + timeout_ms;
    struct collect c = {.fd = -1};
    char group[RM_CGROUP_PATH_MAX];
    bool grouped;
    int out_pipe[2] = {-1, -1}, pidfd, rv, status;
    pid_t pid;

    assert(spec->argv[0] != NULL && spec->envp != NULL);
    pthread_once(&init_once, init);
    reap_orphans(); /* a check this runs must not see a daemon that exited as running */
    grouped = use_cgroup && spec->resource != NULL;
    if (out != NULL && pipe2(out_pipe, O_CLOEXEC) < 0)
        return -errno;
    c.fd = out_pipe[0];
    if (c.fd >= 0)
        fcntl(c.fd, F_SETFL, O_NONBLOCK);
    if (grouped)
        rv = start_grouped(spec, group, out != NULL ? out_pipe[1] : 2, &pid, &pidfd);
    else
        rv = start(spec, NULL, out != NULL ? out_pipe[1] : 2, &pid, &pidfd);
    if (out_pipe[1] >= 0)
        close(out_pipe[1]);
    if (rv < 0)
        goto err;
    rv = wait_exit(pidfd, &c, deadline);
    if (rv < 0)
        kill_run(spec, grouped ? group : NULL, pid, pidfd);
    collect_read(&c);
    close(pidfd);
    status = wait_status(pid);
    end_run(spec, grouped ? group : NULL, pid);
    if (rv == 0 && status < 0)
        rv = status;
    if (rv == 0 && out != NULL) {
        *out = c.buf != NULL ? c.buf : strdup("");
        if (*out == NULL)
            rv = -ENOMEM;
        else
            (*out)[c.len] = '\0';
        c.buf = NULL;
    }
    if (rv == 0)
        *ret_status = status;
err:
    if (out_pipe[0] >= 0)
        close(out_pipe[0]);
    free(c.buf);
    return rv;
}

/* ------------------------------------------------------------------------------------------ */
/* The resource's processes as a whole                                                         */
/* ------------------------------------------------------------------------------------------ */

int rm_proc_reap(pid_t pid, int *ret_status)
{
    int st, rv;
    pid_t k;

    pthread_once(&init_once, init);
    reap_orphans();
    do
        k = waitpid(pid, &st, WNOHANG);
    while (k < 0 && errno == EINTR);
    if (k < 0) {
        rv = -errno;
        child_forget(pid);
        return rv;
    }
    if (k == 0)
        return 0;
    child_forget(pid);
    *ret_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return 1;
}

int rm_proc_kill_all(const char *resource, uint32_t timeout_ms)
{
    char leaf[RM_CGROUP_PATH_MAX];
    int rv;

    pthread_once(&init_once, init);
    if (!use_cgroup)
        return pgroup_kill_all(resource, timeout_ms);
    if ((rv = leaf_path(resource, leaf, sizeof(leaf))) < 0)
        return rv;
    if ((rv = rm_cgroup_kill(leaf)) < 0)
        return rv;
    if ((rv = rm_cgroup_wait_empty(leaf, timeout_ms)) < 0) {
        LOGE("rm_proc", "%s: processes remain after a kill: %s", resource, strerror(-rv));
        return rv;
    }
    reap_orphans();
    pthread_mutex_lock(&tree_mu);
    rv = rm_cgroup_remove(leaf); /* with the groups of runs that left processes */
    if (rv == 0) {
        rhs_release_cgroup(leaf);
        (void)rmdir(instance);
    }
    pthread_mutex_unlock(&tree_mu);
    return rv;
}

bool rm_proc_any(const char *resource)
{
    char leaf[RM_CGROUP_PATH_MAX];

    pthread_once(&init_once, init);
    if (!use_cgroup)
        return pgroup_any(resource);
    return leaf_path(resource, leaf, sizeof(leaf)) == 0 && rm_cgroup_populated(leaf) == 1;
}

int rm_proc_watch_rearm(int fd)
{
    char text[256];
    const char *p;
    ssize_t k;

    /* A read from offset 0 renders the file anew, which is what records the change as seen. */
    do
        k = pread(fd, text, sizeof(text) - 1, 0);
    while (k < 0 && errno == EINTR);
    if (k < 0)
        return -errno;
    text[k] = '\0';
    p = strstr(text, "populated ");
    if (p == NULL)
        return -EPROTO;
    return p[10] == '1';
}

int rm_proc_watch(const char *resource)
{
    char leaf[RM_CGROUP_PATH_MAX], file[RM_CGROUP_PATH_MAX + 16];
    int fd, rv;

    pthread_once(&init_once, init);
    if (!use_cgroup)
        return -EOPNOTSUPP; /* a process group cannot be polled */
    if ((rv = leaf_path(resource, leaf, sizeof(leaf))) < 0)
        return rv;
    snprintf(file, sizeof(file), "%s/cgroup.events", leaf);
    fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) /* ENOENT: the leaf went with the last process (prune_leaf_locked) */
        return -errno;
    /* Read before anyone polls: a change from before the open does not count, and a leaf that
     * is already empty has nothing left to signal. */
    rv = rm_proc_watch_rearm(fd);
    if (rv <= 0) {
        close(fd);
        return rv == 0 ? -ENOENT : rv;
    }
    return fd;
}
