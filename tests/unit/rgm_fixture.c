/*
 * rgm_fixture — members from state strings for the group manager's policy tests (see
 * rgm_fixture.h).
 */
#include "rgm_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

static int32_t node_state(char c)
{
    switch (c) {
    case 'U': return ClusterNodeUp;
    case 'D': return ClusterNodeDown;
    case 'L': return ClusterNodeUp; /* and left: members_init marks it */
    case 'P': return ClusterNodePaused;
    case 'J': return ClusterNodeJoining;
    default: fail_msg("bad node state '%c'", c);
    }
    return ClusterNodeStateUnknown;
}

void members_init(struct members_fixture *f, const char *states, uint64_t self)
{
    size_t n = 0;

    memset(f, 0, sizeof(*f));
    for (size_t i = 0; states[i] != '\0'; i++) {
        assert_true(i < MAX_NODES);
        if (states[i] == '-')
            continue;
        f->nodes[n].id = i + 1;
        snprintf(f->nodes[n].name, sizeof(f->nodes[n].name), "n%zu", i + 1);
        f->nodes[n].state = node_state(states[i]);
        f->nodes[n].left = states[i] == 'L';
        n++;
    }
    f->m = (struct rgm_members){.self = self, .nodes = f->nodes, .n_nodes = n};
}
