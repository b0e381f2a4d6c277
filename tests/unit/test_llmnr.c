/*
 * Tests for llmnr: queries and responses byte for byte against packets written out by hand from
 * RFC 1035 §4.1 and RFC 4795 §2.1.1, decoding of hand-written packets, and every malformed or
 * foreign case the parsers must refuse.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/llmnr.h"

#define ID 0x1234

/* query id 0x1234, flags 0, QDCOUNT 1, "democlus" ANY IN */
static const uint8_t query_any[] = {
    0x12, 0x34, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    8, 'd', 'e', 'm', 'o', 'c', 'l', 'u', 's', 0, 0x00, 0xff, 0x00, 0x01,
};

/* its response: QR, QDCOUNT 1, ANCOUNT 2; the question; A 10.213.9.100 and AAAA
 * fd00:213:9::100, both owned by a pointer to offset 12, TTL 30 */
static const uint8_t response_any[] = {
    0x12, 0x34, 0x80, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
    8, 'd', 'e', 'm', 'o', 'c', 'l', 'u', 's', 0, 0x00, 0xff, 0x00, 0x01,
    0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1e, 0x00, 0x04, 10, 213, 9, 100,
    0xc0, 0x0c, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1e, 0x00, 0x10,
    0xfd, 0x00, 0x02, 0x13, 0x00, 0x09, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00,
};

static struct net_addr v4(void)
{
    struct net_addr a = {.family = AF_INET, .bytes = {10, 213, 9, 100}};

    return a;
}

static struct net_addr v6(void)
{
    struct net_addr a = {.family = AF_INET6,
                         .bytes = {0xfd, 0x00, 0x02, 0x13, 0x00, 0x09, [14] = 0x01}};

    return a;
}

static struct llmnr_query query(uint16_t qtype)
{
    struct llmnr_query q = {.id = ID, .qtype = qtype, .name = "democlus"};

    return q;
}

/* ------------------------------------------------------------------------------------------ */
/* names and building */

static void test_name_check(void **state)
{
    char label63[64], label64[65], long_name[300];

    memset(label63, 'a', 63);
    label63[63] = '\0';
    memset(label64, 'a', 64);
    label64[64] = '\0';
    assert_int_equal(llmnr_name_check("democlus"), 0);
    assert_int_equal(llmnr_name_check("a.b-c.d"), 0);
    assert_int_equal(llmnr_name_check(label63), 0);
    assert_int_equal(llmnr_name_check(label64), -EINVAL);
    assert_int_equal(llmnr_name_check(NULL), -EINVAL);
    assert_int_equal(llmnr_name_check(""), -EINVAL);
    assert_int_equal(llmnr_name_check("."), -EINVAL);
    assert_int_equal(llmnr_name_check("a."), -EINVAL);
    assert_int_equal(llmnr_name_check(".a"), -EINVAL);
    assert_int_equal(llmnr_name_check("a..b"), -EINVAL);
    /* 4 labels of 63 and dots: 255 bytes of text, over the 253 a wire name can carry */
    snprintf(long_name, sizeof(long_name), "%s.%s.%s.%s", label63, label63, label63, label63);
    assert_int_equal(llmnr_name_check(long_name), -EINVAL);
    long_name[253] = '\0'; /* "...aaa" cut to 253 bytes: the longest allowed */
    assert_int_equal(llmnr_name_check(long_name), 0);
}

