/*
 * rm — what all resource drivers share: property lookup, failure messages, the driver table.
 */
#include "daemon/rm/rm.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Type names as Windows spells them; one driver may serve several. */
static const struct {
    const char *type_name;
    const struct rm_driver *driver;
} drivers[] = {
    {"IP Address", &rm_ipaddr_driver},
    {"IPv6 Address", &rm_ipaddr_driver},
    {"Network Name", &rm_netname_driver},
};

/* Keys compare without case, as Windows property lists do (ResUtil); the first match wins. */
const char *rm_prop(const struct rm_resource *r, const char *key)
{
    for (size_t i = 0; i < r->n_props; i++)
        if (r->props[i].key && strcasecmp(r->props[i].key, key) == 0)
            return r->props[i].value;
    return NULL;
}

int rm_fail(struct rm_resource *r, int err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(r->errmsg, sizeof(r->errmsg), fmt, ap);
    va_end(ap);
    return err;
}

void rm_terminate(const struct rm_driver *d, struct rm_resource *r)
{
    if (d->terminate != NULL)
        d->terminate(r);
    else
        (void)d->offline(r); /* a driver without terminate: its offline cannot fail to stop */
}

/* Also without case: Windows resource type names are case-insensitive. */
const struct rm_driver *rm_driver_find(const char *type_name)
{
    if (!type_name)
        return NULL;
    for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
        if (strcasecmp(drivers[i].type_name, type_name) == 0)
            return drivers[i].driver;
    return NULL;
}
