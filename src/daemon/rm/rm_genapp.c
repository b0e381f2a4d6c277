/*
 * rm_genapp — placeholder until its driver lands: every call fails.
 */
#include <errno.h>

#include "daemon/rm/rm.h"

static int genapp_online(struct rm_resource *r)
{
    return rm_fail(r, -ENOSYS, "the genapp driver is not built yet");
}

static int genapp_offline(struct rm_resource *r)
{
    (void)r;
    return 0;
}

const struct rm_driver rm_genapp_driver = {
    .type_name = "genapp",
    .online = genapp_online,
    .offline = genapp_offline,
    .looks_alive = genapp_online,
    .is_alive = genapp_online,
};
