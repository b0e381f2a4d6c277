/*
 * resolve — the LLMNR sender: one query out on every interface, the first valid answer back.
 */
#include "channel/resolve.h"

#include <errno.h>
#include <ifaddrs.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>

#include "common/llmnr.h"

#define RETRY_MS 1000     /* LLMNR_TIMEOUT, RFC 4795 §7 */
#define SENDS_MAX 3
#define IFS_MAX 64
#define ANSWERS_MAX 64
#define RESPONSE_MAX 9194 /* RFC 4795 §2.1: accept responses this large */

struct exchange {
    int fd;
    const char *name;
    int family;
    uint16_t id;
    uint8_t query[LLMNR_HEADER_SIZE + LLMNR_LABEL_MAX + 2 + 4];
    size_t query_len;
    unsigned ifs[IFS_MAX];
    size_t n_ifs;
};

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A query ID nobody can guess, so an off-path sender cannot forge the answer easily. */
static uint16_t random_id(void)
{
    uint16_t id;

    if (getrandom(&id, sizeof(id), GRND_NONBLOCK) != (ssize_t)sizeof(id))
        id = (uint16_t)(now_ms() ^ (getpid() << 4));
    return id;
}

unsigned llmnr_entry_ifindex(const char *label)
{
    char name[IF_NAMESIZE];
    size_t len = strcspn(label, ":");

    if (len >= sizeof(name))
        return 0;
    memcpy(name, label, len);
    name[len] = '\0';
    return if_nametoindex(name);
}

/* The up, non-loopback interfaces with an IPv4 address, each once. */
static int interfaces_list(struct exchange *x)
{
    struct ifaddrs *list, *i;

    if (getifaddrs(&list) < 0)
        return -errno;
    x->n_ifs = 0;
    for (i = list; i && x->n_ifs < IFS_MAX; i = i->ifa_next) {
        unsigned ifindex;
        bool seen = false;

        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || !(i->ifa_flags & IFF_UP)
            || (i->ifa_flags & IFF_LOOPBACK))
            continue;
        ifindex = llmnr_entry_ifindex(i->ifa_name);
        for (size_t k = 0; k < x->n_ifs; k++)
            seen = seen || x->ifs[k] == ifindex;
        if (ifindex && !seen)
            x->ifs[x->n_ifs++] = ifindex;
    }
    freeifaddrs(list);
    return 0;
}

/* Sends the query on every interface. 0 if at least one send worked, else the last error. */
static int send_all(const struct exchange *x)
{
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(LLMNR_PORT)};
    int sent = 0, err = -ENETUNREACH;

    inet_pton(AF_INET, LLMNR_GROUP4, &to.sin_addr);
    for (size_t i = 0; i < x->n_ifs; i++) {
        struct ip_mreqn m = {.imr_ifindex = (int)x->ifs[i]};

        if (setsockopt(x->fd, IPPROTO_IP, IP_MULTICAST_IF, &m, sizeof(m)) < 0
            || sendto(x->fd, x->query, x->query_len, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
            err = -errno;
            continue;
        }
        sent++;
    }
    return sent ? 0 : err;
}

/*
 * Reads what has arrived. The first valid response ends the exchange: 0 with its addresses of
 * the family (at most cap), or -ENOENT if it has none. -EAGAIN while there is none yet.
 */
static int receive(const struct exchange *x, struct net_addr *ret, size_t cap, size_t *ret_n)
{
    uint8_t pkt[RESPONSE_MAX];
    struct net_addr got[ANSWERS_MAX];

    for (;;) {
        ssize_t len = recv(x->fd, pkt, sizeof(pkt), MSG_DONTWAIT);
        size_t n, k = 0;

        if (len < 0)
            return -EAGAIN; /* nothing more now; errors are transient for a sender */
        if (llmnr_parse_response(pkt, (size_t)len, x->id, x->name, got, ANSWERS_MAX, &n) < 0)
            continue;
        for (size_t i = 0; i < n && k < cap; i++)
            if (x->family == AF_UNSPEC || got[i].family == x->family)
                ret[k++] = got[i];
        if (k == 0)
            return -ENOENT;
        *ret_n = k;
        return 0;
    }
}

static int exchange_run(const struct exchange *x, unsigned timeout_ms, struct net_addr *ret,
                        size_t cap, size_t *ret_n)
{
    int64_t deadline = now_ms() + timeout_ms, next_send = 0;
    int sends = 0, rv;

    for (;;) {
        int64_t now = now_ms(), wake = deadline;
        struct pollfd pfd = {.fd = x->fd, .events = POLLIN};

        if (sends < SENDS_MAX && now >= next_send) {
            rv = send_all(x);
            if (rv < 0 && sends == 0)
                return rv; /* a later send failing only loses a retry */
            sends++;
            next_send = now + RETRY_MS;
        }
        if (now >= deadline)
            return -ENOENT;
        if (sends < SENDS_MAX && next_send < deadline)
            wake = next_send;
        if (wake - now > INT_MAX)
            wake = now + INT_MAX;
        if (poll(&pfd, 1, (int)(wake - now)) > 0) {
            rv = receive(x, ret, cap, ret_n);
            if (rv != -EAGAIN)
                return rv;
        }
    }
}

static uint16_t qtype_for(int family)
{
    switch (family) {
    case AF_INET: return LLMNR_TYPE_A;
    case AF_INET6: return LLMNR_TYPE_AAAA;
    case AF_UNSPEC: return LLMNR_TYPE_ANY;
    default: return 0;
    }
}

int llmnr_resolve(const char *name, int family, unsigned timeout_ms, struct net_addr *ret,
                  size_t cap, size_t *ret_n)
{
    struct exchange x = {.name = name, .family = family};
    struct net_addr got[ANSWERS_MAX];
    size_t n = 0;
    int rv;

    if (!name || strchr(name, '.') || llmnr_name_check(name) < 0 || !ret || !ret_n || cap == 0)
        return -EINVAL;
    if (qtype_for(family) == 0)
        return -EAFNOSUPPORT;
    x.id = random_id();
    x.query_len = llmnr_build_query(x.id, name, qtype_for(family), x.query, sizeof(x.query));
    rv = interfaces_list(&x);
    if (rv < 0)
        return rv;
    if (x.n_ifs == 0)
        return -ENETUNREACH;
    x.fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (x.fd < 0)
        return -errno;
    rv = setsockopt(x.fd, IPPROTO_IP, IP_MULTICAST_TTL, &(int){1}, sizeof(int)) < 0 ? -errno : 0;
    if (rv == 0)
        rv = exchange_run(&x, timeout_ms, got, cap < ANSWERS_MAX ? cap : ANSWERS_MAX, &n);
    close(x.fd);
    if (rv < 0)
        return rv;
    memcpy(ret, got, n * sizeof(*ret));
    *ret_n = n;
    return 0;
}
