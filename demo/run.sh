#!/usr/bin/env bash
# The clusapi demo: three nodes and a witness in network namespaces on this machine. A two-node
# cluster is created with `clusctl create` (live progress); it survives a kill -9 of the node
# without the vote, then gets a witness (`clusctl quorum set --witness`) and survives a kill -9
# of the node with the vote; it is grown to three nodes with `clusctl add-node`,
# reached on its cluster IP from a client namespace; a web server is made highly available (a
# group with its own address and a Generic Application), survives a crash of the server and a
# kill -9 of its node's cluster service; then the cluster is shrunk with `clusctl evict` and
# taken apart with `clusctl destroy`; every node is shown back to NotConfigured and the lab is
# torn down. Run as root. BUILD_DIR (default: build/ at the repository root) is the Meson build
# directory to use; it is set up there if it does not exist yet.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
bash scripts/install-deps.sh
export BUILD_DIR=${BUILD_DIR:-$ROOT/build}
[[ -d $BUILD_DIR ]] || meson setup "$BUILD_DIR" >/dev/null
ninja -C "$BUILD_DIR" >/dev/null

source tests/lab/lab.sh
source tests/lab/lab_app.sh
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# Shows a clusctl command line, then runs it in the client namespace.
clusctl() {
    printf '$ clusctl %s\n' "$*"
    lab_clusctl "$@"
}

step "Three nodes, each running clussvc in its own network namespace, and a witness"
lab_init 4
for i in 1 2 3; do
    lab_start_node "$i"
    printf '  n%d  %s  clussvc pid %s\n' "$i" "$(lab_node_addr "$i")" "$(lab_node_pid "$i")"
done
lab_start_witness 4
printf '  n4  %s  clussvc --witness pid %s (votes, hosts nothing)\n' "$(lab_node_addr 4)" \
    "$(lab_node_pid 4)"
ip=$(lab_cluster_ip)
LAB_FO_IP=$ip # what lab_fo_settled checks
# ms since $1 (an $EPOCHREALTIME)
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.0f", (b - a) * 1000}'; }

step "Create a two-node cluster on n1 and n2 with the cluster IP $ip"
clusctl create democlus --node n1 --node n2 --ip "$ip/24"

step "Two nodes without a witness: dynamic quorum gives one of them the vote"
one_voter() { # the index of the one node of n1, n2 that votes
    if lab_nodeinfo_is 1 member_role=1 && lab_nodeinfo_is 2 member_role=0; then echo 1;
    elif lab_nodeinfo_is 2 member_role=1 && lab_nodeinfo_is 1 member_role=0; then echo 2;
    else return 1; fi
}
lab_wait_for "one node votes" 15 one_voter
clusctl -c n1 status

# kill_owner I WHAT "J..." — moves the core group to nI, kills nI's clussvc, shows the survivor
# answering for the cluster IP, and starts nI again, back with the other members J...
kill_owner() {
    local i=$1 t0
    clusctl -c n1 group move "Cluster Group" --node "n$i" >/dev/null
    lab_wait_for "n$i holds $ip" 10 lab_fo_settled "1 2"
    echo "  n$i ($2) owns the core group; killing its clussvc (pid $(lab_node_pid "$i"))"
    t0=$EPOCHREALTIME
    lab_kill_node "$i"
    other_answers() { lab_ip_answers "$ip" && ! grep -qx "$i" <<<"$(lab_ip_owners "$ip")"; }
    lab_wait_for "the other node answers for $ip" 10 other_answers
    echo "  n$(lab_ip_owners "$ip") answers for $ip $(since "$t0") ms after the kill"
    lab_start_node "$i"
    lab_wait_for "n$i back" 30 lab_rejoined "$i" "$3"
    echo "  n$i restarted and back in the cluster"
}
voter=$(one_voter)
step "kill -9 of the node without the vote: the cluster goes on"
kill_owner $((3 - voter)) "no vote" "$voter"

step "A witness on a third machine: then either node may fail"
clusctl -c n1 quorum set --witness n4
lab_wait_for "both nodes and the witness vote" 15 lab_votes_settled "1 2 4"
clusctl -c n1 quorum show

step "kill -9 of the node that had the vote: with the witness, the other goes on"
kill_owner "$voter" "it had the vote" "$((3 - voter)) 4"

step "Add a third node, n3"
clusctl -c n1 add-node n3

