/*
 * Unit tests for clusctl's command line (cli_args.c): every command's arguments, the usage
 * errors, the destroy confirmation, and the CREATE_CLUSTER_CONFIG built from `create`.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/cli_args.h"
#include "cli/cli_format.h"

/* ------------------------------------------------------------------------------------------ */
/* Arguments                                                                                   */
/* ------------------------------------------------------------------------------------------ */

#define ARGV(...) ((char *const[]){"clusctl", __VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *const[]){"clusctl", __VA_ARGS__}) / sizeof(char *)))
#define PARSE(ret, err, ...)                                                                       \
    cli_args_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), ret, err, sizeof(err))

static void test_args_create(void **state)
{
    struct cli_args a;
    char err[256] = "";

    (void)state;
    assert_int_equal(PARSE(&a, err, "create", "clu1", "--node", "n1", "--node=n2", "--ip",
                           "10.0.0.50/24", "--ip=2001:DB8::50/64", "--json"),
                     0);
    assert_int_equal(a.cmd, CLI_CMD_CREATE);
    assert_string_equal(a.name, "clu1");
    assert_int_equal(a.n_nodes, 2);
    assert_string_equal(a.nodes[0], "n1");
    assert_string_equal(a.nodes[1], "n2");
    assert_int_equal(a.n_ips, 2);
    assert_string_equal(a.ips[0].address, "10.0.0.50");
    assert_int_equal(a.ips[0].prefix, 24);
    assert_string_equal(a.ips[1].address, "2001:db8::50"); /* canonical form */
    assert_int_equal(a.ips[1].prefix, 64);
    assert_true(a.json);
    assert_null(a.cluster);
    assert_int_equal(a.mgmt, CLI_MGMT_AUTO);
    assert_false(a.empty);
    cli_args_done(&a);
    cli_args_done(NULL);
}

static void test_args_other_commands(void **state)
{
    struct cli_args a;
    char err[256] = "";

    (void)state;
    assert_int_equal(PARSE(&a, err, "-c", "10.0.0.11", "status"), 0);
    assert_int_equal(a.cmd, CLI_CMD_STATUS);
    assert_string_equal(a.cluster, "10.0.0.11");
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "node", "list", "-cclu1", "--json"), 0);
    assert_int_equal(a.cmd, CLI_CMD_NODE_LIST);
    assert_string_equal(a.cluster, "clu1");
    assert_true(a.json);
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "--cluster=clu1", "group", "list"), 0);
    assert_int_equal(a.cmd, CLI_CMD_GROUP_LIST);
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "resource", "list"), 0);
    assert_int_equal(a.cmd, CLI_CMD_RESOURCE_LIST);
    cli_args_done(&a);
    /* After "--", a word starting with '-' is a file name. */
    assert_int_equal(PARSE(&a, err, "keygen", "--", "-odd-name"), 0);
    assert_int_equal(a.cmd, CLI_CMD_KEYGEN);
    assert_string_equal(a.file, "-odd-name");
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "help"), 0);
    assert_int_equal(a.cmd, CLI_CMD_HELP);
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "rekey", "--new-key", "/tmp/new.key", "-c", "clu1"), 0);
    assert_int_equal(a.cmd, CLI_CMD_REKEY);
    assert_string_equal(a.file, "/tmp/new.key");
    assert_false(a.retire_old);
    assert_string_equal(a.cluster, "clu1");
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "--json", "rekey", "--retire-old"), 0);
    assert_int_equal(a.cmd, CLI_CMD_REKEY);
    assert_null(a.file);
    assert_true(a.retire_old);
    cli_args_done(&a);
    /* --help and --version win over anything else, errors included. */
    assert_int_equal(PARSE(&a, err, "frob", "--bogus", "-h"), 0);
    assert_int_equal(a.cmd, CLI_CMD_HELP);
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "status", "--version"), 0);
    assert_int_equal(a.cmd, CLI_CMD_VERSION);
    cli_args_done(&a);
}

