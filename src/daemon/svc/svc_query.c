/*
 * svc_query — RPC_OP_QUERY: rows of the local cluster database (any node answers reads; they
 * never wait for the network): the lists of nodes, groups, resources, types and properties (the
 * quorum properties' defaults while never set, and WitnessDynamicWeight, among them), and one
 * named object's properties (common ones with their defaults), dependencies, dependents,
 * possible and preferred owners. A node without quorum answers from its last applied state,
 * marked stale, a caller that accepts it (svc_sync.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <clusapi.h>

#include "common/cluster_props.h"
#include "common/common_props.h"
#include "common/depexpr.h"
#include "common/mono_clock.h"
#include "common/read_gate.h"
#include "common/rpc_proto.h"
#include "common/win32_error.h"
#include "daemon/rm/rm_ocf.h"
#include "daemon/svc/svc.h"
#include "daemon/svc/svc_ops.h"

static const char *node_name(struct svc *s, uint64_t id, struct cdb_node *buf)
{
    return id != 0 && cdb_node_by_id(s->db, id, buf) == 0 ? buf->name : "";
}

/* A query may name one object (RPC_F_NAME): then only its row is sent, so looking up one object
 * costs the same however many the cluster has. */
static bool wanted(const char *only, const char *name)
{
    return only == NULL || strcasecmp(only, name) == 0;
}

static int query_nodes(struct svc *s, struct wire_writer *w, const char *only, bool stale)
{
    struct cdb_node *nodes;
    size_t n;
    int rv = cdb_nodes(s->db, &nodes, &n);

    for (size_t i = 0; rv == 0 && i < n; i++) {
        size_t mark;

        if (!wanted(only, nodes[i].name))
            continue;
        mark = wire_begin(w, RPC_F_ITEM);
        wire_put_u64(w, RPC_F_NODE_ID, nodes[i].id);
        wire_put_str(w, RPC_F_NAME, nodes[i].name);
        wire_put_str(w, RPC_F_ADDRESS, nodes[i].address);
        wire_put_u32(w, RPC_F_PORT, nodes[i].port);
        wire_put_u32(w, RPC_F_STATE,
                     (uint32_t)(stale ? read_gate_node_state(nodes[i].state,
                                                             nodes[i].id == s->conf.node_id)
                                      : nodes[i].state));
        wire_put_u32(w, RPC_F_ROLE, nodes[i].role);
        wire_put_u32(w, RPC_F_WITNESS, nodes[i].witness);
        wire_put_u32(w, RPC_F_WEIGHT, nodes[i].weight);
        wire_put_u32(w, RPC_F_LEFT, nodes[i].left);
        if (quarantine_active(&nodes[i].quarantine, wall_ms()))
            wire_put_u64(w, RPC_F_QUARANTINED, (uint64_t)nodes[i].quarantine.until_ms);
        if (nodes[i].storage_fault[0] != '\0')
            wire_put_str(w, RPC_F_STORAGE_FAULT, nodes[i].storage_fault);
        wire_end(w, mark);
    }
    if (rv == 0)
        free(nodes);
    return rv;
}

static int query_groups(struct svc *s, struct wire_writer *w, const char *only, bool stale)
{
    struct cdb_group *groups;
    struct cdb_node owner;
    size_t n;
    int rv = cdb_groups(s->db, &groups, &n);

    (void)stale; /* a stale answer shows them as last applied */
    for (size_t i = 0; rv == 0 && i < n; i++) {
        size_t mark;

        if (!wanted(only, groups[i].name))
            continue;
        mark = wire_begin(w, RPC_F_ITEM);
        wire_put_str(w, RPC_F_NAME, groups[i].name);
        wire_put_u32(w, RPC_F_STATE, (uint32_t)groups[i].state);
        wire_put_u64(w, RPC_F_OWNER, groups[i].owner);
        wire_put_str(w, RPC_F_OWNER_NAME, node_name(s, groups[i].owner, &owner));
        wire_put_u32(w, RPC_F_CORE, groups[i].core);
        wire_end(w, mark);
    }
    if (rv == 0)
        free(groups);
    return rv;
}

