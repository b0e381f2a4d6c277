/*
 * rm_witness — "Node Witness": the cluster's witness (a clussvc --witness on a third machine,
 * docs/clusapi-resources.7) as a resource of the core group, the way Windows shows its File
 * Share Witness. Online, looks-alive and is-alive succeed while the witness named by Address is
 * a member of the cluster and is heard (recorded Up); offline changes nothing at the witness.
 *
 * Drivers run on worker threads and see nothing of the service, so the service publishes the
 * witness members it reads from the database (rm_witness_publish, after every apply) into a
 * small table here, under a mutex.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "common/address.h"
#include "common/hostport.h"
#include "common/prop.h"
#include "common/rpc_proto.h"
#include "daemon/rm/rm.h"

#define MAX_ADDRS 16 /* addresses of one witness name that are compared */

static pthread_mutex_t published_mu = PTHREAD_MUTEX_INITIALIZER;
static struct rm_witness_member published[RM_WITNESS_MAX];
static size_t n_published;

void rm_witness_publish(const struct rm_witness_member *v, size_t n)
{
    if (n > RM_WITNESS_MAX)
        n = RM_WITNESS_MAX;
    pthread_mutex_lock(&published_mu);
    if (n > 0) /* v may be NULL with none */
        memcpy(published, v, n * sizeof(*v));
    n_published = n;
    pthread_mutex_unlock(&published_mu);
}

/* What a resource's Address names: its host and port, and the host's addresses. */
struct target {
    char host[HOSTPORT_HOST_MAX];
    uint16_t port;
    struct net_addr addrs[MAX_ADDRS];
    size_t n_addrs;
};

static int sockaddr_addr(const struct sockaddr *sa, struct net_addr *ret)
{
    memset(ret, 0, sizeof(*ret));
    ret->family = sa->sa_family;
    if (sa->sa_family == AF_INET)
        memcpy(ret->bytes, &((const struct sockaddr_in *)sa)->sin_addr, 4);
    else if (sa->sa_family == AF_INET6)
        memcpy(ret->bytes, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
    else
        return -EAFNOSUPPORT;
    return 0;
}

/* Parses Address and resolves its host (blocking: a worker thread). */
static int target_read(struct rm_resource *r, struct target *t)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res, *ai;
    const char *address = rm_prop(r, "Address"), *why = NULL;
    int rv;

    if (address == NULL)
        return rm_fail(r, -EINVAL, "no Address: set it to the witness's HOST[:PORT]");
    if (hostport_parse(address, RPC_DEFAULT_PORT, t->host, sizeof(t->host), &t->port, &why) < 0)
        return rm_fail(r, -EINVAL, "Address '%s' %s", address, why);
    rv = getaddrinfo(t->host, NULL, &hints, &res);
    if (rv != 0)
        return rm_fail(r, -EHOSTUNREACH, "cannot resolve %s: %s", t->host, gai_strerror(rv));
    t->n_addrs = 0;
    for (ai = res; ai != NULL && t->n_addrs < MAX_ADDRS; ai = ai->ai_next)
        if (sockaddr_addr(ai->ai_addr, &t->addrs[t->n_addrs]) == 0)
            t->n_addrs++;
    freeaddrinfo(res);
    return t->n_addrs > 0 ? 0 : rm_fail(r, -EHOSTUNREACH, "%s has no IP address", t->host);
}

static bool member_is_target(const struct rm_witness_member *m, const struct target *t)
{
    struct net_addr a;

    if (m->port != t->port || addr_parse(m->address, &a) < 0)
        return false;
    for (size_t i = 0; i < t->n_addrs; i++)
        if (addr_cmp(&a, &t->addrs[i]) == 0)
            return true;
    return false;
}

/* 0 while the witness t names is a member and heard. */
static int target_check(struct rm_resource *r, const struct target *t)
{
    bool found = false, up = false;

    pthread_mutex_lock(&published_mu);
    for (size_t i = 0; i < n_published && !found; i++)
        if (member_is_target(&published[i], t)) {
            found = true;
            up = published[i].up;
        }
    pthread_mutex_unlock(&published_mu);
    if (!found)
        return rm_fail(r, -ENOENT, "no witness at %s port %u is a member of this cluster",
                       t->host, t->port);
    if (!up)
        return rm_fail(r, -EHOSTDOWN, "the witness %s port %u is not heard", t->host, t->port);
    return 0;
}

static int witness_online(struct rm_resource *r)
{
    struct target *t = calloc(1, sizeof(*t));
    int rv;

    if (t == NULL)
        return rm_fail(r, -ENOMEM, "out of memory");
    rv = target_read(r, t);
    if (rv == 0)
        rv = target_check(r, t);
    if (rv < 0) {
        free(t);
        return rv;
    }
    free(r->priv);
    r->priv = t;
    return 0;
}

static int witness_offline(struct rm_resource *r)
{
    free(r->priv);
    r->priv = NULL;
    return 0;
}

/* The addresses resolved at online: a quick check. */
static int witness_looks_alive(struct rm_resource *r)
{
    if (r->priv == NULL)
        return rm_fail(r, -EINVAL, "not online");
    return target_check(r, r->priv);
}

/* Resolved again: the name may have moved to another address since. */
static int witness_is_alive(struct rm_resource *r)
{
    struct target *t = r->priv;
    int rv;

    if (t == NULL)
        return rm_fail(r, -EINVAL, "not online");
    rv = target_read(r, t);
    return rv < 0 ? rv : target_check(r, t);
}

static struct rm_param witness_params[] = {
    {"Address", PROP_SYNTAX_SZ, true, NULL,
     "the witness, a clussvc --witness: HOST or HOST:PORT (default port 3343)"},
};

static int witness_type_info(const char *driver_arg, struct rm_type_info **ret)
{
    (void)driver_arg;
    return rm_type_info_static(witness_params, sizeof(witness_params) / sizeof(witness_params[0]),
                               ret);
}

const struct rm_driver rm_witness_driver = {
    .type_name = "witness",
    .online = witness_online,
    .offline = witness_offline,
    .looks_alive = witness_looks_alive,
    .is_alive = witness_is_alive, /* no terminate: its offline holds nothing */
    .type_info = witness_type_info,
};