static void test_args_membership(void **state)
{
    struct cli_args a;
    char err[256] = "";

    (void)state;
    assert_int_equal(PARSE(&a, err, "-c", "n1", "add-node", "n3", "--json"), 0);
    assert_int_equal(a.cmd, CLI_CMD_ADD_NODE);
    assert_string_equal(a.node, "n3");
    assert_string_equal(a.cluster, "n1");
    assert_true(a.json);
    cli_args_done(&a);
    /* The cluster defaults to the local node. */
    assert_int_equal(PARSE(&a, err, "add-node", "n3"), 0);
    assert_null(a.cluster);
    cli_args_done(&a);

    assert_int_equal(PARSE(&a, err, "evict", "n2"), 0);
    assert_int_equal(a.cmd, CLI_CMD_EVICT);
    assert_string_equal(a.node, "n2");
    assert_int_equal(a.timeout_ms, 90000);
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "evict", "--timeout=0", "n2"), 0);
    assert_int_equal(a.timeout_ms, 0);
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "evict", "n2", "--timeout", "4294967295"), 0);
    assert_int_equal(a.timeout_ms, 4294967295u);
    cli_args_done(&a);

    assert_int_equal(PARSE(&a, err, "destroy"), 0);
    assert_int_equal(a.cmd, CLI_CMD_DESTROY);
    assert_false(a.yes);
    assert_false(a.cleanup_ad);
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "-c", "10.0.0.50", "destroy", "--yes", "--cleanup-ad"), 0);
    assert_true(a.yes);
    assert_true(a.cleanup_ad);
    cli_args_done(&a);

    assert_int_equal(PARSE(&a, err, "node", "clear"), 0);
    assert_int_equal(a.cmd, CLI_CMD_NODE_CLEAR);
    assert_null(a.node); /* the local node */
    assert_false(a.force);
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "node", "clear", "n2", "--force"), 0);
    assert_string_equal(a.node, "n2");
    assert_true(a.force);
    cli_args_done(&a);
}

static void test_args_group(void **state)
{
    struct cli_args a;
    char err[256] = "";

    (void)state;
    assert_int_equal(PARSE(&a, err, "group", "online", "Cluster Group"), 0);
    assert_int_equal(a.cmd, CLI_CMD_GROUP_ONLINE);
    assert_string_equal(a.group, "Cluster Group");
    assert_null(a.to_node);
    assert_null(a.node);
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "group", "online", "g1", "--node", "n2"), 0);
    assert_string_equal(a.to_node, "n2");
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "-c", "clu1", "group", "offline", "g1", "--json"), 0);
    assert_int_equal(a.cmd, CLI_CMD_GROUP_OFFLINE);
    assert_string_equal(a.group, "g1");
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "group", "move", "--node=n3", "g1"), 0);
    assert_int_equal(a.cmd, CLI_CMD_GROUP_MOVE);
    assert_string_equal(a.group, "g1");
    assert_string_equal(a.to_node, "n3");
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "group", "move", "g1"), 0);
    assert_null(a.to_node);
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "group", "create", "web"), 0);
    assert_int_equal(a.cmd, CLI_CMD_GROUP_CREATE);
    assert_string_equal(a.group, "web");
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "group", "delete", "web", "--json"), 0);
    assert_int_equal(a.cmd, CLI_CMD_GROUP_DELETE);
    assert_string_equal(a.group, "web");
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "property", "set", "SameSubnetDelay", "1000"), 0);
    assert_int_equal(a.cmd, CLI_CMD_PROP_SET);
    assert_string_equal(a.prop, "SameSubnetDelay");
    assert_string_equal(a.prop_value, "1000");
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "property", "get", "ClusterName"), 0);
    assert_int_equal(a.cmd, CLI_CMD_PROP_GET);
    assert_null(a.prop_value);
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "-c", "clu1", "property", "list", "--json"), 0);
    assert_int_equal(a.cmd, CLI_CMD_PROP_LIST);
    cli_args_done(&a);
}

