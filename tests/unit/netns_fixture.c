/* netns_fixture — see netns_fixture.h. */
#include "netns_fixture.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>

int nl_exchange(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
    static char buf[32768];
    struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
    unsigned seq = 4242, portid;
    ssize_t n;
    int rv;

    if (!nl)
        return -errno;
    if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
        mnl_socket_close(nl);
        return -EIO;
    }
    portid = mnl_socket_get_portid(nl);
    nlh->nlmsg_seq = seq;
    rv = (int)mnl_socket_sendto(nl, nlh, nlh->nlmsg_len);
    while (rv >= 0) {
        n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
        rv = n < 0 ? -1 : mnl_cb_run(buf, (size_t)n, seq, portid, cb, data);
        if (rv <= 0)
            break;
    }
    rv = rv < 0 ? -errno : 0;
    mnl_socket_close(nl);
    return rv;
}

static struct nlmsghdr *link_msg(char *buf, uint16_t flags, int ifindex, unsigned change,
                                 unsigned set)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    struct ifinfomsg *ifi;

    nlh->nlmsg_type = RTM_NEWLINK;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
    ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
    ifi->ifi_family = AF_UNSPEC;
    ifi->ifi_index = ifindex;
    ifi->ifi_change = change;
    ifi->ifi_flags = set;
    return nlh;
}

int veth_create(const char *name, const char *peer, pid_t peer_pid)
{
    /* zeroed: this libmnl leaves the padding after odd-length strings uninitialised */
    char buf[REQ_SIZE] = {0};
    struct nlmsghdr *nlh = link_msg(buf, NLM_F_CREATE | NLM_F_EXCL, 0, 0, 0);
    struct nlattr *info, *data, *peer_nest;

    mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
    mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
    data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
    peer_nest = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
    mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
    mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
    mnl_attr_put_u32(nlh, IFLA_NET_NS_PID, (uint32_t)peer_pid);
    mnl_attr_nest_end(nlh, peer_nest);
    mnl_attr_nest_end(nlh, data);
    mnl_attr_nest_end(nlh, info);
    return nl_exchange(nlh, NULL, NULL);
}

int link_set_up(int ifindex, int up)
{
    char buf[REQ_SIZE] = {0};

    return nl_exchange(link_msg(buf, 0, ifindex, IFF_UP, up ? IFF_UP : 0), NULL, NULL);
}

struct net_addr ipa(const char *s)
{
    struct net_addr a;

    if (addr_parse(s, &a) < 0) {
        fprintf(stderr, "bad test address %s\n", s);
        abort();
    }
    return a;
}

int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
