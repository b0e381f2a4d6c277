/*
 * address — see address.h. Pure code: inet_pton/inet_ntop only convert text, they do no I/O.
 */
#include "common/address.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <clusapi_wintypes.h>

int addr_parse(const char *s, struct net_addr *ret)
{
    struct net_addr a;

    if (s == NULL || ret == NULL)
        return -EINVAL;
    memset(&a, 0, sizeof(a));
    /* glibc's inet_pton takes only the strict forms: four decimal parts without leading zeros,
     * and IPv6 without a scope id. */
    if (inet_pton(AF_INET, s, a.bytes) == 1)
        a.family = AF_INET;
    else if (inet_pton(AF_INET6, s, a.bytes) == 1)
        a.family = AF_INET6;
    else
        return -EINVAL;
    *ret = a;
    return 0;
}

/* Strict decimal: 1..3 digits, no sign, no leading zero except "0" itself. */
static int parse_prefix(const char *s, uint32_t *ret)
{
    uint32_t v = 0;
    size_t n = strlen(s);

    if (n == 0 || n > 3 || (n > 1 && s[0] == '0'))
        return -EINVAL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -EINVAL;
        v = v * 10 + (uint32_t)(s[i] - '0');
    }
    *ret = v;
    return 0;
}

int addr_parse_cidr(const char *s, struct net_addr *ret, uint32_t *ret_prefix)
{
    char text[ADDR_STRLEN];
    const char *slash;
    struct net_addr a;
    uint32_t prefix;

    if (s == NULL || ret == NULL || ret_prefix == NULL)
        return -EINVAL;
    slash = strchr(s, '/');
    if (slash == NULL || (size_t)(slash - s) >= sizeof(text))
        return -EINVAL;
    memcpy(text, s, (size_t)(slash - s));
    text[slash - s] = '\0';
    if (addr_parse(text, &a) < 0 || parse_prefix(slash + 1, &prefix) < 0)
        return -EINVAL;
    if (prefix > addr_bits(&a))
        return -EINVAL;
    *ret = a;
    *ret_prefix = prefix;
    return 0;
}

int addr_format(const struct net_addr *a, char *buf, size_t n)
{
    char text[ADDR_STRLEN];
    size_t len;

    if (a == NULL || (a->family != AF_INET && a->family != AF_INET6))
        return -EAFNOSUPPORT;
    if (inet_ntop(a->family, a->bytes, text, sizeof(text)) == NULL)
        return -EAFNOSUPPORT;
    len = strlen(text);
    if (buf == NULL || n <= len)
        return -ENOSPC;
    memcpy(buf, text, len + 1);
    return 0;
}

uint32_t addr_bits(const struct net_addr *a)
{
    if (a->family == AF_INET)
        return 32;
    if (a->family == AF_INET6)
        return 128;
    return 0;
}

/* Bit i of the address, counting from the most significant bit of bytes[0]. */
static int addr_bit(const struct net_addr *a, uint32_t i)
{
    return (a->bytes[i / 8] >> (7 - i % 8)) & 1;
}

/* true if every bit from position `from` to the end of the address equals `value`. */
static bool host_bits_all(const struct net_addr *a, uint32_t from, int value)
{
    for (uint32_t i = from; i < addr_bits(a); i++)
        if (addr_bit(a, i) != value)
            return false;
    return true;
}

bool addr_in_subnet(const struct net_addr *a, const struct net_addr *net, uint32_t prefix)
{
    uint32_t bits = addr_bits(a);

    if (bits == 0 || a->family != net->family || prefix > bits)
        return false;
    for (uint32_t i = 0; i < prefix; i++)
        if (addr_bit(a, i) != addr_bit(net, i))
            return false;
    return true;
}

bool addr_is_network_id(const struct net_addr *a, uint32_t prefix)
{
    uint32_t bits = addr_bits(a);

    /* With fewer than two host bits (/31, /32, /127, /128) every address is a host address
     * (RFC 3021, RFC 6164), so none is a network id. */
    if (bits == 0 || prefix > bits || bits - prefix < 2)
        return false;
    return host_bits_all(a, prefix, 0);
}

