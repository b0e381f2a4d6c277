/*
 * cli_props — the pure half of clusctl's property commands: KEY=VALUE words typed into
 * property lists (common and private apart), and decoded property lists shown as text or JSON.
 * No I/O, no library calls; the lists themselves are common/proplist.h's struct prop arrays.
 */
#ifndef CLUSAPI_CLI_PROPS_H
#define CLUSAPI_CLI_PROPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/cli_text.h"
#include "common/prop.h"

/* Properties whose names and values are each malloc'd (cli_props_done frees them). */
struct cli_props {
    struct prop *v;
    size_t n;
};

/* Frees the names, values and array; the list is empty afterwards. NULL-safe. */
void cli_props_done(struct cli_props *p);

/* The property named name (without regard to case) among the n of v, or NULL. */
const struct prop *cli_props_find(const struct prop *v, size_t n, const char *name);

/*
 * Types the n_words KEY=VALUE words (already checked for their form) into two lists: a KEY
 * among the n_common names of common goes to *ret_common, any other to *ret_private, in the
 * order of their first appearance. A KEY found in the schema (the object's current values, or
 * the type's parameters) takes that property's syntax, any other is a string; a KEY given more
 * than once is a MULTI_SZ of its values in order, and so is a KEY the schema has as a MULTI_SZ.
 * Returns 0; -EINVAL with the reason in errmsg (n bytes) for a value that is not of its syntax
 * ("RestartAction: 'x' is not a DWORD") or a list item holding a newline; -ENOMEM. On failure
 * both lists are untouched and own nothing.
 */
int cli_props_build(const char *const *words, size_t n_words, const char *const *common,
                    size_t n_common, const struct prop *schema, size_t n_schema,
                    struct cli_props *ret_common, struct cli_props *ret_private, char *errmsg,
                    size_t n);

/* The format of a CLUSPROP syntax in words: "DWORD", "SZ", "MULTI_SZ" ...; "UNKNOWN" else. */
const char *cli_syntax_name(uint32_t syntax);

/* Appends one value as JSON: numbers bare, a MULTI_SZ as an array of strings, anything else as
 * a string. 0 or -ENOMEM. */
int cli_prop_json_value(struct cli_buf *b, const struct prop *p);
/* Appends {"Name":value,...} for the n properties of v. 0 or -ENOMEM. */
int cli_props_json(struct cli_buf *b, const struct prop *v, size_t n);

/* Appends one value as text: as it is, a MULTI_SZ's strings joined by sep ("-" for none, and
 * for an empty string). 0 or -ENOMEM. */
int cli_prop_text_value(struct cli_buf *b, const struct prop *p, const char *sep);
/* Appends "<indent>Name<padding> value\n" per property, MULTI_SZ joined with ", ". 0 or
 * -ENOMEM. */
int cli_props_text(struct cli_buf *b, const struct prop *v, size_t n, const char *indent);

/*
 * Splits a MULTI_SZ of UTF-16LE strings (size bytes, as the ENUM_*_PROPERTIES codes return)
 * into *ret, n strings of UTF-8 in one malloc'd block (a single free()). 0, -EINVAL for a
 * malformed buffer (odd size, unterminated, invalid UTF-16), -ENOMEM; *ret untouched on error.
 */
int cli_multi_sz_split(const void *buf, size_t size, char ***ret, size_t *ret_n);

#endif
