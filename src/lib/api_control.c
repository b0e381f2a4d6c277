/*
 * api_control — ClusterResourceControl, ClusterResourceTypeControl, ClusterGroupControl,
 * ClusterNodeControl and ClusterControl: the property control codes over clussvc's property
 * queries and typed requests, with property lists in the CLUSPROP format (common/proplist.h).
 *
 * Every call ends in one output convention (SDK): the size of what the code returns goes to
 * *lpBytesReturned; a NULL or short lpOutBuffer gets ERROR_MORE_DATA with that size and nothing
 * written. Input lists are decoded before anything is sent, so a malformed one changes nothing.
 * hHostNode, when given, must be a live node handle; requests still go through the cluster
 * handle's node, which relays to the leader or answers from the replicated database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/cluster_props.h"
#include "common/common_props.h"
#include "common/control_map.h"
#include "common/proplist.h"
#include "common/rpc_proto.h"
#include "lib/cluster_ops.h"
#include "lib/lib.h"

#define NETWORK_NAME_DEPTH 16 /* dependency levels searched for a Network Name */

/* One control call in progress. */
struct ctl {
    struct cluster_handle *c;
    enum cprop_object kind;   /* for the common property table (resources, groups, types, nodes) */
    const char *name;         /* the object's name; NULL for the cluster */
    uint32_t function;        /* the code without its object byte: a CLCTL_* value */
    const void *in;
    DWORD in_size;
    void *out;
    DWORD out_size;
    LPDWORD returned;
};

/* ---------------------------------------------------------------------------------------- */
/* Output                                                                                   */
/* ---------------------------------------------------------------------------------------- */

/* Reports need bytes and passes an encoder's status on (0 or ERROR_MORE_DATA). */
static DWORD out_done(struct ctl *x, uint32_t rc, size_t need)
{
    if (x->returned && (rc == ERROR_SUCCESS || rc == ERROR_MORE_DATA))
        *x->returned = (DWORD)need;
    return rc == ERROR_SUCCESS ? ERROR_SUCCESS : lib_fail(rc);
}

static DWORD out_props(struct ctl *x, const struct prop *props, size_t n)
{
    size_t need = 0;
    uint32_t rc = proplist_encode(props, n, x->out, x->out_size, &need);
    return out_done(x, rc, need);
}

static DWORD out_names(struct ctl *x, const char *const *names, size_t n)
{
    size_t need = 0;
    uint32_t rc = proplist_encode_names(names, n, x->out, x->out_size, &need);
    return out_done(x, rc, need);
}

static DWORD out_sz(struct ctl *x, const char *s)
{
    size_t need = 0;
    uint32_t rc = proplist_encode_sz(s, x->out, x->out_size, &need);
    return out_done(x, rc, need);
}

static DWORD out_fixed(struct ctl *x, const void *p, size_t n)
{
    if (!x->out || x->out_size < n)
        return out_done(x, ERROR_MORE_DATA, n);
    memcpy(x->out, p, n);
    return out_done(x, ERROR_SUCCESS, n);
}

static DWORD out_dword(struct ctl *x, DWORD v)
{
    return out_fixed(x, &v, sizeof(v));
}

/* ---------------------------------------------------------------------------------------- */
/* Requests                                                                                 */
/* ---------------------------------------------------------------------------------------- */

/* A query naming the object, with COMMON when common is 0 or 1 (-1: none). */
static uint32_t query(struct ctl *x, uint32_t q, const char *name, int common,
                      struct rpc_reply *r)
{
    struct wire_writer w;
    uint32_t status;
    rpc_request(&w, RPC_OP_QUERY);
    wire_put_u32(&w, RPC_F_QUERY, q);
    wire_put_str(&w, RPC_F_NAME, name);
    if (common >= 0)
        wire_put_u32(&w, RPC_F_COMMON, (uint32_t)common);
    status = cluster_call(x->c, &w, LIB_RPC_TIMEOUT_MS, r);
    if (status != 0)
        lib_fail_text(status, "%s", r->errmsg);
    return status;
}

