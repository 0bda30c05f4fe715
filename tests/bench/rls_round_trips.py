#!/usr/bin/python3
# rls_round_trips.py -- what the per-transaction acting context (row-level security,
# sql/migrations/0010_*) costs the conversation with PostgreSQL: for a few typical
# requests, the statements PostgreSQL runs for each (its log, log_statement = all for the
# server's role) and the round trips the server makes (its writes on the database
# socket, counted with strace). NOT part of the suite; run by hand, as root (strace):
#
#     /usr/bin/python3 tests/bench/rls_round_trips.py [--binary B] [--sql-dir D]
#                                                     [--single-role]
#
# --single-role: one role for everything (DATABASE_URL only), e.g. to measure a build
# from before the role split: --binary old/build/backend/directline --sql-dir old/sql.
# The server runs with one worker thread and no spare connection, so that one database
# socket carries every request.

import argparse
import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "api"))

import requests  # noqa: E402

from conftest import REPO, PrivatePostgres, Postgres, Server, run_cli  # noqa: E402
from dlapi import DEMO_PASSWORD  # noqa: E402

RUNS = 5


def login(base, who):
    r = requests.post(base + "/api/session", json={"login": who, "password": DEMO_PASSWORD},
                      timeout=60)
    r.raise_for_status()
    return {"Authorization": "Bearer " + r.json()["token"]}


def requests_to_measure(base, principal, officer, ref):
    """(name, function) pairs; each function makes one request and checks its status."""
    def call(method, path, headers, status, body=None):
        def run():
            r = requests.request(method, base + path, headers=headers, json=body, timeout=30)
            assert r.status_code == status, (method, path, r.status_code, r.text[:300])
        return run
    comment = {"body": "Nhà trường cảm ơn.", "internal": False}
    issue = {"title": "Thiếu bàn ghế lớp 1", "description": "Thiếu 10 bộ bàn ghế.",
             "category": "THIEU-GV"}
    return [
        ("GET /api/me (principal)", call("GET", "/api/me", principal, 200)),
        ("GET /api/issues (principal)", call("GET", "/api/issues?limit=20", principal, 200)),
        ("GET /api/issues/{ref} (principal)", call("GET", f"/api/issues/{ref}", principal, 200)),
        ("POST comment (principal)", call("POST", f"/api/issues/{ref}/comments", principal,
                                          201, comment)),
        ("POST /api/issues (principal)", call("POST", "/api/issues", principal, 201, issue)),
        ("GET /api/issues (officer)", call("GET", "/api/issues?limit=20", officer, 200)),
        ("POST comment (officer)", call("POST", f"/api/issues/{ref}/comments", officer, 201,
                                        comment)),
    ]


def db_socket_fds(pid, pg_port):
    """The server's file descriptors that are TCP connections to PostgreSQL."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        f = line.split()
        if int(f[2].split(":")[1], 16) == pg_port:
            inodes.add(f[9])
    fds = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        m = re.match(r"socket:\[(\d+)\]", target)
        if m and m.group(1) in inodes:
            fds.add(int(fd))
    return fds


def seconds_of_day(hms):
    h, m, s = hms.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def now_of_day():
    t = datetime.now(timezone.utc)
    return t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6


def count_in(windows, stamps):
    return [sum(1 for s in stamps if a <= s < b) for a, b in windows]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=str(REPO / "build" / "backend" / "directline"))
    ap.add_argument("--sql-dir", default=str(REPO / "sql"))
    ap.add_argument("--single-role", action="store_true")
    args = ap.parse_args()
    os.environ["DIRECTLINE_BIN"] = args.binary
    env = {"DIRECTLINE_SQL_DIR": args.sql_dir}

    private = PrivatePostgres().start()
    server = strace = None
    try:
        pg = Postgres(private.admin_url)
        db = pg.create_split_database("rtt")
        app_url = db.owner_url if args.single_role else db.app_url
        owner_url = None if args.single_role else db.owner_url
        for cmd in (["migrate"], ["demo"]):
            p = run_cli(cmd, app_url, extra_env=env, owner_url=owner_url)
            assert p.returncode == 0, p.stderr
        role = db.owner_role if args.single_role else db.app_role
        conn = pg._admin()
        with conn.cursor() as cur:
            cur.execute(f'ALTER ROLE "{role}" SET log_statement = \'all\'')
        conn.close()
        logdir = Path(private.tmp)
        server = Server(app_url, logdir, extra_env=env, owner_url=owner_url,
                        extra_args=["--threads", "1", "--spare-connections", "0"]).start()
        base = server.base_url
        principal, officer = login(base, "ht.th001"), login(base, "cb.gdth1")
        r = requests.post(base + "/api/issues", headers=principal, timeout=30,
                          json={"title": "Đo", "description": "Đo.", "category": "THIEU-GV"})
        ref = r.json()["ref"]
        plan = requests_to_measure(base, principal, officer, ref)
        for _, run in plan:            # warm: the pool's connection is open
            run()
        fds = db_socket_fds(server.proc.pid, private.port)
        trace = logdir / "strace.txt"
        strace = subprocess.Popen(["strace", "-f", "-tt", "-e", "trace=sendto,sendmsg,write",
                                   "-o", str(trace), "-p", str(server.proc.pid)],
                                  stderr=subprocess.DEVNULL)
        time.sleep(1.5)
        windows = []
        for name, run in plan:
            for _ in range(RUNS):
                a = now_of_day()
                run()
                time.sleep(0.15)
                windows.append((name, a, now_of_day()))
        time.sleep(0.5)
        strace.send_signal(signal.SIGINT)
        strace.wait()
        strace = None

        sends = []
        for line in trace.read_text().splitlines():
            m = re.match(r"\d+\s+(\d\d:\d\d:\d\d\.\d+)\s+(sendto|sendmsg|write)\((\d+),", line)
            if m and int(m.group(3)) in fds:
                sends.append(seconds_of_day(m.group(1)))
        statements = []
        for line in Path(private.log).read_text(errors="replace").splitlines():
            m = re.match(r"\d{4}-\d\d-\d\d (\d\d:\d\d:\d\d\.\d+) \S+ \[\d+\] LOG:  "
                         r"(statement|execute)", line)
            if m:
                statements.append(seconds_of_day(m.group(1)))
        spans = [(a, b) for _, a, b in windows]
        per_sends, per_statements = count_in(spans, sends), count_in(spans, statements)
        print(f"binary {args.binary} ({'one role' if args.single_role else 'owner + app role'})")
        print(f"{'request':40} {'statements':>10} {'round trips':>12}   (median of {RUNS})")
        for i, (name, _) in enumerate(plan):
            s = sorted(per_statements[i * RUNS:(i + 1) * RUNS])
            t = sorted(per_sends[i * RUNS:(i + 1) * RUNS])
            print(f"{name:40} {s[RUNS // 2]:>10} {t[RUNS // 2]:>12}   "
                  f"statements {s}, round trips {t}")
    finally:
        if strace:
            strace.kill()
        if server:
            server.stop()
        private.stop()


if __name__ == "__main__":
    main()
