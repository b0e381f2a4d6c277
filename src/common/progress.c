#include "common/progress.h"

uint32_t progress_total_create(const struct create_plan *plan)
{
    uint32_t total = 3 * (uint32_t)plan->n_nodes + 4;
    uint32_t a = 0, b = 0;

    if (plan->empty)
        return total;
    /* The type the caller asked for decides the count, as on Windows; a downgraded CNO counts
     * as DNS_ONLY because that is what runs. */
    switch (plan->mgmt_type) {
    case CLUSTER_MGMT_POINT_TYPE_CNO:
    case CLUSTER_MGMT_POINT_TYPE_CNO_ONLY:
        a = 2, b = 2;
        break;
    case CLUSTER_MGMT_POINT_TYPE_DNS_ONLY:
        a = 0, b = 1;
        break;
    default:
        break;
    }
    return total + a + b + (create_plan_wants_ips(plan) ? 1 : 0) + 4;
}

void progress_init(struct progress *p, uint32_t total)
{
    p->total = total ? total : 1;
    p->done = 0;
    p->last = 0;
}

void progress_step(struct progress *p)
{
    if (p->done < p->total)
        p->done++;
}

uint32_t progress_percent(struct progress *p)
{
    uint32_t pct = p->done * 100 / p->total;

    if (pct > 99)
        pct = 99;
    if (pct < p->last)
        pct = p->last;
    p->last = pct;
    return pct;
}

uint32_t progress_finish(struct progress *p)
{
    p->done = p->total;
    p->last = 100;
    return 100;
}
