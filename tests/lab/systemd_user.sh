#!/usr/bin/env bash
# systemd_user.sh — a private `systemd --user` manager for tests, started and stopped by PID.
#
#   systemd_user.sh start [OWNER_PID]   starts one; prints shell assignments on stdout:
#       SDU_DIR=…       its temp directory (everything below is inside it)
#       SDU_PID=…       the manager's pid
#       SDU_BUS=…       D-Bus address of its private socket (peer-to-peer, as systemctl uses it)
#       SDU_UNIT_DIR=…  a directory in its unit path: write units there
#     With OWNER_PID the manager is stopped once that process is gone, however it ended.
#   systemd_user.sh stop SDU_DIR         stops it, kills what is left, removes its cgroups and dir
#   systemd_user.sh env SDU_DIR          prints XDG_RUNTIME_DIR=… for `systemctl --user`
#
# Exit 77 (skip) when it cannot run here: not root, no systemd, no unshare or python3.
#
# What it takes to run `systemd --user` as root outside a login session, and why:
# - systemd refuses a user instance unless /run/systemd/system/ exists ("the system has not been
#   booted with systemd"). Creating that on the machine would make every tool think systemd is
#   PID 1, so the manager runs in its own mount namespace with a tmpfs over /run/systemd (or /run)
#   holding an empty system/.
# - A manager moves every process of the cgroup it starts in into <cgroup>/init.scope — started
#   in the root cgroup it would take the whole machine's processes along. So it starts in a cgroup
#   of its own, created in every mounted hierarchy (cgroup2, and on hybrid hosts name=systemd and
#   the v1 controllers), all removed again by stop.
# - XDG_RUNTIME_DIR (its sockets: systemd/private, systemd/notify), XDG_CONFIG_HOME (unit path
#   $XDG_CONFIG_HOME/systemd/user) and HOME point into the temp directory; no
#   DBUS_SESSION_BUS_ADDRESS, and --unit= names an empty target of ours, so nothing of the host's
#   user units (dbus.socket, agents' sockets …) starts.
# - It says READY=1 on $NOTIFY_SOCKET once started: start waits for that, not for a time.
#
# Never a system-mode manager: its boot-time clean-up would empty the machine's /tmp.
set -euo pipefail

START_TIMEOUT=20 # seconds for the manager to report ready
STOP_TIMEOUT=10  # seconds for it to stop its units and exit after SIGTERM

die() { echo "systemd_user.sh: $*" >&2; exit 1; }

find_systemd() {
    local p
    for p in /lib/systemd/systemd /usr/lib/systemd/systemd; do
        [[ -x $p ]] && { echo "$p"; return 0; }
    done
    return 1
}

# The mount points of every cgroup hierarchy (cgroup2 and v1).
cgroup_mounts() {
    awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/self/mounts
}

# Those a manager tracks its processes in: cgroup2, and name=systemd on hybrid hosts. (It also
# creates its path in the v1 controllers; stop removes it from every hierarchy.)
cgroup_mounts_tracking() {
    awk '$3 == "cgroup2" || ($3 == "cgroup" && $4 ~ /(^|,)name=systemd(,|$)/) { print $2 }' \
        /proc/self/mounts
}

# Kills every process in cgroup directory $1 and below, waits until they are gone, removes it.
cgroup_remove() {
    local dir=$1 pid tries
    [[ -d $dir ]] || return 0
    for ((tries = 0; tries < 100; tries++)); do
        if [[ -e $dir/cgroup.kill ]]; then
            echo 1 >"$dir/cgroup.kill" 2>/dev/null || true
        else
            while read -r pid; do
                kill -KILL "$pid" 2>/dev/null || true
            done < <(find "$dir" -name cgroup.procs -exec cat {} + 2>/dev/null)
        fi
        find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true
        [[ -d $dir ]] || return 0
        # the kernel frees a killed process's cgroup membership asynchronously
        sleep 0.05
    done
    echo "systemd_user.sh: cannot remove $dir" >&2
    return 1
}

# Is pid $1 a process of our manager (not a recycled pid)?
is_ours() {
    local pid=$1 name=$2
    [[ -r /proc/$pid/cgroup ]] && grep -q "/$name" "/proc/$pid/cgroup" 2>/dev/null
}

cmd_stop() {
    local dir=$1 pid name rc=0 mnt
    [[ -d $dir && -f $dir/cgroup_name ]] || die "$dir is not a manager directory"
    name=$(cat "$dir/cgroup_name")
    pid=$(cat "$dir/pid" 2>/dev/null || true)
    if [[ -n $pid ]] && is_ours "$pid" "$name"; then
        kill -TERM "$pid" 2>/dev/null || true
        timeout "$STOP_TIMEOUT" tail --pid="$pid" -f /dev/null || true
    fi
    while read -r mnt; do
        cgroup_remove "$mnt/$name" || rc=1
    done < <(cgroup_mounts)
    # the watcher, unless it is the one stopping (it exits by itself then)
    if [[ -f $dir/watch.pid && ${SDU_WATCHER:-} != 1 ]]; then
        kill -TERM -- "-$(cat "$dir/watch.pid")" 2>/dev/null || true # its process group
    fi
    rm -rf -- "$dir"
    return $rc
}

