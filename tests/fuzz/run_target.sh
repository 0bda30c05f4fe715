#!/usr/bin/env bash
# run_target.sh -- one fuzz target's short run, as ctest runs it (tests/fuzz/CMakeLists.txt):
#   run_target.sh BINARY SOURCE_DIR RUNS_DIR SECONDS
# Fuzzes from the seed corpus (SOURCE_DIR/corpus/NAME, read only) plus a work corpus in
# RUNS_DIR/NAME/corpus that grows from run to run. Exit 0: nothing found; 1: a finding,
# whose reproducer's path is printed; 77 (ctest: skipped): the target is not built.
# The seed is fixed (DIRECTLINE_FUZZ_SEED, default 1): given the same corpus, a run in the
# suite makes the same choices, not ones drawn from the clock; run_long.sh explores.
set -uo pipefail

bin=$1 src=$2 runs=$3 seconds=$4
name=$(basename "$bin")
name=${name#fuzz_}
if [[ ! -x $bin ]]; then
    echo "SKIPPED: $bin is not built; it needs clang with libFuzzer" \
         "(contrib/dev.sh test builds it into build-fuzz/ when clang is installed)"
    exit 77
fi
work=$runs/$name
mkdir -p "$work/corpus" "$work/artifacts"
rm -f "$work/artifacts"/*    # what is there after the run was found by this run

args=(-max_total_time="$seconds" -seed="${DIRECTLINE_FUZZ_SEED:-1}" -timeout=10 -error_exitcode=1 -timeout_exitcode=1
      -print_final_stats=1 -artifact_prefix="$work/artifacts/")
if [[ -f $src/dicts/$name.dict ]]; then
    args+=(-dict="$src/dicts/$name.dict")
fi
"$bin" "${args[@]}" "$work/corpus" "$src/corpus/$name" >"$work/log" 2>&1
rc=$?
grep -E '^(stat::|#[0-9]+ +DONE)' "$work/log" || true
found=$(find "$work/artifacts" -type f | sort)
if [[ $rc -eq 0 && -z $found ]]; then
    echo "fuzz_$name: nothing found in ${seconds}s (log: $work/log)"
    exit 0
fi
# The finding's report: the sanitizer's or the failed check's lines, then how to replay it.
grep -E -A 30 'ERROR: |fuzz check failed|runtime error|Test unit written' "$work/log" | head -n 60
for f in $found; do
    echo "reproducer: $f"
    echo "replay:     $bin $f"
done
[[ -n $found ]] || echo "the target exited with $rc and left no reproducer; see $work/log"
exit 1
