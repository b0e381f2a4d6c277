#!/usr/bin/env bash
# run.sh [TARGET...] — builds the libFuzzer targets (clang, in $FUZZ_BUILD_DIR, default
# build-fuzz) if needed, then for each target (all by default; a TARGET is "wire" or "fuzz_wire"):
#   1. the regression pass: every file of tests/fuzz/corpus/<target>/ once;
#   2. a timed run of FUZZ_SECONDS seconds (default 10; 0 skips it) from that corpus, new inputs
#      going to a scratch directory. A crash, leak, timeout or broken invariant fails the target
#      and its input is kept in tests/fuzz/corpus/<target>/ — commit it with the fix.
# Prints "=== PASS|FAIL fuzz_<name> ..." per pass and ends with "N passed, N failed"; exits 1 if
# any failed or none ran. Longer runs: FUZZ_SECONDS=600 tests/fuzz/run.sh cdb_cmd
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${FUZZ_SECONDS:-10}
passed=0 failed=0

summary() {
    printf '%d passed, %d failed\n' "$passed" "$failed"
}

if [[ ! -f $build/build.ninja ]]; then
    mkdir -p "$build"
    CC=clang meson setup "$build" "$root" -Dfuzz=true -Dtests=false \
        >"$build/fuzz-setup.log" 2>&1 || {
        tail -20 "$build/fuzz-setup.log"
        failed=1
        summary
        exit 1
    }
fi

# One line per target: name, then its regression command (program and arguments), tab-separated.
mapfile -t tests < <(meson introspect "$build" --tests | python3 -c '
import json, sys
for t in json.load(sys.stdin):
    if "clusapi:fuzz" in t["suite"]:
        print("\t".join([t["name"]] + t["cmd"]))
')
selected=()
for line in "${tests[@]}"; do
    name=${line%%$'\t'*}
    if (($# == 0)); then
        selected+=("$line")
        continue
    fi
    for want in "$@"; do
        [[ $name == "$want" || $name == "fuzz_$want" ]] && selected+=("$line")
    done
done
if ((${#selected[@]} == 0)); then
    echo "run.sh: no fuzz target to run" >&2
    summary
    exit 1
fi

targets=()
for line in "${selected[@]}"; do
    targets+=("tests/fuzz/${line%%$'\t'*}")
done
if ! ninja -C "$build" "${targets[@]}" >"$build/fuzz-build.log" 2>&1; then
    tail -40 "$build/fuzz-build.log"
    failed=$((failed + ${#selected[@]}))
    summary
    exit 1
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/clusapi-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

verdict() { # name, what, ok (0/1)
    if (($3 == 0)); then
        passed=$((passed + 1))
        printf '=== PASS %s (%s)\n' "$1" "$2"
    else
        failed=$((failed + 1))
        printf '=== FAIL %s (%s)\n' "$1" "$2"
    fi
}

for line in "${selected[@]}"; do
    IFS=$'\t' read -r -a cmd <<<"$line"
    name=${cmd[0]}
    exe=${cmd[1]}
    args=("${cmd[@]:2}") # -runs=0 -max_len=N CORPUS
    corpus=${args[-1]}
    log=$scratch/$name.log

    rc=0
    "$exe" "${args[@]}" >"$log" 2>&1 || rc=$?
    n=$(find "$corpus" -type f | wc -l)
    verdict "$name" "regression: $n inputs" "$rc"
    ((rc == 0)) || tail -30 "$log"

    ((seconds > 0)) || continue
    mkdir -p "$scratch/$name"
    rc=0
    nice -n 10 "$exe" "${args[@]:1:${#args[@]}-2}" -max_total_time="$seconds" -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$corpus/" "$scratch/$name" "$corpus" \
        >"$log" 2>&1 || rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    if ((rc != 0)); then
        kept=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
        verdict "$name" "${execs:-?} execs; input kept in ${kept:-?}" 1
        grep -E 'ERROR|invariant broken|SUMMARY|#[0-9]+ 0x' "$log" | head -20
    else
        verdict "$name" "${execs:-0} execs" 0
    fi
done
summary
((failed == 0 && passed > 0))