/* A common property's read-only flag from the table of arg's object kind; others writable. */
static bool common_read_only(const char *name, void *arg)
{
    const struct cprop *cp = cprop_find(*(enum cprop_object *)arg, name);
    return cp && cp->read_only;
}

/* GET_*_PROPERTIES of a resource, group or type: the query's rows, picked, as a list. */
static DWORD get_props(struct ctl *x, uint32_t q, int common, enum prop_pick pick)
{
    struct rpc_reply r;
    struct prop_set set;
    uint32_t status = query(x, q, x->name, common, &r);
    if (status == 0)
        status = control_props_from_reply(r.data, r.len, pick, common_read_only, &x->kind, &set);
    rpc_reply_done(&r);
    if (status != 0)
        return lib_fail(status);
    status = out_props(x, set.v, set.n);
    prop_set_done(&set);
    return status;
}

/* A string field of the object's row in a list query (RPC_QUERY_RESOURCES ...): malloc'd. */
static uint32_t row_field(struct ctl *x, uint32_t q, const char *name, uint16_t tag, char **ret)
{
    struct rpc_reply r;
    struct wire_reader rd;
    struct wire_field f;
    uint32_t status = query(x, q, name, -1, &r);
    *ret = NULL;
    wire_reader_init(&rd, r.data, r.len);
    while (status == 0 && *ret == NULL && wire_next(&rd, &f) > 0) {
        char *key = NULL;
        if (f.tag == RPC_F_ITEM && wire_get_strdup(f.value, f.len, RPC_F_NAME, &key) == 0 &&
            strcasecmp(key, name) == 0 && wire_get_strdup(f.value, f.len, tag, ret) < 0)
            status = ERROR_INVALID_DATA;
        free(key);
    }
    rpc_reply_done(&r);
    if (status == 0 && *ret == NULL)
        status = ERROR_NOT_FOUND;
    return status;
}

/* The type of resource name. */
static uint32_t resource_type(struct ctl *x, const char *name, char **ret)
{
    uint32_t status = row_field(x, RPC_QUERY_RESOURCES, name, RPC_F_TYPE, ret);
    if (status == ERROR_NOT_FOUND)
        status = ERROR_RESOURCE_NOT_FOUND;
    return status;
}

/* The private property names a type declares (RPC_OP_RESTYPE_INFO), as ENUM_PRIVATE output. */
static DWORD enum_type_private(struct ctl *x, const char *type)
{
    struct wire_writer w;
    struct rpc_reply r;
    struct wire_reader rd;
    struct wire_field f;
    char **names = NULL;
    size_t n = 0;
    uint32_t status;
    rpc_request(&w, RPC_OP_RESTYPE_INFO);
    wire_put_str(&w, RPC_F_NAME, type);
    status = cluster_call(x->c, &w, LIB_RPC_TIMEOUT_MS, &r);
    if (status != 0)
        lib_fail_text(status, "%s", r.errmsg);
    wire_reader_init(&rd, r.data, r.len);
    while (status == 0 && wire_next(&rd, &f) > 0) {
        char **grown;
        if (f.tag != RPC_F_ITEM)
            continue;
        if (!(grown = realloc(names, (n + 1) * sizeof(*names))))
            status = ERROR_NOT_ENOUGH_MEMORY;
        else if (names = grown, wire_get_strdup(f.value, f.len, RPC_F_NAME, &names[n]) < 0)
            status = ERROR_INVALID_DATA;
        else
            n++;
    }
    rpc_reply_done(&r);
    if (status == 0)
        status = out_names(x, (const char *const *)names, n);
    else
        lib_fail(status);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return status;
}

static DWORD enum_common(struct ctl *x)
{
    size_t n = 0;
    const struct cprop *t = cprop_table(x->kind, &n);
    const char **names = calloc(n ? n : 1, sizeof(*names));
    DWORD status;
    if (!names)
        return lib_fail(ERROR_NOT_ENOUGH_MEMORY);
    for (size_t i = 0; i < n; i++)
        names[i] = t[i].name;
    status = out_names(x, names, n);
    free(names);
    return status;
}

