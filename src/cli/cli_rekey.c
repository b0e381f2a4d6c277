/*
 * cli_rekey — `clusctl rekey`: rotating the administrator's key without downtime, in two steps
 * (ClusapiInstallAdminKey, then ClusapiRetireAdminKeys; docs/security.md):
 *
 *   clusctl rekey --new-key FILE   every node also accepts FILE's key (all or nothing)
 *   ... the administrator puts FILE in place of the key file on clients and nodes ...
 *   clusctl rekey --retire-old     every node accepts only the key now in use
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uchar.h>

#include <clusapi_ext.h>

#include "channel/channel.h"
#include "cli/cli_cluster.h"
#include "cli/cli_cmd.h"
#include "cli/cli_format.h"
#include "common/utf16.h"

/* The key id of a key file, for the messages; "?" if it cannot be read. */
static void key_id_of(const char *path, char *buf, size_t n)
{
    struct channel_key k;
    const char *id;

    if (path == NULL)
        path = getenv("CLUSAPI_AUTHKEY");
    if (path == NULL || *path == '\0')
        path = "/etc/clusapi/authkey";
    if (channel_key_load(path, &k) < 0 || (id = channel_admin_key_id(k.identity)) == NULL)
        id = "?";
    snprintf(buf, n, "%s", id);
    memset(&k, 0, sizeof(k));
}

static int print_done(const struct cli_args *a, const char *cluster, const char *id)
{
    struct cli_buf b = {0};
    int rv;

    if (a->json) {
        rv = cli_buf_printf(&b, "{\"ok\":true,\"step\":\"%s\",\"cluster\":",
                            a->retire_old ? "retire-old" : "new-key");
        if (rv == 0)
            rv = cli_json_string(&b, cluster);
        if (rv == 0)
            rv = cli_buf_printf(&b, ",\"key_id\":\"%s\"}\n", id);
    } else if (a->retire_old) {
        rv = cli_buf_printf(&b,
                            "Every node of cluster %s now accepts only the admin key in use "
                            "(key id %s).\n",
                            cluster, id);
    } else {
        rv = cli_buf_printf(&b,
                            "Every node of cluster %s now accepts the new admin key (key id %s) "
                            "as well as the current one.\n"
                            "Next: install %s as the admin key file (/etc/clusapi/authkey) on "
                            "every node and client,\nthen run 'clusctl rekey --retire-old' with "
                            "it.\n",
                            cluster, id, a->file);
    }
    if (rv == 0)
        cli_flush_out(&b);
    cli_buf_done(&b);
    return CLI_EXIT_OK;
}

int cli_cmd_rekey(const struct cli_args *a, HCLUSTER h)
{
    char detail[CLI_DETAIL_SIZE] = "", id[CHANNEL_ADMIN_ID_CHARS + 2];
    char16_t *wfile = NULL;
    char *cluster = NULL;
    uint32_t status = cli_cluster_name(h, &cluster, detail);
    int rv;

    if (status == 0 && a->file != NULL && utf8_to_utf16(a->file, &wfile) < 0)
        status = ERROR_NOT_ENOUGH_MEMORY;
    if (status == 0)
        status = cli_take_reason(
            a->retire_old ? ClusapiRetireAdminKeys(h) : ClusapiInstallAdminKey(h, wfile), detail);
    free(wfile);
    if (status != 0) {
        free(cluster);
        return cli_fail(a, a->retire_old ? "rekey --retire-old failed" : "rekey --new-key failed",
                        status, detail);
    }
    key_id_of(a->retire_old ? NULL : a->file, id, sizeof(id));
    rv = print_done(a, cluster, id);
    free(cluster);
    return rv;
}
