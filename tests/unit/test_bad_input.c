/*
 * The bad-input table: one row per malformed argument of a public call that needs no live
 * cluster (every CREATE_CLUSTER_CONFIG rule, the host-name calls, and every handle call given a
 * NULL handle), each with the Win32 code it must fail with. A TCP listener owned by the test
 * stands in for every node: CLUSAPI_PORT points at it, the configurations name 127.0.0.1, and
 * after each row the listener must not have been connected to. A control row (a valid
 * configuration) shows that the library would reach it. The resource calls (issue 11) are here
 * with NULL handles; their malformed names and property lists need live handles (lab_badinput). Rows that need live handles run against
 * real nodes in tests/lab/scenario_bad_input.sh.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include <clusapi.h>
#include <clusapi_ext.h>

#include "../bad_input.h"

static int listener = -1;
static char keyfile[] = "/tmp/test_bad_input.XXXXXX";

static const WCHAR reversed_pair[] = {u'n', 0xDC00, 0xD800, 0}; /* low before high */

/* ------------------------------------------------------------------------------------------ */
/* The stand-in node                                                                           */
/* ------------------------------------------------------------------------------------------ */

/* How many connections reached the listener since the last call (each is taken and closed). */
static int connections(void)
{
    struct pollfd p = {.fd = listener, .events = POLLIN};
    int n = 0;

    while (poll(&p, 1, 0) == 1) {
        int fd = accept(listener, NULL, NULL);

        if (fd < 0)
            break;
        close(fd);
        n++;
    }
    return n;
}

static int setup(void **state)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(sa);
    char port[16];
    int fd;

    listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener < 0 || bind(listener, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        listen(listener, 16) < 0 || getsockname(listener, (struct sockaddr *)&sa, &len) < 0)
        return -1;
    snprintf(port, sizeof(port), "%u", ntohs(sa.sin_port));
    setenv("CLUSAPI_PORT", port, 1);
    /* A well-formed key, so that a call which got past validation really would connect. */
    fd = mkstemp(keyfile);
    if (fd < 0 || write(fd, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n",
                        65) != 65)
        return -1;
    close(fd);
    setenv("CLUSAPI_AUTHKEY", keyfile, 1);
    bad_strings_init();
    return 0;
}

