/*
 * utf16 — conversion between the UTF-16 strings of the Win32 API (WCHAR = char16_t) and the UTF-8
 * strings used everywhere inside clusapi, plus the Win32 "copy a string out to a caller buffer"
 * convention.
 *
 * Both directions are strict: an unpaired surrogate in UTF-16, or malformed UTF-8 (overlong forms,
 * encoded surrogates, code points above U+10FFFF, truncated sequences) is an error, never
 * replaced, so a name cannot silently change on the way through.
 */
#ifndef CLUSAPI_UTF16_H
#define CLUSAPI_UTF16_H

#include <stddef.h>
#include <stdint.h>
#include <uchar.h>

/* Decodes one UTF-8 sequence from s (at most n bytes available). Returns the number of bytes
 * consumed (1..4) and stores the code point in *ret_cp, or -EILSEQ if the sequence is malformed
 * or truncated (or n is 0). A NUL byte decodes as U+0000 of length 1. */
int utf8_decode(const char *s, size_t n, uint32_t *ret_cp);

/* 0 if the n bytes at s are well-formed UTF-8 without NUL bytes, else -EILSEQ. */
int utf8_validate(const char *s, size_t n);

/* Number of UTF-16 code units before the terminating NUL. */
size_t utf16_len(const char16_t *s);

/* Converts the NUL-terminated UTF-16 string s to a malloc'd UTF-8 string (caller frees *ret).
 * The NUL must lie within the first max_units units; otherwise -ENAMETOOLONG, so an oversized or
 * unterminated caller string is refused without reading past max_units. Returns 0, -EINVAL if s
 * or ret is NULL, -EILSEQ on an unpaired surrogate, -ENOMEM. *ret is untouched on failure. */
int utf16_to_utf8(const char16_t *s, size_t max_units, char **ret);

/* Converts the NUL-terminated UTF-8 string s to a malloc'd UTF-16 string (caller frees *ret).
 * Returns 0, -EINVAL if s or ret is NULL, -EILSEQ if s is not well-formed UTF-8, -ENOMEM.
 * *ret is untouched on failure. */
int utf8_to_utf16(const char *s, char16_t **ret);

/* Compares two NUL-terminated UTF-16 strings, folding only ASCII A-Z to a-z. Returns <0, 0 or >0
 * like strcmp, ordering by the folded code unit values. */
int utf16_casecmp_ascii(const char16_t *a, const char16_t *b);

/* Win32 buffer convention (REFERENCE §4.1 "Buffer sizes"): copies the UTF-8 string utf8 into the
 * caller's WCHAR buffer as UTF-16.
 *   in:  *inout_cch = size of buf in WCHARs, including room for the NUL;
 *   out: *inout_cch = length of the string in WCHARs, excluding the NUL.
 * Returns a Win32 code, not an errno:
 *   0   (ERROR_SUCCESS)     the string and its NUL were written;
 *   234 (ERROR_MORE_DATA)   buf is too small (or NULL): nothing is written, *inout_cch is the
 *                           needed length excluding the NUL; the caller retries with that + 1;
 *   87  (ERROR_INVALID_PARAMETER) utf8 or inout_cch is NULL (nothing changed);
 *   13  (ERROR_INVALID_DATA) utf8 is not well-formed UTF-8, or longer than a DWORD can count
 *                           (nothing changed).
 * A NULL buf is treated as a buffer of size 0, so callers may probe for the length. */
uint32_t utf16_copy_out(const char *utf8, char16_t *buf, uint32_t *inout_cch);

#endif
