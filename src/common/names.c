/*
 * names — see names.h. Pure code; no I/O.
 */
#include "common/names.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/address.h"
#include "common/hex.h"
#include "common/utf16.h"

static int fail(const char **ret_reason, const char *reason)
{
    if (ret_reason != NULL)
        *ret_reason = reason;
    return -EINVAL;
}

static bool is_ascii_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_ascii_alnum(char c)
{
    return is_ascii_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c + ('a' - 'A')) : c;
}

/* strncasecmp without the locale: only ASCII letters fold, so the result never depends on the
 * environment and non-ASCII bytes compare exactly. */
static bool ascii_equal_n(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (ascii_lower(a[i]) != ascii_lower(b[i]))
            return false;
        if (a[i] == '\0')
            return true;
    }
    return true;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_ascii_digit(s[i]))
            return false;
    return true;
}

/* ---- NetBIOS computer names ---- */

static const struct {
    char c;
    const char *reason;
} netbios_forbidden[] = {
    {'\\', "contains '\\'"}, {'/', "contains '/'"}, {':', "contains ':'"},
    {'*', "contains '*'"},   {'?', "contains '?'"}, {'"', "contains '\"'"},
    {'<', "contains '<'"},   {'>', "contains '>'"}, {'|', "contains '|'"},
};

/* Windows' reserved words for computer names (Server 2008 and later). Those longer than 15
 * characters could never pass the length rule and are left out. */
static const char *const netbios_reserved[] = {
    "ANONYMOUS",    "BATCH",   "BUILTIN",         "CREATOR GROUP", "CREATOR OWNER", "DIALUP",
    "DIGEST AUTH",  "DOMAIN",  "ENTERPRISE",      "INTERACTIVE",   "INTERNET",      "LOCAL",
    "LOCAL SYSTEM", "NETWORK", "NETWORK SERVICE", "NT AUTHORITY",  "NT DOMAIN",     "NTLM AUTH",
    "NULL",         "PROXY",   "RESTRICTED",      "SCHANNEL AUTH", "SELF",          "SERVER",
    "SERVICE",      "SYSTEM",  "TERMINAL SERVER", "USERS",         "WORLD",
};

static const char *netbios_char_reason(unsigned char c)
{
    if (c < 0x20 || c == 0x7F)
        return "contains a control character";
    for (size_t i = 0; i < sizeof(netbios_forbidden) / sizeof(netbios_forbidden[0]); i++)
        if (netbios_forbidden[i].c == (char)c)
            return netbios_forbidden[i].reason;
    return NULL;
}

static bool netbios_is_reserved(const char *name)
{
    for (size_t i = 0; i < sizeof(netbios_reserved) / sizeof(netbios_reserved[0]); i++)
        if (ascii_equal_n(name, netbios_reserved[i], SIZE_MAX))
            return true;
    return false;
}

int name_check_netbios(const char *name, const char **ret_reason)
{
    size_t n;

    if (name == NULL || name[0] == '\0')
        return fail(ret_reason, "is empty");
    n = strlen(name);
    if (n > NAME_NETBIOS_MAX)
        return fail(ret_reason, "is longer than 15 characters");
    for (size_t i = 0; i < n; i++) {
        const char *reason = netbios_char_reason((unsigned char)name[i]);

        if (reason != NULL)
            return fail(ret_reason, reason);
    }
    if (utf8_validate(name, n) < 0)
        return fail(ret_reason, "is not valid UTF-8");
    if (name[0] == ' ' || name[n - 1] == ' ')
        return fail(ret_reason, "begins or ends with a space");
    if (name[0] == '.')
        return fail(ret_reason, "begins with '.'");
    if (all_digits(name, n))
        return fail(ret_reason, "consists only of digits");
    if (netbios_is_reserved(name))
        return fail(ret_reason, "is a reserved word");
    return 0;
}

/* ---- DNS names ---- */

