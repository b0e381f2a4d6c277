#!/usr/bin/env bash
# scenario_app_service.sh — a Generic Service resource against real systemd managers.
#
# Three nodes, each with its own `systemd --user` manager (lab_sdu.sh: started in the node's
# network namespace, its private socket given to that node's clussvc as CLUSSVC_SYSTEMD_BUS).
# Every manager has the same unit: a small HTTP server bound to the group's address, Restart=no
# and not enabled, as the driver requires. A group holds an IP Address and a Generic Service
# resource on that unit, the service depending on the address.
#   - group online: the unit is active on the owner only, and HTTP answers (from the owner);
#   - kill -9 of the owner's clussvc: the resource host fences the unit's cgroup when the lease
#     runs out, so the unit is down on the old owner, and it is active on the one survivor that
#     took the group over, from which HTTP answers;
#   - resource offline: the unit is inactive on every node.
# The managers are stopped by pid at the end (also on failure) and leave no directory behind.
# Skips (77) without systemd, nsenter, curl or cgroup2.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
source "$(dirname "$0")/lab_sdu.sh"
lab_require_clussvc
lab_sdu_require
command -v curl >/dev/null || lab_skip "curl is not installed"
PYTHON=$(command -v python3) || lab_skip "python3 is not installed"
UNIT=clusapi-lab-web.service
PORT=8080
GROUP=web

lab_init 3
lab_sdu_use
IP=$(lab_cluster_ip 7)
for i in 1 2 3; do
    lab_sdu_start "$i" || lab_fail "n$i: the systemd manager did not start"
    dir=$(lab_sdu_dir "$i")
    # %h is the manager's HOME, its own directory: one unit file, each node's own page
    printf '[Unit]\nDescription=clusapi lab web server\n[Service]\nType=simple\nRestart=no\nExecStart=%s -m http.server --bind %s --directory %%h/www %d\n' \
        "$PYTHON" "$IP" "$PORT" >"$dir/config/systemd/user/$UNIT"
    mkdir "$dir/www"
    echo "n$i" >"$dir/www/node"
    lab_start_node "$i" || lab_fail "n$i did not start"
done
lab_create svcclu --node n1 --node n2 --node n3 >"$LAB_DIR/create.out" 2>&1 ||
    lab_fail "create failed: $(tail -n 1 "$LAB_DIR/create.out")"

ctl() { lab_clusctl -c "$@"; }
# res_state VIEWER RESOURCE — the resource's state as node VIEWER lists it
res_state() {
    ctl "n$1" --json resource list | grep -o "{\"name\":\"$2\"[^}]*}" |
        sed -n 's/.*"state":"\([^"]*\)".*/\1/p'
}
res_state_is() { [[ $(res_state "$1" "$2") == "$3" ]]; }
# http_node — the node name the group's address serves, from the client
http_node() { lab_client curl -sf --max-time 1 "http://$IP:$PORT/node"; }
http_from() { [[ $(http_node) == "$1" ]]; }
unit_state_is() { [[ $(lab_sdu_state "$1" "$UNIT") == "$2" ]]; }
# only_active_on I — the unit is active in node I's manager and in no other
only_active_on() {
    local j
    for j in 1 2 3; do
        if ((j == $1)); then
            unit_state_is "$j" active || return 1
        else
            unit_state_is "$j" active && return 1
        fi
    done
    return 0
}
show_units() {
    local j
    for j in 1 2 3; do echo "n$j: $(lab_sdu_state "$j" "$UNIT")"; done
}

lab_assert -m "group create" ctl n1 group create "$GROUP"
lab_assert -m "address" ctl n1 resource create web-ip --group "$GROUP" --type "IP Address" \
    --prop "Address=$IP" --prop SubnetMask=255.255.255.0
lab_assert -m "service" ctl n1 resource create web-svc --group "$GROUP" \
    --type "Generic Service" --prop "ServiceName=$UNIT"
lab_assert -m "the service needs the address" ctl n1 resource depend web-svc web-ip

# --- online ---------------------------------------------------------------------------------
lab_assert -m "group online on n1" ctl n1 group online "$GROUP" --node n1
lab_wait_for "web-svc online" 20 res_state_is 1 web-svc Online
lab_wait_for "the unit active on n1 only" 5 only_active_on 1
show_units
lab_wait_for "HTTP answers from n1" 10 http_from n1

# --- kill -9 of the owner's clussvc ---------------------------------------------------------
lab_kill_node 1
lab_wait_for "the unit is down on n1 (fenced)" 20 lab_not unit_state_is 1 active
# taken_over — n2 sees the group owned by a survivor and web-svc online there
taken_over() {
    local owner
    owner=$(lab_group_owner 2 "$GROUP") || return 1
    [[ $owner == n2 || $owner == n3 ]] && res_state_is 2 web-svc Online
}
lab_wait_for "web-svc online on a survivor" 30 taken_over
new=$(lab_group_owner 2 "$GROUP")
lab_wait_for "the unit active on $new only" 5 only_active_on "${new#n}"
show_units
lab_wait_for "HTTP answers from $new" 10 http_from "$new"
unit_down() { unit_state_is "$1" failed || unit_state_is "$1" inactive; }
lab_wait_for "n1's unit ended by the fence: failed or inactive" 10 unit_down 1

# --- offline --------------------------------------------------------------------------------
lab_assert -m "resource offline" ctl "$new" resource offline web-svc
lab_assert -m "web-svc Offline" res_state_is "${new#n}" web-svc Offline
for i in 1 2 3; do
    lab_assert -m "n$i: the unit is not active ($(lab_sdu_state "$i" "$UNIT"))" \
        lab_not unit_state_is "$i" active
done
lab_assert -m "HTTP no longer answers" lab_not http_node

# --- the managers leave nothing -------------------------------------------------------------
dirs=()
for i in 1 2 3; do dirs+=("$(lab_sdu_dir "$i")"); done
lab_assert -m "managers stopped" lab_sdu_stop_all
for d in "${dirs[@]}"; do
    lab_assert -m "no $d left" test ! -e "$d"
done
lab_pass "Generic Service: online, fenced after kill -9, taken over, offline"
