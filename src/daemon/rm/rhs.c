/*
 * rhs — the resource host process and clussvc's side of it (see rhs.h).
 */
#include "common/mono_clock.h"
#include "daemon/rm/rhs.h"

#include <assert.h>
#include <errno.h>
#include <libgen.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon/base/log.h"
#include "daemon/net/net_addr.h"
#include "daemon/rm/rm_cgroup.h"

#define RENEW_MS 500
#define ENFORCE_MS 100 /* while the lease is out, held addresses are removed again this often */
#define MAX_HELD 64
#define MAX_GROUPS 256
#define GONE_CLEANUP_MS 10000 /* clussvc gone: how long the host tries to remove its groups */

enum {
    MSG_LEASE = 1, MSG_HOLD, MSG_RELEASE, MSG_DROPPED,
    MSG_HOLD_CGROUP, MSG_RELEASE_CGROUP, MSG_HOLD_PGROUP, MSG_RELEASE_PGROUP,
};

struct rhs_msg {
    uint32_t type;
    int32_t ifindex;
    uint32_t prefix;
    uint32_t pad;
    uint64_t until_ms;
    struct net_addr addr;
};

/* A group message: sent with the path's length only (SOCK_SEQPACKET keeps the boundaries). */
struct rhs_group_msg {
    uint32_t type;
    int32_t pgid;
    char path[RM_CGROUP_PATH_MAX];
};

union rhs_any_msg {
    uint32_t type;
    struct rhs_msg addr;
    struct rhs_group_msg group;
};

static int host_fd = -1;
static pthread_mutex_t host_mu = PTHREAD_MUTEX_INITIALIZER;

/* ------------------------------------------------------------------------------------------ */
/* The host                                                                                    */
/* ------------------------------------------------------------------------------------------ */

struct held {
    int ifindex;
    uint32_t prefix;
    struct net_addr addr;
};

struct host {
    int fd;
    pid_t clussvc;     /* the process that forked the host; its groups are its own to remove */
    struct held held[MAX_HELD];
    size_t n;
    char *cgroups[MAX_GROUPS]; /* malloc'd paths */
    size_t n_cgroups;
    pid_t pgroups[MAX_GROUPS];
    size_t n_pgroups;
    bool dropped;      /* the held addresses were removed for want of a lease */
    uint64_t until;
    uint64_t next_renew;
    uint64_t next_enforce;
};

static bool holds_any(const struct host *h)
{
    return h->n > 0 || h->n_cgroups > 0 || h->n_pgroups > 0;
}

/* Every process of the held groups dies, before any address goes: an application must not
 * answer on a node that is about to lose, or has lost, its right to it. Said in the log the
 * first time only (the sweep repeats while the lease is out). */
static void kill_groups(struct host *h, const char *why)
{
    for (size_t i = 0; i < h->n_cgroups; i++) {
        if (rm_cgroup_populated(h->cgroups[i]) != 1)
            continue;
        int rv = rm_cgroup_kill(h->cgroups[i]);

        if (rv < 0)
            LOGE("rhs", "cannot kill the processes of %s: %s", h->cgroups[i], strerror(-rv));
        else if (!h->dropped)
            LOGW("rhs", "killed the processes of %s: %s", h->cgroups[i], why);
    }
    for (size_t i = 0; i < h->n_pgroups; i++)
        if (killpg(h->pgroups[i], SIGKILL) == 0 && !h->dropped)
            LOGW("rhs", "killed process group %d: %s", (int)h->pgroups[i], why);
}

/*
 * The lease is out: every process of a held group is killed and every held address goes, and goes again each ENFORCE_MS (an online that was
 * under way may add one after the first sweep). They stay held until clussvc releases them or
 * brings them online again; clussvc hears that they were dropped and re-adds them once its lease
 * is back.
 */
