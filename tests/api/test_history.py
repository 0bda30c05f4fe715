# test_history.py -- the history is the truth: the database refuses to rewrite it, and
# every issue row (demo data and API-made alike) is the summary of its own history.

from datetime import datetime, timezone

import psycopg2
import pytest

from dlapi import (act_ok, assert_json, assert_problem, comment, file_issue,
                   parse_time)


@pytest.fixture(scope="module")
def history(app):
    principal = app.login("ht.th001")
    officer = app.login("cb.tccb1")
    issue = file_issue(principal, title="Thiếu giáo viên dạy Đạo đức",
                       description="Lịch sử của vấn đề này không được sửa.")
    ref = issue["ref"]
    act_ok(officer, ref, "triage")
    assert_json(comment(officer, ref, "Ghi chú nội bộ.", internal=True), 201)
    act_ok(officer, ref, "request_info", "Đề nghị bổ sung hồ sơ.")
    act_ok(principal, ref, "answer_info", "Đã bổ sung.")
    act_ok(officer, ref, "resolve", "Đã xử lý.")
    return {"ref": ref, "principal": principal, "officer": officer}


OPEN = {"new", "triaged", "in_progress", "awaiting_school"}
TRANSITIONS = {"triage", "start", "request_info", "answer_info", "resolve", "confirm",
               "reopen", "decline", "mark_duplicate", "closed"}


def dump(app):
    return app.query("""SELECT id, issue_id, actor_id, action, from_status, to_status, body,
                               internal, details::text, created_at
                          FROM issue_events ORDER BY id""")


REWRITES = [
    "UPDATE issue_events SET body = 'sửa lịch sử' WHERE id = (SELECT max(id) FROM issue_events)",
    "UPDATE issue_events SET internal = NOT internal",
    "UPDATE issue_events SET created_at = created_at - interval '1 day' WHERE action = 'filed'",
    "UPDATE issue_events SET actor_id = NULL WHERE actor_id IS NOT NULL",
    "DELETE FROM issue_events WHERE id = (SELECT max(id) FROM issue_events)",
    "DELETE FROM issue_events WHERE action = 'comment'",
    "DELETE FROM issue_events",
    "TRUNCATE issue_events",
    "TRUNCATE issue_events CASCADE",
    "TRUNCATE issues CASCADE",
    "DELETE FROM issues WHERE id = (SELECT max(issue_id) FROM issue_events)",
]


@pytest.mark.parametrize("sql", REWRITES, ids=[s.split(" WHERE")[0][:40] for s in REWRITES])
def test_database_refuses_to_rewrite_history(app, history, sql):
    before = dump(app)
    assert before, "no history to protect"
    conn = app.db()
    with pytest.raises(psycopg2.Error):
        with conn.cursor() as cur:
            cur.execute(sql)
    assert dump(app) == before


def test_history_can_still_grow(app, history):
    # The refusals above are not a broken table: appending works (and is rolled back).
    conn = app.db()
    conn.autocommit = False
    try:
        with conn.cursor() as cur:
            cur.execute("""INSERT INTO issue_events (issue_id, action, body)
                           SELECT id, 'comment', 'thử' FROM issues WHERE ref = %s
                           RETURNING id""", (history["ref"],))
            assert cur.fetchone()[0] > 0
    finally:
        conn.rollback()
        conn.autocommit = True


def test_api_offers_no_way_to_delete(app, history):
    before = dump(app)
    ref = history["ref"]
    for path in (f"/api/issues/{ref}", f"/api/issues/{ref}/comments",
                 f"/api/issues/{ref}/actions"):
        assert_problem(history["officer"].delete(path), 405)
    assert dump(app) == before


def test_api_events_are_the_database_history(app, history):
    officer = history["officer"]
    refs = [history["ref"]] + [r for (r,) in app.query(
        "SELECT ref FROM issues ORDER BY id LIMIT 25")]
    for ref in refs:
        body = assert_json(officer.get(f"/api/issues/{ref}"), 200)
        db = app.events_of(ref)
        got = [(e["id"], e["action"], e["from_status"], e["to_status"], e["note"], e["internal"],
                (e["actor"] or {}).get("login")) for e in body["events"]]
        want = [(e["id"], e["action"], e["from_status"], e["to_status"], e["body"], e["internal"],
                 e["actor"]) for e in db]
        assert got == want, ref
        for e, d in zip(body["events"], db):
            assert abs((parse_time(e["created_at"]) - d["created_at"]).total_seconds()) < 0.002


