#!/usr/bin/env bash
# scenario_app_failover.sh — two web services fail over with their addresses, never on two nodes.
#
# Three nodes, two groups, each an IP Address and a web server depending on it, answering every
# request with the name of the node that serves it: "gen" runs tests/lab's web.py as a Generic
# Application, "ocf" runs nginx through ocf:heartbeat:nginx (each node has its own config at
# the one path the resource names: lab_app.sh; status10url is set because the agent's
# validate-all refuses the URL it derives from a config without a status location).  One HTTP prober per address (a new connection
# and GET / every 10 ms, plus the broadcast probes that show two holders of an address).
#
# Faults on the node that owns both groups: kill -9 of its clussvc, a cut link, a frozen
# clussvc (SIGSTOP).  After each, both services answer over HTTP from a survivor within
# LAB_TAKEOVER_LIMIT = 10 s: the 3 s that the address-only failover scenarios allow (the lease
# running out on a frozen or cut-off node, then the takeover) plus 2 s for the applications to
# start on a loaded 2-core machine (web.py ~0.1 s; the nginx agent's validate-all and start,
# shell scripts that run nginx -t and nginx -V, 0.5-2 s: measured takeovers 0.8-1.4 s for
# web.py and 1.4-3.1 s for nginx), and 5 s more for the case where the node hit was the raft
# leader: the survivors elect a new one first, and under the sanitizers their own leases can
# lapse meanwhile, so they stop what they run and start it again (6.3 s seen once).  Once
# a survivor answers, the old owner's lease is over, so within 1 s more (cgroup.kill is
# asynchronous) the old owner runs no process of either application: its resource host killed
# them.  The node then comes back and rejoins; both groups stay where they went, each
# application runs on its group's owner alone, and neither prober ever saw two nodes answer.
# Between faults the "ocf" group is moved to the owner of "gen" so that each fault hits both.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
source "$(dirname "$0")/lab_app.sh"
lab_require_setup_tools
lab_require_probe_tools
lab_require_cmd nginx python3 unshare
[[ -x /usr/lib/ocf/resource.d/heartbeat/nginx ]] ||
    lab_skip "requires ocf:heartbeat:nginx (Debian's resource-agents)"

# shellcheck disable=SC2034 # read by lab_assert_takeover (lab.sh)
LAB_TAKEOVER_LIMIT=10
lab_init 3
lab_app_private_dirs
ALL="1 2 3"
declare -A IP=([gen]=$(lab_cluster_ip 1) [ocf]=$(lab_cluster_ip 2))
declare -A APP=([gen]=web.py [ocf]="nginx") # what lab_app_pids matches
for i in $ALL; do
    lab_app_web_files "$i" "${IP[ocf]}"
    lab_start_node "$i" || lab_fail "n$i did not start"
done
lab_clusctl create appfo --node n1 --node n2 --node n3 --ip "$(lab_cluster_ip 0)/24" \
    >"$LAB_DIR/create.out" 2>&1 || lab_fail "create failed: $(tail -n 3 "$LAB_DIR/create.out")"
lab_start_responders || lab_fail "responders did not start"

for g in gen ocf; do
    lab_app_do 1 group create "$g" >/dev/null
    lab_app_do 1 resource create "$g-ip" --group "$g" --type "IP Address" \
        --prop "Address=${IP[$g]}" --prop SubnetMask=255.255.255.0 >/dev/null
done
lab_app_do 1 resource create gen-app --group gen --type "Generic Application" \
    --prop "CommandLine=/usr/bin/python3 $LAB_DIR/web.py ${IP[gen]} $LAB_APP_HTTP_PORT" >/dev/null
lab_app_do 1 resource create ocf-app --group ocf --type ocf:heartbeat:nginx \
    --prop "configfile=$LAB_APP_DIR/nginx.conf" --prop httpd=/usr/sbin/nginx \
    --prop "options=-e $LAB_APP_DIR/error.log" \
    --prop "status10url=http://${IP[ocf]}:$LAB_APP_HTTP_PORT/" >/dev/null
