/*
 * prober — watches who answers for a cluster address, for the failover lab and bench.
 *
 *   prober --target ADDR [--port N] [--seconds S] [--interval-ms MS] [--broadcast IFACE]
 *          [--log FILE] [--window-ms W] [--http PORT [--http-timeout-ms MS]]
 *   prober --analyze FILE [--from T] [--to T] [--old NAME] [--window-ms W]
 *
 * Probe mode runs in the client namespace.  Every interval (default 10 ms) it sends one UDP
 * datagram "probe u SEQ" to ADDR:PORT (default port 7), where tests/lab/responder answers
 * "NODE probe u SEQ" from whichever node holds ADDR.  That is the client's view: the datagram
 * goes to the MAC address the client's neighbour table has for ADDR.  With --broadcast IFACE
 * (IPv4 only) it also sends, in the same tick, "probe b SEQ" to ADDR inside an Ethernet
 * broadcast frame: every node that has ADDR configured accepts it and answers, so two holders
 * show up even while the client's neighbour entry points at only one of them.  It stops by
 * itself after S seconds (default 10, at most 3600), or earlier on SIGTERM or SIGINT, and prints
 * the summary below for the whole run.  --log FILE records every probe and reply,
 * line-buffered, so that scripts can analyse the run while it goes on:
 *
 *   # prober target=ADDR port=N interval_us=N start=T broadcast=IFACE|-
 *   s SEQ KIND T            probe SEQ of KIND (u or b) sent at T
 *   r SEQ KIND T NODE       NODE answered it; the reply arrived at T
 *   f T                     a datagram from another address than ADDR, or not a reply, at T
 *
 * With --http PORT the client probe of each tick is an HTTP request instead (prober_http.c): a
 * new TCP connection to ADDR:PORT, "GET / HTTP/1.0", and a "200" answer whose body starts with
 * the node's name (each node's web server serves a page naming the node) is that node's reply,
 * logged as "r SEQ u T NODE" like a datagram reply; anything else is foreign, and a connection
 * refused, reset, not established within 250 ms (a SYN nobody answered is sent again a
 * second later, when another node may hold ADDR) or not answered within --http-timeout-ms
 * (default 2000) leaves the probe unanswered.  The broadcast probes stay UDP datagrams to --port (a responder on every node
 * answers them), so that two nodes holding ADDR still show up as double answers.
 *
 * Analyse mode reads such a log (an unfinished last line is ignored) and prints the summary for
 * the probes sent between --from and --to.  Times T are seconds since the epoch with six
 * decimals, as bash's $EPOCHREALTIME, so a script can pass the moment it caused a fault.
 *
 * Summary, one key=value a line (times as T, durations in ms with one decimal):
 *   probes, answered            client probes sent in the window, and how many were answered
 *   bprobes, banswered          the same for broadcast probes (0 without --broadcast)
 *   replies, foreign            replies counted; datagrams from another address or not
 *                               replies (over the whole log, whatever the window)
 *   nodes                       answering nodes, in order of their first reply ("n1,n3")
 *   node.NAME.first/last/replies  per node: first and last reply time, number of replies
 *   sequence, switches          the answering nodes in probe order with repeats collapsed
 *                               ("n1,n2"; cut short with "..." after 64), and the number of
 *                               changes (1 there)
 *   last_node                   the node that answered the latest probe answered
 *   first_reply, last_reply     first and last reply of any kind (and _ms: since --from);
 *                               empty, and -1 for the _ms, when nothing answered
 *   longest_gap_ms, longest_gap_start, longest_gap_end
 *                               the longest time between two consecutive answered client
 *                               probes (reply to reply), and when it started and ended
 *   lead_silence_ms, tail_silence_ms
 *                               window start (first probe) to the first client reply, and the
 *                               last client reply to the last probe: silences at the edges
 *   double_answers, returns, overlap   (see "Overlap" below)
 *   with --old NAME: takeover_node, takeover, takeover_ms (first client reply from a node other
 *                               than NAME, ms after --from or the first probe), old_after_takeover
 *                               (replies from NAME to probes sent after that reply arrived)
 *   outage, outage_first, recovered_ms, recovered_node
 *                               outage=1 if a client probe of the window went unanswered, with
 *                               the send time of the first such; then the first client reply to
 *                               a later probe (the earliest to arrive): ms after --from (or the
 *                               first probe) and who gave it (-1 and empty if none).  recovered_ms=0.0 without an outage.
 *
 * Overlap.  Slot k is the k-th tick of the prober: its client probe and its broadcast probe
 * both carry the number k and leave within microseconds of each other.  Two nodes overlap when
 * either of these is seen:
 *   double_answers  the probes of one slot were answered by two different nodes: both held the
 *                   address at the same moment (the broadcast probe makes that visible even
 *                   while the client's neighbour entry names only one of them);
 *   returns         node A answered, then node B, then A again, and A's later answer is to a
 *                   probe sent less than the window W (default 1000 ms) after A's earlier reply
 *                   arrived: the address went back to A while B may still hold it.  A genuine
 *                   A -> B -> A failover takes two fencing delays (each at least
 *                   SameSubnetThreshold x SameSubnetDelay = 750 ms by default), beyond W.
 * overlap=1 if either count is non-zero; overlap_first is the send time of the first probe
 * concerned (empty if none).  The check that matters after a fault — once the new
 * owner answered, the old one never answers again — is old_after_takeover (with --old).
 *
 * Exit: 0 (the numbers are for the caller to judge), 1 on an error, 2 on bad usage.
 */
