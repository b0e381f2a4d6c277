/*
 * Integration test for LLMNR on real sockets: name_responder, llmnr_resolve and the Network Name
 * driver. Root only (else exit 77).
 *
 * Nothing touches the host's network: a forked child unshares a network namespace ("A") and
 * forks a peer that unshares a second one ("B"); a veth pair joins them: va (10.213.9.1/24,
 * fd00:213:9::1/64) in A and vb (10.213.9.2/24, fd00:213:9::2/64) in B. The responder runs in A,
 * on its own thread with its own uv loop, as in clussvc. Queries come from B, like from another
 * host: the test thread setns()es into B for them and back to A after; only that thread moves.
 * When the processes exit, both namespaces and the veth pair disappear.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
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
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <uv.h>

#include "channel/resolve.h"
#include "common/address.h"
#include "common/llmnr.h"
#include "daemon/net/name_responder.h"
#include "daemon/net/net_addr.h"
#include "daemon/rm/rm.h"
#include "daemon/base/log.h"
#include "netns_fixture.h"

#define SKIP 77
#define TIMEOUT_MS 500
#define QUIET_MS 300 /* how long a raw query waits for an answer that must not come */

static int va, vb;         /* interface indexes, each in its own namespace */
static int ns_a = -1, ns_b = -1; /* namespace fds for setns() */

/* ------------------------------------------------------------------------------------------ */
/* test-side netlink, only to create the veth pair (net_addr.c does the rest) */

/* ------------------------------------------------------------------------------------------ */
/* small helpers */



static void enter(int ns)
{
    if (setns(ns, CLONE_NEWNET) < 0) {
        fprintf(stderr, "setns: %s\n", strerror(errno));
        abort();
    }
}

/* llmnr_resolve as seen from namespace B (another host on the link). */
static int resolve_b(const char *name, int family, unsigned ms, struct net_addr *ret, size_t cap,
                     size_t *ret_n)
{
    int rv;

    enter(ns_b);
    rv = llmnr_resolve(name, family, ms, ret, cap, ret_n);
    enter(ns_a);
    return rv;
}

static void expect_addrs(const struct net_addr *got, size_t n, const char *a, const char *b)
{
    struct net_addr want;

    assert_int_equal(n, b ? 2 : 1);
    want = ipa(a);
    assert_memory_equal(&got[0], &want, sizeof(want));
    if (b) {
        want = ipa(b);
        assert_memory_equal(&got[1], &want, sizeof(want));
    }
}

static void publish_demo(void)
{
    struct net_addr addrs[] = {ipa("10.213.9.100"), ipa("fd00:213:9::100")};

    assert_int_equal(name_publish("democlus", addrs, 2), 0);
}

/* ------------------------------------------------------------------------------------------ */
/* the responder on its own thread and loop, as in clussvc */

struct responder_thread {
    uv_loop_t loop;
    uv_async_t stop;
    struct name_responder *r;
    pthread_t tid;
};

static struct responder_thread rt;

static void stop_cb(uv_async_t *a)
{
    struct responder_thread *t = a->data;

    name_responder_stop(t->r);
    uv_close((uv_handle_t *)a, NULL);
}

static void *loop_main(void *arg)
{
    struct responder_thread *t = arg;

    uv_run(&t->loop, UV_RUN_DEFAULT);
    return NULL;
}

/* Starts the responder before the loop thread exists, so this thread is its loop thread then. */
static int responder_up(void **state)
{
    assert_int_equal(uv_loop_init(&rt.loop), 0);
    assert_int_equal(uv_async_init(&rt.loop, &rt.stop, stop_cb), 0);
    rt.stop.data = &rt;
    assert_int_equal(name_responder_start(&rt.loop, &rt.r), 0);
    assert_true(name_responder_running());
    assert_int_equal(pthread_create(&rt.tid, NULL, loop_main, &rt), 0);
    return 0;
}

/* Stops it on its loop and proves every handle was closed: the loop ends and closes cleanly. */
static void responder_stop(void)
{
    uv_async_send(&rt.stop);
    assert_int_equal(pthread_join(rt.tid, NULL), 0);
    assert_int_equal(uv_loop_close(&rt.loop), 0);
    assert_false(name_responder_running());
}

