/*
 * cli_prop — `clusctl property list|get|set`: ClusapiGetClusterProperty and
 * ClusapiSetClusterProperty. list shows the properties that can be set.
 */
#include <stdio.h>
#include <stdlib.h>

#include <clusapi.h>
#include <clusapi_ext.h>

#include "cli/cli_cluster.h"
#include "cli/cli_cmd.h"
#include "cli/cli_format.h"
#include "common/cluster_props.h"
#include "common/utf16.h"

#define VALUE_UNITS 512

/* One property's value, malloc'd UTF-8 in *ret; 0 or the Win32 status + detail. */
static uint32_t get_one(HCLUSTER h, const char *name, char **ret, char *detail)
{
    WCHAR value[VALUE_UNITS];
    DWORD cch = VALUE_UNITS;
    char16_t *w;
    uint32_t status;

    if (utf8_to_utf16(name, &w) < 0)
        return ERROR_NOT_ENOUGH_MEMORY;
    status = cli_take_reason(ClusapiGetClusterProperty(h, w, value, &cch), detail);
    free(w);
    if (status != 0)
        return status;
    return cli_utf16_to_utf8_lossy((const char16_t *)value, VALUE_UNITS, ret) < 0
               ? ERROR_NOT_ENOUGH_MEMORY
               : 0;
}

static uint32_t set_one(HCLUSTER h, const char *name, const char *value, char *detail)
{
    char16_t *wn = NULL, *wv = NULL;
    uint32_t status = ERROR_NOT_ENOUGH_MEMORY;

    if (utf8_to_utf16(name, &wn) == 0 && utf8_to_utf16(value, &wv) == 0)
        status = cli_take_reason(ClusapiSetClusterProperty(h, wn, wv), detail);
    free(wn);
    free(wv);
    return status;
}

/* Prints name/value pairs: a table, or one JSON object. */
static int print(const struct cli_args *a, const char *const *names, char **values, size_t n)
{
    struct cli_buf b = {0};
    int rv = 0;

    if (a->json) {
        rv = cli_buf_puts(&b, "{\"ok\":true,\"properties\":{");
        for (size_t i = 0; rv == 0 && i < n; i++) {
            rv = cli_buf_puts(&b, i ? "," : "");
            if (rv == 0)
                rv = cli_json_string(&b, names[i]);
            if (rv == 0)
                rv = cli_buf_puts(&b, ":");
            if (rv == 0)
                rv = cli_json_string(&b, values[i]);
        }
        if (rv == 0)
            rv = cli_buf_puts(&b, "}}\n");
    } else {
        for (size_t i = 0; rv == 0 && i < n; i++)
            rv = cli_buf_printf(&b, "%-22s %s\n", names[i], values[i] ? values[i] : "");
    }
    if (rv == 0)
        rv = cli_flush_out(&b);
    cli_buf_done(&b);
    return rv == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}

int cli_cmd_property(const struct cli_args *a, HCLUSTER h)
{
    const char *const *names = a->cmd == CLI_CMD_PROP_LIST ? cluster_props_settable : &a->prop;
    size_t n = a->cmd == CLI_CMD_PROP_LIST ? cluster_props_n_settable : 1;
    char *values[8] = {0}, detail[CLI_DETAIL_SIZE] = "", what[300];
    uint32_t status;
    int rv;

    status = a->cmd == CLI_CMD_PROP_SET ? set_one(h, a->prop, a->prop_value, detail) : 0;
    for (size_t i = 0; status == 0 && i < n && i < 8; i++)
        status = get_one(h, names[i], &values[i], detail);
    if (status == 0) {
        rv = print(a, names, values, n);
    } else {
        snprintf(what, sizeof(what), "property %s%s%s failed",
                 a->cmd == CLI_CMD_PROP_SET ? "set" : a->cmd == CLI_CMD_PROP_GET ? "get" : "list",
                 a->prop ? " " : "", a->prop ? a->prop : "");
        rv = cli_fail(a, what, status, detail);
    }
    for (size_t i = 0; i < 8; i++)
        free(values[i]);
    return rv;
}
