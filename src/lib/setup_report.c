/*
 * setup_report — the progress callback, with REFERENCE's contract kept in one place: every Start
 * has its End, percent never falls and reaches 100 only at the last End of a success, a FALSE
 * from the callback cancels at the next step boundary (except where cancel is ignored), and the
 * callback never runs with a lock held.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf16.h"
#include "lib/setup.h"

void reporter_init(struct reporter *r, PCLUSTER_SETUP_PROGRESS_CALLBACK cb, PVOID arg,
                   uint32_t total_steps)
{
    memset(r, 0, sizeof(*r));
    r->cb = cb;
    r->arg = arg;
    progress_init(&r->progress, total_steps);
}

void reporter_step(struct reporter *r)
{
    progress_step(&r->progress);
}

/* Calls the application's callback; remembers a FALSE. */
static void emit(struct reporter *r, CLUSTER_SETUP_PHASE_TYPE type,
                 CLUSTER_SETUP_PHASE_SEVERITY severity, DWORD percent, const char *object,
                 DWORD status)
{
    char16_t *wobject = NULL;
    BOOL go;

    if (r->cb == NULL)
        return;
    if (object != NULL && utf8_to_utf16(object, &wobject) < 0)
        wobject = NULL;
    go = r->cb(r->arg, r->phase, type, severity, percent, (PCWSTR)wobject, status);
    free(wobject);
    if (!go && !r->cancel_ignored)
        r->cancel_requested = true;
}

static void cancel_open_phase(struct reporter *r)
{
    r->phase_open = false;
    emit(r, ClusterSetupPhaseEnd, ClusterSetupPhaseFatal, progress_percent(&r->progress),
         r->object, ERROR_CANCELLED);
    lib_fail_text(ERROR_CANCELLED, "cancelled by the progress callback");
}

bool phase_start(struct reporter *r, CLUSTER_SETUP_PHASE phase, const char *object)
{
    if (r->cancel_requested) {
        lib_fail_text(ERROR_CANCELLED, "cancelled by the progress callback");
        return false;
    }
    r->phase = phase;
    r->phase_open = true;
    snprintf(r->object, sizeof(r->object), "%s", object ? object : "");
    emit(r, ClusterSetupPhaseStart, ClusterSetupPhaseInformational,
         progress_percent(&r->progress), object, 0);
    if (r->cancel_requested) {
        cancel_open_phase(r);
        return false;
    }
    return true;
}

bool phase_continue(struct reporter *r, const char *object,
                    CLUSTER_SETUP_PHASE_SEVERITY severity, DWORD status)
{
    snprintf(r->object, sizeof(r->object), "%s", object ? object : "");
    emit(r, ClusterSetupPhaseContinue, severity, progress_percent(&r->progress), object, status);
    if (r->cancel_requested) {
        cancel_open_phase(r);
        return false;
    }
    return true;
}

void phase_report(struct reporter *r, CLUSTER_SETUP_PHASE_SEVERITY severity, const char *message,
                  DWORD status)
{
    emit(r, ClusterSetupPhaseReport, severity, progress_percent(&r->progress), message, status);
    if (r->cancel_requested && r->phase_open)
        cancel_open_phase(r);
}

/* Phases whose End completes a step of REFERENCE's count (per-node phases count per node). */
static bool counts_on_end(CLUSTER_SETUP_PHASE phase)
{
    switch (phase) {
    case ClusterSetupPhaseInitialize:
    case ClusterSetupPhaseFormingCluster:
    case ClusterSetupPhaseAddClusterProperties:
    case ClusterSetupPhaseCreateResourceTypes:
    case ClusterSetupPhaseConfigureClusterAccount:
    case ClusterSetupPhaseCreateGroups:
    case ClusterSetupPhaseCreateIPAddressResources:
    case ClusterSetupPhaseCreateNetworkName:
    case ClusterSetupPhaseClusterGroupOnline:
    case ClusterSetupPhaseGettingCurrentMembership:
    case ClusterSetupPhaseAddNodeToCluster:
    case ClusterSetupPhaseNodeUp:
        return true;
    default:
        return false;
    }
}

bool phase_end(struct reporter *r, CLUSTER_SETUP_PHASE_SEVERITY severity, DWORD status)
{
    if (!r->phase_open)
        return !r->cancel_requested;
    r->phase_open = false;
    if (severity != ClusterSetupPhaseFatal && counts_on_end(r->phase))
        progress_step(&r->progress);
    emit(r, ClusterSetupPhaseEnd, severity, progress_percent(&r->progress), r->object, status);
    if (r->cancel_requested && severity != ClusterSetupPhaseFatal)
        lib_fail_text(ERROR_CANCELLED, "cancelled by the progress callback");
    return !r->cancel_requested;
}

void phase_fail(struct reporter *r, DWORD status, const char *fmt, ...)
{
    char text[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    if (r->phase_open) {
        r->phase_open = false;
        emit(r, ClusterSetupPhaseEnd, ClusterSetupPhaseFatal, progress_percent(&r->progress),
             r->object, status);
    }
    lib_fail_text(status, "%s", text);
}

void phase_end_final(struct reporter *r)
{
    r->phase_open = false;
    emit(r, ClusterSetupPhaseEnd, ClusterSetupPhaseInformational, progress_finish(&r->progress),
         r->object, 0);
}