/* ... and that the test left the registry empty. */
static int responder_down(void **state)
{
    responder_stop();
    assert_int_equal(name_lookup("democlus", NULL, 0, NULL), -ENOENT);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* raw queries from B, to test the receive rules */

struct raw {
    int family;
    const char *dest;   /* the group or a unicast address */
    int ttl;            /* IPv4 TTL / IPv6 hop limit */
    uint16_t qtype;
    uint16_t set_flags; /* header flags to set in the query */
};

static int raw_socket(const struct raw *q, struct sockaddr_storage *to, socklen_t *tolen)
{
    int fd = socket(q->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    bool multicast;

    assert_true(fd >= 0);
    memset(to, 0, sizeof(*to));
    if (q->family == AF_INET) {
        struct sockaddr_in *sin = (struct sockaddr_in *)to;
        struct ip_mreqn m = {.imr_ifindex = vb};

        sin->sin_family = AF_INET;
        sin->sin_port = htons(LLMNR_PORT);
        assert_int_equal(inet_pton(AF_INET, q->dest, &sin->sin_addr), 1);
        multicast = IN_MULTICAST(ntohl(sin->sin_addr.s_addr));
        assert_int_equal(setsockopt(fd, IPPROTO_IP, multicast ? IP_MULTICAST_TTL : IP_TTL,
                                    &q->ttl, sizeof(q->ttl)),
                         0);
        assert_int_equal(setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &m, sizeof(m)), 0);
        *tolen = sizeof(*sin);
    } else {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)to;

        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(LLMNR_PORT);
        assert_int_equal(inet_pton(AF_INET6, q->dest, &sin6->sin6_addr), 1);
        multicast = IN6_IS_ADDR_MULTICAST(&sin6->sin6_addr);
        if (multicast)
            sin6->sin6_scope_id = (uint32_t)vb;
        assert_int_equal(setsockopt(fd, IPPROTO_IPV6,
                                    multicast ? IPV6_MULTICAST_HOPS : IPV6_UNICAST_HOPS, &q->ttl,
                                    sizeof(q->ttl)),
                         0);
        *tolen = sizeof(*sin6);
    }
    return fd;
}

/* Sends the query from B. 1 and *ret_n answers if a response came within QUIET_MS, else 0. */
static int raw_query(const struct raw *q, struct net_addr *ret, size_t cap, size_t *ret_n)
{
    struct sockaddr_storage to;
    socklen_t tolen;
    uint8_t buf[512];
    size_t len;
    int fd, answered = 0;
    int64_t deadline;

    enter(ns_b);
    fd = raw_socket(q, &to, &tolen);
    len = llmnr_build_query(0x5151, "democlus", q->qtype, buf, sizeof(buf));
    buf[2] |= (uint8_t)(q->set_flags >> 8);
    assert_int_equal(sendto(fd, buf, len, 0, (struct sockaddr *)&to, tolen), (ssize_t)len);
    deadline = now_ms() + QUIET_MS;
    while (!answered && now_ms() < deadline) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        ssize_t got;

        if (poll(&pfd, 1, (int)(deadline - now_ms())) <= 0)
            continue;
        got = recv(fd, buf, sizeof(buf), 0);
        answered = got > 0
                   && llmnr_parse_response(buf, (size_t)got, 0x5151, "democlus", ret, cap, ret_n)
                          == 0;
    }
    close(fd);
    enter(ns_a);
    return answered;
}

/* ------------------------------------------------------------------------------------------ */
/* resolving */

static void test_resolve_both(void **state)
{
    struct net_addr got[4];
    size_t n = 0;
    int64_t t0;

    publish_demo();
    t0 = now_ms();
    assert_int_equal(resolve_b("democlus", AF_UNSPEC, TIMEOUT_MS, got, 4, &n), 0);
    assert_true(now_ms() - t0 < TIMEOUT_MS);
    expect_addrs(got, n, "10.213.9.100", "fd00:213:9::100");
    name_unpublish("democlus");
}

static void test_resolve_by_family(void **state)
{
    struct net_addr got[4];
    size_t n = 0;

    publish_demo();
    assert_int_equal(resolve_b("democlus", AF_INET, TIMEOUT_MS, got, 4, &n), 0);
    expect_addrs(got, n, "10.213.9.100", NULL);
    assert_int_equal(resolve_b("democlus", AF_INET6, TIMEOUT_MS, got, 4, &n), 0);
    expect_addrs(got, n, "fd00:213:9::100", NULL);
    /* names compare without ASCII case; cap 1 keeps the first */
    assert_int_equal(resolve_b("DemoClus", AF_UNSPEC, TIMEOUT_MS, got, 1, &n), 0);
    expect_addrs(got, n, "10.213.9.100", NULL);
    name_unpublish("DEMOCLUS");
}

