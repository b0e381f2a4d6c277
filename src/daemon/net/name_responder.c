/*
 * name_responder — the published-name registry and the LLMNR responder on the event loop.
 *
 * Why uv_poll and not uv_udp: the receive rules need the TTL and the destination address of each
 * query (IP_RECVTTL, IP_PKTINFO and their IPv6 twins), which come as control messages that
 * uv_udp does not hand over. So the sockets are ours, libuv only says when they are readable, and
 * recvmsg/sendto run non-blocking on the loop thread.
 */
#include "daemon/net/name_responder.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>

#include "channel/resolve.h"
#include "common/llmnr.h"
#include "common/names.h"
#include "daemon/base/log.h"

#ifndef IPV6_MULTICAST_ALL
#define IPV6_MULTICAST_ALL 29 /* Linux 4.20; older glibc headers lack it */
#endif

#define RESCAN_MS 5000    /* how often interfaces are looked at again for groups to join */
#define RECV_BATCH 16     /* queries handled per wake-up, so a flood cannot hold the loop */
#define QUERY_MAX 1500    /* a longer query is dropped; ours are under 300 bytes */
#define RESPONSE_MAX 1024 /* 12 + 255 + 4 + NAME_ADDRS_MAX * 28 fits */

/* ------------------------------------------------------------------------------------------ */
/* the registry */

struct published {
    struct published *next;
    char name[LLMNR_NAME_MAX + 1];
    size_t n;
    struct net_addr addrs[NAME_ADDRS_MAX];
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct published *registry;
static unsigned responders; /* started and not stopped */

/* The entry for name, or NULL. Caller holds registry_lock. */
static struct published **find_locked(const char *name)
{
    struct published **p = &registry;

    while (*p && !name_equal((*p)->name, name))
        p = &(*p)->next;
    return *p ? p : NULL;
}

int name_publish(const char *name, const struct net_addr *addrs, size_t n)
{
    struct published *e, **old;

    if (llmnr_name_check(name) < 0 || (n && !addrs))
        return -EINVAL;
    if (n > NAME_ADDRS_MAX)
        return -E2BIG;
    for (size_t i = 0; i < n; i++)
        if (addrs[i].family != AF_INET && addrs[i].family != AF_INET6)
            return -EAFNOSUPPORT;
    e = calloc(1, sizeof(*e));
    if (!e)
        return -ENOMEM;
    strcpy(e->name, name);
    if (n)
        memcpy(e->addrs, addrs, n * sizeof(*addrs));
    e->n = n;
    pthread_mutex_lock(&registry_lock);
    old = find_locked(name);
    if (old) {
        struct published *gone = *old;

        e->next = gone->next;
        *old = e;
        free(gone);
    } else {
        e->next = registry;
        registry = e;
    }
    pthread_mutex_unlock(&registry_lock);
    return 0;
}

void name_unpublish(const char *name)
{
    struct published *gone = NULL, **p;

    if (!name)
        return;
    pthread_mutex_lock(&registry_lock);
    p = find_locked(name);
    if (p) {
        gone = *p;
        *p = gone->next;
    }
    pthread_mutex_unlock(&registry_lock);
    free(gone);
}

int name_lookup(const char *name, struct net_addr *ret, size_t cap, size_t *ret_n)
{
    struct published **p;
    size_t n = 0;

    if (!name)
        return -ENOENT;
    pthread_mutex_lock(&registry_lock);
    p = find_locked(name);
    if (p) {
        n = (*p)->n < cap ? (*p)->n : cap;
        if (n)
            memcpy(ret, (*p)->addrs, n * sizeof(*ret));
    }
    pthread_mutex_unlock(&registry_lock);
    if (!p)
        return -ENOENT;
    if (ret_n)
        *ret_n = n;
    return 0;
}

bool name_responder_running(void)
{
    bool running;

    pthread_mutex_lock(&registry_lock);
    running = responders > 0;
    pthread_mutex_unlock(&registry_lock);
    return running;
}

/* ------------------------------------------------------------------------------------------ */
/* sockets and groups */

struct name_responder {
    uv_loop_t *loop;
    int fd4, fd6; /* fd6 is -1 without IPv6 */
    uv_poll_t poll4, poll6;
    uv_timer_t rescan;
    int open_handles; /* the memory goes when the last one's close callback runs */
    bool counted;     /* counted in responders */
};

struct sockopt {
    int level, name, value;
};

/* Opens a UDP socket of family, sets opts in order and binds it to addr; the fd or -errno. */
static int socket_open(int family, const struct sockopt *opts, size_t n_opts,
                       const struct sockaddr *addr, socklen_t addr_len)
{
    int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), rv = 0;

