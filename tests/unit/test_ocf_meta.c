/* The pure parts of the OCF driver: agents' meta-data read into type descriptions (on saved
 * samples of real agents' output), exit statuses read as results, instance names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "common/prop.h"
#include "daemon/rm/rm_ocf.h"
#include "daemon/rm/rm_ocf_meta.h"

/* ocf:heartbeat:Dummy of resource-agents 4.12, as it prints itself. */
static const char dummy_xml[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE resource-agent SYSTEM \"ra-api-1.dtd\">\n"
    "<resource-agent name=\"Dummy\" version=\"1.0\">\n"
    "<version>1.0</version>\n"
    "<longdesc lang=\"en\">\nThis is a Dummy Resource Agent.\n</longdesc>\n"
    "<shortdesc lang=\"en\">Example stateless resource agent</shortdesc>\n"
    "<parameters>\n"
    "<parameter name=\"state\" unique=\"1\">\n"
    "<longdesc lang=\"en\">\nLocation to store the resource state in.\n</longdesc>\n"
    "<shortdesc lang=\"en\">State file</shortdesc>\n"
    "<content type=\"string\" default=\"/run/resource-agents/Dummy-RESOURCE_ID.state\" />\n"
    "</parameter>\n"
    "<parameter name=\"fake\" unique=\"0\">\n"
    "<shortdesc lang=\"en\">Fake attribute that can be changed to cause a reload</shortdesc>\n"
    "<content type=\"string\" default=\"dummy\" />\n"
    "</parameter>\n"
    "</parameters>\n"
    "<actions>\n"
    "<action name=\"start\"        timeout=\"20s\" />\n"
    "<action name=\"stop\"         timeout=\"20s\" />\n"
    "<action name=\"monitor\"      timeout=\"20s\" interval=\"10s\" depth=\"0\" />\n"
    "<action name=\"reload\"       timeout=\"20s\" />\n"
    "<action name=\"meta-data\"    timeout=\"5s\" />\n"
    "<action name=\"validate-all\"   timeout=\"20s\" />\n"
    "</actions>\n"
    "</resource-agent>\n";

/* Shaped after ocf:heartbeat:nginx and ocf:pacemaker:ping: a required parameter, integers with
 * numeric, empty and non-numeric defaults, a shortdesc over two lines, a deeper monitor, role
 * monitors, and no validate-all. */
static const char mixed_xml[] =
    "<?xml version=\"1.0\"?>\n"
    "<resource-agent name=\"mixed\">\n"
    "<parameters>\n"
    "<parameter name=\"configfile\" required=\"1\" unique=\"1\">\n"
    "<shortdesc lang=\"de\">Konfigurationsdatei</shortdesc>\n"
    "<shortdesc lang=\"en\">Configuration\n   file   name</shortdesc>\n"
    "<content type=\"string\"/>\n"
    "</parameter>\n"
    "<parameter name=\"port\"><content type=\"integer\" default=\"8080\"/></parameter>\n"
    "<parameter name=\"backlog\"><content type=\"integer\" default=\"\"/></parameter>\n"
    "<parameter name=\"dampen\"><content type=\"integer\" default=\"5s\"/></parameter>\n"
    "<parameter name=\"huge\"><content type=\"integer\" default=\"4294967296\"/></parameter>\n"
    "<parameter name=\"debug\" required=\"0\"><content type=\"boolean\" default=\"false\"/>"
    "</parameter>\n"
    "<parameter name=\"bad-name\"><content type=\"string\"/></parameter>\n"
    "<parameter><content type=\"string\"/></parameter>\n"
    "<parameter name=\"PORT\"><content type=\"string\"/></parameter>\n"
    "</parameters>\n"
    "<actions>\n"
    "<action name=\"start\" timeout=\"2min\" />\n"
    "<action name=\"stop\" timeout=\"90\" />\n"
    "<action name=\"monitor\" timeout=\"20s\" interval=\"10s\" role=\"Promoted\" />\n"
    "<action name=\"monitor\" timeout=\"30s\" interval=\"15s\" />\n"
    "<action name=\"monitor\" depth=\"10\" timeout=\"100s\" interval=\"120s\" />\n"
    "<action name=\"monitor\" timeout=\"45s\" interval=\"60s\" />\n"
    "</actions>\n"
    "</resource-agent>\n";

static struct ocf_meta *parse_ok(const char *xml)
{
    struct ocf_meta *meta = NULL;

    assert_int_equal(ocf_meta_parse(xml, strlen(xml), &meta), 0);
    assert_non_null(meta);
    assert_non_null(meta->info);
    return meta;
}

static void test_dummy(void **state)
{
    struct ocf_meta *meta = parse_ok(dummy_xml);
    const struct rm_type_info *info = meta->info;

    assert_int_equal(info->n_params, 2);
    assert_string_equal(info->params[0].name, "state");
    assert_int_equal(info->params[0].syntax, PROP_SYNTAX_SZ);
    assert_false(info->params[0].required);
    assert_string_equal(info->params[0].def, "/run/resource-agents/Dummy-RESOURCE_ID.state");
    assert_string_equal(info->params[0].description, "State file");
    assert_string_equal(info->params[1].name, "fake");
    assert_string_equal(info->params[1].def, "dummy");
    assert_int_equal(info->start_ms, 20000);
    assert_int_equal(info->stop_ms, 20000);
    assert_int_equal(info->monitor_ms, 20000);
    assert_int_equal(info->monitor_interval_ms, 10000);
    assert_int_equal(info->validate_ms, 20000);
    assert_true(meta->has_validate);
    assert_int_equal(meta->deep_level, 0);
    ocf_meta_free(meta);
}

static void test_mixed_params(void **state)
{
    struct ocf_meta *meta = parse_ok(mixed_xml);
    const struct rm_type_info *info = meta->info;
    const struct rm_param *p;

    /* bad-name, the nameless one and PORT (port again, in other case) are left out */
    assert_int_equal(info->n_params, 6);
    p = rm_type_param(info, "configfile");
    assert_non_null(p);
    assert_true(p->required);
    assert_null(p->def);
    assert_string_equal(p->description, "Configuration file name");
    p = rm_type_param(info, "port");
    assert_int_equal(p->syntax, PROP_SYNTAX_DWORD);
    assert_string_equal(p->def, "8080");
    p = rm_type_param(info, "backlog");
    assert_int_equal(p->syntax, PROP_SYNTAX_DWORD);
    assert_null(p->def);
    assert_int_equal(rm_type_param(info, "dampen")->syntax, PROP_SYNTAX_SZ);
    assert_string_equal(rm_type_param(info, "dampen")->def, "5s");
    assert_int_equal(rm_type_param(info, "huge")->syntax, PROP_SYNTAX_SZ);
    assert_int_equal(rm_type_param(info, "debug")->syntax, PROP_SYNTAX_SZ);
    assert_null(rm_type_param(info, "bad-name"));
    ocf_meta_free(meta);
}

static void test_mixed_actions(void **state)
{
    struct ocf_meta *meta = parse_ok(mixed_xml);
    const struct rm_type_info *info = meta->info;

    assert_int_equal(info->start_ms, 120000);
    assert_int_equal(info->stop_ms, 90000);
    /* the first plain monitor, not the role's, not the deeper one, not the later one */
    assert_int_equal(info->monitor_ms, 30000);
    assert_int_equal(info->monitor_interval_ms, 15000);
    assert_int_equal(info->validate_ms, 0);
    assert_false(meta->has_validate);
    assert_int_equal(meta->deep_level, 10);
    assert_int_equal(meta->deep_monitor_ms, 100000);
    ocf_meta_free(meta);
}

static void test_minimal(void **state)
{
    static const char xml[] = "<resource-agent name=\"x\"/>";
    struct ocf_meta *meta = parse_ok(xml);

    assert_int_equal(meta->info->n_params, 0);
    assert_null(meta->info->params);
    assert_int_equal(meta->info->start_ms, 0);
    ocf_meta_free(meta);
}

static void test_refused(void **state)
{
    static const char *const bad[] = {
        "",
        "not xml at all",
        "<resource-agent><parameters>",              /* cut short */
        "<?xml version=\"1.0\"?><other-root/>",       /* not an agent's */
        "<resource-agent>&undefined;</resource-agent>",
    };
    struct ocf_meta *meta = (struct ocf_meta *)&meta;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(ocf_meta_parse(bad[i], strlen(bad[i]), &meta), -EBADMSG);
        assert_ptr_equal(meta, (struct ocf_meta *)&meta); /* untouched */
    }
    assert_int_equal(ocf_meta_parse(dummy_xml, OCF_META_MAX_BYTES + 1, &meta), -E2BIG);
}

