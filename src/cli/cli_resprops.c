/*
 * cli_resprops — `clusctl resource set|get`, `resource type show`, `group set|get` and `node
 * set|get`: an object's properties through the control calls (cli_control), typed and shown by
 * cli_props.
 *
 * set validates every list before it sets any (VALIDATE_*_PROPERTIES), so a refused common
 * property does not leave the private ones changed; common and private lists are still two
 * commits, as on Windows, and a failure between them (the cluster lost) can leave the first.
 */
#include <errno.h>
#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#include <clusapi.h>
#include <clusapi_ext.h>

#include "cli/cli_cluster.h"
#include "cli/cli_cmd.h"
#include "cli/cli_control.h"
#include "cli/cli_format.h"
#include "cli/cli_props.h"
#include "common/utf16.h"

/* What one run found out, for the output. */
struct pop {
    const char *what; /* the step that failed */
    char detail[CLI_DETAIL_SIZE];
    struct cli_buf json; /* members after the object's, each starting with ',' */
    struct cli_buf text;
};

static bool on_group(const struct cli_args *a)
{
    return a->cmd == CLI_CMD_GROUP_SET || a->cmd == CLI_CMD_GROUP_GET;
}

static bool on_node(const struct cli_args *a)
{
    return a->cmd == CLI_CMD_NODE_SET || a->cmd == CLI_CMD_NODE_GET;
}

/* The name of the command's object. */
static const char *object_name(const struct cli_args *a)
{
    if (on_group(a))
        return a->group;
    if (on_node(a))
        return a->node;
    return a->cmd == CLI_CMD_RESTYPE_SHOW ? a->restype : a->resource;
}

/* The object of the command, opened into *t (its type name, for a type, in *ret_w). */
static uint32_t open_target(const struct cli_args *a, HCLUSTER h, struct cli_ctl *t,
                            char16_t **ret_w, struct pop *op)
{
    const char *name = object_name(a);

    *t = (struct cli_ctl){.cluster = h};
    if (utf8_to_utf16(name, ret_w) < 0)
        return ERROR_NOT_ENOUGH_MEMORY;
    if (a->cmd == CLI_CMD_RESTYPE_SHOW) {
        t->type = *ret_w;
        return 0;
    }
    if (on_group(a))
        t->group = OpenClusterGroup(h, *ret_w);
    else if (on_node(a))
        t->node = OpenClusterNode(h, *ret_w);
    else
        t->resource = OpenClusterResource(h, *ret_w);
    if (t->group != NULL || t->node != NULL || t->resource != NULL)
        return 0;
    if (on_node(a)) {
        op->what = "cannot open the node";
        return cli_last_failure(op->detail, ERROR_CLUSTER_NODE_NOT_FOUND);
    }
    op->what = on_group(a) ? "cannot open the group" : "cannot open the resource";
    return cli_last_failure(op->detail, on_group(a) ? ERROR_GROUP_NOT_FOUND
                                                    : ERROR_RESOURCE_NOT_FOUND);
}

/* ------------------------------------------------------------------------------------------ */
/* set                                                                                         */
/* ------------------------------------------------------------------------------------------ */

/* The current values of every property, as the schema that types the words. */
static struct prop *schema_of(const struct cli_obj_props *cur, size_t *ret_n)
{
    size_t n = cur->common.n + cur->ro_common.n + cur->priv.n, k = 0;
    struct prop *v = calloc(n ? n : 1, sizeof(*v));
    const struct cli_plist *lists[] = {&cur->common, &cur->ro_common, &cur->priv};

    for (size_t l = 0; v != NULL && l < 3; l++)
        for (size_t i = 0; i < lists[l]->n; i++)
            v[k++] = lists[l]->v[i];
    *ret_n = k;
    return v;
}

