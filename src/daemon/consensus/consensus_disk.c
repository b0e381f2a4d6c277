/*
 * consensus_disk — the seam between raft and its disk (consensus_disk.h).
 */
#include "daemon/consensus/consensus_disk.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* One append on its way: to the real I/O, or held since the log stopped. */
struct consensus_disk_held {
    struct raft_io_append inner;  /* what the real I/O answers */
    struct raft_io_append *outer; /* raft's request */
    raft_io_append_cb cb;         /* raft's callback */
    struct consensus_disk *d;
    struct consensus_disk_held *next;
};

/* The guards of the raft_io instances wrapped now (loop thread only): the wrappers find their
 * guard by the io raft hands them, whose own fields belong to raft and to raft_uv. */
static struct consensus_disk *guards[CONSENSUS_DISK_MAX];

static struct consensus_disk *guard_of(const struct raft_io *io)
{
    for (size_t i = 0; i < CONSENSUS_DISK_MAX; i++)
        if (guards[i] != NULL && guards[i]->io == io && io != NULL)
            return guards[i];
    assert(!"a raft_io without a guard");
    return NULL;
}

static void hold(struct consensus_disk *d, struct consensus_disk_held *a)
{
    a->next = d->held;
    d->held = a;
}

/* The log stops here, for good; the owner is told once. */
static void stop(struct consensus_disk *d, int status, const char *reason)
{
    if (d->stopped)
        return;
    d->stopped = true;
    snprintf(d->why, sizeof(d->why), "raft could not write its log: %s (%s)",
             status == RAFT_NOSPACE ? "no space left" : raft_strerror(status), reason);
    d->failed(d->arg, d->why);
}

static void append_done(struct raft_io_append *inner, int status)
{
    struct consensus_disk_held *a = inner->data;
    struct consensus_disk *d = a->d;

    assert(d->in_flight > 0);
    d->in_flight--;
    if (d->io == NULL) { /* closing: raft_uv cancels what is queued, raft takes it as before */
        a->cb(a->outer, status);
        free(a);
        return;
    }
    if (status != 0)
        stop(d, status, d->io->errmsg);
    if (d->stopped) { /* even a write that succeeded after one that failed may be misplaced */
        hold(d, a);
        return;
    }
    a->cb(a->outer, 0);
    free(a);
}

static int guarded_append(struct raft_io *io, struct raft_io_append *req,
                          const struct raft_entry entries[], unsigned n, raft_io_append_cb cb)
{
    struct consensus_disk *d = guard_of(io);
    struct consensus_disk_held *a = calloc(1, sizeof(*a));
    int rv;

    if (a == NULL)
        return RAFT_NOMEM;
    *a = (struct consensus_disk_held){.outer = req, .cb = cb, .d = d};
    a->inner.data = a;
    req->cb = cb;
    if (!d->stopped && d->fail_in > 0 && --d->fail_in == 0)
        stop(d, RAFT_IOERR, "an injected failure");
    if (d->stopped) {
        hold(d, a);
        return 0;
    }
    /* A synchronous failure leaves raft's log as it was: raft takes it back itself. */
    rv = d->append(io, &a->inner, entries, n, append_done);
    if (rv != 0) {
        free(a);
        return rv;
    }
    d->in_flight++;
    return 0;
}

/* One snapshot on its way to the real I/O. */
struct consensus_disk_put {
    struct raft_io_snapshot_put inner;
    struct raft_io_snapshot_put *outer;
    raft_io_snapshot_put_cb cb;
    struct consensus_disk *d;
};

static void snapshot_result(struct consensus_disk *d, int status, const char *errmsg)
{
    char why[CONSENSUS_DISK_WHY_SIZE];

    if (d->io == NULL) /* closing: a cancelled write is no news */
        return;
    if (status == 0) {
        if (d->snapshot_failures > 0 && d->snapshot_told != NULL)
            d->snapshot_told(d->arg, NULL, d->snapshot_failures);
        d->snapshot_failures = 0;
        return;
    }
    if (d->snapshot_failures++ == 0 && d->snapshot_told != NULL) {
        snprintf(why, sizeof(why), "%s%s%s%s",
                 status == RAFT_NOSPACE ? "no space left" : raft_strerror(status),
                 errmsg[0] != '\0' ? " (" : "", errmsg, errmsg[0] != '\0' ? ")" : "");
        d->snapshot_told(d->arg, why, 1);
    }
}

static void put_done(struct raft_io_snapshot_put *inner, int status)
{
    struct consensus_disk_put *p = inner->data;

    snapshot_result(p->d, status, p->d->io != NULL ? p->d->io->errmsg : "");
    p->cb(p->outer, status);
    free(p);
}

static int guarded_snapshot_put(struct raft_io *io, unsigned trailing,
                                struct raft_io_snapshot_put *req,
                                const struct raft_snapshot *snapshot, raft_io_snapshot_put_cb cb)
{
    struct consensus_disk *d = guard_of(io);
    struct consensus_disk_put *p = calloc(1, sizeof(*p));
    int rv;

    if (p == NULL)
        return RAFT_NOMEM;
    *p = (struct consensus_disk_put){.outer = req, .cb = cb, .d = d};
    p->inner.data = p;
    req->cb = cb;
    rv = d->snapshot_put(io, trailing, &p->inner, snapshot, put_done);
    if (rv != 0) {
        snapshot_result(d, rv, io->errmsg);
        free(p);
    }
    return rv;
}

