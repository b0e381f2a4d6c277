#!/bin/bash
# run.sh [SCENARIO...] — runs lab scenarios, each in its own process under a time limit
# (LAB_SCENARIO_TIMEOUT seconds, default 120).  With no argument: selftest.sh, then every
# tests/lab/scenario_*.sh in name order.  A SCENARIO is a path, a file name in tests/lab, or
# the part after "scenario_" (e.g. "10_create").  Exit status of a scenario: 0 pass, 77 skip,
# anything else fail.  Ends with one line "N passed, N failed, N skipped"; exits 1 if any
# failed or none ran.  A lab left behind by a scenario that was killed is torn down here.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lab.sh
source "$here/lab.sh"

timeout_s=${LAB_SCENARIO_TIMEOUT:-120}
exec {stderr_fd}>&2
passed=0
failed=0
skipped=0
current=

find_scenario() {
    local a=$1 cand
    for cand in "$a" "$here/$a" "$here/$a.sh" "$here/scenario_$a.sh"; do
        if [[ -f $cand ]]; then
            printf '%s\n' "$cand"
            return 0
        fi
    done
    return 1
}

summary() {
    printf '%d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
}

on_signal() {
    exec 2>&"$stderr_fd" # the trap may fire inside the 2>/dev/null around wait
    printf 'run.sh: interrupted by SIG%s\n' "$1" >&2
    if [[ -n $current ]]; then
        # timeout(1) passes the TERM on to the scenario, whose trap tears its lab down.
        { kill -TERM "$current" && wait "$current"; } 2>/dev/null || true
        failed=$((failed + 1))
    fi
    lab_recover "$LAB_REGISTRY"
    rm -f "$LAB_REGISTRY"
    summary
    exit "$2"
}

run_one() {
    local script=$1 name rc=0 t0 ms
    name=$(basename "$script" .sh)
    printf '=== RUN %s\n' "$name"
    t0=${EPOCHREALTIME//[!0-9]/}
    timeout -k "${LAB_KILL_AFTER:-15}" "$timeout_s" bash "$script" &
    current=$!
    { wait "$current" || rc=$?; } 2>/dev/null # no job notice when timeout(1) is killed
    current=
    ms=$(((${EPOCHREALTIME//[!0-9]/} - t0) / 1000))
    lab_recover "$LAB_REGISTRY"
    : >"$LAB_REGISTRY"
    case $rc in
    0)
        passed=$((passed + 1))
        printf '=== PASS %s (%d.%03d s)\n' "$name" $((ms / 1000)) $((ms % 1000))
        ;;
    77)
        skipped=$((skipped + 1))
        printf '=== SKIP %s\n' "$name"
        ;;
    124 | 137)
        failed=$((failed + 1))
        printf '=== FAIL %s: timed out after %s s\n' "$name" "$timeout_s"
        ;;
    *)
        failed=$((failed + 1))
        printf '=== FAIL %s: exit %d\n' "$name" "$rc"
        ;;
    esac
}

scripts=()
if (($#)); then
    for a in "$@"; do
        if s=$(find_scenario "$a"); then
            scripts+=("$s")
        else
            printf '=== FAIL %s: no such scenario\n' "$a"
            failed=$((failed + 1))
        fi
    done
else
    shopt -s nullglob
    scripts=("$here/selftest.sh" "$here"/scenario_*.sh)
    shopt -u nullglob
fi

LAB_REGISTRY=$(mktemp "${TMPDIR:-/tmp}/clusapi-lab-registry.XXXXXX")
export LAB_REGISTRY
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM

for s in "${scripts[@]}"; do
    run_one "$s"
done
rm -f "$LAB_REGISTRY"
summary
((failed == 0 && passed > 0))
