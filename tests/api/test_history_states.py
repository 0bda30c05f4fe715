# test_history_states.py -- issue_states, kept one event at a time by the trigger of
# migration 0012, must always be what a full replay of the history (issue_states_rebuild)
# gives. Real histories are driven through the API (and the sweep), a few that only a
# loader or a race writes are added in SQL, and then every issue's stretches are compared
# with a rebuild made in a transaction that is rolled back.

from datetime import datetime, timedelta, timezone

import pytest

from conftest import run_cli
from dlapi import act_ok, assert_json, comment, file_issue


def patch(client, ref, body):
    return assert_json(client.send_json("PATCH", f"/api/issues/{ref}", body), 200)


def sweep(app, at):
    p = run_cli(["sweep", "--now", at.replace(microsecond=0).isoformat()], app.app_url)
    assert p.returncode == 0, f"sweep: {p.stdout}\n{p.stderr}"


# Every column but the generated one (which follows from the others).
COLUMNS = ("issue_id, school_id, valid_from, valid_to, status, category, division, priority,"
           " assignee, escalation_level, due_first_response_at, due_resolution_at,"
           " resolved_here")


def disagreements(app):
    """Stretches the trigger left that a rebuild does not give, and the other way round,
    over every issue; the rebuild is rolled back."""
    conn = app.db()
    conn.autocommit = False
    try:
        with conn.cursor() as cur:
            cur.execute(f"CREATE TEMP TABLE kept ON COMMIT DROP AS"
                        f" SELECT {COLUMNS} FROM issue_states")
            cur.execute("SELECT count(issue_states_rebuild(id)) FROM issues")
            cur.execute(f"""
                SELECT 'trigger' AS side, k.* FROM (SELECT * FROM kept
                    EXCEPT SELECT {COLUMNS} FROM issue_states) k
                UNION ALL
                SELECT 'rebuild', r.* FROM (SELECT {COLUMNS} FROM issue_states
                    EXCEPT SELECT * FROM kept) r
                ORDER BY 2, 3, 1""")
            return cur.fetchall()
    finally:
        conn.rollback()
        conn.autocommit = True


def assert_agree(app):
    diff = disagreements(app)
    assert not diff, "issue_states differ from a rebuild:\n" + \
        "\n".join(str(row) for row in diff[:20])


@pytest.fixture(scope="module")
def people(app):
    return {"principal": app.login("ht.th001"),
            "officer": app.login("cb.tccb1"), "officer2": app.login("cb.tccb2"),
            "gdth": app.login("cb.gdth1"), "supervisor": app.login("giamsat1")}


