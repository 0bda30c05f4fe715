#!/usr/bin/env bash
# report_bench.sh -- how fast is the monthly report (docs/reports.md) on a realistic,
# large history? NOT part of the test suite: ctest does not know it, .ci/run never calls
# it, and it refuses to run when CI is set. Run it by hand, on an otherwise idle machine:
#
#     cmake --build build                      # the binary it times
#     bash tests/bench/report_bench.sh         # as root or as a normal user; ~10-15 min
#
# What it does:
#   1. Starts its own throw-away PostgreSQL 15 (initdb into /tmp/report_bench.pg.*, owned
#      by the `postgres` system user when run as root; 127.0.0.1 on a free port, no unix
#      socket; shared_buffers=2GB, work_mem=64MB, maintenance_work_mem=1GB,
#      max_parallel_workers_per_gather=2, wal_level=minimal (no replicas)). The cluster
#      is stopped and deleted on exit (trap), unless BENCH_KEEP=1.
#   2. `directline migrate`, `directline demo` (reference data: 12 clusters, 250 schools,
#      users, categories), then tests/bench/perf/load.py replaces the demo's issues with
#      BENCH_ISSUES (1,000,000) issues and ~5.9 million events over the 24 whole months
#      before the current one: tests/bench/perf/load_issues.sql (its header says what the
#      histories hold), deterministic for a given BENCH_SEED and BENCH_NOW. fsync,
#      full_page_writes and autovacuum are off for the load only; issue_states is built
#      set-based by the rules of issue_states_rebuild (a sample checked against it); the
#      load ends with VACUUM (ANALYZE), durability on (fsync, full_page_writes,
#      synchronous_commit) and a CHECKPOINT, before anything is timed. At each month-end
#      some 6-8% of all issues filed so far are unresolved (more in the first months; the
#      backlog grows towards the present).
#   3. Times `directline report --month M --format json|html --out /dev/null` for the
#      middle month of the 24 and the latest complete month (BENCH_RUNS runs each, after
#      one untimed run that also prints the report's totals), and prints min/median/max
#      wall seconds, the client's CPU seconds, and PASS/FAIL against BENCH_TARGET_SECONDS
#      (1) for the slowest run. On the private server it also logs one run's statements
#      and prints the server's time for each (log_min_duration_statement = 0, then reset).
#      Each CLI run is a new process with new connections. Then the same reports through
#      the API: `directline serve` on a free port, signed in as the demo supervisor, each
#      GET timed by curl into /dev/null until its last byte as sent, asked as a browser
#      asks (Accept-Encoding: gzip); the bytes, inflated, compared with the CLI's:
#      BENCH_RUNS from the history (report_cache, where a finished month's document is
#      kept gzip-compressed, emptied before each; the run keeps it again, in its time),
#      then BENCH_RUNS answered from the kept copy, the same inflated by curl as it
#      arrives (--compressed), and asked without gzip (the server inflates it); the
#      median of each is printed. Every CLI run empties
#      report_cache first too, so the CLI's figures are computations from the history.
#      Then EXPLAIN (ANALYZE, BUFFERS) of the report's four queries, their SQL and their
#      transaction settings taken from backend/src/db/report_store.c at run time (compiled
#      out of the C source, so it is what the binary runs), PREPAREd and EXECUTEd with the
#      month's parameters and the department scope (custom plans, like PQexecParams).
#   Full plans, the reports and server log go to BENCH_OUT_DIR (a new /tmp dir).
#
# Exit status: 0 whatever the timings; non-zero only when something broke.
#
# Environment:
#   DIRECTLINE_BIN        the binary (default: build/backend/directline of this checkout);
#                         copied to BENCH_OUT_DIR first, so a rebuild meanwhile changes nothing
#   BENCH_DATABASE_URL    use this database instead of a private server, as a superuser
#                         (the load switches triggers and, for its own duration, fsync);
#                         it must be empty (no relations) or not exist yet (then it is
#                         created). Other server settings are then the server's own.
#   BENCH_ISSUES=1000000  BENCH_RUNS=5  BENCH_TARGET_SECONDS=1  BENCH_SEED=0.2026
#   BENCH_TARGET_API_SECONDS=0.2  BENCH_TARGET_KEPT_SECONDS=0.02   the API medians' targets
#   BENCH_NOW             the clock ("2026-11-23 14:00+07"; default: now) for the data
#                         and the reports (passed as --now)
#   BENCH_REUSE=1         with BENCH_DATABASE_URL: a database this script loaded before
#                         (e.g. a BENCH_KEEP server); skip the load, only migrate, VACUUM
#                         (ANALYZE) and time. Give the same BENCH_NOW as for the load.
#   BENCH_OUT_DIR         where results go      BENCH_KEEP=1  leave the server running
#   BENCH_PYTHON          the Python with psycopg2 for load.py (default /usr/bin/python3)
set -Eeuo pipefail