#include <arpa/inet.h>
#include "prober.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define GRACE_US 200000 /* replies still awaited after the last probe */
#define SEQUENCE_MAX 64

static const char kind_char[N_KINDS] = { 'u', 'b' };

static volatile sig_atomic_t stop_requested;

/* ------------------------------------------------------------------------------------------
 * Time and formatting
 * ------------------------------------------------------------------------------------------ */

/* Parses "S" or "S.F" (seconds since the epoch) into microseconds.  Returns 0 or -EINVAL. */
static int parse_t(const char *s, int64_t *ret_us)
{
    char frac[7] = "000000";
    const char *dot;
    char *end;
    long long sec;
    size_t n;

    sec = strtoll(s, &end, 10);
    if (end == s || sec < 0 || (*end != '\0' && *end != '.'))
        return -EINVAL;
    dot = *end == '.' ? end + 1 : end;
    n = strspn(dot, "0123456789");
    if (dot[n] != '\0')
        return -EINVAL;
    memcpy(frac, dot, n < 6 ? n : 6);
    *ret_us = (int64_t)sec * 1000000 + strtoll(frac, NULL, 10);
    return 0;
}

/* ------------------------------------------------------------------------------------------
 * Analysis
 * ------------------------------------------------------------------------------------------ */

struct window {
    int64_t from;
    int64_t to;
    int64_t w_us;
    const char *old;
};

static int in_window(const struct window *w, int64_t t_send)
{
    return t_send >= w->from && t_send <= w->to;
}

static int by_send_time(const void *a, const void *b)
{
    const struct reply *x = a, *y = b;

    if (x->t_send != y->t_send)
        return x->t_send < y->t_send ? -1 : 1;
    if (x->t_recv != y->t_recv)
        return x->t_recv < y->t_recv ? -1 : 1;
    return 0;
}

/* Copies the replies to probes sent inside W, sorted by send time, into a new array.
 * Returns the count, or -ENOMEM. */
static long select_replies(const struct record *r, const struct window *w,
                           struct reply **ret_sel)
{
    struct reply *sel = malloc((r->n_replies + 1) * sizeof(*sel));
    size_t i, n = 0;

    if (sel == NULL)
        return -ENOMEM;
    for (i = 0; i < r->n_replies; i++)
        if (in_window(w, r->replies[i].t_send))
            sel[n++] = r->replies[i];
    qsort(sel, n, sizeof(*sel), by_send_time);
    *ret_sel = sel;
    return (long)n;
}

static void print_probe_counts(const struct record *r, const struct window *w,
                               const struct reply *sel, long n)
{
    static const char *const names[N_KINDS][2] = { { "probes", "answered" },
                                                   { "bprobes", "banswered" } };
    int64_t k, sent, answered, last;
    long i;
    int kind;

    for (kind = 0; kind < N_KINDS; kind++) {
        sent = 0;
        for (k = 0; k < r->n_sent[kind]; k++)
            sent += r->sent[kind][k] >= 0 && in_window(w, r->sent[kind][k]);
        answered = 0;
        last = -1;
        /* sel is in send order, so one probe's replies are adjacent */
        for (i = 0; i < n; i++) {
            if (sel[i].kind == kind && sel[i].seq != last)
                answered++;
            if (sel[i].kind == kind)
                last = sel[i].seq;
        }
        printf("%s=%" PRId64 "\n%s=%" PRId64 "\n", names[kind][0], sent, names[kind][1],
               answered);
    }
}

