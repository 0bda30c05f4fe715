# test_meetings.py -- issue #10, step 4 (docs/meetings.md): the Department makes a
# meeting of the issues it chose from the report, prints its agenda, records what the
# meeting decided, and follows each decision up: on its issues, in the notifications, in
# the sweep's reminder and in the next month's report, as it stood at that month's end.

import base64
import hashlib
import re
import secrets
from datetime import timedelta

import pytest
from dlapi import (assert_json, assert_problem, comment, file_issue,
                   signed_in_with_nothing_unread)

TOKEN = "Hop giao ban " + secrets.token_hex(4)
PEOPLE = ["ht.th001", "ht.th002", "cb.gdth1", "cb.gdth2", "cb.tccb1", "giamsat1", "admin"]


@pytest.fixture(scope="module")
def c(app):
    return signed_in_with_nothing_unread(app, PEOPLE)


def today(app, days=0):
    """Ha Tinh's calendar day, moved by `days`, as YYYY-MM-DD."""
    return app.query("SELECT ((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + %s)::text",
                     (days,))[0][0]


def new_issue(client, words):
    return file_issue(client, title=f"{words} {TOKEN}",
                      description="Nhà trường đề nghị Sở hỗ trợ trước kỳ kiểm tra.",
                      category="SACH-GIAO-KHOA", proposed_solution="Sở điều chuyển sách dư.")


def new_meeting(client, app, agenda=(), held_on=None, **extra):
    body = {"kind": "province", "held_on": held_on or today(app),
            "title": f"Giao ban hiệu trưởng {TOKEN}", "agenda": list(agenda)}
    body.update(extra)
    return assert_json(client.send_json("POST", "/api/meetings", body), 201)


def decide(client, meeting_id, issues, due_on, responsible="cb.gdth1", body=None):
    payload = {"body": body or f"Phòng GDTH điều chuyển sách dư cho trường {TOKEN}",
               "division": "GDTH", "responsible": responsible, "due_on": due_on,
               "issues": list(issues)}
    return client.send_json("POST", f"/api/meetings/{meeting_id}/decisions", payload)


def mark(client, decision_id, action, note=None):
    body = {"action": action}
    if note is not None:
        body["note"] = note
    return client.send_json("POST", f"/api/decisions/{decision_id}/actions", body)


def notes(client):
    return assert_json(client.get("/api/notifications", params={"limit": 100}), 200)["items"]


def error_codes(r):
    return {(e["field"], e["code"]) for e in r.json().get("errors", [])}


# --------------------------------------------------------------------------- the demo

def test_the_demo_has_meetings_to_follow_up(app, c):
    """Before this module adds its own: the demo's two principals' meetings, and last
    month's report with a decision done late, one overdue and one not yet due."""
    meetings = assert_json(c["giamsat1"].get("/api/meetings"), 200)["items"]
    assert len(meetings) == 2 and all(m["title"].startswith("Giao ban hiệu trưởng tháng")
                                      for m in meetings)
    latest = assert_json(c["giamsat1"].get(f"/api/meetings/{meetings[0]['id']}"), 200)
    assert len(latest["agenda"]) == 6 and len(latest["decisions"]) == 3
    for d in latest["decisions"]:
        ref = d["issues"][0]["ref"]
        assert "decision" in app.actions_of(ref), ref
        assert ref in [a["ref"] for a in latest["agenda"]]
    last, _, _ = month_of(app, 1)
    report = assert_json(c["giamsat1"].get("/api/reports/monthly", params={"month": last}), 200)
    counts = report["decisions"]["counts"]
    assert counts == {"open": 1, "overdue": 1, "done_on_time": 0, "done_late": 1}, counts
    out = app.cli("sweep")
    assert "0 decisions falling due told" in out.stdout, out.stdout


# --------------------------------------------------------------------------- meetings

