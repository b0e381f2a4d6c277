# lab_sdu.sh — one private `systemd --user` manager per lab node, for scenarios that run Generic
# Service resources. Source it after lab.sh; lab_sdu_use and lab_sdu_start after lab_init:
#
#   lab_sdu_require              skip (77) unless systemd, nsenter and cgroup2 are here
#   lab_sdu_use                  CLUSSVC becomes clussvc_sdu.sh around the built clussvc, so
#                                each node's clussvc drives its own manager
#   lab_sdu_start I              starts node I's manager in node I's network namespace (so its
#                                units listen on the node's addresses) with systemd_user.sh;
#                                writes the bus address for clussvc_sdu.sh. Start it before
#                                lab_start_node I.
#   lab_sdu_dir I                the manager's directory (its unit directory is
#                                DIR/config/systemd/user, its HOME is DIR)
#   lab_sdu_state I UNIT         the unit's ActiveState in node I's manager
#   lab_sdu_stop_all             stops every manager by its pid, removes its cgroups and dir
#
# lab_sdu_start wraps the traps lab_init installed so that the managers are stopped on every
# exit, failures included, before the lab is torn down; systemd_user.sh's own watcher stops them
# should this shell be killed.
LAB_SDU_SCRIPT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/systemd_user.sh
LAB_SDU_WRAPPER=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/clussvc_sdu.sh
LAB_SDU_TRAPS=

lab_sdu_require() {
    [[ -x /lib/systemd/systemd || -x /usr/lib/systemd/systemd ]] ||
        lab_skip "systemd is not installed"
    command -v nsenter >/dev/null || lab_skip "nsenter is not installed"
    command -v systemctl >/dev/null || lab_skip "systemctl is not installed"
    awk '$3 == "cgroup2" { found = 1 } END { exit !found }' /proc/self/mounts ||
        lab_skip "no cgroup2 hierarchy"
}

lab_sdu_use() {
    local -a svc
    lab__clussvc_cmd svc
    CLUSSVC="bash $LAB_SDU_WRAPPER $LAB_DIR ${svc[*]}"
    export CLUSSVC
}

lab_sdu_dir() {
    local f=$LAB_DIR/n$1/sdu_dir
    [[ -s $f ]] && cat "$f"
}

lab_sdu_start() {
    local i=$1 out
    lab__sdu_traps
    out=$(nsenter --net="/run/netns/$(lab_node_ns "$i")" -- bash "$LAB_SDU_SCRIPT" start $$) ||
        return $?
    sed -n 's/^SDU_DIR=//p' <<<"$out" >"$LAB_DIR/n$i/sdu_dir"
    sed -n 's/^SDU_BUS=//p' <<<"$out" >"$LAB_DIR/n$i/systemd_bus"
    [[ -s $LAB_DIR/n$i/sdu_dir && -s $LAB_DIR/n$i/systemd_bus ]]
}

lab_sdu_state() {
    local dir
    dir=$(lab_sdu_dir "$1") || return 1
    XDG_RUNTIME_DIR=$dir/run systemctl --user show -P ActiveState "$2"
}

lab_sdu_stop_all() {
    local i dir rc=0
    for ((i = 1; i <= LAB_NODES; i++)); do
        dir=$(lab_sdu_dir "$i") || continue
        bash "$LAB_SDU_SCRIPT" stop "$dir" || rc=1
        rm -f "$LAB_DIR/n$i/sdu_dir"
    done
    return $rc
}

lab__sdu_on_exit() {
    local rc=$?
    set +e
    lab_sdu_stop_all
    (exit "$rc")
    lab__on_exit
}

lab__sdu_traps() {
    [[ $LAB_SDU_TRAPS == "$BASHPID" ]] && return 0
    LAB_SDU_TRAPS=$BASHPID
    trap 'lab__sdu_on_exit' EXIT
    trap 'lab_sdu_stop_all; lab__on_signal INT 130' INT
    trap 'lab_sdu_stop_all; lab__on_signal TERM 143' TERM
}
