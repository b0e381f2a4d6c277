/*
 * hb_track — what a node knows from heartbeats, and the decisions taken from it. Pure: no I/O,
 * no clock; every function is given "now" (this node's monotonic milliseconds).
 *
 * Every heartbeat a node sends carries its send time and, for each other node, an echo of the
 * newest send time it heard from that node and how long it has not heard it (silence). From
 * this each node derives:
 *  - whether a peer is Up: heard within SameSubnetThreshold × SameSubnetDelay. A peer whose
 *    heartbeats say it has not heard this node for two intervals is not heard (nor echoed):
 *    a node that can send but not receive counts as silent, so it is fenced and taken over;
 *  - its own quorum lease: when a majority of the voters (itself included if it votes) echoed a
 *    heartbeat this node sent at time s, this node may keep resources online until s + lease.
 *    Only its own clock is involved, so no clock synchronisation is needed. Every heartbeat
 *    names the sender's voter configuration (a fingerprint of the voters of its raft
 *    configuration), and a node echoes only heartbeats sent in a configuration it is in itself,
 *    so a lease always rests on a majority of one configuration whose voters were all in it
 *    (docs/failover.md, "Changing the voters"). A node counts as still in the configuration it
 *    left for HB_VOTERS_OVERLAP_MS, so that a node entering the new one later keeps its lease;
 *    and a heartbeat heard in a configuration the node enters a moment later is echoed then;
 *  - whether a peer is surely fenced: a majority of the voters (this node's own observation and
 *    the silences others report, while their reports are fresh) have not heard it for
 *    lease × (1 + drift) + margin. A fenced peer's lease has expired whatever it heard, because
 *    any majority that could have renewed it shares a voter with this one, and a voter echoes
 *    nothing to a peer it reported silent for as long as that report may be read
 *    (docs/failover.md, "Why it holds", "Stale reports").
 * The lease is the sender's: every heartbeat declares the lease its sender derives from it, and
 * every report names the longest lease its author heard declared lately, so nodes that apply a
 * new SameSubnetDelay at different moments still fence with a lease at least as long as any
 * the peer can hold.
 */
#ifndef CLUSSVC_HB_TRACK_H
#define CLUSSVC_HB_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HB_MAX_NODES 64
#define HB_NEVER UINT32_MAX /* silence of a node never heard */
/* How long a lease once declared still counts after the declaring node moved to another:
 * longer than any lease the bounds allow (4000 ms, plus drift and margin). */
#define HB_LEASE_MEMORY_MS 5000
/* How long a node still echoes heartbeats sent in the voter configuration it left: the others
 * enter a new configuration up to this much later (each when raft hands it the entry) without
 * a lapse of their leases. The leader spaces changes by this much more (hb_track_change_spacing). */
#define HB_VOTERS_OVERLAP_MS 500
/* How often a node re-evaluates node states, its lease and fencing (hb.c): it notices its own
 * lapse up to this late, so no fencing margin is shorter. */
#define HB_CHECK_MS 25

struct hb_config {
    uint32_t delay_ms;       /* SameSubnetDelay */
    uint32_t threshold;      /* SameSubnetThreshold: Down after threshold × delay of silence */
    uint32_t interval_ms;    /* how often heartbeats go out: the delay, or less for a short lease */
    uint32_t lease_ms;       /* how long a quorum echo keeps resources online */
    uint32_t drift_ppm;      /* allowed clock rate difference, parts per million */
    uint32_t margin_ms;      /* extra wait before a silent node counts as fenced */
};

/* One entry of a heartbeat: what the sender knows of node id. */
struct hb_entry {
    uint64_t id;
    uint64_t echo_ms;    /* the newest send time heard from id, in id's clock; 0 if never */
    uint32_t silence_ms; /* how long the sender has not heard id; HB_NEVER if never */
    uint32_t lease_ms;   /* the longest lease id declared to the sender lately (0: none) */
};

/* A lease length that changed: the one before still counts for a while. */
struct hb_lease_memory {
    uint32_t current;
    uint32_t previous;
    uint64_t previous_until; /* our clock: previous no longer counts from then on */
};

/* A voter configuration as heartbeats name it. */
struct hb_voters {
    uint64_t fp;      /* its fingerprint; 0 before any is known */
    uint64_t from_ms; /* our clock: heartbeats sent from then on name it */
    size_t n;
    uint64_t ids[HB_MAX_NODES];
};

