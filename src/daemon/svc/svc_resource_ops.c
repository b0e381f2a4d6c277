/*
 * svc_resource_ops — what clients ask of resources (and of a group's properties), answered on
 * the leader: every request is checked against the leader's database and the drivers before a
 * command is composed, so a refusal changes nothing; the database applies the same rules again
 * (cdb_apply_model.c), so a request built on a view a moment old cannot break them either.
 *
 * Private properties are checked against what the type's driver declares (rm_type_info), which
 * may run an OCF agent: create and private SET_PROPS finish on the loop after a worker job
 * (svc_type_job_start) has asked, and re-read the database then.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"
#include "common/common_props.h"
#include "common/depexpr.h"
#include "common/rpc_proto.h"
#include "daemon/rm/rm.h"
#include "daemon/svc/svc.h"
#include "daemon/svc/svc_ops.h"

#define WHY_SIZE 256

/* ------------------------------------------------------------------------------------------ */
/* Request fields                                                                              */
/* ------------------------------------------------------------------------------------------ */

void svc_props_done(struct svc_props *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free((char *)p->items[i].name);
        free((char *)p->items[i].value);
    }
    free(p->items);
    p->items = NULL;
    p->n = 0;
}

/* The VALUE fields of one PROP, joined by '\n' (NULL when there is none). */
static int join_values(const struct wire_field *prop, char **ret)
{
    struct wire_reader rd;
    struct wire_field f;
    char *text = NULL;
    size_t len = 0;
    FILE *out = NULL;
    int rv, count = 0;

    wire_reader_init(&rd, prop->value, prop->len);
    while ((rv = wire_next(&rd, &f)) > 0) {
        char *v;

        if (f.tag != RPC_F_VALUE)
            continue;
        if (out == NULL && (out = open_memstream(&text, &len)) == NULL)
            return -ENOMEM;
        if (wire_field_strdup(&f, &v) < 0) {
            rv = -EBADMSG;
            break;
        }
        if (strchr(v, '\n') != NULL) { /* a MULTI_SZ's strings are joined by it */
            free(v);
            rv = -EBADMSG;
            break;
        }
        fprintf(out, "%s%s", count++ ? "\n" : "", v);
        free(v);
    }
    if (out != NULL && fclose(out) != 0)
        rv = -ENOMEM;
    if (rv < 0) {
        free(text);
        return rv;
    }
    *ret = text;
    return 0;
}

static uint32_t read_prop(const struct wire_field *f, struct prop *ret, char *why, size_t n)
{
    char *name = NULL, *value = NULL;
    uint32_t syntax;

    if (wire_get_strdup(f->value, f->len, RPC_F_NAME, &name) < 0 || name[0] == '\0' ||
        strlen(name) > 255 || wire_get_u32(f->value, f->len, RPC_F_SYNTAX, &syntax) < 0 ||
        join_values(f, &value) < 0) {
        snprintf(why, n, "malformed property '%s'", name ? name : "");
        free(name);
        return ERROR_INVALID_PARAMETER;
    }
    *ret = (struct prop){name, syntax, value};
    return 0;
}

uint32_t svc_req_props(const struct rpc_call *call, struct svc_props *ret, char *why, size_t n)
{
    struct svc_props p = {NULL, 0};
    struct wire_reader rd;
    struct wire_field f;
    uint32_t st = 0;
    int rv;

    wire_reader_init(&rd, call->req, call->req_len);
    while (st == 0 && (rv = wire_next(&rd, &f)) > 0) {
        struct prop *items;

        if (f.tag != RPC_F_PROP)
            continue;
        if ((items = realloc(p.items, (p.n + 1) * sizeof(*items))) == NULL) {
            st = ERROR_NOT_ENOUGH_MEMORY;
            break;
        }
        p.items = items;
        if ((st = read_prop(&f, &p.items[p.n], why, n)) != 0)
            break;
        p.n++;
        for (size_t i = 0; i + 1 < p.n && st == 0; i++)
            if (strcasecmp(p.items[i].name, p.items[p.n - 1].name) == 0) {
                snprintf(why, n, "property '%s' given twice", p.items[i].name);
                st = ERROR_INVALID_PARAMETER;
            }
    }
    if (st != 0) {
        svc_props_done(&p);
        return st;
    }
    *ret = p;
    return 0;
}