static void test_args_resource(void **state)
{
    struct cli_args a;
    char err[256] = "", key[16];

    (void)state;
    assert_int_equal(PARSE(&a, err, "resource", "create", "web", "--group", "g", "--type",
                           "ocf:heartbeat:nginx", "--prop", "port=80", "--prop=env=A=1",
                           "--prop", "env=B"), 0);
    assert_int_equal(a.cmd, CLI_CMD_RES_CREATE);
    assert_string_equal(a.resource, "web");
    assert_string_equal(a.group, "g");
    assert_string_equal(a.restype, "ocf:heartbeat:nginx");
    assert_int_equal(a.n_props, 3);
    assert_string_equal(a.props[1], "env=A=1");
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "resource", "online", "web"), 0);
    assert_int_equal(a.timeout_ms, CLI_RESOURCE_TIMEOUT_MS);
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "resource", "offline", "web", "--timeout", "500"), 0);
    assert_int_equal(a.timeout_ms, 500);
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "resource", "move-to-group", "web", "g2"), 0);
    assert_int_equal(a.cmd, CLI_CMD_RES_MOVE);
    assert_string_equal(a.group, "g2");
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "resource", "depend", "web", "--expr", "[ip] or [ip6]"), 0);
    assert_null(a.provider);
    assert_string_equal(a.expr, "[ip] or [ip6]");
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "resource", "owners", "web", "--add", "n1", "--add", "n2",
                           "--remove", "n3"), 0);
    assert_int_equal(a.n_owner_add, 2);
    assert_string_equal(a.owner_remove[0], "n3");
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "resource", "set", "web", "RestartAction=1", "port=8080"), 0);
    assert_int_equal(a.n_props, 2);
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "group", "get", "g", "FailoverThreshold"), 0);
    assert_int_equal(a.cmd, CLI_CMD_GROUP_GET);
    assert_string_equal(a.key, "FailoverThreshold");
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "resource", "type", "show", "ocf:heartbeat:IPaddr2"), 0);
    assert_int_equal(a.cmd, CLI_CMD_RESTYPE_SHOW);
    assert_string_equal(a.restype, "ocf:heartbeat:IPaddr2");
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "resource", "list", "--group", "g"), 0);
    assert_string_equal(a.group, "g");
    cli_args_done(&a);
    /* usage errors */
    assert_int_equal(PARSE(&a, err, "resource", "create", "web", "--type", "t"), -EINVAL);
    assert_non_null(strstr(err, "--group"));
    assert_int_equal(PARSE(&a, err, "resource", "depend", "web", "ip", "--expr", "[ip]"), -EINVAL);
    assert_int_equal(PARSE(&a, err, "resource", "set", "web", "=1"), -EINVAL);
    assert_int_equal(PARSE(&a, err, "resource", "type", "show"), -EINVAL);
    assert_int_equal(PARSE(&a, err, "resource", "fail", "web", "--timeout", "5"), -EINVAL);
    assert_int_equal(PARSE(&a, err, "group", "set", "g"), -EINVAL);
    /* node properties, as a group's */
    assert_int_equal(PARSE(&a, err, "node", "set", "n2", "NodeWeight=0"), 0);
    assert_int_equal(a.cmd, CLI_CMD_NODE_SET);
    assert_string_equal(a.node, "n2");
    assert_int_equal(a.n_props, 1);
    assert_string_equal(a.props[0], "NodeWeight=0");
    assert_null(a.resource);
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "node", "get", "n2", "DynamicWeight"), 0);
    assert_int_equal(a.cmd, CLI_CMD_NODE_GET);
    assert_string_equal(a.node, "n2");
    assert_string_equal(a.key, "DynamicWeight");
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "node", "get", "n2"), 0);
    assert_null(a.key);
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "node", "set", "n2"), -EINVAL);
    assert_non_null(strstr(err, "'node set' needs a NODE and KEY=VALUE"));
    assert_int_equal(PARSE(&a, err, "node", "set", "n2", "NodeWeight"), -EINVAL);
    assert_non_null(strstr(err, "expected KEY=VALUE"));
    assert_int_equal(PARSE(&a, err, "node", "get"), -EINVAL);
    assert_int_equal(PARSE(&a, err, "node", "get", "", "NodeWeight"), -EINVAL);
    assert_non_null(strstr(err, "NODE must be a non-empty"));
    /* the split */
    assert_string_equal(cli_split_assignment("Address=10.0.0.5", key, sizeof(key)), "10.0.0.5");
    assert_string_equal(key, "Address");
    assert_string_equal(cli_split_assignment("a==", key, sizeof(key)), "=");
    assert_null(cli_split_assignment("novalue", key, sizeof(key)));
    assert_null(cli_split_assignment("a-key-longer-than-16=1", key, sizeof(key)));
}

static void test_args_node_pause_resume(void **state)
{
    struct cli_args a;
    char err[256] = "";

    (void)state;
    assert_int_equal(PARSE(&a, err, "node", "pause", "n2"), 0);
    assert_int_equal(a.cmd, CLI_CMD_NODE_PAUSE);
    assert_string_equal(a.node, "n2");
    assert_null(a.cluster);
    assert_false(a.json);
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "-c", "n1", "node", "resume", "--json", "n\xC3\xA9"), 0);
    assert_int_equal(a.cmd, CLI_CMD_NODE_RESUME);
    assert_string_equal(a.node, "n\xC3\xA9");
    assert_string_equal(a.cluster, "n1");
    assert_true(a.json);
    cli_args_done(&a);
}