static void test_build_query_bytes(void **state)
{
    static const uint8_t two_labels[] = {
        0xbe, 0xef, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'a', 2, 'b', 'c', 0, 0x00, 0x1c, 0x00, 0x01,
    };
    uint8_t buf[64];

    memset(buf, 0xaa, sizeof(buf));
    assert_int_equal(llmnr_build_query(ID, "democlus", LLMNR_TYPE_ANY, buf, sizeof(buf)),
                     sizeof(query_any));
    assert_memory_equal(buf, query_any, sizeof(query_any));
    assert_int_equal(llmnr_build_query(0xbeef, "a.bc", LLMNR_TYPE_AAAA, buf, sizeof(buf)),
                     sizeof(two_labels));
    assert_memory_equal(buf, two_labels, sizeof(two_labels));
    /* exact fit and one byte short */
    assert_int_equal(llmnr_build_query(ID, "democlus", LLMNR_TYPE_ANY, buf, 26), 26);
    assert_int_equal(llmnr_build_query(ID, "democlus", LLMNR_TYPE_ANY, buf, 25), 0);
    assert_int_equal(llmnr_build_query(ID, "democlus", LLMNR_TYPE_ANY, buf, 11), 0);
    assert_int_equal(llmnr_build_query(ID, "a..b", LLMNR_TYPE_A, buf, sizeof(buf)), 0);
    assert_int_equal(llmnr_build_query(ID, "", LLMNR_TYPE_A, buf, sizeof(buf)), 0);
    assert_int_equal(llmnr_build_query(ID, NULL, LLMNR_TYPE_A, buf, sizeof(buf)), 0);
    assert_int_equal(llmnr_build_query(ID, "x", LLMNR_TYPE_A, NULL, 64), 0);
}

static void test_build_response_bytes(void **state)
{
    struct net_addr addrs[] = {v4(), {.family = AF_UNIX}, v6()};
    struct llmnr_query q = query(LLMNR_TYPE_ANY);
    uint8_t buf[128];

    assert_int_equal(llmnr_build_response(&q, addrs, 3, LLMNR_TTL_DEFAULT, buf, sizeof(buf)),
                     sizeof(response_any));
    assert_memory_equal(buf, response_any, sizeof(response_any));
    /* exact fit; one byte short fails rather than dropping an answer */
    assert_int_equal(llmnr_build_response(&q, addrs, 3, 30, buf, sizeof(response_any)),
                     sizeof(response_any));
    assert_int_equal(llmnr_build_response(&q, addrs, 3, 30, buf, sizeof(response_any) - 1), 0);
    assert_int_equal(llmnr_build_response(&q, addrs, 3, 30, buf, 20), 0);
    assert_int_equal(llmnr_build_response(NULL, addrs, 3, 30, buf, sizeof(buf)), 0);
    assert_int_equal(llmnr_build_response(&q, NULL, 3, 30, buf, sizeof(buf)), 0);
}

static void test_build_response_by_type(void **state)
{
    struct net_addr addrs[] = {v4(), v6()};
    struct llmnr_query q = query(LLMNR_TYPE_A);
    uint8_t buf[128];
    uint8_t want[42];

    /* A: the header with ANCOUNT 1, the question with QTYPE A, the A record */
    memcpy(want, response_any, 42);
    want[7] = 1;
    want[23] = LLMNR_TYPE_A;
    assert_int_equal(llmnr_build_response(&q, addrs, 2, 30, buf, sizeof(buf)), 42);
    assert_memory_equal(buf, want, 42);

    q.qtype = LLMNR_TYPE_AAAA;
    assert_int_equal(llmnr_build_response(&q, addrs, 2, 30, buf, sizeof(buf)), 26 + 28);
    assert_int_equal(buf[7], 1);
    assert_int_equal(buf[23], LLMNR_TYPE_AAAA);
    assert_memory_equal(buf + 26, response_any + 42, 28);

    /* nothing of the type asked: an empty answer section */
    assert_int_equal(llmnr_build_response(&q, addrs, 1, 30, buf, sizeof(buf)), 26);
    assert_int_equal(buf[6] | buf[7], 0);
    assert_int_equal(llmnr_build_response(&q, NULL, 0, 30, buf, sizeof(buf)), 26);

    /* the TTL goes out as given, big-endian */
    q.qtype = LLMNR_TYPE_A;
    assert_int_equal(llmnr_build_response(&q, addrs, 1, 0x01020304, buf, sizeof(buf)), 42);
    assert_int_equal(buf[32], 1);
    assert_int_equal(buf[35], 4);
}

