/*
 * rm_netname — the "Network Name" resource driver: while online, the node answers LLMNR queries
 * for the name (name_responder), as a Windows Network Name registers it in DNS.
 *
 * Properties:
 *   Name       the name to publish: one label (LLMNR resolves names without dots), required;
 *   DnsName    the name as DNS would register it (recorded; publishing in DNS is not here);
 *   Addresses  comma-separated numeric addresses it resolves to ("10.0.0.50, fd00::50"); the
 *              group manager fills it from the IP Address resources the name depends on.
 * Empty or missing Addresses is a name without IP resources (a NONE or DNS-only/DNN-like
 * management point): online succeeds and publishes nothing, since an answer without addresses
 * would tell clients the name exists but cannot be reached.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/address.h"
#include "common/llmnr.h"
#include "common/prop.h"
#include "common/names.h"
#include "daemon/net/name_responder.h"
#include "daemon/rm/rm.h"

struct netname_state {
    bool online;
    bool published; /* name is in the registry on our behalf */
    char name[LLMNR_NAME_MAX + 1];
};

/* One list item, spaces around it trimmed, into ret. */
static int address_item(struct rm_resource *r, const char *item, size_t len,
                        struct net_addr *ret)
{
    char text[ADDR_STRLEN];

    while (len && *item == ' ')
        item++, len--;
    while (len && item[len - 1] == ' ')
        len--;
    if (len == 0 || len >= sizeof(text))
        return rm_fail(r, -EINVAL, "Addresses: '%.*s' is not a numeric address", (int)len, item);
    memcpy(text, item, len);
    text[len] = '\0';
    if (addr_parse(text, ret) < 0)
        return rm_fail(r, -EINVAL, "Addresses: '%s' is not a numeric address", text);
    return 0;
}

/* Parses the Addresses property (NULL or blank: none) into ret[NAME_ADDRS_MAX]. */
static int addresses_parse(struct rm_resource *r, const char *list, struct net_addr *ret,
                           size_t *ret_n)
{
    size_t n = 0;

    if (!list || list[strspn(list, " ")] == '\0') {
        *ret_n = 0;
        return 0;
    }
    for (;;) {
        size_t len = strcspn(list, ",");
        int rv;

        if (n == NAME_ADDRS_MAX)
            return rm_fail(r, -E2BIG, "Addresses: more than %d addresses", NAME_ADDRS_MAX);
        rv = address_item(r, list, len, &ret[n]);
        if (rv < 0)
            return rv;
        n++;
        if (list[len] == '\0')
            break;
        list += len + 1;
    }
    *ret_n = n;
    return 0;
}

static int check_name(struct rm_resource *r, const char *name)
{
    if (!name || !*name)
        return rm_fail(r, -EINVAL, "network name %s: Name is missing", r->name ? r->name : "");
    if (strchr(name, '.') || llmnr_name_check(name) < 0)
        return rm_fail(r, -EINVAL, "'%s' is not a valid network name (one label, 1..63 bytes)",
                       name);
    return 0;
}

/* Publishes (or, with n == 0, stops publishing) name for st. */
static int publish(struct rm_resource *r, struct netname_state *st, const char *name,
                   const struct net_addr *addrs, size_t n)
{
    int rv;

    if (st->published && (n == 0 || !name_equal(st->name, name))) {
        name_unpublish(st->name); /* emptied or renamed while online */
        st->published = false;
    }
    if (n == 0)
        return 0;
    if (!name_responder_running())
        return rm_fail(r, -ENETDOWN, "no LLMNR responder runs on this node to publish %s", name);
    rv = name_publish(name, addrs, n);
    if (rv < 0)
        return rm_fail(r, rv, "cannot publish %s: %s", name, strerror(-rv));
    st->published = true;
    strcpy(st->name, name);
    return 0;
}

/* Online again while online refreshes the published addresses from the properties. */
static int netname_online(struct rm_resource *r)
{
    const char *name = rm_prop(r, "Name");
    struct net_addr addrs[NAME_ADDRS_MAX];
    struct netname_state *st = r->priv;
    bool fresh = !st;
    size_t n = 0;
    int rv;

    rv = check_name(r, name);
    if (rv == 0)
        rv = addresses_parse(r, rm_prop(r, "Addresses"), addrs, &n);
    if (rv < 0)
        return rv;
    if (fresh && !(st = calloc(1, sizeof(*st))))
        return rm_fail(r, -ENOMEM, "out of memory");
    rv = publish(r, st, name, addrs, n);
    if (rv < 0) {
        if (fresh)
            free(st);
        return rv;
    }
    if (!st->published)
        strcpy(st->name, name);
    st->online = true;
    r->priv = st;
    return 0;
}

static int netname_offline(struct rm_resource *r)
{
    struct netname_state *st = r->priv;

    if (st && st->published)
        name_unpublish(st->name);
    free(st);
    r->priv = NULL;
    return 0;
}

/* Alive: online, and if it has addresses, still published with a responder to answer. */
static int netname_check(struct rm_resource *r)
{
    const struct netname_state *st = r->priv;

    if (!st || !st->online)
        return rm_fail(r, -ENETDOWN, "network name %s is not online", r->name ? r->name : "");
    if (!st->published)
        return 0;
    if (name_lookup(st->name, NULL, 0, NULL) < 0)
        return rm_fail(r, -ENETDOWN, "network name %s is no longer published", st->name);
    if (!name_responder_running())
        return rm_fail(r, -ENETDOWN, "no LLMNR responder answers for %s", st->name);
    return 0;
}

static struct rm_param netname_params[] = {
    {"Name", PROP_SYNTAX_SZ, true, NULL, "the name to publish (one label)"},
    {"DnsName", PROP_SYNTAX_SZ, false, NULL, "the name in DNS"},
};

static int netname_type_info(const char *driver_arg, struct rm_type_info **ret)
{
    (void)driver_arg;
    return rm_type_info_static(netname_params, sizeof(netname_params) / sizeof(netname_params[0]), ret);
}

const struct rm_driver rm_netname_driver = {
    .type_name = "netname",
    .online = netname_online,
    .offline = netname_offline,
    .looks_alive = netname_check,
    .is_alive = netname_check, /* no terminate: its offline stops everything */
    .type_info = netname_type_info,
};
