/*
 * net_peer — can this node open a TCP connection to a peer? (setup phase 102)
 */
#ifndef CLUSSVC_NET_PEER_H
#define CLUSSVC_NET_PEER_H

#include <stdint.h>

/* 0 if host:port accepts a TCP connection within timeout_ms, else a negative errno. Blocking. */
int net_tcp_reachable(const char *host, uint16_t port, int timeout_ms);

#endif
