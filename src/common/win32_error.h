/*
 * win32_error — names, texts and conversions for the Win32 error codes clusapi returns.
 *
 * Codes are plain uint32_t (a DWORD) so that this module does not depend on clusapi.h. The single
 * place where an internal negative errno becomes a Win32 code is win32_from_errno(); its table is
 * tested entry by entry.
 */
#ifndef CLUSAPI_WIN32_ERROR_H
#define CLUSAPI_WIN32_ERROR_H

#include <stdint.h>

/* The symbolic name ("ERROR_CLUSTER_IPADDR_IN_USE") of a known code; NULL if the code is unknown.
 * The string is static. */
const char *win32_error_name(uint32_t code);

/* A short English sentence describing the code ("The cluster IP address is already in use.").
 * Never NULL: unknown codes get a generic sentence. The string is static. */
const char *win32_error_text(uint32_t code);

/* The Win32 code a user expects for an errno value; err may be positive or negative (-ENOMEM and
 * ENOMEM give the same result). 0 gives 0 (ERROR_SUCCESS); an errno without a better match gives
 * 1359 (ERROR_INTERNAL_ERROR). */
uint32_t win32_from_errno(int err);

/* HRESULT_FROM_WIN32: 0 stays 0, a value that already has the severity bit set is returned
 * unchanged, anything else becomes 0x80070000 | (code & 0xFFFF). */
uint32_t win32_hresult_from(uint32_t code);

/* 1 if value is a failure HRESULT (severity bit 0x80000000 set), else 0. */
int win32_is_hresult(uint32_t value);

/* The Win32 code inside a FACILITY_WIN32 failure HRESULT (0x8007xxxx → xxxx). Any other value,
 * including a plain Win32 code or S_OK, is returned unchanged. */
uint32_t win32_from_hresult(uint32_t value);

#endif
