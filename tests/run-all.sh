#!/usr/bin/env bash
# Installs what is missing, builds clusapi twice (plain, and with AddressSanitizer and
# UndefinedBehaviorSanitizer), runs the unit tests in both builds and the namespace-lab scenarios
# against the plain build, then the fuzz targets (clang; their corpora once, then FUZZ_SECONDS
# each, default 10), and ends with one line: "N passed, N failed, N skipped".
# Must run as root (the lab creates network namespaces).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
bash scripts/install-deps.sh || { echo "cannot install the dependencies"; exit 1; }

passed=0 failed=0 skipped=0
count_meson() { # adds meson test's summary of build dir $1 to the totals
    local log=$1/meson-logs/testlog.txt ok fail skip
    ok=$(grep -E '^Ok: ' "$log" | awk '{print $2}')
    fail=$(grep -E '^(Fail|Unexpected Pass|Timeout): ' "$log" | awk '{s += $2} END {print s + 0}')
    skip=$(grep -E '^Skipped: ' "$log" | awk '{print $2}')
    passed=$((passed + ${ok:-0})) failed=$((failed + ${fail:-0})) skipped=$((skipped + ${skip:-0}))
}
build() { # build dir, meson options...
    local dir=$1
    shift
    if [[ ! -d $dir ]]; then
        meson setup "$dir" "$@" --werror >/dev/null || return 1
    fi
    ninja -C "$dir" >"$dir.build.log" 2>&1 || { tail -40 "$dir.build.log"; return 1; }
}

echo "== build"
if ! build build; then
    echo "0 passed, 1 failed"
    exit 1
fi
echo "== unit tests"
meson test -C build --suite unit --print-errorlogs --num-processes 2 | tail -12
count_meson build

echo "== unit tests under AddressSanitizer + UndefinedBehaviorSanitizer"
if build build-asan -Db_sanitize=address,undefined -Db_lundef=false; then
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        meson test -C build-asan --suite unit --print-errorlogs --num-processes 2 | tail -12
    count_meson build-asan
else
    failed=$((failed + 1))
fi

count_script() { # runs a script that ends with "N passed, N failed[, N skipped]"; adds it up
    local out summary
    out=$(mktemp)
    "$@" 2>&1 | tee "$out"
    summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -1)
    rm -f "$out"
    if [[ $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)? ]]; then
        passed=$((passed + BASH_REMATCH[1])) failed=$((failed + BASH_REMATCH[2]))
        skipped=$((skipped + ${BASH_REMATCH[4]:-0}))
    else
        failed=$((failed + 1))
    fi
}

echo "== lab scenarios"
BUILD_DIR="$ROOT/build" count_script bash tests/lab/run.sh

echo "== fuzz targets"
count_script bash tests/fuzz/run.sh

echo "$passed passed, $failed failed, $skipped skipped"
((failed == 0 && passed > 0))