static int check_label(const char *s, size_t n, bool allow_numeric, const char **ret_reason)
{
    if (n == 0)
        return fail(ret_reason, "has an empty label");
    if (n > NAME_DNS_LABEL_MAX)
        return fail(ret_reason, "has a label longer than 63 characters");
    for (size_t i = 0; i < n; i++)
        if (!is_ascii_alnum(s[i]) && s[i] != '-')
            return fail(ret_reason, "contains a character other than A-Z, a-z, 0-9 and '-'");
    if (s[0] == '-' || s[n - 1] == '-')
        return fail(ret_reason, "has a label beginning or ending with '-'");
    if (!allow_numeric && all_digits(s, n))
        return fail(ret_reason, "consists only of digits");
    return 0;
}

int name_check_dns_label(const char *label, const char **ret_reason)
{
    if (label == NULL || label[0] == '\0')
        return fail(ret_reason, "is empty");
    return check_label(label, strlen(label), false, ret_reason);
}

int name_check_cluster(const char *name, const char **ret_reason)
{
    int r = name_check_netbios(name, ret_reason);

    return r < 0 ? r : name_check_dns_label(name, ret_reason);
}

int name_check_host(const char *name, const char **ret_reason)
{
    struct net_addr a;
    size_t n;

    if (name == NULL || name[0] == '\0')
        return fail(ret_reason, "is empty");
    if (addr_parse(name, &a) == 0)
        return 0;
    n = strlen(name);
    if (n > 1 && name[n - 1] == '.')
        n--; /* the root label of an absolute name */
    if (n > NAME_DNS_MAX)
        return fail(ret_reason, "is longer than 253 characters");
    for (size_t start = 0; start <= n;) {
        const char *dot = memchr(name + start, '.', n - start);
        size_t len = dot != NULL ? (size_t)(dot - (name + start)) : n - start;
        /* Only the host label and the top-level label may not be numeric (RFC 1123 §2.1). */
        bool inner = start != 0 && dot != NULL;
        int r = check_label(name + start, len, inner, ret_reason);

        if (r < 0)
            return r;
        start += len + 1;
    }
    return 0;
}

const char *name_short(const char *fqdn, char *buf, size_t n)
{
    struct net_addr a;
    size_t len;

    if (fqdn == NULL || buf == NULL)
        return NULL;
    len = addr_parse(fqdn, &a) == 0 ? strlen(fqdn) : strcspn(fqdn, ".");
    if (len >= n)
        return NULL;
    memcpy(buf, fqdn, len);
    buf[len] = '\0';
    return buf;
}

int name_equal(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return 0;
    return ascii_equal_n(a, b, SIZE_MAX);
}

/* ---- distinguished names (RFC 4514) ---- */

struct dn_cursor {
    const char *p;
    char *out;      /* where the value being parsed is written, or NULL to discard it */
    size_t out_len; /* bytes written, trailing unescaped spaces included */
    size_t keep;    /* bytes to keep: up to the last significant (non-space or escaped) byte */
};

static void dn_skip_spaces(struct dn_cursor *c)
{
    while (*c->p == ' ')
        c->p++;
}

static void dn_emit(struct dn_cursor *c, char byte, bool significant)
{
    if (c->out != NULL)
        c->out[c->out_len] = byte;
    c->out_len++;
    if (significant)
        c->keep = c->out_len;
}

/* attributeType: a keystring (ALPHA *(ALPHA / DIGIT / '-')) or a numeric OID (1.2.840...). On
 * success *ret_len is its length and the cursor stands after it. */
static int dn_parse_type(struct dn_cursor *c, size_t *ret_len)
{
    const char *start = c->p;

    if ((*c->p >= 'a' && *c->p <= 'z') || (*c->p >= 'A' && *c->p <= 'Z')) {
        while (is_ascii_alnum(*c->p) || *c->p == '-')
            c->p++;
    } else if (is_ascii_digit(*c->p)) {
        while (is_ascii_digit(*c->p) || (*c->p == '.' && is_ascii_digit(c->p[1])))
            c->p++;
    } else {
        return -EINVAL;
    }
    *ret_len = (size_t)(c->p - start);
    return 0;
}

