/*
 * test_consensus_fixture — the cluster database as raft's state machine, on libraft's in-memory
 * cluster (raft_fixture: a fake network, disk and clock). Three nodes each run their own cdb
 * behind consensus_fsm's adapter, as clussvc does; commands are built with cdb_cmd.h's builders
 * and committed through the leader. Time is simulated, so every run takes the same steps; the
 * bounds below are simulated milliseconds.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <raft.h>
#include <raft/fixture.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"
#include "common/wire.h"
#include "common/wire_seal.h"
#include "daemon/cdb/cdb.h"
#include "daemon/consensus/consensus_disk.h"
#include "daemon/consensus/consensus_fsm.h"
#include "cdb_fixture.h"

#define N_NODES 3
#define NONE N_NODES     /* a node index that leaves no node out */
#define BOUND_MS 60000   /* how long the simulated cluster may take to do what a test awaits */

/* ---------------------------------------------------------------------------------------- */
/* A cluster of N_NODES databases                                                           */
/* ---------------------------------------------------------------------------------------- */

struct node {
    struct cdb *db;
    struct consensus_fsm_adapter adapter;
    unsigned restores; /* snapshots installed here */
};

/* One raft_apply() request and what its callback reported. */
struct request {
    struct raft_apply req;
    bool done;
    int status;      /* raft's */
    uint32_t win32;  /* the command's, when status is 0 */
};

struct cluster {
    struct raft_fixture f;
    struct consensus_disk disk; /* a node's guard, where a test sets one: lives till close */
    struct node nodes[N_NODES];
    struct request req;  /* the command being committed; lives as long as raft might call back */
    struct request lost; /* one sent to a leader cut off from the others */
};

static int node_apply(void *arg, const void *cmd, size_t len, uint32_t *ret_status)
{
    struct node *n = arg;

    return cdb_apply(n->db, cmd, len, ret_status);
}

static int node_snapshot(void *arg, void **ret_buf, size_t *ret_len)
{
    struct node *n = arg;

    return cdb_snapshot(n->db, ret_buf, ret_len);
}

static int node_restore(void *arg, const void *buf, size_t len)
{
    struct node *n = arg;

    n->restores++;
    return cdb_restore(n->db, buf, len);
}

/* Adds node i to the fixture: its database, its adapter, pre-vote on as in consensus.c. */
static int grow(struct cluster *c, unsigned i)
{
    struct node *n = &c->nodes[i];
    struct consensus_fsm fsm = {
        .arg = n, .apply = node_apply, .snapshot = node_snapshot, .restore = node_restore};

    if (cdb_new(&n->db) < 0)
        return -1;
    consensus_fsm_adapt(&n->adapter, &fsm, NULL, NULL);
    if (raft_fixture_grow(&c->f, &n->adapter.raft_fsm) != 0)
        return -1;
    raft_set_pre_vote(raft_fixture_get(&c->f, i), true);
    return 0;
}

/* Three voters, bootstrapped and started, with no leader yet. */
static int cluster_setup(void **state)
{
    struct cluster *c = calloc(1, sizeof(*c));
    struct raft_configuration conf;
    int rv;

    if (c == NULL || raft_fixture_initialize(&c->f) != 0) {
        free(c);
        return -1;
    }
    *state = c;
    for (unsigned i = 0; i < N_NODES; i++)
        if (grow(c, i) < 0)
            return -1;
    raft_configuration_init(&conf);
    rv = raft_fixture_configuration(&c->f, N_NODES, &conf);
    if (rv == 0)
        rv = raft_fixture_bootstrap(&c->f, &conf);
    raft_configuration_close(&conf);
    return rv == 0 && raft_fixture_start(&c->f) == 0 ? 0 : -1;
}

