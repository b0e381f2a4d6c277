/* lab_watch — see lab_watch.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uchar.h>

#include "lab_watch.h"

char16_t *widen(const char *s)
{
    size_t n = strlen(s);
    char16_t *w = calloc(n + 1, sizeof(*w));

    for (size_t i = 0; w != NULL && i < n; i++)
        w[i] = (unsigned char)s[i];
    return w;
}

static void narrow(PCWSTR w, char *out, size_t n)
{
    size_t i = 0;

    for (; w != NULL && w[i] != 0 && i + 1 < n; i++)
        out[i] = w[i] < 128 ? (char)w[i] : '?';
    out[i] = '\0';
}

static void broken(struct watch *wt, const char *why)
{
    printf("contract-broken: %s\n", why);
    wt->broken = 1;
}

BOOL CLUSAPI_CALL watch_callback(PVOID arg, CLUSTER_SETUP_PHASE phase,
                                  CLUSTER_SETUP_PHASE_TYPE type,
                                  CLUSTER_SETUP_PHASE_SEVERITY severity, DWORD percent,
                                  PCWSTR object, DWORD status)
{
    struct watch *wt = arg;
    char name[256];

    narrow(object, name, sizeof(name));
    printf("cb phase=%d type=%d severity=%d percent=%u object=%s status=%u\n", phase, type,
           severity, percent, name, status);
    fflush(stdout);
    wt->calls++;
    if (percent < wt->last_percent)
        broken(wt, "percent fell");
    if (percent > 100 || (percent == 100 && !(type == ClusterSetupPhaseEnd &&
                                              severity != ClusterSetupPhaseFatal)))
        broken(wt, "100 percent before a successful End");
    wt->last_percent = percent;
    if (type == ClusterSetupPhaseStart) {
        if (wt->open_phase != 0)
            broken(wt, "a phase started while another was open");
        wt->open_phase = phase;
    } else if (type == ClusterSetupPhaseEnd) {
        if (wt->open_phase != (int)phase)
            broken(wt, "an End without its Start");
        wt->open_phase = 0;
    } else if (wt->open_phase != (int)phase) {
        broken(wt, "a Continue or Report outside its phase");
    }
    wt->last_was_final_end = type == ClusterSetupPhaseEnd && percent == 100;
    if ((int)phase == wt->cancel_phase && (int)type == wt->cancel_type &&
        ++wt->seen == wt->cancel_nth) {
        printf("cancelling at phase=%d type=%d\n", phase, type);
        return FALSE;
    }
    return TRUE;
}


int watch_parse_cancel(struct watch *w, const char *spec)
{
    w->cancel_nth = 1;
    return sscanf(spec, "%d:%d:%d", &w->cancel_phase, &w->cancel_type, &w->cancel_nth) >= 2 ? 0
                                                                                             : -1;
}

void watch_finish(struct watch *w, int ok)
{
    if (w->open_phase != 0)
        broken(w, "a phase never ended");
    if (ok && !w->last_was_final_end)
        broken(w, "success without a final End at 100");
}
