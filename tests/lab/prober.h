/*
 * prober.h — what prober.c and its HTTP half (prober_http.c) share: the record of a run, the
 * options and the prober itself.  See prober.c for the program.
 */
#ifndef LAB_PROBER_H
#define LAB_PROBER_H

#include <linux/if_packet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>

#define MAX_NODES 64
#define NODE_LEN 64
#define DGRAM_MAX 512

enum { KIND_U, KIND_B, N_KINDS };

struct reply {
    int64_t seq;
    int kind;
    int node;
    int64_t t_send;
    int64_t t_recv;
};

/* Everything a run recorded (or a log held): send times per kind indexed by sequence number
 * (-1 for a probe not sent), replies in arrival order, node names. */
struct record {
    int64_t *sent[N_KINDS];
    int64_t n_sent[N_KINDS];
    int64_t cap_sent[N_KINDS];
    struct reply *replies;
    size_t n_replies;
    size_t cap_replies;
    char nodes[MAX_NODES][NODE_LEN];
    int n_nodes;
    int64_t start;
    int64_t interval_us;
    long foreign;
};

struct options {
    const char *target;
    const char *iface;
    const char *log;
    const char *analyze;
    const char *old;
    unsigned port;
    unsigned http_port; /* 0: client probes are UDP datagrams, else HTTP GETs to this port */
    double seconds;
    int64_t interval_us;
    int64_t http_timeout_us;
    int64_t window_us;
    int64_t from;
    int64_t to;
};

struct http_probes; /* prober_http.c */

struct prober {
    struct options opt;
    struct record rec;
    struct sockaddr_storage target;
    socklen_t target_len;
    int udp;
    int raw;
    struct sockaddr_ll raw_to;
    struct in_addr src4;
    uint16_t sport;
    uint16_t ip_id;
    FILE *log;
    struct http_probes *http;
};

/* Microseconds on clock ID. */
int64_t clock_us(clockid_t id);

/* Formats an epoch time in microseconds as "S.UUUUUU" into BUF (at least 32 bytes). */
const char *fmt_t(char *buf, int64_t us);

/* Records that probe SEQ of KIND was sent at T (epoch µs).  Returns 0 or -ENOMEM. */
int record_sent(struct record *r, int kind, int64_t seq, int64_t t);

/* Adds a reply by NAME to probe SEQ of KIND received at T; ignored (returns 1) if that probe is
 * unknown.  Returns 0, 1, -ENOSPC (too many nodes) or -ENOMEM. */
int record_reply(struct record *r, int kind, int64_t seq, int64_t t, const char *name);

/* The most HTTP probes in flight at once; a probe due while that many are open is recorded as
 * sent and never answered. */
#define HTTP_MAX_INFLIGHT 512

/* Frees what the record holds. */
void record_free(struct record *r);

/* Prepares P for HTTP client probes (P->opt.http_port, P->opt.http_timeout_us).  Returns 0 or
 * -ENOMEM. */
int http_init(struct prober *p);

/* Opens HTTP probe SEQ: a non-blocking connection to the target's HTTP port that will send
 * "GET / HTTP/1.0".  Returns 0, or -errno when no connection could be started (the probe then
 * stays unanswered). */
int http_start(struct prober *p, int64_t seq);

/* Fills FDS (room for HTTP_MAX_INFLIGHT) with the open probes' descriptors and the events they
 * wait for; returns how many. */
int http_pollfds(const struct prober *p, struct pollfd *fds);

/* Advances every open probe after a poll over the N descriptors http_pollfds gave, then ends
 * the probes past their timeout at monotonic time NOW.  A complete "200" answer whose body
 * starts with a node name is recorded as that node's reply to the probe (and logged); any other
 * answer counts as foreign. */
void http_service(struct prober *p, const struct pollfd *fds, int n, int64_t now);

/* Closes every open probe (they stay unanswered) and frees what http_init allocated. */
void http_free(struct prober *p);

#endif