def test_an_officer_makes_a_meeting_of_chosen_issues(app, c):
    officer = c["cb.gdth1"]
    first = new_issue(c["ht.th001"], "Thiếu sách giáo khoa lớp 4")
    second = new_issue(c["ht.th002"], "Thiếu sách giáo khoa lớp 5")
    m = new_meeting(officer, app, [second["ref"], first["ref"]])
    assert m["kind"] == "province" and m["cluster"] is None and m["created_by"] == "cb.gdth1"
    assert [a["ref"] for a in m["agenda"]] == [second["ref"], first["ref"]]
    assert [a["position"] for a in m["agenda"]] == [1, 2]
    assert m["agenda"][1]["school"] == "TH001" and m["decisions"] == []
    assert m["agenda_count"] == 2 and m["can"]["change"] is True
    listed = assert_json(c["giamsat1"].get("/api/meetings"), 200)["items"]
    assert m["id"] in [x["id"] for x in listed]

    again = assert_json(officer.send_json("PUT", f"/api/meetings/{m['id']}/agenda",
                                          {"issues": [first["ref"]]}), 200)
    assert [a["ref"] for a in again["agenda"]] == [first["ref"]]

    cluster = new_meeting(officer, app, kind="cluster", cluster="CM01",
                          title=f"Họp cụm 1 {TOKEN}")
    assert cluster["cluster"] == "CM01" and cluster["cluster_name"]


def test_who_reads_and_records_meetings(app, c):
    m = new_meeting(c["cb.gdth1"], app)
    assert_json(c["admin"].get(f"/api/meetings/{m['id']}"), 200)
    assert_problem(c["admin"].send_json("POST", "/api/meetings", {
        "kind": "province", "held_on": today(app), "title": "x"}), 403)
    for principal in ("ht.th001",):
        assert_problem(c[principal].get("/api/meetings"), 403)
        assert_problem(c[principal].get(f"/api/meetings/{m['id']}"), 403)
        assert_problem(c[principal].get(f"/api/meetings/{m['id']}/agenda"), 403)
        assert_problem(c[principal].get("/api/decisions"), 403)
    assert_problem(c["cb.gdth1"].get("/api/meetings/999999"), 404)


def test_bad_meetings_are_refused_field_by_field_and_nothing_is_stored(app, c):
    officer = c["cb.gdth1"]
    before = app.query("SELECT count(*) FROM meetings")[0][0]
    cases = [
        ({"kind": "cluster", "held_on": today(app), "title": "x"}, ("cluster", "required")),
        ({"kind": "province", "cluster": "CM01", "held_on": today(app), "title": "x"},
         ("cluster", "not_allowed")),
        ({"kind": "cluster", "cluster": "CM99", "held_on": today(app), "title": "x"},
         ("cluster", "unknown_code")),
        ({"kind": "weekly", "held_on": today(app), "title": "x"}, ("kind", "invalid_value")),
        ({"kind": "province", "held_on": "2026-02-30", "title": "x"},
         ("held_on", "invalid_format")),
        ({"kind": "province", "held_on": today(app), "title": ""}, ("title", "empty")),
        ({"kind": "province", "held_on": today(app), "title": "x", "agenda": ["HT-1"]},
         ("agenda[0]", "invalid_format")),
        ({"kind": "province", "held_on": today(app), "title": "x",
          "agenda": ["HT-2026-999999"]}, ("agenda[0]", "unknown_issue")),
        ({"kind": "province", "held_on": today(app), "title": "x", "agenda": "HT-2026-000001"},
         ("agenda", "not_array")),
    ]
    for body, expected in cases:
        r = officer.send_json("POST", "/api/meetings", body)
        assert_problem(r, 400)
        assert expected in error_codes(r), (body, r.text)
    assert app.query("SELECT count(*) FROM meetings")[0][0] == before


# --------------------------------------------------------------------------- decisions

