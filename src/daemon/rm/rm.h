/*
 * rm — resource drivers: the node-local code that brings one kind of cluster resource online and
 * offline and checks its health (the shape of Windows resource DLLs and OCF agents).
 *
 * Every entry point is blocking and runs on a worker thread, never on the event loop. Entry points
 * return 0 or a negative errno, and on failure leave a readable reason in r->errmsg.
 */
#ifndef CLUSSVC_RM_H
#define CLUSSVC_RM_H

#include <stdbool.h>
#include <stddef.h>

#define RM_ERRMSG_SIZE 256

struct rm_prop {
    const char *key;
    const char *value;
};

struct rm_resource {
    const char *name;             /* resource name, e.g. "Cluster IP Address" */
    const char *type;             /* resource type name, e.g. "IP Address" */
    const struct rm_prop *props;  /* private properties of the resource */
    size_t n_props;
    void *priv;                   /* the driver's own state between calls */
    bool handed_over;             /* online: a cluster member let go of it just now, so no
                                     conflict probe is needed */
    char errmsg[RM_ERRMSG_SIZE];  /* why the last call failed */
};

struct rm_driver {
    const char *type_name;
    int (*online)(struct rm_resource *r);
    int (*offline)(struct rm_resource *r);
    /* quick check, called often: 0 alive, negative errno if not */
    int (*looks_alive)(struct rm_resource *r);
    /* thorough check, called less often */
    int (*is_alive)(struct rm_resource *r);
    /* immediate, unconditional offline; must not fail. NULL: offline serves (a driver whose
     * offline already forces everything down). Call it through rm_terminate(). */
    void (*terminate)(struct rm_resource *r);
};

/* The value of property key, or NULL. */
const char *rm_prop(const struct rm_resource *r, const char *key);
/* Formats r->errmsg and returns err (a negative errno) so drivers can `return rm_fail(...)`. */
int rm_fail(struct rm_resource *r, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Takes r down at once with d's terminate, or its offline when it has none. */
void rm_terminate(const struct rm_driver *d, struct rm_resource *r);
/* The driver for a resource type name (case-insensitive), or NULL. */
const struct rm_driver *rm_driver_find(const char *type_name);

extern const struct rm_driver rm_ipaddr_driver;  /* "IP Address" and "IPv6 Address" */
#define RM_IPADDR_ANNOUNCES 2 /* gratuitous ARPs / unsolicited NAs an online sends */
extern const struct rm_driver rm_netname_driver; /* "Network Name" */

#endif
