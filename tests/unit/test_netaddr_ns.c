/*
 * Integration test for net_addr, net_announce, net_probe and the IP Address / Network Name
 * drivers, on real kernel interfaces. Root only (else exit 77).
 *
 * Nothing touches the host's network: a forked child unshares a network namespace ("A") and forks
 * a peer that unshares a second one ("B"). A veth pair joins them: va (10.213.7.1/24,
 * fd00:213::1/64) in A, where every test runs, and vb (10.213.7.2/24, fd00:213::2/64) in B, whose
 * kernel answers probes like another host on the link would. When the processes exit, both
 * namespaces and the veth pair disappear.
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "common/address.h"
#include "common/packet.h"
#include "daemon/net/net_addr.h"
#include "daemon/net/net_announce.h"
#include "daemon/net/net_probe.h"
#include "common/prop.h"
#include "daemon/rm/rm.h"
#include "netns_fixture.h"

#define SKIP 77
#define PROBE_MS 300
#define FOREVER 0xffffffffu

static int va; /* ifindex of va in namespace A */

/* ------------------------------------------------------------------------------------------ */
/* test-side netlink, written apart from net_addr.c so the two check each other */

struct lifetime_query {
    const struct net_addr *a;
    int found;
    uint32_t valid, preferred;
};

static int lifetime_attr(const struct nlattr *attr, void *data)
{
    const struct nlattr **tb = data;

    if (mnl_attr_get_type(attr) <= IFA_MAX)
        tb[mnl_attr_get_type(attr)] = attr;
    return MNL_CB_OK;
}

static int lifetime_cb(const struct nlmsghdr *nlh, void *data)
{
    struct lifetime_query *q = data;
    const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
    const struct nlattr *tb[IFA_MAX + 1] = {0};
    const struct nlattr *at;
    const struct ifa_cacheinfo *ci;
    size_t len = q->a->family == AF_INET ? 4 : 16;

    mnl_attr_parse(nlh, sizeof(*ifa), lifetime_attr, tb);
    at = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
    if (ifa->ifa_family != q->a->family || !at || !tb[IFA_CACHEINFO]
        || memcmp(mnl_attr_get_payload(at), q->a->bytes, len) != 0)
        return MNL_CB_OK;
    ci = mnl_attr_get_payload(tb[IFA_CACHEINFO]);
    q->found = 1;
    q->valid = ci->ifa_valid;
    q->preferred = ci->ifa_prefered;
    return MNL_CB_OK;
}

/* The kernel's valid and preferred lifetime of a, via RTM_GETADDR's IFA_CACHEINFO. */
static int read_lifetime(const struct net_addr *a, uint32_t *valid, uint32_t *preferred)
{
    char buf[REQ_SIZE] = {0};
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    struct ifaddrmsg *ifa;
    struct lifetime_query q = {a, 0, 0, 0};
    int rv;

    nlh->nlmsg_type = RTM_GETADDR;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
    ifa->ifa_family = (uint8_t)a->family;
    rv = nl_exchange(nlh, lifetime_cb, &q);
    if (rv < 0)
        return rv;
    if (!q.found)
        return -ENOENT;
    *valid = q.valid;
    *preferred = q.preferred;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* small helpers */



static void nap_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

/* Waits (bounded) until ifindex has carrier. */
static int wait_carrier(int ifindex)
{
    struct net_if_info info;

    for (int i = 0; i < 150; i++) {
        if (net_if_info(ifindex, &info) == 0 && info.up && info.lower_up)
            return 0;
        nap_ms(20);
    }
    return -ETIMEDOUT;
}

/* An AF_PACKET socket on va seeing every frame; only ETH_P_ALL taps see outgoing ones. */
static int capture_open(void)
{
    struct sockaddr_ll sll
        = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = va};
    int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&sll, sizeof(sll)), 0);
    return fd;
}

