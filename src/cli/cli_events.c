/*
 * cli_events — `clusctl events`: watches the cluster and prints one line (or JSON object) per
 * change of a node, group or resource, as it happens.
 *
 * The public API has no notification port, so this polls: every --interval ms it reads a
 * snapshot (ClusterOpenEnum and the Get*State calls, cli_read_snapshot()) and prints what
 * differs from the previous one (cli_snapshot_diff()). A change that comes and goes between two
 * reads is not seen. When the node the handle talks to dies, the library moves the handle to
 * another node by itself; only a read that fails on every node ends the watch (exit 4).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <clusapi.h>
#include <clusapi_ext.h>

#include "cli/cli_cluster.h"
#include "cli/cli_cmd.h"
#include "cli/cli_format.h"
#include "cli/cli_watch.h"
#include "common/win32_error.h"

struct watch {
    const struct cli_args *args;
    sigset_t signals;
    pthread_t thread;
    bool watching; /* the signal thread runs */
    pthread_mutex_t mu;
    pthread_cond_t wake; /* on CLOCK_MONOTONIC */
    bool stop;           /* under mu: SIGINT or SIGTERM came */
    uint32_t printed;    /* changes printed so far */
    struct cli_buf out;
    bool out_failed; /* stdout is gone: stop, main() reports it */
};