static int cluster_teardown(void **state)
{
    struct cluster *c = *state;

    raft_fixture_close(&c->f);
    for (unsigned i = 0; i < N_NODES; i++)
        cdb_free(c->nodes[i].db);
    free(c);
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Committing and waiting                                                                   */
/* ---------------------------------------------------------------------------------------- */

static void request_done(struct raft_apply *req, int status, void *result)
{
    struct request *r = req->data;

    r->done = true;
    r->status = status;
    if (status == 0)
        r->win32 = consensus_fsm_status(result);
}

static bool request_is_done(struct raft_fixture *f, void *arg)
{
    const struct request *r = arg;

    (void)f;
    return r->done;
}

/* Hands the command w holds (released here) to node i's raft as one log entry. */
static void submit(struct cluster *c, unsigned i, struct wire_writer *w, struct request *r)
{
    struct raft_buffer buf;
    uint8_t *cmd;
    size_t len = 0;

    assert_false(wire_writer_failed(w));
    cmd = wire_writer_take(w, &len);
    assert_non_null(cmd);
    assert_int_equal(consensus_fsm_entry(cmd, len, &buf), 0);
    free(cmd);
    *r = (struct request){.req.data = r};
    assert_int_equal(raft_apply(raft_fixture_get(&c->f, i), &r->req, &buf, 1, request_done), 0);
}

/* Commits the command w holds through the leader and steps until the leader applied it: the
 * command's Win32 status. */
static uint32_t commit(struct cluster *c, struct wire_writer *w)
{
    unsigned leader = raft_fixture_leader_index(&c->f);

    assert_true(leader < N_NODES);
    submit(c, leader, w, &c->req);
    assert_true(raft_fixture_step_until(&c->f, request_is_done, &c->req, BOUND_MS));
    assert_int_equal(c->req.status, 0);
    return c->req.win32;
}

/* COMMIT(c, cdb_cmd_x(W, ...)) builds one command and commits it; the result is its status. */
#define COMMIT(c, call)                                                                          \
    ({                                                                                           \
        struct wire_writer w_;                                                                   \
        wire_writer_init(&w_);                                                                   \
        call;                                                                                    \
        commit(c, &w_);                                                                          \
    })

/* The index of the last entry the leader applied. */
static raft_index leader_applied(struct cluster *c)
{
    unsigned leader = raft_fixture_leader_index(&c->f);

    assert_true(leader < N_NODES);
    return raft_last_applied(raft_fixture_get(&c->f, leader));
}

/* Steps until every node but skip (NONE: every node) has applied what the leader has; then they
 * all hold the same database. */
static void converge(struct cluster *c, unsigned skip)
{
    raft_index index = leader_applied(c);
    unsigned first = skip == 0 ? 1 : 0;

    for (unsigned i = 0; i < N_NODES; i++)
        if (i != skip)
            assert_true(raft_fixture_step_until_applied(&c->f, i, index, BOUND_MS));
    for (unsigned i = first + 1; i < N_NODES; i++) {
        if (i == skip)
            continue;
        assert_true(hash_of(c->nodes[i].db) == hash_of(c->nodes[first].db));
        assert_int_equal(cdb_version(c->nodes[i].db), cdb_version(c->nodes[first].db));
    }
}

static unsigned elect(struct cluster *c)
{
    assert_true(raft_fixture_step_until_has_leader(&c->f, BOUND_MS));
    return raft_fixture_leader_index(&c->f);
}

static bool has_other_leader(struct raft_fixture *f, void *arg)
{
    const unsigned *old = arg;
    unsigned leader = raft_fixture_leader_index(f);

    return leader < N_NODES && leader != *old;
}

/* Steps until a node other than old leads; its index. */
static unsigned elect_other_than(struct cluster *c, unsigned old)
{
    assert_true(raft_fixture_step_until(&c->f, has_other_leader, &old, BOUND_MS));
    return raft_fixture_leader_index(&c->f);
}

/* Node i's messages and those to it are lost from now on, as in a network partition. (The
 * fixture's leader detection counts a saturated link as a partition, not a disconnected one.) */
static void cut_off(struct cluster *c, unsigned i)
{
    for (unsigned j = 0; j < N_NODES; j++) {
        if (j != i) {
            raft_fixture_saturate(&c->f, i, j);
            raft_fixture_saturate(&c->f, j, i);
        }
    }
}

static void heal(struct cluster *c, unsigned i)
{
    for (unsigned j = 0; j < N_NODES; j++) {
        if (j != i) {
            raft_fixture_desaturate(&c->f, i, j);
            raft_fixture_desaturate(&c->f, j, i);
        }
    }
}

static bool follows_leader(struct raft_fixture *f, void *arg)
{
    const unsigned *i = arg;
    struct raft *r = raft_fixture_get(f, *i);
    const char *address = NULL;
    raft_id id = 0;

    raft_leader(r, &id, &address);
    return f->leader_id != 0 && raft_state(r) == RAFT_FOLLOWER && id == f->leader_id;
}

/* Steps until node i, back after a kill or a partition, follows a stable leader. */
static void rejoin(struct cluster *c, unsigned i)
{
    assert_true(raft_fixture_step_until(&c->f, follows_leader, &i, BOUND_MS));
}

/* A few commands of every kind of object, all accepted. */
static void commit_cluster_objects(struct cluster *c)
{
    static const struct cdb_kv props[] = {{"Address", "10.0.0.50"}, {"PrefixLength", "24"}};

    assert_int_equal(COMMIT(c, cdb_cmd_set_prop(W, "ClusterName", "clu1")), 0);
    for (uint64_t id = 1; id <= N_NODES; id++) {
        char name[8], address[16];

        snprintf(name, sizeof(name), "n%llu", (unsigned long long)id);
        snprintf(address, sizeof(address), "10.0.0.%llu", (unsigned long long)id);
        assert_int_equal(COMMIT(c, cdb_cmd_add_node(W, id, name, address, 3343, 3344, 1)), 0);
    }
    assert_int_equal(COMMIT(c, cdb_cmd_add_restype(W, "IP Address", "ipaddr")), 0);
    assert_int_equal(COMMIT(c, cdb_cmd_add_group(W, "Cluster Group", true)), 0);
    assert_int_equal(COMMIT(c, cdb_cmd_add_resource(W, "ip", "IP Address", "Cluster Group",
                                                    props, 2)),
                     0);
    assert_int_equal(COMMIT(c, cdb_cmd_set_group_state(W, "Cluster Group", ClusterGroupOnline,
                                                       2)),
                     0);
}

#define CLUSTER_OBJECT_COMMANDS (5 + N_NODES)

/* ---------------------------------------------------------------------------------------- */
/* Tests                                                                                    */
/* ---------------------------------------------------------------------------------------- */

static void test_leader_elected(void **state)
{
    struct cluster *c = *state;
    unsigned leader = elect(c);
    unsigned leaders = 0;

    assert_true(leader < N_NODES);
    for (unsigned i = 0; i < N_NODES; i++) {
        struct raft *r = raft_fixture_get(&c->f, i);
        const char *address = NULL;
        raft_id id = 0;

        leaders += raft_state(r) == RAFT_LEADER;
        raft_leader(r, &id, &address);
        assert_int_equal(id, leader + 1);
    }
    assert_int_equal(leaders, 1);
}

static void test_commands_reach_every_node(void **state)
{
    struct cluster *c = *state;

    elect(c);
    commit_cluster_objects(c);
    converge(c, NONE);
    for (unsigned i = 0; i < N_NODES; i++) {
        struct cdb *db = c->nodes[i].db;
        struct cdb_group g;
        struct cdb_prop *props = NULL;
        size_t n = 0;

        assert_int_equal(cdb_version(db), CLUSTER_OBJECT_COMMANDS);
        assert_int_equal(cdb_group_by_name(db, "cluster group", &g), 0);
        assert_int_equal(g.state, ClusterGroupOnline);
        assert_int_equal(g.owner, 2);
        assert_int_equal(cdb_resource_props(db, "ip", &props, &n), 0);
        assert_int_equal(n, 2);
        assert_string_equal(props[0].value, "10.0.0.50");
        free(props);
    }
}

/* A rejected command is still an entry of the log: every node applies it, and none changes. */
static void test_rejected_command_changes_no_node(void **state)
{
    struct cluster *c = *state;
    struct wire_writer w;
    struct cdb_group g;
    uint64_t before;
    size_t mark;

    elect(c);
    assert_int_equal(COMMIT(c, cdb_cmd_add_group(W, "G", false)), 0);
    converge(c, NONE);
    before = hash_of(c->nodes[0].db);

    assert_int_equal(COMMIT(c, cdb_cmd_add_group(W, "g", false)), ERROR_OBJECT_ALREADY_EXISTS);
    /* a batch whose second command fails leaves no trace of its first */
    wire_writer_init(&w);
    cdb_cmd_batch(&w);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_add_group(&w, "H", false);
    cdb_cmd_batch_sub_end(&w, mark);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_add_group(&w, "G", true);
    cdb_cmd_batch_sub_end(&w, mark);
    assert_int_equal(commit(c, &w), ERROR_OBJECT_ALREADY_EXISTS);
    converge(c, NONE);
    for (unsigned i = 0; i < N_NODES; i++) {
        assert_true(hash_of(c->nodes[i].db) == before);
        assert_int_equal(cdb_version(c->nodes[i].db), 1);
        assert_int_equal(cdb_group_by_name(c->nodes[i].db, "H", &g), -ENOENT);
    }
}

/* The leader dies: the other two elect a new one and go on; back, the old one catches up. */
static void test_new_leader_after_kill(void **state)
{
    struct cluster *c = *state;
    unsigned old = elect(c), leader;

    commit_cluster_objects(c);
    converge(c, NONE);
    raft_fixture_kill(&c->f, old);
    leader = elect_other_than(c, old);
    assert_int_equal(COMMIT(c, cdb_cmd_set_group_state(W, "Cluster Group", ClusterGroupOnline,
                                                       leader + 1)),
                     0);
    assert_int_equal(COMMIT(c, cdb_cmd_set_node_state(W, old + 1, ClusterNodeDown)), 0);
    converge(c, old);
    assert_int_equal(cdb_version(c->nodes[leader].db), CLUSTER_OBJECT_COMMANDS + 2);
    assert_int_equal(cdb_version(c->nodes[old].db), CLUSTER_OBJECT_COMMANDS);

    raft_fixture_revive(&c->f, old);
    rejoin(c, old);
    assert_int_equal(COMMIT(c, cdb_cmd_set_node_state(W, old + 1, ClusterNodeUp)), 0);
    converge(c, NONE);
    assert_int_equal(cdb_version(c->nodes[old].db), CLUSTER_OBJECT_COMMANDS + 3);
}

static bool steps_down(struct raft_fixture *f, void *arg)
{
    const unsigned *i = arg;

    return raft_state(raft_fixture_get(f, *i)) != RAFT_LEADER;
}

/*
 * The leader is cut off: the others elect a new one and go on, the old one steps down once it
 * misses its majority, and the command it took in meanwhile is never applied anywhere. Healed,
 * it catches up from the log.
 */
static void test_new_leader_after_partition(void **state)
{
    struct cluster *c = *state;
    unsigned old = elect(c), leader;
    struct cdb_group g;

    commit_cluster_objects(c);
    converge(c, NONE);
    cut_off(c, old);
    {
        struct wire_writer w;

        wire_writer_init(&w);
        cdb_cmd_add_group(&w, "Lost", false);
        submit(c, old, &w, &c->lost);
    }
    leader = elect_other_than(c, old);
    assert_int_equal(COMMIT(c, cdb_cmd_add_group(W, "Kept", false)), 0);
    converge(c, old);
    assert_true(raft_fixture_step_until(&c->f, steps_down, &old, BOUND_MS));
    assert_true(c->lost.done);
    assert_int_equal(c->lost.status, RAFT_LEADERSHIPLOST); /* consensus.c: -ENOTCONN, retry */

    heal(c, old);
    rejoin(c, old);
    converge(c, NONE);
    assert_int_equal(raft_fixture_leader_index(&c->f), leader);
    assert_int_equal(c->nodes[old].restores, 0);
    for (unsigned i = 0; i < N_NODES; i++) {
        assert_int_equal(cdb_group_by_name(c->nodes[i].db, "Kept", &g), 0);
        assert_int_equal(cdb_group_by_name(c->nodes[i].db, "Lost", &g), -ENOENT);
    }
}

/*
 * With a snapshot every few entries, a follower away for longer than the log keeps is sent the
 * leader's snapshot (cdb_snapshot there, cdb_restore here) and then follows the log again.
 */
static void test_catch_up_by_snapshot(void **state)
{
    struct cluster *c = *state;
    unsigned leader, away;
    char *value = NULL;

    for (unsigned i = 0; i < N_NODES; i++) {
        raft_set_snapshot_threshold(raft_fixture_get(&c->f, i), 4);
        raft_set_snapshot_trailing(raft_fixture_get(&c->f, i), 2);
    }
    leader = elect(c);
    away = (leader + 1) % N_NODES;
    cut_off(c, away);
    commit_cluster_objects(c);
    for (unsigned k = 0; k < 12; k++) {
        char key[16];

        snprintf(key, sizeof(key), "p%u", k);
        assert_int_equal(COMMIT(c, cdb_cmd_set_prop(W, key, key)), 0);
    }
    converge(c, away);
    assert_int_equal(cdb_version(c->nodes[away].db), 0);

    heal(c, away);
    rejoin(c, away);
    converge(c, NONE);
    assert_true(raft_fixture_n_recv(&c->f, away, RAFT_IO_INSTALL_SNAPSHOT) > 0);
    assert_true(c->nodes[away].restores > 0);
    assert_int_equal(cdb_version(c->nodes[away].db), CLUSTER_OBJECT_COMMANDS + 12);
    assert_int_equal(cdb_get_prop(c->nodes[away].db, "p11", &value), 0);
    assert_string_equal(value, "p11");
    free(value);

    assert_int_equal(COMMIT(c, cdb_cmd_delete_group(W, "Cluster Group")), 0);
    converge(c, NONE);
    assert_int_equal(cdb_version(c->nodes[away].db), CLUSTER_OBJECT_COMMANDS + 13);
}

/*
 * The ownership rule consensus_apply rests on: when the leader's write of a new entry cannot
 * start (a full disk, an I/O error), libraft 0.15's raft_apply fails, discards the entry without
 * freeing it, and calls nothing back: the buffer is the caller's to free, as after a refusal as
 * not leader. Under AddressSanitizer a buffer raft had freed fails the test here as a double
 * free, and one nobody frees as a leak.
 */
static void test_apply_that_cannot_write_returns_the_buffer(void **state)
{
    struct cluster *c = *state;
    unsigned leader = elect(c), follower = (leader + 1) % N_NODES;
    struct wire_writer w;
    struct raft_buffer buf;
    struct request r = {.req.data = &r};
    uint8_t *cmd;
    size_t len = 0;

    wire_writer_init(&w);
    cdb_cmd_add_group(&w, "g", 0);
    cmd = wire_writer_take(&w, &len);
    assert_non_null(cmd);
    assert_int_equal(consensus_fsm_entry(cmd, len, &buf), 0);
    raft_fixture_io_fault(&c->f, leader, 0, 1);
    assert_int_equal(raft_apply(raft_fixture_get(&c->f, leader), &r.req, &buf, 1, request_done),
                     RAFT_IOERR);
    assert_false(r.done);
    raft_free(buf.base);
    assert_int_equal(consensus_fsm_entry(cmd, len, &buf), 0);
    assert_int_equal(raft_apply(raft_fixture_get(&c->f, follower), &r.req, &buf, 1, request_done),
                     RAFT_NOTLEADER);
    raft_free(buf.base);
    free(cmd);
    /* the leader goes on: the next command commits */
    assert_int_equal(COMMIT(c, cdb_cmd_add_group(&w_, "g", 0)), 0);
}

/* What a disk guard told its owner. */
struct disk_told {
    unsigned failures;
    char why[CONSENSUS_DISK_WHY_SIZE];
};

static void disk_failed(void *arg, const char *why)
{
    struct disk_told *t = arg;

    t->failures++;
    snprintf(t->why, sizeof(t->why), "%s", why);
}

/* Commits groups g<first>..g<first + n - 1> through the leader. */
static void commit_groups(struct cluster *c, int first, int n)
{
    for (int k = first; k < first + n; k++) {
        char name[16];

        snprintf(name, sizeof(name), "g%d", k);
        assert_int_equal(COMMIT(c, cdb_cmd_add_group(W, name, false)), 0);
    }
}

/* A follower's log write that fails stops its log (consensus_disk.h): raft never sees the
 * failure, the follower stores and acknowledges nothing more, its owner hears of it once, and
 * the other two go on committing; at close the held writes are released (valgrind and ASan
 * check that nothing leaks and nothing is freed twice). */
static void test_follower_write_failure_stops_its_log(void **state)
{
    struct cluster *c = *state;
    unsigned leader = elect(c), follower = (leader + 1) % N_NODES;
    struct raft *r = raft_fixture_get(&c->f, follower);
    struct consensus_disk *disk = &c->disk;
    static struct disk_told told;
    raft_index stored;

    commit_cluster_objects(c);
    converge(c, NONE);
    told = (struct disk_told){0};
    consensus_disk_wrap(disk, r->io, disk_failed, &told);
    consensus_disk_fail_after(disk, 2); /* the second append from now */
    commit_groups(c, 0, 1);
    assert_true(raft_fixture_step_until_applied(&c->f, follower, leader_applied(c), BOUND_MS));
    stored = r->last_stored;
    assert_int_equal(told.failures, 0);
    commit_groups(c, 1, 6);
    assert_int_equal(told.failures, 1);
    assert_non_null(strstr(told.why, "an injected failure"));
    assert_true(disk->stopped);
    assert_int_equal(r->last_stored, stored); /* nothing more stored, so nothing acknowledged */
    converge(c, follower);
    assert_int_equal(raft_fixture_leader_index(&c->f), leader);
}

/* The leader's log write that fails stops its log (the path where libraft 0.15 frees a batch
 * twice is never taken). A leader commits nothing it did not store, so it hands leadership over;
 * the new leader commits what the old one sent, and goes on. */
static void test_leader_write_failure_stops_its_log(void **state)
{
    struct cluster *c = *state;
    unsigned leader = elect(c), next;
    struct raft *r = raft_fixture_get(&c->f, leader);
    struct consensus_disk *disk = &c->disk;
    static struct disk_told told;
    struct cdb_group g;
    struct wire_writer w;

    commit_cluster_objects(c);
    converge(c, NONE);
    told = (struct disk_told){0};
    consensus_disk_wrap(disk, r->io, disk_failed, &told);
    consensus_disk_fail_after(disk, 1);
    wire_writer_init(&w);
    cdb_cmd_add_group(&w, "sent-by-the-old-leader", false);
    submit(c, leader, &w, &c->lost);
    assert_int_equal(told.failures, 1);
    consensus_disk_hand_over(disk, r);
    assert_true(disk->handing_over);
    next = elect_other_than(c, leader);
    commit_groups(c, 0, 3);
    for (unsigned i = 0; i < N_NODES; i++) {
        if (i == leader)
            continue;
        assert_true(raft_fixture_step_until_applied(&c->f, i, leader_applied(c), BOUND_MS));
        assert_int_equal(cdb_group_by_name(c->nodes[i].db, "sent-by-the-old-leader", &g), 0);
        assert_int_equal(cdb_group_by_name(c->nodes[i].db, "g2", &g), 0);
    }
    assert_int_not_equal(next, leader);
    assert_int_equal(told.failures, 1);
}

/* A raft heap whose allocation number fail_at (counted from 1 since it was set) fails. */
static unsigned heap_calls, heap_fail_at;

static bool heap_fails(void)
{
    return ++heap_calls == heap_fail_at;
}

static void *heap_malloc(void *data, size_t size)
{
    (void)data;
    return heap_fails() ? NULL : malloc(size);
}

static void heap_free(void *data, void *ptr)
{
    (void)data;
    free(ptr);
}

static void *heap_calloc(void *data, size_t nmemb, size_t size)
{
    (void)data;
    return heap_fails() ? NULL : calloc(nmemb, size);
}

static void *heap_realloc(void *data, void *ptr, size_t size)
{
    (void)data;
    return heap_fails() ? NULL : realloc(ptr, size);
}

static void *heap_aligned_alloc(void *data, size_t alignment, size_t size)
{
    (void)data;
    return heap_fails() ? NULL : aligned_alloc(alignment, size);
}

static void heap_aligned_free(void *data, size_t alignment, void *ptr)
{
    (void)data, (void)alignment;
    free(ptr);
}

/* A command submitted while one of raft_apply's own allocations fails (the first and the
 * second it makes): raft_apply refuses it, the buffer comes back to the caller (consensus_apply
 * frees it), nothing leaks, and the cluster commits the next one. (libraft 0.15 itself crashes
 * when its third or sixth allocation of a commit fails: docs/failover.md, "Limits".) */
static void test_commit_when_an_allocation_fails(void **state)
{
    struct cluster *c = *state;
    struct raft_heap failing = {.malloc = heap_malloc, .free = heap_free, .calloc = heap_calloc,
                                .realloc = heap_realloc, .aligned_alloc = heap_aligned_alloc,
                                .aligned_free = heap_aligned_free};

    elect(c);
    commit_cluster_objects(c);
    for (unsigned n = 1; n <= 2; n++) {
        unsigned leader = raft_fixture_leader_index(&c->f);
        struct wire_writer w;
        struct raft_buffer buf;
        uint8_t *cmd;
        size_t len = 0;
        char name[16];
        int rv;

        assert_true(leader < N_NODES);
        snprintf(name, sizeof(name), "nomem%u", n);
        wire_writer_init(&w);
        cdb_cmd_add_group(&w, name, false);
        cmd = wire_writer_take(&w, &len);
        assert_non_null(cmd);
        assert_int_equal(consensus_fsm_entry(cmd, len, &buf), 0);
        free(cmd);
        c->req = (struct request){.req.data = &c->req};
        heap_calls = 0;
        heap_fail_at = n;
        raft_heap_set(&failing);
        rv = raft_apply(raft_fixture_get(&c->f, leader), &c->req.req, &buf, 1, request_done);
        raft_heap_set_default();
        assert_int_equal(rv, RAFT_NOMEM);
        assert_false(c->req.done);
        raft_free(buf.base);
        commit_groups(c, (int)n, 1);
    }
}

static unsigned restores_asked;

static int restore_refuses(void *arg, const void *buf, size_t len)
{
    (void)arg;
    (void)buf;
    (void)len;
    restores_asked++;
    return -EBADMSG;
}

static int restore_takes(void *arg, const void *buf, size_t len)
{
    (void)arg;
    (void)buf;
    assert_int_equal(len, 16); /* the image, without its seal */
    restores_asked++;
    return 0;
}

/* A snapshot as the adapter writes it: a 16-byte image and its seal, raft_malloc'd. */
static struct raft_buffer sealed_image(void)
{
    struct raft_buffer buf = {.base = raft_malloc(16 + WIRE_SEAL_SIZE), .len = 16 + WIRE_SEAL_SIZE};

    assert_non_null(buf.base);
    memset(buf.base, 0xa5, 16);
    wire_seal_bytes(buf.base, 16, CONSENSUS_SNAPSHOT_SEAL, (uint8_t *)buf.base + 16);
    return buf;
}

/* Who frees a snapshot's buffer: the adapter once the database took it, raft when it was
 * refused (libraft 0.15's start and install paths free it then; a damaged snapshot freed it
 * twice). A double free aborts here, a leak fails ASan's run. A snapshot whose seal does not
 * match, at any byte, never reaches the database. */
static void test_restore_buffer_owner(void **state)
{
    struct consensus_fsm_adapter a;
    struct consensus_fsm fsm = {.restore = restore_refuses};
    struct raft_buffer buf = sealed_image();

    (void)state;
    restores_asked = 0;
    consensus_fsm_adapt(&a, &fsm, NULL, NULL);
    assert_int_equal(a.raft_fsm.restore(&a.raft_fsm, &buf), RAFT_CORRUPT);
    assert_non_null(strstr(a.refused, "refused"));
    raft_free(buf.base); /* as raft does */
    fsm.restore = restore_takes;
    consensus_fsm_adapt(&a, &fsm, NULL, NULL);
    for (size_t at = 0; at < 16 + WIRE_SEAL_SIZE; at++) {
        buf = sealed_image();
        ((uint8_t *)buf.base)[at] ^= 0x10;
        assert_int_equal(a.raft_fsm.restore(&a.raft_fsm, &buf), RAFT_CORRUPT);
        assert_non_null(strstr(a.refused, "seal"));
        raft_free(buf.base);
        buf = sealed_image();
        buf.len = at; /* cut there */
        assert_int_equal(a.raft_fsm.restore(&a.raft_fsm, &buf), RAFT_CORRUPT);
        raft_free(buf.base);
    }
    assert_int_equal(restores_asked, 1);
    buf = sealed_image();
    assert_int_equal(a.raft_fsm.restore(&a.raft_fsm, &buf), 0);
    assert_null(a.refused);
    assert_int_equal(restores_asked, 2);
}

/* The snapshot raft loads at start is the newest by term, then index; meta files and other
 * names do not count. */
static void test_newest_snapshot(void **state)
{
    static const char *const files[] = {"snapshot-2-1024-17", "snapshot-2-1024-17.meta",
                                        "snapshot-3-100-9", "snapshot-2-2048-5",
                                        "snapshot-9-x", "metadata1", "snapshot-4-5-6.meta"};
    char dir[] = "/tmp/test_snapshot.XXXXXX", path[96], name[64];

    (void)state;
    assert_non_null(mkdtemp(dir));
    assert_false(consensus_disk_newest_snapshot(dir, name, sizeof(name)));
    assert_string_equal(name, "");
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
        assert_non_null(f = fopen(path, "w"));
        fclose(f);
    }
    assert_true(consensus_disk_newest_snapshot(dir, name, sizeof(name)));
    assert_string_equal(name, "snapshot-3-100-9");
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
        assert_int_equal(unlink(path), 0);
    }
    assert_int_equal(rmdir(dir), 0);
}

