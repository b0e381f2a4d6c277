/*
 * hex — hexadecimal digits. Pure code; no I/O.
 */
#ifndef CLUSAPI_HEX_H
#define CLUSAPI_HEX_H

/* The value of one hex digit ('0'-'9', 'a'-'f', 'A'-'F': 0..15), or -1 for any other byte,
 * NUL included, so a scan stops at the end of a string. */
int hex_value(char c);

#endif
