/*
 * cli_quorum — `clusctl quorum show`: every member's vote and state, the witness, DynamicQuorum,
 * how many failures the cluster survives now (common/quorum_votes.h's quorum_view) and, when it
 * survives none, what to do; `clusctl quorum set --witness HOST[:PORT] | --no-witness`: a Node
 * Witness resource in the core group made the quorum resource (SetClusterQuorumResource), or
 * the witness removed. Neither takes a group offline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <clusapi.h>
#include <clusapi_ext.h>

#include "cli/cli_cluster.h"
#include "cli/cli_cmd.h"
#include "cli/cli_control.h"
#include "cli/cli_format.h"
#include "cli/cli_quorum.h"
#include "common/common_props.h"
#include "common/proplist.h"
#include "common/quorum_votes.h"
#include "common/utf16.h"

#define CORE_GROUP u"Cluster Group"  /* Windows' name of the core group */
#define WITNESS_TYPE "Node Witness"
#define WITNESS_DRIVER u"witness"
#define NAME_UNITS 256
#define SETTLE_MS 30000
#define SETTLE_STEP_MS 50

/* ------------------------------------------------------------------------------------------ */
/* What the votes are                                                                          */
/* ------------------------------------------------------------------------------------------ */

struct votes {
    struct cli_entries nodes;
    DWORD *flags;            /* per node: CLUSAPI_NODE_VOTER, CLUSAPI_NODE_WITNESS */
    bool witness;            /* a member is the witness */
    char *resource;          /* the quorum resource ("" for none) */
    char *dynamic;           /* DynamicQuorum, NULL when the cluster has no such property */
    struct quorum_view view;
};

static void votes_done(struct votes *v)
{
    cli_entries_done(&v->nodes);
    free(v->flags);
    free(v->resource);
    free(v->dynamic);
    memset(v, 0, sizeof(*v));
}

/* A member votes and is heard: Up, or Paused (a paused node still heartbeats and votes). */
static bool member_up(int state)
{
    return state == ClusterNodeUp || state == ClusterNodePaused;
}