/* No NUL after the text: the parser reads len bytes only. */
static void test_not_terminated(void **state)
{
    size_t len = strlen(dummy_xml);
    char *copy = malloc(len);
    struct ocf_meta *meta = NULL;

    assert_non_null(copy);
    memcpy(copy, dummy_xml, len);
    assert_int_equal(ocf_meta_parse(copy, len, &meta), 0);
    assert_int_equal(meta->info->n_params, 2);
    ocf_meta_free(meta);
    free(copy);
}

/* External entities are not fetched: the SYSTEM id points at a file that holds a parameter. */
static void test_no_external_entities(void **state)
{
    static const char xml[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE resource-agent [<!ENTITY ext SYSTEM \"file:///etc/hostname\">]>\n"
        "<resource-agent><parameters><parameter name=\"p\"><shortdesc>&ext;</shortdesc>"
        "</parameter></parameters></resource-agent>";
    struct ocf_meta *meta = parse_ok(xml);

    assert_int_equal(meta->info->n_params, 1);
    assert_null(meta->info->params[0].description);
    ocf_meta_free(meta);
}

static void test_copy(void **state)
{
    struct ocf_meta *meta = parse_ok(mixed_xml);
    struct rm_type_info *copy = ocf_type_info_copy(meta->info);

    assert_non_null(copy);
    assert_int_equal(copy->n_params, meta->info->n_params);
    assert_int_equal(copy->start_ms, meta->info->start_ms);
    for (size_t i = 0; i < copy->n_params; i++) {
        assert_string_equal(copy->params[i].name, meta->info->params[i].name);
        assert_ptr_not_equal(copy->params[i].name, meta->info->params[i].name);
        assert_true((char *)copy->params[i].name > (char *)copy);
    }
    ocf_meta_free(meta);
    assert_string_equal(copy->params[0].description, "Configuration file name");
    rm_type_info_free(copy);
}

static void test_durations(void **state)
{
    assert_int_equal(ocf_parse_duration_ms("20s"), 20000);
    assert_int_equal(ocf_parse_duration_ms("20"), 20000);
    assert_int_equal(ocf_parse_duration_ms(" 20 sec "), 20000);
    assert_int_equal(ocf_parse_duration_ms("500ms"), 500);
    assert_int_equal(ocf_parse_duration_ms("500msec"), 500);
    assert_int_equal(ocf_parse_duration_ms("1500us"), 2);
    assert_int_equal(ocf_parse_duration_ms("2min"), 120000);
    assert_int_equal(ocf_parse_duration_ms("2m"), 120000);
    assert_int_equal(ocf_parse_duration_ms("1h"), 3600000);
    assert_int_equal(ocf_parse_duration_ms("1HR"), 3600000);
    assert_int_equal(ocf_parse_duration_ms("0"), 0);
    assert_int_equal(ocf_parse_duration_ms("99999999999999999999s"), UINT32_MAX);
    assert_int_equal(ocf_parse_duration_ms("5000h"), UINT32_MAX);
    assert_int_equal(ocf_parse_duration_ms(NULL), -1);
    assert_int_equal(ocf_parse_duration_ms(""), -1);
    assert_int_equal(ocf_parse_duration_ms("s"), -1);
    assert_int_equal(ocf_parse_duration_ms("-5s"), -1);
    assert_int_equal(ocf_parse_duration_ms("5 parsecs"), -1);
    assert_int_equal(ocf_parse_duration_ms("5s x"), -1);
    assert_int_equal(ocf_parse_duration_ms("PT5S"), -1);
}

static void test_exit_codes(void **state)
{
    static const struct {
        const char *action;
        int status, err;
    } cases[] = {
        {"start", OCF_SUCCESS, 0},
        {"start", OCF_ERR_GENERIC, -EIO},
        {"start", OCF_ERR_ARGS, -EINVAL},
        {"start", OCF_ERR_UNIMPLEMENTED, -EOPNOTSUPP},
        {"start", OCF_ERR_PERM, -EACCES},
        {"start", OCF_ERR_INSTALLED, -ENOENT},
        {"start", OCF_ERR_CONFIGURED, -EINVAL},
        {"start", OCF_NOT_RUNNING, -ESRCH},
        {"monitor", OCF_NOT_RUNNING, -ESRCH},
        {"monitor", OCF_RUNNING_MASTER, -EIO},
        {"monitor", OCF_FAILED_MASTER, -EIO},
        {"stop", OCF_NOT_RUNNING, 0},
        {"stop", OCF_ERR_GENERIC, -EIO},
        {"validate-all", OCF_ERR_UNIMPLEMENTED, 0},
        {"validate-all", OCF_ERR_CONFIGURED, -EINVAL},
        {"monitor", 126, -EACCES},
        {"monitor", 127, -ENOENT},
        {"monitor", 128 + SIGKILL, -EIO},
        {"monitor", 42, -EIO},
        {"monitor", -1, -EIO},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct rm_ocf_result res = rm_ocf_exit(cases[i].action, cases[i].status);

        assert_int_equal(res.err, cases[i].err);
        assert_non_null(res.what);
        assert_int_equal(res.code != NULL, cases[i].status >= 0 && cases[i].status <= 9);
    }
    assert_string_equal(rm_ocf_exit("start", 5).code, "OCF_ERR_INSTALLED");
    assert_string_equal(rm_ocf_exit("monitor", 128 + SIGKILL).what, "killed by a signal");
}

static void test_instance_names(void **state)
{
    char a[RM_OCF_INSTANCE_MAX], b[RM_OCF_INSTANCE_MAX];
    char long_name[200];

    rm_ocf_instance("web-1.a_b", a);
    assert_string_equal(a, "web-1.a_b");
    rm_ocf_instance("Cluster IP Address", a);
    assert_int_equal(strncmp(a, "Cluster_IP_Address-", 19), 0);
    assert_int_equal(strlen(a), 19 + 8);
    rm_ocf_instance("Cluster_IP_Address", b); /* no longer the same as the one with spaces */
    assert_string_not_equal(a, b);
    rm_ocf_instance("a/../b", a);
    assert_null(strchr(a, '/'));
    rm_ocf_instance("", a);
    assert_int_equal(strlen(a), 9);
    memset(long_name, 'x', sizeof(long_name) - 1);
    long_name[sizeof(long_name) - 1] = '\0';
    rm_ocf_instance(long_name, a);
    assert_int_equal(strlen(a), RM_OCF_INSTANCE_MAX - 1);
    long_name[100] = 'y';
    rm_ocf_instance(long_name, b);
    assert_string_not_equal(a, b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dummy),
        cmocka_unit_test(test_mixed_params),
        cmocka_unit_test(test_mixed_actions),
        cmocka_unit_test(test_minimal),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_not_terminated),
        cmocka_unit_test(test_no_external_entities),
        cmocka_unit_test(test_copy),
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_exit_codes),
        cmocka_unit_test(test_instance_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