/* Validates the lists that are not empty, then sets them: common first. */
static uint32_t apply(const struct cli_ctl *t, const struct cli_props *common,
                      const struct cli_props *priv, struct pop *op)
{
    DWORD validate = CLUSCTL_RESOURCE_VALIDATE_COMMON_PROPERTIES;
    DWORD set = CLUSCTL_RESOURCE_SET_COMMON_PROPERTIES;

    if (t->group != NULL) {
        validate = CLUSCTL_GROUP_VALIDATE_COMMON_PROPERTIES;
        set = CLUSCTL_GROUP_SET_COMMON_PROPERTIES;
    } else if (t->node != NULL) {
        validate = CLUSCTL_NODE_VALIDATE_COMMON_PROPERTIES;
        set = CLUSCTL_NODE_SET_COMMON_PROPERTIES;
    }
    DWORD codes[2][2] = {
        {validate, CLUSCTL_RESOURCE_VALIDATE_PRIVATE_PROPERTIES},
        {set, CLUSCTL_RESOURCE_SET_PRIVATE_PROPERTIES},
    };
    const struct cli_props *lists[2] = {common, priv};
    uint32_t status = 0;

    for (int step = 0; status == 0 && step < 2; step++)
        for (int l = 0; status == 0 && l < 2; l++)
            if (lists[l]->n > 0)
                status = cli_ctl_set_list(t, codes[step][l], lists[l]->v, lists[l]->n,
                                          op->detail);
    return status;
}

/* Shows what was set: ,"common":{...},"private":{...} and "Set Name = value" lines. */
static int report_set(const struct cli_props *common, const struct cli_props *priv,
                      bool with_private, struct pop *op)
{
    const struct cli_props *lists[2] = {common, priv};
    int rv = cli_buf_puts(&op->json, ",\"common\":");

    rv = rv ? rv : cli_props_json(&op->json, common->v, common->n);
    if (with_private) {
        rv = rv ? rv : cli_buf_puts(&op->json, ",\"private\":");
        rv = rv ? rv : cli_props_json(&op->json, priv->v, priv->n);
    }
    for (int l = 0; rv == 0 && l < 2; l++)
        for (size_t i = 0; rv == 0 && i < lists[l]->n; i++) {
            rv = cli_buf_printf(&op->text, "Set %s = ", lists[l]->v[i].name);
            rv = rv ? rv : cli_prop_text_value(&op->text, &lists[l]->v[i], ", ");
            rv = rv ? rv : cli_buf_puts(&op->text, "\n");
        }
    return rv;
}

/*
 * Splits and types the words: for a resource, a name its ENUM_COMMON_PROPERTIES lists is
 * common, any other private; a group or a node has common properties only, so every word is
 * common there and the cluster refuses the names it does not know.
 */
static uint32_t do_set(const struct cli_args *a, const struct cli_ctl *t, struct pop *op)
{
    struct cli_obj_props cur;
    struct cli_props common = {0}, priv = {0};
    char **names = NULL, err[CLI_DETAIL_SIZE] = "";
    size_t n_names = 0, n_schema = 0;
    struct prop *schema = NULL;
    uint32_t status = cli_ctl_read_props(t, &cur, op->detail);

    if (status == 0 && t->resource != NULL)
        status = cli_ctl_get_names(t, CLUSCTL_RESOURCE_ENUM_COMMON_PROPERTIES, &names, &n_names,
                                   op->detail);
    if (status == 0 && (schema = schema_of(&cur, &n_schema)) == NULL)
        status = ERROR_NOT_ENOUGH_MEMORY;
    if (status != 0) {
        op->what = "cannot read its properties";
    } else {
        int rv = t->resource == NULL
                     ? cli_props_build(a->props, a->n_props, NULL, 0, schema, n_schema, &priv,
                                       &common, err, sizeof(err))
                     : cli_props_build(a->props, a->n_props, (const char *const *)names,
                                       n_names, schema, n_schema, &common, &priv, err,
                                       sizeof(err));
        if (rv < 0) {
            status = rv == -ENOMEM ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_PARAMETER;
            snprintf(op->detail, sizeof(op->detail), "%s", err);
        }
    }
    if (status == 0)
        status = apply(t, &common, &priv, op);
    if (status == 0 && report_set(&common, &priv, t->resource != NULL, op) < 0)
        status = ERROR_NOT_ENOUGH_MEMORY;
    cli_props_done(&common);
    cli_props_done(&priv);
    cli_obj_props_done(&cur);
    free(schema);
    free(names);
    return status;
}

