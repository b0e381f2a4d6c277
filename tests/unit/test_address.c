/*
 * Unit tests for src/common/address.c.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <sys/socket.h>

#include "common/address.h"

static struct net_addr parse_ok(const char *s)
{
    struct net_addr a;

    assert_int_equal(addr_parse(s, &a), 0);
    return a;
}

static void test_parse_valid(void **state)
{
    static const struct {
        const char *in;
        int family;
        const char *canonical;
    } cases[] = {
        {"10.0.0.5", AF_INET, "10.0.0.5"},
        {"0.0.0.0", AF_INET, "0.0.0.0"},
        {"255.255.255.255", AF_INET, "255.255.255.255"},
        {"2001:db8::1", AF_INET6, "2001:db8::1"},
        {"2001:0DB8:0000:0000:0000:0000:0000:0001", AF_INET6, "2001:db8::1"},
        {"::", AF_INET6, "::"},
        {"::1", AF_INET6, "::1"},
        {"fe80::1", AF_INET6, "fe80::1"},
        {"::ffff:192.0.2.1", AF_INET6, "::ffff:192.0.2.1"},
        {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", AF_INET6,
         "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct net_addr a = parse_ok(cases[i].in);
        char buf[ADDR_STRLEN];

        assert_int_equal(a.family, cases[i].family);
        assert_int_equal(addr_format(&a, buf, sizeof(buf)), 0);
        assert_string_equal(buf, cases[i].canonical);
    }
}

static void test_parse_bytes(void **state)
{
    static const uint8_t v4[16] = {192, 168, 1, 20};
    static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
    struct net_addr a;

    (void)state;
    a = parse_ok("192.168.1.20");
    assert_memory_equal(a.bytes, v4, 16); /* IPv4 tail is zero */
    a = parse_ok("2001:db8::1");
    assert_memory_equal(a.bytes, v6, 16);
}

static void test_parse_invalid(void **state)
{
    static const char *const bad[] = {
        "",
        " 10.0.0.1",
        "10.0.0.1 ",
        "10.0.0",
        "10.0.0.0.1",
        "10.0.0.256",
        "010.0.0.1",
        "10.1",
        "1",
        "0x0a.0.0.1",
        "-1.0.0.0",
        "10.0.0.1/24",
        "host1",
        "node1.example.com",
        "fe80::1%eth0",
        "fe80::1%1",
        "[::1]",
        "2001:db8:::1",
        "2001:db8::1::2",
        ":::",
        "1:2:3:4:5:6:7:8:9",
        "12345::",
        "g::1",
    };
    struct net_addr a = {.family = 12345};

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(addr_parse(bad[i], &a), -EINVAL);
        assert_int_equal(a.family, 12345); /* untouched */
    }
    assert_int_equal(addr_parse(NULL, &a), -EINVAL);
    assert_int_equal(addr_parse("10.0.0.1", NULL), -EINVAL);
}

static void test_parse_cidr(void **state)
{
    static const struct {
        const char *in;
        int rv;
        uint32_t prefix;
    } cases[] = {
        {"10.0.0.5/24", 0, 24},
        {"10.0.0.5/0", 0, 0},
        {"10.0.0.5/32", 0, 32},
        {"10.0.0.5/33", -EINVAL, 0},
        {"2001:db8::1/64", 0, 64},
        {"2001:db8::1/128", 0, 128},
        {"2001:db8::1/129", -EINVAL, 0},
        {"2001:db8::1/0", 0, 0},
        {"10.0.0.5", -EINVAL, 0}, /* prefix is required */
        {"10.0.0.5/", -EINVAL, 0},
        {"10.0.0.5/024", -EINVAL, 0}, /* leading zero */
        {"10.0.0.5/+24", -EINVAL, 0},
        {"10.0.0.5/-1", -EINVAL, 0},
        {"10.0.0.5/24 ", -EINVAL, 0},
        {"10.0.0.5/2x", -EINVAL, 0},
        {"10.0.0.5/1000", -EINVAL, 0},
        {"10.0.0.5/4294967320", -EINVAL, 0}, /* would wrap to 24 in 32 bits */
        {"10.0.0.5/24/24", -EINVAL, 0},
        {"/24", -EINVAL, 0},
        {"host/24", -EINVAL, 0},
        {"ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/64", 0, 64}, /* longest text */
        {"ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.2555/64", -EINVAL, 0},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct net_addr a = {.family = 7};
        uint32_t prefix = 999;

        assert_int_equal(addr_parse_cidr(cases[i].in, &a, &prefix), cases[i].rv);
        if (cases[i].rv == 0) {
            assert_int_equal(prefix, cases[i].prefix);
            assert_true(a.family == AF_INET || a.family == AF_INET6);
        } else {
            assert_int_equal(prefix, 999);
            assert_int_equal(a.family, 7);
        }
    }
}

