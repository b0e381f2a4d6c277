/*
 * cli_status — `clusctl status` and the `node list`, `group list` and `resource list` tables:
 * what cli_cluster reads, shown as tables or one JSON document.
 */
#include <stdio.h>
#include <stdlib.h>

#include <clusapi.h>

#include "cli/cli_cluster.h"
#include "cli/cli_cmd.h"
#include "cli/cli_quorum.h"
#include "cli/cli_format.h"

/* What one run of the command gathered. */
struct view {
    char *cluster; /* status only */
    struct cli_entries nodes, groups, resources;
    bool stale;          /* read from a node without quorum (cli_read_stale) ... */
    char stale_node[64]; /* ... this one */
    struct cli_buf votes; /* status only: cli_quorum_summary's text or JSON; empty if unread */
};

/*
 * Reads the state of every object. An object that vanished or cannot be read is shown with state
 * Unknown and a warning; losing the connection fails the whole command.
 */
static uint32_t read_states(HCLUSTER h, struct cli_entries *l, enum cli_kind k, char *detail)
{
    char sname[64];

    for (size_t i = 0; i < l->n; i++) {
        struct cli_entry *o = &l->v[i];

        cli_read_entry(h, k, o, detail);
        if (o->error == 0)
            continue;
        if (cli_exit_for_status(o->error) == CLI_EXIT_UNREACHABLE)
            return o->error;
        fprintf(stderr, "clusctl: warning: cannot read the state of %s: %s%s%s\n", o->name,
                cli_status_name(o->error, sname, sizeof(sname)), *detail ? ": " : "", detail);
        detail[0] = '\0';
    }
    return 0;
}

/* Lists the objects of kind k and reads their states. */
static uint32_t gather_kind(HCLUSTER h, enum cli_kind k, struct cli_entries *ret, char *detail)
{
    uint32_t status = cli_list_entries(h, k, ret, detail);

    return status == 0 ? read_states(h, ret, k, detail) : status;
}

