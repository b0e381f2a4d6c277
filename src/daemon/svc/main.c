/*
 * clussvc — the cluster service: one per node. Runs in the foreground and logs to stderr.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "common/rpc_proto.h"
#include "daemon/base/log.h"
#include "daemon/rm/rhs.h"
#include "daemon/svc/svc.h"

static const char usage[] =
    "Usage: clussvc [OPTION]...\n"
    "The clusapi cluster service: one per node; runs in the foreground, logs to stderr.\n"
    "\n"
    "  --state-dir DIR         node state directory (default /var/lib/clussvc)\n"
    "  --name NODE             node name (default: the host name)\n"
    "  --listen ADDR           address to listen on (default: all)\n"
    "  --port N                management port (default 3343)\n"
    "  --raft-port N           consensus port (default: management port + 1)\n"
    "  --authkey FILE          administrator key (default /etc/clusapi/authkey)\n"
    "  --election-timeout MS   raft election timeout (default 400)\n"
    "  --heartbeat MS          raft heartbeat interval (default 30)\n"
    "  --max-nodes N           largest cluster this node's leader accepts (2..64, default 64)\n"
    "  --witness               run as a witness: vote, host nothing (no resource host); add\n"
    "                          it with `clusctl quorum set --witness HOST[:PORT]`. One\n"
    "                          witness machine serves many clusters: one clussvc --witness\n"
    "                          per cluster, each with its own --port and --state-dir\n"
    "  --log-level LEVEL       error, warning, info (default) or debug\n"
    "  --help, --version\n";

static int parse_port(const char *s, uint16_t *ret)
{
    char *end;
    long v = strtol(s, &end, 10);

    if (*s == '\0' || *end != '\0' || v < 1 || v > 65535)
        return -1;
    *ret = (uint16_t)v;
    return 0;
}

static int parse_ms(const char *s, unsigned *ret)
{
    char *end;
    long v = strtol(s, &end, 10);

    if (*s == '\0' || *end != '\0' || v < 10 || v > 60000)
        return -1;
    *ret = (unsigned)v;
    return 0;
}

static int parse_count(const char *s, long min, long max, size_t *ret)
{
    char *end;
    long v = strtol(s, &end, 10);

    if (*s == '\0' || *end != '\0' || v < min || v > max)
        return -1;
    *ret = (size_t)v;
    return 0;
}

static int parse_level(const char *s)
{
    static const struct { const char *name; int level; } levels[] = {
        {"error", LOG_ERR}, {"warning", LOG_WARNING}, {"info", LOG_INFO}, {"debug", LOG_DEBUG}};

    for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
        if (strcmp(s, levels[i].name) == 0)
            return levels[i].level;
    return -1;
}

static int parse_args(int argc, char **argv, struct svc_options *o, char *host, size_t n)
{
    static const struct option longopts[] = {
        {"state-dir", 1, 0, 'd'}, {"name", 1, 0, 'n'},     {"listen", 1, 0, 'l'},
        {"port", 1, 0, 'p'},      {"raft-port", 1, 0, 'r'}, {"authkey", 1, 0, 'k'},
        {"election-timeout", 1, 0, 'e'}, {"heartbeat", 1, 0, 'b'}, {"log-level", 1, 0, 'L'},
        {"max-nodes", 1, 0, 'm'}, {"help", 0, 0, 'h'},      {"version", 0, 0, 'V'},
        {"witness", 0, 0, 'w'},   {0, 0, 0, 0}};
    int c;

    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        int bad = 0;

        switch (c) {
        case 'd': o->state_dir = optarg; break;
        case 'n': o->name = optarg; break;
        case 'l': o->listen = optarg; break;
        case 'p': bad = parse_port(optarg, &o->port); break;
        case 'r': bad = parse_port(optarg, &o->raft_port); break;
        case 'k': o->authkey = optarg; break;
        case 'e': bad = parse_ms(optarg, &o->timing.election_ms); break;
        case 'b': bad = parse_ms(optarg, &o->timing.heartbeat_ms); break;
        case 'L': bad = (log_level = parse_level(optarg)) < 0; break;
        case 'm': bad = parse_count(optarg, 2, 64, &o->max_nodes); break;
        case 'w': o->witness = true; break;
        case 'h': fputs(usage, stdout); exit(0);
        case 'V': puts("clussvc " CLUSAPI_VERSION_STRING); exit(0);
        default: fputs(usage, stderr); return -1;
        }
        if (bad) {
            fprintf(stderr, "clussvc: invalid value: %s\n", optarg);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "clussvc: unexpected argument: %s\n", argv[optind]);
        return -1;
    }
    if (o->name == NULL) {
        if (gethostname(host, n) < 0)
            return -1;
        host[n - 1] = '\0';
        o->name = host;
    }
    if (o->raft_port == 0)
        o->raft_port = (uint16_t)(o->port + RPC_RAFT_PORT_OFFSET);
    return 0;
}

static void close_handle(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

int main(int argc, char **argv)
{
    struct svc_options opts = {
        .state_dir = "/var/lib/clussvc",
        .authkey = "/etc/clusapi/authkey",
        .port = RPC_DEFAULT_PORT,
        /* Followers apply an entry once the next append tells them it committed: a short
         * heartbeat keeps a follower-owned group's online/offline steps quick. */
        .timing = {.heartbeat_ms = 30, .election_ms = 400},
        .max_nodes = 64,
    };
    char host[256];
    static struct svc state;
    struct svc *s = &state;
    int rv;

    if (parse_args(argc, argv, &opts, host, sizeof(host)) < 0)
        return 2;
    /* A peer that closes its end must cost a write error, not the process. */
    signal(SIGPIPE, SIG_IGN);
    /* before any thread: the host is a plain fork. A witness hosts nothing: no host. */
    if (!opts.witness && rhs_spawn() < 0)
        return 1;
    if (gnutls_global_init() < 0)
        return 1;
    /* The service's state lives as long as the process: connection threads that outlive the
     * loop (a peer may hold one open) still look keys up in it while the process exits. */
    rv = svc_init(s, uv_default_loop(), &opts);
    if (rv < 0) {
        /* What was started closes, raft's instance too (its close is asynchronous): a node that
         * refuses to start frees what it took. */
        uv_walk(uv_default_loop(), close_handle, NULL);
        uv_run(uv_default_loop(), UV_RUN_DEFAULT);
        return 1;
    }
    uv_run(uv_default_loop(), UV_RUN_DEFAULT);
    uv_loop_close(uv_default_loop());
    LOGI("svc", "stopped");
    return s->exit_status;
}
