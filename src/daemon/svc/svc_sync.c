/*
 * svc_sync — the read gate (svc_sync.h).
 */
#include "daemon/svc/svc_sync.h"

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
    sy->synced = rv == 0 && status == 0 && s->db != NULL &&
                 (consensus_role(s->consensus) == CONSENSUS_LEADER ||
                  cdb_version(s->db) >= sy->leader_version_seen);
    sy->props_known |= sy->synced;
}

void svc_sync_check(struct svc *s)
{
    struct svc_sync *sy = &s->sync;
    struct wire_writer w;
    uint8_t *cmd;
    size_t len;

    if (s->consensus == NULL || s->db == NULL || s->wiping ||
        consensus_leader(s->consensus) == 0) {
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