static void test_resolve_unknown_times_out(void **state)
{
    struct net_addr got[2], before[2];
    size_t n = 77;
    int64_t t0 = now_ms(), took;

    publish_demo();
    memset(got, 0x5a, sizeof(got));
    memcpy(before, got, sizeof(got));
    assert_int_equal(resolve_b("nosuch", AF_UNSPEC, TIMEOUT_MS, got, 2, &n), -ENOENT);
    took = now_ms() - t0;
    assert_true(took >= TIMEOUT_MS - 5 && took < TIMEOUT_MS + 300);
    assert_memory_equal(got, before, sizeof(got));
    assert_int_equal(n, 77);
    name_unpublish("democlus");
}

static void test_unpublish_and_replace(void **state)
{
    struct net_addr other = ipa("10.213.9.101");
    struct net_addr got[4];
    size_t n;

    publish_demo();
    assert_int_equal(resolve_b("democlus", AF_UNSPEC, TIMEOUT_MS, got, 4, &n), 0);
    /* publishing again replaces the addresses */
    assert_int_equal(name_publish("DEMOCLUS", &other, 1), 0);
    assert_int_equal(resolve_b("democlus", AF_UNSPEC, TIMEOUT_MS, got, 4, &n), 0);
    expect_addrs(got, n, "10.213.9.101", NULL);
    name_unpublish("democlus");
    assert_int_equal(resolve_b("democlus", AF_UNSPEC, TIMEOUT_MS, got, 4, &n), -ENOENT);
}

/* The owner answers with an empty answer section: no need to wait for the deadline. */
static void test_no_address_of_family(void **state)
{
    struct net_addr v4 = ipa("10.213.9.100");
    struct net_addr got[2];
    size_t n;
    int64_t t0 = now_ms();

    assert_int_equal(name_publish("democlus", &v4, 1), 0);
    assert_int_equal(resolve_b("democlus", AF_INET6, 2000, got, 2, &n), -ENOENT);
    assert_true(now_ms() - t0 < 1000);
    name_unpublish("democlus");
}

/* From the responder's own namespace: how clussvc on the owner node resolves the name. */
static void test_resolve_same_host(void **state)
{
    struct net_addr got[4];
    size_t n;

    publish_demo();
    assert_int_equal(llmnr_resolve("democlus", AF_UNSPEC, TIMEOUT_MS, got, 4, &n), 0);
    expect_addrs(got, n, "10.213.9.100", "fd00:213:9::100");
    name_unpublish("democlus");
}

static void test_resolve_invalid(void **state)
{
    char long_label[65];
    struct net_addr got[1];
    size_t n;

    memset(long_label, 'a', 64);
    long_label[64] = '\0';
    assert_int_equal(llmnr_resolve("demo.clus", AF_UNSPEC, 10, got, 1, &n), -EINVAL);
    assert_int_equal(llmnr_resolve("", AF_UNSPEC, 10, got, 1, &n), -EINVAL);
    assert_int_equal(llmnr_resolve(NULL, AF_UNSPEC, 10, got, 1, &n), -EINVAL);
    assert_int_equal(llmnr_resolve(long_label, AF_UNSPEC, 10, got, 1, &n), -EINVAL);
    assert_int_equal(llmnr_resolve("democlus", AF_UNSPEC, 10, got, 0, &n), -EINVAL);
    assert_int_equal(llmnr_resolve("democlus", AF_UNSPEC, 10, NULL, 1, &n), -EINVAL);
    assert_int_equal(llmnr_resolve("democlus", AF_UNSPEC, 10, got, 1, NULL), -EINVAL);
    assert_int_equal(llmnr_resolve("democlus", AF_UNIX, 10, got, 1, &n), -EAFNOSUPPORT);
}

