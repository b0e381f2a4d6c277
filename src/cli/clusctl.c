/*
 * clusctl — the administrator's command-line tool: parses the command line, prints the help,
 * and hands the command to its file (cli_cmd.h). What the commands share lives in cli_cluster,
 * cli_progress and the pure cli_format library.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_args.h"
#include "cli/cli_cluster.h"
#include "cli/cli_cmd.h"
#include "cli/cli_format.h"

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
    "  add-node NODE          add NODE to the cluster\n"
    "  evict NODE [--timeout MS]\n"
    "                         remove NODE from the cluster and wait up to MS\n"
    "                         milliseconds (default 90000) for it to clean up\n"
    "  destroy [--cleanup-ad] [--yes]\n"
    "                         take the cluster apart and wipe every node; asks first\n"
    "                         unless --yes, and needs --yes without a terminal\n"
    "  status                 show the cluster, its nodes, groups and resources\n"
    "  node list              list the nodes, their states and votes: ROLE (node or\n"
    "                         witness), NODEWEIGHT (the vote it may have) and\n"
    "                         DYNAMICWEIGHT (the vote it has now)\n"
    "  node clear [NODE] [--force]\n"
    "                         wipe what a cluster that let NODE go (default: this\n"
    "                         node) left on it; refused while that cluster runs\n"
    "  node pause NODE        move NODE's groups to other nodes and keep it from\n"
    "                         hosting any until it is resumed\n"
    "  node resume NODE       let a paused NODE host groups again\n"
    "  node set NODE KEY=VALUE...\n"
    "  node get NODE [KEY]    a node's common properties: NodeWeight (0 or 1: whether\n"
    "                         it may vote), read-only NodeName, DynamicWeight, IsWitness\n"
    "  group list             list the groups, their states and owner nodes\n"
    "  group online GROUP [--node NODE]\n"
    "                         bring GROUP online (on NODE if given)\n"
    "  group offline GROUP    take GROUP offline\n"
    "  group move GROUP [--node NODE]\n"
    "                         move GROUP to NODE (default: another node that is up)\n"
    "  group create GROUP     create an empty group (offline)\n"
    "  group delete GROUP     delete an offline, empty group\n"
    "  resource list [--group GROUP]\n"
    "                         list the resources, their states, owners and groups\n"
    "                         (with --group: the group's resources)\n"
    "  resource create NAME --group GROUP --type TYPE [--prop KEY=VALUE]...\n"
    "                         create a resource with its private properties, all checked\n"
    "                         first and typed by the type's parameters; a KEY given\n"
    "                         twice makes a list (MULTI_SZ)\n"
    "  resource delete NAME   delete an offline resource nothing depends on\n"
    "  resource online NAME [--timeout MS]\n"
    "                         bring NAME online and wait until it is Online or Failed\n"
    "                         (default 180000 ms)\n"
    "  resource offline NAME [--timeout MS]\n"
    "                         take NAME offline and wait until it is Offline\n"
    "  resource fail NAME     make NAME fail, to test its restart and failover policy\n"
    "  resource move-to-group NAME GROUP\n"
    "                         move NAME to another group\n"
    "  resource depend NAME PROVIDER | NAME --expr EXPR\n"
    "                         NAME depends on PROVIDER (too), or on the expression\n"
    "                         EXPR, e.g. '[ip4] or [ip6]' ('' removes every dependency)\n"
    "  resource undepend NAME PROVIDER\n"
    "                         remove one dependency\n"
    "  resource owners NAME [--add NODE]... [--remove NODE]...\n"
    "                         change and show the nodes NAME may run on\n"
    "  resource show NAME     state, owner, group, dependencies, possible owners, type,\n"
    "                         common and private properties\n"
    "  resource set NAME KEY=VALUE...\n"
    "                         set properties: a common one (RestartAction ...) or else a\n"
    "                         private one, typed as the current value; a KEY given twice\n"
    "                         makes a list; all checked before any is set\n"
    "  resource get NAME [KEY]\n"
    "                         the common and private properties, or KEY's value alone\n"
    "  resource type list     the resource types, installed OCF agents included\n"
    "  resource type show TYPE\n"
    "                         a type's parameters (syntax, required, default,\n"
    "                         description), action timeouts and common properties\n"
    "  group set GROUP KEY=VALUE...\n"
    "  group get GROUP [KEY]  a group's common properties (FailoverThreshold,\n"
    "                         FailoverPeriod, AutoFailbackType, FailbackWindowStart ...)\n"
    "  property list          the cluster properties that can be set, and their values\n"
    "  property get NAME      one cluster property (any: ClusterName, SameSubnetDelay...)\n"
    "  property set NAME VALUE\n"
    "                         SameSubnetDelay (250-2000 ms), SameSubnetThreshold (3-120),\n"
    "                         QuorumLease (150-4000 ms; 0: twice SameSubnetDelay),\n"
    "                         DynamicQuorum (0 or 1, default 1) or\n"
    "                         LowerQuorumPriorityNodeId (the node id that loses its vote\n"
    "                         on a tie; 0, the default: none)\n"
    "  events [--interval MS] [--count N]\n"
    "                         watch the cluster: print each change of a node, group\n"
    "                         or resource (state, owner, new, gone) as it happens\n"
    "  rekey --new-key FILE   rotate the administrator key, step 1: every node also\n"
    "                         accepts FILE's key (all nodes or none)\n"
    "  rekey --retire-old     step 2, run with the new key: every node accepts only\n"
    "                         the key in use\n"
    "  rekey --cluster-credential\n"
    "                         replace the secret the nodes prove to each other with\n"
    "                         a fresh one on every member, without stopping the\n"
    "                         cluster; the old one is refused afterwards\n"
    "  quorum show            the votes: every node and the witness, up or not,\n"
    "                         DynamicQuorum, how many failures the cluster survives\n"
    "  quorum set --witness HOST[:PORT] | --no-witness\n"
    "                         make the clussvc --witness at HOST (port default 3343)\n"
    "                         the cluster's witness, replacing any other, or remove\n"
    "                         the witness; groups stay online\n"
    "\n"
    "Options:\n"
    "  -c, --cluster NAME     the cluster or node to talk to, by name or address\n"
    "                         (default: the local node)\n"
    "      --json             machine-readable output: one JSON object per progress event\n"
    "                         for create, add-node and destroy, one per change for\n"
    "                         events, one JSON document for the other commands\n"
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
    "Options of the other commands:\n"
    "      --timeout MS       evict: how long to wait for the node's cleanup;\n"
    "                         resource online|offline: for the resource to settle\n"
    "      --group GROUP      resource create: the group; resource list: only its\n"
    "      --type TYPE        resource create: the resource type\n"
    "      --prop KEY=VALUE   resource create: a private property (repeatable)\n"
    "      --expr EXPR        resource depend: a whole dependency expression\n"
    "      --add NODE, --remove NODE\n"
    "                         resource owners: a possible owner to add or remove\n"
    "      --yes              destroy: do not ask\n"
    "      --cleanup-ad       destroy: also delete the cluster's identity (its\n"
    "                         computer objects, on Windows)\n"
    "      --force            node clear: wipe even if the cluster still runs\n"
    "      --cluster-credential\n"
    "                         rekey: replace the cluster credential\n"
    "      --node NODE        group online, group move: the destination node\n"
    "      --interval MS      events: read the cluster every MS milliseconds (50 to\n"
    "                         10000, default 200)\n"
    "      --count N          events: stop after N changes (default: until Ctrl-C)\n"
    "      --new-key FILE     rekey: the new administrator key (from keygen)\n"
    "      --retire-old       rekey: drop every key but the one in use\n"
    "      --witness HOST[:PORT], --no-witness\n"
    "                         quorum set: the witness to use, or none\n"
    "\n"
    "Ctrl-C during create or add-node cancels it: the nodes are rolled back. A second\n"
    "Ctrl-C stops clusctl at once. A destroy cannot be cancelled: it runs to its end.\n"
    "Ctrl-C or SIGTERM ends events with status 0.\n"
    "\n"
    "Environment:\n"
    "  CLUSAPI_AUTHKEY        administrator key file (default /etc/clusapi/authkey)\n"
    "  CLUSAPI_PORT           management port of the nodes (default 3343)\n"
    "\n"
    "Exit status:\n"
    "  0  success (also a group change still in progress, ERROR_IO_PENDING, and\n"
    "     events stopped by Ctrl-C, SIGTERM or --count)\n"
    "  1  the operation failed (the Win32 error code is printed), also a resource\n"
    "     that ends Failed after resource online, or does not settle in --timeout\n"
    "  2  usage error\n"
    "  3  cancelled (ERROR_CANCELLED), or destroy not confirmed\n"
    "  4  cannot reach the cluster (for events: any more), or access denied\n";

/* The commands that act on a cluster, which run() has opened. */
static int run_on_cluster(const struct cli_args *a, HCLUSTER h, bool ask)
{
    switch (a->cmd) {
    case CLI_CMD_RESOURCE_LIST:
        return a->group != NULL ? cli_cmd_resource(a, h) : cli_cmd_status(a, h);
    case CLI_CMD_STATUS:
    case CLI_CMD_GROUP_LIST:
        return cli_cmd_status(a, h);
    case CLI_CMD_NODE_LIST:
        return cli_cmd_node_list(a, h);
    case CLI_CMD_RES_CREATE:
    case CLI_CMD_RES_DELETE:
    case CLI_CMD_RES_ONLINE:
    case CLI_CMD_RES_OFFLINE:
    case CLI_CMD_RES_FAIL:
    case CLI_CMD_RES_MOVE:
    case CLI_CMD_RES_DEPEND:
    case CLI_CMD_RES_UNDEPEND:
    case CLI_CMD_RES_OWNERS:
    case CLI_CMD_RES_SHOW:
    case CLI_CMD_RESTYPE_LIST:
        return cli_cmd_resource(a, h);
    case CLI_CMD_RES_SET:
    case CLI_CMD_RES_GET:
    case CLI_CMD_RESTYPE_SHOW:
    case CLI_CMD_GROUP_SET:
    case CLI_CMD_GROUP_GET:
    case CLI_CMD_NODE_SET:
    case CLI_CMD_NODE_GET:
        return cli_cmd_props(a, h);
    case CLI_CMD_ADD_NODE:
        return cli_cmd_add_node(a, h);
    case CLI_CMD_EVICT:
        return cli_cmd_evict(a, h);
    case CLI_CMD_DESTROY:
        return cli_cmd_destroy(a, h, ask);
    case CLI_CMD_GROUP_ONLINE:
    case CLI_CMD_GROUP_OFFLINE:
    case CLI_CMD_GROUP_MOVE:
    case CLI_CMD_GROUP_CREATE:
    case CLI_CMD_GROUP_DELETE:
        return cli_cmd_group(a, h);
    case CLI_CMD_NODE_PAUSE:
    case CLI_CMD_NODE_RESUME:
        return cli_cmd_node(a, h);
    case CLI_CMD_PROP_LIST:
    case CLI_CMD_PROP_GET:
    case CLI_CMD_PROP_SET:
        return cli_cmd_property(a, h);
    case CLI_CMD_REKEY:
        return a->cluster_credential ? cli_cmd_rekey_cluster_credential(a, h)
                                     : cli_cmd_rekey(a, h);
    case CLI_CMD_QUORUM_SHOW:
    case CLI_CMD_QUORUM_SET:
        return cli_cmd_quorum(a, h);
    default:
        return CLI_EXIT_USAGE;
    }
}

