/*
 * rhs — the resource host process and clussvc's side of it (see rhs.h).
 */
#include "daemon/rm/rhs.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "daemon/base/log.h"
#include "daemon/net/net_addr.h"

#define RENEW_MS 500
#define ENFORCE_MS 100 /* while the lease is out, held addresses are removed again this often */
#define MAX_HELD 64

enum { MSG_LEASE = 1, MSG_HOLD, MSG_RELEASE, MSG_DROPPED };

struct rhs_msg {
    uint32_t type;
    int32_t ifindex;
    uint32_t prefix;
    uint32_t pad;
    uint64_t until_ms;
    struct net_addr addr;
};

static int host_fd = -1;
static pthread_mutex_t host_mu = PTHREAD_MUTEX_INITIALIZER;

static uint64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

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
    struct held held[MAX_HELD];
    size_t n;
    bool dropped;      /* the held addresses were removed for want of a lease */
    uint64_t until;
    uint64_t next_renew;
    uint64_t next_enforce;
};

/*
 * The lease is out: every held address goes, and goes again each ENFORCE_MS (an online that was
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

static void handle(struct host *h, const struct rhs_msg *m)
{
    ssize_t i = held_index(h, m);

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

/* Until clussvc's first lease arrives, an address held is given this long. */
#define FIRST_LEASE_GRACE_MS 1000

static void host_main(int fd)
{
    struct host h = {.fd = fd, .until = now_ms() + FIRST_LEASE_GRACE_MS};
    bool parent_gone = false;

    prctl(PR_SET_NAME, "clussvc-rhs");
    signal(SIGINT, SIG_IGN); /* stops with clussvc's shutdown, not with a terminal's Ctrl-C */
    for (;;) {
        uint64_t now = now_ms();
        int timeout = RENEW_MS;
        struct pollfd pfd = {.fd = fd, .events = POLLIN};

        /* clussvc gone: nothing vouches for the addresses any more, and a restarted clussvc
         * starts them afresh (re-adopting them would race this host's own removal). */
        if (parent_gone && h.n > 0 && !h.dropped)
            h.until = now;
        if (h.n > 0 && now >= h.until)
            drop_all(&h, now, parent_gone ? "clussvc is gone" : "the quorum lease ran out");
        else if (h.n > 0 && !h.dropped)
            renew(&h, now);
        if (parent_gone && (h.n == 0 || h.dropped))
            _exit(0);
        if (h.n > 0 && now >= h.until)
            timeout = ENFORCE_MS;
        else if (h.n > 0 && h.until - now < (uint64_t)timeout)
            timeout = (int)(h.until - now) + 1;
        if (parent_gone) {
            poll(NULL, 0, timeout);
            continue;
        }
        if (poll(&pfd, 1, timeout) > 0) {
            struct rhs_msg m;
            ssize_t k = recv(fd, &m, sizeof(m), 0);

            if (k == (ssize_t)sizeof(m))
                handle(&h, &m);
            else if (k == 0 || (k < 0 && errno != EINTR)) {
                parent_gone = true;
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
