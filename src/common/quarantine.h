/*
 * quarantine — Windows' node quarantine, pure: a node that leaves the cluster ungracefully
 * QuarantineThreshold times within an hour is kept from hosting groups for QuarantineDuration
 * seconds, so that a node that keeps failing (a flapping link, a lossy NIC, a machine that
 * stalls) stops dragging the groups it holds through one outage after another.
 *
 * An ungraceful departure is an Up node found Down by the leader, or a new quorum lease after a
 * lapse nobody saw: CONFIRM_NODE of a node that held a lease before and did not stop gracefully
 * since, unless it was found Down since its last one (cdb_apply.c applies quarantine_depart()
 * there). At most a quarter of the nodes
 * are quarantined at once, one in a cluster of up to seven, so a fault of the whole cluster
 * cannot quarantine it all. A quarantined node is given no group while another node may host
 * it (rgm_place.c): what it holds leaves at its next failure or move and does not come back.
 * ResumeClusterNode ends its quarantine early.
 *
 * Times are wall-clock milliseconds (the cluster's nodes keep their clocks in step well within
 * the hour and the durations involved).
 */
#ifndef CLUSAPI_QUARANTINE_H
#define CLUSAPI_QUARANTINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QUARANTINE_WINDOW_MS (3600 * 1000LL) /* departures count within an hour (Windows) */
#define QUARANTINE_THRESHOLD_DEFAULT 3u
#define QUARANTINE_DURATION_DEFAULT 7200u     /* s: two hours, as Windows */
#define QUARANTINE_FOREVER 0xFFFFFFFFu        /* QuarantineDuration: until resumed */

/* What the database keeps of one node. */
struct quarantine_record {
    uint32_t departures; /* within the hour that began at since_ms */
    int64_t since_ms;    /* 0: none counted */
    int64_t until_ms;    /* quarantined until then; 0: not quarantined; INT64_MAX: until resumed */
};

/* How many of n_nodes may be quarantined at once: a quarter, at least one. */
size_t quarantine_cap(size_t n_nodes);

/*
 * r after an ungraceful departure at at_ms, with the cluster's QuarantineThreshold and
 * QuarantineDuration (0 of either: never quarantined), n_quarantined other nodes quarantined at
 * at_ms among n_nodes. Reaching the threshold quarantines the node (if the cap allows) and
 * starts its count afresh. Returns true when this departure quarantined it.
 */
bool quarantine_depart(struct quarantine_record *r, int64_t at_ms, uint32_t threshold,
                       uint32_t duration_s, size_t n_quarantined, size_t n_nodes);

/* Is a node with record r quarantined at now_ms? */
bool quarantine_active(const struct quarantine_record *r, int64_t now_ms);

#endif