static void print_nodes(const struct record *r, const struct reply *sel, long n)
{
    int64_t first[MAX_NODES], last[MAX_NODES];
    long count[MAX_NODES] = { 0 };
    int order[MAX_NODES], n_order = 0, j;
    char a[32], b[32];
    long i;

    for (i = 0; i < n; i++) {
        j = sel[i].node;
        if (count[j]++ == 0) {
            order[n_order++] = j;
            first[j] = last[j] = sel[i].t_recv;
        }
        first[j] = sel[i].t_recv < first[j] ? sel[i].t_recv : first[j];
        last[j] = sel[i].t_recv > last[j] ? sel[i].t_recv : last[j];
    }
    printf("replies=%ld\nforeign=%ld\nnodes=", n, r->foreign);
    for (j = 0; j < n_order; j++)
        printf("%s%s", j ? "," : "", r->nodes[order[j]]);
    printf("\n");
    for (j = 0; j < n_order; j++)
        printf("node.%s.first=%s\nnode.%s.last=%s\nnode.%s.replies=%ld\n", r->nodes[order[j]],
               fmt_t(a, first[order[j]]), r->nodes[order[j]], fmt_t(b, last[order[j]]),
               r->nodes[order[j]], count[order[j]]);
}

/* The answering nodes in probe order, repeats collapsed; past SEQUENCE_MAX changes the list
 * ends in "..." (the count stays exact). */
static void print_sequence(const struct record *r, const struct reply *sel, long n)
{
    long i, switches = 0;

    printf("sequence=");
    for (i = 0; i < n; i++) {
        if (i > 0 && sel[i].node == sel[i - 1].node)
            continue;
        switches += i > 0;
        if (switches < SEQUENCE_MAX)
            printf("%s%s", i ? "," : "", r->nodes[sel[i].node]);
        else if (switches == SEQUENCE_MAX)
            printf(",...");
    }
    printf("\nswitches=%ld\nlast_node=%s\n", switches, n > 0 ? r->nodes[sel[n - 1].node] : "");
}

static double ms(int64_t us)
{
    return (double)us / 1000.0;
}

/* The first and last reply (any kind), and the silences between client replies. */
static void print_times(const struct record *r, const struct window *w, int64_t base,
                        const struct reply *sel, long n)
{
    int64_t first = INT64_MAX, last = INT64_MIN, prev = -1, gap = 0, g0 = 0, g1 = 0;
    int64_t first_u = -1, last_probe = -1, k;
    char a[32], b[32];
    long i;

    for (i = 0; i < n; i++) {
        first = sel[i].t_recv < first ? sel[i].t_recv : first;
        last = sel[i].t_recv > last ? sel[i].t_recv : last;
        if (sel[i].kind != KIND_U)
            continue;
        if (prev >= 0 && sel[i].t_recv - prev > gap) {
            gap = sel[i].t_recv - prev;
            g0 = prev;
            g1 = sel[i].t_recv;
        }
        if (first_u < 0)
            first_u = sel[i].t_recv;
        if (sel[i].t_recv > prev)
            prev = sel[i].t_recv;
    }
    for (k = 0; k < r->n_sent[KIND_U]; k++)
        if (in_window(w, r->sent[KIND_U][k]))
            last_probe = r->sent[KIND_U][k];
    if (n > 0) {
        printf("first_reply=%s\nfirst_reply_ms=%.1f\n", fmt_t(a, first), ms(first - base));
        printf("last_reply=%s\nlast_reply_ms=%.1f\n", fmt_t(a, last), ms(last - base));
    } else {
        printf("first_reply=\nfirst_reply_ms=-1\nlast_reply=\nlast_reply_ms=-1\n");
    }
    printf("longest_gap_ms=%.1f\n", ms(gap));
    if (gap > 0)
        printf("longest_gap_start=%s\nlongest_gap_end=%s\n", fmt_t(a, g0), fmt_t(b, g1));
    printf("lead_silence_ms=%.1f\n",
           last_probe < 0 ? 0.0 : ms((first_u >= 0 ? first_u : last_probe) - base));
    printf("tail_silence_ms=%.1f\n", prev >= 0 && last_probe > prev ? ms(last_probe - prev) : 0.0);
}

/* The number of slots whose probes two different nodes answered; *first is lowered to the send
 * time of the first such slot. */