def test_a_decision_stands_on_its_issues_and_its_people_are_told(app, c):
    recorder, responsible = c["cb.gdth2"], c["cb.gdth1"]
    mine = new_issue(c["ht.th001"], "Thiếu sách Tiếng Việt lớp 2")
    m = new_meeting(recorder, app, [mine["ref"]])
    d = assert_json(decide(recorder, m["id"], [mine["ref"]], today(app, 10)), 201)
    assert d["state"] == "open" and d["responsible"] == "cb.gdth1"
    assert d["division"] == "GDTH" and d["recorded_by"] == "cb.gdth2"
    assert d["recorded_by_name"] == app.query(
        "SELECT full_name FROM users WHERE login = 'cb.gdth2'")[0][0]
    assert d["done_by"] is None and d["done_by_name"] is None
    assert d["meeting"]["id"] == m["id"] and [i["ref"] for i in d["issues"]] == [mine["ref"]]
    assert d["can"] == {"change": True, "done": True, "reopen": False}

    # The issue's history says what the meeting decided, in public.
    event = app.events_of(mine["ref"])[-1]
    assert event["action"] == "decision" and not event["internal"]
    assert event["details"]["decision"] == d["id"]
    assert event["details"]["due_on"] == today(app, 10)

    # The school reads it on its issue; another school does not reach the issue at all.
    seen = assert_json(c["ht.th001"].get(f"/api/issues/{mine['ref']}/decisions"), 200)
    assert [x["id"] for x in seen["items"]] == [d["id"]]
    assert seen["items"][0]["can"] == {"change": False, "done": False, "reopen": False}
    assert_problem(c["ht.th002"].get(f"/api/issues/{mine['ref']}/decisions"), 404)

    # Told: the school (about its issue), the responsible officer (about the decision);
    # not the officer who recorded it.
    school = [n for n in notes(c["ht.th001"]) if n["issue"] and n["issue"]["ref"] == mine["ref"]]
    assert school[0]["reason"] == "decision" and school[0]["event"]["action"] == "decision"
    told = [n for n in notes(responsible) if n["decision"] and n["decision"]["id"] == d["id"]]
    assert [n["reason"] for n in told] == ["decision_assigned"]
    assert told[0]["issue"] is None and told[0]["decision"]["meeting_id"] == m["id"]
    assert not [n for n in notes(recorder) if n["decision"] and n["decision"]["id"] == d["id"]]

    # The responsible division's open decisions are the queue's.
    open_ones = assert_json(responsible.get("/api/decisions",
                                            params={"division": "GDTH"}), 200)["items"]
    assert d["id"] in [x["id"] for x in open_ones]
    assert all(x["division"] == "GDTH" and x["state"] in ("open", "overdue")
               for x in open_ones)


def test_done_reopened_and_who_may(app, c):
    officer, other, supervisor = c["cb.gdth1"], c["cb.tccb1"], c["giamsat1"]
    mine = new_issue(c["ht.th001"], "Thiếu bàn ghế lớp 1")
    m = new_meeting(c["cb.gdth2"], app)
    d = assert_json(decide(c["cb.gdth2"], m["id"], [mine["ref"]], today(app, 5)), 201)

    assert_problem(mark(other, d["id"], "done", "xong"), 403)
    assert_problem(mark(c["ht.th001"], d["id"], "done", "xong"), 403)
    done = assert_json(mark(officer, d["id"], "done", "Đã chuyển 40 bộ sách."), 200)
    assert done["state"] == "done_on_time" and done["done_by"] == "cb.gdth1"
    assert done["done_by_name"] == app.query(
        "SELECT full_name FROM users WHERE login = 'cb.gdth1'")[0][0]
    assert done["done_note"] == "Đã chuyển 40 bộ sách." and done["can"]["reopen"] is True
    event = app.events_of(mine["ref"])[-1]
    assert event["action"] == "decision_done" and event["details"]["late"] is False
    assert event["body"] == "Đã chuyển 40 bộ sách."
    school = [n["reason"] for n in notes(c["ht.th001"])
              if n["issue"] and n["issue"]["ref"] == mine["ref"]]
    assert school[0] == "decision_done"

    r = mark(officer, d["id"], "done")
    assert_problem(r, 409)
    assert r.json()["code"] == "already_done"
    r = officer.send_json("PATCH", f"/api/decisions/{d['id']}", {"due_on": today(app, 9)})
    assert_problem(r, 409)
    assert r.json()["code"] == "decision_done"
    r = mark(officer, d["id"], "reopen")
    assert_problem(r, 400)
    assert ("note", "required") in error_codes(r)
    back = assert_json(mark(supervisor, d["id"], "reopen", "Trường báo còn thiếu."), 200)
    assert back["state"] == "open" and back["done_at"] is None
    assert app.events_of(mine["ref"])[-1]["action"] == "decision_reopened"
    r = mark(officer, d["id"], "reopen", "lần nữa")
    assert_problem(r, 409)
    assert r.json()["code"] == "not_done"
    history = app.query("SELECT action, done FROM decision_events WHERE decision_id = %s"
                        " ORDER BY id", (d["id"],))
    assert history == [("record", False), ("done", True), ("reopen", False)]


