/*
 * rm_genscript — placeholder until its driver lands: every call fails.
 */
#include <errno.h>

#include "daemon/rm/rm.h"

static int genscript_online(struct rm_resource *r)
{
    return rm_fail(r, -ENOSYS, "the genscript driver is not built yet");
}

static int genscript_offline(struct rm_resource *r)
{
    (void)r;
    return 0;
}

const struct rm_driver rm_genscript_driver = {
    .type_name = "genscript",
    .online = genscript_online,
    .offline = genscript_offline,
    .looks_alive = genscript_online,
    .is_alive = genscript_online,
};