/* ------------------------------------------------------------------------------------------ */
/* get                                                                                         */
/* ------------------------------------------------------------------------------------------ */

static uint32_t do_get(const struct cli_args *a, const struct cli_ctl *t, struct pop *op)
{
    struct cli_obj_props cur;
    const struct prop *p;
    uint32_t status = cli_ctl_read_props(t, &cur, op->detail);
    int rv;

    if (status != 0) {
        op->what = "cannot read its properties";
    } else if (a->key == NULL) {
        if (cli_obj_props_render(&cur, t->resource != NULL, &op->json, &op->text) < 0)
            status = ERROR_NOT_ENOUGH_MEMORY;
    } else if ((p = cli_obj_props_find(&cur, a->key)) == NULL) {
        status = ERROR_NOT_FOUND;
        snprintf(op->detail, sizeof(op->detail), "it has no property '%s'", a->key);
    } else {
        rv = cli_buf_puts(&op->json, ",\"property\":");
        rv = rv ? rv : cli_json_string(&op->json, p->name);
        rv = rv ? rv : cli_buf_printf(&op->json, ",\"syntax\":\"%s\",\"value\":",
                                      cli_syntax_name(p->syntax));
        rv = rv ? rv : cli_prop_json_value(&op->json, p);
        /* one string of a list per line, for scripts */
        rv = rv ? rv : (*p->value ? cli_prop_text_value(&op->text, p, "\n") : 0);
        rv = rv ? rv : cli_buf_puts(&op->text, "\n");
        if (rv < 0)
            status = ERROR_NOT_ENOUGH_MEMORY;
    }
    cli_obj_props_done(&cur);
    return status;
}

/* ------------------------------------------------------------------------------------------ */
/* type show                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/* The type's parameters, descriptions and timeouts, as our own call reports them. */
static uint32_t type_info(const struct cli_ctl *t, CLUSAPI_RESTYPE_INFO **ret, struct pop *op)
{
    DWORD size = 0;
    uint32_t status = ClusapiGetResourceTypeInfo(t->cluster, t->type, NULL, &size);

    *ret = NULL;
    for (int tries = 0; status == ERROR_MORE_DATA && tries < 3; tries++) {
        free(*ret);
        if ((*ret = malloc(size)) == NULL)
            return ERROR_NOT_ENOUGH_MEMORY;
        status = ClusapiGetResourceTypeInfo(t->cluster, t->type, *ret, &size);
    }
    if (status != 0) {
        free(*ret);
        *ret = NULL;
        op->what = "cannot read the type's parameters";
        return cli_take_reason(status, op->detail);
    }
    return 0;
}

static const CLUSAPI_RESTYPE_PARAM *param_named(const CLUSAPI_RESTYPE_INFO *info,
                                                const char *name)
{
    for (DWORD i = 0; i < info->cParams; i++) {
        char *s = NULL;
        bool same = cli_utf16_to_utf8_lossy((const char16_t *)info->pParams[i].lpszName, 4096,
                                            &s) == 0 && strcasecmp(s, name) == 0;
        free(s);
        if (same)
            return &info->pParams[i];
    }
    return NULL;
}

/* One parameter: a JSON object and a row of the table. */
static int show_param(const char *name, const CLUSAPI_RESTYPE_PARAM *p, bool first,
                      struct cli_table *table, struct pop *op)
{
    char *def = NULL, *desc = NULL;
    const char *syntax = p ? cli_syntax_name(p->dwSyntax) : "-";
    int rv = p ? cli_utf16_to_utf8_lossy((const char16_t *)p->lpszDefault, 65536, &def) : 0;

