/*
 * rm_netname — the "Network Name" resource driver.
 *
 * What this driver does today is only bookkeeping: online and offline succeed and record the
 * state, and the health checks report that state. Publishing the name (making the cluster name
 * resolve to the cluster's addresses) is not done here: it lives in the daemon's name responder,
 * which is written separately and answers for the name while this resource is online. Until that
 * responder consults this state, a Network Name being "online" says nothing about resolution.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "daemon/rm.h"

struct netname_state {
    bool online;
};

static int netname_online(struct rm_resource *r)
{
    struct netname_state *st = r->priv ? r->priv : calloc(1, sizeof(*st));

    if (!st)
        return rm_fail(r, -ENOMEM, "out of memory");
    st->online = true;
    r->priv = st;
    return 0;
}

static int netname_offline(struct rm_resource *r)
{
    free(r->priv);
    r->priv = NULL;
    return 0;
}

static int netname_check(struct rm_resource *r)
{
    const struct netname_state *st = r->priv;

    if (!st || !st->online)
        return rm_fail(r, -ENETDOWN, "network name %s is not online", r->name ? r->name : "");
    return 0;
}

static void netname_terminate(struct rm_resource *r)
{
    netname_offline(r);
}

const struct rm_driver rm_netname_driver = {
    .type_name = "Network Name",
    .online = netname_online,
    .offline = netname_offline,
    .looks_alive = netname_check,
    .is_alive = netname_check,
    .terminate = netname_terminate,
};
