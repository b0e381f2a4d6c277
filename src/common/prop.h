/*
 * prop — one property value as clusapi carries it between the library, the wire, the cluster
 * database and the drivers: a name, its CLUSPROP syntax and its value in text form. Pure.
 *
 * The text form by format (the low word of the syntax):
 *   DWORD, LONG, WORD           decimal ("-5" only for LONG)
 *   ULARGE_INTEGER, LARGE_INTEGER  decimal, 64-bit
 *   SZ, EXPAND_SZ, EXPANDED_SZ  the string itself (UTF-8)
 *   MULTI_SZ                    the strings joined by '\n' (a string of a MULTI_SZ holds no '\n');
 *                               "" is the empty list
 *   BINARY                      lower-case hex, two digits per byte
 * The property-list codec (common/proplist.h) converts CLUSPROP lists to and from these.
 */
#ifndef CLUSAPI_PROP_H
#define CLUSAPI_PROP_H

#include <stdint.h>

/* CLUSPROP_SYNTAX_LIST_VALUE_* values (clusapi.h): what a property of each format is stored as. */
#define PROP_SYNTAX_BINARY 0x00010001u
#define PROP_SYNTAX_DWORD 0x00010002u
#define PROP_SYNTAX_SZ 0x00010003u
#define PROP_SYNTAX_EXPAND_SZ 0x00010004u
#define PROP_SYNTAX_MULTI_SZ 0x00010005u
#define PROP_SYNTAX_ULARGE_INTEGER 0x00010006u
#define PROP_SYNTAX_LONG 0x00010007u

struct prop {
    const char *name;  /* Windows' spelling for common properties; names compare without case */
    uint32_t syntax;   /* PROP_SYNTAX_* */
    const char *value; /* text form (above) */
};

#endif