    rv = rv ? rv : p ? cli_utf16_to_utf8_lossy((const char16_t *)p->lpszDescription, 65536,
                                               &desc) : 0;
    rv = rv ? rv : cli_buf_puts(&op->json, first ? "{\"name\":" : ",{\"name\":");
    rv = rv ? rv : cli_json_string(&op->json, name);
    rv = rv ? rv : cli_buf_printf(&op->json, ",\"syntax\":\"%s\",\"required\":%s,\"default\":",
                                  syntax, p && p->fRequired ? "true" : "false");
    rv = rv ? rv : cli_json_string(&op->json, def ? def : "");
    rv = rv ? rv : cli_buf_puts(&op->json, ",\"description\":");
    rv = rv ? rv : cli_json_string(&op->json, desc ? desc : "");
    rv = rv ? rv : cli_buf_puts(&op->json, "}");
    if (rv == 0) {
        const char *cells[] = {name, syntax, p && p->fRequired ? "yes" : "no",
                               def && *def ? def : "-", desc && *desc ? desc : "-"};
        rv = cli_table_add(table, cells);
    }
    free(def);
    free(desc);
    return rv;
}

static int show_timeouts(const CLUSAPI_RESTYPE_INFO *info, struct pop *op)
{
    const char *names[] = {"start", "stop", "monitor", "validate-all"};
    DWORD ms[] = {info->dwStartTimeout, info->dwStopTimeout, info->dwMonitorTimeout,
                  info->dwValidateTimeout};
    int rv = cli_buf_puts(&op->json, ",\"timeouts_ms\":{");
    size_t k = 0;

    rv = rv ? rv : cli_buf_printf(&op->text, "%-22s ", "Action timeouts:");
    for (size_t i = 0; rv == 0 && i < 4; i++) {
        if (ms[i] == 0)
            continue;
        rv = cli_buf_printf(&op->json, "%s\"%s\":%u", k ? "," : "", names[i], (unsigned)ms[i]);
        rv = rv ? rv : cli_buf_printf(&op->text, "%s%s %u ms", k++ ? ", " : "", names[i],
                                      (unsigned)ms[i]);
    }
    rv = rv ? rv : cli_buf_puts(&op->json, "}");
    return rv ? rv : cli_buf_puts(&op->text, k ? "\n" : "-\n");
}

/* The names ENUM_PRIVATE_PROPERTIES gives, each with what the type info says of it. */
static int show_params(char **names, size_t n, const CLUSAPI_RESTYPE_INFO *info,
                       struct pop *op)
{
    static const char *const headers[] = {"NAME", "SYNTAX", "REQUIRED", "DEFAULT",
                                          "DESCRIPTION"};
    struct cli_table table;
    int rv = cli_table_init(&table, 5, headers);

    rv = rv ? rv : cli_buf_puts(&op->json, ",\"parameters\":[");
    for (size_t i = 0; rv == 0 && i < n; i++)
        rv = show_param(names[i], param_named(info, names[i]), i == 0, &table, op);
    rv = rv ? rv : cli_buf_puts(&op->json, "]");
    rv = rv ? rv : cli_buf_puts(&op->text, "Parameters:\n");
    rv = rv ? rv : n ? cli_table_render(&table, "  ", &op->text) : cli_buf_puts(&op->text, "  -\n");
    cli_table_done(&table);
    return rv;
}

