/*
 * common_props — the common properties of resources, groups, resource types and nodes: Windows'
 * names, syntaxes, defaults and bounds, and which of them are read-only. Pure.
 *
 * The cluster database stores only values an administrator set; a property never set has the
 * default from this table. Read-only properties (Name, Type, …) are computed by whoever answers
 * the query, never stored. Cluster common properties stay in common/cluster_props.h.
 *
 * A node's properties live in its own database row (NodeWeight is cdb_node.weight), so the
 * library reads them from the node query (common/control_map.h), not from a property query.
 */
#ifndef CLUSAPI_COMMON_PROPS_H
#define CLUSAPI_COMMON_PROPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/prop.h"

enum cprop_object {
    CPROP_RESOURCE,
    CPROP_GROUP,
    CPROP_RESTYPE,
    CPROP_NODE,
};

struct cprop {
    const char *name;    /* Windows' spelling */
    uint32_t syntax;     /* PROP_SYNTAX_* */
    bool read_only;      /* computed; GET_RO_COMMON_PROPERTIES lists these */
    const char *def;     /* the default in text form ("" for none) */
    uint32_t min, max;   /* bounds of a DWORD (both 0: any value) */
};

/* The table of an object kind, in Windows' order; *ret_n entries. */
const struct cprop *cprop_table(enum cprop_object o, size_t *ret_n);
/* A common property of that kind by name (any case), or NULL. */
const struct cprop *cprop_find(enum cprop_object o, const char *name);
/*
 * May value (text form, with syntax as the caller sent it) be set as common property name of
 * that kind? 0 with *ret the table entry, or a Win32 code with the reason in why (n bytes):
 * ERROR_INVALID_PARAMETER for an unknown name, a wrong syntax or a value out of bounds,
 * ERROR_INVALID_PARAMETER as well for a read-only one.
 */
uint32_t cprop_check(enum cprop_object o, const char *name, uint32_t syntax, const char *value,
                     const struct cprop **ret, char *why, size_t n);
/*
 * cprop_check() over the n properties of v, in order, each first given the syntax
 * cprop_coerce_syntax() makes of it (v[i].syntax is updated): 0, or the first refusal's code
 * with its reason in why (n_why bytes). Nothing is checked past the first refusal.
 */
uint32_t cprop_check_all(enum cprop_object o, struct prop *v, size_t n, char *why, size_t n_why);
/* Does value parse as the text form (common/prop.h) of syntax? false for an unknown syntax. */
bool cprop_value_valid(uint32_t syntax, const char *value);
/* Is syntax one of the PROP_SYNTAX_* values? */
bool cprop_syntax_known(uint32_t syntax);
/*
 * The syntax a property given as given (with value) is taken as when its declared syntax is
 * declared: a string (SZ) whose text is valid in the declared syntax counts as that syntax, so
 * clients that only know strings (clusctl's KEY=VALUE) set DWORD properties; anything else
 * stays as given (and is refused if it differs).
 */
uint32_t cprop_coerce_syntax(uint32_t declared, uint32_t given, const char *value);
/* A DWORD common property's value: value if it parses, else the table's default (0 if none). */
uint32_t cprop_dword(enum cprop_object o, const char *name, const char *value);

/* Windows' defaults the group manager applies (the table holds the same numbers as text). */
#define CPROP_RESTART_ACTION_DEFAULT 2u       /* ClusterResourceRestartNotify */
#define CPROP_RESTART_THRESHOLD_DEFAULT 3u
#define CPROP_RESTART_PERIOD_DEFAULT 900000u  /* ms */
#define CPROP_RESTART_DELAY_DEFAULT 500u      /* ms */
#define CPROP_RETRY_PERIOD_DEFAULT 3600000u   /* ms; 0xFFFFFFFF: never */
#define CPROP_PENDING_TIMEOUT_DEFAULT 180000u /* ms */
#define CPROP_LOOKS_ALIVE_DEFAULT 5000u       /* ms (resource types) */
#define CPROP_IS_ALIVE_DEFAULT 60000u         /* ms (resource types) */
#define CPROP_POLL_USE_TYPE 0xFFFFFFFFu       /* a resource's poll interval: use its type's */
#define CPROP_FAILOVER_THRESHOLD_DEFAULT 0xFFFFFFFFu /* "number of nodes - 1" */
#define CPROP_FAILOVER_PERIOD_DEFAULT 6u      /* hours */
#define CPROP_FAILBACK_WINDOW_NONE 0xFFFFFFFFu /* FailbackWindowStart/End: no window */
#define CPROP_PRIORITY_DEFAULT 2000u          /* medium */
#define CPROP_NODE_WEIGHT_DEFAULT 1u          /* every node votes unless told not to */

/* Node common property names (Windows' CLUSREG_NAME_NODE_*, and IsWitness, clusapi's own). */
#define CPROP_NODE_NAME "NodeName"
#define CPROP_NODE_WEIGHT "NodeWeight"
#define CPROP_NODE_DYNAMIC_WEIGHT "DynamicWeight"
#define CPROP_NODE_IS_WITNESS "IsWitness"
#define CPROP_NODE_STATUS_INFO "StatusInformation" /* CLUSTER_NODE_STATUS flags */

#endif
