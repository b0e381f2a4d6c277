/* What a raft connection says before raft speaks: the PSK identity, the hello frame, and the
 * decision to hand the connection to raft or refuse it. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "daemon/consensus/consensus_hello.h"

static const uint8_t cred_id[CRED_ID_BYTES] = {0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02, 0x03};

static void test_identity_round_trip(void **state)
{
    char identity[CONSENSUS_IDENTITY_SIZE];
    uint8_t got_cred[CRED_ID_BYTES];
    uint64_t id = 0;

    (void)state;
    consensus_identity_format(42, cred_id, identity);
    assert_string_equal(identity, "raft:42:deadbeef00010203");
    assert_int_equal(consensus_identity_parse(identity, &id, got_cred), 0);
    assert_int_equal(id, 42);
    assert_memory_equal(got_cred, cred_id, CRED_ID_BYTES);
    consensus_identity_format(UINT64_MAX, cred_id, identity);
    assert_int_equal(consensus_identity_parse(identity, &id, got_cred), 0);
    assert_true(id == UINT64_MAX);
}

static void test_identity_refused(void **state)
{
    static const char *const bad[] = {
        "raft:0:deadbeef00010203",   /* id 0 */
        "raft:042:deadbeef00010203", /* not canonical */
        "raft:-1:deadbeef00010203",
        "raft:18446744073709551616:deadbeef00010203", /* overflows */
        "raft:7:deadbeef0001020",    /* short id */
        "raft:7:deadbeef000102030",  /* long id */
        "raft:7",
        "raft:7deadbeef00010203",
        "cluster:7:deadbeef00010203",
        "clusapi-admin",
        "",
    };
    uint8_t got[CRED_ID_BYTES];
    uint64_t id = 99;

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(consensus_identity_parse(bad[i], &id, got), -EINVAL);
        assert_int_equal(id, 99); /* untouched on failure */
    }
}

static void test_hello_round_trip_and_partial(void **state)
{
    uint8_t buf[CONSENSUS_HELLO_MAX + 8];
    struct consensus_hello h;
    int n = consensus_hello_encode(3, "10.0.0.3:3344", buf);

    (void)state;
    assert_int_equal(n, CONSENSUS_HELLO_HEADER + 13);
    /* Every prefix asks for more; the whole decodes; trailing raft bytes are not taken. */
    for (int len = 0; len < n; len++)
        assert_int_equal(consensus_hello_decode(buf, (size_t)len, &h), -EAGAIN);
    memcpy(buf + n, "RAFT", 4);
    assert_int_equal(consensus_hello_decode(buf, (size_t)n + 4, &h), n);
    assert_int_equal(h.id, 3);
    assert_string_equal(h.address, "10.0.0.3:3344");
}

static void test_hello_malformed(void **state)
{
    uint8_t buf[CONSENSUS_HELLO_MAX], bad[CONSENSUS_HELLO_MAX];
    struct consensus_hello h;
    char longaddr[CONSENSUS_HELLO_ADDRESS_MAX + 2];
    int n = consensus_hello_encode(3, "10.0.0.3:3344", buf);

    (void)state;
    /* Garbage is judged from its first four bytes, without waiting for more. */
    assert_int_equal(consensus_hello_decode((const uint8_t *)"GET /", 5, &h), -EBADMSG);
    assert_int_equal(consensus_hello_decode((const uint8_t *)"\x16\x03\x01\x00", 4, &h), -EBADMSG);
    memcpy(bad, buf, (size_t)n);
    bad[4] = 2; /* version */
    assert_int_equal(consensus_hello_decode(bad, (size_t)n, &h), -EBADMSG);
    memcpy(bad, buf, (size_t)n);
    bad[6] = 1; /* reserved */
    assert_int_equal(consensus_hello_decode(bad, (size_t)n, &h), -EBADMSG);
    memcpy(bad, buf, (size_t)n);
    bad[8] = 0; /* node id 0 (found by fuzz_consensus_hello) */
    assert_int_equal(consensus_hello_decode(bad, (size_t)n, &h), -EBADMSG);
    memcpy(bad, buf, (size_t)n);
    bad[16] = 0; /* empty address */
    bad[17] = 0;
    assert_int_equal(consensus_hello_decode(bad, (size_t)n, &h), -EBADMSG);
    memcpy(bad, buf, (size_t)n);
    bad[16] = 0xff; /* too long */
    assert_int_equal(consensus_hello_decode(bad, (size_t)n, &h), -EBADMSG);
    memcpy(bad, buf, (size_t)n);
    bad[CONSENSUS_HELLO_HEADER + 2] = '\0'; /* NUL inside the address */
    assert_int_equal(consensus_hello_decode(bad, (size_t)n, &h), -EBADMSG);
    /* The encoder refuses what the decoder would. */
    memset(longaddr, 'a', sizeof(longaddr) - 1);
    longaddr[sizeof(longaddr) - 1] = '\0';
    assert_int_equal(consensus_hello_encode(3, longaddr, bad), -EINVAL);
    assert_int_equal(consensus_hello_encode(3, "", bad), -EINVAL);
    assert_int_equal(consensus_hello_encode(0, "10.0.0.3:3344", bad), -EINVAL);
}

static void test_accept_decision(void **state)
{
    struct consensus_hello h = {.id = 3};

    (void)state;
    strcpy(h.address, "10.0.0.3:3344");
    assert_null(consensus_hello_refusal(&h, 3, 1, true));
    /* A member that proved id 3 but claims 2 in its hello: raft would be told a lie. */
    assert_non_null(consensus_hello_refusal(&h, 2, 1, true));
    /* An id outside the configuration (a forged or evicted node). */
    assert_non_null(consensus_hello_refusal(&h, 3, 1, false));
    /* Our own id. */
    h.id = 1;
    assert_non_null(consensus_hello_refusal(&h, 1, 1, true));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identity_round_trip),
        cmocka_unit_test(test_identity_refused),
        cmocka_unit_test(test_hello_round_trip_and_partial),
        cmocka_unit_test(test_hello_malformed),
        cmocka_unit_test(test_accept_decision),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
