/*
 * test_cdb_snapshot — the cluster database as raft's state machine: snapshots and their restore
 * (refused unless sound and of this schema), the same log giving the same hash, and SQLite
 * running out of memory in the middle of a command.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "common/wire.h"
#include "daemon/cdb/cdb.h"
#include "common/cdb_cmd.h"
#include "cdb_fixture.h"

/* ---------------------------------------------------------------------------------------- */
/* Snapshots and determinism                                                                */
/* ---------------------------------------------------------------------------------------- */

static void test_snapshot_restore(void **state)
{
    struct cdb *db = *state, *copy = NULL;
    struct cdb_resource *res = NULL;
    void *snap = NULL;
    size_t len = 0, n = 0;

    OK(db, cdb_cmd_set_group_state(W, "Cluster Group", 0, 1));
    assert_int_equal(cdb_snapshot(db, &snap, &len), 0);
    assert_true(len >= 512);
    assert_int_equal(cdb_new(&copy), 0);
    OK(copy, cdb_cmd_add_group(W, "to be replaced", false));
    assert_int_equal(cdb_restore(copy, snap, len), 0);
    free(snap);
    assert_true(hash_of(copy) == hash_of(db));
    assert_int_equal(cdb_version(copy), cdb_version(db));
    assert_int_equal(cdb_version(copy), POPULATE_COMMANDS + 1);

    /* both go on identically, foreign keys included */
    OK(db, cdb_cmd_delete_group(W, "Cluster Group"));
    OK(copy, cdb_cmd_delete_group(W, "Cluster Group"));
    OK(db, cdb_cmd_add_group(W, "New", false));
    OK(copy, cdb_cmd_add_group(W, "New", false));
    REJECT(copy, 5042, cdb_cmd_set_group_state(W, "New", 0, 9));
    assert_int_equal(cdb_resources(copy, NULL, &res, &n), 0);
    assert_int_equal(n, 0);
    assert_true(hash_of(copy) == hash_of(db));
    cdb_free(copy);
}

static void test_restore_rejects_garbage(void **state)
{
    struct cdb *db = *state, *other = NULL;
    uint64_t h0 = hash_of(db);
    uint8_t junk[4096];
    void *snap = NULL;
    size_t len = 0;

    memset(junk, 0x5a, sizeof(junk));
    assert_int_equal(cdb_restore(db, junk, sizeof(junk)), -EBADMSG);
    assert_int_equal(cdb_restore(db, junk, 10), -EBADMSG);
    assert_true(hash_of(db) == h0);
    assert_int_equal(cdb_version(db), POPULATE_COMMANDS);

    /* a truncated snapshot is refused too */
    assert_int_equal(cdb_new(&other), 0);
    assert_int_equal(cdb_snapshot(other, &snap, &len), 0);
    assert_true(len > 1024);
    assert_int_equal(cdb_restore(db, snap, len / 2), -EBADMSG);
    assert_true(cdb_errmsg(db)[0] != '\0');
    free(snap);
    cdb_free(other);
    assert_true(hash_of(db) == h0);
    OK(db, cdb_cmd_add_group(W, "still works", false));
}

static void test_restore_rejects_foreign_database(void **state)
{
    struct cdb *db = *state, *other = NULL;
    uint64_t h0 = hash_of(db);
    void *snap = NULL;
    size_t len = 0;

    /* A well-formed SQLite file that is not a cluster database: flip the application id
     * (header offset 68) of a real snapshot. */
    assert_int_equal(cdb_new(&other), 0);
    assert_int_equal(cdb_snapshot(other, &snap, &len), 0);
    ((uint8_t *)snap)[68] ^= 0xff;
    assert_int_equal(cdb_restore(db, snap, len), -EBADMSG);
    free(snap);
    cdb_free(other);
    assert_true(hash_of(db) == h0);
}

/* A real cdb snapshot whose schema was altered behind cdb's back (a trigger added). */
static void test_restore_rejects_altered_schema(void **state)
{
    struct cdb *db = *state, *other = NULL;
    uint64_t h0 = hash_of(db);
    sqlite3 *conn = NULL;
    unsigned char *image;
    sqlite3_int64 size = 0;
    void *snap = NULL;
    size_t len = 0;

    assert_int_equal(cdb_new(&other), 0);
    assert_int_equal(cdb_snapshot(other, &snap, &len), 0);
    cdb_free(other);
    assert_int_equal(sqlite3_open(":memory:", &conn), SQLITE_OK);
    image = sqlite3_malloc64(len);
    assert_non_null(image);
    memcpy(image, snap, len);
    free(snap);
    assert_int_equal(sqlite3_deserialize(conn, "main", image, (sqlite3_int64)len,
                                         (sqlite3_int64)len,
                                         SQLITE_DESERIALIZE_FREEONCLOSE |
                                             SQLITE_DESERIALIZE_RESIZEABLE),
                     SQLITE_OK);
    assert_int_equal(sqlite3_exec(conn, "CREATE TRIGGER t AFTER INSERT ON grp BEGIN"
                                        " DELETE FROM node; END", NULL, NULL, NULL),
                     SQLITE_OK);
    image = sqlite3_serialize(conn, "main", &size, 0);
    assert_non_null(image);
    sqlite3_close(conn);

    assert_int_equal(cdb_restore(db, image, (size_t)size), -EBADMSG);
    assert_non_null(strstr(cdb_errmsg(db), "schema"));
    sqlite3_free(image);
    assert_true(hash_of(db) == h0);
}

