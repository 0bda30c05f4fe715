#!/usr/bin/python3
# filing_variants.py -- what each part of an event's insert costs the filing's SQL: on a
# database kept by perf.sh (--keep), pgbench runs the filing's same-SQL script with parts
# of the schema taken away and put back, the variants alternated in rotating order so
# that a machine whose speed drifts favours none. Prints tx/s per variant and round.
# NOT part of the suite; run by hand on a quiet machine:
#
#     bash tests/bench/perf.sh --scenarios file --conns 16 --seconds 5 --out DIR --keep
#     /usr/bin/python3 tests/bench/filing_variants.py --admin-url URL --scripts DIR/data \
#         [--rounds 4] [--seconds 10] [--clients 16,64]
#
# Variants: as migrated; without the rating's CHECK and partial index (0026); with the
# notification trigger as step 3 left it (0022's function and WHEN list); with both; with
# the states and notification triggers as they were before 0028 (what 0028 gave back);
# and with no notification trigger at all (what telling anyone costs).
#
# Beside tx/s, which a shared machine's drift moves by tens of per cent, it prints the CPU
# the backends spent per filing: the postmaster's reaped children's time (/proc, so run it
# as root or as postgres) over the run, divided by the transactions pgbench logged.

import argparse
import os
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "perf"))

import psycopg2  # noqa: E402

import pgbench_scripts  # noqa: E402

MIGRATIONS = HERE.parent.parent / "sql" / "migrations"


def function_sql(migration, name):
    """A function's definition as a migration wrote it, to put back with CREATE OR REPLACE."""
    text = next(MIGRATIONS.glob(f"{migration}_*.sql")).read_text()
    found = re.search(rf"CREATE (?:OR REPLACE )?FUNCTION {name}\(\).*?END \$\$;", text, re.S)
    return found.group(0).replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


def step3_trigger_sql():
    """0022's issue_events_notify function and trigger, as written in the migration."""
    text = next(MIGRATIONS.glob("0022_*.sql")).read_text()
    trigger = re.search(r"CREATE TRIGGER issue_events_notify.*?;", text, re.S).group(0)
    return function_sql("0022", "issue_events_notify"), trigger


