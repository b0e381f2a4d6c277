/*
 * cli_membership — the commands that change who is in a cluster: `add-node` (AddClusterNode),
 * `evict` (EvictClusterNodeEx), `destroy` (DestroyCluster) and `node clear` (ClusapiClearNode).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <clusapi.h>
#include <clusapi_ext.h>

#include "cli/cli_cluster.h"
#include "cli/cli_cmd.h"
#include "cli/cli_quorum.h"
#include "cli/cli_format.h"
#include "cli/cli_progress.h"
#include "common/utf16.h"
#include "common/win32_error.h"

/* ------------------------------------------------------------------------------------------ */
/* add-node                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static uint32_t add_node(struct cli_progress *p, HCLUSTER h, const char *node, char *detail)
{
    char16_t *wnode;
    HNODE n;

    if (utf8_to_utf16(node, &wnode) < 0)
        return ERROR_NOT_ENOUGH_MEMORY; /* the parser checked that it is UTF-8 */
    cli_progress_start(p);
    n = AddClusterNode(h, wnode, cli_progress_callback, p);
    cli_progress_stop(p);
    free(wnode);
    if (n == NULL)
        return cli_last_failure(detail, ERROR_INTERNAL_ERROR);
    CloseClusterNode(n);
    return 0;
}

int cli_cmd_add_node(const struct cli_args *a, HCLUSTER h)
{
    struct cli_progress p;
    char detail[CLI_DETAIL_SIZE] = "", ok[600];
    const char *cluster = a->cluster ? a->cluster : "(local)";
    char *name = NULL;
    uint32_t status;
    int rv;

    /* The name is only for people: without it, say where we asked. */
    if (cli_cluster_name(h, &name, detail) != 0)
        detail[0] = '\0';
    if (name != NULL)
        cluster = name;
    cli_progress_init(&p, a, "the node is being evicted again");
    cli_progress_header(&p, "Adding node %s to cluster %s", a->node, cluster);
    status = add_node(&p, h, a->node, detail);
    snprintf(ok, sizeof(ok), "Node %s added to cluster %s.\n", a->node, cluster);
    rv = cli_progress_report(&p, "add-node", status, detail, ok, "node", a->node);
    cli_progress_done(&p);
    free(name);
    return rv;
}

/* ------------------------------------------------------------------------------------------ */
/* evict                                                                                       */
/* ------------------------------------------------------------------------------------------ */

/* The JSON document of an evict: status members, the node and, once it was evicted, the
 * cleanup HRESULT. */
static void evict_json(const struct cli_args *a, uint32_t status, const char *detail, bool evicted,
                       HRESULT cleanup)
{
    struct cli_buf b = {0};
    char sname[64];
    int rv = cli_buf_printf(&b, "{\"ok\":%s,", status == 0 ? "true" : "false");

    if (rv == 0)
        rv = cli_format_json_status(&b, status, detail);
    if (rv == 0)
        rv = cli_buf_puts(&b, ",\"node\":");
    if (rv == 0)
        rv = cli_json_string(&b, a->node);
    if (rv == 0 && evicted)
        rv = cli_buf_printf(&b, ",\"cleanup_status\":%u,\"cleanup_status_name\":\"%s\"",
                            (unsigned)cleanup,
                            cli_status_name((uint32_t)cleanup, sname, sizeof(sname)));
    if (rv == 0)
        rv = cli_buf_puts(&b, "}\n");
    if (rv == 0)
        cli_flush_out(&b);
    cli_buf_done(&b);
}

/* Evicts a->node; *ret_cleanup gets the cleanup HRESULT once the node is out. */
static uint32_t evict(const struct cli_args *a, HCLUSTER h, HRESULT *ret_cleanup, char *detail)
{
    char16_t *wnode;
    HNODE n;
    uint32_t status;

    if (utf8_to_utf16(a->node, &wnode) < 0)
        return ERROR_NOT_ENOUGH_MEMORY;
    n = OpenClusterNode(h, wnode);
    free(wnode);
    if (n == NULL)
        return cli_last_failure(detail, ERROR_CLUSTER_NODE_NOT_FOUND);
    status = cli_take_reason(EvictClusterNodeEx(n, a->timeout_ms, ret_cleanup), detail);
    CloseClusterNode(n);
    return status;
}

int cli_cmd_evict(const struct cli_args *a, HCLUSTER h)
{
    char detail[CLI_DETAIL_SIZE] = "", sname[64], what[300];
    struct cli_args quiet = *a;
    HRESULT cleanup = S_OK;
    uint32_t status;
    bool evicted;

    if (cli_out_mode(a) == CLI_OUT_LIVE)
        printf("Evicting node %s (waiting up to %u ms for its cleanup)...\n", a->node,
               (unsigned)a->timeout_ms);
    fflush(stdout);
    status = evict(a, h, &cleanup, detail);
    /* Evicted but not (yet) clean is one outcome, whichever way the library words it. */
    if (status == 0 && cleanup != S_OK)
        status = ERROR_CLUSTER_EVICT_WITHOUT_CLEANUP;
    evicted = status == 0 || status == ERROR_CLUSTER_EVICT_WITHOUT_CLEANUP;
    if (evicted && cleanup != S_OK) {
        fprintf(stderr, "clusctl: node %s was evicted; its cleanup gave %s (0x%08X): %s\n", a->node,
                cli_status_name((uint32_t)cleanup, sname, sizeof(sname)), (unsigned)cleanup,
                win32_error_text(win32_from_hresult((uint32_t)cleanup)));
        snprintf(detail, sizeof(detail),
                 "%s is out of the cluster and will clean itself up when it returns", a->node);
    }
    if (a->json)
        evict_json(a, status, detail, evicted, cleanup);
    if (evicted)
        cli_quorum_warn_fragile(h);
    if (status == 0) {
        if (!a->json)
            printf("Node %s evicted and cleaned up.\n", a->node);
        return CLI_EXIT_OK;
    }
    quiet.json = false;
    snprintf(what, sizeof(what), "%s", evicted ? "evict incomplete" : "evict failed");
    return cli_fail(&quiet, what, status, detail);
}

