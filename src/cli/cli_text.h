/*
 * cli_text — the text plumbing of clusctl: a growable output buffer, JSON string escaping,
 * lossy UTF-16 → UTF-8 for names that only get displayed, and aligned tables. Pure: nothing
 * here prints; callers write the buffer where it belongs.
 */
#ifndef CLUSAPI_CLI_TEXT_H
#define CLUSAPI_CLI_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <uchar.h>

/* ------------------------------------------------------------------------------------------ */
/* Output buffer                                                                               */
/* ------------------------------------------------------------------------------------------ */

/* A NUL-terminated byte string that grows as text is appended. Zero-initialised is empty. */
struct cli_buf {
    char *data;
    size_t len;
    size_t cap;
};

/* Frees the storage; the buffer is empty and usable again afterwards. NULL-safe. */
void cli_buf_done(struct cli_buf *b);
/* Empties the buffer, keeping its storage. */
void cli_buf_reset(struct cli_buf *b);
/* The text so far: never NULL ("" when nothing was appended); valid until the next append. */
const char *cli_buf_str(const struct cli_buf *b);
/* Appends n bytes of s. 0 or -ENOMEM (the buffer is then unchanged). */
int cli_buf_add(struct cli_buf *b, const char *s, size_t n);
/* Appends the NUL-terminated s. 0 or -ENOMEM. */
int cli_buf_puts(struct cli_buf *b, const char *s);
/* Appends printf-formatted text. 0, -ENOMEM, or -EINVAL for a format error. */
int cli_buf_printf(struct cli_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ------------------------------------------------------------------------------------------ */
/* JSON and UTF-8                                                                              */
/* ------------------------------------------------------------------------------------------ */

/*
 * Appends s as a JSON string literal, quotes included; a NULL s is appended as `null`.
 * '"' and '\' are escaped, control characters (U+0000-U+001F and DEL) become \b \f \n \r \t
 * or \u00XX; well-formed non-ASCII UTF-8 is copied as is (JSON text is UTF-8), and each byte of
 * a malformed sequence becomes \ufffd, so the output is always valid JSON. 0 or -ENOMEM.
 */
int cli_json_string(struct cli_buf *b, const char *s);

/*
 * Converts the NUL-terminated UTF-16 string s (at most max_units units are read) to a malloc'd
 * UTF-8 string in *ret (caller frees). Unpaired surrogates become U+FFFD: this is for text that
 * is only displayed, where a readable approximation beats an error. A NULL s gives NULL in *ret.
 * Returns 0 or -ENOMEM (*ret untouched).
 */
int cli_utf16_to_utf8_lossy(const char16_t *s, size_t max_units, char **ret);

/* Number of characters (code points) in the UTF-8 string s: its width in a terminal, for the
 * scripts clusctl expects in names. */
size_t cli_utf8_width(const char *s);

/* Length in bytes of the longest prefix of s that holds at most width characters and does not
 * split a UTF-8 sequence. */
size_t cli_utf8_prefix(const char *s, size_t width);

/* ------------------------------------------------------------------------------------------ */
/* Tables                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* Rows of text cells rendered as aligned columns. The table owns copies of its cells. */
struct cli_table {
    size_t n_cols;
    size_t n_rows; /* the header is row 0 */
    size_t cap_rows;
    char **cells; /* row-major, n_rows * n_cols */
};

/* Starts a table with n_cols columns and the given header cells. 0, -EINVAL (n_cols is 0),
 * -ENOMEM. Free with cli_table_done() in every case. */
int cli_table_init(struct cli_table *t, size_t n_cols, const char *const *headers);
/* Appends a row of n_cols cells (copied; a NULL cell shows as "-"). 0 or -ENOMEM. */
int cli_table_add(struct cli_table *t, const char *const *cells);
/* Appends the table to b: each column padded to its widest cell plus two spaces (the last column
 * is not padded), one line per row, each ended by '\n', the given indent before each line. */
int cli_table_render(const struct cli_table *t, const char *indent, struct cli_buf *b);
/* Frees the cells. NULL-safe. */
void cli_table_done(struct cli_table *t);

#endif