cmd_watch() {
    local dir=$1 owner=$2
    tail --pid="$owner" -f /dev/null
    [[ -d $dir ]] && SDU_WATCHER=1 cmd_stop "$dir"
}

# Runs the manager in its own mount namespace and cgroup; waits for READY=1. Prints its pid.
launch() {
    local dir=$1 name=$2 systemd=$3
    python3 - "$dir" "$name" "$systemd" "$START_TIMEOUT" <<'EOF'
import os, socket, subprocess, sys, time
d, name, systemd, timeout = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(d + "/notify")
inner = r'''
set -e
while read -r mnt; do echo $$ > "$mnt/$SDU_CGROUP/cgroup.procs"; done < "$SDU_DIR/cgroup_mounts"
if [ -d /run/systemd ]; then top=/run/systemd; sys=/run/systemd/system
else top=/run; sys=/run/systemd/system; fi
mount -t tmpfs -o mode=0755 sdu "$top"
mkdir -p "$sys"
exec "$SDU_SYSTEMD" --user --unit=clusapi-sdu.target --log-target=console --log-level=info
'''
env = {"PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), "HOME": d,
       "XDG_RUNTIME_DIR": d + "/run", "XDG_CONFIG_HOME": d + "/config",
       "XDG_DATA_HOME": d + "/data", "NOTIFY_SOCKET": d + "/notify",
       "SDU_DIR": d, "SDU_CGROUP": name, "SDU_SYSTEMD": systemd}
log = open(d + "/manager.log", "ab")
p = subprocess.Popen(["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", inner],
                     env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                     start_new_session=True)
with open(d + "/pid", "w") as f:
    f.write("%d\n" % p.pid)
deadline = time.monotonic() + timeout
while True:
    left = deadline - time.monotonic()
    if left <= 0 or p.poll() is not None:
        sys.exit("manager did not start (see %s/manager.log)" % d)
    sock.settimeout(min(left, 0.5)) # also notices the manager's exit
    try:
        msg = sock.recv(4096).decode(errors="replace")
    except socket.timeout:
        continue
    if "READY=1" in msg.split("\n"):
        print(p.pid)
        sys.exit(0)
EOF
}

cmd_start() {
    local owner=${1:-} systemd dir name pid mnt
    [[ $(id -u) == 0 ]] || { echo "systemd_user.sh: needs root" >&2; exit 77; }
    systemd=$(find_systemd) || { echo "systemd_user.sh: systemd is not installed" >&2; exit 77; }
    command -v unshare >/dev/null && command -v python3 >/dev/null ||
        { echo "systemd_user.sh: needs unshare and python3" >&2; exit 77; }
    [[ -n $(cgroup_mounts_tracking) ]] ||
        { echo "systemd_user.sh: no cgroup filesystem" >&2; exit 77; }
    dir=$(mktemp -d /tmp/clusapi-sdu.XXXXXX)
    name=clusapi-sdu-${dir##*.}
    echo "$name" >"$dir/cgroup_name"
    mkdir -m 0700 "$dir/run"
    mkdir -p "$dir/config/systemd/user" "$dir/data"
    printf '[Unit]\nDescription=clusapi test manager\n' \
        >"$dir/config/systemd/user/clusapi-sdu.target"
    cgroup_mounts_tracking >"$dir/cgroup_mounts"
    while read -r mnt; do
        mkdir "$mnt/$name" || { cmd_stop "$dir"; die "cannot create cgroup $mnt/$name"; }
    done <"$dir/cgroup_mounts"
    if ! pid=$(launch "$dir" "$name" "$systemd"); then
        cat "$dir/manager.log" >&2 || true
        cmd_stop "$dir" || true
        die "the manager did not start"
    fi
    if [[ -n $owner ]]; then
        setsid bash "${BASH_SOURCE[0]}" watch "$dir" "$owner" </dev/null >/dev/null 2>&1 &
        echo $! >"$dir/watch.pid"
    fi
    echo "SDU_DIR=$dir"
    echo "SDU_PID=$pid"
    echo "SDU_BUS=unix:path=$dir/run/systemd/private"
    echo "SDU_UNIT_DIR=$dir/config/systemd/user"
}

case ${1:-} in
start) shift; cmd_start "$@" ;;
stop) [[ $# == 2 ]] || die "usage: $0 stop SDU_DIR"; cmd_stop "$2" ;;
watch) [[ $# == 3 ]] || die "usage: $0 watch SDU_DIR OWNER_PID"; cmd_watch "$2" "$3" ;;
env) [[ $# == 2 ]] || die "usage: $0 env SDU_DIR"; echo "XDG_RUNTIME_DIR=$2/run" ;;
*) die "usage: $0 start [OWNER_PID] | stop SDU_DIR | env SDU_DIR" ;;
esac
