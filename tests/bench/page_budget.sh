#!/usr/bin/env bash
# page_budget.sh -- how long does the principal's home take to show on Lighthouse's
# "Slow 4G" (docs/web-app.md, Budget: under 2 s)? NOT part of the test suite (ctest does
# not know it; it refuses to run when CI is set): the browser test budget.test.js checks
# the bytes only. Run it by hand on an otherwise idle machine:
#
#     cmake --build build && (cd tests/e2e && npm ci) && bash tests/bench/page_budget.sh
#
# It runs page_budget.bench.js through tests/e2e/run.js, which starts a private stack
# (PostgreSQL, migrate, demo, serve) and stops it afterwards, and prints each run's time
# and bytes and the median time. Exit status: 0 whatever the figures.
#
# Environment:
#   DIRECTLINE_BIN   the binary (default: build/backend/directline of this checkout)
#   BENCH_RUNS=5     measurements, each with a cold cache
set -Eeuo pipefail

if [[ -n "${CI:-}" && -z "${BENCH_FORCE:-}" ]]; then
    echo "page_budget.sh: a manual benchmark, not for CI (CI is set); skipping"
    exit 0
fi

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export DIRECTLINE_BIN="${DIRECTLINE_BIN:-$REPO/build/backend/directline}"
export DIRECTLINE_E2E_ARTIFACTS="${DIRECTLINE_E2E_ARTIFACTS:-$(mktemp -d /tmp/page_budget.out.XXXXXX)}"
cd "$REPO/tests/e2e"
exec node run.js "$REPO/tests/bench/page_budget.bench.js"
