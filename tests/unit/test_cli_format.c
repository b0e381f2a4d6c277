/*
 * Unit tests for clusctl's pure parts: src/cli/cli_text.c, cli_format.c, cli_args.c and
 * cli_watch.c.
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
#include "cli/cli_text.h"
#include "cli/cli_watch.h"
#include "common/win32_error.h"

/* ------------------------------------------------------------------------------------------ */
/* Names                                                                                       */
/* ------------------------------------------------------------------------------------------ */

/* Every CLUSTER_SETUP_PHASE of REFERENCE §2.1. */
static const struct {
    uint32_t value;
    const char *name;
} ref_phases[] = {
    {1, "Initialize"},
    {100, "ValidateNodeState"},
    {102, "ValidateNetft"},
    {103, "ValidateClusDisk"},
    {104, "ConfigureClusSvc"},
    {105, "StartingClusSvc"},
    {106, "QueryClusterNameAccount"},
    {107, "ValidateClusterNameAccount"},
    {108, "CreateClusterAccount"},
    {109, "ConfigureClusterAccount"},
    {200, "FormingCluster"},
    {201, "AddClusterProperties"},
    {202, "CreateResourceTypes"},
    {203, "CreateGroups"},
    {204, "CreateIPAddressResources"},
    {205, "CreateNetworkName"},
    {206, "ClusterGroupOnline"},
    {300, "GettingCurrentMembership"},
    {301, "AddNodeToCluster"},
    {302, "NodeUp"},
    {303, "ApplyNetworkATCIntents"},
    {400, "MoveGroup"},
    {401, "DeleteGroup"},
    {402, "CleanupCOs"},
    {403, "OfflineGroup"},
    {404, "EvictNode"},
    {405, "CleanupNode"},
    {406, "CoreGroupCleanup"},
    {500, "RepairCNOAccount"},
    {501, "RepairDNSPermissions"},
    {999, "FailureCleanup"},
};

static void test_phase_names(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(ref_phases) / sizeof(ref_phases[0]); i++) {
        const char *title = cli_phase_title(ref_phases[i].value);

        assert_non_null(cli_phase_name(ref_phases[i].value));
        assert_string_equal(cli_phase_name(ref_phases[i].value), ref_phases[i].name);
        assert_non_null(title);
        assert_true(strlen(title) > 0 && strlen(title) <= 28);
    }
    assert_string_equal(cli_phase_title(100), "Validate node state");
    /* 101 is unassigned; 0 and 998 never existed. */
    assert_null(cli_phase_name(101));
    assert_null(cli_phase_title(101));
    assert_null(cli_phase_name(0));
    assert_null(cli_phase_name(998));
}

static void test_type_severity_state_names(void **state)
{
    (void)state;
    assert_string_equal(cli_phase_type_name(1), "Start");
    assert_string_equal(cli_phase_type_name(2), "Continue");
    assert_string_equal(cli_phase_type_name(3), "End");
    assert_string_equal(cli_phase_type_name(4), "Report");
    assert_string_equal(cli_phase_type_name(0), "Unknown");
    assert_string_equal(cli_phase_type_name(5), "Unknown");
    assert_string_equal(cli_severity_name(1), "Informational");
    assert_string_equal(cli_severity_name(2), "Warning");
    assert_string_equal(cli_severity_name(3), "Fatal");
    assert_string_equal(cli_severity_name(0), "Unknown");
    assert_string_equal(cli_severity_name(0xFFFFFFFFu), "Unknown");

    assert_string_equal(cli_node_state_name(ClusterNodeUp), "Up");
    assert_string_equal(cli_node_state_name(ClusterNodeJoining), "Joining");
    assert_string_equal(cli_node_state_name(-1), "Unknown");
    assert_string_equal(cli_node_state_name(4), "Unknown");
    assert_string_equal(cli_group_state_name(ClusterGroupPartialOnline), "PartialOnline");
    assert_string_equal(cli_group_state_name(ClusterGroupPending), "Pending");
    assert_string_equal(cli_group_state_name(-1), "Unknown");
    assert_string_equal(cli_resource_state_name(ClusterResourceOnline), "Online");
    assert_string_equal(cli_resource_state_name(ClusterResourceFailed), "Failed");
    assert_string_equal(cli_resource_state_name(ClusterResourcePending), "Pending");
    assert_string_equal(cli_resource_state_name(ClusterResourceOfflinePending), "OfflinePending");
    assert_string_equal(cli_resource_state_name(5), "Unknown");
    assert_string_equal(cli_resource_state_name(131), "Unknown");
    assert_string_equal(cli_resource_state_name(-1), "Unknown");
}

static void test_status_names(void **state)
{
    char buf[64];

    (void)state;
    assert_string_equal(cli_status_name(0, buf, sizeof(buf)), "ERROR_SUCCESS");
    assert_string_equal(cli_status_name(5057, buf, sizeof(buf)), "ERROR_CLUSTER_IPADDR_IN_USE");
    assert_string_equal(cli_status_name(0x800713BBu, buf, sizeof(buf)),
                        "HRESULT_FROM_WIN32(ERROR_CLUSTER_NODE_UNREACHABLE)");
    assert_string_equal(cli_status_name(0x80040154u, buf, sizeof(buf)), "0x80040154");
    assert_string_equal(cli_status_name(64999, buf, sizeof(buf)), "WIN32_ERROR_64999");
}

