/*
 * lab_hostile — a process without the cluster credential (or with an evicted node's old one)
 * that attacks the nodes' raft and heartbeat ports, for scenario_hostile.sh.
 *
 *   lab_hostile capture SECONDS FILE RAFT_PORT HB_PORT
 *       (in the switch namespace) records every IPv4 heartbeat datagram and every TCP segment
 *       sent to a raft port that crosses the bridge, for SECONDS.
 *   lab_hostile replay FILE RAFT_PORT HB_PORT [--forbid TEXT]...
 *       sends each recorded datagram again to its node, and each recorded raft stream again on a
 *       new connection to its node.
 *   lab_hostile garbage HOST RAFT_PORT HB_PORT [--forbid TEXT]...
 *       random bytes, a plaintext raft handshake with a forged node id and a vote request, and a
 *       TLS handshake with a made-up key to the raft port; junk and forged heartbeats.
 *   lab_hostile forge KEYFILE CLUSTER_ID HOST RAFT_PORT HB_PORT MGMT_PORT ID...
 *       with the key in KEYFILE (an evicted node's cluster.key): a TLS raft handshake as each
 *       node ID, heartbeats signed with it as each ID, and a management connection.
 *
 * Each attempt prints "refused WHAT" or "ACCEPTED WHAT"; an answer that contains a --forbid text
 * prints "LEAK WHAT". Refused means: the connection was closed on us without a word of cluster
 * data, or the datagram got no answer. Exit 0 if everything was refused and nothing leaked, 1 if
 * not, 2 on usage errors.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "channel/channel.h"
#include "common/wire.h"
#include "daemon/consensus/consensus_hello.h"
#include "daemon/keys/cred_ring.h"
#include "daemon/health/hb_packet.h"

#define ANSWER_WAIT_MS 1000 /* a datagram's answer, a TLS handshake */
#define CLOSE_WAIT_MS 3000  /* a node gives a connection 1 s to authenticate, then closes it */
#define MAX_RECORDS 20000
#define MAX_PAYLOAD 1600
#define MAX_FORBID 16
#define MAX_FLOWS 12
#define MAX_REPLAYED 200 /* heartbeat datagrams sent again */

static const char *forbid[MAX_FORBID];
static size_t n_forbid;
static int failures;

static void verdict(bool refused, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void verdict(bool refused, const char *fmt, ...)
{
    va_list ap;

    printf("%s ", refused ? "refused" : "ACCEPTED");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    failures += !refused;
}

static uint64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Did the answer carry any forbidden text? */
static void check_leak(const uint8_t *buf, size_t len, const char *what)
{
    for (size_t i = 0; i < n_forbid; i++)
        if (memmem(buf, len, forbid[i], strlen(forbid[i])) != NULL) {
            printf("LEAK %s: the answer contains '%s'\n", what, forbid[i]);
            failures++;
        }
}

static int tcp_connect(const char *host, uint16_t port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    if (fd < 0 || inet_pton(AF_INET, host, &sa.sin_addr) != 1 ||
        connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

/* Sends data, then reads until the peer closes or CLOSE_WAIT_MS pass; true if it closed. */
static bool send_and_watch(int fd, const uint8_t *data, size_t len, const char *what)
{
    static uint8_t answer[1 << 16];
    size_t got = 0;
    uint64_t end;
    bool closed = false;

    for (size_t off = 0; off < len;) {
        ssize_t n = send(fd, data + off, len - off, MSG_NOSIGNAL);

        if (n <= 0) {
            closed = true; /* reset while we were still talking */
            break;
        }
        off += (size_t)n;
    }
    end = now_ms() + CLOSE_WAIT_MS;
    while (!closed && now_ms() < end) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        ssize_t n;

        if (poll(&p, 1, (int)(end - now_ms())) <= 0)
            break;
        n = recv(fd, answer + got, sizeof(answer) - got, 0);
        if (n <= 0)
            closed = true;
        else if ((got += (size_t)n) == sizeof(answer))
            break;
    }
    check_leak(answer, got, what);
    close(fd);
    return closed;
}

/* Sends n datagrams from one socket; true if nothing answered within ANSWER_WAIT_MS of the
 * last. */
static bool udp_all_unanswered(const struct sockaddr_in *to, const uint8_t *const *data,
                               const size_t *len, size_t n, const char *what)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct pollfd p = {.fd = fd, .events = POLLIN};
    uint8_t answer[2048];
    bool silent = true;

    if (fd < 0)
        return false;
    for (size_t i = 0; i < n; i++)
        sendto(fd, data[i], len[i], 0, (const struct sockaddr *)&to[i], sizeof(to[i]));
    if (poll(&p, 1, ANSWER_WAIT_MS) > 0) {
        ssize_t got = recv(fd, answer, sizeof(answer), 0);

        silent = got < 0; /* ICMP unreachable shows as an error: still no answer */
        if (got > 0)
            check_leak(answer, (size_t)got, what);
    }
    close(fd);
    return silent;
}

static bool udp_unanswered(const char *host, uint16_t port, const uint8_t *data, size_t len,
                           const char *what)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};

    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
        return false;
    return udp_all_unanswered(&sa, &data, &len, 1, what);
}