/* Next frame of ethertype we sent, waiting at most 1 s; its length, or 0 on timeout. */
static size_t capture_outgoing(int fd, uint16_t ethertype, uint8_t *buf, size_t n)
{
    int64_t deadline = now_ms() + 1000;

    for (;;) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        struct sockaddr_ll from;
        socklen_t fl = sizeof(from);
        int64_t left = deadline - now_ms();
        ssize_t got;

        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
            return 0;
        got = recvfrom(fd, buf, n, 0, (struct sockaddr *)&from, &fl);
        if (got >= 14 && from.sll_pkttype == PACKET_OUTGOING && buf[12] == ethertype >> 8
            && buf[13] == (ethertype & 0xff))
            return (size_t)got;
    }
}

static void mac_by_ioctl(const char *name, uint8_t mac[6])
{
    struct ifreq ifr = {0};
    int fd = socket(AF_INET, SOCK_DGRAM, 0);

    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
    assert_int_equal(ioctl(fd, SIOCGIFHWADDR, &ifr), 0);
    memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
    close(fd);
}

/* ------------------------------------------------------------------------------------------ */
/* net_addr */

static void test_find_ifindex(void **state)
{
    struct net_addr a = ipa("10.213.7.50"), b = ipa("fd00:213::50"), bad = {.family = AF_UNIX};
    int ifindex = -1;

    assert_int_equal(net_addr_find_ifindex(&a, 24, &ifindex), 0);
    assert_int_equal(ifindex, va);
    ifindex = -1;
    assert_int_equal(net_addr_find_ifindex(&b, 64, &ifindex), 0);
    assert_int_equal(ifindex, va);

    ifindex = -1;
    a = ipa("10.213.8.5");
    assert_int_equal(net_addr_find_ifindex(&a, 24, &ifindex), -ENETUNREACH);
    b = ipa("fd00:214::1");
    assert_int_equal(net_addr_find_ifindex(&b, 64, &ifindex), -ENETUNREACH);
    assert_int_equal(ifindex, -1); /* untouched on failure */
    /* a /16 around 10.213.0.0 holds va's address too */
    a = ipa("10.213.200.1");
    assert_int_equal(net_addr_find_ifindex(&a, 16, &ifindex), 0);
    assert_int_equal(ifindex, va);
    assert_int_equal(net_addr_find_ifindex(&a, 0, &ifindex), -EINVAL);
    assert_int_equal(net_addr_find_ifindex(&a, 33, &ifindex), -EINVAL);
    assert_int_equal(net_addr_find_ifindex(&b, 129, &ifindex), -EINVAL);
    assert_int_equal(net_addr_find_ifindex(&bad, 24, &ifindex), -EAFNOSUPPORT);
}

static void add_present_del(const char *text, uint32_t prefix)
{
    struct net_addr a = ipa(text);
    int ifindex = -1;

    assert_int_equal(net_addr_present(&a, &ifindex), 0);
    assert_int_equal(ifindex, -1);
    assert_int_equal(net_addr_add(va, &a, prefix, 0), 0);
    assert_int_equal(net_addr_present(&a, &ifindex), 1);
    assert_int_equal(ifindex, va);
    assert_int_equal(net_addr_present(&a, NULL), 1);
    assert_int_equal(net_addr_add(va, &a, prefix, 0), 0); /* again: not an error */
    assert_int_equal(net_addr_del(va, &a, prefix), 0);
    assert_int_equal(net_addr_present(&a, NULL), 0);
    assert_int_equal(net_addr_del(va, &a, prefix), 0); /* idempotent */
    assert_int_equal(net_addr_del(9999, &a, prefix), -ENODEV);
    assert_int_equal(net_addr_add(9999, &a, prefix, 0), -ENODEV);
    assert_int_equal(net_addr_add(0, &a, prefix, 0), -EINVAL);
    assert_int_equal(net_addr_add(va, &a, addr_bits(&a) + 1, 0), -EINVAL);
}

static void test_add_present_del_v4(void **state)
{
    add_present_del("10.213.7.50", 24);
}

static void test_add_present_del_v6(void **state)
{
    add_present_del("fd00:213::50", 64);
}

