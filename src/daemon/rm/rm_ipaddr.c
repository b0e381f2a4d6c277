/*
 * rm_ipaddr — the "IP Address" and "IPv6 Address" resource driver.
 *
 * Private properties: Address (numeric IPv4 or IPv6; an "IPv6 Address" resource takes IPv6 only),
 * PrefixLength (decimal) or, for IPv4 as Windows' IP Address has it, SubnetMask (a contiguous
 * dotted mask; PrefixLength wins when both are set), Network (the cluster network's name:
 * recorded, since the subnet already picks the interface), and optional LeaseSeconds (decimal,
 * 1..4294967294): the address's valid lifetime, after which the kernel itself removes it unless
 * online renews it; absent = forever. Held by the resource host (in clussvc), an address lives
 * at most RHS_LIFETIME_SEC from the add on, and the host renews that while the lease holds.
 *
 * The settings are read at online and kept in r->priv with the interface, so that offline and
 * terminate remove what was added even if the properties change meanwhile.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "common/address.h"
#include "common/prop.h"
#include "common/mono_clock.h"
#include "daemon/base/log.h"
#include "daemon/net/net_addr.h"
#include "daemon/net/net_announce.h"
#include "daemon/net/net_probe.h"
#include "daemon/rm/rhs.h"
#include "daemon/rm/rm.h"

#define PROBE_TIMEOUT_MS 50 /* LAN replies take well under 1 ms; every failover waits this out */
/* The longest a fenced holder's copy of an address can outlive its lease: its resource host
 * renews it with a lifetime of RHS_LIFETIME_SEC, and the kernel removes expired addresses on a
 * whole-second clock. A holder frozen whole, its resource host too, cannot remove it sooner. */
#define FENCED_COPY_MS ((RHS_LIFETIME_SEC + 1) * 1000)
#define PROBE_AGAIN_MS 100 /* how often a copy that still answers is asked again */

struct ipaddr_config {
    struct net_addr addr;
    uint32_t prefix;
    uint32_t lease_sec; /* 0: forever */
    char text[ADDR_STRLEN];
};

struct ipaddr_state {
    struct ipaddr_config config;
    int ifindex; /* where online put the address */
};

/* ------------------------------------------------------------------------------------------ */
/* settings */

/* Strict decimal: digits only, no sign, no leading zeros, at most max. */
static int parse_u32(const char *s, uint32_t max, uint32_t *ret)
{
    uint64_t v = 0;

    if (!s || !*s || (s[0] == '0' && s[1] != '\0'))
        return -EINVAL;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -EINVAL;
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > max)
            return -EINVAL;
    }
    *ret = (uint32_t)v;
    return 0;
}

/* A dotted IPv4 mask with its ones first ("255.255.255.0") to its prefix length. */
static int mask_prefix(struct rm_resource *r, const char *mask, uint32_t *ret)
{
    struct net_addr m;
    uint32_t bits, prefix = 0;

    if (addr_parse(mask, &m) < 0 || m.family != AF_INET)
        return rm_fail(r, -EINVAL, "SubnetMask '%s' is not a dotted IPv4 mask", mask);
    bits = (uint32_t)m.bytes[0] << 24 | (uint32_t)m.bytes[1] << 16 | (uint32_t)m.bytes[2] << 8
           | m.bytes[3];
    while (prefix < 32 && (bits & (UINT32_C(1) << (31 - prefix))))
        prefix++;
    if (prefix == 0 || (prefix < 32 && (bits << prefix) != 0))
        return rm_fail(r, -EINVAL, "SubnetMask '%s' is not a contiguous mask", mask);
    *ret = prefix;
    return 0;
}

static int parse_address(struct rm_resource *r, struct ipaddr_config *c)
{
    const char *s = rm_prop(r, "Address");

    if (!s)
        return rm_fail(r, -EINVAL, "property Address is missing");
    if (addr_parse(s, &c->addr) < 0)
        return rm_fail(r, -EINVAL, "Address '%s' is not a numeric IP address", s);
    if (r->type && strcasecmp(r->type, "IPv6 Address") == 0 && c->addr.family != AF_INET6)
        return rm_fail(r, -EINVAL, "an IPv6 Address resource needs an IPv6 address, not %s", s);
    addr_format(&c->addr, c->text, sizeof(c->text));
    return 0;
}

