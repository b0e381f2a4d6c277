/*
 * cli_progress — progress display, Ctrl-C and results of clusctl's setup commands.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/cli_cluster.h"
#include "cli/cli_progress.h"

#define OBJECT_MAX_UNITS 1024

/* ------------------------------------------------------------------------------------------ */
/* Ctrl-C                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/*
 * Why a thread and sigwait() rather than a handler: with SIGINT blocked in the thread that runs
 * the setup call, no system call inside the library is ever interrupted with EINTR; the cancel
 * reaches the library only the way the API defines, as FALSE from the callback.
 */
static atomic_int interrupts;

/* On a terminal the note must not land on the progress line being redrawn. */
static const char *off_line(const struct cli_progress *p)
{
    return p->mode == CLI_OUT_LIVE ? "\n" : "";
}

static void *signal_thread(void *arg)
{
    struct cli_progress *p = arg;
    int sig;

    for (;;) {
        if (sigwait(&p->signals, &sig) != 0)
            continue;
        if (p->cancel_text == NULL) {
            /* REFERENCE §7.1: a teardown stopped halfway would leave nodes neither clustered
             * nor clean, so the library runs it to the end whatever we do. */
            fprintf(stderr,
                    "%sclusctl: a destroy cannot be cancelled: it goes on to the end, "
                    "so that no node is left half cleaned\n",
                    off_line(p));
            continue;
        }
        if (atomic_fetch_add(&interrupts, 1) == 0) {
            fprintf(stderr, "%sclusctl: cancelling: %s (press Ctrl-C again to stop at once)\n",
                    off_line(p), p->cancel_text);
            continue;
        }
        /* The second signal takes its default action: the process ends. */
        signal(sig, SIG_DFL);
        pthread_sigmask(SIG_UNBLOCK, &p->signals, NULL);
        raise(sig);
    }
    return NULL;
}

void cli_progress_start(struct cli_progress *p)
{
    int rv;

    signal(SIGPIPE, SIG_IGN);
    sigemptyset(&p->signals);
    sigaddset(&p->signals, SIGINT);
    sigaddset(&p->signals, SIGTERM);
    rv = pthread_sigmask(SIG_BLOCK, &p->signals, NULL);
    if (rv == 0)
        rv = pthread_create(&p->thread, NULL, signal_thread, p);
    if (rv != 0) {
        pthread_sigmask(SIG_UNBLOCK, &p->signals, NULL);
        fprintf(stderr, "clusctl: warning: Ctrl-C will end clusctl at once: %s\n", strerror(rv));
        return;
    }
    p->watching = true;
}

void cli_progress_stop(struct cli_progress *p)
{
    if (!p->watching)
        return;
    pthread_cancel(p->thread);
    pthread_join(p->thread, NULL);
    pthread_sigmask(SIG_UNBLOCK, &p->signals, NULL);
    p->watching = false;
}

/* ------------------------------------------------------------------------------------------ */
/* Progress                                                                                    */
/* ------------------------------------------------------------------------------------------ */

enum cli_out cli_out_mode(const struct cli_args *a)
{
    const char *term = getenv("TERM");

    if (a->json)
        return CLI_OUT_JSON;
    if (!isatty(STDOUT_FILENO) || term == NULL || strcmp(term, "dumb") == 0)
        return CLI_OUT_PLAIN;
    return CLI_OUT_LIVE;
}

static unsigned terminal_width(void)
{
    struct winsize ws;

    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

void cli_progress_init(struct cli_progress *p, const struct cli_args *a, const char *cancel_text)
{
    *p = (struct cli_progress){.args = a, .mode = cli_out_mode(a), .cancel_text = cancel_text};
    if (p->mode == CLI_OUT_LIVE)
        cli_live_init(&p->live, terminal_width());
}

static void emit(struct cli_progress *p)
{
    if (!p->out_failed && cli_flush_out(&p->out) < 0)
        p->out_failed = true;
    cli_buf_reset(&p->out);
}

void cli_progress_header(struct cli_progress *p, const char *fmt, ...)
{
    va_list ap;
    char line[512];

    if (p->mode != CLI_OUT_LIVE)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    cli_buf_printf(&p->out, "%s\n", line);
    emit(p);
}

BOOL CLUSAPI_CALL cli_progress_callback(PVOID pvCallbackArg, CLUSTER_SETUP_PHASE eSetupPhase,
                                        CLUSTER_SETUP_PHASE_TYPE ePhaseType,
                                        CLUSTER_SETUP_PHASE_SEVERITY ePhaseSeverity,
                                        DWORD dwPercentComplete, PCWSTR lpszObjectName,
                                        DWORD dwStatus)
{
    struct cli_progress *p = pvCallbackArg;
    char *name = NULL;
    struct cli_event ev;

    /* Out of memory only costs the object's name on screen. */
    cli_utf16_to_utf8_lossy(lpszObjectName, OBJECT_MAX_UNITS, &name);
    ev = (struct cli_event){.phase = (uint32_t)eSetupPhase,
                            .type = (uint32_t)ePhaseType,
                            .severity = (uint32_t)ePhaseSeverity,
                            .percent = dwPercentComplete,
                            .object = name,
                            .status = dwStatus};
    p->events++;
    if (dwStatus != 0) {
        p->fail_phase = ev.phase;
        p->fail_status = dwStatus;
        snprintf(p->fail_object, sizeof(p->fail_object), "%s", name ? name : "");
    }
    if (p->mode == CLI_OUT_LIVE)
        cli_live_event(&p->live, &ev, &p->out);
    else if (p->mode == CLI_OUT_JSON)
        cli_format_json_event(&p->out, &ev);
    else
        cli_format_plain(&p->out, &ev);
    emit(p);
    free(name);
    return p->cancel_text == NULL || atomic_load(&interrupts) == 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Result                                                                                      */
/* ------------------------------------------------------------------------------------------ */

int cli_progress_report(struct cli_progress *p, const char *verb, uint32_t status,
                        const char *detail, const char *ok_text, const char *key, const char *value)
{
    struct cli_args quiet;
    char what[64];

    if (p->mode == CLI_OUT_LIVE)
        cli_live_finish(&p->live, &p->out);
    if (p->mode == CLI_OUT_JSON)
        cli_format_json_result(&p->out, status, detail, key, value);
    else if (status == 0)
        cli_buf_puts(&p->out, ok_text);
    emit(p);
    if (status == 0)
        return CLI_EXIT_OK;
    /* The JSON result is already out; the diagnostic goes to stderr only. */
    quiet = *p->args;
    quiet.json = false;
    snprintf(what, sizeof(what), "%s %s", verb, status == ERROR_CANCELLED ? "cancelled" : "failed");
    return cli_fail(&quiet, what, status, detail);
}

void cli_progress_done(struct cli_progress *p)
{
    cli_buf_done(&p->out);
}
