/*
 * llmnr — LLMNR message encoding and decoding (RFC 4795 on top of RFC 1035 §4.1).
 */
#include "common/llmnr.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "common/names.h"

#define WIRE_NAME_MAX 255    /* RFC 1035 §2.3.4, length octets and the final zero included */
#define POINTER_BITS 0xc0
#define QUESTION_OFFSET 0x0c /* the question's name follows the header */
#define RR_FIXED 10          /* TYPE, CLASS, TTL, RDLENGTH */

struct header {
    uint16_t id, flags, qdcount, ancount, nscount, arcount;
};

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)(v >> 16));
    put16(p + 2, (uint16_t)v);
}

static void header_read(const uint8_t *pkt, struct header *h)
{
    h->id = get16(pkt);
    h->flags = get16(pkt + 2);
    h->qdcount = get16(pkt + 4);
    h->ancount = get16(pkt + 6);
    h->nscount = get16(pkt + 8);
    h->arcount = get16(pkt + 10);
}

/* ------------------------------------------------------------------------------------------ */
/* names */

int llmnr_name_check(const char *name)
{
    size_t len, label = 0;

    if (!name)
        return -EINVAL;
    len = strlen(name);
    if (len == 0 || len > LLMNR_NAME_MAX)
        return -EINVAL;
    for (size_t i = 0; i <= len; i++) {
        if (name[i] == '.' || name[i] == '\0') {
            if (label == 0 || label > LLMNR_LABEL_MAX)
                return -EINVAL;
            label = 0;
        } else {
            label++;
        }
    }
    return 0;
}

/* Writes the wire form of a checked name. Returns its length, or 0 if it does not fit. */
static size_t name_encode(const char *name, uint8_t *buf, size_t cap)
{
    size_t w = 0;

    if (strlen(name) + 2 > cap)
        return 0;
    while (*name) {
        size_t l = strcspn(name, ".");

        buf[w++] = (uint8_t)l;
        memcpy(buf + w, name, l);
        w += l;
        name += l + (name[l] == '.');
    }
    buf[w++] = 0;
    return w;
}

/* Appends one label to text (LLMNR_NAME_MAX + 1 bytes) at *t; -EBADMSG for '.' or NUL in it. */
static int label_append(const uint8_t *label, size_t l, char *text, size_t *t)
{
    if (*t)
        text[(*t)++] = '.';
    for (size_t i = 0; i < l; i++) {
        if (label[i] == '.' || label[i] == '\0')
            return -EBADMSG;
        text[(*t)++] = (char)label[i];
    }
    return 0;
}

/*
 * Decodes the name at *off into text (LLMNR_NAME_MAX + 1 bytes) and moves *off past it. With
 * pointers, a compression pointer must point strictly before the start of the segment that holds
 * it (the name's own start, then each pointer's target): the segment starts fall at every jump,
 * so decoding ends. Encoders only ever point at earlier names, which meet the rule.
 */
