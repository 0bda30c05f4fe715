#!/usr/bin/python3
# history_write.py -- does a write cost more on an issue with a long history? Issue #9's
# target: a write to an issue with 200 events costs within 10% of a write to one with 2.
# On a private PostgreSQL (durability on) with the demo's reference data, it adds ISSUES
# issues with 2 events and ISSUES with 200 (filed, triaged, then comments with a priority
# change every tenth event, so the long ones also have some 20 stretches in issue_states),
# then pgbench runs two writes as the server sends them, as the server's role with a
# supervisor's context pipelined before the statement, on a random issue of one set:
#   comment   the issue touched and a comment event, in one statement
#   priority  the priority changed and its set_priority event (a new stretch)
# alternating short and long runs (ROUNDS of each), and prints the mean latency of each,
# the ratio long / short, and transactions per second. A write's latency is mostly its
# commit's flush, so it also prints what the history trigger itself took (EXPLAIN
# ANALYZE of each write on 50 issues of each set, rolled back): the median and the ratio.
# NOT part of the test suite:
#
#     /usr/bin/python3 tests/bench/history_write.py [--seconds 10] [--clients 4]
#         [--issues 2000] [--rounds 2] [--binary build/backend/directline]
#
# Set DIRECTLINE_SQL_DIR to another checkout's sql/ to measure its migrations (e.g. the
# replay on every event before 0012).

import argparse
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "perf"))
sys.path.insert(0, str(HERE))

import psycopg2                                 # noqa: E402

import stack                                    # noqa: E402
from rls_pgbench import CONTEXT, pgbench        # noqa: E402

# Issues of the given length (events), in one statement each, with the trigger off: the
# states are made once per issue afterwards, whichever migrations built the schema.
MAKE_ISSUES = """
INSERT INTO issues (ref, school_id, filed_by, category_id, division_id, priority, status,
                    title, description, due_first_response_at, due_resolution_at,
                    created_at, updated_at)
SELECT format('HT-2000-%%s', lpad((%(first)s + g)::text, 6, '0')), p.school_id, p.id, c.id,
       c.default_division_id, 'normal', 'triaged', 'history_write ' || g,
       'Một vấn đề có lịch sử dài.', t.t0 + interval '72 hours', t.t0 + interval '336 hours',
       t.t0, t.t0 + %(events)s * interval '1 hour'
  FROM generate_series(1, %(count)s) g,
       (SELECT id, school_id FROM users WHERE login = 'ht.th001') p,
       (SELECT id, default_division_id, code FROM categories WHERE code = 'THIEU-GV') c,
       (SELECT date_trunc('second', now()) - interval '300 days' AS t0) t
RETURNING id
"""
MAKE_EVENTS = """
INSERT INTO issue_events (issue_id, actor_id, action, from_status, to_status, body, details,
                          created_at)
SELECT i.id, CASE WHEN j = 1 THEN i.filed_by ELSE s.id END,
       CASE WHEN j = 1 THEN 'filed' WHEN j = 2 THEN 'triage'
            WHEN j %% 10 = 0 THEN 'set_priority' ELSE 'comment' END,
       CASE WHEN j = 2 THEN 'new' END,
       CASE WHEN j = 1 THEN 'new' WHEN j = 2 THEN 'triaged' END,
       CASE WHEN j > 2 AND j %% 10 <> 0 THEN 'Trao đổi số ' || j END,
       CASE WHEN j = 1 THEN jsonb_build_object('category', 'THIEU-GV', 'division', d.code,
                                              'priority', 'normal',
                                              'due_first_response_at', dl_time(i.due_first_response_at),
                                              'due_resolution_at', dl_time(i.due_resolution_at))
            WHEN j %% 10 = 0 THEN jsonb_build_object(
                'field', 'priority',
                'from', CASE WHEN (j / 10) %% 2 = 1 THEN 'normal' ELSE 'high' END,
                'to', CASE WHEN (j / 10) %% 2 = 1 THEN 'high' ELSE 'normal' END) END,
       i.created_at + j * interval '1 hour'
  FROM issues i JOIN divisions d ON d.id = i.division_id,
       generate_series(1, %(events)s) j,
       (SELECT id FROM users WHERE login = 'giamsat1') s
 WHERE i.id = ANY(%(ids)s)
 ORDER BY i.id, j
"""

WRITES = {
    "comment": """WITH upd AS (UPDATE issues SET updated_at = now() WHERE id = :k RETURNING id) \
INSERT INTO issue_events (issue_id, actor_id, action, body, internal) \
SELECT upd.id, {actor}, 'comment', 'Phòng đã nhận.', false FROM upd;""",
    "priority": """WITH old AS (SELECT id, priority FROM issues WHERE id = :k FOR UPDATE), \
upd AS (UPDATE issues i SET priority = CASE old.priority WHEN 'high' THEN 'normal' ELSE 'high' END, \
updated_at = now() FROM old WHERE i.id = old.id \
RETURNING i.id, i.priority, i.due_first_response_at, i.due_resolution_at) \
INSERT INTO issue_events (issue_id, actor_id, action, details) \
SELECT upd.id, {actor}, 'set_priority', jsonb_build_object('field', 'priority', \
'from', old.priority, 'to', upd.priority, \
'due_first_response_at', dl_time(upd.due_first_response_at), \
'due_resolution_at', dl_time(upd.due_resolution_at)) FROM upd, old;""",
}