/* ------------------------------------------------------------------------------------------ */
/* parsing queries */

static void test_parse_query(void **state)
{
    /* mixed case, QTYPE A, TC, T and RCODE set (ignored), one additional OPT record after */
    static const uint8_t pkt[] = {
        0xab, 0xcd, 0x03, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
        8, 'D', 'e', 'm', 'o', 'C', 'l', 'u', 'S', 0, 0x00, 0x01, 0x00, 0x01,
        0, 0x00, 0x29, 0x05, 0xc0, 0, 0, 0, 0, 0, 0,
    };
    struct llmnr_query q;

    assert_int_equal(llmnr_parse_query(pkt, sizeof(pkt), &q), 0);
    assert_int_equal(q.id, 0xabcd);
    assert_int_equal(q.qtype, LLMNR_TYPE_A);
    assert_string_equal(q.name, "DemoCluS");

    assert_int_equal(llmnr_parse_query(query_any, sizeof(query_any), &q), 0);
    assert_int_equal(q.id, ID);
    assert_int_equal(q.qtype, LLMNR_TYPE_ANY);
    assert_string_equal(q.name, "democlus");
}

static void test_parse_query_roundtrip(void **state)
{
    struct llmnr_query q;
    uint8_t buf[300];
    char name[LLMNR_NAME_MAX + 1];
    size_t len;

    /* the longest name: 253 bytes of text, 255 on the wire */
    memset(name, 'x', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    for (size_t i = 63; i < LLMNR_NAME_MAX; i += 64)
        name[i] = '.';
    len = llmnr_build_query(7, name, LLMNR_TYPE_AAAA, buf, sizeof(buf));
    assert_int_equal(len, 12 + 255 + 4);
    assert_int_equal(llmnr_parse_query(buf, len, &q), 0);
    assert_string_equal(q.name, name);
    assert_int_equal(q.id, 7);
    assert_int_equal(q.qtype, LLMNR_TYPE_AAAA);
}

/* Expects llmnr_parse_query to fail with err and leave its output alone. */
static void query_fails(const uint8_t *pkt, size_t len, int err)
{
    struct llmnr_query q, before;

    memset(&q, 0x5a, sizeof(q));
    before = q;
    assert_int_equal(llmnr_parse_query(pkt, len, &q), err);
    assert_memory_equal(&q, &before, sizeof(q));
}

/* query_any with byte i set to v */
static void query_patched_fails(size_t i, uint8_t v, int err)
{
    uint8_t pkt[sizeof(query_any)];

    memcpy(pkt, query_any, sizeof(pkt));
    pkt[i] = v;
    query_fails(pkt, sizeof(pkt), err);
}

static void test_parse_query_flags_and_counts(void **state)
{
    query_patched_fails(2, 0x80, -EPROTO); /* QR: a response */
    query_patched_fails(2, 0x08, -EPROTO); /* OPCODE 1 */
    query_patched_fails(2, 0x04, -EPROTO); /* C: the sender saw a conflict */
    query_patched_fails(5, 0, -EPROTO);    /* QDCOUNT 0 */
    query_patched_fails(5, 2, -EPROTO);    /* QDCOUNT 2 */
    query_patched_fails(4, 1, -EPROTO);    /* QDCOUNT 257 */
    query_patched_fails(7, 1, -EPROTO);    /* ANCOUNT 1 */
    query_patched_fails(9, 1, -EPROTO);    /* NSCOUNT 1 */
    query_patched_fails(23, 15, -EOPNOTSUPP); /* QTYPE MX */
    query_patched_fails(22, 1, -EOPNOTSUPP);  /* QTYPE 511 */
    query_patched_fails(25, 3, -EOPNOTSUPP);  /* QCLASS CH */
    query_patched_fails(25, 255, -EOPNOTSUPP); /* QCLASS ANY */
}

static void test_parse_query_malformed(void **state)
{
    static const uint8_t pointer[] = {
        0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0x0c, 0, 1, 0, 1,
    };
    static const uint8_t root[] = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1};
    static const uint8_t dot[] = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'a', '.', 'b', 0,
                                  0, 1, 0, 1};
    static const uint8_t nul[] = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'a', 0, 'b', 0,
                                  0, 1, 0, 1};
    static const uint8_t ext_label[] = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x41, 'a', 0,
                                        0, 1, 0, 1};
    uint8_t big[12 + 5 * 64 + 1 + 4] = {0, 1, 0, 0, 0, 1};

    /* every cut of a good query: header, label, terminator, QTYPE/QCLASS */
    for (size_t len = 0; len < sizeof(query_any); len++)
        query_fails(query_any, len, -EBADMSG);
    query_fails(NULL, 26, -EBADMSG);
    /* a label longer than what is left */
    query_patched_fails(12, 20, -EBADMSG);
    query_fails(pointer, sizeof(pointer), -EBADMSG);
    query_fails(root, sizeof(root), -EBADMSG);
    query_fails(dot, sizeof(dot), -EBADMSG);
    query_fails(nul, sizeof(nul), -EBADMSG);
    query_fails(ext_label, sizeof(ext_label), -EBADMSG);
    /* five labels of 63: 321 bytes on the wire, over the 255 limit */
    for (size_t i = 0; i < 5; i++) {
        big[12 + i * 64] = 63;
        memset(big + 13 + i * 64, 'a', 63);
    }
    big[sizeof(big) - 3] = LLMNR_TYPE_A;
    big[sizeof(big) - 1] = LLMNR_CLASS_IN;
    query_fails(big, sizeof(big), -EBADMSG);
}

