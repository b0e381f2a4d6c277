/*
 * llmnr — the wire format of Link-Local Multicast Name Resolution (RFC 4795): parse a query,
 * build the response, build a query and parse its response. Pure: no I/O, no allocation.
 *
 * LLMNR messages are DNS messages (RFC 1035 §4.1) with LLMNR's own header flags:
 *     QR(1) OPCODE(4) C(1) TC(1) T(1) Z(4) RCODE(4)
 * Names are handled in dotted text form ("democlus", "a.b"), compared ignoring ASCII case. A label
 * holding '.' or NUL is refused as malformed, so the text form is never ambiguous.
 */
#ifndef CLUSAPI_LLMNR_H
#define CLUSAPI_LLMNR_H

#include <stddef.h>
#include <stdint.h>

#include "common/address.h"

#define LLMNR_PORT 5355
#define LLMNR_GROUP4 "224.0.0.252"
#define LLMNR_GROUP6 "ff02::1:3"
#define LLMNR_TTL_DEFAULT 30 /* seconds, RFC 4795 §2.8 */
#define LLMNR_HEADER_SIZE 12
#define LLMNR_NAME_MAX 253   /* text form, without NUL or trailing dot */
#define LLMNR_LABEL_MAX 63

#define LLMNR_TYPE_A 1
#define LLMNR_TYPE_AAAA 28
#define LLMNR_TYPE_ANY 255
#define LLMNR_CLASS_IN 1

/* header flag bits */
#define LLMNR_FLAG_QR 0x8000
#define LLMNR_FLAG_OPCODE 0x7800
#define LLMNR_FLAG_C 0x0400
#define LLMNR_FLAG_TC 0x0200
#define LLMNR_FLAG_T 0x0100
#define LLMNR_FLAG_RCODE 0x000f

struct llmnr_query {
    uint16_t id;
    uint16_t qtype; /* LLMNR_TYPE_A, _AAAA or _ANY */
    char name[LLMNR_NAME_MAX + 1];
};

/* 0 if name can be sent as an LLMNR name: 1..253 bytes, labels of 1..63 bytes (no empty label,
 * no leading, trailing or double dot). -EINVAL otherwise (also for NULL). */
int llmnr_name_check(const char *name);

/*
 * Parses a query a responder may answer (RFC 4795 §2.1.1): QR=0, OPCODE=0, C=0 (§2.1.1: a
 * responder must not answer a query with the conflict bit), QDCOUNT=1, ANCOUNT=0, NSCOUNT=0; one
 * question whose name has no compression pointer, QTYPE A, AAAA or ANY, QCLASS IN. TC, T, Z and
 * RCODE are ignored, as are bytes after the question (additional records such as EDNS0 OPT).
 * Returns 0 and fills *ret, or
 *   -EBADMSG     malformed: short header, truncated question, label overrun, a compression
 *                pointer, a label holding '.' or NUL, a name over 255 bytes, the root name;
 *   -EPROTO      well formed but not a query to answer: a flag or count above is wrong;
 *   -EOPNOTSUPP  another QTYPE or QCLASS.
 * *ret is untouched on failure.
 */
int llmnr_parse_query(const uint8_t *pkt, size_t len, struct llmnr_query *ret);

/*
 * Writes the response to q into buf (cap bytes): the ID, QR=1, everything else zero (the name is
 * unique, so C=0; we are authoritative, so T=0), the question repeated, then one answer per
 * address matching q->qtype (A for IPv4, AAAA for IPv6, both for ANY), in the order given, with
 * owner name pointing at the question (0xc00c) and the given TTL. Addresses of other families are
 * skipped; no match gives an empty answer section, which RFC 4795 §2.3 allows. Returns the length
 * written, or 0 if q is NULL, its name is not valid, or buf is too small.
 */
size_t llmnr_build_response(const struct llmnr_query *q, const struct net_addr *addrs, size_t n,
                            uint32_t ttl, uint8_t *buf, size_t cap);

/* Writes a query (flags all zero, one question of qtype and class IN) into buf (cap bytes).
 * Returns the length, or 0 if name is not valid or buf is too small. */
size_t llmnr_build_query(uint16_t id, const char *name, uint16_t qtype, uint8_t *buf, size_t cap);

/*
 * Parses a response to the query (id, name): checks the ID, QR=1, OPCODE=0, RCODE=0, QDCOUNT=1
 * and that the question names name (ASCII case ignored) in class IN, then collects the A and AAAA
 * answers of class IN whose owner name is name, in order, at most cap of them (the rest are
 * dropped). Compression pointers are followed, each strictly backwards of the name segment that
 * holds it, so loops cannot happen. Other record types are skipped; records after the answer
 * section are not read. A response with the TC bit is taken as it is (no TCP retry).
 * Returns 0, *ret_n and ret[0..*ret_n-1] (possibly zero answers), or
 *   -EBADMSG  malformed: truncation, overrun, a forward or looping pointer, an A/AAAA record
 *             whose RDLENGTH is not 4/16;
 *   -ENOMSG   well formed but not the answer to this query (ID, QR, OPCODE, RCODE, QDCOUNT,
 *             question name or class).
 * ret and *ret_n are untouched on failure.
 */
int llmnr_parse_response(const uint8_t *pkt, size_t len, uint16_t id, const char *name,
                         struct net_addr *ret, size_t cap, size_t *ret_n);

#endif
