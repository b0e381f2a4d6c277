/*
 * cli_group — `clusctl group online|offline|move|create|delete GROUP`: OnlineClusterGroup,
 * OfflineClusterGroup, MoveClusterGroup, CreateClusterGroup and DeleteClusterGroup.
 * ERROR_IO_PENDING means the cluster is still at it: that is a success (exit 0), reported as
 * "still in progress".
 */
#include <stdio.h>
#include <stdlib.h>

#include <clusapi.h>
#include <clusapi_ext.h>

#include "cli/cli_cluster.h"
#include "cli/cli_cmd.h"
#include "cli/cli_format.h"
#include "common/utf16.h"

#define OWNER_UNITS 256

/* What one run found out. */
struct group_op {
    const char *verb; /* "online", "offline", "move" */
    uint32_t status;
    int state;   /* after a finished change; -1 if unknown */
    char *owner; /* its owner node then; NULL if none or unknown */
    char detail[CLI_DETAIL_SIZE];
    const char *what; /* the step that failed */
};

static const char *verb_of(enum cli_command cmd)
{
    switch (cmd) {
    case CLI_CMD_GROUP_ONLINE: return "online";
    case CLI_CMD_GROUP_OFFLINE: return "offline";
    case CLI_CMD_GROUP_CREATE: return "create";
    case CLI_CMD_GROUP_DELETE: return "delete";
    default: return "move";
    }
}

static uint32_t fail_step(struct group_op *op, const char *what, uint32_t fallback)
{
    op->what = what;
    return cli_last_failure(op->detail, fallback);
}

/* Opens a->to_node, or leaves *ret NULL without one. */
static uint32_t open_node(const struct cli_args *a, HCLUSTER h, HNODE *ret, struct group_op *op)
{
    char16_t *w;

    *ret = NULL;
    if (a->to_node == NULL)
        return 0;
    if (utf8_to_utf16(a->to_node, &w) < 0)
        return ERROR_NOT_ENOUGH_MEMORY;
    *ret = OpenClusterNode(h, w);
    free(w);
    return *ret ? 0
                : fail_step(op, "cannot open the destination node", ERROR_CLUSTER_NODE_NOT_FOUND);
}

/* Reads where the group ended up, for the message; a failure here only costs that line. */
static void read_result(HGROUP g, struct group_op *op)
{
    WCHAR owner[OWNER_UNITS];
    DWORD cch = OWNER_UNITS;

    op->state = GetClusterGroupState(g, owner, &cch);
    if (op->state != ClusterGroupStateUnknown && owner[0] != 0)
        cli_utf16_to_utf8_lossy((const char16_t *)owner, OWNER_UNITS, &op->owner);
}

static uint32_t change(const struct cli_args *a, HGROUP g, HNODE n, struct group_op *op)
{
    uint32_t status;

    if (a->cmd == CLI_CMD_GROUP_ONLINE)
        status = OnlineClusterGroup(g, n);
    else if (a->cmd == CLI_CMD_GROUP_OFFLINE)
        status = OfflineClusterGroup(g);
    else if (a->cmd == CLI_CMD_GROUP_DELETE)
        status = DeleteClusterGroup(g);
    else if (a->cmd == CLI_CMD_GROUP_MOVE)
        status = MoveClusterGroup(g, n);
    else
        status = 0; /* create: done when the group could be opened */
    if (status != 0 && status != ERROR_IO_PENDING) {
        op->what = NULL;
        snprintf(op->detail, sizeof(op->detail), "%s", ClusapiLastErrorText());
    }
    if (status == 0 && a->cmd != CLI_CMD_GROUP_DELETE)
        read_result(g, op);
    return status;
}

static uint32_t run(const struct cli_args *a, HCLUSTER h, struct group_op *op)
{
    char16_t *w;
    HGROUP g;
    HNODE n = NULL;
    uint32_t status;

    if (utf8_to_utf16(a->group, &w) < 0)
        return ERROR_NOT_ENOUGH_MEMORY;
    g = a->cmd == CLI_CMD_GROUP_CREATE ? CreateClusterGroup(h, w) : OpenClusterGroup(h, w);
    free(w);
    if (g == NULL && a->cmd == CLI_CMD_GROUP_CREATE)
        return fail_step(op, "cannot create the group", ERROR_INVALID_PARAMETER);
    if (g == NULL)
        return fail_step(op, "cannot open the group", ERROR_GROUP_NOT_FOUND);
    status = open_node(a, h, &n, op);
    if (status == 0)
        status = change(a, g, n, op);
    if (n != NULL)
        CloseClusterNode(n);
    CloseClusterGroup(g);
    return status;
}

/* ------------------------------------------------------------------------------------------ */
/* Output                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static int print_json(const struct cli_args *a, const struct group_op *op)
{
    struct cli_buf b = {0};
    int rv = cli_buf_puts(&b, "{\"ok\":true,");

    if (rv == 0)
        rv = cli_format_json_status(&b, op->status, NULL);
    if (rv == 0)
        rv = cli_buf_puts(&b, ",\"group\":");
    if (rv == 0)
        rv = cli_json_string(&b, a->group);
    if (rv == 0)
        rv = cli_buf_printf(&b, ",\"action\":\"%s\",\"pending\":%s", op->verb,
                            op->status == ERROR_IO_PENDING ? "true" : "false");
    if (rv == 0 && op->status == 0)
        rv = cli_buf_printf(&b, ",\"state\":\"%s\",\"owner\":", cli_group_state_name(op->state));
    if (rv == 0 && op->status == 0)
        rv = cli_json_string(&b, op->owner);
    if (rv == 0)
        rv = cli_buf_puts(&b, "}\n");
    if (rv == 0)
        rv = cli_flush_out(&b);
    cli_buf_done(&b);
    return rv == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}

static int print_text(const struct cli_args *a, const struct group_op *op)
{
    if (op->status == ERROR_IO_PENDING)
        printf("Group %s: %s still in progress (ERROR_IO_PENDING); follow it with "
               "'clusctl group list'.\n",
               a->group, op->verb);
    else if (a->cmd == CLI_CMD_GROUP_DELETE)
        printf("Group %s deleted.\n", a->group);
    else if (a->cmd == CLI_CMD_GROUP_CREATE)
        printf("Group %s created (%s).\n", a->group, cli_group_state_name(op->state));
    else if (op->state == ClusterGroupStateUnknown)
        printf("Group %s: %s done.\n", a->group, op->verb);
    else if (op->owner != NULL && op->state != ClusterGroupOffline)
        printf("Group %s is %s on %s.\n", a->group, cli_group_state_name(op->state), op->owner);
    else
        printf("Group %s is %s.\n", a->group, cli_group_state_name(op->state));
    return CLI_EXIT_OK;
}

int cli_cmd_group(const struct cli_args *a, HCLUSTER h)
{
    struct group_op op = {.verb = verb_of(a->cmd), .state = ClusterGroupStateUnknown};
    char what[300];
    int rv;

    op.status = run(a, h, &op);
    if (op.status == 0 || op.status == ERROR_IO_PENDING) {
        rv = a->json ? print_json(a, &op) : print_text(a, &op);
    } else {
        if (op.what != NULL)
            snprintf(what, sizeof(what), "group %s '%s': %s", op.verb, a->group, op.what);
        else
            snprintf(what, sizeof(what), "group %s '%s' failed", op.verb, a->group);
        rv = cli_fail(a, what, op.status, op.detail);
    }
    free(op.owner);
    return rv;
}
