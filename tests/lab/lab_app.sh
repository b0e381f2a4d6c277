# shellcheck shell=bash
# lab_app.sh — application resources in the lab (scenario_app_*.sh).  Source it after lab.sh.
#
# A resource's private properties are the same on every node, yet a web server in the lab has
# to say which node serves it.  So every clussvc runs in a mount namespace of its own
# (lab_app_private_dirs) in which $LAB_DIR/nI/app is bound over $LAB_APP_DIR ($LAB_DIR/app):
# one path in the resource's properties, each node's own files behind it (a page naming the
# node, an nginx config with its own pid file and logs).  The processes of its resources inherit
# that namespace.  Run as a program, this file is that wrapper:
#
#   unshare -m --propagation private bash lab_app.sh node-exec LAB_DIR CMD...
#
# binds LAB_DIR/NAME/app over LAB_DIR/app, NAME being the value of CMD's --name, and execs CMD,
# so lab_start_node records clussvc's own PID, which lab_kill_node and lab_pause_node signal.
# (The cgroup2 hierarchy is node_cgroup.sh's, which lab_start_node runs first.)

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    set -euo pipefail
    [[ ${1:-} == node-exec && $# -ge 3 ]] || { echo "usage: lab_app.sh node-exec LAB_DIR CMD..." >&2; exit 2; }
    lab_dir=$2
    shift 2
    args=("$@") name=
    for ((k = 0; k + 1 < ${#args[@]}; k++)); do
        [[ ${args[k]} != --name ]] || name=${args[k + 1]}
    done
    [[ -n $name ]] || { echo "lab_app.sh: no --name in: $*" >&2; exit 2; }
    mkdir -p "$lab_dir/$name/app" "$lab_dir/app"
    mount --bind "$lab_dir/$name/app" "$lab_dir/app"
    exec "$@"
fi

LAB_APP_DIR=
LAB_APP_HTTP_PORT=${LAB_APP_HTTP_PORT:-80}

# lab_app_private_dirs — from now on lab_start_node runs clussvc through the wrapper above;
# call after lab_init.  Sets LAB_APP_DIR.
lab_app_private_dirs() {
    local build=${BUILD_DIR:-$LAB_ROOT/build}
    LAB_APP_DIR=$LAB_DIR/app
    mkdir -p "$LAB_APP_DIR"
    CLUSSVC="unshare -m --propagation private bash $LAB_HOME/lab_app.sh node-exec $LAB_DIR"
    CLUSSVC+=" ${LAB_APP_CLUSSVC:-$(realpath -m "$build")/src/daemon/clussvc}"
    export CLUSSVC
}

# lab_app_node_dir I — node I's own directory, which node I's processes see at LAB_APP_DIR.
lab_app_node_dir() {
    printf '%s/n%d/app\n' "$LAB_DIR" "$1"
}

# lab_app_nginx_conf DIR LISTEN TEXT — on stdout, the config of an nginx listening on LISTEN
# (ADDR:PORT) that answers every request with TEXT, keeping its pid file, logs and temporary
# files in DIR (DIR/tmp must exist).  Also the benchmark's (bench/appfailover.sh).
lab_app_nginx_conf() {
    cat <<EOF
pid $1/nginx.pid;
error_log $1/error.log;
worker_processes 1;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $1/tmp/body;
    proxy_temp_path $1/tmp/proxy;
    fastcgi_temp_path $1/tmp/fastcgi;
    uwsgi_temp_path $1/tmp/uwsgi;
    scgi_temp_path $1/tmp/scgi;
    default_type text/plain;
    server {
        listen $2;
        location / { return 200 "$3\n"; }
    }
}
EOF
}

# lab_app_web_files I ADDR — node I's web content: www/index.html (its name) and nginx.conf (an
# nginx on ADDR:LAB_APP_HTTP_PORT answering every request with its name, its pid file, logs
# and temporary files in LAB_APP_DIR); and the one program for a Generic Application,
# $LAB_DIR/web.py ADDR PORT: an HTTP server on ADDR:PORT serving LAB_APP_DIR/www/index.html for
# every path, logging nothing (each request would otherwise be a line in clussvc's log).
lab_app_web_files() {
    local d w=$LAB_APP_DIR
    d=$(lab_app_node_dir "$1")
    mkdir -p "$d/www" "$d/tmp"
    printf 'n%d\n' "$1" >"$d/www/index.html"
    lab_app_nginx_conf "$w" "$2:$LAB_APP_HTTP_PORT" "n$1" >"$d/nginx.conf"
    cat >"$LAB_DIR/web.py" <<EOF
import http.server, sys
PAGE = open("$w/www/index.html", "rb").read()
class Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer((sys.argv[1], int(sys.argv[2])), Page).serve_forever()
EOF
}

# lab_app_ctl VIA ARGS... — clusctl through node VIA (an index), bounded to 30 s.
lab_app_ctl() {
    local via=$1
    local -a ctl
    shift
    lab__clusctl_cmd ctl
    CLUSAPI_AUTHKEY=$LAB_DIR/authkey timeout 30 ip netns exec "$(lab_client_ns)" "${ctl[@]}" \
        -c "$(lab_node_name "$via")" "$@"
}

# lab_app_do VIA ARGS... — lab_app_ctl, and a failure ends the scenario with clusctl's message.
lab_app_do() {
    local out rc=0
    out=$(lab_app_ctl "$@" 2>&1) || rc=$?
    # to stderr: callers send what clusctl printed to /dev/null, and the FAIL must not go too
    ((rc == 0)) || lab_fail "clusctl -c n$1 ${*:2}: exit $rc: $out" >&2
    printf '%s\n' "$out"
}

# lab_app_entry VIA KIND NAME — the JSON object of NAME in `clusctl --json KIND list` (KIND
# group or resource) as node VIA reports it.
lab_app_entry() {
    local out
    out=$(lab_app_ctl "$1" --json "$2" list) || return 1
    grep -o "{\"name\":\"$3\"[^}]*}" <<<"$out"
}

# lab_app_field VIA KIND NAME FIELD — one string field (state, owner) of lab_app_entry.
lab_app_field() {
    lab_app_entry "$1" "$2" "$3" | sed -n "s/.*\"$4\":\"\\([^\"]*\\)\".*/\\1/p"
}

# lab_app_is VIA KIND NAME STATE [OWNER] — NAME is in STATE (and on node OWNER, an index).
lab_app_is() {
    local entry
    entry=$(lab_app_entry "$1" "$2" "$3") || return 1
    [[ $entry == *"\"state\":\"$4\""* ]] || { lab__err "$3: $entry, not $4"; return 1; }
    [[ -z ${5:-} || $entry == *"\"owner\":\"n$5\""* ]] || { lab__err "$3: $entry, not on n$5"; return 1; }
}

# lab_app_owner VIA KIND NAME — the index of NAME's owner node, as VIA reports it.
lab_app_owner() {
    local o
    o=$(lab_app_field "$1" "$2" "$3" owner) || return 1
    [[ $o =~ ^n([0-9]+)$ ]] || return 1
    echo "${BASH_REMATCH[1]}"
}

# lab_app_procs I — "PID COMM CMDLINE" of every process in node I's namespace that is not the
# lab's own (clussvc, its resource host clussvc-rhs, the responder): the processes of resources.
lab_app_procs() {
    local pid comm cmd keep ns
    ns=$(lab_node_ns "$1")
    keep=" $(lab_bg_pid "responder-n$1" 2>/dev/null || true) "
    for pid in $(ip netns pids "$ns" 2>/dev/null); do
        [[ $keep != *" $pid "* ]] || continue
        comm=$(cat "/proc/$pid/comm" 2>/dev/null) || continue
        [[ $comm != clussvc && $comm != clussvc-rhs ]] || continue
        cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || continue
        printf '%s %s %s\n' "$pid" "$comm" "$cmd"
    done
}

# lab_app_pids I PATTERN — PIDs of node I's resource processes whose "COMM CMDLINE" contains
# PATTERN (a fixed string).
lab_app_pids() {
    lab_app_procs "$1" | while read -r pid rest; do
        [[ $rest != *"$2"* ]] || echo "$pid"
    done
}

# lab_app_runs_on PATTERN — the indexes of the nodes running a PATTERN process, one a line.
lab_app_runs_on() {
    local i
    for ((i = 1; i <= LAB_NODES; i++)); do
        [[ -z $(lab_app_pids "$i" "$1") ]] || echo "$i"
    done
}

# lab_app_runs_only PATTERN I — a PATTERN process runs on node I and on no other node.
lab_app_runs_only() {
    local on
    on=$(lab_app_runs_on "$1")
    [[ $on == "$2" ]] || { lab__err "'$1' runs on: ${on//$'\n'/ } (want n$2 alone)"; return 1; }
}

# lab_app_runs_nowhere PATTERN — no node runs a PATTERN process.
lab_app_runs_nowhere() {
    local on
    on=$(lab_app_runs_on "$1")
    [[ -z $on ]] || { lab__err "'$1' still runs on: ${on//$'\n'/ }"; return 1; }
}

# lab_app_bare I... — nodes I... run no process of any resource (says which ones do).
lab_app_bare() {
    local i procs ok=0
    for i in "$@"; do
        procs=$(lab_app_procs "$i")
        [[ -z $procs ]] || { lab__err "n$i still runs: ${procs//$'\n'/; }"; ok=1; }
    done
    return "$ok"
}

# lab_app_all_bare — no node runs a process of a resource.
lab_app_all_bare() {
    # shellcheck disable=SC2046 # a list of indexes
    lab_app_bare $(seq 1 "$LAB_NODES")
}

# lab_app_cgroups I... — nodes I... run the processes of resources in cgroup leaves: none of
# their clussvc logs has rm_proc's warning that it fell back to process groups.
lab_app_cgroups() {
    local i
    for i in "$@"; do
        ! grep -F "no writable cgroup v2" "$LAB_DIR/n$i/clussvc.log" || return 1
    done
}