static void test_args_events(void **state)
{
    struct cli_args a;
    char err[256] = "";

    (void)state;
    assert_int_equal(PARSE(&a, err, "events"), 0);
    assert_int_equal(a.cmd, CLI_CMD_EVENTS);
    assert_int_equal(a.interval_ms, 200);
    assert_int_equal(a.count, 0); /* until stopped */
    assert_false(a.json);
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "-c", "clu1", "events", "--interval", "50", "--count=3",
                           "--json"),
                     0);
    assert_int_equal(a.interval_ms, 50);
    assert_int_equal(a.count, 3);
    assert_true(a.json);
    assert_string_equal(a.cluster, "clu1");
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "events", "--interval=10000", "--count", "4294967295"), 0);
    assert_int_equal(a.interval_ms, 10000);
    assert_int_equal(a.count, 4294967295u);
    cli_args_done(&a);
    /* The other commands keep the defaults. */
    assert_int_equal(PARSE(&a, err, "status"), 0);
    assert_int_equal(a.interval_ms, 200);
    assert_int_equal(a.count, 0);
    cli_args_done(&a);
}

static void test_args_rekey(void **state)
{
    struct cli_args a;
    char err[256] = "";

    (void)state;
    assert_int_equal(PARSE(&a, err, "-c", "clu1", "rekey", "--cluster-credential", "--json"), 0);
    assert_int_equal(a.cmd, CLI_CMD_REKEY);
    assert_true(a.cluster_credential);
    assert_string_equal(a.cluster, "clu1");
    cli_args_done(&a);
    /* What to replace must be said; the flag belongs to rekey only; rekey takes no words. */
    assert_int_equal(PARSE(&a, err, "rekey"), -EINVAL);
    assert_non_null(strstr(err, "--cluster-credential"));
    assert_int_equal(PARSE(&a, err, "status", "--cluster-credential"), -EINVAL);
    assert_non_null(strstr(err, "only applies to rekey"));
    assert_int_equal(PARSE(&a, err, "rekey", "--cluster-credential", "n1"), -EINVAL);
}

/* quorum show, quorum set with exactly one of --witness HOST[:PORT] and --no-witness. */
static void test_args_quorum(void **state)
{
    struct cli_args a;
    char err[256] = "";

    (void)state;
    assert_int_equal(PARSE(&a, err, "quorum", "show", "--json"), 0);
    assert_int_equal(a.cmd, CLI_CMD_QUORUM_SHOW);
    assert_true(a.json);
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "quorum", "set", "--witness", "w1:3400"), 0);
    assert_int_equal(a.cmd, CLI_CMD_QUORUM_SET);
    assert_string_equal(a.witness, "w1:3400");
    assert_false(a.no_witness);
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "quorum", "set", "--witness=[fd00::13]:3400"), 0);
    assert_string_equal(a.witness, "[fd00::13]:3400");
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "-c", "n1", "quorum", "set", "--no-witness"), 0);
    assert_null(a.witness);
    assert_true(a.no_witness);
    cli_args_done(&a);
    /* usage errors: neither, both, a bad HOST[:PORT], an option of another command */
    assert_int_equal(PARSE(&a, err, "quorum", "set"), -EINVAL);
    assert_non_null(strstr(err, "--no-witness"));
    assert_int_equal(PARSE(&a, err, "quorum", "set", "--no-witness", "--witness", "w1"), -EINVAL);
    assert_int_equal(PARSE(&a, err, "quorum", "set", "--witness", "w1:0"), -EINVAL);
    assert_non_null(strstr(err, "bad --witness 'w1:0'"));
    assert_int_equal(PARSE(&a, err, "quorum", "set", "--witness", "bad_host"), -EINVAL);
    assert_int_equal(PARSE(&a, err, "quorum", "show", "--no-witness"), -EINVAL);
    assert_non_null(strstr(err, "only applies to quorum set"));
    assert_int_equal(PARSE(&a, err, "quorum", "show", "extra"), -EINVAL);
    assert_int_equal(PARSE(&a, err, "quorum"), -EINVAL);
    assert_non_null(strstr(err, "'show' or 'set'"));
}

