/*
 * cli_create — `clusctl create`: CreateCluster with its progress shown as cli_progress does;
 * Ctrl-C cancels through the callback.
 */
#include <errno.h>
#include <stdio.h>

#include <clusapi.h>
#include <clusapi_ext.h>

#include "cli/cli_cluster.h"
#include "cli/cli_cmd.h"
#include "cli/cli_format.h"
#include "cli/cli_progress.h"

/* The opening line of the live display: what is about to be created. */
static void header(struct cli_progress *p, const struct cli_args *a)
{
    struct cli_buf b = {0};

    cli_buf_printf(&b, "Creating cluster %s on", a->name);
    for (size_t i = 0; i < a->n_nodes; i++)
        cli_buf_printf(&b, "%s %s", i ? "," : "", a->nodes[i]);
    for (size_t i = 0; i < a->n_ips; i++)
        cli_buf_printf(&b, "%s %s/%u", i ? "," : " with address", a->ips[i].address,
                       (unsigned)a->ips[i].prefix);
    cli_buf_puts(&b, a->empty ? " (empty cluster)" : "");
    cli_progress_header(p, "%s", cli_buf_str(&b));
    cli_buf_done(&b);
}

static uint32_t run_create(struct cli_progress *p, const CREATE_CLUSTER_CONFIG *cfg_in,
                           char *detail, size_t n)
{
    CREATE_CLUSTER_CONFIG cfg = *cfg_in;
    HCLUSTER h = CreateCluster(&cfg, cli_progress_callback, p);
    uint32_t status = 0;

    if (h == NULL) {
        status = GetLastError();
        snprintf(detail, n, "%s", ClusapiLastErrorText());
        /* A NULL handle always means failure, even if the library forgot to say why. */
        if (status == 0)
            status = ERROR_INTERNAL_ERROR;
    } else {
        CloseCluster(h);
    }
    return status;
}

int cli_cmd_create(const struct cli_args *a)
{
    struct cli_progress p;
    struct cli_create cc;
    char detail[512] = "", ok[300];
    uint32_t status;
    int rv;

    rv = cli_create_build(a, &cc);
    if (rv < 0)
        return cli_fail(
            a, "create failed",
            rv == -ENOMEM ? ERROR_NOT_ENOUGH_MEMORY : ERROR_CLUSTER_INVALID_STRING_FORMAT, NULL);
    cli_progress_init(&p, a, "the nodes are being rolled back");
    header(&p, a);
    cli_progress_start(&p);
    status = run_create(&p, &cc.cfg, detail, sizeof(detail));
    cli_progress_stop(&p);
    snprintf(ok, sizeof(ok), "Cluster %s created.\n", a->name);
    rv = cli_progress_report(&p, "create", status, detail, ok, "cluster", a->name);
    cli_progress_done(&p);
    cli_create_done(&cc);
    return rv;
}