/* A responder that was stopped answers nothing, even for names still published. */
static void test_stopped_responder_is_silent(void **state)
{
    struct net_addr got[2];
    size_t n;

    responder_up(state);
    publish_demo();
    assert_int_equal(resolve_b("democlus", AF_UNSPEC, TIMEOUT_MS, got, 2, &n), 0);
    responder_stop();
    assert_int_equal(resolve_b("democlus", AF_UNSPEC, 300, got, 2, &n), -ENOENT);
    name_unpublish("democlus");
}

/* ------------------------------------------------------------------------------------------ */
/* receive rules */

static void test_ttl_rules_v4(void **state)
{
    struct raw q = {AF_INET, LLMNR_GROUP4, 1, LLMNR_TYPE_A, 0};
    struct net_addr got[2];
    size_t n;

    publish_demo();
    assert_int_equal(raw_query(&q, got, 2, &n), 1); /* Windows: TTL 1 */
    expect_addrs(got, n, "10.213.9.100", NULL);
    q.ttl = 255; /* systemd-resolved, and RFC 4795 §2.5's recommendation */
    assert_int_equal(raw_query(&q, got, 2, &n), 1);
    q.ttl = 2;
    assert_int_equal(raw_query(&q, got, 2, &n), 0);
    q.ttl = 64;
    assert_int_equal(raw_query(&q, got, 2, &n), 0);
    /* unicast to our address */
    q.dest = "10.213.9.1";
    q.ttl = 255;
    assert_int_equal(raw_query(&q, got, 2, &n), 1);
    q.ttl = 64;
    assert_int_equal(raw_query(&q, got, 2, &n), 0);
    /* the conflict bit: a responder must not answer */
    q.dest = LLMNR_GROUP4;
    q.ttl = 1;
    q.set_flags = LLMNR_FLAG_C;
    assert_int_equal(raw_query(&q, got, 2, &n), 0);
    name_unpublish("democlus");
}

/* A query sent to another group on port 5355 is not ours, even when some socket of the host has
 * joined that group (which, by Linux's default IP_MULTICAST_ALL, reaches every socket). */
static void test_other_group_ignored(void **state)
{
    struct raw q = {AF_INET, "224.0.0.251", 1, LLMNR_TYPE_A, 0};
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(LLMNR_PORT)};
    struct ip_mreqn m = {.imr_ifindex = va};
    struct net_addr got[2];
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), one = 1;
    size_t n;

    assert_true(fd >= 0);
    assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
    inet_pton(AF_INET, "224.0.0.251", &m.imr_multiaddr);
    assert_int_equal(setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof(m)), 0);
    publish_demo();
    assert_int_equal(raw_query(&q, got, 2, &n), 0);
    close(fd);
    name_unpublish("democlus");
}

static void test_ipv6(void **state)
{
    struct raw q = {AF_INET6, LLMNR_GROUP6, 1, LLMNR_TYPE_AAAA, 0};
    struct net_addr got[2];
    size_t n;

    publish_demo();
    assert_int_equal(raw_query(&q, got, 2, &n), 1);
    expect_addrs(got, n, "fd00:213:9::100", NULL);
    q.qtype = LLMNR_TYPE_ANY;
    q.ttl = 255;
    assert_int_equal(raw_query(&q, got, 2, &n), 1);
    expect_addrs(got, n, "10.213.9.100", "fd00:213:9::100");
    q.ttl = 2;
    assert_int_equal(raw_query(&q, got, 2, &n), 0);
    q.dest = "fd00:213:9::1";
    q.ttl = 255;
    assert_int_equal(raw_query(&q, got, 2, &n), 1);
    q.ttl = 64;
    assert_int_equal(raw_query(&q, got, 2, &n), 0);
    name_unpublish("democlus");
}

/* ------------------------------------------------------------------------------------------ */
/* the registry */

