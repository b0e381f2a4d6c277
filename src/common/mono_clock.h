/*
 * mono_clock — the monotonic clock in milliseconds (CLOCK_MONOTONIC): the one clock the daemon's
 * deadlines and leases are read on, shared by clussvc and its resource host; and the wall clock,
 * for what the database dates (failover periods, quarantines), which all nodes must read alike.
 */
#ifndef CLUSAPI_MONO_CLOCK_H
#define CLUSAPI_MONO_CLOCK_H

#include <stdint.h>

/* Milliseconds since some fixed moment; never goes back. */
uint64_t mono_ms(void);
/* Milliseconds since the epoch (CLOCK_REALTIME). */
int64_t wall_ms(void);

#endif
