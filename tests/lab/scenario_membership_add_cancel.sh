#!/bin/bash
# scenario_membership_add_cancel.sh — AddClusterNode cancelled at every step.  One add of n4 to a
# 3-node cluster (n1-n3) is recorded, and n4 evicted again; then, for every distinct
# (phase, type) pair in that stream, the add is repeated with the callback returning FALSE
# there.  Each cancel must fail with 1223 after FailureCleanup (999), leave the cluster with its
# old members only (hashes agree, the cluster IP answers from one member) and n4 NotConfigured
# and clean.  The final End is the exception: the add has completed when it is reported, so a
# FALSE there is ignored (REFERENCE §7.1: cancel is honoured at the next step boundary, and there
# is none) and the call succeeds.  At the end n4 is added for real: re-running converges.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_clussvc
lab_require_tool lab_op

T=15

lab_init 4
for ((i = 1; i <= 4; i++)); do lab_start_node "$i"; done
ip=$(lab_cluster_ip 0)

op() { # LABEL ARGS...
    local label=$1
    shift
    RC=0
    lab_op "$@" >"$LAB_DIR/$label.out" 2>&1 || RC=$?
    ST=$(lab_result_status "$LAB_DIR/$label.out" || echo none)
}

owner_is_member() { # ADDR "I..."
    local o
    o=$(lab_ip_owners "$1")
    [[ -n $o ]] && grep -qw "$o" <<<"$2"
}

check_cluster() { # LABEL "I..."
    local label=$1 nodes=$2 names
    names=$(for i in $nodes; do printf 'n%d ' "$i"; done)
    lab_assert_within "$label: members Running and committed" "$T" \
        lab_all_nodeinfo_is "$nodes" state=19 committed=1 cluster=c1
    # shellcheck disable=SC2086 # a list of indexes
    lab_assert_within "$label: database hashes agree" "$T" lab_nodes_agree db_hash $nodes
    lab_assert -m "$label: the cluster lists exactly ${names% }" \
        lab_members_are "${nodes%% *}" "${names% }"
    lab_assert_within "$label: $ip has one owner, a member" "$T" owner_is_member "$ip" "$nodes"
    lab_assert -m "$label: $ip has exactly one owner" lab_ip_one_owner "$ip"
    lab_assert_within "$label: $ip answers" "$T" lab_ip_answers "$ip"
}

lab_create c1 --node n1 --node n2 --node n3 --ip "$ip/24" >"$LAB_DIR/create.out" 2>&1 || true
lab_assert -m "create: 3-node cluster c1" test "$(lab_result_status "$LAB_DIR/create.out")" = 0
check_cluster "create" "1 2 3"

# --- the stream of one add ---------------------------------------------------------------------
op record add n1 n4
lab_assert -m "record: add n4 succeeds" test "$RC/$ST" = 0/0
check_cluster "record" "1 2 3 4"
op record-evict evict n1 n4
lab_assert -m "record: evict n4 succeeds" test "$ST" = 0
lab_assert_within "record: n4 NotConfigured and clean" "$T" lab_node_is_clean 4 "$ip"
check_cluster "record: evicted" "1 2 3"

mapfile -t pairs < <(sed -n 's/^cb phase=\([0-9]*\) type=\([0-9]*\) .*/\1:\2/p' \
    "$LAB_DIR/record.out" | awk '!seen[$0]++')
final=$(sed -n 's/^cb phase=\([0-9]*\) type=\([0-9]*\) .*/\1:\2/p' "$LAB_DIR/record.out" | tail -1)
lab_assert -m "record: the stream has the add's phases (${#pairs[@]} pairs)" \
    test "$(lab_phase_starts "$LAB_DIR/record.out")" = "1 100 300 301 102 103 104 105 302"
lab_assert -m "record: it ends with 302's End at 100" \
    grep -q "^cb phase=302 type=3 severity=1 percent=100 " "$LAB_DIR/record.out"

# --- cancel at each pair ------------------------------------------------------------------------
for pair in "${pairs[@]}"; do
    label="cancel at $pair"
    op "cancel-$pair" add n1 n4 --cancel-at "$pair"
    out=$LAB_DIR/cancel-$pair.out
    lab_assert -m "$label: the callback was asked to cancel" \
        grep -qx "cancelling at phase=${pair%:*} type=${pair#*:}" "$out"
    if [[ $pair == "$final" ]]; then
        # The add is complete when its final End is reported; nothing is left to cancel.
        lab_assert -m "$label: ignored at the final End: status 0" test "$RC/$ST" = 0/0
        check_cluster "$label" "1 2 3 4"
        op "cancel-$pair-evict" evict n1 n4
        lab_assert -m "$label: evict n4 again" test "$ST" = 0
        lab_assert_within "$label: n4 clean after the evict" "$T" lab_node_is_clean 4 "$ip"
        check_cluster "$label: evicted" "1 2 3"
        continue
    fi
    lab_assert -m "$label: status 1223 (ERROR_CANCELLED), contract kept" test "$RC/$ST" = 1/1223
    next=$(awk '/^cancelling at/ { f = 1; next } f && /^cb / { print; exit }' "$out")
    if [[ ${pair#*:} == 3 ]]; then
        lab_assert -m "$label: no phase starts after the cancel but 999" \
            grep -q '^cb phase=999 type=1 ' <<<"$next"
    else
        lab_assert -m "$label: the cancelled phase ends at once, Fatal, with 1223" \
            grep -q "^cb phase=${pair%:*} type=3 severity=3 .* status=1223\$" <<<"$next"
    fi
    lab_assert -m "$label: FailureCleanup (999) ran to its End" \
        grep -q '^cb phase=999 type=3 ' "$out"
    lab_assert -m "$label: FailureCleanup ended without a Warning" \
        grep -q '^cb phase=999 type=3 severity=1 ' "$out"
    lab_assert -m "$label: n4 NotConfigured" lab_nodeinfo_is 4 state=1
    lab_assert -m "$label: n4 clean" lab_node_is_clean 4 "$ip"
    check_cluster "$label" "1 2 3"
done

# --- re-running the add converges ---------------------------------------------------------------
op again add n1 n4
lab_assert -m "again: add n4 succeeds after all the cancels" test "$RC/$ST" = 0/0
check_cluster "again" "1 2 3 4"
lab_pass "membership_add_cancel"
