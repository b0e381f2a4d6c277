#!/usr/bin/env bash
# node_cgroup.sh CMD [ARGS...] — runs CMD (a lab node's clussvc) with the host's cgroup2
# hierarchy visible, then execs it, so the process keeps the pid lab_start_node recorded.
#
# Why: `ip netns exec` mounts a fresh sysfs over /sys in a mount namespace of its own, which
# hides /sys/fs/cgroup. Without the hierarchy the process runner has no control group to start
# an application in, and the resource host none to kill when the lease runs out: the lab would
# test the process-group fallback instead of what a real node does. The mounts stay inside this
# process's mount namespace (a slave of the host's, so nothing propagates back). LAB_CGROUP2 is
# where the host has cgroup2 mounted; empty: none, and CMD runs as it is.
set -euo pipefail
mnt=${LAB_CGROUP2:-}
if [[ -n $mnt ]] && ! awk '$3 == "cgroup2" { found = 1 } END { exit !found }' /proc/self/mounts
then
    # on a hybrid host cgroup2 sits below the v1 tmpfs (/sys/fs/cgroup/unified); sysfs itself
    # has an empty /sys/fs/cgroup but no room for a directory below it
    if [[ $mnt == /sys/fs/cgroup/* ]]; then
        mount -t tmpfs -o mode=0755 lab-cgroup /sys/fs/cgroup
        mkdir -p "$mnt"
    fi
    mount -t cgroup2 cgroup2 "$mnt"
fi
exec "$@"