static void lifetime(const char *text, uint32_t prefix)
{
    struct net_addr a = ipa(text);
    uint32_t valid = 0, preferred = 0;

    assert_int_equal(net_addr_add(va, &a, prefix, 2), 0);
    assert_int_equal(read_lifetime(&a, &valid, &preferred), 0);
    assert_true(valid >= 1 && valid <= 2);
    assert_true(preferred >= 1 && preferred <= 2);
    /* renewing with "forever" replaces the lifetime */
    assert_int_equal(net_addr_add(va, &a, prefix, 0), 0);
    assert_int_equal(read_lifetime(&a, &valid, &preferred), 0);
    assert_int_equal(valid, FOREVER);
    assert_int_equal(preferred, FOREVER);
    /* and back to a lease, longer this time */
    assert_int_equal(net_addr_add(va, &a, prefix, 30), 0);
    assert_int_equal(read_lifetime(&a, &valid, &preferred), 0);
    assert_true(valid >= 29 && valid <= 30);
    assert_int_equal(net_addr_del(va, &a, prefix), 0);
    assert_int_equal(read_lifetime(&a, &valid, &preferred), -ENOENT);
}

static void test_lifetime_v4(void **state)
{
    lifetime("10.213.7.60", 24);
}

static void test_lifetime_v6(void **state)
{
    lifetime("fd00:213::60", 64);
}

static void test_if_info(void **state)
{
    struct net_if_info info;
    uint8_t mac[6], want[6];

    assert_int_equal(net_if_info(va, &info), 0);
    assert_string_equal(info.name, "va");
    assert_true(info.up);
    assert_true(info.lower_up);
    assert_int_equal(info.hwaddr_len, 6);
    mac_by_ioctl("va", want);
    assert_int_equal(net_if_hwaddr(va, mac), 0);
    assert_memory_equal(mac, want, 6);
    assert_int_equal(net_if_info(9999, &info), -ENODEV);
    assert_int_equal(net_if_hwaddr(9999, mac), -ENODEV);
    assert_int_equal(net_if_info(0, &info), -ENODEV);
}

/* ------------------------------------------------------------------------------------------ */
/* net_announce */

static void test_announce_v4(void **state)
{
    struct net_addr a = ipa("10.213.7.1");
    uint8_t mac[6], want[PACKET_ARP_FRAME_LEN], got[256];
    int fd = capture_open();
    int64_t t0 = now_ms();

    assert_int_equal(net_if_hwaddr(va, mac), 0);
    packet_arp_garp(want, mac, a.bytes);
    assert_int_equal(net_announce(va, &a, 3), 0);
    assert_true(now_ms() - t0 >= 2 * NET_ANNOUNCE_GAP_MS);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(capture_outgoing(fd, ETH_P_ARP, got, sizeof(got)), PACKET_ARP_FRAME_LEN);
        assert_memory_equal(got, want, PACKET_ARP_FRAME_LEN);
    }
    close(fd);
    assert_int_equal(net_announce(9999, &a, 1), -ENODEV);
    assert_int_equal(net_announce(0, &a, 1), -EINVAL);
}

static void test_announce_v6(void **state)
{
    static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 0x01};
    struct net_addr a = ipa("fd00:213::1"), absent = ipa("fd00:213::77"), bad = {.family = AF_UNIX};
    uint8_t mac[6], got[512], src_mac[6];
    int fd = capture_open(), nas = 0;
    struct packet_na na;
    size_t n;

    assert_int_equal(net_if_hwaddr(va, mac), 0);
    assert_int_equal(net_announce(va, &a, 2), 0);
    /* other IPv6 traffic (MLD, router solicitations) may be interleaved: look at NAs only */
    while (nas < 2 && (n = capture_outgoing(fd, ETH_P_IPV6, got, sizeof(got))) > 0) {
        if (packet_na_frame_parse(got, n, &na, src_mac) != 0)
            continue;
        nas++;
        assert_memory_equal(got + 14 + 8, a.bytes, 16);    /* from the address itself */
        assert_memory_equal(got + 14 + 24, all_nodes, 16); /* to all nodes */
        assert_int_equal(got[14 + 7], 255);                /* hop limit (parse checks it too) */
        assert_memory_equal(na.target, a.bytes, 16);
        assert_int_equal(na.flags, PACKET_NA_FLAG_OVERRIDE);
        assert_true(na.has_lladdr);
        assert_memory_equal(na.lladdr, mac, 6);
        assert_memory_equal(src_mac, mac, 6);
    }
    assert_int_equal(nas, 2);
    close(fd);
    assert_int_equal(net_announce(va, &absent, 1), -EADDRNOTAVAIL);
    assert_int_equal(net_announce(va, &bad, 1), -EAFNOSUPPORT);
}

