/*
 * consensus — libraft 0.15 behind a small interface (see consensus.h).
 *
 * What RAFT-NOTES taught us is applied here: pre-vote on (without it a killed leader almost
 * always leads to split votes), a short connect-retry delay so restarted peers catch up quickly,
 * and a polling timer because 0.15 has no state-change callback. Raft's connections go through
 * TLS with the cluster credential (consensus_tls.c), never plain TCP.
 */
#include "daemon/consensus/consensus.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <raft.h>
#include <raft/uv.h>

#include "daemon/consensus/consensus_disk.h"
#include "daemon/consensus/consensus_fsm.h"
#include "daemon/consensus/consensus_link.h"
#include "daemon/consensus/consensus_tls.h"
#include "daemon/base/log.h"

#define MAX_VOTERS 5
#define POLL_MS 10
#define STOP_DRAIN_MS 1000   /* how long a stop waits for appends in flight */
#define STOP_DRAIN_POLL_MS 5
#define LINK_STALL_BEATS 4   /* the leader silent this many heartbeats: a stall */
#define LINK_STEADY_BEATS 8  /* no stall for this many: the leader's messages come steadily */
#define CONNECT_RETRY_MS 100
#define FAST_ELECTION_MS 100

struct consensus {
    struct raft raft;
    struct raft_io io;
    struct raft_uv_transport transport;
    struct consensus_disk disk; /* every log write goes through it */
    char dir[4096];             /* raft's directory */
    struct consensus_link link; /* whether the leader's messages come steadily */
    consensus_disk_failed_cb on_disk_failure;
    void *disk_failure_arg;
    struct consensus_fsm_adapter fsm;
    uv_timer_t poll;
    /* Followers learn that an entry committed only from the leader's next message; raft sends
     * one with each new entry but otherwise only every heartbeat, which would leave every
     * follower up to two heartbeats behind each commit (and a group move waits on several). So
     * once the leader has applied entries it appends a barrier: the message carrying it tells
     * the followers the new commit index at once. */
    uv_timer_t nudge;
    struct raft_barrier barrier;
    bool barrier_in_flight;
    bool nudge_wanted;
    /* raft_close() has begun: it calls back failed requests, and a callback that submitted
     * anew from there would append to a log that is being torn down */
    bool stopping;
    consensus_change_cb on_change;
    void *change_arg;
    int last_state;
    uint64_t last_leader;
    unsigned election_ms;    /* the configured timeout, restored after a fast first election */
    bool fast_election;
    consensus_stop_cb stop_cb;
    void *stop_arg;
    uint64_t stop_deadline;  /* loop time by which a stop closes raft whatever is in flight */
    int pending_closes;
    uint64_t conf_peers[NODE_CONF_MAX_PEERS];
    size_t n_conf_peers;
    uint64_t settled_fp; /* the committed voters last seen (consensus_settled_at) */
    uint64_t settled_at;
};

struct apply_req {
    struct raft_apply req;
    consensus_apply_cb cb;
    void *arg;
};

/* ------------------------------------------------------------------------------------------ */
/* State machine glue                                                                          */
/* ------------------------------------------------------------------------------------------ */

static void nudge_cb(uv_timer_t *t);

static void barrier_done(struct raft_barrier *req, int status)
{
    struct consensus *c = req->data;

    (void)status;
    c->barrier_in_flight = false;
    if (c->nudge_wanted && !c->stopping)
        uv_timer_start(&c->nudge, nudge_cb, 0, 0);
}

static void nudge_cb(uv_timer_t *t)
{
    struct consensus *c = t->data;

    if (c->barrier_in_flight || c->stopping || raft_state(&c->raft) != RAFT_LEADER)
        return;
    c->nudge_wanted = false;
    c->barrier.data = c;
    c->barrier_in_flight = raft_barrier(&c->raft, &c->barrier, barrier_done) == 0;
}

/* Called as the leader applies an entry: tell the followers soon (not from inside raft). */
static void nudge_followers(struct consensus *c)
{
    if (c->nudge.data == NULL || c->stopping)
        return; /* raft is still starting up, or closing */
    c->nudge_wanted = true;
    if (!c->barrier_in_flight && !uv_is_active((uv_handle_t *)&c->nudge))
        uv_timer_start(&c->nudge, nudge_cb, 0, 0);
}

