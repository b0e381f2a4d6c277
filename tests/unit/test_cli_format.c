/*
 * Unit tests for clusctl's output: names (cli_text.c), text, tables, progress events, the live
 * display, error lines and exit codes (cli_format.c). Arguments are in test_cli_args.c, snapshots
 * and their changes in test_cli_watch.c.
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

#include <clusapi.h>

#include "cli/cli_args.h"
#include "cli/cli_format.h"
#include "cli/cli_text.h"
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
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