def test_a_change_is_an_event_and_gives_the_decision_to_whom_it_names(app, c):
    officer = c["cb.gdth1"]
    m = new_meeting(officer, app)
    d = assert_json(decide(officer, m["id"], [], today(app, 7), responsible=None), 201)
    assert d["responsible"] is None and d["issues"] == []
    changed = assert_json(officer.send_json("PATCH", f"/api/decisions/{d['id']}", {
        "due_on": today(app, 14), "responsible": "cb.gdth2"}), 200)
    assert changed["due_on"] == today(app, 14) and changed["responsible"] == "cb.gdth2"
    told = [n["reason"] for n in notes(c["cb.gdth2"])
            if n["decision"] and n["decision"]["id"] == d["id"]]
    assert "decision_assigned" in told
    # Given to another division without naming anyone: the division answers for it.
    moved = assert_json(officer.send_json("PATCH", f"/api/decisions/{d['id']}", {
        "division": "TCCB"}), 200)
    assert moved["division"] == "TCCB" and moved["responsible"] is None
    assert moved["can"]["change"] is True, "the officer who recorded it still may"
    assert_problem(c["cb.gdth2"].send_json("PATCH", f"/api/decisions/{d['id']}", {
        "body": "x"}), 403)
    rows = app.query("SELECT action, due_on::text, responsible_id IS NULL FROM decision_events"
                     " WHERE decision_id = %s ORDER BY id", (d["id"],))
    assert rows == [("record", today(app, 7), True), ("change", today(app, 14), False),
                    ("change", today(app, 14), True)]


def test_bad_decisions_are_refused_field_by_field_and_nothing_is_stored(app, c):
    officer = c["cb.gdth1"]
    mine = new_issue(c["ht.th001"], "Thiếu sách tham khảo")
    m = new_meeting(officer, app, held_on=today(app, -3))
    base = {"body": "Làm ngay", "division": "GDTH", "due_on": today(app, 3)}
    cases = [
        ({"due_on": today(app, -4)}, ("due_on", "before_meeting")),
        ({"due_on": "2026-13-01"}, ("due_on", "invalid_format")),
        ({"division": "KHONG-CO"}, ("division", "unknown_code")),
        ({"responsible": "cb.tccb1"}, ("responsible", "not_responsible")),
        ({"responsible": "ht.th001"}, ("responsible", "not_responsible")),
        ({"issues": [mine["ref"], mine["ref"]]}, ("issues[1]", "repeated")),
        ({"issues": ["HT-2026-999998"]}, ("issues[0]", "unknown_issue")),
        ({"body": ""}, ("body", "empty")),
        ({"body": None}, ("body", "not_text")),
    ]
    before = app.query("SELECT (SELECT count(*) FROM decisions),"
                       " (SELECT count(*) FROM decision_events)")[0]
    events = len(app.events_of(mine["ref"]))
    for change, expected in cases:
        body = dict(base, **change)
        r = officer.send_json("POST", f"/api/meetings/{m['id']}/decisions", body)
        assert_problem(r, 400)
        assert expected in error_codes(r), (change, r.text)
    assert_problem(officer.send_json("POST", "/api/meetings/999999/decisions", base), 404)
    assert_problem(c["admin"].send_json("POST", f"/api/meetings/{m['id']}/decisions", base), 403)
    assert_problem(officer.send_json("PATCH", "/api/decisions/1", {}), 400)
    assert_problem(officer.send_json("POST", "/api/decisions/999999/actions",
                                     {"action": "done"}), 404)
    r = officer.send_json("POST", "/api/decisions/1/actions", {"action": "finish"})
    assert ("action", "invalid_value") in error_codes(r)
    after = app.query("SELECT (SELECT count(*) FROM decisions),"
                      " (SELECT count(*) FROM decision_events)")[0]
    assert after == before and len(app.events_of(mine["ref"])) == events


def test_an_overdue_decision_done_is_done_late(app, c):
    officer = c["cb.gdth1"]
    mine = new_issue(c["ht.th001"], "Thiếu phòng học bộ môn")
    m = new_meeting(officer, app, held_on=today(app, -20))
    d = assert_json(decide(officer, m["id"], [mine["ref"]], today(app, -5)), 201)
    assert d["state"] == "overdue"
    overdue = assert_json(officer.get("/api/decisions", params={"state": "overdue"}), 200)
    assert d["id"] in [x["id"] for x in overdue["items"]]
    listed = assert_json(officer.get("/api/meetings"), 200)["items"]
    assert next(x for x in listed if x["id"] == m["id"])["decisions"] == {
        "open": 1, "overdue": 1, "done": 0}
    late = assert_json(mark(officer, d["id"], "done", "Đã bố trí phòng."), 200)
    assert late["state"] == "done_late"
    assert app.events_of(mine["ref"])[-1]["details"]["late"] is True
    assert_problem(officer.get("/api/decisions", params={"state": "later"}), 400)


# --------------------------------------------------------------------------- the sweep

