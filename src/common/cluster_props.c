/*
 * cluster_props — which cluster properties a client may change, and to what (see the header).
 */
#include "common/cluster_props.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <clusapi_wintypes.h>

struct rule {
    const char *name;
    uint32_t min, max;
    const char *unit;
    bool zero;       /* 0 is allowed too: "derive it from the others", "none" */
    const char *def; /* shown while never set; NULL: setup commits a value */
    bool node;       /* the value is a node id */
};

/* Windows' bounds (Get-Cluster | fl *SubnetDelay, *SubnetThreshold), and clusapi's QuorumLease:
 * how long a quorum's echo keeps a node's resources online, which is also how long a silent
 * owner keeps its groups from moving (0: twice SameSubnetDelay). The heartbeat reads them live:
 * the lease each heartbeat declares keeps a change safe while nodes apply it. DynamicQuorum and
 * LowerQuorumPriorityNodeId as Microsoft documents them (a DWORD 0..1, default 1; a node id, 0
 * for none). */
static const struct rule rules[] = {
    {"SameSubnetDelay", CLUSTER_DELAY_MIN, CLUSTER_DELAY_MAX, " ms", false, NULL, false},
    {"SameSubnetThreshold", CLUSTER_THRESHOLD_MIN, CLUSTER_THRESHOLD_MAX, " heartbeats", false,
     NULL, false},
    {"QuorumLease", CLUSTER_LEASE_MIN, CLUSTER_LEASE_MAX, " ms (or 0)", true, NULL, false},
    {CLUSTER_PROP_DYNAMIC_QUORUM, 0, 1, "", false, "1", false},
    {CLUSTER_PROP_LOWER_QUORUM_PRIORITY, 0, UINT32_MAX, " (a node id, or 0 for none)", false,
     "0", true},
    {CLUSTER_PROP_QUARANTINE_THRESHOLD, 0, UINT32_MAX, " departures (0: never)", false, "3",
     false},
    {CLUSTER_PROP_QUARANTINE_DURATION, 0, UINT32_MAX, " s (4294967295: until resumed)", false,
     "7200", false},
};

#define N_RULES (sizeof(rules) / sizeof(rules[0]))

/* Computed by the cluster, never set. */
static const char *const read_only[] = {CLUSTER_PROP_WITNESS_DYNAMIC_WEIGHT};

const char *const cluster_props_settable[] = {"SameSubnetDelay", "SameSubnetThreshold",
                                              "QuorumLease", CLUSTER_PROP_DYNAMIC_QUORUM,
                                              CLUSTER_PROP_LOWER_QUORUM_PRIORITY,
                                              CLUSTER_PROP_QUARANTINE_THRESHOLD,
                                              CLUSTER_PROP_QUARANTINE_DURATION};
const size_t cluster_props_n_settable =
    sizeof(cluster_props_settable) / sizeof(cluster_props_settable[0]);

static const struct rule *find_rule(const char *name)
{
    for (size_t i = 0; name != NULL && i < N_RULES; i++)
        if (strcasecmp(rules[i].name, name) == 0)
            return &rules[i];
    return NULL;
}

/* Strict decimal: digits only, no sign, no leading zero, at most 10 digits. */
static int parse_decimal(const char *s, uint64_t *ret)
{
    uint64_t v = 0;
    size_t len = 0;

    if (s[0] == '\0' || (s[0] == '0' && s[1] != '\0'))
        return -1;
    for (; *s != '\0'; s++, len++) {
        if (*s < '0' || *s > '9' || len == 10)
            return -1;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *ret = v;
    return 0;
}

/* Does value parse and lie within r's bounds? */
static bool valid_value(const struct rule *r, const char *value, uint64_t *ret)
{
    if (value == NULL || parse_decimal(value, ret) < 0)
        return false;
    return (*ret >= r->min && *ret <= r->max) || (r->zero && *ret == 0);
}

/* "'x' is not a cluster property that can be set (SameSubnetDelay, ...)", or "x is read-only". */
static void why_unknown(const char *name, char *why, size_t n)
{
    size_t len;

    for (size_t i = 0; i < sizeof(read_only) / sizeof(read_only[0]); i++)
        if (strcasecmp(read_only[i], name) == 0) {
            snprintf(why, n, "%s is read-only: the cluster computes it", read_only[i]);
            return;
        }
    snprintf(why, n, "'%s' is not a cluster property that can be set (", name);
    for (size_t i = 0; i < N_RULES && (len = strlen(why)) < n; i++)
        snprintf(why + len, n - len, "%s%s", rules[i].name, i + 1 < N_RULES ? ", " : ")");
}

uint32_t cluster_prop_check(const char *name, const char *value, const char **canonical,
                            char *why, size_t n)
{
    const struct rule *r = find_rule(name);
    uint64_t v;

    if (r == NULL) {
        why_unknown(name, why, n);
        return ERROR_INVALID_PARAMETER;
    }
    if (!valid_value(r, value, &v)) {
        snprintf(why, n, "%s must be a whole number from %u to %u%s, not '%s'", r->name, r->min,
                 r->max, r->unit, value ? value : "");
        return ERROR_INVALID_PARAMETER;
    }
    *canonical = r->name;
    return 0;
}

const char *cluster_prop_default(const char *name)
{
    const struct rule *r = find_rule(name);

    return r != NULL ? r->def : NULL;
}

bool cluster_prop_names_node(const char *name)
{
    const struct rule *r = find_rule(name);

    return r != NULL && r->node;
}

uint32_t cluster_prop_u32(const char *name, const char *stored)
{
    const struct rule *r = find_rule(name);
    uint64_t v = 0;

    if (r == NULL)
        return 0;
    if (valid_value(r, stored, &v))
        return (uint32_t)v;
    if (r->def != NULL && parse_decimal(r->def, &v) == 0)
        return (uint32_t)v;
    return 0;
}
