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
 * With --apps N, every Nth change is instead the next step of an application's life, one
 * application after the other: group PREFIX-appg-NNNNNN is created, then in it resource
 * PREFIX-app-NNNNNN (a Generic Application running "/bin/sleep 9NNNNNN", so that its process
 * can be told apart), brought online, taken offline (waiting until it is Offline: a fault on its
 * owner may have brought it online elsewhere meanwhile), deleted, and its group deleted (taken
 * offline first if it says it is not: an empty group that failed over reports itself Online):
 *
 *   app-created NAME | app-online NAME | app-offline NAME | app-deleted NAME
 *
 * (NAME the resource's), each once the cluster confirmed it, as above.
 *
 * An attempt that fails is retried through the next HOST until it settles, so every change in
 * the log is committed and every committed change is in the log. Stops when the file STOP
 * exists, between changes.
 *
 *   lab_chaos_client --log LOG --stop STOP --prefix PREFIX [--keep KEEP] [--interval-ms MS]
 *                    [--apps N] HOST...
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
#include <clusapi_ext.h>

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
    const char *prefix;
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

/* ------------------------------------------------------------------------------------------ */
/* applications */

enum app_step { APP_GROUP, APP_CREATE, APP_ONLINE, APP_OFFLINE, APP_DELETE, APP_UNGROUP, APP_STEPS };

struct app {
    long id;            /* the application in its life, from 1 */
    enum app_step step; /* its next step */
    char group[64], name[64];
};

/* A CLUSPROP list of one SZ property name = value; its size in *size. NULL without memory. */
static void *proplist_sz(const char *name, const char *value, DWORD *size)
{
    size_t n_name = (strlen(name) + 1) * sizeof(char16_t);
    size_t n_value = (strlen(value) + 1) * sizeof(char16_t);
    size_t total = 4 + 8 + ALIGN_CLUSPROP(n_name) + 8 + ALIGN_CLUSPROP(n_value) + 4;
    unsigned char *buf = calloc(1, total), *p = buf;
    char16_t *wname = widen(name), *wvalue = widen(value);
    DWORD head[2];

    if (buf == NULL || wname == NULL || wvalue == NULL) {
        free(buf);
        buf = NULL;
        goto out;
    }
    head[0] = 1; /* one property */
    memcpy(p, head, 4);
    p += 4;
    head[0] = CLUSPROP_SYNTAX_NAME;
    head[1] = (DWORD)n_name;
    memcpy(p, head, 8);
    memcpy(p + 8, wname, n_name);
    p += 8 + ALIGN_CLUSPROP(n_name);
    head[0] = CLUSPROP_SYNTAX_LIST_VALUE_SZ;
    head[1] = (DWORD)n_value;
    memcpy(p, head, 8);
    memcpy(p + 8, wvalue, n_value);
    /* the end mark (0) is already there */
    *size = (DWORD)total;
out:
    free(wname);
    free(wvalue);
    return buf;
}

/* One attempt at the resource's step; ERROR_SUCCESS when it is done, ERROR_IO_PENDING while an
 * offline is still under way, else the failure. uncertain: an earlier attempt may have done it. */
static DWORD app_attempt(HCLUSTER h, struct app *a, const char16_t *wname, bool uncertain)
{
    HRESOURCE r;
    DWORD status;

    if (a->step == APP_CREATE) {
        char16_t *wgroup = widen(a->group);
        HGROUP g = wgroup != NULL ? OpenClusterGroup(h, wgroup) : NULL;
        char cmd[64];
        DWORD size = 0;
        void *list;

        free(wgroup);
        snprintf(cmd, sizeof(cmd), "/bin/sleep 9%06ld", a->id);
        list = proplist_sz("CommandLine", cmd, &size);
        r = g != NULL && list != NULL
                ? ClusapiCreateClusterResourceEx(g, wname, u"Generic Application", 0, list, size,
                                                 TRUE)
                : NULL;
        status = r != NULL ? ERROR_SUCCESS : GetLastError();
        free(list);
        if (g != NULL)
            CloseClusterGroup(g);
        if (r != NULL)
            CloseClusterResource(r);
        return status == ERROR_OBJECT_ALREADY_EXISTS && uncertain ? ERROR_SUCCESS : status;
    }
    r = OpenClusterResource(h, wname);
    if (r == NULL) {
        status = GetLastError();
        return status == ERROR_RESOURCE_NOT_FOUND && a->step == APP_DELETE && uncertain
                   ? ERROR_SUCCESS : status;
    }
    if (a->step == APP_ONLINE) {
        status = OnlineClusterResource(r);
        status = status == ERROR_IO_PENDING ? ERROR_SUCCESS : status;
    } else if (a->step == APP_OFFLINE) {
        CLUSTER_RESOURCE_STATE st = GetClusterResourceState(r, NULL, NULL, NULL, NULL);

        if (st == ClusterResourceOffline)
            status = ERROR_SUCCESS;
        else if (st == ClusterResourceStateUnknown)
            status = GetLastError();
        else if (st == ClusterResourceOfflinePending)
            status = ERROR_IO_PENDING;
        else
            status = (status = OfflineClusterResource(r)) == 0 ? ERROR_IO_PENDING : status;
    } else {
        status = DeleteClusterResource(r);
    }
    CloseClusterResource(r);
    return status;
}

/* The group steps of an application; as app_attempt. */
static DWORD app_group_attempt(HCLUSTER h, struct app *a, bool uncertain)
{
    char16_t *w = widen(a->group);
    HGROUP g;
    DWORD status;

    if (w == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    if (a->step == APP_GROUP) {
        g = CreateClusterGroup(h, w);
        status = g != NULL ? ERROR_SUCCESS : GetLastError();
        if (status == ERROR_OBJECT_ALREADY_EXISTS && uncertain)
            status = ERROR_SUCCESS;
    } else {
        g = OpenClusterGroup(h, w);
        status = g != NULL ? DeleteClusterGroup(g) : GetLastError();
        if (status == ERROR_GROUP_NOT_FOUND && uncertain)
            status = ERROR_SUCCESS;
        /* Only an offline group is deleted; an empty one that failed over reports Online. */
        if (status == ERROR_INVALID_STATE) {
            status = OfflineClusterGroup(g);
            status = status == ERROR_SUCCESS ? ERROR_IO_PENDING : status;
        }
    }
    if (g != NULL)
        CloseClusterGroup(g);
    free(w);
    return status;
}

/* Takes the application through its next step, retrying until the cluster confirms it; returns
 * the log word (NULL for a step that is not logged). */
static const char *app_step(struct client *c, struct app *a)
{
    static const char *const words[APP_STEPS] = {
        [APP_CREATE] = "app-created", [APP_ONLINE] = "app-online",
        [APP_OFFLINE] = "app-offline", [APP_DELETE] = "app-deleted"};
    char16_t *wname;
    bool uncertain = false;
    DWORD status;

    if (a->step == APP_GROUP) {
        snprintf(a->group, sizeof(a->group), "%s-appg-%06ld", c->prefix, a->id);
        snprintf(a->name, sizeof(a->name), "%s-app-%06ld", c->prefix, a->id);
    }
    wname = widen(a->name);
    for (DWORD told = ERROR_SUCCESS;;) {
        HCLUSTER h = cluster(c);

        status = h == NULL ? ERROR_CLUSTER_NODE_UNREACHABLE
                 : a->step == APP_GROUP || a->step == APP_UNGROUP
                     ? app_group_attempt(h, a, uncertain)
                     : app_attempt(h, a, wname, uncertain);
        if (status == ERROR_SUCCESS)
            break;
        if (status != told) /* why a step takes long: each new failure once */
            fprintf(stderr, "%s, step %d: error %lu\n", a->name, (int)a->step,
                    (unsigned long)(told = status));
        if (status == ERROR_IO_PENDING) { /* an offline under way: look again */
            pause_ms(c->interval_ms);
            continue;
        }
        uncertain = true;
        drop(c);
    }
    free(wname);
    return words[a->step];
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"log", required_argument, NULL, 'l'},
        {"stop", required_argument, NULL, 's'},
        {"prefix", required_argument, NULL, 'p'},
        {"interval-ms", required_argument, NULL, 'i'},
        {"keep", required_argument, NULL, 'k'},
        {"apps", required_argument, NULL, 'a'},
        {0},
    };
    struct client c = {.interval_ms = 50};
    const char *log_path = NULL, *stop = NULL, *prefix = NULL;
    FILE *log;
    long created = 0, deleted = 0, keep = 0, apps = 0, n_changes = 0;
    struct app app = {.id = 1};
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
        else if (opt == 'a')
            apps = strtol(optarg, NULL, 10);
        else
            return 2;
    }
    if (log_path == NULL || stop == NULL || prefix == NULL || optind >= argc) {
        fprintf(stderr, "usage: lab_chaos_client --log LOG --stop STOP --prefix PREFIX"
                        " [--keep KEEP] [--interval-ms MS] [--apps N] HOST...\n");
        return 2;
    }
    c.prefix = prefix;
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

        if (apps > 0 && ++n_changes % apps == 0) {
            const char *app_word = app_step(&c, &app);

            if (app_word != NULL) {
                fprintf(log, "%s %s\n", app_word, app.name);
                fflush(log);
            }
            if (++app.step == APP_STEPS)
                app = (struct app){.id = app.id + 1};
            pause_ms(c.interval_ms);
            continue;
        }
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
