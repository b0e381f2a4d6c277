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
#include <stdint.h>

#define RM_ERRMSG_SIZE 256

struct rm_prop {
    const char *key;
    const char *value;
};

struct rm_resource {
    const char *name;             /* resource name, e.g. "Cluster IP Address" */
    const char *type;             /* resource type name, e.g. "IP Address" */
    const char *driver_arg;       /* the type's driver string ("ocf:heartbeat:nginx", "genapp") */
    uint32_t timeout_ms;          /* how long the call under way may take (PendingTimeout, or
                                     the OCF action's timeout): a driver that runs processes
                                     kills them past it and fails the call with -ETIMEDOUT */
    const struct rm_prop *props;  /* private properties of the resource */
    size_t n_props;
    void *priv;                   /* the driver's own state between calls */
    bool handed_over;             /* online: a cluster member let go of it just now, so no
                                     conflict probe is needed */
    char errmsg[RM_ERRMSG_SIZE];  /* why the last call failed */
};

/* One private property a driver takes: what ENUM_PRIVATE_PROPERTIES lists, what create and
 * SET_PRIVATE_PROPERTIES are checked against. */
struct rm_param {
    const char *name;
    uint32_t syntax;          /* PROP_SYNTAX_* (common/prop.h) */
    bool required;
    const char *def;          /* default in text form, or NULL */
    const char *description;  /* one line, or NULL */
};

/* What a driver says about one type (rm_type_info): its properties and action timeouts. One
 * malloc'd object; rm_type_info_free() releases it. */
struct rm_type_info {
    struct rm_param *params;
    size_t n_params;
    uint32_t start_ms, stop_ms, monitor_ms, validate_ms; /* 0: PendingTimeout decides */
    uint32_t monitor_interval_ms;                       /* 0: none advised */
};

struct rm_driver {
    const char *type_name; /* the driver string restype.driver holds ("ipaddr", "ocf" …) */
    int (*online)(struct rm_resource *r);
    int (*offline)(struct rm_resource *r);
    /* quick check, called often: 0 alive, negative errno if not */
    int (*looks_alive)(struct rm_resource *r);
    /* thorough check, called less often */
    int (*is_alive)(struct rm_resource *r);
    /* immediate, unconditional offline; must not fail. NULL: offline serves (a driver whose
     * offline already forces everything down). Call it through rm_terminate(). */
    void (*terminate)(struct rm_resource *r);
    /* Optional. After a successful online, on the loop thread, at each arming of the watch: a
     * descriptor that becomes readable when the resource dies between checks (a pidfd), or a
     * regular file that signals POLLPRI then (cgroup.events), or -1. Owned by the driver. */
    int (*watch_fd)(struct rm_resource *r);
    /* Optional. Checks r's properties before its first online here (OCF validate-all);
     * 0 or negative errno with errmsg. */
    int (*validate)(struct rm_resource *r);
    /* Optional. What type driver_arg takes (blocking: may run an agent's meta-data); NULL
     * for a driver without properties. 0 or negative errno; *ret to rm_type_info_free(). */
    int (*type_info)(const char *driver_arg, struct rm_type_info **ret);
};

/* The value of property key, or NULL. */
const char *rm_prop(const struct rm_resource *r, const char *key);
/* Formats r->errmsg and returns err (a negative errno) so drivers can `return rm_fail(...)`. */
int rm_fail(struct rm_resource *r, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Takes r down at once with d's terminate, or its offline when it has none. */
void rm_terminate(const struct rm_driver *d, struct rm_resource *r);
/* The driver for a driver string (restype.driver: "ipaddr", "genapp", "ocf:heartbeat:nginx" …;
 * case-insensitive), or NULL. */
const struct rm_driver *rm_driver_find(const char *driver);
/* The type information of a driver string (see struct rm_driver's type_info); a driver without
 * type_info gives an empty one. */
int rm_type_info(const char *driver, struct rm_type_info **ret);
void rm_type_info_free(struct rm_type_info *info);
/* For a driver whose parameters are a static table: an info pointing at params[0..n) and no
 * timeouts. rm_type_info_free() frees only the info, so the table stays the driver's. */
int rm_type_info_static(struct rm_param *params, size_t n, struct rm_type_info **ret);
/* The private property of a driver's type by name (any case), or NULL. */
const struct rm_param *rm_type_param(const struct rm_type_info *info, const char *name);

/* Built-in types registered at CreateCluster (phase 202): type name, driver string. */
struct rm_builtin_type {
    const char *type_name;
    const char *driver;
};
extern const struct rm_builtin_type rm_builtin_types[];
extern const size_t rm_n_builtin_types;

extern const struct rm_driver rm_ipaddr_driver;  /* "IP Address" and "IPv6 Address" */
#define RM_IPADDR_ANNOUNCES 2 /* gratuitous ARPs / unsolicited NAs an online sends */
extern const struct rm_driver rm_netname_driver; /* "Network Name" */
extern const struct rm_driver rm_genapp_driver;  /* "Generic Application" (rm_genapp.c) */
extern const struct rm_driver rm_genscript_driver; /* "Generic Script" (rm_genscript.c) */
extern const struct rm_driver rm_gensvc_driver;  /* "Generic Service", systemd (rm_gensvc.c) */
extern const struct rm_driver rm_ocf_driver;     /* "ocf:PROVIDER:AGENT" (rm_ocf.c) */
extern const struct rm_driver rm_witness_driver; /* "Node Witness" (rm_witness.c) */

/* A witness member as the service reads it from the database, for the Node Witness driver. */
#define RM_WITNESS_MAX 4
struct rm_witness_member {
    char address[64]; /* numeric, as the node table holds it */
    uint16_t port;    /* its management port */
    bool up;          /* recorded Up: heard */
};
/* Replaces what the Node Witness driver knows of the witness members (at most RM_WITNESS_MAX
 * are kept). Any thread. */
void rm_witness_publish(const struct rm_witness_member *v, size_t n);

#endif
