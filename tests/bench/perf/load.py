# load.py -- loads the benchmarks' data set (load_issues.sql, N issues with their histories)
# into a database that `directline migrate` and `directline demo` prepared, leaves it as
# the server expects it (indexes, triggers, issue_states, reference counters, statistics,
# durability on) and says how long each phase took. Used by tests/bench/perf/run.py
# (`load(owner_url, admin_url, issues)`) and tests/bench/report_bench.sh (the command line).
# Not part of the test suite.

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psycopg2

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "api"))
import conftest as harness                      # noqa: E402

SQL_FILE = HERE / "load_issues.sql"
# Issues whose set-based states are compared with the production replay (step check).
CHECK_SAMPLE = 2000

# Server-wide for the load only, put back as they were afterwards.
LOAD_SETTINGS = {"fsync": "off", "full_page_writes": "off", "autovacuum": "off",
                 "max_wal_size": "16GB", "checkpoint_timeout": "30min"}
# What the load leaves, whatever was configured before: nothing is timed without these.
DURABLE_SETTINGS = {"fsync": "on", "full_page_writes": "on", "synchronous_commit": "on"}
# The load's own sessions. No JIT: compiling the generator's wide expressions takes some
# 30 s whatever the size (measured: the plan step of 3,000 issues, 33 s with, 1.7 s without).
SESSION_OPTIONS = ("-c synchronous_commit=off -c work_mem=64MB -c maintenance_work_mem=1GB"
                   " -c max_parallel_maintenance_workers=2 -c jit=off")


def psql_binary():
    try:
        return os.path.join(harness.find_pg_bindir(), "psql")
    except RuntimeError:
        found = shutil.which("psql")
        if not found:
            raise RuntimeError("psql not found (apt-get install postgresql-client)")
        return found


class Loader:
    def __init__(self, admin_url, log_path, echo):
        self.admin_url = admin_url
        self.psql = psql_binary()
        self.log_path = log_path
        self.echo = echo
        self.phases = []
        self.check_line = None

    def connect(self, load_session=True):
        options = SESSION_OPTIONS if load_session else ""
        conn = psycopg2.connect(self.admin_url, connect_timeout=10, options=options)
        conn.autocommit = True
        return conn

    def sql(self, *statements):
        conn = self.connect()
        try:
            with conn.cursor() as cur:
                for statement in statements:
                    cur.execute(statement)
        finally:
            conn.close()

    def step_process(self, step, variables):
        """A psql running one step of load_issues.sql, its output appended to the log."""
        args = [self.psql, "-X", "-q", "-d", self.admin_url, "-v", f"step={step}"]
        for name, value in variables.items():
            args += ["-v", f"{name}={value}"]
        args += ["-f", str(SQL_FILE)]
        env = dict(os.environ, PGOPTIONS=SESSION_OPTIONS)
        log = open(self.log_path, "a")
        try:
            return subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log,
                                    stderr=subprocess.STDOUT, env=env)
        finally:
            log.close()

    def steps(self, step, variables_list):
        """Run the step once per variable set, all at once."""
        self.steps_each([(step, v) for v in variables_list])

    def steps_each(self, runs):
        """Run each (step, variables) in a session of its own, all at once; fail if any
        fails."""
        procs = [self.step_process(step, v) for step, v in runs]
        codes = [p.wait() for p in procs]
        if any(codes):
            with open(self.log_path, errors="replace") as f:
                tail = f.read()[-3000:]
            names = [step for step, _ in runs]
            raise RuntimeError(f"load_issues.sql steps {names} failed ({codes}); log "
                               f"{self.log_path}:\n{tail}")

    def check_states(self):
        """Step check; its verdict line is printed (and the step fails on a difference)."""
        start = os.path.getsize(self.log_path) if os.path.exists(self.log_path) else 0
        self.steps("check", [{"sample": CHECK_SAMPLE}])
        with open(self.log_path, errors="replace") as f:
            f.seek(start)
            verdict = [line.strip() for line in f if line.startswith("issue_states check:")]
        self.check_line = verdict[-1] if verdict else "issue_states check: no verdict"
        if self.echo:
            print(f"   {self.check_line}", flush=True)

    def phase(self, name, action, *args):
        t0 = time.monotonic()
        action(*args)
        seconds = time.monotonic() - t0
        self.phases.append((name, round(seconds, 2)))
        if self.echo:
            print(f"   {name:<58} {seconds:8.1f} s", flush=True)

    def check_superuser(self):
        conn = self.connect()
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                if not cur.fetchone()[0]:
                    raise RuntimeError("load: admin_url must be a superuser's (the load"
                                       " switches triggers and server settings)")
        finally:
            conn.close()

    def database_now(self):
        conn = self.connect()
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT now()::text")
                return cur.fetchone()[0]
        finally:
            conn.close()

    def saved_settings(self, names):
        """name -> the value postgresql.auto.conf gives it, or None when it gives none."""
        conn = self.connect()
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT name, setting FROM pg_file_settings"
                            " WHERE sourcefile LIKE '%%postgresql.auto.conf' AND name = ANY(%s)"
                            " AND applied", (list(names),))
                found = dict(cur.fetchall())
        finally:
            conn.close()
        return {name: found.get(name) for name in names}

    def set_server(self, settings):
        """ALTER SYSTEM (None: RESET) and reload; waits until a new session sees them."""
        statements = []
        for name, value in settings.items():
            if value is None:
                statements.append(f"ALTER SYSTEM RESET {name}")
            else:
                statements.append(f"ALTER SYSTEM SET {name} = '{value}'")
        self.sql(*statements, "SELECT pg_reload_conf()")
        wanted = {n: v for n, v in settings.items() if v is not None}
        for _ in range(100):
            if self.server_settings(wanted) == wanted:
                return
            time.sleep(0.05)
        raise RuntimeError(f"the server did not take {wanted}: {self.server_settings(wanted)}")

    def server_settings(self, names):
        conn = self.connect(load_session=False)
        try:
            with conn.cursor() as cur:
                out = {}
                for name in names:
                    cur.execute(f"SHOW {name}")
                    out[name] = cur.fetchone()[0]
                return out
        finally:
            conn.close()