/* destroy asks on a terminal, refuses without one, and --yes skips both. */
static void test_args_confirm(void **state)
{
    struct cli_args a;
    char err[256] = "";

    (void)state;
    assert_int_equal(PARSE(&a, err, "destroy"), 0);
    assert_int_equal(cli_args_confirm(&a, true, err, sizeof(err)), 1);
    err[0] = '\0';
    assert_int_equal(cli_args_confirm(&a, false, err, sizeof(err)), -EINVAL);
    assert_int_equal(cli_exit_for_parse(-EINVAL), CLI_EXIT_USAGE);
    assert_non_null(strstr(err, "--yes"));
    assert_non_null(strstr(err, "terminal"));
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "destroy", "--yes"), 0);
    assert_int_equal(cli_args_confirm(&a, true, err, sizeof(err)), 0);
    assert_int_equal(cli_args_confirm(&a, false, err, sizeof(err)), 0);
    cli_args_done(&a);
    /* Nothing else ever asks. */
    assert_int_equal(PARSE(&a, err, "evict", "n2"), 0);
    assert_int_equal(cli_args_confirm(&a, false, err, sizeof(err)), 0);
    cli_args_done(&a);

    assert_true(cli_answer_is_yes("y\n"));
    assert_true(cli_answer_is_yes("Y"));
    assert_true(cli_answer_is_yes("  yes \r\n"));
    assert_true(cli_answer_is_yes("YeS\n"));
    assert_false(cli_answer_is_yes("\n"));
    assert_false(cli_answer_is_yes(""));
    assert_false(cli_answer_is_yes("n\n"));
    assert_false(cli_answer_is_yes("yess\n"));
    assert_false(cli_answer_is_yes("y y\n"));
    assert_false(cli_answer_is_yes("ja\n"));
}

/* Each of these command lines is a usage error: exit code 2 and a reason. */
/* 256 characters: one more than a group name may have. */
#define LONG_GROUP                                                                                 \
    "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg"     \
    "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg"     \
    "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg"