static void put_file(const char *dir, const char *name, size_t size)
{
    char path[96];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    assert_non_null(f = fopen(path, "w"));
    for (size_t i = 0; i < size; i++)
        fputc('m', f);
    fclose(f);
}

static void remove_file(const char *dir, const char *name)
{
    char path[96];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    unlink(path);
}

/* A raft directory with a log but no whole metadata file is refused before raft sees it (libraft
 * would start it as a new server); a fresh one, or one whose other metadata file is whole (a
 * write torn by a crash), is not. */
static void test_metadata_check(void **state)
{
    static const char *const logs[] = {"0000000000000001-0000000000000009", "open-3",
                                       "snapshot-2-1024-17"};
    char dir[] = "/tmp/test_metadata.XXXXXX", why[256] = "";

    (void)state;
    assert_non_null(mkdtemp(dir));
    assert_int_equal(consensus_disk_check_metadata(dir, why, sizeof(why)), 0);
    put_file(dir, "metadata1", 8); /* the first write torn, nothing else yet */
    assert_int_equal(consensus_disk_check_metadata(dir, why, sizeof(why)), 0);
    for (size_t i = 0; i < sizeof(logs) / sizeof(logs[0]); i++) {
        put_file(dir, logs[i], 64);
        assert_int_equal(consensus_disk_check_metadata(dir, why, sizeof(why)), -EBADMSG);
        assert_non_null(strstr(why, "metadata1, metadata2"));
        put_file(dir, "metadata2", CONSENSUS_DISK_METADATA_SIZE);
        assert_int_equal(consensus_disk_check_metadata(dir, why, sizeof(why)), 0);
        remove_file(dir, "metadata2");
        remove_file(dir, logs[i]);
    }
    put_file(dir, "0000000000000001-0000000000000009.tmp", 64); /* not a segment */
    assert_int_equal(consensus_disk_check_metadata(dir, why, sizeof(why)), 0);
    remove_file(dir, "0000000000000001-0000000000000009.tmp");
    remove_file(dir, "metadata1");
    assert_int_equal(rmdir(dir), 0);
}

/* Each test starts from a new cluster of N_NODES nodes, without a leader yet. */
#define CLUSTER_TEST(fn) cmocka_unit_test_setup_teardown(fn, cluster_setup, cluster_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        CLUSTER_TEST(test_leader_elected),
        CLUSTER_TEST(test_commands_reach_every_node),
        CLUSTER_TEST(test_rejected_command_changes_no_node),
        CLUSTER_TEST(test_new_leader_after_kill),
        CLUSTER_TEST(test_new_leader_after_partition),
        CLUSTER_TEST(test_catch_up_by_snapshot),
        CLUSTER_TEST(test_apply_that_cannot_write_returns_the_buffer),
        CLUSTER_TEST(test_follower_write_failure_stops_its_log),
        CLUSTER_TEST(test_leader_write_failure_stops_its_log),
        cmocka_unit_test(test_newest_snapshot),
        cmocka_unit_test(test_restore_buffer_owner),
        cmocka_unit_test(test_metadata_check),
        CLUSTER_TEST(test_commit_when_an_allocation_fails),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
