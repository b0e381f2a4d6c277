/*
 * consensus_disk — the one seam between raft and the disk its log is written to.
 *
 * libraft 0.15 does not survive a log write that fails. A follower keeps the entries it could not
 * store in its log in memory while raft_uv moves its next index back, so that the next write
 * lands on disk under the wrong indexes; a leader's failure path frees a batch twice. So a failed
 * write never reaches raft: the first one stops the log here. That write and every later one are
 * held, never done and never answered, so that nothing is acknowledged that is not on disk and
 * nothing is written out of place, and the owner is told, once. Raft goes on in memory: a leader
 * commits on its followers' copies, a follower acknowledges nothing more. When raft closes, the
 * held writes are released as if done: raft is unavailable by then, so nothing is acknowledged
 * or applied on their strength, and only their memory is returned.
 *
 * A leader commits nothing beyond what it stored itself, so a leader whose log stopped hands
 * leadership over (consensus_disk_hand_over, from outside raft's callbacks): its followers hold
 * what it sent them. A node whose log stopped cannot take part in raft again until it restarts
 * (svc_storage.c); the watch on free space (common/state_dir_check.h) is there so that it
 * rarely comes to that.
 *
 * A snapshot that cannot be written (a full disk) costs nothing but room: raft keeps its whole log
 * and tries again after the next applied entry. Its owner hears of the first failure of a run and
 * of the first snapshot written after it (consensus_disk_on_snapshot).
 *
 * consensus_disk_fail_after() is the test seam: an injected failure of the Nth append, handled as
 * a real one.
 */
#ifndef CLUSSVC_CONSENSUS_DISK_H
#define CLUSSVC_CONSENSUS_DISK_H

#include <stdbool.h>
#include <stddef.h>

#include <raft.h>

#define CONSENSUS_DISK_WHY_SIZE 256

/* Told once, on the loop, when the log stopped; why names the write and raft's reason. */
typedef void (*consensus_disk_failed_cb)(void *arg, const char *why);
/* Told, on the loop, of the first snapshot of a run that could not be written (why names raft's
 * reason) and of the first written after such a run (why NULL, failures: how many failed). */
typedef void (*consensus_disk_snapshot_cb)(void *arg, const char *why, unsigned failures);

struct consensus_disk_held;

struct consensus_disk {
    struct raft_io *io; /* wrapped in place */
    int (*append)(struct raft_io *io, struct raft_io_append *req,
                  const struct raft_entry entries[], unsigned n, raft_io_append_cb cb);
    void (*close)(struct raft_io *io, raft_io_close_cb cb);
    struct raft_io *closing;     /* the io being closed, till its callback came */
    raft_io_close_cb close_cb;   /* raft's, called once */
    int (*snapshot_put)(struct raft_io *io, unsigned trailing, struct raft_io_snapshot_put *req,
                        const struct raft_snapshot *snapshot, raft_io_snapshot_put_cb cb);
    consensus_disk_failed_cb failed;
    consensus_disk_snapshot_cb snapshot_told;
    unsigned snapshot_failures; /* snapshots in a row that could not be written */
    void *arg;
    bool stopped;                      /* a write failed: the log takes nothing more */
    unsigned fail_in;                  /* the append this many from now fails (tests); 0: none */
    unsigned in_flight;                /* appends the real I/O has not answered yet */
    struct consensus_disk_held *held;  /* appends held since the log stopped */
    struct raft_transfer transfer;     /* the leadership handed over, once stopped */
    bool handing_over;
    char why[CONSENSUS_DISK_WHY_SIZE]; /* why it stopped; "" while it runs */
};

/* Wraps io's append, snapshot_put and close (io must outlive d, and be closed before d goes
 * away; its close callback comes once); failed is called when the log stops. At most
 * CONSENSUS_DISK_MAX guards exist at once. */
#define CONSENSUS_DISK_MAX 8
void consensus_disk_wrap(struct consensus_disk *d, struct raft_io *io,
                         consensus_disk_failed_cb failed, void *arg);
/* Who hears of snapshots that cannot be written (the arg given to consensus_disk_wrap). */
void consensus_disk_on_snapshot(struct consensus_disk *d, consensus_disk_snapshot_cb cb);
/* If the log stopped and r (the raft the io serves) leads, hands leadership to another voter,
 * unless a handover is running; call it often (consensus.c: every poll), never from inside a
 * raft callback. */
void consensus_disk_hand_over(struct consensus_disk *d, struct raft *r);
/* The name of the newest snapshot in raft directory dir (the one raft loads at start) into
 * buf[0..n); false, and buf "", if there is none. */
bool consensus_disk_newest_snapshot(const char *dir, char *buf, size_t n);
/* libraft 0.15 takes a metadata file shorter than its 32 bytes for one torn while written and
 * deletes it; with both gone it starts as a new server, term 0 and no vote, on top of the log it
 * still has, and could vote twice in a term. Before raft opens dir: -EBADMSG, and why in
 * why[0..n), if dir holds log segments or snapshots but neither metadata file whole; else 0. */
#define CONSENSUS_DISK_METADATA_SIZE 32
int consensus_disk_check_metadata(const char *dir, char *why, size_t n);
/* Tests: the nth append from now (1: the next) fails as a write to disk would. */
void consensus_disk_fail_after(struct consensus_disk *d, unsigned nth);

#endif
