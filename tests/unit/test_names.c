/*
 * Unit tests for src/common/names.c.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/names.h"

#define L63                                                                                        \
    "abcdefghij"                                                                                   \
    "abcdefghij"                                                                                   \
    "abcdefghij"                                                                                   \
    "abcdefghij"                                                                                   \
    "abcdefghij"                                                                                   \
    "abcdefghij"                                                                                   \
    "abc"
#define L64 L63 "d"

struct check_case {
    const char *name;
    int rv;
    const char *reason; /* NULL: do not compare */
};

typedef int (*check_fn)(const char *, const char **);

static void run_cases(check_fn fn, const struct check_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *reason = "untouched";
        int rv = fn(cases[i].name, &reason);

        if (rv != cases[i].rv)
            fail_msg("'%s': got %d, want %d (%s)", cases[i].name ? cases[i].name : "(null)", rv,
                     cases[i].rv, reason);
        if (rv == 0)
            assert_string_equal(reason, "untouched");
        else if (cases[i].reason != NULL)
            assert_string_equal(reason, cases[i].reason);
        /* A NULL reason pointer is always allowed. */
        assert_int_equal(fn(cases[i].name, NULL), cases[i].rv);
    }
}

static void test_netbios(void **state)
{
    static const struct check_case cases[] = {
        {"A", 0, NULL},
        {"node1", 0, NULL},
        {"CLUSTER-01", 0, NULL},
        {"ABCDEFGHIJKLMNO", 0, NULL}, /* 15 */
        {"ABCDEFGHIJKLMNOP", -EINVAL, "is longer than 15 characters"},
        {"n.b", 0, NULL},
        {"a b", 0, NULL},
        {"node_1", 0, NULL},
        {"n!@#$%^&()'{}~", 0, NULL},
        {"1a", 0, NULL},
        {"n\xC5\x93ud", 0, NULL}, /* "nœud", 5 bytes */
        {"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
         "a",
         0, NULL}, /* 15 bytes */
        {"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", -EINVAL,
         "is longer than 15 characters"}, /* 8 characters, 16 bytes */
        {NULL, -EINVAL, "is empty"},
        {"", -EINVAL, "is empty"},
        {"a\\b", -EINVAL, "contains '\\'"},
        {"a/b", -EINVAL, "contains '/'"},
        {"a:b", -EINVAL, "contains ':'"},
        {"a*b", -EINVAL, "contains '*'"},
        {"a?b", -EINVAL, "contains '?'"},
        {"a\"b", -EINVAL, "contains '\"'"},
        {"a<b", -EINVAL, "contains '<'"},
        {"a>b", -EINVAL, "contains '>'"},
        {"a|b", -EINVAL, "contains '|'"},
        {"a\tb", -EINVAL, "contains a control character"},
        {"\x01"
         "ab",
         -EINVAL, "contains a control character"},
        {"ab\x1F", -EINVAL, "contains a control character"},
        {"ab\x7F", -EINVAL, "contains a control character"},
        {" a", -EINVAL, "begins or ends with a space"},
        {"a ", -EINVAL, "begins or ends with a space"},
        {"   ", -EINVAL, "begins or ends with a space"},
        {".a", -EINVAL, "begins with '.'"},
        {"12345", -EINVAL, "consists only of digits"},
        {"0", -EINVAL, "consists only of digits"},
        {"123456789012345", -EINVAL, "consists only of digits"},
        {"server", -EINVAL, "is a reserved word"},
        {"Local", -EINVAL, "is a reserved word"},
        {"NULL", -EINVAL, "is a reserved word"},
        {"NETWORK SERVICE", -EINVAL, "is a reserved word"},
        {"nt authority", -EINVAL, "is a reserved word"},
        {"servers", 0, NULL},
        {"a\xC3", -EINVAL, "is not valid UTF-8"},
        {"a\xC0\x80", -EINVAL, "is not valid UTF-8"},
    };

    (void)state;
    run_cases(name_check_netbios, cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_dns_label(void **state)
{
    static const struct check_case cases[] = {
        {"a", 0, NULL},
        {"node-1", 0, NULL},
        {"a-b-c", 0, NULL},
        {"a--b", 0, NULL},
        {"1a", 0, NULL},
        {"a1", 0, NULL},
        {"xn--nud-5ma", 0, NULL},
        {L63, 0, NULL},
        {L64, -EINVAL, "has a label longer than 63 characters"},
        {NULL, -EINVAL, "is empty"},
        {"", -EINVAL, "is empty"},
        {"-a", -EINVAL, "has a label beginning or ending with '-'"},
        {"a-", -EINVAL, "has a label beginning or ending with '-'"},
        {"-", -EINVAL, "has a label beginning or ending with '-'"},
        {"123", -EINVAL, "consists only of digits"},
        {"0", -EINVAL, "consists only of digits"},
        {"a_b", -EINVAL, "contains a character other than A-Z, a-z, 0-9 and '-'"},
        {"a.b", -EINVAL, NULL},
        {"a b", -EINVAL, NULL},
        {"n\xC3\xA9ud", -EINVAL, NULL},
        {"a*b", -EINVAL, NULL},
    };

    (void)state;
    run_cases(name_check_dns_label, cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_cluster(void **state)
{
    static const struct check_case cases[] = {
        {"clu1", 0, NULL},
        {"CLUSTER-PROD-01", 0, NULL}, /* 15 */
        {"CLUSTER-PROD-012", -EINVAL, "is longer than 15 characters"},
        {"a", 0, NULL},
        {"a*b", -EINVAL, "contains '*'"},
        {"my_cluster", -EINVAL, "contains a character other than A-Z, a-z, 0-9 and '-'"},
        {"my.cluster", -EINVAL, NULL},
        {"my cluster", -EINVAL, NULL},
        {"-clu", -EINVAL, "has a label beginning or ending with '-'"},
        {"clu-", -EINVAL, "has a label beginning or ending with '-'"},
        {"2024", -EINVAL, "consists only of digits"},
        {"SYSTEM", -EINVAL, "is a reserved word"},
        {"", -EINVAL, "is empty"},
        {NULL, -EINVAL, "is empty"},
        {L63, -EINVAL, "is longer than 15 characters"},
    };

    (void)state;
    run_cases(name_check_cluster, cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_host(void **state)
{
    /* 253 characters: 3 labels of 63 + 1 of 61, joined by 3 dots. */
    static const char n253[] = L63 "." L63 "." L63 "."
                                   "abcdefghij"
                                   "abcdefghij"
                                   "abcdefghij"
                                   "abcdefghij"
                                   "abcdefghij"
                                   "abcdefghij"
                                   "a";
    static const char n253dot[] = L63 "." L63 "." L63 "."
                                      "abcdefghij"
                                      "abcdefghij"
                                      "abcdefghij"
                                      "abcdefghij"
                                      "abcdefghij"
                                      "abcdefghij"
                                      "a.";
    static const char n254[] = L63 "." L63 "." L63 "."
                                   "abcdefghij"
                                   "abcdefghij"
                                   "abcdefghij"
                                   "abcdefghij"
                                   "abcdefghij"
                                   "abcdefghij"
                                   "ab";
    const struct check_case cases[] = {
        {"node1", 0, NULL},
        {"node1.example.com", 0, NULL},
        {"node1.example.com.", 0, NULL},
        {"NODE-1.Example.COM", 0, NULL},
        {"n1.42.example.com", 0, NULL}, /* a numeric middle label */
        {"averyveryverylongnodename.example.com", 0, NULL},
        {"10.0.0.1", 0, NULL},
        {"2001:db8::1", 0, NULL},
        {"::1", 0, NULL},
        {L63 ".com", 0, NULL},
        {n253, 0, NULL},
        {n253dot, 0, NULL},
        {n254, -EINVAL, "is longer than 253 characters"},
        {L64 ".com", -EINVAL, "has a label longer than 63 characters"},
        {NULL, -EINVAL, "is empty"},
        {"", -EINVAL, "is empty"},
        {".", -EINVAL, "has an empty label"},
        {"..", -EINVAL, "has an empty label"},
        {".node1", -EINVAL, "has an empty label"},
        {"node1..example.com", -EINVAL, "has an empty label"},
        {"node1.example.com..", -EINVAL, "has an empty label"},
        {"123", -EINVAL, "consists only of digits"},
        {"123.example.com", -EINVAL, "consists only of digits"},
        {"node1.example.123", -EINVAL, "consists only of digits"},
        {"1.2.3.256", -EINVAL, "consists only of digits"},
        {"1.2.3", -EINVAL, "consists only of digits"},
        {"node_1.example.com", -EINVAL, NULL},
        {"-node.example.com", -EINVAL, "has a label beginning or ending with '-'"},
        {"node.example-.com", -EINVAL, "has a label beginning or ending with '-'"},
        {"node 1", -EINVAL, NULL},
        {"fe80::1%eth0", -EINVAL, NULL},
        {"[::1]", -EINVAL, NULL},
    };

    (void)state;
    assert_int_equal(strlen(n253), 253);
    assert_int_equal(strlen(n254), 254);
    run_cases(name_check_host, cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_short(void **state)
{
    char buf[16];

    (void)state;
    assert_ptr_equal(name_short("node1.example.com", buf, sizeof(buf)), buf);
    assert_string_equal(buf, "node1");
    assert_ptr_equal(name_short("node1", buf, sizeof(buf)), buf);
    assert_string_equal(buf, "node1");
    assert_ptr_equal(name_short("node1.", buf, sizeof(buf)), buf);
    assert_string_equal(buf, "node1");
    assert_ptr_equal(name_short("10.0.0.1", buf, sizeof(buf)), buf);
    assert_string_equal(buf, "10.0.0.1");
    assert_ptr_equal(name_short("2001:db8::1", buf, sizeof(buf)), buf);
    assert_string_equal(buf, "2001:db8::1");
    /* exact fit: "node1" needs 6 bytes */
    assert_ptr_equal(name_short("node1.x", buf, 6), buf);
    strcpy(buf, "keep");
    assert_null(name_short("node1.x", buf, 5));
    assert_string_equal(buf, "keep");
    assert_null(name_short("node1", buf, 0));
    assert_null(name_short(NULL, buf, sizeof(buf)));
    assert_null(name_short("node1", NULL, 16));
}

static void test_equal(void **state)
{
    (void)state;
    assert_true(name_equal("Node1", "NODE1"));
    assert_true(name_equal("", ""));
    assert_true(name_equal("a-b.Example.COM", "A-B.example.com"));
    assert_false(name_equal("node1", "node2"));
    assert_false(name_equal("node", "node1"));
    assert_false(name_equal("node1", "node"));
    assert_false(name_equal("\xC3\xA9", "\xC3\x89")); /* é vs É: only ASCII folds */
    assert_false(name_equal(NULL, NULL));
    assert_false(name_equal("a", NULL));
    assert_false(name_equal(NULL, "a"));
}

static void test_dn_valid(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"CN=clu1,OU=Servers,DC=example,DC=com", "clu1"},
        {"cn=clu1", "clu1"},
        {"Cn=clu1, OU=Servers, DC=example, DC=com", "clu1"},
        {"CN=clu\\,1,OU=x", "clu,1"},
        {"CN=a\\+b", "a+b"},
        {"CN=a\\\\b", "a\\b"},
        {"CN=a\\\"b", "a\"b"},
        {"CN=a\\;b\\<c\\>d", "a;b<c>d"},
        {"CN=\\#1", "#1"},
        {"CN=a#1", "a#1"},
        {"CN=\\20a\\20", " a "},
        {"CN=a\\=b", "a=b"},
        {"CN=a=b", "a=b"},
        {"CN=caf\\C3\\A9", "caf\xC3\xA9"},
        {"CN=caf\\c3\\a9", "caf\xC3\xA9"},
        {"CN=clu1 ", "clu1"},
        {"CN=clu1\\ ", "clu1 "},
        {"CN=  clu1", "clu1"},
        {"CN=clu 1", "clu 1"},
        {"CN = clu1", "CN = clu1"}, /* not "CN=": not a DN, returned as is */
        {"CN=clu1 , OU=x", "clu1"},
        {"CN=clu1,OU=a+L=b,DC=x", "clu1"},
        {"CN=clu1,1.2.840.113549.1.9.1=#04024869", "clu1"},
        {"CN=clu1,OU=#0402 ,DC=x", "clu1"},
        {"CN=clu1,OU=", "clu1"},
        {"CN=clu1,OU = x", "clu1"},
        {"clu1", "clu1"},
        {"", ""},
        {"OU=x,CN=y", "OU=x,CN=y"},
        {"CNclu", "CNclu"},
        {"a\\,b", "a\\,b"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *out = NULL;
        int rv = name_parse_dn(cases[i].in, &out);

        if (rv != 0)
            fail_msg("'%s': got %d", cases[i].in, rv);
        assert_string_equal(out, cases[i].out);
        free(out);
    }
}

static void test_dn_malformed(void **state)
{
    static const char *const bad[] = {
        "CN=",
        "CN= ",
        "cn=",
        "CN=,OU=x",
        "CN=clu1,",
        "CN=clu1, ",
        "CN=clu1,,OU=x",
        "CN=clu1,OU",
        "CN=clu1,OU x",
        "CN=clu1,=x",
        "CN=clu1,OU=x,",
        "CN=clu1+",
        "CN=a\\",
        "CN=a\\zz",
        "CN=a\\4",
        "CN=a\\4g",
        "CN=a\"b",
        "CN=\"quoted\"",
        "CN=a;b",
        "CN=a<b",
        "CN=a>b",
        "CN=#04024869",
        "CN=a+OU=b",
        "CN=a\\00b",
        "CN=a\\C3",
        "CN=a\\C0\\80",
        "CN=a,OU=b\\",
        "CN=a,OU=#0",
        "CN=a,OU=#",
        "CN=a,OU=#zz",
        "CN=a,OU=#0402 x",
        "CN=a,-OU=b",
        "CN=a,1.=b",
        "CN=a,OU=b;DC=c",
        "CN=a,OU=b+",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *out = (char *)(uintptr_t)0x5a5a;
        int rv = name_parse_dn(bad[i], &out);

        if (rv != -EINVAL)
            fail_msg("'%s': got %d, want -EINVAL", bad[i], rv);
        assert_ptr_equal(out, (char *)(uintptr_t)0x5a5a);
    }
}

static void test_dn_null(void **state)
{
    char *out = NULL;

    (void)state;
    assert_int_equal(name_parse_dn(NULL, &out), -EINVAL);
    assert_int_equal(name_parse_dn("CN=a", NULL), -EINVAL);
    assert_null(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_netbios),  cmocka_unit_test(test_dns_label),
        cmocka_unit_test(test_cluster),  cmocka_unit_test(test_host),
        cmocka_unit_test(test_short),    cmocka_unit_test(test_equal),
        cmocka_unit_test(test_dn_valid), cmocka_unit_test(test_dn_malformed),
        cmocka_unit_test(test_dn_null),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
