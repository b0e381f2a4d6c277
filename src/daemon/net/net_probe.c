/*
 * net_probe — ARP probes and DAD-style neighbour solicitations, sent and listened for on one
 * AF_PACKET socket bound to the interface.
 */
#include "daemon/net/net_probe.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>

#include "common/packet.h"
#include "daemon/net/net_addr.h"

#define PROBE_RECV_SIZE 2048 /* an ARP frame or an NA fits many times over */

struct probe {
    const struct net_addr *a;
    int fd;
    int ifindex;
    uint8_t mac[6];
    uint8_t frame[PACKET_NS_DAD_FRAME_LEN]; /* the larger of the two probe frames */
    size_t frame_len;
    uint16_t ethertype;
};

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Builds the probe frame for a's family. */
static int probe_prepare(struct probe *p)
{
    int rv = net_if_hwaddr(p->ifindex, p->mac);

    if (rv < 0)
        return rv;
    if (p->a->family == AF_INET) {
        p->frame_len = packet_arp_probe(p->frame, p->mac, p->a->bytes);
        p->ethertype = PACKET_ETHERTYPE_ARP;
    } else if (p->a->family == AF_INET6) {
        p->frame_len = packet_ns_dad_frame(p->frame, p->mac, p->a->bytes);
        p->ethertype = PACKET_ETHERTYPE_IPV6;
    } else {
        return -EAFNOSUPPORT;
    }
    return 0;
}

/* Opens the socket; created with protocol 0 so nothing is queued before bind picks the link. */
static int probe_open(struct probe *p)
{
    struct sockaddr_ll sll = {
        .sll_family = AF_PACKET,
        .sll_protocol = htons(p->ethertype),
        .sll_ifindex = p->ifindex,
    };

    p->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (p->fd < 0)
        return -errno;
    if (bind(p->fd, (const struct sockaddr *)&sll, sizeof(sll)) < 0) {
        int err = -errno;

        close(p->fd);
        return err;
    }
    return 0;
}

static int probe_send(const struct probe *p)
{
    struct sockaddr_ll to = {
        .sll_family = AF_PACKET,
        .sll_protocol = htons(p->ethertype),
        .sll_ifindex = p->ifindex,
        .sll_halen = 6,
    };

    memcpy(to.sll_addr, p->frame, 6); /* the frame's own destination */
    if (sendto(p->fd, p->frame, p->frame_len, 0, (const struct sockaddr *)&to, sizeof(to)) < 0)
        return -errno;
    return 0;
}

/* Does this received frame say another host holds the address? */
static bool is_answer(const struct probe *p, const uint8_t *f, size_t len)
{
    if (p->a->family == AF_INET) {
        struct packet_arp arp;

        return packet_arp_parse(f, len, &arp) == 0 && memcmp(arp.spa, p->a->bytes, 4) == 0
               && memcmp(arp.sha, p->mac, 6) != 0;
    } else {
        struct packet_na na;
        uint8_t src_mac[6];

        return packet_na_frame_parse(f, len, &na, src_mac) == 0
               && memcmp(na.target, p->a->bytes, 16) == 0 && memcmp(src_mac, p->mac, 6) != 0
               && !(na.has_lladdr && memcmp(na.lladdr, p->mac, 6) == 0);
    }
}

/* Reads every queued frame: 1 if one is an answer, 0 when the queue is empty, or -errno. */
static int probe_drain(const struct probe *p)
{
    uint8_t buf[PROBE_RECV_SIZE];

    for (;;) {
        struct sockaddr_ll from = {0};
        socklen_t from_len = sizeof(from);
        ssize_t n = recvfrom(p->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &from_len);

        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : errno == EINTR ? 0 : -errno;
        if (from.sll_pkttype == PACKET_OUTGOING)
            continue;
        if (is_answer(p, buf, (size_t)n))
            return 1;
    }
}

/* Sends the probe now and again at half time, listening until the deadline. */
static int probe_run(struct probe *p, unsigned timeout_ms)
{
    int64_t start = now_ms(), deadline = start + timeout_ms, resend = start + timeout_ms / 2;
    bool resent = false;
    int rv = probe_send(p);

    while (rv == 0) {
        struct pollfd pfd = {.fd = p->fd, .events = POLLIN};
        int64_t now = now_ms(), until = resent ? deadline : resend;

        if (now >= deadline)
            return 0;
        if (!resent && now >= resend) {
            resent = true;
            rv = probe_send(p);
            continue;
        }
        if (poll(&pfd, 1, (int)(until - now)) < 0 && errno != EINTR)
            return -errno;
        rv = probe_drain(p);
    }
    return rv;
}

int net_probe_in_use(int ifindex, const struct net_addr *a, unsigned timeout_ms)
{
    struct probe p = {.a = a, .fd = -1, .ifindex = ifindex};
    int rv;

    if (ifindex <= 0)
        return -EINVAL;
    rv = probe_prepare(&p);
    if (rv < 0)
        return rv;
    rv = probe_open(&p);
    if (rv < 0)
        return rv;
    rv = probe_run(&p, timeout_ms);
    close(p.fd);
    return rv;
}