/* The name of a what (resource, group) in field tag of the request, into name (256 bytes);
 * finishes the call if there is none. */
static bool request_name(struct rpc_call *call, uint16_t tag, const char *what, char *name)
{
    if (!svc_req_str(call, tag, name, 256) || name[0] == '\0') {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "a %s name of 1..255 bytes", what);
        return false;
    }
    return true;
}

/* The resource a request names in field tag; finishes the call if there is none. */
static bool named_resource(struct svc *s, struct rpc_call *call, uint16_t tag,
                           struct cdb_resource *ret)
{
    char name[256];

    if (!request_name(call, tag, "resource", name))
        return false;
    if (cdb_resource_by_name(s->db, name, ret) < 0) {
        rpc_call_finish(call, ERROR_RESOURCE_NOT_FOUND, "no resource '%s'", name);
        return false;
    }
    return true;
}

/* The group a request names in field tag; finishes the call if there is none. */
static bool named_group(struct svc *s, struct rpc_call *call, uint16_t tag,
                        struct cdb_group *ret)
{
    char name[256];

    if (!request_name(call, tag, "group", name))
        return false;
    if (cdb_group_by_name(s->db, name, ret) < 0) {
        rpc_call_finish(call, ERROR_GROUP_NOT_FOUND, "no group '%s'", name);
        return false;
    }
    return true;
}

static bool is_validate(const struct rpc_call *call)
{
    uint32_t v = 0;

    wire_get_u32(call->req, call->req_len, RPC_F_VALIDATE, &v);
    return v == 1;
}

/* ------------------------------------------------------------------------------------------ */
/* Private properties against the driver's parameters                                          */
/* ------------------------------------------------------------------------------------------ */

/*
 * Each property must be a parameter of the type, of its syntax (or a string in that syntax's
 * text form, which becomes it), with a value in that syntax's
 * text form (a NULL value, a delete, only when not creating); with required, every required
 * parameter must be among them. A driver that declares no parameters takes any property.
 */
