/*
 * cli_keygen — `clusctl keygen FILE`: a fresh administrator key, written with mode 0600 and
 * never over an existing file (channel_key_generate()).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "channel/channel.h"
#include "cli/cli_cluster.h"
#include "cli/cli_cmd.h"
#include "cli/cli_format.h"
#include "common/win32_error.h"

int cli_cmd_keygen(const struct cli_args *a)
{
    struct cli_buf b = {0};
    char detail[CLI_DETAIL_SIZE];
    int rv = channel_key_generate(a->file);

    if (rv < 0) {
        if (rv == -EEXIST)
            snprintf(detail, sizeof(detail), "%s exists; clusctl never overwrites a key", a->file);
        else
            snprintf(detail, sizeof(detail), "%s: %s", a->file, strerror(-rv));
        return cli_fail(a, "keygen failed", win32_from_errno(rv), detail);
    }
    if (a->json) {
        rv = cli_buf_puts(&b, "{\"ok\":true,\"file\":");
        if (rv == 0)
            rv = cli_json_string(&b, a->file);
        if (rv == 0)
            rv = cli_buf_puts(&b, "}\n");
    } else {
        rv = cli_buf_printf(&b,
                            "Wrote a new administrator key to %s (mode 0600).\n"
                            "Copy it to /etc/clusapi/authkey on every node.\n",
                            a->file);
    }
    if (rv == 0)
        cli_flush_out(&b);
    cli_buf_done(&b);
    return CLI_EXIT_OK;
}
