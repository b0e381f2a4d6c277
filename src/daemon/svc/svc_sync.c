/*
 * svc_sync — the read gate, and how long the node has been without a leader (svc_sync.h).
 */
#include "daemon/svc/svc_sync.h"

#include <assert.h>
#include <stdlib.h>

#include "common/cdb_cmd.h"
#include "daemon/svc/svc.h"

static void sync_done(struct svc *s, void *arg, int rv, uint32_t status, const char *errmsg)
{
    struct svc_sync *sy = &s->sync;

    (void)arg;
    (void)errmsg;
    sy->in_flight = false;
    /* Committed, and applied here: a leader applies on commit, a follower's callback waits for
     * its own copy (but not forever, hence the version check). */
    /* The cluster may have stopped meanwhile (a wipe): then there is nothing to be synced to. */
    sy->synced = rv == 0 && status == 0 && s->db != NULL && s->consensus != NULL &&
                 (consensus_role(s->consensus) == CONSENSUS_LEADER ||
                  cdb_version(s->db) >= sy->leader_version_seen);
    sy->props_known |= sy->synced;
}

static bool running(const struct svc *s)
{
    return s->consensus != NULL && s->db != NULL && !s->wiping;
}

/* Notes when a running node lost its leader (or started without one); forgets it once it has
 * one again. Called on each pass and on each read, so the time is right to the request. */
static bool note_leader(struct svc *s)
{
    struct svc_sync *sy = &s->sync;
    bool leader = running(s) && consensus_leader(s->consensus) != 0;

    if (leader || !running(s)) {
        sy->leaderless = false;
    } else if (!sy->leaderless) {
        sy->leaderless = true;
        sy->leaderless_since = svc_now_ms();
    }
    return leader;
}

uint64_t svc_sync_leaderless_ms(struct svc *s)
{
    note_leader(s);
    return s->sync.leaderless ? svc_now_ms() - s->sync.leaderless_since : 0;
}

enum read_answer svc_sync_read(struct svc *s, bool stale_ok)
{
    struct cdb_node self;
    struct read_facts f = {.synced = s->sync.synced, .stale_ok = stale_ok};

    assert(running(s)); /* the caller checked that this node runs a cluster */
    f.leaderless_ms = svc_sync_leaderless_ms(s); /* notes the leader, if any, first */
    f.leader_known = !s->sync.leaderless;
    f.knows_itself = cdb_node_by_id(s->db, s->conf.node_id, &self) == 0;
    f.storage_fault = svc_storage_out_of_log(s);
    return read_gate(&f);
}

void svc_sync_check(struct svc *s)
{
    struct svc_sync *sy = &s->sync;
    struct wire_writer w;
    uint8_t *cmd;
    size_t len;

    if (!note_leader(s)) {
        sy->synced = false;
        return;
    }
    if (sy->synced || sy->in_flight)
        return;
    wire_writer_init(&w);
    cdb_cmd_sync(&w);
    cmd = wire_writer_take(&w, &len);
    if (cmd == NULL)
        return;
    sy->in_flight = true; /* sync_done clears it, maybe before svc_submit returns */
    svc_submit(s, cmd, len, sync_done, NULL);
    free(cmd);
}
