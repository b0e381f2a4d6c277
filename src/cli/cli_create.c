/*
 * cli_create — `clusctl create`: CreateCluster with its progress shown live on a terminal, as
 * plain lines otherwise, or as JSON events; Ctrl-C cancels through the callback.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <clusapi.h>
#include <clusapi_ext.h>

#include "cli/cli_cmd.h"
#include "cli/cli_format.h"

#define OBJECT_MAX_UNITS 1024

enum out_mode { OUT_LIVE, OUT_PLAIN, OUT_JSON };

struct create_run {
    const struct cli_args *args;
    enum out_mode mode;
    struct cli_live live;
    struct cli_buf out;
    bool out_failed; /* stdout went away: keep going, the setup must finish or roll back */
};

/* ------------------------------------------------------------------------------------------ */
/* Ctrl-C                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/*
 * Why a thread and sigwait() rather than a handler: with SIGINT blocked in the thread that runs
 * CreateCluster, no system call inside the library is ever interrupted with EINTR; the cancel
 * reaches the library only the way the API defines, as FALSE from the callback.
 */
static atomic_int interrupts;

static void *signal_thread(void *arg)
{
    const sigset_t *set = arg;
    int sig;

    for (;;) {
        if (sigwait(set, &sig) != 0)
            continue;
        if (atomic_fetch_add(&interrupts, 1) == 0) {
            static const char msg[] = "\nclusctl: cancelling: the nodes are being rolled back "
                                      "(press Ctrl-C again to stop at once)\n";
            ssize_t ignored = write(STDERR_FILENO, msg, sizeof(msg) - 1);

            (void)ignored;
            continue;
        }
        /* The second signal takes its default action: the process ends. */
        signal(sig, SIG_DFL);
        pthread_sigmask(SIG_UNBLOCK, set, NULL);
        raise(sig);
    }
    return NULL;
}

/* Blocks SIGINT and SIGTERM in this thread and starts the thread that waits for them. */
static int cancel_start(sigset_t *set, pthread_t *ret)
{
    int rv;

    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    rv = pthread_sigmask(SIG_BLOCK, set, NULL);
    if (rv == 0)
        rv = pthread_create(ret, NULL, signal_thread, set);
    if (rv != 0)
        pthread_sigmask(SIG_UNBLOCK, set, NULL);
    return -rv;
}