if [[ -n "${CI:-}" && -z "${BENCH_FORCE:-}" ]]; then
    echo "report_bench.sh: a manual benchmark, not for CI (CI is set); skipping"
    exit 0
fi

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIRECTLINE_BIN="${DIRECTLINE_BIN:-$REPO/build/backend/directline}"
export DIRECTLINE_SQL_DIR="${DIRECTLINE_SQL_DIR:-$REPO/sql}"
N="${BENCH_ISSUES:-1000000}"
RUNS="${BENCH_RUNS:-5}"
TARGET="${BENCH_TARGET_SECONDS:-1}"
# Issue #9's targets through the API: the median from the history, and from the kept copy.
TARGET_API="${BENCH_TARGET_API_SECONDS:-0.2}"
TARGET_KEPT="${BENCH_TARGET_KEPT_SECONDS:-0.02}"
SEED="${BENCH_SEED:-0.2026}"
OUT="${BENCH_OUT_DIR:-$(mktemp -d /tmp/report_bench.out.XXXXXX)}"
mkdir -p "$OUT"
TZ_DEPT='Asia/Ho_Chi_Minh'

die() { echo "report_bench.sh: $*" >&2; exit 1; }
say() { printf '\n== %s\n' "$*"; }
is_root() { [[ "$(id -u)" == 0 ]]; }
now_s() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

[[ -x "$DIRECTLINE_BIN" ]] || die "no directline binary at $DIRECTLINE_BIN (build it, or set DIRECTLINE_BIN)"
[[ "$N" =~ ^[0-9]+$ && "$N" -ge 1000 ]] || die "BENCH_ISSUES must be a number >= 1000"
[[ "$RUNS" =~ ^[0-9]+$ && "$RUNS" -ge 1 ]] || die "BENCH_RUNS must be a number >= 1"
command -v cc >/dev/null || die "a C compiler (cc) is needed to read the report's SQL out of report_store.c"
# A copy: a rebuild of build/ during the run must not break it, and every run times the
# same binary.
cp "$DIRECTLINE_BIN" "$OUT/directline"
DIRECTLINE_BIN_SOURCE="$DIRECTLINE_BIN"
DIRECTLINE_BIN="$OUT/directline"

# ------------------------------------------------------------------ the database server

PG_BIN=""
PGTMP=""
PG_STARTED=""
BG_PIDS=()