static int query_resources(struct svc *s, struct wire_writer *w, const char *only, bool stale)
{
    struct cdb_resource *res;
    struct cdb_node owner;
    size_t n;
    int rv = cdb_resources(s->db, NULL, &res, &n);

    (void)stale; /* a stale answer shows them as last applied */
    for (size_t i = 0; rv == 0 && i < n; i++) {
        size_t mark;

        if (!wanted(only, res[i].name))
            continue;
        mark = wire_begin(w, RPC_F_ITEM);
        wire_put_str(w, RPC_F_NAME, res[i].name);
        wire_put_str(w, RPC_F_TYPE, res[i].type);
        wire_put_str(w, RPC_F_GROUP, res[i].group);
        wire_put_u32(w, RPC_F_STATE, (uint32_t)res[i].state);
        wire_put_u64(w, RPC_F_OWNER, res[i].owner);
        wire_put_str(w, RPC_F_OWNER_NAME, node_name(s, res[i].owner, &owner));
        wire_end(w, mark);
    }
    if (rv == 0)
        free(res);
    return rv;
}

/* One row of a name/value listing. */
static void put_pair(struct wire_writer *w, const char *name, const char *value)
{
    size_t mark = wire_begin(w, RPC_F_ITEM);

    wire_put_str(w, RPC_F_NAME, name);
    wire_put_str(w, RPC_F_VALUE, value);
    wire_end(w, mark);
}

static int query_restypes(struct svc *s, struct wire_writer *w, const char *only, bool stale)
{
    struct cdb_restype *types;
    size_t n;
    int rv = cdb_restypes(s->db, &types, &n);

    (void)stale; /* a stale answer shows them as last applied */
    for (size_t i = 0; rv == 0 && i < n; i++)
        if (wanted(only, types[i].name))
            put_pair(w, types[i].name, types[i].driver);
    if (rv == 0)
        free(types);
    return rv;
}

static bool is_stored(const struct cdb_prop *props, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(props[i].key, key) == 0)
            return true;
    return false;
}

/* What the cluster has without storing it: the quorum properties' defaults while never set
 * (common/cluster_props.h), and WitnessDynamicWeight, read from the members. */
static int put_unstored(struct svc *s, struct wire_writer *w, const char *only,
                        const struct cdb_prop *props, size_t n)
{
    const char *name = CLUSTER_PROP_WITNESS_DYNAMIC_WEIGHT;
    bool votes;
    int rv;

    for (size_t i = 0; i < cluster_props_n_settable; i++) {
        const char *def = cluster_prop_default(cluster_props_settable[i]);

        if (def != NULL && wanted(only, cluster_props_settable[i]) &&
            !is_stored(props, n, cluster_props_settable[i]))
            put_pair(w, cluster_props_settable[i], def);
    }
    if (!wanted(only, name) || is_stored(props, n, name))
        return 0;
    if ((rv = svc_witness_votes(s, &votes)) == 0)
        put_pair(w, name, votes ? "1" : "0");
    return rv;
}

static int query_props(struct svc *s, struct wire_writer *w, const char *only, bool stale)
{
    struct cdb_prop *props;
    size_t n;
    int rv = cdb_props(s->db, &props, &n);

    (void)stale; /* a stale answer shows them as last applied */
    for (size_t i = 0; rv == 0 && i < n; i++)
        if (wanted(only, props[i].key))
            put_pair(w, props[i].key, props[i].value);
    if (rv == 0) {
        rv = put_unstored(s, w, only, props, n);
        free(props);
    }
    return rv;
}

/* ------------------------------------------------------------------------------------------ */
/* One object's lists (NAME required)                                                          */
/* ------------------------------------------------------------------------------------------ */

/* One property row: NAME, SYNTAX, VALUE* (a MULTI_SZ's strings one VALUE each). */
static void put_prop(struct wire_writer *w, const char *name, uint32_t syntax, const char *value)
{
    size_t mark = wire_begin(w, RPC_F_ITEM);

    wire_put_str(w, RPC_F_NAME, name);
    wire_put_u32(w, RPC_F_SYNTAX, syntax);
    if (syntax != PROP_SYNTAX_MULTI_SZ) {
        wire_put_str(w, RPC_F_VALUE, value);
    } else {
        for (const char *p = value; *p != '\0';) {
            size_t n = strcspn(p, "\n");
            char *one = strndup(p, n);

            wire_put_str(w, RPC_F_VALUE, one ? one : "");
            free(one);
            p += n + (p[n] == '\n');
        }
    }
    wire_end(w, mark);
}

