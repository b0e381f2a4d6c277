/*
 * cdb_fixture — what the cluster database's test programs share: applying commands built with
 * cdb_cmd.h's builders, checking that a rejected one changed nothing, and a populated database.
 * Every helper fails the running cmocka test on an unexpected result.
 */
#ifndef CLUSSVC_TEST_CDB_FIXTURE_H
#define CLUSSVC_TEST_CDB_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "common/cdb_cmd.h"
#include "common/wire.h"
#include "daemon/cdb/cdb.h"

/* cdb_hash() of db. */
uint64_t hash_of(struct cdb *db);
/* Applies one encoded command; the status (0 or the Win32 code of the rejection). */
uint32_t apply_raw(struct cdb *db, const void *buf, size_t len);
/* Applies what the writer holds and releases it; the status. */
uint32_t apply_w(struct cdb *db, struct wire_writer *w);

/* APPLY(db, cdb_cmd_x(W, ...)) encodes one command and applies it; the result is the status. */
#define W (&w_)
#define APPLY(db, call)                                                                          \
    ({                                                                                           \
        struct wire_writer w_;                                                                   \
        wire_writer_init(&w_);                                                                   \
        call;                                                                                    \
        apply_w(db, &w_);                                                                        \
    })

#define OK(db, call) assert_int_equal(APPLY(db, call), 0)

/* The command is rejected with status and changes nothing, version included. */
#define REJECT(db, status, call)                                                                 \
    do {                                                                                         \
        uint64_t h0_ = hash_of(db), v0_ = cdb_version(db);                                      \
        assert_int_equal(APPLY(db, call), status);                                               \
        assert_true(hash_of(db) == h0_);                                                         \
        assert_true(cdb_version(db) == v0_);                                                     \
        assert_true(cdb_errmsg(db)[0] != '\0');                                                  \
    } while (0)

#define REJECT_RAW(db, status, buf, len)                                                         \
    do {                                                                                         \
        uint64_t h0_ = hash_of(db), v0_ = cdb_version(db);                                      \
        assert_int_equal(apply_raw(db, buf, len), status);                                       \
        assert_true(hash_of(db) == h0_);                                                         \
        assert_true(cdb_version(db) == v0_);                                                     \
    } while (0)

/* The two properties of resource ip1 in populate(). */
extern const struct cdb_kv ip1_props[2];

/* Three nodes, two resource types, the core group with two IPs and a network name depending on
 * either, preferred owners 2 then 1, and a second empty group: POPULATE_COMMANDS commands. */
void populate(struct cdb *db);
#define POPULATE_COMMANDS 14

/* cmocka fixtures: *state is a new empty (or populated) database; teardown frees it. */
int setup_empty(void **state);
int setup_populated(void **state);
int teardown(void **state);

/* A malloc'd string of n times c. */
char *repeat(char c, size_t n);

#endif