/* ------------------------------------------------------------------------------------------ */
/* net_probe */

static void probe_expect(const char *text, int want)
{
    struct net_addr a = ipa(text);
    int64_t t0 = now_ms(), took;

    assert_int_equal(net_probe_in_use(va, &a, PROBE_MS), want);
    took = now_ms() - t0;
    if (want == 0)
        assert_true(took >= PROBE_MS - 5 && took < PROBE_MS + 200);
    else
        assert_true(took < PROBE_MS);
}

static void test_probe_v4(void **state)
{
    struct net_addr a = ipa("10.213.7.2");

    probe_expect("10.213.7.50", 0); /* nobody */
    probe_expect("10.213.7.1", 0);  /* only ourselves */
    probe_expect("10.213.7.2", 1);  /* the peer in namespace B */
    assert_int_equal(net_probe_in_use(9999, &a, PROBE_MS), -ENODEV);
    assert_int_equal(net_probe_in_use(0, &a, PROBE_MS), -EINVAL);
}

static void test_probe_v6(void **state)
{
    struct net_addr bad = {.family = AF_UNIX};

    probe_expect("fd00:213::50", 0);
    probe_expect("fd00:213::1", 0);
    probe_expect("fd00:213::2", 1);
    assert_int_equal(net_probe_in_use(va, &bad, PROBE_MS), -EAFNOSUPPORT);
}

/* ------------------------------------------------------------------------------------------ */
/* drivers */

static struct rm_resource resource(const char *type, struct rm_prop *props, size_t n)
{
    struct rm_resource r = {.name = "Cluster IP Address", .type = type};

    r.props = props;
    r.n_props = n;
    return r;
}

/* How many GARPs or NAs for a we sent, looking for at most want of them. */
static int announcements(int fd, const struct net_addr *a, int want)
{
    uint16_t ethertype = a->family == AF_INET ? ETH_P_ARP : ETH_P_IPV6;
    uint8_t got[512];
    size_t len;
    int n = 0;

    while (n < want && (len = capture_outgoing(fd, ethertype, got, sizeof(got))) > 0) {
        struct packet_arp arp;
        struct packet_na na;

        if (a->family == AF_INET && packet_arp_parse(got, len, &arp) == 0
            && memcmp(arp.spa, a->bytes, 4) == 0 && memcmp(arp.tpa, a->bytes, 4) == 0)
            n++;
        if (a->family == AF_INET6 && packet_na_frame_parse(got, len, &na, NULL) == 0
            && memcmp(na.target, a->bytes, 16) == 0)
            n++;
    }
    return n;
}