static void test_format(void **state)
{
    struct net_addr a = parse_ok("192.168.100.200"); /* 15 characters */
    struct net_addr bogus = {.family = AF_UNIX};
    char buf[ADDR_STRLEN];

    (void)state;
    assert_int_equal(addr_format(&a, buf, 16), 0);
    assert_string_equal(buf, "192.168.100.200");
    assert_int_equal(addr_format(&a, buf, 15), -ENOSPC);
    assert_int_equal(addr_format(&a, NULL, 0), -ENOSPC);
    assert_int_equal(addr_format(&bogus, buf, sizeof(buf)), -EAFNOSUPPORT);
    assert_int_equal(addr_format(NULL, buf, sizeof(buf)), -EAFNOSUPPORT);
}

static void test_in_subnet(void **state)
{
    static const struct {
        const char *a, *net;
        uint32_t prefix;
        bool in;
    } cases[] = {
        {"10.0.0.5", "10.0.0.0", 24, true},
        {"10.0.1.5", "10.0.0.0", 24, false},
        {"10.0.1.5", "10.0.0.0", 23, true},
        {"10.0.0.5", "10.0.0.5", 32, true},
        {"10.0.0.5", "10.0.0.4", 32, false},
        {"10.0.0.5", "10.0.0.4", 31, true},
        {"10.0.0.5", "192.168.0.0", 0, true}, /* /0 holds everything of the family */
        {"10.0.0.5", "10.0.0.0", 33, false},  /* prefix wider than the address */
        {"2001:db8::1", "2001:db8::", 64, true},
        {"2001:db8:0:1::1", "2001:db8::", 64, false},
        {"2001:db8:0:1::1", "2001:db8::", 63, true},
        {"2001:db8::1", "2001:db8::1", 128, true},
        {"2001:db8::1", "2001:db8::", 129, false},
        {"10.0.0.5", "::", 0, false}, /* families differ */
        {"::ffff:10.0.0.5", "10.0.0.0", 8, false},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct net_addr a = parse_ok(cases[i].a), net = parse_ok(cases[i].net);

        assert_int_equal(addr_in_subnet(&a, &net, cases[i].prefix), cases[i].in);
    }
}

static void test_is_network_id(void **state)
{
    static const struct {
        const char *a;
        uint32_t prefix;
        bool id;
    } cases[] = {
        {"192.168.1.0", 24, true},
        {"192.168.1.1", 24, false},
        {"192.168.0.0", 23, true},
        {"192.168.1.0", 23, false},
        {"10.0.0.4", 30, true},
        {"10.0.0.4", 31, false}, /* RFC 3021: both addresses are hosts */
        {"10.0.0.4", 32, false},
        {"10.0.0.0", 33, false},
        {"0.0.0.0", 0, true},
        {"2001:db8::", 64, true},
        {"2001:db8::1", 64, false},
        {"2001:db8::", 126, true},
        {"2001:db8::", 127, false}, /* RFC 6164 */
        {"2001:db8::", 128, false},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct net_addr a = parse_ok(cases[i].a);

        assert_int_equal(addr_is_network_id(&a, cases[i].prefix), cases[i].id);
    }
}

static void test_cmp_and_bits(void **state)
{
    struct net_addr a = parse_ok("10.0.0.1"), b = parse_ok("10.0.0.2");
    struct net_addr c = parse_ok("10.0.0.1"), d = parse_ok("::1");
    struct net_addr e = parse_ok("::ffff:10.0.0.1");

    (void)state;
    assert_int_equal(addr_cmp(&a, &c), 0);
    assert_true(addr_cmp(&a, &b) < 0);
    assert_true(addr_cmp(&b, &a) > 0);
    assert_true(addr_cmp(&a, &d) != 0);
    assert_true((addr_cmp(&a, &d) < 0) == (addr_cmp(&d, &a) > 0)); /* antisymmetric */
    assert_true(addr_cmp(&a, &e) != 0); /* a v4-mapped address is another address */
    assert_int_equal(addr_bits(&a), 32);
    assert_int_equal(addr_bits(&d), 128);
}