/* After a handshake that passed: the hello a raft peer sends, naming id, and a wait for the
 * node's verdict (it closes a connection it refuses). */
static void send_hello(gnutls_session_t s, uint64_t id)
{
    uint8_t hello[CONSENSUS_HELLO_MAX], buf[256];
    int n = consensus_hello_encode(id, "192.0.2.1:1", hello);
    uint64_t end = now_ms() + CLOSE_WAIT_MS;
    ssize_t got;

    if (n < 0 || gnutls_record_send(s, hello, (size_t)n) < 0)
        return;
    gnutls_record_set_timeout(s, CLOSE_WAIT_MS);
    do
        got = gnutls_record_recv(s, buf, sizeof(buf));
    while (got > 0 && now_ms() < end);
}

/* A TLS 1.3 PSK handshake as raft node id would make it; true if the node refused it. */
static bool tls_refused(const char *host, uint16_t port, const char *identity, uint64_t id,
                        const uint8_t key[CHANNEL_KEY_BYTES])
{
    gnutls_session_t s = NULL;
    gnutls_psk_client_credentials_t cred = NULL;
    gnutls_datum_t datum = {.data = (unsigned char *)key, .size = CHANNEL_KEY_BYTES};
    int fd = tcp_connect(host, port), rv = -1;

    if (fd < 0)
        return true; /* nothing listens: nothing accepted */
    if (gnutls_init(&s, GNUTLS_CLIENT) == 0 &&
        gnutls_priority_set_direct(s, CHANNEL_PRIORITY, NULL) == 0 &&
        gnutls_psk_allocate_client_credentials(&cred) == 0 &&
        gnutls_psk_set_client_credentials(cred, identity, &datum, GNUTLS_PSK_KEY_RAW) == 0 &&
        gnutls_credentials_set(s, GNUTLS_CRD_PSK, cred) == 0) {
        gnutls_transport_set_int(s, fd);
        gnutls_handshake_set_timeout(s, ANSWER_WAIT_MS);
        do
            rv = gnutls_handshake(s);
        while (rv < 0 && !gnutls_error_is_fatal(rv));
        if (rv == 0)
            send_hello(s, id);
    }
    if (s != NULL)
        gnutls_deinit(s);
    if (cred != NULL)
        gnutls_psk_free_client_credentials(cred);
    close(fd);
    return rv < 0;
}

static int mac(void *arg, const uint8_t *data, size_t len, uint8_t *tag)
{
    uint8_t full[32];

    if (gnutls_hmac_fast(GNUTLS_MAC_SHA256, arg, CHANNEL_KEY_BYTES, data, len, full) < 0)
        return -EIO;
    memcpy(tag, full, HB_TAG_BYTES);
    return 0;
}

/* A well-formed heartbeat from sender, signed with key. */
static int forged_heartbeat(uint64_t sender, const uint8_t key[CHANNEL_KEY_BYTES], uint8_t *buf)
{
    struct hb_packet p = {.type = HB_TYPE_HEARTBEAT, .sender = sender, .boot = UINT64_MAX / 2,
                          .seq = UINT64_MAX / 2, .send_ms = now_ms()};

    return hb_packet_encode(&p, mac, (void *)key, buf);
}

/* ------------------------------------------------------------------------------------------ */
/* garbage                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/* libraft's own plaintext connection handshake (protocol 1, id, address) naming node 2, then a
 * RequestVote preamble and header with an enormous term: what a forger would send to the old
 * plain-TCP transport. */
