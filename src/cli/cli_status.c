/*
 * cli_status — `clusctl status` and the `node list`, `group list` and `resource list` tables,
 * and the snapshots `clusctl events` compares, read through OpenCluster, ClusterOpenEnum/
 * ClusterEnum and the Get*State calls.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <clusapi.h>
#include <clusapi_ext.h>

#include "cli/cli_cmd.h"
#include "cli/cli_format.h"
#include "common/utf16.h"

#define NAME_UNITS 256 /* first guess for a name buffer, in WCHARs */
#define DETAIL_SIZE CLI_DETAIL_SIZE

/* One node, group or resource as read from the cluster. */
struct obj {
    WCHAR *wname;
    char *name;
    int state;
    char *owner;    /* groups and resources; NULL when it has none */
    char *group;    /* resources */
    uint32_t error; /* its state could not be read: state is then -1 */
};

struct objs {
    size_t n;
    struct obj *v;
};

/* What one run of the command gathered. */
struct view {
    char *cluster; /* status only */
    struct objs nodes, groups, resources;
};

static void objs_done(struct objs *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].wname);
        free(l->v[i].name);
        free(l->v[i].owner);
        free(l->v[i].group);
    }
    free(l->v);
    *l = (struct objs){0};
}

/* The last error of this thread and its reason, for a failed call. */
static uint32_t last_failure(char *detail, uint32_t fallback)
{
    uint32_t status = GetLastError();

    snprintf(detail, DETAIL_SIZE, "%s", ClusapiLastErrorText());
    return status != 0 ? status : fallback;
}

/* ------------------------------------------------------------------------------------------ */
/* Strings out of the API                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* A caller-owned WCHAR buffer that grows to what the API asks for. */
struct wbuf {
    WCHAR *p;
    DWORD cap; /* in WCHARs, NUL included */
};

/* Makes room for a string of len WCHARs plus its NUL. 0 or -ENOMEM. */
static int wbuf_fit(struct wbuf *w, DWORD len)
{
    WCHAR *p;

    if (w->cap > len)
        return 0;
    p = realloc(w->p, ((size_t)len + 1) * sizeof(WCHAR));
    if (p == NULL)
        return -ENOMEM;
    w->p = p;
    w->cap = len + 1;
    return 0;
}

/* An empty string gives NULL: "no owner" shows as "-" or null. */
static char *utf8_or_null(const struct wbuf *w)
{
    char *s = NULL;

    if (w->p != NULL && w->p[0] != 0)
        cli_utf16_to_utf8_lossy((const char16_t *)w->p, w->cap, &s);
    return s;
}

uint32_t cli_cluster_name(HCLUSTER h, char **ret, char *detail)
{
    struct wbuf w = {0};
    uint32_t status = ERROR_MORE_DATA;
    DWORD cch = NAME_UNITS;

    /* A second ERROR_MORE_DATA means the name changed in between: ask again. */
    for (int tries = 0; tries < 3 && status == ERROR_MORE_DATA; tries++) {
        if (wbuf_fit(&w, cch) < 0) {
            status = ERROR_NOT_ENOUGH_MEMORY;
            break;
        }
        cch = w.cap;
        status = GetClusterInformation(h, w.p, &cch, NULL);
    }
    if (status == 0 && cli_utf16_to_utf8_lossy((const char16_t *)w.p, w.cap, ret) < 0)
        status = ERROR_NOT_ENOUGH_MEMORY;
    if (status != 0)
        snprintf(detail, DETAIL_SIZE, "%s", ClusapiLastErrorText());
    free(w.p);
    return status;
}

/* Item i of an enumeration, as UTF-16 and UTF-8. */
static uint32_t enum_item(HCLUSENUM e, DWORD i, struct obj *o)
{
    struct wbuf w = {0};
    uint32_t status = ERROR_MORE_DATA;
    DWORD cch = NAME_UNITS, type;

    for (int tries = 0; tries < 3 && status == ERROR_MORE_DATA; tries++) {
        if (wbuf_fit(&w, cch) < 0) {
            status = ERROR_NOT_ENOUGH_MEMORY;
            break;
        }
        cch = w.cap;
        status = ClusterEnum(e, i, &type, w.p, &cch);
    }
    if (status == 0 && cli_utf16_to_utf8_lossy((const char16_t *)w.p, w.cap, &o->name) < 0)
        status = ERROR_NOT_ENOUGH_MEMORY;
    if (status == 0)
        o->wname = w.p;
    else
        free(w.p);
    return status;
}