static const char *stored(const struct cdb_prop *props, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(props[i].key, name) == 0)
            return props[i].value;
    return NULL;
}

/* Every common property of kind o: the read-only ones from ro (name/value pairs, NULL-ended),
 * the others as stored or their default. */
static void put_common(struct wire_writer *w, enum cprop_object o, const struct cdb_prop *props,
                       size_t n, const char *const *ro)
{
    size_t count;
    const struct cprop *t = cprop_table(o, &count);

    for (size_t i = 0; i < count; i++) {
        const char *v = t[i].read_only ? "" : stored(props, n, t[i].name);

        for (size_t k = 0; t[i].read_only && ro[k] != NULL; k += 2)
            if (strcmp(ro[k], t[i].name) == 0)
                v = ro[k + 1];
        put_prop(w, t[i].name, t[i].syntax, v ? v : t[i].def);
    }
}

static int query_resource_props(struct svc *s, struct rpc_call *call, const char *name)
{
    struct cdb_resource r;
    struct cdb_prop *props = NULL;
    uint32_t common = 0;
    size_t n = 0;
    char id[24];
    int rv = cdb_resource_by_name(s->db, name, &r);

    if (rv < 0)
        return rv;
    wire_get_u32(call->req, call->req_len, RPC_F_COMMON, &common);
    rv = common ? cdb_resource_common(s->db, r.name, &props, &n)
                : cdb_resource_props(s->db, r.name, &props, &n);
    if (rv < 0)
        return rv;
    snprintf(id, sizeof(id), "%llu", (unsigned long long)r.id);
    if (common) {
        const char *ro[] = {"Name", r.name, "Type", r.type, "Id", id, NULL};

        put_common(&call->reply, CPROP_RESOURCE, props, n, ro);
    } else {
        for (size_t i = 0; i < n; i++)
            put_prop(&call->reply, props[i].key, props[i].syntax, props[i].value);
    }
    free(props);
    return 0;
}

static int query_group_props(struct svc *s, struct rpc_call *call, const char *name)
{
    struct cdb_group g;
    struct cdb_prop *props = NULL;
    size_t n = 0;
    char id[24];
    int rv = cdb_group_by_name(s->db, name, &g);

    if (rv < 0 || (rv = cdb_group_props(s->db, g.name, &props, &n)) < 0)
        return rv;
    snprintf(id, sizeof(id), "%llu", (unsigned long long)g.id);
    put_common(&call->reply, CPROP_GROUP, props, n,
               (const char *const[]){"Name", g.name, "Id", id, NULL});
    free(props);
    return 0;
}

static int query_restype_props(struct svc *s, struct rpc_call *call, const char *name)
{
    struct cdb_restype t;
    struct cdb_prop *props = NULL;
    size_t n = 0;
    int rv = cdb_restype_by_name(s->db, name, &t);

    /* an installed agent is a type before its first resource registers it: the defaults */
    if (rv == -ENOENT && rm_ocf_installed(name)) {
        snprintf(t.name, sizeof(t.name), "%s", name);
        snprintf(t.driver, sizeof(t.driver), "%s", name);
        t.display[0] = '\0';
        rv = 0;
    } else if (rv == 0) {
        rv = cdb_restype_props(s->db, t.name, &props, &n);
    }
    if (rv < 0)
        return rv;
    put_common(&call->reply, CPROP_RESTYPE, props, n,
               (const char *const[]){"Name", t.display[0] ? t.display : t.name, "DllName",
                                     t.driver, NULL});
    free(props);
    return 0;
}

