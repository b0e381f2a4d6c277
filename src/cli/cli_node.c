/*
 * cli_node — `clusctl node list`: every node with its state (GetClusterNodeState) and its votes
 * (ClusterNodeControl's NodeWeight, DynamicWeight and IsWitness); and `clusctl node
 * pause|resume NODE`: PauseClusterNode (the node stays a member but hosts no groups; the call
 * moves its groups away first) and ResumeClusterNode. Either way the node's state is read back
 * with GetClusterNodeState and shown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <clusapi.h>
#include <clusapi_ext.h>

#include "cli/cli_cluster.h"
#include "cli/cli_cmd.h"
#include "cli/cli_control.h"
#include "cli/cli_format.h"
#include "common/common_props.h"
#include "common/utf16.h"

#define SETTLE_MS 3000
#define SETTLE_STEP_MS 50

/* What one run found out. */
struct node_op {
    bool pause;
    uint32_t status;
    int state; /* afterwards; ClusterNodeStateUnknown if it could not be read */
    char detail[CLI_DETAIL_SIZE];
    const char *what; /* the step that failed; NULL: the pause or resume itself */
};

static uint32_t fail_step(struct node_op *op, const char *what, uint32_t fallback)
{
    op->what = what;
    return cli_last_failure(op->detail, fallback);
}

/* Pauses or resumes; on failure keeps the library's reason, or says which state the node is in
 * when the library gave only a code (ERROR_CLUSTER_NODE_NOT_PAUSED, say). */
static uint32_t change(const struct cli_args *a, HNODE n, struct node_op *op)
{
    uint32_t status = op->pause ? PauseClusterNode(n) : ResumeClusterNode(n);
    int state;

    if (status == 0 || status == ERROR_IO_PENDING)
        return status;
    snprintf(op->detail, sizeof(op->detail), "%s", ClusapiLastErrorText());
    if (op->detail[0] == '\0') {
        state = GetClusterNodeState(n);
        if (state != ClusterNodeStateUnknown)
            snprintf(op->detail, sizeof(op->detail), "node %s is %s", a->node,
                     cli_node_state_name(state));
    }
    return status;
}

/*
 * The node's state once it shows the change, or whatever it shows after SETTLE_MS. Why wait:
 * the call returns once the cluster accepted the change, but the node the handle talks to may
 * apply it a moment later, and reading back at once could show the old state.
 */
static int settled_state(HNODE n, int want)
{
    const struct timespec step = {0, SETTLE_STEP_MS * 1000000L};
    int state = GetClusterNodeState(n);

    for (int waited = 0; state != want && state != ClusterNodeStateUnknown && waited < SETTLE_MS;
         waited += SETTLE_STEP_MS) {
        nanosleep(&step, NULL);
        state = GetClusterNodeState(n);
    }
    return state;
}

static uint32_t run(const struct cli_args *a, HCLUSTER h, struct node_op *op)
{
    char16_t *w;
    HNODE n;
    uint32_t status;

    if (utf8_to_utf16(a->node, &w) < 0)
        return ERROR_NOT_ENOUGH_MEMORY; /* the parser checked that it is UTF-8 */
    n = OpenClusterNode(h, w);
    free(w);
    if (n == NULL)
        return fail_step(op, "cannot open the node", ERROR_CLUSTER_NODE_NOT_FOUND);
    status = change(a, n, op);
    /* Only for the message: a failure here costs the state, not the result. */
    if (status == 0 || status == ERROR_IO_PENDING)
        op->state = settled_state(n, op->pause ? ClusterNodePaused : ClusterNodeUp);
    CloseClusterNode(n);
    return status;
}

static int print_json(const struct cli_args *a, const struct node_op *op)
{
    struct cli_buf b = {0};
    int rv = cli_buf_puts(&b, "{\"ok\":true,");

    if (rv == 0)
        rv = cli_format_json_status(&b, op->status, NULL);
    if (rv == 0)
        rv = cli_buf_puts(&b, ",\"node\":");
    if (rv == 0)
        rv = cli_json_string(&b, a->node);
    if (rv == 0)
        rv = cli_buf_printf(&b, ",\"action\":\"%s\",\"pending\":%s,\"state\":\"%s\"}\n",
                            op->pause ? "pause" : "resume",
                            op->status == ERROR_IO_PENDING ? "true" : "false",
                            cli_node_state_name(op->state));
    if (rv == 0)
        rv = cli_flush_out(&b);
    cli_buf_done(&b);
    return rv == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}

static int print_text(const struct cli_args *a, const struct node_op *op)
{
    const char *verb = op->pause ? "paused" : "resumed";

    if (op->status == ERROR_IO_PENDING)
        printf("Node %s %s; its groups are still moving (ERROR_IO_PENDING): follow them with "
               "'clusctl group list'. The node is %s.\n",
               a->node, verb, cli_node_state_name(op->state));
    else if (op->state == ClusterNodeStateUnknown)
        printf("Node %s %s; its state could not be read back.\n", a->node, verb);
    else
        printf("Node %s %s: it is %s now.\n", a->node, verb, cli_node_state_name(op->state));
    return CLI_EXIT_OK;
}