# Each story: (file with, [(who, verb, argument, note or extra)]), taken through the API in
# this order; "@name" in an extra stands for that story's reference.
STORIES = {
    "full_life": ({}, [
        ("officer", "act", "triage", None), ("officer", "patch", {"assignee": "cb.tccb1"}, None),
        ("officer", "patch", {"priority": "high"}, None),
        ("officer", "comment", "Phòng đã tiếp nhận.", False),
        ("officer", "comment", "Ghi chú nội bộ.", True),
        ("officer", "act", "start", None),
        ("officer", "act", "request_info", "Đề nghị bổ sung số liệu."),
        ("principal", "act", "answer_info", "Đã bổ sung."),
        ("officer", "act", "resolve", "Đã xử lý."),
        ("principal", "act", "reopen", "Chưa giải quyết triệt để."),
        ("officer", "act", "resolve", "Đã xử lý lần hai."),
        ("principal", "act", "confirm", None)]),
    # Several fields in one PATCH: several events in one transaction, at one instant.
    "many_fields": ({"priority": "low"}, [
        ("supervisor", "patch", {"category": "DAY-HOC-TV", "priority": "urgent",
                                 "assignee": "giamsat1"}, None),
        ("supervisor", "patch", {"priority": "normal", "assignee": None}, None)]),
    # A move to another division lets the assignee go: two events in one transaction.
    "moved": ({}, [
        ("officer", "act", "triage", None), ("officer", "patch", {"assignee": "cb.tccb2"}, None),
        ("officer2", "patch", {"division": "GDTH"}, None),
        ("gdth", "patch", {"division": "KHTC", "assignee": None}, None),
        ("supervisor", "patch", {"division": "TCCB", "assignee": "cb.tccb1"}, None)]),
    "escalated_then_declined": ({}, [
        ("officer", "act", "escalate", "Cần lãnh đạo Sở cho ý kiến."),
        ("supervisor", "act", "escalate", "Chuyển lãnh đạo Sở."),
        ("officer", "act", "triage", None),
        ("supervisor", "act", "decline", "Không thuộc thẩm quyền.")]),
    "declined_while_waiting": ({}, [
        ("officer", "act", "triage", None),
        ("officer", "act", "request_info", "Đề nghị gửi biên bản."),
        ("officer", "act", "decline", "Nhà trường không bổ sung.")]),
    "kept": ({}, []),
    "duplicate": ({}, [
        ("officer", "act", "triage", None),
        ("officer", "act", "mark_duplicate", {"note": "Trùng nội dung.",
                                               "duplicate_of": "@kept"})]),
    # Left open, or resolved: the sweeps escalate the first and close the second.
    "late": ({}, []),
    "resolved_unconfirmed": ({}, [
        ("officer", "act", "triage", None), ("officer", "act", "resolve", "Đã xử lý.")]),
    "resolved_straight": ({}, [
        ("officer", "act", "triage", None), ("supervisor", "act", "resolve", "Đã xử lý ngay."),
        ("principal", "act", "reopen", "Chưa xong.")]),
}


def tell(client, ref, verb, argument, extra, refs):
    if verb == "patch":
        patch(client, ref, argument)
    elif verb == "comment":
        assert_json(comment(client, ref, argument, internal=extra), 201)
    elif isinstance(extra, dict):
        act_ok(client, ref, argument, **{k: refs[v[1:]] if str(v).startswith("@") else v
                                          for k, v in extra.items()})
    else:
        act_ok(client, ref, argument, extra)


@pytest.fixture(scope="module")
def histories(app, people):
    """Every story of STORIES told through the API, then two sweeps; {name: ref}."""
    refs = {}
    for name, (filing, steps) in STORIES.items():
        refs[name] = file_issue(people["principal"], title=f"Lịch sử trạng thái: {name}",
                                **filing)["ref"]
        for who, verb, argument, extra in steps:
            tell(people[who], refs[name], verb, argument, extra, refs)
    # The sweep: raises (to 1 and to 2) and an automatic close, stamped with the real time.
    now = datetime.now(timezone.utc)
    sweep(app, now + timedelta(days=40))
    sweep(app, now + timedelta(days=80))
    return refs


def test_api_histories_agree_with_a_rebuild(app, histories):
    ids = app.query("SELECT count(*) FROM issue_states st JOIN issues i ON i.id = st.issue_id"
                    " WHERE i.ref = ANY(%s)", (list(histories.values()),))[0][0]
    assert ids > 2 * len(histories), "the histories left too few stretches to compare"
    actions = {r[0] for r in app.query(
        "SELECT DISTINCT e.action FROM issue_events e JOIN issues i ON i.id = e.issue_id"
        " WHERE i.ref = ANY(%s)", (list(histories.values()),))}
    assert {"escalated", "closed", "set_division", "set_assignee", "mark_duplicate",
            "reopen", "answer_info"} <= actions, actions
    assert_agree(app)


def test_the_escalated_and_closed_issues_show_it(app, histories):
    """The sweep's events went through the trigger: the open stretches say so."""
    rows = dict(app.query("""
        SELECT i.ref, st.status || '/' || st.escalation_level
          FROM issue_states st JOIN issues i ON i.id = st.issue_id
         WHERE st.valid_to IS NULL AND i.ref = ANY(%s)""",
                          ([histories["late"], histories["resolved_unconfirmed"]],)))
    assert rows == {histories["late"]: "new/2", histories["resolved_unconfirmed"]: "closed/0"}