/* ------------------------------------------------------------------------------------------ */
/* destroy                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/* Asks on the terminal; true if the user answered yes. */
static bool confirm(const char *name, uint32_t n_nodes)
{
    char line[64];

    fprintf(stderr, "Destroy cluster %s and wipe its %u node%s? [y/N] ", name, (unsigned)n_nodes,
            n_nodes == 1 ? "" : "s");
    fflush(stderr);
    if (fgets(line, sizeof(line), stdin) == NULL) {
        fputc('\n', stderr);
        return false;
    }
    return cli_answer_is_yes(line);
}

/* DestroyCluster's return names a code only: add the step the event stream last saw fail. */
static void destroy_detail(const struct cli_progress *p, char *detail)
{
    const char *title = cli_phase_title(p->fail_phase);
    char sname[64];
    size_t len = strlen(detail);

    if (p->fail_status == 0)
        return;
    snprintf(detail + len, CLI_DETAIL_SIZE - len, "%slast failed step: %s%s%s (%s)",
             len ? "; " : "", title ? title : "unknown phase", *p->fail_object ? " " : "",
             p->fail_object, cli_status_name(p->fail_status, sname, sizeof(sname)));
}

static int destroy(const struct cli_args *a, HCLUSTER h, const char *name, uint32_t n_nodes)
{
    struct cli_progress p;
    char detail[CLI_DETAIL_SIZE] = "", ok[400];
    uint32_t status;
    int rv;

    cli_progress_init(&p, a, NULL);
    cli_progress_header(&p, "Destroying cluster %s (%u node%s)", name, (unsigned)n_nodes,
                        n_nodes == 1 ? "" : "s");
    cli_progress_start(&p);
    status = cli_take_reason(DestroyCluster(h, cli_progress_callback, &p, a->cleanup_ad), detail);
    cli_progress_stop(&p);
    if (status != 0)
        destroy_detail(&p, detail);
    snprintf(ok, sizeof(ok), "Cluster %s destroyed: %u node%s wiped, back to NotConfigured.\n",
             name, (unsigned)n_nodes, n_nodes == 1 ? "" : "s");
    rv = cli_progress_report(&p, "destroy", status, detail, ok, "cluster", name);
    /* Once the teardown ran, a failure is that of a step (a node it could not reach among
     * them), not of reaching the cluster: exit 1 whatever the code. */
    if (status != 0 && p.events > 0)
        rv = CLI_EXIT_FAILED;
    cli_progress_done(&p);
    return rv;
}

int cli_cmd_destroy(const struct cli_args *a, HCLUSTER h, bool ask)
{
    char detail[CLI_DETAIL_SIZE] = "";
    char *name = NULL;
    uint32_t n_nodes = 0;
    uint32_t status = cli_cluster_name(h, &name, detail);
    int rv;

    if (status == 0)
        status = cli_count_nodes(h, &n_nodes, detail);
    if (status != 0) {
        rv = cli_fail(a, "cannot read the cluster", status, detail);
    } else if (ask && !confirm(name, n_nodes)) {
        fprintf(stderr, "clusctl: nothing was destroyed\n");
        rv = CLI_EXIT_CANCELLED;
    } else {
        rv = destroy(a, h, name, n_nodes);
    }
    free(name);
    return rv;
}

/* ------------------------------------------------------------------------------------------ */
/* node clear                                                                                  */
/* ------------------------------------------------------------------------------------------ */

int cli_cmd_node_clear(const struct cli_args *a)
{
    const char *who = a->node ? a->node : "the local node";
    char detail[CLI_DETAIL_SIZE] = "", what[300];
    char16_t *wnode = NULL;
    uint32_t status;

    if (a->node != NULL && utf8_to_utf16(a->node, &wnode) < 0)
        return cli_fail(a, "node clear failed", ERROR_NOT_ENOUGH_MEMORY, NULL);
    status = cli_take_reason(ClusapiClearNode(wnode, a->force), detail);
    free(wnode);
    if (status != 0) {
        snprintf(what, sizeof(what), "cannot clear %s", who);
        if (status == ERROR_CLUSTER_NODE_ALREADY_MEMBER && !a->force)
            fprintf(stderr, "clusctl: evict the node from its cluster first; use --force only "
                            "if that cluster is gone for good\n");
        return cli_fail(a, what, status, detail);
    }
    if (a->json) {
        struct cli_buf b = {0};

        if (cli_buf_puts(&b, "{\"ok\":true,\"node\":") == 0 && cli_json_string(&b, a->node) == 0 &&
            cli_buf_puts(&b, "}\n") == 0)
            cli_flush_out(&b);
        cli_buf_done(&b);
    } else if (a->node != NULL) {
        printf("Node %s cleared: it is NotConfigured now.\n", a->node);
    } else {
        printf("The local node was cleared: it is NotConfigured now.\n");
    }
    return CLI_EXIT_OK;
}
