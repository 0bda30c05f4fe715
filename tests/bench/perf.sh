#!/usr/bin/env bash
# perf.sh -- the performance benchmark of issue #9: how many requests a second the server
# answers, beside pgbench running the same SQL and the minimal floor, on one machine in
# one run. NOT part of the test suite (ctest does not know it; it refuses to run when CI
# is set). Run it by hand on an otherwise quiet machine:
#
#     bash tests/bench/perf.sh                       # 100,000 issues, 20 s per run
#     bash tests/bench/perf.sh --issues 2000 --seconds 3 --scenarios read,file
#     bash tests/bench/perf.sh --help                # every option
#
# Installs wrk when it is missing (apt, as root), builds a release binary into
# build-bench/ (-O2, no sanitizers), then hands its arguments to tests/bench/perf/run.py,
# which prints the table and the path of its JSON.

set -euo pipefail

die() { printf 'perf.sh: %s\n' "$*" >&2; exit 1; }

[[ -z "${CI:-}" ]] || die "not in CI: a benchmark prints figures, it is no test"
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

if ! command -v wrk >/dev/null; then
    [[ $EUID -eq 0 ]] || die "wrk is missing: apt-get install wrk (as root), then run again"
    DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >&2
fi
command -v pgbench >/dev/null || die "pgbench is missing (Debian: postgresql-contrib)"

build="$repo/build-bench"
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DDIRECTLINE_SANITIZE=OFF \
      "-DCMAKE_C_FLAGS_RELEASE=-O2 -DNDEBUG" >/dev/null
cmake --build "$build" -j "$(nproc)" --target directline >/dev/null

export DIRECTLINE_BIN="$build/backend/directline"
exec /usr/bin/python3 "$repo/tests/bench/perf/run.py" "$@"
