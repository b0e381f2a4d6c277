/*
 * prober_http.c — the prober's HTTP client probes (prober --http PORT): each tick opens a new
 * TCP connection to the address, sends "GET / HTTP/1.0" and waits for the whole answer; a
 * "200" whose body starts with a node name (the page each node's server serves names the node)
 * is that node's reply to the probe.  A fresh connection per probe goes wherever the client's
 * neighbour entry for the address points at that moment, as a new client would.
 */
#include "prober.h"

#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HTTP_ANSWER_MAX 1024
/*
 * A connection not established within this is given up, the probe unanswered. The SYN nobody
 * answered (the address had no holder) is sent again a second later, when another node may hold
 * the address; its answer would then be put down to a probe of the moment the first node held
 * it, which reads as two holders at once. A LAN connect takes well under a millisecond.
 */
#define HTTP_CONNECT_US 250000

struct http_conn {
    int fd;
    int64_t seq;
    int64_t deadline; /* monotonic µs */
    int64_t connect_deadline;
    int sent;         /* the request went out; now reading */
    size_t len;
    char buf[HTTP_ANSWER_MAX + 1];
};

struct http_probes {
    struct http_conn conns[HTTP_MAX_INFLIGHT];
    int n;
};

int http_init(struct prober *p)
{
    p->http = calloc(1, sizeof(*p->http));
    return p->http == NULL ? -ENOMEM : 0;
}

int http_start(struct prober *p, int64_t seq)
{
    struct http_probes *h = p->http;
    struct sockaddr_storage to = p->target;
    struct http_conn *c;
    int fd;

    if (h->n == HTTP_MAX_INFLIGHT)
        return -EMFILE;
    /* the port field sits at the same offset in sockaddr_in and sockaddr_in6 */
    ((struct sockaddr_in *)&to)->sin_port = htons((uint16_t)p->opt.http_port);
    fd = socket(to.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    if (connect(fd, (struct sockaddr *)&to, p->target_len) < 0 && errno != EINPROGRESS) {
        close(fd);
        return -ECONNREFUSED;
    }
    c = &h->conns[h->n++];
    c->fd = fd;
    c->seq = seq;
    c->deadline = clock_us(CLOCK_MONOTONIC) + p->opt.http_timeout_us;
    c->connect_deadline = clock_us(CLOCK_MONOTONIC) + HTTP_CONNECT_US;
    c->sent = 0;
    c->len = 0;
    return 0;
}

int http_pollfds(const struct prober *p, struct pollfd *fds)
{
    int i;

    for (i = 0; i < p->http->n; i++)
        fds[i] = (struct pollfd){ p->http->conns[i].fd,
                                  p->http->conns[i].sent ? POLLIN : POLLOUT, 0 };
    return p->http->n;
}

/* The node named by a complete answer in C's buffer, copied into NAME; 0 if it is a 200 with
 * a name, -EPROTO otherwise. */
static int answer_node(struct http_conn *c, char name[NODE_LEN])
{
    char *body;
    int status;

    c->buf[c->len] = '\0';
    if (sscanf(c->buf, "HTTP/1.%*1[01] %d", &status) != 1 || status != 200)
        return -EPROTO;
    body = strstr(c->buf, "\r\n\r\n");
    if (body == NULL || sscanf(body + 4, "%63s", name) != 1)
        return -EPROTO;
    return 0;
}

/* Ends connection C: records its answer if it is a node's, counts it foreign if it is another
 * answer, and leaves the probe unanswered if nothing came back. */
static void finish(struct prober *p, struct http_conn *c)
{
    char name[NODE_LEN], t[32];
    int64_t now = clock_us(CLOCK_REALTIME);

    close(c->fd);
    c->fd = -1;
    if (c->len == 0)
        return;
    if (answer_node(c, name) == 0) {
        if (record_reply(&p->rec, KIND_U, c->seq, now, name) == 0 && p->log != NULL)
            fprintf(p->log, "r %" PRId64 " u %s %s\n", c->seq, fmt_t(t, now), name);
        return;
    }
    p->rec.foreign++;
    if (p->log != NULL)
        fprintf(p->log, "f %s\n", fmt_t(t, now));
}

/* One step of C after poll said REVENTS; returns 1 when C is finished. */
static int step(struct http_conn *c, short revents)
{
    static const char request[] = "GET / HTTP/1.0\r\nUser-Agent: clusapi-prober\r\n\r\n";
    socklen_t elen = sizeof(int);
    int err = 0;
    ssize_t n;

    if (!c->sent) {
        if (!(revents & (POLLOUT | POLLERR | POLLHUP)))
            return 0;
        if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0 || err != 0)
            return 1;
        n = send(c->fd, request, sizeof(request) - 1, MSG_NOSIGNAL);
        c->sent = n == (ssize_t)sizeof(request) - 1;
        return !c->sent;
    }
    if (!(revents & (POLLIN | POLLERR | POLLHUP)))
        return 0;
    n = recv(c->fd, c->buf + c->len, HTTP_ANSWER_MAX - c->len, 0);
    if (n > 0)
        c->len += (size_t)n;
    /* the server closes after an HTTP/1.0 answer: EOF (or a full buffer) ends it */
    return n == 0 || c->len == HTTP_ANSWER_MAX || (n < 0 && errno != EAGAIN);
}

void http_service(struct prober *p, const struct pollfd *fds, int n, int64_t now)
{
    struct http_probes *h = p->http;
    int i, kept = 0;

    for (i = 0; i < n && i < h->n; i++)
        if (fds[i].revents != 0 && step(&h->conns[i], fds[i].revents))
            finish(p, &h->conns[i]);
    for (i = 0; i < h->n; i++) {
        if (h->conns[i].fd >= 0 && (h->conns[i].deadline <= now ||
                                    (!h->conns[i].sent && h->conns[i].connect_deadline <= now))) {
            /* an answer cut short by the timeout is no answer */
            h->conns[i].len = 0;
            finish(p, &h->conns[i]);
        }
        if (h->conns[i].fd >= 0 && kept++ != i)
            h->conns[kept - 1] = h->conns[i];
    }
    h->n = kept;
}

void http_free(struct prober *p)
{
    int i;

    if (p->http == NULL)
        return;
    for (i = 0; i < p->http->n; i++)
        close(p->http->conns[i].fd);
    free(p->http);
    p->http = NULL;
}