step "Its status with three nodes"
clusctl -c n1 status

step "From the client namespace: the cluster IP $ip answers"
lab_client ping -c 3 -i 0.2 "$ip"
echo
clusctl -c "$ip" node list

step "A web site made highly available: a group with its own address and a web server"
web=$(lab_cluster_ip 1)
mkdir -p "$LAB_DIR/www"
echo "hello from a clusapi web service" >"$LAB_DIR/www/index.html"
clusctl -c n1 group create web
clusctl -c n1 resource create web-ip --group web --type "IP Address" --prop "Address=$web" \
    --prop SubnetMask=255.255.255.0
clusctl -c n1 resource create web-server --group web --type "Generic Application" \
    --prop "CommandLine=/usr/bin/python3 -m http.server --bind $web 80 --directory $LAB_DIR/www"
clusctl -c n1 resource depend web-server web-ip
clusctl -c n1 group online web
clusctl -c n1 resource list
http_ok() { lab_client curl -sf --max-time 0.2 "http://$web/" >/dev/null 2>&1; }
lab_wait_for "the web server answers" 10 http_ok # online means started, not yet listening
echo '$ curl http://'"$web"'/   (from the client namespace)'
lab_client curl -s --max-time 2 "http://$web/"

step "The web server crashes (kill -9): the cluster restarts it where it ran"
owner=$(lab_ip_owners "$web")
echo "  killing the web server on n$owner"
lab_node "$owner" pkill -9 -f "http.server --bind $web"
t0=$EPOCHREALTIME
lab_wait_for "the web site answers again" 10 http_ok
echo "  answering again from n$(lab_ip_owners "$web") $(since "$t0") ms after the crash"
echo "  (RestartDelay, Windows' default 500 ms, plus the server's own start)"

step "Failover: kill -9 the cluster service of the node that serves the web site"
echo "  n$owner serves http://$web/; killing its clussvc (pid $(lab_node_pid "$owner"))"
t0=$EPOCHREALTIME
lab_kill_node "$owner"
survivor_serves() {
    local o
    o=$(lab_ip_owners "$web" 2>/dev/null) && [[ -n $o && $o != "$owner" ]] && http_ok
}
lab_wait_for "a survivor serves the web site" 10 survivor_serves
echo "  n$(lab_ip_owners "$web") serves http://$web/ $(since "$t0") ms after the kill:"
lab_client curl -s --max-time 2 "http://$web/"
no_server_left() { [[ -z $(lab_app_pids "$owner" "http.server --bind $web") ]]; }
lab_wait_for "no web server left on n$owner" 5 no_server_left
echo "  and no web server runs on n$owner any more: its resource host killed it with the lease"
lab_start_node "$owner"
node_up() { clusctl -c "$ip" node list 2>/dev/null | grep -Eq "^n$owner +Up"; }
lab_wait_for "n$owner back Up" 15 node_up
echo "  n$owner restarted and Up again; the groups stay where they are:"
clusctl -c "$ip" group list

step "A planned move: clusctl group move hands the group to n$owner"
from=$(lab_ip_owners "$ip")
t0=$EPOCHREALTIME
clusctl -c n1 group move "Cluster Group" --node "n$owner"
moved() {
    [[ $(lab_ip_owners "$ip" 2>/dev/null) == "$owner" ]] &&
        lab_client ping -c 1 -W 0.05 -q "$ip" >/dev/null 2>&1
}
lab_wait_for "n$owner answers for $ip" 10 moved
gap=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.0f", (b - a) * 1000}')
echo "  n$from let go and n$owner answers for $ip ${gap} ms after the command started"
echo "  (that includes starting clusctl; bench/failover.sh times the call itself)"

step "Evict n2"
clusctl -c n1 evict n2

step "Its status without n2"
clusctl -c n1 status

step "Destroy the cluster"
clusctl -c n1 destroy --yes

step "Every node is NotConfigured again: no cluster state, no cluster IP, no stray process"
for i in 1 2 3 4; do
    if lab_poll 10 lab_node_is_clean "$i" "$ip"; then
        printf '  n%d  clean (NotConfigured)\n' "$i"
    else
        printf '  n%d  NOT clean:\n' "$i"
        lab_node_is_clean "$i" "$ip" 2>&1 | sed 's/^/      /' || true
    fi
done

step "Tearing down: every node stopped, every namespace removed"
lab_teardown
echo "done."
