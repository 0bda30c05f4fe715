#!/usr/bin/env bash
# run_long.sh -- long fuzzing runs, outside the test suite:
#   tests/fuzz/run_long.sh [-t SECONDS] [-b BUILD_DIR] [TARGET...]
# Runs each named target (all of them when none is named: json_bodies router query
# multipart escaping) for SECONDS (default 600), one after another, from the seed corpus
# plus a work corpus kept in BUILD_DIR/tests/fuzz/long/TARGET/corpus, and prints per target:
# time, executions, executions per second, corpus size, coverage, findings (reproducers in
# .../long/TARGET/artifacts). Exit 1 when any target found something.
# The targets must be built first: CC=clang cmake -S . -B build-fuzz -DDIRECTLINE_FUZZ=ON
#   && cmake --build build-fuzz --target fuzz
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
seconds=600
build="$here/../../build-fuzz"
while getopts "t:b:" opt; do
    case $opt in
        t) seconds=$OPTARG ;;
        b) build=$OPTARG ;;
        *) sed -n '2,10p' "$0" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
targets=("$@")
((${#targets[@]})) || targets=(json_bodies router query multipart escaping)
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

status=0
printf '%-12s %7s %11s %8s %8s %6s  %s\n' target seconds execs exec/s corpus cov findings
for t in "${targets[@]}"; do
    bin="$build/tests/fuzz/fuzz_$t"
    [[ -x $bin ]] || { echo "$t: $bin is not built" >&2; status=1; continue; }
    work="$build/tests/fuzz/long/$t"
    mkdir -p "$work/corpus" "$work/artifacts"
    args=(-max_total_time="$seconds" -timeout=10 -error_exitcode=1 -timeout_exitcode=1
          -print_final_stats=1 -artifact_prefix="$work/artifacts/")
    [[ -f $here/dicts/$t.dict ]] && args+=(-dict="$here/dicts/$t.dict")
    start=$(date +%s)
    "$bin" "${args[@]}" "$work/corpus" "$here/corpus/$t" >"$work/log" 2>&1
    took=$(($(date +%s) - start))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
    per_s=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log")
    cov=$(grep -oE 'cov: [0-9]+' "$work/log" | tail -n 1 | cut -d' ' -f2)
    corpus=$(find "$work/corpus" -type f | wc -l)
    found=$(find "$work/artifacts" -type f | wc -l)
    printf '%-12s %7s %11s %8s %8s %6s  %s\n' "$t" "$took" "${execs:-?}" "${per_s:-?}" \
        "$corpus" "${cov:-?}" "$found"
    if ((found)); then
        status=1
        find "$work/artifacts" -type f -printf '    reproducer: %p\n'
        grep -m 3 -E 'fuzz check failed|runtime error|ERROR: ' "$work/log" | sed 's/^/    /'
    fi
done
exit $status
