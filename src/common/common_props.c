/*
 * common_props — the common properties of resources, groups, resource types and nodes (see
 * common_props.h): Windows' names, syntaxes, defaults and bounds, from Microsoft's "Resource
 * Common Properties", "Group Common Properties", "Resource Type Common Properties" and "Node
 * Common Properties". Pure.
 */
#include "common/common_props.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <clusapi.h>

#define ANY 0u, 0u
#define DW PROP_SYNTAX_DWORD
#define SZ PROP_SYNTAX_SZ
#define NONE "4294967295" /* 0xFFFFFFFF: "not set", "use the type's", "no window" */

/*
 * Bounds: a DWORD outside min..max is refused, except its default, which is always accepted
 * (FailbackWindowStart is 0..23 or 0xFFFFFFFF for "no window", as Windows documents it).
 */
static const struct cprop resource_props[] = {
    {"Name", SZ, true, "", ANY},
    {"Type", SZ, true, "", ANY},
    {"Id", SZ, true, "", ANY},
    {"Description", SZ, false, "", ANY},
    {"IsAlivePollInterval", DW, false, NONE, 10u, UINT32_MAX},
    {"LooksAlivePollInterval", DW, false, NONE, 10u, UINT32_MAX},
    {"PendingTimeout", DW, false, "180000", ANY},
    {"PersistentState", DW, false, "0", 0u, 1u},
    {"RestartAction", DW, false, "2", 0u, 2u},
    {"RestartDelay", DW, false, "500", ANY},
    {"RestartPeriod", DW, false, "900000", ANY},
    {"RestartThreshold", DW, false, "3", ANY},
    {"RetryPeriodOnFailure", DW, false, "3600000", ANY},
    {"SeparateMonitor", DW, false, "0", 0u, 1u},
};

static const struct cprop group_props[] = {
    {"Name", SZ, true, "", ANY},
    {"Id", SZ, true, "", ANY},
    {"Description", SZ, false, "", ANY},
    {"AntiAffinityClassNames", PROP_SYNTAX_MULTI_SZ, false, "", ANY},
    {"AutoFailbackType", DW, false, "0", 0u, 1u},
    {"FailbackWindowEnd", DW, false, NONE, 0u, 23u},
    {"FailbackWindowStart", DW, false, NONE, 0u, 23u},
    {"FailoverPeriod", DW, false, "6", 0u, 1193u},
    {"FailoverThreshold", DW, false, NONE, ANY},
    {"PersistentState", DW, false, "0", 0u, 1u},
    {"Priority", DW, false, "2000", 0u, 3000u},
};

static const struct cprop restype_props[] = {
    {"Name", SZ, true, "", ANY},
    {"DllName", SZ, true, "", ANY},
    {"Description", SZ, false, "", ANY},
    {"IsAlivePollInterval", DW, false, "60000", 1u, UINT32_MAX},
    {"LooksAlivePollInterval", DW, false, "5000", 1u, UINT32_MAX},
};

/*
 * Of Windows' node properties, those clusapi can fill truthfully: the name, the configured vote,
 * the vote the cluster gives now and StatusInformation (NodeStatusQuarantined). Windows documents NodeWeight's default as 0, yet every node
 * it adds votes (weight 1), and so do ours. The others (versions, drain status, fault domains
 * ...) describe Windows machines or features clusapi has not got, so they are left out rather
 * than made up. IsWitness is clusapi's own: Windows' witness is a resource, ours a node.
 */
static const struct cprop node_props[] = {
    {CPROP_NODE_NAME, SZ, true, "", ANY},
    {CPROP_NODE_WEIGHT, DW, false, "1", 0u, 1u},
    {CPROP_NODE_DYNAMIC_WEIGHT, DW, true, "0", 0u, 1u},
    {CPROP_NODE_IS_WITNESS, DW, true, "0", 0u, 1u},
    {CPROP_NODE_STATUS_INFO, DW, true, "0", 0u, UINT32_MAX},
};

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

const struct cprop *cprop_table(enum cprop_object o, size_t *ret_n)
{
    switch (o) {
    case CPROP_RESOURCE:
        *ret_n = LEN(resource_props);
        return resource_props;
    case CPROP_GROUP:
        *ret_n = LEN(group_props);
        return group_props;
    case CPROP_RESTYPE:
        *ret_n = LEN(restype_props);
        return restype_props;
    case CPROP_NODE:
        *ret_n = LEN(node_props);
        return node_props;
    }
    *ret_n = 0;
    return NULL;
}

const struct cprop *cprop_find(enum cprop_object o, const char *name)
{
    size_t n;
    const struct cprop *t = cprop_table(o, &n);

    for (size_t i = 0; name != NULL && i < n; i++)
        if (strcasecmp(t[i].name, name) == 0)
            return &t[i];
    return NULL;
}