static uint32_t read_flags(HCLUSTER h, struct votes *v, char *detail)
{
    v->flags = calloc(v->nodes.n ? v->nodes.n : 1, sizeof(*v->flags));
    if (v->flags == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    for (size_t i = 0; i < v->nodes.n; i++) {
        HNODE n = OpenClusterNode(h, v->nodes.v[i].wname);
        uint32_t status;

        if (n == NULL)
            return cli_last_failure(detail, ERROR_CLUSTER_NODE_NOT_FOUND);
        status = cli_take_reason(ClusapiGetNodeQuorumFlags(n, &v->flags[i]), detail);
        CloseClusterNode(n);
        if (status != 0)
            return status;
        v->witness |= (v->flags[i] & CLUSAPI_NODE_WITNESS) != 0;
    }
    return 0;
}

/* The quorum resource's name, malloc'd, in *ret ("" for none), and the mode. */
static uint32_t read_quorum_resource(HCLUSTER h, char **ret, DWORD *mode, char *detail)
{
    WCHAR name[NAME_UNITS], device[NAME_UNITS];
    DWORD cch = NAME_UNITS, cch_dev = NAME_UNITS;
    uint32_t status = GetClusterQuorumResource(h, name, &cch, device, &cch_dev, mode);

    if (status != 0)
        return cli_take_reason(status, detail);
    return cli_utf16_to_utf8_lossy((const char16_t *)name, NAME_UNITS, ret) < 0
               ? ERROR_NOT_ENOUGH_MEMORY
               : 0;
}

/* DynamicQuorum, or NULL when the cluster does not have it. */
static uint32_t read_dynamic(HCLUSTER h, char **ret, char *detail)
{
    WCHAR value[64];
    DWORD cch = 64;
    uint32_t status = ClusapiGetClusterProperty(h, u"DynamicQuorum", value, &cch);

    *ret = NULL;
    if (status == ERROR_NOT_FOUND)
        return 0;
    if (status != 0)
        return cli_take_reason(status, detail);
    return cli_utf16_to_utf8_lossy((const char16_t *)value, 64, ret) < 0 ? ERROR_NOT_ENOUGH_MEMORY
                                                                         : 0;
}

static uint32_t read_votes(HCLUSTER h, struct votes *v, char *detail)
{
    struct quorum_member *m;
    DWORD mode = 0;
    uint32_t status = cli_list_entries(h, CLI_KIND_NODE, &v->nodes, detail);

    for (size_t i = 0; status == 0 && i < v->nodes.n; i++) {
        cli_read_entry(h, CLI_KIND_NODE, &v->nodes.v[i], detail);
        status = v->nodes.v[i].error;
    }
    if (status == 0)
        status = read_flags(h, v, detail);
    if (status == 0)
        status = read_quorum_resource(h, &v->resource, &mode, detail);
    if (status == 0)
        status = read_dynamic(h, &v->dynamic, detail);
    if (status != 0)
        return status;
    m = calloc(v->nodes.n ? v->nodes.n : 1, sizeof(*m));
    if (m == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    for (size_t i = 0; i < v->nodes.n; i++)
        m[i] = (struct quorum_member){.voter = (v->flags[i] & CLUSAPI_NODE_VOTER) != 0,
                                      .up = member_up(v->nodes.v[i].state),
                                      .witness = (v->flags[i] & CLUSAPI_NODE_WITNESS) != 0};
    quorum_view(m, v->nodes.n, &v->view);
    free(m);
    return 0;
}

/* What to do about a cluster that survives no failure now; NULL when it survives one. */
static const char *advice(const struct votes *v)
{
    if (v->view.survives > 0)
        return NULL;
    if (!v->view.has_quorum)
        return "The cluster has lost its quorum: it changes nothing until enough voters are "
               "back. Start clussvc on the nodes that are down (and on the witness).";
    if (v->view.voters_up < v->view.voters)
        return "One more failure stops the cluster: bring the voters that are down back "
               "first.";
    if (!v->witness && v->nodes.n == 2)
        return QUORUM_FRAGILE_ADVICE ".";
    if (!v->witness)
        return "One failure stops the cluster: add a witness on a third machine with "
               "'clusctl quorum set --witness HOST[:PORT]' (clussvc --witness there), or a "
               "third node.";
    return "One failure stops the cluster: add a node.";
}

/* ------------------------------------------------------------------------------------------ */
/* quorum show                                                                                 */
/* ------------------------------------------------------------------------------------------ */

static const char *role_of(DWORD flags)
{
    return (flags & CLUSAPI_NODE_WITNESS) ? "witness" : "node";
}

static int render_members_json(const struct votes *v, struct cli_buf *b)
{
    int rv = cli_buf_puts(b, ",\"members\":[");

    for (size_t i = 0; rv == 0 && i < v->nodes.n; i++) {
        rv = cli_buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
        if (rv == 0)
            rv = cli_json_string(b, v->nodes.v[i].name);
        if (rv == 0)
            rv = cli_buf_printf(b, ",\"role\":\"%s\",\"state\":\"%s\",\"vote\":%d,"
                                   "\"storage_fault\":%s}",
                                role_of(v->flags[i]),
                                cli_node_state_name(v->nodes.v[i].state),
                                (v->flags[i] & CLUSAPI_NODE_VOTER) ? 1 : 0,
                                (v->flags[i] & CLUSAPI_NODE_STORAGE_FAULT) ? "true" : "false");
    }
    return rv == 0 ? cli_buf_puts(b, "]") : rv;
}

static int render_json(const struct votes *v, struct cli_buf *b)
{
    int rv = cli_buf_printf(b, "{\"ok\":true,\"quorum\":\"%s\",\"quorum_resource\":",
                            v->witness ? "node_and_witness_majority" : "node_majority");

    if (rv == 0)
        rv = cli_json_string(b, v->resource[0] ? v->resource : NULL);
    if (rv == 0)
        rv = cli_buf_puts(b, ",\"dynamic_quorum\":");
    if (rv == 0)
        rv = cli_json_string(b, v->dynamic);
    if (rv == 0)
        rv = cli_buf_printf(b, ",\"voters\":%u,\"voters_up\":%u,\"majority\":%u,"
                               "\"has_quorum\":%s,\"survives\":%u",
                            v->view.voters, v->view.voters_up, v->view.majority,
                            v->view.has_quorum ? "true" : "false", v->view.survives);
    if (rv == 0)
        rv = render_members_json(v, b);
    if (rv == 0)
        rv = cli_buf_puts(b, ",\"advice\":");
    if (rv == 0)
        rv = cli_json_string(b, advice(v));
    return rv == 0 ? cli_buf_puts(b, "}\n") : rv;
}

/* "Votes: n1 n2 w (3 of 3 up, majority 2): the cluster survives 1 more failure." and the
 * advice. */
static int render_summary(const struct votes *v, struct cli_buf *b)
{
    const char *todo = advice(v);
    int rv = cli_buf_puts(b, "Votes:");

    for (size_t i = 0; rv == 0 && i < v->nodes.n; i++)
        if (v->flags[i] & CLUSAPI_NODE_VOTER)
            rv = cli_buf_printf(b, " %s", v->nodes.v[i].name);
    if (rv == 0)
        rv = cli_buf_printf(b, " (%u of %u up, majority %u): ", v->view.voters_up,
                            v->view.voters, v->view.majority);

    if (rv == 0 && !v->view.has_quorum)
        rv = cli_buf_puts(b, "NO QUORUM.\n");
    else if (rv == 0)
        rv = v->view.survives == 0
                 ? cli_buf_puts(b, "the cluster survives no failure of a voter.\n")
                 : cli_buf_printf(b, "the cluster survives %u more failure%s.\n",
                                  v->view.survives, v->view.survives == 1 ? "" : "s");
    if (rv == 0 && todo != NULL)
        rv = cli_buf_printf(b, "%s\n", todo);
    for (size_t i = 0; rv == 0 && i < v->nodes.n; i++)
        if (v->flags[i] & CLUSAPI_NODE_STORAGE_FAULT)
            rv = cli_buf_printf(b, "Storage fault: %s cannot store the cluster's log (its state "
                                   "directory is full or read-only): it has no vote and hosts no "
                                   "group until it can again.\n",
                                v->nodes.v[i].name);
    return rv;
}

static int render_text(const struct votes *v, struct cli_buf *b)
{
    static const char *const headers[] = {"NAME", "ROLE", "STATE", "VOTE"};
    struct cli_table t;
    int rv = cli_table_init(&t, 4, headers);

    if (rv == 0)
        rv = cli_buf_printf(b, "Quorum: %s\n", v->witness ? "node and witness majority"
                                                          : "node majority (no witness)");
    if (rv == 0 && v->witness)
        rv = cli_buf_printf(b, "Witness resource: %s\n",
                            v->resource[0] ? v->resource : "(none shows the witness)");
    if (rv == 0)
        rv = cli_buf_printf(b, "DynamicQuorum: %s\n", v->dynamic ? v->dynamic : "(not set)");
    for (size_t i = 0; rv == 0 && i < v->nodes.n; i++) {
        const char *row[] = {v->nodes.v[i].name, role_of(v->flags[i]),
                             cli_node_state_name(v->nodes.v[i].state),
                             (v->flags[i] & CLUSAPI_NODE_VOTER) ? "1" : "0"};

        rv = cli_table_add(&t, row);
    }
    if (rv == 0)
        rv = cli_table_render(&t, "", b);
    cli_table_done(&t);
    return rv == 0 ? render_summary(v, b) : rv;
}

uint32_t cli_quorum_summary(HCLUSTER h, bool json, struct cli_buf *b, char *detail)
{
    struct votes v = {0};
    uint32_t status = read_votes(h, &v, detail);
    int rv = 0;

    if (status == 0 && json)
        rv = cli_buf_printf(b, ",\"votes\":{\"voters\":%u,\"voters_up\":%u,\"majority\":%u,"
                               "\"has_quorum\":%s,\"survives\":%u}",
                            v.view.voters, v.view.voters_up, v.view.majority,
                            v.view.has_quorum ? "true" : "false", v.view.survives);
    else if (status == 0)
        rv = render_summary(&v, b);
    votes_done(&v);
    return status != 0 ? status : rv == 0 ? 0 : ERROR_NOT_ENOUGH_MEMORY;
}

void cli_quorum_warn_fragile(HCLUSTER h)
{
    struct votes v = {0};
    char detail[CLI_DETAIL_SIZE] = "";

    if (read_votes(h, &v, detail) == 0 && quorum_fragile(v.nodes.n - v.witness, v.witness))
        fprintf(stderr, "clusctl: warning: %s.\n", QUORUM_FRAGILE_ADVICE);
    votes_done(&v);
}

static int show(const struct cli_args *a, HCLUSTER h)
{
    struct votes v = {0};
    struct cli_buf b = {0};
    char detail[CLI_DETAIL_SIZE] = "";
    uint32_t status = read_votes(h, &v, detail);
    int rv;

    if (status != 0) {
        votes_done(&v);
        return cli_fail(a, "cannot read the votes", status, detail);
    }
    rv = a->json ? render_json(&v, &b) : render_text(&v, &b);
    if (rv == 0)
        rv = cli_flush_out(&b);
    cli_buf_done(&b);
    votes_done(&v);
    return rv == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}

/* ------------------------------------------------------------------------------------------ */
/* quorum set                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/* What one `quorum set` did, for its report. */
struct set_op {
    char *resource;  /* the quorum resource afterwards; NULL without one */
    char *retired;   /* the previous one, deleted; NULL if none */
    bool changed;    /* anything was done at all */
    bool witness_step; /* the failure was the witness's: it did not join */
    char detail[CLI_DETAIL_SIZE];
    const char *what; /* the step that failed */
};

static uint32_t fail_step(struct set_op *op, const char *what, uint32_t fallback)
{
    op->what = what;
    return cli_last_failure(op->detail, fallback);
}

static HRESOURCE open_resource(HCLUSTER h, const char *name)
{
    char16_t *w;
    HRESOURCE r;

    if (utf8_to_utf16(name, &w) < 0)
        return NULL;
    r = OpenClusterResource(h, w);
    free(w);
    return r;
}

/* The Address of a Node Witness resource, malloc'd in *ret (NULL if it has none). */
static uint32_t resource_address(HRESOURCE r, char **ret, char *detail)
{
    struct cli_ctl t = {.resource = r};
    struct cli_plist l = {0};
    uint32_t status = cli_ctl_get_list(&t, CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTIES, &l, detail);

    *ret = NULL;
    for (size_t i = 0; status == 0 && i < l.n; i++)
        if (strcasecmp(l.v[i].name, "Address") == 0 && (*ret = strdup(l.v[i].value)) == NULL)
            status = ERROR_NOT_ENOUGH_MEMORY;
    cli_plist_done(&l);
    return status;
}

/* Waits until r is in state want (or Failed, which ends an offline too). */
static int settle_state(HRESOURCE r, int want)
{
    const struct timespec step = {0, SETTLE_STEP_MS * 1000000L};
    int state = GetClusterResourceState(r, NULL, NULL, NULL, NULL);

    for (int waited = 0; state != want && state != ClusterResourceFailed &&
                         state != ClusterResourceStateUnknown && waited < SETTLE_MS;
         waited += SETTLE_STEP_MS) {
        nanosleep(&step, NULL);
        state = GetClusterResourceState(r, NULL, NULL, NULL, NULL);
    }
    return state;
}

/* Takes a former quorum resource offline and deletes it. */
static uint32_t retire(HCLUSTER h, const char *name, struct set_op *op)
{
    HRESOURCE r = open_resource(h, name);
    uint32_t status;

    if (r == NULL)
        return 0; /* already gone */
    status = OfflineClusterResource(r);
    if (status == 0 || status == ERROR_IO_PENDING) {
        settle_state(r, ClusterResourceOffline);
        status = DeleteClusterResource(r);
    }
    CloseClusterResource(r);
    if (status != 0)
        return fail_step(op, "cannot delete the former witness resource", status);
    return (op->retired = strdup(name)) == NULL ? ERROR_NOT_ENOUGH_MEMORY : 0;
}

/* The core group; a cluster created empty has none, and gets a "Cluster Group" for it
 * (*ret_created then). */
static HGROUP core_group(HCLUSTER h, bool *ret_created)
{
    HGROUP g = OpenClusterGroup(h, CORE_GROUP);

    *ret_created = g == NULL;
    return g != NULL ? g : CreateClusterGroup(h, CORE_GROUP);
}

/* The first of "Node Witness", "Node Witness 2" ... that no resource has, in buf. */
static void free_name(HCLUSTER h, char *buf, size_t n)
{
    for (unsigned k = 1; k < 100; k++) {
        HRESOURCE r;

        snprintf(buf, n, k == 1 ? "%s" : "%s %u", WITNESS_TYPE, k);
        if ((r = open_resource(h, buf)) == NULL)
            return;
        CloseClusterResource(r);
    }
}

/* A new Node Witness resource named name in g with its Address, in one commit; the type is
 * registered first in a cluster created before it existed. NULL + the last error. */
static HRESOURCE create_resource(HCLUSTER h, HGROUP g, const char *name, const char *address)
{
    const struct prop props[] = {{"Address", PROP_SYNTAX_SZ, address}};
    char16_t *wname = NULL;
    size_t size = 0;
    void *list = NULL;
    HRESOURCE r = NULL;
    uint32_t status = proplist_encode(props, 1, NULL, 0, &size);

    if (status == ERROR_MORE_DATA && (list = malloc(size)) != NULL)
        status = proplist_encode(props, 1, list, size, &size);
    if (status == 0 && utf8_to_utf16(name, &wname) == 0) {
        r = ClusapiCreateClusterResourceEx(g, wname, u"" WITNESS_TYPE, 0, list, (DWORD)size,
                                           TRUE);
        if (r == NULL && GetLastError() == ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND &&
            CreateClusterResourceType(h, u"" WITNESS_TYPE, u"" WITNESS_TYPE, WITNESS_DRIVER,
                                      CPROP_LOOKS_ALIVE_DEFAULT, CPROP_IS_ALIVE_DEFAULT) == 0)
            r = ClusapiCreateClusterResourceEx(g, wname, u"" WITNESS_TYPE, 0, list,
                                               (DWORD)size, TRUE);
    } else {
        SetLastError(status != 0 ? status : ERROR_NOT_ENOUGH_MEMORY);
    }
    free(wname);
    free(list);
    return r;
}

/* Makes a new Node Witness resource at a->witness the quorum resource. A refusal (a bad or
 * unreachable witness) deletes it again, so nothing is left changed. */
static uint32_t add_witness(const struct cli_args *a, HCLUSTER h, struct set_op *op)
{
    char name[64];
    char16_t *w;
    bool created;
    HGROUP g;
    HRESOURCE r;
    uint32_t status;

    /* Asked first, so that a witness that cannot be one leaves no trace in the cluster. */
    if (utf8_to_utf16(a->witness, &w) < 0)
        return ERROR_NOT_ENOUGH_MEMORY;
    status = ClusapiCheckWitness(h, w);
    free(w);
    if (status != 0) {
        op->witness_step = true;
        return fail_step(op, "the witness was not added", status);
    }
    if ((g = core_group(h, &created)) == NULL)
        return fail_step(op, "cannot open or create the core group", ERROR_GROUP_NOT_FOUND);
    free_name(h, name, sizeof(name));
    r = create_resource(h, g, name, a->witness);
    if (r == NULL) {
        status = fail_step(op, "cannot create the witness resource", ERROR_INVALID_PARAMETER);
    } else {
        op->changed = true;
        status = SetClusterQuorumResource(r, NULL, CLUS_HYBRID_QUORUM);
    }
    if (r != NULL && status != 0) {
        cli_take_reason(status, op->detail);
        op->what = "the witness was not added";
        op->witness_step = true;
        if (settle_state(r, ClusterResourceOffline) != ClusterResourceOnline &&
            DeleteClusterResource(r) != 0)
            created = false; /* the group keeps what is left of it */
    } else if (r != NULL && (op->resource = strdup(name)) == NULL) {
        status = ERROR_NOT_ENOUGH_MEMORY;
    }
    if (status != 0 && created) /* the group made for it goes too, so nothing is left */
        DeleteClusterGroup(g);
    if (r != NULL)
        CloseClusterResource(r);
    CloseClusterGroup(g);
    return status;
}

static uint32_t set_witness(const struct cli_args *a, HCLUSTER h, struct set_op *op)
{
    char *old = NULL, *address = NULL;
    HRESOURCE r = NULL;
    DWORD mode = 0;
    uint32_t status = read_quorum_resource(h, &old, &mode, op->detail);

    if (status == 0 && old[0] != '\0' && (r = open_resource(h, old)) != NULL)
        status = resource_address(r, &address, op->detail);
    if (status == 0 && address != NULL && strcmp(address, a->witness) == 0) {
        /* the same witness: set again, which mends a witness that left or a resource that
         * is offline, and changes nothing else */
        status = cli_take_reason(SetClusterQuorumResource(r, NULL, CLUS_HYBRID_QUORUM),
                                 op->detail);
        if (status == 0 && (op->resource = strdup(old)) == NULL)
            status = ERROR_NOT_ENOUGH_MEMORY;
    } else if (status == 0) {
        status = add_witness(a, h, op);
        if (status == 0 && old[0] != '\0')
            status = retire(h, old, op);
    }
    if (r != NULL)
        CloseClusterResource(r);
    free(address);
    free(old);
    return status;
}

/* Evicts every witness member: for a witness that no resource shows. */
static uint32_t evict_witnesses(HCLUSTER h, struct set_op *op)
{
    struct votes v = {0};
    uint32_t status = read_votes(h, &v, op->detail);

    for (size_t i = 0; status == 0 && i < v.nodes.n; i++) {
        HNODE n;
        HRESULT hr;

        if (!(v.flags[i] & CLUSAPI_NODE_WITNESS))
            continue;
        if ((n = OpenClusterNode(h, v.nodes.v[i].wname)) == NULL)
            return fail_step(op, "cannot open the witness", ERROR_CLUSTER_NODE_NOT_FOUND);
        status = EvictClusterNodeEx(n, SETTLE_MS, &hr);
        CloseClusterNode(n);
        op->changed = true;
        if (status == ERROR_CLUSTER_EVICT_WITHOUT_CLEANUP)
            status = 0; /* it wipes itself when it returns; its vote is gone */
        else if (status != 0)
            status = fail_step(op, "cannot evict the witness", status);
    }
    votes_done(&v);
    return status;
}

static uint32_t remove_witness(HCLUSTER h, struct set_op *op)
{
    char *old = NULL;
    HRESOURCE r;
    DWORD mode = 0;
    uint32_t status = read_quorum_resource(h, &old, &mode, op->detail);

    if (status != 0)
        return status;
    if (old[0] == '\0') {
        free(old);
        return mode == CLUS_HYBRID_QUORUM ? evict_witnesses(h, op) : 0;
    }
    r = open_resource(h, old);
    if (r == NULL) {
        free(old);
        return fail_step(op, "cannot open the witness resource", ERROR_RESOURCE_NOT_FOUND);
    }
    status = SetClusterQuorumResource(r, NULL, CLUS_NODE_MAJORITY_QUORUM);
    op->changed = true;
    if (status == 0)
        status = DeleteClusterResource(r);
    if (status == 0 && (op->retired = strdup(old)) == NULL)
        status = ERROR_NOT_ENOUGH_MEMORY;
    else if (status != 0)
        fail_step(op, "the witness was not removed", status);
    CloseClusterResource(r);
    free(old);
    return status;
}

static int print_set(const struct cli_args *a, HCLUSTER h, const struct set_op *op)
{
    struct votes v = {0};
    struct cli_buf b = {0};
    char detail[CLI_DETAIL_SIZE];
    bool votes = read_votes(h, &v, detail) == 0; /* only for the summary */
    int rv;

    if (a->json) {
        rv = cli_buf_puts(&b, "{\"ok\":true,\"witness\":");
        if (rv == 0)
            rv = cli_json_string(&b, a->witness);
        if (rv == 0)
            rv = cli_buf_puts(&b, ",\"quorum_resource\":");
        if (rv == 0)
            rv = cli_json_string(&b, op->resource);
        if (rv == 0 && votes)
            rv = cli_buf_printf(&b, ",\"survives\":%u", v.view.survives);
        if (rv == 0)
            rv = cli_buf_puts(&b, "}\n");
    } else {
        if (a->witness != NULL)
            rv = cli_buf_printf(&b, "Witness %s votes; quorum resource %s.\n", a->witness,
                                op->resource);
        else
            rv = cli_buf_puts(&b, op->changed ? "The witness was removed: nodes alone vote.\n"
                                              : "The cluster has no witness.\n");
        if (rv == 0 && op->retired != NULL)
            rv = cli_buf_printf(&b, "Former witness resource %s deleted.\n", op->retired);
        if (rv == 0 && votes)
            rv = render_summary(&v, &b);
    }
    if (rv == 0)
        rv = cli_flush_out(&b);
    cli_buf_done(&b);
    votes_done(&v);
    return rv == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}

static int set(const struct cli_args *a, HCLUSTER h)
{
    struct set_op op = {0};
    char what[300];
    uint32_t status = a->witness != NULL ? set_witness(a, h, &op) : remove_witness(h, &op);
    int rv;

    if (status == 0) {
        rv = print_set(a, h, &op);
    } else {
        snprintf(what, sizeof(what), "quorum set %s%s%s%s", a->witness ? "--witness " : "",
                 a->witness ? a->witness : "--no-witness", op.what ? ": " : "",
                 op.what ? op.what : "");
        rv = cli_fail(a, what, status, op.detail);
        /* The cluster answered; a witness it could not reach is a failed operation (1), not
         * an unreachable cluster (4). */
        if (rv == CLI_EXIT_UNREACHABLE && op.witness_step)
            rv = CLI_EXIT_FAILED;
    }
    free(op.resource);
    free(op.retired);
    return rv;
}

int cli_cmd_quorum(const struct cli_args *a, HCLUSTER h)
{
    return a->cmd == CLI_CMD_QUORUM_SHOW ? show(a, h) : set(a, h);
}
