#!/usr/bin/env bash
# sign_in_flood.sh -- does a flood of sign-ins stall everyone else? NOT part of the test
# suite (ctest does not know it; it refuses to run when CI is set). Run it by hand:
#
#     cmake --build build && bash tests/bench/sign_in_flood.sh     # ~1-2 min
#
# What it does:
#   The clients are tests/bench/sign_in_flood.py.
#   1. Starts a throw-away PostgreSQL (initdb into /tmp, 127.0.0.1 on a free port, owned
#      by the `postgres` system user when run as root; stopped and deleted on exit),
#      `directline migrate`, `directline demo` (users with the demo password), and
#      `directline serve` on a free port (default --threads 8).
#   2. Unknown against known logins: BENCH_TIMING_TRIES sign-ins with a wrong password
#      for a known login and as many for unknown logins, one at a time, alternating; prints
#      the median and mean of each and their ratio (the target: within 10%).
#   3. The flood: BENCH_CLIENTS (150) clients sign in over and over for BENCH_SECONDS
#      (20), alternating a wrong and the right password, each from its own loopback
#      address (127.1.x.y) and for its own login, so that throttling never answers for
#      the server (every try reaches its password check: the worst case). Meanwhile
#      another process, signed in before the flood, asks GET /api/me every 50 ms whether
#      or not the earlier ones were answered (on up to 16 kept-alive connections), so a
#      stall counts as every request it delays; prints their p50 / p99 / max (the target:
#      p99 < 100 ms), and the flood's answers by status. The same figures as the server
#      timed the requests (its log) follow: on a loaded machine the client's own waits for
#      a CPU are in the first figures only, and a request waiting for a busy worker to
#      read it is in the first figures only too.
#
# Exit status: 0 whatever the figures; non-zero only when something broke.
#
# Environment:
#   DIRECTLINE_BIN      the binary (default: build/backend/directline of this checkout)
#   BENCH_CLIENTS=150   BENCH_SECONDS=20   BENCH_TIMING_TRIES=40   BENCH_THREADS=8
#   BENCH_OUT_DIR       where the server's log and raw figures go (default: a new /tmp dir)
set -Eeuo pipefail

if [[ -n "${CI:-}" && -z "${BENCH_FORCE:-}" ]]; then
    echo "sign_in_flood.sh: a manual benchmark, not for CI (CI is set); skipping"
    exit 0
fi

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIRECTLINE_BIN="${DIRECTLINE_BIN:-$REPO/build/backend/directline}"
export DIRECTLINE_SQL_DIR="${DIRECTLINE_SQL_DIR:-$REPO/sql}"
CLIENTS="${BENCH_CLIENTS:-150}"
SECONDS_="${BENCH_SECONDS:-20}"
TRIES="${BENCH_TIMING_TRIES:-40}"
THREADS="${BENCH_THREADS:-8}"
OUT="${BENCH_OUT_DIR:-$(mktemp -d /tmp/sign_in_flood.out.XXXXXX)}"
mkdir -p "$OUT"
PYTHON=/usr/bin/python3

