/*
 * lab_chaos_client — a client that keeps committing configuration changes while the chaos soak
 * breaks the cluster: it creates groups PREFIX-000001, PREFIX-000002, ... one after the other
 * through CreateClusterGroup, and once KEEP of them exist deletes the oldest through
 * DeleteClusterGroup, so the cluster holds about KEEP of them. It writes one line per change
 * to LOG once the cluster has confirmed it:
 *
 *   ok NAME        CreateClusterGroup succeeded
 *   retried NAME   an attempt failed in a way that leaves its outcome open (node down, no leader,
 *                  timeout); a later attempt found the group already there: it was committed
 *   dup NAME       the first attempt found the group already there (it should not exist)
 *   deleted NAME   DeleteClusterGroup succeeded, or after an open failure the group was gone
 *
 * An attempt that fails is retried through the next HOST until it settles, so every change in
 * the log is committed and every committed change is in the log. Stops when the file STOP
 * exists, between changes.
 *
 *   lab_chaos_client --log LOG --stop STOP --prefix PREFIX [--keep KEEP] [--interval-ms MS]
 *                    HOST...
 *
 * Exit: 0 when stopped (prints "created=N deleted=D retries=R"), 1 on a local error, 2 on bad
 * usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <clusapi.h>

static char16_t *widen(const char *s)
{
    size_t n = strlen(s);
    char16_t *w = calloc(n + 1, sizeof(*w));

    for (size_t i = 0; w != NULL && i < n; i++)
        w[i] = (unsigned char)s[i];
    return w;
}

static void pause_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

struct client {
    char **hosts;
    int n_hosts;
    int next;       /* the host to open next */
    HCLUSTER h;     /* open cluster, or NULL */
    unsigned interval_ms;
    long retries;
};

/* An open handle through one of the hosts, trying them in turn; NULL if none answers now. */
static HCLUSTER cluster(struct client *c)
{
    for (int i = 0; c->h == NULL && i < c->n_hosts; i++) {
        char16_t *w = widen(c->hosts[c->next]);

        c->next = (c->next + 1) % c->n_hosts;
        if (w == NULL)
            return NULL;
        c->h = OpenCluster(w);
        free(w);
    }
    return c->h;
}

static void drop(struct client *c)
{
    if (c->h != NULL)
        CloseCluster(c->h);
    c->h = NULL;
    c->retries++;
    pause_ms(c->interval_ms);
}

/* Creates (or deletes) one group, retrying until the cluster confirms it; returns its log word,
 * or NULL when out of memory. */
static const char *change_one(struct client *c, const char *name, bool create)
{
    char16_t *w = widen(name);
    bool uncertain = false;
    const char *word = NULL;

    if (w == NULL)
        return NULL;
    while (word == NULL) {
        HCLUSTER h = cluster(c);
        HGROUP g = NULL;
        DWORD status;

        if (h == NULL) {
            drop(c);
            uncertain = true;
            continue;
        }
        if (create) {
            g = CreateClusterGroup(h, w);
            status = g != NULL ? 0 : GetLastError();
        } else {
            g = OpenClusterGroup(h, w);
            status = g != NULL ? DeleteClusterGroup(g) : GetLastError();
        }
        if (g != NULL)
            CloseClusterGroup(g);
        if (status == 0)
            word = create ? "ok" : "deleted"; /* this attempt did it */
        else if (create && status == ERROR_OBJECT_ALREADY_EXISTS)
            word = uncertain ? "retried" : "dup";
        else if (!create && status == ERROR_GROUP_NOT_FOUND && uncertain)
            word = "deleted"; /* an attempt that seemed to fail had done it */
        else {
            uncertain = true; /* it may or may not have been committed */
            drop(c);
        }
    }
    free(w);
    return word;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"log", required_argument, NULL, 'l'},
        {"stop", required_argument, NULL, 's'},
        {"prefix", required_argument, NULL, 'p'},
        {"interval-ms", required_argument, NULL, 'i'},
        {"keep", required_argument, NULL, 'k'},
        {0},
    };
    struct client c = {.interval_ms = 50};
    const char *log_path = NULL, *stop = NULL, *prefix = NULL;
    FILE *log;
    long created = 0, deleted = 0, keep = 0;
    int opt;

    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (opt == 'l')
            log_path = optarg;
        else if (opt == 's')
            stop = optarg;
        else if (opt == 'p')
            prefix = optarg;
        else if (opt == 'i')
            c.interval_ms = (unsigned)strtoul(optarg, NULL, 10);
        else if (opt == 'k')
            keep = strtol(optarg, NULL, 10);
        else
            return 2;
    }
    if (log_path == NULL || stop == NULL || prefix == NULL || optind >= argc) {
        fprintf(stderr, "usage: lab_chaos_client --log LOG --stop STOP --prefix PREFIX"
                        " [--keep KEEP] [--interval-ms MS] HOST...\n");
        return 2;
    }
    c.hosts = argv + optind;
    c.n_hosts = argc - optind;
    log = fopen(log_path, "w");
    if (log == NULL) {
        perror(log_path);
        return 1;
    }
    while (access(stop, F_OK) != 0) {
        char name[64];
        const char *word;
        bool create = keep == 0 || created - deleted < keep;

        snprintf(name, sizeof(name), "%s-%06ld", prefix, create ? created + 1 : deleted + 1);
        word = change_one(&c, name, create);
        if (word == NULL) {
            fprintf(stderr, "lab_chaos_client: out of memory\n");
            return 1;
        }
        fprintf(log, "%s %s\n", word, name);
        fflush(log);
        if (create)
            created++;
        else
            deleted++;
        pause_ms(c.interval_ms);
    }
    if (c.h != NULL)
        CloseCluster(c.h);
    fclose(log);
    printf("created=%ld deleted=%ld retries=%ld\n", created, deleted, c.retries);
    return 0;
}