static void test_registry(void **state)
{
    struct net_addr addrs[NAME_ADDRS_MAX + 1], got[NAME_ADDRS_MAX];
    struct net_addr bad = {.family = AF_UNIX};
    size_t n = 99;

    for (size_t i = 0; i <= NAME_ADDRS_MAX; i++)
        addrs[i] = ipa("10.213.9.100");
    assert_int_equal(name_publish("a.b..c", addrs, 1), -EINVAL);
    assert_int_equal(name_publish(NULL, addrs, 1), -EINVAL);
    assert_int_equal(name_publish("democlus", NULL, 1), -EINVAL);
    assert_int_equal(name_publish("democlus", addrs, NAME_ADDRS_MAX + 1), -E2BIG);
    assert_int_equal(name_publish("democlus", &bad, 1), -EAFNOSUPPORT);
    assert_int_equal(name_lookup("democlus", got, NAME_ADDRS_MAX, &n), -ENOENT);
    assert_int_equal(n, 99);

    assert_int_equal(name_publish("democlus", addrs, NAME_ADDRS_MAX), 0);
    assert_int_equal(name_publish("other", addrs, 0), 0);
    assert_int_equal(name_lookup("DEMOCLUS", got, NAME_ADDRS_MAX, &n), 0);
    assert_int_equal(n, NAME_ADDRS_MAX);
    assert_int_equal(name_lookup("democlus", got, 3, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(name_lookup("other", got, 3, &n), 0);
    assert_int_equal(n, 0);
    name_unpublish("Other");
    name_unpublish("nosuch");
    name_unpublish(NULL);
    assert_int_equal(name_lookup("other", NULL, 0, NULL), -ENOENT);
    assert_int_equal(name_lookup("democlus", NULL, 0, NULL), 0);
    name_unpublish("democlus");
    assert_int_equal(name_lookup("democlus", NULL, 0, NULL), -ENOENT);
}

/* Many threads publishing and unpublishing while the responder reads: no crash, no leak
 * (valgrind/helgrind would see a race), and the registry ends empty. */
static void *churn(void *arg)
{
    char name[16];
    struct net_addr a = ipa("10.213.9.100");

    snprintf(name, sizeof(name), "churn%d", (int)(intptr_t)arg);
    for (int i = 0; i < 200; i++) {
        if (name_publish(name, &a, 1) != 0)
            return (void *)1;
        name_unpublish(name);
    }
    return NULL;
}

static void test_registry_threads(void **state)
{
    pthread_t t[4];
    void *rv;

    for (intptr_t i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, churn, (void *)i), 0);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(t[i], &rv), 0);
        assert_null(rv);
    }
    assert_int_equal(name_lookup("churn0", NULL, 0, NULL), -ENOENT);
}

/* ------------------------------------------------------------------------------------------ */
/* the Network Name driver */

static struct rm_resource netname(struct rm_prop *props, size_t n)
{
    struct rm_resource r = {.name = "Cluster Name", .type = "Network Name"};

    r.props = props;
    r.n_props = n;
    return r;
}

static void test_netname_publishes(void **state)
{
    struct rm_prop props[] = {{"Name", "democlus"}, {"Addresses", "10.213.9.100, fd00:213:9::100"}};
    struct rm_resource r = netname(props, 2);
    const struct rm_driver *d = rm_driver_find("netname");
    struct net_addr got[4];
    size_t n;

    assert_int_equal(d->online(&r), 0);
    assert_int_equal(resolve_b("democlus", AF_UNSPEC, TIMEOUT_MS, got, 4, &n), 0);
    expect_addrs(got, n, "10.213.9.100", "fd00:213:9::100");
    assert_int_equal(d->looks_alive(&r), 0);
    assert_int_equal(d->is_alive(&r), 0);
    /* online again takes the new Addresses */
    props[1].value = "10.213.9.102";
    assert_int_equal(d->online(&r), 0);
    assert_int_equal(resolve_b("democlus", AF_UNSPEC, TIMEOUT_MS, got, 4, &n), 0);
    expect_addrs(got, n, "10.213.9.102", NULL);
    /* unpublished behind the driver's back: the checks see it */
    name_unpublish("democlus");
    assert_int_equal(d->looks_alive(&r), -ENETDOWN);
    assert_string_equal(r.errmsg, "network name democlus is no longer published");
    assert_int_equal(d->online(&r), 0);
    assert_int_equal(d->offline(&r), 0);
    assert_null(r.priv);
    assert_int_equal(resolve_b("democlus", AF_UNSPEC, TIMEOUT_MS, got, 4, &n), -ENOENT);
    assert_int_equal(d->is_alive(&r), -ENETDOWN);
    assert_string_equal(r.errmsg, "network name Cluster Name is not online");
    assert_int_equal(d->offline(&r), 0); /* idempotent */
    assert_int_equal(d->online(&r), 0);
    rm_terminate(d, &r);
    assert_null(r.priv);
    assert_int_equal(name_lookup("democlus", NULL, 0, NULL), -ENOENT);
}