/* SET_ and VALIDATE_ of a resource or group: the decoded list as PROP fields of op. */
static DWORD set_props(struct ctl *x, uint32_t op, int common, bool validate)
{
    struct prop *props = NULL;
    size_t n = 0;
    struct wire_writer w;
    struct rpc_reply r;
    uint32_t status = proplist_decode(x->in, x->in_size, &props, &n);
    if (status != 0)
        return lib_fail(status);
    rpc_request(&w, op);
    wire_put_str(&w, RPC_F_NAME, x->name);
    if (common >= 0)
        wire_put_u32(&w, RPC_F_COMMON, (uint32_t)common);
    for (size_t i = 0; i < n; i++) {
        size_t mark = wire_begin(&w, RPC_F_PROP);
        const char *v = props[i].value;
        wire_put_str(&w, RPC_F_NAME, props[i].name);
        wire_put_u32(&w, RPC_F_SYNTAX, props[i].syntax);
        /* a MULTI_SZ sends one VALUE per string; the empty list sends none */
        while (props[i].syntax == PROP_SYNTAX_MULTI_SZ && *v) {
            size_t len = strcspn(v, "\n");
            wire_put_blob(&w, RPC_F_VALUE, v, len);
            v += len + (v[len] == '\n');
        }
        if (props[i].syntax != PROP_SYNTAX_MULTI_SZ)
            wire_put_str(&w, RPC_F_VALUE, v);
        wire_end(&w, mark);
    }
    wire_put_u32(&w, RPC_F_VALIDATE, validate);
    free(props);
    if (!validate)
        return out_done(x, cluster_change(x->c, &w), 0);
    status = cluster_call(x->c, &w, LIB_RPC_TIMEOUT_MS, &r);
    if (status != 0)
        lib_fail_text(status, "%s", r.errmsg);
    rpc_reply_done(&r);
    return status == 0 ? out_done(x, 0, 0) : status;
}

/* ---------------------------------------------------------------------------------------- */
/* Resources and resource types                                                             */
/* ---------------------------------------------------------------------------------------- */

static DWORD class_info(struct ctl *x, const char *type)
{
    CLUS_RESOURCE_CLASS_INFO info;
    uint32_t cls, sub;
    memset(&info, 0, sizeof(info));
    control_class_info(type, &cls, &sub);
    memcpy(&info, &cls, sizeof(cls));
    memcpy((char *)&info + sizeof(cls), &sub, sizeof(sub));
    return out_fixed(x, &info, sizeof(info));
}

static DWORD required_deps(struct ctl *x, const char *type)
{
    struct proplist_dep deps[2];
    size_t need = 0, n = control_required_deps(type, deps);
    uint32_t rc = proplist_encode_deps(deps, n, x->out, x->out_size, &need);
    return out_done(x, rc, need);
}

/* The Name private property of a Network Name resource, or NULL. */
static char *network_name_of(struct ctl *x, const char *resource)
{
    struct rpc_reply r;
    struct prop_set set;
    char *name = NULL;
    if (query(x, RPC_QUERY_RESOURCE_PROPS, resource, 0, &r) == 0 &&
        control_props_from_reply(r.data, r.len, PICK_ALL, NULL, NULL, &set) == 0) {
        for (size_t i = 0; i < set.n && !name; i++) {
            if (strcasecmp(set.v[i].name, "Name") == 0)
                name = strdup(set.v[i].value);
        }
        prop_set_done(&set);
    }
    rpc_reply_done(&r);
    return name;
}

