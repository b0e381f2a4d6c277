/*
 * create_config — validation of a CREATE_CLUSTER_CONFIG (REFERENCE §3.3) and its translation into a
 * plan in UTF-8 that the setup orchestrator carries out. Pure: no node is contacted here, so an
 * invalid configuration fails before anything changes anywhere.
 */
#ifndef CLUSAPI_CREATE_CONFIG_H
#define CLUSAPI_CREATE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <clusapi.h>

#define CREATE_MAX_NODES 64 /* more gives ERROR_CLUSTER_TOO_MANY_NODES */
/* More IP entries than this are refused (ERROR_INVALID_PARAMETER) before anything is allocated:
 * a count the caller's array cannot hold must not become a huge allocation or an overread. */
#define CREATE_MAX_IPS 64

struct create_ip {
    char address[64];
    uint32_t prefix;
    bool ipv6;
};

struct create_plan {
    uint32_t version;
    char *cluster_name; /* the CN when the name was given as a distinguished name */
    size_t n_nodes;
    char **nodes;
    size_t n_ips;
    struct create_ip *ips;
    bool empty;
    CLUSTER_MGMT_POINT_TYPE mgmt_type;       /* effective, after the CNO downgrade */
    CLUSTER_MGMT_POINT_RESTYPE mgmt_restype; /* effective: AUTO resolves to SNN here */
    bool mgmt_downgraded;                    /* CNO became DNS_ONLY: phase 1 warns */
};

/*
 * Checks cfg in REFERENCE §3.3's order and fills *ret. Returns 0, or the Win32 code of the first
 * rule broken (87, 50, 5911, 5916, 5917, 5935, 8) with a static reason in *ret_reason; *ret is then
 * untouched. Free a plan with create_plan_free().
 */
uint32_t create_plan_build(const CREATE_CLUSTER_CONFIG *cfg, struct create_plan *ret,
                           const char **ret_reason);
void create_plan_free(struct create_plan *p);
/* Do the plan's resources need IP Address resources / a Network Name? */
bool create_plan_wants_ips(const struct create_plan *p);
bool create_plan_wants_network_name(const struct create_plan *p);

#endif