/* ------------------------------------------------------------------------------------------ */
/* Output                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static int render_table(const struct cli_entries *l, enum cli_kind k, const char *indent,
                        struct cli_buf *b)
{
    static const char *const headers[] = {"NAME", "STATE", "OWNER", "GROUP"};
    size_t cols = k == CLI_KIND_NODE ? 2 : k == CLI_KIND_GROUP ? 3 : 4;
    struct cli_table t;
    int rv = cli_table_init(&t, cols, headers);

    for (size_t i = 0; rv == 0 && i < l->n; i++) {
        const struct cli_entry *o = &l->v[i];
        const char *row[] = {o->name, cli_kind_state_name(k, o->state), o->owner, o->group};

        rv = cli_table_add(&t, row);
    }
    if (rv == 0)
        rv = cli_table_render(&t, indent, b);
    cli_table_done(&t);
    return rv;
}

static int json_member(struct cli_buf *b, const char *key, const char *value)
{
    int rv = cli_buf_printf(b, ",\"%s\":", key);

    return rv == 0 ? cli_json_string(b, value) : rv;
}

static int render_json_list(const struct cli_entries *l, enum cli_kind k, const char *key,
                            struct cli_buf *b)
{
    char sname[64];
    int rv = cli_buf_printf(b, ",\"%s\":[", key);

    for (size_t i = 0; rv == 0 && i < l->n; i++) {
        const struct cli_entry *o = &l->v[i];

        rv = cli_buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
        if (rv == 0)
            rv = cli_json_string(b, o->name);
        if (rv == 0)
            rv = json_member(b, "state", cli_kind_state_name(k, o->state));
        if (rv == 0 && k != CLI_KIND_NODE)
            rv = json_member(b, "owner", o->owner);
        if (rv == 0 && k == CLI_KIND_RESOURCE)
            rv = json_member(b, "group", o->group);
        if (rv == 0 && o->error != 0)
            rv = json_member(b, "error", cli_status_name(o->error, sname, sizeof(sname)));
        if (rv == 0)
            rv = cli_buf_puts(b, "}");
    }
    return rv == 0 ? cli_buf_puts(b, "]") : rv;
}

static int render_json(const struct cli_args *a, const struct view *v, struct cli_buf *b)
{
    bool all = a->cmd == CLI_CMD_STATUS;
    int rv = cli_buf_puts(b, "{\"ok\":true");

    if (rv == 0 && v->stale)
        rv = cli_buf_puts(b, ",\"stale\":true");
    if (rv == 0 && v->stale)
        rv = json_member(b, "stale_node", v->stale_node);
    if (rv == 0 && all)
        rv = json_member(b, "cluster", v->cluster);
    if (rv == 0 && (all || a->cmd == CLI_CMD_NODE_LIST))
        rv = render_json_list(&v->nodes, CLI_KIND_NODE, "nodes", b);
    if (rv == 0 && (all || a->cmd == CLI_CMD_GROUP_LIST))
        rv = render_json_list(&v->groups, CLI_KIND_GROUP, "groups", b);
    if (rv == 0 && (all || a->cmd == CLI_CMD_RESOURCE_LIST))
        rv = render_json_list(&v->resources, CLI_KIND_RESOURCE, "resources", b);
    if (rv == 0 && all && v->votes.len > 0)
        rv = cli_buf_puts(b, v->votes.data);
    return rv == 0 ? cli_buf_puts(b, "}\n") : rv;
}

static int render_text(const struct cli_args *a, const struct view *v, struct cli_buf *b)
{
    int rv;

    switch (a->cmd) {
    case CLI_CMD_NODE_LIST:
        return render_table(&v->nodes, CLI_KIND_NODE, "", b);
    case CLI_CMD_GROUP_LIST:
        return render_table(&v->groups, CLI_KIND_GROUP, "", b);
    case CLI_CMD_RESOURCE_LIST:
        return render_table(&v->resources, CLI_KIND_RESOURCE, "", b);
    default:
        break;
    }
    rv = cli_buf_printf(b, "Cluster: %s\n\nNodes:\n", v->cluster);
    if (rv == 0)
        rv = render_table(&v->nodes, CLI_KIND_NODE, "  ", b);
    if (rv == 0)
        rv = cli_buf_puts(b, "\nGroups:\n");
    if (rv == 0)
        rv = render_table(&v->groups, CLI_KIND_GROUP, "  ", b);
    if (rv == 0)
        rv = cli_buf_puts(b, "\nResources:\n");
    if (rv == 0)
        rv = render_table(&v->resources, CLI_KIND_RESOURCE, "  ", b);
    if (rv == 0 && v->votes.len > 0)
        rv = cli_buf_printf(b, "\n%s", v->votes.data);
    return rv;
}

/* ------------------------------------------------------------------------------------------ */
/* The command                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/* Reads what the command shows; on failure names the step in *ret_what. */
static uint32_t gather(const struct cli_args *a, HCLUSTER h, struct view *v, char *detail,
                       const char **ret_what)
{
    bool all = a->cmd == CLI_CMD_STATUS;
    uint32_t status = 0;

    *ret_what = "cannot read the cluster name";
    if (all)
        status = cli_cluster_name(h, &v->cluster, detail);
    if (status == 0 && (all || a->cmd == CLI_CMD_NODE_LIST)) {
        *ret_what = "cannot list the nodes";
        status = gather_kind(h, CLI_KIND_NODE, &v->nodes, detail);
    }
    if (status == 0 && (all || a->cmd == CLI_CMD_GROUP_LIST)) {
        *ret_what = "cannot list the groups";
        status = gather_kind(h, CLI_KIND_GROUP, &v->groups, detail);
    }
    if (status == 0 && (all || a->cmd == CLI_CMD_RESOURCE_LIST)) {
        *ret_what = "cannot list the resources";
        status = gather_kind(h, CLI_KIND_RESOURCE, &v->resources, detail);
    }
    /* The votes are shown when they can be read: a node without quorum knows its own view of
     * them only, and status shows the rest all the same. */
    if (status == 0 && all && cli_quorum_summary(h, a->json, &v->votes, detail) != 0) {
        cli_buf_done(&v->votes);
        detail[0] = '\0';
    }
    return status;
}

int cli_cmd_status(const struct cli_args *a, HCLUSTER h)
{
    struct view v = {0};
    struct cli_buf b = {0};
    char detail[CLI_DETAIL_SIZE] = "";
    const char *step = NULL;
    uint32_t status = gather(a, h, &v, detail, &step);
    int rv;

    if (status == 0) {
        v.stale = cli_read_stale(h, v.stale_node, sizeof(v.stale_node));
        rv = a->json ? render_json(a, &v, &b) : render_text(a, &v, &b);
        status = rv == 0 ? 0 : ERROR_NOT_ENOUGH_MEMORY;
        step = "cannot format the output";
    }
    rv = status == 0 ? (cli_flush_out(&b) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILED)
                     : cli_fail(a, step, status, detail);
    cli_buf_done(&b);
    free(v.cluster);
    cli_entries_done(&v.nodes);
    cli_entries_done(&v.groups);
    cli_entries_done(&v.resources);
    cli_buf_done(&v.votes);
    return rv;
}