/* ------------------------------------------------------------------------------------------ */
/* parsing responses */

static void test_parse_response(void **state)
{
    struct net_addr got[4], want;
    uint8_t upper[sizeof(response_any)];
    size_t n = 99;

    assert_int_equal(llmnr_parse_response(response_any, sizeof(response_any), ID, "democlus", got,
                                          4, &n),
                     0);
    assert_int_equal(n, 2);
    want = v4();
    assert_memory_equal(&got[0], &want, sizeof(want));
    want = v6();
    assert_memory_equal(&got[1], &want, sizeof(want));

    /* the name compares without ASCII case; cap 1 keeps the first */
    n = 99;
    assert_int_equal(llmnr_parse_response(response_any, sizeof(response_any), ID, "DEMOClus", got,
                                          1, &n),
                     0);
    assert_int_equal(n, 1);
    assert_int_equal(got[0].family, AF_INET);
    /* upper case in the question: still the answer to "democlus" */
    memcpy(upper, response_any, sizeof(upper));
    upper[13] = 'D';
    assert_int_equal(llmnr_parse_response(upper, sizeof(upper), ID, "democlus", got, 4, &n), 0);
    assert_int_equal(n, 2);
    /* cap 0: valid, nothing stored */
    assert_int_equal(llmnr_parse_response(response_any, sizeof(response_any), ID, "democlus",
                                          NULL, 0, &n),
                     0);
    assert_int_equal(n, 0);
}