int cli_cmd_node(const struct cli_args *a, HCLUSTER h)
{
    struct node_op op = {.pause = a->cmd == CLI_CMD_NODE_PAUSE, .state = ClusterNodeStateUnknown};
    const char *verb = op.pause ? "pause" : "resume";
    char what[300];

    op.status = run(a, h, &op);
    if (op.status == 0 || op.status == ERROR_IO_PENDING)
        return a->json ? print_json(a, &op) : print_text(a, &op);
    if (op.what != NULL)
        snprintf(what, sizeof(what), "node %s '%s': %s", verb, a->node, op.what);
    else
        snprintf(what, sizeof(what), "node %s '%s' failed", verb, a->node);
    return cli_fail(a, what, op.status, op.detail);
}

/* ------------------------------------------------------------------------------------------ */
/* node list                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/* A node's votes as its common properties say; each value "" when it could not be read. */
struct votes {
    char weight[12], dynamic[12], witness[12], status[12]; /* status: StatusInformation */
    uint32_t error; /* why they could not be read; 0 when they were */
};

static void copy_value(const struct cli_obj_props *p, const char *name, char *out, size_t n)
{
    const struct prop *v = cli_obj_props_find(p, name);

    snprintf(out, n, "%s", v != NULL ? v->value : "");
}

/* Reads e's NodeWeight, DynamicWeight, IsWitness and StatusInformation; sets v->error on
 * failure. */
static void read_votes(HCLUSTER h, const struct cli_entry *e, struct votes *v, char *detail)
{
    struct cli_ctl t = {.cluster = h};
    struct cli_obj_props p;

    *v = (struct votes){.error = 0};
    t.node = OpenClusterNode(h, e->wname);
    if (t.node == NULL) {
        v->error = cli_last_failure(detail, ERROR_CLUSTER_NODE_NOT_FOUND);
        return;
    }
    v->error = cli_ctl_read_props(&t, &p, detail);
    if (v->error == 0) {
        copy_value(&p, CPROP_NODE_WEIGHT, v->weight, sizeof(v->weight));
        copy_value(&p, CPROP_NODE_DYNAMIC_WEIGHT, v->dynamic, sizeof(v->dynamic));
        copy_value(&p, CPROP_NODE_IS_WITNESS, v->witness, sizeof(v->witness));
        copy_value(&p, CPROP_NODE_STATUS_INFO, v->status, sizeof(v->status));
    }
    cli_obj_props_done(&p);
    CloseClusterNode(t.node);
}

/*
 * Reads every node's state and votes into l and *ret_votes (l->n entries, malloc'd). A node
 * that cannot be read is shown without what is missing, with a warning; losing the cluster
 * fails the whole command.
 */
static uint32_t gather_nodes(HCLUSTER h, struct cli_entries *l, struct votes **ret_votes,
                             char *detail)
{
    char sname[64];
    uint32_t status = cli_list_entries(h, CLI_KIND_NODE, l, detail);
    struct votes *v = status == 0 ? calloc(l->n ? l->n : 1, sizeof(*v)) : NULL;

    if (status == 0 && v == NULL)
        status = ERROR_NOT_ENOUGH_MEMORY;
    for (size_t i = 0; status == 0 && i < l->n; i++) {
        struct cli_entry *o = &l->v[i];

        cli_read_entry(h, CLI_KIND_NODE, o, detail);
        if (o->error == 0)
            read_votes(h, o, &v[i], detail);
        if (o->error == 0)
            o->error = v[i].error;
        if (o->error == 0)
            continue;
        if (cli_exit_for_status(o->error) == CLI_EXIT_UNREACHABLE) {
            status = o->error;
            break;
        }
        fprintf(stderr, "clusctl: warning: cannot read node %s: %s%s%s\n", o->name,
                cli_status_name(o->error, sname, sizeof(sname)), *detail ? ": " : "", detail);
        detail[0] = '\0';
    }
    if (status != 0) {
        free(v);
        return status;
    }
    *ret_votes = v;
    return 0;
}

/* Is the node quarantined (NodeStatusQuarantined in its StatusInformation)? */
static bool quarantined(const struct votes *v)
{
    return (strtoul(v->status, NULL, 10) & NodeStatusQuarantined) != 0;
}

/* Is the node in a storage fault (NodeStatusAvoidPlacement: its state directory cannot take
 * the cluster's log)? */
static bool storage_fault(const struct votes *v)
{
    return (strtoul(v->status, NULL, 10) & NodeStatusAvoidPlacement) != 0;
}

