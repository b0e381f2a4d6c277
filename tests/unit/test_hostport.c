/*
 * Unit tests for src/common/hostport.c: the forms of HOST[:PORT] a witness is named by, and the
 * ones refused, each with the outputs left untouched.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/hostport.h"

#define DEFAULT_PORT 3343

static void accepts(const char *text, const char *want_host, uint16_t want_port)
{
    char host[HOSTPORT_HOST_MAX];
    const char *why = NULL;
    uint16_t port = 0;

    if (hostport_parse(text, DEFAULT_PORT, host, sizeof(host), &port, &why) != 0)
        fail_msg("'%s' refused: %s", text, why ? why : "(no reason)");
    assert_string_equal(host, want_host);
    assert_int_equal(port, want_port);
}

static void refuses(const char *text)
{
    char host[HOSTPORT_HOST_MAX] = "untouched";
    const char *why = NULL;
    uint16_t port = 7;

    if (hostport_parse(text, DEFAULT_PORT, host, sizeof(host), &port, &why) != -EINVAL)
        fail_msg("'%s' accepted as host '%s' port %u", text, host, port);
    assert_non_null(why);
    assert_string_equal(host, "untouched");
    assert_int_equal(port, 7);
}

static void test_names_and_ports(void **state)
{
    (void)state;
    accepts("witness1", "witness1", DEFAULT_PORT);
    accepts("witness1:3400", "witness1", 3400);
    accepts("w.example.com:1", "w.example.com", 1);
    accepts("w.example.com:65535", "w.example.com", 65535);
    accepts("10.0.0.13", "10.0.0.13", DEFAULT_PORT);
    accepts("10.0.0.13:3353", "10.0.0.13", 3353);
}

static void test_ipv6(void **state)
{
    (void)state;
    accepts("fd00::13", "fd00::13", DEFAULT_PORT); /* bare: every colon is the address's */
    accepts("[fd00::13]", "fd00::13", DEFAULT_PORT);
    accepts("[fd00::13]:3400", "fd00::13", 3400);
    accepts("::1", "::1", DEFAULT_PORT);
}

static void test_refused(void **state)
{
    (void)state;
    refuses("");
    refuses(":3343");
    refuses("witness1:");
    refuses("witness1:0");
    refuses("witness1:65536");
    refuses("witness1:03343");
    refuses("witness1:+3343");
    refuses("witness1:33a");
    refuses("witness1:3343 ");
    refuses("bad_host");
    refuses("-witness");
    refuses("witness one");
    refuses("[fd00::13");
    refuses("[fd00::13]3400");
    refuses("[]:3400");
    refuses("[10.0.0.13]:3400"); /* brackets are for IPv6 */
    refuses("[witness1]:3400");
    refuses("[fd00::13]:");
}

static void test_long_host(void **state)
{
    char text[300], host[HOSTPORT_HOST_MAX], small[8];
    uint16_t port;

    (void)state;
    memset(text, 'a', 260);
    text[260] = '\0';
    refuses(text);
    /* a name that does not fit the caller's buffer is refused, not cut */
    assert_int_equal(hostport_parse("witness1:3400", DEFAULT_PORT, small, sizeof(small), &port,
                                    NULL), -EINVAL);
    assert_int_equal(hostport_parse("witness:3400", DEFAULT_PORT, small, sizeof(small), &port,
                                    NULL), 0);
    assert_string_equal(small, "witness");
    assert_int_equal(hostport_parse(NULL, DEFAULT_PORT, host, sizeof(host), &port, NULL),
                     -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_and_ports),
        cmocka_unit_test(test_ipv6),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_long_host),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
