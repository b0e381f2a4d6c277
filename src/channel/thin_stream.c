/*
 * thin_stream — socket options for the cluster's TCP streams (see thin_stream.h).
 */
#include "channel/thin_stream.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

void thin_stream_tune(int fd)
{
    static const char congestion[] = "reno";
    int one = 1;

    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    setsockopt(fd, IPPROTO_TCP, TCP_THIN_LINEAR_TIMEOUTS, &one, sizeof(one));
    setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, congestion, strlen(congestion));
}