static size_t plaintext_raft(uint8_t *buf)
{
    static const char address[16] = "10.0.0.2:3344";
    size_t n = 0;

    wire_le_put(buf + n, 1, 8), n += 8;              /* protocol */
    wire_le_put(buf + n, 2, 8), n += 8;              /* server id */
    wire_le_put(buf + n, sizeof(address), 8), n += 8;
    memcpy(buf + n, address, sizeof(address)), n += sizeof(address);
    wire_le_put(buf + n, 2, 8), n += 8;              /* message type: request vote */
    wire_le_put(buf + n, 40, 8), n += 8;             /* header length */
    wire_le_put(buf + n, 1ull << 40, 8), n += 8;     /* term */
    wire_le_put(buf + n, 2, 8), n += 8;              /* candidate id */
    wire_le_put(buf + n, 1ull << 40, 8), n += 8;     /* last log index */
    wire_le_put(buf + n, 1ull << 40, 8), n += 8;     /* last log term */
    wire_le_put(buf + n, 1, 8), n += 8;              /* disrupt leader */
    return n;
}

static int cmd_garbage(const char *host, uint16_t raft_port, uint16_t hb_port)
{
    uint8_t buf[8192], key[CHANNEL_KEY_BYTES], id[CRED_ID_BYTES] = {0};
    char identity[CONSENSUS_IDENTITY_SIZE];
    size_t n;
    int fd, len;

    if (getrandom(buf, sizeof(buf), 0) != (ssize_t)sizeof(buf) ||
        getrandom(key, sizeof(key), 0) != (ssize_t)sizeof(key))
        return 1;
    fd = tcp_connect(host, raft_port);
    verdict(fd < 0 || send_and_watch(fd, buf, sizeof(buf), "raft random bytes"), "%s",
            "raft: 8 KiB of random bytes");
    n = plaintext_raft(buf);
    fd = tcp_connect(host, raft_port);
    verdict(fd < 0 || send_and_watch(fd, buf, n, "raft plaintext vote"), "%s",
            "raft: plaintext handshake as node 2 and a vote request with term 2^40");
    consensus_identity_format(2, id, identity);
    verdict(tls_refused(host, raft_port, identity, 2, key), "raft: TLS as %s with a made-up key",
            identity);
    getrandom(buf, 200, 0);
    verdict(udp_unanswered(host, hb_port, buf, 200, "hb random"), "%s",
            "heartbeat: 200 random bytes");
    memcpy(buf, "CLHB", 4);
    verdict(udp_unanswered(host, hb_port, buf, 200, "hb magic"), "%s",
            "heartbeat: the magic, then random bytes");
    len = forged_heartbeat(2, key, buf);
    verdict(len > 0 && udp_unanswered(host, hb_port, buf, (size_t)len, "hb forged"), "%s",
            "heartbeat: well-formed, as node 2, signed with a made-up key");
    return failures == 0 ? 0 : 1;
}

/* ------------------------------------------------------------------------------------------ */
/* forge: an old (evicted node's) credential                                                   */
/* ------------------------------------------------------------------------------------------ */

static int cmd_forge(int argc, char **argv)
{
    const char *keyfile = argv[0], *cluster_id = argv[1], *host = argv[2];
    uint16_t raft_port = (uint16_t)atoi(argv[3]), hb_port = (uint16_t)atoi(argv[4]);
    uint16_t mgmt_port = (uint16_t)atoi(argv[5]);
    char identity[CONSENSUS_IDENTITY_SIZE], what[128], errmsg[CHANNEL_ERRMSG_SIZE];
    struct channel_key key;
    struct channel *ch = NULL;
    uint8_t buf[HB_PACKET_MAX];
    struct cred c;
    int len;

    /* The key file's first line is its identity, the second the key (node_conf's format). */
    FILE *f = fopen(keyfile, "re");
    char line[256];

    if (f == NULL || fgets(line, sizeof(line), f) == NULL || fgets(line, sizeof(line), f) == NULL ||
        channel_key_from_hex(line, &key) < 0 || cred_make(cluster_id, key.bytes, &c) < 0) {
        fprintf(stderr, "lab_hostile: cannot read a credential from %s\n", keyfile);
        if (f != NULL)
            fclose(f);
        return 2;
    }
    fclose(f);
    for (int i = 6; i < argc; i++) {
        uint64_t id = strtoull(argv[i], NULL, 10);

        consensus_identity_format(id, c.id, identity);
        verdict(tls_refused(host, raft_port, identity, id, c.key.bytes),
                "raft: TLS as %s with the old credential", identity);
        len = forged_heartbeat(id, c.key.bytes, buf);
        snprintf(what, sizeof(what), "%s", argv[i]);
        verdict(len > 0 && udp_unanswered(host, hb_port, buf, (size_t)len, "hb old key"),
                "heartbeat: as node %s, signed with the old credential", what);
    }
    verdict(channel_connect(host, mgmt_port, &c.key, ANSWER_WAIT_MS, &ch, errmsg) < 0,
            "management: TLS as %s with the old credential", c.key.identity);
    channel_close(ch);
    return failures == 0 ? 0 : 1;
}