/* Reads and checks the private properties; fails with a message naming the bad one. */
static int config_from_props(struct rm_resource *r, struct ipaddr_config *ret)
{
    struct ipaddr_config c = {0};
    const char *s;
    int rv = parse_address(r, &c);

    if (rv < 0)
        return rv;
    s = rm_prop(r, "PrefixLength");
    if (!s && rm_prop(r, "SubnetMask") && c.addr.family == AF_INET)
        rv = mask_prefix(r, rm_prop(r, "SubnetMask"), &c.prefix);
    else if (!s)
        return rm_fail(r, -EINVAL, "property PrefixLength is missing");
    else if (parse_u32(s, addr_bits(&c.addr), &c.prefix) < 0 || c.prefix == 0)
        return rm_fail(r, -EINVAL, "PrefixLength '%s' is not 1..%u", s, addr_bits(&c.addr));
    if (rv < 0)
        return rv;
    s = rm_prop(r, "LeaseSeconds");
    /* the kernel reads 0xffffffff as "forever", so the largest lease is one less */
    if (s && (parse_u32(s, UINT32_MAX - 1, &c.lease_sec) < 0 || c.lease_sec == 0))
        return rm_fail(r, -EINVAL, "LeaseSeconds '%s' is not 1..4294967294", s);
    *ret = c;
    return 0;
}

/* The settings online used, or else the current properties. */
static int config_get(struct rm_resource *r, struct ipaddr_config *ret)
{
    const struct ipaddr_state *st = r->priv;

    if (st) {
        *ret = st->config;
        return 0;
    }
    return config_from_props(r, ret);
}

/* ------------------------------------------------------------------------------------------ */
/* messages */

static const char *err_text(int err, char *buf, size_t n)
{
    return strerror_r(-err, buf, n);
}

static void ifname(int ifindex, char buf[NET_IF_NAMESIZE + 16])
{
    struct net_if_info info;

    if (net_if_info(ifindex, &info) == 0 && info.name[0])
        snprintf(buf, NET_IF_NAMESIZE + 16, "%s", info.name);
    else
        snprintf(buf, NET_IF_NAMESIZE + 16, "interface %d", ifindex);
}

/* ------------------------------------------------------------------------------------------ */
/* entry points */

/*
 * Does another host answer for c's address (1), or nobody (0)? Taken over from a node that was
 * fenced, the copy that answers is most likely that node's, frozen whole: it goes with its
 * lifetime, so the probe is repeated until FENCED_COPY_MS (within the call's own bound) before a
 * conflict is called. Such a wait is part of the failover, not a failure of the resource.
 * Handed over by a member that let go of it, there is nothing to probe for.
 */
static int probe_in_use(const struct rm_resource *r, int ifindex, const struct ipaddr_config *c)
{
    uint64_t start = mono_ms(), deadline = start + FENCED_COPY_MS;
    const struct timespec pause = {.tv_nsec = PROBE_AGAIN_MS * 1000000L};
    bool told = false;
    int rv;

    if (r->handed_over)
        return 0;
    if (r->timeout_ms != 0 && start + r->timeout_ms / 2 < deadline)
        deadline = start + r->timeout_ms / 2;
    while ((rv = net_probe_in_use(ifindex, &c->addr, PROBE_TIMEOUT_MS)) == 1 &&
           mono_ms() + PROBE_AGAIN_MS < deadline) {
        if (!told)
            LOGI("ipaddr", "%s: %s still answers elsewhere, a fenced holder's copy until its "
                 "lifetime ends: waiting up to %u ms", r->name, c->text, FENCED_COPY_MS);
        told = true;
        nanosleep(&pause, NULL); /* nothing to wait on: only a probe tells */
    }
    return rv;
}

/* The lifetime an address is added or renewed with: with a resource host, the one the host
 * keeps it at, from the very add (a node frozen whole right after it loses the address too); else
 * LeaseSeconds. */
static uint32_t lifetime(const struct ipaddr_config *c)
{
    if (rhs_fd() < 0)
        return c->lease_sec;
    return c->lease_sec != 0 && c->lease_sec < RHS_LIFETIME_SEC ? c->lease_sec : RHS_LIFETIME_SEC;
}