static void cancel_stop(sigset_t *set, pthread_t thread)
{
    pthread_cancel(thread);
    pthread_join(thread, NULL);
    pthread_sigmask(SIG_UNBLOCK, set, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Progress                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void emit(struct create_run *r)
{
    if (!r->out_failed && cli_flush_out(&r->out) < 0)
        r->out_failed = true;
    cli_buf_reset(&r->out);
}

static BOOL progress(PVOID arg, CLUSTER_SETUP_PHASE phase, CLUSTER_SETUP_PHASE_TYPE type,
                     CLUSTER_SETUP_PHASE_SEVERITY severity, DWORD percent, PCWSTR object,
                     DWORD status)
{
    struct create_run *r = arg;
    char *name = NULL;
    struct cli_event ev;

    /* Out of memory only costs the object's name on screen. */
    cli_utf16_to_utf8_lossy(object, OBJECT_MAX_UNITS, &name);
    ev = (struct cli_event){.phase = (uint32_t)phase,
                            .type = (uint32_t)type,
                            .severity = (uint32_t)severity,
                            .percent = percent,
                            .object = name,
                            .status = status};
    if (r->mode == OUT_LIVE)
        cli_live_event(&r->live, &ev, &r->out);
    else if (r->mode == OUT_JSON)
        cli_format_json_event(&r->out, &ev);
    else
        cli_format_plain(&r->out, &ev);
    emit(r);
    free(name);
    return atomic_load(&interrupts) == 0;
}

/* ------------------------------------------------------------------------------------------ */
/* The command                                                                                 */
/* ------------------------------------------------------------------------------------------ */

static enum out_mode choose_mode(const struct cli_args *a)
{
    const char *term = getenv("TERM");

    if (a->json)
        return OUT_JSON;
    if (!isatty(STDOUT_FILENO) || term == NULL || strcmp(term, "dumb") == 0)
        return OUT_PLAIN;
    return OUT_LIVE;
}

static unsigned terminal_width(void)
{
    struct winsize ws;

    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

/* The opening line of the live display: what is about to be created. */
static void live_header(struct create_run *r)
{
    const struct cli_args *a = r->args;

    cli_buf_printf(&r->out, "Creating cluster %s on", a->name);
    for (size_t i = 0; i < a->n_nodes; i++)
        cli_buf_printf(&r->out, "%s %s", i ? "," : "", a->nodes[i]);
    for (size_t i = 0; i < a->n_ips; i++)
        cli_buf_printf(&r->out, "%s %s/%u", i ? "," : " with address", a->ips[i].address,
                       (unsigned)a->ips[i].prefix);
    cli_buf_puts(&r->out, a->empty ? " (empty cluster)\n" : "\n");
    emit(r);
}

/* Prints the outcome; returns the exit code. */
static int report(struct create_run *r, uint32_t status, const char *detail)
{
    const struct cli_args *a = r->args;
    struct cli_args quiet;

    if (r->mode == OUT_LIVE)
        cli_live_finish(&r->live, &r->out);
    if (r->mode == OUT_JSON)
        cli_format_json_result(&r->out, status, detail, status == 0 ? a->name : NULL);
    else if (status == 0)
        cli_buf_printf(&r->out, "Cluster %s created.\n", a->name);
    emit(r);
    if (status == 0)
        return CLI_EXIT_OK;
    /* The JSON result is already out; the diagnostic goes to stderr only. */
    quiet = *a;
    quiet.json = false;
    return cli_fail(&quiet, status == ERROR_CANCELLED ? "create cancelled" : "create failed",
                    status, detail);
}

static uint32_t run_create(struct create_run *r, const CREATE_CLUSTER_CONFIG *cfg_in, char *detail,
                           size_t n)
{
    CREATE_CLUSTER_CONFIG cfg = *cfg_in;
    HCLUSTER h = CreateCluster(&cfg, progress, r);
    uint32_t status = 0;

    if (h == NULL) {
        status = GetLastError();
        snprintf(detail, n, "%s", ClusapiLastErrorText());
        /* A NULL handle always means failure, even if the library forgot to say why. */
        if (status == 0)
            status = ERROR_INTERNAL_ERROR;
    } else {
        CloseCluster(h);
    }
    return status;
}

int cli_cmd_create(const struct cli_args *a)
{
    struct create_run r = {.args = a, .mode = choose_mode(a)};
    struct cli_create cc;
    char detail[512] = "";
    sigset_t set;
    pthread_t thread;
    uint32_t status;
    int rv;

    rv = cli_create_build(a, &cc);
    if (rv < 0)
        return cli_fail(
            a, "create failed",
            rv == -ENOMEM ? ERROR_NOT_ENOUGH_MEMORY : ERROR_CLUSTER_INVALID_STRING_FORMAT, NULL);
    if (r.mode == OUT_LIVE) {
        cli_live_init(&r.live, terminal_width());
        live_header(&r);
    }
    /* A reader that goes away (clusctl create | head) must not kill us halfway through setup. */
    signal(SIGPIPE, SIG_IGN);
    rv = cancel_start(&set, &thread);
    if (rv < 0)
        fprintf(stderr, "clusctl: warning: Ctrl-C will not cancel cleanly: %s\n", strerror(-rv));
    status = run_create(&r, &cc.cfg, detail, sizeof(detail));
    if (rv == 0)
        cancel_stop(&set, thread);
    rv = report(&r, status, detail);
    cli_buf_done(&r.out);
    cli_create_done(&cc);
    return rv;
}