class Schema:
    """The kept database's current definitions, so each variant can be undone exactly."""

    def __init__(self, admin_url):
        self.conn = psycopg2.connect(admin_url)
        self.conn.autocommit = True
        self.owner = self.one("SELECT pg_get_userbyid(relowner) FROM pg_class"
                              " WHERE relname = 'issue_events'")
        self.rating_check = self.one("SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                                     " WHERE conname = 'issue_events_rating'")
        self.rated_index = self.one("SELECT pg_get_indexdef('issue_events_rated_idx'::regclass)")
        self.function = self.one("SELECT pg_get_functiondef('issue_events_notify'::regproc)")
        self.states_function = self.one(
            "SELECT pg_get_functiondef('issue_states_after_event'::regproc)")
        self.trigger = self.one("SELECT pg_get_triggerdef(oid) FROM pg_trigger"
                                " WHERE tgname = 'issue_events_notify'")

    def one(self, sql):
        with self.conn.cursor() as cur:
            cur.execute(sql)
            return cur.fetchone()[0]

    def run(self, *statements):
        with self.conn.cursor() as cur:
            cur.execute("BEGIN")
            cur.execute(f'SET LOCAL ROLE "{self.owner}"')
            for sql in statements:
                cur.execute(sql)
            cur.execute("COMMIT")

    def without_rating(self):
        self.run("ALTER TABLE issue_events DROP CONSTRAINT issue_events_rating",
                 "DROP INDEX issue_events_rated_idx")

    def with_rating(self):
        self.run(f"ALTER TABLE issue_events ADD CONSTRAINT issue_events_rating {self.rating_check}",
                 self.rated_index)

    def step3_trigger(self):
        function, trigger = step3_trigger_sql()
        self.run(function, "DROP TRIGGER issue_events_notify ON issue_events", trigger)

    def current_trigger(self):
        self.run(self.function, "DROP TRIGGER issue_events_notify ON issue_events", self.trigger)

    def before_0028(self):
        """The filing's states and notification triggers as 0012 and 0026 wrote them."""
        self.run(function_sql("0012", "issue_states_after_event"),
                 function_sql("0026", "issue_events_notify"))

    def as_0028(self):
        self.run(self.states_function, self.function)

    def no_trigger(self):
        self.run("ALTER TABLE issue_events DISABLE TRIGGER issue_events_notify")

    def trigger_back(self):
        self.run("ALTER TABLE issue_events ENABLE TRIGGER issue_events_notify")


def reaped_cpu_seconds(schema):
    """User and system time of the postmaster's children that have exited."""
    datadir = schema.one("SHOW data_directory")
    pid = Path(datadir, "postmaster.pid").read_text().split()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")


def variants(schema):
    """name -> (apply, undo)."""
    nothing = lambda: None  # noqa: E731
    both_off = lambda: (schema.without_rating(), schema.step3_trigger())  # noqa: E731
    both_on = lambda: (schema.current_trigger(), schema.with_rating())  # noqa: E731
    return {
        "as migrated": (nothing, nothing),
        "no rating check/index": (schema.without_rating, schema.with_rating),
        "step 3's trigger": (schema.step3_trigger, schema.current_trigger),
        "both as step 3": (both_off, both_on),
        "triggers before 0028": (schema.before_0028, schema.as_0028),
        "no notify trigger": (schema.no_trigger, schema.trigger_back),
    }


def app_url(admin_url, schema):
    role = schema.owner.removesuffix("_owner") + "_app"
    return psycopg2.extensions.make_dsn(admin_url, user=role)


def main():
    ap = argparse.ArgumentParser(description="What each part of an event's insert costs the filing's SQL.")
    ap.add_argument("--admin-url", required=True, help="perf.sh --keep prints it")
    ap.add_argument("--scripts", required=True, help="the directory of file_same_sql.pgbench")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--clients", default="16,64")
    args = ap.parse_args()

    script = str(Path(args.scripts) / "file_same_sql.pgbench")
    schema = Schema(args.admin_url)
    role_url = app_url(args.admin_url, schema)
    table = variants(schema)
    names = list(table)
    results = {(name, c): [] for name in names for c in args.clients.split(",")}
    for round_no in range(args.rounds):
        order = names[round_no % len(names):] + names[:round_no % len(names)]
        for clients in args.clients.split(","):
            for name in order:
                apply, undo = table[name]
                apply()
                try:
                    schema.conn.cursor().execute("CHECKPOINT")
                    time.sleep(1)
                    cpu = reaped_cpu_seconds(schema)
                    got = pgbench_scripts.run(script, args.admin_url, int(clients),
                                              args.seconds, role_url)
                    time.sleep(1)       # the last backends exit and are reaped
                    cpu_ms = (reaped_cpu_seconds(schema) - cpu) * 1000 / got["transactions"]
                finally:
                    undo()
                results[(name, clients)].append((got["tps"], cpu_ms))
                print(f"round {round_no + 1}  {clients:>3} clients  {name:<22} "
                      f"{got['tps']:7.0f} tx/s  {cpu_ms:5.2f} CPU ms  errors {got['errors']}",
                      flush=True)

    print(f"\nfiling's same SQL, {args.rounds} rounds of {args.seconds} s: tx/s, then the"
          " backends' CPU ms per filing")
    for clients in args.clients.split(","):
        for name in names:
            tps = [r[0] for r in results[(name, clients)]]
            cpu = [r[1] for r in results[(name, clients)]]
            print(f"{clients:>3} clients  {name:<22} mean {sum(tps) / len(tps):5.0f} "
                  + " ".join(f"{x:5.0f}" for x in tps)
                  + f"   mean {sum(cpu) / len(cpu):5.2f} " + " ".join(f"{x:5.2f}" for x in cpu))


if __name__ == "__main__":
    main()