/* After each command applied here: a leader tells the followers soon. */
static void entry_applied(void *arg)
{
    struct consensus *c = arg;

    if (raft_state(&c->raft) == RAFT_LEADER)
        nudge_followers(c);
}

/* ------------------------------------------------------------------------------------------ */
/* Start and stop                                                                              */
/* ------------------------------------------------------------------------------------------ */

static void close_now(struct consensus *c);

static void poll_cb(uv_timer_t *t)
{
    struct consensus *c = t->data;
    int state = raft_state(&c->raft);
    uint64_t leader = consensus_leader(c);

    consensus_disk_hand_over(&c->disk, &c->raft);
    consensus_link_sample(&c->link, uv_now(t->loop), state == RAFT_LEADER,
                          leader != 0 ? c->raft.election_timer_start : 0);
    if (state == c->last_state && leader == c->last_leader)
        return;
    static const char *const names[] = {"unavailable", "follower", "candidate", "leader"};

    LOGI("consensus", "role %s, leader %llu", state >= 0 && state < 4 ? names[state] : "?",
         (unsigned long long)leader);
    c->last_state = state;
    c->last_leader = leader;
    if (leader != 0 && c->fast_election) {
        c->fast_election = false;
        raft_set_election_timeout(&c->raft, c->election_ms);
    }
    if (c->on_change != NULL)
        c->on_change(c->change_arg);
}

/* Raft connections come only from members: the current configuration, or before this node
 * has one (it is joining and has not heard from the leader yet), the peers it was configured
 * with. */
static bool is_member(void *arg, uint64_t id)
{
    struct consensus *c = arg;

    if (c->raft.configuration.n > 0)
        return consensus_member_role(c, id) >= 0;
    for (size_t i = 0; i < c->n_conf_peers; i++)
        if (c->conf_peers[i] == id)
            return true;
    return false;
}

static void disk_failed(void *arg, const char *why)
{
    struct consensus *c = arg;

    LOGE("consensus", "%s: this node's log stops here and acknowledges nothing more; it "
         "takes part in raft again once restarted", why);
    if (c->on_disk_failure != NULL)
        c->on_disk_failure(c->disk_failure_arg, why);
}

static void disk_snapshot(void *arg, const char *why, unsigned failures)
{
    struct consensus *c = arg;

    if (why != NULL)
        LOGW("consensus", "raft could not write a snapshot into %s: %s; it keeps its whole log "
             "and tries again after each applied entry", c->dir, why);
    else
        LOGI("consensus", "raft wrote a snapshot again, after %u that could not be written",
             failures);
}

void consensus_on_disk_failure(struct consensus *c, consensus_disk_failed_cb cb, void *arg)
{
    c->on_disk_failure = cb;
    c->disk_failure_arg = arg;
}

const char *consensus_disk_failure(const struct consensus *c)
{
    return c->disk.stopped ? c->disk.why : NULL;
}

static int bootstrap(struct consensus *c, const struct node_conf *conf, char *errmsg)
{
    struct raft_configuration rc;
    unsigned voters = 0;
    int rv = 0;

    raft_configuration_init(&rc);
    for (size_t i = 0; i < conf->n_peers && rv == 0; i++) {
        const struct node_peer *p = &conf->peers[i];
        char addr[96];
        int role = p->role == RAFT_VOTER && voters < MAX_VOTERS ? RAFT_VOTER : RAFT_STANDBY;

        voters += role == RAFT_VOTER;
        snprintf(addr, sizeof(addr), "%s:%u", p->address, p->raft_port);
        rv = raft_configuration_add(&rc, p->id, addr, role);
    }
    if (rv == 0)
        rv = raft_bootstrap(&c->raft, &rc);
    raft_configuration_close(&rc);
    if (rv == RAFT_CANTBOOTSTRAP)
        return 0; /* already has state: a restart */
    /* A new cluster: every node starts at once and nobody leads yet, so the first election need
     * not wait a full timeout; the configured one is restored once a leader is known. */
    if (rv == 0 && c->election_ms > FAST_ELECTION_MS) {
        c->fast_election = true;
        raft_set_election_timeout(&c->raft, FAST_ELECTION_MS);
    }
    if (rv != 0)
        snprintf(errmsg, CONSENSUS_ERRMSG_SIZE, "bootstrap: %s", raft_errmsg(&c->raft));
    return rv == 0 ? 0 : -EIO;
}