static long count_double(const struct reply *sel, long n, int64_t *first)
{
    long i, j, dbl = 0;

    for (i = 0; i < n; i++) {
        /* sel is in send order: a slot's replies lie within one tick of each other */
        for (j = i + 1; j < n && sel[j].seq <= sel[i].seq; j++) {
            if (sel[j].seq == sel[i].seq && sel[j].node != sel[i].node) {
                dbl++;
                *first = sel[i].t_send < *first ? sel[i].t_send : *first;
                break;
            }
        }
    }
    return dbl;
}

/* Runs of one node in send order; a run whose node also ran shortly before (a "return").
 * *first is lowered to the send time of the first probe of the first such run. */
static long count_returns(const struct reply *sel, long n, int64_t w_us, int64_t *first)
{
    long i, j, runs = 0, ret = 0;
    long *run_first = malloc((size_t)(n + 1) * sizeof(long));
    long *run_last = malloc((size_t)(n + 1) * sizeof(long));

    if (run_first == NULL || run_last == NULL) {
        free(run_first);
        free(run_last);
        return -ENOMEM;
    }
    for (i = 0; i < n; i++) {
        if (i == 0 || sel[i].node != sel[i - 1].node)
            run_first[runs++] = i;
        run_last[runs - 1] = i;
    }
    for (i = 2; i < runs; i++) {
        for (j = i - 2; j >= 0; j--) {
            if (sel[run_first[i]].t_send - sel[run_last[j]].t_recv >= w_us)
                break;
            if (sel[run_first[j]].node == sel[run_first[i]].node) {
                ret++;
                if (sel[run_first[i]].t_send < *first)
                    *first = sel[run_first[i]].t_send;
                break;
            }
        }
    }
    free(run_first);
    free(run_last);
    return ret;
}

static void print_takeover(const struct record *r, const struct window *w, int64_t base,
                           const struct reply *sel, long n)
{
    long i, take = -1, after = 0;
    char a[32];

    for (i = 0; i < n && take < 0; i++)
        if (sel[i].kind == KIND_U && strcmp(r->nodes[sel[i].node], w->old) != 0)
            take = i;
    if (take < 0) {
        printf("takeover_node=\ntakeover_ms=-1\nold_after_takeover=0\n");
        return;
    }
    for (i = 0; i < n; i++)
        after += strcmp(r->nodes[sel[i].node], w->old) == 0 &&
                 sel[i].t_send > sel[take].t_recv;
    printf("takeover_node=%s\ntakeover=%s\ntakeover_ms=%.1f\nold_after_takeover=%ld\n",
           r->nodes[sel[take].node], fmt_t(a, sel[take].t_recv), ms(sel[take].t_recv - base),
           after);
}

/* The first client reply to a probe sent after the first unanswered client probe of the window:
 * the service back after an outage.  0 ms when no probe went unanswered. */
static void print_recovered(const struct record *r, const struct window *w, int64_t base,
                            const struct reply *sel, long n)
{
    int64_t k, lost = -1, lost_seq = -1;
    long i, j;
    char a[32];

    for (k = 0; k < r->n_sent[KIND_U] && lost < 0; k++) {
        if (r->sent[KIND_U][k] < 0 || !in_window(w, r->sent[KIND_U][k]))
            continue;
        for (j = 0; j < n && !(sel[j].kind == KIND_U && sel[j].seq == k); j++)
            ;
        if (j == n) {
            lost = r->sent[KIND_U][k];
            lost_seq = k;
        }
    }
    if (lost < 0) {
        printf("outage=0\nrecovered_ms=0.0\nrecovered_node=\n");
        return;
    }
    /* the earliest to arrive: a late probe may be answered before an earlier one retried */
    for (i = 0, j = -1; i < n; i++)
        if (sel[i].kind == KIND_U && sel[i].seq > lost_seq &&
            (j < 0 || sel[i].t_recv < sel[j].t_recv))
            j = i;
    printf("outage=1\noutage_first=%s\n", fmt_t(a, lost));
    if (j < 0)
        printf("recovered_ms=-1\nrecovered_node=\n");
    else
        printf("recovered_ms=%.1f\nrecovered_node=%s\n", ms(sel[j].t_recv - base),
               r->nodes[sel[j].node]);
}

/* The time the window starts for the _ms values: --from, else the first probe. */
static int64_t window_base(const struct record *r, const struct window *w)
{
    int64_t k;

    if (w->from > INT64_MIN)
        return w->from;
    for (k = 0; k < r->n_sent[KIND_U]; k++)
        if (r->sent[KIND_U][k] >= 0)
            return r->sent[KIND_U][k];
    return r->start;
}