static int run(const struct cli_args *a, bool ask)
{
    HCLUSTER h;
    int rv;

    switch (a->cmd) {
    case CLI_CMD_HELP:
        fputs(help_text, stdout);
        return CLI_EXIT_OK;
    case CLI_CMD_VERSION:
        printf("clusctl %s\n", CLUSAPI_VERSION_STRING);
        return CLI_EXIT_OK;
    case CLI_CMD_KEYGEN:
        return cli_cmd_keygen(a);
    case CLI_CMD_CREATE:
        return cli_cmd_create(a);
    case CLI_CMD_NODE_CLEAR:
        return cli_cmd_node_clear(a);
    case CLI_CMD_EVENTS:
        return cli_cmd_events(a);
    default:
        break;
    }
    rv = cli_open_cluster(a, &h);
    if (rv == CLI_EXIT_OK) {
        rv = run_on_cluster(a, h, ask);
        /* What the command showed came from a node without quorum: say so (a failed command
         * has said why already). */
        if (rv == CLI_EXIT_OK)
            cli_warn_stale(h);
        CloseCluster(h);
    }
    return rv;
}

int main(int argc, char **argv)
{
    struct cli_args a;
    char errmsg[256] = "";
    int rv = cli_args_parse(argc, argv, &a, errmsg, sizeof(errmsg)), ask = 0;

    if (rv == 0) {
        ask = cli_args_confirm(&a, isatty(STDIN_FILENO) && isatty(STDOUT_FILENO), errmsg,
                               sizeof(errmsg));
        if (ask < 0) {
            cli_args_done(&a);
            rv = ask;
        }
    }
    if (rv < 0) {
        fprintf(stderr, "clusctl: %s\n", errmsg);
        if (rv == -EINVAL)
            fputs(usage_text, stderr);
        return cli_exit_for_parse(rv);
    }
    rv = run(&a, ask == 1);
    cli_args_done(&a);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "clusctl: cannot write the output: %s\n", strerror(errno));
        return rv == CLI_EXIT_OK ? CLI_EXIT_FAILED : rv;
    }
    return rv;
}