def test_every_issue_row_summarises_its_history(app, history):
    """For all issues (the ~600 demo issues and ours): the row agrees with the events."""
    issues = app.query("""
        SELECT i.id, i.ref, i.status, i.reopen_count, i.escalation_level, i.duplicate_of,
               i.first_response_at, i.resolved_at, i.closed_at, i.created_at, i.filed_by
          FROM issues i ORDER BY i.id""")
    events = app.query("""
        SELECT e.issue_id, e.id, e.action, e.from_status, e.to_status, e.internal,
               e.created_at, e.actor_id, u.role
          FROM issue_events e LEFT JOIN users u ON u.id = e.actor_id
         ORDER BY e.issue_id, e.created_at, e.id""")
    by_issue = {}
    for ev in events:
        by_issue.setdefault(ev[0], []).append(ev)
    now = datetime.now(timezone.utc)
    problems = []
    for (iid, ref, status, reopens, level, dup, first, resolved, closed, created,
         filer) in issues:
        evs = by_issue.get(iid, [])
        if not evs or evs[0][2] != "filed":
            problems.append(f"{ref}: the first event is not 'filed'")
            continue
        if evs[0][7] != filer:
            problems.append(f"{ref}: 'filed' is not by the filer")
        if abs((evs[0][6] - created).total_seconds()) > 1:
            problems.append(f"{ref}: filed at {evs[0][6]}, created_at {created}")
        current = "new"
        for _, eid, action, frm, to, _, at, _, _ in evs[1:]:
            if at < created or at > now:
                problems.append(f"{ref}: event {eid} at {at} outside [{created}, now]")
            if action in TRANSITIONS and to is None:
                problems.append(f"{ref}: event {eid} {action} has no to_status")
            if to is None:
                continue
            same = action in ("escalate", "escalated") and to == current
            if frm != current and not same:
                problems.append(f"{ref}: event {eid} {action} from {frm}, "
                                f"but the issue was {current}")
            current = to
        if current != status:
            problems.append(f"{ref}: history ends in {current}, row says {status}")
        n_reopen = sum(1 for e in evs if e[2] == "reopen")
        if n_reopen != reopens:
            problems.append(f"{ref}: {n_reopen} reopen events, reopen_count {reopens}")
        if level > 0 and not any(e[2] in ("escalate", "escalated") for e in evs):
            problems.append(f"{ref}: escalation_level {level} without an escalation event")
        if (status == "duplicate") != (dup is not None):
            problems.append(f"{ref}: status {status} with duplicate_of {dup}")
        # closed_at: set once closed, never while open. The doc is silent on declined and
        # duplicate (both end the issue's life); either way is accepted there.
        if status == "closed" and closed is None or status in OPEN and closed is not None:
            problems.append(f"{ref}: status {status} with closed_at {closed}")
        if status in OPEN and resolved is not None:
            problems.append(f"{ref}: status {status} with resolved_at {resolved}")
        if status == "resolved" and (resolved is None or closed is not None):
            problems.append(f"{ref}: resolved with resolved_at {resolved}, closed_at {closed}")
        # The first public answer by the Department sets first_response_at.
        answers = [e[6] for e in evs
                   if (e[2] in ("request_info", "resolve", "decline"))
                   or (e[2] == "comment" and not e[5] and e[8] in ("officer", "supervisor", "admin"))]
        if answers and (first is None or abs((first - min(answers)).total_seconds()) > 1):
            problems.append(f"{ref}: first answer at {min(answers)}, first_response_at {first}")
        if not answers and first is not None:
            problems.append(f"{ref}: first_response_at {first} without any answer")
    assert not problems, f"{len(problems)} inconsistencies, e.g.:\n" + "\n".join(problems[:30])
