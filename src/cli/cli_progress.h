/*
 * cli_progress — what `create`, `add-node` and `destroy` share: the progress callback shown live
 * on a terminal, as plain lines otherwise, or as JSON events; Ctrl-C; and the final result.
 *
 * Use: cli_progress_init(), cli_progress_header() (shown on a terminal only),
 * cli_progress_start(), the setup call with cli_progress_callback and the struct as its
 * argument, cli_progress_stop(), cli_progress_report(), cli_progress_done().
 */
#ifndef CLUSAPI_CLI_PROGRESS_H
#define CLUSAPI_CLI_PROGRESS_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include <clusapi.h>

#include "cli/cli_args.h"
#include "cli/cli_format.h"

enum cli_out { CLI_OUT_LIVE, CLI_OUT_PLAIN, CLI_OUT_JSON };

struct cli_progress {
    const struct cli_args *args;
    enum cli_out mode;
    struct cli_live live;
    struct cli_buf out;
    bool out_failed; /* stdout went away: keep going, the setup must finish or roll back */
    /* Ctrl-C: with cancel_text, the first press cancels ("cancelling: <cancel_text>") and the
     * second ends clusctl; without (DestroyCluster), every press is answered with a note that a
     * destroy cannot be cancelled, and the call runs to its end. */
    const char *cancel_text;
    sigset_t signals;
    pthread_t thread;
    bool watching;
    unsigned long events; /* callbacks so far */
    /* The last step the event stream reported as failed (status != 0). */
    uint32_t fail_phase;
    uint32_t fail_status;
    char fail_object[128];
};

/* How a command shows its output: JSON with --json, live on a terminal whose TERM is not
 * "dumb", plain lines otherwise. */
enum cli_out cli_out_mode(const struct cli_args *a);

/* Starts a run for the command line a; cancel_text as above (NULL: Ctrl-C does not cancel). */
void cli_progress_init(struct cli_progress *p, const struct cli_args *a, const char *cancel_text);
/* On a terminal, prints a line saying what is about to happen; nothing otherwise. */
void cli_progress_header(struct cli_progress *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * Ignores SIGPIPE (a reader that goes away must not kill us halfway through a setup) and blocks
 * SIGINT and SIGTERM, which a thread of its own then waits for. Prints a warning if that thread
 * cannot start: Ctrl-C then ends clusctl at once.
 */
void cli_progress_start(struct cli_progress *p);
/* The progress callback; pvCallbackArg is the struct cli_progress. Returns FALSE once Ctrl-C
 * was pressed during a cancellable call. */
BOOL CLUSAPI_CALL cli_progress_callback(PVOID pvCallbackArg, CLUSTER_SETUP_PHASE eSetupPhase,
                                        CLUSTER_SETUP_PHASE_TYPE ePhaseType,
                                        CLUSTER_SETUP_PHASE_SEVERITY ePhaseSeverity,
                                        DWORD dwPercentComplete, PCWSTR lpszObjectName,
                                        DWORD dwStatus);
/* Stops the signal thread and unblocks the signals. */
void cli_progress_stop(struct cli_progress *p);
/*
 * Prints the outcome of the call and returns the exit code. Success: ok_text (plain and live),
 * or the JSON result with key:value. Failure: the JSON result (with --json), then
 * "clusctl: <verb> failed|cancelled: NAME (code): text (detail)" on stderr.
 */
int cli_progress_report(struct cli_progress *p, const char *verb, uint32_t status,
                        const char *detail, const char *ok_text, const char *key,
                        const char *value);
/* Frees the output buffer. */
void cli_progress_done(struct cli_progress *p);

#endif
