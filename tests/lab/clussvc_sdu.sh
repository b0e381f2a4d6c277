#!/usr/bin/env bash
# clussvc_sdu.sh — clussvc for a lab node that drives its own `systemd --user` manager.
#
#   CLUSSVC="bash tests/lab/clussvc_sdu.sh LAB_DIR CLUSSVC_BIN"   (for lab_start_node)
#
# Run by lab_start_node inside the node's `ip netns exec`. Sets CLUSSVC_SYSTEMD_BUS to the bus
# address in LAB_DIR/NAME/systemd_bus (NAME: the value of --name, lab_sdu_start writes the file)
# then execs clussvc, which so keeps the pid that
# lab_start_node recorded.
#
# lab_start_node runs it through node_cgroup.sh, which makes the cgroup2 hierarchy visible:
# the Generic Service driver finds the unit's control group there for the resource host to kill.
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
CLUSSVC_SYSTEMD_BUS=$(<"$lab_dir/$name/systemd_bus")
export CLUSSVC_SYSTEMD_BUS
exec "$@"
