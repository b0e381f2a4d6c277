/*
 * api_quorum — the cluster's quorum: SetClusterQuorumResource, GetClusterQuorumResource and
 * ClusapiGetNodeQuorumFlags.
 *
 * The witness is a member node (clussvc --witness) that votes and hosts nothing; Windows models
 * its witnesses as a resource of the core group, and so does this: a "Node Witness" resource
 * whose Address names it. Which resource is the quorum resource is not stored anywhere: it is
 * the Node Witness resource of the core group whose Address names the witness member, so that
 * the two can never disagree. Setting one adds that witness through AddClusterNode's phases and
 * evicts any other; removing it evicts the witness. Neither touches a group.
 */
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <clusapi_ext.h>

#include "common/address.h"
#include "common/hostport.h"
#include "common/rpc_proto.h"
#include "lib/cluster_ops.h"
#include "lib/evict.h"
#include "lib/lib.h"
#include "lib/resource.h"
#include "lib/setup.h"

#define WITNESS_TYPE "Node Witness"
#define WITNESS_SETTLE_MS 30000 /* for the resource to come online or go offline */
#define WITNESS_CLEAN_MS 20000  /* for an evicted witness to be wiped */
#define ROLE_VOTER 1 /* raft's RAFT_VOTER, as the node query reports a member's role */

/* What a Node Witness resource's Address names. */
struct witness_addr {
    char host[HOSTPORT_HOST_MAX];
    uint16_t port;
};

/* ------------------------------------------------------------------------------------------ */
/* Reading the cluster                                                                         */
/* ------------------------------------------------------------------------------------------ */

/* The type and group of resource name. ERROR_RESOURCE_NOT_FOUND if there is none. */
static DWORD read_resource(struct cluster_handle *c, const char *name, char *type, char *group,
                           size_t n)
{
    struct rpc_reply r;
    struct wire_reader rd;
    struct wire_field f;
    bool found = false;
    DWORD status = cluster_query(c, RPC_QUERY_RESOURCES, name, &r);

    if (status != 0)
        return status;
    wire_reader_init(&rd, r.data, r.len);
    while (!found && wire_next(&rd, &f) > 0) {
        char *t = NULL, *g = NULL;

        if (f.tag == RPC_F_ITEM && wire_get_strdup(f.value, f.len, RPC_F_TYPE, &t) == 0 &&
            wire_get_strdup(f.value, f.len, RPC_F_GROUP, &g) == 0) {
            snprintf(type, n, "%s", t);
            snprintf(group, n, "%s", g);
            found = true;
        }
        free(t);
        free(g);
    }
    rpc_reply_done(&r);
    if (!found)
        lib_fail_text(status = ERROR_RESOURCE_NOT_FOUND, "resource %s not found", name);
    return status;
}

/* The core group's name into buf; "" for a cluster created empty, which has none (its
 * witness resource may then be in any group). */
static DWORD core_group(struct cluster_handle *c, char *buf, size_t n)
{
    struct cluster_group *groups;
    size_t n_groups;
    DWORD status = cluster_groups(c, &groups, &n_groups);

    if (status != 0)
        return status;
    buf[0] = '\0';
    for (size_t i = 0; i < n_groups && buf[0] == '\0'; i++)
        if (groups[i].core)
            snprintf(buf, n, "%s", groups[i].name);
    free(groups);
    return 0;
}

/* Is group where a quorum resource may be (core is core_group()'s answer)? */
static bool quorum_group(const char *group, const char *core)
{
    return core[0] == '\0' || strcasecmp(group, core) == 0;
}

/* The Address private property of resource name, parsed. */
static DWORD read_address(struct cluster_handle *c, const char *name, struct witness_addr *ret)
{
    struct wire_writer w;
    struct rpc_reply r;
    char *value = NULL;
    const char *why = NULL;
    DWORD status;

    rpc_request(&w, RPC_OP_QUERY);
    wire_put_u32(&w, RPC_F_QUERY, RPC_QUERY_RESOURCE_PROPS);
    wire_put_str(&w, RPC_F_NAME, name);
    wire_put_u32(&w, RPC_F_COMMON, 0);
    status = cluster_call(c, &w, LIB_RPC_TIMEOUT_MS, &r);
    if (status != 0)
        lib_fail_text(status, "%s", r.errmsg);
    else if ((status = cluster_reply_value(&r, "Address", &value)) != 0)
        lib_fail(status);
    rpc_reply_done(&r);
    if (status == 0 && value == NULL)
        lib_fail_text(status = ERROR_INVALID_PARAMETER,
                      "%s has no Address: set it to the witness's HOST[:PORT]", name);
    else if (status == 0 && hostport_parse(value, RPC_DEFAULT_PORT, ret->host, sizeof(ret->host),
                                           &ret->port, &why) < 0)
        lib_fail_text(status = ERROR_INVALID_PARAMETER, "the Address '%s' of %s %s", value,
                      name, why);
    free(value);
    return status;
}

