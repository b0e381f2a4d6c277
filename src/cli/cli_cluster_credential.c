/*
 * cli_cluster_credential — `clusctl rekey --cluster-credential`: ClusapiRotateClusterCredential.
 * Every member moves to a fresh cluster credential while the cluster keeps running; the old one
 * is refused afterwards.
 */
#include <stdio.h>

#include <clusapi.h>
#include <clusapi_ext.h>

#include "cli/cli_cluster.h"
#include "cli/cli_cmd.h"
#include "cli/cli_format.h"

static int print_done(const struct cli_args *a)
{
    struct cli_buf b = {0};
    int rv;

    if (!a->json) {
        printf("The cluster credential was replaced on every member; the old one is refused.\n");
        return CLI_EXIT_OK;
    }
    rv = cli_buf_puts(&b, "{\"ok\":true,");
    if (rv == 0)
        rv = cli_format_json_status(&b, 0, NULL);
    if (rv == 0)
        rv = cli_buf_puts(&b, ",\"rekeyed\":\"cluster-credential\"}\n");
    if (rv == 0)
        rv = cli_flush_out(&b);
    cli_buf_done(&b);
    return rv == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}

int cli_cmd_rekey_cluster_credential(const struct cli_args *a, HCLUSTER h)
{
    char detail[CLI_DETAIL_SIZE] = "";
    uint32_t status = cli_take_reason(ClusapiRotateClusterCredential(h), detail);

    if (status != 0)
        return cli_fail(a, "rekey --cluster-credential", status, detail);
    return print_done(a);
}