/* raft_uv's close callback, passed on once. libraft 0.15 fires it again when a segment's writer
 * finishes closing after everything else did (uvAliveSegmentWriterCloseCb is not among what
 * uvMaybeFireCloseCb waits for), and raft's own callback then frees its address twice. Both
 * calls come in the same pass of the loop's closing handles, before the owner's timers that were
 * closed first, so the raft_io is still there for the second; the guard leaves the registry at
 * the first, so the second finds none and is dropped. */
static void closed_once(struct raft_io *io)
{
    for (size_t i = 0; i < CONSENSUS_DISK_MAX; i++) {
        struct consensus_disk *d = guards[i];

        if (d != NULL && d->closing == io) {
            guards[i] = NULL;
            d->closing = NULL;
            d->close_cb(io);
            return;
        }
    }
}

static void guarded_close(struct raft_io *io, raft_io_close_cb cb)
{
    struct consensus_disk *d = guard_of(io);

    /* raft_close made raft unavailable first: a held write released as done is only freed. */
    while (d->held != NULL) {
        struct consensus_disk_held *a = d->held;

        d->held = a->next;
        a->cb(a->outer, 0);
        free(a);
    }
    d->io = NULL;
    d->closing = io;
    d->close_cb = cb;
    io->append = d->append;
    io->snapshot_put = d->snapshot_put;
    io->close = d->close;
    d->close(io, closed_once);
}

void consensus_disk_wrap(struct consensus_disk *d, struct raft_io *io,
                         consensus_disk_failed_cb failed, void *arg)
{
    size_t i;

    assert(failed != NULL);
    *d = (struct consensus_disk){.io = io, .append = io->append, .close = io->close,
                                 .snapshot_put = io->snapshot_put, .failed = failed, .arg = arg};
    for (i = 0; i < CONSENSUS_DISK_MAX && guards[i] != NULL; i++)
        ;
    assert(i < CONSENSUS_DISK_MAX);
    guards[i] = d;
    io->append = guarded_append;
    io->snapshot_put = guarded_snapshot_put;
    io->close = guarded_close;
}

void consensus_disk_on_snapshot(struct consensus_disk *d, consensus_disk_snapshot_cb cb)
{
    d->snapshot_told = cb;
}

static void handed_over(struct raft_transfer *t)
{
    struct consensus_disk *d = t->data;

    d->handing_over = false;
}

void consensus_disk_hand_over(struct consensus_disk *d, struct raft *r)
{
    if (!d->stopped || d->handing_over || d->io == NULL || raft_state(r) != RAFT_LEADER)
        return;
    d->transfer.data = d;
    d->handing_over = raft_transfer(r, &d->transfer, 0, handed_over) == 0;
}

bool consensus_disk_newest_snapshot(const char *dir, char *buf, size_t n)
{
    unsigned long long term, index, best_term = 0, best_index = 0;
    struct dirent *e;
    DIR *d = opendir(dir);
    int end;

    buf[0] = '\0';
    if (d == NULL)
        return false;
    /* snapshot-TERM-INDEX-TIMESTAMP, and its .meta */
    while ((e = readdir(d)) != NULL) {
        end = 0;
        if (sscanf(e->d_name, "snapshot-%llu-%llu-%*u%n", &term, &index, &end) != 2 ||
            end == 0 || e->d_name[end] != '\0')
            continue;
        if (term > best_term || (term == best_term && index > best_index)) {
            best_term = term;
            best_index = index;
            snprintf(buf, n, "%s", e->d_name);
        }
    }
    closedir(d);
    return buf[0] != '\0';
}

int consensus_disk_check_metadata(const char *dir, char *why, size_t n)
{
    unsigned long long a, b;
    bool has_log = false;
    unsigned whole = 0;
    struct dirent *e;
    struct stat st;
    char path[4096];
    int end;
    DIR *d = opendir(dir);

    if (d == NULL)
        return 0; /* nothing yet: raft makes it */
    while ((e = readdir(d)) != NULL) {
        end = 0;
        if (strncmp(e->d_name, "open-", 5) == 0 || strncmp(e->d_name, "snapshot-", 9) == 0 ||
            (sscanf(e->d_name, "%llu-%llu%n", &a, &b, &end) == 2 && e->d_name[end] == '\0'))
            has_log = true;
        if (strcmp(e->d_name, "metadata1") == 0 || strcmp(e->d_name, "metadata2") == 0) {
            snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
            if (stat(path, &st) == 0 && st.st_size == CONSENSUS_DISK_METADATA_SIZE)
                whole++;
        }
    }
    closedir(d);
    if (!has_log || whole > 0)
        return 0;
    snprintf(why, n, "raft's term and vote (metadata1, metadata2 in %s) are missing or cut short "
             "while its log is there: starting would forget a vote", dir);
    return -EBADMSG;
}

void consensus_disk_fail_after(struct consensus_disk *d, unsigned nth)
{
    d->fail_in = nth;
}