static int teardown(void **state)
{
    close(listener);
    unlink(keyfile);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* CREATE_CLUSTER_CONFIG rows: a valid configuration, then one thing broken                    */
/* ------------------------------------------------------------------------------------------ */

static PCWSTR nodes[2];
static PCWSTR many_nodes[65];
static CLUSTER_IP_ENTRY ips[2];
static CREATE_CLUSTER_CONFIG cfg;

/* One node (the stand-in), one IPv4 address, DNS_ONLY: valid. */
static void valid_config(void)
{
    nodes[0] = u"127.0.0.1";
    nodes[1] = u"127.0.0.2";
    ips[0] = (CLUSTER_IP_ENTRY){u"10.99.0.100", 24};
    ips[1] = (CLUSTER_IP_ENTRY){u"10.99.0.101", 24};
    cfg = (CREATE_CLUSTER_CONFIG){.dwVersion = CLUSAPI_VERSION_WINDOWSBLUE,
                                  .lpszClusterName = u"c1", .cNodes = 1, .ppszNodeNames = nodes,
                                  .cIpEntries = 1, .pIpEntries = ips,
                                  .managementPointType = CLUSTER_MGMT_POINT_TYPE_DNS_ONLY};
}

struct config_row {
    const char *what;
    void (*breaks)(void);
    DWORD expected;
    bool not_cnoless; /* about IPs or the management point, which CNOless sets itself */
};

static void no_name(void) { cfg.lpszClusterName = NULL; }
static void empty_name(void) { cfg.lpszClusterName = u""; }
static void name_unterminated(void) { cfg.lpszClusterName = unterminated; }
static void name_bad_utf16(void) { cfg.lpszClusterName = bad_utf16; }
static void name_reversed_pair(void) { cfg.lpszClusterName = reversed_pair; }
static void name_netbios_long(void) { cfg.lpszClusterName = u"abcdefghijklmnop"; }
static void name_netbios_char(void) { cfg.lpszClusterName = u"c*1"; }
static void name_digits(void) { cfg.lpszClusterName = u"12345"; }
static void name_reserved(void) { cfg.lpszClusterName = u"SYSTEM"; }
static void name_dns_char(void) { cfg.lpszClusterName = u"c_1"; }
static void name_dns_hyphen(void) { cfg.lpszClusterName = u"-c1"; }
static void name_space(void) { cfg.lpszClusterName = u" c1"; }
static void name_bad_dn(void) { cfg.lpszClusterName = u"CN=,OU=x"; }
static void no_nodes(void) { cfg.cNodes = 0; }
static void no_node_array(void) { cfg.ppszNodeNames = NULL; }
static void node_null(void) { nodes[0] = NULL; }
static void node_empty(void) { nodes[0] = u""; }
static void node_unterminated(void) { nodes[0] = unterminated; }
static void node_bad_utf16(void) { nodes[0] = bad_utf16; }
static void node_dns_char(void) { nodes[0] = u"n_1"; }
static void node_dns_label_long(void)
{
    nodes[0] = u"a123456789012345678901234567890123456789012345678901234567890123.lab";
}
static void node_too_long(void) { nodes[0] = too_long_host; }
static void node_is_cluster(void) { nodes[0] = u"C1"; }
static void node_twice(void)
{
    nodes[1] = nodes[0];
    cfg.cNodes = 2;
}
static void node_twice_case(void)
{
    nodes[0] = u"n1";
    nodes[1] = u"N1";
    cfg.cNodes = 2;
}
static void nodes_65(void)
{
    for (size_t i = 0; i < 65; i++)
        many_nodes[i] = u"127.0.0.1";
    cfg.ppszNodeNames = many_nodes;
    cfg.cNodes = 65;
}
static void nodes_huge(void) { cfg.cNodes = 0xFFFFFFFF; } /* the array holds two */
static void version_old(void) { cfg.dwVersion = 0x500; }
static void version_zero(void) { cfg.dwVersion = 0; }
static void mgmt_type_bad(void) { cfg.managementPointType = 4; }
static void mgmt_restype_bad(void)
{
    cfg.dwVersion = CLUSAPI_VERSION_RS3;
    cfg.managementPointResType = 3;
}
static void credentials_partial(void)
{
    cfg.dwVersion = CLUSAPI_VERSION_GA;
    cfg.pszUserName = u"admin";
}
static void empty_with_ips(void) { cfg.fEmptyCluster = TRUE; }
static void none_with_ips(void) { cfg.managementPointType = CLUSTER_MGMT_POINT_TYPE_NONE; }
static void dns_only_without_ips(void)
{
    cfg.cIpEntries = 0;
    cfg.pIpEntries = NULL;
}
static void ip_array_null(void) { cfg.pIpEntries = NULL; }
static void ip_null(void) { ips[0].lpszIpAddress = NULL; }
static void ip_empty(void) { ips[0].lpszIpAddress = u""; }
static void ip_unterminated(void) { ips[0].lpszIpAddress = unterminated; }
static void ip_bad_utf16(void) { ips[0].lpszIpAddress = bad_utf16; }
static void ip_not_numeric(void) { ips[0].lpszIpAddress = u"cluster.lab"; }
static void ip_v4_short(void) { ips[0].lpszIpAddress = u"10.99.0"; }
static void ip_prefix_zero(void) { ips[0].dwPrefixLength = 0; }
static void ip_prefix_33(void) { ips[0].dwPrefixLength = 33; }
static void ip_prefix_huge(void) { ips[0].dwPrefixLength = 0xFFFFFFFF; }
static void ip_v6_prefix_129(void) { ips[0] = (CLUSTER_IP_ENTRY){u"fd00:99::100", 129}; }
static void ip_v6_link_local(void) { ips[0] = (CLUSTER_IP_ENTRY){u"fe80::100", 64}; }
static void ip_v6_link_local_scoped(void) { ips[0] = (CLUSTER_IP_ENTRY){u"fe80::100%eth0", 64}; }
static void ip_v6_multicast(void) { ips[0] = (CLUSTER_IP_ENTRY){u"ff02::1", 64}; }
static void ip_v6_malformed(void) { ips[0] = (CLUSTER_IP_ENTRY){u"fd00::99::100", 64}; }
static void ip_v4_loopback(void) { ips[0].lpszIpAddress = u"127.0.0.5"; }
static void ip_v4_broadcast(void) { ips[0].lpszIpAddress = u"10.99.0.255"; }
static void ip_twice(void)
{
    ips[1] = ips[0];
    cfg.cIpEntries = 2;
}
static void ips_huge(void) { cfg.cIpEntries = 0xFFFFFFFF; } /* the array holds two */

static const struct config_row config_rows[] = {
    {"cluster name NULL", no_name, ERROR_INVALID_PARAMETER, false},
    {"cluster name empty", empty_name, ERROR_INVALID_PARAMETER, false},
    {"cluster name not terminated", name_unterminated, ERROR_CLUSTER_INVALID_STRING_TERMINATION, false},
    {"cluster name lone surrogate", name_bad_utf16, ERROR_CLUSTER_INVALID_STRING_FORMAT, false},
    {"cluster name reversed surrogates", name_reversed_pair, ERROR_CLUSTER_INVALID_STRING_FORMAT, false},
    {"cluster name 16 characters (NetBIOS)", name_netbios_long,
     ERROR_CLUSTER_INVALID_STRING_FORMAT, false},
    {"cluster name with '*' (NetBIOS)", name_netbios_char, ERROR_CLUSTER_INVALID_STRING_FORMAT, false},
    {"cluster name all digits", name_digits, ERROR_CLUSTER_INVALID_STRING_FORMAT, false},
    {"cluster name reserved word", name_reserved, ERROR_CLUSTER_INVALID_STRING_FORMAT, false},
    {"cluster name with '_' (DNS)", name_dns_char, ERROR_CLUSTER_INVALID_STRING_FORMAT, false},
    {"cluster name leading '-' (DNS)", name_dns_hyphen, ERROR_CLUSTER_INVALID_STRING_FORMAT, false},
    {"cluster name leading space", name_space, ERROR_CLUSTER_INVALID_STRING_FORMAT, false},
    {"cluster name malformed DN", name_bad_dn, ERROR_INVALID_PARAMETER, false},
    {"cNodes 0", no_nodes, ERROR_INVALID_PARAMETER, false},
    {"ppszNodeNames NULL", no_node_array, ERROR_INVALID_PARAMETER, false},
    {"node name NULL", node_null, ERROR_INVALID_PARAMETER, false},
    {"node name empty", node_empty, ERROR_INVALID_PARAMETER, false},
    {"node name not terminated", node_unterminated, ERROR_CLUSTER_INVALID_STRING_TERMINATION, false},
    {"node name lone surrogate", node_bad_utf16, ERROR_CLUSTER_INVALID_STRING_FORMAT, false},
    {"node name with '_' (DNS)", node_dns_char, ERROR_CLUSTER_INVALID_STRING_FORMAT, false},
    {"node name label of 64 (DNS)", node_dns_label_long, ERROR_CLUSTER_INVALID_STRING_FORMAT, false},
    {"node name of 299 characters", node_too_long, ERROR_CLUSTER_INVALID_STRING_FORMAT, false},
    {"node name equals the cluster name", node_is_cluster, ERROR_INVALID_PARAMETER, false},
    {"node named twice", node_twice, ERROR_INVALID_PARAMETER, false},
    {"node named twice, other case", node_twice_case, ERROR_INVALID_PARAMETER, false},
    {"65 nodes", nodes_65, ERROR_CLUSTER_TOO_MANY_NODES, false},
    {"cNodes 0xFFFFFFFF", nodes_huge, ERROR_CLUSTER_TOO_MANY_NODES, false},
    {"dwVersion 0x500", version_old, ERROR_NOT_SUPPORTED, false},
    {"dwVersion 0", version_zero, ERROR_NOT_SUPPORTED, false},
    {"managementPointType 4", mgmt_type_bad, ERROR_INVALID_PARAMETER, true},
    {"managementPointResType 3", mgmt_restype_bad, ERROR_INVALID_PARAMETER, true},
    {"user without password and domain", credentials_partial, ERROR_INVALID_PARAMETER, false},
    {"empty cluster with IPs", empty_with_ips, ERROR_INVALID_PARAMETER, true},
    {"management point NONE with IPs", none_with_ips, ERROR_INVALID_PARAMETER, true},
    {"DNS_ONLY without IPs", dns_only_without_ips, ERROR_INVALID_PARAMETER, true},
    {"cIpEntries 1, pIpEntries NULL", ip_array_null, ERROR_INVALID_PARAMETER, true},
    {"IP address NULL", ip_null, ERROR_INVALID_PARAMETER, true},
    {"IP address empty", ip_empty, ERROR_INVALID_PARAMETER, true},
    {"IP address not terminated", ip_unterminated, ERROR_CLUSTER_INVALID_STRING_TERMINATION, true},
    {"IP address lone surrogate", ip_bad_utf16, ERROR_CLUSTER_INVALID_STRING_FORMAT, true},
    {"IP address a name", ip_not_numeric, ERROR_INVALID_PARAMETER, true},
    {"IPv4 address of three parts", ip_v4_short, ERROR_INVALID_PARAMETER, true},
    {"prefix length 0", ip_prefix_zero, ERROR_INVALID_PARAMETER, true},
    {"IPv4 prefix length 33", ip_prefix_33, ERROR_INVALID_PARAMETER, true},
    {"prefix length 0xFFFFFFFF", ip_prefix_huge, ERROR_INVALID_PARAMETER, true},
    {"IPv6 prefix length 129", ip_v6_prefix_129, ERROR_INVALID_PARAMETER, true},
    {"IPv6 link-local address", ip_v6_link_local, ERROR_INVALID_CLUSTER_IPV6_ADDRESS, true},
    {"IPv6 link-local with zone", ip_v6_link_local_scoped, ERROR_INVALID_CLUSTER_IPV6_ADDRESS, true},
    {"IPv6 multicast address", ip_v6_multicast, ERROR_INVALID_CLUSTER_IPV6_ADDRESS, true},
    {"IPv6 address malformed", ip_v6_malformed, ERROR_INVALID_CLUSTER_IPV6_ADDRESS, true},
    {"IPv4 loopback address", ip_v4_loopback, ERROR_INVALID_PARAMETER, true},
    {"IPv4 broadcast address", ip_v4_broadcast, ERROR_INVALID_PARAMETER, true},
    {"IP address twice", ip_twice, ERROR_INVALID_PARAMETER, true},
    {"cIpEntries 0xFFFFFFFF", ips_huge, ERROR_INVALID_PARAMETER, true},
};

static unsigned callbacks;

static BOOL CLUSAPI_CALL count_cb(PVOID arg, CLUSTER_SETUP_PHASE phase,
                                  CLUSTER_SETUP_PHASE_TYPE type,
                                  CLUSTER_SETUP_PHASE_SEVERITY severity, DWORD percent,
                                  PCWSTR object, DWORD status)
{
    callbacks++;
    return TRUE;
}

/* Runs one create call on the current cfg; the Win32 code it failed with, 0 if it succeeded. */
static DWORD create_with(PCLUSAPI_CREATE_CLUSTER create)
{
    HCLUSTER h = create(&cfg, count_cb, NULL);

    if (h != NULL) {
        CloseCluster(h);
        return 0;
    }
    return GetLastError();
}

/* The valid configuration for CreateClusterCNOless: no IP address. */
static void valid_cnoless_config(void)
{
    valid_config();
    cfg.cIpEntries = 0;
    cfg.pIpEntries = NULL;
}

static void check_config_rows(PCLUSAPI_CREATE_CLUSTER create, const char *fn)
{
    bool cnoless = create == CreateClusterCNOless;

    for (size_t i = 0; i < sizeof(config_rows) / sizeof(config_rows[0]); i++) {
        const struct config_row *r = &config_rows[i];
        DWORD got;
        int contacted;

        if (cnoless && r->not_cnoless)
            continue;
        if (cnoless)
            valid_cnoless_config();
        else
            valid_config();
        r->breaks();
        callbacks = 0;
        got = create_with(create);
        contacted = connections();
        if (got != r->expected || callbacks != 0 || contacted != 0)
            fail_msg("%s: %s: got %u (want %u), %u callbacks, %d connections to the node", fn,
                     r->what, got, r->expected, callbacks, contacted);
        assert_string_not_equal(ClusapiLastErrorText(), "");
    }
}

static void test_create_cluster_rows(void **state)
{
    check_config_rows(CreateCluster, "CreateCluster");
}

static void test_create_cluster_cnoless_rows(void **state)
{
    check_config_rows(CreateClusterCNOless, "CreateClusterCNOless");
    /* Its own rule: no IP address at all. */
    valid_config();
    assert_int_equal(create_with(CreateClusterCNOless), ERROR_INVALID_PARAMETER);
    assert_int_equal(connections(), 0);
}

static void test_create_cluster_null_config(void **state)
{
    assert_null(CreateCluster(NULL, count_cb, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_null(CreateClusterCNOless(NULL, count_cb, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_int_equal(connections(), 0);
}

/* The control: a valid configuration reaches the stand-in, so the rows above could fail. */
static void test_valid_config_reaches_the_node(void **state)
{
    valid_config();
    assert_int_not_equal(create_with(CreateCluster), 0); /* the stand-in speaks no TLS */
    assert_true(connections() > 0);
    valid_cnoless_config();
    assert_int_not_equal(create_with(CreateClusterCNOless), 0);
    assert_true(connections() > 0);
}

/* ------------------------------------------------------------------------------------------ */
/* Calls without a cluster handle, and every handle call with a NULL handle                    */
/* ------------------------------------------------------------------------------------------ */

static DWORD node_state_of(LPCWSTR name)
{
    DWORD st;

    return GetNodeClusterState(name, &st);
}

static DWORD open_unterminated(void) { return gle_if_null(OpenCluster(unterminated)); }
static DWORD open_bad_utf16(void) { return gle_if_null(OpenCluster(bad_utf16)); }
static DWORD open_too_long(void) { return gle_if_null(OpenCluster(too_long_host)); }
static DWORD open_bad_host(void) { return gle_if_null(OpenCluster(u"bad_host")); }
static DWORD open_empty(void) { return gle_if_null(OpenCluster(u"")); }
static DWORD open_ex_access(void) { return gle_if_null(OpenClusterEx(u"127.0.0.1", 0x1, NULL)); }
static DWORD open_ex_unterminated(void)
{
    return gle_if_null(OpenClusterEx(unterminated, GENERIC_READ, NULL));
}
static DWORD state_null_out(void) { return GetNodeClusterState(u"127.0.0.1", NULL); }
static DWORD state_unterminated(void) { return node_state_of(unterminated); }
static DWORD state_bad_utf16(void) { return node_state_of(bad_utf16); }
static DWORD state_too_long(void) { return node_state_of(too_long_host); }
static DWORD state_bad_host(void) { return node_state_of(u"bad|host"); }
static DWORD clear_unterminated(void) { return ClusapiClearNode(unterminated, FALSE); }
static DWORD clear_bad_utf16(void) { return ClusapiClearNode(bad_utf16, FALSE); }
static DWORD clear_bad_host(void) { return ClusapiClearNode(u"bad host", FALSE); }

static DWORD close_cluster(void) { return gle_if_false(CloseCluster(NULL)); }
static DWORD cluster_info(void)
{
    WCHAR buf[16];
    DWORD n = 16;

    return GetClusterInformation(NULL, buf, &n, NULL);
}
static DWORD open_enum(void) { return gle_if_null(ClusterOpenEnum(NULL, CLUSTER_ENUM_NODE)); }
static DWORD enum_count(void)
{
    SetLastError(0);
    return ClusterGetEnumCount(NULL) == 0 ? GetLastError() : 0;
}
static DWORD enum_item(void)
{
    WCHAR buf[16];
    DWORD n = 16, type;

    return ClusterEnum(NULL, 0, &type, buf, &n);
}
static DWORD close_enum(void) { return ClusterCloseEnum(NULL); }
static DWORD open_node(void) { return gle_if_null(OpenClusterNode(NULL, u"n1")); }
static DWORD open_node_ex(void)
{
    return gle_if_null(OpenClusterNodeEx(NULL, u"n1", GENERIC_READ, NULL));
}
static DWORD close_node(void) { return gle_if_false(CloseClusterNode(NULL)); }
static DWORD node_state(void)
{
    return GetClusterNodeState(NULL) == ClusterNodeStateUnknown ? GetLastError() : 0;
}
static DWORD pause_node(void) { return PauseClusterNode(NULL); }
static DWORD resume_node(void) { return ResumeClusterNode(NULL); }
static DWORD evict(void) { return EvictClusterNode(NULL); }
static DWORD evict_ex(void)
{
    HRESULT hr;

    return EvictClusterNodeEx(NULL, 1000, &hr);
}
static DWORD evict_ex2(void)
{
    HRESULT hr;

    return EvictClusterNodeEx2(NULL, 1000, &hr, u"reason");
}
static DWORD open_group(void) { return gle_if_null(OpenClusterGroup(NULL, u"Cluster Group")); }
static DWORD close_group(void) { return gle_if_false(CloseClusterGroup(NULL)); }
static DWORD create_group(void) { return gle_if_null(CreateClusterGroup(NULL, u"g1")); }
static DWORD delete_group(void) { return DeleteClusterGroup(NULL); }
static DWORD group_state(void)
{
    return GetClusterGroupState(NULL, NULL, NULL) == ClusterGroupStateUnknown ? GetLastError()
                                                                              : 0;
}
static DWORD online_group(void) { return OnlineClusterGroup(NULL, NULL); }
static DWORD offline_group(void) { return OfflineClusterGroup(NULL); }
static DWORD move_group(void) { return MoveClusterGroup(NULL, NULL); }
static DWORD group_node_list(void) { return SetClusterGroupNodeList(NULL, 0, NULL); }
static DWORD open_resource(void) { return gle_if_null(OpenClusterResource(NULL, u"r")); }
static DWORD close_resource(void) { return gle_if_false(CloseClusterResource(NULL)); }
static DWORD resource_state(void)
{
    return GetClusterResourceState(NULL, NULL, NULL, NULL, NULL) == ClusterResourceStateUnknown
               ? GetLastError()
               : 0;
}
static DWORD add_node(void) { return gle_if_null(AddClusterNode(NULL, u"127.0.0.1", NULL, NULL)); }
static DWORD add_node_ex(void)
{
    return gle_if_null(AddClusterNodeEx(NULL, u"127.0.0.1", 0, NULL, NULL));
}
static DWORD destroy(void) { return DestroyCluster(NULL, count_cb, NULL, FALSE); }

/* The resource calls of issue 11, each with a NULL handle. */
static DWORD create_resource(void)
{
    return gle_if_null(CreateClusterResource(NULL, u"r", u"Generic Application", 0));
}
static DWORD create_resource_ex(void)
{
    return gle_if_null(ClusapiCreateClusterResourceEx(NULL, u"r", u"Generic Application", 0,
                                                      NULL, 0, TRUE));
}
static DWORD delete_resource(void) { return DeleteClusterResource(NULL); }
static DWORD online_resource(void) { return OnlineClusterResource(NULL); }
static DWORD offline_resource(void) { return OfflineClusterResource(NULL); }
static DWORD fail_resource(void) { return FailClusterResource(NULL); }
static DWORD change_group(void) { return ChangeClusterResourceGroup(NULL, NULL); }
static DWORD add_dependency(void) { return AddClusterResourceDependency(NULL, NULL); }
static DWORD remove_dependency(void) { return RemoveClusterResourceDependency(NULL, NULL); }
static DWORD set_expression(void) { return SetClusterResourceDependencyExpression(NULL, u"[a]"); }
static DWORD get_expression(void)
{
    WCHAR buf[16];
    DWORD n = 16;

    return GetClusterResourceDependencyExpression(NULL, buf, &n);
}
static DWORD add_possible_owner(void) { return AddClusterResourceNode(NULL, NULL); }
static DWORD remove_possible_owner(void) { return RemoveClusterResourceNode(NULL, NULL); }
static DWORD resource_open_enum(void)
{
    return gle_if_null(ClusterResourceOpenEnum(NULL, CLUSTER_RESOURCE_ENUM_DEPENDS));
}
static DWORD resource_enum_count(void)
{
    SetLastError(0);
    return ClusterResourceGetEnumCount(NULL) == 0 ? GetLastError() : 0;
}
static DWORD resource_enum_item(void)
{
    WCHAR buf[16];
    DWORD n = 16, type;

    return ClusterResourceEnum(NULL, 0, &type, buf, &n);
}
static DWORD resource_close_enum(void) { return ClusterResourceCloseEnum(NULL); }
static DWORD group_open_enum(void)
{
    return gle_if_null(ClusterGroupOpenEnum(NULL, CLUSTER_GROUP_ENUM_CONTAINS));
}
static DWORD group_enum_item(void)
{
    WCHAR buf[16];
    DWORD n = 16, type;

    return ClusterGroupEnum(NULL, 0, &type, buf, &n);
}
static DWORD group_close_enum(void) { return ClusterGroupCloseEnum(NULL); }
static DWORD node_open_enum(void)
{
    return gle_if_null(ClusterNodeOpenEnum(NULL, CLUSTER_NODE_ENUM_GROUPS));
}
static DWORD node_enum_item(void)
{
    WCHAR buf[16];
    DWORD n = 16, type;

    return ClusterNodeEnum(NULL, 0, &type, buf, &n);
}
static DWORD node_close_enum(void) { return ClusterNodeCloseEnum(NULL); }
static DWORD network_name(void)
{
    WCHAR buf[16];
    DWORD n = 16;

    return gle_if_false(GetClusterResourceNetworkName(NULL, buf, &n));
}
static DWORD create_type(void)
{
    return CreateClusterResourceType(NULL, u"T", u"T", u"genapp", 5000, 60000);
}
static DWORD delete_type(void) { return DeleteClusterResourceType(NULL, u"T"); }
static DWORD type_open_enum(void)
{
    return gle_if_null(ClusterResourceTypeOpenEnum(NULL, u"IP Address",
                                                   CLUSTER_RESOURCE_TYPE_ENUM_NODES));
}
static DWORD type_enum_item(void)
{
    WCHAR buf[16];
    DWORD n = 16, type;

    return ClusterResourceTypeEnum(NULL, 0, &type, buf, &n);
}
static DWORD type_close_enum(void) { return ClusterResourceTypeCloseEnum(NULL); }
static BYTE control_out[64];
static DWORD control_returned;
static DWORD resource_control(void)
{
    return ClusterResourceControl(NULL, NULL, CLUSCTL_RESOURCE_GET_COMMON_PROPERTIES, NULL, 0,
                                  control_out, sizeof(control_out), &control_returned);
}
static DWORD type_control(void)
{
    return ClusterResourceTypeControl(NULL, u"IP Address", NULL,
                                      CLUSCTL_RESOURCE_TYPE_GET_COMMON_PROPERTIES, NULL, 0,
                                      control_out, sizeof(control_out), &control_returned);
}
static DWORD group_control(void)
{
    return ClusterGroupControl(NULL, NULL, CLUSCTL_GROUP_GET_COMMON_PROPERTIES, NULL, 0,
                               control_out, sizeof(control_out), &control_returned);
}
static DWORD node_control(void)
{
    return ClusterNodeControl(NULL, NULL, CLUSCTL_NODE_GET_COMMON_PROPERTIES, NULL, 0,
                              control_out, sizeof(control_out), &control_returned);
}
static DWORD cluster_control(void)
{
    return ClusterControl(NULL, NULL, CLUSCTL_CLUSTER_GET_COMMON_PROPERTIES, NULL, 0,
                          control_out, sizeof(control_out), &control_returned);
}

static const struct bad_row call_rows[] = {
    {"OpenCluster, name not terminated", open_unterminated,
     ERROR_CLUSTER_INVALID_STRING_TERMINATION},
    {"OpenCluster, lone surrogate", open_bad_utf16, ERROR_CLUSTER_INVALID_STRING_FORMAT},
    {"OpenCluster, name of 299 characters", open_too_long, ERROR_CLUSTER_INVALID_STRING_FORMAT},
    {"OpenCluster, '_' in a host name", open_bad_host, ERROR_CLUSTER_INVALID_STRING_FORMAT},
    {"OpenCluster, empty name", open_empty, ERROR_CLUSTER_INVALID_STRING_FORMAT},
    {"OpenClusterEx, unknown access bit", open_ex_access, ERROR_ACCESS_DENIED},
    {"OpenClusterEx, name not terminated", open_ex_unterminated,
     ERROR_CLUSTER_INVALID_STRING_TERMINATION},
    {"GetNodeClusterState, NULL state", state_null_out, ERROR_INVALID_PARAMETER},
    {"GetNodeClusterState, name not terminated", state_unterminated,
     ERROR_CLUSTER_INVALID_STRING_TERMINATION},
    {"GetNodeClusterState, lone surrogate", state_bad_utf16, ERROR_CLUSTER_INVALID_STRING_FORMAT},
    {"GetNodeClusterState, name of 299", state_too_long, ERROR_CLUSTER_INVALID_STRING_FORMAT},
    {"GetNodeClusterState, '|' in a name", state_bad_host, ERROR_CLUSTER_INVALID_STRING_FORMAT},
    {"ClusapiClearNode, name not terminated", clear_unterminated,
     ERROR_CLUSTER_INVALID_STRING_TERMINATION},
    {"ClusapiClearNode, lone surrogate", clear_bad_utf16, ERROR_CLUSTER_INVALID_STRING_FORMAT},
    {"ClusapiClearNode, space in a name", clear_bad_host, ERROR_CLUSTER_INVALID_STRING_FORMAT},
    {"CloseCluster(NULL)", close_cluster, ERROR_INVALID_HANDLE},
    {"GetClusterInformation(NULL)", cluster_info, ERROR_INVALID_HANDLE},
    {"ClusterOpenEnum(NULL)", open_enum, ERROR_INVALID_HANDLE},
    {"ClusterGetEnumCount(NULL)", enum_count, ERROR_INVALID_HANDLE},
    {"ClusterEnum(NULL)", enum_item, ERROR_INVALID_HANDLE},
    {"ClusterCloseEnum(NULL)", close_enum, ERROR_INVALID_HANDLE},
    {"OpenClusterNode(NULL)", open_node, ERROR_INVALID_HANDLE},
    {"OpenClusterNodeEx(NULL)", open_node_ex, ERROR_INVALID_HANDLE},
    {"CloseClusterNode(NULL)", close_node, ERROR_INVALID_HANDLE},
    {"GetClusterNodeState(NULL)", node_state, ERROR_INVALID_HANDLE},
    {"PauseClusterNode(NULL)", pause_node, ERROR_INVALID_HANDLE},
    {"ResumeClusterNode(NULL)", resume_node, ERROR_INVALID_HANDLE},
    {"EvictClusterNode(NULL)", evict, ERROR_INVALID_HANDLE},
    {"EvictClusterNodeEx(NULL)", evict_ex, ERROR_INVALID_HANDLE},
    {"EvictClusterNodeEx2(NULL)", evict_ex2, ERROR_INVALID_HANDLE},
    {"OpenClusterGroup(NULL)", open_group, ERROR_INVALID_HANDLE},
    {"CloseClusterGroup(NULL)", close_group, ERROR_INVALID_HANDLE},
    {"CreateClusterGroup(NULL)", create_group, ERROR_INVALID_HANDLE},
    {"DeleteClusterGroup(NULL)", delete_group, ERROR_INVALID_HANDLE},
    {"GetClusterGroupState(NULL)", group_state, ERROR_INVALID_HANDLE},
    {"OnlineClusterGroup(NULL)", online_group, ERROR_INVALID_HANDLE},
    {"OfflineClusterGroup(NULL)", offline_group, ERROR_INVALID_HANDLE},
    {"MoveClusterGroup(NULL)", move_group, ERROR_INVALID_HANDLE},
    {"SetClusterGroupNodeList(NULL)", group_node_list, ERROR_INVALID_HANDLE},
    {"OpenClusterResource(NULL)", open_resource, ERROR_INVALID_HANDLE},
    {"CloseClusterResource(NULL)", close_resource, ERROR_INVALID_HANDLE},
    {"GetClusterResourceState(NULL)", resource_state, ERROR_INVALID_HANDLE},
    {"AddClusterNode(NULL)", add_node, ERROR_INVALID_HANDLE},
    {"AddClusterNodeEx(NULL)", add_node_ex, ERROR_INVALID_HANDLE},
    {"DestroyCluster(NULL)", destroy, ERROR_INVALID_HANDLE},
    {"CreateClusterResource(NULL)", create_resource, ERROR_INVALID_HANDLE},
    {"ClusapiCreateClusterResourceEx(NULL)", create_resource_ex, ERROR_INVALID_HANDLE},
    {"DeleteClusterResource(NULL)", delete_resource, ERROR_INVALID_HANDLE},
    {"OnlineClusterResource(NULL)", online_resource, ERROR_INVALID_HANDLE},
    {"OfflineClusterResource(NULL)", offline_resource, ERROR_INVALID_HANDLE},
    {"FailClusterResource(NULL)", fail_resource, ERROR_INVALID_HANDLE},
    {"ChangeClusterResourceGroup(NULL)", change_group, ERROR_INVALID_HANDLE},
    {"AddClusterResourceDependency(NULL)", add_dependency, ERROR_INVALID_HANDLE},
    {"RemoveClusterResourceDependency(NULL)", remove_dependency, ERROR_INVALID_HANDLE},
    {"SetClusterResourceDependencyExpression(NULL)", set_expression, ERROR_INVALID_HANDLE},
    {"GetClusterResourceDependencyExpression(NULL)", get_expression, ERROR_INVALID_HANDLE},
    {"AddClusterResourceNode(NULL)", add_possible_owner, ERROR_INVALID_HANDLE},
    {"RemoveClusterResourceNode(NULL)", remove_possible_owner, ERROR_INVALID_HANDLE},
    {"ClusterResourceOpenEnum(NULL)", resource_open_enum, ERROR_INVALID_HANDLE},
    {"ClusterResourceGetEnumCount(NULL)", resource_enum_count, ERROR_INVALID_HANDLE},
    {"ClusterResourceEnum(NULL)", resource_enum_item, ERROR_INVALID_HANDLE},
    {"ClusterResourceCloseEnum(NULL)", resource_close_enum, ERROR_INVALID_HANDLE},
    {"ClusterGroupOpenEnum(NULL)", group_open_enum, ERROR_INVALID_HANDLE},
    {"ClusterGroupEnum(NULL)", group_enum_item, ERROR_INVALID_HANDLE},
    {"ClusterGroupCloseEnum(NULL)", group_close_enum, ERROR_INVALID_HANDLE},
    {"ClusterNodeOpenEnum(NULL)", node_open_enum, ERROR_INVALID_HANDLE},
    {"ClusterNodeEnum(NULL)", node_enum_item, ERROR_INVALID_HANDLE},
    {"ClusterNodeCloseEnum(NULL)", node_close_enum, ERROR_INVALID_HANDLE},
    {"GetClusterResourceNetworkName(NULL)", network_name, ERROR_INVALID_HANDLE},
    {"CreateClusterResourceType(NULL)", create_type, ERROR_INVALID_HANDLE},
    {"DeleteClusterResourceType(NULL)", delete_type, ERROR_INVALID_HANDLE},
    {"ClusterResourceTypeOpenEnum(NULL)", type_open_enum, ERROR_INVALID_HANDLE},
    {"ClusterResourceTypeEnum(NULL)", type_enum_item, ERROR_INVALID_HANDLE},
    {"ClusterResourceTypeCloseEnum(NULL)", type_close_enum, ERROR_INVALID_HANDLE},
    {"ClusterResourceControl(NULL)", resource_control, ERROR_INVALID_HANDLE},
    {"ClusterResourceTypeControl(NULL)", type_control, ERROR_INVALID_HANDLE},
    {"ClusterGroupControl(NULL)", group_control, ERROR_INVALID_HANDLE},
    {"ClusterNodeControl(NULL)", node_control, ERROR_INVALID_HANDLE},
    {"ClusterControl(NULL)", cluster_control, ERROR_INVALID_HANDLE},
};

static void test_call_rows(void **state)
{
    for (size_t i = 0; i < sizeof(call_rows) / sizeof(call_rows[0]); i++) {
        const struct bad_row *r = &call_rows[i];
        DWORD got, last;
        int contacted;

        SetLastError(0);
        callbacks = 0;
        got = r->call();
        last = GetLastError();
        contacted = connections();
        if (got != r->expected || last != r->expected || callbacks != 0 || contacted != 0)
            fail_msg("%s: got %u, last error %u (want %u), %u callbacks, %d connections to the "
                     "node", r->what, got, last, r->expected, callbacks, contacted);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_config_reaches_the_node),
        cmocka_unit_test(test_create_cluster_null_config),
        cmocka_unit_test(test_create_cluster_rows),
        cmocka_unit_test(test_create_cluster_cnoless_rows),
        cmocka_unit_test(test_call_rows),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