static void set_timing(struct consensus *c, const struct consensus_timing *timing)
{
    c->election_ms = timing->election_ms;
    raft_set_heartbeat_timeout(&c->raft, timing->heartbeat_ms);
    raft_set_election_timeout(&c->raft, timing->election_ms);
    raft_set_pre_vote(&c->raft, true);
    raft_set_snapshot_threshold(&c->raft, 1024);
    raft_set_snapshot_trailing(&c->raft, 256);
    raft_uv_set_connect_retry_delay(&c->io, CONNECT_RETRY_MS);
    /* libraft 0.15 loops for ever on an LZ4 snapshot cut short (its Decompress waits for input
     * that never comes), so a damaged snapshot would hang the start instead of refusing it.
     * Plain snapshots are read whole and carry our seal (consensus_fsm.h); older LZ4 ones
     * still load. */
    raft_uv_set_snapshot_compression(&c->io, false);
}

int consensus_start(uv_loop_t *loop, const char *dir, const struct node_conf *conf,
                    const struct cred_ring *keys, const struct consensus_timing *timing,
                    const struct consensus_fsm *fsm, consensus_change_cb on_change,
                    void *change_arg, struct consensus **ret, char *errmsg)
{
    const struct node_peer *self = node_conf_peer(conf, conf->node_id);
    struct consensus *c;
    char addr[96];
    int rv;

    if (self == NULL) {
        snprintf(errmsg, CONSENSUS_ERRMSG_SIZE, "node %llu is not among the peers",
                 (unsigned long long)conf->node_id);
        return -EINVAL;
    }
    if (consensus_disk_check_metadata(dir, errmsg, CONSENSUS_ERRMSG_SIZE) < 0)
        return -EIO;
    c = calloc(1, sizeof(*c));
    if (c == NULL)
        return -ENOMEM;
    consensus_fsm_adapt(&c->fsm, fsm, entry_applied, c);
    snprintf(c->dir, sizeof(c->dir), "%s", dir);
    c->on_change = on_change;
    c->change_arg = change_arg;
    snprintf(addr, sizeof(addr), "%s:%u", self->address, self->raft_port);
    for (size_t i = 0; i < conf->n_peers; i++)
        c->conf_peers[c->n_conf_peers++] = conf->peers[i].id;
    rv = consensus_tls_init(&c->transport, loop, keys, is_member, c);
    if (rv != 0) {
        snprintf(errmsg, CONSENSUS_ERRMSG_SIZE, "raft transport: %s", raft_strerror(rv));
        free(c);
        return -EIO;
    }
    rv = raft_uv_init(&c->io, loop, dir, &c->transport);
    if (rv != 0) {
        snprintf(errmsg, CONSENSUS_ERRMSG_SIZE, "raft storage: %.200s", c->io.errmsg);
        consensus_tls_free(&c->transport);
        free(c);
        return -EIO;
    }
    rv = raft_init(&c->raft, &c->io, &c->fsm.raft_fsm, conf->node_id, addr);
    if (rv != 0) {
        snprintf(errmsg, CONSENSUS_ERRMSG_SIZE, "raft init: %s", raft_errmsg(&c->raft));
        raft_uv_close(&c->io);
        consensus_tls_free(&c->transport);
        free(c);
        return -EIO;
    }
    consensus_disk_wrap(&c->disk, &c->io, disk_failed, c);
    consensus_disk_on_snapshot(&c->disk, disk_snapshot);
    set_timing(c, timing);
    consensus_link_init(&c->link, LINK_STALL_BEATS * timing->heartbeat_ms,
                        LINK_STEADY_BEATS * timing->heartbeat_ms, uv_now(loop));
    rv = conf->join ? 0 : bootstrap(c, conf, errmsg); /* a joining node learns from the leader */
    if (rv == 0 && raft_start(&c->raft) != 0) {
        char snapshot[64];
        /* libraft names a damaged segment, but not a damaged snapshot: the newest is the one
         * it read */
        bool has_snapshot = consensus_disk_newest_snapshot(dir, snapshot, sizeof(snapshot));

        if (c->fsm.refused != NULL && has_snapshot)
            snprintf(errmsg, CONSENSUS_ERRMSG_SIZE, "raft start: snapshot %s in %.200s does "
                     "not restore: %s", snapshot, dir, c->fsm.refused);
        else
            snprintf(errmsg, CONSENSUS_ERRMSG_SIZE, "raft start: %.240s (in %.200s%s%s)",
                     raft_errmsg(&c->raft), dir, has_snapshot ? "; its newest snapshot is " : "",
                     snapshot);
        rv = -EIO;
    }
    uv_timer_init(loop, &c->poll);
    c->poll.data = c;
    uv_timer_init(loop, &c->nudge);
    c->nudge.data = c;
    if (rv < 0) { /* nothing was appended: nothing to wait for before closing */
        c->stopping = true;
        close_now(c);
        return rv;
    }
    uv_timer_start(&c->poll, poll_cb, POLL_MS, POLL_MS);
    *ret = c;
    return 0;
}

