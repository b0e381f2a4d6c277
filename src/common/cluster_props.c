/*
 * cluster_props — which cluster properties a client may change, and to what (see the header).
 */
#include "common/cluster_props.h"

#include <stdbool.h>
#include <stdio.h>
#include <strings.h>

#include <clusapi_wintypes.h>

struct rule {
    const char *name;
    uint32_t min, max;
    const char *unit;
    bool zero; /* 0 is allowed too: "derive it from the others" */
};

/* Windows' bounds (Get-Cluster | fl *SubnetDelay, *SubnetThreshold), and clusapi's QuorumLease:
 * how long a quorum's echo keeps a node's resources online, which is also how long a silent
 * owner keeps its groups from moving (0: twice SameSubnetDelay). The heartbeat reads them live:
 * the lease each heartbeat declares keeps a change safe while nodes apply it. */
static const struct rule rules[] = {
    {"SameSubnetDelay", CLUSTER_DELAY_MIN, CLUSTER_DELAY_MAX, " ms", false},
    {"SameSubnetThreshold", CLUSTER_THRESHOLD_MIN, CLUSTER_THRESHOLD_MAX, " heartbeats", false},
    {"QuorumLease", CLUSTER_LEASE_MIN, CLUSTER_LEASE_MAX, " ms (or 0)", true},
};

const char *const cluster_props_settable[] = {"SameSubnetDelay", "SameSubnetThreshold",
                                              "QuorumLease"};
const size_t cluster_props_n_settable =
    sizeof(cluster_props_settable) / sizeof(cluster_props_settable[0]);

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

uint32_t cluster_prop_check(const char *name, const char *value, const char **canonical,
                            char *why, size_t n)
{
    const struct rule *r = NULL;
    uint64_t v;

    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]) && r == NULL; i++)
        if (strcasecmp(rules[i].name, name) == 0)
            r = &rules[i];
    if (r == NULL) {
        snprintf(why, n, "'%s' is not a cluster property that can be set (SameSubnetDelay, "
                         "SameSubnetThreshold, QuorumLease)", name);
        return ERROR_INVALID_PARAMETER;
    }
    if (parse_decimal(value, &v) < 0 || ((v < r->min || v > r->max) && !(r->zero && v == 0))) {
        snprintf(why, n, "%s must be a whole number from %u to %u%s, not '%s'", r->name, r->min,
                 r->max, r->unit, value);
        return ERROR_INVALID_PARAMETER;
    }
    *canonical = r->name;
    return 0;
}
