#include "daemon/net/net_peer.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int net_tcp_reachable(const char *host, uint16_t port, int timeout_ms)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
    struct addrinfo *res;
    struct pollfd pfd;
    char service[8];
    int fd, rv, soerr = 0;
    socklen_t len = sizeof(soerr);

    snprintf(service, sizeof(service), "%u", port);
    if (getaddrinfo(host, service, &hints, &res) != 0)
        return -EHOSTUNREACH;
    fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        rv = -errno;
        freeaddrinfo(res);
        return rv;
    }
    rv = connect(fd, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    if (rv < 0 && errno != EINPROGRESS) {
        rv = -errno;
        close(fd);
        return rv;
    }
    pfd = (struct pollfd){.fd = fd, .events = POLLOUT};
    rv = poll(&pfd, 1, timeout_ms);
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len);
    close(fd);
    if (rv == 0)
        return -ETIMEDOUT;
    return soerr ? -soerr : 0;
}