static void driver_cycle(const char *type, const char *addr, const char *prefix)
{
    struct rm_prop props[] = {{"Address", addr}, {"PrefixLength", prefix}};
    struct rm_resource r = resource(type, props, 2);
    const struct rm_driver *d = rm_driver_find("ipaddr");
    struct net_addr a = ipa(addr);
    uint32_t valid, preferred;
    int ifindex, fd;

    assert_non_null(d);
    fd = capture_open();
    assert_int_equal(d->online(&r), 0);
    assert_int_equal(announcements(fd, &a, RM_IPADDR_ANNOUNCES), RM_IPADDR_ANNOUNCES);
    close(fd);
    assert_non_null(r.priv);
    assert_int_equal(net_addr_present(&a, &ifindex), 1);
    assert_int_equal(ifindex, va);
    assert_int_equal(read_lifetime(&a, &valid, &preferred), 0);
    assert_int_equal(valid, FOREVER);
    assert_int_equal(d->looks_alive(&r), 0);
    assert_int_equal(d->is_alive(&r), 0);
    assert_int_equal(d->online(&r), 0); /* idempotent */
    assert_int_equal(d->offline(&r), 0);
    assert_null(r.priv);
    assert_int_equal(net_addr_present(&a, NULL), 0);
    assert_int_equal(d->looks_alive(&r), -EADDRNOTAVAIL);
    assert_true(strstr(r.errmsg, addr) != NULL);
    assert_int_equal(d->is_alive(&r), -EADDRNOTAVAIL);
    assert_int_equal(d->offline(&r), 0); /* idempotent */

    /* removed behind the driver's back: the checks see it, offline still succeeds */
    assert_int_equal(d->online(&r), 0);
    assert_int_equal(net_addr_del(va, &a, (uint32_t)atoi(prefix)), 0);
    assert_int_equal(d->looks_alive(&r), -EADDRNOTAVAIL);
    assert_int_equal(d->offline(&r), 0);
    assert_null(r.priv);
}

static void test_driver_cycle_v4(void **state)
{
    driver_cycle("IP Address", "10.213.7.50", "24");
}

static void test_driver_cycle_v6(void **state)
{
    driver_cycle("IPv6 Address", "fd00:213::50", "64");
    driver_cycle("ip address", "fd00:213::51", "64"); /* the IPv4 name takes IPv6 too */
}

static void conflict(const char *addr, const char *prefix)
{
    struct rm_prop props[] = {{"Address", addr}, {"PrefixLength", prefix}};
    struct rm_resource r = resource("IP Address", props, 2);
    struct net_addr a = ipa(addr);
    char want[RM_ERRMSG_SIZE];

    snprintf(want, sizeof(want), "address %s already answers on va", addr);
    assert_int_equal(rm_ipaddr_driver.online(&r), -EADDRINUSE);
    assert_string_equal(r.errmsg, want);
    assert_null(r.priv);
    assert_int_equal(net_addr_present(&a, NULL), 0);
}

static void test_driver_conflict(void **state)
{
    conflict("10.213.7.2", "24");
    conflict("fd00:213::2", "64");
}

static void expect_online_error(const char *type, struct rm_prop *props, size_t n, int err,
                                const char *msg_part)
{
    struct rm_resource r = resource(type, props, n);

    assert_int_equal(rm_ipaddr_driver.online(&r), err);
    if (!strstr(r.errmsg, msg_part)) {
        fprintf(stderr, "errmsg '%s' lacks '%s'\n", r.errmsg, msg_part);
        fail();
    }
    assert_null(r.priv);
}

