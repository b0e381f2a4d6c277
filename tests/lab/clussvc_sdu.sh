#!/usr/bin/env bash
# clussvc_sdu.sh — clussvc for a lab node that drives its own `systemd --user` manager.
#
#   CLUSSVC="bash tests/lab/clussvc_sdu.sh LAB_DIR CLUSSVC_BIN"   (for lab_start_node)
#
# Run by lab_start_node inside the node's `ip netns exec`. Sets CLUSSVC_SYSTEMD_BUS to the bus
# address in LAB_DIR/NAME/systemd_bus (NAME: the value of --name, lab_sdu_start writes the file)
# and makes the cgroup2 hierarchy visible again, then execs clussvc, which so keeps the pid that
# lab_start_node recorded.
#
# Why the mount: `ip netns exec` mounts a fresh sysfs over /sys in a mount namespace of its own,
# which hides /sys/fs/cgroup. The Generic Service driver finds the unit's control group below
# the cgroup2 mount, and the resource host kills that group when the lease runs out; without the
# mount there is nothing to fence. The mounts stay inside this process's mount namespace (a slave
# of the host's, so nothing propagates back). LAB_SDU_CGROUP2 is where the host has cgroup2.
set -euo pipefail
lab_dir=$1
shift
name=
args=("$@")
for ((i = 0; i + 1 < ${#args[@]}; i++)); do
    [[ ${args[i]} != --name ]] || name=${args[i + 1]}
done
[[ -n $name && -s $lab_dir/$name/systemd_bus ]] ||
    { echo "clussvc_sdu.sh: no systemd_bus for node '$name' in $lab_dir" >&2; exit 2; }
mnt=${LAB_SDU_CGROUP2:?the host\'s cgroup2 mount point}
if ! awk '$3 == "cgroup2" { found = 1 } END { exit !found }' /proc/self/mounts; then
    # on a hybrid host cgroup2 sits below the v1 tmpfs (/sys/fs/cgroup/unified); sysfs itself
    # has an empty /sys/fs/cgroup but no room for a directory below it
    if [[ $mnt == /sys/fs/cgroup/* ]]; then
        mount -t tmpfs -o mode=0755 lab-cgroup /sys/fs/cgroup
        mkdir -p "$mnt"
    fi
    mount -t cgroup2 cgroup2 "$mnt"
fi
CLUSSVC_SYSTEMD_BUS=$(<"$lab_dir/$name/systemd_bus")
export CLUSSVC_SYSTEMD_BUS
exec "$@"
