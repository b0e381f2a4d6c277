/*
 * cli_resource — `clusctl resource create|delete|online|offline|fail|move-to-group|depend|
 * undepend|owners|show`, `resource list --group` and `resource type list`, written against the
 * public API only (clusapi.h, clusapi_ext.h).
 *
 * online and offline wait, polling GetClusterResourceState, until the resource settles (Online
 * or Failed; Offline or Failed) or --timeout runs out: the public API has no notification port
 * yet, so a poll every CLI_POLL_MS is the only way to await the state.
 */
#include <errno.h>
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
#include "cli/cli_props.h"
#include "common/proplist.h"
#include "common/utf16.h"

#define CLI_POLL_MS 100
#define NAME_UNITS 512

/* What one run found out, for the output. */
struct res_op {
    const char *what; /* the step that failed, for the message */
    char detail[CLI_DETAIL_SIZE];
    int state;        /* the resource's state afterwards; -1 unknown */
    char *owner, *group;
    struct cli_buf extra; /* command-specific JSON members, each starting with ',' */
    struct cli_buf text;  /* the text output */
};

static uint32_t fail_step(struct res_op *op, const char *what, uint32_t fallback)
{
    op->what = what;
    return cli_last_failure(op->detail, fallback);
}

static HRESOURCE open_resource(HCLUSTER h, const char *name, struct res_op *op)
{
    char16_t *w;
    HRESOURCE r;

    if (utf8_to_utf16(name, &w) < 0)
        return NULL;
    r = OpenClusterResource(h, w);
    free(w);
    if (r == NULL)
        fail_step(op, "cannot open the resource", ERROR_RESOURCE_NOT_FOUND);
    return r;
}

/* Reads the resource's state, owner and group into op; a failure costs only those fields. */
static void read_state(HRESOURCE r, struct res_op *op)
{
    WCHAR owner[NAME_UNITS], group[NAME_UNITS];
    DWORD n_owner = NAME_UNITS, n_group = NAME_UNITS;

    free(op->owner);
    free(op->group);
    op->owner = op->group = NULL;
    op->state = GetClusterResourceState(r, owner, &n_owner, group, &n_group);
    if (op->state == ClusterResourceStateUnknown)
        return;
    if (owner[0] != 0)
        cli_utf16_to_utf8_lossy((const char16_t *)owner, NAME_UNITS, &op->owner);
    cli_utf16_to_utf8_lossy((const char16_t *)group, NAME_UNITS, &op->group);
}