static void test_driver_bad_properties(void **state)
{
    struct rm_prop no_addr[] = {{"PrefixLength", "24"}};
    struct rm_prop no_prefix[] = {{"Address", "10.213.7.50"}};
    struct rm_prop bad_addr[] = {{"Address", "cluster1"}, {"PrefixLength", "24"}};
    struct rm_prop p33[] = {{"Address", "10.213.7.50"}, {"PrefixLength", "33"}};
    struct rm_prop p0[] = {{"Address", "10.213.7.50"}, {"PrefixLength", "0"}};
    struct rm_prop p024[] = {{"Address", "10.213.7.50"}, {"PrefixLength", "024"}};
    struct rm_prop pneg[] = {{"Address", "10.213.7.50"}, {"PrefixLength", "-24"}};
    struct rm_prop lease0[]
        = {{"Address", "10.213.7.50"}, {"PrefixLength", "24"}, {"LeaseSeconds", "0"}};
    struct rm_prop lease_big[]
        = {{"Address", "10.213.7.50"}, {"PrefixLength", "24"}, {"LeaseSeconds", "4294967295"}};
    struct rm_prop unreachable[] = {{"Address", "192.0.2.5"}, {"PrefixLength", "24"}};
    struct rm_prop holed_mask[] = {{"Address", "10.213.7.50"}, {"SubnetMask", "255.0.255.0"}};
    struct rm_prop v6_mask[] = {{"Address", "10.213.7.50"}, {"SubnetMask", "ffff::"}};
    struct rm_prop unreachable_mask[] = {{"Address", "192.0.2.5"}, {"SubnetMask", "255.255.255.0"}};

    expect_online_error("IP Address", no_addr, 1, -EINVAL, "Address is missing");
    expect_online_error("IP Address", no_prefix, 1, -EINVAL, "PrefixLength is missing");
    expect_online_error("IP Address", bad_addr, 2, -EINVAL, "'cluster1'");
    expect_online_error("IP Address", p33, 2, -EINVAL, "'33'");
    expect_online_error("IP Address", p0, 2, -EINVAL, "'0'");
    expect_online_error("IP Address", p024, 2, -EINVAL, "'024'");
    expect_online_error("IP Address", pneg, 2, -EINVAL, "'-24'");
    expect_online_error("IP Address", lease0, 3, -EINVAL, "LeaseSeconds");
    expect_online_error("IP Address", lease_big, 3, -EINVAL, "LeaseSeconds");
    expect_online_error("IPv6 Address", p024 + 0, 1, -EINVAL, "needs an IPv6 address");
    expect_online_error("IP Address", unreachable, 2, -ENETUNREACH, "192.0.2.5/24");
    expect_online_error("IP Address", holed_mask, 2, -EINVAL, "not a contiguous mask");
    expect_online_error("IP Address", v6_mask, 2, -EINVAL, "not a dotted IPv4 mask");
    /* a mask gives the prefix: the subnet it names is the one the error reports */
    expect_online_error("IP Address", unreachable_mask, 2, -ENETUNREACH, "192.0.2.5/24");
}

/* What create and SET_PRIVATE_PROPERTIES check IP Address and Network Name properties against. */
static void test_driver_type_info(void **state)
{
    struct rm_type_info *info;

    (void)state;
    assert_int_equal(rm_type_info("ipaddr", &info), 0);
    assert_true(rm_type_param(info, "address")->required);
    assert_int_equal(rm_type_param(info, "PrefixLength")->syntax, PROP_SYNTAX_DWORD);
    assert_non_null(rm_type_param(info, "SubnetMask"));
    assert_null(rm_type_param(info, "Name"));
    rm_type_info_free(info);
    assert_int_equal(rm_type_info("netname", &info), 0);
    assert_true(rm_type_param(info, "Name")->required);
    assert_non_null(rm_type_param(info, "DnsName"));
    rm_type_info_free(info);
    assert_int_equal(rm_type_info("no-such-driver", &info), -ENOENT);
}

static void test_driver_lease(void **state)
{
    struct rm_prop props[]
        = {{"address", "10.213.7.52"}, {"prefixlength", "24"}, {"LeaseSeconds", "2"}};
    struct rm_resource r = resource("IP Address", props, 3);
    struct net_addr a = ipa("10.213.7.52");
    uint32_t valid, preferred;

    assert_int_equal(rm_ipaddr_driver.online(&r), 0);
    assert_int_equal(read_lifetime(&a, &valid, &preferred), 0);
    assert_true(valid >= 1 && valid <= 2);
    /* online again renews: prove it by renewing to a longer lease */
    props[2].value = "40";
    assert_int_equal(rm_ipaddr_driver.online(&r), 0);
    assert_int_equal(read_lifetime(&a, &valid, &preferred), 0);
    assert_true(valid >= 39 && valid <= 40);
    rm_terminate(&rm_ipaddr_driver, &r);
    assert_null(r.priv);
    assert_int_equal(net_addr_present(&a, NULL), 0);
    rm_terminate(&rm_ipaddr_driver, &r); /* nothing there: still fine */
}