/* Depth-first over the providers of resource for the first Network Name's name. */
static char *find_network_name(struct ctl *x, const char *resource, int depth)
{
    struct rpc_reply r;
    struct wire_reader rd;
    struct wire_field f;
    char *type = NULL, *found = NULL;
    if (depth > NETWORK_NAME_DEPTH || resource_type(x, resource, &type) != 0)
        return NULL;
    if (strcasecmp(type, "Network Name") == 0) {
        free(type);
        return network_name_of(x, resource);
    }
    free(type);
    if (query(x, RPC_QUERY_DEPENDENCIES, resource, -1, &r) == 0) {
        wire_reader_init(&rd, r.data, r.len);
        while (!found && wire_next(&rd, &f) > 0) {
            char *provider = NULL;
            if (f.tag == RPC_F_ITEM &&
                wire_get_strdup(f.value, f.len, RPC_F_PROVIDER, &provider) == 0)
                found = find_network_name(x, provider, depth + 1);
            free(provider);
        }
    }
    rpc_reply_done(&r);
    return found;
}

static DWORD network_name(struct ctl *x)
{
    char *name = find_network_name(x, x->name, 0);
    DWORD status;
    if (!name) {
        lib_fail_text(ERROR_DEPENDENCY_NOT_FOUND, "resource '%s' depends on no Network Name",
                      x->name);
        return ERROR_DEPENDENCY_NOT_FOUND;
    }
    status = out_sz(x, name);
    free(name);
    return status;
}

/* The codes that need the resource's type, answered from it. */
static DWORD by_type(struct ctl *x, const char *type)
{
    switch (x->function) {
    case CLCTL_GET_RESOURCE_TYPE: return out_sz(x, type);
    case CLCTL_GET_CLASS_INFO: return class_info(x, type);
    case CLCTL_GET_REQUIRED_DEPENDENCIES: return required_deps(x, type);
    case CLCTL_ENUM_PRIVATE_PROPERTIES: return enum_type_private(x, type);
    default: return lib_fail(ERROR_INVALID_FUNCTION);
    }
}

static DWORD resource_control(struct ctl *x)
{
    char *type = NULL;
    DWORD status;
    switch (x->function) {
    case CLCTL_GET_NAME:
    case CLCTL_GET_ID: /* objects are identified by their names here */
        return out_sz(x, x->name);
    case CLCTL_GET_FLAGS:
    case CLCTL_GET_CHARACTERISTICS:
        return out_dword(x, 0);
    case CLCTL_GET_NETWORK_NAME: return network_name(x);
    case CLCTL_ENUM_COMMON_PROPERTIES: return enum_common(x);
    case CLCTL_GET_COMMON_PROPERTIES:
        return get_props(x, RPC_QUERY_RESOURCE_PROPS, 1, PICK_WRITABLE);
    case CLCTL_GET_RO_COMMON_PROPERTIES:
        return get_props(x, RPC_QUERY_RESOURCE_PROPS, 1, PICK_READ_ONLY);
    case CLCTL_GET_PRIVATE_PROPERTIES: return get_props(x, RPC_QUERY_RESOURCE_PROPS, 0, PICK_ALL);
    case CLCTL_GET_RO_PRIVATE_PROPERTIES: return out_props(x, NULL, 0); /* drivers have none */
    case CLCTL_SET_COMMON_PROPERTIES: return set_props(x, RPC_OP_RESOURCE_SET_PROPS, 1, false);
    case CLCTL_VALIDATE_COMMON_PROPERTIES:
        return set_props(x, RPC_OP_RESOURCE_SET_PROPS, 1, true);
    case CLCTL_SET_PRIVATE_PROPERTIES: return set_props(x, RPC_OP_RESOURCE_SET_PROPS, 0, false);
    case CLCTL_VALIDATE_PRIVATE_PROPERTIES:
        return set_props(x, RPC_OP_RESOURCE_SET_PROPS, 0, true);
    case CLCTL_GET_RESOURCE_TYPE:
    case CLCTL_GET_CLASS_INFO:
    case CLCTL_GET_REQUIRED_DEPENDENCIES:
    case CLCTL_ENUM_PRIVATE_PROPERTIES:
        if ((status = resource_type(x, x->name, &type)) != 0) {
            lib_fail_text(status, "resource '%s' not found", x->name);
            return status;
        }
        status = by_type(x, type);
        free(type);
        return status;
    default: return lib_fail(ERROR_INVALID_FUNCTION);
    }
}

