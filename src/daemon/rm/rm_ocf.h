/*
 * rm_ocf — what is installed for the OCF driver: the agents under the OCF root ($OCF_ROOT,
 * default /usr/lib/ocf), each usable as resource type "ocf:PROVIDER:AGENT".
 */
#ifndef CLUSSVC_RM_OCF_H
#define CLUSSVC_RM_OCF_H

#include <stddef.h>

/*
 * The installed agents as type names ("ocf:heartbeat:nginx"), sorted, in ONE malloc'd block
 * (the array and its strings: a single free()). 0 or negative errno; none: NULL, 0.
 */
int rm_ocf_agents(char ***ret_names, size_t *ret_n);

#endif