as_pg() {
    if is_root; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

cleanup() {
    local rc=$?
    for pid in "${BG_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    if [[ -n "$PG_STARTED" ]]; then
        if [[ -n "${BENCH_KEEP:-}" ]]; then
            echo "BENCH_KEEP: the server keeps running: $DB_URL"
            echo "  stop it with: $( is_root && echo 'runuser -u postgres -- ')$PG_BIN/pg_ctl -D $PGTMP/data -m fast stop; rm -rf $PGTMP"
            return
        fi
        cp "$PGTMP/server.log" "$OUT/server.log" 2>/dev/null || true
        as_pg "$PG_BIN/pg_ctl" -D "$PGTMP/data" -m fast -w -t 60 stop >/dev/null 2>&1 \
            || as_pg "$PG_BIN/pg_ctl" -D "$PGTMP/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [[ -n "$PGTMP" && -z "${BENCH_KEEP:-}" ]]; then
        rm -rf "$PGTMP"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_private_server() {
    if [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then
        PG_BIN=/usr/lib/postgresql/15/bin
    else
        PG_BIN="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V | tail -n 1)"
        [[ -x "$PG_BIN/initdb" ]] || die "PostgreSQL server binaries not found (apt-get install postgresql-15)"
        echo "warning: PostgreSQL 15 not found, using $PG_BIN" >&2
    fi
    PGTMP="$(mktemp -d /tmp/report_bench.pg.XXXXXX)"
    chmod 700 "$PGTMP"
    if is_root; then chown postgres:postgres "$PGTMP"; fi
    as_pg "$PG_BIN/initdb" -D "$PGTMP/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
        --no-sync >/dev/null
    local port tries=0
    while :; do
        port=$(( 20000 + RANDOM % 40000 ))
        port_is_free "$port" || continue
        as_pg tee -a "$PGTMP/data/postgresql.conf" >/dev/null <<EOF
# report_bench.sh
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
max_connections = 20
shared_buffers = '2GB'
work_mem = '64MB'
maintenance_work_mem = '1GB'
max_parallel_workers_per_gather = 2
max_parallel_maintenance_workers = 2
wal_level = minimal
max_wal_senders = 0
max_wal_size = '16GB'
checkpoint_timeout = '30min'
timezone = 'UTC'
EOF
        if as_pg "$PG_BIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 60 start >/dev/null; then
            PG_STARTED=1
            break
        fi
        tries=$(( tries + 1 ))
        [[ $tries -lt 5 ]] || { tail -n 20 "$PGTMP/server.log" >&2; die "PostgreSQL did not start"; }
    done
    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "postgresql://postgres@127.0.0.1:$port/postgres" \
        -c "CREATE DATABASE directline_bench" >/dev/null
    DB_URL="postgresql://postgres@127.0.0.1:$port/directline_bench"
    PSQL_BIN="$PG_BIN/psql"
    echo "private PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $PGTMP/data"
}

use_given_database() {
    DB_URL="$BENCH_DATABASE_URL"
    PSQL_BIN="$(command -v psql)" || die "psql not found"
    local err
    if ! err="$("$PSQL_BIN" -X -q -d "$DB_URL" -tAc 'SELECT 1' 2>&1 >/dev/null)"; then
        [[ "$err" == *"does not exist"* && "$DB_URL" =~ ^postgres(ql)?:// ]] \
            || die "cannot connect to BENCH_DATABASE_URL: $err"
        local base="${DB_URL%%\?*}" query="" name admin
        [[ "$DB_URL" == *\?* ]] && query="?${DB_URL#*\?}"
        name="${base##*/}"
        admin="${base%/*}/postgres$query"
        echo "creating database $name"
        "$PSQL_BIN" -X -q -v ON_ERROR_STOP=1 -d "$admin" -c "CREATE DATABASE \"$name\"" >/dev/null
    fi
    local n
    n="$("$PSQL_BIN" -X -q -d "$DB_URL" -tAc "SELECT count(*) FROM pg_class c JOIN pg_namespace s
        ON s.oid = c.relnamespace WHERE s.nspname NOT IN ('pg_catalog', 'information_schema')
        AND s.nspname NOT LIKE 'pg\_toast%' AND s.nspname NOT LIKE 'pg\_temp%'")"
    if [[ -n "${BENCH_REUSE:-}" ]]; then
        [[ "$n" != 0 ]] || die "BENCH_REUSE: the database of BENCH_DATABASE_URL is empty; load it first"
    else
        [[ "$n" == 0 ]] || die "BENCH_DATABASE_URL's database is not empty ($n relations): give an empty or new one"
    fi
    echo "using the database of BENCH_DATABASE_URL (its server's own settings)"
}

psql_db() { "$PSQL_BIN" -X -q -v ON_ERROR_STOP=1 -d "$DB_URL" "$@"; }

PHASES=()
phase() {   # phase NAME command...: run it and remember how long it took
    local name="$1" t0 t1
    shift
    printf -- '-- %s ...\n' "$name"
    t0="$(now_s)"
    "$@"
    t1="$(now_s)"
    PHASES+=("$(printf '%-58s %8s s' "$name" "$(elapsed "$t0" "$t1")")")
    printf -- '   %s: %s s\n' "$name" "$(elapsed "$t0" "$t1")"
}

# ------------------------------------------------------------------ the load

# The data set is tests/bench/perf/load_issues.sql, loaded by tests/bench/perf/load.py
# (which prints its phases; fsync and full_page_writes off for the load only, durability
# on again before it returns).
LOAD_PY="$REPO/tests/bench/perf/load.py"
PYTHON="${BENCH_PYTHON:-/usr/bin/python3}"

load_data() {
    phase "directline migrate" "$DIRECTLINE_BIN" migrate
    phase "directline demo (reference data)" "$DIRECTLINE_BIN" demo
    if ! "$PYTHON" "$LOAD_PY" --admin-url "$DB_URL" --owner-url "$DB_URL" --issues "$N" \
        --seed "$SEED" --now "$NOW_TS" --log "$OUT/load.log" | tee "$OUT/load_phases.txt"; then
        die "tests/bench/perf/load.py failed (see $OUT/load.log)"
    fi
    mapfile -t -O "${#PHASES[@]}" PHASES < <(grep -E ' s$' "$OUT/load_phases.txt" | sed 's/^ *//')
}

vacuum_analyze() {   # for BENCH_REUSE (a fresh load does its own)
    PGOPTIONS="-c maintenance_work_mem=1GB" psql_db -c "VACUUM (ANALYZE)" -c "CHECKPOINT"
}

# ------------------------------------------------------------------ the report

REPORT_NOW_ARGS=()

stats() {   # stats FILE -> "min median max" of the numbers in FILE
    sort -g "$1" | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.3f %.3f %.3f", v[1], m, v[NR] }'
}

show_totals() {   # show_totals MONTH JSONFILE
    local f="$2"
    if command -v jq >/dev/null; then
        jq -r --arg m "$1" '"  \($m): totals \(.totals | tojson)\n  \($m): change \(.change | tojson)\n  \($m): issues listed \(.issues | length); trend \([.trend[] | "\(.month)=\(.unresolved)"] | join(" "))"' "$f"
    else
        echo "  $1: $(grep -o '"totals": *{[^}]*}' "$f" | head -n 1)"
    fi
}

# A finished month's report is kept in report_cache once made (migration 0015): emptied
# before each run that must compute from the history.
forget_reports() { psql_db -c "DELETE FROM report_cache" >/dev/null; }

run_timed() {   # run_timed TIMESFILE CPUFILE args...: one report run from the history, wall and client CPU seconds
    local times="$1" cpu="$2" t0 t1
    shift 2
    forget_reports
    t0="$(now_s)"
    if [[ -x /usr/bin/time ]]; then
        /usr/bin/time -f '%U %S' -o "$OUT/.time" "$DIRECTLINE_BIN" report "$@"
        t1="$(now_s)"
        awk '{ printf "%.2f\n", $1 + $2 }' "$OUT/.time" >>"$cpu"
    else
        "$DIRECTLINE_BIN" report "$@"
        t1="$(now_s)"
    fi
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' >>"$times"
}

# The server's time for each statement of one run of the binary (private server only:
# its log is ours to read).
statement_times() {   # statement_times MONTH FORMAT
    [[ -n "$PG_STARTED" ]] || return 0
    local log="$PGTMP/server.log" n0
    forget_reports
    psql_db -c "ALTER SYSTEM SET log_min_duration_statement = 0" -c "SELECT pg_reload_conf()" >/dev/null
    n0="$(wc -l <"$log")"
    "$DIRECTLINE_BIN" report --month "$1" --format "$2" "${REPORT_NOW_ARGS[@]}" --out /dev/null
    psql_db -c "ALTER SYSTEM RESET log_min_duration_statement" -c "SELECT pg_reload_conf()" >/dev/null
    echo "  $1: server time per statement of one run (parse/bind/execute):"
    tail -n +"$((n0 + 1))" "$log" \
        | grep -oE 'duration: [0-9.]+ ms +(execute|parse|bind) [^:]*: .{0,60}' \
        | awk '{ ms = $2; kind = $4; sub(/^duration: [0-9.]+ ms +(execute|parse|bind) [^:]*: /, "")
                 key = $0; if (!(key in t)) order[++n] = key; t[key] += ms; if (kind == "execute") e[key] = ms }
               END { for (i = 1; i <= n; i++) printf "    %9.1f ms (execute %9.1f)  %s\n", t[order[i]], e[order[i]], order[i] }'
}

time_reports() {
    local month fmt i min med max verdict cpu
    RESULTS=()
    for month in "$MID_MONTH" "$LAST_MONTH"; do
        # One untimed run: the totals, and a warm cache like a server that runs all day.
        "$DIRECTLINE_BIN" report --month "$month" --format json "${REPORT_NOW_ARGS[@]}" \
            --out "$OUT/report-$month.json"
        "$DIRECTLINE_BIN" report --month "$month" --format html "${REPORT_NOW_ARGS[@]}" \
            --out "$OUT/report-$month.html"
        show_totals "$month" "$OUT/report-$month.json"
        echo "  $month: json $(stat -c %s "$OUT/report-$month.json") bytes, html $(stat -c %s "$OUT/report-$month.html") bytes"
        statement_times "$month" json
        for fmt in json html; do
            : >"$OUT/times-$month-$fmt"
            : >"$OUT/cpu-$month-$fmt"
            for ((i = 1; i <= RUNS; i++)); do
                run_timed "$OUT/times-$month-$fmt" "$OUT/cpu-$month-$fmt" \
                    --month "$month" --format "$fmt" "${REPORT_NOW_ARGS[@]}" --out /dev/null
            done
            read -r min med max <<<"$(stats "$OUT/times-$month-$fmt")"
            cpu="n/a"
            [[ -s "$OUT/cpu-$month-$fmt" ]] && cpu="$(stats "$OUT/cpu-$month-$fmt" | awk '{ print $2 }')"
            verdict=$(awk -v m="$max" -v t="$TARGET" 'BEGIN { print (m < t) ? "PASS" : "FAIL" }')
            RESULTS+=("$(printf '%-8s %-5s min %6s  median %6s  max %6s s (client CPU median %s s)  %s: slowest < %s s' \
                "$month" "$fmt" "$min" "$med" "$max" "$cpu" "$verdict" "$TARGET")")
            echo "  ${RESULTS[-1]}"
        done
    done
}

# api_times URL LABEL TARGET CURL_ARGS...: BENCH_RUNS GETs of URL (for LABEL "history",
# each after emptying the kept reports), timed by curl into /dev/null; prints and records
# min/median/max, the bytes sent, and PASS/FAIL against TARGET ("-": none). Uses $token,
# $month and $fmt of the caller.
api_times() {
    local url="$1" label="$2" target="$3" times min med max verdict bytes i
    shift 3
    times="$OUT/api-times-$label-$month-$fmt"
    : >"$times"
    for ((i = 1; i <= RUNS; i++)); do
        [[ "$label" == history ]] && forget_reports
        curl -fs "$@" -H "Authorization: Bearer $token" -o /dev/null \
            -w '%{time_total} %{size_download}\n' "$url" >>"$times" || die "GET $url failed"
    done
    read -r min med max <<<"$(stats "$times")"
    bytes=$(head -n 1 "$times" | cut -d' ' -f2)
    verdict="-"
    [[ "$target" != - ]] && verdict=$(awk -v m="$med" -v t="$target" \
        'BEGIN { print (m <= t) ? "PASS: median <= " t " s" : "FAIL: median <= " t " s" }')
    API_RESULTS+=("$(printf 'API %-8s %-5s %-14s min %6s  median %6s  max %6s s  %9s bytes sent  %s' \
        "$month" "$fmt" "$label" "$min" "$med" "$max" "$bytes" "$verdict")")
    echo "  ${API_RESULTS[-1]}"
}

# The same reports through the API, from a running `directline serve` (pooled, warm
# connections: what a principal or an officer waits for), timed by curl; the bytes are
# compared with the CLI's. The API uses the real clock, so with a BENCH_NOW in the past
# both months are finished months and give the same documents.
time_api_reports() {
    local port tries=0 month fmt url kept
    API_RESULTS=()
    if ! command -v curl >/dev/null; then
        echo "  curl not found: API timings skipped"
        return
    fi
    while :; do
        port=$(( 20000 + RANDOM % 40000 ))
        port_is_free "$port" && break
        (( ++tries < 50 )) || die "no free port for directline serve"
    done
    DIRECTLINE_SWEEP_SECONDS=0 "$DIRECTLINE_BIN" serve --listen "127.0.0.1:$port" \
        >"$OUT/serve.log" 2>&1 &
    local serve_pid=$!
    BG_PIDS+=("$serve_pid")
    for ((tries = 0; tries < 100; tries++)); do
        curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
        sleep 0.1
    done
    token="$(curl -fs -X POST -H 'Content-Type: application/json' \
        -d '{"login": "giamsat1", "password": "hatinh-demo-2026"}' \
        "http://127.0.0.1:$port/api/session" | sed -n 's/.*"token": *"\([^"]*\)".*/\1/p')"
    [[ -n "$token" ]] || { cat "$OUT/serve.log" >&2; die "cannot sign in to directline serve"; }
    for month in "$MID_MONTH" "$LAST_MONTH"; do
        for fmt in json html; do
            url="http://127.0.0.1:$port/api/reports/monthly?month=$month&format=$fmt"
            curl -fs -H "Authorization: Bearer $token" -o "$OUT/api-$month.$fmt" "$url" \
                || die "GET $url failed"
            cmp -s "$OUT/api-$month.$fmt" "$OUT/report-$month.$fmt" \
                || echo "  NOTE: the API's $month $fmt differs from the CLI's (see $OUT/api-$month.$fmt)"
            # From the history (the kept copy emptied before each run; the run keeps its
            # document again, which is part of its time), then from the kept copy, each
            # asked as a browser asks (Accept-Encoding: gzip) and timed until the last byte
            # as sent; the kept copy also inflated by curl as it arrives (--compressed, the
            # client's work inside the time) and asked by a client that takes no gzip (the
            # server inflates it). Timed into /dev/null; the bytes are compared apart.
            api_times "$url" history "$TARGET_API" -H 'Accept-Encoding: gzip'
            api_times "$url" kept "$TARGET_KEPT" -H 'Accept-Encoding: gzip'
            api_times "$url" kept-inflated - --compressed
            api_times "$url" kept-no-gzip - -H 'Accept-Encoding: identity'
            curl -fs --compressed -H "Authorization: Bearer $token" -o "$OUT/api-kept-$month.$fmt" "$url"
            curl -fs -H "Authorization: Bearer $token" -H 'Accept-Encoding: identity' \
                -o "$OUT/api-kept-plain-$month.$fmt" "$url"
            for kept in api-kept api-kept-plain; do
                cmp -s "$OUT/$kept-$month.$fmt" "$OUT/report-$month.$fmt" \
                    || echo "  NOTE: the kept $month $fmt differs from the CLI's (see $OUT/$kept-$month.$fmt)"
            done
        done
    done
    kill "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
}

# The four queries exactly as report_store.c has them: the C preprocessor expands the
# macros, a tiny program prints the strings.
extract_report_sql() {
    local src="$REPO/backend/src/db/report_store.c" dir="$OUT/sql"
    mkdir -p "$dir"
    {
        echo '#include <stdio.h>'
        awk '/^#define (OPEN_AT|IN_SCOPE|REPORT_TRANSACTION)/ { p = 1 }
             p { print } p && !/\\$/ { p = 0 }
             /^static const char [A-Z_]+_SQL\[\] =/ { q = 1 }
             q { print } q && /;[[:space:]]*$/ { q = 0 }' "$src"
        cat <<'EOF'
int main(void)
{
    const char *names[] = {"unresolved", "previous", "resolved", "counts"};
    const char *sql[] = {UNRESOLVED_SQL, PREVIOUS_SQL, RESOLVED_SQL, COUNTS_SQL};
    for (int i = 0; i < 4; i++)
        printf("-- %s\nPREPARE %s AS %s;\n", names[i], names[i], sql[i]);
    fprintf(stderr, "%s;\n", REPORT_TRANSACTION);
    return 0;
}
EOF
    } >"$dir/print_report_sql.c"
    cc -std=c11 -o "$dir/print_report_sql" "$dir/print_report_sql.c" \
        || die "cannot compile the report's SQL out of $src (did its layout change?)"
    "$dir/print_report_sql" >"$dir/prepare.sql" 2>"$dir/begin.sql"
}

explain_month() {   # explain_month YYYY-MM
    local month="$1" y m start end q f
    y="${month%-*}"; m="${month#*-}"
    # The month's bounds as db_report_period computes them: month arithmetic on the
    # Department's wall clock, then back to instants.
    read -r start end <<<"$(psql_db -tA -F ' ' -c "SELECT extract(epoch FROM d AT TIME ZONE '$TZ_DEPT')::bigint,
        extract(epoch FROM (d + interval '1 month') AT TIME ZONE '$TZ_DEPT')::bigint
        FROM (SELECT make_date($y, ${m#0}, 1)::timestamp AS d) b")"
    # as_of = the month's end: both months are complete.
    declare -A args=(
        [unresolved]="$end, NULL" [previous]="$start, NULL"
        [resolved]="$start, NULL, $end" [counts]="$start, NULL, $end")
    for q in unresolved previous resolved counts; do
        f="$OUT/plan-$month-$q.txt"
        {
            echo "SET TIME ZONE 'UTC';"
            # The Department's context, as the report runs with it: issue_states_visible
            # shows nothing without one, and the plans would time empty probes.
            echo "SELECT set_config('directline.context', 'report', false), set_config('directline.reads', 'all', false) \\g /dev/null"
            cat "$OUT/sql/prepare.sql"
            echo '\pset format unaligned'
            echo '\pset tuples_only on'
            cat "$OUT/sql/begin.sql"     # the report's own transaction settings
            echo "EXPLAIN (ANALYZE, BUFFERS) EXECUTE $q(${args[$q]});"
            echo "COMMIT;"
            # Without EXPLAIN's instrumentation: 3 plain runs, rows discarded.
            echo '\o /dev/null'
            cat "$OUT/sql/begin.sql"
            echo '\timing on'
            echo "EXECUTE $q(${args[$q]});"
            echo "EXECUTE $q(${args[$q]});"
            echo "EXECUTE $q(${args[$q]});"
            echo '\timing off'
            echo "COMMIT;"
        } | psql_db >"$f" 2>&1 || { cat "$f" >&2; die "EXPLAIN of $q failed"; }
        echo "  --- $month $q: plain runs $(grep -oE '^Time: [0-9.]+ ms' "$f" | awk '{ printf "%s ms  ", $2 }')"
        # The plan's nodes (rows and times), at most 30, then its totals.
        grep -E '\(cost=|^ *(SubPlan|InitPlan)' "$f" | awk 'NR <= 30' | sed -E 's/\(cost=[^)]*\) //; s/^/    /'
        grep -E '^(Planning|Execution) Time' "$f" | sed 's/^/    /'
    done
}

# ------------------------------------------------------------------ main

T_ALL="$(now_s)"
if [[ -n "${BENCH_DATABASE_URL:-}" ]]; then
    use_given_database
else
    start_private_server
fi
export DATABASE_URL="$DB_URL"
NOW_TS="$(psql_db -tA -c "SELECT to_char(coalesce(nullif('${BENCH_NOW:-}', '')::timestamptz, now()) AT TIME ZONE 'UTC',
    'YYYY-MM-DD HH24:MI:SS.US') || '+00'")"
if [[ -n "${BENCH_NOW:-}" ]]; then REPORT_NOW_ARGS=(--now "$NOW_TS"); fi
read -r MID_MONTH LAST_MONTH <<<"$(psql_db -tA -F ' ' -c "SELECT
    to_char(l - interval '13 months', 'YYYY-MM'), to_char(l - interval '1 month', 'YYYY-MM')
    FROM (SELECT date_trunc('month', '$NOW_TS'::timestamptz AT TIME ZONE '$TZ_DEPT') AS l) x")"
echo "binary: $DIRECTLINE_BIN_SOURCE (sha256 $(sha256sum "$DIRECTLINE_BIN" | cut -c1-16), copied to $DIRECTLINE_BIN)"
echo "now: $NOW_TS; data: the 24 months before $(psql_db -tA -c "SELECT to_char(date_trunc('month', '$NOW_TS'::timestamptz AT TIME ZONE '$TZ_DEPT'), 'YYYY-MM')"); results in $OUT"

say "load"
T_LOAD="$(now_s)"
if [[ -n "${BENCH_REUSE:-}" ]]; then
    phase "directline migrate (reused data)" "$DIRECTLINE_BIN" migrate
    phase "VACUUM (ANALYZE), CHECKPOINT" vacuum_analyze
else
    load_data
fi
LOAD_SECONDS="$(elapsed "$T_LOAD" "$(now_s)")"

say "data"
psql_db -c "SELECT (SELECT count(*) FROM issues) AS issues, (SELECT count(*) FROM issue_events) AS events,
                   round((SELECT count(*) FROM issue_events)::numeric / (SELECT count(*) FROM issues), 2) AS events_per_issue,
                   (SELECT count(*) FROM issue_states) AS states,
                   (SELECT count(*) FROM issue_states WHERE status IN ('new', 'triaged', 'in_progress', 'awaiting_school')) AS open_states,
                   pg_size_pretty(pg_database_size(current_database())) AS db_size" \
        -c "SELECT status, count(*) FROM issues GROUP BY 1 ORDER BY 2 DESC" \
        -c "SELECT action, count(*) FROM issue_events GROUP BY 1 ORDER BY 2 DESC"

# Unresolved at each month-end (as the report counts it) against all filed before it.
psql_db -c "SET TIME ZONE 'UTC'" -c "SELECT to_char(m.t AT TIME ZONE '$TZ_DEPT' - interval '1 day', 'YYYY-MM') AS month,
        (SELECT count(*) FROM issues i WHERE i.created_at < m.t) AS filed_before_end,
        (SELECT count(*) FROM issues i WHERE i.created_at < m.t AND i.created_at >= m.t - interval '1 month') AS filed_in_month,
        (SELECT count(*) FROM issue_states st WHERE st.unresolved_during @> m.t) AS unresolved_at_end
   FROM (SELECT (date_trunc('month', '$NOW_TS'::timestamptz AT TIME ZONE '$TZ_DEPT') - k * interval '1 month')
                AT TIME ZONE '$TZ_DEPT' AS t FROM generate_series(0, 23) AS k) m ORDER BY m.t" \
        >"$OUT/month_ends.txt"
awk 'NR <= 2 { print; next } /^ 20[0-9][0-9]-/ { split($0, f, "|"); printf "%s | %5.1f%% of filed so far\n", $0, 100 * f[4] / f[2]; next } { print }' \
    "$OUT/month_ends.txt"

say "report timings ($RUNS runs each, wall seconds of the whole process, department scope; load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
time_reports

say "report timings through the API ($RUNS runs each, curl's total seconds, department scope)"
time_api_reports

say "plans (EXPLAIN (ANALYZE, BUFFERS) of report_store.c's queries; full plans in $OUT/plan-*.txt)"
extract_report_sql
explain_month "$MID_MONTH"
explain_month "$LAST_MONTH"

say "summary"
printf '%s\n' "${PHASES[@]}"
printf '%-58s %8s s\n' "load in all" "$LOAD_SECONDS"
printf '%s\n' "${RESULTS[@]}" "${API_RESULTS[@]}"
printf 'whole benchmark: %s s; results in %s\n' "$(elapsed "$T_ALL" "$(now_s)")" "$OUT"
exit 0
