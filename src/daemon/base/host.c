/*
 * host — the one helper every subsystem uses to commit what it built (host.h).
 */
#include "daemon/base/host.h"

#include <stdlib.h>

#include "common/wire.h"

bool host_submit_writer(struct host *h, struct wire_writer *w, host_commit_cb cb, void *arg)
{
    size_t len;
    uint8_t *cmd = wire_writer_take(w, &len);

    if (cmd == NULL)
        return false;
    h->submit(h, cmd, len, cb, arg);
    free(cmd);
    return true;
}