/* Does member n listen where a names (a's host resolved here, the port compared)? */
static bool member_at(const struct cluster_node *n, const struct witness_addr *a)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res, *ai;
    struct net_addr mine, theirs;
    bool same = false;

    if (n->port != a->port || addr_parse(n->address, &mine) < 0 ||
        getaddrinfo(a->host, NULL, &hints, &res) != 0)
        return false;
    for (ai = res; ai != NULL && !same; ai = ai->ai_next) {
        memset(&theirs, 0, sizeof(theirs));
        theirs.family = ai->ai_family;
        if (ai->ai_family == AF_INET)
            memcpy(theirs.bytes, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, 4);
        else if (ai->ai_family == AF_INET6)
            memcpy(theirs.bytes, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, 16);
        else
            continue;
        same = addr_cmp(&mine, &theirs) == 0;
    }
    freeaddrinfo(res);
    return same;
}

/* The member a names, or NULL. */
static const struct cluster_node *member_find(const struct cluster_node *nodes, size_t n,
                                              const struct witness_addr *a)
{
    for (size_t i = 0; i < n; i++)
        if (member_at(&nodes[i], a))
            return &nodes[i];
    return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Witness membership                                                                          */
/* ------------------------------------------------------------------------------------------ */

/* Evicts every witness but keep (NULL: every one). An evicted witness that cannot be wiped now
 * wipes itself when it returns: its vote is gone all the same, which is what counts here. */
static DWORD evict_witnesses(struct cluster_handle *c, const struct witness_addr *keep)
{
    struct cluster_node *nodes;
    size_t n;
    DWORD status = cluster_nodes(c, &nodes, &n);

    for (size_t i = 0; status == 0 && i < n; i++) {
        if (!nodes[i].witness || (keep != NULL && member_at(&nodes[i], keep)))
            continue;
        status = evict_node(c, nodes[i].name, WITNESS_CLEAN_MS, NULL);
        if (status == ERROR_CLUSTER_EVICT_WITHOUT_CLEANUP) {
            lib_clear_error();
            status = 0;
        }
    }
    free(nodes);
    return status;
}

/* The witness at a becomes a member, unless it is one already. */
static DWORD join_witness(struct cluster_handle *c, const struct witness_addr *a)
{
    struct cluster_node *nodes;
    const struct cluster_node *at;
    size_t n;
    DWORD status = cluster_nodes(c, &nodes, &n);

    if (status != 0)
        return status;
    at = member_find(nodes, n, a);
    if (at != NULL && !at->witness)
        lib_fail_text(status = ERROR_NOT_QUORUM_CAPABLE,
                      "%s port %u is member %s, which hosts groups: a witness is a clussvc "
                      "--witness of its own", a->host, a->port, at->name);
    else if (at == NULL)
        status = setup_add_node(c, a->host, a->port, true, NULL, NULL);
    free(nodes);
    return status;
}

/* ------------------------------------------------------------------------------------------ */
/* The resource                                                                                */
/* ------------------------------------------------------------------------------------------ */

/*
 * A witness that is away fails its resource; with Windows' default RestartAction that would
 * fail the core group over, and nothing another node does brings a witness back. So its failure
 * never moves the group (RestartAction 1, ClusterResourceRestartNoNotify), and it is retried
 * every minute rather than every hour.
 */
static DWORD set_policy(struct cluster_handle *c, const char *name)
{
    static const struct prop policy[] = {
        {"RestartAction", PROP_SYNTAX_DWORD, "1"},
        {"RetryPeriodOnFailure", PROP_SYNTAX_DWORD, "60000"},
    };
    struct wire_writer req;

    rpc_request(&req, RPC_OP_RESOURCE_SET_PROPS);
    wire_put_str(&req, RPC_F_NAME, name);
    wire_put_u32(&req, RPC_F_COMMON, 1);
    for (size_t i = 0; i < sizeof(policy) / sizeof(policy[0]); i++)
        resource_put_prop(&req, &policy[i]);
    return cluster_change(c, &req);
}

/* Online or offline (op) and the wait for state; a resource already there needs nothing. */
static DWORD settle(struct cluster_handle *c, const char *name, uint32_t op, int32_t state)
{
    struct rpc_reply reply;
    uint64_t version = 0;
    DWORD status = cluster_request(c, op, name, 0, false, &reply);

    if (status == ERROR_IO_PENDING)
        wire_get_u64(reply.data, reply.len, RPC_F_DB_VERSION, &version);
    rpc_reply_done(&reply);
    if (status == ERROR_IO_PENDING)
        status = cluster_wait_after(c, RPC_WAIT_RESOURCE_STATE, name, state, version,
                                    WITNESS_SETTLE_MS);
    return status;
}

/* ------------------------------------------------------------------------------------------ */
/* The calls                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/* The checks of SetClusterQuorumResource's resource: a Node Witness of the core group, with a
 * well-formed Address. */
static DWORD check_resource(struct cluster_handle *c, const char *name, struct witness_addr *a)
{
    char type[256], group[256], core[256];
    DWORD status = read_resource(c, name, type, group, sizeof(type));

    if (status == 0 && strcasecmp(type, WITNESS_TYPE) != 0)
        lib_fail_text(status = ERROR_NOT_QUORUM_CAPABLE,
                      "%s is of type %s: only a " WITNESS_TYPE " resource can be the quorum "
                      "resource", name, type);
    if (status == 0)
        status = core_group(c, core, sizeof(core));
    if (status == 0 && !quorum_group(group, core))
        lib_fail_text(status = ERROR_INVALID_PARAMETER,
                      "%s is in group %s: the quorum resource belongs to the core group %s", name,
                      group, core);
    return status == 0 ? read_address(c, name, a) : status;
}

/* CLUS_NODE_MAJORITY_QUORUM: the witness a names leaves, its resource first goes offline. */
static DWORD remove_witness(struct cluster_handle *c, const char *name,
                            const struct witness_addr *a)
{
    struct cluster_node *nodes;
    const struct cluster_node *at;
    bool any = false;
    size_t n;
    DWORD status = cluster_nodes(c, &nodes, &n);

    if (status != 0)
        return status;
    for (size_t i = 0; i < n; i++)
        any |= nodes[i].witness;
    at = member_find(nodes, n, a);
    if (any && (at == NULL || !at->witness))
        lib_fail_text(status = ERROR_INVALID_PARAMETER,
                      "%s is not the quorum resource: its Address names no witness", name);
    free(nodes);
    if (status != 0 || !any)
        return status; /* without a witness there is nothing to remove */
    status = settle(c, name, RPC_OP_RESOURCE_OFFLINE, ClusterResourceOffline);
    return status == 0 ? evict_witnesses(c, NULL) : status;
}

CLUSAPI_API DWORD CLUSAPI_CALL SetClusterQuorumResource(HRESOURCE hResource,
                                                        LPCWSTR lpszDeviceName,
                                                        DWORD dwMaxQuoLogSize)
{
    struct object_handle *r = object_enter(hResource, HANDLE_RESOURCE);
    struct cluster_handle *c;
    struct witness_addr a;
    DWORD status;

    if (r == NULL)
        return ERROR_INVALID_HANDLE;
    c = (struct cluster_handle *)r->h.parent;
    if (lpszDeviceName != NULL && lpszDeviceName[0] != 0) {
        lib_fail_text(ERROR_INVALID_PARAMETER, "a " WITNESS_TYPE " keeps no files: no device");
        return ERROR_INVALID_PARAMETER;
    }
    if (dwMaxQuoLogSize != CLUS_HYBRID_QUORUM && dwMaxQuoLogSize != CLUS_NODE_MAJORITY_QUORUM) {
        lib_fail_text(ERROR_INVALID_PARAMETER, "the quorum mode is CLUS_HYBRID_QUORUM (with a "
                      "witness) or CLUS_NODE_MAJORITY_QUORUM (without)");
        return ERROR_INVALID_PARAMETER;
    }
    status = check_resource(c, r->name, &a);
    if (status != 0)
        return status;
    if (dwMaxQuoLogSize == CLUS_NODE_MAJORITY_QUORUM)
        return remove_witness(c, r->name, &a);
    /* The new witness votes before the old one leaves: the cluster never has fewer votes. */
    status = join_witness(c, &a);
    if (status == 0)
        status = evict_witnesses(c, &a);
    if (status == 0)
        status = set_policy(c, r->name);
    if (status == 0)
        status = settle(c, r->name, RPC_OP_RESOURCE_ONLINE, ClusterResourceOnline);
    return status;
}

/* The name of the Node Witness resource of the core group whose Address names a witness
 * member of nodes, into *ret (malloc'd; "" when there is none). */
static DWORD find_quorum_resource(struct cluster_handle *c, const struct cluster_node *nodes,
                                  size_t n, char **ret)
{
    char core[256];
    struct rpc_reply r;
    struct wire_reader rd;
    struct wire_field f;
    DWORD status = core_group(c, core, sizeof(core));

    *ret = NULL;
    if (status == 0)
        status = cluster_query(c, RPC_QUERY_RESOURCES, NULL, &r);
    if (status != 0)
        return status;
    wire_reader_init(&rd, r.data, r.len);
    while (status == 0 && *ret == NULL && wire_next(&rd, &f) > 0) {
        char *name = NULL, *type = NULL, *group = NULL;
        struct witness_addr a;
        const struct cluster_node *at;

        if (f.tag == RPC_F_ITEM && wire_get_strdup(f.value, f.len, RPC_F_NAME, &name) == 0 &&
            wire_get_strdup(f.value, f.len, RPC_F_TYPE, &type) == 0 &&
            wire_get_strdup(f.value, f.len, RPC_F_GROUP, &group) == 0 &&
            strcasecmp(type, WITNESS_TYPE) == 0 && quorum_group(group, core) &&
            read_address(c, name, &a) == 0 && (at = member_find(nodes, n, &a)) != NULL &&
            at->witness) {
            *ret = name;
            name = NULL;
        }
        free(name);
        free(type);
        free(group);
    }
    rpc_reply_done(&r);
    lib_clear_error(); /* a resource with a malformed Address is simply not the one */
    if (*ret == NULL && (*ret = strdup("")) == NULL)
        status = ERROR_NOT_ENOUGH_MEMORY;
    return status;
}

CLUSAPI_API DWORD CLUSAPI_CALL GetClusterQuorumResource(HCLUSTER hCluster,
                                                        LPWSTR lpszResourceName,
                                                        LPDWORD lpcchResourceName,
                                                        LPWSTR lpszDeviceName,
                                                        LPDWORD lpcchDeviceName,
                                                        LPDWORD lpdwMaxQuorumLogSize)
{
    struct cluster_handle *c = (struct cluster_handle *)handle_get(hCluster, HANDLE_CLUSTER);
    struct cluster_node *nodes = NULL;
    char *name = NULL;
    bool witness = false;
    size_t n = 0;
    DWORD status, dev_status;

    lib_clear_error();
    if (c == NULL)
        return lib_fail(ERROR_INVALID_HANDLE);
    if (lpszResourceName == NULL || lpcchResourceName == NULL || lpszDeviceName == NULL ||
        lpcchDeviceName == NULL || lpdwMaxQuorumLogSize == NULL)
        return lib_fail(ERROR_INVALID_PARAMETER);
    status = cluster_nodes(c, &nodes, &n);
    for (size_t i = 0; status == 0 && i < n; i++)
        witness |= nodes[i].witness;
    if (status == 0)
        status = witness ? find_quorum_resource(c, nodes, n, &name)
                         : ((name = strdup("")) == NULL ? ERROR_NOT_ENOUGH_MEMORY : 0);
    free(nodes);
    if (status != 0) {
        free(name);
        return lib_fail(status);
    }
    *lpdwMaxQuorumLogSize = witness ? CLUS_HYBRID_QUORUM : CLUS_NODE_MAJORITY_QUORUM;
    status = lib_copy_out(name, lpszResourceName, lpcchResourceName);
    dev_status = lib_copy_out("", lpszDeviceName, lpcchDeviceName);
    free(name);
    return lib_fail(status != 0 ? status : dev_status);
}

/* The cluster id the node reports (it is configured), malloc'd in *ret. */
static DWORD node_cluster_id(struct setup_node *node, char **ret)
{
    struct wire_writer w;
    struct rpc_reply r;
    DWORD status;

    *ret = NULL;
    rpc_request(&w, RPC_OP_NODE_INFO);
    status = setup_node_call(node, &w, LIB_RPC_TIMEOUT_MS, &r);
    if (status == 0 && wire_get_strdup(r.data, r.len, RPC_F_CLUSTER_ID, ret) < 0)
        status = ERROR_INVALID_DATA;
    rpc_reply_done(&r);
    return status;
}

/* What NODE_INFO says of the clussvc at a, against what a witness of cluster_id must be. */
static DWORD check_node(const struct witness_addr *a, const char *cluster_id)
{
    struct setup_node node = {.port = a->port};
    char *id = NULL;
    DWORD status;

    snprintf(node.name, sizeof(node.name), "%s", a->host);
    setup_node_info(&node, NULL);
    status = node.status;
    if (status != 0)
        lib_fail_text(status, "%s port %u cannot be reached: %s", a->host, a->port,
                      node.errmsg);
    else if (!node.witness)
        lib_fail_text(status = ERROR_NOT_QUORUM_CAPABLE,
                      "%s port %u is not a witness: start clussvc --witness there", a->host,
                      a->port);
    else if (node.cluster_state != ClusterStateNotConfigured &&
             (status = node_cluster_id(&node, &id)) == 0 && strcmp(id, cluster_id) != 0)
        lib_fail_text(status = ERROR_CLUSTER_NODE_ALREADY_MEMBER,
                      "the witness at %s port %u serves cluster %s: each cluster needs a clussvc "
                      "--witness of its own (another --port and --state-dir)", a->host, a->port,
                      node.cluster_name);
    else if (status != 0)
        lib_fail_text(status, "%s port %u: %s", a->host, a->port, node.errmsg);
    rpc_conn_close(&node.conn);
    free(id);
    return status;
}

CLUSAPI_API DWORD ClusapiCheckWitness(HCLUSTER hCluster, LPCWSTR lpszAddress)
{
    struct cluster_handle *c = (struct cluster_handle *)handle_get(hCluster, HANDLE_CLUSTER);
    struct witness_addr a;
    char cluster_id[40], *text;
    const char *why = NULL;
    DWORD status;

    lib_clear_error();
    if (c == NULL)
        return lib_fail(ERROR_INVALID_HANDLE);
    if (lpszAddress == NULL)
        return lib_fail(ERROR_INVALID_PARAMETER);
    if ((text = lib_name_in(lpszAddress)) == NULL)
        return GetLastError();
    if (hostport_parse(text, RPC_DEFAULT_PORT, a.host, sizeof(a.host), &a.port, &why) < 0)
        lib_fail_text(status = ERROR_INVALID_PARAMETER, "the witness '%s' %s", text, why);
    else if ((status = cluster_identity(c, cluster_id)) == 0)
        status = check_node(&a, cluster_id);
    free(text);
    return status;
}

CLUSAPI_API DWORD ClusapiGetNodeQuorumFlags(HNODE hNode, LPDWORD pdwFlags)
{
    struct object_handle *node = object_enter(hNode, HANDLE_NODE);
    struct rpc_reply r;
    struct wire_reader rd;
    struct wire_field f;
    uint32_t role = 0, witness = 0;
    bool found = false, storage_fault = false;
    DWORD status;

    if (node == NULL)
        return ERROR_INVALID_HANDLE;
    if (pdwFlags == NULL)
        return lib_fail(ERROR_INVALID_PARAMETER);
    status = cluster_query((struct cluster_handle *)node->h.parent, RPC_QUERY_NODES, node->name,
                           &r);
    if (status != 0)
        return status;
    wire_reader_init(&rd, r.data, r.len);
    while (!found && wire_next(&rd, &f) > 0)
        if (f.tag == RPC_F_ITEM) {
            found = true;
            wire_get_u32(f.value, f.len, RPC_F_ROLE, &role);
            wire_get_u32(f.value, f.len, RPC_F_WITNESS, &witness);
            storage_fault = wire_has(f.value, f.len, RPC_F_STORAGE_FAULT);
        }
    rpc_reply_done(&r);
    if (!found) {
        lib_fail_text(ERROR_CLUSTER_NODE_NOT_FOUND, "node %s is not a member", node->name);
        return ERROR_CLUSTER_NODE_NOT_FOUND;
    }
    *pdwFlags = (role == ROLE_VOTER ? CLUSAPI_NODE_VOTER : 0) |
                (witness != 0 ? CLUSAPI_NODE_WITNESS : 0) |
                (storage_fault ? CLUSAPI_NODE_STORAGE_FAULT : 0);
    return 0;
}
