# pgbench_demo.py -- pgbench_scripts.py by hand, on a small private set-up of its own:
# tests/api/conftest.py's PostgreSQL and `directline serve` with the demo data, principals
# signed in, then capture(), the differences, and run() of each script. Not the benchmark
# (that is tests/bench/perf.sh); a way to try and to show the generated scripts.

import argparse
import os
import sys
import tempfile
from pathlib import Path

import requests

import stack
from pgbench_log import query

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "tests" / "api"))
import conftest as harness          # noqa: E402
from dlapi import DEMO_PASSWORD     # noqa: E402


def sign_in(base, login):
    r = requests.post(base + "/api/session", json={"login": login, "password": DEMO_PASSWORD},
                      timeout=60)
    r.raise_for_status()
    return r.json()["token"]


def main(capture, run, differences):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--binary", default=str(REPO / "build" / "backend" / "directline"))
    ap.add_argument("--principals", type=int, default=16)
    ap.add_argument("--officers", type=int, default=4)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    os.environ["DIRECTLINE_BIN"] = args.binary
    out = args.out or tempfile.mkdtemp(prefix="pgbench-scripts-")
    os.makedirs(out, exist_ok=True)
    private, db = stack.start_database()
    server = None
    try:
        server = harness.Server(db.app_url, out, owner_url=db.owner_url).start()
        logins = [f"ht.th{n:03d}" for n in range(1, args.principals + 1)]
        logins += [r for r, in query(db.admin_url, "SELECT login FROM users WHERE role ="
                                     " 'officer' AND active ORDER BY id LIMIT %s", (args.officers,))]
        tokens = [sign_in(server.base_url, login) for login in logins]
        refs = _refs(db.admin_url)
        paths = capture(server.base_url, db.admin_url, tokens, refs, out, log_path=private.log)
        print(f"scripts in {out} (this PostgreSQL runs with the test harness's fsync = off)")
        for name, path in paths.items():
            for line in differences(path):
                print(f"  {name}: {line}")
            # The same SQL as the server sends it, and as it would be prepared.
            for mode in (None, "prepared") if name.endswith("same_sql") else (None,):
                _show(name, run(path, db.admin_url, args.clients, args.seconds,
                                role_url=db.app_url, mode=mode), args)
    finally:
        if server is not None:
            for problem in server.stop():
                print(problem)
        private.stop()


def _show(name, figures, args):
    print(f"{name:15} {figures['tps']:9.0f} tx/s  p50 {figures['p50_ms']:.2f} ms"
          f"  p99 {figures['p99_ms']:.2f} ms  errors {figures['errors']}"
          f"  ({figures['mode']}, {args.clients} clients, {args.seconds} s)"
          + (f"\n    {figures['error_sample']}" if figures["error_sample"] else ""))


def _refs(admin_url):
    return [r for r, in query(admin_url, "SELECT ref FROM issues ORDER BY id")]