static uint64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Waits until the resource is in want or Failed, or timeout_ms passed (ERROR_TIMEOUT). */
static uint32_t settle(HRESOURCE r, int want, uint32_t timeout_ms, struct res_op *op)
{
    const struct timespec pause = {0, CLI_POLL_MS * 1000000L};
    uint64_t end = now_ms() + timeout_ms;

    for (;;) {
        read_state(r, op);
        if (op->state == want || op->state == ClusterResourceFailed)
            return 0;
        if (op->state == ClusterResourceStateUnknown)
            return fail_step(op, "cannot read the resource's state", ERROR_RESOURCE_NOT_FOUND);
        if (now_ms() >= end) {
            op->what = "it did not settle within --timeout";
            return ERROR_TIMEOUT;
        }
        nanosleep(&pause, NULL);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* create                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* The type's parameters as a schema (name and syntax) for typing --prop values; none when the
 * type cannot be asked (the create then reports what is wrong with it). */
static struct prop *type_schema(HCLUSTER h, const char16_t *type, size_t *ret_n)
{
    CLUSAPI_RESTYPE_INFO *info = NULL;
    DWORD size = 0;
    struct prop *v = NULL;

    *ret_n = 0;
    if (ClusapiGetResourceTypeInfo(h, type, NULL, &size) != ERROR_MORE_DATA ||
        (info = malloc(size)) == NULL || ClusapiGetResourceTypeInfo(h, type, info, &size) != 0 ||
        (v = calloc(info->cParams + 1, sizeof(*v))) == NULL) {
        free(info);
        return NULL;
    }
    for (DWORD i = 0; i < info->cParams; i++) {
        char *name = NULL;

        if (cli_utf16_to_utf8_lossy((const char16_t *)info->pParams[i].lpszName, 4096, &name) < 0)
            break;
        v[(*ret_n)++] = (struct prop){name, info->pParams[i].dwSyntax, ""};
    }
    free(info);
    return v;
}

static void schema_free(struct prop *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free((char *)v[i].name);
    free(v);
}

static uint32_t do_create(const struct cli_args *a, HCLUSTER h, struct res_op *op)
{
    char16_t *wg = NULL, *wn = NULL, *wt = NULL;
    struct cli_props none = {0}, props = {0};
    struct prop *schema = NULL;
    size_t n_schema = 0, size = 0;
    void *list = NULL;
    HGROUP g = NULL;
    HRESOURCE r = NULL;
    uint32_t status = ERROR_NOT_ENOUGH_MEMORY;
    int rv;

    if (utf8_to_utf16(a->group, &wg) < 0 || utf8_to_utf16(a->resource, &wn) < 0 ||
        utf8_to_utf16(a->restype, &wt) < 0)
        goto out;
    schema = type_schema(h, wt, &n_schema);
    rv = cli_props_build(a->props, a->n_props, NULL, 0, schema, n_schema, &none, &props,
                         op->detail, sizeof(op->detail));
    if (rv < 0) {
        status = rv == -ENOMEM ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_PARAMETER;
        op->what = "a --prop value is not of its parameter's syntax";
        goto out;
    }
    status = proplist_encode(props.v, props.n, NULL, 0, &size);
    if (status == ERROR_MORE_DATA && (list = malloc(size)) != NULL)
        status = proplist_encode(props.v, props.n, list, size, &size);
    if (status != 0) {
        op->what = "a --prop value cannot be encoded";
        goto out;
    }
    if ((g = OpenClusterGroup(h, wg)) == NULL) {
        status = fail_step(op, "cannot open the group", ERROR_GROUP_NOT_FOUND);
        goto out;
    }
    /* One commit: a missing or ill-typed property leaves no resource behind. */
    r = ClusapiCreateClusterResourceEx(g, wn, wt, 0, list, (DWORD)size, TRUE);
    if (r == NULL)
        status = fail_step(op, NULL, ERROR_INVALID_PARAMETER);
    else
        read_state(r, op);
out:
    if (r != NULL)
        CloseClusterResource(r);
    if (g != NULL)
        CloseClusterGroup(g);
    cli_props_done(&props);
    cli_props_done(&none);
    schema_free(schema, n_schema);
    free(list);
    free(wg);
    free(wn);
    free(wt);
    return status;
}

/* ------------------------------------------------------------------------------------------ */
/* Changes on one resource                                                                     */
/* ------------------------------------------------------------------------------------------ */

/* online/offline: the request, then the wait for the outcome. */
static uint32_t online_offline(const struct cli_args *a, HRESOURCE r, struct res_op *op)
{
    bool online = a->cmd == CLI_CMD_RES_ONLINE;
    uint32_t status = online ? OnlineClusterResource(r) : OfflineClusterResource(r);

    if (status != 0 && status != ERROR_IO_PENDING)
        return fail_step(op, NULL, status);
    return settle(r, online ? ClusterResourceOnline : ClusterResourceOffline, a->timeout_ms, op);
}

/* A second object named on the command line: a group, a provider or a node. */
static void *open_other(HCLUSTER h, const char *name, int kind, struct res_op *op)
{
    char16_t *w;
    void *o;

    if (utf8_to_utf16(name, &w) < 0)
        return NULL;
    o = kind == 'g' ? (void *)OpenClusterGroup(h, w)
        : kind == 'r' ? (void *)OpenClusterResource(h, w)
                      : (void *)OpenClusterNode(h, w);
    free(w);
    if (o == NULL)
        fail_step(op, kind == 'g' ? "cannot open the group"
                      : kind == 'r' ? "cannot open the provider"
                                    : "cannot open the node",
                  ERROR_NOT_FOUND);
    return o;
}

static void close_other(void *o, int kind)
{
    if (o == NULL)
        return;
    if (kind == 'g')
        CloseClusterGroup(o);
    else if (kind == 'r')
        CloseClusterResource(o);
    else
        CloseClusterNode(o);
}

/* move-to-group, depend and undepend: one call with a second object. */
static uint32_t with_other(const struct cli_args *a, HCLUSTER h, HRESOURCE r, struct res_op *op)
{
    int kind = a->cmd == CLI_CMD_RES_MOVE ? 'g' : 'r';
    void *o = open_other(h, kind == 'g' ? a->group : a->provider, kind, op);
    uint32_t status;

    if (o == NULL)
        return cli_last_failure(op->detail, ERROR_NOT_FOUND);
    if (a->cmd == CLI_CMD_RES_MOVE)
        status = ChangeClusterResourceGroup(r, o);
    else if (a->cmd == CLI_CMD_RES_DEPEND)
        status = AddClusterResourceDependency(r, o);
    else
        status = RemoveClusterResourceDependency(r, o);
    close_other(o, kind);
    return status ? fail_step(op, NULL, status) : 0;
}

/* owners --add/--remove, then the list. */
static uint32_t owners(const struct cli_args *a, HCLUSTER h, HRESOURCE r, struct res_op *op)
{
    uint32_t status = 0;

    for (size_t i = 0; status == 0 && i < a->n_owner_add + a->n_owner_remove; i++) {
        bool add = i < a->n_owner_add;
        const char *name = add ? a->owner_add[i] : a->owner_remove[i - a->n_owner_add];
        HNODE n = open_other(h, name, 'n', op);

        if (n == NULL)
            return cli_last_failure(op->detail, ERROR_CLUSTER_NODE_NOT_FOUND);
        status = add ? AddClusterResourceNode(r, n) : RemoveClusterResourceNode(r, n);
        CloseClusterNode(n);
        if (status != 0)
            return fail_step(op, NULL, status);
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Lists: an enumeration as a JSON array member and a text line                                */
/* ------------------------------------------------------------------------------------------ */

/* Appends the items of type of an open enumeration: ,"key":[...] and "Title: a, b\n" (title
 * NULL: one name a line). */
static uint32_t list_items(DWORD (*item)(void *, DWORD, LPDWORD, LPWSTR, LPDWORD), void *e,
                           DWORD type, const char *key, const char *title, struct res_op *op)
{
    WCHAR name[NAME_UNITS];
    int rv = cli_buf_printf(&op->extra, ",\"%s\":[", key);
    size_t k = 0;

    if (title != NULL) /* else one name per line, for lists too long for one */
        rv = rv ? rv : cli_buf_printf(&op->text, "%-22s ", title);
    for (DWORD i = 0; rv == 0; i++) {
        DWORD t, cch = NAME_UNITS;
        char *s = NULL;
        uint32_t status = item(e, i, &t, name, &cch);

        if (status == ERROR_NO_MORE_ITEMS)
            break;
        if (status != 0)
            return fail_step(op, "cannot read an enumeration", status);
        if (t != type || cli_utf16_to_utf8_lossy((const char16_t *)name, NAME_UNITS, &s) < 0)
            continue;
        rv = cli_buf_puts(&op->extra, k ? "," : "");
        rv = rv ? rv : cli_json_string(&op->extra, s);
        if (title != NULL)
            rv = rv ? rv : cli_buf_printf(&op->text, "%s%s", k ? ", " : "", s);
        else
            rv = rv ? rv : cli_buf_printf(&op->text, "%s\n", s);
        k++;
        free(s);
    }
    rv = rv ? rv : cli_buf_puts(&op->extra, "]");
    if (title != NULL)
        rv = rv ? rv : cli_buf_puts(&op->text, k ? "\n" : "-\n");
    return rv ? ERROR_NOT_ENOUGH_MEMORY : 0;
}

static DWORD res_item(void *e, DWORD i, LPDWORD t, LPWSTR s, LPDWORD n)
{
    return ClusterResourceEnum(e, i, t, s, n);
}

static DWORD group_item(void *e, DWORD i, LPDWORD t, LPWSTR s, LPDWORD n)
{
    return ClusterGroupEnum(e, i, t, s, n);
}

static DWORD cluster_item(void *e, DWORD i, LPDWORD t, LPWSTR s, LPDWORD n)
{
    return ClusterEnum(e, i, t, s, n);
}

/* Appends the resource's enumeration of dw_type. */
static uint32_t res_list(HRESOURCE r, DWORD dw_type, const char *key, const char *title,
                         struct res_op *op)
{
    HRESENUM e = ClusterResourceOpenEnum(r, dw_type);
    uint32_t status;

    if (e == NULL)
        return fail_step(op, "cannot enumerate", ERROR_INVALID_PARAMETER);
    status = list_items(res_item, e, dw_type, key, title, op);
    ClusterResourceCloseEnum(e);
    return status;
}

/* show: the type, then the common and private properties. */
static uint32_t show_props(HRESOURCE r, struct res_op *op)
{
    struct cli_ctl t = {.resource = r};
    struct cli_obj_props props;
    char *type = NULL;
    uint32_t status = cli_ctl_get_string(&t, CLUSCTL_RESOURCE_GET_RESOURCE_TYPE, &type,
                                         op->detail);
    int rv;

    if (status != 0) {
        op->what = "cannot read its type";
        return status;
    }
    rv = cli_buf_puts(&op->extra, ",\"type\":");
    rv = rv ? rv : cli_json_string(&op->extra, type);
    rv = rv ? rv : cli_buf_printf(&op->text, "%-22s %s\n", "Type:", type);
    free(type);
    if (rv < 0)
        return ERROR_NOT_ENOUGH_MEMORY;
    status = cli_ctl_read_props(&t, &props, op->detail);
    if (status != 0)
        op->what = "cannot read its properties";
    else if (cli_obj_props_render(&props, true, &op->extra, &op->text) < 0)
        status = ERROR_NOT_ENOUGH_MEMORY;
    cli_obj_props_done(&props);
    return status;
}

/* show: dependencies (expression and providers), dependents, possible owners. */
static uint32_t show(HRESOURCE r, struct res_op *op)
{
    WCHAR expr[NAME_UNITS * 2];
    DWORD cch = NAME_UNITS * 2;
    char *text = NULL;
    uint32_t status = GetClusterResourceDependencyExpression(r, expr, &cch);
    int rv;

    if (status != 0)
        return fail_step(op, "cannot read the dependency expression", status);
    if (cli_utf16_to_utf8_lossy((const char16_t *)expr, NAME_UNITS * 2, &text) < 0)
        return ERROR_NOT_ENOUGH_MEMORY;
    rv = cli_buf_puts(&op->extra, ",\"dependency_expression\":");
    rv = rv ? rv : cli_json_string(&op->extra, text);
    rv = rv ? rv : cli_buf_printf(&op->text, "%-22s %s\n", "Dependency expression:",
                                  *text ? text : "-");
    free(text);
    if (rv != 0)
        return ERROR_NOT_ENOUGH_MEMORY;
    status = res_list(r, CLUSTER_RESOURCE_ENUM_DEPENDS, "depends_on", "Depends on:", op);
    if (status == 0)
        status = res_list(r, CLUSTER_RESOURCE_ENUM_PROVIDES, "dependents", "Dependents:", op);
    if (status == 0)
        status = res_list(r, CLUSTER_RESOURCE_ENUM_NODES, "possible_owners", "Possible owners:",
                          op);
    return status == 0 ? show_props(r, op) : status;
}

/* ------------------------------------------------------------------------------------------ */
/* The command                                                                                 */
/* ------------------------------------------------------------------------------------------ */

static uint32_t on_resource(const struct cli_args *a, HCLUSTER h, struct res_op *op)
{
    HRESOURCE r = open_resource(h, a->resource, op);
    uint32_t status = 0;

    if (r == NULL)
        return cli_last_failure(op->detail, ERROR_RESOURCE_NOT_FOUND);
    switch (a->cmd) {
    case CLI_CMD_RES_DELETE:
        status = DeleteClusterResource(r);
        break;
    case CLI_CMD_RES_FAIL:
        status = FailClusterResource(r);
        break;
    case CLI_CMD_RES_ONLINE:
    case CLI_CMD_RES_OFFLINE:
        status = online_offline(a, r, op);
        break;
    case CLI_CMD_RES_MOVE:
    case CLI_CMD_RES_UNDEPEND:
        status = with_other(a, h, r, op);
        break;
    case CLI_CMD_RES_DEPEND:
        if (a->expr == NULL) {
            status = with_other(a, h, r, op);
        } else {
            char16_t *w = NULL;

            status = utf8_to_utf16(a->expr, &w) < 0 ? ERROR_NOT_ENOUGH_MEMORY
                                                    : SetClusterResourceDependencyExpression(r, w);
            free(w);
        }
        break;
    case CLI_CMD_RES_OWNERS:
        status = owners(a, h, r, op);
        if (status == 0)
            status = res_list(r, CLUSTER_RESOURCE_ENUM_NODES, "possible_owners",
                              "Possible owners:", op);
        break;
    default: /* show */
        status = show(r, op);
        break;
    }
    if (status != 0 && op->what == NULL && op->detail[0] == '\0')
        snprintf(op->detail, sizeof(op->detail), "%s", ClusapiLastErrorText());
    if (status == 0 && a->cmd != CLI_CMD_RES_DELETE && a->cmd != CLI_CMD_RES_ONLINE &&
        a->cmd != CLI_CMD_RES_OFFLINE)
        read_state(r, op);
    CloseClusterResource(r);
    return status;
}

/* resource list --group G, resource type list: names from an enumeration. */
static uint32_t names_of(const struct cli_args *a, HCLUSTER h, struct res_op *op)
{
    uint32_t status;

    if (a->cmd == CLI_CMD_RESTYPE_LIST) {
        HCLUSENUM e = ClusterOpenEnum(h, CLUSTER_ENUM_RESTYPE);

        if (e == NULL)
            return fail_step(op, "cannot list the resource types", ERROR_INVALID_PARAMETER);
        status = list_items(cluster_item, e, CLUSTER_ENUM_RESTYPE, "types", NULL, op);
        ClusterCloseEnum(e);
        return status;
    }
    HGROUP g = open_other(h, a->group, 'g', op);
    HGROUPENUM e;

    if (g == NULL)
        return cli_last_failure(op->detail, ERROR_GROUP_NOT_FOUND);
    e = ClusterGroupOpenEnum(g, CLUSTER_GROUP_ENUM_CONTAINS);
    if (e == NULL) {
        status = fail_step(op, "cannot list the group's resources", ERROR_INVALID_PARAMETER);
    } else {
        status = list_items(group_item, e, CLUSTER_GROUP_ENUM_CONTAINS, "resources",
                            "Resources:", op);
        ClusterGroupCloseEnum(e);
    }
    CloseClusterGroup(g);
    return status;
}

static const char *verb(enum cli_command cmd)
{
    static const char *const verbs[] = {
        [CLI_CMD_RES_CREATE] = "create",     [CLI_CMD_RES_DELETE] = "delete",
        [CLI_CMD_RES_ONLINE] = "online",     [CLI_CMD_RES_OFFLINE] = "offline",
        [CLI_CMD_RES_FAIL] = "fail",         [CLI_CMD_RES_MOVE] = "move-to-group",
        [CLI_CMD_RES_DEPEND] = "depend",     [CLI_CMD_RES_UNDEPEND] = "undepend",
        [CLI_CMD_RES_OWNERS] = "owners",     [CLI_CMD_RES_SHOW] = "show",
        [CLI_CMD_RESTYPE_LIST] = "type list", [CLI_CMD_RESOURCE_LIST] = "list",
    };

    return cmd < sizeof(verbs) / sizeof(verbs[0]) && verbs[cmd] ? verbs[cmd] : "?";
}

static int print(const struct cli_args *a, struct res_op *op)
{
    struct cli_buf b = {0};
    int rv = 0;

    if (a->json) {
        rv = cli_buf_printf(&b, "{\"ok\":true,\"action\":\"%s\"", verb(a->cmd));
        if (rv == 0 && a->resource != NULL)
            rv = cli_buf_puts(&b, ",\"resource\":") || cli_json_string(&b, a->resource);
        if (rv == 0 && op->state != ClusterResourceStateUnknown)
            rv = cli_buf_printf(&b, ",\"state\":\"%s\",\"owner\":",
                                cli_resource_state_name(op->state)) ||
                 cli_json_string(&b, op->owner) || cli_buf_puts(&b, ",\"group\":") ||
                 cli_json_string(&b, op->group);
        rv = rv ? rv : cli_buf_puts(&b, cli_buf_str(&op->extra));
        rv = rv ? rv : cli_buf_puts(&b, "}\n");
    } else {
        if (a->resource != NULL && op->state != ClusterResourceStateUnknown)
            rv = cli_buf_printf(&b, "Resource %s: %s%s%s (group %s)\n", a->resource,
                                cli_resource_state_name(op->state), op->owner ? " on " : "",
                                op->owner ? op->owner : "", op->group ? op->group : "-");
        else if (a->cmd == CLI_CMD_RES_DELETE)
            rv = cli_buf_printf(&b, "Resource %s deleted.\n", a->resource);
        rv = rv ? rv : cli_buf_puts(&b, cli_buf_str(&op->text));
    }
    rv = rv ? rv : cli_flush_out(&b);
    cli_buf_done(&b);
    return rv ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}

int cli_cmd_resource(const struct cli_args *a, HCLUSTER h)
{
    struct res_op op = {.state = ClusterResourceStateUnknown};
    char what[400];
    uint32_t status;
    int rv;

    if (a->cmd == CLI_CMD_RES_CREATE)
        status = do_create(a, h, &op);
    else if (a->cmd == CLI_CMD_RESTYPE_LIST || a->cmd == CLI_CMD_RESOURCE_LIST)
        status = names_of(a, h, &op);
    else
        status = on_resource(a, h, &op);
    /* online that ends Failed is the operation failing, though every call succeeded */
    if (status == 0 && a->cmd == CLI_CMD_RES_ONLINE && op.state == ClusterResourceFailed) {
        status = ERROR_INVALID_STATE;
        op.what = "it failed to come online";
    }
    if (status == 0) {
        rv = print(a, &op);
    } else {
        snprintf(what, sizeof(what), "resource %s%s%s%s%s", verb(a->cmd),
                 a->resource ? " '" : "", a->resource ? a->resource : "",
                 a->resource ? "'" : "", op.what ? ": " : " failed");
        if (op.what != NULL)
            strncat(what, op.what, sizeof(what) - strlen(what) - 1);
        rv = cli_fail(a, what, status, op.detail);
    }
    free(op.owner);
    free(op.group);
    cli_buf_done(&op.extra);
    cli_buf_done(&op.text);
    return rv;
}