static void maybe_free(struct consensus *c)
{
    if (--c->pending_closes > 0)
        return;
    raft_uv_close(&c->io);
    consensus_tls_free(&c->transport);
    if (c->stop_cb != NULL)
        c->stop_cb(c->stop_arg);
    free(c);
}

static void raft_closed(struct raft *r)
{
    maybe_free(r->data);
}

static void timer_closed(uv_handle_t *h)
{
    maybe_free(h->data);
}

static void close_now(struct consensus *c)
{
    c->pending_closes = 3;
    c->raft.data = c;
    uv_close((uv_handle_t *)&c->poll, timer_closed);
    uv_close((uv_handle_t *)&c->nudge, timer_closed);
    raft_close(&c->raft, raft_closed);
}

/*
 * Waits, before closing, until every entry appended here is on disk (or STOP_DRAIN_MS passed).
 * Why: libraft 0.15 cancels queued disk writes on close, and a leader's callback for the first
 * one truncates the log under the later ones, whose callbacks then release entries that are
 * gone and crash the process. Nothing new is appended meanwhile: c->stopping refuses applies,
 * barriers and membership changes.
 */
static void drain_cb(uv_timer_t *t)
{
    struct consensus *c = t->data;

    if (c->raft.last_stored < raft_last_index(&c->raft) && uv_now(t->loop) < c->stop_deadline)
        return;
    uv_timer_stop(t);
    close_now(c);
}

void consensus_stop(struct consensus *c, consensus_stop_cb cb, void *arg)
{
    if (c == NULL) {
        if (cb != NULL)
            cb(arg);
        return;
    }
    assert(!c->stopping); /* one stop per consensus */
    c->stop_cb = cb;
    c->stop_arg = arg;
    c->stopping = true;
    c->stop_deadline = uv_now(c->poll.loop) + STOP_DRAIN_MS;
    uv_timer_stop(&c->nudge);
    uv_timer_start(&c->poll, drain_cb, 0, STOP_DRAIN_POLL_MS);
}

/* ------------------------------------------------------------------------------------------ */
/* Requests and state                                                                          */
/* ------------------------------------------------------------------------------------------ */

/* A raft status as an errno: no leader, no room on the disk, or any other failure. */
static int errno_of(int status)
{
    switch (status) {
    case 0:
        return 0;
    case RAFT_NOTLEADER:
    case RAFT_LEADERSHIPLOST:
        return -ENOTCONN;
    case RAFT_NOSPACE:
        return -ENOSPC;
    default:
        return -EIO;
    }
}

/* What a failed command is logged with: raft_strerror does not know RAFT_NOSPACE. */
static const char *status_text(int status)
{
    return status == RAFT_NOSPACE ? "no space left on the disk" : raft_strerror(status);
}

static void apply_done(struct raft_apply *req, int status, void *result)
{
    struct apply_req *a = req->data;

    if (status != 0 && status != RAFT_NOTLEADER && status != RAFT_LEADERSHIPLOST)
        LOGW("consensus", "a command was not committed: %s (%d)", status_text(status), status);
    a->cb(a->arg, errno_of(status), consensus_fsm_status(result));
    free(a);
}