static uint32_t list_names(HCLUSTER h, DWORD type, struct objs *ret, char *detail)
{
    HCLUSENUM e = ClusterOpenEnum(h, type);
    DWORD count;
    uint32_t status = 0;

    if (e == NULL)
        return last_failure(detail, ERROR_INTERNAL_ERROR);
    count = ClusterGetEnumCount(e);
    ret->v = calloc(count ? count : 1, sizeof(*ret->v));
    if (ret->v == NULL)
        status = ERROR_NOT_ENOUGH_MEMORY;
    for (DWORD i = 0; status == 0 && i < count; i++) {
        status = enum_item(e, i, &ret->v[i]);
        if (status == ERROR_NO_MORE_ITEMS) {
            status = 0;
            break;
        }
        if (status == 0)
            ret->n++;
    }
    if (status != 0)
        snprintf(detail, DETAIL_SIZE, "%s", ClusapiLastErrorText());
    ClusterCloseEnum(e);
    return status;
}

/* ------------------------------------------------------------------------------------------ */
/* States                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static void read_node(HCLUSTER h, struct obj *o, char *detail)
{
    HNODE n = OpenClusterNode(h, o->wname);

    o->state = -1;
    if (n == NULL) {
        o->error = last_failure(detail, ERROR_INTERNAL_ERROR);
        return;
    }
    o->state = GetClusterNodeState(n);
    if (o->state == ClusterNodeStateUnknown)
        o->error = last_failure(detail, ERROR_INTERNAL_ERROR);
    CloseClusterNode(n);
}

static void read_group(HCLUSTER h, struct obj *o, char *detail)
{
    HGROUP g = OpenClusterGroup(h, o->wname);
    struct wbuf owner = {0};
    DWORD cch = NAME_UNITS;

    o->state = -1;
    if (g == NULL) {
        o->error = last_failure(detail, ERROR_INTERNAL_ERROR);
        return;
    }
    for (int tries = 0; tries < 3; tries++) {
        if (wbuf_fit(&owner, cch) < 0) {
            o->error = ERROR_NOT_ENOUGH_MEMORY;
            break;
        }
        cch = owner.cap;
        o->state = GetClusterGroupState(g, owner.p, &cch);
        o->error = 0;
        if (o->state == ClusterGroupStateUnknown)
            o->error = last_failure(detail, ERROR_INTERNAL_ERROR);
        if (o->error != ERROR_MORE_DATA)
            break;
    }
    if (o->error == 0)
        o->owner = utf8_or_null(&owner);
    free(owner.p);
    CloseClusterGroup(g);
}

static void read_resource(HCLUSTER h, struct obj *o, char *detail)
{
    HRESOURCE r = OpenClusterResource(h, o->wname);
    struct wbuf owner = {0}, group = {0};
    DWORD cch_owner = NAME_UNITS, cch_group = NAME_UNITS;

    o->state = -1;
    if (r == NULL) {
        o->error = last_failure(detail, ERROR_INTERNAL_ERROR);
        return;
    }
    for (int tries = 0; tries < 3; tries++) {
        if (wbuf_fit(&owner, cch_owner) < 0 || wbuf_fit(&group, cch_group) < 0) {
            o->error = ERROR_NOT_ENOUGH_MEMORY;
            break;
        }
        cch_owner = owner.cap;
        cch_group = group.cap;
        o->state = GetClusterResourceState(r, owner.p, &cch_owner, group.p, &cch_group);
        o->error = 0;
        if (o->state == ClusterResourceStateUnknown)
            o->error = last_failure(detail, ERROR_INTERNAL_ERROR);
        if (o->error != ERROR_MORE_DATA)
            break;
    }
    if (o->error == 0) {
        o->owner = utf8_or_null(&owner);
        o->group = utf8_or_null(&group);
    }
    free(owner.p);
    free(group.p);
    CloseClusterResource(r);
}

typedef void (*read_fn)(HCLUSTER h, struct obj *o, char *detail);

/*
 * Reads the state of every object. An object that vanished or cannot be read is shown with state
 * Unknown and a warning; losing the connection fails the whole command.
 */