/* ------------------------------------------------------------------------------------------ */
/* capture and replay                                                                          */
/* ------------------------------------------------------------------------------------------ */

struct record {
    uint8_t udp;
    uint32_t src, dst; /* network order */
    uint16_t sport, dport;
    uint32_t seq;
    uint16_t len;
    uint8_t data[MAX_PAYLOAD];
};

static bool seen_before(const struct record *r, const struct record *all, size_t n)
{
    for (size_t i = n > 256 ? n - 256 : 0; i < n; i++)
        if (all[i].udp == r->udp && all[i].src == r->src && all[i].sport == r->sport &&
            all[i].len == r->len && (r->udp ? memcmp(all[i].data, r->data, r->len) == 0
                                            : all[i].seq == r->seq))
            return true;
    return false;
}

/* Parses one IPv4 packet; true if it is one to keep. */
static bool parse_packet(const uint8_t *p, size_t len, uint16_t raft_port, uint16_t hb_port,
                         struct record *r)
{
    const struct iphdr *ip = (const struct iphdr *)p;
    size_t ihl, hl, total;

    if (len < sizeof(*ip) || ip->version != 4)
        return false;
    ihl = (size_t)ip->ihl * 4;
    total = ntohs(ip->tot_len);
    if (total > len || ihl + 8 > total)
        return false;
    memset(r, 0, offsetof(struct record, data));
    r->src = ip->saddr;
    r->dst = ip->daddr;
    if (ip->protocol == IPPROTO_UDP) {
        const struct udphdr *u = (const struct udphdr *)(p + ihl);

        r->udp = 1;
        r->sport = ntohs(u->source);
        r->dport = ntohs(u->dest);
        hl = 8;
        if (r->dport != hb_port)
            return false;
    } else if (ip->protocol == IPPROTO_TCP && ihl + sizeof(struct tcphdr) <= total) {
        const struct tcphdr *t = (const struct tcphdr *)(p + ihl);

        r->sport = ntohs(t->source);
        r->dport = ntohs(t->dest);
        r->seq = ntohl(t->seq);
        hl = (size_t)t->doff * 4;
        if (r->dport != raft_port)
            return false;
    } else {
        return false;
    }
    if (ihl + hl >= total || total - ihl - hl > MAX_PAYLOAD)
        return false;
    r->len = (uint16_t)(total - ihl - hl);
    memcpy(r->data, p + ihl + hl, r->len);
    return true;
}

static int cmd_capture(unsigned seconds, const char *file, uint16_t raft_port, uint16_t hb_port)
{
    /* ETH_P_ALL: taps for one protocol run after the bridge has taken the frame, and never
     * see what it forwards between ports. */
    int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ALL));
    struct record *all = calloc(MAX_RECORDS, sizeof(*all));
    uint64_t end = now_ms() + seconds * 1000ull;
    uint8_t pkt[65536];
    size_t n = 0, udp = 0;
    FILE *out;

    if (fd < 0 || all == NULL) {
        perror("lab_hostile: capture");
        return 1;
    }
    printf("recording\n"); /* the scenario waits for this line before it makes traffic */
    while (now_ms() < end && n < MAX_RECORDS) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        struct sockaddr_ll from;
        socklen_t from_len;
        ssize_t len;

        if (poll(&p, 1, (int)(end - now_ms())) <= 0)
            continue;
        from_len = sizeof(from);
        len = recvfrom(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&from, &from_len);
        if (len > 0 && from.sll_protocol == htons(ETH_P_IP) && parse_packet(pkt, (size_t)len, raft_port, hb_port, &all[n]) &&
            !seen_before(&all[n], all, n))
            udp += all[n++].udp;
    }
    close(fd);
    out = fopen(file, "we");
    if (out == NULL || fwrite(all, sizeof(*all), n, out) != n || fclose(out) != 0) {
        perror("lab_hostile: writing the capture");
        return 1;
    }
    printf("captured %zu heartbeat datagrams and %zu raft segments\n", udp, n - udp);
    free(all);
    return n > udp && udp > 0 ? 0 : 1;
}