static int64_t now_ms(clockid_t clock)
{
    struct timespec ts;

    clock_gettime(clock, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ------------------------------------------------------------------------------------------ */
/* Ctrl-C                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/*
 * Why a thread and sigwait(), as cli_progress does: with the signals blocked in the thread that
 * calls the library, no system call in there is cut short by EINTR. The first signal stops the
 * watch between two reads; a second one, when a read hangs on a cluster that does not answer,
 * ends clusctl at once (exit 0 all the same: the user asked to stop).
 */
static void *signal_thread(void *arg)
{
    struct watch *w = arg;
    bool again;
    int sig;

    for (;;) {
        if (sigwait(&w->signals, &sig) != 0)
            continue;
        pthread_mutex_lock(&w->mu);
        again = w->stop;
        w->stop = true;
        pthread_cond_signal(&w->wake);
        pthread_mutex_unlock(&w->mu);
        if (again)
            _exit(CLI_EXIT_OK);
    }
    return NULL;
}

static void watch_init(struct watch *w, const struct cli_args *a)
{
    pthread_condattr_t attr;

    *w = (struct watch){.args = a};
    pthread_mutex_init(&w->mu, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&w->wake, &attr);
    pthread_condattr_destroy(&attr);
}

/* Blocks SIGINT and SIGTERM before the library starts any thread of its own, so that they all
 * inherit the mask, and starts the thread that waits for them. A reader that goes away makes
 * the next write fail (EPIPE) instead of killing us. */
static void watch_start(struct watch *w)
{
    int rv;

    signal(SIGPIPE, SIG_IGN);
    sigemptyset(&w->signals);
    sigaddset(&w->signals, SIGINT);
    sigaddset(&w->signals, SIGTERM);
    rv = pthread_sigmask(SIG_BLOCK, &w->signals, NULL);
    if (rv == 0)
        rv = pthread_create(&w->thread, NULL, signal_thread, w);
    if (rv != 0) {
        pthread_sigmask(SIG_UNBLOCK, &w->signals, NULL);
        fprintf(stderr, "clusctl: warning: Ctrl-C will end clusctl at once: %s\n", strerror(rv));
        return;
    }
    w->watching = true;
}

static void watch_done(struct watch *w)
{
    if (w->watching) {
        pthread_cancel(w->thread);
        pthread_join(w->thread, NULL);
        pthread_sigmask(SIG_UNBLOCK, &w->signals, NULL);
    }
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->mu);
    cli_buf_done(&w->out);
}

/* Waits until the monotonic clock reaches deadline_ms or a signal came; true if one came. */
static bool wait_until(struct watch *w, int64_t deadline_ms)
{
    struct timespec ts = {(time_t)(deadline_ms / 1000), (long)(deadline_ms % 1000) * 1000000};
    bool stop;
    int rv = 0;

    pthread_mutex_lock(&w->mu);
    while (!w->stop && rv != ETIMEDOUT)
        rv = pthread_cond_timedwait(&w->wake, &w->mu, &ts);
    stop = w->stop;
    pthread_mutex_unlock(&w->mu);
    return stop;
}

/* ------------------------------------------------------------------------------------------ */
/* Output                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* Prints the changes between two snapshots, no more than --count allows in all. 0, -ENOMEM or
 * -EIO (stdout is gone). */
static int print_changes(struct watch *w, const struct cli_snapshot *was,
                         const struct cli_snapshot *now)
{
    const struct cli_args *a = w->args;
    struct cli_change *changes = NULL;
    int n = cli_snapshot_diff(was, now, &changes), rv = n < 0 ? n : 0;

    cli_buf_reset(&w->out);
    for (int i = 0; rv == 0 && i < n && (a->count == 0 || w->printed < a->count); i++) {
        rv = a->json ? cli_format_json_change(&w->out, now->time_ms, &changes[i])
                     : cli_format_change(&w->out, now->time_ms, &changes[i]);
        w->printed++;
    }
    free(changes);
    if (rv == 0 && w->out.len > 0)
        rv = cli_flush_out(&w->out);
    return rv;
}

/* A terminal gets a line that says what is going on; a script gets only the changes. */
static void print_header(const struct watch *w, HCLUSTER h)
{
    char detail[CLI_DETAIL_SIZE], *name = NULL;

    if (w->args->json || !isatty(STDOUT_FILENO))
        return;
    cli_cluster_name(h, &name, detail);
    printf("Watching cluster %s every %u ms (Ctrl-C to stop)...\n",
           name               ? name
           : w->args->cluster ? w->args->cluster
                              : "(local)",
           (unsigned)w->args->interval_ms);
    fflush(stdout);
    free(name);
}

/* ------------------------------------------------------------------------------------------ */
/* The command                                                                                 */
/* ------------------------------------------------------------------------------------------ */

static uint32_t read_now(HCLUSTER h, struct cli_snapshot *ret, char *detail)
{
    uint32_t status = cli_read_snapshot(h, ret, detail);

    if (status == 0)
        ret->time_ms = now_ms(CLOCK_REALTIME);
    return status;
}

/* Output that could not be formatted or written: the Win32 status for the first, or 0 with
 * out_failed set for the second (-EIO from cli_flush_out()). */
static uint32_t output_failure(struct watch *w, int rv)
{
    if (rv != -EIO)
        return win32_from_errno(rv);
    w->out_failed = true;
    return 0;
}

/* Reads, compares and prints until a signal, --count, or a failure. Returns 0 to stop (with
 * out_failed set if stdout went away), or a Win32 status + detail. */
static uint32_t loop(struct watch *w, HCLUSTER h, struct cli_snapshot *was, char *detail)
{
    const struct cli_args *a = w->args;
    struct cli_snapshot now;
    int64_t next = now_ms(CLOCK_MONOTONIC) + a->interval_ms;
    uint32_t status;
    int rv;

    while (a->count == 0 || w->printed < a->count) {
        if (wait_until(w, next))
            return 0;
        next += a->interval_ms;
        status = read_now(h, &now, detail);
        if (status != 0)
            return status;
        rv = print_changes(w, was, &now);
        cli_snapshot_done(was);
        *was = now;
        if (rv < 0)
            return output_failure(w, rv);
        /* A read that took longer than the interval: start the next one now, not a burst. */
        if (next < now_ms(CLOCK_MONOTONIC))
            next = now_ms(CLOCK_MONOTONIC);
    }
    return 0;
}

/* The first snapshot: nothing to compare it with, so it is printed only with --json. */
static uint32_t first(struct watch *w, HCLUSTER h, struct cli_snapshot *ret, char *detail)
{
    uint32_t status = read_now(h, ret, detail);
    int rv;

    if (status != 0 || !w->args->json)
        return status;
    rv = cli_format_json_snapshot(&w->out, ret);
    if (rv == 0)
        rv = cli_flush_out(&w->out);
    if (rv < 0)
        return output_failure(w, rv);
    return 0;
}

int cli_cmd_events(const struct cli_args *a)
{
    struct cli_snapshot snap = {0};
    char detail[CLI_DETAIL_SIZE] = "";
    const char *what = "cannot read the cluster";
    struct watch w;
    HCLUSTER h;
    uint32_t status;
    int rv = CLI_EXIT_OK;

    watch_init(&w, a);
    watch_start(&w);
    rv = cli_open_cluster(a, &h);
    if (rv != CLI_EXIT_OK) {
        watch_done(&w);
        return rv;
    }
    print_header(&w, h);
    status = first(&w, h, &snap, detail);
    if (status == 0) {
        what = "cannot read the cluster any more";
        status = loop(&w, h, &snap, detail);
    }
    CloseCluster(h);
    /* A reader that went away is not the cluster's failure: main() reports the write error. */
    if (w.out_failed)
        rv = CLI_EXIT_FAILED;
    else if (status != 0)
        rv = cli_fail(a, what, status, detail);
    cli_snapshot_done(&snap);
    watch_done(&w);
    return rv;
}
