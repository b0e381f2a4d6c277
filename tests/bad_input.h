/*
 * bad_input.h — what the two halves of the bad-input table share (tests/unit/test_bad_input.c
 * without a cluster, tests/lab/lab_badinput.c with live handles): the malformed strings, the
 * row, and turning a call's result into the Win32 code it failed with.
 */
#ifndef CLUSAPI_TESTS_BAD_INPUT_H
#define CLUSAPI_TESTS_BAD_INPUT_H

#include <clusapi.h>

#define BAD_LONG_UNITS 1100 /* beyond any name the library takes (1024 UTF-16 units) */

static WCHAR unterminated[BAD_LONG_UNITS];      /* no NUL anywhere */
static WCHAR too_long_host[300];                /* terminated, longer than a DNS name (253) */
static const WCHAR bad_utf16[] = {u'n', 0xD800, u'1', 0}; /* a lone high surrogate */

/* One malformed argument: the call returns the Win32 code it failed with, 0 if it did not. */
struct bad_row {
    const char *what;
    DWORD (*call)(void);
    DWORD expected;
};

static inline void bad_strings_init(void)
{
    for (size_t i = 0; i < BAD_LONG_UNITS; i++)
        unterminated[i] = u'a';
    for (size_t i = 0; i + 1 < sizeof(too_long_host) / sizeof(WCHAR); i++)
        too_long_host[i] = u'a';
}

static inline DWORD gle_if_null(void *h)
{
    return h == NULL ? GetLastError() : 0;
}

static inline DWORD gle_if_false(BOOL ok)
{
    return ok ? 0 : GetLastError();
}

#endif