/* ------------------------------------------------------------------------------------------ */
/* Text                                                                                        */
/* ------------------------------------------------------------------------------------------ */

/* cli_json_string(in) must give exactly out. */
static void check_json(const char *in, const char *out)
{
    struct cli_buf b = {0};

    assert_int_equal(cli_json_string(&b, in), 0);
    assert_string_equal(cli_buf_str(&b), out);
    cli_buf_done(&b);
}

static void test_json_escaping(void **state)
{
    (void)state;
    check_json(NULL, "null");
    check_json("", "\"\"");
    check_json("n1", "\"n1\"");
    check_json("say \"hi\"", "\"say \\\"hi\\\"\"");
    check_json("C:\\dir\\", "\"C:\\\\dir\\\\\"");
    check_json("a\nb\tc\rd\be\ff", "\"a\\nb\\tc\\rd\\be\\ff\"");
    check_json("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
    check_json("/</>", "\"/</>\"");
    /* Well-formed UTF-8 passes through: é, €, U+1F600. */
    check_json("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80",
               "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"");
    /* Malformed: a stray byte, a truncated sequence, an overlong '/', an encoded surrogate. */
    check_json("a\xFF"
               "b",
               "\"a\\ufffdb\"");
    check_json("x\xC3", "\"x\\ufffd\"");
    check_json("\xC0\xAF", "\"\\ufffd\\ufffd\"");
    check_json("\xED\xA0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
}

static void test_buf_growth(void **state)
{
    struct cli_buf b = {0};
    char big[1000];

    (void)state;
    assert_string_equal(cli_buf_str(&b), "");
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(cli_buf_printf(&b, "%s-%d", big, 42), 0);
    assert_int_equal(b.len, 999 + 3);
    assert_string_equal(cli_buf_str(&b) + 999, "-42");
    cli_buf_reset(&b);
    assert_string_equal(cli_buf_str(&b), "");
    assert_int_equal(cli_buf_add(&b, "abc", 2), 0);
    assert_string_equal(cli_buf_str(&b), "ab");
    cli_buf_done(&b);
    cli_buf_done(NULL);
}

static void test_utf16_lossy(void **state)
{
    static const char16_t good[] = {'n', 0xE9, 0xD83D, 0xDE00, 0};
    static const char16_t lone_high[] = {'a', 0xD800, 'b', 0};
    static const char16_t lone_low[] = {0xDC00, 0};
    static const char16_t long_name[] = {'a', 'b', 'c', 'd', 0};
    char *s = (char *)&s;

    (void)state;
    assert_int_equal(cli_utf16_to_utf8_lossy(NULL, 10, &s), 0);
    assert_null(s);
    assert_int_equal(cli_utf16_to_utf8_lossy(good, 10, &s), 0);
    assert_string_equal(s, "n\xC3\xA9\xF0\x9F\x98\x80");
    free(s);
    assert_int_equal(cli_utf16_to_utf8_lossy(lone_high, 10, &s), 0);
    assert_string_equal(s, "a\xEF\xBF\xBD"
                           "b");
    free(s);
    assert_int_equal(cli_utf16_to_utf8_lossy(lone_low, 10, &s), 0);
    assert_string_equal(s, "\xEF\xBF\xBD");
    free(s);
    /* Reading stops at max_units. */
    assert_int_equal(cli_utf16_to_utf8_lossy(long_name, 2, &s), 0);
    assert_string_equal(s, "ab");
    free(s);
}

static void test_utf8_width(void **state)
{
    (void)state;
    assert_int_equal(cli_utf8_width(""), 0);
    assert_int_equal(cli_utf8_width("abc"), 3);
    assert_int_equal(cli_utf8_width("n\xC3\xA9\xE2\x82\xAC"), 3);
    assert_int_equal(cli_utf8_prefix("abcdef", 3), 3);
    assert_int_equal(cli_utf8_prefix("ab", 5), 2);
    /* Never splits é (2 bytes). */
    assert_int_equal(cli_utf8_prefix("a\xC3\xA9z", 2), 3);
    assert_int_equal(cli_utf8_prefix("a\xC3\xA9z", 1), 1);
}

static void test_table(void **state)
{
    static const char *const headers[] = {"NAME", "STATE", "OWNER"};
    static const char *const row1[] = {"Cluster Group", "Online", "n1"};
    static const char *const row2[] = {"caf\xC3\xA9", "Failed", NULL};
    struct cli_table t;
    struct cli_buf b = {0};

    (void)state;
    assert_int_equal(cli_table_init(&t, 0, headers), -EINVAL);
    cli_table_done(&t);
    assert_int_equal(cli_table_init(&t, 3, headers), 0);
    assert_int_equal(cli_table_add(&t, row1), 0);
    assert_int_equal(cli_table_add(&t, row2), 0);
    assert_int_equal(cli_table_render(&t, "  ", &b), 0);
    assert_string_equal(cli_buf_str(&b), "  NAME           STATE   OWNER\n"
                                         "  Cluster Group  Online  n1\n"
                                         "  caf\xC3\xA9           Failed  -\n");
    cli_table_done(&t);
    cli_table_done(NULL);
    cli_buf_done(&b);
}

/* ------------------------------------------------------------------------------------------ */
/* Progress events                                                                             */
/* ------------------------------------------------------------------------------------------ */

static void check_plain(const struct cli_event *ev, const char *out)
{
    struct cli_buf b = {0};

    assert_int_equal(cli_format_plain(&b, ev), 0);
    assert_string_equal(cli_buf_str(&b), out);
    cli_buf_done(&b);
}

static void test_plain_line(void **state)
{
    struct cli_event ev = {100, ClusterSetupPhaseContinue, ClusterSetupPhaseInformational, 21, "n2",
                           0};

    (void)state;
    check_plain(&ev, "phase=100 ValidateNodeState type=Continue severity=Informational "
                     "percent=21 object=n2 status=0\n");
    ev = (struct cli_event){203, ClusterSetupPhaseStart, ClusterSetupPhaseInformational,
                            60,  "Cluster Group",        0};
    check_plain(&ev, "phase=203 CreateGroups type=Start severity=Informational percent=60 "
                     "object=\"Cluster Group\" status=0\n");
    ev = (struct cli_event){102, ClusterSetupPhaseEnd, ClusterSetupPhaseFatal, 40, NULL, 5057};
    check_plain(&ev, "phase=102 ValidateNetft type=End severity=Fatal percent=40 object=\"\" "
                     "status=5057 status_name=ERROR_CLUSTER_IPADDR_IN_USE\n");
    ev = (struct cli_event){100,    ClusterSetupPhaseEnd, ClusterSetupPhaseWarning, 30,
                            "a\"b", 0x800713BBu};
    check_plain(&ev, "phase=100 ValidateNodeState type=End severity=Warning percent=30 "
                     "object=\"a\\\"b\" status=0x800713BB "
                     "status_name=HRESULT_FROM_WIN32(ERROR_CLUSTER_NODE_UNREACHABLE)\n");
    ev = (struct cli_event){101, 7, 0, 0, "x", 0};
    check_plain(&ev, "phase=101 Unknown type=Unknown severity=Unknown percent=0 object=x "
                     "status=0\n");
}

static void test_json_event(void **state)
{
    struct cli_event ev = {100, ClusterSetupPhaseContinue, ClusterSetupPhaseInformational, 21, "n2",
                           0};
    struct cli_buf b = {0};

    (void)state;
    assert_int_equal(cli_format_json_event(&b, &ev), 0);
    assert_string_equal(cli_buf_str(&b),
                        "{\"event\":\"progress\",\"phase\":100,\"phase_name\":"
                        "\"ValidateNodeState\",\"type\":\"Continue\",\"severity\":"
                        "\"Informational\",\"percent\":21,\"object\":\"n2\",\"status\":0,"
                        "\"status_name\":\"ERROR_SUCCESS\"}\n");
    cli_buf_reset(&b);
    ev = (struct cli_event){101, ClusterSetupPhaseReport, ClusterSetupPhaseWarning, 5, NULL, 5057};
    assert_int_equal(cli_format_json_event(&b, &ev), 0);
    assert_string_equal(cli_buf_str(&b),
                        "{\"event\":\"progress\",\"phase\":101,\"phase_name\":null,\"type\":"
                        "\"Report\",\"severity\":\"Warning\",\"percent\":5,\"object\":null,"
                        "\"status\":5057,\"status_name\":\"ERROR_CLUSTER_IPADDR_IN_USE\"}\n");
    cli_buf_done(&b);
}

static void test_json_result(void **state)
{
    struct cli_buf b = {0};

    (void)state;
    assert_int_equal(cli_format_json_result(&b, 0, NULL, "cluster", "clu1"), 0);
    assert_string_equal(cli_buf_str(&b),
                        "{\"event\":\"result\",\"ok\":true,\"status\":0,\"status_name\":"
                        "\"ERROR_SUCCESS\",\"message\":\"The operation completed "
                        "successfully.\",\"cluster\":\"clu1\"}\n");
    cli_buf_reset(&b);
    assert_int_equal(cli_format_json_result(&b, 1223, "cancelled by \"user\"", "node", NULL), 0);
    assert_non_null(strstr(cli_buf_str(&b), "{\"event\":\"result\",\"ok\":false,\"status\":1223,"
                                            "\"status_name\":\"ERROR_CANCELLED\","));
    assert_non_null(strstr(cli_buf_str(&b), ",\"detail\":\"cancelled by \\\"user\\\"\"}\n"));
    assert_null(strstr(cli_buf_str(&b), "node"));
    /* The key/value pair is escaped like any other string. */
    cli_buf_reset(&b);
    assert_int_equal(cli_format_json_result(&b, 5896, NULL, "node", "n\"2"), 0);
    assert_non_null(strstr(cli_buf_str(&b), "\"ok\":false,\"status\":5896,"));
    assert_non_null(strstr(cli_buf_str(&b), "\"ERROR_CLUSTER_EVICT_WITHOUT_CLEANUP\""));
    assert_non_null(strstr(cli_buf_str(&b), ",\"node\":\"n\\\"2\"}\n"));
    assert_null(strstr(cli_buf_str(&b), "detail"));
    cli_buf_done(&b);
}

/* ------------------------------------------------------------------------------------------ */
/* Live display                                                                                */
/* ------------------------------------------------------------------------------------------ */

static const char *live(struct cli_live *lv, struct cli_buf *b, uint32_t phase, uint32_t type,
                        uint32_t severity, uint32_t percent, const char *object, uint32_t status)
{
    struct cli_event ev = {phase, type, severity, percent, object, status};

    cli_buf_reset(b);
    assert_int_equal(cli_live_event(lv, &ev, b), 0);
    return cli_buf_str(b);
}

static void test_live_display(void **state)
{
    struct cli_live lv;
    struct cli_buf b = {0};
    const char *s;

    (void)state;
    cli_live_init(&lv, 200);
    /* Start: the running line, no newline, nothing to clear yet. */
    s = live(&lv, &b, 100, 1, 1, 10, "n1", 0);
    assert_string_equal(s, "[ 10%] Validate node state          n1               running");
    /* Continue: redrawn in place with the next object. */
    s = live(&lv, &b, 100, 2, 1, 15, "n2", 0);
    assert_string_equal(s, "\r\033[K[ 15%] Validate node state          n2               running");
    /* A warning is printed once, then the running line comes back. */
    s = live(&lv, &b, 100, 2, 2, 18, "n3", 5051);
    assert_string_equal(s, "\r\033[K[ 18%] Validate node state          n3               "
                           "warning ERROR_CLUSTER_NODE_UNREACHABLE\n"
                           "[ 18%] Validate node state          n2               running");
    /* End without an object: the finished line keeps the last object, and the line is closed. */
    s = live(&lv, &b, 100, 3, 1, 21, NULL, 0);
    assert_string_equal(s, "\r\033[K[ 21%] Validate node state          n2               ok\n");
    assert_false(lv.open);
    /* A failed phase. */
    live(&lv, &b, 102, 1, 1, 25, "n1", 0);
    s = live(&lv, &b, 102, 3, 3, 25, "n1", 5057);
    assert_string_equal(s, "\r\033[K[ 25%] Validate network             n1               "
                           "FAILED ERROR_CLUSTER_IPADDR_IN_USE\n");
    /* Percent never goes back on screen. */
    s = live(&lv, &b, 999, 1, 1, 3, "Cluster Group", 0);
    assert_non_null(strstr(s, "[ 25%] Roll back"));
    cli_buf_reset(&b);
    assert_int_equal(cli_live_finish(&lv, &b), 0);
    assert_string_equal(cli_buf_str(&b), "\r\033[K");
    cli_buf_reset(&b);
    assert_int_equal(cli_live_finish(&lv, &b), 0);
    assert_string_equal(cli_buf_str(&b), "");
    cli_buf_done(&b);
}

static void test_live_cut_to_width(void **state)
{
    struct cli_live lv;
    struct cli_buf b = {0};
    const char *s;

    (void)state;
    cli_live_init(&lv, 20);
    s = live(&lv, &b, 204, 1, 1, 50, "Cluster IP Address 10.0.0.50", 0);
    assert_string_equal(s, "[ 50%] Create IP ad");
    /* A report is a finished line: never cut. */
    s = live(&lv, &b, 1, 4, 2, 50, "CNO became DNS_ONLY", 0);
    assert_non_null(strstr(s, "Initialize                   CNO became DNS_ONLY warning\n"));
    cli_buf_done(&b);
}

/* ------------------------------------------------------------------------------------------ */
/* Errors and exit codes                                                                       */
/* ------------------------------------------------------------------------------------------ */

static void test_error_line(void **state)
{
    struct cli_buf b = {0};

    (void)state;
    assert_int_equal(
        cli_format_error(&b, "create failed", 5057, "node n1: 10.1.0.100 already answers on eth0"),
        0);
    assert_string_equal(cli_buf_str(&b),
                        "create failed: ERROR_CLUSTER_IPADDR_IN_USE (5057): The cluster IP "
                        "address is already in use. (node n1: 10.1.0.100 already answers on "
                        "eth0)");
    cli_buf_reset(&b);
    /* An empty detail adds nothing. */
    assert_int_equal(cli_format_error(&b, "x", 1223, ""), 0);
    assert_int_equal(strncmp(cli_buf_str(&b), "x: ERROR_CANCELLED (1223): ", 27), 0);
    assert_string_equal(cli_buf_str(&b) + 27, win32_error_text(1223));
    cli_buf_reset(&b);
    assert_int_equal(cli_format_error(&b, "y", 0x800713BBu, NULL), 0);
    assert_true(
        strncmp(cli_buf_str(&b),
                "y: HRESULT_FROM_WIN32(ERROR_CLUSTER_NODE_UNREACHABLE) (0x800713BB): ", 68) == 0);
    cli_buf_done(&b);
}

static void test_exit_codes(void **state)
{
    (void)state;
    assert_int_equal(cli_exit_for_status(0), CLI_EXIT_OK);
    assert_int_equal(cli_exit_for_status(1223), CLI_EXIT_CANCELLED);
    assert_int_equal(cli_exit_for_status(5), CLI_EXIT_UNREACHABLE);
    assert_int_equal(cli_exit_for_status(5051), CLI_EXIT_UNREACHABLE);
    assert_int_equal(cli_exit_for_status(0x800713BBu), CLI_EXIT_UNREACHABLE);
    assert_int_equal(cli_exit_for_status(1460), CLI_EXIT_UNREACHABLE);
    assert_int_equal(cli_exit_for_status(5057), CLI_EXIT_FAILED);
    assert_int_equal(cli_exit_for_status(87), CLI_EXIT_FAILED);
    assert_int_equal(cli_exit_for_parse(0), CLI_EXIT_OK);
    assert_int_equal(cli_exit_for_parse(-EINVAL), CLI_EXIT_USAGE);
    assert_int_equal(cli_exit_for_parse(-ENOMEM), CLI_EXIT_FAILED);
}

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
        {ARGC("node", "frob"), ARGV("node", "frob"), "'list', 'clear', 'pause' or 'resume'"},
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
         "unknown subcommand 'group show': expected 'list', 'online', 'offline', 'move', 'create' or 'delete'"},
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

/* ------------------------------------------------------------------------------------------ */
/* Snapshots and changes (events)                                                              */
/* ------------------------------------------------------------------------------------------ */

#define T0 1795646401123LL /* 2026-11-25T22:40:01.123Z */

static void add(struct cli_snapshot *s, enum cli_kind k, const char *name, int state,
                const char *owner, const char *group)
{
    assert_int_equal(cli_snapshot_add(s, k, name, state, owner, group), 0);
}

/* A three-node cluster with the core group on n1 and one resource in it. */
static void base(struct cli_snapshot *s)
{
    *s = (struct cli_snapshot){.time_ms = T0};
    add(s, CLI_KIND_NODE, "n3", ClusterNodeUp, NULL, NULL);
    add(s, CLI_KIND_NODE, "n1", ClusterNodeUp, NULL, NULL);
    add(s, CLI_KIND_NODE, "n2", ClusterNodeUp, NULL, NULL);
    add(s, CLI_KIND_GROUP, "Cluster Group", ClusterGroupOnline, "n1", NULL);
    add(s, CLI_KIND_RESOURCE, "ip", ClusterResourceOnline, "n1", "Cluster Group");
    cli_snapshot_sort(s);
}

/* The object of kind k named name in s, to change it in place. */
static struct cli_obj *find(struct cli_snapshot *s, enum cli_kind k, const char *name)
{
    for (size_t i = 0; i < s->of[k].n; i++)
        if (strcmp(s->of[k].v[i].name, name) == 0)
            return &s->of[k].v[i];
    fail_msg("no %s", name);
    return NULL;
}

static void set_owner(struct cli_obj *o, const char *owner)
{
    free(o->owner);
    o->owner = owner ? strdup(owner) : NULL;
}

static void test_snapshot_build(void **state)
{
    struct cli_snapshot s = {0};

    (void)state;
    base(&s);
    assert_int_equal(s.of[CLI_KIND_NODE].n, 3);
    assert_string_equal(s.of[CLI_KIND_NODE].v[0].name, "n1"); /* sorted */
    assert_string_equal(s.of[CLI_KIND_NODE].v[2].name, "n3");
    assert_null(s.of[CLI_KIND_NODE].v[0].owner);
    assert_string_equal(s.of[CLI_KIND_RESOURCE].v[0].group, "Cluster Group");
    assert_int_equal(cli_snapshot_add(&s, CLI_KIND_NODE, NULL, 0, NULL, NULL), -EINVAL);
    assert_int_equal(cli_snapshot_add(&s, (enum cli_kind)3, "x", 0, NULL, NULL), -EINVAL);
    assert_int_equal(s.of[CLI_KIND_NODE].n, 3);
    /* Many objects: the arrays grow. */
    for (int i = 0; i < 100; i++) {
        char name[16];

        snprintf(name, sizeof(name), "g%03d", 99 - i);
        add(&s, CLI_KIND_GROUP, name, ClusterGroupOffline, NULL, NULL);
    }
    cli_snapshot_sort(&s);
    assert_int_equal(s.of[CLI_KIND_GROUP].n, 101);
    assert_string_equal(s.of[CLI_KIND_GROUP].v[0].name, "Cluster Group");
    assert_string_equal(s.of[CLI_KIND_GROUP].v[1].name, "g000");
    assert_string_equal(s.of[CLI_KIND_GROUP].v[100].name, "g099");
    cli_snapshot_done(&s);
    assert_int_equal(s.of[CLI_KIND_GROUP].n, 0);
    cli_snapshot_done(&s);
    cli_snapshot_done(NULL);
}

static void test_diff_no_change(void **state)
{
    struct cli_snapshot a, b, empty = {0};
    struct cli_change *c = (struct cli_change *)&c;

    (void)state;
    base(&a);
    base(&b);
    b.time_ms = T0 + 200;
    assert_int_equal(cli_snapshot_diff(&a, &b, &c), 0);
    assert_null(c);
    c = (struct cli_change *)&c;
    assert_int_equal(cli_snapshot_diff(&empty, &empty, &c), 0);
    assert_null(c);
    cli_snapshot_done(&a);
    cli_snapshot_done(&b);
}

static void test_diff_node_state(void **state)
{
    struct cli_snapshot a, b;
    struct cli_change *c = NULL;

    (void)state;
    base(&a);
    base(&b);
    find(&b, CLI_KIND_NODE, "n2")->state = ClusterNodePaused;
    assert_int_equal(cli_snapshot_diff(&a, &b, &c), 1);
    assert_int_equal(c[0].kind, CLI_KIND_NODE);
    assert_string_equal(c[0].was->name, "n2");
    assert_int_equal(c[0].was->state, ClusterNodeUp);
    assert_ptr_equal(c[0].now, find(&b, CLI_KIND_NODE, "n2"));
    free(c);
    /* And back, in the other direction. */
    assert_int_equal(cli_snapshot_diff(&b, &a, &c), 1);
    assert_int_equal(c[0].now->state, ClusterNodeUp);
    free(c);
    cli_snapshot_done(&a);
    cli_snapshot_done(&b);
}

/* The group moves, the resource with it, and n1 is paused: nodes first, then groups, then
 * resources. */
static void test_diff_group_moves(void **state)
{
    struct cli_snapshot a, b;
    struct cli_change *c = NULL;

    (void)state;
    base(&a);
    base(&b);
    set_owner(find(&b, CLI_KIND_GROUP, "Cluster Group"), "n2");
    set_owner(find(&b, CLI_KIND_RESOURCE, "ip"), "n2");
    find(&b, CLI_KIND_NODE, "n1")->state = ClusterNodePaused;
    assert_int_equal(cli_snapshot_diff(&a, &b, &c), 3);
    assert_int_equal(c[0].kind, CLI_KIND_NODE);
    assert_int_equal(c[1].kind, CLI_KIND_GROUP);
    assert_string_equal(c[1].was->owner, "n1");
    assert_string_equal(c[1].now->owner, "n2");
    assert_int_equal(c[1].was->state, c[1].now->state); /* an owner-only change */
    assert_int_equal(c[2].kind, CLI_KIND_RESOURCE);
    assert_string_equal(c[2].now->owner, "n2");
    free(c);
    cli_snapshot_done(&a);
    cli_snapshot_done(&b);
}

/* Owner from a node to none and back; a resource that changes group only. */
static void test_diff_owner_and_group_only(void **state)
{
    struct cli_snapshot a, b;
    struct cli_change *c = NULL;
    struct cli_obj *r;

    (void)state;
    base(&a);
    base(&b);
    set_owner(find(&b, CLI_KIND_GROUP, "Cluster Group"), NULL);
    assert_int_equal(cli_snapshot_diff(&a, &b, &c), 1);
    assert_null(c[0].now->owner);
    free(c);
    assert_int_equal(cli_snapshot_diff(&b, &a, &c), 1);
    assert_null(c[0].was->owner);
    free(c);
    cli_snapshot_done(&b);
    base(&b);
    r = find(&b, CLI_KIND_RESOURCE, "ip");
    free(r->group);
    r->group = strdup("web");
    assert_int_equal(cli_snapshot_diff(&a, &b, &c), 1);
    assert_int_equal(c[0].kind, CLI_KIND_RESOURCE);
    assert_string_equal(c[0].now->group, "web");
    free(c);
    cli_snapshot_done(&a);
    cli_snapshot_done(&b);
}

/* Objects that appear and disappear, of each kind, at the ends and in the middle of the lists. */
static void test_diff_appear_disappear(void **state)
{
    struct cli_snapshot a, b, empty = {0};
    struct cli_change *c = NULL;

    (void)state;
    base(&a);
    base(&b);
    add(&b, CLI_KIND_NODE, "n0", ClusterNodeJoining, NULL, NULL);
    add(&b, CLI_KIND_NODE, "n4", ClusterNodeJoining, NULL, NULL);
    add(&b, CLI_KIND_GROUP, "web", ClusterGroupOffline, "n3", NULL);
    add(&b, CLI_KIND_RESOURCE, "disk", ClusterResourceOffline, "n3", "web");
    cli_snapshot_sort(&b);
    assert_int_equal(cli_snapshot_diff(&a, &b, &c), 4);
    for (int i = 0; i < 4; i++)
        assert_null(c[i].was);
    assert_string_equal(c[0].now->name, "n0");
    assert_string_equal(c[1].now->name, "n4");
    assert_string_equal(c[2].now->name, "web");
    assert_int_equal(c[2].kind, CLI_KIND_GROUP);
    assert_string_equal(c[3].now->name, "disk");
    assert_int_equal(c[3].kind, CLI_KIND_RESOURCE);
    free(c);
    assert_int_equal(cli_snapshot_diff(&b, &a, &c), 4);
    for (int i = 0; i < 4; i++)
        assert_null(c[i].now);
    assert_string_equal(c[0].was->name, "n0");
    assert_string_equal(c[3].was->name, "disk");
    free(c);
    /* n2 gone and n2b new in one step: two changes, not a rename. */
    cli_snapshot_done(&b);
    b = (struct cli_snapshot){0};
    add(&b, CLI_KIND_NODE, "n1", ClusterNodeUp, NULL, NULL);
    add(&b, CLI_KIND_NODE, "n2b", ClusterNodeUp, NULL, NULL);
    add(&b, CLI_KIND_NODE, "n3", ClusterNodeUp, NULL, NULL);
    add(&b, CLI_KIND_GROUP, "Cluster Group", ClusterGroupOnline, "n1", NULL);
    add(&b, CLI_KIND_RESOURCE, "ip", ClusterResourceOnline, "n1", "Cluster Group");
    cli_snapshot_sort(&b);
    assert_int_equal(cli_snapshot_diff(&a, &b, &c), 2);
    assert_string_equal(c[0].was->name, "n2");
    assert_null(c[0].now);
    assert_string_equal(c[1].now->name, "n2b");
    assert_null(c[1].was);
    free(c);
    /* Everything from nothing, and back to nothing. */
    assert_int_equal(cli_snapshot_diff(&empty, &a, &c), 5);
    free(c);
    assert_int_equal(cli_snapshot_diff(&a, &empty, &c), 5);
    assert_null(c[4].now);
    assert_int_equal(c[4].kind, CLI_KIND_RESOURCE);
    free(c);
    cli_snapshot_done(&a);
    cli_snapshot_done(&b);
}

static void test_format_time(void **state)
{
    struct cli_buf b = {0};

    (void)state;
    assert_int_equal(cli_format_time(&b, T0), 0);
    assert_string_equal(cli_buf_str(&b), "2026-11-25T22:40:01.123Z");
    cli_buf_reset(&b);
    assert_int_equal(cli_format_time(&b, 0), 0);
    assert_string_equal(cli_buf_str(&b), "1970-01-01T00:00:00.000Z");
    cli_buf_reset(&b);
    assert_int_equal(cli_format_time(&b, 951782400007LL), 0);
    assert_string_equal(cli_buf_str(&b), "2000-02-29T00:00:00.007Z");
    cli_buf_reset(&b);
    assert_int_equal(cli_format_time(&b, -1), 0);
    assert_string_equal(cli_buf_str(&b), "1969-12-31T23:59:59.999Z");
    cli_buf_done(&b);
}

static void test_format_name(void **state)
{
    struct cli_buf b = {0};

    (void)state;
    assert_int_equal(cli_format_name(&b, "n2"), 0);
    assert_int_equal(cli_format_name(&b, " "), 0);
    assert_int_equal(cli_format_name(&b, "Cluster Group"), 0);
    assert_int_equal(cli_format_name(&b, ""), 0);
    assert_int_equal(cli_format_name(&b, "a\"b"), 0);
    assert_int_equal(cli_format_name(&b, "n\xC3\xA9"), 0);
    assert_string_equal(cli_buf_str(&b), "n2\" \"\"Cluster Group\"\"\"\"a\\\"b\"n\xC3\xA9");
    cli_buf_done(&b);
}

/* Formats change i of the diff between a and b as text (json false) or JSON. */
static void expect_change(const struct cli_snapshot *a, const struct cli_snapshot *b, int n,
                          int i, bool json, const char *want)
{
    struct cli_change *c = NULL;
    struct cli_buf out = {0};

    assert_int_equal(cli_snapshot_diff(a, b, &c), n);
    if (json)
        assert_int_equal(cli_format_json_change(&out, b->time_ms, &c[i]), 0);
    else
        assert_int_equal(cli_format_change(&out, b->time_ms, &c[i]), 0);
    assert_string_equal(cli_buf_str(&out), want);
    free(c);
    cli_buf_done(&out);
}

static void test_format_change_text(void **state)
{
    struct cli_snapshot a, b, empty = {.time_ms = T0};

    (void)state;
    base(&a);
    base(&b);
    set_owner(find(&b, CLI_KIND_GROUP, "Cluster Group"), "n2");
    find(&b, CLI_KIND_NODE, "n1")->state = ClusterNodePaused;
    expect_change(&a, &b, 2, 0, false, "2026-11-25T22:40:01.123Z node n1 Paused (was Up)\n");
    expect_change(&a, &b, 2, 1, false,
                  "2026-11-25T22:40:01.123Z group \"Cluster Group\" Online on n2 "
                  "(was Online on n1)\n");
    set_owner(find(&b, CLI_KIND_GROUP, "Cluster Group"), NULL);
    find(&b, CLI_KIND_GROUP, "Cluster Group")->state = ClusterGroupOffline;
    expect_change(&a, &b, 2, 1, false,
                  "2026-11-25T22:40:01.123Z group \"Cluster Group\" Offline (was Online on n1)\n");
    find(&b, CLI_KIND_NODE, "n1")->state = -1;
    expect_change(&a, &b, 2, 0, false, "2026-11-25T22:40:01.123Z node n1 Unknown (was Up)\n");
    /* New and gone; a resource shows its group then. */
    expect_change(&empty, &a, 5, 4, false,
                  "2026-11-25T22:40:01.123Z resource ip Online on n1 in \"Cluster Group\" "
                  "(new)\n");
    expect_change(&empty, &a, 5, 0, false, "2026-11-25T22:40:01.123Z node n1 Up (new)\n");
    expect_change(&a, &empty, 5, 3, false,
                  "2026-11-25T22:40:01.123Z group \"Cluster Group\" gone (was Online on n1)\n");
    expect_change(&a, &empty, 5, 4, false,
                  "2026-11-25T22:40:01.123Z resource ip gone (was Online on n1 in \"Cluster "
                  "Group\")\n");
    /* A resource's group shows only when it changed. */
    cli_snapshot_done(&b);
    base(&b);
    find(&b, CLI_KIND_RESOURCE, "ip")->state = ClusterResourceOfflinePending;
    expect_change(&a, &b, 1, 0, false,
                  "2026-11-25T22:40:01.123Z resource ip OfflinePending on n1 (was Online on n1)\n");
    free(find(&b, CLI_KIND_RESOURCE, "ip")->group);
    find(&b, CLI_KIND_RESOURCE, "ip")->group = strdup("web");
    expect_change(&a, &b, 1, 0, false,
                  "2026-11-25T22:40:01.123Z resource ip OfflinePending on n1 in web "
                  "(was Online on n1 in \"Cluster Group\")\n");
    cli_snapshot_done(&a);
    cli_snapshot_done(&b);
}

static void test_format_change_json(void **state)
{
    struct cli_snapshot a, b, empty = {.time_ms = T0};

    (void)state;
    base(&a);
    base(&b);
    set_owner(find(&b, CLI_KIND_GROUP, "Cluster Group"), "n2");
    find(&b, CLI_KIND_NODE, "n1")->state = ClusterNodePaused;
    expect_change(&a, &b, 2, 0, true,
                  "{\"event\":\"change\",\"time\":\"2026-11-25T22:40:01.123Z\",\"kind\":\"node\","
                  "\"change\":\"changed\",\"name\":\"n1\",\"state\":\"Paused\","
                  "\"was_state\":\"Up\"}\n");
    expect_change(&a, &b, 2, 1, true,
                  "{\"event\":\"change\",\"time\":\"2026-11-25T22:40:01.123Z\",\"kind\":\"group\","
                  "\"change\":\"changed\",\"name\":\"Cluster Group\",\"state\":\"Online\","
                  "\"owner\":\"n2\",\"was_state\":\"Online\",\"was_owner\":\"n1\"}\n");
    expect_change(&empty, &a, 5, 4, true,
                  "{\"event\":\"change\",\"time\":\"2026-11-25T22:40:01.123Z\","
                  "\"kind\":\"resource\",\"change\":\"appeared\",\"name\":\"ip\","
                  "\"state\":\"Online\",\"owner\":\"n1\",\"group\":\"Cluster Group\","
                  "\"was_state\":null,\"was_owner\":null,\"was_group\":null}\n");
    expect_change(&a, &empty, 5, 3, true,
                  "{\"event\":\"change\",\"time\":\"2026-11-25T22:40:01.123Z\",\"kind\":\"group\","
                  "\"change\":\"gone\",\"name\":\"Cluster Group\",\"state\":null,\"owner\":null,"
                  "\"was_state\":\"Online\",\"was_owner\":\"n1\"}\n");
    cli_snapshot_done(&a);
    cli_snapshot_done(&b);
}

static void test_format_snapshot_json(void **state)
{
    struct cli_snapshot a, empty = {.time_ms = 0};
    struct cli_buf out = {0};

    (void)state;
    base(&a);
    set_owner(find(&a, CLI_KIND_GROUP, "Cluster Group"), NULL);
    assert_int_equal(cli_format_json_snapshot(&out, &a), 0);
    assert_string_equal(cli_buf_str(&out),
                        "{\"event\":\"snapshot\",\"time\":\"2026-11-25T22:40:01.123Z\","
                        "\"nodes\":[{\"name\":\"n1\",\"state\":\"Up\"},{\"name\":\"n2\","
                        "\"state\":\"Up\"},{\"name\":\"n3\",\"state\":\"Up\"}],"
                        "\"groups\":[{\"name\":\"Cluster Group\",\"state\":\"Online\","
                        "\"owner\":null}],\"resources\":[{\"name\":\"ip\",\"state\":\"Online\","
                        "\"owner\":\"n1\",\"group\":\"Cluster Group\"}]}\n");
    cli_buf_reset(&out);
    assert_int_equal(cli_format_json_snapshot(&out, &empty), 0);
    assert_string_equal(cli_buf_str(&out),
                        "{\"event\":\"snapshot\",\"time\":\"1970-01-01T00:00:00.000Z\","
                        "\"nodes\":[],\"groups\":[],\"resources\":[]}\n");
    assert_string_equal(cli_kind_name((enum cli_kind)7), "object");
    assert_string_equal(cli_kind_state_name(CLI_KIND_RESOURCE, ClusterResourceFailed), "Failed");
    cli_buf_done(&out);
    cli_snapshot_done(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phase_names),
        cmocka_unit_test(test_type_severity_state_names),
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_json_escaping),
        cmocka_unit_test(test_buf_growth),
        cmocka_unit_test(test_utf16_lossy),
        cmocka_unit_test(test_utf8_width),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_plain_line),
        cmocka_unit_test(test_json_event),
        cmocka_unit_test(test_json_result),
        cmocka_unit_test(test_live_display),
        cmocka_unit_test(test_live_cut_to_width),
        cmocka_unit_test(test_error_line),
        cmocka_unit_test(test_exit_codes),
        cmocka_unit_test(test_args_create),
        cmocka_unit_test(test_args_other_commands),
        cmocka_unit_test(test_args_membership),
        cmocka_unit_test(test_args_group),
        cmocka_unit_test(test_args_node_pause_resume),
        cmocka_unit_test(test_args_events),
        cmocka_unit_test(test_args_rekey),
        cmocka_unit_test(test_args_confirm),
        cmocka_unit_test(test_args_usage_errors),
        cmocka_unit_test(test_create_config),
        cmocka_unit_test(test_snapshot_build),
        cmocka_unit_test(test_diff_no_change),
        cmocka_unit_test(test_diff_node_state),
        cmocka_unit_test(test_diff_group_moves),
        cmocka_unit_test(test_diff_owner_and_group_only),
        cmocka_unit_test(test_diff_appear_disappear),
        cmocka_unit_test(test_format_time),
        cmocka_unit_test(test_format_name),
        cmocka_unit_test(test_format_change_text),
        cmocka_unit_test(test_format_change_json),
        cmocka_unit_test(test_format_snapshot_json),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
