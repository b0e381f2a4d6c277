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

#include "lab_watch.h"

#define MAX_ITEMS 64

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
            if (watch_parse_cancel(&wt, argv[++i]) < 0)
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
    h = CreateCluster(&cfg, watch_callback, &wt);
    watch_finish(&wt, h != NULL);
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