static void test_check_cluster_ip(void **state)
{
    static const struct {
        const char *s;
        uint32_t prefix;
        uint32_t code;
    } cases[] = {
        /* accepted */
        {"10.0.0.50", 24, 0},
        {"192.168.1.1", 1, 0},
        {"192.168.1.1", 32, 0},
        {"10.0.0.254", 24, 0},
        {"10.0.0.255", 31, 0}, /* /31: no broadcast */
        {"10.0.0.255", 32, 0},
        {"169.254.1.1", 16, 0}, /* IPv4 link-local is allowed (cloud setups use it) */
        {"192.168.1.0", 24, 0}, /* network id: the DHCP form, left to the caller */
        {"1.0.0.1", 8, 0},
        {"223.255.255.254", 24, 0},
        {"2001:db8::10", 64, 0},
        {"2001:db8::10", 1, 0},
        {"2001:db8::10", 128, 0},
        {"fd00::10", 64, 0}, /* ULA */
        {"fc00::1", 7, 0},
        {"3fff:ffff::1", 64, 0}, /* top of 2000::/3 */
        {"2001:db8::", 127, 0},  /* RFC 6164 /127 */
        /* prefix out of range */
        {"10.0.0.50", 0, 87},
        {"10.0.0.50", 33, 87},
        {"2001:db8::10", 0, 87},
        {"2001:db8::10", 129, 87},
        /* IPv4 special addresses */
        {"0.0.0.0", 8, 87},
        {"0.1.2.3", 24, 87},
        {"127.0.0.1", 8, 87},
        {"127.1.2.3", 24, 87},
        {"224.0.0.1", 24, 87},
        {"239.255.255.250", 24, 87},
        {"240.0.0.1", 24, 87},
        {"255.255.255.255", 32, 87},
        {"10.0.0.255", 24, 87}, /* subnet broadcast */
        {"10.0.0.7", 30, 87},
        {"10.0.1.255", 23, 87},
        /* text */
        {"", 24, 87},
        {"node1", 24, 87},
        {"10.0.0.256", 24, 87},
        {"10.0.0.5/24", 24, 87},
        /* IPv6 */
        {"2001:db8:::1", 64, 5911},
        {"fe80::1%eth0", 64, 5911},
        {"::", 64, 5911},
        {"::1", 128, 5911},
        {"ff02::1", 64, 5911},
        {"fe80::1", 64, 5911},
        {"febf::1", 64, 5911}, /* last of fe80::/10 */
        {"fec0::1", 64, 5911}, /* deprecated site-local */
        {"::ffff:10.0.0.1", 96, 5911},
        {"::10.0.0.1", 96, 5911},
        {"4000::1", 64, 5911},      /* just above 2000::/3 */
        {"1fff:ffff::1", 64, 5911}, /* just below */
        {"fe00::1", 64, 5911},      /* just above fc00::/7 */
        {"2001:db8::", 64, 5911},   /* subnet-router anycast */
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *reason = NULL;
        uint32_t code = addr_check_cluster_ip(cases[i].s, cases[i].prefix, &reason);

        if (code != cases[i].code)
            fail_msg("%s/%u: got %u, want %u", cases[i].s, cases[i].prefix, code, cases[i].code);
        if (code == 0)
            assert_null(reason);
        else
            assert_non_null(reason);
    }
    assert_int_equal(addr_check_cluster_ip(NULL, 24, NULL), 87);
    assert_int_equal(addr_check_cluster_ip("fe80::1", 64, NULL), 5911);
}

static void test_check_cluster_ip_reasons(void **state)
{
    const char *reason = NULL;

    (void)state;
    addr_check_cluster_ip("fe80::1", 64, &reason);
    assert_string_equal(reason, "is an IPv6 link-local address");
    addr_check_cluster_ip("fec0::1", 64, &reason);
    assert_string_equal(reason, "is neither an IPv6 global unicast nor a unique local address");
    addr_check_cluster_ip("ff02::1", 64, &reason);
    assert_string_equal(reason, "is an IPv6 multicast address");
    addr_check_cluster_ip("10.0.0.255", 24, &reason);
    assert_string_equal(reason, "is the broadcast address of its subnet");
    addr_check_cluster_ip("255.255.255.255", 32, &reason);
    assert_string_equal(reason, "is a reserved or broadcast address");
    addr_check_cluster_ip("10.0.0.1", 0, &reason);
    assert_string_equal(reason, "has a prefix length outside 1..32");
    addr_check_cluster_ip("127.0.0.1", 8, &reason);
    assert_string_equal(reason, "is a loopback address");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_valid),      cmocka_unit_test(test_parse_bytes),
        cmocka_unit_test(test_parse_invalid),    cmocka_unit_test(test_parse_cidr),
        cmocka_unit_test(test_format),           cmocka_unit_test(test_in_subnet),
        cmocka_unit_test(test_is_network_id),    cmocka_unit_test(test_cmp_and_bits),
        cmocka_unit_test(test_check_cluster_ip), cmocka_unit_test(test_check_cluster_ip_reasons),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