static void test_same_log_same_hash(void **state)
{
    struct cdb *a = NULL, *b = NULL;
    uint64_t ha, hb;

    assert_int_equal(cdb_new(&a), 0);
    assert_int_equal(cdb_new(&b), 0);
    populate(a);
    populate(b);
    /* rejected commands are part of the log too */
    assert_int_equal(APPLY(a, cdb_cmd_add_group(W, "Other", false)), 5010);
    assert_int_equal(APPLY(b, cdb_cmd_add_group(W, "Other", false)), 5010);
    OK(a, cdb_cmd_remove_node(W, 1));
    OK(b, cdb_cmd_remove_node(W, 1));
    ha = hash_of(a);
    hb = hash_of(b);
    assert_true(ha == hb);
    assert_int_equal(cdb_version(a), cdb_version(b));

    OK(a, cdb_cmd_set_prop(W, "x", "1"));
    OK(b, cdb_cmd_set_prop(W, "x", "2"));
    assert_true(hash_of(a) != hash_of(b));
    cdb_free(a);
    cdb_free(b);
}

/* ---------------------------------------------------------------------------------------- */
/* Internal failure: SQLite running out of memory                                           */
/* ---------------------------------------------------------------------------------------- */

static sqlite3_mem_methods real_mem;
static long fail_countdown = -1; /* allocations to let through before one fails; -1: none */

static bool should_fail(void)
{
    if (fail_countdown < 0)
        return false;
    if (fail_countdown-- == 0) {
        fail_countdown = -1;
        return true;
    }
    return false;
}

static void *failing_malloc(int n)
{
    return should_fail() ? NULL : real_mem.xMalloc(n);
}

static void *failing_realloc(void *p, int n)
{
    return should_fail() ? NULL : real_mem.xRealloc(p, n);
}

static void install_failing_malloc(void)
{
    sqlite3_mem_methods m;

    assert_int_equal(sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem), SQLITE_OK);
    m = real_mem;
    m.xMalloc = failing_malloc;
    m.xRealloc = failing_realloc;
    assert_int_equal(sqlite3_config(SQLITE_CONFIG_MALLOC, &m), SQLITE_OK);
}

/* The command under test: a batch that writes to several tables. */
static uint8_t *oom_command(size_t *ret_len)
{
    static const uint64_t pref[] = {3, 1};
    struct wire_writer w;
    uint8_t *buf;
    size_t mark;

    wire_writer_init(&w);
    cdb_cmd_batch(&w);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_add_resource(&w, "ip9", "IP Address", "Other", ip1_props, 2);
    cdb_cmd_batch_sub_end(&w, mark);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_set_preferred(&w, "Other", pref, 2);
    cdb_cmd_batch_sub_end(&w, mark);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_remove_node(&w, 2);
    cdb_cmd_batch_sub_end(&w, mark);
    buf = wire_writer_take(&w, ret_len);
    assert_non_null(buf);
    return buf;
}

/*
 * Fails SQLite's Nth allocation during one apply, for every N until the command no longer
 * reaches the failure: each time the command either succeeds whole or returns -ENOMEM having
 * changed nothing, and the database keeps working.
 */
static void test_out_of_memory(void **state)
{
    size_t len = 0;
    uint8_t *cmd = oom_command(&len);
    struct cdb *db = NULL;
    uint64_t h0, h1;
    unsigned failures = 0;
    void *snap = NULL;
    size_t snap_len = 0;

    (void)state;
    assert_int_equal(cdb_new(&db), 0);
    populate(db);
    h0 = hash_of(db);
    assert_int_equal(cdb_snapshot(db, &snap, &snap_len), 0);
    assert_int_equal(apply_raw(db, cmd, len), 0);
    h1 = hash_of(db);
    cdb_free(db);

    for (long n = 0;; n++) {
        uint32_t status = 0xdeadbeef;
        int r;

        assert_int_equal(cdb_new(&db), 0);
        assert_int_equal(cdb_restore(db, snap, snap_len), 0);
        fail_countdown = n;
        r = cdb_apply(db, cmd, len, &status);
        if (fail_countdown >= 0) { /* no allocation failed: every point has been tried */
            fail_countdown = -1;
            assert_int_equal(r, 0);
            assert_int_equal(status, 0);
            cdb_free(db);
            break;
        }
        if (r == 0) { /* SQLite absorbed the failure */
            assert_int_equal(status, 0);
            assert_true(hash_of(db) == h1);
        } else {
            assert_int_equal(r, -ENOMEM);
            assert_int_equal(status, 0xdeadbeef);
            assert_true(hash_of(db) == h0);
            assert_int_equal(cdb_version(db), POPULATE_COMMANDS);
            assert_int_equal(apply_raw(db, cmd, len), 0);
            assert_true(hash_of(db) == h1);
            failures++;
        }
        cdb_free(db);
    }
    assert_true(failures > 10);
    free(snap);
    free(cmd);
}

int main(void)
{
    install_failing_malloc();

    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_snapshot_restore, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_restore_rejects_garbage, setup_populated, teardown),
        cmocka_unit_test_setup_teardown(test_restore_rejects_foreign_database, setup_populated,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_restore_rejects_altered_schema, setup_populated,
                                        teardown),
        cmocka_unit_test(test_same_log_same_hash),
        cmocka_unit_test(test_out_of_memory),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