    if (fd < 0)
        return -errno;
    for (size_t i = 0; i < n_opts && rv == 0; i++)
        if (setsockopt(fd, opts[i].level, opts[i].name, &opts[i].value, sizeof(int)) < 0)
            rv = -errno;
    if (rv == 0 && bind(fd, addr, addr_len) < 0)
        rv = -errno;
    if (rv < 0) {
        close(fd);
        return rv;
    }
    return fd;
}

/*
 * SO_REUSEADDR lets us share the port with another responder on the host (systemd-resolved sets
 * it too); each then sees every multicast query and answers only for its own names. Responses
 * leave with TTL 255, as RFC 4795 §2.5 recommends.
 */
static int socket4_open(void)
{
    static const struct sockopt opts[] = {
        {SOL_SOCKET, SO_REUSEADDR, 1},
        {IPPROTO_IP, IP_PKTINFO, 1},
        {IPPROTO_IP, IP_RECVTTL, 1},
        {IPPROTO_IP, IP_TTL, 255},
        {IPPROTO_IP, IP_MULTICAST_ALL, 0}, /* only the groups this socket joined */
    };
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(LLMNR_PORT)};

    return socket_open(AF_INET, opts, sizeof(opts) / sizeof(opts[0]), (struct sockaddr *)&sin,
                       sizeof(sin));
}

static int socket6_open(void)
{
    static const struct sockopt opts[] = {
        {IPPROTO_IPV6, IPV6_V6ONLY, 1},
        {SOL_SOCKET, SO_REUSEADDR, 1},
        {IPPROTO_IPV6, IPV6_RECVPKTINFO, 1},
        {IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1},
        {IPPROTO_IPV6, IPV6_UNICAST_HOPS, 255},
    };
    struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6, .sin6_port = htons(LLMNR_PORT)};

    return socket_open(AF_INET6, opts, sizeof(opts) / sizeof(opts[0]),
                       (struct sockaddr *)&sin6, sizeof(sin6));
}

/* Joins the group on ifindex. 1 if newly joined, 0 if it already was, or a negative errno. */
static int group_join(int fd, int family, unsigned ifindex)
{
    int rv;

    if (family == AF_INET) {
        struct ip_mreqn m = {.imr_ifindex = (int)ifindex};

        inet_pton(AF_INET, LLMNR_GROUP4, &m.imr_multiaddr);
        rv = setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof(m));
    } else {
        struct ipv6_mreq m = {.ipv6mr_interface = ifindex};

        inet_pton(AF_INET6, LLMNR_GROUP6, &m.ipv6mr_multiaddr);
        rv = setsockopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &m, sizeof(m));
    }
    if (rv == 0)
        return 1;
    return errno == EADDRINUSE ? 0 : -errno;
}

/*
 * Joins 224.0.0.252 on every interface with an IPv4 address and ff02::1:3 on every multicast,
 * non-loopback one with an IPv6 address. Per interface, because a join with INADDR_ANY picks one
 * interface by route, and the lab's namespaces have no default route.
 */