def add_events(app, ref, events):
    """Appends (action, seconds after filing, from, to, details) events in one
    transaction each, as a loader or two racing transactions could leave them."""
    conn = app.db()
    with conn.cursor() as cur:
        for action, offset, from_status, to_status, details in events:
            cur.execute("""
                INSERT INTO issue_events (issue_id, action, from_status, to_status, details,
                                          created_at)
                SELECT id, %s, %s, %s, %s::jsonb, created_at + make_interval(secs => %s)
                  FROM issues WHERE ref = %s""",
                        (action, from_status, to_status, details, offset, ref))


def open_stretch(app, ref):
    return app.query("""
        SELECT st.valid_from - i.created_at, st.status, st.priority, st.assignee,
               st.escalation_level, st.resolved_here
          FROM issue_states st JOIN issues i ON i.id = st.issue_id
         WHERE i.ref = %s AND st.valid_to IS NULL""", (ref,))[0]


def test_rules_only_a_loader_or_a_race_reaches(app, people):
    p = people["principal"]
    ref = file_issue(p, title="Lịch sử trạng thái: thứ tự thời gian")["ref"]
    hour = 3600
    add_events(app, ref, [
        ("triage", hour, "new", "triaged", None),
        # stamped before the open stretch (a transaction that began earlier but took the
        # lock later): merges into it
        ("start", hour // 2, "triaged", "in_progress", None),
        # escalations without a level: one up each, never past 2
        ("escalate", 2 * hour, "in_progress", "in_progress", None),
        ("escalate", 3 * hour, "in_progress", "in_progress", None),
        ("escalate", 4 * hour, "in_progress", "in_progress", None),
        ("resolve", 5 * hour, "in_progress", "resolved", None),
        # at the same instant as the resolution: the same stretch, still resolved_here
        ("set_priority", 5 * hour, None, None, '{"field": "priority", "from": "normal",'
                                               ' "to": "high"}'),
        ("comment", 6 * hour, None, None, None),
    ])
    assert open_stretch(app, ref)[1:] == ("resolved", "high", None, 2, True)
    assert open_stretch(app, ref)[0] == timedelta(hours=5)
    assert_agree(app)
    # A first assignment whose `from` is not the open stretch's: the replay takes it as
    # the value since filing, so the trigger replays too.
    add_events(app, ref, [
        ("set_assignee", 7 * hour, None, None,
         '{"field": "assignee", "from": "cb.tccb2", "to": "cb.tccb1"}'),
    ])
    assert app.query("""SELECT st.assignee FROM issue_states st JOIN issues i
                         ON i.id = st.issue_id WHERE i.ref = %s ORDER BY st.valid_from
                         LIMIT 1""", (ref,))[0][0] == "cb.tccb2"
    assert_agree(app)


def test_one_statement_writing_several_events_applies_each_once(app, people):
    """A loader's INSERT of several events of an issue without states: the first row's
    replay must stop at that row, or the rows after it, applied by their own triggers,
    would count twice (an escalation without a level going up two)."""
    ref = file_issue(people["principal"], title="Lịch sử trạng thái: một câu lệnh")["ref"]
    conn = app.db()
    with conn.cursor() as cur:
        cur.execute("DELETE FROM issue_states WHERE issue_id = (SELECT id FROM issues"
                    " WHERE ref = %s)", (ref,))
        cur.execute("""
            INSERT INTO issue_events (issue_id, action, from_status, to_status, created_at)
            SELECT i.id, v.action, v.from_status, v.to_status,
                   i.created_at + make_interval(hours => v.hours)
              FROM issues i,
                   (VALUES ('triage', 'new', 'triaged', 1),
                           ('escalate', 'triaged', 'triaged', 2),
                           ('resolve', 'triaged', 'resolved', 3)) AS v(action, from_status,
                                                                      to_status, hours)
             WHERE i.ref = %s""", (ref,))
    assert open_stretch(app, ref)[1:] == ("resolved", "normal", None, 1, True)
    assert_agree(app)
