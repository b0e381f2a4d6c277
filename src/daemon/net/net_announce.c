/*
 * net_announce — gratuitous ARP and unsolicited NA senders.
 */
#include "daemon/net/net_announce.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "common/packet.h"
#include "daemon/net/net_addr.h"

static const uint8_t ip6_all_nodes[16] = {0xff, 0x02, [15] = 0x01};

/*
 * Why a gap at all: a burst of back-to-back frames is lost as a whole when the switch port is
 * still learning or a queue overflows; a few tens of milliseconds apart they fail independently.
 */
static void gap(void)
{
    struct timespec ts = {0, NET_ANNOUNCE_GAP_MS * 1000000L};

    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

static int send_all(int fd, const void *msg, size_t len, const struct sockaddr *to,
                    socklen_t to_len, unsigned count)
{
    for (unsigned i = 0; i < count; i++) {
        if (i > 0)
            gap();
        if (sendto(fd, msg, len, 0, to, to_len) < 0)
            return -errno;
    }
    return 0;
}

static int announce_ipv4(int ifindex, const struct net_addr *a, unsigned count)
{
    uint8_t mac[6], frame[PACKET_ARP_FRAME_LEN];
    struct sockaddr_ll to = {
        .sll_family = AF_PACKET,
        .sll_protocol = htons(ETH_P_ARP),
        .sll_ifindex = ifindex,
        .sll_halen = 6,
        .sll_addr = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
    };
    int fd, rv;

    rv = net_if_hwaddr(ifindex, mac);
    if (rv < 0)
        return rv;
    packet_arp_garp(frame, mac, a->bytes);
    /* protocol 0: the socket only sends, it never queues received frames */
    fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    rv = send_all(fd, frame, sizeof(frame), (const struct sockaddr *)&to, sizeof(to), count);
    close(fd);
    return rv;
}

/* A raw ICMPv6 socket bound to a on ifindex, sending multicast with hop limit 255 (RFC 4861). */
static int icmp6_socket(int ifindex, const struct net_addr *a)
{
    struct sockaddr_in6 src = {.sin6_family = AF_INET6, .sin6_scope_id = (uint32_t)ifindex};
    int hops = 255, off = 0, fd;

    fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
    if (fd < 0)
        return -errno;
    memcpy(&src.sin6_addr, a->bytes, 16);
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0
        || setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops)) < 0
        || setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex)) < 0
        || setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &off, sizeof(off)) < 0
        || bind(fd, (const struct sockaddr *)&src, sizeof(src)) < 0) {
        int err = -errno;

        close(fd);
        return err;
    }
    return fd;
}

static int announce_ipv6(int ifindex, const struct net_addr *a, unsigned count)
{
    uint8_t mac[6], msg[PACKET_NA_LEN];
    struct sockaddr_in6 to = {.sin6_family = AF_INET6, .sin6_scope_id = (uint32_t)ifindex};
    int fd, rv;

    rv = net_if_hwaddr(ifindex, mac);
    if (rv < 0)
        return rv;
    memcpy(&to.sin6_addr, ip6_all_nodes, 16);
    /* the kernel fills in the checksum of raw ICMPv6 itself; ours is the same, as src is a */
    packet_icmp6_na(msg, a->bytes, a->bytes, mac);
    fd = icmp6_socket(ifindex, a);
    if (fd < 0)
        return fd;
    rv = send_all(fd, msg, sizeof(msg), (const struct sockaddr *)&to, sizeof(to), count);
    close(fd);
    return rv;
}

int net_announce(int ifindex, const struct net_addr *a, unsigned count)
{
    if (ifindex <= 0)
        return -EINVAL;
    switch (a->family) {
    case AF_INET:
        return announce_ipv4(ifindex, a, count);
    case AF_INET6:
        return announce_ipv6(ifindex, a, count);
    default:
        return -EAFNOSUPPORT;
    }
}
