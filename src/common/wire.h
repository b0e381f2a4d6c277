/*
 * wire — the byte format of every message clusapi sends or stores: RPC requests and replies,
 * cluster-database commands and snapshots' side tables.
 *
 * A message is a sequence of fields. Each field is: tag (u16, little endian), length (u32, little
 * endian), value (length bytes). Integers are little endian of their natural width; strings are
 * UTF-8 without a terminating NUL and without embedded NULs; a nested message is just a field whose
 * value is itself a message. Unknown tags are skipped by readers, so fields can be added later.
 *
 * The writer grows a heap buffer; after an allocation failure it stays failed and every later put
 * is a no-op, so callers check wire_writer_failed() once at the end.
 */
#ifndef CLUSAPI_WIRE_H
#define CLUSAPI_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define WIRE_MAX_MESSAGE (16u * 1024u * 1024u) /* largest message accepted anywhere */

struct wire_writer {
    uint8_t *data;
    size_t len;
    size_t cap;
    bool failed;
};

struct wire_field {
    uint16_t tag;
    uint32_t len;
    const uint8_t *value;
};

struct wire_reader {
    const uint8_t *data;
    size_t len;
    size_t pos;
};

/* A little-endian unsigned integer of width bytes (1 to 8) at p: the byte order of every fixed
 * binary format here (this codec, heartbeats, the raft hello). */
void wire_le_put(uint8_t *p, uint64_t v, unsigned width);
uint64_t wire_le_get(const uint8_t *p, unsigned width);

void wire_writer_init(struct wire_writer *w);
void wire_writer_done(struct wire_writer *w);
bool wire_writer_failed(const struct wire_writer *w);
/* Hands the buffer to the caller (free() it); the writer is reset. NULL if the writer failed. */
uint8_t *wire_writer_take(struct wire_writer *w, size_t *ret_len);

void wire_put_u32(struct wire_writer *w, uint16_t tag, uint32_t v);
void wire_put_u64(struct wire_writer *w, uint16_t tag, uint64_t v);
void wire_put_i64(struct wire_writer *w, uint16_t tag, int64_t v);
void wire_put_str(struct wire_writer *w, uint16_t tag, const char *s); /* NULL: field omitted */
void wire_put_blob(struct wire_writer *w, uint16_t tag, const void *p, size_t n);
/* Appends already-encoded fields (a whole message) as they are. */
void wire_put_raw(struct wire_writer *w, const void *fields, size_t n);
/* Nested message: begin returns a mark, end patches the length. */
size_t wire_begin(struct wire_writer *w, uint16_t tag);
void wire_end(struct wire_writer *w, size_t mark);

void wire_reader_init(struct wire_reader *r, const void *data, size_t len);
/* Next field: 1 and *ret filled, 0 at the end, -EBADMSG if the bytes are malformed. */
int wire_next(struct wire_reader *r, struct wire_field *ret);
/* Checks that every field of a message is well formed (lengths in bounds). 0 or -EBADMSG. */
int wire_validate(const void *data, size_t len);
/* First field with this tag: 0, -ENOENT if absent, -EBADMSG if malformed. */
int wire_find(const void *data, size_t len, uint16_t tag, struct wire_field *ret);
/* Does the message hold a field with this tag? (data may be NULL when len is 0.) */
bool wire_has(const void *data, size_t len, uint16_t tag);

/* Typed views of one field: 0 or -EBADMSG (wrong width, invalid UTF-8, embedded NUL). */
int wire_field_u32(const struct wire_field *f, uint32_t *ret);
int wire_field_u64(const struct wire_field *f, uint64_t *ret);
int wire_field_i64(const struct wire_field *f, int64_t *ret);
/* A malloc'd NUL-terminated copy of a string field; -ENOMEM or -EBADMSG on failure. */
int wire_field_strdup(const struct wire_field *f, char **ret);

/* Convenience: look up and convert in one step. -ENOENT if absent. */
int wire_get_u32(const void *data, size_t len, uint16_t tag, uint32_t *ret);
int wire_get_u64(const void *data, size_t len, uint16_t tag, uint64_t *ret);
int wire_get_strdup(const void *data, size_t len, uint16_t tag, char **ret);

#endif
