/*
 * lab_op — the setup calls after CreateCluster, driven the way lab scenarios need (callbacks
 * printed and checked by lab_watch):
 *
 *   lab_op add NODE NEW [--cancel-at PHASE:TYPE[:NTH]]   AddClusterNode through NODE
 *   lab_op evict NODE VICTIM [TIMEOUT_MS]                EvictClusterNodeEx through NODE
 *   lab_op destroy NODE [--cleanup-ad]                    DestroyCluster through NODE
 *   lab_op move NODE GROUP [TARGET]                       MoveClusterGroup
 *
 * move also prints `call start=S ms=MS`: when MoveClusterGroup was called (seconds since the
 * epoch, like bash's $EPOCHREALTIME) and how long it took, handles already open.
 *
 * Prints `result status=N ...`. Exit: 0 success, 1 failure, 2 usage, 3 contract broken.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <clusapi.h>
#include <clusapi_ext.h>

#include "lab_watch.h"

static int usage(void)
{
    fprintf(stderr, "usage: lab_op add|evict|destroy|move NODE ARG... (see the source)\n");
    return 2;
}

static int finish(struct watch *wt, DWORD status)
{
    if (wt->calls > 0) /* only the setup calls report progress */
        watch_finish(wt, status == 0);
    printf("result status=%u text=%s\n", status, status ? ClusapiLastErrorText() : "");
    return wt->broken ? 3 : status != 0;
}

static DWORD do_add(HCLUSTER h, int argc, char **argv, struct watch *wt)
{
    char16_t *name;
    HNODE node;
    DWORD status;

    if (argc < 1 || (argc == 3 && strcmp(argv[1], "--cancel-at") == 0 &&
                     watch_parse_cancel(wt, argv[2]) < 0))
        return ERROR_BAD_ARGUMENTS;
    name = widen(argv[0]);
    node = AddClusterNode(h, name, watch_callback, wt);
    status = node == NULL ? GetLastError() : 0;
    if (node != NULL)
        CloseClusterNode(node);
    free(name);
    return status;
}

static DWORD do_evict(HCLUSTER h, int argc, char **argv)
{
    char16_t *name;
    HNODE node;
    HRESULT hr = S_OK;
    DWORD status;

    if (argc < 1)
        return ERROR_BAD_ARGUMENTS;
    name = widen(argv[0]);
    node = OpenClusterNode(h, name);
    free(name);
    if (node == NULL)
        return GetLastError();
    status = EvictClusterNodeEx(node, argc > 1 ? (DWORD)atoi(argv[1]) : 90000, &hr);
    printf("cleanup hr=0x%08x\n", (unsigned)hr);
    CloseClusterNode(node);
    return status;
}

static DWORD do_move(HCLUSTER h, int argc, char **argv)
{
    char16_t *name;
    HGROUP group;
    HNODE target = NULL;
    struct timespec t0, t1;
    DWORD status;

    if (argc < 1)
        return ERROR_BAD_ARGUMENTS;
    name = widen(argv[0]);
    group = OpenClusterGroup(h, name);
    free(name);
    if (group == NULL)
        return GetLastError();
    if (argc > 1) {
        name = widen(argv[1]);
        target = OpenClusterNode(h, name);
        free(name);
        if (target == NULL) {
            CloseClusterGroup(group);
            return GetLastError();
        }
    }
    clock_gettime(CLOCK_REALTIME, &t0);
    status = MoveClusterGroup(group, target);
    clock_gettime(CLOCK_REALTIME, &t1);
    printf("call start=%lld.%06ld ms=%.1f\n", (long long)t0.tv_sec, t0.tv_nsec / 1000,
           (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
    if (target != NULL)
        CloseClusterNode(target);
    CloseClusterGroup(group);
    return status;
}

int main(int argc, char **argv)
{
    struct watch wt = {0};
    char16_t *target;
    HCLUSTER h;
    DWORD status;

    if (argc < 3)
        return usage();
    target = widen(argv[2]);
    h = OpenCluster(target);
    free(target);
    if (h == NULL) {
        printf("result status=%u text=cannot open the cluster: %s\n", GetLastError(),
               ClusapiLastErrorText());
        return 1;
    }
    if (strcmp(argv[1], "add") == 0)
        status = do_add(h, argc - 3, argv + 3, &wt);
    else if (strcmp(argv[1], "evict") == 0)
        status = do_evict(h, argc - 3, argv + 3);
    else if (strcmp(argv[1], "destroy") == 0)
        status = DestroyCluster(h, watch_callback, &wt,
                                argc > 3 && strcmp(argv[3], "--cleanup-ad") == 0);
    else if (strcmp(argv[1], "move") == 0)
        status = do_move(h, argc - 3, argv + 3);
    else
        status = ERROR_BAD_ARGUMENTS;
    CloseCluster(h);
    if (status == ERROR_BAD_ARGUMENTS)
        return usage();
    return finish(&wt, status);
}