static uint32_t check_private(const struct svc_type_job *job, struct svc_props *p,
                              bool creating, bool required, char *why, size_t n)
{
    const struct rm_type_info *info = job->info;

    for (size_t i = 0; i < p->n; i++) {
        struct prop *v = &p->items[i];
        const struct rm_param *param = rm_type_param(info, v->name);

        if (param != NULL) /* a string in the parameter's text form is taken as its syntax */
            v->syntax = cprop_coerce_syntax(param->syntax, v->syntax, v->value);
        if (job->has_params && param == NULL)
            return snprintf(why, n, "'%s' is not a property of this type", v->name),
                   ERROR_INVALID_PARAMETER;
        if (param != NULL && param->syntax != v->syntax)
            return snprintf(why, n, "property '%s' takes syntax 0x%08x, not 0x%08x", v->name,
                            param->syntax, v->syntax),
                   ERROR_INVALID_PARAMETER;
        if ((v->value == NULL && creating) ||
            (v->value != NULL && !cprop_value_valid(v->syntax, v->value)))
            return snprintf(why, n, "property '%s': the value is not valid", v->name),
                   ERROR_INVALID_PARAMETER;
    }
    for (size_t k = 0; required && info != NULL && k < info->n_params; k++) {
        bool given = false;

        for (size_t i = 0; i < p->n && !given; i++)
            given = strcasecmp(p->items[i].name, info->params[k].name) == 0;
        if (info->params[k].required && !given)
            return snprintf(why, n, "required property '%s' missing", info->params[k].name),
                   ERROR_INVALID_PARAMETER;
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Create                                                                                      */
/* ------------------------------------------------------------------------------------------ */

struct create_req {
    char name[256], group[256], type[256];
    bool register_type; /* an installed OCF agent not yet registered */
    bool separate_monitor;
    bool required;
    struct svc_props props;
};

/* The commit: the type (when it is an agent registered now), the resource, its flags. */
static void commit_create(struct svc *s, struct rpc_call *call, const struct create_req *c)
{
    static const struct prop separate = {"SeparateMonitor", PROP_SYNTAX_DWORD, "1"};
    struct wire_writer w;
    size_t mark;

    wire_writer_init(&w);
    cdb_cmd_batch(&w);
    if (c->register_type) {
        mark = cdb_cmd_batch_sub_begin(&w);
        cdb_cmd_add_restype(&w, c->type, c->type);
        cdb_cmd_batch_sub_end(&w, mark);
    }
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_add_resource_props(&w, c->name, c->type, c->group, c->props.items, c->props.n);
    cdb_cmd_batch_sub_end(&w, mark);
    if (c->separate_monitor) {
        mark = cdb_cmd_batch_sub_begin(&w);
        cdb_cmd_set_resource_props(&w, c->name, true, &separate, 1);
        cdb_cmd_batch_sub_end(&w, mark);
    }
    svc_op_commit(s, call, &w);
}

static void create_checked(struct svc_type_job *job)
{
    struct create_req *c = job->arg;
    struct cdb_resource r;
    char why[WHY_SIZE];
    uint32_t st;

    if (job->rv < 0 || (c->register_type && !job->agent_installed)) {
        rpc_call_finish(job->call, ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND,
                        "resource type '%s' is neither registered nor installed", c->type);
    } else if (job->s->db == NULL || job->s->wiping) {
        rpc_call_finish(job->call, ERROR_CLUSTER_NODE_NOT_MEMBER, "left the cluster meanwhile");
    } else if (cdb_resource_by_name(job->s->db, c->name, &r) == 0) {
        rpc_call_finish(job->call, ERROR_OBJECT_ALREADY_EXISTS, "resource '%s' exists", r.name);
    } else if ((st = check_private(job, &c->props, true, c->required, why, sizeof(why)))) {
        rpc_call_finish(job->call, st, "%s", why);
    } else {
        commit_create(job->s, job->call, c);
    }
    svc_props_done(&c->props);
    free(c);
}

/* The fields of a create; finishes the call when one is wrong. */
static bool read_create(struct svc *s, struct rpc_call *call, struct create_req *c,
                        struct cdb_restype *ret_type)
{
    struct cdb_group g;
    struct cdb_resource r;
    uint32_t flags = 0, required = 0, st;
    char why[WHY_SIZE];

    if (!svc_req_str(call, RPC_F_NAME, c->name, sizeof(c->name)) || c->name[0] == '\0' ||
        !svc_req_str(call, RPC_F_TYPE, c->type, sizeof(c->type)) || c->type[0] == '\0') {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "a resource needs a name and a type of "
                        "1..255 bytes");
        return false;
    }
    if (!named_group(s, call, RPC_F_GROUP, &g))
        return false;
    snprintf(c->group, sizeof(c->group), "%s", g.name);
    if (cdb_resource_by_name(s->db, c->name, &r) == 0) {
        rpc_call_finish(call, ERROR_OBJECT_ALREADY_EXISTS, "resource '%s' exists", r.name);
        return false;
    }
    wire_get_u32(call->req, call->req_len, RPC_F_FLAGS, &flags);
    wire_get_u32(call->req, call->req_len, RPC_F_REQUIRED, &required);
    c->separate_monitor = (flags & CLUSTER_RESOURCE_SEPARATE_MONITOR) != 0;
    c->required = required == 1;
    if (cdb_restype_by_name(s->db, c->type, ret_type) == 0) {
        snprintf(c->type, sizeof(c->type), "%s", ret_type->name);
    } else if (strncasecmp(c->type, "ocf:", 4) == 0) {
        c->register_type = true;
        snprintf(ret_type->driver, sizeof(ret_type->driver), "%s", c->type);
    } else {
        rpc_call_finish(call, ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND, "no resource type '%s'",
                        c->type);
        return false;
    }
    if ((st = svc_req_props(call, &c->props, why, sizeof(why))) != 0) {
        rpc_call_finish(call, st, "%s", why);
        return false;
    }
    return true;
}

/* CreateClusterResource: a new Offline resource whose private properties the type takes. */
void svc_op_resource_create(struct svc *s, struct rpc_call *call)
{
    struct create_req *c = calloc(1, sizeof(*c));
    struct svc_type_job *job = calloc(1, sizeof(*job));
    struct cdb_restype type;

    if (c == NULL || job == NULL) {
        free(c);
        free(job);
        rpc_call_finish(call, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
        return;
    }
    if (!read_create(s, call, c, &type)) {
        free(c);
        free(job);
        return;
    }
    *job = (struct svc_type_job){.s = s, .call = call, .done = create_checked, .arg = c,
                                 .check_agent = c->register_type};
    snprintf(job->driver, sizeof(job->driver), "%s", type.driver);
    svc_type_job_start(job);
}

/* ------------------------------------------------------------------------------------------ */
/* Delete, move                                                                                */
/* ------------------------------------------------------------------------------------------ */

static bool in_core_group(struct svc *s, const struct cdb_resource *r)
{
    struct cdb_group g;

    return cdb_group_by_id(s->db, r->group_id, &g) == 0 && g.core;
}

/* A Node Witness: of the core group, yet removed when the witness is (clusctl quorum set). */
static bool is_witness(struct svc *s, const struct cdb_resource *r)
{
    struct cdb_restype t;

    return cdb_restype_by_name(s->db, r->type, &t) == 0 && strcasecmp(t.driver, "witness") == 0;
}

/* DeleteClusterResource (MS-CMRP ApiDeleteResource): Offline or Failed, nobody depending on
 * it, not a core resource (a Node Witness that is offline no longer is one). */
void svc_op_resource_delete(struct svc *s, struct rpc_call *call)
{
    struct cdb_resource r;
    struct wire_writer w;
    char **dependents = NULL;
    size_t n = 0;

    if (!named_resource(s, call, RPC_F_NAME, &r))
        return;
    if (in_core_group(s, &r) && !is_witness(s, &r)) {
        rpc_call_finish(call, ERROR_CORE_RESOURCE, "'%s' is a core resource", r.name);
        return;
    }
    if (r.state != ClusterResourceOffline && r.state != ClusterResourceFailed) {
        rpc_call_finish(call, ERROR_INVALID_STATE, "'%s' is not offline", r.name);
        return;
    }
    if (cdb_dependents(s->db, r.name, &dependents, &n) == 0 && n > 0) {
        rpc_call_finish(call, ERROR_DEPENDENT_RESOURCE_EXISTS, "'%s' depends on '%s'",
                        dependents[0], r.name);
        free(dependents);
        return;
    }
    free(dependents);
    wire_writer_init(&w);
    cdb_cmd_delete_resource(&w, r.name);
    svc_op_commit(s, call, &w);
}

/* The resources of a group connected to first through dependencies either way (first
 * included): what ChangeClusterResourceGroup moves. Names into *ret (malloc'd array of
 * CDB_NAME_MAX + 1 buffers); the count, or -1 when out of memory. */
static int dependency_tree(struct svc *s, const char *first, char (**ret)[CDB_NAME_MAX + 1])
{
    char (*tree)[CDB_NAME_MAX + 1] = malloc(sizeof(*tree));
    int n = 1;

    if (tree == NULL)
        return -1;
    snprintf(tree[0], sizeof(tree[0]), "%s", first);
    for (int i = 0; i < n; i++) {
        char **lists[2] = {NULL, NULL};
        size_t counts[2] = {0, 0};

        cdb_dependencies(s->db, tree[i], &lists[0], &counts[0]);
        cdb_dependents(s->db, tree[i], &lists[1], &counts[1]);
        for (int l = 0; l < 2; l++) {
            for (size_t k = 0; k < counts[l]; k++) {
                bool seen = false;
                void *grown;

                for (int j = 0; j < n && !seen; j++)
                    seen = strcasecmp(tree[j], lists[l][k]) == 0;
                if (seen || (grown = realloc(tree, (size_t)(n + 1) * sizeof(*tree))) == NULL)
                    continue;
                tree = grown;
                snprintf(tree[n++], sizeof(tree[0]), "%s", lists[l][k]);
            }
            free(lists[l]);
        }
    }
    *ret = tree;
    return n;
}

/* ChangeClusterResourceGroup: the resource and its whole dependency tree change group in one
 * BATCH; both groups must be owned by the same node (or both by none). */
void svc_op_resource_move(struct svc *s, struct rpc_call *call)
{
    char (*tree)[CDB_NAME_MAX + 1] = NULL;
    struct cdb_group from, to;
    struct cdb_resource r;
    struct wire_writer w;
    int n;

    if (!named_resource(s, call, RPC_F_NAME, &r) || !named_group(s, call, RPC_F_GROUP, &to) ||
        cdb_group_by_id(s->db, r.group_id, &from) < 0)
        return;
    if (from.id == to.id) {
        rpc_call_finish(call, 0, NULL);
        return;
    }
    if (from.core || to.core) {
        rpc_call_finish(call, ERROR_CORE_RESOURCE, "resources do not move into or out of the "
                        "core group");
        return;
    }
    if (from.owner != to.owner) {
        rpc_call_finish(call, ERROR_INVALID_STATE, "groups '%s' and '%s' are not owned by the "
                        "same node", from.name, to.name);
        return;
    }
    if ((n = dependency_tree(s, r.name, &tree)) < 0) {
        rpc_call_finish(call, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
        return;
    }
    wire_writer_init(&w);
    cdb_cmd_batch(&w);
    for (int i = 0; i < n; i++) {
        size_t mark = cdb_cmd_batch_sub_begin(&w);

        cdb_cmd_move_resource(&w, tree[i], to.name);
        cdb_cmd_batch_sub_end(&w, mark);
    }
    free(tree);
    svc_op_commit(s, call, &w);
}

/* ------------------------------------------------------------------------------------------ */
/* Dependencies                                                                                */
/* ------------------------------------------------------------------------------------------ */

/* Does provider (transitively) depend on res? Then res -> provider closes a cycle. */
static bool reaches(struct svc *s, const char *from, const char *target, int depth)
{
    char **providers = NULL;
    size_t n = 0;
    bool found = false;

    if (depth > 100 || cdb_dependencies(s->db, from, &providers, &n) < 0)
        return false;
    for (size_t i = 0; i < n && !found; i++)
        found = strcasecmp(providers[i], target) == 0 ||
                reaches(s, providers[i], target, depth + 1);
    free(providers);
    return found;
}

/* May res depend on provider (a name)? 0 or the refusal, finishing nothing. */
static uint32_t check_provider(struct svc *s, const struct cdb_resource *res, const char *name,
                               char *why, size_t n)
{
    struct cdb_resource p;

    if (cdb_resource_by_name(s->db, name, &p) < 0)
        return snprintf(why, n, "no resource '%s'", name), ERROR_RESOURCE_NOT_FOUND;
    if (p.id == res->id || reaches(s, p.name, res->name, 0))
        return snprintf(why, n, "'%s' depending on '%s' would be circular", res->name, p.name),
               ERROR_CIRCULAR_DEPENDENCY;
    if (p.group_id != res->group_id)
        return snprintf(why, n, "'%s' and '%s' are in different groups", res->name, p.name),
               ERROR_INVALID_PARAMETER;
    return 0;
}

/* The stored expression of res. */
static int stored_expr(struct svc *s, const char *res, struct depexpr *ret)
{
    struct cdb_dependency *deps = NULL;
    struct depexpr e = {NULL, 0};
    size_t n = 0;
    int rv = cdb_dependency_clauses(s->db, res, &deps, &n);

    for (size_t i = 0, c = 0; rv == 0 && i < n; i++) {
        if (i > 0 && deps[i].clause != deps[i - 1].clause)
            c++;
        rv = depexpr_add(&e, c, deps[i].provider);
    }
    free(deps);
    if (rv < 0)
        depexpr_done(&e);
    else
        *ret = e;
    return rv;
}

/* SET_DEPENDENCIES with the clauses of e. */
static void commit_expr(struct svc *s, struct rpc_call *call, const char *res,
                        const struct depexpr *e)
{
    const char *const **clauses = calloc(e->n + 1, sizeof(*clauses));
    size_t *counts = calloc(e->n + 1, sizeof(*counts));
    struct wire_writer w;
    size_t k = 0;

    if (clauses == NULL || counts == NULL) {
        free(clauses);
        free(counts);
        rpc_call_finish(call, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
        return;
    }
    for (size_t c = 0; c < e->n; c++)
        if (e->clauses[c].n > 0) {
            clauses[k] = (const char *const *)e->clauses[c].names;
            counts[k++] = e->clauses[c].n;
        }
    wire_writer_init(&w);
    cdb_cmd_set_dependencies(&w, res, (const char *const *const *)clauses, counts, k);
    free(clauses);
    free(counts);
    svc_op_commit(s, call, &w);
}

/* AddClusterResourceDependency: the provider becomes a new AND clause of its own. */
void svc_op_resource_depend(struct svc *s, struct rpc_call *call)
{
    struct cdb_dependency *deps = NULL;
    struct cdb_resource r;
    struct wire_writer w;
    char provider[256], why[WHY_SIZE];
    uint32_t st, last = 0;
    size_t n = 0;

    if (!named_resource(s, call, RPC_F_NAME, &r))
        return;
    if (!svc_req_str(call, RPC_F_PROVIDER, provider, sizeof(provider))) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "no provider");
        return;
    }
    if ((st = check_provider(s, &r, provider, why, sizeof(why))) != 0) {
        rpc_call_finish(call, st, "%s", why);
        return;
    }
    cdb_dependency_clauses(s->db, r.name, &deps, &n);
    for (size_t i = 0; i < n; i++) {
        if (strcasecmp(deps[i].provider, provider) == 0)
            st = ERROR_DEPENDENCY_ALREADY_EXISTS;
        last = deps[i].clause > last ? deps[i].clause : last;
    }
    free(deps);
    if (st != 0) {
        rpc_call_finish(call, st, "'%s' already depends on '%s'", r.name, provider);
        return;
    }
    wire_writer_init(&w);
    cdb_cmd_add_dependency_clause(&w, r.name, provider, last + 1);
    svc_op_commit(s, call, &w);
}

/* RemoveClusterResourceDependency: the provider leaves whichever clause holds it. */
void svc_op_resource_undepend(struct svc *s, struct rpc_call *call)
{
    struct depexpr e = {NULL, 0};
    struct cdb_resource r;
    char provider[256];
    bool found = false;

    if (!named_resource(s, call, RPC_F_NAME, &r))
        return;
    if (!svc_req_str(call, RPC_F_PROVIDER, provider, sizeof(provider)) ||
        stored_expr(s, r.name, &e) < 0) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "no provider");
        return;
    }
    for (size_t c = 0; c < e.n; c++)
        for (size_t i = 0; i < e.clauses[c].n; i++)
            if (!found && strcasecmp(e.clauses[c].names[i], provider) == 0) {
                free(e.clauses[c].names[i]);
                e.clauses[c].names[i] = e.clauses[c].names[--e.clauses[c].n];
                found = true;
            }
    if (!found)
        rpc_call_finish(call, ERROR_DEPENDENCY_NOT_FOUND, "'%s' does not depend on '%s'", r.name,
                        provider);
    else
        commit_expr(s, call, r.name, &e);
    depexpr_done(&e);
}