static void drop_all(struct host *h, uint64_t now, const char *why)
{
    struct rhs_msg m = {.type = MSG_DROPPED};
    bool removed = false;

    if (h->dropped && now < h->next_enforce)
        return;
    h->next_enforce = now + ENFORCE_MS;
    kill_groups(h, why);
    for (size_t i = 0; i < h->n; i++) {
        char text[ADDR_STRLEN];

        if (net_addr_present(&h->held[i].addr, NULL) != 1)
            continue;
        addr_format(&h->held[i].addr, text, sizeof(text));
        net_addr_del(h->held[i].ifindex, &h->held[i].addr, h->held[i].prefix);
        LOGW("rhs", "removed %s: %s", text, why);
        removed = true;
    }
    if (removed && h->fd >= 0) /* clussvc must not believe them online */
        send(h->fd, &m, sizeof(m), MSG_NOSIGNAL | MSG_DONTWAIT);
    h->dropped = true;
}

static ssize_t held_index(const struct host *h, const struct rhs_msg *m)
{
    for (size_t i = 0; i < h->n; i++)
        if (h->held[i].ifindex == m->ifindex && addr_cmp(&h->held[i].addr, &m->addr) == 0)
            return (ssize_t)i;
    return -1;
}

static ssize_t cgroup_index(const struct host *h, const char *path)
{
    for (size_t i = 0; i < h->n_cgroups; i++)
        if (strcmp(h->cgroups[i], path) == 0)
            return (ssize_t)i;
    return -1;
}

static ssize_t pgroup_index(const struct host *h, pid_t pgid)
{
    for (size_t i = 0; i < h->n_pgroups; i++)
        if (h->pgroups[i] == pgid)
            return (ssize_t)i;
    return -1;
}

static void forget_cgroup(struct host *h, size_t i)
{
    free(h->cgroups[i]);
    h->cgroups[i] = h->cgroups[--h->n_cgroups];
}

/* Holding a group, like holding an address, means clussvc starts something: it has a lease. */
static void handle_group(struct host *h, const struct rhs_group_msg *m)
{
    ssize_t i = m->type == MSG_HOLD_CGROUP || m->type == MSG_RELEASE_CGROUP
                    ? cgroup_index(h, m->path)
                    : pgroup_index(h, m->pgid);
    char *copy;

    switch (m->type) {
    case MSG_HOLD_CGROUP:
        if (i >= 0)
            break;
        copy = h->n_cgroups < MAX_GROUPS ? strdup(m->path) : NULL;
        if (copy == NULL) {
            LOGE("rhs", "cannot hold %s: too many groups", m->path);
            break;
        }
        h->cgroups[h->n_cgroups++] = copy;
        h->dropped = false;
        break;
    case MSG_RELEASE_CGROUP:
        if (i >= 0)
            forget_cgroup(h, (size_t)i);
        break;
    case MSG_HOLD_PGROUP:
        if (i < 0 && h->n_pgroups < MAX_GROUPS)
            h->pgroups[h->n_pgroups++] = m->pgid;
        else if (i < 0)
            LOGE("rhs", "cannot hold process group %d: too many groups", (int)m->pgid);
        h->dropped = false;
        break;
    case MSG_RELEASE_PGROUP:
        if (i >= 0)
            h->pgroups[i] = h->pgroups[--h->n_pgroups];
        break;
    }
}

static void handle(struct host *h, const union rhs_any_msg *u, size_t len)
{
    const struct rhs_msg *m = &u->addr;
    ssize_t i;

    if (u->type >= MSG_HOLD_CGROUP) {
        if (len > offsetof(struct rhs_group_msg, path) && len <= sizeof(u->group) &&
            u->group.path[len - offsetof(struct rhs_group_msg, path) - 1] == '\0')
            handle_group(h, &u->group);
        return;
    }
    if (len != sizeof(*m))
        return;
    i = held_index(h, m);
    switch (m->type) {
    case MSG_LEASE:
        h->until = m->until_ms;
        break;
    case MSG_HOLD:
        if (i < 0 && h->n < MAX_HELD)
            h->held[h->n++] = (struct held){m->ifindex, m->prefix, m->addr};
        h->dropped = false; /* clussvc brings addresses online again: it holds a lease */
        break;
    case MSG_RELEASE:
        if (i >= 0)
            h->held[i] = h->held[--h->n];
        break;
    }
}