static void groups_join(struct name_responder *r)
{
    struct ifaddrs *list, *i;

    if (getifaddrs(&list) < 0) {
        LOGW("llmnr", "cannot list interfaces: %s", strerror(errno));
        return;
    }
    for (i = list; i; i = i->ifa_next) {
        int family = i->ifa_addr ? i->ifa_addr->sa_family : AF_UNSPEC;
        int fd = family == AF_INET ? r->fd4 : family == AF_INET6 ? r->fd6 : -1;
        unsigned ifindex;
        int rv;

        if (fd < 0
            || (family == AF_INET6
                && (!(i->ifa_flags & IFF_MULTICAST) || (i->ifa_flags & IFF_LOOPBACK))))
            continue;
        ifindex = llmnr_entry_ifindex(i->ifa_name);
        if (ifindex == 0)
            continue;
        rv = group_join(fd, family, ifindex);
        if (rv > 0)
            LOGI("llmnr", "answering on %s (%s)", i->ifa_name,
                 family == AF_INET ? LLMNR_GROUP4 : LLMNR_GROUP6);
        else if (rv < 0)
            LOGD("llmnr", "cannot join the LLMNR group on %s: %s", i->ifa_name, strerror(-rv));
    }
    freeifaddrs(list);
}

/* ------------------------------------------------------------------------------------------ */
/* answering */

struct arrival {
    int ttl;           /* IPv4 TTL or IPv6 hop limit; -1 if the kernel did not say */
    bool to_multicast; /* the destination was a multicast address */
    bool to_group;     /* ... and it was LLMNR's group */
};

static void arrival_read(struct msghdr *msg, struct arrival *a)
{
    struct in_addr g4;
    struct in6_addr g6;

    inet_pton(AF_INET, LLMNR_GROUP4, &g4);
    inet_pton(AF_INET6, LLMNR_GROUP6, &g6);
    *a = (struct arrival){.ttl = -1};
    for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
        if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL)
            || (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT)) {
            memcpy(&a->ttl, CMSG_DATA(c), sizeof(a->ttl));
        } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
            struct in_pktinfo pi;

            memcpy(&pi, CMSG_DATA(c), sizeof(pi));
            a->to_multicast = IN_MULTICAST(ntohl(pi.ipi_addr.s_addr));
            a->to_group = pi.ipi_addr.s_addr == g4.s_addr;
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
            struct in6_pktinfo pi;

            memcpy(&pi, CMSG_DATA(c), sizeof(pi));
            a->to_multicast = IN6_IS_ADDR_MULTICAST(&pi.ipi6_addr);
            a->to_group = IN6_ARE_ADDR_EQUAL(&pi.ipi6_addr, &g6);
        }
    }
}

static bool arrival_ok(const struct arrival *a)
{
    if (a->ttl != 1 && a->ttl != 255)
        return false;
    return !a->to_multicast || a->to_group;
}

/* Answers one query if it asks for a published name; silence otherwise (RFC 4795 §2.3). */
static void answer(int fd, const uint8_t *pkt, size_t len, const struct sockaddr *to,
                   socklen_t tolen)
{
    struct net_addr addrs[NAME_ADDRS_MAX];
    struct llmnr_query q;
    uint8_t out[RESPONSE_MAX];
    size_t n, out_len;

    if (llmnr_parse_query(pkt, len, &q) < 0)
        return;
    if (name_lookup(q.name, addrs, NAME_ADDRS_MAX, &n) < 0)
        return;
    out_len = llmnr_build_response(&q, addrs, n, LLMNR_TTL_DEFAULT, out, sizeof(out));
    if (out_len == 0)
        return;
    if (sendto(fd, out, out_len, MSG_DONTWAIT, to, tolen) < 0)
        LOGD("llmnr", "cannot answer a query for %s: %s", q.name, strerror(errno));
    else
        LOGD("llmnr", "answered a query for %s (type %u)", q.name, q.qtype);
}

