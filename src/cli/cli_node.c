/*
 * cli_node — `clusctl node pause|resume NODE`: PauseClusterNode (the node stays a member but
 * hosts no groups; the call moves its groups away first) and ResumeClusterNode. Either way the
 * node's state is read back with GetClusterNodeState and shown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <clusapi.h>
#include <clusapi_ext.h>

#include "cli/cli_cluster.h"
#include "cli/cli_cmd.h"
#include "cli/cli_format.h"
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
