/*
 * lab_watch — the progress callback lab programs share: every callback printed as one line,
 * the phase contract checked as it goes (Start/End pairing, percent never falling, 100 only at
 * the last End of a success), and an optional cancel (FALSE) at the Nth callback of a given
 * phase and type.
 */
#ifndef LAB_WATCH_H
#define LAB_WATCH_H

#include <clusapi.h>

struct watch {
    int cancel_phase, cancel_type, cancel_nth, seen;
    int open_phase;
    DWORD last_percent;
    int broken;
    unsigned calls;
    int last_was_final_end;
};

char16_t *widen(const char *s);
BOOL CLUSAPI_CALL watch_callback(PVOID arg, CLUSTER_SETUP_PHASE phase,
                                 CLUSTER_SETUP_PHASE_TYPE type,
                                 CLUSTER_SETUP_PHASE_SEVERITY severity, DWORD percent,
                                 PCWSTR object, DWORD status);
/* Parses "PHASE:TYPE[:NTH]" into w; 0 or -1. */
int watch_parse_cancel(struct watch *w, const char *spec);
/* After the call: checks what can only be checked at the end. ok: the call succeeded. */
void watch_finish(struct watch *w, int ok);

#endif
