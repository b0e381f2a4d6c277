/*
 * clusctl — the administrator's command-line tool: parses the command line, runs the command,
 * and owns the conventions every command shares (help, errors, exit codes).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "channel/channel.h"
#include "cli/cli_args.h"
#include "cli/cli_cmd.h"
#include "cli/cli_format.h"
#include "common/win32_error.h"

static const char usage_text[] = "Usage: clusctl [OPTIONS] COMMAND [ARGS]\n"
                                 "Try 'clusctl --help' for the commands and options.\n";

static const char help_text[] =
    "Usage: clusctl [OPTIONS] COMMAND [ARGS]\n"
    "\n"
    "Set up and inspect clusapi failover clusters.\n"
    "\n"
    "Commands:\n"
    "  keygen FILE            write a fresh administrator key to FILE (mode 0600);\n"
    "                         never overwrites an existing file\n"
    "  create NAME --node N [--node N...] [--ip ADDR/PREFIX...] [--empty] [--mgmt none|dns]\n"
    "                         create cluster NAME on the given nodes\n"
    "  status                 show the cluster, its nodes, groups and resources\n"
    "  node list              list the nodes and their states\n"
    "  group list             list the groups, their states and owner nodes\n"
    "  resource list          list the resources, their states, owners and groups\n"
    "\n"
    "Options:\n"
    "  -c, --cluster NAME     the cluster or node to talk to, by name or address\n"
    "                         (default: the local node)\n"
    "      --json             machine-readable output: one JSON object per progress event\n"
    "                         for create, one JSON document for the other commands\n"
    "  -h, --help             show this help and exit\n"
    "      --version          show the version and exit\n"
    "\n"
    "Options of create:\n"
    "      --node N           a node of the new cluster (repeat for each node)\n"
    "      --ip ADDR/PREFIX   an address of the cluster, e.g. 10.0.0.50/24 (repeatable)\n"
    "      --empty            form the cluster only: no Cluster Group, address or name\n"
    "      --mgmt none|dns    the management point: dns (the default with --ip) makes\n"
    "                         the cluster name answer on its addresses; none (the\n"
    "                         default without --ip) gives the cluster no address\n"
    "\n"
    "Ctrl-C during create cancels it: the nodes are rolled back. A second Ctrl-C\n"
    "stops clusctl at once.\n"
    "\n"
    "Environment:\n"
    "  CLUSAPI_AUTHKEY        administrator key file (default /etc/clusapi/authkey)\n"
    "  CLUSAPI_PORT           management port of the nodes (default 3343)\n"
    "\n"
    "Exit status:\n"
    "  0  success\n"
    "  1  the operation failed (the Win32 error code is printed)\n"
    "  2  usage error\n"
    "  3  cancelled (ERROR_CANCELLED)\n"
    "  4  cannot reach the cluster, or access denied\n";

int cli_flush_out(const struct cli_buf *b)
{
    if (b->len > 0 && fwrite(cli_buf_str(b), 1, b->len, stdout) != b->len)
        return -EIO;
    return fflush(stdout) == 0 ? 0 : -EIO;
}

int cli_fail(const struct cli_args *a, const char *what, uint32_t status, const char *detail)
{
    struct cli_buf b = {0};

    if (cli_format_error(&b, what, status, detail) == 0)
        fprintf(stderr, "clusctl: %s\n", cli_buf_str(&b));
    else
        fprintf(stderr, "clusctl: %s: error %u\n", what, (unsigned)status);
    if (a->json) {
        cli_buf_reset(&b);
        if (cli_buf_puts(&b, "{\"ok\":false,") == 0 &&
            cli_format_json_status(&b, status, detail) == 0 && cli_buf_puts(&b, "}\n") == 0)
            cli_flush_out(&b);
    }
    cli_buf_done(&b);
    return cli_exit_for_status(status);
}

/* `clusctl keygen FILE`. */
static int cmd_keygen(const struct cli_args *a)
{
    struct cli_buf b = {0};
    char detail[512];
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

static int run(const struct cli_args *a)
{
    switch (a->cmd) {
    case CLI_CMD_HELP:
        fputs(help_text, stdout);
        return CLI_EXIT_OK;
    case CLI_CMD_VERSION:
        printf("clusctl %s\n", CLUSAPI_VERSION_STRING);
        return CLI_EXIT_OK;
    case CLI_CMD_KEYGEN:
        return cmd_keygen(a);
    case CLI_CMD_CREATE:
        return cli_cmd_create(a);
    case CLI_CMD_STATUS:
    case CLI_CMD_NODE_LIST:
    case CLI_CMD_GROUP_LIST:
    case CLI_CMD_RESOURCE_LIST:
        return cli_cmd_status(a);
    }
    return CLI_EXIT_USAGE;
}

int main(int argc, char **argv)
{
    struct cli_args a;
    char errmsg[256] = "";
    int rv = cli_args_parse(argc, argv, &a, errmsg, sizeof(errmsg));

    if (rv < 0) {
        fprintf(stderr, "clusctl: %s\n", errmsg);
        if (rv == -EINVAL)
            fputs(usage_text, stderr);
        return cli_exit_for_parse(rv);
    }
    rv = run(&a);
    cli_args_done(&a);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "clusctl: cannot write the output: %s\n", strerror(errno));
        return rv == CLI_EXIT_OK ? CLI_EXIT_FAILED : rv;
    }
    return rv;
}
