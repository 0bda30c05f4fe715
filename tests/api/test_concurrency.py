# test_concurrency.py -- requests that race: twenty principals filing at the same instant
# get twenty distinct, consecutive references; racing transitions on one issue let exactly
# one through; racing comments and PATCHes keep the history and the row consistent.

from datetime import datetime, timedelta, timezone

import pytest

from dlapi import REF_RE, act, act_ok, assert_json, describe, file_issue, race

HCM = timezone(timedelta(hours=7))


def test_twenty_principals_file_at_once(app):
    logins = [f"ht.th{n:03d}" for n in range(1, 21)]
    clients = [app.login(who) for who in logins]
    year = datetime.now(HCM).year
    prev_max = app.query(
        "SELECT coalesce(max(substring(ref from 9)::int), 0) FROM issues WHERE ref LIKE %s",
        (f"HT-{year}-%",))[0][0]
    before = app.snapshot()

    def job(c, i):
        return lambda: c.send_json("POST", "/api/issues", {
            "title": f"Thiếu giáo viên Tiếng Anh (trường thứ {i + 1})",
            "description": "Nộp cùng lúc với các trường khác.", "category": "THIEU-GV"})

    responses = race([job(c, i) for i, c in enumerate(clients)])
    for who, r in zip(logins, responses):
        assert r.status_code == 201, describe(r)
        assert r.json()["school"] == "TH" + who[-3:]
        assert r.json()["filed_by"]["login"] == who
    refs = [r.json()["ref"] for r in responses]
    assert all(REF_RE.match(ref) for ref in refs), refs
    assert len(set(refs)) == 20, refs
    assert {ref[3:7] for ref in refs} == {str(year)}
    numbers = sorted(int(ref[8:]) for ref in refs)
    assert numbers == list(range(numbers[0], numbers[0] + 20)), f"not consecutive: {numbers}"
    assert numbers[0] == prev_max + 1, f"gap before the burst: {prev_max} -> {numbers[0]}"

    after = app.snapshot()
    assert after["issues"] == before["issues"] + 20
    assert after["issue_events"] == before["issue_events"] + 20
    rows = app.query("""
        SELECT i.ref, count(*) FILTER (WHERE e.action = 'filed'), count(*)
          FROM issues i JOIN issue_events e ON e.issue_id = i.id
         WHERE i.ref = ANY(%s) GROUP BY i.ref""", (refs,))
    assert len(rows) == 20
    assert all(filed == 1 and total == 1 for _, filed, total in rows), rows
    last = app.query("SELECT last FROM issue_ref_counters WHERE year = %s", (year,))[0][0]
    assert last == numbers[-1]


@pytest.fixture(scope="module")
def staff(app):
    return [app.login(who) for who in ("cb.tccb1", "cb.tccb2", "giamsat1", "giamsat2")]


def test_racing_triage_lets_exactly_one_through(app, staff):
    issue = file_issue(app.login("ht.th021"), title="Thiếu giáo viên Thể dục",
                       description="Một tranh chấp xử lý.")
    ref = issue["ref"]
    clients = [s.twin() for s in staff for _ in range(3)]
    responses = race([lambda c=c: act(c, ref, "triage") for c in clients])
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * (len(clients) - 1), [describe(r) for r in responses]
    triages = [e for e in app.events_of(ref) if e["action"] == "triage"]
    assert len(triages) == 1
    assert app.issue_row(ref)["status"] == "triaged"


def test_racing_resolve_and_decline(app, staff):
    issue = file_issue(app.login("ht.th022"), title="Thiếu giáo viên Tin học",
                       description="Ai nhanh hơn?")
    ref = issue["ref"]
    act_ok(staff[0], ref, "triage")
    act_ok(staff[0], ref, "start")
    jobs = []
    for i, s in enumerate(staff * 2):
        c = s.twin()
        if i % 2:
            jobs.append(lambda c=c: act(c, ref, "resolve", "Đã giải quyết."))
        else:
            jobs.append(lambda c=c: act(c, ref, "decline", "Không thuộc thẩm quyền."))
    responses = race(jobs)
    winners = [r for r in responses if r.status_code == 200]
    assert len(winners) == 1, [describe(r) for r in responses]
    assert all(r.status_code == 409 for r in responses if r.status_code != 200), \
        [describe(r) for r in responses]
    final = winners[0].json()["status"]
    assert final in ("resolved", "declined")
    events = [e for e in app.events_of(ref) if e["action"] in ("resolve", "decline")]
    assert len(events) == 1 and events[0]["to_status"] == final
    assert events[0]["from_status"] == "in_progress"
    assert app.issue_row(ref)["status"] == final


def test_racing_comments_all_land(app, staff):
    principal = app.login("ht.th023")
    issue = file_issue(principal, title="Thiếu giáo viên Mĩ thuật",
                       description="Nhiều ý kiến cùng lúc.")
    ref = issue["ref"]
    clients = [principal.twin() for _ in range(10)] + [s.twin() for s in staff for _ in range(3)]
    responses = race([lambda c=c, i=i: c.send_json(
        "POST", f"/api/issues/{ref}/comments", {"body": f"Ý kiến số {i}", "internal": False})
        for i, c in enumerate(clients)])
    assert all(r.status_code == 201 for r in responses), [describe(r) for r in responses
                                                          if r.status_code != 201][:3]
    ids = [r.json()["id"] for r in responses]
    assert len(set(ids)) == len(clients)
    db = [e for e in app.events_of(ref) if e["action"] == "comment"]
    assert sorted(e["id"] for e in db) == sorted(ids)
    assert sorted(e["body"] for e in db) == sorted(f"Ý kiến số {i}" for i in range(len(clients)))


def test_racing_patches_keep_row_and_history_in_step(app, staff):
    issue = file_issue(app.login("ht.th024"), title="Thiếu giáo viên Âm nhạc",
                       description="Đổi mức ưu tiên liên tục.")
    ref = issue["ref"]
    values = ["low", "high", "urgent", "normal"] * 3
    clients = [staff[i % len(staff)].twin() for i in range(len(values))]
    responses = race([lambda c=c, v=v: c.send_json("PATCH", f"/api/issues/{ref}", {"priority": v})
                      for c, v in zip(clients, values)])
    assert all(r.status_code == 200 for r in responses), [describe(r) for r in responses
                                                          if r.status_code != 200][:3]
    # In id order, which is the order the writers got the row (created_at may be the
    # start of a transaction that then waited for the row lock).
    changes = sorted((e for e in app.events_of(ref) if e["action"] == "set_priority"),
                     key=lambda e: e["id"])
    assert changes, "no set_priority events"
    # Each change starts where the previous one ended: no lost update.
    current = "normal"
    for e in changes:
        assert e["details"]["from"] == current, changes
        assert e["details"]["to"] != current
        current = e["details"]["to"]
    assert app.issue_row(ref)["priority"] == current


def test_racing_logins_get_distinct_sessions(app):
    c = app.client()
    responses = race([lambda: c.twin().send_json(
        "POST", "/api/session", {"login": "ht.th025", "password": "hatinh-demo-2026"})
        for _ in range(10)])
    tokens = [assert_json(r, 200)["token"] for r in responses]
    assert len(set(tokens)) == 10
