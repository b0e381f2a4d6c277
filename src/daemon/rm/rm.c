/*
 * rm — what all resource drivers share: property lookup, failure messages, the driver table.
 */
#include "daemon/rm/rm.h"
#include "common/restypes.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The drivers by the string a resource type names them with (restype.driver). */
static const struct rm_driver *const drivers[] = {
    &rm_ipaddr_driver, &rm_netname_driver, &rm_genapp_driver,
    &rm_genscript_driver, &rm_gensvc_driver, &rm_witness_driver,
};

/* Windows' type names where Windows has the type; one driver may serve several. The list is
 * common/restypes.h's, the one libclusapi registers at CreateCluster. */
const struct rm_builtin_type rm_builtin_types[] = {RESTYPES_BUILTIN_INITIALIZERS};
const size_t rm_n_builtin_types = sizeof(rm_builtin_types) / sizeof(rm_builtin_types[0]);

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

/* Also without case, as type names. "ocf:PROVIDER:AGENT" is the OCF driver's, whichever agent
 * it names (the driver checks that the agent is installed when it runs). */
const struct rm_driver *rm_driver_find(const char *driver)
{
    if (driver == NULL)
        return NULL;
    if (strncasecmp(driver, "ocf:", 4) == 0)
        return &rm_ocf_driver;
    for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
        if (strcasecmp(drivers[i]->type_name, driver) == 0)
            return drivers[i];
    return NULL;
}

int rm_type_info(const char *driver, struct rm_type_info **ret)
{
    const struct rm_driver *d = rm_driver_find(driver);

    if (d == NULL)
        return -ENOENT;
    if (d->type_info != NULL)
        return d->type_info(driver, ret);
    return rm_type_info_static(NULL, 0, ret);
}

int rm_type_info_static(struct rm_param *params, size_t n, struct rm_type_info **ret)
{
    struct rm_type_info *info = calloc(1, sizeof(*info));

    if (info == NULL)
        return -ENOMEM;
    info->params = params;
    info->n_params = n;
    *ret = info;
    return 0;
}

void rm_type_info_free(struct rm_type_info *info)
{
    free(info);
}

const struct rm_param *rm_type_param(const struct rm_type_info *info, const char *name)
{
    for (size_t i = 0; info != NULL && i < info->n_params; i++)
        if (strcasecmp(info->params[i].name, name) == 0)
            return &info->params[i];
    return NULL;
}