static int by_flow_then_seq(const void *a, const void *b)
{
    const struct record *x = a, *y = b;

    if (x->src != y->src)
        return x->src < y->src ? -1 : 1;
    if (x->sport != y->sport)
        return x->sport < y->sport ? -1 : 1;
    return x->seq == y->seq ? 0 : (int32_t)(x->seq - y->seq) < 0 ? -1 : 1;
}

/* Replays each raft stream (client to node bytes, in order, from its first segment) on a fresh
 * connection to the same node. */
static void replay_streams(struct record *all, size_t n, uint16_t raft_port)
{
    static uint8_t stream[1 << 20];
    size_t flows = 0;

    qsort(all, n, sizeof(*all), by_flow_then_seq);
    for (size_t i = 0; i < n && flows < MAX_FLOWS;) {
        size_t len = 0, k = i;
        uint32_t next = all[i].seq;
        char host[INET_ADDRSTRLEN], what[96];
        int fd;

        for (; k < n && all[k].src == all[i].src && all[k].sport == all[i].sport; k++)
            if (all[k].seq == next && len + all[k].len <= sizeof(stream)) {
                memcpy(stream + len, all[k].data, all[k].len);
                len += all[k].len;
                next += all[k].len;
            }
        inet_ntop(AF_INET, &all[i].dst, host, sizeof(host));
        snprintf(what, sizeof(what), "raft: a recorded stream of %zu bytes replayed to %s", len,
                 host);
        fd = tcp_connect(host, raft_port);
        verdict(fd < 0 || send_and_watch(fd, stream, len, what), "%s", what);
        flows++;
        i = k;
    }
}

static int cmd_replay(const char *file, uint16_t raft_port, uint16_t hb_port)
{
    struct record *all = calloc(MAX_RECORDS, sizeof(*all));
    FILE *in = fopen(file, "re");
    static struct sockaddr_in to[MAX_REPLAYED];
    static const uint8_t *data[MAX_REPLAYED];
    static size_t len[MAX_REPLAYED];
    size_t n, udp = 0;

    if (all == NULL || in == NULL) {
        perror("lab_hostile: reading the capture");
        return 1;
    }
    n = fread(all, sizeof(*all), MAX_RECORDS, in);
    fclose(in);
    for (size_t i = 0; i < n && udp < MAX_REPLAYED; i++) {
        if (!all[i].udp)
            continue;
        to[udp] = (struct sockaddr_in){.sin_family = AF_INET, .sin_port = htons(hb_port),
                                       .sin_addr.s_addr = all[i].dst};
        data[udp] = all[i].data;
        len[udp++] = all[i].len;
    }
    verdict(udp > 0 && udp_all_unanswered(to, data, len, udp, "hb replay"),
            "heartbeat: %zu recorded datagrams replayed to their nodes", udp);
    replay_streams(all, n, raft_port);
    free(all);
    return failures == 0 ? 0 : 1;
}

/* ------------------------------------------------------------------------------------------ */

static int usage(void)
{
    fprintf(stderr, "usage: lab_hostile capture SECONDS FILE RAFT_PORT HB_PORT\n"
                    "       lab_hostile replay FILE RAFT_PORT HB_PORT [--forbid TEXT]...\n"
                    "       lab_hostile garbage HOST RAFT_PORT HB_PORT [--forbid TEXT]...\n"
                    "       lab_hostile forge KEYFILE CLUSTER_ID HOST RAFT_PORT HB_PORT "
                    "MGMT_PORT ID...\n");
    return 2;
}

int main(int argc, char **argv)
{
    int nargs = argc;

    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], "--forbid") == 0 && i + 1 < argc && n_forbid < MAX_FORBID) {
            forbid[n_forbid++] = argv[i + 1];
            if (nargs == argc)
                nargs = i;
            i++;
        }
    if (nargs == 6 && strcmp(argv[1], "capture") == 0)
        return cmd_capture((unsigned)atoi(argv[2]), argv[3], (uint16_t)atoi(argv[4]),
                           (uint16_t)atoi(argv[5]));
    if (nargs == 5 && strcmp(argv[1], "replay") == 0)
        return cmd_replay(argv[2], (uint16_t)atoi(argv[3]), (uint16_t)atoi(argv[4]));
    if (nargs == 5 && strcmp(argv[1], "garbage") == 0)
        return cmd_garbage(argv[2], (uint16_t)atoi(argv[3]), (uint16_t)atoi(argv[4]));
    if (nargs >= 9 && strcmp(argv[1], "forge") == 0)
        return cmd_forge(nargs - 2, argv + 2);
    return usage();
}
