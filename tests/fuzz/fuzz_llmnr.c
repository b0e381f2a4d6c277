/*
 * fuzz_llmnr — LLMNR datagrams: queries the name responder answers, and responses the address
 * checks read.
 *
 * Invariants: a query that parses names a valid LLMNR name; building that query again parses to
 * the same query; the response built for it parses back, as a response to that query, to the
 * addresses of the asked type in order. A response that parses holds at most cap A/AAAA answers.
 * Failures leave the outputs alone.
 */
#include "fuzz.h"

#include <arpa/inet.h>
#include <errno.h>

#include "common/llmnr.h"

#define CAP 4
#define NAME "democlus" /* the name the seed responses answer */

static const struct net_addr addrs[] = {
    {AF_INET, {10, 0, 0, 50}},
    {AF_INET6, {0x20, 0x01, 0x0d, 0xb8, [15] = 0x50}},
    {AF_INET, {192, 168, 1, 7}},
};
#define N_ADDRS (sizeof(addrs) / sizeof(addrs[0]))

static int wanted(const struct llmnr_query *q, const struct net_addr *a)
{
    return q->qtype == LLMNR_TYPE_ANY || (q->qtype == LLMNR_TYPE_A && a->family == AF_INET) ||
           (q->qtype == LLMNR_TYPE_AAAA && a->family == AF_INET6);
}

static void check_answer(const struct llmnr_query *q)
{
    static uint8_t buf[1024];
    struct net_addr got[N_ADDRS];
    struct llmnr_query again;
    size_t len, n, k = 0;

    len = llmnr_build_query(q->id, q->name, q->qtype, buf, sizeof(buf));
    FUZZ_CHECK(len > 0 && llmnr_parse_query(buf, len, &again) == 0);
    FUZZ_CHECK(again.id == q->id && again.qtype == q->qtype && strcmp(again.name, q->name) == 0);

    len = llmnr_build_response(q, addrs, N_ADDRS, LLMNR_TTL_DEFAULT, buf, sizeof(buf));
    FUZZ_CHECK(len > 0);
    FUZZ_CHECK(llmnr_parse_response(buf, len, q->id, q->name, got, N_ADDRS, &n) == 0);
    for (size_t i = 0; i < N_ADDRS; i++) {
        if (!wanted(q, &addrs[i]))
            continue;
        FUZZ_CHECK(k < n && got[k].family == addrs[i].family);
        FUZZ_CHECK(memcmp(got[k].bytes, addrs[i].bytes, addrs[i].family == AF_INET ? 4 : 16) ==
                   0);
        k++;
    }
    FUZZ_CHECK(k == n);
}

static void check_query(const uint8_t *data, size_t size)
{
    struct llmnr_query q;
    int rv;

    memset(&q, FUZZ_POISON, sizeof(q));
    rv = llmnr_parse_query(data, size, &q);
    FUZZ_CHECK(rv == 0 || rv == -EBADMSG || rv == -EPROTO || rv == -EOPNOTSUPP);
    if (rv < 0) {
        FUZZ_CHECK(fuzz_untouched(&q, sizeof(q)));
        return;
    }
    FUZZ_CHECK(size >= LLMNR_HEADER_SIZE && q.id == (data[0] << 8 | data[1]));
    FUZZ_CHECK(llmnr_name_check(q.name) == 0);
    check_answer(&q);
}

static void check_response(const uint8_t *data, size_t size)
{
    struct net_addr got[CAP];
    uint16_t id = size >= 2 ? (uint16_t)(data[0] << 8 | data[1]) : 0;
    size_t n;
    int rv;

    memset(got, FUZZ_POISON, sizeof(got));
    memset(&n, FUZZ_POISON, sizeof(n));
    rv = llmnr_parse_response(data, size, id, NAME, got, CAP, &n);
    FUZZ_CHECK(rv == 0 || rv == -EBADMSG || rv == -ENOMSG);
    if (rv < 0) {
        FUZZ_CHECK(fuzz_untouched(got, sizeof(got)) && fuzz_untouched(&n, sizeof(n)));
        return;
    }
    FUZZ_CHECK(n <= CAP && fuzz_untouched(got + n, (CAP - n) * sizeof(got[0])));
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(got[i].family == AF_INET || got[i].family == AF_INET6);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_query(data, size);
    check_response(data, size);
    return 0;
}
