/*
 * cli_control — the control calls, grown to fit and decoded, for clusctl's property commands.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <clusapi.h>
#include <clusapi_ext.h>

#include "cli/cli_cluster.h"
#include "cli/cli_control.h"
#include "cli/cli_props.h"
#include "cli/cli_text.h"
#include "common/proplist.h"

#define FIRST_GUESS 1024

void cli_plist_done(struct cli_plist *l)
{
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

void cli_obj_props_done(struct cli_obj_props *p)
{
    cli_plist_done(&p->common);
    cli_plist_done(&p->ro_common);
    cli_plist_done(&p->priv);
}

static DWORD call(const struct cli_ctl *t, DWORD code, const void *in, size_t in_size,
                  void *out, DWORD out_size, DWORD *returned)
{
    if (t->resource != NULL)
        return ClusterResourceControl(t->resource, NULL, code, (void *)in, (DWORD)in_size, out,
                                      out_size, returned);
    if (t->group != NULL)
        return ClusterGroupControl(t->group, NULL, code, (void *)in, (DWORD)in_size, out,
                                   out_size, returned);
    if (t->node != NULL)
        return ClusterNodeControl(t->node, NULL, code, (void *)in, (DWORD)in_size, out,
                                  out_size, returned);
    return ClusterResourceTypeControl(t->cluster, t->type, NULL, code, (void *)in,
                                      (DWORD)in_size, out, out_size, returned);
}

/* The output of code, malloc'd in *ret (size bytes), grown on ERROR_MORE_DATA. */
static uint32_t get_raw(const struct cli_ctl *t, DWORD code, void **ret, size_t *ret_size,
                        char *detail)
{
    DWORD cap = FIRST_GUESS, returned = 0;
    void *buf = NULL;
    uint32_t status;

    for (int tries = 0; tries < 4; tries++) {
        void *grown = realloc(buf, cap ? cap : 1);

        if (grown == NULL) {
            free(buf);
            return ERROR_NOT_ENOUGH_MEMORY;
        }
        buf = grown;
        status = call(t, code, NULL, 0, buf, cap, &returned);
        if (status != ERROR_MORE_DATA)
            break;
        cap = returned; /* the object may change between the calls: try again */
    }
    if (status != 0) {
        free(buf);
        return cli_take_reason(status, detail);
    }
    *ret = buf;
    *ret_size = returned;
    return 0;
}

uint32_t cli_ctl_get_list(const struct cli_ctl *t, DWORD code, struct cli_plist *ret,
                          char *detail)
{
    void *raw = NULL;
    size_t size = 0;
    uint32_t status = get_raw(t, code, &raw, &size, detail);

    if (status == 0) {
        status = proplist_decode(raw, size, &ret->v, &ret->n);
        if (status != 0)
            snprintf(detail, CLI_DETAIL_SIZE, "the property list returned is malformed");
    }
    free(raw);
    return status;
}

uint32_t cli_ctl_get_names(const struct cli_ctl *t, DWORD code, char ***ret, size_t *ret_n,
                           char *detail)
{
    void *raw = NULL;
    size_t size = 0;
    uint32_t status = get_raw(t, code, &raw, &size, detail);

    if (status == 0 && cli_multi_sz_split(raw, size, ret, ret_n) < 0) {
        status = ERROR_INVALID_DATA;
        snprintf(detail, CLI_DETAIL_SIZE, "the list of names returned is malformed");
    }
    free(raw);
    return status;
}