int addr_cmp(const struct net_addr *a, const struct net_addr *b)
{
    if (a->family != b->family)
        return a->family < b->family ? -1 : 1;
    return memcmp(a->bytes, b->bytes, sizeof(a->bytes));
}

/* ---- cluster IP entry rule ---- */

struct prefix_rule {
    const char *net;
    uint32_t prefix;
    const char *reason;
};

static const struct prefix_rule ipv4_rejects[] = {
    {"0.0.0.0", 8, "is in 0.0.0.0/8 (unspecified or \"this network\")"},
    {"127.0.0.0", 8, "is a loopback address"},
    {"224.0.0.0", 4, "is a multicast address"},
    {"240.0.0.0", 4, "is a reserved or broadcast address"},
};

/* The order matters: link-local gets its own reason before the generic "not global unicast". */
static const struct prefix_rule ipv6_rejects[] = {
    {"::", 128, "is the unspecified IPv6 address"},
    {"::1", 128, "is the IPv6 loopback address"},
    {"ff00::", 8, "is an IPv6 multicast address"},
    {"fe80::", 10, "is an IPv6 link-local address"},
    {"::ffff:0.0.0.0", 96, "is an IPv4-mapped IPv6 address"},
};

static bool in_prefix(const struct net_addr *a, const char *net, uint32_t prefix)
{
    struct net_addr n;

    return addr_parse(net, &n) == 0 && addr_in_subnet(a, &n, prefix);
}

static const char *match_rule(const struct net_addr *a, const struct prefix_rule *rules, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (in_prefix(a, rules[i].net, rules[i].prefix))
            return rules[i].reason;
    return NULL;
}

static uint32_t check_ipv4(const struct net_addr *a, uint32_t prefix, const char **reason)
{
    if (prefix < 1 || prefix > 32) {
        *reason = "has a prefix length outside 1..32";
        return ERROR_INVALID_PARAMETER;
    }
    *reason = match_rule(a, ipv4_rejects, sizeof(ipv4_rejects) / sizeof(ipv4_rejects[0]));
    if (*reason != NULL)
        return ERROR_INVALID_PARAMETER;
    if (prefix <= 30 && host_bits_all(a, prefix, 1)) {
        *reason = "is the broadcast address of its subnet";
        return ERROR_INVALID_PARAMETER;
    }
    return 0;
}

static uint32_t check_ipv6(const struct net_addr *a, uint32_t prefix, const char **reason)
{
    if (prefix < 1 || prefix > 128) {
        *reason = "has a prefix length outside 1..128";
        return ERROR_INVALID_PARAMETER;
    }
    *reason = match_rule(a, ipv6_rejects, sizeof(ipv6_rejects) / sizeof(ipv6_rejects[0]));
    if (*reason != NULL)
        return ERROR_INVALID_CLUSTER_IPV6_ADDRESS;
    if (!in_prefix(a, "2000::", 3) && !in_prefix(a, "fc00::", 7)) {
        *reason = "is neither an IPv6 global unicast nor a unique local address";
        return ERROR_INVALID_CLUSTER_IPV6_ADDRESS;
    }
    if (addr_is_network_id(a, prefix)) {
        *reason = "is the subnet-router anycast address of its prefix";
        return ERROR_INVALID_CLUSTER_IPV6_ADDRESS;
    }
    return 0;
}

uint32_t addr_check_cluster_ip(const char *s, uint32_t prefix, const char **ret_reason)
{
    const char *reason = NULL;
    struct net_addr a;
    uint32_t code;

    if (s == NULL || s[0] == '\0') {
        reason = "is empty";
        code = ERROR_INVALID_PARAMETER;
    } else if (addr_parse(s, &a) < 0) {
        bool v6 = strchr(s, ':') != NULL;

        reason = v6 ? "is not a valid IPv6 address" : "is not a numeric IPv4 or IPv6 address";
        code = v6 ? ERROR_INVALID_CLUSTER_IPV6_ADDRESS : ERROR_INVALID_PARAMETER;
    } else if (a.family == AF_INET) {
        code = check_ipv4(&a, prefix, &reason);
    } else {
        code = check_ipv6(&a, prefix, &reason);
    }
    if (code != 0 && ret_reason != NULL)
        *ret_reason = reason;
    return code;
}
