/*
 * svc_votes — dynamic quorum on the leader (svc_votes.h).
 */
#include "daemon/svc/svc_votes.h"

#include <stdlib.h>

#include <raft.h>

#include "common/cdb_cmd.h"
#include "common/cluster_props.h"
#include "common/quorum_votes.h"
#include "daemon/base/log.h"
#include "daemon/svc/svc.h"

/* The members raft knows, as the database and this node's heartbeats show them: out[0..n). */
static size_t members_now(struct svc *s, struct quorum_member *out, size_t cap, uint64_t now)
{
    const struct hb_track *t = hb_tracker(s->health.hb);
    struct cdb_node *nodes;
    size_t n, k = 0;

    if (cdb_nodes(s->db, &nodes, &n) < 0)
        return 0;
    for (size_t i = 0; i < n && k < cap; i++) {
        int role = consensus_member_role(s->consensus, nodes[i].id);
        uint32_t silent = hb_track_silence(t, nodes[i].id, now);

        if (role < 0)
            continue; /* not in raft yet (being added) or no longer */
        out[k++] = (struct quorum_member){
            .id = nodes[i].id, .witness = nodes[i].witness, .weight = nodes[i].weight,
            .state = nodes[i].state, .left = nodes[i].left,
            .up = hb_track_up(t, nodes[i].id, now),
            .silent_ms = silent == HB_NEVER ? UINT64_MAX : silent, .voter = role == RAFT_VOTER,
            .spare = role == RAFT_SPARE, .storage_fault = nodes[i].storage_fault[0] != '\0',
            .joined = nodes[i].incarnation > 0};
    }
    free(nodes);
    return k;
}

/* A quorum property as stored, or its default (common/cluster_props.h). */
static uint32_t quorum_prop(struct svc *s, const char *name)
{
    char *stored = NULL;
    uint32_t v;

    if (cdb_get_prop(s->db, name, &stored) < 0)
        stored = NULL;
    v = cluster_prop_u32(name, stored);
    free(stored);
    return v;
}

static void settings_now(struct svc *s, struct quorum_settings *ret)
{
    *ret = (struct quorum_settings){
        .dynamic = quorum_prop(s, CLUSTER_PROP_DYNAMIC_QUORUM) != 0,
        .lower_priority = quorum_prop(s, CLUSTER_PROP_LOWER_QUORUM_PRIORITY),
        .leader = s->conf.node_id};
}

bool svc_votes_should_vote(struct svc *s, uint64_t id)
{
    struct quorum_member m[HB_MAX_NODES];
    struct quorum_settings set;
    bool want[HB_MAX_NODES] = {false};
    size_t n;

    if (s->health.hb == NULL)
        return false;
    n = members_now(s, m, HB_MAX_NODES, svc_now_ms());
    settings_now(s, &set);
    for (size_t i = 0; i < n; i++)
        if (m[i].id == id)
            m[i].up = true, m[i].silent_ms = 0; /* it has just caught up with the leader */
    quorum_target(m, n, &set, want);
    for (size_t i = 0; i < n; i++)
        if (m[i].id == id)
            return want[i];
    return false;
}

/* A vote change in flight; the service is member_busy meanwhile. */
struct vote_change {
    struct svc *s;
    uint64_t id;
    int role;
};

static void role_recorded(struct svc *s, void *arg, int rv, uint32_t status, const char *errmsg)
{
    (void)arg, (void)rv, (void)status, (void)errmsg; /* a failure is retried at the next pass */
    s->votes_recording = false;
}

/* The database records the role raft gave (DynamicWeight reads it). */
static void record_role(struct svc *s, uint64_t id, int role)
{
    struct wire_writer w;
    uint8_t *cmd;
    size_t len;

    wire_writer_init(&w);
    cdb_cmd_set_node_role(&w, id, (uint32_t)role);
    cmd = wire_writer_take(&w, &len);
    if (cmd != NULL) {
        s->votes_recording = true; /* role_recorded clears it, maybe before svc_submit returns */
        svc_submit(s, cmd, len, role_recorded, NULL);
    }
    free(cmd);
}

static void vote_changed(void *arg, int rv)
{
    struct vote_change *vc = arg;
    struct svc *s = vc->s;

    s->member_busy = false;
    if (rv < 0) {
        LOGW("quorum", "node %llu: the vote change failed (%d); it is tried again",
             (unsigned long long)vc->id, rv);
    } else if (vc->role >= 0) {
        LOGI("quorum", "node %llu %s (%u voters)", (unsigned long long)vc->id,
             vc->role == RAFT_VOTER  ? "votes"
             : vc->role == RAFT_SPARE ? "leaves the log until its storage fault ends"
                                      : "no longer votes",
             consensus_voters(s->consensus));
        record_role(s, vc->id, vc->role);
    }
    free(vc);
    svc_kick(s);
}

/* A member whose role the database records differently from raft (a leader changed before it
 * recorded one): its id in *ret_id and raft's role in *ret_role; false if there is none. */
