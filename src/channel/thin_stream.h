/*
 * thin_stream — socket options for the cluster's TCP streams (the API channel, raft's tunnels).
 *
 * These streams carry small messages a few at a time, and a lost segment must be sent again after
 * one retransmission timeout, not after doubling ones: on a lossy link doubling holds a raft
 * message or a forwarded command back for seconds. The kernel retransmits a thin stream linearly
 * only when asked (TCP_THIN_LINEAR_TIMEOUTS) and only once the connection has left its initial
 * slow start, which a congestion control that never sets a slow-start threshold (BBR, a common
 * system default) never does; so the streams use Reno, which every kernel has built in and lets
 * any process choose. And the retransmission timeout may go as low as a cluster's short links
 * allow, with acknowledgements delayed less to match, where the kernel lets a socket choose them
 * (Linux 6.15 and later). Every option is a hint: without it the stream only recovers slower.
 */
#ifndef CLUSAPI_CHANNEL_THIN_STREAM_H
#define CLUSAPI_CHANNEL_THIN_STREAM_H

/* Sets fd (a TCP socket) up as a thin stream: no Nagle delay, linear retransmission, Reno, short
 * timers. */
void thin_stream_tune(int fd);

#endif
