/* CREATE_CLUSTER_CONFIG validation: every rule of REFERENCE §3.3 with its exact code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "common/create_config.h"

static PCWSTR nodes3[] = {u"n1", u"n2", u"n3"};
static CLUSTER_IP_ENTRY ip1[] = {{u"10.1.0.100", 24}};

static CREATE_CLUSTER_CONFIG base(void)
{
    CREATE_CLUSTER_CONFIG c;

    memset(&c, 0, sizeof(c));
    c.dwVersion = CLUSAPI_VERSION_WINDOWSBLUE;
    c.lpszClusterName = u"democlus";
    c.cNodes = 3;
    c.ppszNodeNames = nodes3;
    c.cIpEntries = 1;
    c.pIpEntries = ip1;
    c.managementPointType = CLUSTER_MGMT_POINT_TYPE_DNS_ONLY;
    return c;
}

static uint32_t check(const CREATE_CLUSTER_CONFIG *c)
{
    struct create_plan p;
    const char *reason = NULL;
    uint32_t code = create_plan_build(c, &p, &reason);

    if (code == 0)
        create_plan_free(&p);
    else
        assert_non_null(reason);
    return code;
}

static void test_valid_plan(void **state)
{
    CREATE_CLUSTER_CONFIG c = base();
    struct create_plan p;
    const char *reason = NULL;

    assert_int_equal(create_plan_build(&c, &p, &reason), 0);
    assert_string_equal(p.cluster_name, "democlus");
    assert_int_equal(p.n_nodes, 3);
    assert_string_equal(p.nodes[2], "n3");
    assert_int_equal(p.n_ips, 1);
    assert_string_equal(p.ips[0].address, "10.1.0.100");
    assert_int_equal(p.ips[0].prefix, 24);
    assert_false(p.mgmt_downgraded);
    assert_true(create_plan_wants_ips(&p));
    assert_true(create_plan_wants_network_name(&p));
    create_plan_free(&p);
}

static void test_rule1_credentials_together(void **state)
{
    CREATE_CLUSTER_CONFIG c = base();

    c.dwVersion = CLUSAPI_VERSION_GA;
    c.pszUserName = u"admin";
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER);
    c.pszPassword = u"pw";
    c.pszDomain = u"";
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER);
    c.pszDomain = u"corp";
    assert_int_equal(check(&c), 0);
    /* below GA the fields are not read at all */
    c.dwVersion = CLUSAPI_VERSION_WINDOWSBLUE;
    c.pszDomain = NULL;
    assert_int_equal(check(&c), 0);
}

static void test_rule2_version(void **state)
{
    CREATE_CLUSTER_CONFIG c = base();

    c.dwVersion = 0x5FF;
    assert_int_equal(check(&c), ERROR_NOT_SUPPORTED);
    c.dwVersion = 0x6FF; /* masked to 0x600 */
    c.managementPointType = 0;
    assert_int_equal(check(&c), 0);
}

static void test_rule3_names_and_nodes_required(void **state)
{
    CREATE_CLUSTER_CONFIG c = base();

    c.cNodes = 0;
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER);
    c = base();
    c.ppszNodeNames = NULL;
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER);
    c = base();
    c.lpszClusterName = NULL;
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER);
    c.lpszClusterName = u"";
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER);
    c = base(); /* also for an empty cluster */
    c.fEmptyCluster = TRUE;
    c.cIpEntries = 0;
    c.pIpEntries = NULL;
    c.cNodes = 0;
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER);
}

static void test_rule4_empty_cluster_takes_no_ips(void **state)
{
    CREATE_CLUSTER_CONFIG c = base();

    c.fEmptyCluster = TRUE;
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER);
    c.cIpEntries = 0;
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER); /* pIpEntries still set */
    c.pIpEntries = NULL;
    assert_int_equal(check(&c), 0);
}

static void test_rule5_enum_ranges(void **state)
{
    CREATE_CLUSTER_CONFIG c = base();

    c.managementPointType = (CLUSTER_MGMT_POINT_TYPE)4;
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER);
    c = base();
    c.dwVersion = CLUSAPI_VERSION_RS3;
    c.managementPointResType = (CLUSTER_MGMT_POINT_RESTYPE)3;
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER);
    /* below RS3 the restype is not read */
    c.dwVersion = CLUSAPI_VERSION_WINDOWSBLUE;
    assert_int_equal(check(&c), 0);
}

static void test_rule6_ips_fit_the_management_point(void **state)
{
    CREATE_CLUSTER_CONFIG c = base();

    c.cIpEntries = 0;
    c.pIpEntries = NULL;
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER); /* DNS_ONLY + SNN needs IPs */
    c.managementPointType = CLUSTER_MGMT_POINT_TYPE_NONE;
    assert_int_equal(check(&c), 0);
    c = base();
    c.managementPointType = CLUSTER_MGMT_POINT_TYPE_NONE;
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER); /* NONE takes none */
    c = base();
    c.dwVersion = CLUSAPI_VERSION_RS3;
    c.managementPointResType = CLUSTER_MGMT_POINT_RESTYPE_DNN;
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER); /* DNN takes none */
}