/* Runs last: taking va down drops its IPv6 addresses, which are put back. */
static void test_driver_is_alive_link_down(void **state)
{
    struct rm_prop props[] = {{"Address", "10.213.7.53"}, {"PrefixLength", "24"}};
    struct rm_resource r = resource("IP Address", props, 2);
    struct net_addr v6 = ipa("fd00:213::1");

    assert_int_equal(rm_ipaddr_driver.online(&r), 0);
    assert_int_equal(link_set_up(va, 0), 0);
    assert_int_equal(rm_ipaddr_driver.looks_alive(&r), 0);
    assert_int_equal(rm_ipaddr_driver.is_alive(&r), -ENETDOWN);
    assert_string_equal(r.errmsg, "va (holding 10.213.7.53) is down");
    assert_int_equal(link_set_up(va, 1), 0);
    assert_int_equal(wait_carrier(va), 0);
    assert_int_equal(rm_ipaddr_driver.is_alive(&r), 0);
    assert_int_equal(rm_ipaddr_driver.offline(&r), 0);
    assert_int_equal(net_addr_add(va, &v6, 64, 0), 0);
}

static void test_netname(void **state)
{
    struct rm_prop props[] = {{"Name", "CLUSTER1"}};
    struct rm_resource r
        = {.name = "Cluster Name", .type = "Network Name", .props = props, .n_props = 1};
    const struct rm_driver *d = rm_driver_find("NETNAME");

    assert_ptr_equal(d, &rm_netname_driver);
    assert_int_equal(d->looks_alive(&r), -ENETDOWN);
    assert_string_equal(r.errmsg, "network name Cluster Name is not online");
    assert_int_equal(d->online(&r), 0);
    assert_int_equal(d->online(&r), 0);
    assert_int_equal(d->looks_alive(&r), 0);
    assert_int_equal(d->is_alive(&r), 0);
    assert_int_equal(d->offline(&r), 0);
    assert_null(r.priv);
    assert_int_equal(d->is_alive(&r), -ENETDOWN);
    assert_int_equal(d->offline(&r), 0);
    assert_int_equal(d->online(&r), 0);
    rm_terminate(d, &r);
    assert_null(r.priv);
}

static void test_rm_common(void **state)
{
    struct rm_prop props[] = {{"Address", "1"}, {NULL, "x"}, {"PrefixLength", "2"}};
    struct rm_resource r = {.props = props, .n_props = 3};

    assert_string_equal(rm_prop(&r, "address"), "1");
    assert_string_equal(rm_prop(&r, "PrefixLength"), "2");
    assert_null(rm_prop(&r, "LeaseSeconds"));
    assert_int_equal(rm_fail(&r, -EIO, "disk %s at %d%%", "sda", 50), -EIO);
    assert_string_equal(r.errmsg, "disk sda at 50%");
    assert_ptr_equal(rm_driver_find("ipaddr"), &rm_ipaddr_driver);
    assert_ptr_equal(rm_driver_find("IPADDR"), &rm_ipaddr_driver);
    assert_ptr_equal(rm_driver_find("netname"), &rm_netname_driver);
    assert_ptr_equal(rm_driver_find("ocf:heartbeat:Dummy"), &rm_ocf_driver);
    assert_null(rm_driver_find("IP Address")); /* a type name is not a driver string */
    assert_null(rm_driver_find("ocf"));
    assert_null(rm_driver_find(NULL));
    /* an over-long message is cut, never overflows */
    char big[400];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    rm_fail(&r, -EIO, "%s", big);
    assert_int_equal(strlen(r.errmsg), RM_ERRMSG_SIZE - 1);
}

/* ------------------------------------------------------------------------------------------ */
/* namespaces */

static int must(int rv, const char *what)
{
    if (rv < 0) {
        fprintf(stderr, "setup: %s: %s\n", what, strerror(rv == -1 ? errno : -rv));
        _exit(1);
    }
    return rv;
}

