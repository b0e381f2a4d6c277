/*
 * responder — a tiny UDP server for the failover lab: started in every node namespace, it
 * answers each datagram with the node's name followed by a space and the datagram itself
 * ("n2 probe u 17"), so whoever holds a cluster address answers for it and says who it is.
 *
 *   responder NAME [--port N]      (default port 7; IPv4 and IPv6, every local address)
 *
 * Each reply leaves from the address the request was sent to (IP_PKTINFO / IPV6_PKTINFO): with
 * a plain wildcard socket the kernel would pick the node's primary address as the source, and
 * the client could not tell which address answered.  If that address has just been removed,
 * the reply fails and nothing is sent, which is what a node that no longer holds it must do.
 *
 * Runs until SIGTERM or SIGINT.  Exit: 0 on a signal, 1 on a socket error, 2 on bad usage.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_DGRAM 512
#define NAME_MAX_LEN 64

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

/* Opens a UDP socket of FAMILY bound to the wildcard address on PORT, asking for the
 * destination address of each datagram.  Returns the fd or -errno. */
static int open_socket(int family, unsigned port)
{
    struct sockaddr_storage ss = { 0 };
    socklen_t len;
    int fd, on = 1;

    fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    if (family == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)&ss;

        in->sin_family = AF_INET;
        in->sin_port = htons((uint16_t)port);
        len = sizeof(*in);
        setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on));
    } else {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        len = sizeof(*in6);
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
        setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on));
    }
    if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
        int rv = -errno;

        close(fd);
        return rv;
    }
    return fd;
}

/* Rewrites the received packet-info control message so that it names the request's
 * destination as the reply's source.  Returns 0, or -ENOENT if none came with the request. */
static int reply_source(struct msghdr *m)
{
    struct cmsghdr *c;

    for (c = CMSG_FIRSTHDR(m); c != NULL; c = CMSG_NXTHDR(m, c)) {
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
            struct in_pktinfo *pi = (struct in_pktinfo *)CMSG_DATA(c);

            pi->ipi_spec_dst = pi->ipi_addr;
            pi->ipi_ifindex = 0;
            m->msg_controllen = c->cmsg_len;
            memmove(m->msg_control, c, c->cmsg_len);
            return 0;
        }
        if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
            m->msg_controllen = c->cmsg_len;
            memmove(m->msg_control, c, c->cmsg_len);
            return 0;
        }
    }
    return -ENOENT;
}

/* Answers one datagram waiting on FD with "NAME <datagram>". */
static void answer_one(int fd, const char *name)
{
    char in[MAX_DGRAM], out[NAME_MAX_LEN + 1 + MAX_DGRAM];
    union {
        char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(struct in_pktinfo))];
        struct cmsghdr align;
    } ctl;
    struct sockaddr_storage peer;
    struct iovec iov = { in, sizeof(in) };
    struct msghdr m = { &peer, sizeof(peer), &iov, 1, ctl.buf, sizeof(ctl.buf), 0 };
    ssize_t n;
    int len;

    n = recvmsg(fd, &m, MSG_DONTWAIT);
    if (n < 0 || reply_source(&m) < 0)
        return;
    len = snprintf(out, sizeof(out), "%s %.*s", name, (int)n, in);
    iov.iov_base = out;
    iov.iov_len = (size_t)len < sizeof(out) ? (size_t)len : sizeof(out) - 1;
    /* Fails (EINVAL) once the address is gone: exactly the "no answer" we want. */
    (void)sendmsg(fd, &m, MSG_DONTWAIT | MSG_NOSIGNAL);
}

/* Serves until a signal asks to stop.  The signals stay blocked except inside ppoll, so one
 * that arrives between the check and the wait is not lost. */
static int serve(int fd4, int fd6, const char *name, const sigset_t *waitmask)
{
    struct pollfd p[2] = { { fd4, POLLIN, 0 }, { fd6, POLLIN, 0 } };
    int i;

    while (!stop_requested) {
        if (ppoll(p, 2, NULL, waitmask) < 0) {
            if (errno == EINTR)
                continue;
            perror("responder: poll");
            return 1;
        }
        for (i = 0; i < 2; i++)
            if (p[i].revents & POLLIN)
                answer_one(p[i].fd, name);
    }
    return 0;
}

/* Blocks SIGTERM and SIGINT, routes them to on_signal and sets RET_WAITMASK to the mask that
 * lets them in (for ppoll).  Returns 0 or -errno. */
static int install_signals(sigset_t *ret_waitmask)
{
    struct sigaction sa = { 0 };
    sigset_t block, old;

    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    if (sigprocmask(SIG_BLOCK, &block, &old) < 0)
        return -errno;
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0)
        return -errno;
    sigdelset(&old, SIGTERM);
    sigdelset(&old, SIGINT);
    *ret_waitmask = old;
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long port = 7;
    char *end;
    sigset_t waitmask;
    int fd4, fd6, rv;

    if (argc == 4 && strcmp(argv[2], "--port") == 0) {
        port = strtoul(argv[3], &end, 10);
        if (*end != '\0' || port == 0 || port > 65535)
            argc = 0;
    }
    if ((argc != 2 && argc != 4) || strlen(argv[1]) == 0 || strlen(argv[1]) > NAME_MAX_LEN ||
        strchr(argv[1], ' ') != NULL) {
        fprintf(stderr, "usage: responder NAME [--port N]\n");
        return 2;
    }
    fd4 = open_socket(AF_INET, (unsigned)port);
    fd6 = open_socket(AF_INET6, (unsigned)port);
    if (fd4 < 0 || fd6 < 0) {
        fprintf(stderr, "responder: cannot bind UDP port %lu: %s\n", port,
                strerror(-(fd4 < 0 ? fd4 : fd6)));
        return 1;
    }
    if (install_signals(&waitmask) < 0) {
        perror("responder: sigaction");
        return 1;
    }
    fprintf(stderr, "responder %s: listening on UDP port %lu\n", argv[1], port);
    rv = serve(fd4, fd6, argv[1], &waitmask);
    close(fd4);
    close(fd6);
    return rv;
}