def test_the_sweep_tells_the_responsible_once_when_a_decision_falls_due(app, c):
    officer = c["cb.gdth2"]
    m = new_meeting(officer, app)
    d = assert_json(decide(officer, m["id"], [], today(app, 1), responsible="cb.gdth1"), 201)
    far = assert_json(decide(officer, m["id"], [], today(app, 30), responsible="cb.gdth1"), 201)

    def due_notes(decision):
        return [n for n in notes(c["cb.gdth1"])
                if n["reason"] == "decision_due" and n["decision"]["id"] == decision["id"]]

    out = app.cli("sweep")
    assert out.returncode == 0, out.stderr
    assert "decisions falling due told" in out.stdout
    assert len(due_notes(d)) == 1 and due_notes(far) == []
    app.cli("sweep")
    assert len(due_notes(d)) == 1, "told twice"
    # A new due day near again is told again.
    assert_json(c["cb.gdth1"].send_json("PATCH", f"/api/decisions/{far['id']}",
                                        {"due_on": today(app)}), 200)
    app.cli("sweep")
    assert len(due_notes(far)) == 1


# --------------------------------------------------------------------------- the agenda

def test_the_agenda_prints_each_issue_with_its_public_history(app, c):
    officer = c["cb.gdth1"]
    issue = new_issue(c["ht.th001"], "Thiếu sách <giáo khoa> & vở")
    assert comment(officer, issue["ref"], "Sở đã liên hệ nhà xuất bản.").status_code == 201
    assert comment(officer, issue["ref"], "Ghi chú nội bộ bí mật", internal=True).status_code == 201
    # A problem two schools share names the other one too.
    shared = new_issue(c["ht.th001"], "Máy chiếu hỏng cả khối 5")
    assert_json(c["ht.th001"].send_json("PUT", f"/api/issues/{shared['ref']}/sharing",
                                        {"shared": True}), 200)
    assert_json(c["ht.th002"].send_json("POST", f"/api/issues/{shared['ref']}/cosigns",
                                        {"note": "Trường chúng tôi cũng vậy."}), 201)
    m = new_meeting(officer, app, [issue["ref"], shared["ref"]])
    r = officer.get(f"/api/meetings/{m['id']}/agenda")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    page = r.text
    neighbour = app.query("SELECT name FROM schools WHERE code = 'TH002'")[0][0]
    assert f"2 trường cùng gặp: {neighbour}" in page
    assert "Chương trình họp" in page and issue["ref"] in page
    assert "Thiếu sách &lt;giáo khoa&gt; &amp; vở" in page
    assert "Sở đã liên hệ nhà xuất bản." in page and "Sở điều chuyển sách dư." in page
    assert "bí mật" not in page, "an internal note reached the printed agenda"
    assert "<script" not in page
    # Served with a policy that allows its own style, by hash, and nothing else.
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    policy = r.headers["Content-Security-Policy"]
    assert f"style-src 'sha256-{digest}'" in policy and "default-src 'none'" in policy
    english = officer.get(f"/api/meetings/{m['id']}/agenda", params={"lang": "en"}).text
    assert "Meeting agenda" in english and "The school's proposal" in english
    assert_problem(officer.get(f"/api/meetings/{m['id']}/agenda", params={"lang": "fr"}), 400)
    assert_problem(officer.get("/api/meetings/999999/agenda"), 404)


# --------------------------------------------------------------------------- the report

def month_of(app, offset):
    label, end, start = app.query(
        "SELECT to_char(m, 'YYYY-MM'),"
        " (m + interval '1 month') AT TIME ZONE 'Asia/Ho_Chi_Minh',"
        " m AT TIME ZONE 'Asia/Ho_Chi_Minh'"
        " FROM (SELECT date_trunc('month', now() AT TIME ZONE 'Asia/Ho_Chi_Minh')"
        "              - make_interval(months => %s) AS m) x", (offset,))[0]
    return label, end, start


def backdated_decision(app, meeting_id, issue_ref, body, due, events):
    """A decision recorded and changed at past instants: events is [(action, at)]."""
    officer = app.query("SELECT id, division_id FROM users WHERE login = 'cb.gdth1'")[0]
    did = app.query(
        """INSERT INTO decisions (meeting_id, body, division_id, responsible_id, due_on,
                                  recorded_by, recorded_at)
           VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id""",
        (meeting_id, body, officer[1], officer[0], due, officer[0], events[0][1]))[0][0]
    app.query("INSERT INTO decision_issues SELECT %s, id FROM issues WHERE ref = %s RETURNING 1",
              (did, issue_ref))
    for action, at in events:
        app.query(
            """INSERT INTO decision_events (decision_id, action, actor_id, created_at, body,
                                            division_id, responsible_id, due_on, done)
               VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING 1""",
            (did, action, officer[0], at, body, officer[1], officer[0], due,
             action == "done"))
    done = [at for action, at in events if action == "done"]
    if done and events[-1][0] == "done":
        app.query("UPDATE decisions SET done_at = %s, done_by = %s WHERE id = %s RETURNING 1",
                  (done[-1], officer[0], did))
    return did


