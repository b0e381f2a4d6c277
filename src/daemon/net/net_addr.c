/*
 * net_addr — rtnetlink requests for addresses and links.
 */
#include "daemon/net/net_addr.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

/* Large enough for one dump datagram of a busy host (libmnl's MNL_SOCKET_DUMP_SIZE). */
#define NL_BUFFER_SIZE 32768
/* Our requests are a header and a few attributes; a constant, unlike MNL_SOCKET_BUFFER_SIZE,
 * which is a sysconf() call and would make every request buffer a VLA. Zeroed before use. */
#define NL_REQUEST_SIZE 512

/* One address as a RTM_GETADDR dump reports it. */
struct ifaddr_entry {
    int ifindex;
    struct net_addr addr;
    uint32_t prefix;
};

typedef int (*ifaddr_visit_fn)(const struct ifaddr_entry *e, void *data);

/* ------------------------------------------------------------------------------------------ */
/* netlink plumbing */

/*
 * Sends the request in nlh on a fresh socket and feeds every answer to cb until the kernel says
 * done (end of dump, or the ACK). Returns 0 or the kernel's negative errno.
 */
static int nl_talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
    struct mnl_socket *nl;
    unsigned portid, seq = (unsigned)time(NULL);
    char *buf;
    int rv;

    buf = malloc(NL_BUFFER_SIZE);
    if (!buf)
        return -ENOMEM;
    nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
    if (!nl) {
        rv = -errno;
        goto out_free;
    }
    if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
        rv = -errno;
        goto out_close;
    }
    portid = mnl_socket_get_portid(nl);
    nlh->nlmsg_seq = seq;
    if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
        rv = -errno;
        goto out_close;
    }
    do {
        ssize_t n = mnl_socket_recvfrom(nl, buf, NL_BUFFER_SIZE);

        if (n < 0 && errno == EINTR) {
            rv = MNL_CB_OK;
            continue;
        }
        rv = n < 0 ? -1 : mnl_cb_run(buf, (size_t)n, seq, portid, cb, data);
    } while (rv > 0);
    rv = rv < 0 ? (errno ? -errno : -EIO) : 0;
out_close:
    mnl_socket_close(nl);
out_free:
    free(buf);
    return rv;
}

