/*
 * handle — every handle the library gives out is registered here, so a stale, foreign or
 * wrong-type handle is found out by lookup before it is ever dereferenced: the caller gets
 * ERROR_INVALID_HANDLE, never a crash.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/lib.h"

static pthread_mutex_t registry_mu = PTHREAD_MUTEX_INITIALIZER;
static struct handle **registry;
static size_t registry_n, registry_cap;

bool handle_register(struct handle *h)
{
    bool ok = true;

    pthread_mutex_lock(&registry_mu);
    if (registry_n == registry_cap) {
        size_t cap = registry_cap ? registry_cap * 2 : 32;
        struct handle **grown = realloc(registry, cap * sizeof(*grown));

        if (grown == NULL) {
            ok = false;
        } else {
            registry = grown;
            registry_cap = cap;
        }
    }
    if (ok)
        registry[registry_n++] = h;
    pthread_mutex_unlock(&registry_mu);
    return ok;
}

static ssize_t find_locked(const void *p)
{
    for (size_t i = 0; i < registry_n; i++)
        if (registry[i] == p)
            return (ssize_t)i;
    return -1;
}

struct handle *handle_get(const void *p, enum handle_type type)
{
    struct handle *h = NULL;
    ssize_t i;

    if (p == NULL)
        return NULL;
    pthread_mutex_lock(&registry_mu);
    i = find_locked(p);
    if (i >= 0 && registry[i]->type == type)
        h = registry[i];
    pthread_mutex_unlock(&registry_mu);
    return h;
}

void handle_free(struct handle *h)
{
    switch (h->type) {
    case HANDLE_CLUSTER: {
        struct cluster_handle *c = (struct cluster_handle *)h;

        rpc_conn_close(&c->conn);
        pthread_mutex_destroy(&c->mu);
        free(c->fallbacks);
        break;
    }
    default:
        break;
    }
    if (HANDLE_IS_ENUM(h->type)) {
        struct enum_handle *e = (struct enum_handle *)h;

        for (size_t i = 0; i < e->n; i++)
            free(e->items[i].name);
        free(e->items);
    }
    free(h);
}

bool handle_unregister(struct handle *h)
{
    struct handle **children = NULL;
    size_t n_children = 0;
    ssize_t i;

    pthread_mutex_lock(&registry_mu);
    i = find_locked(h);
    if (i < 0) {
        pthread_mutex_unlock(&registry_mu);
        return false;
    }
    registry[i] = registry[--registry_n];
    if (h->type == HANDLE_CLUSTER) {
        /* Closing a cluster invalidates what was opened through it. */
        children = malloc(registry_n * sizeof(*children) + 1);
        for (size_t k = 0; k < registry_n;) {
            if (registry[k]->parent == h) {
                if (children != NULL)
                    children[n_children++] = registry[k];
                registry[k] = registry[--registry_n];
            } else {
                k++;
            }
        }
    }
    pthread_mutex_unlock(&registry_mu);
    for (size_t k = 0; k < n_children; k++)
        handle_free(children[k]);
    free(children);
    return true;
}

DWORD handle_close(const void *p, enum handle_type type)
{
    struct handle *h = handle_get(p, type);

    if (h == NULL || !handle_unregister(h))
        return lib_fail(ERROR_INVALID_HANDLE);
    handle_free(h);
    return 0;
}