/* Without IP resources (no Addresses): online, nothing published. */
static void test_netname_no_addresses(void **state)
{
    struct rm_prop props[] = {{"Name", "democlus"}, {"Addresses", " "}};
    struct rm_resource r = netname(props, 2);

    assert_int_equal(rm_netname_driver.online(&r), 0);
    assert_int_equal(name_lookup("democlus", NULL, 0, NULL), -ENOENT);
    assert_int_equal(rm_netname_driver.looks_alive(&r), 0);
    r.n_props = 1;
    assert_int_equal(rm_netname_driver.online(&r), 0);
    assert_int_equal(rm_netname_driver.is_alive(&r), 0);
    /* addresses added while online are published; emptied again, unpublished */
    r.n_props = 2;
    props[1].value = "10.213.9.100";
    assert_int_equal(rm_netname_driver.online(&r), 0);
    assert_int_equal(name_lookup("democlus", NULL, 0, NULL), 0);
    props[1].value = "";
    assert_int_equal(rm_netname_driver.online(&r), 0);
    assert_int_equal(name_lookup("democlus", NULL, 0, NULL), -ENOENT);
    assert_int_equal(rm_netname_driver.offline(&r), 0);
}

static void netname_fails(struct rm_prop *props, size_t n, int err, const char *msg_part)
{
    struct rm_resource r = netname(props, n);

    assert_int_equal(rm_netname_driver.online(&r), err);
    if (!strstr(r.errmsg, msg_part)) {
        fprintf(stderr, "errmsg '%s' lacks '%s'\n", r.errmsg, msg_part);
        fail();
    }
    assert_null(r.priv);
}

static void test_netname_bad_properties(void **state)
{
    char many[NAME_ADDRS_MAX * 16] = "";
    struct rm_prop no_name[] = {{"Addresses", "10.213.9.100"}};
    struct rm_prop empty_name[] = {{"Name", ""}};
    struct rm_prop dotted[] = {{"Name", "demo.clus"}};
    struct rm_prop bad_addr[] = {{"Name", "democlus"}, {"Addresses", "10.213.9.100,10.213.9.300"}};
    struct rm_prop hole[] = {{"Name", "democlus"}, {"Addresses", "10.213.9.100,,10.213.9.101"}};
    struct rm_prop name_addr[] = {{"Name", "democlus"}, {"Addresses", "democlus"}};
    struct rm_prop too_many[] = {{"Name", "democlus"}, {"Addresses", many}};

    for (int i = 0; i <= NAME_ADDRS_MAX; i++)
        snprintf(many + strlen(many), sizeof(many) - strlen(many), "%s10.213.9.%d",
                 i ? "," : "", 100 + i);
    netname_fails(no_name, 1, -EINVAL, "Name is missing");
    netname_fails(empty_name, 1, -EINVAL, "Name is missing");
    netname_fails(dotted, 1, -EINVAL, "'demo.clus' is not a valid network name");
    netname_fails(bad_addr, 2, -EINVAL, "'10.213.9.300'");
    netname_fails(hole, 2, -EINVAL, "Addresses: '' is not a numeric address");
    netname_fails(name_addr, 2, -EINVAL, "'democlus' is not a numeric address");
    netname_fails(too_many, 2, -E2BIG, "more than 16 addresses");
    assert_int_equal(name_lookup("democlus", NULL, 0, NULL), -ENOENT);
}