int consensus_apply(struct consensus *c, const void *cmd, size_t len, consensus_apply_cb cb,
                    void *arg)
{
    struct apply_req *a;
    struct raft_buffer buf;
    int rv;

    assert(cmd != NULL && len > 0 && cb != NULL);
    if (c->stopping || raft_state(&c->raft) != RAFT_LEADER)
        return -ENOTCONN;
    a = calloc(1, sizeof(*a));
    if (a == NULL || consensus_fsm_entry(cmd, len, &buf) < 0) {
        free(a);
        return -ENOMEM;
    }
    a->cb = cb;
    a->arg = arg;
    a->req.data = a;
    rv = raft_apply(&c->raft, &a->req, &buf, 1, apply_done);
    if (rv != 0) {
        /* libraft 0.15 gives the buffer back on every failure, one whose write could not start
         * included (it discards the entry without freeing it: test_consensus_fixture). */
        if (rv != RAFT_NOTLEADER)
            LOGW("consensus", "a command was not committed: %s (%d)", status_text(rv), rv);
        raft_free(buf.base);
        free(a);
        return errno_of(rv);
    }
    return 0;
}

enum consensus_role consensus_role(struct consensus *c)
{
    switch (raft_state(&c->raft)) {
    case RAFT_LEADER:
        return CONSENSUS_LEADER;
    case RAFT_CANDIDATE:
        return CONSENSUS_CANDIDATE;
    case RAFT_FOLLOWER:
        return CONSENSUS_FOLLOWER;
    default:
        return CONSENSUS_DOWN;
    }
}

uint64_t consensus_leader(struct consensus *c)
{
    raft_id id = 0;
    const char *address = NULL;

    raft_leader(&c->raft, &id, &address);
    /* A voter that stops hearing its leader campaigns and forgets it; a standby never does, so
     * it would name a dead leader for ever. A standby's leader unheard for two election
     * timeouts: unknown. (Voters are left to raft.) */
    if (id != 0 && c->raft.state == RAFT_FOLLOWER &&
        consensus_member_role(c, c->raft.id) != RAFT_VOTER &&
        c->raft.io->time(c->raft.io) - c->raft.election_timer_start >
            2 * (raft_time)c->raft.election_timeout)
        return 0;
    return id;
}

uint64_t consensus_applied_index(struct consensus *c)
{
    return raft_last_applied(&c->raft);
}

/* ------------------------------------------------------------------------------------------ */
/* Membership                                                                                  */
/* ------------------------------------------------------------------------------------------ */

struct change_req {
    union {
        struct raft_change change;
        struct raft_transfer transfer;
    } u;
    struct consensus *c;
    consensus_change_done cb;
    void *arg;
    uint64_t target; /* transfer: who should lead */
};

static int raft_errno(int rv)
{
    switch (rv) {
    case 0:
        return 0;
    case RAFT_NOTLEADER:
    case RAFT_LEADERSHIPLOST:
        return -ENOTCONN;
    case RAFT_CANTCHANGE:
        return -EBUSY;
    case RAFT_BADID:
    case RAFT_NOTFOUND:
        return -ENOENT;
    case RAFT_DUPLICATEID:
    case RAFT_DUPLICATEADDRESS:
        return -EEXIST;
    case RAFT_NOMEM:
        return -ENOMEM;
    default:
        return -EIO;
    }
}

static struct change_req *change_new(struct consensus *c, consensus_change_done cb, void *arg)
{
    struct change_req *req = c->stopping ? NULL : calloc(1, sizeof(*req));

    assert(cb != NULL);
    if (req != NULL)
        *req = (struct change_req){.c = c, .cb = cb, .arg = arg};
    return req;
}

static void change_done(struct raft_change *change, int status)
{
    struct change_req *req = change->data;

    if (status != 0)
        LOGW("consensus", "membership change failed: %s", raft_strerror(status));
    req->cb(req->arg, raft_errno(status));
    free(req);
}

/* Runs one raft membership call with the shared request/callback plumbing. */
static int change_start(struct change_req *req, int rv)
{
    if (rv != 0) {
        LOGW("consensus", "membership change refused: %s", raft_errmsg(&req->c->raft));
        free(req);
        return raft_errno(rv);
    }
    return 0;
}