/* SetClusterResourceDependencyExpression: the whole expression replaced ("" clears it). */
void svc_op_resource_set_depexpr(struct svc *s, struct rpc_call *call)
{
    struct depexpr e = {NULL, 0};
    struct cdb_resource r;
    char why[WHY_SIZE];
    char *text = NULL;
    uint32_t st;

    if (!named_resource(s, call, RPC_F_NAME, &r))
        return;
    if (wire_get_strdup(call->req, call->req_len, RPC_F_VALUE, &text) < 0) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "no expression");
        return;
    }
    st = depexpr_parse(text, &e, why, sizeof(why));
    free(text);
    for (size_t c = 0; st == 0 && c < e.n; c++)
        for (size_t i = 0; st == 0 && i < e.clauses[c].n; i++)
            st = check_provider(s, &r, e.clauses[c].names[i], why, sizeof(why));
    if (st != 0)
        rpc_call_finish(call, st, "%s", why);
    else
        commit_expr(s, call, r.name, &e);
    depexpr_done(&e);
}

/* ------------------------------------------------------------------------------------------ */
/* Possible owners                                                                             */
/* ------------------------------------------------------------------------------------------ */

/* AddClusterResourceNode / RemoveClusterResourceNode: the node leaves or joins the excluded
 * set. */