/* The expression as GetClusterResourceDependencyExpression words it, and its providers. */
static int query_dependencies(struct svc *s, struct rpc_call *call, const char *name)
{
    struct cdb_dependency *deps = NULL;
    struct depexpr e = {NULL, 0};
    size_t n = 0;
    char *text;
    int rv = cdb_dependency_clauses(s->db, name, &deps, &n);

    for (size_t i = 0, c = 0; rv == 0 && i < n; i++) {
        if (i > 0 && deps[i].clause != deps[i - 1].clause)
            c++;
        rv = depexpr_add(&e, c, deps[i].provider);
    }
    text = rv == 0 ? depexpr_format(&e) : NULL;
    if (rv == 0 && text == NULL)
        rv = -ENOMEM;
    if (rv == 0) {
        wire_put_str(&call->reply, RPC_F_VALUE, text);
        for (size_t i = 0; i < n; i++) {
            size_t mark = wire_begin(&call->reply, RPC_F_ITEM);

            wire_put_str(&call->reply, RPC_F_PROVIDER, deps[i].provider);
            wire_put_u32(&call->reply, RPC_F_CLAUSE, deps[i].clause);
            wire_end(&call->reply, mark);
        }
    }
    free(text);
    free(deps);
    depexpr_done(&e);
    return rv;
}

static int query_dependents(struct svc *s, struct rpc_call *call, const char *name)
{
    char **names = NULL;
    size_t n = 0;
    int rv = cdb_dependents(s->db, name, &names, &n);

    for (size_t i = 0; rv == 0 && i < n; i++) {
        size_t mark = wire_begin(&call->reply, RPC_F_ITEM);

        wire_put_str(&call->reply, RPC_F_NAME, names[i]);
        wire_end(&call->reply, mark);
    }
    free(names);
    return rv;
}

static void put_node_row(struct wire_writer *w, uint64_t id, const char *name)
{
    size_t mark = wire_begin(w, RPC_F_ITEM);

    wire_put_u64(w, RPC_F_NODE_ID, id);
    wire_put_str(w, RPC_F_NAME, name);
    wire_end(w, mark);
}

/* Every member not excluded, by id. */
static int query_possible_owners(struct svc *s, struct rpc_call *call, const char *name)
{
    struct cdb_node *nodes = NULL;
    uint64_t *ex = NULL;
    size_t n = 0, k = 0;
    int rv = cdb_excluded(s->db, name, &ex, &k);

    if (rv == 0)
        rv = cdb_nodes(s->db, &nodes, &n);
    for (size_t i = 0; rv == 0 && i < n; i++) {
        bool excluded = false;

        for (size_t j = 0; j < k; j++)
            excluded |= ex[j] == nodes[i].id;
        if (!excluded)
            put_node_row(&call->reply, nodes[i].id, nodes[i].name);
    }
    free(nodes);
    free(ex);
    return rv;
}

static int query_preferred(struct svc *s, struct rpc_call *call, const char *name)
{
    struct cdb_node node;
    uint64_t *ids = NULL;
    size_t n = 0;
    int rv = cdb_preferred(s->db, name, &ids, &n);

    for (size_t i = 0; rv == 0 && i < n; i++)
        if (cdb_node_by_id(s->db, ids[i], &node) == 0)
            put_node_row(&call->reply, node.id, node.name);
    free(ids);
    return rv;
}

/* The queries about one named object, and the status of an unknown name. */
struct object_query {
    int (*fn)(struct svc *s, struct rpc_call *call, const char *name);
    uint32_t not_found;
};

static const struct object_query object_queries[] = {
    [RPC_QUERY_RESOURCE_PROPS] = {query_resource_props, ERROR_RESOURCE_NOT_FOUND},
    [RPC_QUERY_GROUP_PROPS] = {query_group_props, ERROR_GROUP_NOT_FOUND},
    [RPC_QUERY_RESTYPE_PROPS] = {query_restype_props, ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND},
    [RPC_QUERY_DEPENDENCIES] = {query_dependencies, ERROR_RESOURCE_NOT_FOUND},
    [RPC_QUERY_DEPENDENTS] = {query_dependents, ERROR_RESOURCE_NOT_FOUND},
    [RPC_QUERY_POSSIBLE_OWNERS] = {query_possible_owners, ERROR_RESOURCE_NOT_FOUND},
    [RPC_QUERY_PREFERRED] = {query_preferred, ERROR_GROUP_NOT_FOUND},
};

