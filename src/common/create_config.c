/*
 * create_config — CREATE_CLUSTER_CONFIG validation (see create_config.h).
 */
#include "common/create_config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/address.h"
#include "common/names.h"
#include "common/utf16.h"

#define MAX_NAME_UNITS 1024 /* longest UTF-16 name accepted, NUL included */

static bool wstr_empty(PCWSTR s)
{
    return s == NULL || s[0] == 0;
}

/* Rule 1: with dwVersion >= GA, user, password and domain are all given or none. */
static uint32_t check_credentials(const CREATE_CLUSTER_CONFIG *cfg, const char **reason)
{
    bool any, all;

    if (cfg->dwVersion < CLUSAPI_VERSION_GA)
        return 0;
    any = cfg->pszUserName || cfg->pszPassword || cfg->pszDomain;
    all = !wstr_empty(cfg->pszUserName) && !wstr_empty(cfg->pszPassword) &&
          !wstr_empty(cfg->pszDomain);
    if (any && !all) {
        *reason = "user name, password and domain must be given together";
        return ERROR_INVALID_PARAMETER;
    }
    return 0;
}

static bool has_credentials(const CREATE_CLUSTER_CONFIG *cfg)
{
    return cfg->dwVersion >= CLUSAPI_VERSION_GA && !wstr_empty(cfg->pszUserName);
}

/* Rules 5, 6 and 10: the management point and whether IPs fit it. */
static uint32_t check_mgmt(const CREATE_CLUSTER_CONFIG *cfg, struct create_plan *p,
                           const char **reason)
{
    CLUSTER_MGMT_POINT_TYPE type = CLUSTER_MGMT_POINT_TYPE_CNO;
    CLUSTER_MGMT_POINT_RESTYPE restype = CLUSTER_MGMT_POINT_RESTYPE_AUTO;

    if (cfg->dwVersion >= CLUSAPI_VERSION_WINDOWSBLUE)
        type = cfg->managementPointType;
    if (cfg->dwVersion >= CLUSAPI_VERSION_RS3)
        restype = cfg->managementPointResType;
    if ((unsigned)type > CLUSTER_MGMT_POINT_TYPE_CNO_ONLY ||
        (unsigned)restype > CLUSTER_MGMT_POINT_RESTYPE_DNN) {
        *reason = "unknown management point type";
        return ERROR_INVALID_PARAMETER;
    }
    if (cfg->fEmptyCluster)
        type = CLUSTER_MGMT_POINT_TYPE_NONE;
    if (restype == CLUSTER_MGMT_POINT_RESTYPE_AUTO)
        restype = CLUSTER_MGMT_POINT_RESTYPE_SNN; /* no cloud platform is detected here */
    if (!cfg->fEmptyCluster) {
        bool needs_ips = type != CLUSTER_MGMT_POINT_TYPE_NONE &&
                         restype == CLUSTER_MGMT_POINT_RESTYPE_SNN;

        if (needs_ips && cfg->cIpEntries == 0) {
            *reason = "this management point needs at least one IP address";
            return ERROR_INVALID_PARAMETER;
        }
        if (!needs_ips && cfg->cIpEntries != 0) {
            *reason = "this management point takes no IP address";
            return ERROR_INVALID_PARAMETER;
        }
    }
    /* Linux nodes are in no Active Directory domain (rule 10). */
    if (type == CLUSTER_MGMT_POINT_TYPE_CNO_ONLY && !has_credentials(cfg)) {
        *reason = "a CNO-only management point needs domain credentials";
        return ERROR_INVALID_PARAMETER;
    }
    if (type == CLUSTER_MGMT_POINT_TYPE_CNO || type == CLUSTER_MGMT_POINT_TYPE_CNO_ONLY) {
        type = CLUSTER_MGMT_POINT_TYPE_DNS_ONLY;
        p->mgmt_downgraded = true;
    }
    p->mgmt_type = type;
    p->mgmt_restype = restype;
    return 0;
}