/* Runs with no responder: a name with addresses cannot be served, so it does not go online. */
static void test_netname_needs_responder(void **state)
{
    struct rm_prop props[] = {{"Name", "democlus"}, {"Addresses", "10.213.9.100"}};

    assert_false(name_responder_running());
    netname_fails(props, 2, -ENETDOWN, "no LLMNR responder runs on this node");
    assert_int_equal(name_lookup("democlus", NULL, 0, NULL), -ENOENT);
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

/* IPv6 addresses usable at once (no DAD), so link-local sources exist from the start. */
static void no_dad(void)
{
    const char *paths[] = {"/proc/sys/net/ipv6/conf/all/accept_dad",
                           "/proc/sys/net/ipv6/conf/default/accept_dad"};

    for (size_t i = 0; i < 2; i++) {
        int fd = open(paths[i], O_WRONLY | O_CLOEXEC);

        if (fd >= 0) {
            must((int)write(fd, "0", 1), paths[i]);
            close(fd);
        }
    }
}

static void wait_carrier(int ifindex)
{
    struct net_if_info info;

    for (int i = 0; i < 150; i++) {
        if (net_if_info(ifindex, &info) == 0 && info.up && info.lower_up)
            return;
        usleep(20000);
    }
    must(-ETIMEDOUT, "carrier");
}

/* The peer: unshares B, says so, and lives until the pipe closes. */
static void peer_main(int to_a, int from_a)
{
    char c;

    must(unshare(CLONE_NEWNET), "unshare B");
    must((int)write(to_a, "r", 1), "write");
    while (read(from_a, &c, 1) > 0)
        ;
    _exit(0);
}

static void configure(int ifindex, const char *v4, const char *v6)
{
    struct net_addr a4 = ipa(v4), a6 = ipa(v6);

    must(link_set_up(ifindex, 1), "link up");
    must(net_addr_add(ifindex, &a4, 24, 0), "v4 address");
    must(net_addr_add(ifindex, &a6, 64, 0), "v6 address");
}

/* Sets up namespace A (we are in it) and B. Returns B's pid; *ret_fd keeps B alive. */
static pid_t setup_namespaces(int *ret_fd)
{
    int up[2], down[2];
    char c, path[64];
    pid_t peer;

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
    close(up[0]);
    snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)peer);
    ns_b = must(open(path, O_RDONLY | O_CLOEXEC), "open B");
    ns_a = must(open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), "open A");
    no_dad();
    enter(ns_b);
    no_dad();
    enter(ns_a);
    /* loopback up, as on any host: replies to our own address go through it */
    must(link_set_up((int)if_nametoindex("lo"), 1), "lo up");
    must(veth_create("va", "vb", peer), "veth");
    va = (int)if_nametoindex("va");
    configure(va, "10.213.9.1", "fd00:213:9::1");
    enter(ns_b);
    vb = (int)if_nametoindex("vb");
    configure(vb, "10.213.9.2", "fd00:213:9::2");
    enter(ns_a);
    wait_carrier(va);
    *ret_fd = down[1];
    return peer;
}

static int run_in_namespace(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolve_invalid),
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_netname_needs_responder),
        cmocka_unit_test_setup_teardown(test_resolve_both, responder_up, responder_down),
        cmocka_unit_test_setup_teardown(test_resolve_by_family, responder_up, responder_down),
        cmocka_unit_test_setup_teardown(test_resolve_unknown_times_out, responder_up,
                                        responder_down),
        cmocka_unit_test_setup_teardown(test_unpublish_and_replace, responder_up, responder_down),
        cmocka_unit_test_setup_teardown(test_no_address_of_family, responder_up, responder_down),
        cmocka_unit_test_setup_teardown(test_resolve_same_host, responder_up, responder_down),
        cmocka_unit_test_setup_teardown(test_ttl_rules_v4, responder_up, responder_down),
        cmocka_unit_test_setup_teardown(test_other_group_ignored, responder_up, responder_down),
        cmocka_unit_test_setup_teardown(test_ipv6, responder_up, responder_down),
        cmocka_unit_test_setup_teardown(test_registry_threads, responder_up, responder_down),
        cmocka_unit_test_setup_teardown(test_netname_publishes, responder_up, responder_down),
        cmocka_unit_test_setup_teardown(test_netname_no_addresses, responder_up, responder_down),
        cmocka_unit_test_setup_teardown(test_netname_bad_properties, responder_up,
                                        responder_down),
        cmocka_unit_test(test_stopped_responder_is_silent),
    };
    int keep_alive, status, rv;
    pid_t peer;

    log_level = LOG_WARNING; /* the responder's notices are not what we test */
    alarm(50);                /* the time bound: a hung query or loop kills the run */
    if (unshare(CLONE_NEWNET) < 0) {
        fprintf(stderr, "cannot unshare a network namespace (%s): skipping\n", strerror(errno));
        return SKIP;
    }
    peer = setup_namespaces(&keep_alive);
    rv = cmocka_run_group_tests(tests, NULL, NULL);
    close(keep_alive);
    close(ns_a);
    close(ns_b);
    waitpid(peer, &status, 0);
    return rv;
}

int main(void)
{
    int status;
    pid_t child;

    if (geteuid() != 0) {
        fprintf(stderr, "test_llmnr_ns needs root: skipping\n");
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