/* Reads one datagram and answers it if the receive rules allow. 0, or -errno (-EAGAIN: none). */
static int receive_one(int fd)
{
    union {
        char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int)) + 64];
        struct cmsghdr align;
    } ctl;
    uint8_t pkt[QUERY_MAX];
    struct sockaddr_storage from;
    struct iovec iov = {.iov_base = pkt, .iov_len = sizeof(pkt)};
    struct msghdr msg = {.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
                         .msg_iovlen = 1, .msg_control = ctl.buf,
                         .msg_controllen = sizeof(ctl.buf)};
    struct arrival a;
    ssize_t len = recvmsg(fd, &msg, MSG_DONTWAIT);

    if (len < 0)
        return -errno;
    if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC))
        return 0;
    arrival_read(&msg, &a);
    if (arrival_ok(&a))
        answer(fd, pkt, (size_t)len, (struct sockaddr *)&from, msg.msg_namelen);
    return 0;
}

static void on_readable(uv_poll_t *p, int status, int events)
{
    struct name_responder *r = p->data;
    int fd = p == &r->poll4 ? r->fd4 : r->fd6;

    if (status < 0) {
        LOGW("llmnr", "socket error: %s", uv_strerror(status));
        return;
    }
    for (int i = 0; i < RECV_BATCH; i++)
        if (receive_one(fd) == -EAGAIN)
            break;
}

static void on_rescan(uv_timer_t *t)
{
    groups_join(t->data);
}

/* ------------------------------------------------------------------------------------------ */
/* life cycle */

static void release(struct name_responder *r)
{
    close(r->fd4);
    if (r->fd6 >= 0)
        close(r->fd6);
    free(r);
}

static void on_closed(uv_handle_t *h)
{
    struct name_responder *r = h->data;

    if (--r->open_handles == 0)
        release(r);
}

/* Starts polling fd with handle p; on failure p is closed or was never opened. */
static int poll_start(struct name_responder *r, uv_poll_t *p, int fd)
{
    int rv = uv_poll_init(r->loop, p, fd);

    if (rv < 0)
        return rv; /* libuv's codes are negative errnos on Linux */
    p->data = r;
    r->open_handles++;
    rv = uv_poll_start(p, UV_READABLE, on_readable);
    if (rv < 0)
        uv_close((uv_handle_t *)p, on_closed);
    return rv;
}

int name_responder_start(uv_loop_t *loop, struct name_responder **ret)
{
    struct name_responder *r = calloc(1, sizeof(*r));
    int rv;

    if (!r)
        return -ENOMEM;
    r->loop = loop;
    r->fd4 = socket4_open();
    if (r->fd4 < 0) {
        rv = r->fd4;
        free(r);
        return rv;
    }
    r->fd6 = socket6_open();
    if (r->fd6 < 0)
        LOGW("llmnr", "no LLMNR over IPv6: %s", strerror(-r->fd6));
    groups_join(r);
    rv = poll_start(r, &r->poll4, r->fd4);
    if (rv == 0 && r->fd6 >= 0)
        rv = poll_start(r, &r->poll6, r->fd6);
    if (rv < 0) {
        name_responder_stop(r);
        return rv;
    }
    uv_timer_init(loop, &r->rescan);
    r->rescan.data = r;
    r->open_handles++;
    uv_timer_start(&r->rescan, on_rescan, RESCAN_MS, RESCAN_MS);
    r->counted = true;
    pthread_mutex_lock(&registry_lock);
    responders++;
    pthread_mutex_unlock(&registry_lock);
    LOGI("llmnr", "LLMNR responder on UDP port %d (IPv4%s)", LLMNR_PORT,
         r->fd6 >= 0 ? " and IPv6" : "");
    *ret = r;
    return 0;
}

void name_responder_stop(struct name_responder *r)
{
    uv_handle_t *handles[3];

    if (!r)
        return;
    if (r->counted) {
        pthread_mutex_lock(&registry_lock);
        responders--;
        pthread_mutex_unlock(&registry_lock);
        r->counted = false;
    }
    handles[0] = (uv_handle_t *)&r->poll4;
    handles[1] = (uv_handle_t *)&r->poll6;
    handles[2] = (uv_handle_t *)&r->rescan;
    /* a handle that was never opened has no loop (calloc'd) */
    for (size_t i = 0; i < 3; i++)
        if (handles[i]->loop && !uv_is_closing(handles[i]))
            uv_close(handles[i], on_closed);
    if (r->open_handles == 0)
        release(r);
}