static uint32_t do_type_show(const struct cli_ctl *t, struct pop *op)
{
    CLUSAPI_RESTYPE_INFO *info = NULL;
    struct cli_obj_props cur;
    char **names = NULL;
    size_t n = 0;
    uint32_t status = cli_ctl_get_names(t, CLUSCTL_RESOURCE_TYPE_ENUM_PRIVATE_PROPERTIES, &names,
                                        &n, op->detail);

    memset(&cur, 0, sizeof(cur));
    if (status != 0)
        op->what = "cannot list the type's parameters";
    if (status == 0)
        status = type_info(t, &info, op);
    if (status == 0 && (status = cli_ctl_read_props(t, &cur, op->detail)) != 0)
        op->what = "cannot read the type's common properties";
    if (status == 0 && (show_params(names, n, info, op) < 0 || show_timeouts(info, op) < 0 ||
                        cli_obj_props_render(&cur, false, &op->json, &op->text) < 0))
        status = ERROR_NOT_ENOUGH_MEMORY;
    cli_obj_props_done(&cur);
    free(names);
    free(info);
    return status;
}

/* ------------------------------------------------------------------------------------------ */
/* The command                                                                                 */
/* ------------------------------------------------------------------------------------------ */

static const char *verb(const struct cli_args *a)
{
    switch (a->cmd) {
    case CLI_CMD_RES_SET: return "resource set";
    case CLI_CMD_RES_GET: return "resource get";
    case CLI_CMD_GROUP_SET: return "group set";
    case CLI_CMD_GROUP_GET: return "group get";
    case CLI_CMD_NODE_SET: return "node set";
    case CLI_CMD_NODE_GET: return "node get";
    default: return "resource type show";
    }
}

static bool is_set(const struct cli_args *a)
{
    return a->cmd == CLI_CMD_RES_SET || a->cmd == CLI_CMD_GROUP_SET || a->cmd == CLI_CMD_NODE_SET;
}

static int print(const struct cli_args *a, struct pop *op)
{
    const char *kind = on_group(a) ? "group" : on_node(a) ? "node"
                                           : a->cmd == CLI_CMD_RESTYPE_SHOW ? "type" : "resource";
    const char *title = on_group(a) ? "Group" : on_node(a) ? "Node"
                                            : a->cmd == CLI_CMD_RESTYPE_SHOW ? "Resource type"
                                                                             : "Resource";
    const char *name = object_name(a);
    struct cli_buf b = {0};
    int rv;

    if (a->json) {
        rv = cli_buf_printf(&b, "{\"ok\":true,\"action\":\"%s\",\"%s\":", strchr(verb(a), ' ') + 1,
                            kind);
        rv = rv ? rv : cli_json_string(&b, name);
        rv = rv ? rv : cli_buf_puts(&b, cli_buf_str(&op->json));
        rv = rv ? rv : cli_buf_puts(&b, "}\n");
    } else {
        rv = a->key != NULL || is_set(a) ? 0 : cli_buf_printf(&b, "%s %s\n", title, name);
        rv = rv ? rv : cli_buf_puts(&b, cli_buf_str(&op->text));
    }
    rv = rv ? rv : cli_flush_out(&b);
    cli_buf_done(&b);
    return rv ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}

int cli_cmd_props(const struct cli_args *a, HCLUSTER h)
{
    struct pop op = {0};
    struct cli_ctl t;
    char16_t *w = NULL;
    char what[400];
    uint32_t status = open_target(a, h, &t, &w, &op);
    int rv;

    if (status == 0 && is_set(a))
        status = do_set(a, &t, &op);
    else if (status == 0 && a->cmd == CLI_CMD_RESTYPE_SHOW)
        status = do_type_show(&t, &op);
    else if (status == 0)
        status = do_get(a, &t, &op);
    if (status == 0) {
        rv = print(a, &op);
    } else {
        snprintf(what, sizeof(what), "%s '%s'%s%s", verb(a), object_name(a),
                 op.what ? ": " : " failed", op.what ? op.what : "");
        rv = cli_fail(a, what, status, op.detail);
    }
    if (t.resource != NULL)
        CloseClusterResource(t.resource);
    if (t.group != NULL)
        CloseClusterGroup(t.group);
    if (t.node != NULL)
        CloseClusterNode(t.node);
    free(w);
    cli_buf_done(&op.json);
    cli_buf_done(&op.text);
    return rv;
}