static bool stale_role(struct svc *s, uint64_t *ret_id, int *ret_role)
{
    struct cdb_node *nodes;
    bool found = false;
    size_t n;

    if (cdb_nodes(s->db, &nodes, &n) < 0)
        return false;
    for (size_t i = 0; i < n && !found; i++) {
        int role = consensus_member_role(s->consensus, nodes[i].id);

        if (role >= 0 && (uint32_t)role != nodes[i].role) {
            *ret_id = nodes[i].id;
            *ret_role = role;
            found = true;
        }
    }
    free(nodes);
    return found;
}

/* A stale role is recorded again, one per pass. */
static void record_stale_role(struct svc *s)
{
    uint64_t id;
    int role;

    if (stale_role(s, &id, &role))
        record_role(s, id, role);
}

/* Starts one raft change: the vote of id to role, or (role -1) leadership handed to another
 * voter, when it is this node's own vote that goes. */
static void start_change(struct svc *s, uint64_t id, int role)
{
    struct vote_change *vc = malloc(sizeof(*vc));
    int rv;

    if (vc == NULL)
        return;
    *vc = (struct vote_change){.s = s, .id = id, .role = role};
    s->member_busy = true;
    if (role < 0) {
        LOGI("quorum", "this node's vote is to be taken: handing leadership over");
        rv = consensus_transfer(s->consensus, 0, vote_changed, vc);
    } else {
        rv = consensus_assign(s->consensus, id, role, vote_changed, vc);
    }
    if (rv < 0) {
        s->member_busy = false;
        free(vc);
    }
}

bool svc_votes_may_change(struct svc *s)
{
    uint64_t now = svc_now_ms();
    uint64_t settled = consensus_settled_at(s->consensus, now);

    return settled != 0 && s->health.hb != NULL &&
           now >= settled + hb_track_change_spacing(hb_tracker(s->health.hb), now);
}

/*
 * Is this node's lease fresh enough to change the voters now? The leader enters a new
 * configuration first, and its lease then rests on the echoes of heartbeats it sent before until
 * the others enter it too (docs/failover.md): so it first heartbeats and waits for a majority's
 * echoes, which makes that lease as long as it can be. Should they not come within a lease, the
 * change goes ahead all the same: it is safe either way, only a lease may lapse. A renewal older
 * than two leases (the change was put off, or leadership came and went) is asked for again.
 */
static bool lease_renewed(struct svc *s, uint64_t now)
{
    const struct hb_track *t = hb_tracker(s->health.hb);

    if (s->votes_renew_at == 0 || now - s->votes_renew_at >= 2 * (uint64_t)t->cfg.lease_ms) {
        s->votes_renew_at = now;
        hb_send_now(s->health.hb);
        return false;
    }
    if (hb_track_lease_until(t, now) < s->votes_renew_at + t->cfg.lease_ms &&
        now - s->votes_renew_at < t->cfg.lease_ms)
        return false;
    s->votes_renew_at = 0;
    return true;
}

/* The raft role a step gives its member. */
static int step_role(enum quorum_step_kind kind)
{
    switch (kind) {
    case QUORUM_STEP_GIVE:
        return RAFT_VOTER;
    case QUORUM_STEP_PARK:
        return RAFT_SPARE;
    default:
        return RAFT_STANDBY;
    }
}

/* The next vote change as the cluster stands now. */
static struct quorum_step next_step(struct svc *s)
{
    struct quorum_member m[HB_MAX_NODES];
    struct quorum_settings set;
    bool want[HB_MAX_NODES] = {false};
    size_t n = members_now(s, m, HB_MAX_NODES, svc_now_ms());

    settings_now(s, &set);
    quorum_target(m, n, &set, want);
    return quorum_next_step(m, n, want);
}

bool svc_votes_pending(struct svc *s)
{
    uint64_t id;
    int role;

    /* Pending until the database records what raft has, too: DynamicWeight reads it. */
    return s->consensus != NULL && s->db != NULL && s->health.hb != NULL &&
           consensus_role(s->consensus) == CONSENSUS_LEADER &&
           (s->member_busy || s->votes_recording || next_step(s).kind != QUORUM_STEP_NONE ||
            stale_role(s, &id, &role));
}

void svc_votes_check(struct svc *s)
{
    struct quorum_step step;

    if (s->consensus == NULL || s->db == NULL || s->wiping || s->shutdown.stopping ||
        s->member_busy || s->health.hb == NULL ||
        consensus_role(s->consensus) != CONSENSUS_LEADER || !svc_votes_may_change(s))
        return;
    step = next_step(s);
    if (step.kind == QUORUM_STEP_NONE) {
        s->votes_renew_at = 0;
        if (!s->votes_recording)
            record_stale_role(s);
    } else if (step.kind == QUORUM_STEP_TAKE && step.id == s->conf.node_id) {
        start_change(s, step.id, -1); /* leadership handed over: the voters stay as they are */
    } else if (lease_renewed(s, svc_now_ms())) {
        start_change(s, step.id, step_role(step.kind));
    }
}