die() { echo "sign_in_flood.sh: $*" >&2; exit 1; }
say() { printf '\n== %s\n' "$*"; }
is_root() { [[ "$(id -u)" == 0 ]]; }
port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
    local port
    while :; do
        port=$(( 20000 + RANDOM % 40000 ))
        port_is_free "$port" && { echo "$port"; return; }
    done
}
as_pg() { if is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

[[ -x "$DIRECTLINE_BIN" ]] || die "no directline binary at $DIRECTLINE_BIN (build it, or set DIRECTLINE_BIN)"
"$PYTHON" -c 'import requests' 2>/dev/null || die "$PYTHON with requests is needed (python3-requests)"

PG_BIN="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V | tail -n 1)"
[[ -x "$PG_BIN/initdb" ]] || die "PostgreSQL server binaries not found (apt-get install postgresql)"
PGTMP=""
SERVE_PID=""

cleanup() {
    local rc=$?
    [[ -n "$SERVE_PID" ]] && { kill "$SERVE_PID" 2>/dev/null; wait "$SERVE_PID" 2>/dev/null || true; }
    if [[ -n "$PGTMP" ]]; then
        as_pg "$PG_BIN/pg_ctl" -D "$PGTMP/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
        rm -rf "$PGTMP"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_postgres() {
    PGTMP="$(mktemp -d /tmp/sign_in_flood.pg.XXXXXX)"
    chmod 700 "$PGTMP"
    if is_root; then chown postgres:postgres "$PGTMP"; fi
    as_pg "$PG_BIN/initdb" -D "$PGTMP/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
        --no-sync >/dev/null
    as_pg tee -a "$PGTMP/data/postgresql.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 50
synchronous_commit = off
timezone = 'UTC'
EOF
    local port tries
    for ((tries = 0; ; tries++)); do
        # A later line wins: each try appends its port.
        port="$(free_port)"
        echo "port = $port" | as_pg tee -a "$PGTMP/data/postgresql.conf" >/dev/null
        as_pg "$PG_BIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 60 start \
            >/dev/null && break
        (( tries < 5 )) || { tail -n 20 "$PGTMP/server.log" >&2; die "PostgreSQL did not start"; }
    done
    # As deployed: an owner migrates, the server's role owns nothing (row-level security).
    local sql
    for sql in "CREATE ROLE directline_owner LOGIN" "CREATE ROLE directline_app LOGIN" \
               "CREATE DATABASE directline_bench OWNER directline_owner"; do
        "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
            -d "postgresql://postgres@127.0.0.1:$port/postgres" -c "$sql" >/dev/null
    done
    export DATABASE_URL="postgresql://directline_app@127.0.0.1:$port/directline_bench"
    export DATABASE_OWNER_URL="postgresql://directline_owner@127.0.0.1:$port/directline_bench"
}

start_server() {
    local tries attempt
    for ((attempt = 0; attempt < 5; attempt++)); do
        PORT="$(free_port)"
        DIRECTLINE_SWEEP_SECONDS=0 "$DIRECTLINE_BIN" serve --listen "127.0.0.1:$PORT" \
            --threads "$THREADS" >"$OUT/serve.log" 2>&1 &
        SERVE_PID=$!
        for ((tries = 0; tries < 100; tries++)); do
            kill -0 "$SERVE_PID" 2>/dev/null || break      # the port was taken meanwhile
            curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return
            sleep 0.1
        done
        kill "$SERVE_PID" 2>/dev/null || true
        wait "$SERVE_PID" 2>/dev/null || true
        SERVE_PID=""
    done
    tail -n 20 "$OUT/serve.log" >&2
    die "directline serve did not start"
}


echo "binary: $DIRECTLINE_BIN (sha256 $(sha256sum "$DIRECTLINE_BIN" | cut -c1-16)); results in $OUT"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs"
say "set-up"
start_postgres
"$DIRECTLINE_BIN" migrate >"$OUT/migrate.log" 2>&1 || { cat "$OUT/migrate.log" >&2; die "migrate failed"; }
"$DIRECTLINE_BIN" demo >"$OUT/demo.log" 2>&1 || { cat "$OUT/demo.log" >&2; die "demo failed"; }
start_server
echo "directline serve on 127.0.0.1:$PORT, --threads $THREADS"

say "unknown against known logins (one at a time)"
"$PYTHON" "$REPO/tests/bench/sign_in_flood.py" "http://127.0.0.1:$PORT" timing "$TRIES"

say "flood: $CLIENTS clients signing in for $SECONDS_ s, GET /api/me meanwhile"
"$PYTHON" "$REPO/tests/bench/sign_in_flood.py" "http://127.0.0.1:$PORT" flood "$CLIENTS" "$SECONDS_" "$OUT/me_ms.txt"
# The same requests as the server timed them (from the request's head to its answer),
# without the client's own waits for a CPU: its log line "GET /api/me 200 1.7ms 127.0.0.1 giamsat1".
grep -E ' GET /api/me 200 [0-9.]+ms [^ ]+ giamsat1$' "$OUT/serve.log" | grep -oE '[0-9.]+ms' | tr -d ms \
    | sort -g | awk '{ v[NR] = $1 } END { i = int(NR * 0.99 + 0.5); if (i < 1) i = 1
        printf "GET /api/me as the server timed it: %d requests; p50 %.1f ms  p99 %.1f ms  max %.1f ms\n",
               NR, v[int(NR * 0.5 + 0.5)], v[i], v[NR] }'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit 0