struct hb_node {
    uint64_t id;
    uint64_t heard_at;        /* our clock when we last heard it; 0 = never */
    uint64_t their_send_ms;   /* its clock, newest heartbeat heard */
    uint64_t echoable_ms;     /* its clock, newest heartbeat heard that named our configuration:
                                 the only kind we echo */
    uint64_t pending_fp;      /* the configuration its newest heartbeat named when that was none
                                 of ours (0: none); echoed once we enter it */
    uint64_t pending_send_ms; /* its clock, the send time of that heartbeat */
    uint64_t echo_of_ours;    /* our newest send time it echoed, sent in our configuration */
    uint64_t echo_previous;   /* the same in the configuration before (see hb_track.voters) */
    /* what it reports about every node (index as in nodes[]) */
    uint32_t reported_silence[HB_MAX_NODES];
    uint64_t report_at;       /* our clock when that report arrived; 0 = none */
    uint64_t report_echo;     /* our send time that report echoed (0: none): it was made after
                                 that send, so it is no older (hb_track_fenced) */
    uint64_t withhold_until;  /* our clock: its heartbeats are not echoed before then, since one
                                 of ours said it was silent long enough to fence (entries) */
    uint64_t member_since;    /* our clock: it became a member (a node never heard has been
                                 silent since then, no longer) */
    uint32_t reported_lease[HB_MAX_NODES];
    struct hb_lease_memory declared; /* the leases it declared to us */
    bool silence_told;        /* our silence of it has reached a fence and we said so */
    bool withhold_told;       /* we said its echoes are withheld, and not since that they resume */
    bool deaf;                /* its newest heartbeat said it does not hear us: not counted */
    uint32_t lapsed_ms;       /* its newest heartbeat: how long it had run nothing for want of a
                                 lease then (0: not so) */
    uint64_t lapsed_incarnation; /* the incarnation that heartbeat said so of */
    uint64_t lapsed_at;       /* our clock when that heartbeat arrived */
    uint64_t incarnation;     /* as our database has it (CONFIRM_NODE) */
    bool incarnation_known;
};

struct hb_track {
    struct hb_config cfg;
    /* The lease this node declared before its last change (the shortest of those, if several
     * changes came within HB_LEASE_MEMORY_MS), for echoes of heartbeats sent before it. */
    uint32_t own_previous_lease;
    uint64_t own_changed_at; /* our clock */
    /* Our voter configuration, and the one before: echoes of heartbeats sent in that one still
     * carry the lease until a majority of the new one has echoed. */
    struct hb_voters voters;
    struct hb_voters previous_voters;
    uint64_t self;
    uint64_t started_at; /* our clock: a node not heard since is silent for at most that long */
    size_t n;
    struct hb_node nodes[HB_MAX_NODES]; /* self included */
};

/*
 * The configuration for the two Windows properties and QuorumLease (lease_ms; 0 = twice the
 * delay, with a heartbeat each delay, as Windows sends them). A lease set on its own is renewed
 * three times per lease (more often than the delay when it is short), so that one lost
 * heartbeat never costs it; Down still comes after threshold × delay of silence.
 */
void hb_config_defaults(struct hb_config *cfg, uint32_t delay_ms, uint32_t threshold,
                        uint32_t lease_ms);
/* Windows' bounds (delay 250–2000 ms, threshold 3–120); the lease 0 or 150–4000 ms. */
bool hb_config_valid(uint32_t delay_ms, uint32_t threshold, uint32_t lease_ms);

/* Starts tracking at now (our clock): a member not heard since is reported silent since then,
 * not for ever, so that a node just started or just made a voter does not vouch for the
 * silence of a node it has had no time to hear. */
void hb_track_init(struct hb_track *t, const struct hb_config *cfg, uint64_t self, uint64_t now);
/* A new configuration from now on (a changed SameSubnetDelay changes the lease). */
void hb_track_set_config(struct hb_track *t, const struct hb_config *cfg, uint64_t now);
/* Adds a member at now (a no-op for one already known); members not named keep their state. */
int hb_track_set_member(struct hb_track *t, uint64_t id, uint64_t now);
/*
 * Our voter configuration from now on: its fingerprint (nonzero) and voters (members or not yet).
 * The same fingerprint again changes nothing. A new one keeps the one before for the lease
 * (echoes of heartbeats sent in it) and starts the new one's echoes afresh; the newest heartbeat
 * of each peer that already named the new one becomes echoable.
 */
void hb_track_set_voters(struct hb_track *t, uint64_t fp, const uint64_t *ids, size_t n,
                         uint64_t now);
/* Is id a voter in our configuration? */
bool hb_track_is_voter(const struct hb_track *t, uint64_t id);
void hb_track_remove_member(struct hb_track *t, uint64_t id);
/* What a datagram says of its sender. */
struct hb_from {
    uint64_t id;
    uint64_t send_ms;   /* its clock */
    uint32_t lease_ms;  /* the lease it derives from this datagram's echoes */
    uint64_t voters_fp; /* the voter configuration it was in */
    bool full;          /* a heartbeat (reports on every node), not an acknowledgement */
    uint32_t lapsed_ms; /* how long the sender has run nothing for want of a lease (0: not so) */
    uint64_t lapsed_incarnation; /* the sender's incarnation it can no longer run anything of */
    bool restarted;     /* its process started since its datagram before (a new boot id) */
};

