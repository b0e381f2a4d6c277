#!/usr/bin/env bash
# Installs what is missing, builds clusapi twice (plain, and with AddressSanitizer and
# UndefinedBehaviorSanitizer), runs the unit tests in both builds and under valgrind memcheck
# (plain build), the namespace-lab scenarios against the sanitizer build (any sanitizer report
# from a daemon or tool fails its scenario), one lab scenario under valgrind, then the fuzz
# targets (clang; their corpora once, then FUZZ_SECONDS each, default 10); ends with one line:
# "N passed, N failed, N skipped".
# Must run as root (the lab creates network namespaces).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
bash scripts/install-deps.sh || { echo "cannot install the dependencies"; exit 1; }

# The lab scenario that also runs under valgrind: a cluster created, every API call and clusctl
# command given bad input, the nodes stopped (their leak check runs at exit).
VALGRIND_SCENARIO=${VALGRIND_SCENARIO:-bad_input}

passed=0 failed=0 skipped=0
# Every line that reports a failure, repeated at the end: CI keeps only the tail of the output.
failures=$(mktemp)
trap 'rm -f "$failures"' EXIT
count_meson() { # adds the summary of meson test's log $1 to the totals
    local log=$1 ok fail skip
    ok=$(grep -E '^Ok: ' "$log" | awk '{print $2}')
    fail=$(grep -E '^(Fail|Unexpected Pass|Timeout): ' "$log" | awk '{s += $2} END {print s + 0}')
    skip=$(grep -E '^Skipped: ' "$log" | awk '{print $2}')
    passed=$((passed + ${ok:-0})) failed=$((failed + ${fail:-0})) skipped=$((skipped + ${skip:-0}))
}
count_summary() { # adds the last "N passed, N failed[, N skipped]" line of file $1 to the totals
    local summary
    summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
    if [[ $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)? ]]; then
        passed=$((passed + BASH_REMATCH[1])) failed=$((failed + BASH_REMATCH[2]))
        skipped=$((skipped + ${BASH_REMATCH[4]:-0}))
    else
        failed=$((failed + 1))
    fi
}
build() { # build dir, meson options...
    local dir=$1
    shift
    if [[ ! -d $dir ]]; then
        meson setup "$dir" "$@" --werror >/dev/null || return 1
    fi
    ninja -C "$dir" >"$dir.build.log" 2>&1 || { tail -40 "$dir.build.log"; return 1; }
}
lab() { # BUILD-DIR [run.sh arguments...] — runs lab scenarios and counts them
    local out
    out=$(mktemp)
    BUILD_DIR="$ROOT/$1" bash tests/lab/run.sh "${@:2}" 2>&1 | tee "$out"
    grep -E '^(=== )?FAIL' "$out" >>"$failures"
    count_summary "$out"
    rm -f "$out"
}

echo "== build"
if ! build build; then
    echo "0 passed, 1 failed"
    exit 1
fi
echo "== unit tests"
meson test -C build --suite unit --print-errorlogs --num-processes 2 | tail -12
count_meson build/meson-logs/testlog.txt

echo "== unit tests under valgrind memcheck"
meson test -C build --setup valgrind --suite unit --print-errorlogs --num-processes 2 | tail -12
count_meson build/meson-logs/testlog-valgrind.txt

echo "== unit tests under AddressSanitizer + UndefinedBehaviorSanitizer"
if build build-asan -Db_sanitize=address,undefined -Db_lundef=false; then
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        meson test -C build-asan --suite unit --print-errorlogs --num-processes 2 | tail -12
    count_meson build-asan/meson-logs/testlog.txt

    # Against the sanitizer build only: the plain build's lab run would add ~6 minutes and find
    # nothing this one misses, apart from timing, which the valgrind run below also shifts.
    # Under the sanitizers a lab round costs about twice what it does in the plain build, so the
    # soaks run fewer rounds than their defaults (every check still runs each round; the long
    # runs are in tests/lab/README.md): the chaos soak 10 on each topology, the failover soak 30,
    # which keeps the whole run near half an hour. The time limit only catches a hung scenario:
    # doubled for the same reason.
    echo "== lab scenarios (AddressSanitizer + UndefinedBehaviorSanitizer build)"
    SOAK_ROUNDS=${SOAK_ROUNDS:-30} CHAOS_ROUNDS=${CHAOS_ROUNDS:-10} \
        LAB_SCENARIO_TIMEOUT=${LAB_SCENARIO_TIMEOUT:-240} lab build-asan
else
    failed=$((failed + 1))
fi

echo "== lab scenario $VALGRIND_SCENARIO under valgrind memcheck (plain build)"
LAB_VALGRIND=1 lab build "$VALGRIND_SCENARIO"

echo "== fuzz targets"
fuzz_out=$(mktemp)
bash tests/fuzz/run.sh 2>&1 | tee "$fuzz_out"
grep -E '^=== FAIL' "$fuzz_out" >>"$failures"
count_summary "$fuzz_out"
rm -f "$fuzz_out"

if [[ -s $failures ]]; then
    echo "== what failed (unit tests: see the meson logs above)"
    head -60 "$failures"
fi
echo "$passed passed, $failed failed, $skipped skipped"
((failed == 0 && passed > 0))
