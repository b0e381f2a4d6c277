/*
 * progress — the percentages a setup call reports. Windows fixes the number of steps up front
 * (REFERENCE §2.2); percent is completed steps over that total, never decreasing, and only the
 * final End of a successful call reaches 100.
 */
#ifndef CLUSAPI_PROGRESS_H
#define CLUSAPI_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "common/create_config.h"

struct progress {
    uint32_t total;
    uint32_t done;
    uint32_t last; /* highest percent handed out */
};

/* CreateCluster's step count: 3·nodes + 4, and for a non-empty cluster a + b + (IPs?1:0) + 4,
 * where (a, b) is (2, 2) for CNO/CNO_ONLY, (0, 1) for DNS_ONLY and (0, 0) for NONE. */
uint32_t progress_total_create(const struct create_plan *plan);
/* AddClusterNode(Ex) declares 9 steps. */
#define PROGRESS_TOTAL_ADD_NODE 9u

void progress_init(struct progress *p, uint32_t total);
/* Counts one completed step. */
void progress_step(struct progress *p);
/* The percent to report now: done/total, at most 99, never below an earlier report. */
uint32_t progress_percent(struct progress *p);
/* The percent of the final End of a successful call: 100. */
uint32_t progress_finish(struct progress *p);

#endif
