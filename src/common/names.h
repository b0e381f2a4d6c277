/*
 * names — the rules for cluster and node names.
 *
 * A cluster name is a computer name: it must be a valid NetBIOS computer name (Microsoft's
 * "Naming conventions in Active Directory for computers, domains, sites, and OUs") and a valid
 * DNS host label (RFC 1123). Node names may also be written as FQDNs or IP literals.
 * A cluster name may be given as a distinguished name ("CN=clu1,OU=Servers,DC=example,DC=com");
 * name_parse_dn() extracts the CN.
 *
 * The check functions return 0 or -EINVAL. If ret_reason is not NULL, a failure stores a static
 * English phrase there ("contains '*'", "is longer than 15 characters") so a tool can say why:
 * "cluster name 'a*b' contains '*'". ret_reason is untouched on success.
 */
#ifndef CLUSAPI_NAMES_H
#define CLUSAPI_NAMES_H

#include <stddef.h>

#define NAME_NETBIOS_MAX 15   /* bytes; the 16th byte of a NetBIOS name is the service suffix */
#define NAME_DNS_LABEL_MAX 63 /* bytes (RFC 1035) */
#define NAME_DNS_MAX 253      /* bytes of a DNS name in text form, without a trailing dot */

/* NetBIOS computer name: 1..15 bytes of UTF-8; none of \ / : * ? " < > |, no control characters
 * (0x01-0x1F, 0x7F), no leading or trailing space, no leading '.', not only digits, and not one
 * of the Windows reserved words (ANONYMOUS, BATCH, LOCAL, NULL, SERVER, SYSTEM, ... compared
 * case-insensitively). Non-ASCII characters are allowed if the UTF-8 is well formed. */
int name_check_netbios(const char *name, const char **ret_reason);

/* DNS host label (RFC 1123): 1..63 characters of [A-Za-z0-9-], not starting or ending with '-',
 * and not only digits. */
int name_check_dns_label(const char *label, const char **ret_reason);

/* A cluster name: both name_check_netbios() and name_check_dns_label(), which in practice means
 * 1..15 characters of [A-Za-z0-9-], not all digits, no '-' at either end, not a reserved word. */
int name_check_cluster(const char *name, const char **ret_reason);

/* A node host name: either a numeric IPv4/IPv6 literal (address.h), or a DNS name of at most
 * 253 characters (one trailing '.' allowed, not counted) whose labels pass the RFC 1123 label
 * rule, except that middle labels may be all digits ("n1.42.example.com"); the first (host) and
 * the last (top-level) label may not. The NetBIOS 15-character limit is not applied: use
 * name_short() and name_check_netbios() where a NetBIOS name is needed. */
int name_check_host(const char *name, const char **ret_reason);

/* If in starts with "CN=" (any case), parses it as an LDAP distinguished name (RFC 4514: RDNs
 * separated by ',', AVAs within an RDN by '+', values with \-escapes of a special character or two
 * hex digits, '#' hex values; spaces around ',', '+' and '=' are tolerated) and stores a
 * malloc'd copy of the unescaped CN value in *ret_name. Otherwise in is not a DN and *ret_name is
 * a malloc'd copy of in as is. The first RDN must be a single CN AVA with a non-empty string
 * value; quoted values (RFC 1779) are not supported. Returns 0, -EINVAL for a malformed DN (or
 * a CN value that is not UTF-8 or contains NUL), -ENOMEM. *ret_name is untouched on failure. */
int name_parse_dn(const char *in, char **ret_name);

/* 1 if a and b are equal ignoring ASCII case, else 0 (also 0 if either is NULL). */
int name_equal(const char *a, const char *b);

/* Copies the first label of fqdn (everything before the first '.') into buf of n bytes and
 * returns buf. An IP literal is copied whole, since its first "label" names nothing. Returns NULL
 * (buf untouched) if fqdn or buf is NULL or the result does not fit. */
const char *name_short(const char *fqdn, char *buf, size_t n);

#endif
