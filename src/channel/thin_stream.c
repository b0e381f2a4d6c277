/*
 * thin_stream — socket options for the cluster's TCP streams (see thin_stream.h).
 */
#include "channel/thin_stream.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

/* Linux 6.15's per-socket timers; older C libraries do not name them, older kernels refuse them. */
#ifndef TCP_RTO_MIN_US
#define TCP_RTO_MIN_US 45
#endif
#ifndef TCP_DELACK_MAX_US
#define TCP_DELACK_MAX_US 46
#endif

/* The kernel's floors are 200 ms and 40 ms, set for the internet. A cluster's links are short:
 * the timeout still grows with the measured round trip, and both values are at least two timer
 * ticks at any HZ from 100 up, which the kernel requires. */
#define RTO_MIN_US 50000
#define DELACK_MAX_US 20000

void thin_stream_tune(int fd)
{
    static const char congestion[] = "reno";
    int one = 1, rto_min = RTO_MIN_US, delack_max = DELACK_MAX_US;

    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    setsockopt(fd, IPPROTO_TCP, TCP_THIN_LINEAR_TIMEOUTS, &one, sizeof(one));
    setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, congestion, strlen(congestion));
    setsockopt(fd, IPPROTO_TCP, TCP_RTO_MIN_US, &rto_min, sizeof(rto_min));
    setsockopt(fd, IPPROTO_TCP, TCP_DELACK_MAX_US, &delack_max, sizeof(delack_max));
}
