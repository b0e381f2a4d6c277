/*
 * hostport — "HOST[:PORT]", the way a witness is named (`clusctl quorum set --witness`, the
 * Address property of a Node Witness resource). Pure.
 *
 * HOST is a host name or an IPv4 literal, or an IPv6 literal, bracketed when a port follows
 * ("[fd00::13]:3400"); a bare IPv6 literal ("fd00::13") is a host without a port. HOST must pass
 * name_check_host(); PORT is decimal, 1..65535, without sign or leading zeros.
 */
#ifndef CLUSAPI_HOSTPORT_H
#define CLUSAPI_HOSTPORT_H

#include <stddef.h>
#include <stdint.h>

/* Longest host text hostport_parse() stores, with its NUL: a DNS name of 253 bytes. */
#define HOSTPORT_HOST_MAX 254

/*
 * Parses text into host (n bytes; without brackets) and *ret_port (default_port when text names
 * no port). Returns 0, or -EINVAL with a static English phrase in *ret_reason (when not NULL):
 * "has an empty host", "has a bad port" ... The outputs are untouched on failure.
 */
int hostport_parse(const char *text, uint16_t default_port, char *host, size_t n,
                   uint16_t *ret_port, const char **ret_reason);

#endif