/* An unsigned decimal of at most max, digits only: 0 or -EINVAL. */
static int parse_unsigned(const char *s, uint64_t max, uint64_t *ret)
{
    uint64_t v = 0;

    if (s == NULL || *s == '\0' || strlen(s) > 20)
        return -EINVAL;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return -EINVAL;
        if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
            return -EINVAL;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    if (v > max)
        return -EINVAL;
    *ret = v;
    return 0;
}

static bool is_hex_bytes(const char *s)
{
    size_t n = strlen(s);

    if (n % 2 != 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

bool cprop_value_valid(uint32_t syntax, const char *value)
{
    uint64_t v;

    if (value == NULL)
        return false;
    switch (syntax) {
    case PROP_SYNTAX_DWORD:
        return parse_unsigned(value, UINT32_MAX, &v) == 0;
    case PROP_SYNTAX_LONG:
        if (value[0] == '-')
            return parse_unsigned(value + 1, (uint64_t)INT32_MAX + 1, &v) == 0;
        return parse_unsigned(value, INT32_MAX, &v) == 0;
    case PROP_SYNTAX_ULARGE_INTEGER:
        return parse_unsigned(value, UINT64_MAX, &v) == 0;
    case PROP_SYNTAX_SZ:
    case PROP_SYNTAX_EXPAND_SZ:
    case PROP_SYNTAX_MULTI_SZ:
        return true;
    case PROP_SYNTAX_BINARY:
        return is_hex_bytes(value);
    default:
        return false;
    }
}

bool cprop_syntax_known(uint32_t syntax)
{
    return syntax >= PROP_SYNTAX_BINARY && syntax <= PROP_SYNTAX_LONG;
}

/* Is value (a DWORD that parsed) within p's bounds? Its default always is. */
static bool in_bounds(const struct cprop *p, uint32_t value, const char *text)
{
    if (strcmp(text, p->def) == 0)
        return true;
    if (p->min == 0 && p->max == 0)
        return true;
    return value >= p->min && value <= p->max;
}

uint32_t cprop_coerce_syntax(uint32_t declared, uint32_t given, const char *value)
{
    if (given == PROP_SYNTAX_SZ && declared != given && value != NULL
        && cprop_value_valid(declared, value))
        return declared;
    return given;
}

uint32_t cprop_check(enum cprop_object o, const char *name, uint32_t syntax, const char *value,
                     const struct cprop **ret, char *why, size_t n)
{
    const struct cprop *p = cprop_find(o, name);
    uint64_t v = 0;

    if (p == NULL) {
        snprintf(why, n, "'%s' is not a common property", name ? name : "");
        return ERROR_INVALID_PARAMETER;
    }
    if (p->read_only) {
        snprintf(why, n, "%s is read-only", p->name);
        return ERROR_INVALID_PARAMETER;
    }
    if (syntax != p->syntax) {
        snprintf(why, n, "%s takes syntax 0x%08" PRIx32 ", not 0x%08" PRIx32, p->name, p->syntax,
                 syntax);
        return ERROR_INVALID_PARAMETER;
    }
    if (value != NULL && !cprop_value_valid(syntax, value)) {
        snprintf(why, n, "%s: '%s' is not a valid value", p->name, value);
        return ERROR_INVALID_PARAMETER;
    }
    if (value != NULL && syntax == PROP_SYNTAX_DWORD) {
        parse_unsigned(value, UINT32_MAX, &v);
        if (!in_bounds(p, (uint32_t)v, value)) {
            snprintf(why, n, "%s: %s is not in %" PRIu32 "..%" PRIu32, p->name, value, p->min,
                     p->max);
            return ERROR_INVALID_PARAMETER;
        }
    }
    if (ret != NULL)
        *ret = p;
    return 0;
}

uint32_t cprop_check_all(enum cprop_object o, struct prop *v, size_t n, char *why, size_t n_why)
{
    for (size_t i = 0; i < n; i++) {
        const struct cprop *c = cprop_find(o, v[i].name);
        uint32_t st;

        if (c != NULL)
            v[i].syntax = cprop_coerce_syntax(c->syntax, v[i].syntax, v[i].value);
        st = cprop_check(o, v[i].name, v[i].syntax, v[i].value, NULL, why, n_why);
        if (st != 0)
            return st;
    }
    return 0;
}

uint32_t cprop_dword(enum cprop_object o, const char *name, const char *value)
{
    const struct cprop *p = cprop_find(o, name);
    uint64_t v;

    if (value != NULL && parse_unsigned(value, UINT32_MAX, &v) == 0)
        return (uint32_t)v;
    if (p != NULL && parse_unsigned(p->def, UINT32_MAX, &v) == 0)
        return (uint32_t)v;
    return 0;
}
