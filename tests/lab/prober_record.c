/*
 * prober_record.c — the record of a prober run (probes sent, replies received, node names) and
 * the time helpers that prober.c and prober_http.c share.
 */
#include "prober.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

int64_t clock_us(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

const char *fmt_t(char *buf, int64_t us)
{
    snprintf(buf, 32, "%" PRId64 ".%06" PRId64, us / 1000000, us % 1000000);
    return buf;
}

/* ------------------------------------------------------------------------------------------
 * The record
 * ------------------------------------------------------------------------------------------ */

static int grow(void **arr, size_t elem, int64_t *cap, int64_t need)
{
    int64_t ncap = *cap ? *cap : 1024;
    void *p;

    if (need <= *cap)
        return 0;
    while (ncap < need)
        ncap *= 2;
    p = realloc(*arr, (size_t)ncap * elem);
    if (p == NULL)
        return -ENOMEM;
    *arr = p;
    *cap = ncap;
    return 0;
}

int record_sent(struct record *r, int kind, int64_t seq, int64_t t)
{
    int64_t i;

    if (seq < 0 || grow((void **)&r->sent[kind], sizeof(int64_t), &r->cap_sent[kind], seq + 1))
        return -ENOMEM;
    for (i = r->n_sent[kind]; i < seq; i++)
        r->sent[kind][i] = -1;
    r->sent[kind][seq] = t;
    if (seq >= r->n_sent[kind])
        r->n_sent[kind] = seq + 1;
    return 0;
}

/* Returns the index of node NAME, adding it if new; -ENOSPC past MAX_NODES. */
static int node_index(struct record *r, const char *name)
{
    int i;

    for (i = 0; i < r->n_nodes; i++)
        if (strcmp(r->nodes[i], name) == 0)
            return i;
    if (r->n_nodes == MAX_NODES)
        return -ENOSPC;
    snprintf(r->nodes[r->n_nodes], NODE_LEN, "%s", name);
    return r->n_nodes++;
}

int record_reply(struct record *r, int kind, int64_t seq, int64_t t, const char *name)
{
    int64_t cap = (int64_t)r->cap_replies;
    struct reply *rp;
    int node;

    if (seq < 0 || seq >= r->n_sent[kind] || r->sent[kind][seq] < 0)
        return 1;
    node = node_index(r, name);
    if (node < 0)
        return node;
    if (grow((void **)&r->replies, sizeof(*rp), &cap, (int64_t)r->n_replies + 1) < 0)
        return -ENOMEM;
    r->cap_replies = (size_t)cap;
    rp = &r->replies[r->n_replies++];
    *rp = (struct reply){ seq, kind, node, r->sent[kind][seq], t };
    return 0;
}

void record_free(struct record *r)
{
    int k;

    for (k = 0; k < N_KINDS; k++)
        free(r->sent[k]);
    free(r->replies);
}