static void test_rule8_names(void **state)
{
    CREATE_CLUSTER_CONFIG c = base();
    PCWSTR dup_of_cluster[] = {u"n1", u"DEMOCLUS"};
    PCWSTR twice[] = {u"n1", u"N1"};
    PCWSTR empty[] = {u"n1", u""};
    PCWSTR null_name[] = {u"n1", NULL};
    struct create_plan p;
    const char *reason;

    c.cNodes = 2;
    c.ppszNodeNames = dup_of_cluster;
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER);
    c.ppszNodeNames = twice;
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER);
    c.ppszNodeNames = empty;
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER);
    c.ppszNodeNames = null_name;
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER);
    c = base();
    c.lpszClusterName = u"CN=democlus,OU=Clusters,DC=corp,DC=example";
    assert_int_equal(create_plan_build(&c, &p, &reason), 0);
    assert_string_equal(p.cluster_name, "democlus");
    create_plan_free(&p);
    c.lpszClusterName = u"CN=demo\\";
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER); /* malformed DN */
    c.lpszClusterName = u"bad*name";
    assert_int_equal(check(&c), ERROR_CLUSTER_INVALID_STRING_FORMAT);
    c.lpszClusterName = u"sixteen-chars-xx";
    assert_int_equal(check(&c), ERROR_CLUSTER_INVALID_STRING_FORMAT);
}

static void test_bad_utf16(void **state)
{
    CREATE_CLUSTER_CONFIG c = base();
    static const char16_t lone[] = {u'n', 0xD800, u'1', 0};
    PCWSTR nodes[] = {u"n1", lone};

    c.cNodes = 2;
    c.ppszNodeNames = nodes;
    assert_int_equal(check(&c), ERROR_CLUSTER_INVALID_STRING_FORMAT);
}

static void test_rule9_ip_entries(void **state)
{
    CREATE_CLUSTER_CONFIG c = base();
    CLUSTER_IP_ENTRY e[2];

    c.pIpEntries = e;
    e[0] = (CLUSTER_IP_ENTRY){u"", 24};
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER);
    e[0] = (CLUSTER_IP_ENTRY){NULL, 24};
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER);
    e[0] = (CLUSTER_IP_ENTRY){u"10.1.0.100", 0};
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER);
    e[0] = (CLUSTER_IP_ENTRY){u"10.1.0.100", 33};
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER);
    e[0] = (CLUSTER_IP_ENTRY){u"fe80::5", 64};
    assert_int_equal(check(&c), ERROR_INVALID_CLUSTER_IPV6_ADDRESS);
    e[0] = (CLUSTER_IP_ENTRY){u"10.1.0.0", 24};
    assert_int_equal(check(&c), ERROR_NOT_SUPPORTED); /* DHCP form */
    e[0] = (CLUSTER_IP_ENTRY){u"fd00:1::100", 64};
    assert_int_equal(check(&c), 0);
    c.cIpEntries = 2;
    e[1] = e[0];
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER); /* the same address twice */
    c.pIpEntries = NULL;
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER);
}

static void test_rule10_cno_on_linux(void **state)
{
    CREATE_CLUSTER_CONFIG c = base();
    struct create_plan p;
    const char *reason;

    c.managementPointType = CLUSTER_MGMT_POINT_TYPE_CNO;
    assert_int_equal(create_plan_build(&c, &p, &reason), 0);
    assert_true(p.mgmt_downgraded);
    assert_int_equal(p.mgmt_type, CLUSTER_MGMT_POINT_TYPE_DNS_ONLY);
    create_plan_free(&p);
    c.dwVersion = 0x600; /* old callers: type not read, treated as CNO */
    c.managementPointType = CLUSTER_MGMT_POINT_TYPE_NONE;
    assert_int_equal(create_plan_build(&c, &p, &reason), 0);
    assert_true(p.mgmt_downgraded);
    create_plan_free(&p);
    c = base();
    c.managementPointType = CLUSTER_MGMT_POINT_TYPE_CNO_ONLY;
    assert_int_equal(check(&c), ERROR_INVALID_PARAMETER);
}

static void test_too_many_nodes(void **state)
{
    CREATE_CLUSTER_CONFIG c = base();
    PCWSTR many[CREATE_MAX_NODES + 1];

    for (size_t i = 0; i < CREATE_MAX_NODES + 1; i++)
        many[i] = u"n1";
    c.cNodes = CREATE_MAX_NODES + 1;
    c.ppszNodeNames = many;
    assert_int_equal(check(&c), ERROR_CLUSTER_TOO_MANY_NODES);
}

static void test_null_config(void **state)
{
    struct create_plan p;
    const char *reason;

    assert_int_equal(create_plan_build(NULL, &p, &reason), ERROR_INVALID_PARAMETER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_plan),
        cmocka_unit_test(test_rule1_credentials_together),
        cmocka_unit_test(test_rule2_version),
        cmocka_unit_test(test_rule3_names_and_nodes_required),
        cmocka_unit_test(test_rule4_empty_cluster_takes_no_ips),
        cmocka_unit_test(test_rule5_enum_ranges),
        cmocka_unit_test(test_rule6_ips_fit_the_management_point),
        cmocka_unit_test(test_rule8_names),
        cmocka_unit_test(test_bad_utf16),
        cmocka_unit_test(test_rule9_ip_entries),
        cmocka_unit_test(test_rule10_cno_on_linux),
        cmocka_unit_test(test_too_many_nodes),
        cmocka_unit_test(test_null_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