int consensus_add(struct consensus *c, uint64_t id, const char *address, uint16_t port,
                  consensus_change_done cb, void *arg)
{
    struct change_req *req = change_new(c, cb, arg);
    char addr[96];

    if (req == NULL)
        return c->stopping ? -ENOTCONN : -ENOMEM;
    snprintf(addr, sizeof(addr), "%s:%u", address, port);
    req->u.change.data = req;
    return change_start(req, raft_add(&c->raft, &req->u.change, id, addr, change_done));
}

int consensus_assign(struct consensus *c, uint64_t id, int role, consensus_change_done cb,
                     void *arg)
{
    struct change_req *req = change_new(c, cb, arg);

    if (req == NULL)
        return c->stopping ? -ENOTCONN : -ENOMEM;
    req->u.change.data = req;
    return change_start(req, raft_assign(&c->raft, &req->u.change, id, role, change_done));
}

int consensus_remove(struct consensus *c, uint64_t id, consensus_change_done cb, void *arg)
{
    struct change_req *req = change_new(c, cb, arg);

    if (req == NULL)
        return c->stopping ? -ENOTCONN : -ENOMEM;
    req->u.change.data = req;
    return change_start(req, raft_remove(&c->raft, &req->u.change, id, change_done));
}

static void transfer_done(struct raft_transfer *t)
{
    struct change_req *req = t->data;
    uint64_t leader = consensus_leader(req->c);

    /* The callback also fires on timeout: success is someone else leading now. */
    req->cb(req->arg, leader != 0 && leader != req->c->raft.id ? 0 : -ETIMEDOUT);
    free(req);
}

int consensus_transfer(struct consensus *c, uint64_t id, consensus_change_done cb, void *arg)
{
    struct change_req *req = change_new(c, cb, arg);

    if (req == NULL)
        return c->stopping ? -ENOTCONN : -ENOMEM;
    req->u.transfer.data = req;
    req->target = id;
    return change_start(req, raft_transfer(&c->raft, &req->u.transfer, id, transfer_done));
}

int consensus_member_role(struct consensus *c, uint64_t id)
{
    for (unsigned i = 0; i < c->raft.configuration.n; i++)
        if (c->raft.configuration.servers[i].id == id)
            return c->raft.configuration.servers[i].role;
    return -1;
}

unsigned consensus_voters(struct consensus *c)
{
    unsigned n = 0;

    for (unsigned i = 0; i < c->raft.configuration.n; i++)
        n += c->raft.configuration.servers[i].role == RAFT_VOTER;
    return n;
}

/* splitmix64's finaliser: spreads an id over all 64 bits */
static uint64_t mix(uint64_t x)
{
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

size_t consensus_voter_set(struct consensus *c, uint64_t *ids, size_t cap, uint64_t *ret_fp)
{
    uint64_t fp = 0;
    size_t n = 0, voters = 0;

    /* a sum: the same voters give the same fingerprint in any order */
    for (unsigned i = 0; i < c->raft.configuration.n; i++) {
        const struct raft_server *sv = &c->raft.configuration.servers[i];

        if (sv->role != RAFT_VOTER)
            continue;
        fp += mix(sv->id);
        voters++;
        if (n < cap)
            ids[n++] = sv->id;
    }
    *ret_fp = voters == 0 ? 0 : fp | 1; /* nonzero once there are voters */
    return n;
}

uint64_t consensus_settled_at(struct consensus *c, uint64_t now)
{
    uint64_t fp;

    if (c->raft.configuration_uncommitted_index != 0 || c->raft.configuration_index == 0)
        return 0;
    consensus_voter_set(c, NULL, 0, &fp);
    if (fp != c->settled_fp) {
        c->settled_fp = fp;
        c->settled_at = now;
    }
    return c->settled_at;
}

void consensus_keys_changed(struct consensus *c)
{
    consensus_tls_revoke(&c->transport);
}

bool consensus_leader_link_steady(struct consensus *c)
{
    return consensus_link_steady(&c->link, uv_now(c->poll.loop),
                                 raft_state(&c->raft) == RAFT_LEADER);
}

bool consensus_caught_up(struct consensus *c)
{
    return consensus_leader(c) != 0 && c->raft.last_applied >= c->raft.commit_index;
}
