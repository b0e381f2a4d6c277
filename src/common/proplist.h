/*
 * proplist — the CLUSPROP property-list codec of the control calls (clusapi.h's CLUSPROP_*
 * structures), between a byte buffer and arrays of struct prop (common/prop.h). Pure.
 *
 * A property list is a DWORD count, then per property a CLUSPROP_SYNTAX_NAME entry, its value
 * entry and a CLUSPROP_SYNTAX_ENDMARK. An entry is {syntax DWORD, cbLength DWORD, data}; data is
 * padded with zero bytes to ALIGN_CLUSPROP(cbLength); an end mark is the syntax DWORD alone.
 * Strings are UTF-16LE with their NUL counted in cbLength; a MULTI_SZ is its strings, each with
 * its NUL, and one more NUL (the empty list is that NUL alone).
 *
 * Encoders write into a caller's buffer of cap bytes (NULL with cap 0 probes) and return a Win32
 * code: ERROR_SUCCESS, or ERROR_MORE_DATA with *ret_size the bytes needed (the buffer's contents
 * are then unspecified), or ERROR_INVALID_DATA for a value whose text form does not parse for its
 * syntax (or is not UTF-8), ERROR_INVALID_PARAMETER for a syntax the codec does not carry.
 *
 * The decoder is strict and never reads outside [buf, buf + size). As ResUtilVerifyPropertyTable
 * documents: an entry that runs past size is ERROR_INSUFFICIENT_BUFFER; any other malformation
 * (no buffer, a size that is not a whole number of DWORDs, a bad cbLength, an unterminated
 * string or one with a NUL inside, invalid UTF-16, a missing end mark, more or fewer
 * properties than the count, a second value for one property) is ERROR_INVALID_DATA; a name
 * entry with another syntax or a value syntax outside the formats below is
 * ERROR_INVALID_PARAMETER, as is a MULTI_SZ string holding '\n' (prop.h cannot carry it).
 *
 * Formats carried (syntax CLUSPROP_SYNTAX_LIST_VALUE_*): BINARY, DWORD, LONG, WORD, SZ,
 * EXPAND_SZ, EXPANDED_SZ, MULTI_SZ, ULARGE_INTEGER, LARGE_INTEGER.
 */
#ifndef CLUSAPI_PROPLIST_H
#define CLUSAPI_PROPLIST_H

#include <stddef.h>
#include <stdint.h>

#include "common/prop.h"

/* CLUSPROP_SYNTAX_LIST_VALUE_* beyond prop.h's PROP_SYNTAX_* (same numbering, clusapi.h). */
#define PROP_SYNTAX_EXPANDED_SZ 0x00010008u
#define PROP_SYNTAX_LARGE_INTEGER 0x0001000au
#define PROP_SYNTAX_WORD 0x0001000bu

/* Fixed syntaxes of the list structure. */
#define PROPLIST_SYNTAX_ENDMARK 0x00000000u
#define PROPLIST_SYNTAX_NAME 0x00040003u     /* CLUSPROP_SYNTAX_NAME */
#define PROPLIST_SYNTAX_RESCLASS 0x00020002u /* CLUSPROP_SYNTAX_RESCLASS */

/* Encodes the n properties of props as a property list. */
uint32_t proplist_encode(const struct prop *props, size_t n, void *buf, size_t cap,
                         size_t *ret_size);

/*
 * Decodes the property list buf (size bytes). On success *ret is one malloc'd block holding
 * the array and its strings (a single free()), *ret_n its length (0 for an empty list; *ret is
 * then still a valid block). Values are in prop.h's text form. *ret, *ret_n untouched on error.
 * Returns ERROR_SUCCESS, a code above, or ERROR_NOT_ENOUGH_MEMORY.
 */
uint32_t proplist_decode(const void *buf, size_t size, struct prop **ret, size_t *ret_n);

/* Encodes the n UTF-8 strings as a MULTI_SZ (the output of the ENUM_*_PROPERTIES codes). */
uint32_t proplist_encode_names(const char *const *names, size_t n, void *buf, size_t cap,
                               size_t *ret_size);

/* Encodes one UTF-8 string as a NUL-terminated UTF-16 string (GET_NAME, GET_ID, ...). */
uint32_t proplist_encode_sz(const char *utf8, void *buf, size_t cap, size_t *ret_size);

/* One entry of a value list (GET_REQUIRED_DEPENDENCIES): a resource class or a type name. */
struct proplist_dep {
    int is_class;     /* 1: resclass is set; 0: type_name is */
    uint32_t resclass; /* CLUSTER_RESOURCE_CLASS */
    const char *type_name;
};

/* Encodes a value list: per entry a CLUSPROP_SYNTAX_RESCLASS DWORD value or a
 * CLUSPROP_SYNTAX_NAME string value, then one CLUSPROP_SYNTAX_ENDMARK. */
uint32_t proplist_encode_deps(const struct proplist_dep *deps, size_t n, void *buf, size_t cap,
                              size_t *ret_size);

#endif