/* A UTF-16 name to UTF-8, with the Win32 code for what is wrong with it. */
static uint32_t convert_name(PCWSTR w, char **ret, const char **reason)
{
    int rv = utf16_to_utf8((const char16_t *)w, MAX_NAME_UNITS, ret);

    if (rv == -ENAMETOOLONG) {
        *reason = "name is not terminated or too long";
        return ERROR_CLUSTER_INVALID_STRING_TERMINATION;
    }
    if (rv == -ENOMEM) {
        *reason = "out of memory";
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    if (rv < 0) {
        *reason = "name is not valid UTF-16";
        return ERROR_CLUSTER_INVALID_STRING_FORMAT;
    }
    return 0;
}

/* Rule 8 for the cluster name: a plain name or a DN whose CN is the name; name rules apply. */
static uint32_t check_cluster_name(PCWSTR w, struct create_plan *p, const char **reason)
{
    char *text, *name;
    uint32_t code = convert_name(w, &text, reason);
    int rv;

    if (code != 0)
        return code;
    rv = name_parse_dn(text, &name);
    free(text);
    if (rv < 0) {
        *reason = "the cluster name is a malformed distinguished name";
        return ERROR_INVALID_PARAMETER;
    }
    if (name_check_cluster(name, reason) < 0) {
        free(name);
        return ERROR_CLUSTER_INVALID_STRING_FORMAT;
    }
    p->cluster_name = name;
    return 0;
}

static uint32_t check_nodes(const CREATE_CLUSTER_CONFIG *cfg, struct create_plan *p,
                            const char **reason)
{
    uint32_t code;

    p->nodes = calloc(cfg->cNodes, sizeof(*p->nodes));
    if (p->nodes == NULL) {
        *reason = "out of memory";
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    for (DWORD i = 0; i < cfg->cNodes; i++) {
        char *name;

        if (wstr_empty(cfg->ppszNodeNames[i])) {
            *reason = "a node name is empty";
            return ERROR_INVALID_PARAMETER;
        }
        code = convert_name(cfg->ppszNodeNames[i], &name, reason);
        if (code != 0)
            return code;
        p->nodes[p->n_nodes++] = name;
        if (name_equal(name, p->cluster_name)) {
            *reason = "a node name equals the cluster name";
            return ERROR_INVALID_PARAMETER;
        }
        if (name_check_host(name, reason) < 0)
            return ERROR_CLUSTER_INVALID_STRING_FORMAT;
        for (size_t k = 0; k + 1 < p->n_nodes; k++) {
            if (name_equal(p->nodes[k], name)) {
                *reason = "a node is named twice";
                return ERROR_INVALID_PARAMETER;
            }
        }
    }
    return 0;
}

/* Rule 9, plus the address checks we make up front so a bad entry changes nothing. */
static uint32_t check_ip(const CLUSTER_IP_ENTRY *e, struct create_ip *ret, const char **reason)
{
    struct net_addr a;
    char *text;
    uint32_t code;

    if (wstr_empty(e->lpszIpAddress) || e->dwPrefixLength == 0) {
        *reason = "an IP entry has no address or a zero prefix length";
        return ERROR_INVALID_PARAMETER;
    }
    code = convert_name(e->lpszIpAddress, &text, reason);
    if (code != 0)
        return code;
    code = strlen(text) < sizeof(ret->address) ? addr_check_cluster_ip(text, e->dwPrefixLength,
                                                                       reason)
                                               : ERROR_INVALID_PARAMETER;
    if (code == 0 && addr_parse(text, &a) == 0 && addr_is_network_id(&a, e->dwPrefixLength)) {
        *reason = "DHCP addresses (a network id) are not supported; give a static address";
        code = ERROR_NOT_SUPPORTED;
    }
    if (code != 0 && *reason != NULL) {
        static __thread char why[160];

        snprintf(why, sizeof(why), "%s/%u: %s", text, e->dwPrefixLength, *reason);
        *reason = why;
    }
    if (code == 0) {
        strcpy(ret->address, text);
        ret->prefix = e->dwPrefixLength;
        ret->ipv6 = strchr(text, ':') != NULL;
    } else if (*reason == NULL) {
        *reason = "an IP address is too long";
    }
    free(text);
    return code;
}

static uint32_t check_ips(const CREATE_CLUSTER_CONFIG *cfg, struct create_plan *p,
                          const char **reason)
{
    uint32_t code;

    if (cfg->cIpEntries == 0)
        return 0;
    if (cfg->pIpEntries == NULL) {
        *reason = "cIpEntries is set but pIpEntries is NULL";
        return ERROR_INVALID_PARAMETER;
    }
    p->ips = calloc(cfg->cIpEntries, sizeof(*p->ips));
    if (p->ips == NULL) {
        *reason = "out of memory";
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    for (DWORD i = 0; i < cfg->cIpEntries; i++) {
        struct net_addr a, b;

        code = check_ip(&cfg->pIpEntries[i], &p->ips[i], reason);
        if (code != 0)
            return code;
        p->n_ips++;
        addr_parse(p->ips[i].address, &a);
        for (DWORD k = 0; k < i; k++) {
            if (addr_parse(p->ips[k].address, &b) == 0 && addr_cmp(&a, &b) == 0) {
                *reason = "an IP address is given twice";
                return ERROR_INVALID_PARAMETER;
            }
        }
    }
    return 0;
}

/* Rules 2 to 4: version, presence of the names, empty-cluster consistency. */
static uint32_t check_shape(const CREATE_CLUSTER_CONFIG *cfg, const char **reason)
{
    if ((cfg->dwVersion & CREATE_CLUSTER_MAJOR_VERSION_MASK) < CLUSAPI_VERSION_SERVER2008) {
        *reason = "dwVersion is older than CLUSAPI_VERSION_SERVER2008";
        return ERROR_NOT_SUPPORTED;
    }
    if (cfg->cNodes == 0 || cfg->ppszNodeNames == NULL || wstr_empty(cfg->lpszClusterName)) {
        *reason = "a cluster name and at least one node are required";
        return ERROR_INVALID_PARAMETER;
    }
    if (cfg->fEmptyCluster && (cfg->cIpEntries != 0 || cfg->pIpEntries != NULL)) {
        *reason = "an empty cluster takes no IP address";
        return ERROR_INVALID_PARAMETER;
    }
    if (cfg->cNodes > CREATE_MAX_NODES) {
        *reason = "more nodes than a cluster can have";
        return ERROR_CLUSTER_TOO_MANY_NODES;
    }
    if (cfg->cIpEntries > CREATE_MAX_IPS) {
        *reason = "more IP entries than a cluster takes (64)";
        return ERROR_INVALID_PARAMETER;
    }
    return 0;
}

uint32_t create_plan_build(const CREATE_CLUSTER_CONFIG *cfg, struct create_plan *ret,
                           const char **ret_reason)
{
    struct create_plan p = {0};
    const char *reason = NULL;
    uint32_t code;

    if (cfg == NULL) {
        *ret_reason = "no configuration";
        return ERROR_INVALID_PARAMETER;
    }
    p.version = cfg->dwVersion;
    p.empty = cfg->fEmptyCluster != 0;
    code = check_credentials(cfg, &reason);
    if (code == 0)
        code = check_shape(cfg, &reason);
    if (code == 0)
        code = check_mgmt(cfg, &p, &reason);
    if (code == 0)
        code = check_cluster_name(cfg->lpszClusterName, &p, &reason);
    if (code == 0)
        code = check_nodes(cfg, &p, &reason);
    if (code == 0)
        code = check_ips(cfg, &p, &reason);
    if (code != 0) {
        create_plan_free(&p);
        *ret_reason = reason ? reason : "invalid configuration";
        return code;
    }
    *ret = p;
    return 0;
}

void create_plan_free(struct create_plan *p)
{
    for (size_t i = 0; i < p->n_nodes; i++)
        free(p->nodes[i]);
    free(p->nodes);
    free(p->ips);
    free(p->cluster_name);
    memset(p, 0, sizeof(*p));
}

bool create_plan_wants_ips(const struct create_plan *p)
{
    return !p->empty && p->n_ips > 0;
}

bool create_plan_wants_network_name(const struct create_plan *p)
{
    return !p->empty && p->mgmt_type != CLUSTER_MGMT_POINT_TYPE_NONE;
}