static void object_query(struct svc *s, struct rpc_call *call, uint32_t q)
{
    const struct object_query *oq = &object_queries[q];
    char name[256];
    int rv;

    if (!svc_req_str(call, RPC_F_NAME, name, sizeof(name)) || name[0] == '\0') {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "this query needs NAME");
        return;
    }
    rv = oq->fn(s, call, name);
    if (rv == -ENOENT)
        rpc_call_finish(call, oq->not_found, "'%s' not found", name);
    else if (rv < 0)
        rpc_call_finish(call, win32_from_errno(rv), "query failed: %s", strerror(-rv));
    else
        rpc_call_finish(call, 0, NULL);
}

/*
 * May this node answer, and is the answer stale? Finishes the call if it may not. Restarted, back
 * from a partition, or just added and still replaying the log, this node's database may miss
 * what the cluster committed meanwhile: an answer could say a group that exists does not. So it
 * answers as current only once caught up; without a leader for long enough to have no quorum,
 * it answers a caller that accepts it from its last applied state, marked stale (and names
 * itself, for the caller's warning).
 */
static bool admit(struct svc *s, struct rpc_call *call, bool *ret_stale)
{
    uint32_t stale_ok = 0;

    if (s->consensus == NULL || s->db == NULL || s->wiping) {
        rpc_call_finish(call, ERROR_CLUSTER_NODE_NOT_MEMBER,
                        "node %s is not running a cluster", s->opts.name);
        return false;
    }
    wire_get_u32(call->req, call->req_len, RPC_F_STALE, &stale_ok);
    switch (svc_sync_read(s, stale_ok == 1)) {
    case READ_CURRENT:
        *ret_stale = false;
        return true;
    case READ_STALE:
        *ret_stale = true;
        wire_put_u32(&call->reply, RPC_F_STALE, 1);
        wire_put_str(&call->reply, RPC_F_NODE_NAME, s->opts.name);
        if (svc_storage_out_of_log(s))
            svc_storage_mark(s, call);
        return true;
    case READ_NOT_READY:
        rpc_call_finish(call, ERROR_CLUSTER_NODE_NOT_READY,
                        "node %s is still catching up with its cluster", s->opts.name);
        return false;
    case READ_STORAGE_FAULT:
        svc_storage_refuse(s, call, "a read that must be current");
        return false;
    case READ_NO_QUORUM:
        break;
    }
    rpc_call_finish(call, ERROR_CLUSTER_NO_QUORUM,
                    "node %s has no quorum: it has had no leader for %llu s", s->opts.name,
                    (unsigned long long)svc_sync_leaderless_ms(s) / 1000);
    return false;
}

void svc_op_query(struct svc *s, struct rpc_call *call)
{
    static int (*const queries[])(struct svc *, struct wire_writer *, const char *, bool) = {
        [RPC_QUERY_NODES] = query_nodes,         [RPC_QUERY_GROUPS] = query_groups,
        [RPC_QUERY_RESOURCES] = query_resources, [RPC_QUERY_RESTYPES] = query_restypes,
        [RPC_QUERY_PROPS] = query_props,
    };
    char only[256];
    bool only_given, stale;
    uint32_t q;
    int rv;

    if (!admit(s, call, &stale))
        return;
    if (wire_get_u32(call->req, call->req_len, RPC_F_QUERY, &q) < 0) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "unknown query");
        return;
    }
    if (q < sizeof(object_queries) / sizeof(object_queries[0]) &&
        object_queries[q].fn != NULL) {
        object_query(s, call, q);
        return;
    }
    if (q == 0 || q >= sizeof(queries) / sizeof(queries[0])) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "unknown query");
        return;
    }
    only_given = svc_req_str(call, RPC_F_NAME, only, sizeof(only));
    rv = queries[q](s, &call->reply, only_given ? only : NULL, stale);
    if (rv < 0)
        rpc_call_finish(call, win32_from_errno(rv), "query failed: %s", strerror(-rv));
    else
        rpc_call_finish(call, 0, NULL);
}