/* The STATE column: the node's state, its quarantine and its storage fault. */
static const char *state_text(const struct cli_entry *e, const struct votes *v, char *buf,
                              size_t n)
{
    if (!quarantined(v) && !storage_fault(v))
        return cli_node_state_name(e->state);
    snprintf(buf, n, "%s (%s%s%s)", cli_node_state_name(e->state),
             quarantined(v) ? "quarantined" : "", quarantined(v) && storage_fault(v) ? ", " : "",
             storage_fault(v) ? "storage fault" : "");
    return buf;
}

static const char *role_name(const struct votes *v)
{
    if (v->witness[0] == '\0')
        return NULL;
    return strcmp(v->witness, "1") == 0 ? "witness" : "node";
}

static int render_nodes_text(const struct cli_entries *l, const struct votes *v,
                             struct cli_buf *b)
{
    static const char *const headers[] = {"NAME", "STATE", "ROLE", "NODEWEIGHT",
                                          "DYNAMICWEIGHT"};
    struct cli_table t;
    int rv = cli_table_init(&t, 5, headers);

    for (size_t i = 0; rv == 0 && i < l->n; i++) {
        char state[48];
        const char *row[] = {l->v[i].name, state_text(&l->v[i], &v[i], state, sizeof(state)),
                             role_name(&v[i]),
                             v[i].weight[0] ? v[i].weight : NULL,
                             v[i].dynamic[0] ? v[i].dynamic : NULL};

        rv = cli_table_add(&t, row);
    }
    rv = rv ? rv : cli_table_render(&t, "", b);
    cli_table_done(&t);
    return rv;
}

/* ,"key":N — or null when the value could not be read. */
static int json_number_member(struct cli_buf *b, const char *key, const char *value)
{
    return cli_buf_printf(b, ",\"%s\":%s", key, *value ? value : "null");
}

/* stale_node: the node that answered without quorum (cli_read_stale), "" when current. */
static int render_nodes_json(const struct cli_entries *l, const struct votes *v,
                             const char *stale_node, struct cli_buf *b)
{
    char sname[64];
    int rv = cli_buf_puts(b, "{\"ok\":true");

    if (rv == 0 && *stale_node) {
        rv = cli_buf_puts(b, ",\"stale\":true,\"stale_node\":");
        rv = rv ? rv : cli_json_string(b, stale_node);
    }
    rv = rv ? rv : cli_buf_puts(b, ",\"nodes\":[");

    for (size_t i = 0; rv == 0 && i < l->n; i++) {
        const char *witness = v[i].witness;

        rv = cli_buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
        rv = rv ? rv : cli_json_string(b, l->v[i].name);
        rv = rv ? rv : cli_buf_printf(b, ",\"state\":\"%s\"", cli_node_state_name(l->v[i].state));
        rv = rv ? rv : cli_buf_printf(b, ",\"witness\":%s",
                                      *witness ? strcmp(witness, "1") == 0 ? "true" : "false"
                                               : "null");
        rv = rv ? rv : json_number_member(b, "node_weight", v[i].weight);
        rv = rv ? rv : json_number_member(b, "dynamic_weight", v[i].dynamic);
        rv = rv ? rv : cli_buf_printf(b, ",\"quarantined\":%s",
                                      quarantined(&v[i]) ? "true" : "false");
        rv = rv ? rv : cli_buf_printf(b, ",\"storage_fault\":%s",
                                      storage_fault(&v[i]) ? "true" : "false");
        if (rv == 0 && l->v[i].error != 0)
            rv = cli_buf_printf(b, ",\"error\":\"%s\"",
                                cli_status_name(l->v[i].error, sname, sizeof(sname)));
        rv = rv ? rv : cli_buf_puts(b, "}");
    }
    return rv ? rv : cli_buf_puts(b, "]}\n");
}

int cli_cmd_node_list(const struct cli_args *a, HCLUSTER h)
{
    struct cli_entries l = {0};
    struct votes *v = NULL;
    struct cli_buf b = {0};
    char detail[CLI_DETAIL_SIZE] = "";
    uint32_t status = gather_nodes(h, &l, &v, detail);
    int rv;

    if (status == 0) {
        char stale_node[64] = "";

        if (!cli_read_stale(h, stale_node, sizeof(stale_node)))
            stale_node[0] = '\0';
        rv = a->json ? render_nodes_json(&l, v, stale_node, &b) : render_nodes_text(&l, v, &b);
        rv = rv == 0 ? (cli_flush_out(&b) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILED)
                     : cli_fail(a, "cannot format the output", ERROR_NOT_ENOUGH_MEMORY, NULL);
    } else {
        rv = cli_fail(a, "cannot list the nodes", status, detail);
    }
    cli_buf_done(&b);
    cli_entries_done(&l);
    free(v);
    return rv;
}