static void change_owner(struct svc *s, struct rpc_call *call, bool add)
{
    struct cdb_resource r;
    struct cdb_node node;
    struct wire_writer w;
    uint64_t id, *ex = NULL, *next;
    size_t n = 0, k = 0;
    bool excluded = false;

    if (!named_resource(s, call, RPC_F_NAME, &r))
        return;
    if (wire_get_u64(call->req, call->req_len, RPC_F_NODE_ID, &id) < 0 ||
        cdb_node_by_id(s->db, id, &node) < 0) {
        rpc_call_finish(call, ERROR_CLUSTER_NODE_NOT_FOUND, "no such node in this cluster");
        return;
    }
    if (cdb_excluded(s->db, r.name, &ex, &n) < 0 || (next = calloc(n + 1, sizeof(*next))) ==
                                                        NULL) {
        free(ex);
        rpc_call_finish(call, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        excluded |= ex[i] == id;
        if (ex[i] != id)
            next[k++] = ex[i];
    }
    free(ex);
    if (add == !excluded) {
        free(next);
        rpc_call_finish(call, add ? ERROR_OBJECT_ALREADY_EXISTS : ERROR_NOT_FOUND,
                        "node %s is %s a possible owner of '%s'", node.name, add ? "already" :
                        "not", r.name);
        return;
    }
    if (!add)
        next[k++] = id;
    wire_writer_init(&w);
    cdb_cmd_set_excluded(&w, r.name, next, k);
    free(next);
    svc_op_commit(s, call, &w);
}

void svc_op_resource_add_owner(struct svc *s, struct rpc_call *call)
{
    change_owner(s, call, true);
}

void svc_op_resource_remove_owner(struct svc *s, struct rpc_call *call)
{
    change_owner(s, call, false);
}

/* ------------------------------------------------------------------------------------------ */
/* Properties                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/* Checks each property against the table (a string in a DWORD's text form becomes a DWORD). */
static uint32_t check_common(enum cprop_object o, struct svc_props *p, char *why, size_t n)
{
    for (size_t i = 0; i < p->n; i++) {
        struct prop *v = &p->items[i];
        const struct cprop *c = cprop_find(o, v->name);
        uint32_t st;

        if (c != NULL)
            v->syntax = cprop_coerce_syntax(c->syntax, v->syntax, v->value);
        st = cprop_check(o, v->name, v->syntax, v->value, NULL, why, n);
        if (st != 0)
            return st;
    }
    return 0;
}

struct props_req {
    char name[256];
    bool validate;
    struct svc_props props;
};

static void private_checked(struct svc_type_job *job)
{
    struct props_req *pr = job->arg;
    struct wire_writer w;
    char why[WHY_SIZE];
    uint32_t st;

    if (job->rv < 0)
        rpc_call_finish(job->call, ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND,
                        "the driver of '%s' is not available here", pr->name);
    else if ((st = check_private(job, &pr->props, false, false, why, sizeof(why))) != 0)
        rpc_call_finish(job->call, st, "%s", why);
    else if (pr->validate)
        rpc_call_finish(job->call, 0, NULL);
    else {
        wire_writer_init(&w);
        cdb_cmd_set_resource_props(&w, pr->name, false, pr->props.items, pr->props.n);
        svc_op_commit(job->s, job->call, &w);
    }
    svc_props_done(&pr->props);
    free(pr);
}

/* The private half of RESOURCE_SET_PROPS: checked against the driver off the loop. */
static void set_private(struct svc *s, struct rpc_call *call, const struct cdb_resource *r,
                        struct props_req *pr)
{
    struct svc_type_job *job = calloc(1, sizeof(*job));
    struct cdb_restype t;

    if (job == NULL || cdb_restype_by_name(s->db, r->type, &t) < 0) {
        free(job);
        svc_props_done(&pr->props);
        free(pr);
        rpc_call_finish(call, ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND, "no type '%s'", r->type);
        return;
    }
    *job = (struct svc_type_job){.s = s, .call = call, .done = private_checked, .arg = pr};
    snprintf(job->driver, sizeof(job->driver), "%s", t.driver);
    svc_type_job_start(job);
}

/* ClusterResourceControl SET/VALIDATE_COMMON or _PRIVATE_PROPERTIES. */
void svc_op_resource_set_props(struct svc *s, struct rpc_call *call)
{
    struct props_req *pr;
    struct cdb_resource r;
    struct wire_writer w;
    char why[WHY_SIZE];
    uint32_t common = 0, st;

    if (!named_resource(s, call, RPC_F_NAME, &r))
        return;
    if ((pr = calloc(1, sizeof(*pr))) == NULL) {
        rpc_call_finish(call, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
        return;
    }
    snprintf(pr->name, sizeof(pr->name), "%s", r.name);
    pr->validate = is_validate(call);
    wire_get_u32(call->req, call->req_len, RPC_F_COMMON, &common);
    if ((st = svc_req_props(call, &pr->props, why, sizeof(why))) != 0) {
        free(pr);
        rpc_call_finish(call, st, "%s", why);
        return;
    }
    if (common != 1) {
        set_private(s, call, &r, pr);
        return;
    }
    st = check_common(CPROP_RESOURCE, &pr->props, why, sizeof(why));
    if (st != 0 || pr->validate) {
        rpc_call_finish(call, st, "%s", st ? why : "");
    } else {
        wire_writer_init(&w);
        cdb_cmd_set_resource_props(&w, r.name, true, pr->props.items, pr->props.n);
        svc_op_commit(s, call, &w);
    }
    svc_props_done(&pr->props);
    free(pr);
}

/* ClusterGroupControl SET/VALIDATE_COMMON_PROPERTIES. */
void svc_op_group_set_props(struct svc *s, struct rpc_call *call)
{
    struct svc_props props = {NULL, 0};
    struct wire_writer w;
    struct cdb_group g;
    char why[WHY_SIZE];
    uint32_t st;

    if (!named_group(s, call, RPC_F_NAME, &g))
        return;
    if ((st = svc_req_props(call, &props, why, sizeof(why))) == 0)
        st = check_common(CPROP_GROUP, &props, why, sizeof(why));
    if (st != 0 || is_validate(call)) {
        rpc_call_finish(call, st, "%s", st ? why : "");
    } else {
        wire_writer_init(&w);
        cdb_cmd_set_group_props(&w, g.name, props.items, props.n);
        svc_op_commit(s, call, &w);
    }
    svc_props_done(&props);
}