static void test_parse_response_records(void **state)
{
    /* ANCOUNT 5: a CNAME (skipped), an A of "other" (skipped), an A of "DEMOCLUS" written out,
     * an A of "x" + pointer to "other" (skipped), an A whose owner points at the written-out
     * name; then a byte of authority section, which must not be read */
    static const uint8_t pkt[] = {
        0x12, 0x34, 0x80, 0x00, 0x00, 0x01, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00,
        8, 'd', 'e', 'm', 'o', 'c', 'l', 'u', 's', 0, 0x00, 0x01, 0x00, 0x01,
        /* 26: CNAME democlus -> pointer */
        0xc0, 0x0c, 0x00, 0x05, 0x00, 0x01, 0, 0, 0, 30, 0x00, 0x02, 0xc0, 0x0c,
        /* 40: A other 1.2.3.4 */
        5, 'o', 't', 'h', 'e', 'r', 0, 0x00, 0x01, 0x00, 0x01, 0, 0, 0, 30, 0x00, 0x04,
        1, 2, 3, 4,
        /* 61: A DEMOCLUS 10.0.0.1, written out */
        8, 'D', 'E', 'M', 'O', 'C', 'L', 'U', 'S', 0, 0x00, 0x01, 0x00, 0x01, 0, 0, 0, 30,
        0x00, 0x04, 10, 0, 0, 1,
        /* 85: A x.other 9.9.9.9 (pointer to 40) */
        1, 'x', 0xc0, 40, 0x00, 0x01, 0x00, 0x01, 0, 0, 0, 30, 0x00, 0x04, 9, 9, 9, 9,
        /* 103: A pointer to 61, 10.0.0.2 */
        0xc0, 61, 0x00, 0x01, 0x00, 0x01, 0, 0, 0, 30, 0x00, 0x04, 10, 0, 0, 2,
        /* authority: garbage that must not be read */
        0xff,
    };
    struct net_addr got[4];
    size_t n;

    assert_int_equal(llmnr_parse_response(pkt, sizeof(pkt), ID, "democlus", got, 4, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(got[0].family, AF_INET);
    assert_memory_equal(got[0].bytes, ((uint8_t[]){10, 0, 0, 1}), 4);
    assert_memory_equal(got[1].bytes, ((uint8_t[]){10, 0, 0, 2}), 4);
    assert_int_equal(llmnr_parse_response(pkt, sizeof(pkt), ID, "x.other", got, 4, &n), -ENOMSG);
}

static void test_parse_response_roundtrip(void **state)
{
    struct net_addr addrs[] = {v6(), v4()};
    struct llmnr_query q;
    struct net_addr got[2];
    uint8_t qbuf[64], rbuf[128];
    size_t qlen, rlen, n;

    qlen = llmnr_build_query(0x4242, "Clu-1", LLMNR_TYPE_ANY, qbuf, sizeof(qbuf));
    assert_int_equal(llmnr_parse_query(qbuf, qlen, &q), 0);
    rlen = llmnr_build_response(&q, addrs, 2, 30, rbuf, sizeof(rbuf));
    assert_true(rlen > 0);
    assert_int_equal(llmnr_parse_response(rbuf, rlen, 0x4242, "clu-1", got, 2, &n), 0);
    assert_int_equal(n, 2);
    assert_memory_equal(got, addrs, sizeof(addrs));
}

/* Expects llmnr_parse_response(pkt, "democlus", ID) to fail with err, outputs untouched. */
static void response_fails(const uint8_t *pkt, size_t len, int err)
{
    struct net_addr got[4], before[4];
    size_t n = 77;

    memset(got, 0x5a, sizeof(got));
    memcpy(before, got, sizeof(got));
    assert_int_equal(llmnr_parse_response(pkt, len, ID, "democlus", got, 4, &n), err);
    assert_memory_equal(got, before, sizeof(got));
    assert_int_equal(n, 77);
}

static void response_patched_fails(size_t i, uint8_t v, int err)
{
    uint8_t pkt[sizeof(response_any)];

    memcpy(pkt, response_any, sizeof(pkt));
    pkt[i] = v;
    response_fails(pkt, sizeof(pkt), err);
}

static void test_parse_response_foreign(void **state)
{
    struct net_addr got[1];
    size_t n;

    response_patched_fails(1, 0x35, -ENOMSG);  /* another ID */
    response_patched_fails(2, 0x00, -ENOMSG);  /* QR clear: a query */
    response_patched_fails(2, 0x88, -ENOMSG);  /* OPCODE 1 */
    response_patched_fails(3, 0x03, -ENOMSG);  /* RCODE 3 */
    response_patched_fails(5, 0, -ENOMSG);     /* QDCOUNT 0 */
    response_patched_fails(5, 2, -ENOMSG);     /* QDCOUNT 2 */
    response_patched_fails(14, 'a', -ENOMSG);  /* "damoclus" */
    response_patched_fails(25, 3, -ENOMSG);    /* question class CH */
    assert_int_equal(llmnr_parse_response(response_any, sizeof(response_any), ID, "democlu", got,
                                          1, &n),
                     -ENOMSG);
    assert_int_equal(llmnr_parse_response(response_any, sizeof(response_any), ID, "democlus.x",
                                          got, 1, &n),
                     -ENOMSG);
    assert_int_equal(llmnr_parse_response(response_any, sizeof(response_any), ID, NULL, got, 1,
                                          &n),
                     -EINVAL);
}

static void test_parse_response_malformed(void **state)
{
    /* header + question + one answer whose owner is built by each case below */
    uint8_t pkt[96];
    size_t q = 26;

    /* every cut of a good response */
    for (size_t len = 0; len < sizeof(response_any); len++)
        response_fails(response_any, len, -EBADMSG);
    response_patched_fails(12, 30, -EBADMSG);  /* question label overrun */
    response_patched_fails(37, 5, -EBADMSG);   /* A with RDLENGTH 5 */
    response_patched_fails(53, 4, -EBADMSG);   /* AAAA with RDLENGTH 4 */
    response_patched_fails(27, 26, -EBADMSG);  /* owner pointer to itself */
    response_patched_fails(27, 40, -EBADMSG);  /* owner pointer forward */
    response_patched_fails(26, 0x80, -EBADMSG); /* label type 0x80 */

    /* a two-step loop: at 26 label "a" then a pointer at 28 to 26 */
    memcpy(pkt, response_any, q);
    pkt[7] = 1;
    memcpy(pkt + q, ((uint8_t[]){1, 'a', 0xc0, 26, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, 1, 2, 3, 4}),
           18);
    response_fails(pkt, q + 18, -EBADMSG);
    /* across segments: record 1's owner is one 4-byte label "\x01x\xc0\x1b" (legal, not
     * ours); record 2's owner points into it at 27, where "x" is followed by a pointer back to
     * 27 — behind its own position (a naive rule would follow it for ever) but not behind the
     * segment start */
    memcpy(pkt + q, ((uint8_t[]){4, 1, 'x', 0xc0, 27, 0, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, 1, 2, 3, 4,
                                 0xc0, 27, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, 5, 6, 7, 8}),
           36);
    pkt[7] = 2;
    response_fails(pkt, q + 36, -EBADMSG);
    pkt[7] = 1; /* record 1 alone is fine */
    {
        struct net_addr got[1];
        size_t n = 9;

        assert_int_equal(llmnr_parse_response(pkt, q + 20, ID, "democlus", got, 1, &n), 0);
        assert_int_equal(n, 0);
    }
    /* a pointer in the question to offset 0: header bytes read as a label of 0x12 bytes, which
     * holds the NUL of the flags field */
    response_patched_fails(12, 0xc0, -EBADMSG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name_check),
        cmocka_unit_test(test_build_query_bytes),
        cmocka_unit_test(test_build_response_bytes),
        cmocka_unit_test(test_build_response_by_type),
        cmocka_unit_test(test_parse_query),
        cmocka_unit_test(test_parse_query_roundtrip),
        cmocka_unit_test(test_parse_query_flags_and_counts),
        cmocka_unit_test(test_parse_query_malformed),
        cmocka_unit_test(test_parse_response),
        cmocka_unit_test(test_parse_response_records),
        cmocka_unit_test(test_parse_response_roundtrip),
        cmocka_unit_test(test_parse_response_foreign),
        cmocka_unit_test(test_parse_response_malformed),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