/*
 * Records a heartbeat or an acknowledgement (only the echo of our own send time). Unknown
 * senders are ignored. Every heartbeat is acknowledged at once (hb_track_ack), so an echo comes
 * back within a round trip and the lease need not cover a whole heartbeat interval of echo delay.
 * True when the sender is heard again after our heartbeats said we no longer heard it: a
 * heartbeat should go to it at once, since it echoes none of ours until one says we hear it (a
 * node that stalled for a moment then gets its lease back within a round trip).
 */
bool hb_track_receive(struct hb_track *t, const struct hb_from *from,
                      const struct hb_entry *entries, size_t n, uint64_t now);
/* The one entry of the acknowledgement to send to from after receiving its heartbeat at now. */
struct hb_entry hb_track_ack(const struct hb_track *t, uint64_t from, uint64_t now);
/*
 * The entries of the heartbeat to send now (one per other member); returns the count. A member
 * whose silence these entries report long enough to fence it is not echoed, here or in
 * acknowledgements, for as long as any node may still rely on this report (hb_track_fenced
 * takes a report only while it is that fresh): a report that the member is silent stays true of
 * every echo from us while it can be used (docs/failover.md, "Stale reports"). Not from a member
 * that restarted or says it lapsed since: it confirms any lease before it starts anything.
 */
size_t hb_track_entries(struct hb_track *t, uint64_t now, struct hb_entry *out, size_t cap);
/*
 * The incarnation of node id as this node's database has it. When it changes, the node came back
 * with a new lease after a lapse or a start: the silences others reported before describe the
 * node before that, so none counts any more until its author reports again.
 */
void hb_track_note_incarnation(struct hb_track *t, uint64_t id, uint64_t incarnation);
/* The lease node id declared in its newest datagram (0: none heard). */
uint32_t hb_track_declared_lease(const struct hb_track *t, uint64_t id);
/* The incarnation of node id noted last, in *ret; false if none was. */
bool hb_track_incarnation(const struct hb_track *t, uint64_t id, uint64_t *ret);
/*
 * Has our own silence of some peer just reached the length that fences it (once per silence)?
 * Then a heartbeat should go out at once rather than at the next interval: the leader needs a
 * majority's reports to fence the peer, and ours would otherwise come up to an interval late.
 */
bool hb_track_silence_reached_fence(struct hb_track *t, uint64_t now);
/* Have we begun (1) or ended (-1) withholding echoes from node id since we last asked, or
 * neither (0)? For the log: a withholding explains a lease another node cannot keep. */
int hb_track_withhold_change(struct hb_track *t, uint64_t id, uint64_t now);
/* Did node id's newest heartbeat say it has not heard us for two intervals (so that it was not
 * counted as heard)? */
bool hb_track_deaf(const struct hb_track *t, uint64_t id);
/* How long reporter's newest heartbeat said it had not heard node about (HB_NEVER: never, or
 * not said). */
uint32_t hb_track_reported_silence(const struct hb_track *t, uint64_t reporter, uint64_t about);
/* Has node id echoed one of our heartbeats sent in our current voter configuration? */
bool hb_track_echoed(const struct hb_track *t, uint64_t id);
/* Is node id Up as seen from here? (Self is always Up.) */
bool hb_track_up(const struct hb_track *t, uint64_t id, uint64_t now);
/* How long node id has not been heard (0 for self, HB_NEVER if never or not a member). */
uint32_t hb_track_silence(const struct hb_track *t, uint64_t id, uint64_t now);
/*
 * How long after a moment any lease granted before it may still run, on our clock: the
 * longest lease any member (this node included) declared lately, with drift and margin. The
 * leader waits this long between two changes of the voters (docs/failover.md).
 */
uint64_t hb_track_lease_bound(const struct hb_track *t, uint64_t now);
/* How long the leader waits after a change of the voters was committed before the next one: the
 * lease bound, plus the overlap in which nodes still echo the configuration they left. */
uint64_t hb_track_change_spacing(const struct hb_track *t, uint64_t now);
/* Until when (our clock) this node holds its quorum lease; 0 if it holds none. */
uint64_t hb_track_lease_until(const struct hb_track *t, uint64_t now);
/*
 * How long node id itself said it had run nothing for want of a lease, in its newest heartbeat if
 * that is recent (within two intervals) and said so of the incarnation our database has for it;
 * 0 otherwise. Such a node can start nothing again before it has confirmed a new lease
 * (CONFIRM_NODE, a new incarnation): its groups may move, with EXPECT_NODE of that incarnation
 * (docs/failover.md, "Lossy links"). Not extrapolated: the lapse may have ended since.
 */
uint32_t hb_track_lapsed(const struct hb_track *t, uint64_t id, uint64_t now);
/* Has a majority of the voters surely not heard node id for longer than its lease could run?
 * Another voter's report counts only while it is fresh: it echoed a send of ours no longer ago
 * than one and a half of the leases it names. */
bool hb_track_fenced(const struct hb_track *t, uint64_t id, uint64_t now);

#endif
