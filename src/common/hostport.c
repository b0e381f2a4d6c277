/*
 * hostport — "HOST[:PORT]" (see the header).
 */
#include "common/hostport.h"

#include <errno.h>
#include <string.h>

#include "common/address.h"
#include "common/names.h"

static int fail(const char **ret_reason, const char *why)
{
    if (ret_reason != NULL)
        *ret_reason = why;
    return -EINVAL;
}

/* A decimal port, 1..65535, no sign, no leading zero. */
static int parse_port(const char *s, uint16_t *ret)
{
    unsigned long v = 0;

    if (*s < '1' || *s > '9')
        return -EINVAL;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return -EINVAL;
        v = v * 10 + (unsigned long)(*s - '0');
        if (v > 65535)
            return -EINVAL;
    }
    *ret = (uint16_t)v;
    return 0;
}

/* Splits text into the host's bytes [*ret_host, *ret_host + *ret_len) and the port text (NULL:
 * none), by the bracket and colon rules of the header. */
static int split(const char *text, const char **ret_host, size_t *ret_len, const char **ret_port,
                 const char **ret_reason)
{
    const char *colon;

    if (text[0] == '[') {
        const char *close = strchr(text, ']');

        if (close == NULL)
            return fail(ret_reason, "has '[' without ']'");
        if (close[1] != '\0' && close[1] != ':')
            return fail(ret_reason, "has text after ']' that is not ':PORT'");
        *ret_host = text + 1;
        *ret_len = (size_t)(close - text - 1);
        *ret_port = close[1] == ':' ? close + 2 : NULL;
        return 0;
    }
    colon = strchr(text, ':');
    *ret_host = text;
    if (colon != NULL && strchr(colon + 1, ':') == NULL) { /* one colon: HOST:PORT */
        *ret_len = (size_t)(colon - text);
        *ret_port = colon + 1;
    } else { /* none, or an IPv6 literal without a port */
        *ret_len = strlen(text);
        *ret_port = NULL;
    }
    return 0;
}

int hostport_parse(const char *text, uint16_t default_port, char *host, size_t n,
                   uint16_t *ret_port, const char **ret_reason)
{
    char buf[HOSTPORT_HOST_MAX];
    const char *start, *port_text, *why = NULL;
    struct net_addr a;
    uint16_t port = default_port;
    size_t len;

    if (text == NULL || split(text, &start, &len, &port_text, ret_reason) < 0)
        return text == NULL ? fail(ret_reason, "is empty") : -EINVAL;
    if (len == 0)
        return fail(ret_reason, "has an empty host");
    if (len >= sizeof(buf) || len >= n)
        return fail(ret_reason, "has a host name that is too long");
    memcpy(buf, start, len);
    buf[len] = '\0';
    if (text[0] == '[' && (addr_parse(buf, &a) < 0 || a.family != AF_INET6))
        return fail(ret_reason, "has brackets around something that is not an IPv6 address");
    if (name_check_host(buf, &why) < 0)
        return fail(ret_reason, "has a host that is not a host name or an IP address");
    if (port_text != NULL && parse_port(port_text, &port) < 0)
        return fail(ret_reason, "has a port that is not a number from 1 to 65535");
    memcpy(host, buf, len + 1);
    *ret_port = port;
    return 0;
}