static int addr_len(const struct net_addr *a)
{
    switch (a->family) {
    case AF_INET:
        return 4;
    case AF_INET6:
        return 16;
    default:
        return -EAFNOSUPPORT;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* address dumps */

struct dump_ctx {
    ifaddr_visit_fn visit;
    void *data;
    int family;
};

static int addr_attr_cb(const struct nlattr *attr, void *data)
{
    const struct nlattr **tb = data;
    int type = mnl_attr_get_type(attr);

    if (mnl_attr_type_valid(attr, IFA_MAX) > 0)
        tb[type] = attr;
    return MNL_CB_OK;
}

static int addr_msg_cb(const struct nlmsghdr *nlh, void *data)
{
    const struct dump_ctx *ctx = data;
    const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
    const struct nlattr *tb[IFA_MAX + 1] = {0};
    const struct nlattr *at;
    struct ifaddr_entry e = {0};
    int len;

    if (nlh->nlmsg_type != RTM_NEWADDR || ifa->ifa_family != ctx->family)
        return MNL_CB_OK;
    mnl_attr_parse(nlh, sizeof(*ifa), addr_attr_cb, tb);
    /* IFA_LOCAL is the local end when IFA_ADDRESS names a point-to-point peer */
    at = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
    e.addr.family = ifa->ifa_family;
    len = addr_len(&e.addr);
    if (!at || len < 0 || mnl_attr_get_payload_len(at) != (uint16_t)len)
        return MNL_CB_OK;
    memcpy(e.addr.bytes, mnl_attr_get_payload(at), (size_t)len);
    e.ifindex = (int)ifa->ifa_index;
    e.prefix = ifa->ifa_prefixlen;
    return ctx->visit(&e, ctx->data) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

/* A dump that races with an address change ends with -EINTR (NLM_F_DUMP_INTR): start over. */
#define DUMP_TRIES 3

/* Calls visit for every local address of family. */
static int addr_dump(int family, ifaddr_visit_fn visit, void *data)
{
    char buf[NL_REQUEST_SIZE] = {0};
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    struct ifaddrmsg *ifa;
    struct dump_ctx ctx = {visit, data, family};

    nlh->nlmsg_type = RTM_GETADDR;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
    ifa->ifa_family = (uint8_t)family;
    return nl_talk(nlh, addr_msg_cb, &ctx);
}

struct find_ctx {
    const struct net_addr *a;
    uint32_t prefix;
    int ifindex;
    bool exact; /* the chosen interface's prefix equals the wanted one */
};

static int find_visit(const struct ifaddr_entry *e, void *data)
{
    struct find_ctx *f = data;
    bool exact = e->prefix == f->prefix;

    if (!addr_in_subnet(&e->addr, f->a, f->prefix))
        return 0;
    if (f->ifindex == 0 || (exact && !f->exact) || (exact == f->exact && e->ifindex < f->ifindex)) {
        f->ifindex = e->ifindex;
        f->exact = exact;
    }
    return 0;
}

int net_addr_find_ifindex(const struct net_addr *a, uint32_t prefix, int *ret_ifindex)
{
    struct find_ctx f;
    int rv, tries = 0;

    if (addr_len(a) < 0)
        return -EAFNOSUPPORT;
    if (prefix < 1 || prefix > addr_bits(a))
        return -EINVAL;
    do {
        f = (struct find_ctx){a, prefix, 0, false};
        rv = addr_dump(a->family, find_visit, &f);
    } while (rv == -EINTR && ++tries < DUMP_TRIES);
    if (rv < 0)
        return rv;
    if (f.ifindex == 0)
        return -ENETUNREACH;
    *ret_ifindex = f.ifindex;
    return 0;
}

struct present_ctx {
    const struct net_addr *a;
    int ifindex;
};

static int present_visit(const struct ifaddr_entry *e, void *data)
{
    struct present_ctx *p = data;

    if (p->ifindex == 0 && addr_cmp(&e->addr, p->a) == 0)
        p->ifindex = e->ifindex;
    return 0;
}

int net_addr_present(const struct net_addr *a, int *ret_ifindex)
{
    struct present_ctx p;
    int rv, tries = 0;

    if (addr_len(a) < 0)
        return -EAFNOSUPPORT;
    do {
        p = (struct present_ctx){a, 0};
        rv = addr_dump(a->family, present_visit, &p);
    } while (rv == -EINTR && ++tries < DUMP_TRIES);
    if (rv < 0)
        return rv;
    if (p.ifindex == 0)
        return 0;
    if (ret_ifindex)
        *ret_ifindex = p.ifindex;
    return 1;
}

/* ------------------------------------------------------------------------------------------ */
/* add and delete */

static struct nlmsghdr *addr_request(char *buf, uint16_t type, uint16_t flags, int ifindex,
                                     const struct net_addr *a, uint32_t prefix)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    struct ifaddrmsg *ifa;
    size_t len = (size_t)addr_len(a);

    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
    ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
    ifa->ifa_family = (uint8_t)a->family;
    ifa->ifa_prefixlen = (uint8_t)prefix;
    ifa->ifa_scope = RT_SCOPE_UNIVERSE;
    ifa->ifa_index = (uint32_t)ifindex;
    mnl_attr_put(nlh, IFA_LOCAL, len, a->bytes);
    mnl_attr_put(nlh, IFA_ADDRESS, len, a->bytes);
    return nlh;
}

static int check_args(int ifindex, const struct net_addr *a, uint32_t prefix)
{
    if (addr_len(a) < 0)
        return -EAFNOSUPPORT;
    if (ifindex <= 0 || prefix > addr_bits(a))
        return -EINVAL;
    return 0;
}

int net_addr_add(int ifindex, const struct net_addr *a, uint32_t prefix, uint32_t valid_lft_sec)
{
    char buf[NL_REQUEST_SIZE] = {0};
    struct nlmsghdr *nlh;
    int rv = check_args(ifindex, a, prefix);

    if (rv < 0)
        return rv;
    /* REPLACE without EXCL: an existing address gets the new lifetime instead of -EEXIST */
    nlh = addr_request(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, ifindex, a, prefix);
    if (a->family == AF_INET6) {
        struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);

        ifa->ifa_flags = IFA_F_NODAD;
    }
    if (valid_lft_sec != 0) {
        struct ifa_cacheinfo ci = {
            .ifa_prefered = valid_lft_sec,
            .ifa_valid = valid_lft_sec,
        };

        mnl_attr_put(nlh, IFA_CACHEINFO, sizeof(ci), &ci);
    }
    return nl_talk(nlh, NULL, NULL);
}

int net_addr_del(int ifindex, const struct net_addr *a, uint32_t prefix)
{
    char buf[NL_REQUEST_SIZE] = {0};
    int rv = check_args(ifindex, a, prefix);

    if (rv < 0)
        return rv;
    rv = nl_talk(addr_request(buf, RTM_DELADDR, 0, ifindex, a, prefix), NULL, NULL);
    return rv == -EADDRNOTAVAIL ? 0 : rv;
}

/* ------------------------------------------------------------------------------------------ */
/* links */

static int link_attr_cb(const struct nlattr *attr, void *data)
{
    const struct nlattr **tb = data;

    if (mnl_attr_type_valid(attr, IFLA_MAX) > 0)
        tb[mnl_attr_get_type(attr)] = attr;
    return MNL_CB_OK;
}

static int link_msg_cb(const struct nlmsghdr *nlh, void *data)
{
    struct net_if_info *info = data;
    const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
    const struct nlattr *tb[IFLA_MAX + 1] = {0};

    if (nlh->nlmsg_type != RTM_NEWLINK)
        return MNL_CB_OK;
    mnl_attr_parse(nlh, sizeof(*ifi), link_attr_cb, tb);
    if (tb[IFLA_IFNAME] && mnl_attr_validate(tb[IFLA_IFNAME], MNL_TYPE_STRING) == 0)
        snprintf(info->name, sizeof(info->name), "%s", mnl_attr_get_str(tb[IFLA_IFNAME]));
    info->up = (ifi->ifi_flags & IFF_UP) != 0;
    info->lower_up = (ifi->ifi_flags & IFF_LOWER_UP) != 0;
    if (tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) <= sizeof(info->hwaddr)) {
        info->hwaddr_len = mnl_attr_get_payload_len(tb[IFLA_ADDRESS]);
        memcpy(info->hwaddr, mnl_attr_get_payload(tb[IFLA_ADDRESS]), info->hwaddr_len);
    }
    return MNL_CB_STOP;
}

int net_if_info(int ifindex, struct net_if_info *ret)
{
    char buf[NL_REQUEST_SIZE] = {0};
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    struct ifinfomsg *ifi;
    struct net_if_info info;
    int rv;

    if (ifindex <= 0)
        return -ENODEV;
    memset(&info, 0, sizeof(info));
    nlh->nlmsg_type = RTM_GETLINK;
    nlh->nlmsg_flags = NLM_F_REQUEST;
    ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
    ifi->ifi_family = AF_UNSPEC;
    ifi->ifi_index = ifindex;
    rv = nl_talk(nlh, link_msg_cb, &info);
    if (rv < 0)
        return rv;
    *ret = info;
    return 0;
}

int net_if_hwaddr(int ifindex, uint8_t ret_mac[6])
{
    struct net_if_info info;
    int rv = net_if_info(ifindex, &info);

    if (rv < 0)
        return rv;
    if (info.hwaddr_len != 6)
        return -EOPNOTSUPP;
    memcpy(ret_mac, info.hwaddr, 6);
    return 0;
}