/* Probes, adds and announces an address that is not configured yet. */
static int take_address(struct rm_resource *r, const struct ipaddr_config *c, int *ret_ifindex)
{
    char name[NET_IF_NAMESIZE + 16], eb[64];
    int ifindex = 0, rv;

    rv = net_addr_find_ifindex(&c->addr, c->prefix, &ifindex);
    if (rv == -ENETUNREACH)
        return rm_fail(r, rv, "no interface is on the subnet of %s/%u", c->text, c->prefix);
    if (rv < 0)
        return rm_fail(r, rv, "cannot list addresses: %s", err_text(rv, eb, sizeof(eb)));
    ifname(ifindex, name);
    rv = probe_in_use(r, ifindex, c);
    if (rv == 1)
        return rm_fail(r, -EADDRINUSE, "address %s already answers on %s", c->text, name);
    if (rv < 0)
        return rm_fail(r, rv, "cannot probe for %s on %s: %s", c->text, name,
                       err_text(rv, eb, sizeof(eb)));
    /* The resource host learns of the address first: whatever happens to clussvc after the
     * add, the address goes when the lease does. */
    rhs_hold(ifindex, &c->addr, c->prefix);
    rv = net_addr_add(ifindex, &c->addr, c->prefix, lifetime(c));
    if (rv < 0) {
        rhs_release(ifindex, &c->addr, c->prefix);
        return rm_fail(r, rv, "cannot add %s/%u to %s: %s", c->text, c->prefix, name,
                       err_text(rv, eb, sizeof(eb)));
    }
    /* online is all or nothing: an address neighbours do not learn about is not really up */
    rv = net_announce(ifindex, &c->addr, RM_IPADDR_ANNOUNCES);
    if (rv < 0) {
        net_addr_del(ifindex, &c->addr, c->prefix);
        rhs_release(ifindex, &c->addr, c->prefix);
        return rm_fail(r, rv, "cannot announce %s on %s: %s", c->text, name,
                       err_text(rv, eb, sizeof(eb)));
    }
    *ret_ifindex = ifindex;
    return 0;
}

static int bring_online(struct rm_resource *r, const struct ipaddr_config *c, int *ret_ifindex)
{
    char eb[64];
    int ifindex = 0, rv = net_addr_present(&c->addr, &ifindex);

    if (rv < 0)
        return rm_fail(r, rv, "cannot list addresses: %s", err_text(rv, eb, sizeof(eb)));
    if (rv == 0)
        return take_address(r, c, ret_ifindex);
    rhs_hold(ifindex, &c->addr, c->prefix); /* re-adopted after a restart */
    /* already here: nothing to probe or announce, but a lease is renewed */
    if (lifetime(c) != 0) {
        rv = net_addr_add(ifindex, &c->addr, c->prefix, lifetime(c));
        if (rv < 0)
            return rm_fail(r, rv, "cannot renew the lease of %s: %s", c->text,
                           err_text(rv, eb, sizeof(eb)));
    }
    *ret_ifindex = ifindex;
    return 0;
}

static int ipaddr_online(struct rm_resource *r)
{
    struct ipaddr_state *st;
    struct ipaddr_config c = {0};
    int ifindex = 0, rv = config_from_props(r, &c);

    if (rv < 0)
        return rv;
    /* allocate first, so an address once added is never left without state to remove it */
    st = r->priv ? r->priv : calloc(1, sizeof(*st));
    if (!st)
        return rm_fail(r, -ENOMEM, "out of memory");
    rv = bring_online(r, &c, &ifindex);
    if (rv < 0) {
        if (st != r->priv)
            free(st);
        return rv;
    }
    st->config = c;
    st->ifindex = ifindex;
    r->priv = st;
    return 0;
}