/* Prints the summary (see the top of this file) for the probes sent inside W. */
static int analyze(const struct record *r, const struct window *w)
{
    struct reply *sel;
    long n, dbl, ret;
    int64_t base = window_base(r, w), first = INT64_MAX;
    char t[32];

    n = select_replies(r, w, &sel);
    if (n < 0)
        return (int)n;
    print_probe_counts(r, w, sel, n);
    print_nodes(r, sel, n);
    print_sequence(r, sel, n);
    print_times(r, w, base, sel, n);
    dbl = count_double(sel, n, &first);
    ret = count_returns(sel, n, w->w_us, &first);
    printf("double_answers=%ld\nreturns=%ld\noverlap=%d\noverlap_first=%s\n", dbl,
           ret < 0 ? 0 : ret, dbl + (ret < 0 ? 0 : ret) > 0,
           first < INT64_MAX ? fmt_t(t, first) : "");
    if (w->old != NULL)
        print_takeover(r, w, base, sel, n);
    print_recovered(r, w, base, sel, n);
    free(sel);
    return ret < 0 ? (int)ret : 0;
}

/* ------------------------------------------------------------------------------------------
 * Reading a log
 * ------------------------------------------------------------------------------------------ */

static int kind_of(char c)
{
    return c == 'u' ? KIND_U : c == 'b' ? KIND_B : -1;
}

/* Applies one complete log line to R.  Unknown or malformed lines are skipped. */
static int parse_line(struct record *r, const char *line)
{
    char type, kc, t[40], name[NODE_LEN], *p;
    long long seq, iv;
    int64_t us;
    int kind;

    if (line[0] == '#') {
        if ((p = strstr(line, "interval_us=")) != NULL && sscanf(p + 12, "%lld", &iv) == 1)
            r->interval_us = iv > 0 ? iv : r->interval_us;
        if ((p = strstr(line, " start=")) != NULL && sscanf(p + 7, "%39s", t) == 1 &&
            parse_t(t, &us) == 0)
            r->start = us;
        return 0;
    }
    if (line[0] == 'f') {
        r->foreign++;
        return 0;
    }
    name[0] = '\0';
    if (sscanf(line, "%c %lld %c %39s %63s", &type, &seq, &kc, t, name) < 4)
        return 0;
    kind = kind_of(kc);
    if (kind < 0 || parse_t(t, &us) < 0)
        return 0;
    if (type == 's')
        return record_sent(r, kind, seq, us);
    if (type == 'r' && name[0] != '\0')
        return record_reply(r, kind, seq, us, name) < 0 ? -ENOMEM : 0;
    return 0;
}

static int read_log(struct record *r, const char *path)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    FILE *f = fopen(path, "r");
    int rv = 0;

    if (f == NULL)
        return -errno;
    while (rv == 0 && (len = getline(&line, &cap, f)) > 0) {
        if (line[len - 1] != '\n') /* still being written */
            break;
        rv = parse_line(r, line);
    }
    free(line);
    fclose(f);
    return rv;
}

/* ------------------------------------------------------------------------------------------
 * Probing
 * ------------------------------------------------------------------------------------------ */

static int parse_target(struct prober *p)
{
    struct sockaddr_in *in = (struct sockaddr_in *)&p->target;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&p->target;

    memset(&p->target, 0, sizeof(p->target));
    if (inet_pton(AF_INET, p->opt.target, &in->sin_addr) == 1) {
        in->sin_family = AF_INET;
        in->sin_port = htons((uint16_t)p->opt.port);
        p->target_len = sizeof(*in);
        return 0;
    }
    if (inet_pton(AF_INET6, p->opt.target, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)p->opt.port);
        p->target_len = sizeof(*in6);
        return 0;
    }
    return -EINVAL;
}

/* Opens the client socket on an ephemeral port (the broadcast probes use the same port as
 * their source, so that their replies come back to it too). */