/* One escape after '\': a special character or two hex digits. */
static int dn_parse_escape(struct dn_cursor *c)
{
    int hi, lo;

    if (*c->p != '\0' && strchr(" \"#+,;<=>\\", *c->p) != NULL) {
        dn_emit(c, *c->p++, true);
        return 0;
    }
    hi = hex_value(c->p[0]);
    lo = hi < 0 ? -1 : hex_value(c->p[1]);
    if (lo < 0)
        return -EINVAL;
    dn_emit(c, (char)(hi * 16 + lo), true);
    c->p += 2;
    return 0;
}

/* A '#' value: one or more pairs of hex digits (a BER encoding, which we only skip). */
static int dn_parse_hexstring(struct dn_cursor *c)
{
    size_t pairs = 0;

    c->p++;
    while (hex_value(c->p[0]) >= 0 && hex_value(c->p[1]) >= 0) {
        c->p += 2;
        pairs++;
    }
    dn_skip_spaces(c);
    return pairs > 0 && (*c->p == '\0' || *c->p == ',' || *c->p == '+') ? 0 : -EINVAL;
}

/* A string value, up to an unescaped ',' or '+' or the end; trailing unescaped spaces are
 * dropped. Unescaped '"', ';', '<', '>' are malformed (RFC 4514 requires escaping them). */
static int dn_parse_string(struct dn_cursor *c)
{
    c->out_len = c->keep = 0;
    while (*c->p != '\0' && *c->p != ',' && *c->p != '+') {
        char ch = *c->p++;

        if (ch == '\\') {
            if (dn_parse_escape(c) < 0)
                return -EINVAL;
        } else if (strchr("\";<>", ch) != NULL) {
            return -EINVAL;
        } else {
            dn_emit(c, ch, ch != ' ');
        }
    }
    return 0;
}

/* attributeTypeAndValue. If want_cn, the type must be CN and the value a non-empty string,
 * which is left in c->out (c->keep bytes). */
static int dn_parse_ava(struct dn_cursor *c, bool want_cn)
{
    const char *type;
    size_t type_len;

    dn_skip_spaces(c);
    type = c->p;
    if (dn_parse_type(c, &type_len) < 0)
        return -EINVAL;
    if (want_cn && (type_len != 2 || !ascii_equal_n(type, "CN", 2)))
        return -EINVAL;
    dn_skip_spaces(c);
    if (*c->p != '=')
        return -EINVAL;
    c->p++;
    dn_skip_spaces(c);
    if (*c->p == '#')
        return want_cn ? -EINVAL : dn_parse_hexstring(c);
    if (dn_parse_string(c) < 0)
        return -EINVAL;
    return want_cn && c->keep == 0 ? -EINVAL : 0;
}

/* The whole DN: the first RDN is a single CN AVA (written to c->out, length left in c->keep),
 * the rest are only checked. */
static int dn_parse(struct dn_cursor *c)
{
    size_t cn_len;

    if (dn_parse_ava(c, true) < 0 || *c->p == '+')
        return -EINVAL;
    cn_len = c->keep;
    c->out = NULL;
    while (*c->p != '\0') {
        c->p++; /* ',' or '+' */
        if (dn_parse_ava(c, false) < 0)
            return -EINVAL;
    }
    c->keep = cn_len;
    return 0;
}

int name_parse_dn(const char *in, char **ret_name)
{
    struct dn_cursor c = {.p = in};
    char *out;

    if (in == NULL || ret_name == NULL)
        return -EINVAL;
    if (!ascii_equal_n(in, "CN=", 3)) {
        out = strdup(in);
        if (out == NULL)
            return -ENOMEM;
        *ret_name = out;
        return 0;
    }
    /* Unescaping never makes a value longer than its text. */
    out = malloc(strlen(in) + 1);
    if (out == NULL)
        return -ENOMEM;
    c.out = out;
    if (dn_parse(&c) < 0 || utf8_validate(out, c.keep) < 0) {
        free(out);
        return -EINVAL;
    }
    out[c.keep] = '\0';
    *ret_name = out;
    return 0;
}