for g in gen ocf; do
    lab_app_do 1 resource depend "$g-app" "$g-ip" >/dev/null
    lab_app_do 1 group online "$g" --node n1 >/dev/null
    lab_start_prober "p$g" "${IP[$g]}" 600 --http "$LAB_APP_HTTP_PORT"
done

# settled G "I..." — one node holds G's address, nodes I... name it G's owner and G Online,
# G's application runs there alone, and G's prober heard it in the last 0.3 s.
settled() {
    local g=$1 owner i
    owner=$(lab_owner "${IP[$g]}") || return 1
    for i in $2; do
        lab_app_is "$i" group "$g" Online "$owner" || return 1
    done
    lab_app_runs_only "${APP[$g]}" "$owner" || return 1
    lab_probe_answered_by "p$g" "n$owner" --from "$(awk -v t="$EPOCHREALTIME" \
        'BEGIN { printf "%.6f", t - 0.3 }')"
}
both_settled() { settled gen "$1" && settled ocf "$1"; }

lab_assert_within "both groups online on n1, answering over HTTP" 60 both_settled "$ALL"
# shellcheck disable=SC2086 # a list of indexes
lab_assert -m "every node runs resources in cgroup leaves" lab_app_cgroups $ALL

# fault LABEL FAULT UNDO — FAULT on the owner of both groups, the checks above, UNDO.
fault() {
    local label=$1 fault=$2 undo=$3 old g t new
    old=$(lab_owner "${IP[gen]}") || lab_fail "$label: gen has one owner"
    if [[ $(lab_owner "${IP[ocf]}") != "$old" ]]; then
        lab_app_do "$old" group move ocf --node "n$old" >/dev/null
        lab_assert_within "$label: ocf moved to n$old" 30 both_settled "$ALL"
    fi
    t=$EPOCHREALTIME
    "$fault" "$old" || lab_fail "$label: $fault n$old failed"
    for g in gen ocf; do
        # lab_assert_takeover waits for the survivor's last answer, which may be a broadcast
        # probe's (the address moved, the server not up yet): wait for an HTTP 200 first.
        lab_wait_for "$label, $g: a survivor answers over HTTP" "$LAB_TAKEOVER_LIMIT" \
            lab_probe_nonzero "p$g" takeover_ms --from "$t" --old "n$old"
        LAB_FO_IP=${IP[$g]} lab_assert_takeover "$label, $g" "p$g" "$old" "$t"
        printf '%s, %s: n%s answered over HTTP %s ms after the fault on n%s\n' "$label" "$g" \
            "$(lab_owner "${IP[$g]}")" "$LAB_TAKEOVER_MS" "$old"
    done
    lab_assert_within "$label: n$old runs no process of a resource once a survivor serves" 1 \
        lab_app_bare "$old"
    "$undo" "$old" || lab_fail "$label: $undo n$old failed"
    lab_assert_within "$label: n$old rejoined" 30 lab_rejoined "$old" "$(lab_others "$old")"
    lab_assert_within "$label: each group on one node, named by all, answering" 20 \
        both_settled "$ALL"
    lab_wait_for "$label: 3 s watched after the rejoin" 10 lab_probe_watched pgen "$EPOCHREALTIME" 3
    for g in gen ocf; do
        new=$(lab_owner "${IP[$g]}")
        lab_assert -m "$label, $g: n$old never answered after n$new did" \
            lab_probe_is "p$g" old_after_takeover 0 --from "$t" --old "n$old"
        lab_assert -m "$label, $g: no overlap since the fault" lab_probe_is "p$g" overlap 0 \
            --from "$t"
    done
    lab_assert -m "$label: n$old still runs no application" lab_app_bare "$old"
}

fault "kill -9 of clussvc" lab_kill_node lab_start_node
fault "link cut" lab_link_down lab_link_up
fault "freeze" lab_pause_node lab_resume_node

for g in gen ocf; do
    lab_bg_stop "p$g"
    lab_assert -m "$g: the whole run, no overlap" lab_probe_is "p$g" overlap 0
    lab_assert -m "$g: the whole run, no foreign answer" lab_probe_is "p$g" foreign 0
    lab_app_do 1 group offline "$g" >/dev/null
done
lab_assert_within "offline: no process of a resource on any node" 10 lab_app_all_bare
lab_pass "app_failover"