static DWORD restype_control(struct ctl *x)
{
    switch (x->function) {
    case CLCTL_GET_FLAGS:
    case CLCTL_GET_CHARACTERISTICS:
        return out_dword(x, 0);
    case CLCTL_ENUM_COMMON_PROPERTIES: return enum_common(x);
    case CLCTL_GET_COMMON_PROPERTIES:
        return get_props(x, RPC_QUERY_RESTYPE_PROPS, -1, PICK_WRITABLE);
    case CLCTL_GET_RO_COMMON_PROPERTIES:
        return get_props(x, RPC_QUERY_RESTYPE_PROPS, -1, PICK_READ_ONLY);
    case CLCTL_GET_PRIVATE_PROPERTIES:
    case CLCTL_GET_RO_PRIVATE_PROPERTIES:
        return out_props(x, NULL, 0); /* types keep no private properties */
    case CLCTL_GET_CLASS_INFO:
    case CLCTL_GET_REQUIRED_DEPENDENCIES:
    case CLCTL_ENUM_PRIVATE_PROPERTIES:
        return by_type(x, x->name);
    default: return lib_fail(ERROR_INVALID_FUNCTION);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Groups, nodes and the cluster                                                            */
/* ---------------------------------------------------------------------------------------- */

static DWORD group_control(struct ctl *x)
{
    switch (x->function) {
    case CLCTL_GET_NAME:
    case CLCTL_GET_ID:
        return out_sz(x, x->name);
    case CLCTL_GET_FLAGS:
    case CLCTL_GET_CHARACTERISTICS:
        return out_dword(x, 0);
    case CLCTL_ENUM_COMMON_PROPERTIES: return enum_common(x);
    case CLCTL_GET_COMMON_PROPERTIES:
        return get_props(x, RPC_QUERY_GROUP_PROPS, -1, PICK_WRITABLE);
    case CLCTL_GET_RO_COMMON_PROPERTIES:
        return get_props(x, RPC_QUERY_GROUP_PROPS, -1, PICK_READ_ONLY);
    case CLCTL_SET_COMMON_PROPERTIES: return set_props(x, RPC_OP_GROUP_SET_PROPS, -1, false);
    case CLCTL_VALIDATE_COMMON_PROPERTIES:
        return set_props(x, RPC_OP_GROUP_SET_PROPS, -1, true);
    case CLCTL_ENUM_PRIVATE_PROPERTIES: return out_names(x, NULL, 0);
    case CLCTL_GET_PRIVATE_PROPERTIES:
    case CLCTL_GET_RO_PRIVATE_PROPERTIES:
        return out_props(x, NULL, 0); /* groups keep no private properties */
    default: return lib_fail(ERROR_INVALID_FUNCTION);
    }
}

/* GET_COMMON / GET_RO_COMMON_PROPERTIES of a node: its row of the node query, where its
 * properties live (cdb_node), picked from the node table. */
static DWORD node_get_props(struct ctl *x, enum prop_pick pick)
{
    struct rpc_reply r;
    struct prop_set set;
    uint32_t status = query(x, RPC_QUERY_NODES, x->name, -1, &r);
    if (status == 0)
        status = control_node_props_from_reply(r.data, r.len, x->name, pick, &set);
    rpc_reply_done(&r);
    if (status != 0)
        return lib_fail(status);
    status = out_props(x, set.v, set.n);
    prop_set_done(&set);
    return status;
}

/* CLUSCTL_NODE_GET_ID: Windows' node ids are decimal numbers, as ours. */
static DWORD node_id(struct ctl *x)
{
    struct cluster_node *nodes = NULL;
    size_t n = 0;
    char text[24];
    DWORD status = cluster_nodes(x->c, &nodes, &n);
    if (status != 0)
        return lib_fail(status);
    const struct cluster_node *node = cluster_node_find(nodes, n, x->name);
    if (node)
        snprintf(text, sizeof(text), "%llu", (unsigned long long)node->id);
    free(nodes);
    if (!node)
        return lib_fail(ERROR_CLUSTER_NODE_NOT_FOUND);
    return out_sz(x, text);
}

static DWORD node_control(struct ctl *x)
{
    switch (x->function) {
    case CLCTL_GET_NAME: return out_sz(x, x->name);
    case CLCTL_GET_ID: return node_id(x);
    case CLCTL_GET_FLAGS:
    case CLCTL_GET_CHARACTERISTICS:
        return out_dword(x, 0);
    case CLCTL_ENUM_COMMON_PROPERTIES: return enum_common(x);
    case CLCTL_GET_COMMON_PROPERTIES: return node_get_props(x, PICK_WRITABLE);
    case CLCTL_GET_RO_COMMON_PROPERTIES: return node_get_props(x, PICK_READ_ONLY);
    case CLCTL_SET_COMMON_PROPERTIES: return set_props(x, RPC_OP_NODE_SET_PROPS, -1, false);
    case CLCTL_VALIDATE_COMMON_PROPERTIES:
        return set_props(x, RPC_OP_NODE_SET_PROPS, -1, true);
    case CLCTL_ENUM_PRIVATE_PROPERTIES: return out_names(x, NULL, 0);
    case CLCTL_GET_PRIVATE_PROPERTIES:
    case CLCTL_GET_RO_PRIVATE_PROPERTIES:
        return out_props(x, NULL, 0); /* nodes keep no private properties */
    default: return lib_fail(ERROR_INVALID_FUNCTION);
    }
}

static DWORD cluster_get_props(struct ctl *x, enum prop_pick pick, bool names_only)
{
    struct rpc_reply r;
    struct prop_set set;
    uint32_t status = query(x, RPC_QUERY_PROPS, NULL, -1, &r);
    if (status == 0)
        status = control_cluster_props_from_reply(r.data, r.len, pick, &set);
    rpc_reply_done(&r);
    if (status != 0)
        return lib_fail(status);
    if (names_only) {
        const char **names = calloc(set.n ? set.n : 1, sizeof(*names));
        for (size_t i = 0; names && i < set.n; i++)
            names[i] = set.v[i].name;
        status = names ? out_names(x, names, set.n) : lib_fail(ERROR_NOT_ENOUGH_MEMORY);
        free(names);
    } else {
        status = out_props(x, set.v, set.n);
    }
    prop_set_done(&set);
    return status;
}

/* SET_ / VALIDATE_COMMON_PROPERTIES of the cluster: every property checked before any is set;
 * each is then one RPC_OP_SET_PROPERTY (the protocol has no batch for cluster properties). */
static DWORD cluster_set_props(struct ctl *x, bool validate)
{
    struct prop *props = NULL;
    size_t n = 0;
    char why[256];
    uint32_t status = proplist_decode(x->in, x->in_size, &props, &n);
    const char **canonical = status == 0 ? calloc(n ? n : 1, sizeof(*canonical)) : NULL;
    if (status == 0 && !canonical)
        status = ERROR_NOT_ENOUGH_MEMORY;
    for (size_t i = 0; status == 0 && i < n; i++) {
        if (props[i].syntax != PROP_SYNTAX_DWORD)
            status = ERROR_INVALID_PARAMETER, snprintf(why, sizeof(why), "%s: not a DWORD",
                                                      props[i].name);
        else
            status = cluster_prop_check(props[i].name, props[i].value, &canonical[i], why,
                                        sizeof(why));
        if (status != 0)
            lib_fail_text(status, "%s", why);
    }
    for (size_t i = 0; status == 0 && !validate && i < n; i++) {
        struct wire_writer w;
        rpc_request(&w, RPC_OP_SET_PROPERTY);
        wire_put_str(&w, RPC_F_NAME, canonical[i]);
        wire_put_str(&w, RPC_F_VALUE, props[i].value);
        status = cluster_change(x->c, &w);
    }
    free(canonical);
    free(props);
    return status == 0 ? out_done(x, 0, 0) : lib_fail(status);
}

static DWORD cluster_control(struct ctl *x)
{
    switch (x->function) {
    case CLCTL_GET_NAME: return out_sz(x, x->c->name);
    case CLCTL_ENUM_COMMON_PROPERTIES: return cluster_get_props(x, PICK_ALL, true);
    case CLCTL_GET_COMMON_PROPERTIES: return cluster_get_props(x, PICK_WRITABLE, false);
    case CLCTL_GET_RO_COMMON_PROPERTIES: return cluster_get_props(x, PICK_READ_ONLY, false);
    case CLCTL_SET_COMMON_PROPERTIES: return cluster_set_props(x, false);
    case CLCTL_VALIDATE_COMMON_PROPERTIES: return cluster_set_props(x, true);
    case CLCTL_ENUM_PRIVATE_PROPERTIES: return out_names(x, NULL, 0);
    case CLCTL_GET_PRIVATE_PROPERTIES:
    case CLCTL_GET_RO_PRIVATE_PROPERTIES:
        return out_props(x, NULL, 0);
    default: return lib_fail(ERROR_INVALID_FUNCTION);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Entry points                                                                             */
/* ---------------------------------------------------------------------------------------- */

/* Common checks: the code names this object kind, the host node (optional) is live, the buffers
 * are consistent. Fills x's code and buffers; 0 or the Win32 code (made the last error). */
static DWORD enter(struct ctl *x, uint32_t object, HNODE host, DWORD code, LPVOID in,
                   DWORD in_size, LPVOID out, DWORD out_size, LPDWORD returned)
{
    *x = (struct ctl){.in = in, .in_size = in_size, .out = out, .out_size = out_size,
                      .returned = returned};
    if (returned)
        *returned = 0;
    if (host && !handle_get(host, HANDLE_NODE))
        return lib_fail(ERROR_INVALID_HANDLE);
    if ((in == NULL && in_size != 0))
        return lib_fail(ERROR_INVALID_PARAMETER);
    if (CLUSCTL_GET_CONTROL_OBJECT(code) != object || code & CLCTL_INTERNAL_MASK)
        return lib_fail(ERROR_INVALID_FUNCTION);
    x->function = code & ~((DWORD)CLUSCTL_OBJECT_MASK << CLUSCTL_OBJECT_SHIFT);
    return 0;
}

/* What a control on an object handle needs to know of the object's kind. */
struct ctl_target {
    enum handle_type handle;
    uint32_t object;          /* CLUS_OBJECT_*: the object byte the code must carry */
    enum cprop_object kind;   /* its common property table */
    DWORD (*dispatch)(struct ctl *x);
};

static const struct ctl_target resource_target = {HANDLE_RESOURCE, CLUS_OBJECT_RESOURCE,
                                                  CPROP_RESOURCE, resource_control};
static const struct ctl_target group_target = {HANDLE_GROUP, CLUS_OBJECT_GROUP, CPROP_GROUP,
                                               group_control};
static const struct ctl_target node_target = {HANDLE_NODE, CLUS_OBJECT_NODE, CPROP_NODE,
                                              node_control};

/* A control on the object of handle h, a t->handle: the handle checked, then the call. */
static DWORD object_control(const struct ctl_target *t, const void *h, HNODE host, DWORD code,
                            LPVOID in, DWORD in_size, LPVOID out, DWORD out_size,
                            LPDWORD returned)
{
    struct object_handle *o = object_enter(h, t->handle);
    struct ctl x;
    if (o == NULL)
        return ERROR_INVALID_HANDLE;
    DWORD status = enter(&x, t->object, host, code, in, in_size, out, out_size, returned);
    if (status != 0)
        return status;
    x.c = (struct cluster_handle *)o->h.parent;
    x.kind = t->kind;
    x.name = o->name;
    return t->dispatch(&x);
}

CLUSAPI_API DWORD CLUSAPI_CALL ClusterResourceControl(HRESOURCE hResource, HNODE hHostNode,
                                                      DWORD dwControlCode, LPVOID lpInBuffer,
                                                      DWORD cbInBufferSize, LPVOID lpOutBuffer,
                                                      DWORD cbOutBufferSize,
                                                      LPDWORD lpBytesReturned)
{
    return object_control(&resource_target, hResource, hHostNode, dwControlCode, lpInBuffer,
                          cbInBufferSize, lpOutBuffer, cbOutBufferSize, lpBytesReturned);
}

CLUSAPI_API DWORD CLUSAPI_CALL ClusterResourceTypeControl(HCLUSTER hCluster,
                                                          LPCWSTR lpszResourceTypeName,
                                                          HNODE hHostNode, DWORD dwControlCode,
                                                          LPVOID lpInBuffer, DWORD nInBufferSize,
                                                          LPVOID lpOutBuffer,
                                                          DWORD nOutBufferSize,
                                                          LPDWORD lpBytesReturned)
{
    struct cluster_handle *c = (struct cluster_handle *)handle_get(hCluster, HANDLE_CLUSTER);
    struct ctl x;
    char *type;
    lib_clear_error();
    if (c == NULL)
        return lib_fail(ERROR_INVALID_HANDLE);
    if (lpszResourceTypeName == NULL)
        return lib_fail(ERROR_INVALID_PARAMETER);
    DWORD status = enter(&x, CLUS_OBJECT_RESOURCE_TYPE, hHostNode, dwControlCode, lpInBuffer,
                         nInBufferSize, lpOutBuffer, nOutBufferSize, lpBytesReturned);
    if (status != 0)
        return status;
    if ((type = lib_name_in(lpszResourceTypeName)) == NULL)
        return GetLastError();
    x.c = c;
    x.kind = CPROP_RESTYPE;
    x.name = type;
    status = restype_control(&x);
    free(type);
    return status;
}

CLUSAPI_API DWORD CLUSAPI_CALL ClusterGroupControl(HGROUP hGroup, HNODE hHostNode,
                                                   DWORD dwControlCode, LPVOID lpInBuffer,
                                                   DWORD nInBufferSize, LPVOID lpOutBuffer,
                                                   DWORD nOutBufferSize, LPDWORD lpBytesReturned)
{
    return object_control(&group_target, hGroup, hHostNode, dwControlCode, lpInBuffer,
                          nInBufferSize, lpOutBuffer, nOutBufferSize, lpBytesReturned);
}

CLUSAPI_API DWORD CLUSAPI_CALL ClusterNodeControl(HNODE hNode, HNODE hHostNode,
                                                  DWORD dwControlCode, LPVOID lpInBuffer,
                                                  DWORD nInBufferSize, LPVOID lpOutBuffer,
                                                  DWORD nOutBufferSize, LPDWORD lpBytesReturned)
{
    return object_control(&node_target, hNode, hHostNode, dwControlCode, lpInBuffer,
                          nInBufferSize, lpOutBuffer, nOutBufferSize, lpBytesReturned);
}

CLUSAPI_API DWORD CLUSAPI_CALL ClusterControl(HCLUSTER hCluster, HNODE hHostNode,
                                              DWORD dwControlCode, LPVOID lpInBuffer,
                                              DWORD nInBufferSize, LPVOID lpOutBuffer,
                                              DWORD nOutBufferSize, LPDWORD lpBytesReturned)
{
    struct cluster_handle *c = (struct cluster_handle *)handle_get(hCluster, HANDLE_CLUSTER);
    struct ctl x;
    lib_clear_error();
    if (c == NULL)
        return lib_fail(ERROR_INVALID_HANDLE);
    DWORD status = enter(&x, CLUS_OBJECT_CLUSTER, hHostNode, dwControlCode, lpInBuffer,
                         nInBufferSize, lpOutBuffer, nOutBufferSize, lpBytesReturned);
    if (status != 0)
        return status;
    x.c = c;
    return cluster_control(&x);
}
