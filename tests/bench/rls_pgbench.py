#!/usr/bin/python3
# rls_pgbench.py -- what row-level security costs PostgreSQL itself: pgbench runs the two
# reads of "open an issue" (the issue by id, then its history) on the demo data, first
# as a superuser with no context (no policies, no set_config), then as the server's role
# with the context pipelined before each statement as db/db.c sends it (set_config and
# the statement, one sync), for an officer (every school) and for a principal (one
# school's issues). Prints transactions per second. NOT part of the suite; run by hand:
#
#     /usr/bin/python3 tests/bench/rls_pgbench.py [--seconds 10] [--clients 2]

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "api"))

import psycopg2  # noqa: E402

from conftest import REPO, PrivatePostgres, Postgres, run_cli  # noqa: E402

READS = """SELECT id, ref, title, status, school_id FROM issues WHERE id = :n;
SELECT id, action, body, internal FROM issue_events WHERE issue_id = :n ORDER BY created_at, id;
"""
# As db/db.c sends it (db/db_context.c's flags for an officer or a principal).
CONTEXT = ("SELECT set_config('directline.context', '{ctx}', true),"
           " set_config('directline.user_id', '{user}', true),"
           " set_config('directline.school_id', '{school}', true),"
           " set_config('directline.cluster_id', '', true),"
           " set_config('directline.division_id', '', true),"
           " set_config('directline.reads', '{flag}', true),"
           " set_config('directline.writes', '{flag}', true),"
           " set_config('directline.internal', '{on}', true);")


def script(first, last, context=None):
    lines = [f"\\set n random({first}, {last})"]
    for statement in READS.strip().splitlines():
        if context:
            lines += ["\\startpipeline", context, statement, "\\endpipeline"]
        else:
            lines.append(statement)
    return "\n".join(lines) + "\n"


def pgbench(bindir, url, text, seconds, clients):
    """(mean latency in ms, transactions per second) of one pgbench run."""
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(text)
    try:
        p = subprocess.run([os.path.join(bindir, "pgbench"), "-n", "-M", "extended",
                            "-T", str(seconds), "-c", str(clients), "-j", str(clients),
                            "-f", f.name, url], capture_output=True, text=True, timeout=600)
    finally:
        os.unlink(f.name)
    latency = re.search(r"latency average = ([0-9.]+) ms", p.stdout)
    tps = re.search(r"tps = ([0-9.]+)", p.stdout)
    failed = re.search(r"number of failed transactions: ([1-9][0-9]*)", p.stdout)
    if not latency or not tps or failed or p.returncode:
        raise RuntimeError(f"pgbench failed:\n{p.stdout}\n{p.stderr}")
    return float(latency.group(1)), float(tps.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=str(REPO / "build" / "backend" / "directline"))
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--clients", type=int, default=2)
    args = ap.parse_args()
    os.environ["DIRECTLINE_BIN"] = args.binary
    private = PrivatePostgres().start()
    try:
        db = Postgres(private.admin_url).create_split_database("pgbench")
        for cmd in (["migrate"], ["demo"]):
            p = run_cli(cmd, db.app_url, owner_url=db.owner_url)
            assert p.returncode == 0, p.stderr
        c = psycopg2.connect(db.admin_url)
        cur = c.cursor()
        cur.execute("SELECT min(id), max(id) FROM issues")
        first, last = cur.fetchone()
        cur.execute("SELECT u.id, u.school_id, min(i.id), max(i.id) FROM users u"
                    " JOIN issues i ON i.school_id = u.school_id WHERE u.login = 'ht.th001'"
                    " GROUP BY u.id, u.school_id")
        p_user, p_school, p_first, p_last = cur.fetchone()
        cur.execute("SELECT id FROM users WHERE login = 'cb.gdth1'")
        officer = cur.fetchone()[0]
        c.close()
        runs = [
            ("superuser, no context (no policies)", db.admin_url, script(first, last)),
            ("superuser, officer context (set_config only)", db.admin_url,
             script(first, last, CONTEXT.format(ctx="officer", user=officer, school="", flag="all",
                                                on="on"))),
            ("server role, officer context", db.app_url,
             script(first, last, CONTEXT.format(ctx="officer", user=officer, school="", flag="all",
                                                on="on"))),
            ("server role, principal context", db.app_url,
             script(p_first, p_last,
                    CONTEXT.format(ctx="principal", user=p_user, school=p_school, flag="",
                                   on=""))),
        ]
        print(f"pgbench -M extended -T {args.seconds} -c {args.clients}: the issue by id, then"
              " its history (demo data)")
        for name, url, text in runs:
            _, tps = pgbench(private.bindir, url, text, args.seconds, args.clients)
            print(f"  {name:40} {tps:10.0f} tps")
    finally:
        private.stop()


if __name__ == "__main__":
    main()
