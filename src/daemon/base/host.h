/*
 * host — the service as its subsystems see it: the loop, the cluster it runs, and three calls
 * (commit through the leader, ask for a reconcile pass, read the clock).
 *
 * struct svc owns one and is the only writer of its fields; the group manager and health keep a
 * pointer to it and never see struct svc. db and consensus are NULL while no cluster runs, and
 * they change only on the loop thread, between the subsystems' calls.
 */
#ifndef CLUSSVC_HOST_H
#define CLUSSVC_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

struct cdb;
struct consensus;

/* The outcome of a commit: rv < 0 when it never reached a leader, else the Win32 status of the
 * command (0, or why the database refused it, errmsg saying so). On the loop thread. */
typedef void (*host_commit_cb)(void *arg, int rv, uint32_t status, const char *errmsg);

struct host {
    uv_loop_t *loop;
    uint64_t node_id;            /* this node's id in its cluster; 0 while not configured */
    struct cdb *db;              /* the cluster database, NULL while no cluster runs */
    struct consensus *consensus; /* likewise */
    bool quiescing;              /* the service is stopping or wiping: start nothing new */
    /* Commits a cluster-database command (copied) here or through the leader. cb runs exactly
     * once on the loop thread, before submit returns when the command cannot be sent at all:
     * set any "in flight" state before calling, and let cb clear it. */
    void (*submit)(struct host *h, const void *cmd, size_t len, host_commit_cb cb, void *arg);
    /* Asks the leader to move group to target (a typed request: only the leader commits
     * moves); cb gets the leader's status, ERROR_IO_PENDING while the move is committed. 0, or
     * negative errno and cb is not called. */
    int (*ask_move)(struct host *h, const char *group, uint64_t target, host_commit_cb cb,
                    void *arg);
    /* Asks for a reconcile pass on the next loop turn. */
    void (*kick)(struct host *h);
    /* Asks for a reconcile pass at monotonic millisecond at (at once if that has passed):
     * something waits for the clock, and the periodic pass would come up to a period late. */
    void (*kick_at)(struct host *h, uint64_t at);
    /* Monotonic milliseconds. */
    uint64_t (*now)(const struct host *h);
};

/* Commits the command a writer holds (taken from it). False, with cb not called, when the writer
 * recorded an allocation failure. */
struct wire_writer;
bool host_submit_writer(struct host *h, struct wire_writer *w, host_commit_cb cb, void *arg);

#endif