static int ipaddr_offline(struct rm_resource *r)
{
    struct ipaddr_config c = {0};
    char eb[64];
    int ifindex = 0, rv = config_get(r, &c);

    if (rv < 0)
        return rv;
    rv = net_addr_present(&c.addr, &ifindex);
    if (rv == 1) {
        rv = net_addr_del(ifindex, &c.addr, c.prefix);
        if (rv < 0)
            return rm_fail(r, rv, "cannot remove %s: %s", c.text, err_text(rv, eb, sizeof(eb)));
        /* the kernel ignores a delete whose prefix differs (IPv6): no false success */
        rv = net_addr_present(&c.addr, NULL);
        if (rv == 1)
            return rm_fail(r, -EBUSY, "%s is still configured (with a prefix other than /%u?)",
                           c.text, c.prefix);
        rhs_release(ifindex, &c.addr, c.prefix);
    }
    if (rv < 0)
        return rm_fail(r, rv, "cannot list addresses: %s", err_text(rv, eb, sizeof(eb)));
    free(r->priv);
    r->priv = NULL;
    return 0;
}

static int ipaddr_looks_alive(struct rm_resource *r)
{
    struct ipaddr_config c = {0};
    char eb[64];
    int rv = config_get(r, &c);

    if (rv < 0)
        return rv;
    rv = net_addr_present(&c.addr, NULL);
    if (rv < 0)
        return rm_fail(r, rv, "cannot list addresses: %s", err_text(rv, eb, sizeof(eb)));
    if (rv == 0)
        return rm_fail(r, -EADDRNOTAVAIL, "address %s is no longer configured", c.text);
    return 0;
}

static int ipaddr_is_alive(struct rm_resource *r)
{
    struct ipaddr_config c = {0};
    struct net_if_info info;
    char eb[64];
    int ifindex = 0, rv = config_get(r, &c);

    if (rv < 0)
        return rv;
    rv = net_addr_present(&c.addr, &ifindex);
    if (rv < 0)
        return rm_fail(r, rv, "cannot list addresses: %s", err_text(rv, eb, sizeof(eb)));
    if (rv == 0)
        return rm_fail(r, -EADDRNOTAVAIL, "address %s is no longer configured", c.text);
    rv = net_if_info(ifindex, &info);
    if (rv < 0)
        return rm_fail(r, rv, "cannot read interface %d: %s", ifindex,
                       err_text(rv, eb, sizeof(eb)));
    if (!info.up)
        return rm_fail(r, -ENETDOWN, "%s (holding %s) is down", info.name, c.text);
    if (!info.lower_up)
        return rm_fail(r, -ENETDOWN, "%s (holding %s) has no carrier", info.name, c.text);
    return 0;
}

static void ipaddr_terminate(struct rm_resource *r)
{
    struct ipaddr_config c = {0};
    int ifindex = 0;

    if (config_get(r, &c) == 0) {
        const struct ipaddr_state *st = r->priv;

        if (net_addr_present(&c.addr, &ifindex) == 1)
            net_addr_del(ifindex, &c.addr, c.prefix);
        /* released even when already gone (a failed health check): the host holds nothing */
        rhs_release(st != NULL ? st->ifindex : ifindex, &c.addr, c.prefix);
    }
    free(r->priv);
    r->priv = NULL;
}

static struct rm_param ipaddr_params[] = {
    {"Address", PROP_SYNTAX_SZ, true, NULL, "the numeric address to bring online"},
    {"PrefixLength", PROP_SYNTAX_DWORD, false, NULL, "the subnet's prefix length"},
    {"SubnetMask", PROP_SYNTAX_SZ, false, NULL, "IPv4: the subnet mask, if PrefixLength is not set"},
    {"Network", PROP_SYNTAX_SZ, false, NULL, "the cluster network (the subnet picks the interface)"},
    {"LeaseSeconds", PROP_SYNTAX_DWORD, false, NULL, "the address's kernel lifetime (absent: forever)"},
};

static int ipaddr_type_info(const char *driver_arg, struct rm_type_info **ret)
{
    (void)driver_arg;
    return rm_type_info_static(ipaddr_params, sizeof(ipaddr_params) / sizeof(ipaddr_params[0]), ret);
}

const struct rm_driver rm_ipaddr_driver = {
    .type_name = "ipaddr",
    .online = ipaddr_online,
    .offline = ipaddr_offline,
    .looks_alive = ipaddr_looks_alive,
    .is_alive = ipaddr_is_alive,
    .terminate = ipaddr_terminate,
    .type_info = ipaddr_type_info,
};