static void test_args_usage_errors(void **state)
{
    const struct {
        int argc;
        char *const *argv;
        const char *reason; /* a part of the message */
    } cases[] = {
        {ARGC("create"), ARGV("create"), "NAME"},
        {ARGC("create", "clu1"), ARGV("create", "clu1"), "--node"},
        {ARGC("create", "clu1", "--node"), ARGV("create", "clu1", "--node"), "needs a value"},
        {ARGC("create", "clu1", "--node", ""), ARGV("create", "clu1", "--node", ""), "node"},
        {ARGC("create", "clu1", "--node", "n1", "--node", "N1"),
         ARGV("create", "clu1", "--node", "n1", "--node", "N1"), "twice"},
        {ARGC("create", "c", "--node", "n1", "--ip", "10.0.0.5"),
         ARGV("create", "c", "--node", "n1", "--ip", "10.0.0.5"), "ADDR/PREFIX"},
        {ARGC("create", "c", "--node", "n1", "--ip", "10.0.0.5/33"),
         ARGV("create", "c", "--node", "n1", "--ip", "10.0.0.5/33"), "ADDR/PREFIX"},
        {ARGC("create", "c", "--node", "n1", "--ip", "10.0.0.5/0"),
         ARGV("create", "c", "--node", "n1", "--ip", "10.0.0.5/0"), "prefix"},
        {ARGC("create", "c", "--node", "n1", "--ip", "host/24"),
         ARGV("create", "c", "--node", "n1", "--ip", "host/24"), "ADDR/PREFIX"},
        {ARGC("create", "c", "--node", "n1", "--ip", "10.0.0.5/24", "--empty"),
         ARGV("create", "c", "--node", "n1", "--ip", "10.0.0.5/24", "--empty"), "--empty"},
        {ARGC("create", "c", "--node", "n1", "--ip", "10.0.0.5/24", "--mgmt", "none"),
         ARGV("create", "c", "--node", "n1", "--ip", "10.0.0.5/24", "--mgmt", "none"), "none"},
        {ARGC("create", "c", "--node", "n1", "--mgmt", "dns"),
         ARGV("create", "c", "--node", "n1", "--mgmt", "dns"), "--ip"},
        {ARGC("create", "c", "--node", "n1", "--mgmt", "cno"),
         ARGV("create", "c", "--node", "n1", "--mgmt", "cno"), "'cno'"},
        {ARGC("create", "c", "--node", "n1", "-c", "x"),
         ARGV("create", "c", "--node", "n1", "-c", "x"), "--cluster"},
        {ARGC("add-node", "n_9"), ARGV("add-node", "n_9"), "bad NODE 'n_9'"},
        {ARGC("group", "create", LONG_GROUP), ARGV("group", "create", LONG_GROUP), "255 bytes"},
        {ARGC("node", "clear", "bad host"), ARGV("node", "clear", "bad host"), "bad NODE"},
        {ARGC("-c", "bad|host", "status"), ARGV("-c", "bad|host", "status"), "bad --cluster"},
        {ARGC("-c", "-n1", "status"), ARGV("-c", "-n1", "status"), "bad --cluster"},
        {ARGC("create", "c", "d", "--node", "n1"), ARGV("create", "c", "d", "--node", "n1"), "'d'"},
        {ARGC("create", "\xFF", "--node", "n1"), ARGV("create", "\xFF", "--node", "n1"), "UTF-8"},
        {ARGC("frob"), ARGV("frob"), "unknown command 'frob'"},
        {ARGC("--json"), ARGV("--json"), "no command"},
        {ARGC("status", "--frob"), ARGV("status", "--frob"), "unknown option '--frob'"},
        {ARGC("status", "-x"), ARGV("status", "-x"), "unknown option '-x'"},
        {ARGC("status", "--json=yes"), ARGV("status", "--json=yes"), "takes no value"},
        {ARGC("status", "--node", "n1"), ARGV("status", "--node", "n1"), "only applies"},
        {ARGC("add-node"), ARGV("add-node"), "'add-node' needs a NODE"},
        {ARGC("add-node", "n3", "n4"), ARGV("add-node", "n3", "n4"), "'n4'"},
        {ARGC("add-node", ""), ARGV("add-node", ""), "NODE"},
        {ARGC("add-node", "\xC3"), ARGV("add-node", "\xC3"), "UTF-8"},
        {ARGC("add-node", "n3", "--yes"), ARGV("add-node", "n3", "--yes"), "only applies to destroy"},
        {ARGC("add-node", "n3", "--node", "n4"), ARGV("add-node", "n3", "--node", "n4"),
         "only applies to create, group online and group move"},
        {ARGC("evict"), ARGV("evict"), "'evict' needs a NODE"},
        {ARGC("evict", "n2", "--timeout"), ARGV("evict", "n2", "--timeout"), "needs a value"},
        {ARGC("evict", "n2", "--timeout", "ten"), ARGV("evict", "n2", "--timeout", "ten"),
         "milliseconds"},
        {ARGC("evict", "n2", "--timeout", "-5"), ARGV("evict", "n2", "--timeout", "-5"),
         "milliseconds"},
        {ARGC("evict", "n2", "--timeout", ""), ARGV("evict", "n2", "--timeout", ""),
         "milliseconds"},
        {ARGC("evict", "n2", "--timeout=4294967296"), ARGV("evict", "n2", "--timeout=4294967296"),
         "milliseconds"},
        {ARGC("evict", "n2", "--timeout=99999999999999999999"),
         ARGV("evict", "n2", "--timeout=99999999999999999999"), "milliseconds"},
        {ARGC("evict", "n2", "--force"), ARGV("evict", "n2", "--force"), "only applies to node clear"},
        {ARGC("destroy", "clu1"), ARGV("destroy", "clu1"), "unexpected argument 'clu1'"},
        {ARGC("destroy", "--yes=1"), ARGV("destroy", "--yes=1"), "takes no value"},
        {ARGC("destroy", "-y"), ARGV("destroy", "-y"), "unknown option '-y'"},
        {ARGC("status", "--cleanup-ad"), ARGV("status", "--cleanup-ad"), "only applies to destroy"},
        {ARGC("status", "--timeout", "5"), ARGV("status", "--timeout", "5"), "only applies to evict"},
        {ARGC("node", "clear", "n1", "n2"), ARGV("node", "clear", "n1", "n2"), "'n2'"},
        {ARGC("node", "clear", "-c", "n1"), ARGV("node", "clear", "-c", "n1"), "--cluster"},
        {ARGC("node", "frob"), ARGV("node", "frob"),
         "'list', 'clear', 'pause', 'resume', 'set' or 'get'"},
        {ARGC("node", "pause"), ARGV("node", "pause"), "'node pause' needs a NODE"},
        {ARGC("node", "resume"), ARGV("node", "resume"), "'node resume' needs a NODE"},
        {ARGC("node", "pause", "n1", "n2"), ARGV("node", "pause", "n1", "n2"), "'n2'"},
        {ARGC("node", "pause", ""), ARGV("node", "pause", ""), "NODE"},
        {ARGC("node", "resume", "\xFF"), ARGV("node", "resume", "\xFF"), "UTF-8"},
        {ARGC("node", "pause", "n1", "--force"), ARGV("node", "pause", "n1", "--force"),
         "only applies to node clear"},
        {ARGC("node", "resume", "n1", "--count", "1"), ARGV("node", "resume", "n1", "--count", "1"),
         "only applies to events"},
        {ARGC("events", "n1"), ARGV("events", "n1"), "unexpected argument 'n1'"},
        {ARGC("events", "--frob"), ARGV("events", "--frob"), "unknown option '--frob'"},
        {ARGC("events", "-i", "100"), ARGV("events", "-i", "100"), "unknown option '-i'"},
        {ARGC("events", "--interval"), ARGV("events", "--interval"), "needs a value"},
        {ARGC("events", "--interval", "49"), ARGV("events", "--interval", "49"),
         "bad --interval '49': expected milliseconds from 50 to 10000"},
        {ARGC("events", "--interval=10001"), ARGV("events", "--interval=10001"), "--interval"},
        {ARGC("events", "--interval", "0"), ARGV("events", "--interval", "0"), "--interval"},
        {ARGC("events", "--interval", "200ms"), ARGV("events", "--interval", "200ms"),
         "--interval"},
        {ARGC("events", "--interval", ""), ARGV("events", "--interval", ""), "--interval"},
        {ARGC("events", "--interval", "99999999999999999999"),
         ARGV("events", "--interval", "99999999999999999999"), "--interval"},
        {ARGC("events", "--count", "0"), ARGV("events", "--count", "0"),
         "bad --count '0': expected a number of changes, at least 1"},
        {ARGC("events", "--count=-1"), ARGV("events", "--count=-1"), "--count"},
        {ARGC("events", "--count", "4294967296"), ARGV("events", "--count", "4294967296"),
         "--count"},
        {ARGC("events", "--count"), ARGV("events", "--count"), "needs a value"},
        {ARGC("status", "--interval", "100"), ARGV("status", "--interval", "100"),
         "only applies to events"},
        {ARGC("group", "list", "--count", "3"), ARGV("group", "list", "--count", "3"),
         "only applies to events"},
        {ARGC("events", "--timeout", "5"), ARGV("events", "--timeout", "5"),
         "only applies to evict"},
        {ARGC("events", "--node", "n1"), ARGV("events", "--node", "n1"), "only applies"},
        {ARGC("group", "online"), ARGV("group", "online"), "'group online' needs a GROUP"},
        {ARGC("group", "offline"), ARGV("group", "offline"), "'group offline' needs a GROUP"},
        {ARGC("group", "move"), ARGV("group", "move"), "'group move' needs a GROUP"},
        {ARGC("group", "create"), ARGV("group", "create"), "'group create' needs a GROUP"},
        {ARGC("property", "set", "SameSubnetDelay"), ARGV("property", "set", "SameSubnetDelay"),
         "'property set' needs a property NAME and a VALUE"},
        {ARGC("property", "list", "x"), ARGV("property", "list", "x"), "'x'"},
        {ARGC("group", "delete", "a", "b"), ARGV("group", "delete", "a", "b"), "'b'"},
        {ARGC("group", "create", "g1", "--node", "n1"), ARGV("group", "create", "g1", "--node", "n1"),
         "only applies"},
        {ARGC("group", "offline", "g1", "--node", "n1"), ARGV("group", "offline", "g1", "--node", "n1"),
         "only applies"},
        {ARGC("group", "online", "g1", "--node", "n1", "--node", "n2"),
         ARGV("group", "online", "g1", "--node", "n1", "--node", "n2"), "one --node"},
        {ARGC("group", "move", "g1", "--node", ""), ARGV("group", "move", "g1", "--node", ""),
         "non-empty"},
        {ARGC("group", "online", ""), ARGV("group", "online", ""), "GROUP"},
        {ARGC("group", "list", "g1"), ARGV("group", "list", "g1"), "'g1'"},
        {ARGC("group", "online", "g1", "--force"), ARGV("group", "online", "g1", "--force"),
         "only applies to node clear"},
        {ARGC("status", "extra"), ARGV("status", "extra"), "'extra'"},
        {ARGC("node"), ARGV("node"), "'list'"},
        {ARGC("group", "show"), ARGV("group", "show"), "'list'"},
        {ARGC("group", "show"), ARGV("group", "show"),
         "unknown subcommand 'group show': expected 'list', 'online', 'offline', 'move', 'create', 'delete', 'set' or 'get'"},
        {ARGC("group"), ARGV("group"), "'group' needs a subcommand"},
        {ARGC("keygen"), ARGV("keygen"), "FILE"},
        {ARGC("keygen", "/tmp/k", "-c", "x"), ARGV("keygen", "/tmp/k", "-c", "x"), "keygen"},
        {ARGC("status", "-c"), ARGV("status", "-c"), "needs a value"},
        {ARGC("rekey"), ARGV("rekey"), "--new-key FILE (step 1) or --retire-old (step 2)"},
        {ARGC("rekey", "--new-key", "k", "--retire-old"),
         ARGV("rekey", "--new-key", "k", "--retire-old"), "one of --new-key"},
        {ARGC("rekey", "--new-key", ""), ARGV("rekey", "--new-key", ""), "non-empty FILE"},
        {ARGC("rekey", "--new-key"), ARGV("rekey", "--new-key"), "needs a value"},
        {ARGC("rekey", "k"), ARGV("rekey", "k"), "'k'"},
        {ARGC("status", "--retire-old"), ARGV("status", "--retire-old"), "only applies to rekey"},
        {ARGC("keygen", "f", "--new-key", "k"), ARGV("keygen", "f", "--new-key", "k"),
         "only applies to rekey"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cli_args a = {.cmd = 99};
        char err[256] = "";
        int rv = cli_args_parse(cases[i].argc, cases[i].argv, &a, err, sizeof(err));

        assert_int_equal(cli_exit_for_parse(rv), CLI_EXIT_USAGE);
        assert_non_null(strstr(err, cases[i].reason));
        assert_int_equal(a.cmd, 99); /* untouched on failure */
    }
}

/* ------------------------------------------------------------------------------------------ */
/* CREATE_CLUSTER_CONFIG                                                                       */
/* ------------------------------------------------------------------------------------------ */

static int u16eq(PCWSTR a, const char16_t *b)
{
    while (*a != 0 && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static void test_create_config(void **state)
{
    struct cli_args a;
    struct cli_create c;
    char err[256];

    (void)state;
    assert_int_equal(PARSE(&a, err, "create", "clu1", "--node", "n1", "--node", "n\xC3\xA9", "--ip",
                           "10.0.0.50/24"),
                     0);
    assert_int_equal(cli_create_build(&a, &c), 0);
    assert_int_equal(c.cfg.dwVersion, CLUSAPI_VERSION_GA);
    assert_true(u16eq(c.cfg.lpszClusterName, u"clu1"));
    assert_int_equal(c.cfg.cNodes, 2);
    assert_true(u16eq(c.cfg.ppszNodeNames[0], u"n1"));
    assert_true(u16eq(c.cfg.ppszNodeNames[1], u"n\u00e9"));
    assert_int_equal(c.cfg.cIpEntries, 1);
    assert_true(u16eq(c.cfg.pIpEntries[0].lpszIpAddress, u"10.0.0.50"));
    assert_int_equal(c.cfg.pIpEntries[0].dwPrefixLength, 24);
    assert_false(c.cfg.fEmptyCluster);
    assert_int_equal(c.cfg.managementPointType, CLUSTER_MGMT_POINT_TYPE_DNS_ONLY);
    assert_int_equal(c.cfg.managementPointResType, CLUSTER_MGMT_POINT_RESTYPE_AUTO);
    assert_null(c.cfg.pszUserName);
    cli_create_done(&c);
    cli_args_done(&a);

    assert_int_equal(PARSE(&a, err, "create", "clu1", "--node", "n1", "--empty"), 0);
    assert_int_equal(cli_create_build(&a, &c), 0);
    assert_true(c.cfg.fEmptyCluster);
    assert_int_equal(c.cfg.cIpEntries, 0);
    assert_null(c.cfg.pIpEntries);
    assert_int_equal(c.cfg.managementPointType, CLUSTER_MGMT_POINT_TYPE_NONE);
    cli_create_done(&c);
    cli_args_done(&a);

    /* No address: NONE, whether or not --mgmt none is said. */
    assert_int_equal(PARSE(&a, err, "create", "clu1", "--node", "n1"), 0);
    assert_int_equal(cli_create_build(&a, &c), 0);
    assert_false(c.cfg.fEmptyCluster);
    assert_int_equal(c.cfg.managementPointType, CLUSTER_MGMT_POINT_TYPE_NONE);
    cli_create_done(&c);
    cli_args_done(&a);
    assert_int_equal(PARSE(&a, err, "create", "clu1", "--node", "n1", "--mgmt", "none"), 0);
    assert_int_equal(cli_create_build(&a, &c), 0);
    assert_int_equal(c.cfg.managementPointType, CLUSTER_MGMT_POINT_TYPE_NONE);
    cli_create_done(&c);
    cli_create_done(NULL);
    cli_args_done(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_args_create),
        cmocka_unit_test(test_args_other_commands),
        cmocka_unit_test(test_args_membership),
        cmocka_unit_test(test_args_group),
        cmocka_unit_test(test_args_resource),
        cmocka_unit_test(test_args_node_pause_resume),
        cmocka_unit_test(test_args_events),
        cmocka_unit_test(test_args_rekey),
        cmocka_unit_test(test_args_quorum),
        cmocka_unit_test(test_args_confirm),
        cmocka_unit_test(test_args_usage_errors),
        cmocka_unit_test(test_create_config),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