def test_last_months_report_shows_each_decision_as_it_stood_at_its_end(app, c):
    reader = c["giamsat1"]
    last, end, start = month_of(app, 1)
    this, _, _ = month_of(app, 0)
    issue = new_issue(c["ht.th001"], "Thiếu thiết bị dạy học")
    held = (start + timedelta(days=2)).date()
    m = new_meeting(c["cb.gdth1"], app, held_on=held.isoformat())
    due = (end - timedelta(days=10)).date()
    rec = start + timedelta(days=3)
    made = {
        "on_time": backdated_decision(app, m["id"], issue["ref"], f"A {TOKEN}", due,
                                      [("record", rec), ("done", end - timedelta(days=12))]),
        "late": backdated_decision(app, m["id"], issue["ref"], f"B {TOKEN}", due,
                                   [("record", rec), ("done", end - timedelta(days=5))]),
        "overdue": backdated_decision(app, m["id"], issue["ref"], f"C {TOKEN}", due,
                                      [("record", rec), ("done", end + timedelta(hours=1))]),
        "open": backdated_decision(app, m["id"], issue["ref"], f"D {TOKEN}",
                                   (end + timedelta(days=10)).date(), [("record", rec)]),
        "before": backdated_decision(app, m["id"], issue["ref"], f"E {TOKEN}", due,
                                     [("record", start - timedelta(days=20)),
                                      ("done", start - timedelta(days=10))]),
    }
    r = assert_json(reader.get("/api/reports/monthly", params={"month": last}), 200)
    states = {x["id"]: x["state"] for x in r["decisions"]["items"]}
    assert states.get(made["on_time"]) == "done_on_time"
    assert states.get(made["late"]) == "done_late"
    assert states.get(made["overdue"]) == "overdue"
    assert states.get(made["open"]) == "open"
    assert made["before"] not in states, "done before the month began: not the month's"
    item = next(x for x in r["decisions"]["items"] if x["id"] == made["overdue"])
    assert item["issues"] == [issue["ref"]] and item["meeting"]["id"] == m["id"]
    assert item["due_on"] == due.isoformat() and item["responsible"] == "cb.gdth1"
    counts = r["decisions"]["counts"]
    assert counts["done_on_time"] >= 1 and counts["overdue"] >= 1
    assert sum(counts.values()) == len(r["decisions"]["items"])

    # A school's report (its principal's scope) has the decisions naming its issues only.
    own = assert_json(c["ht.th001"].get("/api/reports/monthly", params={"month": last}), 200)
    mine = next(x for x in own["decisions"]["items"] if x["id"] == made["overdue"])
    assert mine["state"] == "overdue" and mine["issues"] == [issue["ref"]]
    other = assert_json(c["ht.th002"].get("/api/reports/monthly", params={"month": last}), 200)
    assert made["overdue"] not in [x["id"] for x in other["decisions"]["items"]]

    # A change now leaves last month's report as it was.
    assert_json(c["cb.gdth1"].send_json("PATCH", f"/api/decisions/{made['open']}",
                                        {"due_on": today(app, 40)}), 200)
    again = assert_json(reader.get("/api/reports/monthly", params={"month": last}), 200)
    kept = next(x for x in again["decisions"]["items"] if x["id"] == made["open"])
    assert kept["due_on"] == (end + timedelta(days=10)).date().isoformat()

    # This month's report carries what was open when it began, and only that.
    now = assert_json(reader.get("/api/reports/monthly", params={"month": this}), 200)
    now_states = {x["id"]: x["state"] for x in now["decisions"]["items"]}
    assert now_states.get(made["overdue"]) == "done_late"
    assert made["open"] in now_states
    assert made["on_time"] not in now_states and made["late"] not in now_states

    html = reader.get("/api/reports/monthly", params={"month": last, "format": "html"}).text
    assert "Quyết định từ các cuộc họp" in html and f"C {TOKEN}" in html
    csv = reader.get("/api/reports/monthly",
                     params={"month": last, "format": "csv", "part": "summary"}).text
    assert "decisions,overdue," in csv