def make_sets(admin_url, count):
    """{length: (first id, last id)} for issues of 2 and of 200 events."""
    sets = {}
    stack.admin_sql(admin_url, "ALTER TABLE issue_events DISABLE TRIGGER issue_states_follow_history")
    for n, events in enumerate((2, 200)):
        ids = [r[0] for r in stack.admin_sql(admin_url, MAKE_ISSUES,
                                             {"first": n * count, "count": count,
                                              "events": events})]
        stack.admin_sql(admin_url, MAKE_EVENTS, {"events": events, "ids": ids})
        stack.admin_sql(admin_url, "SELECT count(issue_states_rebuild(id)) FROM issues"
                                   " WHERE id = ANY(%s)", (ids,))
        sets[events] = (min(ids), max(ids))
    stack.admin_sql(admin_url, "ALTER TABLE issue_events ENABLE TRIGGER issue_states_follow_history")
    stack.admin_sql(admin_url, "VACUUM ANALYZE")
    return sets


def script(write, first, last, actor):
    context = CONTEXT.format(ctx="supervisor", user=actor, school="", flag="all", on="on")
    return (f"\\set k random({first}, {last})\n\\startpipeline\n{context}\n"
            f"{WRITES[write].format(actor=actor)}\n\\endpipeline\n")


def trigger_ms(db, write, first, last, actor, samples=50):
    """Median time of the history trigger in one write, over `samples` issues."""
    conn = psycopg2.connect(db.app_url)
    times = []
    try:
        with conn.cursor() as cur:
            context = CONTEXT.format(ctx="supervisor", user=actor, school="", flag="all", on="on")
            for k in range(first, last + 1, max(1, (last - first) // samples)):
                cur.execute(context)
                cur.execute("EXPLAIN (ANALYZE) " + WRITES[write].format(actor=actor)
                            .replace(":k", str(k)).rstrip(";"))
                plan = "\n".join(r[0] for r in cur.fetchall())
                conn.rollback()
                found = re.search(r"Trigger issue_states_follow_history on issue_events:"
                                  r" time=([0-9.]+)", plan)
                if not found:
                    raise RuntimeError(f"no history trigger in the plan:\n{plan}")
                times.append(float(found.group(1)))
    finally:
        conn.close()
    times.sort()
    return times[len(times) // 2]


def measure(args, pg, db, sets, actor):
    print(f"history_write: pgbench -M extended -T {args.seconds} -c {args.clients},"
          f" {args.rounds} rounds, {args.issues} issues of each length", flush=True)
    for write in WRITES:
        runs = {2: [], 200: []}
        for _ in range(args.rounds):
            for length, (first, last) in sets.items():
                runs[length].append(pgbench(pg.bindir, db.app_url,
                                            script(write, first, last, actor),
                                            args.seconds, args.clients))
        mean = {n: sum(r[0] for r in v) / len(v) for n, v in runs.items()}
        tps = {n: sum(r[1] for r in v) / len(v) for n, v in runs.items()}
        print(f"  {write:9} 2 events: {mean[2]:7.2f} ms ({tps[2]:6.0f} tps)   200 events:"
              f" {mean[200]:7.2f} ms ({tps[200]:6.0f} tps)   ratio {mean[200] / mean[2]:.3f}",
              flush=True)
        trig = {n: trigger_ms(db, write, first, last, actor) for n, (first, last) in sets.items()}
        print(f"  {'':9} history trigger: 2 events {trig[2]:.3f} ms, 200 events {trig[200]:.3f}"
              f" ms, ratio {trig[200] / trig[2]:.3f}", flush=True)


def main():
    if os.environ.get("CI"):
        print("history_write.py: a manual benchmark, not for CI (CI is set); skipping")
        return 0
    ap = argparse.ArgumentParser(description="write cost against history length")
    ap.add_argument("--binary", default=str(HERE.parents[1] / "build" / "backend" / "directline"))
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--issues", type=int, default=2000, help="issues of each length")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    os.environ.setdefault("DIRECTLINE_BIN", args.binary)
    pg, db = stack.start_database()
    try:
        stack.make_durable(pg.admin_url)
        sets = make_sets(db.admin_url, args.issues)
        actor = stack.admin_sql(db.admin_url,
                                "SELECT id FROM users WHERE login = 'giamsat1'")[0][0]
        measure(args, pg, db, sets, actor)
    finally:
        pg.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