static uint32_t read_states(HCLUSTER h, struct objs *l, read_fn read, char *detail)
{
    char sname[64];

    for (size_t i = 0; i < l->n; i++) {
        struct obj *o = &l->v[i];

        read(h, o, detail);
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

/* ------------------------------------------------------------------------------------------ */
/* Snapshots                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/* The codes that mean the object went away between the enumeration and the read. */
static bool vanished(uint32_t status)
{
    return status == ERROR_CLUSTER_NODE_NOT_FOUND || status == ERROR_GROUP_NOT_FOUND ||
           status == ERROR_RESOURCE_NOT_FOUND;
}

static uint32_t snapshot_kind(HCLUSTER h, DWORD type, read_fn read, enum cli_kind k,
                              struct cli_snapshot *s, char *detail)
{
    struct objs l = {0};
    uint32_t status = list_names(h, type, &l, detail);

    for (size_t i = 0; status == 0 && i < l.n; i++) {
        struct obj *o = &l.v[i];

        read(h, o, detail);
        if (o->error != 0 && cli_exit_for_status(o->error) == CLI_EXIT_UNREACHABLE) {
            status = o->error;
            break;
        }
        /* Another error leaves the object in the snapshot with state Unknown, which the next
         * snapshot turns into a change once it can be read again. */
        detail[0] = '\0';
        if (!vanished(o->error) &&
            cli_snapshot_add(s, k, o->name, o->state, o->owner, o->group) < 0)
            status = ERROR_NOT_ENOUGH_MEMORY;
    }
    objs_done(&l);
    return status;
}

uint32_t cli_read_snapshot(HCLUSTER h, struct cli_snapshot *ret, char *detail)
{
    static const struct {
        DWORD type;
        read_fn read;
    } kinds[CLI_N_KINDS] = {
        [CLI_KIND_NODE] = {CLUSTER_ENUM_NODE, read_node},
        [CLI_KIND_GROUP] = {CLUSTER_ENUM_GROUP, read_group},
        [CLI_KIND_RESOURCE] = {CLUSTER_ENUM_RESOURCE, read_resource},
    };
    struct cli_snapshot s = {0};
    uint32_t status = 0;

    for (int k = 0; status == 0 && k < CLI_N_KINDS; k++)
        status = snapshot_kind(h, kinds[k].type, kinds[k].read, (enum cli_kind)k, &s, detail);
    if (status != 0) {
        cli_snapshot_done(&s);
        return status;
    }
    cli_snapshot_sort(&s);
    *ret = s;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Output                                                                                      */
/* ------------------------------------------------------------------------------------------ */

enum kind { KIND_NODE, KIND_GROUP, KIND_RESOURCE };

static const char *state_name(enum kind k, int state)
{
    if (k == KIND_NODE)
        return cli_node_state_name(state);
    return k == KIND_GROUP ? cli_group_state_name(state) : cli_resource_state_name(state);
}

static int render_table(const struct objs *l, enum kind k, const char *indent, struct cli_buf *b)
{
    static const char *const headers[] = {"NAME", "STATE", "OWNER", "GROUP"};
    size_t cols = k == KIND_NODE ? 2 : k == KIND_GROUP ? 3 : 4;
    struct cli_table t;
    int rv = cli_table_init(&t, cols, headers);

    for (size_t i = 0; rv == 0 && i < l->n; i++) {
        const struct obj *o = &l->v[i];
        const char *row[] = {o->name, state_name(k, o->state), o->owner, o->group};

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

static int render_json_list(const struct objs *l, enum kind k, const char *key, struct cli_buf *b)
{
    char sname[64];
    int rv = cli_buf_printf(b, ",\"%s\":[", key);

    for (size_t i = 0; rv == 0 && i < l->n; i++) {
        const struct obj *o = &l->v[i];

        rv = cli_buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
        if (rv == 0)
            rv = cli_json_string(b, o->name);
        if (rv == 0)
            rv = json_member(b, "state", state_name(k, o->state));
        if (rv == 0 && k != KIND_NODE)
            rv = json_member(b, "owner", o->owner);
        if (rv == 0 && k == KIND_RESOURCE)
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

    if (rv == 0 && all)
        rv = json_member(b, "cluster", v->cluster);
    if (rv == 0 && (all || a->cmd == CLI_CMD_NODE_LIST))
        rv = render_json_list(&v->nodes, KIND_NODE, "nodes", b);
    if (rv == 0 && (all || a->cmd == CLI_CMD_GROUP_LIST))
        rv = render_json_list(&v->groups, KIND_GROUP, "groups", b);
    if (rv == 0 && (all || a->cmd == CLI_CMD_RESOURCE_LIST))
        rv = render_json_list(&v->resources, KIND_RESOURCE, "resources", b);
    return rv == 0 ? cli_buf_puts(b, "}\n") : rv;
}

static int render_text(const struct cli_args *a, const struct view *v, struct cli_buf *b)
{
    int rv;

    switch (a->cmd) {
    case CLI_CMD_NODE_LIST:
        return render_table(&v->nodes, KIND_NODE, "", b);
    case CLI_CMD_GROUP_LIST:
        return render_table(&v->groups, KIND_GROUP, "", b);
    case CLI_CMD_RESOURCE_LIST:
        return render_table(&v->resources, KIND_RESOURCE, "", b);
    default:
        break;
    }
    rv = cli_buf_printf(b, "Cluster: %s\n\nNodes:\n", v->cluster);
    if (rv == 0)
        rv = render_table(&v->nodes, KIND_NODE, "  ", b);
    if (rv == 0)
        rv = cli_buf_puts(b, "\nGroups:\n");
    if (rv == 0)
        rv = render_table(&v->groups, KIND_GROUP, "  ", b);
    if (rv == 0)
        rv = cli_buf_puts(b, "\nResources:\n");
    if (rv == 0)
        rv = render_table(&v->resources, KIND_RESOURCE, "  ", b);
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
        status = list_names(h, CLUSTER_ENUM_NODE, &v->nodes, detail);
        if (status == 0)
            status = read_states(h, &v->nodes, read_node, detail);
    }
    if (status == 0 && (all || a->cmd == CLI_CMD_GROUP_LIST)) {
        *ret_what = "cannot list the groups";
        status = list_names(h, CLUSTER_ENUM_GROUP, &v->groups, detail);
        if (status == 0)
            status = read_states(h, &v->groups, read_group, detail);
    }
    if (status == 0 && (all || a->cmd == CLI_CMD_RESOURCE_LIST)) {
        *ret_what = "cannot list the resources";
        status = list_names(h, CLUSTER_ENUM_RESOURCE, &v->resources, detail);
        if (status == 0)
            status = read_states(h, &v->resources, read_resource, detail);
    }
    return status;
}

uint32_t cli_open_cluster(const struct cli_args *a, HCLUSTER *ret, char *detail)
{
    char16_t *target = NULL;
    HCLUSTER h;

    if (a->cluster != NULL && utf8_to_utf16(a->cluster, &target) < 0)
        return ERROR_NOT_ENOUGH_MEMORY; /* the parser checked that it is UTF-8 */
    h = OpenCluster(target);
    free(target);
    if (h == NULL)
        return last_failure(detail, ERROR_CLUSTER_NODE_UNREACHABLE);
    *ret = h;
    return 0;
}

int cli_fail_open(const struct cli_args *a, uint32_t status, const char *detail)
{
    char what[300];

    snprintf(what, sizeof(what), "cannot open the cluster at %s",
             a->cluster ? a->cluster : "the local node");
    return cli_fail(a, what, status, detail);
}

uint32_t cli_count_nodes(HCLUSTER h, uint32_t *ret, char *detail)
{
    HCLUSENUM e = ClusterOpenEnum(h, CLUSTER_ENUM_NODE);

    if (e == NULL)
        return last_failure(detail, ERROR_INTERNAL_ERROR);
    *ret = ClusterGetEnumCount(e);
    ClusterCloseEnum(e);
    return 0;
}

int cli_cmd_status(const struct cli_args *a)
{
    struct view v = {0};
    struct cli_buf b = {0};
    char detail[DETAIL_SIZE] = "";
    const char *step = NULL;
    HCLUSTER h = NULL;
    uint32_t status;
    int rv;

    status = cli_open_cluster(a, &h, detail);
    if (status != 0)
        return cli_fail_open(a, status, detail);
    status = gather(a, h, &v, detail, &step);
    CloseCluster(h);
    if (status == 0) {
        rv = a->json ? render_json(a, &v, &b) : render_text(a, &v, &b);
        status = rv == 0 ? 0 : ERROR_NOT_ENOUGH_MEMORY;
        step = "cannot format the output";
    }
    rv = status == 0 ? (cli_flush_out(&b) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILED)
                     : cli_fail(a, step, status, detail);
    cli_buf_done(&b);
    free(v.cluster);
    objs_done(&v.nodes);
    objs_done(&v.groups);
    objs_done(&v.resources);
    return rv;
}
