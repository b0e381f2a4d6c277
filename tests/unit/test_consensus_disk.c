/*
 * test_consensus_disk — the seam between raft and its disk, against a raft_io made here: the
 * close callback reaches raft once however often the real I/O fires it, and a run of snapshots
 * that cannot be written is told once, with its end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/consensus/consensus_disk.h"

/* The I/O under the seam: remembers what it was asked, answers when a test says. */
static struct raft_io_snapshot_put *put_req;
static raft_io_snapshot_put_cb put_cb;
static int put_sync_status; /* what snapshot_put itself returns */
static unsigned close_fires; /* how often the close below fires its callback */

static int fake_snapshot_put(struct raft_io *io, unsigned trailing,
                             struct raft_io_snapshot_put *req,
                             const struct raft_snapshot *snapshot, raft_io_snapshot_put_cb cb)
{
    (void)trailing;
    (void)snapshot;
    if (put_sync_status != 0) {
        snprintf(io->errmsg, sizeof(io->errmsg), "open snapshot-1-2-3: disk on fire");
        return put_sync_status;
    }
    put_req = req;
    put_cb = cb;
    return 0;
}

static void fake_close(struct raft_io *io, raft_io_close_cb cb)
{
    for (unsigned i = 0; i < close_fires; i++)
        cb(io);
}

static int fake_append(struct raft_io *io, struct raft_io_append *req,
                       const struct raft_entry entries[], unsigned n, raft_io_append_cb cb)
{
    (void)io;
    (void)req;
    (void)entries;
    (void)n;
    (void)cb;
    return RAFT_IOERR;
}

struct told {
    unsigned closes, stops, snapshot_calls, failures;
    char why[CONSENSUS_DISK_WHY_SIZE];
    bool why_null;
};
static struct told told;

static void raft_closed(struct raft_io *io)
{
    (void)io;
    told.closes++;
}

static void failed(void *arg, const char *why)
{
    (void)arg;
    (void)why;
    told.stops++;
}

static void snapshot_told(void *arg, const char *why, unsigned failures)
{
    (void)arg;
    told.snapshot_calls++;
    told.failures = failures;
    told.why_null = why == NULL;
    snprintf(told.why, sizeof(told.why), "%s", why ? why : "");
}

static void wrap(struct raft_io *io, struct consensus_disk *d)
{
    memset(io, 0, sizeof(*io));
    io->append = fake_append;
    io->close = fake_close;
    io->snapshot_put = fake_snapshot_put;
    told = (struct told){0};
    put_req = NULL;
    put_sync_status = 0;
    consensus_disk_wrap(d, io, failed, NULL);
    consensus_disk_on_snapshot(d, snapshot_told);
}

static void raft_put_done(struct raft_io_snapshot_put *req, int status)
{
    int *seen = req->data;

    *seen = status;
}

/* One snapshot through the seam, answered with status by the I/O. */
static int put(struct raft_io *io, int status)
{
    struct raft_io_snapshot_put req = {0};
    struct raft_snapshot snapshot = {0};
    int seen = -1;

    req.data = &seen;
    assert_int_equal(io->snapshot_put(io, 8, &req, &snapshot, raft_put_done), 0);
    assert_non_null(put_req);
    put_cb(put_req, status);
    return seen;
}

static void test_close_callback_reaches_raft_once(void **state)
{
    struct raft_io io;
    struct consensus_disk d;

    (void)state;
    wrap(&io, &d);
    close_fires = 2; /* libraft 0.15's raft_uv, when a writer closes last */
    io.close(&io, raft_closed);
    assert_int_equal(told.closes, 1);
    assert_ptr_equal(io.close, fake_close); /* the io is handed back unwrapped */
    assert_ptr_equal(io.snapshot_put, fake_snapshot_put);
    /* a second seam on the same io after the first is gone: closed once too */
    wrap(&io, &d);
    close_fires = 1;
    io.close(&io, raft_closed);
    assert_int_equal(told.closes, 1);
    assert_int_equal(told.stops, 0);
}

static void test_snapshot_failures_told_once_per_run(void **state)
{
    struct raft_io io;
    struct consensus_disk d;

    (void)state;
    wrap(&io, &d);
    assert_int_equal(put(&io, 0), 0);
    assert_int_equal(told.snapshot_calls, 0); /* a snapshot written is no news */
    assert_int_equal(put(&io, RAFT_NOSPACE), RAFT_NOSPACE);
    assert_int_equal(told.snapshot_calls, 1);
    assert_string_equal(told.why, "no space left");
    assert_int_equal(put(&io, RAFT_IOERR), RAFT_IOERR);
    put_sync_status = RAFT_IOERR;
    {
        struct raft_io_snapshot_put req = {0};
        struct raft_snapshot snapshot = {0};

        assert_int_equal(io.snapshot_put(&io, 8, &req, &snapshot, raft_put_done), RAFT_IOERR);
    }
    put_sync_status = 0;
    assert_int_equal(told.snapshot_calls, 1); /* the same run */
    assert_int_equal(put(&io, 0), 0);
    assert_int_equal(told.snapshot_calls, 2);
    assert_true(told.why_null);
    assert_int_equal(told.failures, 3);
    /* a new run is told again, with raft_uv's reason */
    put_sync_status = RAFT_IOERR;
    {
        struct raft_io_snapshot_put req = {0};
        struct raft_snapshot snapshot = {0};

        assert_int_equal(io.snapshot_put(&io, 8, &req, &snapshot, raft_put_done), RAFT_IOERR);
    }
    assert_int_equal(told.snapshot_calls, 3);
    assert_non_null(strstr(told.why, "disk on fire"));
    close_fires = 1;
    io.close(&io, raft_closed);
    assert_int_equal(told.closes, 1);
    assert_int_equal(told.stops, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_close_callback_reaches_raft_once),
        cmocka_unit_test(test_snapshot_failures_told_once_per_run),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