/* The peer in namespace B: configures vb when told, then lives until the pipe closes. */
static void peer_main(int to_a, int from_a)
{
    struct net_addr v4 = ipa("10.213.7.2"), v6 = ipa("fd00:213::2");
    char c;
    int vb;

    must(unshare(CLONE_NEWNET), "unshare B");
    must((int)write(to_a, "r", 1), "write");
    if (read(from_a, &c, 1) != 1)
        _exit(1);
    vb = (int)if_nametoindex("vb");
    must(vb ? 0 : -ENODEV, "vb in B");
    must(link_set_up(vb, 1), "vb up");
    must(net_addr_add(vb, &v4, 24, 0), "vb v4");
    must(net_addr_add(vb, &v6, 64, 0), "vb v6");
    must((int)write(to_a, "d", 1), "write");
    while (read(from_a, &c, 1) > 0)
        ;
    _exit(0);
}

/* Sets up namespace A and its peer B. Returns B's pid; *ret_fd is the pipe that keeps B alive. */
static pid_t setup_namespaces(int *ret_fd)
{
    struct net_addr v4 = ipa("10.213.7.1"), v6 = ipa("fd00:213::1");
    int up[2], down[2];
    pid_t peer;
    char c;

    must(pipe(up), "pipe");
    must(pipe(down), "pipe");
    peer = must(fork(), "fork");
    if (peer == 0) {
        close(up[0]);
        close(down[1]);
        peer_main(up[1], down[0]);
    }
    close(up[1]);
    close(down[0]);
    must(read(up[0], &c, 1) == 1 ? 0 : -EIO, "peer ready");
    must(veth_create("va", "vb", peer), "veth");
    va = (int)if_nametoindex("va");
    must(link_set_up(va, 1), "va up");
    must(net_addr_add(va, &v4, 24, 0), "va v4");
    must(net_addr_add(va, &v6, 64, 0), "va v6");
    must((int)write(down[1], "g", 1), "write");
    must(read(up[0], &c, 1) == 1 ? 0 : -EIO, "peer configured");
    close(up[0]);
    must(wait_carrier(va), "carrier");
    *ret_fd = down[1];
    return peer;
}

static int run_in_namespace(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rm_common),
        cmocka_unit_test(test_if_info),
        cmocka_unit_test(test_find_ifindex),
        cmocka_unit_test(test_add_present_del_v4),
        cmocka_unit_test(test_add_present_del_v6),
        cmocka_unit_test(test_lifetime_v4),
        cmocka_unit_test(test_lifetime_v6),
        cmocka_unit_test(test_announce_v4),
        cmocka_unit_test(test_announce_v6),
        cmocka_unit_test(test_probe_v4),
        cmocka_unit_test(test_probe_v6),
        cmocka_unit_test(test_driver_cycle_v4),
        cmocka_unit_test(test_driver_cycle_v6),
        cmocka_unit_test(test_driver_conflict),
        cmocka_unit_test(test_driver_bad_properties),
        cmocka_unit_test(test_driver_type_info),
        cmocka_unit_test(test_driver_lease),
        cmocka_unit_test(test_netname),
        cmocka_unit_test(test_driver_is_alive_link_down),
    };
    int keep_alive, status, rv;
    pid_t peer;

    alarm(50); /* the time bound: a hung probe or netlink call kills the run */
    if (unshare(CLONE_NEWNET) < 0) {
        fprintf(stderr, "cannot unshare a network namespace (%s): skipping\n", strerror(errno));
        return SKIP;
    }
    peer = setup_namespaces(&keep_alive);
    rv = cmocka_run_group_tests(tests, NULL, NULL);
    close(keep_alive);
    waitpid(peer, &status, 0);
    return rv;
}

int main(void)
{
    int status;
    pid_t child;

    if (geteuid() != 0) {
        fprintf(stderr, "test_netaddr_ns needs root: skipping\n");
        return SKIP;
    }
    child = fork();
    if (child < 0)
        return 1;
    if (child == 0)
        _exit(run_in_namespace());
    if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status))
        return 1;
    return WEXITSTATUS(status);
}
