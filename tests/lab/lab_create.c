/*
 * lab_create — CreateCluster driven the way lab scenarios need: every callback printed as one
 * line, the phase contract checked as it goes (Start/End pairing, percent never falling, 100 only
 * at the last End of a success), and optionally a cancel (FALSE) at the Nth callback of a given
 * phase and type.
 *
 *   lab_create NAME --node N... [--ip ADDR/PREFIX...] [--empty] [--cancel-at PHASE:TYPE[:NTH]]
 *
 * Exit: 0 created, 1 CreateCluster failed (code printed), 2 usage, 3 contract broken.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uchar.h>

#include <clusapi.h>
#include <clusapi_ext.h>

#define MAX_ITEMS 64

struct watch {
    int cancel_phase, cancel_type, cancel_nth, seen;
    int open_phase;
    DWORD last_percent;
    int broken;
    unsigned calls;
    int last_was_final_end;
};

static char16_t *widen(const char *s)
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

static BOOL CLUSAPI_CALL callback(PVOID arg, CLUSTER_SETUP_PHASE phase,
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

int main(int argc, char **argv)
{
    PCWSTR nodes[MAX_ITEMS];
    CLUSTER_IP_ENTRY ips[MAX_ITEMS];
    CREATE_CLUSTER_CONFIG cfg = {0};
    struct watch wt = {0};
    HCLUSTER h;
    DWORD n_nodes = 0, n_ips = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: lab_create NAME --node N... [--ip A/P...] [--empty] "
                        "[--cancel-at PHASE:TYPE[:NTH]]\n");
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--node") == 0 && i + 1 < argc && n_nodes < MAX_ITEMS) {
            nodes[n_nodes++] = widen(argv[++i]);
        } else if (strcmp(argv[i], "--ip") == 0 && i + 1 < argc && n_ips < MAX_ITEMS) {
            char *slash = strchr(argv[++i], '/');

            if (slash == NULL)
                return 2;
            *slash = '\0';
            ips[n_ips].lpszIpAddress = widen(argv[i]);
            ips[n_ips++].dwPrefixLength = (DWORD)atoi(slash + 1);
        } else if (strcmp(argv[i], "--empty") == 0) {
            cfg.fEmptyCluster = TRUE;
        } else if (strcmp(argv[i], "--cancel-at") == 0 && i + 1 < argc) {
            wt.cancel_nth = 1;
            if (sscanf(argv[++i], "%d:%d:%d", &wt.cancel_phase, &wt.cancel_type,
                       &wt.cancel_nth) < 2)
                return 2;
        } else {
            fprintf(stderr, "lab_create: bad argument %s\n", argv[i]);
            return 2;
        }
    }
    cfg.dwVersion = CLUSAPI_VERSION_WINDOWSBLUE;
    cfg.lpszClusterName = widen(argv[1]);
    cfg.cNodes = n_nodes;
    cfg.ppszNodeNames = nodes;
    cfg.cIpEntries = n_ips;
    cfg.pIpEntries = n_ips ? ips : NULL;
    cfg.managementPointType = n_ips ? CLUSTER_MGMT_POINT_TYPE_DNS_ONLY
                                    : CLUSTER_MGMT_POINT_TYPE_NONE;
    h = CreateCluster(&cfg, callback, &wt);
    if (wt.open_phase != 0)
        broken(&wt, "a phase never ended");
    if (h != NULL && !wt.last_was_final_end)
        broken(&wt, "success without a final End at 100");
    if (h == NULL)
        printf("result status=%u text=%s\n", GetLastError(), ClusapiLastErrorText());
    else
        printf("result status=0\n");
    if (h != NULL)
        CloseCluster(h);
    for (DWORD i = 0; i < n_nodes; i++)
        free((void *)nodes[i]);
    for (DWORD i = 0; i < n_ips; i++)
        free((void *)ips[i].lpszIpAddress);
    free((void *)cfg.lpszClusterName);
    if (wt.broken)
        return 3;
    return h != NULL ? 0 : 1;
}