/* While leased, keep the kernel's lifetime ahead: a frozen node loses its addresses anyway. */
static void renew(struct host *h, uint64_t now)
{
    if (now < h->next_renew)
        return;
    h->next_renew = now + RENEW_MS;
    /* Only addresses still there: one that vanished is for clussvc's health check to see. */
    for (size_t i = 0; i < h->n; i++)
        if (net_addr_present(&h->held[i].addr, NULL) == 1)
            net_addr_add(h->held[i].ifindex, &h->held[i].addr, h->held[i].prefix,
                         RHS_LIFETIME_SEC);
}

/* Is path a group clussvc's process runner made (a leaf of its "clusapi-<pid>" subtree), rather
 * than one another manager owns (a systemd unit's), which is only emptied, never removed? */
static bool own_group(const struct host *h, const char *path)
{
    char subtree[32], parent[RM_CGROUP_PATH_MAX];
    const char *base;

    snprintf(parent, sizeof(parent), "%s", path);
    base = strrchr(dirname(parent), '/');
    snprintf(subtree, sizeof(subtree), "clusapi-%d", (int)h->clussvc);
    return base != NULL && strcmp(base + 1, subtree) == 0;
}

/*
 * clussvc is gone and what it held was killed: remove the emptied control groups of its own,
 * and the instance's subtree above them once that is empty too; forget another manager's group
 * once it is empty. true when nothing is left to remove.
 */
static bool remove_groups(struct host *h)
{
    for (size_t i = 0; i < h->n_cgroups;) {
        char parent[RM_CGROUP_PATH_MAX];

        if (!own_group(h, h->cgroups[i])) {
            if (rm_cgroup_populated(h->cgroups[i]) == 1) {
                (void)rm_cgroup_kill(h->cgroups[i]);
                i++;
            } else {
                forget_cgroup(h, i);
            }
            continue;
        }
        if (rm_cgroup_remove(h->cgroups[i]) < 0) {
            (void)rm_cgroup_kill(h->cgroups[i]); /* a fork that raced the first kill */
            i++;
            continue;
        }
        snprintf(parent, sizeof(parent), "%s", h->cgroups[i]);
        (void)rmdir(dirname(parent)); /* fails while other groups of the instance remain */
        forget_cgroup(h, i);
    }
    for (size_t i = 0; i < h->n_pgroups;) {
        if (killpg(h->pgroups[i], SIGKILL) < 0 && errno == ESRCH)
            h->pgroups[i] = h->pgroups[--h->n_pgroups];
        else
            i++;
    }
    return h->n_cgroups == 0 && h->n_pgroups == 0;
}

/* Until clussvc's first lease arrives, an address held is given this long. */
#define FIRST_LEASE_GRACE_MS 1000

/* clussvc is gone: the host exits once it holds nothing alive, or gives up after a while (a
 * process stuck in the kernel cannot be removed, and the host must not linger for ever). */
static bool done_after_parent(struct host *h, uint64_t now, uint64_t gone_at)
{
    if (!holds_any(h))
        return true;
    if (!h->dropped)
        return false;
    if (remove_groups(h))
        return true;
    if (now - gone_at < GONE_CLEANUP_MS)
        return false;
    LOGE("rhs", "giving up on %zu control and %zu process groups that do not empty",
         h->n_cgroups, h->n_pgroups);
    return true;
}