def counts(owner_url):
    """What was loaded, counted as the owner through the access policies (a Department-wide
    reader's settings), so every row is also reachable the way the server reaches it."""
    conn = psycopg2.connect(owner_url, connect_timeout=10)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT set_config('directline.reads', 'all', false),"
                        " set_config('directline.internal', 'on', false)")
            cur.execute("SELECT (SELECT count(*) FROM issues), (SELECT count(*) FROM issue_events),"
                        " (SELECT count(*) FROM issue_states),"
                        " pg_database_size(current_database())")
            issues, events, states, size = cur.fetchone()
        conn.rollback()
    finally:
        conn.close()
    return {"issues": issues, "events": events, "states": states,
            "database_bytes": size}


def load(owner_url, admin_url, issues=100000, seed=0.2026, now=None, parts=None, log=None,
         echo=True):
    """Load `issues` issues (demo's reference data kept, its issues replaced) into the
    database of admin_url (a superuser's URL naming it); owner_url is its owner's. `now`
    (timestamptz text, default: the database's now()) ends the 24 months of history; the
    same issues, seed and now give the same data. Returns the figures: seconds (the whole
    load), phases [(name, seconds)], issues, events, states, database_bytes, settings
    (durability after the load)."""
    if issues < 1000:
        raise ValueError("load: issues must be at least 1000")
    parts = parts or max(2, os.cpu_count() or 2)
    log = log or os.path.join("/tmp", f"perf-load-{os.getpid()}.log")
    loader = Loader(admin_url, log, echo)
    loader.check_superuser()
    now = now or loader.database_now()
    t0 = time.monotonic()
    saved = loader.saved_settings(list(LOAD_SETTINGS))
    loader.phase("load-only server settings (fsync off ...)", loader.set_server, LOAD_SETTINGS)
    try:
        run_steps(loader, issues, seed, now, parts)
    finally:
        # Back as configured, then durable whatever the configuration said.
        loader.set_server(saved)
        loader.set_server(DURABLE_SETTINGS)
    loader.phase("CHECKPOINT, sync", finish_on_disk, loader)
    seconds = round(time.monotonic() - t0, 2)
    figures = {"seconds": seconds, "phases": loader.phases, "log": log, "now": now,
               "seed": seed, "states_check": loader.check_line}
    figures.update(counts(owner_url))
    figures["settings"] = loader.server_settings(list(DURABLE_SETTINGS) + ["autovacuum"])
    return figures


def run_steps(loader, issues, seed, now, parts):
    one = [{}]
    loader.phase("wipe demo issues; drop indexes, keys, triggers", loader.steps, "prepare", one)
    loader.phase(f"plan {issues} issues", loader.steps, "plan",
                 [{"n": issues, "seed": seed, "now": now}])
    loader.phase("generate the events (staging)", loader.steps, "events", one)
    loader.phase("insert issues | issue_events (2 sessions)", loader.steps_each,
                 [("issues", {}), ("history", {})])
    loader.phase("indexes, foreign keys: issues | issue_events", loader.steps_each,
                 [("index", {"tbl": "issues"}), ("index", {"tbl": "issue_events"})])
    # Statistics of the history before the check's replays, whose per-issue queries are
    # planned from them (without, the planner guesses thousands of events per issue).
    loader.phase("ANALYZE issues, issue_events", loader.sql, "ANALYZE issues, issue_events")
    loader.phase(f"issue_states set-based, {parts} sessions", loader.steps, "states",
                 [{"part": p, "parts": parts} for p in range(parts)])
    loader.phase(f"check: {CHECK_SAMPLE} issues' states by issue_states_rebuild",
                 loader.check_states)
    loader.phase("indexes, foreign keys: issue_states, issue_search", loader.steps, "index",
                 [{"tbl": "issue_states"}, {"tbl": "issue_search"}])
    loader.phase("check duplicates, re-enable triggers", loader.steps, "finish", one)
    loader.phase("VACUUM (ANALYZE)", loader.sql, "VACUUM (ANALYZE)")


def finish_on_disk(loader):
    # Pages written while fsync was off may still sit in the kernel's cache: written back
    # now, not while something is timed.
    loader.sql("CHECKPOINT")
    os.sync()


def main():
    if os.environ.get("CI"):
        print("load.py: a manual benchmark, not for CI (CI is set); skipping")
        return 0
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--admin-url", required=True, help="a superuser's URL naming the database")
    ap.add_argument("--owner-url", required=True, help="the database owner's URL")
    ap.add_argument("--issues", type=int, default=100000)
    ap.add_argument("--seed", type=float, default=0.2026)
    ap.add_argument("--now", help="end of the history (timestamptz; default: now)")
    ap.add_argument("--parts", type=int, help="parallel sessions for issue_states")
    ap.add_argument("--log", help="psql output (default: a /tmp file)")
    ap.add_argument("--json", help="also write the figures here")
    a = ap.parse_args()
    figures = load(a.owner_url, a.admin_url, a.issues, a.seed, a.now, a.parts, a.log)
    print(f"   {'load.py in all':<58} {figures['seconds']:8.1f} s")
    print(f"loaded {figures['issues']} issues, {figures['events']} events, {figures['states']}"
          f" states, {figures['database_bytes'] / 2**20:.0f} MiB; durability now"
          f" {figures['settings']}")
    if a.json:
        Path(a.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
