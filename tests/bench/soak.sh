#!/usr/bin/env bash
# soak.sh -- does the server hold steady under long mixed load? NOT part of the test suite
# (ctest does not know it); run it by hand on an otherwise quiet machine:
#
#     cmake -S . -B build && cmake --build build -j2     # a build without sanitizers
#     bash tests/bench/soak.sh                           # 30 minutes; SOAK_MINUTES=5 for a try
#
# It starts a private PostgreSQL on 127.0.0.1 (as the `postgres` user when run as root),
# a database with `directline migrate` + `directline demo`, and `directline serve` on a
# free port; then for SOAK_MINUTES runs SOAK_CLIENTS principals that file, read, list and
# comment, SOAK_SLOW_CLIENTS that send their request heads 16 bytes every 0.1 s and read
# slowly, and SOAK_BAD_CLIENTS that send malformed or refused requests (each must get a
# 4xx). Every SOAK_SAMPLE_SECONDS it prints the server's RSS and open descriptors. At the
# end it prints, comparing the first minute after the warm-up (SOAK_WARMUP_MINUTES, default
# the first fifth, at most 5 min) with the last minute: RSS growth by median (target < 5%),
# growth of the server's own descriptors, its clients' connections aside (target none),
# and errors for good clients (target 0). Everything it started is stopped on exit.
#
# Environment: DIRECTLINE_BIN (default build/backend/directline; a sanitizer build's RSS
# means little), SOAK_MINUTES=30, SOAK_WARMUP_MINUTES, SOAK_CLIENTS=8, SOAK_SLOW_CLIENTS=3,
# SOAK_BAD_CLIENTS=2, SOAK_SAMPLE_SECONDS=5, SOAK_THREADS=8 (--threads), SOAK_OUT_DIR (logs).
set -Eeuo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export DIRECTLINE_BIN="${DIRECTLINE_BIN:-$REPO/build/backend/directline}"
export DIRECTLINE_SQL_DIR="${DIRECTLINE_SQL_DIR:-$REPO/sql}"
if [[ ! -x "$DIRECTLINE_BIN" ]]; then
    echo "soak.sh: no binary at $DIRECTLINE_BIN; build it first (see the top of this file)" >&2
    exit 2
fi
export PYTHONDONTWRITEBYTECODE=1
exec /usr/bin/python3 "$REPO/tests/bench/soak.py"