uint32_t cli_ctl_get_string(const struct cli_ctl *t, DWORD code, char **ret, char *detail)
{
    void *raw = NULL;
    size_t size = 0;
    uint32_t status = get_raw(t, code, &raw, &size, detail);
    char **parts = NULL;
    size_t n = 0;

    if (status != 0)
        return status;
    /* a string with its NUL, and one more NUL, is a MULTI_SZ of that one string */
    void *grown = realloc(raw, size + 2);
    if (grown == NULL) {
        free(raw);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    raw = grown;
    memset((char *)raw + size, 0, 2);
    if (cli_multi_sz_split(raw, size + 2, &parts, &n) < 0 || n != 1) {
        status = ERROR_INVALID_DATA;
        snprintf(detail, CLI_DETAIL_SIZE, "the string returned is malformed");
    } else if ((*ret = strdup(parts[0])) == NULL) {
        status = ERROR_NOT_ENOUGH_MEMORY;
    }
    free(parts);
    free(raw);
    return status;
}

uint32_t cli_ctl_set_list(const struct cli_ctl *t, DWORD code, const struct prop *v, size_t n,
                          char *detail)
{
    size_t size = 0;
    void *list = NULL;
    uint32_t status = proplist_encode(v, n, NULL, 0, &size);

    if (status == ERROR_MORE_DATA && (list = malloc(size)) != NULL)
        status = proplist_encode(v, n, list, size, &size);
    else if (status == ERROR_MORE_DATA)
        status = ERROR_NOT_ENOUGH_MEMORY;
    if (status == 0)
        status = cli_take_reason(call(t, code, list, size, NULL, 0, NULL), detail);
    else
        snprintf(detail, CLI_DETAIL_SIZE, "the properties cannot be encoded");
    free(list);
    return status;
}

uint32_t cli_ctl_read_props(const struct cli_ctl *t, struct cli_obj_props *ret, char *detail)
{
    DWORD get = CLUSCTL_RESOURCE_GET_COMMON_PROPERTIES;
    DWORD get_ro = CLUSCTL_RESOURCE_GET_RO_COMMON_PROPERTIES;
    uint32_t status;

    memset(ret, 0, sizeof(*ret));
    if (t->group != NULL) {
        get = CLUSCTL_GROUP_GET_COMMON_PROPERTIES;
        get_ro = CLUSCTL_GROUP_GET_RO_COMMON_PROPERTIES;
    } else if (t->node != NULL) {
        get = CLUSCTL_NODE_GET_COMMON_PROPERTIES;
        get_ro = CLUSCTL_NODE_GET_RO_COMMON_PROPERTIES;
    } else if (t->resource == NULL) {
        get = CLUSCTL_RESOURCE_TYPE_GET_COMMON_PROPERTIES;
        get_ro = CLUSCTL_RESOURCE_TYPE_GET_RO_COMMON_PROPERTIES;
    }
    status = cli_ctl_get_list(t, get, &ret->common, detail);
    if (status == 0)
        status = cli_ctl_get_list(t, get_ro, &ret->ro_common, detail);
    if (status == 0 && t->resource != NULL)
        status = cli_ctl_get_list(t, CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTIES, &ret->priv,
                                  detail);
    return status;
}

const struct prop *cli_obj_props_find(const struct cli_obj_props *p, const char *name)
{
    const struct prop *found = cli_props_find(p->common.v, p->common.n, name);

    if (found == NULL)
        found = cli_props_find(p->ro_common.v, p->ro_common.n, name);
    if (found == NULL)
        found = cli_props_find(p->priv.v, p->priv.n, name);
    return found;
}

/* The common properties, writable then read-only, as one array of borrowed entries. */
static struct prop *all_common(const struct cli_obj_props *p, size_t *ret_n)
{
    size_t n = p->common.n + p->ro_common.n;
    struct prop *v = calloc(n ? n : 1, sizeof(*v));

    if (v == NULL)
        return NULL;
    if (p->common.n)
        memcpy(v, p->common.v, p->common.n * sizeof(*v));
    if (p->ro_common.n)
        memcpy(v + p->common.n, p->ro_common.v, p->ro_common.n * sizeof(*v));
    *ret_n = n;
    return v;
}

int cli_obj_props_render(const struct cli_obj_props *p, bool with_private, struct cli_buf *json,
                         struct cli_buf *text)
{
    size_t n = 0;
    struct prop *common = all_common(p, &n);
    int rv = common ? cli_buf_puts(json, ",\"common\":") : -ENOMEM;

    rv = rv ? rv : cli_props_json(json, common, n);
    rv = rv ? rv : cli_buf_puts(text, "Common properties:\n");
    rv = rv ? rv : cli_props_text(text, common, n, "  ");
    if (with_private) {
        rv = rv ? rv : cli_buf_puts(json, ",\"private\":");
        rv = rv ? rv : cli_props_json(json, p->priv.v, p->priv.n);
        rv = rv ? rv : cli_buf_puts(text, "Private properties:\n");
        rv = rv ? rv : cli_props_text(text, p->priv.v, p->priv.n, "  ");
        if (rv == 0 && p->priv.n == 0)
            rv = cli_buf_puts(text, "  -\n");
    }
    free(common);
    return rv;
}
