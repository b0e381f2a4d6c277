/*
 * rm_gensvc — placeholder until its driver lands: every call fails.
 */
#include <errno.h>

#include "daemon/rm/rm.h"

static int gensvc_online(struct rm_resource *r)
{
    return rm_fail(r, -ENOSYS, "the gensvc driver is not built yet");
}

static int gensvc_offline(struct rm_resource *r)
{
    (void)r;
    return 0;
}

const struct rm_driver rm_gensvc_driver = {
    .type_name = "gensvc",
    .online = gensvc_online,
    .offline = gensvc_offline,
    .looks_alive = gensvc_online,
    .is_alive = gensvc_online,
};