static int open_udp(struct prober *p)
{
    struct sockaddr_storage ss = { 0 };
    socklen_t len = sizeof(ss);

    ss.ss_family = p->target.ss_family;
    p->udp = socket(p->target.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (p->udp < 0)
        return -errno;
    if (bind(p->udp, (struct sockaddr *)&ss, p->target_len) < 0 ||
        getsockname(p->udp, (struct sockaddr *)&ss, &len) < 0)
        return -errno;
    p->sport = ntohs(((struct sockaddr_in *)&ss)->sin_port); /* same offset in sockaddr_in6 */
    return 0;
}

/* Opens the packet socket for broadcast probes on IFACE and learns its IPv4 address. */
static int open_raw(struct prober *p)
{
    struct ifreq ifr = { 0 };
    int fd;

    if (p->target.ss_family != AF_INET)
        return -EAFNOSUPPORT;
    /* protocol 0: this socket only sends, it never queues received frames */
    p->raw = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (p->raw < 0)
        return -errno;
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", p->opt.iface);
    fd = p->raw;
    if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0)
        return -errno;
    p->raw_to.sll_family = AF_PACKET;
    p->raw_to.sll_protocol = htons(ETH_P_IP);
    p->raw_to.sll_ifindex = ifr.ifr_ifindex;
    p->raw_to.sll_halen = ETH_ALEN;
    memset(p->raw_to.sll_addr, 0xff, ETH_ALEN);
    ifr.ifr_addr.sa_family = AF_INET;
    if (ioctl(fd, SIOCGIFADDR, &ifr) < 0)
        return -errno;
    p->src4 = ((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr;
    return 0;
}

static uint16_t ip_checksum(const void *data, size_t len)
{
    const uint8_t *b = data;
    uint32_t sum = 0;
    size_t i;

    for (i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)(b[i] << 8 | b[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return htons((uint16_t)~sum);
}

/* Sends PAYLOAD to the target in an IPv4/UDP packet inside an Ethernet broadcast frame. */
static int send_broadcast(struct prober *p, const char *payload, size_t len)
{
    uint8_t pkt[sizeof(struct iphdr) + sizeof(struct udphdr) + DGRAM_MAX];
    struct iphdr *ip = (struct iphdr *)pkt;
    struct udphdr *udp = (struct udphdr *)(pkt + sizeof(*ip));
    size_t total = sizeof(*ip) + sizeof(*udp) + len;

    memset(pkt, 0, sizeof(*ip) + sizeof(*udp));
    ip->version = 4;
    ip->ihl = 5;
    ip->tot_len = htons((uint16_t)total);
    ip->id = htons(p->ip_id++);
    ip->frag_off = htons(IP_DF);
    ip->ttl = 64;
    ip->protocol = IPPROTO_UDP;
    ip->saddr = p->src4.s_addr;
    ip->daddr = ((struct sockaddr_in *)&p->target)->sin_addr.s_addr;
    ip->check = ip_checksum(ip, sizeof(*ip));
    udp->source = htons(p->sport);
    udp->dest = htons((uint16_t)p->opt.port);
    udp->len = htons((uint16_t)(sizeof(*udp) + len)); /* checksum 0: none, valid for IPv4 */
    memcpy(pkt + sizeof(*ip) + sizeof(*udp), payload, len);
    if (sendto(p->raw, pkt, total, 0, (struct sockaddr *)&p->raw_to, sizeof(p->raw_to)) < 0)
        return -errno;
    return 0;
}

static void send_tick(struct prober *p, int64_t seq)
{
    char payload[64], t[32];
    int len, kind;
    int64_t now;

    for (kind = 0; kind < N_KINDS; kind++) {
        if (kind == KIND_B && p->raw < 0)
            break;
        len = snprintf(payload, sizeof(payload), "probe %c %" PRId64, kind_char[kind], seq);
        now = clock_us(CLOCK_REALTIME);
        if (kind == KIND_U && p->http != NULL)
            (void)http_start(p, seq);
        else if (kind == KIND_U)
            (void)sendto(p->udp, payload, (size_t)len, MSG_DONTWAIT,
                         (struct sockaddr *)&p->target, p->target_len);
        else
            (void)send_broadcast(p, payload, (size_t)len);
        /* A send that fails (no neighbour entry yet) is still a probe nobody answered. */
        if (record_sent(&p->rec, kind, seq, now) == 0 && p->log != NULL)
            fprintf(p->log, "s %" PRId64 " %c %s\n", seq, kind_char[kind], fmt_t(t, now));
    }
}

static int same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
    if (a->ss_family != b->ss_family)
        return 0;
    if (a->ss_family == AF_INET)
        return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
               ((const struct sockaddr_in *)b)->sin_addr.s_addr;
    return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
                  &((const struct sockaddr_in6 *)b)->sin6_addr, sizeof(struct in6_addr)) == 0;
}

/* Reads every reply waiting on the client socket into the record (and the log). */
static void drain(struct prober *p)
{
    char buf[DGRAM_MAX + 1], name[NODE_LEN], kc, t[32];
    struct sockaddr_storage from;
    socklen_t flen;
    long long seq;
    ssize_t n;
    int64_t now;

    for (;;) {
        flen = sizeof(from);
        n = recvfrom(p->udp, buf, DGRAM_MAX, 0, (struct sockaddr *)&from, &flen);
        if (n < 0)
            return;
        now = clock_us(CLOCK_REALTIME);
        buf[n] = '\0';
        if (!same_addr(&from, &p->target) ||
            sscanf(buf, "%63s probe %c %lld", name, &kc, &seq) != 3 || kind_of(kc) < 0) {
            p->rec.foreign++;
            if (p->log != NULL)
                fprintf(p->log, "f %s\n", fmt_t(t, now));
            continue;
        }
        if (record_reply(&p->rec, kind_of(kc), seq, now, name) == 0 && p->log != NULL)
            fprintf(p->log, "r %lld %c %s %s\n", seq, kc, fmt_t(t, now), name);
    }
}

/* Waits on the client socket (and the open HTTP probes) until monotonic time UNTIL, taking
 * replies as they come. */
static void wait_until(struct prober *p, int64_t until)
{
    static struct pollfd pfd[1 + HTTP_MAX_INFLIGHT];
    struct timespec ts;
    int64_t left;
    int n_http = 0;

    while (!stop_requested && (left = until - clock_us(CLOCK_MONOTONIC)) > 0) {
        ts.tv_sec = left / 1000000;
        ts.tv_nsec = (left % 1000000) * 1000;
        pfd[0] = (struct pollfd){ p->udp, POLLIN, 0 };
        if (p->http != NULL)
            n_http = http_pollfds(p, pfd + 1);
        if (ppoll(pfd, (nfds_t)(1 + n_http), &ts, NULL) > 0 && (pfd[0].revents & POLLIN))
            drain(p);
        if (p->http != NULL)
            http_service(p, pfd + 1, n_http, clock_us(CLOCK_MONOTONIC));
    }
}

static void run(struct prober *p)
{
    int64_t count = (int64_t)(p->opt.seconds * 1e6) / p->opt.interval_us;
    int64_t t0 = clock_us(CLOCK_MONOTONIC), next = t0, seq, now;
    char t[32];

    p->rec.start = clock_us(CLOCK_REALTIME);
    p->rec.interval_us = p->opt.interval_us;
    if (p->log != NULL)
        fprintf(p->log,
                "# prober target=%s port=%u interval_us=%" PRId64
                " start=%s broadcast=%s http=%u\n",
                p->opt.target, p->opt.port, p->opt.interval_us, fmt_t(t, p->rec.start),
                p->opt.iface ? p->opt.iface : "-", p->opt.http_port);
    for (seq = 0; seq < count && !stop_requested; seq++) {
        wait_until(p, next);
        send_tick(p, seq);
        next += p->opt.interval_us;
        now = clock_us(CLOCK_MONOTONIC);
        if (next < now - p->opt.interval_us) /* descheduled: no burst to catch up */
            next = now;
    }
    stop_requested = 0; /* a stop still lets the replies in flight arrive */
    wait_until(p, clock_us(CLOCK_MONOTONIC) + GRACE_US);
    if (p->log != NULL)
        fprintf(p->log, "# end probes=%" PRId64 "\n", seq);
}

/* ------------------------------------------------------------------------------------------
 * Options
 * ------------------------------------------------------------------------------------------ */

static int usage(void)
{
    fprintf(stderr,
            "usage: prober --target ADDR [--port N] [--seconds S] [--interval-ms MS]\n"
            "              [--broadcast IFACE] [--log FILE] [--window-ms W]\n"
            "              [--http PORT [--http-timeout-ms MS]]\n"
            "       prober --analyze FILE [--from T] [--to T] [--old NAME] [--window-ms W]\n");
    return 2;
}

static int parse_num(const char *s, double lo, double hi, double *ret)
{
    char *end;
    double v = strtod(s, &end);

    if (end == s || *end != '\0' || !(v >= lo && v <= hi))
        return -EINVAL;
    *ret = v;
    return 0;
}

static int parse_opt(struct options *o, int c, const char *arg)
{
    double v;

    switch (c) {
    case 't': o->target = arg; return 0;
    case 'b': o->iface = arg; return 0;
    case 'l': o->log = arg; return 0;
    case 'a': o->analyze = arg; return 0;
    case 'o': o->old = arg; return 0;
    case 'f': return parse_t(arg, &o->from);
    case 'T': return parse_t(arg, &o->to);
    case 's': return parse_num(arg, 0.01, 3600, &o->seconds);
    case 'p':
        if (parse_num(arg, 1, 65535, &v) < 0)
            return -EINVAL;
        o->port = (unsigned)v;
        return 0;
    case 'i':
        if (parse_num(arg, 1, 1000, &v) < 0)
            return -EINVAL;
        o->interval_us = (int64_t)(v * 1000);
        return 0;
    case 'h':
        if (parse_num(arg, 1, 65535, &v) < 0)
            return -EINVAL;
        o->http_port = (unsigned)v;
        return 0;
    case 'H':
        if (parse_num(arg, 1, 60000, &v) < 0)
            return -EINVAL;
        o->http_timeout_us = (int64_t)(v * 1000);
        return 0;
    case 'w':
        if (parse_num(arg, 0, 3600000, &v) < 0)
            return -EINVAL;
        o->window_us = (int64_t)(v * 1000);
        return 0;
    default: return -EINVAL;
    }
}

static int parse_args(int argc, char **argv, struct options *o)
{
    static const struct option longs[] = {
        { "target", required_argument, NULL, 't' },
        { "port", required_argument, NULL, 'p' },
        { "seconds", required_argument, NULL, 's' },
        { "interval-ms", required_argument, NULL, 'i' },
        { "broadcast", required_argument, NULL, 'b' },
        { "log", required_argument, NULL, 'l' },
        { "window-ms", required_argument, NULL, 'w' },
        { "analyze", required_argument, NULL, 'a' },
        { "from", required_argument, NULL, 'f' },
        { "to", required_argument, NULL, 'T' },
        { "old", required_argument, NULL, 'o' },
        { "http", required_argument, NULL, 'h' },
        { "http-timeout-ms", required_argument, NULL, 'H' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    *o = (struct options){ .port = 7, .seconds = 10, .interval_us = 10000, .window_us = 1000000,
                           .http_timeout_us = 2000000,
                           .from = INT64_MIN, .to = INT64_MAX };
    while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1)
        if (parse_opt(o, c, optarg) < 0)
            return -EINVAL;
    if (optind != argc || (o->target == NULL) == (o->analyze == NULL))
        return -EINVAL;
    return 0;
}

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

/* SIGTERM and SIGINT end the probing early; the summary is printed all the same. */
static int install_signals(void)
{
    struct sigaction sa = { 0 };

    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0)
        return -errno;
    return 0;
}

static int probe_main(struct prober *p)
{
    int rv;

    if (parse_target(p) < 0) {
        fprintf(stderr, "prober: not an address: %s\n", p->opt.target);
        return 2;
    }
    if ((rv = install_signals()) < 0 || (rv = open_udp(p)) < 0 ||
        (p->opt.iface != NULL && (rv = open_raw(p)) < 0) ||
        (p->opt.http_port != 0 && (rv = http_init(p)) < 0)) {
        fprintf(stderr, "prober: socket setup: %s\n", strerror(-rv));
        return 1;
    }
    if (p->opt.log != NULL) {
        p->log = fopen(p->opt.log, "w");
        if (p->log == NULL) {
            fprintf(stderr, "prober: %s: %s\n", p->opt.log, strerror(errno));
            return 1;
        }
        setvbuf(p->log, NULL, _IOLBF, 0);
    }
    run(p);
    if (p->log != NULL)
        fclose(p->log);
    printf("target=%s\nport=%u\ninterval_ms=%.1f\n", p->opt.target, p->opt.port,
           ms(p->opt.interval_us));
    return 0;
}

int main(int argc, char **argv)
{
    struct prober p = { .udp = -1, .raw = -1 };
    struct window w;
    int rv;

    if (parse_args(argc, argv, &p.opt) < 0)
        return usage();
    p.rec.interval_us = p.opt.interval_us;
    if (p.opt.analyze != NULL) {
        rv = read_log(&p.rec, p.opt.analyze);
        if (rv < 0) {
            fprintf(stderr, "prober: %s: %s\n", p.opt.analyze, strerror(-rv));
            record_free(&p.rec);
            return 1;
        }
    } else if ((rv = probe_main(&p)) != 0) {
        http_free(&p);
        record_free(&p.rec);
        return rv;
    }
    http_free(&p);
    w = (struct window){ p.opt.from, p.opt.to, p.opt.window_us, p.opt.old };
    rv = analyze(&p.rec, &w);
    record_free(&p.rec);
    if (p.udp >= 0)
        close(p.udp);
    if (p.raw >= 0)
        close(p.raw);
    return rv < 0 ? 1 : 0;
}
