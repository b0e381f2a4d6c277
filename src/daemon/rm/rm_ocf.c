/*
 * rm_ocf — placeholder until its driver lands: every call fails.
 */
#include <errno.h>

#include "daemon/rm/rm.h"

static int ocf_online(struct rm_resource *r)
{
    return rm_fail(r, -ENOSYS, "the ocf driver is not built yet");
}

static int ocf_offline(struct rm_resource *r)
{
    (void)r;
    return 0;
}

const struct rm_driver rm_ocf_driver = {
    .type_name = "ocf",
    .online = ocf_online,
    .offline = ocf_offline,
    .looks_alive = ocf_online,
    .is_alive = ocf_online,
};

#include "daemon/rm/rm_ocf.h"

int rm_ocf_agents(char ***ret_names, size_t *ret_n)
{
    *ret_names = NULL;
    *ret_n = 0;
    return 0;
}