static int name_decode(const uint8_t *pkt, size_t len, size_t *off, bool pointers, char *text)
{
    size_t pos = *off, seg = *off, end = 0, t = 0, wire = 1;

    for (;;) {
        uint8_t b;

        if (pos >= len)
            return -EBADMSG;
        b = pkt[pos];
        if (b == 0)
            break;
        if ((b & POINTER_BITS) == POINTER_BITS) {
            size_t target;

            if (!pointers || pos + 1 >= len)
                return -EBADMSG;
            target = (size_t)(b & ~POINTER_BITS) << 8 | pkt[pos + 1];
            if (target >= seg)
                return -EBADMSG;
            if (!end)
                end = pos + 2;
            pos = seg = target;
            continue;
        }
        wire += 1u + b;
        /* 0x40 and 0x80 are label types nobody defined; a label must fit in the packet */
        if ((b & POINTER_BITS) || wire > WIRE_NAME_MAX || len - pos - 1 < b)
            return -EBADMSG;
        if (label_append(pkt + pos + 1, b, text, &t) < 0)
            return -EBADMSG;
        pos += 1u + b;
    }
    if (t == 0)
        return -EBADMSG; /* the root name asks for nothing */
    text[t] = '\0';
    *off = end ? end : pos + 1;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* building */

/* Header and question: the start of every message we send. Returns the length or 0. */
static size_t message_start(uint16_t id, uint16_t flags, const char *name, uint16_t qtype,
                            uint8_t *buf, size_t cap)
{
    size_t w;

    if (!buf || llmnr_name_check(name) < 0 || cap < LLMNR_HEADER_SIZE)
        return 0;
    memset(buf, 0, LLMNR_HEADER_SIZE);
    put16(buf, id);
    put16(buf + 2, flags);
    put16(buf + 4, 1);
    w = name_encode(name, buf + LLMNR_HEADER_SIZE, cap - LLMNR_HEADER_SIZE);
    if (w == 0 || cap - LLMNR_HEADER_SIZE - w < 4)
        return 0;
    w += LLMNR_HEADER_SIZE;
    put16(buf + w, qtype);
    put16(buf + w + 2, LLMNR_CLASS_IN);
    return w + 4;
}

size_t llmnr_build_query(uint16_t id, const char *name, uint16_t qtype, uint8_t *buf, size_t cap)
{
    return message_start(id, 0, name, qtype, buf, cap);
}

static bool type_matches(uint16_t qtype, int family)
{
    if (family == AF_INET)
        return qtype == LLMNR_TYPE_A || qtype == LLMNR_TYPE_ANY;
    if (family == AF_INET6)
        return qtype == LLMNR_TYPE_AAAA || qtype == LLMNR_TYPE_ANY;
    return false;
}

size_t llmnr_build_response(const struct llmnr_query *q, const struct net_addr *addrs, size_t n,
                            uint32_t ttl, uint8_t *buf, size_t cap)
{
    uint16_t count = 0;
    size_t w;

    if (!q || (n && !addrs))
        return 0;
    w = message_start(q->id, LLMNR_FLAG_QR, q->name, q->qtype, buf, cap);
    for (size_t i = 0; w && i < n; i++) {
        bool v4 = addrs[i].family == AF_INET;
        uint16_t rdlen = v4 ? 4 : 16;

        if (!type_matches(q->qtype, addrs[i].family))
            continue;
        if (cap - w < RR_FIXED + 2u + rdlen)
            return 0;
        put16(buf + w, POINTER_BITS << 8 | QUESTION_OFFSET);
        put16(buf + w + 2, v4 ? LLMNR_TYPE_A : LLMNR_TYPE_AAAA);
        put16(buf + w + 4, LLMNR_CLASS_IN);
        put32(buf + w + 6, ttl);
        put16(buf + w + 10, rdlen);
        memcpy(buf + w + 12, addrs[i].bytes, rdlen);
        w += RR_FIXED + 2u + rdlen;
        count++;
    }
    if (w)
        put16(buf + 6, count);
    return w;
}

/* ------------------------------------------------------------------------------------------ */
/* parsing */

int llmnr_parse_query(const uint8_t *pkt, size_t len, struct llmnr_query *ret)
{
    struct llmnr_query q;
    struct header h;
    size_t off = LLMNR_HEADER_SIZE;
    uint16_t qclass;
    int rv;

    if (!pkt || len < LLMNR_HEADER_SIZE)
        return -EBADMSG;
    header_read(pkt, &h);
    if ((h.flags & (LLMNR_FLAG_QR | LLMNR_FLAG_OPCODE | LLMNR_FLAG_C)) || h.qdcount != 1
        || h.ancount != 0 || h.nscount != 0)
        return -EPROTO;
    rv = name_decode(pkt, len, &off, false, q.name);
    if (rv < 0)
        return rv;
    if (len - off < 4)
        return -EBADMSG;
    q.id = h.id;
    q.qtype = get16(pkt + off);
    qclass = get16(pkt + off + 2);
    if (qclass != LLMNR_CLASS_IN
        || (q.qtype != LLMNR_TYPE_A && q.qtype != LLMNR_TYPE_AAAA && q.qtype != LLMNR_TYPE_ANY))
        return -EOPNOTSUPP;
    *ret = q;
    return 0;
}

/* One answer's data: 1 and *ret if it is an address of name, 0 to skip it, or -EBADMSG. */
static int answer_take(uint16_t type, uint16_t class, const uint8_t *rdata, uint16_t rdlen,
                       const char *owner, const char *name, struct net_addr *ret)
{
    int family = type == LLMNR_TYPE_A ? AF_INET : type == LLMNR_TYPE_AAAA ? AF_INET6 : 0;
    uint16_t want = family == AF_INET ? 4 : 16;

    if (!family || class != LLMNR_CLASS_IN)
        return 0;
    if (rdlen != want)
        return -EBADMSG;
    if (!name_equal(owner, name))
        return 0;
    memset(ret, 0, sizeof(*ret));
    ret->family = family;
    memcpy(ret->bytes, rdata, want);
    return 1;
}

/* Walks count answers from off; stores up to cap addresses of name in out (NULL: check only). */
static int answers_walk(const uint8_t *pkt, size_t len, size_t off, uint16_t count,
                        const char *name, struct net_addr *out, size_t cap, size_t *ret_n)
{
    char owner[LLMNR_NAME_MAX + 1];
    size_t n = 0;

    for (uint16_t i = 0; i < count; i++) {
        struct net_addr a;
        uint16_t rdlen;
        int rv = name_decode(pkt, len, &off, true, owner);

        if (rv < 0)
            return rv;
        if (len - off < RR_FIXED)
            return -EBADMSG;
        rdlen = get16(pkt + off + 8);
        if (len - off - RR_FIXED < rdlen)
            return -EBADMSG;
        rv = answer_take(get16(pkt + off), get16(pkt + off + 2), pkt + off + RR_FIXED, rdlen,
                         owner, name, &a);
        if (rv < 0)
            return rv;
        if (rv > 0 && out && n < cap)
            out[n++] = a;
        off += RR_FIXED + rdlen;
    }
    *ret_n = n;
    return 0;
}

int llmnr_parse_response(const uint8_t *pkt, size_t len, uint16_t id, const char *name,
                         struct net_addr *ret, size_t cap, size_t *ret_n)
{
    char qname[LLMNR_NAME_MAX + 1];
    size_t off = LLMNR_HEADER_SIZE, n;
    struct header h;
    int rv;

    if (!pkt || len < LLMNR_HEADER_SIZE)
        return -EBADMSG;
    if (!name || (cap && !ret))
        return -EINVAL;
    header_read(pkt, &h);
    if (h.id != id || !(h.flags & LLMNR_FLAG_QR)
        || (h.flags & (LLMNR_FLAG_OPCODE | LLMNR_FLAG_RCODE)) || h.qdcount != 1)
        return -ENOMSG;
    rv = name_decode(pkt, len, &off, true, qname);
    if (rv < 0)
        return rv;
    if (len - off < 4)
        return -EBADMSG;
    if (!name_equal(qname, name) || get16(pkt + off + 2) != LLMNR_CLASS_IN)
        return -ENOMSG;
    off += 4;
    /* two passes, so that ret is untouched when a later record turns out malformed */
    rv = answers_walk(pkt, len, off, h.ancount, name, NULL, 0, &n);
    if (rv < 0)
        return rv;
    answers_walk(pkt, len, off, h.ancount, name, ret, cap, &n);
    if (ret_n)
        *ret_n = n;
    return 0;
}