static void host_main(int fd)
{
    struct host h = {.fd = fd, .clussvc = getppid(), .until = mono_ms() + FIRST_LEASE_GRACE_MS};
    bool parent_gone = false;
    uint64_t gone_at = 0;

    prctl(PR_SET_NAME, "clussvc-rhs");
    signal(SIGINT, SIG_IGN); /* stops with clussvc's shutdown, not with a terminal's Ctrl-C */
    for (;;) {
        uint64_t now = mono_ms();
        int timeout = RENEW_MS;
        struct pollfd pfd = {.fd = fd, .events = POLLIN};

        /* clussvc gone: nothing vouches for the addresses any more, and a restarted clussvc
         * starts them afresh (re-adopting them would race this host's own removal). */
        if (parent_gone && holds_any(&h) && !h.dropped)
            h.until = now;
        if (holds_any(&h) && now >= h.until)
            drop_all(&h, now, parent_gone ? "clussvc is gone" : "the quorum lease ran out");
        else if (h.n > 0 && !h.dropped)
            renew(&h, now);
        if (parent_gone && done_after_parent(&h, now, gone_at))
            _exit(0);
        if (holds_any(&h) && now >= h.until)
            timeout = ENFORCE_MS;
        else if (holds_any(&h) && h.until - now < (uint64_t)timeout)
            timeout = (int)(h.until - now) + 1;
        if (parent_gone) {
            poll(NULL, 0, timeout);
            continue;
        }
        if (poll(&pfd, 1, timeout) > 0) {
            union rhs_any_msg m;
            ssize_t k = recv(fd, &m, sizeof(m), 0);

            if (k >= (ssize_t)sizeof(m.type))
                handle(&h, &m, (size_t)k);
            else if (k == 0 || (k < 0 && errno != EINTR)) {
                parent_gone = true;
                gone_at = mono_ms();
                h.fd = -1;
            }
        }
    }
}

int rhs_spawn(void)
{
    int sv[2];
    pid_t pid;

    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
        return -errno;
    pid = fork();
    if (pid < 0) {
        close(sv[0]);
        close(sv[1]);
        return -errno;
    }
    if (pid == 0) {
        close(sv[0]);
        host_main(sv[1]);
    }
    close(sv[1]);
    host_fd = sv[0];
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* clussvc's side                                                                              */
/* ------------------------------------------------------------------------------------------ */

static void send_msg(const struct rhs_msg *m)
{
    pthread_mutex_lock(&host_mu);
    if (host_fd >= 0 && send(host_fd, m, sizeof(*m), MSG_NOSIGNAL) < 0)
        LOGE("rhs", "the resource host is gone: %s", strerror(errno));
    pthread_mutex_unlock(&host_mu);
}

int rhs_fd(void)
{
    return host_fd;
}

bool rhs_read_dropped(void)
{
    struct rhs_msg m;
    bool dropped = false;

    while (recv(host_fd, &m, sizeof(m), MSG_DONTWAIT) == (ssize_t)sizeof(m))
        dropped |= m.type == MSG_DROPPED;
    return dropped;
}

void rhs_lease(uint64_t until_ms)
{
    struct rhs_msg m = {.type = MSG_LEASE, .until_ms = until_ms};

    send_msg(&m);
}

void rhs_hold(int ifindex, const struct net_addr *a, uint32_t prefix)
{
    struct rhs_msg m = {.type = MSG_HOLD, .ifindex = ifindex, .prefix = prefix, .addr = *a};

    send_msg(&m);
}

void rhs_release(int ifindex, const struct net_addr *a, uint32_t prefix)
{
    struct rhs_msg m = {.type = MSG_RELEASE, .ifindex = ifindex, .prefix = prefix, .addr = *a};

    send_msg(&m);
}

static void send_group_msg(uint32_t type, const char *path, pid_t pgid)
{
    struct rhs_group_msg m = {.type = type, .pgid = pgid};
    size_t len = offsetof(struct rhs_group_msg, path) + 1;

    if (path != NULL) {
        assert(strlen(path) < sizeof(m.path));
        snprintf(m.path, sizeof(m.path), "%s", path);
        len += strlen(path);
    }
    pthread_mutex_lock(&host_mu);
    if (host_fd >= 0 && send(host_fd, &m, len, MSG_NOSIGNAL) < 0)
        LOGE("rhs", "the resource host is gone: %s", strerror(errno));
    pthread_mutex_unlock(&host_mu);
}

void rhs_hold_cgroup(const char *path)
{
    send_group_msg(MSG_HOLD_CGROUP, path, 0);
}

void rhs_release_cgroup(const char *path)
{
    send_group_msg(MSG_RELEASE_CGROUP, path, 0);
}

void rhs_hold_pgroup(pid_t pgid)
{
    send_group_msg(MSG_HOLD_PGROUP, NULL, pgid);
}

void rhs_release_pgroup(pid_t pgid)
{
    send_group_msg(MSG_RELEASE_PGROUP, NULL, pgid);
}
